"""``lingtan sinks``: carbon sinks of green space (vector layer and trees, or a land-cover raster)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from app.cli_support import CRS_HELP, EXIT_OK, emit
from app.outputs import _tmp_beside, write_gpkg, write_json
from gis.errors import InputError
from gis.progress import Progress

SINKS_DESCRIPTION = (
    "Annual CO2 sink (tCO2/yr; negative = a net source) of a park's green space. Vector mode: green "
    "polygons with a land-cover type field (林地/灌木/草地/湿地/水体/耕地/茶园/建设用地/裸地, or English "
    "names) → area (m², ha) × per-class factor (tCO2/ha/yr); optional tree rows/points → canopy area "
    "× the urban-canopy rate (0.28 kgC/m²/yr, Nowak et al. 2013), minus canopy inside forest polygons. "
    "Writes OUT.gpkg (layers green_sinks, tree_sinks) and OUT.json (totals by class). Raster mode "
    "(--raster): a land-cover GeoTIFF clipped to --boundary with exact pixel fractions at the edge → "
    "area and sink per class. Default factors: resources/factors/sink_factors.csv (Guangdong LULUCF "
    "2018: forest 3.9, shrub 2.1 (assumed), grassland 0.2, wetland 0.6, water 0, cropland -0.1, "
    "construction land -0.6 tCO2/ha/yr; tea garden 6.4; urban canopy 10.27 tCO2/ha canopy/yr)."
)


def register(sub) -> dict:
    p = sub.add_parser("sinks", help="carbon sinks of green space / 绿地碳汇",
                       description=SINKS_DESCRIPTION, formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("green", nargs="?", type=Path, metavar="GREEN_LAYER",
                   help="green-space polygons (any format `lingtan info` reads) with a land-cover "
                   "type field; omit with --raster")
    p.add_argument("--layer", help="layer/sheet/member of GREEN_LAYER (default: the only one)")
    p.add_argument("--crs", help=CRS_HELP + ". Applies to GREEN_LAYER, --trees and --boundary")
    p.add_argument("--type-field", metavar="F",
                   help="field holding the land-cover type. Default: the first of cover, land_cover, type, "
                   "class, 覆盖类型, 植被类型, 绿地类型, 地类, 类型, cover_en … found")
    p.add_argument("--trees", type=Path, metavar="TREES_LAYER",
                   help="tree rows (lines with tree_count or spacing_m, and canopy_width_m in m), "
                   "single trees (points with canopy_width_m/冠幅 in m) or canopy polygons. "
                   "Default: no trees")
    p.add_argument("--trees-layer", metavar="L", help="layer/sheet/member of TREES_LAYER")
    p.add_argument("--factors", type=Path, metavar="FILE",
                   help="CSV/Excel of sink factors overriding or adding to the defaults: columns "
                   "class, t_co2_per_ha_yr (tCO2/ha/yr) [, aliases (names separated by |), name_zh, name_en, "
                   "source]. Default: resources/factors/sink_factors.csv")
    p.add_argument("--skip-unknown", action="store_true",
                   help="leave out (and report) polygons whose type is not recognised instead of stopping "
                   "with an error")
    p.add_argument("--out", type=Path, metavar="OUT",
                   help="vector mode (required): OUT.gpkg (OUT.json written beside it). Raster mode "
                   "(optional): OUT.csv (table by class, UTF-8 with BOM for Excel) or OUT.json (summary)")
    p.add_argument("--raster", type=Path, metavar="LC.tif",
                   help="land-cover GeoTIFF of integer class codes (projected or lon/lat CRS)")
    p.add_argument("--boundary", type=Path, metavar="B.gpkg",
                   help="raster mode: park boundary polygon(s) (any vector format); reprojected to the "
                   "raster")
    p.add_argument("--boundary-layer", metavar="L", help="layer/sheet/member of the boundary file")
    p.add_argument("--classes", metavar="C.csv|umep|esa-worldcover",
                   help="raster mode: codes → classes. umep (1 paved, 2 buildings, 3/4 trees, 5 grass, "
                   "6 bare, 7 water), esa-worldcover (10 tree cover … 100 moss), or a CSV with code and "
                   "class columns (class: forest, grassland, … or a name such as 林地, Tree cover)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return {"sinks": run_sinks}


def run_sinks(args, progress: Progress) -> int:
    from gis.carbon.sinks import load_sink_factors
    from gis.crs import parse_crs

    if args.crs:
        parse_crs(args.crs)
    factors = load_sink_factors(args.factors)
    label = "default (resources/factors/sink_factors.csv)" + (f" + {args.factors}" if args.factors else "")
    if args.raster is not None:
        if args.green is not None:
            raise InputError("请只选一种方式：绿地图层 GREEN_LAYER 或 --raster 栅格",
                             "Give either GREEN_LAYER or --raster, not both", code="sinks.usage")
        return _run_raster(args, factors, label, progress)
    if args.green is None:
        raise InputError("请给出绿地图层（GREEN_LAYER），或用 --raster LC.tif --boundary B.gpkg --classes …",
                         "Give a green-space layer (GREEN_LAYER), or --raster LC.tif --boundary B.gpkg "
                         "--classes …", code="sinks.usage")
    if args.out is None:
        raise InputError("请用 --out OUT.gpkg 指定输出文件", "Name the output with --out OUT.gpkg",
                         code="sinks.usage")
    return _run_vector(args, factors, label, progress)


def _metric(gdf: gpd.GeoDataFrame, crs=None) -> gpd.GeoDataFrame:
    from gis.crs import metric_frame

    return gdf.to_crs(crs) if crs is not None else metric_frame(gdf)


def _run_vector(args, factors, label, progress: Progress) -> int:
    from gis.carbon.sinks import combine_sinks, tree_sinks, vector_sinks
    from gis.crs import crs_label
    from gis.io import read_vector

    progress.report(0.0, "reading green space")
    res = read_vector(args.green, layer=args.layer, crs=args.crs)
    green = _metric(res.gdf)
    parts = [vector_sinks(green, type_field=args.type_field, factors=factors,
                          unknown="exclude" if args.skip_unknown else "error", factors_label=label)]
    parts[0].problems[:0] = res.report.problems
    if args.trees is not None:
        progress.report(0.4, "reading trees")
        tres = read_vector(args.trees, layer=args.trees_layer, crs=args.crs)
        t = tree_sinks(_metric(tres.gdf, green.crs), green=parts[0].features, factors=factors,
                       factors_label=label)
        t.problems[:0] = tres.report.problems
        parts.append(t)
    result = combine_sinks(*parts)
    progress.report(0.8, "writing")
    layers = {"green_sinks": result.features}
    if result.trees is not None:
        layers["tree_sinks"] = result.trees
    write_gpkg(args.out, layers)
    summary = {"input": str(args.green), "trees_input": str(args.trees) if args.trees else None,
               "work_crs": crs_label(green.crs), **result.to_dict(),
               "outputs": {"gpkg": str(args.out), "layers": list(layers),
                           "json": str(args.out.with_suffix(".json"))}}
    write_json(args.out.with_suffix(".json"), summary)
    progress.report(1.0, "done")
    emit(args, summary, [*describe_sinks(summary), f"输出 Output: {args.out} (+ .json)"])
    return EXIT_OK


def _run_raster(args, factors, label, progress: Progress) -> int:
    from gis.carbon.landcover import load_class_table, raster_sinks
    from gis.crs import crs_label
    from gis.io import read_vector
    from gis.io.landcover import read_landcover

    if args.boundary is None or args.classes is None:
        raise InputError("栅格方式需要 --boundary（园区边界）和 --classes"
                         "（分类表：umep、esa-worldcover 或 CSV）",
                         "Raster mode needs --boundary (the park boundary) and --classes (umep, "
                         "esa-worldcover or a CSV)", code="sinks.usage")
    table = load_class_table(args.classes)
    progress.report(0.0, "reading boundary")
    b = read_vector(args.boundary, layer=args.boundary_layer, crs=args.crs)
    boundary = b.gdf
    progress.report(0.1, "reading land cover")
    lc = read_landcover(args.raster, bounds=tuple(boundary.total_bounds), bounds_crs=boundary.crs)
    result = raster_sinks(lc.codes, lc.transform, lc.crs, boundary, table, factors, nodata=lc.nodata,
                          factors_label=label, progress=progress.sub(0.2, 0.95))
    result.problems[:0] = b.report.problems
    summary = {"input": str(args.raster), "boundary": str(args.boundary),
               "classes": table.attrs.get("label", str(args.classes)), "raster_crs": crs_label(lc.crs),
               "pixel_size": [abs(lc.transform.a), abs(lc.transform.e)], **result.to_dict()}
    summary["by_code"] = [{"code": int(r.code), "class": None if pd.isna(r["class"]) else r["class"],
                           "pixels": round(float(r.pixels), 3), "area_m2": round(float(r.area_m2), 1)}
                          for _, r in result.by_code.iterrows()]
    if args.out is not None:
        if args.out.suffix.lower() == ".json":
            write_json(args.out, summary)
        elif args.out.suffix.lower() == ".csv":
            _write_csv(args.out, result.by_class)
        else:
            raise InputError("栅格方式的输出须为 .csv 或 .json 文件", "Raster-mode output must be a .csv or "
                             ".json file", path=str(args.out), code="sinks.usage")
        summary["outputs"] = {"file": str(args.out)}
    progress.report(1.0, "done")
    lines = describe_sinks(summary)
    if args.out is not None:
        lines.append(f"输出 Output: {args.out}")
    emit(args, summary, lines)
    return EXIT_OK


def _write_csv(path: Path, table) -> None:
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
    warn = [p for p in s.get("problems", []) if p["level"] != "info"]
    if warn:
        lines.append(f"注意 Warnings ({len(warn)}):")
        lines += [f"  ! {p['zh']}\n    {p['en']}" for p in warn[:8]]
    return lines
