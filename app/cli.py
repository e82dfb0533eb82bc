"""The ``lingtan`` command line: one command, subcommands for each job.

Conventions: a short human summary on stdout (``--json``: the same as JSON, for scripts);
progress on stderr when it is a terminal; exit codes 0 ok, 2 bad input (with a message in
Chinese and English), 1 a bug (traceback saved to a log file), 130 cancelled (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

from app import __version__
from app.cli_support import CRS_HELP, EXIT_BAD_INPUT, EXIT_BUG, EXIT_CANCELLED, EXIT_OK, emit
from app.terminal import ProgressBar
from gis.errors import CrsNeeded, InputError
from gis.progress import Cancelled, Progress


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
    _register_command_modules(sub)
    return parser


COMMAND_MODULES = ("app.processing.cli", "app.park_new", "app.cmd_carbon")
"""Modules that add subcommands: each has ``register(sub) -> {name: run(args, progress) -> int}``."""


def _register_command_modules(sub) -> None:
    import importlib

    for name in COMMAND_MODULES:
        COMMANDS.update(importlib.import_module(name).register(sub))


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


COMMANDS = {"demo": _cmd_demo, "info": _cmd_info, "gui": _cmd_gui}


class _Interrupts:
    """Ctrl-C for the command line. The first one is only noted: the work stops at its next
    progress report (they come at least every second) and the command ends with exit code 130.
    Raising at once would land wherever Python happens to be, and that can be inside a callback
    of Qt, GDAL or a weakref, where it aborts the interpreter or is swallowed with a traceback.
    A second Ctrl-C while the work runs raises KeyboardInterrupt at once."""

    def __init__(self) -> None:
        import threading

        self.seen = threading.Event()
        self._previous = None
        self._armed = False
        self._main = threading.current_thread() is threading.main_thread()

    def install(self) -> _Interrupts:
        import signal

        if self._main:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.seen.is_set() and self._armed:
            raise KeyboardInterrupt
        self.seen.set()

    def arm(self) -> None:
        self._armed = True

    def restore(self) -> None:
        import signal

        if self._main and self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None

    def ignore(self) -> None:
        """Ignore Ctrl-C from now on: the command is ending with its exit code."""
        import signal

        if self._main:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            self._previous = None


def _cancelled() -> int:
    sys.stderr.write("已取消，未写入不完整的结果。 / Cancelled; no partial results were written.\n")
    return EXIT_CANCELLED


def main(argv: list[str] | None = None, interrupted_early: bool = False) -> int:
    """Run the command line; ``interrupted_early``: Ctrl-C arrived before this module was loaded
    (noted by :mod:`app.entry`)."""
    for stream in (sys.stdout, sys.stderr):  # never die on a console that can't show Chinese
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    interrupts = _Interrupts().install()
    if interrupted_early:
        interrupts.seen.set()
    try:
        code = _main(argv, interrupts)
    except KeyboardInterrupt:
        code = _cancelled()
    if code == EXIT_CANCELLED or interrupts.seen.is_set():
        interrupts.ignore()  # a second Ctrl-C (or a late one) must not turn exit 130 into a crash
    else:
        interrupts.restore()
    return code


def _main(argv: list[str] | None, interrupts: _Interrupts) -> int:
    check_argv = _self_test_argv(sys.argv[1:] if argv is None else list(argv))
    if check_argv is not None:  # before build_parser: works even when resources/ is incomplete
        from app.self_test import run_self_test

        check = _self_test_options().parse_args(check_argv)
        interrupts.arm()
        return run_self_test(out_dir=check.out, keep=check.keep, lang=check.lang)
    try:
        parser = build_parser()
    except InputError as exc:  # e.g. a damaged resources folder the parser reads defaults from
        sys.stderr.write(f"错误 Error:\n{exc.text()}\n")
        return EXIT_BAD_INPUT
    args = parser.parse_args(argv)
    if interrupts.seen.is_set():
        return _cancelled()
    if args.command is None:  # no arguments: the desktop app (help on a machine without a display)
        if not _can_show_windows():
            parser.print_help()
            sys.stderr.write("\n没有图形显示，无法打开桌面程序。 / "
                             "No display: the desktop app cannot open here.\n")
            return EXIT_OK
        from app.gui.app import run_gui

        interrupts.restore()
        return run_gui()
    bar = ProgressBar()

    def report(fraction: float, message: str) -> None:
        if interrupts.seen.is_set():
            raise Cancelled()
        bar(fraction, message)

    progress = Progress(callback=report)
    interrupts.arm()
    try:
        code = COMMANDS[args.command](args, progress)
        return _cancelled() if interrupts.seen.is_set() else code
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
        return _cancelled()
    except OSError as exc:
        bar.close()
        if exc.errno not in _ENVIRONMENT_ERRNOS:
            return _bug()
        sys.stderr.write(f"错误 Error:\n{_environment_text(exc)}\n")
        return EXIT_BAD_INPUT
    except Exception:  # a bug: keep the traceback for the report, not on the user's screen
        bar.close()
        return _bug()
    finally:
        bar.close()


def _bug() -> int:
    """A bug: keep the traceback for the report, not on the user's screen."""
    log = Path(tempfile.gettempdir()) / f"lingtan-crash-{time.strftime('%Y%m%d-%H%M%S')}.log"
    log.write_text(traceback.format_exc(), encoding="utf-8")
    sys.stderr.write("内部错误（程序缺陷），请把日志发给开发者： / Internal error (a bug); please "
                     f"send this log to the developers: {log}\n")
    return EXIT_BUG


def _errnos() -> dict[int, tuple[str, str]]:
    import errno

    return {errno.ENOSPC: ("磁盘已满", "disk full"), errno.EDQUOT: ("磁盘配额已用完", "disk quota exceeded"),
            errno.EROFS: ("磁盘只读", "read-only disk")}


_ENVIRONMENT_ERRNOS = _errnos()
"""Errors of the machine, not of Lingtan: reported like bad input (exit 2), never as a bug."""


def _environment_text(exc: OSError) -> str:
    zh, en = _ENVIRONMENT_ERRNOS[exc.errno]
    where = f"{exc.filename}: " if exc.filename else ""
    return (f"{where}{zh}，文件未写入（已写的部分已删除）；请腾出空间或换一个文件夹后重试\n"
            f"{where}{en}: the file was not written (what was written was removed); free some space or "
            "choose another folder and try again")


if __name__ == "__main__":
    raise SystemExit(main())
