"""Emission pathways from the base year to 2060: a driver model per sector and fuel, and scenarios
(issue #19). Pure: no I/O except reading scenario tables.

Per sector s and year t (base year b = the latest history year):

* activity A_s,t = A_s,b × Π_{τ=b+1..t} (1 + g_s,τ)           (value-added growth, %/yr by period)
* energy   E_s,t = A_s,t × (E_s,b / A_s,b) × Π (1 − d_s,τ)     (intensity decline, %/yr by period)
  = E_s,b × Π(1 + g) × Π(1 − d), so the value added only matters for the intensities shown;
* fuel shares move linearly from the base-year shares to the targets of ``electrification_pct``
  (electricity) and ``fuel_share_pct`` (one fuel) by their target years and are held after the last
  one; the fuels without a target fill the rest in their base proportions;
* gross CO2 = Σ_f E_s,t,f × EF_f,t: EF of a fuel is its base-year emissions per tce (the accounting's
  factors), electricity's follows the grid factor path ``grid_kg_co2_per_kwh`` (from the accounting's
  factor in the base year);
* net CO2 = gross − on-site PV/wind (``onsite_buildout_pct`` of the park's potential, self-used, at
  most the park's electricity) − purchased green power (``green_power_pct`` of the grid electricity)
  − sinks (``sinks_t_co2``) − CCUS (``ccus_t_co2``) − the measures applied (:mod:`gis.carbon.measures`).

Rates (``*_pct`` per year) are given by period ("2026-2030"); a year takes the value of the latest
period starting at or before it (so a gap holds the previous rate). Targets are given by year and
interpolated linearly from the base-year value. The assumptions with their sources are
``resources/pathways/scenarios.csv``; methods: docs/pathways.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gis.carbon.measures import apply_measures
from gis.carbon.pathway_base import ELECTRICITY, YEAR_MIN, PathwayBase, base_from_rows
from gis.carbon.sectors import SECTORS, UNMAPPED, sector_name
from gis.errors import InputError, Problem
from gis.paths import resources_dir

END_YEAR = 2060
"""Carbon neutrality before 2060 (中共中央 国务院《关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的
意见》, 2021)."""
SCENARIO_COLUMNS = ["scenario", "scenario_zh", "parameter", "sector", "fuel", "period", "value", "unit",
                    "source", "status"]
DEFAULT_SCENARIOS = ("natural", "baseline", "enhanced")
"""自然 (no new policy), 基准 (policies in force), 强化 (ambitious) — resources/pathways/scenarios.csv."""


@dataclass(frozen=True)
class ParamSpec:
    """A scenario parameter: ``kind`` "rate" (by period, compounded yearly) or "target" (by year,
    interpolated), its unit and the range of a valid value."""

    kind: str
    unit: str
    low: float
    high: float
    zh: str
    en: str


PARAMETERS: dict[str, ParamSpec] = {
    "va_growth_pct": ParamSpec("rate", "%/yr", -30.0, 50.0, "增加值增速", "value-added growth"),
    "intensity_decline_pct": ParamSpec("rate", "%/yr", -30.0, 50.0, "能耗强度下降率",
                                       "energy-intensity decline"),
    "electrification_pct": ParamSpec("target", "%", 0.0, 100.0, "电能占终端能源比重",
                                     "electricity share of energy"),
    "fuel_share_pct": ParamSpec("target", "%", 0.0, 100.0, "某能源品种占比", "share of one fuel"),
    "grid_kg_co2_per_kwh": ParamSpec("target", "kgCO2/kWh", 0.0, 2.0, "电网排放因子", "grid emission factor"),
    "onsite_buildout_pct": ParamSpec("target", "% of potential", 0.0, 100.0, "园区光伏风电建成比例",
                                     "on-site PV/wind built, share of potential"),
    "green_power_pct": ParamSpec("target", "% of grid electricity", 0.0, 100.0, "外购绿电比例",
                                 "purchased green power, share of grid electricity"),
    "sinks_t_co2": ParamSpec("target", "tCO2/yr", 0.0, 1e10, "碳汇", "sinks"),
    "ccus_t_co2": ParamSpec("target", "tCO2/yr", 0.0, 1e10, "碳捕集利用与封存", "CCUS"),
}
"""The parameters a scenario may set (any other name in a file is an error)."""


@dataclass
class Scenario:
    """One scenario: its key, Chinese name and parameter rows (``SCENARIO_COLUMNS`` plus the parsed
    ``start``/``end`` years of each row's period)."""

    name: str
    name_zh: str
    rows: pd.DataFrame

    def scaled(self, parameter: str, factor: float) -> Scenario:
        """A copy with ``parameter``'s values × ``factor`` (for the sensitivity); target shares
        stay within their valid range."""
        rows = self.rows.copy()
        hit = rows["parameter"] == parameter
        spec = PARAMETERS[parameter]
        rows.loc[hit, "value"] = np.clip(rows.loc[hit, "value"].to_numpy(float) * factor, spec.low, spec.high)
        return Scenario(self.name, self.name_zh, rows)


# ---------------------------------------------------------------- reading scenario tables

_PERIOD = re.compile(r"^\s*(\d{4})(?:\.0)?\s*(?:[-–—~至到]\s*(\d{4})(?:\.0)?)?\s*$")
_ALIASES = {"情景": "scenario", "情景名称": "scenario_zh", "参数": "parameter", "部门": "sector",
            "能源品种": "fuel", "时期": "period", "年份": "period", "year": "period", "数值": "value",
            "单位": "unit", "来源": "source", "状态": "status"}


def _sector_key(text: str) -> str | None:
    t = str(text).strip()
    if t.lower() in ("", "all", "全部", "nan", "none"):
        return "all"
    if t in SECTORS or t == UNMAPPED:
        return t
    return next((k for k in (*SECTORS, UNMAPPED) if t in (sector_name(k, "zh"), sector_name(k, "en"))), None)


def _bad(where: str, row: int, zh: str, en: str, code: str) -> InputError:
    return InputError(f"情景表“{where}”第 {row} 行：{zh}", f"Scenario table '{where}' row {row}: {en}",
                      path=where, code=code)


def parse_scenario_table(frame: pd.DataFrame, where: str = "scenario table",
                         end_year: int = END_YEAR) -> list[Scenario]:
    """Scenarios of a long table (``scenario, parameter, sector, fuel, period, value, unit, source``;
    Chinese headers accepted). Raises InputError naming the row for an unknown parameter, a sector
    or fuel not known, a value that is not a finite number or out of range, a period out of range."""
    from gis.carbon.factors import match_fuel

    df = frame.rename(columns=lambda c: _ALIASES.get(str(c).strip(), str(c).strip().lower()))
    missing = [c for c in ("scenario", "parameter", "period", "value") if c not in df.columns]
    if missing:
        raise InputError(f"情景表“{where}”缺少列：{'、'.join(missing)}（需要 scenario, parameter, sector, "
                         "period, value, unit, source）",
                         f"The scenario table '{where}' lacks columns: {', '.join(missing)} (scenario, "
                         "parameter, sector, period, value, unit, source are needed)",
                         path=where, code="pathways.columns")
    out = []
    for i, r in enumerate(df.to_dict("records")):
        row = int(df.index[i]) + 2 if isinstance(df.index[i], (int, np.integer)) else i + 2
        param = str(r.get("parameter", "")).strip()
        if param not in PARAMETERS:
            raise _bad(where, row, f"未知参数“{param}”，可用：{'、'.join(PARAMETERS)}",
                       f"unknown parameter '{param}'; known: {', '.join(PARAMETERS)}", "pathways.parameter")
        spec = PARAMETERS[param]
        try:
            value = float(str(r.get("value")).replace(",", "").strip())
        except ValueError:
            value = float("nan")
        if not np.isfinite(value) or not spec.low <= value <= spec.high:
            raise _bad(where, row, f"{param} 的数值“{r.get('value')}”须为 {spec.low:g}–{spec.high:g} "
                       "之间的数", f"{param} value '{r.get('value')}' must be a number from {spec.low:g} to "
                       f"{spec.high:g}", "pathways.value")
        m = _PERIOD.match(str(r.get("period", "")))
        start = int(m.group(1)) if m else -1
        end = int(m.group(2) or m.group(1)) if m else -1
        if not m or start > end or start < YEAR_MIN or end > end_year:
            raise _bad(where, row, f"时期“{r.get('period')}”须为 {YEAR_MIN}–{end_year} 之间的年份或 "
                       "“2026-2030”形式的时期", f"period '{r.get('period')}' must be a year or a span such "
                       f"as '2026-2030' within {YEAR_MIN}–{end_year}", "pathways.period")
        sector = _sector_key(r.get("sector", "all"))
        if sector is None:
            raise _bad(where, row, f"部门“{r.get('sector')}”未知，可用 all 或 {'/'.join(SECTORS)}",
                       f"unknown sector '{r.get('sector')}'; use all or {'/'.join(SECTORS)}",
                       "pathways.sector")
        fuel_text = r.get("fuel")
        fuel = "" if fuel_text is None or pd.isna(fuel_text) or not str(fuel_text).strip() else str(fuel_text)
        if fuel:
            fuel = fuel if fuel == ELECTRICITY else (match_fuel(fuel) or "")
            if not fuel:
                raise _bad(where, row, f"能源品种“{fuel_text}”未知", f"unknown fuel '{fuel_text}'",
                           "pathways.fuel")
        if param == "fuel_share_pct" and (not fuel or fuel == ELECTRICITY):
            raise _bad(where, row, "fuel_share_pct 须在 fuel 列给出非电力的能源品种"
                       "（电力用 electrification_pct）",
                       "fuel_share_pct needs a fuel other than electricity in the fuel column "
                       "(electricity: electrification_pct)", "pathways.fuel")
        name = str(r["scenario"]).strip()
        zh = r.get("scenario_zh")
        out.append({"scenario": name, "scenario_zh": name if zh is None or pd.isna(zh) else str(zh).strip(),
                    "parameter": param, "sector": sector, "fuel": fuel,
                    "period": str(r.get("period")).strip(),
                    "start": start, "end": end, "value": value, "unit": str(r.get("unit") or spec.unit),
                    "source": "" if pd.isna(r.get("source")) else str(r.get("source", "")),
                    "status": "" if pd.isna(r.get("status")) else str(r.get("status", "")) or "user"})
    rows = pd.DataFrame(out, columns=[*SCENARIO_COLUMNS, "start", "end"])
    return [Scenario(str(k), str(g["scenario_zh"].iloc[0]), g.reset_index(drop=True))
            for k, g in rows.groupby("scenario", sort=False)]


def read_scenarios(path: str | Path, end_year: int = END_YEAR) -> list[Scenario]:
    """Scenarios of a CSV/Excel file in the long format of resources/pathways/scenarios.csv."""
    from gis.io.tables import read_data_table

    frame, _ = read_data_table(path)
    return parse_scenario_table(frame, str(path), end_year)


@lru_cache(maxsize=1)
def _default_frame() -> pd.DataFrame:
    return pd.read_csv(Path(resources_dir()) / "pathways" / "scenarios.csv", dtype=str, keep_default_na=False)


def default_scenarios() -> list[Scenario]:
    """自然, 基准, 强化 of resources/pathways/scenarios.csv."""
    path = str(Path(resources_dir()) / "pathways" / "scenarios.csv")
    return parse_scenario_table(_default_frame(), path)


def assumptions_table(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """Every parameter row of ``scenarios`` with its unit and source (the workbook's 假设 sheet)."""
    if not scenarios:
        return pd.DataFrame(columns=SCENARIO_COLUMNS)
    return pd.concat([s.rows[SCENARIO_COLUMNS] for s in scenarios], ignore_index=True)


# ---------------------------------------------------------------- the base year

def base_from_trends(trends: Any, *, onsite_potential_kwh_yr: float = 0.0, extra_sinks_t_co2: float = 0.0,
                     year: int | None = None) -> PathwayBase:
    """The base of a :class:`gis.carbon.trends.TrendsResult`: its latest year (or ``year``); the
    table's green-power, sink and CCS columns of that year are the base deductions, plus
    ``extra_sinks_t_co2`` (e.g. the park's green space, t/yr)."""
    year = int(trends.years[-1] if year is None else year)
    d = trends.detail[trends.detail["year"] == year]
    ent = trends.entities[trends.entities["year"] == year]
    va = ent.groupby("sector6")["value_added_10k_yuan"].sum(min_count=1)
    factors = trends.emissions.factors
    tce_per_kwh = float(factors.tce_per_unit.get(ELECTRICITY, 0.0001229))
    elec = d[d["fuel"] == ELECTRICITY]
    kwh = float(elec["amount_canonical"].sum())
    grid = 1000.0 * float(elec["t_co2"].sum()) / kwh if kwh > 0 else trends.emissions.grid_kg_co2_per_kwh
    col = {c: float(ent[c].sum()) if c in ent else 0.0 for c in ("green_kwh", "sink_t_co2", "ccs_t_co2")}
    hist = trends.totals[["year", "tce", "t_co2"]].copy()
    return base_from_rows(d[["sector6", "fuel", "tce", "t_co2"]], year, va, grid_kg_co2_per_kwh=grid,
                          electricity_tce_per_kwh=tce_per_kwh,
                          onsite_potential_kwh_yr=float(onsite_potential_kwh_yr),
                          sinks_t_co2=col["sink_t_co2"] + float(extra_sinks_t_co2),
                          ccus_t_co2=col["ccs_t_co2"],
                          green_kwh=col["green_kwh"], history=hist, problems=list(trends.problems))


# ---------------------------------------------------------------- the model

@dataclass(frozen=True)
class _Rows:
    """A scenario's rows as numpy arrays (pandas selections cost ~1 ms each; a path needs dozens)."""

    parameter: np.ndarray
    sector: np.ndarray
    fuel: np.ndarray
    start: np.ndarray
    end: np.ndarray
    value: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Rows:
        return cls(*(frame[c].to_numpy(object) for c in ("parameter", "sector", "fuel")),
                   *(frame[c].to_numpy(float) for c in ("start", "end", "value")))

    def where(self, mask: np.ndarray) -> _Rows:
        return _Rows(*(a[mask] for a in (self.parameter, self.sector, self.fuel, self.start, self.end,
                                          self.value)))

    def of_parameter(self, name: str) -> _Rows:
        return self.where(self.parameter == name)


def _rate_path(rows: _Rows, years: np.ndarray, sectors: list[str]) -> np.ndarray:
    """Y × S yearly rates (fraction) of one rate parameter: each row sets the years from its start on
    (rows sorted by start, a sector's own rows after "all"), so a year takes the latest period begun."""
    out = np.zeros((len(years), len(sectors)))
    order = np.lexsort((rows.start, rows.sector != "all"))
    for start, sector, value in zip(rows.start[order], rows.sector[order], rows.value[order], strict=True):
        cols = slice(None) if sector == "all" else [i for i, s in enumerate(sectors) if s == sector]
        out[years >= start, cols] = value / 100.0
    return out


def _target_path(rows: _Rows, years: np.ndarray, base_value: np.ndarray, sectors: list[str],
                 floor: bool = False) -> np.ndarray:
    """Y × S values of one target parameter: linear from ``base_value`` (per sector) in the base year
    through the target years after it, held after the last (a sector's own rows replace "all"; with
    ``sectors == ["all"]`` every row counts). ``floor``: a target below the base value is read as the
    base value (a park already more electrified than a national target keeps its share)."""
    out = np.repeat(base_value[None, :], len(years), axis=0).astype(float)
    later = rows.end > years[0]
    for j, s in enumerate(sectors):
        hit = later if s == "all" and sectors == ["all"] else later & (rows.sector == s)
        hit = hit if hit.any() else later & (rows.sector == "all")
        if hit.any():
            order = np.argsort(rows.end[hit], kind="stable")
            ends, vals = rows.end[hit][order], rows.value[hit][order]
            last = np.append(ends[1:] != ends[:-1], True)  # of rows for one year, the last counts
            ends, vals = ends[last], vals[last]
            vals = np.maximum(vals, base_value[j]) if floor else vals
            out[:, j] = np.interp(years, [years[0], *ends], [base_value[j], *vals])
    return out


def _shares(base: PathwayBase, rows: _Rows, years: np.ndarray) -> np.ndarray:
    """Y × S × F fuel shares of energy: electricity and the fuels with targets follow them, the
    others fill the rest in their base proportions (electricity takes the rest when none are left)."""
    tot = base.tce.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share0 = np.where(tot[:, None] > 0, base.tce / tot[:, None], 0.0)
    ie = base.fuels.index(ELECTRICITY)
    shares = np.repeat(share0[None], len(years), axis=0)
    targeted = np.zeros(share0.shape, dtype=bool)
    targeted[:, ie] = True
    el = rows.of_parameter("electrification_pct")
    shares[:, :, ie] = _target_path(el, years, 100 * share0[:, ie], base.sectors, floor=True) / 100.0
    fs = rows.of_parameter("fuel_share_pct")
    for fuel in dict.fromkeys(fs.fuel):
        if fuel not in base.fuels:
            continue
        j = base.fuels.index(fuel)
        g = fs.where(fs.fuel == fuel)
        mask = np.array([bool(np.isin(g.sector, [s, "all"]).any()) for s in base.sectors])
        shares[:, mask, j] = (_target_path(g, years, 100 * share0[:, j], base.sectors) / 100.0)[:, mask]
        targeted[mask, j] = True
    fixed = np.where(targeted[None], shares, 0.0)
    fixed_sum = fixed.sum(axis=2)
    over = fixed_sum > 1.0  # targets adding to more than all the energy: scale the non-electric ones down
    if over.any():
        other = fixed_sum - fixed[:, :, ie]
        with np.errstate(divide="ignore", invalid="ignore"):
            k = np.where(over & (other > 0), (1.0 - fixed[:, :, ie]) / other, 1.0)
        fixed = fixed * np.where(np.arange(len(base.fuels)) == ie, 1.0, k[:, :, None])
        fixed_sum = fixed.sum(axis=2)
    rest = np.clip(1.0 - fixed_sum, 0.0, None)
    free = np.where(targeted, 0.0, share0)
    free_sum = free.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.where(free_sum[:, None] > 0, free / free_sum[:, None], 0.0)
    out = fixed + rest[:, :, None] * weights[None]
    out[:, :, ie] += np.where(free_sum[None] > 0, 0.0, rest)
    return np.where(tot[None, :, None] > 0, out, 0.0)


def run_scenario(base: PathwayBase, scenario: Scenario, *, end_year: int = END_YEAR,
                 measures: Sequence[Any] = (), target: pd.DataFrame | None = None,
                 indicator_threshold: float | None = None) -> ScenarioPath:
    """One scenario's path from the base year to ``end_year`` (measures:
    :class:`gis.carbon.measures.Measure`)."""
    if end_year <= base.year:
        raise InputError(f"终止年 {end_year} 须晚于基准年 {base.year}",
                         f"The end year {end_year} must come after the base year {base.year}",
                         code="pathways.years")
    years = np.arange(base.year, end_year + 1)
    rows = _Rows.of(scenario.rows)
    rows_of = rows.of_parameter

    g = _rate_path(rows_of("va_growth_pct"), years, base.sectors)
    d = _rate_path(rows_of("intensity_decline_pct"), years, base.sectors)
    g[0], d[0] = 0.0, 0.0  # the base year is history
    activity = np.cumprod(1.0 + g, axis=0)
    energy_s = base.tce.sum(axis=1)[None, :] * activity * np.cumprod(1.0 - d, axis=0)
    tce = energy_s[:, :, None] * _shares(base, rows, years)

    one = np.ones(1)
    grid = _target_path(rows_of("grid_kg_co2_per_kwh"), years,
                        base.grid_kg_co2_per_kwh * one, ["all"])[:, 0]
    ef = np.repeat(base.fuel_t_co2_per_tce()[None], len(years), axis=0)
    ie = base.fuels.index(ELECTRICITY)
    ef[:, ie] = grid / 1000.0 / base.electricity_tce_per_kwh
    t_co2 = tce * ef[:, None, :]

    def park_line(p: str, base_value: float) -> np.ndarray:
        return _target_path(rows_of(p), years, base_value * one, ["all"])[:, 0]

    elec_kwh = tce[:, :, ie].sum(axis=1) / base.electricity_tce_per_kwh
    built = park_line("onsite_buildout_pct", 0.0) / 100.0
    onsite_kwh = np.minimum(base.onsite_potential_kwh_yr * built, elec_kwh)
    grid_kwh = elec_kwh - onsite_kwh
    with np.errstate(divide="ignore", invalid="ignore"):
        green0 = 100.0 * base.green_kwh / grid_kwh[0] if grid_kwh[0] > 0 else 0.0
    green_kwh = np.minimum(grid_kwh * park_line("green_power_pct", min(green0, 100.0)) / 100.0, grid_kwh)

    applied = apply_measures(measures, years, grid / base.grid_kg_co2_per_kwh if base.grid_kg_co2_per_kwh > 0
                             else np.ones(len(years)))
    lines = pd.DataFrame({
        "year": years, "tce": tce.sum(axis=(1, 2)),
        "value_added_10k_yuan": (base.value_added_10k_yuan[None, :] * activity).sum(axis=1),
        "gross_t_co2": t_co2.sum(axis=(1, 2)),
        "onsite_t_co2": onsite_kwh * grid / 1000.0, "green_t_co2": green_kwh * grid / 1000.0,
        "sinks_t_co2": park_line("sinks_t_co2", base.sinks_t_co2),
        "ccus_t_co2": park_line("ccus_t_co2", base.ccus_t_co2),
        "measures_t_co2": applied.electricity_t_co2 + applied.energy_t_co2 + applied.sink_t_co2,
        "grid_kg_co2_per_kwh": grid, "onsite_kwh": onsite_kwh,
    })
    lines["electrification_pct"] = 100.0 * tce[:, :, ie].sum(axis=1) / lines["tce"].where(lines["tce"] > 0)
    energy_after = (lines["gross_t_co2"] - lines["onsite_t_co2"] - lines["green_t_co2"]
                    - applied.electricity_t_co2 - applied.energy_t_co2)
    lines["t_co2"] = energy_after - lines["sinks_t_co2"] - lines["ccus_t_co2"] - applied.sink_t_co2
    lines["t_co2_per_tce"] = energy_after / lines["tce"].where(lines["tce"] > 0)
    lines["t_co2_per_10k_yuan"] = lines["t_co2"] / lines["value_added_10k_yuan"].where(
        lines["value_added_10k_yuan"] > 0)
    path = ScenarioPath(name=scenario.name, name_zh=scenario.name_zh, years=years, sectors=list(base.sectors),
                        fuels=list(base.fuels), tce=tce, t_co2=t_co2, lines=lines)
    return finish_path(path, base, target, indicator_threshold)


# ---------------------------------------------------------------- results

def _first_year(years: np.ndarray, hit: np.ndarray) -> int | None:
    return int(years[np.argmax(hit)]) if hit.any() else None


@dataclass
class ScenarioPath:
    """One scenario's path: ``tce`` and gross ``t_co2`` per year × sector × fuel, ``lines`` per year
    (``tce, value_added_10k_yuan, gross_t_co2, onsite_t_co2, green_t_co2, sinks_t_co2, ccus_t_co2,
    measures_t_co2, grid_kg_co2_per_kwh, onsite_kwh, electrification_pct, t_co2`` (net),
    ``t_co2_per_tce`` (the national indicator: after on-site and green power and energy measures, before
    sinks and CCUS), ``t_co2_per_10k_yuan, target_t_co2, gap_t_co2``) and the milestones.

    peak_year: the year of the largest net emissions; None when that is the last year (not reached
    by ``end_year``); peak_t_co2 the largest net emissions either way. indicator_year: the first year
    t_co2_per_tce ≤ indicator_threshold; net_zero_year: the first year net ≤ 0; cumulative_*: net
    emissions summed from the base year to 2030 / 2060 inclusive (None when outside the path);
    gap_*: net − target in that year (positive: above the target path)."""

    name: str
    name_zh: str
    years: np.ndarray
    sectors: list[str]
    fuels: list[str]
    tce: np.ndarray
    t_co2: np.ndarray
    lines: pd.DataFrame
    peak_year: int | None = None
    peak_t_co2: float = float("nan")
    indicator_threshold: float | None = None
    indicator_year: int | None = None
    net_zero_year: int | None = None
    cumulative_2030_t_co2: float | None = None
    cumulative_2060_t_co2: float | None = None
    gap_2030_t_co2: float | None = None
    gap_2060_t_co2: float | None = None
    problems: list[Problem] = field(default_factory=list)

    def net(self, year: int) -> float | None:
        """Net emissions of ``year`` (t), None outside the path."""
        hit = self.lines["year"] == year
        return float(self.lines.loc[hit, "t_co2"].iloc[0]) if hit.any() else None

    def by_sector(self) -> pd.DataFrame:
        """Per year × sector: ``year, sector6, sector6_zh, tce, t_co2`` (gross of energy use)."""
        y, s = np.meshgrid(self.years, self.sectors, indexing="ij")
        return pd.DataFrame({"year": y.ravel(), "sector6": s.ravel(),
                             "sector6_zh": [sector_name(k) for k in s.ravel()],
                             "tce": self.tce.sum(axis=2).ravel(), "t_co2": self.t_co2.sum(axis=2).ravel()})

    def by_fuel(self) -> pd.DataFrame:
        """Per year × fuel: ``year, fuel, tce, t_co2`` (gross)."""
        y, f = np.meshgrid(self.years, self.fuels, indexing="ij")
        return pd.DataFrame({"year": y.ravel(), "fuel": f.ravel(), "tce": self.tce.sum(axis=1).ravel(),
                             "t_co2": self.t_co2.sum(axis=1).ravel()})

    def milestones(self) -> dict:
        """Peak year and level, indicator year, net-zero year, cumulative emissions and gaps."""
        return {"name": self.name, "name_zh": self.name_zh, "peak_year": self.peak_year,
                "peak_reached": self.peak_year is not None, "peak_t_co2": self.peak_t_co2,
                "indicator_threshold": self.indicator_threshold, "indicator_year": self.indicator_year,
                "net_zero_year": self.net_zero_year, "t_co2_2030": self.net(2030),
                "t_co2_2060": self.net(2060),
                "cumulative_2030_t_co2": self.cumulative_2030_t_co2,
                "cumulative_2060_t_co2": self.cumulative_2060_t_co2,
                "gap_2030_t_co2": self.gap_2030_t_co2, "gap_2060_t_co2": self.gap_2060_t_co2}

    def summary(self) -> dict:
        """JSON-ready: the milestones, ``path`` (per year the lines), ``by_sector`` and ``by_fuel``
        (per year × sector or fuel: tce and gross t CO2)."""
        return {**self.milestones(), "path": json_rows(self.lines),
                "by_sector": json_rows(self.by_sector().drop(columns="sector6_zh")),
                "by_fuel": json_rows(self.by_fuel()),
                "problems": [p.to_dict() for p in self.problems]}


def _json_value(v: Any) -> Any:
    """None for NaN; whole numbers as int; floats to 4 decimals (6 significant digits below 1), as
    the accounting's summaries (gis.carbon.emissions._record) keep them."""
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (np.integer, int)):
        return int(v)
    if isinstance(v, (np.floating, float)):
        v = float(v)
        if not np.isfinite(v):
            return None
        return round(v, 4) if abs(v) >= 1 else float(f"{v:.6g}")
    return v


def json_rows(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows of a frame (:func:`_json_value` of each cell)."""
    return [{k: _json_value(v) for k, v in r.items()} for r in frame.to_dict("records")]


def finish_path(path: ScenarioPath, base: PathwayBase, target: pd.DataFrame | None,
                threshold: float | None) -> ScenarioPath:
    """Fill the milestones and the target path and gap of ``path`` (in place; returned)."""
    years, net = path.years, path.lines["t_co2"].to_numpy(float)
    i = int(np.argmax(net))
    path.peak_t_co2 = float(net[i])
    path.peak_year = None if i == len(years) - 1 else int(years[i])
    if path.peak_year is None:
        path.problems.append(Problem("info", "pathways.no_peak",
                                     f"情景 {path.name_zh}：{int(years[-1])} 年前未达峰",
                                     f"Scenario {path.name}: no peak by {int(years[-1])}"))
    path.indicator_threshold = threshold
    if threshold is not None:
        per_tce = path.lines["t_co2_per_tce"].to_numpy(float)
        path.indicator_year = _first_year(years, per_tce <= threshold + 1e-12)
    path.net_zero_year = _first_year(years, net <= 0.0)
    for y in (2030, 2060):
        setattr(path, f"cumulative_{y}_t_co2", float(net[years <= y].sum()) if years[-1] >= y else None)
    if target is not None and len(target):
        t = target.sort_values("year")
        tgt = np.interp(years, t["year"].to_numpy(float), t["t_co2"].to_numpy(float),
                        left=np.nan, right=np.nan)
    else:  # linear from the peak (or the base year when no peak) to net zero in the last year
        j = i if path.peak_year is not None else 0
        tgt = np.full(len(years), np.nan)
        tgt[j:] = np.interp(years[j:], [years[j], years[-1]], [net[j], 0.0])
    path.lines["target_t_co2"] = tgt
    path.lines["gap_t_co2"] = net - tgt
    for y in (2030, 2060):
        hit = (years == y) & np.isfinite(tgt)
        setattr(path, f"gap_{y}_t_co2", float((net - tgt)[hit][0]) if hit.any() else None)
    return path


def read_target(path: str | Path) -> pd.DataFrame:
    """A target path (CSV/Excel with ``year`` (年份) and ``t_co2`` (排放量/目标) columns)."""
    from gis.io.tables import read_data_table

    frame, _ = read_data_table(path)
    cols = {str(c).strip().lower(): c for c in frame.columns}
    ycol = cols.get("year") or cols.get("年份")
    names = ("t_co2", "target_t_co2", "排放量", "目标", "目标排放量")
    vcol = next((cols[k] for k in names if k in cols), None)
    if ycol is None or vcol is None:
        raise InputError(f"目标路径“{path}”须有 year（年份）和 t_co2（排放量）两列",
                         f"The target path '{path}' needs columns year and t_co2", path=str(path),
                         code="pathways.target")
    out = pd.DataFrame({"year": pd.to_numeric(frame[ycol], errors="coerce"),
                        "t_co2": pd.to_numeric(frame[vcol], errors="coerce")})
    if out.isna().any().any() or not out["year"].between(YEAR_MIN, END_YEAR).all():
        raise InputError(f"目标路径“{path}”有非数字、空值或 {YEAR_MIN}–{END_YEAR} 之外的年份",
                         f"The target path '{path}' has text, blanks or years outside {YEAR_MIN}–{END_YEAR}",
                         path=str(path), code="pathways.target")
    return out


def indicator_threshold(energy_tce: float, set_key: str = "national-2025") -> tuple[float | None, str]:
    """The carbon-per-energy threshold (tCO2/tce) of the indicator set for a park using
    ``energy_tce`` per year, and its source (resources/indicators/indicator_sets.csv); a park below
    the set's smallest size takes the strictest threshold (said in the source text)."""
    from gis.carbon.indicators import _applies, indicator_table

    t = indicator_table()
    rows = t[(t["set_key"] == set_key) & (t["metric"] == "t_co2_per_tce")]
    if rows.empty:
        return None, ""
    for r in rows.itertuples():
        if _applies(r.applies_if, {"energy_tce": energy_tce}):
            return float(r.threshold), str(r.source)
    r = rows.loc[rows["threshold"].idxmin()]
    return float(r["threshold"]), f"{r['source']}（园区规模以下，取最严 / below the set's size: strictest）"


@dataclass
class PathwaysResult:
    """Every scenario's path from one base, the assumptions (every parameter with its source) and
    the indicator threshold used."""

    base: PathwayBase
    scenarios: list[ScenarioPath]
    assumptions: pd.DataFrame
    indicator_threshold: float | None = None
    indicator_source: str = ""
    problems: list[Problem] = field(default_factory=list)

    def get(self, name: str) -> ScenarioPath:
        """The path of scenario ``name`` (key or Chinese name)."""
        for s in self.scenarios:
            if name in (s.name, s.name_zh):
                return s
        raise KeyError(name)

    def comparison(self) -> pd.DataFrame:
        """One row per scenario: the milestones (情景对比)."""
        return pd.DataFrame([s.milestones() for s in self.scenarios])

    def summary(self) -> dict:
        """JSON-ready: base year and base, history, per scenario its summary, the comparison,
        the assumptions and the problems."""
        hist = self.base.history
        return {"base_year": self.base.year, "base": self.base.to_dict(),
                "history": [{"year": int(y), "tce": float(e), "t_co2": float(c)}
                            for y, e, c in zip(hist["year"], hist["tce"], hist["t_co2"], strict=True)],
                "indicator_threshold": self.indicator_threshold, "indicator_source": self.indicator_source,
                "scenarios": [s.summary() for s in self.scenarios],
                "assumptions": self.assumptions.astype(object).where(self.assumptions.notna(), None)
                .to_dict("records"),
                "problems": [p.to_dict() for p in self.problems]}


def pathways(base: PathwayBase, scenarios: Sequence[Scenario] | None = None, *, measures: Sequence[Any] = (),
             measures_on: str | None = "baseline", target: pd.DataFrame | None = None,
             end_year: int = END_YEAR) -> PathwaysResult:
    """The paths of ``scenarios`` (default 自然/基准/强化) from ``base`` to ``end_year``; with
    ``measures`` one more path, ``measures_on`` + the measures from their start years."""
    scenarios = list(scenarios) if scenarios is not None else default_scenarios()
    if not scenarios:
        raise InputError("没有情景", "No scenarios given", code="pathways.none")
    threshold, source = indicator_threshold(float(base.tce.sum()))
    problems = list(base.problems)
    paths = [run_scenario(base, s, end_year=end_year, target=target, indicator_threshold=threshold)
             for s in scenarios]
    if measures:
        on = next((s for s in scenarios if measures_on in (s.name, s.name_zh)), scenarios[0])
        onsite = {"rooftop_pv", "ground_pv", "wind"} & {getattr(m, "key", "") for m in measures}
        rows = on.rows
        builds = (rows["parameter"] == "onsite_buildout_pct") & (rows["value"] > 0)
        if onsite and builds.any():  # the measures build the on-site PV/wind: not twice
            rows = rows[rows["parameter"] != "onsite_buildout_pct"].reset_index(drop=True)
            problems.append(Problem("info", "pathways.onsite_by_measures",
                                    f"情景 {on.name_zh}+措施：园区光伏风电按措施 {'、'.join(sorted(onsite))} "
                                    "计入，不再按情景的建设比例重复计入",
                                    f"Scenario {on.name}+measures: on-site PV/wind count through the "
                                    f"measures {', '.join(sorted(onsite))}, not again through the "
                                    "scenario's build-out"))
        with_measures = Scenario(f"{on.name}+measures", f"{on.name_zh}+措施", rows)
        paths.append(run_scenario(base, with_measures, end_year=end_year, measures=measures, target=target,
                                  indicator_threshold=threshold))
    for p in paths:
        problems += p.problems
    return PathwaysResult(base=base, scenarios=paths, assumptions=assumptions_table(scenarios),
                          indicator_threshold=threshold, indicator_source=source, problems=problems)
