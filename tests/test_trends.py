"""Six sectors, trends over years and the `trends` algorithm, against hand calculations and the
one-year accounting run separately for each year."""

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
from gis.carbon.sectors import assign_sectors, load_sector_map, parse_code
from gis.carbon.trends import compute_trends
from gis.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
# GB/T 2589-2020 standard-coal coefficients, typed here as the independent reference
TCE_PER_T_COAL, TCE_PER_KWH = 0.7143, 0.1229e-3


# ---------------------------------------------------------------- sectors

@pytest.mark.parametrize(("code", "name", "sector"), [
    ("C17", "纺织印染", "industry"),            # 门类 C 制造业 → IPCC 1.A.2
    ("C2511", None, "energy_supply"),          # 大类 25 石油、煤炭加工 → 1.A.1.b, over section C
    ("2511", None, "energy_supply"),           # the same without its letter
    ("D4411", None, "energy_supply"),          # 电力生产 → 1.A.1.a
    ("D4610", None, "buildings"),              # 自来水 → 1.A.4.a (water supply is not energy)
    ("G5430", None, "transport"),              # 道路货物运输
    ("A0111", None, "agriculture"),            # 稻谷种植
    ("E4710", None, "industry"),               # 建筑业 → 1.A.2.k construction
    ("S92", "公共管理", "buildings"),
    ("B0610", None, "energy_supply"),          # 煤炭开采 → 1.A.1.c.ii
    ("B0810", None, "industry"),               # 铁矿采选 → 1.A.2.i
    (None, "城镇居民生活", "residential"),
    (None, "电力设备制造", "industry"),          # 制造 before 电力
    (None, "居民服务业", "buildings"),
    (None, "公路运输", "transport"),
    (None, "纺织印染", "unmapped"),             # no code, no keyword: not guessed
])
def test_sector_of_codes_by_hand(code, name, sector):
    assert load_sector_map().map_one(code, name)[0] == sector


def test_codes_parsed():
    assert parse_code("C2511") == (25, "C")
    assert parse_code(611) == (6, "B")  # a spreadsheet number that lost its leading zero
    assert parse_code("c") == (None, "C")
    assert parse_code("纺织") == (None, None)
    assert parse_code(None) == (None, None)


def test_user_rules_first_and_unmapped_reported():
    user = pd.DataFrame({"kind": ["division", "name"], "key": ["C17", "纺织"],
                         "sector": ["buildings", "industry"]})
    smap = load_sector_map(user)
    ent = pd.DataFrame({"entity": ["a", "b", "c"], "sector_code": ["C17", "C26", None],
                        "sector": ["印染", "新材料", "某某"]})
    got = assign_sectors(ent, smap)
    assert list(got.sector6) == ["buildings", "industry", "unmapped"]
    assert [p.code for p in got.problems] == ["sectors.unmapped"]
    assert got.problems[0].feature_ids == ["c"]
    assert set(got.mapping.columns) >= {"sector_code", "sector", "sector6", "how", "source", "entities"}
    with pytest.raises(InputError):
        load_sector_map(pd.DataFrame({"kind": ["division"], "key": ["17"], "sector": ["factories"]}))


# ---------------------------------------------------------------- trends

def _table() -> pd.DataFrame:
    """Three entities over 2021–2023; E3 (a power plant) has no 2022 row."""
    rows = [("E1", "C17", 2021, 100.0, 10.0, 1000.0), ("E1", "C17", 2022, 120.0, 11.0, 1100.0),
            ("E1", "C17", 2023, 90.0, 12.0, 1200.0),
            ("E2", "H61", 2021, 0.0, 2.0, 300.0), ("E2", "H61", 2022, 0.0, 2.5, 310.0),
            ("E2", "H61", 2023, 0.0, 3.0, 320.0),
            ("E3", "D4411", 2021, 5000.0, 1.0, 500.0), ("E3", "D4411", 2023, 4000.0, 1.0, 520.0)]
    return pd.DataFrame(rows, columns=["企业代码", "行业代码", "年份", "原煤(吨)", "电力(万千瓦时)",
                                       "工业增加值(万元)"])


def _trends(df=None, **kw):
    f = load_factor_set()
    inv = read_energy_inventory(_table() if df is None else df, source_name="t.csv", factors=f)
    return inv, f, compute_trends(account_emissions(inv, f, year="all"), **kw)


def test_trends_equal_per_year_accounting():
    inv, f, t = _trends()
    assert t.years == [2021, 2022, 2023]
    for y in t.years:
        one = account_emissions(inv, f, year=y)  # the one-year accounting, run on its own
        row = t.totals[t.totals["year"] == y].iloc[0]
        assert row["t_co2"] == pytest.approx(one.total(y)["t_co2"], rel=1e-12)
        assert row["tce"] == pytest.approx(one.total(y)["tce"], rel=1e-12)
        fuels = t.by_fuel[t.by_fuel["year"] == y].set_index("fuel")["t_co2"]
        ref = one.by_fuel_for(y).set_index("fuel")["t_co2"]
        assert fuels.to_dict() == pytest.approx(ref.to_dict(), rel=1e-12)
        # sectors by hand: C17 → industry, H61 → buildings, D4411 → energy supply
        hand = {"C17": "industry", "H61": "buildings", "D4411": "energy_supply"}
        e = one.entities.assign(s=one.entities["sector_code"].map(hand)).groupby("s")["t_co2"].sum()
        sec = t.by_sector[t.by_sector["year"] == y].set_index("sector6")["t_co2"]
        assert sec.to_dict() == pytest.approx(e.to_dict(), rel=1e-12)


def test_tce_and_change_by_hand():
    _, _, t = _trends()
    # 2021: coal 5100 t, electricity 13 × 10^4 kWh; 2023: coal 4090 t, 16 × 10^4 kWh (GB/T 2589-2020)
    tce21 = 5100 * TCE_PER_T_COAL + 13e4 * TCE_PER_KWH
    tce23 = 4090 * TCE_PER_T_COAL + 16e4 * TCE_PER_KWH
    tot = t.totals.set_index("year")
    assert tot.at[2021, "tce"] == pytest.approx(tce21, rel=1e-9)
    assert tot.at[2023, "tce"] == pytest.approx(tce23, rel=1e-9)
    assert tot.at[2023, "tce_change_pct"] == pytest.approx(100 * (tce23 - tce21) / tce21, rel=1e-9)
    assert tot.at[2021, "tce_per_10k_yuan"] == pytest.approx(tce21 / 1800.0, rel=1e-9)
    _, _, t22 = _trends(baseline_year=2022)
    assert t22.totals.set_index("year").at[2022, "t_co2_change_pct"] == 0.0
    with pytest.raises(InputError):
        _trends(baseline_year=2019)


def test_missing_year_reported_not_invented():
    _, _, t = _trends()
    assert list(t.missing["entity"]) == ["E3"]
    assert t.missing["years_missing"].iloc[0] == "2022"
    missing = [p for p in t.problems if p.code == "trends.missing_years"]
    assert len(missing) == 1 and missing[0].feature_ids == ["E3"]
    tot = t.totals.set_index("year")
    assert tot.at[2022, "entities"] == 2
    # 2022 is E1 and E2 alone: 120 t coal and 13.5 × 10^4 kWh, nothing of E3 filled in
    assert tot.at[2022, "tce"] == pytest.approx(120 * TCE_PER_T_COAL + 13.5e4 * TCE_PER_KWH, rel=1e-9)
    assert "energy_supply" not in set(t.by_sector.loc[t.by_sector["year"] == 2022, "sector6"])


def test_no_year_column_is_an_error():
    df = _table().drop(columns="年份").drop_duplicates("企业代码")
    with pytest.raises(InputError) as e:
        _trends(df)
    assert e.value.code == "trends.no_year"


# ---------------------------------------------------------------- the algorithm

def test_cli_on_the_sample(tmp_path):
    out, png = tmp_path / "t.xlsx", tmp_path / "s.png"
    cmd = [sys.executable, "-m", "app", "trends", "--sample", "--year", "2023", "--out", str(out),
           "--png", str(png), "--json"]
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    years = sorted(set(pd.read_csv(ROOT / "resources/sample/enterprises_energy.csv")["年份"]))
    assert [h["year"] for h in s["history"]] == years and years[0] <= 2015
    assert s["sankey"]["year"] == 2023
    assert {"source", "target", "value", "unit"} <= set(s["sankey"]["links"][0])
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"逐年汇总", "能源品种", "部门", "桑基图2023", "部门映射", "缺失年份"} <= set(sheets)
    # the workbook's yearly CO2 equals the sample's own accounting of 2023
    f = load_factor_set()
    df = pd.read_csv(ROOT / "resources/sample/enterprises_energy.csv")
    ref = account_emissions(read_energy_inventory(df, factors=f), f, year=2023).total(2023)["t_co2"]
    got = sheets["逐年汇总"].set_index("年份").at[2023, "排放量(tCO2)"]
    assert np.isclose(got, ref, rtol=1e-9)
    assert png.stat().st_size > 10_000
