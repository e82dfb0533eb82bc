"""Which open layers a ground PV array keeps clear of, and the sentence that says so.

Buildings and water are taken from the layer the user chose, else the park's role layer, else the
top-most visible polygon layer whose name or fields say buildings / water (a user who only opened
OSM footprints and drew an area has no park). The same bilingual sentence goes to the Siting
panel, the status line and ``summary["pv_array"]["exclusions"]`` (the report).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np

AUTO = ""
"""Option value: the park's role layer, else the first visible layer that says the kind."""
NO_LAYER = "(none)"
"""Option value: the user chose no layer (nothing of the kind is excluded)."""

ROLES = {"building": "buildings", "water": "water"}
"""The park role (layer name, gis.park.PARK_LAYERS) of each guessed kind."""
PENDING_ROLES_KEY = "park_roles"
"""``workspace.settings["park_roles"]``: {role: layer} chosen before the park is complete (the
layer tree's "Use as park layer" menu, app/gui/park_roles.py SETTINGS_KEY)."""

NAME_WORDS = {
    "building": ("建筑", "房屋", "building", "footprint"),
    "water": ("水", "water", "河", "湖", "lake", "river", "reservoir", "pond"),
}
"""Words in a layer's name or title that say what it holds (case-insensitive)."""
NOT_WATER_WORDS = ("水泥", "排水", "给水", "污水", "供水", "雨水", "水厂", "水电", "cement", "sewage",
                   "wastewater")
"""Names with 水/water that are not open water (cement works, drainage and supply networks, water
and sewage works, hydro plants): never guessed as water."""

FIELD_VALUES = {
    "building": {"kind": ("building", "building_part")},
    "water": {"natural": ("water", "wetland"), "landuse": ("reservoir", "basin"),
              "kind": ("water", "lake", "river", "riverbank", "reservoir", "basin", "wetland")},
}
"""Fields whose values say the kind (OSM tagging: wiki.openstreetmap.org Tag:natural=water,
Tag:landuse=reservoir, Tag:landuse=basin, Tag:natural=wetland; ``kind`` as the Tilezen/OSM vector
tile schema of the bundled OSM extracts writes it)."""
FIELD_PRESENT = {"building": ("building", "building:part"), "water": ("waterway", "water")}
"""Fields whose mere value says the kind (OSM keys building=*, building:part=*, waterway=* on
areas such as riverbank/dock, water=* refining natural=water)."""
NEVER_GUESSED = ("boundary", "green", "townships", "roads", "tree_rows", "rooftop_pv", "green_sinks",
                 "tree_sinks", "township_intensity", "pv_array_tables", "pv_array_area",
                 "pv_array_exclusions", "turbines", "wind_violations", "wind_receptors")
"""Park roles of another kind and result layers: never taken as buildings or water."""


@dataclass(frozen=True)
class Choice:
    """The layer found for ``kind``: ``layer`` (its name, "" when none) and how it was found —
    "chosen" (by the user), "role" (the park's), "guess" (its name or fields), "none" (the user
    chose none) or "missing" (nothing found)."""

    kind: str
    layer: str
    how: str


@dataclass
class Used:
    """One kind of exclusion of a layout: the layer (``name``, ``title_zh``/``title_en``) kept
    ``distance_m`` (m) away from, its rows in the work CRS (``frame``), and for water whether
    the park's green-space water and wetland are excluded too (``wetland``)."""

    kind: str
    how: str
    name: str = ""
    title_zh: str = ""
    title_en: str = ""
    distance_m: float = 0.0
    frame: gpd.GeoDataFrame | None = None
    wetland: bool = False

    @property
    def applied(self) -> bool:
        return bool(self.name) or self.wetland


def name_says(text: str, kind: str) -> bool:
    """Whether a layer name or title says ``kind`` ("building" or "water")."""
    t = (text or "").lower()
    if kind == "water" and any(w in t for w in NOT_WATER_WORDS):
        return False
    return any(w in t for w in NAME_WORDS[kind])


def rows_saying(gdf: gpd.GeoDataFrame, kind: str) -> np.ndarray | None:
    """The rows whose fields say ``kind`` (boolean array), or None when the layer has none of the
    fields that could say it."""
    cols = {str(c).lower(): c for c in gdf.columns if c != gdf.geometry.name}
    found = [c for c in (*FIELD_VALUES[kind], *FIELD_PRESENT[kind]) if c in cols]
    if not found:
        return None
    mask = np.zeros(len(gdf), dtype=bool)
    for key in found:
        col = gdf[cols[key]]
        values = col.astype("string").str.strip().str.lower()
        if key in FIELD_VALUES[kind]:
            mask |= values.isin(FIELD_VALUES[kind][key]).fillna(False).to_numpy(bool)
        else:  # OSM writes building=no for a tag that says "not a building"
            mask |= (col.notna() & ~values.isin(("", "no", "none", "nan"))).fillna(False).to_numpy(bool)
    return mask


def feature_rows(layer: Any, kind: str, cache: dict | None = None) -> np.ndarray | None:
    """The rows of ``layer`` to exclude as ``kind``: None (all of them) when its name or title
    says the kind or no field says it; else the rows its fields say (an OSM export holding
    buildings, water and land use together excludes only its buildings / water). Kept in
    ``cache`` per data version (a 100,000-feature layer takes ~50 ms per field)."""
    if name_says(layer.name, kind) or name_says(layer.title, kind):
        return None
    key = (id(layer), getattr(layer, "data_version", 0), kind)
    if cache is not None and key in cache:
        return cache[key]
    rows = rows_saying(layer.gdf, kind)
    if rows is not None and not rows.any():
        rows = None
    if cache is not None:
        if len(cache) > 64:
            cache.clear()
        cache[key] = rows
    return rows


def _usable(ws, name: str) -> Any:
    lyr = ws.layer(name) if name else None
    if lyr is None or not hasattr(lyr, "gdf") or len(lyr.gdf) == 0 or lyr.geometry_kind != "polygon":
        return None
    return lyr


def _says(lyr: Any, kind: str, cache: dict | None) -> bool:
    if name_says(lyr.name, kind) or name_says(lyr.title, kind):
        return True
    return feature_rows(lyr, kind, cache) is not None


def choose_layer(workspace, kind: str, option: str, cache: dict | None = None) -> Choice:
    """The layer to exclude as ``kind`` ("building" or "water") for the option value ``option``
    (a layer name, :data:`AUTO` or :data:`NO_LAYER`). A chosen layer that is no longer open
    counts as automatic (a project reopened without it)."""
    if option == NO_LAYER:
        return Choice(kind, "", "none")
    if workspace is None:
        return Choice(kind, "", "missing")
    if option and _usable(workspace, option) is not None:
        return Choice(kind, option, "chosen")
    role = ROLES[kind]
    park = getattr(workspace, "park", None)
    if park is not None and getattr(park, role, None) is not None and _usable(workspace, role) is not None:
        return Choice(kind, role, "role")
    pending = (workspace.settings.get(PENDING_ROLES_KEY) or {}).get(role)
    if pending and _usable(workspace, pending) is not None:
        return Choice(kind, pending, "role")
    other = ROLES["water" if kind == "building" else "building"]
    tree = workspace.tree
    for lyr in reversed(workspace.layers()):  # top of the layer panel first
        if lyr.name in NEVER_GUESSED or lyr.name == other or not tree.is_drawn(lyr):
            continue
        if _usable(workspace, lyr.name) is lyr and _says(lyr, kind, cache):
            return Choice(kind, lyr.name, "guess")
    return Choice(kind, "", "missing")


KIND_WORDS = {"building": ("建筑", "buildings", "Buildings"), "road": ("道路", "roads", "Roads"),
              "water": ("水体", "water", "Water")}
"""(Chinese, English, English capitalised) of each exclusion kind."""
WETLAND_WORDS = ("园区绿地中的水体和湿地", "the park's water and wetland green space")


def _why_not(u: Used) -> tuple[str, str]:
    zh, en, cap = KIND_WORDS[u.kind]
    if u.how == "none":
        return f"未排除{zh}：选择了“无”", f"{cap} not excluded: “(none)” chosen"
    if u.kind == "road":
        return f"未排除{zh}：未选{zh}图层", f"{cap} not excluded: no {en} layer chosen"
    return f"未排除{zh}：没有{zh}图层", f"{cap} not excluded: no {en} layer"


def _part(u: Used) -> tuple[str, str]:
    zh, en, _ = KIND_WORDS[u.kind]
    names_zh = [n for n in (u.title_zh,) if n] + ([WETLAND_WORDS[0]] if u.wetland else [])
    names_en = [n for n in (u.title_en,) if n] + ([WETLAND_WORDS[1]] if u.wetland else [])
    if u.distance_m > 0:
        names_zh.append(f"退让 {u.distance_m:g} m")
        names_en.append(f"{u.distance_m:g} m setback")
    return f"{zh}（{'，'.join(names_zh)}）", f"{en} ({', '.join(names_en)})"


def exclusion_note(used: list[Used]) -> tuple[str, str]:
    """The sentence (Chinese, English) naming the layers excluded and the kinds that were not, e.g.
    "排除：建筑（osm_buildings，退让 5 m）、水体（河湖）；未排除道路：未选道路图层"."""
    done = [_part(u) for u in used if u.applied]
    missed = [_why_not(u) for u in used if not u.applied]
    zh = "排除：" + "、".join(p[0] for p in done) if done else ""
    en = "Excluded: " + ", ".join(p[1] for p in done) if done else ""
    zh = "；".join([s for s in (zh, *(m[0] for m in missed)) if s])
    en = ". ".join([s for s in (en, *(m[1] for m in missed)) if s])
    return zh, (en + "." if en else en)


def stack_frames(frames: list[gpd.GeoDataFrame | None], crs) -> gpd.GeoDataFrame | None:
    """The geometries of ``frames`` (in ``crs`` already) as one frame; None when there are none."""
    geoms = [np.asarray(f.geometry.array, dtype=object) for f in frames if f is not None and len(f)]
    if not geoms:
        return None
    return gpd.GeoDataFrame(geometry=gpd.GeoSeries(np.concatenate(geoms), crs=crs), crs=crs)
