"""Map tools of the Siting panel (registered on the canvas with ``MapCanvas.add_tool``).

| tool | mouse and keys |
|---|---|
| ``place_turbine`` | click: a turbine there |
| ``move_turbine`` | drag a turbine (results follow while dragging, throttled); Esc while dragging: back |
| ``delete_turbine`` | click a turbine: it goes |
| ``draw_array`` | click the corners; double-click or Enter: finish; Backspace: last corner off; Esc: cancel |

The tools work on the siting model (``app.siting``): :class:`TurbineLayout` for turbines,
:class:`ArrayArea` for the array area; every finished edit is one undo step there. While a turbine
is dragged the tool evaluates at most every DRAG_THROTTLE_MS. They paint an overlay on the map:
turbine labels, the turbine under the mouse, the dragged turbine with its spacing ellipse, the
array area being drawn and the current one (dashed).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)

from app.gui.map_tools import MapTool

if TYPE_CHECKING:
    from app.gui.canvas import MapCanvas
    from app.siting.array import ArrayArea
    from app.siting.wind import TurbineLayout

HIT_PX = 10.0          # a click this close to a turbine (logical px) picks it
TURBINE_COLOUR = QColor("#1565c0")
DRAG_COLOUR = QColor("#e65100")
ARRAY_COLOUR = QColor("#08519c")
VIOLATION_COLOUR = QColor("#d7301f")
SITING_TOOL_NAMES = ("place_turbine", "move_turbine", "delete_turbine", "draw_array")
DRAG_THROTTLE_MS = 80
"""While a turbine is dragged, at most one evaluation per 80 ms (≈ 12 per second)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("SitingTools", text)


def _pen(colour: QColor, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(colour, width, style)
    pen.setCosmetic(True)
    return pen


def turbine_pixels(wind: TurbineLayout, canvas: MapCanvas) -> np.ndarray:
    """The turbines in widget pixels (n × 2)."""
    xy = wind.view_xy()
    if not len(xy):
        return np.zeros((0, 2))
    px, py = canvas.to_pixel(xy[:, 0], xy[:, 1])
    return np.c_[px, py]


def turbine_at_pixel(wind: TurbineLayout, canvas: MapCanvas, px: float, py: float,
                     tol_px: float) -> int | None:
    """The index of the turbine nearest widget point (px, py) within ``tol_px``, else None."""
    pts = turbine_pixels(wind, canvas)
    if not len(pts):
        return None
    d = np.hypot(pts[:, 0] - px, pts[:, 1] - py)
    d[~np.isfinite(d)] = np.inf
    i = int(np.argmin(d))
    return i if d[i] <= tol_px else None


class _WindTool(MapTool):
    """Shared by the turbine tools: the hovered turbine and labels in the overlay."""

    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas: MapCanvas, wind: TurbineLayout) -> None:
        super().__init__(canvas)
        self.wind = wind
        self.hover: int | None = None

    def cancel(self) -> None:
        super().cancel()
        self.hover = None

    def _pos(self, e: QMouseEvent) -> tuple[float, float]:
        return e.position().x(), e.position().y()

    def move(self, e: QMouseEvent) -> bool:
        self._moved(e)
        h = turbine_at_pixel(self.wind, self.canvas, *self._pos(e), HIT_PX)
        if h != self.hover:
            self.hover = h
            self.canvas.update()
        return False  # the canvas still shows the coordinates

    def paint(self, painter: QPainter) -> None:
        pts = turbine_pixels(self.wind, self.canvas)
        if not len(pts):
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        fm = QFontMetricsF(painter.font())
        ids = self.wind.ids
        bad = self.wind.violating_ids()
        for i, (x, y) in enumerate(pts):
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            colour = VIOLATION_COLOUR if ids[i] in bad else QColor("#263238")
            text = str(ids[i])
            box = QRectF(x + 7, y - fm.height() - 2, fm.horizontalAdvance(text) + 6, fm.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 200))
            painter.drawRoundedRect(box, 2, 2)
            painter.setPen(colour)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        if self.hover is not None and self.hover < len(pts):
            x, y = pts[self.hover]
            painter.setPen(_pen(DRAG_COLOUR, 2.0))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(x, y), HIT_PX, HIT_PX)


def draw_spacing_ellipse(painter: QPainter, canvas: MapCanvas, px: float, py: float, along_m: float,
                         across_m: float, prevailing_deg: float | None) -> None:
    """The spacing ellipse (along × across the prevailing wind; a circle without one) around
    widget point (px, py)."""
    upp = canvas.units_per_pixel()
    if not upp:
        return
    a, b = along_m / upp, across_m / upp
    painter.save()
    try:
        painter.translate(px, py)
        if prevailing_deg is None:
            b = a
        else:
            painter.rotate(float(prevailing_deg))  # y-down: rotating clockwise turns north to the bearing
        fill = QColor(DRAG_COLOUR)
        fill.setAlpha(28)
        painter.setBrush(fill)
        painter.setPen(_pen(DRAG_COLOUR, 1.2, Qt.PenStyle.DashLine))
        painter.drawEllipse(QPointF(0, 0), b, a)
    finally:
        painter.restore()


class PlaceTurbineTool(_WindTool):
    """Click: a new turbine at that point (one undo step)."""

    name = "place_turbine"

    def hint(self) -> str:
        return tr("Click to place a turbine; AEP, wake losses and violations update at once")

    def press(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._start(e)
        return True

    def release(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton or self._press is None:
            return False
        self._press = None
        x, y = self.canvas.to_map(*self._pos(e))
        self.wind.add_turbine(x, y)
        self.canvas.update()
        return True

    def double_click(self, e: QMouseEvent) -> bool:
        return True  # the second click of a double-click places nothing more

    def paint(self, painter: QPainter) -> None:
        super().paint(painter)


class MoveTurbineTool(_WindTool):
    """Drag a turbine; its AEP and the violations follow while dragging (throttled); release: one
    undo step; Esc while dragging: back where it was."""

    name = "move_turbine"
    cursor = Qt.CursorShape.SizeAllCursor

    def __init__(self, canvas: MapCanvas, wind: TurbineLayout) -> None:
        super().__init__(canvas, wind)
        self.index: int | None = None
        self.at: tuple[float, float] | None = None  # map coordinates of the dragged turbine
        self._last_eval = 0.0  # time.perf_counter() of the last live evaluation
        self._timer = QTimer(canvas)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._throttled_refresh)

    def hint(self) -> str:
        return tr("Drag a turbine to move it; Esc while dragging puts it back")

    def cancel(self) -> None:
        self._timer.stop()
        if self.index is not None:
            self.wind.cancel_move(self.index)
        super().cancel()
        self.index, self.at = None, None

    def _drag_to(self, x: float, y: float) -> None:
        """Move the dragged turbine; evaluate now or within DRAG_THROTTLE_MS of the last time."""
        wait = DRAG_THROTTLE_MS - (time.perf_counter() - self._last_eval) * 1000.0
        if wait <= 0:
            self._last_eval = time.perf_counter()
            self.wind.drag_to(self.index, x, y)
            return
        self.wind.drag_to(self.index, x, y, evaluate=False)
        if not self._timer.isActive():
            self._timer.start(math.ceil(wait))

    def _throttled_refresh(self) -> None:
        self._last_eval = time.perf_counter()
        self.wind.refresh_drag()

    def press(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        i = turbine_at_pixel(self.wind, self.canvas, *self._pos(e), HIT_PX)
        if i is None:
            return False
        self._start(e)
        self.index = i
        self.at = None
        self._last_eval = 0.0
        self.wind.begin_move(i)
        return True

    def move(self, e: QMouseEvent) -> bool:
        if self.index is None:
            return super().move(e)
        if self._moved(e):
            self.at = self.canvas.to_map(*self._pos(e))
            self._drag_to(*self.at)
            self.canvas.update()
        return True

    def release(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton or self.index is None:
            return False
        self._timer.stop()
        i, dragged = self.index, self._dragging
        self.index, self._press, self._dragging = None, None, False
        if dragged:
            x, y = self.canvas.to_map(*self._pos(e))
            self.wind.end_move(i, x, y)
        else:
            self.wind.cancel_move(i)
        self.at = None
        self.canvas.update()
        return True

    def paint(self, painter: QPainter) -> None:
        super().paint(painter)
        if self.index is None or self.at is None:
            return
        px, py = self.canvas.to_pixel(*self.at)
        along, across, prevailing = self.wind.spacing_axes_m()
        draw_spacing_ellipse(painter, self.canvas, px, py, along, across, prevailing)
        painter.setPen(_pen(QColor("#ffffff"), 1.5))
        painter.setBrush(DRAG_COLOUR)
        painter.drawEllipse(QPointF(px, py), 6.0, 6.0)


class DeleteTurbineTool(_WindTool):
    """Click a turbine: it is removed (one undo step)."""

    name = "delete_turbine"
    cursor = Qt.CursorShape.PointingHandCursor

    def hint(self) -> str:
        return tr("Click a turbine to delete it")

    def press(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._start(e)
        return True

    def release(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton or self._press is None:
            return False
        self._press = None
        i = turbine_at_pixel(self.wind, self.canvas, *self._pos(e), HIT_PX)
        if i is not None:
            self.wind.delete_turbine(i)
            self.hover = None
            self.canvas.update()
        return True


class DrawArrayTool(MapTool):
    """Click the corners of a PV array area; double-click or Enter finishes (the array is laid out
    at once), Backspace removes the last corner, Esc cancels. The current area is shown dashed."""

    name = "draw_array"
    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas: MapCanvas, array: ArrayArea) -> None:
        super().__init__(canvas)
        self.array = array
        self.points: list[tuple[float, float]] = []  # map coordinates
        self.hover: tuple[float, float] | None = None
        self._ignore_release = False

    def hint(self) -> str:
        return tr("Click the corners of the PV array area; double-click or Enter to finish, Backspace "
                  "removes the last corner, Esc cancels")

    def cancel(self) -> None:
        super().cancel()
        self.points, self.hover = [], None
        self._ignore_release = False

    def press(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._start(e)
        return True

    def move(self, e: QMouseEvent) -> bool:
        self._moved(e)
        self.hover = self.canvas.to_map(e.position().x(), e.position().y())
        if self.points:
            self.canvas.update()
        return False

    def _distinct(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        pa, pb = self.canvas.to_pixel(*a), self.canvas.to_pixel(*b)
        return math.hypot(pa[0] - pb[0], pa[1] - pb[1]) >= 2.0

    def _add(self, e: QMouseEvent) -> None:
        p = self.canvas.to_map(e.position().x(), e.position().y())
        if not self.points or self._distinct(self.points[-1], p):
            self.points.append(p)

    def release(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._press = None
        if self._ignore_release:
            self._ignore_release = False
            return True
        self._add(e)
        self.canvas.update()
        return True

    def double_click(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._add(e)
        self._ignore_release = True
        self.finish()
        return True

    def finish(self) -> bool:
        """Hand the polygon to the array (≥ 3 corners); True when it was taken."""
        if len(self.points) < 3:
            return False
        pts, self.points, self.hover = list(self.points), [], None
        self.array.set_area_from_canvas(pts)
        self.canvas.update()
        return True

    def key(self, e: QKeyEvent) -> bool:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            return True
        if e.key() == Qt.Key.Key_Backspace and self.points:
            self.points.pop()
            self.canvas.update()
            return True
        return super().key(e)

    def paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for ring in self.array.outline():
            if len(ring) >= 3:
                px, py = self.canvas.to_pixel(ring[:, 0], ring[:, 1])
                painter.setPen(_pen(ARRAY_COLOUR, 1.5, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in np.c_[px, py].tolist()]))
        if not self.points:
            return
        pts = list(self.points) + ([self.hover] if self.hover is not None else [])
        poly = QPolygonF([QPointF(*self.canvas.to_pixel(x, y)) for x, y in pts])
        fill = QColor(ARRAY_COLOUR)
        fill.setAlpha(45)
        painter.setPen(_pen(ARRAY_COLOUR, 2.0))
        painter.setBrush(QBrush(fill) if len(pts) >= 3 else Qt.BrushStyle.NoBrush)
        if len(pts) >= 3:
            painter.drawPolygon(poly)
        else:
            painter.drawPolyline(poly)
        painter.setBrush(QColor("#ffffff"))
        for i in range(len(self.points)):
            painter.drawEllipse(poly[i], 3.0, 3.0)


def make_siting_tools(canvas: MapCanvas, wind: TurbineLayout, array: ArrayArea) -> dict[str, MapTool]:
    """The four tools for ``canvas`` working on the model's ``wind`` and ``array``."""
    return {"place_turbine": PlaceTurbineTool(canvas, wind), "move_turbine": MoveTurbineTool(canvas, wind),
            "delete_turbine": DeleteTurbineTool(canvas, wind), "draw_array": DrawArrayTool(canvas, array)}


# ---- icons (drawn here: 24 × 24, like resources/icons) -----------------------------------------

def _turbine_glyph(p: QPainter, cx: float, cy: float, colour: QColor) -> None:
    p.setPen(_pen(colour, 1.6))
    p.drawLine(QPointF(cx, cy), QPointF(cx, 22))
    for ang in (90, 210, 330):
        a = math.radians(ang)
        p.drawLine(QPointF(cx, cy), QPointF(cx + 7 * math.cos(a), cy - 7 * math.sin(a)))
    p.setBrush(colour)
    p.drawEllipse(QPointF(cx, cy), 1.6, 1.6)


def tool_icon(name: str) -> QIcon:
    """A small painted icon of a siting tool."""
    pm = QPixmap(24, 24)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        ink = QColor("#37474f")
        if name in ("place_turbine", "move_turbine", "delete_turbine"):
            _turbine_glyph(p, 10, 9, ink)
            if name == "place_turbine":
                p.setPen(_pen(QColor("#2e7d32"), 2.0))
                p.drawLine(QPointF(18, 14), QPointF(18, 22))
                p.drawLine(QPointF(14, 18), QPointF(22, 18))
            elif name == "move_turbine":
                p.setPen(_pen(DRAG_COLOUR, 1.6))
                path = QPainterPath(QPointF(14, 18))
                path.lineTo(22, 18)
                path.moveTo(19, 15)
                path.lineTo(22, 18)
                path.lineTo(19, 21)
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPath(path)
            else:
                p.setPen(_pen(VIOLATION_COLOUR, 2.0))
                p.drawLine(QPointF(15, 15), QPointF(22, 22))
                p.drawLine(QPointF(22, 15), QPointF(15, 22))
        elif name == "siting":
            _turbine_glyph(p, 8, 8, ink)
            p.setPen(_pen(ARRAY_COLOUR, 1.2))
            p.setBrush(QColor(8, 81, 156, 90))
            p.drawPolygon(QPolygonF([QPointF(12, 22), QPointF(14, 15), QPointF(23, 15), QPointF(21, 22)]))
        else:
            p.setPen(_pen(ARRAY_COLOUR, 1.5))
            p.setBrush(QColor(8, 81, 156, 60))
            p.drawPolygon(QPolygonF([QPointF(3, 20), QPointF(6, 5), QPointF(20, 3), QPointF(21, 18)]))
            p.setBrush(ARRAY_COLOUR)
            for x, y in ((8, 9), (13, 8), (8, 14), (13, 13)):
                p.drawRect(QRectF(x, y, 4, 3))
    finally:
        p.end()
    return QIcon(pm)
