"""Build ``build_installer.spec`` here (Linux or Windows) and run the frozen ``--self-test`` headless.

    python packaging/build_frozen.py [--dist DIR] [--work DIR] [--skip-build] [--report FILE.json]

Needs PyInstaller (``pip install -e ".[build]"``). Prints the build time, the size of the one-folder
build and its largest parts, checks that no unused Qt module was bundled, then runs
``dist/lingtan/lingtan --self-test`` from an empty folder with a hostile environment (another
installation's PROJ_LIB/GDAL_DATA/GDAL_DRIVER_PATH, no PYTHONPATH, no display), as on a planner's
machine with QGIS installed. Exit code 0 when the build and the self-test pass.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_installer.spec"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""

#: The PySide6 modules Lingtan imports; any other PySide6 module in the bundle is dead weight.
USED_PYSIDE6 = ("QtCore", "QtGui", "QtWidgets", "QtNetwork")
#: Qt libraries that must not be in the bundle (the Linux Qt GUI library itself needs Qt6DBus, and
#: the X11 plugin Qt6OpenGL, so those two may appear as libraries).
FORBIDDEN_QT_LIBS = ("WebEngine", "Qml", "Quick", "3D", "Charts", "Multimedia", "Pdf", "Designer", "Sql",
                     "Test", "UiTools", "Help", "Wayland", "EglFS")

#: Qt plugin kinds the spec keeps (build_installer.spec QT_PLUGINS; tests/test_build_frozen.py keeps
#: the two in step); any other kind in the bundle means the spec's plugin filter missed.
ALLOWED_QT_PLUGIN_KINDS = {"platforms", "imageformats", "iconengines", "tls", "platforminputcontexts",
                           "xcbglintegrations", "styles"}

#: Settings of another GDAL/PROJ installation (QGIS, OSGeo4W) that the frozen app must ignore.
HOSTILE_ENV = {"PROJ_LIB": "/nonexistent/qgis/share/proj", "PROJ_DATA": "/nonexistent/qgis/share/proj",
               "GDAL_DATA": "/nonexistent/qgis/share/gdal", "GDAL_DRIVER_PATH": "/nonexistent/gdalplugins"}


def folder_size(path: Path) -> tuple[int, int]:
    """(bytes, files) of everything under ``path``."""
    total = count = 0
    for folder, _, names in os.walk(path):  # symlinks (Linux: libs linked into _internal/) not counted
        for name in names:
            p = Path(folder, name)
            if not p.is_symlink():
                total += p.stat().st_size
                count += 1
    return total, count


def largest_parts(internal: Path, n: int = 12) -> list[tuple[str, int]]:
    """The ``n`` largest entries directly under ``_internal`` (folders summed), bytes."""
    sizes = []
    for p in internal.iterdir():
        if p.is_symlink():
            continue
        size = folder_size(p)[0] if p.is_dir() else p.stat().st_size
        sizes.append((p.name, size))
    return sorted(sizes, key=lambda t: -t[1])[:n]


def bundled_qt(internal: Path) -> list[str]:
    """Names of Qt libraries and PySide6 modules in the bundle (``Qt6Gui``, ``QtWidgets``…)."""
    names = set()
    for p in internal.rglob("*"):
        stem = p.name.split(".")[0]
        if stem.startswith(("libQt6", "Qt6")):
            names.add(stem.removeprefix("lib"))
        elif p.parent.name == "PySide6" and stem.startswith("Qt") and p.suffix in (".so", ".pyd", ".abi3"):
            names.add(stem)
    return sorted(names)


def qt_plugin_kinds(internal: Path) -> list[str]:
    """The Qt plugin folders in the bundle (``platforms``, ``imageformats``…)."""
    kinds = set()
    for plugins in (internal / "PySide6" / "Qt" / "plugins", internal / "PySide6" / "plugins"):
        if plugins.is_dir():
            kinds.update(p.name for p in plugins.iterdir() if p.is_dir())
    return sorted(kinds)


def forbidden_qt(names: list[str]) -> list[str]:
    """The bundled Qt names (from :func:`bundled_qt`) that belong to modules Lingtan doesn't use."""
    bad = []
    for name in names:
        if name.startswith("Qt6"):
            if name.removeprefix("Qt6").startswith(FORBIDDEN_QT_LIBS):
                bad.append(name)
        elif name not in USED_PYSIDE6:
            bad.append(name)
    return bad


def build(dist: Path, work: Path) -> float:
    """Run PyInstaller on the spec; seconds taken."""
    t0 = time.perf_counter()
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)
    return time.perf_counter() - t0


def frozen_env() -> dict[str, str]:
    """A clean, headless environment with another GDAL installation's settings in it."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "DISPLAY", "WAYLAND_DISPLAY")}
    env.update(HOSTILE_ENV)
    if sys.platform != "win32":  # Linux CI has no display; Windows checks its real platform plugin
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "venv" not in p)
    return env


def run_self_test(app_dir: Path) -> tuple[int, float, str]:
    """Run the frozen ``lingtan --self-test`` from an empty folder: (exit code, seconds, output)."""
    exe = app_dir / f"lingtan{EXE_SUFFIX}"
    with tempfile.TemporaryDirectory(prefix="lingtan-frozen-") as cwd:
        t0 = time.perf_counter()
        proc = subprocess.run([str(exe), "--self-test"], cwd=cwd, env=frozen_env(), capture_output=True,
                              text=True, encoding="utf-8", errors="replace", timeout=900)
        seconds = time.perf_counter() - t0
    return proc.returncode, seconds, proc.stdout + proc.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="PyInstaller --distpath")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller --workpath")
    parser.add_argument("--skip-build", action="store_true", help="test an existing build only")
    parser.add_argument("--report", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    app_dir = args.dist / "lingtan"
    figures: dict = {"machine": f"{platform.platform()}, {os.cpu_count()} cores, Python "
                                f"{platform.python_version()}"}
    if not args.skip_build:
        try:
            import PyInstaller
        except ImportError:
            print('PyInstaller is missing: pip install -e ".[build]"', file=sys.stderr)
            return 2
        figures["pyinstaller"] = PyInstaller.__version__
        figures["build_s"] = round(build(args.dist, args.work), 1)
    if not (app_dir / f"lingtan{EXE_SUFFIX}").exists():
        print(f"no build at {app_dir}", file=sys.stderr)
        return 2

    size, files = folder_size(app_dir)
    figures.update(size_mb=round(size / 1e6, 1), files=files)
    internal = app_dir / "_internal"
    figures["largest_mb"] = {name: round(b / 1e6, 1) for name, b in largest_parts(internal)}
    qt = bundled_qt(internal)
    figures["qt"] = qt
    bad_qt = forbidden_qt(qt)
    kinds = qt_plugin_kinds(internal)
    figures["qt_plugins"] = kinds
    bad_qt += [f"plugins/{k}" for k in kinds if k not in ALLOWED_QT_PLUGIN_KINDS]

    print(f"\nmachine: {figures['machine']}")
    if "build_s" in figures:
        print(f"build: {figures['build_s']} s (PyInstaller {figures['pyinstaller']})")
    print(f"size: {figures['size_mb']} MB in {files} files ({app_dir})")
    parts = ", ".join(f"{k} {v} MB" for k, v in figures["largest_mb"].items())
    print(f"largest parts of _internal/: {parts}")
    print("Qt: " + ", ".join(qt))
    print("Qt plugins: " + ", ".join(kinds))
    if bad_qt:
        print(f"FAIL: unused Qt modules bundled: {', '.join(bad_qt)}")

    code, seconds, output = run_self_test(app_dir)
    figures.update(self_test_exit=code, self_test_s=round(seconds, 1))
    print(f"\n--- frozen lingtan --self-test (exit {code}, {seconds:.1f} s, hostile GDAL/PROJ env) ---")
    print(output.rstrip())
    if args.report:
        args.report.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    ok = code == 0 and not bad_qt
    print(f"\nfrozen build check: {'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
