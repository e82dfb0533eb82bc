"""Time axes, user series and generation series of gis.energy, against hand calculations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.energy.generation import scale_to_months, weibull_wind_series, wind_series
from gis.energy.series import fit_to_axis, place_on_year, read_series_csv, to_step, year_index
from gis.errors import InputError
from gis.solar.weather_types import Weather


def _typical_hours() -> pd.DatetimeIndex:
    """A typical year whose months come from different years (as TMY files do), 8,760 hours."""
    parts = []
    for m in range(1, 13):
        y = 2005 + m  # each month from another year; none is a leap February (2007)
        start = pd.Timestamp(y, m, 1)
        parts.append(pd.date_range(start, start + pd.offsets.MonthBegin(1), freq="h", inclusive="left"))
    return parts[0].append(parts[1:])


def test_year_index_lengths():
    assert len(year_index(2025, 1.0)) == 8760
    assert len(year_index(2024, 1.0)) == 8784
    assert len(year_index(2025, 0.25)) == 35040
    assert year_index(2025, 0.5)[1] == pd.Timestamp("2025-01-01 00:30")
    with pytest.raises(InputError):
        year_index(2025, 0.2)


def test_place_on_year_by_month_day_hour_and_leap_day():
    hours = _typical_hours()
    assert len(hours) == 8760
    code = (hours.month * 100 + hours.day) * 100 + hours.hour  # the value says where it came from
    placed = place_on_year(code.to_numpy(float), hours, 2024)
    target = year_index(2024)
    assert len(placed) == 8784
    # 2024-03-01 10:00 takes the typical year's 1 March 10:00
    i = target.get_loc(pd.Timestamp("2024-03-01 10:00"))
    assert placed[i] == 30110
    # 29 February (absent from the typical year) repeats 28 February
    j = target.get_loc(pd.Timestamp("2024-02-29 07:00"))
    assert placed[j] == 22807


def test_to_step_keeps_each_hours_energy():
    kw = np.array([4.0, 8.0])
    q = to_step(kw, 0.25)
    assert q.tolist() == [4.0] * 4 + [8.0] * 4
    assert q.sum() * 0.25 == pytest.approx(kw.sum() * 1.0)


def test_read_series_csv_with_offset(tmp_path):
    f = tmp_path / "pv.csv"
    times = pd.date_range("2025-01-01", periods=8760, freq="h")
    pd.DataFrame({"time": [t.strftime("%Y-%m-%dT%H:%M:%S+08:00") for t in times], "kw": np.arange(8760.0)}
                 ).to_csv(f, index=False)
    s = read_series_csv(f)
    assert s.dt_h == 1.0 and s.index[0] == pd.Timestamp("2025-01-01 00:00")
    assert s.kwh == pytest.approx(sum(range(8760)))


def test_read_series_csv_refuses_gaps_and_watts(tmp_path):
    f = tmp_path / "gap.csv"
    f.write_text("time,kw\n2025-01-01 00:00,1\n2025-01-01 01:00,1\n2025-01-01 03:00,1\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_series_csv(f)
    assert "2025-01-01 01:00" in e.value.en
    g = tmp_path / "watts.csv"
    g.write_text("time,kw\n2025-01-01 00:00,5e10\n2025-01-01 01:00,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="10 GW"):
        read_series_csv(g)


def test_fit_to_axis_places_another_years_hourly_series_on_a_quarter_hour_axis(tmp_path):
    f = tmp_path / "wind.csv"
    times = pd.date_range("2019-01-01", periods=8760, freq="h")
    pd.DataFrame({"time": times, "kw": np.where(times.hour == 3, 100.0, 0.0)}).to_csv(f, index=False)
    axis = year_index(2025, 0.25)
    kw = fit_to_axis(read_series_csv(f), axis, 0.25, what_zh="风电", what_en="wind")
    assert len(kw) == 35040
    # 100 kW held over the four quarters of 03:00 every day: 365 days × 100 kWh
    assert kw.sum() * 0.25 == pytest.approx(365 * 100.0)
    assert kw[axis.get_loc(pd.Timestamp("2025-06-01 03:45"))] == 100.0


def test_scale_to_months_gives_the_months_exactly():
    month = np.repeat(np.arange(12), 730)
    shape = np.tile(np.r_[np.zeros(365), np.ones(365)], 12)
    monthly = np.arange(1, 13) * 1000.0
    out = scale_to_months(shape, month, monthly)
    assert np.bincount(month, weights=out).tolist() == pytest.approx(monthly.tolist())


def _weather(v10: float) -> Weather:
    idx = pd.date_range("2023-01-01 00:30", periods=8760, freq="h", tz="Etc/GMT-8")
    data = pd.DataFrame({"ghi": 0.0, "dni": 0.0, "dhi": 0.0, "temp_air": 15.0, "wind_speed": v10}, index=idx)
    return Weather(data, 30.0, 120.0, 0.0, "test weather", "file")


def _toy_curve():
    from gis.wind.turbines import PowerCurve

    # 0 kW at 3 m/s rising linearly to 1,000 kW at 13 m/s, flat to cut-out at 25 m/s
    return PowerCurve(speed_ms=np.array([3.0, 13.0, 25.0]), power_kw=np.array([0.0, 1000.0, 1000.0]),
                      cut_in_ms=3.0, cut_out_ms=25.0, ct_speed_ms=np.array([3.0, 25.0]),
                      ct=np.array([0.8, 0.1]))


def test_wind_series_against_a_hand_calculation():
    from gis.wind.resource import Shear

    s = wind_series(_toy_curve(), hub_height_m=100.0, n_turbines=2, weather=_weather(5.0), year=2025,
                    shear=Shear("power", 0.2, "α 0.2"))
    v_hub = 5.0 * (100.0 / 10.0) ** 0.2  # 7.924 m/s
    kw = 2 * (v_hub - 3.0) / 10.0 * 1000.0  # 984.8 kW
    assert s.kw == pytest.approx(np.full(8760, kw))
    scaled = wind_series(_toy_curve(), hub_height_m=100.0, n_turbines=2, weather=_weather(5.0), year=2025,
                         shear=Shear("power", 0.2, "α 0.2"), net_kwh_yr=5e6)
    assert scaled.kwh == pytest.approx(5e6)


def test_weibull_wind_series_keeps_the_weibull_mean():
    from math import gamma

    s = weibull_wind_series(_toy_curve(), A=7.0, k=2.0, n_turbines=1, year=2025)
    assert s.problems and s.problems[0].code == "energy.wind_synthetic"
    assert 0 < s.kwh < 8760 * 1000
    with pytest.raises(InputError):
        weibull_wind_series(_toy_curve(), A=float("inf"), k=2.0, n_turbines=1, year=2025)
    assert 7.0 * gamma(1.5) == pytest.approx(6.2036, abs=1e-3)  # the mean the series is scaled to


def test_rooftop_hours_sum_to_each_buildings_months_and_are_dark_at_night():
    """The hourly park total (one einsum over orientation classes) against the per-building monthly
    kWh summed (bincounts per building), and zero whenever pvlib puts the sun below the horizon."""
    import pvlib

    from app.pv import site_rooftop_pv
    from gis.energy.generation import rooftop_series, weather_hours
    from gis.park import load_sample_park
    from gis.solar.rooftop import MONTH_COLUMNS, PVSettings

    park = load_sample_park()
    r = site_rooftop_pv(park.buildings, PVSettings())
    monthly_buildings = r.buildings[MONTH_COLUMNS].to_numpy().sum(axis=0)
    hours = weather_hours(r.weather)
    hourly_month = np.bincount(hours.month - 1, weights=r.hourly_kwh, minlength=12)
    assert hourly_month == pytest.approx(monthly_buildings, rel=1e-9)
    w = r.weather
    pos = pvlib.solarposition.get_solarposition(w.data.index, w.latitude, w.longitude)
    night = (pos["elevation"] < -2).to_numpy()
    assert night.sum() > 3000 and np.all(r.hourly_kwh[night] == 0)
    s = rooftop_series(r, 2025)
    assert s.kwh == pytest.approx(r.totals["kwh_yr"], rel=1e-6)


def test_a_whole_years_series_fits_an_analysis_of_part_of_the_year(tmp_path):
    """Meter data from 1 March: an hourly PV year is cut at March, not taken from January."""
    f = tmp_path / "pv.csv"
    times = pd.date_range("2025-01-01", periods=8760, freq="h")
    pd.DataFrame({"time": times, "kw": times.month.to_numpy(float)}).to_csv(f, index=False)
    axis = pd.date_range("2025-03-01", "2025-04-01", freq="15min", inclusive="left")
    kw = fit_to_axis(read_series_csv(f), axis, 0.25, what_zh="光伏", what_en="PV")
    assert len(kw) == len(axis) and set(kw) == {3.0}
