"""Carbon sinks of green space: green polygons (and trees) by land-cover type, or a land-cover raster
clipped to the park boundary. Both answer to ``lingtan sinks`` (the raster one with ``--raster``).
Factors and methods: docs/sinks.md."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from app.algorithms.emissions import TABLE_FILTERS
from app.processing.algorithm import (
    Algorithm,
    AlgorithmOutput,
    InputLayer,
    Inputs,
    LayerInput,
    OutputFile,
    first,
)
from app.processing.params import Param, ParamValues
from gis.carbon.landcover import BUILTIN_CLASS_TABLES
from gis.carbon.sinks import TYPE_FIELD_CANDIDATES
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

FACTORS = Param(
    "factors", "file", None, "碳汇系数表", "Sink factor table", optional=True, metavar="FILE",
    filters=TABLE_FILTERS,
    help_zh="覆盖或补充默认系数的 CSV/Excel：class、t_co2_per_ha_yr（tCO2/ha/yr）"
            "[、aliases（以 | 分隔的名称）、name_zh、name_en、source]",
    help_en="CSV/Excel of sink factors overriding or adding to the defaults: columns class, t_co2_per_ha_yr "
            "(tCO2/ha/yr) [, aliases (names separated by |), name_zh, name_en, source]",
    auto_zh="内置 resources/factors/sink_factors.csv（广东 LULUCF 2018：林地 3.9、草地 0.2 … tCO2/ha/yr）",
    auto_en="resources/factors/sink_factors.csv (Guangdong LULUCF 2018: forest 3.9, shrub 2.1 "
            "(assumed), grassland 0.2, wetland 0.6, water 0, cropland -0.1, construction land -0.6 "
            "tCO2/ha/yr; tea garden 6.4; urban canopy 10.27 tCO2/ha canopy/yr)",
    source="resources/factors/sink_factors.csv")

_CLASS_TABLE_NAMES = {
    "umep": ("UMEP（1 铺装、2 建筑、3/4 树木、5 草地、6 裸地、7 水体）",
             "UMEP (1 paved, 2 buildings, 3/4 trees, 5 grass, 6 bare, 7 water)"),
    "esa-worldcover": ("ESA WorldCover（10 林地 … 100 苔藓地衣）",
                       "ESA WorldCover (10 tree cover … 100 moss)"),
}


def _factors(path: Path | None):
    """The factor table (defaults, with the user's file merged) and the label the summary shows."""
    from gis.carbon.sinks import load_sink_factors

    label = "default (resources/factors/sink_factors.csv)" + (f" + {path}" if path else "")
    return load_sink_factors(path), label


def _source(item: InputLayer) -> str:
    """The file an input came from, as given (its name for a map layer)."""
    return str(item.path) if item.path is not None else item.name


class Sinks(Algorithm):
    id = "sinks"
    cli_alias = "sinks"
    title_zh, title_en = "绿地碳汇", "Carbon sinks of green space"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = ("园区绿地的年碳汇（tCO2/yr，负值为净排放）：绿地面按覆盖类型"
                  "（林地/灌木/草地/湿地/水体/耕地/茶园/建设用地/裸地）面积 × 各类系数（tCO2/ha/yr）；"
                  "可选行道树/单株树按树冠面积 × 城市树冠速率（0.28 kgC/m²/yr，Nowak 等 2013），"
                  "扣除林地内的树冠。")
    summary_en = ("Annual CO2 sink (tCO2/yr; negative = a net source) of a park's green space: green "
                  "polygons with a land-cover type field (林地/灌木/草地/湿地/水体/耕地/茶园/建设用地/裸地, "
                  "or English names) → area (m², ha) × per-class factor (tCO2/ha/yr); optional tree "
                  "rows/points → canopy area × the urban-canopy rate (0.28 kgC/m²/yr, Nowak et al. 2013), "
                  "minus canopy inside forest polygons.")
    outputs = ("green_sinks", "tree_sinks")
    inputs = (
        LayerInput("green", "绿地", "Green space", "绿地面，含覆盖类型字段（任意 lingtan info 可读格式）",
                   "green-space polygons (any format `lingtan info` reads) with a land-cover type field "
                   "(lingtan sinks: omit with --raster)", geometry=("polygon",), role="green",
                   positional=True, metavar="GREEN_LAYER"),
        LayerInput("trees", "行道树", "Trees",
                   "行道树（线，含 tree_count 或 spacing_m，及冠幅 canopy_width_m，米）、"
                   "单株树（点，含冠幅）或树冠面",
                   "tree rows (lines with tree_count or spacing_m, and canopy_width_m in m), single trees "
                   "(points with canopy_width_m/冠幅 in m) or canopy polygons",
                   geometry=("line", "point", "polygon"), required=False, role="tree_rows",
                   metavar="TREES_LAYER", layer_flag="--trees-layer", shared_crs=True),
        LayerInput("park_boundary", "园区红线", "Park boundary",
                   "给出时报告绿化覆盖率（绿地、屋顶绿化与其他用地上的树冠，重叠只计一次）和绿地率",
                   "when given: green coverage (green land, green roofs and crowns over other land, overlaps "
                   "once) and the green-land rate are reported", geometry=("polygon",), required=False,
                   role="boundary", flag="--park-boundary", shared_crs=True),
    )
    params = (
        Param("type_field", "text", None, "覆盖类型字段", "Land-cover type field", optional=True, metavar="F",
              help_zh="存放覆盖类型的字段", help_en="field holding the land-cover type",
              auto_zh="依次查找 " + "、".join(TYPE_FIELD_CANDIDATES[:12]) + " …",
              auto_en="the first of " + ", ".join(TYPE_FIELD_CANDIDATES[:12]) + " … found"),
        FACTORS,
        Param("skip_unknown", "bool", False, "跳过无法识别的类型", "Skip unrecognised types",
              help_zh="类型无法识别的绿地面不计入（并列出），而不是报错停止",
              help_en="leave out (and report) polygons whose type is not recognised instead of stopping with "
                      "an error",
              source="off: an unrecognised type stops the run, so that no area is silently left out"),
    )

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from gis.carbon.sinks import combine_sinks, tree_sinks, vector_sinks
        from gis.crs import crs_label, metric_frame

        p = params
        factors, label = _factors(p.factors)
        progress.report(0.0, "reading green space")
        green_in = first(inputs["green"])
        assert green_in is not None  # a required input: check_inputs saw it
        green = metric_frame(green_in.gdf)
        parts = [vector_sinks(green, type_field=p.type_field, factors=factors,
                              unknown="exclude" if p.skip_unknown else "error", factors_label=label)]
        parts[0].problems[:0] = green_in.problems
        trees_in = first(inputs.get("trees"))
        if trees_in is not None:
            progress.report(0.4, "reading trees")
            t = tree_sinks(trees_in.gdf.to_crs(green.crs), green=parts[0].features, factors=factors,
                           factors_label=label)
            t.problems[:0] = trees_in.problems
            parts.append(t)
        result = combine_sinks(*parts)
        rates = None
        if (b := first(inputs.get("park_boundary"))) is not None:  # --boundary is the raster mode's
            from gis.carbon.green_rates import canopy_shapes, green_rates

            rates = green_rates(b.gdf.to_crs(green.crs), parts[0].features,
                                canopy_shapes(parts[1].trees) if len(parts) > 1 else None)
        layers = {"green_sinks": result.features}
        if result.trees is not None:
            layers["tree_sinks"] = result.trees
        summary = {"input": _source(green_in), "trees_input": _source(trees_in) if trees_in else None,
                   "work_crs": crs_label(green.crs), **result.to_dict(), "outputs": {"layers": list(layers)}}
        if rates is not None:
            summary["green_rates"] = rates.to_dict()
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, result, layers, summary, result.problems)

    def describe(self, s: dict) -> list[str]:
        return describe_sinks(s)


def _write_table(output: AlgorithmOutput, path: Path | None, values: ParamValues) -> tuple[dict, list[str]]:
    """OUT.csv (by class, UTF-8 with BOM for Excel) or OUT.json (the summary), when --out is given."""
    from app.outputs import write_json

    summary = dict(output.summary)
    if path is not None:
        if path.suffix.lower() == ".json":
            write_json(path, summary)
        else:
            _write_csv(path, output.result.by_class)
        summary["outputs"] = {"file": str(path)}
    return summary, [*describe_sinks(summary), *([f"输出 Output: {path}"] if path is not None else [])]


class LandcoverSinks(Algorithm):
    id = "landcover_sinks"
    cli_alias = "sinks"
    cli_alias_selector = "raster"
    title_zh, title_en = "土地覆盖栅格碳汇", "Carbon sinks of a land-cover raster"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = ("土地覆盖 GeoTIFF 按园区边界裁剪（边缘像元按精确面积比例计），"
                  "按分类表把像元值对应到碳汇类别，得各类面积与年碳汇。")
    summary_en = ("A land-cover GeoTIFF clipped to the park boundary with exact pixel fractions at the "
                  "edge → area and sink per class (codes → classes by a class table: umep, "
                  "esa-worldcover or your CSV).")
    output_file = OutputFile((".csv", ".json"), "OUT.csv|OUT.json",
                             "table by class (UTF-8 with BOM for Excel) or the summary (JSON)", _write_table,
                             required=False)
    inputs = (
        LayerInput("raster", "土地覆盖栅格", "Land-cover raster",
                   "整数类别代码的土地覆盖 GeoTIFF（投影或经纬度坐标系）",
                   "land-cover GeoTIFF of integer class codes (projected or lon/lat CRS)", kind="raster",
                   flag="--raster", metavar="LC.tif", filters="GeoTIFF (*.tif *.tiff);;All files (*)"),
        LayerInput("boundary", "园区边界", "Park boundary", "园区边界面（任意矢量格式），投影到栅格坐标系",
                   "park boundary polygon(s) (any vector format); reprojected to the raster",
                   geometry=("polygon",), role="boundary", metavar="B.gpkg", layer_flag="--boundary-layer",
                   shared_crs=True),
    )
    params = (
        Param("classes", "choice", None, "分类表", "Class table",
              choices=[(k, *_CLASS_TABLE_NAMES.get(k, (k, k))) for k in BUILTIN_CLASS_TABLES], or_kind="file",
              aliases=(("esa_worldcover", "esa-worldcover"), ("worldcover", "esa-worldcover"),
                       ("esa", "esa-worldcover")),
              metavar="C.csv|umep|esa-worldcover", filters=TABLE_FILTERS,
              help_zh="像元值 → 类别：umep、esa-worldcover，或含 code 与 class 列的 CSV"
                      "（class：forest、grassland… 或林地、Tree cover 等名称）",
              help_en="codes → classes: umep (1 paved, 2 buildings, 3/4 trees, 5 grass, 6 bare, "
                      "7 water), esa-worldcover (10 tree cover … 100 moss), or a CSV with code and class "
                      "columns (class: forest, grassland, … or a name such as 林地, Tree cover)"),
        FACTORS,
    )

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from gis.carbon.landcover import load_class_table, raster_sinks
        from gis.crs import crs_label
        from gis.io.landcover import read_landcover

        p = params
        factors, label = _factors(p.factors)
        table = load_class_table(p.classes)
        raster, b = first(inputs["raster"]), first(inputs["boundary"])
        assert raster is not None and b is not None  # required inputs: check_inputs saw them
        if raster.path is None:
            raise InputError("土地覆盖栅格应为 GeoTIFF 文件", "The land-cover raster must be a GeoTIFF file",
                             code="input.raster")
        boundary = b.gdf
        progress.report(0.1, "reading land cover")
        lc = read_landcover(raster.path, bounds=tuple(boundary.total_bounds), bounds_crs=boundary.crs)
        result = raster_sinks(lc.codes, lc.transform, lc.crs, boundary, table, factors, nodata=lc.nodata,
                              factors_label=label, progress=progress.sub(0.2, 0.95))
        result.problems[:0] = b.problems
        summary = {"input": str(raster.path), "boundary": _source(b),
                   "classes": table.attrs.get("label", str(p.classes)), "raster_crs": crs_label(lc.crs),
                   "pixel_size": [abs(lc.transform.a), abs(lc.transform.e)], **result.to_dict()}
        summary["by_code"] = [{"code": int(r.code), "class": None if pd.isna(r["class"]) else r["class"],
                               "pixels": round(float(r.pixels), 3), "area_m2": round(float(r.area_m2), 1)}
                              for _, r in result.by_code.iterrows()]
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, result, {}, summary, result.problems)

    def describe(self, s: dict) -> list[str]:
        return describe_sinks(s)


def _write_csv(path: Path, table: pd.DataFrame) -> None:
    """``table`` as UTF-8 CSV with a BOM (Excel reads the Chinese names), replaced atomically."""
    from app.outputs import _tmp_beside

    tmp = _tmp_beside(path)
    try:
        table.to_csv(tmp, index=False, encoding="utf-8-sig")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def describe_sinks(s: dict) -> list[str]:
    """Short Chinese/English summary lines of a sinks summary."""
    lines = [f"碳汇系数 Factors: {s['factors']}"]
    if s.get("boundary_area_m2") is not None:
        lines.append(f"边界面积 Boundary area: {s['boundary_area_m2'] / 1e4:,.2f} ha")
    lines.append("类别 Class: 面积 area (ha) × 系数 factor (tCO2/ha/yr) = tCO2/yr")
    for r in s["by_class"]:
        per = "ha 树冠 canopy" if r["basis"] == "canopy" else "ha"
        lines.append(f"  {r['name_zh']} {r['name_en']}: {r['area_ha']:,.2f} {per} × {r['t_co2_per_ha_yr']:g} "
                     f"= {r['t_co2_yr']:,.2f}")
    lines.append(f"合计 Total: {s['total_t_co2_yr']:,.2f} tCO2/yr "
                 f"(吸收 removals {s['removals_t_co2_yr']:,.2f}, 排放 sources {s['sources_t_co2_yr']:,.2f}); "
                 f"土地 land {s['land_area_ha']:,.2f} ha"
                 + (f", 树冠 canopy {s['canopy_area_m2'] / 1e4:,.2f} ha" if s["canopy_area_m2"] else ""))
    for e in s.get("excluded", []):
        lines.append(f"  未计入 Not counted: {e['reason']} {e['value'] if e['value'] is not None else ''} "
                     f"({e['area_m2']:,.1f} m²)")
    if (g := s.get("green_rates")) is not None:
        lines.append(f"绿化覆盖率 Green coverage: {g['green_coverage_pct'] or 0:.2f}% "
                     f"({g['coverage_m2'] / 1e4:,.2f} ha); "
                     f"绿地率 Green-land rate: {g['green_land_rate_pct'] or 0:.2f}% "
                     f"({g['green_land_m2'] / 1e4:,.2f} ha)")
    warn = [p for p in s.get("problems", []) if p["level"] != "info"]
    if warn:
        lines.append(f"注意 Warnings ({len(warn)}):")
        lines += [f"  ! {p['zh']}\n    {p['en']}" for p in warn[:8]]
    return lines
