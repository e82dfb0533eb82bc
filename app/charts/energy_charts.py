"""The hourly energy analysis drawn with QPainter (QtGui only): one drawing for the Energy panel, a
PNG and the PDF report.

* :func:`balance_chart` — load, generation, storage and grid over a day or a week: on-site sources,
  battery discharge and grid import stacked above zero, battery charge, export and curtailment
  below it (the bus balance of gis.energy.dispatch: every kW of load is met by what is above
  zero, minus what is below), the load as a line, the battery's stored energy on a second axis;
* :func:`heatmap_chart` — a month × hour-of-day matrix (load, generation, net load, grid import);
* :func:`duration_curve_chart` — load and net load sorted from the highest hour down;
* :func:`sizing_chart` — the sizing trade-off: annual cost against self-sufficiency.

Sizes are in points and converted with the device's dpi (96-dpi widget, 1200-dpi PDF), text uses
the CJK font of :mod:`layers.fonts` (through :func:`layers.legend.device_font`), tick steps come from
:func:`layers.charts.nice_ticks` (1-2-5). Power is drawn as steps: each value is the mean power
over its interval. Geometry is built in bulk from numpy arrays as QPainterPaths deserialised from
bytes (:func:`layers.qpath.path_from_rings`; building QPolygonF point by point is slow, DOMAIN.md §7).
Each function returns an :class:`EnergyChartGeometry` (plot rectangle, value → pixel maps) for
hit-testing and tests.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QLinearGradient, QPainter, QPainterPath, QPen

from app.charts.energy_data import EnergySeries
from layers.charts import MONTHS_EN, MONTHS_ZH, PALETTE, format_number, nice_number, nice_ticks, tick_decimals
from layers.legend import device_font
from layers.qpath import path_from_rings

TEXT, AXIS, GRID = "#202020", "#606060", "#e4e4e4"
SOURCE_STYLE: dict[str, tuple[str, str, str]] = {
    "rooftop_pv": ("屋顶光伏", "Rooftop PV", "#E69F00"),
    "pv": ("光伏", "PV", "#E69F00"),
    "pv_array": ("地面光伏", "Ground PV", "#F0E442"),
    "wind": ("风电", "Wind", "#56B4E9"),
    "other": ("其他电源", "Other source", "#CC79A7"),
}
"""Name (zh, en) and colour of the known sources; colours from Okabe & Ito (2008), the
colour-blind-safe palette of layers.charts."""
FLOW_STYLE: dict[str, tuple[str, str, str]] = {
    "discharge_kw": ("储能放电", "Battery discharge", "#009E73"),
    "grid_import_kw": ("下网", "Grid import", "#a8a8a8"),
    "charge_kw": ("储能充电", "Battery charge", "#8fd6c0"),
    "grid_export_kw": ("上网", "Grid export", "#0072B2"),
    "curtailed_kw": ("弃电", "Curtailed", "#D55E00"),
}
LOAD_COLOUR, SOC_COLOUR, NET_COLOUR = "#000000", "#7B3294", "#D55E00"
VIRIDIS = ("#440154", "#472c7a", "#3b518b", "#2c718e", "#21908d", "#27ad81", "#5cc863", "#aadc32", "#fde725")
"""matplotlib's viridis (van der Walt & Smith 2015) at 0, 1/8 … 1: lightness rises monotonically,
so a brighter cell is always a larger value, also in grey print and for colour-blind readers."""
RDBU = ("#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7", "#fddbc7", "#f4a582", "#d6604d",
        "#b2182b", "#67001f")
"""ColorBrewer RdBu, 11 classes (Brewer 2003), blue → red: a diverging scale for the net load
(blue = on-site surplus, red = deficit), white at zero."""
COLOUR_LEVELS = 64
"""Heatmap colours are quantised to this many levels (one path per level): finer than the eye
tells apart on a 9-stop scale."""
HEATMAP_LABELS = {"load_kw": ("负荷", "Load"), "onsite_kw": ("园区内发电", "On-site generation"),
                  "net_kw": ("净负荷（负荷 − 园区内发电）", "Net load (load − on-site generation)"),
                  "grid_import_kw": ("下网功率", "Grid import")}
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def source_label(name: str, lang: str) -> str:
    """A source's display name ("rooftop_pv" → 屋顶光伏 / Rooftop PV; unknown names as they are)."""
    style = SOURCE_STYLE.get(name)
    return (style[0] if lang == "zh" else style[1]) if style else name


def source_colour(name: str, k: int) -> str:
    style = SOURCE_STYLE.get(name)
    return style[2] if style else PALETTE[(k + 5) % len(PALETTE)]


# ---- geometry returned to callers ---------------------------------------------------------------

@dataclass
class EnergyChartGeometry:
    """Where a chart was drawn: the plot rectangle (device pixels), the x range and the value
    ticks of the left (and right) axis; for a heatmap, its grid's rows and columns."""

    plot: QRectF
    x_range: tuple[float, float] = (0.0, 1.0)
    y_ticks: tuple[float, ...] = (0.0, 1.0)
    y2_ticks: tuple[float, ...] | None = None
    grid: tuple[int, int] | None = None
    colour_range: tuple[float, float] | None = None

    def x_px(self, x):
        a, b = self.x_range
        return self.plot.left() + (np.asarray(x, float) - a) / ((b - a) or 1.0) * self.plot.width()

    def y_px(self, y):
        return _scale(y, self.y_ticks, self.plot)

    def y2_px(self, y):
        return _scale(y, self.y2_ticks or (0.0, 1.0), self.plot)

    def cell_rect(self, row: int, col: int) -> QRectF:
        """A heatmap cell (row = month − 1, col = hour of day)."""
        rows, cols = self.grid or (1, 1)
        w, h = self.plot.width() / cols, self.plot.height() / rows
        return QRectF(self.plot.left() + col * w, self.plot.top() + row * h, w, h)


def _scale(y, ticks: Sequence[float], plot: QRectF):
    lo, hi = ticks[0], ticks[-1]
    return plot.bottom() - (np.asarray(y, float) - lo) / ((hi - lo) or 1.0) * plot.height()


# ---- shared drawing ------------------------------------------------------------------------------

class _Ctx:
    """Fonts and sizes of one chart on one device."""

    def __init__(self, painter: QPainter, font_pt: float) -> None:
        device = painter.device()
        self.dpi = float(device.logicalDpiX()) if device is not None else 96.0
        self.pt = self.dpi / 72.0
        self.font = device_font(font_pt, self.dpi)
        self.title_font = device_font(font_pt + 1.5, self.dpi, bold=True)
        self.fm = QFontMetricsF(self.font)
        self.fm_title = QFontMetricsF(self.title_font)
        self.pad = 4 * self.pt

    def pen(self, colour: str, width_pt: float = 0.5, style=Qt.PenStyle.SolidLine) -> QPen:
        pen = QPen(QColor(colour), max(width_pt * self.pt, 1.0))
        pen.setStyle(style)
        return pen


def _title(painter: QPainter, ctx: _Ctx, rect: QRectF, title: str | None) -> QRectF:
    if not title:
        return QRectF(rect)
    h = ctx.fm_title.height() * 1.3
    painter.setFont(ctx.title_font)
    painter.setPen(QColor(TEXT))
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), h), int(Qt.AlignmentFlag.AlignCenter),
                     ctx.fm_title.elidedText(title, Qt.TextElideMode.ElideRight, rect.width()))
    return rect.adjusted(0, h, 0, 0)


LegendItem = tuple[str, str, str]
"""(label, colour, kind): kind "box", "line" or "dash"."""


def _legend(painter: QPainter, ctx: _Ctx, rect: QRectF, items: Sequence[LegendItem]) -> QRectF:
    """A wrapping legend at the top of ``rect``; returns the rest of ``rect``."""
    if not items:
        return QRectF(rect)
    sw, gap = 11 * ctx.pt, 4 * ctx.pt
    rows: list[list[tuple[LegendItem, float]]] = [[]]
    x = 0.0
    for item in items:
        w = sw + gap + ctx.fm.horizontalAdvance(item[0]) + 2.5 * gap
        if x > 0 and x + w > rect.width():
            rows.append([])
            x = 0.0
        rows[-1].append((item, x))
        x += w
    line_h = ctx.fm.height() * 1.25
    painter.setFont(ctx.font)
    for r, row in enumerate(rows):
        last, dx_last = row[-1]
        total = dx_last + sw + gap + ctx.fm.horizontalAdvance(last[0])
        x0 = rect.left() + max((rect.width() - total) / 2, 0.0)
        y = rect.top() + r * line_h
        mid = y + line_h / 2
        for (label, colour, kind), dx in row:
            if kind == "box":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(colour))
                painter.drawRect(QRectF(x0 + dx, mid - 3.5 * ctx.pt, sw, 7 * ctx.pt))
            else:
                style = Qt.PenStyle.DashLine if kind == "dash" else Qt.PenStyle.SolidLine
                painter.setPen(ctx.pen(colour, 1.4, style))
                painter.drawLine(QPointF(x0 + dx, mid), QPointF(x0 + dx + sw, mid))
            painter.setPen(QColor(TEXT))
            painter.drawText(QRectF(x0 + dx + sw + gap, y, rect.width(), line_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
    return rect.adjusted(0, len(rows) * line_h + 2 * ctx.pt, 0, 0)


def _no_data(painter: QPainter, ctx: _Ctx, rect: QRectF, lang: str) -> EnergyChartGeometry:
    painter.setFont(ctx.font)
    painter.setPen(QColor("#808080"))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), "无数据" if lang == "zh" else "No data")
    return EnergyChartGeometry(QRectF(rect))


def _tick_texts(ticks: Sequence[float]) -> list[str]:
    dec = tick_decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    return [format_number(t, dec) for t in ticks]


def _plot_rect(ctx: _Ctx, area: QRectF, y_ticks: Sequence[float], y2_ticks: Sequence[float] | None,
               x_label_lines: int = 1, units: bool = True) -> QRectF:
    """The plot area inside ``area``: room for the tick labels left (and right), the units above
    and ``x_label_lines`` lines of x labels below."""
    left = max(ctx.fm.horizontalAdvance(t) for t in _tick_texts(y_ticks)) + ctx.pad
    right = (max(ctx.fm.horizontalAdvance(t) for t in _tick_texts(y2_ticks)) + ctx.pad if y2_ticks
             else 2 * ctx.pad)
    top = ctx.fm.height() * 1.3 if units else ctx.fm.height() / 2
    bottom = ctx.fm.height() * x_label_lines + ctx.pad
    return QRectF(area.left() + left, area.top() + top, max(area.width() - left - right, 10.0),
                  max(area.height() - top - bottom, 10.0))


def _y_axis(painter: QPainter, ctx: _Ctx, geo: EnergyChartGeometry, unit: str, right: bool = False,
            grid: bool = True) -> None:
    """Tick labels (thousands separators), grid lines and the unit above the axis."""
    ticks = geo.y2_ticks if right else geo.y_ticks
    if not ticks:
        return
    p = geo.plot
    painter.setFont(ctx.font)
    for t, text in zip(ticks, _tick_texts(ticks), strict=True):
        if right and t < 0:
            continue  # the stored energy is never negative: no labels below zero
        y = float(geo.y2_px(t) if right else geo.y_px(t))
        if grid:
            painter.setPen(ctx.pen(GRID, 0.5))
            painter.drawLine(QPointF(p.left(), y), QPointF(p.right(), y))
        painter.setPen(QColor(TEXT))
        h = ctx.fm.height()
        if right:
            painter.drawText(QRectF(p.right() + ctx.pad / 2, y - h / 2, 200 * ctx.pt, h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        else:
            painter.drawText(QRectF(p.left() - 200 * ctx.pt, y - h / 2, 200 * ctx.pt - ctx.pad / 2, h),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
    if unit:
        painter.setPen(QColor("#505050"))
        h = ctx.fm.height()
        tick_w = max(ctx.fm.horizontalAdvance(t) for t in _tick_texts(ticks)) + ctx.pad
        if right:  # above the right tick labels, ending where they end
            box = QRectF(p.right() - 200 * ctx.pt, p.top() - h * 1.3, 200 * ctx.pt + tick_w, h)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), unit)
        else:  # above the left tick labels, starting where they start
            box = QRectF(p.left() - tick_w, p.top() - h * 1.3, p.width(), h)
            painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), unit)


def _x_labels(painter: QPainter, ctx: _Ctx, plot: QRectF, xs_px: Sequence[float], labels: Sequence[str],
              centred_in: Sequence[tuple[float, float]] | None = None) -> None:
    """Labels under the plot: centred on ``xs_px``, or in the spans ``centred_in``."""
    painter.setFont(ctx.font)
    painter.setPen(QColor(TEXT))
    h = ctx.fm.height()
    for i, label in enumerate(labels):
        if centred_in is not None:
            a, b = centred_in[i]
        else:
            w = ctx.fm.horizontalAdvance(label) + ctx.pad
            a, b = xs_px[i] - w / 2, xs_px[i] + w / 2
        painter.drawText(QRectF(a, plot.bottom() + ctx.pad / 2, b - a, h),
                         int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), label)


def _frame(painter: QPainter, ctx: _Ctx, plot: QRectF) -> None:
    painter.setPen(ctx.pen(AXIS, 0.6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())


def _open_path(x_px: np.ndarray, y_px: np.ndarray) -> QPainterPath:
    """A polyline in one QPainterPath, built from the arrays in bulk."""
    xy = np.column_stack([x_px, y_px]).astype(float)
    return path_from_rings(xy, np.array([len(xy)], dtype=np.int64)) if len(xy) else QPainterPath()


def step_xy(edges: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points of a step line: ``values[i]`` held from ``edges[i]`` to ``edges[i + 1]``."""
    x = np.repeat(edges, 2)[1:-1]
    y = np.repeat(values, 2)
    return x, y


def _band(edges: np.ndarray, top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """The closed ring (data units) between two step lines."""
    xt, yt = step_xy(edges, top)
    xb, yb = step_xy(edges, bottom)
    x = np.concatenate([xt, xb[::-1], xt[:1]])
    y = np.concatenate([yt, yb[::-1], yt[:1]])
    return np.column_stack([x, y])


def _fill_ring(painter: QPainter, ring_px: np.ndarray, colour: str) -> None:
    path = path_from_rings(ring_px, np.array([len(ring_px)], dtype=np.int64))
    painter.fillPath(path, QColor(colour))


# ---- (a) the balance of a day or a week -----------------------------------------------------------

def balance_layers(series: EnergySeries, lang: str = "zh") -> tuple[list[tuple[str, str, np.ndarray]],
                                                                    list[tuple[str, str, np.ndarray]]]:
    """(above zero, below zero): the stacked layers (label, colour, kW) of :func:`balance_chart`.
    Above: each on-site source, battery discharge, grid import; below: battery charge, grid export,
    curtailment. Layers that are zero throughout are left out, sources only when all are zero."""
    zh = lang == "zh"
    up = [(source_label(k, lang), source_colour(k, i), np.asarray(v, float))
          for i, (k, v) in enumerate(series.sources_kw.items())]
    if all(not np.any(v > 0) for _l, _c, v in up):
        up = []
    for col in ("discharge_kw", "grid_import_kw"):
        v = getattr(series, col)
        if np.any(v > 0):
            up.append((FLOW_STYLE[col][0 if zh else 1], FLOW_STYLE[col][2], v))
    down = []
    for col in ("charge_kw", "grid_export_kw", "curtailed_kw"):
        v = getattr(series, col)
        if np.any(v > 0):
            down.append((FLOW_STYLE[col][0 if zh else 1], FLOW_STYLE[col][2], v))
    return up, down


def balance_chart(painter: QPainter, rect: QRectF, series: EnergySeries, lang: str = "zh", *,
                  title: str | None = None, soc_max_kwh: float | None = None, font_pt: float = 8.0,
                  legend: bool = True) -> EnergyChartGeometry:
    """Load, generation, storage and grid of ``series`` (a day or a week; x in hours from its first
    interval): stacked step areas above and below zero, the load as a step line, the battery's
    stored energy (kWh, right axis up to ``soc_max_kwh`` or its largest value) dashed."""
    ctx = _Ctx(painter, font_pt)
    painter.save()
    try:
        area = _title(painter, ctx, rect, title)
        up, down = balance_layers(series, lang)
        soc = series.soc_kwh if series.soc_kwh is not None and np.any(series.soc_kwh > 0) else None
        if legend:
            items: list[LegendItem] = [(label, colour, "box") for label, colour, _ in (*up, *down)]
            items.append(("负荷" if lang == "zh" else "Load", LOAD_COLOUR, "line"))
            if soc is not None:
                label = "储能电量（右轴）" if lang == "zh" else "Battery energy (right axis)"
                items.append((label, SOC_COLOUR, "dash"))
            area = _legend(painter, ctx, area, items)
        n = len(series)
        if n == 0:
            return _no_data(painter, ctx, area, lang)
        up_cum = np.cumsum(np.vstack([v for _l, _c, v in up]), axis=0) if up else np.zeros((0, n))
        down_cum = np.cumsum(np.vstack([v for _l, _c, v in down]), axis=0) if down else np.zeros((0, n))
        hi = max(float(up_cum[-1].max()) if len(up_cum) else 0.0, float(series.load_kw.max()), 0.0)
        lo = -float(down_cum[-1].max()) if len(down_cum) else 0.0
        y_ticks = tuple(nice_ticks(min(lo, 0.0), hi, 6))
        y2_ticks = None
        if soc is not None:
            y2_ticks = _aligned_ticks(y_ticks, max(soc_max_kwh or 0.0, float(soc.max())))
        span_h = n * series.dt_h
        plot = _plot_rect(ctx, area, y_ticks, y2_ticks)
        geo = EnergyChartGeometry(plot, (0.0, span_h), y_ticks, y2_ticks)
        _y_axis(painter, ctx, geo, "kW")
        edges = np.arange(n + 1) * series.dt_h
        day_px = geo.x_px(np.arange(0.0, span_h + 1e-9, 24.0))
        painter.setPen(ctx.pen(GRID, 0.5))
        for x in day_px[1:-1]:  # at most a few days: one line each
            painter.drawLine(QPointF(float(x), plot.top()), QPointF(float(x), plot.bottom()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for cum, sign, layers in ((up_cum, 1.0, up), (down_cum, -1.0, down)):
            below = np.zeros(n)
            for k, (_label, colour, _v) in enumerate(layers):
                ring = _band(edges, sign * cum[k], sign * below)
                _fill_ring(painter, np.column_stack([geo.x_px(ring[:, 0]), geo.y_px(ring[:, 1])]), colour)
                below = cum[k]
        painter.setPen(ctx.pen(AXIS, 0.75))
        zero = float(geo.y_px(0.0))
        painter.drawLine(QPointF(plot.left(), zero), QPointF(plot.right(), zero))
        xs, ys = step_xy(edges, series.load_kw)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(ctx.pen(LOAD_COLOUR, 1.2))
        painter.drawPath(_open_path(geo.x_px(xs), geo.y_px(ys)))
        if soc is not None and y2_ticks is not None:
            _y_axis(painter, ctx, geo, "kWh", right=True, grid=False)
            painter.setPen(ctx.pen(SOC_COLOUR, 1.2, Qt.PenStyle.DashLine))
            x_soc = np.r_[0.0, edges[1:]]
            y_soc = np.r_[soc[0], soc]  # stored energy at each interval's end (start ≈ first end)
            painter.drawPath(_open_path(geo.x_px(x_soc), geo.y2_px(y_soc)))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        _frame(painter, ctx, plot)
        _time_labels(painter, ctx, geo, series, lang)
        return geo
    finally:
        painter.restore()


def _aligned_ticks(y_ticks: Sequence[float], top: float) -> tuple[float, ...]:
    """Right-axis ticks on the left axis's grid lines, zero on zero: a 1-2-5 step that fits ``top``
    in the intervals above zero (the ticks below zero are not labelled)."""
    below = sum(1 for t in y_ticks if t < 0)
    above = max(sum(1 for t in y_ticks if t > 0), 1)
    step = nice_number(top / above, round_=False) if top > 0 else 1.0
    return tuple(step * (i - below) for i in range(len(y_ticks)))


def _time_labels(painter: QPainter, ctx: _Ctx, geo: EnergyChartGeometry, series: EnergySeries, lang: str
                 ) -> None:
    """A day: hours 0–24 every 3 (or 6) hours; longer: one label per day, as long as it fits."""
    span = geo.x_range[1]
    plot = geo.plot
    if span <= 36.0:
        step = 3 if plot.width() > 16 * ctx.fm.horizontalAdvance("00:00") / 2 else 6
        hours = np.arange(0, int(span) + 1, step)
        _x_labels(painter, ctx, plot, geo.x_px(hours), [f"{int(h) % 24 if h < 24 else 24}:00" for h in hours])
        return
    days = math.ceil(span / 24.0 - 1e-9)
    day0 = series.time[0].astype("datetime64[D]")
    dates = day0 + np.arange(days)
    month = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    wd = (dates.astype(np.int64) + 3) % 7
    width = plot.width() / max(span / 24.0, 1e-9)
    for form in range(3):
        if lang == "zh":
            labels = [(f"{m}/{d} {WEEKDAYS_ZH[w]}", f"{m}/{d}", f"{d}")[form]
                      for m, d, w in zip(month, dom, wd, strict=True)]
        else:
            labels = [(f"{WEEKDAYS_EN[w]} {d} {MONTHS_EN[m - 1]}", f"{d} {MONTHS_EN[m - 1]}", f"{d}")[form]
                      for m, d, w in zip(month, dom, wd, strict=True)]
        if max(ctx.fm.horizontalAdvance(t) for t in labels) + ctx.pad <= width:
            break
    spans = [(float(geo.x_px(24.0 * k)), float(geo.x_px(min(24.0 * (k + 1), span)))) for k in range(days)]
    _x_labels(painter, ctx, plot, [], labels, centred_in=spans)


# ---- (b) month × hour heatmap ---------------------------------------------------------------------

def colour_scale(values: np.ndarray, lo: float, hi: float, stops: Sequence[str] = VIRIDIS,
                 levels: int = COLOUR_LEVELS) -> tuple[np.ndarray, np.ndarray]:
    """(level index per value, RGB of each level 0–255): ``values`` mapped linearly from [lo, hi]
    onto ``stops`` in ``levels`` steps (-1 for NaN)."""
    rgb_stops = np.array([[int(s[i:i + 2], 16) for i in (1, 3, 5)] for s in stops], dtype=float)
    at = np.linspace(0.0, 1.0, len(stops))
    f = np.linspace(0.0, 1.0, levels)
    palette = np.column_stack([np.interp(f, at, rgb_stops[:, c]) for c in range(3)]).round().astype(int)
    v = np.asarray(values, float)
    q = np.clip((v - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
    idx = np.where(np.isfinite(v), np.round(np.nan_to_num(q) * (levels - 1)), -1).astype(int)
    return idx, palette


def heatmap_chart(painter: QPainter, rect: QRectF, matrix: np.ndarray, lang: str = "zh", *,
                  title: str | None = None, unit: str = "kW", font_pt: float = 8.0) -> EnergyChartGeometry:
    """A (12, 24) matrix (months down, January at the top; hours of day across) as coloured cells,
    with a colour bar. Values of both signs get the diverging :data:`RDBU` scale symmetric about
    zero, others :data:`VIRIDIS` from the lowest to the highest tick. Empty cells are light grey."""
    ctx = _Ctx(painter, font_pt)
    painter.save()
    try:
        area = _title(painter, ctx, rect, title)
        m = np.asarray(matrix, float)
        finite = m[np.isfinite(m)]
        if m.size == 0 or finite.size == 0:
            return _no_data(painter, ctx, area, lang)
        lo, hi = float(finite.min()), float(finite.max())
        diverging = lo < 0.0 < hi
        if diverging:
            top = max(-lo, hi)
            ticks = nice_ticks(-top, top, 5)
            stops: Sequence[str] = RDBU
        else:
            ticks = nice_ticks(lo, hi, 5)
            stops = VIRIDIS
        c_lo, c_hi = ticks[0], ticks[-1]
        months = MONTHS_ZH if lang == "zh" else MONTHS_EN
        left = max(ctx.fm.horizontalAdvance(t) for t in months) + ctx.pad
        tick_w = max(ctx.fm.horizontalAdvance(t) for t in _tick_texts(ticks))
        bar_w = 9 * ctx.pt
        right = bar_w + tick_w + 3 * ctx.pad
        top_room = ctx.fm.height() * 1.3
        bottom_room = ctx.fm.height() * 2.2 + ctx.pad
        plot = QRectF(area.left() + left, area.top() + top_room, max(area.width() - left - right, 24.0),
                      max(area.height() - top_room - bottom_room, 12.0))
        rows, cols = m.shape
        geo = EnergyChartGeometry(plot, (0.0, float(cols)), tuple(ticks), grid=(rows, cols),
                                  colour_range=(c_lo, c_hi))
        level, palette = colour_scale(m.ravel(), c_lo, c_hi, stops)
        _fill_cells(painter, plot, rows, cols, level, palette)
        _frame(painter, ctx, plot)
        # months down the left, hours along the bottom (cell edges 0, 3 … 24)
        painter.setFont(ctx.font)
        painter.setPen(QColor(TEXT))
        ch = plot.height() / rows
        every = 1 if ch >= ctx.fm.height() * 0.95 else 2
        for r in range(0, rows, every):
            painter.drawText(QRectF(area.left(), plot.top() + r * ch, left - ctx.pad / 2, ch),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), months[r % 12])
        step = 3 if plot.width() / cols * 3 > ctx.fm.horizontalAdvance("24") * 1.8 else 6
        hours = np.arange(0, cols + 1, step)
        _x_labels(painter, ctx, plot, geo.x_px(hours), [str(h) for h in hours])
        painter.drawText(QRectF(plot.left(), plot.bottom() + ctx.fm.height() + ctx.pad / 2, plot.width(),
                                ctx.fm.height()), int(Qt.AlignmentFlag.AlignHCenter),
                         "时刻（时）" if lang == "zh" else "Hour of day (h)")
        _colour_bar(painter, ctx, QRectF(plot.right() + 2 * ctx.pad, plot.top(), bar_w, plot.height()),
                    ticks, stops, unit)
        return geo
    finally:
        painter.restore()


def _fill_cells(painter: QPainter, plot: QRectF, rows: int, cols: int, level: np.ndarray,
                palette: np.ndarray) -> None:
    """Every cell as a rectangle ring, one path per colour level (vector output, no per-cell call)."""
    w, h = plot.width() / cols, plot.height() / rows
    r, c = np.divmod(np.arange(rows * cols), cols)
    x0, y0 = plot.left() + c * w, plot.top() + r * h
    x1, y1 = x0 + w, y0 + h
    # slightly overlapping cells: no hairline seams between antialiased neighbours
    ring = np.stack([np.column_stack(p) for p in ((x0, y0), (x1 + 0.5, y0), (x1 + 0.5, y1 + 0.5),
                                                  (x0, y1 + 0.5), (x0, y0))], axis=1)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for lv in np.unique(level):
        sel = np.flatnonzero(level == lv)
        xy = ring[sel].reshape(-1, 2)
        path = path_from_rings(xy, np.full(len(sel), 5, dtype=np.int64), 1)  # winding: overlaps stay filled
        colour = QColor("#eeeeee") if lv < 0 else QColor(*(int(v) for v in palette[lv]))
        painter.fillPath(path, colour)


def _colour_bar(painter: QPainter, ctx: _Ctx, bar: QRectF, ticks: Sequence[float], stops: Sequence[str],
                unit: str) -> None:
    grad = QLinearGradient(bar.bottomLeft(), bar.topLeft())
    for k, s in enumerate(stops):
        grad.setColorAt(k / (len(stops) - 1), QColor(s))
    painter.fillRect(bar, grad)
    painter.setPen(ctx.pen(AXIS, 0.5))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(bar)
    painter.setFont(ctx.font)
    h = ctx.fm.height()
    for t, text in zip(ticks, _tick_texts(ticks), strict=True):
        y = float(_scale(t, ticks, bar))
        painter.setPen(QColor(TEXT))
        painter.drawText(QRectF(bar.right() + ctx.pad / 2, y - h / 2, 200 * ctx.pt, h),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
    painter.setPen(QColor("#505050"))
    painter.drawText(QRectF(bar.left(), bar.top() - h * 1.3, 200 * ctx.pt, h),  # above the bar
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), unit)


# ---- (c) duration curves ---------------------------------------------------------------------------

def duration_curve_chart(painter: QPainter, rect: QRectF, hours: np.ndarray, curves: Mapping[str, np.ndarray],
                         lang: str = "zh", *, total_h: float | None = None, title: str | None = None,
                         font_pt: float = 8.0) -> EnergyChartGeometry:
    """Duration curves (``curves``: "load_kw", "net_kw" → kW sorted from the highest down, at
    ``hours``): x the hours a level is reached or exceeded (0 … ``total_h``), y kW."""
    ctx = _Ctx(painter, font_pt)
    zh = lang == "zh"
    styles = {"load_kw": ("负荷" if zh else "Load", LOAD_COLOUR),
              "net_kw": ("净负荷（负荷 − 园区内发电）" if zh else "Net load (load − on-site)", NET_COLOUR)}
    painter.save()
    try:
        area = _title(painter, ctx, rect, title)
        curves = {k: np.asarray(v, float) for k, v in curves.items() if len(v)}
        area = _legend(painter, ctx, area, [(*styles.get(k, (k, "#555555")), "line") for k in curves])
        x = np.asarray(hours, float)
        if not curves or len(x) == 0:
            return _no_data(painter, ctx, area, lang)
        lo = min(0.0, min(float(v.min()) for v in curves.values()))
        hi = max(0.0, max(float(v.max()) for v in curves.values()))
        y_ticks = tuple(nice_ticks(lo, hi, 6))
        end = float(total_h or x[-1])
        x_ticks = nice_ticks(0.0, end, 6)
        x_ticks = [t for t in x_ticks if t <= end + 1e-9]
        plot = _plot_rect(ctx, area, y_ticks, None, x_label_lines=2)
        geo = EnergyChartGeometry(plot, (0.0, end), y_ticks)
        _y_axis(painter, ctx, geo, "kW")
        painter.setPen(ctx.pen(AXIS, 0.75))
        zero = float(geo.y_px(0.0))
        painter.drawLine(QPointF(plot.left(), zero), QPointF(plot.right(), zero))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for k, v in curves.items():
            painter.setPen(ctx.pen(styles.get(k, (k, "#555555"))[1], 1.4))
            painter.drawPath(_open_path(geo.x_px(x[:len(v)]), geo.y_px(v)))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        _frame(painter, ctx, plot)
        _x_labels(painter, ctx, plot, geo.x_px(x_ticks), _tick_texts(x_ticks))
        painter.setPen(QColor("#505050"))
        painter.drawText(QRectF(plot.left(), plot.bottom() + ctx.fm.height() + ctx.pad / 2, plot.width(),
                                ctx.fm.height()), int(Qt.AlignmentFlag.AlignHCenter),
                         "达到或超过该功率的时数（h）" if lang == "zh" else "Hours at or above the level (h)")
        return geo
    finally:
        painter.restore()


# ---- (d) the sizing trade-off ----------------------------------------------------------------------

def sizing_chart(painter: QPainter, rect: QRectF, curve: Sequence[Mapping], lang: str = "zh", *,
                 current: tuple[float, float] | None = None, title: str | None = None,
                 font_pt: float = 8.0) -> EnergyChartGeometry:
    """Annual cost (10⁴ yuan/yr) against self-sufficiency (%) of the sizing curve's points
    (``self_sufficiency_pct``, ``annual_cost_yuan``), joined in order of self-sufficiency;
    ``current`` = (self-sufficiency %, annual cost yuan) of the run shown, marked apart."""
    ctx = _Ctx(painter, font_pt)
    painter.save()
    try:
        area = _title(painter, ctx, rect, title)
        pts = np.array([(float(p["self_sufficiency_pct"]), float(p["annual_cost_yuan"]))
                        for p in curve if p.get("self_sufficiency_pct") is not None
                        and p.get("annual_cost_yuan") is not None], dtype=float).reshape(-1, 2)
        zh = lang == "zh"
        items: list[LegendItem] = [("最低成本方案" if zh else "Least-cost options", PALETTE[0], "line")]
        if current is not None:
            items.append(("本次方案" if lang == "zh" else "This run", PALETTE[3], "box"))
        area = _legend(painter, ctx, area, items)
        if len(pts) == 0:
            return _no_data(painter, ctx, area, lang)
        pts = pts[np.argsort(pts[:, 0], kind="stable")]
        y = pts[:, 1] / 1e4
        cur = None if current is None else (float(current[0]), float(current[1]) / 1e4)
        ys = np.r_[y, [cur[1]] if cur else []]
        y_ticks = tuple(nice_ticks(min(0.0, float(ys.min())), float(ys.max()), 6))
        xs = np.r_[pts[:, 0], [cur[0]] if cur else []]
        x_ticks = nice_ticks(max(0.0, math.floor(float(xs.min()) / 10) * 10), min(100.0, float(xs.max())), 6)
        plot = _plot_rect(ctx, area, y_ticks, None, x_label_lines=2)
        geo = EnergyChartGeometry(plot, (x_ticks[0], x_ticks[-1]), y_ticks)
        _y_axis(painter, ctx, geo, "万元/年" if lang == "zh" else "10⁴ yuan/yr")
        painter.setPen(ctx.pen(GRID, 0.5))
        for t in x_ticks[1:-1]:
            x = float(geo.x_px(t))
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        px, py = geo.x_px(pts[:, 0]), geo.y_px(y)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(ctx.pen(PALETTE[0], 1.4))
        painter.drawPath(_open_path(px, py))
        painter.fillPath(_markers(px, py, 2.6 * ctx.pt), QColor(PALETTE[0]))
        if cur is not None:
            painter.fillPath(_markers(geo.x_px([cur[0]]), geo.y_px([cur[1]]), 4.0 * ctx.pt, sides=4),
                             QColor(PALETTE[3]))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        _frame(painter, ctx, plot)
        _x_labels(painter, ctx, plot, geo.x_px(x_ticks), _tick_texts(x_ticks))
        painter.setPen(QColor("#505050"))
        painter.drawText(QRectF(plot.left(), plot.bottom() + ctx.fm.height() + ctx.pad / 2, plot.width(),
                                ctx.fm.height()), int(Qt.AlignmentFlag.AlignHCenter),
                         "自给率（%）" if lang == "zh" else "Self-sufficiency (%)")
        return geo
    finally:
        painter.restore()


def _markers(x: np.ndarray, y: np.ndarray, r: float, sides: int = 16) -> QPainterPath:
    """Regular polygons of radius ``r`` around the points, one path (winding fill)."""
    a = np.linspace(0.0, 2 * np.pi, sides + 1)  # sides = 4: a diamond (a corner at the top)
    unit = np.column_stack([np.cos(a), np.sin(a)]) * r
    if sides == 4:
        unit = unit * math.sqrt(2) / 1.2  # a diamond a little larger than the circles
    centres = np.column_stack([np.asarray(x, float), np.asarray(y, float)])
    ring = (centres[:, None, :] + unit[None]).reshape(-1, 2)
    return path_from_rings(ring, np.full(len(np.atleast_1d(x)), sides + 1, dtype=np.int64), 1)


# ---- images ----------------------------------------------------------------------------------------

def chart_image(draw: Callable[[QPainter, QRectF], object], width_px: int, height_px: int,
                dpi: float = 96.0) -> QImage:
    """``draw(painter, rect)`` on a white ARGB image of the given size and dpi (a PNG export, tests)."""
    img = QImage(int(width_px), int(height_px), QImage.Format.Format_ARGB32)
    dots_per_m = round(dpi / 0.0254)
    img.setDotsPerMeterX(dots_per_m)
    img.setDotsPerMeterY(dots_per_m)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    try:
        draw(p, QRectF(0, 0, width_px, height_px))
    finally:
        p.end()
    return img
