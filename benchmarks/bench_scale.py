"""Serial tiled rooftop PV with neighbour shading (gis/scale): wall time, per-tile cost and
overhead, peak memory, against the single-process run.

Run: python benchmarks/bench_scale.py [N ...] [--tile-m M] [--single] [--parquet]
  N: synthetic footprints (default 100000); --tile-m: tile side (m, default 4000);
  --single: also time the single-process rooftop_pv on the same city and compare per building;
  --parquet: write the city as partitioned GeoParquet first and run from the file (tiles read
  their rows by bbox) instead of from memory.
Prints the machine and the figures; record them in docs/scale.md. Weather: built-in climatology
at Hangzhou (no files, no network).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_foundation import machine  # noqa: E402
from benchmarks.synthetic_city import footprints  # noqa: E402
from gis.scale.geoparquet import write_partitioned  # noqa: E402
from gis.scale.tile_run import run_tiled  # noqa: E402
from gis.solar.climatology import default_weather  # noqa: E402
from gis.solar.rooftop import PVSettings, rooftop_pv  # noqa: E402


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def fit_cost(seconds: np.ndarray, core: np.ndarray) -> tuple[float, float]:
    """Least-squares per-tile cost model seconds ≈ a + b·core: a = fixed cost per tile (s), b =
    per core building (s; layout, shading, energy, with its share of halo reading)."""
    x = np.column_stack([np.ones_like(core, float), core])
    coef, *_ = np.linalg.lstsq(x, seconds, rcond=None)
    return float(coef[0]), float(coef[1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="*", type=int, default=[100_000])
    ap.add_argument("--tile-m", type=float, default=4000.0)
    ap.add_argument("--single", action="store_true")
    ap.add_argument("--parquet", action="store_true")
    a = ap.parse_args()
    print(f"machine: {machine()}")
    weather = default_weather(120.17, 30.2)
    s = PVSettings()
    for n in a.n:
        city = footprints(n, seed=1)
        with tempfile.TemporaryDirectory() as tmp:
            source = city
            if a.parquet:
                t = time.perf_counter()
                write_partitioned(city, Path(tmp) / "in")
                source = Path(tmp) / "in"
                print(f"{n:,}: wrote GeoParquet in {time.perf_counter() - t:.1f} s")
            t, cpu = time.perf_counter(), time.process_time()
            res = run_tiled(source, weather, s, tile_m=a.tile_m, out_dir=Path(tmp) / "out")
            wall, cpu = time.perf_counter() - t, time.process_time() - cpu
            per = np.array([x["seconds"] for x in res.summaries])
            core = np.array([x["n"] for x in res.summaries])
            loaded = np.array([x["loaded"] for x in res.summaries])
            load = np.array([x["load_s"] for x in res.summaries])
            print(f"{n:,} footprints, tile {a.tile_m:g} m, halo {res.plan.halo_m:g} m / far "
                  f"{res.plan.far_halo_m:,.0f} m (≥ {res.plan.tall_min_m:.1f} m): {len(per)} tiles, "
                  f"wall {wall:.1f} s ({wall / n * 1e6:.0f} µs/building), CPU {cpu:.1f} s, "
                  f"tiles {per.sum():.1f} s; per tile "
                  f"median {np.median(per):.2f} s, max {per.max():.2f} s; core/tile median "
                  f"{np.median(core):.0f}, loaded/core {loaded.sum() / core.sum():.2f}; reading "
                  f"{load.sum():.1f} s; peak RSS {peak_rss_gb():.2f} GB")
            if len(per) >= 3:
                fa, fb = fit_cost(per, core)
                print(f"  per-tile cost model: {fa:.3f} s fixed + {fb * 1e6:.0f} µs per core building")
            t = time.perf_counter()
            out = res.buildings()
            print(f"  reading the {len(out):,} rows back from the store: {time.perf_counter() - t:.1f} s")
            if a.single:
                t, cpu = time.perf_counter(), time.process_time()
                r = rooftop_pv(city, weather, s)
                dt, cpu = time.perf_counter() - t, time.process_time() - cpu
                ref = r.buildings["kwh_yr"].to_numpy()
                got = out.sort_values("lingtan_row")["kwh_yr"].to_numpy()
                rel = np.max(np.abs(got - ref) / np.maximum(ref, 1e-12))
                print(f"  single process: {dt:.1f} s, CPU {cpu:.1f} s; max relative kWh difference "
                      f"tiled vs single {rel:.1e}; "
                      f"peak RSS {peak_rss_gb():.2f} GB")
        del city


if __name__ == "__main__":
    main()
