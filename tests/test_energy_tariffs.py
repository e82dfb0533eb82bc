"""Time-of-use tariffs: shipped periods against the provinces' published tables (written out by
hand below from the notices' wording), user files, the NDRC 2021 check and the bill."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.energy.tariffs import PERIOD_CODES, check_ndrc_2021, electricity_bill, load_tariff, tariff_keys
from gis.errors import InputError


def _hours(table_row: np.ndarray, code: str) -> list[float]:
    """Clock hours (x.5 for half hours) at which a table row shows ``code``."""
    step = 24 / table_row.size
    return [i * step for i in range(table_row.size) if table_row[i] == code]


def _spans(*ranges: tuple[float, float]) -> list[float]:
    """Half-hour starts covered by [a, b) clock ranges, e.g. (19.5, 21.5) → 19.5, 20, 20.5, 21."""
    out: list[float] = []
    for a, b in ranges:
        x = a
        while x < b:
            out.append(x)
            x += 0.5
    return sorted(out)


def _half(t, month: int, code: str) -> list[float]:
    row = t.period_of_month_hour[month - 1]
    if row.size == 24:  # expand to half hours so one helper fits every table
        row = np.repeat(row, 2)
    return _hours(row, code)


# -- Jiangsu, 苏发改价格发〔2025〕426号 as quoted in the grid's agency-purchase table:
# 夏、冬两季（6-8月、12月-次年2月）高峰 14:00-22:00，平 6:00-11:00、13:00-14:00、22:00-24:00，
# 低谷 0:00-6:00、11:00-13:00；春、秋两季（3-5月、9-11月）高峰 15:00-22:00，
# 平 6:00-10:00、14:00-15:00、22:00-次日2:00，低谷 2:00-6:00、10:00-14:00.
# 尖峰 (third-party transcription): 7-8月 14:00-15:00、19:30-21:30；12-1月 18:00-20:00.
def test_jiangsu_periods_match_the_published_table():
    t = load_tariff("jiangsu_2025")
    assert t.period_of_month_hour.shape == (12, 48)  # the 19:30 boundary needs half hours
    for m in (6, 2):  # summer/winter months without 尖峰
        assert _half(t, m, "peak") == _spans((14, 22))
        assert _half(t, m, "flat") == _spans((6, 11), (13, 14), (22, 24))
        assert _half(t, m, "valley") == _spans((0, 6), (11, 13))
        assert _half(t, m, "sharp") == []
    for m in (7, 8):
        assert _half(t, m, "sharp") == _spans((14, 15), (19.5, 21.5))
        assert _half(t, m, "peak") == _spans((15, 19.5), (21.5, 22))
    for m in (12, 1):
        assert _half(t, m, "sharp") == _spans((18, 20))
        assert _half(t, m, "peak") == _spans((14, 18), (20, 22))
    for m in (3, 4, 5, 9, 10, 11):
        assert _half(t, m, "peak") == _spans((15, 22))
        assert _half(t, m, "flat") == _spans((0, 2), (6, 10), (14, 15), (22, 24))
        assert _half(t, m, "valley") == _spans((2, 6), (10, 14))
        assert _half(t, m, "sharp") == []


# -- Guangdong, 粤发改价格〔2021〕331号: 高峰 10-12点、14-19点；低谷 0-8点；其余平段；
# 尖峰 7、8、9月 每天11-12时、15-17时.
def test_guangdong_periods_match_the_published_table():
    t = load_tariff("guangdong_2021")
    for m in range(1, 13):
        sharp = [11, 15, 16] if m in (7, 8, 9) else []
        row = t.period_of_month_hour[m - 1]
        assert _hours(row, "valley") == list(range(8))
        assert _hours(row, "sharp") == sharp
        assert _hours(row, "peak") == [h for h in (10, 11, 14, 15, 16, 17, 18) if h not in sharp]
        assert _hours(row, "flat") == [8, 9, 12, 13, 19, 20, 21, 22, 23]


# -- Shandong 2025 (鲁发改价格〔2023〕914号): 1-2、12月 低谷 2-6、10-15 其中深谷 11-14，高峰 7-9、
# 16-21 其中尖峰 16-19；7-8月 低谷 1-6，高峰 16-23 其中尖峰 17-22.
def test_shandong_periods_match_the_published_table():
    t = load_tariff("shandong_2025")
    jan = t.period_of_month_hour[0]
    assert _hours(jan, "deep_valley") == [11, 12, 13]
    assert _hours(jan, "valley") == [2, 3, 4, 5, 10, 14]
    assert _hours(jan, "sharp") == [16, 17, 18]
    assert _hours(jan, "peak") == [7, 8, 19, 20]
    jul = t.period_of_month_hour[6]
    assert _hours(jul, "valley") == [1, 2, 3, 4, 5]
    assert _hours(jul, "sharp") == [17, 18, 19, 20, 21]
    assert _hours(jul, "peak") == [16, 22]
    assert _hours(jul, "deep_valley") == []


# -- Shanghai two-part (沪发改价管〔2022〕50号): 7-9月 高峰 8-15、18-21，平 6-8、15-18、21-22，
# 低谷 22-次日6，7、8月尖峰 12-14；其他月份 高峰 8-11、18-21，平 6-8、11-18、21-22，
# 1、12月尖峰 19-21. Peak +80 % / valley −60 % in Jul-Sep, Jan, Dec; +60 % / −50 % otherwise.
def test_shanghai_periods_and_seasonal_prices():
    t = load_tariff("shanghai_2022")
    jul, mar, dec = (t.period_of_month_hour[m - 1] for m in (7, 3, 12))
    assert _hours(jul, "sharp") == [12, 13]
    assert _hours(jul, "peak") == [8, 9, 10, 11, 14, 18, 19, 20]
    assert _hours(jul, "valley") == [0, 1, 2, 3, 4, 5, 22, 23]
    assert _hours(mar, "peak") == [8, 9, 10, 18, 19, 20]
    assert _hours(mar, "flat") == [6, 7, 11, 12, 13, 14, 15, 16, 17, 21]
    assert _hours(dec, "sharp") == [19, 20]
    flat = t.price_yuan_kwh["flat"]
    p = t.price_month_yuan_kwh
    assert p["peak"][6] == pytest.approx(flat * 1.8) and p["valley"][6] == pytest.approx(flat * 0.4)
    assert p["peak"][2] == pytest.approx(flat * 1.6) and p["valley"][2] == pytest.approx(flat * 0.5)


def test_every_shipped_tariff_is_complete():
    keys = tariff_keys()
    assert len(keys) >= 5
    for key, name_zh, name_en in keys:
        t = load_tariff(key)
        assert t.key == key and name_zh and name_en and t.source and t.issued
        assert t.period_of_month_hour.shape in ((12, 24), (12, 48))
        assert set(np.unique(t.period_of_month_hour)) <= set(PERIOD_CODES)
        assert t.price_status in ("published", "illustrative")
        assert 0.2 < t.export_price_yuan_kwh < 0.6  # coal benchmark prices are 0.25-0.46 yuan/kWh
        for m in range(12):  # every month has a dear and a cheap period
            row = set(t.period_of_month_hour[m])
            assert row & {"peak", "sharp"} and row & {"valley", "deep_valley"}
        prices = t.price_table()
        assert (prices > 0).all()


def test_periods_and_prices_of_a_time_index():
    t = load_tariff("jiangsu_2025")
    idx = pd.DatetimeIndex(["2025-07-15 19:00", "2025-07-15 19:30", "2025-03-02 12:15",
                            "2025-12-31 23:45"])
    assert list(t.periods(idx)) == ["peak", "sharp", "valley", "flat"]
    hourly = pd.date_range("2025-07-15", periods=24, freq="h")
    price = t.import_price(hourly)
    # 19:00-20:00 is half peak (19:00-19:30) and half sharp (19:30-20:00)
    assert price[19] == pytest.approx((1.17 + 1.404) / 2)
    assert price[20] == pytest.approx(1.404)
    assert price[3] == pytest.approx(0.2275)
    # an explicit +08:00 offset is the same local time
    aware = pd.DatetimeIndex(["2025-07-15 19:30+08:00"])
    assert list(t.periods(aware)) == ["sharp"]


SMALL = """type,key,value,months,start,end,note
meta,key,small,,,,
meta,name_zh,测试电价,,,,
meta,name_en,test tariff,,,,
meta,province,测试,,,,
meta,category,两部制,,,,
meta,source,hand-made,,,,
meta,issued,2026-01-01,,,,
charge,demand_charge_yuan_kw_month,40,,,,
charge,capacity_charge_yuan_kva_month,25,,,,
charge,export_price_yuan_kwh,0.4,,,,
price,平段,0.6,,,,
price,高峰,1.0,,,,
price,低谷,0.3,,,,
period,低谷,,全年,0,8,
period,高峰,,1-12,8:00,12:00,
"""


def _write(tmp_path, text: str, name="t.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_user_file_in_chinese_and_gbk(tmp_path):
    t = load_tariff(_write(tmp_path, SMALL, encoding="gb18030"))
    row = t.period_of_month_hour[0]
    assert t.period_of_month_hour.shape == (12, 24)
    assert _hours(row, "valley") == list(range(8))
    assert _hours(row, "peak") == [8, 9, 10, 11]
    assert t.price_yuan_kwh == {"flat": 0.6, "peak": 1.0, "valley": 0.3}
    wrap = SMALL.replace("period,低谷,,全年,0,8,", "period,低谷,,12-2,22:00,06:00,")
    t2 = load_tariff(_write(tmp_path, wrap, "wrap.csv"))
    assert _hours(t2.period_of_month_hour[0], "valley") == [0, 1, 2, 3, 4, 5, 22, 23]
    assert _hours(t2.period_of_month_hour[5], "valley") == []


@pytest.mark.parametrize("change, code", [
    (("price,低谷,0.3,,,,\n", ""), "tariff.price"),                       # valley has no price
    (("8:00,12:00", "8:15,12:00"), "tariff.row"),                           # not on a half hour
    (("period,高峰,,1-12", "period,超峰,,1-12"), "tariff.row"),             # unknown period
    (("period,高峰,,1-12", "period,高峰,,1-13"), "tariff.row"),             # month 13
    (("meta,source,hand-made,,,,\n", ""), "tariff.meta"),                  # no source
    (("price,平段,0.6", "price,平段,abc"), "tariff.row"),                   # not a number
    (("charge,demand", "fee,demand"), "tariff.row"),                       # unknown row type
])
def test_bad_user_files_raise_input_error(tmp_path, change, code):
    with pytest.raises(InputError) as err:
        load_tariff(_write(tmp_path, SMALL.replace(*change)))
    assert err.value.code == code
    assert "t.csv" in err.value.text()


def test_unknown_key_and_missing_file():
    with pytest.raises(InputError) as err:
        load_tariff("atlantis_2099")
    assert "jiangsu_2025" in err.value.en  # the message lists what is available
    with pytest.raises(InputError):
        load_tariff("/nonexistent/tariff.csv")


# -- NDRC 发改价格〔2021〕1093号 against made-up tables that break each rule
def _made_up(tmp_path, peak: float, valley: float, sharp: float | None = None):
    text = SMALL.replace("price,高峰,1.0", f"price,高峰,{peak}").replace("price,低谷,0.3",
                                                                       f"price,低谷,{valley}")
    if sharp is not None:
        text += f"price,尖峰,{sharp},,,,\nperiod,尖峰,,7-8,10:00,11:00,\n"
    return load_tariff(_write(tmp_path, text, f"ndrc_{peak}_{valley}_{sharp}.csv"))


def test_ndrc_peak_valley_ratio(tmp_path):
    ok4 = _made_up(tmp_path, 1.2, 0.3)             # 4.0 : 1
    r35 = _made_up(tmp_path, 1.05, 0.3)            # 3.5 : 1
    r25 = _made_up(tmp_path, 0.75, 0.3)            # 2.5 : 1
    assert check_ndrc_2021(ok4, True) == [] and check_ndrc_2021(ok4, None) == []
    assert [p.code for p in check_ndrc_2021(r35, True)] == ["tariff.peak_valley_ratio"]
    assert check_ndrc_2021(r35, False) == []
    assert [(p.level, p.code) for p in check_ndrc_2021(r35, None)] == [
        ("info", "tariff.peak_valley_ratio_gap_unknown")]
    probs = check_ndrc_2021(r25, False)
    assert [p.code for p in probs] == ["tariff.peak_valley_ratio"] and probs[0].level == "warning"
    assert "2.50:1" in probs[0].en and "12(" in probs[0].en  # names the months


def test_ndrc_sharp_premium(tmp_path):
    low = _made_up(tmp_path, 1.2, 0.3, sharp=1.32)    # +10 %
    ok = _made_up(tmp_path, 1.2, 0.3, sharp=1.44)     # +20 % exactly
    probs = check_ndrc_2021(low, True)
    assert [p.code for p in probs] == ["tariff.sharp_premium"]
    assert "7(+10%)" in probs[0].en and "8(+10%)" in probs[0].en and "1(" not in probs[0].en
    assert check_ndrc_2021(ok, True) == []


# -- the bill against a hand calculation
def test_bill_against_hand_calculation(tmp_path):
    t = load_tariff(_write(tmp_path, SMALL))
    idx = pd.date_range("2026-01-30", "2026-02-01 23:00", freq="h")  # 2 days Jan + 1 day Feb
    kw = np.full(len(idx), 10.0)
    kw[9] = 50.0                                                       # Jan 30 09:00 (peak)
    export = np.zeros(len(idx))
    export[12:14] = 5.0                                                # 2 h × 5 kW
    bill = electricity_bill(kw, 1.0, idx, t, export_kw=export)
    # a 10 kW day: 8 h valley × 0.3 + 4 h peak × 1.0 + 12 h flat × 0.6 = 24 + 40 + 72 = 136 yuan
    assert bill.energy_yuan == pytest.approx(3 * 136 + 40 * 1.0)
    assert bill.energy_yuan_by_period["peak"] == pytest.approx(3 * 40 + 40)
    assert bill.energy_yuan_by_period["valley"] == pytest.approx(3 * 24)
    assert bill.demand_yuan == pytest.approx(50 * 40 + 10 * 40)       # Jan max 50, Feb max 10
    assert bill.peak_kw_by_month[:3].tolist() == [50, 10, 0]
    assert bill.export_revenue_yuan == pytest.approx(10 * 0.4)
    assert bill.total_yuan == pytest.approx(448 + 2400)
    assert bill.net_yuan == pytest.approx(448 + 2400 - 4)
    cap = electricity_bill(kw, 1.0, idx, t, basic_charge="capacity", transformer_kva=100)
    assert cap.demand_yuan == pytest.approx(100 * 25 * 2)              # 2 months present
    q = pd.date_range("2026-01-30", "2026-02-01 23:45", freq="15min")  # same load at 15 min
    kw_q = np.repeat(kw, 4)
    assert electricity_bill(kw_q, 0.25, q, t).energy_yuan == pytest.approx(448)


def test_hourly_bill_under_a_half_hour_table():
    t = load_tariff("jiangsu_2025")
    idx = pd.date_range("2025-07-01", periods=24, freq="h")
    bill = electricity_bill(np.full(24, 2.0), 1.0, idx, t)
    # July: valley 0-6, 11-13 (8 h); flat 6-11, 13-14, 22-24 (8 h); sharp 14-15, 19:30-21:30 (3 h);
    # peak 15-19:30, 21:30-22 (5 h); 2 kW each hour
    expect = 2 * (8 * 0.2275 + 8 * 0.65 + 3 * 1.404 + 5 * 1.17)
    assert bill.energy_yuan == pytest.approx(expect)
    assert bill.energy_yuan_by_period["sharp"] == pytest.approx(2 * 3 * 1.404)


def test_bill_rejects_bad_series():
    t = load_tariff("guangdong_2021")
    idx = pd.date_range("2025-01-01", periods=4, freq="h")
    with pytest.raises(InputError):
        electricity_bill([1, 2, 3], 1.0, idx, t)
    with pytest.raises(InputError):
        electricity_bill([1, -2, 3, 4], 1.0, idx, t)
    with pytest.raises(InputError):
        electricity_bill([1, np.nan, 3, 4], 1.0, idx, t)
    with pytest.raises(InputError):
        electricity_bill([1, 2, 3, 4], 1.0, idx, t, basic_charge="capacity")


def test_illustrative_prices_are_said(tmp_path):
    """A shipped tariff whose prices are a snapshot warns; a user table marked published does not."""
    from gis.energy.tariffs import load_tariff, price_problems

    t = load_tariff("jiangsu_2025")
    assert t.price_status == "illustrative"
    assert [p.code for p in price_problems(t)] == ["tariff.prices_illustrative"]
    import dataclasses

    assert price_problems(dataclasses.replace(t, price_status="published")) == []
