"""Measurements (app/gui/measure.py) against hand calculations and pyproj.Geod called directly."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pyproj import Geod, Transformer

from app.gui import measure

GK = "EPSG:4549"  # CGCS2000 3° Gauss–Krüger, CM 120°E, metres
FT = "EPSG:2263"  # NAD83 / New York Long Island (US survey feet)
US_FT_M = 1200 / 3937  # metres per US survey foot (definition)
WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563


def test_planar_length_area_perimeter_of_a_345_triangle():
    pts = [(420_000.0, 3_340_000.0), (420_003.0, 3_340_000.0), (420_003.0, 3_340_004.0)]
    assert measure.polyline_length_m(pts, GK) == pytest.approx(7.0, abs=1e-9)
    assert measure.polygon_area_m2(pts, GK) == pytest.approx(6.0, abs=1e-9)
    assert measure.polygon_perimeter_m(pts, GK) == pytest.approx(12.0, abs=1e-9)
    assert list(measure.segment_lengths_m(pts, GK)) == pytest.approx([3.0, 4.0])


def test_area_orientation_closing_point_and_big_coordinates():
    # 120 m × 80 m rectangle far from the origin, clockwise and explicitly closed
    x0, y0 = 39_420_000.0, 3_340_000.0  # easting with zone prefix: large numbers, no cancellation
    ring = [(x0, y0), (x0, y0 + 80), (x0 + 120, y0 + 80), (x0 + 120, y0), (x0, y0)]
    assert measure.polygon_area_m2(ring, GK) == pytest.approx(9600.0, abs=1e-6)
    assert measure.polygon_area_m2(ring[::-1], GK) == pytest.approx(9600.0, abs=1e-6)
    assert measure.polygon_perimeter_m(ring, GK) == pytest.approx(400.0, abs=1e-9)


def test_degenerate_inputs():
    assert measure.polyline_length_m([(1, 2)], GK) == 0.0
    assert measure.polygon_area_m2([(0, 0), (1, 1)], GK) == 0.0
    with pytest.raises(ValueError):
        measure.polyline_length_m([(0, 0), (float("nan"), 1)], GK)


def test_feet_crs_converts_to_metres():
    assert measure.metres_per_unit(FT) == pytest.approx(US_FT_M, rel=1e-12)
    assert measure.polyline_length_m([(1e6, 2e5), (1e6 + 1000, 2e5)], FT) == pytest.approx(
        1000 * US_FT_M, rel=1e-12)
    sq = [(1e6, 2e5), (1e6 + 100, 2e5), (1e6 + 100, 2e5 + 100), (1e6, 2e5 + 100)]
    assert measure.polygon_area_m2(sq, FT) == pytest.approx(10_000 * US_FT_M ** 2, rel=1e-12)


def test_geodesic_degree_of_longitude_on_the_equator():
    # along the equator the geodesic is the equator: 1° = 2πa/360
    for crs in ("EPSG:4326", "EPSG:4490"):  # WGS84 and CGCS2000 share a = 6378137 m
        assert measure.polyline_length_m([(0, 0), (1, 0)], crs) == pytest.approx(
            2 * math.pi * WGS84_A / 360, rel=1e-9)


def test_geodesic_length_matches_pyproj_geod():
    lons, lats = [120.1, 120.3, 120.25], [30.1, 30.15, 30.3]
    ref = Geod(ellps="WGS84").line_length(lons, lats)
    assert measure.polyline_length_m(list(zip(lons, lats, strict=True)), "EPSG:4326") == pytest.approx(
        ref, rel=1e-9)


def test_geodesic_area_of_a_one_degree_cell_at_the_equator_by_hand():
    """Area between latitudes 0 and 1° over 1° of longitude on the WGS84 ellipsoid:
    A = Δλ·b²/2·[q(φ₂) − q(φ₁)], q(φ) = sinφ/(1−e²sin²φ) + ln((1+e sinφ)/(1−e sinφ))/(2e).
    The polygon's north edge is a geodesic, not the parallel; it bulges ~4 m poleward over 1°,
    a relative difference of ~3e-5."""
    e2 = WGS84_F * (2 - WGS84_F)
    e = math.sqrt(e2)
    b = WGS84_A * (1 - WGS84_F)

    def q(phi: float) -> float:
        s = math.sin(phi)
        return s / (1 - e2 * s * s) + math.log((1 + e * s) / (1 - e * s)) / (2 * e)

    hand = math.radians(1) * b * b / 2 * (q(math.radians(1)) - q(0.0))
    got = measure.polygon_area_m2([(0, 0), (1, 0), (1, 1), (0, 1)], "EPSG:4326")
    assert got == pytest.approx(hand, rel=1e-4)
    ref, _ = Geod(ellps="WGS84").polygon_area_perimeter([0, 1, 1, 0], [0, 0, 1, 1])
    assert got == pytest.approx(abs(ref), rel=1e-12)


def test_planar_area_on_gauss_kruger_vs_geodesic_shows_the_zone_scale_factor():
    """A 1 km square 80 km west of the central meridian: the Gauss–Krüger scale factor there is
    k ≈ 1 + x²/(2R²), so the planar area exceeds the geodesic one by k² − 1 ≈ x²/R² ≈ 1.58e-4."""
    x0, y0 = 420_000.0, 3_340_000.0  # false easting 500 km → 80 km west of 120°E
    sq = np.array([(x0, y0), (x0 + 1000, y0), (x0 + 1000, y0 + 1000), (x0, y0 + 1000)])
    planar = measure.polygon_area_m2(sq, GK)
    assert planar == pytest.approx(1e6, abs=1e-6)
    t = Transformer.from_crs(GK, "EPSG:4490", always_xy=True)
    lon, lat = t.transform(sq[:, 0], sq[:, 1])
    geodesic = measure.polygon_area_m2(np.c_[lon, lat], "EPSG:4490")
    x_from_cm = 80_500.0  # the square's centre
    r = 6_371_000.0
    assert planar / geodesic - 1 == pytest.approx(x_from_cm ** 2 / r ** 2, abs=1e-5)


def test_scale_denominator_by_hand():
    # 1 m per pixel on a 96 dpi screen: one pixel is 0.0254/96 m → 1 : 96/0.0254
    assert measure.scale_denominator(1.0, 96, GK) == pytest.approx(96 / 0.0254, rel=1e-12)
    assert measure.scale_denominator(0.5, 120, GK) == pytest.approx(0.5 * 120 / 0.0254, rel=1e-12)
    # lon/lat map at the equator: 1e-5° per pixel = 1e-5 × 2πa/360 m
    m_px = 1e-5 * 2 * math.pi * WGS84_A / 360
    assert measure.scale_denominator(1e-5, 96, "EPSG:4326", (120.0, 0.0)) == pytest.approx(
        m_px * 96 / 0.0254, rel=1e-6)
    with pytest.raises(ValueError):
        measure.scale_denominator(1.0, 0, GK)


def test_coordinates_text_against_pyproj():
    x, y = 420_000.0, 3_340_000.0
    lon, lat = Transformer.from_crs("EPSG:4549", "EPSG:4490", always_xy=True).transform(x, y)
    assert 119.1 < lon < 119.2 and 30.1 < lat < 30.2  # 80 km west of 120°E, sanity
    assert measure.coordinates_text(x, y, GK) == f"{lon:.6f}°, {lat:.6f}° | 420000.0, 3340000.0"
    assert measure.coordinates_text(120.5, 30.25, "EPSG:4326") == "120.500000°, 30.250000°"
    assert measure.coordinates_text(1.25, 2.5, None) == "1.2, 2.5"
    assert measure.geodetic_name(GK) == "China Geodetic Coordinate System 2000"


def test_to_lonlat_web_mercator():
    # EPSG:3857 x = a·λ: x = a·π/180 · 120 → 120°E
    lon, lat = measure.to_lonlat(WGS84_A * math.radians(120.0), 0.0, "EPSG:3857")
    assert lon == pytest.approx(120.0, abs=1e-9) and lat == pytest.approx(0.0, abs=1e-9)
