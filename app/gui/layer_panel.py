"""The layer panel: a QTreeView over a :class:`layers.tree.LayerTree`.

:class:`LayerTreeModel` shows groups and layers top first (the tree stores them bottom → top, the
draw order), with check boxes for visibility, drag and drop to reorder or move between groups,
in-place renaming (a layer's ``title``, a group's ``name``) and the legend of classified layers
as child rows with colour swatches (single-style layers carry their swatch on their own row).

:class:`LayerPanel` adds the opacity slider and the context menu: zoom to layer, attribute table,
rename, remove, opacity, style (single colour, categorized by a field, graduated by a numeric
field with the five-colour preset, default style; a raster's colours), new group.

Every edit goes through :class:`app.gui.undo.TreeEdits` (``panel.edits``): with the main window's
undo stack set (:meth:`LayerPanel.set_undo_stack`) each is a step of Edit → Undo / Redo.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QRectF,
    QSize,
    Qt,
    QThread,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QSlider,
    QTreeView,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.gui.i18n import ui_lang
from app.gui.icons import icon
from app.gui.undo import TreeEdits
from layers.tree import LayerGroup

MIME = "application/x-lingtan-layer-node"
SWATCH_PX = 16
_ROOT = QModelIndex()


class LegendEntry:
    """A legend row shown under its layer (not a tree node)."""

    __slots__ = ("index", "layer", "row")

    def __init__(self, layer, index: int, row) -> None:
        self.layer, self.index, self.row = layer, index, row


def swatch_icon(row, size: int = SWATCH_PX) -> QIcon:
    """A legend row's symbol as an icon (box, stroke or circle)."""
    from layers.legend import draw_swatch

    img = QImage(size * 2, size * 2, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(2.0)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    draw_swatch(p, QRectF(2.5, 3.5, size - 5, size - 7), row)
    p.end()
    return QIcon(QPixmap.fromImage(img))


def _is_group(node) -> bool:
    return isinstance(node, LayerGroup)


def _is_vector(node) -> bool:
    return hasattr(node, "gdf") and hasattr(node, "style")


def _is_raster(node) -> bool:
    return getattr(node, "kind", None) == "raster"


class _Bridge(QObject):
    event = Signal(str, object)


class LayerTreeModel(QAbstractItemModel):
    """Qt model of a LayerTree (see the module doc). Index internal ids key ``self._objects``."""

    def __init__(self, tree, parent=None, edits: TreeEdits | None = None) -> None:
        super().__init__(parent)
        self.tree = tree
        self.edits = edits if edits is not None else TreeEdits(tree)
        self._objects: dict[int, object] = {}
        self._legend: dict[int, tuple[tuple, list[LegendEntry]]] = {}
        self._swatch: dict[int, tuple[tuple, QIcon | None]] = {}
        self._bridge = _Bridge()
        self._bridge.event.connect(self._on_event)
        self._unsubscribe = tree.changed.connect(self._on_tree_changed)

    def detach(self) -> None:
        if callable(self._unsubscribe):
            self._unsubscribe()
        self._unsubscribe = None

    # -- tree events -----------------------------------------------------------------------------
    def _on_tree_changed(self, _tree, event: str, node) -> None:
        if QThread.currentThread() is self.thread():
            self._on_event(event, node)
        else:
            self._bridge.event.emit(event, node)  # queued to the GUI thread

    def _on_event(self, event: str, node) -> None:
        if event in ("inserted", "removed", "moved") or event in ("layer:style", "layer:data"):
            self.beginResetModel()
            self._objects.clear()
            self._legend.clear()
            self._swatch.clear()
            self.endResetModel()
            return
        if event.endswith(":selection") or event == "group:expanded":
            return
        idx = self.index_of(node)
        if idx.isValid():
            self.dataChanged.emit(idx, idx.siblingAtColumn(0))

    # -- structure -------------------------------------------------------------------------------
    def _key(self, obj) -> int:
        k = id(obj)
        self._objects[k] = obj
        return k

    def node(self, index: QModelIndex):
        """The group, layer or LegendEntry at ``index`` (the root group for an invalid index)."""
        if not index.isValid():
            return self.tree.root
        return self._objects.get(index.internalId())

    def _children(self, node) -> list:
        if _is_group(node):
            return list(reversed(node.children))  # top first
        if _is_vector(node) or _is_raster(node):
            return self.legend_entries(node)
        return []

    def legend_entries(self, layer) -> list[LegendEntry]:
        """Legend rows of a classified vector layer (none for single-style layers) or of a raster's
        colormap (none for an RGB image)."""
        from layers.style import SingleStyle

        if _is_raster(layer):
            if layer.colormap is None:
                return []
        elif not _is_vector(layer) or isinstance(layer.style, SingleStyle):
            return []
        lang = ui_lang()
        key = (getattr(layer, "style_version", 0), getattr(layer, "data_version", 0), lang,
               id(getattr(layer, "style", None) or layer.colormap))
        cached = self._legend.get(id(layer))
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            if _is_raster(layer):
                rows = list(layer.legend_block(lang).rows)
            else:
                from layers.legend import legend_block

                rows = list(legend_block(layer, lang).rows)
        except Exception:
            rows = []
        entries = [LegendEntry(layer, i, r) for i, r in enumerate(rows)]
        self._legend[id(layer)] = (key, entries)
        return entries

    def _parent_of(self, node):
        if isinstance(node, LegendEntry):
            return node.layer
        if _is_group(node):
            return node.parent
        return self.tree.parent(node)

    def index(self, row: int, column: int = 0, parent: QModelIndex = _ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        kids = self._children(self.node(parent))
        if row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, self._key(kids[row]))

    def index_of(self, node) -> QModelIndex:
        """The model index of a group, layer or legend entry (invalid for the root / unknown)."""
        if node is None or node is self.tree.root:
            return QModelIndex()
        parent = self._parent_of(node)
        if parent is None:
            return QModelIndex()
        kids = self._children(parent)
        for row, k in enumerate(kids):
            if k is node:
                return self.createIndex(row, 0, self._key(node))
        return QModelIndex()

    def parent(self, index: QModelIndex = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node = self.node(index)
        if node is None:
            return QModelIndex()
        return self.index_of(self._parent_of(node))

    def rowCount(self, parent: QModelIndex = _ROOT) -> int:
        if parent.column() > 0:
            return 0
        node = self.node(parent)
        return 0 if node is None else len(self._children(node))

    def columnCount(self, parent: QModelIndex = _ROOT) -> int:
        return 1

    # -- data ------------------------------------------------------------------------------------
    def flags(self, index: QModelIndex):
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        node = self.node(index)
        if isinstance(node, LegendEntry):
            return Qt.ItemFlag.ItemIsEnabled
        f = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
             | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled)
        if _is_group(node):
            f |= Qt.ItemFlag.ItemIsDropEnabled
        return f

    def _layer_swatch(self, layer) -> QIcon | None:
        from layers.style import SingleStyle

        if not _is_vector(layer) or not isinstance(layer.style, SingleStyle):
            return None
        key = (getattr(layer, "style_version", 0), id(layer.style), layer.geometry_kind)
        cached = self._swatch.get(id(layer))
        if cached is not None and cached[0] == key:
            return cached[1]
        try:
            from layers.legend import legend_block

            rows = legend_block(layer, ui_lang()).rows
            ic = swatch_icon(rows[0]) if rows else None
        except Exception:
            ic = None
        self._swatch[id(layer)] = (key, ic)
        return ic

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        node = self.node(index)
        if node is None:
            return None
        if isinstance(node, LegendEntry):
            r = node.row
            if role == Qt.ItemDataRole.DisplayRole:
                return r.label if r.count is None else f"{r.label}  ({r.count:,})"
            if role == Qt.ItemDataRole.DecorationRole:
                return swatch_icon(r)
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return node.title if not _is_group(node) else node.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if node.visible else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            if _is_group(node):
                return icon("layers")
            return self._layer_swatch(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not _is_group(node) and not self.tree.is_drawn(node):
                return QColor("#8a8a8a")
        if role == Qt.ItemDataRole.FontRole and _is_group(node):
            from PySide6.QtGui import QFont

            f = QFont()
            f.setBold(True)
            return f
        return None

    def _tooltip(self, node) -> str:
        if _is_group(node):
            n = sum(1 for c in node.walk() if not _is_group(c))
            return self.tr("Group with {0} layers").format(n)
        lines = [f"{node.title} ({node.name})"]
        if _is_vector(node) or _is_raster(node):
            from gis.crs import crs_label

            if _is_vector(node):
                lines.append(self.tr("{0:,} features").format(len(node.gdf)))
            else:
                rows, cols = node.shape
                dx, dy = abs(node.transform[1]), abs(node.transform[5])
                lines.append(self.tr("Raster {0:,} × {1:,} cells of {2:g} × {3:g}").format(
                    cols, rows, dx, dy))
            lines.append(self.tr("CRS: {0}").format(crs_label(node.crs) if node.crs is not None else "–"))
        if node.opacity < 1:
            lines.append(self.tr("Opacity {0:.0f}%").format(node.opacity * 100))
        return "\n".join(lines)

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        node = self.node(index)
        if node is None or isinstance(node, LegendEntry) or not index.isValid():
            return False
        if role == Qt.ItemDataRole.CheckStateRole:
            state = value.value if hasattr(value, "value") else value
            self.edits.set_visible(node, int(state) == Qt.CheckState.Checked.value)
            self.dataChanged.emit(index, index)
            return True
        if role == Qt.ItemDataRole.EditRole:
            text = str(value).strip()
            if not text:
                return False
            self.edits.rename(node, text)
            self.dataChanged.emit(index, index)
            return True
        return False

    # -- drag and drop ---------------------------------------------------------------------------
    def supportedDropActions(self):
        return Qt.DropAction.MoveAction

    def supportedDragActions(self):
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, indexes) -> QMimeData:
        ids = []
        for i in indexes:
            node = self.node(i)
            if node is not None and not isinstance(node, LegendEntry):
                ids.append(str(id(node)))
        data = QMimeData()
        data.setData(MIME, QByteArray(",".join(ids).encode()))
        return data

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        if not data.hasFormat(MIME):
            return False
        target = self.node(parent)
        return _is_group(target)

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if not data.hasFormat(MIME) or action == Qt.DropAction.IgnoreAction:
            return False
        group = self.node(parent)
        if not _is_group(group):
            return False
        ids = [int(x) for x in bytes(data.data(MIME)).decode().split(",") if x]
        nodes = [self._objects.get(i) for i in ids]
        nodes = [n for n in nodes if n is not None]
        for node in nodes:
            self.move_node(node, group, row)
        return False  # the tree moved the node; the view must not remove the source row

    def move_node(self, node, group, view_row: int = -1) -> bool:
        """Move ``node`` into ``group`` so that it shows at ``view_row`` (top first; -1 = top)."""
        if _is_group(node) and (node is group or _inside(group, node)):
            return False
        if view_row < 0:
            index = None
        else:
            n = len(group.children)
            index = n - min(view_row, n)
            current = self.tree.parent(node) if not _is_group(node) else node.parent
            if current is group and group.children.index(node) < index:
                index -= 1
        self.edits.move(node, group, index)
        return True


def raster_colormap(layer, kind: str):
    """The :class:`~layers.raster.Colormap` ``kind`` ("viridis", "grey", "classes") for a value
    raster, or None (RGB images; "classes" for grids that are not a few integer values)."""
    from app.gui.open_data import default_raster_colormap
    from layers.raster import Colormap, make_colormap

    if getattr(layer, "colormap", None) is None and layer.array.ndim == 3:
        return None
    valid = layer._valid()
    if kind == "classes":
        spec = default_raster_colormap(layer.array, valid)
        return make_colormap(spec) if spec else None
    base = make_colormap(None, layer.array, valid)  # viridis over the 2nd–98th percentiles
    if kind == "grey":
        lo, hi = base.stops[0][0], base.stops[-1][0]
        return Colormap([(lo, "#000000"), (hi, "#ffffff")], unit=base.unit)
    return base


def _inside(group, ancestor) -> bool:
    g = group
    while g is not None:
        if g is ancestor:
            return True
        g = g.parent
    return False


class OpacitySlider(QWidget):
    """"Opacity [——●——] 80 %" for the current layer or group."""

    def __init__(self, parent=None, edits: TreeEdits | None = None) -> None:
        super().__init__(parent)
        self.node = None
        self.edits = edits
        self.label = QLabel()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 100)
        self.value_label = QLabel("100 %")
        self.value_label.setMinimumWidth(40)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(2, 0, 2, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self.value_label)
        self.slider.valueChanged.connect(self._on_value)
        self.set_node(None)

    def set_node(self, node) -> None:
        self.node = node if node is not None and not isinstance(node, LegendEntry) else None
        self.setEnabled(self.node is not None)
        self.slider.blockSignals(True)
        self.slider.setValue(round(100 * (self.node.opacity if self.node is not None else 1.0)))
        self.slider.blockSignals(False)
        self.value_label.setText(f"{self.slider.value()} %")

    def _on_value(self, v: int) -> None:
        self.value_label.setText(f"{v} %")
        if self.node is None:
            return
        if self.edits is not None:
            self.edits.set_opacity(self.node, v / 100.0)  # one undo step per drag (merged)
        else:
            self.node.opacity = v / 100.0


class LayerPanel(QWidget):
    """The layer tree view with an opacity slider and a context menu.

    Signals: ``zoom_to_layer(object)``, ``open_attribute_table(object)``,
    ``current_layer_changed(object)`` (a layer or None).
    """

    zoom_to_layer = Signal(object)
    open_attribute_table = Signal(object)
    current_layer_changed = Signal(object)
    assign_role = Signal(object, str)
    """(layer, park role): "Use as park layer" was chosen (app.gui.park_roles)."""

    def __init__(self, tree, parent=None) -> None:
        super().__init__(parent)
        self.model: LayerTreeModel | None = None
        self.undo_stack = None
        self.style_kw = None  # name → default_style keywords (the window's: Workspace.style_kw)
        self.edits = TreeEdits(tree)
        self.view = QTreeView()
        self.view.setHeaderHidden(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.SelectedClicked)
        self.view.setIconSize(QSize(SWATCH_PX, SWATCH_PX))
        self.view.setUniformRowHeights(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(self._on_double_click)
        self.view.expanded.connect(lambda i: self._set_expanded(i, True))
        self.view.collapsed.connect(lambda i: self._set_expanded(i, False))
        self.opacity = OpacitySlider()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.opacity)
        self._collapsed_layers: set[int] = set()
        self.set_tree(tree)
        self.retranslate_ui()

    def set_tree(self, tree) -> None:
        """Show another LayerTree (a project was opened)."""
        if self.model is not None:
            self.model.detach()
            self.model.modelReset.disconnect(self._restore_expansion)
            self.model.modelAboutToBeReset.disconnect(self._remember_current)
        self.tree = tree
        self._current = None
        self.edits = TreeEdits(tree, self.undo_stack)
        self.opacity.edits = self.edits
        self.model = LayerTreeModel(tree, self, self.edits)
        self.view.setModel(self.model)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._restore_expansion)
        self.view.selectionModel().currentChanged.connect(self._on_current)
        self._restore_expansion()

    def set_undo_stack(self, stack) -> None:
        """Make the panel's edits steps of ``stack`` (a QUndoStack; None: not undoable)."""
        self.undo_stack = stack
        self.edits.stack = stack

    def set_style(self, layer, style) -> None:
        """Give a vector layer ``style`` (a raster: a colormap), as one undoable edit."""
        self.edits.set_style(layer, style)

    # -- expansion -------------------------------------------------------------------------------
    def _set_expanded(self, index: QModelIndex, on: bool) -> None:
        node = self.model.node(index)
        if _is_group(node):
            node._expanded = on  # no "group:expanded" event: not worth a save prompt
        elif node is not None:
            (self._collapsed_layers.discard if on else self._collapsed_layers.add)(id(node))

    def _remember_current(self) -> None:
        self._current = self.current_node()

    def _restore_expansion(self) -> None:
        current, self._current = getattr(self, "_current", None), None
        if current is not None:
            i = self.model.index_of(current)
            if i.isValid():
                self.view.setCurrentIndex(i)
            else:
                self.opacity.set_node(None)
                self.current_layer_changed.emit(None)

        def visit(parent: QModelIndex) -> None:
            for r in range(self.model.rowCount(parent)):
                i = self.model.index(r, 0, parent)
                node = self.model.node(i)
                if _is_group(node):
                    self.view.setExpanded(i, node.expanded)
                    visit(i)
                elif node is not None and not isinstance(node, LegendEntry) and self.model.rowCount(i):
                    self.view.setExpanded(i, id(node) not in self._collapsed_layers)

        visit(QModelIndex())

    # -- current ---------------------------------------------------------------------------------
    def current_node(self):
        i = self.view.currentIndex()
        return self.model.node(i) if i.isValid() else None

    def current_layer(self):
        node = self.current_node()
        if isinstance(node, LegendEntry):
            return node.layer
        return node if node is not None and not _is_group(node) else None

    def set_current(self, node) -> None:
        self.view.setCurrentIndex(self.model.index_of(node))

    def _on_current(self, current: QModelIndex, _prev: QModelIndex) -> None:
        node = self.model.node(current) if current.isValid() else None
        self.opacity.set_node(node)
        self.current_layer_changed.emit(self.current_layer())

    def _on_double_click(self, index: QModelIndex) -> None:
        node = self.model.node(index)
        if node is not None and not _is_group(node) and not isinstance(node, LegendEntry):
            self.zoom_to_layer.emit(node)

    # -- text ------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self.opacity.label.setText(self.tr("Opacity"))
        self.view.setToolTip("")
        if self.model is not None:
            self.model.beginResetModel()
            self.model._legend.clear()
            self.model._swatch.clear()
            self.model.endResetModel()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- actions ---------------------------------------------------------------------------------
    def remove_node(self, node) -> None:
        if node is not None and not isinstance(node, LegendEntry) and node is not self.tree.root:
            self.edits.remove(node)

    def add_group(self, name: str | None = None):
        """A new group on top (named ``name`` or asked for)."""
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("New group"), self.tr("Group name:"))
            if not ok or not name.strip():
                return None
        return self.edits.add_group(name.strip())

    def rename(self, node) -> None:
        i = self.model.index_of(node)
        if i.isValid():
            self.view.setCurrentIndex(i)
            self.view.edit(i)

    def _context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        node = self.model.node(index) if index.isValid() else None
        if isinstance(node, LegendEntry):
            node = node.layer
        menu = self.build_menu(node)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def build_menu(self, node) -> QMenu:
        """The context menu for ``node`` (a layer, a group, or None for empty space)."""
        menu = QMenu(self)
        if node is not None and not _is_group(node):
            menu.addAction(icon("zoom_layer"), self.tr("Zoom to Layer"),
                           lambda: self.zoom_to_layer.emit(node))
            if _is_vector(node):
                menu.addAction(icon("table"), self.tr("Open Attribute Table"),
                               lambda: self.open_attribute_table.emit(node))
                self._style_menu(menu.addMenu(self.tr("Style")), node)
                self._role_menu(menu, node)
            elif _is_raster(node) and node.colormap is not None:
                self._raster_style_menu(menu.addMenu(self.tr("Colours")), node)
        if node is not None:
            menu.addAction(self.tr("Rename"), lambda: self.rename(node))
            op = menu.addMenu(self.tr("Opacity"))
            slider = OpacitySlider(edits=self.edits)
            slider.set_node(node)
            slider.label.setText(self.tr("Opacity"))
            wa = QWidgetAction(op)
            wa.setDefaultWidget(slider)
            op.addAction(wa)
            menu.addSeparator()
            menu.addAction(icon("remove"), self.tr("Remove"), lambda: self.remove_node(node))
        menu.addSeparator()
        menu.addAction(self.tr("Add Group"), lambda: self.add_group())
        return menu

    def _role_menu(self, menu: QMenu, layer) -> None:
        """设为园区红线 / 设为建筑 / …: the park roles this layer can play (by its geometry)."""
        from app.gui.i18n import pick
        from app.park_new import ROLE_NAMES
        from layers.layer import geometry_kind

        gdf = layer.gdf
        kind = geometry_kind(gdf.geometry.to_numpy()) if len(gdf) else "polygon"
        fits = {"boundary": ("polygon",), "buildings": ("polygon",), "green": ("polygon",),
                "tree_rows": ("line", "point", "polygon"), "townships": ("polygon",),
                "roads": ("line", "polygon"), "water": ("polygon",)}
        sub = menu.addMenu(pick("用作园区图层", "Use as Park Layer"))
        sub.setObjectName("menu_park_role")
        for role, (zh, en) in ROLE_NAMES.items():
            act = sub.addAction(pick(f"设为{zh}", f"Set as {en}"),
                                lambda r=role: self.assign_role.emit(layer, r))
            act.setObjectName(f"act_role_{role}")
            act.setEnabled(kind in fits[role])

    def _style_menu(self, menu: QMenu, layer) -> None:
        menu.addAction(self.tr("Single Colour…"), lambda: self.choose_single_colour(layer))
        cat = menu.addMenu(self.tr("Categorized by"))
        grad = menu.addMenu(self.tr("Graduated by (five colours)"))
        gdf = layer.gdf
        geom = getattr(gdf, "active_geometry_name", None)
        for col in gdf.columns:
            if col == geom:
                continue
            s = gdf[col]
            if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
                grad.addAction(str(col), lambda c=col: self.apply_graduated(layer, c))
            nunique = s.nunique(dropna=True) if len(s) <= 200_000 else s.head(200_000).nunique()
            if 1 <= nunique <= 30:
                cat.addAction(str(col), lambda c=col: self.apply_categorized(layer, c))
        cat.setEnabled(not cat.isEmpty())
        grad.setEnabled(not grad.isEmpty())
        menu.addSeparator()
        menu.addAction(self.tr("Default Style"), lambda: self.apply_default_style(layer))

    def _raster_style_menu(self, menu: QMenu, layer) -> None:
        menu.addAction(self.tr("Viridis (2–98 % stretch)"),
                       lambda: self.apply_raster_colours(layer, "viridis"))
        menu.addAction(self.tr("Greyscale (2–98 % stretch)"),
                       lambda: self.apply_raster_colours(layer, "grey"))
        act = menu.addAction(self.tr("Distinct Colours per Value"),
                             lambda: self.apply_raster_colours(layer, "classes"))
        act.setEnabled(raster_colormap(layer, "classes") is not None)

    def apply_raster_colours(self, layer, kind: str) -> None:
        """A raster's colours: "viridis" or "grey" stretched over the 2nd–98th percentiles, or
        "classes" (distinct colours for an integer grid with a few values)."""
        cmap = raster_colormap(layer, kind)
        if cmap is not None:
            self.set_style(layer, cmap)

    # -- styles ----------------------------------------------------------------------------------
    def choose_single_colour(self, layer) -> None:
        from layers.style import SingleStyle

        start = QColor(layer.style.fill if isinstance(layer.style, SingleStyle) else "#a6cee3")
        colour = QColorDialog.getColor(start, self, self.tr("Layer colour"))
        if colour.isValid():
            self.apply_single(layer, colour.name())

    def apply_single(self, layer, colour: str) -> None:
        """One colour for every feature (lines: the stroke; polygons/points: the fill)."""
        from layers.style import SingleStyle

        old = layer.style
        label = getattr(old, "label_field", None)
        kind = layer.geometry_kind
        outline = colour if kind == "line" else QColor(colour).darker(140).name()
        width = 2.0 if kind == "line" else 0.6
        self.set_style(layer, SingleStyle(fill=colour, outline=outline, width=width, label_field=label,
                                          title_zh=getattr(old, "title_zh", ""),
                                          title_en=getattr(old, "title_en", "")))

    def apply_categorized(self, layer, field: str) -> None:
        """One colour per distinct value of ``field`` (ColorBrewer Dark2)."""
        from layers.style import categorized_style

        self.set_style(layer, categorized_style(layer.gdf[field], field, title_zh=str(field),
                                                title_en=str(field),
                                                label_field=getattr(layer.style, "label_field", None)))

    def apply_graduated(self, layer, field: str, method: str = "quantile") -> None:
        """Five classes of numeric ``field`` (quantiles) in the five colours green → red."""
        from layers.style import FIVE_COLOURS, range_style

        values = pd.to_numeric(layer.gdf[field], errors="coerce")
        finite = values[np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))]
        n = min(5, max(1, finite.nunique()))
        colours = list(FIVE_COLOURS) if n == 5 else [FIVE_COLOURS[round(i * 4 / max(n - 1, 1))]
                                                      for i in range(n)]
        self.set_style(layer, range_style(values, field, method=method, n=n, colours=colours,
                                          title_zh=str(field), title_en=str(field),
                                          label_field=getattr(layer.style, "label_field", None)))

    def apply_default_style(self, layer) -> None:
        from layers.presets import default_style, prepare

        # the five-colour map's default style names each class with its thresholds: its
        # classification comes from the project (style_kw), as when the analysis styled it
        kw = self.style_kw(layer.name) if self.style_kw is not None else {}
        self.set_style(layer, default_style(layer.name, prepare(layer.name, layer.gdf), **kw))

