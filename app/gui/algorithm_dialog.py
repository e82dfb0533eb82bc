"""The dialog of any algorithm, built from its declaration, and running it on the map's layers.

Each layer input becomes a layer chooser (the layer with the input's park role first; several
layers with their own clear distance for inputs such as exclusion zones), each parameter a widget
of its kind with its unit, range, default and the default's source in the tooltip; advanced
parameters are folded. Values the user changed are kept in the project
(``settings["processing"][algorithm id]``) and offered next time; "Restore Defaults" goes back to
the declared defaults. The run goes through :mod:`app.gui.tasks` (progress, Cancel), and the
result layers are added to the map with their registered styles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.tasks import TaskHandle, run_task, show_error, ui_lang
from app.processing.algorithm import PATH_KINDS, Algorithm, InputLayer, LayerInput
from app.processing.params import Param, ParamValues
from gis.errors import InputError
from layers.layer import VectorLayer

SETTINGS_KEY = "processing"


def stored_values(workspace, alg: Algorithm) -> ParamValues:
    """The values the project keeps for ``alg`` over its defaults (the defaults when they no longer
    fit, e.g. a grid-factor key the tables lost)."""
    stored = (workspace.settings.get(SETTINGS_KEY) or {}).get(alg.id) or {}
    try:
        return alg.values(stored, stored=True, partial=True)
    except InputError:
        return alg.values(partial=True)


def store_values(workspace, alg: Algorithm, values: ParamValues) -> None:
    """Keep the values that differ from the defaults in the project."""
    saved = dict(workspace.settings.get(SETTINGS_KEY) or {})
    saved[alg.id] = values.changed()
    workspace.set_setting(SETTINGS_KEY, saved)


def _tooltip(p: Param, lang: str) -> str:
    parts = [p.help(lang)] if p.help(lang) else []
    default = "默认：" if lang == "zh" else "Default: "
    if p.default is None:
        parts.append(default + (p.auto_zh if lang == "zh" else p.auto_en))
    elif p.kind == "bool":
        parts.append(default + {("zh", True): "开", ("zh", False): "关", ("en", True): "on",
                                ("en", False): "off"}[(lang, bool(p.default))])
    else:
        shown = "x".join(f"{v:g}" for v in p.default) if p.kind == "pair" else (
            f"{p.default:g}" if isinstance(p.default, float) else str(p.default))
        parts.append(default + f"{shown} {p.unit}".strip())
    if p.source:
        parts.append(("来源：" if lang == "zh" else "Source: ") + p.source)
    if p.range_text() and p.kind != "choice":
        parts.append(("范围：" if lang == "zh" else "Range: ") + p.range_text())
    parts.append(f"({p.cli_flag})")
    return "\n".join(parts)


class _ParamWidget:
    """A parameter's widget(s): ``get()`` the value (None = automatic), ``set(value)``."""

    def __init__(self, p: Param, lang: str) -> None:
        self.p = p
        self.lang = lang
        self.widget: QWidget
        self.auto: QCheckBox | None = None
        self.spins: list = []
        kind = p.kind
        if kind in ("float", "int"):
            spin = self._spin(*p.bounds(), int_=kind == "int")
            self.spins = [spin]
            self.widget = self._with_auto(spin)
        elif kind == "pair":
            a = self._spin(*p.bounds(0), int_=p.pair_type is int)
            b = self._spin(*p.bounds(1), int_=p.pair_type is int)
            self.spins = [a, b]
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(a)
            row.addWidget(QLabel("×"))
            row.addWidget(b)
            self.widget = self._with_auto(box)
        elif kind == "bool":
            self.check = QCheckBox()
            self.widget = self.check
        elif kind == "choice":
            self.combo = QComboBox()
            if p.optional:  # "automatic" is a choice of its own, saying what it means
                auto = p.auto_zh if lang == "zh" else p.auto_en
                self.combo.addItem(("自动：" if lang == "zh" else "Automatic: ") + auto, None)
            for v, zh, en in p.choice_list():
                self.combo.addItem(zh if lang == "zh" else en, v)
            self.widget = self.combo
            if p.or_kind:
                self.widget = self._open_choice()
        elif kind == "text" and p.suggest is not None:
            self.combo = QComboBox()
            self.combo.setEditable(True)
            self.combo.addItems([str(v) for v in p.suggest()])
            self.combo.setCurrentIndex(-1)
            self.edit = self.combo.lineEdit()
            self.widget = self.combo
        else:  # text, file, keyvalues
            self.edit = QLineEdit()
            if p.optional:
                self.edit.setPlaceholderText(p.auto_zh if lang == "zh" else p.auto_en)
            if kind == "keyvalues":
                keys = "; ".join(f"{v}=…" for v, _, _ in p.choice_list())
                self.edit.setPlaceholderText(keys)
            if kind == "file":
                browse = QPushButton("浏览…" if lang == "zh" else "Browse…")
                title = p.label(lang)
                browse.clicked.connect(lambda _=False, e=self.edit, f=p.filters, t=title: _pick_file(e, t, f))
                box = QWidget()
                row = QHBoxLayout(box)
                row.setContentsMargins(0, 0, 0, 0)
                row.addWidget(self.edit, 1)
                row.addWidget(browse)
                self.widget = box
            else:
                self.widget = self.edit
        self.widget.setToolTip(_tooltip(p, lang))
        self.widget.setObjectName(f"param_{p.name}")

    def _open_choice(self) -> QWidget:
        """The choices, editable for the other values the parameter admits (a year, a file: with
        Browse…)."""
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.edit = self.combo.lineEdit()
        if self.p.or_kind != "file":
            return self.combo
        browse = QPushButton("浏览…" if self.lang == "zh" else "Browse…")
        browse.clicked.connect(lambda _=False: _pick_file(self.edit, self.p.label(self.lang), self.p.filters))
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.combo, 1)
        row.addWidget(browse)
        return box

    def _spin(self, lo: float | None, hi: float | None, *, int_: bool):
        spin = QSpinBox() if int_ else QDoubleSpinBox()
        spin.setRange(int(lo if lo is not None else -1e9) if int_ else (lo if lo is not None else -1e12),
                      int(hi if hi is not None else 1e9) if int_ else (hi if hi is not None else 1e12))
        if not int_:
            span = (hi or 1e6) - (lo or 0)
            spin.setDecimals(3 if span <= 10 else 2)
            spin.setSingleStep(0.05 if span <= 2 else (0.5 if span <= 100 else 1.0))
        if self.p.unit:
            spin.setSuffix(f" {self.p.unit}")
        spin.setKeyboardTracking(False)
        return spin

    def _with_auto(self, value_widget: QWidget) -> QWidget:
        if not self.p.optional:
            return value_widget
        self.value_widget = value_widget
        auto_text = self.p.auto_zh if self.lang == "zh" else self.p.auto_en
        self.auto = QCheckBox("自动" if self.lang == "zh" else "Auto")
        self.auto.setToolTip(auto_text)
        # while automatic, the spin box gives way to what "automatic" means (a disabled 0.00 would
        # read as a value)
        self.auto_label = QLabel(auto_text)
        self.auto_label.setStyleSheet("color: #666;")
        self.auto_label.setWordWrap(True)
        self.auto.toggled.connect(self._auto_toggled)
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.auto)
        row.addWidget(value_widget, 1)
        row.addWidget(self.auto_label, 1)
        value_widget.setVisible(False)
        self.auto.setChecked(True)
        return box

    def _auto_toggled(self, on: bool) -> None:
        self.value_widget.setEnabled(not on)
        self.value_widget.setVisible(not on)
        self.auto_label.setVisible(on)

    def set(self, value: Any) -> None:
        p = self.p
        if p.kind in ("float", "int"):
            if self.auto is not None:
                self.auto.setChecked(value is None)
                self._auto_toggled(value is None)
            if value is not None:
                self.spins[0].setValue(value)
            elif p.bounds()[0] is not None:
                lo, hi = p.bounds()
                self.spins[0].setValue(max(lo, min(hi if hi is not None else lo, self.spins[0].value())))
        elif p.kind == "pair":
            if self.auto is not None:
                self.auto.setChecked(value is None)
                self._auto_toggled(value is None)
            for spin, v in zip(self.spins, value if value is not None else (), strict=False):
                spin.setValue(v)
        elif p.kind == "bool":
            self.check.setChecked(bool(value))
        elif p.kind == "choice":
            i = self.combo.findData(value)
            if p.or_kind and i < 0:  # a year, a file, or nothing yet (a required value)
                self.combo.setCurrentIndex(-1)
                self.edit.setText("" if value is None else str(value))
            else:
                self.combo.setCurrentIndex(max(i, 0))
        elif p.kind == "keyvalues":
            self.edit.setText("; ".join(f"{k}={v:g}" for k, v in (value or {}).items()))
        else:
            self.edit.setText("" if value is None else str(value))

    def get(self) -> Any:
        p = self.p
        if p.kind in ("float", "int"):
            if self.auto is not None and self.auto.isChecked():
                return None
            return self.spins[0].value()
        if p.kind == "pair":
            if self.auto is not None and self.auto.isChecked():
                return None
            return tuple(s.value() for s in self.spins)
        if p.kind == "bool":
            return self.check.isChecked()
        if p.kind == "choice" and not p.or_kind:
            return self.combo.currentData()
        text = self.edit.text().strip()
        if p.kind == "choice":  # editable: an item's text is that choice, other text is the value
            i = self.combo.findText(text)
            return self.combo.itemData(i) if i >= 0 else (p.parse(text) if text else None)
        if not text:
            return None
        if p.kind == "keyvalues":
            return p.parse(text)
        return Path(text) if p.kind == "file" else text


def _pick_file(edit: QLineEdit, title: str, filters: str) -> None:
    path, _ = QFileDialog.getOpenFileName(edit.window(), title, edit.text(), filters or "")
    if path:
        edit.setText(path)


def _candidates(workspace, spec: LayerInput) -> list[VectorLayer]:
    """The map's layers an input can take, the layer of its park role first."""
    from layers.layer import geometry_kind

    out = []
    for lyr in reversed(workspace.layers()):  # top of the map first
        gdf = lyr.gdf
        if gdf is None or gdf.crs is None:
            continue
        if spec.geometry and len(gdf) and geometry_kind(gdf.geometry.to_numpy()) not in spec.geometry:
            continue
        out.append(lyr)
    # the layer playing the input's park role first; layers playing another role (the buildings,
    # say, for an array area) last, so that a required input does not default to them
    roles = {"boundary", "buildings", "green", "tree_rows", "townships", "roads", "water"}
    out.sort(key=lambda lyr: 0 if lyr.name == spec.role else (2 if lyr.name in roles else 1))
    return out


_PARK_TABLES = {"stats": "township_stats", "energy": "enterprises"}
"""Which table of the park an input of this name can take when the user names no file."""


def _park_table(workspace, spec: LayerInput):
    park = getattr(workspace, "park", None)
    attr = _PARK_TABLES.get(spec.name)
    return getattr(park, attr, None) if park is not None and attr else None


class AlgorithmDialog(QDialog):
    """Inputs and parameters of ``alg`` for a run on ``workspace``'s layers."""

    def __init__(self, alg: Algorithm, workspace, parent: QWidget | None = None, lang: str | None = None):
        super().__init__(parent)
        self.alg = alg
        self.workspace = workspace
        self.lang = lang = lang or ui_lang()
        self.setWindowTitle(alg.title(lang))
        self.setObjectName(f"algorithm_{alg.id}")
        lay = QVBoxLayout(self)
        about = QLabel(alg.summary_zh if lang == "zh" else alg.summary_en)
        about.setWordWrap(True)
        about.setStyleSheet("color: #555;")
        lay.addWidget(about)

        self.input_widgets: dict[str, Any] = {}
        inputs = QGroupBox("输入图层" if lang == "zh" else "Input layers")
        form = QFormLayout(inputs)
        for spec in alg.inputs:
            form.addRow(spec.label(lang) + ("" if spec.required else (" （可选）" if lang == "zh"
                                                                        else " (optional)")),
                        self._input_widget(spec))
        lay.addWidget(inputs)

        self.param_widgets: dict[str, _ParamWidget] = {}
        basic = QGroupBox("参数" if lang == "zh" else "Parameters")
        basic_form = QFormLayout(basic)
        self.advanced = QGroupBox("高级参数" if lang == "zh" else "Advanced parameters")
        self.advanced.setCheckable(True)
        self.advanced.setChecked(False)
        adv_body = QWidget()
        adv_form = QFormLayout(adv_body)
        adv_lay = QVBoxLayout(self.advanced)
        adv_lay.addWidget(adv_body)
        self.advanced.toggled.connect(adv_body.setVisible)
        adv_body.setVisible(False)
        for p in alg.params:
            w = _ParamWidget(p, lang)
            self.param_widgets[p.name] = w
            label = QLabel(p.label(lang))
            label.setToolTip(w.widget.toolTip())
            (adv_form if p.advanced else basic_form).addRow(label, w.widget)
        # the parameters scroll: a long declaration must not push the buttons off a laptop screen
        body = QWidget()
        body_lay = QVBoxLayout(body)
        body_lay.setContentsMargins(0, 0, 0, 0)
        body_lay.addWidget(basic)
        if any(p.advanced for p in alg.params):
            body_lay.addWidget(self.advanced)
        body_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setMinimumHeight(min(240, body.sizeHint().height() + 8))
        lay.addWidget(scroll, 1)

        hint = ("默认值及其来源见各项提示；命令行：" if lang == "zh"
                else "Defaults and their sources are in each field's tooltip; command line: ")
        self.note = QLabel(f"{hint}lingtan run {alg.id} -h")
        self.note.setStyleSheet("color: #777;")
        lay.addWidget(self.note)
        B = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(B.Ok | B.Cancel | B.RestoreDefaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(B.RestoreDefaults).clicked.connect(self.restore_defaults)
        if lang == "zh":
            self.buttons.button(B.Ok).setText("运行")
            self.buttons.button(B.Cancel).setText("取消")
            self.buttons.button(B.RestoreDefaults).setText("恢复默认值")
        lay.addWidget(self.buttons)
        self.set_values(stored_values(workspace, alg))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        want = self.sizeHint()
        if screen is not None:
            self.resize(min(max(want.width(), 560), screen.width()),
                        min(want.height() + body.sizeHint().height(), int(screen.height() * 0.85)))

    # ---- inputs ------------------------------------------------------------------------------
    def _table_widget(self, spec: LayerInput) -> QWidget:
        """A table input: a file (CSV/Excel), or the park's own table of that role when it has one."""
        edit = QLineEdit()
        edit.setObjectName(f"input_{spec.name}")
        park_table = _park_table(self.workspace, spec)
        if park_table is not None:
            edit.setPlaceholderText("园区自带的表" if self.lang == "zh" else "the park's own table")
        browse = QPushButton("浏览…" if self.lang == "zh" else "Browse…")
        title = spec.label(self.lang)
        browse.clicked.connect(lambda _=False, e=edit, t=title: _pick_file(
            e, t, "Tables (*.csv *.xlsx *.xls *.txt);;All files (*)"))
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        row.addWidget(browse)
        box.setToolTip(spec.help_zh if self.lang == "zh" else spec.help_en)
        self.input_widgets[spec.name] = (spec, edit, [])
        return box

    def _path_widget(self, spec: LayerInput) -> QWidget:
        """A raster or other file the algorithm reads itself: a file picker."""
        edit = QLineEdit()
        edit.setObjectName(f"input_{spec.name}")
        browse = QPushButton("浏览…" if self.lang == "zh" else "Browse…")
        title = spec.label(self.lang)
        browse.clicked.connect(lambda _=False, e=edit, t=title, f=spec.filters: _pick_file(e, t, f))
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        row.addWidget(browse)
        box.setToolTip(spec.help_zh if self.lang == "zh" else spec.help_en)
        self.input_widgets[spec.name] = (spec, edit, [])
        return box

    def _input_widget(self, spec: LayerInput) -> QWidget:
        if spec.kind == "table":
            return self._table_widget(spec)
        if spec.kind in PATH_KINDS:
            return self._path_widget(spec)
        layers = _candidates(self.workspace, spec)
        if spec.multiple:
            table = QTableWidget(len(layers), 2 if spec.distance else 1)
            headers = ["图层" if self.lang == "zh" else "Layer"]
            if spec.distance:
                headers.append("退让距离" if self.lang == "zh" else "Clear distance")
            table.setHorizontalHeaderLabels(headers)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            table.verticalHeader().setVisible(False)
            for r, lyr in enumerate(layers):
                item = QTableWidgetItem(lyr.title)
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                # water and wetland are kept out by default (a planner never builds a PV array in a pond)
                item.setCheckState(Qt.CheckState.Checked if spec.role and lyr.name == spec.role
                                   else Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.UserRole, lyr.name)
                table.setItem(r, 0, item)
                if spec.distance:
                    d = QDoubleSpinBox()
                    d.setRange(0.0, 1000.0)
                    d.setSuffix(" m")
                    table.setCellWidget(r, 1, d)
            table.setMaximumHeight(150)
            table.setObjectName(f"input_{spec.name}")
            self.input_widgets[spec.name] = (spec, table, layers)
            return table
        combo = QComboBox()
        combo.setObjectName(f"input_{spec.name}")
        if not spec.required:
            combo.addItem("（无）" if self.lang == "zh" else "(none)", None)
        for lyr in layers:
            combo.addItem(lyr.title, lyr.name)
        if spec.required and not layers:
            none = "（地图上没有合适的图层）" if self.lang == "zh" else "(no suitable layer on the map)"
            combo.addItem(none, None)
        if spec.role is not None and any(lyr.name == spec.role for lyr in layers):
            combo.setCurrentIndex(combo.findData(spec.role))
        elif spec.required and layers:
            combo.setCurrentIndex(combo.findData(layers[0].name))
        combo.setToolTip(spec.help_zh if self.lang == "zh" else spec.help_en)
        self.input_widgets[spec.name] = (spec, combo, layers)
        return combo

    def select_input(self, name: str, layer_name: str | None, distance_m: float | None = None) -> None:
        """Choose ``layer_name`` for input ``name`` (tests, scripted use); for a multiple input
        the layer is ticked (with its distance)."""
        spec, widget, _ = self.input_widgets[name]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(layer_name))
            return
        for r in range(widget.rowCount()):
            item = widget.item(r, 0)
            if item.data(Qt.ItemDataRole.UserRole) == layer_name:
                item.setCheckState(Qt.CheckState.Checked)
                if distance_m is not None and spec.distance:
                    widget.cellWidget(r, 1).setValue(distance_m)

    def inputs(self) -> dict[str, Any]:
        """{input name: InputLayer | [InputLayer] | None} of the chosen layers."""
        out: dict[str, Any] = {}
        for name, (spec, widget, _layers) in self.input_widgets.items():
            if isinstance(widget, QLineEdit) and spec.kind in PATH_KINDS:  # named, read by the run
                text = widget.text().strip()
                path = Path(text) if text else None
                out[name] = InputLayer(None, path.name, path=path) if path else None  # type: ignore[arg-type]
                continue
            if isinstance(widget, QLineEdit):  # a table: small, read here so that errors show at once
                text = widget.text().strip()
                if text:
                    from gis.io.tables import read_data_table

                    table, _ = read_data_table(Path(text))
                    out[name] = InputLayer(table, Path(text).name)  # type: ignore[arg-type]
                else:
                    park_table = _park_table(self.workspace, spec)
                    out[name] = InputLayer(park_table,
                                           spec.label(self.lang)) if park_table is not None else None
                continue
            if isinstance(widget, QComboBox):
                key = widget.currentData()
                lyr = self.workspace.layer(key) if key else None
                out[name] = InputLayer(lyr.gdf, lyr.title) if lyr is not None else None
                continue
            items = []
            for r in range(widget.rowCount()):
                item = widget.item(r, 0)
                if item.checkState() != Qt.CheckState.Checked:
                    continue
                lyr = self.workspace.layer(item.data(Qt.ItemDataRole.UserRole))
                if lyr is None:
                    continue
                dist = widget.cellWidget(r, 1).value() if spec.distance else None
                items.append(InputLayer(lyr.gdf, lyr.title, dist))
            out[name] = items
        return out

    # ---- parameters ----------------------------------------------------------------------------
    def set_values(self, values: ParamValues) -> None:
        for name, w in self.param_widgets.items():
            w.set(values[name])

    def restore_defaults(self) -> None:
        self.set_values(self.alg.values(partial=True))

    def values(self) -> ParamValues:
        """The checked values of the widgets (InputError names a value out of range)."""
        return self.alg.values({name: w.get() for name, w in self.param_widgets.items()})

    def accept(self) -> None:
        try:
            values = self.values()
            self.alg.check_inputs(self.inputs())
        except InputError as exc:
            show_error(self, exc)
            return
        store_values(self.workspace, self.alg, values)
        super().accept()


def run_algorithm(parent: QWidget | None, workspace, alg: Algorithm, values: ParamValues,
                  inputs: dict[str, Any], on_done=None, **task_kw) -> TaskHandle:
    """Run ``alg`` in a worker with progress and Cancel; its result layers are then added to the
    map (replacing those of an earlier run) with their registered styles, and its summary is kept
    in the workspace under the layers' summary key."""

    def done(output) -> None:
        if alg.makes_park:
            use_park(workspace, output.result, inputs)
        else:
            add_result_layers(workspace, output)
        if on_done is not None:
            on_done(output)

    title = alg.title(ui_lang())
    return run_task(parent, title, lambda progress: alg.run(values, inputs, progress), done, **task_kw)


def use_park(workspace, park, inputs: dict[str, Any]) -> None:
    """Make ``park`` the project's park; the layers it was made from give way to its role layers
    (which keep every attribute), so that the map does not show each feature twice."""
    used = {id(item.gdf) for v in inputs.values() for item in (v if isinstance(v, list) else [v])
            if item is not None}
    with workspace.quiet():
        for lyr in list(workspace.layers()):
            if id(lyr.gdf) in used and lyr.name not in park.layers():
                workspace.remove_layer(lyr)
    workspace.set_park(park)


def add_result_layers(workspace, output) -> None:
    """Put an :class:`~app.processing.algorithm.AlgorithmOutput`'s layers on the map and its summary
    into the workspace's summary under the algorithm's :attr:`~Algorithm.summary_key` (its id when
    it declares none: a sinks run must not replace the park's carbon account)."""
    from app.processing.registry import algorithm

    for name, gdf in output.layers.items():
        workspace.put_result_layer(name, gdf)
    summary = dict(workspace.summary or {})
    summary[algorithm(output.algorithm).summary_key or output.algorithm] = output.summary
    workspace.set_summary(summary)


def open_algorithm(parent: QWidget | None, workspace, alg: Algorithm) -> TaskHandle | None:
    """Show the dialog; run the algorithm when the user accepts."""
    dialog = AlgorithmDialog(alg, workspace, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return run_algorithm(parent, workspace, alg, dialog.values(), dialog.inputs())
