"""`lingtan carbon` and `lingtan template energy` end to end: workbook, options, messages, exit codes."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from app.cli import main
from gis.paths import sample_dir

ENTERPRISES = sample_dir() / "enterprises_energy.csv"
# E002, 2023 (see tests/test_carbon_emissions.py): national-2023 factors typed by hand
E002_2023 = (382.7 * 1.9812 + 76.33 * 21.6219 + 3.81 * 2.9251 + 26.21 * 3.0959
             + 2657.81e4 * 0.5306e-3 + 4818.5 * 0.11)


def _sheet(path, name) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=name)


def test_carbon_writes_the_workbook(tmp_path, capsys):
    out = tmp_path / "碳排放.xlsx"
    assert main(["carbon", str(ENTERPRISES), "--year", "2023", "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    wb = openpyxl.load_workbook(out, read_only=True)
    names = wb.sheetnames
    wb.close()
    assert names[:2] == ["汇总", "企业"]
    assert {"汇总", "企业", "明细", "因子", "能源品种", "行业"} <= set(names)
    ent = _sheet(out, "企业")
    assert "排放量(tCO2)" in ent.columns and "单位工业增加值排放(tCO2/万元)" in ent.columns
    row = ent[ent["代码"] == "E002"].iloc[0]
    assert row["排放量(tCO2)"] == pytest.approx(E002_2023, rel=1e-9)
    assert row["名称"] == "杭州嘉禾新材料有限公司"
    assert ent["排放量(tCO2)"].sum() == pytest.approx(s["total"]["t_co2"], rel=1e-6)
    detail = _sheet(out, "明细")
    assert {"能源品种", "范围", "填报单位", "排放量(tCO2)", "原表行号", "原表列"} <= set(detail.columns)
    assert detail["排放量(tCO2)"].sum() == pytest.approx(s["total"]["t_co2"], rel=1e-6)
    factors = _sheet(out, "因子").set_index("fuel")
    assert factors.at["raw_coal", "排放因子"] == pytest.approx(1.9812)
    assert factors.at["raw_coal", "低位发热量"] == pytest.approx(20.908)
    assert "GB/T 2589" in factors.at["raw_coal", "折标来源"]
    assert factors.at["electricity", "本次使用"] == "是 yes"
    summary = _sheet(out, "汇总")
    total = summary[summary["项目"] == "排放总量 Total emissions"].iloc[0]
    assert float(total["数值"]) == pytest.approx(s["total"]["t_co2"], rel=1e-6)
    assert s["years"] == [2023] and s["factor_set"]["key"] == "national-2023"
    assert s["output"] == str(out)


def test_human_summary_is_bilingual(tmp_path, capsys):
    assert main(["carbon", str(ENTERPRISES), "--out", str(tmp_path / "o.xlsx")]) == 0
    text = capsys.readouterr().out
    for words in ("排放总量 Total", "tCO2", "范围一 scope 1", "综合能耗 Energy", "tCO2/tce", "national-2023",
                  "0.5306 kgCO2/kWh", "[2024]", "输出 Output"):
        assert words in text


def test_override_changes_a_factor_and_the_summary_says_so(tmp_path, capsys):
    base = tmp_path / "base.xlsx"
    assert main(["carbon", str(ENTERPRISES), "--out", str(base), "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    ov = tmp_path / "因子修改.csv"
    ov.write_text("能源品种,排放因子,单位,来源\n天然气,2.0,千克二氧化碳/立方米,供气公司检测 2024\n",
                  encoding="gbk")
    out = tmp_path / "o.xlsx"
    assert main(["carbon", str(ENTERPRISES), "--override", str(ov), "--out", str(out), "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    o = after["factor_set"]["overrides"]
    assert [x["fuel"] for x in o] == ["natural_gas"] and o[0]["source"] == "供气公司检测 2024"
    assert after["factor_set"]["override_source"] == str(ov)
    gas = {f["fuel"]: f for f in before["by_fuel"]}["natural_gas"]
    expected = before["total"]["t_co2"] + gas["amount"] * (0.002 - 21.6219e-4)
    assert after["total"]["t_co2"] == pytest.approx(expected, rel=1e-6)
    summary = _sheet(out, "汇总")
    row = summary[summary["项目"] == "用户修改因子 Override"].iloc[0]
    assert row["数值"] == "natural_gas" and "2.0 千克二氧化碳/立方米" in row["说明"]
    assert _sheet(out, "因子").set_index("fuel").at["natural_gas", "状态"] == "用户 user"
    assert main(["carbon", str(ENTERPRISES), "--override", str(ov), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "用户修改因子 Overrides" in text
    assert "natural_gas: 21.6219 tCO2/10^4 m3 → 2.0 千克二氧化碳/立方米" in text


def test_sets_grid_factor_and_years(tmp_path, capsys):
    out = tmp_path / "o.xlsx"
    assert main(["carbon", str(ENTERPRISES), "--factors", "sichuan-2022", "--grid-factor", "sichuan-2022",
                 "--year", "all", "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    years = sorted(set(pd.read_csv(ENTERPRISES, encoding="utf-8-sig")["年份"]))
    assert s["years"] == years and len(s["totals"]) == len(years) and years[-1] == 2024
    elec = {f["fuel"]: f for f in s["factor_set"]["factors"]}["electricity"]
    assert elec["t_co2_per_unit"] == pytest.approx(0.1404e-3) and elec["origin"] == "grid:sichuan-2022"
    assert {f["fuel"]: f for f in s["factor_set"]["factors"]}["raw_coal"]["value"] == pytest.approx(1.9812)


def test_factors_from_a_file(tmp_path, capsys):
    table = tmp_path / "factors.csv"
    table.write_text("fuel,value,unit,source\n原煤,2.0,tCO2/t,mine\n电力,0.5,tCO2/MWh,grid\n",
                     encoding="utf-8")
    energy = tmp_path / "e.csv"
    energy.write_text("id,原煤(吨),电力(MWh)\nA,10,100\n", encoding="utf-8")
    assert main(["carbon", str(energy), "--factors", str(table), "--out", str(tmp_path / "o.xlsx"),
                 "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["total"]["t_co2"] == pytest.approx(10 * 2.0 + 100 * 0.5)
    assert s["factor_set"]["key"] == "factors"
    energy.write_text("id,原煤(吨),柴油(吨)\nA,10,1\n", encoding="utf-8")
    assert main(["carbon", str(energy), "--factors", str(table), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "柴油" in err and "no emission factor" in err


def test_bad_input_exits_2_in_both_languages(tmp_path, capsys):
    energy = tmp_path / "e.csv"
    energy.write_text("企业代码,电力(吨)\nA,10\n", encoding="utf-8")
    out = tmp_path / "o.xlsx"
    assert main(["carbon", str(energy), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "电力不能以“吨”计量" in err and "cannot be measured in t" in err
    assert not out.exists()
    assert main(["carbon", str(ENTERPRISES), "--factors", "mars-2050", "--out", str(out)]) == 2
    assert "national-2023" in capsys.readouterr().err
    assert main(["carbon", str(ENTERPRISES), "--out", str(tmp_path / "o.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_template_round_trips(tmp_path, capsys):
    t = tmp_path / "能源填报模板.xlsx"
    assert main(["template", "energy", "--out", str(t), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    wb = openpyxl.load_workbook(t, read_only=True)
    names = wb.sheetnames
    wb.close()
    assert names == ["能源数据", "填写说明", "能源品种"]
    assert "电力(万千瓦时)" in info["columns"] and "天然气(万立方米)" in info["columns"]
    fuels = _sheet(t, "能源品种")
    assert {"能源品种", "可用单位", "排放因子（national-2023）", "来源"} <= set(fuels.columns)
    assert fuels["可用单位"].str.contains("万千瓦时").any()
    out = tmp_path / "o.xlsx"
    # the example row must not be counted by mistake: refused until it is replaced
    assert main(["carbon", str(t), "--out", str(out), "--json"]) == 2
    assert "示例行" in capsys.readouterr().err
    wb = openpyxl.load_workbook(t)
    ws = wb["能源数据"]
    col = [c.value for c in ws[1]].index("企业名称") + 1
    ws.cell(row=2, column=col).value = "永拓纺织"
    wb.save(t)
    assert main(["carbon", str(t), "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    hand = 100 * 1.9812 + 50 * 21.6219 + 10 * 3.0959 + 1000e4 * 0.5306e-3 + 5000 * 0.11
    assert s["total"]["t_co2"] == pytest.approx(hand, rel=1e-6)
    assert s["inventory"]["ignored_columns"] == []
    assert any("--sheet" in p["en"] for p in s["problems"])


@pytest.mark.parametrize("command", [["carbon"], ["template"]])
def test_help_documents_options_units_and_defaults(command, capsys):
    with pytest.raises(SystemExit) as e:
        main([*command, "--help"])
    assert e.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--out" in text and "default" in text
    if command == ["carbon"]:
        for words in ("--factors", "--override", "--grid-factor", "--year", "--sheet", "--electricity-tce",
                      "national-2023", "sichuan-2022", "tCO2/t", "kgCO2/kWh", "万千瓦时", "0.1229 kgce/kWh",
                      "latest"):
            assert words in text, words


def test_errors_name_the_spreadsheet_row_after_blank_rows(tmp_path, capsys):
    p = tmp_path / "e.csv"
    p.write_text("企业代码,原煤(吨)\nA,100\n,\nB,很多\n", encoding="utf-8")  # row 3 blank, row 4 bad
    assert main(["carbon", str(p), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "4" in err and "很多" in err


# ---- the generated command: `lingtan run emissions` and its alias `lingtan carbon` -------------------------

def test_run_emissions_and_the_carbon_alias_agree(tmp_path, capsys):
    opts = ["--year", "all", "--grid-factor", "east-2023", "--electricity-tce", "supply"]
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert main(["run", "emissions", str(ENTERPRISES), *opts, "--out", str(a), "--json"]) == 0
    ra = json.loads(capsys.readouterr().out)
    assert main(["carbon", str(ENTERPRISES), *opts, "--out", str(b), "--json"]) == 0
    rb = json.loads(capsys.readouterr().out)
    assert (ra.pop("output"), rb.pop("output")) == (str(a), str(b))
    assert ra == rb
    assert ra["years"] == sorted(set(pd.read_csv(ENTERPRISES, encoding="utf-8-sig")["年份"]))
    assert ra["factor_set"]["electricity_tce"] == "supply"
    elec = {f["fuel"]: f for f in ra["factor_set"]["factors"]}["electricity"]
    assert elec["origin"] == "grid:east-2023"
    for sheet in ("汇总", "企业", "行业", "能源品种", "明细", "因子"):
        pd.testing.assert_frame_equal(_sheet(a, sheet), _sheet(b, sheet))
    # the Python call with the same values: the same totals
    from app.processing.registry import algorithm
    from gis.io.tables import read_data_table

    table, _ = read_data_table(ENTERPRISES)
    out = algorithm("emissions")({"energy": table}, year="all", grid_factor="east-2023",
                                 electricity_tce="supply")
    assert out.summary["totals"] == ra["totals"] and not out.layers


@pytest.mark.parametrize("command", [["carbon"], ["run", "emissions"]])
@pytest.mark.parametrize("bad", [["--year", "nan"], ["--year", "inf"], ["--year", "1e308"],
                                 ["--year", "99999"], ["--year", "2023.5"], ["--year", "last"],
                                 ["--factors", "mars-2050"],
                                 ["--grid-factor", "{{7*7}}"], ["--electricity-tce", "nuclear"]])
def test_bad_values_exit_2_in_both_languages_before_any_work(tmp_path, capsys, command, bad):
    out = tmp_path / "o.xlsx"
    assert main([*command, str(ENTERPRISES), *bad, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "参数" in err and "Parameter" in err and bad[0] in err
    assert not out.exists()


def test_keys_are_read_case_blind_and_a_year_as_a_number(tmp_path, capsys):
    out = tmp_path / "o.xlsx"
    assert main(["carbon", str(ENTERPRISES), "--factors", "National-2023", "--year", "2023",
                 "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["factor_set"]["key"] == "national-2023" and s["years"] == [2023] and s["year_choice"] == "given"
