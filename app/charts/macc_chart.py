"""The marginal abatement cost curve (MACC) of the park's measures drawn with QPainter (QtGui only):
one drawing for the Pathways panel, a PNG and the PDF report (issue #19).

Each measure is a bar: its width the abatement (t CO2/yr), its height the cost (yuan/t CO2), the
bars side by side from the cheapest (McKinsey & Company 2009, *Pathways to a Low-Carbon Economy*,
the usual form of the curve). Negative costs (the measure pays for itself) hang below the axis.
The order, the widths and the stacking come from :func:`gis.carbon.measures.macc`
(``x_start_t_co2`` … ``cumulative_t_co2``); this module only draws them, sorted again by cost in
case a section was edited by hand. Input: the ``macc`` rows of ``summary["pathways"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter

from app.charts.energy_charts import (
    TEXT,
    EnergyChartGeometry,
    LegendItem,
    _Ctx,
    _frame,
    _legend,
    _no_data,
    _plot_rect,
    _tick_texts,
    _title,
    _x_labels,
    _y_axis,
)
from app.charts.trend_chart import _bar_rings
from layers.charts import format_number, nice_ticks
from layers.qpath import path_from_rings

KIND_STYLE = {"electricity": ("电力（光伏、风电、储能、绿电）",
                              "Electricity (PV, wind, storage, green power)", "#E69F00"),
              "energy": ("节能与燃料替代", "Efficiency and fuel switch", "#0072B2"),
              "sink": ("碳汇", "Sinks", "#009E73")}
"""Kind → (name zh, name en, colour: Okabe & Ito 2008, as layers.charts.PALETTE)."""
OTHER_COLOUR = "#a8a8a8"


@dataclass
class MaccBars:
    """The bars: per measure its label, kind, x from/to (t/yr) and cost (yuan/t), cheapest first."""

    labels: list[str]
    kinds: list[str]
    x0: np.ndarray
    x1: np.ndarray
    cost: np.ndarray

    @property
    def total_t_co2_yr(self) -> float:
        return float(self.x1[-1]) if len(self.x1) else 0.0


def macc_bars(macc: Sequence[dict] | pd.DataFrame, lang: str = "zh") -> MaccBars:
    """The bars of MACC rows (``name_zh``/``name_en``, ``kind``, ``abatement_t_co2_yr``,
    ``cost_yuan_per_t_co2``), sorted by cost (ties: larger abatement first) and stacked from 0;
    rows without abatement are left out."""
    df = pd.DataFrame(macc)
    if df.empty or "abatement_t_co2_yr" not in df:
        return MaccBars([], [], np.zeros(0), np.zeros(0), np.zeros(0))
    df = df.assign(a=pd.to_numeric(df["abatement_t_co2_yr"], errors="coerce"),
                   c=pd.to_numeric(df["cost_yuan_per_t_co2"], errors="coerce"))
    df = df[(df["a"] > 0) & df["c"].notna()].sort_values(["c", "a"], ascending=[True, False], kind="stable")
    x1 = df["a"].cumsum().to_numpy(float)
    x0 = np.r_[0.0, x1[:-1]] if len(x1) else np.zeros(0)
    col = "name_zh" if lang == "zh" else "name_en"
    labels = [str(r.get(col) or r.get("name_zh") or r.get("key")) for r in df.to_dict("records")]
    return MaccBars(labels, [str(k) for k in df.get("kind", pd.Series("", index=df.index))], x0, x1,
                    df["c"].to_numpy(float))


@dataclass
class MaccGeometry(EnergyChartGeometry):
    """The chart's geometry (x in t CO2/yr, y in yuan/t) and each bar's rectangle (device pixels)."""

    bars: list[QRectF] = field(default_factory=list)

    def bar_at(self, x: float, y: float) -> int | None:
        """Index (cheapest first) of the bar whose column holds ``x`` (any height: thin bars are hard
        to hit), None outside the plot."""
        if not self.plot.contains(QPointF(x, y)):
            return None
        return next((i for i, r in enumerate(self.bars) if r.left() <= x <= r.right()), None)


def macc_chart(painter: QPainter, rect: QRectF, macc: Sequence[dict] | pd.DataFrame, lang: str = "zh", *,
               title: str | None = None, font_pt: float = 8.0, legend: bool = True) -> MaccGeometry:
    """The MACC of ``macc`` in ``rect``; each bar labelled with its measure (horizontal when it fits
    the bar, else turned upright) and its cost."""
    ctx = _Ctx(painter, font_pt)
    zh = lang == "zh"
    painter.save()
    try:
        if title is None:
            title = "边际减排成本曲线（MACC）" if zh else "Marginal abatement cost curve (MACC)"
        area = _title(painter, ctx, rect, title)
        bars = macc_bars(macc, lang)
        if legend:
            kinds = list(dict.fromkeys(bars.kinds))
            items: list[LegendItem] = [(KIND_STYLE[k][0 if zh else 1] if k in KIND_STYLE else k,
                                        KIND_STYLE.get(k, ("", "", OTHER_COLOUR))[2], "box") for k in kinds]
            area = _legend(painter, ctx, area, items)
        if not bars.labels:
            return MaccGeometry(**vars(_no_data(painter, ctx, area, lang)))
        lo, hi = float(min(0.0, bars.cost.min())), float(max(0.0, bars.cost.max()))
        pad = 0.12 * ((hi - lo) or 1.0)  # room for a label under the lowest bar
        lo = lo - pad if lo < 0 else lo
        x_ticks = nice_ticks(0.0, bars.total_t_co2_yr)
        right = ctx.fm.horizontalAdvance(_tick_texts(x_ticks)[-1]) / 2  # the last x label, on the edge
        plot = _plot_rect(ctx, area, tuple(nice_ticks(lo, hi + pad)), None, x_label_lines=2)
        plot = plot.adjusted(0, 0, -right, 0)
        texts = _label_texts(bars, lang)
        top = _room_above(ctx, plot, bars, texts, (0.0, float(x_ticks[-1])), lo, hi + pad)
        y_ticks = tuple(nice_ticks(lo, top))
        plot = _plot_rect(ctx, area, y_ticks, None, x_label_lines=2).adjusted(0, 0, -right, 0)
        geo = MaccGeometry(plot, (0.0, float(x_ticks[-1])), y_ticks)
        _y_axis(painter, ctx, geo, "元/吨CO₂" if zh else "yuan/tCO₂")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        px0, px1 = geo.x_px(bars.x0), geo.x_px(bars.x1)
        zero = float(geo.y_px(0.0))
        top = geo.y_px(bars.cost)
        for kind in dict.fromkeys(bars.kinds):
            sel = np.array([k == kind for k in bars.kinds])
            ring = _bar_rings(px0[sel], px1[sel], np.full(int(sel.sum()), zero), top[sel])
            colour = KIND_STYLE.get(kind, ("", "", OTHER_COLOUR))[2]
            painter.fillPath(path_from_rings(ring, np.full(int(sel.sum()), 5, dtype=np.int64)),
                             QColor(colour))
        painter.setPen(ctx.pen("#ffffff", 0.6))  # white edges keep neighbouring bars apart
        for a, b, t in zip(px0, px1, top, strict=True):
            painter.drawLine(QPointF(float(b), zero), QPointF(float(b), float(t)))
            geo.bars.append(QRectF(float(a), min(zero, float(t)), float(b - a), abs(zero - float(t))))
        painter.setPen(ctx.pen("#606060", 0.75))
        painter.drawLine(QPointF(plot.left(), zero), QPointF(plot.right(), zero))
        _labels(painter, ctx, geo, bars, texts)
        _frame(painter, ctx, plot)
        _x_labels(painter, ctx, plot, geo.x_px(x_ticks), _tick_texts(x_ticks))
        painter.setPen(QColor("#505050"))
        painter.drawText(QRectF(plot.left(), plot.bottom() + ctx.fm.height() + ctx.pad / 2, plot.width(),
                                ctx.fm.height()), int(Qt.AlignmentFlag.AlignHCenter),
                         "累计减排量（吨CO₂/年）" if zh else "Cumulative abatement (tCO₂/yr)")
        return geo
    finally:
        painter.restore()


def _label_texts(bars: MaccBars, lang: str) -> list[str]:
    unit = "元/t" if lang == "zh" else "yuan/t"
    return [f"{label} {format_number(cost)} {unit}"
            for label, cost in zip(bars.labels, bars.cost, strict=True)]


def _fits(ctx: _Ctx, text: str, width_px: float) -> bool:
    return ctx.fm.horizontalAdvance(text) + ctx.pad <= width_px


def _room_above(ctx: _Ctx, plot: QRectF, bars: MaccBars, texts: list[str], x_range: tuple[float, float],
                lo: float, hi: float) -> float:
    """The top of the y axis (yuan/t) that leaves room above each bar for its upright label: a label
    of w px above a value c needs (T − c) / (T − lo) × H ≥ w, so T ≥ (c·H − w·lo) / (H − w)."""
    span = (x_range[1] - x_range[0]) or 1.0
    top = hi
    H = plot.height()
    for x0, x1, cost, text in zip(bars.x0, bars.x1, bars.cost, texts, strict=True):
        w = ctx.fm.horizontalAdvance(text) + ctx.pad
        if _fits(ctx, text, (x1 - x0) / span * plot.width()):
            w = ctx.fm.height() + ctx.pad  # one line above the bar
        elif cost < 0:
            cost = 0.0  # upright above the axis
        if w < 0.8 * H:
            top = max(top, (max(cost, 0.0) * H - w * lo) / (H - w))
    return top


def _labels(painter: QPainter, ctx: _Ctx, geo: MaccGeometry, bars: MaccBars, texts: list[str]) -> None:
    """Name and cost of each bar: across the bar when it fits (above a positive bar, below a negative
    one), else upright, rising from the bar's top (a negative bar: from the axis)."""
    painter.setFont(ctx.font)
    painter.setPen(QColor(TEXT))
    h = ctx.fm.height()
    zero = float(geo.y_px(0.0))
    last_x = -1e9  # upright labels of neighbouring thin bars: at least a line apart
    for r, text, cost in zip(geo.bars, texts, bars.cost, strict=True):
        up = cost >= 0
        if _fits(ctx, text, r.width()):
            y = r.top() - h - ctx.pad / 2 if up else r.bottom() + ctx.pad / 2
            box = QRectF(r.left(), y, r.width(), h)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), text)
            continue
        x = max(r.center().x(), last_x + h)
        last_x = x
        painter.save()
        painter.translate(x, (r.top() if up else zero) - ctx.pad / 2)
        painter.rotate(-90)
        painter.drawText(QRectF(0, -h / 2, ctx.fm.horizontalAdvance(text) + ctx.pad, h),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()


def macc_png(path, macc: Sequence[dict] | pd.DataFrame, lang: str = "zh", *, width_px: int = 1400,
             height_px: int = 800, dpi: float = 144.0) -> MaccGeometry:
    """Write the MACC to a PNG; returns its geometry."""
    from app.charts.energy_charts import chart_image

    geo: list[MaccGeometry] = []
    img = chart_image(lambda p, r: geo.append(macc_chart(p, r, macc, lang)), width_px, height_px, dpi)
    if not img.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return geo[0]
