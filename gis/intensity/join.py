"""Township polygons ↔ a statistics table, by administrative code or by Chinese place name.

Nothing is dropped silently: polygons without statistics and statistics rows without a polygon
are listed (:attr:`JoinResult.unmatched_polygons`, :attr:`JoinResult.unmatched_stats`) and
reported as :class:`~gis.errors.Problem` in Chinese and English; two rows for one township and
year are an :class:`~gis.errors.InputError` naming them.

Codes (``code``, ``adcode``, ``乡镇街道代码`` …) are compared as text: full-width digits made
half-width, spaces and a trailing ``.0`` (a code read as a float) removed, leading zeros
dropped; when one side writes 12-digit statistical codes (``330199001000``) and the other 9-digit
township codes (``330199001``), the longer codes whose extra digits are all zeros are cut to the
shorter length.

Names are normalised by :func:`place_name_parts`: NFKC (full-width → half-width, the full-width
space included), whitespace and stray punctuation removed, a bracketed remark dropped
(``江滨镇（原江滨乡）`` → ``江滨镇``; a bracketed suffix is kept: ``江滨（镇）`` → ``江滨镇``),
office words made canonical (``街道办事处``/``街道办``/``办事处`` → ``街道``; ``居委会`` → ``社区``).
This is the *full key*. Dropping the one administrative suffix (``街道``, ``镇``, ``乡``,
``民族乡``, ``畲族乡``, ``社区``, ``自治县``, ``县``, ``区``, ``市`` …; the stem keeps at least two
characters) gives the *stem*: ``江滨镇`` and ``江滨街道`` both have the stem ``江滨``.
Matching is in two rounds so that different places are never merged:

1. full keys equal (``江滨 镇`` = ``江滨镇``; ``江滨街道办事处`` = ``江滨街道``);
2. for the rest, stems equal where the stem belongs to ONE polygon key only (a town renamed a
   street, 撤镇设街道: ``江滨镇`` ↔ ``江滨街道``). When the layer holds both ``江滨镇`` and
   ``江滨街道`` the stem ``江滨`` is ambiguous and nothing is matched on it.

A stem match that collides with an exact match of the same polygon and year is dropped (and
reported); any other collision is an error.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NoReturn

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from gis.carbon import subannual as SA
from gis.errors import InputError, Level, Problem
from gis.fields import find_field

CODE_FIELDS = ["乡镇街道代码", "乡镇街道编码", "乡镇代码", "街道代码", "统计用区划代码", "行政区划代码",
               "区划代码", "行政代码", "区县代码", "县区代码", "adcode", "code", "xzqdm", "xzqhdm", "xzqh_dm",
               "township_code", "admin_code", "division_code", "gb", "pac", "代码", "编码"]
"""Field names read as administrative codes, best first (matched by :func:`gis.fields.find_field`)."""
NAME_FIELDS = ["乡镇街道名称", "乡镇街道", "乡镇名称", "街道名称", "行政区名称", "行政区划名称", "区划名称",
               "区县名称", "县区名称", "name", "name_zh", "name_cn", "名称", "乡镇", "街道", "xzqmc", "xzmc",
               "township", "township_name", "区县", "县区", "地区", "区域", "mc"]
"""Field names read as place names, best first."""
YEAR_FIELDS = ["年份", "年度", "统计年度", "统计年份", "year"]

_CANONICAL = {"街道办事处": "街道", "街道办": "街道", "办事处": "街道", "社区居民委员会": "社区",
              "社区居委会": "社区", "居民委员会": "社区", "居委会": "社区"}
SUFFIXES = ("街道办事处", "社区居民委员会", "社区居委会", "居民委员会", "街道办", "办事处", "居委会", "街道",
            "民族乡", "民族镇", "自治县", "自治旗", "苏木", "社区", "镇", "乡", "县", "区", "市", "旗")
"""Administrative suffixes dropped to form the stem (one per name, longest first)."""
_SUFFIX_ALT = "|".join(sorted(SUFFIXES, key=len, reverse=True))
_ETHNIC_RE = re.compile(r"^(?P<stem>.{2,}?)(?P<eth>(?:[^族]{1,3}族)+)"
                        r"(?P<suf>自治县|自治旗|民族乡|民族镇|乡|镇)$")
_SUFFIX_RE = re.compile(rf"^(?P<stem>.{{2,}}?)(?P<suf>{_SUFFIX_ALT})$")
_OPEN, _CLOSE = "(\\[【〔「《〈", ")\\]】〕」》〉"
_BRACKET_RE = re.compile(rf"[{_OPEN}]([^{_OPEN}{_CLOSE}]*)[{_CLOSE}]")
_STRAY_RE = re.compile(rf"[{_OPEN}{_CLOSE}·•・.\-—–_*#※'\"“”‘’,，、:：;；]")
TOTAL_NAMES = {"合计", "总计", "小计", "全区", "全县", "全市", "全镇", "全省", "总量", "合计数", "total",
               "sum", "all"}
"""Names of total rows of statistics tables (reported, never joined)."""


# ---------------------------------------------------------------- names and codes

@dataclass(frozen=True)
class PlaceName:
    """How one place name was normalised.

    original: the text given; key: the full key (suffix kept, made canonical); stem: the key
    without its administrative suffix (= key when none); suffix: the canonical suffix dropped
    (``""`` when none); steps_zh/steps_en: what was done, for the audit.
    """

    original: str
    key: str
    stem: str
    suffix: str
    steps_zh: tuple[str, ...] = ()
    steps_en: tuple[str, ...] = ()


def _width_and_spaces(text: str, zh: list[str], en: list[str]) -> str:
    """NFKC (full-width → half-width) and no whitespace, noting each step in ``zh``/``en``."""
    s = unicodedata.normalize("NFKC", text)
    if s != text:
        zh.append("全角转半角")
        en.append("full width → half width")
    t = re.sub(r"\s+", "", s)
    if t != s:
        zh.append("去空格")
        en.append("spaces removed")
    return t


@lru_cache(maxsize=200_000)
def place_name_parts(text) -> PlaceName:
    """Normalise one Chinese place name (see the module doc); an empty key for blank input."""
    original = "" if text is None or (isinstance(text, float) and np.isnan(text)) else str(text)
    zh: list[str] = []
    en: list[str] = []
    s = _width_and_spaces(original, zh, en)
    removed: list[str] = []

    def _bracket(m: re.Match) -> str:
        inner = m.group(1).strip()
        if inner in SUFFIXES:
            return inner
        removed.append(inner)
        return ""

    while True:
        t = _BRACKET_RE.sub(_bracket, s)
        if t == s:
            break
        s = t
    if not s and removed:  # the whole name was in brackets
        s = removed.pop()
    if removed:
        zh.append("去括号内容“" + "”“".join(removed) + "”")
        en.append("bracketed remark removed: '" + "', '".join(removed) + "'")
    elif any(c in original for c in "()（）[]【】〔〕「」《》〈〉") and s != original:
        zh.append("去括号")
        en.append("brackets removed")
    t = _STRAY_RE.sub("", s)
    if t != s:
        zh.append("去标点")
        en.append("punctuation removed")
    s = t.lower()
    stem, suffix, key = s, "", s
    m = _ETHNIC_RE.match(s)
    if m:
        stem, suffix = m["stem"], m["eth"] + m["suf"]
        key = stem + suffix
    else:
        m = _SUFFIX_RE.match(s)
        if m:
            stem, raw = m["stem"], m["suf"]
            suffix = _CANONICAL.get(raw, raw)
            key = stem + suffix
            if raw != suffix:
                zh.append(f"“{raw}”记作“{suffix}”")
                en.append(f"'{raw}' read as '{suffix}'")
    if suffix:
        zh.append(f"词干“{stem}”（去后缀“{suffix}”）")
        en.append(f"stem '{stem}' (suffix '{suffix}' dropped)")
    return PlaceName(original, key, stem, suffix, tuple(zh), tuple(en))


def normalise_place_name(text) -> str:
    """The stem of a place name: ``normalise_place_name("江滨 镇") == "江滨"`` and so do
    ``江滨街道``, ``江滨街道办事处``, ``（萧山）江滨镇``, ``江滨镇`` written in full width.
    Joins compare full keys first (see the module doc), so places that share a stem are not merged."""
    return place_name_parts(text).stem


def place_name_audit(names) -> pd.DataFrame:
    """``original, key, stem, suffix, steps_zh, steps_en`` for each distinct name of ``names``."""
    rows = []
    for n in pd.unique(pd.Series(list(names), dtype=object)):
        p = place_name_parts(n)
        rows.append({"original": p.original, "key": p.key, "stem": p.stem, "suffix": p.suffix,
                     "steps_zh": "；".join(p.steps_zh), "steps_en": "; ".join(p.steps_en)})
    return pd.DataFrame(rows, columns=["original", "key", "stem", "suffix", "steps_zh", "steps_en"])


_FLOATISH = re.compile(r"\d+(?:\.\d+)?[eE]\+?\d+")


def _code_parts(v) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    if v is None or v is pd.NA or (isinstance(v, (float, np.floating)) and np.isnan(v)):
        return None, (), ()
    zh: list[str] = []
    en: list[str] = []
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        v = int(v)
        zh.append("小数转整数")
        en.append("read as a number: .0 dropped")
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        s = str(int(v))
    else:
        s = _width_and_spaces(str(v), zh, en)
        if re.fullmatch(r"\d+\.0+", s):
            s = s.split(".")[0]
            zh.append("去掉“.0”")
            en.append("'.0' dropped")
        elif _FLOATISH.fullmatch(s) and float(s).is_integer():
            s = str(int(float(s)))
            zh.append("科学计数法转整数")
            en.append("scientific notation read")
    if s == "" or s.lower() in ("nan", "none", "<na>", "null"):
        return None, tuple(zh), tuple(en)
    if s.isascii() and s.isdigit() and len(s) > 1 and s.startswith("0"):
        s = s.lstrip("0") or "0"
        zh.append("去前导零")
        en.append("leading zeros dropped")
    return s, tuple(zh), tuple(en)


def normalise_code(value) -> str | None:
    """An administrative code as comparable text (None when blank): ``" 0330199001 "`` →
    ``"330199001"``, ``330199001.0`` → ``"330199001"``, full-width digits → half width."""
    return _code_parts(value)[0]


# ---------------------------------------------------------------- result

@dataclass
class JoinResult:
    """Polygons joined to a statistics table.

    stats: the MATCHED statistics rows, long form (one per township × year): the table's own
        columns plus ``join_key`` (the polygon-side key), ``year`` (Int64, when the table has a
        year column), ``poly_name`` (the polygon's name, else its key value), ``stats_row``
        (spreadsheet row, header = 1), ``match`` (``code``, ``exact`` or ``stem``) and
        ``polygon_area_mu`` (the township's polygon area, all its features, in mu; NaN when
        the polygons have no CRS).
    polygons: the input polygons (index kept) plus ``join_key`` (NA when unmatched),
        ``matched`` and ``area_mu``.
    by: ``"code"`` or ``"name"``; poly_key/stats_key: the fields compared; year_column: the
        table's year column (None when it has none); years: the years kept.
    unmatched_polygons: ``poly_id`` (index label), ``key`` (the field value), ``name``.
    unmatched_stats: the table's rows not joined, with ``stats_row``, ``key``, ``reason``
        (``no_polygon``, ``blank_key``, ``total_row``, ``ambiguous``) and ``suggestion`` (a
        close polygon name, names only).
    audit: how every key was normalised: ``side`` (polygon|stats), ``original``, ``key``,
        ``stem``, ``steps_zh``, ``steps_en``, ``match``, ``matched_to``.
    """

    stats: pd.DataFrame
    polygons: gpd.GeoDataFrame
    by: str
    poly_key: str
    stats_key: str
    year_column: str | None
    years: list[int]
    unmatched_polygons: pd.DataFrame
    unmatched_stats: pd.DataFrame
    audit: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    period_kind: str | None = None
    """``quarter``/``month`` when the table had a period column: ``stats`` then holds each year's
    sum of its periods (column ``periods`` = how many) and partial years are reported."""

    @property
    def matched_polygon_count(self) -> int:
        return int(self.polygons["matched"].sum())

    def attach(self, values: pd.DataFrame, *, on: str = "join_key") -> gpd.GeoDataFrame:
        """The polygons with the per-township columns of ``values`` (one row per ``on`` value,
        e.g. one year of :func:`gis.intensity.metrics.township_metrics`); every polygon is kept,
        those without a row get NA. A column the polygons already have is added as ``<name>_stats``."""
        if on not in values.columns:
            raise ValueError(f"values has no column {on!r}")
        dup = values[on].dropna().duplicated()
        if dup.any():
            raise ValueError(f"values has several rows for {on} = {list(values[on].dropna()[dup])[:5]}: "
                             "pass one year")
        v = values.dropna(subset=[on]).set_index(on)
        out = self.polygons.copy()
        # Keys as plain objects: mapping through an Arrow-backed string key would turn float
        # columns into Arrow doubles whose NA is not NaN.
        keys = out[on].astype(object)
        for c in v.columns:
            name = f"{c}_stats" if c in out.columns else c
            out[name] = keys.map(v[c])
        return out

    def summary(self) -> dict:
        """JSON-ready counts, keys and problems."""
        return {"by": self.by, "poly_key": self.poly_key, "stats_key": self.stats_key,
                "year_column": self.year_column, "years": self.years,
                "polygons": len(self.polygons), "polygons_matched": self.matched_polygon_count,
                "stats_rows_matched": len(self.stats), "stats_rows_unmatched": len(self.unmatched_stats),
                "unmatched_polygons": [str(k) for k in self.unmatched_polygons["key"]],
                "unmatched_stats": [str(k) for k in self.unmatched_stats["key"]],
                "problems": [p.to_dict() for p in self.problems]}


# ---------------------------------------------------------------- join

def _looks_like_codes(s: pd.Series) -> bool:
    keys = [k for k in (normalise_code(v) for v in pd.unique(s.dropna())[:200]) if k is not None]
    return bool(keys) and bool(np.mean([k.isascii() and k.isdigit() for k in keys]) >= 0.9)


def _find_key(columns, kind: str) -> str | None:
    """The code/name field: a known name (:data:`CODE_FIELDS`/:data:`NAME_FIELDS`), else the first
    header containing 代码/编码/code (名称/name)."""
    hit = find_field(columns, CODE_FIELDS if kind == "code" else NAME_FIELDS)
    if hit is not None:
        return hit
    words = ("代码", "编码", "code") if kind == "code" else ("名称", "name")
    return next((c for c in columns if any(w in str(c).lower() for w in words)), None)


def _attribute_columns(polygons) -> list:
    geom = polygons.geometry.name if isinstance(polygons, gpd.GeoDataFrame) and \
        polygons.active_geometry_name is not None else None
    return [c for c in polygons.columns if c != geom]


def _pick_keys(polygons, stats, poly_key, stats_key, by) -> tuple[str, str, str]:
    pcols = _attribute_columns(polygons)
    for key, cols, side_zh, side_en in ((poly_key, pcols, "面图层", "polygon layer"),
                                        (stats_key, list(stats.columns), "统计表", "statistics table")):
        if key is not None and key not in cols:
            raise InputError(f"{side_zh}没有字段“{key}”。可用字段：{'、'.join(map(str, cols))}",
                             f"The {side_en} has no field '{key}'. Fields: {', '.join(map(str, cols))}",
                             code="join.no_field")
    if by not in ("auto", "code", "name"):
        raise ValueError(f"by must be auto, code or name, not {by!r}")
    if poly_key is not None and by == "auto":
        by = "code" if _looks_like_codes(polygons[poly_key]) else "name"
    if stats_key is not None and poly_key is None and by == "auto":
        by = "code" if _looks_like_codes(stats[stats_key]) else "name"
    if by == "auto":
        pc, sc = _find_key(pcols, "code"), _find_key(stats.columns, "code")
        by = "code" if pc is not None and sc is not None else "name"
    fields = CODE_FIELDS if by == "code" else NAME_FIELDS
    if poly_key is None:
        poly_key = stats_key if stats_key in pcols else _find_key(pcols, by)
    if stats_key is None:
        stats_key = poly_key if poly_key in stats.columns else _find_key(stats.columns, by)
    what_zh, what_en = ("代码", "code") if by == "code" else ("名称", "name")
    if poly_key is None:
        raise InputError(f"面图层没有{what_zh}字段（如 {'、'.join(fields[:4])}）。请用 --join 指定字段。"
                         f"可用字段：{'、'.join(map(str, pcols))}",
                         f"The polygon layer has no {what_en} field (e.g. {', '.join(fields[:4])}). Name it "
                         f"with --join. Fields: {', '.join(map(str, pcols))}", code="join.no_key")
    if stats_key is None:
        raise InputError(f"统计表没有{what_zh}列（如 {'、'.join(fields[:4])}）。"
                         f"表头：{'、'.join(map(str, stats.columns))}",
                         f"The statistics table has no {what_en} column (e.g. {', '.join(fields[:4])}). "
                         f"Headers: {', '.join(map(str, stats.columns))}", code="join.no_key")
    return by, poly_key, stats_key


def _years(stats: pd.DataFrame, year) -> tuple[str | None, pd.Series | None]:
    col = find_field(stats.columns, YEAR_FIELDS)
    if col is None:
        if year is not None:
            raise InputError(f"统计表没有年份列，不能选择 {year} 年",
                             f"The statistics table has no year column: cannot select {year}",
                             code="join.no_year")
        return None, None
    text = stats[col].astype("string").str.strip()
    digits = text.str.extract(r"((?:19|20)\d{2})", expand=False)
    bad = text.notna() & (text != "") & digits.isna()
    if bad.any():
        rows = (stats.index[bad] + 2).tolist()
        raise InputError(f"“{col}”列的年份无法识别：第 {'、'.join(map(str, rows[:5]))} 行",
                         f"Cannot read the year in column '{col}': rows {', '.join(map(str, rows[:5]))}",
                         code="join.year")
    return col, pd.to_numeric(digits).astype("Int64")


def _mode_len(keys: pd.Series) -> int | None:
    d = keys.dropna()
    d = d[d.str.fullmatch(r"\d+")]
    return int(d.str.len().mode().iloc[0]) if len(d) else None


def _harmonise(pk: pd.Series, sk: pd.Series, problems: list[Problem]) -> tuple[pd.Series, pd.Series]:
    """Cut the longer side's codes (extra digits all zeros) to the shorter side's usual length."""
    lp, ls = _mode_len(pk), _mode_len(sk)
    if lp is None or ls is None or lp == ls:
        return pk, sk
    n = min(lp, ls)
    longer = pk if lp > ls else sk
    is_long = longer.notna() & longer.str.fullmatch(r"\d+").fillna(False) & (longer.str.len() > n)
    zero_tail = is_long & longer.str.slice(n).str.fullmatch("0+").fillna(False)
    if not is_long.any() or zero_tail.sum() < 0.5 * is_long.sum():
        return pk, sk
    cut = longer.where(~zero_tail, longer.str.slice(0, n))
    side_zh, side_en = ("面图层", "polygon layer") if lp > ls else ("统计表", "statistics table")
    problems.append(Problem("info", "join.code_length",
                            f"{side_zh}的 {max(lp, ls)} 位代码末尾为 0，去掉后按 {n} 位比较"
                            f"（{int(zero_tail.sum())} 个）",
                            f"The {side_en}'s {max(lp, ls)}-digit codes end in zeros: compared on their "
                            f"first {n} digits ({int(zero_tail.sum())} codes)"))
    return (cut, sk) if lp > ls else (pk, cut)


def _area_mu(polygons: gpd.GeoDataFrame) -> pd.Series:
    """Polygon areas in mu (NaN without a CRS): local Gauss–Krüger zone for a small extent, an
    Albers equal-area projection centred on the data for a large one."""
    from gis.carbon.units import MU_M2
    from gis.crs import local_metric_crs

    if not isinstance(polygons, gpd.GeoDataFrame) or polygons.crs is None or polygons.empty:
        return pd.Series(np.nan, index=polygons.index)
    g = polygons.geometry
    if polygons.crs.is_geographic:
        x0, y0, x1, y1 = g.total_bounds
        if not np.all(np.isfinite([x0, y0, x1, y1])):
            return pd.Series(np.nan, index=polygons.index)
        if x1 - x0 <= 6.0:
            crs = local_metric_crs((x0 + x1) / 2, (y0 + y1) / 2)
        else:
            lat1, lat2 = y0 + (y1 - y0) / 6, y1 - (y1 - y0) / 6
            crs = CRS.from_proj4(f"+proj=aea +lat_1={lat1} +lat_2={lat2} +lat_0={(y0 + y1) / 2} "
                                 f"+lon_0={(x0 + x1) / 2} +datum=WGS84 +units=m +no_defs")
        g = g.to_crs(crs)
    return pd.Series(g.area.to_numpy() / MU_M2, index=polygons.index)


def _ids_text(values, limit: int = 10) -> tuple[str, str]:
    vals = [str(v) for v in values]
    more = f" … (+{len(vals) - limit})" if len(vals) > limit else ""
    return "、".join(vals[:limit]) + more, ", ".join(vals[:limit]) + more


def _name_match(poly_vals: pd.Series, stats_vals: pd.Series):
    """Map each stats value to a polygon key (full key), with how: exact | stem | ambiguous | None."""
    pparts = {v: place_name_parts(v) for v in pd.unique(poly_vals.dropna())}
    keys = {p.key for p in pparts.values() if p.key}
    stem_keys: dict[str, set] = {}
    for p in pparts.values():
        if p.key:
            stem_keys.setdefault(p.stem, set()).add(p.key)
    out: dict = {}
    for v in pd.unique(stats_vals.dropna()):
        p = place_name_parts(v)
        if not p.key:
            out[v] = (None, "blank_key")
        elif p.key in keys:
            out[v] = (p.key, "exact")
        elif p.stem in stem_keys and len(stem_keys[p.stem]) == 1:
            out[v] = (next(iter(stem_keys[p.stem])), "stem")
        elif p.stem in stem_keys:
            out[v] = (None, "ambiguous")
        else:
            out[v] = (None, "no_polygon")
    return pparts, out


def join_stats(polygons: gpd.GeoDataFrame, stats: pd.DataFrame, *, poly_key: str | None = None,
               stats_key: str | None = None, by: str = "auto", year: int | None = None) -> JoinResult:
    """Join ``stats`` (one row per township and year) to ``polygons`` (see the module doc).

    poly_key/stats_key: the fields to compare (default: found by name, codes first).
    by: ``auto`` (codes when both sides have a code field, else names; falls back to names when
        codes match fewer than half the polygons and names match more), ``code`` or ``name``.
    year: keep only that year (default: all years, long form).
    """
    if stats is None or len(stats) == 0:
        raise InputError("统计表是空的", "The statistics table is empty", code="join.empty")
    if polygons is None or len(polygons) == 0:
        raise InputError("面图层没有要素", "The polygon layer has no features", code="join.empty")
    stats = stats.reset_index(drop=True).copy()
    stats.columns = [str(c).strip() for c in stats.columns]
    auto = by == "auto" and poly_key is None and stats_key is None
    by, pk_col, sk_col = _pick_keys(polygons, stats, poly_key, stats_key, by)
    result = _join(polygons, stats, by, pk_col, sk_col, year)
    if auto and by == "code" and result.matched_polygon_count < 0.5 * len(polygons):
        pn = _find_key(_attribute_columns(polygons), "name")
        sn = _find_key(stats.columns, "name")
        if pn is not None and sn is not None:
            by_name = _join(polygons, stats, "name", pn, sn, year)
            if by_name.matched_polygon_count > result.matched_polygon_count:
                by_name.problems.insert(0, Problem(
                    "warning", "join.fallback_to_names",
                    f"按代码只连上 {result.matched_polygon_count}/{len(polygons)} 个面，改按名称连接"
                    f"（{pn} ↔ {sn}）",
                    f"Codes matched only {result.matched_polygon_count}/{len(polygons)} polygons: joined by "
                    f"name instead ({pn} ↔ {sn})"))
                return by_name
    return result


def _join(polygons: gpd.GeoDataFrame, stats: pd.DataFrame, by: str, pk_col: str, sk_col: str,
          year: int | None) -> JoinResult:
    """Join ``stats`` to ``polygons`` comparing ``pk_col`` with ``sk_col`` ``by`` code or name."""
    problems: list[Problem] = []
    stats = stats.copy()
    stats_row = pd.Series(stats.index.to_numpy() + 2, index=stats.index)
    year_col, years = _years(stats, year)
    stats, years, stats_row, kind = _sum_periods(stats, sk_col, year_col, years, stats_row, problems)
    year_col = year_col or ("year" if years is not None else None)
    if years is not None and year is not None:
        stats, years, stats_row = _keep_year(stats, years, stats_row, year)
    no_year = years.isna() if years is not None else pd.Series(False, index=stats.index)
    poly_name_col = _find_key(_attribute_columns(polygons), "name")
    pvals = polygons[pk_col]
    svals = stats[sk_col]
    if by == "code":
        pk, how, join_key, audit_rows = _match_codes(pvals, svals, problems)
    else:
        pk, how, join_key, audit_rows = _match_names(pvals, svals)
    how = how.where(~no_year | join_key.isna(), "no_year")
    join_key = join_key.where(how != "no_year")
    _settle_duplicates(join_key, how, years, stats_row, svals, problems)

    # outputs
    matched = join_key.notna()
    poly_out = polygons.copy()
    poly_out["join_key"] = pk.where(pk.isin(set(join_key.dropna())).fillna(False))
    poly_out["matched"] = poly_out["join_key"].notna()
    poly_out["area_mu"] = _area_mu(polygons)
    area_by_key = poly_out.groupby(pk.fillna("\0"))["area_mu"].sum(min_count=1)
    names_by_key = (polygons[poly_name_col] if poly_name_col else pvals).groupby(pk.fillna("\0")).first()
    out = stats[matched].copy()
    out["join_key"] = join_key[matched]
    if years is not None:
        out["year"] = years[matched]
    out["poly_name"] = out["join_key"].map(names_by_key)
    out["stats_row"] = stats_row[matched]
    out["match"] = how[matched]
    out["polygon_area_mu"] = out["join_key"].map(area_by_key).astype(float)
    out = out.reset_index(drop=True)

    un_p = poly_out[~poly_out["matched"]]
    unmatched_polygons = pd.DataFrame({"poly_id": un_p.index, "key": pvals[un_p.index].to_numpy(),
                                       "name": (polygons.loc[un_p.index, poly_name_col] if poly_name_col
                                                else pvals[un_p.index]).to_numpy()})
    unmatched_stats = _unmatched_stats(stats, ~matched, stats_row, svals, how,
                                       pvals[un_p.index] if by == "name" else None)
    audit = _audit(audit_rows, svals, how, join_key, names_by_key, pvals, poly_out["matched"])

    what_zh = "代码" if by == "code" else "名称"
    problems.insert(0, Problem("info", "join.by",
                               f"按{what_zh}连接：面图层“{pk_col}” ↔ 统计表“{sk_col}”；"
                               f"{int(poly_out['matched'].sum())}/{len(poly_out)} 个面有统计数据",
                               f"Joined by {by}: polygon field '{pk_col}' ↔ table column '{sk_col}'; "
                               f"{int(poly_out['matched'].sum())}/{len(poly_out)} polygons have statistics"))
    problems.extend(_multipart_problems(pk, pvals, by))
    if by == "name":
        problems.extend(_name_problems(audit, out, sk_col))
    problems.extend(_unmatched_problems(unmatched_polygons, unmatched_stats, by))
    kept_years = sorted(int(y) for y in out["year"].dropna().unique()) if years is not None else []
    return JoinResult(stats=out, polygons=poly_out, by=by, poly_key=pk_col, stats_key=sk_col,
                      year_column=year_col, years=kept_years, unmatched_polygons=unmatched_polygons,
                      unmatched_stats=unmatched_stats, audit=audit, problems=problems, period_kind=kind)


def _sum_periods(stats: pd.DataFrame, sk_col: str, year_col: str | None, years: pd.Series | None,
                 stats_row: pd.Series, problems: list[Problem]):
    """Rows by quarter or month (gis/carbon/subannual.py) → one row per township × year, partial
    years reported; a table without a period column is returned as it is."""
    pcol, kind_in = SA.find_period_column(stats.columns)
    if pcol is None:
        return stats, years, stats_row, None
    rows = stats_row.to_numpy()
    kind, period, pyear = SA.parse_periods(stats[pcol], kind_in, column=pcol, rows=rows)
    if period.isna().all():
        return stats, years, stats_row, None
    years = SA.reconcile_years(years, pyear, year_column=year_col or "", period_column=pcol, rows=rows)
    key = stats[sk_col].astype("string").str.strip()
    mixed = SA.mixed_rows(key, years, period)
    if mixed:
        raise SA.mixed_error(mixed, code="join.period_mixed")
    problems.extend(SA.partial_problems(SA.coverage(pd.DataFrame({"entity": key, "year": years,
                                                                  "period": period}), kind),
                                        kind, what_zh="乡镇", what_en="townships", code="join.partial_year"))
    keep = {sk_col, pcol, *(c for c in (year_col, find_field(stats.columns, CODE_FIELDS),
                                        find_field(stats.columns, NAME_FIELDS)) if c)}
    out = SA.sum_periods(stats, key, years, period, stock_columns=SA.stock_columns(stats.columns),
                         keep_columns=keep).drop(columns=pcol)
    if year_col is None:
        out["year"] = years.loc[out.index]
    return out, years.loc[out.index], stats_row.loc[out.index], kind


def _keep_year(stats: pd.DataFrame, years: pd.Series, stats_row: pd.Series,
               year: int) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The rows of ``year`` only (of the table, its years and its spreadsheet row numbers)."""
    keep = (years == int(year)).fillna(False)
    if not keep.any():
        have = sorted(int(y) for y in years.dropna().unique())
        raise InputError(f"统计表中没有 {year} 年的数据。可选：{'、'.join(map(str, have))}",
                         f"No statistics for {year}. Years: {', '.join(map(str, have))}",
                         code="join.year")
    return stats[keep], years[keep], stats_row[keep]


def _match_codes(pvals: pd.Series, svals: pd.Series, problems: list[Problem]) \
        -> tuple[pd.Series, pd.Series, pd.Series, list[dict]]:
    """Match by normalised code (:func:`normalise_code`, lengths harmonised): the polygons' keys,
    each stats row's match (``code``, ``blank_key``, ``no_polygon``) and join key, and the audit
    rows of the distinct values."""
    pmap = {v: _code_parts(v) for v in pd.unique(pvals.dropna())}
    smap = {v: _code_parts(v) for v in pd.unique(svals.dropna())}
    pk = pd.Series([pmap[v][0] if v in pmap else None for v in pvals], index=pvals.index, dtype="string")
    sk = pd.Series([smap[v][0] if v in smap else None for v in svals], index=svals.index, dtype="string")
    pk, sk = _harmonise(pk, sk, problems)
    poly_keys = set(pk.dropna())
    how = pd.Series(np.where(sk.isin(poly_keys).fillna(False), "code",
                             np.where(sk.isna(), "blank_key", "no_polygon")), index=svals.index)
    join_key = sk.where(how == "code")
    audit_rows = []
    for side, vals, keys, parts in (("polygon", pvals, pk, pmap), ("stats", svals, sk, smap)):
        seen = set()
        for v, k in zip(vals, keys, strict=True):
            if v in seen or v not in parts:
                continue
            seen.add(v)
            audit_rows.append({"side": side, "original": str(v), "key": k, "stem": k,
                               "steps_zh": "；".join(parts[v][1]), "steps_en": "; ".join(parts[v][2])})
    return pk, how, join_key, audit_rows


def _match_names(pvals: pd.Series, svals: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, list[dict]]:
    """Match by place name (:func:`_name_match`): the polygons' keys, each stats row's match
    (``exact``, ``stem``, ``ambiguous``, ``no_polygon``, ``blank_key``, ``total_row``) and join
    key, and the audit rows of the distinct names."""
    pparts, smatch = _name_match(pvals, svals)
    pk = pd.Series([pparts[v].key if v in pparts and pparts[v].key else None for v in pvals],
                   index=pvals.index, dtype="string")
    how = pd.Series([smatch[v][1] if v in smatch else "blank_key" for v in svals], index=svals.index)
    join_key = pd.Series([smatch[v][0] if v in smatch else None for v in svals], index=svals.index,
                         dtype="string")
    audit_rows = []
    for side, vals in (("polygon", pvals), ("stats", svals)):
        for v in pd.unique(vals.dropna()):
            p = place_name_parts(v)
            audit_rows.append({"side": side, "original": p.original, "key": p.key, "stem": p.stem,
                               "steps_zh": "；".join(p.steps_zh), "steps_en": "; ".join(p.steps_en)})
    # total rows (合计 …) never join
    total = pd.Series([place_name_parts(v).key in TOTAL_NAMES for v in svals], index=svals.index)
    total &= join_key.isna()
    how = how.where(~total, "total_row")
    return pk, how, join_key, audit_rows


def _settle_duplicates(join_key: pd.Series, how: pd.Series, years: pd.Series | None, stats_row: pd.Series,
                       svals: pd.Series, problems: list[Problem]) -> None:
    """Two rows joined to one township and year: a stem match beside one exact match is
    unjoined (``how`` = ``ambiguous``, ``join_key`` NA; both changed in place) and reported; any
    other pair is an InputError naming the rows."""
    yr = years if years is not None else pd.Series(pd.NA, index=svals.index, dtype="Int64")
    matched = join_key.notna()
    grp = pd.DataFrame({"k": join_key, "y": yr.astype("float"), "how": how})[matched]
    counts = grp.groupby(["k", "y"], dropna=False)["how"].transform("size")
    dup = counts > 1
    if not dup.any():
        return
    exact_in_group = grp.assign(ex=grp["how"] != "stem").groupby(["k", "y"], dropna=False)["ex"] \
        .transform("sum")
    demote = dup & (grp["how"] == "stem") & (exact_in_group == 1)
    if demote.any():
        idx = demote[demote].index
        how.loc[idx] = "ambiguous"
        join_key.loc[idx] = pd.NA
        names = [f"{svals[i]}" for i in idx]
        zh, en = _ids_text(names)
        problems.append(Problem("warning", "join.stem_collision",
                                f"{len(idx)} 行与另一行同年连到同一个面（后者名称完全一致），"
                                f"未连接：{zh}",
                                f"{len(idx)} rows share a polygon and year with a row whose name matches "
                                f"exactly; not joined: {en}", names))
        grp = grp.drop(index=idx)
        counts = grp.groupby(["k", "y"], dropna=False)["how"].transform("size")
        dup = counts > 1
    if dup.any():
        _raise_duplicates(grp[dup], stats_row, svals)


def _raise_duplicates(bad: pd.DataFrame, stats_row: pd.Series, svals: pd.Series) -> NoReturn:
    """The InputError listing the rows of ``bad`` (``k`` key, ``y`` year) by township and year."""
    items_zh, items_en = [], []
    for (_k, y), g in bad.groupby(["k", "y"], dropna=False, sort=True):
        rows = stats_row[g.index].tolist()
        vals = [str(svals[i]) for i in g.index]
        ytxt = "" if pd.isna(y) else f"{int(y)} "
        items_zh.append(f"{ytxt}{'、'.join(vals)}（第 {'、'.join(map(str, rows))} 行）")
        items_en.append(f"{ytxt}{' / '.join(vals)} (rows {', '.join(map(str, rows))})")
    raise InputError("同一乡镇同一年份有多行统计数据，请删除重复行：" + "；".join(items_zh[:10]),
                     "Several statistics rows for the same township and year; remove the duplicates: "
                     + "; ".join(items_en[:10]), code="join.duplicates")


def _unmatched_stats(stats: pd.DataFrame, unmatched: pd.Series, stats_row: pd.Series, svals: pd.Series,
                     how: pd.Series, free_names: pd.Series | None) -> pd.DataFrame:
    """The table's rows not joined, with ``stats_row``, ``key``, ``reason`` and ``suggestion``:
    the closest of ``free_names`` (the unmatched polygons' names; None when joining by code)."""
    un_s = stats[unmatched].copy()
    un_s["stats_row"] = stats_row[unmatched]
    un_s["key"] = svals[unmatched]
    un_s["reason"] = how[unmatched]
    un_s["suggestion"] = pd.Series(pd.NA, index=un_s.index, dtype="object")
    if free_names is not None and len(un_s) and len(free_names):
        free = {place_name_parts(v).stem: v for v in free_names.dropna()}
        if len(free) <= 5000:  # each look-up compares with every free name: none for very large layers
            for i in un_s.index[un_s["reason"] == "no_polygon"][:500]:
                hit = difflib.get_close_matches(place_name_parts(svals[i]).stem, list(free), n=1, cutoff=0.5)
                if hit:
                    un_s.at[i, "suggestion"] = str(free[hit[0]])
    return un_s.reset_index(drop=True)


def _audit(audit_rows: list[dict], svals: pd.Series, how: pd.Series, join_key: pd.Series,
           names_by_key: pd.Series, pvals: pd.Series, p_matched: pd.Series) -> pd.DataFrame:
    """The normalisation audit rows with what each key matched (``match``, ``matched_to``)."""
    audit = pd.DataFrame(audit_rows, columns=["side", "original", "key", "stem", "steps_zh", "steps_en"])
    s_how = dict(zip(svals.astype(str), how, strict=False))
    s_to = dict(zip(svals.astype(str), join_key.astype(object).map(
        lambda k: None if pd.isna(k) else str(names_by_key.get(k, k))), strict=False))
    p_ok = dict(zip(pvals.astype(str), p_matched, strict=False))
    audit["match"] = [s_how.get(o) if side == "stats" else ("matched" if p_ok.get(o) else "unmatched")
                      for side, o in zip(audit["side"], audit["original"], strict=True)]
    audit["matched_to"] = [s_to.get(o) if side == "stats" else None
                           for side, o in zip(audit["side"], audit["original"], strict=True)]
    return audit


def _multipart_problems(pk: pd.Series, pvals: pd.Series, by: str) -> list[Problem]:
    """A warning when several polygons share a key (parts of one township)."""
    what_zh = "代码" if by == "code" else "名称"
    parts = pk.dropna()
    multi = parts[parts.duplicated(keep=False)]
    if not len(multi):
        return []
    zh, en = _ids_text(sorted(set(pvals[multi.index].astype(str))))
    return [Problem("warning", "join.multipart",
                    f"{len(multi)} 个要素{what_zh}相同，按同一乡镇的多个部分处理：{zh}",
                    f"{len(multi)} features share a {by}: treated as parts of one township: {en}",
                    list(multi.index))]


def _name_problems(audit: pd.DataFrame, out: pd.DataFrame, sk_col: str) -> list[Problem]:
    """Notes of a join by name: names matched only by their stem, names normalised."""
    problems: list[Problem] = []
    cleaned = audit[(audit["steps_zh"] != "") & (audit["original"] != audit["key"])]
    stem_rows = out[out["match"] == "stem"]
    if len(stem_rows):
        pairs = sorted(set(zip(stem_rows[sk_col].astype(str), stem_rows["poly_name"].astype(str),
                               strict=True)))
        zh = "、".join(f"{a}→{b}" for a, b in pairs[:10])
        en = ", ".join(f"{a} → {b}" for a, b in pairs[:10])
        problems.append(Problem("info", "join.stem_match",
                                f"{len(pairs)} 个名称去掉后缀后才对上（请确认是同一地方）：{zh}",
                                f"{len(pairs)} names matched only without their suffix (check they "
                                f"are the same place): {en}", [a for a, _ in pairs]))
    if len(cleaned):
        problems.append(Problem("info", "join.names_normalised",
                                f"{len(cleaned)} 个名称经过规范化（全角、空格、括号、后缀），见连接记录",
                                f"{len(cleaned)} names were normalised (width, spaces, brackets, "
                                "suffixes); see the join audit"))
    return problems


def _unmatched_problems(unmatched_polygons: pd.DataFrame, unmatched_stats: pd.DataFrame,
                        by: str) -> list[Problem]:
    """Warnings (info for total rows) listing the polygons and the rows, by reason, not joined."""
    what_zh = "代码" if by == "code" else "名称"
    problems: list[Problem] = []
    if len(unmatched_polygons):
        ids = [str(v) for v in unmatched_polygons["name"]]
        zh, en = _ids_text(ids)
        problems.append(Problem("warning", "join.unmatched_polygons",
                                f"{len(ids)} 个面在统计表中没有对应行（无数据，显示为灰色）：{zh}",
                                f"{len(ids)} polygons have no statistics row (no data, shown grey): {en}",
                                ids))
    reasons: tuple[tuple[str, Level, str, str], ...] = (
        ("no_polygon", "warning", "{n} 行统计数据没有对应的面，未使用：{ids}",
         "{n} statistics rows match no polygon and are not used: {ids}"),
        ("ambiguous", "warning",
         "{n} 行名称对应多个面（如同名的镇和街道），未连接，请写全称或用代码：{ids}",
         "{n} rows match several polygons (e.g. a town and a street of the same name); not joined — "
         "write the full name or join by code: {ids}"),
        ("blank_key", "warning", "{n} 行没有" + what_zh + "，未使用：{ids}",
         "{n} rows have no " + by + " and are not used: {ids}"),
        ("no_year", "warning", "{n} 行没有年份，未使用：{ids}",
         "{n} rows have no year and are not used: {ids}"),
        ("total_row", "info", "{n} 行是合计行，未连接：{ids}", "{n} total rows are not joined: {ids}"))
    for reason, level, zh_t, en_t in reasons:
        rows = unmatched_stats[unmatched_stats["reason"] == reason]
        if not len(rows):
            continue
        labels = [f"{k}" if pd.isna(s) else f"{k}（{s}？）" for k, s in zip(rows["key"], rows["suggestion"],
                                                                         strict=True)]
        labels_en = [f"{k}" if pd.isna(s) else f"{k} ({s}?)" for k, s in zip(rows["key"], rows["suggestion"],
                                                                           strict=True)]
        rtxt = "、".join(map(str, rows["stats_row"].tolist()[:10]))
        zh = _ids_text(labels)[0] + f"（第 {rtxt} 行）"
        en = _ids_text(labels_en)[1] + f" (rows {rtxt.replace('、', ', ')})"
        problems.append(Problem(level, f"join.unmatched_stats.{reason}", zh_t.format(n=len(rows), ids=zh),
                                en_t.format(n=len(rows), ids=en), [str(k) for k in rows["key"]]))
    return problems
