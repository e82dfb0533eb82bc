"""Energy (tce) or CO2 over the years as stacked bars, by fuel or by six sectors, drawn with QPainter
(QtGui only): one drawing for the Trends panel, a PNG and the PDF report (issue #19), like
app/charts/energy_charts.py.

Input is the JSON-ready ``trends`` summary (:meth:`gis.carbon.trends.TrendsResult.summary`, what
``summary["trends"]`` of a run holds), so a reopened project draws it without the energy table.
Bars, not areas: the years are discrete accounting years and some may be missing, which an area
would bridge as if interpolated (docs/trends.md: missing years are never filled in). The baseline
year's bar is outlined and its total drawn as a dashed line across the plot, so every later bar
reads against it. Each bar's total is written above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from app.charts.energy_charts import (
    TEXT,
    EnergyChartGeometry,
    _Ctx,
    _frame,
    _legend,
    _no_data,
    _plot_rect,
    _title,
    _y_axis,
)
from app.charts.sankey_chart import FUEL_COLOURS, SECTOR_COLOURS
from gis.carbon.sectors import SECTORS, UNMAPPED, sector_name
from layers.charts import PALETTE, format_number, nice_ticks
from layers.qpath import path_from_rings

BY = ("fuel", "sector")
QUANTITIES = {"tce": ("综合能耗", "Energy use", "吨标准煤", "tce"),
              "t_co2": ("碳排放", "CO₂ emissions", "吨CO₂", "tCO₂")}
"""Quantity → (name zh, name en, unit zh, unit en)."""
BAR_WIDTH = 0.62
"""Bar width as a fraction of one year's slot: gaps between the bars show the years are separate."""
BASELINE_COLOUR = "#202020"


@dataclass
class TrendLayers:
    """The stacked layers of a chart: ``years`` (x), and per layer (bottom first) its key, label,
    colour and values (one per year; 0 where the year lacks it)."""

    years: np.ndarray
    keys: list[str]
    labels: list[str]
    colours: list[str]
    values: np.ndarray  # layers × years

    @property
    def totals(self) -> np.ndarray:
        """The top of each bar (the sum over the layers), per year."""
        return self.values.sum(axis=0) if len(self.values) else np.zeros(len(self.years))


def trend_layers(trends: dict, by: str = "fuel", quantity: str = "tce", lang: str = "zh") -> TrendLayers:
    """The layers of ``trends`` (the summary dict) by ``by`` ("fuel" or "sector") in ``quantity``
    ("tce" or "t_co2"); fuels in the order of the table's factor set, sectors in SECTORS order."""
    if by not in BY or quantity not in QUANTITIES:
        raise ValueError(f"by must be one of {BY}, quantity one of {tuple(QUANTITIES)}")
    rows = pd.DataFrame(trends.get("by_fuel" if by == "fuel" else "by_sector") or [])
    years = np.array(sorted(int(y) for y in trends.get("years") or []), dtype=int)
    key = "fuel" if by == "fuel" else "sector6"
    if rows.empty or key not in rows or quantity not in rows:
        return TrendLayers(years, [], [], [], np.zeros((0, len(years))))
    rows = rows.assign(year=rows["year"].astype(int), v=pd.to_numeric(rows[quantity], errors="coerce"))
    table = rows.pivot_table(index=key, columns="year", values="v", aggfunc="sum", sort=False)
    table = table.reindex(columns=years).fillna(0.0)
    table = table[(table > 0).any(axis=1)]
    if by == "sector":
        rank = {k: i for i, k in enumerate((*SECTORS, UNMAPPED))}
        table = table.loc[sorted(table.index, key=lambda k: rank.get(k, 99))]
    keys = [str(k) for k in table.index]
    if by == "fuel":
        zh = dict(zip(rows["fuel"], rows.get("fuel_zh", rows["fuel"]), strict=False))
        labels = [str(zh.get(k, k)) if lang == "zh" else k.replace("_", " ") for k in keys]
        colours = [FUEL_COLOURS.get(k, PALETTE[i % len(PALETTE)]) for i, k in enumerate(keys)]
    else:
        labels = [sector_name(k, lang) for k in keys]
        colours = [SECTOR_COLOURS.get(f"sector:{k}", PALETTE[i % len(PALETTE)]) for i, k in enumerate(keys)]
    return TrendLayers(years, keys, labels, colours, table.to_numpy(dtype=float))


def _bar_rings(x0: np.ndarray, x1: np.ndarray, y0: np.ndarray, y1: np.ndarray) -> np.ndarray:
    """Closed rectangles (5 points each) of many bars at once, as one (5n, 2) array."""
    xs = np.column_stack([x0, x1, x1, x0, x0])
    ys = np.column_stack([y0, y0, y1, y1, y0])
    return np.column_stack([xs.ravel(), ys.ravel()])


def trend_chart(painter: QPainter, rect: QRectF, trends: dict, lang: str = "zh", *, by: str = "fuel",
                quantity: str = "tce", title: str | None = None, font_pt: float = 8.0,
                legend: bool = True) -> EnergyChartGeometry:
    """Stacked bars of ``quantity`` by ``by`` per year in ``rect``; the baseline year outlined with
    its total as a dashed line. Returns the geometry (x in years, y in the quantity's unit)."""
    ctx = _Ctx(painter, font_pt)
    zh = lang == "zh"
    name_zh, name_en, unit_zh, unit_en = QUANTITIES[quantity]
    if title is None:
        title = (f"逐年{name_zh}（按{'能源品种' if by == 'fuel' else '部门'}）" if zh
                 else f"{name_en} by {'fuel' if by == 'fuel' else 'sector'} over the years")
    area = _title(painter, ctx, rect, title)
    lay = trend_layers(trends, by, quantity, lang)
    if len(lay.years) == 0 or not len(lay.values):
        return _no_data(painter, ctx, area, lang)
    if legend:
        area = _legend(painter, ctx, area, [(lab, col, "box") for lab, col in zip(lay.labels, lay.colours,
                                                                                   strict=True)])
    totals = lay.totals
    y_ticks = tuple(nice_ticks(0.0, float(totals.max()) * 1.08))  # room for the totals above the bars
    base = trends.get("baseline_year")
    plot = _plot_rect(ctx, area, y_ticks, None, x_label_lines=2)
    geo = EnergyChartGeometry(plot, (float(lay.years[0]) - 0.5, float(lay.years[-1]) + 0.5), y_ticks)
    _y_axis(painter, ctx, geo, f"{name_zh}（{unit_zh}）" if zh else f"{name_en} ({unit_en})")
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # crisp bar edges
    x0 = geo.x_px(lay.years - BAR_WIDTH / 2)
    x1 = geo.x_px(lay.years + BAR_WIDTH / 2)
    bottoms = np.vstack([np.zeros(len(lay.years)), np.cumsum(lay.values, axis=0)[:-1]])
    tops = bottoms + lay.values
    for k, colour in enumerate(lay.colours):
        ring = _bar_rings(x0, x1, geo.y_px(bottoms[k]), geo.y_px(tops[k]))
        painter.fillPath(path_from_rings(ring, np.full(len(lay.years), 5, dtype=np.int64)), QColor(colour))
    _frame(painter, ctx, plot)
    painter.setFont(ctx.font)
    h = ctx.fm.height()
    texts = [format_number(t, 0 if t >= 100 else 1) for t in totals]
    # totals that would run into each other (ten years in a narrow dock) are written on every n-th
    # bar counted back from the latest year, and always on the baseline's
    pitch = abs(float(geo.x_px(1.0)) - float(geo.x_px(0.0))) or 1.0
    step = max(1, int(np.ceil((max(ctx.fm.horizontalAdvance(t) for t in texts) + ctx.pad) / pitch)))
    n = len(lay.years)
    shown = set(range(n - 1, -1, -step))
    at_base = [i for i, yr in enumerate(lay.years) if base is not None and int(yr) == int(base)]
    for b in at_base:  # the baseline's total, and none of its neighbours that it would touch
        shown = {i for i in shown if not 0 < abs(i - b) < step} | {b}
    for i, (x, t, year) in enumerate(zip((x0 + x1) / 2, totals, lay.years, strict=True)):
        y = float(geo.y_px(t))
        if i in shown:
            painter.setPen(QColor(TEXT))
            painter.drawText(QRectF(x - 60 * ctx.pt, y - h - ctx.pad / 2, 120 * ctx.pt, h),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom), texts[i])
        if base is not None and int(year) == int(base):
            painter.setPen(ctx.pen(BASELINE_COLOUR, 1.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            half = float(x1[0] - x0[0]) / 2
            painter.drawRect(QRectF(float(x) - half, y, 2 * half, float(plot.bottom()) - y))
            painter.setPen(ctx.pen(BASELINE_COLOUR, 0.8, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
    labels = [f"{y}\n{'基准年' if zh else 'baseline'}" if base is not None and int(y) == int(base) else str(y)
              for y in lay.years]
    _year_labels(painter, ctx, plot, (x0 + x1) / 2, labels)
    return geo


def _year_labels(painter: QPainter, ctx: _Ctx, plot: QRectF, xs: np.ndarray, labels: list[str]) -> None:
    """Year labels under the bars, thinned to every n-th when they would overlap (the baseline's
    always shown)."""
    width = max(ctx.fm.horizontalAdvance("2000") + 2 * ctx.pad, 1.0)
    step = max(1, int(np.ceil(width / max(float(xs[1] - xs[0]) if len(xs) > 1 else width, 1.0))))
    painter.setFont(ctx.font)
    painter.setPen(QColor(TEXT))
    h = ctx.fm.height()
    for i, label in enumerate(labels):
        if i % step == 0 or "\n" in label:  # two lines for the baseline: a rect of two lines' height
            painter.drawText(QRectF(float(xs[i]) - width, plot.bottom() + ctx.pad / 2, 2 * width, 2 * h),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), label)


def trend_png(path, trends: dict, lang: str = "zh", *, by: str = "fuel", quantity: str = "tce",
              width_px: int = 1200, height_px: int = 700, dpi: float = 144.0) -> EnergyChartGeometry:
    """Write the chart to a PNG; returns its geometry."""
    from app.charts.energy_charts import chart_image

    geo: list[EnergyChartGeometry] = []
    img = chart_image(lambda p, r: geo.append(trend_chart(p, r, trends, lang, by=by, quantity=quantity)),
                      width_px, height_px, dpi)
    if not img.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return geo[0]
