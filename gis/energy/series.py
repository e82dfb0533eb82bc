"""Time axes and power series: a calendar year at a given step, typical-year data placed on it,
and user series files (CSV ``time,kw``).

A typical meteorological year (EPW, TMY) mixes months of different years; the hourly analysis is
done on one calendar year (holidays and weekdays matter for the load and the tariff), so typical
hours are placed on that year by month, day and hour. 29 February, absent from typical years,
repeats 28 February; a typical year's 29 February (rare) is dropped for a common year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem

STEPS_H = (1.0, 0.5, 0.25)
"""Interval lengths the hourly analysis takes: hourly, 30-min and 15-min (the metering intervals
of Chinese utility interval meters)."""

CST_OFFSET_H = 8
"""China Standard Time, UTC+8, no daylight saving since 1991."""

MAX_ABS_KW = 1e7
"""10 GW: above any single park's load or generation (the largest Chinese parks draw ~1 GW)."""


def year_index(year: int, dt_h: float = 1.0) -> pd.DatetimeIndex:
    """Interval starts of a calendar ``year`` at ``dt_h`` hours (naive China Standard Time)."""
    check_step(dt_h)
    minutes = round(dt_h * 60)
    return pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq=f"{minutes}min", inclusive="left")


def check_step(dt_h: float) -> None:
    if not any(abs(dt_h - s) < 1e-9 for s in STEPS_H):
        raise InputError(f"时间步长应为 1 小时、30 分钟或 15 分钟，而不是 {dt_h * 60:g} 分钟",
                         f"the time step must be 1 h, 30 min or 15 min, not {dt_h * 60:g} min",
                         code="energy.step")


def hour_starts_cst(index: pd.DatetimeIndex, *, centred: bool = True) -> pd.DatetimeIndex:
    """Naive CST hour starts of a tz-aware hourly index (``centred``: labels are hour centres, as
    in :class:`gis.solar.weather_types.Weather`)."""
    idx = index
    if idx.tz is not None:
        idx = idx.tz_convert(f"Etc/GMT-{CST_OFFSET_H}").tz_localize(None)
    if centred:
        idx = idx - pd.Timedelta(minutes=30)
    return idx.floor("h")


def place_on_year(values: np.ndarray, hours: pd.DatetimeIndex, year: int) -> np.ndarray:
    """Hourly ``values`` of a typical year (``hours``: naive hour starts of any years) placed on the
    hours of calendar ``year`` by (month, day, hour); 29 Feb takes 28 Feb's values when missing.
    Returns an array of len(year_index(year)); hours absent from the source raise InputError."""
    values = np.asarray(values, float)
    key = (hours.month * 100 + hours.day) * 100 + hours.hour
    target = year_index(year, 1.0)
    tkey = np.asarray((target.month * 100 + target.day) * 100 + target.hour)
    src = pd.Series(values, index=np.asarray(key)).groupby(level=0).mean()
    leap = (tkey // 100) == 229
    lookup = np.where(leap & ~np.isin(tkey, src.index), tkey - 100, tkey)  # 29 Feb → 28 Feb
    out = src.reindex(lookup).to_numpy()
    if np.isnan(out).any():
        missing = target[np.isnan(out)]
        raise InputError(f"逐时数据缺少 {len(missing)} 个小时（如 {missing[0]:%m-%d %H}:00），不是完整的一年",
                         f"the hourly data lack {len(missing)} hour(s) (e.g. {missing[0]:%m-%d %H}:00): "
                         "not a whole year", code="energy.incomplete_year")
    return out


def to_step(hourly_kw: np.ndarray, dt_h: float) -> np.ndarray:
    """Hourly mean kW at a finer step (each hour's mean power held over its sub-intervals, so the
    energy of every hour is kept)."""
    check_step(dt_h)
    return np.repeat(np.asarray(hourly_kw, float), round(1.0 / dt_h))


def month_of(index: pd.DatetimeIndex) -> np.ndarray:
    """0-based month of each interval."""
    return np.asarray(index.month, np.int64) - 1


@dataclass
class PowerSeries:
    """A power series on a regular axis: mean kW per interval starting at each label."""

    index: pd.DatetimeIndex
    kw: np.ndarray
    dt_h: float
    source: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def kwh(self) -> float:
        return float(np.sum(self.kw) * self.dt_h)


TIME_NAMES = ("time", "timestamp", "datetime", "date_time", "时间", "日期时间", "时刻")
KW_NAMES = ("kw", "power_kw", "p_kw", "功率", "功率kw", "功率(kw)", "有功功率", "有功功率(kw)")


def read_series_csv(path: str | Path, *, what_zh: str = "序列", what_en: str = "series") -> PowerSeries:
    """A CSV with columns ``time,kw``: mean power (kW, AC) over the interval that starts at
    ``time`` (local time; a +08:00 offset is accepted). The step must be regular (1 h, 30 or 15 min)
    and the series one calendar year or shorter with no gaps or duplicates."""
    p = Path(path)
    try:
        df = pd.read_csv(p, encoding="utf-8-sig")
    except UnicodeDecodeError:
        df = pd.read_csv(p, encoding="gb18030")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as e:
        raise InputError(f"{what_zh}文件 {p.name} 无法读取：{e}",
                         f"cannot read the {what_en} file {p.name}: {e}",
                         path=str(p), code="energy.series_read") from e
    cols = {str(c).strip().lower().replace(" ", ""): c for c in df.columns}
    t_col = next((cols[n] for n in TIME_NAMES if n in cols), None)
    k_col = next((cols[n] for n in KW_NAMES if n in cols), None)
    if t_col is None or k_col is None:
        raise InputError(f"{what_zh}文件 {p.name} 需要 time 和 kw 两列（找到"
                         f"：{', '.join(map(str, df.columns))}）",
                         f"the {what_en} file {p.name} needs the columns time and kw (found: "
                         f"{', '.join(map(str, df.columns))})", path=str(p), code="energy.series_columns")
    times = pd.to_datetime(df[t_col], errors="coerce", utc=False, format="mixed")
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_convert(f"Etc/GMT-{CST_OFFSET_H}").dt.tz_localize(None)
    kw = pd.to_numeric(df[k_col], errors="coerce").to_numpy(float)
    bad = times.isna().to_numpy() | ~np.isfinite(kw)
    if bad.any():
        row = int(np.flatnonzero(bad)[0]) + 2
        raise InputError(f"{what_zh}文件 {p.name} 第 {row} 行的时间或功率无法读取",
                         f"the {what_en} file {p.name}: time or kW unreadable on line {row}",
                         path=str(p), code="energy.series_value")
    if np.abs(kw).max(initial=0.0) > MAX_ABS_KW:
        raise InputError(f"{what_zh}文件 {p.name} 的功率超过 10 GW，单位是否为 W？",
                         f"the {what_en} file {p.name} has powers above 10 GW: is the unit W?",
                         path=str(p), code="energy.series_magnitude")
    index = pd.DatetimeIndex(times)
    return PowerSeries(index, kw, _regular_step(index, p, what_zh, what_en), source=str(p))


def _regular_step(index: pd.DatetimeIndex, p: Path, what_zh: str, what_en: str) -> float:
    if len(index) < 2:
        raise InputError(f"{what_zh}文件 {p.name} 少于两行",
                         f"the {what_en} file {p.name} has fewer than two rows",
                         path=str(p), code="energy.series_short")
    steps = np.diff(index.values.astype("datetime64[s]").astype(np.int64)) / 3600.0
    values, counts = np.unique(steps, return_counts=True)
    dt_h = float(values[np.argmax(counts)])  # the most common step; the others are gaps or repeats
    irregular = np.flatnonzero(np.abs(steps - dt_h) > 1e-9)
    if irregular.size:
        i = int(irregular[0])
        kind_zh = "重复" if steps[i] <= 0 else "缺失或不等间隔"
        kind_en = "a duplicate" if steps[i] <= 0 else "a gap or an irregular step"
        raise InputError(f"{what_zh}文件 {p.name} 在 {index[i]} 之后{kind_zh}（共 {irregular.size} 处）；"
                         "请先补齐或去重",
                         f"the {what_en} file {p.name} has {kind_en} after {index[i]} ({irregular.size} in "
                         f"all); "
                         "fill or de-duplicate it first", path=str(p), code="energy.series_irregular")
    check_step(dt_h)
    return dt_h


def fit_to_axis(series: PowerSeries, index: pd.DatetimeIndex, dt_h: float, *, what_zh: str,
                what_en: str) -> np.ndarray:
    """``series`` on the analysis axis: same step required (hourly series are held at finer steps);
    a whole year of another calendar year is placed by month/day/hour; otherwise the times must
    match the axis exactly."""
    s = series
    if s.dt_h < dt_h - 1e-9:
        raise InputError(f"{what_zh}的时间步长（{s.dt_h * 60:g} 分钟）比负荷细：请给出同样步长的序列",
                         f"the {what_en} has a finer step ({s.dt_h * 60:g} min) than the load: give it at "
                         f"the "
                         "load's step", code="energy.series_step")
    if len(s.index) == len(index) and (s.index == index).all():
        return s.kw
    if abs(s.dt_h - 1.0) < 1e-9:
        n_year = len(year_index(int(index[0].year), 1.0))
        if len(s.kw) in (8760, 8784) or len(s.kw) == n_year:
            year = int(index[0].year)
            full = to_step(place_on_year(s.kw, s.index, year), dt_h)
            pos = year_index(year, dt_h).get_indexer(index)  # the analysis may be part of the year
            if (pos >= 0).all():
                return full[pos]
    if abs(s.dt_h - dt_h) < 1e-9 and len(s.kw) >= len(index):
        pos = s.index.get_indexer(index)
        if (pos >= 0).all():
            return s.kw[pos]
    raise InputError(f"{what_zh}（{s.index[0]} 起 {len(s.kw)} 个时段）与分析时段（{index[0]} 起 {len(index)} "
                     f"个）"
                     "对不上", f"the {what_en} ({len(s.kw)} intervals from {s.index[0]}) does not cover the "
                     f"analysis period ({len(index)} intervals from {index[0]})", code="energy.series_span")
