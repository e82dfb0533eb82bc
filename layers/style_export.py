"""Export a :class:`GraduatedStyle` for other GIS: a QGIS 3 .qml and an SLD 1.0 (pure Python).

Both styles classify on the integer class field (``style.field``, values 1–5), not on the
float value with its breaks: QGIS's ``categorizedSymbol`` renderer and one SLD ``Rule`` per
class with ``PropertyIsEqualTo``. That reproduces exactly the classes Lingtan computed — the
same five colours for the same features whatever the method (ratio, quantiles, natural
breaks, target) and whatever the boundary convention (``lower < v ≤ upper``) — with no
infinite range ends, which QGIS's ``graduatedSymbol`` ranges cannot express. The breaks with
their unit are in the class labels (legend), missing/0/other values get the no-data grey
(QGIS's empty "all other values" category, the SLD ``ElseFilter``). Labels of ``label_field``
are included when the style has one (QGIS "simple" labeling, SLD ``TextSymbolizer``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from layers.style import ClassBreak, GraduatedStyle, hex_to_rgb

QML_DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
LABEL_FONT = "Microsoft YaHei"  # QGIS substitutes a CJK font where this one is missing
MM_PER_PX = 25.4 / 96  # style widths are pixels at 96 dpi

SLD_NS = "http://www.opengis.net/sld"
OGC_NS = "http://www.opengis.net/ogc"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def _rgba(colour: str, alpha: int = 255) -> str:
    r, g, b = hex_to_rgb(colour)
    return f"{r},{g},{b},{alpha}"


def _option(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, "Option", {"name": name, "type": "QString", "value": value})


def _qml_fill_symbol(name: str, fill: str, outline: str, outline_mm: float) -> ET.Element:
    symbol = ET.Element("symbol", {"type": "fill", "name": name, "alpha": "1",
                                   "clip_to_extent": "1", "force_rhr": "0"})
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill", "enabled": "1", "locked": "0",
                                            "pass": "0"})
    props = {"color": _rgba(fill), "style": "solid", "outline_color": _rgba(outline),
             "outline_style": "solid" if outline_mm > 0 else "no",
             "outline_width": f"{outline_mm:.3g}", "outline_width_unit": "MM",
             "joinstyle": "round", "offset": "0,0", "offset_unit": "MM"}
    opts = ET.SubElement(layer, "Option", {"type": "Map"})
    for k, v in props.items():  # QGIS ≥ 3.26 reads <Option>, older 3.x read <prop>
        _option(opts, k, v)
    for k, v in props.items():
        ET.SubElement(layer, "prop", {"k": k, "v": v})
    return symbol


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


def graduated_qml(style: GraduatedStyle, *, label_size_pt: float = 9.0) -> str:
    """A QGIS 3 layer style (.qml) reproducing ``style``: categorized on the class field."""
    outline_mm = style.outline_width_px * MM_PER_PX
    root = ET.Element("qgis", {"version": "3.28.0-Firenze",
                               "styleCategories": "Symbology|Labeling",
                               "labelsEnabled": "1" if style.label_field else "0"})
    root.append(ET.Comment(_provenance(style)))
    renderer = ET.SubElement(root, "renderer-v2", {
        "type": "categorizedSymbol", "attr": style.field, "symbollevels": "0",
        "enableorderby": "0", "forceraster": "0"})
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cb in enumerate(style.classes):
        ET.SubElement(categories, "category", {"value": str(cb.value), "symbol": str(i),
                                               "label": _label(style, cb), "render": "true"})
        symbols.append(_qml_fill_symbol(str(i), cb.colour, style.outline_colour, outline_mm))
    n = len(style.classes)
    # an empty value is QGIS's "all other values": NULL, 0, anything unclassified
    ET.SubElement(categories, "category", {"value": "", "symbol": str(n), "render": "true",
                                           "label": f"{style.no_data_label_zh} / {style.no_data_label_en}"})
    symbols.append(_qml_fill_symbol(str(n), style.no_data_colour, style.outline_colour, outline_mm))
    source = ET.SubElement(renderer, "source-symbol")
    source.append(_qml_fill_symbol("0", style.no_data_colour, style.outline_colour, outline_mm))
    ET.SubElement(renderer, "rotation")
    ET.SubElement(renderer, "sizescale")
    if style.label_field:
        root.append(_qml_labeling(style.label_field, label_size_pt))
    ET.SubElement(root, "layerGeometryType").text = "2"  # polygon
    ET.indent(root)
    return QML_DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"


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
    parts.append(f"classes on field '{style.field}' ")
    return "; ".join(parts).replace("--", "—")


# ---- SLD ---------------------------------------------------------------------------------------

def _css(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f"{{{SLD_NS}}}CssParameter", {"name": name}).text = value


def _sld_polygon(rule: ET.Element, fill: str, outline: str, outline_px: float) -> None:
    sym = ET.SubElement(rule, f"{{{SLD_NS}}}PolygonSymbolizer")
    fill_el = ET.SubElement(sym, f"{{{SLD_NS}}}Fill")
    _css(fill_el, "fill", fill.lower())
    _css(fill_el, "fill-opacity", "1")
    if outline_px > 0:
        stroke = ET.SubElement(sym, f"{{{SLD_NS}}}Stroke")
        _css(stroke, "stroke", outline.lower())
        _css(stroke, "stroke-width", f"{outline_px:g}")
        _css(stroke, "stroke-linejoin", "round")


def graduated_sld(style: GraduatedStyle, layer_name: str, *, label_size_pt: float = 9.0) -> str:
    """An SLD 1.0.0 style (GeoServer, QGIS, ArcGIS via import) reproducing ``style``: one Rule
    per class filtering on the class field, an ElseFilter rule for no data, and a
    TextSymbolizer rule for labels of ``style.label_field``."""
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
    ET.SubElement(user, f"{{{SLD_NS}}}Name").text = f"{layer_name}_five_colour"
    ET.SubElement(user, f"{{{SLD_NS}}}Title").text = f"{style.title_zh} / {style.title_en}"
    ET.SubElement(user, f"{{{SLD_NS}}}Abstract").text = _provenance(style).strip()
    fts = ET.SubElement(user, f"{{{SLD_NS}}}FeatureTypeStyle")
    for cb in style.classes:
        rule = ET.SubElement(fts, f"{{{SLD_NS}}}Rule")
        ET.SubElement(rule, f"{{{SLD_NS}}}Name").text = f"class_{cb.value}"
        ET.SubElement(rule, f"{{{SLD_NS}}}Title").text = _label(style, cb)
        flt = ET.SubElement(rule, f"{{{OGC_NS}}}Filter")
        eq = ET.SubElement(flt, f"{{{OGC_NS}}}PropertyIsEqualTo")
        ET.SubElement(eq, f"{{{OGC_NS}}}PropertyName").text = style.field
        ET.SubElement(eq, f"{{{OGC_NS}}}Literal").text = str(cb.value)
        _sld_polygon(rule, cb.colour, style.outline_colour, style.outline_width_px)
    rule = ET.SubElement(fts, f"{{{SLD_NS}}}Rule")
    ET.SubElement(rule, f"{{{SLD_NS}}}Name").text = "no_data"
    ET.SubElement(rule, f"{{{SLD_NS}}}Title").text = f"{style.no_data_label_zh} / {style.no_data_label_en}"
    ET.SubElement(rule, f"{{{SLD_NS}}}ElseFilter")
    _sld_polygon(rule, style.no_data_colour, style.outline_colour, style.outline_width_px)
    if style.label_field:  # its own FeatureTypeStyle, or the ElseFilter would never apply
        _sld_labels(ET.SubElement(user, f"{{{SLD_NS}}}FeatureTypeStyle"), style.label_field,
                    label_size_pt)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


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


def write_styles(style: GraduatedStyle, layer_name: str, *, qml_path: str | Path | None = None,
                 sld_path: str | Path | None = None) -> None:
    """Write the .qml and/or .sld files (UTF-8)."""
    if qml_path is not None:
        Path(qml_path).write_text(graduated_qml(style), encoding="utf-8")
    if sld_path is not None:
        Path(sld_path).write_text(graduated_sld(style, layer_name), encoding="utf-8")
