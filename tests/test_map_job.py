"""layers.map_job.MapRenderJob: pixels at known world points, sub-pixel coverage by hand, caches,
cancel, worker threads, trees with group opacity, device pixel ratio."""

from __future__ import annotations

import threading
import time

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtGui import QColor, QImage

from layers.layer import VectorLayer
from layers.map_job import MapRenderJob
from layers.qpath import WorldToPixel
from layers.raster import RasterLayer
from layers.style import FIVE_COLOURS, NO_DATA_COLOUR, SingleStyle, five_class_style
from layers.tree import LayerTree

X0, Y0 = 500_000.0, 3_300_000.0


def _squares(classes=(1, 2, 3, 4, 5, None)) -> gpd.GeoDataFrame:
    geoms = [shapely.box(X0 + i % 3 * 1000, Y0 + i // 3 * 1000, X0 + i % 3 * 1000 + 900,
                         Y0 + i // 3 * 1000 + 900) for i in range(6)]
    return gpd.GeoDataFrame({"class": list(classes), "name": list("abcdef")}, geometry=geoms, crs=4549)


def _at(image: QImage, extent, x: float, y: float) -> QColor:
    """Pixel colour at a world point, with the transform computed here (fit extent, keep aspect)."""
    xmin, ymin, xmax, ymax = extent
    w, h = image.width(), image.height()
    s = min(w / (xmax - xmin), h / (ymax - ymin))
    px = (w - (xmax - xmin) * s) / 2 + (x - xmin) * s
    py = (h - (ymax - ymin) * s) / 2 + (ymax - y) * s
    return image.pixelColor(int(px), int(py))


EXTENT = (X0 - 100, Y0 - 100, X0 + 2900, Y0 + 1900)


def test_class_colours_at_square_centres(qapp):
    layer = VectorLayer("t", _squares(), five_class_style([0.6, 0.8, 1.2, 2.0]))
    job = MapRenderJob(labels=False)
    image = job.render([layer], EXTENT, 600, 400)
    assert image.width() == 600 and image.height() == 400
    for i, colour in enumerate([*FIVE_COLOURS, NO_DATA_COLOUR]):
        cx, cy = X0 + i % 3 * 1000 + 450, Y0 + i // 3 * 1000 + 450
        assert _at(image, EXTENT, cx, cy).name() == colour, i
    assert _at(image, EXTENT, X0 + 950, Y0 + 450).name() == "#ffffff"  # gap between squares
    assert job.last_stats.parts_drawn == 6 and not job.last_stats.cancelled


def test_sub_pixel_polygon_blends_its_area(qapp):
    # 1 m per pixel: a 0.5 m × 0.5 m black square inside one pixel covers ¼ of it
    tiny = shapely.box(X0 + 10.25, Y0 + 10.25, X0 + 10.75, Y0 + 10.75)
    donut = shapely.Polygon([(X0 + 30.1, Y0 + 10.1), (X0 + 30.9, Y0 + 10.1), (X0 + 30.9, Y0 + 10.9),
                             (X0 + 30.1, Y0 + 10.9)],
                            [[(X0 + 30.3, Y0 + 10.3), (X0 + 30.7, Y0 + 10.3), (X0 + 30.7, Y0 + 10.7),
                              (X0 + 30.3, Y0 + 10.7)]])
    layer = VectorLayer("s", gpd.GeoDataFrame(geometry=[tiny, donut], crs=4549),
                        SingleStyle(fill="#000000", outline="#000000", width=0.5))
    extent = (X0, Y0, X0 + 40, Y0 + 20)
    image = MapRenderJob().render([layer], extent, 40, 20)
    # white·(1 − ¼) = 191.25 → 191
    assert _at(image, extent, X0 + 10.5, Y0 + 10.5).red() in (191, 192)
    # donut: 0.64 − 0.16 = 0.48 m² → 255·0.52 = 132.6
    assert abs(_at(image, extent, X0 + 30.5, Y0 + 10.5).red() - 133) <= 1
    assert _at(image, extent, X0 + 20.5, Y0 + 10.5).red() == 255


def test_two_small_parts_in_one_pixel_mix_colours_by_area(qapp):
    from layers.style import CategorizedStyle, Category

    a = shapely.box(X0 + 5.0, Y0 + 5.0, X0 + 5.5, Y0 + 5.5)  # ¼ px, red
    b = shapely.box(X0 + 5.5, Y0 + 5.5, X0 + 6.0, Y0 + 6.0)  # ¼ px, blue
    st = CategorizedStyle("k", [Category("r", "#ff0000", "r", "r"), Category("b", "#0000ff", "b", "b")])
    layer = VectorLayer("m", gpd.GeoDataFrame({"k": ["r", "b"]}, geometry=[a, b], crs=4549), st)
    extent = (X0, Y0, X0 + 10, Y0 + 10)
    c = _at(MapRenderJob().render([layer], extent, 10, 10), extent, X0 + 5.5, Y0 + 5.5)
    # coverage ½, colour the mean (127.5, 0, 127.5): 127.5·½ + 255·½ = 191.25 for red and blue,
    # 255·½ = 127.5 for green
    assert abs(c.red() - 191) <= 1 and abs(c.blue() - 191) <= 1 and abs(c.green() - 128) <= 1


def test_image_cache_and_invalidation_by_events(qapp):
    layer = VectorLayer("t", _squares(), five_class_style([0.6, 0.8, 1.2, 2.0]))
    job = MapRenderJob(labels=False)
    job.render([layer], EXTENT, 300, 200)
    assert not job.last_stats.image_cached
    job.render([layer], EXTENT, 300, 200)
    assert job.last_stats.image_cached
    layer.style = SingleStyle(fill="#123456", width=0)
    image = job.render([layer], EXTENT, 300, 200)
    assert not job.last_stats.image_cached
    assert _at(image, EXTENT, X0 + 450, Y0 + 450).name() == "#123456"
    layer.selection = [0]
    job.render([layer], EXTENT, 300, 200)
    assert not job.last_stats.image_cached  # the selection is part of the look
    layer.gdf = _squares().iloc[:1]
    image = job.render([layer], EXTENT, 300, 200)
    assert _at(image, EXTENT, X0 + 1450, Y0 + 450).name() == "#ffffff"  # data replaced


def test_heavy_layer_image_reused_when_another_layer_changes(qapp):
    heavy = VectorLayer("h", _squares(), SingleStyle(fill="#00ff00", width=0))
    top = VectorLayer("top", gpd.GeoDataFrame(geometry=[shapely.box(X0, Y0, X0 + 300, Y0 + 300)],
                                              crs=4549), SingleStyle(fill="#ff0000", width=0))
    job = MapRenderJob(labels=False, layer_cache_min_parts=1)
    job.render([heavy, top], EXTENT, 300, 200)
    assert job.last_stats.layers_from_cache == 0
    top.style = SingleStyle(fill="#0000ff", width=0)
    image = job.render([heavy, top], EXTENT, 300, 200)
    assert job.last_stats.layers_from_cache == 1  # the unchanged heavy layer's image
    assert _at(image, EXTENT, X0 + 100, Y0 + 100).name() == "#0000ff"
    assert _at(image, EXTENT, X0 + 600, Y0 + 600).name() == "#00ff00"


def test_cancel_and_worker_thread(qapp):
    layer = VectorLayer("t", _squares(), five_class_style([0.6, 0.8, 1.2, 2.0]))
    job = MapRenderJob(labels=True)
    job.render([layer], EXTENT, 300, 200, cancelled=lambda: True)
    assert job.last_stats.cancelled
    out = {}

    def work():
        out["image"] = MapRenderJob().render([layer], EXTENT, 300, 200)

    t = threading.Thread(target=work)
    t.start()
    t.join(30)
    assert _at(out["image"], EXTENT, X0 + 450, Y0 + 450).name() == FIVE_COLOURS[0]


def test_tree_group_opacity_visibility_and_dpr(qapp):
    tree = LayerTree()
    g = tree.add_group("g", opacity=0.5)
    tree.add_layer(VectorLayer("black", _squares(), SingleStyle(fill="#000000", width=0)), g)
    hidden = tree.add_group("hidden", visible=False)
    tree.add_layer(VectorLayer("red", _squares(), SingleStyle(fill="#ff0000", width=0)), hidden)
    job = MapRenderJob(labels=False)
    image = job.render(tree, EXTENT, 300, 200, dpr=2.0)
    assert (image.width(), image.height()) == (600, 400) and image.devicePixelRatio() == 2.0
    c = _at(image, EXTENT, X0 + 450, Y0 + 450)
    assert abs(c.red() - 128) <= 1 and c.green() == c.red()  # black at 50 % over white, no red


def test_raster_and_selection_in_the_job(qapp):
    r = RasterLayer("r", np.array([[1, 2]]), (X0, 1000, 0, Y0 + 1000, 0, -1000), "EPSG:4549",
                    colormap={1: "#ff0000", 2: "#0000ff"})
    v = VectorLayer("v", _squares(), SingleStyle(fill="none", outline="#000000", width=0))
    v.selection = [4]
    extent = (X0, Y0, X0 + 2000, Y0 + 2000)
    image = MapRenderJob(labels=False).render([r, v], extent, 200, 200)
    assert _at(image, extent, X0 + 500, Y0 + 500).name() == "#ff0000"
    assert _at(image, extent, X0 + 1500, Y0 + 500).name() == "#0000ff"
    edge = _at(image, extent, X0 + 1000 + 900, Y0 + 1500)  # right edge of square 4 (selected)
    assert edge.green() > 150 and edge.blue() > 150 and edge.red() < 100  # cyan highlight


def test_many_footprints_redraw_quickly(qapp):
    """A smoke test of the fast path (the benchmark measures properly): 50,000 tiny and small
    footprints redraw in well under a second once their arrays are cached."""
    rng = np.random.default_rng(0)
    n = 50_000
    x = X0 + rng.uniform(0, 20_000, n)
    y = Y0 + rng.uniform(0, 12_000, n)
    s = rng.uniform(5, 40, n)
    layer = VectorLayer("b", gpd.GeoDataFrame(geometry=shapely.box(x, y, x + s, y + s), crs=4549))
    job = MapRenderJob(labels=False)
    extent = (X0, Y0, X0 + 20_000, Y0 + 12_500)
    job.render([layer], extent, 1600, 1000)
    job.invalidate()
    t = time.perf_counter()
    job.render([layer], extent, 1600, 1000)
    assert time.perf_counter() - t < 1.5
    st = job.last_stats
    assert st.pixels_drawn + st.parts_drawn == n and st.pixels_drawn > 0 and st.parts_drawn > 0


def test_transform_used_by_the_test_helper_matches_qpath():
    t = WorldToPixel.fit(EXTENT, (0, 0, 600, 400))
    px, py = t.apply(np.array([[X0 + 450, Y0 + 450]]))[0]
    xmin, ymin, xmax, ymax = EXTENT
    s = min(600 / (xmax - xmin), 400 / (ymax - ymin))
    assert abs(px - ((600 - (xmax - xmin) * s) / 2 + (X0 + 450 - xmin) * s)) < 1e-6
    assert abs(py - ((400 - (ymax - ymin) * s) / 2 + (ymax - Y0 - 450) * s)) < 1e-6


def _overlap_layers():
    """Two overlapping 40 m squares of one class — one drawn counter-clockwise, the other
    clockwise (a duplicate outline digitised the other way) — and a 40 m square with a 20 m hole
    whose ring runs the same way as the exterior (shapely keeps what it is given)."""
    def ring(pts):
        return [(X0 + x, Y0 + y) for x, y in pts]

    a = shapely.Polygon(ring([(0, 0), (40, 0), (40, 40), (0, 40)]))  # counter-clockwise
    b = shapely.Polygon(ring([(20, 20), (20, 60), (60, 60), (60, 20)]))  # clockwise
    hole = ring([(110, 10), (130, 10), (130, 30), (110, 30)])  # counter-clockwise too
    donut = shapely.Polygon(ring([(100, 0), (140, 0), (140, 40), (100, 40)]), [hole])
    assert shapely.is_ccw(a.exterior) and not shapely.is_ccw(b.exterior)
    assert shapely.is_ccw(donut.exterior) and shapely.is_ccw(donut.interiors[0])
    gdf = gpd.GeoDataFrame({"k": [1, 1, 1]}, geometry=[a, b, donut], crs=4549)
    return VectorLayer("o", gdf, SingleStyle(fill="#000000", outline="#000000", width=0))


@pytest.mark.parametrize("cache_min_parts", [1, 20_000])  # own layer image or drawn in place
def test_same_class_overlap_is_filled_and_holes_stay_empty(qapp, cache_min_parts):
    layer = _overlap_layers()
    extent = (X0 - 10, Y0 - 10, X0 + 150, Y0 + 70)  # 1 m per pixel: every part drawn as geometry
    image = MapRenderJob(labels=False, layer_cache_min_parts=cache_min_parts).render([layer], extent, 160, 80)
    assert _at(image, extent, X0 + 30, Y0 + 30).name() == "#000000"  # the overlap: filled
    assert _at(image, extent, X0 + 10, Y0 + 10).name() == "#000000"  # only a
    assert _at(image, extent, X0 + 50, Y0 + 50).name() == "#000000"  # only b
    assert _at(image, extent, X0 + 120, Y0 + 20).name() == "#ffffff"  # the hole: background
    assert _at(image, extent, X0 + 105, Y0 + 20).name() == "#000000"  # the donut's ring
    assert _at(image, extent, X0 + 80, Y0 + 20).name() == "#ffffff"


def test_render_image_fills_overlaps_and_keeps_holes(qapp):
    from layers.render import render_image

    layer = _overlap_layers()
    extent = (X0 - 10, Y0 - 10, X0 + 150, Y0 + 70)
    image, stats = render_image([layer], 160, 80, extent=extent, legend=False, north_arrow=False,
                                scale_bar=False, labels=False)
    t = stats.transform

    def px(x, y):
        u, v = t.apply(np.array([[x, y]]))[0]
        return image.pixelColor(int(u), int(v)).name()

    assert px(X0 + 30, Y0 + 30) == "#000000" and px(X0 + 120, Y0 + 20) == "#ffffff"
    assert px(X0 + 105, Y0 + 20) == "#000000"


def test_geometry_arrays_oriented_and_chunked_like_one_call():
    """Cached rings are oriented as shapely.orient_polygons makes them (exterior CCW, holes CW:
    same coordinates in the same order), areas with holes negative; building the cache in
    chunks gives the same arrays as in one go."""
    from layers.qpath import geometry_arrays

    rng = np.random.default_rng(4)
    cw = shapely.Polygon([(0, 0), (0, 4), (3, 5), (4, 0)])
    holed = shapely.Polygon([(20, 0), (20, 10), (30, 10), (30, 0)], [[(22, 2), (28, 2), (28, 8), (22, 8)]])
    multi = shapely.MultiPolygon([cw, shapely.box(50, 0, 52, 2)])
    coll = shapely.GeometryCollection([shapely.box(60, 0, 61, 1), shapely.LineString([(0, 0), (1, 1)]),
                                       shapely.Point(3, 3)])
    x = rng.uniform(0, 1000, 30)
    boxes = list(shapely.box(x, x, x + 5, x + 3, ccw=False))  # clockwise
    g = np.array([cw, holed, None, multi, shapely.Polygon(), coll, shapely.Point(1, 2),
                  shapely.LineString([(0, 0), (5, 5)]), *boxes, holed, cw], dtype=object)
    one = geometry_arrays(g)
    # reference: shapely's orientation, ring by ring
    oriented = shapely.orient_polygons(np.where(shapely.is_missing(g), None, g))
    parts, part_of = shapely.get_parts(oriented, return_index=True)
    parts, part_of = parts[shapely.get_type_id(parts) == 3], part_of[shapely.get_type_id(parts) == 3]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    np.testing.assert_array_equal(one.rings.xy, shapely.get_coordinates(rings))
    np.testing.assert_array_equal(one.rings.geom, part_of[ring_of])
    np.testing.assert_array_equal(one.rings.counts, shapely.get_num_coordinates(rings))
    is_hole = np.r_[False, ring_of[1:] == ring_of[:-1]]
    np.testing.assert_allclose(one.rings.ring_area(),
                               np.where(is_hole, -1, 1) * shapely.area(shapely.polygons(rings)))
    for chunk in (1, 4, 7):
        part = geometry_arrays(g, chunk=chunk)
        for name in ("rings", "lines", "points"):
            a, b = getattr(one, name), getattr(part, name)
            for f in ("xy", "starts", "counts", "geom", "bbox"):
                np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f"{name}.{f}")
        np.testing.assert_array_equal(one.rings.exterior, part.rings.exterior)
        np.testing.assert_allclose(one.rings.ring_area(), part.rings.ring_area())
        np.testing.assert_array_equal(one.feature_bbox, part.feature_bbox)


def _image_bytes(image: QImage) -> bytes:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return bytes(image.constBits())[: image.sizeInBytes()]


def test_selections_of_equal_size_ends_and_sum_are_not_confused(qapp):
    """[1, 4, 5, 8] and [1, 3, 6, 8]: same length, first, last and sum. The second render must
    show the second selection (as a fresh job draws it), not the cached image of the first."""
    geoms = [shapely.box(X0 + i * 1000, Y0, X0 + i * 1000 + 900, Y0 + 900) for i in range(10)]
    layer = VectorLayer("row", gpd.GeoDataFrame(geometry=geoms, crs=4549),
                        SingleStyle(fill="#ffffff", outline="#000000", width=0))
    extent = (X0 - 100, Y0 - 100, X0 + 10_000, Y0 + 1000)
    job = MapRenderJob(labels=False)
    layer.selection = [1, 4, 5, 8]
    first = job.render([layer], extent, 1010, 110)
    v = layer.selection_version
    layer.selection = [1, 3, 6, 8]
    assert layer.selection_version == v + 1
    second = job.render([layer], extent, 1010, 110)
    assert not job.last_stats.image_cached
    fresh = MapRenderJob(labels=False).render([layer], extent, 1010, 110)
    assert _image_bytes(second) == _image_bytes(fresh)
    assert _image_bytes(first) != _image_bytes(second)

    def highlighted(image, i):  # the selection's translucent yellow tints the white square's centre
        c = _at(image, extent, X0 + i * 1000 + 450, Y0 + 450)
        return c.blue() < 250

    assert [highlighted(first, i) for i in range(10)] == [i in (1, 4, 5, 8) for i in range(10)]
    assert [highlighted(second, i) for i in range(10)] == [i in (1, 3, 6, 8) for i in range(10)]
    layer.clear_selection()
    assert layer.selection_version == v + 2
    cleared = job.render([layer], extent, 1010, 110)
    assert not any(highlighted(cleared, i) for i in range(10))
    layer.clear_selection()  # nothing selected already: no change, no new version
    assert layer.selection_version == v + 2
