"""Map figures of the report: layers styled by the shared presets, drawn by layers.render (vector)."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from layers.layer import VectorLayer
from layers.legend import LegendMetrics, legend_block, legend_size
from layers.presets import styled_layer
from layers.render import default_extent, render_to_painter

Extent = tuple[float, float, float, float]


def report_layer(name: str, gdf: gpd.GeoDataFrame, lang: str = "zh", **style_kw) -> VectorLayer:
    """The layer ``name`` styled as in the GUI and the exports (layers.presets.styled_layer)."""
    return styled_layer(name, gdf, lang, **style_kw)


def extent_of(gdf: gpd.GeoDataFrame | None, margin: float = 0.06) -> Extent | None:
    """Bounds of ``gdf`` plus ``margin`` × the longer side (None for no data)."""
    if gdf is None or not len(gdf):
        return None
    x0, y0, x1, y1 = (float(v) for v in gdf.total_bounds)
    pad = margin * max(x1 - x0, y1 - y0)
    return x0 - pad, y0 - pad, x1 + pad, y1 + pad


def map_figure(layers: list[VectorLayer], lang: str, *, extent: Extent | None = None, labels: bool = True
               ) -> Callable[[QPainter, QRectF], None]:
    """A figure callback drawing the map with legend, scale bar and north arrow into its rect."""
    def draw(p: QPainter, rect: QRectF) -> None:
        render_to_painter(p, layers, rect, extent=extent, legend=True, lang=lang, labels=labels,
                          background="#ffffff")
    return draw


def map_height_mm(layers: list[VectorLayer], width_mm: float, dpi: float, lang: str, *,
                  extent: Extent | None = None, max_mm: float = 150.0, min_mm: float = 60.0) -> float:
    """The figure height at which the map of ``extent`` fills its frame next to the legend column
    (the layout of layers.render: 10 pt margins, legend on the right when there is room)."""
    extent = extent or default_extent([lyr for lyr in layers if lyr.visible])
    if extent is None:
        return min_mm
    px_mm = dpi / 25.4
    margin = 10 * dpi / 72
    metrics = LegendMetrics.for_dpi(dpi)
    lw, lh = legend_size([legend_block(lyr, lang) for lyr in layers], metrics, lang)
    inner_w = width_mm * px_mm - 2 * margin
    map_w = inner_w - lw - margin if inner_w - lw - margin >= 0.55 * inner_w else inner_w
    aspect = (extent[3] - extent[1]) / max(extent[2] - extent[0], 1e-9)
    h = max(map_w * aspect, lh) + 2 * margin
    return min(max(h / px_mm, min_mm), max_mm)
