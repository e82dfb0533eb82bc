"""layers/: range and categorized styles, their QML/SLD, style_io, presets, selection, the layer
tree, raster layers, and drawing points/lines/selections — checked against hand-made references."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from PySide6.QtGui import QColor, QImage

from gis.errors import InputError
from layers.layer import VectorLayer, geometry_kind, reproject
from layers.legend import legend_block
from layers.presets import KNOWN_LAYERS, default_style, layer_title, styled_layer
from layers.qpath import WorldToPixel
from layers.raster import RasterLayer
from layers.render import SELECTION_OUTLINE, render_image
from layers.style import (
    YLORRD,
    CategorizedStyle,
    Category,
    GraduatedStyle,
    SingleStyle,
    categorized_style,
    common_decimals,
    five_class_style,
    range_breaks,
    range_style,
)
from layers.style_export import (
    OGC_NS,
    SLD_NS,
    categorized_qml,
    categorized_sld,
    graduated_qml,
    graduated_sld,
    style_qml,
    style_sld,
)
from layers.style_io import style_from_dict, style_to_dict
from layers.tree import LayerGroup, LayerTree

X0, Y0 = 500_000.0, 3_300_000.0  # EPSG:4549 metres
BARE = dict(legend=False, labels=False, north_arrow=False, scale_bar=False)
S, OG = f"{{{SLD_NS}}}", f"{{{OGC_NS}}}"


def _px(image: QImage, t: WorldToPixel, x: float, y: float) -> QColor:
    px, py = t.apply(np.array([[x, y]]))[0]
    return image.pixelColor(int(px), int(py))


def _close(c: QColor, hexcolour: str, tol: int = 2) -> bool:
    e = QColor(hexcolour)
    return max(abs(c.red() - e.red()), abs(c.green() - e.green()), abs(c.blue() - e.blue())) <= tol


# ---- range styles ------------------------------------------------------------------------------

def test_range_classes_lower_exclusive_upper_inclusive_and_no_data():
    style = range_style([1.0], "v", breaks=[10, 20])
    # hand: ≤10 → class 0, (10, 20] → 1, > 20 → 2; NaN/inf/None → -1
    v = [-5, 10, 10.000001, 20, 20.5, np.nan, np.inf, None, "15"]
    assert style.class_codes(v).tolist() == [0, 0, 1, 1, 2, -1, -1, -1, 1]
    assert style.value_field == "v" and style.data_field == "v"
    assert [c.label_en for c in style.classes] == ["≤ 10.0", "10.0–20.0", "> 20.0"]
    assert style.colours() == list(YLORRD[3])


def test_range_style_counts_and_computed_breaks_against_hand_values():
    values = np.r_[np.arange(1, 101.0), np.nan, np.nan]
    eq = range_style(values, "x", method="equal", n=5)
    # equal intervals of [1, 100]: 1 + 19.8·k → 20.8, 40.6, 60.4, 80.2; 20 values per class
    assert [c.upper for c in eq.classes[:-1]] == pytest.approx([20.8, 40.6, 60.4, 80.2])
    assert [c.count for c in eq.classes] == [20, 20, 20, 20, 20] and eq.no_data_count == 2
    q = range_breaks(np.arange(1, 101.0), "quantile", 4)
    assert q == pytest.approx(list(np.percentile(np.arange(1, 101.0), [25, 50, 75])))
    # three obvious clusters: Fisher–Jenks puts the breaks at the cluster tops
    jk = range_breaks([1, 2, 3, 10, 11, 12, 20, 21, 22], "jenks", 3)
    assert jk == [3.0, 12.0]
    # a label is the exact class limit: every value stays in the class of the unrounded breaks
    y = np.random.default_rng(3).lognormal(size=3000)
    st = range_style(y, "y", method="quantile", n=5)
    raw = range_breaks(y, "quantile", 5)
    assert st.class_codes(y).tolist() == np.searchsorted(raw, y, side="left").tolist()
    for cb in st.classes[:-1]:
        assert cb.label_en.endswith(f"{cb.upper:.{len(cb.label_en.split('.')[-1])}f}")


def test_range_labels_show_the_class_limits_exactly_also_beyond_100():
    """Rooftop-PV-like breaks 77.11 and 92.98 next to one ≥ 100 were labelled "≤ 77.1",
    "77.1–93.0" (1 decimal from 100 up): the labels must be the limits as used."""
    assert common_decimals([77.11, 92.98, 105.3]) == 2
    assert common_decimals([80, 100, 120]) == 0 and common_decimals([1520, 3000]) == 0
    assert common_decimals([0.6, 0.8, 1.2, 2.0]) == 1 and common_decimals([1520.5]) == 1
    given = range_style([1.0], "kwh_per_m2", breaks=[77.11, 92.98, 105.3])
    assert [c.label_en for c in given.classes] == ["≤ 77.11", "77.11–92.98", "92.98–105.30", "> 105.30"]
    # computed: equal thirds of [0, 231.33] are 77.11 and 154.22 (hand); 77.12 and 154.23 sit
    # just above them, so the breaks are rounded to 2 decimals — and labelled with 2
    y = [0.0, 77.11, 77.12, 154.22, 154.23, 231.33]
    st = range_style(y, "kwh_per_m2", method="equal", n=3)
    assert [c.label_zh for c in st.classes] == ["≤ 77.11", "77.11–154.22", "> 154.22"]
    assert [c.count for c in st.classes] == [2, 2, 2]
    for cb in st.classes:  # the numbers in the label are exactly the limits the classes use
        shown = [float(t) for t in cb.label_en.replace("≤", "").replace(">", "").split("–")]
        assert shown == [x for x in (cb.lower, cb.upper) if x is not None]


def test_range_style_with_few_distinct_values_and_colours():
    st = range_style([5, 5, 7, 7, 7], "x", n=5, colours=("#000001", "#000002", "#000003", "#000004",
                                                         "#000005"))
    assert len(st.classes) == 2 and [c.count for c in st.classes] == [2, 3]
    assert st.colours() == ["#000001", "#000005"]  # spread over the given ramp
    with pytest.raises(ValueError):
        range_style([1, 2], "x", breaks=[2, 1])


def test_graduated_code_classes_unchanged():
    st = five_class_style([0.6, 0.8, 1.2, 2.0])
    assert st.value_field is None
    assert st.class_codes([1, 5, 0, None, 3.0, 7]).tolist() == [0, 4, -1, -1, 2, -1]


# ---- categorized styles --------------------------------------------------------------------

def test_categorized_codes_counts_and_other():
    st = categorized_style(["草地", "林地", "草地", None, "水体", "草地"], "cover",
                           colours={"林地": "#1b7837"}, labels={"草地": ("草地", "grass")})
    assert [c.value for c in st.categories] == ["草地", "林地", "水体"]  # by count
    assert [c.count for c in st.categories] == [3, 1, 1] and st.other_count == 1
    assert st.categories[1].colour == "#1b7837" and st.categories[0].label_en == "grass"
    assert st.class_codes(["水体", "草地", "灌木", None, float("nan")]).tolist() == [2, 0, -1, -1, -1]
    num = CategorizedStyle("k", [Category(1, "#ff0000", "一", "one")])
    assert num.class_codes([1, 1.0, "1", 2]).tolist() == [0, 0, -1, -1]


def test_categorized_codes_vectorised_match_dict_lookup_on_mixed_types_and_missing():
    """Like dict keys: 1 == 1.0 == True == np.int64(1), "1" differs; the first of equal categories
    wins; None/NaN/pd.NA are "other" even when listed; unhashable values are "other"."""
    cats = [Category("草地", "#000001", "", ""), Category(1, "#000002", "", ""),
            Category(2.5, "#000003", "", ""), Category(1.0, "#000004", "", ""),  # duplicate of 1
            Category(None, "#000005", "", ""), Category("水体", "#000006", "", "")]
    st = CategorizedStyle("k", cats)
    values = ["草地", 1, 1.0, True, "1", np.int64(1), np.float32(2.5), 2.5, None, np.nan, pd.NA,
              "水体", "林地", 0, float("inf"), ["草地"]]
    expected = [0, 1, 1, 1, -1, 1, 2, 2, -1, -1, -1, 5, -1, -1, -1, -1]  # by hand
    got = st.class_codes(np.array(values, dtype=object))
    assert got.dtype == np.int64 and got.tolist() == expected
    assert st.class_codes(pd.Series(values[:-1], dtype=object)).tolist() == expected[:-1]
    assert st.codes_for(pd.DataFrame({"k": values[:-1]})).tolist() == expected[:-1]
    assert st.class_codes([]).tolist() == [] and CategorizedStyle("k", []).class_codes([1]).tolist() == [-1]
    # many random rows: the same as a plain dict lookup, row by row (the reference)
    rng = np.random.default_rng(5)
    pool = np.array(["草地", "林地", "水体", 1, 2.0, True, None, np.nan, "1", 3, 2.5, "x"], dtype=object)
    rows = pool[rng.integers(0, len(pool), 20_000)]
    ref_map: dict = {}
    for i, c in enumerate(cats):
        if c.value is not None:
            ref_map.setdefault(c.value, i)
    ref = [-1 if v is None or (isinstance(v, float) and v != v) else ref_map.get(v, -1) for v in rows]
    assert st.class_codes(rows).tolist() == ref
    strings = pd.Series(rng.choice(["草地", "林地", "水体"], 1000))  # pandas' string dtype
    assert st.class_codes(strings).tolist() == [ref_map.get(v, -1) for v in strings.tolist()]


# ---- QML / SLD -----------------------------------------------------------------------------

def _eval_sld_filter(flt: ET.Element, value: float) -> bool:
    """A tiny evaluator of the OGC filters we write (And, comparisons, Not/PropertyIsNull)."""
    op = flt.tag.replace(OG, "")
    if op == "Filter" or op == "And":
        return all(_eval_sld_filter(c, value) for c in flt)
    if op == "Or":
        return any(_eval_sld_filter(c, value) for c in flt)
    if op == "Not":
        return not _eval_sld_filter(flt[0], value)
    if op == "PropertyIsNull":
        return value is None or (isinstance(value, float) and math.isnan(value))
    lit = float(flt.find(f"{OG}Literal").text)
    if value is None or math.isnan(value):
        return False
    return {"PropertyIsGreaterThan": value > lit, "PropertyIsLessThanOrEqualTo": value <= lit,
            "PropertyIsEqualTo": value == lit}[op]


def test_range_qml_ranges_and_sld_filters_match_the_breaks():
    st = range_style([1.0], "kwh_per_m2", breaks=[80, 100, 120], unit="kWh/m²")
    root = ET.fromstring(graduated_qml(st))
    r = root.find("renderer-v2")
    assert r.get("type") == "graduatedSymbol" and r.get("attr") == "kwh_per_m2"
    ranges = r.findall("ranges/range")
    lows = [float(x.get("lower")) for x in ranges]
    ups = [float(x.get("upper")) for x in ranges]
    assert ups[:3] == [80, 100, 120] and lows[1:] == [80, 100, 120]
    assert lows[0] <= -1e300 and ups[-1] >= 1e300  # open ends
    assert ranges[1].get("label") == "80–100 kWh/m²"  # breaks ≥ 100 are shown without decimals
    symbols = {s.get("name"): s for s in r.findall("symbols/symbol")}
    fill = symbols[ranges[3].get("symbol")].find("layer/Option/Option[@name='color']").get("value")
    assert fill == "227,26,28,255"  # #e31a1c, the darkest of ColorBrewer YlOrRd with 4 classes
    sld = ET.fromstring(graduated_sld(st, "pv").encode())
    rules = sld.findall(f".//{S}FeatureTypeStyle/{S}Rule")
    assert rules[-1].find(f"{S}ElseFilter") is None  # QGIS 3.22 reads ElseFilter as "always"
    # every test value falls in exactly the rule of its hand-computed class, none in the no-data rule
    for v, expected in ((50, 0), (80, 0), (80.5, 1), (100, 1), (119, 2), (120, 2), (121, 3)):
        hits = [i for i, rule in enumerate(rules) if _eval_sld_filter(rule.find(f"{OG}Filter"), v)]
        assert hits == [expected], (v, hits)
    nan_hits = [i for i, rule in enumerate(rules) if _eval_sld_filter(rule.find(f"{OG}Filter"), float("nan"))]
    assert nan_hits == [len(rules) - 1]  # no data: only the last rule


def test_categorized_qml_and_sld():
    st = CategorizedStyle("cover", [Category("草地", "#a6dba0", "草地", "grass"),
                                    Category(3.0, "#1b7837", "三", "three")], other_colour="#d9d9d9")
    root = ET.fromstring(categorized_qml(st, geometry="point"))
    cats = root.findall("renderer-v2/categories/category")
    assert [c.get("value") for c in cats] == ["草地", "3", ""]
    assert cats[0].get("label") == "草地 / grass"
    sym = root.find("renderer-v2/symbols/symbol")
    assert sym.get("type") == "marker" and sym.find("layer").get("class") == "SimpleMarker"
    assert root.find("layerGeometryType").text == "0"
    sld = ET.fromstring(categorized_sld(st, "绿地", geometry="line").encode())
    rules = sld.findall(f".//{S}Rule")
    assert [r.find(f"{OG}Filter/{OG}PropertyIsEqualTo/{OG}Literal").text for r in rules[:2]] == ["草地", "3"]
    strokes = [r.find(f"{S}LineSymbolizer/{S}Stroke/{S}CssParameter[@name='stroke']").text for r in rules]
    assert strokes == ["#a6dba0", "#1b7837", "#d9d9d9"]


def test_single_and_no_fill_exports():
    st = SingleStyle(fill="none", outline="#e31a1c", width=2)
    root = ET.fromstring(style_qml(st))
    assert root.find("renderer-v2").get("type") == "singleSymbol"
    assert root.find(".//Option[@name='style']").get("value") == "no"
    sld = ET.fromstring(style_sld(st, "boundary").encode())
    assert sld.find(f".//{S}PolygonSymbolizer/{S}Fill") is None
    assert sld.find(f".//{S}PolygonSymbolizer/{S}Stroke/{S}CssParameter[@name='stroke']").text == "#e31a1c"


# ---- style_io ------------------------------------------------------------------------------

def test_style_io_round_trips_every_style_through_json():
    styles = [SingleStyle(fill="none", marker_size_pt=9, title_zh="红线"),
              five_class_style([0.6, 0.8, 1.2, 2.0], counts=[1, 2, 3, 4, 5], label_field="name"),
              range_style(np.arange(10.0), "kwh", unit="kWh"),
              categorized_style(np.array(["a", "b", "a"]), "t"),
              CategorizedStyle("n", [Category(np.int64(2), "#000000", "二", "two", np.int64(4))])]
    for st in styles:
        back = style_from_dict(json.loads(json.dumps(style_to_dict(st))))
        assert type(back) is type(st)
        assert style_to_dict(back) == style_to_dict(st)
    assert style_from_dict({"type": "single", "fill": "#123456", "future_key": 1}).fill == "#123456"
    with pytest.raises(InputError) as e:
        style_from_dict({"type": "heatmap"})
    assert "heatmap" in e.value.zh and "heatmap" in e.value.en


# ---- presets -------------------------------------------------------------------------------

def test_presets_for_known_layers():
    poly = gpd.GeoDataFrame({"kwh_yr": [1000.0, 3000.0, 500.0, 0.0], "roof_m2": [10.0, 20.0, 0.0, 5.0],
                             "cover": ["草地", "林地", "水体", "草地"], "name": list("abcd"),
                             "class": [1, 5, 0, 3]},
                            geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)], crs=4549)
    pv = styled_layer("rooftop_pv", poly, lang="en")
    assert pv.title == "Rooftop PV" and pv.name == "rooftop_pv"
    # kwh_per_m2 = kwh_yr / roof_m2 by hand: 100, 150, NaN (no roof), 0
    got = pv.gdf["kwh_per_m2"].to_numpy()
    assert got[0] == 100 and got[1] == 150 and math.isnan(got[2]) and got[3] == 0
    assert "kwh_per_m2" not in poly.columns  # the caller's frame is untouched
    assert isinstance(pv.style, GraduatedStyle) and pv.style.value_field == "kwh_per_m2"
    assert pv.style.no_data_count == 1
    green = default_style("green", poly)
    assert isinstance(green, CategorizedStyle) and green.field == "cover"
    assert {c.value: c.colour for c in green.categories} == {"林地": "#1b7837", "草地": "#a6dba0",
                                                             "水体": "#6baed6"}
    assert [c.label_en for c in green.categories] == ["forest", "grassland", "water"]
    b = default_style("boundary", poly)
    assert b.fill == "none" and b.outline == "#e31a1c"
    ti = default_style("township_intensity", poly, breaks=[0.6, 0.8, 1.2, 2.0])
    assert ti.field == "class" and [c.count for c in ti.classes] == [1, 0, 1, 0, 1]
    assert ti.classes[1].label_en == "class 2 (blue): 0.6–0.8"
    assert ti.no_data_count == 1 and ti.label_field == "name"
    lines = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (1, 1)])], crs=4549)
    assert default_style("tree_rows", lines).width > 1
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs=4549)
    assert default_style("turbines", pts).marker_size_pt >= 8
    assert isinstance(default_style("something_else", pts), SingleStyle)
    assert layer_title("green", "zh") == "绿地" and layer_title("green", "en") == "Green space"
    assert layer_title("x", "zh") == "x"
    from app.results import RESULT_LAYER_NAMES  # every park and result layer has a preset

    park_layers = {"boundary", "buildings", "green", "tree_rows", "townships"}
    assert park_layers | set(RESULT_LAYER_NAMES) <= set(KNOWN_LAYERS)


# ---- vector layer selection and geometry kind ---------------------------------------------------

def test_selection_events_sorted_unique_and_bounds_checked():
    layer = VectorLayer("a", gpd.GeoDataFrame(geometry=[shapely.box(i, 0, i + 1, 1) for i in range(5)]))
    seen = []
    layer.changed.connect(lambda lyr, what: seen.append(what))
    layer.selection = [3, 1, 3]
    assert layer.selection.tolist() == [1, 3] and layer.selection.dtype == np.int64
    layer.selection = np.array([1, 3])  # same: no event
    with pytest.raises(IndexError):
        layer.selection = [5]
    layer.clear_selection()
    assert seen == ["selection", "selection"] and len(layer.selection) == 0
    layer.selection = [4]
    layer.gdf = layer.gdf.iloc[:2]  # rows beyond the new data are dropped
    assert len(layer.selection) == 0 and layer.data_version == 1


def test_geometry_kind():
    assert geometry_kind([shapely.Point(0, 0), shapely.MultiPoint([(0, 0)]), None]) == "point"
    assert geometry_kind([shapely.LineString([(0, 0), (1, 1)])]) == "line"
    assert geometry_kind([]) == "polygon"


# ---- layer tree ------------------------------------------------------------------------------

def _vl(name: str) -> VectorLayer:
    return VectorLayer(name, gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs=4549))


def test_tree_structure_events_and_visibility():
    tree = LayerTree()
    events = []
    tree.changed.connect(lambda t, ev, node: events.append((ev, node.name)))
    base = tree.add_group("底图", opacity=0.5)
    a = tree.add_layer(_vl("a"), base)
    b = tree.add_layer(_vl("b"))
    c = tree.add_layer(_vl("c"), "底图", index=0)
    assert tree.layers() == [c, a, b]  # bottom → top, depth first
    a.opacity = 0.5
    assert tree.effective_opacity(a) == pytest.approx(0.25)
    assert tree.draw_list() == [(c, 0.5), (a, 0.25), (b, 1.0)]
    base.visible = False
    assert tree.visible_layers() == [b] and not tree.is_drawn(a)
    tree.move(b, base, 0)
    assert tree.layers() == [b, c, a] and tree.parent(b) is base
    with pytest.raises(ValueError):
        tree.move(base, base)
    with pytest.raises(ValueError):
        tree.add_layer(a)
    tree.remove(base)
    assert tree.layers() == [] and tree.find("a") is None
    a.visible = False  # no longer forwarded
    assert events == [("inserted", "底图"), ("inserted", "a"), ("inserted", "b"), ("inserted", "c"),
                      ("layer:opacity", "a"), ("group:visible", "底图"), ("moved", "b"), ("removed", "底图")]


def test_tree_to_dict_from_dict_round_trip():
    tree = LayerTree()
    g = tree.add_group("结果", expanded=False, opacity=0.8)
    pv = tree.add_layer(VectorLayer("rooftop_pv", _vl("x").gdf, range_style([1, 2, 3], "v"),
                                    title="屋顶光伏"), g)
    tree.add_layer(VectorLayer("boundary", _vl("x").gdf, SingleStyle(fill="none"), visible=False))
    d = json.loads(json.dumps(tree.to_dict()))
    fresh = {"rooftop_pv": _vl("rooftop_pv"), "boundary": _vl("boundary")}
    back = LayerTree.from_dict(d, fresh)
    assert back.to_dict() == d
    assert [lyr.name for lyr in back.layers()] == ["rooftop_pv", "boundary"]
    grp = back.find("结果")
    assert isinstance(grp, LayerGroup) and grp.opacity == 0.8 and not grp.expanded
    assert style_to_dict(back.find("rooftop_pv").style) == style_to_dict(pv.style)
    assert back.find("rooftop_pv").title == "屋顶光伏" and not back.find("boundary").visible
    partial = LayerTree.from_dict(d, lambda name: fresh[name] if name == "boundary" else None)
    assert partial.missing == ["rooftop_pv"] and len(partial.layers()) == 1
    with pytest.raises(InputError):
        LayerTree.from_dict({}, {})


# ---- raster layers -------------------------------------------------------------------------

def test_raster_cells_land_where_the_geotransform_puts_them(qapp):
    # 3 rows × 4 cols of 100 m cells, top-left corner (X0, Y0 + 300); class = row·4 + col
    codes = np.arange(12).reshape(3, 4)
    colours = {k: f"#{20 * k:02x}{255 - 20 * k:02x}{90 + 13 * k:02x}" for k in range(12)}
    gt = (X0, 100.0, 0.0, Y0 + 300, 0.0, -100.0)
    r = RasterLayer("r", codes, gt, "EPSG:4549", colormap=colours)
    assert r.bounds() == (X0, Y0, X0 + 400, Y0 + 300)
    image, stats = render_image([r], 400, 300, extent=r.bounds(), **BARE)
    for row in range(3):
        for col in range(4):
            # cell centre by hand: x = x0 + (col + ½)·dx, y = y0 + (row + ½)·dy
            x, y = X0 + (col + 0.5) * 100, Y0 + 300 - (row + 0.5) * 100
            assert _close(_px(image, stats.transform, x, y), colours[row * 4 + col], 0), (row, col)
    assert r.value_at(X0 + 150, Y0 + 250) == 1 and r.value_at(X0 - 1, Y0) is None


def test_raster_rotation_nodata_and_linear_colours(qapp):
    # rotated 90°: columns run north, rows run east (x = x0 + row·10, y = y0 + col·10)
    a = np.array([[0.0, 10.0], [-9999.0, np.nan]])
    gt = (X0, 0.0, 10.0, Y0, 10.0, 0.0)
    r = RasterLayer("rot", a, gt, "EPSG:4549", colormap=[(0, "#000000"), (10, "#ffffff")], nodata=-9999.0)
    assert r.world_to_cell(X0 + 5, Y0 + 15) == pytest.approx((1.5, 0.5))
    assert r.value_at(X0 + 5, Y0 + 15) == 10.0 and r.value_at(X0 + 15, Y0 + 5) is None
    image, stats = render_image([r], 200, 200, extent=(X0, Y0, X0 + 20, Y0 + 20), background="#ff00ff",
                                **BARE)
    t = stats.transform
    assert _close(_px(image, t, X0 + 5, Y0 + 5), "#000000", 0)  # cell (row 0, col 0)
    assert _close(_px(image, t, X0 + 5, Y0 + 15), "#ffffff", 0)  # cell (row 0, col 1)
    assert _close(_px(image, t, X0 + 15, Y0 + 5), "#ff00ff", 0)  # nodata: background
    assert _close(_px(image, t, X0 + 15, Y0 + 15), "#ff00ff", 0)  # NaN: background
    mid = RasterLayer("m", np.array([[5.0]]), (X0, 1, 0, Y0 + 1, 0, -1), "EPSG:4549",
                      colormap=[(0, "#000000"), (10, "#ffffff")])
    assert mid.rgba()[0, 0].tolist() == [128, 128, 128, 255]  # halfway, rounded
    rows = legend_block(mid).rows
    assert [r_.colour for r_ in rows] == ["#000000", "#ffffff"]


def test_raster_in_another_crs_is_warped(qapp):
    # a 1-cell-per-0.001° raster in lon/lat, drawn on a CGCS2000 GK map
    a = np.array([[1, 2], [3, 4]], dtype=np.int16)
    gt = (120.0, 0.001, 0.0, 30.002, 0.0, -0.001)
    cols = {1: "#ff0000", 2: "#00ff00", 3: "#0000ff", 4: "#ffff00"}
    r = RasterLayer("ll", a, gt, "EPSG:4326", colormap=cols)
    to_gk = pyproj.Transformer.from_crs(4326, 4549, always_xy=True)
    ext = r.bounds("EPSG:4549")
    base = VectorLayer("b", gpd.GeoDataFrame(geometry=[shapely.box(*ext)], crs=4549),
                       SingleStyle(fill="none", width=0))
    image, stats = render_image([base, r], 300, 300, extent=ext, **BARE)
    for (lon, lat), k in (((120.0005, 30.0015), 1), ((120.0015, 30.0015), 2), ((120.0005, 30.0005), 3),
                          ((120.0015, 30.0005), 4)):
        x, y = to_gk.transform(lon, lat)
        assert _close(_px(image, stats.transform, x, y), cols[k], 0), k


# ---- points, lines, categorized, selection --------------------------------------------------

def test_points_lines_and_categories_are_drawn(qapp):
    pts = gpd.GeoDataFrame(geometry=[shapely.Point(X0 + 100, Y0 + 100)], crs=4549)
    line = gpd.GeoDataFrame({"k": ["a"]}, crs=4549,
                            geometry=[shapely.LineString([(X0, Y0 + 300), (X0 + 400, Y0 + 300)])])
    cat = gpd.GeoDataFrame({"k": ["x", "y"]}, crs=4549,
                           geometry=[shapely.box(X0 + 200, Y0, X0 + 280, Y0 + 80),
                                     shapely.box(X0 + 300, Y0, X0 + 380, Y0 + 80)])
    cstyle = CategorizedStyle("k", [Category("x", "#00ff00", "x", "x")], other_colour="#0000ff", width=0)
    layers = [VectorLayer("c", cat, cstyle),
              VectorLayer("l", line, SingleStyle(outline="#ff0000", width=6)),
              VectorLayer("p", pts, SingleStyle(fill="#000000", outline="#000000", width=0,
                                                marker_size_pt=24))]
    image, stats = render_image(layers, 400, 400, extent=(X0, Y0, X0 + 400, Y0 + 400), dpi=96, **BARE)
    t = stats.transform  # 1 px per metre
    assert _close(_px(image, t, X0 + 240, Y0 + 40), "#00ff00", 0)
    assert _close(_px(image, t, X0 + 340, Y0 + 40), "#0000ff", 0)  # not a category: other colour
    assert _close(_px(image, t, X0 + 50, Y0 + 300), "#ff0000")  # on the line
    assert _close(_px(image, t, X0 + 50, Y0 + 306), "#ffffff")  # 6 px wide: 3 px each side
    # marker: 24 pt at 96 dpi = 32 px diameter → radius 16 px
    assert _close(_px(image, t, X0 + 100 + 13, Y0 + 100), "#000000")
    assert _close(_px(image, t, X0 + 100 + 19, Y0 + 100), "#ffffff")
    rows = legend_block(layers[0]).rows
    assert [(r.label, r.count) for r in rows] == [("x", 1), ("其他", 1)]
    assert legend_block(layers[1]).rows[0].kind == "line" and legend_block(layers[2]).rows[0].kind == "point"


def test_selected_features_are_outlined_on_top(qapp):
    gdf = gpd.GeoDataFrame(geometry=[shapely.box(X0, Y0, X0 + 100, Y0 + 100),
                                     shapely.box(X0 + 200, Y0, X0 + 300, Y0 + 100)], crs=4549)
    layer = VectorLayer("s", gdf, SingleStyle(fill="#404040", width=0))
    layer.selection = [1]
    image, stats = render_image([layer], 400, 200, extent=(X0 - 50, Y0 - 50, X0 + 350, Y0 + 150), **BARE)
    t = stats.transform
    assert _close(_px(image, t, X0 + 300, Y0 + 50), SELECTION_OUTLINE, 40)  # right edge of the selected
    assert not _close(_px(image, t, X0 + 100, Y0 + 50), SELECTION_OUTLINE, 40)  # the unselected one
    inside = _px(image, t, X0 + 250, Y0 + 50)
    assert inside.red() > 0x40 and inside.blue() < inside.red()  # yellow tint over the grey


def test_model_modules_do_not_load_qt():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, layers.style, layers.style_io, layers.style_export, layers.presets, layers.layer, "
            "layers.tree, layers.query; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_township_intensity_preset_from_a_classification():
    from types import SimpleNamespace

    gdf = gpd.GeoDataFrame({"class": [1, 2, 2, 0], "name": list("abcd")},
                           geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4)], crs=4549)
    c = SimpleNamespace(breaks=[0.6, 0.8, 1.2, 2.0], quantity="k_ratio", unit_zh="tCO2/万元",
                        description_zh="基准比值法", description_en="benchmark ratio",
                        labels_zh=[f"第{k}级" for k in range(1, 6)], labels_en=[f"c{k}" for k in range(1, 6)])
    st = default_style("township_intensity", gdf, classification=c)
    # each class's name, then the classification's label (issue 17: the legend shows both)
    assert [cb.label_zh for cb in st.classes] == ["1 级（绿）第1级", "2 级（蓝）第2级", "3 级（黄）第3级",
                                                  "4 级（橙）第4级", "5 级（红）第5级"]
    assert [cb.upper for cb in st.classes[:4]] == [0.6, 0.8, 1.2, 2.0]
    assert [cb.count for cb in st.classes] == [1, 2, 0, 0, 0] and st.no_data_count == 1
    assert st.method_en == "benchmark ratio" and st.unit == ""


def test_range_breaks_quantile_and_equal_match_mapclassify_without_importing_it():
    import subprocess
    import sys
    import warnings

    import mapclassify

    from layers.style import range_breaks

    rng = np.random.default_rng(5)
    for y in (rng.lognormal(size=2000), rng.integers(0, 50, 300).astype(float), np.arange(1, 101.0)):
        for n in (3, 4, 5, 7):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                q = np.unique(mapclassify.Quantiles(y, k=n).bins[:-1])
                e = mapclassify.EqualInterval(y, k=n).bins[:-1]
            assert range_breaks(y, "quantile", n) == q.tolist()  # bit-identical
            assert range_breaks(y, "equal", n) == pytest.approx(e.tolist(), rel=1e-12)
    # no mapclassify (scipy, scikit-learn: 1–2 s) for quantile or equal breaks
    code = ("import sys, numpy as np; from layers.style import range_breaks, range_style; "
            "y = np.random.default_rng(1).lognormal(size=5000); "
            "range_breaks(y, 'quantile', 5); range_breaks(y, 'equal', 5); range_style(y, 'y'); "
            "bad = [m for m in ('mapclassify', 'scipy', 'sklearn') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=str(__import__("pathlib").Path(__file__).parents[1]),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


# ---- reprojection in chunks ----------------------------------------------------------------------

def _mixed_frame(n_boxes: int = 40) -> gpd.GeoDataFrame:
    x0, y0 = 500_000.0, 3_300_000.0
    rng = np.random.default_rng(8)
    x = rng.uniform(x0, x0 + 20_000, n_boxes)
    y = rng.uniform(y0, y0 + 20_000, n_boxes)
    box = shapely.box
    holed = box(x0, y0, x0 + 100, y0 + 100).difference(box(x0 + 20, y0 + 20, x0 + 80, y0 + 80))
    multi = shapely.MultiPolygon([box(x0, y0, x0 + 5, y0 + 5), box(x0 + 9, y0, x0 + 12, y0 + 4)])
    line = shapely.LineString([(x0, y0), (x0 + 1, y0 + 1)])
    geoms = [*shapely.box(x, y, x + 10, y + 12), holed, None, shapely.Polygon(), multi,
             shapely.LineString([(x0, y0), (x0 + 50, y0 + 70)]), shapely.Point(x0 + 1, y0 + 2),
             shapely.Point(x0 + 3, y0 + 4, 12.5),  # 3D
             shapely.Polygon([(x0, y0, 1), (x0 + 9, y0, 2), (x0 + 9, y0 + 9, 3)]),
             shapely.GeometryCollection([shapely.Point(x0, y0), line]), *shapely.points(x, y)]
    n = len(geoms)
    return gpd.GeoDataFrame({"name": [f"f{i}" for i in range(n)], "v": np.arange(n) * 1.5},
                            geometry=geoms, crs=4549, index=np.arange(n)[::-1] * 10)


def _wkb(gdf: gpd.GeoDataFrame) -> list:
    return shapely.to_wkb(gdf.geometry.to_numpy()).tolist()


@pytest.mark.parametrize("crs", ["EPSG:4326", 3857])
def test_chunked_reprojection_equals_to_crs_exactly(crs, monkeypatch):
    """VectorLayer.in_crs reprojects in chunks (the GUI thread gets the GIL between them) and gives
    geopandas' to_crs result bit for bit: same coordinates (WKB), attributes, index, CRS."""
    import geopandas.testing

    import layers.layer as layer_mod

    gdf = _mixed_frame()
    reference = gdf.to_crs(crs)
    sizes = []
    real = shapely.set_coordinates
    monkeypatch.setattr(shapely, "set_coordinates", lambda g, c: sizes.append(len(g)) or real(g, c))
    monkeypatch.setattr(layer_mod, "REPROJECT_CHUNK", 7)
    got = VectorLayer("m", gdf).in_crs(crs)
    assert sizes and max(sizes) <= 7 and sum(sizes) == len(gdf)  # chunked, every row once
    geopandas.testing.assert_geodataframe_equal(got, reference, check_less_precise=False)
    assert _wkb(got) == _wkb(reference)  # bit for bit
    assert got.crs == reference.crs and got.geometry.name == reference.geometry.name
    assert gdf.crs.to_epsg() == 4549 and shapely.get_coordinates(gdf.geometry)[0, 0] > 1000  # source kept
    for chunk in (1, 3, 1000):
        again = reproject(gdf, crs, chunk=chunk)
        assert _wkb(again) == _wkb(reference) and again.index.tolist() == reference.index.tolist()
        assert again["v"].tolist() == reference["v"].tolist()


def test_geometry_kind_follows_data_changes():
    layer = VectorLayer("x", gpd.GeoDataFrame(geometry=[shapely.Point(0, 0)], crs=4549))
    assert layer.geometry_kind == "point"
    layer.gdf = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (1, 1)])], crs=4549)
    assert layer.geometry_kind == "line"  # a cached kind is never stale after new data
    layer.gdf.loc[0, "geometry"] = shapely.box(0, 0, 1, 1)
    layer.refresh("data")
    assert layer.geometry_kind == "polygon"
