"""No user text reaches a template engine as template text (the web map is built with folium/branca,
whose elements compile rendered output as Jinja2 templates).

Every text that can come from the user — attribute values, field names, category labels in the
legend, layer titles, the page title, the basemap attribution, the file name — is set to template
syntax of Jinja2 and of other engines; each must reach the page unchanged (as data), nothing may be
evaluated, no file may be created and the export must not fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from app.exports.web_map import write_web_map
from layers.layer import VectorLayer
from layers.style import SingleStyle, categorized_style


# Jinja2 expressions, statements, comments and broken syntax (a "{{" followed by a quote crashed the
# export), a payload without quotes that creates a directory when evaluated, and the syntax of other
# engines (Mako/JS template literals, ERB/EJS, Ruby/Pug interpolation, Python str.format/%-format,
# Handlebars/Mustache triple braces, Django/Jinja line statements).
def _payloads(marker_dir: Path) -> list[str]:
    mkdir = ("{{ cycler.__init__.__globals__.os.mkdir(cycler.__init__.__globals__.os.path.join("
             + ", ".join(f"{json.dumps(p)}" for p in marker_dir.parts[1:]) + ")) }}")
    unquoted = ("{{ lipsum.__globals__.os.makedirs(lipsum.__globals__.__builtins__.chr(47)) }}")
    return [
        "{{ 7*7 }}", "{{7*'7'}}", '{{ "', "{{ '", "{% for x in range(3) %}x{% endfor %}", "{# c #}",
        "{% raw %}", "{%- endraw %}", "}} {{", "{{", "{%", "{#", mkdir, unquoted,
        "${7*7}", "<%= 7*7 %>", "#{7*7}", "{7*7}", "{0.__class__}", "%(x)s %s", "{{{7*7}}}",
        "[[7*7]]", "<script>alert(1)</script>", "\\u003c/script\\u003e", "</script>{{ 7*7 }}",
    ]


def _page_strings(text: str) -> list[str]:
    """Every JSON string literal in the page, decoded."""
    out = []
    for m in re.finditer(r'"(?:[^"\\\n]|\\.)*"', text):
        try:
            out.append(json.loads(m.group(0)))
        except ValueError:
            pass
    return out


def _features(text: str) -> list[dict]:
    out = []
    for m in re.finditer(r'_add\((\{"type": ?"FeatureCollection".*?\})\);\n', text, re.S):
        out += json.loads(m.group(1))["features"]
    return out


@pytest.mark.parametrize("where", ["attributes", "titles"])
def test_template_syntax_is_data_everywhere(tmp_path, where):
    marker = tmp_path / "pwned"
    payloads = _payloads(marker)
    n = len(payloads)
    boxes = [shapely.box(120 + 0.002 * i, 30.0, 120.001 + 0.002 * i, 30.001) for i in range(n)]
    if where == "attributes":
        # values in a text field, field names, and category labels shown in the legend
        gdf = gpd.GeoDataFrame({"name": payloads, "use": payloads, "{{ 6*6 }}": payloads},
                               geometry=boxes, crs=4326)
        style = categorized_style(gdf["use"], "use", title_zh="{{ 4*4 }}用途")
        layer = VectorLayer("my_layer", gdf, style, title="楼")
        title, attribution = "园区", "© test"
    else:
        gdf = gpd.GeoDataFrame({"name": ["a"] * n}, geometry=boxes, crs=4326)
        layers = [VectorLayer(f"l{i}", gdf.iloc[[i]], SingleStyle(), title=p) for i, p in enumerate(payloads)]
        title, attribution = "{{ 8*8 }}" + "{% if 1 %}IF{% endif %}", "{{ 9*9 }} {%"
    layers = [layer] if where == "attributes" else layers
    name = "{{ 5*5 }}{% x %}.html"
    path = write_web_map(layers, tmp_path / name, title=title,
                         basemap=("https://t.example/{z}/{x}/{y}.png", attribution))
    assert path.name == name and path.exists()
    assert not marker.exists() and not Path("/").joinpath("pwned").exists()
    text = path.read_text(encoding="utf-8")
    # nothing was evaluated
    for evaluated in ("49", "7777777", "64", "81", "25", "36", "16", "IF"):
        assert evaluated not in _page_strings(text), evaluated
    strings = _page_strings(text)
    if where == "attributes":
        feats = _features(text)
        assert [f["properties"]["name"] for f in feats] == payloads
        assert [f["properties"]["use"] for f in feats] == payloads
        assert [f["properties"]["{{ 6*6 }}"] for f in feats] == payloads
        # the legend lists each category with its label text, HTML-escaped inside a JSON string
        legend = next(s for s in strings if 'class="lt-legend' in s or "lt-block" in s)
        import html as _html
        for p in payloads:
            assert _html.escape(p) in legend, p
    else:
        import html as _html
        # each layer's name in the layer control, HTML-escaped, and all of them distinct
        for p in payloads:
            assert _html.escape(p) in strings, p
        assert f"<title>{_html.escape(title)}</title>" in text
        assert _html.escape(attribution) in strings


def test_slots_insert_values_once_and_never_reread():
    from app.exports.template_slots import TemplateSlots

    slots = TemplateSlots()
    a = slots.json("x")
    b = slots.json(f"{a} {{{{ 1 }}}}")  # a value that spells another token is inserted as text
    c = slots.raw("f()")
    page = f'[{{{{ "{a}" }}}}, "{b}", {c}]'
    filled = slots.fill(page)
    assert filled == f'[{{{{ "x" }}}}, "{a} {{{{ 1 }}}}", f()]'
    unquoted = TemplateSlots()  # a JSON slot written without its quotes is a bug, not filled
    token = unquoted.json("v")
    with pytest.raises(RuntimeError):
        unquoted.fill(f"var x = {token};")


def test_park_export_with_template_syntax_in_every_text(tmp_path):
    """The sample park with template syntax in building names, uses and the park name, exported to
    every format: no format fails, nothing is evaluated, the texts arrive as written."""
    from app.exports.export_all import export_all
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    park = load_sample_park()
    marker = tmp_path / "pwned"
    payloads = _payloads(marker)
    b = park.buildings
    b["name"] = [payloads[i % len(payloads)] for i in range(len(b))]
    park.name = "{{ 7*7 }}园区{% if 1 %}IF{% endif %}"
    results = run_park_analyses(park)
    out = tmp_path / "out"
    res = export_all(results, out)
    assert not marker.exists()
    page = (out / "park.html").read_text(encoding="utf-8")
    strings = _page_strings(page)
    names = {f["properties"].get("name") for f in _features(page)}
    assert set(payloads) <= names
    assert "{{ 7*7 }}园区{% if 1 %}IF{% endif %}" in page.split("<title>")[1]
    assert "49园区" not in page and "49" not in strings
    assert all(res.files[f] for f in res.files)
