"""Reading hourly weather files into :class:`Weather`, and the checks that keep them honest.

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
dropped if the year has none). Short gaps (≤ 3 h) are interpolated, longer ones filled from the same
hour of neighbouring days, both with a warning; more than 5% missing, or data that are not hourly,
are refused.

Checks that append :class:`~gis.errors.Problem` entries (never silently wrong):

(a) time zone vs longitude/15 differing by ≥ 2 h;
(b) the radiation time base: the GHI-weighted mean hour angle (h from solar noon). See
    ``TIME_BASE_WARN_H`` for the threshold and :func:`correct_time_base` for the whole-hour fix;
(c) closure: Σ(DNI·cosZ + DHI) vs ΣGHI more than 10% apart over the year;
(d) with ``site_lonlat``: the weather location more than 50 km from the site (warning) or more than
    500 km (refused), see :func:`check_site`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

from gis.errors import InputError, Problem
from gis.fields import normalise_name
from gis.solar.weather_types import WEATHER_COLUMNS, Weather

# ---------------------------------------------------------------------------------------------
# Thresholds (each with the reason for its value)
# ---------------------------------------------------------------------------------------------

TIME_BASE_WARN_H = 0.7
"""|noon offset| (h) from which the radiation time base is flagged. Measured on the 44 CSWD EPW
files of ../shared/data/weather (SOURCES.md table, same convention as here: EPW hour h centred at
h−0.5): the well-timed files lie at +0.41…+0.55 h, the 16 files with the time-base error at
+0.79…+1.45 h; 0.7 h separates the two groups with margin on both sides. (CSWD and TMYx files
centre their radiation ~0.5 h after solar noon by the EPW convention; IWEC lies at 0.0; that
half-hour is not flagged and not shifted.)"""

CLOSURE_WARN = 0.10
"""Relative difference of annual Σ(DNI·cosZ + DHI) from ΣGHI above which a warning is given.
CSWD files are often ~5% low (SOURCES.md: up to 16%)."""

TZ_WARN_H = 2.0
"""|time zone − longitude/15| (h) from which the time zone is questioned."""

SITE_WARN_KM = 50.0
"""Weather station farther than this from the site: warning (climate can change over ~50 km,
e.g. coast/inland or basin/mountain)."""

SITE_REFUSE_KM = 500.0
"""Weather station farther than this from the site: refused (a different climate region)."""

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

DEFAULT_YEAR = 2023
"""Calendar year typical-year files are set to (a non-leap year, as default_weather uses)."""

CHINA_BBOX = (73.0, 18.0, 135.5, 54.0)
"""Rough lon/lat box of mainland China + Hainan (lon_min, lat_min, lon_max, lat_max), degrees."""

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km, for great-circle distances."""

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
    if fix_time_base and any(pr.code == "weather.time_base" for pr in w.problems):
        w = correct_time_base(w)
    if site_lonlat is not None:
        site_problems = check_site(w, *site_lonlat)
        for pr in site_problems:
            if pr.level == "error":
                raise InputError(pr.zh, pr.en, path=str(p), code=pr.code)
        w.problems.extend(site_problems)
    return w


def check_site(weather: Weather, lon: float, lat: float) -> list[Problem]:
    """Distance of the weather location from the site (lon/lat, degrees).

    Returns a warning beyond ``SITE_WARN_KM`` and an error-level Problem beyond ``SITE_REFUSE_KM``
    (read_weather turns the latter into an InputError). Nothing for a climatology built for the
    site itself.
    """
    d = great_circle_km(weather.longitude, weather.latitude, lon, lat)
    where_w = f"{_short_source(weather)} ({weather.latitude:.2f}°N, {weather.longitude:.2f}°E)"
    where_s = f"{lat:.3f}°N, {lon:.3f}°E"
    if d > SITE_REFUSE_KM:
        return [Problem("error", "weather.site_too_far",
                        f"天气数据来自 {where_w}，建筑位于 {where_s}，相距 {d:.0f} km（超过 "
                        f"{SITE_REFUSE_KM:.0f} km）：请换用当地的天气文件，或使用内置气候表。",
                        f"the weather file is for {where_w}, the buildings are at {where_s}, "
                        f"{d:.0f} km away (more than {SITE_REFUSE_KM:.0f} km): use a local weather "
                        "file or the built-in climatology.")]
    if d > SITE_WARN_KM:
        return [Problem("warning", "weather.site_far",
                        f"天气数据来自 {where_w}，距建筑 {d:.0f} km：气候可能不同，结果仅供参考。",
                        f"the weather data are for {where_w}, {d:.0f} km from the buildings: the "
                        "climate may differ; treat results as indicative.")]
    return []


def noon_offset_h(weather: Weather) -> float:
    """GHI-weighted mean hour angle of the data, in hours from true solar noon (+ = afternoon).

    Zero for radiation placed symmetrically about solar noon at the index labels.
    """
    ghi = weather.data["ghi"].to_numpy(float)
    total = np.nansum(ghi)
    if not total > 0:
        return 0.0
    ha = solar_hour_angle_h(weather.data.index, weather.longitude)
    return float(np.nansum(ghi * ha) / total)


def closure_ratio(weather: Weather) -> float:
    """Annual Σ(DNI·cosZ + DHI) / ΣGHI (1.0 for consistent components)."""
    d = weather.data
    cosz = np.clip(np.cos(np.radians(solar_zenith_deg(d.index, weather.latitude, weather.longitude))),
                   0.0, None)
    ghi = d["ghi"].to_numpy(float)
    total = np.nansum(ghi)
    if not total > 0:
        return 1.0
    return float(np.nansum(d["dni"].to_numpy(float) * cosz + d["dhi"].to_numpy(float)) / total)


def correct_time_base(weather: Weather, hours: int | None = None) -> Weather:
    """A copy with the irradiance columns moved ``hours`` earlier, cyclically over the series;
    temperature and wind are left alone.

    hours: None (default) shifts by the noon offset rounded to whole hours, but only when the
        time-base check fires (|offset| ≥ ``TIME_BASE_WARN_H``), so it is safe to call on any file:
        well-timed files come back unchanged. An explicit integer always shifts (negative = later).
    The time-base problem (if any) is replaced by an info entry naming the shift, and the source
    line says so.
    """
    before = noon_offset_h(weather)
    if hours is None:
        shift = round(before) if abs(before) >= TIME_BASE_WARN_H else 0
    else:
        shift = int(hours)
    data = weather.data.copy()
    problems = [p for p in weather.problems if p.code != "weather.time_base"]
    source = weather.source
    if shift:
        for c in ("ghi", "dni", "dhi"):
            data[c] = np.roll(data[c].to_numpy(), -shift)
        after_w = replace(weather, data=data)
        after = noon_offset_h(after_w)
        problems.append(Problem(
            "info", "weather.time_base_corrected",
            f"辐射数据整体提前 {shift} 小时以校正时间基准（正午偏移 {before:+.2f} h → {after:+.2f} h）。",
            f"irradiance shifted {shift} h earlier to correct the time base "
            f"(noon offset {before:+.2f} h → {after:+.2f} h)."))
        source = f"{source}; irradiance shifted −{shift} h (time-base correction)"
    return replace(weather, data=data, problems=problems, source=source)


def restore_closure(weather: Weather) -> Weather:
    """A copy with DNI scaled month by month so that Σ(DNI·cosZ + DHI) = ΣGHI.

    GHI and DHI are kept (GHI is the measured or best-known quantity of typical-year files; the
    monthly diffuse fraction is kept too); only the beam is rescaled, so the hourly pattern stays.
    For CSWD files whose beam falls 10–18% short (SOURCES.md), a south-facing tilted plane would
    otherwise receive *less* than GHI even at clear sites such as Lhasa. Apply after
    :func:`correct_time_base` when both are needed.
    """
    d = weather.data.copy()
    cosz = np.clip(np.cos(np.radians(solar_zenith_deg(d.index, weather.latitude, weather.longitude))),
                   0.0, None)
    month = d.index.month.to_numpy() - 1
    beam = d["dni"].to_numpy(float) * cosz
    want = np.bincount(month, weights=np.clip(d["ghi"].to_numpy(float) - d["dhi"].to_numpy(float), 0, None),
                       minlength=12)
    have = np.bincount(month, weights=beam, minlength=12)
    factor = np.where(have > 0, want / np.where(have > 0, have, 1.0), 1.0)
    before = closure_ratio(weather)
    d["dni"] = d["dni"].to_numpy(float) * factor[month]
    out = replace(weather, data=d)
    after = closure_ratio(out)
    problems = [p for p in weather.problems if p.code != "weather.closure"]
    problems.append(Problem(
        "info", "weather.closure_restored",
        f"直射辐射按月缩放（系数 {factor.min():.2f}–{factor.max():.2f}），使 直射·cosZ + 散射 = 总辐射"
        f"（{before:.0%} → {after:.0%}）。",
        f"DNI scaled month by month (factors {factor.min():.2f}–{factor.max():.2f}) so that "
        f"DNI·cosZ + DHI = GHI ({before:.0%} → {after:.0%})."))
    return replace(out, problems=problems, source=f"{weather.source}; DNI rescaled for closure")


def great_circle_km(lon1, lat1, lon2, lat2):
    """Haversine distance(s) in km between points given in degrees (broadcasts)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, float)) for v in (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(d) if np.ndim(d) == 0 else d


def in_china_bbox(lon: float, lat: float) -> bool:
    """Inside the rough lon/lat box of China (``CHINA_BBOX``)."""
    x0, y0, x1, y1 = CHINA_BBOX
    return x0 <= lon <= x1 and y0 <= lat <= y1


def solar_hour_angle_h(index: pd.DatetimeIndex, lon: float) -> np.ndarray:
    """Hour angle at each (tz-aware) label in hours, −12…12, 0 at true solar noon."""
    utc = index.tz_convert("UTC")
    hours = utc.hour.to_numpy() + utc.minute.to_numpy() / 60.0 + utc.second.to_numpy() / 3600.0
    eot_min = pvlib.solarposition.equation_of_time_spencer71(utc.day_of_year.to_numpy())
    solar = hours + lon / 15.0 + eot_min / 60.0
    return (solar - 12.0 + 12.0) % 24.0 - 12.0


def solar_zenith_deg(index: pd.DatetimeIndex, lat: float, lon: float) -> np.ndarray:
    """True solar zenith (degrees) at each label (pvlib NREL SPA, numpy)."""
    pos = pvlib.solarposition.get_solarposition(index, lat, lon, method="nrel_numpy")
    return pos["zenith"].to_numpy()


def split_ghi(ghi: np.ndarray, index: pd.DatetimeIndex, lat: float, lon: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """(DNI, DHI) from GHI with the Erbs et al. (1982) decomposition (pvlib.irradiance.erbs)."""
    zen = solar_zenith_deg(index, lat, lon)
    out = pvlib.irradiance.erbs(np.asarray(ghi, float), zen, index)
    dni = np.nan_to_num(np.asarray(out["dni"], float))
    dhi = np.nan_to_num(np.asarray(out["dhi"], float))
    night = zen >= 90.0
    dni[night] = 0.0
    dhi[night] = 0.0
    return dni, dhi


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


def _fixed_tz(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=float(hours)))


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


# ---- plain CSV ------------------------------------------------------------------------------

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
    normed = {}
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


def _csv_header_meta(text: str) -> dict:
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


def _read_plain_csv(p: Path, text: str, site_lonlat, tz_hours: float, label: str) -> Weather:
    if label not in ("auto", "start", "centre", "center", "end"):
        raise InputError("csv_label 应为 auto/start/centre/end", "csv_label must be auto/start/centre/end",
                         code="weather.csv_label")
    head_meta = _csv_header_meta(text)
    try:
        df = pd.read_csv(io.StringIO(text), comment="#", sep=None, engine="python", skipinitialspace=True)
    except Exception as exc:
        raise InputError(f"无法解析 CSV：{exc}", f"cannot parse the CSV: {exc}", path=str(p),
                         code="weather.unreadable") from exc
    df.columns = [str(c).strip() for c in df.columns]
    path = str(p)
    problems: list[Problem] = []

    # --- location
    if "latitude" in head_meta and "longitude" in head_meta:
        lat, lon = head_meta["latitude"], head_meta["longitude"]
    elif site_lonlat is not None:
        lon, lat = float(site_lonlat[0]), float(site_lonlat[1])
        problems.append(Problem("info", "weather.location_from_site",
                                "CSV 未注明位置，已采用建筑所在位置。",
                                "the CSV names no location; the site's position is used."))
    else:
        raise InputError(
            "CSV 天气文件未注明位置：请在文件头加“# latitude: 31.2, longitude: 121.4”，或指定场地位置。",
            "the CSV weather file names no location: add '# latitude: 31.2, longitude: 121.4' at the "
            "top, or give the site position.", path=path, code="weather.no_location")
    alt = head_meta.get("altitude", 0.0)
    tz = head_meta.get("tz", tz_hours)

    # --- time
    tcol = _match(df.columns, _TIME_NAMES)
    ymdh = {k: _match(df.columns, v) for k, v in _YMDH.items()}
    if tcol is not None:
        times = pd.to_datetime(df[tcol].astype(str).str.strip(), errors="coerce", format="mixed")
    elif all(ymdh.values()):
        hours = pd.to_numeric(df[ymdh["hour"]], errors="coerce")
        times = (pd.to_datetime(pd.DataFrame({"year": df[ymdh["year"]], "month": df[ymdh["month"]],
                                              "day": df[ymdh["day"]]}), errors="coerce")
                 + pd.to_timedelta(hours, unit="h"))
    else:
        raise InputError("CSV 中找不到时间列（如 time、timestamp、时间，或 年/月/日/时 四列）",
                         "no time column in the CSV (e.g. time, timestamp, 时间, or year/month/day/hour)",
                         path=path, code="weather.columns")
    bad = times.isna().to_numpy()
    if bad.mean() > MAX_MISSING_SHARE:
        raise InputError(f"{bad.sum()} 个时间无法解析", f"{bad.sum()} timestamps cannot be parsed",
                         path=path, code="weather.time")
    df = df.loc[~bad]
    times = pd.DatetimeIndex(times[~bad])
    if times.tz is None:
        times = times.tz_localize(_fixed_tz(tz))
        if "tz" not in head_meta:
            problems.append(Problem("info", "weather.tz_assumed",
                                    f"CSV 时间未带时区，按 UTC{tz:+g}（北京时间）处理。",
                                    f"CSV times carry no time zone; taken as UTC{tz:+g} "
                                    "(China Standard Time)."))
    else:
        times = times.tz_convert(_fixed_tz(tz))

    # --- columns
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
    tcol_ = _match(df.columns, _TEMP_NAMES)
    if tcol_ is not None:
        t = pd.to_numeric(df[tcol_], errors="coerce").to_numpy(float)
        tu = _unit_of(tcol_)
        if tu == "k" or (tu == "" and np.nanmedian(t) > 200):
            t = t - 273.15
        elif tu == "f":
            t = (t - 32.0) * 5.0 / 9.0
        data["temp_air"] = t
    else:
        data["temp_air"] = ASSUMED_TEMP_C
        problems.append(Problem("warning", "weather.temp_assumed",
                                f"CSV 无气温列，按恒定 {ASSUMED_TEMP_C:g} °C 计算（组件温度损失会偏差）。",
                                f"the CSV has no air temperature; a constant {ASSUMED_TEMP_C:g} °C is "
                                "assumed (module temperature losses will be off)."))
    wcol = _match(df.columns, _WIND_NAMES)
    data["wind_speed"] = (pd.to_numeric(df[wcol], errors="coerce").to_numpy(float)
                          if wcol is not None else np.nan)
    if wcol is None:
        data["wind_speed"] = ASSUMED_WIND_MS
        problems.append(Problem("info", "weather.wind_assumed",
                                f"CSV 无风速列，按 {ASSUMED_WIND_MS:g} m/s 计算。",
                                f"the CSV has no wind speed; {ASSUMED_WIND_MS:g} m/s is assumed."))
    dup = data.index.duplicated()
    if dup.any():
        problems.append(Problem("warning", "weather.duplicates",
                                f"{int(dup.sum())} 个重复时间，保留第一个。",
                                f"{int(dup.sum())} duplicated timestamps; the first is kept."))
        data = data.loc[~dup]
    data = data.sort_index()

    # --- what the labels mark
    _check_hourly(data.index, path)
    shifts = {"start": 30.0, "centre": 0.0, "center": 0.0, "end": -30.0}
    if label == "auto":
        probe = data["ghi"].fillna(0.0).to_numpy()
        best, best_off = "centre", None
        for name in ("start", "centre", "end"):
            idx = data.index + pd.Timedelta(minutes=shifts[name])
            ha = solar_hour_angle_h(idx, lon)
            off = float(np.sum(probe * ha) / max(np.sum(probe), 1e-9))
            if best_off is None or abs(off) < abs(best_off):
                best, best_off = name, off
        label = best
        zh_l = {"start": "每小时开始", "centre": "每小时中点", "end": "每小时结束"}[best]
        en_l = {"start": "the start", "centre": "the centre", "end": "the end"}[best]
        problems.append(Problem("info", "weather.label_assumed",
                                f"CSV 时间按{zh_l}时刻解读（此时辐射相对太阳正午对称，"
                                f"偏移 {best_off:+.2f} h）。",
                                f"CSV times read as {en_l} of each hour (radiation is then centred on "
                                f"solar noon, offset {best_off:+.2f} h)."))
    data.index = data.index + pd.Timedelta(minutes=shifts[label])

    source = f"CSV 文件 CSV file {p.name} (hourly CSV; {lat:.3f}°N {lon:.3f}°E)"
    derived = tuple(c for c, col in (("dni", dcol), ("dhi", hcol)) if col is None)
    w = _finish(data, lat, lon, alt, source, problems, path, typical=False, derived=derived)
    if dcol is None or hcol is None:
        dni, dhi = split_ghi(w.data["ghi"].to_numpy(), w.data.index, lat, lon)
        if dcol is None and hcol is None:
            w.data["dni"], w.data["dhi"] = dni, dhi
            what_zh, what_en = "直射与散射", "DNI and DHI"
        elif dcol is None:  # DHI given: DNI from closure
            cosz = np.cos(np.radians(solar_zenith_deg(w.data.index, lat, lon)))
            beam_h = np.clip(w.data["ghi"].to_numpy() - w.data["dhi"].to_numpy(), 0.0, None)
            w.data["dni"] = np.where(cosz > 0.065, beam_h / np.maximum(cosz, 0.065), 0.0)
            what_zh, what_en = "直射", "DNI"
        else:  # DNI given: DHI from closure
            cosz = np.clip(np.cos(np.radians(solar_zenith_deg(w.data.index, lat, lon))), 0.0, None)
            w.data["dhi"] = np.clip(w.data["ghi"].to_numpy() - w.data["dni"].to_numpy() * cosz, 0.0, None)
            what_zh, what_en = "散射", "DHI"
        w.problems.append(Problem("info", "weather.split",
                                  f"CSV 无{what_zh}辐射，已由总辐射推算（Erbs 1982 分解或闭合关系）。",
                                  f"the CSV has no {what_en}; derived from GHI (Erbs 1982 decomposition "
                                  "or closure)."))
    return w


# ---------------------------------------------------------------------------------------------
# Common finishing: regular hourly index, gaps, plausibility
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Checks (a)–(c)
# ---------------------------------------------------------------------------------------------

def _quality_checks(w: Weather, *, tz_from_file: bool) -> list[Problem]:
    out: list[Problem] = []
    # (a) time zone vs longitude
    tz = w.data.index[0].utcoffset().total_seconds() / 3600.0
    diff = tz - w.longitude / 15.0
    if tz_from_file and abs(diff) >= TZ_WARN_H:
        if abs(tz - 8.0) < 1e-6 and in_china_bbox(w.longitude, w.latitude):
            out.append(Problem("info", "weather.tz_far_west",
                               f"时区 UTC+8（北京时间）与经度 {w.longitude:.1f}° 相差 {diff:+.1f} h："
                               "中国西部按北京时间计时属正常，已按此计算太阳位置。",
                               f"time zone UTC+8 (China Standard Time) is {diff:+.1f} h from longitude "
                               f"{w.longitude:.1f}°: normal for western China; sun positions use it."))
        else:
            out.append(Problem("warning", "weather.tz_mismatch",
                               f"文件时区 UTC{tz:+g} 与经度 {w.longitude:.1f}°"
                               f"（约 UTC{w.longitude / 15:+.1f}）相差 {diff:+.1f} h：时区是否有误？",
                               f"the file's time zone UTC{tz:+g} differs by {diff:+.1f} h from longitude "
                               f"{w.longitude:.1f}° (~UTC{w.longitude / 15:+.1f}): wrong time zone?"))
    # (b) time base
    off = noon_offset_h(w)
    if abs(off) >= TIME_BASE_WARN_H:
        out.append(Problem("warning", "weather.time_base",
                           f"辐射整体偏离太阳正午 {off:+.2f} h（阈值 {TIME_BASE_WARN_H} h）："
                           "文件时间基准可能有误；逐时结果（朝向、遮挡）会有偏差，"
                           f"可用 correct_time_base 整体平移 {round(off):d} h。",
                           f"radiation is centred {off:+.2f} h from solar noon (threshold "
                           f"{TIME_BASE_WARN_H} h): the file's time base looks wrong; hourly results "
                           f"(orientation, shading) will be biased; correct_time_base shifts it "
                           f"{round(off):d} h."))
    # (c) closure
    ratio = closure_ratio(w)
    if abs(ratio - 1.0) > CLOSURE_WARN:
        out.append(Problem("warning", "weather.closure",
                           f"直射·cosZ + 散射 的年总量为总辐射的 {ratio:.0%}（偏差超过 {CLOSURE_WARN:.0%}）："
                           "辐射分量不自洽。",
                           f"annual DNI·cosZ + DHI is {ratio:.0%} of GHI (off by more than "
                           f"{CLOSURE_WARN:.0%}): the irradiance components are inconsistent."))
    return out


def _short_source(w: Weather) -> str:
    m = re.search(r"station ([^)]+)\)", w.source)
    if m:
        return m.group(1).strip()
    return w.source.split("(")[0].strip()
