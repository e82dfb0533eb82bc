"""`lingtan balance` and the demo's carbon outputs end to end."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from app.cli import main
from gis.paths import sample_dir


def test_balance_on_the_sample_park(tmp_path, capsys):
    out = tmp_path / "bal.xlsx"
    assert main(["balance", "--sample", "--out", str(out), "--fact", "water_reuse_pct=85", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    wb = openpyxl.load_workbook(out, read_only=True)
    sheets = {"平衡 balance", "指标 indicators", "排放 emissions", "碳汇 sinks", "光伏 PV"}
    assert sheets <= set(wb.sheetnames)
    full = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    # independent pieces: PV energy from the PV run, sinks from the sinks table, gross from emissions
    pv_kwh = full["pv"]["kwh_yr"]
    sinks = full["sinks_t_co2_yr"]
    gross = full["emissions"]["totals"][0]["t_co2"] if isinstance(full["emissions"]["totals"], list) \
        else full["emissions"]["totals"]["t_co2"]
    fuels = pd.read_excel(out, sheet_name="排放 emissions").set_index("能源 fuel")
    elec_kwh = fuels.at["electricity", "用量 amount"]
    pv = next(x for x in s["scenarios"] if x["scenario"] == "屋顶光伏 rooftop PV")
    # net = gross − PV × grid factor − sinks (PV smaller than the park's use: all self-used)
    assert pv_kwh < elec_kwh
    expected = gross - pv_kwh * 0.5306 / 1000 - sinks
    assert pv["lines"]["net_t_co2"] == pytest.approx(expected, rel=1e-4)
    quo = next(x for x in s["scenarios"] if x["scenario"].startswith("现状"))
    assert quo["lines"]["net_t_co2"] == pytest.approx(gross - sinks, rel=1e-4)
    ind = pd.DataFrame(s["indicators"])
    water = ind[(ind["indicator_key"] == "water_reuse")]
    assert set(water["status"]) == {"pass"}  # 85 ≥ 80
    assert set(ind.loc[ind["indicator_key"] == "solid_waste_use", "status"]) == {"no data"}


def test_balance_project_file_with_scenarios(tmp_path, capsys):
    d = sample_dir()
    project = {
        "name": "test park",
        "boundary": {"path": str(d / "park.gpkg"), "layer": "boundary"},
        "buildings": {"path": str(d / "park.gpkg"), "layer": "buildings"},
        "green": {"path": str(d / "park.gpkg"), "layer": "green"},
        "energy": str(d / "enterprises_energy.csv"),
        "indicators": "jiangsu-2024", "year": 2023,
        "scenarios": [{"name": "half PV", "pv_share": 0.5},
                      {"name": "all green", "pv_share": 1.0, "green_power_kwh": 5e9}]}
    pf = tmp_path / "park.json"
    pf.write_text(json.dumps(project), encoding="utf-8")
    assert main(["balance", str(pf), "--out", str(tmp_path / "o.xlsx"), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["indicator_set"] == "jiangsu-2024" and s["year"] == 2023
    names = [x["scenario"] for x in s["scenarios"]]
    assert names == ["现状 status quo", "half PV", "all green"]  # the baseline always comes first
    green = s["scenarios"][2]["metrics"]
    assert green["green_power_share_pct"] == pytest.approx(100.0)


def test_balance_bad_inputs_exit_2(tmp_path, capsys):
    assert main(["balance", "--out", str(tmp_path / "o.xlsx")]) == 2
    assert "--boundary" in capsys.readouterr().err
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["balance", str(bad), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "JSON" in err and "项目文件" in err
    assert main(["balance", "--sample", "--indicators", "mars", "--out", str(tmp_path / "o.xlsx")]) == 2
    assert main(["balance", "--sample", "--fact", "water=lots", "--out", str(tmp_path / "o.xlsx")]) == 2
    assert not (tmp_path / "o.xlsx").exists()


def test_demo_has_the_carbon_outputs(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    c = s["carbon"]
    assert c["balance"]["indicator_set"] == "national-2025"
    assert {"emissions", "balance", "sinks_t_co2_yr"} <= set(c)
    wb = openpyxl.load_workbook(tmp_path / "carbon.xlsx", read_only=True)
    assert "指标 indicators" in wb.sheetnames
    import pyogrio

    layers = {n for n, _ in pyogrio.list_layers(tmp_path / "park.gpkg")}
    assert {"rooftop_pv", "green_sinks", "tree_sinks"} <= layers


def test_value_added_intensity_uses_only_entities_that_report_it(tmp_path):
    from gis.carbon.factors import load_factor_set
    from gis.carbon.park_carbon import account_park
    from gis.park import load_sample_park

    park = load_sample_park()
    col = "工业增加值(万元)"
    firms = park.enterprises["企业代码"].drop_duplicates()
    blank = park.enterprises["企业代码"].isin(firms.iloc[::2])
    park.enterprises.loc[blank, col] = float("nan")
    acc = account_park(park, load_factor_set(), pv_kwh_yr=0.0)
    quo = acc.carbon.balances[0]
    # independent: the emissions module's intensity over the reporting entities
    assert quo.metrics["t_co2_per_10k_yuan"] == pytest.approx(acc.emissions.total()["t_co2_per_10k_yuan"],
                                                              rel=1e-9)
    assert quo.metrics["yuan_per_km2"] is None  # land output needs every entity's value added


def test_pv_uses_the_factor_sets_grid_factor(tmp_path, capsys):
    assert main(["balance", "--sample", "--factors", "sichuan-2022", "--out", str(tmp_path / "b.xlsx")]) == 0
    full = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert full["pv"]["grid_factor"]["kg_co2_per_kwh"] == pytest.approx(0.1031)
    pv_line = full["balance"]["scenarios"][1]["lines"]["pv_avoided_self_t_co2"]
    assert full["pv"]["t_co2_yr"] == pytest.approx(pv_line, rel=1e-3)


@pytest.mark.parametrize("bad", [
    {"facts": {"solid_waste_use_pct": "约96"}}, {"facts": [1, 2]}, {"facts": {"water_reuse": 90}},
    {"scenarios": [{"name": "x", "pv_share": 1.5}]}, {"scenarios": ["x"]},
    {"scenarios": [{"name": "x", "green_power_kwh": -1}]}])
def test_bad_project_values_are_bad_input(tmp_path, capsys, bad):
    d = sample_dir()
    project = {"boundary": {"path": str(d / "park.gpkg"), "layer": "boundary"},
               "buildings": {"path": str(d / "park.gpkg"), "layer": "buildings"},
               "energy": str(d / "enterprises_energy.csv"), **bad}
    pf = tmp_path / "p.json"
    pf.write_text(json.dumps(project, ensure_ascii=False), encoding="utf-8")
    assert main(["balance", str(pf), "--no-pv", "--out", str(tmp_path / "o.xlsx")]) == 2
    assert "Internal error" not in capsys.readouterr().err


def test_too_many_rows_for_excel_is_bad_input(tmp_path, monkeypatch):
    import app.xlsx
    from gis.errors import InputError

    monkeypatch.setattr(app.xlsx, "EXCEL_MAX_ROWS", 10)
    with pytest.raises(InputError) as e:
        app.xlsx.write_xlsx(tmp_path / "x.xlsx", {"big": pd.DataFrame({"a": range(20)})})
    assert "Excel" in e.value.en and not (tmp_path / "x.xlsx").exists()


# ---- the generated command: `lingtan run park_balance` and its alias `lingtan balance` -----------------

def test_run_park_balance_and_the_balance_alias_agree(tmp_path, capsys):
    args = ["--sample", "--no-pv", "--indicators", "jiangsu-2024", "--fact", "water_reuse_pct=85",
            "--fact", "solid_waste_use_pct=92", "--json"]
    assert main(["run", "park_balance", *args, "--out", str(tmp_path / "a.xlsx")]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(["balance", *args, "--out", str(tmp_path / "b.xlsx")]) == 0
    b = json.loads(capsys.readouterr().out)
    assert a == b and a["indicator_set"] == "jiangsu-2024"
    full_a = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert full_a == json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert full_a["pv"] is None  # --no-pv
    ind = pd.DataFrame(a["indicators"]).set_index(["scenario", "indicator_key"])
    quo = a["scenarios"][0]["scenario"]
    assert ind.loc[(quo, "water_reuse"), "value"] == 85.0
    assert ind.loc[(quo, "water_reuse"), "status"] == "pass"
    assert ind.loc[(quo, "solid_waste_use"), "value"] == 92.0  # both repeated --fact flags arrived
    for sheet in ("平衡 balance", "指标 indicators", "排放 emissions"):
        pd.testing.assert_frame_equal(pd.read_excel(tmp_path / "a.xlsx", sheet_name=sheet),
                                      pd.read_excel(tmp_path / "b.xlsx", sheet_name=sheet))
    # the same park from its layers and table instead of --sample: the same balance
    d = sample_dir() / "park.gpkg"
    layers = ["--boundary", f"{d}|layername=boundary", "--buildings", f"{d}|layername=buildings",
              "--green", f"{d}|layername=green", "--trees", f"{d}|layername=tree_rows",
              "--energy", str(sample_dir() / "enterprises_energy.csv")]
    assert main(["balance", *layers, *args[1:], "--out", str(tmp_path / "c.xlsx")]) == 0
    c = json.loads(capsys.readouterr().out)
    assert [s["lines"] for s in c["scenarios"]] == [s["lines"] for s in a["scenarios"]]


@pytest.mark.parametrize("bad", [["--year", "nan"], ["--year", "inf"], ["--year", "1e308"],
                                 ["--year", "20x3"], ["--baseline-year", "3000"], ["--indicators", "mars"],
                                 ["--factors", "mars"],
                                 ["--fact", "water=lots"], ["--fact", "water_reuse_pct=101"],
                                 ["--fact", "water_reuse_pct=nan"], ["--fact", "water_reuse_pct=-inf"],
                                 ["--fact", "water_reuse_pct"]])
def test_bad_values_exit_2_in_both_languages(tmp_path, capsys, bad):
    out = tmp_path / "o.xlsx"
    for command in (["balance"], ["run", "park_balance"]):
        assert main([*command, "--sample", *bad, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "参数" in err and "Parameter" in err and bad[0] in err
        assert not out.exists()


def test_a_park_without_an_energy_table_is_bad_input(tmp_path, capsys):
    d = sample_dir() / "park.gpkg"
    assert main(["balance", "--boundary", f"{d}|layername=boundary",
                 "--buildings", f"{d}|layername=buildings", "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "能耗表" in err and "energy table" in err and "Internal error" not in err
    assert main(["balance", "--sample", "--out", str(tmp_path / "o.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err
