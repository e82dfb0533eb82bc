"""The one rule for the CRS Lingtan measures in (gis.crs.metric_crs_for), checked against the
projections' published definitions."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from gis.crs import metric_crs_for, metric_frame
from gis.errors import InputError


def _square(lon, lat, crs=4326):
    g = gpd.GeoDataFrame(geometry=[shapely.box(lon, lat, lon + 0.01, lat + 0.01)], crs=4326)
    return g.to_crs(crs)


def test_lonlat_in_china_goes_to_the_cgcs2000_3_degree_zone_of_its_meridian():
    # Wuhan, 114.4°E: the nearest 3° central meridian is 114°E → EPSG:4547 (CGCS2000 3° GK CM 114E)
    assert metric_crs_for(_square(114.4, 30.5)).to_epsg() == 4547
    # Hangzhou, 120.2°E → CM 120°E → EPSG:4549
    assert metric_crs_for(_square(120.2, 30.3)).to_epsg() == 4549


def test_web_mercator_is_reprojected_but_true_metric_crss_are_kept():
    # Web Mercator's areal scale at 30°N is 1/cos²(30°) = 1.333: not a measuring CRS
    assert metric_crs_for(_square(114.4, 30.5, 3857)).to_epsg() == 4547
    assert metric_crs_for(_square(114.4, 30.5, 32650)).to_epsg() == 32650  # UTM 50N covers 114°–120°E
    assert metric_crs_for(_square(114.4, 30.5, 4547)).to_epsg() == 4547


def test_outside_china_utm_and_no_crs_is_an_error():
    assert metric_crs_for(_square(2.35, 48.85)).to_epsg() == 32631  # Paris: UTM 31N
    bare = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)])
    assert metric_crs_for(bare) is None
    with pytest.raises(InputError) as e:
        metric_frame(bare, what_zh="建筑图层", what_en="The buildings layer")
    assert "建筑图层" in e.value.zh and "buildings" in e.value.en
