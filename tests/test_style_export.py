"""QGIS .qml and SLD exports of the five-colour style: valid XML, same colours, breaks, labels."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from layers.style import FIVE_COLOURS, NO_DATA_COLOUR, five_class_style, hex_to_rgb
from layers.style_export import OGC_NS, SLD_NS, graduated_qml, graduated_sld, write_styles

REPO = Path(__file__).resolve().parents[1]
LABELS = ["≤ 0.6", "0.6–0.8", "0.8–1.2", "1.2–2.0", "> 2.0"]
S, OG = f"{{{SLD_NS}}}", f"{{{OGC_NS}}}"


def _style(**kw):
    return five_class_style([0.6, 0.8, 1.2, 2.0], unit="tCO₂/万元", method_zh="基准比值法",
                            method_en="benchmark ratio", **kw)


def _qml_colour(symbol: ET.Element) -> str:
    rgba = symbol.find("layer/Option/Option[@name='color']").get("value")
    r, g, b, _ = (int(x) for x in rgba.split(","))
    return f"#{r:02x}{g:02x}{b:02x}"


def test_qml_is_categorized_on_the_class_field_with_the_five_colours():
    text = graduated_qml(_style(label_field="name"))
    assert text.startswith("<!DOCTYPE qgis")
    root = ET.fromstring(text)
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "class"
    cats = renderer.findall("categories/category")
    assert [c.get("value") for c in cats] == ["1", "2", "3", "4", "5", ""]
    for cat, label in zip(cats, LABELS, strict=False):
        assert cat.get("label") == f"{label} tCO₂/万元"
    assert "无数据" in cats[-1].get("label")
    symbols = {s.get("name"): s for s in renderer.findall("symbols/symbol")}
    colours = [_qml_colour(symbols[c.get("symbol")]) for c in cats]
    assert colours == [*FIVE_COLOURS, NO_DATA_COLOUR]
    # old-style <prop> too, for QGIS before 3.26
    r, g, b = hex_to_rgb(FIVE_COLOURS[0])
    assert symbols["0"].find("layer/prop[@k='color']").get("v") == f"{r},{g},{b},255"
    # labels of the name field, only where they fit the polygon
    assert root.get("labelsEnabled") == "1"
    assert root.find("labeling/settings/text-style").get("fieldName") == "name"
    assert root.find("labeling/settings/placement").get("fitInPolygonOnly") == "1"


def test_qml_without_labels_and_with_odd_characters():
    style = _style()
    style.field = "级别&<class>"
    root = ET.fromstring(graduated_qml(style))
    assert root.find("renderer-v2").get("attr") == "级别&<class>"
    assert root.find("labeling") is None and root.get("labelsEnabled") == "0"


def _ogc_eval(el, row: dict) -> bool | None:
    """OGC Filter 1.0 (the operators Lingtan writes) on ``row`` in SQL's three-valued logic, as
    QGIS evaluates the expression it makes of it: a comparison with null is unknown (None), and
    NOT unknown is unknown."""
    tag = el.tag.split("}")[1]
    if tag in ("And", "Or"):
        results = [_ogc_eval(c, row) for c in el]
        if tag == "And":
            return False if False in results else (None if None in results else True)
        return True if True in results else (None if None in results else False)
    if tag == "Not":
        inner = _ogc_eval(el[0], row)
        return None if inner is None else not inner
    v = row.get(el.find(f"{OG}PropertyName").text)
    if tag == "PropertyIsNull":
        return v is None
    if v is None:
        return None
    lit = float(el.find(f"{OG}Literal").text)
    return {"PropertyIsEqualTo": v == lit, "PropertyIsGreaterThan": v > lit,
            "PropertyIsLessThanOrEqualTo": v <= lit}[tag]


def test_sld_has_one_rule_per_class_and_an_else_rule():
    text = graduated_sld(_style(label_field="name"), "乡镇五色图")
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{S}StyledLayerDescriptor" and root.get("version") == "1.0.0"
    assert root.find(f"{S}NamedLayer/{S}Name").text == "乡镇五色图"
    fts = root.findall(f".//{S}FeatureTypeStyle")
    assert len(fts) == 2  # classes, then labels (an unfiltered rule would disable ElseFilter)
    rules = fts[0].findall(f"{S}Rule")
    assert len(rules) == 6
    fills = [r.find(f".//{S}PolygonSymbolizer/{S}Fill/{S}CssParameter[@name='fill']").text
             for r in rules]
    assert fills == [*FIVE_COLOURS, NO_DATA_COLOUR]
    for value, rule in enumerate(rules[:5], start=1):
        eq = rule.find(f"{OG}Filter/{OG}PropertyIsEqualTo")
        assert eq.find(f"{OG}PropertyName").text == "class"
        assert eq.find(f"{OG}Literal").text == str(value)
        assert rule.find(f"{S}Title").text == f"{LABELS[value - 1]} tCO₂/万元"
    # no ElseFilter (QGIS 3.22 reads it as "always"): an explicit filter that, evaluated here, holds
    # exactly for the features no class rule takes — class 0 and null
    assert rules[5].find(f"{S}ElseFilter") is None
    for value in (0, 1, 2, 3, 4, 5, None):
        matched = [i for i, r in enumerate(rules)
                   if _ogc_eval(r.find(f"{OG}Filter")[0], {"class": value}) is True]
        assert matched == ([value - 1] if value in (1, 2, 3, 4, 5) else [5]), value
    label = fts[1].find(f"{S}Rule/{S}TextSymbolizer/{S}Label/{OG}PropertyName")
    assert label.text == "name"
    assert fts[1].find(f".//{S}Halo") is not None


def test_write_styles(tmp_path):
    write_styles(_style(), "乡镇", qml_path=tmp_path / "a.qml", sld_path=tmp_path / "a.sld")
    for name in ("a.qml", "a.sld"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        ET.fromstring(text.encode("utf-8"))
        assert "0.6–0.8" in text


def test_style_and_exports_do_not_load_qt():
    code = ("import sys, layers.style, layers.style_export, layers.layer; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
