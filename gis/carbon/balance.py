"""The park's carbon balance, the metrics the indicator sets need, and scenarios.

Net emissions = energy emissions − PV generation × grid factor − green-space sinks. PV first
covers the park's own electricity use (which lowers purchased power and its scope-2 emissions);
a surplus is exported and avoids grid emissions elsewhere (counted in the balance, not in the
park's own intensity indicators). Purchased green power counts as zero-emission electricity.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from gis.errors import InputError

ELECTRICITY_KGCE_PER_KWH = 0.1229
"""Standard-coal equivalent of electricity, equivalent-value method (GB/T 2589-2020)."""
CLEAN_FUELS = ("natural_gas",)
"""Fuels counted as clean energy besides renewables: natural gas (清洁能源 in Chinese statistics)."""


@dataclass(frozen=True)
class FuelSwitch:
    """Replace ``share`` (0–1) of ``from_fuel``'s energy (tce) by ``to_fuel`` at equal energy.
    ``to_t_co2_per_tce``: the new fuel's emissions per tce (electricity: the grid factor is used;
    other fuels: from the baseline table when present)."""

    from_fuel: str
    to_fuel: str
    share: float
    to_t_co2_per_tce: float | None = None


@dataclass(frozen=True)
class Scenario:
    """A plan compared with the baseline.

    pv_share: share (0–1) of the rooftop PV potential built; pv_kwh_extra: other PV (kWh/yr);
    green_power_kwh: purchased green electricity (kWh/yr); fuel_switches; extra_sinks_t_co2_yr.
    """

    name: str
    pv_share: float = 1.0
    pv_kwh_extra: float = 0.0
    green_power_kwh: float = 0.0
    green_certificates_kwh: float = 0.0
    fuel_switches: tuple[FuelSwitch, ...] = ()
    extra_sinks_t_co2_yr: float = 0.0

    def __post_init__(self):
        if not 0 <= self.pv_share <= 1:
            raise InputError(f"情景“{self.name}”的光伏建设比例 pv_share 应在 0–1",
                             f"Scenario '{self.name}': pv_share must be within 0–1", code="scenario")
        for name in ("pv_kwh_extra", "green_power_kwh", "green_certificates_kwh", "extra_sinks_t_co2_yr"):
            if getattr(self, name) < 0:
                raise InputError(f"情景“{self.name}”的 {name} 不能为负",
                                 f"Scenario '{self.name}': {name} cannot be negative", code="scenario")


@dataclass
class BalanceInputs:
    """Everything the balance needs, as numbers (one year).

    by_fuel: the park's energy use per fuel, columns ``fuel``, ``scope``, ``t_co2``, ``tce`` and
        ``amount`` in the canonical unit (kWh for electricity).
    pv_potential_kwh_yr: rooftop PV energy (kWh/yr) if fully built.
    grid_kg_co2_per_kwh: the grid factor used for electricity (and PV's avoided emissions).
    value_added_10k_yuan, park_area_km2, green_area_m2: denominators where known.
    electricity_kgce_per_kwh: standard-coal coefficient of electricity used for the energy
        totals (the factor set's; default the equivalent value 0.1229, GB/T 2589-2020).
    va_t_co2_share, va_tce_share: share of the park's CO2 and energy from the entities that
        report value added: per-value-added intensities use only those (1.0 = all report).
    baseline: the baseline year's ``{"year", "coal_t", "t_co2_per_10k_yuan"}`` for progress
        indicators (None: not available).
    facts: park facts the data cannot give (solid_waste_use_pct, water_reuse_pct, ...).
    hourly_pv_kwh, hourly_load_kwh: the shapes of rooftop PV and of the park's electricity use on
        one axis of intervals (kWh per interval; gis.energy). When both are given, PV used in the
        park is matched interval by interval (Σ min(PV, use), each shape scaled to the scenario's
        annual totals; no storage) instead of netted over the year (min(PV, use)), which is kept
        as ``pv_self_used_annual_netting_kwh_yr`` for comparison.
    """

    by_fuel: pd.DataFrame
    grid_kg_co2_per_kwh: float
    pv_potential_kwh_yr: float = 0.0
    sinks_t_co2_yr: float = 0.0
    value_added_10k_yuan: float | None = None
    park_area_km2: float | None = None
    green_area_m2: float | None = None
    green_land_m2: float | None = None
    """green land (绿地) alone, for the green-land rate 绿地率 (gis.carbon.green_rates); green_area_m2
    is the green cover (绿化覆盖面积: green land + roof greening + tree canopy over other land)."""
    year: int | None = None
    baseline: dict | None = None
    facts: dict[str, float] = field(default_factory=dict)
    electricity_kgce_per_kwh: float = ELECTRICITY_KGCE_PER_KWH
    va_t_co2_share: float = 1.0
    va_tce_share: float = 1.0
    hourly_pv_kwh: np.ndarray | None = None
    hourly_load_kwh: np.ndarray | None = None
    boundary: tuple[int, ...] = (1, 2)
    """The scopes counted in ``by_fuel`` (gis.carbon.scope): the CO2 metrics follow it."""


FACT_KEYS = {"solid_waste_use_pct": ("工业固体废物综合利用率", "industrial solid waste utilisation", "%"),
             "waste_heat_use_pct": ("余热余冷余压利用率", "waste heat/cold/pressure utilisation", "%"),
             "water_reuse_pct": ("工业用水重复利用率", "industrial water reuse", "%"),
             # the Sichuan near-zero-carbon park pilot targets (DOMAIN.md §2, seed study)
             "green_building_industrial_pct": ("新建工业建筑中绿色建筑占比",
                                               "green buildings among new industrial buildings", "%"),
             "green_building_public_pct": ("新建公共建筑中绿色建筑占比",
                                           "green buildings among new public buildings", "%"),
             "new_energy_transit_pct": ("公共交通新能源车辆占比",
                                        "new-energy vehicles in public transport", "%"),
             "charger_enterprise_pct": ("建有充电设施的企业占比", "enterprises with EV chargers", "%")}
"""Park facts the energy data cannot give (user input), as the indicator sets name them."""


def check_facts(facts: dict) -> dict[str, float]:
    """Facts as numbers; InputError for unknown keys or values that are not numbers in 0–100."""
    if not isinstance(facts, dict):
        raise InputError("园区数据（facts）应为 键: 数值 的表", "facts must be a mapping KEY: number",
                         code="balance.facts")
    keys = "、".join(FACT_KEYS)
    out = {}
    for k, v in facts.items():
        if k not in FACT_KEYS:
            raise InputError(f"未知的园区数据“{k}”。可用：{keys}", f"Unknown park fact '{k}'. Known: {keys}",
                             code="balance.facts")
        try:
            value = float(v)
        except (TypeError, ValueError):
            raise InputError(f"园区数据“{k}”应为数值（%），而不是“{v}”",
                             f"Park fact '{k}' must be a number (%), not '{v}'",
                             code="balance.facts") from None
        if not 0 <= value <= 100:
            raise InputError(f"园区数据“{k}”应在 0–100%", f"Park fact '{k}' must be within 0–100%",
                             code="balance.facts")
        out[k] = value
    return out


@dataclass
class Balance:
    """Result of one scenario: the balance lines (tCO2/yr) and the indicator metrics."""

    scenario: str
    lines: dict[str, float]
    metrics: dict[str, float | None]
    by_fuel: pd.DataFrame

    def to_dict(self) -> dict:
        return {"scenario": self.scenario, "lines": {k: _r(v) for k, v in self.lines.items()},
                "metrics": {k: _r(v) for k, v in self.metrics.items()},
                "by_fuel": self.by_fuel.round(3).to_dict(orient="records")}


def _r(v):
    return None if v is None or not np.isfinite(v) else round(float(v), 4)


def _ratio(a: float, b: float | None) -> float | None:
    return None if b is None or not np.isfinite(b) or b == 0 else a / b


def apply_fuel_switches(by_fuel: pd.DataFrame, switches, grid_kg_co2_per_kwh: float,
                        electricity_kgce_per_kwh: float = ELECTRICITY_KGCE_PER_KWH) -> pd.DataFrame:
    """``by_fuel`` with energy moved between fuels at equal tce (emissions per tce of the new
    fuel from the table, the grid factor for electricity, or the switch's own figure)."""
    out = by_fuel.set_index("fuel").copy()
    for sw in switches:
        if not 0 <= sw.share <= 1:
            raise InputError("燃料替代比例应在 0–1", "a fuel switch share must be within 0–1",
                             code="scenario")
        if sw.from_fuel not in out.index:
            raise InputError(f"情景中的燃料“{sw.from_fuel}”不在能耗表中",
                             f"The scenario's fuel '{sw.from_fuel}' is not in the energy table",
                             code="scenario")
        moved_tce = out.at[sw.from_fuel, "tce"] * sw.share
        moved_amount = out.at[sw.from_fuel, "amount"] * sw.share
        moved_co2 = out.at[sw.from_fuel, "t_co2"] * sw.share
        out.loc[sw.from_fuel, ["tce", "amount", "t_co2"]] -= [moved_tce, moved_amount, moved_co2]
        if sw.to_fuel == "electricity":
            kwh = moved_tce * 1000.0 / electricity_kgce_per_kwh
            per_tce = grid_kg_co2_per_kwh / electricity_kgce_per_kwh
            add = {"tce": moved_tce, "amount": kwh, "t_co2": moved_tce * per_tce, "scope": 2}
        else:
            per_tce = sw.to_t_co2_per_tce
            if per_tce is None and sw.to_fuel in out.index and out.at[sw.to_fuel, "tce"] > 0:
                per_tce = out.at[sw.to_fuel, "t_co2"] / out.at[sw.to_fuel, "tce"]
            if per_tce is None:
                raise InputError(f"情景需要“{sw.to_fuel}”每吨标煤的排放因子",
                                 f"The scenario needs the emissions per tce of '{sw.to_fuel}'",
                                 code="scenario")
            add = {"tce": moved_tce, "amount": np.nan, "t_co2": moved_tce * per_tce, "scope": 1}
        if sw.to_fuel in out.index:
            out.loc[sw.to_fuel, ["tce", "t_co2"]] += [add["tce"], add["t_co2"]]
            if np.isfinite(add["amount"]):
                out.loc[sw.to_fuel, "amount"] += add["amount"]
        else:
            out.loc[sw.to_fuel] = pd.Series(add)
    return out.reset_index()


def park_balance(inputs: BalanceInputs, scenario: Scenario | None = None) -> Balance:
    """Balance lines (tCO2/yr) and indicator metrics for ``scenario`` (default: baseline =
    rooftop PV potential fully built, nothing else changed)."""
    sc = scenario or Scenario("baseline")
    factor = inputs.grid_kg_co2_per_kwh / 1000.0  # tCO2/kWh
    by_fuel = apply_fuel_switches(inputs.by_fuel, sc.fuel_switches, inputs.grid_kg_co2_per_kwh,
                                  inputs.electricity_kgce_per_kwh)
    f = by_fuel.set_index("fuel")
    elec_kwh = float(f.at["electricity", "amount"]) if "electricity" in f.index else 0.0
    pv_kwh = inputs.pv_potential_kwh_yr * sc.pv_share + sc.pv_kwh_extra
    pv_self_netting = min(pv_kwh, elec_kwh)
    pv_self = _pv_used_hourly(inputs, pv_kwh, elec_kwh)
    if pv_self is None:
        pv_self = pv_self_netting
    green = min(sc.green_power_kwh, max(elec_kwh - pv_self, 0.0))
    gross = float(by_fuel["t_co2"].sum())
    scope1 = float(by_fuel.loc[by_fuel["scope"] == 1, "t_co2"].sum())
    scope2 = float(by_fuel.loc[by_fuel["scope"] == 2, "t_co2"].sum())
    pv_avoided_self = pv_self * factor
    pv_exported = (pv_kwh - pv_self) * factor
    green_avoided = green * factor
    sinks = inputs.sinks_t_co2_yr + sc.extra_sinks_t_co2_yr
    energy_after = gross - pv_avoided_self - green_avoided
    net = energy_after - pv_exported - sinks
    energy_tce = float(by_fuel["tce"].sum())
    kgce = inputs.electricity_kgce_per_kwh / 1000.0
    renewable_tce = (pv_self + green) * kgce
    clean_tce = renewable_tce + float(by_fuel.loc[by_fuel["fuel"].isin(CLEAN_FUELS), "tce"].sum())
    elec_tce = elec_kwh * kgce
    va = inputs.value_added_10k_yuan
    metrics: dict[str, float | None] = {
        "energy_tce": energy_tce,
        "t_co2_per_tce": _ratio(energy_after, energy_tce),
        "clean_energy_share_pct": _pct(clean_tce, energy_tce),
        "green_power_share_pct": _pct(pv_self + green, elec_kwh),
        "non_fossil_share_pct": _pct(renewable_tce, energy_tce),
        "renewable_share_pct": _pct(renewable_tce, energy_tce),
        "renewable_power_share_pct": _pct(min(pv_self + green + sc.green_certificates_kwh, elec_kwh),
                                          elec_kwh),
        "electrification_pct": _pct(elec_tce, energy_tce),
        "tce_per_10k_yuan": _ratio(energy_tce * inputs.va_tce_share, va),
        "t_co2_per_10k_yuan": _ratio(energy_after * inputs.va_t_co2_share, va),
        "yuan_per_tce": _ratio(va * 1e4, energy_tce * inputs.va_tce_share) if va else None,
        # land output needs every entity's value added
        "yuan_per_km2": _ratio(va * 1e4, inputs.park_area_km2) if va and inputs.va_tce_share >= 0.999
        else None,
        "green_coverage_pct": _pct(inputs.green_area_m2, inputs.park_area_km2 * 1e6
                                   if inputs.park_area_km2 else None) if inputs.green_area_m2 else None,
        "green_land_rate_pct": _pct(inputs.green_land_m2, inputs.park_area_km2 * 1e6
                                    if inputs.park_area_km2 else None) if inputs.green_land_m2 else None,
        "pv_self_supply_pct": _pct(pv_self, elec_kwh),
        "t_co2_total": energy_after,  # the park's emissions under its boundary (an emissions cap)
        "t_co2_net": net,
    }
    base = inputs.baseline or {}
    coal_t = float(f.at["raw_coal", "amount"]) if "raw_coal" in f.index else None
    metrics["coal_change_pct"] = _change(coal_t, base.get("coal_t"))
    metrics["carbon_intensity_change_pct"] = _change(metrics["t_co2_per_10k_yuan"],
                                                     base.get("t_co2_per_10k_yuan"))
    metrics.update(check_facts(inputs.facts))
    lines = {"gross_t_co2": gross, "scope1_t_co2": scope1, "scope2_t_co2": scope2,
             "scope3_t_co2": float(by_fuel.loc[by_fuel["scope"] == 3, "t_co2"].sum()),
             "pv_kwh_yr": pv_kwh, "pv_self_used_kwh_yr": pv_self,
             "pv_self_used_annual_netting_kwh_yr": pv_self_netting,
             "pv_avoided_self_t_co2": pv_avoided_self, "pv_exported_avoided_t_co2": pv_exported,
             "green_power_avoided_t_co2": green_avoided, "sinks_t_co2": sinks,
             "energy_after_renewables_t_co2": energy_after, "net_t_co2": net}
    return Balance(sc.name, lines, metrics, by_fuel)


def _pv_used_hourly(inputs: BalanceInputs, pv_kwh: float, elec_kwh: float) -> float | None:
    """PV used in the park, matched interval by interval (kWh/yr), or None without both shapes."""
    pv_h, load_h = inputs.hourly_pv_kwh, inputs.hourly_load_kwh
    if pv_h is None or load_h is None or pv_kwh <= 0:
        return None
    pv_sum, load_sum = float(np.sum(pv_h)), float(np.sum(load_h))
    if pv_sum <= 0 or load_sum <= 0 or len(pv_h) != len(load_h):
        return None
    return float(np.minimum(pv_h * (pv_kwh / pv_sum), load_h * (elec_kwh / load_sum)).sum())


def _pct(a: float | None, b: float | None) -> float | None:
    r = _ratio(a, b) if a is not None else None
    return None if r is None else 100.0 * r


def _change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or not before:
        return None
    return 100.0 * (now - before) / before


def compare_scenarios(inputs: BalanceInputs, scenarios: list[Scenario]) -> pd.DataFrame:
    """Balance lines and metrics side by side: one row per line/metric, one column per scenario."""
    cols = {}
    for sc in scenarios:
        b = park_balance(inputs, sc)
        cols[sc.name] = {**b.lines, **b.metrics}
    return pd.DataFrame(cols)


def no_pv(scenario: Scenario) -> Scenario:
    """The same scenario without rooftop PV (e.g. the status quo)."""
    return replace(scenario, pv_share=0.0)
