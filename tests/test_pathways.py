"""Pathways to 2060 (gis.carbon.pathways, gis.carbon.sensitivity): the driver equations by hand on a
small park, peaks, the indicator year, the target gap, scenario files, and the sample park's base
year against its accounting (issue #19)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.carbon.pathways import (
    PathwayBase,
    base_from_rows,
    base_from_trends,
    default_scenarios,
    parse_scenario_table,
    pathways,
    run_scenario,
)
from gis.carbon.sensitivity import tornado
from gis.errors import InputError

COLS = ["sector6", "fuel", "tce", "t_co2"]


def small_base(**kw) -> PathwayBase:
    """Two sectors, two fuels, base year 2024: industry 100 tce gas (200 t, 2 t/tce) + 100 tce
    electricity; buildings 50 tce electricity. 0.0001 tce/kWh, grid 0.5 kg/kWh → electricity 5 t/tce."""
    rows = pd.DataFrame([("industry", "natural_gas", 100.0, 200.0), ("industry", "electricity", 100.0, 500.0),
                         ("buildings", "electricity", 50.0, 250.0)], columns=COLS)
    va = pd.Series({"industry": 1000.0, "buildings": 500.0})
    return base_from_rows(rows, 2024, va, grid_kg_co2_per_kwh=0.5, electricity_tce_per_kwh=0.0001, **kw)


def scenario(rows: list[tuple], name: str = "s"):
    cols = ["scenario", "scenario_zh", "parameter", "sector", "fuel", "period", "value"]
    frame = pd.DataFrame([(name, name, *r) for r in rows], columns=cols)
    return parse_scenario_table(frame, "test")[0]


# Scenario A: 10 %/yr growth; industry electrification 50 % → 70 % by 2028; grid 0.5 → 0.1 by 2028
A = [("va_growth_pct", "all", "", "2025-2028", 10.0),
     ("electrification_pct", "industry", "electricity", "2028", 70.0),
     ("grid_kg_co2_per_kwh", "all", "", "2028", 0.1)]


def test_driver_equations_by_hand():
    p = run_scenario(small_base(), scenario(A), end_year=2028)
    # 2025: E_ind = 200 × 1.1 = 220, electricity 55 % = 121 tce × 4 t/tce (grid 0.4) = 484, gas 99 × 2 = 198;
    # buildings 55 tce × 4 = 220 → 902.  2026: E_ind = 242: 0.60 × 242 = 145.2 × 3 = 435.6, gas 96.8 × 2
    # = 193.6; buildings 60.5 × 3 = 181.5 → 810.7
    by = p.by_sector().set_index(["year", "sector6"])
    assert by.loc[(2025, "industry"), "t_co2"] == pytest.approx(484 + 198)
    assert by.loc[(2025, "buildings"), "t_co2"] == pytest.approx(220)
    assert by.loc[(2026, "industry"), "tce"] == pytest.approx(242)
    fuel = p.by_fuel().set_index(["year", "fuel"])
    assert fuel.loc[(2026, "electricity"), "tce"] == pytest.approx(145.2 + 60.5)
    assert fuel.loc[(2026, "natural_gas"), "t_co2"] == pytest.approx(193.6)
    lines = p.lines.set_index("year")
    assert lines.loc[2024, "t_co2"] == pytest.approx(950)
    assert lines.loc[2025, "t_co2"] == pytest.approx(902)
    assert lines.loc[2026, "t_co2"] == pytest.approx(810.7)
    assert lines.loc[2026, "grid_kg_co2_per_kwh"] == pytest.approx(0.3)
    assert lines.loc[2026, "value_added_10k_yuan"] == pytest.approx(1500 * 1.21)
    # falls from the base year: the peak is the base year
    assert p.peak_year == 2024 and p.peak_t_co2 == pytest.approx(950)
    # default target: straight from the peak (2024, 950) to 0 in 2028 → 475 in 2026
    assert lines.loc[2026, "target_t_co2"] == pytest.approx(475)
    assert lines.loc[2026, "gap_t_co2"] == pytest.approx(810.7 - 475)


def test_peak_in_a_middle_year_and_not_reached():
    rows = [("va_growth_pct", "all", "", "2025-2028", 10.0),
            ("intensity_decline_pct", "all", "", "2027-2028", 15.0)]
    p = run_scenario(small_base(), scenario(rows), end_year=2028)
    # energy factor: 1.1, 1.21, 1.21 × 1.1 × 0.85 = 1.131350, × 0.935 = 1.057812; CO2 = 950 × factor
    expected = 950 * np.array([1, 1.1, 1.21, 1.13135, 1.13135 * 0.935])
    assert np.allclose(p.lines["t_co2"], expected)
    assert p.peak_year == 2026 and p.peak_t_co2 == pytest.approx(1149.5)
    grow = run_scenario(small_base(), scenario(rows[:1]), end_year=2028)
    assert grow.peak_year is None  # largest in the last year: not reached
    assert grow.peak_t_co2 == pytest.approx(950 * 1.1 ** 4)


def test_indicator_year_and_net_zero():
    p = run_scenario(small_base(), scenario(A), end_year=2028, indicator_threshold=1.5)
    # t_co2/tce: 2027 = 665.5/332.75 = 2.0; 2028: E_ind 292.82 (elec 204.974 × 1 + gas 87.846 × 2) +
    # buildings 73.205 × 1 = 453.871 over 366.025 tce = 1.24 → first met in 2028
    assert p.lines.set_index("year").loc[2028, "t_co2_per_tce"] == pytest.approx(453.871 / 366.025)
    assert p.indicator_year == 2028
    assert p.net_zero_year is None
    ccus = scenario([*A, ("ccus_t_co2", "all", "", "2028", 1000.0)])
    q = run_scenario(small_base(), ccus, end_year=2028)
    # CCUS 0 → 1000 t by 2028: 250 t in 2025; 2027: 665.5 − 750 < 0 → net zero in 2027
    assert q.lines.set_index("year").loc[2025, "t_co2"] == pytest.approx(902 - 250)
    assert q.net_zero_year == 2027


def test_onsite_capped_by_the_park_electricity():
    rows = [*A, ("onsite_buildout_pct", "all", "", "2028", 100.0)]
    p = run_scenario(small_base(onsite_potential_kwh_yr=1e6), scenario(rows), end_year=2028)
    # 2025: 25 % of 1e6 kWh at 0.4 kg/kWh = 100 t
    assert p.lines.set_index("year").loc[2025, "t_co2"] == pytest.approx(902 - 100)
    q = run_scenario(small_base(onsite_potential_kwh_yr=1e9), scenario(rows), end_year=2028)
    # capped at the electricity used in 2025: (121 + 55) tce / 0.0001 = 1.76e6 kWh × 0.4 kg = 704 t
    assert q.lines.set_index("year").loc[2025, "onsite_t_co2"] == pytest.approx(704)


def test_coal_phase_out_goes_to_the_other_fuels():
    rows = pd.DataFrame([("industry", "raw_coal", 50.0, 130.0), ("industry", "natural_gas", 50.0, 100.0),
                         ("industry", "electricity", 100.0, 500.0)], columns=COLS)
    base = base_from_rows(rows, 2024, pd.Series({"industry": 1.0}), grid_kg_co2_per_kwh=0.5,
                          electricity_tce_per_kwh=0.0001)
    p = run_scenario(base, scenario([("fuel_share_pct", "all", "原煤", "2026", 0.0)]), end_year=2026)
    f = p.by_fuel().set_index(["year", "fuel"])
    # coal share 25 % → 12.5 % (2025) → 0; gas takes the rest of the non-electric half: 37.5 %, 50 %
    assert f.loc[(2025, "raw_coal"), "tce"] == pytest.approx(25)
    assert f.loc[(2025, "natural_gas"), "tce"] == pytest.approx(75)
    assert f.loc[(2026, "natural_gas"), "t_co2"] == pytest.approx(100 * 2.0)
    assert f.loc[(2026, "electricity"), "tce"] == pytest.approx(100)


def test_user_target_and_cumulative():
    target = pd.DataFrame({"year": [2024, 2030], "t_co2": [950.0, 350.0]})
    p = run_scenario(small_base(), scenario(A[:1]), end_year=2030, target=target)
    lines = p.lines.set_index("year")
    assert lines.loc[2027, "target_t_co2"] == pytest.approx(650)
    assert p.gap_2030_t_co2 == pytest.approx(950 * 1.1 ** 6 - 350)
    assert p.cumulative_2030_t_co2 == pytest.approx(sum(950 * 1.1 ** k for k in range(7)))
    assert p.cumulative_2060_t_co2 is None


@pytest.mark.parametrize(("row", "code"), [
    (("growth_rate", "all", "", "2025-2030", 5.0), "pathways.parameter"),
    (("va_growth_pct", "all", "", "2025-2030", float("nan")), "pathways.value"),
    (("va_growth_pct", "all", "", "2025-2030", "five"), "pathways.value"),
    (("va_growth_pct", "all", "", "2025-2070", 5.0), "pathways.period"),
    (("va_growth_pct", "all", "", "2030-2025", 5.0), "pathways.period"),
    (("va_growth_pct", "mining", "", "2025-2030", 5.0), "pathways.sector"),
    (("electrification_pct", "all", "", "2030", 150.0), "pathways.value"),
    (("fuel_share_pct", "all", "", "2030", 0.0), "pathways.fuel"),
])
def test_bad_scenario_rows(row, code):
    with pytest.raises(InputError) as err:
        scenario([row])
    assert err.value.code == code and "row 2" in err.value.en and "第 2 行" in err.value.zh


def test_default_scenarios_on_the_sample():
    from gis.carbon.emissions import account_emissions
    from gis.carbon.factors import load_factor_set
    from gis.carbon.inventory import read_energy_inventory
    from gis.carbon.trends import compute_trends
    from gis.io.tables import read_data_table
    from gis.park import sample_sources

    table, _ = read_data_table(sample_sources().enterprises_table)
    f = load_factor_set()
    trends = compute_trends(account_emissions(read_energy_inventory(table, source_name="s", factors=f), f,
                                              year="all"))
    base = base_from_trends(trends)
    res = pathways(base)
    assert [s.name for s in res.scenarios] == ["natural", "baseline", "enhanced"]
    last = trends.totals.iloc[-1]
    by_sector = trends.by_sector[trends.by_sector["year"] == last["year"]].set_index("sector6")
    for s in res.scenarios:  # every path starts at the accounting of the latest year
        first = s.lines.iloc[0]
        assert first["year"] == last["year"]
        assert first["tce"] == pytest.approx(last["tce"])
        assert first["gross_t_co2"] == pytest.approx(last["t_co2"])
        sec = s.by_sector().query("year == @first.year").set_index("sector6")
        assert np.allclose(sec.loc[by_sector.index, "t_co2"], by_sector["t_co2"])
        assert s.lines["year"].iloc[-1] == 2060
    y2030 = [s.net(2030) for s in res.scenarios]
    assert y2030[0] > y2030[1] > y2030[2]  # natural > baseline > enhanced
    # a round trip through the saved dict gives the same paths
    again = pathways(PathwayBase.from_dict(res.base.to_dict()))
    assert np.allclose(again.scenarios[1].lines["t_co2"], res.scenarios[1].lines["t_co2"])
    assert len(res.assumptions) == sum(len(s.rows) for s in default_scenarios())
    assert res.assumptions["source"].str.len().min() > 5  # every assumption has its source


def test_tornado_by_hand():
    t = tornado(small_base(), scenario(A), pct=20.0, year=2026, end_year=2028).set_index("driver")
    # growth ±20 %: 8 % and 12 %/yr. 2026 net: industry E = 200 × 1.08² = 233.28 (electricity 60 % × 3 t/tce
    # + gas 40 % × 2) = 233.28 × 2.6, buildings 50 × 1.08² × 3
    low = 233.28 * 2.6 + 50 * 1.08 ** 2 * 3
    high = 200 * 1.12 ** 2 * 2.6 + 50 * 1.12 ** 2 * 3
    assert t.loc["growth", "t_co2_low"] == pytest.approx(low)
    assert t.loc["growth", "swing_t_co2"] == pytest.approx(high - low)
    assert t.loc["pv", "swing_t_co2"] == 0  # no build-out in the scenario
    assert list(t["swing_t_co2"]) == sorted(t["swing_t_co2"], reverse=True)


def test_target_file(tmp_path):
    from gis.carbon.pathways import read_target

    good = tmp_path / "t.csv"
    good.write_text("年份,排放量\n2024,950\n2030,350\n", encoding="utf-8")
    target = read_target(good)
    p = run_scenario(small_base(), scenario(A[:1]), end_year=2030, target=target)
    assert p.lines.set_index("year").at[2026, "target_t_co2"] == pytest.approx(750)
    bad = tmp_path / "b.csv"
    bad.write_text("year,t_co2\n2024,950\n2070,0\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_target(bad)
    assert err.value.code == "pathways.target"
