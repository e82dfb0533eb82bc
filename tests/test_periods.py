"""Quarters and months beside the year (issue #19): a year is the sum of its periods (checked by
hand and against the same data summed by hand into one annual row), partial years are reported and
never scaled up, township statistics by quarter join as yearly rows, the trends workbook's 分期 sheet."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from gis.carbon.emissions import account_emissions
from gis.carbon.factors import load_factor_set
from gis.carbon.inventory import read_energy_inventory
from gis.carbon.subannual import parse_periods
from gis.carbon.trends import compute_trends
from gis.errors import InputError
from gis.intensity.join import join_stats
from gis.intensity.metrics import township_metrics

ROOT = Path(__file__).resolve().parents[1]
# GB/T 2589-2020 standard-coal coefficients, typed here as the independent reference:
# raw coal 0.7143 kgce/kg, electricity 0.1229 kgce/kWh (calorific equivalent)
TCE_PER_T_COAL, TCE_PER_KWH = 0.7143, 0.1229e-3

F = load_factor_set()


def _quarterly() -> pd.DataFrame:
    """Two enterprises by quarter in a wide table; E2 lacks Q4 2023 (a partial year)."""
    return pd.DataFrame({
        "企业代码": ["E1"] * 4 + ["E2"] * 3,
        "年份": [2023] * 7,
        "季度": ["Q1", "第二季度", "2023Q3", 4, "一季度", "2", "2023年第3季度"],
        "原煤(吨)": [10.0, 20.0, 30.0, 40.0, 5.0, 6.0, 7.0],
        "电力(万千瓦时)": [1.0, 1.5, 2.0, 2.5, 0.5, 0.5, 0.5],
        "工业增加值(万元)": [100.0, 110.0, 120.0, 130.0, 50.0, 60.0, 70.0],
    })


def test_quarters_sum_to_the_year_by_hand():
    inv = read_energy_inventory(_quarterly(), factors=F)
    assert inv.period_kind == "quarter" and inv.years == [2023]
    res = account_emissions(inv, F, year=2023)
    e = res.entities.set_index("entity")
    # E1: coal 10+20+30+40 = 100 t, electricity (1+1.5+2+2.5) 万kWh = 70,000 kWh
    assert e.at["E1", "tce"] == pytest.approx(100 * TCE_PER_T_COAL + 70_000 * TCE_PER_KWH, rel=1e-9)
    assert e.at["E1", "value_added_10k_yuan"] == pytest.approx(100 + 110 + 120 + 130)
    # E2: its three quarters only (18 t coal, 15,000 kWh), not scaled to four
    assert e.at["E2", "tce"] == pytest.approx(18 * TCE_PER_T_COAL + 15_000 * TCE_PER_KWH, rel=1e-9)
    # a second way: the same data summed by hand into one annual row per enterprise
    annual = pd.DataFrame({"企业代码": ["E1", "E2"], "年份": [2023, 2023], "原煤(吨)": [100.0, 18.0],
                           "电力(万千瓦时)": [7.0, 1.5], "工业增加值(万元)": [460.0, 180.0]})
    ref = account_emissions(read_energy_inventory(annual, factors=F), F, year=2023)
    for col in ("t_co2", "tce", "t_co2_per_10k_yuan"):
        assert res.total(2023)[col] == pytest.approx(ref.total(2023)[col], rel=1e-12)


def test_partial_quarter_reported_never_scaled():
    inv = read_energy_inventory(_quarterly(), factors=F)
    p = {x.code: x for x in inv.problems}
    assert "energy.partial_year" in p and p["energy.partial_year"].feature_ids == ["E2 2023"]
    assert "Q4" in p["energy.partial_year"].zh
    cov = inv.period_coverage.set_index("entity")
    assert not cov.at["E1", "partial"] and cov.at["E2", "partial"] and cov.at["E2", "periods_missing"] == "4"
    # the table as a whole has all four quarters in 2023, so the year itself is not flagged
    assert "energy.partial_year_table" not in p


def test_months_long_form_year_from_the_cells_and_a_partial_year():
    # long form, no year column: the month cells name the year; 2024 holds January–March only
    cells = ["2023-01", "2023年2月", "2023/3", "2023.04", "202305", "2023-06-01", "2023年7月", "2023-08",
             "2023-09", "2023-10", "2023-11", "2023年12月", "2024-01", "2024年2月", "2024-03"]
    kwh = np.arange(1, len(cells) + 1) * 1000.0
    df = pd.DataFrame({"企业名称": "甲厂", "月份": cells, "能源品种": "电力", "消费量": kwh,
                       "单位": "千瓦时"})
    inv = read_energy_inventory(df, factors=F)
    assert inv.form == "long" and inv.period_kind == "month" and inv.years == [2023, 2024]
    assert inv.records["period"].tolist() == [*range(1, 13), 1, 2, 3]
    t = compute_trends(account_emissions(inv, F, year="all"))
    tot = t.totals.set_index("year")
    # 2023: (1+…+12) × 1000 kWh = 78,000 kWh; 2024: (13+14+15) × 1000 = 42,000 kWh, as given
    assert tot.at[2023, "tce"] == pytest.approx(78_000 * TCE_PER_KWH, rel=1e-9)
    assert tot.at[2024, "tce"] == pytest.approx(42_000 * TCE_PER_KWH, rel=1e-9)
    assert not tot.at[2023, "partial"] and tot.at[2024, "partial"] and tot.at[2024, "periods"] == 3
    table = [x for x in t.problems if x.code == "energy.partial_year_table"]
    assert len(table) == 1 and table[0].feature_ids == ["2024"] and "1–3月" in table[0].zh
    # per month: each month's energy, labels, and the months of a year sum to that year
    bp = t.by_period
    assert bp["period_label"].tolist()[:3] == ["2023-01", "2023-02", "2023-03"]
    assert bp["period_label_zh"].iloc[-1] == "2024年3月"
    assert bp.loc[bp["period_label"] == "2023-05", "tce"].item() == pytest.approx(5000 * TCE_PER_KWH)
    sums = bp.groupby("year")[["tce", "t_co2"]].sum()
    assert np.allclose(sums["t_co2"].to_numpy(), t.totals["t_co2"].to_numpy(), rtol=1e-12)
    assert np.allclose(bp.groupby("year")["share_of_year_t_co2_pct"].sum(), 100.0)


def test_each_quarter_equals_that_quarter_accounted_alone():
    df = _quarterly()
    t = compute_trends(account_emissions(read_energy_inventory(df, factors=F), F, year="all"))
    for q, label in ((1, "2023Q1"), (3, "2023Q3")):
        alone = df[df["季度"].astype(str).str.contains(["", "Q1|一", "", "Q3|3季"][q])].drop(columns="季度")
        ref = account_emissions(read_energy_inventory(alone, factors=F), F, year=2023).total(2023)
        row = t.by_period.set_index("period_label").loc[label]
        assert row["t_co2"] == pytest.approx(ref["t_co2"], rel=1e-12) and row["entities"] == 2


@pytest.mark.parametrize(("cells", "kind", "periods", "years"), [
    (["Q1", "q2", "第三季度", "2023Q4", "2024-Q1", "2024年第二季度", 3], "quarter",
     [1, 2, 3, 4, 1, 2, 3], [None, None, None, 2023, 2024, 2024, None]),
    (["1", "3月", "十二月", "2023-03", "2023年11月", "202402", 7], "month",
     [1, 3, 12, 3, 11, 2, 7], [None, None, None, 2023, 2023, 2024, None]),
    (["2023Q1", "2023Q2"], None, [1, 2], [2023, 2023]),          # a 统计期 column: kind from the cells
    (["2023-01", "2023年2月"], None, [1, 2], [2023, 2023]),
])
def test_period_cells(cells, kind, periods, years):
    k, p, y = parse_periods(pd.Series(cells, dtype=object), kind, column="期")
    assert k == (kind or ("quarter" if "Q" in cells[0] else "month"))
    assert p.tolist() == periods
    assert [None if pd.isna(v) else int(v) for v in y] == years


@pytest.mark.parametrize(("cells", "kind", "code"), [
    (["Q5"], "quarter", "periods.unreadable"),
    (["13"], "month", "periods.unreadable"),
    (["2023Q1", "2023-02"], None, "periods.mixed_kinds"),
])
def test_unreadable_periods_raise(cells, kind, code):
    with pytest.raises(InputError) as e:
        parse_periods(pd.Series(cells, dtype=object), kind, column="期")
    assert e.value.code == code


def test_whole_year_row_beside_quarters_and_year_clash_raise():
    df = _quarterly()
    whole = df.iloc[[0]].assign(季度=None)
    with pytest.raises(InputError) as e:
        read_energy_inventory(pd.concat([df, whole], ignore_index=True), factors=F)
    assert e.value.code == "energy.period_mixed" and "E1 2023" in e.value.zh
    with pytest.raises(InputError) as e:
        read_energy_inventory(df.assign(季度=["2022Q1", 2, 3, 4, 1, 2, 3]), factors=F)
    assert e.value.code == "periods.year_clash" and "第 2 行" in e.value.zh


def test_value_added_repeated_in_every_quarter_is_questioned():
    df = _quarterly().assign(**{"工业增加值(万元)": [400.0] * 4 + [50.0, 60.0, 70.0]})
    inv = read_energy_inventory(df, factors=F)
    p = [x for x in inv.problems if x.code == "energy.period_value_repeated"]
    assert len(p) == 1 and p[0].feature_ids == ["E1"]
    assert inv.entities.set_index("entity").at["E1", "value_added_10k_yuan"] == 1600.0  # summed, as said


# ---------------------------------------------------------------- township statistics

def _townships():
    return gpd.GeoDataFrame({"乡镇街道代码": ["330199001", "330199002"],
                             "乡镇街道名称": ["临浦街道", "江滨镇"]},
                            geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs="EPSG:32650")


def test_township_quarters_join_as_years_with_stocks_kept():
    rows = []
    for code, name in (("330199001", "临浦街道"), ("330199002", "江滨镇")):
        for q in range(1, 5):
            if code == "330199002" and q == 4:
                continue
            rows.append({"乡镇街道代码": code, "乡镇街道名称": name, "年份": 2023, "季度": f"{q}季度",
                         "原煤(吨)": 100.0 * q, "电力(万千瓦时)": 10.0, "地区生产总值(万元)": 1000.0 * q,
                         "常住人口(人)": 10_000 + q})
    j = join_stats(_townships(), pd.DataFrame(rows))
    assert j.period_kind == "quarter" and len(j.stats) == 2 and j.years == [2023]
    s = j.stats.set_index("join_key")
    # 001: coal 100+200+300+400 = 1000 t, GDP 10,000 万元, population the Q4 (year-end) figure
    assert s.at["330199001", "原煤(吨)"] == 1000.0 and s.at["330199001", "地区生产总值(万元)"] == 10_000.0
    assert s.at["330199001", "常住人口(人)"] == 10_004 and s.at["330199001", "periods"] == 4
    # 002: three quarters, reported, not scaled
    assert s.at["330199002", "原煤(吨)"] == 600.0 and s.at["330199002", "periods"] == 3
    part = [p for p in j.problems if p.code == "join.partial_year"]
    assert len(part) == 1 and part[0].feature_ids == ["330199002 2023"]
    # the intensity equals that of the same statistics summed by hand into one annual row each
    m = township_metrics(j.stats, year=2023).set_index("entity")
    annual = pd.DataFrame({"乡镇街道代码": ["330199001", "330199002"], "乡镇街道名称": ["临浦街道", "江滨镇"],
                           "年份": [2023, 2023], "原煤(吨)": [1000.0, 600.0], "电力(万千瓦时)": [40.0, 30.0],
                           "地区生产总值(万元)": [10_000.0, 6000.0], "常住人口(人)": [10_004, 10_003]})
    ref = township_metrics(join_stats(_townships(), annual).stats, year=2023).set_index("entity")
    assert np.allclose(m.loc[ref.index, "intensity"], ref["intensity"], rtol=1e-12)


def test_township_table_without_periods_is_unchanged():
    annual = pd.DataFrame({"乡镇街道代码": ["330199001", "330199002"], "年份": [2023, 2023],
                           "原煤(吨)": [1.0, 2.0]})
    j = join_stats(_townships(), annual)
    assert j.period_kind is None and "periods" not in j.stats.columns


# ---------------------------------------------------------------- the trends workbook

def test_trends_workbook_has_a_period_sheet(tmp_path):
    table, out = tmp_path / "q.csv", tmp_path / "t.xlsx"
    _quarterly().assign(行业="纺织", 行业代码="C17").to_csv(table, index=False, encoding="utf-8-sig")
    r = subprocess.run([sys.executable, "-m", "app", "trends", str(table), "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    sheets = pd.read_excel(out, sheet_name=None)
    per = sheets["分期"]
    assert per["period"].tolist() == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    assert per["对象数"].tolist() == [2, 2, 2, 1]
    assert per["综合能耗(tce)"].sum() == pytest.approx(sheets["逐年汇总"]["综合能耗(tce)"].item(), rel=1e-9)
