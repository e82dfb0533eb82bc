"""The main window: map canvas, layer tree, attribute table, dashboard, identify results, menus,
map toolbar and status bar, on one :class:`app.workspace.Workspace`.

Menus: File (new, open, open recent, save, save as, add data, export, report, quit), Edit (undo
and redo of layer-tree edits, :mod:`app.gui.undo`), View (zoom, panels), Layer (attribute table,
zoom to layer, remove, new group, style), Analysis (helper D's :mod:`app.gui.analyses`),
Settings, Help. Every text goes through ``tr()`` and is set again in
:meth:`MainWindow.retranslate_ui` when the language changes (live switch).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.gui.attribute_table import AttributeTable, format_value
from app.gui.dashboard import Dashboard
from app.gui.i18n import ui_lang
from app.gui.icons import app_icon, icon
from app.gui.layer_panel import LayerPanel
from app.gui.settings import AppSettings, notifier

MAX_IDENTIFY_FEATURES = 50
"""Identify lists at most this many features (a click on a dense area can hit many)."""


class IdentifyPanel(QWidget):
    """Attributes of identified features: layer → feature → field / value."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #606060;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.hint)
        lay.addWidget(self.tree)
        self.layer, self.rows = None, []
        self.raster_values: list = []
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.tree.setHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.show_features(self.layer, self.rows, self.raster_values)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def show_features(self, layer, rows: list, raster_values: list | None = None) -> None:
        """The attributes of ``rows`` of ``layer`` and, after them, the cell values of raster
        layers under the click (``raster_values``: (RasterLayer, value) pairs, top first)."""
        self.layer, self.rows = layer, list(rows or [])
        self.raster_values = list(raster_values or [])
        self.tree.clear()
        self._show_raster_values()
        if layer is None or not self.rows:
            if not self.raster_values:
                self.hint.setText(self.tr("Choose the Identify tool and click a feature on the map."))
            else:
                self.hint.setText(self.tr("Raster values under the click"))
            return
        gdf = layer.gdf
        geom = getattr(gdf, "active_geometry_name", None)
        shown = self.rows[:MAX_IDENTIFY_FEATURES]
        more = len(self.rows) - len(shown)
        self.hint.setText(self.tr("{0}: {1} features").format(layer.title, len(self.rows))
                          + (self.tr(" (first {0} shown)").format(len(shown)) if more else ""))
        for r in shown:
            row = gdf.iloc[int(r)]
            top = QTreeWidgetItem([self.tr("Feature {0}").format(gdf.index[int(r)]), ""])
            for col in gdf.columns:
                if col == geom:
                    geo = row[col]
                    text = getattr(geo, "geom_type", "") if geo is not None else ""
                    QTreeWidgetItem(top, [self.tr("geometry"), text])
                    continue
                v = row[col]
                kind = gdf[col].dtype.kind
                QTreeWidgetItem(top, [str(col), format_value(v, kind)])
            self.tree.addTopLevelItem(top)
            top.setExpanded(len(shown) <= 3)

    def _show_raster_values(self) -> None:
        for layer, value in self.raster_values:
            if isinstance(value, list):  # an RGB(A) image
                text = ", ".join(str(v) for v in value)
            else:
                text = format_value(value, "f" if isinstance(value, float) else "i")
            item = QTreeWidgetItem([layer.title, text])
            item.setToolTip(0, self.tr("Raster layer {0}").format(layer.name))
            self.tree.addTopLevelItem(item)


class MainWindow(QMainWindow):
    """The Lingtan main window on ``workspace`` (a new empty one when None)."""

    def __init__(self, workspace=None) -> None:
        super().__init__()
        from app.workspace import Workspace

        self.settings = AppSettings()
        self.workspace = workspace if workspace is not None else Workspace(lang=ui_lang())
        self._tree = None
        self._ws_unsubscribe = None
        self.tasks: list = []
        self.last_dialog = None
        self.last_error = None
        self.last_report_dialog = None
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.resize(1440, 900)

        from app.gui.canvas import MapCanvas

        self.canvas = MapCanvas(self.workspace.tree, self)
        self.setCentralWidget(self.canvas)
        self._tree = self.workspace.tree
        self.undo_stack = QUndoStack(self)
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._build_toolbars()
        self._build_status_bar()
        self._connect_canvas()
        self._bind_workspace(self.workspace)
        notifier().changed.connect(self._on_setting_changed)
        self.apply_basemap()
        self.retranslate_ui()
        self._autosave = None
        self._start_project_support()
        from app.gui.siting import install_siting

        self.siting = install_siting(self)  # the Siting dock, its map tools and its Analysis entry

    # ---------------------------------------------------------------- construction
    def _build_docks(self) -> None:
        self.layer_panel = LayerPanel(self.workspace.tree, self)
        self.layer_panel.set_undo_stack(self.undo_stack)
        area = Qt.DockWidgetArea
        self.dock_layers = self._dock("layers", self.layer_panel, area.LeftDockWidgetArea)
        self.attribute_table = AttributeTable(self, self.workspace.tree)
        self.dock_table = self._dock("attributes", self.attribute_table, area.BottomDockWidgetArea)
        self.dock_table.hide()
        self.dashboard = Dashboard(self)
        self.dock_dashboard = self._dock("dashboard", self.dashboard, area.RightDockWidgetArea)
        self.identify_panel = IdentifyPanel(self)
        self.dock_identify = self._dock("identify", self.identify_panel, area.RightDockWidgetArea)
        self.tabifyDockWidget(self.dock_dashboard, self.dock_identify)
        self.dock_dashboard.raise_()
        self.dock_identify.hide()
        self.resizeDocks([self.dock_layers, self.dock_dashboard], [270, 430], Qt.Orientation.Horizontal)
        self.layer_panel.zoom_to_layer.connect(self.canvas.zoom_to_layer)
        self.layer_panel.open_attribute_table.connect(self.open_attribute_table)
        self.layer_panel.current_layer_changed.connect(self._on_current_layer)
        self.attribute_table.zoom_to_selection_requested.connect(lambda _l: self.canvas.zoom_to_selection())

    def _dock(self, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, name: str, slot=None, icon_name: str | None = None, shortcut=None,
                checkable: bool = False) -> QAction:
        act = QAction(self)
        act.setObjectName(f"act_{name}")
        if icon_name:
            act.setIcon(icon(icon_name))
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.setCheckable(checkable)
        if slot is not None:
            act.triggered.connect(lambda _checked=False: slot())
        self.actions_by_name[name] = act
        return act

    def _build_actions(self) -> None:
        from app.gui.map_tools import create_map_actions

        self.actions_by_name: dict[str, QAction] = {}
        a = self._action
        K = QKeySequence.StandardKey
        a("new", self.new_project, "new", K.New)
        a("open", lambda: self.open_project(None), "open", K.Open)
        a("save", self.save_project, "save", K.Save)
        a("save_as", self.save_project_as, None, K.SaveAs)
        a("add_data", self.add_data, "add_data", "Ctrl+Shift+A")
        a("open_sample", self.load_demo, "run")
        a("export_layers", self.export_layers)
        a("export_png", self.export_map_image)
        a("export_web", self.export_web_map)
        a("export_all", self.export_all)
        a("report", self.export_report)
        a("quit", self.close, None, K.Quit)
        a("undo", self.undo_stack.undo, None, K.Undo)
        a("redo", self.undo_stack.redo, None)
        redo_keys = QKeySequence.keyBindings(K.Redo)  # Ctrl+Y on Windows, Ctrl+Shift+Z elsewhere
        if not any(k.toString() == "Ctrl+Shift+Z" for k in redo_keys):
            redo_keys.append(QKeySequence("Ctrl+Shift+Z"))
        self.actions_by_name["redo"].setShortcuts(redo_keys)
        self.undo_stack.canUndoChanged.connect(self.actions_by_name["undo"].setEnabled)
        self.undo_stack.canRedoChanged.connect(self.actions_by_name["redo"].setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda _t: self._undo_texts())
        self.undo_stack.redoTextChanged.connect(lambda _t: self._undo_texts())
        self.actions_by_name["undo"].setEnabled(False)
        self.actions_by_name["redo"].setEnabled(False)
        a("zoom_layer", self.zoom_to_current_layer, "zoom_layer")
        a("attribute_table", lambda: self.open_attribute_table(self.layer_panel.current_layer()), "table",
          "F6")
        a("select_by_attribute", self.select_by_attribute)
        a("remove_layer", lambda: self.layer_panel.remove_node(self.layer_panel.current_node()), "remove")
        a("add_group", lambda: self.layer_panel.add_group())
        a("default_style", self._default_style_current)
        a("analysis_pv", lambda: self._analysis("rooftop_pv"))
        a("analysis_carbon", lambda: self._analysis("carbon_accounting"))
        a("analysis_indicators", lambda: self._analysis("indicators"))
        a("analysis_intensity", lambda: self._analysis("five_colour_map"))
        a("analysis_all", lambda: self._analysis("run_all"), "run", "Ctrl+R")
        a("settings", self.show_settings, "settings", K.Preferences)
        a("lang_zh", lambda: self.set_language("zh"), checkable=True)
        a("lang_en", lambda: self.set_language("en"), checkable=True)
        group = QActionGroup(self)
        for n in ("lang_zh", "lang_en"):
            group.addAction(self.actions_by_name[n])
        a("about", self.show_about)
        a("user_guide", self.show_user_guide)
        self.map_actions = create_map_actions(self.canvas, self)
        for name, ic in (("pan", "pan"), ("zoom_in_box", "zoom_in_box"), ("identify", "identify"),
                         ("select", "select"), ("measure_distance", "measure_distance"),
                         ("measure_area", "measure_area"), ("zoom_full", "zoom_full"),
                         ("zoom_to_selection", "zoom_selection"), ("zoom_in", "zoom_in"),
                         ("zoom_out", "zoom_out"), ("clear_selection", "clear_selection")):
            if name in self.map_actions:
                self.map_actions[name].setIcon(icon(ic))

    def _build_menus(self) -> None:
        mb = self.menuBar()
        A = self.actions_by_name
        self.menu_file = mb.addMenu("")
        for n in ("new", "open"):
            self.menu_file.addAction(A[n])
        self.menu_recent = self.menu_file.addMenu("")
        self.menu_recent.aboutToShow.connect(self._fill_recent)
        for n in ("save", "save_as"):
            self.menu_file.addAction(A[n])
        self.menu_file.addSeparator()
        self.menu_file.addAction(A["add_data"])
        self.menu_file.addAction(A["open_sample"])
        self.menu_file.addSeparator()
        self.menu_export = self.menu_file.addMenu("")
        for n in ("export_layers", "export_png", "export_web", "export_all"):
            self.menu_export.addAction(A[n])
        self.menu_file.addAction(A["report"])
        self.menu_file.addSeparator()
        self.menu_file.addAction(A["quit"])

        self.menu_edit = mb.addMenu("")
        self.menu_edit.addAction(A["undo"])
        self.menu_edit.addAction(A["redo"])

        M = self.map_actions
        self.menu_view = mb.addMenu("")
        for n in ("zoom_full", "zoom_in", "zoom_out", "zoom_to_selection"):
            if n in M:
                self.menu_view.addAction(M[n])
        self.menu_view.addAction(A["zoom_layer"])
        self.menu_view.addSeparator()
        self.menu_tools = self.menu_view.addMenu("")
        for n in ("pan", "zoom_in_box", "identify", "select", "measure_distance", "measure_area"):
            if n in M:
                self.menu_tools.addAction(M[n])
        self.menu_view.addSeparator()
        self.menu_panels = self.menu_view.addMenu("")
        for d in (self.dock_layers, self.dock_table, self.dock_dashboard, self.dock_identify):
            self.menu_panels.addAction(d.toggleViewAction())

        self.menu_layer = mb.addMenu("")
        self.menu_layer.addAction(A["add_data"])
        self.menu_layer.addSeparator()
        for n in ("attribute_table", "zoom_layer"):
            self.menu_layer.addAction(A[n])
        self.menu_style = self.menu_layer.addMenu("")
        self.menu_style.aboutToShow.connect(self._fill_style_menu)
        for n in ("default_style", "remove_layer", "add_group"):
            self.menu_layer.addAction(A[n])
        self.menu_layer.addSeparator()
        self.menu_layer.addAction(A["select_by_attribute"])
        if "clear_selection" in M:
            self.menu_layer.addAction(M["clear_selection"])

        self.menu_analysis = mb.addMenu("")
        for n in ("analysis_pv", "analysis_carbon", "analysis_indicators", "analysis_intensity"):
            self.menu_analysis.addAction(A[n])
        self.menu_analysis.addSeparator()
        self.menu_analysis.addAction(A["analysis_all"])

        from app.gui.processing_menu import ProcessingMenu

        self.menu_processing = ProcessingMenu(self)
        mb.addMenu(self.menu_processing)
        self.menu_settings = mb.addMenu("")
        self.menu_settings.addAction(A["settings"])
        self.menu_language = self.menu_settings.addMenu("")
        self.menu_language.addAction(A["lang_zh"])
        self.menu_language.addAction(A["lang_en"])

        self.menu_help = mb.addMenu("")
        self.menu_help.addAction(A["user_guide"])
        self.menu_help.addAction(A["about"])

    def _build_toolbars(self) -> None:
        A, M = self.actions_by_name, self.map_actions
        self.toolbar_file = QToolBar(self)
        self.toolbar_file.setObjectName("toolbar_file")
        self.toolbar_file.setIconSize(QSize(22, 22))
        for n in ("new", "open", "save", "add_data"):
            self.toolbar_file.addAction(A[n])
        self.toolbar_file.addSeparator()
        self.toolbar_file.addAction(A["analysis_all"])
        self.addToolBar(self.toolbar_file)
        self.toolbar_map = QToolBar(self)
        self.toolbar_map.setObjectName("toolbar_map")
        self.toolbar_map.setIconSize(QSize(22, 22))
        for n in ("pan", "zoom_in_box", "identify", "select", "measure_distance", "measure_area"):
            if n in M:
                self.toolbar_map.addAction(M[n])
        self.toolbar_map.addSeparator()
        for n in ("zoom_full", "zoom_in", "zoom_out", "zoom_to_selection"):
            if n in M:
                self.toolbar_map.addAction(M[n])
        self.toolbar_map.addAction(A["zoom_layer"])
        if "clear_selection" in M:
            self.toolbar_map.addAction(M["clear_selection"])
        self.toolbar_map.addSeparator()
        self.toolbar_map.addAction(A["attribute_table"])
        self.addToolBar(self.toolbar_map)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.status_coords = QLabel()
        self.status_scale = QLabel()
        self.status_crs = QLabel()
        self.status_render = QLabel()
        self.status_progress = QProgressBar()
        self.status_progress.setRange(0, 1000)
        self.status_progress.setMaximumWidth(180)
        self.status_progress.setTextVisible(True)
        self.status_progress.hide()
        for w in (self.status_coords, self.status_scale, self.status_crs, self.status_render):
            w.setStyleSheet("padding: 0 6px;")
        self.status_coords.setMinimumWidth(260)
        sb.addPermanentWidget(self.status_progress)
        sb.addPermanentWidget(self.status_coords)
        sb.addPermanentWidget(self.status_scale)
        sb.addPermanentWidget(self.status_crs)
        sb.addPermanentWidget(self.status_render)

    def _connect_canvas(self) -> None:
        c = self.canvas
        c.coordinates_changed.connect(self.status_coords.setText)
        c.scale_changed.connect(self._on_scale)
        c.crs_changed.connect(self._on_crs)
        c.render_finished.connect(self._on_render)
        c.identified.connect(self._on_identified)
        c.measured.connect(self._on_measured)
        c.status_message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        c.render_failed.connect(lambda m: self.statusBar().showMessage(m, 10000))
        c.installEventFilter(self)  # the click position of identify, for raster values
        self._identify_at = None

    def eventFilter(self, obj, event) -> bool:
        if obj is self.canvas and event.type() in (QEvent.Type.MouseButtonPress,
                                                    QEvent.Type.MouseButtonRelease):
            pos = event.position()
            self._identify_at = (pos.x(), pos.y())
        return super().eventFilter(obj, event)

    def raster_values_at(self, px: float, py: float) -> list:
        """(layer, value) of the visible raster layers under canvas pixel (px, py), top first
        (:meth:`RasterLayer.value_at` in the map CRS; cells without data are left out)."""
        x, y = self.canvas.to_map(px, py)
        crs = self.canvas.crs()
        out = []
        for layer in reversed(self.workspace.tree.visible_layers()):
            if getattr(layer, "kind", None) != "raster":
                continue
            try:
                v = layer.value_at(x, y, crs)
            except Exception:  # a CRS pyproj cannot transform: no value, not an error
                v = None
            if v is not None:
                out.append((layer, v))
        return out

    # ---------------------------------------------------------------- workspace
    def _bind_workspace(self, ws) -> None:
        if self._ws_unsubscribe is not None:
            self._ws_unsubscribe()
        self.workspace = ws
        self.undo_stack.clear()  # the steps hold the previous workspace's layers
        unsub = ws.changed.connect(self._on_workspace_changed)
        self._ws_unsubscribe = unsub if callable(unsub) else (
            lambda: ws.changed.disconnect(self._on_workspace_changed))
        self._bind_tree()
        self.dashboard.set_summary(ws.summary)
        crs = ws.map_crs() if hasattr(ws, "map_crs") else None
        if crs is not None:
            self.canvas.set_crs(crs)
            self.canvas.zoom_full()
        self._on_crs(self.canvas.crs())
        self._update_title()
        self.notify_missing_layers(ws)

    def notify_missing_layers(self, ws) -> None:
        """Say so when an opened project names layers whose data it does not hold (a raster's
        GeoTIFF left behind when the project was copied, an older file's raster layers)."""
        missing = list(getattr(ws, "missing_layers", None) or [])
        self.last_notice = None
        if not missing:
            return
        text = self.tr("{0} layer(s) of this project could not be opened (their data are missing): "
                       "{1}").format(len(missing), ", ".join(missing))
        self.last_notice = text
        self.statusBar().showMessage(text, 60000)

    def _bind_tree(self) -> None:
        """Follow the workspace's tree (a project load may replace it)."""
        tree = self.workspace.tree
        if tree is self._tree and self.canvas.tree is tree:
            return
        from app.gui.canvas import MapCanvas

        self.undo_stack.clear()
        old = self.canvas
        old.shutdown()
        self.canvas = MapCanvas(tree, self)
        self.setCentralWidget(self.canvas)
        old.deleteLater()
        self._tree = tree
        self.layer_panel.set_tree(tree)
        self.attribute_table.tree = tree
        self.attribute_table.set_layer(None)
        self.attribute_table.refresh_layers()
        self._connect_canvas()
        if hasattr(self, "map_actions"):
            self._rebuild_map_actions()
        self.apply_basemap()

    def _rebuild_map_actions(self) -> None:
        from app.gui.map_tools import create_map_actions

        old = self.map_actions
        new = create_map_actions(self.canvas, self)
        for name, act in old.items():
            if name in new:
                new[name].setIcon(act.icon())
                for w in act.associatedObjects():
                    if isinstance(w, (QMenu, QToolBar)):
                        w.insertAction(act, new[name])
                        w.removeAction(act)
        self.map_actions = new
        self.retranslate_ui()

    def set_workspace(self, ws) -> None:
        """Show another workspace (a project was opened or a new one started)."""
        self._bind_workspace(ws)

    def _on_workspace_changed(self, ws, what: str) -> None:
        if ws is not self.workspace:
            return
        if what == "layers":
            if ws.tree is not self._tree:
                self._bind_tree()
            self.attribute_table.refresh_layers()
        elif what == "results":
            self.undo_stack.clear()  # result layers were replaced: old steps would bring back stale ones
            self.dashboard.set_summary(ws.summary)
        elif what == "park":
            self.undo_stack.clear()
            crs = ws.map_crs()
            if crs is not None:
                self.canvas.set_crs(crs)
            QTimer.singleShot(0, self.canvas.zoom_full)
        elif what in ("path", "dirty"):
            self._update_title()

    def _update_title(self) -> None:
        name = self.workspace.title if hasattr(self.workspace, "title") else ""
        base = self.tr("Lingtan · zero-carbon park planning")
        self.setWindowTitle(f"{name}[*] — {base}" if name else f"{base}[*]")
        self.setWindowModified(bool(getattr(self.workspace, "dirty", False)))

    # ---------------------------------------------------------------- status bar
    def _on_scale(self, denominator: float) -> None:
        self.status_scale.setText(self.tr("Scale 1:{0:,.0f}").format(denominator) if denominator else "")

    def _on_crs(self, crs) -> None:
        from gis.crs import crs_label

        text = crs_label(crs) if crs is not None else self.tr("no CRS")
        self.status_crs.setText(text if len(text) < 48 else text[:46] + "…")
        self.status_crs.setToolTip(crs_label(crs) if crs is not None else "")

    def _on_render(self, ms: float) -> None:
        self.status_render.setText(self.tr("Render {0} ms").format(f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"))

    def _on_identified(self, layer, rows: list) -> None:
        at = getattr(self, "_identify_at", None)
        rasters = self.raster_values_at(*at) if at is not None else []
        self.identify_panel.show_features(layer, rows, rasters)
        if layer is not None or rasters:
            self.dock_identify.show()
            self.dock_identify.raise_()

    def _on_measured(self, value: float, kind: str) -> None:
        from app.gui.map_tools import format_area, format_length

        text = format_area(value) if kind == "area" else format_length(value)
        label = self.tr("Area: {0}") if kind == "area" else self.tr("Distance: {0}")
        self.statusBar().showMessage(label.format(text), 30000)

    def select_by_attribute(self) -> None:
        """Layer → Select by Attribute… on the layer current in the layer panel."""
        from app.gui.select_dialog import select_by_attribute

        layer = self.layer_panel.current_layer()
        if layer is None or not hasattr(layer, "gdf"):
            self.statusBar().showMessage(self.tr("Choose a vector layer in the layer panel first"), 5000)
            return
        n = select_by_attribute(self, layer)
        if n is not None:
            self.statusBar().showMessage(self.tr("{0} features selected").format(f"{n:,}"), 10000)

    def _on_current_layer(self, layer) -> None:
        if hasattr(self.canvas, "set_active_layer"):
            self.canvas.set_active_layer(layer if layer is not None and hasattr(layer, "gdf") else None)

    def track_task(self, handle) -> None:
        """Show a task's progress in the status bar until it ends."""
        if handle is None:
            return
        self.tasks.append(handle)
        bar = self.status_progress
        bar.setValue(0)
        bar.setFormat(f"{handle.title} %p%")
        bar.show()

        def progressed(f: float, _msg: str) -> None:
            bar.setValue(round(f * 1000))

        def finished(_state: str) -> None:
            if handle in self.tasks:
                self.tasks.remove(handle)
            if not self.tasks:
                bar.hide()

        handle.progressed.connect(progressed)
        handle.finished.connect(finished)
        if getattr(handle, "state", "running") != "running":
            finished(handle.state)

    # ---------------------------------------------------------------- text
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_edit.setTitle(self.tr("&Edit"))
        self.menu_recent.setTitle(self.tr("Open &Recent"))
        self.menu_export.setTitle(self.tr("&Export"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_tools.setTitle(self.tr("Map Tools"))
        self.menu_panels.setTitle(self.tr("Panels"))
        self.menu_style.setTitle(self.tr("Style of the Current Layer"))
        self.menu_layer.setTitle(self.tr("&Layer"))
        self.menu_analysis.setTitle(self.tr("&Analysis"))
        self.menu_processing.retranslate()
        self.menu_settings.setTitle(self.tr("&Settings"))
        self.menu_language.setTitle(self.tr("Language"))
        self.menu_help.setTitle(self.tr("&Help"))
        texts = {
            "new": (self.tr("&New Project"), self.tr("Start an empty project")),
            "open": (self.tr("&Open Project…"), self.tr("Open a Lingtan project (.lingtan.gpkg)")),
            "save": (self.tr("&Save"), self.tr("Save the project")),
            "save_as": (self.tr("Save &As…"), self.tr("Save the project under another name")),
            "add_data": (self.tr("&Add Data…"),
                         self.tr("Add Shapefile, GeoPackage, GeoJSON, KML, DXF, CSV or Excel data "
                                 "(or drop files on the window)")),
            "open_sample": (self.tr("Open the Sample Park"),
                            self.tr("Load the sample park and run all analyses")),
            "export_layers": (self.tr("Layers (Shapefile, GeoPackage, GeoJSON, CSV)…"), ""),
            "export_png": (self.tr("Map Image (PNG)…"), ""),
            "export_web": (self.tr("Web Map (HTML)…"), ""),
            "export_all": (self.tr("All Results…"), ""),
            "report": (self.tr("&Report (PDF)…"), self.tr("Write the planning report as a PDF")),
            "quit": (self.tr("&Quit"), ""),
            "zoom_layer": (self.tr("Zoom to &Layer"),
                           self.tr("Zoom to the layer selected in the layer panel")),
            "attribute_table": (self.tr("Open &Attribute Table"),
                                self.tr("Attribute table of the selected layer")),
            "select_by_attribute": (self.tr("Select by A&ttribute…"),
                                    self.tr("Select the features that meet a condition")),
            "remove_layer": (self.tr("&Remove Layer or Group"), ""),
            "add_group": (self.tr("Add &Group"), ""),
            "default_style": (self.tr("Default &Style"), self.tr("Restore the layer's default style")),
            "analysis_pv": (self.tr("Rooftop &PV…"), self.tr("Rooftop PV potential of every building")),
            "analysis_carbon": (self.tr("&Carbon Accounting and Sinks…"),
                                self.tr("Emissions, sinks and carbon balance")),
            "analysis_indicators": (self.tr("Zero-carbon &Indicators…"),
                                    self.tr("Check the zero-carbon park indicators")),
            "analysis_intensity": (self.tr("&Five-colour Township Map…"),
                                   self.tr("Township carbon intensity in five classes")),
            "analysis_all": (self.tr("Run &All Analyses…"),
                             self.tr("Rooftop PV, carbon accounting, indicators and the five-colour map")),
            "settings": (self.tr("&Settings…"),
                         self.tr("Language, units, emission factors, network, PV modules")),
            "lang_zh": ("中文", ""),
            "lang_en": ("English", ""),
            "about": (self.tr("&About Lingtan"), ""),
            "user_guide": (self.tr("User &Guide"), ""),
        }
        for name, (text, tip) in texts.items():
            act = self.actions_by_name[name]
            act.setText(text)
            act.setToolTip(tip or text.replace("&", "").rstrip("…"))
            act.setStatusTip(tip)
        self._undo_texts()
        lang = ui_lang()
        self.actions_by_name["lang_zh"].setChecked(lang == "zh")
        self.actions_by_name["lang_en"].setChecked(lang == "en")
        self._retranslate_map_actions()
        self.dock_layers.setWindowTitle(self.tr("Layers"))
        self.dock_table.setWindowTitle(self.tr("Attribute Table"))
        self.dock_dashboard.setWindowTitle(self.tr("Dashboard"))
        self.dock_identify.setWindowTitle(self.tr("Identify Results"))
        self.toolbar_file.setWindowTitle(self.tr("Project"))
        self.toolbar_map.setWindowTitle(self.tr("Map"))
        self._on_crs(self.canvas.crs())
        if self.canvas.last_render_ms is not None:
            self._on_render(self.canvas.last_render_ms)
        if hasattr(self.canvas, "scale") and self.canvas.extent() is not None:
            s = self.canvas.scale()
            if s:
                self._on_scale(s)
        self._update_title()

    def _undo_texts(self) -> None:
        """"Undo Remove Buildings" / "Redo …": the next step's text in the menu item."""
        st = self.undo_stack
        try:
            texts = (st.undoText(), st.redoText())
        except RuntimeError:  # the stack is going with the window
            return
        for name, label, what in (("undo", self.tr("&Undo"), texts[0]), ("redo", self.tr("&Redo"), texts[1])):
            act = self.actions_by_name[name]
            act.setText(f"{label} {what}" if what else label)
            act.setToolTip(act.text().replace("&", ""))

    def _retranslate_map_actions(self) -> None:
        from PySide6.QtCore import QCoreApplication

        def tr(text: str) -> str:
            return QCoreApplication.translate("MapActions", text)

        texts = {"pan": tr("Pan"), "zoom_in_box": tr("Zoom to Box"), "identify": tr("Identify Features"),
                 "select": tr("Select Features"), "measure_distance": tr("Measure Distance"),
                 "measure_area": tr("Measure Area"), "zoom_full": tr("Zoom Full"),
                 "zoom_to_selection": tr("Zoom to Selection"), "zoom_in": tr("Zoom In"),
                 "zoom_out": tr("Zoom Out"), "clear_selection": tr("Clear Selection")}
        for name, text in texts.items():
            if name in self.map_actions:
                self.map_actions[name].setText(text)
                self.map_actions[name].setToolTip(text)

    # ---------------------------------------------------------------- language and settings
    def set_language(self, lang: str) -> None:
        """Switch the UI (and the layer titles) to "zh" or "en" now, and remember it."""
        from app.gui.i18n import set_language

        set_language(lang)
        self.apply_language_to_workspace(lang)

    def apply_language_to_workspace(self, lang: str) -> None:
        ws = self.workspace
        if hasattr(ws, "set_language"):
            dirty = ws.dirty
            ws.set_language(lang)
            ws.dirty = dirty  # titles in another language are not an edit of the project
        self.layer_panel.retranslate_ui()
        self.attribute_table.refresh_layers()

    def show_settings(self) -> None:
        from app.gui.settings_dialog import SettingsDialog

        dlg = SettingsDialog(self, self.settings)
        self.last_dialog = dlg
        before = ui_lang()

        def done() -> None:
            if ui_lang() != before:
                self.apply_language_to_workspace(ui_lang())

        dlg.accepted.connect(done)
        dlg.open()

    def _on_setting_changed(self, key: str) -> None:
        if key in ("map/network", "map/basemap", "map/tianditu_key", "map/basemap_url", "*"):
            self.apply_basemap()
        if key in ("ui/area_unit", "*"):
            self.dashboard.retranslate_ui()

    def apply_basemap(self) -> None:
        """The basemap of the settings (only with network use allowed)."""
        s = self.settings
        if hasattr(self.canvas, "set_network_enabled"):
            self.canvas.set_network_enabled(s.network)
        if hasattr(self.canvas, "set_basemap"):
            try:
                self.canvas.set_basemap(s.basemap_source())
            except Exception as exc:  # a bad custom URL must not stop the window
                self.statusBar().showMessage(str(exc), 10000)

    # ---------------------------------------------------------------- layers
    def open_attribute_table(self, layer=None) -> None:
        layer = layer or self.layer_panel.current_layer()
        if layer is None:
            vectors = [ly for ly in reversed(self.workspace.tree.layers()) if hasattr(ly, "gdf")]
            layer = vectors[0] if vectors else None
        if layer is None or not hasattr(layer, "gdf"):
            return
        self.attribute_table.refresh_layers()
        self.attribute_table.set_layer(layer)
        self.dock_table.show()
        self.dock_table.raise_()

    def zoom_to_current_layer(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is not None:
            self.canvas.zoom_to_layer(layer)
        else:
            self.canvas.zoom_full()

    def _fill_style_menu(self) -> None:
        self.menu_style.clear()
        layer = self.layer_panel.current_layer()
        if layer is None or not hasattr(layer, "gdf"):
            act = self.menu_style.addAction(self.tr("(choose a layer in the Layers panel)"))
            act.setEnabled(False)
            return
        self.layer_panel._style_menu(self.menu_style, layer)

    def save_window_state(self) -> None:
        """Remember the window's size and the panels' places for the next start."""
        from app.gui.settings import app_qsettings

        store = app_qsettings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())

    def restore_window_state(self) -> bool:
        from app.gui.settings import app_qsettings

        store = app_qsettings()
        geometry, state = store.value("window/geometry"), store.value("window/state")
        ok = bool(geometry) and self.restoreGeometry(geometry)
        if state:
            ok = self.restoreState(state) and ok
        if not geometry and self.screen() is not None:  # first start: fit small laptop screens
            avail = self.screen().availableGeometry()
            self.resize(min(1440, int(avail.width() * 0.92)), min(900, int(avail.height() * 0.92)))
        return bool(ok)

    def _default_style_current(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is not None and hasattr(layer, "gdf"):
            self.layer_panel.apply_default_style(layer)

    def add_data(self) -> None:
        from app.gui.open_data import add_data_dialog

        add_data_dialog(self)

    def add_read_result(self, path: Path, name: str, result, *, crs=None, layer=None, replace=None,
                        show_report: bool = True):
        """Add (or replace the data of) a layer read from ``path``; show the reader's report."""
        from app.gui.open_data import ReportDialog, make_layer

        first = not self.workspace.tree.layers()
        if replace is not None and self.workspace.tree.contains(replace):
            from layers.presets import prepare

            replace.selection = []
            replace.gdf = prepare(replace.name, result.gdf)
            new = replace
        else:
            new = make_layer(self.workspace, name, result.gdf)
            self.workspace.add_layer(new)
        if first:
            self._set_crs_for_first_layer(new)
            QTimer.singleShot(0, lambda: self.canvas.zoom_to_layer(new))
        if show_report:
            dlg = ReportDialog(self, result.report, new.title,
                               on_reread=lambda: self._reread(path, new, layer))
            self.last_report_dialog = dlg
            dlg.open()
        self.statusBar().showMessage(self.tr("Added {0} ({1:,} features)").format(new.title, len(new.gdf)),
                                     8000)
        return new

    def add_raster_result(self, path: Path, read, *, replace=None, show_report: bool = True):
        """Add the raster layer of :func:`app.gui.open_data.read_raster` (or put its grid into the
        layer it re-reads with another CRS); show the report. The first layer on an empty map sets
        the map CRS."""
        from app.gui.open_data import ReportDialog

        first = not self.workspace.tree.layers()
        new = read.layer
        if replace is not None and self.workspace.tree.contains(replace):
            replace.set_data(new.array, new.transform, new.crs, new.nodata)
            new = replace
        else:
            self.workspace.add_layer(new)
        if first:
            self._set_crs_for_first_layer(new)
            QTimer.singleShot(0, lambda: self.canvas.zoom_to_layer(new))
        if show_report:
            dlg = ReportDialog(self, read, new.title, on_reread=lambda: self._reread(path, new, None))
            self.last_report_dialog = dlg
            dlg.open()
        rows, cols = new.shape
        self.statusBar().showMessage(self.tr("Added {0} ({1:,} × {2:,} cells)").format(new.title, cols, rows),
                                     8000)
        return new

    def _reread(self, path: Path, layer, layer_name) -> None:
        from app.gui.open_data import CrsDialog, open_files

        dlg = CrsDialog(self, self.tr("Read the file again with this coordinate system:"), None, str(path))
        self.last_dialog = dlg
        dlg.accepted.connect(lambda: open_files(self, [path], crs=dlg.choice(), layer=layer_name,
                                                replace=layer))
        dlg.open()

    def _set_crs_for_first_layer(self, layer) -> None:
        """Lon/lat data alone on the map: draw it in the local metric CRS (true shapes, metres)."""
        crs = layer.crs
        if crs is None:
            return
        try:
            from pyproj import CRS

            c = CRS.from_user_input(crs)
            if c.is_geographic:
                from gis.crs import local_metric_crs

                b = layer.bounds()
                if b is not None:
                    self.canvas.set_crs(local_metric_crs((b[0] + b[2]) / 2, (b[1] + b[3]) / 2))
                    return
            self.canvas.set_crs(c)
        except Exception:
            pass

    # ---------------------------------------------------------------- drag and drop
    def dragEnterEvent(self, event) -> None:
        from app.gui.open_data import droppable

        md = event.mimeData()
        if md.hasUrls() and any(u.isLocalFile() and droppable(Path(u.toLocalFile())) for u in md.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        from app.gui.open_data import droppable, open_files

        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        paths = [p for p in paths if droppable(p)]
        if paths:
            event.acceptProposedAction()
            open_files(self, paths)

    # ---------------------------------------------------------------- analyses
    def _analysis(self, name: str):
        try:
            from app.gui import analyses
        except ImportError as exc:  # helper D's module missing: say so instead of failing silently
            QMessageBox.warning(self, self.tr("Analysis"), str(exc))
            return None
        handle = getattr(analyses, name)(self, self.workspace)
        self.track_task(handle)
        return handle

    def load_demo(self):
        """File → Open the Sample Park (and ``lingtan demo --gui``): load the sample park and run
        every analysis in one task (:func:`app.gui.analyses.open_sample`: the result layers are
        styled in the worker, so the window never freezes). The sample goes into a new workspace
        that replaces the current one when the task is done (after "save changes?"): a cancelled
        or failed load leaves the open project as it was. Returns the TaskHandle (None when the
        user cancelled the save question)."""
        from app.gui import analyses
        from app.workspace import Workspace

        if not self.maybe_save():
            return None
        ws = Workspace(lang=ui_lang())
        handle = analyses.open_sample(self, ws)

        def finished(state: str) -> None:
            if state == "done":
                self._adopt_workspace(ws)

        handle.finished.connect(finished)
        self.track_task(handle)
        return handle

    def _adopt_workspace(self, ws) -> None:
        """Show ``ws`` instead of the current workspace (whose recovery copy goes)."""
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "replace_workspace"):
            pa.replace_workspace(self, ws)
        else:
            self.set_workspace(ws)

    # ---------------------------------------------------------------- projects
    def _project_actions(self):
        try:
            from app.gui import project_actions
        except ImportError:
            return None
        return project_actions

    def _start_project_support(self) -> None:
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "install"):
            try:
                self._autosave = pa.install(self)
            except Exception as exc:  # autosave must never keep the window from opening
                self.statusBar().showMessage(str(exc), 10000)

    def offer_recovery(self) -> None:
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "offer_recovery"):
            pa.offer_recovery(self)

    def _fill_recent(self) -> None:
        self.menu_recent.clear()
        pa = self._project_actions()
        files = list(pa.recent_files()) if pa is not None and hasattr(pa, "recent_files") else []
        for f in files:
            self.menu_recent.addAction(str(f), lambda p=f: self.open_project(Path(p)))
        if not files:
            act = self.menu_recent.addAction(self.tr("(none)"))
            act.setEnabled(False)

    def new_project(self):
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "new_project"):
            return pa.new_project(self)
        if not self.maybe_save():
            return None
        from app.workspace import Workspace

        self.set_workspace(Workspace(lang=ui_lang()))
        return self.workspace

    def open_project(self, path: Path | None = None):
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "open_project"):
            return pa.open_project(self, path)
        if path is None:
            filters = self.tr("Lingtan project (*.lingtan.gpkg);;GeoPackage (*.gpkg)")
            name, _ = QFileDialog.getOpenFileName(self, self.tr("Open project"), "", filters)
            if not name:
                return None
            path = Path(name)
        from app.gui.tasks import run_task
        from app.project_file import load_project

        handle = run_task(self, self.tr("Opening {0}").format(Path(path).name),
                          lambda p: load_project(path, p, lang=ui_lang()), self.set_workspace)
        self.track_task(handle)
        return handle

    def save_project(self):
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "save_project"):
            return pa.save_project(self)
        if self.workspace.path is None:
            return self.save_project_as()
        return self._save_to(self.workspace.path)

    def save_project_as(self):
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "save_project_as"):
            return pa.save_project_as(self)
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Save project"), "park.lingtan.gpkg",
                                              self.tr("Lingtan project (*.lingtan.gpkg)"))
        return self._save_to(Path(name)) if name else None

    def _save_to(self, path: Path):
        from app.project_file import save_project

        saved = save_project(self.workspace, path)
        self.workspace.set_path(saved)
        self.workspace.mark_clean()
        return saved

    def maybe_save(self) -> bool:
        """Ask to save unsaved changes; False when the user cancelled."""
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "maybe_save"):
            return bool(pa.maybe_save(self))
        if not getattr(self.workspace, "dirty", False) or not self.workspace.tree.layers():
            return True
        box = QMessageBox.question(
            self, self.tr("Unsaved changes"), self.tr("Save the changes to the project?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel)
        if box == QMessageBox.StandardButton.Cancel:
            return False
        if box == QMessageBox.StandardButton.Save:
            return self.save_project() is not None
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        from app.gui.tasks import cancel_all

        cancel_all(2.0)
        self.save_window_state()
        self.canvas.shutdown()
        pa = self._project_actions()
        if pa is not None and hasattr(pa, "on_close"):
            pa.on_close(self)
        event.accept()

    # ---------------------------------------------------------------- exports
    def _message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    def _unavailable(self, what: str) -> None:
        QMessageBox.information(self, what, self.tr("This export is not available in this version."))

    def _vector_layers(self, visible_only: bool = True) -> list:
        tree = self.workspace.tree
        layers = tree.visible_layers() if visible_only else tree.layers()
        return [ly for ly in layers if hasattr(ly, "gdf")]

    def _need_layers(self) -> bool:
        if self._vector_layers(False):
            return True
        QMessageBox.information(self, self.tr("Nothing to export"), self.tr("Open a park or add data first."))
        return False

    def _run(self, title: str, fn, done_text: str):
        from app.gui.tasks import run_task

        handle = run_task(self, title, fn, lambda _r: self._message(done_text))
        self.track_task(handle)
        return handle

    def export_report(self, name: str | None = None):
        """The PDF planning report (app.report) in the UI language."""
        try:
            from app.report import build_report
        except ImportError:
            return self._unavailable(self.tr("Report"))
        if not self.workspace.summary:
            QMessageBox.information(self, self.tr("Report"), self.tr("Run the analyses first."))
            return None
        if name is None:
            name, _ = QFileDialog.getSaveFileName(self, self.tr("Report (PDF)"), "report.pdf", "PDF (*.pdf)")
            if not name:
                return None
        ws = self.workspace
        if ws.results is not None:
            source = ws.results
        else:  # the saved summary and the vector layers (raster layers are not in the report)
            data = dict(ws.park.layers()) if ws.park is not None else {}
            data.update({ly.name: ly.gdf for ly in self._vector_layers(False)})
            source = (ws.summary, data)
        lang = ui_lang()
        return self._run(self.tr("Writing the report"), lambda p: build_report(source, name, lang, p),
                         self.tr("Report written: {0}").format(name))

    def export_layers(self, folder: str | None = None, fmt: str | None = None, encoding: str | None = None,
                      visible_only: bool | None = None):
        """The layers of the map into a folder as Shapefiles, one GeoPackage, GeoJSON or CSV files."""
        try:
            from app.exports import write_csv, write_geojson, write_geopackage, write_shapefiles
        except ImportError:
            return self._unavailable(self.tr("Export"))
        if not self._need_layers():
            return None
        if folder is None:
            dlg = ExportLayersDialog(self)
            if dlg.exec() != ExportLayersDialog.DialogCode.Accepted:
                return None
            folder, fmt, encoding, visible_only = dlg.values()
        layers = self._vector_layers(bool(visible_only))
        out = Path(folder)
        data = {ly.name: ly.gdf for ly in layers}
        styles = {ly.name: ly.style for ly in layers}

        def work(progress):
            out.mkdir(parents=True, exist_ok=True)
            if fmt == "gpkg":
                return write_geopackage(out / "layers.gpkg", data, styles)
            for i, (name, gdf) in enumerate(data.items()):
                progress.report(i / max(len(data), 1), name)
                if fmt == "shp":
                    write_shapefiles(gdf, out / f"{name}.shp", encoding or "utf-8", layer=name)
                elif fmt == "geojson":
                    write_geojson(gdf, out / f"{name}.geojson")
                else:
                    write_csv(gdf, out / f"{name}.csv", layer=name, lang=ui_lang())
            return out

        return self._run(self.tr("Exporting layers"), work, self.tr("Exported to {0}").format(out))

    def export_map_image(self, path: str | None = None):
        """The visible layers as a PNG map with title, legend, north arrow and scale bar."""
        try:
            from app.exports import export_png
        except ImportError:
            return self._unavailable(self.tr("Map image"))
        if not self._need_layers():
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Map image"), "map.png", "PNG (*.png)")
            if not path:
                return None
        layers = self._vector_layers(True)
        title = (self.workspace.summary.get("park") or {}).get("name") or self.workspace.title or None
        extent = self.canvas.extent()
        crs = self.canvas.crs()
        lang = ui_lang()

        def work(progress):
            ext = extent
            if ext is not None and layers and crs is not None and layers[0].crs is not None \
                    and layers[0].crs != crs:
                ext = None  # the image takes the first layer's CRS: fit the layers instead
            return export_png(layers, path, 2400, 1600, 200, title, lang, extent=ext, progress=progress)

        return self._run(self.tr("Map image"), work, self.tr("Map image written: {0}").format(path))

    def export_web_map(self, path: str | None = None):
        """The visible layers as an interactive HTML map that works offline (no basemap)."""
        try:
            from app.exports import write_web_map
        except ImportError:
            return self._unavailable(self.tr("Web map"))
        if not self._need_layers():
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Web map"), "map.html", "HTML (*.html)")
            if not path:
                return None
        layers = self._vector_layers(True)
        fit = "boundary" if any(ly.name == "boundary" for ly in layers) else None
        lang = ui_lang()
        return self._run(self.tr("Web map"), lambda _p: write_web_map(layers, path, None, lang, fit=fit),
                         self.tr("Web map written: {0}").format(path))

    def export_all(self, folder: str | None = None):
        """Every export of the analysed park (lingtan export) into a folder."""
        try:
            from app.exports import export_all
        except ImportError:
            return self._unavailable(self.tr("Export"))
        results = self.workspace.results
        if results is None:  # a reopened project: its saved summary and layers, as lingtan export
            from app.exports.export_all import saved_results

            results = saved_results(self.workspace)
        if results is None:
            QMessageBox.information(self, self.tr("Export"), self.tr("Run the analyses first."))
            return None
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, self.tr("Export all results to folder"))
            if not folder:
                return None
        lang = ui_lang()
        return self._run(self.tr("Exporting results"),
                         lambda p: export_all(results, Path(folder), None, progress=p, lang=lang),
                         self.tr("Exported to {0}").format(folder))

    # ---------------------------------------------------------------- help
    def show_about(self) -> None:
        text = self.tr(
            "<h3>零碳 Lingtan {0}</h3>"
            "<p>Desktop GIS for zero-carbon industrial-park planning: rooftop PV potential, carbon "
            "accounting and sinks, the zero-carbon park indicators and the five-colour township "
            "carbon-intensity map.</p>"
            "<p><b>Data sources</b>: emission factors from the national GHG accounting guidelines and "
            "the published national grid factors (resources/factors); sink factors from provincial "
            "LULUCF accounts and Nowak et al. 2013 (resources/factors/sink_factors.csv); solar "
            "climatology from the CSWD typical-year data (resources/solar); storey heights and roof "
            "classes from Chinese building codes and practice (resources/defaults); indicators from "
            "the national zero-carbon park indicator system (trial, 2025). Basemaps (only with network "
            "use on): © OpenStreetMap contributors, © 天地图 Tianditu. The sample park is synthetic.</p>"
            "<p>Qt {1} · PySide6</p>").format(__version__, _qt_version())
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("About Lingtan"))
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setText(text)
        self.last_dialog = box
        box.open()

    def show_user_guide(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from gis.paths import resources_dir

        guide = resources_dir().parent / "docs" / "gui.md"
        if guide.is_file():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide)))
        else:
            QMessageBox.information(self, self.tr("User Guide"), self.tr("The user guide is docs/gui.md."))


class ExportLayersDialog(QDialog):
    """Folder, format (Shapefile, GeoPackage, GeoJSON, CSV), Shapefile encoding, visible only."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        from app.gui.settings import app_qsettings

        self._store = app_qsettings()
        self.setWindowTitle(self.tr("Export layers"))
        self.folder = QLineEdit(str(self._store.value("paths/export", "") or Path.home()))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.format = QComboBox()
        self.format.addItem(self.tr("Shapefile (one per layer)"), "shp")
        self.format.addItem(self.tr("GeoPackage (all layers in one file, with QGIS styles)"), "gpkg")
        self.format.addItem(self.tr("GeoJSON (WGS84 longitude/latitude)"), "geojson")
        self.format.addItem(self.tr("CSV (attributes with centroid longitude/latitude)"), "csv")
        self.encoding = QComboBox()
        self.encoding.addItem(self.tr("UTF-8 (QGIS, ArcGIS Pro)"), "utf-8")
        self.encoding.addItem(self.tr("GBK (older ArcGIS / ArcMap on Chinese Windows)"), "gbk")
        self.visible_only = QCheckBox(self.tr("Visible layers only"))
        self.visible_only.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("Folder"), row)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Shapefile text encoding"), self.encoding)
        form.addRow("", self.visible_only)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.format.currentIndexChanged.connect(
            lambda _i: self.encoding.setEnabled(self.format.currentData() == "shp"))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export layers to folder"),
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)

    def values(self) -> tuple[str, str, str, bool]:
        self._store.setValue("paths/export", self.folder.text())
        return (self.folder.text(), self.format.currentData(), self.encoding.currentData(),
                self.visible_only.isChecked())


def _qt_version() -> str:
    from PySide6 import QtCore

    return QtCore.qVersion()
