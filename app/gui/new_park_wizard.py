"""File → New Park: a wizard that makes the park from the planner's own layers.

1. **Red line**: a polygon layer on the map, only its selected features if asked, a file, or a red
   line drawn on the map (app.gui.draw_tool: the wizard steps aside while the corners are clicked).
2. **Buildings and their fields**: the footprint layer, how many lie inside and outside the red
   line, and which field gives the height, floors, use, roof type and enterprise id, each guessed
   by the readers' own guessing (gis.buildings.BUILDING_FIELDS) and changeable, with a preview of
   the first features as the park will read them (headings: the layer registry's aliases with
   units; coded values: their labels in the UI language, the stored value in the tooltip) and the
   values that cannot be read.
3. **Other data and parameters**: the New Park algorithm's generated dialog (green space, tree
   rows, townships, roads, water, the tables, the name …) without the inputs of steps 1 and 2.

Every layer chooser has "From file…": the file is read by the app's readers as File → Add Data
reads it (:func:`app.gui.open_data.open_files`: CRS dialog, layer choice, read report), added to the
map, and chosen for that input.

The run is the New Park algorithm (app.algorithms.new_park, as ``lingtan park new``): the fields
chosen are its ``--height-field`` … parameters, so a project remembers them like any other value.
"""

from __future__ import annotations

import math
import traceback
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
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
from app.gui.param_form import pick_file
from app.gui.tasks import TaskHandle, run_task, show_error, ui_lang, write_crash_log
from app.park_new import PREVIEW_ROWS, field_preview, inside_mask, unreadable_values
from app.park_parquet import by_view
from app.processing.algorithm import InputLayer
from app.processing.params import ParamValues
from app.processing.registry import algorithm
from gis.buildings import NO_FIELD, guess_building_fields, resolve_building_fields
from gis.errors import InputError
from layers.registry import field_alias
from layers.values import value_label

FILE_ROWS_READ_HERE = 50_000
"""Rows of a GeoParquet layer's file in the red line's extent that the buildings step reads for its
exact inside/outside counts and preview (47,089 rows of the 1M benchmark file read in 0.2–0.4 s on a
slow 2-core VM, counted in 0.02–0.07 s); above it the step shows the count from the row groups'
statistics only, and the park's own run reads them (with progress, app/park_parquet.py)."""
MAX_RED_LINE_FEATURES = 20
"""A lone polygon layer with more features than this is not proposed as the red line (a red line is
one outline or a few parcels; hundreds of polygons are footprints): the user chooses or draws."""
STEP_INPUTS = ("boundary", "buildings")
"""The algorithm's inputs the wizard's own steps choose (hidden in the generated step 3)."""
EXAMPLES_SHOWN = 3
GEOMETRY_ZH = {"polygon": "面", "line": "线", "point": "点"}


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


def with_file_button(field: QWidget, button: QPushButton, box: QWidget | None = None) -> QWidget:
    """``field`` (a layer chooser) with ``button`` ("From file…") on its right, in ``box`` (new when
    None)."""
    box = box if box is not None else QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(field, 1)
    row.addWidget(button)
    return box


def source_text(source: str, lang: str | None = None) -> str:
    """A height source of gis.buildings ('field:H', 'floors×3 m (other)', 'missing', 'rejected') in
    the UI language, as the attribute table names it (layers.values)."""
    return value_label("height_source", source, lang or ui_lang()) or source


ROLE_FIELDS = {"height": "height_m", "floors": "floors", "use": "use", "roof": "roof_type",
               "enterprise_id": "enterprise_id"}
"""The park's buildings field each role's column becomes: its alias (layers/fields.py) heads the
preview's column of the raw values."""
PREVIEW_FIELDS = ("height_m", "height_source", "use_class", "roof_class")
"""The preview's columns computed by the park's own code (app.park_new.field_preview), headed by
their aliases with units."""


def preview_headings(columns: dict[str, str | None], lang: str) -> list[tuple[str, str]]:
    """(heading, tooltip) of the preview's columns: each role's alias with unit over the file's
    field it reads ("高度 (m)" / "字段 height"), then the computed fields' aliases ("as read")."""
    out = []
    for role, field in ROLE_FIELDS.items():
        col = columns.get(role)
        below = tr("field {0}").format(col) if col else tr("(none)")
        out.append((f"{field_alias(field, 'buildings', lang)}\n{below}", str(col or "")))
    for field in PREVIEW_FIELDS:
        out.append((f"{field_alias(field, 'buildings', lang)}\n{tr('(as the park reads it)')}", field))
    return out


def preview_cell(field: str, value: Any, lang: str, *, boolean: bool = False) -> tuple[str, str]:
    """(text, tooltip) of a cell of the preview's column ``field`` (a role's raw text, or a field
    of PREVIEW_FIELDS): a coded value (use and roof class, height source, a boolean column's
    True/False) by its label in ``lang`` with the stored value in the tooltip; the height in m to
    0.1 ("—" when missing); other values as they are."""
    if field == "height_m":
        ok = isinstance(value, (float, np.floating)) and math.isfinite(value)
        return (f"{value:.1f}" if ok else "—"), ""
    raw = "" if value is None else str(value)
    if boolean and raw in ("True", "False"):  # the preview holds the raw values as text
        return value_label(field, raw == "True", lang) or raw, raw
    label = value_label(field, raw, lang) if raw else None
    return (label, raw) if label is not None and label != raw else (raw, "")


# ---- step 1: the red line -------------------------------------------------------------------------

class RedLinePage(QWizardPage):
    """The red line: a polygon layer (its selected features only, if asked) or one drawn on the map."""

    def __init__(self, wizard: NewParkWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(tr("Park boundary (red line)"))
        self.setSubTitle(tr("Choose the polygon layer of the red line (only its selected feature, if you "
                            "like), read it from a file, or draw the red line on the map."))
        lay = QFormLayout(self)
        self.combo = QComboBox()
        self.combo.setObjectName("red_line_layer")
        self.combo.currentIndexChanged.connect(self._changed)
        lay.addRow(tr("Red line layer"), with_file_button(self.combo, wizard.file_button("boundary")))
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
        self._file_cache: tuple | None = None
        self.combo.currentIndexChanged.connect(self._layer_changed)
        top.addRow(tr("Buildings layer"), with_file_button(self.combo, wizard.file_button("buildings")))
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
    def refresh(self, select: str | None = None) -> None:
        """The polygon layers of the map (``select``, else the one chosen, else the likeliest
        buildings layer, chosen); the field mapping follows when the choice changed."""
        layers = _candidates(self.wiz.workspace, self.wiz.spec("buildings"))
        before = self.combo.currentData()
        select = select or before
        self.combo.blockSignals(True)
        self.combo.clear()
        for lyr in layers:
            self.combo.addItem(lyr.title, lyr.name)
        if layers:
            names = [lyr.name for lyr in layers]
            chosen = select if select in names else likely_layer("buildings", layers).name
            self.combo.setCurrentIndex(self.combo.findData(chosen))
        self.combo.blockSignals(False)
        if self.combo.currentData() != before or not self.guesses:
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

    def park_rows(self) -> gpd.GeoDataFrame | None:
        """The buildings the counts and the preview are of: the layer's frame, or for a layer read by
        view the file's rows in the red line's extent (what the park will take, app/park_parquet.py),
        read once per red line; None when the file holds too many there to read here (see
        :meth:`_file_rows`)."""
        lyr, red = self.layer(), self.wiz.red_line_page.boundary()
        if lyr is None or not by_view(lyr) or red is None or not len(red):
            return self.buildings()
        return self._file_rows(lyr, red)[0]

    def _file_rows(self, lyr, red: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame | None, int]:
        """(rows of ``lyr``'s file whose bbox meets ``red``'s extent or None, their count); more than
        :data:`FILE_ROWS_READ_HERE` are only counted (from the row groups' statistics)."""
        from app.park_parquet import red_line_bounds

        key = (str(lyr.source.path), tuple(float(v) for v in red.total_bounds), str(red.crs))
        if self._file_cache is not None and self._file_cache[0] == key:
            return self._file_cache[1]
        rows = None
        try:
            bounds = red_line_bounds(lyr.source, red)
            n = lyr.source.count(bounds)
            if n <= FILE_ROWS_READ_HERE:  # the rows the park will take (app.park_parquet.file_rows)
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                try:
                    rows = lyr.source.window(bounds, max_features=max(n, 1)).gdf
                finally:
                    QApplication.restoreOverrideCursor()
        except (InputError, OSError, ValueError):  # the file changed or cannot be read: the park's
            n = -1  # own run says why; here the step shows the rows in view
        self._file_cache = (key, (rows, n))
        return rows, n

    def _update_counts(self) -> None:
        gdf, red = self.park_rows(), self.wiz.red_line_page.boundary()
        lyr = self.layer()
        n = self._file_rows(lyr, red)[1] if gdf is None and lyr is not None and red is not None \
            and by_view(lyr) else -1
        if n >= 0:
            from app.park_parquet import PARK_MAX_ROWS

            many = n > PARK_MAX_ROWS
            text = (tr("{0} buildings of the file in the red line's extent: more than a park takes "
                       "({1}); draw a smaller red line") if many else
                    tr("{0} buildings of the file in the red line's extent (by their bounding boxes; "
                       "the park keeps those inside the red line)")).format(f"{n:,}", f"{PARK_MAX_ROWS:,}")
            self.counts.setText(text)
            self.counts.setStyleSheet("color: #b00020;" if many else "")
            return
        if gdf is None:
            gdf = self.buildings()  # the file cannot be read here: the rows in view
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
        gdf = self.park_rows()
        if gdf is None:
            gdf = self.buildings()  # a file too large to read here: the rows in view
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
        self._fill_table(preview, gdf, mapping)
        self._show_unreadable(bad)

    def _preview_rows(self, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """The buildings inside the red line when some are (those the park will hold), else all."""
        red = self.wiz.red_line_page.boundary()
        if red is None or red.crs is None or gdf.crs is None or not len(red):
            return gdf
        inside = inside_mask(gdf, red)
        return gdf[inside] if inside.any() else gdf

    def _fill_table(self, preview, gdf: gpd.GeoDataFrame, mapping: dict[str, str | None]) -> None:
        """The preview in the UI language: headings from the layer registry (alias and unit), coded
        values by their labels (the stored value in the tooltip)."""
        lang = ui_lang()
        columns = resolve_building_fields(gdf.columns, mapping)
        headings = preview_headings(columns, lang)
        self.table.setColumnCount(len(headings))
        for c, (text, tip) in enumerate(headings):
            item = QTableWidgetItem(text)
            item.setToolTip(tip)
            self.table.setHorizontalHeaderItem(c, item)
        boolean = {role: col is not None and gdf[col].dtype == bool for role, col in columns.items()}
        self.table.setRowCount(len(preview))
        for c, key in enumerate([*ROLE_FIELDS, *PREVIEW_FIELDS]):  # the preview's column names
            for r, value in enumerate(preview[key].tolist()):
                text, tip = preview_cell(key, value, lang, boolean=boolean.get(key, False))
                item = QTableWidgetItem(text)
                if tip:
                    item.setToolTip(tip)
                if key == "height_m" and text == "—":
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
        for name, (_spec, widget, _layers) in dlg.input_widgets.items():
            if name in STEP_INPUTS or not isinstance(widget, QComboBox):
                continue  # the tables have their own file picker (Browse…)
            form = widget.parentWidget().layout()
            box = QWidget()
            form.replaceWidget(widget, box)
            with_file_button(widget, wizard.file_button(name), box)
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
        # "From file…": a hidden line edit gives param_form.pick_file its start folder and takes the
        # chosen file; the read's layer is awaited on the workspace's "layers" event
        self.file_edit = QLineEdit(self)
        self.file_edit.setObjectName("data_file")
        self.file_edit.hide()
        self.reads: list[TaskHandle] = []  # the file reads started here (tests wait on them)
        self._pending: tuple[str, set[str], Path] | None = None
        self._unsubscribe = None
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
        out["buildings"] = InputLayer(bld.gdf, bld.title, source=getattr(bld, "source", None)) \
            if bld is not None else None  # a GeoParquet layer read by view: the park reads its file
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

    # from a file
    def file_button(self, name: str) -> QPushButton:
        """"From file…" for input ``name``: read a file and choose its layer there."""
        button = QPushButton(tr("From file…"))
        button.setObjectName(f"from_file_{name}")
        button.setToolTip(tr("Read a GIS file (Shapefile, GeoPackage, GeoJSON, DXF, KML, CSV or Excel "
                             "with coordinates …) as File → Add Data does, add it to the map and use it "
                             "here"))
        button.clicked.connect(lambda _=False, n=name: self.choose_file(n))
        return button

    def choose_file(self, name: str) -> None:
        """The file dialog of the generated forms (param_form.pick_file), starting in Add Data's
        last folder; the chosen file is read for input ``name``."""
        from app.gui.open_data import file_filter
        from app.gui.settings import app_qsettings

        store = app_qsettings()
        start = str(store.value("paths/add_data", "") or "")
        self.file_edit.setText(start)
        pick_file(self.file_edit, self.spec(name).label(self.lang), file_filter())
        chosen = self.file_edit.text().strip()
        if not chosen or chosen == start:
            return  # cancelled
        store.setValue("paths/add_data", str(Path(chosen).parent))
        self.add_file(Path(chosen), name)

    def add_file(self, path: Path, name: str) -> None:
        """Read ``path`` with the app's readers and add it to the map (in the main window as File →
        Add Data does: CRS dialog, layer choice, report); the layer it adds is chosen for input
        ``name`` when its geometry fits."""
        self._pending = (name, {lyr.name for lyr in self.workspace.layers()}, Path(path))
        if self._unsubscribe is None:
            self._unsubscribe = self.workspace.changed.connect(self._layers_changed)
        window = self.parentWidget()
        if window is not None and hasattr(window, "add_read_result"):
            from app.gui.open_data import open_files

            self.reads.extend(open_files(window, [Path(path)]))
        else:
            self.reads.append(self._read_here(Path(path)))

    def _read_here(self, path: Path) -> TaskHandle:
        """The read without a main window (the wizard on a bare workspace): read_vector in a worker,
        the layer made as Add Data makes it (open_data.make_layer)."""
        from app.gui.open_data import make_layer
        from gis.io import read_vector

        def done(result) -> None:
            self.workspace.add_layer(make_layer(self.workspace, path.stem, result.gdf))

        return run_task(self, tr("Reading {0}").format(path.name),
                        lambda progress: read_vector(path, progress=progress), done)

    def _layers_changed(self, _workspace, what: str) -> None:
        if what != "layers" or self._pending is None:
            return
        name, before, path = self._pending
        new = [lyr for lyr in self.workspace.layers() if lyr.name not in before and hasattr(lyr, "gdf")]
        if not new:
            return
        self._pending = None
        self._stop_listening()
        fits = [lyr for lyr in _candidates(self.workspace, self.spec(name)) if lyr in new]
        self.layer_added(name, fits[0] if fits else None)
        if not fits:
            spec = self.spec(name)
            show_error(self, InputError(
                f"“{path.name}”已添加到地图，但其中没有可作为{spec.label_zh}的要素（需要"
                f"{'、'.join(GEOMETRY_ZH[g] for g in spec.geometry)}）。",
                f"'{path.name}' was added to the map, but it holds no features to use as "
                f"{spec.label_en.lower()} (needs {', '.join(spec.geometry)} features).",
                code="new_park.file_geometry"))

    def layer_added(self, name: str, layer) -> None:
        """A layer came onto the map while the wizard is open: every chooser offers it (keeping its
        choice), and input ``name`` takes ``layer`` (None: none of them)."""
        key = layer.name if layer is not None else None
        self.red_line_page.refresh(select=key if name == "boundary" and key
                                   else self.red_line_page.combo.currentData())
        self.buildings_page.refresh(select=key if name == "buildings" else None)
        self.buildings_page._update_counts()
        for input_name, (spec, widget, _layers) in self.form.input_widgets.items():
            if input_name in STEP_INPUTS or not isinstance(widget, QComboBox):
                continue
            for lyr in _candidates(self.workspace, spec):
                if widget.findData(lyr.name) < 0:
                    widget.addItem(lyr.title, lyr.name)
            if input_name == name and key is not None:
                widget.setCurrentIndex(widget.findData(key))

    def _stop_listening(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def done(self, result: int) -> None:
        self._pending = None
        self._stop_listening()  # the workspace outlives the wizard
        super().done(result)

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
        # the error of a task reaches the user through TaskHandle (a box on the main window); one
        # raised while starting it would reach the excepthook, whose box takes the active window as
        # its parent, the wizard then being deleted (the box with it): say it here, on the window
        try:
            window.track_task(wizard.run(window))
        except InputError as exc:
            window.last_error = show_error(window, exc, title=wizard.windowTitle())
        except Exception as exc:
            tb = traceback.format_exc()
            window.last_error = show_error(window, exc, log_path=write_crash_log(tb), tb=tb,
                                           title=wizard.windowTitle())

    wizard.accepted.connect(accepted)
    wizard.finished.connect(lambda _r: wizard.deleteLater())
    window.last_dialog = wizard
    wizard.show()
    return wizard


__all__ = ["BuildingsPage", "NewParkWizard", "OptionsPage", "RedLinePage", "open_new_park", "source_text"]
