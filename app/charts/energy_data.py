"""What the energy charts draw, from an hourly table (Qt-free, numpy/pandas).

:class:`EnergySeries` holds one run's intervals as arrays (kW, mean power over the interval that
starts at ``time``; SOC in kWh at the interval's end, as gis.energy.dispatch defines it).
:func:`month_hour_mean` (heatmaps), :func:`duration_curve`, :func:`typical_week` and
:func:`compact` (the JSON kept in the project's summary under ``energy.charts``, so that a saved
project and its PDF report still draw the figures without the 8,760-row table) are vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

FLOW_COLUMNS = ("charge_kw", "discharge_kw", "grid_import_kw", "grid_export_kw", "curtailed_kw")
"""The dispatch's flows in ``SystemResult.hourly_frame()`` (kW)."""
NOT_SOURCES = frozenset({"load_kw", *FLOW_COLUMNS})
SUMMER_MONTHS = (6, 7, 8)
WINTER_MONTHS = (12, 1, 2)
"""Meteorological seasons (June–August, December–February: the WMO convention the China
Meteorological Administration's seasonal statistics also use)."""
HEATMAP_QUANTITIES = ("load_kw", "onsite_kw", "net_kw", "grid_import_kw")
DURATION_POINTS = 400
"""Points kept of each duration curve in the compact form: at 0.2 % of the year per point the
curve is smooth at the report's 170 mm width (about 0.4 mm per point)."""
COMPACT_VERSION = 1
_HOUR = np.timedelta64(3600, "s")


@dataclass(frozen=True)
class EnergySeries:
    """A run's intervals. time: datetime64 starts (local time); dt_h: interval (h); load_kw and
    each on-site source's kW; the battery and grid flows (kW, zeros when absent); soc_kwh: the
    battery's stored energy at each interval's end (None without a battery)."""

    time: np.ndarray
    dt_h: float
    load_kw: np.ndarray
    sources_kw: dict[str, np.ndarray]
    charge_kw: np.ndarray
    discharge_kw: np.ndarray
    grid_import_kw: np.ndarray
    grid_export_kw: np.ndarray
    curtailed_kw: np.ndarray
    soc_kwh: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.time)

    @property
    def onsite_kw(self) -> np.ndarray:
        """All on-site generation (kW)."""
        out = np.zeros(len(self.time))
        for kw in self.sources_kw.values():
            out += kw
        return out

    @property
    def net_kw(self) -> np.ndarray:
        """Net load = load − on-site generation (kW; negative = surplus)."""
        return self.load_kw - self.onsite_kw

    @property
    def hours(self) -> float:
        return len(self.time) * self.dt_h

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> EnergySeries:
        """From ``SystemResult.hourly_frame()`` (or the hourly CSV): time, load_kw, one
        ``<source>_kw`` column per source, the flows, soc_kwh."""
        time = pd.to_datetime(frame["time"]).to_numpy(dtype="datetime64[ns]")
        n = len(time)

        def col(name: str) -> np.ndarray:
            return frame[name].to_numpy(dtype=float) if name in frame else np.zeros(n)

        sources = {c[:-3]: frame[c].to_numpy(dtype=float) for c in frame.columns
                   if isinstance(c, str) and c.endswith("_kw") and c not in NOT_SOURCES and "load" not in c}
        soc = frame["soc_kwh"].to_numpy(dtype=float) if "soc_kwh" in frame else None
        return cls(time, step_hours(time), col("load_kw"), sources, col("charge_kw"), col("discharge_kw"),
                   col("grid_import_kw"), col("grid_export_kw"), col("curtailed_kw"), soc)

    def window(self, start, days: float) -> EnergySeries:
        """The intervals from ``start`` (a date or timestamp, local) for ``days`` days."""
        t0 = np.datetime64(pd.Timestamp(start).to_datetime64(), "ns")
        t1 = t0 + np.timedelta64(round(days * 86400), "s")
        a, b = np.searchsorted(self.time, [t0, t1])
        return self.slice(int(a), int(b))

    def slice(self, a: int, b: int) -> EnergySeries:
        s = slice(a, b)
        return EnergySeries(self.time[s], self.dt_h, self.load_kw[s],
                            {k: v[s] for k, v in self.sources_kw.items()},
                            self.charge_kw[s], self.discharge_kw[s], self.grid_import_kw[s],
                            self.grid_export_kw[s], self.curtailed_kw[s],
                            None if self.soc_kwh is None else self.soc_kwh[s])

    def quantity(self, name: str) -> np.ndarray:
        """One of :data:`HEATMAP_QUANTITIES` (kW)."""
        if name == "onsite_kw":
            return self.onsite_kw
        if name == "net_kw":
            return self.net_kw
        return getattr(self, name)

    def to_dict(self, decimals: int = 2) -> dict:
        """JSON-ready, kW rounded to ``decimals`` (0.01 kW is far below any meter's resolution)."""
        def arr(a: np.ndarray) -> list[float]:
            return np.round(a, decimals).tolist()

        out = {"start": str(pd.Timestamp(self.time[0]).isoformat()) if len(self.time) else None,
               "dt_h": self.dt_h, "load_kw": arr(self.load_kw),
               "sources_kw": {k: arr(v) for k, v in self.sources_kw.items()}}
        out.update({c: arr(getattr(self, c)) for c in FLOW_COLUMNS})
        if self.soc_kwh is not None:
            out["soc_kwh"] = arr(self.soc_kwh)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> EnergySeries:
        load = np.asarray(d.get("load_kw") or [], dtype=float)
        n = len(load)
        dt_h = float(d.get("dt_h") or 1.0)
        start = np.datetime64(pd.Timestamp(d["start"]).to_datetime64(), "ns") if n else np.datetime64(0, "ns")
        time = start + (np.arange(n) * dt_h * 3600).astype("timedelta64[s]")

        def arr(key: str) -> np.ndarray:
            v = d.get(key)
            return np.asarray(v, dtype=float) if v is not None else np.zeros(n)

        soc = d.get("soc_kwh")
        return cls(time.astype("datetime64[ns]"), dt_h, load,
                   {k: np.asarray(v, dtype=float) for k, v in (d.get("sources_kw") or {}).items()},
                   arr("charge_kw"), arr("discharge_kw"), arr("grid_import_kw"), arr("grid_export_kw"),
                   arr("curtailed_kw"), None if soc is None else np.asarray(soc, dtype=float))


def step_hours(time: np.ndarray) -> float:
    """The interval (h) of a regular time axis: the median spacing (1 h for fewer than 2 stamps)."""
    if len(time) < 2:
        return 1.0
    return float(np.median(np.diff(time)) / _HOUR)


def month_and_hour(time: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Month 1–12 and hour of day 0–23 of each stamp (local time), vectorised."""
    t = np.asarray(time, dtype="datetime64[ns]")
    month = t.astype("datetime64[M]").astype(np.int64) % 12 + 1
    hour = ((t - t.astype("datetime64[D]")) // _HOUR).astype(np.int64)
    return month, hour


def month_hour_mean(time: np.ndarray, values: np.ndarray) -> np.ndarray:
    """(12, 24) mean of ``values`` by month (rows, January first) and hour of day (columns);
    NaN where the series has no interval. Sub-hourly intervals fall in the hour they start in."""
    month, hour = month_and_hour(time)
    cell = (month - 1) * 24 + hour
    sums = np.bincount(cell, weights=np.asarray(values, dtype=float), minlength=288)
    counts = np.bincount(cell, minlength=288)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return mean.reshape(12, 24)


def duration_curve(values: np.ndarray) -> np.ndarray:
    """``values`` sorted from the highest down: entry k is exceeded or equalled during k + 1
    intervals."""
    return np.sort(np.asarray(values, dtype=float))[::-1]


def sample_duration(sorted_desc: np.ndarray, dt_h: float, points: int = DURATION_POINTS
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(hours, values) of a duration curve thinned to about ``points`` ranks, the first and the
    last rank kept (the peak and the minimum); hours at each interval's middle."""
    n = len(sorted_desc)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    ranks = np.unique(np.round(np.linspace(0, n - 1, min(points, n))).astype(np.int64))
    return (ranks + 0.5) * dt_h, sorted_desc[ranks]


def typical_week(series: EnergySeries, months: tuple[int, ...]) -> np.datetime64 | None:
    """Start (a Monday, 00:00) of the whole week inside ``months`` whose mean load and mean on-site
    generation are closest to those of all such weeks (least squares of the relative deviations:
    a representative week, not an extreme one — a Spring Festival shutdown week is not picked).
    None when no whole week lies inside ``months``."""
    if len(series) == 0:
        return None
    t = series.time
    days = t.astype("datetime64[D]")
    day0 = days[0]
    day_index = (days - day0).astype(np.int64)
    n_days = int(day_index[-1]) + 1
    # per-day means, then 7-day means of every day that starts a whole week
    per_day = np.bincount(day_index, minlength=n_days)
    load_day = np.bincount(day_index, weights=series.load_kw, minlength=n_days)
    gen_day = np.bincount(day_index, weights=series.onsite_kw, minlength=n_days)
    all_days = day0 + np.arange(n_days)
    month = all_days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    in_season = np.isin(month, months) & (per_day > 0)
    full = per_day == np.max(per_day)
    ok_day = in_season & full
    if n_days < 7:
        return None
    kernel = np.ones(7)
    ok7 = np.convolve(ok_day.astype(float), kernel, "valid") == 7
    weekday = (all_days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday: Monday = 0
    starts = np.flatnonzero(ok7 & (weekday[: n_days - 6] == 0))
    if len(starts) == 0:
        return None
    load7 = np.convolve(load_day, kernel, "valid")[starts]
    gen7 = np.convolve(gen_day, kernel, "valid")[starts]

    def rel(x: np.ndarray) -> np.ndarray:
        m = x.mean()
        return (x - m) / m if m > 0 else np.zeros_like(x)

    best = starts[int(np.argmin(rel(load7) ** 2 + rel(gen7) ** 2))]
    return np.datetime64(all_days[best], "ns")


def typical_weeks(series: EnergySeries) -> dict[str, np.datetime64]:
    """{"summer": start, "winter": start} of :func:`typical_week` (seasons missing from a short
    series are left out)."""
    out = {}
    for name, months in (("summer", SUMMER_MONTHS), ("winter", WINTER_MONTHS)):
        start = typical_week(series, months)
        if start is not None:
            out[name] = start
    return out


def compact(series: EnergySeries) -> dict:
    """The JSON kept as ``energy.charts`` in a project's summary: the month × hour means of
    :data:`HEATMAP_QUANTITIES` (kW), the duration curves of load and net load
    (:data:`DURATION_POINTS` points each) and the typical summer and winter weeks in full."""
    heat = {}
    for q in HEATMAP_QUANTITIES:
        m = month_hour_mean(series.time, series.quantity(q))
        heat[q] = [[None if not np.isfinite(v) else round(float(v), 2) for v in row] for row in m]
    hours, load = sample_duration(duration_curve(series.load_kw), series.dt_h)
    _, net = sample_duration(duration_curve(series.net_kw), series.dt_h)
    weeks = {name: series.window(start, 7).to_dict() for name, start in typical_weeks(series).items()}
    return {"version": COMPACT_VERSION, "dt_h": series.dt_h, "total_h": series.hours,
            "heatmap": heat,
            "duration": {"hours": np.round(hours, 3).tolist(), "load_kw": np.round(load, 2).tolist(),
                         "net_kw": np.round(net, 2).tolist()},
            "weeks": weeks}


def heatmap_of(charts: dict, quantity: str) -> np.ndarray | None:
    """The (12, 24) matrix of ``quantity`` in a compact dict (NaN for gaps), or None."""
    rows = ((charts or {}).get("heatmap") or {}).get(quantity)
    if not rows:
        return None
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def week_of(charts: dict, name: str) -> EnergySeries | None:
    """The typical week ``name`` ("summer", "winter") of a compact dict, or None."""
    d = ((charts or {}).get("weeks") or {}).get(name)
    return EnergySeries.from_dict(d) if d else None


def durations_of(charts: dict) -> tuple[np.ndarray, dict[str, np.ndarray]] | None:
    """(hours, {"load_kw": …, "net_kw": …}) of a compact dict, or None."""
    d = (charts or {}).get("duration") or {}
    if not d.get("hours"):
        return None
    curves = {k: np.asarray(d[k], float) for k in ("load_kw", "net_kw") if k in d}
    return np.asarray(d["hours"], float), curves
