"""Siting constraints: spacing, setbacks, noise at receptors (ISO 9613-2, GB 3096-2008 limits) and
worst-case astronomical shadow flicker. Each check returns violation rows (see :func:`violation`).

Defaults and their sources (tables under resources/wind/ carry a ``source`` column):

* Spacing: an ellipse around each turbine, :data:`SPACING_DOWNWIND_D` (5 D) along the prevailing
  wind (the sector with most wind energy) and :data:`SPACING_CROSSWIND_D` (3 D) across it —
  the lower ends of the rule of thumb in DOMAIN.md §6 (3–5 D crosswind, 5–10 D downwind; e.g.
  Manwell, McGowan & Rogerson, *Wind Energy Explained*, 2nd ed. §9.5). D = the larger rotor of the
  pair. A flat wind rose (no prevailing sector) uses a circle of the downwind spacing.
* Setbacks (resources/wind/setbacks.csv): tip height × 1.5 from buildings, × 1.1 from roads and
  from the park boundary, unless metres are given.
* Noise (ISO 9613-2:1996): L = L_WA + D_c − A_div − A_atm − A_gr, A_div = 20 lg(d/1 m) + 11,
  A_atm = α d / 1000 with α = 1.9 dB/km (Table 2, 500 Hz at 10 °C and 70 % RH; the standard's
  rule for A-weighted calculations, §1) or per octave band (Table 2 values) when band levels are
  given; optional ground term: the standard's alternative method for A-weighted levels,
  A_gr = 4.8 − (2 h_m / d)(17 + 300 / d) ≥ 0 (eq. 10) with D_Ω of eq. (11). d is the slant distance
  from the hub to the receiver. Turbines add energetically. Limits: GB 3096-2008 Table 1
  (resources/wind/gb3096_limits.csv). The class of a sensitive building follows its detected use
  (resources/wind/noise_class_by_use.csv, GB 3096-2008 §4.2): homes, schools, kindergartens,
  hospitals and elderly care → class 1 (night 45 dB(A): "以居民住宅、医疗卫生、文化教育、科研设计、
  行政办公为主要功能"), staff dormitories/apartments and mixed uses → class 2 (night 50 dB(A):
  "居住、商业、工业混杂"); several matching uses → the strictest class; a receptor whose use says
  nothing (a ``sensitive`` flag only, or a receptor layer without a class field) → class 2.
  Receiver height 1.2 m (GB 3096-2008 Annex C measurement height).
* Shadow flicker: worst case (sun always shining, rotor always turning and facing the sun): a
  receptor is in shadow when the ray to the sun passes within one rotor radius of the hub, the sun
  is ≥ 3° high and the turbine is within 10 rotor diameters (UK DECC 2011 shadow-flicker evidence
  base: effects shown only within 10 D). Limits 30 h/yr and 30 min/day (German LAI 2002
  WEA-Schattenwurf-Hinweise; China has no national limit).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from gis.paths import resources_dir

SPACING_DOWNWIND_D = 5.0
SPACING_CROSSWIND_D = 3.0
DEFAULT_SOUND_POWER_DBA = 104.0
"""L_WA used when the turbine has no declared value: DOMAIN.md §6 example of a MW-class turbine
(unverified; conservative for small turbines — enter the maker's IEC 61400-11 value)."""
NOISE_ALPHA_DB_KM = 1.9
"""ISO 9613-2 Table 2: atmospheric attenuation at 500 Hz, 10 °C, 70 % relative humidity."""
OCTAVE_BANDS_HZ = (63, 125, 250, 500, 1000, 2000, 4000, 8000)
OCTAVE_ALPHA_DB_KM = (0.1, 0.4, 1.0, 1.9, 3.7, 9.7, 32.8, 117.0)
"""ISO 9613-2 Table 2, 10 °C, 70 % RH, dB/km per octave band."""
RECEIVER_HEIGHT_M = 1.2
AUTO_NOISE_CLASS = "auto"
"""GB 3096 class "by use": each sensitive building's class from its use (:func:`noise_classes_by_use`)."""
DEFAULT_NOISE_CLASS = AUTO_NOISE_CLASS
"""The default class setting (WindSettings.noise_class, ``lingtan wind --noise-class``): by use;
a class given instead applies to every receptor without a class field."""
FALLBACK_NOISE_CLASS = "2"
"""Class of a receptor whose use gives none: GB 3096-2008 §4.2 c) class 2 — housing mixed with
industry, the usual case of a receptor inside an industrial park."""
SHADOW_MAX_DISTANCE_D = 10.0
SHADOW_MIN_ELEVATION_DEG = 3.0
SHADOW_LIMIT_H_YR = 30.0
SHADOW_LIMIT_MIN_DAY = 30.0
_TOL = 1e-9  # relative: a distance equal to its limit (to rounding) is not a violation

SENSITIVE_USES = ("dormitory", "residential", "school", "hospital", "kindergarten", "elderly")
SENSITIVE_WORDS = ("宿舍", "住宅", "居住", "公寓", "学校", "医院", "幼儿园", "养老", "卫生院")


@lru_cache(maxsize=1)
def gb3096_limits() -> pd.DataFrame:
    """GB 3096-2008 Table 1: class, day_dba, night_dba (class as text: 0, 1, 2, 3, 4a, 4b)."""
    t = pd.read_csv(resources_dir() / "wind" / "gb3096_limits.csv", encoding="utf-8", dtype={"class": str})
    return t.set_index("class")


@lru_cache(maxsize=1)
def noise_class_table() -> pd.DataFrame:
    """resources/wind/noise_class_by_use.csv: use (the ``use_class`` key), use_zh, words_zh (words
    of the use text, ";"-separated), noise_class (GB 3096-2008 §4.2), function_zh/en, source."""
    return pd.read_csv(resources_dir() / "wind" / "noise_class_by_use.csv", encoding="utf-8",
                       dtype={"noise_class": str})


def noise_classes_by_use(use_class=None, use_text=None, fallback: str = FALLBACK_NOISE_CLASS) -> np.ndarray:
    """GB 3096 class per receptor from its use: ``use_class`` keys (residential, school,
    kindergarten, hospital, elderly, dormitory, mixed) and/or the words of a ``use_text``
    (宿舍, 住宅, 学校 …) matched against :func:`noise_class_table`; where several uses match, the
    strictest class (lowest night limit) wins; ``fallback`` where none does."""
    n = len(use_class) if use_class is not None else (len(use_text) if use_text is not None else 0)
    table = noise_class_table()
    limits = gb3096_limits()
    night = np.full(n, np.inf)
    out = np.full(n, str(fallback), dtype=object)
    keys = (pd.Series(list(use_class), dtype=object).astype(str).str.strip().str.lower().to_numpy()
            if use_class is not None else None)
    text = pd.Series(list(use_text), dtype=object).fillna("").astype(str) if use_text is not None else None
    for row in table.itertuples(index=False):  # a handful of uses, not features
        hit = np.zeros(n, bool)
        if keys is not None:
            hit |= keys == str(row.use).lower()
        if text is not None:
            for w in str(row.words_zh).split(";"):
                if w.strip():
                    hit |= text.str.contains(w.strip(), regex=False).to_numpy()
        lim = float(limits.loc[row.noise_class, "night_dba"])
        better = hit & (lim < night)
        out[better] = row.noise_class
        night[better] = lim
    return out


def building_noise_classes(buildings, noise_class: str = DEFAULT_NOISE_CLASS) -> list[str]:
    """GB 3096 class of each (sensitive) building: by its use (``use_class`` field and the use
    text of ``use``/用途/功能/type/类型, :func:`noise_classes_by_use`) when ``noise_class`` is
    :data:`AUTO_NOISE_CLASS`, else ``noise_class`` for all."""
    if str(noise_class) != AUTO_NOISE_CLASS:
        return [str(noise_class)] * len(buildings)
    from gis.fields import find_field

    uc = find_field(buildings.columns, ("use_class",))
    use = find_field(buildings.columns, ("use", "用途", "功能", "type", "类型"))
    if uc is None and use is None:
        return [FALLBACK_NOISE_CLASS] * len(buildings)
    classes = noise_classes_by_use(buildings[uc] if uc is not None else None,
                                   buildings[use] if use is not None else None)
    return [str(c) for c in classes]


@lru_cache(maxsize=1)
def setback_factors() -> dict[str, float]:
    """Tip-height factors by target (buildings, roads, boundary) from resources/wind/setbacks.csv."""
    t = pd.read_csv(resources_dir() / "wind" / "setbacks.csv", encoding="utf-8")
    return dict(zip(t["target"], t["tip_height_factor"].astype(float), strict=True))


def violation(
    turbine, kind: str, value: float, limit: float, unit: str, zh: str, en: str, *, other=None, geometry=None
) -> dict:
    """One violation row (see farm.VIOLATION_COLUMNS)."""
    return {
        "turbine": turbine,
        "kind": kind,
        "value": round(float(value), 3),
        "limit": round(float(limit), 3),
        "unit": unit,
        "other": None if other is None else str(other),
        "message_zh": zh,
        "message_en": en,
        "geometry": geometry,
    }


# --------------------------------------------------------------------------------------------
# Spacing
# --------------------------------------------------------------------------------------------


def spacing_limits(
    dx,
    dy,
    diam_m,
    prevailing_deg: float | None,
    downwind_d: float = SPACING_DOWNWIND_D,
    crosswind_d: float = SPACING_CROSSWIND_D,
) -> np.ndarray:
    """Minimum distance (m) allowed in the direction (dx, dy) for rotor diameter ``diam_m``: the
    radius of the ellipse with semi-axes downwind_d·D along the prevailing wind axis and
    crosswind_d·D across it (a circle of downwind_d·D without a prevailing direction)."""
    dx, dy, d = (np.asarray(a, float) for a in (dx, dy, diam_m))
    if prevailing_deg is None:
        return downwind_d * d * np.ones_like(dx)
    th = np.radians(prevailing_deg)
    ax, ay = np.sin(th), np.cos(th)
    dist = np.hypot(dx, dy)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_p = np.where(dist > 0, (dx * ax + dy * ay) / dist, 1.0)
    sin_p2 = np.clip(1.0 - cos_p * cos_p, 0.0, 1.0)
    a, b = downwind_d * d, crosswind_d * d
    return 1.0 / np.sqrt(cos_p * cos_p / (a * a) + sin_p2 / (b * b))


def spacing_violations(
    ids,
    x,
    y,
    diam_m,
    prevailing_deg: float | None,
    *,
    downwind_d: float = SPACING_DOWNWIND_D,
    crosswind_d: float = SPACING_CROSSWIND_D,
) -> list[dict]:
    """Pairs closer than the spacing ellipse (one row per turbine of each pair)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    if n < 2:
        return []
    i, j = np.triu_indices(n, 1)
    dx, dy = x[j] - x[i], y[j] - y[i]
    dist = np.hypot(dx, dy)
    d = np.maximum(np.asarray(diam_m, float)[i], np.asarray(diam_m, float)[j])
    lim = spacing_limits(dx, dy, d, prevailing_deg, downwind_d, crosswind_d)
    bad = dist < lim * (1.0 - _TOL)
    rows = []
    ids = list(ids)
    for a, b, di, li, dd in zip(i[bad], j[bad], dist[bad], lim[bad], d[bad], strict=True):
        line = shapely.LineString([(x[a], y[a]), (x[b], y[b])])
        for me, other in ((a, b), (b, a)):
            rows.append(
                violation(
                    ids[me],
                    "spacing",
                    di / dd,
                    li / dd,
                    "D",
                    f"与风机 {ids[other]} 间距 {di:.0f} m（{di / dd:.2f} D），"
                    f"小于要求的 {li / dd:.2f} D（{li:.0f} m）",
                    f"{di:.0f} m ({di / dd:.2f} D) from turbine {ids[other]}, less than the {li / dd:.2f} D "
                    f"({li:.0f} m) required",
                    other=ids[other],
                    geometry=line,
                )
            )
    return rows


# --------------------------------------------------------------------------------------------
# Setbacks
# --------------------------------------------------------------------------------------------

_TARGET_NAMES = {
    "buildings": ("建筑物", "building"),
    "roads": ("道路", "road"),
    "boundary": ("园区红线", "park boundary"),
}


def setback_violations(
    ids,
    points: np.ndarray,
    tip_height_m: np.ndarray,
    target: str,
    geoms: np.ndarray,
    limit_m: float | None,
    target_ids=None,
    tree: shapely.STRtree | None = None,
) -> list[dict]:
    """Turbines nearer than the setback to any of ``geoms`` (metres, or tip height × the
    setbacks.csv factor when ``limit_m`` is None). Geometry: the shortest line to the object."""
    if geoms is None or len(geoms) == 0 or len(points) == 0:
        return []
    tree = tree if tree is not None else shapely.STRtree(geoms)
    idx, dist = tree.query_nearest(points, return_distance=True, all_matches=False)
    dist_t = np.full(len(points), np.inf)
    near = np.zeros(len(points), dtype=np.int64)
    dist_t[idx[0]] = dist
    near[idx[0]] = idx[1]
    tip = np.asarray(tip_height_m, float)
    factor = setback_factors()[target]
    lim = np.full(len(points), float(limit_m)) if limit_m is not None else factor * tip
    bad = np.flatnonzero(dist_t < lim * (1.0 - _TOL))
    zh_name, en_name = _TARGET_NAMES[target]
    rule_zh = "" if limit_m is not None else f"（叶尖高度 {factor:g} 倍）"
    rule_en = "" if limit_m is not None else f" ({factor:g} × tip height)"
    ids = list(ids)
    rows = []
    lines = shapely.shortest_line(points[bad], geoms[near[bad]]) if len(bad) else []
    for n, t in enumerate(bad):
        other = None if target_ids is None else target_ids[near[t]]
        rows.append(
            violation(
                ids[t],
                f"setback_{target}",
                dist_t[t],
                lim[t],
                "m",
                f"距{zh_name}{'' if other is None else ' ' + str(other)} {dist_t[t]:.0f} m，小于退让距离 "
                f"{lim[t]:.0f} m{rule_zh}",
                f"{dist_t[t]:.0f} m from the {en_name}{'' if other is None else ' ' + str(other)}, "
                f"less than the "
                f"{lim[t]:.0f} m setback{rule_en}",
                other=other,
                geometry=lines[n],
            )
        )
    return rows


# --------------------------------------------------------------------------------------------
# Noise (ISO 9613-2)
# --------------------------------------------------------------------------------------------


def noise_contributions(
    horizontal_m,
    source_height_m,
    receiver_height_m,
    lwa_dba,
    *,
    alpha_db_km: float = NOISE_ALPHA_DB_KM,
    ground: bool = False,
    band_levels_dba=None,
) -> np.ndarray:
    """Sound pressure level (dB(A)) of each source at each receiver, ISO 9613-2 downwind.

    horizontal_m: (R, T) horizontal distances; heights broadcast against it; ``lwa_dba`` (T,).
    band_levels_dba: optional (8,) or (T, 8) A-weighted octave-band sound power levels (63 Hz–8 kHz);
    then atmospheric absorption is applied per band (Table 2) and the bands summed.
    """
    dp = np.asarray(horizontal_m, float)
    hs = np.broadcast_to(np.asarray(source_height_m, float), dp.shape)
    hr = np.broadcast_to(np.asarray(receiver_height_m, float), dp.shape)
    d = np.sqrt(dp * dp + (hs - hr) ** 2)
    d = np.maximum(d, 1.0)
    a_div = 20.0 * np.log10(d) + 11.0
    a_gr = np.zeros_like(d)
    d_omega = np.zeros_like(d)
    if ground:
        hm = (hs + hr) / 2.0
        a_gr = np.maximum(4.8 - (2.0 * hm / d) * (17.0 + 300.0 / d), 0.0)
        d_omega = 10.0 * np.log10(1.0 + (dp * dp + (hs - hr) ** 2) / (dp * dp + (hs + hr) ** 2))
    if band_levels_dba is None:
        lw = np.broadcast_to(np.asarray(lwa_dba, float), dp.shape)
        return lw + d_omega - a_div - alpha_db_km * d / 1000.0 - a_gr
    bands = np.asarray(band_levels_dba, float)
    bands = np.broadcast_to(bands, (dp.shape[1], 8)) if bands.ndim == 1 else bands
    alpha = np.asarray(OCTAVE_ALPHA_DB_KM)
    lvl = (
        bands[None, :, :] + (d_omega - a_div - a_gr)[..., None] - alpha[None, None, :] * d[..., None] / 1000.0
    )
    return 10.0 * np.log10(np.sum(10.0 ** (lvl / 10.0), axis=-1))


def energetic_sum(levels_db, axis=-1) -> np.ndarray:
    """10 lg Σ 10^(L/10) along ``axis``."""
    return 10.0 * np.log10(np.sum(10.0 ** (np.asarray(levels_db, float) / 10.0), axis=axis))


def noise_violations(
    turbine_ids, receptor_ids, contributions: np.ndarray, classes, receptor_points
) -> tuple[list[dict], pd.DataFrame]:
    """Compare total levels at receptors with GB 3096-2008 day and night limits.

    Returns the violation rows (turbine = the loudest contributor) and a table per receptor
    (noise_dba, class, day/night limits, exceedances)."""
    limits = gb3096_limits()
    total = (
        energetic_sum(contributions, axis=1)
        if contributions.shape[1]
        else np.full(len(receptor_ids), -np.inf)
    )
    loudest = np.argmax(contributions, axis=1) if contributions.shape[1] else np.zeros(len(receptor_ids), int)
    unset = (AUTO_NOISE_CLASS, "", "nan", "None")  # "by use" reaching here: no use known
    cls = [FALLBACK_NOISE_CLASS if str(c) in unset else str(c) for c in classes]
    unknown = sorted({c for c in cls if c not in limits.index})
    if unknown:
        from gis.errors import InputError

        raise InputError(
            f"未知的声环境功能区类别：{unknown}（可用 {', '.join(limits.index)}）",
            f"unknown GB 3096 noise class(es) {unknown} (use {', '.join(limits.index)})",
            code="wind.noise_class",
        )
    day = limits.loc[cls, "day_dba"].to_numpy(float)
    night = limits.loc[cls, "night_dba"].to_numpy(float)
    rows = []
    tids = list(turbine_ids)
    for r in range(len(receptor_ids)):
        for kind, lim, zh_p, en_p in (
            ("noise_night", night[r], "夜间", "night"),
            ("noise_day", day[r], "昼间", "day"),
        ):
            if total[r] > lim + 1e-9:
                rows.append(
                    violation(
                        tids[loudest[r]],
                        kind,
                        total[r],
                        lim,
                        "dB(A)",
                        f"敏感点 {receptor_ids[r]} 处风机噪声 {total[r]:.1f} dB(A)，"
                        f"超过 GB 3096 {cls[r]} 类{zh_p}限值 "
                        f"{lim:.0f} dB(A)",
                        f"wind-turbine noise {total[r]:.1f} dB(A) at receptor {receptor_ids[r]} "
                        "exceeds the GB 3096 "
                        f"class {cls[r]} {en_p} limit {lim:.0f} dB(A)",
                        other=receptor_ids[r],
                        geometry=receptor_points[r],
                    )
                )
    table = pd.DataFrame(
        {
            "receptor": list(receptor_ids),
            "noise_dba": np.round(total, 2),
            "noise_class": cls,
            "day_limit_dba": day,
            "night_limit_dba": night,
            "night_exceed_db": np.round(np.maximum(total - night, 0.0), 2),
            "day_exceed_db": np.round(np.maximum(total - day, 0.0), 2),
        }
    )
    return rows, table


# --------------------------------------------------------------------------------------------
# Shadow flicker
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SunPath:
    """Sun unit vectors (N, 3) (x east, y north, z up) above the minimum elevation, their day
    numbers (N,) and the time step (minutes)."""

    vectors: np.ndarray
    day: np.ndarray
    step_min: float


@lru_cache(maxsize=8)
def sun_path(
    lat: float,
    lon: float,
    *,
    year: int = 2023,
    step_min: float = 10.0,
    min_elevation_deg: float = SHADOW_MIN_ELEVATION_DEG,
    tz_hours: float = 8.0,
) -> SunPath:
    """Sun positions over a year (pvlib, NREL SPA) every ``step_min`` minutes (centred steps)."""
    import pvlib

    start = pd.Timestamp(year=year, month=1, day=1)
    idx = pd.date_range(start, start + pd.DateOffset(years=1), freq=f"{step_min:g}min", inclusive="left")
    idx = (idx + pd.Timedelta(minutes=step_min / 2)).tz_localize(
        f"Etc/GMT{-int(tz_hours):+d}" if tz_hours else "UTC"
    )
    sp = pvlib.solarposition.get_solarposition(idx, lat, lon, method="nrel_numpy")
    el = np.radians(sp["apparent_elevation"].to_numpy(float))
    az = np.radians(sp["azimuth"].to_numpy(float))
    up = el >= np.radians(min_elevation_deg)
    vec = np.stack([np.sin(az) * np.cos(el), np.cos(az) * np.cos(el), np.sin(el)], 1)[up]
    return SunPath(vec, idx.day_of_year.to_numpy()[up], float(step_min))


def shadow_flicker(
    turbine_xyz: np.ndarray,
    rotor_radius_m: np.ndarray,
    receptor_points,
    receptor_height_m,
    sun: SunPath,
    *,
    max_distance_m: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Worst-case shadow hours per year and the longest day (minutes) at each receptor.

    A receptor (its point nearest the turbine, at ``receptor_height_m``) is shadowed at a time
    step when the ray towards the sun passes within the rotor radius of the hub (rotor always
    facing the sun: a sphere) and the turbine is within ``max_distance_m`` (horizontal)."""
    pts = np.asarray(receptor_points)
    n_r = len(pts)
    rh = np.broadcast_to(np.asarray(receptor_height_m, float), (n_r,))
    shaded = np.zeros((n_r, len(sun.vectors)), dtype=bool)
    s = sun.vectors
    for t in range(len(turbine_xyz)):
        hub = shapely.Point(turbine_xyz[t, 0], turbine_xyz[t, 1])
        dist = shapely.distance(pts, hub)
        near = np.flatnonzero(dist <= max_distance_m[t])
        if len(near) == 0:
            continue
        p = shapely.get_coordinates(shapely.shortest_line(pts[near], hub))[0::2]  # receptor-side ends
        v = np.c_[turbine_xyz[t, 0] - p[:, 0], turbine_xyz[t, 1] - p[:, 1], turbine_xyz[t, 2] - rh[near]]
        proj = v @ s.T  # (n, N)
        perp2 = (v * v).sum(1)[:, None] - proj * proj
        shaded[near] |= (proj > 0) & (perp2 < rotor_radius_m[t] ** 2)
    hours = shaded.sum(1) * sun.step_min / 60.0
    max_day = np.zeros(n_r)
    if shaded.any():
        days = sun.day
        for r in np.flatnonzero(shaded.any(1)):
            max_day[r] = np.bincount(days[shaded[r]]).max() * sun.step_min
    return hours, max_day


def shadow_violations(receptor_ids, hours, max_day_min, receptor_points, nearest_turbine) -> list[dict]:
    rows = []
    for r in range(len(receptor_ids)):
        if hours[r] > SHADOW_LIMIT_H_YR + 1e-9:
            rows.append(
                violation(
                    nearest_turbine[r],
                    "shadow_hours",
                    hours[r],
                    SHADOW_LIMIT_H_YR,
                    "h/yr",
                    f"敏感点 {receptor_ids[r]} 最不利阴影闪烁 {hours[r]:.1f} h/年，"
                    f"超过 {SHADOW_LIMIT_H_YR:g} h/年",
                    f"worst-case shadow flicker {hours[r]:.1f} h/yr at receptor {receptor_ids[r]}, over "
                    f"{SHADOW_LIMIT_H_YR:g} h/yr",
                    other=receptor_ids[r],
                    geometry=receptor_points[r],
                )
            )
        if max_day_min[r] > SHADOW_LIMIT_MIN_DAY + 1e-9:
            rows.append(
                violation(
                    nearest_turbine[r],
                    "shadow_minutes_day",
                    max_day_min[r],
                    SHADOW_LIMIT_MIN_DAY,
                    "min/day",
                    f"敏感点 {receptor_ids[r]} 最不利阴影闪烁单日 {max_day_min[r]:.0f} 分钟，"
                    f"超过 {SHADOW_LIMIT_MIN_DAY:g} 分钟",
                    f"worst-case shadow flicker {max_day_min[r]:.0f} min on one day at receptor "
                    f"{receptor_ids[r]}, "
                    f"over {SHADOW_LIMIT_MIN_DAY:g} min",
                    other=receptor_ids[r],
                    geometry=receptor_points[r],
                )
            )
    return rows
