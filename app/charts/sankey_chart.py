"""The carbon-flow Sankey drawn with QPainter (QtGui only): one drawing for a panel, a PNG and the PDF
report, like app/charts/energy_charts.py.

The layout (node boxes, band positions) comes from :func:`gis.carbon.sankey.sankey_layout`; this
module only places it in the rectangle, colours it and writes the labels: each node's name, its value
with unit and its share of its column (pct). Bands take their source's colour, translucent, so that
where they cross both stay visible. Returns a :class:`SankeyGeometry` (the layout in device pixels)
for hit-testing and tests.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath

from app.charts.energy_charts import TEXT, _Ctx, _title, chart_image
from gis.carbon.sankey import SankeyData, SankeyLayout, sankey_layout
from layers.charts import PALETTE, format_number

FUEL_COLOURS = {"raw_coal": "#4d4d4d", "coke": "#6b6b6b", "crude_oil": "#8c510a", "gasoline": "#bf812d",
                "diesel": "#a6611a", "refined_oil": "#bf812d", "lpg": "#dfc27d", "natural_gas": "#56B4E9",
                "electricity": "#0072B2", "heat": "#D55E00"}
"""Fuel colours: coal greys, oil browns (ColorBrewer BrBG, Brewer 2003), gas, electricity and heat
from the Okabe & Ito (2008) colour-blind-safe palette of layers.charts."""
KIND_COLOURS = {"renewable": "#009E73", "co2": "#7f7f7f", "net": "#CC79A7", "deduction": "#009E73",
                "surplus": "#F0E442"}
"""Non-fuel nodes: renewables and deductions green, gross CO2 grey, net emissions purple (the
balance chart's colours, layers.charts.BALANCE_COLOURS)."""
SECTOR_COLOURS = {"sector:energy_supply": "#D55E00", "sector:industry": "#0072B2",
                  "sector:buildings": "#E69F00", "sector:transport": "#CC79A7",
                  "sector:agriculture": "#009E73", "sector:residential": "#56B4E9",
                  "sector:unmapped": "#a8a8a8"}
BAND_ALPHA = 0.45
"""Band opacity: crossing bands stay readable (d3-sankey's examples use 0.5)."""
UNIT_TEXT = {"tce": ("吨标准煤", "tce"), "t_co2": ("吨CO₂", "tCO₂")}


def node_colour(key: str, kind: str, k: int = 0) -> str:
    """The colour of a node (a fuel by name, a sector, or its kind; else the palette's ``k``-th)."""
    if key.startswith("fuel:"):
        return FUEL_COLOURS.get(key[5:], PALETTE[k % len(PALETTE)])
    return SECTOR_COLOURS.get(key) or KIND_COLOURS.get(kind, PALETTE[k % len(PALETTE)])


@dataclass
class SankeyGeometry:
    """Where the chart went: the plot rectangle and the layout in device pixels."""

    plot: QRectF
    layout: SankeyLayout | None = None

    def link_at(self, x: float, y: float) -> int | None:
        """Index of the link whose band covers the point (the topmost drawn), else None."""
        if self.layout is None:
            return None
        hit = None
        for i, r in self.layout.links.iterrows():
            if r["x0"] <= x <= r["x1"]:
                t = (x - r["x0"]) / max(r["x1"] - r["x0"], 1e-9)
                s = t * t * (3 - 2 * t)  # the cubic's vertical progress with control points at mid-x
                top = r["ys0"] + (r["ys1"] - r["ys0"]) * s
                if top <= y <= top + r["width"]:
                    hit = int(i)
        return hit


def _node_text(row: pd.Series, column_total: dict, lang: str) -> str:
    """Name, value with unit and share of the column; a node turning energy into CO2 (a sector)
    shows both sides: "工业 318,448 吨标准煤 → 1,113,932 吨CO₂ (94.9%)"."""
    name = row["label_zh"] if lang == "zh" else row["label_en"]
    parts = []
    if row["value_in"] > 0 and (row["value_out"] <= 0 or row["unit_in"] != row["unit_out"]):
        parts.append((row["value_in"], row["unit_in"]))
    if row["value_out"] > 0:
        parts.append((row["value_out"], row["unit_out"]))
    value, unit = parts[-1]
    total = column_total.get((row["column"], unit), 0.0)
    share = f" ({100.0 * value / total:.1f}%)" if total > 0 else ""
    lang_i = 0 if lang == "zh" else 1
    amounts = " → ".join(f"{format_number(v, 0 if v >= 100 else 1)} {UNIT_TEXT[u][lang_i]}" for v, u in parts)
    return f"{name} {amounts}{share}"


def sankey_chart(painter: QPainter, rect: QRectF, data: SankeyData, lang: str = "zh", *,
                 title: str | None = None, font_pt: float = 8.0) -> SankeyGeometry:
    """Draw ``data`` in ``rect``; labels beside the nodes (left of the first column, right of the
    others)."""
    ctx = _Ctx(painter, font_pt)
    if title is None:
        title = (f"{data.year} 年碳流向图（能源 → 部门 → 二氧化碳）" if lang == "zh"
                 else f"Carbon flows {data.year} (energy → sectors → CO₂)")
    area = _title(painter, ctx, rect, title)
    if data.links.empty:
        painter.setFont(ctx.font)
        painter.setPen(QColor("#808080"))
        painter.drawText(area, int(Qt.AlignmentFlag.AlignCenter), "无数据" if lang == "zh" else "No data")
        return SankeyGeometry(QRectF(area))
    nodes = data.nodes
    unit_out = data.links.groupby("source")["unit"].first()
    unit_in = data.links.groupby("target")["unit"].first()
    probe = nodes.assign(unit_out=nodes["key"].map(unit_out).fillna("t_co2"),
                         unit_in=nodes["key"].map(unit_in).fillna("t_co2"))
    # label room: the widest label of the first column on the left, of the others on the right
    first = int(nodes["column"].min())
    rough = sankey_layout(data, 100.0, 100.0)
    probe = probe.assign(value_in=rough.nodes["value_in"].to_numpy(),
                         value_out=rough.nodes["value_out"].to_numpy())
    totals = _column_totals(probe)
    texts = [_node_text(r, totals, lang) for _, r in probe.iterrows()]
    is_first = (nodes["column"] == first).to_numpy()
    last = int(nodes["column"].max())
    is_last = (nodes["column"] == last).to_numpy()
    # in a narrow rectangle (a dock) the outer labels shorten so that the flows keep ≥ 45 % of it
    for shorten in (lambda t, _r: t, lambda t, _r: _short_text(t), lambda _t, r: _name_only(r, lang)):
        texts = [shorten(t, r) if (is_first[k] or is_last[k]) else t
                 for k, (t, (_, r)) in enumerate(zip(texts, probe.iterrows(), strict=True))]
        widths = np.array([ctx.fm.horizontalAdvance(t) for t in texts])
        left = float(widths[is_first].max()) + ctx.pad if is_first.any() else 0.0
        right = float(widths[is_last].max()) + ctx.pad
        if area.width() - left - right >= 0.45 * area.width():
            break
    plot = QRectF(area.left() + left, area.top() + ctx.pad, max(area.width() - left - right, 10.0),
                  max(area.height() - 2 * ctx.pad, 10.0))
    lay = sankey_layout(data, plot.width(), plot.height(), node_width=8 * ctx.pt, gap=6 * ctx.pt)
    for frame in (lay.nodes, lay.links):
        for c in [c for c in frame.columns if c.startswith("x")]:
            frame[c] = frame[c] + plot.left()
        for c in [c for c in frame.columns if c.startswith("y")]:
            frame[c] = frame[c] + plot.top()
    colours = {k: node_colour(k, kind, i) for i, (k, kind) in enumerate(zip(nodes["key"], nodes["kind"],
                                                                            strict=True))}
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    for _, r in lay.links.iterrows():
        colour = QColor(colours[r["source"]])
        colour.setAlphaF(BAND_ALPHA)
        painter.setBrush(colour)
        painter.drawPath(_band(r["x0"], r["x1"], r["ys0"], r["ys1"], r["width"]))
    painter.setFont(ctx.font)
    for _, r in lay.nodes.iterrows():
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colours[r["key"]]))
        box = QRectF(r["x0"], r["y0"], r["x1"] - r["x0"], max(r["y1"] - r["y0"], 1.0))
        painter.drawRect(box)
    # labels after every box (a later column's box must not cover a label), on a light backing
    # where they lie over the bands
    next_x = _next_column_left(lay.nodes)
    for i, r in lay.nodes.iterrows():
        h = ctx.fm.height()
        mid = (r["y0"] + r["y1"]) / 2
        text = texts[int(i)]
        if r["column"] not in (first, last):
            # a middle column's label must not run into the next column: the full text when it
            # fits the gap, else the name with its share, else the name (values in the table/hover)
            room = next_x.get(int(r["column"]), area.right()) - r["x1"] - ctx.pad
            for candidate in (text, _short_text(text), _name_only(r, lang), ""):
                text = candidate  # "": no room even for the name (the table and hover have it)
                if ctx.fm.horizontalAdvance(candidate) <= room:
                    break
        texts[int(i)] = text
        if r["column"] == first:
            where = QRectF(area.left(), mid - h / 2, r["x0"] - area.left() - ctx.pad / 2, h)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        else:
            where = QRectF(r["x1"] + ctx.pad / 2, mid - h / 2, area.right() - r["x1"], h)
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        if r["column"] not in (first, last) and texts[int(i)]:
            w = ctx.fm.horizontalAdvance(texts[int(i)])
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(255, 255, 255, 190))
            painter.drawRect(QRectF(where.left() - 1, where.top(), w + 2, h))
        painter.setPen(QColor(TEXT))
        painter.drawText(where, int(align), texts[int(i)])
    return SankeyGeometry(plot, lay)


def _next_column_left(nodes: pd.DataFrame) -> dict[int, float]:
    """For each column, the left edge of the next column's boxes (px)."""
    lefts = nodes.groupby("column")["x0"].min().sort_index()
    cols = list(lefts.index)
    return {int(c): float(lefts[cols[i + 1]]) for i, c in enumerate(cols[:-1])}


def _short_text(text: str) -> str:
    """The name and the share of a node text ("工业 … (94.9%)" → "工业 (94.9%)")."""
    name = text.split(" ", 1)[0]
    share = text[text.rfind(" ("):] if text.endswith("%)") else ""
    return f"{name}{share}"


def _name_only(row: pd.Series, lang: str) -> str:
    return str(row["label_zh"] if lang == "zh" else row["label_en"])


def _column_totals(nodes: pd.DataFrame) -> dict:
    """(column, unit) → the column's total: the larger of its nodes' in- and outflow sums."""
    out: dict = {}
    for (col, unit), group in nodes.groupby(["column", "unit_out"]):
        out[(col, unit)] = max(out.get((col, unit), 0.0), float(group["value_out"].sum()))
    for (col, unit), group in nodes.groupby(["column", "unit_in"]):
        out[(col, unit)] = max(out.get((col, unit), 0.0), float(group["value_in"].sum()))
    return out


def _band(x0: float, x1: float, y0: float, y1: float, w: float) -> QPainterPath:
    """A ribbon from (x0, y0..y0+w) to (x1, y1..y1+w): cubic edges with control points at mid-x."""
    xm = (x0 + x1) / 2
    path = QPainterPath(QPointF(x0, y0))
    path.cubicTo(QPointF(xm, y0), QPointF(xm, y1), QPointF(x1, y1))
    path.lineTo(QPointF(x1, y1 + w))
    path.cubicTo(QPointF(xm, y1 + w), QPointF(xm, y0 + w), QPointF(x0, y0 + w))
    path.closeSubpath()
    return path


def sankey_png(path, data: SankeyData, lang: str = "zh", width_px: int = 1400, height_px: int = 800,
               dpi: float = 144.0) -> SankeyGeometry:
    """Write the chart to a PNG; returns its geometry."""
    geo: list[SankeyGeometry] = []
    img = chart_image(lambda p, r: geo.append(sankey_chart(p, r, data, lang)), width_px, height_px, dpi)
    if not img.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return geo[0]
