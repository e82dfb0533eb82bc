"""Faults leave nothing partial and name the user's files: a GBK export that fails on one layer
writes no layer, one temporary naming scheme (gis.atomic) for outputs, project saves and staged
Shapefile folders, temporaries of killed runs removed by the next run, and a damaged Shapefile
reported under its own path, not that of a temporary copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from gis.errors import InputError

CRS = "EPSG:4547"


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _layers(boundary_name: str, building: str = "厂房") -> dict[str, gpd.GeoDataFrame]:
    """Buildings (drawn first) and the red line (drawn last, so written last)."""
    b = gpd.GeoDataFrame({"name": [boundary_name]}, geometry=[shapely.box(0, 0, 100, 100)], crs=CRS)
    g = gpd.GeoDataFrame({"name": [f"一号{building}", f"二号{building}"]},
                         geometry=[shapely.box(10, 10, 20, 20), shapely.box(30, 30, 40, 40)], crs=CRS)
    return {"buildings": g, "boundary": b}


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module", autouse=True)
def _qt():
    from layers.render import ensure_gui_app

    ensure_gui_app()


def test_failed_gbk_export_writes_no_layer(tmp_path):
    from app.exports.export_all import export_all

    out = tmp_path / "out"
    with pytest.raises(InputError) as e:
        export_all(({}, _layers("园区😀")), out, "shp", encoding="gbk")  # GBK has no emoji
    assert e.value.code == "export.gbk_unencodable"
    assert "boundary" in e.value.en and "boundary" in e.value.zh  # the layer that failed
    assert e.value.path == str(out / "shapefile" / "boundary.shp")  # the user's file, not a staged one
    # the buildings layer, written before the red line failed, is not left behind; nor a temporary
    assert [p for p in out.rglob("*") if p.is_file()] == []
    assert not (out / "shapefile").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_failed_gbk_export_keeps_the_previous_export(tmp_path):
    from app.exports.export_all import export_all

    out = tmp_path / "out"
    res = export_all(({}, _layers("园区")), out, "shp", encoding="gbk")
    assert all(p.parent == out / "shapefile" and p.is_file() for p in res.files["shp"])
    assert {m.path for ms in res.mappings.values() for m in ms} == {out / "shapefile" / "buildings.shp",
                                                                   out / "shapefile" / "boundary.shp"}
    before = _files(out)
    assert "shapefile/buildings.dbf" in before and "shapefile/boundary.shp" in before
    with pytest.raises(InputError):  # new buildings, and a red line GBK cannot hold
        export_all(({}, _layers("园区😀", "仓库")), out, "shp", encoding="gbk")
    assert _files(out) == before  # every file as the good export left it


def test_staged_shapefiles_move_together_and_drop_stale_sidecars(tmp_path):
    from app.exports.shapefile import staged_shapefiles, write_shapefiles

    folder = tmp_path / "layers"
    folder.mkdir()
    (folder / "buildings.qix").write_bytes(b"old spatial index")  # of an older buildings.shp
    (folder / "notes.txt").write_text("the user's own file")
    with staged_shapefiles(folder) as stage:
        assert stage.parent == folder and stage.name.startswith(f".export-lt{os.getpid()}-")
        write_shapefiles(_layers("园区")["buildings"], stage / "buildings.shp", "utf-8", layer="buildings")
        assert not (folder / "buildings.shp").exists()  # nothing in place before the block ends
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["buildings.cpg", "buildings.dbf", "buildings.prj", "buildings.shp", "buildings.shx",
                     "buildings_fields.csv", "notes.txt"]


def test_a_killed_exports_staging_folder_is_removed_by_the_next(tmp_path):
    from app.exports.export_all import export_all

    out = tmp_path / "out"
    out.mkdir()
    left = out / f".shapefile-lt{_dead_pid()}-abcd1234"  # what kill -9 during an export leaves
    left.mkdir()
    (left / "buildings.shp").write_bytes(b"half")
    export_all(({}, _layers("园区")), out, "shp")
    assert not left.exists()
    assert (out / "shapefile" / "buildings.shp").is_file()


def test_one_scheme_for_files_and_folders(tmp_path):
    from gis.atomic import clean_stale, clean_stale_in, temp_beside, temp_dir_beside

    dead = _dead_pid()
    mine = os.getpid()
    f = temp_beside(tmp_path / "p.lingtan.gpkg")
    assert f.name.startswith(f".p.lingtan-lt{mine}-") and f.name.endswith(".gpkg") and not f.exists()
    d = temp_dir_beside(tmp_path / "shapefile")
    assert d.is_dir() and d.name.startswith(f".shapefile-lt{mine}-")
    # a killed save: the temporary and what SQLite/GDAL made beside it
    stale = [tmp_path / f".p.lingtan-lt{dead}-x1y2z3.gpkg",
             tmp_path / f".p.lingtan-lt{dead}-x1y2z3.gpkg-journal",
             tmp_path / f".p.lingtan-lt{dead}-x1y2z3.gpkg.tmp_rtree_buildings.db"]
    for p in stale:
        p.write_bytes(b"x")
    other = tmp_path / f".park_map-lt{dead}-abcd.png"  # another target's
    other.write_bytes(b"x")
    users = tmp_path / ".p.lingtan-notes.gpkg"  # a user's hidden file without a pid tag
    users.write_bytes(b"x")
    assert sorted(clean_stale(tmp_path / "p.lingtan.gpkg")) == sorted(stale)
    assert other.exists() and users.exists() and d.exists()
    assert clean_stale_in(tmp_path) == [other]
    assert users.exists() and d.exists()  # this process's folder is alive


def test_project_raster_sidecar_uses_the_scheme(tmp_path):
    """Raster sidecars are written through gis.atomic.temp_beside; a killed save's temporary in
    the sidecar folder goes with the next save's clean-up."""
    from app.project_rasters import remove_unused_sidecars, sidecar_dir

    path = tmp_path / "p.lingtan.gpkg"
    folder = sidecar_dir(path)
    folder.mkdir()
    left = folder / f".dem-0123456789ab-lt{_dead_pid()}-qwer.tif"
    left.write_bytes(b"half a GeoTIFF")
    keep = folder / "dem-0123456789ab.tif"
    keep.write_bytes(b"tif")
    remove_unused_sidecars(path, {f"{folder.name}/{keep.name}"})
    assert not left.exists() and keep.exists()


def test_damaged_shapefile_names_the_users_file(tmp_path):
    """No .shx (GDAL rebuilds it on a copy in a temporary folder) and a .shp that is not one: the
    message names the user's .shp, never the copy."""
    from gis.io.read import read_vector

    d = tmp_path / "数据"
    d.mkdir()
    _layers("园区")["buildings"].to_file(d / "厂房.shp", encoding="utf-8")
    (d / "厂房.shx").unlink()
    (d / "厂房.shp").write_bytes(bytes(range(256)) + b"\x00" * 44)  # 300 bytes of garbage
    with pytest.raises(InputError) as e:
        read_vector(d / "厂房.shp")
    text = e.value.zh + e.value.en
    assert "lingtan-shx" not in text and "layer.shp" not in text and "/tmp" not in text.replace(str(d), "")
    assert str(d / "厂房.shp") in e.value.en
    assert "DRIVER" not in text  # GDAL's advice to programmers
    assert e.value.code == "shapefile.unreadable"
