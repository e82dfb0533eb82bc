"""Tiled rooftop PV (gis/scale): the tiled run equals the single-process run per building, the
halo follows the engine's rules, a rerun after a cancel skips finished tiles, the store starts
afresh for other settings, GeoParquet input by bounding box.

Reference: the single-process ``rooftop_pv`` on the whole city (a different path through the
engine: one partition, every building in one tree). The city is built here: small blocks on a
40 m grid, towers (100–250 m) centred on tile-grid crossings so they straddle tile edges, and
one far tower 250 m high ~1.1 km south, beyond the 500 m near halo of the northern tiles.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis.progress import Cancelled, Progress
from gis.scale.geoparquet import (
    PARTITION_COLUMN,
    ROW_COLUMN,
    folder_to_geoparquet,
    plan_parquet,
    read_bbox,
    read_lazy,
    read_tile_frame,
    scan,
    write_partitioned,
)
from gis.scale.store import TileStore
from gis.scale.tile_run import plan_jobs, run_tiled
from gis.scale.tiles import halo_rule, plan_tiles, tile_members
from gis.solar.climatology import default_weather
from gis.solar.rooftop import MONTH_COLUMNS, PVSettings, rooftop_pv

CRS = "EPSG:4549"  # CGCS2000 3° GK, CM 120°E: the site is ≈ 120.2°E, 30.2°N
X0, Y0 = 420_480.0, 3_340_320.0  # multiples of 160, 240 and 480 m: grid lines fall at known places


def _rect(cx, cy, w, h):
    return shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def city(far_tower: bool = True) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    geoms, heights, uses = [], [], []
    for i in range(12):
        for j in range(12):
            cx, cy = X0 + 60 + 120 * i + rng.uniform(-5, 5), Y0 + 60 + 120 * j + rng.uniform(-5, 5)
            geoms.append(_rect(cx, cy, rng.uniform(15, 45), rng.uniform(15, 45)))
            heights.append(float(np.clip(rng.lognormal(np.log(12), 0.4), 5, 40)))
            uses.append(["industrial", "office", "dormitory", "public"][(i + j) % 4])
    # towers on grid crossings (multiples of 240 m from X0/Y0): they straddle tile edges
    for (dx, dy, h) in [(240, 240, 180.0), (720, 480, 120.0), (480, 960, 250.0), (1200, 720, 100.0)]:
        geoms.append(_rect(X0 + dx, Y0 + dy, 26, 26))
        heights.append(h)
        uses.append("office")
    # a podium east of the grid line x = X0 + 240 with a taller part (an OSM building:part)
    # overlapping it from across the line: different core tiles, and the podium's roof loses the
    # part's footprint in the layout; plus an exact duplicate (equal heights: the later row wins)
    geoms += [_rect(X0 + 265, Y0 + 720, 50, 60), _rect(X0 + 238, Y0 + 720, 20, 20)]
    heights += [12.0, 80.0]
    uses += ["public", "public"]
    geoms += [geoms[30], geoms[30]]
    heights += [heights[30], heights[30]]
    uses += [uses[30], uses[30]]
    if far_tower:
        geoms.append(_rect(X0 + 250, Y0 - 650, 30, 30))
        heights.append(250.0)
        uses.append("office")
    g = gpd.GeoDataFrame({"bldg_id": np.arange(len(geoms)), "use_class": uses, "height_m": heights,
                          "roof_slope_deg": 0.0}, geometry=geoms, crs=CRS)
    g["footprint_m2"] = g.area
    g["roof_m2"] = g["footprint_m2"]
    return g


@pytest.fixture(scope="module")
def weather():
    return default_weather(120.2, 30.2)


@pytest.fixture(scope="module")
def whole(weather):
    return rooftop_pv(city(), weather, PVSettings()).buildings


def _assert_same(tiled: gpd.GeoDataFrame, whole: gpd.GeoDataFrame) -> None:
    assert len(tiled) == len(whole)
    assert tiled["bldg_id"].tolist() == whole["bldg_id"].tolist()
    a, b = whole["kwh_yr"].to_numpy(), tiled["kwh_yr"].to_numpy()
    assert np.all(np.abs(a - b) <= 1e-9 * np.abs(a)), np.max(np.abs(a - b) / np.maximum(a, 1e-12))
    np.testing.assert_allclose(tiled[MONTH_COLUMNS].to_numpy(float), whole[MONTH_COLUMNS].to_numpy(float),
                               rtol=1e-9, atol=0)
    np.testing.assert_array_equal(tiled["kwp"].to_numpy(), whole["kwp"].to_numpy())
    np.testing.assert_allclose(tiled["shade_loss_pct"].to_numpy(float),
                               whole["shade_loss_pct"].to_numpy(float),
                               rtol=1e-9, atol=1e-12)


def test_halo_rule_by_hand():
    # tan 5° = 0.0874887; near = 500 m; least far height = 500 × tan 5° = 43.744 m;
    # far = 150 m / tan 5° = 1714.5 m (a 150 m tower rises 5° up to 1.71 km away)
    near, far, tall = halo_rule(PVSettings(), 150.0)
    assert near == 500.0
    assert tall == pytest.approx(43.744, abs=1e-3)
    assert far == pytest.approx(1714.5, abs=0.1)
    # a 700 m tower would reach 8 km: capped at far_distance_m, where the engine stops looking
    assert halo_rule(PVSettings(), 700.0)[1] == 7500.0
    # no building tall enough for the far tier: the far halo is the near one
    assert halo_rule(PVSettings(), 40.0)[1] == 500.0
    # no shading: only overlapping footprints matter
    assert halo_rule(PVSettings(shading=False), 150.0)[:2] == (0.0, 0.0)


def test_every_building_has_one_core_tile_and_straddling_towers_are_halo_next_door():
    g = city()
    plan = plan_tiles(g, tile_m=240.0, settings=PVSettings())
    assert plan.tiles["n_core"].sum() == len(g)
    assert len(set(plan.tiles["tile_id"])) == len(plan.tiles)
    tower = int(np.flatnonzero(g["height_m"].to_numpy() == 180.0)[0])  # centred on the crossing (240, 240)
    x0, y0, x1, y1 = g.geometry.iloc[tower].bounds
    # the grid line x = X0 + 240 runs through the tower
    assert x0 < X0 + 240 < x1 and y0 < Y0 + 240 < y1
    geoms, heights = np.asarray(g.geometry.array), g["height_m"].to_numpy(float)
    home = plan.tile_of_building[tower]
    holding = []
    for t in plan.tiles["tile_id"]:
        rows, core = tile_members(plan, t, geoms, heights)
        if tower in rows:
            holding.append((t, bool(core[np.searchsorted(rows, tower)])))
    assert [t for t, c in holding if c] == [home]  # core in exactly one tile
    assert len(holding) >= 4  # and in the halos of the tiles around the crossing


@pytest.mark.parametrize("tile_m", [240.0, 480.0, 960.0])
def test_tiled_equals_single_process(tmp_path, weather, whole, tile_m):
    res = run_tiled(city(), weather, PVSettings(), tile_m=tile_m, out_dir=tmp_path)
    assert len(res.plan.tiles) > 1
    _assert_same(res.buildings(), whole)


def test_overlapping_parts_across_a_tile_edge_are_laid_out_as_in_one_run(whole):
    g = city()
    plan = plan_tiles(g, tile_m=240.0, settings=PVSettings())
    podium = int(np.flatnonzero(g["height_m"].to_numpy() == 12.0)[-1])
    part = podium + 1
    assert plan.tile_of_building[podium] != plan.tile_of_building[part]
    # the part's 13 m × 20 m overlap is taken off the podium's roof (set back 1–2 m: less than
    # its 50 × 60 m less the overlap), so the layout did see the part from the other tile
    assert whole["usable_m2"].iloc[podium] < 50 * 60 - 13 * 20


def test_the_far_tower_matters_so_the_far_halo_is_exercised(weather, whole):
    # without the far tower the northern roofs lose less: the far halo (not the near one) must
    # bring it into their tiles for the equality above to hold
    near_only = rooftop_pv(city(far_tower=False), weather, PVSettings()).buildings
    n = len(near_only)
    diff = whole["kwh_yr"].to_numpy()[:n] - near_only["kwh_yr"].to_numpy()
    north = whole.geometry.iloc[:n].bounds["miny"].to_numpy() > Y0 - 650 + 15 + 500 + 10
    assert (diff[north] < -1.0).any()


def test_rerun_after_cancel_skips_finished_tiles(tmp_path, weather, whole):
    k = 3
    progress = Progress()
    finished = []

    def cb(fraction, message):
        if message.startswith("tile "):
            finished.append(message)
            if len(finished) == k:
                progress.cancel()

    progress.callback = cb
    with pytest.raises(Cancelled):
        run_tiled(city(), weather, PVSettings(), tile_m=240.0, out_dir=tmp_path, progress=progress)
    done_first = TileStore(tmp_path).done_ids()
    assert len(done_first) == k
    res = run_tiled(city(), weather, PVSettings(), tile_m=240.0, out_dir=tmp_path)
    assert set(res.skipped) == done_first
    assert len(res.summaries) == len(res.plan.tiles) - k
    _assert_same(res.buildings(), whole)
    tot = res.totals()
    assert tot["buildings"] == len(whole)
    assert tot["kwh_yr"] == pytest.approx(whole["kwh_yr"].sum(), abs=0.5)
    assert tot["kwp"] == pytest.approx(whole["kwp"].sum(), abs=0.05)
    assert tot["buildings_with_pv"] == int((whole["kwp"] > 0).sum())


def test_other_settings_do_not_reuse_old_tiles(tmp_path, weather):
    g = city(far_tower=False)
    s1, s2 = PVSettings(shading=False), PVSettings(shading=False, partition_size=49_999)
    run_tiled(g, weather, s1, tile_m=480.0, out_dir=tmp_path)
    _, _, store, problems = plan_jobs(g, weather, s2, tile_m=480.0, out_dir=tmp_path)
    assert store.done_ids() == set()  # other settings: nothing reused
    assert any(p.code == "scale.store_reset" for p in problems)
    _, _, store, _ = plan_jobs(g, weather, s1, tile_m=480.0, out_dir=tmp_path)
    assert store.done_ids() == set()  # and the old tiles are gone, not kept for later
    run_tiled(g, weather, s1, tile_m=480.0, out_dir=tmp_path)
    again = run_tiled(g, weather, s1, tile_m=480.0, out_dir=tmp_path)
    assert len(again.summaries) == 0 and len(again.skipped) == len(again.plan.tiles)


def test_geoparquet_input_read_by_bbox(tmp_path, weather, whole):
    g = city()
    # two partitions (west/east halves) as two county files; rows in Hilbert order within each
    write_partitioned(g, tmp_path / "in", by=np.where(g.geometry.centroid.x < X0 + 720, "west", "east"))
    res = run_tiled(tmp_path / "in", weather, PVSettings(), tile_m=240.0, out_dir=tmp_path / "out")
    out = res.buildings()
    assert out[ROW_COLUMN].tolist() == list(range(len(g)))
    _assert_same(out, whole)
    # a northern tile gets the far tower from the far read (bbox + height filter), not the near one
    _, jobs, _, _ = plan_jobs(tmp_path / "in", weather, PVSettings(), tile_m=240.0, out_dir=tmp_path / "out")
    north = max(jobs, key=lambda j: j.row)
    far_id = int(g["bldg_id"].iloc[-1])
    assert far_id not in read_bbox(tmp_path / "in", north.halo_box)["bldg_id"].tolist()
    frame = read_tile_frame(north.source, north.halo_box, north.far_box, north.tall_min_m)
    assert far_id in frame["bldg_id"].tolist()
    assert frame["bldg_id"].is_unique


def test_tile_sizes_are_validated(weather):
    from gis.errors import InputError

    with pytest.raises(InputError):
        plan_tiles(city(), tile_m=0.0)
    with pytest.raises(InputError):
        plan_tiles(city().to_crs("EPSG:4326"), tile_m=100.0)
    assert math.isfinite(plan_tiles(city(), tile_m=100.0).far_halo_m)


def test_folder_of_county_files_as_partitions(tmp_path, weather, whole):
    g = city()
    west = g.geometry.centroid.x.to_numpy() < X0 + 720
    (tmp_path / "counties").mkdir()
    g.loc[west].to_file(tmp_path / "counties" / "west_county.gpkg", engine="pyogrio")
    g.loc[~west].to_file(tmp_path / "counties" / "east_county.gpkg", engine="pyogrio")
    files = folder_to_geoparquet(tmp_path / "counties", tmp_path / "pq")
    assert len(files) == 2
    res = run_tiled(tmp_path / "pq", weather, PVSettings(), tile_m=480.0, out_dir=tmp_path / "out")
    out = res.buildings().sort_values("bldg_id").reset_index(drop=True)
    _assert_same(out, whole)
    # the county each building came from is kept, so it can be summed per county
    assert dict(out.groupby(PARTITION_COLUMN).size()) == {"east_county": int((~west).sum()),
                                                          "west_county": int(west.sum())}


def test_plan_from_parquet_in_batches_equals_plan_from_frame(tmp_path):
    g = city()
    write_partitioned(g, tmp_path / "in", add_row_numbers=True)
    a = plan_tiles(g, tile_m=240.0, settings=PVSettings())
    b = plan_parquet(tmp_path / "in", tile_m=240.0, settings=PVSettings(), batch_rows=37)  # 5 batches
    cols = ["tile_id", "x0", "y0", "n_core", "ex0", "ey0", "ex1", "ey1"]
    assert a.tiles[cols].equals(b.tiles[cols])
    assert (a.halo_m, a.far_halo_m, a.run_bounds) == (b.halo_m, b.far_halo_m, b.run_bounds)


def _rewrite_covering(src, dst, change) -> None:
    """``src`` (one GeoParquet file) written to ``dst`` with ``change(field array)`` applied to each
    field of its bbox covering column, the geo metadata kept."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    t = pq.read_table(src)
    box = t.column("bbox").combine_chunks()
    names = ["xmin", "ymin", "xmax", "ymax"]
    new = pa.StructArray.from_arrays([change(k, box.field(k)) for k in names], names=names)
    t = t.set_column(t.schema.get_field_index("bbox"), "bbox", new)
    pq.write_table(t, dst)


def test_plan_reads_the_covering_bbox_only_when_it_is_the_exact_bounds(tmp_path):
    """The plan takes the boxes from the bbox covering column without decoding geometries when the
    column holds the exact bounds (geopandas); a covering in float32 (GDAL rounds outward) or one
    that is off gives way to the decoded geometries. The plan is the in-memory frame's every time."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from gis.scale.geoparquet import _exact_covering

    g = city()
    (tmp_path / "in").mkdir()
    exact = tmp_path / "in" / "city.parquet"
    g.to_parquet(exact, write_covering_bbox=True, row_group_size=100)
    f32, off = tmp_path / "f32.parquet", tmp_path / "off.parquet"
    _rewrite_covering(exact, f32, lambda k, a: pc.cast(a, pa.float32()))
    _rewrite_covering(exact, off, lambda k, a: pc.add(a, 0.001) if k == "xmax" else a)
    want = plan_tiles(g, tile_m=240.0, settings=PVSettings())
    cols = ["tile_id", "x0", "y0", "n_core", "ex0", "ey0", "ex1", "ey1"]
    for path, trusted in ((exact, True), (f32, False), (off, False)):
        from geopandas.io.arrow import _decode_metadata

        pf = pq.ParquetFile(path)
        assert (_exact_covering(pf, _decode_metadata(pf.schema_arrow.metadata[b"geo"])) == "bbox") is trusted
        got = plan_parquet(path, tile_m=240.0, settings=PVSettings(), batch_rows=37)
        assert got.tiles[cols].equals(want.tiles[cols]), path.name
        assert (got.halo_m, got.far_halo_m, got.crs) == (want.halo_m, want.far_halo_m, want.crs)


def test_lazy_and_batched_reads(tmp_path):
    g = city()
    write_partitioned(g, tmp_path / "in", by=np.where(g.geometry.centroid.y < Y0 + 720, "south", "north"))
    lazy = read_lazy(tmp_path / "in")
    assert lazy.npartitions >= 2
    got = lazy.compute().sort_values(ROW_COLUMN)
    assert got["bldg_id"].tolist() == g["bldg_id"].tolist()
    sizes = [len(b) for b in scan(tmp_path / "in", ["geometry", "height_m"], batch_rows=50)]
    assert sum(sizes) == len(g) and max(sizes) <= 50


def test_jobs_pickle_and_run_in_another_process(tmp_path, weather, whole):
    """What a Dask worker does: a job shipped (pickled) to a fresh process, which builds its own
    yield table, writes the same rows as the single-process run."""
    import multiprocessing
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from gis.scale.tile_run import process_tile

    g = city()
    write_partitioned(g, tmp_path / "in")
    _, jobs, store, _ = plan_jobs(tmp_path / "in", weather, PVSettings(), tile_m=480.0,
                                  out_dir=tmp_path / "out")
    assert all(pickle.loads(pickle.dumps(j)).tile_id == j.tile_id for j in jobs)
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        summaries = list(pool.map(process_tile, jobs))
    assert sum(s["n"] for s in summaries) == len(g)
    assert store.done_ids() == {j.tile_id for j in jobs}
    out = store.read_all().sort_values(ROW_COLUMN).reset_index(drop=True)
    _assert_same(out, whole)


def _cells(n_cells: int, per_cell: int):
    import pandas as pd

    side = math.ceil(math.sqrt(n_cells))
    k = np.arange(n_cells)
    return pd.DataFrame({"row": k // side, "col": k % side, "n_core": np.full(n_cells, per_cell)})


@pytest.mark.parametrize(("n_cells", "per_cell", "want_km"), [
    # 60 × 60 km of the synthetic city at 278/km²: √(30000 / 278) = 10.4 → 10 km (√(3600/16) = 15 allows it)
    (3600, 278, 10),
    # a dense urban district, 3,000/km² over 400 km²: √(30000 / 3000) = 3.16 → 3 km
    (400, 3000, 3),
    # 100 km² at 300/km²: √100 = 10 km would leave 1 tile; 16 tiles need √(100/16) = 2.5 → 2 km
    (100, 300, 2),
    # a sparse province, 5/km² over 200,000 km²: √6000 = 77 km → capped at 16 km
    (200_000, 5, 16),
])
def test_automatic_tile_side_by_hand(n_cells, per_cell, want_km):
    from gis.scale.tiles import auto_tile_m

    assert auto_tile_m(_cells(n_cells, per_cell)) == want_km * 1000.0


def test_automatic_plan_from_parquet_equals_the_frame_plan_at_that_side(tmp_path):
    """1 km cells merged into tiles (the GeoParquet path) = tiles made straight from the points."""
    from benchmarks.synthetic_city import footprints

    g = footprints(20_000, seed=3)  # ~8.5 × 8.5 km at 60 m spacing
    write_partitioned(g, tmp_path / "in", add_row_numbers=True)
    auto = plan_parquet(tmp_path / "in", tile_m=None, settings=PVSettings(), batch_rows=7_000)
    assert auto.tile_m == 2000.0  # 20,000 in ~81 occupied km²: √(81/16) = 2.25 → 2 km
    direct = plan_tiles(g, tile_m=auto.tile_m, settings=PVSettings())
    cols = ["tile_id", "x0", "y0", "n_core", "ex0", "ey0", "ex1", "ey1"]
    assert direct.tiles[cols].equals(auto.tiles[cols])
    assert plan_tiles(g, settings=PVSettings()).tile_m == auto.tile_m  # the frame's automatic side
