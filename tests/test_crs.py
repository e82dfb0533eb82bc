"""CRS names, Gauss–Krüger zones, inference and the local metric CRS (checked against PROJ)."""

from __future__ import annotations

import pytest
from pyproj import CRS

from gis.crs import gauss_kruger_epsg, guess_projected_crs, local_metric_crs, parse_crs
from gis.errors import InputError


def _cm(code: int) -> float:
    op = CRS.from_epsg(code).coordinate_operation
    return next(p.value for p in op.params if "longitude of natural origin" in p.name.lower())


def _fe(code: int) -> float:
    op = CRS.from_epsg(code).coordinate_operation
    return next(p.value for p in op.params if "false easting" in p.name.lower())


@pytest.mark.parametrize("datum,ellipsoid", [("cgcs2000", "CGCS2000"),
                                             ("beijing1954", "Krassowsky 1940"),
                                             ("xian1980", "IAG 1975")])
@pytest.mark.parametrize("zone", [25, 37, 40, 45])
def test_3_degree_prefixed_zones(datum, ellipsoid, zone):
    code = gauss_kruger_epsg(datum, 3, zone=zone)
    crs = CRS.from_epsg(code)
    assert _cm(code) == 3 * zone
    assert _fe(code) == zone * 1e6 + 500_000
    assert crs.ellipsoid.name == ellipsoid


@pytest.mark.parametrize("datum", ["cgcs2000", "beijing1954", "xian1980"])
@pytest.mark.parametrize("cm", [75, 105, 117, 135])
def test_6_and_3_degree_cm_zones(datum, cm):
    code3 = gauss_kruger_epsg(datum, 3, central_meridian=cm)
    assert _cm(code3) == cm and _fe(code3) == 500_000
    if (cm + 3) % 6 == 0:
        code6 = gauss_kruger_epsg(datum, 6, central_meridian=cm)
        assert _cm(code6) == cm and _fe(code6) == 500_000
        zone = (cm + 3) // 6
        assert _cm(gauss_kruger_epsg(datum, 6, zone=zone)) == cm


@pytest.mark.parametrize("text,epsg", [
    ("EPSG:4549", 4549), ("4490", 4490), ("cgcs2000", 4490), ("wgs84", 4326),
    ("北京54", 4214), ("xian80", 4610), ("cgcs2000-gk3-40", 4528),
    ("cgcs2000-gk3-cm120", 4549), ("xian1980-gk6-20", 2334), ("beijing1954-gk3-39", 2415),
])
def test_parse_crs_names(text, epsg):
    assert parse_crs(text).crs.to_epsg() == epsg


def test_parse_webmap_names():
    s = parse_crs("GCJ-02")
    assert s.webmap == "gcj02" and s.crs.to_epsg() == 4326
    assert parse_crs("bd09").webmap == "bd09"


@pytest.mark.parametrize("bad", ["EPSG:999999", "nonsense", "cgcs2000-gk3-99", "cgcs2000-gk3-cm121"])
def test_parse_crs_rejects_with_bilingual_message(bad):
    with pytest.raises(InputError) as e:
        parse_crs(bad)
    assert e.value.zh and e.value.en


@pytest.mark.parametrize("lon,lat,epsg", [
    (120.27, 30.21, 4549),   # Hangzhou → CGCS2000 3° CM 120E
    (104.06, 30.67, 4544),   # Chengdu → CM 105E
    (87.6, 43.8, 4538),      # Urumqi → CM 87E
    (126.6, 45.75, 4551),    # Harbin → CM 126E
    (2.35, 48.85, 32631),    # Paris → UTM 31N
    (151.2, -33.9, 32756),   # Sydney → UTM 56S
])
def test_local_metric_crs(lon, lat, epsg):
    crs = local_metric_crs(lon, lat)
    assert crs.to_epsg() == epsg
    if epsg < 32600:
        assert abs(_cm(epsg) - lon) <= 1.5  # within half a 3° zone


def test_guess_projected_from_zone_prefix():
    cands = guess_projected_crs((40_512_000, 3_340_000, 40_514_000, 3_342_000))
    assert cands[0][0] == 4528  # CGCS2000 3° zone 40
    assert guess_projected_crs((512_000, 3_340_000, 514_000, 3_342_000)) == []
