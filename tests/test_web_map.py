"""The interactive HTML map: offline (no http(s) asset), escaped attributes, styles per feature, WGS84.

The page is parsed with the standard library's HTML parser (script contents are raw text, as in a
browser) and the embedded GeoJSON is decoded with json; colours are checked against the classes
computed independently from the data and the published palettes.
"""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from app.exports.web_map import LEAFLET_VERSION, leaflet_dir, write_web_map
from layers.layer import VectorLayer
from layers.presets import styled_layer
from layers.style import FIVE_COLOURS, SingleStyle


class _Page(HTMLParser):
    """Start tags with their attributes, and the text of each <script> element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    return p


def embedded_collections(page_text: str) -> list[dict]:
    """The GeoJSON FeatureCollections folium embeds (``geo_json_…_add({...});``)."""
    return [json.loads(m.group(1)) for m in re.finditer(r"geo_json_\w+_add\((\{.*?\})\);", page_text, re.S)]


@pytest.fixture(scope="module")
def results():
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    return run_park_analyses(load_sample_park())


@pytest.fixture(scope="module")
def sample_page(results, tmp_path_factory):
    from app.exports.export_all import WEB_LAYERS, result_layers

    layers = result_layers(results, "zh", WEB_LAYERS)
    path = tmp_path_factory.mktemp("web") / "park.html"
    write_web_map(layers, path, title=results.park.name, fit="boundary")
    return path, {lyr.name: lyr for lyr in layers}


def _remote(value: str | None) -> bool:
    return bool(value) and value.strip().lower().startswith(("http:", "https:", "//"))


def test_page_refers_to_no_online_asset(sample_page):
    path, _ = sample_page
    page = parse(path)
    refs = [(t, a.get("src") or a.get("href")) for t, a in page.tags if a.get("src") or a.get("href")]
    assert not [r for r in refs if _remote(r[1])], refs
    assert not any(t == "link" for t, _ in page.tags)  # Leaflet's CSS is inlined
    text = path.read_text(encoding="utf-8")
    assert "L.tileLayer" not in text  # no basemap unless enabled
    assert f"Leaflet {LEAFLET_VERSION}" in text  # the vendored Leaflet is inlined
    for cdn in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn"):
        assert cdn not in text
    assert path.stat().st_size < 1_500_000


def test_folder_assets_are_local_copies(results, tmp_path):
    layer = styled_layer("boundary", results.park.boundary)
    path = write_web_map([layer], tmp_path / "m.html", assets="folder")
    page = parse(path)
    refs = [a.get("src") or a.get("href") for t, a in page.tags if t in ("script", "link")
            if a.get("src") or a.get("href")]
    assert sorted(refs) == ["m_files/leaflet/leaflet.css", "m_files/leaflet/leaflet.js"]
    for r in refs:
        assert (tmp_path / r).read_bytes() == (leaflet_dir() / Path(r).name).read_bytes()
    assert (tmp_path / "m_files/leaflet/images/layers.png").exists()


def test_basemap_only_when_given(results, tmp_path):
    layer = styled_layer("boundary", results.park.boundary)
    osm = ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors")
    path = write_web_map([layer], tmp_path / "b.html", basemap=osm)
    text = path.read_text(encoding="utf-8")
    assert "L.tileLayer" in text and "tile.openstreetmap.org" in text
    assert not [a for t, a in parse(path).tags if _remote(a.get("src")) or _remote(a.get("href"))]


def test_attributes_are_text_not_html(tmp_path):
    evil = "<script>alert(1)</script>"
    img = "<img src=x onerror=alert(2)>"
    gdf = gpd.GeoDataFrame({"name": [evil, img], "use": ["</script><script>alert(3)</script>", "办公"]},
                           geometry=[shapely.box(120.0, 30.0, 120.001, 30.001),
                                     shapely.box(120.002, 30.0, 120.003, 30.001)], crs=4326)
    layer = VectorLayer("buildings", gdf, SingleStyle(), title="<b>楼</b>")
    path = write_web_map([layer], tmp_path / "x.html", title="<i>t</i>")
    page = parse(path)
    tags = [t for t, _ in page.tags]
    assert "img" not in tags and "b" not in tags and "i" not in tags
    # every script element is either Leaflet or ours; none was opened by the data
    assert all("<script" not in s.lower() for s in page.scripts)
    assert not any("alert(" in s and "\\u003cscript" not in s and "\\u003cimg" not in s for s in page.scripts)
    # the exact strings are in the data, to be shown with textContent
    features = [f for fc in embedded_collections(path.read_text(encoding="utf-8")) for f in fc["features"]]
    assert [f["properties"]["name"] for f in features] == [evil, img]
    assert features[0]["properties"]["use"] == "</script><script>alert(3)</script>"
    text = path.read_text(encoding="utf-8")
    assert "td.textContent" in text and "tip.textContent" in text and "bindPopup(box" in text
    # layer control and legend: HTML-escaped, then JSON-quoted ("&" → \u0026) by folium/Jinja
    assert text.count("\\u0026lt;b\\u0026gt;") >= 2
    assert "<b>楼</b>" not in text


def _reference_value(v, decimals):
    """What a popup value must be in the page's JSON, spelt out here per value (the module builds
    them a column at a time)."""
    import math

    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool | int | str):
        return v
    if isinstance(v, float):
        return round(v, decimals) if decimals is not None else float(f"{v:.10g}")
    return None if v is pd.NaT or v is pd.NA else str(v)


def test_features_built_a_column_at_a_time_match_per_feature_values():
    from app.exports.web_map import layer_geojson

    n = 8
    g = [shapely.box(120.0 + i * 1e-3, 30.0, 120.0005 + i * 1e-3, 30.0005) for i in range(n)]
    g[2] = None
    g[5] = shapely.Polygon()
    gdf = gpd.GeoDataFrame({
        "name": ["<script>alert(1)</script>", None, "楼 \u2028", "a\"b", "x", np.nan, "&amp;", "ok"],
        "kwh_yr": [1.25, np.nan, np.inf, -0.05, 123456.789, 2.0, 1e-12, 3.333333333333],
        "ratio": [1 / 3, 2 / 3, np.nan, 0.1, 1e20, -1e-7, 5.0, 7.123456789012],
        "floors": np.arange(n, dtype=np.int32), "ok": [True, False] * 4,
        "mixed": pd.Series([1.5, "t", None, pd.Timestamp("2024-03-01"), 7, np.nan, "", [1, 2]], dtype=object),
        "n_na": pd.array([1, None, 3, None, 5, 6, 7, 8], dtype="Int64")},
        geometry=g, crs=4326)
    layer = VectorLayer("x", gdf, SingleStyle(fill="#123456"))
    fields = ["name", "kwh_yr", "ratio", "floors", "ok", "mixed", "n_na"]
    decimals = {"kwh_yr": 1}
    fc = layer_geojson(layer, fields, simplify_m=0.0, decimals=decimals)
    assert [f["id"] for f in fc["features"]] == [0, 1, 3, 4, 6, 7]  # no geometry: left out
    for f in fc["features"]:
        i = f["id"]
        want = {k: _reference_value(gdf[k].iloc[i], decimals.get(k)) for k in fields}
        want["_c"] = "#123456"
        assert f["properties"] == want, i
        assert all(type(f["properties"][k]) is type(want[k]) for k in want), i
        ref = json.loads(shapely.to_geojson(shapely.set_precision(g[i], 1e-6, mode="pointwise")))
        assert f["geometry"] == ref
    assert fc["features"][0]["properties"]["name"] == "<script>alert(1)</script>"  # text, unescaped here
    # half-way cases round as Python's round() does (correctly, from the binary value)
    halves = np.arange(-200, 201) * 0.005
    xy = np.c_[120 + halves * 1e-3, np.full(len(halves), 30.0)]
    pts = gpd.GeoDataFrame({"v": halves}, geometry=shapely.points(xy), crs=4326)
    got = layer_geojson(VectorLayer("p", pts, SingleStyle()), ["v"], 0.0, {"v": 2})
    assert [f["properties"]["v"] for f in got["features"]] == [round(float(v), 2) for v in halves]


def test_feature_colours_follow_the_styles(sample_page):
    path, layers = sample_page
    collections = embedded_collections(path.read_text(encoding="utf-8"))
    towns = layers["township_intensity"].gdf
    fc = next(c for c in collections if len(c["features"]) == len(towns)
              and "k_ratio" in c["features"][0]["properties"])
    for f in fc["features"]:
        cls = int(towns["class"].iloc[f["id"]])  # the classifier's class, 1–5
        assert f["properties"]["_c"] == FIVE_COLOURS[cls - 1]
    pv = layers["rooftop_pv"]
    fc = next(c for c in collections if "kwh_per_m2" in c["features"][0]["properties"])
    breaks = [cb.upper for cb in pv.style.classes[:-1]]
    colours = [cb.colour for cb in pv.style.classes]
    # recomputed here, at the 2 decimals the field keeps (layers/fields.py) and is classed on
    per_m2 = np.round(pv.gdf["kwh_yr"].to_numpy() / pv.gdf["roof_m2"].to_numpy(), 2)
    for f in fc["features"]:
        k = int(np.searchsorted(breaks, per_m2[f["id"]], side="left"))  # lower < v <= upper
        assert f["properties"]["_c"] == colours[k]


def test_coordinates_are_wgs84_lon_lat(sample_page):
    path, layers = sample_page
    b = layers["boundary"].gdf
    t = Transformer.from_crs(b.crs, 4326, always_xy=True)
    x0, y0, x1, y1 = b.total_bounds
    (lo0, lo1), (la0, la1) = zip(t.transform(x0, y0), t.transform(x1, y1), strict=True)
    fc = next(c for c in embedded_collections(path.read_text(encoding="utf-8"))
              if c["features"][0]["properties"].get("kwh_yr") is not None)
    pts = np.array([p for f in fc["features"] for ring in f["geometry"]["coordinates"] for p in ring])
    assert pts[:, 0].min() >= min(lo0, lo1) - 1e-3 and pts[:, 0].max() <= max(lo0, lo1) + 1e-3
    assert pts[:, 1].min() >= min(la0, la1) - 1e-3 and pts[:, 1].max() <= max(la0, la1) + 1e-3
    assert np.allclose(pts, np.round(pts, 6))


def test_legend_and_popup_labels(sample_page, results):
    path, layers = sample_page
    text = path.read_text(encoding="utf-8")
    legend = json.loads(re.search(r"div\.innerHTML = (\".*?\");\n", text).group(1))
    style = layers["township_intensity"].style
    assert style.title_zh in legend
    for cb in style.classes:
        assert cb.colour in legend
    assert "年发电量 (kWh/yr)" in text  # popup labels with units
    assert "L.control.layers" in text


def test_vendored_assets_match_sources_md():
    web = leaflet_dir().parent
    sources = (web / "SOURCES.md").read_text(encoding="utf-8")
    listed = dict((name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", sources, re.M))
    files = {str(p.relative_to(web)) for p in leaflet_dir().rglob("*") if p.is_file()}
    assert files == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((web / name).read_bytes()).hexdigest() == digest, name


def test_hidden_layer_starts_off_with_its_legend(results, tmp_path):
    from app.exports.export_all import result_layers

    layers = result_layers(results, "zh", ("township_intensity", "boundary"))
    path = write_web_map(layers, tmp_path / "h.html", fit="boundary", hidden=("township_intensity",))
    text = path.read_text(encoding="utf-8")
    legend = json.loads(re.search(r"div\.innerHTML = (\".*?\");\n", text).group(1))
    blocks = re.findall(r'<div class="lt-block" data-layer="(\w+)"( style="display:none")?>', legend)
    assert [bool(hidden) for _, hidden in blocks] == [True, False]
    town_group = blocks[0][0]
    assert f"{town_group}.addTo(" not in text  # not on the map until switched on
    assert f"{blocks[1][0]}.addTo(" in text


def _chromium() -> str | None:
    import shutil

    return next((c for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)


@pytest.mark.parametrize("height_px", [500, 700])
def test_legend_never_covers_the_layer_switcher(sample_page, tmp_path, height_px):
    """In a real browser (headless Chromium, network cut) the legend box and the layer control do
    not overlap on a short window (the walk-through saw the legend cover the switcher's last rows)."""
    import subprocess

    browser = _chromium()
    if browser is None:
        pytest.skip("no Chromium on this machine")
    path, _ = sample_page
    probe = tmp_path / path.name
    for asset in path.parent.iterdir():  # the page and its local Leaflet copy
        if asset != path:
            (tmp_path / asset.name).symlink_to(asset)
    measure = """<script>window.addEventListener("load", function () { setTimeout(function () {
      function box(sel) { var e = document.querySelector(sel); var r = e.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom]; }
      document.title = "RECTS" + JSON.stringify([box(".leaflet-control-layers"), box(".lt-legend")]);
    }, 300); });</script>"""
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", measure + "</body>"),
                     encoding="utf-8")
    out = subprocess.run([browser, "--headless=new", "--no-sandbox", "--disable-gpu",
                          "--proxy-server=127.0.0.1:9", f"--window-size=1000,{height_px}",
                          "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120)
    m = re.search(r"RECTS(\[.*?\]\])", out.stdout)
    assert m, out.stderr[-1500:]
    layers_box, legend_box = json.loads(m.group(1))
    assert legend_box[3] - legend_box[1] > 40 and layers_box[3] - layers_box[1] > 40  # both shown
    assert layers_box[3] <= legend_box[1], (layers_box, legend_box)  # the switcher ends above
    assert legend_box[3] <= height_px
