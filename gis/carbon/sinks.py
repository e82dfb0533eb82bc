"""Carbon sinks of green space: land-cover areas × per-class sink factors, and tree canopy.

Sign convention: ``t_co2_yr`` > 0 is a removal (sink), < 0 a net source (construction land,
cropland in the Guangdong LULUCF set). The factor table (``resources/factors/sink_factors.csv``)
holds annual per-area fluxes only (tCO2 per ha of land, or per ha of canopy for urban trees);
the per-plant 40-year tables of green-building tools are a different, building-scale quantity and
are never mixed in (DOMAIN.md §4).

- :func:`vector_sinks`: green polygons with a land-cover type field (Chinese/English names).
- :func:`tree_sinks`: tree rows (lines), single trees (points) or canopy polygons → canopy area
  × the urban-canopy rate (Nowak et al. 2013), minus canopy inside polygons already counted as forest.
- :func:`combine_sinks`: one result (and total) from several.
- Raster land cover: :func:`gis.carbon.landcover.raster_sinks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError, Problem
from gis.fields import find_field
from gis.paths import resources_dir

T_CO2_PER_T_C = 44.0 / 12.0
M2_PER_HA = 10_000.0
CANOPY_CLASS = "tree_canopy"
URBAN_CANOPY_KG_C_PER_M2_YR = 0.28
"""Gross sequestration of urban trees per m² of canopy per year, US average (Nowak et al. 2013)."""

TYPE_FIELD_CANDIDATES = (
    "cover", "land_cover", "landcover", "lc", "lulc", "cover_type", "green_type", "type", "class",
    "覆盖类型", "地表覆盖", "植被类型", "绿地类型", "用地类型", "地类", "地类名称", "类型", "类别",
    "cover_en", "type_en",
)
ID_FIELD_CANDIDATES = ("id", "fid", "objectid", "green_id", "tree_id", "row_id", "编号", "序号")
COUNT_FIELD_CANDIDATES = ("tree_count", "trees", "n_trees", "count", "株数", "棵数", "数量", "树木数量")
SPACING_FIELD_CANDIDATES = ("spacing_m", "spacing", "tree_spacing_m", "株距", "株距m", "间距", "间距m")
WIDTH_FIELD_CANDIDATES = (
    "canopy_width_m", "canopy_width", "canopy_diameter_m", "canopy_diameter", "crown_width_m",
    "crown_width", "crown_diameter_m", "crown_diameter", "冠幅", "冠幅m", "冠径", "冠径m", "树冠直径",
)
OVERLAP_TOLERANCE_M2 = 0.01
"""Overlaps smaller than this (1 dm²; digitising noise along shared edges) are ignored."""
_NONE = np.array(None, dtype=object)
"""None as a 0-d object array, for ``np.where(mask, geoms, _NONE)``: the same result as a bare None,
which numpy's type stubs do not accept."""

_FACTOR_COLUMNS = ("class", "name_zh", "name_en", "aliases", "t_co2_per_ha_yr", "low", "high", "unit",
                   "basis", "year", "region", "source", "note")
_USER_COLUMN_NAMES = {  # accepted headers of a user factor table
    "class": ("class", "key", "class_key", "类别", "类别代码", "地类代码"),
    "name_zh": ("name_zh", "名称", "中文名称", "地类", "地类名称"),
    "name_en": ("name_en", "english", "英文名称"),
    "aliases": ("aliases", "alias", "keywords", "别名", "关键词"),
    "t_co2_per_ha_yr": ("t_co2_per_ha_yr", "tco2/ha/yr", "tco2_ha_yr", "factor", "sink_factor",
                        "碳汇系数", "碳汇强度", "固碳系数"),
    "unit": ("unit", "单位"),
    "basis": ("basis",),
    "year": ("year", "年份"),
    "region": ("region", "地区", "区域"),
    "source": ("source", "来源", "出处", "数据来源"),
    "note": ("note", "notes", "备注", "说明"),
}


# ---------------------------------------------------------------- factor table ----

def factors_path() -> Path:
    """The bundled default factor table."""
    return Path(resources_dir()) / "factors" / "sink_factors.csv"


@lru_cache(maxsize=1)
def _default_factors() -> pd.DataFrame:
    table = pd.read_csv(factors_path(), dtype={"class": str, "aliases": str})
    table["origin"] = "default"
    return table


def default_sink_factors() -> pd.DataFrame:
    """The default factor table (one row per class, with sources), a fresh copy."""
    return _default_factors().copy()


def load_sink_factors(path: str | Path | None = None) -> pd.DataFrame:
    """The default table, overridden/extended by a user CSV/Excel file when ``path`` is given.

    A user row whose class (key, Chinese or English name) matches a default class replaces its
    factor (and source, names, note where given) and adds its aliases; other rows add classes.
    Required columns: ``class`` and ``t_co2_per_ha_yr`` (Chinese headers such as 类别, 碳汇系数
    accepted). Rows without a source are labelled as coming from the user's file.
    """
    base = default_sink_factors()
    if path is None:
        return base
    from gis.io import read_data_table

    user, _ = read_data_table(path)
    return merge_sink_factors(base, user, label=Path(path).name, path=str(path))


def merge_sink_factors(base: pd.DataFrame, user: pd.DataFrame, *, label: str = "user",
                       path: str | None = None) -> pd.DataFrame:
    """``base`` with the rows of ``user`` (see :func:`load_sink_factors`) applied."""
    cols = {key: find_field(user.columns, names) for key, names in _USER_COLUMN_NAMES.items()}
    if cols["class"] is None or cols["t_co2_per_ha_yr"] is None:
        raise InputError(
            "碳汇系数表需要“class（类别）”和“t_co2_per_ha_yr（碳汇系数，tCO2/公顷/年）”两列；"
            f"现有列：{', '.join(map(str, user.columns))}",
            "The sink factor table needs the columns 'class' and 't_co2_per_ha_yr' (tCO2/ha/yr); "
            f"it has: {', '.join(map(str, user.columns))}", path=path, code="sinks.factors_columns")
    values = pd.to_numeric(user[cols["t_co2_per_ha_yr"]], errors="coerce")
    keys = user[cols["class"]].astype("string").str.strip()
    bad = values.isna() | ~np.isfinite(values.fillna(0)) | keys.isna() | (keys == "")
    if bad.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy()))  # +2: header, 1-based
        raise InputError(f"碳汇系数表第 {rows} 行缺少类别或系数不是数字",
                         f"Sink factor table row(s) {rows}: missing class or non-numeric factor",
                         path=path, code="sinks.factors_values")
    out = base.copy()
    default_source = f"用户系数表 / user factor table: {label}"
    for i in range(len(user)):  # a handful of rows: a plain loop is clear
        key = str(keys.iloc[i])
        get = {k: (user[c].iloc[i] if c is not None else None) for k, c in cols.items()}
        given = {k: v for k, v in get.items() if v is not None and not (isinstance(v, float) and np.isnan(v))
                 and str(v).strip() != ""}
        hit = _match_class_key(out, key)
        new_aliases = _split_aliases(given.get("aliases", ""))
        if hit is None:
            row: dict[str, object] = {c: None for c in out.columns}
            row.update({"class": key, "name_zh": given.get("name_zh", key),
                        "name_en": given.get("name_en", key), "unit": "tCO2/ha/yr", "basis": "land_cover"})
            out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
            idx = out.index[-1]
        else:
            idx = hit
        for k in ("name_zh", "name_en", "unit", "basis", "year", "region", "note"):
            if k in given:
                out.loc[idx, k] = given[k]
        out.loc[idx, "t_co2_per_ha_yr"] = float(values.iloc[i])
        out.loc[idx, "source"] = str(given.get("source", default_source))
        out.loc[idx, "origin"] = "user"
        if hit is not None and "note" not in given:
            out.loc[idx, "note"] = None
        if new_aliases:  # a user alias belongs to this class only
            normed = {_norm(a) for a in new_aliases}
            out["aliases"] = [
                "|".join(a for a in _split_aliases(s) if _norm(a) not in normed) for s in out["aliases"]]
            old = _split_aliases(out.loc[idx, "aliases"])
            out.loc[idx, "aliases"] = "|".join(dict.fromkeys(old + new_aliases))
    return out.reset_index(drop=True)


def _match_class_key(table: pd.DataFrame, key: str):
    k = _norm(key)
    for col in ("class", "name_zh", "name_en"):
        hit = table.index[table[col].astype(str).map(_norm) == k]
        if len(hit):
            return hit[0]
    return None


def _split_aliases(text) -> list[str]:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return []
    return [a.strip() for a in re.split(r"[|;；,，、]", str(text)) if a.strip()]


def _norm(text) -> str:
    """Lower case, full-width → half-width, separators collapsed to single spaces."""
    import unicodedata

    s = unicodedata.normalize("NFKC", str(text)).lower()
    s = re.sub(r"[\s_\-/()\[\]]+", " ", s).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", s)  # no spaces between CJK characters


def _keyword_pattern(keyword: str):
    """CJK keywords match anywhere in a value; Latin ones only as whole words ('street' ≠ 'tree')."""
    if keyword.isascii():
        return re.compile(rf"(?<![a-z0-9]){re.escape(keyword)}(?![a-z0-9])")
    return re.compile(re.escape(keyword))


def map_cover_types(values, factors: pd.DataFrame | None = None) -> tuple[np.ndarray, dict]:
    """Map land-cover type names (Chinese/English, any case) to class keys of ``factors``.

    A value equal to a class key, name or alias maps directly; otherwise the longest alias
    found inside it wins ("乔木林地" → forest, "灌木林" → shrub, "Mixed forest" → forest), and
    among equally long ones the last in the value (the head noun: "草本湿地" → wetland). Aliases
    written "=道路" match whole values only ("道路绿地" is green space, not a road). Returns the
    class per value (``None`` where unmapped) and ``{unmapped value: reason}`` with reason "unknown",
    "ambiguous: a, b" or "empty".
    """
    factors = default_sink_factors() if factors is None else factors
    exact: dict[str, str] = {}
    patterns: list[tuple[int, str, re.Pattern]] = []
    for _, row in factors.iterrows():
        words = [row["class"], row.get("name_zh"), row.get("name_en"), *_split_aliases(row.get("aliases"))]
        for w in words:
            if w is None or (isinstance(w, float) and np.isnan(w)) or not _norm(str(w).lstrip("=")):
                continue
            whole = str(w).startswith("=")  # "=道路": only the whole value ("道路绿地" is not a road)
            key = _norm(str(w).lstrip("="))
            exact.setdefault(key, row["class"])
            if not whole:
                patterns.append((len(key), row["class"], _keyword_pattern(key)))
    text = type_text(values)
    mapping: dict[str, str | None] = {}
    unmapped: dict[str, str] = {}
    for v in pd.unique(text):  # unique values only (a few), not features
        if v == "":
            mapping[v], unmapped[v] = None, "empty"
            continue
        n = _norm(v)
        if n in exact:
            mapping[v] = exact[n]
            continue
        found = [(length, max(m.end() for m in pat.finditer(n)), cls)
                 for length, cls, pat in patterns if pat.search(n)]
        if not found:
            mapping[v], unmapped[v] = None, "unknown"
            continue
        best = max((length, end) for length, end, _ in found)
        classes = sorted({cls for length, end, cls in found if (length, end) == best})
        if len(classes) > 1:
            mapping[v], unmapped[v] = None, "ambiguous: " + ", ".join(classes)
        else:
            mapping[v] = classes[0]
    return text.map(mapping).to_numpy(dtype=object), unmapped


def type_text(values) -> pd.Series:
    """Type values as stripped strings, "" for missing ones (the keys of :func:`map_cover_types`)."""
    return pd.Series(np.asarray(values, dtype=object)).astype("string").str.strip().fillna("").astype(object)


def accepted_types_text(factors: pd.DataFrame, lang: str) -> str:
    """'林地(森林, 乔木, …); 灌木(…)' — the class names and a few aliases, for error messages."""
    parts = []
    for _, row in factors.iterrows():
        aliases = _split_aliases(row.get("aliases"))
        if lang == "zh":
            name, shown = row["name_zh"], [a for a in aliases if not a.isascii()][:4]
        else:
            name, shown = f"{row['class']}", [a for a in aliases if a.isascii()][:4]
        parts.append(f"{name}（{'、'.join(shown)}）" if lang == "zh" else f"{name} ({', '.join(shown)})")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


# ---------------------------------------------------------------- results ----

@dataclass
class SinkResult:
    """Areas and annual CO2 sinks by class (and per feature), with the problems found.

    by_class: one row per class: ``class, name_zh, name_en, basis`` ("land_cover" = area of land,
        "canopy" = crown projection area), ``n`` (features, or pixel equivalents for rasters),
        ``area_m2, area_ha, t_co2_per_ha_yr, t_co2_yr, source``.
    features: per green polygon (vector): input columns + ``sink_class, class_zh, class_en,
        area_m2, area_ha, t_co2_per_ha_yr, t_co2_yr, factor_source``.
    trees: per tree row/point/canopy polygon: input columns + ``trees_n, canopy_width_used_m,
        canopy_m2, canopy_in_forest_m2, counted_canopy_m2, area_ha, t_co2_per_ha_yr, t_co2_yr,
        factor_source``.
    by_code: rasters: one row per code present inside the boundary: ``code, class, pixels``
        (exact pixel equivalents), ``area_m2, area_ha, t_co2_yr`` (class NaN for unmapped codes).
    excluded: what was not counted and why: ``reason, value, n, area_m2``.
    factors_label: the factor set used ("default" or the user's file).
    double_counted_m2: area counted more than once by overlapping green polygons.
    boundary_area_m2: rasters: the boundary's area (m²), to compare with the classes' sum.
    """

    by_class: pd.DataFrame
    method: str
    features: gpd.GeoDataFrame | None = None
    trees: gpd.GeoDataFrame | None = None
    by_code: pd.DataFrame | None = None
    excluded: pd.DataFrame = field(default_factory=lambda: _excluded_frame([]))
    problems: list[Problem] = field(default_factory=list)
    factors_label: str = "default"
    double_counted_m2: float = 0.0
    boundary_area_m2: float | None = None

    @property
    def total_t_co2_yr(self) -> float:
        """Net annual sink (removals − sources), tCO2/yr: the figure for a carbon balance."""
        return float(self.by_class["t_co2_yr"].sum())

    @property
    def removals_t_co2_yr(self) -> float:
        """Sum over the classes that remove CO2 (positive factors)."""
        t = self.by_class["t_co2_yr"]
        return float(t[t > 0].sum())

    @property
    def sources_t_co2_yr(self) -> float:
        """Sum over the classes that emit (construction land, cropland), as a positive number."""
        t = self.by_class["t_co2_yr"]
        return 0.0 - float(t[t < 0].sum())

    @property
    def land_area_m2(self) -> float:
        """Land area counted (land-cover classes; canopy, roof and wall greening are not land and not
        included)."""
        b = self.by_class
        return float(b.loc[~b["basis"].isin(("canopy", "roof", "wall")), "area_m2"].sum())

    @property
    def canopy_area_m2(self) -> float:
        """Tree canopy counted with the urban-canopy rate (crown projection, m²)."""
        b = self.by_class
        return float(b.loc[b["basis"] == "canopy", "area_m2"].sum())

    def to_dict(self) -> dict:
        """JSON-ready summary (units in the keys)."""
        rows = []
        for _, r in self.by_class.iterrows():
            rows.append({"class": r["class"], "name_zh": r["name_zh"], "name_en": r["name_en"],
                         "basis": r["basis"], "n": _num(r["n"]), "area_m2": round(float(r["area_m2"]), 1),
                         "area_ha": round(float(r["area_ha"]), 4),
                         "t_co2_per_ha_yr": float(r["t_co2_per_ha_yr"]),
                         "t_co2_yr": round(float(r["t_co2_yr"]), 4), "source": r["source"]})
        excluded = [{"reason": r["reason"], "value": _num(r["value"]), "n": _num(r["n"]),
                     "area_m2": round(float(r["area_m2"]), 1)} for _, r in self.excluded.iterrows()]
        return {
            "method": self.method, "factors": self.factors_label,
            "total_t_co2_yr": round(self.total_t_co2_yr, 4),
            "removals_t_co2_yr": round(self.removals_t_co2_yr, 4),
            "sources_t_co2_yr": round(self.sources_t_co2_yr, 4),
            "land_area_m2": round(self.land_area_m2, 1),
            "land_area_ha": round(self.land_area_m2 / M2_PER_HA, 4),
            "canopy_area_m2": round(self.canopy_area_m2, 1),
            "double_counted_m2": round(self.double_counted_m2, 1),
            "boundary_area_m2": None if self.boundary_area_m2 is None else round(self.boundary_area_m2, 1),
            "by_class": rows, "excluded": excluded,
            "problems": [p.to_dict() for p in self.problems],
        }


def _num(v):
    try:
        return v.item()
    except AttributeError:
        return v


def _excluded_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["reason", "value", "n", "area_m2"])


def summarise_by_class(classes: np.ndarray, area_m2: np.ndarray, factors: pd.DataFrame,
                       n: np.ndarray | None = None) -> pd.DataFrame:
    """Sum ``area_m2`` (and ``n``, default 1 each) by class key and apply the class factors."""
    df = pd.DataFrame({"class": classes, "area_m2": area_m2,
                       "n": np.ones(len(area_m2)) if n is None else n})
    df = df[df["class"].notna()]
    g = df.groupby("class", sort=False).agg(n=("n", "sum"), area_m2=("area_m2", "sum")).reset_index()
    f = factors.set_index("class")
    g["name_zh"] = g["class"].map(f["name_zh"])
    g["name_en"] = g["class"].map(f["name_en"])
    g["basis"] = g["class"].map(f["basis"]).fillna("land_cover")
    g["area_ha"] = g["area_m2"] / M2_PER_HA
    g["t_co2_per_ha_yr"] = g["class"].map(f["t_co2_per_ha_yr"]).astype(float)
    g["t_co2_yr"] = g["area_ha"] * g["t_co2_per_ha_yr"]
    g["source"] = g["class"].map(f["source"])
    order = {c: i for i, c in enumerate(factors["class"])}
    g = g.sort_values("class", key=lambda s: s.map(order)).reset_index(drop=True)
    if (g["n"] == g["n"].round()).all():
        g["n"] = g["n"].astype(int)
    return g[["class", "name_zh", "name_en", "basis", "n", "area_m2", "area_ha", "t_co2_per_ha_yr",
              "t_co2_yr", "source"]]


def _empty_by_class() -> pd.DataFrame:
    return pd.DataFrame(columns=["class", "name_zh", "name_en", "basis", "n", "area_m2", "area_ha",
                                 "t_co2_per_ha_yr", "t_co2_yr", "source"]).astype(
        {"n": int, "area_m2": float, "area_ha": float, "t_co2_per_ha_yr": float, "t_co2_yr": float})


def feature_ids(gdf: pd.DataFrame, id_field: str | None = None) -> np.ndarray:
    """Labels to name features by: ``id_field``, else a recognised id column, else row numbers."""
    f = id_field or find_field(gdf.columns, ID_FIELD_CANDIDATES)
    if f is not None and f in gdf.columns:
        return gdf[f].to_numpy()
    return np.arange(len(gdf))


def _require_metric(gdf: gpd.GeoDataFrame, what_zh: str, what_en: str) -> None:
    if gdf.crs is None or not gdf.crs.is_projected:
        raise InputError(f"{what_zh}需要米制投影坐标系才能计算面积，请先投影（如 EPSG:4549）",
                         f"The {what_en} must be in a projected (metric) CRS to measure areas: "
                         "reproject it first (e.g. EPSG:4549)", code="sinks.crs")


def _resolve_field(gdf, name: str | None, candidates, what_zh: str, what_en: str, *,
                   required: bool) -> str | None:
    if name:
        f = find_field(gdf.columns, [name])
        if f is None:
            fields = ", ".join(str(c) for c in gdf.columns if c != gdf.geometry.name)
            raise InputError(f"找不到{what_zh}字段“{name}”。现有字段：{fields}",
                             f"No {what_en} field '{name}'. Fields: {fields}", code="sinks.field")
        return f
    f = find_field(gdf.columns, candidates)
    if f is None and required:
        fields = ", ".join(str(c) for c in gdf.columns if c != gdf.geometry.name)
        zh_names = "、".join(c for c in candidates if not c.isascii())
        en_names = ", ".join(c for c in candidates if c.isascii())
        raise InputError(f"找不到{what_zh}字段（如 {zh_names}），请指定字段名。现有字段：{fields}",
                         f"No {what_en} field found (e.g. {en_names}): name the field. Fields: {fields}",
                         code="sinks.field")
    return f


# ---------------------------------------------------------------- vector polygons ----

def vector_sinks(green: gpd.GeoDataFrame, *, type_field: str | None = None,
                 factors: pd.DataFrame | None = None, unknown: str = "error",
                 id_field: str | None = None, factors_label: str | None = None) -> SinkResult:
    """Sinks of green polygons (metric CRS) by land-cover type.

    type_field: the field holding the type (林地/草地/Forest/…); default: the first of
        :data:`TYPE_FIELD_CANDIDATES` present.
    factors: factor table (:func:`load_sink_factors`); default: the bundled one.
    unknown: "error" (default) raises InputError naming the unmapped values and the accepted
        types; "exclude" leaves those features out, each reported (``excluded`` and a warning).
    Features that are not polygons are excluded and reported. Overlapping polygons are counted
    as they are (each its full area) and flagged: ``double_counted_m2`` and a warning.
    """
    if unknown not in ("error", "exclude"):
        raise ValueError(f"unknown must be 'error' or 'exclude', not {unknown!r}")
    _require_metric(green, "绿地图层", "green-space layer")
    if factors is None:
        factors = default_sink_factors()
    label = factors_label or _factors_label(factors)
    tf = _resolve_field(green, type_field, TYPE_FIELD_CANDIDATES, "绿地类型", "land-cover type",
                        required=True)
    ids = feature_ids(green, id_field)
    problems: list[Problem] = []
    excluded_rows: list[dict] = []
    geoms = np.asarray(green.geometry.array)
    present = ~(pd.isna(geoms) | shapely.is_empty(geoms))
    polygonal = present & np.isin(shapely.get_type_id(geoms), (3, 6))  # Polygon, MultiPolygon
    if (~polygonal).any():
        bad = ~polygonal
        problems.append(Problem("warning", "sinks.not_polygons",
                                f"{int(bad.sum())} 个绿地要素不是面（或为空），未计入碳汇",
                                f"{int(bad.sum())} green feature(s) are not polygons (or empty) and were "
                                "not counted", list(ids[bad])))
        excluded_rows.append({"reason": "not polygon", "value": None, "n": int(bad.sum()), "area_m2": 0.0})
    invalid = polygonal & ~shapely.is_valid(np.where(polygonal, geoms, _NONE))
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    area = np.where(polygonal, shapely.area(np.where(polygonal, geoms, _NONE)), 0.0)
    area = np.nan_to_num(area)
    types = type_text(green[tf]).to_numpy(dtype=object)
    classes, unmapped = map_cover_types(types, factors)
    if unmapped:
        is_unmapped = pd.isna(pd.Series(classes)).to_numpy() & polygonal
        n_of = {v: int((is_unmapped & (types == v)).sum()) for v in unmapped}
        listed_zh = "；".join(f"“{_shown(v)}”（{n_of[v]} 个{'，' + _reason_zh(r) if r != 'unknown' else ''}）"
                             for v, r in unmapped.items())
        listed_en = "; ".join(f"'{_shown(v)}' ({n_of[v]}{', ' + r if r != 'unknown' else ''})"
                              for v, r in unmapped.items())
        if unknown == "error":
            raise InputError(
                f"字段“{tf}”中有无法识别的绿地类型：{listed_zh}。"
                f"可识别的类型：{accepted_types_text(factors, 'zh')}。"
                "请修改数据，或在系数表（--factors）的 aliases 列中加入这些名称，或用 --skip-unknown 跳过",
                f"Unrecognised land-cover types in field '{tf}': {listed_en}. Accepted types: "
                f"{accepted_types_text(factors, 'en')}. Fix the data, add the names to the aliases column of "
                "a factor table (--factors), or skip them (--skip-unknown)", code="sinks.unknown_type")
        problems.append(Problem("warning", "sinks.unknown_type",
                                f"{int(is_unmapped.sum())} 个绿地要素的类型无法识别，未计入碳汇：{listed_zh}",
                                f"{int(is_unmapped.sum())} green feature(s) of unrecognised type were not "
                                f"counted: {listed_en}", list(ids[is_unmapped])))
        for v in unmapped:
            sel = is_unmapped & (types == v)
            excluded_rows.append({"reason": "unknown type", "value": _shown(v), "n": int(sel.sum()),
                                  "area_m2": float(area[sel].sum())})
    counted = polygonal & pd.notna(pd.Series(classes)).to_numpy()
    f = factors.set_index("class")
    cls = pd.Series(np.where(counted, classes, _NONE), index=green.index, dtype=object)
    out = green.copy()
    out["sink_class"] = cls
    out["class_zh"] = cls.map(f["name_zh"])
    out["class_en"] = cls.map(f["name_en"])
    out["area_m2"] = area
    out["area_ha"] = area / M2_PER_HA
    out["t_co2_per_ha_yr"] = cls.map(f["t_co2_per_ha_yr"]).astype(float)
    out["t_co2_yr"] = (out["area_ha"] * out["t_co2_per_ha_yr"]).where(counted, 0.0)
    out["factor_source"] = cls.map(f["source"])
    by_class = summarise_by_class(classes[counted], area[counted], factors) if counted.any() \
        else _empty_by_class()
    double = _overlap_area(geoms[counted], area[counted])
    if double > OVERLAP_TOLERANCE_M2:
        pair_ids = _overlapping_ids(geoms[counted], ids[counted])
        problems.append(Problem(
            "warning", "sinks.overlap",
            f"{len(pair_ids)} 个绿地面相互重叠，约 {double:,.1f} 平方米被重复计算（碳汇偏高）；请检查数据",
            f"{len(pair_ids)} green polygons overlap: about {double:,.1f} m² are counted more than once "
            "(sinks overstated); check the data", pair_ids))
    return SinkResult(by_class=by_class, method="vector", features=out, problems=problems,
                      excluded=_excluded_frame(excluded_rows), factors_label=label, double_counted_m2=double)


def _shown(v) -> str:
    return "(空 empty)" if v == "" else str(v)


def _reason_zh(reason: str) -> str:
    if reason == "empty":
        return "空值"
    if reason.startswith("ambiguous"):
        return "含义不明确，可能是 " + reason.split(":", 1)[1].strip()
    return reason


def _factors_label(factors: pd.DataFrame) -> str:
    if "origin" in factors.columns and (factors["origin"] == "user").any():
        return "default + user"
    return "default (resources/factors/sink_factors.csv)"


def _overlap_area(geoms: np.ndarray, areas: np.ndarray) -> float:
    """Area counted more than once: Σ areas − area of their union (0 when nothing overlaps)."""
    if len(geoms) < 2:
        return 0.0
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    if not keep.any():
        return 0.0
    inter = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]]))
    if not (inter > OVERLAP_TOLERANCE_M2).any():
        return 0.0
    return max(float(areas.sum() - shapely.union_all(geoms).area), 0.0)


def _overlapping_ids(geoms: np.ndarray, ids: np.ndarray) -> list:
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    inter = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    hit = inter > OVERLAP_TOLERANCE_M2
    idx = np.unique(np.concatenate([left[hit], right[hit]]))
    return list(ids[idx])


# ---------------------------------------------------------------- trees ----

def tree_sinks(trees: gpd.GeoDataFrame, *, green: gpd.GeoDataFrame | None = None,
               count_field: str | None = None, spacing_field: str | None = None,
               width_field: str | None = None, factors: pd.DataFrame | None = None,
               forest_classes: tuple[str, ...] = ("forest",), id_field: str | None = None,
               factors_label: str | None = None) -> SinkResult:
    """Sinks of trees outside forest: canopy area × the urban-canopy rate (class ``tree_canopy``).

    trees (metric CRS): tree rows (LineStrings: count from ``tree_count``, else
        ⌊length / spacing_m⌋ + 1), single trees (Points; ``tree_count`` if given, else one per
        point) — canopy = count × π (canopy_width_m / 2)², capped at the row's crown strip
        (line buffered by the crown radius) when crowns overlap — or canopy polygons (their area).
    green: the ``features`` of :func:`vector_sinks` (or any frame with ``sink_class``, or the raw
        green layer, classified here by its type field): canopy over polygons of
        ``forest_classes`` is already counted by the forest rate and is taken off
        (``canopy_in_forest_m2``, reported as info).
    """
    _require_metric(trees, "树木图层", "tree layer")
    if factors is None:
        factors = default_sink_factors()
    label = factors_label or _factors_label(factors)
    if CANOPY_CLASS not in set(factors["class"]):
        raise InputError(f"碳汇系数表中缺少“{CANOPY_CLASS}”（树冠）类别",
                         f"The sink factor table has no '{CANOPY_CLASS}' class", code="sinks.factors_canopy")
    ids = feature_ids(trees, id_field)
    geoms = np.asarray(trees.geometry.array)
    present = ~(pd.isna(geoms) | shapely.is_empty(geoms))
    tid = np.where(present, shapely.get_type_id(np.where(present, geoms, _NONE)), -1)
    is_line = np.isin(tid, (1, 5))
    is_point = np.isin(tid, (0, 4))
    is_poly = np.isin(tid, (3, 6))
    problems: list[Problem] = []
    excluded_rows: list[dict] = []
    other = ~(is_line | is_point | is_poly)
    if other.any():
        problems.append(Problem("warning", "sinks.trees_geometry",
                                f"{int(other.sum())} 个树木要素没有可用的几何图形，未计入",
                                f"{int(other.sum())} tree feature(s) have no usable geometry and were not "
                                "counted", list(ids[other])))
        excluded_rows.append({"reason": "no geometry", "value": None, "n": int(other.sum()), "area_m2": 0.0})
    need_width = is_line | is_point
    wf = _resolve_field(trees, width_field, WIDTH_FIELD_CANDIDATES, "冠幅（米）", "canopy width (m)",
                        required=bool(need_width.any()))
    cf = _resolve_field(trees, count_field, COUNT_FIELD_CANDIDATES, "株数", "tree count", required=False)
    sf = _resolve_field(trees, spacing_field, SPACING_FIELD_CANDIDATES, "株距（米）", "spacing (m)",
                        required=False)
    n_rows = len(trees)
    width = _numeric(trees, wf, n_rows)
    count = _numeric(trees, cf, n_rows)
    spacing = _numeric(trees, sf, n_rows)
    bad_w = need_width & ~(width > 0)
    if bad_w.any():
        raise InputError(f"{int(bad_w.sum())} 个树木要素的冠幅（{wf}）缺失或不是正数："
                         f"{_ids_text(ids[bad_w])}",
                         f"{int(bad_w.sum())} tree feature(s) have a missing or non-positive canopy width "
                         f"({wf}): {_ids_text(ids[bad_w])}", code="sinks.canopy_width")
    length = np.where(is_line, shapely.length(np.where(is_line, geoms, _NONE)), 0.0)
    length = np.nan_to_num(length)
    n_points = np.where(is_point, shapely.get_num_geometries(np.where(is_point, geoms, _NONE)), 0)
    from_spacing = np.floor(length / np.where(spacing > 0, spacing, np.nan) + 1e-9) + 1
    n_trees = np.where(count > 0, count,
                       np.where(is_line, from_spacing, np.where(is_point, n_points, np.nan)))
    bad_n = is_line & ~(n_trees > 0)
    if bad_n.any():
        raise InputError(f"{int(bad_n.sum())} 条行道树既没有株数（tree_count/株数）"
                         f"也没有株距（spacing_m/株距）：{_ids_text(ids[bad_n])}",
                         f"{int(bad_n.sum())} tree row(s) have neither a tree count (tree_count) nor a "
                         f"spacing (spacing_m): {_ids_text(ids[bad_n])}", code="sinks.tree_count")
    radius = np.where(need_width, width / 2.0, 0.0)
    crowns_m2 = np.where(need_width, n_trees * np.pi * radius ** 2, 0.0)
    footprint = np.full(n_rows, None, dtype=object)
    footprint[need_width] = shapely.buffer(geoms[need_width], radius[need_width], quad_segs=16)
    footprint[is_poly] = geoms[is_poly]
    strip_m2 = np.where(is_line, shapely.area(np.where(is_line, footprint, _NONE)), np.inf)
    strip_m2 = np.where(np.isnan(strip_m2), np.inf, strip_m2)
    capped = is_line & (crowns_m2 > strip_m2)
    canopy = np.where(is_poly, shapely.area(np.where(is_poly, geoms, _NONE)), np.minimum(crowns_m2, strip_m2))
    canopy = np.nan_to_num(np.where(other, 0.0, canopy))
    if capped.any():
        problems.append(Problem("info", "sinks.crowns_overlap",
                                f"{int(capped.sum())} 条行道树的株距小于冠幅，树冠相连："
                                "树冠面积按树冠带面积计",
                                f"{int(capped.sum())} tree row(s) have spacing below the crown width (crowns "
                                "touch): canopy taken as the crown strip's area", list(ids[capped])))
    in_forest = np.zeros(n_rows)
    if green is not None and len(green):
        if "sink_class" in green.columns:
            green_classes = green["sink_class"].to_numpy(dtype=object)
        else:  # a raw green layer: classify it by its type field (unknown types are not forest)
            gf = find_field(green.columns, TYPE_FIELD_CANDIDATES)
            green_classes = map_cover_types(green[gf], factors)[0] if gf is not None \
                else np.full(len(green), None, dtype=object)
        forest = green[pd.Series(green_classes, index=green.index).isin(forest_classes).to_numpy()]
        if len(forest):
            if forest.crs is not None and trees.crs is not None and forest.crs != trees.crs:
                forest = forest.to_crs(trees.crs)
            forest_union = shapely.union_all(np.asarray(forest.geometry.array))
            shapely.prepare(forest_union)
            has = ~other & shapely.intersects(np.where(other, _NONE, footprint), forest_union)
            has = np.asarray(has, dtype=bool)
            if has.any():
                foot_area = shapely.area(footprint[has])
                inter = shapely.area(shapely.intersection(footprint[has], forest_union))
                share = inter / np.where(foot_area > 0, foot_area, np.inf)
                in_forest[has] = canopy[has] * np.clip(share, 0, 1)
                problems.append(Problem(
                    "info", "sinks.canopy_in_forest",
                    f"{int(has.sum())} 个树木要素的树冠有 {in_forest.sum():,.0f} 平方米"
                    "位于已按林地计算的绿地内，这部分不重复计入",
                    f"{int(has.sum())} tree feature(s) have {in_forest.sum():,.0f} m² of canopy inside green "
                    "polygons already counted as forest; that part is not counted twice", list(ids[has])))
    counted = canopy - in_forest
    f = factors.set_index("class")
    rate = float(f.loc[CANOPY_CLASS, "t_co2_per_ha_yr"])
    out = trees.copy()
    out["trees_n"] = np.where(is_poly | other, np.nan, n_trees)
    out["canopy_width_used_m"] = np.where(need_width, width, np.nan)
    out["canopy_m2"] = canopy
    out["canopy_in_forest_m2"] = in_forest
    out["counted_canopy_m2"] = counted
    out["area_ha"] = counted / M2_PER_HA
    out["sink_class"] = np.where(other, _NONE, CANOPY_CLASS)
    out["t_co2_per_ha_yr"] = np.where(other, np.nan, rate)
    out["t_co2_yr"] = out["area_ha"] * rate
    out["factor_source"] = np.where(other, _NONE, f.loc[CANOPY_CLASS, "source"])
    ok = ~other
    if ok.any():
        by_class = summarise_by_class(np.full(int(ok.sum()), CANOPY_CLASS, dtype=object), counted[ok],
                                      factors, n=np.where(is_poly, 0, np.nan_to_num(n_trees))[ok])
    else:
        by_class = _empty_by_class()
    return SinkResult(by_class=by_class, method="trees", trees=out, problems=problems,
                      excluded=_excluded_frame(excluded_rows), factors_label=label)


def _numeric(gdf, column, n) -> np.ndarray:
    if column is None:
        return np.full(n, np.nan)
    return pd.to_numeric(gdf[column], errors="coerce").to_numpy(float)


def _ids_text(ids) -> str:
    shown = ", ".join(str(i) for i in list(ids)[:10])
    return shown + (f" … (+{len(ids) - 10})" if len(ids) > 10 else "")


# ---------------------------------------------------------------- combining ----

def combine_sinks(*results: SinkResult) -> SinkResult:
    """One result from several (green polygons + trees, or several rasters): classes summed."""
    results = tuple(r for r in results if r is not None)
    if not results:
        raise ValueError("combine_sinks needs at least one result")
    frames = [r.by_class for r in results if len(r.by_class)]
    if frames:
        allc = pd.concat(frames, ignore_index=True)
        keys = ["class", "name_zh", "name_en", "basis", "t_co2_per_ha_yr", "source"]
        by_class = (allc.groupby("class", sort=False)
                    .agg(**{k: (k, "first") for k in keys[1:]}, n=("n", "sum"), area_m2=("area_m2", "sum"),
                         t_co2_yr=("t_co2_yr", "sum")).reset_index())
        by_class["area_ha"] = by_class["area_m2"] / M2_PER_HA
        by_class = by_class[["class", "name_zh", "name_en", "basis", "n", "area_m2", "area_ha",
                             "t_co2_per_ha_yr", "t_co2_yr", "source"]]
    else:
        by_class = _empty_by_class()
    first = lambda name: next((getattr(r, name) for r in results if getattr(r, name) is not None), None)  # noqa: E731
    labels = list(dict.fromkeys(r.factors_label for r in results))
    return SinkResult(
        by_class=by_class, method="+".join(dict.fromkeys(r.method for r in results)),
        features=first("features"), trees=first("trees"), by_code=first("by_code"),
        excluded=pd.concat([r.excluded for r in results if len(r.excluded)] or [_excluded_frame([])],
                           ignore_index=True),
        problems=[p for r in results for p in r.problems], factors_label="; ".join(labels),
        double_counted_m2=sum(r.double_counted_m2 for r in results))


def park_sinks(green: gpd.GeoDataFrame | None, trees: gpd.GeoDataFrame | None = None, *,
               type_field: str | None = None, factors: pd.DataFrame | None = None,
               unknown: str = "error", factors_label: str | None = None) -> SinkResult:
    """Green polygons and trees of one park (both in the same metric CRS) in one result."""
    parts = []
    green_res = None
    if green is not None and len(green):
        green_res = vector_sinks(green, type_field=type_field, factors=factors, unknown=unknown,
                                 factors_label=factors_label)
        parts.append(green_res)
    if trees is not None and len(trees):
        parts.append(tree_sinks(trees, green=green_res.features if green_res else None, factors=factors,
                                factors_label=factors_label))
    if not parts:
        return SinkResult(by_class=_empty_by_class(), method="none",
                          factors_label=factors_label or "default")
    return combine_sinks(*parts)
