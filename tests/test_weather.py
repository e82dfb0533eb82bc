"""Weather readers, conventions and checks (gis.solar.weather, gis.solar.pvgis). No network."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib
import pytest

from gis.errors import InputError
from gis.solar import pvgis
from gis.solar.weather import (
    TIME_BASE_WARN_H,
    check_site,
    closure_ratio,
    correct_time_base,
    noon_offset_h,
    read_weather,
    restore_closure,
    sniff_kind,
    solar_zenith_deg,
)
from tests.conftest import shared

PVLIB_DATA = Path(pvlib.__file__).parent / "data"
CST = "UTC+08:00"


def codes(w) -> set[str]:
    return {p.code for p in w.problems}


# ---------------------------------------------------------------------------------------------
# Synthetic files
# ---------------------------------------------------------------------------------------------

def clear_sky_year(lat=30.0, lon=120.0, start="2023-01-01 00:00", hours=8760, centre_min=30):
    """Hourly Haurwitz GHI for rows labelled at the start of each hour (values at +centre_min)."""
    labels = pd.date_range(start, periods=hours, freq="h", tz=CST)
    centres = labels + pd.Timedelta(minutes=centre_min)
    zen = solar_zenith_deg(centres, lat, lon)
    ghi = np.asarray(pvlib.clearsky.haurwitz(pd.Series(zen))["ghi"], float)
    return labels, np.round(ghi, 3)


def write_csv(path: Path, labels, ghi, *, temp=None, header="# latitude: 30.0, longitude: 120.0\n",
              ghi_name="总辐射(W/m2)", extra: dict | None = None) -> Path:
    df = pd.DataFrame({"时间": labels.strftime("%Y-%m-%d %H:%M"), ghi_name: ghi})
    if temp is not None:
        df["温度"] = temp
    for k, v in (extra or {}).items():
        df[k] = v
    path.write_text(header + df.to_csv(index=False), encoding="utf-8")
    return path


def test_plain_csv_chinese_columns_hour_start_labels(tmp_path):
    labels, ghi = clear_sky_year()
    temp = 10 + 10 * np.sin(np.arange(len(labels)) / 24)
    w = read_weather(write_csv(tmp_path / "w.csv", labels, ghi, temp=temp,
                               extra={"风速": np.full(len(labels), 3.0)}))
    # auto: the labels mark the start of each hour, so the index moves to the centre (+30 min)
    assert w.data.index[0] == pd.Timestamp("2023-01-01 00:30", tz=CST)
    assert str(w.data.index.tz) == "UTC+08:00" and len(w.data) == 8760
    assert "weather.label_assumed" in codes(w)
    np.testing.assert_allclose(w.data["ghi"].to_numpy(), ghi)
    np.testing.assert_allclose(w.data["temp_air"].to_numpy(), temp)
    assert (w.data["wind_speed"] == 3.0).all()
    assert abs(noon_offset_h(w)) < 0.05
    # DNI/DHI from the Erbs split: components close on GHI
    assert "weather.split" in codes(w)
    assert closure_ratio(w) == pytest.approx(1.0, abs=0.02)
    assert (w.latitude, w.longitude) == (30.0, 120.0) and w.source_kind == "file"
    assert "w.csv" in w.source


def test_plain_csv_units_and_explicit_label(tmp_path):
    labels, ghi = clear_sky_year()
    mj = ghi * 3600 / 1e6  # hourly irradiation in MJ/m²
    temp_k = np.full(len(labels), 293.15)
    p = write_csv(tmp_path / "mj.csv", labels + pd.Timedelta(hours=1), mj, ghi_name="总辐射(MJ/m2)",
                  extra={"温度(K)": temp_k})
    w = read_weather(p, csv_label="end")
    assert w.data.index[0] == pd.Timestamp("2023-01-01 00:30", tz=CST)
    np.testing.assert_allclose(w.data["ghi"].to_numpy(), ghi, atol=1e-6)  # 1 MJ/m²/h = 277.8 W/m²
    np.testing.assert_allclose(w.data["temp_air"].to_numpy(), 20.0)
    assert "weather.temp_assumed" not in codes(w)


def test_plain_csv_without_unit_and_tiny_values_is_refused(tmp_path):
    labels, ghi = clear_sky_year()
    p = write_csv(tmp_path / "x.csv", labels, ghi / 1000.0, ghi_name="ghi")
    with pytest.raises(InputError) as e:
        read_weather(p)
    assert e.value.code == "weather.units" and "MJ/m2" in e.value.en and "单位" in e.value.zh


def test_plain_csv_no_temperature_no_location(tmp_path):
    labels, ghi = clear_sky_year()
    p = write_csv(tmp_path / "t.csv", labels, ghi, header="")
    with pytest.raises(InputError) as e:
        read_weather(p)
    assert e.value.code == "weather.no_location"
    w = read_weather(p, site_lonlat=(120.0, 30.0))
    assert {"weather.temp_assumed", "weather.location_from_site", "weather.wind_assumed"} <= codes(w)
    assert (w.data["temp_air"] == 20.0).all()
    assert [p.level for p in w.problems if p.code == "weather.temp_assumed"] == ["warning"]


def test_short_gaps_interpolated_long_gaps_from_neighbouring_days(tmp_path):
    labels, ghi = clear_sky_year()
    temp = np.arange(len(labels), dtype=float) % 24  # a sawtooth: interpolation is checkable
    drop = np.zeros(len(labels), bool)
    drop[[100, 101]] = True               # a 2-h gap (rows missing) -> linear interpolation
    drop[4000:4010] = True                # a 10-h gap -> same hour of the neighbouring day
    keep = ~drop
    p = write_csv(tmp_path / "g.csv", labels[keep], ghi[keep], temp=temp[keep])
    w = read_weather(p)
    assert {"weather.gaps_filled", "weather.gaps_long_filled"} <= codes(w)
    t = w.data["temp_air"].to_numpy()
    # hours 99 and 102 hold 3 and 6: the gap gets 4 and 5
    assert t[100] == pytest.approx(4.0) and t[101] == pytest.approx(5.0)
    np.testing.assert_allclose(t[4000:4010], temp[4000:4010])  # same hour a day earlier/later
    np.testing.assert_allclose(w.data["ghi"].to_numpy()[4000:4010], ghi[4000 - 24:4010 - 24], atol=15)
    assert not w.data.isna().any().any()


def test_too_many_missing_or_not_hourly_is_refused(tmp_path):
    labels, ghi = clear_sky_year()
    keep = np.ones(len(labels), bool)
    keep[1000:1000 + 600] = False         # 6.8% missing
    with pytest.raises(InputError) as e:
        read_weather(write_csv(tmp_path / "m.csv", labels[keep], ghi[keep], temp=np.zeros(keep.sum())))
    assert e.value.code == "weather.gaps" and "%" in e.value.en
    half = pd.date_range("2023-01-01", periods=2000, freq="30min", tz=CST)
    with pytest.raises(InputError) as e:
        read_weather(write_csv(tmp_path / "h.csv", half, np.zeros(2000), temp=np.zeros(2000)))
    assert e.value.code == "weather.not_hourly"


def test_missing_file_and_unknown_json(tmp_path):
    with pytest.raises(InputError) as e:
        read_weather(tmp_path / "nope.epw")
    assert e.value.code == "weather.missing_file"
    (tmp_path / "x.json").write_text('{"a": 1}')
    with pytest.raises(InputError) as e:
        read_weather(tmp_path / "x.json")
    assert e.value.code == "weather.format"


# ---------------------------------------------------------------------------------------------
# NREL TMY2 / TMY3 (pvlib's own sample files, shipped with the package)
# ---------------------------------------------------------------------------------------------

def test_tmy3_hour_ending_to_centre(tmp_path):
    src = PVLIB_DATA / "723170TYA.CSV"
    if not src.exists():
        pytest.skip("pvlib sample TMY3 not installed")
    copy = tmp_path / "greensboro.txt"  # dispatch by content, not extension
    shutil.copy(src, copy)
    assert sniff_kind(copy, copy.read_text()) == "tmy3"
    w = read_weather(copy)
    raw, _ = pvlib.iotools.read_tmy3(str(src), map_variables=True)
    assert w.data.index[0] == pd.Timestamp("2023-01-01 00:30", tz="UTC-05:00")  # 01:00 ends hour 1
    assert len(w.data) == 8760
    assert w.annual_ghi_kwh_m2 == pytest.approx(raw["ghi"].sum() / 1000)
    assert w.latitude == pytest.approx(36.1) and w.longitude == pytest.approx(-79.95)
    assert abs(noon_offset_h(w)) < TIME_BASE_WARN_H
    assert "TMY3" in w.source


def test_tmy2_units_and_convention():
    src = PVLIB_DATA / "12839.tm2"
    if not src.exists():
        pytest.skip("pvlib sample TMY2 not installed")
    w = read_weather(src)
    raw, _ = pvlib.iotools.read_tmy2(str(src))
    assert w.data.index[0] == pd.Timestamp("2023-01-01 00:30", tz="UTC-05:00")
    np.testing.assert_allclose(w.data["temp_air"].to_numpy(), raw["DryBulb"].to_numpy() / 10)
    np.testing.assert_allclose(w.data["wind_speed"].to_numpy(), raw["Wspd"].to_numpy() / 10)
    assert w.latitude == pytest.approx(25.8) and "TMY2" in w.source
    assert abs(noon_offset_h(w)) < TIME_BASE_WARN_H


# ---------------------------------------------------------------------------------------------
# PVGIS files (fabricated in PVGIS's formats)
# ---------------------------------------------------------------------------------------------

LAT, LON = 31.2, 121.4


def _pvgis_tmy_frame():
    """8760 UTC hours of a typical year stamped 2010 (like PVGIS: HH:00 UTC)."""
    utc = pd.date_range("2010-01-01 00:00", periods=8760, freq="h", tz="UTC")
    zen = solar_zenith_deg(utc, LAT, LON)
    cs = pvlib.clearsky.haurwitz(pd.Series(zen))["ghi"].to_numpy()
    dni, dhi = 0.6 * cs, 0.4 * cs  # not consistent on purpose: only the mapping is checked
    return pd.DataFrame({"time(UTC)": utc.strftime("%Y%m%d:%H%M"), "T2m": utc.hour.astype(float),
                         "RH": 50.0, "G(h)": np.round(cs, 2), "Gb(n)": np.round(dni, 2),
                         "Gd(h)": np.round(dhi, 2), "IR(h)": 300.0, "WS10m": 2.5, "WD10m": 90.0,
                         "SP": 101000.0})


def write_pvgis_tmy_json(path: Path) -> Path:
    f = _pvgis_tmy_frame()
    obj = {"inputs": {"location": {"latitude": LAT, "longitude": LON, "elevation": 4.0},
                      "meteo_data": {"radiation_db": "PVGIS-ERA5", "year_min": 2005, "year_max": 2020}},
           "outputs": {"months_selected": [{"month": m, "year": 2010} for m in range(1, 13)],
                       "tmy_hourly": json.loads(f.to_json(orient="records"))},
           "meta": {"inputs": {"location": {"description": "Selected location"}}}}
    path.write_text(json.dumps(obj))
    return path


def write_pvgis_tmy_csv(path: Path, offset_h: float = 0.0) -> Path:
    f = _pvgis_tmy_frame()
    head = (f"Latitude (decimal degrees): {LAT}\r\nLongitude (decimal degrees): {LON}\r\n"
            "Elevation (m): 4\r\n")
    if offset_h:
        head += f"Irradiance Time Offset (h): {offset_h}\r\n"
    head += "month,year\r\n" + "".join(f"{m},2010\r\n" for m in range(1, 13))
    tail = "T2m: 2-m air temperature (degree Celsius)\r\nG(h): Global irradiance (W/m2)\r\n"
    path.write_bytes((head + f.to_csv(index=False, lineterminator="\r\n") + tail).encode())
    return path


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_pvgis_tmy_utc_to_local_hour_centres(tmp_path, fmt):
    p = (write_pvgis_tmy_json(tmp_path / "tmy.json") if fmt == "json"
         else write_pvgis_tmy_csv(tmp_path / "tmy.csv"))
    assert sniff_kind(p, p.read_text())[:9] == "pvgis_tmy"
    w = read_weather(p)
    assert str(w.data.index.tz) == "UTC+08:00" and len(w.data) == 8760
    assert w.data.index[0] == pd.Timestamp("2023-01-01 00:00", tz=CST)
    # T2m holds the UTC hour: local label L carries UTC hour (L − 8) mod 24
    local_h = w.data.index.hour.to_numpy()
    np.testing.assert_array_equal(w.data["temp_air"].to_numpy(), (local_h - 8) % 24)
    assert abs(noon_offset_h(w)) < 0.05  # instants kept: radiation stays on solar noon
    assert w.annual_ghi_kwh_m2 == pytest.approx(_pvgis_tmy_frame()["G(h)"].sum() / 1000, rel=1e-9)
    assert "PVGIS" in w.source and "weather.tz_assumed" in codes(w)
    assert "weather.tz_far_west" not in codes(w) and "weather.tz_mismatch" not in codes(w)


def test_pvgis_tmy_csv_irradiance_offset(tmp_path):
    w = read_weather(write_pvgis_tmy_csv(tmp_path / "tmy.csv", offset_h=0.1761))
    assert w.data.index[0] == pd.Timestamp("2023-01-01 00:00", tz=CST) + pd.Timedelta(seconds=634)


def write_pvgis_hourly_json(path: Path, slope=0) -> Path:
    utc = pd.date_range("2020-01-01 00:10", periods=8784, freq="h", tz="UTC")
    zen = solar_zenith_deg(utc, LAT, LON)
    g = np.round(pvlib.clearsky.haurwitz(pd.Series(zen))["ghi"].to_numpy(), 2)
    elev = np.round(90 - zen, 2)
    hourly = pd.DataFrame({"time": utc.strftime("%Y%m%d:%H%M"), "P": 0.0, "Gb(i)": np.round(0.7 * g, 2),
                           "Gd(i)": np.round(0.3 * g, 2), "Gr(i)": 0.0, "H_sun": np.clip(elev, 0, None),
                           "T2m": 15.0, "WS10m": 1.5, "Int": 0})
    obj = {"inputs": {"location": {"latitude": LAT, "longitude": LON, "elevation": 4.0},
                      "meteo_data": {"radiation_db": "PVGIS-SARAH3", "year_min": 2020, "year_max": 2020},
                      "mounting_system": {"fixed": {"slope": {"value": slope, "optimal": False},
                                                    "azimuth": {"value": 0, "optimal": False}}}},
           "outputs": {"hourly": json.loads(hourly.to_json(orient="records"))},
           "meta": {"inputs": {}}}
    path.write_text(json.dumps(obj))
    return path


def test_pvgis_hourly_horizontal_components(tmp_path):
    w = read_weather(write_pvgis_hourly_json(tmp_path / "series.json"))
    d = w.data
    assert d.index[0] == pd.Timestamp("2020-01-01 08:10", tz=CST)  # UTC 00:10 -> +8 h, minutes kept
    assert len(d) == 8784 and "weather.not_one_year" not in codes(w)
    noon = d.index.get_loc(pd.Timestamp("2020-06-21 12:10", tz=CST))
    row = d.iloc[noon]
    assert row["ghi"] == pytest.approx(row["dhi"] / 0.3, rel=1e-3)
    elev = 90 - solar_zenith_deg(d.index[[noon]], LAT, LON)[0]
    assert row["dni"] == pytest.approx(0.7 * row["ghi"] / np.sin(np.radians(elev)), rel=5e-3)
    assert "PVGIS-SARAH3" in w.source


def test_pvgis_hourly_tilted_plane_refused(tmp_path):
    with pytest.raises(InputError) as e:
        read_weather(write_pvgis_hourly_json(tmp_path / "tilt.json", slope=30))
    assert e.value.code == "weather.pvgis_poa" and "slope 0" in e.value.en


# ---------------------------------------------------------------------------------------------
# PVGIS download: never the network in tests
# ---------------------------------------------------------------------------------------------

def _no_network(*a, **k):
    raise AssertionError("the network must not be used")


def test_pvgis_download_is_off_by_default(tmp_path, monkeypatch):
    monkeypatch.setattr(pvlib.iotools, "get_pvgis_tmy", _no_network)
    with pytest.raises(InputError) as e:
        pvgis.fetch_pvgis_tmy(121.4, 31.2, cache_dir=tmp_path)
    assert e.value.code == "pvgis.network_off"
    assert "allow_network" in e.value.en and "联网" in e.value.zh and "weather file" in e.value.en


def test_pvgis_cache_hit_needs_no_network(tmp_path, monkeypatch):
    monkeypatch.setattr(pvlib.iotools, "get_pvgis_tmy", _no_network)
    path = pvgis.cache_path(LON, LAT, tmp_path)
    write_pvgis_tmy_json(path)
    w = pvgis.fetch_pvgis_tmy(121.4012, 31.1996, cache_dir=tmp_path)  # rounds to the same key
    assert w.source_kind == "pvgis" and "cache" in w.source and "pvgis.used" in codes(w)
    assert len(w.data) == 8760 and w.latitude == pytest.approx(LAT)


def test_pvgis_cache_roundtrip_and_default_dir(tmp_path, monkeypatch):
    src = write_pvgis_tmy_json(tmp_path / "src.json")
    data, meta = pvlib.iotools.read_pvgis_tmy(str(src), map_variables=True)
    out = tmp_path / "again.json"
    pvgis.write_cache(data, meta, out)
    a, b = read_weather(src), read_weather(out)
    pd.testing.assert_frame_equal(a.data, b.data)
    monkeypatch.setenv("LINGTAN_CACHE_DIR", str(tmp_path / "c"))
    assert pvgis.default_cache_dir() == tmp_path / "c" / "pvgis"


# ---------------------------------------------------------------------------------------------
# A synthetic EPW (built here with pvlib): the hour convention without ../shared/data
# ---------------------------------------------------------------------------------------------

EPW_LAT, EPW_LON, EPW_ALT = 30.23, 120.16, 42.0  # Hangzhou, China Standard Time (UTC+8)


def write_clear_sky_epw(path: Path) -> tuple[Path, pd.DataFrame]:
    """An EPW whose row (month, day, hour h) holds the mean Ineichen clear-sky GHI/DNI/DHI over
    local standard time (h−1, h] — the EnergyPlus convention (Auxiliary Programs, "Weather
    Converter": data of hour h are for the hour ending at h) — from 5-minute pvlib values at the
    midpoints of the hour's 12 steps. Returns the path and the 5-minute clear sky."""
    loc = pvlib.location.Location(EPW_LAT, EPW_LON, tz="Etc/GMT-8", altitude=EPW_ALT)
    fine = pd.date_range("2005-01-01 00:02:30", periods=8760 * 12, freq="5min", tz="Etc/GMT-8")
    cs = loc.get_clearsky(fine, model="ineichen", linke_turbidity=3.0)
    hourly = cs.to_numpy().reshape(8760, 12, 3).mean(axis=1)  # hour h = steps (h−1)·12 … h·12−1
    hours = pd.date_range("2005-01-01 00:00", periods=8760, freq="h")  # start of each hour
    temp = 17.0 + 10.0 * np.sin(2 * np.pi * (hours.day_of_year.to_numpy() - 105) / 365)
    head = [f"LOCATION,Hangzhou,ZJ,CHN,Synthetic,584570,{EPW_LAT},{EPW_LON},8.0,{EPW_ALT}",
            "DESIGN CONDITIONS,0", "TYPICAL/EXTREME PERIODS,0", "GROUND TEMPERATURES,0",
            "HOLIDAYS/DAYLIGHT SAVINGS,No,0,0,0",
            "COMMENTS 1,synthetic clear-sky year written by tests/test_weather.py",
            "COMMENTS 2,hour h holds the mean of (h-1, h] local standard time",
            "DATA PERIODS,1,1,Data,Sunday, 1/ 1,12/31"]
    rows = []
    for k, t in enumerate(hours):
        g, b, d = hourly[k, 0], hourly[k, 1], hourly[k, 2]  # get_clearsky: ghi, dni, dhi
        rows.append(f"2005,{t.month},{t.day},{t.hour + 1},60,"
                    "?9?9?9?9E0?9?9?9?9?9?9?9?9?9?9?9?9?9?9?9*9*9?9*9*9,"
                    f"{temp[k]:.1f},5.0,60,101300,0,0,300,{g:.3f},{b:.3f},{d:.3f},"
                    "0,0,0,0,90,2.0,0,0,20.0,77777,9,999999999,0,0.0,0,88,0.2,0.0,0.0")
    path.write_text("\n".join(head + rows) + "\n")
    return path, cs


def test_epw_hour_h_is_centred_half_an_hour_before_h(tmp_path):
    """EPW hour h covers (h−1, h]: the reader puts its values at h−0.5 (docs/weather.md). On a
    clear-sky file made here, the value read at each timestamp must be pvlib's clear sky at that
    instant — a half-hour shift moves every morning and evening hour by ~100 W/m²."""
    p, _ = write_clear_sky_epw(tmp_path / "CHN_Synthetic.Hangzhou.584570_clear.epw")
    w = read_weather(p)
    d = w.data
    assert len(d) == 8760 and str(d.index.tz) == "UTC+08:00"
    assert d.index[0] == pd.Timestamp("2023-01-01 00:30", tz=CST)  # hour 1 = 00:00–01:00
    assert d.index[-1] == pd.Timestamp("2023-12-31 23:30", tz=CST)  # hour 24 of 31 Dec
    # pvlib's instantaneous clear sky at the reader's timestamps (the file's year is 2005; the
    # reader sets typical years to 2023: the sun differs by < 0.1° between the two)
    loc = pvlib.location.Location(EPW_LAT, EPW_LON, altitude=EPW_ALT)
    stamps = d.index.tz_convert("Etc/GMT-8").map(lambda t: t.replace(year=2005))
    inst = loc.get_clearsky(pd.DatetimeIndex(stamps), model="ineichen", linke_turbidity=3.0)
    ghi, ref = d["ghi"].to_numpy(), inst["ghi"].to_numpy()
    day = ref > 50.0
    # hour mean vs its mid-hour value: measured max 9.0 W/m², mean 2.1 W/m² (curvature of the
    # day's arc); read at the hour's start or end instead: max 118 W/m², mean 72 W/m²
    assert np.abs(ghi[day] - ref[day]).max() < 15.0
    assert np.abs(ghi[day] - ref[day]).mean() < 3.0
    # daytime DNI: measured −0.5% (a half-hour shift: −2.0%)
    np.testing.assert_allclose(d["dni"].to_numpy()[day].sum(), inst["dni"].to_numpy()[day].sum(), rtol=0.01)
    # the energy-weighted solar hour angle of the year is 0 (symmetric about solar noon, hand
    # rule: 15°/h, with the equation of time from pvlib): measured −0.004°; a half-hour shift
    # makes it ±7.5°
    eot = pvlib.solarposition.equation_of_time_spencer71(d.index.day_of_year)
    ha = pvlib.solarposition.hour_angle(d.index, EPW_LON, eot)
    assert abs(float(np.sum(ghi * ha) / ghi.sum())) < 0.5
    # the columns kept their values and the header its site
    assert (w.latitude, w.longitude, w.altitude_m) == (EPW_LAT, EPW_LON, EPW_ALT)
    assert w.annual_ghi_kwh_m2 == pytest.approx(pd.read_csv(p, skiprows=8, header=None)[13].sum() / 1000)


# ---------------------------------------------------------------------------------------------
# Real EPW files from ../shared/data/weather (SOURCES.md table)
# ---------------------------------------------------------------------------------------------

def epw(name: str) -> Path:
    return shared("weather", name)


@pytest.mark.parametrize("name, ghi", [
    ("CHN_Sichuan.Chengdu.562940_CSWD.epw", 900), ("CHN_Tibet.Lhasa.555910_CSWD.epw", 2033),
    ("CHN_Beijing.Beijing.545110_IWEC.epw", 1396), ("CHN_Chongqing.Chongqing.Shapingba.575160_CSWD.epw", 848),
    ("Shanghai-Hongqiao_1956_2023_TMYx.epw", 1471),
])
def test_epw_annual_ghi_matches_sources_table(name, ghi):
    w = read_weather(epw(name))
    assert w.annual_ghi_kwh_m2 == pytest.approx(ghi, rel=0.01)
    assert len(w.data) == 8760 and not w.data.isna().any().any()
    assert w.data.index[0] == pd.Timestamp("2023-01-01 00:30", tz=CST)  # EPW hour 1 = 00:00–01:00
    assert w.data.index[-1] == pd.Timestamp("2023-12-31 23:30", tz=CST)


def test_epw_hour_centres_symmetric_on_clear_day_beijing_iwec():
    w = read_weather(epw("CHN_Beijing.Beijing.545110_IWEC.epw"))
    d = w.data["ghi"]
    june = d[d.index.month == 6]
    clear = june.groupby(june.index.day).sum().idxmax()
    day = june[june.index.day == clear]
    from gis.solar.weather import solar_hour_angle_h
    ha = solar_hour_angle_h(day.index, w.longitude)
    assert abs(float(np.sum(day * ha) / day.sum())) < 0.15  # centred on solar noon within 9 min
    assert abs(noon_offset_h(w)) < 0.1  # SOURCES.md: 0.0


def test_epw_source_line_and_reader_speed():
    t0 = time.perf_counter()
    w = read_weather(epw("CHN_Sichuan.Chengdu.562940_CSWD.epw"))
    assert time.perf_counter() - t0 < 0.5
    assert "CHN_Sichuan.Chengdu.562940_CSWD.epw" in w.source and "CSWD" in w.source and "562940" in w.source
    assert w.altitude_m == pytest.approx(506.1)
    tmyx = read_weather(epw("CHN_JS_Suzhou.583580_TMYx.epw"))
    assert "TMYx" in tmyx.source and "weather.tmyx_bias" in codes(tmyx)


def test_time_base_flags_exactly_the_offset_cswd_files():
    """SOURCES.md: 15 CSWD files at +0.9…+1.45 h plus Shantou at +0.79; the others ≤ +0.55."""
    folder = shared("weather")
    flagged, offsets = [], {}
    for f in sorted(folder.glob("*.epw")):
        w = read_weather(f)
        offsets[f.name] = noon_offset_h(w)
        if "weather.time_base" in codes(w):
            flagged.append(f.name.split(".")[-2].split("_")[0])
    print("\nflagged (WMO):", sorted(flagged))
    expected = {"588470", "593160", "579570", "578160", "597580", "545390", "501360", "582380", "541610",
                "546620", "535430", "536140", "570360", "561960", "517090", "567780"}
    assert set(flagged) == expected
    good = [v for k, v in offsets.items() if k.split(".")[-2].split("_")[0] not in expected]
    bad = [offsets[k] for k in offsets if k.split(".")[-2].split("_")[0] in expected]
    assert max(good) < TIME_BASE_WARN_H - 0.1 and min(bad) > TIME_BASE_WARN_H + 0.05


def test_guilin_flagged_and_corrected_lhasa_not():
    g = read_weather(epw("CHN_Guangxi.Zhuang.Guilin.579570_CSWD.epw"))
    assert noon_offset_h(g) == pytest.approx(1.45, abs=0.02)
    warn = [p for p in g.problems if p.code == "weather.time_base"]
    assert warn and warn[0].level == "warning" and "+1.4" in warn[0].en and "正午" in warn[0].zh
    c = correct_time_base(g)
    assert noon_offset_h(c) == pytest.approx(0.45, abs=0.02)
    assert "weather.time_base" not in codes(c) and "weather.time_base_corrected" in codes(c)
    assert "time-base correction" in c.source
    np.testing.assert_allclose(c.data["ghi"].to_numpy(), np.roll(g.data["ghi"].to_numpy(), -1))
    np.testing.assert_allclose(c.data["temp_air"].to_numpy(), g.data["temp_air"].to_numpy())
    assert c.annual_ghi_kwh_m2 == pytest.approx(g.annual_ghi_kwh_m2)
    auto = read_weather(epw("CHN_Guangxi.Zhuang.Guilin.579570_CSWD.epw"), fix_time_base=True)
    pd.testing.assert_frame_equal(auto.data, c.data)

    lhasa = read_weather(epw("CHN_Tibet.Lhasa.555910_CSWD.epw"))
    assert noon_offset_h(lhasa) == pytest.approx(0.49, abs=0.02)
    assert "weather.time_base" not in codes(lhasa)
    same = correct_time_base(lhasa)  # safe on a well-timed file: unchanged
    pd.testing.assert_frame_equal(same.data, lhasa.data)


def test_closure_warning_and_restore_lhasa():
    w = read_weather(epw("CHN_Tibet.Lhasa.555910_CSWD.epw"))
    assert closure_ratio(w) == pytest.approx(0.84, abs=0.01)
    assert "weather.closure" in codes(w)
    r = restore_closure(w)
    assert closure_ratio(r) == pytest.approx(1.0, abs=0.01)
    assert "weather.closure" not in codes(r) and "weather.closure_restored" in codes(r)
    np.testing.assert_allclose(r.data["ghi"], w.data["ghi"])
    np.testing.assert_allclose(r.data["dhi"], w.data["dhi"])
    ok = read_weather(epw("CHN_Sichuan.Chengdu.562940_CSWD.epw"))
    assert "weather.closure" not in codes(ok)


def test_nanjing_header_latitude_fixed_and_western_time_zone_noted():
    n = read_weather(epw("CHN_Jiangsu.Nanjing.582380_CSWD.epw"))
    assert n.latitude == pytest.approx(31.93) and "weather.header_fixed" in codes(n)
    k = read_weather(epw("CHN_Xinjiang.Uygur.Kashi.517090_CSWD.epw"))
    tz = [p for p in k.problems if p.code == "weather.tz_far_west"]
    assert tz and tz[0].level == "info"  # UTC+8 in Kashgar is legal time, not an error
    assert "weather.tz_mismatch" not in codes(k)


def test_site_distance_checks():
    f = epw("CHN_Sichuan.Chengdu.562940_CSWD.epw")
    assert "weather.site_far" not in codes(read_weather(f, site_lonlat=(104.07, 30.66)))
    near = read_weather(f, site_lonlat=(104.73, 31.45))  # Mianyang, ~110 km
    far = [p for p in near.problems if p.code == "weather.site_far"]
    assert far and far[0].level == "warning" and "km" in far[0].en
    with pytest.raises(InputError) as e:
        read_weather(f, site_lonlat=(121.47, 31.23))  # Shanghai, ~1,650 km
    assert e.value.code == "weather.site_too_far"
    assert "Chengdu" in e.value.en and "km away" in e.value.en and "相距" in e.value.zh
    w = read_weather(f)
    assert check_site(w, 104.02, 30.67) == []
    assert [p.level for p in check_site(w, 121.47, 31.23)] == ["error"]


def test_pvgis_epw_output_detected_as_pvgis_and_moved_from_utc(tmp_path):
    src = epw("CHN_Tibet.Lhasa.555910_CSWD.epw")
    lines = src.read_text().splitlines(keepends=True)
    lines[0] = "LOCATION,unknown,-,unknown,ECMWF/ERA,unknown,29.670,91.130,0,3649.0\n"  # TZ 0
    lines[5] = "COMMENTS 1,PVGIS-ERA5 TMY from JRC\n"
    # make the data really UTC: values 8 h earlier than Lhasa's Beijing-time stamps
    stamps = [r.split(",")[:5] for r in lines[8:]]
    values = [r.split(",")[5:] for r in lines[8:]]
    values = values[8:] + values[:8]
    lines[8:] = [",".join(a + b) for a, b in zip(stamps, values, strict=True)]
    p = tmp_path / "tmy_29.670_91.130_2005_2020.epw"
    p.write_text("".join(lines))
    w = read_weather(p)
    assert "PVGIS" in w.source and w.annual_ghi_kwh_m2 == pytest.approx(2033, rel=0.01)
    assert str(w.data.index.tz) == "UTC+08:00" and "weather.tz_assumed" in codes(w)
    lhasa = read_weather(src)  # moved from UTC to Beijing time: back on Lhasa's own hours
    np.testing.assert_allclose(w.data["ghi"].to_numpy(), lhasa.data["ghi"].to_numpy())
    # the same file read as if its (local) values were UTC is 8 h off: refused as a wrong time zone
    q = tmp_path / "tmy_29.670_91.130_2005_2020_local.epw"
    q.write_text(src.read_text().replace(src.read_text().splitlines()[0], lines[0].strip(), 1)
                 .replace(src.read_text().splitlines()[5], lines[5].strip(), 1))
    with pytest.raises(InputError) as e:
        read_weather(q)
    assert "time zone" in e.value.en and "时区" in e.value.zh
