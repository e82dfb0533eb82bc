"""The sample park's 2015–2024 history (issue #19): 2023/2024 rows unchanged, the back-cast follows
its documented assumptions (checked against the published growth figures typed here again), each
year's accounting equals the trends' total, late entrants are reported missing, and a year can be
chosen for the report (``lingtan report --year``, read back with pdftotext) and the dashboard."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gis.carbon.emissions import account_emissions
from gis.carbon.factors import load_factor_set
from gis.carbon.inventory import read_energy_inventory
from gis.carbon.trends import compute_trends
from gis.paths import sample_dir

ROOT = Path(__file__).resolve().parents[1]
ENTERPRISES, TOWNSHIPS = "enterprises_energy.csv", "township_stats.csv"
BEFORE_HISTORY = "5f8613f^"
"""The commit before the history was added: its tables held 2023 and 2024 only."""
# NBS Statistical Communiqués (规模以上工业增加值 / GDP, growth over the previous year, %), typed here
# again as the independent reference for the back-cast
INDUSTRY_PCT = {2020: 2.8, 2021: 9.6, 2022: 3.6, 2023: 4.6}
GDP_PCT = {2020: 2.3, 2021: 8.1, 2022: 3.0, 2023: 5.2}
F = load_factor_set()


def _table(name: str) -> pd.DataFrame:
    return pd.read_csv(sample_dir() / name)


@pytest.fixture(scope="module")
def trends():
    inv = read_energy_inventory(_table(ENTERPRISES), factors=F)
    return inv, compute_trends(account_emissions(inv, F, year="all"))


def _git_show(rev_path: str) -> bytes:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("no git repository to compare with")
    r = subprocess.run(["git", "show", rev_path], cwd=ROOT, capture_output=True, timeout=60)
    if r.returncode != 0:
        pytest.skip(f"git show {rev_path} failed: {r.stderr.decode(errors='replace')[:200]}")
    return r.stdout


@pytest.mark.parametrize("name", [ENTERPRISES, TOWNSHIPS])
def test_2023_and_2024_rows_are_byte_identical(name):
    old = _git_show(f"{BEFORE_HISTORY}:resources/sample/{name}").splitlines()
    new = (sample_dir() / name).read_bytes().splitlines()
    assert new[0] == old[0]  # the header (with its BOM)
    year_col = old[0].decode("utf-8-sig").split(",").index("年份")
    kept = [ln for ln in new[1:] if ln.decode().split(",")[year_col] in ("2023", "2024")]
    assert kept == old[1:] and len(old) > 50


def test_the_files_are_what_the_generator_writes():
    path = ROOT / "resources/sample/make_sample_park.py"
    spec = importlib.util.spec_from_file_location("make_sample_park", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from gis.sample_park import generate

    park = generate()
    ent, towns = mod.add_history(park.enterprises, park.township_stats)
    for frame, name in ((ent, ENTERPRISES), (towns, TOWNSHIPS)):
        buf = io.StringIO()
        frame.to_csv(buf, index=False)
        assert "\ufeff" + buf.getvalue() == (sample_dir() / name).read_text(encoding="utf-8")


def test_ten_years_and_late_entrants_reported(trends):
    inv, t = trends
    assert t.years == list(range(2015, 2025))
    miss = t.missing.set_index("entity")
    # enterprises numbered …7 entered in 2017, 2019 or 2021 by their tens digit (the generator's doc)
    assert miss.at["E007", "years_missing"] == "2015,2016"
    assert miss.at["E017", "years_missing"] == "2015,2016,2017,2018"
    assert miss.at["E027", "years_missing"] == "2015,2016,2017,2018,2019,2020"
    assert all(e.endswith("7") for e in miss.index)
    assert any(p.code == "trends.missing_years" for p in t.problems)
    n = t.totals.set_index("year")["entities"]
    all_e = inv.entities["entity"].nunique()
    assert n[2024] == all_e and n[2015] == all_e - len(miss)


def test_every_year_accounted_alone_equals_the_trends(trends):
    inv, t = trends
    tot = t.totals.set_index("year")
    for y in t.years:
        one = account_emissions(inv, F, year=y).total(y)
        assert tot.at[y, "t_co2"] == pytest.approx(one["t_co2"], rel=1e-12)
        assert tot.at[y, "tce"] == pytest.approx(one["tce"], rel=1e-12)


def test_back_cast_follows_growth_intensity_and_fuel_switch():
    e = _table(ENTERPRISES).set_index(["企业代码", "年份"])
    # value added 2019 = 2023 ÷ (1.028 × 1.096 × 1.036 × 1.046), published growth 2020–2023
    grow = np.prod([1 + INDUSTRY_PCT[y] / 100 for y in (2020, 2021, 2022, 2023)])
    va = e["工业增加值(万元)"]
    assert va.loc[("E001", 2019)] == pytest.approx(va.loc[("E001", 2023)] / grow, abs=0.06)
    # energy per value added falls by the Five-Year-Plan targets: −15 % over 2016–2020 and
    # −13.5 % over 2021–2025, i.e. 0.85^(1/5) and 0.865^(1/5) a year
    # tce per column unit, GB/T 2589-2020: raw coal 0.7143 kgce/kg, natural gas 1.2143 kgce/m³ (×10⁴),
    # gasoline 1.4714, diesel 1.4571 kgce/kg, electricity 0.1229 kgce/kWh (×10⁴), heat 0.03412 tce/GJ
    tce = {"原煤(吨)": 0.7143, "天然气(万立方米)": 12.143, "汽油(吨)": 1.4714, "柴油(吨)": 1.4571,
           "电力(万千瓦时)": 1.229, "热力(吉焦)": 0.03412}

    def energy(eid, y):
        return sum(e.loc[(eid, y), c] * k for c, k in tce.items())

    ratio = (energy("E001", 2019) / va.loc[("E001", 2019)]) / (energy("E001", 2023) / va.loc[("E001", 2023)])
    assert ratio == pytest.approx(1 / (0.85 ** (1 / 5) * 0.865 ** (3 / 5)), rel=2e-3)
    # coal's share of the park's energy falls year by year (coal to gas and electricity)
    coal = e["原煤(吨)"].groupby(level=1).sum() * tce["原煤(吨)"]
    total = sum(e[c].groupby(level=1).sum() * k for c, k in tce.items())
    share = (coal / total).loc[2015:2023]
    assert (np.diff(share.to_numpy()) < 0).all() and share[2015] > share[2023] + 0.05
    # townships: GDP back-cast with the published GDP growth
    t = _table(TOWNSHIPS).set_index(["乡镇街道代码", "年份"])["地区生产总值(万元)"]
    g = np.prod([1 + GDP_PCT[y] / 100 for y in (2020, 2021, 2022, 2023)])
    code = t.index[0][0]
    assert t.loc[(code, 2019)] == pytest.approx(t.loc[(code, 2023)] / g, abs=1.0)
    assert sorted(t.index.get_level_values(1).unique()) == list(range(2015, 2025))


# ---------------------------------------------------------------- a year for the report and dashboard

def test_report_for_2019_shows_2019s_total(tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = tmp_path / "r.pdf"
    cmd = [sys.executable, "-m", "app", "report", "--sample", "--year", "2019", "--out", str(out)]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          timeout=120).stdout
    inv = read_energy_inventory(_table(ENTERPRISES), factors=F)
    ref = account_emissions(inv, F, year=2019).total(2019)
    latest = account_emissions(inv, F, year=2024).total(2024)
    # the emissions chapter's sentence: "2019 年园区 69 家企业碳排放 934,408 tCO₂"
    assert f"2019 年园区 {ref['entities']:.0f} 家企业碳排放 {ref['t_co2']:,.0f} tCO" in text
    assert f"{latest['t_co2']:,.0f} tCO₂，其中" not in text  # not the latest year's
    assert "核算年份" in text and "2019 年碳流向图" in text


def test_dashboard_year_selector_reaccounts(qtbot, tmp_path):
    from app.gui.dashboard import Dashboard, account_year
    from app.gui.settings import use_settings_dir
    from app.workspace import Workspace
    from gis.park import load_sample_park

    use_settings_dir(tmp_path / "settings")
    ws = Workspace()
    ws.set_park(load_sample_park())
    d = Dashboard()
    qtbot.addWidget(d)
    handle = account_year(None, ws, 2024)
    assert handle.wait(180) and handle.state == "done", (handle.state, handle.error)
    d.set_summary(ws.summary)
    assert d.years() == list(range(2015, 2025)) and d.accounted_year() == 2024
    assert not d.year_row.isHidden() and d.year.count() == 10 and d.year.currentText() == "2024"
    asked = []
    d.year_requested.connect(asked.append)
    d.choose_year(2024)
    assert asked == []  # the year shown: nothing to do
    d.choose_year(2019)
    assert asked == [2019]
    handle = account_year(None, ws, asked[0])
    assert handle.wait(180) and handle.state == "done", (handle.state, handle.error)
    d.set_summary(ws.summary)
    ref = account_emissions(read_energy_inventory(_table(ENTERPRISES), factors=F), F, year=2019).total(2019)
    assert d.values["year"] == 2019 and d.year.currentText() == "2019"
    assert d.values["emissions_t_co2"] == pytest.approx(ref["t_co2"], rel=1e-9)
    assert ws.summary["carbon"]["balance"]["year"] == 2019
    # one year only: no selector
    d.set_summary({"carbon": {"emissions": {"inventory": {"years": [2024]}, "total": {"year": 2024}}}})
    assert d.year_row.isHidden()
