"""Tiled rooftop PV with neighbour shading on a Dask LocalCluster (gis/scale/cluster.py): wall time,
peak memory per worker, scaling from 1 to 2 workers, per-tile costs, and a 50M-footprint province
extrapolated from them.

Run: python benchmarks/bench_scale_cluster.py [N ...] [--workers 1 2] [--tile-m M] [--dir DIR]
  --tile-m: tile side (m); default: chosen from the data (gis.scale.tiles.auto_tile_m)
  N: synthetic footprints (default 1000000), written to GeoParquet in chunks of 500,000 (the whole
  city is never in memory), then run from the file on a local cluster of each worker count.
Prints the machine and the figures; record them in docs/benchmarks.md and docs/scale.md. Weather:
the built-in climatology at Hangzhou (no files, no network).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import psutil
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_foundation import machine  # noqa: E402
from benchmarks.synthetic_city import CRS, ORIGIN  # noqa: E402
from gis.scale.cluster import run_on_cluster  # noqa: E402
from gis.scale.tile_run import prepare_run  # noqa: E402
from gis.solar.climatology import default_weather  # noqa: E402
from gis.solar.rooftop import PVSettings  # noqa: E402

CHUNK = 500_000
"""Footprints generated and written at a time (~0.5 GB)."""
PROVINCE = 50_000_000
"""Footprints of the province to extrapolate to (the issue: Zhejiang has tens of millions)."""
NODE_CORES = 16
"""Cores per node of the extrapolated 8-node cluster (a common cloud/HPC node size)."""


def write_city(n: int, folder: Path, cell_m: float = 60.0) -> float:
    """``n`` footprints as :func:`benchmarks.synthetic_city.footprints` makes them (same grid, sizes,
    uses, heights with 1 % towers), prepared, written as GeoParquet chunk by chunk, rows in Hilbert
    order within a chunk (compact row groups for the tiles' bbox reads). Returns seconds."""
    t0 = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    side = int(np.ceil(np.sqrt(n)))
    extent = (ORIGIN[0] - 30, ORIGIN[1] - 30, ORIGIN[0] + side * cell_m + 30, ORIGIN[1] + side * cell_m + 30)
    for k, lo in enumerate(range(0, n, CHUNK)):
        i = np.arange(lo, min(n, lo + CHUNK))
        m = len(i)
        rng = np.random.default_rng(1000 + k)
        cx = ORIGIN[0] + (i % side) * cell_m + rng.uniform(-3, 3, m)
        cy = ORIGIN[1] + (i // side) * cell_m + rng.uniform(-3, 3, m)
        w, h = rng.uniform(10, 50, m), rng.uniform(10, 50, m)
        turn = np.radians(rng.uniform(-45, 45, m))
        corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], float) / 2.0
        dx, dy = corners[None, :, 0] * w[:, None], corners[None, :, 1] * h[:, None]
        ring = np.stack([cx[:, None] + dx * np.cos(turn)[:, None] - dy * np.sin(turn)[:, None],
                         cy[:, None] + dx * np.sin(turn)[:, None] + dy * np.cos(turn)[:, None]], axis=-1)
        use = rng.choice(np.array(["industrial", "warehouse", "office", "dormitory", "public"]), m,
                         p=[0.4, 0.15, 0.25, 0.1, 0.1])
        height = np.clip(rng.lognormal(np.log(15), 0.6, m), 6, 150)
        towers = rng.random(m) < 0.01
        height[towers] = rng.uniform(100, 250, int(towers.sum()))
        slope = np.where(np.isin(use, ["industrial", "warehouse"]), 5.0, 0.0)
        g = gpd.GeoDataFrame({"bldg_id": i, "use_class": use, "height_m": height, "roof_slope_deg": slope,
                              "footprint_m2": w * h, "roof_m2": w * h / np.cos(np.radians(slope))},
                             geometry=shapely.polygons(ring), crs=CRS)
        g = g.iloc[np.argsort(g.geometry.hilbert_distance(total_bounds=extent).to_numpy(), kind="stable")]
        g.to_parquet(folder / f"part-{k:05d}.parquet", index=False, write_covering_bbox=True,
                     row_group_size=50_000)
    return time.perf_counter() - t0


class WorkerMemory:
    """Peak RSS (bytes) of each child process (the local cluster's workers), sampled every 0.25 s."""

    def __init__(self) -> None:
        self.peak: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            for p in me.children(recursive=True):
                try:
                    if "resource_tracker" in " ".join(p.cmdline()):
                        continue
                    self.peak[p.pid] = max(self.peak.get(p.pid, 0), p.memory_info().rss)
                except psutil.Error:
                    pass
            self._stop.wait(0.25)

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_once(source: Path, out: Path, workers: int, tile_m: float | None) -> dict:
    weather = default_weather(120.17, 30.2)
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    planned: dict = {}

    def plan():  # runs while the cluster starts (as `lingtan pv --cluster` does)
        planned["prep"] = prepare_run(source, weather, PVSettings(), tile_m=tile_m, out_dir=out)
        planned["jobs"] = list(planned["prep"].jobs())
        planned["plan_s"] = time.perf_counter() - t0
        return planned["jobs"], ()

    with WorkerMemory() as mem:
        run = run_on_cluster(plan, cluster=f"local:{workers}", processes=True)
    prep, jobs, plan_s = planned["prep"], planned["jobs"], planned["plan_s"]
    wall = time.perf_counter() - t0
    per = np.array([s["seconds"] for s in run.summaries])
    core = np.array([s["n"] for s in run.summaries])
    loaded = np.array([s["loaded"] for s in run.summaries])
    load = float(sum(s["load_s"] for s in run.summaries))
    return {"workers": workers, "tiles": len(jobs), "plan_s": plan_s, "cluster_s": run.seconds,
            "wall_s": wall, "task_s": float(per.sum()), "tile_median_s": float(np.median(per)),
            "tile_max_s": float(per.max()), "load_s": load,
            "core": int(core.sum()), "loaded_per_core": float(loaded.sum() / max(core.sum(), 1)),
            "peak_worker_gb": max(mem.peak.values(), default=0) / 1e9, "halo_m": prep.plan.halo_m,
            "far_halo_m": prep.plan.far_halo_m, "tile_m": prep.plan.tile_m}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="*", type=int, default=[1_000_000])
    ap.add_argument("--workers", nargs="*", type=int, default=[1, 2])
    ap.add_argument("--tile-m", type=float, default=None)
    ap.add_argument("--dir", type=Path, default=None, help="work folder (default: a temporary one)")
    a = ap.parse_args()
    print(f"machine: {machine()}; memory {psutil.virtual_memory().total / 2**30:.0f} GiB")
    root = a.dir or Path(tempfile.mkdtemp(prefix="bench-scale-cluster-"))
    for n in a.n:
        src = root / f"city-{n}"
        if not src.is_dir():
            print(f"{n:,}: wrote GeoParquet in {write_city(n, src):.1f} s "
                  f"({sum(f.stat().st_size for f in src.glob('*.parquet')) / 1e9:.2f} GB)", flush=True)
        results = []
        for w in a.workers:
            r = run_once(src, root / f"out-{n}-{w}", w, a.tile_m)
            results.append(r)
            print(f"{n:,} footprints, {w} worker(s), tile {r['tile_m']:g} m (halo {r['halo_m']:g} m, far "
                  f"{r['far_halo_m']:,.0f} m): wall {r['wall_s']:.1f} s (planning {r['plan_s']:.1f} s "
                  f"during the cluster's start; "
                  f"cluster {r['cluster_s']:.1f} s incl. start/stop), {r['tiles']} tiles, tasks "
                  f"{r['task_s']:.1f} s of which reading {r['load_s']:.1f} s (median "
                  f"{r['tile_median_s']:.2f} s, max {r['tile_max_s']:.2f} s), "
                  f"loaded/core {r['loaded_per_core']:.2f}, peak memory per worker "
                  f"{r['peak_worker_gb']:.2f} GB", flush=True)
        results.sort(key=lambda r: r["workers"])
        if len(results) >= 2:
            one, two = results[0], results[-1]
            print(f"  scaling {one['workers']} → {two['workers']} workers: cluster time ×"
                  f"{one['cluster_s'] / two['cluster_s']:.2f} (ideal ×{two['workers'] / one['workers']:g})")
        best = results[-1]
        # s per building inside tasks with the fewest workers (the least contention for cores and
        # memory bandwidth); the measured parallel efficiency then carries the contention
        per_bldg = results[0]["task_s"] / results[0]["core"]
        eff = 1.0  # parallel efficiency: measured speed-up / ideal
        if len(results) >= 2:
            speedup = results[0]["cluster_s"] / best["cluster_s"]
            eff = min(1.0, speedup / (best["workers"] / results[0]["workers"]))
        for label, cores in (("16 cores", 16), (f"8 nodes × {NODE_CORES} cores", 8 * NODE_CORES)):
            hours = PROVINCE * per_bldg / cores / eff / 3600
            print(f"  extrapolated {PROVINCE / 1e6:.0f}M footprints on {label}: {hours:.2f} h of tasks "
                  f"({per_bldg * 1e3:.2f} ms CPU per building, parallel efficiency {eff:.2f}; planning "
                  f"{best['plan_s'] / n * PROVINCE / 60:.0f} min serial on one core)")
    if a.dir is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
