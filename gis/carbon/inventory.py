"""Energy-use tables → a checked, long-form inventory (entity × year × fuel, in canonical units).

Two layouts are read (the caller reads the file, e.g. with :func:`gis.io.tables.read_data_table`):

- **wide**: one row per entity (and year), one column per fuel with its unit in the header —
  ``原煤(吨)``, ``天然气（万立方米）``, ``电力(万kWh)``, ``coal_t``, ``electricity kWh`` — plus
  optional attribute columns: id (企业代码), name (企业名称), sector (行业), sector code (行业代码),
  year (年份), value added (工业增加值(万元); 地区生产总值 for townships), land area (占地面积(亩),
  m², ha, km²), population (常住人口) and reported total energy (综合能耗(吨标准煤)).
- **long**: one row per entity × fuel with columns fuel (能源品种), amount (消费量) and unit (单位)
  — the unit may also be written in the fuel cell (``天然气(万立方米)``) or the amount header —
  plus the same optional attribute columns, repeated on each row.

Nothing is dropped silently: an unknown fuel, an unknown or mismatched unit (electricity in
tonnes), a negative number or text in a number cell is an :class:`InputError` naming the row
(spreadsheet row, header = row 1; fully blank rows are skipped by the reader and not counted)
and the column (header and letter). Empty fuel cells count as zero and are reported
(``empty_cells``); columns that are neither fuels nor known attributes are reported as ignored.
A fuel given in tce (吨标准煤) is turned into its physical unit with the standard-coal coefficient.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gis.carbon import units as U
from gis.carbon.factors import FactorSet, load_factor_set, match_fuel
from gis.carbon.subannual import (
    MONTH_NAMES,
    PERIOD_NAMES,
    QUARTER_NAMES,
    coverage,
    mixed_error,
    mixed_rows,
    parse_periods,
    partial_problems,
    reconcile_years,
)
from gis.errors import InputError, Problem
from gis.fields import normalise_name

TEMPLATE_EXAMPLE_MARK = "请替换本行"
"""Text in the example row of the energy template (``energy_template``): never counted."""
ROLE_NAMES: dict[str, list[str]] = {
    "entity": ["企业代码", "单位代码", "企业编号", "企业编码", "统一社会信用代码", "社会信用代码",
               "乡镇街道代码", "乡镇代码", "街道代码", "建筑编号", "建筑代码", "对象代码", "对象编号", "代码",
               "编号", "编码",
               "entity", "entity_id", "id", "code", "company_id", "enterprise_id", "building_id", "bldg_id"],
    "name": ["企业名称", "单位名称", "乡镇街道名称", "乡镇名称", "街道名称", "建筑名称", "对象名称", "名称",
             "企业", "乡镇", "街道", "name", "entity_name", "company", "enterprise", "company_name"],
    "sector_code": ["行业代码", "行业编码", "国民经济行业代码", "sector_code", "industry_code"],
    "sector": ["行业", "行业名称", "所属行业", "行业类别", "行业分类", "产业", "sector", "industry"],
    "year": ["年份", "年度", "统计年度", "统计年份", "year"],
    # periods inside the year (gis/carbon/subannual.py): a year is the sum of its periods
    "month": MONTH_NAMES, "quarter": QUARTER_NAMES, "period": PERIOD_NAMES,
    "value_added": ["工业增加值", "增加值", "地区生产总值", "生产总值", "gdp", "value_added",
                    "industrial_value_added", "valueadded"],
    "land_area": ["占地面积", "用地面积", "土地面积", "宗地面积", "土地使用面积", "厂区面积", "实际用地面积",
                  "面积", "land_area", "area", "site_area", "land_mu", "用地", "占地"],
    "population": ["常住人口", "人口", "户籍人口", "population"],
    "reported_tce": ["综合能耗", "综合能源消费量", "能源消费总量", "能耗总量", "total_energy", "energy_tce"],
    # deductions of the carbon-efficiency grades (gis/carbon/grades.py, DB33/T 1347-2023): not fuels
    "green_electricity": ["绿电", "绿色电力", "零碳电力", "绿电电量", "绿电交易电量", "green_electricity",
                          "green_power", "zero_carbon_electricity"],
    "sinks": ["碳汇", "碳汇量", "carbon_sink", "sinks", "sink"],
    "ccs": ["ccs", "ccus", "碳捕集", "碳捕集封存", "碳捕集利用与封存", "碳封存", "carbon_capture"],
}
"""Header names (without their unit) recognised for each attribute, best first."""
LONG_NAMES: dict[str, list[str]] = {
    "fuel": ["fuel", "energy", "energy_type", "fuel_type", "energy_source", "能源品种", "能源种类",
             "能源类型", "能源名称", "品种", "燃料", "燃料品种", "燃料种类", "能源"],
    "amount": ["amount", "quantity", "consumption", "value", "qty", "消费量", "消耗量", "用量", "使用量",
               "数量", "实物量", "能耗量", "实物消费量"],
    "unit": ["unit", "units", "单位", "计量单位", "实物单位"],
}
ATTRIBUTE_COLUMNS = ["name", "sector", "sector_code", "value_added_10k_yuan", "land_mu", "population",
                     "reported_tce", "green_kwh", "sink_t_co2", "ccs_t_co2"]
FLOW_ATTRIBUTES = ["value_added_10k_yuan", "reported_tce", "green_kwh", "sink_t_co2", "ccs_t_co2"]
"""Attributes that are amounts of a period: a year's value is the sum of its quarters or months.
The others (land area, population) are stocks: the year takes its last period's value, as year-end
figures (年末常住人口) are what statistical yearbooks report."""
RECORD_COLUMNS = ["entity", "name", "sector", "year", "period", "fuel", "fuel_zh", "scope", "amount", "unit",
                  "unit_zh", "amount_canonical", "canonical_unit", "source_row", "source_column"]


@dataclass
class Inventory:
    """A checked energy inventory.

    records: one row per input cell with an amount — ``entity, name, sector, year, fuel, fuel_zh,
        scope, amount, unit, unit_zh`` (as given), ``amount_canonical, canonical_unit`` (t, m³, kWh,
        GJ), ``source_row`` (spreadsheet row, header = 1), ``source_column`` (header text).
    entities: one row per entity × year — ``entity, year, name, sector, sector_code,
        value_added_10k_yuan, land_mu, population, reported_tce`` (NaN where not given).
    columns: which input column was used for each role (``entity``, ``value_added`` …, and for
        the long form ``fuel``/``amount``/``unit``).
    """

    records: pd.DataFrame
    entities: pd.DataFrame
    form: str
    source_name: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    fuel_columns: dict[str, str] = field(default_factory=dict)
    empty_cells: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    period_kind: str | None = None
    """``quarter`` or ``month`` when the table has a period column (``records.period`` 1–4 or 1–12)."""
    period_coverage: pd.DataFrame | None = None
    """Per entity × year: the periods held (:func:`gis.carbon.subannual.coverage`); None without periods."""

    @property
    def years(self) -> list[int]:
        y = self.entities["year"].dropna()
        return sorted(int(v) for v in y.unique())

    @property
    def fuels(self) -> list[str]:
        return list(dict.fromkeys(self.records["fuel"]))

    def summary(self) -> dict:
        return {"source": self.source_name, "form": self.form,
                "entities": int(self.entities["entity"].nunique()), "rows": len(self.entities),
                "years": self.years, "fuels": self.fuels,
                "records": len(self.records), "empty_cells": self.empty_cells,
                "columns": self.columns, "fuel_columns": self.fuel_columns,
                "ignored_columns": self.ignored_columns,
                **({"period_kind": self.period_kind,
                    "partial_periods": self.period_coverage[self.period_coverage["partial"]]
                    .drop(columns="partial").to_dict("records")}
                   if self.period_kind and self.period_coverage is not None else {})}


# ---------------------------------------------------------------- helpers

def column_letter(i: int) -> str:
    """Spreadsheet column letter of 0-based column ``i`` (0 → A, 26 → AA)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


class _Where:
    """Row/column wording for messages."""

    def __init__(self, df: pd.DataFrame, path: str):
        self.pos = {c: i for i, c in enumerate(df.columns)}
        self.path = path or None

    def col(self, c) -> tuple[str, str]:
        letter = column_letter(self.pos[c]) if c in self.pos else "?"
        return f"“{c}”列（{letter} 列）", f"column '{c}' ({letter})"

    def cells(self, c, rows, values=None, limit: int = 5) -> tuple[str, str]:
        """``第 5 行“原煤(吨)”列（F 列）：“abc”；…`` for the first ``limit`` of ``rows``."""
        czh, cen = self.col(c)
        rows = list(rows)
        vals = list(values) if values is not None else [None] * len(rows)
        zh = "；".join(f"第 {r} 行{czh}" + (f"：“{v}”" if v is not None else "") for r, v in
                      zip(rows[:limit], vals[:limit], strict=False))
        en = "; ".join(f"row {r}, {cen}" + (f": '{v}'" if v is not None else "") for r, v in
                       zip(rows[:limit], vals[:limit], strict=False))
        if len(rows) > limit:
            zh += f" 等共 {len(rows)} 处"
            en += f" and {len(rows) - limit} more"
        return zh, en

    def error(self, zh: str, en: str, code: str) -> InputError:
        return InputError(zh, en, path=self.path, code=code)


def _find(names: dict[str, str], candidates: list[str], taken: set) -> str | None:
    """The first column (not in ``taken``) whose name part equals a candidate."""
    normed: dict[str, str] = {}
    for col, name in names.items():
        if col not in taken:
            normed.setdefault(normalise_name(name), col)
    for cand in candidates:
        hit = normed.get(normalise_name(cand))
        if hit is not None:
            return hit
    return None


def _text(series: pd.Series) -> pd.Series:
    """Cells as trimmed text (NA where empty); whole floats lose their ``.0``."""
    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return pd.NA
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        s = str(v).strip()
        return s if s and s.lower() != "nan" else pd.NA
    return series.map(one).astype("string")


def _numbers(series: pd.Series, col, rows: np.ndarray, where: _Where) -> np.ndarray:
    """Floats (NaN where empty); InputError naming the cells with text or negative numbers."""
    if pd.api.types.is_numeric_dtype(series):
        values = series.to_numpy(dtype=float)
        bad = np.zeros(len(values), bool)
        text = series
    else:
        text = series.astype("string").str.strip()
        cleaned = text.str.replace(",", "", regex=False).str.replace("，", "", regex=False)
        values = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
        filled = (text.notna() & (text != "")).to_numpy()
        bad = filled & np.isnan(values)
    if bad.any():
        zh, en = where.cells(col, rows[bad], text[bad])
        raise where.error(f"不是数字：{zh}。请只填数字（单位写在表头）",
                          f"Not a number: {en}. Enter numbers only (the unit belongs in the header)",
                          "energy.not_a_number")
    neg = values < 0
    if neg.any():
        zh, en = where.cells(col, rows[neg], values[neg])
        raise where.error(f"能耗不能为负数：{zh}", f"Energy amounts cannot be negative: {en}",
                          "energy.negative")
    if np.isinf(values).any():
        zh, en = where.cells(col, rows[np.isinf(values)])
        raise where.error(f"不是有限数字：{zh}", f"Not a finite number: {en}", "energy.not_a_number")
    return values


def _fuel_unit_ok(fuel: str, unit: U.Unit, fuels: pd.DataFrame) -> bool:
    return unit.dimension == "tce" or unit.dimension == fuels.at[fuel, "dimension"]


def _allowed_units(fuel: str, fuels: pd.DataFrame) -> tuple[str, str]:
    dim = fuels.at[fuel, "dimension"]
    return (U.accepted_units_text("zh", (dim, "tce")), U.accepted_units_text("en", (dim, "tce")))


def _mismatch(where: _Where, fuel, unit: U.Unit, fuels, zh_loc: str, en_loc: str) -> InputError:
    azh, aen = _allowed_units(fuel, fuels)
    hint_zh = hint_en = ""
    if fuel == "heat" and unit.dimension == "mass":
        hint_zh = "。按吨计量的蒸汽请先按其焓值换算为吉焦（GJ）"
        hint_en = ". Convert steam metered in tonnes to GJ with its enthalpy first"
    return where.error(f"{zh_loc}：{fuels.at[fuel, 'name_zh']}不能以“{unit.name_zh}”计量。"
                       f"可用单位：{azh}{hint_zh}",
                       f"{en_loc}: {fuels.at[fuel, 'name_en']} cannot be measured in {unit.symbol}. "
                       f"Accepted units: {aen}{hint_en}", "energy.unit_mismatch")


def _bracket_remark(text: str) -> str | None:
    m = re.findall(r"[(（\[【]([^()（）\[\]【】]*)[)）\]】]", str(text))
    return m[-1] if m else None


def _known_fuels_text(fuels: pd.DataFrame, lang: str) -> str:
    col = "name_zh" if lang == "zh" else "name_en"
    return ("、" if lang == "zh" else ", ").join(fuels[col])


def _canonical(amount: np.ndarray, fuel: str, unit: U.Unit, factors: FactorSet) -> np.ndarray:
    cu = factors.fuels.at[fuel, "canonical_unit"]
    if unit.dimension == "tce":
        per = factors.tce_per_unit.get(fuel, np.nan)
        if not np.isfinite(per) or per <= 0:
            raise InputError(f"{factors.fuels.at[fuel, 'name_zh']}以吨标准煤填报，但没有它的折标系数",
                             f"{factors.fuels.at[fuel, 'name_en']} is given in tce but has no standard-coal "
                             "coefficient", code="energy.no_tce")
        return amount * unit.to_base / per
    return amount * U.conversion_factor(unit, cu)


# ---------------------------------------------------------------- reading

def read_energy_inventory(df: pd.DataFrame, *, source_name: str = "",
                          factors: FactorSet | None = None) -> Inventory:
    """Read a long- or wide-form energy table (see the module doc).

    factors: the set whose fuel catalog (user-added fuels included) and standard-coal
    coefficients (for amounts given in tce) are used; default :data:`DEFAULT_FACTOR_SET`.
    """
    factors = factors or load_factor_set()
    if df is None or df.empty or len(df.columns) == 0:
        raise InputError("能耗表是空的", "The energy table is empty", path=source_name or None,
                         code="energy.empty")
    # keep the reader's index (each row's place in the file, blank rows dropped) so messages name
    # the spreadsheet row; anything else is renumbered
    if pd.api.types.is_integer_dtype(df.index) and df.index.is_unique and (df.index >= 0).all():
        df = df.copy()
    else:
        df = df.reset_index(drop=True)
    df.columns = [str(c).strip() for c in df.columns]
    dup = pd.Index(df.columns)[pd.Index(df.columns).duplicated()]
    if len(dup):
        raise InputError(f"表头重复：{'、'.join(dup)}", f"Duplicate column headers: {', '.join(dup)}",
                         path=source_name or None, code="energy.duplicate_columns")
    where = _Where(df, source_name)
    split = {c: U.split_header(c) for c in df.columns}
    names = {c: split[c][0] for c in df.columns}
    taken: set = set()
    long_cols = {}
    for role in ("fuel", "amount", "unit"):
        col = _find(names, LONG_NAMES[role], taken)
        if col is not None:
            long_cols[role] = col
            taken.add(col)
    is_long = "fuel" in long_cols and "amount" in long_cols
    if not is_long:
        taken = set()
        long_cols = {}
    roles: dict[str, str] = {}
    for role, cands in ROLE_NAMES.items():
        col = _find(names, cands, taken)
        if col is not None and (role != "name" or match_fuel(names[col], factors.fuels) is None):
            roles[role] = col
            taken.add(col)
    rows = df.index.to_numpy() + 2
    problems: list[Problem] = []
    attrs = _attributes(df, roles, split, rows, where, problems)
    if is_long:
        records, empty, ignored, fuel_cols = _read_long(df, long_cols, split, attrs, rows, where, factors,
                                                        taken)
        roles.update(long_cols)
    else:
        records, empty, ignored, fuel_cols = _read_wide(df, split, names, taken, attrs, rows, where, factors)
    fuels = factors.fuels
    if records.empty and not fuel_cols:
        raise where.error("表中没有能源列。宽表每种能源一列并在表头写单位，如 原煤(吨)、天然气(万立方米)、"
                          "电力(万千瓦时)；长表需要 能源品种、消费量、单位 三列。可用能源："
                          + _known_fuels_text(fuels, "zh"),
                          "No energy columns found. A wide table has one column per fuel with its unit in "
                          "the header, e.g. 原煤(吨), 天然气(万立方米), 电力(万千瓦时) or coal_t; a long "
                          "table has fuel, amount and unit columns. Known fuels: "
                          + _known_fuels_text(fuels, "en"),
                          "energy.no_fuels")
    kind = attrs.attrs.get("period_kind")
    entities, cov = _entities(attrs, is_long, problems, kind)
    records = records.merge(entities[["entity", "year", "name", "sector"]], on=["entity", "year"], how="left")
    records["fuel_zh"] = records["fuel"].map(fuels["name_zh"])
    records["scope"] = records["fuel"].map(fuels["scope"]).astype(int)
    records["canonical_unit"] = records["fuel"].map(fuels["canonical_unit"])
    records = records[RECORD_COLUMNS].reset_index(drop=True)
    if empty:
        problems.append(Problem("info", "energy.empty_cells", f"{empty} 个空白能耗单元格按 0 计",
                                f"{empty} empty energy cells counted as 0"))
    if ignored:
        problems.append(Problem("warning", "energy.ignored_columns",
                                "未使用的列（既不是能源也不是已知属性）：" + "、".join(ignored),
                                "Columns not used (neither a fuel nor a known attribute): "
                                + ", ".join(ignored)))
    return Inventory(records=records, entities=entities, form="long" if is_long else "wide",
                     source_name=source_name, columns=roles, fuel_columns=fuel_cols, empty_cells=empty,
                     ignored_columns=ignored, problems=problems, period_kind=kind, period_coverage=cov)


def _attributes(df, roles, split, rows, where: _Where, problems) -> pd.DataFrame:
    """Per input row: entity, year and the attribute columns in their target units."""
    n = len(df)
    out = pd.DataFrame(index=df.index)
    blank = pd.Series(pd.NA, index=df.index, dtype="string")
    ids = _text(df[roles["entity"]]) if "entity" in roles else blank
    names = _text(df[roles["name"]]) if "name" in roles else blank
    if "entity" not in roles and "name" not in roles:
        ids = pd.Series([f"row{r}" for r in rows], index=df.index, dtype="string")
        problems.append(Problem("warning", "energy.no_id", "表中没有企业代码或名称列：按行号区分对象",
                                "No id or name column: entities are numbered by row"))
    ids = ids.fillna(names)
    missing = ids.isna().to_numpy()
    if missing.any():
        c = roles.get("entity") or roles["name"]
        zh, en = where.cells(c, rows[missing])
        raise where.error(f"缺少企业代码和名称：{zh}", f"Missing entity id and name: {en}",
                          "energy.no_entity")
    out["entity"] = ids
    out["name"] = names.fillna(ids)
    example = out["name"].astype("string").str.contains(TEMPLATE_EXAMPLE_MARK, regex=False).fillna(False)
    if example.any():
        zh, en = where.cells(roles.get("name") or roles["entity"], rows[example.to_numpy()])
        raise where.error(f"模板中的示例行仍在表中：{zh}。请删除该行后再计算",
                          f"The template's example row is still in the table: {en}. Delete it first",
                          "energy.template_example")
    out["sector"] = _text(df[roles["sector"]]) if "sector" in roles else blank
    out["sector_code"] = _text(df[roles["sector_code"]]) if "sector_code" in roles else blank
    year = None
    if "year" in roles:
        c = roles["year"]
        text = _text(df[c])
        digits = text.str.extract(r"((?:19|20)\d{2})", expand=False)
        bad = (text.notna() & digits.isna()).to_numpy()
        if bad.any():
            zh, en = where.cells(c, rows[bad], text[bad])
            raise where.error(f"年份无法识别：{zh}", f"Cannot read the year: {en}", "energy.year")
        year = pd.to_numeric(digits).astype("Int64")
    out["period"], year = _periods(df, roles, year, rows, where, out)
    out["year"] = year if year is not None else pd.Series(pd.NA, index=df.index, dtype="Int64")
    if out["year"].isna().any() and out["year"].notna().any():
        problems.append(Problem("warning", "energy.year_missing", "部分行没有年份",
                                "Some rows have no year", list(ids[out["year"].isna()])))
    specs = {"value_added": ("value_added_10k_yuan", "money", "1e4yuan"),
             "land_area": ("land_mu", "area", "mu"), "population": ("population", "people", "person"),
             "reported_tce": ("reported_tce", "tce", "tce"),
             "green_electricity": ("green_kwh", "energy", "kWh"), "sinks": ("sink_t_co2", "co2", "tCO2"),
             "ccs": ("ccs_t_co2", "co2", "tCO2")}
    for role, (target, dim, to) in specs.items():
        out[target] = np.full(n, np.nan)
        if role not in roles:
            continue
        c = roles[role]
        unit_text = split[c][1]
        czh, cen = where.col(c)
        if unit_text is None:
            if role == "value_added":
                problems.append(Problem("info", "energy.value_added_unit",
                                        f"{czh}未写单位，按 万元 计",
                                        f"{cen} has no unit: taken as 10^4 yuan"))
                unit_text = "万元"
            elif role == "population":
                unit_text = "人"
            elif dim == "co2":  # 碳汇、CCS without a unit: tonnes of CO2, said so
                problems.append(Problem("info", "energy.co2_unit", f"{czh}未写单位，按 吨二氧化碳 计",
                                        f"{cen} has no unit: taken as tCO2"))
                unit_text = "吨二氧化碳"
            else:
                problems.append(Problem("warning", "energy.attribute_unit",
                                        f"{czh}未写单位，未使用（请写成如 占地面积(亩)、综合能耗(吨标准煤)）",
                                        f"{cen} has no unit and is not used (write e.g. 占地面积(亩), "
                                        "综合能耗(吨标准煤))"))
                del roles[role]
                continue
        u = U.find_unit(unit_text)
        if dim == "co2" and u is not None and u.dimension == "mass":  # 碳汇(吨): tonnes of CO2
            u = U.Unit(u.key + "CO2", u.symbol + "CO2", u.name_zh + "二氧化碳", "co2", u.to_base)
        if u is None or u.dimension != dim:
            raise where.error(f"{czh}的单位“{unit_text}”不是{U.DIMENSION_ZH[dim]}单位",
                              f"{cen}: '{unit_text}' is not a unit of {dim}", "energy.attribute_unit")
        out[target] = _numbers(df[c], c, rows, where) * U.conversion_factor(u, to)
    out["source_row"] = rows
    return out


def _periods(df, roles, year, rows, where: _Where, out: pd.DataFrame):
    """The rows' period (Int64 1–4 or 1–12, NA: none) and their year (the year column, else the year
    a period cell names). Sets ``out.attrs["period_kind"]``. A month column wins over a quarter
    column, which must then agree with it."""
    col = roles.get("month") or roles.get("quarter") or roles.get("period")
    out.attrs["period_kind"] = None
    if col is None:
        return pd.Series(pd.NA, index=df.index, dtype="Int64"), year
    kind_in = {roles.get("month"): "month", roles.get("quarter"): "quarter"}.get(col)
    kind, period, pyear = parse_periods(df[col], kind_in, column=col, rows=rows, path=where.path)
    if kind == "month" and "quarter" in roles and roles["quarter"] != col:
        _, q, _ = parse_periods(df[roles["quarter"]], "quarter", column=roles["quarter"], rows=rows,
                                path=where.path)
        off = (q.notna() & period.notna() & (q != (period - 1) // 3 + 1)).fillna(False).to_numpy()
        if off.any():
            zh, en = where.cells(roles["quarter"], rows[off])
            raise where.error(f"季度与月份不一致：{zh}", f"Quarter and month disagree: {en}", "energy.period")
    year = reconcile_years(year, pyear, year_column=roles.get("year", ""), period_column=col, rows=rows,
                           path=where.path)
    if period.notna().any():
        out.attrs["period_kind"] = kind
    return period, (year if year.notna().any() or "year" in roles else None)


def _other_activity(name) -> bool:
    """Whether a header/cell names a process, waste or purchased-cooling activity (熟料产量, 冷量 …)
    or a clinker composition (熟料CaO含量), which gis.carbon.process reads instead."""
    from gis.carbon.process import is_activity_column  # imported here: process is optional to the reader

    return is_activity_column(name)


def _read_wide(df, split, names, taken, attrs, rows, where: _Where, factors: FactorSet):
    fuels = factors.fuels
    parts, ignored, fuel_cols = [], [], {}
    empty = 0
    for c in df.columns:
        if c in taken:
            continue
        name, unit_text = split[c]
        fuel = match_fuel(name, fuels)
        czh, cen = where.col(c)
        if fuel is None and _other_activity(name):
            continue  # 熟料产量(吨), 冷量(吉焦) …: gis.carbon.process reads them
        if fuel is None:
            u = U.find_unit(unit_text) if unit_text else None
            if u is not None and u.dimension in ("mass", "volume", "energy", "tce"):
                raise where.error(f"表头（第 1 行）{czh}：无法识别的能源品种“{name}”。"
                                  f"可用：{_known_fuels_text(fuels, 'zh')}；"
                                  "其他能源可在因子表（--override）中添加",
                                  f"Header (row 1), {cen}: unknown fuel '{name}'. Known: "
                                  f"{_known_fuels_text(fuels, 'en')}; add other fuels in a factor table "
                                  "(--override)", "energy.unknown_fuel")
            if _text(df[c]).notna().any():
                ignored.append(c)
            continue
        if unit_text is None:
            remark = _bracket_remark(c)
            azh, aen = _allowed_units(fuel, fuels)
            if remark is not None and match_fuel(remark, fuels) is None:
                raise where.error(f"表头（第 1 行）{czh}：无法识别的单位“{remark}”。可用单位：{azh}",
                                  f"Header (row 1), {cen}: unknown unit '{remark}'. Accepted units: {aen}",
                                  "energy.unknown_unit")
            raise where.error(f"表头（第 1 行）{czh}没有单位：请写成如 {fuels.at[fuel, 'name_zh']}"
                              f"({fuels.at[fuel, 'template_unit']})。可用单位：{azh}",
                              f"Header (row 1), {cen} has no unit: write it like {fuels.at[fuel, 'name_zh']}"
                              f"({fuels.at[fuel, 'template_unit']}). Accepted units: {aen}", "energy.no_unit")
        u = U.parse_unit(unit_text)
        if not _fuel_unit_ok(fuel, u, fuels):
            raise _mismatch(where, fuel, u, fuels, f"表头（第 1 行）{czh}", f"Header (row 1), {cen}")
        values = _numbers(df[c], c, rows, where)
        has = ~np.isnan(values)
        empty += int((~has).sum())
        fuel_cols[c] = fuel
        parts.append(pd.DataFrame({
            "entity": attrs["entity"].to_numpy()[has], "year": attrs["year"].to_numpy()[has],
            "period": attrs["period"].to_numpy()[has], "fuel": fuel,
            "amount": values[has], "unit": u.symbol, "unit_zh": u.name_zh,
            "amount_canonical": _canonical(values[has], fuel, u, factors),
            "source_row": rows[has], "source_column": c}))
    _warn_repeats(fuel_cols, fuels, where)
    records = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["entity", "year", "period", "fuel", "amount", "unit", "unit_zh", "amount_canonical",
                 "source_row", "source_column"])
    records["year"] = records["year"].astype("Int64")
    records["period"] = records["period"].astype("Int64")
    return records, empty, ignored, fuel_cols


def _warn_repeats(fuel_cols: dict, fuels, where) -> None:
    seen: dict[str, str] = {}
    for c, f in fuel_cols.items():
        if f in seen:
            raise where.error(f"两列都是{fuels.at[f, 'name_zh']}：“{seen[f]}”和“{c}”。"
                              "请合并为一列，以免重复计算",
                              f"Two columns hold {fuels.at[f, 'name_en']}: '{seen[f]}' and '{c}'. Merge them "
                              "into one so nothing is counted twice", "energy.duplicate_fuel")
        seen[f] = c


def _read_long(df, cols, split, attrs, rows, where: _Where, factors: FactorSet, taken):
    fuels = factors.fuels
    fcol, acol, ucol = cols["fuel"], cols["amount"], cols.get("unit")
    fuel_text = _text(df[fcol])
    values = _numbers(df[acol], acol, rows, where)
    has = ~np.isnan(values)
    no_fuel = (fuel_text.isna().to_numpy()) & has
    if no_fuel.any():
        zh, en = where.cells(fcol, rows[no_fuel])
        raise where.error(f"有用量但没有能源品种：{zh}", f"An amount without a fuel: {en}", "energy.no_fuel")
    # fuel names (and a unit written in the fuel cell), one look-up per distinct text
    fuel_key = pd.Series(pd.NA, index=df.index, dtype="string")
    names_used: dict[str, str] = {}
    cell_unit = pd.Series(pd.NA, index=df.index, dtype="string")
    for text in fuel_text.dropna().unique():
        name, written_unit = U.split_header(text)
        key = match_fuel(name, fuels)
        mask = (fuel_text == text).fillna(False).to_numpy()
        if key is None and _other_activity(name):
            has &= ~mask  # a process, waste or cooling row: gis.carbon.process reads it
            continue
        if key is None:
            zh, en = where.cells(fcol, rows[mask], [text] * int(mask.sum()))
            raise where.error(f"无法识别的能源品种：{zh}。可用：{_known_fuels_text(fuels, 'zh')}；"
                              "其他能源可在因子表（--override）中添加",
                              f"Unknown fuel: {en}. Known: {_known_fuels_text(fuels, 'en')}; add other fuels "
                              "in a factor table (--override)", "energy.unknown_fuel")
        fuel_key[mask] = key
        names_used[str(text)] = key
        if written_unit is not None:
            cell_unit[mask] = written_unit
    unit_text = _text(df[ucol]) if ucol is not None else pd.Series(pd.NA, index=df.index, dtype="string")
    unit_text = unit_text.fillna(cell_unit)
    header_unit = split[acol][1]
    if header_unit is not None:
        unit_text = unit_text.fillna(header_unit)
    no_unit = unit_text.isna().to_numpy() & has
    if no_unit.any():
        zh, en = where.cells(ucol or acol, rows[no_unit])
        raise where.error(f"没有单位：{zh}。请填写“单位”列（如 吨、万立方米、万千瓦时）",
                          f"No unit: {en}. Fill in a unit column (e.g. t, 10^4 m3, 10^4 kWh)",
                          "energy.no_unit")
    parts = []
    pairs = pd.DataFrame({"fuel": fuel_key, "unit": unit_text})[has].drop_duplicates()
    for _, (fuel, text) in pairs.iterrows():
        mask = ((fuel_key == fuel) & (unit_text == text)).fillna(False).to_numpy() & has
        u = U.find_unit(text)
        loc_col = ucol or acol
        if u is None:
            zh, en = where.cells(loc_col, rows[mask], [text] * int(mask.sum()))
            azh, aen = _allowed_units(fuel, fuels)
            raise where.error(f"无法识别的单位：{zh}。可用单位：{azh}",
                              f"Unknown unit: {en}. Accepted units: {aen}", "energy.unknown_unit")
        if not _fuel_unit_ok(fuel, u, fuels):
            zh, en = where.cells(loc_col, rows[mask][:1], [text])
            raise _mismatch(where, fuel, u, fuels, zh, en)
        parts.append(pd.DataFrame({
            "entity": attrs["entity"].to_numpy()[mask], "year": attrs["year"].to_numpy()[mask],
            "period": attrs["period"].to_numpy()[mask], "fuel": fuel,
            "amount": values[mask], "unit": u.symbol, "unit_zh": u.name_zh,
            "amount_canonical": _canonical(values[mask], fuel, u, factors), "source_row": rows[mask],
            "source_column": acol}))
    records = pd.concat(parts).sort_values("source_row", kind="stable").reset_index(drop=True) if parts else \
        pd.DataFrame(columns=["entity", "year", "period", "fuel", "amount", "unit", "unit_zh",
                              "amount_canonical", "source_row", "source_column"])
    records["year"] = records["year"].astype("Int64")
    records["period"] = records["period"].astype("Int64")
    ignored = [c for c in df.columns
               if c not in taken and c not in cols.values() and _text(df[c]).notna().any()]
    return records, int((~has).sum()), ignored, names_used


def _entities(attrs: pd.DataFrame, is_long: bool, problems, kind: str | None = None) \
        -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """One row per entity × year: the first non-empty value of each attribute; differing
    values (and, in a wide table, repeated rows) are reported. With periods (``kind``), rows are
    first taken per entity × year × period, then a year sums its periods' flows
    (:data:`FLOW_ATTRIBUTES`) and keeps its last period's stocks; the coverage of each entity ×
    year is returned (partial years reported), else None."""
    keys = ["entity", "year", "period"]
    g = attrs.groupby(keys, dropna=False, sort=False)
    ent = g[ATTRIBUTE_COLUMNS].first().reset_index()
    counts = g.size().to_numpy()
    same = "同一对象同一年份同一期" if kind else "同一对象同一年份"
    same_en = "the same entity and period" if kind else "the same entity and year"
    if not is_long and (counts > 1).any():
        problems.append(Problem("warning", "energy.repeated_rows",
                                f"{same}有多行：能耗相加",
                                f"Several rows for {same_en}: their energy is added up",
                                list(ent.loc[counts > 1, "entity"])))
    if (counts > 1).any():
        differing = [c for c in ("value_added_10k_yuan", "land_mu", "population", "reported_tce", "name",
                                 "sector") if (g[c].nunique() > 1).any()]
        if differing:
            ids = list(ent.loc[counts > 1, "entity"])
            problems.append(Problem("warning", "energy.attribute_conflict",
                                    f"{same}的多行属性值不一致，采用第一行：" + "、".join(differing),
                                    f"Rows of {same_en} disagree; the first value is used for: "
                                    + ", ".join(differing), ids))
    cov = None
    if kind:
        ent, cov = _years_of_periods(ent, kind, problems)
    ent["year"] = ent["year"].astype("Int64")
    return ent[["entity", "year", *ATTRIBUTE_COLUMNS]], cov


def _years_of_periods(per: pd.DataFrame, kind: str,
                      problems: list[Problem]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Entity × period rows → entity × year rows (flows summed, stocks of the last period), the
    coverage, and problems: partial years, a whole-year row beside period rows (an error: it would
    count twice), one value added repeated in every period (the year's figure copied?)."""
    mixed = mixed_rows(per["entity"], per["year"], per["period"])
    if mixed:
        raise mixed_error(mixed, code="energy.period_mixed")
    cov = coverage(per[["entity", "year", "period"]], kind)
    problems.extend(partial_problems(cov, kind, code="energy.partial_year"))
    per = per.sort_values(["entity", "year", "period"], kind="stable")
    g = per.groupby(["entity", "year"], dropna=False, sort=False)
    stocks = [c for c in ATTRIBUTE_COLUMNS if c not in FLOW_ATTRIBUTES]
    ent = g[stocks].last().join(g[FLOW_ATTRIBUTES].sum(min_count=1))
    ent[["name", "sector", "sector_code"]] = g[["name", "sector", "sector_code"]].first()
    va = g["value_added_10k_yuan"].agg(["nunique", "count", "size"])
    copied = va[(va["size"] > 1) & (va["nunique"] == 1) & (va["count"] == va["size"])]
    if len(copied):
        problems.append(Problem("warning", "energy.period_value_repeated",
                                f"{len(copied)} 个对象×年份各期的增加值完全相同，是否把全年数填在了每一期？"
                                "全年按各期相加",
                                f"{len(copied)} entity × years give the same value added in each period: was "
                                "the year's figure copied into each? The year sums its periods",
                                [str(e) for e, _ in copied.index]))
    return ent.reset_index(), cov


# ---------------------------------------------------------------- template

def energy_template(factors: FactorSet | None = None) -> dict[str, pd.DataFrame]:
    """The sheets of a ready-to-fill wide-form template: ``能源数据`` (headers with units and one
    example row), ``填写说明`` (instructions), ``能源品种`` (accepted fuel names and units with the
    default factors). :func:`read_energy_inventory` reads the first sheet back."""
    factors = factors or load_factor_set()
    fuels = factors.fuels
    shown = [f for f in fuels.index if f != "refined_oil"]
    example = {"企业代码": "E001", "企业名称": f"示例企业（{TEMPLATE_EXAMPLE_MARK}）", "行业": "纺织印染",
               "行业代码": "C17", "年份": 2024}
    sample_amounts = {"raw_coal": 100.0, "natural_gas": 50.0, "diesel": 10.0, "electricity": 1000.0,
                      "heat": 5000.0}
    for f in shown:
        example[f"{fuels.at[f, 'name_zh']}({fuels.at[f, 'template_unit']})"] = sample_amounts.get(f, 0.0)
    example["工业增加值(万元)"] = 10000.0
    example["占地面积(亩)"] = 50.0
    data = pd.DataFrame([example])
    notes = [
        ("用途 Purpose", "每行一个企业（或建筑、乡镇）一年的能源消费；"
                       "读入：lingtan carbon 本文件 --out 结果.xlsx"),
        ("单位 Units", "单位写在表头括号内，可改成其他单位，如 原煤(万吨)、天然气(立方米)、电力(千瓦时)、"
                     "电力(MWh)、热力(GJ)；任何能源也可按 吨标准煤 填报"),
        ("空白 Blanks", "空白单元格按 0 计（结果中报告空白个数）；不要填写文字或负数"),
        ("多年 Years", "同一企业多个年份各占一行；默认计算最近一年，--year 选择年份或 all"),
        ("季度/月份 Periods", "可在年份旁加一列 季度（1–4、Q1 或 2023Q1）或 月份（1–12、2023-03 或 "
                          "2023年3月），每期一行、填当期数（不是累计数）；全年按各期相加，缺期的年份会被报告，"
                          "不按比例折算"),
        ("成品油", "只有合计数时可用列 成品油(吨)（按柴油因子计并给出提示）；已分汽油、柴油时不要再填成品油"),
        ("蒸汽 Steam", "按吨计量的蒸汽请先按焓值换算为吉焦（GJ）填入 热力(吉焦)"),
        ("其他能源 Other fuels", "表中没有的能源（如生物质、焦炉煤气）：在因子表（--override）中"
                             "添加其排放因子与单位后再加列"),
        ("增加值 Value added", "工业增加值(万元) 用于单位增加值排放；乡镇可用 地区生产总值(万元)"),
        ("面积 Area", "占地面积(亩) 用于单位面积排放；也可写 平方米、公顷、平方公里"),
        ("示例 Example", "第 2 行是示例，请替换或删除"),
    ]
    instructions = pd.DataFrame(notes, columns=["项目", "说明"])
    t = factors.table
    fuel_rows = []
    for f in fuels.index:
        cat = fuels.loc[f]
        dims = (cat["dimension"], "tce")
        fuel_rows.append({
            "能源品种": cat["name_zh"], "English": cat["name_en"],
            "表头示例": f"{cat['name_zh']}({cat['template_unit']})",
            "可用名称": "、".join(a for a in str(cat["aliases"]).split("|") if a),
            "可用单位": U.accepted_units_text("zh", dims),
            "范围": f"范围{'一' if int(cat['scope']) == 1 else '二'} scope {int(cat['scope'])}",
            f"排放因子（{factors.key}）": f"{t.at[f, 'value']:g} {t.at[f, 'unit']}" if f in t.index
            and np.isfinite(t.at[f, "value"]) else "",
            "来源": t.at[f, "source"] if f in t.index else "", "说明": cat.get("note", "")})
    return {"能源数据": data, "填写说明": instructions, "能源品种": pd.DataFrame(fuel_rows)}

