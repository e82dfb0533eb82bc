"""A large GeoParquet read by view (layers/parquet_source.py) and followed by the GUI map
(app/gui/parquet_layer.py): only the rows under the view are read, small scales get a thinned
overview of bbox rectangles, and File → Add Data on a .parquet adds such a layer.

References are independent of the code under test: the footprints are made here (their bboxes known
by construction), the expected rows of a window are picked with numpy from those boxes, and the row
groups a filter may touch are counted from the file's own statistics with pyarrow.parquet.
"""

from __future__ import annotations

import math
import time

import geopandas as gpd
import numpy as np
import pyarrow.parquet as pq
import pytest
import shapely

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CRS = "EPSG:4547"  # CGCS2000 / 3-degree Gauss-Kruger CM 114E
X0, Y0, SPAN_M = 500_000.0, 3_300_000.0, 4_000.0
N = 6_000


def footprints(n: int = N, seed: int = 1) -> gpd.GeoDataFrame:
    """``n`` rectangles (8–20 m by 6–15 m) over a 4 km square, Hilbert-sorted like the tiled run writes;
    ``fid`` numbers them and ``xmin``…``ymax`` are their boxes by construction."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(X0, X0 + SPAN_M, n)
    y = rng.uniform(Y0, Y0 + SPAN_M, n)
    w, h = rng.uniform(8, 20, n), rng.uniform(6, 15, n)
    gdf = gpd.GeoDataFrame({"fid": np.arange(n), "height_m": rng.uniform(3, 60, n),
                            "bx0": x, "by0": y, "bx1": x + w, "by1": y + h},
                           geometry=shapely.box(x, y, x + w, y + h), crs=CRS)
    order = np.argsort(gdf.geometry.hilbert_distance(total_bounds=(X0, Y0, X0 + SPAN_M, Y0 + SPAN_M)))
    return gdf.iloc[order].reset_index(drop=True)


@pytest.fixture
def parquet(tmp_path):
    gdf = footprints()
    path = tmp_path / "buildings.parquet"
    gdf.to_parquet(path, write_covering_bbox=True, row_group_size=500)
    return path, gdf


def expected_ids(gdf: gpd.GeoDataFrame, b) -> set[int]:
    keep = (gdf["bx0"] <= b[2]) & (gdf["bx1"] >= b[0]) & (gdf["by0"] <= b[3]) & (gdf["by1"] >= b[1])
    return set(gdf.loc[keep, "fid"].tolist())


def test_metadata_only_on_open(parquet):
    from layers.parquet_source import ParquetSource

    path, gdf = parquet
    src = ParquetSource(path)
    assert src.rows == N and src.bbox == "bbox" and src.geometry == "geometry"
    assert src.crs is not None and src.crs.to_epsg() == 4547
    b = src.bounds
    assert b == pytest.approx((gdf["bx0"].min(), gdf["by0"].min(), gdf["bx1"].max(), gdf["by1"].max()))
    assert "height_m" in src.columns and "bbox" not in src.columns


def test_window_reads_exactly_the_rows_in_view(parquet):
    from layers.parquet_source import ParquetSource

    path, gdf = parquet
    src = ParquetSource(path)
    view = (X0 + 1000, Y0 + 1200, X0 + 1600, Y0 + 1900)
    win = src.window(view)
    assert not win.overview
    want = expected_ids(gdf, view)
    assert set(win.gdf["fid"]) == want and win.in_view == len(want) == src.count(view)
    # full geometries, not boxes of something else: each equals the rectangle made for its fid
    made = gdf.set_index("fid").geometry
    got = win.gdf.set_index("fid").geometry
    assert all(got.loc[i].equals(made.loc[i]) for i in list(want)[:50])
    assert win.gdf.crs.to_epsg() == 4547


def test_only_row_groups_under_the_view_are_read(parquet):
    """The filter on the covering columns prunes row groups by their min/max statistics: a small view
    on a Hilbert-sorted file touches a few of the 12 row groups (counted from the statistics here)."""
    from layers.parquet_source import ParquetSource

    path, _ = parquet
    meta = pq.ParquetFile(path).metadata
    view = (X0 + 100, Y0 + 100, X0 + 600, Y0 + 600)
    names = [meta.row_group(0).column(i).path_in_schema for i in range(meta.num_columns)]
    col = {k: names.index(f"bbox.{k}") for k in ("xmin", "ymin", "xmax", "ymax")}
    may_meet = 0
    for g in range(meta.num_row_groups):
        st = {k: meta.row_group(g).column(i).statistics for k, i in col.items()}
        if st["xmin"].min <= view[2] and st["xmax"].max >= view[0] and st["ymin"].min <= view[3] \
                and st["ymax"].max >= view[1]:
            may_meet += 1
    assert meta.num_row_groups == 12 and may_meet <= 4
    src = ParquetSource(path)
    fragments = list(next(iter(src.dataset.get_fragments())).split_by_row_group(filter=src._filter(view)))
    assert len(fragments) == may_meet


def test_overview_thins_evenly_and_draws_boxes(parquet):
    from layers.parquet_source import ParquetSource

    path, gdf = parquet
    src = ParquetSource(path)
    win = src.window(None, max_features=1000)
    assert win.overview and win.in_view == N and win.stride == math.ceil(N / 1000)
    assert len(win.gdf) == math.ceil(N / win.stride)
    # every row a rectangle equal to its footprint's box (here the footprint itself)
    made = gdf.set_index("fid")
    got = win.gdf.set_index("fid")
    b = shapely.bounds(got.geometry.to_numpy())
    ref = made.loc[got.index, ["bx0", "by0", "bx1", "by1"]].to_numpy()
    assert np.allclose(b, ref)
    assert (got["height_m"] == made.loc[got.index, "height_m"]).all()  # attributes come along
    # a window in view thins only the rows there
    view = (X0, Y0, X0 + 2000, Y0 + 2000)
    part = src.window(view, max_features=300)
    want = expected_ids(gdf, view)
    assert part.overview and part.in_view == len(want)
    assert set(part.gdf["fid"]) <= want and len(part.gdf) == math.ceil(len(want) / part.stride)


def test_without_covering_column_and_partitioned_folder(tmp_path):
    """GeoParquet 1.0 (no bbox column): the same rows, from the geometries; a folder of two files
    reads as one source."""
    from layers.parquet_source import ParquetSource

    gdf = footprints(2000, seed=4)
    folder = tmp_path / "county"
    folder.mkdir()
    gdf.iloc[:1200].to_parquet(folder / "part-0.parquet")
    gdf.iloc[1200:].to_parquet(folder / "part-1.parquet")
    src = ParquetSource(folder)
    assert src.bbox is None and src.rows == 2000 and src.crs.to_epsg() == 4547
    view = (X0 + 500, Y0 + 500, X0 + 2500, Y0 + 1500)
    win = src.window(view)
    assert set(win.gdf["fid"]) == expected_ids(gdf, view) and len(win.gdf) == win.in_view
    over = src.window(view, max_features=100)
    assert over.overview and over.in_view == len(expected_ids(gdf, view))
    whole = (gdf["bx0"].min(), gdf["by0"].min(), gdf["bx1"].max(), gdf["by1"].max())
    assert src.bounds == pytest.approx(whole)


def test_not_geoparquet_is_input_error(tmp_path):
    import pandas as pd

    from gis.errors import InputError
    from layers.parquet_source import ParquetSource

    pd.DataFrame({"a": [1, 2]}).to_parquet(tmp_path / "plain.parquet")
    with pytest.raises(InputError) as e:
        ParquetSource(tmp_path / "plain.parquet")
    assert "GeoParquet" in e.value.zh and "geo" in e.value.en
    with pytest.raises(InputError):
        ParquetSource(tmp_path / "missing.parquet")


def test_a_damaged_file_is_named_and_a_folder_never_drops_it_silently(parquet, tmp_path):
    """A file cut short (a copy interrupted) is reported as damaged, by name, whether opened alone, as
    a part of a folder (pyarrow would leave it out and the layer would miss its rows) or by the tiled
    run's planning; side files (``_SUCCESS``, a run's ``.x.tmp``) are not parts."""
    from gis.errors import InputError
    from gis.scale.geoparquet import source_bounds
    from layers.parquet_source import ParquetSource

    path, gdf = parquet
    data = path.read_bytes()
    folder = tmp_path / "county"
    folder.mkdir()
    (folder / "part-0.parquet").write_bytes(data)
    (folder / "_SUCCESS").write_bytes(b"")
    (folder / ".part-9.parquet.1234.tmp").write_bytes(data[:100])
    assert ParquetSource(folder).rows == len(gdf)
    (folder / "part-1.parquet").write_bytes(data[: len(data) // 2])
    for target in (folder / "part-1.parquet", folder):
        with pytest.raises(InputError) as e:
            ParquetSource(target)
        assert e.value.code == "parquet.damaged"
        assert "part-1.parquet" in e.value.zh and "损坏" in e.value.zh and "damaged" in e.value.en
    with pytest.raises(InputError) as e:
        source_bounds(folder)
    assert e.value.code == "parquet.damaged" and "part-1.parquet" in e.value.en


def test_the_command_lines_reader_takes_geoparquet_files_and_folders(parquet, tmp_path, capsys):
    """read_vector (every command's input) reads a GeoParquet file or a folder of them with pyarrow,
    as the desktop app does (GDAL's Parquet driver is missing from some builds); a damaged one is
    exit 2 with the bilingual message."""
    from app.cli import main
    from gis.io.read import read_vector

    path, gdf = parquet
    one = read_vector(path)
    assert len(one.gdf) == len(gdf) and one.gdf.crs.to_epsg() == 4547 and one.report.format == "GeoParquet"
    assert shapely.equals_exact(one.gdf.geometry.to_numpy(), gdf.geometry.to_numpy(), 1e-9).all()
    folder = tmp_path / "city.parquet"  # a folder named like a file, as a tiled run writes
    folder.mkdir()
    gdf.iloc[:700].to_parquet(folder / "part-0.parquet")
    gdf.iloc[700:].to_parquet(folder / "part-1.parquet")
    assert list(read_vector(folder).gdf["fid"]) == list(gdf["fid"])
    (folder / "part-1.parquet").write_bytes(path.read_bytes()[:200])
    assert main(["info", str(folder)]) == 2
    captured = capsys.readouterr()
    err = captured.out + captured.err
    assert "part-1.parquet 已损坏或不完整" in err and "part-1.parquet is damaged" in err


def test_layer_follows_the_view(parquet):
    from layers.parquet_source import ParquetLayer, ParquetSource

    path, gdf = parquet
    layer = ParquetLayer("buildings", ParquetSource(path), max_features=2000)
    assert layer.last_window.overview and len(layer.gdf) == math.ceil(N / math.ceil(N / 2000))
    assert layer.bounds() == pytest.approx((gdf["bx0"].min(), gdf["by0"].min(), gdf["bx1"].max(),
                                            gdf["by1"].max()))
    view = (X0 + 1000, Y0 + 1000, X0 + 1400, Y0 + 1300)
    win = layer.read_view(view)
    assert win is not None and not win.overview
    # the margin: half a view on every side
    wide = (X0 + 800, Y0 + 850, X0 + 1600, Y0 + 1450)
    assert set(win.gdf["fid"]) == expected_ids(gdf, wide)
    version = layer.data_version
    layer.show_window(win)
    assert layer.data_version == version + 1
    assert layer.read_view(view) is None  # the same view: nothing to read
    assert layer.read_view((X0 + 1100, Y0 + 1100, X0 + 1300, Y0 + 1200)) is None  # zoomed in: all drawn
    # in lon/lat (the map's CRS may differ): the same rows as the metric view
    import pyproj

    t = pyproj.Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    lonlat = t.transform_bounds(X0 + 2000, Y0 + 2000, X0 + 2300, Y0 + 2200)
    win2 = layer.read_view(lonlat, "EPSG:4326")
    assert win2 is not None and expected_ids(gdf, (X0 + 2050, Y0 + 2050, X0 + 2250, Y0 + 2150)) <= \
        set(win2.gdf["fid"])


def test_add_data_opens_parquet_by_view(window, qtbot, parquet, monkeypatch):
    """File → Add Data on a .parquet: a ParquetLayer (overview first), then zooming in reads the
    rows under the new view, all of them, and the map draws them."""
    import layers.parquet_source as ps
    from app.gui.open_data import open_files

    monkeypatch.setattr(ps, "MAX_FEATURES", 1500)
    path, gdf = parquet
    (handle,) = open_files(window, [path])
    assert handle.wait(60) and handle.state == "done", handle.error
    layer = next(ly for ly in window.workspace.tree.layers() if isinstance(ly, ps.ParquetLayer))
    assert layer.last_window.overview and len(layer.gdf) <= 1500
    qtbot.waitUntil(lambda: window.canvas.extent() is not None, timeout=5000)
    window.canvas.set_crs(CRS)
    view = (X0 + 1000, Y0 + 1000, X0 + 1500, Y0 + 1350)
    window.canvas.set_extent(view)
    qtbot.waitUntil(lambda: not layer.last_window.overview, timeout=20000)
    shown = window.canvas.extent()
    assert expected_ids(gdf, shown) <= set(layer.gdf["fid"])
    assert window.canvas.wait_for_render(20000)
    # removing the layer stops the following: a later zoom reads nothing
    window.workspace.remove_layer(layer)
    before = layer.data_version
    window.canvas.set_extent((X0, Y0, X0 + 3000, Y0 + 3000))
    qtbot.wait(600)
    assert layer.data_version == before


def prepared_city(path, side: int = 12):
    """side² prepared footprints with two towers (GeoParquet at ``path``); returns the frame."""
    from gis.park import prepare_buildings

    rng = np.random.default_rng(5)
    i = np.arange(side * side)
    x, y = 420_000.0 + (i % side) * 45.0, 3_340_000.0 + (i // side) * 45.0
    w, d = rng.uniform(12, 30, len(i)), rng.uniform(10, 25, len(i))
    h = rng.uniform(8, 30, len(i))
    h[[side * 3 + 5, side * 8 + 2]] = 110.0
    gdf = gpd.GeoDataFrame({"bldg_id": i, "height_m": h, "use": "industrial"},
                           geometry=shapely.box(x, y, x + w, y + d), crs="EPSG:4549")
    prepared = prepare_buildings(gdf)[0]
    prepared.to_parquet(path, write_covering_bbox=True)
    return prepared


def test_rooftop_analysis_on_a_parquet_layer_runs_tiled(window, qtbot, tmp_path):
    """Processing → Rooftop PV on a GeoParquet layer read by view: the run reads the whole file tile by
    tile on a local cluster (not the rows in view), the result is a layer read by view over the
    results folder, and every building's kWh equals the single-process engine's."""
    import psutil

    from app.algorithms.rooftop_pv import RooftopPV
    from app.gui.algorithm_dialog import AlgorithmDialog, run_algorithm
    from app.gui.open_data import open_files
    from gis.solar import site_weather
    from gis.solar.rooftop import PVSettings, rooftop_pv, site_lonlat
    from layers.parquet_source import ParquetLayer

    src = tmp_path / "county.parquet"
    city = prepared_city(src)
    (handle,) = open_files(window, [src])
    assert handle.wait(60) and handle.state == "done", handle.error
    layer = next(ly for ly in window.workspace.tree.layers() if isinstance(ly, ParquetLayer))
    layer.gdf = layer.gdf.iloc[:10]  # as if only ten footprints were in view
    alg = RooftopPV()
    dialog = AlgorithmDialog(alg, window.workspace, window)
    dialog.select_input("buildings", layer.name)
    inputs = dialog.inputs()
    assert inputs["buildings"].path == src
    task = run_algorithm(window, window.workspace, alg, alg.values({"tile_m": 250.0, "cluster": "local:2"}),
                         inputs, show_dialog=False)
    assert task.wait(240) and task.state == "done", task.error
    result = window.workspace.layer("rooftop_pv")
    assert isinstance(result, ParquetLayer) and result.source.rows == len(city)
    assert result.title == ("屋顶光伏" if window.workspace.lang == "zh" else "Rooftop PV")  # not its key
    # the column its classes are drawn on is in every window (else every roof drew in the no-data grey)
    shown = result.gdf
    assert "kwh_per_m2" in shown.columns
    per = shown["kwh_yr"].to_numpy(float) / shown["roof_m2"].to_numpy(float)
    ok = shown["roof_m2"].to_numpy(float) > 0
    assert np.allclose(shown["kwh_per_m2"].to_numpy(float)[ok], per[ok], rtol=1e-3, atol=0.01)
    assert task.result.summary["tiles"] >= 4 and task.result.summary["workers"] == 2
    rows = gpd.read_parquet(tmp_path / "county_rooftop_pv.parquet" / "parts")
    rows = rows.set_index("bldg_id").sort_index()
    weather = site_weather.site_weather(*site_lonlat(city))
    single = rooftop_pv(city, weather, PVSettings()).buildings.set_index("bldg_id").sort_index()
    a, b = rows["kwh_yr"].to_numpy(float), single["kwh_yr"].to_numpy(float)
    assert len(a) == len(b) and np.abs(a - b).max() <= 1e-9 * np.abs(b).max()
    assert getattr(result, "follower", None) is not None  # it follows the map like the input layer
    # the run's 1 km grid summary is on the map too, below the roofs: kWp per cell summed here from
    # the result rows (by each footprint's representative point), its classes those of the run
    qtbot.waitUntil(lambda: window.workspace.layer("pv_grid_1km") is not None, timeout=20000)
    grid = window.workspace.layer("pv_grid_1km")
    p = shapely.point_on_surface(rows.geometry.to_numpy())
    cell = (np.floor(shapely.get_x(p) / 1000).astype(int), np.floor(shapely.get_y(p) / 1000).astype(int))
    want = rows.assign(cx=cell[0], cy=cell[1]).groupby(["cx", "cy"])["kwp"].sum()
    got = grid.gdf.set_index(["cx", "cy"])["kwp"].sort_index()
    assert list(got.index) == list(want.index) and np.allclose(got.to_numpy(), want.to_numpy())
    assert np.allclose(grid.gdf["kwp_per_km2"], grid.gdf["kwp"])  # 1 km² cells
    layers = window.workspace.tree.layers()
    assert layers.index(grid) < layers.index(result)
    if len(grid.gdf) >= 5:
        codes = grid.style.class_codes(grid.gdf["kwp_per_km2"].to_numpy())
        assert [grid.style.classes[i].value for i in codes] == grid.gdf["density_class"].tolist()
    children = [p for p in psutil.Process().children(recursive=True)
                if p.is_running() and "resource_tracker" not in " ".join(p.cmdline())]
    assert not children


def test_rooftop_analysis_on_a_parquet_layer_cancels(window, qtbot, tmp_path):
    """Cancel while the tiled run works: the task ends cancelled within seconds, no worker process is
    left, and a second run finishes the tiles the first did not (the store keeps what was done)."""
    import psutil

    from app.algorithms.rooftop_pv import RooftopPV
    from app.gui.algorithm_dialog import AlgorithmDialog, run_algorithm
    from app.gui.open_data import open_files
    from layers.parquet_source import ParquetLayer

    src = tmp_path / "county.parquet"
    prepared_city(src, side=16)
    (handle,) = open_files(window, [src])
    assert handle.wait(60) and handle.state == "done", handle.error
    layer = next(ly for ly in window.workspace.tree.layers() if isinstance(ly, ParquetLayer))
    alg = RooftopPV()
    dialog = AlgorithmDialog(alg, window.workspace, window)
    dialog.select_input("buildings", layer.name)
    values = alg.values({"tile_m": 150.0, "cluster": "local:2"})
    task = run_algorithm(window, window.workspace, alg, values, dialog.inputs(), show_dialog=False)
    qtbot.waitUntil(lambda: task.fraction > 0.2 or task.state != "running", timeout=120_000)
    assert task.state == "running"
    task.cancel()
    assert task.wait(30) and task.state == "cancelled"
    assert task.cancel_latency_s is not None and task.cancel_latency_s < 10
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = [p for p in psutil.Process().children(recursive=True)
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE
                and "resource_tracker" not in " ".join(p.cmdline())]
        if not left:
            break
        time.sleep(0.2)
    assert not left
    parts = tmp_path / "county_rooftop_pv.parquet" / "parts"
    done_before = len(list(parts.glob("*.parquet")))
    again = run_algorithm(window, window.workspace, alg, values, dialog.inputs(), show_dialog=False)
    assert again.wait(240) and again.state == "done", again.error
    s = again.result.summary
    assert s["tiles_skipped"] == done_before and s["tiles_run"] == s["tiles"] - done_before
    assert s["buildings"] == 16 * 16


def test_grid_summary_layer_draws_the_runs_own_classes(tmp_path):
    """The 1 km grid layer is classed on kWp/km² with the run's five quantile classes: each cell drawn
    in the class the run gave it (classes made here with the run's classifier on skewed values)."""
    from app.gui.parquet_layer import GRID_LAYER, grid_layer
    from gis.intensity.classify import classify

    rng = np.random.default_rng(9)
    n = 60
    cx, cy = np.arange(n) % 10, np.arange(n) // 10
    kwp = np.round(rng.lognormal(8, 1.2, n), 3)
    cls = classify(kwp, "quantile").classes
    gdf = gpd.GeoDataFrame({"cx": cx, "cy": cy, "kwp": kwp, "kwp_per_km2": kwp, "density_class": cls},
                           geometry=shapely.box(cx * 1e3, cy * 1e3, cx * 1e3 + 1e3, cy * 1e3 + 1e3), crs=CRS)
    path = tmp_path / "summary_grid_1km.parquet"
    gdf.to_parquet(path)
    layer = grid_layer(path, "en")
    assert layer.name == GRID_LAYER and layer.title == "Rooftop PV density (1 km grid)"
    assert sorted(set(cls)) == [1, 2, 3, 4, 5] and len(layer.style.classes) == 5
    codes = layer.style.class_codes(kwp)  # index into the style's classes
    assert (np.array([layer.style.classes[i].value for i in codes]) == cls).all()
    assert grid_layer(path, "zh").title.startswith("屋顶光伏潜力密度")
