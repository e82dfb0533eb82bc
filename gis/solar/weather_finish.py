"""Common finishing of weather data a reader has parsed: a regular hourly index, gap filling,
assumed wind, negative irradiance clipped, a one-year check, giving a :class:`Weather`.

Short gaps (≤ 3 h) are interpolated, longer ones filled from the same hour of neighbouring days,
both with a warning; more than 5% missing, or data that are not hourly, are refused.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.solar.weather_types import WEATHER_COLUMNS, Weather

GAP_INTERPOLATE_MAX_H = 3
"""Gaps up to this many hours are interpolated linearly."""

MAX_MISSING_SHARE = 0.05
"""Share of missing hours above which a file is refused rather than filled."""

ASSUMED_TEMP_C = 20.0
"""Air temperature assumed when a file has none: the ambient temperature of the NOCT test
conditions (IEC 61215: 800 W/m², 20 °C, 1 m/s)."""

ASSUMED_WIND_MS = 2.0
"""Wind speed assumed when a file has none: about the median annual mean 10 m wind speed of the
CSWD stations (resources/solar/china_climatology.csv, column wind_speed_ms)."""



NEGATIVE_LIMIT_W_M2 = -4.0
"""BSRN "physically possible" lower limit of GHI, DNI and DHI (Long & Dutton 2010): the thermal
offset of thermopile sensors at night. Values down to it are noise and set to 0 silently."""
NEGATIVE_ERROR_W_M2 = -50.0
"""Below this a value is no sensor offset but a wrong number (a sign, a missing-value code)."""


def _negative_irradiance(values: np.ndarray) -> list[Problem]:
    """An error for irradiance far below zero, a warning for values beyond the BSRN limit."""
    wrong = int(np.sum(values < NEGATIVE_ERROR_W_M2))
    if wrong:
        low = float(np.nanmin(values))
        return [Problem("error", "weather.irradiance_negative",
                        f"有 {wrong} 个辐射值远小于零（最低 {low:,.0f} W/m²）：辐射不可能为负，数值、符号或缺"
                        f"测代码有误",
                        f"{wrong} irradiance value(s) far below zero (min {low:,.0f} W/m²): irradiance "
                        f"cannot be "
                        "negative; wrong values, signs or missing-value codes")]
    beyond = int(np.sum(values < NEGATIVE_LIMIT_W_M2))
    if beyond:
        return [Problem("warning", "weather.irradiance_below_limit",
                        f"有 {beyond} 个辐射值低于 BSRN 物理下限 −4 W/m²，已置 0",
                        f"{beyond} irradiance value(s) below the BSRN physical limit of −4 W/m² were set to "
                        f"0")]
    return []

def _fixed_tz(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=float(hours)))


def _check_hourly(index: pd.DatetimeIndex, path: str) -> None:
    if len(index) < 24:
        raise InputError(f"天气数据只有 {len(index)} 行，至少需要一整天的逐时数据。",
                         f"the weather data have only {len(index)} rows; at least one day of hourly "
                         "data is needed.", path=path, code="weather.too_short")
    secs = index.tz_convert("UTC").tz_localize(None).to_numpy().astype("datetime64[s]").astype(np.int64)
    step = np.diff(secs) / 60.0  # minutes
    med = float(np.median(step)) if len(step) else 0.0
    if not 59.0 <= med <= 61.0:
        raise InputError(f"天气数据不是逐时的（典型间隔 {med:g} 分钟）：请先整理为逐时数据。",
                         f"the weather data are not hourly (typical step {med:g} min): resample them "
                         "to hourly values first.", path=path, code="weather.not_hourly")


def _finish(data: pd.DataFrame, lat: float, lon: float, alt: float, source: str,
            problems: list[Problem], path: str, *, typical: bool, derived: tuple[str, ...] = ()) -> Weather:
    """Regular hourly index, gap filling, plausibility. ``derived``: columns the caller computes
    afterwards (left NaN here)."""
    _check_hourly(data.index, path)
    for c in WEATHER_COLUMNS:
        if c not in data:
            data[c] = np.nan
    data = data[list(WEATHER_COLUMNS)].astype(float)
    # regular hourly index (labels keep their minute; missing rows become gaps)
    first = data.index[0]
    full = pd.date_range(first, data.index[-1], freq="h")
    if len(full) != len(data) or not full.equals(data.index):
        data = data[~data.index.duplicated()].reindex(full, method="nearest",
                                                      tolerance=pd.Timedelta(minutes=5))
    if data["wind_speed"].isna().all():
        data["wind_speed"] = ASSUMED_WIND_MS
        problems.append(Problem("info", "weather.wind_assumed",
                                f"无风速数据，按 {ASSUMED_WIND_MS:g} m/s 计算。",
                                f"no wind speed data; {ASSUMED_WIND_MS:g} m/s is assumed."))
    need = [c for c in WEATHER_COLUMNS if c not in derived]
    missing_any = data[need].isna().any(axis=1).to_numpy()
    share = float(missing_any.mean())
    if share > MAX_MISSING_SHARE:
        raise InputError(
            f"天气数据缺失 {share:.1%} 的小时（上限 {MAX_MISSING_SHARE:.0%}）：请换用完整的数据。",
            f"{share:.1%} of the hours are missing from the weather data (limit "
            f"{MAX_MISSING_SHARE:.0%}): use a complete data set.", path=path, code="weather.gaps")
    if missing_any.any():
        short, long_ = _fill_gaps(data, need)
        if short:
            problems.append(Problem("warning", "weather.gaps_filled",
                                    f"{short} 个缺测小时（连续 ≤{GAP_INTERPOLATE_MAX_H} h）已线性插补。",
                                    f"{short} missing hours (runs ≤ {GAP_INTERPOLATE_MAX_H} h) "
                                    "interpolated linearly."))
        if long_:
            problems.append(Problem("warning", "weather.gaps_long_filled",
                                    f"{long_} 个较长缺测段中的小时已用相邻日同一时刻的值填补。",
                                    f"{long_} hours in longer gaps filled from the same hour of "
                                    "neighbouring days."))
    rad = [c for c in ("ghi", "dni", "dhi") if c not in derived]
    problems += _negative_irradiance(data[rad].to_numpy(float))
    neg = int((data[rad] < 0).to_numpy().sum())
    if neg:
        data[rad] = data[rad].clip(lower=0.0)
        problems.append(Problem("info", "weather.negative_clipped",
                                f"{neg} 个负辐射值（夜间传感器偏差）已置 0。",
                                f"{neg} negative irradiance values (night-time sensor offsets) set to 0."))
    span_days = (data.index[-1] - data.index[0]).total_seconds() / 86400.0 + 1.0 / 24.0
    if not typical and not 360 <= span_days <= 370:
        problems.append(Problem("warning", "weather.not_one_year",
                                f"数据覆盖 {span_days:.0f} 天而非一年：年总量需按比例理解。",
                                f"the data cover {span_days:.0f} days, not one year: read annual totals "
                                "accordingly."))
    return Weather(data=data, latitude=float(lat), longitude=float(lon), altitude_m=float(alt),
                   source=source, source_kind="file", problems=problems)


def _run_lengths(mask: np.ndarray) -> np.ndarray:
    """For each True element, the length of the run of Trues it belongs to (0 elsewhere)."""
    m = np.asarray(mask, bool)
    if not m.any():
        return np.zeros(len(m), int)
    edges = np.diff(np.concatenate(([0], m.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    out = np.zeros(len(m), int)
    run_id = np.cumsum(edges[:-1] == 1) - 1
    lengths = ends - starts
    out[m] = lengths[run_id[m]]
    return out


def _fill_gaps(data: pd.DataFrame, cols: list[str]) -> tuple[int, int]:
    """Fill NaNs in place: short runs by interpolation, long ones from neighbouring days.

    Returns (hours filled by interpolation, hours filled from other days).
    """
    short_total = long_total = 0
    for c in cols:
        s = data[c]
        na = s.isna().to_numpy()
        if not na.any():
            continue
        runs = _run_lengths(na)
        short = na & (runs <= GAP_INTERPOLATE_MAX_H)
        interp = s.interpolate(method="linear", limit_direction="both").to_numpy()
        vals = s.to_numpy().copy()
        vals[short] = interp[short]
        short_total = max(short_total, int(short.sum()))
        rest = np.isnan(vals)
        long_total = max(long_total, int(rest.sum()))
        for k in range(1, 15):
            if not np.isnan(vals).any():
                break
            for lag in (24 * k, -24 * k):
                other = pd.Series(vals).shift(lag).to_numpy()
                hole = np.isnan(vals)
                vals[hole] = other[hole]
        if np.isnan(vals).any():  # pathological: fall back to interpolation
            vals = pd.Series(vals).interpolate(limit_direction="both").to_numpy()
        data[c] = vals
    return short_total, long_total
