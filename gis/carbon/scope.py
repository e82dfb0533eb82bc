"""The accounting boundary: which scopes count, and the lines beyond fuels.

Scope 1 = fuels burnt on site + industrial processes + waste treated in the park; scope 2 =
purchased electricity, heat and cooling; scope 3 = other indirect emissions entered as lines
(category, tCO2, source), the 15 categories of the GHG Protocol Corporate Value Chain (Scope 3)
Standard (WRI/WBCSD 2011, Table 5.3). The user chooses the boundary (default scopes 1 and 2,
as GB/T 32150-2015 and the national zero-carbon park indicators count them — the national
indicator 单位能耗碳排放 includes industrial process emissions).

:func:`apply_boundary` turns an :class:`~gis.carbon.emissions.EmissionsResult` (fuels only) into a
:class:`BoundedEmissions`: the same tables with process, waste and cooling added to each entity
(``t_co2_process, t_co2_waste, t_co2_cooling``), ``t_co2`` = the scopes counted, scope 3 in the
park totals (``t_co2_scope3``), and one row per line in ``by_fuel`` (``kind``: energy, process,
waste, cooling, scope3; ``counted``) so the balance, the workbook and the report show them.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gis.carbon import units as U
from gis.carbon.emissions import EmissionsResult, _aggregate, _intensities, _record
from gis.carbon.process import KINDS, account_activities, activity_catalog
from gis.errors import InputError, Problem
from gis.fields import normalise_name

DEFAULT_BOUNDARY = (1, 2)
"""Scopes counted unless the user says otherwise: 1 and 2 (GB/T 32150-2015 §6; the national
zero-carbon park indicators 2025)."""
SCOPE_NAMES = {1: ("范围一", "scope 1"), 2: ("范围二", "scope 2"), 3: ("范围三", "scope 3")}
SCOPE3_CATEGORIES = {
    1: ("外购商品和服务", "purchased goods and services"),
    2: ("资本货物", "capital goods"),
    3: ("燃料和能源相关活动", "fuel- and energy-related activities"),
    4: ("上游运输和配送", "upstream transportation and distribution"),
    5: ("运营中产生的废弃物", "waste generated in operations"),
    6: ("商务差旅", "business travel"),
    7: ("员工通勤", "employee commuting"),
    8: ("上游租赁资产", "upstream leased assets"),
    9: ("下游运输和配送", "downstream transportation and distribution"),
    10: ("售出产品的加工", "processing of sold products"),
    11: ("售出产品的使用", "use of sold products"),
    12: ("售出产品的报废处理", "end-of-life treatment of sold products"),
    13: ("下游租赁资产", "downstream leased assets"),
    14: ("特许经营", "franchises"),
    15: ("投资", "investments"),
}
"""GHG Protocol Scope 3 Standard (WRI/WBCSD 2011), Table 5.3: category number → (zh, en)."""
CO2_METRICS = ("t_co2_per_tce", "t_co2_per_10k_yuan", "carbon_intensity_change_pct", "t_co2_total")
"""Balance metrics that depend on the boundary (the indicators using them say which it was)."""
_CATEGORY_NAMES = ["category", "类别", "范围三类别", "类别名称", "排放类别", "项目"]
_T_CO2_NAMES = ["t_co2", "tco2", "emissions", "排放量", "排放", "二氧化碳排放量", "温室气体排放量"]
_SOURCE_NAMES = ["source", "来源", "数据来源", "依据"]
_YEAR_NAMES = ["year", "年份", "年度"]


def parse_boundary(value) -> tuple[int, ...]:
    """Scopes from ``scope1,scope2[,scope3]``, ``1,2,3``, ``范围一,范围二`` or a sequence (None:
    :data:`DEFAULT_BOUNDARY`)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return DEFAULT_BOUNDARY
    parts = re.split(r"[,，、;；+\s]+", value.strip()) if isinstance(value, str) else [str(v) for v in value]
    zh_num = {"一": 1, "二": 2, "三": 3}
    out = set()
    for p in filter(None, parts):
        m = re.fullmatch(r"(?:scope|范围|s)?\s*([123一二三])", p.strip().lower())
        if m is None:
            raise InputError(
                f"无法识别的核算边界“{p}”：写 scope1,scope2 或 scope1,scope2,scope3",
                f"Cannot read the boundary '{p}': write scope1,scope2 or scope1,scope2,scope3",
                code="scope.boundary",
            )
        out.add(zh_num.get(m.group(1)) or int(m.group(1)))
    if not out:
        raise InputError("核算边界不能为空", "The boundary names no scope", code="scope.boundary")
    return tuple(sorted(out))


def boundary_label(boundary, lang: str = "zh") -> str:
    """``范围一（含工业过程、废弃物）+ 范围二（含外购冷量）`` and its English."""
    i = 0 if lang == "zh" else 1
    extra = {
        1: ("（燃料、工业过程、废弃物）", " (fuels, processes, waste)"),
        2: ("（电力、热力、冷量）", " (electricity, heat, cooling)"),
        3: ("（填报类别）", " (categories entered)"),
    }
    return " + ".join(SCOPE_NAMES[s][i] + extra[s][i] for s in boundary)


def read_scope3(df: pd.DataFrame, *, source_name: str = "") -> pd.DataFrame:
    """Scope 3 lines from a table with columns category/类别 (a GHG Protocol category number 1–15,
    its name, or free text), t_co2/排放量 (tCO2; a unit in the header such as 排放量(万吨二氧化碳)
    is converted), source/来源 and optionally year/年份. Returns ``category_no`` (NaN for free
    text), ``category, name_zh, name_en, t_co2, source, year``."""
    path = source_name or None
    if df is None or df.empty:
        return pd.DataFrame(
            columns=["category_no", "category", "name_zh", "name_en", "t_co2", "source", "year"]
        )
    split = {c: U.split_header(str(c)) for c in df.columns}
    normed = {normalise_name(split[c][0]): c for c in df.columns}

    def find(names):
        return next((normed[normalise_name(n)] for n in names if normalise_name(n) in normed), None)

    cat_col, val_col, src_col, year_col = (
        find(n) for n in (_CATEGORY_NAMES, _T_CO2_NAMES, _SOURCE_NAMES, _YEAR_NAMES)
    )
    if cat_col is None or val_col is None:
        raise InputError(
            "范围三表需要 类别 和 排放量(吨二氧化碳) 两列（可加 来源、年份）",
            "A scope 3 table needs the columns category and t_co2 (optionally source, year)",
            path=path,
            code="scope.scope3_columns",
        )
    unit_text = split[val_col][1] or "吨二氧化碳"
    u = U.find_unit(unit_text)
    if u is not None and u.dimension == "mass":  # 排放量(吨): tonnes of CO2
        u = U.Unit(u.key + "CO2", u.symbol + "CO2", u.name_zh + "二氧化碳", "co2", u.to_base)
    if u is None or u.dimension != "co2":
        raise InputError(
            f"“{val_col}”的单位应为 吨二氧化碳 或 万吨二氧化碳",
            f"'{val_col}': the unit must be tCO2 or 10^4 tCO2",
            path=path,
            code="scope.scope3_unit",
        )
    values = pd.to_numeric(df[val_col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        rows = "、".join(str(r + 2) for r in np.flatnonzero(bad)[:5])
        raise InputError(
            f"“{val_col}”列第 {rows} 行不是非负数字",
            f"Column '{val_col}', rows {rows}: not a number ≥ 0",
            path=path,
            code="scope.scope3_value",
        )
    out = []
    for i, (cat, t) in enumerate(zip(df[cat_col], values * U.conversion_factor(u, "tCO2"), strict=True)):
        text = "" if pd.isna(cat) else str(cat).strip()
        no = _category_no(text)
        if not text:
            raise InputError(
                f"第 {i + 2} 行没有类别",
                f"Row {i + 2} has no category",
                path=path,
                code="scope.scope3_category",
            )
        zh, en = SCOPE3_CATEGORIES.get(no, (text, text)) if no else (text, text)
        src = "" if src_col is None or pd.isna(df[src_col].iloc[i]) else str(df[src_col].iloc[i])
        year = pd.to_numeric(df[year_col].iloc[i], errors="coerce") if year_col is not None else np.nan
        out.append(
            {
                "category_no": no or np.nan,
                "category": text,
                "name_zh": zh,
                "name_en": en,
                "t_co2": float(t),
                "source": src,
                "year": year,
            }
        )
    frame = pd.DataFrame(out)
    frame["year"] = frame["year"].astype("Int64") if frame["year"].notna().all() else frame["year"]
    return frame


def _category_no(text: str) -> int | None:
    m = re.match(r"^\s*(?:类别|category|cat\.?)?\s*(\d{1,2})\b", text, re.IGNORECASE)
    if m and 1 <= int(m.group(1)) <= 15:
        return int(m.group(1))
    t = normalise_name(text)
    for no, (zh, en) in SCOPE3_CATEGORIES.items():
        if t in (normalise_name(zh), normalise_name(en)):
            return no
    return None


@dataclass
class BoundedEmissions(EmissionsResult):
    """An :class:`EmissionsResult` with the boundary applied (see the module doc).

    lines: one row per year × line — ``year, kind, line, name_zh, name_en, scope, amount, unit,
        t_co2, counted, source`` (energy fuels, each process/waste/cooling item, each scope 3
        category). activities: the accounted process/waste/cooling rows per entity."""

    boundary: tuple[int, ...] = DEFAULT_BOUNDARY
    lines: pd.DataFrame = field(default_factory=pd.DataFrame)
    activities: pd.DataFrame = field(default_factory=pd.DataFrame)

    def summary(self) -> dict:
        out = super().summary()
        out["boundary"] = list(self.boundary)
        out["boundary_zh"], out["boundary_en"] = (
            boundary_label(self.boundary),
            boundary_label(self.boundary, "en"),
        )
        out["lines"] = [_record(r) for _, r in self.lines.iterrows()]
        return out


def apply_boundary(
    emissions: EmissionsResult,
    *,
    activities: pd.DataFrame | None = None,
    scope3: pd.DataFrame | None = None,
    boundary=DEFAULT_BOUNDARY,
    cop: float | None = None,
) -> BoundedEmissions:
    """``emissions`` with process/waste/cooling ``activities`` (gis.carbon.process.read_activities,
    not yet accounted), ``scope3`` lines (:func:`read_scope3`) and the scopes in ``boundary``
    counted (see the module doc). Per-value-added, per-tce and per-mu intensities use scopes 1
    and 2 as counted; scope 3 is only in the totals."""
    boundary = parse_boundary(boundary)
    problems = list(emissions.problems)
    catalog = activity_catalog(emissions.grid_kg_co2_per_kwh, **({"cop": cop} if cop else {}))
    acts = (
        account_activities(activities, catalog, years=emissions.years)
        if activities is not None and len(activities)
        else pd.DataFrame(columns=["entity", "year", "item", "kind", "t_co2"])
    )
    ent = emissions.entities.copy()
    ent["t_co2_energy"] = ent["t_co2"]
    keys = ["entity", "year"]
    for kind in KINDS:
        col = f"t_co2_{kind}"
        sums = acts[acts["kind"] == kind].groupby(keys, dropna=False)["t_co2"].sum().rename(col)
        ent = ent.drop(columns=[col], errors="ignore").merge(sums.reset_index(), on=keys, how="outer")
        ent[col] = ent[col].fillna(0.0)
    unknown = ent["t_co2_energy"].isna()
    if unknown.any():  # activities of entities the energy table does not have
        problems.append(
            Problem(
                "warning",
                "scope.activity_entities",
                "这些对象只有工业过程/废弃物/冷量数据，没有能耗数据",
                "These entities have process/waste/cooling data but no energy data",
                list(ent.loc[unknown, "entity"]),
            )
        )
        for c in ("t_co2_energy", "t_co2", "t_co2_scope1", "t_co2_scope2", "tce"):
            ent[c] = ent[c].fillna(0.0)
    ent["t_co2_scope1"] = ent["t_co2_scope1"] + ent["t_co2_process"] + ent["t_co2_waste"]
    ent["t_co2_scope2"] = ent["t_co2_scope2"] + ent["t_co2_cooling"]
    ent["t_co2"] = (ent["t_co2_scope1"] if 1 in boundary else 0.0) + (
        ent["t_co2_scope2"] if 2 in boundary else 0.0
    )
    ent = _intensities(ent)
    year_total = ent.groupby("year", dropna=False)["t_co2"].transform("sum")
    ent["share_pct"] = 100.0 * ent["t_co2"] / year_total.where(year_total > 0)
    extra = ["t_co2_energy", "t_co2_process", "t_co2_waste", "t_co2_cooling"]
    sectors = emissions.sectors
    if len(sectors) and ent["sector"].notna().any():
        sectors = _with_sums(_aggregate(ent, ["sector", "year"]), ent, ["sector", "year"], extra)
    totals = _with_sums(_aggregate(ent, ["year"]), ent, ["year"], extra)
    lines = _lines(emissions, acts, scope3, boundary)
    s3 = lines[lines["kind"] == "scope3"].groupby("year", dropna=False)["t_co2"].sum()
    totals["t_co2_scope3"] = totals["year"].map(s3).fillna(0.0).astype(float) if len(s3) else 0.0
    totals["t_co2_scope12"] = totals["t_co2"]
    if 3 in boundary:
        totals["t_co2"] = totals["t_co2"] + totals["t_co2_scope3"]
    if 2 not in boundary:
        problems.append(
            Problem(
                "warning",
                "scope.no_scope2",
                "核算边界不含范围二：国家零碳园区指标按范围一 + 范围二核算",
                "The boundary leaves out scope 2: the national zero-carbon park indicators count "
                "scopes 1 and 2",
            )
        )
    by_fuel = lines.rename(columns={"line": "fuel", "name_zh": "fuel_zh"})
    by_fuel["t_co2_all"] = by_fuel["t_co2"]
    by_fuel["t_co2"] = by_fuel["t_co2"].where(by_fuel["counted"], 0.0)
    fy = by_fuel.groupby("year", dropna=False)["t_co2"].transform("sum")
    by_fuel["share_pct"] = 100.0 * by_fuel["t_co2"] / fy.where(fy > 0)
    base = {f.name: getattr(emissions, f.name) for f in dataclasses.fields(EmissionsResult)}
    base.update(
        entities=ent.reset_index(drop=True),
        sectors=sectors,
        totals=totals,
        by_fuel=by_fuel,
        problems=problems,
    )
    return BoundedEmissions(**base, boundary=boundary, lines=lines, activities=acts)


def _with_sums(frame: pd.DataFrame, ent: pd.DataFrame, keys: list[str], cols: list[str]) -> pd.DataFrame:
    sums = ent.groupby(keys, dropna=False)[cols].sum().reset_index()
    return frame.merge(sums, on=keys, how="left")


def _lines(
    emissions: EmissionsResult, acts: pd.DataFrame, scope3: pd.DataFrame | None, boundary
) -> pd.DataFrame:
    """One row per year × line: the fuels (as accounted), each process/waste/cooling item, each
    scope 3 category; ``counted`` whether the boundary includes its scope."""
    bf = emissions.by_fuel
    energy = pd.DataFrame(
        {
            "year": bf["year"],
            "kind": "energy",
            "line": bf["fuel"],
            "name_zh": bf["fuel_zh"],
            "name_en": bf["fuel"].map(emissions.factors.table["name_en"])
            if "name_en" in emissions.factors.table
            else bf["fuel"],
            "scope": bf["scope"].astype(int),
            "amount": bf["amount"],
            "unit": bf["unit"],
            "t_co2": bf["t_co2"],
            "tce": bf["tce"],
            "source": "",
        }
    )
    parts = [energy]
    if len(acts):
        g = (
            acts.groupby(["year", "item"], dropna=False, sort=False)
            .agg(
                kind=("kind", "first"),
                name_zh=("name_zh", "first"),
                name_en=("name_en", "first"),
                scope=("scope", "first"),
                amount=("amount_canonical", "sum"),
                unit=("canonical_unit", "first"),
                t_co2=("t_co2", "sum"),
                source=("source", "first"),
            )
            .reset_index()
            .rename(columns={"item": "line"})
        )
        g["tce"] = 0.0  # no energy counted for processes; purchased cold: its electricity is the supplier's
        parts.append(g)
    if scope3 is not None and len(scope3):
        s = scope3.copy()
        years = [y for y in emissions.years]
        rows = []
        for _, r in s.iterrows():  # a line without a year applies to every year accounted
            for y in years if pd.isna(r["year"]) else [r["year"]]:
                if y in years or years == [None]:
                    rows.append(
                        {
                            "year": y,
                            "kind": "scope3",
                            "line": f"scope3:{r['category']}",
                            "name_zh": f"范围三：{r['name_zh']}",
                            "name_en": f"scope 3: {r['name_en']}",
                            "scope": 3,
                            "amount": np.nan,
                            "unit": "",
                            "t_co2": float(r["t_co2"]),
                            "tce": 0.0,
                            "source": r["source"],
                        }
                    )
        if rows:
            parts.append(pd.DataFrame(rows))
    out = pd.concat(parts, ignore_index=True)
    out["scope"] = out["scope"].astype(int)
    out["counted"] = out["scope"].isin(boundary)
    return out


def scope_totals(result: BoundedEmissions, year=None) -> dict[str, Any]:
    """tCO2 of one year per scope and per kind (energy, process, waste, cooling, scope3), with the
    total counted under the boundary."""
    lines = result.lines
    if year is not None:
        lines = lines[lines["year"] == year]
    elif len(result.years) > 1:
        raise ValueError("several years accounted: pass year=")
    out: dict[str, Any] = {
        f"scope{s}_t_co2": float(lines.loc[lines["scope"] == s, "t_co2"].sum()) for s in (1, 2, 3)
    }
    for kind in ("energy", *KINDS, "scope3"):
        out[f"{kind}_t_co2"] = float(lines.loc[lines["kind"] == kind, "t_co2"].sum())
    out["total_t_co2"] = float(lines.loc[lines["counted"], "t_co2"].sum())
    out["boundary"] = list(result.boundary)
    return out
