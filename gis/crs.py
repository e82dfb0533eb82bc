"""Coordinate reference systems used in China: names, Gauss–Krüger zones, inference, local metric CRS.

EPSG code ranges (checked against PROJ's database, pyproj 3.7):

=====================  ==================  ===============  ==================  ===============
datum                  3° zone (prefix)    3° CM (no pfx)   6° zone (prefix)    6° CM (no pfx)
=====================  ==================  ===============  ==================  ===============
CGCS2000 (EPSG:4490)   4513–4533 (25–45)   4534–4554        4491–4501 (13–23)   4502–4512
Beijing 1954 (4214)    2401–2421           2422–2442        21413–21423         21453–21463
Xi'an 1980 (4610)      2349–2369           2370–2390        2327–2337           2338–2348
=====================  ==================  ===============  ==================  ===============

3° zone n has central meridian 3n°; 6° zone n has central meridian 6n − 3°. "Prefix" CRSs put
the zone number in front of the easting (false easting n·10^6 + 500 000 m).
GCJ-02 and BD-09 are not CRSs but obfuscated lon/lat (see :mod:`gis.webmap`); the names
``gcj02`` and ``bd09`` are accepted here and mean "WGS84 lon/lat after that offset".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyproj import CRS
from pyproj.exceptions import CRSError

from gis.errors import InputError

# datum key -> (geographic EPSG, 3° prefix base, 3° CM base, 6° prefix base, 6° CM base)
_GK_TABLE: dict[str, tuple[int, int, int, int, int]] = {
    "cgcs2000": (4490, 4513, 4534, 4491, 4502),
    "beijing1954": (4214, 2401, 2422, 21413, 21453),
    "xian1980": (4610, 2349, 2370, 2327, 2338),
}
_DATUM_ALIASES = {
    "cgcs2000": "cgcs2000", "cgcs": "cgcs2000", "2000": "cgcs2000", "国家2000": "cgcs2000",
    "beijing1954": "beijing1954", "beijing54": "beijing1954", "bj54": "beijing1954",
    "北京54": "beijing1954", "北京1954": "beijing1954", "54": "beijing1954",
    "xian1980": "xian1980", "xian80": "xian1980", "xa80": "xian1980", "西安80": "xian1980",
    "西安1980": "xian1980", "80": "xian1980",
}
WEBMAP_DATUMS = ("gcj02", "bd09")
_NAMED = {"wgs84": 4326, "cgcs2000": 4490, "beijing1954": 4214, "xian1980": 4610}


@dataclass(frozen=True)
class SourceCrs:
    """A user's statement of the data's CRS: a real CRS, plus an optional web-map offset."""

    crs: CRS
    webmap: str | None = None  # "gcj02" / "bd09": lon/lat to convert to WGS84 first

    @property
    def label(self) -> str:
        if self.webmap:
            return f"{self.webmap.upper()} lon/lat (web-map offset) → {crs_label(self.crs)}"
        return crs_label(self.crs)


def crs_label(crs: CRS | None) -> str:
    """Short human label, e.g. 'EPSG:4549 CGCS2000 / 3-degree Gauss-Kruger CM 120E'."""
    if crs is None:
        return "unknown"
    code = crs.to_epsg(min_confidence=70)
    return f"EPSG:{code} {crs.name}" if code else crs.name


def gauss_kruger_epsg(datum: str, width_deg: int, *, zone: int | None = None,
                      central_meridian: float | None = None) -> int:
    """EPSG code of a Gauss–Krüger CRS.

    datum: 'cgcs2000' | 'beijing1954' | 'xian1980' (aliases accepted).
    width_deg: 3 or 6. Give ``zone`` for the zone-prefixed variant (easting starts with the
    zone number), or ``central_meridian`` (degrees east) for the variant without prefix.
    """
    key = _DATUM_ALIASES.get(datum.lower().replace(" ", "").replace("_", "").replace("-", ""))
    if key is None:
        raise InputError(f"未知的大地基准“{datum}”", f"Unknown geodetic datum '{datum}'",
                         code="crs.datum")
    _, p3, c3, p6, c6 = _GK_TABLE[key]
    if width_deg == 3:
        if zone is not None:
            if not 25 <= zone <= 45:
                raise InputError(f"3度带号 {zone} 超出中国范围（25–45）",
                                 f"3-degree zone {zone} is outside China's range (25–45)")
            return p3 + zone - 25
        cm = _check_cm(central_meridian, 75, 135, 3)
        return c3 + (cm - 75) // 3
    if width_deg == 6:
        if zone is not None:
            if not 13 <= zone <= 23:
                raise InputError(f"6度带号 {zone} 超出中国范围（13–23）",
                                 f"6-degree zone {zone} is outside China's range (13–23)")
            return p6 + zone - 13
        cm = _check_cm(central_meridian, 75, 135, 6)
        return c6 + (cm - 75) // 6
    raise InputError("高斯-克吕格投影带宽只能是3度或6度",
                     "Gauss–Krüger zone width must be 3 or 6 degrees")


def _check_cm(cm: float | None, lo: int, hi: int, step: int) -> int:
    if cm is None or (cm - lo) % step != 0 or not lo <= cm <= hi:
        raise InputError(f"中央经线 {cm} 不是有效的{step}度带中央经线（{lo}–{hi}）",
                         f"Central meridian {cm} is not a valid {step}-degree zone meridian "
                         f"({lo}–{hi})")
    return int(cm)


_GK_RE = re.compile(r"^(?P<datum>[^-]+)-gk(?P<w>[36])-(?:(?P<cm>cm)(?P<cmv>\d+)|(?P<zone>\d+))$")


def parse_crs(text: str) -> SourceCrs:
    """Parse a user's CRS: 'EPSG:4549', '4549', 'wgs84', 'cgcs2000', 'beijing1954', 'xian1980',
    'gcj02', 'bd09', 'cgcs2000-gk3-40' (3° zone 40, with prefix), 'cgcs2000-gk3-cm120'
    (3° zone with central meridian 120°E, no prefix), 'xian1980-gk6-20', or any WKT/PROJ string.
    """
    t = text.strip()
    low = t.lower().replace(" ", "").replace("_", "").replace("-", "-")
    if low in WEBMAP_DATUMS or low in ("gcj-02", "bd-09"):
        return SourceCrs(CRS.from_epsg(4326), webmap=low.replace("-", ""))
    key = _DATUM_ALIASES.get(low, low)
    if key in _NAMED:
        return SourceCrs(CRS.from_epsg(_NAMED[key]))
    m = _GK_RE.match(low)
    if m:
        width = int(m["w"])
        if m["cm"]:
            code = gauss_kruger_epsg(m["datum"], width, central_meridian=int(m["cmv"]))
        else:
            code = gauss_kruger_epsg(m["datum"], width, zone=int(m["zone"]))
        return SourceCrs(CRS.from_epsg(code))
    if low.isdigit():
        t = f"EPSG:{low}"
    try:
        return SourceCrs(CRS.from_user_input(t))
    except CRSError as exc:
        raise InputError(
            f"无法识别坐标系“{text}”。可用如 EPSG:4549、cgcs2000、cgcs2000-gk3-40、gcj02。",
            f"Cannot understand the CRS '{text}'. Use e.g. EPSG:4549, cgcs2000, "
            f"cgcs2000-gk3-40, gcj02.",
            code="crs.parse",
        ) from exc


def looks_like_lonlat(bounds: tuple[float, float, float, float]) -> bool:
    """True if (minx, miny, maxx, maxy) fits longitude/latitude degrees."""
    minx, miny, maxx, maxy = bounds
    return -180.0 <= minx <= maxx <= 180.0 and -90.0 <= miny <= maxy <= 90.0


def in_china(lon: float, lat: float) -> bool:
    """Rough box around China's territory (degrees), for choosing Chinese defaults."""
    return 73.0 <= lon <= 135.5 and 3.0 <= lat <= 54.0


def guess_projected_crs(bounds: tuple[float, float, float, float]) -> list[tuple[int, str]]:
    """Likely Gauss–Krüger CRSs for projected coordinates without a .prj (best first).

    An 8-digit easting carries its zone number (e.g. 40 512 345 m → 3° zone 40). Without a
    prefix the zone cannot be known; the caller must ask. Returns (EPSG, reason) pairs.
    """
    minx, miny, maxx, maxy = bounds
    out: list[tuple[int, str]] = []
    if not (0 < miny and maxy < 6.2e6):  # China's northings: ~0.3e6 (3°N) to 6.0e6 (54°N)
        return out
    zone_lo, zone_hi = int(minx // 1_000_000), int(maxx // 1_000_000)
    if zone_lo == zone_hi and 13 <= zone_lo <= 45:
        z = zone_lo
        if 25 <= z <= 45:
            out.append((gauss_kruger_epsg("cgcs2000", 3, zone=z),
                        f"easting prefix {z} → CGCS2000 3° zone {z}"))
            out.append((gauss_kruger_epsg("xian1980", 3, zone=z), "same zone, Xi'an 1980"))
            out.append((gauss_kruger_epsg("beijing1954", 3, zone=z), "same zone, Beijing 1954"))
        else:
            out.append((gauss_kruger_epsg("cgcs2000", 6, zone=z),
                        f"easting prefix {z} → CGCS2000 6° zone {z}"))
    return out


AREA_SCALE_TOLERANCE = 0.01
"""A projected CRS whose areal scale at the data's centre is within 1% of true is kept as the
metric CRS (Gauss–Krüger and UTM are; Web Mercator, 1.33× at 30°N, is not)."""


def metric_crs_for(gdf) -> CRS | None:
    """The one rule for the CRS Lingtan measures a layer in: the layer's own CRS when it is
    projected and keeps areas within :data:`AREA_SCALE_TOLERANCE` at the data's centre, else
    :func:`local_metric_crs` of that centre (CGCS2000 3° Gauss–Krüger zone in China, UTM
    elsewhere). None for a layer without a CRS or without finite bounds (empty)."""
    import math

    from pyproj import Proj

    if gdf.crs is None or len(gdf) == 0:
        return None
    x0, y0, x1, y1 = (float(v) for v in gdf.to_crs(4326).total_bounds)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        return None
    lon, lat = (x0 + x1) / 2.0, (y0 + y1) / 2.0
    crs = CRS.from_user_input(gdf.crs)
    if crs.is_projected and abs(float(Proj(crs).get_factors(lon,
                                                            lat).areal_scale) - 1.0) <= AREA_SCALE_TOLERANCE:
        return crs
    return local_metric_crs(lon, lat)


def metric_frame(gdf, *, what_zh: str = "图层", what_en: str = "The layer"):
    """``gdf`` in its metric CRS (:func:`metric_crs_for`), reprojected only when needed."""
    if gdf.crs is None:
        raise InputError(f"{what_zh}没有坐标系", f"{what_en} has no CRS", code="crs.missing")
    crs = metric_crs_for(gdf)
    if crs is None or crs == gdf.crs:
        return gdf
    return gdf.to_crs(crs)


def local_metric_crs(lon: float, lat: float) -> CRS:
    """Metric CRS for areas and lengths around (lon, lat) in degrees.

    In China: the CGCS2000 3° Gauss–Krüger zone (no prefix) whose central meridian is
    nearest (scale error < 0.03% within a zone); elsewhere the WGS84 UTM zone.
    """
    if in_china(lon, lat):
        cm = round(lon / 3.0) * 3
        cm = min(max(cm, 75), 135)
        return CRS.from_epsg(gauss_kruger_epsg("cgcs2000", 3, central_meridian=cm))
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


_CRS_WORDS_ZH = (
    (re.compile(r"China Geodetic Coordinate System 2000"), "2000 国家大地坐标系（CGCS2000）"),
    (re.compile(r"3-degree Gauss-Kruger zone (\d+)"), r"3 度带高斯-克吕格投影 第 \1 带"),
    (re.compile(r"3-degree Gauss-Kruger CM (\d+)E"), r"3 度带高斯-克吕格投影 中央经线 \1°E"),
    (re.compile(r"Gauss-Kruger zone (\d+)"), r"6 度带高斯-克吕格投影 第 \1 带"),
    (re.compile(r"Gauss-Kruger CM (\d+)E"), r"6 度带高斯-克吕格投影 中央经线 \1°E"),
    (re.compile(r"UTM zone (\d+)([NS])"), r"UTM 投影 第 \1\2 带"),
    (re.compile(r"Pseudo-Mercator"), "Web 墨卡托"),
    (re.compile(r"Xian 1980"), "1980 西安坐标系"),
    (re.compile(r"Beijing 1954"), "1954 北京坐标系"),
)
"""The EPSG names of the CRSs Chinese data comes in, with the names Chinese planners use
(GB/T 18314 and the CGCS2000 notice of the State Bureau of Surveying and Mapping, 2008)."""


def crs_name_in(text: str, lang: str = "zh") -> str:
    """A CRS as "EPSG:4547 CGCS2000 / 3-degree Gauss-Kruger CM 114E" in ``lang``: in Chinese the
    EPSG names of the usual Chinese CRSs read as "… 3 度带高斯-克吕格投影 中央经线 114°E"; other
    names and English stay as they are."""
    if lang != "zh":
        return text
    for pattern, zh in _CRS_WORDS_ZH:
        text = pattern.sub(zh, text)
    return text

