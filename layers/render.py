"""Draw layers into a QImage or onto any paint device (QtGui only), like a QGIS map render job.

:func:`render_to_painter` draws a map frame (polygons filled by class, outlines, labels), an
optional title, legend, north arrow and scale bar into a rectangle of any QPainter: a QImage
(PNG export, the GUI canvas's background job) or a QPdfWriter (the report). Sizes given in
points follow the device's dpi; outline widths are pixels at 96 dpi, scaled likewise.
Rendering into a QImage also works outside the GUI thread.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPaintEngine,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from gis.progress import Progress
from layers.layer import VectorLayer, union_bounds
from layers.legend import LegendMetrics, device_font, draw_legend, legend_block, legend_size
from layers.qpath import WorldToPixel, layer_geometry, marker_paths, view_paths
from layers.raster import RasterLayer
from layers.style import CategorizedStyle, GraduatedStyle, has_fill
from layers.tree import LayerTree

Extent = tuple[float, float, float, float]
MapLayer = VectorLayer | RasterLayer
"""A layer drawn on the map."""
_APP: QGuiApplication | None = None
SNAP_PX = 0.5  # geometry is snapped to half a device pixel (≈ pixel-size simplification)


def ensure_gui_app() -> QGuiApplication:
    """The running QGuiApplication (or a subclass), creating one if there is none.

    On Linux without a display (no DISPLAY / WAYLAND_DISPLAY) it uses the offscreen platform,
    so the CLI renders PNGs on a server.
    """
    global _APP
    app = QGuiApplication.instance()
    if app is not None:
        if not isinstance(app, QGuiApplication):
            raise RuntimeError("a QCoreApplication is running; rendering needs a QGuiApplication")
        return app
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                 or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _APP = QGuiApplication(sys.argv[:1] or ["lingtan"])
    return _APP


@dataclass
class RenderStats:
    """What a render did and how long each stage took (seconds)."""

    paths_s: float = 0.0
    draw_s: float = 0.0
    labels_s: float = 0.0
    decorations_s: float = 0.0
    features: int = 0
    label_candidates: int = 0
    labels_drawn: int = 0
    extent: Extent | None = None
    transform: WorldToPixel | None = None
    map_rect: tuple[float, float, float, float] | None = None

    @property
    def total_s(self) -> float:
        return self.paths_s + self.draw_s + self.labels_s + self.decorations_s


def default_extent(layers: Sequence[MapLayer], crs=None, margin: float = 0.03) -> Extent | None:
    """Union of the layers' bounds in ``crs`` (default: the first layer's) plus a margin."""
    b = union_bounds(list(layers), crs)
    if b is None:
        return None
    w, h = b[2] - b[0], b[3] - b[1]
    pad = margin * max(w, h) or 1.0
    return b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad


def render_image(layers: Sequence | LayerTree, width_px: int, height_px: int, *,
                 extent: Extent | None = None, title: str | None = None,
                 subtitle: str | None = None, legend: bool = True, background: str = "#ffffff",
                 dpi: float = 96, progress: Progress | None = None, lang: str = "zh",
                 labels: bool = True, label_size_pt: float = 9.0, north_arrow: bool = True,
                 scale_bar: bool = True) -> tuple[QImage, RenderStats]:
    """:func:`render_map` that also returns its :class:`RenderStats`."""
    ensure_gui_app()
    image = QImage(int(width_px), int(height_px), QImage.Format.Format_ARGB32_Premultiplied)
    dots_per_m = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_m)
    image.setDotsPerMeterY(dots_per_m)
    image.fill(QColor(background))
    painter = QPainter(image)
    try:
        stats = render_to_painter(painter, layers, QRectF(0, 0, width_px, height_px), extent=extent,
                                  title=title, subtitle=subtitle, legend=legend,
                                  background=background, progress=progress, lang=lang,
                                  labels=labels, label_size_pt=label_size_pt,
                                  north_arrow=north_arrow, scale_bar=scale_bar)
    finally:
        painter.end()
    return image, stats


def render_map(layers: Sequence | LayerTree, width_px: int, height_px: int, *,
               extent: Extent | None = None, title: str | None = None, subtitle: str | None = None,
               legend: bool = True, background: str = "#ffffff", dpi: float = 96,
               progress: Progress | None = None, lang: str = "zh", labels: bool = True,
               label_size_pt: float = 9.0, north_arrow: bool = True,
               scale_bar: bool = True) -> QImage:
    """Render the visible ``layers`` (bottom first) into a new ``width_px`` × ``height_px`` image.

    extent: (xmin, ymin, xmax, ymax) in the first layer's CRS (default: all layers + 3 %);
    other layers are reprojected to that CRS. dpi sets the size of text given in points.
    """
    return render_image(layers, width_px, height_px, extent=extent, title=title, subtitle=subtitle,
                        legend=legend, background=background, dpi=dpi, progress=progress,
                        lang=lang, labels=labels, label_size_pt=label_size_pt,
                        north_arrow=north_arrow, scale_bar=scale_bar)[0]


def save_png(image: QImage, path: str | Path, compression: int = 1) -> Path:
    """Write ``image`` as PNG (zlib ``compression`` 0–9; 1 is fast and ~as small for maps),
    replacing ``path`` atomically."""
    import os

    from gis.atomic import temp_beside

    path = Path(path)
    quality = round(100 - compression * 100 / 9)  # Qt maps PNG quality 0..100 to zlib 9..0
    tmp = temp_beside(path)  # a killed run leaves no truncated PNG under the real name
    try:
        # PySide6's stub types the format as bytes, but at run time only a str is accepted
        if not image.save(str(tmp), "PNG", quality):  # type: ignore[call-overload]
            import errno
            import shutil

            # Qt gives no reason; a full disk is the usual one and the user can fix it
            full = shutil.disk_usage(path.parent).free < 4 * image.width() * image.height()
            raise OSError(errno.ENOSPC if full else errno.EIO, "could not write the PNG", str(path))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def render_to_painter(painter: QPainter, layers: Sequence | LayerTree,
                      rect: QRectF | None = None, *, extent: Extent | None = None,
                      title: str | None = None, subtitle: str | None = None, legend: bool = True,
                      background: str | None = "#ffffff", progress: Progress | None = None,
                      lang: str = "zh", labels: bool = True, label_size_pt: float = 9.0,
                      north_arrow: bool = True, scale_bar: bool = True) -> RenderStats:
    """Draw a map of ``layers`` into ``rect`` (default: the whole device) of an active painter.

    layers: VectorLayers and RasterLayers (bottom first; hidden ones skipped), or a
    LayerTree (its drawn layers with group visibility and opacity). Selected features of vector
    layers are highlighted on top (translucent yellow, cyan outline).

    With title/legend off and no decorations the map fills ``rect`` (a GUI canvas).
    """
    stats = RenderStats()
    painter.save()
    try:
        _render(painter, draw_entries(layers), rect, stats, extent=extent, title=title, subtitle=subtitle,
                legend=legend, background=background, progress=progress, lang=lang, labels=labels,
                label_size_pt=label_size_pt, north_arrow=north_arrow, scale_bar=scale_bar)
    finally:  # also when cancelled: leave the painter as we found it
        painter.restore()
    if progress is not None:
        progress.report(1.0, "完成" if lang == "zh" else "done")
    return stats


def draw_entries(layers) -> list[tuple[MapLayer, float]]:
    """(layer, opacity) of the layers to draw, bottom → top: a LayerTree's drawn layers with their
    effective opacity (groups included), or the visible ones of a list."""
    if hasattr(layers, "draw_list"):
        return list(layers.draw_list())
    return [(lyr, lyr.opacity) for lyr in layers if lyr.visible]


def _render(painter: QPainter, entries: list[tuple[MapLayer, float]], rect: QRectF | None,
            stats: RenderStats, *, extent, title, subtitle, legend, background, progress, lang, labels,
            label_size_pt, north_arrow, scale_bar) -> None:
    t0 = time.perf_counter()
    visible = [lyr for lyr, _ in entries]
    opacity = {id(lyr): op for lyr, op in entries}
    device = painter.device()
    dpi = float(device.logicalDpiX()) if device is not None else 96.0
    if rect is None:
        rect = QRectF(0, 0, device.width(), device.height())
    px_per_pt = dpi / 72.0
    crs = visible[0].crs if visible else None
    if background:
        painter.fillRect(rect, QColor(background))
    metrics = LegendMetrics.for_dpi(dpi)
    blocks = [legend_block(lyr, lang) for lyr in visible] if legend else []
    map_rect, title_rect, legend_at = _layout(rect, metrics, blocks, title, subtitle, px_per_pt, lang)
    if extent is None:
        extent = default_extent(visible, crs)
    stats.extent = extent
    stats.map_rect = (map_rect.left(), map_rect.top(), map_rect.width(), map_rect.height())
    if title_rect is not None:
        _draw_title(painter, title_rect, title or "", subtitle, px_per_pt)
    stats.decorations_s += time.perf_counter() - t0
    if extent is not None and visible and map_rect.width() >= 1 and map_rect.height() >= 1:
        transform = WorldToPixel.fit(extent, stats.map_rect)
        stats.transform = transform
        view = transform.world_rect(stats.map_rect)
        painter.save()
        try:
            painter.setClipRect(map_rect)
            view_px = (map_rect.left(), map_rect.top(), map_rect.right(), map_rect.bottom())
            vectors = [lyr for lyr in visible if isinstance(lyr, VectorLayer)]
            for i, layer in enumerate(visible):
                if progress is not None:
                    progress.report(i / len(visible), f"绘制 {layer.name}")
                if isinstance(layer, VectorLayer):
                    _draw_layer(painter, layer, crs, transform, view, dpi, stats, view_px,
                                opacity[id(layer)])
                else:
                    t = time.perf_counter()
                    painter.save()
                    painter.setOpacity(painter.opacity() * opacity[id(layer)])
                    try:
                        layer.draw(painter, crs, transform, view)
                    finally:
                        painter.restore()
                    stats.draw_s += time.perf_counter() - t
            for layer in vectors:
                _draw_selection(painter, layer, crs, transform, view, dpi, view_px)
            if labels:
                occupied = _Occupancy(map_rect, 3 * px_per_pt)
                for layer in reversed(vectors):  # top layer's labels win
                    if progress is not None:
                        progress.check()
                    _draw_labels(painter, layer, crs, transform, map_rect, device_font(label_size_pt, dpi),
                                 occupied, px_per_pt, stats)
        finally:
            painter.restore()
        t = time.perf_counter()
        if north_arrow:
            _draw_north_arrow(painter, map_rect, px_per_pt, lang)
        if scale_bar:
            _draw_scale_bar(painter, map_rect, transform, crs, extent, px_per_pt)
        stats.decorations_s += time.perf_counter() - t
    t = time.perf_counter()
    if not map_rect.isEmpty() and (title_rect is not None or blocks):
        painter.setPen(QPen(QColor("#9e9e9e"), max(1.0, 0.5 * px_per_pt)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(map_rect)
    if blocks and legend_at is not None:
        draw_legend(painter, legend_at, blocks, metrics, lang)
    stats.decorations_s += time.perf_counter() - t


# ---- layout and decorations --------------------------------------------------------------------

def _layout(rect: QRectF, metrics: LegendMetrics, blocks, title, subtitle, px_per_pt: float, lang
            ) -> tuple[QRectF, QRectF | None, QPointF | None]:
    """Split ``rect`` into the title band (top), the legend column (right) and the map."""
    if not blocks and not title:
        return QRectF(rect), None, None
    margin = 10 * px_per_pt
    inner = rect.adjusted(margin, margin, -margin, -margin)
    title_rect = None
    if title:
        h = QFontMetricsF(device_font(16, metrics.px_per_pt * 72, bold=True)).height() * 1.3
        if subtitle:
            h += QFontMetricsF(device_font(10, metrics.px_per_pt * 72)).height() * 1.2
        title_rect = QRectF(inner.left(), inner.top(), inner.width(), h)
        inner.setTop(inner.top() + h + 0.5 * margin)
    legend_at = None
    if blocks:
        w, h = legend_size(blocks, metrics, lang)
        if inner.width() - w - margin >= 0.55 * inner.width():  # a legend column on the right
            legend_at = QPointF(inner.right() - w, inner.bottom() - h)
            inner.setRight(inner.right() - w - margin)
        else:  # a small image: the legend overlays the map's lower right corner
            legend_at = QPointF(max(inner.left(), inner.right() - w - 0.5 * margin),
                                max(inner.top(), inner.bottom() - h - 0.5 * margin))
    return inner, title_rect, legend_at


def _draw_title(painter: QPainter, rect: QRectF, title: str, subtitle: str | None,
                px_per_pt: float) -> None:
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setPen(QColor("#202020"))
    font = device_font(16, px_per_pt * 72, bold=True)
    painter.setFont(font)
    th = QFontMetricsF(font).height() * 1.3
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), th),
                     int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), title)
    if subtitle:
        painter.setFont(device_font(10, px_per_pt * 72))
        painter.setPen(QColor("#505050"))
        painter.drawText(QRectF(rect.left(), rect.top() + th, rect.width(), rect.height() - th),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), subtitle)


def _draw_north_arrow(painter: QPainter, map_rect: QRectF, px_per_pt: float, lang: str) -> None:
    size = 16 * px_per_pt
    cx = map_rect.right() - 12 * px_per_pt - size / 2
    font = device_font(9, px_per_pt * 72, bold=True)
    fm = QFontMetricsF(font)
    top = map_rect.top() + 8 * px_per_pt
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(font)
    painter.setPen(QColor("#202020"))
    painter.drawText(QRectF(cx - size, top, 2 * size, fm.height()), int(Qt.AlignmentFlag.AlignCenter),
                     "北" if lang == "zh" else "N")
    tip, base = QPointF(cx, top + fm.height()), top + fm.height() + size
    left = QPolygonF([tip, QPointF(cx - size / 3, base), QPointF(cx, base - size / 4)])
    right = QPolygonF([tip, QPointF(cx + size / 3, base), QPointF(cx, base - size / 4)])
    painter.setPen(QPen(QColor("#202020"), max(1.0, 0.6 * px_per_pt)))
    painter.setBrush(QColor("#202020"))
    painter.drawPolygon(left)
    painter.setBrush(QColor("#ffffff"))
    painter.drawPolygon(right)
    painter.restore()


def _metres_per_unit(crs, extent: Extent) -> float | None:
    """Metres per CRS unit at the extent's centre (None when unknown)."""
    if crs is None:
        lonlat = -180 <= extent[0] and extent[2] <= 180 and -90 <= extent[1] and extent[3] <= 90
        return 111_320.0 * math.cos(math.radians((extent[1] + extent[3]) / 2)) if lonlat else 1.0
    if crs.is_geographic:
        return 111_320.0 * math.cos(math.radians((extent[1] + extent[3]) / 2))
    try:
        return float(crs.axis_info[0].unit_conversion_factor)
    except (IndexError, AttributeError):
        return 1.0


def _nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``metres``."""
    k = 10 ** math.floor(math.log10(metres))
    return max(s * k for s in (1, 2, 5) if s * k <= metres)


def _draw_scale_bar(painter: QPainter, map_rect: QRectF, transform: WorldToPixel, crs,
                    extent: Extent, px_per_pt: float) -> None:
    m_per_unit = _metres_per_unit(crs, extent)
    if not m_per_unit or transform.px_per_unit <= 0:
        return
    m_per_px = m_per_unit / transform.px_per_unit
    length_m = _nice_length(map_rect.width() / 5 * m_per_px)
    bar_px = length_m / m_per_px
    text = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    font = device_font(8, px_per_pt * 72)
    fm = QFontMetricsF(font)
    x0 = map_rect.left() + 10 * px_per_pt
    y0 = map_rect.bottom() - 10 * px_per_pt - 4 * px_per_pt
    h = 4 * px_per_pt
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    box = QRectF(x0 - 4 * px_per_pt, y0 - fm.height() - 3 * px_per_pt,
                 bar_px + fm.horizontalAdvance(text) / 2 + 8 * px_per_pt, fm.height() + h + 6 * px_per_pt)
    painter.fillRect(box, QColor(255, 255, 255, 200))
    painter.setPen(QPen(QColor("#202020"), max(1.0, 0.5 * px_per_pt)))
    for i in range(4):
        painter.setBrush(QColor("#202020") if i % 2 == 0 else QColor("#ffffff"))
        painter.drawRect(QRectF(x0 + i * bar_px / 4, y0, bar_px / 4, h))
    painter.setFont(font)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.drawText(QPointF(x0 - fm.horizontalAdvance("0") / 2, y0 - 2 * px_per_pt), "0")
    painter.drawText(QPointF(x0 + bar_px - fm.horizontalAdvance(text) / 2, y0 - 2 * px_per_pt), text)
    painter.restore()


# ---- layers ------------------------------------------------------------------------------------

SELECTION_FILL = QColor(255, 235, 59, 110)  # translucent yellow over selected polygons
SELECTION_OUTLINE = "#00e5ff"  # cyan outline / ring of selected features (QGIS-like highlight)


@dataclass
class LayerSymbols:
    """How a layer draws: a class code per feature (-1 = no data / other) and per code the fill
    colour (None = no fill); polygon outline colour and width (px at 96 dpi); line width; marker
    diameter in points; line colours per code (single styles draw lines in the outline colour)."""

    codes: np.ndarray
    fills: Mapping[int, str | None]
    line_colours: Mapping[int, str]
    outline: str
    outline_px: float
    line_px: float
    marker_pt: float


def layer_symbols(layer: VectorLayer, gdf=None) -> LayerSymbols:
    """The :class:`LayerSymbols` of ``layer`` for its data (or ``gdf``: the same rows reprojected)."""
    style = layer.style
    gdf = layer.gdf if gdf is None else gdf
    if isinstance(style, GraduatedStyle):
        fills = {i: c.colour for i, c in enumerate(style.classes)}
        fills[-1] = style.no_data_colour
        return LayerSymbols(style.codes_for(gdf), fills, dict(fills), style.outline_colour,
                            style.outline_width_px, style.line_width_px, style.marker_size_pt)
    if isinstance(style, CategorizedStyle):
        fills = {i: c.colour for i, c in enumerate(style.categories)}
        fills[-1] = style.other_colour
        return LayerSymbols(style.codes_for(gdf), fills, dict(fills), style.outline, style.width,
                            style.line_width_px, style.marker_size_pt)
    fill = style.fill if has_fill(style.fill) else None
    return LayerSymbols(np.zeros(len(gdf), dtype=np.int64), {0: fill}, {0: style.outline}, style.outline,
                        style.width, style.width, style.marker_size_pt)


def _brush(colour: str | None) -> QBrush:
    return QBrush(QColor(colour)) if colour else QBrush(Qt.BrushStyle.NoBrush)


def draw_polygon_paths(painter: QPainter, paths: dict[int, QPainterPath], sym: LayerSymbols,
                       outline_px: float, antialias_fill: bool | None = None) -> None:
    """Fill the class paths, then stroke the outlines. Fills are aliased when outlined (no seams;
    Qt's antialiased fill of a path of many subpaths is ~20× slower) unless ``antialias_fill``."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing,
                          outline_px <= 0 if antialias_fill is None else antialias_fill)
    painter.setPen(Qt.PenStyle.NoPen)
    for code in sorted(paths):
        colour = sym.fills.get(code, "#000000")
        if colour:
            painter.setBrush(_brush(colour))
            painter.drawPath(paths[code])
    if outline_px > 0:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        pen = QPen(QColor(sym.outline), outline_px)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for code in sorted(paths):
            painter.drawPath(paths[code])


def draw_line_paths(painter: QPainter, paths: dict[int, QPainterPath], sym: LayerSymbols,
                    line_px: float) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for code in sorted(paths):
        pen = QPen(QColor(sym.line_colours.get(code, "#000000")), max(line_px, 0.5))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawPath(paths[code])


def draw_marker_paths(painter: QPainter, paths: dict[int, QPainterPath], sym: LayerSymbols,
                      outline_px: float) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    pen = QPen(QColor(sym.outline), outline_px) if outline_px > 0 else QPen(Qt.PenStyle.NoPen)
    painter.setPen(pen)
    for code in sorted(paths):
        painter.setBrush(_brush(sym.fills.get(code) or sym.line_colours.get(code, "#000000")))
        painter.drawPath(paths[code])


def draw_layer_geometry(painter: QPainter, layer: VectorLayer, crs, transform: WorldToPixel,
                        view: Extent, view_px: tuple[float, float, float, float], dpi: float,
                        *, tiny_px: float = 0.0, rows: np.ndarray | None = None,
                        highlight: bool = False, timing: list | None = None) -> tuple[int, list]:
    """Draw the polygons, lines and points of ``layer`` (or only ``rows``, highlighted) with the
    painter's current opacity. Returns (parts drawn, tiny pixel groups [(pixels, codes, fills)])
    — with ``tiny_px`` > 0 parts smaller than that are not drawn but returned for the caller.
    ``timing``: a list to which the seconds spent building paths (arrays included) are appended."""
    t_paths = time.perf_counter()
    geo = layer_geometry(layer, crs)
    sym = layer_symbols(layer)
    scale = dpi / 96.0
    outline_px, line_px = sym.outline_px * scale, sym.line_px * scale
    marker_r = sym.marker_pt * dpi / 72.0 / 2
    drawn = 0
    tiny: list = []
    if highlight:
        sym = LayerSymbols(sym.codes, {c: None for c in sym.fills}, {c: SELECTION_OUTLINE for c in sym.fills},
                           SELECTION_OUTLINE, 0, 0, 0)
    spent = time.perf_counter() - t_paths
    if len(geo.rings):
        t1 = time.perf_counter()
        vp = view_paths(geo.rings, sym.codes, transform, view, closed=True, snap_px=SNAP_PX,
                        tiny_px=tiny_px, rows=rows)
        spent += time.perf_counter() - t1
        if highlight:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            pen = QPen(QColor(SELECTION_OUTLINE), 2.0 * scale)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(SELECTION_FILL)
            for code in sorted(vp.paths):
                painter.drawPath(vp.paths[code])
        else:
            draw_polygon_paths(painter, vp.paths, sym, outline_px)
        drawn += vp.drawn
        if len(vp.pixels):
            tiny.append((vp.pixels, vp.pixel_codes, sym.fills if not highlight else None))
    if len(geo.lines):
        t1 = time.perf_counter()
        vp = view_paths(geo.lines, sym.codes, transform, view, closed=False, snap_px=SNAP_PX,
                        tiny_px=tiny_px, rows=rows)
        spent += time.perf_counter() - t1
        if highlight:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = QPen(QColor(SELECTION_OUTLINE), line_px + 3.0 * scale)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            for code in sorted(vp.paths):
                painter.drawPath(vp.paths[code])
        else:
            draw_line_paths(painter, vp.paths, sym, line_px)
        drawn += vp.drawn
        if len(vp.pixels):
            tiny.append((vp.pixels, vp.pixel_codes, sym.line_colours if not highlight else None))
    if len(geo.points):
        r = marker_r + (2.5 * scale if highlight else 0.0)
        t1 = time.perf_counter()
        paths, k = marker_paths(geo.points, sym.codes, transform, view_px, r, rows=rows)
        spent += time.perf_counter() - t1
        if highlight:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(SELECTION_OUTLINE), 2.0 * scale))
            for code in sorted(paths):
                painter.drawPath(paths[code])
        else:
            draw_marker_paths(painter, paths, sym, outline_px)
        drawn += k
    if timing is not None:
        timing.append(spent)
    return drawn, tiny


def _draw_layer(painter: QPainter, layer: VectorLayer, crs, transform: WorldToPixel, view: Extent,
                dpi: float, stats: RenderStats, view_px: tuple[float, float, float, float],
                opacity: float = 1.0) -> None:
    t = time.perf_counter()
    painter.save()
    painter.setOpacity(painter.opacity() * opacity)
    timing: list[float] = []
    try:
        draw_layer_geometry(painter, layer, crs, transform, view, view_px, dpi, timing=timing)
    finally:
        painter.restore()
    stats.features += len(layer.gdf)
    stats.paths_s += sum(timing)
    stats.draw_s += time.perf_counter() - t - sum(timing)


def _draw_selection(painter: QPainter, layer: VectorLayer, crs, transform: WorldToPixel, view: Extent,
                    dpi: float, view_px: tuple[float, float, float, float]) -> None:
    rows = layer.selection
    if rows is None or len(rows) == 0:
        return
    painter.save()
    try:
        draw_layer_geometry(painter, layer, crs, transform, view, view_px, dpi, rows=rows, highlight=True)
    finally:
        painter.restore()


# ---- labels ------------------------------------------------------------------------------------

class _Occupancy:
    """A coarse grid of the map's pixels already taken by labels."""

    def __init__(self, rect: QRectF, cell_px: float) -> None:
        self.rect, self.cell = rect, max(cell_px, 1.0)
        self.grid = np.zeros((int(rect.height() / self.cell) + 2, int(rect.width() / self.cell) + 2),
                             dtype=bool)

    def _cells(self, x0: float, y0: float, x1: float, y1: float) -> tuple[slice, slice]:
        c = self.cell
        return (slice(max(int((y0 - self.rect.top()) / c), 0), int((y1 - self.rect.top()) / c) + 1),
                slice(max(int((x0 - self.rect.left()) / c), 0), int((x1 - self.rect.left()) / c) + 1))

    def take(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Mark the box taken and return True, or return False if it overlaps a taken one."""
        rows, cols = self._cells(x0, y0, x1, y1)
        if self.grid[rows, cols].any():
            return False
        self.grid[rows, cols] = True
        return True


MAX_INSCRIBED_RETRIES = 500
"""Labels that get the largest-inscribed-circle try (~60 µs a polygon, shapely 2.2): enough for
townships and parcels; a canvas of 100,000 buildings keeps the two cheap tries."""


def _label_texts(gdf, field_name: str) -> np.ndarray:
    col = gdf[field_name]
    texts = col.astype(object).where(col.notna(), "").to_numpy(dtype=object)
    return np.array([str(x).strip() if x != "" else "" for x in texts], dtype=object)


def _draw_labels(painter: QPainter, layer: VectorLayer, crs, transform: WorldToPixel,
                 map_rect: QRectF, font: QFont, occupied: _Occupancy, px_per_pt: float,
                 stats: RenderStats) -> None:
    """Label features at an inner point when the text fits inside the polygon and overlaps no
    other label; bigger polygons first."""
    field_name = getattr(layer.style, "label_field", None)
    if not field_name:
        return
    gdf = layer.in_crs(crs)
    if field_name not in gdf.columns or gdf.empty:
        return
    t = time.perf_counter()
    fm = QFontMetricsF(font)
    text_h = fm.height()
    em = fm.horizontalAdvance("中")
    s = transform.px_per_unit
    geoms = gdf.geometry.to_numpy()
    b = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        w_px, h_px = (b[:, 2] - b[:, 0]) * s, (b[:, 3] - b[:, 1]) * s
        nchar = np.fromiter((len(x) for x in _label_texts(gdf, field_name)), dtype=np.int64,
                            count=len(gdf))
        view = transform.world_rect((map_rect.left(), map_rect.top(), map_rect.width(),
                                     map_rect.height()))
        in_view = ((b[:, 0] < view[2]) & (b[:, 2] > view[0]) & (b[:, 1] < view[3])
                   & (b[:, 3] > view[1]))
        # a cheap lower bound of the text width first (Latin ≥ 0.45 em), exact widths later
        cand = np.flatnonzero(in_view & (nchar > 0) & (h_px >= text_h) & (w_px >= 0.45 * em * nchar))
    texts = _label_texts(gdf.iloc[cand], field_name) if len(cand) else np.array([], dtype=object)
    stats.label_candidates += len(cand)
    if len(cand) == 0:
        stats.labels_s += time.perf_counter() - t
        return
    g = geoms[cand]
    order = np.argsort(-shapely.area(g), kind="stable")
    g, texts = g[order], texts[order]
    widths = np.fromiter((fm.horizontalAdvance(x) for x in texts), dtype=float, count=len(texts))
    keep = w_px[cand][order] >= widths
    g, texts, widths = g[keep], texts[keep], widths[keep]
    anchors = _anchor_points(g)
    half_w, half_h = widths / 2 / s, text_h / 2 / s
    x, y = anchors[:, 0], anchors[:, 1]
    boxes = shapely.box(x - half_w, y - half_h, x + half_w, y + half_h)
    ours = ~shapely.is_prepared(g)  # prepare for the tests, undo only what we prepared
    shapely.prepare(g[ours])
    fits = shapely.contains(g, boxes)
    if (~fits).any():  # second try: the point on surface
        retry = np.flatnonzero(~fits)
        p = shapely.get_coordinates(shapely.point_on_surface(g[retry]))
        boxes2 = shapely.box(p[:, 0] - half_w[retry], p[:, 1] - half_h, p[:, 0] + half_w[retry],
                             p[:, 1] + half_h)
        ok2 = shapely.contains(g[retry], boxes2)
        anchors[retry[ok2]] = p[ok2]
        fits[retry[ok2]] = True
    if (~fits).any() and (~fits).sum() <= MAX_INSCRIBED_RETRIES:
        # third: the centre of the largest inscribed circle (pole of inaccessibility), where a
        # label fits in an L-shaped or narrow township that neither the centroid nor the point on
        # surface (the middle of one horizontal cut) could hold
        retry = np.flatnonzero(~fits)
        p = shapely.get_coordinates(shapely.get_point(
            shapely.maximum_inscribed_circle(g[retry], half_h * 0.25), 0))
        boxes3 = shapely.box(p[:, 0] - half_w[retry], p[:, 1] - half_h, p[:, 0] + half_w[retry],
                             p[:, 1] + half_h)
        ok3 = shapely.contains(g[retry], boxes3)
        anchors[retry[ok3]] = p[ok3]
        fits[retry[ok3]] = True
    shapely.destroy_prepared(g[ours])
    px = transform.apply(anchors[fits])
    texts, widths = texts[fits], widths[fits]
    placed: list[tuple[QPointF, str]] = []
    ascent = fm.ascent()
    inner = map_rect.adjusted(1, 1, -1, -1)
    for (cx, cy), text, w in zip(px, texts, widths, strict=True):
        x0, y0 = cx - w / 2, cy - text_h / 2
        if not inner.contains(QRectF(x0, y0, w, text_h)) or not occupied.take(x0, y0, x0 + w, y0 + text_h):
            continue
        placed.append((QPointF(x0, y0 + ascent), text))
    if placed:
        _draw_haloed_text(painter, font, placed, 1.0 * px_per_pt)
    stats.labels_drawn += len(placed)
    stats.labels_s += time.perf_counter() - t


def _vector_device(painter: QPainter) -> bool:
    """True when the painter writes vector output (PDF, SVG, QPicture, a printer), where every
    drawText becomes a text run in the file; False for pixel devices (QImage, widgets)."""
    engine = painter.paintEngine()
    return engine is not None and engine.type() in _VECTOR_ENGINES


# QPdfWriter/QPrinter (PDF), QSvgGenerator, QPicture, and the native print engines (macOS, Windows)
_VECTOR_ENGINES = frozenset({QPaintEngine.Type.Pdf, QPaintEngine.Type.SVG, QPaintEngine.Type.Picture,
                             QPaintEngine.Type.MacPrinter, QPaintEngine.Type.Windows})


def _draw_haloed_text(painter: QPainter, font: QFont, items: list[tuple[QPointF, str]],
                      halo_px: float) -> None:
    """Dark text with a white halo of ``halo_px``.

    Pixel devices: the text drawn in white at 8 offsets, then in dark on top (cached glyphs,
    ~0.1 ms a label; stroking glyph outlines costs ~8 ms a label). Vector devices (PDF …): the
    halo is the glyph outlines (``QPainterPath.addText``) stroked with a white pen ``2·halo_px``
    wide, and the label is drawn once as text — so a PDF holds each label once as searchable,
    copyable text (pdftotext), not nine times."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setFont(font)
    halo = QColor(255, 255, 255, 235)
    if _vector_device(painter):
        outlines = QPainterPath()
        for origin, text in items:
            outlines.addText(origin, font, text)
        pen = QPen(halo, 2.0 * halo_px)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.strokePath(outlines, pen)
    else:
        d = halo_px / math.sqrt(2)
        offsets = [QPointF(dx, dy) for dx, dy in ((halo_px, 0), (-halo_px, 0), (0, halo_px), (0, -halo_px),
                                                  (d, d), (d, -d), (-d, d), (-d, -d))]
        painter.setPen(halo)
        for origin, text in items:
            for off in offsets:
                painter.drawText(origin + off, text)
    painter.setPen(QColor("#202020"))
    for origin, text in items:
        painter.drawText(origin, text)
    painter.restore()


def _anchor_points(geoms: np.ndarray) -> np.ndarray:
    """Centroid where it lies inside the polygon, else a point on its surface; (n, 2)."""
    c = shapely.get_coordinates(shapely.centroid(geoms))
    inside = shapely.contains_xy(geoms, c[:, 0], c[:, 1])
    if (~inside).any():
        c[~inside] = shapely.get_coordinates(shapely.point_on_surface(geoms[~inside]))
    return c
