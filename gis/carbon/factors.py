"""Emission factors and standard-coal coefficients: versioned tables, named sets, user overrides.

Data (``resources/factors/``, every value with unit, year, region, source and status):

- ``fuels.csv`` — the fuels Lingtan knows: key, Chinese/English names, canonical unit (t, m³,
  kWh, GJ), scope (1 burnt on site, 2 purchased electricity/heat) and accepted names.
- ``fuel_factors.csv`` — national guideline factors, DERIVED: value = NCV × carbon content ×
  oxidation × 44/12 (the NCV, carbon-content and oxidation columns are kept).
- ``factor_values.csv`` — other factors by group: purchased heat (``heat-default``), the Sichuan
  near-zero-carbon park pilot (``sichuan-pilot-2022``).
- ``grid_emission_factors.csv`` — electricity (via :mod:`gis.grid_factors`).
- ``standard_coal.csv`` — tce coefficients (GB/T 2589-2020); electricity at its calorific
  (equivalent) value unless the power-supply method is chosen.
- ``factor_sets.csv`` — named sets: a list of layers applied in order, later ones winning
  (``guideline``, a group of ``factor_values.csv``, ``grid:KEY``).

A :class:`FactorSet` holds one factor per fuel with its source and records which set, year,
grid factor and user overrides were used, for the report.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from gis.carbon import units as U
from gis.defaults import DEFAULT_FACTOR_SET
from gis.errors import InputError, Problem
from gis.fields import find_field
from gis.grid_factors import grid_factor, grid_factor_table
from gis.paths import resources_dir

ELECTRICITY_TCE_METHODS = ("calorific", "supply")
"""Electricity to tce: ``calorific`` (当量值 0.1229 kgce/kWh, default) or ``supply`` (等价值,
coal consumption of power supply; unverified figure)."""


def _factors_dir() -> Path:
    return Path(resources_dir()) / "factors"


@lru_cache(maxsize=1)
def fuel_catalog() -> pd.DataFrame:
    """``fuels.csv`` indexed by fuel key (``raw_coal``, ``natural_gas``, ``electricity`` …)."""
    table = pd.read_csv(_factors_dir() / "fuels.csv", dtype={"scope": int}).fillna({"note": ""})
    return table.set_index("fuel", drop=False)


@lru_cache(maxsize=1)
def guideline_fuel_factors() -> pd.DataFrame:
    """``fuel_factors.csv``: derived national guideline factors with NCV, carbon content, oxidation."""
    return pd.read_csv(_factors_dir() / "fuel_factors.csv").fillna({"note": ""})


@lru_cache(maxsize=1)
def factor_values() -> pd.DataFrame:
    """``factor_values.csv``: factors by group (purchased heat, Sichuan pilot)."""
    return pd.read_csv(_factors_dir() / "factor_values.csv").fillna({"note": ""})


@lru_cache(maxsize=1)
def factor_set_table() -> pd.DataFrame:
    """``factor_sets.csv``: one row per named set."""
    return pd.read_csv(_factors_dir() / "factor_sets.csv").fillna({"note": ""})


@lru_cache(maxsize=1)
def standard_coal_table() -> pd.DataFrame:
    """``standard_coal.csv``: tce coefficients per fuel (electricity per method)."""
    return pd.read_csv(_factors_dir() / "standard_coal.csv").fillna({"method": "", "note": ""})


def factor_set_keys() -> list[str]:
    return list(factor_set_table()["key"])


# ---------------------------------------------------------------- fuel names

_AFFIXES = re.compile(r"^(其中|外购|购入|净购入|purchased|net)|(消费量|消耗量|使用量|用量|耗量|消费|消耗|"
                      r"合计|总量|量|consumption|use|usage|total)$")


def normalise_fuel_name(text) -> str:
    """Half-width, lower case, without spaces, underscores, hyphens or bracketed remarks."""
    s = unicodedata.normalize("NFKC", str(text)).lower()
    s = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", s)
    return re.sub(r"[\s_\-·.:：、]", "", s)


def alias_map(catalog: pd.DataFrame | None = None) -> dict[str, str]:
    """Normalised accepted name → fuel key."""
    catalog = fuel_catalog() if catalog is None else catalog
    out: dict[str, str] = {}
    for key, row in catalog.iterrows():
        names = [key, row["name_zh"], row["name_en"], *str(row.get("aliases", "") or "").split("|")]
        for n in names:
            if n and str(n) != "nan":
                out.setdefault(normalise_fuel_name(n), key)
    return out


def match_fuel(text, catalog: pd.DataFrame | None = None) -> str | None:
    """The fuel key for a name such as ``原煤``, ``天然气消费量``, ``外购电力``, ``Diesel``
    (None if unknown)."""
    aliases = alias_map(catalog)
    s = normalise_fuel_name(text)
    for _ in range(3):  # strip up to three prefixes/suffixes (外购…, …消费量)
        if s in aliases:
            return aliases[s]
        stripped = _AFFIXES.sub("", s)
        if stripped == s or not stripped:
            break
        s = stripped
    return aliases.get(s)


# ---------------------------------------------------------------- factor sets

_TABLE_COLUMNS = ["fuel", "name_zh", "name_en", "scope", "canonical_unit", "value", "unit",
                  "t_co2_per_unit", "year", "region", "source", "status", "note", "origin",
                  "ncv", "ncv_unit", "carbon_content", "oxidation",
                  "tce_value", "tce_unit", "tce_per_unit", "tce_source", "tce_status"]


@dataclass
class FactorSet:
    """One emission factor and one tce coefficient per fuel, with sources, and what was chosen.

    ``table`` (indexed by fuel): ``value``/``unit`` as published, ``t_co2_per_unit`` and
    ``tce_per_unit`` per the fuel's ``canonical_unit``, ``source``, ``status`` (``checked``,
    ``unverified`` or ``user``), ``origin`` (the layer it came from, or ``override``).
    ``fuels``: the fuel catalog, including fuels a user table added.
    """

    key: str
    name_zh: str
    name_en: str
    year: int | None
    region: str
    table: pd.DataFrame
    fuels: pd.DataFrame
    layers: tuple[str, ...] = ()
    grid_key: str | None = None
    electricity_tce: str = "calorific"
    overrides: list[dict] = field(default_factory=list)
    override_source: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def t_co2_per_unit(self) -> pd.Series:
        """tCO2 per canonical unit (t, m³, kWh, GJ), by fuel."""
        return self.table["t_co2_per_unit"]

    @property
    def tce_per_unit(self) -> pd.Series:
        """tce per canonical unit, by fuel."""
        return self.table["tce_per_unit"]

    @property
    def label(self) -> str:
        extra = f" + {len(self.overrides)} 项用户修改 user overrides" if self.overrides else ""
        return f"{self.key}: {self.name_zh} / {self.name_en}{extra}"

    def factor(self, fuel: str) -> dict:
        """One fuel's row as a dict (KeyError if the set has none)."""
        return self.table.loc[fuel].to_dict()

    def unverified(self, fuels=None) -> list[str]:
        """Fuels (of ``fuels``, default all) whose emission factor or tce coefficient is unverified."""
        t = self.table if fuels is None else self.table[self.table.index.isin(list(fuels))]
        mask = (t["status"] == "unverified") | (t["tce_status"] == "unverified")
        return list(t.index[mask])

    def describe(self, fuels=None) -> dict:
        """JSON-ready: which set, year, grid factor, overrides; the factors (of ``fuels``) used."""
        t = self.table if fuels is None else self.table[self.table.index.isin(list(fuels))]
        return {
            "key": self.key, "name_zh": self.name_zh, "name_en": self.name_en, "year": self.year,
            "region": self.region, "layers": list(self.layers), "grid_key": self.grid_key,
            "electricity_tce": self.electricity_tce, "override_source": self.override_source,
            "overrides": self.overrides, "unverified": self.unverified(t.index),
            "factors": [{"fuel": f, "name_zh": r["name_zh"], "value": _num(r["value"]), "unit": r["unit"],
                         "t_co2_per_unit": _num(r["t_co2_per_unit"]), "canonical_unit": r["canonical_unit"],
                         "tce_per_unit": _num(r["tce_per_unit"]), "source": r["source"],
                         "status": r["status"], "origin": r["origin"]} for f, r in t.iterrows()],
        }

    def with_overrides(self, overrides: pd.DataFrame, *, source_name: str = "") -> FactorSet:
        """A copy with the factors of a user table (see :func:`read_factor_table`) merged over
        this set; fuels the catalog does not know are added. Each change is recorded."""
        rows = read_factor_table(overrides, source_name=source_name, catalog=self.fuels)
        table, fuels = self.table.copy(), self.fuels
        changes, problems = [], list(self.problems)
        new = rows[~rows["fuel"].isin(fuels.index)]
        if len(new):
            fuels = pd.concat([fuels, _new_fuels(new)])
            problems.append(Problem("warning", "factors.new_fuel",
                                    "用户因子表新增能源品种：" + "、".join(new["fuel"]),
                                    "The user factor table adds fuels: " + ", ".join(new["fuel"])))
        for _, r in rows.iterrows():
            f = r["fuel"]
            old = table.loc[f] if f in table.index else None
            base = old.to_dict() if old is not None else _blank_row(f, fuels.loc[f])
            base.update({k: r[k] for k in ("value", "unit", "t_co2_per_unit", "source", "note")})
            base.update(status="user", origin="override", year=np.nan, region="",
                        ncv=np.nan, ncv_unit="", carbon_content=np.nan, oxidation=np.nan)
            if pd.notna(r["tce_per_unit"]):
                base.update(tce_value=r["tce_value"], tce_unit=r["tce_unit"], tce_per_unit=r["tce_per_unit"],
                            tce_source=r["source"], tce_status="user")
            table.loc[f] = pd.Series(base)
            changes.append({"fuel": f, "row": int(r["row"]),
                            "from": None if old is None else f"{_num(old['value'])} {old['unit']}",
                            "to": f"{_num(r['value'])} {r['unit']}", "source": r["source"]})
        table = table[_TABLE_COLUMNS]
        return replace(self, table=table, fuels=fuels, overrides=self.overrides + changes,
                       override_source=source_name or "user table", problems=problems)


def _num(v):
    return None if v is None or (isinstance(v, float) and not np.isfinite(v)) else float(v)


def _blank_row(fuel: str, cat: pd.Series) -> dict:
    return {"fuel": fuel, "name_zh": cat["name_zh"], "name_en": cat["name_en"], "scope": int(cat["scope"]),
            "canonical_unit": cat["canonical_unit"], "tce_value": np.nan, "tce_unit": "",
            "tce_per_unit": np.nan, "tce_source": "", "tce_status": "missing"}


def _new_fuels(rows: pd.DataFrame) -> pd.DataFrame:
    """Catalog rows for fuels a user table adds: canonical unit = base unit of the factor's
    denominator; scope from the table (default 1)."""
    out = []
    for _, r in rows.iterrows():
        _, den = U.parse_ratio(r["unit"])
        out.append({"fuel": r["fuel"], "name_zh": r["fuel"], "name_en": r["fuel"], "dimension": den.dimension,
                    "canonical_unit": U.BASE_UNITS[den.dimension], "template_unit": den.name_zh,
                    "scope": int(r["scope"]) if pd.notna(r["scope"]) else 1, "aliases": r["fuel"],
                    "note": "added by a user factor table"})
    return pd.DataFrame(out).set_index("fuel", drop=False)


def _standard_coal(fuels: pd.DataFrame, electricity_tce: str) -> pd.DataFrame:
    if electricity_tce not in ELECTRICITY_TCE_METHODS:
        raise InputError(f"未知的电力折标方法“{electricity_tce}”，"
                         "可选：calorific（当量值）、supply（等价值）",
                         f"Unknown electricity-to-tce method '{electricity_tce}': calorific or supply",
                         code="factors.tce_method")
    sc = standard_coal_table()
    sc = sc[(sc["method"] == "") | (sc["method"] == electricity_tce)].set_index("fuel")
    out = pd.DataFrame(index=fuels.index)
    out["tce_value"] = sc["value"]
    out["tce_unit"] = sc["unit"]
    out["tce_source"] = sc["source"]
    out["tce_status"] = sc["status"]
    out["tce_per_unit"] = [U.ratio_to(u, "tce", fuels.at[f, "canonical_unit"]) * v if isinstance(u, str)
                           else np.nan for f, u, v in zip(out.index, out["tce_unit"], out["tce_value"],
                                                          strict=True)]
    return _fill_text(out, {"tce_unit": "", "tce_source": "", "tce_status": "missing"})


def _layer_rows(layer: str, fuels: pd.DataFrame) -> pd.DataFrame:
    if layer == "guideline":
        g = guideline_fuel_factors().copy()
        g["origin"] = "guideline"
        return g
    if layer.startswith("grid:"):
        key = layer.split(":", 1)[1]
        gf = grid_factor(key)
        row = grid_factor_table().set_index("key").loc[gf.key]
        return pd.DataFrame([{"fuel": "electricity", "value": row["value"], "unit": row["unit"],
                              "year": row["year"], "region": row["region"],
                              "source": f"{row['name_zh']} / {row['name_en']} {row['year']}: {row['source']}",
                              "status": row.get("status", "checked"),
                              "note": row["note"] if isinstance(row.get("note"), str) else "",
                              "origin": f"grid:{gf.key}"}])
    v = factor_values()
    rows = v[v["group"] == layer].drop(columns="group").copy()
    if rows.empty:
        raise ValueError(f"factor_sets.csv names an unknown layer '{layer}'")
    rows["origin"] = layer
    return rows


def _assemble(rows: pd.DataFrame, fuels: pd.DataFrame, electricity_tce: str) -> pd.DataFrame:
    """One row per catalog fuel: the last row given for it wins; tce coefficients joined."""
    rows = rows.drop_duplicates("fuel", keep="last").set_index("fuel")
    table = pd.DataFrame(index=fuels.index)
    table["fuel"] = fuels.index
    for c in ("name_zh", "name_en", "scope", "canonical_unit"):
        table[c] = fuels[c]
    for c in ("value", "unit", "year", "region", "source", "status", "note", "origin", "ncv", "ncv_unit",
              "carbon_content", "oxidation"):
        table[c] = rows[c] if c in rows.columns else np.nan
    table["t_co2_per_unit"] = [U.ratio_to(u, "tCO2", cu) * v if isinstance(u, str) else np.nan
                               for u, v, cu in zip(table["unit"], table["value"], table["canonical_unit"],
                                                   strict=True)]
    table = table.join(_standard_coal(fuels, electricity_tce))
    table = _fill_text(table, {"unit": "", "source": "", "status": "missing", "note": "", "origin": "",
                               "region": "", "ncv_unit": ""})
    return table[_TABLE_COLUMNS]


def _fill_text(frame: pd.DataFrame, values: dict) -> pd.DataFrame:
    """``fillna`` for text columns that may be all-empty (float) — cast to object first."""
    for col, v in values.items():
        frame[col] = frame[col].astype(object).where(frame[col].notna(), v)
    return frame


def load_factor_set(key: str = DEFAULT_FACTOR_SET, *, grid_key: str | None = None,
                    electricity_tce: str = "calorific") -> FactorSet:
    """The named set (``national-2023``, ``sichuan-2022`` …; see ``factor_sets.csv``).

    grid_key: replace the set's electricity factor by this grid factor (e.g. ``east-2023``).
    electricity_tce: ``calorific`` (0.1229 kgce/kWh, default) or ``supply``.
    """
    sets = factor_set_table()
    hit = sets[sets["key"] == str(key).strip().lower()]
    if hit.empty:
        keys = ", ".join(sets["key"])
        raise InputError(f"未知的排放因子集“{key}”。可用：{keys}，或一个因子表文件",
                         f"Unknown factor set '{key}'. Available: {keys}, or a factor table file",
                         code="factors.unknown_set")
    s = hit.iloc[0]
    layers = tuple(str(s["layers"]).split())
    if grid_key:
        grid_factor(grid_key)  # InputError listing the keys when unknown
        layers = (*layers, f"grid:{grid_key.strip().lower()}")
    fuels = fuel_catalog()
    rows = pd.concat([_layer_rows(layer, fuels) for layer in layers], ignore_index=True)
    table = _assemble(rows, fuels, electricity_tce)
    origin = str(table.at["electricity", "origin"])
    return FactorSet(key=s["key"], name_zh=s["name_zh"], name_en=s["name_en"], year=int(s["year"]),
                     region=s["region"], table=table, fuels=fuels, layers=layers,
                     grid_key=origin[5:] if origin.startswith("grid:") else None,
                     electricity_tce=electricity_tce)


def factor_set_from_table(df: pd.DataFrame, *, name: str, electricity_tce: str = "calorific") -> FactorSet:
    """A set made only of a user's factor table (``--factors FILE``); tce coefficients from the
    standard table unless the file gives them. Fuels the file lacks have no factor: using them is
    an error when emissions are accounted."""
    base = FactorSet(key=Path(name).stem or "user", name_zh=f"用户因子表 {Path(name).name}",
                     name_en=f"user factor table {Path(name).name}", year=None, region="",
                     table=_assemble(pd.DataFrame(columns=["fuel", "value", "unit"]), fuel_catalog(),
                                     electricity_tce), fuels=fuel_catalog(), layers=("file",),
                     electricity_tce=electricity_tce)
    out = base.with_overrides(df, source_name=name)
    return replace(out, overrides=[], override_source=None)


# ---------------------------------------------------------------- user factor tables

_COLS = {
    "fuel": ["fuel", "能源品种", "能源名称", "能源种类", "能源", "品种", "燃料", "燃料品种", "名称", "name"],
    "value": ["value", "factor", "emission_factor", "排放因子", "因子", "因子值", "数值", "值", "系数"],
    "unit": ["unit", "单位", "因子单位", "计量单位", "factor_unit"],
    "source": ["source", "来源", "数据来源", "出处", "依据"],
    "note": ["note", "备注", "说明"],
    "scope": ["scope", "范围"],
    "tce_value": ["tce", "tce_value", "折标系数", "标煤系数", "折标准煤系数", "tce_factor"],
    "tce_unit": ["tce_unit", "折标系数单位", "标煤系数单位"],
}


def _row_label(i: int) -> tuple[str, str]:
    return f"第 {i + 2} 行", f"row {i + 2}"


def read_factor_table(df: pd.DataFrame, *, source_name: str = "",
                      catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """Validate a user factor table (CSV/Excel read by the caller): columns fuel, value, unit
    [, source, note, scope, tce, tce_unit] in English or Chinese (能源品种, 排放因子, 单位, 来源, 备注,
    范围, 折标系数, 折标系数单位). Units like ``tCO2/t``, ``tCO2/万立方米``, ``kgCO2/kWh``, ``tCO2/GJ``;
    tce as ``kgce/kg`` … Returns one row per fuel key with ``t_co2_per_unit`` and ``tce_per_unit``
    per canonical unit and the 1-based table ``row`` (header = row 1). InputError naming the row
    and column for anything it cannot read."""
    catalog = fuel_catalog() if catalog is None else catalog
    cols = {k: find_field(df.columns, names) for k, names in _COLS.items()}
    missing = [k for k in ("fuel", "value", "unit") if cols[k] is None]
    if missing:
        raise InputError(f"因子表缺少列：{'、'.join(missing)}"
                         "（需要 能源品种/fuel、排放因子/value、单位/unit）",
                         f"The factor table lacks columns: {', '.join(missing)} (needs fuel, value, unit)",
                         path=source_name or None, code="factors.columns")
    out = []
    for i, (_, r) in enumerate(df.iterrows()):
        zh, en = _row_label(i)
        name = r[cols["fuel"]]
        if pd.isna(name) or not str(name).strip():
            if all(pd.isna(v) or not str(v).strip() for v in r.to_numpy()):
                continue
            raise InputError(f"{zh}“{cols['fuel']}”列为空", f"{en}, column '{cols['fuel']}' is empty",
                             path=source_name or None, code="factors.fuel")
        fuel = match_fuel(name, catalog) or str(name).strip()
        value = _number(r[cols["value"]], zh, en, cols["value"], source_name)
        unit_text = r[cols["unit"]]
        if pd.isna(unit_text) or not str(unit_text).strip():
            raise InputError(f"{zh}“{cols['unit']}”列为空：请写因子单位，如 tCO2/t",
                             f"{en}, column '{cols['unit']}' is empty: give the factor's unit, e.g. tCO2/t",
                             path=source_name or None, code="factors.unit")
        canonical = catalog.at[fuel, "canonical_unit"] if fuel in catalog.index else None
        t_co2 = _ratio(unit_text, "tCO2", canonical, zh, en, cols["unit"], name, source_name) * value
        tce_value = tce_per = np.nan
        tce_unit: object = np.nan  # the row's cell as read; NaN when no tce coefficient is given
        tce_cell = r[cols["tce_value"]] if cols["tce_value"] is not None else None
        if tce_cell is not None and pd.notna(tce_cell) and str(tce_cell).strip():
            tce_value = _number(tce_cell, zh, en, cols["tce_value"], source_name)
            tce_unit = r[cols["tce_unit"]] if cols["tce_unit"] is not None else None
            if tce_unit is None or pd.isna(tce_unit) or not str(tce_unit).strip():
                raise InputError(f"{zh}：给了折标系数但没有“折标系数单位”（如 kgce/kg）",
                                 f"{en}: a tce coefficient needs a tce_unit column (e.g. kgce/kg)",
                                 path=source_name or None, code="factors.tce_unit")
            den = canonical or U.BASE_UNITS[U.parse_ratio(unit_text)[1].dimension]
            tce_per = _ratio(tce_unit, "tce", den, zh, en, cols["tce_unit"], name, source_name) * tce_value
        scope = np.nan
        if cols["scope"] is not None and pd.notna(r[cols["scope"]]):
            scope = _number(r[cols["scope"]], zh, en, cols["scope"], source_name)
            if scope not in (1, 2):
                raise InputError(f"{zh}“{cols['scope']}”列应为 1 或 2",
                                 f"{en}, column '{cols['scope']}' must be 1 or 2",
                                 path=source_name or None, code="factors.scope")
        src = r[cols["source"]] if cols["source"] is not None and pd.notna(r[cols["source"]]) else ""
        note = r[cols["note"]] if cols["note"] is not None and pd.notna(r[cols["note"]]) else ""
        out.append({"fuel": fuel, "value": value, "unit": str(unit_text).strip(), "t_co2_per_unit": t_co2,
                    "tce_value": tce_value, "tce_unit": tce_unit, "tce_per_unit": tce_per, "scope": scope,
                    "source": str(src).strip() or f"user table {source_name}".strip(), "note": str(note),
                    "row": i + 2})
    if not out:
        raise InputError("因子表没有数据行", "The factor table has no rows", path=source_name or None,
                         code="factors.empty")
    table = pd.DataFrame(out)
    dup = table["fuel"].duplicated(keep=False)
    if dup.any():
        rows = ", ".join(str(v) for v in table.loc[dup, "row"])
        raise InputError(f"因子表中同一能源出现多次（第 {rows} 行）",
                         f"The factor table lists a fuel twice (rows {rows})",
                         path=source_name or None, code="factors.duplicate")
    return table


def _number(v, zh, en, col, path) -> float:
    try:
        x = float(str(v).replace(",", "").strip())
    except ValueError:
        x = np.nan
    if not np.isfinite(x):
        raise InputError(f"{zh}“{col}”列不是数字：“{v}”", f"{en}, column '{col}' is not a number: '{v}'",
                         path=path or None, code="factors.value")
    if x < 0:
        raise InputError(f"{zh}“{col}”列为负数：{v}", f"{en}, column '{col}' is negative: {v}",
                         path=path or None, code="factors.value")
    return x


def _ratio(text, num_base, canonical, zh, en, col, fuel, path) -> float:
    try:
        num, den = U.parse_ratio(text)
        target = canonical or U.BASE_UNITS[den.dimension]
        return U.conversion_factor(num, num_base) / U.conversion_factor(den, target)
    except InputError as exc:
        raise InputError(f"{zh}“{col}”列：{fuel} 的单位“{text}”不可用。{exc.zh}",
                         f"{en}, column '{col}': unit '{text}' cannot be used for {fuel}. {exc.en}",
                         path=path or None, code="factors.unit") from None
