"""The main window's docks: the built-in panels (layers, attribute table, dashboard, identify
results) and :meth:`WindowDocks.add_panel`, the one way a panel gets into the window — its dock,
its entry in View → Panels, optionally a menu entry that shows it and a toolbar, and a ``bind``
callback the window calls whenever it shows another workspace or canvas."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.attribute_table import AttributeTable, format_value
from app.gui.dashboard import Dashboard, account_year
from app.gui.layer_panel import LayerPanel
from app.gui.tasks import ui_lang
from layers.registry import field_alias
from layers.values import value_label

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

MAX_IDENTIFY_FEATURES = 50
"""Identify lists at most this many features (a click on a dense area can hit many)."""
DOCK_WIDTHS_PX = (270, 430)
"""First widths of the layer panel (left) and the dashboard (right), at most."""
DOCK_WIDTH_SHARES = (0.17, 0.27)
"""On a first start the docks take at most these shares of the window's width, so the map keeps
more than half of it on a 1280 px laptop screen (270 + 430 px left it 44 %); the dashboard's
cards and indicator table still fit in 0.27 × 1280 = 345 px (measured, issue 17)."""
DOCK_MIN_WIDTHS_PX = (200, 320)
"""Below these widths the layer names and the dashboard's two card columns are cut off."""


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


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
        shown = self.rows[:MAX_IDENTIFY_FEATURES]
        # a layer read by view gives row keys and reads their full rows from its file
        gdf = layer.feature_rows(shown) if hasattr(layer, "feature_rows") else layer.gdf
        rows = range(len(gdf)) if hasattr(layer, "feature_rows") else shown
        geom = getattr(gdf, "active_geometry_name", None)
        more = len(self.rows) - len(shown)
        self.hint.setText(self.tr("{0}: {1} features").format(layer.title, len(self.rows))
                          + (self.tr(" (first {0} shown)").format(len(shown)) if more else ""))
        lang = ui_lang()
        for r in rows:
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
                raw = format_value(v, kind)
                # a coded value's label ("other" → 其他, True → 是), the stored value in the tooltip
                label = value_label(str(col), v, lang)
                # the field's alias with its unit in the UI language; its real name in the tooltip
                item = QTreeWidgetItem(top, [field_alias(str(col), layer.name, lang), label or raw])
                item.setToolTip(0, str(col))
                item.setToolTip(1, raw)
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


@dataclass
class PanelEntry:
    """A panel added with :meth:`WindowDocks.add_panel`."""

    dock: QDockWidget
    title: Callable[[], str]
    bind: Callable[[Any, Any], None] | None = None


class WindowDocks:
    """The docks of :class:`app.gui.main_window.MainWindow` (a mixin: it uses the window's
    ``workspace``, ``canvas``, ``undo_stack`` and ``menu_panels``)."""

    panels: dict[str, PanelEntry]
    menu_panels: QMenu | None

    def add_panel(self: MainWindow, widget: QWidget, name: str, area: Qt.DockWidgetArea, *,
                  title: Callable[[], str], menu_entry: QAction | None = None, menu: QMenu | None = None,
                  toolbar: QToolBar | None = None, tabify_with: QDockWidget | None = None,
                  visible: bool = True, bind: Callable[[Any, Any], None] | None = None) -> QDockWidget:
        """Dock ``widget`` as panel ``name`` (object name ``dock_<name>``, kept in the saved window
        state) in ``area``, tabbed with ``tabify_with``; hidden unless ``visible``. ``title()``
        gives the dock title in the UI language (called again on a language switch); the dock's
        toggle goes into View → Panels. ``menu_entry`` (added to ``menu`` after a separator)
        shows and raises the dock; ``toolbar`` is added to the window. ``bind(workspace,
        canvas)`` is called whenever the window shows another workspace or canvas."""
        dock = QDockWidget(self)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
        dock.setWindowTitle(title())
        self.addDockWidget(area, dock)
        if tabify_with is not None:
            self.tabifyDockWidget(tabify_with, dock)
        if not visible:
            dock.hide()
        self.panels[name] = PanelEntry(dock, title, bind)
        if self.menu_panels is not None:
            self.menu_panels.addAction(dock.toggleViewAction())
        if menu_entry is not None:
            menu_entry.triggered.connect(lambda _checked=False: self.show_panel(name))
            if menu is not None:
                menu.addSeparator()
                menu.addAction(menu_entry)
        if toolbar is not None:
            self.addToolBar(toolbar)
        return dock

    def show_panel(self: MainWindow, name: str) -> None:
        """Show and raise the dock of panel ``name``."""
        dock = self.panels[name].dock
        dock.show()
        dock.raise_()

    def _bind_panels(self: MainWindow) -> None:
        """Hand the current workspace and canvas to the panels that follow them."""
        for entry in self.panels.values():
            if entry.bind is not None:
                entry.bind(self.workspace, self.canvas)

    def _retranslate_panels(self: MainWindow) -> None:
        for entry in self.panels.values():
            entry.dock.setWindowTitle(entry.title())

    def _build_docks(self: MainWindow) -> None:
        area = Qt.DockWidgetArea
        self.layer_panel = LayerPanel(self.workspace.tree, self)
        self.layer_panel.set_undo_stack(self.undo_stack)
        self.layer_panel.style_kw = lambda name: self.workspace.style_kw(name)  # the open project's
        self.dock_layers = self.add_panel(self.layer_panel, "layers", area.LeftDockWidgetArea,
                                          title=lambda: tr("Layers"))
        self.attribute_table = AttributeTable(self, self.workspace.tree)
        self.dock_table = self.add_panel(self.attribute_table, "attributes", area.BottomDockWidgetArea,
                                         title=lambda: tr("Attribute Table"), visible=False)
        self.dashboard = Dashboard(self)
        # the dashboard's year selector: the accounting again for the chosen year (issue #19)
        self.dashboard.year_requested.connect(lambda y: account_year(self, self.workspace, y))
        self.dock_dashboard = self.add_panel(self.dashboard, "dashboard", area.RightDockWidgetArea,
                                             title=lambda: tr("Dashboard"))
        self.identify_panel = IdentifyPanel(self)
        self.dock_identify = self.add_panel(self.identify_panel, "identify", area.RightDockWidgetArea,
                                            title=lambda: tr("Identify Results"),
                                            tabify_with=self.dock_dashboard, visible=False)
        self.dock_dashboard.raise_()
        self.resizeDocks([self.dock_layers, self.dock_dashboard], list(DOCK_WIDTHS_PX),
                         Qt.Orientation.Horizontal)
        self.layer_panel.zoom_to_layer.connect(self.canvas.zoom_to_layer)
        self.layer_panel.open_attribute_table.connect(self.open_attribute_table)
        self.layer_panel.current_layer_changed.connect(self._on_current_layer)
        self.layer_panel.assign_role.connect(self.assign_park_role)
        self.attribute_table.zoom_to_selection_requested.connect(lambda _l: self.canvas.zoom_to_selection())

    # -- what the built-in panels show -----------------------------------------------------------
    def open_attribute_table(self: MainWindow, layer=None) -> None:
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

    def raster_values_at(self: MainWindow, px: float, py: float) -> list:
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

    def _on_identified(self: MainWindow, layer, rows: list) -> None:
        at = getattr(self, "_identify_at", None)
        rasters = self.raster_values_at(*at) if at is not None else []
        self.identify_panel.show_features(layer, rows, rasters)
        if layer is not None or rasters:
            self.dock_identify.show()
            self.dock_identify.raise_()

    # -- the panels' places between sessions -------------------------------------------------------
    def save_window_state(self: MainWindow) -> None:
        """Remember the window's size and the panels' places for the next start."""
        from app.gui.settings import app_qsettings

        store = app_qsettings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())  # the docks: place, size, shown
        for split in self.findChildren(QSplitter):  # inside panels: QMainWindow does not keep them
            if split.objectName():
                store.setValue(f"splitters/{split.objectName()}", split.saveState())

    def restore_window_state(self: MainWindow) -> bool:
        from app.gui.settings import app_qsettings

        store = app_qsettings()
        geometry, state = store.value("window/geometry"), store.value("window/state")
        ok = bool(geometry) and self.restoreGeometry(geometry)
        if state:
            ok = self.restoreState(state) and ok
            self._window_state_restored = bool(ok)
        for split in self.findChildren(QSplitter):
            saved = store.value(f"splitters/{split.objectName()}") if split.objectName() else None
            if saved:
                split.restoreState(saved)
        if not geometry and self.screen() is not None:  # first start: fit small laptop screens
            avail = self.screen().availableGeometry()
            self.resize(min(1440, int(avail.width() * 0.92)), min(900, int(avail.height() * 0.92)))
        return bool(ok)

    def showEvent(self: MainWindow, event) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if not getattr(self, "_first_layout_done", False):
            self._first_layout_done = True
            if not getattr(self, "_window_state_restored", False):
                QTimer.singleShot(0, self.fit_docks_to_window)

    def fit_docks_to_window(self: MainWindow) -> None:
        """The first start's dock widths for this window's width (DOCK_WIDTH_SHARES): the map
        gets the rest. A layout restored from the settings is left as the user made it."""
        widths = [max(lo, min(hi, int(self.width() * share)))
                  for lo, hi, share in zip(DOCK_MIN_WIDTHS_PX, DOCK_WIDTHS_PX, DOCK_WIDTH_SHARES,
                                           strict=True)]
        self.resizeDocks([self.dock_layers, self.dock_dashboard], widths, Qt.Orientation.Horizontal)
