"""The five-colour township carbon-intensity map: townships joined with their statistics, emissions
and intensity computed, sorted into five classes (green, blue, yellow, orange, red; grey = no data)."""

from __future__ import annotations

from typing import ClassVar

from app.processing.algorithm import (
    Algorithm,
    AlgorithmOutput,
    ExtraOutput,
    Inputs,
    LayerInput,
    first,
    warnings_lines,
)
from app.processing.params import Param, ParamValues
from gis.defaults import DEFAULT_FACTOR_SET
from gis.errors import InputError, Problem
from gis.intensity.classify import METHODS
from gis.progress import NO_PROGRESS, Progress
from layers import preset_styles as S
from layers.registry import LayerSpec, register_layer

# ---- the drill-down levels written with --enterprises (issue #20; app/drilldown.py)

ENTERPRISE_SUMS = {"t_co2": "ent_t_co2", "tce": "ent_tce", "value_added_10k_yuan": "ent_va_10k_yuan"}
"""Σ over a township's (district's) enterprises: the energy table's figure → the layer's field."""
UNPLACED_FIELDS = ("entity", "name", "reason")
"""The ``unplaced`` table of OUT.gpkg (gis/carbon/placement.py reasons), then the figures."""

register_layer(LayerSpec(
    "district_intensity", "区县碳排放（乡镇汇总）", "District emissions (Σ townships)", "polygon",
    # one dissolved outline over the township map: ColorBrewer Greys 8 (#252525), no fill
    S.single(fill=S.NO_FILL, outline="#252525", width=2.0),
    ("district", "townships", "t_co2", "tce", "gdp_10k_yuan", "intensity", "enterprises", "ent_t_co2",
     "ent_tce"), summary_key="intensity", algorithm="five_colour_map"))


def _factor_sets() -> list[tuple[str, str, str]]:
    from gis.carbon.factors import factor_set_table

    t = factor_set_table()
    return [(str(k), str(z), str(e)) for k, z, e in zip(t["key"], t["name_zh"], t["name_en"], strict=True)]


_METHOD_NAMES = {
    "ratio": ("比值法 K = 强度 / 基准（0.6/0.8/1.2/2.0）",
              "ratio K = intensity / benchmark (0.6/0.8/1.2/2.0)"),
    "fixed": ("固定阈值", "fixed thresholds"), "quantile": ("分位数", "quantiles"),
    "jenks": ("自然断点", "natural breaks (Jenks)"), "target": ("目标下降率", "decline target"),
}


def _write_png(output, path, values) -> None:
    from app.intensity_map import _name_field, render_png

    render_png(output.result, path, label_field=_name_field(output.result.layer), title=values.title)


def _write_style(kind: str):
    def write(output, path, values) -> None:
        from app.intensity_map import _name_field, map_style
        from app.outputs import write_text
        from layers.style_export import graduated_qml, graduated_sld

        style = map_style(output.result, label_field=_name_field(output.result.layer), title=values.title)
        write_text(path, graduated_qml(style) if kind == "qml" else graduated_sld(style, "intensity"))
    return write


class FiveColourMap(Algorithm):
    id = "five_colour_map"
    cli_alias = "intensity"
    title_zh, title_en = "乡镇碳排放强度五色图", "Five-colour township carbon-intensity map"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = ("乡镇街道面与统计表按代码或中文名称关联，计算排放（表中无排放时按能耗与因子表）与强度，分为"
                  "绿、蓝、"
                  "黄、橙、红五级（无数据为灰）。")
    summary_en = ("Join township polygons with a statistics table (by code or by Chinese name), compute "
                  "emissions (from energy with the factor tables when the table has no emissions) and "
                  "intensity, and sort the townships into five classes coloured green, blue, yellow, orange, "
                  "red (no data: grey).")
    summary_key = "intensity"
    outputs = ("township_intensity", "district_intensity", "enterprise_points")
    """The last two only with an enterprise table (with the ``unplaced`` table)."""
    file_layer_names: ClassVar[dict[str, str]] = {"township_intensity": "intensity",
                                                  "district_intensity": "district",
                                                  "enterprise_points": "enterprises"}
    inputs = (
        LayerInput("townships", "乡镇街道", "Townships", "乡镇街道面", "township/street polygons (any format "
                   "`lingtan info` reads)", geometry=("polygon",), role="townships", positional=True),
        LayerInput("stats", "统计表", "Statistics table",
                   "CSV/Excel：分品种能耗或排放、地区生产总值/增加值（万元）、"
                   "人口、土地面积；一年或多年", "statistics table (CSV/Excel): energy by fuel or emissions, "
                   "GDP/value added (万元), population, land area; one or more years", kind="table",
                   sheet_flag="--sheet"),
        LayerInput("enterprises", "企业能耗表", "Enterprise energy table",
                   "企业分品种能耗表（CSV/Excel，同 lingtan carbon）；给出时另写区县、企业图层与未落位企业表",
                   "enterprise energy table (CSV/Excel, as lingtan carbon reads); when given, OUT.gpkg also "
                   "gets the district, enterprise and unplaced-enterprise levels (the drill-down)",
                   kind="table", required=False),
        LayerInput("buildings", "建筑", "Buildings", "带企业代码的建筑面（为无坐标的企业落位）",
                   "building footprints with an enterprise-id field (places enterprises without "
                   "coordinates)", geometry=("polygon",), role="buildings", required=False,
                   layer_flag="--buildings-layer"),
        LayerInput("addresses", "地址坐标表", "Address table",
                   "地址与经纬度对照表（CSV/Excel：地址、经度、纬度，WGS84）；能耗表有“地址”列而无坐标的企业按地址匹配落位",
                   "addresses with longitude/latitude (CSV/Excel: address, lon, lat, WGS84); enterprises "
                   "with an address column but no coordinates are placed by matching it",
                   kind="table", required=False),
    )
    extra_outputs = (
        ExtraOutput("--png", "MAP.png", "also draw the map into a PNG / 另存地图图片", _write_png),
        ExtraOutput("--qml", "STYLE.qml", "also write a QGIS style / QGIS 样式", _write_style("qml")),
        ExtraOutput("--sld", "STYLE.sld", "also write an SLD style / SLD 样式", _write_style("sld")),
    )
    params = (
        Param("join", "text", None, "乡镇关联字段", "Township join field", optional=True, metavar="FIELD",
              help_en="the townships' field to join on (code or name)",
              auto_zh="两边都有代码字段时按代码，否则按名称",
              auto_en="a code field when both sides have one, "
              "else the names"),
        Param("stats_join", "text", None, "统计表关联列", "Statistics join column", optional=True,
              metavar="COLUMN", auto_zh="自动识别", auto_en="found in the table", advanced=True),
        Param("by", "choice", "auto", "关联方式", "Join by",
              choices=(("auto", "自动", "automatic"), ("code", "代码", "code"), ("name", "名称", "name")),
              source="auto: codes when both sides have them (GB/T 2260 codes are unambiguous)",
              advanced=True),
        Param("method", "choice", "ratio", "分级方法", "Classification method",
              choices=[(m, *_METHOD_NAMES.get(m, (m, m))) for m in METHODS],
              source="ratio: Zhejiang carbon-efficiency grades (浙江省“碳效码”, K = 0.6/0.8/1.2/2.0)"),
        Param("quantity", "choice", "carbon", "地图指标", "Map quantity",
              choices=(("carbon", "碳排放强度", "carbon intensity"),
                       ("energy", "能耗强度（能耗五色图）", "energy intensity (tce)"),
                       ("co2_total", "碳排放总量", "total CO2"),
                       ("energy_total", "能源消费总量", "total energy"),
                       ("co2_per_mu", "亩均碳排放", "CO2 per mu"),
                       ("energy_per_mu", "亩均能耗", "energy per mu")),
              source="energy: tce per 10^4 yuan of (industrial) value added, the 能耗五色图 of the district "
              "carbon platforms (DOMAIN.md §9); per mu: 亩均论英雄 (1 mu = 666.67 m²)"),
        Param("denominator", "choice", "gdp", "强度分母", "Intensity per",
              choices=(("gdp", "万元地区生产总值", "10^4 yuan of GDP"), ("land", "亩土地", "mu of land"),
                       ("population", "人", "person")), source="per 10^4 yuan GDP: the national intensity "
              "indicator (GB/T 32150 accounting, 14th Five-Year Plan target)"),
        Param("benchmark", "float", None, "基准强度", "Benchmark intensity", minimum=1e-9, maximum=1e6,
              optional=True,
              help_en="benchmark intensity for the ratio method (e.g. the county's or province's)",
              auto_zh="本图总体 Σ排放 / Σ分母", auto_en="the map's overall Σ CO2 / Σ denominator"),
        Param("thresholds", "floats", None, "分级阈值", "Class breaks", count=4, optional=True, minimum=0.0,
              metavar="A,B,C,D", help_en="four ascending breaks for --method fixed",
              auto_zh="按分级方法", auto_en="from the method"),
        Param("target", "float", None, "年下降目标", "Decline target", unit="%/yr", minimum=0.0,
              maximum=100.0,
              optional=True, metavar="PCT", help_en="decline target, % per year, for --method target",
              auto_zh="无", auto_en="none"),
        Param("year", "int", None, "数据年份", "Data year", minimum=1949, maximum=2100, optional=True,
              auto_zh="表中最新一年", auto_en="the latest in the table"),
        Param("previous_year", "int", None, "对比年份", "Previous year", minimum=1949, maximum=2100,
              optional=True, auto_zh="数据年份的上一年", auto_en="the one before", advanced=True),
        Param("factors", "choice", DEFAULT_FACTOR_SET, "排放因子集", "Emission-factor set",
              choices=_factor_sets,
              metavar="KEY", help_en="emission-factor set for energy → CO2",
              source="resources/factors/factor_sets.csv (the row noted default)"),
        Param("lonlat_crs", "choice", "wgs84", "企业坐标系", "Enterprise coordinates",
              choices=(("wgs84", "WGS-84（GPS）", "WGS-84 (GPS)"), ("cgcs2000", "CGCS2000", "CGCS2000"),
                       ("gcj02", "GCJ-02（高德、腾讯地图）", "GCJ-02 (Amap, Tencent)"),
                       ("bd09", "BD-09（百度地图）", "BD-09 (Baidu)")),
              help_en="the CRS of the enterprise table's longitude/latitude columns (with --enterprises)",
              source="WGS-84: what GPS receivers give; GCJ-02/BD-09 are corrected with the published "
              "inverse transforms (gis/webmap.py)", advanced=True),
        Param("title", "text", None, "地图标题", "Map title", optional=True,
              auto_zh="乡镇街道 + 指标 + 年份", auto_en="乡镇街道 + the quantity + YEAR", advanced=True),
        Param("colours", "text", None, "五级颜色", "Five colours", optional=True, metavar="C1,…,C5",
              help_en="five #rrggbb colours, low to high; a palette whose colours become hard to tell apart "
              "gets a warning", auto_zh="绿、蓝、黄、橙、红（已检查色盲可读性）",
              auto_en="green, blue, yellow, orange, red (checked for colour-blind readers)", advanced=True),
    )

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.intensity_map import intensity_map

        p = params
        progress.report(0.3, "classifying")
        result = intensity_map(first(inputs["townships"]).gdf, first(inputs["stats"]).gdf, method=p.method,
                               by=p.by, poly_key=p.join, stats_key=p.stats_join, year=p.year,
                               previous_year=p.previous_year, denominator=p.denominator,
                               benchmark=p.benchmark,
                               thresholds=list(p.thresholds) if p.thresholds else None,
                               target_decline_pct=p.target, factors_key=p.factors,
                               colours=p.colours.replace("，", ",").split(",") if p.colours else None,
                               quantity=p.quantity)
        summary, problems = result.summary(), list(result.problems)
        layers: dict = {"township_intensity": result.layer}
        ent = first(inputs.get("enterprises"))
        if ent is not None:
            progress.report(0.7, "enterprises")
            bld = first(inputs.get("buildings"))
            book = first(inputs.get("addresses"))
            levels, more = drill_levels(result, ent.gdf, bld.gdf if bld is not None else None,
                                        year=p.year, factors_key=p.factors, lonlat_crs=p.lonlat_crs,
                                        source_name=ent.name,
                                        addresses=book.gdf if book is not None else None)
            layers = {**levels.pop("layers")}
            summary["levels"] = levels
            problems += [q for q in more if q not in problems]
            summary["problems"] = [q.to_dict() for q in problems]
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, result, layers, summary, problems)

    def describe(self, s: dict) -> list[str]:
        c = s["classification"]
        lines = [f"乡镇街道 Townships: {s['townships']} (匹配 matched {s['matched']}), 年份 year {s['year']}",
                 f"指标 Quantity: {s.get('quantity_zh', '碳排放强度')} / "
                 f"{s.get('quantity_en', 'carbon intensity')}",
                 f"方法 Method: {c['description_zh']}", f"         {c['description_en']}"]
        names = ["绿 green", "蓝 blue", "黄 yellow", "橙 orange", "红 red"]
        for k, (n, lab) in enumerate(zip(c.get("counts") or [], c.get("labels_zh") or [], strict=False)):
            lines.append(f"  {k + 1} {names[k]}: {lab}  ({n})")
        lines.append(f"  0 灰 grey 无数据 no data: {c.get('no_data', 0)}")
        lv = s.get("levels")
        if lv:
            r = lv["reconciliation"]
            lines += [f"区县 Districts: {lv['districts']}, 乡镇 townships: {lv['townships']}, "
                      f"企业 enterprises: {lv['enterprises']} (未落位 not placed: {len(lv['unplaced'])})",
                      f"  企业排放 Enterprise tCO2: 全部 all {r['all']:,.1f} = 乡镇内 in townships "
                      f"{r['in_townships']:,.1f} + 乡镇外 outside {r['outside']:,.1f} + 未落位 not placed "
                      f"{r['unplaced']:,.1f}"]
        return [*lines, *warnings_lines(s)]


def drill_levels(result, energy, buildings=None, *, year: int | None = None,
                 factors_key: str = DEFAULT_FACTOR_SET, lonlat_crs: str = "wgs84",
                 source_name: str = "", addresses=None) -> tuple[dict, list[Problem]]:
    """Every level of the map for OUT.gpkg (issue #20): ``layers`` (the township layer with the
    enterprise sums ``enterprises``, ``ent_t_co2`` …, the districts with the same sums and the map's
    own, the enterprise points with their township key, the ``unplaced`` table) and the JSON
    figures (``district`` Σ, counts, ``unplaced`` list, ``reconciliation``: all = in townships +
    outside + not placed, tCO2). Enterprises are graded for the map's year, else (a table without
    it, no year asked for) for their latest year, with a warning."""
    import pandas as pd

    from app.drilldown import district_key, district_level, enterprise_level

    map_year = result.metrics.attrs.get("year")
    try:
        lv = enterprise_level(energy, result.layer, key="join_key",
                              year=int(map_year) if map_year is not None else None,
                              factors_key=factors_key, lonlat_crs=lonlat_crs, buildings=buildings,
                              addresses=addresses, source_name=source_name)
        extra: list[Problem] = []
    except InputError as e:
        if e.code != "drilldown.year" or year is not None:
            raise
        lv = enterprise_level(energy, result.layer, key="join_key", factors_key=factors_key,
                              lonlat_crs=lonlat_crs, buildings=buildings, addresses=addresses,
                              source_name=source_name)
        extra = [Problem("warning", "drilldown.year",
                         f"企业能耗表中没有地图年份 {map_year} 年，企业按其最新一年 {lv.year} 年计",
                         f"The enterprise table has no {map_year} (the map's year): enterprises are "
                         f"those of its latest year, {lv.year}")]
    sums = [c for c in ENTERPRISE_SUMS if c in lv.totals.columns]
    tot = lv.totals.set_index("township")[[*sums, "enterprises"]].rename(columns=ENTERPRISE_SUMS)
    towns = result.layer.copy()
    key = towns["join_key"].astype("string")
    for col in tot.columns:  # a township without enterprises: 0 of them, Σ = 0
        towns[col] = tot[col].reindex(key.to_numpy()).fillna(0).to_numpy()
    towns["enterprises"] = towns["enterprises"].astype(int)
    district = district_level(towns, key="join_key")
    one = towns.drop_duplicates(subset=["join_key"])  # a township of several polygons counted once
    one = one[one["join_key"].notna()]
    by = one.groupby(district_key(one["join_key"]).to_numpy())[list(tot.columns)].sum()
    for col in tot.columns:
        district[col] = by[col].reindex(district["district"].to_numpy()).fillna(0).to_numpy()
    pts = lv.points
    unplaced = pd.DataFrame(lv.unplaced).reindex(
        columns=[*UNPLACED_FIELDS, *[c for c in lv.unplaced.columns if c not in UNPLACED_FIELDS]])
    figures = {c: float(pd.to_numeric(district[c], errors="coerce").sum())
               for c in ("t_co2", "tce", "gdp_10k_yuan", *tot.columns) if c in district.columns}
    if {"t_co2", "gdp_10k_yuan"} <= set(one.columns):  # as district_level: townships with both
        t, g = (pd.to_numeric(one[c], errors="coerce") for c in ("t_co2", "gdp_10k_yuan"))
        both = t.notna() & (g > 0)
        figures["intensity"] = float(t[both].sum() / g[both].sum()) if both.any() else None
    figures["enterprises"] = int(figures.get("enterprises", 0))
    figures["codes"] = [str(d) for d in district["district"]]
    out = {"layers": {"township_intensity": towns, "district_intensity": district, "enterprise_points": pts,
                      "unplaced": unplaced},
           "district": figures, "districts": len(district), "townships": len(one),
           "enterprises": len(pts), "enterprise_year": lv.year,
           "unplaced": [{k: (None if pd.isna(v) else v) for k, v in row.items()}
                        for row in unplaced[list(UNPLACED_FIELDS)].astype(object).to_dict("records")],
           "reconciliation": lv.reconcile("t_co2")}
    return out, [*extra, *lv.problems]
