"""Default styles and display titles of Lingtan's known layers (no Qt).

:func:`default_style` picks a style for a layer *name* from the park model and the analyses
(``Park.layers()``, ``ParkResults.layers()``, the siting layers) through the layer registry
(:mod:`layers.registry`, declared below), looking at its columns; :func:`styled_layer` wraps it
into a :class:`VectorLayer` with a Chinese or English title (:func:`layer_title`). The GUI, the
report and the exports all use these, so a layer looks the same everywhere. Unknown names get a
:class:`SingleStyle` suited to the geometry (polygon, line or point).

| name | style |
|---|---|
| boundary | no fill, red outline 2 px (the park's red line, 红线) |
| buildings | single, OpenStreetMap Carto building colours (fill #d9d0c9, outline #b9a99b) |
| green | categorized by land cover (``cover``/``cover_en``/``type`` …) in green tones |
| tree_rows | lines, dark green 2.5 px |
| townships | no fill, grey outline, labelled by ``name`` |
| rooftop_pv | :func:`range_style` on ``kwh_per_m2`` = ``kwh_yr`` / ``roof_m2`` (added when absent) |
| green_sinks | categorized by ``sink_class`` (labels from ``class_zh``/``class_en``) |
| tree_sinks | lines, :func:`range_style` on ``t_co2_yr`` (ColorBrewer Greens) |
| township_intensity | the five colours on the integer ``class`` field (1–5, 0 = no data) |
| pv_array_tables | range on ``kwh_per_kwp`` (ColorBrewer Blues) when it varies, else single PV blue |
| pv_array_area | no fill, PV-blue outline 1.5 px (the usable area's limit) |
| pv_array_exclusions | transparent (no fill), red outline 1.2 px (setbacks and keep-out zones) |
| turbines | points, blue circles 9 pt, white ring |
| wind_receptors | small orange markers (4 pt) / orange polygons for buildings |
| wind_violations | red lines 2 px (turbine → what it violates), red markers for points |

Every name of :data:`app.results.RESULT_LAYER_NAMES` has a title and a preset here (the hatched
fill a keep-out zone often gets needs a pattern brush :mod:`layers.style` does not have; a
transparent fill with a red outline keeps the tables under it visible).
"""

from __future__ import annotations

import geopandas as gpd

from layers.layer import VectorLayer
from layers.preset_styles import (  # noqa: F401  (re-exported: colours and the derived PV column)
    BLUES5,
    BOUNDARY_RED,
    COVER_COLOURS,
    COVER_FIELDS,
    COVER_NAMES,
    COVER_ORDER,
    GREENS5,
    PV_BLUE,
    add_kwh_per_m2,
    fallback_style,
)
from layers.registry import layer_spec, layer_specs
from layers.style import Style


def layer_title(name: str, lang: str = "zh") -> str:
    """Display title of a known layer name in ``lang`` ("zh" | "en"); the name itself otherwise."""
    spec = layer_spec(name)
    return spec.title(lang) if spec is not None else name



def prepare(name: str, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Derived columns a preset needs (``rooftop_pv``: ``kwh_per_m2``); other data unchanged."""
    return add_kwh_per_m2(gdf) if name == "rooftop_pv" else gdf


_DERIVED = {("rooftop_pv", "kwh_per_m2"): ("kwh_yr", "roof_m2")}


def derived_inputs(name: str, column: str) -> tuple[str, ...]:
    """The columns :func:`prepare` makes ``column`` of layer ``name`` from (() when it is not derived):
    a search of a whole GeoParquet file reads them instead."""
    return _DERIVED.get((name, column), ())



KNOWN_LAYERS = tuple(s.name for s in layer_specs())
TITLES: dict[str, tuple[str, str]] = {s.name: (s.title_zh, s.title_en) for s in layer_specs()}


def default_style(name: str, gdf: gpd.GeoDataFrame, **style_kw) -> Style:
    """The default style of layer ``name`` for its data ``gdf``: its registered style
    (:mod:`layers.registry`), else a single style suited to the geometry.

    township_intensity: pass ``classification`` (gis.intensity.classify.Classification, e.g.
    ``results.intensity.classification``: its breaks, unit, class labels and description), or the
    4 inner ``breaks`` (and ``unit``, ``method_zh``/``method_en``) for break labels such as
    "0.6–0.8"; without either the classes are labelled by colour and the layer's ``method`` text
    (naming the breaks) is the legend note.
    rooftop_pv: classes on ``kwh_per_m2``; call :func:`prepare` (or :func:`styled_layer`, which
    does) so the column exists.
    """
    spec = layer_spec(name)
    if spec is None:
        return fallback_style(gdf, (name, name))
    return spec.make_style(gdf, **style_kw)


def styled_layer(name: str, gdf: gpd.GeoDataFrame, lang: str = "zh", **style_kw) -> VectorLayer:
    """A :class:`VectorLayer` named ``name`` (the key), titled :func:`layer_title` in ``lang``,
    with :func:`default_style` (keyword arguments go to it) and the derived columns of
    :func:`prepare`."""
    data = prepare(name, gdf)
    return VectorLayer(name, data, default_style(name, data, **style_kw), title=layer_title(name, lang))
