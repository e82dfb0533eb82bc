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


def _self_test_options() -> argparse.ArgumentParser:
    """The self-test's options (a parser of its own: it must work when resources/ is broken, which
    the main parser reads for some defaults)."""
    check = argparse.ArgumentParser(
        prog="lingtan self-test",
        description="Check this installation without network: bundled data (GDAL/PROJ, pvlib, "
                    "windpowerlib, resources), the sample park, every analysis, a PDF report and a "
                    "Shapefile written to a temporary folder and read back, and the main window "
                    "drawn off-screen. Exit code 0 when every check passed (docs/self-test.md). "
                    "Also: lingtan --self-test [--out DIR] [--keep] [--lang zh|en].",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    check.add_argument("--out", type=Path, help="write the files here and keep them "
                       "(default: a temporary folder, deleted after a successful run)")
    check.add_argument("--keep", action="store_true", help="keep the temporary folder")
    check.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language")
    return check


def _self_test_argv(argv: list[str]) -> list[str] | None:
    """The self-test's own options when ``argv`` asks for it (``--self-test …`` or ``self-test …``)."""
    if argv and argv[0] == "self-test":
        return argv[1:]
    if "--self-test" in argv:
        return [a for a in argv if a != "--self-test"]
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lingtan",
        description="零碳 Lingtan — 零碳园区规划 GIS / GIS for zero-carbon industrial-park planning.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--version", action="version", version=f"lingtan {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="check this installation offline (sample park, every analysis, PDF, "
                             "Shapefile) and exit 0 when all passed [--out DIR] [--keep] [--lang] / 自检")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("self-test", parents=[_self_test_options()], add_help=False,
                   help="check this installation offline / 安装自检 (lingtan self-test -h)")

    demo = sub.add_parser(
        "demo", help="run the main job on the embedded sample park / 示例园区",
        description="Load the embedded sample park (resources/sample) through the same readers "
                    "users use, validate and project it to the local metric CRS, estimate its rooftop "
                    "PV (built-in climatology, neighbour shading), and write OUT/summary.json and "
                    "OUT/park.gpkg (with the per-building layer rooftop_pv).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    demo.add_argument("--out", type=Path, default=Path("demo_out"),
                      help="output folder (created if missing)")
    demo.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    demo.add_argument("--gui", action="store_true",
                      help="open the sample park in the desktop app with all analyses done "
                      "(no files written)")

    gui = sub.add_parser(
        "gui", help="open the desktop app (also: lingtan with no arguments) / 打开桌面程序",
        description="Open the desktop application, optionally with a project (*.lingtan.gpkg).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    gui.add_argument("project", type=Path, nargs="?", help="a Lingtan project to open")
    gui.add_argument("--lang", choices=("zh", "en"),
                     help="interface language (default: the saved setting, else the system's)")

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
    _add_pv_parser(sub)
    _register_command_modules(sub)
    return parser


COMMAND_MODULES = ("app.cmd_carbon", "app.cmd_sinks", "app.cmd_balance", "app.cmd_intensity",
                   "app.cmd_pv_array", "app.cmd_wind", "app.cmd_report", "app.cmd_export")
"""Modules that add subcommands: each has ``register(sub) -> {name: run(args, progress) -> int}``."""


def _register_command_modules(sub) -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # not written yet
                continue
            raise
        COMMANDS.update(module.register(sub))


def _add_pv_parser(sub) -> None:
    from gis.grid_factors import DEFAULT_GRID_FACTOR_KEY, grid_factor_table
    from gis.solar.layout import LayoutSettings, ModuleSpec, flat_tilt_default_deg

    d, m = LayoutSettings(), ModuleSpec()
    pv = sub.add_parser(
        "pv", help="rooftop PV potential of every building / 屋顶光伏潜力",
        description="Rooftop PV potential per building: roof class, usable area, module layout, "
                    "capacity (kWp), yearly and monthly energy (kWh) with shading by taller "
                    "neighbours, and avoided CO2. Writes OUT.gpkg (layer rooftop_pv) and OUT.json. "
                    "Weather: --weather FILE, else a PVGIS download with --network, else the "
                    "built-in CSWD climatology interpolated to the site.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    pv.add_argument("buildings", type=Path, help="building footprints (any format `lingtan info` reads); "
                    "height from a height or floors field; roof type from roof_type/屋面类型 if present")
    pv.add_argument("--out", type=Path, required=True, metavar="OUT.gpkg",
                    help="output GeoPackage (OUT.json written beside it)")
    pv.add_argument("--layer", help="layer/sheet/member of the buildings file")
    pv.add_argument("--crs", help=CRS_HELP)
    pv.add_argument("--encoding", help="force the attribute text encoding (e.g. gbk)")
    pv.add_argument("--weather", type=Path, metavar="FILE",
                    help="hourly weather file: EPW (CSWD/IWEC/TMYx), TMY2/TMY3, "
                    "PVGIS TMY or hourly (csv/json), or a CSV with time, GHI [, DNI, DHI, temperature, "
                    "wind]. Default: built-in climatology (CSWD stations) interpolated to the site")
    pv.add_argument("--network", action="store_true", help="allow downloading a PVGIS TMY for the site "
                    "(cached on disk) when no --weather is given; off by default")
    pv.add_argument("--altitude", type=float, metavar="M", help="site altitude above sea level, m, for the "
                    "built-in climatology (temperature lapse rate, clearness). Default: estimated from "
                    "the nearest stations")
    pv.add_argument("--keep-components", action="store_true", help="use a weather file's DNI as it is even "
                    "when DNI·cosZ + DHI falls more than 3%% short of GHI (default: DNI is rescaled month "
                    "by month, as most CSWD files need)")
    pv.add_argument("--fix-time-base", action="store_true", help="shift the irradiance of weather files "
                    "whose radiation is centred off solar noon (several CSWD files are ~1 h late)")
    pv.add_argument("--tilt", type=float, metavar="DEG",
                    help="force this module tilt (deg) on every roof. Default: "
                    f"{flat_tilt_default_deg():g}° in rows on flat roofs, the roof slope on metal/pitched")
    pv.add_argument("--azimuth", type=float, metavar="DEG",
                    help="force this azimuth (deg clockwise from north, "
                    "180 = south) on every roof. Default: south for rows, the roof planes otherwise")
    pv.add_argument("--no-shading", action="store_true", help="skip shading by neighbouring buildings")
    pv.add_argument("--dsm", type=Path, metavar="DSM.tif",
                    help="digital surface model GeoTIFF (metres, projected CRS): "
                    "trees, roof structures and terrain add to the footprint shading where it covers "
                    "the roofs")
    pv.add_argument("--losses", type=float, default=14.0, metavar="PCT",
                    help="DC system losses, %% (PVWatts default)")
    keys = ", ".join(grid_factor_table()["key"])
    pv.add_argument("--grid-factor", default=DEFAULT_GRID_FACTOR_KEY, metavar="KEY",
                    help="grid emission factor for "
                    f"avoided CO2 (resources/factors/grid_emission_factors.csv): {keys}")
    pv.add_argument("--setback", type=float, default=d.setback_m, metavar="M",
                    help="clear edge strip on roofs, m")
    pv.add_argument("--gcr", type=float, metavar="R",
                    help="ground-coverage ratio of rows on flat roofs (0.1–1). "
                    "Default: from no shading 9:00–15:00 on the winter solstice at the site")
    pv.add_argument("--min-usable", type=float, default=d.min_usable_m2, metavar="M2",
                    help="roofs with less usable area (m²) get no PV")
    pv.add_argument("--module-w", type=float, default=m.power_w, metavar="W", help="module power, W")
    pv.add_argument("--module-size", metavar="LxW", default=f"{m.length_m}x{m.width_m}",
                    help="module length x width, m")
    pv.add_argument("--json", action="store_true", help="print the summary as JSON")


def _cmd_demo(args, progress: Progress) -> int:
    from app.demo import describe, run_demo

    if getattr(args, "gui", False):
        from app.gui.app import run_gui

        return run_gui(demo=True)

    summary = run_demo(args.out, progress)
    emit(args, summary, describe(summary))
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
    emit(args, d, lines)
    return EXIT_BAD_INPUT if report.errors else EXIT_OK


def _cmd_pv(args, progress: Progress) -> int:
    from app.pv import describe_pv, run_rooftop, write_pv
    from gis.crs import parse_crs
    from gis.io import read_vector
    from gis.solar.energy import SystemSettings
    from gis.solar.layout import LayoutSettings, ModuleSpec
    from gis.solar.rooftop import PVSettings

    if args.crs:
        parse_crs(args.crs)
    try:
        length, width = (float(v) for v in args.module_size.lower().split("x"))
    except ValueError:
        raise InputError(f"组件尺寸“{args.module_size}”应写成 长x宽（米），如 2.278x1.134",
                         f"Module size '{args.module_size}' must be LENGTHxWIDTH in m, e.g. 2.278x1.134",
                         code="pv.module") from None
    settings = PVSettings(
        layout=LayoutSettings(module=ModuleSpec(args.module_w, length, width), setback_m=args.setback,
                              min_usable_m2=args.min_usable, flat_gcr=args.gcr,
                              forced_tilt_deg=args.tilt, forced_azimuth_deg=args.azimuth),
        system=SystemSettings(losses_pct=args.losses), shading=not args.no_shading,
        grid_factor_key=args.grid_factor)
    progress.report(0.0, "reading buildings")
    res = read_vector(args.buildings, layer=args.layer, crs=args.crs, encoding=args.encoding)
    result = run_rooftop(res.gdf, settings, weather_path=args.weather, allow_network=args.network,
                         fix_time_base=args.fix_time_base, dsm_path=args.dsm, altitude_m=args.altitude,
                         restore_components=not args.keep_components,
                         progress=progress.sub(0.05, 0.95))
    result.problems[:0] = res.report.problems
    progress.report(0.95, "writing")
    summary = write_pv(args.out, result)
    progress.report(1.0, "done")
    emit(args, summary, [*describe_pv(summary), f"输出 Output: {args.out} (+ .json)"])
    return EXIT_OK


def _cmd_gui(args, progress: Progress) -> int:
    from app.gui.app import run_gui

    if args.project is not None and not args.project.exists():
        raise InputError("项目文件不存在", "Project file not found", path=str(args.project),
                         code="file.missing")
    return run_gui(args.project, lang=args.lang)


def _can_show_windows() -> bool:
    """False on a Linux/BSD machine without a display (a server over ssh)."""
    import os

    if not sys.platform.startswith(("linux", "freebsd")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def emit(args, data: dict, lines: list[str]) -> None:
    """Print ``lines`` (or ``data`` as JSON with ``--json``) on stdout."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")


COMMANDS = {"demo": _cmd_demo, "info": _cmd_info, "pv": _cmd_pv, "gui": _cmd_gui}


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # never die on a console that can't show Chinese
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    check_argv = _self_test_argv(sys.argv[1:] if argv is None else list(argv))
    if check_argv is not None:  # before build_parser: works even when resources/ is incomplete
        from app.self_test import run_self_test

        check = _self_test_options().parse_args(check_argv)
        return run_self_test(out_dir=check.out, keep=check.keep, lang=check.lang)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:  # no arguments: the desktop app (help on a machine without a display)
        if not _can_show_windows():
            parser.print_help()
            sys.stderr.write("\n没有图形显示，无法打开桌面程序。 / "
                             "No display: the desktop app cannot open here.\n")
            return EXIT_OK
        from app.gui.app import run_gui

        return run_gui()
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
