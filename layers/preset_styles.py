"""The style functions of Lingtan's known layers and their colours (no Qt), declared to the layer
registry by :mod:`layers.registry`. Each takes the layer's data and its titles and returns a
:mod:`layers.style` style; :mod:`layers.presets` applies them by layer name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.layer import geometry_kind
from layers.style import (
    FIVE_NAMES_EN,
    FIVE_NAMES_ZH,
    NO_FILL,
    CategorizedStyle,
    Category,
    GraduatedStyle,
    SingleStyle,
    Style,
    five_class_style,
    range_style,
)

StyleFn = Callable[..., Any]
"""``style(gdf, title=(zh, en), **kw) -> layers.style.Style``."""

# Land-cover colours (green tones, water blue), keyed by the sink classes of
# resources/factors/sink_factors.csv; chosen for this map from ColorBrewer Greens/BrBG/Blues
# (Brewer 2003, colorbrewer2.org) so that neighbouring classes differ in lightness.
COVER_COLOURS: dict[str, str] = {
    "forest": "#1b7837", "tree_canopy": "#238b45", "shrub": "#5aae61", "tea": "#7fbc41",
    "grassland": "#a6dba0", "cropland": "#dfc27d", "wetland": "#35978f", "water": "#6baed6",
    "construction": "#bdbdbd", "bare": "#e0d6c3",
}
# names as in resources/factors/sink_factors.csv (zh, en), plus the demo's English words
COVER_NAMES: dict[str, tuple[str, str]] = {
    "forest": ("林地", "forest"), "tree_canopy": ("树冠", "tree canopy"), "shrub": ("灌木", "shrub"),
    "tea": ("茶园", "tea garden"), "grassland": ("草地", "grassland"), "cropland": ("耕地", "cropland"),
    "wetland": ("湿地", "wetland"), "water": ("水体", "water"),
    "construction": ("建设用地", "construction land"), "bare": ("裸地", "bare land"),
}
_COVER_ALIASES: dict[str, str] = {"grass": "grassland", "woodland": "forest", "forest land": "forest",
                                  "open water": "water", "tea garden": "tea", "farmland": "cropland",
                                  "树木": "tree_canopy", "乔木": "forest", "森林": "forest",
                                  "草坪": "grassland", "水面": "water", "农田": "cropland"}
for _key, (_zh, _en) in COVER_NAMES.items():
    _COVER_ALIASES.setdefault(_zh, _key)
    _COVER_ALIASES.setdefault(_en, _key)
    _COVER_ALIASES.setdefault(_key, _key)
COVER_ORDER = ("forest", "tree_canopy", "shrub", "tea", "grassland", "cropland", "wetland", "water",
               "construction", "bare")
COVER_FIELDS = ("sink_class", "cover", "cover_en", "type", "class", "landuse", "类型", "地类")

# ColorBrewer "Greens" 5 (Brewer 2003): sinks, low → high
GREENS5 = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")
# ColorBrewer "Blues" 5: PV arrays yield
BLUES5 = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")

PV_BLUE = "#1f4e79"  # module blue
BOUNDARY_RED = "#e31a1c"  # the "red line" (红线) of Chinese planning maps



KWH_PER_M2_DECIMALS = 2
"""Decimals of ``kwh_per_m2`` everywhere (the layer, DBF numbers: layers/fields.py)."""


def add_kwh_per_m2(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` with ``kwh_per_m2`` = ``kwh_yr`` / ``roof_m2`` (kWh per m² of roof per year; NaN where
    the roof area is 0 or missing), added in a copy when absent and both inputs exist. Rounded to
    :data:`KWH_PER_M2_DECIMALS`, the precision files store it with, so that the classes drawn from
    it are the classes QGIS draws from a Shapefile's rounded values."""
    if "kwh_per_m2" in gdf.columns or not {"kwh_yr", "roof_m2"} <= set(gdf.columns):
        return gdf
    kwh = pd.to_numeric(gdf["kwh_yr"], errors="coerce").to_numpy(float)
    roof = pd.to_numeric(gdf["roof_m2"], errors="coerce").to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(roof > 0, kwh / roof, np.nan)
    out = gdf.copy()
    out["kwh_per_m2"] = np.round(per, KWH_PER_M2_DECIMALS)
    return out



def _first(columns: Sequence[str], candidates: Sequence[str]) -> str | None:
    lower = {str(c).lower(): c for c in columns}
    for c in candidates:
        if c.lower() in lower:
            return lower[c.lower()]
    return None


def _label_field(gdf: gpd.GeoDataFrame) -> str | None:
    return _first(gdf.columns, ("name", "名称", "乡镇街道名称"))


def _cover_style(gdf: gpd.GeoDataFrame, title: tuple[str, str]) -> Style:
    field = _first(gdf.columns, COVER_FIELDS)
    if field is None:
        return SingleStyle(fill=COVER_COLOURS["grassland"], outline="#5aae61", width=0.5,
                           title_zh=title[0], title_en=title[1])
    values = gdf[field]
    counts = values[values.notna()].value_counts()
    cats: list[Category] = []
    # labels from paired zh/en columns when the layer has them (green_sinks: class_zh/class_en)
    zh_col = _first(gdf.columns, ("class_zh", "cover")) if field != "cover" else None
    en_col = _first(gdf.columns, ("class_en", "cover_en")) if field != "cover_en" else None
    ranked = sorted(counts.index, key=lambda v: (COVER_ORDER.index(_COVER_ALIASES[str(v).strip().lower()])
                                                 if str(v).strip().lower() in _COVER_ALIASES
                                                 or str(v).strip() in _COVER_ALIASES else 99, str(v)))
    free = iter(("#8c6bb1", "#fdae6b", "#9e9ac8", "#fdd0a2", "#bcbddc", "#c6dbef"))
    for v in ranked:
        key = _COVER_ALIASES.get(str(v).strip()) or _COVER_ALIASES.get(str(v).strip().lower())
        zh, en = COVER_NAMES.get(key, (str(v), str(v))) if key else (str(v), str(v))
        rows = values == v
        if zh_col is not None and rows.any():
            zh = str(gdf.loc[rows, zh_col].iloc[0])
        if en_col is not None and rows.any():
            en = str(gdf.loc[rows, en_col].iloc[0])
        colour = COVER_COLOURS.get(key) if key else None
        cats.append(Category(_python(v), colour or next(free, "#969696"), zh, en, int(counts[v])))
    other = int(len(gdf) - sum(c.count for c in cats))
    return CategorizedStyle(field, cats, other_colour="#d9d9d9", outline="#ffffff", width=0.4,
                            title_zh=title[0], title_en=title[1], other_count=other)


def _python(v):
    return v.item() if isinstance(v, np.generic) else v


def _intensity_style(gdf: gpd.GeoDataFrame, *, breaks: Sequence[float] | None, unit: str,
                     method_zh: str, method_en: str, title: tuple[str, str],
                     label_field: str | None = None) -> GraduatedStyle:
    field = "class" if "class" in gdf.columns else (_first(gdf.columns, ("class", "级别")) or "class")
    label = label_field or _label_field(gdf)
    values = pd.to_numeric(gdf[field], errors="coerce") if field in gdf.columns else pd.Series(dtype=float)
    counts = [int((values == k).sum()) for k in range(1, 6)]
    no_data = int(len(gdf) - sum(counts))
    if not method_zh and "method" in gdf.columns and len(gdf):
        method_zh = str(gdf["method"].dropna().iloc[0]) if gdf["method"].notna().any() else ""
    if breaks is not None and len(breaks) == 4:
        return five_class_style(list(breaks), field=field, counts=counts, no_data_count=no_data, unit=unit,
                                title_zh=title[0], title_en=title[1], method_zh=method_zh,
                                method_en=method_en, label_field=label)
    # breaks unknown (e.g. a layer read back from a file): the classes are named by colour and
    # the method text (which states the breaks) goes on the legend
    style = five_class_style([1.5, 2.5, 3.5, 4.5], field=field, counts=counts, no_data_count=no_data,
                             title_zh=title[0], title_en=title[1], method_zh=method_zh,
                             method_en=method_en, label_field=label)
    for k, cb in enumerate(style.classes):
        cb.label_zh = f"{k + 1} 级（{FIVE_NAMES_ZH[k]}）"
        cb.label_en = f"class {k + 1} ({FIVE_NAMES_EN[k]})"
    return style


def single(**kw) -> StyleFn:
    """A style function giving one fixed :class:`SingleStyle`."""
    def style(gdf: gpd.GeoDataFrame, *, title: tuple[str, str], **_) -> Style:
        return SingleStyle(**kw, title_zh=title[0], title_en=title[1])
    return style


def townships_style(gdf, *, title, **_) -> Style:
    return SingleStyle(fill=NO_FILL, outline="#636363", width=1.2, label_field=_label_field(gdf),
                       title_zh=title[0], title_en=title[1])


def green_style(gdf, *, title, **_) -> Style:
    return _cover_style(gdf, title)


def rooftop_pv_style(gdf, *, title, **_) -> Style:
    data = add_kwh_per_m2(gdf)
    if "kwh_per_m2" in data.columns:
        return range_style(data["kwh_per_m2"], "kwh_per_m2", method="quantile", n=5,
                           unit="kWh/m²", title_zh="屋顶光伏年发电量（每平方米屋顶）",
                           title_en="Rooftop PV yield per m² of roof", outline_colour="#8c8c8c",
                           outline_width_px=0.4)
    return SingleStyle(fill=PV_BLUE, outline="#0b2545", title_zh=title[0], title_en=title[1])


def tree_sinks_style(gdf, *, title, **_) -> Style:
    if "t_co2_yr" in gdf.columns:
        return range_style(gdf["t_co2_yr"], "t_co2_yr", method="quantile", n=5, colours=GREENS5[:],
                           unit="tCO₂/a", title_zh="行道树碳汇", title_en="Tree-row carbon sink",
                           line_width_px=3.0, outline_colour="#ffffff")
    return SingleStyle(outline="#238b45", width=2.5, title_zh=title[0], title_en=title[1])


def township_intensity_style(gdf, *, title, breaks: Sequence[float] | None = None, unit: str = "",
                             method_zh: str = "", method_en: str = "", classification=None,
                             label_field: str | None = None, **_) -> Style:
    c = classification

    def of(key: str, default=None):  # a Classification, or its dict in a saved summary
        v = c.get(key) if isinstance(c, dict) else getattr(c, key, None)
        return default if v is None else v

    if c is not None:
        found = of("breaks", breaks)
        breaks = list(found) if found is not None else None
        unit = unit or ("" if of("quantity", "") == "k_ratio" else of("unit_zh", ""))
        method_zh = method_zh or of("description_zh", "")
        method_en = method_en or of("description_en", "")
    style = _intensity_style(gdf, breaks=breaks, unit=unit, method_zh=method_zh, method_en=method_en,
                             title=title, label_field=label_field)
    labels_zh, labels_en = (of("labels_zh"), of("labels_en")) if c is not None else (None, None)
    if labels_zh and labels_en and len(labels_zh) == len(style.classes) == len(labels_en):
        for cb, zh, en in zip(style.classes, labels_zh, labels_en, strict=True):
            cb.label_zh, cb.label_en = str(zh), str(en)
        style.unit = ""  # the classification's labels carry their units
    if breaks is not None and len(breaks) == len(style.classes) - 1:
        # each class by its name and its range with the unit: "1 级（绿）≤ 0.25 tCO2/万元"
        for k, cb in enumerate(style.classes):
            cb.label_zh = f"{k + 1} 级（{FIVE_NAMES_ZH[k]}）{style.row_label(cb, 'zh')}"
            cb.label_en = f"class {k + 1} ({FIVE_NAMES_EN[k]}): {style.row_label(cb, 'en')}"
        style.unit = ""
    return style


def enterprise_grades_style(gdf, *, title, **_) -> Style:
    """Carbon-efficiency grades 1–5 (field ``grade``) in the five colours, labelled with their K
    ranges (DB33/T 1347-2023: K ≤ 0.6, 0.6–0.8, 0.8–1.2, 1.2–2.0, > 2.0); not graded: grey."""
    g = pd.to_numeric(gdf["grade"], errors="coerce") if "grade" in gdf else pd.Series(dtype=float)
    style = five_class_style((0.6, 0.8, 1.2, 2.0), field="grade",
                             counts=[int((g == k).sum()) for k in range(1, 6)],
                             no_data_count=int(g.isna().sum()), title_zh=title[0], title_en=title[1],
                             method_zh="K = L ÷ 行业基准 L（DB33/T 1347-2023）",
                             method_en="K = L ÷ industry benchmark L (DB33/T 1347-2023)")
    for k, cb in enumerate(style.classes):
        cb.label_zh = f"{k + 1} 级（{FIVE_NAMES_ZH[k]}）K {cb.label_zh}"
        cb.label_en = f"grade {k + 1} ({FIVE_NAMES_EN[k]}): K {cb.label_en}"
    return style


def enterprise_points_style(gdf, *, title, **_) -> Style:
    """Enterprise points (gis/carbon/placement.py): coloured by carbon-efficiency grade when the
    layer has grades (the five colours, as :func:`enterprise_grades_style`), else one dark marker
    (ColorBrewer Greys 8, readable over every class colour of the township map beneath)."""
    g = pd.to_numeric(gdf["grade"], errors="coerce") if "grade" in gdf else pd.Series(dtype=float)
    if g.notna().any():
        style = enterprise_grades_style(gdf, title=title)
        style.marker_size_pt = 6.0
        return style
    return SingleStyle(fill="#252525", outline="#ffffff", width=0.6, marker_size_pt=5.0, title_zh=title[0],
                       title_en=title[1])


def pv_array_tables_style(gdf, *, title, **_) -> Style:
    field = _first(gdf.columns, ("kwh_per_kwp", "specific_yield_kwh_kwp"))
    values = pd.to_numeric(gdf[field], errors="coerce") if field else None
    if field and values is not None and values.notna().sum() >= 2 and values.nunique() >= 2:
        return range_style(values, field, method="quantile", n=5, colours=BLUES5, unit="kWh/kWp",
                           title_zh="光伏阵列单位发电量", title_en="PV array specific yield",
                           outline_colour="#0b2545", outline_width_px=0.5)
    return SingleStyle(fill=PV_BLUE, outline="#0b2545", width=0.5, title_zh=title[0], title_en=title[1])


def fallback_style(gdf: gpd.GeoDataFrame, title: tuple[str, str]) -> Style:
    kind = geometry_kind(gdf.geometry.to_numpy()) if len(gdf) else "polygon"
    if kind == "line":
        return SingleStyle(fill="#1f78b4", outline="#1f78b4", width=1.5, title_zh=title[0], title_en=title[1])
    if kind == "point":
        return SingleStyle(fill="#ff7f00", outline="#ffffff", width=0.8, marker_size_pt=6.0,
                           title_zh=title[0], title_en=title[1])
    return SingleStyle(title_zh=title[0], title_en=title[1])
