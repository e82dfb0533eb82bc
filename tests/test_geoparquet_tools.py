"""Identify, selection and the attribute table on a GeoParquet layer read by view
(layers/parquet_source.py ParquetLayer; the canvas, identify panel and attribute table of the app).

References are made here independently of the code under test: rectangles whose boxes are known by
construction, a row's key is its position in the frame as written (for a folder: the files in path
order), the features under a point are found with numpy box tests and hand-computed distances.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from tests.parquet_gui import opened as open_parquet
from tests.parquet_gui import show_view

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CRS = "EPSG:4547"
X0, Y0, SPAN_M = 500_000.0, 3_300_000.0, 4_000.0
N = 6_000


def footprints(n: int = N, seed: int = 2) -> gpd.GeoDataFrame:
    """``n`` rectangles over a 4 km square in Hilbert order (as the tiled run writes), ``fid`` numbering
    them in random order and bx0…by1 their boxes by construction."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(X0, X0 + SPAN_M, n), rng.uniform(Y0, Y0 + SPAN_M, n)
    w, h = rng.uniform(8, 20, n), rng.uniform(6, 15, n)
    gdf = gpd.GeoDataFrame({"fid": rng.permutation(n), "height_m": np.round(rng.uniform(3, 60, n), 3),
                            "bx0": x, "by0": y, "bx1": x + w, "by1": y + h},
                           geometry=shapely.box(x, y, x + w, y + h), crs=CRS)
    order = np.argsort(gdf.geometry.hilbert_distance(total_bounds=(X0, Y0, X0 + SPAN_M, Y0 + SPAN_M)))
    return gdf.iloc[order].reset_index(drop=True)


@pytest.fixture
def parquet(tmp_path):
    gdf = footprints()
    path = tmp_path / "buildings.parquet"
    gdf.to_parquet(path, write_covering_bbox=True, row_group_size=500)
    return path, gdf  # gdf's row number = the row's position in the file


def in_box(gdf, b) -> np.ndarray:
    """Positions of the rows whose box meets ``b`` (touching counts)."""
    return np.flatnonzero(((gdf["bx0"] <= b[2]) & (gdf["bx1"] >= b[0]) & (gdf["by0"] <= b[3])
                           & (gdf["by1"] >= b[1])).to_numpy())


def distance_to_boxes(gdf, x: float, y: float) -> np.ndarray:
    """Euclidean distance from (x, y) to each rectangle, by hand (0 inside)."""
    dx = np.maximum.reduce([gdf["bx0"] - x, np.zeros(len(gdf)), x - gdf["bx1"]])
    dy = np.maximum.reduce([gdf["by0"] - y, np.zeros(len(gdf)), y - gdf["by1"]])
    return np.hypot(dx, dy)


# ---------------------------------------------------------------- the source: row keys


def test_every_row_read_carries_its_position_in_the_file(parquet, tmp_path):
    from layers.parquet_source import ROW_KEY, ParquetSource

    path, gdf = parquet
    src = ParquetSource(path)
    assert src.key == ROW_KEY
    view = (X0 + 700, Y0 + 900, X0 + 1500, Y0 + 1400)
    win = src.window(view)
    assert set(win.gdf[ROW_KEY]) == set(in_box(gdf, view))
    # the key is the position: the fid written at that position
    assert (win.gdf["fid"].to_numpy() == gdf["fid"].to_numpy()[win.gdf[ROW_KEY].to_numpy()]).all()
    over = src.window(None, max_features=700)
    assert over.overview
    assert (over.gdf["fid"].to_numpy() == gdf["fid"].to_numpy()[over.gdf[ROW_KEY].to_numpy()]).all()
    # a folder: files in path order, so a-part holds positions 0…2499 although written second
    folder = tmp_path / "county"
    folder.mkdir()
    gdf.iloc[2500:].to_parquet(folder / "b.parquet", write_covering_bbox=True, row_group_size=400)
    gdf.iloc[:2500].to_parquet(folder / "a.parquet", write_covering_bbox=True, row_group_size=300)
    dsrc = ParquetSource(folder)
    dwin = dsrc.window(view)
    assert set(dwin.gdf[ROW_KEY]) == set(in_box(gdf, view))
    assert (dwin.gdf["fid"].to_numpy() == gdf["fid"].to_numpy()[dwin.gdf[ROW_KEY].to_numpy()]).all()
    # take: rows by key, in the order asked, full geometry and attributes
    keys = [5999, 3, 2501, 2499, 3]
    rows = dsrc.take(keys)
    assert rows[ROW_KEY].tolist() == keys and rows["fid"].tolist() == gdf["fid"].iloc[keys].tolist()
    assert all(a.equals(b) for a, b in zip(rows.geometry, gdf.geometry.iloc[keys], strict=True))
    with pytest.raises(IndexError):
        dsrc.take([N])


# ---------------------------------------------------------------- identify from the file


def test_identify_reads_the_feature_from_the_file_even_in_an_overview(parquet):
    from layers.parquet_source import ROW_KEY, ParquetLayer, ParquetSource

    path, gdf = parquet
    layer = ParquetLayer("buildings", ParquetSource(path), max_features=500)
    assert layer.last_window.overview
    sampled = set(layer.gdf[ROW_KEY])
    target = next(k for k in range(N)
                  if k not in sampled and len(in_box(gdf, gdf.geometry.iloc[k].bounds)) == 1)
    x, y = gdf.geometry.iloc[target].centroid.coords[0]
    assert layer.keys_at(x, y) == [target]
    row = layer.feature_rows([target]).iloc[0]
    assert row["fid"] == gdf["fid"].iloc[target] and row["height_m"] == gdf["height_m"].iloc[target]
    assert row.geometry.equals(gdf.geometry.iloc[target])  # the footprint, not a bbox of the overview
    # with a tolerance: every rectangle within it, nearest first (distances by hand)
    px, py = X0 + 2000.0, Y0 + 2000.0
    d = distance_to_boxes(gdf, px, py)
    want = np.flatnonzero(d <= 40.0)
    want = want[np.lexsort((want, d[want]))]
    assert len(want) >= 3
    assert layer.keys_at(px, py, 40.0) == want.tolist()
    # the same query in lon/lat (the map's CRS may differ) finds the same feature
    import pyproj

    lon, lat = pyproj.Transformer.from_crs(CRS, "EPSG:4326", always_xy=True).transform(x, y)
    assert layer.keys_at(lon, lat, 0.0, "EPSG:4326") == [target]
    # rows not identified before are read by key
    assert layer.feature_rows([0, 17])["fid"].tolist() == gdf["fid"].iloc[[0, 17]].tolist()


# ---------------------------------------------------------------- selection across windows


def test_selection_is_kept_by_key_when_the_window_changes(parquet):
    from layers.parquet_source import ROW_KEY, ParquetLayer, ParquetSource

    path, gdf = parquet
    layer = ParquetLayer("buildings", ParquetSource(path), max_features=2000)
    here = (X0 + 1000, Y0 + 1000, X0 + 1200, Y0 + 1150)
    layer.show_window(layer.read_view(here))
    rows = np.flatnonzero(layer.gdf["height_m"].to_numpy() > 50)[:7]
    layer.selection = rows
    chosen = set(gdf["fid"].to_numpy()[layer.gdf[ROW_KEY].to_numpy()[rows]])
    version = layer.selection_version
    # pan far away: none of them is in the window, the selection stays
    layer.show_window(layer.read_view((X0 + 3000, Y0 + 3000, X0 + 3200, Y0 + 3150)))
    assert len(layer.selection) == 0 and len(layer.selected_keys) == 7
    # add one there (Shift-click), then pan back: all eight are selected, the first seven shown
    layer.select_rows([0], "add")
    extra = gdf["fid"].iloc[int(layer.gdf[ROW_KEY].iloc[0])]
    layer.show_window(layer.read_view(here))
    assert layer.selection_version > version
    shown = set(gdf["fid"].to_numpy()[layer.gdf[ROW_KEY].to_numpy()[layer.selection]])
    assert shown == chosen and len(layer.selected_keys) == 8
    assert set(gdf["fid"].to_numpy()[layer.selected_keys]) == chosen | {extra}
    # "window": the table's selection replaces only what the window holds
    layer.select_rows(layer.selection[:2], "window")
    assert len(layer.selection) == 2 and len(layer.selected_keys) == 3
    layer.select_rows(layer.selection[:1], "remove")
    assert len(layer.selected_keys) == 2
    layer.selection = []  # replaces everything, also outside the window
    assert len(layer.selected_keys) == 0


def opened(window, qtbot, path, monkeypatch, max_features=1500):
    return open_parquet(window, qtbot, path, monkeypatch, CRS, max_features)


def test_identify_tool_on_an_overview_shows_the_clicked_footprint(window, qtbot, parquet, monkeypatch):
    from layers.parquet_source import ROW_KEY

    path, gdf = parquet
    layer = opened(window, qtbot, path, monkeypatch, max_features=300)
    assert layer.last_window.overview
    # a footprint alone at its pixel (no other box within the search radius) and not in the sample
    canvas = window.canvas
    tol = 6 * canvas.units_per_pixel()
    sampled = set(layer.gdf[ROW_KEY])
    target = next(k for k in range(N) if k not in sampled
                  and (distance_to_boxes(gdf, *gdf.geometry.iloc[k].centroid.coords[0]) <= tol).sum() == 1)
    px, py = canvas.to_pixel(*gdf.geometry.iloc[target].centroid.coords[0])
    hits = canvas.identify_at(px, py)
    assert hits and hits[0][0] is layer and hits[0][1] == [target]
    panel = window.identify_panel
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=5000)
    top = panel.tree.topLevelItem(0)
    values = {top.child(i).toolTip(0): top.child(i).text(1) for i in range(top.childCount())}
    assert values["fid"] == str(gdf["fid"].iloc[target])
    assert float(values["height_m"]) == pytest.approx(gdf["height_m"].iloc[target])
    assert values[ROW_KEY] == str(target)


def test_map_selection_survives_panning(window, qtbot, parquet, monkeypatch):
    from PySide6.QtCore import QRectF

    from layers.parquet_source import ROW_KEY

    path, gdf = parquet
    layer = opened(window, qtbot, path, monkeypatch)
    here = show_view(window, qtbot, layer, (X0 + 1000, Y0 + 1000, X0 + 1400, Y0 + 1280))
    assert not layer.last_window.overview
    canvas = window.canvas
    # rectangle select around the middle of the view (the map's own query, checked against the boxes)
    cx, cy = (here[0] + here[2]) / 2, (here[1] + here[3]) / 2
    box = (cx - 40, cy - 30, cx + 40, cy + 30)
    (x0, y1), (x1, y0) = canvas.to_pixel(box[0], box[1]), canvas.to_pixel(box[2], box[3])
    canvas.select_in_rect(QRectF(x0, y0, x1 - x0, y1 - y0))
    rect = tuple(canvas.to_map(x0, y1)) + tuple(canvas.to_map(x1, y0))
    want = set(gdf["fid"].iloc[in_box(gdf, rect)])
    assert want and set(gdf["fid"].to_numpy()[layer.selected_keys]) == want
    # pan far away (a new window read without them), then Shift-click one more there
    show_view(window, qtbot, layer, (X0 + 3000, Y0 + 3000, X0 + 3400, Y0 + 3280))
    assert not len(layer.selection) and len(layer.selected_keys) == len(want)
    k = int(np.flatnonzero(np.isin(layer.gdf[ROW_KEY], in_box(gdf, canvas.extent())))[0])
    px, py = canvas.to_pixel(*layer.gdf.geometry.iloc[k].representative_point().coords[0])
    canvas.select_at(px, py, "add")
    assert len(layer.selected_keys) == len(want) + 1
    # back: the rectangle's features are selected again in the new window
    show_view(window, qtbot, layer, (X0 + 1000, Y0 + 1000, X0 + 1400, Y0 + 1280))
    assert set(gdf["fid"].to_numpy()[layer.gdf[ROW_KEY].to_numpy()[layer.selection]]) == want
    # a plain click on empty ground clears the whole selection (also the one out of view)
    empty = next(p for p in ((X0 - 500, Y0 - 500), (X0 + SPAN_M + 500, Y0 + SPAN_M + 500)))
    window.canvas.set_extent((empty[0] - 50, empty[1] - 50, empty[0] + 50, empty[1] + 50))
    canvas.select_at(*canvas.to_pixel(*empty))
    assert len(layer.selected_keys) == 0
    canvas.clear_selection()


# ---------------------------------------------------------------- the attribute table


def test_attribute_table_shows_the_window_labelled_and_keeps_sort_and_selection(window, qtbot, parquet,
                                                                                 monkeypatch):
    from PySide6.QtCore import QItemSelectionModel, Qt

    from layers.parquet_source import ROW_KEY

    path, gdf = parquet
    layer = opened(window, qtbot, path, monkeypatch, max_features=1000)
    window.open_attribute_table(layer)
    table = window.attribute_table
    assert table.layer is layer
    # zoomed out: the overview (every k-th row), never the whole file, and it says so
    win = layer.last_window
    assert win.overview and table.model.source_rows == len(layer.gdf) == math.ceil(N / win.stride) < N
    assert "Overview" in table.count.text() and f"{N:,}" in table.count.text()
    here = show_view(window, qtbot, layer, (X0 + 1000, Y0 + 1000, X0 + 1400, Y0 + 1280))
    assert not layer.last_window.overview
    n = len(in_box(gdf, layer.last_window.bounds))
    assert table.model.source_rows == n
    assert table.count.text().startswith(f"{n:,} of {N:,} rows shown (current view")
    # sort by height (descending), select the three tallest in the table: the map has them
    c = table.model.columns.index("height_m")
    table.sort(c, Qt.SortOrder.DescendingOrder)
    top = table.model.view[:3]
    tallest = np.argsort(-layer.gdf["height_m"].to_numpy(), kind="stable")[:3]
    assert set(top) == set(tallest)
    sel = table.view.selectionModel()
    for r in range(3):
        sel.select(table.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                   | QItemSelectionModel.SelectionFlag.Rows)
    keys = set(layer.gdf[ROW_KEY].to_numpy()[top])
    assert set(layer.selected_keys) == keys
    # a pan reads a new window: still sorted by height, the selection still shown where it is
    show_view(window, qtbot, layer, (here[0] + 150, here[1] + 100, here[2] + 150, here[3] + 100))
    assert table.model.sort_column == c and table.model.source_rows == len(layer.gdf)
    h = layer.gdf["height_m"].to_numpy()[table.model.view]
    assert (np.diff(h) <= 0).all()
    shown = set(layer.gdf[ROW_KEY].to_numpy()[table.selected_source_rows()])
    assert shown == keys & set(layer.gdf[ROW_KEY]) and set(layer.selected_keys) == keys
    # selecting in the table changes only the window's part of the selection
    table.view.selectionModel().clearSelection()
    assert set(layer.selected_keys) == keys - set(layer.gdf[ROW_KEY])
    table.clear_selection()
    assert len(layer.selected_keys) == 0


def test_a_result_layer_replaced_by_a_new_run_reads_the_new_files(parquet, tmp_path):
    """A second run's layer replaces the first's (same name, same layer object on the map): the layer
    then reads the new run's files, and the old keys (other rows) are no longer selected."""
    from types import SimpleNamespace

    from app.gui.parquet_layer import adopt_result_sources
    from app.workspace import Workspace
    from layers.parquet_source import ROW_KEY, ParquetLayer, ParquetSource

    path, _ = parquet
    other = footprints(900, seed=7)
    path2 = tmp_path / "run2.parquet"
    other.to_parquet(path2, write_covering_bbox=True, row_group_size=300)
    ws = Workspace(lang="en")
    first = ParquetLayer("rooftop_pv", ParquetSource(path), max_features=1000)
    ws.put_result_layer("rooftop_pv", first)
    first.selection = [0, 1, 2]
    second = ParquetLayer("rooftop_pv", ParquetSource(path2), max_features=300)
    ws.put_result_layer("rooftop_pv", second)
    adopt_result_sources(ws, SimpleNamespace(layers={"rooftop_pv": second}))
    shown = ws.layer("rooftop_pv")
    assert shown is first and shown.source.path == path2 and len(shown.selected_keys) == 0
    assert shown.source.rows == 900 and shown.last_window.overview and len(shown.gdf) == 300
    assert set(shown.gdf["fid"]) <= set(other["fid"])
    view = (X0 + 1000, Y0 + 1000, X0 + 1800, Y0 + 1500)
    shown.show_window(shown.read_view(view))
    wide = (X0 + 600, Y0 + 750, X0 + 2200, Y0 + 1750)
    assert set(shown.gdf["fid"]) == set(other["fid"].iloc[in_box(other, wide)])
    assert (shown.gdf["fid"].to_numpy() == other["fid"].to_numpy()[shown.gdf[ROW_KEY].to_numpy()]).all()
