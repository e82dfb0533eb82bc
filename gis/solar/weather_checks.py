"""Checks and corrections of a :class:`Weather` read from a file (never silently wrong).

Checks that append :class:`~gis.errors.Problem` entries:

(a) time zone vs longitude/15 differing by ≥ 2 h;
(b) the radiation time base: the GHI-weighted mean hour angle (h from solar noon). See
    ``TIME_BASE_WARN_H`` for the threshold and :func:`correct_time_base` for the whole-hour fix;
(c) closure: Σ(DNI·cosZ + DHI) vs ΣGHI more than 10% apart over the year
    (:func:`restore_closure` rescales DNI);
(d) with a site position: the weather location more than 50 km from the site (warning) or more than
    500 km (refused), see :func:`check_site`.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from gis.errors import InputError, Problem
from gis.solar.weather_geometry import great_circle_km, in_china_bbox, solar_hour_angle_h, solar_zenith_deg
from gis.solar.weather_types import Weather

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
TIME_ZONE_ERROR_H = 2.0
"""Radiation centred this far (h) from solar noon is a wrong time zone, not a CSWD time-base
slip (those are 0.8–1.45 h): refused."""
"""|time zone − longitude/15| (h) from which the time zone is questioned."""

SITE_WARN_KM = 50.0
"""Weather station farther than this from the site: warning (climate can change over ~50 km,
e.g. coast/inland or basin/mountain)."""

SITE_REFUSE_KM = 500.0
"""Weather station farther than this from the site: refused (a different climate region)."""


# ---------------------------------------------------------------------------------------------
# Public checks and corrections
# ---------------------------------------------------------------------------------------------

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
    # circular mean: hour angles wrap at ±12 h, so a file 8 h off reads 8 h, not 6
    angle = ha * (np.pi / 12.0)
    mean = np.arctan2(np.nansum(ghi * np.sin(angle)), np.nansum(ghi * np.cos(angle)))
    return float(mean * 12.0 / np.pi)


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
            f"irradiance shifted by {shift:+d} h (earlier if positive) to correct the time base "
            f"(noon offset {before:+.2f} h → {after:+.2f} h)."))
        source = f"{source}; irradiance shifted {-shift:+d} h (time-base correction)"
        if abs(after) >= TIME_BASE_WARN_H:
            raise InputError(
                f"校正后辐射仍偏离太阳正午 {after:+.2f} h：文件的时区或时间可能有误，请检查后再用",
                f"After the correction the radiation is still {after:+.2f} h off solar noon: the file's "
                "time zone or time stamps look wrong; check the file", code="weather.time_base")
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


# ---------------------------------------------------------------------------------------------
# Checks (a)–(c) run by read_weather
# ---------------------------------------------------------------------------------------------

MIN_ANNUAL_GHI_KWH_M2 = 300.0
"""Below this a file is no record of sunshine: the lowest annual GHI measured where people live is
about 700 kWh/m² (northern Scandinavia; Sichuan basin ≈ 900, CMA 2023 yearbook of solar energy)."""
MAX_WIND_MS = 75.0
"""Hourly mean wind above this is impossible at a surface station (Super Typhoon Haiyan 2013, the
strongest landfall recorded, had 1-min sustained winds of about 87 m/s; hourly means are lower)."""
TEMP_RANGE_C = (-90.0, 60.0)
"""The recorded extremes of air temperature on Earth (WMO archive: −89.2 °C Vostok, 56.7 °C
Death Valley), with no margin: outside them a value is wrong."""
def _plausibility(w: Weather) -> list[Problem]:
    """Errors for weather that cannot be real (no sunshine in a year, irradiance beyond the sun's,
    hurricane-proof wind, temperatures off Earth's records); negative irradiance is judged where the
    readers clip it (gis.solar.weather_finish). Hourly values above BSRN's upper
    limits are not flagged: files whose time base is off by an hour (several CSWD files) exceed
    them near sunrise, and the time-base check reports those."""
    import pvlib

    d = w.data
    out: list[Problem] = []
    ghi = d["ghi"].to_numpy(float)
    annual = float(np.nansum(np.clip(ghi, 0, None))) / 1000.0 * (8760.0 / max(len(ghi), 1))
    if annual < MIN_ANNUAL_GHI_KWH_M2:
        out.append(Problem("error", "weather.no_sun",
                           f"全年总辐射只有 {annual:,.0f} kWh/m²（地球上有人居住处最低约 700）：文件中没有有"
                           "效的辐射数据",
                           f"the year's global irradiation is only {annual:,.0f} kWh/m² (the lowest where "
                           "people live is about 700): the file holds no valid irradiance"))
    sa = pvlib.irradiance.get_extra_radiation(d.index).to_numpy(float)  # W/m², normal incidence
    for col in ("ghi", "dni", "dhi"):
        v = d[col].to_numpy(float)
        impossible = v > 1.2 * sa  # no hour on Earth brings more than the sun sends
        if np.any(impossible):
            out.append(Problem("error", f"weather.{col}_impossible",
                               f"{col.upper()} 有 {int(impossible.sum())} 小时超过大气层外太阳辐射"
                               f"（最大 {np.nanmax(v):,.0f} W/m²）：数值或单位有误（应为 W/m² 的逐时平均）",
                               f"{col.upper()} exceeds the extraterrestrial irradiance in "
                               f"{int(impossible.sum())} "
                               f"hour(s) (max {np.nanmax(v):,.0f} W/m²): wrong values or units (hourly mean "
                               "W/m² expected)"))
    wind = d["wind_speed"].to_numpy(float)
    if np.any(wind > MAX_WIND_MS) or np.any(wind < 0):
        out.append(Problem("error", "weather.wind_impossible",
                           f"风速超出 0–{MAX_WIND_MS:g} m/s（最大 {np.nanmax(wind):,.1f}，最小 "
                           f"{np.nanmin(wind):,.1f}）："
                           "数值或单位有误",
                           f"wind speed outside 0–{MAX_WIND_MS:g} m/s (max {np.nanmax(wind):,.1f}, min "
                           f"{np.nanmin(wind):,.1f}): wrong values or units"))
    t = d["temp_air"].to_numpy(float)
    lo, hi = TEMP_RANGE_C
    if np.any(t < lo) or np.any(t > hi):
        out.append(Problem("error", "weather.temperature_impossible",
                           f"气温超出地球上的记录 {lo:g}…{hi:g} °C（{np.nanmin(t):,.1f}…{np.nanmax(t):,.1f}）"
                           f"："
                           "数值或单位有误（应为 °C）",
                           f"air temperature outside Earth's records {lo:g}…{hi:g} °C ({np.nanmin(t):,.1f}…"
                           f"{np.nanmax(t):,.1f}): wrong values or units (°C expected)"))
    return out


def _quality_checks(w: Weather, *, tz_from_file: bool) -> list[Problem]:
    out: list[Problem] = _plausibility(w)
    if any(p.level == "error" for p in out):
        return out
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
    if abs(off) >= TIME_ZONE_ERROR_H:
        out.append(Problem("error", "weather.time_zone",
                           f"辐射整体偏离太阳正午 {off:+.1f} h：时区或时间戳有误（例如 UTC 当作北京时间）。"
                           "请在文件中注明时区（CSV 可加一行 “# tz: 8”）或改正时间后再用",
                           f"radiation is centred {off:+.1f} h from solar noon: the time zone or time "
                           "stamps are wrong (e.g. UTC read as Beijing time). State the time zone (a CSV "
                           "can carry a line '# tz: 8') or fix the times"))
    elif abs(off) >= TIME_BASE_WARN_H:
        out.append(Problem("warning", "weather.time_base",
                           f"辐射整体偏离太阳正午 {off:+.2f} h（阈值 {TIME_BASE_WARN_H} h）："
                           "文件时间基准可能有误；逐时结果（朝向、遮挡）会有偏差，"
                           f"可用 --fix-time-base（correct_time_base）整体平移 {round(off):d} h。",
                           f"radiation is centred {off:+.2f} h from solar noon (threshold "
                           f"{TIME_BASE_WARN_H} h): the file's time base looks wrong; hourly results "
                           f"(orientation, shading) will be biased; --fix-time-base (correct_time_base) "
                           f"shifts it {round(off):d} h."))
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
