"""Issue 20 speed target: grading 100,000 enterprises in ≤ 1 s.

Run: python benchmarks/bench_grades.py [N]   (default 100,000; prints the machine and the time
split; record the figures in docs/benchmarks.md). Times the grading itself
(:func:`gis.carbon.grades.grade_frame` + the year-on-year comparison + output ordering) on a
synthetic table of N enterprises in ~150 GB/T 4754 divisions, and, for scale, the whole
``lingtan grades`` path from an energy table (reading, emissions, grading) two years at a time.
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
from gis.carbon.grades import compare_previous, finish, grade_emissions, grade_frame  # noqa: E402


def enterprises(n: int, seed: int = 20) -> pd.DataFrame:
    """N synthetic enterprises: divisions C13–C43 with 5 sub-classes each, log-normal CO2 and value
    added (a few without value added), some green electricity and sinks."""
    rng = np.random.default_rng(seed)
    division = rng.integers(13, 44, n)
    va = np.round(rng.lognormal(8.5, 1.0, n), 1)
    va[rng.random(n) < 0.01] = 0.0
    return pd.DataFrame({
        "entity": [f"E{i:06d}" for i in range(n)], "name": [f"企业{i}" for i in range(n)],
        "sector": None,
        "sector_code": [f"C{d}{k}" for d, k in zip(division, rng.integers(10, 15, n), strict=True)],
        "t_co2": np.round(va * rng.lognormal(0.0, 0.6, n), 2),
        "value_added_10k_yuan": va, "green_kwh": np.where(rng.random(n) < 0.2, rng.uniform(0, 1e6, n), 0.0),
        "sink_t_co2": np.where(rng.random(n) < 0.05, rng.uniform(0, 50, n), 0.0), "ccs_t_co2": 0.0})


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"machine: {machine()}")
    now, before = enterprises(n, 20), enterprises(n, 19)
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        cur, _, _ = grade_frame(now, grid_t_co2_per_kwh=0.5306e-3)
        prev, _, _ = grade_frame(before, grid_t_co2_per_kwh=0.5306e-3)
        out = finish(compare_previous(cur, prev))
        best = min(best, time.perf_counter() - t0)
    print(f"grading {n:,} enterprises, two years compared: {best:.3f} s (best of 3); grades "
          f"{np.bincount(out['grade'].fillna(0).astype(int), minlength=6)[1:].tolist()}")
    t0 = time.perf_counter()
    cur, _, _ = grade_frame(now, grid_t_co2_per_kwh=0.5306e-3)
    print(f"  one year alone: {time.perf_counter() - t0:.3f} s")

    # the whole path from a wide energy table (two years of N enterprises)
    from gis.carbon.emissions import account_emissions
    from gis.carbon.factors import load_factor_set
    from gis.carbon.inventory import read_energy_inventory

    rng = np.random.default_rng(5)
    years = [pd.DataFrame({"企业代码": now["entity"], "行业代码": now["sector_code"], "年份": year,
                           "原煤(吨)": rng.uniform(0, 2e3, n).round(1),
                           "电力(万千瓦时)": rng.uniform(10, 5e3, n).round(1),
                           "工业增加值(万元)": now["value_added_10k_yuan"]}) for year in (2023, 2024)]
    table = pd.concat(years, ignore_index=True)
    factors = load_factor_set()
    t0 = time.perf_counter()
    inv = read_energy_inventory(table, factors=factors)
    t1 = time.perf_counter()
    result = account_emissions(inv, factors, year="all")
    t2 = time.perf_counter()
    grades = grade_emissions(result)
    t3 = time.perf_counter()
    print(f"from an energy table ({len(table):,} rows): read {t1 - t0:.2f} s, emissions {t2 - t1:.2f} s, "
          f"grades {t3 - t2:.2f} s; {grades.counts()['grades']}")


if __name__ == "__main__":
    main()
