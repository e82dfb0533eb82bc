"""The five-colour township carbon-intensity map: the computation behind ``lingtan intensity`` (the
``five_colour_map`` algorithm), its style and its PNG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.carbon.factors import DEFAULT_FACTOR_SET, load_factor_set
from gis.crs import metric_frame
from gis.errors import InputError, Problem
from gis.intensity.classify import Classification, classify
from gis.intensity.join import JoinResult, join_stats
from gis.intensity.metrics import township_metrics

QUANTITIES: dict[str, tuple[str, str | None, str, str]] = {
    "carbon": ("t_co2", None, "碳排放强度", "carbon intensity"),
    "energy": ("tce", None, "能耗强度", "energy intensity"),
    "co2_total": ("t_co2", "", "碳排放总量", "total CO2"),
    "energy_total": ("tce", "", "能源消费总量", "total energy"),
    "co2_per_mu": ("t_co2", "land", "亩均碳排放", "CO2 per mu"),
    "energy_per_mu": ("tce", "land", "亩均能耗", "energy per mu"),
}
"""Map quantity → (numerator column of the metrics, denominator: None = the ``denominator``
argument, "" = none (a total), "land" = per mu; name zh, en). ``energy`` per 10^4 yuan is the
能耗五色图 of the district carbon platforms (tce per 10^4 yuan of (industrial) value added, the
national energy-intensity indicator, GB/T 2589-2020 for tce; DOMAIN.md §9)."""
_ENERGY_UNITS = {"gdp": ("tce/10^4 yuan", "tce/万元"), "land": ("tce/mu", "tce/亩"),
                 "population": ("tce/person", "tce/人")}
_TOTAL_UNITS = {"t_co2": ("tCO2", "吨CO2"), "tce": ("tce", "吨标准煤")}


def quantity_unit(quantity: str, denominator: str = "gdp") -> tuple[str, str]:
    """(en, zh) unit of a map quantity, e.g. ``("tce/10^4 yuan", "tce/万元")`` for energy per GDP."""
    from gis.intensity.metrics import INTENSITY_UNITS

    num, den, _, _ = QUANTITIES[quantity]
    den = denominator if den is None else den
    if den == "":
        return _TOTAL_UNITS[num]
    return (INTENSITY_UNITS if num == "t_co2" else _ENERGY_UNITS)[den]


def quantity_title(quantity: str, year) -> tuple[str, str]:
    """The map's title (zh, en): 乡镇街道能耗强度 2023 …"""
    _, _, zh, en = QUANTITIES.get(quantity, QUANTITIES["carbon"])
    return f"乡镇街道{zh} {year}", f"Township {en} {year}"


@dataclass
class IntensityMap:
    """The classified townships (``layer``: polygons with t_co2, intensity, k_ratio, class, colour,
    method and the figures), with the join, metrics and classification that produced them."""

    layer: gpd.GeoDataFrame
    join: JoinResult
    metrics: pd.DataFrame
    classification: Classification
    problems: list[Problem]

    def summary(self) -> dict:
        """JSON-ready figures. Class counts are those of the map's townships (the layer and its
        legend): a township without statistics is "no data" on the map too, which the
        classification of the statistics alone does not count."""
        c = self.classification.to_dict()
        classes = pd.to_numeric(self.layer["class"], errors="coerce").fillna(0).astype(int)
        c["counts"] = [int((classes == k).sum()) for k in range(1, 6)]
        c["no_data"] = int((classes == 0).sum())
        quantity = self.metrics.attrs.get("quantity", "carbon")
        return {"townships": len(self.layer), "matched": self.join.matched_polygon_count,
                "quantity": quantity, "quantity_zh": QUANTITIES[quantity][2],
                "quantity_en": QUANTITIES[quantity][3],
                "quantity_unit": self.metrics.attrs.get("quantity_unit"),
                "quantity_unit_zh": self.metrics.attrs.get("quantity_unit_zh"),
                "year": self.metrics.attrs.get("year"),
                "previous_year": self.metrics.attrs.get("previous_year"),
                "intensity_unit": self.metrics.attrs.get("intensity_unit"), "classification": c,
                "join": self.join.summary(), "problems": [p.to_dict() for p in self.problems]}


def intensity_map(townships: gpd.GeoDataFrame, stats: pd.DataFrame, *, method: str = "ratio",
                  by: str = "auto", poly_key: str | None = None, stats_key: str | None = None,
                  year: int | None = None, previous_year: int | None = None, denominator: str = "gdp",
                  benchmark: float | None = None, thresholds=None, target_decline_pct: float | None = None,
                  factors_key: str = DEFAULT_FACTOR_SET, colours=None,
                  quantity: str = "carbon") -> IntensityMap:
    """Join, account, classify and colour the townships (any CRS; projected to the local metric
    CRS for areas). ``colours``: five hex colours low → high (default: the layers palette).
    ``quantity``: what is mapped (see :data:`QUANTITIES`; ``carbon`` default, ``energy`` the
    能耗五色图); the layer's ``value`` holds it, ``intensity`` stays the carbon intensity."""
    if quantity not in QUANTITIES:
        raise InputError(f"未知的地图指标“{quantity}”：可用 {'、'.join(QUANTITIES)}",
                         f"Unknown map quantity '{quantity}': use {', '.join(QUANTITIES)}",
                         code="intensity.quantity")
    num_col, fixed_den, q_zh, _ = QUANTITIES[quantity]
    if fixed_den == "land":
        denominator = "land"
    from layers.style import FIVE_COLOURS, NO_DATA_COLOUR, hex_to_rgb, palette_problems

    colours = list(colours or FIVE_COLOURS)
    if len(colours) != 5:
        raise InputError("五色图需要 5 种颜色（由低到高）",
                         "The five-colour map needs 5 colours (low to high)", code="intensity.colours")
    try:
        for c in colours:
            hex_to_rgb(c)
    except (ValueError, TypeError):
        raise InputError(f"颜色应为 #rrggbb：{colours}", f"Colours must be #rrggbb: {colours}",
                         code="intensity.colours") from None
    palette_note = palette_problems([*colours, NO_DATA_COLOUR])
    if townships.crs is not None:
        townships = metric_frame(townships, what_zh="乡镇图层", what_en="The townships layer")
    joined = join_stats(townships, stats, poly_key=poly_key, stats_key=stats_key, by=by)
    if len(joined.stats) == 0:
        keys = [str(v) for v in joined.unmatched_stats["key"].drop_duplicates().head(5)]
        examples, examples_en = "、".join(keys), ", ".join(keys)
        raise InputError(
            f"统计表的 {len(stats)} 行没有一行与乡镇匹配（按{'代码' if joined.by == 'code' else '名称'}："
            f"乡镇字段“{joined.poly_key}”，统计表列“{joined.stats_key}”；例如 {examples}）。"
            "请检查是否选错了表，或用 --join / --stats-join 指定字段",
            f"None of the {len(stats)} statistics rows matches a township (by {joined.by}: township field "
            f"'{joined.poly_key}', table column '{joined.stats_key}'; e.g. {examples_en}). Is it the right "
            "table? Name the fields with --join / --stats-join", code="intensity.no_match")
    # a total needs no denominator: the polygon area (always there after the join) stands in
    m = township_metrics(joined.stats, load_factor_set(factors_key), year=year, previous_year=previous_year,
                         denominator="land" if fixed_den == "" else denominator)
    value, change, q_problems = _quantity_values(m, quantity, denominator)
    weights = None if fixed_den == "" else \
        m[{"gdp": "gdp_10k_yuan", "land": "land_mu", "population": "population"}[denominator]].to_numpy(float)
    unit = quantity_unit(quantity, denominator)
    label = None
    if method == "ratio" and benchmark is None and num_col == "tce" and weights is not None:
        # the map's overall Σ tce / Σ denominator (classify's own label would say Σ CO2)
        ok = np.isfinite(value) & (weights > 0)
        benchmark = float(np.nansum(m["tce"].to_numpy(float)[ok]) / weights[ok].sum()) if ok.any() else None
        label = ("全区总体能耗强度 Σ能耗/Σ分母", "the map's overall Σ energy / Σ denominator")
    elif method == "ratio" and benchmark is None and weights is None:
        ok = np.isfinite(value)
        benchmark = float(value[ok].mean()) if ok.any() else None
        label = ("各乡镇平均值", "the townships' mean")
    period = (m.attrs["year"] - m.attrs["previous_year"]) if m.attrs.get("previous_year") else 1.0
    c = classify(value, method, benchmark=benchmark, thresholds=thresholds,
                 target_decline_pct=target_decline_pct, change_pct=change,
                 weights=weights, unit=unit, period_years=period, benchmark_label=label)
    m.attrs.update(quantity=quantity, quantity_unit=unit[0], quantity_unit_zh=unit[1])
    values = m.assign(**{"class": c.classes.astype(int), "value": value, "quantity": q_zh,
                         "k_ratio": c.k_ratio if c.k_ratio is not None else np.nan})
    layer = joined.attach(values[["join_key", "t_co2", "tce", "intensity", "value", "quantity", "k_ratio",
                                  "class", "change_pct", "gdp_10k_yuan", "land_mu", "population",
                                  "no_data_reason"]])
    layer["class"] = pd.to_numeric(layer["class"], errors="coerce").fillna(0).astype(int)
    palette = [NO_DATA_COLOUR, *colours]
    layer["colour"] = [palette[k] for k in layer["class"]]
    layer["method"] = c.description_zh
    problems = [*joined.problems, *q_problems, *c.problems]
    if palette_note:
        problems.append(Problem("warning", "intensity.palette", *palette_note))
    return IntensityMap(layer, joined, m, c, problems)


def _quantity_values(m: pd.DataFrame, quantity: str, denominator: str) \
        -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """The mapped figure per township, its change against the previous year (%; the carbon
    intensity's for ``carbon``, NaN for the others: metrics keep no previous tce) and the
    problems (the metrics' no-data warnings redone for the quantity when it is not carbon)."""
    from gis.intensity.metrics import DENOMINATOR_COLUMNS, NO_DATA_REASONS

    num_col, fixed_den, q_zh, q_en = QUANTITIES[quantity]
    problems = list(m.attrs.get("problems", []))
    if quantity == "carbon":
        return m["intensity"].to_numpy(float), m["change_pct"].to_numpy(float), problems
    num = m[num_col].to_numpy(float)
    den_key = denominator if fixed_den is None else fixed_den
    d = np.ones(len(m)) if den_key == "" else m[DENOMINATOR_COLUMNS[den_key]].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(d > 0, num / np.where(d > 0, d, 1.0), np.nan)
    problems = [p for p in problems if not p.code.startswith("intensity.no_data.")]
    reason = np.select([np.isfinite(value), (m["no_data_reason"] == "no_row").to_numpy(), np.isnan(num),
                        np.isnan(d)], ["", "no_row", "no_emissions", "no_denominator"],
                       default="zero_denominator")
    m["no_data_reason"] = pd.Series([r or None for r in reason], index=m.index, dtype=object)
    for code, (zh, en) in NO_DATA_REASONS.items():
        ids = [str(v) for v in m.loc[m["no_data_reason"] == code, "name"]]
        if ids:
            problems.append(Problem("warning", f"intensity.no_data.{code}",
                                    f"{len(ids)} 个乡镇无{q_zh}数据（{zh}），不分级：{'、'.join(ids[:10])}",
                                    f"{len(ids)} townships have no {q_en} ({en}) and are not classified: "
                                    f"{', '.join(ids[:10])}", ids))
    return value, np.full(len(m), np.nan), problems


def map_style(result: IntensityMap, *, label_field: str | None, title: str | None = None):
    """The map's five-class style (breaks and units, counts): the registered style of the
    ``township_intensity`` layer with the data year in its title."""
    from layers.preset_styles import township_intensity_style

    year = result.metrics.attrs.get("year")
    zh, en = quantity_title(result.metrics.attrs.get("quantity", "carbon"), year)
    return township_intensity_style(
        result.layer, title=(title or zh, en),
        classification=result.classification, label_field=label_field)


def render_png(result: IntensityMap, path: Path, *, label_field: str | None, title: str | None = None,
               width_px: int = 2000, height_px: int = 1500) -> Path:
    """Draw the map (labels, legend with method, breaks, units and counts) into a PNG."""
    from layers.layer import VectorLayer
    from layers.render import ensure_gui_app, render_map, save_png

    ensure_gui_app()
    style = map_style(result, label_field=label_field, title=title)
    year = result.metrics.attrs.get("year")
    image = render_map([VectorLayer("intensity", result.layer, style)], width_px, height_px,
                       title=style.title_zh, subtitle=f"数据年份 {year} / data year {year}", dpi=180)
    return save_png(image, path)


def _name_field(gdf) -> str | None:
    from gis.fields import find_field

    return find_field(gdf.columns, ("name", "名称", "乡镇街道名称", "乡镇", "街道", "xzqmc"))
