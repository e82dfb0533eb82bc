"""Map measurements and coordinate read-outs as pure functions (no Qt): lengths in metres, areas in
square metres, lon/lat of map coordinates, the map scale.

Projected map CRS (the park's local metric CRS, e.g. a CGCS2000 3° Gauss–Krüger zone): planar
Euclidean lengths and the shoelace area on the map coordinates, times the CRS's axis unit (1 for
metres). Within a 3° zone the projection's scale error is below 0.03 % (gis.crs.local_metric_crs),
so planar values on the local CRS are the metres a planner expects.

Geographic map CRS (lon/lat degrees, x = lon, y = lat as in GeoPandas): geodesic values on the
CRS's ellipsoid with :class:`pyproj.Geod` (Karney's algorithms): ``line_length`` and
``polygon_area_perimeter``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from pyproj import CRS, Geod, Transformer

INCH_M = 0.0254  # metres per inch (exact, by definition): the scale's dpi conversion

_TRANSFORMERS: dict[str, Transformer] = {}


def as_crs(crs) -> CRS | None:
    """A pyproj CRS from anything pyproj accepts (None stays None)."""
    if crs is None or isinstance(crs, CRS):
        return crs
    return CRS.from_user_input(crs)


def is_geographic(crs) -> bool:
    crs = as_crs(crs)
    return bool(crs is not None and crs.is_geographic)


def metres_per_unit(crs) -> float:
    """Metres per map unit of a projected CRS (1.0 for metres, 0.3048 for feet, 1.0 if unknown)."""
    crs = as_crs(crs)
    if crs is None or crs.is_geographic:
        return 1.0
    try:
        factor = crs.axis_info[0].unit_conversion_factor
    except (IndexError, AttributeError):
        return 1.0
    return float(factor) if factor and math.isfinite(factor) else 1.0


def geod_for(crs) -> Geod:
    """The ellipsoid of ``crs`` as a pyproj Geod (WGS84 when unknown)."""
    crs = as_crs(crs)
    if crs is not None:
        geod = crs.get_geod()
        if geod is not None:
            return geod
    return Geod(ellps="WGS84")


def _xy(points: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    xy = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if not np.isfinite(xy).all():
        raise ValueError("measurement points must be finite numbers")
    return xy


def segment_lengths_m(points, crs=None) -> np.ndarray:
    """Length in metres of each segment of the polyline ``points`` ((n, 2) map coordinates)."""
    xy = _xy(points)
    if len(xy) < 2:
        return np.zeros(0)
    if is_geographic(crs):
        _, _, dist = geod_for(crs).inv(xy[:-1, 0], xy[:-1, 1], xy[1:, 0], xy[1:, 1])
        return np.abs(np.asarray(dist, dtype=np.float64))
    d = np.diff(xy, axis=0)
    return np.hypot(d[:, 0], d[:, 1]) * metres_per_unit(crs)


def polyline_length_m(points, crs=None) -> float:
    """Length in metres of the polyline through ``points`` (map coordinates, in order)."""
    return float(segment_lengths_m(points, crs).sum())


def polygon_area_m2(points, crs=None) -> float:
    """Area in m² of the simple polygon with vertices ``points`` (closed implicitly; either
    orientation). Self-intersecting rings give the net signed area's magnitude."""
    xy = _xy(points)
    if len(xy) >= 2 and np.array_equal(xy[0], xy[-1]):
        xy = xy[:-1]
    if len(xy) < 3:
        return 0.0
    if is_geographic(crs):
        area, _ = geod_for(crs).polygon_area_perimeter(xy[:, 0], xy[:, 1])
        return abs(float(area))
    x, y = xy[:, 0] - xy[:, 0].mean(), xy[:, 1] - xy[:, 1].mean()  # centred: no cancellation
    twice = np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)
    return abs(float(twice)) / 2.0 * metres_per_unit(crs) ** 2


def polygon_perimeter_m(points, crs=None) -> float:
    """Perimeter in metres of the polygon ``points`` (closed implicitly)."""
    xy = _xy(points)
    if len(xy) >= 2 and np.array_equal(xy[0], xy[-1]):
        xy = xy[:-1]
    if len(xy) < 2:
        return 0.0
    return polyline_length_m(np.vstack([xy, xy[:1]]), crs)


def lonlat_transformer(crs) -> Transformer | None:
    """Map CRS → its own geodetic CRS in degrees (CGCS2000 for a CGCS2000 Gauss–Krüger zone,
    WGS84 for Web Mercator/UTM), ``always_xy`` (lon, lat). None for a geographic or unknown CRS."""
    crs = as_crs(crs)
    if crs is None or crs.is_geographic:
        return None
    key = crs.to_wkt()
    t = _TRANSFORMERS.get(key)
    if t is None:
        target = crs.geodetic_crs or CRS.from_epsg(4326)
        t = Transformer.from_crs(crs, target, always_xy=True)
        _TRANSFORMERS[key] = t
    return t


def to_lonlat(x: float, y: float, crs) -> tuple[float, float]:
    """(lon, lat) in degrees of the map point (x, y); identity for a geographic or unknown CRS."""
    t = lonlat_transformer(crs)
    if t is None:
        return float(x), float(y)
    lon, lat = t.transform(x, y)
    return float(lon), float(lat)


def geodetic_name(crs) -> str:
    """Short name of the datum the lon/lat read-out is in ("CGCS2000", "WGS 84", …)."""
    crs = as_crs(crs)
    if crs is None:
        return ""
    geo = crs if crs.is_geographic else crs.geodetic_crs
    return geo.name if geo is not None else ""


def coordinates_text(x: float, y: float, crs, *, lonlat_decimals: int = 6, xy_decimals: int = 1
                     ) -> str:
    """Status-bar text "lon, lat | x, y" of the map point (x, y): lon/lat in degrees (6 decimals
    ≈ 0.1 m) and the projected coordinates in map units; only "lon, lat" on a lon/lat map and
    only "x, y" when the CRS is unknown."""
    crs = as_crs(crs)
    if crs is None:
        return f"{x:.{xy_decimals}f}, {y:.{xy_decimals}f}"
    lon, lat = to_lonlat(x, y, crs)
    ll = f"{lon:.{lonlat_decimals}f}°, {lat:.{lonlat_decimals}f}°"
    if crs.is_geographic:
        return ll
    return f"{ll} | {x:.{xy_decimals}f}, {y:.{xy_decimals}f}"


def metres_per_pixel(units_per_px: float, crs, at: tuple[float, float] | None = None) -> float:
    """Ground metres per screen pixel along x: map units per pixel × metres per unit; on a lon/lat
    map the east–west geodesic length of a degree at the latitude of ``at`` (default: equator)."""
    crs = as_crs(crs)
    if crs is not None and crs.is_geographic:
        lon, lat = at if at is not None else (0.0, 0.0)
        lat = min(max(lat, -89.9), 89.9)
        _, _, d = geod_for(crs).inv(lon - 0.5, lat, lon + 0.5, lat)
        return units_per_px * abs(d)
    return units_per_px * metres_per_unit(crs)


def scale_denominator(units_per_px: float, dpi: float, crs, at: tuple[float, float] | None = None
                      ) -> float:
    """N of the map scale 1:N on a screen of ``dpi`` logical dots per inch:
    N = ground metres per pixel / screen metres per pixel = m_per_px · dpi / 0.0254."""
    if dpi <= 0:
        raise ValueError("dpi must be positive")
    return metres_per_pixel(units_per_px, crs, at) * dpi / INCH_M


def nice_number(value: float) -> str:
    """``value`` with about 4 significant digits, thousands separated by commas ("12,345")."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.1f}"
    if abs(value) >= 10:
        return f"{value:.2f}"
    return f"{value:.3g}" if value else "0"
