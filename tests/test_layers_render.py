"""layers/: style, colour-blind check, layer events, bulk QPainterPath, rendering (offscreen)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QPointF, QRectF
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPainterPath, QPdfWriter

from gis.progress import Cancelled, Progress
from layers.fonts import cjk_family, cjk_font
from layers.layer import VectorLayer
from layers.legend import legend_rows
from layers.qpath import WorldToPixel, paths_by_class, ring_arrays, snap_rings
from layers.render import ensure_gui_app, render_image, render_map, render_to_painter, save_png
from layers.style import (
    FIVE_COLOURS,
    NO_DATA_COLOUR,
    SingleStyle,
    colour_blind_safety,
    five_class_style,
    palette_problems,
)

X0, Y0 = 500_000.0, 3_300_000.0  # CGCS2000 / 3-degree GK CM 120E (EPSG:4549), metres
NAMES = ["城关镇", "新塘街道", "北干街道", "临浦镇", "义桥镇", "河上镇"]
BARE = dict(legend=False, labels=False, north_arrow=False, scale_bar=False)


def _squares(classes=(1, 2, 3, 4, 5, None)) -> gpd.GeoDataFrame:
    """Six 900 m squares on a 1 km grid, 3 × 2, with classes and Chinese names."""
    geoms = [shapely.box(X0 + i % 3 * 1000, Y0 + i // 3 * 1000, X0 + i % 3 * 1000 + 900,
                         Y0 + i // 3 * 1000 + 900) for i in range(6)]
    return gpd.GeoDataFrame({"name": NAMES, "class": list(classes)}, geometry=geoms, crs=4549)


def _style(**kw):
    return five_class_style([0.6, 0.8, 1.2, 2.0], counts=[1] * 5, no_data_count=1, unit="tCO₂/万元",
                            method_zh="基准比值法 K = L / 全区均值", **kw)


def _px(image: QImage, transform: WorldToPixel, x: float, y: float) -> str:
    px, py = transform.apply(np.array([[x, y]]))[0]
    return image.pixelColor(int(px), int(py)).name()


# ---- style and colour-blind check --------------------------------------------------------------

def test_five_colours_low_to_high_and_labels():
    style = _style()
    assert [c.colour for c in style.classes] == list(FIVE_COLOURS)
    assert [c.label_zh for c in style.classes] == ["≤ 0.6", "0.6–0.8", "0.8–1.2", "1.2–2.0", "> 2.0"]
    assert (style.classes[0].lower, style.classes[0].upper) == (None, 0.6)
    rows = legend_rows(style)
    assert rows[0].label == "≤ 0.6 tCO₂/万元" and rows[-1].colour == NO_DATA_COLOUR
    assert [r.count for r in rows] == [1, 1, 1, 1, 1, 1]


def test_class_codes_tolerate_floats_strings_and_missing():
    codes = _style().class_codes([1, 2.0, "3", None, float("nan"), 0, 5, 6, "x"])
    assert codes.tolist() == [0, 1, 2, -1, -1, -1, 4, -1, -1]


def test_default_palette_passes_colour_blind_check():
    d, _ = colour_blind_safety((*FIVE_COLOURS, NO_DATA_COLOUR))
    assert d >= 20
    assert palette_problems(FIVE_COLOURS) is None


def test_red_green_of_equal_lightness_is_flagged():
    d, pair = colour_blind_safety(["#cc4433", "#309420"])  # clearly red and green to most people
    assert d < 5 and pair.vision in ("deuteranopia", "protanopia")
    assert colour_blind_safety(["#cc4433", "#309420"], visions=("normal",))[0] > 50
    zh, en = palette_problems(["#00a651", "#cc4433", "#309420"])
    assert "#cc4433" in zh and "绿色盲" in zh and "deuteranopia" in en


# ---- layer model -------------------------------------------------------------------------------

def test_layer_and_stack_events():
    layer = VectorLayer("乡镇", _squares(), _style())
    seen = []
    off = layer.changed.connect(lambda lyr, what: seen.append(what))
    layer.visible = False
    layer.opacity = 2.0  # clamped
    layer.opacity = 1.0  # same value: no event
    layer.style = SingleStyle()
    off()
    layer.name = "x"
    assert seen == ["visible", "style"]  # opacity 2.0 clamps to the current 1.0: no change
    assert layer.opacity == 1.0



def test_layer_reprojects_and_caches():
    layer = VectorLayer("a", _squares())
    b = layer.bounds("EPSG:4326")
    assert 119 < b[0] < 121 and 29 < b[1] < 31
    assert layer.in_crs("EPSG:4326") is layer.in_crs("EPSG:4326")


# ---- bulk paths --------------------------------------------------------------------------------

def _elements(path: QPainterPath) -> list[tuple[int, float, float]]:
    return [(path.elementAt(i).type.value, path.elementAt(i).x, path.elementAt(i).y)
            for i in range(path.elementCount())]


def test_bulk_path_equals_qt_built_path(qapp):
    donut = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10)], [[(3, 3), (3, 7), (7, 7), (7, 3)]])
    paths = paths_by_class(np.array([donut]), np.array([7]))
    assert list(paths) == [7]
    expected = QPainterPath()
    for ring in (donut.exterior, donut.interiors[0]):
        xy = list(ring.coords)
        expected.moveTo(*xy[0])
        for p in xy[1:]:
            expected.lineTo(*p)
    assert _elements(paths[7]) == _elements(expected)
    # and Qt serialises it back to the documented format: count, (type, x, y)*, cStart, rule
    data = QByteArray()
    stream = QDataStream(data, QIODevice.OpenModeFlag.WriteOnly)
    stream << paths[7]
    raw = bytes(data)
    assert int.from_bytes(raw[:4], "big") == 10 and len(raw) == 4 + 10 * 20 + 8
    assert raw[-8:] == (5).to_bytes(4, "big") + (0).to_bytes(4, "big")  # last moveTo, odd-even
    assert paths[7].contains(QPointF(1, 1)) and not paths[7].contains(QPointF(5, 5))


def test_paths_group_by_class_and_skip_non_polygons(qapp):
    mp = shapely.MultiPolygon([shapely.box(20, 0, 25, 5), shapely.box(30, 0, 35, 5)])
    geoms = np.array([shapely.box(0, 0, 1, 1), mp, None, shapely.Point(0, 0),
                      shapely.Polygon(), shapely.box(40, 0, 41, 1)], dtype=object)
    paths = paths_by_class(geoms, np.array([1, 2, 2, 3, 3, 1]))
    assert sorted(paths) == [1, 2]
    assert paths[1].elementCount() == 10 and paths[2].elementCount() == 10
    assert paths[2].contains(QPointF(32, 2)) and not paths[2].contains(QPointF(27, 2))
    culled = paths_by_class(geoms, np.array([1, 2, 2, 3, 3, 1]), view_bounds=(-1, -1, 2, 2))
    assert sorted(culled) == [1]


def test_snap_drops_subpixel_rings_and_duplicates():
    big = shapely.segmentize(shapely.box(0, 0, 100, 100), 0.1)  # 4000 points, 0.1 px apart
    tiny = shapely.box(200, 200, 200.2, 200.2)
    rings = ring_arrays(np.array([big, tiny]))
    snapped = snap_rings(rings, 0.5)
    assert snapped.geom.tolist() == [0]
    assert 4 <= snapped.counts[0] <= 801 < rings.counts[0]


# ---- rendering ---------------------------------------------------------------------------------

def test_square_centres_have_class_colours(qapp):
    image, stats = render_image([VectorLayer("乡镇", _squares(), _style())], 600, 400, **BARE)
    t = stats.transform
    for i, colour in enumerate([*FIVE_COLOURS, NO_DATA_COLOUR]):
        cx, cy = X0 + i % 3 * 1000 + 450, Y0 + i // 3 * 1000 + 450
        assert _px(image, t, cx, cy) == colour, (i, colour)
    assert _px(image, t, X0 + 950, Y0 + 450) == "#ffffff"  # the 100 m gap between squares


def test_donut_hole_stays_background_and_multipolygon_parts_fill(qapp):
    donut = shapely.Polygon([(X0, Y0), (X0 + 900, Y0), (X0 + 900, Y0 + 900), (X0, Y0 + 900)],
                            [[(X0 + 300, Y0 + 300), (X0 + 600, Y0 + 300), (X0 + 600, Y0 + 600),
                              (X0 + 300, Y0 + 600)]])
    multi = shapely.MultiPolygon([shapely.box(X0 + 1000, Y0, X0 + 1300, Y0 + 900),
                                  shapely.box(X0 + 1600, Y0, X0 + 1900, Y0 + 900)])
    gdf = gpd.GeoDataFrame({"class": [1, 5]}, geometry=[donut, multi], crs=4549)
    image, stats = render_image([VectorLayer("d", gdf, _style())], 500, 300, background="#fafafa",
                                **BARE)
    t = stats.transform
    assert _px(image, t, X0 + 450, Y0 + 450) == "#fafafa"  # hole
    assert _px(image, t, X0 + 150, Y0 + 450) == FIVE_COLOURS[0]  # ring
    assert _px(image, t, X0 + 1150, Y0 + 450) == FIVE_COLOURS[4]  # part 1
    assert _px(image, t, X0 + 1750, Y0 + 450) == FIVE_COLOURS[4]  # part 2
    assert _px(image, t, X0 + 1450, Y0 + 450) == "#fafafa"  # between the parts


def test_layers_in_other_crs_are_reprojected(qapp):
    base = VectorLayer("base", _squares(), _style())
    marker = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 300, Y0 + 300, X0 + 600, Y0 + 600)],
                              crs=4549).to_crs(4326)
    top = VectorLayer("top", marker, SingleStyle(fill="#000000", width=0))
    image, stats = render_image([base, top], 600, 400, **BARE)
    assert _px(image, stats.transform, X0 + 450, Y0 + 450) == "#000000"
    assert _px(image, stats.transform, X0 + 100, Y0 + 100) == FIVE_COLOURS[0]


def test_legend_title_and_decorations_are_drawn(qapp):
    image, stats = render_image([VectorLayer("乡镇", _squares(), _style())], 900, 600,
                                title="乡镇碳排放强度五色图", subtitle="2023 年")
    left, top, w, _ = stats.map_rect
    assert left + w < 700 and top > 40  # legend column right, title band on top
    arr = _rgb(image)
    legend = arr[:, int(left + w) + 5:]
    for colour in (*FIVE_COLOURS, NO_DATA_COLOUR):  # every swatch is there
        r, g, b = QColor(colour).red(), QColor(colour).green(), QColor(colour).blue()
        assert ((legend[..., 0] == r) & (legend[..., 1] == g) & (legend[..., 2] == b)).sum() > 50, colour
    assert (arr[: int(top), :, :].sum(axis=2) < 200).sum() > 200  # dark title text


def _rgb(image: QImage) -> np.ndarray:
    img = image.convertToFormat(QImage.Format.Format_RGB888)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def test_chinese_labels_render_with_real_glyphs(qapp):
    assert cjk_family() is not None, "no CJK font: install fonts-noto-cjk"
    fm = QFontMetrics(cjk_font(9))
    assert all(fm.inFont(ch) for name in NAMES for ch in name)

    def label_patch(names):
        gdf = _squares().assign(name=names)
        image, stats = render_image([VectorLayer("乡镇", gdf, _style(label_field="name"))], 600, 400,
                                    legend=False, north_arrow=False, scale_bar=False)
        assert stats.labels_drawn == 6
        px, py = stats.transform.apply(np.array([[X0 + 450, Y0 + 450]]))[0]
        return _rgb(image)[int(py) - 12:int(py) + 12, int(px) - 40:int(px) + 40]

    a = label_patch(NAMES)
    b = label_patch(["光伏镇", *NAMES[1:]])  # same length, other characters
    assert (a.sum(axis=2) < 150).sum() > 30  # dark glyph pixels over the green fill
    assert not np.array_equal(a, b)  # boxes (tofu) would be identical


def test_labels_skip_polygons_too_small_for_the_text(qapp):
    gdf = _squares().assign(name=["一个很长很长很长很长的名字街道办事处", *NAMES[1:]])
    _, stats = render_image([VectorLayer("乡镇", gdf, _style(label_field="name"))], 600, 400,
                            legend=False)
    assert stats.labels_drawn == 5


def test_render_map_png_and_pdf_reuse(qapp, tmp_path):
    layer = VectorLayer("乡镇", _squares(), _style(label_field="name"))
    png = save_png(render_map([layer], 400, 300, title="五色图"), tmp_path / "a" / "map.png")
    back = QImage(str(png))
    assert back.width() == 400 and back.height() == 300
    pdf = tmp_path / "map.pdf"
    writer = QPdfWriter(str(pdf))
    writer.setResolution(300)
    painter = QPainter(writer)
    stats = render_to_painter(painter, [layer], title="五色图")
    painter.end()
    assert pdf.stat().st_size > 5_000 and stats.labels_drawn == 6
    assert stats.map_rect[2] > 1500  # device pixels at 300 dpi on an A4 page


def test_render_into_part_of_a_device_without_decorations(qapp):
    image = QImage(300, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#000000"))
    painter = QPainter(image)
    stats = render_to_painter(painter, [VectorLayer("乡镇", _squares(), _style())],
                              QRectF(100, 0, 200, 200), legend=False, north_arrow=False,
                              scale_bar=False)
    painter.end()
    assert image.pixelColor(50, 100).name() == "#000000"  # left of the rect untouched
    assert stats.map_rect == (100, 0, 200, 200)


def test_progress_and_cancel(qapp):
    layer = VectorLayer("乡镇", _squares(), _style())
    seen = []
    render_map([layer], 200, 100, progress=Progress(lambda f, m: seen.append(f)))
    assert seen[-1] == 1.0
    p = Progress()
    p.cancel()
    with pytest.raises(Cancelled):
        render_map([layer], 200, 100, progress=p)


def test_ensure_gui_app_returns_the_running_app(qapp):
    assert ensure_gui_app() is qapp


def test_hidden_layers_and_empty_input(qapp):
    layer = VectorLayer("乡镇", _squares(), _style(), visible=False)
    image = render_map([layer], 100, 80, background="#123456", **BARE)
    assert image.pixelColor(50, 40).name() == "#123456"
    assert render_map([], 50, 40).width() == 50


def test_legend_counts_come_from_the_layer_data():
    from layers.legend import legend_block

    gdf = _squares(classes=(1, 1, 1, 5, 0, None))
    block = legend_block(VectorLayer("乡镇", gdf, _style()))
    assert [r.count for r in block.rows] == [3, 0, 0, 0, 1, 2]
    assert block.rows[-1].label == "无数据" and block.title == "碳排放强度"


def test_pdf_labels_are_one_text_run_each_with_a_drawn_halo(qapp, tmp_path):
    """On a PDF the halo is a stroked outline, not 8 white copies of the text: pdftotext finds
    every label exactly once; rasterised by poppler the label still has white halo pixels around
    its dark glyphs over the blue fill."""
    import shutil
    import subprocess
    import unicodedata

    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        pytest.skip("poppler-utils (pdftotext, pdftoppm) not installed")
    layer = VectorLayer("乡镇", _squares(), SingleStyle(fill="#2171b5", outline="#2171b5", width=0,
                                                        label_field="name"))
    pdf = tmp_path / "labels.pdf"
    writer = QPdfWriter(str(pdf))
    writer.setResolution(300)
    painter = QPainter(writer)
    stats = render_to_painter(painter, [layer], legend=False, north_arrow=False, scale_bar=False)
    painter.end()
    assert stats.labels_drawn == 6
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")
    # the embedded font maps the glyph of 干 back to the Kangxi radical ⼲ (U+2F32); NFKC folds it
    text = unicodedata.normalize("NFKC", text)
    assert {name: text.count(name) for name in NAMES} == {name: 1 for name in NAMES}
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
                   check=True)
    page = _rgb(QImage(str(tmp_path / "page.png")))
    origin = writer.pageLayout().paintRectPixels(300).topLeft()  # the painter's (0, 0) on the page
    k = 150 / 300
    for cx, cy in stats.transform.apply(np.array([[X0 + i % 3 * 1000 + 450, Y0 + i // 3 * 1000 + 450]
                                                  for i in range(6)])):
        px, py = round((cx + origin.x()) * k), round((cy + origin.y()) * k)
        patch = page[py - 15:py + 15, px - 45:px + 45].astype(int)
        fill = patch.sum(axis=2) == sum((0x21, 0x71, 0xb5))
        assert fill.mean() > 0.3  # inside the blue square
        assert (patch.min(axis=2) > 225).sum() > 20  # white halo
        assert (patch.max(axis=2) < 80).sum() > 20  # dark glyphs
