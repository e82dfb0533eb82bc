"""Projects with a GeoParquet layer read by view: stored by the file's path (relative to the project when
possible) with its style, never its rows; reopened read by view; a missing file is a bilingual warning.

Independent references: the project's GeoPackage is read with sqlite3 (its tables, its JSON document),
the layer's rows are compared with the frame written here, styles with their own dict form.
"""

from __future__ import annotations

import json
import shutil
import sqlite3

import geopandas as gpd
import numpy as np
import pytest
import shapely

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CRS = "EPSG:4547"
X0, Y0 = 500_000.0, 3_300_000.0
N = 3_000


def buildings(n: int = N) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(3)
    x, y = rng.uniform(X0, X0 + 3000, n), rng.uniform(Y0, Y0 + 3000, n)
    return gpd.GeoDataFrame({"fid": np.arange(n), "height_m": rng.uniform(3, 60, n)},
                            geometry=shapely.box(x, y, x + 12, y + 9), crs=CRS)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "userdata"))


@pytest.fixture
def project(tmp_path):
    """A folder with data/b.parquet and a project holding it (styled, retitled) and a small ordinary
    layer; returns (project path, parquet path, the frame written, the saved style dict)."""
    from app.project_file import save_project
    from app.workspace import Workspace
    from layers.layer import VectorLayer
    from layers.parquet_source import ParquetLayer, ParquetSource
    from layers.style import range_style
    from layers.style_io import style_to_dict

    folder = tmp_path / "job"
    (folder / "data").mkdir(parents=True)
    gdf = buildings()
    src = folder / "data" / "b.parquet"
    gdf.to_parquet(src, write_covering_bbox=True, row_group_size=500)
    ws = Workspace(lang="en")
    ws.add_layer(VectorLayer("red_line", gpd.GeoDataFrame(
        {"name": ["park"]}, geometry=[shapely.box(X0, Y0, X0 + 3000, Y0 + 3000)], crs=CRS)))
    layer = ParquetLayer("b", ParquetSource(src), max_features=1000)
    layer.style = range_style(gdf["height_m"], "height_m", breaks=[10, 20, 40],
                              colours=["#ffffcc", "#fd8d3c", "#bd0026", "#800026"], title_en="Height")
    layer.title = "全县建筑"
    layer.opacity = 0.6
    ws.add_layer(layer)
    path = folder / "county.lingtan.gpkg"
    save_project(ws, path)
    return path, src, gdf, style_to_dict(layer.style)


def document(path) -> dict:
    with sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True) as con:
        (doc,) = con.execute("SELECT value FROM lingtan_project WHERE key = 'document'").fetchone()
        tables = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
    return json.loads(doc), tables


def entries(node):
    for c in node.get("children", []):
        yield from entries(c) if c.get("type") == "group" else [c]


def test_saved_by_path_relative_to_the_project_not_its_rows(project):
    path, src, _, style = project
    doc, tables = document(path)
    (entry,) = [e for e in entries(doc["tree"]["root"]) if e.get("name") == "b"]
    assert entry["table"] is None and entry["parquet"]["file"] == "data/b.parquet"
    assert entry["parquet"]["path"] == str(src.resolve())
    assert entry["style"] == style and entry["title"] == "全县建筑" and entry["opacity"] == 0.6
    assert "red_line" in tables and not any(t.startswith("b") for t in tables)  # no copy of the rows
    assert [d["name"] for d in doc["layers"]] == ["red_line"]


def test_reopened_read_by_view_also_after_moving_the_folder(project, tmp_path):
    from app.project_file import load_project
    from layers.parquet_source import ROW_KEY, ParquetLayer
    from layers.style_io import style_to_dict

    path, _, gdf, style = project
    moved = tmp_path / "moved"
    shutil.move(str(path.parent), str(moved))  # the absolute path no longer exists: found relative
    ws = load_project(moved / path.name)
    layer = ws.layer("b")
    assert isinstance(layer, ParquetLayer) and layer.source.path == moved / "data" / "b.parquet"
    assert layer.source.rows == N and layer.title == "全县建筑" and layer.opacity == 0.6
    assert style_to_dict(layer.style) == style
    assert [ly.name for ly in ws.tree.layers()] == ["red_line", "b"] and not ws.missing_layers
    assert not ws.dirty
    rows = gdf.set_index("fid").loc[layer.gdf["fid"]]  # 3,000 rows: all in the first window
    assert np.allclose(rows["height_m"], layer.gdf["height_m"])
    assert (layer.gdf[ROW_KEY] == layer.gdf["fid"]).all()


def test_missing_file_is_reported_in_both_languages_not_a_crash(project):
    from app.project_file import load_project

    path, src, _, _ = project
    src.unlink()
    ws = load_project(path)
    assert ws.layer("b") is None and ws.layer("red_line") is not None
    (m,) = ws.missing_files
    assert str(src.resolve()) in m.en and "not found" in m.en and "全县建筑" in m.en
    assert str(src.resolve()) in m.zh and "找不到" in m.zh
    assert ws.missing_layers == ["b"]
    # a file that is no longer GeoParquet: the same, with the reason
    import pandas as pd

    pd.DataFrame({"a": [1]}).to_parquet(src)
    (m,) = load_project(path).missing_files
    assert "not GeoParquet" in m.en and "不是 GeoParquet" in m.zh


def test_gui_opens_the_project_and_the_layer_follows_the_map(window, qtbot, project, monkeypatch):
    import layers.parquet_source as ps
    from app.gui import project_actions
    from layers.parquet_source import ParquetLayer

    monkeypatch.setattr(ps, "MAX_FEATURES", 1000)  # the first window an overview

    path, _, _, _ = project
    handle = project_actions.open_project(window, path)
    assert handle.wait(60) and handle.state == "done", handle.error
    qtbot.waitUntil(lambda: window.workspace.path == path, timeout=5000)
    layer = window.workspace.layer("b")
    assert isinstance(layer, ParquetLayer) and layer.follower is not None and layer.last_window.overview
    assert window.parquet_warning is None
    window.canvas.set_extent((X0 + 1000, Y0 + 1000, X0 + 1300, Y0 + 1200))
    qtbot.waitUntil(lambda: not layer.last_window.overview, timeout=20000)
    assert len(layer.gdf) < N


def test_gui_warns_about_a_missing_file(window, qtbot, project):
    from app.gui import project_actions

    path, src, _, _ = project
    src.unlink()
    handle = project_actions.open_project(window, path)
    assert handle.wait(60) and handle.state == "done", handle.error
    qtbot.waitUntil(lambda: window.workspace.path == path, timeout=5000)
    box = window.parquet_warning
    assert box is not None and box.isVisible()
    assert str(src.resolve()) in box.text() and "not found" in box.text()
    assert window.workspace.layer("red_line") is not None
    box.close()
