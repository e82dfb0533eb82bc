"""The sensitivity tornado of a pathway drawn with QPainter (QtGui only): one drawing for the Pathways
panel, a PNG and the PDF report (issue #19).

One row per driver, the largest swing at the top (the tornado's shape; Eschenbach 1992, "Spiderplots
versus tornado diagrams for sensitivity analysis", *Interfaces* 22(6)): from the base run's net
t CO2 of the year (a vertical line) a bar to the run with the driver's values × (1 − x) and one to
the run with × (1 + x). The peak years of the three runs are written beside each row. Input: the
``sensitivity`` rows of ``summary["pathways"]`` (:func:`gis.carbon.sensitivity.tornado`).
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
    _legend,
    _no_data,
    _tick_texts,
    _title,
    _x_labels,
)
from layers.charts import format_number, nice_ticks

LOW_COLOUR, HIGH_COLOUR = "#56B4E9", "#D55E00"
"""Values × (1 − x) sky blue, × (1 + x) vermillion (Okabe & Ito 2008)."""
ROW_FILL = 0.62
"""Bar height as a fraction of a row: gaps between rows."""


@dataclass
class TornadoGeometry(EnergyChartGeometry):
    """The chart's geometry: x in t CO2 (``x_px``), ``rows`` the band of each driver (top first)."""

    rows: list[QRectF] = field(default_factory=list)

    def row_at(self, x: float, y: float) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.top() <= y <= r.bottom()
                     and self.plot.left() - 200 <= x <= self.plot.right()), None)


def _peak_text(v, lang: str) -> str:
    return "—" if v is None or (isinstance(v, float) and not np.isfinite(v)) else str(int(v))


def tornado_chart(painter: QPainter, rect: QRectF, sensitivity: Sequence[dict] | pd.DataFrame,
                  lang: str = "zh", *, title: str | None = None, font_pt: float = 8.0,
                  legend: bool = True) -> TornadoGeometry:
    """The tornado of ``sensitivity`` rows (sorted by ``swing_t_co2``, largest at the top)."""
    ctx = _Ctx(painter, font_pt)
    zh = lang == "zh"
    df = pd.DataFrame(sensitivity)
    painter.save()
    try:
        if df.empty:
            return TornadoGeometry(**vars(_no_data(painter, ctx, _title(painter, ctx, rect, title), lang)))
        df = df.sort_values("swing_t_co2", ascending=False, kind="stable").reset_index(drop=True)
        pct, year = float(df["pct"].iloc[0]), int(df["year"].iloc[0])
        if title is None:
            title = (f"敏感性：各驱动因素 ±{pct:g}% 时 {year} 年净排放（吨CO₂）" if zh
                     else f"Sensitivity: net emissions in {year} with each driver ±{pct:g} % (tCO₂)")
        area = _title(painter, ctx, rect, title)
        if legend:
            items: list[LegendItem] = [(f"× (1 − {pct:g}%)", LOW_COLOUR, "box"),
                                       (f"× (1 + {pct:g}%)", HIGH_COLOUR, "box"),
                                       ("基准值" if zh else "Base value", TEXT, "line")]
            area = _legend(painter, ctx, area, items)
        low = df["t_co2_low"].to_numpy(float)
        high = df["t_co2_high"].to_numpy(float)
        base = float(df["t_co2_base"].iloc[0])
        ticks = nice_ticks(float(np.nanmin(np.r_[low, high, base])), float(np.nanmax(np.r_[low, high, base])))
        names = [str(r.get("driver_zh" if zh else "driver_en") or r.get("driver"))
                 for r in df.to_dict("records")]
        peaks = [("达峰 " if zh else "peak ") + "/".join(_peak_text(r.get(k), lang) for k in
                                                        ("peak_year_low", "peak_year_base", "peak_year_high"))
                 for r in df.to_dict("records")]
        left = max(ctx.fm.horizontalAdvance(n) for n in names) + 2 * ctx.pad
        right = max(ctx.fm.horizontalAdvance(p) for p in peaks) + 2 * ctx.pad
        top, bottom = ctx.fm.height() * 0.5, ctx.fm.height() * 2 + ctx.pad
        plot = QRectF(area.left() + left, area.top() + top, max(area.width() - left - right, 20.0),
                      max(area.height() - top - bottom, 20.0))
        geo = TornadoGeometry(plot, (float(ticks[0]), float(ticks[-1])), (0.0, 1.0))
        xt = geo.x_px(np.asarray(ticks, float))
        painter.setPen(ctx.pen("#e4e4e4", 0.5))
        for x in xt:
            painter.drawLine(QPointF(float(x), plot.top()), QPointF(float(x), plot.bottom()))
        row_h = plot.height() / len(df)
        xb = float(geo.x_px(base))
        painter.setFont(ctx.font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for i, (lo, hi) in enumerate(zip(low, high, strict=True)):
            y0 = plot.top() + i * row_h
            geo.rows.append(QRectF(plot.left(), y0, plot.width(), row_h))
            bar = QRectF(0, y0 + row_h * (1 - ROW_FILL) / 2, 0, row_h * ROW_FILL)
            for v, colour in ((lo, LOW_COLOUR), (hi, HIGH_COLOUR)):
                if np.isfinite(v) and v != base:
                    x = float(geo.x_px(v))
                    painter.fillRect(QRectF(min(x, xb), bar.top(), abs(x - xb), bar.height()), QColor(colour))
            painter.setPen(QColor(TEXT))
            painter.drawText(QRectF(area.left(), y0, left - ctx.pad, row_h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), names[i])
            painter.drawText(QRectF(plot.right() + ctx.pad, y0, right, row_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), peaks[i])
        painter.setPen(ctx.pen(TEXT, 1.2))
        painter.drawLine(QPointF(xb, plot.top()), QPointF(xb, plot.bottom()))
        painter.setPen(ctx.pen("#606060", 0.6))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        _x_labels(painter, ctx, plot, xt, _tick_texts(ticks))
        painter.setPen(QColor("#505050"))
        painter.drawText(QRectF(plot.left(), plot.bottom() + ctx.fm.height() + ctx.pad / 2, plot.width(),
                                ctx.fm.height()), int(Qt.AlignmentFlag.AlignHCenter),
                         (f"{year} 年净排放（吨CO₂），基准 {format_number(base)}" if zh
                          else f"Net emissions in {year} (tCO₂), base {format_number(base)}"))
        return geo
    finally:
        painter.restore()


def tornado_png(path, sensitivity: Sequence[dict] | pd.DataFrame, lang: str = "zh", *, width_px: int = 1400,
                height_px: int = 700, dpi: float = 144.0) -> TornadoGeometry:
    """Write the tornado to a PNG; returns its geometry."""
    from app.charts.energy_charts import chart_image

    geo: list[TornadoGeometry] = []
    img = chart_image(lambda p, r: geo.append(tornado_chart(p, r, sensitivity, lang)), width_px, height_px,
                      dpi)
    if not img.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return geo[0]
