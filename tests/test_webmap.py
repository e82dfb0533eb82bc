"""GCJ-02 / BD-09 offsets against published reference values, and round trips."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from gis import webmap

# Reference values from wandergis/coordtransform's own test suite (test/index.test.js),
# an independent implementation (JavaScript).
REF = {
    "wgs84_to_gcj02": ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
    "gcj02_to_bd09": ((116.404, 39.915), (116.41036949371029, 39.92133699351021)),
}
# their inverses are one-step approximations: ours (iterated to exact) must agree within ~0.5 m
REF_APPROX_GCJ_TO_WGS = ((116.404, 39.915), (116.39775550083061, 39.91359571849836))
REF_APPROX_BD_TO_GCJ = ((116.404, 39.915), (116.39762729119315, 39.90865673957631))
GEOD = Geod(ellps="WGS84")


def test_forward_formulas_match_reference():
    for name, ((lon, lat), (elon, elat)) in REF.items():
        lo, la = getattr(webmap, name)(lon, lat)
        assert abs(lo - elon) < 1e-9 and abs(la - elat) < 1e-9, name


def test_inverses_close_to_published_approximations():
    for func, ((lon, lat), (elon, elat)) in [(webmap.gcj02_to_wgs84, REF_APPROX_GCJ_TO_WGS),
                                             (webmap.bd09_to_gcj02, REF_APPROX_BD_TO_GCJ)]:
        lo, la = func(lon, lat)
        _, _, dist = GEOD.inv(lo, la, elon, elat)
        assert dist < 0.5


def test_offset_magnitude_in_china_and_none_abroad():
    lon, lat = np.array([120.27, 104.06, 87.6]), np.array([30.2, 30.67, 43.8])
    glon, glat = webmap.wgs84_to_gcj02(lon, lat)
    _, _, d = GEOD.inv(lon, lat, glon, glat)
    assert np.all((d > 100) & (d < 700)), d
    assert webmap.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)  # Paris: unchanged


ROUND_TRIPS = [(webmap.wgs84_to_gcj02, webmap.gcj02_to_wgs84),
               (webmap.gcj02_to_bd09, webmap.bd09_to_gcj02)]


@pytest.mark.parametrize("forward,inverse", ROUND_TRIPS, ids=["gcj02", "bd09"])
@settings(max_examples=150, deadline=None)
@given(lon=st.floats(73.6, 134.7), lat=st.floats(18.2, 53.5))
def test_round_trip_below_a_millimetre(forward, inverse, lon, lat):
    olon, olat = forward(lon, lat)
    blon, blat = inverse(olon, olat)
    _, _, d = GEOD.inv(lon, lat, float(blon), float(blat))
    assert d < 1e-3
