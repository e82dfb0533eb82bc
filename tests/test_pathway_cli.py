"""``lingtan pathway`` (app/algorithms/pathway.py): the --json contract and the workbook on the
sample, a user scenario file, bad files exit 2 with a bilingual message, the inputs kept in a
project (issue #19)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gis.carbon.emissions import account_emissions
from gis.carbon.factors import load_factor_set
from gis.carbon.inventory import read_energy_inventory

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources/sample/enterprises_energy.csv"


def lingtan(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "pathway", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})


def write_scenario(path: Path, rows: list[str]) -> Path:
    path.write_text("scenario,scenario_zh,parameter,sector,fuel,period,value,unit,source\n" + "\n".join(rows)
                    + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    d = tmp_path_factory.mktemp("pathway")
    flat = write_scenario(d / "flat.csv", ["flat,持平,va_growth_pct,all,,2025-2060,0,%/yr,test",
                                           "flat,持平,intensity_decline_pct,all,,2025-2060,0,%/yr,test"])
    out = d / "p.xlsx"
    r = lingtan("--sample", "--scenario", str(flat), "--out", str(out), "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout), out


def test_json_contract(sample_run):
    s, _ = sample_run
    years = sorted(set(pd.read_csv(SAMPLE)["年份"]))
    assert [h["year"] for h in s["history"]] == years
    f = load_factor_set()
    ref = account_emissions(read_energy_inventory(pd.read_csv(SAMPLE), factors=f), f, year=years[-1]).total()
    assert np.isclose(s["history"][-1]["t_co2"], ref["t_co2"])
    assert np.isclose(s["history"][-1]["tce"], ref["tce"])
    names = [x["name"] for x in s["scenarios"]]
    assert names[:3] == ["natural", "baseline", "enhanced"] and "flat" in names
    for sc in s["scenarios"]:
        path = sc["path"]
        assert [p["year"] for p in path] == list(range(years[-1], 2061))
        net = np.array([p["t_co2"] for p in path])
        i = int(np.argmax(net))
        assert sc["peak_t_co2"] == pytest.approx(net[i])
        assert sc["peak_year"] == (None if i == len(net) - 1 else years[-1] + i)
        by_fuel = pd.DataFrame(sc["by_fuel"]).groupby("year")["t_co2"].sum()
        assert np.allclose(by_fuel.to_numpy(), [p["gross_t_co2"] for p in path], rtol=1e-6)
    assert {"source", "target", "value", "unit"} <= set(s["sankey"]["links"][0]) and s["sankey"]["nodes"]
    costs = [m["cost_yuan_per_t_co2"] for m in s["macc"]]
    assert costs == sorted(costs)
    assert s["macc"][-1]["cumulative_t_co2"] == pytest.approx(sum(m["abatement_t_co2_yr"] for m in s["macc"]))
    swings = [t["swing_t_co2"] for t in s["sensitivity"]]
    assert swings == sorted(swings, reverse=True) and len(swings) == 5


def test_flat_user_scenario_holds_the_base_year(sample_run):
    s, _ = sample_run
    flat = next(x for x in s["scenarios"] if x["name"] == "flat")
    f = load_factor_set()
    ref = account_emissions(read_energy_inventory(pd.read_csv(SAMPLE), factors=f), f, year=2024).total()
    # no growth, no intensity decline, no other parameter: every year's energy CO2 is 2024's
    assert all(np.isclose(p["gross_t_co2"], ref["t_co2"]) for p in flat["path"])
    assert flat["peak_year"] == 2024


def test_workbook(sample_run):
    s, out = sample_run
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"历史", "自然", "基准", "强化", "基准+措施", "持平", "情景对比", "措施与MACC", "敏感性", "假设",
            "问题"} <= set(sheets)
    base = sheets["基准"].set_index("年份")
    by_path = {p["year"]: p["t_co2"] for p in s["scenarios"][1]["path"]}
    assert np.isclose(base.at[2030, "净排放(tCO2)"], by_path[2030])
    # the sectors' CO2 columns add up to the gross energy CO2
    lines = ("能源排放(tCO2)", "净排放(tCO2)")
    sector_cols = [c for c in base.columns if c.endswith("排放(tCO2)") and c not in lines]
    assert np.allclose(base[sector_cols].sum(axis=1), base["能源排放(tCO2)"])
    assert sheets["假设"]["来源"].notna().all()


@pytest.mark.parametrize(("row", "word"), [
    ("x,X,growth_rate,all,,2025-2030,5,%/yr,t", "growth_rate"),           # unknown parameter
    ("x,X,va_growth_pct,all,,2025-2030,NaN,%/yr,t", "NaN"),               # NaN
    ("x,X,va_growth_pct,all,,2025-2030,five,%/yr,t", "five"),             # text in a number
    ("x,X,va_growth_pct,all,,2025-2075,5,%/yr,t", "2025-2075"),           # period out of range
])
def test_bad_scenario_file_exits_2(tmp_path, row, word):
    bad = write_scenario(tmp_path / "bad.csv", [row])
    r = lingtan("--sample", "--scenario", str(bad), "--out", str(tmp_path / "o.xlsx"))
    assert r.returncode == 2
    assert word.lower() in r.stderr.lower() and "第 2 行" in r.stderr and "row 2" in r.stderr
    assert not (tmp_path / "o.xlsx").exists()


def test_inputs_kept_in_the_project():
    from app.park_pathways import store_inputs, stored_inputs
    from gis.carbon.measures import Measure
    from gis.carbon.pathways import parse_scenario_table

    class Workspace:
        def __init__(self):
            self.settings: dict = {}

        def set_setting(self, key, value):
            self.settings[key] = json.loads(json.dumps(value))  # as a saved project keeps it: JSON

    row = ("mine", "我的", "va_growth_pct", "industry", "", "2025-2030", 6.0, "%/yr", "plan")
    frame = pd.DataFrame([row],
                         columns=["scenario", "scenario_zh", "parameter", "sector", "fuel", "period", "value",
                                  "unit", "source"])
    scen = parse_scenario_table(frame, "t")
    ws = Workspace()
    m = Measure("led", "照明", "LED", "energy", 12.0, -50.0, 2026, "plan", "user")
    store_inputs(ws, scen, [m], pd.DataFrame({"year": [2030, 2060], "t_co2": [5e5, 0.0]}))
    s2, m2, t2 = stored_inputs(ws)
    assert s2[0].name == "mine" and s2[0].rows.at[0, "value"] == 6.0
    assert s2[0].rows.at[0, "sector"] == "industry"
    assert m2 == [m]
    assert t2["t_co2"].tolist() == [5e5, 0.0]
    assert stored_inputs({}) == (None, None, None)


def test_saved_project_reruns_with_its_kept_scenarios(tmp_path):
    from app.park_pathways import store_inputs
    from app.project_file import save_project
    from app.workspace import Workspace
    from gis.carbon.pathways import parse_scenario_table

    ws = Workspace()
    ws.load_sample()
    row = ("kept", "保存的", "va_growth_pct", "all", "", "2025-2060", 0.0, "%/yr", "test")
    frame = pd.DataFrame([row], columns=["scenario", "scenario_zh", "parameter", "sector", "fuel", "period",
                                         "value", "unit", "source"])
    store_inputs(ws, parse_scenario_table(frame, "t"))
    path = save_project(ws, tmp_path / "park.lingtan.gpkg")
    r = lingtan(str(path), "--out", str(tmp_path / "p.xlsx"), "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    kept = next(x for x in s["scenarios"] if x["name"] == "kept")
    # no growth and no intensity decline: flat at the base year's energy CO2
    gross = [p["gross_t_co2"] for p in kept["path"]]
    assert np.allclose(gross, gross[0]) and np.isclose(gross[0], s["history"][-1]["t_co2"])
    # the saved project holds no rooftop PV result: the build-out has nothing to build, and says so
    assert any(p["code"] == "pathway.no_potential" for p in s["problems"])


def test_gui_run_on_open_results_with_one_scenario_file(tmp_path):
    """As the desktop dialog runs it: the open project's results (park and summary) and one file."""
    from types import SimpleNamespace

    from app.algorithms.pathway import Pathway
    from app.processing.algorithm import InputLayer
    from app.processing.params import ParamValues

    flat = write_scenario(tmp_path / "f.csv", ["flat,持平,va_growth_pct,all,,2025-2060,0,%/yr,test",
                                               "flat,持平,onsite_buildout_pct,all,,2030,100,%,test"])
    table = pd.read_csv(SAMPLE)
    open_results = SimpleNamespace(park=SimpleNamespace(enterprises=table),
                                   summary={"pv": {"kwh_yr": 1e7}, "carbon": {"sinks_t_co2_yr": 100.0}})
    alg = Pathway()
    out = alg.run(ParamValues.of(alg.params, {}), {"project": InputLayer(None, "open", data=open_results),
                                                   "scenario": InputLayer(None, "f.csv", path=flat)})
    flat_path = out.result.result.get("flat").lines.set_index("year")
    # 1e7 kWh of rooftop PV fully built by 2030, valued at the base grid factor (no grid path in
    # the scenario) = the accounting's 0.5306 kg/kWh; the green-space sinks 100 t every year
    assert flat_path.at[2030, "onsite_t_co2"] == pytest.approx(1e7 * 0.5306 / 1000, rel=1e-6)
    assert flat_path.at[2024, "sinks_t_co2"] == pytest.approx(100.0)
    assert out.summary["sankey"]["year"] == 2024


def test_saved_section_reruns_without_the_table(sample_run):
    """The GUI's edit-and-recompute path: a saved section, one assumption changed."""
    from app.park_pathways import rerun_section, section_scenarios

    s, _ = sample_run
    same = rerun_section(s)
    for a, b in zip(same["scenarios"], s["scenarios"], strict=True):
        assert a["name"] == b["name"] and a["peak_year"] == b["peak_year"]
        assert np.allclose([p["t_co2"] for p in a["path"]], [p["t_co2"] for p in b["path"]], rtol=1e-6)
    assert [m["key"] for m in same["macc"]] == [m["key"] for m in s["macc"]]
    scen = section_scenarios(s)
    flat = next(x for x in scen if x.name == "flat")
    rows = flat.rows.copy()
    rows.loc[rows["parameter"] == "va_growth_pct", "value"] = 10.0  # 10 %/yr, no intensity decline
    flat.rows = rows
    new = next(x for x in rerun_section(s, scen)["scenarios"] if x["name"] == "flat")
    gross = [p["gross_t_co2"] for p in new["path"]]
    assert gross[6] == pytest.approx(gross[0] * 1.1 ** 6, rel=1e-6)  # 2030 = 2024 × 1.1⁶
    assert new["peak_year"] is None
