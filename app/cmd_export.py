"""``lingtan export``: every result of a park as Shapefile, GeoPackage, GeoJSON, CSV, Excel, PNG maps,
QGIS/SLD styles and an offline interactive web map (app/exports, docs/exports.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress


def register(sub) -> dict:
    from app.exports.export_all import FORMATS

    p = sub.add_parser(
        "export", help="export all results: Shapefile, GeoPackage, GeoJSON, CSV, Excel, PNG, web map / 导出",
        description="Run the analyses of a park (rooftop PV, emissions, sinks, balance, indicators, "
                    "five-colour township map) — or take a saved project's results as saved (a "
                    ".lingtan.gpkg without results is analysed with its stored settings) — and write them "
                    "into OUT: shapefile/*.shp (with .cpg, .prj, a "
                    "field-name mapping NAME_fields.csv and QGIS .qml/.sld styles), park.gpkg (all layers, "
                    "QGIS default styles), geojson/*.geojson (RFC 7946, WGS84), csv/*.csv (UTF-8 with BOM), "
                    "park.xlsx (summary, PV per building, emissions per enterprise, sinks, balance, "
                    "indicators, townships), park_map.png and township_intensity.png, and park.html "
                    "(interactive map that works offline). See docs/exports.md.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("project", type=Path, nargs="?",
                   help="project file: PROJECT.json (see docs/carbon.md) or a saved PROJECT.lingtan.gpkg")
    p.add_argument("--sample", action="store_true", help="use the embedded sample park instead of a project")
    p.add_argument("--out", type=Path, required=True, metavar="DIR",
                   help="output folder (created if missing)")
    p.add_argument("--formats", default=",".join(FORMATS), metavar="LIST",
                   help=f"comma-separated formats to write, from {', '.join(FORMATS)} (or 'all')")
    p.add_argument("--encoding", default="utf-8", choices=("utf-8", "gbk"),
                   help="Shapefile text encoding: utf-8 (QGIS, ArcGIS 10+), or gbk for older ArcGIS and "
                        "MapGIS (.cpg 936, DBF language byte 0x4D)")
    p.add_argument("--dpi", type=float, default=200, help="resolution of the PNG maps, dots per inch "
                   "(recorded in the file; sizes text and symbols)")
    p.add_argument("--size", default="2000x1500", metavar="WxH", help="size of the PNG maps in pixels")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of headers, legends and maps")
    p.add_argument("--csv-wkt", action="store_true",
                   help="add the geometry as WKT (WGS84 lon/lat) to the CSVs")
    p.add_argument("--basemap", metavar="URL", help="XYZ tile URL template ({z}/{x}/{y}) for the web map; "
                   "the page then loads tiles from the internet. Default: no basemap, fully offline")
    p.add_argument("--basemap-attribution", default="", metavar="TEXT",
                   help="attribution shown for --basemap (e.g. '© OpenStreetMap contributors')")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return {"export": run_export}


def parse_size(text: str) -> tuple[int, int]:
    """"2000x1500" (also ×, X, *, comma) → (2000, 1500); InputError otherwise."""
    parts = str(text).lower().replace("×", "x").replace("*", "x").replace(",", "x").split("x")
    try:
        w, h = (int(float(v)) for v in parts)
    except ValueError:
        raise InputError(f"--size 应为 宽x高（像素），例如 2000x1500，而不是“{text}”",
                         f"--size must be WIDTHxHEIGHT in pixels, e.g. 2000x1500, not '{text}'",
                         code="export.size") from None
    return w, h


def load_results(args, progress: Progress):
    """What to export: the ParkResults of ``--sample`` or a .json project (analysed now), or a saved
    .lingtan.gpkg project's results — its saved layers and summary as they are
    (:func:`app.exports.export_all.saved_results`, nothing re-run), or, when it holds no results,
    its park analysed with the project's stored choices (factor set, indicator set, weather,
    module, losses, tilt/azimuth, grid factor: :mod:`app.analysis_settings`)."""
    from app.results import AnalysisOptions, run_park_analyses
    from gis.park import load_park, load_sample_park

    if args.sample:
        park = load_sample_park(progress.sub(0.0, 0.1))
        options = AnalysisOptions()
    elif args.project is None:
        raise InputError("请给出项目文件（PROJECT.json 或 .lingtan.gpkg），或用 --sample",
                         "Give a project file (PROJECT.json or .lingtan.gpkg), or --sample",
                         code="export.inputs")
    elif args.project.name.lower().endswith(".gpkg"):
        from app.analysis_settings import run_project_analyses
        from app.exports.export_all import saved_results
        from app.project_file import load_project

        ws = load_project(args.project, progress.sub(0.0, 0.1))
        saved = saved_results(ws)
        if saved is not None:
            return saved
        if ws.park is None:
            raise InputError("项目中既没有分析结果，也没有园区红线和建筑，无法导出",
                             "The project holds neither results nor a park boundary and buildings to export",
                             path=str(args.project), code="export.no_park")
        return run_project_analyses(ws.park, ws, progress.sub(0.1, 0.6))
    else:
        from app.project import read_project

        sources, opts = read_project(args.project)
        park = load_park(sources, progress.sub(0.0, 0.1))
        options = AnalysisOptions.from_project(opts)
    return run_park_analyses(park, options, progress.sub(0.1, 0.6))


def describe_export(summary: dict) -> list[str]:
    lines = []
    for fmt, files in summary["files"].items():
        shown = ", ".join(files[:3]) + (f" … (+{len(files) - 3})" if len(files) > 3 else "")
        lines.append(f"{fmt}: {shown}")
    renamed = {k: v for k, v in summary.get("renamed_fields", {}).items() if v}
    if renamed:
        n = sum(len(v) for v in renamed.values())
        lines.append(f"Shapefile 字段改名 renamed fields: {n}（见 see *_fields.csv）")
    for p in summary.get("problems", []):
        lines.append(f"注意 Note: {p['zh']} / {p['en']}")
    return lines


def run_export(args, progress: Progress = NO_PROGRESS) -> int:
    from app.cli_support import EXIT_OK, emit
    from app.exports.export_all import export_all, parse_formats

    formats = parse_formats(args.formats)
    size = parse_size(args.size)
    basemap = (args.basemap, args.basemap_attribution) if args.basemap else None
    results = load_results(args, progress)
    res = export_all(results, args.out, formats, args.encoding, progress.sub(0.6, 1.0), lang=args.lang,
                     dpi=args.dpi, size=size, basemap=basemap, csv_wkt=args.csv_wkt)
    summary = res.summary()
    emit(args, summary, [f"导出 Exported to {args.out}", *describe_export(summary)])
    return EXIT_OK
