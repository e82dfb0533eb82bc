"""Speed of PV-array layout and yield (gis/solar/array_layout.py, array_energy.py).

Run: python benchmarks/bench_pv_array.py
An irregular open area (a square turned 20° with a notch) of 10 ha and of 100 ha in the middle
of a synthetic district of 10,000 buildings (6–250 m tall; those standing inside the area are
removed), crossed by a road; default settings (site-optimal tilt, winter-rule rows, 2×14
portrait tables, building/road/boundary setbacks, row and building shading). Weather: the
built-in climatology at Hangzhou. Prints: the cold first run (weather fingerprint, sun
positions, optimum search), then warm re-runs as the GUI does them after an edit: layout only,
and layout + yield + shading. Record the figures in docs/benchmarks.md and docs/pv-array.md.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_foundation import machine  # noqa: E402
from benchmarks.synthetic_city import CRS, ORIGIN, footprints  # noqa: E402
from gis.solar.array_energy import ArraySettings, pv_array, resolve_orientation  # noqa: E402
from gis.solar.array_layout import (  # noqa: E402
    Exclusion,
    area_polygons,
    array_layout,
    centre_lonlat,
    row_geometry,
)
from gis.solar.climatology import default_weather  # noqa: E402


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def test_area(ha: float, centre: tuple[float, float]) -> shapely.Polygon:
    """A square of ``ha`` hectares (with a notch of 1/16 of it cut out) turned by 20°."""
    side = np.sqrt(ha * 1e4 * 16 / 15)
    sq = shapely.box(-side / 2, -side / 2, side / 2, side / 2)
    notch = shapely.box(side / 4, side / 4, side / 2, side / 2)
    poly = shapely.affinity.rotate(sq.difference(notch), 20, origin=(0, 0))
    return shapely.affinity.translate(poly, *centre)


def median_time(fn, n: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out


def bench_size(ha: float, city: gpd.GeoDataFrame, centre: tuple[float, float], weather) -> None:
    """One area size: cold run, warm re-layout, warm full runs."""
    poly = test_area(ha, centre)
    inside = city.geometry.centroid.within(poly.buffer(10))
    buildings = city[~inside.to_numpy()]
    road = shapely.LineString([(centre[0] - 2000, centre[1] - 300), (centre[0] + 2000, centre[1] + 400)])
    area = gpd.GeoDataFrame(geometry=[poly], crs=CRS)
    roads = gpd.GeoDataFrame(geometry=[road], crs=CRS)
    s = ArraySettings()
    t = time.perf_counter()
    r = pv_array(area, weather, s, buildings=buildings, roads=roads)
    cold = time.perf_counter() - t
    tot = r.totals
    print(f"{ha:.0f} ha ({tot['area_m2'] / 1e4:.1f} ha, {len(buildings):,} buildings around): "
          f"{tot['tables']:,} tables, {tot['mwp']:.2f} MWp, tilt {tot['tilt_deg']:g}°, "
          f"{tot['gwh_yr']:.2f} GWh/yr, {tot['kwh_per_kwp']:.0f} kWh/kWp, row shading "
          f"{tot['row_shade_loss_pct']:.2f}%, building shading {tot['shade_loss_pct']:.2f}%, "
          f"{tot['m2_per_kwp']:.1f} m²/kWp, {tot['mu_per_mw']:.1f} mu/MW")
    print(f"  cold first run (weather fingerprint, sun, optimum search, layout, yield): {cold:.2f} s")
    # warm: what the GUI repeats after an edit
    parts = area_polygons(area)
    _, lat = centre_lonlat(poly, CRS)
    tilt, az, _ = resolve_orientation(s, weather)
    rows = row_geometry(s.table, tilt, az, lat)
    ex = [Exclusion(np.asarray(buildings.geometry.array), s.building_setback_m, "building"),
          Exclusion(np.asarray([road]), s.road_setback_m, "road")]
    dt, lay = median_time(lambda: array_layout(parts, CRS, rows, ex))
    print(f"  warm re-layout (usable area, {lay.candidates:,} candidate tables, packing): "
          f"{dt * 1000:.0f} ms")
    dt, _ = median_time(lambda: pv_array(area, weather, s, buildings=buildings, roads=roads))
    print(f"  warm layout + yield + row and building shading: {dt * 1000:.0f} ms")
    dt, _ = median_time(lambda: pv_array(area, weather, ArraySettings(shading=False), buildings=buildings,
                                         roads=roads))
    print(f"  warm layout + yield without building shading: {dt * 1000:.0f} ms")


def main() -> None:
    print(f"machine: {machine()}")
    city = footprints(10_000, seed=3)
    centre = (ORIGIN[0] + 3000.0, ORIGIN[1] + 3000.0)
    weather = default_weather(120.2, 30.25)
    print(f"weather: {weather.source}")
    for ha in (10.0, 100.0):
        bench_size(ha, city, centre, weather)
    print(f"peak RSS {peak_rss_gb():.2f} GB")


if __name__ == "__main__":
    main()
