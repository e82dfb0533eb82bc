"""The ``lingtan`` command line: one command, subcommands for each job.

Conventions: a short human summary on stdout (``--json``: the same as JSON, for scripts);
progress on stderr when it is a terminal; exit codes 0 ok, 2 bad input (with a message in
Chinese and English), 1 a bug (traceback saved to a log file), 130 cancelled (Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
from pathlib import Path

from app import __version__
from app.terminal import ProgressBar
from gis.errors import CrsNeeded, InputError
from gis.progress import Cancelled, Progress

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130

CRS_HELP = ("CRS of the data when the file has none (or to override it): EPSG code (EPSG:4549), "
            "wgs84, cgcs2000, beijing1954, xian1980, a Gauss-Kruger zone such as "
            "cgcs2000-gk3-40 (3° zone 40, easting with zone prefix) or cgcs2000-gk3-cm120 "
            "(central meridian 120°E, no prefix), or gcj02 / bd09 to remove the Amap/Tencent or "
            "Baidu web-map offset (converted to WGS84). Default: from the file (.prj); lon/lat "
            "ranges without one are taken as WGS84")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lingtan",
        description="零碳 Lingtan — 零碳园区规划 GIS / GIS for zero-carbon industrial-park planning.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--version", action="version", version=f"lingtan {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo", help="run the main job on the embedded sample park / 示例园区",
        description="Load the embedded sample park (resources/sample) through the same readers "
                    "users use, validate and project it to the local metric CRS, and write "
                    "OUT/summary.json and OUT/park.gpkg.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    demo.add_argument("--out", type=Path, default=Path("demo_out"),
                      help="output folder (created if missing)")
    demo.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")

    info = sub.add_parser(
        "info", help="describe a GIS file: format, layers, CRS, encoding, fields, problems",
        description="Describe a vector file (Shapefile, zip, GeoPackage, GeoJSON, KML/KMZ, DXF, "
                    "CSV/Excel with WKT or coordinates): format, layers, CRS, text encoding, "
                    "geometry types, feature count, fields and the problems found. Exit code 2 "
                    "when the file cannot be used as it is.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    info.add_argument("file", type=Path, help="the file to describe")
    info.add_argument("--layer", help="layer (GeoPackage/KML), sheet (Excel) or member (zip); "
                                      "default: the only one, else all are listed")
    info.add_argument("--crs", help=CRS_HELP)
    info.add_argument("--encoding", help="force the attribute text encoding (e.g. gbk, utf-8); "
                                         "default: .cpg, then DBF language byte, then detected")
    info.add_argument("--json", action="store_true", help="print the description as JSON")
    return parser


def _cmd_demo(args, progress: Progress) -> int:
    from app.demo import describe, run_demo

    summary = run_demo(args.out, progress)
    _emit(args, summary, describe(summary))
    return EXIT_OK


def _cmd_info(args, progress: Progress) -> int:
    from gis.crs import parse_crs
    from gis.io import inspect_vector

    if args.crs:
        parse_crs(args.crs)  # a mistyped --crs is a usage error, reported before reading
    progress.report(0.0, "reading")
    _, report = inspect_vector(args.file, layer=args.layer, crs=args.crs, encoding=args.encoding)
    progress.report(1.0, "done")
    d = report.to_dict()
    lines = [
        f"文件 File: {d['path']}",
        f"格式 Format: {d['format'] or '?'}" + (f"   图层 Layers: {', '.join(d['layers'])}"
                                               if d["layers"] else "")
        + (f"   (读取 reading: {d['layer']})" if d["layer"] and len(d["layers"]) > 1 else ""),
        f"坐标系 CRS: {d['crs']} ({d['crs_source']})",
        f"编码 Encoding: {d['encoding'] or '-'}"
        + (f" ({d['encoding_source']}: {d['encoding_detail']})" if d["encoding"] else ""),
        "几何 Geometry: " + (", ".join(f"{k} ×{v}" for k, v in d["geometry_types"].items())
                             or "-"),
        f"要素 Features: {d['feature_count']}",
        f"字段 Fields ({len(d['fields'])}): "
        + ", ".join(f"{k} ({v})" for k, v in d["fields"].items()),
    ]
    if d["bounds"]:
        lines.append("范围 Bounds: " + ", ".join(f"{v:.6g}" for v in d["bounds"]))
    if report.problems:
        lines.append(f"问题 Problems ({len(report.problems)}):")
        marks = {"error": "✗", "warning": "!", "info": "·"}
        lines += [f"  {marks[p.level]} {p.text('zh')}\n    {p.text('en')}" for p in report.problems]
    else:
        lines.append("问题 Problems: none / 无")
    _emit(args, d, lines)
    return EXIT_BAD_INPUT if report.errors else EXIT_OK


def _emit(args, data: dict, lines: list[str]) -> None:
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")


COMMANDS = {"demo": _cmd_demo, "info": _cmd_info}


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # never die on a console that can't show Chinese
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    bar = ProgressBar()
    progress = Progress(callback=bar)
    try:
        return COMMANDS[args.command](args, progress)
    except CrsNeeded as exc:
        bar.close()
        sys.stderr.write(f"错误 Error:\n{exc.text()}\n")
        if exc.candidates:
            sys.stderr.write("可能的坐标系 Likely CRSs: " + "; ".join(
                f"{c} ({why})" for c, why in exc.candidates) + "\n")
        return EXIT_BAD_INPUT
    except InputError as exc:
        bar.close()
        sys.stderr.write(f"错误 Error:\n{exc.text()}\n")
        return EXIT_BAD_INPUT
    except (KeyboardInterrupt, Cancelled):
        bar.close()
        sys.stderr.write("已取消，未写入不完整的结果。 / Cancelled; no partial results were written.\n")
        return EXIT_CANCELLED
    except Exception:  # a bug: keep the traceback for the report, not on the user's screen
        bar.close()
        log = Path(tempfile.gettempdir()) / f"lingtan-crash-{time.strftime('%Y%m%d-%H%M%S')}.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        sys.stderr.write("内部错误（程序缺陷），请把日志发给开发者： / Internal error (a bug); please "
                         f"send this log to the developers: {log}\n")
        return EXIT_BUG
    finally:
        bar.close()


if __name__ == "__main__":
    raise SystemExit(main())
