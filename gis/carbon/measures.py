"""Abatement measures and the marginal abatement cost curve (MACC) of a park (issue #19).

A measure abates ``abatement_t_co2_yr`` (t/yr at the base year's grid factor) at
``cost_yuan_per_t_co2`` (annualised cost − savings ÷ abatement; negative: it pays) from
``start_year`` on. ``kind`` says how the abatement moves over the years: ``electricity`` (PV, wind,
storage, green power) scales with the grid factor path (a kWh avoided is worth less as the grid
decarbonises), ``energy`` (efficiency, fuel switch) stays constant, ``sink`` stays constant and is
left out of the carbon-per-energy indicator.

The defaults are ``resources/pathways/measures.csv`` (each with its basis, cost and source, status
``estimate`` 估算); the park's own figures replace them when its summary has them: the rooftop,
array and wind engines' kWh/yr, and the cost of the hourly energy analysis' economics
(``ParkSummary.energy.economics``: capex × CRF + O&M − annual saving, ÷ its avoided CO2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gis.carbon.pathway_base import ELECTRICITY, YEAR_MIN, Applied, PathwayBase
from gis.errors import InputError, Problem
from gis.paths import resources_dir

KINDS = ("electricity", "energy", "sink")
MACC_COLUMNS = ["key", "name_zh", "name_en", "kind", "abatement_t_co2_yr", "cost_yuan_per_t_co2",
                "annual_cost_yuan", "cumulative_t_co2", "x_start_t_co2", "start_year", "status", "source"]


@dataclass(frozen=True)
class Measure:
    """One measure: abatement (t/yr), cost (yuan/t), start year, kind, source and status
    (``computed`` from the park's analyses, ``estimate`` 估算 from measures.csv, ``user``)."""

    key: str
    name_zh: str
    name_en: str
    kind: str
    abatement_t_co2_yr: float
    cost_yuan_per_t_co2: float
    start_year: int
    source: str = ""
    status: str = "estimate"

    def to_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def measure_defaults() -> pd.DataFrame:
    """resources/pathways/measures.csv: key, names, kind, basis, basis value, cost, start, source."""
    return pd.read_csv(Path(resources_dir()) / "pathways" / "measures.csv", keep_default_na=False)


def _get(obj: Any, *keys: str) -> Any:
    """A nested value of a dict or typed summary (None when any step is missing)."""
    for k in keys:
        if obj is None:
            return None
        obj = obj.get(k) if isinstance(obj, dict) else getattr(obj, k, None)
    return obj


def onsite_potential_kwh_yr(summary: Any) -> dict[str, float]:
    """The park's on-site potentials (kWh/yr) found in a ParkSummary (or its dict): ``rooftop_pv``
    (pv.kwh_yr), ``ground_pv`` (pv_array.kwh_yr), ``wind`` (wind.aep_mwh × 1000); absent ones left out."""
    out = {"rooftop_pv": _get(summary, "pv", "kwh_yr"), "ground_pv": _get(summary, "pv_array", "kwh_yr"),
           "wind": None if _get(summary, "wind", "aep_mwh") is None
           else 1000.0 * _get(summary, "wind", "aep_mwh")}
    return {k: float(v) for k, v in out.items() if v is not None and np.isfinite(v) and v > 0}


def energy_cost_yuan_per_t(summary: Any, costs: Any = None) -> float | None:
    """Cost of CO2 avoided by the hourly energy analysis' system (yuan/t): (capex × CRF(discount
    rate, lifetime) + O&M − annual saving) ÷ avoided t/yr; None without its economics."""
    from gis.energy.economics import CostAssumptions, capital_recovery_factor

    eco, avoided = _get(summary, "energy", "economics"), _get(summary, "energy", "t_co2_avoided")
    if not eco or not avoided or avoided <= 0:
        return None
    c = costs or CostAssumptions()
    crf = capital_recovery_factor(c.discount_rate_pct, c.lifetime_yr)
    annual = float(eco.get("capex_yuan", 0.0)) * crf + float(eco.get("om_yuan_yr", 0.0)) \
        - float(eco.get("annual_saving_yuan", 0.0))
    return annual / float(avoided)


def default_measures(base: PathwayBase, summary: Any = None) -> tuple[list[Measure], list[Problem]]:
    """The measures of measures.csv sized for ``base`` (and the park's summary when given)."""
    grid_t_per_kwh = base.grid_kg_co2_per_kwh / 1000.0
    fuels = base.fuels
    elec_kwh = float(base.tce[:, fuels.index(ELECTRICITY)].sum()) / base.electricity_tce_per_kwh
    gross = float(base.t_co2.sum())
    ef = base.fuel_t_co2_per_tce()
    coal = [f for f in ("raw_coal", "coke") if f in fuels]
    coal_t = float(sum(base.t_co2[:, fuels.index(f)].sum() for f in coal))
    gas_ratio = 0.0
    if coal and "natural_gas" in fuels and ef[fuels.index(coal[0])] > 0:
        gas_ratio = ef[fuels.index("natural_gas")] / ef[fuels.index(coal[0])]
    gas_ratio = gas_ratio or 0.56  # GB/T 32150 defaults: natural gas ≈ 56 % of raw coal's CO2 per tce
    potentials = onsite_potential_kwh_yr(summary)
    energy_cost = energy_cost_yuan_per_t(summary)
    problems: list[Problem] = []
    out: list[Measure] = []
    onsite_t = 0.0
    for r in measure_defaults().to_dict("records"):
        key, value = str(r["key"]), float(r["basis_value"])
        status, source, cost = "estimate", str(r["source"]), float(r["cost_yuan_per_t_co2"])
        basis = str(r["basis"])
        if key in potentials:
            abate = potentials[key] * grid_t_per_kwh
            source = f"园区{r['name_zh']}潜力 the park's {r['name_en']} potential (kWh/yr) × grid"
        elif basis == "electricity_pct":
            abate = value / 100.0 * elec_kwh * grid_t_per_kwh
        elif basis == "gross_pct":
            abate = value / 100.0 * gross
        elif basis == "coal_switch_pct":
            abate = value / 100.0 * coal_t * (1.0 - gas_ratio)
        elif basis == "onsite_pct":
            abate = value / 100.0 * onsite_t
        else:
            raise InputError(f"measures.csv：未知 basis “{basis}”", f"measures.csv: unknown basis '{basis}'",
                             code="measures.basis")
        if key in ("rooftop_pv", "ground_pv", "wind"):
            onsite_t += abate
            if energy_cost is not None:
                cost, status = energy_cost, "computed"
                source += "; 成本来自逐时能量分析的经济性 cost from the hourly energy analysis' economics"
        if abate <= 0:
            problems.append(Problem("info", "measures.zero",
                                    f"措施 {r['name_zh']} 在本园区没有减排量（如无燃煤）",
                                    f"Measure {r['name_en']} abates nothing in this park (e.g. no coal)"))
            continue
        out.append(Measure(key, str(r["name_zh"]), str(r["name_en"]), str(r["kind"]), float(abate), cost,
                           int(r["start_year"]), source, status))
    return out, problems


_MEASURE_ALIASES = {"措施": "name_zh", "名称": "name_zh", "类型": "kind", "减排量": "abatement_t_co2_yr",
                    "成本": "cost_yuan_per_t_co2", "开始年份": "start_year", "来源": "source"}


def read_measures(path: str | Path) -> list[Measure]:
    """A user's measures (CSV/Excel): ``key, name_zh, kind (electricity/energy/sink),
    abatement_t_co2_yr, cost_yuan_per_t_co2, start_year`` [, ``name_en, source``]."""
    from gis.io.tables import read_data_table

    where = str(path)
    frame, _ = read_data_table(path)
    df = frame.rename(columns=lambda c: _MEASURE_ALIASES.get(str(c).strip(), str(c).strip().lower()))
    need = ["abatement_t_co2_yr", "cost_yuan_per_t_co2", "start_year"]
    missing = [c for c in need if c not in df.columns]
    if missing or ("key" not in df.columns and "name_zh" not in df.columns):
        raise InputError(f"措施表“{where}”缺少列：{'、'.join(missing) or 'key/name_zh'}",
                         f"The measures table '{where}' lacks columns: {', '.join(missing) or 'key/name_zh'}",
                         path=where, code="measures.columns")
    out = []
    for i, r in enumerate(df.to_dict("records")):
        row = i + 2
        nums = {}
        for c in need:
            try:
                nums[c] = float(str(r[c]).replace(",", ""))
            except ValueError:
                nums[c] = float("nan")
        kind = str(r.get("kind") or "energy").strip()
        if not all(np.isfinite(v) for v in nums.values()) or nums["abatement_t_co2_yr"] < 0 \
                or not YEAR_MIN <= nums["start_year"] <= 2060 or kind not in KINDS:
            raise InputError(f"措施表“{where}”第 {row} 行：减排量须为非负数，成本须为数字，"
                             f"开始年份 {YEAR_MIN}–2060，kind 为 {'/'.join(KINDS)}",
                             f"Measures table '{where}' row {row}: abatement must be a non-negative number, "
                             f"cost a number, start year {YEAR_MIN}–2060 and kind one of {'/'.join(KINDS)}",
                             path=where, code="measures.value")
        key = str(r.get("key") or r.get("name_zh"))
        out.append(Measure(key, str(r.get("name_zh") or key), str(r.get("name_en") or key), kind,
                           nums["abatement_t_co2_yr"], nums["cost_yuan_per_t_co2"], int(nums["start_year"]),
                           str(r.get("source") or where), "user"))
    return out


def macc(measures: Sequence[Measure]) -> pd.DataFrame:
    """The MACC table: measures sorted by cost (yuan/t, cheapest first; ties by larger abatement),
    each bar from ``x_start_t_co2`` to ``cumulative_t_co2`` (t/yr) and its annual cost (yuan/yr)."""
    if not measures:
        return pd.DataFrame(columns=MACC_COLUMNS)
    df = pd.DataFrame([m.to_dict() for m in measures])
    df = df.sort_values(["cost_yuan_per_t_co2", "abatement_t_co2_yr"], ascending=[True, False],
                        kind="stable").reset_index(drop=True)
    df["cumulative_t_co2"] = df["abatement_t_co2_yr"].cumsum()
    df["x_start_t_co2"] = df["cumulative_t_co2"] - df["abatement_t_co2_yr"]
    df["annual_cost_yuan"] = df["abatement_t_co2_yr"] * df["cost_yuan_per_t_co2"]
    return df[MACC_COLUMNS]


def apply_measures(measures: Sequence[Measure], years: np.ndarray, grid_ratio: np.ndarray) -> Applied:
    """Yearly abatement (t) of ``measures`` over ``years``: each from its start year on;
    electricity measures × ``grid_ratio`` (the grid factor ÷ the base year's)."""
    n = len(years)
    out = {k: np.zeros(n) for k in KINDS}
    for m in measures:
        on = (years >= m.start_year).astype(float)
        out[m.kind] += m.abatement_t_co2_yr * on * (grid_ratio if m.kind == "electricity" else 1.0)
    return Applied(out["electricity"], out["energy"], out["sink"])
