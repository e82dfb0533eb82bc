"""`lingtan energy`: the command-line contract, against an independent simulation written here."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest


def _run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "app", "energy", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def _year_frame(year: int = 2025) -> pd.DatetimeIndex:
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left")


def _series_files(tmp_path):
    """A flat 1,000 kW load and a clear-sky-like PV bell of 2,400 kW peak from 6:00 to 18:00."""
    t = _year_frame()
    hour = t.hour.to_numpy()
    pv = np.where((hour >= 6) & (hour < 18), 2400.0 * np.sin(np.pi * (hour - 6 + 0.5) / 12.0), 0.0)
    load = np.full(len(t), 1000.0)
    pd.DataFrame({"time": t, "kw": load}).to_csv(tmp_path / "load.csv", index=False)
    pd.DataFrame({"time": t, "kw": pv}).to_csv(tmp_path / "pv.csv", index=False)
    return load, pv


def _simulate(load, pv, power_kw, energy_kwh, rte, soc_min, soc_max, soc_start):
    """Self-consumption by hand: charge from surplus, discharge on deficit, η = √RTE each way."""
    eta = math.sqrt(rte)
    soc = energy_kwh * soc_start
    lo, hi = energy_kwh * soc_min, energy_kwh * soc_max
    imp = exp = used = 0.0
    for lk, pk in zip(load, pv, strict=True):
        direct = min(lk, pk)
        surplus, deficit = pk - direct, lk - direct
        ch = min(surplus, power_kw, (hi - soc) / eta)
        soc += ch * eta
        dis = min(deficit, power_kw, (soc - lo) * eta)
        soc -= dis / eta
        used += direct + dis
        imp += deficit - dis
        exp += surplus - ch
    return imp, exp, soc


def test_energy_series_contract_against_a_hand_simulation(tmp_path):
    load, pv = _series_files(tmp_path)
    out = tmp_path / "e.xlsx"
    r = _run("--load", tmp_path / "load.csv", "--pv", tmp_path / "pv.csv", "--battery", "500,2000,90",
             "--soc-min", 10, "--soc-max", 90, "--soc-start", 50, "--out", out, "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    for key in ("load_kwh", "onsite_kwh", "self_sufficiency_pct", "self_consumption_pct", "grid_import_kwh",
                "grid_export_kwh", "grid_import_peak_kw", "battery_cycles"):
        assert key in s, key
    imp, exp, _ = _simulate(load, pv, 500.0, 2000.0, 0.90, 0.10, 0.90, 0.50)
    assert s["load_kwh"] == pytest.approx(8760 * 1000.0)
    assert s["onsite_kwh"] == pytest.approx(pv.sum(), rel=1e-9)
    assert s["grid_import_kwh"] == pytest.approx(imp, rel=1e-6)
    assert s["grid_export_kwh"] == pytest.approx(exp, rel=1e-6)
    # annual netting would call this park far more self-supplied than the hours allow
    assert s["annual_netting"]["self_sufficiency_pct"] > s["self_sufficiency_pct"]
    # the outputs: workbook sheets, the hourly CSV that sums to the same energies
    from openpyxl import load_workbook

    assert load_workbook(out, read_only=True).sheetnames[:3] == ["概要", "逐时", "月度"]
    hourly = pd.read_csv(tmp_path / "e_hourly.csv")
    assert hourly["grid_import_kw"].sum() == pytest.approx(imp, rel=1e-6)
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))["load_kwh"] == s["load_kwh"]


def test_energy_bill_with_a_tariff_equals_the_hand_bill(tmp_path):
    from gis.energy.tariffs import load_tariff

    load, pv = _series_files(tmp_path)
    r = _run("--load", tmp_path / "load.csv", "--pv", tmp_path / "pv.csv", "--tariff", "guangdong_2021",
             "--out", tmp_path / "b.xlsx", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    t = load_tariff("guangdong_2021")
    price = t.import_price(_year_frame())
    imp = np.maximum(load - pv, 0.0)
    energy_yuan = float((imp * price).sum())
    months = _year_frame().month.to_numpy() - 1
    peaks = np.array([imp[months == m].max() for m in range(12)])
    demand_yuan = float((peaks * t.demand_charge_yuan_kw_month).sum())
    assert s["bill_yuan"] == pytest.approx(energy_yuan + demand_yuan, rel=1e-6, abs=1.0)
    assert s["bill_before_yuan"] > s["bill_yuan"]


@pytest.mark.parametrize("args, text", [
    (("--battery", "250"), "--battery"),
    (("--tariff", "atlantis_2030"), "atlantis"),
    (("--dispatch", "cost"), "tariff"),
])
def test_energy_bad_input_exits_2_with_both_languages(tmp_path, args, text):
    _series_files(tmp_path)
    r = _run("--load", tmp_path / "load.csv", *args, "--out", tmp_path / "x.xlsx")
    assert r.returncode == 2, r.stderr
    assert text in r.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.stderr)  # Chinese as well as English
    assert not (tmp_path / "x.xlsx").exists()


def test_energy_without_any_load_says_what_to_give(tmp_path):
    r = _run("--out", tmp_path / "x.xlsx")
    assert r.returncode == 2
    assert "--load" in r.stderr and "电表" in r.stderr


def test_sample_park_load_is_its_energy_tables_electricity(tmp_path):
    """The typical profiles add up to the sample energy table's electricity of its latest year
    (read here straight from the CSV: 电力 in 万千瓦时)."""
    from gis.paths import resources_dir

    r = _run("--sample", "--no-rooftop", "--out", tmp_path / "s.xlsx", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    t = pd.read_csv(resources_dir() / "sample" / "enterprises_energy.csv", encoding="utf-8-sig")
    year_col = next(c for c in t.columns if "年" in c and "份" in c)
    elec_col = next(c for c in t.columns if c.startswith("电力"))
    latest = t[t[year_col] == t[year_col].max()]
    assert s["load_kwh"] == pytest.approx(latest[elec_col].sum() * 1e4, rel=1e-6)
    assert s["year"] == int(t[year_col].max())


def test_monthly_bills_calibrate_an_enterprise_month_by_month(tmp_path):
    """12 bills of one sample enterprise (in 万千瓦时): its month totals in the 企业负荷 sheet equal them."""
    from openpyxl import load_workbook

    bills_wan = [100, 90, 130, 130, 135, 140, 150, 155, 140, 130, 125, 130]
    header = "企业代码," + ",".join(f"{m}月(万千瓦时)" for m in range(1, 13))
    (tmp_path / "bills.csv").write_text(header + "\nE001," + ",".join(map(str, bills_wan)) + "\n",
                                        encoding="utf-8")
    out = tmp_path / "b.xlsx"
    r = _run("--sample", "--no-rooftop", "--bills", tmp_path / "bills.csv", "--out", out)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out, read_only=True)["企业负荷"]
    rows = list(ws.iter_rows(values_only=True))
    e001 = next(row for row in rows if row[0] == "E001")
    assert list(e001[1:13]) == pytest.approx([b * 1e4 for b in bills_wan], rel=1e-9)


def test_sizing_respects_the_limit_and_the_target(tmp_path):
    """--size on series of a known size (1 MW flat load, 2.4 MWp of PV): PV kept within the limit
    given, the target self-sufficiency met by a system that costs at least the unconstrained one,
    and a trade-off curve whose cost does not fall as self-sufficiency rises."""
    _series_files(tmp_path)
    common = ("--load", tmp_path / "load.csv", "--pv", tmp_path / "pv.csv", "--pv-kwp", 2400,
              "--tariff", "zhejiang_2026", "--size", "--pv-max", 3000, "--battery-max", 4000, "--time-limit",
              60)
    r = _run(*common, "--curve-points", 4, "--out", tmp_path / "a.xlsx", "--json")
    assert r.returncode == 0, r.stderr
    free = json.loads(r.stdout)["sizing"]
    assert free["best"]["pv_kwp"] <= 3000 * (1 + 1e-9)
    assert free["best"]["battery_kwh"] <= 4000 * (1 + 1e-9)
    curve = free["curve"]
    assert len(curve) == 4
    pts = sorted((c["self_sufficiency_pct"], c["annual_cost_yuan"]) for c in curve)
    assert all(b[1] >= a[1] - 1.0 for a, b in itertools.pairwise(pts))
    target = min(free["best"]["kpis"]["self_sufficiency_pct"] + 5.0, pts[-1][0])
    r2 = _run(*common, "--curve-points", 0, "--target", f"{target:.3f}", "--out", tmp_path / "b.xlsx",
              "--json")
    assert r2.returncode == 0, r2.stderr
    best = json.loads(r2.stdout)["sizing"]["best"]
    assert best["kpis"]["self_sufficiency_pct"] >= target - 1e-3
    assert best["annual_cost_yuan"] >= free["best"]["annual_cost_yuan"] - 1.0


def test_thermal_store_shifts_chiller_load_into_surplus_hours(tmp_path):
    """A cold-water store charged from PV surplus serves the afternoon/evening chillers: import and
    export both fall, by the energy shifted (plus the store's standing loss on the export side)."""
    _load, _pv = _series_files(tmp_path)
    t = _year_frame()
    h = t.hour.to_numpy()
    cool = np.where((t.month >= 6) & (t.month <= 9) & (h >= 10) & (h < 20), 300.0, 0.0)
    pd.DataFrame({"time": t, "kw": cool}).to_csv(tmp_path / "cool.csv", index=False)
    base = json.loads(_run("--load", tmp_path / "load.csv", "--pv", tmp_path / "pv.csv", "--out",
                           tmp_path / "a.xlsx", "--json").stdout)
    r = _run("--load", tmp_path / "load.csv", "--pv", tmp_path / "pv.csv", "--thermal", "200,800",
             "--cooling",
             tmp_path / "cool.csv", "--out", tmp_path / "b.xlsx", "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    shifted = s["thermal_shifted_kwh"]
    assert shifted > 0
    assert base["grid_import_kwh"] - s["grid_import_kwh"] == pytest.approx(shifted, rel=1e-6)
    assert base["grid_export_kwh"] - s["grid_export_kwh"] >= shifted - 1e-6  # stored ≥ released (losses)
    bad = _run("--load", tmp_path / "load.csv", "--thermal", "200,800", "--out", tmp_path / "c.xlsx")
    assert bad.returncode == 2 and "--cooling" in bad.stderr
