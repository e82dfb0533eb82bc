"""Typical load profiles and the park load: exact energy, the holiday calendar, Spring Festival.

References are written out here: the State Council's 2025 holiday dates (hand list), the profile
rows read straight from the CSV with the csv module, and the sample energy table summed with pandas.
"""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from gis.energy.park_load import (
    enterprises_from_inventory,
    kind_for_industry,
    park_load,
    park_load_from_table,
)
from gis.energy.profiles import PROFILE_KINDS, profile_shape, typical_load
from gis.errors import InputError
from gis.paths import resources_dir

KINDS = [k for k, *_ in PROFILE_KINDS]

# State Council notice on the 2025 holidays (国务院办公厅关于2025年部分节假日安排的通知), by hand:
SPRING_2025 = [dt.date(2025, 1, 28) + dt.timedelta(days=i) for i in range(8)]  # 1-28 … 2-4
NATIONAL_2025 = [dt.date(2025, 10, 1) + dt.timedelta(days=i) for i in range(8)]  # 10-1 … 10-8
MAKEUP_WORKDAYS_2025 = [dt.date(2025, 1, 26), dt.date(2025, 2, 8), dt.date(2025, 9, 28),
                        dt.date(2025, 10, 11)]


def csv_rows() -> dict[tuple[str, str], np.ndarray]:
    with open(resources_dir() / "energy" / "load_profiles.csv", encoding="utf-8") as fh:
        return {(r["kind"], r["series"]): np.array(r["values"].split(), float) for r in csv.DictReader(fh)}


def day(series: pd.Series, d: dt.date) -> np.ndarray:
    return series[str(d)].to_numpy()


def proportional(a: np.ndarray, b: np.ndarray) -> bool:
    """a = c·b for one c > 0 (the monthly factor and the normalisation)."""
    c = a.sum() / b.sum()
    return bool(c > 0 and np.allclose(a, c * b, rtol=1e-12, atol=0))


def test_every_kind_has_names_and_a_source():
    assert {"industrial_one_shift", "industrial_two_shift", "industrial_three_shift", "continuous_process",
            "office", "mall", "hotel", "dormitory", "public", "school", "hospital"} <= set(KINDS)
    for key, zh, en, source in PROFILE_KINDS:
        assert zh and en and source, key
    rows = csv_rows()
    for k in KINDS:
        assert all((k, s) in rows for s in ("workday", "weekend", "holiday", "monthly")), k


@pytest.mark.parametrize("dt_h", [1.0, 0.5, 0.25])
def test_annual_sum_exact(dt_h):
    for kind in KINDS:
        lp = typical_load(kind, 2025, 1_234_567.0, dt_h=dt_h)
        assert len(lp.kw) == 365 * 24 / dt_h
        assert abs(lp.kw.sum() * dt_h - 1_234_567.0) <= 1e-9 * 1_234_567.0, kind
        assert (lp.kw >= 0).all()
    leap = typical_load("office", 2024, 1e6, dt_h=dt_h)
    assert len(leap.kw) == 366 * 24 / dt_h and abs(leap.kwh - 1e6) < 1e-3


def test_monthly_calibration_exact():
    bills = np.array([310, 150, 280, 300, 320, 400, 520, 530, 380, 300, 290, 330], float) * 1000
    lp = typical_load("industrial_two_shift", 2025, float(bills.sum()), monthly_kwh=bills, dt_h=0.25)
    by_month = pd.Series(lp.kw * 0.25, index=lp.index).groupby(lp.index.month).sum().to_numpy()
    np.testing.assert_allclose(by_month, bills, rtol=1e-12)
    assert not lp.problems
    # the bills disagree with the annual figure by 10 %: bills win, with a warning
    lp = typical_load("office", 2025, float(bills.sum()) * 1.1, monthly_kwh=bills)
    assert [p.code for p in lp.problems] == ["load.bills_differ"]
    assert abs(lp.kwh - bills.sum()) < 1e-6 * bills.sum()


def test_holidays_and_makeup_days_use_the_right_shape():
    rows = csv_rows()
    office = profile_shape("office", 2025)
    assert abs(office.sum() - 1) < 1e-12
    for d in NATIONAL_2025 + SPRING_2025:
        assert proportional(day(office, d), rows[("office", "holiday")]), d
    for d in [*MAKEUP_WORKDAYS_2025, dt.date(2025, 10, 15), dt.date(2025, 1, 27)]:
        assert proportional(day(office, d), rows[("office", "workday")]), d
    for d in (dt.date(2025, 10, 12), dt.date(2025, 10, 18)):  # an ordinary Sunday and Saturday
        assert proportional(day(office, d), rows[("office", "weekend")]), d
    # the office's holiday and weekend rows are flat: check a kind where they differ
    one = profile_shape("industrial_one_shift", 2025)
    assert proportional(day(one, dt.date(2025, 10, 1)), rows[("industrial_one_shift", "holiday")])
    assert not proportional(day(one, dt.date(2025, 10, 1)), rows[("industrial_one_shift", "workday")])
    # monthly factor: the same workday row in July vs March scales by their factors
    m = rows[("office", "monthly")]
    ratio = day(office, dt.date(2025, 7, 2)).sum() / day(office, dt.date(2025, 3, 5)).sum()
    assert abs(ratio - m[6] / m[2]) < 1e-12


def test_spring_festival_shutdown_for_industry():
    rows = csv_rows()
    # the documented assumption: one-shift plants stop 3 days before to 7 days after the holiday
    shut = [dt.date(2025, 1, 25) + dt.timedelta(days=i) for i in range(18)]  # 1-25 … 2-11
    assert shut[3] == SPRING_2025[0] and shut[-8] == SPRING_2025[-1]
    one = profile_shape("industrial_one_shift", 2025)
    for d in shut:
        assert proportional(day(one, d), rows[("industrial_one_shift", "holiday")]), d
    for d in (dt.date(2025, 1, 24), dt.date(2025, 2, 12)):
        assert proportional(day(one, d), rows[("industrial_one_shift", "workday")]), d
    # continuous process runs through: the first day of the festival is like any day of January
    cont = profile_shape("continuous_process", 2025)
    assert proportional(day(cont, SPRING_2025[0]), rows[("continuous_process", "workday")])


def test_year_outside_the_calendar_falls_back_to_weekends():
    lp = typical_load("office", 2035, 1e6)
    assert [p.code for p in lp.problems] == ["load.calendar_out_of_range"]
    s = pd.Series(lp.kw, index=lp.index)
    rows = csv_rows()
    assert proportional(day(s, dt.date(2035, 10, 1)), rows[("office", "workday")])  # a Monday, no holiday
    assert proportional(day(s, dt.date(2035, 10, 6)), rows[("office", "weekend")])  # a Saturday
    assert abs(lp.kwh - 1e6) < 1e-6


def test_quarter_hours_repeat_the_hour():
    h = profile_shape("mall", 2025, dt_h=1.0)
    q = profile_shape("mall", 2025, dt_h=0.25)
    np.testing.assert_allclose(q.resample("h").sum().to_numpy(), h.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(q.to_numpy()[:4], np.full(4, h.iloc[0] / 4), rtol=1e-12)


def test_user_daily_shape():
    flat = {"workday": np.ones(96), "monthly": np.ones(12)}
    s = profile_shape("industrial_one_shift", 2025, dt_h=0.25, daily_shape_override=flat)
    wd = day(s, dt.date(2025, 3, 5))
    assert np.allclose(wd, wd[0])
    assert "user-edited" in s.attrs["source"]
    hourly = profile_shape("office", 2025, daily_shape_override={"workday": np.arange(96.0)})
    assert np.allclose(day(hourly, dt.date(2025, 3, 5)) / day(hourly, dt.date(2025, 3, 5))[1],
                       np.arange(96.0).reshape(24, 4).mean(axis=1) / 5.5)  # 96 values averaged per hour
    with pytest.raises(InputError):
        profile_shape("office", 2025, daily_shape_override={"workday": np.ones(23)})
    with pytest.raises(InputError):
        profile_shape("office", 2025, daily_shape_override={"sunday": np.ones(24)})


def test_bad_input():
    with pytest.raises(InputError) as e:
        typical_load("steelworks", 2025, 1e6)
    assert e.value.code == "load.unknown_kind"
    with pytest.raises(InputError):
        typical_load("office", 2025, 1e6, dt_h=0.2)
    with pytest.raises(InputError):
        typical_load("office", 2025, -5.0)
    with pytest.raises(InputError) as e:  # August has no load but a bill
        typical_load("office", 2025, None, monthly_kwh=np.ones(12),
                     override={"monthly": [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1]})
    assert e.value.code == "load.monthly_zero"


def test_kind_for_industry():
    assert kind_for_industry("纺织印染") == "industrial_three_shift"
    assert kind_for_industry("化纤") == "continuous_process"
    assert kind_for_industry("C28") == "continuous_process"
    assert kind_for_industry("家居用品") == "industrial_one_shift"
    assert kind_for_industry("机械制造") == "industrial_two_shift"
    assert kind_for_industry("住宿服务") == "hotel"
    assert kind_for_industry("H61") == "hotel"
    assert kind_for_industry(None, "员工宿舍") == "dormitory"
    assert kind_for_industry("机械制造", "办公楼") == "office"  # the building's use comes first
    assert kind_for_industry("公共管理") == "public"
    assert kind_for_industry("something else") == "industrial_two_shift"
    assert kind_for_industry(None, None) == "industrial_two_shift"


def test_park_load_per_enterprise_and_total():
    ents = pd.DataFrame({"id": ["A", "B", "C"], "annual_kwh": [1e6, 2.5e6, 0.0],
                         "industry": ["电子", "商场", "unknown"]})
    bills = np.linspace(1, 2, 12) * 1e5
    pl = park_load(ents, 2025, dt_h=0.5, monthly={"B": bills})
    assert list(pl.kw.columns) == ["A", "B", "C"]
    assert pl.kinds == {"A": "industrial_three_shift", "B": "mall", "C": "industrial_two_shift"}
    assert abs(pl.kw["A"].sum() * 0.5 - 1e6) < 1e-6
    by_month = (pl.kw["B"] * 0.5).groupby(pl.index.month).sum().to_numpy()
    np.testing.assert_allclose(by_month, bills, rtol=1e-12)
    assert (pl.kw["C"] == 0).all()
    np.testing.assert_allclose(pl.park_kw, pl.kw["A"] + pl.kw["B"], rtol=1e-12)
    assert "load.kind_default" in [p.code for p in pl.problems]
    assert "load.bills_differ" in [p.code for p in pl.problems]  # 1.8 GWh of bills against 2.5 GWh
    with pytest.raises(InputError):
        park_load(ents.assign(kind=["office", "bogus", None]), 2025)


def test_sample_park_gets_profiles_from_its_energy_table():
    from gis.carbon.inventory import read_energy_inventory
    from gis.io.tables import read_data_table

    path = resources_dir() / "sample" / "enterprises_energy.csv"
    raw = pd.read_csv(path, encoding="utf-8-sig")
    expected = raw[raw["年份"] == 2024].set_index("企业代码")["电力(万千瓦时)"] * 1e4  # 万kWh → kWh
    table, _ = read_data_table(path)
    ents = enterprises_from_inventory(read_energy_inventory(table, source_name="enterprises"))
    got = dict(zip(ents["id"], ents["annual_kwh"], strict=True))
    assert got == pytest.approx(expected.to_dict(), rel=1e-12)
    _, pl = park_load_from_table(table)
    assert pl.index[0] == pd.Timestamp("2024-01-01") and len(pl.index) == 8784
    np.testing.assert_allclose(pl.annual_kwh.sort_index().to_numpy(), expected.sort_index().to_numpy(),
                               rtol=1e-9)
    assert abs(pl.park_kw.sum() - expected.sum()) < 1e-9 * expected.sum()
    assert pl.kinds["E020"] == "hotel" and pl.kinds["E030"] == "continuous_process"
