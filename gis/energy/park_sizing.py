"""Sizing a park's PV, wind and battery for least cost (or a target self-sufficiency) from the
series of one energy run: the run's PV and wind shapes per unit installed, the tariff's prices,
annualised costs from the cost assumptions, and the potential found by the engines as upper bounds.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np

from gis.energy.series import month_of
from gis.energy.sizing import SizingCosts, SizingResult, size_system, tradeoff_curve
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

PV_SOURCES = ("rooftop_pv", "pv_array", "pv")


def annualised_costs(costs) -> SizingCosts:
    """Capital × capital recovery factor (discount rate, lifetime; the battery over its own life) +
    fixed O&M, per unit per year (gis.energy.economics.CostAssumptions)."""
    from gis.energy.economics import capital_recovery_factor

    crf = capital_recovery_factor(costs.discount_rate_pct, costs.lifetime_yr)
    crf_b = capital_recovery_factor(costs.discount_rate_pct, costs.battery_life_yr)
    om_b = costs.battery_om_pct_capex_yr / 100.0
    return SizingCosts(pv_yuan_kwp_yr=costs.pv_capex_yuan_kwp * crf + costs.pv_om_yuan_kwp_yr,
                       wind_yuan_kw_yr=costs.wind_capex_yuan_kw * crf + costs.wind_om_yuan_kw_yr,
                       battery_energy_yuan_kwh_yr=costs.battery_capex_yuan_kwh * (crf_b + om_b),
                       battery_power_yuan_kw_yr=costs.battery_power_capex_yuan_kw * (crf_b + om_b))


def _per_unit(inputs, names: tuple[str, ...], capacity: float) -> np.ndarray | None:
    kw = [inputs.sources_kw[n] for n in names if n in inputs.sources_kw]
    if not kw or capacity <= 0:
        return None
    return np.sum(kw, axis=0) / capacity


def _limit(given: float | None, found: float, unit: np.ndarray | None) -> float:
    """The size limit: the one given, else the capacity found; 0 for a source the run has not."""
    if unit is None:
        return 0.0
    return found if given is None else float(given)


def curve_point(r: SizingResult) -> dict:
    """One point of the trade-off curve as the charts and the report read it."""
    return {"pv_kwp": r.pv_kwp, "wind_kw": r.wind_kw, "battery_kw": r.battery_kw,
            "battery_kwh": r.battery_kwh,
            "annual_cost_yuan": r.annual_cost_yuan,
            "self_sufficiency_pct": r.kpis.self_sufficiency_pct if r.kpis else None, "status": r.status}


def size_park(inputs, *, pv_max_kwp: float | None = None, wind_max_kw: float | None = None,
              battery_max_kwh: float = math.inf, target_self_sufficiency_pct: float | None = None,
              curve_points: int = 0, time_limit_s: float = 60.0, progress: Progress = NO_PROGRESS) -> dict:
    """The least-cost system (and the trade-off curve when ``curve_points`` ≥ 2) for the run's
    ``inputs`` (gis.energy.system.SystemInputs with a tariff). PV and wind may grow up to their
    maxima (default: the capacities the engines found) and keep the installed sizes as minima only
    when asked through the maxima; the battery from nothing up to ``battery_max_kwh``."""
    from gis.energy.economics import CostAssumptions

    t = inputs.tariff
    if t is None:
        raise InputError("容量优化需要电价（--tariff）", "sizing needs a tariff (--tariff)",
                         code="energy.size_tariff")
    caps = inputs.capacities
    pv_cap, wind_cap = float(caps.get("pv_kwp", 0.0)), float(caps.get("wind_kw", 0.0))
    pv_unit = _per_unit(inputs, PV_SOURCES, pv_cap)
    wind_unit = _per_unit(inputs, ("wind",), wind_cap)
    if pv_unit is None and wind_unit is None:
        raise InputError("容量优化需要园区算出的光伏或风电（有装机容量）：按序列文件给出的电源无法按容量缩放",
                         "sizing needs PV or wind computed for the park (with a capacity): sources given as "
                         "series files cannot be scaled by size", code="energy.size_sources")
    kw = dict(costs=annualised_costs(inputs.costs or CostAssumptions()),
              import_price_yuan_kwh=t.import_price(inputs.index),
              export_price_yuan_kwh=t.export_price_yuan_kwh,
              pv_max_kwp=_limit(pv_max_kwp, pv_cap, pv_unit),
              wind_max_kw=_limit(wind_max_kw, wind_cap, wind_unit),
              battery_max_kwh=battery_max_kwh, battery=inputs.battery,
              demand_charge_yuan_kw_month=t.demand_charge_yuan_kw_month,
              month_of_interval=month_of(inputs.index),
              grid_charging=inputs.grid_charging, export_limit_kw=inputs.export_limit_kw)
    args = (inputs.load_kw, pv_unit, wind_unit, inputs.dt_h)
    best = size_system(*args, target_self_sufficiency_pct=target_self_sufficiency_pct,
                       time_limit_s=time_limit_s,
                       progress=progress.sub(0.0, 0.3 if curve_points >= 2 else 1.0), **kw)
    out = {"best": best.to_dict(), "costs_yuan_per_unit_yr": asdict(kw["costs"]),
           "pv_max_kwp": kw["pv_max_kwp"], "wind_max_kw": kw["wind_max_kw"],
           "battery_max_kwh": None if math.isinf(battery_max_kwh) else battery_max_kwh}
    if curve_points >= 2:
        curve = tradeoff_curve(*args, n_points=curve_points, time_limit_s=time_limit_s,
                               progress=progress.sub(0.3, 1.0), **kw)
        out["curve"] = [curve_point(r) for r in curve]
    return out
