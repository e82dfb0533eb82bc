"""From the park's results (emissions, rooftop PV, sinks) to its balance, scenarios and
indicator checks: the numbers a zero-carbon park plan reports."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from gis.carbon.balance import Balance, BalanceInputs, FuelSwitch, Scenario, compare_scenarios, park_balance
from gis.carbon.emissions import EmissionsResult
from gis.carbon.indicators import check_indicators, indicator_sets
from gis.carbon.scope import CO2_METRICS, boundary_label
from gis.defaults import DEFAULT_INDICATOR_SET

if TYPE_CHECKING:  # sinks pulls in geopandas/shapely: imported where it is used, not on import
    from gis.carbon.green_rates import GreenRates
    from gis.carbon.sinks import SinkResult

GREEN_COVER_CLASSES = ("forest", "shrub", "grassland", "wetland", "tea")  # = green_rates.GREEN_LAND_CLASSES
"""Land-cover classes that are green land (gis.carbon.green_rates: green coverage adds roof
greening and tree crowns over other land to them)."""


def balance_inputs(emissions: EmissionsResult, *, pv_kwh_yr: float = 0.0, sinks_t_co2_yr: float = 0.0,
                   park_area_km2: float | None = None, green_area_m2: float | None = None,
                   baseline: EmissionsResult | None = None, facts: dict[str, float] | None = None
                   ) -> BalanceInputs:
    """Numbers for :func:`park_balance` from an accounted year (``emissions``, one year), the
    rooftop PV potential (kWh/yr), green-space sinks (tCO2/yr, removals positive), the park's
    area and green area, and optionally the accounted baseline year (for progress indicators)."""
    total = emissions.total()
    base = None
    if baseline is not None:
        bt = baseline.total()
        bf = baseline.by_fuel_for().set_index("fuel")
        base = {"year": int(bt["year"]) if bt.get("year") is not None else None,
                "coal_t": float(bf.at["raw_coal", "amount"]) if "raw_coal" in bf.index else None,
                "t_co2_per_10k_yuan": bt.get("t_co2_per_10k_yuan")}
    ent = emissions.entities
    if total.get("year") is not None and "year" in ent:
        ent = ent[ent["year"] == total["year"]]
    has_va = ent["value_added_10k_yuan"].fillna(0) > 0 if "value_added_10k_yuan" in ent else ent["t_co2"] < 0
    co2_share = float(ent.loc[has_va, "t_co2"].sum() / ent["t_co2"].sum()) if ent["t_co2"].sum() > 0 else 1.0
    tce_share = float(ent.loc[has_va, "tce"].sum() / ent["tce"].sum()) if ent["tce"].sum() > 0 else 1.0
    return BalanceInputs(
        va_t_co2_share=co2_share, va_tce_share=tce_share,
        by_fuel=emissions.by_fuel_for(), grid_kg_co2_per_kwh=emissions.grid_kg_co2_per_kwh,
        pv_potential_kwh_yr=pv_kwh_yr, sinks_t_co2_yr=sinks_t_co2_yr,
        value_added_10k_yuan=total.get("value_added_10k_yuan") or None, park_area_km2=park_area_km2,
        green_area_m2=green_area_m2, year=int(total["year"]) if total.get("year") is not None else None,
        baseline=base, facts=dict(facts or {}),
        electricity_kgce_per_kwh=float(emissions.factors.tce_per_unit["electricity"]) * 1000.0,
        boundary=tuple(getattr(emissions, "boundary", (1, 2))))


def default_scenarios(inputs: BalanceInputs) -> list[Scenario]:
    """Status quo (no new PV), rooftop PV fully built, and PV with coal switched to natural gas
    when the park burns coal."""
    out = [Scenario("现状 status quo", pv_share=0.0), Scenario("屋顶光伏 rooftop PV", pv_share=1.0)]
    fuels = set(inputs.by_fuel.loc[inputs.by_fuel["tce"] > 0, "fuel"])
    if "raw_coal" in fuels and "natural_gas" in fuels:
        out.append(Scenario("光伏+煤改气 PV + coal→gas", pv_share=1.0,
                            fuel_switches=(FuelSwitch("raw_coal", "natural_gas", 1.0),)))
    return out


@dataclass
class ParkCarbon:
    """The balance of each scenario, the scenarios side by side, and the indicator checks."""

    inputs: BalanceInputs
    indicator_set: str
    balances: list[Balance]
    comparison: pd.DataFrame
    indicators: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    indicator_table: pd.DataFrame | None = None  # a user set (gis.carbon.user_indicators); None: bundled

    def summary(self) -> dict:
        ind = self.indicators
        if self.indicator_table is not None and len(self.indicator_table):
            r = self.indicator_table.iloc[0]
            name = f"{r['set_name_zh']} / {r['set_name_en']}"
        else:
            name = indicator_sets()[self.indicator_set]
        return {
            "year": self.inputs.year, "indicator_set": self.indicator_set,
            "indicator_set_name": name, "boundary": list(self.inputs.boundary),
            "boundary_zh": boundary_label(self.inputs.boundary),
            "boundary_en": boundary_label(self.inputs.boundary, "en"),
            "grid_kg_co2_per_kwh": self.inputs.grid_kg_co2_per_kwh,
            "scenarios": [b.to_dict() for b in self.balances],
            "indicators": ind.where(pd.notna(ind), None).to_dict(orient="records"),
        }


def park_carbon(inputs: BalanceInputs, *, indicator_set: str = DEFAULT_INDICATOR_SET,
                scenarios: list[Scenario] | None = None, indicator_table: pd.DataFrame | None = None
                ) -> ParkCarbon:
    """Balance, comparison and indicator check (per scenario) of one park year. ``indicator_table``:
    a user indicator set (gis.carbon.user_indicators.read_indicator_set) checked instead of the
    bundled ``indicator_set``; each indicator on a CO2 metric names the boundary it was counted in."""
    scenarios = list(scenarios or default_scenarios(inputs))
    if not any(sc.pv_share == 0 and not sc.fuel_switches and not sc.green_power_kwh
               and not sc.pv_kwh_extra and not sc.extra_sinks_t_co2_yr for sc in scenarios):
        scenarios.insert(0, Scenario("现状 status quo", pv_share=0.0))  # always the baseline first
    balances = [park_balance(inputs, sc) for sc in scenarios]
    frames = []
    for b in balances:
        if indicator_table is not None and len(indicator_table):
            indicator_set = str(indicator_table["set_key"].iloc[0])
        t = check_indicators(b.metrics, indicator_set, table=indicator_table)
        t.insert(0, "scenario", b.scenario)
        on_co2 = t["metric"].isin(CO2_METRICS)
        t["boundary"] = np.where(on_co2, boundary_label(inputs.boundary), "")
        t["boundary_en"] = np.where(on_co2, boundary_label(inputs.boundary, "en"), "")
        frames.append(t)
    return ParkCarbon(inputs, indicator_set, balances, compare_scenarios(inputs, scenarios),
                      pd.concat(frames, ignore_index=True), indicator_table=indicator_table)


@dataclass
class ParkAccount:
    """Everything accounted for one park: emissions (the year, and the baseline year when the
    table has it), green-space and tree sinks, and the balance/indicators."""

    emissions: EmissionsResult
    baseline: EmissionsResult | None
    sinks: SinkResult | None  # of the green polygons
    trees: SinkResult | None  # of tree rows/points
    carbon: ParkCarbon
    green: GreenRates | None = None  # green coverage and the green-land rate

    @property
    def sinks_t_co2_yr(self) -> float:
        return sum(r.total_t_co2_yr for r in (self.sinks, self.trees) if r is not None)

    def summary(self) -> dict:
        out = {"emissions": self.emissions.summary(), "balance": self.carbon.summary(),
               "sinks_t_co2_yr": round(self.sinks_t_co2_yr, 3)}
        if self.sinks is not None:
            out["green_sinks"] = self.sinks.to_dict()
        if self.trees is not None:
            out["tree_sinks"] = self.trees.to_dict()
        if self.green is not None:
            out["green_rates"] = self.green.to_dict()
        return out


def account_park(park, factors, *, pv_kwh_yr: float = 0.0, year=None, baseline_year=None,
                 indicator_set: str = DEFAULT_INDICATOR_SET, scenarios: list[Scenario] | None = None,
                 facts: dict[str, float] | None = None, type_field: str | None = None,
                 hourly: tuple | None = None, boundary=None, scope3: pd.DataFrame | None = None,
                 activities: pd.DataFrame | None = None, indicator_table: pd.DataFrame | None = None
                 ) -> ParkAccount:
    """Account a loaded :class:`gis.park.Park`: its enterprises' energy table (emissions of
    ``year``, default the latest; the baseline year default: the one before, when present), the
    sinks of its green polygons and tree rows, and the balance with ``pv_kwh_yr`` of rooftop PV
    potential, checked against ``indicator_set``. ``hourly``: (PV kWh, electricity kWh) per interval
    on one axis, to match PV with use hour by hour (gis.carbon.balance.BalanceInputs).

    Process, waste and cooling columns of the energy table (and ``activities``, a separate table
    read by gis.carbon.process.read_activities), ``scope3`` lines and the ``boundary`` (default
    scopes 1 and 2) are applied by gis.carbon.scope.apply_boundary; ``indicator_table``: a user
    indicator set checked instead of ``indicator_set``. Green coverage and the green-land rate
    come from gis.carbon.green_rates."""
    from gis.carbon.emissions import account_emissions
    from gis.carbon.green_rates import canopy_shapes, green_rates
    from gis.carbon.inventory import read_energy_inventory
    from gis.carbon.process import read_activities
    from gis.carbon.scope import DEFAULT_BOUNDARY, apply_boundary, parse_boundary
    from gis.carbon.sinks import tree_sinks, vector_sinks
    from gis.errors import InputError

    if park.enterprises is None:
        raise InputError("缺少企业能耗表", "The park has no energy table (enterprises)",
                         code="carbon.no_energy")
    inventory = read_energy_inventory(park.enterprises, source_name="enterprises", factors=factors)
    emissions = account_emissions(inventory, factors, year=year)
    acts = read_activities(park.enterprises, columns=inventory.columns, source_name="enterprises")
    if activities is not None and len(activities):
        acts = pd.concat([acts, activities], ignore_index=True)
    bounded = len(acts) > 0 or (scope3 is not None and len(scope3) > 0) \
        or (boundary is not None and parse_boundary(boundary) != DEFAULT_BOUNDARY)

    def bound(result):
        if not bounded:
            return result
        return apply_boundary(result, activities=acts, scope3=scope3, boundary=boundary)

    emissions = bound(emissions)
    years = sorted(y for y in inventory.years if y is not None)
    if baseline_year is None and emissions.year is not None:
        earlier = [y for y in years if y < emissions.year]
        baseline_year = earlier[-1] if earlier else None
    baseline = bound(account_emissions(inventory, factors, year=baseline_year)) if baseline_year else None
    sinks = vector_sinks(park.green, type_field=type_field) if park.green is not None else None
    trees = tree_sinks(park.tree_rows, green=park.green) if park.tree_rows is not None \
        and len(park.tree_rows) else None
    area_km2 = float(park.boundary.area.sum()) / 1e6
    rates = None
    if sinks is not None or trees is not None:
        rates = green_rates(park.boundary, sinks.features if sinks is not None else None,
                            canopy_shapes(trees.trees) if trees is not None else None)
    total_sinks = sum(r.total_t_co2_yr for r in (sinks, trees) if r is not None)
    inputs = balance_inputs(emissions, pv_kwh_yr=pv_kwh_yr, sinks_t_co2_yr=total_sinks,
                            park_area_km2=area_km2, green_area_m2=rates.coverage_m2 if rates else None,
                            baseline=baseline, facts=facts)
    if rates is not None:
        inputs = dataclasses.replace(inputs, green_land_m2=rates.green_land_m2)
    if hourly is not None:
        inputs = dataclasses.replace(inputs, hourly_pv_kwh=hourly[0], hourly_load_kwh=hourly[1])
    return ParkAccount(emissions, baseline, sinks, trees,
                       park_carbon(inputs, indicator_set=indicator_set, scenarios=scenarios,
                                   indicator_table=indicator_table), green=rates)
