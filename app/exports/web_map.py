"""Interactive HTML map (folium/Leaflet) that works offline.

:func:`write_web_map` turns styled :class:`~layers.layer.VectorLayer` objects into one HTML page:
one Leaflet layer per map layer with the layer's own colours (single, categorized or graduated —
the same classes as the PNG, the PDF report and the GUI, computed by the style in Python and
stored per feature as ``_c``), popups listing the attributes with units, a tooltip with the
feature's name, a legend per styled layer (hidden with its layer), a layer control, a scale bar,
fitted to the data.

Offline: folium's page normally loads Leaflet, jQuery, Bootstrap, Font Awesome and
awesome-markers from CDNs (DOMAIN.md). Lingtan's map needs only Leaflet, vendored in
``resources/web/leaflet-<version>/`` (see resources/web/SOURCES.md); every other folium asset is
dropped (points are drawn as circle markers, so no marker icons are needed). The page refers to
no http(s) script or stylesheet: by default Leaflet's JS and CSS are inlined (one self-contained
file to e-mail; the CSS images as data: URIs); ``assets="folder"`` copies them to
``NAME_files/`` beside the page instead. No basemap is drawn unless the caller passes one
(``basemap=``: an XYZ URL template or a TileSource-like object); only then does the page
reach the network.

Safety: no user text reaches a template engine. folium/branca render the page with opaque tokens in
place of the data, layer names, legend, titles and basemap settings (branca compiles rendered output
as Jinja2 templates), and the texts are put in afterwards (:mod:`app.exports.template_slots`), so a
building named ``{{ 7*7 }}`` shows as that text. Attribute values are written as JSON inside the
script (``<``, ``>``, ``&`` escaped) and shown with ``textContent``, never parsed as HTML; layer
names and legend text are HTML-escaped. A building named ``<script>alert(1)</script>`` shows as that
text.

Geometry is reprojected to WGS84 (EPSG:4326, lon/lat — Leaflet's GeoJSON convention), simplified
by ``simplify_m`` metres in a metric CRS first (default 0.3 m, invisible at street zoom) and
rounded to 6 decimals (≈ 0.1 m).
"""

from __future__ import annotations

import base64
import gc
import html
import json
import math
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.exports.template_slots import TemplateSlots, script_json
from gis.crs import metric_crs_for
from gis.paths import resources_dir
from gis.progress import NO_PROGRESS, Progress
from layers.fields import field_info
from layers.layer import VectorLayer
from layers.registry import layer_spec
from layers.style import CategorizedStyle, GraduatedStyle, has_fill

LEAFLET_VERSION = "1.9.4"
COORD_DECIMALS = 6  # ≈ 0.1 m: RFC 7946 §11.2 suggests 6 decimals are enough for most uses
DEFAULT_SIMPLIFY_M = 0.3
FILL_OPACITY = 0.8
MAX_POPUP_FIELDS = 24
CANVAS_FEATURES = 5000  # above this many features the page draws on a canvas instead of SVG

NAME_FIELDS = ("name", "名称", "bldg_id", "row_id", "green_id", "code")


def leaflet_dir() -> Path:
    """The vendored Leaflet (resources/web/leaflet-<version>/)."""
    return resources_dir() / "web" / f"leaflet-{LEAFLET_VERSION}"


# ---- data preparation -----------------------------------------------------------------------------

def wgs84_geometry(gdf: gpd.GeoDataFrame, simplify_m: float = DEFAULT_SIMPLIFY_M) -> np.ndarray:
    """The layer's geometries simplified by ``simplify_m`` metres (topology kept), in EPSG:4326
    (lon, lat), rounded to :data:`COORD_DECIMALS`."""
    if gdf.crs is None:
        raise ValueError("a web map layer needs a CRS")
    g = gdf.geometry
    metric = metric_crs_for(gdf) if simplify_m > 0 else None
    if metric is not None:
        g = g.to_crs(metric) if g.crs != metric else g
        g = g.simplify(simplify_m, preserve_topology=True)
    g = g.to_crs(4326)
    geoms = shapely.set_precision(g.to_numpy(), 10.0 ** -COORD_DECIMALS, mode="pointwise")
    return geoms


def feature_colours(layer: VectorLayer, gdf: gpd.GeoDataFrame | None = None) -> tuple[list[str | None], str]:
    """(per-feature colour, outline colour) of a layer by its style: the class/category colour
    (no-data/other colour for -1), the single fill; None where polygons have no fill. Lines and
    points take the class colour (single styles: lines the outline colour)."""
    style = layer.style
    gdf = layer.gdf if gdf is None else gdf
    kind = layer.geometry_kind
    if isinstance(style, GraduatedStyle):
        colours = [c.colour for c in style.classes]
        other, outline = style.no_data_colour, style.outline_colour
    elif isinstance(style, CategorizedStyle):
        colours = [c.colour for c in style.categories]
        other, outline = style.other_colour, style.outline
    else:
        single = style.outline if kind == "line" else style.fill
        return [single if has_fill(single) else None] * len(gdf), style.outline
    codes = style.codes_for(gdf)
    lookup = np.array([*colours, other], dtype=object)  # index -1 → other
    return list(lookup[codes]), outline


def _widths(layer: VectorLayer) -> tuple[float, float, float]:
    """(polygon outline px, line px, marker radius px) of the style (96-dpi px; points → px)."""
    s = layer.style
    if isinstance(s, GraduatedStyle):
        return s.outline_width_px, s.line_width_px, s.marker_size_pt * 96 / 72 / 2
    if isinstance(s, CategorizedStyle):
        return s.width, s.line_width_px, s.marker_size_pt * 96 / 72 / 2
    return s.width, s.width, s.marker_size_pt * 96 / 72 / 2


def _json_value(v: Any, decimals: int | None) -> Any:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return round(v, decimals) if decimals is not None else float(f"{v:.10g}")
    if isinstance(v, int | str):
        return v
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def popup_fields(layer: VectorLayer) -> list[str]:
    cols = [c for c in layer.gdf.columns if c != layer.gdf.geometry.name and not str(c).startswith("_")]
    spec = layer_spec(layer.name)
    wanted = spec.fields if spec is not None and spec.fields else None
    if wanted:
        return [c for c in wanted if c in cols]
    return cols[:MAX_POPUP_FIELDS]


def _field_meta(layer: VectorLayer, fields: list[str], lang: str, units: Mapping[str, str] | None) -> list:
    """[[field, label with unit, decimals]] for the popup script."""
    out = []
    for f in fields:
        info = field_info(f, layer.name, units=dict(units or {}))
        if info is None:
            out.append([f, f, None])
            continue
        label = info.zh if lang == "zh" else info.en
        out.append([f, f"{label} ({info.unit})" if info.unit else label, info.decimals])
    return out


def _json_column(s: pd.Series, decimals: int | None, rows: np.ndarray) -> list:
    """The values of ``s`` at positions ``rows`` as :func:`_json_value` gives them, computed a
    column at a time: numbers rounded (``decimals`` places, else 10 significant digits), NaN/inf
    None, numpy scalars as Python values, text as it is, other objects as their ``str``."""
    s = s.iloc[rows] if len(rows) != len(s) else s
    dtype = s.dtype
    for is_kind, to in ((pd.api.types.is_bool_dtype, bool), (pd.api.types.is_integer_dtype, "int64")):
        if is_kind(dtype):  # numpy or nullable (Int64, boolean: NA → None)
            missing = s.isna().to_numpy()
            out = (s.fillna(0) if missing.any() else s).astype(to).tolist()
            for i in np.flatnonzero(missing):
                out[i] = None
            return out
    if pd.api.types.is_float_dtype(dtype):
        v = s.to_numpy(dtype=float, na_value=np.nan)
        ok = np.isfinite(v)
        # correctly rounded as round(v, decimals) / float(f"{v:.10g}") (np.round is not: -0.05 → -0.0)
        fmt = f"%.{decimals}f" if decimals is not None else "%.10g"
        out = np.char.mod(fmt, np.where(ok, v, 0.0)).astype(float).tolist()
        for i in np.flatnonzero(~ok):
            out[i] = None
        return out
    values = s.tolist()
    if pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
        is_str = np.fromiter((type(v) is str for v in values), bool, len(values))
        if is_str.all():
            return values
        for i in np.flatnonzero(~is_str):  # missing values and the odd number or object
            values[i] = _json_value(values[i], decimals)
        return values
    return [_json_value(v, decimals) for v in values]


class _GcPaused:
    """``with _GcPaused():`` no cyclic garbage collection inside. Building 100,000 features makes
    millions of lists and dicts, and each gen-0 overflow makes the collector walk them all again
    (json.loads of 100,000 footprints: 0.8 s with it, 0.2 s without); none of them is garbage."""

    def __enter__(self):
        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was:
            gc.enable()


def layer_geojson(layer: VectorLayer, fields: list[str], simplify_m: float = DEFAULT_SIMPLIFY_M,
                  decimals: dict[str, int | None] | None = None) -> dict:
    """A GeoJSON FeatureCollection (EPSG:4326, with its ``bbox``) of ``layer`` with the popup
    ``fields`` and the precomputed colour ``_c`` per feature; features without geometry are left
    out (``id`` is the row's position in the layer).

    Built a column at a time: the geometries as GeoJSON text by :func:`shapely.to_geojson` on
    the whole array, parsed by one :func:`json.loads`; the properties by :func:`_json_column`
    (values exactly as :func:`_json_value` makes them — text stays text: it is escaped when the
    page is written and shown with ``textContent``)."""
    gdf = layer.gdf
    geoms = wgs84_geometry(gdf, simplify_m)
    colours, _ = feature_colours(layer)
    decimals = decimals or {}
    keep = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    rows = np.flatnonzero(keep)
    keys = [*fields, "_c"]
    columns = [_json_column(gdf[f], decimals.get(f), rows) for f in fields]
    columns.append(np.asarray(colours, dtype=object)[rows].tolist())
    text = shapely.to_geojson(geoms[keep])
    with _GcPaused():
        geometries = json.loads("[" + ",".join(text.tolist()) + "]")
        props = (dict(zip(keys, values, strict=True)) for values in zip(*columns, strict=True))
        features = [{"type": "Feature", "id": i, "properties": p, "geometry": g}
                    for i, p, g in zip(rows.tolist(), props, geometries, strict=True)]
    out = {"type": "FeatureCollection", "features": features}
    if keep.any():
        out["bbox"] = [float(v) for v in shapely.total_bounds(geoms[keep])]  # RFC 7946 §5: W, S, E, N
    return out


# ---- page pieces ------------------------------------------------------------------------------------

_POPUP_JS = """function(feature, layer) {
    var meta = %(meta)s;
    var nameField = %(name)s;
    var props = feature.properties || {};
    function fmt(v, d) {
        if (v === null || v === undefined) { return "–"; }
        if (typeof v === "number") {
            var opts = {maximumFractionDigits: (d === null ? 6 : d)};
            return v.toLocaleString(%(locale)s, opts);
        }
        if (typeof v === "boolean") { return v ? %(yes)s : %(no)s; }
        return String(v);
    }
    var box = document.createElement("div");
    box.className = "lt-popup";
    var title = document.createElement("div");
    title.className = "lt-popup-title";
    title.textContent = %(title)s;
    box.appendChild(title);
    var table = document.createElement("table");
    meta.forEach(function(m) {
        var tr = document.createElement("tr");
        var th = document.createElement("th");
        th.textContent = m[1];
        var td = document.createElement("td");
        td.textContent = fmt(props[m[0]], m[2]);
        tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
    });
    box.appendChild(table);
    layer.bindPopup(box, {maxWidth: 360});
    if (nameField && props[nameField] !== null && props[nameField] !== undefined) {
        var tip = document.createElement("span");
        tip.textContent = String(props[nameField]);
        layer.bindTooltip(tip, {sticky: true});
    }
    layer.on("mouseover", function(e) {
        if (e.target.setStyle) { e.target.setStyle({weight: %(hover_w)s, color: "#00b8d4"}); }
    });
    layer.on("mouseout", function(e) { %(gj)s.resetStyle(e.target); });
}"""

_PAGE_CSS = """
.leaflet-container { background: #f7f7f5; font-family: "Microsoft YaHei", "PingFang SC",
  "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
.lt-popup-title { font-weight: bold; margin-bottom: 4px; }
.lt-popup table { border-collapse: collapse; font-size: 12px; }
.lt-popup th { text-align: left; font-weight: normal; color: #555; padding: 1px 8px 1px 0;
  white-space: nowrap; }
.lt-popup td { text-align: right; padding: 1px 0; }
/* the legend (bottom right) and the layer control (top right) share the right edge: each gets at
   most half the height and scrolls, so neither covers the other on a short window */
.lt-legend { background: rgba(255,255,255,0.92); padding: 8px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 12px; line-height: 1.35;
  max-height: calc(50vh - 40px); overflow-y: auto; max-width: 300px; box-sizing: border-box; }
.leaflet-top.leaflet-right .leaflet-control-layers { max-height: calc(50vh - 30px); overflow-y: auto; }
.lt-legend h4 { margin: 6px 0 3px 0; font-size: 12.5px; }
.lt-legend h4:first-child { margin-top: 0; }
.lt-legend .lt-note { color: #555; font-size: 11px; margin-bottom: 2px; }
.lt-legend .lt-row { display: flex; align-items: center; gap: 6px; }
.lt-legend .lt-sw { width: 18px; height: 12px; flex: none; box-sizing: border-box; }
.lt-legend .lt-sw.line { height: 0; border-top-style: solid; }
.lt-legend .lt-sw.point { width: 11px; height: 11px; border-radius: 50%; margin: 0 3px; }
.lt-legend .lt-n { color: #777; margin-left: auto; padding-left: 8px; }
.lt-title { background: rgba(255,255,255,0.92); padding: 6px 10px; border-radius: 4px; font-size: 15px;
  font-weight: bold; box-shadow: 0 1px 4px rgba(0,0,0,0.3); }
"""


def _legend_html(layer: VectorLayer, lang: str, data_id: str, shown: bool = True) -> str:
    from layers.legend import count_text, legend_block

    block = legend_block(layer, lang)
    hide = "" if shown else ' style="display:none"'
    parts = [f'<div class="lt-block" data-layer="{html.escape(data_id)}"{hide}>']
    if block.title:
        parts.append(f"<h4>{html.escape(block.title)}</h4>")
    parts += [f'<div class="lt-note">{html.escape(n)}</div>' for n in block.notes]
    for row in block.rows:
        kind = getattr(row, "kind", "polygon")
        colour = row.colour if has_fill(row.colour) else "transparent"
        if kind == "line":
            css = f"border-top-color:{colour};border-top-width:{max(2.0, min(row.width, 5.0)):.0f}px"
        else:
            css = f"background:{colour};border:1px solid {row.outline if has_fill(row.outline) else '#888'}"
        label = row.label if block.title else layer.title
        parts.append(f'<div class="lt-row"><span class="lt-sw {html.escape(kind)}" '
                     f'style="{html.escape(css)}"></span><span>{html.escape(label)}</span>'
                     f'<span class="lt-n">{html.escape(count_text(row.count, lang))}</span></div>')
    parts.append("</div>")
    return "".join(parts)


def _leaflet_assets(out: Path, assets: str) -> tuple[str, list[Path]]:
    """The ``<head>`` HTML loading Leaflet (inlined, or from ``NAME_files/``) and files written."""
    src = leaflet_dir()
    js = (src / "leaflet.js").read_text(encoding="utf-8")
    css = (src / "leaflet.css").read_text(encoding="utf-8")
    if assets == "inline":
        def data_uri(m: re.Match) -> str:
            png = (src / "images" / m.group(1)).read_bytes()
            return "url(data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"

        css = re.sub(r"url\(images/([A-Za-z0-9_.-]+\.png)\)", data_uri, css)
        if "</script" in js.lower() or "</style" in css.lower():
            raise RuntimeError("vendored Leaflet cannot be inlined")
        return f"<style>{css}</style>\n<script>{js}</script>", []
    if assets != "folder":
        raise ValueError(f"assets must be 'inline' or 'folder', not {assets!r}")
    folder = out.with_name(f"{out.stem}_files")
    if (folder / "leaflet").exists():  # only our own copy: the folder may hold the user's files too
        shutil.rmtree(folder / "leaflet")
    shutil.copytree(src, folder / "leaflet", ignore=shutil.ignore_patterns("*.map"))
    rel = f"{folder.name}/leaflet"
    return (f'<link rel="stylesheet" href="{html.escape(rel)}/leaflet.css"/>\n'
            f'<script src="{html.escape(rel)}/leaflet.js"></script>'), [folder]


def _basemap_layers(basemap) -> list[tuple[str, str, dict]]:
    """[(url template, attribution, options)] of a basemap: a URL template string, a
    (template, attribution) pair, or an object with ``templates``, ``attribution``,
    ``subdomains``, ``key``, ``min_zoom``, ``max_zoom`` (app.gui.basemap.TileSource)."""
    if basemap is None:
        return []
    if isinstance(basemap, str):
        return [(basemap, "", {})]
    if isinstance(basemap, tuple | list) and len(basemap) == 2 and all(isinstance(x, str) for x in basemap):
        return [(basemap[0], basemap[1], {})]
    templates = getattr(basemap, "templates", None)
    if not templates:
        raise ValueError(f"not a basemap: {basemap!r}")
    out = []
    for t in templates:
        url = t.replace("{key}", getattr(basemap, "key", "") or "")
        opts = {"min_zoom": getattr(basemap, "min_zoom", 0), "max_zoom": getattr(basemap, "max_zoom", 19)}
        subs = getattr(basemap, "subdomains", ())
        if subs:
            opts["subdomains"] = "".join(subs) if all(len(s) == 1 for s in subs) else list(subs)
        out.append((url, getattr(basemap, "attribution", "") or "", opts))
    return out


# ---- the page -------------------------------------------------------------------------------------

_COLOUR = re.compile(r"#[0-9A-Fa-f]{3,8}|[a-z]{3,20}")


def _css_colour(value, fallback: str) -> str:
    """``value`` if it is a hex or named CSS colour, else ``fallback`` (styles can come from files)."""
    return value if isinstance(value, str) and _COLOUR.fullmatch(value) else fallback


def render_web_map(layers: Sequence[VectorLayer], *, basemap=None, lang: str = "zh", title: str | None = None,
                   simplify_m: float = DEFAULT_SIMPLIFY_M, units: Mapping[str, str] | None = None,
                   fit: str | None = None, hidden: Sequence[str] = (),
                   progress: Progress = NO_PROGRESS) -> str:
    """The page's HTML (without Leaflet; :func:`write_web_map` adds the local copy).
    fit: the name of the layer to zoom to (default: all layers); hidden: names of layers that
    start switched off (in the layer control, legend hidden until switched on).

    folium renders the page with every user-derived text replaced by a token of
    :class:`~app.exports.template_slots.TemplateSlots` (branca compiles rendered output as Jinja2
    templates); the real texts are put in afterwards."""
    import folium
    from branca.element import Element, MacroElement
    from folium.utilities import JsCode
    from jinja2 import Template

    slots = TemplateSlots()

    class _OfflineMap(folium.Map):
        default_js: ClassVar[list] = []
        default_css: ClassVar[list] = []

    class _SlotGeoJson(folium.GeoJson):
        """GeoJson whose styles are computed from the data but whose data is written as a slot."""

        def render(self, **kwargs):
            from folium.features import GeoJsonStyleMapper
            from folium.utilities import get_obj_in_upper_tree

            data = self.data
            self.parent_map = get_obj_in_upper_tree(self, folium.Map)
            if self.style and data["features"]:
                self.style_map = GeoJsonStyleMapper(data, self.feature_identifier, self).get_style_map(
                    self.style_function)
            self.data = slots.json(data)
            try:  # GeoJson.render would recompute the styles from self.data: render as its base does
                super(folium.GeoJson, self).render(**kwargs)
            finally:
                self.data = data

    layers = [lyr for lyr in layers if lyr.visible and len(lyr.gdf) and lyr.gdf.crs is not None]
    n_features = sum(len(lyr.gdf) for lyr in layers)
    # Leaflet's canvas renderer draws many features much faster than one SVG element each
    m = _OfflineMap(location=[0, 0], zoom_start=2, tiles=None, control_scale=False, max_zoom=21,
                    prefer_canvas=n_features > CANVAS_FEATURES)
    for url, attribution, opts in _basemap_layers(basemap):
        if "subdomains" in opts:
            opts = {**opts, "subdomains": slots.json(opts["subdomains"])}
        folium.TileLayer(tiles=slots.json(url), attr=slots.json(html.escape(attribution) or "basemap"),
                         name="底图" if lang == "zh" else "Basemap", overlay=False, control=False,
                         **opts).add_to(m)
    legends, bounds = [], []
    fit_bounds = None
    for k, lyr in enumerate(layers):
        progress.report(0.9 * k / max(len(layers), 1), lyr.title)
        fields = popup_fields(lyr)
        meta = _field_meta(lyr, fields, lang, units)
        data = layer_geojson(lyr, fields, simplify_m, {f: d for f, _, d in meta})
        if not data["features"]:
            continue
        kind = lyr.geometry_kind
        outline_px, line_px, radius_px = _widths(lyr)
        _, outline = feature_colours(lyr)
        outline = _css_colour(outline, "#000000")
        opacity = lyr.opacity

        def style_function(feature, kind=kind, outline=outline, outline_px=outline_px, line_px=line_px,
                           opacity=opacity):
            c = feature["properties"].get("_c")
            c = _css_colour(c, "#000000") if c else None
            if kind == "line":
                return {"color": c or "#333333", "weight": line_px, "opacity": opacity}
            if kind == "point":
                return {"color": outline if has_fill(outline) else "#ffffff", "weight": 1, "fillColor": c,
                        "fillOpacity": opacity, "opacity": opacity}
            return {"fillColor": c or "#000000", "fill": c is not None,
                    "fillOpacity": FILL_OPACITY * opacity if c else 0.0,
                    "color": outline if has_fill(outline) else "#000000",
                    "weight": outline_px if has_fill(outline) else 0, "opacity": opacity}

        # a slot per layer also keeps layers of the same title apart in the layer control
        group = folium.FeatureGroup(name=slots.json(html.escape(lyr.title)),
                                    show=lyr.name not in hidden).add_to(m)
        marker = folium.CircleMarker(radius=radius_px) if kind == "point" else None
        gj = _SlotGeoJson(data, style_function=style_function, marker=marker, name=f"layer{k}",
                          control=False, smooth_factor=0.5)
        name_field = next((f for f in NAME_FIELDS if f in fields), None)
        tip_title = lyr.title
        gj.on_each_feature = JsCode(slots.raw(_POPUP_JS % {
            "meta": script_json(meta),
            "name": json.dumps(name_field), "locale": json.dumps("zh-CN" if lang == "zh" else "en-US"),
            "yes": json.dumps("是" if lang == "zh" else "yes"),
            "no": json.dumps("否" if lang == "zh" else "no"),
            "title": script_json(tip_title),
            "hover_w": f"{max(2.0, (line_px if kind == 'line' else outline_px) + 1.5):.1f}",
            "gj": gj.get_name()}))
        gj.add_to(group)
        legends.append(_legend_html(lyr, lang, group.get_name(), shown=lyr.name not in hidden))
        b = data["bbox"]
        bounds.append(b)
        if fit is not None and lyr.name == fit:
            fit_bounds = b
    folium.LayerControl(collapsed=False).add_to(m)
    if bounds:
        b = np.array([fit_bounds] if fit_bounds is not None else bounds)
        m.fit_bounds([[float(b[:, 1].min()), float(b[:, 0].min())],
                      [float(b[:, 3].max()), float(b[:, 2].max())]])
    root = m.get_root()
    root.header.add_child(Element(f"<style>{_PAGE_CSS}</style>"), name="lingtan_css")
    root.header.add_child(Element('<meta name="generator" content="Lingtan"/>'), name="lingtan_meta")
    if title:
        head_title = slots.raw(f"<title>{html.escape(title)}</title>")
        root.header.add_child(Element(head_title), name="lingtan_title")
    legend_html = "".join(legends)
    title_html = f'<div class="lt-title">{html.escape(title)}</div>' if title else ""

    class _Overlay(MacroElement):
        _template = Template("""
            {% macro script(this, kwargs) %}
            (function() {
                var map = {{ this._parent.get_name() }};
                var legend = L.control({position: "bottomright"});
                legend.onAdd = function() {
                    var div = L.DomUtil.create("div", "lt-legend");
                    div.innerHTML = {{ this.legend_html|tojson }};
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                {% if this.legend_html %}legend.addTo(map);{% endif %}
                L.control.scale({imperial: false, maxWidth: 160}).addTo(map);
                {% if this.title_html %}
                var title = L.control({position: "topleft"});
                title.onAdd = function() {
                    var div = L.DomUtil.create("div");
                    div.innerHTML = {{ this.title_html|tojson }};
                    return div;
                };
                title.addTo(map);
                {% endif %}
                function show(layer, on) {
                    var blocks = document.querySelectorAll('.lt-block');
                    for (var i = 0; i < blocks.length; i++) {
                        var id = blocks[i].getAttribute("data-layer");
                        if (window[id] === layer) { blocks[i].style.display = on ? "" : "none"; }
                    }
                }
                map.on("overlayadd", function(e) { show(e.layer, true); });
                map.on("overlayremove", function(e) { show(e.layer, false); });
            })();
            {% endmacro %}
        """)

        def __init__(self):
            super().__init__()
            self._name = "LingtanOverlay"
            self.legend_html = slots.json(legend_html) if legend_html else ""
            self.title_html = slots.json(title_html) if title_html else ""

    m.add_child(_Overlay())
    return slots.fill(m.get_root().render())


_ASSET_REF = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""",
                        re.IGNORECASE)


def write_web_map(layers: Sequence[VectorLayer], path: str | Path, basemap=None, lang: str = "zh", *,
                  title: str | None = None, assets: str = "inline", simplify_m: float = DEFAULT_SIMPLIFY_M,
                  units: Mapping[str, str] | None = None, fit: str | None = None,
                  hidden: Sequence[str] = (), progress: Progress = NO_PROGRESS) -> Path:
    """Write the interactive map of the visible ``layers`` (bottom first) to ``path`` (.html).

    basemap: None (default: no tiles, no network), an XYZ URL template, (template, attribution)
    or a TileSource-like object — only then does the page load tiles from the internet.
    assets: "inline" (one self-contained file) or "folder" (``NAME_files/leaflet/`` beside it).
    units: run-time units of fields for the popups ({"intensity": "tCO2/万元"}).
    fit: name of the layer the map opens on (e.g. "boundary"; default: all layers); hidden: names
    of layers that start switched off.
    Replaces ``path`` atomically. Returns the path.
    """
    from app.outputs import _tmp_beside

    path = Path(path)
    page = render_web_map(layers, basemap=basemap, lang=lang, title=title, simplify_m=simplify_m, units=units,
                          fit=fit, hidden=hidden, progress=progress)
    head, _ = _leaflet_assets(path, assets)
    # folium puts the default assets first in <head>: put Leaflet there instead
    page = page.replace("<head>", "<head>\n" + head, 1)
    page = page.replace('<html>', f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', 1)
    if basemap is None and _ASSET_REF.search(page):  # a CDN reference slipped in: a bug, not user input
        raise RuntimeError("the web map still refers to an online asset: "
                           + _ASSET_REF.search(page).group(0))
    progress.report(0.95, "writing")
    tmp = _tmp_beside(path)
    try:
        tmp.write_text(page, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
