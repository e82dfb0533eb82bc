"""Charts drawn with QPainter onto any paint device (QtGui only): bars, lines, months, pies, balance.

The same call draws into a 96-dpi QImage (the GUI dashboard) or a 1200-dpi QPdfWriter page (the
report): every size is given in points and converted with the device's dpi
(``painter.device().logicalDpiX()``), text uses the CJK font of :mod:`layers.fonts` (Chinese never
renders as boxes; PDFs embed it). Axes start at zero and end on "nice" 1-2-5 ticks
(:func:`nice_ticks`, Heckbert 1990), tick labels have thousands separators and the unit is written
at the top of the value axis.

Every chart function returns a :class:`ChartGeometry` (plot rectangle, axis, each bar's rectangle)
so callers can hit-test (dashboard tooltips) and tests can measure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen

from layers.legend import device_font

# Okabe & Ito (2008) "Color Universal Design" qualitative palette, safe for colour-blind readers
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
# the balance (waterfall) chart: gross emissions, reductions (PV, green power, sinks), the net result
BALANCE_COLOURS = {"total": "#7f7f7f", "down": "#009E73", "up": "#D55E00", "net": "#0072B2"}
MONTHS_ZH = tuple(f"{m}月" for m in range(1, 13))
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
AXIS_COLOUR, GRID_COLOUR, TEXT_COLOUR = "#606060", "#e0e0e0", "#202020"
ChartSeries = Mapping[str, Sequence[float] | np.ndarray] | Sequence[float] | np.ndarray
"""What the bar and line charts draw: one unnamed series or name → series (floats, one per category)."""


# ---- numbers -----------------------------------------------------------------------------------

def nice_number(x: float, round_: bool = True) -> float:
    """A 1, 2 or 5 × 10ⁿ close to ``x`` > 0 (Heckbert, "Nice numbers for graph labels", Graphics
    Gems 1990): rounded to the nearest when ``round_``, else the smallest not below ``x``."""
    if x <= 0 or not math.isfinite(x):
        return 1.0
    exp = math.floor(math.log10(x))
    f = x / 10 ** exp
    if round_:
        nf = 1 if f < 1.5 else 2 if f < 3 else 5 if f < 7 else 10
    else:
        nf = 1 if f <= 1 else 2 if f <= 2 else 5 if f <= 5 else 10
    return nf * 10.0 ** exp


def nice_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Ticks at a 1-2-5 step covering [lo, hi] (both ends on a tick), about ``max_ticks`` of them.

    nice_ticks(0, 87) → [0, 20, 40, 60, 80, 100]; nice_ticks(0, 0) → [0, 1].
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        lo, hi = 0.0, 1.0
    if hi < lo:
        lo, hi = hi, lo
    if hi == lo:
        if lo == 0:
            return [0.0, 1.0]
        lo, hi = (0.0, hi) if hi > 0 else (lo, 0.0)
    rng = nice_number(hi - lo, round_=False)
    step = nice_number(rng / max(max_ticks - 1, 1), round_=True)
    start, stop = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    dec = tick_decimals(step)
    return [round(k * step, dec + 2) + 0.0 for k in range(start, stop + 1)]


def tick_decimals(step: float) -> int:
    """Decimals needed to show ticks ``step`` apart (0 for steps ≥ 1)."""
    if step <= 0 or step >= 1:
        return 0
    return math.ceil(-math.log10(step) - 1e-9)


def format_number(value: float, decimals: int = 0) -> str:
    """``value`` with thousands separators: 12345.6 → "12,346"; NaN → "–"."""
    if value is None or not math.isfinite(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    return "0" if text in ("-0", "-0.0") else text.replace("-", "−") if value < 0 else text


# ---- geometry returned to callers ---------------------------------------------------------------

@dataclass
class Bar:
    """One drawn bar: its series, category index, value and rectangle (device pixels)."""

    series: str
    index: int
    value: float
    rect: QRectF


@dataclass
class ChartGeometry:
    """Where a chart was drawn: plot area, value axis, bars/points, and the value → pixel map."""

    plot: QRectF
    ticks: list[float] = field(default_factory=list)
    horizontal: bool = False
    bars: list[Bar] = field(default_factory=list)
    points: dict[str, list[QPointF]] = field(default_factory=dict)

    def value_to_px(self, v: float) -> float:
        """Device coordinate of value ``v`` on the value axis (y for vertical charts, x else)."""
        lo, hi = self.ticks[0], self.ticks[-1]
        f = (v - lo) / (hi - lo) if hi > lo else 0.0
        if self.horizontal:
            return self.plot.left() + f * self.plot.width()
        return self.plot.bottom() - f * self.plot.height()

    def bar_at(self, x: float, y: float) -> Bar | None:
        """The bar under device point (x, y), or None (dashboard tooltips)."""
        for b in self.bars:
            if b.rect.contains(QPointF(x, y)):
                return b
        return None


# ---- shared drawing context ----------------------------------------------------------------------

class _Ctx:
    """Fonts and sizes for one chart on one device."""

    def __init__(self, painter: QPainter, font_pt: float) -> None:
        device = painter.device()
        self.dpi = float(device.logicalDpiX()) if device is not None else 96.0
        self.pt = self.dpi / 72.0
        self.font = device_font(font_pt, self.dpi)
        self.small = device_font(max(font_pt - 1, 5), self.dpi)
        self.title_font = device_font(font_pt + 2, self.dpi, bold=True)
        self.fm = QFontMetricsF(self.font)
        self.fm_small = QFontMetricsF(self.small)
        self.fm_title = QFontMetricsF(self.title_font)

    def pen(self, colour: str, width_pt: float = 0.5) -> QPen:
        return QPen(QColor(colour), max(width_pt * self.pt, 1.0))


def _colours(names: Sequence[str], colours) -> dict[str, str]:
    if isinstance(colours, Mapping):
        return {n: colours.get(n, PALETTE[i % len(PALETTE)]) for i, n in enumerate(names)}
    pal = list(colours) if colours else list(PALETTE)
    return {n: pal[i % len(pal)] for i, n in enumerate(names)}


def _as_series(series: ChartSeries) -> dict[str, np.ndarray]:
    if isinstance(series, Mapping):
        return {str(k): np.asarray(v, dtype=float).ravel() for k, v in series.items()}
    return {"": np.asarray(series, dtype=float).ravel()}


def _draw_title(painter: QPainter, ctx: _Ctx, rect: QRectF, title: str | None) -> QRectF:
    """Draw the title at the top of ``rect``; return what is left below it."""
    if not title:
        return QRectF(rect)
    h = ctx.fm_title.height() * 1.25
    painter.setFont(ctx.title_font)
    painter.setPen(QColor(TEXT_COLOUR))
    text = ctx.fm_title.elidedText(title, Qt.TextElideMode.ElideRight, rect.width())
    painter.drawText(QRectF(rect.left(), rect.top(), rect.width(), h),
                     int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter), text)
    return rect.adjusted(0, h, 0, 0)


def _legend_layout(ctx: _Ctx, items: Sequence[str], width: float) -> list[list[tuple[str, float]]]:
    """Rows of (label, x offset) for a horizontal, wrapping legend."""
    sw, gap = 10 * ctx.pt, 4 * ctx.pt
    rows: list[list[tuple[str, float]]] = [[]]
    x = 0.0
    for label in items:
        w = sw + gap + ctx.fm_small.horizontalAdvance(label) + 3 * gap
        if x > 0 and x + w > width:
            rows.append([])
            x = 0.0
        rows[-1].append((label, x))
        x += w
    return rows


def _draw_legend(painter: QPainter, ctx: _Ctx, rect: QRectF, items: Sequence[str],
                 colours: Mapping[str, str], kind: str = "box") -> QRectF:
    """A legend row (wrapping) at the top of ``rect``; return what is left below it."""
    items = [i for i in items if i]
    if not items:
        return QRectF(rect)
    rows = _legend_layout(ctx, items, rect.width())
    line_h = ctx.fm_small.height() * 1.3
    sw = 10 * ctx.pt
    painter.setFont(ctx.small)
    for r, row in enumerate(rows):
        total = (row[-1][1] + sw + 4 * ctx.pt + ctx.fm_small.horizontalAdvance(row[-1][0])) if row else 0
        x0 = rect.left() + max((rect.width() - total) / 2, 0)
        y = rect.top() + r * line_h
        for label, dx in row:
            c = QColor(colours[label])
            sy = y + line_h / 2
            if kind == "line":
                painter.setPen(QPen(c, max(1.5 * ctx.pt, 1.0)))
                painter.drawLine(QPointF(x0 + dx, sy), QPointF(x0 + dx + sw, sy))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(c)
                painter.drawRect(QRectF(x0 + dx, sy - 3.5 * ctx.pt, sw, 7 * ctx.pt))
            painter.setPen(QColor(TEXT_COLOUR))
            painter.drawText(QRectF(x0 + dx + sw + 4 * ctx.pt, y, rect.width(), line_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
    return rect.adjusted(0, len(rows) * line_h + 2 * ctx.pt, 0, 0)


def _no_data(painter: QPainter, ctx: _Ctx, rect: QRectF, lang: str) -> None:
    painter.setFont(ctx.font)
    painter.setPen(QColor("#808080"))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), "无数据" if lang == "zh" else "No data")


def _value_range(values: list[np.ndarray], stacked: bool) -> tuple[float, float]:
    if not values or all(v.size == 0 for v in values):
        return 0.0, 1.0
    arr = np.vstack([np.nan_to_num(v, nan=0.0) for v in values])
    if stacked:
        hi = float(np.where(arr > 0, arr, 0).sum(axis=0).max())
        lo = float(np.where(arr < 0, arr, 0).sum(axis=0).min())
    else:
        hi, lo = float(arr.max()), float(arr.min())
    return min(lo, 0.0), max(hi, 0.0)


@dataclass
class _Axes:
    """Plot area and category slots of a chart with a category axis and a value axis."""

    plot: QRectF
    ticks: list[float]
    horizontal: bool
    cat_labels_rotated: bool = False
    area: QRectF | None = None

    def v2p(self, v: float) -> float:
        lo, hi = self.ticks[0], self.ticks[-1]
        f = (v - lo) / (hi - lo) if hi > lo else 0.0
        if self.horizontal:
            return self.plot.left() + f * self.plot.width()
        return self.plot.bottom() - f * self.plot.height()

    def slot(self, i: int, n: int) -> tuple[float, float]:
        """(start, size) of category ``i`` of ``n`` along the category axis."""
        if self.horizontal:
            size = self.plot.height() / max(n, 1)
            return self.plot.top() + i * size, size
        size = self.plot.width() / max(n, 1)
        return self.plot.left() + i * size, size


def _layout_axes(painter: QPainter, ctx: _Ctx, rect: QRectF, categories: Sequence[str], lo: float,
                 hi: float, unit: str, horizontal: bool, max_ticks: int, value_room: float = 0.0) -> _Axes:
    """Reserve room for tick labels, category labels, the unit and value labels at the bar ends
    (``value_room`` device pixels beyond the axis ends); return the plot area. Fewer ticks are
    used when their labels would not fit side by side (or above each other)."""
    for n in range(max(max_ticks, 2), 1, -1):
        ax = _layout_axes_once(ctx, rect, categories, lo, hi, unit, horizontal, n, value_room)
        dec = tick_decimals(ax.ticks[1] - ax.ticks[0]) if len(ax.ticks) > 1 else 0
        gaps = max(len(ax.ticks) - 1, 1)
        if horizontal:  # labels centred on their ticks must not touch
            widest = max(ctx.fm.horizontalAdvance(format_number(t, dec)) for t in ax.ticks)
            fits = gaps * (widest + 6 * ctx.pt) <= ax.plot.width()
        else:
            fits = gaps * ctx.fm.height() * 1.4 <= ax.plot.height()
        if fits:
            return ax
    return ax


def _layout_axes_once(ctx: _Ctx, rect: QRectF, categories: Sequence[str], lo: float, hi: float, unit: str,
                      horizontal: bool, max_ticks: int, value_room: float) -> _Axes:
    ticks = nice_ticks(lo, hi, max_ticks)
    dec = tick_decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    tick_texts = [format_number(t, dec) for t in ticks]
    fm = ctx.fm
    pad = 4 * ctx.pt
    unit_h = fm.height() * 1.1 if unit else 0.0
    if horizontal:
        cat_w = min(max((fm.horizontalAdvance(c) for c in categories), default=0.0) + pad,
                    0.4 * rect.width())
        right = max(fm.horizontalAdvance(tick_texts[-1]) / 2, value_room)
        left = cat_w + pad + (value_room if lo < 0 else 0.0)
        plot = QRectF(rect.left() + left, rect.top() + pad, rect.width() - left - pad - right,
                      rect.height() - fm.height() - 2 * pad - unit_h)
        return _Axes(plot, ticks, True, area=QRectF(rect))
    tick_w = max(fm.horizontalAdvance(t) for t in tick_texts) + pad
    top = rect.top() + max(unit_h + fm.height() / 2, value_room)
    plot_w = rect.width() - tick_w - pad
    slot_w = plot_w / max(len(categories), 1)
    widest = max((fm.horizontalAdvance(c) for c in categories), default=0.0)
    rotated = widest > slot_w * 0.95
    cat_h = fm.height() + pad if not rotated else min(widest * 0.71 + fm.height(), 0.35 * rect.height())
    bottom = rect.bottom() - cat_h - pad - (value_room if lo < 0 else 0.0)
    plot = QRectF(rect.left() + tick_w, top, plot_w, bottom - top)
    return _Axes(plot, ticks, False, rotated, area=QRectF(rect))


def _draw_value_axis(painter: QPainter, ctx: _Ctx, ax: _Axes, unit: str) -> None:
    """Grid lines, tick labels (thousands separators) and the unit on the value axis."""
    ticks = ax.ticks
    dec = tick_decimals(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    fm, pad = ctx.fm, 4 * ctx.pt
    painter.setFont(ctx.font)
    p = ax.plot
    for t in ticks:
        v = ax.v2p(t)
        text = format_number(t, dec)
        painter.setPen(ctx.pen(GRID_COLOUR, 0.5))
        if ax.horizontal:
            painter.drawLine(QPointF(v, p.top()), QPointF(v, p.bottom()))
            painter.setPen(QColor(TEXT_COLOUR))
            w = fm.horizontalAdvance(text)
            painter.drawText(QRectF(v - w / 2 - pad, p.bottom() + pad / 2, w + 2 * pad, fm.height()),
                             int(Qt.AlignmentFlag.AlignCenter), text)
        else:
            painter.drawLine(QPointF(p.left(), v), QPointF(p.right(), v))
            painter.setPen(QColor(TEXT_COLOUR))
            painter.drawText(QRectF(p.left() - 200 * ctx.pt, v - fm.height() / 2, 200 * ctx.pt - pad,
                                    fm.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
    if unit:
        painter.setPen(QColor("#505050"))
        area = ax.area or p
        if ax.horizontal:  # under the tick labels, right-aligned
            painter.drawText(QRectF(p.left(), p.bottom() + fm.height() + pad, p.width(), fm.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), unit)
        else:  # above the tick labels, left-aligned
            painter.drawText(QRectF(area.left(), p.top() - fm.height() * 1.6, area.width(), fm.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), unit)


def _draw_zero_line(painter: QPainter, ctx: _Ctx, ax: _Axes) -> None:
    z = ax.v2p(0.0)
    painter.setPen(ctx.pen(AXIS_COLOUR, 0.75))
    if ax.horizontal:
        painter.drawLine(QPointF(z, ax.plot.top()), QPointF(z, ax.plot.bottom()))
    else:
        painter.drawLine(QPointF(ax.plot.left(), z), QPointF(ax.plot.right(), z))


def _draw_categories(painter: QPainter, ctx: _Ctx, ax: _Axes, categories: Sequence[str]) -> None:
    fm, pad = ctx.fm, 4 * ctx.pt
    painter.setFont(ctx.font)
    painter.setPen(QColor(TEXT_COLOUR))
    n = len(categories)
    p = ax.plot
    for i, label in enumerate(categories):
        start, size = ax.slot(i, n)
        if ax.horizontal:
            painter.drawText(QRectF(p.left() - 1000 * ctx.pt, start, 1000 * ctx.pt - pad, size),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             fm.elidedText(label, Qt.TextElideMode.ElideRight, p.left() - pad))
        elif ax.cat_labels_rotated:
            painter.save()
            painter.translate(start + size / 2 + fm.ascent() / 3, p.bottom() + pad)
            painter.rotate(-45)
            w = fm.horizontalAdvance(label)
            painter.drawText(QRectF(-w, -fm.height() / 2, w, fm.height()),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
            painter.restore()
        else:
            painter.drawText(QRectF(start, p.bottom() + pad / 2, size, fm.height()),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop), label)


# ---- bar chart ---------------------------------------------------------------------------------

def bar_chart(painter: QPainter, rect: QRectF, categories: Sequence[str],
              series: ChartSeries, *, title: str | None = None,
              unit: str = "", stacked: bool = False, colours=None, horizontal: bool = False,
              value_labels: bool = False, legend: bool | None = None, font_pt: float = 8.0,
              max_ticks: int = 6, lang: str = "zh", background: str | None = None) -> ChartGeometry:
    """Bars of one or more ``series`` (name → one value per category), grouped side by side or
    ``stacked``, vertical or ``horizontal``, into ``rect`` of an active ``painter``.

    unit: written at the top of the value axis (e.g. "tCO₂", "MWh"); colours: a list (by series
    order) or a dict by series name (default :data:`PALETTE`); value_labels: the value on each
    bar (thousands separators); legend: default when there is more than one named series.
    A series may be a bare sequence (one unnamed series). Missing values (NaN) draw no bar.
    """
    ctx = _Ctx(painter, font_pt)
    data = _as_series(series)
    categories = [str(c) for c in categories]
    names = list(data)
    cols = _colours(names, colours)
    painter.save()
    try:
        if background:
            painter.fillRect(rect, QColor(background))
        area = _draw_title(painter, ctx, rect, title)
        show_legend = legend if legend is not None else (len(names) > 1 or bool(names and names[0]))
        if show_legend:
            area = _draw_legend(painter, ctx, area, names, cols)
        if not categories or not names:
            _no_data(painter, ctx, area, lang)
            return ChartGeometry(QRectF(area))
        lo, hi = _value_range(list(data.values()), stacked)
        room = 0.0
        if value_labels:
            dec = _value_decimals([abs(v) for v in np.concatenate(list(data.values()))])
            room = (max(ctx.fm_small.horizontalAdvance(format_number(x, dec)) for x in (lo, hi)) + 4 * ctx.pt
                    if horizontal else ctx.fm_small.height() + 3 * ctx.pt)
        ax = _layout_axes(painter, ctx, area, categories, lo, hi, unit, horizontal, max_ticks, room)
        geo = ChartGeometry(QRectF(ax.plot), ax.ticks, horizontal)
        _draw_value_axis(painter, ctx, ax, unit)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        n = len(categories)
        k = 1 if stacked else len(names)
        pos_base, neg_base = np.zeros(n), np.zeros(n)
        for s, name in enumerate(names):
            vals = data[name]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(QColor(cols[name])))
            for i in range(min(n, vals.size)):
                v = float(vals[i])
                if not math.isfinite(v):
                    continue
                start, size = ax.slot(i, n)
                inner = size * 0.75
                width = inner / k
                off = start + (size - inner) / 2 + (0 if stacked else s * width)
                if stacked:
                    base = pos_base[i] if v >= 0 else neg_base[i]
                    a, b = ax.v2p(base), ax.v2p(base + v)
                    if v >= 0:
                        pos_base[i] += v
                    else:
                        neg_base[i] += v
                else:
                    a, b = ax.v2p(0.0), ax.v2p(v)
                if horizontal:
                    r = QRectF(min(a, b), off, abs(b - a), width)
                else:
                    r = QRectF(off, min(a, b), width, abs(b - a))
                painter.drawRect(r)
                geo.bars.append(Bar(name, i, v, r))
        _draw_zero_line(painter, ctx, ax)
        _draw_categories(painter, ctx, ax, categories)
        if value_labels:
            _draw_bar_values(painter, ctx, geo, stacked, n)
        return geo
    finally:
        painter.restore()


def _draw_bar_values(painter: QPainter, ctx: _Ctx, geo: ChartGeometry, stacked: bool, n: int) -> None:
    """Values at the end of each bar (stacked: the total at the end of each stack)."""
    painter.setFont(ctx.small)
    painter.setPen(QColor(TEXT_COLOUR))
    fm, pad = ctx.fm_small, 2 * ctx.pt
    items: list[tuple[float, QRectF]] = []
    if stacked:
        for i in range(n):
            bars = [b for b in geo.bars if b.index == i]
            if bars:
                total = sum(b.value for b in bars)
                r = bars[0].rect
                for b in bars[1:]:
                    r = r.united(b.rect)
                items.append((total, r))
    else:
        items = [(b.value, b.rect) for b in geo.bars]
    dec = _value_decimals([abs(v) for v, _ in items])
    for v, r in items:
        text = format_number(v, dec)
        w, h = fm.horizontalAdvance(text), fm.height()
        if geo.horizontal:
            x = r.right() + pad if v >= 0 else r.left() - pad - w
            painter.drawText(QRectF(x, r.center().y() - h / 2, w, h), int(Qt.AlignmentFlag.AlignCenter), text)
        else:
            y = r.top() - pad - h if v >= 0 else r.bottom() + pad
            painter.drawText(QRectF(r.center().x() - w / 2 - pad, y, w + 2 * pad, h),
                             int(Qt.AlignmentFlag.AlignCenter), text)


def _value_decimals(values) -> int:
    """Decimals of value labels: none from 100 up, one from 1, two below."""
    finite = [v for v in values if math.isfinite(v)]
    top = max(finite, default=0.0)
    return 0 if top >= 100 else 1 if top >= 1 else 2


# ---- line chart --------------------------------------------------------------------------------

def line_chart(painter: QPainter, rect: QRectF, categories: Sequence[str],
               series: ChartSeries, *, title: str | None = None,
               unit: str = "", colours=None, markers: bool = True, legend: bool | None = None,
               font_pt: float = 8.0, max_ticks: int = 6, zero_based: bool = True, lang: str = "zh",
               background: str | None = None) -> ChartGeometry:
    """Lines of one or more ``series`` over the ``categories`` (points at the slot centres).

    zero_based: the value axis includes 0 (default); False fits the data range. NaN breaks a line.
    """
    ctx = _Ctx(painter, font_pt)
    data = _as_series(series)
    categories = [str(c) for c in categories]
    names = list(data)
    cols = _colours(names, colours)
    painter.save()
    try:
        if background:
            painter.fillRect(rect, QColor(background))
        area = _draw_title(painter, ctx, rect, title)
        show_legend = legend if legend is not None else (len(names) > 1 or bool(names and names[0]))
        if show_legend:
            area = _draw_legend(painter, ctx, area, names, cols, kind="line")
        if not categories or not names:
            _no_data(painter, ctx, area, lang)
            return ChartGeometry(QRectF(area))
        lo, hi = _value_range(list(data.values()), False)
        if not zero_based:
            finite = np.concatenate([v[np.isfinite(v)] for v in data.values()] or [np.zeros(0)])
            if finite.size:
                lo, hi = float(finite.min()), float(finite.max())
        ax = _layout_axes(painter, ctx, area, categories, lo, hi, unit, False, max_ticks)
        geo = ChartGeometry(QRectF(ax.plot), ax.ticks, False)
        _draw_value_axis(painter, ctx, ax, unit)
        if zero_based:
            _draw_zero_line(painter, ctx, ax)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        n = len(categories)
        for name in names:
            vals = data[name]
            pts: list[QPointF] = []
            path = QPainterPath()
            pen_down = False
            for i in range(min(n, vals.size)):
                v = float(vals[i])
                if not math.isfinite(v):
                    pen_down = False
                    continue
                start, size = ax.slot(i, n)
                pt = QPointF(start + size / 2, ax.v2p(v))
                pts.append(pt)
                if pen_down:
                    path.lineTo(pt)
                else:
                    path.moveTo(pt)
                    pen_down = True
            pen = QPen(QColor(cols[name]), max(1.5 * ctx.pt, 1.0))
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            if markers:
                painter.setBrush(QColor(cols[name]))
                painter.setPen(QPen(QColor("#ffffff"), max(0.5 * ctx.pt, 1.0)))
                r = 2.2 * ctx.pt
                for pt in pts:
                    painter.drawEllipse(pt, r, r)
            geo.points[name] = pts
        _draw_categories(painter, ctx, ax, categories)
        return geo
    finally:
        painter.restore()


# ---- months ------------------------------------------------------------------------------------

def month_labels(lang: str = "zh") -> tuple[str, ...]:
    """1月…12月 (zh) or Jan…Dec (en)."""
    return MONTHS_ZH if lang == "zh" else MONTHS_EN


def monthly_chart(painter: QPainter, rect: QRectF,
                  series: ChartSeries, *, title: str | None = None,
                  unit: str = "", kind: str = "bar", colours=None, lang: str = "zh",
                  value_labels: bool = False, font_pt: float = 8.0, legend: bool | None = None,
                  background: str | None = None) -> ChartGeometry:
    """Twelve monthly values per series (e.g. PV generation by month) as bars (``kind="bar"``)
    or lines (``kind="line"``), months labelled 1月…12月 or Jan…Dec by ``lang``."""
    data = _as_series(series)
    for name, v in data.items():
        if v.size != 12:
            raise ValueError(f"monthly series {name!r} has {v.size} values, not 12")
    cats = month_labels(lang)
    if kind == "line":
        return line_chart(painter, rect, cats, data, title=title, unit=unit, colours=colours, lang=lang,
                          font_pt=font_pt, legend=legend, background=background)
    return bar_chart(painter, rect, cats, data, title=title, unit=unit, colours=colours, lang=lang,
                     value_labels=value_labels, font_pt=font_pt, legend=legend, background=background)


# ---- pie / donut -------------------------------------------------------------------------------

def pie_chart(painter: QPainter, rect: QRectF, labels: Sequence[str], values: Sequence[float], *,
              title: str | None = None, unit: str = "", colours=None, donut: bool = False,
              font_pt: float = 8.0, lang: str = "zh", decimals: int = 0,
              background: str | None = None) -> ChartGeometry:
    """Shares of a whole: a pie (or ``donut``) on the left, a legend with value, unit and percent
    on the right. Non-positive and NaN values are left out."""
    ctx = _Ctx(painter, font_pt)
    vals = np.asarray(values, dtype=float)
    keep = np.isfinite(vals) & (vals > 0)
    labels = [str(lab) for lab, k in zip(labels, keep, strict=True) if k]
    vals = vals[keep]
    cols = _colours(labels, colours)
    painter.save()
    try:
        if background:
            painter.fillRect(rect, QColor(background))
        area = _draw_title(painter, ctx, rect, title)
        if not labels:
            _no_data(painter, ctx, area, lang)
            return ChartGeometry(QRectF(area))
        total = float(vals.sum())
        texts = [f"{lab}  {format_number(v, decimals)}{(' ' + unit) if unit else ''}  "
                 f"{100 * v / total:.1f}%" for lab, v in zip(labels, vals, strict=True)]
        line_h = ctx.fm_small.height() * 1.35
        sw, pad = 9 * ctx.pt, 5 * ctx.pt
        leg_w = min(max(ctx.fm_small.horizontalAdvance(t) for t in texts) + sw + 2 * pad, 0.6 * area.width())
        d = max(min(area.width() - leg_w - 2 * pad, area.height() - 2 * pad), 1.0)
        pie = QRectF(area.left() + pad, area.top() + (area.height() - d) / 2, d, d)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor("#ffffff"), max(0.75 * ctx.pt, 1.0)))
        angle = 90.0 * 16  # start at 12 o'clock, clockwise
        for lab, v in zip(labels, vals, strict=True):
            span = -360.0 * 16 * v / total
            painter.setBrush(QColor(cols[lab]))
            painter.drawPie(pie, round(angle), round(span))
            angle += span
        if donut:
            painter.setBrush(QColor(background or "#ffffff"))
            painter.setPen(Qt.PenStyle.NoPen)
            hole = pie.adjusted(d * 0.22, d * 0.22, -d * 0.22, -d * 0.22)
            painter.drawEllipse(hole)
            painter.setFont(ctx.font)
            painter.setPen(QColor(TEXT_COLOUR))
            centre = format_number(total, decimals) + (f"\n{unit}" if unit else "")
            painter.drawText(hole, int(Qt.AlignmentFlag.AlignCenter), centre)
        painter.setFont(ctx.small)
        lx = pie.right() + 2 * pad
        ly = area.top() + max((area.height() - line_h * len(texts)) / 2, 0)
        for lab, t in zip(labels, texts, strict=True):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(cols[lab]))
            painter.drawRect(QRectF(lx, ly + (line_h - 7 * ctx.pt) / 2, sw, 7 * ctx.pt))
            painter.setPen(QColor(TEXT_COLOUR))
            room = area.right() - lx - sw
            painter.drawText(QRectF(lx + sw + pad / 2, ly, room, line_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             ctx.fm_small.elidedText(t, Qt.TextElideMode.ElideRight, room - pad))
            ly += line_h
        return ChartGeometry(QRectF(pie))
    finally:
        painter.restore()


# ---- carbon balance (waterfall) ----------------------------------------------------------------

def balance_chart(painter: QPainter, rect: QRectF, steps: Sequence[tuple[str, float]], *,
                  net_label: str | None = None, title: str | None = None, unit: str = "",
                  colours: Mapping[str, str] | None = None, font_pt: float = 8.0, lang: str = "zh",
                  value_labels: bool = True, max_ticks: int = 6,
                  background: str | None = None) -> ChartGeometry:
    """A waterfall of the carbon balance: the first step is the starting total (e.g. gross
    emissions, a bar from 0), each further step a change (negative = a reduction such as rooftop
    PV, green power, sinks; a floating bar from the running total), and a last bar with the net
    result (the running total) labelled ``net_label`` (default 净排放 / Net). Thin connector
    lines join the bar ends. Returns the geometry; ``bars[-1]`` is the net bar.
    """
    ctx = _Ctx(painter, font_pt)
    cols = {**BALANCE_COLOURS, **(colours or {})}
    steps = [(str(lab), float(v)) for lab, v in steps]
    net_label = net_label or ("净排放" if lang == "zh" else "Net")
    painter.save()
    try:
        if background:
            painter.fillRect(rect, QColor(background))
        area = _draw_title(painter, ctx, rect, title)
        if not steps:
            _no_data(painter, ctx, area, lang)
            return ChartGeometry(QRectF(area))
        values = np.array([v if math.isfinite(v) else 0.0 for _, v in steps])
        running = np.cumsum(values)
        net = float(running[-1])
        ends = np.concatenate([[0.0], running])
        lo, hi = min(float(ends.min()), 0.0), max(float(ends.max()), 0.0)
        cats = [lab for lab, _ in steps] + [net_label]
        room = ctx.fm_small.height() + 3 * ctx.pt if value_labels else 0.0
        ax = _layout_axes(painter, ctx, area, cats, lo, hi, unit, False, max_ticks, room)
        geo = ChartGeometry(QRectF(ax.plot), ax.ticks, False)
        _draw_value_axis(painter, ctx, ax, unit)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        n = len(cats)
        prev_end = 0.0
        for i in range(len(cats)):
            start, size = ax.slot(i, n)
            w = size * 0.6
            x = start + (size - w) / 2
            if i == 0:
                a, b, kind, v = 0.0, values[0], "total", values[0]
            elif i == n - 1:
                a, b, kind, v = 0.0, net, "net", net
            else:
                a, b = prev_end, prev_end + values[i]
                v = values[i]
                kind = "down" if v < 0 else "up"
            ya, yb = ax.v2p(a), ax.v2p(b)
            r = QRectF(x, min(ya, yb), w, abs(yb - ya))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(cols[kind]))
            painter.drawRect(r)
            geo.bars.append(Bar(kind, i, float(v), r))
            if i < n - 1:
                end = b
                nxt_start, nxt_size = ax.slot(i + 1, n)
                painter.setPen(QPen(QColor(AXIS_COLOUR), max(0.5 * ctx.pt, 1.0), Qt.PenStyle.DashLine))
                y = ax.v2p(end)
                painter.drawLine(QPointF(x + w, y), QPointF(nxt_start + (nxt_size - w) / 2, y))
                prev_end = end
        _draw_zero_line(painter, ctx, ax)
        _draw_categories(painter, ctx, ax, cats)
        if value_labels:
            painter.setFont(ctx.small)
            painter.setPen(QColor(TEXT_COLOUR))
            fm, pad = ctx.fm_small, 2 * ctx.pt
            dec = 0 if max(abs(values).max(), abs(net)) >= 100 else 1
            for bar in geo.bars:
                text = format_number(bar.value, dec)
                if bar.series in ("down", "up") and bar.value > 0:
                    text = "+" + text
                tw, th = fm.horizontalAdvance(text), fm.height()
                r = bar.rect
                # above a bar that ends above zero, below one that goes down from zero
                below = bar.series in ("total", "net") and bar.value < 0
                y = r.bottom() + pad if below else r.top() - pad - th
                painter.drawText(QRectF(r.center().x() - tw / 2 - pad, y, tw + 2 * pad, th),
                                 int(Qt.AlignmentFlag.AlignCenter), text)
        return geo
    finally:
        painter.restore()


ChartFunction = Callable[..., ChartGeometry]
__all__ = ["BALANCE_COLOURS", "MONTHS_EN", "MONTHS_ZH", "PALETTE", "Bar", "ChartGeometry", "balance_chart",
           "bar_chart", "format_number", "line_chart", "month_labels", "monthly_chart", "nice_number",
           "nice_ticks", "pie_chart", "tick_decimals"]
