"""File → New Park: a wizard that makes the park from the planner's own layers.

1. **Red line**: a polygon layer on the map, only its selected features if asked, or a red line
   drawn on the map (app.gui.draw_tool: the wizard steps aside while the corners are clicked).
2. **Buildings and their fields**: the footprint layer, how many lie inside and outside the red
   line, and which field gives the height, floors, use, roof type and enterprise id, each guessed
   by the readers' own guessing (gis.buildings.BUILDING_FIELDS) and changeable, with a preview of
   the first features as the park will read them and the values that cannot be read.
3. **Other data and parameters**: the New Park algorithm's generated dialog (green space, tree
   rows, townships, roads, water, the tables, the name …) without the inputs of steps 1 and 2.

The run is the New Park algorithm (app.algorithms.new_park, as ``lingtan park new``): the fields
chosen are its ``--height-field`` … parameters, so a project remembers them like any other value.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.algorithms.new_park import FIELD_PARAMS
from app.gui.algorithm_dialog import AlgorithmDialog, _candidates, likely_layer, run_algorithm, store_values
from app.gui.tasks import TaskHandle, show_error, ui_lang
from app.park_new import PREVIEW_ROWS, field_preview, inside_mask, unreadable_values
from app.processing.algorithm import InputLayer
from app.processing.params import ParamValues
from app.processing.registry import algorithm
from gis.buildings import NO_FIELD, guess_building_fields
from gis.errors import InputError

MAX_RED_LINE_FEATURES = 20
"""A lone polygon layer with more features than this is not proposed as the red line (a red line is
one outline or a few parcels; hundreds of polygons are footprints): the user chooses or draws."""
STEP_INPUTS = ("boundary", "buildings")
"""The algorithm's inputs the wizard's own steps choose (hidden in the generated step 3)."""
EXAMPLES_SHOWN = 3


def tr(text: str) -> str:
    return QCoreApplication.translate("NewParkWizard", text)


def role_labels() -> dict[str, str]:
    """The field roles as the wizard names them (translated)."""
    return {"height": tr("Height"), "floors": tr("Floors"), "use": tr("Use"), "roof": tr("Roof type"),
            "enterprise_id": tr("Enterprise id")}


def _area_text(gdf: gpd.GeoDataFrame) -> str:
    """"12.3 ha (184.5 mu), 1 feature" in the local metric CRS of the layer's centre."""
    from gis.crs import local_metric_crs
    from gis.defaults import M2_PER_MU

    if gdf is None or len(gdf) == 0 or gdf.crs is None:
        return ""
    centre = gdf.to_crs(4326).union_all().centroid
    if centre.is_empty:  # no geometry at all
        return ""
    m2 = float(gdf.to_crs(local_metric_crs(centre.x, centre.y)).union_all().area)
    return tr("{0} ha ({1} mu), {2} feature(s)").format(f"{m2 / 1e4:,.2f}", f"{m2 / M2_PER_MU:,.1f}",
                                                        len(gdf))


def source_text(source: str) -> str:
    """A height source of gis.buildings ('field:H', 'floors×3 m (other)', 'missing', 'rejected') in
    the UI language."""
    if source.startswith("field:"):
        return tr("field {0}").format(source[len("field:"):])
    if source.startswith("floors×"):  # 'floors×3.6 m (office)'
        return tr("floors × {0} m").format(source[len("floors×"):].split(" ")[0])
    return {"missing": tr("missing"), "rejected": tr("rejected (impossible)")}.get(source, source)


def _class_names() -> dict[str, str]:
    """Use and roof classes in Chinese, from their tables (English: the keys)."""
    from gis.buildings import storey_heights
    from gis.solar.layout import roof_class_table

    if ui_lang() != "zh":
        return {}
    names = dict(zip(storey_heights()["use"], storey_heights()["use_zh"], strict=True))
    t = roof_class_table()
    names.update(dict(zip(t.index, t["roof_class_zh"], strict=True)))
    return names


# ---- step 1: the red line -------------------------------------------------------------------------

class RedLinePage(QWizardPage):
    """The red line: a polygon layer (its selected features only, if asked) or one drawn on the map."""

    def __init__(self, wizard: NewParkWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(tr("Park boundary (red line)"))
        self.setSubTitle(tr("Choose the polygon layer of the red line, only its selected feature, or draw "
                            "the red line on the map."))
        lay = QFormLayout(self)
        self.combo = QComboBox()
        self.combo.setObjectName("red_line_layer")
        self.combo.currentIndexChanged.connect(self._changed)
        lay.addRow(tr("Red line layer"), self.combo)
        self.selected_only = QCheckBox()
        self.selected_only.setObjectName("selected_only")
        self.selected_only.toggled.connect(self._changed)
        lay.addRow("", self.selected_only)
        self.draw = QPushButton(tr("Draw on the Map…"))
        self.draw.setObjectName("draw_red_line")
        how = tr("Click the corners on the map; double-click or Enter finishes, Backspace removes the last "
                 "corner, Esc cancels. Corners snap to vertices of the visible layers.")
        self.draw.setToolTip(how)
        self.draw.setEnabled(wizard.canvas is not None)
        self.draw.clicked.connect(wizard.draw_red_line)
        row = QHBoxLayout()
        row.addWidget(self.draw)
        row.addStretch(1)
        lay.addRow("", row)
        note = QLabel(how)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        lay.addRow("", note)
        self.info = QLabel()
        self.info.setObjectName("red_line_info")
        lay.addRow(tr("Red line"), self.info)
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """The polygon layers of the map (``select``, else the likeliest red line, chosen)."""
        layers = _candidates(self.wiz.workspace, self.wiz.spec("boundary"))
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(tr("(choose a layer or draw the red line)"), None)
        for lyr in layers:
            self.combo.addItem(lyr.title, lyr.name)
        if select is None and (len(layers) > 1 or (layers and len(layers[0].gdf) <= MAX_RED_LINE_FEATURES)):
            select = likely_layer("boundary", layers).name
        self.combo.setCurrentIndex(max(self.combo.findData(select), 0) if select else 0)
        self.combo.blockSignals(False)
        self._changed()

    def layer(self):
        key = self.combo.currentData()
        return self.wiz.workspace.layer(key) if key else None

    def _changed(self, *_args) -> None:
        lyr = self.layer()
        n = len(lyr.selection) if lyr is not None else 0
        self.selected_only.blockSignals(True)
        self.selected_only.setText(tr("Only the selected features ({0})").format(n))
        self.selected_only.setEnabled(n > 0)
        if n == 0:
            self.selected_only.setChecked(False)
        self.selected_only.blockSignals(False)
        gdf = self.boundary()
        empty = tr("(no polygon layer on the map)") if self.combo.count() <= 1 else tr("(none chosen yet)")
        self.info.setText(_area_text(gdf) if gdf is not None else empty)
        self.completeChanged.emit()

    def boundary(self) -> gpd.GeoDataFrame | None:
        """The red line's features (the selected ones only when asked)."""
        lyr = self.layer()
        if lyr is None:
            return None
        if self.selected_only.isChecked() and len(lyr.selection):
            return lyr.gdf.iloc[np.sort(lyr.selection)].reset_index(drop=True)
        return lyr.gdf

    def isComplete(self) -> bool:
        gdf = self.boundary()
        return gdf is not None and len(gdf) > 0


# ---- step 2: the buildings and their fields ----------------------------------------------------------

class BuildingsPage(QWizardPage):
    """The buildings layer, the count inside/outside the red line, and the field mapping with its
    preview and the values that cannot be read."""

    def __init__(self, wizard: NewParkWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(tr("Buildings and their fields"))
        self.setSubTitle(tr("Which field gives each building's height, floors, use, roof type and "
                            "enterprise? Guessed from the usual names; change any of them."))
        lay = QVBoxLayout(self)
        top = QFormLayout()
        self.combo = QComboBox()
        self.combo.setObjectName("buildings_layer")
        self.combo.currentIndexChanged.connect(self._layer_changed)
        top.addRow(tr("Buildings layer"), self.combo)
        self.counts = QLabel()
        self.counts.setObjectName("inside_outside")
        top.addRow(tr("Red line"), self.counts)
        lay.addLayout(top)
        grid = QGridLayout()
        self.field_combos: dict[str, QComboBox] = {}
        for i, (role, label) in enumerate(role_labels().items()):
            combo = QComboBox()
            combo.setObjectName(f"field_{role}")
            combo.currentIndexChanged.connect(self._fields_changed)
            self.field_combos[role] = combo
            grid.addWidget(QLabel(label), i // 3, 2 * (i % 3))
            grid.addWidget(combo, i // 3, 2 * (i % 3) + 1)
            grid.setColumnStretch(2 * (i % 3) + 1, 1)
        lay.addLayout(grid)
        self.fields_found = QLabel()
        self.fields_found.setObjectName("fields_found")
        self.fields_found.setWordWrap(True)
        self.fields_found.setStyleSheet("color: #555;")
        lay.addWidget(self.fields_found)
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("field_preview")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        self.unreadable = QLabel()
        self.unreadable.setObjectName("unreadable_values")
        self.unreadable.setWordWrap(True)
        lay.addWidget(self.unreadable)
        self.guesses: dict[str, str | None] = {}
        self.refresh()

    # the layer
    def refresh(self) -> None:
        layers = _candidates(self.wiz.workspace, self.wiz.spec("buildings"))
        self.combo.blockSignals(True)
        self.combo.clear()
        for lyr in layers:
            self.combo.addItem(lyr.title, lyr.name)
        if layers:
            self.combo.setCurrentIndex(self.combo.findData(likely_layer("buildings", layers).name))
        self.combo.blockSignals(False)
        self._layer_changed()

    def layer(self):
        key = self.combo.currentData()
        return self.wiz.workspace.layer(key) if key else None

    def buildings(self) -> gpd.GeoDataFrame | None:
        lyr = self.layer()
        return lyr.gdf if lyr is not None else None

    def initializePage(self) -> None:
        self._update_counts()
        self._fields_changed()  # the preview of the buildings inside the red line chosen in step 1

    def _update_counts(self) -> None:
        gdf, red = self.buildings(), self.wiz.red_line_page.boundary()
        if gdf is None or red is None or len(gdf) == 0 or red.crs is None or gdf.crs is None:
            self.counts.setText("")
            return
        inside = inside_mask(gdf, red)
        n_in, n_out = int(inside.sum()), int((~inside).sum())
        text = tr("{0} buildings inside the red line, {1} outside").format(n_in, n_out)
        if self.wiz.values_now().get("inside_only", True):
            text += tr(" (left out)")
        self.counts.setText(text)
        self.counts.setStyleSheet("color: #b00020;" if n_in == 0 else "")

    def _layer_changed(self, *_args) -> None:
        gdf = self.buildings()
        columns = [c for c in (gdf.columns if gdf is not None else []) if c != "geometry"]
        self.guesses = guess_building_fields(columns)
        stored = self.wiz.values_now()
        for role, combo in self.field_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(tr("(none)"), NO_FIELD)
            for c in columns:
                combo.addItem(str(c), c)
            want = stored.get(FIELD_PARAMS[role])
            want = want if want == NO_FIELD or want in columns else self.guesses[role]
            combo.setCurrentIndex(max(combo.findData(want if want is not None else NO_FIELD), 0))
            guess = self.guesses[role]
            combo.setToolTip(tr("Guessed: {0}").format(guess if guess else tr("(none)")))
            combo.blockSignals(False)
        self.fields_found.setText(tr("Fields found ({0}): {1}").format(len(columns),
                                                                      ", ".join(map(str, columns))))
        self._update_counts()
        self._fields_changed()

    # the mapping
    def mapping(self) -> dict[str, str | None]:
        """The parameter value of each role: None where the choice is the guess (automatic, so that a
        project's value follows the readers), else the column or NO_FIELD."""
        out: dict[str, str | None] = {}
        for role, combo in self.field_combos.items():
            chosen = combo.currentData()
            guess = self.guesses.get(role)
            out[role] = None if chosen == (guess if guess is not None else NO_FIELD) else chosen
        return out

    def choose(self, role: str, column: str | None) -> None:
        """Choose ``column`` (None or NO_FIELD: no field) for ``role`` (tests, scripted use)."""
        combo = self.field_combos[role]
        combo.setCurrentIndex(combo.findData(column if column is not None else NO_FIELD))

    def _fields_changed(self, *_args) -> None:
        mapping = self.mapping()
        self.wiz.set_field_params(mapping)
        gdf = self.buildings()
        if gdf is None:
            self.table.setRowCount(0)
            self.unreadable.setText("")
            return
        try:
            preview = field_preview(self._preview_rows(gdf), mapping, PREVIEW_ROWS)
            bad = unreadable_values(gdf, mapping)
        except InputError as exc:  # a column gone since: say so instead of failing
            self.unreadable.setText(exc.zh if ui_lang() == "zh" else exc.en)
            return
        self._fill_table(preview)
        self._show_unreadable(bad)

    def _preview_rows(self, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """The buildings inside the red line when some are (those the park will hold), else all."""
        red = self.wiz.red_line_page.boundary()
        if red is None or red.crs is None or gdf.crs is None or not len(red):
            return gdf
        inside = inside_mask(gdf, red)
        return gdf[inside] if inside.any() else gdf

    def _fill_table(self, preview) -> None:
        labels = role_labels()
        names = _class_names()
        headers = [*labels.values(), tr("Height used (m)"), tr("Height from"), tr("Use class"),
                   tr("Roof class")]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(preview))
        for r, row in enumerate(preview.itertuples(index=False)):
            h = row.height_m
            cells = [*(str(getattr(row, role)) for role in labels),
                     f"{h:.1f}" if isinstance(h, float) and math.isfinite(h) else "—",
                     source_text(str(row.height_source)), names.get(row.use_class, row.use_class),
                     names.get(row.roof_class, row.roof_class)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == len(labels) and text == "—":
                    item.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, item)

    def _show_unreadable(self, bad: dict) -> None:
        labels = role_labels()
        lines = []
        for role, u in bad.items():
            if u.count:
                examples = "、".join(u.examples[:EXAMPLES_SHOWN]) if ui_lang() == "zh" \
                    else ", ".join(u.examples[:EXAMPLES_SHOWN])
                lines.append(tr("{0} (field {1}): {2} value(s) cannot be read, e.g. {3}").format(
                    labels[role], u.field, u.count, examples))
        if lines:
            self.unreadable.setText(tr("Values that cannot be read:") + "\n" + "\n".join(lines))
            self.unreadable.setStyleSheet("color: #b00020;")
        else:
            self.unreadable.setText(tr("Every value of the chosen fields can be read."))
            self.unreadable.setStyleSheet("color: #2e7d32;")

    def isComplete(self) -> bool:
        gdf = self.buildings()
        return gdf is not None and len(gdf) > 0


# ---- step 3: the rest of the algorithm's dialog --------------------------------------------------

class OptionsPage(QWizardPage):
    """The New Park algorithm's generated dialog without the inputs and fields of steps 1 and 2."""

    def __init__(self, wizard: NewParkWizard) -> None:
        super().__init__()
        self.setTitle(tr("Other data and parameters"))
        self.setSubTitle(tr("Optional: green space, tree rows, townships, roads, water, the enterprise "
                            "energy table and the township statistics; the park's name."))
        dlg = wizard.form
        dlg.setWindowFlags(Qt.WindowType.Widget)
        dlg.buttons.hide()
        about = dlg.layout().itemAt(0).widget()
        if about is not None:
            about.hide()  # the page's subtitle says it
        for name in STEP_INPUTS:
            widget = dlg.input_widgets[name][1]
            widget.parentWidget().layout().setRowVisible(widget, False)
        for name in FIELD_PARAMS.values():
            widget = dlg.param_widgets[name].widget
            widget.parentWidget().layout().setRowVisible(widget, False)
        if all(p.name in FIELD_PARAMS.values() for p in wizard.alg.params if p.advanced):
            dlg.advanced.hide()  # nothing left in it
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(dlg)


# ---- the wizard ------------------------------------------------------------------------------------

class NewParkWizard(QWizard):
    """See the module doc. ``canvas`` (the map) enables drawing the red line; ``undo_stack`` makes
    the drawn red line an undo step."""

    def __init__(self, workspace, parent: QWidget | None = None, *, canvas=None, undo_stack=None,
                 lang: str | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.canvas = canvas
        self.undo_stack = undo_stack
        self.lang = lang or ui_lang()
        self.alg = algorithm("new_park")
        self.setObjectName("new_park_wizard")
        self.setWindowTitle(tr("New Park"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("Create Park"))
        self.drawing = None  # the draw tool while the red line is drawn
        self.form = AlgorithmDialog(self.alg, workspace, None, self.lang)
        self.red_line_page = RedLinePage(self)
        self.buildings_page = BuildingsPage(self)
        self.options_page = OptionsPage(self)
        for page in (self.red_line_page, self.buildings_page, self.options_page):
            self.addPage(page)
        self.resize(980, 680)

    def spec(self, name: str):
        return next(s for s in self.alg.inputs if s.name == name)

    # values and inputs
    def values_now(self) -> dict[str, Any]:
        """The step 3 form's values as they stand (unchecked)."""
        return self.form.form.raw_values()

    def set_field_params(self, mapping: dict[str, str | None]) -> None:
        for role, value in mapping.items():
            self.form.param_widgets[FIELD_PARAMS[role]].set(value)

    def values(self) -> ParamValues:
        return self.form.values()

    def inputs(self) -> dict[str, Any]:
        out = self.form.inputs()
        red, bld = self.red_line_page.layer(), self.buildings_page.layer()
        out["boundary"] = InputLayer(self.red_line_page.boundary(), red.title) if red is not None else None
        out["buildings"] = InputLayer(bld.gdf, bld.title) if bld is not None else None
        return out

    def accept(self) -> None:
        try:
            values = self.values()
            self.alg.check_inputs(self.inputs())
        except InputError as exc:
            show_error(self, exc)
            return
        store_values(self.workspace, self.alg, values)
        super().accept()

    def run(self, parent: QWidget | None = None, **task_kw) -> TaskHandle:
        """Make the park of the wizard's choices in a worker (the New Park algorithm)."""
        return run_algorithm(parent, self.workspace, self.alg, self.values(), self.inputs(), **task_kw)

    # drawing
    def draw_red_line(self) -> None:
        """Step aside and let the red line be drawn on the map; back when it is finished (the new
        layer chosen) or cancelled."""
        from app.gui.draw_tool import start_drawing

        if self.canvas is None:
            return
        self.hide()
        self.drawing = start_drawing(self.canvas, self.workspace, self._drawn, undo_stack=self.undo_stack,
                                     lang=self.lang)
        window = self.canvas.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.drawing.hint(), 60_000)

    def _drawn(self, layer) -> None:
        self.drawing = None
        page = self.red_line_page
        page.refresh(select=layer.name if layer is not None else page.combo.currentData())
        self.buildings_page._update_counts()
        self.show()
        self.raise_()
        self.activateWindow()


def open_new_park(window) -> NewParkWizard:
    """File → New Park in ``window`` (the main window): the wizard, window-modal except while the red
    line is drawn; Create Park runs the algorithm as a tracked task."""
    wizard = NewParkWizard(window.workspace, window, canvas=window.canvas,
                           undo_stack=getattr(window, "undo_stack", None))
    wizard.setWindowModality(Qt.WindowModality.WindowModal)

    def accepted() -> None:
        window.track_task(wizard.run(window))

    wizard.accepted.connect(accepted)
    wizard.finished.connect(lambda _r: wizard.deleteLater())
    window.last_dialog = wizard
    wizard.show()
    return wizard


__all__ = ["BuildingsPage", "NewParkWizard", "OptionsPage", "RedLinePage", "open_new_park", "source_text"]
