"""Issue 5 speed target: 40,000 townships classified and rendered to PNG in ≤ 3 s.

Run: python benchmarks/bench_intensity.py [N]   (default 40,000; prints the machine and the time
split; record the figures in docs/benchmarks.md). The full job of `lingtan intensity`: join by
code, emissions from energy, intensity, five classes, colours, PNG map with labels and legend.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.intensity_map import intensity_map, render_png  # noqa: E402
from benchmarks.bench_foundation import machine  # noqa: E402
from benchmarks.bench_render import synthetic_townships  # noqa: E402
from layers.render import ensure_gui_app  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40_000
    print(f"machine: {machine()}")
    rng = np.random.default_rng(3)
    towns = synthetic_townships(n).drop(columns=["intensity"])
    towns["code"] = [f"{330100000000 + i}" for i in range(n)]
    stats = pd.DataFrame({"乡镇街道代码": towns["code"], "年份": 2024,
                          "原煤(吨)": rng.uniform(0, 5e4, n).round(1),
                          "电力(万千瓦时)": rng.uniform(1e3, 5e4, n).round(1),
                          "地区生产总值(万元)": rng.uniform(1e5, 5e6, n).round(0)})
    ensure_gui_app()
    for method in ("ratio", "jenks"):
        t0 = time.perf_counter()
        result = intensity_map(towns, stats, method=method)
        t1 = time.perf_counter()
        with tempfile.TemporaryDirectory() as d:
            render_png(result, Path(d) / "map.png", label_field="name")
        t2 = time.perf_counter()
        print(f"{n:,} townships, method {method}: join + emissions + intensity + classes {t1 - t0:.2f} s, "
              f"render + PNG {t2 - t1:.2f} s, total {t2 - t0:.2f} s (target ≤ 3 s)")


if __name__ == "__main__":
    main()
