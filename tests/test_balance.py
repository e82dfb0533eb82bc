"""Park carbon balance, scenario maths and indicator pass/fail edges, against hand calculations."""

from __future__ import annotations

import pandas as pd
import pytest

from gis.carbon.balance import BalanceInputs, FuelSwitch, Scenario, compare_scenarios, park_balance
from gis.carbon.indicators import check_indicators, indicator_sets, indicator_table
from gis.errors import InputError

GRID = 0.5306  # kgCO2/kWh, national 2023


def _inputs(**kw) -> BalanceInputs:
    # 1,000 t coal (0.7143 tce/t; Sichuan 1.9812 tCO2/t), 100 ×10^4 m³ gas (1.2143 tce/10^3 m³;
    # 21.6502 tCO2/10^4 m³), 10 GWh electricity (0.1229 kgce/kWh; grid 0.5306)
    by_fuel = pd.DataFrame({
        "fuel": ["raw_coal", "natural_gas", "electricity"],
        "scope": [1, 1, 2],
        "amount": [1000.0, 1e6, 1e7],
        "tce": [714.3, 1214.3, 1229.0],
        "t_co2": [1981.2, 2165.02, 5306.0]})
    args = {"by_fuel": by_fuel, "grid_kg_co2_per_kwh": GRID, "pv_potential_kwh_yr": 2e6,
            "sinks_t_co2_yr": 100.0, "value_added_10k_yuan": 20_000.0, "park_area_km2": 2.0,
            "green_area_m2": 500_000.0}
    args.update(kw)
    return BalanceInputs(**args)


def test_balance_by_hand():
    b = park_balance(_inputs())
    gross = 1981.2 + 2165.02 + 5306.0
    assert b.lines["gross_t_co2"] == pytest.approx(gross)
    assert b.lines["scope1_t_co2"] == pytest.approx(1981.2 + 2165.02)
    assert b.lines["pv_avoided_self_t_co2"] == pytest.approx(2e6 * 0.5306 / 1000)
    assert b.lines["pv_exported_avoided_t_co2"] == pytest.approx(0.0)
    assert b.lines["net_t_co2"] == pytest.approx(gross - 1061.2 - 100.0)
    m = b.metrics
    tce = 714.3 + 1214.3 + 1229.0
    assert m["energy_tce"] == pytest.approx(tce)
    assert m["t_co2_per_tce"] == pytest.approx((gross - 1061.2) / tce)
    assert m["clean_energy_share_pct"] == pytest.approx(100 * (2e6 * 0.0001229 + 1214.3) / tce)
    assert m["green_power_share_pct"] == pytest.approx(20.0)
    assert m["electrification_pct"] == pytest.approx(100 * 1229.0 / tce)
    assert m["tce_per_10k_yuan"] == pytest.approx(tce / 20_000)
    assert m["yuan_per_km2"] == pytest.approx(20_000 * 1e4 / 2.0)
    assert m["green_coverage_pct"] == pytest.approx(25.0)


def test_pv_surplus_is_exported_not_self_used():
    b = park_balance(_inputs(pv_potential_kwh_yr=1.5e7))
    assert b.lines["pv_self_used_kwh_yr"] == pytest.approx(1e7)
    assert b.lines["pv_exported_avoided_t_co2"] == pytest.approx(5e6 * 0.5306 / 1000)
    assert b.metrics["green_power_share_pct"] == pytest.approx(100.0)


def test_fuel_switch_coal_to_gas_at_equal_energy():
    sc = Scenario("coal→gas", pv_share=0.0, fuel_switches=(FuelSwitch("raw_coal", "natural_gas", 1.0),))
    b = park_balance(_inputs(), sc)
    f = b.by_fuel.set_index("fuel")
    assert f.at["raw_coal", "t_co2"] == pytest.approx(0.0)
    gas_per_tce = 2165.02 / 1214.3
    assert f.at["natural_gas", "t_co2"] == pytest.approx(2165.02 + 714.3 * gas_per_tce)
    assert b.metrics["energy_tce"] == pytest.approx(714.3 + 1214.3 + 1229.0)  # energy unchanged
    with pytest.raises(InputError):
        park_balance(_inputs(), Scenario("bad", fuel_switches=(FuelSwitch("lignite", "natural_gas", 1.0),)))


def test_scenarios_side_by_side():
    table = compare_scenarios(_inputs(), [Scenario("现状 status quo", pv_share=0.0), Scenario("PV"),
                                          Scenario("PV + green power", green_power_kwh=8e6)])
    assert list(table.columns) == ["现状 status quo", "PV", "PV + green power"]
    assert table.at["net_t_co2", "现状 status quo"] > table.at["net_t_co2", "PV"] > \
        table.at["net_t_co2", "PV + green power"]
    assert table.at["green_power_share_pct", "PV + green power"] == pytest.approx(100.0)


@pytest.mark.parametrize(("value", "status"), [(0.20, "pass"), (0.2000001, "fail"), (0.19, "pass")])
def test_national_carbon_per_energy_edge(value, status):
    r = check_indicators({"energy_tce": 300_000, "t_co2_per_tce": value}, "national-2025")
    row = r.set_index("indicator_key").loc["carbon_per_energy"]
    assert row["status"] == status and row["threshold"] == 0.20
    large = r.set_index("indicator_key").loc["carbon_per_energy_large"]
    assert large["status"] == "not applicable"  # the park uses < 1 Mtce


@pytest.mark.parametrize(("tce", "applies"), [(199_999, ("not applicable", "not applicable")),
                                              (200_000, ("pass", "not applicable")),
                                              (1_000_000, ("not applicable", "pass"))])
def test_national_size_classes(tce, applies):
    r = check_indicators({"energy_tce": tce, "t_co2_per_tce": 0.1}, "national-2025")
    r = r.set_index("indicator_key")
    assert (r.at["carbon_per_energy", "status"], r.at["carbon_per_energy_large", "status"]) == applies


def test_every_indicator_edge_passes_at_threshold_and_fails_beyond():
    t = indicator_table()
    for set_key in indicator_sets():
        rows = t[t["set_key"] == set_key]
        for r in rows.itertuples():
            size = {"energy_tce": 500_000.0}
            if isinstance(r.applies_if, str) and "1000000" in r.applies_if and ">=1000000" in r.applies_if:
                size = {"energy_tce": 2_000_000.0}
            at = check_indicators({**size, r.metric: r.threshold}, set_key).set_index("indicator_key")
            assert at.at[r.indicator_key, "status"] == "pass", (set_key, r.indicator_key)
            worse = r.threshold + (1e-3 * max(1.0, abs(r.threshold))) * (1 if r.comparator == "<=" else -1)
            beyond = check_indicators({**size, r.metric: worse}, set_key).set_index("indicator_key")
            assert beyond.at[r.indicator_key, "status"] == "fail", (set_key, r.indicator_key)
            missing = check_indicators(size, set_key).set_index("indicator_key")
            assert missing.at[r.indicator_key, "status"] == "no data"
            assert r.source  # every indicator names its source


def test_unknown_set_is_bad_input():
    with pytest.raises(InputError) as e:
        check_indicators({}, "mars-2030")
    assert "national-2025" in e.value.en and "未知" in e.value.zh


def test_progress_indicators_need_a_baseline():
    b = park_balance(_inputs(baseline={"coal_t": 1100.0, "t_co2_per_10k_yuan": 0.6}))
    assert b.metrics["coal_change_pct"] == pytest.approx(100 * (1000 - 1100) / 1100)
    assert park_balance(_inputs()).metrics["coal_change_pct"] is None


def test_pv_matched_hour_by_hour_when_the_shapes_are_given():
    """PV of 1.5e7 kWh/yr against 1e7 kWh/yr of electricity: netted over the year all 1e7 would be
    self-used; matched by hour, a day of 24 equal hours of use against PV in 12 hours uses at most
    half the day's use, so (by hand) self-use = 365 × 12 h × min(PV hour, use hour)."""
    hours = 8760
    day_hour = pd.RangeIndex(hours) % 24
    pv_shape = ((day_hour >= 6) & (day_hour < 18)).astype(float)  # flat 12 h of sun
    load_shape = pd.Series(1.0, index=range(hours)).to_numpy()
    b = park_balance(_inputs(pv_potential_kwh_yr=1.5e7, hourly_pv_kwh=pv_shape, hourly_load_kwh=load_shape))
    pv_hour = 1.5e7 / (365 * 12)  # kWh in each sunny hour
    use_hour = 1e7 / hours
    by_hand = 365 * 12 * min(pv_hour, use_hour)
    assert b.lines["pv_self_used_kwh_yr"] == pytest.approx(by_hand)
    assert b.lines["pv_self_used_annual_netting_kwh_yr"] == pytest.approx(1e7)
    assert b.lines["pv_exported_avoided_t_co2"] == pytest.approx((1.5e7 - by_hand) * GRID / 1000)
    assert b.metrics["pv_self_supply_pct"] == pytest.approx(100 * by_hand / 1e7)
