"""Self-test step "cluster": a tiny tiled rooftop-PV run on a Dask LocalCluster of two workers equals
the single-process run (``lingtan --self-test``; app/self_test.py holds the step list).

It checks what the frozen build must get right for ``lingtan pv --cluster``: dask and distributed
import with their YAML configuration, two worker processes start (in the frozen build through
``multiprocessing.freeze_support`` in the entry point; when processes cannot start the runner falls
back to threads and this step says so), tasks reach them pickled, each tile is written to the store,
and every building's yield equals the one-process engine's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SIDE = 8
"""Buildings per row of the test district (64 in all): two 1-second tiles, enough to cross a tile edge."""
SPACING_M = 40.0
TILE_M = 200.0
"""m: a tile side smaller than the district (320 m), so the run has several tiles whose halos matter."""
TOWER_M = 120.0
"""m: two towers whose shade reaches across tile edges (a 120 m tower shades ~300 m north in winter)."""
MAX_REL_DIFF = 1e-9
"""Largest relative kWh difference per building between the tiled and the single run (issue #21)."""


def district():
    """SIDE² footprints (15–28 m) with two towers, prepared as the analyses prepare them."""
    import geopandas as gpd
    import shapely

    from gis.park import prepare_buildings

    rng = np.random.default_rng(21)
    i = np.arange(SIDE * SIDE)
    x = 420_000.0 + (i % SIDE) * SPACING_M
    y = 3_340_000.0 + (i // SIDE) * SPACING_M
    w, d = rng.uniform(15, 28, len(i)), rng.uniform(12, 24, len(i))
    height = rng.uniform(8, 24, len(i))
    height[[SIDE * 2 + 4, SIDE * 5 + 1]] = TOWER_M
    gdf = gpd.GeoDataFrame({"bldg_id": i, "height_m": height, "use": "industrial"},
                           geometry=shapely.box(x, y, x + w, y + d), crs="EPSG:4549")
    return prepare_buildings(gdf)[0]


def tiled_vs_single(out_dir: Path) -> dict:
    """Run the district tiled on a local cluster of two workers and in one process: tiles, tiles
    written, buildings each way, the largest relative kWh difference, shaded roofs, worker kind,
    workers, seconds and the runner's notes (app/self_test.py checks them)."""
    from gis.scale.cluster import run_on_cluster
    from gis.scale.tile_run import plan_jobs
    from gis.solar import site_weather
    from gis.solar.rooftop import PVSettings, rooftop_pv, site_lonlat

    b = district()
    weather = site_weather.site_weather(*site_lonlat(b))  # built-in climatology: offline
    settings = PVSettings()
    _plan, jobs, store, _ = plan_jobs(b, weather, settings, tile_m=TILE_M, out_dir=Path(out_dir) / "cluster")
    run = run_on_cluster(jobs, done=store.done_ids(), cluster="local:2")
    tiled = store.read_all().set_index("bldg_id").sort_index()
    single = rooftop_pv(b, weather, settings).buildings.set_index("bldg_id").sort_index()
    rel = np.inf
    if len(tiled) == len(single):
        a, s = tiled["kwh_yr"].to_numpy(float), single["kwh_yr"].to_numpy(float)
        rel = float(np.max(np.abs(a - s)) / max(float(np.max(np.abs(s))), 1.0))
    return {"tiles": len(jobs), "written": len(store.done_ids()), "tiled": len(tiled), "single": len(single),
            "rel": rel, "shaded": int((single["shade_loss_pct"] > 1.0).sum()), "processes": run.processes,
            "workers": run.workers, "seconds": run.seconds, "notes": [p.en for p in run.problems]}
