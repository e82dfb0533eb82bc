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
    assert names == ["half PV", "all green"]
    green = s["scenarios"][1]["metrics"]
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
