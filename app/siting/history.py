"""Undo for the siting as plain data: an :class:`Edit` names its target and the states before and
after; :class:`EditHistory` is the model's own undo stack (the desktop app wraps each edit in a
QUndoCommand on the window's stack instead, so that Edit → Undo covers layer and siting edits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from layers.layer import Signal

Target = Literal["wind", "array"]


@dataclass(frozen=True)
class Edit:
    """One edit of the turbine layout ("wind": (ids, xy)) or the array area ("array": polygons,
    None, or the array layers found before the first edit). ``text`` is in the UI language."""

    target: Target
    text: str
    before: Any
    after: Any


class EditHistory:
    """A linear undo stack of edits; ``apply(edit, forward)`` puts ``edit.after`` (forward) or
    ``edit.before`` into the model. ``changed()`` is emitted after every push, undo, redo, clear."""

    def __init__(self, apply: Callable[[Edit, bool], None]) -> None:
        self._apply = apply
        self.edits: list[Edit] = []
        self.index = 0
        self.changed = Signal()

    def push(self, edit: Edit) -> None:
        """Apply ``edit`` and make it the newest step (steps undone before are dropped)."""
        del self.edits[self.index:]
        self.edits.append(edit)
        self.index = len(self.edits)
        self._apply(edit, True)
        self.changed.emit()

    def undo(self) -> bool:
        if not self.index:
            return False
        self.index -= 1
        self._apply(self.edits[self.index], False)
        self.changed.emit()
        return True

    def redo(self) -> bool:
        if self.index >= len(self.edits):
            return False
        self._apply(self.edits[self.index], True)
        self.index += 1
        self.changed.emit()
        return True

    def clear(self) -> None:
        self.edits, self.index = [], 0
        self.changed.emit()

    def count(self) -> int:
        return len(self.edits)

    def undo_text(self) -> str:
        return self.edits[self.index - 1].text if self.index else ""

    def redo_text(self) -> str:
        return self.edits[self.index].text if self.index < len(self.edits) else ""
