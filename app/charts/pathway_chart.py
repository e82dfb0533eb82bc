"""The park's pathways to 2060 drawn with QPainter (QtGui only): one drawing for the Pathways panel,
a PNG (``lingtan pathway --png``) and the PDF report (issue #19), like app/charts/trend_chart.py.

* :func:`pathway_chart` — net t CO2 per year of every scenario overlaid: the history solid, each
  projection dashed from the base year (a projection is not a measurement), each peak marked with
  its year, the target path of one scenario dash-dotted and the gap above it shaded;
* :func:`sector_chart` — one scenario's gross CO2 of energy use stacked by the six sectors, with
  its net line (after on-site power, green power, sinks, CCUS and measures) on top.

Input is the JSON-ready ``summary["pathways"]`` section (:meth:`app.park_pathways.PathwayRun.section`),
so a reopened project draws it without the energy table. Lines are piecewise linear between the
yearly values (the model is yearly); the gap's shading is computed on a grid of
:data:`GAP_STEPS_PER_YEAR` points per year so it meets the lines where they cross.
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
    _fill_ring,
    _frame,
    _legend,
    _markers,
    _no_data,
    _open_path,
    _plot_rect,
    _title,
    _x_labels,
    _y_axis,
)
from app.charts.sankey_chart import SECTOR_COLOURS
from gis.carbon.sectors import SECTORS, UNMAPPED, sector_name
from layers.charts import PALETTE, format_number, nice_ticks

SCENARIO_COLOURS = {"natural": "#D55E00", "baseline": "#0072B2", "enhanced": "#009E73",
                    "baseline+measures": "#CC79A7"}
"""Scenario colours from the Okabe & Ito (2008) colour-blind-safe palette (layers.charts.PALETTE):
自然 vermillion (the no-policy path, a warning), 基准 blue, 强化 green; user scenarios take the
palette's other colours in order."""
HISTORY_COLOUR, TARGET_COLOUR = "#202020", "#606060"
GAP_COLOUR = QColor(213, 94, 0, 60)
"""The gap above the target: vermillion (#D55E00) at ~25 % opacity, so the lines stay readable."""
GAP_STEPS_PER_YEAR = 20
PEAK_MARKER_PT = 3.6
"""Radius of a peak marker (points)."""


def fuel_text(key, lang: str) -> str:
    """A fuel key's name (raw_coal → 原煤) from the fuel catalogue; the key when unknown."""
    from gis.carbon.factors import fuel_catalog

    k = str(key or "")
    cat = fuel_catalog()
    if not k or k not in cat.index:
        return k
    return str(cat.loc[k, "name_zh" if lang == "zh" else "name_en"])


def scenario_colour(name: str, k: int) -> str:
    """The colour of scenario ``name`` (the ``k``-th of the section)."""
    extra = [c for c in PALETTE if c not in SCENARIO_COLOURS.values()]
    return SCENARIO_COLOURS.get(name) or extra[k % len(extra)]


@dataclass
class ScenarioLine:
    """One scenario's drawn line: years, net t CO2, target t CO2 (NaN where none), its peak."""

    name: str
    name_zh: str
    colour: str
    years: np.ndarray
    t_co2: np.ndarray
    target_t_co2: np.ndarray
    peak_year: int | None
    peak_t_co2: float

    def label(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name


def scenario_lines(section: dict) -> list[ScenarioLine]:
    """The lines of every scenario of a ``summary["pathways"]`` section, in its order."""
    out = []
    for k, sc in enumerate(section.get("scenarios") or []):
        path = pd.DataFrame(sc.get("path") or [])
        if path.empty:
            continue
        target = pd.to_numeric(path.get("target_t_co2", pd.Series(np.nan, index=path.index)), errors="coerce")
        out.append(ScenarioLine(str(sc["name"]), str(sc.get("name_zh") or sc["name"]),
                                scenario_colour(str(sc["name"]), k), path["year"].to_numpy(int),
                                pd.to_numeric(path["t_co2"], errors="coerce").to_numpy(float),
                                target.to_numpy(float), sc.get("peak_year"),
                                float(sc.get("peak_t_co2") or np.nan)))
    return out


@dataclass
class PathwayGeometry(EnergyChartGeometry):
    """The chart's geometry (x in years, y in t CO2) and where each shown scenario's peak marker is
    (device pixels), the scenarios shown and the one whose target and gap are drawn."""

    peaks: dict[str, tuple[float, float]] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    target_of: str | None = None

    def year_at(self, x_px: float) -> int:
        """The year nearest to ``x_px``."""
        a, b = self.x_range
        return round(a + (x_px - self.plot.left()) / (self.plot.width() or 1.0) * (b - a))


def _year_ticks(first: int, last: int) -> list[int]:
    """Every 5 years (10 over long spans), plus the first and last."""
    step = 5 if last - first <= 50 else 10
    ticks = list(range(int(np.ceil(first / step) * step), last + 1, step))
    return sorted({first, *[t for t in ticks if t - first >= step / 2 or t == first], last})


def _half_year_label(ctx: _Ctx) -> float:
    """Room right of the plot for half the last year's label (centred on the plot's edge)."""
    return ctx.fm.horizontalAdvance("2060") / 2


def _x_axis_years(painter: QPainter, ctx: _Ctx, geo: EnergyChartGeometry, first: int, last: int) -> None:
    ticks = _year_ticks(first, last)
    xs = geo.x_px(np.asarray(ticks, float))
    painter.setPen(ctx.pen("#e4e4e4", 0.5))
    for x in xs[1:-1]:
        painter.drawLine(QPointF(float(x), geo.plot.top()), QPointF(float(x), geo.plot.bottom()))
    _x_labels(painter, ctx, geo.plot, xs, [str(t) for t in ticks])


def pathway_chart(painter: QPainter, rect: QRectF, section: dict, lang: str = "zh", *,
                  scenarios: Sequence[str] | None = None, target_of: str | None = None,
                  title: str | None = None, font_pt: float = 8.0, legend: bool = True) -> PathwayGeometry:
    """Net t CO2 per year of the ``scenarios`` (keys; None: all) of ``section`` with the history; the
    target path of ``target_of`` (default: 基准 when shown, else the first shown) and its gap shaded."""
    ctx = _Ctx(painter, font_pt)
    zh = lang == "zh"
    painter.save()
    try:
        if title is None:
            title = "碳排放路径（净排放，吨CO₂）" if zh else "Emission pathways (net, tCO₂)"
        area = _title(painter, ctx, rect, title)
        lines = [s for s in scenario_lines(section) if scenarios is None or s.name in scenarios]
        hist = pd.DataFrame(section.get("history") or [], columns=["year", "tce", "t_co2"])
        if not lines and hist.empty:
            return PathwayGeometry(**vars(_no_data(painter, ctx, area, lang)))
        names = [s.name for s in lines]
        focus = target_of if target_of in names else ("baseline" if "baseline" in names
                                                      else (names[0] if names else None))
        tline = next((s for s in lines if s.name == focus), None)
        has_target = tline is not None and bool(np.isfinite(tline.target_t_co2).any())
        if legend:
            items: list[LegendItem] = []
            if not hist.empty:
                items.append(("历史" if zh else "History", HISTORY_COLOUR, "line"))
            items += [(s.label(lang), s.colour, "dash") for s in lines]
            if has_target and tline is not None:
                items.append(((f"目标路径（{tline.name_zh}）" if zh else f"Target path ({tline.name})"),
                              TARGET_COLOUR, "dash"))
                items.append(("高于目标的差距" if zh else "Gap above the target",
                              GAP_COLOUR.name(QColor.NameFormat.HexArgb), "box"))
            area = _legend(painter, ctx, area, items)
        values = [hist["t_co2"].to_numpy(float)] + [s.t_co2 for s in lines]
        if has_target and tline is not None:
            values.append(tline.target_t_co2[np.isfinite(tline.target_t_co2)])
        allv = np.concatenate(values)
        allv = allv[np.isfinite(allv)]
        y_ticks = tuple(nice_ticks(min(0.0, float(allv.min())), float(allv.max()) * 1.06))
        years = np.concatenate([hist["year"].to_numpy(int)] + [s.years for s in lines])
        first, last = int(years.min()), int(years.max())
        plot = _plot_rect(ctx, area, y_ticks, None).adjusted(0, 0, -_half_year_label(ctx), 0)
        geo = PathwayGeometry(plot, (float(first), float(last)), y_ticks, shown=names, target_of=focus)
        _y_axis(painter, ctx, geo, "吨CO₂" if zh else "tCO₂")
        _x_axis_years(painter, ctx, geo, first, last)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if has_target and tline is not None:
            _gap(painter, geo, tline)
            ok = np.isfinite(tline.target_t_co2)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(ctx.pen(TARGET_COLOUR, 1.0, Qt.PenStyle.DashDotLine))
            painter.drawPath(_open_path(geo.x_px(tline.years[ok]), geo.y_px(tline.target_t_co2[ok])))
        if not hist.empty:
            painter.setPen(ctx.pen(HISTORY_COLOUR, 1.6))
            painter.drawPath(_open_path(geo.x_px(hist["year"].to_numpy(float)), geo.y_px(hist["t_co2"])))
        for s in lines:
            painter.setPen(ctx.pen(s.colour, 1.4, Qt.PenStyle.DashLine))
            painter.drawPath(_open_path(geo.x_px(s.years.astype(float)), geo.y_px(s.t_co2)))
        _peaks(painter, ctx, geo, lines, lang)
        if float(y_ticks[0]) < 0:
            painter.setPen(ctx.pen("#606060", 0.75))
            zero = float(geo.y_px(0.0))
            painter.drawLine(QPointF(plot.left(), zero), QPointF(plot.right(), zero))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        _frame(painter, ctx, plot)
        return geo
    finally:
        painter.restore()


def gap_band(years: np.ndarray, net: np.ndarray, target: np.ndarray,
             steps: int = GAP_STEPS_PER_YEAR) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, upper, lower) of the shaded gap: on a fine grid of the years where the target is set,
    the upper edge max(net, target) and the lower edge the target (equal where net ≤ target)."""
    ok = np.isfinite(target) & np.isfinite(net)
    if ok.sum() < 2:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    y = years[ok].astype(float)
    x = np.linspace(y[0], y[-1], round((y[-1] - y[0]) * steps) + 1)
    n, t = np.interp(x, y, net[ok]), np.interp(x, y, target[ok])
    return x, np.maximum(n, t), t


def _gap(painter: QPainter, geo: EnergyChartGeometry, line: ScenarioLine) -> None:
    x, upper, lower = gap_band(line.years, line.t_co2, line.target_t_co2)
    if len(x) == 0 or not np.any(upper > lower):
        return
    ring = np.column_stack([geo.x_px(np.r_[x, x[::-1], x[:1]]),
                            geo.y_px(np.r_[upper, lower[::-1], upper[:1]])])
    _fill_ring(painter, ring, GAP_COLOUR.name(QColor.NameFormat.HexArgb))


def _peaks(painter: QPainter, ctx: _Ctx, geo: PathwayGeometry, lines: list[ScenarioLine], lang: str) -> None:
    """A filled circle at each reached peak, its year beside it; scenarios sharing a peak share one
    label (e.g. peaked in the base year)."""
    painter.setFont(ctx.font)
    h = ctx.fm.height()
    labelled: dict[tuple[int, int], int] = {}
    for s in lines:
        if s.peak_year is None or not np.isfinite(s.peak_t_co2):
            continue
        x, y = float(geo.x_px(float(s.peak_year))), float(geo.y_px(s.peak_t_co2))
        geo.peaks[s.name] = (x, y)
        painter.fillPath(_markers(np.array([x]), np.array([y]), PEAK_MARKER_PT * ctx.pt), QColor(s.colour))
        painter.setPen(ctx.pen("#ffffff", 0.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(x, y), PEAK_MARKER_PT * ctx.pt, PEAK_MARKER_PT * ctx.pt)
        key = (round(x), round(y))
        k = labelled.get(key, 0)
        labelled[key] = k + 1
        if k:
            continue
        text = (f"峰值 {s.peak_year}" if lang == "zh" else f"peak {s.peak_year}")
        w = ctx.fm.horizontalAdvance(text) + ctx.pad
        left = x + PEAK_MARKER_PT * ctx.pt + ctx.pad / 2
        if left + w > geo.plot.right():
            left = x - PEAK_MARKER_PT * ctx.pt - ctx.pad / 2 - w
        painter.setPen(QColor(TEXT))
        painter.drawText(QRectF(left, y - h * 1.1, w, h), int(Qt.AlignmentFlag.AlignLeft
                                                               | Qt.AlignmentFlag.AlignVCenter), text)


# ---- one scenario by sector ------------------------------------------------------------------------

def sector_layers(section: dict, scenario: str) -> tuple[np.ndarray, list[str], np.ndarray]:
    """(years, sector keys bottom first, values sectors × years) of ``scenario``'s gross t CO2."""
    sc = next((s for s in section.get("scenarios") or [] if s["name"] == scenario), None)
    rows = pd.DataFrame((sc or {}).get("by_sector") or [])
    if rows.empty:
        return np.zeros(0, int), [], np.zeros((0, 0))
    table = rows.pivot_table(index="sector6", columns="year", values="t_co2", aggfunc="sum").fillna(0.0)
    rank = {k: i for i, k in enumerate((*SECTORS, UNMAPPED))}
    table = table.loc[sorted(table.index, key=lambda k: rank.get(k, 99))]
    table = table[(table > 0).any(axis=1)]
    return table.columns.to_numpy(int), [str(k) for k in table.index], table.to_numpy(float)


def sector_chart(painter: QPainter, rect: QRectF, section: dict, scenario: str = "baseline",
                 lang: str = "zh", *, title: str | None = None, font_pt: float = 8.0,
                 legend: bool = True) -> EnergyChartGeometry:
    """``scenario``'s gross CO2 of energy use stacked by sector per year, its net line on top."""
    ctx = _Ctx(painter, font_pt)
    zh = lang == "zh"
    line = next((s for s in scenario_lines(section) if s.name == scenario), None)
    painter.save()
    try:
        if title is None:
            name = line.label(lang) if line is not None else scenario
            title = (f"{name}情景：能源活动排放（按部门）与净排放" if zh
                     else f"Scenario {name}: CO₂ of energy use by sector and net emissions")
        area = _title(painter, ctx, rect, title)
        years, keys, values = sector_layers(section, scenario)
        if not len(years):
            return _no_data(painter, ctx, area, lang)
        colours = [SECTOR_COLOURS.get(f"sector:{k}", PALETTE[i % len(PALETTE)]) for i, k in enumerate(keys)]
        if legend:
            items: list[LegendItem] = [(sector_name(k, lang), c, "box")
                                       for k, c in zip(keys, colours, strict=True)]
            items.append(("净排放" if zh else "Net emissions", HISTORY_COLOUR, "line"))
            area = _legend(painter, ctx, area, items)
        tops = np.cumsum(values, axis=0)
        net = line.t_co2 if line is not None else np.zeros(0)
        lo = min(0.0, float(net.min()) if len(net) else 0.0)
        y_ticks = tuple(nice_ticks(lo, float(tops[-1].max()) * 1.05))
        plot = _plot_rect(ctx, area, y_ticks, None).adjusted(0, 0, -_half_year_label(ctx), 0)
        geo = EnergyChartGeometry(plot, (float(years[0]), float(years[-1])), y_ticks)
        _y_axis(painter, ctx, geo, "吨CO₂" if zh else "tCO₂")
        _x_axis_years(painter, ctx, geo, int(years[0]), int(years[-1]))
        x = geo.x_px(years.astype(float))
        below = np.zeros(len(years))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for k, colour in enumerate(colours):
            ring = np.column_stack([np.r_[x, x[::-1], x[:1]],
                                    geo.y_px(np.r_[tops[k], below[::-1], tops[k][:1]])])
            _fill_ring(painter, ring, colour)
            below = tops[k]
        if line is not None:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(ctx.pen(HISTORY_COLOUR, 1.4))
            painter.drawPath(_open_path(geo.x_px(line.years.astype(float)), geo.y_px(line.t_co2)))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        _frame(painter, ctx, plot)
        return geo
    finally:
        painter.restore()


def value_text(section: dict, year: int, names: Sequence[str] | None = None, lang: str = "zh") -> str:
    """"2030 年：基准 1,112,950 t · 强化 920,347 t" — each shown scenario's (or the history's) net
    emissions in ``year`` (the Pathways panel's hover)."""
    parts = []
    for h in section.get("history") or []:
        if int(h["year"]) == int(year):
            parts.append(f"{'历史' if lang == 'zh' else 'history'} {format_number(h['t_co2'])} t")
    for s in scenario_lines(section):
        if names is not None and s.name not in names:
            continue
        hit = np.flatnonzero(s.years == int(year))
        if len(hit):
            parts.append(f"{s.label(lang)} {format_number(float(s.t_co2[hit[0]]))} t")
    head = f"{year} 年：" if lang == "zh" else f"{year}: "
    return head + " · ".join(parts) if parts else ""


def pathway_png(path, section: dict, lang: str = "zh", *, scenarios: Sequence[str] | None = None,
                width_px: int = 1400, height_px: int = 800, dpi: float = 144.0) -> PathwayGeometry:
    """Write :func:`pathway_chart` to a PNG; returns its geometry."""
    from app.charts.energy_charts import chart_image

    geo: list[PathwayGeometry] = []
    img = chart_image(lambda p, r: geo.append(pathway_chart(p, r, section, lang, scenarios=scenarios)),
                      width_px, height_px, dpi)
    if not img.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return geo[0]


def sector_png(path, section: dict, scenario: str = "baseline", lang: str = "zh", *, width_px: int = 1400,
               height_px: int = 800, dpi: float = 144.0) -> EnergyChartGeometry:
    """Write :func:`sector_chart` of ``scenario`` to a PNG; returns its geometry."""
    from app.charts.energy_charts import chart_image

    geo: list[EnergyChartGeometry] = []
    img = chart_image(lambda p, r: geo.append(sector_chart(p, r, section, scenario, lang)), width_px,
                      height_px, dpi)
    if not img.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return geo[0]


def write_pngs(folder, section: dict, lang: str = "zh") -> list[str]:
    """The pathway figures of ``section`` as PNGs in ``folder`` (created when missing):
    pathways.png (overlay), sectors_<scenario>.png (基准, else the first), macc.png and tornado.png
    when the section has them. Returns the paths written (``lingtan pathway --png DIR``)."""
    from pathlib import Path

    from app.charts.macc_chart import macc_png
    from app.charts.tornado_chart import tornado_png

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "pathways.png"]
    pathway_png(written[-1], section, lang)
    names = [str(s["name"]) for s in section.get("scenarios") or []]
    if names:
        focus = "baseline" if "baseline" in names else names[0]
        written.append(out / f"sectors_{focus}.png")
        sector_png(written[-1], section, focus, lang)
    if section.get("macc"):
        written.append(out / "macc.png")
        macc_png(written[-1], section["macc"], lang)
    if section.get("sensitivity"):
        written.append(out / "tornado.png")
        tornado_png(written[-1], section["sensitivity"], lang)
    return [str(p) for p in written]
