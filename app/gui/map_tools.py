"""Map tools of the canvas: pan, zoom box, identify, select, measure distance/area.

A tool gets the canvas's mouse and key events (after the canvas's own: wheel zoom, middle-button
pan) and paints its overlay (rubber band, measurement) on top of the map in widget coordinates.
Tools speak to the canvas through its public methods only (``to_map``, ``pan_by_pixels``,
``zoom_by``, ``set_extent``, ``identify_at``, ``select_at``, ``select_in_rect``, ``measure_done``).

:func:`create_map_actions` builds translated QActions for a toolbar (the main window's choice).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QBrush,
    QColor,
    QFontMetricsF,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPen,
    QPolygonF,
)

from app.gui import measure

if TYPE_CHECKING:
    from app.gui.canvas import MapCanvas

DRAG_PX = 4  # a press that moves less than this (logical px) before release is a click
TOOL_NAMES = ("pan", "zoom_in_box", "identify", "select", "measure_distance", "measure_area")


translate = QCoreApplication.translate  # literal ("MapTools", "…") calls: pyside6-lupdate finds them


# ---- formatting of measured values (translated units) ------------------------------------------

def format_length(metres: float) -> str:
    """"123.4 m" below 1 km, else "1.235 km" (Chinese: 米 / 公里)."""
    if abs(metres) < 1000:
        return translate("MapTools", "%1 m").replace("%1", measure.nice_number(metres))
    return translate("MapTools", "%1 km").replace("%1", f"{metres / 1000:,.3f}")


def format_area(m2: float) -> str:
    """"1,234 m²" below 1 ha, "1.234 ha (12,340 m²)" below 1 km², else "1.234 km²"."""
    if abs(m2) < 10_000:
        return translate("MapTools", "%1 m²").replace("%1", measure.nice_number(m2))
    if abs(m2) < 1_000_000:
        ha = translate("MapTools", "%1 ha").replace("%1", f"{m2 / 10_000:,.3f}")
        m2_text = translate("MapTools", "%1 m²").replace("%1", f"{m2:,.0f}")
        return f"{ha} ({m2_text})"
    return translate("MapTools", "%1 km²").replace("%1", f"{m2 / 1_000_000:,.3f}")


# ---- tools --------------------------------------------------------------------------------------

class MapTool:
    """Base tool: no-op handlers. Handlers return True when they used the event."""

    name = ""
    cursor = Qt.CursorShape.ArrowCursor

    def __init__(self, canvas: MapCanvas) -> None:
        self.canvas = canvas
        self._press: QPointF | None = None
        self._dragging = False

    def activate(self) -> None:
        self.canvas.setCursor(self.cursor)

    def deactivate(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        self._press = None
        self._dragging = False

    def hint(self) -> str:
        return ""

    # drag detection shared by the tools
    def _start(self, e: QMouseEvent) -> None:
        self._press = e.position()
        self._dragging = False

    def _moved(self, e: QMouseEvent) -> bool:
        if self._press is None:
            return False
        d = e.position() - self._press
        if not self._dragging and abs(d.x()) + abs(d.y()) >= DRAG_PX:
            self._dragging = True
        return self._dragging

    def press(self, e: QMouseEvent) -> bool:
        return False

    def move(self, e: QMouseEvent) -> bool:
        return False

    def release(self, e: QMouseEvent) -> bool:
        return False

    def double_click(self, e: QMouseEvent) -> bool:
        return False

    def key(self, e: QKeyEvent) -> bool:
        if e.key() == Qt.Key.Key_Escape:
            self.cancel()
            self.canvas.update()
            return True
        return False

    def paint(self, painter: QPainter) -> None:
        pass


class PanTool(MapTool):
    """Drag to move the map: the last image is translated at once; re-rendered on release."""

    name = "pan"
    cursor = Qt.CursorShape.OpenHandCursor

    def hint(self) -> str:
        return translate("MapTools", "Drag to move the map; the mouse wheel zooms about the cursor")

    def press(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._start(e)
        self._last = e.position()
        self.canvas.setCursor(Qt.CursorShape.ClosedHandCursor)
        return True

    def move(self, e: QMouseEvent) -> bool:
        if self._press is None:
            return False
        self._moved(e)
        d = e.position() - self._last
        self._last = e.position()
        self.canvas.pan_by_pixels(d.x(), d.y())
        return True

    def release(self, e: QMouseEvent) -> bool:
        if self._press is None or e.button() != Qt.MouseButton.LeftButton:
            return False
        self._press = None
        self.canvas.setCursor(self.cursor)
        self.canvas.pan_finished()
        return True


class _RubberBandTool(MapTool):
    """Press–drag–release draws a rectangle; a click without drag is a click."""

    colour = QColor("#1e64c8")

    def press(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._start(e)
        self._end = e.position()
        return True

    def move(self, e: QMouseEvent) -> bool:
        if self._press is None:
            return False
        self._end = e.position()
        if self._moved(e):
            self.canvas.update()
        return True

    def release(self, e: QMouseEvent) -> bool:
        if self._press is None or e.button() != Qt.MouseButton.LeftButton:
            return False
        start, dragging = self._press, self._dragging
        self._press, self._dragging = None, False
        self.canvas.update()
        if dragging:
            self.box(QRectF(start, e.position()).normalized(), e.modifiers())
        else:
            self.click(e.position(), e.modifiers())
        return True

    def box(self, rect: QRectF, modifiers) -> None:
        pass

    def click(self, pos: QPointF, modifiers) -> None:
        pass

    def paint(self, painter: QPainter) -> None:
        if self._press is None or not self._dragging:
            return
        pen = QPen(self.colour, 1.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        fill = QColor(self.colour)
        fill.setAlpha(40)
        painter.setBrush(QBrush(fill))
        painter.drawRect(QRectF(self._press, self._end).normalized())


class ZoomBoxTool(_RubberBandTool):
    """Drag a box to zoom to it; click zooms in 2× about the point, Shift+click zooms out."""

    name = "zoom_in_box"
    cursor = Qt.CursorShape.CrossCursor
    colour = QColor("#505050")

    def hint(self) -> str:
        return translate("MapTools", "Drag a box to zoom to it; click to zoom in, Shift+click to zoom out")

    def box(self, rect: QRectF, modifiers) -> None:
        x0, y0 = self.canvas.to_map(rect.left(), rect.bottom())
        x1, y1 = self.canvas.to_map(rect.right(), rect.top())
        self.canvas.set_extent((x0, y0, x1, y1))

    def click(self, pos: QPointF, modifiers) -> None:
        out = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        self.canvas.zoom_by(0.5 if out else 2.0, pos.x(), pos.y())


def _selection_mode(modifiers) -> str:
    if modifiers & Qt.KeyboardModifier.ShiftModifier:
        return "add"
    if modifiers & Qt.KeyboardModifier.ControlModifier:
        return "remove"
    return "replace"


class IdentifyTool(_RubberBandTool):
    """Click a feature to see its attributes (top-most visible layer first)."""

    name = "identify"
    cursor = Qt.CursorShape.WhatsThisCursor

    def hint(self) -> str:
        return translate("MapTools", "Click a feature to see its attributes")

    def click(self, pos: QPointF, modifiers) -> None:
        self.canvas.identify_at(pos.x(), pos.y())

    def box(self, rect: QRectF, modifiers) -> None:  # a sloppy click still identifies
        c = rect.center()
        self.canvas.identify_at(c.x(), c.y())

    def paint(self, painter: QPainter) -> None:
        pass


class SelectTool(_RubberBandTool):
    """Click or drag a box to select; Shift adds, Ctrl removes."""

    name = "select"
    cursor = Qt.CursorShape.PointingHandCursor
    colour = QColor("#d81b60")

    def hint(self) -> str:
        return translate("MapTools", "Click or drag a box to select; Shift adds, Ctrl removes")

    def click(self, pos: QPointF, modifiers) -> None:
        self.canvas.select_at(pos.x(), pos.y(), _selection_mode(modifiers))

    def box(self, rect: QRectF, modifiers) -> None:
        self.canvas.select_in_rect(rect, _selection_mode(modifiers))


class MeasureTool(MapTool):
    """Click points of a polyline (distance) or polygon (area); double-click or Enter finishes,
    Backspace removes the last point, Esc cancels. Values come from app.gui.measure on the map
    CRS (planar metres on the local metric CRS, geodesic on lon/lat)."""

    cursor = Qt.CursorShape.CrossCursor
    colour = QColor("#e65100")

    def __init__(self, canvas: MapCanvas, kind: str) -> None:
        super().__init__(canvas)
        if kind not in ("distance", "area"):
            raise ValueError(kind)
        self.kind = kind
        self.name = f"measure_{kind}"
        self.points: list[tuple[float, float]] = []  # map coordinates
        self.hover: tuple[float, float] | None = None
        self.finished = False
        self.value: float | None = None  # the last finished value (m or m²)
        self._ignore_release = False

    def hint(self) -> str:
        return translate("MapTools", "Click to add points; double-click or Enter to finish, "
                         "Backspace to undo, Esc to cancel")

    def cancel(self) -> None:
        super().cancel()
        self.points, self.hover, self.finished, self.value = [], None, False, None

    def current_value(self, with_hover: bool = True) -> float:
        pts = list(self.points)
        if with_hover and self.hover is not None and not self.finished:
            pts.append(self.hover)
        crs = self.canvas.crs()
        if self.kind == "distance":
            return measure.polyline_length_m(pts, crs) if len(pts) >= 2 else 0.0
        return measure.polygon_area_m2(pts, crs) if len(pts) >= 3 else 0.0

    def press(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._start(e)
        return True

    def move(self, e: QMouseEvent) -> bool:
        self._moved(e)
        if not self.finished:
            self.hover = self.canvas.to_map(e.position().x(), e.position().y())
            if self.points:
                self.canvas.update()
        return False  # let the canvas show coordinates

    def release(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        if self._ignore_release:
            self._ignore_release = False
            self._press = None
            return True
        self._press = None
        if self.finished:  # a click after a finished measurement starts a new one
            self.points, self.finished, self.value = [], False, None
        p = self.canvas.to_map(e.position().x(), e.position().y())
        if not self.points or self._distinct_px(self.points[-1], p):
            self.points.append(p)
        self.canvas.update()
        return True

    def double_click(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        p = self.canvas.to_map(e.position().x(), e.position().y())
        if not self.points or self._distinct_px(self.points[-1], p):
            self.points.append(p)
        self._ignore_release = True
        self.finish()
        return True

    def _distinct_px(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        pa, pb = self.canvas.to_pixel(*a), self.canvas.to_pixel(*b)
        return math.hypot(pa[0] - pb[0], pa[1] - pb[1]) >= 2.0

    def finish(self) -> None:
        need = 2 if self.kind == "distance" else 3
        if len(self.points) < need:
            return
        self.finished, self.hover = True, None
        self.value = self.current_value(with_hover=False)
        self.canvas.measure_done(self.value, self.kind)
        self.canvas.update()

    def key(self, e: QKeyEvent) -> bool:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            return True
        if e.key() == Qt.Key.Key_Backspace and self.points and not self.finished:
            self.points.pop()
            self.canvas.update()
            return True
        return super().key(e)

    def text(self) -> str:
        """The overlay text: total so far (and perimeter for areas)."""
        v = self.value if self.finished else self.current_value()
        crs = self.canvas.crs()
        if self.kind == "distance":
            return translate("MapTools", "Distance: %1").replace("%1", format_length(v))
        pts = list(self.points) + ([self.hover] if self.hover and not self.finished else [])
        per = measure.polygon_perimeter_m(pts, crs) if len(pts) >= 2 else 0.0
        return (translate("MapTools", "Area: %1").replace("%1", format_area(v)) + "   "
                + translate("MapTools", "Perimeter: %1").replace("%1", format_length(per)))

    def paint(self, painter: QPainter) -> None:
        if not self.points:
            return
        pts = list(self.points)
        if self.hover is not None and not self.finished:
            pts.append(self.hover)
        poly = QPolygonF([QPointF(*self.canvas.to_pixel(x, y)) for x, y in pts])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(self.colour, 2.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        if self.kind == "area" and len(pts) >= 3:
            fill = QColor(self.colour)
            fill.setAlpha(50)
            painter.setBrush(QBrush(fill))
            painter.drawPolygon(poly)
        else:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolyline(poly)
        painter.setBrush(QBrush(QColor("#ffffff")))
        for i in range(len(self.points)):
            painter.drawEllipse(poly[i], 3.0, 3.0)
        text = self.text()
        fm = QFontMetricsF(painter.font())
        anchor = poly[poly.size() - 1] + QPointF(12, -8)
        box = QRectF(anchor.x(), anchor.y() - fm.ascent(), fm.horizontalAdvance(text) + 8,
                     fm.height() + 4)
        w, h = self.canvas.width(), self.canvas.height()
        box.moveLeft(min(box.left(), w - box.width() - 2))
        box.moveTop(min(max(box.top(), 2), h - box.height() - 2))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor("#202020"))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)


def make_tools(canvas: MapCanvas) -> dict[str, MapTool]:
    return {"pan": PanTool(canvas), "zoom_in_box": ZoomBoxTool(canvas),
            "identify": IdentifyTool(canvas), "select": SelectTool(canvas),
            "measure_distance": MeasureTool(canvas, "distance"),
            "measure_area": MeasureTool(canvas, "area")}


# ---- actions for a toolbar ----------------------------------------------------------------------

def create_map_actions(canvas: MapCanvas, parent: QObject) -> dict[str, QAction]:
    """Translated QActions driving ``canvas``: the six tools (checkable, exclusive, kept in sync
    with ``canvas.tool_changed``) and "zoom_full", "zoom_to_selection", "zoom_in", "zoom_out",
    "clear_selection". Keys are the tool/command names; shortcuts are suggestions (QGIS-like)."""
    specs = [  # name, text, shortcut, tool?
        ("pan", translate("MapActions", "Pan"), "Ctrl+Alt+P", True),
        ("zoom_in_box", translate("MapActions", "Zoom to Box"), "Ctrl+Alt+Z", True),
        ("identify", translate("MapActions", "Identify Features"), "Ctrl+Shift+I", True),
        ("select", translate("MapActions", "Select Features"), "Ctrl+Alt+S", True),
        ("measure_distance", translate("MapActions", "Measure Distance"), "Ctrl+Shift+M", True),
        ("measure_area", translate("MapActions", "Measure Area"), "Ctrl+Shift+J", True),
        ("zoom_full", translate("MapActions", "Zoom Full"), "Ctrl+Shift+F", False),
        ("zoom_to_selection", translate("MapActions", "Zoom to Selection"), "Ctrl+J", False),
        ("zoom_in", translate("MapActions", "Zoom In"), QKeySequence.StandardKey.ZoomIn, False),
        ("zoom_out", translate("MapActions", "Zoom Out"), QKeySequence.StandardKey.ZoomOut, False),
        ("clear_selection", translate("MapActions", "Clear Selection"), "Ctrl+Alt+A", False),
    ]
    group = QActionGroup(parent)
    group.setExclusive(True)
    actions: dict[str, QAction] = {}
    for name, text, shortcut, is_tool in specs:
        act = QAction(text, parent)
        act.setObjectName(f"map_{name}")
        act.setShortcut(QKeySequence(shortcut))
        if is_tool:
            act.setCheckable(True)
            group.addAction(act)
            act.triggered.connect(lambda _checked=False, n=name: canvas.set_tool(n))
        actions[name] = act
    actions["zoom_full"].triggered.connect(canvas.zoom_full)
    actions["zoom_to_selection"].triggered.connect(canvas.zoom_to_selection)
    actions["zoom_in"].triggered.connect(lambda: canvas.zoom_by(2.0))
    actions["zoom_out"].triggered.connect(lambda: canvas.zoom_by(0.5))
    actions["clear_selection"].triggered.connect(canvas.clear_selection)

    def sync(name: str) -> None:
        if name in actions:
            actions[name].setChecked(True)

    canvas.tool_changed.connect(sync)
    sync(canvas.tool())
    return actions
