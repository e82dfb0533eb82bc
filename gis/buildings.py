"""Building heights from the fields planners' files carry, or floors × storey height."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.fields import find_field
from gis.paths import resources_dir
from gis.solar.layout import ROOF_TYPE_FIELDS

MAX_PLAUSIBLE_HEIGHT_M = 600.0  # taller than this is flagged for checking (Shanghai Tower: 632 m)
MAX_POSSIBLE_HEIGHT_M = 830.0  # the world's tallest building (Burj Khalifa, 828 m): taller is wrong
# Field names tried in order (compared case-, space- and underscore-insensitively).
HEIGHT_FIELDS = ("height_m", "height", "bldg_height", "building:height", "build_h", "elevation_m",
                 "高度", "建筑高度", "楼高", "房屋高度", "高度m", "高度米", "h")
FLOOR_FIELDS = ("floors", "building:levels", "levels", "num_floors", "storeys", "stories",
                "floor", "层数", "楼层数", "建筑层数", "地上层数", "楼层", "fl")
USE_FIELDS = ("use", "usage", "building", "type", "用途", "功能", "建筑用途", "类型", "kind", "use_class")
# use_class: the use class Lingtan itself writes (a prepared GeoParquet, a tiled run's output)
# the enterprise a building belongs to: the id headers of the enterprise energy table
# (gis/carbon/inventory.py, `lingtan template energy`) and the park export's own field (ent_id);
# not "id"/"code", which in a footprint file are the building's own number
ENTERPRISE_FIELDS = ("enterprise_id", "ent_id", "企业代码", "企业编号", "企业编码", "单位代码",
                     "统一社会信用代码", "company_id", "enterprise", "company", "企业名称", "企业",
                     "单位名称")
BUILDING_FIELDS = {"height": HEIGHT_FIELDS, "floors": FLOOR_FIELDS, "use": USE_FIELDS,
                   "roof": ROOF_TYPE_FIELDS, "enterprise_id": ENTERPRISE_FIELDS}
"""What a footprint file may say about each building, and the field names tried for it (the one
guessing of the readers, the New Park wizard's field mapping and ``lingtan park new``)."""
CANONICAL_FIELDS = {"height": "height_m", "floors": "floors", "use": "use", "roof": "roof_type",
                    "enterprise_id": "enterprise_id"}
"""The park's own column for each role: first in its candidate list, so a park read again (a
project, an analysis) finds the field the planner chose."""
NO_FIELD = "-"
"""A field mapping's "no field for this" (``--height-field -``): the role is not read at all."""
_USE_KEYWORDS = {
    "industrial": ("industrial", "factory", "厂房", "工业", "车间", "manufacture"),
    "warehouse": ("warehouse", "storage", "仓库", "仓储", "物流"),
    "office": ("office", "办公", "研发", "写字楼"),
    "commercial": ("commercial", "retail", "shop", "商业", "商场", "酒店"),
    "dormitory": ("dormitory", "dorm", "宿舍", "公寓"),
    "residential": ("residential", "house", "apartments", "住宅", "居住"),
    "public": ("public", "school", "hospital", "civic", "学校", "医院", "公共", "食堂"),
}


def storey_heights() -> pd.DataFrame:
    """Default storey height per use (m), with sources: resources/defaults/storey_heights.csv."""
    return pd.read_csv(Path(resources_dir()) / "defaults" / "storey_heights.csv")


def classify_use(values: pd.Series) -> pd.Series:
    """Map free-text use (Chinese or English) to the keys of the storey-height table."""
    text = values.astype("string").fillna("").str.lower()
    out = pd.Series("other", index=values.index, dtype=object)
    for key, words in reversed(list(_USE_KEYWORDS.items())):
        hit = text.str.contains("|".join(map(re.escape, words)), regex=True).to_numpy(bool)
        out[hit] = key
    return out


def guess_building_fields(columns) -> dict[str, str | None]:
    """The column guessed for each role of :data:`BUILDING_FIELDS` (None: no such column)."""
    cols = [c for c in columns if c != "geometry"]
    return {role: find_field(cols, names) for role, names in BUILDING_FIELDS.items()}


def resolve_building_fields(columns, chosen: dict[str, str | None] | None = None
                            ) -> dict[str, str | None]:
    """The column read for each role: the guess, unless ``chosen`` names one (a column name, or
    :data:`NO_FIELD` for none; None keeps the guess). InputError names a column that is not there."""
    cols = [c for c in columns if c != "geometry"]
    out = guess_building_fields(cols)
    for role, name in (chosen or {}).items():
        if role not in BUILDING_FIELDS:
            raise ValueError(f"unknown building field role {role!r}")
        if name is None:
            continue
        if name == NO_FIELD:
            out[role] = None
        elif name in cols:
            out[role] = name
        else:
            raise InputError(
                f"建筑图层没有字段“{name}”（{role}）：可选字段有 " + "、".join(map(str, cols[:30])),
                f"The buildings have no field '{name}' (for {role}); their fields are "
                + ", ".join(map(str, cols[:30])), code="buildings.field_missing")
    return out


def leading_numbers(values: pd.Series) -> np.ndarray:
    """Leading numbers of values such as 25, '25 m', '25米', '6层', '6F' (NaN if none)."""
    return _numbers(values)


def _numbers(values: pd.Series) -> np.ndarray:
    """Leading numbers of values such as 25, '25 m', '25米', '6层', '6F' (NaN if none)."""
    if pd.api.types.is_numeric_dtype(values):
        return np.array(values.to_numpy(dtype=float, na_value=np.nan), copy=True)
    s = values.astype("string").str.extract(r"(-?\d+(?:\.\d+)?)")[0]
    return np.array(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan),
                    copy=True)


def building_heights(gdf: gpd.GeoDataFrame, *, storey_height_m: dict[str, float] | None = None,
                     default_use: str = "other", fields: dict[str, str | None] | None = None,
                     ) -> tuple[pd.DataFrame, list[Problem]]:
    """Height of each building (m) and where it came from.

    Returns a frame aligned to ``gdf`` with ``height_m`` (NaN if unknown or implausible),
    ``floors``, ``use_class`` and ``height_source`` ('field:NAME', 'floors×3.6 m (office)',
    'missing', 'rejected'), and problems naming the features concerned.
    storey_height_m: overrides of the per-use storey height table (m). fields: the columns chosen
    for "height", "floors", "use" (:func:`resolve_building_fields`; the guesses by default).
    """
    problems: list[Problem] = []
    ids = gdf.index.to_numpy()
    table = storey_heights().set_index("use")["storey_height_m"].to_dict()
    if storey_height_m:
        table.update(storey_height_m)
    chosen = resolve_building_fields(gdf.columns, fields)
    hf, ff, uf = chosen["height"], chosen["floors"], chosen["use"]
    use = classify_use(gdf[uf]) if uf else pd.Series(default_use, index=gdf.index, dtype=object)
    n = len(gdf)
    height = _numbers(gdf[hf]) if hf else np.full(n, np.nan)
    floors = _numbers(gdf[ff]) if ff else np.full(n, np.nan)
    source = np.where(np.isfinite(height), f"field:{hf}", "missing").astype(object)

    tall = np.isfinite(height) & (height > MAX_PLAUSIBLE_HEIGHT_M) & \
        (height <= MAX_POSSIBLE_HEIGHT_M)
    if tall.any():
        problems.append(Problem(
            "warning", "height.very_tall",
            f"{int(tall.sum())} 栋建筑高于 {MAX_PLAUSIBLE_HEIGHT_M:.0f} 米（字段“{hf}”），请核对；已保留",
            f"{int(tall.sum())} building(s) are taller than {MAX_PLAUSIBLE_HEIGHT_M:.0f} m (field "
            f"'{hf}'): please check; kept", list(ids[tall])))
    bad_h = np.isfinite(height) & ((height <= 0) | (height > MAX_POSSIBLE_HEIGHT_M))
    if bad_h.any():
        problems.append(Problem(
            "warning", "height.implausible",
            f"{int(bad_h.sum())} 栋建筑的高度（字段“{hf}”）≤0 或 >{MAX_POSSIBLE_HEIGHT_M:.0f} 米，"
            "不可能，已改用层数估算或标为缺失",
            f"{int(bad_h.sum())} building(s) have an impossible height (field '{hf}') ≤ 0 or > "
            f"{MAX_POSSIBLE_HEIGHT_M:.0f} m: not used (floors used instead, or left missing)",
            list(ids[bad_h])))
        height[bad_h] = np.nan
        source[bad_h] = "rejected"
    bad_f = np.isfinite(floors) & ((floors <= 0) | (floors > 200))
    if bad_f.any():
        problems.append(Problem(
            "warning", "floors.implausible",
            f"{int(bad_f.sum())} 栋建筑的层数（字段“{ff}”）≤0 或 >200，已忽略",
            f"{int(bad_f.sum())} building(s) have floors (field '{ff}') ≤ 0 or > 200: ignored",
            list(ids[bad_f])))
        floors[bad_f] = np.nan
    storey = use.map(table).fillna(table.get("other", 3.0)).to_numpy(float)
    from_floors = ~np.isfinite(height) & np.isfinite(floors)
    height[from_floors] = floors[from_floors] * storey[from_floors]
    labels = {u: f"floors×{table.get(u, table.get('other', 3.0)):g} m ({u})"
              for u in use.unique()}  # one label per use class, not per building
    source[from_floors] = use[from_floors].map(labels).to_numpy()
    missing = ~np.isfinite(height)
    if missing.any():
        problems.append(Problem(
            "warning", "height.missing",
            f"{int(missing.sum())} 栋建筑没有高度或层数，需要补充（阴影分析将无法考虑它们）",
            f"{int(missing.sum())} building(s) have neither height nor floors; add them "
            "(shading cannot account for these)", list(ids[missing])))
    out = pd.DataFrame({"height_m": height, "floors": floors, "use_class": use.to_numpy(),
                        "height_source": source}, index=gdf.index)
    return out, problems
