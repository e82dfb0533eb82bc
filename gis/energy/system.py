"""One park's energy system over a year of intervals: load, on-site generation, storage dispatch,
KPIs, the electricity bill before and after, the annual-netting comparison, and the economics.

The caller reads files and runs the engines; this module takes arrays and typed settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gis.energy.series import month_of
from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from gis.energy.dispatch import DispatchResult
    from gis.energy.economics import CostAssumptions, Economics
    from gis.energy.kpis import EnergyKpis
    from gis.energy.storage import Battery, ThermalStore
    from gis.energy.tariffs import Bill, Tariff


@dataclass
class SystemInputs:
    """Everything a run takes.

    index/dt_h: the analysis axis (gis.energy conventions). load_kw: the park's load. sources_kw:
    on-site generation by name ("rooftop_pv", "pv_array", "wind", user series …), each (n,).
    battery: a gis.energy.storage.Battery or None. dispatch: "self" (rule) or "cost" (LP; needs a
    tariff). tariff: a gis.energy.tariffs.Tariff or None. grid_kg_co2_per_kwh: the grid factor for
    avoided CO2. green_purchase_kwh: purchased green power / certificates counted in the green share.
    """

    index: pd.DatetimeIndex
    dt_h: float
    load_kw: np.ndarray
    sources_kw: dict[str, np.ndarray]
    battery: Battery | None = None
    dispatch: str = "self"
    tariff: Tariff | None = None
    export_limit_kw: float = float("inf")
    grid_charging: bool = False
    grid_kg_co2_per_kwh: float = 0.5306  # national grid average 2023 (MEE & NBS; grid_emission_factors.csv)
    green_purchase_kwh: float = 0.0
    costs: CostAssumptions | None = None
    capacities: dict[str, float] = field(default_factory=dict)
    """Installed sizes for the economics: pv_kwp, wind_kw (battery from ``battery``)."""
    time_limit_s: float = 60.0
    thermal: ThermalStore | None = None
    """A gis.energy.storage.ThermalStore (cold-water storage) dispatched with ``cooling_kw``."""
    cooling_kw: np.ndarray | None = None
    """The chillers' electricity (kW), part of ``load_kw``: what the thermal store can shift."""
    load_by_entity_kw: pd.DataFrame | None = None
    """The load per meter or enterprise (columns), summing to ``load_kw``; for the tables only."""


@dataclass
class SystemResult:
    inputs: SystemInputs
    dispatch: DispatchResult
    kpis: EnergyKpis
    netting: dict
    bill_before: Bill | None
    bill_after: Bill | None
    economics: Economics | None
    problems: list[Problem]

    @property
    def onsite_kw(self) -> np.ndarray:
        return sum(self.inputs.sources_kw.values(), np.zeros(len(self.inputs.index)))

    def summary(self) -> dict:
        """JSON-ready: the KPIs (the `lingtan energy --json` contract's keys at the top level), the
        bill, the economics, the annual netting for comparison and the sources."""
        k = self.kpis.to_dict()
        i = self.inputs
        out: dict = {
            **{key: _r(v) for key, v in k.items()},
            "year": int(i.index[0].year), "intervals": len(i.index), "step_min": round(i.dt_h * 60),
            "dispatch": i.dispatch,
            "generation_kwh": {name: round(float(kw.sum() * i.dt_h), 1) for name, kw in i.sources_kw.items()},
            "green_share_pct": _r(self.green_share_pct()),
            "t_co2_avoided": round(float(k["used_onsite_kwh"]) * i.grid_kg_co2_per_kwh / 1000.0, 1),
            "annual_netting": self.netting,
            "battery": _battery_dict(i.battery),
            "problems": [p.to_dict() for p in self.problems],
        }
        if self.bill_after is not None and self.bill_before is not None and i.tariff is not None:
            out["bill_yuan"] = round(float(self.bill_after.total_yuan), 0)
            out["bill_before_yuan"] = round(float(self.bill_before.total_yuan), 0)
            out["tariff"] = {"key": i.tariff.key, "name_zh": i.tariff.name_zh, "name_en": i.tariff.name_en,
                             "source": i.tariff.source, "price_status": i.tariff.price_status}
        if self.economics is not None:
            out["economics"] = self.economics.to_dict()
        return out

    def green_share_pct(self) -> float:
        """On-site energy used on site plus purchased green power, as a share of consumption."""
        k = self.kpis
        load = float(k.load_kwh)
        return 100.0 * min(load,
                           float(k.used_onsite_kwh) + self.inputs.green_purchase_kwh) / load if load else 0.0

    def hourly_frame(self) -> pd.DataFrame:
        """One row per interval: time, load, each source, charge, discharge, SOC, grid (kW)."""
        d = self.dispatch
        i = self.inputs
        cols = {"time": i.index, "load_kw": i.load_kw}
        for name, kw in i.sources_kw.items():
            cols[f"{name}_kw"] = kw
        cols.update({"charge_kw": d.charge_kw, "discharge_kw": d.discharge_kw, "soc_kwh": d.soc_kwh,
                     "grid_import_kw": d.grid_import_kw, "grid_export_kw": d.grid_export_kw,
                     "curtailed_kw": d.curtailed_kw})
        if i.tariff is not None:
            cols["period"] = i.tariff.periods(i.index)
            cols["price_yuan_kwh"] = i.tariff.import_price(i.index)
        return pd.DataFrame(cols)

    def entity_frame(self) -> pd.DataFrame | None:
        """Per meter or enterprise: kWh by month, the year's kWh and the peak kW (None without them)."""
        by = self.inputs.load_by_entity_kw
        if by is None or by.shape[1] == 0:
            return None
        dt = self.inputs.dt_h
        monthly = (by * dt).groupby(month_of(self.inputs.index) + 1).sum().T
        monthly.columns = [f"{m}月 kWh" for m in monthly.columns]
        out = monthly.assign(**{"全年 kWh": monthly.sum(axis=1), "峰值 peak kW": by.max().to_numpy()})
        return out.rename_axis("id").reset_index()

    def monthly_frame(self) -> pd.DataFrame:
        """kWh by month: load, on-site generation, used on site, grid import and export."""
        h = self.hourly_frame()
        dt = self.inputs.dt_h
        num = h.select_dtypes("number").drop(columns=["soc_kwh", "price_yuan_kwh"], errors="ignore") * dt
        num.columns = [c.replace("_kw", "_kwh") for c in num.columns]
        return num.groupby(month_of(self.inputs.index) + 1).sum().rename_axis("month").reset_index()


def _r(v):
    return round(float(v), 3) if isinstance(v, (float, np.floating)) else v


def _battery_dict(b) -> dict | None:
    if b is None:
        return None
    return {k: getattr(b, k) for k in ("power_kw", "energy_kwh", "round_trip_pct", "soc_min_pct",
                                       "soc_max_pct",
                                        "soc_start_pct") if hasattr(b, k)}


def check_inputs(i: SystemInputs) -> list[Problem]:
    """Lengths, finiteness and signs; the dispatch mode's needs."""
    n = len(i.index)
    for name, arr in {"load": i.load_kw, **i.sources_kw}.items():
        a = np.asarray(arr, float)
        if a.shape != (n,):
            raise InputError(f"序列 {name} 的长度 {a.size} 与分析时段 {n} 不符",
                             f"the series {name} has {a.size} intervals, the analysis {n}",
                             code="energy.length")
        if not np.isfinite(a).all():
            raise InputError(f"序列 {name} 含缺失或无穷值：请先补齐缺测", f"the series {name} has missing or "
                             "infinite values: fill the gaps first", code="energy.nan")
        if (a < -1e-9).any():
            raise InputError(f"序列 {name} 含负功率", f"the series {name} has negative powers",
                             code="energy.negative")
    if i.dispatch not in ("self", "cost"):
        raise InputError("调度方式应为 self（自发自用）或 cost（成本最优）", "dispatch must be self or cost",
                         code="energy.dispatch")
    if i.thermal is not None and (i.cooling_kw is None or len(i.cooling_kw) != n):
        raise InputError("蓄冷需要冷机用电序列（--cooling，与负荷同一时段）",
                         "the thermal store needs the chillers' electricity series (--cooling, on the load's "
                         "intervals)", code="energy.cooling")
    cooling = np.asarray(i.cooling_kw) if i.cooling_kw is not None else None
    if i.thermal is not None and cooling is not None and np.any(cooling > i.load_kw + 1e-6):
        raise InputError("冷机用电在某些时段大于园区负荷：冷机用电应是负荷的一部分",
                         "the chillers' electricity exceeds the park's load in some intervals: it must be "
                         "part "
                         "of the load", code="energy.cooling_exceeds")
    if i.dispatch == "cost" and i.tariff is None:
        raise InputError("成本最优调度需要电价（--tariff）",
                         "cost-optimal dispatch needs a tariff (--tariff)",
                         code="energy.cost_needs_tariff")
    problems: list[Problem] = []
    if i.thermal is not None and i.dispatch == "cost":
        problems.append(Problem("warning", "energy.thermal_rule_only",
                                "成本最优调度只优化电池，不含蓄冷：蓄冷请用自发自用规则调度（--dispatch "
                                "self）",
                                "the thermal store is not in the cost-optimal dispatch (it optimises the "
                                "battery only): use --dispatch self for the thermal store"))
    if float(np.sum(i.load_kw)) <= 0:
        raise InputError("负荷全年为零", "the load is zero all year", code="energy.zero_load")
    return problems


def simulate(i: SystemInputs, progress: Progress = NO_PROGRESS) -> SystemResult:
    """Dispatch, KPIs, bills and economics of one configuration."""
    from gis.energy.dispatch import dispatch_self_consumption
    from gis.energy.kpis import annual_netting, energy_kpis

    problems = check_inputs(i)
    onsite = sum((np.asarray(v, float) for v in i.sources_kw.values()), np.zeros(len(i.index)))
    load = np.asarray(i.load_kw, float)
    progress.report(0.05, "dispatch")
    if i.dispatch == "cost":
        from gis.energy.optimise import dispatch_cost_optimal

        t = i.tariff
        assert t is not None  # check_inputs: cost dispatch needs a tariff
        d = dispatch_cost_optimal(load, onsite, i.dt_h, i.battery,
                                  import_price_yuan_kwh=t.import_price(i.index),
                                  export_price_yuan_kwh=t.export_price_yuan_kwh,
                                  demand_charge_yuan_kw_month=t.demand_charge_yuan_kw_month,
                                  month_of_interval=month_of(i.index), grid_charging=i.grid_charging,
                                  export_limit_kw=i.export_limit_kw, time_limit_s=i.time_limit_s,
                                  progress=progress.sub(0.05, 0.8))
    else:
        d = dispatch_self_consumption(load, onsite, i.dt_h, i.battery, export_limit_kw=i.export_limit_kw,
                                      thermal=i.thermal, cooling_kw=i.cooling_kw)
    problems += list(getattr(d, "problems", []))
    progress.report(0.85, "KPIs")
    kpis = energy_kpis(d)
    netting = annual_netting(float(load.sum() * i.dt_h), float(onsite.sum() * i.dt_h))
    bill_before = bill_after = economics = None
    if i.tariff is not None:
        bill_before, bill_after, economics = _money(i, d, kpis, load)
    progress.report(1.0, "done")
    return SystemResult(i, d, kpis, netting, bill_before, bill_after, economics, problems)


def _money(i: SystemInputs, d, kpis, load: np.ndarray):
    """Bills without on-site generation and storage, and with them; the economics of the option."""
    from gis.energy.economics import CostAssumptions, evaluate_option
    from gis.energy.tariffs import electricity_bill

    assert i.tariff is not None
    before = electricity_bill(load, i.dt_h, i.index, i.tariff)
    after = electricity_bill(d.grid_import_kw, i.dt_h, i.index, i.tariff, export_kw=d.grid_export_kw)
    costs = i.costs or CostAssumptions()
    b = i.battery
    sizes = {"pv_kwp": float(i.capacities.get("pv_kwp", 0.0)), "wind_kw": float(i.capacities.get("wind_kw",
                                                                                                 0.0)),
             "battery_kw": float(b.power_kw) if b is not None else 0.0,
             "battery_kwh": float(b.energy_kwh) if b is not None else 0.0}
    capex = costs.capex_yuan(**sizes)
    om = costs.om_yuan_yr(**sizes)
    if capex <= 0:
        return before, after, None
    export_revenue = float(getattr(after, "export_revenue_yuan", 0.0))
    econ = evaluate_option(capex_yuan=capex, om_yuan_yr=om, bill_before_yuan=before.total_yuan,
                           bill_after_yuan=after.total_yuan, export_revenue_yuan=export_revenue,
                           kwh_onsite_yr=float(kpis.onsite_kwh),
                           t_co2_avoided_yr=float(kpis.used_onsite_kwh) * i.grid_kg_co2_per_kwh / 1000.0,
                           costs=costs)
    return before, after, econ
