"""Interval meter import: units, layouts, encodings, offsets, gaps and duplicates, bad files.

Files are written here (synthetic) and the expected kW worked out by hand in each test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.energy.meter import fill_gaps, read_meter, resample_kw
from gis.errors import InputError


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def quarter_hours(n: int, start: str = "2025-03-03 00:00") -> list[str]:
    return list(pd.date_range(start, periods=n, freq="15min").strftime("%Y-%m-%d %H:%M"))


def test_15_min_kwh_to_kw_by_hand(tmp_path):
    # 2.5 kWh in a quarter hour is a mean 2.5 / 0.25 = 10 kW; 0.75 kWh is 3 kW
    f = write(tmp_path / "m.csv", "time,meter1 (kWh)\n2025-03-03 00:00,2.5\n2025-03-03 00:15,0.75\n"
              "2025-03-03 00:30,1\n")
    m = read_meter(f)
    assert m.dt_h == 0.25 and list(m.kw.columns) == ["meter1"]
    np.testing.assert_allclose(m.kw["meter1"].to_numpy(), [10.0, 3.0, 4.0])
    assert m.complete and m.problems == []
    assert abs(m.kwh["meter1"] - 4.25) < 1e-12  # energy back: 2.5 + 0.75 + 1
    # the same readings as MWh, hourly: 2.5 MWh in an hour = 2,500 kW
    f = write(tmp_path / "h.csv", "timestamp,load_MWh\n2025-03-03 00:00,2.5\n2025-03-03 01:00,0.75\n")
    np.testing.assert_allclose(read_meter(f).kw["load_MWh"].to_numpy(), [2500.0, 750.0])


def test_gbk_csv_with_chinese_headers(tmp_path):
    t = quarter_hours(4)
    text = "数据说明：某园区 10kV 进线\n采集时间,1号进线有功功率(kW),2号进线有功功率（千瓦）\n" + "".join(
        f"{x},{100 + i},{200 + i}\n" for i, x in enumerate(t))
    f = write(tmp_path / "gbk.csv", text, "gbk")
    for m in (read_meter(f), read_meter(f, encoding="gbk")):
        assert list(m.kw.columns) == ["1号进线有功功率", "2号进线有功功率"]
        np.testing.assert_allclose(m.kw.iloc[:, 0], [100, 101, 102, 103])
        np.testing.assert_allclose(m.park_kw, [300, 302, 304, 306])
    with pytest.raises(InputError):
        read_meter(f, encoding="utf-8")


def test_wide_and_long_layouts_agree(tmp_path):
    t = list(pd.date_range("2025-07-01", periods=6, freq="30min").strftime("%Y/%m/%d %H:%M"))
    a, b = [1.0, 2, 3, 4, 5, 6], [10.0, 20, 30, 40, 50, 60]
    wide = write(tmp_path / "wide.csv", "日期时间,E001(kWh),E002(kWh)\n" + "".join(
        f"{x},{p},{q}\n" for x, p, q in zip(t, a, b, strict=True)))
    long = write(tmp_path / "long.csv", "企业代码,时间,电量(kWh)\n" + "".join(
        f"E002,{x},{q}\n" for x, q in zip(t, b, strict=True)) + "".join(
        f"E001,{x},{p}\n" for x, p in zip(t, a, strict=True)))
    mw, ml = read_meter(wide), read_meter(long)
    assert mw.dt_h == ml.dt_h == 0.5
    pd.testing.assert_frame_equal(mw.kw[["E001", "E002"]], ml.kw[["E001", "E002"]], check_names=False)
    np.testing.assert_allclose(ml.kw["E001"], np.array(a) / 0.5)  # kWh per half hour → kW: ×2


def test_gaps_and_duplicates_are_reported_not_filled(tmp_path):
    t = quarter_hours(20)
    rows = [(x, float(i)) for i, x in enumerate(t)]
    del rows[12]  # one gap: 03:00
    del rows[5:8]  # three more in a row: 01:15, 01:30, 01:45
    rows.insert(3, (t[2], 2.0))  # a duplicate with the same value
    rows.insert(10, (t[9], 99.0))  # a duplicate that disagrees
    f = write(tmp_path / "g.csv", "time,kw\n" + "".join(f"{x},{v}\n" for x, v in rows))
    m = read_meter(f, unit="kw")
    assert len(m.index) == 20 and not m.complete
    gaps = [p for p in m.problems if p.code == "meter.gaps"]
    dups = [p for p in m.problems if p.code == "meter.duplicates"]
    assert len(gaps) == 1 and len(dups) == 1
    assert "4 interval value(s) missing in 2 stretch(es), the first at 2025-03-03 01:15:00" in gaps[0].en
    assert "2 duplicate time row(s)" in dups[0].en and "1 time(s) with differing values" in dups[0].en
    assert "2025-03-03 00:30:00" in dups[0].en
    missing = m.kw["kw"].isna()
    assert list(m.index[missing].strftime("%H:%M")) == ["01:15", "01:30", "01:45", "03:00"]
    assert m.kw["kw"].iloc[9] == 9.0  # the first row of a duplicate is kept
    assert m.park_kw.isna().sum() == 4
    # filling is the caller's explicit choice
    lin = fill_gaps(m, "linear")
    assert lin.complete and not m.complete
    np.testing.assert_allclose(lin.kw["kw"].iloc[5:8], [5.0, 6.0, 7.0])  # straight line 4 → 8
    assert lin.kw["kw"].iloc[12] == 12.0
    prof = fill_gaps(m, "profile")
    assert prof.complete and prof.problems[-1].code == "meter.filled"


def test_profile_fill_uses_the_same_time_of_day(tmp_path):
    t = list(pd.date_range("2025-03-03", periods=72, freq="h").strftime("%Y-%m-%d %H:%M"))  # Mon–Wed
    vals = [float(i % 24) + (100 if i >= 48 else 0) for i in range(72)]
    keep = [i for i in range(72) if i != 30]  # Tuesday 06:00 missing
    f = write(tmp_path / "p.csv", "time,kW\n" + "".join(f"{t[i]},{vals[i]}\n" for i in keep))
    filled = fill_gaps(read_meter(f), "profile")
    assert filled.kw["kW"].iloc[30] == pytest.approx((6.0 + 106.0) / 2)  # mean of Monday and Wednesday 06:00


def test_offsets_become_china_standard_time(tmp_path):
    f = write(tmp_path / "z.csv", "timestamp,kW\n2025-01-01T00:00:00Z,1\n2025-01-01T01:00:00Z,2\n")
    m = read_meter(f)
    assert m.index[0] == pd.Timestamp("2025-01-01 08:00") and m.index.tz is None
    f = write(tmp_path / "p8.csv", "timestamp,kW\n2025-01-01T00:00:00+08:00,1\n2025-01-01T01:00:00+08:00,2\n")
    assert read_meter(f).index[0] == pd.Timestamp("2025-01-01 00:00")
    f = write(tmp_path / "mix.csv", "timestamp,kW\n2025-01-01T00:00:00+08:00,1\n2025-01-01 01:00,2\n")
    with pytest.raises(InputError) as e:
        read_meter(f)
    assert e.value.code == "meter.mixed_offsets" and "row 3" in e.value.en


def test_interval_end_labels_only_when_told(tmp_path):
    t = [*quarter_hours(96, "2025-03-03 00:15")[:-1], "2025-03-03 24:00"]
    f = write(tmp_path / "end.csv", "time,kWh\n" + "".join(f"{x},1\n" for x in t))
    as_start = read_meter(f)
    assert as_start.index[0] == pd.Timestamp("2025-03-03 00:15")
    assert as_start.index[-1] == pd.Timestamp("2025-03-04 00:00")  # 24:00 is the next day's 0:00
    assert "meter.label_hint" in [p.code for p in as_start.problems]
    as_end = read_meter(f, label="end")
    assert as_end.index[0] == pd.Timestamp("2025-03-03 00:00") and len(as_end.index) == 96
    assert as_end.index[-1] == pd.Timestamp("2025-03-03 23:45")
    np.testing.assert_allclose(as_end.kw["kWh"], 4.0)


def test_excel_with_a_title_row_and_date_plus_clock(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "负荷"
    ws.append(["某园区 2025 年 3 月 负荷曲线"])
    ws.append(["日期", "时刻", "总有功功率(MW)"])
    for h in range(24):
        ws.append(["2025-03-03", f"{h:02d}:00", 1.5 + h / 10])
    wb.create_sheet("说明")
    wb.save(tmp_path / "m.xlsx")
    m = read_meter(tmp_path / "m.xlsx", sheet="负荷")
    assert m.dt_h == 1.0 and len(m.index) == 24 and m.index[5] == pd.Timestamp("2025-03-03 05:00")
    np.testing.assert_allclose(m.kw.iloc[:, 0].to_numpy()[:3], [1500.0, 1600.0, 1700.0])  # MW → kW
    with pytest.raises(InputError):
        read_meter(tmp_path / "m.xlsx", sheet="Sheet9")
    resampled = resample_kw(read_meter(write(tmp_path / "q.csv", "time,kW\n" + "".join(
        f"{x},{v}\n" for x, v in zip(quarter_hours(8), [1, 2, 3, 4, 5, 6, 7, 8], strict=True)))), 1.0)
    np.testing.assert_allclose(resampled.kw["kW"], [2.5, 6.5])


def test_unit_from_the_caller_when_the_header_is_silent(tmp_path):
    f = write(tmp_path / "u.csv", "时间,1号表\n2025-03-03 00:00,5\n2025-03-03 00:15,6\n")
    with pytest.raises(InputError) as e:
        read_meter(f)
    assert e.value.code == "meter.no_unit" and "unit=kwh" in e.value.en
    np.testing.assert_allclose(read_meter(f, unit="kwh").kw.iloc[:, 0], [20.0, 24.0])
    np.testing.assert_allclose(read_meter(f, unit="kW").kw.iloc[:, 0], [5.0, 6.0])
    g = write(tmp_path / "c.csv", "时间,电量(kWh)\n2025-03-03 00:00,5\n2025-03-03 00:15,6\n")
    with pytest.raises(InputError):
        read_meter(g, unit="kw")


@pytest.mark.parametrize(("name", "content", "code", "where"), [
    ("bin.csv", b"\x00\x01\x02PK\x00\x00garbage", "meter.binary", None),
    ("empty.csv", b"", "meter.empty", None),
    ("header_only.csv", b"time,kW\n", "meter.empty", None),
    ("no_time.csv", b"when,kW\n1,2\n", "meter.no_time", None),
    ("irregular.csv", b"time,kW\n2025-03-03 00:00,1\n2025-03-03 00:15,1\n2025-03-03 00:30,1\n"
                      b"2025-03-03 00:37,1\n2025-03-03 00:45,1\n", "meter.irregular", "row 5"),
    ("step.csv", b"time,kW\n2025-03-03 00:00,1\n2025-03-03 00:05,1\n2025-03-03 00:10,1\n", "meter.step",
     None),
    ("text.csv", b"time,kW\n2025-03-03 00:00,1\n2025-03-03 00:15,abc\n", "meter.not_a_number", "row 3"),
    ("nan.csv", b"time,kW\n2025-03-03 00:00,1\n2025-03-03 00:15,NaN\n", "meter.not_a_number", "row 3"),
    ("inf.csv", b"time,kW\n2025-03-03 00:00,inf\n2025-03-03 00:15,1\n", "meter.not_a_number", "row 2"),
    ("neg.csv", b"time,kW\n2025-03-03 00:00,1\n2025-03-03 00:15,-4\n", "meter.negative", "row 3"),
    ("huge.csv", b"time,kW\n2025-03-03 00:00,1\n2025-03-03 00:15,20000000\n", "meter.too_big", None),
    ("badtime.csv", b"time,kW\n2025-03-03 00:00,1\nyesterday,1\n", "meter.bad_time", "row 3"),
    ("one.csv", b"time,kW\n2025-03-03 00:00,1\n", "meter.too_short", None),
])
def test_bad_files_name_the_file_row_and_fix(tmp_path, name, content, code, where):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(InputError) as e:
        read_meter(f)
    assert e.value.code == code
    assert str(f) in e.value.text() and e.value.zh and e.value.en
    if where:
        assert where in e.value.en


def test_not_a_workbook_and_missing_file(tmp_path):
    f = tmp_path / "fake.xlsx"
    f.write_bytes(b"not a zip at all")
    with pytest.raises(InputError):
        read_meter(f)
    with pytest.raises(InputError) as e:
        read_meter(tmp_path / "nowhere.csv")
    assert e.value.code == "file.missing"
