"""The result-layer registry: for each known layer its name, titles, geometry, fields and style.

Every reader of layers — the map, the legend, the attribute table and identify panel (Chinese
aliases with units), the exports' field mapping and web-map popups, the report — asks this
registry instead of keeping its own name-keyed table. A layer is declared once with
:func:`register_layer`: the park's input layers and the built-in analyses' result layers in
:mod:`layers.presets`, an algorithm's new layers next to the algorithm. Fields' short names,
units and aliases come from :mod:`layers.fields`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import geopandas as gpd

from layers import preset_styles as S
from layers.fields import FieldInfo, field_info
from layers.preset_styles import StyleFn


@dataclass(frozen=True)
class LayerSpec:
    """One known layer.

    geometry: the kind its features have (an empty layer keeps it). fields: the fields shown first
    (popups, identify, summaries; their aliases from :mod:`layers.fields`). summary_key: the key of
    the run summary that describes the layer (``summary.json``). algorithm: the algorithm that
    makes it (None for the park's inputs). role: "input" or "result"."""

    name: str
    title_zh: str
    title_en: str
    geometry: Literal["polygon", "line", "point"]
    style: StyleFn
    fields: tuple[str, ...] = ()
    summary_key: str | None = None
    algorithm: str | None = None
    role: Literal["input", "result"] = "result"

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def field(self, name: str) -> FieldInfo | None:
        """The field's short name, unit and aliases in this layer."""
        return field_info(name, self.name)

    def make_style(self, gdf: gpd.GeoDataFrame, **kw):
        return self.style(gdf, title=(self.title_zh, self.title_en), **kw)


_LAYERS: dict[str, LayerSpec] = {}


def register_layer(spec: LayerSpec) -> LayerSpec:
    """Declare a layer; declaring a name twice with a different spec is a programming error."""
    old = _LAYERS.get(spec.name)
    if old is not None and old != spec:
        raise ValueError(f"layer {spec.name!r} is declared twice")
    _LAYERS[spec.name] = spec
    return spec


def layer_spec(name: str) -> LayerSpec | None:
    """The declaration of layer ``name``, or None for a layer Lingtan does not know."""
    return _LAYERS.get(name)


def layer_specs(role: str | None = None) -> list[LayerSpec]:
    """Every declared layer in declaration order (= drawing order, bottom first)."""
    return [s for s in _LAYERS.values() if role is None or s.role == role]


def field_alias(name: str, layer: str | None = None, lang: str = "zh", *, with_unit: bool = True) -> str:
    """The alias of a field as shown to a person ("年发电量 (kWh/yr)"), the name when unknown."""
    info = field_info(name, layer)
    if info is None:
        return name
    label = info.zh if lang == "zh" else info.en
    return f"{label} ({info.unit})" if with_unit and info.unit else label


# The park's input layers and the built-in analyses' result layers, bottom → top. Fields: the
# attributes shown first (popups, identify), aliases in layers/fields.py.
_INPUT: Literal["input"] = "input"
for _spec in (
    LayerSpec("boundary", "园区红线", "Park boundary", "polygon",
              S.single(fill=S.NO_FILL, outline=S.BOUNDARY_RED, width=2.0), ("name", "name_en", "kind"),
              role=_INPUT),
    # OpenStreetMap Carto building fill/outline (openstreetmap-carto, style/buildings.mss)
    LayerSpec("buildings", "建筑", "Buildings", "polygon",
              S.single(fill="#d9d0c9", outline="#b9a99b", width=0.5),
              ("bldg_id", "name", "use", "floors", "height_m", "footprint_m2", "roof_type", "enterprise_id"),
              role=_INPUT),
    LayerSpec("green", "绿地", "Green space", "polygon", S.green_style,
              ("green_id", "name", "cover", "cover_en"), role=_INPUT),
    LayerSpec("tree_rows", "行道树", "Tree rows", "line",
              S.single(fill="#238b45", outline="#1b7837", width=2.5, marker_size_pt=4.0),
              ("row_id", "species", "tree_count", "spacing_m", "canopy_width_m"), role=_INPUT),
    LayerSpec("townships", "乡镇街道", "Townships", "polygon", S.townships_style, ("code", "name"),
              role=_INPUT),
    # OpenStreetMap Carto colours: water #aad3df, minor roads #ffffff cased #c1b7b0 (drawn grey here so
    # that they read on the light basemap-free canvas)
    LayerSpec("water", "水体", "Water", "polygon", S.single(fill="#aad3df", outline="#6ba7c1", width=0.5),
              ("name",), role=_INPUT),
    LayerSpec("roads", "道路", "Roads", "line", S.single(fill="#9e9e9e", outline="#9e9e9e", width=1.5),
              ("name",), role=_INPUT),
    LayerSpec("rooftop_pv", "屋顶光伏", "Rooftop PV", "polygon", S.rooftop_pv_style,
              ("bldg_id", "name", "use", "roof_class", "roof_m2", "usable_m2", "modules", "kwp", "kwh_yr",
               "kwh_per_kwp", "kwh_per_m2", "shade_loss_pct", "t_co2_yr"), summary_key="pv",
              algorithm="rooftop_pv"),
    LayerSpec("green_sinks", "绿地碳汇", "Green-space carbon sinks", "polygon", S.green_style,
              ("green_id", "name", "class_zh", "class_en", "area_m2", "t_co2_per_ha_yr", "t_co2_yr"),
              summary_key="carbon"),
    LayerSpec("tree_sinks", "行道树碳汇", "Tree-row carbon sinks", "line", S.tree_sinks_style,
              ("row_id", "species", "trees_n", "counted_canopy_m2", "t_co2_per_ha_yr", "t_co2_yr"),
              summary_key="carbon"),
    LayerSpec("township_intensity", "乡镇碳排放强度五色图", "Township carbon intensity", "polygon",
              S.township_intensity_style,
              ("code", "name", "t_co2", "gdp_10k_yuan", "intensity", "k_ratio", "class", "change_pct",
               "no_data_reason"), summary_key="intensity"),
    LayerSpec("enterprise_grades", "企业碳效等级（碳效码）", "Enterprise carbon-efficiency grades", "polygon",
              S.enterprise_grades_style,
              ("enterprise_id", "enterprise_name", "industry", "net_t_co2", "value_added_10k_yuan",
               "carbon_l", "benchmark_l", "carbon_k", "level", "grade", "rank_industry", "rank_park",
               "delta_l", "delta_grade"),
              summary_key="grades", algorithm="grades"),
    LayerSpec("pv_array_area", "光伏阵列可用范围", "PV array usable area", "polygon",
              S.single(fill=S.NO_FILL, outline=S.BLUES5[4], width=1.5), summary_key="pv_array",
              algorithm="pv_array"),
    # a hatched keep-out fill needs a pattern brush layers.style lacks: transparent, red outline
    LayerSpec("pv_array_exclusions", "光伏阵列排除区", "PV array exclusion zones", "polygon",
              S.single(fill=S.NO_FILL, outline=S.BOUNDARY_RED, width=1.2),
              ("kind", "label", "distance_m"), summary_key="pv_array", algorithm="pv_array"),
    LayerSpec("pv_array_tables", "光伏阵列支架", "PV array tables", "polygon", S.pv_array_tables_style,
              ("table_id", "row", "modules", "kwp", "kwh_yr", "kwh_per_kwp", "row_shade_loss_pct",
               "shade_loss_pct", "t_co2_yr"), summary_key="pv_array", algorithm="pv_array"),
    # ColorBrewer Oranges: receptors stand out from the blue PV and turbines
    LayerSpec("wind_receptors", "噪声与阴影敏感点", "Noise and flicker receptors", "point",
              S.single(fill="#fd8d3c", outline="#a63603", width=0.6, marker_size_pt=4.0),
              summary_key="wind"),
    LayerSpec("wind_violations", "风机约束冲突", "Turbine constraint violations", "line",
              S.single(fill=S.BOUNDARY_RED, outline=S.BOUNDARY_RED, width=2.0, marker_size_pt=7.0),
              summary_key="wind"),
    LayerSpec("enterprise_points", "企业位置", "Enterprises", "point", S.enterprise_points_style,
              ("entity", "enterprise_name", "placed_by", "t_co2", "tce", "value_added_10k_yuan", "land_mu",
               "t_co2_per_mu", "tce_per_mu", "value_added_10k_yuan_per_mu", "grade")),
    LayerSpec("turbines", "风机", "Wind turbines", "point",
              S.single(fill="#1565c0", outline="#ffffff", width=1.0, marker_size_pt=9.0),
              summary_key="wind"),
):
    register_layer(_spec)
