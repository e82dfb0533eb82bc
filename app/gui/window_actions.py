"""The main window's actions, menus and toolbars (their texts are set in
:meth:`app.gui.main_window.MainWindow.retranslate_ui`, again on a language switch).

Menus: File (new, open, open recent, save, save as, add data, export, report, quit), Edit (undo
and redo, :mod:`app.gui.undo`), View (zoom, map tools, panels), Layer (attribute table, zoom to
layer, style, remove, new group, select by attribute), Analysis (:mod:`app.gui.analyses`; panels
add their entries), Processing (:mod:`app.gui.processing_menu`), Settings, Help.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from app.gui import project_actions
from app.gui.icons import icon

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

TOOLBAR_ICON_PX = 22
MAP_TOOLS = ("pan", "zoom_in_box", "identify", "select", "measure_distance", "measure_area")
MAP_ZOOMS = ("zoom_full", "zoom_in", "zoom_out", "zoom_to_selection")
MAP_ICONS = {"pan": "pan", "zoom_in_box": "zoom_in_box", "identify": "identify", "select": "select",
             "measure_distance": "measure_distance", "measure_area": "measure_area",
             "zoom_full": "zoom_full", "zoom_to_selection": "zoom_selection", "zoom_in": "zoom_in",
             "zoom_out": "zoom_out", "clear_selection": "clear_selection"}
"""Map action → icon name (resources/icons)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class WindowActions:
    """Actions, menus and toolbars of :class:`app.gui.main_window.MainWindow` (a mixin)."""

    actions_by_name: dict[str, QAction]
    map_actions: dict[str, QAction]

    def _action(self: MainWindow, name: str, slot=None, icon_name: str | None = None, shortcut=None,
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

    def _build_actions(self: MainWindow) -> None:
        self.actions_by_name = {}
        a = self._action
        K = QKeySequence.StandardKey
        a("new", self.new_project, "new", K.New)
        a("open", lambda: self.open_project(None), "open", K.Open)
        a("save", self.save_project, "save", K.Save)
        a("save_as", self.save_project_as, None, K.SaveAs)
        a("add_data", self.add_data, "add_data", "Ctrl+Shift+A")
        a("open_sample", self.load_demo, "run")
        a("new_park", self.new_park, "new")
        a("export_layers", self.export_layers)
        a("export_png", self.export_map_image)
        a("export_web", self.export_web_map)
        a("export_all", self.export_all)
        a("report", self.export_report)
        a("quit", self.close, None, K.Quit)
        self._build_undo_actions()
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
        self._create_map_actions()

    def _build_undo_actions(self: MainWindow) -> None:
        a = self._action
        K = QKeySequence.StandardKey
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

    def _create_map_actions(self: MainWindow) -> None:
        from app.gui.map_tools import create_map_actions

        self.map_actions = create_map_actions(self.canvas, self)
        for name, ic in MAP_ICONS.items():
            if name in self.map_actions:
                self.map_actions[name].setIcon(icon(ic))

    def _rebuild_map_actions(self: MainWindow) -> None:
        """New map actions for a new canvas, in the places of the old ones."""
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

    def _on_tool_changed(self: MainWindow, name: str) -> None:
        """A panel's tool (not one of the map actions) is on: the exclusive map-tool actions show
        none checked."""
        if name in self.map_actions:
            return
        for act in self.map_actions.values():
            if act.isCheckable() and act.isChecked():
                grp = act.actionGroup()
                policy = grp.exclusionPolicy() if grp is not None else None
                if grp is not None:
                    grp.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
                act.setChecked(False)
                if grp is not None:
                    grp.setExclusionPolicy(policy)

    def _add_map_actions(self: MainWindow, target: QMenu | QToolBar, names: tuple[str, ...]) -> None:
        for n in names:
            if n in self.map_actions:
                target.addAction(self.map_actions[n])

    # -- menus -------------------------------------------------------------------------------------
    def _build_menus(self: MainWindow) -> None:
        self._build_file_menu()
        A = self.actions_by_name
        mb = self.menuBar()
        self.menu_edit = mb.addMenu("")
        self.menu_edit.addAction(A["undo"])
        self.menu_edit.addAction(A["redo"])
        self._build_view_menu()
        self._build_layer_menu()
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

    def _build_file_menu(self: MainWindow) -> None:
        A = self.actions_by_name
        self.menu_file = self.menuBar().addMenu("")
        for n in ("new", "open"):
            self.menu_file.addAction(A[n])
        self.menu_recent = self.menu_file.addMenu("")
        self.menu_recent.aboutToShow.connect(self._fill_recent)
        for n in ("save", "save_as"):
            self.menu_file.addAction(A[n])
        self.menu_file.addSeparator()
        self.menu_file.addAction(A["add_data"])
        self.menu_file.addAction(A["new_park"])
        self.menu_file.addAction(A["open_sample"])
        self.menu_file.addSeparator()
        self.menu_export = self.menu_file.addMenu("")
        for n in ("export_layers", "export_png", "export_web", "export_all"):
            self.menu_export.addAction(A[n])
        self.menu_file.addAction(A["report"])
        self.menu_file.addSeparator()
        self.menu_file.addAction(A["quit"])

    def _build_view_menu(self: MainWindow) -> None:
        self.menu_view = self.menuBar().addMenu("")
        self._add_map_actions(self.menu_view, MAP_ZOOMS)
        self.menu_view.addAction(self.actions_by_name["zoom_layer"])
        self.menu_view.addSeparator()
        self.menu_tools = self.menu_view.addMenu("")
        self._add_map_actions(self.menu_tools, MAP_TOOLS)
        self.menu_view.addSeparator()
        self.menu_panels = self.menu_view.addMenu("")
        for entry in self.panels.values():
            self.menu_panels.addAction(entry.dock.toggleViewAction())

    def _build_layer_menu(self: MainWindow) -> None:
        A = self.actions_by_name
        self.menu_layer = self.menuBar().addMenu("")
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
        self._add_map_actions(self.menu_layer, ("clear_selection",))

    def _build_toolbars(self: MainWindow) -> None:
        A = self.actions_by_name
        self.toolbar_file = QToolBar(self)
        self.toolbar_file.setObjectName("toolbar_file")
        self.toolbar_file.setIconSize(QSize(TOOLBAR_ICON_PX, TOOLBAR_ICON_PX))
        for n in ("new", "open", "save", "add_data"):
            self.toolbar_file.addAction(A[n])
        self.toolbar_file.addSeparator()
        self.toolbar_file.addAction(A["analysis_all"])
        self.addToolBar(self.toolbar_file)
        self.toolbar_map = QToolBar(self)
        self.toolbar_map.setObjectName("toolbar_map")
        self.toolbar_map.setIconSize(QSize(TOOLBAR_ICON_PX, TOOLBAR_ICON_PX))
        self._add_map_actions(self.toolbar_map, MAP_TOOLS)
        self.toolbar_map.addSeparator()
        self._add_map_actions(self.toolbar_map, MAP_ZOOMS)
        self.toolbar_map.addAction(A["zoom_layer"])
        self._add_map_actions(self.toolbar_map, ("clear_selection",))
        self.toolbar_map.addSeparator()
        self.toolbar_map.addAction(A["attribute_table"])
        self.addToolBar(self.toolbar_map)

    # -- menus filled when opened, undo texts ------------------------------------------------------
    def _fill_recent(self: MainWindow) -> None:
        self.menu_recent.clear()
        files = list(project_actions.recent_files())
        for f in files:
            self.menu_recent.addAction(str(f), lambda p=f: self.open_project(Path(p)))
        if not files:
            act = self.menu_recent.addAction(tr("(none)"))
            act.setEnabled(False)

    def _fill_style_menu(self: MainWindow) -> None:
        self.menu_style.clear()
        layer = self.layer_panel.current_layer()
        if layer is None or not hasattr(layer, "gdf"):
            act = self.menu_style.addAction(tr("(choose a layer in the Layers panel)"))
            act.setEnabled(False)
            return
        self.layer_panel._style_menu(self.menu_style, layer)

    def _undo_texts(self: MainWindow) -> None:
        """"Undo Remove Buildings" / "Redo …": the next step's text in the menu item."""
        st = self.undo_stack
        try:
            texts = (st.undoText(), st.redoText())
        except RuntimeError:  # the stack is going with the window
            return
        for name, label, what in (("undo", tr("&Undo"), texts[0]), ("redo", tr("&Redo"), texts[1])):
            act = self.actions_by_name[name]
            act.setText(f"{label} {what}" if what else label)
            act.setToolTip(act.text().replace("&", ""))
