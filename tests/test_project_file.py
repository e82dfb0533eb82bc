"""Project files (.lingtan.gpkg): round trip, independent readers, atomic save, errors, recovery."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely

from app import project_file, project_rasters
from app.project_file import load_project, save_project
from app.project_recovery import autosave_path, discard_recovery, find_recovery, recovery_info, write_autosave
from app.results import run_park_analyses
from app.workspace import Workspace
from gis.errors import InputError
from gis.park import load_sample_park
from layers.style_io import style_to_dict

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def park():
    return load_sample_park()


@pytest.fixture(scope="module")
def results(park):
    return run_park_analyses(park)


@pytest.fixture
def ws(park, results):
    w = Workspace()
    w.set_results(results)
    # user edits that must survive: order, visibility, opacity, a title, settings
    pv = w.layer("rooftop_pv")
    pv.opacity = 0.7
    w.layer("green").visible = False
    w.tree.move(w.layer("tree_rows"), w.group("inputs"), 0)
    w.layer("buildings").title = "厂房与办公楼"
    w.set_setting("analysis", {"pv": {"losses_pct": 12.5}})
    w.set_setting("view", {"extent": [1.0, 2.0, 3.0, 4.0]})
    return w


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "userdata"
    monkeypatch.setenv("LINGTAN_DATA_DIR", str(d))
    return d


def _state(w: Workspace):
    tree = [(g.name, g.visible, [(c.name, c.title, c.visible, c.opacity, len(c.gdf),
                                  json.dumps(style_to_dict(c.style), sort_keys=True))
                                 for c in g.children]) for g in w.tree.root.children]
    return tree


def test_round_trip(ws, tmp_path, park, results):
    path = tmp_path / "park.lingtan.gpkg"
    save_project(ws, path)
    assert ws.path == path and not ws.dirty
    back = load_project(path)
    assert back.path == path and not back.dirty
    assert _state(back) == _state(ws)
    assert back.settings == ws.settings
    assert back.summary["pv"]["kwh_yr"] == results.summary["pv"]["kwh_yr"]
    assert back.summary["carbon"]["balance"]["scenarios"][0]["lines"]["net_t_co2"] == pytest.approx(
        results.summary["carbon"]["balance"]["scenarios"][0]["lines"]["net_t_co2"])
    assert back.summary["buildings"]["count"] == 619
    # data: geometries and values as they were
    a, b = ws.layer("rooftop_pv").gdf, back.layer("rooftop_pv").gdf
    assert b.crs == a.crs
    assert shapely.equals_exact(a.geometry.to_numpy(), b.geometry.to_numpy(), tolerance=1e-6).all()
    assert (b["kwh_yr"].to_numpy() == a["kwh_yr"].to_numpy()).all()
    assert list(b["name"].fillna("")) == list(a["name"].fillna(""))
    # the park comes back usable for new analyses, with its tables
    assert back.park.name == park.name and back.park.crs == park.crs
    pd.testing.assert_frame_equal(back.park.enterprises.reset_index(drop=True),
                                  park.enterprises.reset_index(drop=True), check_dtype=False)
    again = run_park_analyses(back.park)
    assert again.summary["pv"]["kwh_yr"] == pytest.approx(results.summary["pv"]["kwh_yr"], rel=1e-9)
    assert again.summary["intensity"]["classification"]["counts"] == \
        results.summary["intensity"]["classification"]["counts"]


def test_independent_readers_see_every_layer(ws, tmp_path):
    path = save_project(ws, tmp_path / "p.lingtan.gpkg")
    listed = {str(n) for n in pyogrio.list_layers(path)[:, 0]}
    names = {lyr.name for lyr in ws.layers()}
    assert names <= listed
    assert {"lingtan_project", "layer_styles", "lingtan_table_enterprises", "lingtan_table_township_stats"} \
        <= listed
    with sqlite3.connect(path) as con:
        contents = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
        for lyr in ws.layers():
            assert contents[lyr.name] == "features"
            assert con.execute(f'SELECT COUNT(*) FROM "{lyr.name}"').fetchone()[0] == len(lyr.gdf)
        titles = dict(con.execute("SELECT table_name, identifier FROM gpkg_contents"))
        assert titles["rooftop_pv"] == "屋顶光伏" and titles["buildings"] == "厂房与办公楼"
        doc = con.execute("SELECT value FROM lingtan_project WHERE key = 'document'").fetchone()[0]
        doc = json.loads(doc)
        rows = con.execute("SELECT f_table_name, f_geometry_column, styleQML, useAsDefault "
                           "FROM layer_styles").fetchall()
        geom_cols = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
    assert doc["format"] == "lingtan-project" and doc["format_version"] == 1
    assert {r[0] for r in rows} == names
    for table, geom, qml, default in rows:
        assert geom == geom_cols[table] and default == 1
        root = ET.fromstring(qml)
        assert root.tag == "qgis" and root.find("renderer-v2") is not None
    # QGIS-side view of one style: the five-colour map is a graduated/categorized renderer on "class"
    towns_qml = next(q for t, _, q, _ in rows if t == "township_intensity")
    assert ET.fromstring(towns_qml).find("renderer-v2").get("attr") == "class"


def test_save_is_atomic_when_writing_fails(ws, tmp_path, monkeypatch, results):
    path = tmp_path / "p.lingtan.gpkg"
    save_project(ws, path)
    before = path.read_bytes()
    ws.remove_layer(ws.layer("rooftop_pv"))
    real = pyogrio.write_dataframe
    calls = []

    def failing(df, target, **kw):
        calls.append(kw.get("layer"))
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(df, target, **kw)

    monkeypatch.setattr(pyogrio, "write_dataframe", failing)
    with pytest.raises(OSError):
        save_project(ws, path)
    monkeypatch.setattr(pyogrio, "write_dataframe", real)
    assert path.read_bytes() == before
    assert load_project(path).layer("rooftop_pv") is not None  # the old project, intact
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left
    assert ws.dirty  # not saved


def test_replace_refused_is_bad_input(ws, tmp_path, monkeypatch):
    path = tmp_path / "p.lingtan.gpkg"
    save_project(ws, path)
    before = path.read_bytes()

    def locked(src, dst):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(project_file.os, "replace", locked)
    with pytest.raises(InputError) as e:
        save_project(ws, path)
    assert e.value.code == "project.locked" and "QGIS" in e.value.en
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name != "userdata"] == [path.name]


KILL_SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    import geopandas as gpd, shapely
    from benchmarks.synthetic_city import footprints
    from app.workspace import Workspace
    from app.project_file import save_project
    from layers.presets import styled_layer
    ws = Workspace()
    b = footprints(100_000)
    for k in range(2):
        ws.add_layer(styled_layer(f"big{{k}}", b))
    print("saving", flush=True)
    save_project(ws, {path!r})
    print("saved", flush=True)
""")


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_killed_while_saving_leaves_old_file_loadable(ws, tmp_path):
    path = tmp_path / "p.lingtan.gpkg"
    save_project(ws, path)
    before = path.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT.format(repo=str(REPO), path=str(path))],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO)
    try:
        assert proc.stdout.readline().strip() == "saving"
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(f".p.lingtan-lt{proc.pid}-") for p in tmp_path.iterdir()):  # it grows
            assert time.monotonic() < deadline and proc.poll() is None, "save never started"
            time.sleep(0.01)
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    back = load_project(path)
    assert _state(back) == _state(ws)
    # the one temporary scheme of gis.atomic: .STEM-ltPID-XXXX.gpkg
    stale = [p for p in tmp_path.iterdir() if p.name.startswith(f".p.lingtan-lt{proc.pid}-")]
    assert stale and all(".gpkg" in p.name for p in stale)  # the killed save's temporary ...
    save_project(ws, path)
    # ... which the next save removes
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".p.lingtan-lt")]


def test_errors(tmp_path, ws):
    with pytest.raises(InputError) as e:
        load_project(tmp_path / "missing.lingtan.gpkg")
    assert e.value.code == "project.missing"
    text = tmp_path / "notes.lingtan.gpkg"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_project(text)
    assert e.value.code == "project.not_project" and e.value.zh and e.value.en
    plain = tmp_path / "plain.gpkg"
    pyogrio.write_dataframe(ws.layer("boundary").gdf, plain, layer="boundary")
    with pytest.raises(InputError) as e:
        load_project(plain)
    assert e.value.code == "project.not_project" and "Open Data" in e.value.en
    path = save_project(ws, tmp_path / "p.lingtan.gpkg")
    with sqlite3.connect(path) as con:
        con.execute("UPDATE lingtan_project SET value = '99' WHERE key = 'format_version'")
    with pytest.raises(InputError) as e:
        load_project(path)
    assert e.value.code == "project.newer" and "99" in e.value.en
    with sqlite3.connect(path) as con:
        con.execute("UPDATE lingtan_project SET value = '1' WHERE key = 'format_version'")
        con.execute("UPDATE lingtan_project SET value = '{\"layers\": ' WHERE key = 'document'")
    with pytest.raises(InputError) as e:
        load_project(path)
    assert e.value.code == "project.corrupt"
    path = save_project(ws, tmp_path / "q.lingtan.gpkg")
    with sqlite3.connect(path) as con:
        con.execute('DROP TABLE "rooftop_pv"')
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'rooftop_pv'")
    with pytest.raises(InputError) as e:
        load_project(path)
    assert e.value.code == "project.corrupt" and "rooftop_pv" in e.value.en


def test_unwritable_folder_is_bad_input(ws, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError) as e:
        save_project(ws, blocker / "sub" / "p.lingtan.gpkg")
    assert e.value.code == "project.not_writable"


def test_autosave_and_recovery_after_a_crash(ws, tmp_path, data_dir):
    project = tmp_path / "p.lingtan.gpkg"
    save_project(ws, project)
    ws.layer("boundary").visible = False
    assert ws.dirty
    auto = write_autosave(ws)
    assert auto.parent == data_dir / "recovery" and auto == autosave_path(project)
    assert ws.dirty and ws.path == project and ws.autosave_file == auto
    assert find_recovery() == []  # this process still runs: its autosave is not a crash
    # a "crash": another process autosaves and dies without cleaning up
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(REPO)!r})
        from app.project_file import load_project
        from app.project_recovery import write_autosave
        ws = load_project({str(project)!r})
        ws.layer("boundary").visible = False
        ws.set_setting("note", "unsaved work")
        write_autosave(ws)
        os._exit(1)
    """)
    time.sleep(0.05)  # the autosave must be newer than the project
    subprocess.run([sys.executable, "-c", script], check=False, cwd=REPO,
                   env={**os.environ, "LINGTAN_DATA_DIR": str(data_dir)})
    found = find_recovery()
    assert len(found) == 1 and found[0] != auto
    info = recovery_info(found[0])
    assert info.project == project and info.park_name == ws.park.name and info.layers == len(ws.layers())
    recovered = load_project(found[0], as_path=info.project)
    assert recovered.path == project and recovered.settings["note"] == "unsaved work"
    assert not recovered.layer("boundary").visible
    # once the project is saved after it, the recovery file is stale and goes away
    time.sleep(0.05)
    save_project(recovered, project)
    assert find_recovery() == [] and not found[0].exists()
    discard_recovery(auto)
    assert not auto.exists()


def test_untitled_autosave_then_save_as(park, tmp_path, data_dir):
    ws = Workspace()
    ws.set_park(park)
    auto = write_autosave(ws)
    assert auto.name.startswith("untitled-")
    doc = project_file.read_document(auto)
    assert doc["autosave"]["project"] is None and doc["autosave"]["pid"] == os.getpid()
    ws.set_path(tmp_path / "named.lingtan.gpkg")
    auto2 = write_autosave(ws)
    assert auto2 != auto and not auto.exists()  # the untitled copy is replaced by the named one


# ---------------------------------------------------------------- File menu actions (GUI)


@pytest.fixture
def settings_dir(tmp_path):
    from app.gui.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings")
    yield tmp_path / "settings"


@pytest.fixture
def window(qtbot, settings_dir, ws):
    from PySide6.QtWidgets import QWidget

    class FakeWindow(QWidget):
        """What project_actions needs of the main window."""

        def __init__(self, workspace):
            super().__init__()
            self.workspace = workspace
            self.tasks = []

        def set_workspace(self, w):
            self.workspace = w

        def track_task(self, handle):
            self.tasks.append(handle)

    w = FakeWindow(ws)
    qtbot.addWidget(w)
    return w


def _done(handle, timeout=60):
    assert handle.wait(timeout) and handle.state == "done", (handle.state, handle.error)
    return handle


def test_save_as_open_and_recent(window, tmp_path, monkeypatch):
    from app.gui import project_actions as pa

    target = tmp_path / "mine"
    monkeypatch.setattr(pa, "choose_save_path", lambda mw: pa.project_path(target))
    _done(pa.save_project(window))  # untitled → Save As
    saved = tmp_path / "mine.lingtan.gpkg"
    assert window.workspace.path == saved and not window.workspace.dirty and saved.exists()
    assert pa.recent_files() == [saved.resolve()]
    before = _state(window.workspace)
    handle = pa.open_project(window, saved)
    _done(handle)
    assert window.workspace is handle.result and _state(window.workspace) == before
    assert window.tasks[-1] is handle  # progress shown in the status bar
    # recent: newest first, no duplicates, at most 8
    for k in range(10):
        p = tmp_path / f"r{k}.lingtan.gpkg"
        p.write_bytes(b"")
        pa.add_recent(p)
    pa.add_recent(saved)
    files = pa.recent_files()
    assert len(files) == 8 and files[0] == saved.resolve() and len(set(files)) == 8
    (tmp_path / "r9.lingtan.gpkg").unlink()
    assert (tmp_path / "r9.lingtan.gpkg").resolve() not in pa.recent_files()


def test_edit_during_save_stays_dirty(window, tmp_path):
    from app.gui import project_actions as pa

    handle = pa.save_to(window, tmp_path / "p.lingtan.gpkg")
    window.workspace.layer("boundary").visible = False  # the user goes on working
    _done(handle)
    assert window.workspace.path == tmp_path / "p.lingtan.gpkg" and window.workspace.dirty
    assert load_project(tmp_path / "p.lingtan.gpkg").layer("boundary").visible  # the snapshot's state


def test_maybe_save_answers(window, tmp_path, monkeypatch):
    from app.gui import project_actions as pa

    monkeypatch.setattr(pa, "ask_save_changes", lambda mw: "cancel")
    assert pa.maybe_save(window) is False
    assert pa.new_project(window) is None and window.workspace.layer("buildings") is not None
    monkeypatch.setattr(pa, "ask_save_changes", lambda mw: "save")
    monkeypatch.setattr(pa, "choose_save_path", lambda mw: None)  # the user closes the file chooser
    assert pa.maybe_save(window) is False
    monkeypatch.setattr(pa, "choose_save_path", lambda mw: tmp_path / "x.lingtan.gpkg")
    assert pa.maybe_save(window) is True and (tmp_path / "x.lingtan.gpkg").exists()
    assert not window.workspace.dirty
    window.workspace.layer("boundary").visible = False
    monkeypatch.setattr(pa, "ask_save_changes", lambda mw: "discard")
    new = pa.new_project(window)
    assert window.workspace is new and not new.tree.layers()
    assert pa.maybe_save(window) is True  # empty: nothing to ask


def test_autosave_timer_and_clean_save(window, tmp_path, data_dir, qtbot):
    from app.gui import project_actions as pa

    saver = pa.install(window, minutes=0.002)  # 0.12 s
    ws = window.workspace
    qtbot.waitUntil(lambda: ws.autosave_file is not None and ws.autosave_file.exists(), timeout=10_000)
    auto = ws.autosave_file
    assert auto.parent == data_dir / "recovery" and ws.dirty and ws.path is None
    assert recovery_info(auto).project is None
    saver.set_interval(0)
    assert saver.autosave_now() is None  # nothing changed since
    ws.layer("boundary").visible = False
    _done(saver.autosave_now())
    _done(pa.save_to(window, tmp_path / "p.lingtan.gpkg"))
    assert not auto.exists() and ws.autosave_file is None  # a clean save removes the recovery copy
    assert saver.autosave_now() is None  # clean: no autosave
    ws.layer("boundary").visible = True
    _done(saver.autosave_now())
    assert ws.autosave_file == autosave_path(tmp_path / "p.lingtan.gpkg")
    pa.on_close(window)
    assert not list((data_dir / "recovery").glob("*.lingtan.gpkg"))


def test_offer_recovery_at_start(window, tmp_path, data_dir, monkeypatch):
    from app.gui import project_actions as pa
    from app.project_file import snapshot, write_snapshot

    project = tmp_path / "p.lingtan.gpkg"
    save_project(window.workspace, project)
    window.workspace.set_setting("note", "after the save")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    time.sleep(0.05)
    crashed = autosave_path(project, pid=int(dead))
    write_snapshot(snapshot(window.workspace, autosave_of=project), crashed)
    asked = []
    monkeypatch.setattr(pa, "ask_recover", lambda mw, info: asked.append(info) or "later")
    assert pa.offer_recovery(window) is None and crashed.exists()
    assert asked[0].project == project
    monkeypatch.setattr(pa, "ask_recover", lambda mw, info: "recover")
    window.set_workspace(Workspace())
    handle = _done(pa.offer_recovery(window))
    ws = window.workspace
    assert ws is handle.result and ws.path == project and ws.dirty
    assert ws.settings["note"] == "after the save" and ws.autosave_file == crashed
    # the first autosave of this session replaces the crashed copy
    _done(pa.install(window, minutes=0).autosave_now())
    assert not crashed.exists() and ws.autosave_file == autosave_path(project)
    monkeypatch.setattr(pa, "ask_recover", lambda mw, info: "discard")
    write_snapshot(snapshot(ws, autosave_of=project), crashed)
    assert pa.offer_recovery(window) is None and not crashed.exists()


# ---- raster layers ------------------------------------------------------------------------------

def _raster_cases():
    import numpy as np

    rng = np.random.default_rng(7)
    f32 = (rng.normal(0, 1e5, (23, 31))).astype("float32")
    f32[0, :3] = [np.nan, np.inf, -np.inf]
    i16 = rng.integers(-32768, 32767, (23, 31), endpoint=True).astype("int16")
    i16[0, :2] = [-32768, 32767]
    u16 = rng.integers(0, 65535, (23, 31), endpoint=True).astype("uint16")
    u16[0, :2] = [0, 65535]
    return {
        "f32": (f32, "gpkg"), "i16": (i16, "gpkg"), "u16": (u16, "gpkg"),
        "u8": (rng.integers(0, 255, (23, 31), endpoint=True).astype("uint8"), "gpkg"),
        "i8": (rng.integers(-128, 127, (23, 31), endpoint=True).astype("int8"), "gpkg"),
        "i32_small": (rng.integers(-30000, 30000, (23, 31)).astype("int32"), "gpkg"),
        "i32_float": (rng.integers(-2 ** 24, 2 ** 24, (23, 31)).astype("int32"), "gpkg"),
        "i32_big": (rng.integers(-2 ** 31, 2 ** 31 - 1, (23, 31)).astype("int64"), "geotiff"),
        "f64_exact": (rng.integers(0, 1000, (23, 31)).astype("float64") / 4, "gpkg"),
        "f64": (rng.random((23, 31)) * 1e3, "geotiff"),
        "rgb": (rng.integers(0, 255, (23, 31, 3), endpoint=True).astype("uint8"), "gpkg"),
        "rgba": (rng.integers(0, 255, (23, 31, 4), endpoint=True).astype("uint8"), "gpkg"),
    }


def test_raster_layers_round_trip_exactly(tmp_path):
    """Every kind of grid comes back with the same values and dtype: in the GeoPackage where GDAL
    can hold it exactly (checked with rasterio reading the table), else as a sidecar GeoTIFF."""
    import numpy as np
    import rasterio
    from pyproj import CRS

    from layers.raster import RasterLayer

    w = Workspace()
    t = (440_123.5, 2.5, 0.0, 3_380_777.25, 0.0, -2.5)
    cases = _raster_cases()
    for name, (a, _) in cases.items():
        nodata = -1 if a.ndim == 2 and a.dtype.kind in "if" else None
        w.add_layer(RasterLayer(name, a, t, "EPSG:32650", nodata=nodata))
    w.add_layer(RasterLayer("rotated", cases["f32"][0], (0.0, 2.0, 0.5, 0.0, 0.5, -2.0), None))
    w.add_layer(RasterLayer("no_crs", cases["u16"][0], t, None))
    path = save_project(w, tmp_path / "r.lingtan.gpkg")
    doc = project_file.read_document(path)
    storage = {e["name"]: e["storage"] for e in doc["rasters"]}
    assert storage == {**{k: v for k, (_, v) in cases.items()}, "rotated": "geotiff", "no_crs": "gpkg"}
    in_gpkg = project_rasters.gpkg_raster_tables(path)
    assert {e["table"] for e in doc["rasters"] if e["storage"] == "gpkg"} == in_gpkg
    with rasterio.open(path, TABLE="f32") as ds:  # GDAL itself reads the float32 coverage
        assert np.array_equal(ds.read(1), cases["f32"][0], equal_nan=True)
    with rasterio.open(path, TABLE="rgb") as ds:
        assert np.array_equal(np.moveaxis(ds.read([1, 2, 3]), 0, -1), cases["rgb"][0])
    back = load_project(path)
    assert back.missing_layers == []
    for name, (a, _) in cases.items():
        lyr = back.tree.find(name)
        assert lyr.array.dtype == a.dtype, name
        assert np.array_equal(lyr.array, a, equal_nan=a.dtype.kind == "f"), name
        assert lyr.transform == t and CRS.from_user_input(lyr.crs) == CRS.from_epsg(32650), name
    assert back.tree.find("rotated").transform == (0.0, 2.0, 0.5, 0.0, 0.5, -2.0)
    assert back.tree.find("no_crs").crs is None


def test_missing_layers_are_named(tmp_path):
    """A layer the document names but the file does not hold (a raster of an older Lingtan, a
    sidecar left behind) is listed by its name, not by an internal lookup token."""
    tree = {"version": 1, "root": {"type": "group", "name": "", "children": [
        {"type": "layer", "kind": "raster", "name": "dem", "title": "高程", "table": None},
        {"type": "group", "name": "g", "children": [
            {"type": "layer", "kind": "raster", "name": "ortho", "table": None, "raster": "ortho"}]}]}}
    built = project_file.tree_from_dict(tree, {}, {})
    assert built.missing == ["dem", "ortho"]
