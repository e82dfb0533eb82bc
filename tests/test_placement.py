"""Placing enterprises: GCJ-02 correction, placement by buildings, township totals = Σ enterprises."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from gis.carbon.placement import place_enterprises, township_totals

# the published WGS84 → GCJ-02 pair of tests/test_webmap.py (Tiananmen)
WGS = (116.404, 39.915)
GCJ = (116.41024449916938, 39.91640428150164)


def test_gcj02_columns_are_corrected():
    t = pd.DataFrame({"企业代码": ["A", "B"], "企业名称": ["甲", "乙"], "经度": [GCJ[0], None],
                      "纬度": [GCJ[1], None]})
    p = place_enterprises(t, crs="gcj02")
    assert len(p.points) == 1 and p.points.crs.to_epsg() == 4326
    g = p.points.geometry.iloc[0]
    assert g.x == pytest.approx(WGS[0], abs=1e-6) and g.y == pytest.approx(WGS[1], abs=1e-6)
    assert list(p.unplaced["entity"]) == ["B"] and p.unplaced["name"].iloc[0] == "乙"
    # read as WGS84 the point stays where the table put it (~600 m east)
    raw = place_enterprises(t, crs="wgs84").points.geometry.iloc[0]
    assert raw.x == pytest.approx(GCJ[0]) and raw.y == pytest.approx(GCJ[1])


def test_buildings_place_the_rest():
    t = pd.DataFrame({"entity": ["A", "B", "C"], "lon": [116.0, None, None], "lat": [40.0, None, None]})
    b = gpd.GeoDataFrame({"enterprise_id": ["B", "B", "X"]},
                         geometry=[box(116.1, 39.9, 116.101, 39.901), box(116.2, 39.9, 116.201, 39.901),
                                   box(117.0, 39.0, 117.001, 39.001)], crs="EPSG:4326")
    p = place_enterprises(t, buildings=b)
    pts = p.points.set_index("entity")
    assert pts.loc["A", "placed_by"] == "lonlat" and pts.loc["B", "placed_by"] == "buildings"
    assert b.geometry.iloc[:2].union_all().contains(pts.loc["B", "geometry"])
    assert list(p.unplaced["entity"]) == ["C"]
    assert p.summary()["by_buildings"] == 1


def test_township_totals_equal_sum_of_enterprises():
    rng = np.random.default_rng(7)
    n = 200
    x, y = rng.uniform(0, 3000, n), rng.uniform(0, 2000, n)
    t_co2, tce = rng.uniform(0, 1000, n), rng.uniform(0, 400, n)
    pts = gpd.GeoDataFrame({"t_co2": t_co2, "tce": tce}, geometry=gpd.points_from_xy(x, y), crs="EPSG:32650")
    towns = gpd.GeoDataFrame({"code": ["T1", "T2", "T3", "T4"]},
                             geometry=[box(0, 0, 1000.5, 2000), box(1000.5, 0, 2000, 1000),
                                       box(1000.5, 1000, 2000, 2000), box(5000, 5000, 6000, 6000)],
                             crs="EPSG:32650")
    got = township_totals(pts, towns, township_key="code").set_index("code")
    # independent: a plain loop with shapely's contains over each township
    for code, poly in zip(towns["code"], towns.geometry, strict=True):
        inside = np.array([poly.contains(Point(a, b)) for a, b in zip(x, y, strict=True)])
        assert got.loc[code, "t_co2"] == pytest.approx(t_co2[inside].sum())
        assert got.loc[code, "tce"] == pytest.approx(tce[inside].sum())
        assert got.loc[code, "enterprises"] == inside.sum()
    assert got.loc["T4", "enterprises"] == 0
    # points east of x = 2000 lie outside every township and are not counted
    assert got["t_co2"].sum() == pytest.approx(t_co2[x < 2000].sum())


def test_enterprise_points_layer_coloured_by_grade():
    from layers.registry import field_alias, layer_spec
    from layers.style import FIVE_COLOURS

    spec = layer_spec("enterprise_points")
    assert spec is not None and spec.geometry == "point"
    pts = gpd.GeoDataFrame({"entity": ["A", "B"], "grade": [1, 5]},
                           geometry=[Point(116.0, 40.0), Point(116.1, 40.0)], crs="EPSG:4326")
    style = spec.make_style(pts)
    # grade 1 green, grade 5 red: the DB33/T 1347-2023 colours of the grade layer
    assert [c.colour.lower() for c in style.classes] == [c.lower() for c in FIVE_COLOURS]
    plain = spec.make_style(pts.drop(columns="grade"))
    assert not hasattr(plain, "classes")
    assert field_alias("tce_per_mu", "enterprise_points") == "亩均能耗 (tce/亩)"
