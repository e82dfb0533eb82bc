"""Form helpers shared by the Siting panel's tabs (spin boxes with an "automatic" value, combo
boxes chosen by their data, the roads combo, rows of widgets, the settings debounce, the UI
language)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QWidget

from app.siting.options import ARRAY_LAYERS

SETTINGS_DEBOUNCE_MS = 250
"""A settings edit (typing in a spin box) is applied 250 ms after the last keystroke."""
ROAD_EXCLUDES = ("buildings", "boundary", "green", "townships", *ARRAY_LAYERS)
"""Layers never offered as roads."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Siting", text)


def debounce_timer(parent: QObject, apply: Callable[[], None]) -> QTimer:
    """A single-shot timer calling ``apply`` :data:`SETTINGS_DEBOUNCE_MS` after its last start."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(SETTINGS_DEBOUNCE_MS)
    timer.timeout.connect(apply)
    return timer


def row(*widgets: QWidget, stretch: QWidget | None = None) -> QHBoxLayout:
    """The widgets side by side; ``stretch`` takes the room left."""
    lay = QHBoxLayout()
    for w in widgets:
        lay.addWidget(w, 1 if w is stretch else 0)
    return lay


def fill_roads(combo: QComboBox, layers: list, current: str) -> None:
    """The roads combo: "(no road layer)", then ``layers`` (line or polygon layers other than
    :data:`ROAD_EXCLUDES`); ``current`` stays chosen when still there. No change signals."""
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(tr("(no road layer)"), "")
    for lyr in layers:
        combo.addItem(lyr.title, lyr.name)
    choose(combo, current)
    combo.blockSignals(False)


def ui_lang() -> str:
    """"zh" or "en" (Chinese, the product's default, when the settings cannot be read)."""
    try:
        from app.gui.i18n import ui_lang as lang

        return "en" if lang() == "en" else "zh"
    except Exception:  # settings not readable
        return "zh"


def spin(lo: float, hi: float, value: float, decimals: int = 1, step: float = 1.0, suffix: str = "",
         special: str | None = None, tip: str = "") -> QDoubleSpinBox:
    """A spin box applying on Enter or focus loss (no keyboard tracking); ``special``: the text of
    its minimum, which then means "automatic" (see :func:`optional`)."""
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    if suffix:
        s.setSuffix(suffix)
    if special is not None:
        s.setSpecialValueText(special)
    s.setValue(value)
    s.setKeyboardTracking(False)
    if tip:
        s.setToolTip(tip)
    return s


def optional(box: QDoubleSpinBox) -> float | None:
    """The value, or None when the box shows its "automatic" minimum."""
    return None if box.value() == box.minimum() and box.specialValueText() else float(box.value())


def set_optional(box: QDoubleSpinBox, value: float | None) -> None:
    box.setValue(box.minimum() if value is None else float(value))


def choose(combo: QComboBox, value: Any) -> None:
    """Select the item whose data is ``value`` (none: the selection stays)."""
    i = combo.findData(value)
    if i >= 0:
        combo.setCurrentIndex(i)
