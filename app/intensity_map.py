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
        return {"townships": len(self.layer), "matched": self.join.matched_polygon_count,
                "year": self.metrics.attrs.get("year"),
                "previous_year": self.metrics.attrs.get("previous_year"),
                "intensity_unit": self.metrics.attrs.get("intensity_unit"), "classification": c,
                "join": self.join.summary(), "problems": [p.to_dict() for p in self.problems]}


def intensity_map(townships: gpd.GeoDataFrame, stats: pd.DataFrame, *, method: str = "ratio",
                  by: str = "auto", poly_key: str | None = None, stats_key: str | None = None,
                  year: int | None = None, previous_year: int | None = None, denominator: str = "gdp",
                  benchmark: float | None = None, thresholds=None, target_decline_pct: float | None = None,
                  factors_key: str = DEFAULT_FACTOR_SET, colours=None) -> IntensityMap:
    """Join, account, classify and colour the townships (any CRS; projected to the local metric
    CRS for areas). ``colours``: five hex colours low → high (default: the layers palette)."""
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
    m = township_metrics(joined.stats, load_factor_set(factors_key), year=year, previous_year=previous_year,
                         denominator=denominator)
    weights = m[{"gdp": "gdp_10k_yuan", "land": "land_mu", "population": "population"}[denominator]]
    period = (m.attrs["year"] - m.attrs["previous_year"]) if m.attrs.get("previous_year") else 1.0
    c = classify(m["intensity"].to_numpy(float), method, benchmark=benchmark, thresholds=thresholds,
                 target_decline_pct=target_decline_pct, change_pct=m["change_pct"].to_numpy(float),
                 weights=weights.to_numpy(float), unit=m.attrs["intensity_unit"], period_years=period)
    values = m.assign(**{"class": c.classes.astype(int),
                         "k_ratio": c.k_ratio if c.k_ratio is not None else np.nan})
    layer = joined.attach(values[["join_key", "t_co2", "intensity", "k_ratio", "class", "change_pct",
                                  "gdp_10k_yuan", "land_mu", "population", "no_data_reason"]])
    layer["class"] = pd.to_numeric(layer["class"], errors="coerce").fillna(0).astype(int)
    palette = [NO_DATA_COLOUR, *colours]
    layer["colour"] = [palette[k] for k in layer["class"]]
    layer["method"] = c.description_zh
    problems = [*joined.problems, *m.attrs.get("problems", []), *c.problems]
    if palette_note:
        problems.append(Problem("warning", "intensity.palette", *palette_note))
    return IntensityMap(layer, joined, m, c, problems)


def map_style(result: IntensityMap, *, label_field: str | None, title: str | None = None):
    """The map's five-class style (breaks and units, counts): the registered style of the
    ``township_intensity`` layer with the data year in its title."""
    from layers.preset_styles import township_intensity_style

    year = result.metrics.attrs.get("year")
    return township_intensity_style(
        result.layer, title=(title or f"乡镇街道碳排放强度 {year}", f"Township carbon intensity {year}"),
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
