"""Sensitivity of a pathway to its drivers: the tornado (issue #19).

Each driver's scenario values are scaled by (1 − x) and (1 + x) (default x = 20 %, a common
one-at-a-time range of tornado diagrams; target shares are clipped to 0–100 %) and the path is run
again: the peak year and the net emissions of one year (default 2030, the peaking deadline of
《2030年前碳达峰行动方案》, 国发〔2021〕23号) at both ends, sorted by the swing of those emissions.
A driver the scenario does not set (e.g. no build-out in 自然) has no swing.
"""

from __future__ import annotations

import pandas as pd

from gis.carbon.pathways import END_YEAR, PathwayBase, Scenario, run_scenario
from gis.errors import InputError

DRIVERS: dict[str, tuple[str, str, str]] = {
    "growth": ("va_growth_pct", "增加值增速", "value-added growth"),
    "intensity": ("intensity_decline_pct", "能耗强度下降", "intensity decline"),
    "electrification": ("electrification_pct", "电气化率", "electrification"),
    "grid": ("grid_kg_co2_per_kwh", "电网排放因子路径", "grid factor path"),
    "pv": ("onsite_buildout_pct", "光伏风电建设", "PV/wind build-out"),
}
"""Driver key → (scenario parameter, Chinese name, English name)."""
TORNADO_COLUMNS = ["driver", "driver_zh", "driver_en", "parameter", "pct", "year", "peak_year_low",
                   "peak_year_base", "peak_year_high", "t_co2_low", "t_co2_base", "t_co2_high", "swing_t_co2"]


def tornado(base: PathwayBase, scenario: Scenario, *, pct: float = 20.0, year: int = 2030,
            drivers: dict[str, tuple[str, str, str]] | None = None, end_year: int = END_YEAR) -> pd.DataFrame:
    """Tornado data of ``scenario``: per driver its ±``pct`` % runs (``*_low`` is the run with the
    values × (1 − pct/100)), the peak year (None: not reached) and the net t CO2 of ``year`` (the
    last year of the path when ``year`` is outside it), sorted by ``swing_t_co2`` = |high − low|."""
    if not 0 < pct < 100:
        raise InputError(f"敏感性幅度须在 0–100% 之间（现为 {pct}）",
                         f"The sensitivity range must be between 0 and 100 % (got {pct})",
                         code="sensitivity.pct")
    ref = run_scenario(base, scenario, end_year=end_year)
    y = year if base.year <= year <= end_year else end_year

    def net(path) -> float:
        return float(path.net(y))

    rows = []
    for key, (param, zh, en) in (drivers or DRIVERS).items():
        low = run_scenario(base, scenario.scaled(param, 1 - pct / 100), end_year=end_year)
        high = run_scenario(base, scenario.scaled(param, 1 + pct / 100), end_year=end_year)
        rows.append({"driver": key, "driver_zh": zh, "driver_en": en, "parameter": param, "pct": pct,
                     "year": y,
                     "peak_year_low": low.peak_year, "peak_year_base": ref.peak_year,
                     "peak_year_high": high.peak_year, "t_co2_low": net(low), "t_co2_base": net(ref),
                     "t_co2_high": net(high), "swing_t_co2": abs(net(high) - net(low))})
    out = pd.DataFrame(rows, columns=TORNADO_COLUMNS)
    return out.sort_values("swing_t_co2", ascending=False, kind="stable").reset_index(drop=True)
