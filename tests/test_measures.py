"""Measures and the MACC (gis.carbon.measures): ordering and cumulative abatement by hand, measures
applied to a path by hand, the park's own potentials and energy economics replacing the defaults,
user measure files (issue #19)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.carbon.measures import (
    Measure,
    apply_measures,
    default_measures,
    energy_cost_yuan_per_t,
    macc,
    read_measures,
)
from gis.carbon.pathways import base_from_rows, parse_scenario_table, pathways, run_scenario
from gis.errors import InputError


def base(**kw):
    rows = pd.DataFrame([("industry", "raw_coal", 100.0, 260.0), ("industry", "natural_gas", 100.0, 160.0),
                         ("industry", "electricity", 100.0, 500.0)],
                        columns=["sector6", "fuel", "tce", "t_co2"])
    return base_from_rows(rows, 2024, pd.Series({"industry": 1000.0}), grid_kg_co2_per_kwh=0.5,
                          electricity_tce_per_kwh=0.0001, **kw)


def flat_scenario(name="flat"):
    frame = pd.DataFrame([(name, "平", "va_growth_pct", "all", "", "2025-2030", 0.0),
                          (name, "平", "grid_kg_co2_per_kwh", "all", "", "2028", 0.1)],
                         columns=["scenario", "scenario_zh", "parameter", "sector", "fuel", "period",
                                  "value"])
    return parse_scenario_table(frame, "t")[0]


M = [Measure("a", "甲", "A", "energy", 100.0, 50.0, 2026),
     Measure("b", "乙", "B", "electricity", 40.0, -200.0, 2027),
     Measure("c", "丙", "C", "sink", 10.0, 50.0, 2025),
     Measure("d", "丁", "D", "energy", 30.0, 300.0, 2030)]


def test_macc_order_and_cumulative_by_hand():
    t = macc(M)
    # by cost: B (−200), then A and C at 50 (A first: larger abatement), then D (300)
    assert list(t["key"]) == ["b", "a", "c", "d"]
    assert list(t["cumulative_t_co2"]) == [40, 140, 150, 180]
    assert list(t["x_start_t_co2"]) == [0, 40, 140, 150]
    assert list(t["annual_cost_yuan"]) == [-8000, 5000, 500, 9000]
    assert macc([]).empty


def test_measures_shift_the_path_by_hand():
    b = base()
    plain = run_scenario(b, flat_scenario(), end_year=2030)
    with_m = run_scenario(b, flat_scenario(), end_year=2030, measures=M)
    shift = (plain.lines["t_co2"] - with_m.lines["t_co2"]).to_numpy()
    # grid 0.5 → 0.1 by 2028 (0.4, 0.3, 0.2, 0.1, 0.1): electricity measure B (from 2027) × grid/0.5
    # 2024: 0; 2025: C 10; 2026: A 100 + C 10; 2027: + B 40 × 0.2/0.5 = 16; 2028: B 8; 2029: 8; 2030: + D 30
    assert np.allclose(shift, [0, 10, 110, 126, 118, 118, 148])
    # the sink measure is not in the carbon-per-energy indicator; the others are
    per_tce = (plain.lines["t_co2_per_tce"] - with_m.lines["t_co2_per_tce"]).to_numpy() * 300.0
    assert np.allclose(per_tce, [0, 0, 100, 116, 108, 108, 138])
    applied = apply_measures(M, np.arange(2024, 2031), np.ones(7))
    assert applied.electricity_t_co2.tolist() == [0, 0, 0, 40, 40, 40, 40]


def test_pathways_adds_a_measures_path():
    res = pathways(base(), [flat_scenario()], measures=M, measures_on="flat", end_year=2030)
    assert [s.name for s in res.scenarios] == ["flat", "flat+measures"]
    assert res.scenarios[1].name_zh == "平+措施"
    assert res.scenarios[0].net(2026) - res.scenarios[1].net(2026) == pytest.approx(110)


def test_defaults_use_the_park_potentials_and_economics():
    b = base()
    plain, _ = default_measures(b)
    keys = {m.key: m for m in plain}
    # coal to gas: coal 260 t × (1 − (160/100) / (260/100)) = 100 t
    assert keys["fuel_switch"].abatement_t_co2_yr == pytest.approx(100)
    assert all(m.status == "estimate" for m in plain)
    summary = {"pv": {"kwh_yr": 2e6}, "wind": {"aep_mwh": 1000.0},
               "energy": {"t_co2_avoided": 100.0,
                          "economics": {"capex_yuan": 1e6, "om_yuan_yr": 1e4, "annual_saving_yuan": 2e5}}}
    mine = {m.key: m for m in default_measures(b, summary)[0]}
    assert mine["rooftop_pv"].abatement_t_co2_yr == pytest.approx(2e6 * 0.5 / 1000)  # 1000 t
    assert mine["wind"].abatement_t_co2_yr == pytest.approx(1e6 * 0.5 / 1000)
    assert mine["rooftop_pv"].status == "computed"
    from gis.energy.economics import CostAssumptions

    c = CostAssumptions()
    r, n = c.discount_rate_pct / 100, c.lifetime_yr
    crf = r * (1 + r) ** n / ((1 + r) ** n - 1)  # capital recovery factor, written out
    expected = (1e6 * crf + 1e4 - 2e5) / 100.0
    assert energy_cost_yuan_per_t(summary) == pytest.approx(expected)
    assert mine["wind"].cost_yuan_per_t_co2 == pytest.approx(expected)
    assert energy_cost_yuan_per_t({}) is None


def test_user_measures_file(tmp_path):
    good = tmp_path / "m.csv"
    good.write_text("key,name_zh,kind,abatement_t_co2_yr,cost_yuan_per_t_co2,start_year\n"
                    "led,照明改造,energy,120,-80,2026\n", encoding="utf-8")
    (m,) = read_measures(good)
    assert (m.key, m.abatement_t_co2_yr, m.cost_yuan_per_t_co2, m.start_year, m.status) == \
        ("led", 120.0, -80.0, 2026, "user")
    bad = tmp_path / "bad.csv"
    bad.write_text("key,kind,abatement_t_co2_yr,cost_yuan_per_t_co2,start_year\nx,energy,lots,10,2026\n",
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_measures(bad)
    assert err.value.code == "measures.value"
