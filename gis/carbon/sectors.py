"""Six consumption sectors of city/district carbon accounting from the industry field.

Energy supply, industry, buildings (commercial and public), transport, agriculture and residential
(DOMAIN.md §9) are the fuel-combustion categories of the IPCC 2006 Guidelines (Vol. 2 Ch. 2:
1.A.1 energy industries, 1.A.2 manufacturing and construction, 1.A.4.a commercial/institutional,
1.A.3 transport, 1.A.4.c agriculture/forestry/fishing, 1.A.4.b residential). The rules in
``resources/factors/sectors.csv`` map GB/T 4754-2017 codes and Chinese industry names to them:

1. a division rule (``C25``, ``2511`` and ``25`` all give division 25) wins over
2. a section rule (``C``; a bare division gives its section through :data:`DIVISION_SECTIONS`),
3. else the first name rule whose keyword occurs in the industry name (file order: the specific
   before the general — 制造 before 电力, so 电力设备制造 is industry).

A user table with the same columns (``kind, key, sector`` [, ``ipcc, note, source``]) is put before
the built-in rules. Entities matching no rule keep sector ``unmapped`` and are reported, never
guessed. The unique (code, name) pairs are mapped once, so the cost does not grow with the rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.paths import resources_dir

SECTORS: tuple[str, ...] = ("energy_supply", "industry", "buildings", "transport", "agriculture",
                            "residential")
"""The six sectors, in the order charts and tables show them (DOMAIN.md §9)."""
UNMAPPED = "unmapped"
SECTOR_NAMES: dict[str, tuple[str, str]] = {
    "energy_supply": ("能源供应", "Energy supply"), "industry": ("工业", "Industry"),
    "buildings": ("建筑", "Buildings"), "transport": ("交通", "Transport"),
    "agriculture": ("农业", "Agriculture"), "residential": ("居民生活", "Residential"),
    UNMAPPED: ("未归类", "Unmapped"),
}
RULE_COLUMNS = ["kind", "key", "sector", "ipcc", "note", "source"]
KINDS = ("division", "section", "name")

# GB/T 4754-2017 国民经济行业分类: first and last division (大类) of each section (门类).
_SECTION_SPANS = (("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50), ("F", 51, 52),
                  ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69), ("K", 70, 70), ("L", 71, 72),
                  ("M", 73, 75), ("N", 76, 79), ("O", 80, 82), ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90),
                  ("S", 91, 96), ("T", 97, 97))
DIVISION_SECTIONS: dict[int, str] = {d: s for s, lo, hi in _SECTION_SPANS for d in range(lo, hi + 1)}
"""Division number → section letter (GB/T 4754-2017)."""
_CODE = re.compile(r"^\s*([A-Ta-t])?\s*(\d{2})?\d*\s*$")


def sector_name(key: str, lang: str = "zh") -> str:
    """The sector's name in ``lang`` ("zh" or "en")."""
    zh, en = SECTOR_NAMES.get(key, (key, key))
    return zh if lang == "zh" else en


@dataclass
class SectorMap:
    """Mapping rules: ``kind`` (division/section/name), ``key``, ``sector`` and their ``ipcc``
    category, ``note`` and ``source``; ``origin`` says built-in or the user's file."""

    rules: pd.DataFrame
    user_source: str = ""

    def map_one(self, code, name) -> tuple[str, str, str]:
        """(sector, how, rule source) for one industry code and name."""
        division, section = parse_code(code)
        r = self.rules
        if division is not None:
            hit = r[(r["kind"] == "division") & (r["key"] == f"{division:02d}")]
            if len(hit):
                return str(hit.iloc[0]["sector"]), f"大类 division {division:02d}", str(hit.iloc[0]["source"])
        if section is not None:
            hit = r[(r["kind"] == "section") & (r["key"] == section)]
            if len(hit):
                return str(hit.iloc[0]["sector"]), f"门类 section {section}", str(hit.iloc[0]["source"])
        blank = name is None or (isinstance(name, float) and pd.isna(name))
        text = "" if blank else str(name).strip().lower()
        if text:
            names = r[r["kind"] == "name"]
            for key, sector, source in zip(names["key"], names["sector"], names["source"], strict=True):
                if str(key).lower() in text:
                    return str(sector), f"名称含 name has “{key}”", str(source)
        return UNMAPPED, "", ""


def parse_code(code) -> tuple[int | None, str | None]:
    """(division number, section letter) of a GB/T 4754 code: ``C25``/``C2511``/``2511`` →
    (25, "C"), ``C`` → (None, "C"); (None, None) for blanks and text that is not a code."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return None, None
    text = str(code).strip()
    if isinstance(code, (int, float)) and float(code).is_integer():
        text = str(int(code))
        if len(text) % 2:  # a number read from a spreadsheet lost its leading zero: 611 → 0611
            text = "0" + text
    m = _CODE.match(text)
    if not m or not (m.group(1) or m.group(2)):
        return None, None
    division = int(m.group(2)) if m.group(2) else None
    section = m.group(1).upper() if m.group(1) else DIVISION_SECTIONS.get(division or -1)
    return division, section


def _check_rules(df: pd.DataFrame, where: str) -> pd.DataFrame:
    cols = {str(c).strip().lower(): c for c in df.columns}
    missing = [c for c in ("kind", "key", "sector") if c not in cols]
    if missing:
        raise InputError(f"行业映射表“{where}”缺少列：{'、'.join(missing)}（需要 kind, key, sector）",
                         f"The sector mapping '{where}' lacks columns: {', '.join(missing)} "
                         "(kind, key, sector are needed)", path=where, code="sectors.columns")
    out = pd.DataFrame({c: df[cols[c]].astype(str).str.strip() if c in cols else "" for c in RULE_COLUMNS})
    out["kind"] = out["kind"].str.lower()
    bad_kind = ~out["kind"].isin(KINDS)
    bad_sector = ~out["sector"].isin(SECTORS)
    if bad_kind.any() or bad_sector.any():
        row = int(((bad_kind | bad_sector).to_numpy()).argmax()) + 2
        raise InputError(f"行业映射表“{where}”第 {row} 行：kind 应为 {'/'.join(KINDS)}，"
                         f"sector 应为 {'/'.join(SECTORS)}",
                         f"Sector mapping '{where}' row {row}: kind must be one of {'/'.join(KINDS)} and "
                         f"sector one of {'/'.join(SECTORS)}", path=where, code="sectors.value")
    div = out["kind"] == "division"
    out.loc[div, "key"] = out.loc[div, "key"].str.replace(r"^[A-Za-z]", "", regex=True).str[:2].str.zfill(2)
    sec = out["kind"] == "section"
    out.loc[sec, "key"] = out.loc[sec, "key"].str.upper()
    return out


def builtin_rules() -> pd.DataFrame:
    """The rules of resources/factors/sectors.csv."""
    path = Path(resources_dir()) / "factors" / "sectors.csv"
    return _check_rules(pd.read_csv(path, dtype=str, keep_default_na=False), str(path))


def load_sector_map(user: pd.DataFrame | str | Path | None = None) -> SectorMap:
    """The built-in rules, with a user's table (a frame or a CSV/Excel path) put before them."""
    rules = builtin_rules().assign(origin="builtin")
    if user is None:
        return SectorMap(rules)
    name = "user table"
    if isinstance(user, pd.DataFrame):
        frame = user
    else:
        from gis.io.tables import read_data_table

        name = str(user)
        frame, _ = read_data_table(user)
    mine = _check_rules(frame.astype(str), name).assign(origin="user")
    mine["source"] = mine["source"].where(mine["source"] != "", name)
    return SectorMap(pd.concat([mine, rules], ignore_index=True), user_source=name)


@dataclass
class SectorAssignment:
    """``sector6`` per entity row and the mapping table shown in outputs."""

    sector6: pd.Series
    mapping: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


def _text_key(values: pd.Series) -> pd.Series:
    """Codes and names as stripped text, "" for blanks; whole numbers without ".0" (a code read as
    a number: 2511.0 → "2511")."""
    def one(v) -> str:
        if v is None or (isinstance(v, float) and not np.isfinite(v)):
            return ""
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        return str(v).strip()
    return values.map(one).astype(object)


def assign_sectors(entities: pd.DataFrame, smap: SectorMap | None = None) -> SectorAssignment:
    """The six-sector key of each row of ``entities`` (columns ``sector_code`` and/or ``sector``).

    mapping: one row per distinct (code, name) — ``sector_code, sector, sector6, sector6_zh, how,
    source, entities`` (how many distinct entities).
    """
    smap = smap or load_sector_map()
    n = len(entities)
    none = pd.Series([None] * n, index=entities.index)
    code = entities["sector_code"] if "sector_code" in entities else none
    name = entities["sector"] if "sector" in entities else none
    ident = entities["entity"] if "entity" in entities else pd.Series(range(n), index=entities.index)
    # text keys ("" for blanks): groupby and lookups then treat blanks alike whatever the dtypes
    keys = pd.DataFrame({"sector_code": _text_key(code), "sector": _text_key(name), "entity": ident})
    uniq = keys.groupby(["sector_code", "sector"], sort=True)["entity"].nunique().reset_index()
    mapped = [smap.map_one(c or None, s or None)
              for c, s in zip(uniq["sector_code"], uniq["sector"], strict=True)]
    uniq["sector6"] = [m[0] for m in mapped]
    uniq["sector6_zh"] = [sector_name(m[0]) for m in mapped]
    uniq["how"] = [m[1] for m in mapped]
    uniq["source"] = [m[2] for m in mapped]
    uniq = uniq.rename(columns={"entity": "entities"})
    table = dict(zip(zip(uniq["sector_code"], uniq["sector"], strict=True), uniq["sector6"], strict=True))
    sector6 = pd.Series([table[k] for k in zip(keys["sector_code"], keys["sector"], strict=True)],
                        index=entities.index, name="sector6", dtype=object)
    problems = []
    if (sector6 == UNMAPPED).any():
        bad = uniq[uniq["sector6"] == UNMAPPED]
        labels = [" ".join(v for v in (c, s) if v) or "（空 blank）"
                  for c, s in zip(bad["sector_code"], bad["sector"], strict=True)]
        problems.append(Problem(
            "warning", "sectors.unmapped",
            f"{int(bad['entities'].sum())} 个对象的行业无法归入六大部门（{'、'.join(labels[:8])}）："
            "请填 GB/T 4754 行业代码，或用行业映射表补充",
            f"{int(bad['entities'].sum())} entities' industries match no sector ({', '.join(labels[:8])}): "
            "give GB/T 4754 codes, or add rules in a sector mapping table",
            list(ident[(sector6 == UNMAPPED).to_numpy()].astype(str).unique())))
    cols = ["sector_code", "sector", "sector6", "sector6_zh", "how", "entities", "source"]
    return SectorAssignment(sector6, uniq[cols].reset_index(drop=True), problems)
