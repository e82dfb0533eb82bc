"""The result-layer registry: for each known layer its name, titles, geometry, fields and style.

Every reader of layers — the map, the legend, the attribute table and identify panel (Chinese
aliases with units), the exports' field mapping and web-map popups, the report — asks this
registry instead of keeping its own name-keyed table. A layer is declared once with
:func:`register_layer`: the park's input layers and the built-in analyses' result layers in
:mod:`layers.presets`, an algorithm's new layers next to the algorithm. Fields' short names,
units and aliases come from :mod:`layers.fields`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd

from layers.fields import FieldInfo, field_info

StyleFn = Callable[..., Any]
"""``style(gdf, title=(zh, en), **kw) -> layers.style.Style``."""


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


def _builtins() -> dict[str, LayerSpec]:
    """The registry with the park's and the built-in analyses' layers declared (layers.presets
    declares them when imported; it imports this module, hence the late import)."""
    import layers.presets  # noqa: F401

    return _LAYERS


def layer_spec(name: str) -> LayerSpec | None:
    """The declaration of layer ``name``, or None for a layer Lingtan does not know."""
    return _builtins().get(name)


def layer_specs(role: str | None = None) -> list[LayerSpec]:
    """Every declared layer in declaration order (= drawing order, bottom first)."""
    return [s for s in _builtins().values() if role is None or s.role == role]


def field_alias(name: str, layer: str | None = None, lang: str = "zh", *, with_unit: bool = True) -> str:
    """The alias of a field as shown to a person ("年发电量 (kWh/yr)"), the name when unknown."""
    info = field_info(name, layer)
    if info is None:
        return name
    label = info.zh if lang == "zh" else info.en
    return f"{label} ({info.unit})" if with_unit and info.unit else label
