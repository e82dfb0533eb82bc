"""Map figures of the report: layers styled by the shared presets, drawn by layers.render (vector)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter

from layers.layer import VectorLayer
from layers.legend import LegendMetrics, draw_legend, legend_block, legend_size
from layers.presets import styled_layer
from layers.render import default_extent, render_to_painter

Extent = tuple[float, float, float, float]


DERIVED_FROM = {"rooftop_pv": ("buildings",), "township_intensity": ("townships", "township_stats"),
                "green_sinks": ("green",), "tree_sinks": ("tree_rows",)}
"""Result layers and the input files they are computed from (the other result layers, arrays and
turbines, are placed in the project)."""


def _file_text(entry: dict, lang: str) -> str:
    """An input file as the note names it: its file name (not the folder) and layer."""
    name = Path(str(entry.get("path") or "")).name
    layer = entry.get("layer")
    if not name:
        return ""
    if layer and layer != Path(name).stem:
        return f"{name} 的 {layer} 图层" if lang == "zh" else f"layer {layer} of {name}"
    return name


def source_note(layers: list[VectorLayer], inputs: dict, lang: str) -> str:
    """The data-source note under a map: each layer's input file (``inputs``: the summary's
    ParkFacts.inputs), or that Lingtan computed it and from which files."""
    zh = lang == "zh"
    parts = []
    for lyr in layers:
        keys = DERIVED_FROM.get(lyr.name)
        if keys is None and lyr.name in inputs:
            text = _file_text(inputs[lyr.name], lang)
            if text:
                parts.append(f"{lyr.title}：{text}" if zh else f"{lyr.title}: {text}")
            continue
        files = [t for k in (keys or ()) if k in inputs and (t := _file_text(inputs[k], lang))]
        made = "Lingtan 计算" if zh else "computed by Lingtan"
        if files:
            made += (f"（据 {'、'.join(files)}）" if zh else f" from {', '.join(files)}")
        elif keys is None:
            made = "项目中布置（Lingtan）" if zh else "placed in the project (Lingtan)"
        parts.append(f"{lyr.title}：{made}" if zh else f"{lyr.title}: {made}")
    if not parts:
        return ""
    return ("数据来源：" + "；".join(parts) + "。") if zh else ("Data sources: " + "; ".join(parts) + ".")


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


LABEL_SIZES_PT = (9.0, 8.0, 7.0, 6.5)
"""Label sizes tried for a report map, largest first; the first at which every label is drawn is
used (at the report's scale two townships of the sample were too narrow for their names at 9 pt;
the 2,000-pixel PNG has room at 9 pt). 6.5 pt is kept as about the smallest type that stays
legible in print (cartographic practice puts the limit near 6 pt: Robinson et al., Elements of
Cartography, 6th ed., 1995, ch. 18)."""
CHECK_DPI = 150.0
"""Resolution of the off-screen trial renders that pick the label size (labels and polygons scale
together, so the fit does not depend on it; 150 dpi keeps a trial at ~30 ms)."""


def _legend_below(layers: list[VectorLayer], width_px: float, dpi: float, lang: str) -> bool:
    """True when the legend column does not fit beside the map (the rule of layers.render: the map
    keeps at least 55 % of the width); the report then draws it below the map, never over it."""
    margin = 10 * dpi / 72
    lw, _ = legend_size([legend_block(lyr, lang) for lyr in layers], LegendMetrics.for_dpi(dpi), lang)
    inner_w = width_px - 2 * margin
    return inner_w - lw - margin < 0.55 * inner_w


def _labelled(layers: list[VectorLayer]) -> int:
    """Features with a label text in the labelled layers."""
    n = 0
    for lyr in layers:
        field = getattr(lyr.style, "label_field", None)
        if lyr.visible and field and field in lyr.gdf.columns:
            col = lyr.gdf[field]
            n += int((col.notna() & (col.astype(str).str.strip() != "")).sum())
    return n


def label_size_pt(layers: list[VectorLayer], width_px: float, height_px: float, dpi: float,
                  extent: Extent | None) -> float:
    """The largest of :data:`LABEL_SIZES_PT` at which a map of ``width_px`` × ``height_px`` device
    pixels at ``dpi`` draws every label (else the size that draws most), from trial renders
    without legend at :data:`CHECK_DPI`."""
    want = _labelled(layers)
    if want == 0:
        return LABEL_SIZES_PT[0]
    k = CHECK_DPI / dpi
    img = QImage(max(int(width_px * k), 1), max(int(height_px * k), 1), QImage.Format.Format_RGB32)
    img.setDotsPerMeterX(round(CHECK_DPI / 0.0254))
    img.setDotsPerMeterY(round(CHECK_DPI / 0.0254))
    best, best_n = LABEL_SIZES_PT[0], -1
    for size in LABEL_SIZES_PT:
        img.fill(0xFFFFFFFF)
        p = QPainter(img)
        try:
            stats = render_to_painter(p, layers, QRectF(0, 0, img.width(), img.height()), extent=extent,
                                      legend=False, labels=True, label_size_pt=size, background="#ffffff")
        finally:
            p.end()
        if stats.labels_drawn > best_n:
            best, best_n = size, stats.labels_drawn
        if stats.labels_drawn >= want:
            break
    return best


def map_figure(layers: list[VectorLayer], lang: str, *, extent: Extent | None = None, labels: bool = True
               ) -> Callable[[QPainter, QRectF], None]:
    """A figure callback drawing the map with legend, scale bar and north arrow into its rect: the
    legend beside the map, or below it when there is no room beside (never over the map, where it
    hid labels); labels at the largest size at which all fit (:func:`label_size_pt`)."""
    def draw(p: QPainter, rect: QRectF) -> None:
        device = p.device()
        dpi = float(device.logicalDpiX()) if device is not None else 96.0
        map_rect, legend_at, blocks = QRectF(rect), None, []
        if _legend_below(layers, rect.width(), dpi, lang):
            metrics = LegendMetrics.for_dpi(dpi)
            blocks = [legend_block(lyr, lang) for lyr in layers]
            _, lh = legend_size(blocks, metrics, lang)
            margin = 10 * dpi / 72
            map_rect.setHeight(max(rect.height() - lh - margin, rect.height() * 0.4))
            legend_at = QPointF(rect.left() + margin, map_rect.bottom())
        size = label_size_pt(layers, map_rect.width(), map_rect.height(), dpi, extent) if labels \
            else LABEL_SIZES_PT[0]
        render_to_painter(p, layers, map_rect, extent=extent, legend=legend_at is None, lang=lang,
                          labels=labels, label_size_pt=size, background="#ffffff")
        if legend_at is not None:
            draw_legend(p, legend_at, blocks, LegendMetrics.for_dpi(dpi), lang)
    return draw


def map_height_mm(layers: list[VectorLayer], width_mm: float, dpi: float, lang: str, *,
                  extent: Extent | None = None, max_mm: float = 150.0, min_mm: float = 60.0) -> float:
    """The figure height at which the map of ``extent`` fills its frame next to the legend column
    (the layout of layers.render: 10 pt margins, legend on the right when there is room), or with
    the legend below it (:func:`map_figure`)."""
    extent = extent or default_extent([lyr for lyr in layers if lyr.visible])
    if extent is None:
        return min_mm
    px_mm = dpi / 25.4
    margin = 10 * dpi / 72
    metrics = LegendMetrics.for_dpi(dpi)
    lw, lh = legend_size([legend_block(lyr, lang) for lyr in layers], metrics, lang)
    inner_w = width_mm * px_mm - 2 * margin
    aspect = (extent[3] - extent[1]) / max(extent[2] - extent[0], 1e-9)
    if _legend_below(layers, width_mm * px_mm, dpi, lang):
        h = inner_w * aspect + 2 * margin + lh + margin
        return min(max(h / px_mm, min_mm), max_mm + lh / px_mm)
    map_w = inner_w - lw - margin
    h = max(map_w * aspect, lh) + 2 * margin
    return min(max(h / px_mm, min_mm), max_mm)
