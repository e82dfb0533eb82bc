"""The offline default weather for any site in China: no file, no network.

``default_weather(lon, lat)`` builds an hourly year from the monthly station table
``resources/solar/china_climatology.csv`` (44 CSWD stations; regenerate it with
``resources/solar/make_climatology.py``):

1. Monthly clearness index Kt = GHI / H0 at each station (H0: extraterrestrial irradiation on a
   horizontal surface, Duffie & Beckman 2013 eq. 1.10.3, summed over the days of the month), so
   interpolating between stations at different latitudes does not carry their latitude with it.
2. Regions: the cloudy south-west (Sichuan basin, Chongqing and Guizhou; China's lowest sunshine)
   and the Qinghai–Tibet plateau are polygons (``REGION_CLOUDY``, ``REGION_PLATEAU``). A site uses
   only the stations of its own region, so Chengdu's 900 kWh/m² does not leak into Kunming nor
   Lhasa's 2,033 into the lowlands; a region without a station left falls back to the others, with
   a warning.
3. Kt per month = a linear trend in lon, lat and altitude fitted over the region's stations (when it
   has ≥ ``TREND_MIN_STATIONS``; in practice the large "other" region) + inverse-distance weighting
   (great-circle distance, power ``IDW_POWER``, the ``IDW_NEIGHBOURS`` nearest) of the stations'
   residuals. The trend's altitude term is the fitted altitude relation of clearness (≈ +0.05 Kt per
   km over the year, +0.10 in winter, ~0 in summer: docs/weather.md). Diffuse fraction: a cubic
   fit on Kt over all station-months plus IDW of the stations' departures from it.
4. Air temperature is reduced to sea level with the standard-atmosphere lapse rate (−6.5 °C/km,
   ICAO/ISO 2533), interpolated, and brought back to the site altitude (given, or the IDW of the
   stations' altitudes: said in problems). Wind: IDW of the stations' annual means, constant.
5. The hourly year: Ineichen–Perez clear-sky GHI (constant Linke turbidity ``LINKE_TURBIDITY``;
   pvlib's monthly Linke table needs h5py, which is not installed), each day scaled to a daily
   clearness index that varies about the monthly Kt with the stations' interpolated day-to-day
   standard deviation (a fixed seeded sequence), capped at a clean-air clear sky, then each month
   scaled so its GHI equals the interpolated figure exactly; split with Erbs et al. (1982) and
   rescaled so each month's diffuse fraction matches; DNI from closure.
   Temperature: monthly mean plus a cosine diurnal cycle with the stations' monthly mean daily
   range, peaking at 15:00 solar time.

The result is a typical year at the hour-centre convention of :class:`Weather` (labels 00:30 …
23:30, UTC+8 by default), source_kind "climatology". See docs/weather.md for the leave-one-out
validation against the stations' own files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pvlib

from gis.errors import InputError, Problem
from gis.paths import resources_dir
from gis.solar.weather import CHINA_BBOX, great_circle_km, in_china_bbox, solar_hour_angle_h
from gis.solar.weather_types import Weather

TABLE = "solar/china_climatology.csv"

IDW_NEIGHBOURS = 4
"""Stations mixed per site (the nearest of its region); a common choice, not tuned: leave-one-out
with 3 or 6 gives a median yield error of 7.0 or 7.2% against 7.7% with 4 (docs/weather.md)."""

IDW_POWER = 2.0
"""Inverse-distance power (Shepard 1968's usual choice)."""

LAPSE_RATE_C_PER_M = -0.0065
"""Air-temperature lapse rate, °C per m: ICAO standard atmosphere (ISO 2533:1975)."""

USE_TREND = True
"""Interpolate Kt as a monthly linear trend in lon, lat and altitude plus IDW of the residuals
(detrended IDW). Leave-one-out over the 44 stations: annual-GHI RMS error 8.2% (plain IDW 8.9%),
median PV-yield error 7.7% (plain IDW 9.6%); docs/weather.md."""

TREND_MIN_STATIONS = 10
"""Fewest stations to fit the 4-parameter monthly trend on (else plain IDW)."""

KT_MIN, KT_MAX = 0.10, 0.80
"""Bounds of the monthly clearness index (the stations span 0.13–0.79)."""

LINKE_TURBIDITY = 3.0
"""Linke turbidity of the clear-sky *shape* (scaled to the monthly totals afterwards, so only the
daily profile depends on it). ~3 is a typical mid-latitude continental value (Remund et al. 2003)."""

CLEAR_SKY_CEILING = 1.0
CEILING_LINKE_TURBIDITY = 2.0
"""Hourly GHI is capped at CLEAR_SKY_CEILING × Ineichen clear sky with Linke turbidity 2 (very clean,
dry air; Remund et al. 2003 list ~2 for clean high-altitude sites); excess is spread over the
month's other daylight hours."""

DAY_TO_DAY = True
"""Vary the days within each month (daily clearness index = monthly mean ± the stations'
interpolated day-to-day standard deviation) instead of repeating one average day."""

DAY_SEQUENCE_SEED = 20230101
"""Seed of the fixed sequence of daily deviates (the same for every site and run)."""

TEMP_PEAK_SOLAR_H = 15.0
"""Solar hour of the daily temperature maximum (typical continental value, e.g. Parton & Logan 1981
report maxima 1.5–2.5 h after solar noon)."""

REGION_CLOUDY = np.array([
    # The Sichuan basin (四川盆地, incl. Chongqing) and the Guizhou plateau: China's lowest-sunshine
    # region (annual GHI < ~1,050 kWh/m², the "一般" class of the CMA solar-resource zoning). Bounded
    # by the Longmen/Qionglai mountains (W), Daba and Qinling (N), Wushan/Wuling (E), the Nanling
    # foothills (S) and, towards sunny Yunnan, the Yunnan–Guizhou border where the Kunming
    # quasi-stationary front sits in winter. Rough outline from relief maps, lon/lat degrees.
    (102.7, 29.3), (102.9, 30.3), (103.5, 31.2), (104.5, 31.9), (105.4, 32.5), (106.6, 32.4),
    (107.8, 31.9), (108.8, 31.3), (109.6, 30.4), (109.4, 29.0), (109.6, 27.8), (109.4, 26.3),
    (108.6, 25.5), (107.2, 25.0), (105.6, 24.8), (104.5, 25.0), (104.2, 26.2), (104.4, 27.4),
    (103.8, 28.0), (103.4, 28.6),
])
REGION_PLATEAU = np.array([
    # Qinghai–Tibet plateau (青藏高原) proper, mostly above ~3,000 m, incl. the Qaidam basin; the NE
    # edge follows the Riyue/Laji mountains, so the Huangshui valley (Xining, ~2,300 m, a Loess-
    # Plateau-like valley climate) is left outside. Rough outline, lon/lat degrees.
    (73.5, 38.8), (75.5, 37.2), (78.0, 35.9), (80.5, 36.1), (84.0, 36.3), (87.0, 36.6), (90.0, 37.8),
    (94.0, 38.7), (97.0, 39.1), (99.0, 38.4), (100.6, 37.4), (101.0, 36.4), (101.6, 35.6),
    (102.8, 34.6), (103.6, 33.2), (103.2, 31.9), (102.5, 30.4), (102.2, 28.4), (100.9, 27.3),
    (99.0, 27.1), (97.4, 28.2), (95.5, 28.9), (92.0, 27.7), (89.0, 27.3), (86.0, 27.9), (82.0, 29.8),
    (80.0, 30.4), (78.6, 32.4), (75.0, 35.4),
])


@dataclass(frozen=True)
class StationTable:
    """The monthly station table as arrays (one row per station)."""

    frame: pd.DataFrame
    lon: np.ndarray
    lat: np.ndarray
    alt: np.ndarray
    wmo: np.ndarray
    region: np.ndarray          # "cloudy" | "plateau" | "other"
    ghi: np.ndarray             # (n, 12) kWh/m²
    kt: np.ndarray              # (n, 12) monthly clearness index
    temp_sl: np.ndarray         # (n, 12) °C reduced to sea level
    temp_range: np.ndarray      # (n, 12) °C, mean daily max − min
    dhi_frac: np.ndarray        # (n, 12) ΣDHI/ΣGHI
    kt_day_sd: np.ndarray       # (n, 12) standard deviation of the daily clearness index
    wind: np.ndarray            # (n,) m/s annual mean


@lru_cache(maxsize=1)
def station_table() -> StationTable:
    """Load ``resources/solar/china_climatology.csv`` (cached)."""
    path = resources_dir() / TABLE
    if not path.is_file():
        raise InputError(f"缺少内置气候表：{path}", f"the built-in climatology table is missing: {path}",
                         path=str(path), code="climatology.missing")
    f = pd.read_csv(path, dtype={"wmo": str})
    ghi = f[[f"ghi_kwh_m2_m{m:02d}" for m in range(1, 13)]].to_numpy(float)
    temp = f[[f"temp_air_c_m{m:02d}" for m in range(1, 13)]].to_numpy(float)
    rng = f[[f"temp_range_c_m{m:02d}" for m in range(1, 13)]].to_numpy(float)
    dfr = f[[f"dhi_frac_m{m:02d}" for m in range(1, 13)]].to_numpy(float)
    ksd = f[[f"kt_day_sd_m{m:02d}" for m in range(1, 13)]].to_numpy(float)
    lon, lat, alt = (f[c].to_numpy(float) for c in ("lon", "lat", "altitude_m"))
    h0 = np.stack([monthly_h0_kwh_m2(x) for x in lat])
    region = np.array([site_region(x, y) for x, y in zip(lon, lat, strict=True)])
    return StationTable(frame=f, lon=lon, lat=lat, alt=alt, wmo=f["wmo"].to_numpy(str), region=region,
                        ghi=ghi, kt=ghi / h0, temp_sl=temp - LAPSE_RATE_C_PER_M * alt[:, None],
                        temp_range=rng, dhi_frac=dfr, kt_day_sd=ksd,
                        wind=f["wind_speed_ms"].to_numpy(float))


# ---------------------------------------------------------------------------------------------
# Geometry helpers
# ---------------------------------------------------------------------------------------------

_DAYS = pd.date_range("2023-01-01", "2023-12-31", freq="D")  # a non-leap year for the monthly H0


def monthly_h0_kwh_m2(lat: float) -> np.ndarray:
    """Extraterrestrial irradiation on a horizontal surface per month, kWh/m² (non-leap year)."""
    h0 = daily_h0_kwh_m2(lat, _DAYS.day_of_year.to_numpy())
    return np.bincount(_DAYS.month.to_numpy() - 1, weights=h0, minlength=12)


def daily_h0_kwh_m2(lat: float, day_of_year: np.ndarray) -> np.ndarray:
    """Daily extraterrestrial irradiation on a horizontal surface, kWh/m².

    Duffie & Beckman, Solar Engineering of Thermal Processes (4th ed. 2013), eq. 1.10.3 with
    Cooper's declination (eq. 1.6.1a) and the eccentricity factor 1 + 0.033 cos(360 n/365).
    """
    n = np.asarray(day_of_year, float)
    phi = np.radians(lat)
    dec = np.radians(23.45 * np.sin(np.radians(360.0 * (284 + n) / 365.0)))
    ws = np.arccos(np.clip(-np.tan(phi) * np.tan(dec), -1.0, 1.0))
    gsc = 1367.0  # W/m², solar constant used by Duffie & Beckman
    h0 = (24 * 3600 * gsc / np.pi * (1 + 0.033 * np.cos(np.radians(360.0 * n / 365.0)))
          * (np.cos(phi) * np.cos(dec) * np.sin(ws) + ws * np.sin(phi) * np.sin(dec)))  # J/m² per day
    return h0 / 3.6e6


def _in_polygon(lon: float, lat: float, poly: np.ndarray) -> bool:
    """Even–odd rule point-in-polygon (lon/lat treated as plane coordinates)."""
    x, y = poly[:, 0], poly[:, 1]
    x2, y2 = np.roll(x, -1), np.roll(y, -1)
    crosses = ((y > lat) != (y2 > lat)) & (lon < (x2 - x) * (lat - y) / np.where(y2 == y, 1e-12, y2 - y) + x)
    return bool(np.count_nonzero(crosses) % 2)


def site_region(lon: float, lat: float) -> str:
    """"cloudy" (Sichuan basin + Guizhou), "plateau" (Qinghai–Tibet) or "other"."""
    if _in_polygon(lon, lat, REGION_CLOUDY):
        return "cloudy"
    if _in_polygon(lon, lat, REGION_PLATEAU):
        return "plateau"
    return "other"


# ---------------------------------------------------------------------------------------------
# Interpolation
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Mix:
    """Stations and weights used for one site."""

    rows: np.ndarray      # row positions in the station table
    weights: np.ndarray   # sum to 1
    region: str
    fallback: bool        # True when the site's region had no station left


def nearest_stations(lon: float, lat: float, n: int = IDW_NEIGHBOURS, *,
                     exclude_wmo: set | None = None, region_aware: bool = True) -> pd.DataFrame:
    """The stations that would be mixed for a site: name, wmo, distance_km, weight (region-aware)."""
    t = station_table()
    mix = _mix(t, lon, lat, n, exclude_wmo, region_aware)
    d = great_circle_km(lon, lat, t.lon[mix.rows], t.lat[mix.rows])
    out = t.frame.iloc[mix.rows][["station", "station_zh", "wmo", "lat", "lon", "altitude_m"]].copy()
    out["distance_km"] = np.round(np.atleast_1d(d), 1)
    out["weight"] = np.round(mix.weights, 3)
    return out.reset_index(drop=True)


def _mix(t: StationTable, lon: float, lat: float, n: int, exclude_wmo: set | None,
         region_aware: bool = True) -> Mix:
    ok = np.ones(len(t.lon), bool)
    if exclude_wmo:
        ok &= ~np.isin(t.wmo, [str(w) for w in exclude_wmo])
    region = site_region(lon, lat)
    fallback = False
    if region_aware:
        same = ok & (t.region == region)
        if same.any():
            ok = same
        else:
            fallback = True
            ok &= t.region == "other"
    rows = np.flatnonzero(ok)
    d = np.atleast_1d(great_circle_km(lon, lat, t.lon[rows], t.lat[rows]))
    order = np.argsort(d)[:n]
    rows, d = rows[order], d[order]
    if d[0] < 1.0:  # at a station: that station alone
        return Mix(rows[:1], np.ones(1), region, fallback)
    w = 1.0 / d ** IDW_POWER
    return Mix(rows, w / w.sum(), region, fallback)


@dataclass(frozen=True)
class SiteMonthly:
    """Interpolated monthly figures for a site."""

    ghi_kwh_m2: np.ndarray    # (12,)
    kt: np.ndarray            # (12,)
    temp_air_c: np.ndarray    # (12,)
    temp_range_c: np.ndarray  # (12,)
    dhi_frac: np.ndarray      # (12,)
    kt_day_sd: np.ndarray     # (12,) day-to-day standard deviation of the clearness index
    wind_ms: float
    altitude_m: float
    altitude_estimated: bool
    mix: Mix
    trend: bool               # a lon/lat/altitude trend was used (see TREND_MIN_STATIONS)


def _design(lon, lat, alt_m) -> np.ndarray:
    """Trend design matrix rows [1, lon, lat, altitude km]."""
    lon, lat, alt_m = (np.atleast_1d(np.asarray(v, float)) for v in (lon, lat, alt_m))
    return np.column_stack([np.ones(len(lon)), lon, lat, alt_m / 1000.0])


def _trend_coef(t: StationTable, rows: np.ndarray) -> np.ndarray:
    """Least-squares monthly trend of Kt on lon, lat and altitude over ``rows``: (4, 12)."""
    coef, *_ = np.linalg.lstsq(_design(t.lon[rows], t.lat[rows], t.alt[rows]), t.kt[rows], rcond=None)
    return coef


def _candidates(t: StationTable, region: str, exclude_wmo: set | None) -> np.ndarray:
    ok = np.ones(len(t.lon), bool)
    if exclude_wmo:
        ok &= ~np.isin(t.wmo, [str(w) for w in exclude_wmo])
    same = ok & (t.region == region)
    return np.flatnonzero(same if same.any() else ok & (t.region == "other"))


@lru_cache(maxsize=1)
def _diffuse_curve() -> np.ndarray:
    """Cubic fit of the stations' monthly diffuse fraction on monthly Kt (polyfit coefficients)."""
    t = station_table()
    return np.polyfit(t.kt.ravel(), t.dhi_frac.ravel(), 3)


def site_monthly(lon: float, lat: float, altitude_m: float | None = None, *,
                 exclude_wmo: set | None = None) -> SiteMonthly:
    """Monthly GHI, clearness, temperature, diffuse fraction and wind interpolated to a site.

    Kt = trend(lon, lat, altitude) + IDW of the stations' trend residuals, where the monthly linear
    trend is fitted over the stations of the site's region when it has ``TREND_MIN_STATIONS`` or
    more (in practice the "other" region; the cloudy south-west and the plateau use plain IDW).
    The trend's predictors are clamped to the range of the fitted stations (no extrapolation).
    Diffuse fraction = curve(Kt_site) + IDW of the stations' departures from the curve.
    """
    t = station_table()
    mix = _mix(t, lon, lat, IDW_NEIGHBOURS, exclude_wmo)
    w = mix.weights[:, None]
    alt_mix = float(np.sum(mix.weights * t.alt[mix.rows]))
    estimated = altitude_m is None
    alt = alt_mix if altitude_m is None else float(altitude_m)
    kt = np.sum(w * t.kt[mix.rows], axis=0)
    cand = _candidates(t, "other" if mix.fallback else mix.region, exclude_wmo)
    use_trend = USE_TREND and len(cand) >= TREND_MIN_STATIONS
    if use_trend:
        coef = _trend_coef(t, cand)
        x_site = np.clip([lon, lat, alt], [t.lon[cand].min(), t.lat[cand].min(), t.alt[cand].min()],
                         [t.lon[cand].max(), t.lat[cand].max(), t.alt[cand].max()])
        resid = t.kt[mix.rows] - _design(t.lon[mix.rows], t.lat[mix.rows], t.alt[mix.rows]) @ coef
        kt = (_design(*x_site) @ coef)[0] + np.sum(w * resid, axis=0)
    kt = np.clip(kt, KT_MIN, KT_MAX)
    ghi = kt * monthly_h0_kwh_m2(lat)
    temp = np.sum(w * t.temp_sl[mix.rows], axis=0) + LAPSE_RATE_C_PER_M * alt
    curve = _diffuse_curve()
    dfr = np.polyval(curve, kt) + np.sum(w * (t.dhi_frac[mix.rows] - np.polyval(curve, t.kt[mix.rows])),
                                         axis=0)
    return SiteMonthly(ghi_kwh_m2=ghi, kt=kt, temp_air_c=temp,
                       temp_range_c=np.sum(w * t.temp_range[mix.rows], axis=0),
                       dhi_frac=np.clip(dfr, 0.05, 1.0),
                       kt_day_sd=np.sum(w * t.kt_day_sd[mix.rows], axis=0),
                       wind_ms=float(np.sum(mix.weights * t.wind[mix.rows])), altitude_m=alt,
                       altitude_estimated=estimated, mix=mix, trend=use_trend)


# ---------------------------------------------------------------------------------------------
# The hourly year
# ---------------------------------------------------------------------------------------------

def default_weather(lon: float, lat: float, altitude_m: float | None = None, *, year: int = 2023,
                    tz_hours: float = 8.0, exclude_wmo: set | None = None) -> Weather:
    """An hourly typical year for a site in China from the built-in station climatology.

    lon, lat: degrees WGS84. altitude_m: site altitude (m); None estimates it from the mixed
    stations (said in problems). year: calendar year of the index. tz_hours: UTC offset of the
    labels (China Standard Time by default). exclude_wmo: station ids to leave out (validation).
    """
    if not in_china_bbox(lon, lat):
        x0, y0, x1, y1 = CHINA_BBOX
        raise InputError(
            f"内置气候表只覆盖中国（经度 {x0}–{x1}°，纬度 {y0}–{y1}°）；位置 {lat:.3f}°N {lon:.3f}°E "
            "不在其内：请提供当地的天气文件（EPW、PVGIS TMY 等）。",
            f"the built-in climatology covers China only (lon {x0}–{x1}°, lat {y0}–{y1}°); "
            f"{lat:.3f}°N {lon:.3f}°E is outside: supply a local weather file (EPW, PVGIS TMY …).",
            code="climatology.outside")
    sm = site_monthly(lon, lat, altitude_m, exclude_wmo=exclude_wmo)
    tz = dt.timezone(dt.timedelta(hours=float(tz_hours)))
    start = pd.Timestamp(year=year, month=1, day=1, hour=0, minute=30)
    end = pd.Timestamp(year=year, month=12, day=31, hour=23, minute=30)
    idx = pd.date_range(start, end, freq="h").tz_localize(tz)
    month0 = idx.month.to_numpy() - 1

    pos = pvlib.solarposition.get_solarposition(idx, lat, lon, altitude=sm.altitude_m,
                                                method="nrel_numpy")
    zen = pos["zenith"].to_numpy()
    app_zen = pos["apparent_zenith"].to_numpy()
    dni_extra = pvlib.irradiance.get_extra_radiation(idx).to_numpy()
    am_rel = pvlib.atmosphere.get_relative_airmass(app_zen)
    am_abs = pvlib.atmosphere.get_absolute_airmass(am_rel, pvlib.atmosphere.alt2pres(sm.altitude_m))
    with np.errstate(divide="ignore", invalid="ignore"):  # night: airmass is NaN
        shape = np.nan_to_num(pvlib.clearsky.ineichen(app_zen, am_abs, LINKE_TURBIDITY,
                                                      altitude=sm.altitude_m, dni_extra=dni_extra)["ghi"])
        ceiling = CLEAR_SKY_CEILING * np.nan_to_num(pvlib.clearsky.ineichen(
            app_zen, am_abs, CEILING_LINKE_TURBIDITY, altitude=sm.altitude_m, dni_extra=dni_extra)["ghi"])
    shape = np.where(zen < 90.0, shape, 0.0)
    if DAY_TO_DAY:
        shape = _vary_days(shape, idx, lat, sm.kt, sm.kt_day_sd)

    # days in each month of this (possibly leap) year vs the non-leap table
    hours_in_month = np.bincount(month0, minlength=12)
    target_wh = sm.ghi_kwh_m2 * 1000.0 * hours_in_month / (np.array(
        [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) * 24)
    ghi = _scale_monthly(shape, ceiling, month0, target_wh)

    dni, dhi = _split(ghi, zen, idx, dni_extra, month0, sm.dhi_frac)

    solar_h = solar_hour_angle_h(idx, lon) + 12.0
    temp = (sm.temp_air_c[month0]
            + 0.5 * sm.temp_range_c[month0] * np.cos(2 * np.pi * (solar_h - TEMP_PEAK_SOLAR_H) / 24.0))
    data = pd.DataFrame({"ghi": ghi, "dni": dni, "dhi": dhi, "temp_air": temp,
                         "wind_speed": np.full(len(idx), sm.wind_ms)}, index=idx)

    t = station_table()
    names = [f"{t.frame['station'].iat[r]} {t.wmo[r]} ({w:.0%})" for r, w in zip(sm.mix.rows, sm.mix.weights,
                                                                              strict=True)]
    names_zh = [f"{t.frame['station_zh'].iat[r]}（{w:.0%}）" for r, w in zip(sm.mix.rows, sm.mix.weights,
                                                                         strict=True)]
    source = (f"内置气候表（CSWD）按站点插值：{'、'.join(names_zh)} / built-in climatology (CSWD), "
              f"interpolated from {', '.join(names)}")
    problems = [Problem(
        "info", "climatology.used",
        f"未提供天气文件：使用内置气候表（CSWD 典型年月值插值，年总辐射 {sm.ghi_kwh_m2.sum():.0f} kWh/m²）；"
        "逐时过程为合成，结果为估算。",
        f"no weather file: the built-in climatology is used (CSWD typical-year monthly figures "
        f"interpolated, annual GHI {sm.ghi_kwh_m2.sum():.0f} kWh/m²); the hourly series is synthetic, "
        "results are estimates.")]
    if sm.altitude_estimated:
        problems.append(Problem(
            "info", "climatology.altitude_estimated",
            f"未给出场地海拔，按所用气象站加权估计为 {sm.altitude_m:.0f} m。",
            f"site altitude not given; estimated as {sm.altitude_m:.0f} m from the stations used."))
    if sm.mix.fallback:
        problems.append(Problem(
            "warning", "climatology.region_fallback",
            "场地所在气候区（川渝黔少日照区或青藏高原）内没有可用气象站，已改用区外站点：结果不确定性大。",
            "no station of the site's climate region (cloudy Sichuan–Chongqing–Guizhou or the "
            "Qinghai–Tibet plateau) is available; stations outside it were used: results are uncertain."))
    nearest_km = float(np.min(great_circle_km(lon, lat, t.lon[sm.mix.rows], t.lat[sm.mix.rows])))
    if nearest_km > 300.0:
        problems.append(Problem(
            "warning", "climatology.sparse",
            f"最近的气象站在 {nearest_km:.0f} km 外：内置气候表在此精度有限，建议提供当地天气文件。",
            f"the nearest station is {nearest_km:.0f} km away: the built-in climatology is coarse "
            "here; a local weather file is recommended."))
    return Weather(data=data, latitude=float(lat), longitude=float(lon), altitude_m=float(sm.altitude_m),
                   source=source, source_kind="climatology", problems=problems)


def _vary_days(shape: np.ndarray, idx: pd.DatetimeIndex, lat: float, kt_month: np.ndarray,
               kt_sd: np.ndarray) -> np.ndarray:
    """Rescale each day's clear-sky profile to a daily clearness index that varies about the
    monthly mean with the interpolated day-to-day standard deviation (a fixed, reproducible
    sequence: standardised normal deviates from a seeded generator, identical for every site)."""
    local = idx.tz_localize(None)
    day_key = local.year.to_numpy() * 400 + local.day_of_year.to_numpy()
    days, first, inverse = np.unique(day_key, return_index=True, return_inverse=True)
    doy = local.day_of_year.to_numpy()[first]
    month0 = local.month.to_numpy()[first] - 1
    z = np.random.default_rng(DAY_SEQUENCE_SEED).standard_normal(len(days))
    for m in range(12):  # exactly mean 0, sd 1 within each month
        sel = month0 == m
        if sel.sum() > 1:
            z[sel] = (z[sel] - z[sel].mean()) / z[sel].std()
    k_day = np.clip(kt_month[month0] + kt_sd[month0] * z, 0.03, KT_MAX)
    h_day = k_day * daily_h0_kwh_m2(lat, doy) * 1000.0  # Wh/m² per day
    shape_day = np.bincount(inverse, weights=shape, minlength=len(days))
    factor = np.where(shape_day > 0, h_day / np.where(shape_day > 0, shape_day, 1.0), 0.0)
    return shape * factor[inverse]


def _scale_monthly(shape: np.ndarray, ceiling: np.ndarray, month0: np.ndarray,
                   target_wh: np.ndarray) -> np.ndarray:
    """Scale the clear-sky shape per month to the target sums (Wh/m²), capped at ``ceiling``."""
    sums = np.bincount(month0, weights=shape, minlength=12)
    ghi = shape * (target_wh / np.where(sums > 0, sums, 1.0))[month0]
    for _ in range(5):  # cap and spread the excess over the month's uncapped daylight hours
        over = np.clip(ghi - ceiling, 0.0, None)
        if over.sum() < 1e-6:
            break
        ghi = np.minimum(ghi, ceiling)
        room = np.where((ghi < ceiling) & (shape > 0), ghi, 0.0)
        excess = np.bincount(month0, weights=over, minlength=12)
        room_sum = np.bincount(month0, weights=room, minlength=12)
        ghi = ghi + room * (excess / np.where(room_sum > 0, room_sum, 1.0))[month0]
    # exact monthly totals even when a month cannot fit under the ceiling (Kt above clean-air
    # clear sky, which the station table does not reach)
    sums = np.bincount(month0, weights=ghi, minlength=12)
    return ghi * (target_wh / np.where(sums > 0, sums, 1.0))[month0]


def _split(ghi: np.ndarray, zen: np.ndarray, idx: pd.DatetimeIndex, dni_extra: np.ndarray,
           month0: np.ndarray, dhi_frac: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Erbs split, then DHI rescaled per month to the interpolated diffuse fraction (closure kept)."""
    out = pvlib.irradiance.erbs(ghi, zen, idx)
    dhi = np.nan_to_num(np.asarray(out["dhi"], float))
    day = zen < 90.0
    dhi = np.where(day, np.minimum(dhi, ghi), 0.0)
    sum_g = np.bincount(month0, weights=ghi, minlength=12)
    sum_d = np.bincount(month0, weights=dhi, minlength=12)
    factor = dhi_frac * sum_g / np.where(sum_d > 0, sum_d, 1.0)
    dhi = np.minimum(dhi * factor[month0], ghi)
    cosz = np.cos(np.radians(zen))
    beam_h = ghi - dhi
    dni = np.where(cosz > 0.065, beam_h / np.maximum(cosz, 0.065), 0.0)
    # where the sun is too low for a stable DNI, keep it all diffuse (closure kept)
    dhi = np.where(cosz > 0.065, dhi, ghi)
    return dni, dhi
