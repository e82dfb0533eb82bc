"""The main window: map canvas, layer tree, attribute table, dashboard, identify results, menus,
map toolbar and status bar, on one :class:`app.workspace.Workspace`.

The window is composed of mixins, one per concern: :mod:`app.gui.window_docks` (the docks and
:meth:`add_panel`, the one way a panel — the Siting panel too — gets into the window),
:mod:`app.gui.window_actions` (actions, menus, toolbars), :mod:`app.gui.window_exports` (File →
Export, Report) and :mod:`app.gui.window_data` (Add Data, drag and drop). This module binds the
workspace, runs the status bar, projects, analyses, language and settings. Every text goes through
``tr()`` and is set again in :meth:`MainWindow.retranslate_ui` when the language changes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QProgressBar

from app import __version__
from app.gui import analyses, project_actions
from app.gui.energy_panel import install_energy_panel
from app.gui.five_colour_panel import install_five_colour_panel
from app.gui.i18n import pick, ui_lang
from app.gui.icons import app_icon
from app.gui.parquet_layer import bind_workspace
from app.gui.pathways_panel import install_pathways_panel
from app.gui.settings import AppSettings, notifier
from app.gui.siting import install_siting
from app.gui.start_page import StartPage
from app.gui.toolbox_dialog import install_toolbox
from app.gui.trends_panel import install_trends_panel
from app.gui.window_actions import WindowActions
from app.gui.window_data import WindowData
from app.gui.window_docks import PanelEntry, WindowDocks
from app.gui.window_exports import WindowExports


class MainWindow(WindowDocks, WindowActions, WindowExports, WindowData, QMainWindow):
    """The Lingtan main window on ``workspace`` (a new empty one when None). ``last_dialog``,
    ``last_report_dialog``, ``last_notice`` and ``last_error`` keep what the window showed last
    (modeless dialogs stay alive; scripts and tests read them)."""

    def __init__(self, workspace=None) -> None:
        super().__init__()
        from app.gui.canvas import MapCanvas
        from app.workspace import Workspace

        self.settings = AppSettings()
        self.workspace = workspace if workspace is not None else Workspace(lang=ui_lang())
        self._tree = self.workspace.tree
        self._ws_unsubscribe = None
        self._identify_at: tuple[float, float] | None = None
        self._autosave = None
        self.tasks: list = []
        self.last_dialog = None
        self.last_error = None
        self.last_report_dialog = None
        self.last_notice: str | None = None
        self.panels: dict[str, PanelEntry] = {}
        self.menu_panels = None
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)
        self.resize(1440, 900)

        self.canvas = MapCanvas(self.workspace.tree, self)
        self.setCentralWidget(self.canvas)
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
        self._start_project_support()
        self.siting = install_siting(self)  # the Siting dock, its map tools and its Analysis entry
        self.energy = install_energy_panel(self)  # the Energy dock and Analysis → Hour-by-hour energy…
        self.trends = install_trends_panel(self)  # the Trends dock (years, carbon-flow Sankey)
        self.pathways = install_pathways_panel(self)  # the Pathways dock 路径 (scenarios to 2060, MACC)
        self.toolbox_action = install_toolbox(self)  # Analysis → 企业能源工具箱…, right-click on enterprises
        self.five_colour = install_five_colour_panel(self)  # the Five-colour dock (years, drill-down)

    # ---------------------------------------------------------------- status bar and canvas
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
        c.home_layer = lambda: self.workspace.layer("boundary")
        c.coordinates_changed.connect(self.status_coords.setText)
        c.scale_changed.connect(self._on_scale)
        c.crs_changed.connect(self._on_crs)
        c.render_finished.connect(self._on_render)
        c.identified.connect(self._on_identified)
        c.measured.connect(self._on_measured)
        c.tool_changed.connect(self._on_tool_changed)
        c.status_message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        c.render_failed.connect(lambda m: self.statusBar().showMessage(m, 10000))
        c.installEventFilter(self)  # the click position of identify, for raster values
        self._identify_at = None
        self.start_page = StartPage(c, self.actions_by_name, project_actions.recent_files,
                                    self.open_project)
        self._update_start_page()

    def _update_start_page(self) -> None:
        """The start page over the map while it has no layer (a blank white map says nothing)."""
        empty = not self.workspace.tree.layers()
        if empty and not self.start_page.isVisible():
            self.start_page.refresh()
        self.start_page.setVisible(empty)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.canvas and event.type() in (QEvent.Type.MouseButtonPress,
                                                    QEvent.Type.MouseButtonRelease):
            pos = event.position()
            self._identify_at = (pos.x(), pos.y())
        return super().eventFilter(obj, event)

    # ---------------------------------------------------------------- workspace
    def _bind_workspace(self, ws) -> None:
        if self._ws_unsubscribe is not None:
            self._ws_unsubscribe()
        self.workspace = ws
        self.undo_stack.clear()  # the steps hold the previous workspace's layers
        self._ws_unsubscribe = ws.changed.connect(self._on_workspace_changed)
        self._bind_tree()
        self.dashboard.set_summary(ws.summary)
        crs = ws.map_crs()
        if crs is not None:
            self.canvas.set_crs(crs)
            self.canvas.zoom_full()
        self._on_crs(self.canvas.crs())
        self._update_title()
        self.notify_missing_layers(ws)
        bind_workspace(self, ws)  # GeoParquet layers of a project follow the map; missing files warned
        self._bind_panels()
        self._update_start_page()

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
        """Follow the workspace's tree (a project load may replace it): a new canvas on it."""
        tree = self.workspace.tree
        if tree is self._tree and self.canvas.tree is tree:
            return
        from app.gui.canvas import MapCanvas

        self.undo_stack.clear()
        old = self.canvas
        old.shutdown()
        # a new central widget has no size yet and QMainWindow hands its room to the docks
        # (the map shrank to ~50 px): keep the docks' widths as they were
        widths = [d.width() for d in (self.dock_layers, self.dock_dashboard)]
        self.canvas = MapCanvas(tree, self)
        self.setCentralWidget(self.canvas)
        docks = [self.dock_layers, self.dock_dashboard]
        QTimer.singleShot(0, lambda: self.resizeDocks(docks, widths, Qt.Orientation.Horizontal))
        old.deleteLater()
        self._tree = tree
        self.layer_panel.set_tree(tree)
        self.attribute_table.tree = tree
        self.attribute_table.set_layer(None)
        self.attribute_table.refresh_layers()
        self._connect_canvas()
        self._rebuild_map_actions()
        self.apply_basemap()
        self._bind_panels()

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
            self._update_start_page()
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
        name = self.workspace.title
        base = self.tr("Lingtan · zero-carbon park planning")
        self.setWindowTitle(f"{name}[*] — {base}" if name else f"{base}[*]")
        self.setWindowModified(bool(self.workspace.dirty))

    # ---------------------------------------------------------------- status bar
    def _on_scale(self, denominator: float) -> None:
        self.status_scale.setText(self.tr("Scale 1:{0:,.0f}").format(denominator) if denominator else "")

    def _on_crs(self, crs) -> None:
        from gis.crs import crs_label, crs_name_in

        # the CRS's name as Chinese planners call it ("… 3 度带高斯-克吕格投影 中央经线 114°E")
        text = crs_name_in(crs_label(crs), ui_lang()) if crs is not None else self.tr("no CRS")
        self.status_crs.setText(text if len(text) < 48 else text[:46] + "…")
        self.status_crs.setToolTip(text if crs is not None else "")

    def _on_render(self, ms: float) -> None:
        self.status_render.setText(self.tr("Render {0} ms").format(f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"))

    def _on_measured(self, value: float, kind: str) -> None:
        from app.gui.map_tools import format_area, format_length

        text = format_area(value) if kind == "area" else format_length(value)
        label = self.tr("Area: {0}") if kind == "area" else self.tr("Distance: {0}")
        self.statusBar().showMessage(label.format(text), 30000)

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

    # ---------------------------------------------------------------- layers
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
        self.canvas.set_active_layer(layer if layer is not None and hasattr(layer, "gdf") else None)

    def zoom_to_current_layer(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is not None:
            self.canvas.zoom_to_layer(layer)
        else:
            self.canvas.zoom_full()

    def _default_style_current(self) -> None:
        layer = self.layer_panel.current_layer()
        if layer is not None and hasattr(layer, "gdf"):
            self.layer_panel.apply_default_style(layer)

    # ---------------------------------------------------------------- text
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_edit.setTitle(self.tr("&Edit"))
        self.menu_recent.setTitle(self.tr("Open Recen&t"))
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
            "add_data": (self.tr("A&dd Data…"),
                         self.tr("Add Shapefile, GeoPackage, GeoJSON, KML, DXF, CSV or Excel data "
                                 "(or drop files on the window)")),
            "new_park": (pick("新建园区…", "New Park…"),
                         pick("由已打开的图层或文件新建园区：红线、建筑及可选的绿地、道路、水体和统计表",
                              "A park from open layers or files: red line, buildings and optional green "
                              "space, roads, water and tables")),
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
        self._retranslate_panels()
        self.toolbar_file.setWindowTitle(self.tr("Project"))
        self.toolbar_map.setWindowTitle(self.tr("Map"))
        self._on_crs(self.canvas.crs())
        if self.canvas.last_render_ms is not None:
            self._on_render(self.canvas.last_render_ms)
        if self.canvas.extent() is not None:
            s = self.canvas.scale()
            if s:
                self._on_scale(s)
        self._update_title()

    def _retranslate_map_actions(self) -> None:
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
        self.canvas.set_network_enabled(s.network)
        try:
            self.canvas.set_basemap(s.basemap_source())
        except Exception as exc:  # a bad custom URL must not stop the window
            self.statusBar().showMessage(str(exc), 10000)

    # ---------------------------------------------------------------- analyses
    def _analysis(self, name: str):
        handle = getattr(analyses, name)(self, self.workspace)
        self.track_task(handle)
        return handle

    def new_park(self):
        """File → New Park…: the wizard over the open layers (red line chosen, selected or drawn on the
        map; buildings with their field mapping; the other data); the park it makes becomes the
        project's park (app.algorithms.new_park, the same as ``lingtan park new``). Returns the
        wizard (not modal while the red line is drawn); Create Park starts a tracked task."""
        from app.gui.new_park_wizard import open_new_park

        return open_new_park(self)

    def assign_park_role(self, layer, role: str):
        """The layer tree's "Use as park layer": ``layer`` plays ``role``; the park is (re)built once
        the red line and the buildings are known (app.gui.park_roles)."""
        from app.gui.park_roles import assign_role, role_title

        handle = assign_role(self, self.workspace, layer, role)
        if handle is None:
            missing = [r for r in ("boundary", "buildings")
                       if r not in (self.workspace.settings.get("park_roles") or {})]
            self.statusBar().showMessage(
                pick(f"“{layer.title}”已设为{role_title(role, 'zh')}；还需要："
                     + "、".join(role_title(r, "zh") for r in missing),
                     f"'{layer.title}' set as {role_title(role, 'en')}; still needed: "
                     + ", ".join(role_title(r, "en") for r in missing)), 15000)
        else:
            self.track_task(handle)
        return handle

    def load_demo(self):
        """File → Open the Sample Park (and ``lingtan demo --gui``): load the sample park and run
        every analysis in one task (:func:`app.gui.analyses.open_sample`: the result layers are
        styled in the worker, so the window never freezes). The sample goes into a new workspace
        that replaces the current one when the task is done (after "save changes?"): a cancelled
        or failed load leaves the open project as it was. Returns the TaskHandle (None when the
        user cancelled the save question)."""
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
        project_actions.replace_workspace(self, ws)

    # ---------------------------------------------------------------- projects (app.gui.project_actions)
    def _start_project_support(self) -> None:
        try:
            self._autosave = project_actions.install(self)
        except Exception as exc:  # autosave must never keep the window from opening
            self.statusBar().showMessage(str(exc), 10000)

    def offer_recovery(self) -> None:
        project_actions.offer_recovery(self)

    def new_project(self):
        return project_actions.new_project(self)

    def open_project(self, path: Path | None = None):
        return project_actions.open_project(self, path)

    def save_project(self):
        return project_actions.save_project(self)

    def save_project_as(self):
        return project_actions.save_project_as(self)

    def maybe_save(self) -> bool:
        """Ask to save unsaved changes; False when the user cancelled."""
        return bool(project_actions.maybe_save(self))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        from app.gui.tasks import cancel_all

        cancel_all(2.0)
        self.save_window_state()
        self.canvas.shutdown()
        project_actions.on_close(self)
        event.accept()

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
        """Help → User Guide: the Chinese (or English) guide with screenshots, offline."""
        from app.gui.user_guide import GuideDialog

        dlg = GuideDialog(ui_lang(), self)
        self.last_dialog = dlg
        dlg.show()


def _qt_version() -> str:
    from PySide6 import QtCore

    return QtCore.qVersion()
