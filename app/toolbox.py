"""The energy toolbox for one enterprise (企业能源工具箱): its energy, CO2, carbon intensity, grade and
ranks; its roofs' PV potential; a PV + storage + green-power package with economics; and what each
measure does to its carbon-efficiency grade. Qt-free; the PDF is :mod:`app.report.toolbox_pages`,
the command ``lingtan toolbox`` is :mod:`app.algorithms.toolbox`. Method and sources: docs/toolbox.md.

Everything is computed for the chosen enterprise only:

* grades: the park's energy table accounted (gis.carbon.emissions) and graded (gis.carbon.grades,
  DB33/T 1347-2023) — the enterprise's L, K, level, grade and ranks are the grading's own;
* PV: the rooftop engine (:func:`app.pv.site_rooftop_pv`) on the buildings whose enterprise id is
  the enterprise's (the join of :func:`gis.carbon.grades.grade_layer`);
* package: the hourly energy system (gis.energy) for the enterprise's own load (its typical
  profile scaled to its electricity, gis.energy.park_load) and its roofs' hourly PV, with a battery
  sized by gis.energy.sizing (least annual cost, PV pinned at the roof potential) or, when the
  least-cost battery is none, :data:`DEFAULT_BATTERY_POWER_PCT_OF_PV` / :data:`DEFAULT_BATTERY_HOURS`;
  when the hourly run is not possible the figures are annual estimates (``estimated``: 估算);
* measures: L and K recomputed with each measure's zero-carbon electricity or saved energy,
  the industry benchmark L held fixed (the other enterprises do not change).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

ENERGY_SAVING_PCT = 13.5
"""Energy saving of the efficiency measure (% of the enterprise's energy and its CO2): the national
14th Five-Year target for energy use per unit of GDP, −13.5 % from 2020 to 2025 (国务院《“十四五”
节能减排综合工作方案》国发〔2021〕33号)."""
GREEN_TARGET_PCT = 50.0
"""Green electricity (on-site used + bought) the green-power purchase brings the enterprise to, % of
its electricity use: the guiding indicator "directly supplied green power ≥ 50 % of consumption"
of the national zero-carbon park indicator system (trial, 2025; DOMAIN.md §2)."""
GREEN_PREMIUM_YUAN_KWH = 0.04
"""Green-power premium over ordinary electricity (元/kWh): the middle of the 0.03–0.05 元/kWh the
first green-power trades (pilot of 2021-09-07, NDRC) cleared above medium/long-term contracts
(Climate Cooperation China, "China launches pilot for green power trading"); to verify for the
province and year."""
DEFAULT_BATTERY_POWER_PCT_OF_PV = 10.0
DEFAULT_BATTERY_HOURS = 2.0
"""Battery shown when the least-cost battery is none: 10 % of the PV capacity for 2 hours, the usual
storage requirement (配储 10 %/2 h) of provincial distributed-PV notices (Lingtan assumption: check the
site's rule)."""
DEFAULT_TARIFF = "zhejiang_2026"
"""Tariff of the package's bill: Zhejiang's industrial/commercial time-of-use tariff (the sample park
lies in Hangzhou; resources/tariffs gives the source of each price). Choose the site's province."""
SIZING_TIME_LIMIT_S = 20.0
"""Time limit of the battery sizing LP (one enterprise, 8760 hours: a few seconds)."""


@dataclass
class Measure:
    """One measure and its effect: ``t_co2_yr`` less CO2 a year (t), ``green_kwh`` zero-carbon
    electricity it brings (kWh/yr), ``tce_saved`` energy it saves (tce/yr), and L
    (tCO2/10⁴ yuan), K, level and grade after it (industry benchmark fixed)."""

    key: str
    name_zh: str
    name_en: str
    t_co2_yr: float
    green_kwh: float
    tce_saved: float
    L_after: float
    K_after: float
    level_after: str
    grade_after: int | None
    estimated: bool = False
    note_zh: str = ""
    note_en: str = ""

    def to_dict(self) -> dict:
        return {"key": self.key, "name": self.name_zh, "name_en": self.name_en,
                "t_co2_yr": _r(self.t_co2_yr, 1), "green_kwh": _r(self.green_kwh, 0),
                "tce_saved": _r(self.tce_saved, 1), "L_after": _r(self.L_after, 4),
                "K_after": _r(self.K_after, 4), "level_after": self.level_after,
                "grade_after": self.grade_after, "estimated": self.estimated}


@dataclass
class RoofPV:
    """The enterprise's rooftop PV: totals (kWp, kWh/yr …), per building rows and the engine's result."""

    buildings: int
    buildings_with_pv: int
    roof_m2: float
    kwp: float
    kwh_yr: float
    kwh_per_kwp: float
    monthly_kwh: list[float]
    table: pd.DataFrame
    result: Any = None
    weather_source: str = ""

    def to_dict(self) -> dict:
        return {"buildings": self.buildings, "buildings_with_pv": self.buildings_with_pv,
                "roof_m2": _r(self.roof_m2, 1), "kwp": _r(self.kwp, 1), "kwh_yr": _r(self.kwh_yr, 0),
                "kwh_per_kwp": _r(self.kwh_per_kwp, 1), "monthly_kwh": [_r(v, 0) for v in self.monthly_kwh],
                "weather_source": self.weather_source}


@dataclass
class Package:
    """PV + storage + green power: sizes, energy (kWh/yr), self-sufficiency (%), money (元)."""

    estimated: bool
    pv_kwp: float
    battery_kw: float
    battery_kwh: float
    battery_source: str
    load_kwh: float
    pv_kwh: float
    used_pv_only_kwh: float
    used_onsite_kwh: float
    self_sufficiency_pct: float
    self_consumption_pct: float
    green_purchase_kwh: float
    green_premium_yuan_yr: float
    green_share_pct: float
    capex_yuan: float | None
    npv_yuan: float | None
    irr_pct: float | None
    payback_yr: float | None
    annual_saving_yuan: float | None
    bill_before_yuan: float | None
    bill_after_yuan: float | None
    lcoe_yuan_kwh: float | None
    tariff: str = ""
    monthly: pd.DataFrame | None = None

    def to_dict(self) -> dict:
        keys = ("estimated", "pv_kwp", "battery_kw", "battery_kwh", "battery_source", "load_kwh", "pv_kwh",
                "used_pv_only_kwh", "used_onsite_kwh", "self_sufficiency_pct", "self_consumption_pct",
                "green_purchase_kwh", "green_premium_yuan_yr", "green_share_pct", "capex_yuan", "npv_yuan",
                "irr_pct", "payback_yr", "annual_saving_yuan", "bill_before_yuan", "bill_after_yuan",
                "lcoe_yuan_kwh", "tariff")
        out = {k: _r(getattr(self, k), 3) for k in keys}
        out["capex"], out["npv"], out["payback"] = out["capex_yuan"], out["npv_yuan"], out["payback_yr"]
        out["self_sufficiency"] = out["self_sufficiency_pct"]
        return out


@dataclass
class ToolboxResult:
    """The toolbox of one enterprise in one year (units in the names: tce, tCO2, kWh, 10⁴ yuan)."""

    id: str
    name: str
    industry: str
    industry_name: str
    year: int | None
    tce: float
    t_co2: float
    net_t_co2: float
    electricity_kwh: float
    value_added_10k_yuan: float
    L: float
    benchmark_L: float
    K: float
    level: str
    grade: int | None
    rank_industry: int | None
    industry_members: int
    rank_park: int | None
    park_graded: int
    grade_previous: int | None
    grid_kg_co2_per_kwh: float
    pv: RoofPV | None
    package: Package | None
    measures: list[Measure]
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def tce_per_10k_yuan(self) -> float:
        va = self.value_added_10k_yuan
        return self.tce / va if va and va > 0 else float("nan")

    def summary(self) -> dict:
        """JSON-ready (``lingtan toolbox --json``): id, name, industry, t_co2, tce, L, K, grade, rank,
        pv (kwp, kwh_yr), package (capex, npv, payback, self_sufficiency), measures (name, t_co2_yr,
        grade_after) and the rest."""
        return {
            "id": self.id, "name": self.name, "industry": self.industry, "industry_name": self.industry_name,
            "year": self.year, "tce": _r(self.tce, 2), "t_co2": _r(self.t_co2, 2),
            "net_t_co2": _r(self.net_t_co2, 2), "electricity_kwh": _r(self.electricity_kwh, 0),
            "value_added_10k_yuan": _r(self.value_added_10k_yuan, 2),
            "tce_per_10k_yuan": _r(self.tce_per_10k_yuan, 4), "L": _r(self.L, 4),
            "benchmark_L": _r(self.benchmark_L, 4), "K": _r(self.K, 4), "level": self.level,
            "grade": self.grade,
            "rank": {"industry": self.rank_industry, "industry_members": self.industry_members,
                     "park": self.rank_park, "park_graded": self.park_graded},
            "grade_previous": self.grade_previous,
            "grid_kg_co2_per_kwh": _r(self.grid_kg_co2_per_kwh, 4),
            "pv": self.pv.to_dict() if self.pv is not None else None,
            "package": self.package.to_dict() if self.package is not None else None,
            "measures": [m.to_dict() for m in self.measures],
            "problems": [p.to_dict() for p in self.problems],
            "seconds": round(self.seconds, 2),
        }


def _r(v: Any, nd: int) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return round(float(v), nd) if math.isfinite(v) else None
    return v


# ---------------------------------------------------------------- grade after a measure


def grade_after(net_t_co2: float, reduction_t_co2, value_added_10k_yuan: float,
                benchmark_L: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(L, K, level, grade) after taking ``reduction_t_co2`` (t/yr, one or many measures) off the
    enterprise's net CO2, with the industry benchmark L held fixed: L = (net − reduction) ÷ value
    added, K = L ÷ benchmark, level and grade by the DB33/T 1347-2023 breaks (upper bounds inclusive;
    the rule of :func:`gis.intensity.classify.assign_classes`). Grade 0 / level "" when not graded."""
    from gis.carbon.grades import GRADE_BREAKS_K, LEVEL_BREAKS_T_CO2_PER_10K_YUAN, LEVELS
    from gis.intensity.classify import assign_classes

    red = np.atleast_1d(np.asarray(reduction_t_co2, dtype=float))
    ok = value_added_10k_yuan > 0 and benchmark_L > 0 and math.isfinite(benchmark_L)
    L = (net_t_co2 - red) / value_added_10k_yuan if value_added_10k_yuan > 0 else np.full(red.shape, np.nan)
    K = L / benchmark_L if ok else np.full(red.shape, np.nan)
    grade = assign_classes(K, GRADE_BREAKS_K) if ok else np.zeros(red.shape, dtype=int)
    level_i = assign_classes(L, LEVEL_BREAKS_T_CO2_PER_10K_YUAN) if ok else np.zeros(red.shape, dtype=int)
    level = np.array(["", *LEVELS], dtype=object)[level_i]
    return L, K, level, np.asarray(grade, dtype=int)


# ---------------------------------------------------------------- the enterprise


def find_enterprise(grades: pd.DataFrame, query: str) -> pd.Series:
    """The graded row of the enterprise ``query`` names (its id, else its exact name); an unknown one
    raises InputError listing the closest ids and names."""
    q = str(query).strip()
    ids = grades["id"].astype(str)
    hit = grades[ids == q]
    if hit.empty:
        hit = grades[grades["name"].astype(str).str.strip() == q]
        if len(hit) > 1:
            listed = "、".join(hit["id"].astype(str))
            raise InputError(f"有 {len(hit)} 家企业名为“{q}”：{listed}；请用企业代码",
                             f"{len(hit)} enterprises are named '{q}': {', '.join(hit['id'].astype(str))}; "
                             "give the enterprise id", code="toolbox.ambiguous_name")
    if hit.empty:
        hit = grades[ids.str.upper() == q.upper()]
    if not hit.empty:
        return hit.iloc[0]
    labels = {f"{i}（{n}）" if n else i: i for i, n in zip(ids, grades["name"].astype(str), strict=True)}
    close = difflib.get_close_matches(q, list(ids), n=5, cutoff=0.5)
    close += [labels[k] for k in difflib.get_close_matches(q, list(labels), n=5, cutoff=0.3)
              if labels[k] not in close]
    shown = "、".join(close[:5]) if close else "、".join(list(ids)[:5])
    shown_en = ", ".join(close[:5]) if close else ", ".join(list(ids)[:5])
    raise InputError(f"能耗表中没有企业“{q}”。相近的企业代码：{shown}（共 {len(ids)} 家）",
                     f"No enterprise '{q}' in the energy table. Close ids: {shown_en} ({len(ids)} in all)",
                     code="toolbox.unknown_enterprise")


def enterprise_buildings(buildings, enterprise_id: str):
    """The buildings whose enterprise id field (gis.buildings.guess_building_fields) is
    ``enterprise_id`` (compared as trimmed text, as gis.carbon.grades.grade_layer joins them);
    None when the buildings have no such field."""
    from gis.buildings import guess_building_fields

    if buildings is None or not len(buildings):
        return None
    field_name = guess_building_fields(buildings.columns).get("enterprise_id")
    if field_name is None:
        return None
    ids = buildings[field_name].astype("string").str.strip()
    return buildings[(ids == str(enterprise_id).strip()).fillna(False).to_numpy(dtype=bool)]


def roof_pv(buildings, *, weather_path: Path | None = None, settings=None,
            progress: Progress = NO_PROGRESS) -> RoofPV | None:
    """The rooftop engine on ``buildings`` (prepared, metric: those of a loaded park); None for none."""
    from app.pv import result_layer, site_rooftop_pv
    from gis.solar.rooftop import PVSettings

    if buildings is None or not len(buildings):
        return None
    result = site_rooftop_pv(buildings, settings or PVSettings(), weather_path=weather_path,
                             progress=progress)
    t = result.totals
    layer = result_layer(result)
    cols = [c for c in ("bldg_id", "name", "use", "roof_m2", "usable_m2", "kwp", "kwh_yr", "kwh_per_kwp",
                        "shade_loss_pct") if c in layer]
    table = pd.DataFrame(layer[cols]).sort_values("kwh_yr", ascending=False).reset_index(drop=True)
    return RoofPV(buildings=int(t["buildings"]), buildings_with_pv=int(t["buildings_with_pv"]),
                  roof_m2=float(t["roof_m2"]), kwp=float(t["kwp"]), kwh_yr=float(t["kwh_yr"]),
                  kwh_per_kwp=float(t["kwh_per_kwp"]) if t["kwp"] else 0.0,
                  monthly_kwh=[float(v) for v in t["monthly_kwh"]], table=table, result=result,
                  weather_source=str(result.summary().get("weather_source", "")))


# ---------------------------------------------------------------- the package


def _battery_default(pv_kwp: float):
    from gis.energy.storage import Battery

    kw = pv_kwp * DEFAULT_BATTERY_POWER_PCT_OF_PV / 100.0
    return Battery(power_kw=kw, energy_kwh=kw * DEFAULT_BATTERY_HOURS) if kw > 0 else None


def hourly_package(load, pv: RoofPV, year: int, *, tariff, grid_kg_co2_per_kwh: float, costs=None,
                   time_limit_s: float = SIZING_TIME_LIMIT_S,
                   progress: Progress = NO_PROGRESS) -> tuple[Package, list[Problem]]:
    """The package from the hourly energy system: ``load`` a gis.energy.park_load.ParkLoad of the
    enterprise alone, ``pv`` its roofs; the battery sized for least annual cost with PV pinned at
    the roof potential (gis.energy.sizing), else the default; rule dispatch (self-consumption)."""
    from gis.energy.economics import CostAssumptions
    from gis.energy.generation import rooftop_series
    from gis.energy.park_sizing import annualised_costs
    from gis.energy.series import month_of
    from gis.energy.sizing import size_system
    from gis.energy.storage import Battery
    from gis.energy.system import SystemInputs, simulate

    costs = costs or CostAssumptions()
    index, dt_h = load.index, load.dt_h
    load_kw = np.asarray(load.park_kw, float)
    s = rooftop_series(pv.result, year, dt_h)
    pv_kw = np.asarray(s.kw, float)
    problems = list(load.problems) + list(s.problems)
    progress.report(0.1, "battery sizing")
    battery = None
    source = "none"
    if pv.kwp > 0:
        sized = size_system(load_kw, pv_kw / pv.kwp, None, dt_h, costs=annualised_costs(costs),
                            import_price_yuan_kwh=tariff.import_price(index),
                            export_price_yuan_kwh=tariff.export_price_yuan_kwh, pv_min_kwp=pv.kwp,
                            pv_max_kwp=pv.kwp, battery_max_kwh=4.0 * pv.kwp,
                            demand_charge_yuan_kw_month=tariff.demand_charge_yuan_kw_month,
                            month_of_interval=month_of(index), time_limit_s=time_limit_s,
                            progress=progress.sub(0.1, 0.7))
        problems += sized.problems
        if sized.status in ("optimal", "time_limit") and sized.battery_kwh >= 1.0 and sized.battery_kw > 0:
            battery = Battery(power_kw=float(sized.battery_kw), energy_kwh=float(sized.battery_kwh))
            source = "sizing"
        else:
            battery, source = _battery_default(pv.kwp), "default"
            why_zh, why_en = ("最低年成本的储能为 0", "The least-cost battery is none") \
                if sized.status == "optimal" else (f"储能容量优化未成功（{sized.status}）",
                                                   f"The battery sizing did not succeed ({sized.status})")
            problems.append(Problem("info", "toolbox.default_battery",
                                    f"{why_zh}：按光伏容量的 {DEFAULT_BATTERY_POWER_PCT_OF_PV:g}%、"
                                    f"{DEFAULT_BATTERY_HOURS:g} 小时配置储能展示",
                                    f"{why_en}: a battery of {DEFAULT_BATTERY_POWER_PCT_OF_PV:g} % of the PV "
                                    f"capacity for {DEFAULT_BATTERY_HOURS:g} h is shown"))
    progress.report(0.75, "hourly balance")
    caps = {"pv_kwp": pv.kwp}

    def run(b):
        return simulate(SystemInputs(index=index, dt_h=dt_h, load_kw=load_kw,
                                     sources_kw={"rooftop_pv": pv_kw}, battery=b, tariff=tariff,
                                     grid_kg_co2_per_kwh=grid_kg_co2_per_kwh,
                                     costs=costs, capacities=caps))

    pv_only = run(None)
    full = run(battery) if battery is not None else pv_only
    k = full.kpis
    used = float(k.used_onsite_kwh)
    green = max(0.0, GREEN_TARGET_PCT / 100.0 * float(k.load_kwh) - used)
    green = min(green, float(k.grid_import_kwh))
    e = full.economics
    pkg = Package(
        estimated=False, pv_kwp=pv.kwp, battery_kw=float(battery.power_kw) if battery else 0.0,
        battery_kwh=float(battery.energy_kwh) if battery else 0.0, battery_source=source,
        load_kwh=float(k.load_kwh), pv_kwh=float(k.onsite_kwh),
        used_pv_only_kwh=float(pv_only.kpis.used_onsite_kwh), used_onsite_kwh=used,
        self_sufficiency_pct=float(k.self_sufficiency_pct),
        self_consumption_pct=float(k.self_consumption_pct),
        green_purchase_kwh=green, green_premium_yuan_yr=green * GREEN_PREMIUM_YUAN_KWH,
        green_share_pct=100.0 * (used + green) / float(k.load_kwh) if k.load_kwh else 0.0,
        capex_yuan=e.capex_yuan if e else None, npv_yuan=e.npv_yuan if e else None,
        irr_pct=e.irr_pct if e else None, payback_yr=e.simple_payback_yr if e else None,
        annual_saving_yuan=e.annual_saving_yuan if e else None,
        bill_before_yuan=e.bill_before_yuan if e else None, bill_after_yuan=e.bill_after_yuan if e else None,
        lcoe_yuan_kwh=e.lcoe_yuan_kwh if e else None, tariff=tariff.name_zh, monthly=full.monthly_frame())
    problems += [p for p in full.problems if p not in problems]
    progress.report(1.0, "package")
    return pkg, problems


def annual_package(pv: RoofPV | None, electricity_kwh: float, *, tariff, year: int, costs=None) -> Package:
    """The package as annual estimates (估算) when the hourly run is not possible: PV used on site =
    min(PV kWh, electricity kWh) (no hourly mismatch, so an upper bound), no battery, the saving at
    the tariff's mean import price over the year."""
    from gis.energy.economics import CostAssumptions, evaluate_option
    from gis.energy.series import year_index

    costs = costs or CostAssumptions()
    kwp = pv.kwp if pv is not None else 0.0
    pv_kwh = pv.kwh_yr if pv is not None else 0.0
    used = min(pv_kwh, max(electricity_kwh, 0.0))
    price = float(np.mean(tariff.import_price(year_index(year, 1.0))))
    green = max(0.0, GREEN_TARGET_PCT / 100.0 * electricity_kwh - used)
    econ = None
    if kwp > 0:
        capex, om = costs.capex_yuan(pv_kwp=kwp), costs.om_yuan_yr(pv_kwp=kwp)
        bill = electricity_kwh * price
        econ = evaluate_option(capex_yuan=capex, om_yuan_yr=om, bill_before_yuan=bill,
                               bill_after_yuan=bill - used * price, kwh_onsite_yr=pv_kwh, costs=costs)
    share = 100.0 * used / electricity_kwh if electricity_kwh > 0 else 0.0
    return Package(
        estimated=True, pv_kwp=kwp, battery_kw=0.0, battery_kwh=0.0, battery_source="none",
        load_kwh=electricity_kwh, pv_kwh=pv_kwh, used_pv_only_kwh=used, used_onsite_kwh=used,
        self_sufficiency_pct=share, self_consumption_pct=100.0 * used / pv_kwh if pv_kwh > 0 else 0.0,
        green_purchase_kwh=green, green_premium_yuan_yr=green * GREEN_PREMIUM_YUAN_KWH,
        green_share_pct=100.0 * (used + green) / electricity_kwh if electricity_kwh > 0 else 0.0,
        capex_yuan=econ.capex_yuan if econ else None, npv_yuan=econ.npv_yuan if econ else None,
        irr_pct=econ.irr_pct if econ else None, payback_yr=econ.simple_payback_yr if econ else None,
        annual_saving_yuan=econ.annual_saving_yuan if econ else None,
        bill_before_yuan=econ.bill_before_yuan if econ else None,
        bill_after_yuan=econ.bill_after_yuan if econ else None,
        lcoe_yuan_kwh=econ.lcoe_yuan_kwh if econ else None, tariff=tariff.name_zh)


# ---------------------------------------------------------------- measures


def measures_for(row: dict, pkg: Package | None, *, grid_t_co2_per_kwh: float, tce: float,
                 electricity_kwh: float) -> list[Measure]:
    """Each measure alone and all together, with the grade after (benchmark fixed).

    PV: its electricity used on site (PV alone); PV + storage: used on site with the battery; green
    power: the purchase to :data:`GREEN_TARGET_PCT`; each deducted at the grid factor as zero-carbon
    electricity (DB33/T 1347-2023). Efficiency: :data:`ENERGY_SAVING_PCT` of the energy CO2 and tce.
    All together: the saving first, then on-site and bought green power within the smaller electricity
    use."""
    va, bench, net, t = (float(row["value_added_10k_yuan"]), float(row["benchmark_L"]),
                         float(row["net_t_co2"]), float(row["t_co2"]))
    est = pkg.estimated if pkg is not None else True
    s = ENERGY_SAVING_PCT / 100.0
    specs: list[tuple[str, str, str, float, float, float, bool]] = []
    if pkg is not None and pkg.pv_kwp > 0:
        specs.append(("pv", "屋顶光伏（自发自用）", "Rooftop PV (used on site)", pkg.used_pv_only_kwh,
                      0.0, 0.0, est))
        if pkg.battery_kwh > 0:
            specs.append(("pv_storage", "屋顶光伏 + 储能", "Rooftop PV + storage", pkg.used_onsite_kwh,
                          0.0, 0.0, est))
    if pkg is not None and pkg.green_purchase_kwh > 0:
        specs.append(("green_power", f"绿电交易（绿电占比达 {GREEN_TARGET_PCT:g}%）",
                      f"Green power purchase (green share {GREEN_TARGET_PCT:g} %)",
                      pkg.green_purchase_kwh, 0.0, 0.0, est))
    specs.append(("efficiency", f"节能改造（能耗 −{ENERGY_SAVING_PCT:g}%）",
                  f"Energy efficiency (energy −{ENERGY_SAVING_PCT:g} %)", 0.0, s * t, s * tce, True))
    elec = electricity_kwh * (1.0 - s)
    onsite = min(pkg.used_onsite_kwh, elec) if pkg is not None else 0.0
    bought = max(0.0, GREEN_TARGET_PCT / 100.0 * elec - onsite) if pkg is not None else 0.0
    specs.append(("package", "组合方案（以上全部）", "All together", onsite + bought, s * t, s * tce, True))
    reductions = np.array([kwh * grid_t_co2_per_kwh + d for _, _, _, kwh, d, _, _ in specs])
    L, K, level, grade = grade_after(net, reductions, va, bench)
    return [Measure(key=k, name_zh=zh, name_en=en, t_co2_yr=float(r), green_kwh=float(kwh),
                    tce_saved=float(dt),
                    L_after=float(L[i]), K_after=float(K[i]), level_after=str(level[i]),
                    grade_after=int(grade[i]) or None, estimated=e)
            for i, ((k, zh, en, kwh, _, dt, e), r) in enumerate(zip(specs, reductions, strict=True))]


# ---------------------------------------------------------------- one enterprise


def enterprise_toolbox(park, enterprise: str, *, year: int | None = None, factors_key: str | None = None,
                       grid_key: str | None = None, tariff_key: str = DEFAULT_TARIFF,
                       weather_path: Path | None = None, hourly: bool = True,
                       progress: Progress = NO_PROGRESS) -> ToolboxResult:
    """The toolbox of ``enterprise`` (its id or exact name) of ``park`` (a gis.park.Park, or any
    object with ``enterprises``, the energy table, and ``buildings``, prepared and metric) for
    ``year`` (default the table's latest). ``hourly=False`` gives the annual estimates only."""
    import time

    from app.cmd_carbon import load_factors
    from gis.carbon.emissions import account_emissions
    from gis.carbon.grades import grade_emissions
    from gis.carbon.inventory import read_energy_inventory
    from gis.defaults import DEFAULT_FACTOR_SET
    from gis.energy.tariffs import load_tariff

    t0 = time.perf_counter()
    table = getattr(park, "enterprises", None)
    if table is None:
        raise InputError("园区没有企业能耗表：企业能源工具箱需要能耗表（含工业增加值与行业）",
                         "The park has no enterprise energy table: the toolbox needs one (with value added "
                         "and industry)", code="toolbox.no_energy_table")
    progress.report(0.0, "accounting")
    factors = load_factors(factors_key or DEFAULT_FACTOR_SET, grid_key=grid_key)
    inv = read_energy_inventory(table, source_name="enterprises", factors=factors)
    if "value_added" not in inv.columns:
        raise InputError("能耗表没有工业增加值列：请加一列 工业增加值(万元)",
                         "The energy table has no value-added column: add a column 工业增加值(万元)",
                         code="toolbox.no_value_added")
    emissions = account_emissions(inv, factors, year="all")
    grades = grade_emissions(emissions, year=year)
    row = find_enterprise(grades.enterprises, enterprise).to_dict()
    ent_id, year_used = str(row["id"]), grades.year
    ent = emissions.entities
    mine = ent[(ent["entity"].astype(str) == ent_id) & ((ent["year"] == year_used) if year_used else True)]
    tce = float(pd.to_numeric(mine["tce"], errors="coerce").sum())
    rec = inv.records
    elec = rec[(rec["entity"].astype(str) == ent_id) & (rec["fuel"] == "electricity")
               & ((rec["year"] == year_used) if year_used else True)]
    electricity_kwh = float(pd.to_numeric(elec["amount_canonical"], errors="coerce").sum())
    grid_kg = float(emissions.grid_kg_co2_per_kwh)
    problems = [p for p in grades.problems if p.code in ("grades.single_member", "grades.no_value_added")
                and (not p.feature_ids or ent_id in map(str, p.feature_ids))]
    progress.report(0.15, "rooftop PV")
    buildings = getattr(park, "buildings", None)
    mine_b = enterprise_buildings(buildings, ent_id)
    if buildings is None or not len(buildings):
        problems.append(Problem("warning", "toolbox.no_buildings_layer", "园区没有建筑图层：不计屋顶光伏",
                                "The park has no buildings layer: no rooftop PV"))
    elif mine_b is None:
        problems.append(Problem("warning", "toolbox.no_building_ids",
                                "建筑没有企业代码字段（如 enterprise_id、企业代码）：无法找到该企业的屋顶",
                                "The buildings have no enterprise id field (e.g. enterprise_id, 企业代码): "
                                "the enterprise's roofs cannot be found"))
    elif not len(mine_b):
        problems.append(Problem("warning", "toolbox.no_buildings",
                                f"没有企业代码为 {ent_id} 的建筑：不计屋顶光伏",
                                f"No building carries the enterprise id {ent_id}: no rooftop PV"))
    pv = roof_pv(mine_b, weather_path=weather_path, progress=progress.sub(0.15, 0.35))
    if pv is not None:
        problems += [p for p in pv.result.problems if p.level != "info"]
    tariff = load_tariff(tariff_key)
    pkg: Package | None = None
    y = int(year_used) if year_used else 2024
    if hourly and pv is not None and pv.kwp > 0 and electricity_kwh > 0:
        try:
            from gis.energy.park_load import enterprises_from_inventory, park_load

            one = enterprises_from_inventory(inv, year_used)
            one = one[one["id"].astype(str) == ent_id]
            load = park_load(one, y)
            pkg, more = hourly_package(load, pv, y, tariff=tariff, grid_kg_co2_per_kwh=grid_kg,
                                       progress=progress.sub(0.35, 0.95))
            problems += [p for p in more if p.level != "info" or p.code.startswith("toolbox.")]
        except InputError as e:  # e.g. a year the holiday calendar lacks: annual estimates instead
            problems.append(Problem("warning", "toolbox.estimated", f"无法逐时计算（{e.zh}）：以下为年度估算",
                                    f"No hourly analysis ({e.en}): annual estimates below"))
    if pkg is None:
        pkg = annual_package(pv, electricity_kwh, tariff=tariff, year=y)
        if electricity_kwh <= 0:
            problems.append(Problem("warning", "toolbox.no_electricity",
                                    "能耗表中该企业没有用电量：无法配置光伏自用",
                                    "The energy table gives the enterprise no electricity: PV use on site "
                                    "cannot be assessed"))
    measures = measures_for(row, pkg, grid_t_co2_per_kwh=grid_kg / 1000.0, tce=tce,
                            electricity_kwh=electricity_kwh)
    graded = grades.graded
    progress.report(1.0, "done")

    def opt_int(v: Any) -> int | None:
        return None if v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v)) else int(v)

    return ToolboxResult(
        id=ent_id, name=str(row.get("name") or ""), industry=str(row.get("industry") or ""),
        industry_name=str(row.get("industry_name") or ""), year=year_used, tce=tce, t_co2=float(row["t_co2"]),
        net_t_co2=float(row["net_t_co2"]), electricity_kwh=electricity_kwh,
        value_added_10k_yuan=float(row["value_added_10k_yuan"]), L=float(row["L"]),
        benchmark_L=float(row["benchmark_L"]), K=float(row["K"]), level=str(row.get("level") or ""),
        grade=opt_int(row.get("grade")), rank_industry=opt_int(row.get("rank_industry")),
        industry_members=int(row.get("industry_members") or 0), rank_park=opt_int(row.get("rank_park")),
        park_graded=len(graded), grade_previous=opt_int(row.get("grade_previous")),
        grid_kg_co2_per_kwh=grid_kg, pv=pv, package=pkg, measures=measures, problems=problems,
        seconds=time.perf_counter() - t0)


def enterprise_choices(park) -> list[tuple[str, str]]:
    """(id, name) of every enterprise in the park's energy table (the GUI's searchable list)."""
    from gis.carbon.inventory import read_energy_inventory

    table = getattr(park, "enterprises", None)
    if table is None:
        return []
    ent = read_energy_inventory(table, source_name="enterprises").entities
    ent = ent.drop_duplicates("entity")
    return [(str(i), str(n) if isinstance(n, str) else "")
            for i, n in zip(ent["entity"], ent["name"], strict=True)]
