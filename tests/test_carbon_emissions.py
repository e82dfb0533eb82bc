"""Units, energy inventories (long/wide, Chinese/English) and emissions, against hand calculations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.carbon import units as U
from gis.carbon.emissions import account_emissions
from gis.carbon.factors import load_factor_set
from gis.carbon.inventory import energy_template, read_energy_inventory
from gis.errors import InputError
from gis.io.tables import read_data_table
from gis.paths import sample_dir

ENTERPRISES = sample_dir() / "enterprises_energy.csv"
TOWNSHIPS = sample_dir() / "township_stats.csv"

# national-2023 published factors, typed here as the independent reference
EF = {"coal": 1.9812, "gas_per_1e4_m3": 21.6219, "gasoline": 2.9251, "diesel": 3.0959,
      "grid_kg_per_kwh": 0.5306, "heat_per_gj": 0.11}
TCE = {"coal": 0.7143, "gas_per_m3": 1.2143e-3, "gasoline": 1.4714, "diesel": 1.4571,
       "kwh": 0.1229e-3, "heat_per_gj": 0.03412}


def _sample() -> pd.DataFrame:
    df, _ = read_data_table(ENTERPRISES)
    return df


def _account(df, factors=None, **kw):
    factors = factors or load_factor_set()
    inv = read_energy_inventory(df, source_name="t.csv", factors=factors)
    return inv, account_emissions(inv, factors, **kw)


# ---------------------------------------------------------------- units

def test_volume_both_ways():
    assert U.convert(1.0, "万立方米", "立方米") == pytest.approx(1e4)
    assert U.convert(25_000.0, "m³", "10^4 m3") == pytest.approx(2.5)
    assert U.convert(3.0, "亿立方米", "万立方米") == pytest.approx(1e4 * 3)
    assert U.parse_unit("万Nm³").key == "1e4m3"


def test_electricity_both_ways():
    kwh = U.convert(2.5, "万千瓦时", "kWh")
    assert kwh == pytest.approx(25_000.0)
    assert U.convert(kwh, "千瓦时", "MWh") == pytest.approx(25.0)
    assert U.convert(25.0, "MWh", "万kWh") == pytest.approx(2.5)
    assert U.convert(1.0, "GWh", "万度") == pytest.approx(100.0)
    assert U.convert(1.0, "GJ", "kWh") == pytest.approx(1e6 / 3600)
    assert U.convert(1.0, "TJ", "吉焦") == pytest.approx(1000.0)
    assert U.convert(5000.0, "MJ", "GJ") == pytest.approx(5.0)


def test_standard_coal_and_mass_both_ways():
    assert U.convert(1.0, "万吨标准煤", "吨标准煤") == pytest.approx(1e4)
    assert U.convert(1.0, "吨标煤", "kgce") == pytest.approx(1000.0)
    assert U.convert(2_000.0, "kgce", "tce") == pytest.approx(2.0)
    assert U.convert(3.0, "万吨", "吨") == pytest.approx(3e4)
    assert U.convert(500.0, "公斤", "t") == pytest.approx(0.5)
    assert U.convert(1.0, "平方公里", "亩") == pytest.approx(1500.0)
    assert U.convert(np.array([1.0, 2.0]), "万吨", "t").tolist() == [1e4, 2e4]


def test_units_of_different_dimensions_do_not_convert():
    with pytest.raises(InputError) as e:
        U.convert(1.0, "万千瓦时", "吨")
    assert "不能" in e.value.zh and "Cannot convert" in e.value.en


@pytest.mark.parametrize(("header", "name", "unit_key"), [
    ("原煤(吨)", "原煤", "t"), ("天然气（万立方米）", "天然气", "1e4m3"), ("电力(万kWh)", "电力", "1e4kWh"),
    ("电力（单位：千瓦时）", "电力", "kWh"), ("热力[GJ]", "热力", "GJ"), ("coal_t", "coal", "t"),
    ("natural gas 10^4 m3", "natural gas", "1e4m3"), ("原煤（万吨标准煤）", "原煤", "1e4tce"),
    ("电力/度", "电力", "kWh"), ("蒸汽【吉焦】", "蒸汽", "GJ"), ("天然气(10⁴m³)", "天然气", "1e4m3"),
])
def test_units_in_headers(header, name, unit_key):
    got_name, unit_text = U.split_header(header)
    assert got_name == name
    assert U.parse_unit(unit_text).key == unit_key


def test_unknown_unit_is_an_error():
    assert U.find_unit("车") is None
    with pytest.raises(InputError) as e:
        U.parse_unit("车")
    assert "车" in e.value.zh and "Unknown unit" in e.value.en


# ---------------------------------------------------------------- hand calculations

def test_1000_t_raw_coal_with_the_sichuan_factor():
    df = pd.DataFrame({"企业代码": ["A"], "原煤(吨)": [1000.0]})
    _, r = _account(df, load_factor_set("sichuan-2022"))
    assert r.total()["t_co2"] == pytest.approx(1981.2)
    assert r.total()["tce"] == pytest.approx(714.3)
    assert r.detail.at[0, "scope"] == 1


def test_one_sample_enterprise_by_hand():
    # E002 杭州嘉禾新材料有限公司, 2023 row of resources/sample/enterprises_energy.csv:
    # 原煤 382.7 t, 天然气 76.33 ×10^4 m³, 汽油 3.81 t, 柴油 26.21 t, 电力 2657.81 ×10^4 kWh, 热力 4818.5 GJ,
    # 工业增加值 14067.9 ×10^4 yuan
    scope1 = (382.7 * EF["coal"] + 76.33 * EF["gas_per_1e4_m3"] + 3.81 * EF["gasoline"]
              + 26.21 * EF["diesel"])
    scope2 = 2657.81e4 * EF["grid_kg_per_kwh"] / 1000 + 4818.5 * EF["heat_per_gj"]
    tce = (382.7 * TCE["coal"] + 76.33e4 * TCE["gas_per_m3"] + 3.81 * TCE["gasoline"] + 26.21 * TCE["diesel"]
           + 2657.81e4 * TCE["kwh"] + 4818.5 * TCE["heat_per_gj"])
    inv, r = _account(_sample(), year=2023)
    e = r.entities.set_index("entity").loc["E002"]
    assert e["name"] == "杭州嘉禾新材料有限公司" and e["sector"] == "新材料" and e["year"] == 2023
    assert e["t_co2_scope1"] == pytest.approx(scope1, rel=1e-9)
    assert e["t_co2_scope2"] == pytest.approx(scope2, rel=1e-9)
    assert e["t_co2"] == pytest.approx(scope1 + scope2, rel=1e-9)
    assert e["tce"] == pytest.approx(tce, rel=1e-9)
    assert e["t_co2_per_10k_yuan"] == pytest.approx((scope1 + scope2) / 14067.9, rel=1e-9)
    assert e["t_co2_per_tce"] == pytest.approx((scope1 + scope2) / tce, rel=1e-9)
    rows = r.detail[(r.detail["entity"] == "E002")].set_index("fuel")
    assert rows.at["natural_gas", "amount_canonical"] == pytest.approx(763_300.0)
    assert rows.at["electricity", "amount_canonical"] == pytest.approx(26_578_100.0)
    # the file's line of E002's 2023 row (header is line 1), read without the table reader
    lines = (sample_dir() / "enterprises_energy.csv").read_text(encoding="utf-8-sig").splitlines()
    line_no = 1 + next(i for i, ln in enumerate(lines) if ln.startswith("E002,") and ",2023," in ln)
    assert rows.at["raw_coal", "source_row"] == line_no and rows.at["raw_coal", "source_column"] == "原煤(吨)"
    assert inv.form == "wide" and inv.empty_cells == 0


def test_park_totals_add_up_and_years():
    _, r = _account(_sample())
    assert r.years == [2024] and r.year_choice == "latest"
    assert len(r.entities) == 71
    t = r.total()
    assert t["t_co2"] == pytest.approx(r.entities["t_co2"].sum())
    assert t["t_co2"] == pytest.approx(r.detail["t_co2"].sum())
    assert t["t_co2"] == pytest.approx(r.by_fuel["t_co2"].sum())
    assert t["t_co2"] == pytest.approx(t["t_co2_scope1"] + t["t_co2_scope2"])
    assert r.sectors["t_co2"].sum() == pytest.approx(t["t_co2"])
    assert r.entities["share_pct"].sum() == pytest.approx(100.0)
    assert t["t_co2_per_10k_yuan"] == pytest.approx(t["t_co2"] / r.entities["value_added_10k_yuan"].sum())
    elec = r.by_fuel_for(2024).set_index("fuel")
    assert elec.at["electricity", "scope"] == 2 and elec.at["electricity", "unit"] == "kWh"
    assert r.grid_kg_co2_per_kwh == pytest.approx(0.5306)
    _, all_years = _account(_sample(), year="all")
    years_in_file = sorted(set(_sample()["年份"].astype(int)))
    assert years_in_file[0] <= 2015 and years_in_file[-1] == 2024
    assert all_years.years == years_in_file and len(all_years.totals) == len(years_in_file)
    y23 = all_years.total(2023)["t_co2"]
    _, only23 = _account(_sample(), year=2023)
    assert only23.total()["t_co2"] == pytest.approx(y23)
    with pytest.raises(InputError) as e:
        _account(_sample(), year=1999)
    assert "2023" in e.value.zh and "1999" in e.value.en


def test_long_and_wide_forms_give_the_same_totals():
    wide = _sample()
    fuel_cols = [c for c in wide.columns if "(" in c and not c.startswith("工业增加值")]
    long = wide.melt(id_vars=["企业代码", "企业名称", "行业", "年份", "工业增加值(万元)"],
                     value_vars=fuel_cols, var_name="能源", value_name="消费量")
    parts = long["能源"].map(U.split_header)
    long["能源品种"] = parts.str[0]
    long["单位"] = parts.str[1]
    # some rows in other units: electricity in kWh, gas in m³ (converted by hand here)
    e = long["能源品种"] == "电力"
    long.loc[e, "消费量"] = long.loc[e, "消费量"] * 1e4
    long.loc[e, "单位"] = "千瓦时"
    g = long["能源品种"] == "天然气"
    long.loc[g, "消费量"] = long.loc[g, "消费量"] * 1e4
    long.loc[g, "单位"] = "m³"
    long = long.drop(columns="能源").sample(frac=1.0, random_state=1).reset_index(drop=True)
    inv_l, rl = _account(long, year="all")
    _, rw = _account(wide, year="all")
    assert inv_l.form == "long"
    np.testing.assert_allclose(rl.totals["t_co2"], rw.totals["t_co2"], rtol=1e-12)
    np.testing.assert_allclose(rl.totals["tce"], rw.totals["tce"], rtol=1e-12)
    el = rl.entities.set_index(["entity", "year"]).sort_index()
    ew = rw.entities.set_index(["entity", "year"]).sort_index()
    np.testing.assert_allclose(el["t_co2"], ew["t_co2"], rtol=1e-12)
    np.testing.assert_allclose(el["t_co2_per_10k_yuan"], ew["t_co2_per_10k_yuan"], rtol=1e-12)


def test_chinese_headers_in_other_units_and_english_headers_agree():
    base = pd.DataFrame({"企业代码": ["A", "B"], "原煤(吨)": [1000.0, 0.0], "天然气(万立方米)": [10.0, 2.0],
                         "电力(万千瓦时)": [100.0, 50.0], "热力(吉焦)": [300.0, 0.0]})
    other = pd.DataFrame({"单位代码": ["A", "B"], "煤炭（万吨）": [0.1, 0.0],
                          "管道天然气（立方米）": [1e5, 2e4], "外购电力（MWh）": [1000.0, 500.0],
                          "蒸汽（百万千焦）": [300.0, 0.0]})
    english = pd.DataFrame({"id": ["A", "B"], "coal_t": [1000.0, 0.0], "natural_gas_m3": [1e5, 2e4],
                            "electricity_kwh": [1e6, 5e5], "heat_gj": [300.0, 0.0]})
    totals = [_account(df)[1].entities.set_index("entity")["t_co2"] for df in (base, other, english)]
    hand_a = 1000 * 1.9812 + 10 * 21.6219 + 1e6 * 0.5306e-3 + 300 * 0.11
    assert totals[0]["A"] == pytest.approx(hand_a)
    for t in totals[1:]:
        np.testing.assert_allclose(t.sort_index(), totals[0].sort_index(), rtol=1e-12)


def test_amounts_in_tce_are_converted_with_the_standard_coal_coefficient():
    df = pd.DataFrame({"企业代码": ["A"], "原煤(吨标准煤)": [714.3]})
    _, r = _account(df)
    assert r.detail.at[0, "amount_canonical"] == pytest.approx(1000.0)
    assert r.total()["t_co2"] == pytest.approx(1981.2)
    assert r.total()["tce"] == pytest.approx(714.3)


def test_townships_gdp_land_population_and_refined_oil_warning():
    df, _ = read_data_table(TOWNSHIPS)
    _, r = _account(df)
    ent = r.entities.set_index("entity")
    first = df[(df["年份"] == 2024)].iloc[0]
    code = str(first["乡镇街道代码"])
    assert ent.at[code, "land_mu"] == pytest.approx(first["土地面积(平方公里)"] * 1500.0)
    assert ent.at[code, "value_added_10k_yuan"] == pytest.approx(first["地区生产总值(万元)"])
    assert ent.at[code, "t_co2_per_mu"] == pytest.approx(ent.at[code, "t_co2"] / ent.at[code, "land_mu"])
    assert ent.at[code, "t_co2_per_capita"] == pytest.approx(ent.at[code, "t_co2"] / first["常住人口(人)"])
    oil = r.detail[(r.detail["entity"] == code) & (r.detail["fuel"] == "refined_oil")].iloc[0]
    assert oil["t_co2"] == pytest.approx(first["成品油(吨)"] * 3.0959)
    codes = {p.code for p in r.problems}
    assert "emissions.refined_oil_as_diesel" in codes and "emissions.unverified_factors" in codes
    assert r.summary()["factor_set"]["key"] == "national-2023"


def test_empty_cells_are_counted_not_silent():
    df = pd.DataFrame({"企业代码": ["A", "B"], "原煤(吨)": [100.0, None], "电力(万千瓦时)": [None, 5.0],
                       "备注": ["x", None]})
    inv, r = _account(df)
    assert inv.empty_cells == 2
    assert inv.ignored_columns == ["备注"]
    codes = {p.code for p in r.problems}
    assert {"energy.empty_cells", "energy.ignored_columns"} <= codes
    assert r.total()["t_co2"] == pytest.approx(100 * 1.9812 + 5e4 * 0.5306e-3)


def test_override_changes_the_result_by_exactly_its_difference():
    df = pd.DataFrame({"企业代码": ["A"], "天然气(万立方米)": [10.0], "电力(万千瓦时)": [1.0]})
    base = load_factor_set()
    fs = base.with_overrides(pd.DataFrame({"fuel": ["natural gas"], "value": [2.0], "unit": ["kgCO2/m3"]}),
                             source_name="o.csv")
    _, r0 = _account(df, base)
    _, r1 = _account(df, fs)
    assert r1.total()["t_co2"] - r0.total()["t_co2"] == pytest.approx(1e5 * (0.002 - 21.6219e-4))
    assert r1.summary()["factor_set"]["overrides"][0]["fuel"] == "natural_gas"


# ---------------------------------------------------------------- errors name row and column

def _error(df) -> InputError:
    with pytest.raises(InputError) as e:
        _account(df)
    return e.value


def test_unknown_fuel_column():
    e = _error(pd.DataFrame({"企业代码": ["A"], "原煤(吨)": [1.0], "生物质(吨)": [2.0]}))
    assert "生物质" in e.zh and "C 列" in e.zh and "第 1 行" in e.zh
    assert "unknown fuel" in e.en and "(C)" in e.en and "row 1" in e.en
    assert e.path == "t.csv"


def test_bad_unit_in_header():
    e = _error(pd.DataFrame({"企业代码": ["A"], "原煤(车)": [1.0]}))
    assert "车" in e.zh and "单位" in e.zh and "B 列" in e.zh
    assert "unknown unit" in e.en and "(B)" in e.en


def test_mismatched_unit_electricity_in_tonnes():
    e = _error(pd.DataFrame({"企业代码": ["A"], "电力(吨)": [1.0]}))
    assert "电力不能以“吨”计量" in e.zh and "B 列" in e.zh
    assert "electricity cannot be measured in t" in e.en and "column '电力(吨)' (B)" in e.en
    steam = _error(pd.DataFrame({"企业代码": ["A"], "蒸汽(吨)": [1.0]}))
    assert "吉焦" in steam.zh and "enthalpy" in steam.en


def test_negative_amount_names_the_row_and_column():
    e = _error(pd.DataFrame({"企业代码": ["A", "B"], "原煤(吨)": [1.0, -5.0]}))
    assert "第 3 行“原煤(吨)”列（B 列）" in e.zh and "负数" in e.zh
    assert "row 3, column '原煤(吨)' (B)" in e.en and "negative" in e.en


def test_text_in_a_number_cell():
    e = _error(pd.DataFrame({"企业代码": ["A", "B", "C"], "原煤(吨)": ["1", "1,200", "约100"],
                             "电力(万千瓦时)": [1.0, 2.0, 3.0]}))
    assert "第 4 行“原煤(吨)”列（B 列）：“约100”" in e.zh and "不是数字" in e.zh
    assert "row 4, column '原煤(吨)' (B): '约100'" in e.en and "Not a number" in e.en


def test_fuel_header_without_unit():
    e = _error(pd.DataFrame({"企业代码": ["A"], "原煤": [1.0]}))
    assert "没有单位" in e.zh and "原煤(吨)" in e.zh and "has no unit" in e.en


def test_long_form_errors_name_the_row():
    long = pd.DataFrame({"企业": ["A", "A", "B"], "能源品种": ["原煤", "电力", "生物质"],
                         "消费量": [1.0, 2.0, 3.0], "单位": ["吨", "万千瓦时", "吨"]})
    e = _error(long)
    assert "第 4 行“能源品种”列（B 列）：“生物质”" in e.zh and "row 4" in e.en and "Unknown fuel" in e.en
    long.loc[2, "能源品种"] = "天然气"
    long.loc[2, "单位"] = "桶"
    e = _error(long)
    assert "第 4 行“单位”列（D 列）" in e.zh and "Unknown unit" in e.en
    long.loc[2, "单位"] = "千瓦时"
    e = _error(long)
    assert "第 4 行" in e.zh and "natural gas cannot be measured in kWh" in e.en
    long.loc[2, "单位"] = None
    e = _error(long)
    assert "没有单位" in e.zh and "row 4" in e.en


def test_no_energy_columns():
    e = _error(pd.DataFrame({"企业代码": ["A"], "地址": ["x"]}))
    assert "没有能源列" in e.zh and "No energy columns" in e.en


# ---------------------------------------------------------------- template

def test_template_reads_back():
    sheets = energy_template()
    data = sheets["能源数据"]
    assert list(sheets) == ["能源数据", "填写说明", "能源品种"]
    for col in ("企业代码", "企业名称", "年份", "原煤(吨)", "天然气(万立方米)", "电力(万千瓦时)",
                "热力(吉焦)", "工业增加值(万元)", "占地面积(亩)"):
        assert col in data.columns
    with pytest.raises(InputError) as e:  # the example row is never counted by mistake
        _account(data.astype(str))
    assert "示例行" in e.value.zh and "example row" in e.value.en
    inv, r = _account(data.assign(企业名称="永拓纺织").astype(str))  # as read back from Excel: all text
    assert inv.ignored_columns == [] and inv.form == "wide"
    hand = 100 * 1.9812 + 50 * 21.6219 + 10 * 3.0959 + 1000e4 * 0.5306e-3 + 5000 * 0.11
    assert r.total()["t_co2"] == pytest.approx(hand)
    assert r.total()["t_co2_per_mu"] == pytest.approx(hand / 50.0)


def test_scopes_split_when_the_table_has_no_year():
    """1,000 t coal (1.9812 tCO2/t, national set) and 100 ×10^4 kWh (0.5306 kgCO2/kWh), no year column."""
    from gis.carbon.emissions import account_emissions
    from gis.carbon.factors import load_factor_set
    from gis.carbon.inventory import read_energy_inventory

    f = load_factor_set("national-2023")
    df = pd.DataFrame({"企业代码": ["A"], "原煤(吨)": [1000.0], "电力(万千瓦时)": [100.0]})
    t = account_emissions(read_energy_inventory(df, factors=f), f).total()
    assert t["t_co2_scope1"] == pytest.approx(1000 * 1.9812, rel=1e-4)
    assert t["t_co2_scope2"] == pytest.approx(100e4 * 0.5306 / 1000, rel=1e-6)
