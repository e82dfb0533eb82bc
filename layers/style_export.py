"""Export layer styles for other GIS: QGIS 3 .qml and SLD 1.0 (pure Python).

Any style (:func:`style_qml`, :func:`style_sld`): :class:`SingleStyle` → QGIS ``singleSymbol``;
:class:`CategorizedStyle` → ``categorizedSymbol`` (:func:`categorized_qml`, SLD rules with
``PropertyIsEqualTo`` and an explicit "every other value" rule); a :class:`GraduatedStyle` with
``value_field`` (range classes, :func:`range_style`) → QGIS ``graduatedSymbol`` ranges on that
field (an open end is written as ±1e308; QGIS takes the first range with ``lower ≤ v ≤ upper``,
so with ascending ranges a value on a break falls in the lower class, as in Lingtan; NULL
features are not drawn by QGIS's graduated renderer) and SLD rules ``PropertyIsGreaterThan`` lower AND
``PropertyIsLessThanOrEqualTo`` upper, no data by an explicit rule (null, or no class applies —
not ``ElseFilter``, which QGIS 3.22 reads as "always"). Symbols follow the geometry
(``geometry="polygon" | "line" | "point"``): fill, line or circle marker.

Graduated styles on an integer class field (the five-colour map):

Both styles classify on the integer class field (``style.field``, values 1–5), not on the
float value with its breaks: QGIS's ``categorizedSymbol`` renderer and one SLD ``Rule`` per
class with ``PropertyIsEqualTo``. That reproduces exactly the classes Lingtan computed — the
same five colours for the same features whatever the method (ratio, quantiles, natural
breaks, target) and whatever the boundary convention (``lower < v ≤ upper``) — with no
infinite range ends, which QGIS's ``graduatedSymbol`` ranges cannot express. The breaks with
their unit are in the class labels (legend), missing/0/other values get the no-data grey
(QGIS's empty "all other values" category, an explicit SLD rule). Labels of ``label_field``
are included when the style has one (QGIS "simple" labeling, SLD ``TextSymbolizer``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from layers.style import (
    CategorizedStyle,
    ClassBreak,
    GraduatedStyle,
    SingleStyle,
    Style,
    has_fill,
    hex_to_rgb,
)

QML_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
LABEL_FONT = "Microsoft YaHei"  # QGIS substitutes a CJK font where this one is missing
MM_PER_PX = 25.4 / 96  # style widths are pixels at 96 dpi
MM_PER_PT = 25.4 / 72
OPEN_END = 1e308  # QGIS ranges need numbers: an open end is ±1e308 (DBL_MAX ≈ 1.8e308)
GEOMETRIES = ("polygon", "line", "point")
_QGIS_GEOMETRY_TYPE = {"point": "0", "line": "1", "polygon": "2"}

SLD_NS = "http://www.opengis.net/sld"
OGC_NS = "http://www.opengis.net/ogc"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _rgba(colour: str, alpha: int = 255) -> str:
    if not has_fill(colour):
        return "0,0,0,0"
    r, g, b = hex_to_rgb(colour)
    return f"{r},{g},{b},{alpha}"


def _option(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "Option", {"name": name, "type": "QString", "value": value})


def _qml_fill_symbol(name: str, fill: str, outline: str, outline_mm: float) -> ET.Element:
    props = {"color": _rgba(fill), "style": "solid" if has_fill(fill) else "no",
             "outline_color": _rgba(outline),
             "outline_style": "solid" if outline_mm > 0 else "no",
             "outline_width": f"{outline_mm:.3g}", "outline_width_unit": "MM",
             "joinstyle": "round", "offset": "0,0", "offset_unit": "MM"}
    return _qml_symbol_element("fill", "SimpleFill", name, props)


def _qml_symbol_element(kind: str, layer_class: str, name: str, props: dict[str, str]) -> ET.Element:
    symbol = ET.Element("symbol", {"type": kind, "name": name, "alpha": "1",
                                   "clip_to_extent": "1", "force_rhr": "0"})
    layer = ET.SubElement(symbol, "layer", {"class": layer_class, "enabled": "1", "locked": "0",
                                            "pass": "0"})
    opts = ET.SubElement(layer, "Option", {"type": "Map"})
    for k, v in props.items():  # QGIS ≥ 3.26 reads <Option>, older 3.x read <prop>
        _option(opts, k, v)
    for k, v in props.items():
        ET.SubElement(layer, "prop", {"k": k, "v": v})
    return symbol


def _qml_symbol(geometry: str, name: str, colour: str, outline: str, outline_px: float,
                line_px: float, marker_pt: float) -> ET.Element:
    """A QGIS symbol for ``geometry``: fill (polygon), line (stroke in ``colour``) or circle."""
    if geometry == "polygon":
        return _qml_fill_symbol(name, colour, outline, outline_px * MM_PER_PX)
    if geometry == "line":
        props = {"line_color": _rgba(colour), "line_style": "solid",
                 "line_width": f"{line_px * MM_PER_PX:.3g}", "line_width_unit": "MM",
                 "capstyle": "round", "joinstyle": "round", "offset": "0", "offset_unit": "MM"}
        return _qml_symbol_element("line", "SimpleLine", name, props)
    if geometry == "point":
        props = {"name": "circle", "color": _rgba(colour), "outline_color": _rgba(outline),
                 "outline_style": "solid" if outline_px > 0 else "no",
                 "outline_width": f"{outline_px * MM_PER_PX:.3g}", "outline_width_unit": "MM",
                 "size": f"{marker_pt * MM_PER_PT:.3g}", "size_unit": "MM",
                 "scale_method": "diameter", "offset": "0,0", "offset_unit": "MM"}
        return _qml_symbol_element("marker", "SimpleMarker", name, props)
    raise ValueError(f"geometry must be one of {GEOMETRIES}, got {geometry!r}")


def _qml_root(label_field: str | None, comment: str) -> ET.Element:
    root = ET.Element("qgis", {"version": "3.28.0-Firenze",
                               "styleCategories": "Symbology|Labeling",
                               "labelsEnabled": "1" if label_field else "0"})
    root.append(ET.Comment(comment.replace("--", "—")))
    return root


def _qml_finish(root: ET.Element, renderer: ET.Element, label_field: str | None, label_size_pt: float,
                geometry: str) -> str:
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    if label_field:
        root.append(_qml_labeling(label_field, label_size_pt))
    ET.SubElement(root, "layerGeometryType").text = _QGIS_GEOMETRY_TYPE[geometry]
    ET.indent(root)
    return QML_DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def _qml_labeling(field: str, size_pt: float = 9.0) -> ET.Element:
    labeling = ET.Element("labeling", {"type": "simple"})
    settings = ET.SubElement(labeling, "settings", {"calloutType": "simple"})
    text = ET.SubElement(settings, "text-style", {
        "fieldName": field, "isExpression": "0", "fontFamily": LABEL_FONT, "fontSize": f"{size_pt:g}",
        "fontSizeUnit": "Point", "textColor": "32,32,32,255", "textOpacity": "1",
        "namedStyle": "Regular", "fontWeight": "50", "multilineHeight": "1"})
    ET.SubElement(text, "text-buffer", {
        "bufferDraw": "1", "bufferSize": "0.5", "bufferSizeUnits": "MM",
        "bufferColor": "255,255,255,255", "bufferOpacity": "0.9", "bufferNoFill": "1",
        "bufferJoinStyle": "128"})
    # OverPoint (1) at the centroid kept inside, only where the label fits the polygon
    ET.SubElement(settings, "placement", {
        "placement": "1", "centroidInside": "1", "centroidWhole": "0", "fitInPolygonOnly": "1",
        "quadOffset": "4", "dist": "0", "distUnits": "MM", "priority": "5"})
    ET.SubElement(settings, "rendering", {
        "drawLabels": "1", "obstacle": "1", "displayAll": "0", "upsidedownLabels": "0",
        "limitNumLabels": "0", "mergeLines": "0", "minFeatureSize": "0", "scaleVisibility": "0"})
    return labeling


def graduated_qml(style: GraduatedStyle, *, label_size_pt: float = 9.0,
                  geometry: str = "polygon") -> str:
    """A QGIS 3 layer style (.qml) reproducing ``style``: categorized on the class field, or
    ``graduatedSymbol`` ranges on ``style.value_field`` for range styles."""
    if geometry not in GEOMETRIES:
        raise ValueError(f"geometry must be one of {GEOMETRIES}, got {geometry!r}")
    root = _qml_root(style.label_field, _provenance(style))

    def symbol(name: str, colour: str) -> ET.Element:
        return _qml_symbol(geometry, name, colour, style.outline_colour, style.outline_width_px,
                           style.line_width_px, style.marker_size_pt)

    if style.value_field:
        renderer = ET.SubElement(root, "renderer-v2", {
            "type": "graduatedSymbol", "attr": style.value_field, "graduatedMethod": "GraduatedColor",
            "symbollevels": "0", "enableorderby": "0", "forceraster": "0"})
        ranges = ET.SubElement(renderer, "ranges")
        symbols = ET.SubElement(renderer, "symbols")
        for i, cb in enumerate(style.classes):
            lower = -OPEN_END if cb.lower is None else float(cb.lower)
            upper = OPEN_END if cb.upper is None else float(cb.upper)
            ET.SubElement(ranges, "range", {"lower": repr(lower), "upper": repr(upper),
                                            "symbol": str(i), "label": _label(style, cb),
                                            "render": "true"})
            symbols.append(symbol(str(i), cb.colour))
        source = ET.SubElement(renderer, "source-symbol")
        source.append(symbol("0", style.no_data_colour))
        ET.SubElement(renderer, "mode", {"name": "manual"})
        return _qml_finish(root, renderer, style.label_field, label_size_pt, geometry)
    renderer = ET.SubElement(root, "renderer-v2", {
        "type": "categorizedSymbol", "attr": style.field, "symbollevels": "0",
        "enableorderby": "0", "forceraster": "0"})
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cb in enumerate(style.classes):
        ET.SubElement(categories, "category", {"value": str(cb.value), "symbol": str(i),
                                               "label": _label(style, cb), "render": "true"})
        symbols.append(symbol(str(i), cb.colour))
    n = len(style.classes)
    # an empty value is QGIS's "all other values": NULL, 0, anything unclassified
    ET.SubElement(categories, "category", {"value": "", "symbol": str(n), "render": "true",
                                           "label": f"{style.no_data_label_zh} / {style.no_data_label_en}"})
    symbols.append(symbol(str(n), style.no_data_colour))
    source = ET.SubElement(renderer, "source-symbol")
    source.append(symbol("0", style.no_data_colour))
    return _qml_finish(root, renderer, style.label_field, label_size_pt, geometry)


def categorized_qml(style: CategorizedStyle, *, label_size_pt: float = 9.0,
                    geometry: str = "polygon") -> str:
    """A QGIS 3 ``categorizedSymbol`` style on ``style.field``; other values get ``other_colour``
    (QGIS's empty "all other values" category)."""
    if geometry not in GEOMETRIES:
        raise ValueError(f"geometry must be one of {GEOMETRIES}, got {geometry!r}")
    root = _qml_root(style.label_field, f" Lingtan 零碳: {style.title_zh} / {style.title_en}; "
                                        f"categories of field '{style.field}' ")

    def symbol(name: str, colour: str) -> ET.Element:
        return _qml_symbol(geometry, name, colour, style.outline, style.width, style.line_width_px,
                           style.marker_size_pt)

    renderer = ET.SubElement(root, "renderer-v2", {
        "type": "categorizedSymbol", "attr": style.field, "symbollevels": "0",
        "enableorderby": "0", "forceraster": "0"})
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, c in enumerate(style.categories):
        ET.SubElement(categories, "category", {"value": _value_text(c.value), "symbol": str(i),
                                               "label": _pair(c.label_zh, c.label_en), "render": "true"})
        symbols.append(symbol(str(i), c.colour))
    n = len(style.categories)
    ET.SubElement(categories, "category", {"value": "", "symbol": str(n), "render": "true",
                                           "label": _pair(style.other_label_zh, style.other_label_en)})
    symbols.append(symbol(str(n), style.other_colour))
    source = ET.SubElement(renderer, "source-symbol")
    source.append(symbol("0", style.other_colour))
    return _qml_finish(root, renderer, style.label_field, label_size_pt, geometry)


def single_qml(style: SingleStyle, *, label_size_pt: float = 9.0, geometry: str = "polygon") -> str:
    """A QGIS 3 ``singleSymbol`` style."""
    if geometry not in GEOMETRIES:
        raise ValueError(f"geometry must be one of {GEOMETRIES}, got {geometry!r}")
    root = _qml_root(style.label_field, f" Lingtan 零碳: {style.title_zh} / {style.title_en} ")
    renderer = ET.SubElement(root, "renderer-v2", {"type": "singleSymbol", "symbollevels": "0",
                                                   "enableorderby": "0", "forceraster": "0"})
    symbols = ET.SubElement(renderer, "symbols")
    colour = style.outline if geometry == "line" else style.fill
    symbols.append(_qml_symbol(geometry, "0", colour, style.outline, style.width, style.width,
                               style.marker_size_pt))
    return _qml_finish(root, renderer, style.label_field, label_size_pt, geometry)


def style_qml(style: Style, *, geometry: str = "polygon", label_size_pt: float = 9.0) -> str:
    """The QGIS .qml of any Lingtan style."""
    if isinstance(style, GraduatedStyle):
        return graduated_qml(style, label_size_pt=label_size_pt, geometry=geometry)
    if isinstance(style, CategorizedStyle):
        return categorized_qml(style, label_size_pt=label_size_pt, geometry=geometry)
    return single_qml(style, label_size_pt=label_size_pt, geometry=geometry)


def _value_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _pair(zh: str, en: str) -> str:
    return zh if zh == en or not en else f"{zh} / {en}"


def _label(style: GraduatedStyle, cb: ClassBreak) -> str:
    """Bilingual class label with breaks and unit, e.g. "≤ 0.6 tCO₂/万元"."""
    zh, en = style.row_label(cb, "zh"), style.row_label(cb, "en")
    return zh if zh == en else f"{zh} / {en}"


def _provenance(style: GraduatedStyle) -> str:
    parts = [f" Lingtan 零碳: {style.title_zh} / {style.title_en}"]
    method = " / ".join(m for m in (style.method_zh, style.method_en) if m)
    if method:
        parts.append(f"method: {method}")
    if style.unit:
        parts.append(f"unit: {style.unit}")
    if style.value_field:
        parts.append(f"ranges (lower < v ≤ upper) of field '{style.value_field}' ")
    else:
        parts.append(f"classes on field '{style.field}' ")
    return "; ".join(parts).replace("--", "—")


# ---- SLD ---------------------------------------------------------------------------------------

def _css(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f"{{{SLD_NS}}}CssParameter", {"name": name}).text = value


def _sld_polygon(rule: ET.Element, fill: str, outline: str, outline_px: float) -> None:
    sym = ET.SubElement(rule, f"{{{SLD_NS}}}PolygonSymbolizer")
    if has_fill(fill):
        fill_el = ET.SubElement(sym, f"{{{SLD_NS}}}Fill")
        _css(fill_el, "fill", fill.lower())
        _css(fill_el, "fill-opacity", "1")
    if outline_px > 0:
        stroke = ET.SubElement(sym, f"{{{SLD_NS}}}Stroke")
        _css(stroke, "stroke", outline.lower())
        _css(stroke, "stroke-width", f"{outline_px:g}")
        _css(stroke, "stroke-linejoin", "round")


def _sld_symbolizer(rule: ET.Element, geometry: str, colour: str, outline: str, outline_px: float,
                    line_px: float, marker_pt: float) -> None:
    """Polygon (fill + stroke), line (stroke in ``colour``) or point (circle mark) symbolizer."""
    if geometry == "polygon":
        _sld_polygon(rule, colour, outline, outline_px)
    elif geometry == "line":
        sym = ET.SubElement(rule, f"{{{SLD_NS}}}LineSymbolizer")
        stroke = ET.SubElement(sym, f"{{{SLD_NS}}}Stroke")
        _css(stroke, "stroke", colour.lower())
        _css(stroke, "stroke-width", f"{line_px:g}")
        _css(stroke, "stroke-linecap", "round")
    elif geometry == "point":
        sym = ET.SubElement(rule, f"{{{SLD_NS}}}PointSymbolizer")
        graphic = ET.SubElement(sym, f"{{{SLD_NS}}}Graphic")
        mark = ET.SubElement(graphic, f"{{{SLD_NS}}}Mark")
        ET.SubElement(mark, f"{{{SLD_NS}}}WellKnownName").text = "circle"
        fill = ET.SubElement(mark, f"{{{SLD_NS}}}Fill")
        _css(fill, "fill", colour.lower())
        if outline_px > 0:
            stroke = ET.SubElement(mark, f"{{{SLD_NS}}}Stroke")
            _css(stroke, "stroke", outline.lower())
            _css(stroke, "stroke-width", f"{outline_px:g}")
        ET.SubElement(graphic, f"{{{SLD_NS}}}Size").text = f"{marker_pt * 96 / 72:.3g}"  # pixels
    else:
        raise ValueError(f"geometry must be one of {GEOMETRIES}, got {geometry!r}")


def _sld_root(layer_name: str, style_name: str, title: str, abstract: str) -> tuple[ET.Element, ET.Element]:
    ET.register_namespace("", SLD_NS)
    ET.register_namespace("ogc", OGC_NS)
    ET.register_namespace("xlink", XLINK_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(f"{{{SLD_NS}}}StyledLayerDescriptor", {
        "version": "1.0.0",
        f"{{{XSI_NS}}}schemaLocation":
            f"{SLD_NS} http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd"})
    named = ET.SubElement(root, f"{{{SLD_NS}}}NamedLayer")
    ET.SubElement(named, f"{{{SLD_NS}}}Name").text = layer_name
    user = ET.SubElement(named, f"{{{SLD_NS}}}UserStyle")
    ET.SubElement(user, f"{{{SLD_NS}}}Name").text = style_name
    ET.SubElement(user, f"{{{SLD_NS}}}Title").text = title
    ET.SubElement(user, f"{{{SLD_NS}}}Abstract").text = abstract
    return root, user


def _sld_finish(root: ET.Element, user: ET.Element, label_field: str | None, label_size_pt: float) -> str:
    if label_field:  # its own FeatureTypeStyle: a label rule among the class rules would match every feature
        _sld_labels(ET.SubElement(user, f"{{{SLD_NS}}}FeatureTypeStyle"), label_field, label_size_pt)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _sld_rule(fts: ET.Element, name: str, title: str) -> ET.Element:
    rule = ET.SubElement(fts, f"{{{SLD_NS}}}Rule")
    ET.SubElement(rule, f"{{{SLD_NS}}}Name").text = name
    ET.SubElement(rule, f"{{{SLD_NS}}}Title").text = title
    return rule


def _ogc_compare(parent: ET.Element, op: str, field: str, literal: str) -> None:
    el = ET.SubElement(parent, f"{{{OGC_NS}}}{op}")
    ET.SubElement(el, f"{{{OGC_NS}}}PropertyName").text = field
    ET.SubElement(el, f"{{{OGC_NS}}}Literal").text = literal


def _range_condition(parent: ET.Element, field: str, lower: float | None, upper: float | None) -> None:
    """Append ``lower < field ≤ upper`` to ``parent`` (an open end drops its comparison; both
    open: field not null)."""
    tests = []
    if lower is not None:
        tests.append(("PropertyIsGreaterThan", repr(float(lower))))
    if upper is not None:
        tests.append(("PropertyIsLessThanOrEqualTo", repr(float(upper))))
    if not tests:
        neg = ET.SubElement(parent, f"{{{OGC_NS}}}Not")
        null = ET.SubElement(neg, f"{{{OGC_NS}}}PropertyIsNull")
        ET.SubElement(null, f"{{{OGC_NS}}}PropertyName").text = field
        return
    target = ET.SubElement(parent, f"{{{OGC_NS}}}And") if len(tests) == 2 else parent
    for op, lit in tests:
        _ogc_compare(target, op, field, lit)


def _range_filter(rule: ET.Element, field: str, lower: float | None, upper: float | None) -> None:
    """A rule's filter ``lower < field ≤ upper``."""
    _range_condition(ET.SubElement(rule, f"{{{OGC_NS}}}Filter"), field, lower, upper)


def _else_filter(rule: ET.Element, field: str, conditions: list) -> None:
    """The filter of "every other feature": the field is null, or none of ``conditions`` holds —
    written out, because QGIS 3.22 reads ``ElseFilter`` as "always" and paints everything in the
    no-data colour. Each condition is a function appending its test to a parent element."""
    flt = ET.SubElement(rule, f"{{{OGC_NS}}}Filter")
    either = ET.SubElement(flt, f"{{{OGC_NS}}}Or")
    null = ET.SubElement(either, f"{{{OGC_NS}}}PropertyIsNull")
    ET.SubElement(null, f"{{{OGC_NS}}}PropertyName").text = field
    neg = ET.SubElement(either, f"{{{OGC_NS}}}Not")
    target = ET.SubElement(neg, f"{{{OGC_NS}}}Or") if len(conditions) > 1 else neg
    for add in conditions:
        add(target)


def graduated_sld(style: GraduatedStyle, layer_name: str, *, label_size_pt: float = 9.0,
                  geometry: str = "polygon") -> str:
    """An SLD 1.0.0 style (GeoServer, QGIS, ArcGIS via import) reproducing ``style``: one Rule
    per class (equal to the class code, or the range ``lower < v ≤ upper`` of ``value_field``),
    an explicit no-data rule, and a TextSymbolizer rule for labels of ``style.label_field``."""
    root, user = _sld_root(layer_name, f"{layer_name}_five_colour" if not style.value_field
                           else f"{layer_name}_graduated", f"{style.title_zh} / {style.title_en}",
                           _provenance(style).strip())
    fts = ET.SubElement(user, f"{{{SLD_NS}}}FeatureTypeStyle")

    def symbolize(rule: ET.Element, colour: str) -> None:
        _sld_symbolizer(rule, geometry, colour, style.outline_colour, style.outline_width_px,
                        style.line_width_px, style.marker_size_pt)

    conditions = []
    for cb in style.classes:
        rule = _sld_rule(fts, f"class_{cb.value}", _label(style, cb))
        if style.value_field:
            def add(parent, cb=cb):
                _range_condition(parent, style.value_field, cb.lower, cb.upper)
        else:
            def add(parent, cb=cb):
                _ogc_compare(parent, "PropertyIsEqualTo", style.field, str(cb.value))
        add(ET.SubElement(rule, f"{{{OGC_NS}}}Filter"))
        conditions.append(add)
        symbolize(rule, cb.colour)
    rule = _sld_rule(fts, "no_data", f"{style.no_data_label_zh} / {style.no_data_label_en}")
    _else_filter(rule, style.value_field or style.field, conditions)
    symbolize(rule, style.no_data_colour)
    return _sld_finish(root, user, style.label_field, label_size_pt)


def categorized_sld(style: CategorizedStyle, layer_name: str, *, label_size_pt: float = 9.0,
                    geometry: str = "polygon") -> str:
    """An SLD 1.0.0 style: one ``PropertyIsEqualTo`` rule per category, an explicit rule for other."""
    root, user = _sld_root(layer_name, f"{layer_name}_categorized",
                           f"{style.title_zh} / {style.title_en}",
                           f"Lingtan 零碳: categories of field '{style.field}'")
    fts = ET.SubElement(user, f"{{{SLD_NS}}}FeatureTypeStyle")

    def symbolize(rule: ET.Element, colour: str) -> None:
        _sld_symbolizer(rule, geometry, colour, style.outline, style.width, style.line_width_px,
                        style.marker_size_pt)

    conditions = []
    for i, c in enumerate(style.categories):
        rule = _sld_rule(fts, f"category_{i}", _pair(c.label_zh, c.label_en))

        def add(parent, c=c):
            _ogc_compare(parent, "PropertyIsEqualTo", style.field, _value_text(c.value))
        add(ET.SubElement(rule, f"{{{OGC_NS}}}Filter"))
        conditions.append(add)
        symbolize(rule, c.colour)
    rule = _sld_rule(fts, "other", _pair(style.other_label_zh, style.other_label_en))
    _else_filter(rule, style.field, conditions)
    symbolize(rule, style.other_colour)
    return _sld_finish(root, user, style.label_field, label_size_pt)


def single_sld(style: SingleStyle, layer_name: str, *, label_size_pt: float = 9.0,
               geometry: str = "polygon") -> str:
    """An SLD 1.0.0 style with one unfiltered rule."""
    root, user = _sld_root(layer_name, f"{layer_name}_single", f"{style.title_zh} / {style.title_en}",
                           "Lingtan 零碳")
    fts = ET.SubElement(user, f"{{{SLD_NS}}}FeatureTypeStyle")
    rule = _sld_rule(fts, "all", layer_name)
    colour = style.outline if geometry == "line" else style.fill
    _sld_symbolizer(rule, geometry, colour, style.outline, style.width, style.width, style.marker_size_pt)
    return _sld_finish(root, user, style.label_field, label_size_pt)


def style_sld(style: Style, layer_name: str, *, geometry: str = "polygon",
              label_size_pt: float = 9.0) -> str:
    """The SLD 1.0.0 of any Lingtan style."""
    if isinstance(style, GraduatedStyle):
        return graduated_sld(style, layer_name, label_size_pt=label_size_pt, geometry=geometry)
    if isinstance(style, CategorizedStyle):
        return categorized_sld(style, layer_name, label_size_pt=label_size_pt, geometry=geometry)
    return single_sld(style, layer_name, label_size_pt=label_size_pt, geometry=geometry)


def _sld_labels(fts: ET.Element, field: str, size_pt: float) -> None:
    rule = ET.SubElement(fts, f"{{{SLD_NS}}}Rule")
    ET.SubElement(rule, f"{{{SLD_NS}}}Name").text = "labels"
    text = ET.SubElement(rule, f"{{{SLD_NS}}}TextSymbolizer")
    label = ET.SubElement(text, f"{{{SLD_NS}}}Label")
    ET.SubElement(label, f"{{{OGC_NS}}}PropertyName").text = field
    font = ET.SubElement(text, f"{{{SLD_NS}}}Font")
    _css(font, "font-family", LABEL_FONT)
    _css(font, "font-family", "SimHei")
    _css(font, "font-size", f"{size_pt * 96 / 72:.0f}")  # SLD sizes are pixels
    _css(font, "font-style", "normal")
    _css(font, "font-weight", "normal")
    placement = ET.SubElement(text, f"{{{SLD_NS}}}LabelPlacement")
    point = ET.SubElement(placement, f"{{{SLD_NS}}}PointPlacement")
    anchor = ET.SubElement(point, f"{{{SLD_NS}}}AnchorPoint")
    ET.SubElement(anchor, f"{{{SLD_NS}}}AnchorPointX").text = "0.5"
    ET.SubElement(anchor, f"{{{SLD_NS}}}AnchorPointY").text = "0.5"
    halo = ET.SubElement(text, f"{{{SLD_NS}}}Halo")
    ET.SubElement(halo, f"{{{SLD_NS}}}Radius").text = "1.5"
    halo_fill = ET.SubElement(halo, f"{{{SLD_NS}}}Fill")
    _css(halo_fill, "fill", "#ffffff")
    fill = ET.SubElement(text, f"{{{SLD_NS}}}Fill")
    _css(fill, "fill", "#202020")
    # GeoServer vendor options: keep labels inside their polygon, no overlaps
    for name, value in (("goodnessOfFit", "0.9"), ("conflictResolution", "true"), ("autoWrap", "0")):
        ET.SubElement(text, f"{{{SLD_NS}}}VendorOption", {"name": name}).text = value


def write_styles(style: Style, layer_name: str, *, qml_path: str | Path | None = None,
                 sld_path: str | Path | None = None, geometry: str = "polygon") -> None:
    """Write the .qml and/or .sld files (UTF-8) of any style."""
    if qml_path is not None:
        Path(qml_path).write_text(style_qml(style, geometry=geometry), encoding="utf-8")
    if sld_path is not None:
        Path(sld_path).write_text(style_sld(style, layer_name, geometry=geometry), encoding="utf-8")
