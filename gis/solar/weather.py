"""Reading hourly weather files into :class:`Weather`: the dispatcher and the format readers.

``read_weather(path)`` reads, by content (the extension only breaks ties):

* EPW (EnergyPlus): CSWD, TMYx, IWEC, CityUHK … and PVGIS's ``outputformat=epw``;
* TMY3 CSV and TMY2 (NREL);
* PVGIS TMY (csv / json / epw) and PVGIS hourly series (csv / json, horizontal plane only);
* a plain hourly CSV: a time column (or year/month/day/hour columns), GHI, optional DNI/DHI,
  temperature and wind, with English or Chinese column names (时间, 总辐射, 温度, 风速 …).

Every source is brought to the conventions of :class:`Weather`: irradiance in W/m², air
temperature in °C, wind in m/s, a tz-aware hourly index whose labels are the **centres** of the
hours the values stand for. File conventions (pvlib readers' index → hour centre):

* EPW: the value of EPW hour h covers (h−1, h]; pvlib labels it h−1, the centre is +30 min.
* TMY2: pvlib labels hour h as h−1 (like EPW): +30 min.
* TMY3: pvlib labels the end of the hour: −30 min.
* PVGIS: UTC instants with minutes (e.g. 10:10 for SARAH; TMY csv adds an "Irradiance Time
  Offset"); each value is taken to stand for the hour centred on its instant, and the labels are
  kept (so they may read :10 or :55), converted to the local time zone.
* Plain CSV: labels may mark the start, centre or end of the hour; ``csv_label="auto"`` picks the
  one that centres radiation on solar noon and says so.

Typical-year files (EPW, TMY2/3, PVGIS TMY) are set to one calendar ``year`` (default 2023; Feb 29
dropped if the year has none).

The work is split over small modules, each re-exported here so ``gis.solar.weather`` stays the one
place to import from:

* :mod:`gis.solar.weather_csv` — the plain hourly CSV reader;
* :mod:`gis.solar.weather_finish` — regular hourly index, gap filling, plausibility (``_finish``);
* :mod:`gis.solar.weather_checks` — the checks (time zone, time base, closure, site distance) and
  the corrections :func:`correct_time_base`, :func:`restore_closure`;
* :mod:`gis.solar.weather_geometry` — sun hour angle/zenith, Erbs split, distances, China box.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from gis.errors import InputError, Problem
from gis.solar.weather_checks import (
    CLOSURE_WARN,
    SITE_REFUSE_KM,
    SITE_WARN_KM,
    TIME_BASE_WARN_H,
    TZ_WARN_H,
    _quality_checks,
    check_site,
    closure_ratio,
    correct_time_base,
    noon_offset_h,
    restore_closure,
)
from gis.solar.weather_csv import _read_plain_csv
from gis.solar.weather_finish import (
    ASSUMED_TEMP_C,
    ASSUMED_WIND_MS,
    GAP_INTERPOLATE_MAX_H,
    MAX_MISSING_SHARE,
    _finish,
    _fixed_tz,
)
from gis.solar.weather_geometry import (
    CHINA_BBOX,
    EARTH_RADIUS_KM,
    great_circle_km,
    in_china_bbox,
    solar_hour_angle_h,
    solar_zenith_deg,
    split_ghi,
)
from gis.solar.weather_types import Weather

__all__ = [
    "ASSUMED_TEMP_C",
    "ASSUMED_WIND_MS",
    "CHINA_BBOX",
    "CLOSURE_WARN",
    "DEFAULT_YEAR",
    "EARTH_RADIUS_KM",
    "GAP_INTERPOLATE_MAX_H",
    "KNOWN_HEADER_FIXES",
    "MAX_MISSING_SHARE",
    "SITE_REFUSE_KM",
    "SITE_WARN_KM",
    "TIME_BASE_WARN_H",
    "TZ_WARN_H",
    "check_site",
    "closure_ratio",
    "correct_time_base",
    "great_circle_km",
    "in_china_bbox",
    "noon_offset_h",
    "read_weather",
    "restore_closure",
    "sniff_kind",
    "solar_hour_angle_h",
    "solar_zenith_deg",
    "split_ghi",
]


# ---------------------------------------------------------------------------------------------
# Constants of the readers
# ---------------------------------------------------------------------------------------------

DEFAULT_YEAR = 2023
"""Calendar year typical-year files are set to (a non-leap year, as default_weather uses)."""

KNOWN_HEADER_FIXES: dict[tuple[str, str], dict] = {
    # ../shared/data/SOURCES.md: "Nanjing CSWD's header latitude (32.83) is wrong; the station
    # is at ~31.93 N" (Nanjing station 58238: 31°56′N 118°48′E).
    ("CSWD", "582380"): {"latitude": 31.93, "was": 32.83, "name": "Nanjing"},
}

_MISSING_CODES = {"ghi": 9999.0, "dni": 9999.0, "dhi": 9999.0, "temp_air": 99.9, "wind_speed": 999.0}
"""EPW/TMY 'missing' codes (values at or above them are missing)."""

_SOURCE_NAMES = {
    "CSWD": ("中国建筑热环境分析专用气象数据集 CSWD",
             "CSWD, China Standard Weather Data (CMA & Tsinghua Univ.)"),
    "TMYx": ("TMYx 典型年（NOAA ISD/ERA5）", "TMYx typical year (climate.onebuilding.org, NOAA ISD/ERA5)"),
    "IWEC": ("ASHRAE IWEC 典型年", "ASHRAE IWEC typical year"),
    "CityUHK": ("香港城市大学典型年", "CityUHK Hong Kong typical year"),
    "SWERA": ("SWERA 典型年", "SWERA typical year"),
    "PVGIS": ("PVGIS（欧盟 JRC）", "PVGIS (EU JRC)"),
    "TMY3": ("NREL TMY3", "NREL TMY3"),
    "TMY2": ("NREL TMY2", "NREL TMY2"),
    "CSV": ("逐时 CSV", "hourly CSV"),
    "EPW": ("EPW", "EPW"),
}


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

def read_weather(path: str | Path, *, site_lonlat: tuple[float, float] | None = None,
                 fix_time_base: bool = False, year: int = DEFAULT_YEAR,
                 csv_tz_hours: float = 8.0, csv_label: str = "auto") -> Weather:
    """Read an hourly weather file of any supported kind into :class:`Weather`.

    site_lonlat: (lon, lat) of the buildings, degrees WGS84: checks the distance (> 50 km warning,
        > 500 km InputError) and gives a plain CSV without a location its position.
    fix_time_base: apply :func:`correct_time_base` when the time-base check fires (off by
        default: the problem is reported, the data left as they are).
    year: calendar year that typical-year files are set to; real series keep their dates.
    csv_tz_hours: UTC offset (h) of naive CSV timestamps (default 8: China Standard Time).
    csv_label: what a CSV timestamp marks: "start", "centre", "end" of its hour or "auto".
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"找不到天气文件：{p}", f"weather file not found: {p}", path=str(p),
                         code="weather.missing_file")
    raw = p.read_bytes()
    text = _decode(raw)
    kind = sniff_kind(p, text)
    try:
        if kind == "epw":
            w = _read_epw(p, text, year)
        elif kind == "tmy3":
            w = _read_tmy3(p, year)
        elif kind == "tmy2":
            w = _read_tmy2(p, year)
        elif kind == "pvgis_tmy_csv":
            w = _read_pvgis_tmy(p, "csv", year)
        elif kind == "pvgis_tmy_json":
            w = _read_pvgis_tmy(p, "json", year)
        elif kind in ("pvgis_hourly_csv", "pvgis_hourly_json"):
            w = _read_pvgis_hourly(p, text, kind.rsplit("_", 1)[1])
        else:
            w = _read_plain_csv(p, text, site_lonlat, csv_tz_hours, csv_label)
    except InputError:
        raise
    except Exception as exc:  # a reader choked on a malformed file: bad input, not a bug
        raise InputError(f"无法读取天气文件（识别为 {kind}）：{exc}",
                         f"cannot read the weather file (recognised as {kind}): {exc}",
                         path=str(p), code="weather.unreadable") from exc

    # (a) only questions a time zone the file states, not one Lingtan chose (UTC data, naive CSV)
    w.problems.extend(_quality_checks(w, tz_from_file=not any(pr.code == "weather.tz_assumed"
                                                              for pr in w.problems)))
    for pr in w.problems:
        if pr.level == "error":
            raise InputError(pr.zh, pr.en, path=str(p), code=pr.code)
    if fix_time_base and any(pr.code == "weather.time_base" for pr in w.problems):
        w = correct_time_base(w)
    if site_lonlat is not None:
        site_problems = check_site(w, *site_lonlat)
        for pr in site_problems:
            if pr.level == "error":
                raise InputError(pr.zh, pr.en, path=str(p), code=pr.code)
        w.problems.extend(site_problems)
    return w


def sniff_kind(path: Path, text: str) -> str:
    """The file kind from its content: epw, tmy3, tmy2, pvgis_tmy_csv|json, pvgis_hourly_csv|json, csv."""
    head = text.lstrip("\ufeff")[:4000]
    first = head.splitlines()[0] if head else ""
    suffix = path.suffix.lower()
    if first.upper().startswith("LOCATION,"):
        return "epw"
    if head.lstrip().startswith("{"):
        try:
            obj = json.loads(text)
        except ValueError:
            obj = None
        outputs = obj.get("outputs", {}) if isinstance(obj, dict) else {}
        if "tmy_hourly" in outputs:
            return "pvgis_tmy_json"
        if "hourly" in outputs:
            return "pvgis_hourly_json"
        raise InputError("无法识别的 JSON 天气文件（不是 PVGIS 的 TMY 或逐时输出）",
                         "unrecognised JSON weather file (not a PVGIS TMY or hourly output)",
                         path=str(path), code="weather.format")
    if first.startswith("Latitude (decimal degrees)"):
        if "time(UTC)" in head or "month,year" in head or "Irradiance Time Offset" in head:
            return "pvgis_tmy_csv"
        return "pvgis_hourly_csv"
    lines = head.splitlines()
    if len(lines) > 1 and lines[1].startswith("Date (MM/DD/YYYY)"):
        return "tmy3"
    if suffix == ".tm2" or re.match(r"^\s*\d{5}\s+\S.*\s[NS]\s+\d+\s+\d+\s+[EW]\s+\d+", first):
        return "tmy2"
    return "csv"


# ---------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------

def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _typical_index(year: int, month, day, hour0, minute, tz_hours: float, centre_shift_min: float,
                   ) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """Index for typical-year rows set to ``year``: (index, kept-row mask). ``hour0`` 0–23 (24 ok)."""
    month = np.asarray(month, int)
    day = np.asarray(day, int)
    hour0 = np.broadcast_to(np.asarray(hour0, float), month.shape)
    minute = np.broadcast_to(np.asarray(minute, float), month.shape)
    keep = np.ones(len(month), bool)
    if not pd.Timestamp(year=year, month=1, day=1).is_leap_year:
        keep = ~((month == 2) & (day == 29))
    base = pd.to_datetime(pd.DataFrame({"year": year, "month": month[keep], "day": day[keep]}))
    offs = (pd.to_timedelta(hour0[keep], unit="h")
            + pd.to_timedelta(minute[keep] + centre_shift_min, unit="min"))
    idx = pd.DatetimeIndex(base + offs).tz_localize(_fixed_tz(tz_hours))
    return idx, keep


def _epw_data_source(path: Path, meta: dict, comments: str) -> str:
    name = path.name.upper()
    src = str(meta.get("data_type", "")).upper()
    for key, tag in (("CSWD", "CSWD"), ("TMYX", "TMYx"), ("IWEC", "IWEC"), ("CITYUHK", "CityUHK"),
                     ("SWERA", "SWERA")):
        if key in name or key in src:
            return tag
    if "ECMWF" in src or "PVGIS" in name or "PVGIS" in comments.upper() or "JRC" in comments.upper():
        return "PVGIS"
    return "EPW"


def _read_epw(p: Path, text: str, year: int) -> Weather:
    df, meta = pvlib.iotools.read_epw(io.StringIO(text))
    lines = text.splitlines()[:8]
    comments = " ".join(ln for ln in lines if ln.upper().startswith("COMMENTS"))
    tag = _epw_data_source(p, meta, comments)
    station = str(meta.get("WMO_code", "")).strip()
    city = str(meta.get("city", "")).strip()
    lat, lon, alt = float(meta["latitude"]), float(meta["longitude"]), float(meta["altitude"])
    problems: list[Problem] = []
    fix = KNOWN_HEADER_FIXES.get((tag, station))
    if fix is not None and abs(lat - fix["was"]) < 0.02:
        problems.append(Problem(
            "info", "weather.header_fixed",
            f"{fix['name']} {station} 文件头纬度 {lat:.2f} 有误，已改为 {fix['latitude']:.2f}°N"
            "（见 SOURCES.md）。",
            f"{fix['name']} {station}: header latitude {lat:.2f} is wrong, using {fix['latitude']:.2f}°N "
            "(see SOURCES.md)."))
        lat = fix["latitude"]
    tz = float(meta["TZ"])
    # EPW hour h (1..24) covers (h-1, h]: centre at h-0.5 = pvlib's label (h-1) + 30 min.
    idx, keep = _typical_index(year, df["month"], df["day"], df["hour"].to_numpy() - 1, 0, tz, 30.0)
    data = df.loc[keep, ["ghi", "dni", "dhi", "temp_air", "wind_speed"]].astype(float).copy()
    data.index = idx
    for c, code in _MISSING_CODES.items():
        data.loc[data[c] >= code, c] = np.nan
    if tag == "PVGIS" and tz == 0.0:
        # PVGIS writes its EPW in UTC: move the (cyclic) typical year to local standard time
        local_tz = _local_tz_hours(lon, lat)
        if local_tz:
            shift = round(local_tz)
            data = pd.DataFrame(np.roll(data.to_numpy(), shift, axis=0), columns=data.columns,
                                index=data.index.tz_localize(None).tz_localize(_fixed_tz(shift)))
            problems.append(Problem(
                "info", "weather.tz_assumed",
                f"PVGIS 的 EPW 为 UTC 时间，已转换为 UTC{shift:+d}。",
                f"PVGIS writes EPW in UTC; converted to UTC{shift:+d}."))
    if tag == "TMYx" and in_china_bbox(lon, lat):
        problems.append(Problem(
            "info", "weather.tmyx_bias",
            "TMYx（ERA5 参与）在中国站点的年总辐射比 CSWD 高约 20%（7–42%，见 docs/weather.md）。",
            "TMYx (ERA5-based) files read ~20% (7–42%) more annual GHI than CSWD at the same "
            "Chinese stations (see docs/weather.md)."))
    place = f"{city} {station}".strip()
    zh, en = _SOURCE_NAMES[tag]
    source = f"EPW 文件 EPW file {p.name} ({en}; {zh}; station {place})"
    return _finish(data, lat, lon, alt, source, problems, str(p), typical=True)


def _read_tmy3(p: Path, year: int) -> Weather:
    df, meta = pvlib.iotools.read_tmy3(str(p), map_variables=True)
    date = pd.to_datetime(df["Date (MM/DD/YYYY)"], format="%m/%d/%Y")
    hm = df["Time (HH:MM)"].str.split(":", expand=True).astype(int)
    # TMY3 "HH:MM" marks the end of the hour (01:00 = 00:00–01:00): centre at −30 min.
    idx, keep = _typical_index(year, date.dt.month, date.dt.day, hm[0], hm[1], float(meta["TZ"]), -30.0)
    data = pd.DataFrame({c: df[c].to_numpy(float)[keep] for c in ("ghi", "dni", "dhi", "temp_air",
                                                                  "wind_speed")}, index=idx)
    name = str(meta.get("Name", "")).strip('"')
    source = f"TMY3 文件 TMY3 file {p.name} (NREL TMY3; station {name} {meta.get('USAF', '')})"
    return _finish(data.sort_index(), float(meta["latitude"]), float(meta["longitude"]),
                   float(meta["altitude"]), source, [], str(p), typical=True)


def _read_tmy2(p: Path, year: int) -> Weather:
    df, meta = pvlib.iotools.read_tmy2(str(p))
    # pvlib labels TMY2 hour h (1..24, hour-ending) as h−1: centre at +30 min.
    idx, keep = _typical_index(year, df["month"], df["day"], df["hour"].to_numpy() - 1, 0,
                               float(meta["TZ"]), 30.0)
    sub = df.loc[keep]
    data = pd.DataFrame({
        "ghi": sub["GHI"].to_numpy(float), "dni": sub["DNI"].to_numpy(float),
        "dhi": sub["DHI"].to_numpy(float),
        "temp_air": sub["DryBulb"].to_numpy(float) / 10.0,  # TMY2: tenths of °C
        "wind_speed": sub["Wspd"].to_numpy(float) / 10.0,   # TMY2: tenths of m/s
    }, index=idx)
    station = f"{meta.get('City', '')} {meta.get('WBAN', '')}"
    source = f"TMY2 文件 TMY2 file {p.name} (NREL TMY2; station {station})"
    return _finish(data, float(meta["latitude"]), float(meta["longitude"]), float(meta["altitude"]),
                   source, [], str(p), typical=True)


def _local_tz_hours(lon: float, lat: float) -> float:
    """UTC offset used for UTC data: China Standard Time inside China, else round(lon/15)."""
    return 8.0 if in_china_bbox(lon, lat) else float(round(lon / 15.0))


def _pvgis_offset_h(meta: dict) -> float:
    for d in (meta.get("inputs", {}), meta):
        for k, v in d.items() if isinstance(d, dict) else []:
            if "time offset" in str(k).lower():
                try:
                    return float(v)
                except (TypeError, ValueError):
                    return 0.0
    return 0.0


def _pvgis_location(meta: dict) -> tuple[float, float, float]:
    inp = meta.get("inputs", {})
    loc = inp.get("location", inp)
    return float(loc["latitude"]), float(loc["longitude"]), float(loc.get("elevation", 0.0))


def _pvgis_db(meta: dict) -> str:
    inp = meta.get("inputs", {})
    md = inp.get("meteo_data", {}) if isinstance(inp.get("meteo_data"), dict) else {}
    db = md.get("radiation_db") or inp.get("radiation_database") or ""
    yrs = ""
    if md.get("year_min") and md.get("year_max"):
        yrs = f" {md['year_min']}–{md['year_max']}"
    return f"{db}{yrs}".strip()


def _read_pvgis_tmy(p: Path, fmt: str, year: int) -> Weather:
    df, meta = pvlib.iotools.read_pvgis_tmy(str(p), pvgis_format=fmt, map_variables=True)
    lat, lon, alt = _pvgis_location(meta)
    tz = _local_tz_hours(lon, lat)
    offset_h = _pvgis_offset_h(meta)
    # Months come from different years, stamped in UTC: set them to `year`, order, then roll the
    # values by the UTC offset so the local year starts at 00:xx on Jan 1 (as pvlib's
    # roll_utc_offset does). Labels: UTC instant + irradiance time offset.
    utc = df.index
    order = np.lexsort((utc.minute, utc.hour, utc.day, utc.month))
    df = df.iloc[order]
    utc = df.index
    keep = np.ones(len(df), bool)
    if not pd.Timestamp(year=year, month=1, day=1).is_leap_year:
        keep = ~((utc.month == 2) & (utc.day == 29))
    df = df.iloc[keep]
    utc = df.index
    shift = round(tz)
    values = np.roll(df[["ghi", "dni", "dhi", "temp_air", "wind_speed"]].to_numpy(float), shift, axis=0)
    base = pd.to_datetime(pd.DataFrame({"year": year, "month": utc.month, "day": utc.day}))
    local = (pd.DatetimeIndex(base) + pd.to_timedelta(utc.hour, unit="h")
             + pd.to_timedelta(utc.minute, unit="min")
             + pd.Timedelta(seconds=round(offset_h * 3600.0))).tz_localize(_fixed_tz(tz))
    data = pd.DataFrame(values, index=local, columns=["ghi", "dni", "dhi", "temp_air", "wind_speed"])
    problems = [Problem(
        "info", "weather.tz_assumed",
        f"PVGIS 时间为 UTC，已转换为 UTC{tz:+.0f}；每个值代表以其时刻为中心的一小时。",
        f"PVGIS times are UTC; converted to UTC{tz:+.0f}; each value stands for the hour centred "
        "on its instant.")]
    db = _pvgis_db(meta)
    source = (f"PVGIS TMY 文件 PVGIS TMY file {p.name} (PVGIS (EU JRC) {db}; "
              f"{lat:.3f}°N {lon:.3f}°E)")
    return _finish(data, lat, lon, alt, source, problems, str(p), typical=True)


def _read_pvgis_hourly(p: Path, text: str, fmt: str) -> Weather:
    df, meta = pvlib.iotools.read_pvgis_hourly(str(p), pvgis_format=fmt, map_variables=True)
    lat, lon, alt = _pvgis_location(meta)
    slope = _pvgis_slope(meta, text)
    if slope is not None and abs(slope) > 0.01:
        raise InputError(
            f"该 PVGIS 逐时文件是倾角 {slope:g}° 面上的辐照度；请以倾角 0（水平面）重新下载。",
            f"this PVGIS hourly file holds irradiance on a plane tilted {slope:g}°; download it "
            "again with slope 0 (horizontal).", path=str(p), code="weather.pvgis_poa")
    tz = _local_tz_hours(lon, lat)
    idx = df.index.tz_convert(_fixed_tz(tz))
    if "ghi" in df:
        ghi = df["ghi"].to_numpy(float)
    elif "poa_global" in df:
        ghi = df["poa_global"].to_numpy(float)
    elif {"poa_direct", "poa_sky_diffuse"} <= set(df.columns):
        ghi = (df["poa_direct"] + df["poa_sky_diffuse"]
               + df.get("poa_ground_diffuse", 0.0)).to_numpy(float)
    else:
        raise InputError("PVGIS 逐时文件中没有辐照度列", "the PVGIS hourly file has no irradiance column",
                         path=str(p), code="weather.columns")
    data = pd.DataFrame({"ghi": ghi}, index=idx)
    problems: list[Problem] = []
    if "dni" in df and "dhi" in df:
        data["dni"] = df["dni"].to_numpy(float)
        data["dhi"] = df["dhi"].to_numpy(float)
    elif {"poa_direct", "poa_sky_diffuse"} <= set(df.columns):
        # horizontal plane: beam on the plane is horizontal beam; DNI = beam / cos(zenith)
        if "solar_elevation" in df:
            cosz = np.sin(np.radians(df["solar_elevation"].to_numpy(float)))
        else:
            cosz = np.cos(np.radians(solar_zenith_deg(idx, lat, lon)))
        beam_h = df["poa_direct"].to_numpy(float)
        data["dni"] = np.where(cosz > 0.065, beam_h / np.maximum(cosz, 0.065), 0.0)
        data["dhi"] = df["poa_sky_diffuse"].to_numpy(float)
    data["temp_air"] = df["temp_air"].to_numpy(float) if "temp_air" in df else np.nan
    data["wind_speed"] = df["wind_speed"].to_numpy(float) if "wind_speed" in df else np.nan
    problems.append(Problem(
        "info", "weather.tz_assumed",
        f"PVGIS 时间为 UTC，已转换为 UTC{tz:+.0f}；每个值代表以其时刻为中心的一小时。",
        f"PVGIS times are UTC; converted to UTC{tz:+.0f}; each value stands for the hour centred on "
        "its instant."))
    db = _pvgis_db(meta)
    source = f"PVGIS 逐时文件 PVGIS hourly file {p.name} (PVGIS (EU JRC) {db}; {lat:.3f}°N {lon:.3f}°E)"
    return _finish(data, lat, lon, alt, source, problems, str(p), typical=False)


def _pvgis_slope(meta: dict, text: str) -> float | None:
    ms = meta.get("inputs", {}).get("mounting_system")
    if isinstance(ms, dict):
        for v in ms.values():
            if isinstance(v, dict) and isinstance(v.get("slope"), dict):
                try:
                    return float(v["slope"].get("value"))
                except (TypeError, ValueError):
                    return None
    m = re.search(r"^Slope:\s*([-\d.]+)", text, flags=re.M)
    return float(m.group(1)) if m else None
