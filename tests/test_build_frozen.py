"""The frozen-build spec and its check script: what Qt is bundled, the hostile environment, entry points.

The build itself (minutes) runs in .ci/run through packaging/build_frozen.py, not here.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import PySide6

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_installer.spec"


def _load_build_frozen():
    spec = importlib.util.spec_from_file_location("build_frozen", ROOT / "packaging" / "build_frozen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_frozen = _load_build_frozen()


def _spec_constant(name: str):
    """A literal assigned at the top level of build_installer.spec (read as text, not executed)."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} not found in build_installer.spec")


def _pyside6_imports() -> set[str]:
    """PySide6 modules imported anywhere in app/, gis/ and layers/ (read from the source)."""
    found = set()
    for folder in ("app", "gis", "layers"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in re.finditer(r"(?:from|import)\s+PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")):
                found.add(match.group(1))
    return found


def test_code_imports_only_the_qt_modules_the_build_keeps():
    """Importing another Qt module in the code needs the spec (QT_UNUSED) and USED_PYSIDE6 changed."""
    used = _pyside6_imports()
    assert used <= set(build_frozen.USED_PYSIDE6), used - set(build_frozen.USED_PYSIDE6)
    assert not used & set(_spec_constant("QT_UNUSED"))


def test_spec_excludes_every_installed_qt_module_the_app_does_not_use():
    installed = {p.name.split(".")[0] for p in Path(PySide6.__file__).parent.iterdir()
                 if p.name.startswith("Qt") and p.suffix in (".so", ".pyd")}
    assert {"QtCore", "QtGui", "QtWidgets"} <= installed
    unused = installed - set(build_frozen.USED_PYSIDE6)
    assert unused <= set(_spec_constant("QT_UNUSED")), unused - set(_spec_constant("QT_UNUSED"))
    assert "QtWebEngineCore" in _spec_constant("QT_UNUSED")  # the app has no web view


def test_plugin_kinds_allowed_by_the_check_are_the_spec_s():
    assert set(_spec_constant("QT_PLUGINS")) == build_frozen.ALLOWED_QT_PLUGIN_KINDS


def test_forbidden_qt_names():
    names = ["Qt6Core", "Qt6Gui", "Qt6DBus", "Qt6Widgets", "Qt6Network", "Qt6Svg", "Qt6OpenGL",
             "QtCore", "QtGui", "QtWidgets", "QtNetwork"]
    assert build_frozen.forbidden_qt(names) == []
    assert build_frozen.forbidden_qt(["Qt6WebEngineCore", "Qt6Qml", "QtQuick", "QtSvg", "Qt6Pdf"]) == [
        "Qt6WebEngineCore", "Qt6Qml", "QtQuick", "QtSvg", "Qt6Pdf"]


def test_bundled_qt_reads_a_folder_layout(tmp_path):
    internal = tmp_path / "_internal"
    (internal / "PySide6" / "Qt" / "lib").mkdir(parents=True)
    for name in ("PySide6/QtCore.abi3.so", "PySide6/QtQml.abi3.so", "PySide6/Qt/lib/libQt6Gui.so.6",
                 "Qt6Widgets.dll", "PySide6/QtGui.pyd"):
        (internal / name).write_bytes(b"x")
    assert build_frozen.bundled_qt(internal) == ["Qt6Gui", "Qt6Widgets", "QtCore", "QtGui", "QtQml"]
    assert build_frozen.forbidden_qt(build_frozen.bundled_qt(internal)) == ["QtQml"]


def test_frozen_env_is_hostile_and_headless(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("DISPLAY", ":0")
    env = build_frozen.frozen_env()
    assert "PYTHONPATH" not in env and "DISPLAY" not in env
    assert env["QT_QPA_PLATFORM"] == "offscreen"  # Linux (the suite's platform)
    for name in ("PROJ_LIB", "PROJ_DATA", "GDAL_DATA", "GDAL_DRIVER_PATH"):
        assert env[name].startswith("/nonexistent/")


def test_spec_bundles_the_data_the_issue_names():
    text = SPEC.read_text(encoding="utf-8")
    for needle in ('collect_data_files("pyogrio", includes=["gdal_data/**", "proj_data/**"])',
                   'collect_data_files("rasterio", includes=["gdal_data/**", "proj_data/**"])',
                   'collect_data_files("pvlib"', 'collect_data_files("windpowerlib"',
                   '(str(root / "resources"), "resources")', "pyi_rth_lingtan.py"):
        assert needle in text, needle
    # the pvlib examples left out are really example weather files, not data pvlib reads itself
    import pvlib

    data = Path(pvlib.__file__).parent / "data"
    for name in _spec_constant("PVLIB_EXAMPLES"):
        assert (data / name).exists(), name
    pvlib_src = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                          for p in Path(pvlib.__file__).parent.glob("*.py"))
    for name in _spec_constant("PVLIB_EXAMPLES"):
        assert name not in pvlib_src, f"pvlib's own code reads {name}"


def test_entry_scripts_and_runtime_hook_exist():
    for name in ("lingtan_cli.py", "lingtan_gui.py", "pyi_rth_lingtan.py"):
        assert (ROOT / "packaging" / name).is_file()
    assert "app.entry import main" in (ROOT / "packaging" / "lingtan_cli.py").read_text(encoding="utf-8")
    assert "app.gui.app import main" in (ROOT / "packaging" / "lingtan_gui.py").read_text(encoding="utf-8")


def test_gui_main_passes_the_path(monkeypatch, tmp_path):
    """``lingtan-gui PATH`` (Windows file association) hands PATH to the window."""
    import app.gui.app as gui_app

    seen = {}
    monkeypatch.setattr(gui_app, "run_gui", lambda project=None, **kw: seen.setdefault("p", project) and 0)
    gui_app.main([str(tmp_path / "x.lingtan.gpkg")])
    assert seen["p"] == tmp_path / "x.lingtan.gpkg"
    seen.clear()
    gui_app.main([])
    assert seen["p"] is None


def test_renamed_project_is_still_a_project(tmp_path):
    """A project saved as ``*.lingtan.gpkg`` and renamed to ``*.gpkg`` (opened through the .gpkg
    association) is recognised by its table; an ordinary GeoPackage is not."""
    import sqlite3

    from app.project_file import META_TABLE, is_project_file

    renamed = tmp_path / "park #2 100%.gpkg"  # characters a file URI must escape
    with sqlite3.connect(renamed) as con:
        con.execute(f"CREATE TABLE {META_TABLE} (key TEXT, value TEXT)")
    plain = tmp_path / "roads.gpkg"
    with sqlite3.connect(plain) as con:
        con.execute("CREATE TABLE roads (id INTEGER)")
    assert is_project_file(renamed)
    assert not is_project_file(plain)
    assert is_project_file(tmp_path / "new.lingtan.gpkg")  # by name, even before it exists
    assert not is_project_file(tmp_path / "missing.gpkg")


def test_windowed_app_logs_escaped_errors(monkeypatch, tmp_path):
    """``lingtan-gui.exe`` has no console: an error escaping a slot goes to a crash log and a box;
    while the box is open, further errors are logged without more boxes (a failing paint repeats)."""
    import sys

    import app.gui.app as gui_app
    import app.gui.tasks as tasks

    class Box:
        def __init__(self):
            self.slots = []
            self.finished = self
        def connect(self, slot):
            self.slots.append(slot)

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(sys, "stderr", None)  # as in a windowed program
    monkeypatch.setattr(tempfile_mod(), "gettempdir", lambda: str(tmp_path))
    shown = []

    def fake_show_error(parent, exc, **kw):
        shown.append((exc, kw))
        return Box()

    monkeypatch.setattr(tasks, "show_error", fake_show_error)
    gui_app.install_excepthook()

    def escape(message):
        try:
            raise ValueError(message)
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)

    escape("boom")
    escape("again")
    assert [str(e) for e, _ in shown] == ["boom"]  # one box at a time
    logs = sorted(tmp_path.glob("lingtan-crash-*.log"))
    assert len(logs) == 2  # both logged, none overwritten
    assert shown[0][1]["log_path"] in logs and "ValueError: boom" in shown[0][1]["tb"]


def tempfile_mod():
    import tempfile

    return tempfile


def test_scrub_dll_path_drops_other_gdal_folders_only(tmp_path):
    """Windows: rasterio adds every PATH folder holding gdal*.dll to the DLL search; the frozen app
    takes such folders (QGIS, OSGeo4W) off PATH, keeps the rest and anything inside the bundle."""
    from gis.geo_env import scrub_dll_path

    osgeo = tmp_path / "OSGeo4W" / "bin"
    other = tmp_path / "Windows" / "System32"
    bundle = tmp_path / "Lingtan" / "_internal"
    for folder in (osgeo, other, bundle):
        folder.mkdir(parents=True)
    (osgeo / "gdal312.dll").write_bytes(b"x")
    (bundle / "gdal-abc.dll").write_bytes(b"x")
    path = ";".join([str(osgeo), str(other), "", str(bundle)])
    assert scrub_dll_path(path, bundle, sep=";") == ";".join([str(other), "", str(bundle)])


FROZEN_START = """
import json, os, sys, sysconfig
sys.frozen = True
sys._MEIPASS = sysconfig.get_paths()["purelib"]  # the wheels' own layout, as in the bundle
from gis.geo_env import apply_bundle_env, geo_data_report
apply_bundle_env()
rounds = [[(r.library, r.data_dir, r.proj_db_version, r.proj_version, r.transform_ok, r.matching)
           for r in geo_data_report()] for _ in range(2)]
print(json.dumps(rounds))
"""


def test_each_library_keeps_its_own_proj_db_in_a_frozen_start():
    """A frozen start with QGIS's settings in the environment: pyproj, rasterio and pyogrio each use
    the proj.db of their own PROJ release, also after rasterio re-reads the environment in Env()."""
    import json
    import os
    import subprocess
    import sys
    import sysconfig

    env = dict(os.environ, PROJ_LIB="/nonexistent/qgis/share/proj", PROJ_DATA="/nonexistent/qgis/proj",
               GDAL_DATA="/nonexistent/qgis/gdal", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", FROZEN_START], env=env, capture_output=True, text=True,
                         check=True, cwd=ROOT, timeout=120).stdout
    site = Path(sysconfig.get_paths()["purelib"])
    expected = {"pyproj": site / "pyproj" / "proj_dir" / "share" / "proj",
                "rasterio": site / "rasterio" / "proj_data", "pyogrio": site / "pyogrio" / "proj_data"}
    for round_ in json.loads(out.strip().splitlines()[-1]):
        for library, data_dir, db_version, proj_version, ok, matching in round_:
            assert Path(data_dir) == expected[library], (library, data_dir)
            assert ok and matching, (library, db_version, proj_version)
            if proj_version:
                assert db_version.split(".")[:2] == proj_version.split(".")[:2]


def test_self_test_runs_when_resources_are_broken(monkeypatch, tmp_path, capsys):
    """``lingtan --self-test`` exists to diagnose a broken installation: with an empty resources
    folder it reports failed steps and exits 1 (the main parser, which reads resources, is skipped)."""
    from app.cli import main

    empty = tmp_path / "resources"
    empty.mkdir()
    monkeypatch.setenv("LINGTAN_RESOURCES", str(empty))
    code = main(["--self-test", "--out", str(tmp_path / "out"), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1
    assert "[FAIL]" in out and (tmp_path / "out").is_dir()
