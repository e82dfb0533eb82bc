"""The park's load: a typical profile per enterprise (from the energy table) and their sum.

:func:`enterprises_from_inventory` takes the electricity rows of a checked energy inventory
(:mod:`gis.carbon.inventory`, any unit converted to kWh) and each enterprise's industry;
:func:`kind_for_industry` maps an industry (name or GB/T 4754-2017 code) or a building use to a
profile kind; :func:`park_load` builds every enterprise's year of kW (one shape per kind, scaled to
its annual kWh, or calibrated to its 12 monthly bills) and the park total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gis.energy.profiles import KIND_NAMES, scale_to_energy, shape_values
from gis.errors import InputError, Problem

DEFAULT_KIND = "industrial_two_shift"
"""Kind of an enterprise whose industry and use say nothing we know (assumption: a park's typical
manufacturer works two shifts); reported as a warning so the user can set ``kind``."""
USE_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("dormitory", ("宿舍", "住宅", "公寓", "居住", "dormitory", "residential", "apartment", "housing")),
    ("hotel", ("酒店", "宾馆", "旅馆", "住宿", "hotel", "accommodation")),
    ("mall", ("商场", "商业", "零售", "超市", "购物", "餐饮", "mall", "retail", "shop", "restaurant")),
    ("school", ("学校", "教育", "教学", "school", "education", "university", "college")),
    ("hospital", ("医院", "卫生", "诊所", "hospital", "health", "clinic")),
    ("public", ("政府", "公共管理", "行政", "社会组织", "机关", "public", "government", "administration")),
    ("office", ("办公", "写字楼", "研发", "商务", "金融", "软件", "信息技术", "office", "r&d", "finance",
                "software")),
]
"""Building uses / service sectors → kind, first hit wins (substring match, case-insensitive)."""
INDUSTRY_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("continuous_process", ("化纤", "化学纤维", "化工", "化学原料", "石化", "炼油", "焦化", "造纸", "水泥",
                            "玻璃", "陶瓷", "钢铁", "冶炼", "有色", "电解", "多晶硅", "数据中心", "chemical",
                            "petro", "refin", "paper", "cement", "glass", "steel", "smelt", "data center")),
    ("industrial_three_shift", ("纺织", "印染", "医药", "制药", "电子", "半导体", "芯片", "新材料", "铸造",
                                "塑料", "橡胶", "textile", "dye", "pharma", "electronic", "semiconductor",
                                "foundry", "plastic", "rubber")),
    ("industrial_two_shift", ("机械", "设备", "汽车", "零部件", "食品", "饮料", "包装", "印刷", "金属制品",
                              "电气", "仪器", "machin", "equipment", "auto", "food", "beverage", "packag",
                              "print", "metal product", "electrical")),
    ("industrial_one_shift", ("家具", "家居", "服装", "服饰", "鞋", "皮革", "木材", "文教", "工艺品", "玩具",
                              "furniture", "apparel", "garment", "shoe", "leather", "wood", "toy")),
]
"""Industry names → kind (assumption from the usual shift pattern of each sector in Chinese parks)."""
GBT4754_KINDS: dict[str, str] = {
    **dict.fromkeys(["C22", "C25", "C26", "C28", "C30", "C31", "C32", "D44"], "continuous_process"),
    **dict.fromkeys(["C17", "C27", "C29", "C33", "C39"], "industrial_three_shift"),
    **dict.fromkeys(["C13", "C14", "C15", "C23", "C34", "C35", "C36", "C37", "C38", "C40", "C41"],
                    "industrial_two_shift"),
    **dict.fromkeys(["C18", "C19", "C20", "C21", "C24"], "industrial_one_shift"),
    "H61": "hotel", "H62": "mall", "F52": "mall", "P83": "school", "Q84": "hospital",
    **dict.fromkeys(["S92", "S93", "S94", "S95"], "public"),
    **dict.fromkeys(["I63", "I64", "I65", "J66", "J67", "J68", "L72", "M73", "M74", "M75"], "office"),
}
"""GB/T 4754-2017 two-digit industry codes (国民经济行业分类 大类) → kind; the same assumptions as
:data:`INDUSTRY_KEYWORDS` (a bare section letter C counts as manufacturing: :data:`DEFAULT_KIND`)."""
_CODE = re.compile(r"\b([A-T])\s*(\d{2})", re.IGNORECASE)


def _kind_and_match(industry: str | None, use: str | None) -> tuple[str, bool]:
    for text in (use, industry):
        t = str(text).strip().lower() if text is not None and not pd.isna(text) else ""
        if not t:
            continue
        if t in KIND_NAMES:
            return t, True
        for kind, words in USE_KEYWORDS + INDUSTRY_KEYWORDS:
            if any(w in t for w in words):
                return kind, True
        m = _CODE.search(t.upper())
        if m and f"{m.group(1).upper()}{m.group(2)}" in GBT4754_KINDS:
            return GBT4754_KINDS[f"{m.group(1).upper()}{m.group(2)}"], True
    return DEFAULT_KIND, False


def kind_for_industry(industry: str | None, use: str | None = None) -> str:
    """The profile kind of an enterprise: from its building ``use`` first (办公, 商场, 宿舍 …), then its
    ``industry`` (a Chinese or English sector name, or a GB/T 4754-2017 code such as ``C17``); a kind
    key itself is accepted. Unknown → :data:`DEFAULT_KIND` (two-shift industry)."""
    return _kind_and_match(industry, use)[0]


@dataclass
class ParkLoad:
    """Per-enterprise load (``kw``: one column of mean kW per enterprise id) and the park total."""

    index: pd.DatetimeIndex
    kw: pd.DataFrame
    kinds: dict
    sources: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    dt_h: float = 1.0

    @property
    def park_kw(self) -> np.ndarray:
        """The park's total mean kW per interval."""
        return self.kw.to_numpy().sum(axis=1)

    @property
    def annual_kwh(self) -> pd.Series:
        """Energy per enterprise over the year (kWh)."""
        return self.kw.sum() * self.dt_h


def _column(df: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    low = {str(c).strip().lower(): c for c in df.columns}
    return next((low[n] for n in names if n in low), None)


def park_load(enterprises: pd.DataFrame, year: int, *, dt_h: float = 1.0,
              monthly: dict | None = None, overrides: dict | None = None,
              shapes: dict | None = None) -> ParkLoad:
    """A typical year of kW for each enterprise and the park.

    enterprises: one row per enterprise with ``id``, ``annual_kwh`` (kWh) and ``kind`` or
        ``industry`` (and optionally ``use``); see :func:`enterprises_from_inventory`.
    monthly: ``{id: 12 monthly kWh}`` bills that calibrate those enterprises month by month.
    overrides: ``{id: daily_shape_override}`` (see :func:`gis.energy.profiles.profile_shape`).
    shapes: the user's edited day shapes ``{kind or id: {day: relative values}}``
        (:func:`gis.energy.shapes_file.read_profile_shapes`): a kind's for all its enterprises, an
        enterprise's over its kind's, each day type keeping the shipped shape's daily energy.
    """
    if enterprises is None or len(enterprises) == 0:
        raise InputError("没有企业：需要 id、annual_kwh 与 kind 或 industry 列",
                         "No enterprises: columns id, annual_kwh and kind or industry are needed",
                         code="load.no_enterprises")
    idc = _column(enterprises, ("id", "entity", "enterprise_id", "企业代码"))
    kwhc = _column(enterprises, ("annual_kwh", "kwh", "electricity_kwh", "年用电量"))
    if idc is None or kwhc is None:
        raise InputError("企业表需要 id 与 annual_kwh 列",
                         "The enterprise table needs columns id and annual_kwh", code="load.columns")
    ids = enterprises[idc].astype(str).to_numpy()
    dup = pd.Index(ids)[pd.Index(ids).duplicated()]
    if len(dup):
        raise InputError(f"企业编号重复：{'、'.join(dup[:5])}",
                         f"Duplicate enterprise ids: {', '.join(dup[:5])}", code="load.duplicate_ids")
    annual = pd.to_numeric(enterprises[kwhc], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(annual) | (annual < 0)
    if bad.any():
        raise InputError(f"年用电量不是非负数：{'、'.join(ids[bad][:5])}",
                         f"Annual kWh is not a non-negative number for: {', '.join(ids[bad][:5])}",
                         code="load.energy")
    kinds, guessed = _kinds(enterprises, ids)
    problems: list[Problem] = []
    if guessed:
        problems.append(Problem("warning", "load.kind_default",
                                f"{len(guessed)} 家企业的行业无法对应负荷类型，"
                                f"按“{KIND_NAMES[DEFAULT_KIND][0]}”计；可在 kind 列指定",
                                f"{len(guessed)} enterprise(s) have an industry with no known load kind: "
                                f"taken as {KIND_NAMES[DEFAULT_KIND][1]}; set the kind column", guessed))
    monthly = {str(k): v for k, v in (monthly or {}).items()}
    overrides = {str(k): v for k, v in (overrides or {}).items()}
    kind_shapes: dict = {}
    if shapes:
        from gis.energy.shapes_file import resolve_shapes

        kind_shapes, firm_shapes, more = resolve_shapes(shapes, dict(zip(ids, kinds, strict=True)))
        problems.extend(more)
        overrides = {**firm_shapes, **overrides}  # an explicit override (API) wins
    unknown = (set(monthly) | set(overrides)) - set(ids)
    if unknown:
        listed = ", ".join(sorted(unknown)[:5])
        raise InputError(f"月度账单/曲线修改指向不存在的企业：{listed}",
                         f"Monthly bills or overrides name unknown enterprises: {listed}",
                         code="load.unknown_id")
    out = np.empty((0, 0))
    index = None
    sources: dict[str, str] = {}
    for kind in dict.fromkeys(kinds):
        cols = np.flatnonzero(kinds == kind)
        index, shape, sources[kind], shape_problems = shape_values(kind, year, dt_h, kind_shapes.get(kind))
        if out.size == 0:
            out = np.empty((len(shape), len(ids)))
            problems.extend(shape_problems)
        out[:, cols] = np.outer(shape, annual[cols] / dt_h)  # one shape per kind, scaled per firm
        for c in cols:
            ent = ids[c]
            if ent in overrides:
                index, s, src, _ = shape_values(kind, year, dt_h, overrides[ent])
                sources[f"{kind}:{ent}"] = src
            else:
                s = shape
            if ent in overrides or ent in monthly:
                out[:, c], more = scale_to_energy(index, s, dt_h, annual[c], monthly.get(ent))
                problems.extend(Problem(p.level, p.code, f"{ent}：{p.zh}", f"{ent}: {p.en}", [ent])
                                for p in more)
    kw = pd.DataFrame(out, index=index, columns=pd.Index(ids, name="enterprise"))
    return ParkLoad(index, kw, dict(zip(ids, kinds, strict=True)), sources, problems, dt_h)


def _kinds(enterprises: pd.DataFrame, ids: np.ndarray) -> tuple[np.ndarray, list[str]]:
    kc = _column(enterprises, ("kind", "负荷类型"))
    ic = _column(enterprises, ("industry", "sector", "行业"))
    uc = _column(enterprises, ("use", "用途", "building_use"))
    kinds = np.empty(len(ids), dtype=object)
    guessed: list[str] = []
    for i in range(len(ids)):  # one row per enterprise (hundreds at most), not a hot path
        given = enterprises[kc].iloc[i] if kc is not None else None
        if given is not None and not pd.isna(given) and str(given).strip():
            if str(given).strip() not in KIND_NAMES:
                raise InputError(f"企业 {ids[i]} 的负荷类型“{given}”未知。可用：{'、'.join(KIND_NAMES)}",
                                 f"Enterprise {ids[i]}: unknown load kind '{given}'. Known: "
                                 f"{', '.join(KIND_NAMES)}",
                                 code="load.unknown_kind")
            kinds[i] = str(given).strip()
            continue
        kind, matched = _kind_and_match(enterprises[ic].iloc[i] if ic is not None else None,
                                        enterprises[uc].iloc[i] if uc is not None else None)
        kinds[i] = kind
        if not matched:
            guessed.append(str(ids[i]))
    return kinds, guessed


def enterprises_from_inventory(inv, year: int | None = None) -> pd.DataFrame:
    """One row per enterprise of a :class:`gis.carbon.inventory.Inventory` for ``year`` (default: the
    latest): ``id, name, industry, sector_code, annual_kwh`` (its electricity rows, converted to kWh)
    and ``kind`` (from :func:`kind_for_industry`, industry name first, then the code). Enterprises
    without electricity get 0 kWh."""
    ent = inv.entities.copy()
    rec = inv.records
    if year is None and inv.years:
        year = inv.years[-1]
    if year is not None and ent["year"].notna().any():
        if year not in inv.years:
            raise InputError(f"能耗表中没有 {year} 年。可用：{'、'.join(map(str, inv.years))}",
                             f"The energy table has no year {year}. Years: {', '.join(map(str, inv.years))}",
                             code="load.year")
        ent = ent[ent["year"] == year]
        rec = rec[rec["year"] == year]
    elec = rec[rec["fuel"] == "electricity"]
    units = set(elec["canonical_unit"])
    if units - {"kWh"}:
        raise InputError(f"电力的标准单位应为 kWh，实际为 {'、'.join(map(str, units))}",
                         f"Electricity's canonical unit should be kWh, not {', '.join(map(str, units))}",
                         code="load.unit")
    kwh = elec.groupby(elec["entity"].astype(str))["amount_canonical"].sum()
    ids = ent["entity"].astype(str)
    out = pd.DataFrame({"id": ids.to_numpy(), "name": ent["name"].to_numpy(),
                        "industry": ent["sector"].to_numpy(), "sector_code": ent["sector_code"].to_numpy(),
                        "annual_kwh": ids.map(kwh).fillna(0.0).to_numpy(dtype=float)})
    out["kind"] = [_kind_and_match(s, None)[0] if _kind_and_match(s, None)[1] else kind_for_industry(c)
                   for s, c in zip(out["industry"], out["sector_code"], strict=True)]
    return out.drop_duplicates("id").reset_index(drop=True)


def park_load_from_table(table: pd.DataFrame, year: int | None = None, *, dt_h: float = 1.0,
                         source_name: str = "enterprises", monthly: dict | None = None,
                         shapes: dict | None = None) -> tuple[pd.DataFrame, ParkLoad]:
    """Typical profiles for an enterprise energy table (e.g. ``Park.enterprises`` of the sample park):
    read with :func:`gis.carbon.inventory.read_energy_inventory`, then :func:`park_load` for ``year``
    (default: the table's latest); ``monthly`` and ``shapes`` as there."""
    from gis.carbon.inventory import read_energy_inventory

    inv = read_energy_inventory(table, source_name=source_name)
    ents = enterprises_from_inventory(inv, year)
    year = year if year is not None else (inv.years[-1] if inv.years else None)
    if year is None:
        raise InputError("能耗表没有年份：请指定年份", "The energy table has no year: give one",
                         code="load.year")
    return ents, park_load(ents, int(year), dt_h=dt_h, monthly=monthly, shapes=shapes)


BILL_ID_NAMES = ("id", "enterprise", "enterprise_id", "企业代码", "企业编号", "户号")
BILL_UNITS = {"万千瓦时": 1e4, "万kwh": 1e4, "mwh": 1e3, "千瓦时": 1.0, "kwh": 1.0}
"""Units a bills header may name (the factor to kWh); kWh when none is named."""


def read_monthly_bills(path: str | Path) -> dict[str, np.ndarray]:
    """Twelve monthly electricity bills per enterprise: a CSV/Excel table with an id column
    (``id``/``企业代码`` …) and twelve month columns in calendar order (``1月``…``12月`` or
    ``1``…``12``); kWh unless a header names 万千瓦时 or MWh. Returns ``{id: (12,) kWh}``."""
    from gis.io.report import ReadReport
    from gis.io.tabular import read_table

    p = Path(path)
    df = read_table(p, ReadReport(str(p))) if p.suffix.lower() in (".xlsx", ".xls") else _read_csv_any(p)
    id_col = _column(df, BILL_ID_NAMES)
    if id_col is None:
        raise InputError(f"账单表 {p.name} 需要企业代码列（id/企业代码）",
                         f"the bills table {p.name} needs an id column (id/企业代码)", path=str(p),
                         code="load.bills_id")
    months = [c for c in df.columns if c != id_col]
    if len(months) != 12:
        raise InputError(f"账单表 {p.name} 应有 12 个月份列，找到 {len(months)} 个",
                         f"the bills table {p.name} should have 12 month columns, found {len(months)}",
                         path=str(p), code="load.bills_months")
    header = " ".join(map(str, df.columns)).lower()
    factor = next((f for unit, f in BILL_UNITS.items() if unit in header), 1.0)
    values = df[months].apply(pd.to_numeric, errors="coerce").to_numpy(float) * factor
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.any(axis=1))[0])
        raise InputError(f"账单表 {p.name} 第 {row + 2} 行有无法读取或为负的电量",
                         f"the bills table {p.name}: unreadable or negative kWh on line {row + 2}",
                         path=str(p),
                         code="load.bills_value")
    return {str(i).strip(): v for i, v in zip(df[id_col], values, strict=True)}


def _read_csv_any(p: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(p, encoding="utf-8-sig")
    except UnicodeDecodeError:
        return pd.read_csv(p, encoding="gb18030")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, OSError) as e:
        raise InputError(f"无法读取账单表 {p.name}：{e}", f"cannot read the bills table {p.name}: {e}",
                         path=str(p), code="load.bills_read") from e
