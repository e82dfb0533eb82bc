"""layers.query against shapely predicates and pandas masks computed directly."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis.errors import InputError
from layers.layer import VectorLayer
from layers.query import features_at, features_in_box, features_where

X0, Y0 = 500_000.0, 3_300_000.0


def _layer(n: int = 400, seed: int = 1) -> VectorLayer:
    rng = np.random.default_rng(seed)
    x = X0 + rng.uniform(0, 2000, n)
    y = Y0 + rng.uniform(0, 2000, n)
    s = rng.uniform(5, 60, n)
    geoms = list(shapely.box(x, y, x + s, y + s))
    geoms[::7] = shapely.points(x[::7], y[::7])  # some points
    geoms[3::11] = [shapely.LineString([(a, b), (a + 80, b + 30)]) for a, b in zip(x[3::11], y[3::11],
                                                                                   strict=True)]
    gdf = gpd.GeoDataFrame({"kwh_yr": rng.uniform(0, 2e6, n).round(),
                            "use": rng.choice(["工业", "办公", "仓储"], n),
                            "屋顶 m2": rng.uniform(100, 5000, n)}, geometry=geoms, crs=4549)
    return VectorLayer("q", gdf)


def test_features_at_matches_shapely_dwithin_nearest_first():
    layer = _layer()
    geoms = layer.gdf.geometry.to_numpy()
    rng = np.random.default_rng(5)
    for x, y in zip(X0 + rng.uniform(0, 2000, 30), Y0 + rng.uniform(0, 2000, 30), strict=True):
        for tol in (0.0, 5.0, 40.0):
            got = features_at(layer, x, y, tol)
            d = shapely.distance(geoms, shapely.Point(x, y))
            expected = set(np.flatnonzero(d <= tol).tolist())
            assert set(got.tolist()) == expected, (x, y, tol)
            assert np.all(np.diff(d[got]) >= 0)  # nearest first


def test_features_at_in_another_crs():
    layer = _layer()
    g = layer.gdf.geometry.iloc[1]  # a polygon
    c = gpd.GeoSeries([g.centroid], crs=4549).to_crs(4326).iloc[0]
    rows = features_at(layer, c.x, c.y, 0.0, crs="EPSG:4326")
    assert 1 in rows.tolist()
    in_ll = layer.in_crs("EPSG:4326").geometry.to_numpy()
    assert set(rows.tolist()) == set(np.flatnonzero(shapely.intersects(in_ll, c)).tolist())


def test_features_in_box_matches_shapely_intersects():
    layer = _layer()
    geoms = layer.gdf.geometry.to_numpy()
    for box in ((X0 + 100, Y0 + 100, X0 + 700, Y0 + 500), (X0 + 1500, Y0 + 1900, X0 + 1400, Y0 + 1200)):
        got = features_in_box(layer, box)
        b = shapely.box(min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3]))
        assert got.tolist() == np.flatnonzero(shapely.intersects(geoms, b)).tolist()


def test_spatial_cache_follows_data_changes():
    layer = _layer()
    x, y = layer.gdf.geometry.iloc[2].centroid.coords[0]
    assert 2 in features_at(layer, x, y).tolist()
    layer.gdf = layer.gdf.iloc[:2]
    assert features_at(layer, x, y).tolist() == []


def test_features_where_equals_pandas_masks():
    layer = _layer()
    df = layer.gdf
    cases = {
        'kwh_yr > 1e6 and use == "工业"': (df["kwh_yr"] > 1e6) & (df["use"] == "工业"),
        "kwh_yr > 1e6 AND use = '工业'": (df["kwh_yr"] > 1e6) & (df["use"] == "工业"),
        "use <> '办公' OR kwh_yr <= 1000": (df["use"] != "办公") | (df["kwh_yr"] <= 1000),
        "`屋顶 m2` >= 2500": df["屋顶 m2"] >= 2500,
        "use == 'a=b'": df["use"] == "a=b",  # '=' inside a string is left alone
        "": pd_all(df),
    }
    for expr, mask in cases.items():
        assert features_where(layer, expr).tolist() == np.flatnonzero(mask.to_numpy()).tolist(), expr


def pd_all(df):
    return df["kwh_yr"] == df["kwh_yr"]


def test_features_where_bad_expressions_are_bilingual_input_errors():
    layer = _layer()
    for expr in ("no_such_field > 3", "kwh_yr >", "kwh_yr + 1", "__import__('os')"):
        with pytest.raises(InputError) as e:
            features_where(layer, expr)
        assert expr in e.value.zh and expr in e.value.en
        assert "筛选表达式" in e.value.zh and "expression" in e.value.en
