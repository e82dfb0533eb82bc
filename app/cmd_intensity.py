"""``lingtan intensity``: the five-colour township carbon-intensity map (layer, PNG, QML/SLD)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.carbon.factors import DEFAULT_FACTOR_SET, load_factor_set
from gis.crs import local_metric_crs
from gis.errors import InputError, Problem
from gis.intensity.classify import METHODS, Classification, classify
from gis.intensity.join import JoinResult, join_stats
from gis.intensity.metrics import township_metrics
from gis.progress import NO_PROGRESS, Progress


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
        c = self.classification
        return {"townships": len(self.layer), "matched": self.join.matched_polygon_count,
                "year": self.metrics.attrs.get("year"),
                "previous_year": self.metrics.attrs.get("previous_year"),
                "intensity_unit": self.metrics.attrs.get("intensity_unit"), "classification": c.to_dict(),
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
    if townships.crs is not None and not townships.crs.is_projected:
        c = townships.total_bounds
        townships = townships.to_crs(local_metric_crs((c[0] + c[2]) / 2, (c[1] + c[3]) / 2))
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


def register(sub) -> dict:
    from app.cli_support import CRS_HELP

    p = sub.add_parser(
        "intensity", help="five-colour township carbon-intensity map / 乡镇碳排放强度五色图",
        description="Join township polygons with a statistics table (by code or by Chinese name), compute "
                    "emissions (from energy with the factor tables when the table has no emissions) and "
                    "intensity, sort the townships into five classes coloured green, blue, yellow, orange, "
                    "red (no data: grey), and write OUT.gpkg with t_co2, intensity, k_ratio, class (1–5, 0 = "
                    "no data), colour and method, plus an optional PNG map and QGIS/SLD styles.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("townships", type=Path,
                   help="township/street polygons (any format `lingtan info` reads)")
    p.add_argument("--layer", help="layer of the townships file")
    p.add_argument("--crs", help=CRS_HELP)
    p.add_argument("--stats", type=Path, required=True, metavar="FILE",
                   help="statistics table (CSV/Excel): energy by fuel or emissions, GDP/value added (万元), "
                        "population, land area; one or more years")
    p.add_argument("--sheet", help="Excel sheet of the statistics")
    p.add_argument("--join", metavar="FIELD", help="the townships' field to join on (code or name). "
                   "Default: a code field when both sides have one, else the names")
    p.add_argument("--stats-join", metavar="COLUMN", help="the statistics column to join on (default: found)")
    p.add_argument("--by", choices=("auto", "code", "name"), default="auto", help="join by code or name")
    p.add_argument("--method", choices=METHODS, default="ratio",
                   help="ratio: K = intensity / benchmark, breaks 0.6/0.8/1.2/2.0 (Zhejiang "
                        "carbon-efficiency grades); fixed: --thresholds; quantile; jenks (natural breaks); "
                        "target: change vs a decline target (--target)")
    p.add_argument("--denominator", choices=("gdp", "land", "population"), default="gdp",
                   help="intensity per 10^4 yuan GDP, per mu of land, or per person")
    p.add_argument("--benchmark", type=float, help="benchmark intensity for the ratio method (e.g. the "
                   "county's or province's); default: the map's overall Σ CO2 / Σ denominator")
    p.add_argument("--thresholds", metavar="A,B,C,D", help="four ascending breaks for --method fixed")
    p.add_argument("--target", type=float, metavar="PCT",
                   help="decline target, %% per year, for --method target")
    p.add_argument("--year", type=int, help="data year (default: the latest)")
    p.add_argument("--previous-year", type=int,
                   help="year to measure the change against (default: the one before)")
    p.add_argument("--factors", default=DEFAULT_FACTOR_SET, metavar="KEY",
                   help="emission-factor set for energy → CO2")
    p.add_argument("--out", type=Path, required=True, metavar="OUT.gpkg", help="output GeoPackage")
    p.add_argument("--png", type=Path, metavar="MAP.png", help="also draw the map into a PNG")
    p.add_argument("--qml", type=Path, metavar="STYLE.qml", help="also write a QGIS style")
    p.add_argument("--sld", type=Path, metavar="STYLE.sld", help="also write an SLD style")
    p.add_argument("--title", help="map title (default: 乡镇街道碳排放强度 YEAR)")
    p.add_argument("--colours", metavar="C1,…,C5", help="five #rrggbb colours, low to high (default: green, "
                   "blue, yellow, orange, red, checked for colour-blind readers); a palette whose colours "
                   "become hard to tell apart gets a warning")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return {"intensity": run_intensity}


def _thresholds(text: str | None):
    if text is None:
        return None
    try:
        return [float(v) for v in text.replace("，", ",").split(",")]
    except ValueError:
        raise InputError(f"--thresholds 应为 4 个用逗号分隔的数：“{text}”",
                         f"--thresholds must be four comma-separated numbers: '{text}'",
                         code="intensity.thresholds") from None


def write_map(result: IntensityMap, out: Path, *, png: Path | None = None, qml: Path | None = None,
              sld: Path | None = None, title: str | None = None) -> dict:
    """Write the layer (OUT.gpkg, layer ``intensity``) and the optional PNG and styles."""
    from app.outputs import write_gpkg
    from layers.style_export import graduated_qml, graduated_sld

    label = _name_field(result.layer)
    write_gpkg(out, {"intensity": result.layer})
    outputs = {"gpkg": str(out)}
    style = map_style(result, label_field=label, title=title)
    for path, text, key in ((qml, graduated_qml, "qml"), (sld, None, "sld")):
        if path is None:
            continue
        content = text(style) if key == "qml" else graduated_sld(style, "intensity")
        write_text(path, content)
        outputs[key] = str(path)
    if png is not None:
        render_png(result, png, label_field=label, title=title)
        outputs["png"] = str(png)
    return outputs


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text, replacing ``path`` atomically."""
    from app.outputs import _tmp_beside

    tmp = _tmp_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def describe_intensity(s: dict) -> list[str]:
    c = s["classification"]
    lines = [f"乡镇街道 Townships: {s['townships']} (匹配 matched {s['matched']}), 年份 year {s['year']}",
             f"方法 Method: {c['description_zh']}", f"         {c['description_en']}"]
    counts = c.get("counts") or []
    labels = c.get("labels_zh") or []
    names = ["绿 green", "蓝 blue", "黄 yellow", "橙 orange", "红 red"]
    for k, (n, lab) in enumerate(zip(counts, labels, strict=False)):
        lines.append(f"  {k + 1} {names[k]}: {lab}  ({n})")
    lines.append(f"  0 灰 grey 无数据 no data: {c.get('no_data', 0)}")
    warn = [p for p in s.get("problems", []) if p["level"] != "info"]
    if warn:
        lines.append(f"注意 Warnings ({len(warn)}):")
        lines += [f"  ! {p['zh']}\n    {p['en']}" for p in warn[:8]]
    return lines


def run_intensity(args, progress: Progress = NO_PROGRESS) -> int:
    from app.cli_support import EXIT_OK, emit
    from gis.io import read_vector
    from gis.io.tables import read_data_table

    progress.report(0.0, "reading")
    towns = read_vector(args.townships, layer=args.layer, crs=args.crs).gdf
    stats, _ = read_data_table(args.stats, args.sheet)
    progress.report(0.3, "classifying")
    result = intensity_map(towns, stats, method=args.method, by=args.by, poly_key=args.join,
                           stats_key=args.stats_join, year=args.year, previous_year=args.previous_year,
                           denominator=args.denominator, benchmark=args.benchmark,
                           thresholds=_thresholds(args.thresholds), target_decline_pct=args.target,
                           factors_key=args.factors,
                           colours=args.colours.replace("，", ",").split(",") if args.colours else None)
    progress.report(0.6, "writing")
    outputs = write_map(result, args.out, png=args.png, qml=args.qml, sld=args.sld, title=args.title)
    summary = {**result.summary(), "outputs": outputs}
    progress.report(1.0, "done")
    emit(args, summary, [*describe_intensity(summary), "输出 Outputs: " + ", ".join(outputs.values())])
    return EXIT_OK
