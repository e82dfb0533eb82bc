"""Issue 8 speed target: live update of a 20-turbine layout — AEP, wake losses and violations
(spacing, setbacks from ~2,000 buildings, roads and the boundary, noise at ~600 receptors) in
≤ 200 ms, so a canvas can call ``WindFarmModel.evaluate`` while a turbine is dragged.

Run: python benchmarks/bench_wind.py   (prints the machine and the times; record them in
docs/benchmarks.md). Each layout differs from the last (one turbine moved), as in the GUI.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_foundation import machine  # noqa: E402
from gis.wind.farm import WindFarmModel, WindSettings  # noqa: E402
from gis.wind.resource import WindClimate, WindResource, shear_for  # noqa: E402
from gis.wind.turbines import load_turbine  # noqa: E402
from gis.wind.wakes import WakeSettings  # noqa: E402

CRS = "EPSG:4549"


def scene(rng):
    """A 6 km × 4 km area: 2,000 buildings of which 600 dormitories, a road grid, a boundary."""
    bx, by = rng.uniform(0, 6000, 2000), rng.uniform(0, 4000, 2000)
    w, h = rng.uniform(15, 60, 2000), rng.uniform(10, 40, 2000)
    uses = np.where(np.arange(2000) < 600, "宿舍", "工业")
    buildings = gpd.GeoDataFrame({"bldg_id": [f"B{i}" for i in range(2000)], "use": uses},
                                 geometry=shapely.box(bx, by, bx + w, by + h), crs=CRS)
    roads = gpd.GeoDataFrame({"name": [f"R{i}" for i in range(14)]}, geometry=[
        *(shapely.LineString([(0, y), (6000, y)]) for y in range(500, 4000, 500)),
        *(shapely.LineString([(x, 0), (x, 4000)]) for x in range(750, 6000, 750))], crs=CRS)
    boundary = gpd.GeoDataFrame({"name": ["park"]}, geometry=[shapely.box(0, 0, 6000, 4000)], crs=CRS)
    return buildings, roads, boundary


def main() -> None:
    print(f"machine: {machine()}")
    rng = np.random.default_rng(8)
    buildings, roads, boundary = scene(rng)
    f = np.array([4, 5, 6, 7, 8, 9, 12, 14, 11, 9, 8, 7.0])
    climate = WindClimate(f, 10.0, A=np.linspace(4.5, 6.5, 12), k=np.full(12, 1.9))
    resource = WindResource(climate, shear_for("suburban"))
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    gx, gy = np.meshgrid(np.arange(5) * 900.0 + 500, np.arange(4) * 800.0 + 700)
    x0, y0 = gx.ravel(), gy.ravel()
    for wake in ("jensen", "bastankhah"):
        t0 = time.perf_counter()
        model = WindFarmModel(t, resource, crs=CRS, settings=WindSettings(wake=WakeSettings(wake)),
                              buildings=buildings, roads=roads, boundary=boundary, site_lonlat=(120.2, 30.2))
        prep = time.perf_counter() - t0
        times = []
        for i in range(15):
            x = x0.copy()
            x[i % 20] += 13.0 * (i + 1)
            s = time.perf_counter()
            res = model.evaluate(x, y0)
            times.append(time.perf_counter() - s)
        tot = res.totals
        print(f"{wake}: 20 turbines, {len(model.receptors.ids)} noise receptors, {len(buildings)} buildings: "
              f"prepare {prep * 1000:.0f} ms; evaluate median {np.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms (target ≤ 200 ms); net {tot['aep_mwh']:,.0f} MWh, "
              f"wake loss {tot['wake_loss_pct']:.2f} %, {len(res.violations)} violations")
    s = time.perf_counter()
    res = model.evaluate(x0, y0, shadow=True)
    print(f"with worst-case shadow flicker (10-min sun steps, one year): {(time.perf_counter() - s):.2f} s")


if __name__ == "__main__":
    main()
