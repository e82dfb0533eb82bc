"""The layer tree: groups of vector and raster layers, like QGIS's layer tree. No Qt.

``LayerTree.root`` is a :class:`LayerGroup`; a group's ``children`` are layers
(:class:`~layers.layer.VectorLayer`, :class:`~layers.raster.RasterLayer`) and groups, ordered
**bottom (index 0) to top** — the draw order, as napari draws its layer list. A layer
panel shows them reversed (top first).

``tree.changed`` emits ``(tree, event, node)``:

- "inserted", "removed", "moved" — structure (node: the layer or group);
- "group:<what>" — a group's "name", "visible", "expanded" or "opacity" changed;
- "layer:<what>" — forwarded from a layer's own ``changed`` ("visible", "style", "data",
  "selection", …).

:meth:`LayerTree.visible_layers` returns the layers drawn: visible themselves and in visible
groups; :meth:`LayerTree.draw_list` adds the effective opacity (layer × every enclosing
group). :meth:`LayerTree.to_dict` / :meth:`LayerTree.from_dict` save the structure, visibility,
opacity and styles (via :mod:`layers.style_io`) but no data: ``from_dict`` gets the layers back
from ``layer_lookup(name)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from gis.errors import InputError
from layers.layer import Signal, VectorLayer, _clamp01, union_bounds
from layers.style_io import style_from_dict, style_to_dict

TREE_VERSION = 1


class LayerGroup:
    """A named group of layers and groups (children bottom → top)."""

    def __init__(self, name: str, visible: bool = True, expanded: bool = True, opacity: float = 1.0) -> None:
        self._name = name
        self._visible = bool(visible)
        self._expanded = bool(expanded)
        self._opacity = _clamp01(opacity)
        self.children: list[Any] = []
        self.parent: LayerGroup | None = None
        self._tree: LayerTree | None = None

    def __repr__(self) -> str:
        return f"LayerGroup({self._name!r}, {len(self.children)} children)"

    def _set(self, attr: str, value: Any, what: str) -> None:
        if getattr(self, attr) == value:
            return
        setattr(self, attr, value)
        if self._tree is not None:
            self._tree.changed.emit(self._tree, f"group:{what}", self)

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._set("_name", value, "name")

    @property
    def title(self) -> str:
        return self._name

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        self._set("_visible", bool(value), "visible")

    @property
    def expanded(self) -> bool:
        return self._expanded

    @expanded.setter
    def expanded(self, value: bool) -> None:
        self._set("_expanded", bool(value), "expanded")

    @property
    def opacity(self) -> float:
        return self._opacity

    @opacity.setter
    def opacity(self, value: float) -> None:
        self._set("_opacity", _clamp01(value), "opacity")

    def walk(self) -> Iterator[Any]:
        """Every node below this group, depth first, bottom → top (groups before their children)."""
        for child in self.children:
            yield child
            if isinstance(child, LayerGroup):
                yield from child.walk()


def _is_layer(node: Any) -> bool:
    return not isinstance(node, LayerGroup) and hasattr(node, "changed") and hasattr(node, "visible")


class LayerTree:
    """Groups and layers with change events (see the module doc)."""

    def __init__(self) -> None:
        self.changed = Signal()
        self.root = LayerGroup("")
        self.root._tree = self
        self._parents: dict[int, LayerGroup] = {}  # id(layer) → its group
        self._unsubscribe: dict[int, Callable[[], None]] = {}
        self.missing: list[str] = []  # layer names from_dict could not find

    def __repr__(self) -> str:
        return f"LayerTree({len(self.layers())} layers)"

    def __iter__(self) -> Iterator[Any]:
        return iter(self.layers())

    def __len__(self) -> int:
        return len(self.layers())

    # ---- structure -----------------------------------------------------------------------------

    def _group(self, group: LayerGroup | str | None) -> LayerGroup:
        if group is None:
            return self.root
        if isinstance(group, str):
            found = self.find(group)
            if not isinstance(found, LayerGroup):
                raise KeyError(f"no group named {group!r}")
            return found
        if group is not self.root and self.parent(group) is None:
            raise ValueError(f"{group!r} is not in this tree")
        return group

    def parent(self, node: Any) -> LayerGroup | None:
        """The group holding ``node`` (None for the root or a node not in the tree)."""
        if isinstance(node, LayerGroup):
            return node.parent if node._tree is self else None
        return self._parents.get(id(node))

    def contains(self, node: Any) -> bool:
        return node is self.root or self.parent(node) is not None

    def add_layer(self, layer: Any, group: LayerGroup | str | None = None, index: int | None = None) -> Any:
        """Insert ``layer`` into ``group`` (default: root) at ``index`` (default: on top)."""
        if self.contains(layer):
            raise ValueError(f"{layer!r} is already in the tree")
        g = self._group(group)
        g.children.insert(_clamp_index(g, index), layer)
        self._attach(layer, g)
        self.changed.emit(self, "inserted", layer)
        return layer

    def _attach(self, layer: Any, group: LayerGroup) -> None:
        self._parents[id(layer)] = group
        self._unsubscribe[id(layer)] = layer.changed.connect(
            lambda lyr, what: self.changed.emit(self, f"layer:{what}", lyr))

    def insert(self, node: Any, parent: LayerGroup | str | None = None, index: int | None = None) -> Any:
        """Put ``node`` into ``parent`` (default: root) at ``index`` (default: on top; clamped to
        the group's size): a layer, or a group removed earlier with :meth:`remove` together with
        everything still in it (undo of a removal). Emits "inserted" once."""
        if not isinstance(node, LayerGroup):
            return self.add_layer(node, parent, index)
        if node._tree is self and self.parent(node) is not None:
            raise ValueError(f"{node!r} is already in the tree")
        g = self._group(parent)
        g.children.insert(_clamp_index(g, index), node)
        node.parent, node._tree = g, self

        def attach(group: LayerGroup) -> None:
            for child in group.children:
                if isinstance(child, LayerGroup):
                    child.parent, child._tree = group, self
                    attach(child)
                elif _is_layer(child):
                    self._attach(child, group)

        attach(node)
        self.changed.emit(self, "inserted", node)
        return node

    def add_group(self, name: str, parent: LayerGroup | str | None = None, index: int | None = None, *,
                  visible: bool = True, expanded: bool = True, opacity: float = 1.0) -> LayerGroup:
        """A new group in ``parent`` (default: root) at ``index`` (default: on top)."""
        g = self._group(parent)
        group = LayerGroup(name, visible, expanded, opacity)
        group.parent, group._tree = g, self
        g.children.insert(len(g.children) if index is None else index, group)
        self.changed.emit(self, "inserted", group)
        return group

    def _detach(self, node: Any) -> LayerGroup:
        parent = self.parent(node)
        if parent is None:
            raise ValueError(f"{node!r} is not in the tree (or is the root)")
        parent.children.remove(node)
        return parent

    def remove(self, node: Any) -> None:
        """Remove a layer or a group (with everything in it)."""
        self._detach(node)
        if isinstance(node, LayerGroup):
            for child in list(node.walk()):
                if _is_layer(child):
                    self._forget(child)
            node._tree, node.parent = None, None
        else:
            self._forget(node)
        self.changed.emit(self, "removed", node)

    def _forget(self, layer: Any) -> None:
        self._parents.pop(id(layer), None)
        self._unsubscribe.pop(id(layer), lambda: None)()

    def move(self, node: Any, parent: LayerGroup | str | None = None, index: int | None = None) -> None:
        """Move ``node`` into ``parent`` (default: root) at ``index`` (default: on top); the index
        counts after removing the node from its old place."""
        target = self._group(parent)
        if isinstance(node, LayerGroup) and (target is node or any(g is node for g in _ancestors(target))):
            raise ValueError("a group cannot be moved into itself")
        self._detach(node)
        target.children.insert(_clamp_index(target, index), node)
        if isinstance(node, LayerGroup):
            node.parent = target
        else:
            self._parents[id(node)] = target
        self.changed.emit(self, "moved", node)

    def clear(self) -> None:
        for child in list(self.root.children):
            self.remove(child)

    # ---- queries -------------------------------------------------------------------------------

    def find(self, name: str) -> Any:
        """The first layer or group named ``name`` (depth first, bottom → top), or None."""
        for node in self.root.walk():
            if node.name == name:
                return node
        return None

    def groups(self) -> list[LayerGroup]:
        return [n for n in self.root.walk() if isinstance(n, LayerGroup)]

    def layers(self) -> list[Any]:
        """Every layer, in draw order bottom → top."""
        return [n for n in self.root.walk() if _is_layer(n)]

    def effective_opacity(self, layer: Any) -> float:
        """The layer's opacity × the opacity of every enclosing group."""
        op = layer.opacity
        g = self.parent(layer)
        while g is not None:
            op *= g.opacity
            g = g.parent
        return op

    def is_drawn(self, layer: Any) -> bool:
        """Visible itself and in visible groups."""
        if not layer.visible:
            return False
        g = self.parent(layer)
        while g is not None:
            if not g.visible:
                return False
            g = g.parent
        return True

    def draw_list(self) -> list[tuple[Any, float]]:
        """(layer, effective opacity) of every drawn layer, bottom → top."""
        out: list[tuple[Any, float]] = []

        def visit(group: LayerGroup, opacity: float) -> None:
            for child in group.children:
                if isinstance(child, LayerGroup):
                    if child.visible:
                        visit(child, opacity * child.opacity)
                elif child.visible:
                    out.append((child, opacity * child.opacity))

        visit(self.root, self.root.opacity)
        return out

    def visible_layers(self) -> list[Any]:
        """The drawn layers (visible, in visible groups), bottom → top; see :meth:`draw_list` for
        their effective opacity."""
        return [layer for layer, _ in self.draw_list()]

    def bounds(self, crs=None) -> tuple[float, float, float, float] | None:
        """Union of the drawn layers' bounds in ``crs`` (default: the bottom drawn layer's)."""
        return union_bounds(self.visible_layers(), crs)

    # ---- persistence ---------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """Structure, visibility, opacity, titles and styles (JSON-safe), no data."""
        return {"version": TREE_VERSION, "root": _node_dict(self.root)}

    @classmethod
    def from_dict(cls, d: Mapping, layer_lookup: Callable[[str], Any] | Mapping[str, Any]) -> LayerTree:
        """A tree rebuilt from :meth:`to_dict`. ``layer_lookup(name)`` (or a mapping) returns the
        layer with its data, or None: missing layers are skipped and listed in ``tree.missing``.
        Saved style, visibility, opacity and title are applied to the layers found."""
        if not isinstance(d, Mapping) or "root" not in d:
            raise InputError("图层树数据无效（缺少 root）", "invalid layer tree data (no root)",
                             code="tree.format")
        lookup = layer_lookup.get if isinstance(layer_lookup, Mapping) else layer_lookup
        tree = cls()
        root = d["root"]
        tree.root._visible = bool(root.get("visible", True))
        tree.root._opacity = _clamp01(root.get("opacity", 1.0))
        _fill(tree, tree.root, root.get("children", []), lookup)
        return tree


def _clamp_index(group: LayerGroup, index: int | None) -> int:
    """``index`` within ``0 … len(children)`` (None: the end, i.e. on top)."""
    n = len(group.children)
    return n if index is None else max(0, min(int(index), n))


def _ancestors(group: LayerGroup) -> Iterator[LayerGroup]:
    g = group.parent
    while g is not None:
        yield g
        g = g.parent


def _node_dict(node: Any) -> dict:
    if isinstance(node, LayerGroup):
        return {"type": "group", "name": node.name, "visible": node.visible, "expanded": node.expanded,
                "opacity": node.opacity, "children": [_node_dict(c) for c in node.children]}
    d = {"type": "layer", "kind": getattr(node, "kind", "vector"), "name": node.name,
         "title": getattr(node, "_title", None), "visible": node.visible, "opacity": node.opacity}
    if isinstance(node, VectorLayer):
        d["style"] = style_to_dict(node.style)
    elif hasattr(node, "style_dict"):
        d["style"] = node.style_dict()
    return d


def _fill(tree: LayerTree, group: LayerGroup, children: list, lookup: Callable[[str], Any]) -> None:
    for c in children:
        if c.get("type") == "group":
            g = tree.add_group(str(c.get("name", "")), group, visible=c.get("visible", True),
                               expanded=c.get("expanded", True), opacity=c.get("opacity", 1.0))
            _fill(tree, g, c.get("children", []), lookup)
            continue
        name = str(c.get("name", ""))
        layer = lookup(name)
        if layer is None:
            tree.missing.append(name)
            continue
        if "style" in c and c["style"] is not None:
            if isinstance(layer, VectorLayer):
                layer.style = style_from_dict(c["style"])
            elif hasattr(layer, "apply_style_dict"):
                layer.apply_style_dict(c["style"])
        if c.get("title") and hasattr(layer, "title"):
            layer.title = c["title"]
        layer.visible = bool(c.get("visible", True))
        layer.opacity = float(c.get("opacity", 1.0))
        tree.add_layer(layer, group)
