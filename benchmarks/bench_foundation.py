"""Speed of the foundation: `lingtan demo` end to end, and reading large/messy files.

Run: python benchmarks/bench_foundation.py   (prints figures and the machine; record them in
docs/benchmarks.md). Uses ../shared/data when present for the real-file figures.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gis.io import read_vector  # noqa: E402
from gis.park import load_park, prepare_buildings, sample_sources  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python " \
           f"{platform.python_version()}"


def timed(label: str, func, repeat: int = 3):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        out = func()
        best = min(best, time.perf_counter() - t)
    print(f"{label:<58} {best * 1000:9.1f} ms")
    return out


def synthetic_footprints(n: int, seed: int = 1) -> gpd.GeoDataFrame:
    """n rectangles around Hangzhou in EPSG:4549 with GBK-worthy names and floors."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    x = 500_000 + (i % side) * 40.0
    y = 3_340_000 + (i // side) * 40.0
    w, d = rng.uniform(8, 30, n), rng.uniform(8, 30, n)
    geoms = shapely.box(x, y, x + w, y + d)
    return gpd.GeoDataFrame({"名称": [f"{k}号厂房" for k in range(n)],
                             "层数": rng.integers(1, 12, n)}, geometry=geoms, crs=4549)


def main() -> None:
    print("machine:", machine())
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "app", "demo", "--out",
                        tempfile.mkdtemp(prefix="lingtan-bench-")], cwd=REPO,
                       capture_output=True, text=True)
    print(f"{'lingtan demo (new process, imports included)':<58} "
          f"{(time.perf_counter() - t) * 1000:9.1f} ms  (exit {r.returncode})")
    timed("load_park(sample) in-process", lambda: load_park(sample_sources()))
    with tempfile.TemporaryDirectory() as tmp:
        for n in (10_000, 100_000):
            g = synthetic_footprints(n)
            shp = Path(tmp) / f"fp{n}.shp"
            g.to_file(shp, encoding="GBK", engine="pyogrio")
            shp.with_suffix(".cpg").unlink()  # force byte-level encoding detection
            res = timed(f"read_vector {n:,} footprints (GBK shp, no .cpg)",
                        lambda shp=shp: read_vector(shp), repeat=2)
            timed(f"prepare_buildings {n:,} (heights, roof areas)",
                  lambda res=res: prepare_buildings(res.gdf), repeat=2)
    data = REPO.parent / "shared" / "data"
    if data.is_dir():
        timed("read_vector Shanghai OSM buildings (1,450, GeoJSON)",
              lambda: read_vector(data / "buildings" / "shanghai_bund_lujiazui_osm_buildings.geojson"))
        timed("read_vector rivers (594, mojibake)",
              lambda: read_vector(data / "encoding" / "ncl_rivers_gbk_mojibake" / "rivers.shp"))
        timed("read_vector Zhejiang counties (90, GCJ-02 → WGS84)",
              lambda: read_vector(next((data / "boundaries" / "zhejiang_counties_2020")
                                       .glob("*.shp")), crs="gcj02"))


if __name__ == "__main__":
    main()
