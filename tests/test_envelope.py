"""Oriented envelopes (gis/solar/envelope.py) against hand calculations, and GEOS's for the shapes
the fast path leaves to it."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Polygon, box

from gis.solar.envelope import envelope_sides
from gis.solar.layout import long_axis_azimuth_deg
from gis.solar.roof_deductions import block_dims_m


def rotated_rectangle(cx, cy, w, h, bearing_deg):
    """A w × h rectangle whose w side points along ``bearing_deg`` (clockwise from north)."""
    b = math.radians(bearing_deg)
    u = np.array([math.sin(b), math.cos(b)])  # along the w side
    v = np.array([-u[1], u[0]])
    c = np.array([cx, cy])
    pts = [c + sx * w / 2 * u + sy * h / 2 * v for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    return Polygon(pts)


@pytest.mark.parametrize("bearing", [0.0, 17.0, 45.0, 90.0, 123.4, 179.0])
def test_rectangle_is_its_own_envelope_at_large_coordinates(bearing):
    # 40 × 12 m at Gauss–Krüger-sized coordinates: sides exact, azimuth of the 40 m side
    g = np.array([rotated_rectangle(420_123.4, 3_341_987.6, 40.0, 12.0, bearing)], dtype=object)
    long_m, short_m, az, ok = envelope_sides(g)
    assert ok[0]
    assert long_m[0] == pytest.approx(40.0, rel=1e-9)
    assert short_m[0] == pytest.approx(12.0, rel=1e-9)
    assert (az[0] - bearing + 90) % 180 - 90 == pytest.approx(0.0, abs=1e-7)
    assert long_axis_azimuth_deg(g)[0] == pytest.approx(az[0])


def test_kite_minimum_rectangle_by_hand():
    # A rhombus with diagonals 20 (x) and 10 (y): its edges have direction (10, 5)/√125; the
    # rectangle on an edge is the edge's length by the rhombus height:
    # side a = √125 = 11.180, area of the rhombus = 20·10/2 = 100, height = 100 / √125 = 8.944;
    # the rectangle on that edge: width along the edge = projection of the long diagonal
    # (20·10/√125 = 17.889), height 8.944 → area 160. The axis-aligned box is 20 × 10 = 200.
    g = np.array([Polygon([(-10, 0), (0, -5), (10, 0), (0, 5)])], dtype=object)
    long_m, short_m, az, ok = envelope_sides(g)
    assert ok[0]
    assert long_m[0] * short_m[0] == pytest.approx(160.0, rel=1e-12)
    assert long_m[0] == pytest.approx(200 / math.sqrt(125), rel=1e-12)
    assert short_m[0] == pytest.approx(100 / math.sqrt(125), rel=1e-12)
    # the long side lies along an edge: direction (10, 5) or (10, -5) → azimuth atan2(10, ±5)
    assert min(abs(az[0] - math.degrees(math.atan2(10, 5))),
               abs(az[0] - math.degrees(math.atan2(10, -5)))) < 1e-9


def test_shapes_left_to_geos_and_degenerate_ones():
    l_shape = Polygon([(0, 0), (30, 0), (30, 10), (10, 10), (10, 30), (0, 30)])  # 6 corners
    concave = Polygon([(0, 0), (20, 0), (5, 5), (0, 20)])  # a dart: concave quadrilateral
    holed = box(0, 0, 20, 10).difference(box(5, 2, 8, 4))
    flat = Polygon([(0, 0), (10, 0), (20, 0), (0, 0)])  # zero area
    g = np.array([l_shape, concave, holed, flat, None, LineString([(0, 0), (3, 4)])], dtype=object)
    long_m, short_m, az, ok = envelope_sides(g)
    assert long_m[0] == pytest.approx(30.0) and short_m[0] == pytest.approx(30.0)
    env = shapely.oriented_envelope(concave)  # the dart's hull is a triangle: GEOS decides
    assert long_m[1] * short_m[1] == pytest.approx(env.area, rel=1e-3)
    assert long_m[2] == pytest.approx(20.0) and short_m[2] == pytest.approx(10.0)
    assert list(ok) == [True, True, True, False, False, False]
    assert np.all(az[~ok] == 0)


def test_random_quads_never_larger_than_geos_and_block_dims_keep_area():
    rng = np.random.default_rng(3)
    n = 2_000
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], float) * 15
    pts = corners[None] + rng.normal(0, 3, (n, 4, 2)) + np.array([420_000.0, 3_340_000.0])
    g = shapely.polygons(np.concatenate([pts, pts[:, :1]], axis=1))
    g = g[shapely.is_valid(g)]
    long_m, short_m, _, ok = envelope_sides(g)
    assert ok.all()
    mine = long_m * short_m
    geos = shapely.area(shapely.oriented_envelope(g))
    # the exact minimum: never above GEOS's rectangle (GEOS's corners carry ~1e-5 of rounding)
    assert np.all(mine <= geos * (1 + 1e-4))
    assert np.all(mine >= shapely.area(shapely.convex_hull(g)) * (1 - 1e-12))
    a, b = block_dims_m(g)
    assert np.allclose(a * b, shapely.area(g), rtol=1e-9)
    assert np.all(a >= b)
