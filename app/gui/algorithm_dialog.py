"""The dialog of any algorithm, built from its declaration, and running it on the map's layers.

Each layer input becomes a layer chooser (the layer with the input's park role first; several
layers with their own clear distance for inputs such as exclusion zones), each parameter a widget
of its kind with its unit, range, default and the default's source in the tooltip; advanced
parameters are folded. Values the user changed are kept in the project
(``settings["processing"][algorithm id]``) and offered next time; "Restore Defaults" goes back to
the declared defaults. The run goes through :mod:`app.gui.tasks` (progress, Cancel), and the
result layers are added to the map with their registered styles. An algorithm whose output is a file
or a folder the dialog asks for (a report, an export: ``OutputFile.gui``) writes it in the same task;
its project input is, unless a file is chosen, the open project's analysis results.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.param_form import ParamForm, file_picker
from app.gui.tasks import TaskHandle, run_task, show_error, ui_lang
from app.processing.algorithm import PATH_KINDS, RESULTS_ROLE, Algorithm, InputLayer, LayerInput, OutputFile
from app.processing.params import ParamValues
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


def open_results(workspace):
    """The open project's analysis results: the live ones, else those saved in it (its summary and
    result layers, as ``lingtan export PROJECT`` takes them), else None."""
    from app.exports.saved import saved_results

    if getattr(workspace, "results", None) is not None:
        return workspace.results
    return saved_results(workspace)


def _gui_output(alg: Algorithm) -> OutputFile | None:
    """The file or folder the dialog asks for, if the algorithm writes one there."""
    out = alg.output_file
    return out if out is not None and out.gui else None


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
        self.output_edit: QLineEdit | None = None
        if _gui_output(alg) is not None:
            lay.addWidget(self._output_box())

        self.form = ParamForm(alg.params, lang)
        self.param_widgets = self.form.widgets
        self.advanced = self.form.advanced
        body = self.form.body
        lay.addWidget(self.form, 1)

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
            # as wide as the parameters' rows (their Browse… buttons) plus the scroll bar
            bar = self.style().pixelMetric(self.style().PixelMetric.PM_ScrollBarExtent)
            rows = body.sizeHint().width() + bar + 40
            self.resize(min(max(want.width(), rows, 560), screen.width()),
                        min(want.height() + body.sizeHint().height(), int(screen.height() * 0.85)))

    # ---- inputs ------------------------------------------------------------------------------
    def _table_widget(self, spec: LayerInput) -> QWidget:
        """A table input: a file (CSV/Excel), or the park's own table of that role when it has one."""
        edit = QLineEdit()
        edit.setObjectName(f"input_{spec.name}")
        park_table = _park_table(self.workspace, spec)
        if park_table is not None:
            edit.setPlaceholderText("园区自带的表" if self.lang == "zh" else "the park's own table")
        tables = "Tables (*.csv *.xlsx *.xls *.txt);;All files (*)"
        box = file_picker(edit, edit, spec.label(self.lang), tables, self.lang)
        box.setToolTip(spec.help_zh if self.lang == "zh" else spec.help_en)
        self.input_widgets[spec.name] = (spec, edit, [])
        return box

    def _path_widget(self, spec: LayerInput) -> QWidget:
        """A raster or other file the algorithm reads itself: a file picker (for a project to report
        on or export, empty means the open project's results)."""
        edit = QLineEdit()
        edit.setObjectName(f"input_{spec.name}")
        if spec.role == RESULTS_ROLE and open_results(self.workspace) is not None:
            edit.setPlaceholderText("打开的项目的分析结果" if self.lang == "zh"
                                    else "the open project's results")
        box = file_picker(edit, edit, spec.label(self.lang), spec.filters, self.lang)
        box.setToolTip(spec.help_zh if self.lang == "zh" else spec.help_en)
        self.input_widgets[spec.name] = (spec, edit, [])
        return box

    # ---- output ------------------------------------------------------------------------------
    def _output_box(self) -> QWidget:
        """Where the file or folder goes: a line with Browse… (a save dialog, or a folder chooser)."""
        out = _gui_output(self.alg)
        assert out is not None
        zh = self.lang == "zh"
        box = QGroupBox(("输出文件夹" if out.folder else "输出文件") if zh
                        else ("Output folder" if out.folder else "Output file"))
        row = QHBoxLayout(box)
        self.output_edit = edit = QLineEdit()
        edit.setObjectName("output")
        edit.setPlaceholderText(out.metavar)
        edit.setToolTip(out.help)
        browse = QPushButton("浏览…" if zh else "Browse…")
        browse.clicked.connect(self._browse_output)
        row.addWidget(edit, 1)
        row.addWidget(browse)
        return box

    def _browse_output(self) -> None:
        out = _gui_output(self.alg)
        assert out is not None and self.output_edit is not None
        title = self.alg.title(self.lang)
        if out.folder:
            path = QFileDialog.getExistingDirectory(self, title, self.output_edit.text())
        else:
            filters = f"{out.metavar} ({' '.join('*' + s for s in out.suffixes)})"
            path, _ = QFileDialog.getSaveFileName(self, title, self.output_edit.text() or out.metavar,
                                                  filters)
        if path:
            self.output_edit.setText(path)

    def output_path(self) -> Path | None:
        """The output chosen (a file without a suffix takes the first allowed one), checked; None when
        the algorithm writes no file here. InputError when none is chosen or it cannot take the output."""
        out = _gui_output(self.alg)
        if out is None or self.output_edit is None:
            return None
        text = self.output_edit.text().strip()
        if not text:
            raise InputError(f"请选择{'输出文件夹' if out.folder else '输出文件'}（{out.metavar}）",
                             f"Choose the output {'folder' if out.folder else 'file'} ({out.metavar})",
                             code="output.missing")
        path = Path(text)
        if not out.folder and not path.suffix and out.suffixes:
            path = path.with_suffix(out.suffixes[0])
        return out.check(path)

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
            combo.setCurrentIndex(combo.findData(likely_layer(spec.role, layers).name))
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
                results = open_results(self.workspace) if path is None and spec.role == RESULTS_ROLE else None
                if results is not None:
                    out[name] = InputLayer(None, spec.label(self.lang),
                                           data=results)  # type: ignore[arg-type]
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
                # a GeoParquet layer read by view (layers/parquet_source.py) names its file: the run reads it
                source = getattr(lyr, "source", None)
                out[name] = InputLayer(lyr.gdf, lyr.title, path=getattr(source, "path", None),
                                       source=source) if lyr is not None else None
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
                items.append(InputLayer(lyr.gdf, lyr.title, dist, source=getattr(lyr, "source", None)))
            out[name] = items
        return out

    # ---- parameters ----------------------------------------------------------------------------
    def set_values(self, values: ParamValues) -> None:
        self.form.set_values(values)

    def restore_defaults(self) -> None:
        self.set_values(self.alg.values(partial=True))

    def values(self) -> ParamValues:
        """The checked values of the widgets (InputError names a value out of range)."""
        return self.alg.values({name: w.get() for name, w in self.param_widgets.items()})

    def accept(self) -> None:
        try:
            values = self.values()
            self.alg.check_inputs(self.inputs())
            self.output_path()
        except InputError as exc:
            show_error(self, exc)
            return
        store_values(self.workspace, self.alg, values)
        super().accept()


RED_LINE_NAMES = ("红线", "边界", "范围", "boundary", "red line", "redline", "border", "extent")


def likely_layer(role: str | None, layers: list):
    """The layer most likely to play ``role`` among ``layers`` of the right geometry: a red line is
    named so or is the layer with the fewest features (one outline), buildings the one with the most
    (footprints); otherwise the first."""
    counts = [len(getattr(lyr, "gdf", ())) for lyr in layers]
    if role == "boundary":
        named = [lyr for lyr in layers
                 if any(k in f"{lyr.title} {lyr.name}".lower() for k in RED_LINE_NAMES)]
        return named[0] if named else layers[counts.index(min(counts))]
    if role == "buildings":
        return layers[counts.index(max(counts))]
    return layers[0]


def run_algorithm(parent: QWidget | None, workspace, alg: Algorithm, values: ParamValues,
                  inputs: dict[str, Any], on_done=None, output: Path | None = None, **task_kw) -> TaskHandle:
    """Run ``alg`` in a worker with progress and Cancel; its result layers are then added to the
    map (replacing those of an earlier run) with their registered styles, and its summary is kept
    in the workspace under the layers' summary key. With ``output`` (a report's PDF, an export's
    folder) the task also writes it, and the result's summary is what was written; nothing is
    added to the map or the project."""
    if output is not None and alg.output_file is not None:
        return _run_writing(parent, alg, alg.output_file, values, inputs, output, on_done, **task_kw)

    def done(output) -> None:
        if alg.makes_park:
            use_park(workspace, output.result, inputs)
        else:
            add_result_layers(workspace, output)
            from app.gui.parquet_layer import add_grid_summary, adopt_result_sources, follow_parquet_layers

            adopt_result_sources(workspace, output)  # a replaced layer read by view reads the new files
            if isinstance(parent, QMainWindow):  # result layers read by view follow the map
                follow_parquet_layers(parent)
                add_grid_summary(parent, output)  # a tiled rooftop run's 1 km grid summary
        if on_done is not None:
            on_done(output)

    title = alg.title(ui_lang())
    return run_task(parent, title, lambda progress: _run(alg, values, inputs, progress), done, **task_kw)


def _run(alg: Algorithm, values: ParamValues, inputs: dict[str, Any], progress):
    """``alg``'s run on ``inputs``, the layers read by view first given every row of their files
    (a tenth of the bar when there are any)."""
    from app.processing.file_inputs import needs_reading, read_file_inputs

    if not needs_reading(alg, inputs):
        return alg.run(values, inputs, progress)
    whole = read_file_inputs(alg, inputs, progress.sub(0.0, 0.1))
    return alg.run(values, whole, progress.sub(0.1, 1.0))


def _run_writing(parent: QWidget | None, alg: Algorithm, out: OutputFile, values: ParamValues,
                 inputs: dict[str, Any], path: Path, on_done=None, **task_kw) -> TaskHandle:
    """The run and the writing of its file or folder in one task (each with its share of the bar)."""
    import dataclasses

    written = 1.0 - out.writing_share

    def work(progress):
        result = _run(alg, values, inputs, progress.sub(0.0, written))
        summary, _lines = out.write_output(result, path, values, progress.sub(written, 1.0))
        return dataclasses.replace(result, summary=summary)

    def done(result) -> None:
        if isinstance(parent, QMainWindow):
            parent.statusBar().showMessage(" ".join(alg.describe(result.summary)[:1]) or str(path), 30000)
        if on_done is not None:
            on_done(result)

    return run_task(parent, alg.title(ui_lang()), work, done, **task_kw)


def use_park(workspace, park, inputs: dict[str, Any]) -> None:
    """Make ``park`` the project's park; the layers it was made from give way to its role layers
    (which keep every attribute), so that the map does not show each feature twice."""
    from app.park_parquet import by_view, keep_file_layers

    used = {id(item.gdf) for v in inputs.values() for item in (v if isinstance(v, list) else [v])
            if item is not None}
    with workspace.quiet():
        for lyr in list(workspace.layers()):  # a file read by view stays: the park is a part of it
            if id(lyr.gdf) in used and lyr.name not in park.layers() and not by_view(lyr):
                workspace.remove_layer(lyr)
        keep_file_layers(workspace, park.layers())
    workspace.set_park(park)


def add_result_layers(workspace, output) -> None:
    """Put an :class:`~app.processing.algorithm.AlgorithmOutput`'s layers on the map and its summary
    into the workspace's summary under the algorithm's :attr:`~Algorithm.summary_key` (its id when
    it declares none: a sinks run must not replace the park's carbon account)."""
    from app.processing.registry import algorithm

    for name, gdf in output.layers.items():
        if type(gdf) is pd.DataFrame:  # a plain table (the unplaced enterprises) is in the summary
            continue
        workspace.put_result_layer(name, gdf)
    outputs = getattr(workspace, "outputs", None)
    if isinstance(outputs, dict):  # the typed result for panels that draw more than the summary
        outputs[output.algorithm] = output
    summary = dict(workspace.summary or {})
    summary[algorithm(output.algorithm).summary_key or output.algorithm] = output.summary
    workspace.set_summary(summary)


def open_algorithm(parent: QWidget | None, workspace, alg: Algorithm) -> TaskHandle | None:
    """Show the dialog; run the algorithm when the user accepts."""
    dialog = AlgorithmDialog(alg, workspace, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return run_algorithm(parent, workspace, alg, dialog.values(), dialog.inputs(),
                         output=dialog.output_path())
