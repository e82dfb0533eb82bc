"""Quarters and months beside the year in energy tables and township statistics (issue #19).

A table may carry a period column next to its year: 季度 (quarter: ``1``–``4``, ``Q1``, ``一季度``,
``第1季度``, ``2023Q1``, ``2023年第一季度``), 月份 (month: ``1``–``12``, ``3月``, ``三月``, ``2023-03``,
``2023/3``, ``2023年3月``, ``202303`` or a date cell) or a combined 统计期 column holding either
(``2023Q1`` / ``2023-03``; quarters and months are not mixed in one table). A cell that names its
year gives the row's year when the table has no year column, and must agree with it when it has.

A year is the sum of its periods; nothing is ever scaled up. A year that holds only some quarters
(4 in a full year) or months (12) is *partial* and reported (:func:`partial_problems`) — a
statistics year to date (1–9月) is a common case. Period figures are amounts *of that period*;
cumulative year-to-date figures (1–3月累计, the usual form of monthly statistical releases) must be
differenced first, which is said in the problems and the docs. Pure: no I/O, no Qt.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd

from gis.carbon.units import split_header
from gis.errors import InputError, Problem
from gis.fields import find_field, normalise_name

PERIOD_KINDS = ("quarter", "month")
FULL_YEAR: dict[str, int] = {"quarter": 4, "month": 12}
"""Periods in a complete year (calendar quarters and months; China's statistical year is the
calendar year, 统计法实施条例)."""
QUARTER_NAMES = ["季度", "统计季度", "所属季度", "quarter", "qtr"]
MONTH_NAMES = ["月份", "统计月份", "所属月份", "月度", "月", "month"]
PERIOD_NAMES = ["统计期", "统计期间", "报告期", "期间", "时期", "period"]
"""Header names (without a unit) of the period columns, best first."""
KIND_ZH = {"quarter": "季度", "month": "月份"}
STOCK_NAMES = ("常住人口", "年末常住人口", "人口", "户籍人口", "population", "pop", "土地面积",
               "行政区域面积", "辖区面积", "区域面积", "国土面积", "面积", "land_area", "land_mu", "area",
               "占地面积", "用地面积")
"""Stock columns of statistics given by quarter or month: a year keeps its last period's value
(year-end population, 年末常住人口, is the yearbooks' figure); every other number is summed."""

_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
_YEAR_RE = re.compile(r"((?:19|20)\d{2})")
_QUARTER_RE = re.compile(r"^(?:第)?(?:q)?([1-4一二三四])(?:季度|季|q)?$", re.IGNORECASE)
_MONTH_RE = re.compile(r"^(\d{1,2}|十[一二]?|[一二三四五六七八九])(?:月(?:份)?)?"
                       r"(?:[-/.]\d{1,2}日?|\d{1,2}日)?$")  # a day after the month is allowed
_COMPACT_RE = re.compile(r"^((?:19|20)\d{2})(\d{2})$")  # 202303


def find_period_column(columns) -> tuple[str | None, str | None]:
    """The period column of a table and its kind (a month column first, then quarter; a 统计期
    column has kind None: read from its cells); (None, None) when there is none."""
    for names, kind in ((MONTH_NAMES, "month"), (QUARTER_NAMES, "quarter"), (PERIOD_NAMES, None)):
        col = find_field(columns, names)
        if col is not None:
            return col, kind
    return None, None


def stock_columns(columns) -> set:
    """The columns of :data:`STOCK_NAMES` (header name without its unit)."""
    names = {normalise_name(n) for n in STOCK_NAMES}
    return {c for c in columns if normalise_name(split_header(str(c))[0]) in names}


def _number(token: str) -> int:
    return int(token) if token.isdigit() else _ZH_NUM[token]


def _parse_one(value, kind: str | None) -> tuple[str | None, int | None, int | None]:
    """(kind, period, year) of one cell; kind None = not readable; (None, None, None) for blank."""
    if value is None or (np.ndim(value) == 0 and pd.isna(value)):
        return None, None, None
    if isinstance(value, (pd.Timestamp, datetime, date)):  # a date cell of a month column
        return "month", value.month, value.year
    whole = isinstance(value, (float, np.floating)) and float(value).is_integer()
    if isinstance(value, (int, np.integer)) or whole:
        v = int(value)
        m = _COMPACT_RE.match(str(v))
        if m and kind != "quarter":
            return "month", int(m.group(2)), int(m.group(1))
        limit = 4 if kind == "quarter" else 12
        return (kind or "month", v, None) if 1 <= v <= limit and kind is not None else ("?", None, None)
    s = re.sub(r"\s+", "", str(value)).lower()
    if not s:
        return None, None, None
    m = _COMPACT_RE.match(s)
    if m and kind != "quarter":
        return "month", int(m.group(2)), int(m.group(1))
    year = None
    y = _YEAR_RE.match(s)
    if y:
        year = int(y.group(1))
        s = s[4:].lstrip("年-/._")
    is_quarter = "季" in s or "q" in s
    if is_quarter or kind == "quarter":
        q = _QUARTER_RE.match(s)
        return ("quarter", _number(q.group(1)), year) if q else ("?", None, year)
    mm = _MONTH_RE.match(s)
    if mm:
        v = _number(mm.group(1))
        if 1 <= v <= 12:
            return "month", v, year
    return "?", None, year


def parse_periods(cells: pd.Series, kind: str | None, *, column: str = "", rows: np.ndarray | None = None,
                  path: str | None = None) -> tuple[str, pd.Series, pd.Series]:
    """Read a period column.

    kind: ``quarter``, ``month`` or None (a 统计期 column: read from the cells).
    rows: spreadsheet row numbers for messages (default index + 2).
    Returns (kind, period Int64 — 1–4 or 1–12, NA where blank —, year Int64 named in the cell, NA
    where none). An unreadable cell, or quarters and months in one column, is an InputError.
    """
    rows = np.asarray(rows) if rows is not None else cells.index.to_numpy() + 2
    uniq = pd.unique(cells.astype(object))
    parsed = {}
    for v in uniq:
        key = v if not (isinstance(v, float) and np.isnan(v)) else None
        parsed[_hashable(key)] = _parse_one(key, kind)
    keys = [_hashable(None if isinstance(v, float) and np.isnan(v) else v) for v in cells.astype(object)]
    kinds = np.array([parsed[k][0] for k in keys], dtype=object)
    bad = kinds == "?"
    if bad.any():
        shown = [f"第 {r} 行：“{v}”" for r, v in zip(rows[bad][:5], cells[bad][:5], strict=False)]
        shown_en = [f"row {r}: '{v}'" for r, v in zip(rows[bad][:5], cells[bad][:5], strict=False)]
        what = KIND_ZH.get(kind or "", "统计期")
        raise InputError(f"“{column}”列的{what}无法识别：{'；'.join(shown)}。季度写 1–4、Q1 或 2023Q1；"
                         "月份写 1–12、2023-03 或 2023年3月",
                         f"Cannot read the period in column '{column}': {'; '.join(shown_en)}. Write "
                         "quarters as 1–4, Q1 or 2023Q1 and months as 1–12, 2023-03 or 2023年3月",
                         path=path, code="periods.unreadable")
    found = {k for k in kinds if k is not None}
    if len(found) > 1:
        raise InputError(f"“{column}”列既有季度又有月份：请只用一种",
                         f"Column '{column}' mixes quarters and months: use one of them",
                         path=path, code="periods.mixed_kinds")
    out_kind = kind or (found.pop() if found else "month")
    period = pd.Series([parsed[k][1] for k in keys], index=cells.index, dtype="Int64")
    year = pd.Series([parsed[k][2] for k in keys], index=cells.index, dtype="Int64")
    return out_kind, period, year


def _hashable(v):
    try:
        hash(v)
        return v
    except TypeError:
        return str(v)


def reconcile_years(year: pd.Series | None, period_year: pd.Series, *, year_column: str, period_column: str,
                    rows: np.ndarray, path: str | None = None) -> pd.Series:
    """The rows' year: the year column where given, else the year named in the period cell. A period
    cell whose year differs from the year column is an InputError naming the rows."""
    if year is None:
        return period_year.astype("Int64")
    both = year.notna() & period_year.notna()
    clash = (both & (year != period_year)).fillna(False).to_numpy()
    if clash.any():
        shown = "、".join(map(str, rows[clash][:5]))
        raise InputError(f"“{period_column}”列写的年份与“{year_column}”列不一致：第 {shown} 行",
                         f"The year written in column '{period_column}' differs from column '{year_column}': "
                         f"rows {shown.replace('、', ', ')}", path=path, code="periods.year_clash")
    return year.fillna(period_year).astype("Int64")


def period_label(year, period, kind: str, lang: str = "en") -> str:
    """``2023Q1`` / ``2023-03`` (en) or ``2023年第1季度`` / ``2023年3月`` (zh); the year alone when
    ``period`` is NA (a row for the whole year in a table of periods)."""
    if period is None or period is pd.NA or (isinstance(period, float) and np.isnan(period)):
        return f"{int(year)}年全年" if lang == "zh" else f"{int(year)} (year)"
    p = int(period)
    if kind == "quarter":
        return f"{int(year)}年第{p}季度" if lang == "zh" else f"{int(year)}Q{p}"
    return f"{int(year)}年{p}月" if lang == "zh" else f"{int(year)}-{p:02d}"


def _periods_text(ps, kind: str, lang: str) -> str:
    """``Q1–Q3`` / ``1–9月`` / ``months 1–9, 12``: runs of consecutive periods shortened."""
    ps = sorted(int(p) for p in ps if str(p).strip())
    runs: list[list[int]] = []
    for p in ps:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    pre = "Q" if kind == "quarter" else ""
    parts = [f"{pre}{r[0]}" if len(r) == 1 else f"{pre}{r[0]}–{pre}{r[-1]}" for r in runs]
    if kind == "quarter":
        return ("、" if lang == "zh" else ", ").join(parts)
    return "、".join(parts) + "月" if lang == "zh" else "months " + ", ".join(parts)


def coverage(rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Which periods each entity × year holds.

    rows: ``entity, year, period`` (one or more rows per entity, year and period; period NA = a
    row for the whole year). Returns one row per entity × year with ``periods`` (how many distinct
    periods), ``periods_present`` and ``periods_missing`` (comma lists) and ``partial`` (True when
    some periods are missing and there is no whole-year row).
    """
    full = FULL_YEAR[kind]
    r = rows.dropna(subset=["year"])
    g = r.groupby(["entity", "year"], sort=True)["period"]
    have = g.agg(lambda s: sorted({int(v) for v in s.dropna()}))
    whole = g.agg(lambda s: bool(s.isna().any()))
    out = pd.DataFrame({"entity": [k[0] for k in have.index], "year": [int(k[1]) for k in have.index]})
    out["periods"] = [len(v) for v in have]
    out["periods_present"] = [",".join(map(str, v)) for v in have]
    out["periods_missing"] = [",".join(str(p) for p in range(1, full + 1) if p not in v) for v in have]
    out["partial"] = (out["periods"] < full).to_numpy() & ~whole.to_numpy()
    return out


def partial_problems(cov: pd.DataFrame, kind: str, *, what_zh: str = "对象", what_en: str = "entities",
                     code: str = "periods.partial_year") -> list[Problem]:
    """Warnings for partial years of :func:`coverage`: one for years where the whole table lacks
    periods (e.g. a year to date), one for the entities lacking periods inside otherwise fuller years."""
    part = cov[cov["partial"]]
    if part.empty:
        return []
    unit_zh = KIND_ZH[kind]
    out: list[Problem] = []
    full = FULL_YEAR[kind]
    union = cov.groupby("year")["periods_present"].agg(
        lambda s: sorted({int(p) for t in s for p in str(t).split(",") if p}))
    short_years = [int(y) for y, ps in union.items() if 0 < len(ps) < full]
    if short_years:
        items_zh = [f"{y} 年只有 {_periods_text(union[y], kind, 'zh')}" for y in short_years]
        items_en = [f"{y} holds only {_periods_text(union[y], kind, 'en')}" for y in short_years]
        out.append(Problem("warning", f"{code}_table",
                           f"部分年份不是全年数据：{'；'.join(items_zh)}。这些年份按已有{unit_zh}相加，"
                           "未折算为全年，不能与全年直接比较",
                           f"Some years are not whole years: {'; '.join(items_en)}. They are the sum of "
                           f"the {kind}s given, never scaled up to a year, so they do not compare with whole "
                           "years",
                           [str(y) for y in short_years]))
    inner = part[~part["year"].isin(short_years)]
    if len(inner):
        first = inner.iloc[0]
        e, y = first["entity"], first["year"]
        lack_zh = _periods_text(first["periods_missing"].split(","), kind, "zh")
        lack_en = _periods_text(first["periods_missing"].split(","), kind, "en")
        out.append(Problem("warning", code,
                           f"{len(inner)} 个{what_zh}×年份缺少部分{unit_zh}（如 {e} {y} 年缺 {lack_zh}）："
                           f"按已有{unit_zh}相加，未作插补或折算",
                           f"{len(inner)} {what_en} × years lack {kind}s (e.g. {e} {y} lacks {lack_en}): "
                           f"the {kind}s given are summed, nothing is filled in or scaled up",
                           [f"{e} {y}" for e, y in zip(inner["entity"], inner["year"], strict=False)]))
    return out


def mixed_rows(entity: pd.Series, year: pd.Series, period: pd.Series) -> list[str]:
    """``entity year`` of every entity × year holding both a whole-year row (period NA) and period
    rows — summing them would count the year twice."""
    f = pd.DataFrame({"e": entity.to_numpy(), "y": year.to_numpy(), "w": period.isna().to_numpy()})
    g = f.groupby(["e", "y"], dropna=False)["w"].agg(["any", "all"])
    bad = g[g["any"] & ~g["all"]]
    return [f"{e} {'' if pd.isna(y) else int(y)}" for e, y in bad.index]


def mixed_error(items: list[str], path: str | None = None, code: str = "periods.mixed_rows") -> InputError:
    """The error for :func:`mixed_rows`."""
    return InputError(f"同一对象同一年份既有全年行又有分期行（会重复计算）：{'、'.join(items[:5])}。"
                      "请删除全年行或分期行",
                      "An entity and year has both a whole-year row and period rows (it would count twice): "
                      f"{', '.join(items[:5])}. Delete one or the other", path=path, code=code)


def sum_periods(table: pd.DataFrame, key: pd.Series, year: pd.Series, period: pd.Series, *,
                stock_columns: set, keep_columns: set) -> pd.DataFrame:
    """One row per ``key`` × ``year`` of a statistics table with period rows.

    Numeric columns are amounts of their period and summed (NaN only when every period is blank),
    except ``stock_columns`` (population, land area: the last period's value, as year-end figures);
    ``keep_columns`` and text columns keep their first row's value. The result keeps the index label
    of each group's first row (so row numbers for messages still work) and gains ``periods`` (how many
    periods were summed).
    """
    order = pd.DataFrame({"k": key.astype("string").to_numpy(), "y": year.astype("float").to_numpy(),
                          "p": period.astype("float").to_numpy()}, index=table.index)
    order = order.sort_values(["k", "y", "p"], kind="stable")
    t = table.loc[order.index]
    g_keys = [order["k"], order["y"]]
    first_idx = order.groupby(["k", "y"], dropna=False, sort=False).apply(lambda s: s.index[0],
                                                                            include_groups=False)
    out = t.groupby(g_keys, dropna=False, sort=False).first()
    for c in t.columns:
        if c in keep_columns:
            continue
        col = t[c]
        num = col if pd.api.types.is_numeric_dtype(col) else pd.to_numeric(
            col.astype("string").str.replace(",", "", regex=False), errors="coerce")
        if not pd.api.types.is_numeric_dtype(col) and (num.isna() & col.notna()).any():
            continue  # text: first value
        grouped = num.groupby(g_keys, dropna=False, sort=False)
        out[c] = grouped.last() if c in stock_columns else grouped.sum(min_count=1)
    out["periods"] = order.groupby(["k", "y"], dropna=False, sort=False)["p"].nunique().to_numpy()
    out.index = first_idx.to_numpy()
    return out.sort_index()
