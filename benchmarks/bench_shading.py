"""Speed and accuracy of roof horizons (gis.solar.shading) on a synthetic 100,000-building city.

Run: python benchmarks/bench_shading.py [--n 100000] [--threads N] [--no-accuracy]
Prints wall time, points, pairs, peak memory and the machine; then (unless --no-accuracy) the
accuracy of the defaults and alternatives against a dense reference on the central roofs
(360 one-degree rays, 3 m point spacing, no elevation cut-off, 2 km reach): per-building
annual beam loss (sun below the horizon in its sector, clear-sky beam on a horizontal plane)
and sky-diffuse loss (mean sin² of the horizon), the way the energy chain uses the horizons.
With ../shared/data present it repeats the comparison on the Shanghai Lujiazui OSM buildings
(towers to 632 m). Record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_foundation import machine as foundation_machine  # noqa: E402
from gis.solar.shading import horizon_from_footprints, roof_sample_points, sky_view_loss  # noqa: E402


def machine() -> str:
    return f"{foundation_machine()}, numpy {np.__version__}, shapely {shapely.__version__}"


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def synthetic_city(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """n footprints (EPSG:4549-like coordinates, m) and heights (m).

    One building per 100 m cell of a square grid, with a 30 m street every 6 cells: rectangles
    with sides 10–80 m at a random spot in the cell (≥ 10 m between neighbours), 30% turned by
    up to ±30° (shrunk to fit); heights lognormal (median 15 m, clipped to 6–100 m); 0.2% are
    towers, 20–40 m square and 120–300 m high.
    """
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    ij = np.stack(np.divmod(np.arange(n), side), axis=1).astype(float)
    pitch, room = 100.0, 90.0
    cell = ij * pitch + (ij // 6) * 30.0 + np.array([500_000.0, 3_340_000.0])
    w, d = rng.uniform(10, 80, n), rng.uniform(10, 80, n)
    height = np.clip(rng.lognormal(np.log(15.0), 0.6, n), 6.0, 100.0)
    tower = rng.random(n) < 0.002
    w[tower] = d[tower] = rng.uniform(20, 40, tower.sum())
    height[tower] = rng.uniform(120, 300, tower.sum())
    turn = np.where(rng.random(n) < 0.3, rng.uniform(-30, 30, n), 0.0)
    c, s = np.abs(np.cos(np.radians(turn))), np.abs(np.sin(np.radians(turn)))
    bw, bd = w * c + d * s, w * s + d * c  # bounding box of the turned rectangle
    shrink = np.minimum(1.0, room / np.maximum(bw, bd))
    w, d, bw, bd = w * shrink, d * shrink, bw * shrink, bd * shrink
    cx = cell[:, 0] + pitch / 2 + rng.uniform(-1, 1, n) * (room - bw) / 2
    cy = cell[:, 1] + pitch / 2 + rng.uniform(-1, 1, n) * (room - bd) / 2
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) / 2
    t = np.radians(turn)[:, None]
    lx, ly = corners[None, :, 0] * w[:, None], corners[None, :, 1] * d[:, None]
    x = cx[:, None] + lx * np.cos(t) - ly * np.sin(t)
    y = cy[:, None] + lx * np.sin(t) + ly * np.cos(t)
    return shapely.polygons(np.stack([x, y], axis=2)), height


def speed(geoms, height, threads, label="") -> None:
    t = time.perf_counter()
    xy, own = roof_sample_points(geoms)
    t_points = time.perf_counter() - t
    stats: dict = {}
    t = time.perf_counter()
    hz = horizon_from_footprints(xy, height[own], own, geoms, height, threads=threads, stats=stats)
    t_hz = time.perf_counter() - t
    print(f"{label}roof_sample_points: {t_points:6.2f} s  {xy.shape[0]:,} points "
          f"({xy.shape[0] / geoms.size:.1f} per roof)")
    print(f"{label}horizon_from_footprints (36 sectors, centre rays): {t_hz:6.2f} s  "
          f"(threads={threads or 'auto'})")
    print(f"{label}  pairs: roof–building {stats['pairs_roof_building']:,} "
          f"(after occlusion culling {stats['pairs_roof_building_kept']:,}), "
          f"point–wall {stats['pairs_point_wall']:,}, point–wall–ray {stats['pairs_point_wall_sector']:,}")
    print(f"{label}  total {t_points + t_hz:.2f} s; peak RSS {peak_rss_mb():,.0f} MB "
          f"(the horizons alone are {hz.nbytes / 2**20:,.0f} MB); "
          f"mean sky-diffuse loss {sky_view_loss(hz).mean():.2%}")


def dsm_check(geoms, height, size_m: float = 2000.0) -> None:
    """horizon_from_dsm on the city's centre burnt into a 1 m DSM, against the footprints."""
    from affine import Affine
    from rasterio import features

    from gis.solar.dsm_horizon import horizon_from_dsm, sample_dsm

    bounds = shapely.bounds(geoms)
    cx, cy = np.median((bounds[:, 0] + bounds[:, 2]) / 2), np.median((bounds[:, 1] + bounds[:, 3]) / 2)
    x0, y1 = np.floor(cx - size_m / 2), np.ceil(cy + size_m / 2)
    frame = shapely.box(x0, y1 - size_m, x0 + size_m, y1)
    sel = np.flatnonzero(shapely.within(geoms, frame))
    tr = Affine(1.0, 0, x0, 0, -1.0, y1)
    order = sel[np.argsort(height[sel])]  # taller last, so they win where pixels are shared
    dsm = features.rasterize(zip(geoms[order], height[order], strict=True),
                             out_shape=(int(size_m), int(size_m)), transform=tr, fill=0.0,
                             dtype="float32")
    xy, own = roof_sample_points(geoms[sel], inset_m=1.5)
    own = sel[own]
    z = sample_dsm(dsm, tr, xy)
    ok = np.abs(z - height[own]) < 0.01  # on their own roof's pixels
    xy, own, z = xy[ok], own[ok], z[ok]
    t = time.perf_counter()
    h_dsm = horizon_from_dsm(xy, z, dsm, tr)
    t_dsm = time.perf_counter() - t
    # Same reach as the DSM march: 300 m, nothing beyond the DSM's edge.
    h_fp = horizon_from_footprints(xy, z, np.searchsorted(sel, own), geoms[sel], height[sel],
                                   max_distance_m=300.0, far_elevation_deg=90.0)
    d_svl = sky_view_loss(h_dsm) - sky_view_loss(h_fp)
    print(f"horizon_from_dsm: {xy.shape[0]:,} points on a {int(size_m)} × {int(size_m)} m, 1 m DSM "
          f"of the same buildings: {t_dsm:.2f} s ({t_dsm / xy.shape[0] * 1e6:.0f} µs/point); vs "
          f"footprints (300 m): horizons |Δ| median {np.median(np.abs(h_dsm - h_fp)):.2f}°, "
          f"p95 {np.percentile(np.abs(h_dsm - h_fp), 95):.2f}°, "
          f"sky-diffuse loss mean Δ {d_svl.mean():+.2%}, mean |Δ| {np.abs(d_svl).mean():.2%}")


# ------------------------------------------------------------------------------------------
# Accuracy against a dense reference
# ------------------------------------------------------------------------------------------

def sun_table(lat: float, lon: float, tz: str):
    """Hourly sun elevation/azimuth (deg) of a year with elevation > 0, and clear-sky beam on a
    horizontal plane (Meinel: DNI = 1353 × 0.7^(AM^0.678), × sin elevation) as weights."""
    import pandas as pd
    import pvlib

    times = pd.date_range("2023-01-01", "2024-01-01", freq="1h", inclusive="left", tz=tz)
    sp = pvlib.solarposition.get_solarposition(times, lat, lon)
    el, az = sp["apparent_elevation"].to_numpy(), sp["azimuth"].to_numpy()
    up = el > 0
    el, az = el[up], az[up]
    am = 1 / np.sin(np.radians(el))
    return el, az, 1353 * 0.7 ** (am ** 0.678) * np.sin(np.radians(el))


def beam_loss(hz: np.ndarray, sun) -> np.ndarray:
    """Share of the year's beam lost per point: sun below the horizon of its azimuth sector."""
    el, az, wb = sun
    n = hz.shape[1]
    w = 360.0 / n
    sector = np.floor(((az + w / 2) % 360) / w).astype(int) % n
    out = np.zeros(hz.shape[0])
    for k in range(n):
        m = sector == k
        if m.any():
            o = np.argsort(el[m])
            cum = np.r_[0.0, np.cumsum(wb[m][o])]
            out += cum[np.searchsorted(el[m][o], hz[:, k], side="left")]
    return out / wb.sum()


def per_roof(geoms, height, roofs, sun, *, spacing=10.0, max_points=25, **kw):
    xy, own = roof_sample_points(geoms[roofs], spacing_m=spacing, max_points=max_points)
    own = roofs[own]
    t = time.perf_counter()
    hz = horizon_from_footprints(xy, height[own], own, geoms, height, **kw)
    dt = time.perf_counter() - t
    ok = hz[:, 0] < 90  # points inside a taller footprint are left out
    own, hz = own[ok], hz[ok]
    count = np.bincount(own, minlength=geoms.size)[roofs]
    beam = np.bincount(own, beam_loss(hz, sun), minlength=geoms.size)[roofs] / np.maximum(count, 1)
    diff = np.bincount(own, sky_view_loss(hz), minlength=geoms.size)[roofs] / np.maximum(count, 1)
    return beam, diff, xy.shape[0], dt


VARIANTS = [
    ("defaults: 36 centre rays, ≤25 pts @10 m", {}),
    ("≤9 points", dict(max_points=9)),
    ("≤16 points", dict(max_points=16)),
    ("≤50 points", dict(max_points=50)),
    ("1 point per roof", dict(max_points=1)),
    ("5 m spacing", dict(spacing=5.0)),
    ("24 sectors", dict(n_sectors=24)),
    ("72 sectors", dict(n_sectors=72)),
    ("min elevation 2°", dict(min_elevation_deg=2.0)),
    ("max distance 300 m", dict(max_distance_m=300.0)),
    ("no far towers", dict(far_elevation_deg=90.0)),
    ("36 exact sector max", dict(rays_per_sector=0)),
    ("36 max of 3 rays", dict(rays_per_sector=3)),
    ("72 exact sector max", dict(n_sectors=72, rays_per_sector=0)),
]
REFERENCE = dict(spacing=3.0, max_points=400, n_sectors=360, rays_per_sector=1,
                 min_elevation_deg=0.0, max_distance_m=2000.0, far_elevation_deg=1.0)


def accuracy(name, geoms, height, roofs, sun) -> None:
    ref_b, ref_d, n_ref, t_ref = per_roof(geoms, height, roofs, sun, **REFERENCE)
    ok = np.isfinite(ref_b)
    print(f"\n{name}: {roofs.size} roofs; reference {n_ref:,} points in {t_ref:.1f} s; "
          f"mean beam loss {ref_b[ok].mean():.2%}, sky-diffuse loss {ref_d[ok].mean():.2%}")
    print(f"  {'variant':<40} {'points':>7} {'time':>6} | per-roof error, percentage points: "
          f"beam bias / MAE / p95 | diffuse bias / MAE / p95")
    for label, kw in VARIANTS:
        b, d, n, dt = per_roof(geoms, height, roofs, sun, **kw)
        eb, ed = (b - ref_b)[ok] * 100, (d - ref_d)[ok] * 100
        print(f"  {label:<40} {n:>7,} {dt:5.2f}s | {eb.mean():+.2f} / {np.abs(eb).mean():.2f} / "
              f"{np.percentile(np.abs(eb), 95):.2f} | {ed.mean():+.2f} / {np.abs(ed).mean():.2f} / "
              f"{np.percentile(np.abs(ed), 95):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="buildings in the synthetic city")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--no-accuracy", action="store_true")
    args = ap.parse_args()
    print("machine:", machine())
    geoms, height = synthetic_city(args.n)
    print(f"synthetic city: {args.n:,} footprints, heights median {np.median(height):.0f} m, "
          f"{(height > 100).sum()} towers > 100 m")
    speed(geoms, height, args.threads)
    dsm_check(geoms, height)
    if args.no_accuracy:
        return
    sun = sun_table(30.3, 120.2, "Asia/Shanghai")  # Hangzhou
    centre = shapely.get_coordinates(shapely.centroid(geoms))
    roofs = np.argsort(np.hypot(*(centre - np.median(centre, axis=0)).T))[:400]
    accuracy("synthetic city, 400 central roofs", geoms, height, roofs, sun)
    path = REPO.parent / "shared" / "data" / "buildings" / "shanghai_bund_lujiazui_osm_buildings.geojson"
    if path.exists():
        import geopandas as gpd

        g = gpd.read_file(path).to_crs(32651)
        parts = g["kind"] == "building_part"
        g = g[~g["osm_id"].isin(g.loc[parts, "root_id"].dropna().astype("int64"))]
        h = np.asarray(g["height"].astype(float))
        h = np.where(np.isfinite(h) & (h > 0), h, 10.0)
        fp = g.geometry.to_numpy()
        accuracy("Shanghai Lujiazui OSM (parents with parts dropped; no height → 10 m)", fp, h,
                 np.arange(fp.size), sun_table(31.23, 121.5, "Asia/Shanghai"))


if __name__ == "__main__":
    main()
