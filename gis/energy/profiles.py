"""Typical load profiles when there is no meter data: a year of kW from an annual (or 12 monthly) kWh.

A profile of kind ``k`` for ``year`` is built from ``resources/energy/load_profiles.csv``:

* three daily shapes (24 values, relative kW by hour starting at 0:00) for **workday**, **weekend** and
  **holiday**, chosen per day from the State Council's holiday calendar (package ``chinese_calendar``:
  statutory festival days are holidays; make-up working days, 调休, are workdays);
* twelve **monthly** factors (cooling in summer, some heating in winter) that scale each day;
* for the industrial shift kinds a **Spring Festival shutdown**: the official Spring Festival holiday
  plus :data:`SPRING_FESTIVAL_EXTRA_DAYS` before and after use the holiday shape (assumption: the
  workforce leaves early and returns after the Lantern Festival; continuous process plants run
  through).

``kW[t] = shape(daytype(t), hour(t)) × monthly(month(t))``, normalised so the year sums to 1 and then
scaled to the annual kWh (exact), or month by month to 12 bills (each month exact). Years outside
the calendar package's data get weekends only (no holidays, no Spring Festival) and a warning.
Each kind's source (standard, transcription, or "assumption") is in the CSV and in
:data:`PROFILE_KINDS`; users replace a daily shape with ``daily_shape_override``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.paths import resources_dir

SERIES = ("workday", "weekend", "holiday")
"""Day types, in the order of the day-type codes 0, 1, 2."""
KIND_NAMES: dict[str, tuple[str, str]] = {
    "industrial_one_shift": ("工业·一班制", "industry, one shift"),
    "industrial_two_shift": ("工业·两班制", "industry, two shifts"),
    "industrial_three_shift": ("工业·三班制", "industry, three shifts"),
    "continuous_process": ("工业·连续生产", "industry, continuous process"),
    "office": ("办公", "office"),
    "mall": ("商场", "mall / retail"),
    "hotel": ("酒店", "hotel"),
    "dormitory": ("宿舍/住宅", "dormitory / residential"),
    "public": ("公共建筑（政府、行政）", "public building (government, administration)"),
    "school": ("学校", "school"),
    "hospital": ("医院", "hospital"),
}
SPRING_FESTIVAL_EXTRA_DAYS: dict[str, tuple[int, int]] = {
    "industrial_one_shift": (3, 7),
    "industrial_two_shift": (3, 7),
    "industrial_three_shift": (2, 5),
}
"""Days (before, after) the official Spring Festival holiday that also take the holiday shape.
Assumption: discrete-manufacturing plants in China close for two to three weeks around 春节 while
migrant workers travel; three-shift plants restart sooner. Edit here or override per enterprise."""
INTERVALS_H = (0.25, 0.5, 1.0)
"""Supported interval lengths dt_h (h): 15-min, 30-min, hourly."""
_PROFILES_CSV = "energy/load_profiles.csv"


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, tuple[np.ndarray, str]]]:
    """``{kind: {series: (values, source)}}`` from the resource CSV."""
    df = pd.read_csv(resources_dir() / _PROFILES_CSV, dtype=str, keep_default_na=False)
    out: dict[str, dict[str, tuple[np.ndarray, str]]] = {}
    for row in df.itertuples(index=False):
        vals = np.array([float(v) for v in row.values.split()])
        out.setdefault(row.kind, {})[row.series] = (vals, row.source)
    return out


def _kind_source(kind: str) -> str:
    sources = dict.fromkeys(src for _, src in _table()[kind].values())
    return " | ".join(sources)


def default_daily_shape(kind: str, day: str) -> tuple[np.ndarray, str]:
    """(24 relative kW values from 0:00, source) of ``kind``'s shipped ``day`` shape (``workday``,
    ``weekend``, ``holiday``; or its 12 ``monthly`` factors): what a user's edit starts from."""
    if kind not in KIND_NAMES or day not in (*SERIES, "monthly"):
        raise InputError(f"没有负荷类型“{kind}”的“{day}”曲线", f"There is no '{day}' shape of load kind "
                         f"'{kind}'", code="load.unknown_kind")
    values, source = _table()[kind][day]
    return values.copy(), source


PROFILE_KINDS: list[tuple[str, str, str, str]] = [
    (k, zh, en, _kind_source(k)) for k, (zh, en) in KIND_NAMES.items()]
"""``(key, name_zh, name_en, source)`` of every typical profile."""


@dataclass
class LoadProfile:
    """A year of load: ``kw[i]`` is the mean kW over the interval starting at ``index[i]``."""

    index: pd.DatetimeIndex
    kw: np.ndarray
    kind: str
    source: str
    problems: list[Problem] = field(default_factory=list)
    dt_h: float = 1.0

    @property
    def kwh(self) -> float:
        """Energy over the year (kWh)."""
        return float(self.kw.sum() * self.dt_h)

    @property
    def peak_kw(self) -> float:
        return float(self.kw.max()) if len(self.kw) else 0.0

    def monthly_kwh(self) -> np.ndarray:
        """Energy per calendar month (kWh, 12 values)."""
        return np.bincount(self.index.month - 1, weights=self.kw * self.dt_h, minlength=12)

    def series(self) -> pd.Series:
        return pd.Series(self.kw, index=self.index, name="kw")


# ---------------------------------------------------------------- calendar

def calendar_years() -> tuple[int, int]:
    """First and last year the installed ``chinese_calendar`` has the State Council's calendar for."""
    import chinese_calendar as cc

    return min(cc.holidays).year, max(cc.holidays).year


@lru_cache(maxsize=32)
def day_types(year: int) -> tuple[np.ndarray, np.ndarray, tuple[Problem, ...]]:
    """Per day of ``year``: type code (0 workday, 1 weekend, 2 statutory holiday), the Spring
    Festival holiday mask, and problems (a year outside the calendar data: weekends only)."""
    import chinese_calendar as cc

    days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
    weekend = np.asarray(days.day_of_week >= 5)
    first, last = calendar_years()
    if not first <= year <= last:
        p = Problem("warning", "load.calendar_out_of_range",
                    f"节假日日历（chinese_calendar）只有 {first}–{last} 年的数据：{year} 年只按周末区分，"
                    "未计法定节假日、调休与春节停产。可升级 chinese-calendar，"
                    "或用 daily_shape_override 自行调整",
                    f"The holiday calendar (chinese_calendar) covers {first}–{last} only: {year} uses "
                    "weekends only, without statutory holidays, make-up workdays or the Spring Festival "
                    "shutdown. Upgrade chinese-calendar or adjust with daily_shape_override")
        return weekend.astype(np.int8), np.zeros(len(days), bool), (p,)
    codes = np.empty(len(days), np.int8)
    spring = np.zeros(len(days), bool)
    festival = cc.Holiday.spring_festival.value
    for i, d in enumerate(days.date):  # 365 look-ups once per year (cached)
        off, name = cc.get_holiday_detail(d)
        if not off:
            codes[i] = 0
        elif name is None:
            codes[i] = 1
        else:
            codes[i] = 2
            spring[i] = name == festival
    return codes, spring, ()


def _spring_shutdown(spring: np.ndarray, before: int, after: int) -> np.ndarray:
    """The Spring Festival holiday widened by ``before``/``after`` days."""
    out = spring.copy()
    hit = np.flatnonzero(spring)
    if len(hit):
        out[max(hit[0] - before, 0):hit[-1] + after + 1] = True
    return out


# ---------------------------------------------------------------- shapes

def _check_dt(dt_h: float) -> int:
    if not any(abs(dt_h - d) < 1e-9 for d in INTERVALS_H):
        raise InputError(f"时间间隔 {dt_h} h 不支持：可用 0.25（15 分钟）、0.5、1",
                         f"Interval {dt_h} h is not supported: use 0.25 (15 min), 0.5 or 1",
                         code="load.interval")
    return round(24 / dt_h)


def _per_interval(values, n: int, what: str) -> np.ndarray:
    """A daily shape of 24 (hourly), 48 or 96 values → ``n`` values per day: repeated when coarser
    (an hourly value holds for its four quarter-hours), averaged when finer."""
    v = np.asarray(values, dtype=float).ravel()
    m = len(v)
    if m not in (24, 48, 96):
        raise InputError(f"{what}：日曲线需要 24、48 或 96 个数值，实际 {m} 个",
                         f"{what}: a daily shape needs 24, 48 or 96 values, got {m}",
                         code="load.shape_length")
    if not np.isfinite(v).all() or (v < 0).any():
        raise InputError(f"{what}：日曲线的数值须为非负有限数",
                         f"{what}: daily shape values must be finite and non-negative",
                         code="load.shape_values")
    if m == n:
        return v
    if m < n:
        return np.repeat(v, n // m)
    return v.reshape(n, m // n).mean(axis=1)


def _shapes(kind: str, n: int, override: dict | None) -> tuple[np.ndarray, np.ndarray, str]:
    """(3 × n day-type shapes, 12 monthly factors, source text) of ``kind`` with the user's edits."""
    if kind not in KIND_NAMES:
        raise InputError(f"未知的负荷类型“{kind}”。可用：{'、'.join(KIND_NAMES)}",
                         f"Unknown load profile kind '{kind}'. Known: {', '.join(KIND_NAMES)}",
                         code="load.unknown_kind")
    table = _table()[kind]
    override = dict(override or {})
    unknown = set(override) - {*SERIES, "monthly"}
    if unknown:
        bad = ", ".join(map(str, unknown))
        raise InputError(f"日曲线修改只能针对 workday、weekend、holiday、monthly，不能是 {bad}",
                         f"Shape overrides take workday, weekend, holiday or monthly, not {bad}",
                         code="load.override_key")
    rows = [_per_interval(override.get(s, table[s][0]), n, f"{kind}/{s}") for s in SERIES]
    monthly = np.asarray(override.get("monthly", table["monthly"][0]), dtype=float).ravel()
    if len(monthly) != 12 or not np.isfinite(monthly).all() or (monthly < 0).any():
        raise InputError("月度系数需要 12 个非负数", "Monthly factors need 12 non-negative numbers",
                         code="load.monthly_factors")
    source = _kind_source(kind)
    if override:
        source = f"user-edited {', '.join(sorted(override))}; otherwise: {source}"
    return np.vstack(rows), monthly, source


def shape_values(kind: str, year: int, dt_h: float, override: dict | None
                 ) -> tuple[pd.DatetimeIndex, np.ndarray, str, list[Problem]]:
    """(index, relative values summing to 1, source, calendar problems) of ``kind`` over ``year``."""
    n = _check_dt(dt_h)
    shapes, monthly, source = _shapes(kind, n, override)
    codes, spring, problems = day_types(int(year))
    codes = codes.copy()
    if kind in SPRING_FESTIVAL_EXTRA_DAYS:
        codes[_spring_shutdown(spring, *SPRING_FESTIVAL_EXTRA_DAYS[kind])] = 2
    days = pd.date_range(f"{year}-01-01", periods=len(codes), freq="D")
    day_factor = monthly[days.month - 1]
    values = (shapes[codes] * day_factor[:, None]).ravel()
    total = values.sum()
    if not total > 0:
        raise InputError(f"{kind} 的曲线全年为零，无法按电量缩放",
                         f"The {kind} shape is zero all year: it cannot be scaled to an energy",
                         code="load.zero_shape")
    index = pd.date_range(f"{year}-01-01", periods=len(values), freq=pd.Timedelta(hours=dt_h))
    return index, values / total, source, list(problems)


def profile_shape(kind: str, year: int, *, dt_h: float = 1.0,
                  daily_shape_override: dict[str, np.ndarray] | None = None) -> pd.Series:
    """Relative load of ``kind`` over ``year`` at ``dt_h`` (h) intervals; sums to 1 over the year.

    daily_shape_override: replaces the ``workday``/``weekend``/``holiday`` daily shape (24, 48 or 96
    relative values) or the 12 ``monthly`` factors. Calendar problems are in ``.attrs["problems"]``.
    """
    index, values, source, problems = shape_values(kind, year, dt_h, daily_shape_override)
    s = pd.Series(values, index=index, name=kind)
    s.attrs.update(source=source, problems=problems)
    return s


def _finite_nonneg(x, what_zh: str, what_en: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if not np.isfinite(a).all() or (a < 0).any():
        raise InputError(f"{what_zh}须为非负有限数：{x}", f"{what_en} must be finite and non-negative: {x}",
                         code="load.energy")
    return a


def scale_to_energy(index: pd.DatetimeIndex, shape: np.ndarray, dt_h: float, annual_kwh: float | None,
                    monthly_kwh=None) -> tuple[np.ndarray, list[Problem]]:
    """kW from a relative shape (sum 1): the year sums to ``annual_kwh``, or each calendar month to
    ``monthly_kwh[m]`` (kWh) when given. A month whose bill is positive but whose shape is zero is an
    InputError; a difference over 1 % between the bills and ``annual_kwh`` is a warning (bills win)."""
    problems: list[Problem] = []
    if monthly_kwh is None:
        if annual_kwh is None:
            raise InputError("需要年用电量或 12 个月的电量", "An annual or 12 monthly kWh is needed",
                             code="load.energy")
        annual = float(_finite_nonneg(annual_kwh, "年用电量", "Annual kWh"))
        return shape * (annual / dt_h), problems
    bills = _finite_nonneg(monthly_kwh, "月用电量", "Monthly kWh").ravel()
    if len(bills) != 12:
        raise InputError(f"月用电量需要 12 个数，实际 {len(bills)} 个", f"Monthly kWh needs 12 values, got "
                         f"{len(bills)}", code="load.monthly_bills")
    month = np.asarray(index.month) - 1
    per_month = np.bincount(month, weights=shape, minlength=12)
    empty = (per_month <= 0) & (bills > 0)
    if empty.any():
        ms = ", ".join(str(m + 1) for m in np.flatnonzero(empty))
        raise InputError(f"{ms} 月的曲线为零，但账单电量大于零：请修改该月的月度系数",
                         f"Month(s) {ms} have a zero shape but a positive bill: change their monthly factors",
                         code="load.monthly_zero")
    ratio = np.divide(bills, per_month, out=np.zeros(12), where=per_month > 0)
    kw = shape * ratio[month] / dt_h
    if annual_kwh is not None:
        annual = float(_finite_nonneg(annual_kwh, "年用电量", "Annual kWh"))
        total = float(bills.sum())
        if annual > 0 and abs(total - annual) > 0.01 * annual:
            problems.append(Problem("warning", "load.bills_differ",
                                    f"12 个月账单合计 {total:,.0f} kWh，与年用电量 {annual:,.0f} kWh 相差 "
                                    f"{(total - annual) / annual:+.1%}：按账单计",
                                    f"The 12 bills add up to {total:,.0f} kWh, "
                                    f"{(total - annual) / annual:+.1%} from the annual {annual:,.0f} kWh: "
                                    "the bills are used"))
    return kw, problems


def typical_load(kind: str, year: int, annual_kwh: float | None, *, monthly_kwh=None, dt_h: float = 1.0,
                 override: dict[str, np.ndarray] | None = None) -> LoadProfile:
    """A year of kW of ``kind`` whose energy is ``annual_kwh`` (kWh, exact) or, with ``monthly_kwh``
    (12 bills, kWh), each calendar month's bill (exact). ``override``: as ``daily_shape_override`` of
    :func:`profile_shape`."""
    index, shape, source, problems = shape_values(kind, year, dt_h, override)
    kw, more = scale_to_energy(index, shape, dt_h, annual_kwh, monthly_kwh)
    return LoadProfile(index, kw, kind, source, problems + more, dt_h)
