"""Reading a plain hourly CSV into :class:`Weather`.

A time column (or year/month/day/hour columns), GHI, optional DNI/DHI, temperature and wind, with
English or Chinese column names (时间, 总辐射, 温度, 风速 …) and units in the header (MJ/m², kW/m², K,
°F …). The location comes from ``# latitude: …, longitude: …`` comment lines or the site; naive
times are taken as ``csv_tz_hours``; the labels may mark the start, centre or end of the hour
(``csv_label="auto"`` picks the one that centres radiation on solar noon and says so). Missing DNI
and/or DHI are derived from GHI (Erbs 1982 or closure).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.fields import normalise_name
from gis.solar.weather_finish import (
    ASSUMED_TEMP_C,
    ASSUMED_WIND_MS,
    MAX_MISSING_SHARE,
    _check_hourly,
    _finish,
    _fixed_tz,
)
from gis.solar.weather_geometry import solar_hour_angle_h, solar_zenith_deg, split_ghi
from gis.solar.weather_types import Weather

_TIME_NAMES = ("time", "timestamp", "datetime", "date_time", "datetimelocal", "time(local)", "date",
               "时间", "时刻", "日期时间", "日期", "观测时间")

_GHI_NAMES = ("ghi", "g(h)", "globalhorizontal", "globalhorizontalirradiance", "global", "ghiwm2",
              "总辐射", "水平面总辐射", "总辐照度", "水平面总辐照度", "太阳总辐射", "辐射", "辐照度")

_DNI_NAMES = ("dni", "gb(n)", "directnormal", "directnormalirradiance", "beam", "直接辐射",
              "法向直接辐射", "直射辐射", "法向直射辐照度", "直接辐照度")

_DHI_NAMES = ("dhi", "gd(h)", "diffusehorizontal", "diffusehorizontalirradiance", "diffuse",
              "散射辐射", "水平面散射辐射", "散射辐照度", "水平面散射辐照度")

_TEMP_NAMES = ("temp_air", "temperature", "temp", "t2m", "tair", "t", "drybulb", "dry_bulb",
               "airtemperature", "温度", "气温", "干球温度", "空气温度")

_WIND_NAMES = ("wind_speed", "windspeed", "wind", "ws", "ws10m", "wspd", "风速", "平均风速", "10米风速")

_YMDH = {"year": ("year", "yr", "年"), "month": ("month", "mon", "月"), "day": ("day", "日"),
         "hour": ("hour", "hr", "时", "小时")}


def _unit_of(name: str) -> str:
    n = str(name).lower().replace(" ", "")
    for unit in ("mj", "kj", "kwh", "kw", "wh", "w"):
        if re.search(rf"[\(\[（/,_]{unit}", n) or n.endswith(unit + "/m2") or f"{unit}/m" in n:
            return unit
    if re.search(r"[\(\[（]k[\)\]）]|kelvin", n):
        return "k"
    if re.search(r"[\(\[（]°?f[\)\]）]|fahrenheit", n):
        return "f"
    return ""


def _strip_unit(name: str) -> str:
    return re.sub(r"[\(\[（].*?[\)\]）]", "", str(name)).strip()


def _match(columns, names) -> str | None:
    normed: dict[str, str] = {}
    for c in columns:
        normed.setdefault(normalise_name(_strip_unit(c)), c)
        normed.setdefault(normalise_name(c), c)
    for n in names:
        key = normalise_name(n)
        if key in normed:
            return normed[key]
    # Chinese names with extra words (e.g. "逐时总辐射"): substring match on CJK candidates
    for n in names:
        if re.search(r"[\u4e00-\u9fff]", n) and len(n) >= 2:
            for c in columns:
                if n in str(c):
                    return c
    return None


def _csv_header_meta(text: str) -> dict[str, float]:
    meta: dict[str, float] = {}
    for line in text.splitlines()[:30]:
        s = line.strip()
        if not s.startswith("#"):
            continue
        for key, names in (("latitude", ("latitude", "lat", "纬度")),
                           ("longitude", ("longitude", "lon", "lng", "经度")),
                           ("altitude", ("altitude", "elevation", "alt", "海拔", "高程")),
                           ("tz", ("tz", "timezone", "utc_offset", "时区"))):
            for n in names:
                m = re.search(rf"(?<![a-z]){re.escape(n)}\s*[:=：]\s*([+-]?\d+(?:\.\d+)?)", s, flags=re.I)
                if m and key not in meta:
                    meta[key] = float(m.group(1))
    return meta


def _radiation_to_wm2(values: np.ndarray, unit: str, col: str, path: str) -> tuple[np.ndarray, str]:
    """Hourly irradiation/irradiance in ``unit`` to mean W/m² over the hour."""
    factor = {"mj": 1e6 / 3600.0, "kj": 1e3 / 3600.0, "kwh": 1000.0, "kw": 1000.0, "wh": 1.0, "w": 1.0}
    if unit in factor:
        return values * factor[unit], unit
    vmax = np.nanmax(values) if np.isfinite(values).any() else 0.0
    if 0 < vmax <= 5.0:
        raise InputError(
            f"列“{col}”的最大值只有 {vmax:g}：请在列名中注明单位，如“总辐射(MJ/m2)”或“GHI (kW/m2)”。",
            f"column '{col}' peaks at only {vmax:g}: name its unit in the header, e.g. "
            "'GHI (MJ/m2)' or 'GHI (kW/m2)'.", path=path, code="weather.units")
    return values, "w"


_LABEL_SHIFT_MIN = {"start": 30.0, "centre": 0.0, "center": 0.0, "end": -30.0}
"""Minutes added to a time label to reach the centre of its hour, per ``csv_label``."""


def _parse_csv(text: str, path: str) -> pd.DataFrame:
    """The CSV body (``#`` comment lines skipped, separator sniffed) with stripped column names."""
    try:
        df = pd.read_csv(io.StringIO(text), comment="#", sep=None, engine="python", skipinitialspace=True)
    except Exception as exc:
        raise InputError(f"无法解析 CSV：{exc}", f"cannot parse the CSV: {exc}", path=path,
                         code="weather.unreadable") from exc
    df.columns = [str(c).strip() for c in df.columns]
    return df


def _csv_location(head_meta: dict[str, float], site_lonlat, path: str,
                  problems: list[Problem]) -> tuple[float, float]:
    """(lat, lon) in degrees from the header comments, else from the site position."""
    if "latitude" in head_meta and "longitude" in head_meta:
        return head_meta["latitude"], head_meta["longitude"]
    if site_lonlat is not None:
        problems.append(Problem("info", "weather.location_from_site",
                                "CSV 未注明位置，已采用建筑所在位置。",
                                "the CSV names no location; the site's position is used."))
        return float(site_lonlat[1]), float(site_lonlat[0])
    raise InputError(
        "CSV 天气文件未注明位置：请在文件头加“# latitude: 31.2, longitude: 121.4”，或指定场地位置。",
        "the CSV weather file names no location: add '# latitude: 31.2, longitude: 121.4' at the "
        "top, or give the site position.", path=path, code="weather.no_location")


def _parse_times(df: pd.DataFrame, path: str) -> pd.Series:
    """Timestamps of the rows (NaT where unparsable) from a time column or year/month/day/hour columns."""
    tcol = _match(df.columns, _TIME_NAMES)
    ymdh = {k: _match(df.columns, v) for k, v in _YMDH.items()}
    if tcol is not None:
        return pd.to_datetime(df[tcol].astype(str).str.strip(), errors="coerce", format="mixed")
    if all(ymdh.values()):
        hours = pd.to_numeric(df[ymdh["hour"]], errors="coerce")
        return (pd.to_datetime(pd.DataFrame({"year": df[ymdh["year"]], "month": df[ymdh["month"]],
                                             "day": df[ymdh["day"]]}), errors="coerce")
                + pd.to_timedelta(hours, unit="h"))
    raise InputError("CSV 中找不到时间列（如 time、timestamp、时间，或 年/月/日/时 四列）",
                     "no time column in the CSV (e.g. time, timestamp, 时间, or year/month/day/hour)",
                     path=path, code="weather.columns")


def _csv_times(df: pd.DataFrame, tz: float, tz_given: bool, path: str,
               problems: list[Problem]) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    """The rows with a parsable time and their times in UTC``tz`` (hours); naive times are taken
    as that zone (an info problem unless the header named it, ``tz_given``)."""
    times = _parse_times(df, path)
    bad = times.isna().to_numpy()
    if bad.mean() > MAX_MISSING_SHARE:
        raise InputError(f"{bad.sum()} 个时间无法解析", f"{bad.sum()} timestamps cannot be parsed",
                         path=path, code="weather.time")
    df = df.loc[~bad]
    times = pd.DatetimeIndex(times[~bad])
    if times.tz is not None:
        return df, times.tz_convert(_fixed_tz(tz))
    times = times.tz_localize(_fixed_tz(tz))
    if not tz_given:
        problems.append(Problem("info", "weather.tz_assumed",
                                f"CSV 时间未带时区，按 UTC{tz:+g}（北京时间）处理。",
                                f"CSV times carry no time zone; taken as UTC{tz:+g} "
                                "(China Standard Time)."))
    return df, times


def _csv_radiation(df: pd.DataFrame, times: pd.DatetimeIndex, path: str
                   ) -> tuple[pd.DataFrame, str | None, str | None]:
    """A frame on ``times`` with GHI and, when the CSV has them, DNI and DHI (W/m², hourly means),
    and the DNI and DHI column names (None when absent). DNI/DHI without a unit take GHI's."""
    gcol = _match(df.columns, _GHI_NAMES)
    if gcol is None:
        raise InputError("CSV 中找不到总辐射（GHI）列（如 ghi、总辐射）",
                         "no global horizontal irradiance column in the CSV (e.g. ghi, 总辐射)",
                         path=path, code="weather.columns")
    data = pd.DataFrame(index=times)
    ghi, unit = _radiation_to_wm2(pd.to_numeric(df[gcol], errors="coerce").to_numpy(float),
                                  _unit_of(gcol), gcol, path)
    data["ghi"] = ghi
    dcol, hcol = _match(df.columns, _DNI_NAMES), _match(df.columns, _DHI_NAMES)
    for key, col in (("dni", dcol), ("dhi", hcol)):
        if col is not None:
            vals = pd.to_numeric(df[col], errors="coerce").to_numpy(float)
            u = _unit_of(col) or unit
            data[key], _ = _radiation_to_wm2(vals, u, col, path)
    return data, dcol, hcol


def _csv_temperature(df: pd.DataFrame, problems: list[Problem]) -> np.ndarray | float:
    """Air temperature (°C) from the temperature column (K and °F converted; unit-less values
    above 200 taken as K), else the constant :data:`ASSUMED_TEMP_C` with a warning."""
    col = _match(df.columns, _TEMP_NAMES)
    if col is None:
        problems.append(Problem("warning", "weather.temp_assumed",
                                f"CSV 无气温列，按恒定 {ASSUMED_TEMP_C:g} °C 计算（组件温度损失会偏差）。",
                                f"the CSV has no air temperature; a constant {ASSUMED_TEMP_C:g} °C is "
                                "assumed (module temperature losses will be off)."))
        return ASSUMED_TEMP_C
    t = pd.to_numeric(df[col], errors="coerce").to_numpy(float)
    tu = _unit_of(col)
    if tu == "k" or (tu == "" and np.nanmedian(t) > 200):
        return t - 273.15
    if tu == "f":
        return (t - 32.0) * 5.0 / 9.0
    return t


def _csv_wind(df: pd.DataFrame, problems: list[Problem]) -> np.ndarray | float:
    """Wind speed (m/s) from the wind column, else the constant :data:`ASSUMED_WIND_MS`."""
    col = _match(df.columns, _WIND_NAMES)
    if col is not None:
        return pd.to_numeric(df[col], errors="coerce").to_numpy(float)
    problems.append(Problem("info", "weather.wind_assumed",
                            f"CSV 无风速列，按 {ASSUMED_WIND_MS:g} m/s 计算。",
                            f"the CSV has no wind speed; {ASSUMED_WIND_MS:g} m/s is assumed."))
    return ASSUMED_WIND_MS


def _auto_label(data: pd.DataFrame, lon: float, problems: list[Problem]) -> str:
    """The label ("start", "centre" or "end" of the hour) under which the GHI-weighted mean solar
    hour angle is closest to noon, reported as an info problem with that offset (h)."""
    probe = data["ghi"].fillna(0.0).to_numpy()
    best, best_off = "centre", None
    for name in ("start", "centre", "end"):
        idx = data.index + pd.Timedelta(minutes=_LABEL_SHIFT_MIN[name])
        ha = solar_hour_angle_h(idx, lon)
        off = float(np.sum(probe * ha) / max(np.sum(probe), 1e-9))
        if best_off is None or abs(off) < abs(best_off):
            best, best_off = name, off
    zh_l = {"start": "每小时开始", "centre": "每小时中点", "end": "每小时结束"}[best]
    en_l = {"start": "the start", "centre": "the centre", "end": "the end"}[best]
    problems.append(Problem("info", "weather.label_assumed",
                            f"CSV 时间按{zh_l}时刻解读（此时辐射相对太阳正午对称，"
                            f"偏移 {best_off:+.2f} h）。",
                            f"CSV times read as {en_l} of each hour (radiation is then centred on "
                            f"solar noon, offset {best_off:+.2f} h)."))
    return best


def _derive_beam_diffuse(w: Weather, has_dni: bool, has_dhi: bool, lat: float, lon: float) -> None:
    """Fill the DNI and/or DHI (W/m²) the CSV lacks in ``w.data`` from GHI: both by the Erbs (1982)
    split, one alone by closure GHI = DHI + DNI·cos z; an info problem says which."""
    if not has_dni and not has_dhi:
        dni, dhi = split_ghi(w.data["ghi"].to_numpy(), w.data.index, lat, lon)
        w.data["dni"], w.data["dhi"] = dni, dhi
        what_zh, what_en = "直射与散射", "DNI and DHI"
    elif not has_dni:
        # cos z floored at 0.065 (zenith ~86°) so low-sun noise does not blow DNI up
        cosz = np.cos(np.radians(solar_zenith_deg(w.data.index, lat, lon)))
        beam_h = np.clip(w.data["ghi"].to_numpy() - w.data["dhi"].to_numpy(), 0.0, None)
        w.data["dni"] = np.where(cosz > 0.065, beam_h / np.maximum(cosz, 0.065), 0.0)
        what_zh, what_en = "直射", "DNI"
    else:
        cosz = np.clip(np.cos(np.radians(solar_zenith_deg(w.data.index, lat, lon))), 0.0, None)
        w.data["dhi"] = np.clip(w.data["ghi"].to_numpy() - w.data["dni"].to_numpy() * cosz, 0.0, None)
        what_zh, what_en = "散射", "DHI"
    w.problems.append(Problem("info", "weather.split",
                              f"CSV 无{what_zh}辐射，已由总辐射推算（Erbs 1982 分解或闭合关系）。",
                              f"the CSV has no {what_en}; derived from GHI (Erbs 1982 decomposition "
                              "or closure)."))


def _read_plain_csv(p: Path, text: str, site_lonlat, tz_hours: float, label: str) -> Weather:
    """Weather from a plain hourly CSV (see the module docstring); ``site_lonlat`` (deg) is used
    when the header names no location, ``tz_hours`` for naive times unless the header gives tz."""
    if label not in ("auto", "start", "centre", "center", "end"):
        raise InputError("csv_label 应为 auto/start/centre/end", "csv_label must be auto/start/centre/end",
                         code="weather.csv_label")
    head_meta = _csv_header_meta(text)
    path = str(p)
    df = _parse_csv(text, path)
    problems: list[Problem] = []
    lat, lon = _csv_location(head_meta, site_lonlat, path, problems)
    alt = head_meta.get("altitude", 0.0)
    tz = head_meta.get("tz", tz_hours)
    df, times = _csv_times(df, tz, "tz" in head_meta, path, problems)

    data, dcol, hcol = _csv_radiation(df, times, path)
    data["temp_air"] = _csv_temperature(df, problems)
    data["wind_speed"] = _csv_wind(df, problems)
    dup = data.index.duplicated()
    if dup.any():
        problems.append(Problem("warning", "weather.duplicates",
                                f"{int(dup.sum())} 个重复时间，保留第一个。",
                                f"{int(dup.sum())} duplicated timestamps; the first is kept."))
        data = data.loc[~dup]
    data = data.sort_index()

    _check_hourly(data.index, path)
    if label == "auto":
        label = _auto_label(data, lon, problems)
    data.index = data.index + pd.Timedelta(minutes=_LABEL_SHIFT_MIN[label])

    source = f"CSV 文件 CSV file {p.name} (hourly CSV; {lat:.3f}°N {lon:.3f}°E)"
    derived = tuple(c for c, col in (("dni", dcol), ("dhi", hcol)) if col is None)
    w = _finish(data, lat, lon, alt, source, problems, path, typical=False, derived=derived)
    if dcol is None or hcol is None:
        _derive_beam_diffuse(w, dcol is not None, hcol is not None, lat, lon)
    return w
