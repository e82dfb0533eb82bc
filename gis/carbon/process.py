"""Emissions that are not fuel burnt: industrial processes, waste treatment, purchased cooling.

Each is activity × factor (tCO2e per unit of activity), like the fuels (DOMAIN.md §2):

- **process** (scope 1): carbonate decomposition and feedstock carbon — cement clinker, lime,
  limestone/dolomite/soda ash used (glass, ceramics, steel flux), flat glass, ceramic clay,
  ammonia, steelmaking electrodes. Factors and their derivation: resources/factors/process.csv
  (national enterprise GHG guidelines, 国家发展改革委 2013–2015; IPCC 2006 Vol. 3 defaults).
- **waste** (scope 1, in-park treatment): landfill CH4, incineration fossil CO2, wastewater CH4
  (resources/factors/waste.csv; IPCC 2006 Vol. 5 defaults, GWP100 from AR5).
- **cooling** (scope 2): purchased cooling (冷量, GJ of cold) × grid factor ÷ the chiller's COP
  (:func:`cooling_t_co2_per_gj`).

The activities are columns of the energy table (熟料产量(吨), 石灰产量(吨), 冷量(吉焦),
垃圾焚烧量(吨), COD去除量(吨) …, Chinese or English names; gis.carbon.inventory leaves them to
this module) or rows of a separate long table (item, amount, unit, with entity and year columns
optional): :func:`read_activities`, then :func:`account_activities`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from gis.carbon import units as U
from gis.errors import InputError
from gis.fields import normalise_name
from gis.paths import resources_dir

KINDS = {"process": ("工业生产过程", "industrial processes"), "waste": ("废弃物处理", "waste treatment"),
         "cooling": ("外购冷量", "purchased cooling")}
"""Kinds of non-fuel lines with their names (zh, en)."""
CHILLER_COP = 4.2
"""Coefficient of performance of an electric-driven chiller plant (kWh cold per kWh electricity),
used when the supplier's own is unknown: LGOP v1.1 (CARB, ICLEI, The Climate Registry, 2010),
Table 6.1 "typical chiller COPs", electric-driven compressor 4.2 (absorption 0.8, engine-driven 1.2)."""
KWH_PER_GJ = 1e6 / 3600.0
"""kWh in one GJ (1 kWh = 3.6 MJ exactly)."""
MW_CO2, MW_CAO, MW_MGO = 44.0095, 56.0774, 40.3044
"""Molar masses, g/mol (IUPAC standard atomic weights): CO2, CaO, MgO."""
CATALOG_COLUMNS = ["kind", "name_zh", "name_en", "aliases", "dimension", "canonical_unit", "scope",
                   "gas", "t_co2e_per_unit", "derivation", "source", "status"]
ACTIVITY_COLUMNS = ["entity", "year", "item", "amount", "unit", "amount_canonical", "source_row",
                    "source_column", "own_factor"]
"""``own_factor``: the row's own tCO2e per unit (clinker from its CaO/MgO columns), NaN: the catalog's."""
CLINKER_COMPOSITION = {
    "cao_pct": ["熟料CaO含量", "熟料氧化钙含量", "CaO含量", "氧化钙含量", "clinker_cao", "cao"],
    "mgo_pct": ["熟料MgO含量", "熟料氧化镁含量", "MgO含量", "氧化镁含量", "clinker_mgo", "mgo"],
    "cao_noncarbonate_pct": ["非碳酸盐CaO含量", "非碳酸盐氧化钙含量", "cao_noncarbonate"],
    "mgo_noncarbonate_pct": ["非碳酸盐MgO含量", "非碳酸盐氧化镁含量", "mgo_noncarbonate"],
}
"""Columns (in %) of a clinker's composition: with them each plant's clinker factor follows the
cement guideline's formula (:func:`clinker_factor`) instead of the default."""
OWN_CLINKER_SOURCE = ("《中国水泥生产企业温室气体排放核算方法与报告指南（试行）》(2013) 原料碳酸盐分解公式，"
                      "企业熟料 CaO/MgO 含量 / the plant's CaO and MgO with the guideline's formula")
_ITEM_NAMES = ["item", "process", "activity", "项目", "排放源", "过程", "活动", "工艺", "产品",
               "能源品种", "品种", "fuel"]  # the last: process rows in a long energy table
_AMOUNT_NAMES = ["amount", "quantity", "value", "活动水平", "数量", "产量", "用量", "消耗量", "消费量"]
_UNIT_NAMES = ["unit", "units", "单位", "计量单位"]
_ENTITY_NAMES = ["企业代码", "企业编号", "代码", "编号", "entity", "entity_id", "id", "企业名称", "企业",
                 "名称", "name"]
_YEAR_NAMES = ["年份", "年度", "year"]


def clinker_factor(cao_pct: float, mgo_pct: float, cao_noncarbonate_pct: float = 0.0,
                   mgo_noncarbonate_pct: float = 0.0) -> float:
    """tCO2 per tonne of clinker from its CaO and MgO content (% by mass), less the CaO/MgO that
    did not come from carbonates (slag, fly ash in the raw meal): the formula of 《中国水泥生产企业
    温室气体排放核算方法与报告指南（试行）》(2013), 原料碳酸盐分解:
    EF = (CaO − CaO_nc) × 44/56 + (MgO − MgO_nc) × 44/40 (molar masses, :data:`MW_CO2` …)."""
    vals = np.array([cao_pct, mgo_pct, cao_noncarbonate_pct, mgo_noncarbonate_pct], dtype=float)
    if not np.isfinite(vals).all() or (vals < 0).any() or vals[0] > 100 or vals[1] > 100 \
            or vals[2] > vals[0] or vals[3] > vals[1]:
        raise InputError("熟料成分应为 0–100% 的数值，且非碳酸盐来源的部分不大于总量",
                         "Clinker contents must be numbers within 0–100 %, the non-carbonate part no larger "
                         "than the total", code="process.clinker")
    return (vals[0] - vals[2]) / 100.0 * MW_CO2 / MW_CAO + (vals[1] - vals[3]) / 100.0 * MW_CO2 / MW_MGO


def cooling_t_co2_per_gj(grid_kg_co2_per_kwh: float, cop: float = CHILLER_COP) -> float:
    """tCO2 per GJ of purchased cold: the electricity an electric chiller plant of ``cop`` needs
    (GJ × 277.8 kWh/GJ ÷ COP) × the grid factor (kgCO2/kWh); the method of LGOP v1.1 §6.x district
    cooling (energy input = cooling ÷ COP, × the input's factor)."""
    if not np.isfinite(cop) or cop <= 0:
        raise InputError(f"制冷性能系数 COP 应为正数，而不是 {cop}",
                         f"The chiller COP must be positive, not {cop}", code="process.cop")
    return KWH_PER_GJ / cop * grid_kg_co2_per_kwh / 1000.0


@lru_cache(maxsize=1)
def _static_catalog() -> pd.DataFrame:
    base = Path(resources_dir()) / "factors"
    proc = pd.read_csv(base / "process.csv", dtype=str)
    waste = pd.read_csv(base / "waste.csv", dtype=str)
    p = pd.DataFrame({"item": proc["process"], "kind": "process", "name_zh": proc["name_zh"],
                      "name_en": proc["name_en"], "aliases": proc["aliases"], "dimension": "mass",
                      "canonical_unit": "t", "scope": 1, "gas": "CO2",
                      "t_co2e_per_unit": proc["t_co2_per_unit"].astype(float),
                      "derivation": proc["derivation"], "source": proc["source"], "status": proc["status"]})
    w = pd.DataFrame({"item": waste["item"], "kind": "waste", "name_zh": waste["name_zh"],
                      "name_en": waste["name_en"], "aliases": waste["aliases"], "dimension": "mass",
                      "canonical_unit": "t", "scope": 1, "gas": waste["gas"],
                      "t_co2e_per_unit": waste["t_co2e_per_unit"].astype(float),
                      "derivation": waste["formula"], "source": waste["source"], "status": waste["status"]})
    return pd.concat([p, w], ignore_index=True).set_index("item")


def activity_catalog(grid_kg_co2_per_kwh: float | None = None, cop: float = CHILLER_COP) -> pd.DataFrame:
    """Every non-fuel item (index: item key) with ``kind, name_zh, name_en, aliases, dimension,
    canonical_unit, scope, gas, t_co2e_per_unit, derivation, source, status``; purchased cooling's
    factor follows the grid factor given (kgCO2/kWh; NaN without one)."""
    cat = _static_catalog().copy()
    factor = cooling_t_co2_per_gj(grid_kg_co2_per_kwh, cop) if grid_kg_co2_per_kwh is not None else np.nan
    cat.loc["cooling"] = {
        "kind": "cooling", "name_zh": "外购冷量", "name_en": "purchased cooling",
        "aliases": "冷量|外购冷量|购入冷量|供冷量|区域供冷|冷冻水|cooling|purchased cooling|chilled water|"
                   "district cooling",
        "dimension": "energy", "canonical_unit": "GJ", "scope": 2, "gas": "CO2", "t_co2e_per_unit": factor,
        "derivation": f"GJ × {KWH_PER_GJ:.2f} kWh/GJ ÷ COP {cop:g} × grid factor "
                      f"{'' if grid_kg_co2_per_kwh is None else f'{grid_kg_co2_per_kwh:g} '}kgCO2/kWh",
        "source": "LGOP v1.1 (2010) Table 6.1 (electric chiller COP 4.2) and §6 district cooling; "
                  "the grid factor of the factor set", "status": "unverified"}
    cat["scope"] = cat["scope"].astype(int)
    return cat


@lru_cache(maxsize=1)
def _alias_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for item, row in activity_catalog().iterrows():
        for a in [item, *str(row["aliases"]).split("|")]:
            if a:
                out.setdefault(normalise_name(a), str(item))
    return out


def composition_column(name) -> str | None:
    """``cao_pct`` … for a clinker-composition header such as ``熟料CaO含量`` (None otherwise)."""
    n = normalise_name(str(name)).replace("%", "").replace("％", "")  # 熟料CaO含量(%): no unit
    return next((k for k, names in CLINKER_COMPOSITION.items() if n in {normalise_name(a) for a in names}),
                None)


def is_activity_column(name) -> bool:
    """Whether a header names an activity or a clinker composition (read here, not as a fuel)."""
    return match_activity(name) is not None or composition_column(name) is not None


def match_activity(name) -> str | None:
    """The item key for a header or cell such as ``熟料产量``, ``外购冷量``, ``COD去除量``,
    ``clinker`` (None when it is not a process, waste or cooling activity)."""
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return None
    return _alias_map().get(normalise_name(str(name)))


def _cell_text(series: pd.Series) -> pd.Series:
    def one(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        s = str(v).strip()
        return s or None
    return series.map(one)


def _numbers(series: pd.Series, col: str, rows: np.ndarray, path: str | None) -> np.ndarray:
    cleaned = series.astype("string").str.strip().str.replace(",", "", regex=False)
    values = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype=float)
    bad = (cleaned.notna() & (cleaned != "")).to_numpy() & np.isnan(values)
    bad |= values < 0
    if bad.any():
        where = "、".join(str(r) for r in rows[bad][:5])
        raise InputError(f"“{col}”列第 {where} 行不是非负数字", f"Column '{col}', rows {where}: not a number "
                         "≥ 0", path=path, code="process.not_a_number")
    return values


def _unit(item: str, text: str | None, col: str, cat: pd.DataFrame, path: str | None) -> U.Unit:
    dim = cat.at[item, "dimension"]
    accepted_zh, accepted_en = U.accepted_units_text("zh", (dim,)), U.accepted_units_text("en", (dim,))
    if text is None:
        zh_u, en_u = ("吨", "t") if dim == "mass" else ("吉焦", "GJ")
        raise InputError(f"“{col}”没有单位：请写成如 {cat.at[item, 'name_zh']}({zh_u})。"
                         f"可用单位：{accepted_zh}",
                         f"'{col}' has no unit: write it like {col}({en_u}). "
                         f"Accepted units: {accepted_en}", path=path, code="process.no_unit")
    u = U.find_unit(text)
    if u is None or u.dimension != dim:
        raise InputError(f"“{col}”：{cat.at[item, 'name_zh']}不能以“{text}”计量。可用单位：{accepted_zh}",
                         f"'{col}': {cat.at[item, 'name_en']} cannot be measured in '{text}'. "
                         f"Accepted units: {accepted_en}", path=path, code="process.unit")
    return u


def _keys(df: pd.DataFrame, rows: np.ndarray, entity_col: str | None, name_col: str | None,
          year_col: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Entity ids (id, else name, else ``row{n}`` as gis.carbon.inventory numbers them) and years."""
    ids = pd.Series([None] * len(df), index=df.index, dtype=object)
    for c in (entity_col, name_col):
        if c is not None:
            ids = ids.where(ids.notna(), _cell_text(df[c]))
    ids = ids.where(ids.notna(), pd.Series([f"row{r}" for r in rows], index=df.index))
    if year_col is not None:
        year = _cell_text(df[year_col]).astype("string").str.extract(r"((?:19|20)\d{2})", expand=False)
        years = pd.to_numeric(year).astype("Int64").to_numpy()
    else:
        years = pd.array([pd.NA] * len(df), dtype="Int64").to_numpy()
    return ids.to_numpy(dtype=object), years


def read_activities(df: pd.DataFrame, *, columns: dict[str, str] | None = None, source_name: str = "",
                    catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """Process, waste and cooling activities of a table: the columns named like an item in a wide
    energy table (``熟料产量(吨)``), or the rows of a long table with columns item/项目, amount/数量
    and unit/单位 (the unit may also be in the item cell or the amount header).

    columns: the roles the energy reader found (``Inventory.columns``: ``entity``, ``name``,
    ``year``) so entities match the energy records; found here by name when not given.
    Returns :data:`ACTIVITY_COLUMNS` (amount_canonical in t or GJ; empty cells are left out).
    """
    cat = catalog if catalog is not None else activity_catalog()
    path = source_name or None
    if df is None or df.empty:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS)
    if not (pd.api.types.is_integer_dtype(df.index) and df.index.is_unique and (df.index >= 0).all()):
        df = df.reset_index(drop=True)
    rows = df.index.to_numpy() + 2  # spreadsheet rows, header = 1
    cols = [str(c).strip() for c in df.columns]
    df = df.set_axis(cols, axis=1)
    split = {c: U.split_header(c) for c in cols}
    roles = dict(columns or {})

    def find(names):
        normed = {normalise_name(split[c][0]): c for c in reversed(cols)}
        return next((normed[normalise_name(n)] for n in names if normalise_name(n) in normed), None)

    if columns is None:
        roles = {k: v for k, v in (("entity", find(_ENTITY_NAMES)), ("year", find(_YEAR_NAMES))) if v}
    ids, years = _keys(df, rows, roles.get("entity"), roles.get("name"), roles.get("year"))
    item_col, amount_col = find(_ITEM_NAMES), find(_AMOUNT_NAMES)
    parts = []
    if item_col is not None and amount_col is not None and item_col != amount_col:  # long form
        unit_col = find(_UNIT_NAMES)
        text = _cell_text(df[item_col])
        values = _numbers(df[amount_col], amount_col, rows, path)
        for raw in dict.fromkeys(t for t in text if t is not None):
            name, cell_unit = U.split_header(raw)
            item = match_activity(name)
            if item is None:
                continue  # fuels and anything else stay with the energy reader
            mask = (text == raw).to_numpy() & ~np.isnan(values)
            given = _cell_text(df[unit_col]) if unit_col else pd.Series([None] * len(df), index=df.index)
            units = given.where(given.notna(), cell_unit or split[amount_col][1])
            for u_text in dict.fromkeys(units[mask]):
                u = _unit(item, u_text, str(raw), cat, path)
                same = units.isna() if u_text is None else units == u_text
                m = mask & same.to_numpy(dtype=bool)
                parts.append(_frame(ids[m], years[m], item, values[m], u, cat, rows[m], amount_col))
    else:
        for c in cols:
            item = match_activity(split[c][0])
            if item is None:
                continue
            u = _unit(item, split[c][1], c, cat, path)
            values = _numbers(df[c], c, rows, path)
            has = ~np.isnan(values)
            part = _frame(ids[has], years[has], item, values[has], u, cat, rows[has], c)
            if item == "clinker":
                part["own_factor"] = _clinker_factors(df, cols, split, rows, path)[has]
            parts.append(part)
    if not parts:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["year"].astype("Int64")
    return out[ACTIVITY_COLUMNS]


def _frame(ids, years, item, values, u: U.Unit, cat, rows, col) -> pd.DataFrame:
    return pd.DataFrame({"entity": ids, "year": years, "item": item, "amount": values, "unit": u.symbol,
                         "amount_canonical": values * U.conversion_factor(u, cat.at[item, "canonical_unit"]),
                         "source_row": rows, "source_column": col, "own_factor": np.nan})


def _clinker_factors(df, cols, split, rows, path) -> np.ndarray:
    """Per row: tCO2/t clinker from the composition columns (:func:`clinker_factor`, vectorised;
    NaN where CaO is not given)."""
    found = {composition_column(split[c][0]): c for c in reversed(cols) if composition_column(split[c][0])}
    if "cao_pct" not in found:
        return np.full(len(df), np.nan)
    v = {k: _numbers(df[c], c, rows, path) for k, c in found.items()}
    zero = np.zeros(len(df))
    cao, mgo = v["cao_pct"], np.nan_to_num(v.get("mgo_pct", zero))
    cao_nc = np.nan_to_num(v.get("cao_noncarbonate_pct", zero))
    mgo_nc = np.nan_to_num(v.get("mgo_noncarbonate_pct", zero))
    bad = np.isfinite(cao) & ((cao > 100) | (mgo > 100) | (cao_nc > cao) | (mgo_nc > mgo))
    if bad.any():
        where = "、".join(str(r) for r in rows[bad][:5])
        raise InputError(f"熟料成分不合理（第 {where} 行）：含量应在 0–100%，非碳酸盐部分不大于总量",
                         f"Clinker composition out of range (rows {where}): contents within 0–100 %, the "
                         "non-carbonate part no larger than the total", path=path, code="process.clinker")
    return (cao - cao_nc) / 100.0 * MW_CO2 / MW_CAO + (mgo - mgo_nc) / 100.0 * MW_CO2 / MW_MGO


def account_activities(activities: pd.DataFrame, catalog: pd.DataFrame, *, years: list | None = None
                       ) -> pd.DataFrame:
    """Emissions of ``activities`` (:func:`read_activities`): each row gains ``kind, name_zh,
    name_en, scope, canonical_unit, t_co2e_per_unit, t_co2, source, status`` (t_co2 = amount in
    the canonical unit × factor, tCO2e). ``years``: keep only these (rows without a year are kept
    when the accounting has no years)."""
    a = activities.copy()
    if years is not None and years != [None]:
        a = a[a["year"].isin(years)]
    elif years == [None]:
        a = a[a["year"].isna()]
    c = catalog.loc[a["item"]]
    for col in ("kind", "name_zh", "name_en", "scope", "canonical_unit", "t_co2e_per_unit", "source",
                "status"):
        a[col] = c[col].to_numpy()
    own = pd.to_numeric(a.get("own_factor", pd.Series(np.nan, index=a.index)), errors="coerce")
    if own.notna().any():  # the plant's clinker factor (cement guideline formula) where given
        a["t_co2e_per_unit"] = own.where(own.notna(), a["t_co2e_per_unit"].astype(float))
        a["source"] = np.where(own.notna(), OWN_CLINKER_SOURCE, a["source"])
    missing = a["amount_canonical"].gt(0) & ~np.isfinite(a["t_co2e_per_unit"].astype(float))
    if missing.any():
        names = "、".join(dict.fromkeys(a.loc[missing, "name_zh"]))
        raise InputError(f"这些项目没有排放因子：{names}（外购冷量需要电网排放因子）",
                         f"No emission factor for: {', '.join(dict.fromkeys(a.loc[missing, 'name_en']))} "
                         "(purchased cooling needs the grid factor)", code="process.no_factor")
    a["t_co2"] = a["amount_canonical"].astype(float) * np.nan_to_num(a["t_co2e_per_unit"].astype(float))
    return a.reset_index(drop=True)
