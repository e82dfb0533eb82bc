"""The map canvas (app/gui/canvas.py) with pytest-qt, offscreen.

The view in every test: a 400 × 300 px canvas showing the extent 419 950–420 350 E,
3 339 900–3 340 200 N of EPSG:4549 (metres), i.e. exactly 1 m per pixel, centre
(420 150, 3 340 050). A map point (x, y) is at pixel (x − 419 950, 3 340 200 − y).
Layers (bottom → top): "blocks" two 100 m squares, red A (420 000–420 100) and blue B
(420 200–420 300), both 3 340 000–3 340 100; "top" a green 40 m square over A's north-east
corner (420 060–420 100, 3 340 060–3 340 100)."""

from __future__ import annotations

import math
import time

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QApplication

from app.gui.canvas import MapCanvas
from layers.layer import VectorLayer
from layers.style import SingleStyle

CRS = "EPSG:4549"
EXTENT = (419_950.0, 3_339_900.0, 420_350.0, 3_340_200.0)
RED, BLUE, GREEN = "#ff0000", "#0000ff", "#00c000"


def px(x: float, y: float) -> tuple[float, float]:
    """Pixel of map point (x, y) in the test view (by hand: 1 m per pixel)."""
    return x - 419_950.0, 3_340_200.0 - y


def make_tree(layers):
    from layers.tree import LayerTree

    tree = LayerTree()
    for layer in layers:
        tree.add_layer(layer)
    return tree


def square(x0, y0, side):
    return shapely.box(x0, y0, x0 + side, y0 + side)


@pytest.fixture
def layers():
    blocks_gdf = gpd.GeoDataFrame({"name": ["A", "B"], "kind": ["red", "blue"]},
                                  geometry=[square(420_000, 3_340_000, 100),
                                            square(420_200, 3_340_000, 100)], crs=CRS)
    from layers.style import CategorizedStyle, Category

    blocks = VectorLayer("blocks", blocks_gdf, CategorizedStyle(
        "kind", [Category("red", RED, "红", "red"), Category("blue", BLUE, "蓝", "blue")],
        other_colour="#888888", outline="#000000", width=0.0))
    top = VectorLayer("top", gpd.GeoDataFrame({"name": ["T"]}, geometry=[square(420_060, 3_340_060, 40)],
                                              crs=CRS), SingleStyle(fill=GREEN, outline="#000000", width=0))
    return blocks, top


@pytest.fixture
def canvas(qtbot, layers):
    tree = make_tree(layers)
    c = MapCanvas(tree)
    qtbot.addWidget(c)
    c.resize(400, 300)
    c.show()
    qtbot.waitExposed(c)
    c.set_crs(CRS)
    with qtbot.waitSignal(c.render_finished, timeout=10_000):
        c.set_extent(EXTENT)
    return c


def colour_at(c: MapCanvas, x: float, y: float) -> QColor:
    """Colour on screen at map point (x, y) (what paintEvent shows)."""
    p = c.to_pixel(x, y)
    return c.grab().toImage().pixelColor(int(p[0]), int(p[1]))


def send_wheel(c: MapCanvas, pos: QPointF, notches: float) -> None:
    ev = QWheelEvent(pos, c.mapToGlobal(pos), QPoint(0, 0), QPoint(0, int(120 * notches)),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                     False)
    QApplication.sendEvent(c, ev)


def test_view_is_one_metre_per_pixel(canvas):
    assert canvas.units_per_pixel() == pytest.approx(1.0)
    assert canvas.extent() == pytest.approx(EXTENT)
    assert canvas.to_pixel(420_050.0, 3_340_050.0) == pytest.approx(px(420_050, 3_340_050))
    assert canvas.to_map(100, 150) == pytest.approx((420_050.0, 3_340_050.0))


def test_aspect_ratio_is_kept(canvas):
    canvas.set_extent((420_000, 3_340_000, 420_100, 3_340_400))  # tall: 400 m over 300 px
    assert canvas.units_per_pixel() == pytest.approx(400 / 300)
    e = canvas.extent()
    assert (e[2] - e[0]) / (e[3] - e[1]) == pytest.approx(400 / 300)
    assert e[1] == pytest.approx(3_340_000) and e[3] == pytest.approx(3_340_400)


def test_pixel_colours_after_render(canvas):
    assert colour_at(canvas, 420_030, 3_340_030) == QColor(RED)  # A, not under "top"
    assert colour_at(canvas, 420_250, 3_340_050) == QColor(BLUE)  # B
    assert colour_at(canvas, 420_080, 3_340_080) == QColor(GREEN)  # "top" drawn over A
    assert colour_at(canvas, 420_150, 3_340_130) == QColor("#ffffff")  # between, background
    assert canvas.last_render_ms is not None and canvas.last_render_ms > 0


def test_scale_from_logical_dpi(canvas):
    dpi = canvas.logicalDpiX()
    assert canvas.scale() == pytest.approx(1.0 * dpi / 0.0254, rel=1e-9)  # 1 m per pixel


def test_wheel_zoom_keeps_the_point_under_the_cursor(canvas, qtbot):
    pos = QPointF(300, 100)
    assert canvas.to_map(300, 100) == pytest.approx((420_250.0, 3_340_100.0))
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        send_wheel(canvas, pos, 1)
    assert canvas.units_per_pixel() == pytest.approx(1 / math.sqrt(2))
    assert canvas.to_map(300, 100) == pytest.approx((420_250.0, 3_340_100.0), abs=1e-6)
    # by hand: A's centre (420 050, 3 340 050) is 200 m west and 50 m south of the cursor point,
    # now at √2 px per metre → pixel (300 − 200√2, 100 + 50√2)
    ex, ey = 300 - 200 * math.sqrt(2), 100 + 50 * math.sqrt(2)
    assert canvas.to_pixel(420_050, 3_340_050) == pytest.approx((ex, ey))
    img = canvas.grab().toImage()
    assert img.pixelColor(round(ex), round(ey)) == QColor(RED)
    assert canvas.scale() == pytest.approx(canvas.logicalDpiX() / 0.0254 / math.sqrt(2), rel=1e-9)


def test_pan_translates_the_last_image_at_once(canvas, qtbot):
    renders = canvas.renders_shown
    canvas.set_tool("pan")
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    qtbot.mouseMove(canvas, QPoint(230, 160))
    qtbot.mouseMove(canvas, QPoint(250, 170))
    # still the old image (no render while dragging), shifted by (+50, +20) px
    img = canvas.grab().toImage()
    assert canvas.renders_shown == renders
    assert not canvas._render_timer.isActive() and not canvas.is_rendering()
    x, y = px(420_030, 3_340_030)
    assert img.pixelColor(int(x) + 50, int(y) + 20) == QColor(RED)
    # what is now at A's old pixel came from 50 m west, 20 m south: open ground
    assert img.pixelColor(int(x), int(y)) == QColor("#ffffff")
    # the map point that was under the press (the centre) followed the mouse
    assert canvas.to_map(250, 170) == pytest.approx((420_150.0, 3_340_050.0))
    assert canvas.last_paint_ms is not None and canvas.last_paint_ms < 100
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(250, 170))
    assert canvas.renders_shown == renders + 1
    assert colour_at(canvas, 420_030, 3_340_030) == QColor(RED)
    assert canvas.extent() == pytest.approx((EXTENT[0] - 50, EXTENT[1] + 20, EXTENT[2] - 50, EXTENT[3] + 20))


def test_identify_returns_the_top_most_feature(canvas, qtbot, layers):
    blocks, top = layers
    canvas.set_tool("identify")
    with qtbot.waitSignal(canvas.identified, timeout=2000) as sig:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*map(int, px(420_080, 3_340_080))))
    assert sig.args[0] is top and sig.args[1] == [0]
    with qtbot.waitSignal(canvas.identified, timeout=2000) as sig:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*map(int, px(420_250, 3_340_020))))
    assert sig.args[0] is blocks and sig.args[1] == [1]
    # 3 px outside B's west edge (x = 420 200) is within the 4 px tolerance; 8 px is not
    with qtbot.waitSignal(canvas.identified, timeout=2000) as sig:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*map(int, px(420_197, 3_340_050))))
    assert sig.args[0] is blocks and sig.args[1] == [1]
    with qtbot.waitSignal(canvas.identified, timeout=2000) as sig:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*map(int, px(420_150, 3_340_050))))
    assert sig.args == [None, []]


def test_box_select_and_shift_click(canvas, qtbot, layers):
    blocks, top = layers
    canvas.set_tool("select")
    canvas.set_active_layer(blocks)
    # a box over B only
    a, b = px(420_190, 3_340_120), px(420_320, 3_339_980)
    with qtbot.waitSignal(canvas.selection_changed, timeout=2000) as sig:
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(a[0]), int(a[1])))
        qtbot.mouseMove(canvas, QPoint(int(a[0]) + 30, int(a[1]) + 30))
        qtbot.mouseMove(canvas, QPoint(int(b[0]), int(b[1])))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(b[0]), int(b[1])))
    assert sig.args[0] is blocks
    assert list(blocks.selection) == [1]
    # Shift+click on A adds it
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier,
                     QPoint(*map(int, px(420_030, 3_340_030))))
    assert list(blocks.selection) == [0, 1]
    # Ctrl+click on B removes it; a plain click on empty ground clears
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     QPoint(*map(int, px(420_250, 3_340_050))))
    assert list(blocks.selection) == [0]
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*map(int, px(420_150, 3_340_130))))
    assert list(blocks.selection) == []
    assert len(top.selection) == 0


def test_zoom_to_selection_and_layer_and_full(canvas, layers):
    blocks, top = layers
    blocks.selection = [1]
    canvas.zoom_to_selection()
    e = canvas.extent()
    # B is 100 m square + 3 % margin, fitted into 400 × 300 px: height 106 m → width 141.33 m
    assert (e[1] + e[3]) / 2 == pytest.approx(3_340_050) and (e[0] + e[2]) / 2 == pytest.approx(420_250)
    assert e[3] - e[1] == pytest.approx(106.0)
    canvas.zoom_to_layer(top)
    assert canvas.extent()[3] - canvas.extent()[1] == pytest.approx(40 * 1.06)
    canvas.zoom_full()  # 300 × 100 m + 9 m margins each side → 318 m wide
    e = canvas.extent()
    assert e[0] == pytest.approx(420_000 - 9) and e[2] == pytest.approx(420_300 + 9)


def test_measure_distance_and_area(canvas, qtbot):
    canvas.set_tool("measure_distance")
    for p in ((100, 150), (200, 150), (200, 50)):  # 100 m east, then 100 m north
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*p))
    with qtbot.waitSignal(canvas.measured, timeout=2000) as sig:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert sig.args == [pytest.approx(200.0), "distance"]
    canvas.set_tool("measure_area")
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(100, 150))
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 150))
    with qtbot.waitSignal(canvas.measured, timeout=2000) as sig:
        qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(200, 50))
    assert sig.args == [pytest.approx(0.5 * 100 * 100), "area"]  # right triangle, legs 100 m
    tool = canvas.measure_tool()
    assert "5,000" in tool.text() or "5000" in tool.text()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert tool.points == []


def test_measure_backspace_and_escape(canvas, qtbot):
    canvas.set_tool("measure_distance")
    for p in ((100, 150), (200, 150), (300, 150)):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(*p))
    qtbot.keyClick(canvas, Qt.Key.Key_Backspace)  # drop (300, 150)
    with qtbot.waitSignal(canvas.measured, timeout=2000) as sig:
        qtbot.keyClick(canvas, Qt.Key.Key_Enter)
    assert sig.args[0] == pytest.approx(100.0)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    with qtbot.assertNotEmitted(canvas.measured):
        qtbot.keyClick(canvas, Qt.Key.Key_Escape)
        qtbot.keyClick(canvas, Qt.Key.Key_Return)  # nothing left to finish


def test_coordinates_text_for_a_known_point(canvas, qtbot):
    x, y = 420_050.0, 3_340_050.0
    lon, lat = Transformer.from_crs("EPSG:4549", "EPSG:4490", always_xy=True).transform(x, y)
    with qtbot.waitSignal(canvas.coordinates_changed, timeout=2000) as sig:
        qtbot.mouseMove(canvas, QPoint(*map(int, px(x, y))))
    assert sig.args[0] == f"{lon:.6f}°, {lat:.6f}° | 420050.0, 3340050.0"


def test_layer_changes_are_debounced_into_one_render(canvas, qtbot, layers):
    _, top = layers
    n = canvas.renders_shown
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        for colour in ("#111111", "#222222", "#333333", "#ffff00"):
            top.style = SingleStyle(fill=colour, outline="#000000", width=0)
    qtbot.wait(150)
    assert canvas.renders_shown == n + 1
    assert colour_at(canvas, 420_080, 3_340_080) == QColor("#ffff00")
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        top.visible = False
    assert colour_at(canvas, 420_080, 3_340_080) == QColor(RED)


class _SlowFirst:
    """Wraps the real job: the first render sleeps and ignores cancellation (a slow job that
    finishes anyway), later ones are normal."""

    def __init__(self, job):
        self.job, self.calls = job, []

    def render(self, layers, extent, w, h, **kw):
        self.calls.append(extent)
        if len(self.calls) == 1:
            time.sleep(0.4)
            kw["cancelled"] = lambda: False
        return self.job.render(layers, extent, w, h, **kw)


def test_superseded_render_is_never_shown(canvas, qtbot):
    slow = _SlowFirst(canvas._job)
    canvas._job = slow
    shown = []
    canvas.render_finished.connect(lambda ms: shown.append(canvas._image_view.extent()))
    canvas.set_extent((420_200, 3_340_000, 420_300, 3_340_075))  # B only → all blue
    canvas.render_now()
    qtbot.wait(50)  # the slow render of B is running
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        canvas.set_extent(EXTENT)
        canvas.render_now()
    qtbot.wait(600)  # the slow one finished meanwhile and was dropped
    assert len(slow.calls) == 2
    assert shown == [pytest.approx(EXTENT)]
    assert colour_at(canvas, 420_030, 3_340_030) == QColor(RED)


def test_resize_keeps_the_requested_extent(canvas, qtbot):
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        canvas.resize(200, 300)  # 400 m must fit into 200 px: 2 m per pixel, 600 m tall
    e = canvas.extent()
    assert e[0] == pytest.approx(EXTENT[0]) and e[2] == pytest.approx(EXTENT[2])
    assert e[3] - e[1] == pytest.approx(600)
    assert canvas.units_per_pixel() == pytest.approx(2.0)
    assert colour_at(canvas, 420_250, 3_340_050) == QColor(BLUE)


def test_zoom_box_tool(canvas, qtbot):
    canvas.set_tool("zoom_in_box")
    a, b = px(420_000, 3_340_100), px(420_100, 3_340_000)  # A exactly
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(a[0]), int(a[1])))
        qtbot.mouseMove(canvas, QPoint(int(a[0]) + 20, int(a[1]) + 20))
        qtbot.mouseMove(canvas, QPoint(int(b[0]), int(b[1])))
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(b[0]), int(b[1])))
    e = canvas.extent()
    assert e[1] == pytest.approx(3_340_000) and e[3] == pytest.approx(3_340_100)
    assert (e[0] + e[2]) / 2 == pytest.approx(420_050)


def test_set_crs_carries_the_view_over(canvas, qtbot):
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        canvas.set_crs("EPSG:4490")
    e = canvas.extent()
    t = Transformer.from_crs("EPSG:4549", "EPSG:4490", always_xy=True)
    lon, lat = t.transform(420_050, 3_340_050)
    assert e[0] < lon < e[2] and e[1] < lat < e[3]
    assert colour_at(canvas, lon, lat) == QColor(RED)
    # measuring on a lon/lat map is geodesic: 100 m east stays ≈ 100 m
    lon2, lat2 = t.transform(420_150, 3_340_050)
    from app.gui.measure import polyline_length_m

    assert polyline_length_m([(lon, lat), (lon2, lat2)], canvas.crs()) == pytest.approx(100, rel=3e-4)


def test_basemap_from_cache_under_the_layers(canvas, qtbot, tmp_path):
    from app.gui import basemap as bm
    from tests.test_basemap import png_bytes

    cache = bm.TileCache(tmp_path)
    canvas.set_tile_cache(cache)
    src = bm.openstreetmap()
    layer = bm.Basemap(src, cache)
    for z, x, y in layer.tiles_for_view(canvas.extent(), 400, canvas.crs(), canvas.devicePixelRatioF()):
        p = cache.path("osm", z, x, y)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(png_bytes("#c0c0ff"))
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        canvas.set_basemap(src)
    qtbot.waitUntil(lambda: canvas._base_image is not None, timeout=2000)
    assert colour_at(canvas, 420_150, 3_340_130) == QColor("#c0c0ff")  # basemap between blocks
    assert colour_at(canvas, 420_030, 3_340_030) == QColor(RED)  # layers on top
    assert canvas.basemap().requests_sent == 0 and canvas.basemap()._nam is None
    with qtbot.waitSignal(canvas.render_finished, timeout=10_000):
        canvas.set_basemap(None)
    assert colour_at(canvas, 420_150, 3_340_130) == QColor("#ffffff")


def test_tools_and_errors(canvas):
    with pytest.raises(ValueError):
        canvas.set_tool("lasso")
    seen = []
    canvas.tool_changed.connect(seen.append)
    canvas.set_tool("identify")
    assert canvas.tool() == "identify" and seen == ["identify"]
    with pytest.raises(ValueError):
        canvas.set_extent((0, 0, float("nan"), 1))


def test_map_actions_follow_the_canvas(canvas, qtbot):
    from PySide6.QtWidgets import QMainWindow

    from app.gui.map_tools import create_map_actions

    win = QMainWindow()
    qtbot.addWidget(win)
    acts = create_map_actions(canvas, win)
    assert acts["pan"].isChecked()
    acts["select"].trigger()
    assert canvas.tool() == "select"
    canvas.set_tool("measure_area")
    assert acts["measure_area"].isChecked() and not acts["select"].isChecked()
    up = canvas.units_per_pixel()
    acts["zoom_in"].trigger()
    assert canvas.units_per_pixel() == pytest.approx(up / 2)


def test_empty_tree_renders_nothing_and_does_not_fail(qtbot):
    c = MapCanvas(make_tree([]))
    qtbot.addWidget(c)
    c.resize(200, 100)
    c.refresh()
    qtbot.wait(100)
    assert c.extent() is None
    img = c.grab().toImage()
    assert img.pixelColor(10, 10) == QColor("#ffffff")
    assert np.isnan(c.to_map(1, 1)[0])


def test_group_visibility_and_changes_from_another_thread(qtbot, layers):
    import threading

    from layers.tree import LayerTree

    blocks, top = layers
    tree = LayerTree()
    tree.add_layer(blocks)
    group = tree.add_group("overlay")
    tree.add_layer(top, group)
    c = MapCanvas(tree)
    qtbot.addWidget(c)
    c.resize(400, 300)
    c.set_crs(CRS)
    with qtbot.waitSignal(c.render_finished, timeout=10_000):
        c.set_extent(EXTENT)
    assert colour_at(c, 420_080, 3_340_080) == QColor(GREEN)
    with qtbot.waitSignal(c.render_finished, timeout=10_000):
        group.visible = False  # the group hides "top"
    assert colour_at(c, 420_080, 3_340_080) == QColor(RED)
    # a layer changed by a worker thread: the canvas redraws in the GUI thread
    with qtbot.waitSignal(c.render_finished, timeout=10_000):
        t = threading.Thread(target=lambda: setattr(blocks, "style", SingleStyle(fill=BLUE, width=0)))
        t.start()
        t.join()
    assert colour_at(c, 420_030, 3_340_030) == QColor(BLUE)
