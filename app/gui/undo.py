"""Undo and redo of layer-tree edits (Edit → Undo / Redo, Ctrl+Z / Ctrl+Shift+Z).

:class:`TreeEdits` is the one place the layer panel changes a :class:`layers.tree.LayerTree`:
remove a layer or group, add a group, rename, move (reorder, into another group), show/hide,
opacity and style (a vector layer's style, a raster's colormap). With a :class:`QUndoStack` set
(the main window's), each edit is a command on it; without one the edit is just made.

Commands keep the objects themselves (the removed layer with its data and style, the old style
object), so undo puts back exactly what was there: a removed layer returns at the same place of
the same group with its style, visibility and opacity. Consecutive opacity changes of one node
(dragging the slider) merge into one step. The main window clears the stack when another
workspace, park or set of results arrives (their layers are not the ones the commands hold).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand, QUndoStack

from layers.tree import LayerGroup

OPACITY_COMMAND_ID = 0x4C54  # "LT": mergeable opacity steps


def tr(text: str) -> str:
    return QCoreApplication.translate("Undo", text)


def _label(node) -> str:
    return node.name if isinstance(node, LayerGroup) else node.title


def _parent_of(tree, node):
    return node.parent if isinstance(node, LayerGroup) else tree.parent(node)


def _in_tree(tree, group) -> bool:
    return group is tree.root or (group is not None and tree.contains(group))


class RemoveNode(QUndoCommand):
    def __init__(self, tree, node) -> None:
        super().__init__(tr("Remove {0}").format(_label(node)))
        self.tree, self.node = tree, node
        self.parent = _parent_of(tree, node)
        self.index = self.parent.children.index(node)

    def redo(self) -> None:
        if self.tree.contains(self.node):
            self.tree.remove(self.node)

    def undo(self) -> None:
        parent = self.parent if _in_tree(self.tree, self.parent) else self.tree.root
        self.tree.insert(self.node, parent, self.index)


class AddGroup(QUndoCommand):
    def __init__(self, tree, name: str, parent=None, index: int | None = None) -> None:
        super().__init__(tr("Add group {0}").format(name))
        self.tree, self.name = tree, name
        self.parent = parent if parent is not None else tree.root
        self.index = index
        self.group: LayerGroup | None = None

    def redo(self) -> None:
        parent = self.parent if _in_tree(self.tree, self.parent) else self.tree.root
        if self.group is None:
            self.group = self.tree.add_group(self.name, parent, self.index)
        else:
            self.tree.insert(self.group, parent, self.index)

    def undo(self) -> None:
        if self.group is not None and self.tree.contains(self.group):
            self.index = self.group.parent.children.index(self.group)
            self.tree.remove(self.group)


class Rename(QUndoCommand):
    def __init__(self, node, text: str) -> None:
        super().__init__(tr("Rename {0}").format(_label(node)))
        self.node, self.new = node, text
        self.old = node.name if isinstance(node, LayerGroup) else getattr(node, "_title", node.title)

    def _set(self, value) -> None:
        if isinstance(self.node, LayerGroup):
            self.node.name = value
        else:
            self.node.title = value

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)


class SetVisible(QUndoCommand):
    def __init__(self, node, visible: bool) -> None:
        text = tr("Show {0}") if visible else tr("Hide {0}")
        super().__init__(text.format(_label(node)))
        self.node, self.new, self.old = node, bool(visible), bool(node.visible)

    def redo(self) -> None:
        self.node.visible = self.new

    def undo(self) -> None:
        self.node.visible = self.old


class SetOpacity(QUndoCommand):
    def __init__(self, node, opacity: float) -> None:
        super().__init__(tr("Opacity of {0}").format(_label(node)))
        self.node, self.new, self.old = node, float(opacity), float(node.opacity)

    def id(self) -> int:
        return OPACITY_COMMAND_ID

    def mergeWith(self, other) -> bool:
        if not isinstance(other, SetOpacity) or other.node is not self.node:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.node.opacity = self.new

    def undo(self) -> None:
        self.node.opacity = self.old


class MoveNode(QUndoCommand):
    """Move ``node`` into ``group`` at ``index`` (LayerTree.move's index: after taking it out)."""

    def __init__(self, tree, node, group, index: int | None) -> None:
        super().__init__(tr("Move {0}").format(_label(node)))
        self.tree, self.node = tree, node
        self.old_parent = _parent_of(tree, node)
        self.old_index = self.old_parent.children.index(node)
        self.new_parent, self.new_index = group, index

    def redo(self) -> None:
        self.tree.move(self.node, self.new_parent, self.new_index)
        self.new_index = self.new_parent.children.index(self.node)  # as placed (redo repeats it)

    def undo(self) -> None:
        parent = self.old_parent if _in_tree(self.tree, self.old_parent) else self.tree.root
        self.tree.move(self.node, parent, self.old_index)


class SetStyle(QUndoCommand):
    """A vector layer's style or a raster layer's colormap."""

    def __init__(self, layer, style) -> None:
        super().__init__(tr("Style of {0}").format(layer.title))
        self.layer, self.new = layer, style
        self.old = layer.colormap if _is_raster(layer) else layer.style

    def _set(self, style) -> None:
        if _is_raster(self.layer):
            self.layer.colormap = style
        else:
            self.layer.style = style

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)


def _is_raster(layer) -> bool:
    return getattr(layer, "kind", None) == "raster"


class TreeEdits:
    """Edits of ``tree``; undoable when ``stack`` (a QUndoStack) is given (see the module doc)."""

    def __init__(self, tree, stack: QUndoStack | None = None) -> None:
        self.tree, self.stack = tree, stack

    def push(self, command: QUndoCommand) -> None:
        if self.stack is not None:
            self.stack.push(command)  # runs redo()
        else:
            command.redo()

    def remove(self, node) -> None:
        if node is None or node is self.tree.root or not self.tree.contains(node):
            return
        self.push(RemoveNode(self.tree, node))

    def add_group(self, name: str, parent=None, index: int | None = None) -> LayerGroup:
        cmd = AddGroup(self.tree, name, parent, index)
        self.push(cmd)
        return cmd.group

    def rename(self, node, text: str) -> None:
        current = node.name if isinstance(node, LayerGroup) else node.title
        if text and text != current:
            self.push(Rename(node, text))

    def set_visible(self, node, visible: bool) -> None:
        if bool(visible) != bool(node.visible):
            self.push(SetVisible(node, visible))

    def set_opacity(self, node, opacity: float) -> None:
        if abs(float(opacity) - float(node.opacity)) > 1e-9:
            self.push(SetOpacity(node, opacity))

    def move(self, node, group, index: int | None) -> None:
        self.push(MoveNode(self.tree, node, group, index))

    def set_style(self, layer, style) -> None:
        self.push(SetStyle(layer, style))
