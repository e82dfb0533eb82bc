"""gis.solar.inset.mitre_inset against GEOS's own negative mitred buffer (shapely.buffer)."""

import numpy as np
import shapely

from gis.solar.inset import mitre_inset


def _same(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.array([(x is None and y is None) or (
        x is not None and y is not None and x.geom_type == y.geom_type
        and np.array_equal(shapely.get_coordinates(x), shapely.get_coordinates(y)))
        for x, y in zip(a, b, strict=True)])


def test_quadrilaterals_equal_geos_buffer():
    rng = np.random.default_rng(3)
    n = 4000
    cx, cy = rng.uniform(4e5, 5e5, n), rng.uniform(3.3e6, 3.4e6, n)
    w, h, turn = rng.uniform(1, 50, n), rng.uniform(1, 50, n), rng.uniform(-np.pi, np.pi, n)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], float) / 2.0
    dx, dy = corners[None, :, 0] * w[:, None], corners[None, :, 1] * h[:, None]
    ring = np.stack([cx[:, None] + dx * np.cos(turn)[:, None] - dy * np.sin(turn)[:, None],
                     cy[:, None] + dx * np.sin(turn)[:, None] + dy * np.cos(turn)[:, None]], axis=-1)
    ring[:, :4] += rng.normal(0, 0.5, (n, 4, 2))  # not quite rectangles
    ring[:, 4] = ring[:, 0]
    geoms = np.concatenate([shapely.polygons(ring), shapely.polygons(ring[:, ::-1]),  # both orientations
                            np.array([None, shapely.Polygon(), shapely.Point(1, 2),
                                      shapely.box(0, 0, 40, 30).difference(shapely.box(10, 10, 20, 20))])])
    d = rng.uniform(0.2, 6.0, geoms.size)
    ref = shapely.buffer(geoms, -d, join_style="mitre")
    same = _same(mitre_inset(geoms, d), ref)
    # GEOS differs in the last bit of a coordinate for ~1 in 100,000 quadrilaterals
    assert (~same).sum() <= 1
    assert shapely.is_empty(ref).sum() > 100  # narrow ones collapse (left to GEOS)


def test_osm_footprints_equal_geos_buffer():
    import geopandas as gpd

    from gis.crs import metric_frame
    from tests.conftest import shared

    path = shared("buildings", "shanghai_bund_lujiazui_osm_buildings.geojson")
    g = np.asarray(metric_frame(gpd.read_file(path)).geometry.array)
    for d in (0.5, 1.0, 2.0):
        assert _same(mitre_inset(g, d), shapely.buffer(g, -d, join_style="mitre")).all()
