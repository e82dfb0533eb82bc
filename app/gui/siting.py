"""The Siting panel: wind turbines and ground PV arrays placed on the map, with live results.

The state and the work are the Qt-free model :class:`app.siting.SitingModel` (turbines, array
area, options, evaluation, layers, undo steps as plain data); this module and its tabs are views:
they build widgets, forward the user's actions to the model and redraw on its events.

``SitingPanel(workspace, canvas)`` is a widget with two tabs:

* **Wind** (:mod:`app.gui.siting_wind_tab`) — turbine type, wind resource, wake model and
  constraints; every edit (place, move, delete a turbine; a setting) evaluates the layout at once
  (≈ 5–20 ms for 20 turbines) and fills the table, the farm totals, the violation list and the
  layers ``turbines`` and ``wind_violations``. The status line gives the time of the whole update.
* **PV array** (:mod:`app.gui.siting_array_tab`) — an area drawn on the map or the selected
  polygons of a layer, exclusions, tilt/azimuth, GCR or the winter rule, table make-up; every edit
  lays the tables out again at once (≈ 25 ms for 10 ha); **Compute yield** runs in a background
  task (progress, Cancel).

Map tools (:mod:`app.gui.siting_tools`): ``place_turbine``, ``move_turbine``, ``delete_turbine``,
``draw_array``, registered on the canvas with ``MapCanvas.add_tool``. Every edit is a
:class:`QUndoCommand` wrapping the model's :class:`app.siting.Edit` on the main window's undo stack
or, without one, on the panel's own stack (Ctrl+Z / Ctrl+Shift+Z on the panel and the canvas).

:func:`install_siting` adds the panel to a main window through ``window.add_panel``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget, QToolBar, QVBoxLayout, QWidget

from app.gui.siting_array_tab import ArrayTab
from app.gui.siting_tools import SITING_TOOL_NAMES, make_siting_tools, tool_icon
from app.gui.siting_wind_tab import WindTab
from app.siting import Edit, SitingEnv, SitingModel
from gis.progress import Progress


def tr(text: str) -> str:
    return QCoreApplication.translate("Siting", text)


def siting_text(key: str, *args: Any) -> str:
    """The model's message ``key`` (app.siting.env.MESSAGES) in the UI language."""
    texts = {
        "needs_park": tr("The park's site climate needs a park: open one, or choose a Weibull "
                         "distribution or a file"),
        "needs_resource_file": tr("Choose a wind resource file (.tab, .csv/.xlsx sector table, .epw or "
                                  ".tif)"),
        "no_map": tr("No map yet: open a park or add data first"),
        "select_polygons": tr("Select one or more polygons of the layer first (Select tool)"),
        "needs_area": tr("Draw or choose an array area first"),
        "array_changed": tr("The array changed while its yield was computed: compute again"),
        "finding_orientation": tr("Finding the site's best tilt and azimuth…"),
        "yield_title": tr("PV array yield"),
        "place_turbine": tr("Place turbine {0}"),
        "delete_turbine": tr("Delete turbine {0}"),
        "move_turbine": tr("Move turbine {0}"),
        "set_turbines": tr("Set turbines"),
        "draw_area": tr("Draw PV array area"),
        "use_selection": tr("Use selected polygons as PV array area"),
        "clear_area": tr("Clear PV array area"),
    }
    return texts[key].format(*args)


def _error_text(exc: BaseException) -> str:
    from app.gui.tasks import error_text

    return error_text(exc)


def _app_setting(name: str, default: Any) -> Any:
    """One value of the app settings (AppSettings.<name>), or ``default``."""
    try:
        from app.gui.settings import AppSettings

        value = getattr(AppSettings(), name)
        return default if value in (None, "") else value
    except Exception:  # no settings or unreadable: the documented default
        return default


class EditCommand(QUndoCommand):
    """A model edit on a QUndoStack: ``redo`` applies ``edit.after``, ``undo`` ``edit.before``."""

    def __init__(self, model: SitingModel, edit: Edit) -> None:
        super().__init__(edit.text)
        self.model, self.edit = model, edit

    def redo(self) -> None:
        self.model.apply_edit(self.edit, True)

    def undo(self) -> None:
        self.model.apply_edit(self.edit, False)


class SitingPanel(QWidget):
    """The Siting dock's widget (see the module doc). ``undo_stack``: the main window's; None →
    the panel's own stack with Ctrl+Z / Ctrl+Shift+Z. ``show_action`` and ``toolbar`` are for the
    window (:func:`install_siting`); ``dock`` is set when the panel is docked."""

    status_changed = Signal(str)

    def __init__(self, workspace, canvas, parent: QWidget | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.workspace = None
        self.canvas = None
        self.dock = None
        self._ws_unsub: Callable[[], None] | None = None
        self.own_stack = undo_stack is None
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        env = SitingEnv(text=siting_text, error_text=_error_text, app_setting=_app_setting, run=self._run)
        self.model = SitingModel(env=env)
        self.model.record = lambda edit: self.undo_stack.push(EditCommand(self.model, edit))
        self.model.status.connect(self.show_status)
        self.model.busy.connect(self._busy)
        self.wind = self.model.wind
        self.array = self.model.array
        self.tabs = QTabWidget()
        self.wind_tab = WindTab(self)
        self.array_tab = ArrayTab(self)
        self.tabs.addTab(self.wind_tab, "")
        self.tabs.addTab(self.array_tab, "")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #455a64;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)
        self._build_actions()
        self._build_toolbar()
        self.retranslate_ui()
        self.bind(workspace, canvas)

    # -- actions -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.tool_group = QActionGroup(self)
        self.tool_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.tool_actions: dict[str, QAction] = {}
        for name in SITING_TOOL_NAMES:
            act = QAction(tool_icon(name), "", self)
            act.setObjectName(f"siting_{name}")
            act.setCheckable(True)
            act.triggered.connect(lambda checked=False, n=name: self._tool_triggered(n, checked))
            self.tool_group.addAction(act)
            self.tool_actions[name] = act
        # with the window's stack the window's Edit menu undoes siting too; own actions would
        # only duplicate the shortcuts (and keep the creation language's "Undo" prefix)
        self.undo_action: QAction | None = None
        self.redo_action: QAction | None = None
        if self.own_stack:
            self.undo_action = self.undo_stack.createUndoAction(self)
            self.redo_action = self.undo_stack.createRedoAction(self)
            self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
            redo = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)  # Ctrl+Y on Windows
            if not any(k.toString() == "Ctrl+Shift+Z" for k in redo):
                redo.append(QKeySequence("Ctrl+Shift+Z"))
            self.redo_action.setShortcuts(redo)
            for a in (self.undo_action, self.redo_action):
                a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(a)

    def _build_toolbar(self) -> None:
        """"Siting" (shows the panel) and the four tools, for a window's toolbar and menu."""
        self.show_action = QAction(self)
        self.show_action.setObjectName("act_siting")
        self.show_action.setIcon(tool_icon("siting"))
        self.toolbar = QToolBar()  # no parent: never drawn over the panel; a window adopts it
        self.toolbar.setObjectName("toolbar_siting")
        self.toolbar.addAction(self.show_action)
        self.toolbar.addSeparator()
        for act in self.tool_actions.values():
            self.toolbar.addAction(act)

    def _tool_triggered(self, name: str, checked: bool) -> None:
        if self.canvas is None:
            return
        if checked:
            self.set_tool(name)
            self.show_dock()
        elif self.canvas.tool() == name:
            self.canvas.set_tool("pan")

    def set_tool(self, name: str) -> None:
        """Make the siting tool ``name`` the canvas's tool (and show the matching tab)."""
        if self.canvas is None:
            return
        self.tabs.setCurrentWidget(self.array_tab if name == "draw_array" else self.wind_tab)
        self.canvas.set_tool(name)
        self.canvas.setFocus()

    def show_dock(self) -> None:
        if self.dock is not None:
            self.dock.show()
            self.dock.raise_()

    def _on_tool_changed(self, name: str) -> None:
        for n, act in self.tool_actions.items():
            act.setChecked(n == name)

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, tr("Wind"))
        self.tabs.setTabText(1, tr("PV array"))
        texts = {"place_turbine": (tr("Place Turbine"), tr("Click on the map to place a wind turbine")),
                 "move_turbine": (tr("Move Turbine"), tr("Drag a turbine; results follow while dragging")),
                 "delete_turbine": (tr("Delete Turbine"), tr("Click a turbine to delete it")),
                 "draw_array": (tr("Draw PV Array Area"), tr("Click the corners of a ground PV array area"))}
        for name, (text, tip) in texts.items():
            self.tool_actions[name].setText(text)
            self.tool_actions[name].setToolTip(f"{text}: {tip}")
            self.tool_actions[name].setStatusTip(tip)
        self.show_action.setText(tr("Siting: PV arrays and wind turbines"))
        self.show_action.setToolTip(tr("Place wind turbines and ground PV arrays on the map with live "
                                       "yields, wake losses and constraint checks"))
        self.toolbar.setWindowTitle(tr("Siting"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.wind.result is None and self.wind.ids:  # adopted while hidden: fill the table now
            self.wind.refresh(write=False, store=False)
        elif self.wind.model is None and self.model.park() is not None:
            self.wind.ensure_model()  # the chosen turbine's curve and the site's wind rose at once

    # -- workspace and canvas --------------------------------------------------------------------
    def bind(self, workspace, canvas) -> None:
        """Work on ``workspace`` and ``canvas`` (again whenever the window shows other ones)."""
        if canvas is not self.canvas:
            self._unbind_canvas()
            self.canvas = canvas
            self.model.set_view(canvas)
            if canvas is not None:
                for tool in make_siting_tools(canvas, self.wind, self.array).values():
                    canvas.add_tool(tool)
                canvas.tool_changed.connect(self._on_tool_changed)
                if self.own_stack:
                    canvas.addAction(self.undo_action)
                    canvas.addAction(self.redo_action)
                self._on_tool_changed(canvas.tool())
        if workspace is not self.workspace:
            if self._ws_unsub is not None:
                self._ws_unsub()
                self._ws_unsub = None
            self.workspace = workspace
            if workspace is not None:
                self._ws_unsub = workspace.changed.connect(self._on_workspace_changed)
            self.model.set_workspace(workspace)
            self.load_settings()
            self._new_park()

    def _unbind_canvas(self) -> None:
        if self.canvas is None:
            return
        try:
            self.canvas.tool_changed.disconnect(self._on_tool_changed)
        except (RuntimeError, TypeError):  # the old canvas is gone already
            pass
        if self.own_stack:
            for a in (self.undo_action, self.redo_action):
                try:
                    self.canvas.removeAction(a)
                except RuntimeError:
                    pass

    def load_settings(self) -> None:
        """The workspace's saved options into the model and the forms."""
        self.model.load_settings()
        self.wind_tab.set_options(self.wind.options)
        self.array_tab.set_options(self.array.options)

    def _new_park(self) -> None:
        self.model.new_park()
        self.fill_layer_combos()
        if self.isVisible() and self.wind.ids:
            self.wind.refresh(write=False, store=False)
        elif not self.wind.ids:
            self.wind.evaluated.emit(None)
            if self.isVisible() and self.model.park() is not None:
                self.wind.ensure_model()  # views show the turbine's curve and the wind rose
        self.array.laid_out.emit(None, 0.0)

    def _on_workspace_changed(self, ws, what: str) -> None:
        if ws is not self.workspace or self.model.writing:
            return
        if what == "park":
            self._new_park()
        elif what == "results":
            self.model.adopt()
            # after the event: the window reacts to it first (and "Run all" is still replacing layers)
            QTimer.singleShot(0, lambda ws=ws: self._after_results(ws))
        elif what == "layers":
            self.fill_layer_combos()

    def _after_results(self, ws) -> None:
        if ws is self.workspace:
            self.model.after_results(show=self.isVisible())

    def fill_layer_combos(self) -> None:
        self.wind_tab.fill_layer_combo()
        self.array_tab.fill_layer_combos()

    def from_work(self, xs, ys):
        """Work-CRS coordinates (arrays, m) into the map's CRS."""
        return self.model.frame.from_work(xs, ys)

    # -- model services: status, slow work, tasks ----------------------------------------------
    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status_changed.emit(text)

    def _busy(self, message: str | None) -> None:
        if message is None:
            QApplication.restoreOverrideCursor()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self.show_status(message)

    def _run(self, title: str, work: Callable[[Progress], Any], done: Callable[[Any], None],
             failed: Callable[[BaseException], None], cancelled: Callable[[], None],
             parent: QWidget | None = None, show_errors: bool = True):
        """The model's runner: a background task with progress and Cancel (app.gui.tasks)."""
        from app.gui.tasks import run_task

        return run_task(parent or self, title, work, done, failed, on_cancelled=cancelled,
                        show_errors=show_errors)

    def zoom_to_violation(self, k: int) -> None:
        """Zoom the map to violation row ``k`` (and select it in ``wind_violations``)."""
        res = self.wind.result
        if res is None or not 0 <= k < len(res.violations) or self.canvas is None:
            return
        geom = res.violations.geometry.iloc[k]
        if geom is None or geom.is_empty:
            return
        x0, y0, x1, y1 = geom.bounds
        d = self.wind.model.turbine.rotor_diameter_m if self.wind.model is not None else 30.0
        pad = max(3.0 * d, 30.0, 0.25 * max(x1 - x0, y1 - y0))
        xs, ys = self.from_work(np.array([x0 - pad, x1 + pad]), np.array([y0 - pad, y1 + pad]))
        self.canvas.set_extent((min(xs), min(ys), max(xs), max(ys)))
        lyr = self.workspace.layer("wind_violations")
        if lyr is not None and len(lyr.gdf) == len(res.violations):
            lyr.selection = [k]


def install_siting(window) -> SitingPanel:
    """Add the Siting panel to ``window`` (a :class:`app.gui.main_window.MainWindow`) with
    ``window.add_panel``: its dock (tabbed with the dashboard, hidden), the Analysis entry "Siting:
    PV arrays and wind turbines" and the toolbar with the four siting tools. Returns the panel."""
    panel = SitingPanel(window.workspace, window.canvas, window, undo_stack=window.undo_stack)
    panel.dock = window.add_panel(panel, "siting", Qt.DockWidgetArea.RightDockWidgetArea,
                                  title=lambda: tr("Siting"), menu_entry=panel.show_action,
                                  menu=window.menu_analysis, toolbar=panel.toolbar,
                                  tabify_with=window.dock_dashboard, visible=False, bind=panel.bind)
    panel.status_changed.connect(lambda text: window.statusBar().showMessage(text, 8000))
    return panel
