"""Issue 19 speed target: recomputing the three scenarios to 2060 for a park of 1,000 enterprises
in ≤ 1 s.

Run: python benchmarks/bench_pathways.py [N]   (default 1,000; prints the machine and the time
split; record the figures in docs/benchmarks.md). A synthetic energy table of N enterprises over
ten years (2015–2024) in divisions of all six sectors with six fuels; times (1) the accounting of
every year and the trends (:func:`gis.carbon.trends.compute_trends`), (2) the base year
(:func:`gis.carbon.pathways.base_from_trends`), (3) the three scenarios to 2060
(:func:`gis.carbon.pathways.pathways`), and (4) the whole pathway run of ``lingtan pathway`` and Run
All (scenarios, default measures and the measures path, the MACC, the ±20 % tornado of five
drivers = ten more paths).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_foundation import machine  # noqa: E402

# GB/T 4754-2017 codes of the six sectors (resources/factors/sectors.csv maps them)
CODES = ["C2511", "D4411", "C1711", "C2614", "C3311", "S9221", "G5430", "A0111", "E4710", "C3911"]


def table(n: int, seed: int = 19) -> pd.DataFrame:
    """N enterprises × 10 years: log-normal fuel use growing ~5 %/yr, coal falling, electricity rising."""
    rng = np.random.default_rng(seed)
    code = rng.choice(CODES, n)
    scale = rng.lognormal(0.0, 1.0, n)
    frames = []
    for k, year in enumerate(range(2015, 2025)):
        g = 1.05 ** k
        frames.append(pd.DataFrame({
            "企业代码": [f"E{i:05d}" for i in range(n)], "企业名称": [f"企业{i}" for i in range(n)],
            "行业代码": code, "年份": year,
            "原煤(吨)": (200 * scale * g * 0.93 ** k).round(2), "天然气(万立方米)": (10 * scale * g).round(3),
            "汽油(吨)": (5 * scale * g).round(2), "柴油(吨)": (8 * scale * g).round(2),
            "电力(万千瓦时)": (80 * scale * g * 1.02 ** k).round(2), "热力(吉焦)": (300 * scale * g).round(1),
            "工业增加值(万元)": (900 * scale * 1.07 ** k).round(1)}))
    return pd.concat(frames, ignore_index=True)


def best_of(fn, runs: int = 3) -> tuple[float, object]:
    best, out = np.inf, None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    print(f"machine: {machine()}")
    from app.park_pathways import run_pathways
    from gis.carbon.emissions import account_emissions
    from gis.carbon.factors import load_factor_set
    from gis.carbon.inventory import read_energy_inventory
    from gis.carbon.pathways import base_from_trends, default_scenarios, pathways
    from gis.carbon.trends import compute_trends

    t = table(n)
    factors = load_factor_set()
    t0 = time.perf_counter()
    inv = read_energy_inventory(t, factors=factors)
    t_read = time.perf_counter() - t0
    t_trends, trends = best_of(lambda: compute_trends(account_emissions(inv, factors, year="all")))
    t_base, base = best_of(lambda: base_from_trends(trends, onsite_potential_kwh_yr=5e7))
    scen = default_scenarios()
    t_three, res = best_of(lambda: pathways(base, scen))
    t_all, run = best_of(lambda: run_pathways(base))
    print(f"{n:,} enterprises × 10 years ({len(t):,} rows); base year {base.year}, sectors {base.sectors}")
    print(f"  read table {t_read:.2f} s; accounting + trends of 10 years {t_trends:.3f} s; "
          f"base {t_base:.4f} s")
    print(f"  three scenarios to 2060: {t_three * 1000:.1f} ms (best of 3); peaks "
          f"{[s.peak_year for s in res.scenarios]}")
    print(f"  whole pathway run (3 scenarios + measures path + MACC + tornado of 5 drivers ±20 %): "
          f"{t_all * 1000:.1f} ms; {len(run.result.scenarios)} paths, {len(run.measures)} measures")
    print(f"  base → three scenarios, total from the accounting: {t_trends + t_base + t_three:.3f} s")


if __name__ == "__main__":
    main()
