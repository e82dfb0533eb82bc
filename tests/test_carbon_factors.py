"""Factor tables, derivations, factor sets and user overrides, against hand calculations."""

from __future__ import annotations

import pandas as pd
import pytest

from gis.carbon.factors import (
    factor_set_keys,
    factor_set_table,
    factor_values,
    fuel_catalog,
    guideline_fuel_factors,
    load_factor_set,
    match_fuel,
    read_factor_table,
    standard_coal_table,
)
from gis.errors import InputError
from gis.grid_factors import grid_factor, grid_factor_table

C_TO_CO2 = 44.0 / 12.0


def test_raw_coal_factor_derived_by_hand_equals_the_sichuan_value():
    by_hand = 20.908 * 26.37 * 0.98 * 44 / 12 / 1000  # GJ/t × tC/TJ × OF × CO2/C → tCO2/t
    assert by_hand == pytest.approx(1.98116, abs=1e-5)
    g = guideline_fuel_factors().set_index("fuel")
    assert g.at["raw_coal", "value"] == pytest.approx(by_hand, abs=5e-5)
    assert g.at["raw_coal", "unit"] == "tCO2/t"
    sichuan = factor_values().set_index(["group", "fuel"]).loc[("sichuan-pilot-2022", "raw_coal")]
    assert sichuan["value"] == pytest.approx(round(by_hand, 4))


@pytest.mark.parametrize(("fuel", "expected"), [
    # independent hand products NCV × CC × OF × 44/12 (commonly cited Chinese default factors)
    ("coke", 28.435 * 29.5 * 0.93 * 44 / 12 / 1000),
    ("crude_oil", 41.816 * 20.1 * 0.98 * 44 / 12 / 1000),
    ("gasoline", 2.9251),
    ("diesel", 3.0959),
    ("fuel_oil", 3.1705),
    ("lpg", 3.1013),
    ("natural_gas", 389.31 * 15.3 * 0.99 * 44 / 12 / 1000),  # tCO2 per 10^4 m³
])
def test_guideline_fuel_factors_are_the_product_of_their_parameters(fuel, expected):
    g = guideline_fuel_factors().set_index("fuel")
    r = g.loc[fuel]
    derived = r["ncv"] * r["carbon_content"] * r["oxidation"] * C_TO_CO2 / 1000.0
    assert r["value"] == pytest.approx(derived, abs=5e-5)  # stored to 4 decimals
    assert r["value"] == pytest.approx(expected, abs=5e-5)
    assert r["carbon_content_unit"] == "tC/TJ"
    assert r["unit"] == ("tCO2/10^4 m3" if fuel == "natural_gas" else "tCO2/t")
    assert r["ncv_unit"] == ("GJ/10^4 m3" if fuel == "natural_gas" else "GJ/t")


def test_every_fuel_factor_row_derives_its_value():
    g = guideline_fuel_factors()
    derived = g["ncv"] * g["carbon_content"] * g["oxidation"] * C_TO_CO2 / 1000.0
    assert (derived - g["value"]).abs().max() <= 5e-5
    assert set(g["fuel"]) >= {"raw_coal", "coke", "crude_oil", "gasoline", "diesel", "fuel_oil", "lpg",
                              "natural_gas"}


def test_factor_tables_state_value_unit_year_region_source_status():
    for table in (guideline_fuel_factors(), factor_values(), standard_coal_table(), grid_factor_table()):
        for col in ("value", "unit", "year", "source", "status"):
            assert col in table.columns
            assert table[col].notna().all(), col
        assert set(table["status"]) <= {"checked", "unverified"}
    for table in (guideline_fuel_factors(), factor_values(), grid_factor_table()):
        assert table["region"].notna().all()
    v = factor_values().set_index(["group", "fuel"])
    assert v.loc[("sichuan-pilot-2022", "electricity"), "status"] == "unverified"
    assert v.loc[("sichuan-pilot-2022", "electricity"), "value"] == pytest.approx(1.0310)
    assert v.loc[("sichuan-pilot-2022", "natural_gas"), "value"] == pytest.approx(21.6502)
    assert v.loc[("sichuan-pilot-2022", "crude_oil"), "value"] == pytest.approx(3.0172)
    assert v.loc[("heat-default", "heat"), "value"] == pytest.approx(0.11)
    assert v.loc[("heat-default", "heat"), "unit"] == "tCO2/GJ"


def test_grid_factor_table_keeps_working_with_value_and_unit():
    assert grid_factor("national-2023").kg_co2_per_kwh == pytest.approx(0.5306)
    assert grid_factor("national-2021").kg_co2_per_kwh == pytest.approx(0.5568)
    assert grid_factor("southwest-2022").kg_co2_per_kwh == pytest.approx(0.2268)
    cm = grid_factor_table().set_index("key").loc["carbon-market-2022"]
    assert cm["unit"] == "tCO2/MWh" and cm["kg_co2_per_kwh"] == pytest.approx(0.5703)


def test_named_sets_and_their_electricity():
    assert {"national-2023", "national-2022", "national-2021", "sichuan-2022",
            "carbon-market-2022"} <= set(factor_set_keys())
    nat = load_factor_set("national-2023")
    assert nat.year == 2023 and nat.grid_key == "national-2023"
    assert nat.t_co2_per_unit["electricity"] == pytest.approx(0.5306 / 1000)  # tCO2/kWh
    assert nat.t_co2_per_unit["natural_gas"] == pytest.approx(21.6219 / 1e4)  # tCO2/m³
    assert nat.t_co2_per_unit["heat"] == pytest.approx(0.11)  # tCO2/GJ
    sc = load_factor_set("sichuan-2022")
    assert sc.t_co2_per_unit["raw_coal"] == pytest.approx(1.9812)
    assert sc.t_co2_per_unit["natural_gas"] == pytest.approx(21.6502 / 1e4)
    assert sc.t_co2_per_unit["electricity"] == pytest.approx(1.0310 / 1e4)
    assert sc.t_co2_per_unit["refined_oil"] == pytest.approx(3.0172)
    assert sc.table.at["gasoline", "origin"] == "guideline"
    assert "electricity" in sc.unverified()
    assert load_factor_set("carbon-market-2022").t_co2_per_unit["electricity"] == pytest.approx(0.5703e-3)
    east = load_factor_set("national-2022", grid_key="east-2023")
    assert east.t_co2_per_unit["electricity"] == pytest.approx(0.5500e-3)
    assert east.grid_key == "east-2023"
    assert set(factor_set_table()["key"]) == set(factor_set_keys())


def test_unknown_set_lists_the_keys_in_both_languages():
    with pytest.raises(InputError) as e:
        load_factor_set("hubei-2030")
    assert "national-2023" in e.value.zh and "sichuan-2022" in e.value.en
    assert "未知" in e.value.zh and "Unknown" in e.value.en


def test_standard_coal_coefficients_gbt_2589():
    s = load_factor_set()
    tce = s.tce_per_unit
    assert tce["raw_coal"] == pytest.approx(0.7143)  # tce/t
    assert tce["diesel"] == pytest.approx(1.4571)
    assert tce["natural_gas"] == pytest.approx(1.2143e-3)  # tce/m³
    assert tce["electricity"] == pytest.approx(0.1229e-3)  # tce/kWh, equivalent value
    assert tce["heat"] == pytest.approx(0.03412)  # 0.03412 kgce/MJ = 0.03412 tce/GJ
    supply = load_factor_set(electricity_tce="supply")
    assert supply.tce_per_unit["electricity"] == pytest.approx(0.3007e-3)
    assert "electricity" in supply.unverified()
    with pytest.raises(InputError):
        load_factor_set(electricity_tce="magic")


def test_fuel_names_in_chinese_and_english():
    cases = {"原煤": "raw_coal", "煤炭": "raw_coal", "Coal": "raw_coal", "焦炭": "coke", "原油": "crude_oil",
             "汽油": "gasoline", "Diesel": "diesel", "燃料油": "fuel_oil", "液化石油气": "lpg", "LPG": "lpg",
             "天然气": "natural_gas", "natural gas": "natural_gas", "天然气消费量": "natural_gas",
             "电力": "electricity", "电": "electricity", "外购电力": "electricity", "用电量": "electricity",
             "热力": "heat", "蒸汽": "heat", "Steam": "heat", "成品油": "refined_oil"}
    for name, key in cases.items():
        assert match_fuel(name) == key, name
    assert match_fuel("生物质") is None
    assert set(fuel_catalog().loc[["electricity", "heat"], "scope"]) == {2}
    assert set(fuel_catalog().drop(["electricity", "heat"])["scope"]) == {1}


def test_override_changes_and_adds_factors_and_records_them():
    base = load_factor_set()
    ov = pd.DataFrame({"能源品种": ["天然气", "生物质"], "排放因子": [2.0, 0.0],
                       "单位": ["kgCO2/m³", "tCO2/t"], "来源": ["燃气公司检测报告", None],
                       "折标系数": [None, 0.5], "折标系数单位": [None, "kgce/kg"]})
    fs = base.with_overrides(ov, source_name="ov.csv")
    assert fs.t_co2_per_unit["natural_gas"] == pytest.approx(0.002)  # 2 kg/m³ = 0.002 t/m³
    assert base.t_co2_per_unit["natural_gas"] == pytest.approx(21.6219e-4)  # the set itself is unchanged
    assert fs.t_co2_per_unit["生物质"] == 0.0 and fs.tce_per_unit["生物质"] == pytest.approx(0.5)
    assert fs.table.at["natural_gas", "status"] == "user"
    assert fs.table.at["natural_gas", "source"] == "燃气公司检测报告"
    assert [o["fuel"] for o in fs.overrides] == ["natural_gas", "生物质"]
    assert fs.overrides[0]["from"].startswith("21.6219") and fs.override_source == "ov.csv"
    assert match_fuel("生物质", fs.fuels) == "生物质"
    assert fs.describe()["overrides"][0]["to"] == "2.0 kgCO2/m³"


@pytest.mark.parametrize(("row", "words_zh", "words_en"), [
    ({"fuel": "电力", "value": 0.5, "unit": "tCO2/t"}, "第 2 行", "row 2"),
    ({"fuel": "原煤", "value": "约2", "unit": "tCO2/t"}, "不是数字", "not a number"),
    ({"fuel": "原煤", "value": -1, "unit": "tCO2/t"}, "负数", "negative"),
    ({"fuel": "原煤", "value": 2, "unit": "kgce/kg"}, "单位", "unit"),
    ({"fuel": "原煤", "value": 2, "unit": None}, "为空", "empty"),
])
def test_bad_override_rows_name_row_and_column(row, words_zh, words_en):
    df = pd.DataFrame([row])
    with pytest.raises(InputError) as e:
        read_factor_table(df, source_name="ov.csv")
    assert words_zh in e.value.zh and words_en in e.value.en
    assert "第 2 行" in e.value.zh and "row 2" in e.value.en
    assert e.value.path == "ov.csv"


def test_override_table_needs_fuel_value_unit_columns():
    with pytest.raises(InputError) as e:
        read_factor_table(pd.DataFrame({"fuel": ["原煤"], "value": [2.0]}))
    assert "unit" in e.value.en and "单位" in e.value.zh
