"""Titles and styles of every layer the analyses make (layers/presets.py), in both languages."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from app.results import RESULT_LAYER_NAMES
from layers.presets import KNOWN_LAYERS, TITLES, default_style, layer_title, styled_layer
from layers.style import NO_FILL, SingleStyle, has_fill

# the titles the issue asks for (an independent list, not the table under test)
SITING_TITLES = {
    "pv_array_tables": ("光伏阵列支架", "PV array tables"),
    "pv_array_area": ("光伏阵列可用范围", "PV array usable area"),
    "pv_array_exclusions": ("光伏阵列排除区", "PV array exclusion zones"),
    "turbines": ("风机", "Wind turbines"),
    "wind_receptors": ("噪声与阴影敏感点", "Noise and flicker receptors"),
    "wind_violations": ("风机约束冲突", "Turbine constraint violations"),
}


def _frame(kind: str, n: int = 3, **cols) -> gpd.GeoDataFrame:
    if kind == "point":
        geoms = shapely.points([[i * 10.0, 0.0] for i in range(n)])
    elif kind == "line":
        geoms = [shapely.LineString([(i * 10.0, 0.0), (i * 10.0 + 5, 5.0)]) for i in range(n)]
    else:
        geoms = [shapely.box(i * 10.0, 0.0, i * 10.0 + 5, 5.0) for i in range(n)]
    return gpd.GeoDataFrame(cols, geometry=list(geoms), crs=4549)


@pytest.mark.parametrize("name", RESULT_LAYER_NAMES)
def test_every_result_layer_has_titles_and_a_preset(name):
    assert name in KNOWN_LAYERS and name in TITLES
    zh, en = layer_title(name, "zh"), layer_title(name, "en")
    assert zh != name and en != name and zh != en  # not the key, not the default
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh) and zh.isascii() is False and en.isascii()
    # a preset, not the geometry fallback: its legend carries the layer's own title
    style = default_style(name, _frame("polygon"))
    titles = (getattr(style, "title_zh", ""), getattr(style, "title_en", ""))
    assert all(titles) and titles != (name, name)


@pytest.mark.parametrize("name", sorted(SITING_TITLES))
def test_siting_titles(name):
    assert (layer_title(name, "zh"), layer_title(name, "en")) == SITING_TITLES[name]


def test_siting_styles():
    # tables: classes of specific yield when it varies, else one PV fill
    tables = _frame("polygon", 4, kwh_per_kwp=[1000.0, 1050.0, 1100.0, 1150.0])
    s = default_style("pv_array_tables", tables)
    assert getattr(s, "value_field", None) == "kwh_per_kwp"
    flat = default_style("pv_array_tables", _frame("polygon", 2, kwh_per_kwp=[1000.0, 1000.0]))
    assert isinstance(flat, SingleStyle) and has_fill(flat.fill)
    # the usable area is an outline; exclusion zones transparent with a red outline
    area = default_style("pv_array_area", _frame("polygon", 1))
    assert isinstance(area, SingleStyle) and area.fill == NO_FILL and area.width >= 1.0
    excl = default_style("pv_array_exclusions", _frame("polygon", 2))
    r, g, b = (int(excl.outline[i:i + 2], 16) for i in (1, 3, 5))
    assert not has_fill(excl.fill) and r > 200 and g < 80 and b < 80
    # violations: red lines; receptors: small markers
    vio = default_style("wind_violations", _frame("line", 2))
    r, g, b = (int(vio.outline[i:i + 2], 16) for i in (1, 3, 5))
    assert r > 200 and g < 80 and b < 80 and vio.width >= 1.5
    rec = default_style("wind_receptors", _frame("point", 5))
    assert rec.marker_size_pt <= 5.0
    turb = default_style("turbines", _frame("point", 3))
    assert turb.marker_size_pt > rec.marker_size_pt


def test_empty_violations_layer_styles():
    empty = gpd.GeoDataFrame({"kind": []}, geometry=[], crs=4549)
    lyr = styled_layer("wind_violations", empty, lang="en")
    assert lyr.title == "Turbine constraint violations" and len(lyr.gdf) == 0


def test_demo_siting_layers_are_all_known():
    """The layers the demo's siting really makes carry these names (not e.g. ``pv_arrays``)."""
    from app.results import ParkResults, add_demo_siting
    from gis.park import load_sample_park

    res = add_demo_siting(ParkResults(park=load_sample_park()))
    made = set(res.layers()) - set(res.park.layers())
    assert made == set(SITING_TITLES) - ({"wind_receptors"} - made)
    assert made <= set(RESULT_LAYER_NAMES)
    from app.exports.export_all import DRAW_ORDER, PARK_MAP_LAYERS, WEB_LAYERS

    assert made <= set(DRAW_ORDER) and made <= set(WEB_LAYERS)
    assert {"pv_array_tables", "turbines"} <= set(PARK_MAP_LAYERS)
    assert not {n for n in (*DRAW_ORDER, *WEB_LAYERS, *PARK_MAP_LAYERS)} - set(KNOWN_LAYERS)
