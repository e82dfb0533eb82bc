"""Drawing a polygon on the map: the park's red line (File → New Park → Draw on the map).

| mouse and keys | what happens |
|---|---|
| click | a corner there (snapped to a vertex of a visible vector layer within SNAP_PX) |
| double-click, Enter | finish (three corners at least); a click on the first corner also closes |
| Backspace | the last corner off |
| Esc | cancel the drawing |

Snapping looks up the vertices of the visible vector layers in the view (a shapely ``STRtree`` over
them, rebuilt only when the view or the layers change), so that a red line drawn along a road or a
building's outline meets it exactly. The finished polygon becomes a layer ("Drawn red line") added
through :class:`AddDrawnLayer`, one step of the application's undo stack (Edit → Undo removes it).
The tool follows the measure tool's pattern (app.gui.map_tools.MeasureTool).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QMouseEvent, QPainter, QPen, QPolygonF, QUndoCommand

from app.gui.map_tools import MapTool

if TYPE_CHECKING:
    from app.gui.canvas import MapCanvas

TOOL_NAME = "draw_red_line"
SNAP_PX = 8.0
"""Snapping tolerance (logical px). QGIS snaps within 12 px by default; a little less here because
footprints in a park lie a few metres apart and a corner should snap to the one pointed at."""
MAX_SNAP_VERTICES = 200_000
"""No snapping when the view holds more vertices (zoomed out over a city): the index of 500,000
vertices took 1.26 s to build here (np.unique + shapely STRtree, 2-core machine), 0.38 s for
200,000; and a vertex at that scale is no target anyway."""
COLOUR = QColor("#d7191c")  # the red line's red (layers.preset_styles: the boundary)
DRAWN_LAYER = "drawn_red_line"
"""The key of the layer a drawing makes (numbered when there are several)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("DrawTool", text)


class VertexSnapper:
    """The vertices of the visible vector layers inside an extent, in a shapely STRtree."""

    def __init__(self) -> None:
        self.key: tuple | None = None
        self.coords = np.zeros((0, 2))
        self.tree: shapely.STRtree | None = None

    def update(self, layers: list, crs, extent: tuple[float, float, float, float] | None) -> None:
        """(Re)build the index for ``layers`` (drawn in ``crs``) within ``extent`` when either changed."""
        key = (extent, str(crs), tuple((id(lyr), lyr.data_version) for lyr in layers))
        if key == self.key:
            return
        self.key = key
        parts = []
        n = 0
        for lyr in layers:
            if extent is None or crs is None:
                break
            gdf = lyr.in_crs(crs) if lyr.crs is not None else lyr.gdf
            rows = gdf.sindex.query(shapely.box(*extent)) if len(gdf) else np.zeros(0, dtype=int)
            xy = shapely.get_coordinates(gdf.geometry.to_numpy()[rows])
            n += len(xy)
            if n > MAX_SNAP_VERTICES:
                parts = []
                break
            parts.append(xy)
        self.coords = np.unique(np.vstack(parts), axis=0) if parts else np.zeros((0, 2))
        self.tree = shapely.STRtree(shapely.points(self.coords)) if len(self.coords) else None

    def nearest(self, x: float, y: float, tolerance: float) -> tuple[float, float] | None:
        """The vertex nearest (x, y) within ``tolerance`` (map units), else None."""
        if self.tree is None or not (math.isfinite(x) and math.isfinite(y)):
            return None
        hit = self.tree.query_nearest(shapely.Point(x, y), max_distance=tolerance)
        if not len(hit):
            return None
        cx, cy = self.coords[int(hit[0])]
        return float(cx), float(cy)


def polygon_of(points: list[tuple[float, float]]) -> shapely.Geometry | None:
    """The polygon of the clicked corners, repaired when its edges cross (the polygonal parts of
    shapely's make_valid); None when it has no area."""
    if len(points) < 3:
        return None
    poly = shapely.Polygon(points)
    if not poly.is_valid:
        fixed = shapely.make_valid(poly)
        parts = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon")]
        poly = shapely.union_all(parts) if parts else shapely.Polygon()
    return None if poly.is_empty or poly.area <= 0 else poly


class DrawPolygonTool(MapTool):
    """Click the corners of a polygon (snapping to the visible layers' vertices); ``on_finished``
    gets the polygon (map CRS), ``on_cancelled`` is called on Esc."""

    name = TOOL_NAME
    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, canvas: MapCanvas, on_finished: Callable[[shapely.Geometry], None] | None = None,
                 on_cancelled: Callable[[], None] | None = None, snap_px: float = SNAP_PX) -> None:
        super().__init__(canvas)
        self.on_finished = on_finished
        self.on_cancelled = on_cancelled
        self.snap_px = snap_px
        self.points: list[tuple[float, float]] = []  # map coordinates
        self.hover: tuple[float, float] | None = None
        self.hover_snapped = False
        self.snapper = VertexSnapper()
        self._ignore_release = False

    def hint(self) -> str:
        return tr("Click the corners of the red line (snaps to vertices of visible layers); double-click "
                  "or Enter to finish, Backspace to remove the last corner, Esc to cancel")

    def cancel(self) -> None:
        super().cancel()
        self.points, self.hover, self.hover_snapped = [], None, False

    # ---- snapping
    def _layers(self) -> list:
        return [lyr for lyr in self.canvas.tree.visible_layers() if hasattr(lyr, "gdf")]

    def snap(self, px: float, py: float) -> tuple[tuple[float, float], bool]:
        """The map point for widget pixel (px, py): a vertex (of a visible layer, or the first
        corner) within ``snap_px``, else the point itself; and whether it snapped."""
        x, y = self.canvas.to_map(px, py)
        upp = self.canvas.units_per_pixel() or 0.0
        tol = self.snap_px * upp
        if len(self.points) >= 3:  # the first corner closes the polygon
            fx, fy = self.points[0]
            if math.hypot(fx - x, fy - y) <= tol:
                return (fx, fy), True
        self.snapper.update(self._layers(), self.canvas.crs(), self.canvas.extent())
        hit = self.snapper.nearest(x, y, tol)
        return (hit, True) if hit is not None else ((x, y), False)

    # ---- events
    def press(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._start(e)
        return True

    def move(self, e: QMouseEvent) -> bool:
        self._moved(e)
        self.hover, self.hover_snapped = self.snap(e.position().x(), e.position().y())
        self.canvas.update()
        return False  # the canvas still shows the coordinates

    def release(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        self._press = None
        if self._ignore_release:
            self._ignore_release = False
            return True
        p, _ = self.snap(e.position().x(), e.position().y())
        if len(self.points) >= 3 and p == self.points[0]:
            self.finish()
            return True
        self._add(p)
        return True

    def double_click(self, e: QMouseEvent) -> bool:
        if e.button() != Qt.MouseButton.LeftButton:
            return False
        p, _ = self.snap(e.position().x(), e.position().y())
        self._add(p)
        self._ignore_release = True
        self.finish()
        return True

    def _add(self, p: tuple[float, float]) -> None:
        if not self.points or self._distinct_px(self.points[-1], p):
            self.points.append(p)
        self.canvas.update()

    def _distinct_px(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        pa, pb = self.canvas.to_pixel(*a), self.canvas.to_pixel(*b)
        return math.hypot(pa[0] - pb[0], pa[1] - pb[1]) >= 2.0

    def finish(self) -> None:
        poly = polygon_of(self.points)
        if poly is None:
            self.canvas.status_message.emit(tr("A red line needs three corners or more, enclosing an area"))
            return
        self.cancel()
        self.canvas.update()
        if self.on_finished is not None:
            self.on_finished(poly)

    def key(self, e: QKeyEvent) -> bool:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish()
            return True
        if e.key() == Qt.Key.Key_Backspace and self.points:
            self.points.pop()
            self.canvas.update()
            return True
        if e.key() == Qt.Key.Key_Escape:
            self.cancel()
            self.canvas.update()
            if self.on_cancelled is not None:
                self.on_cancelled()
            return True
        return False

    def paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pts = list(self.points) + ([self.hover] if self.hover is not None else [])
        if pts:
            poly = QPolygonF([QPointF(*self.canvas.to_pixel(x, y)) for x, y in pts])
            pen = QPen(COLOUR, 2.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            fill = QColor(COLOUR)
            fill.setAlpha(40)
            if len(pts) >= 3:
                painter.setBrush(QBrush(fill))
                painter.drawPolygon(poly)
            else:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawPolyline(poly)
            painter.setBrush(QBrush(QColor("#ffffff")))
            for i in range(len(self.points)):
                painter.drawEllipse(poly[i], 3.5, 3.5)
        if self.hover is not None and self.hover_snapped:  # a snapped vertex: a square, as in QGIS
            x, y = self.canvas.to_pixel(*self.hover)
            pen = QPen(QColor("#ff00ff"), 2.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(x - 6, y - 6, 12, 12))


# ---- the drawn layer, one undo step ------------------------------------------------------------

def drawn_layer(polygon: shapely.Geometry, crs, workspace, lang: str = "zh"):
    """A styled layer holding ``polygon`` (CRS ``crs``) under a key not yet used in ``workspace``."""
    from layers.presets import styled_layer

    # no name field: the park's name is then the one typed in the wizard, else 园区 (not "drawn …")
    gdf = gpd.GeoDataFrame(geometry=[polygon], crs=crs)
    layer = styled_layer("boundary", gdf, lang=lang)  # drawn as the park's red line
    key, k = DRAWN_LAYER, 1
    while workspace.layer(key) is not None:
        k += 1
        key = f"{DRAWN_LAYER}_{k}"
    layer.name = key
    layer.title = tr("Drawn red line") + (f" {k}" if k > 1 else "")
    return layer


class AddDrawnLayer(QUndoCommand):
    """Add the drawn red line to the map (redo) or take it off again (undo)."""

    def __init__(self, workspace, layer) -> None:
        super().__init__(tr("Draw red line"))
        self.workspace, self.layer = workspace, layer

    def redo(self) -> None:
        if not self.workspace.tree.contains(self.layer):
            self.workspace.add_layer(self.layer)

    def undo(self) -> None:
        self.workspace.remove_layer(self.layer)


def add_drawn_layer(workspace, layer, undo_stack=None) -> None:
    """Put the drawn layer on the map: one step of ``undo_stack`` when there is one."""
    if undo_stack is not None:
        undo_stack.push(AddDrawnLayer(workspace, layer))
    else:
        AddDrawnLayer(workspace, layer).redo()


def start_drawing(canvas: MapCanvas, workspace, done: Callable[[object | None], None], *,
                  undo_stack=None, lang: str = "zh") -> DrawPolygonTool:
    """Make the draw tool the canvas's tool; when the polygon is finished it becomes a layer (an undo
    step) and ``done(layer)`` is called, on Esc ``done(None)``; the canvas goes back to panning."""
    previous = canvas.tool() if canvas.tool() != TOOL_NAME else "pan"

    def finished(poly) -> None:
        layer = drawn_layer(poly, canvas.crs(), workspace, lang)
        add_drawn_layer(workspace, layer, undo_stack)
        canvas.set_tool(previous)
        done(layer)

    def cancelled() -> None:
        canvas.set_tool(previous)
        done(None)

    tool = DrawPolygonTool(canvas, finished, cancelled)
    canvas.add_tool(tool)
    canvas.set_tool(TOOL_NAME)
    canvas.setFocus()
    return tool
