"""Inventory × factor set → emissions (tCO2) and energy (tce) by entity, fuel, sector and year.

E = Σ AD × EF per entity × fuel (DOMAIN.md §2); scope 1 = fuels burnt on site, scope 2 = net
purchased electricity and heat. Intensities where the data allow: per value added
(tCO2/10^4 yuan), per energy (tCO2/tce), per land area (tCO2/mu), per person. Aggregates (sector,
park) divide the emissions of the entities that HAVE the denominator by the sum of that
denominator, and say how many entities that covers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gis.carbon.factors import FactorSet
from gis.carbon.inventory import Inventory
from gis.errors import InputError, Problem

DETAIL_COLUMNS = ["entity", "name", "sector", "year", "period", "fuel", "fuel_zh", "scope", "amount", "unit",
                  "unit_zh", "amount_canonical", "canonical_unit", "factor_value", "factor_unit",
                  "t_co2_per_unit", "tce_per_unit", "t_co2", "tce", "factor_source", "factor_status",
                  "source_row", "source_column"]
"""``period``: quarter 1–4 or month 1–12 of the row when the table has periods (NA otherwise); a
year's figures sum its periods."""
_DENOMINATORS = (("value_added_10k_yuan", "t_co2_per_10k_yuan", "tce_per_10k_yuan"),
                 ("land_mu", "t_co2_per_mu", None), ("population", "t_co2_per_capita", None))


@dataclass
class EmissionsResult:
    """Emissions of an inventory with one factor set.

    detail: one row per inventory record with the factor used, ``t_co2`` and ``tce``.
    entities: per entity × year — ``t_co2, t_co2_scope1, t_co2_scope2, tce``, the attributes
        and intensities (``t_co2_per_10k_yuan, tce_per_10k_yuan, t_co2_per_tce, t_co2_per_mu,
        t_co2_per_capita``), ``share_pct`` of the year's total.
    sectors: the same per sector × year (empty when the table has no sector column).
    by_fuel: per year × fuel — ``scope, amount`` (canonical unit ``unit``), ``t_co2, tce, share_pct``.
    totals: per year — the park totals and intensities.
    years: the years accounted (``[None]`` when the table has none).
    """

    detail: pd.DataFrame
    entities: pd.DataFrame
    sectors: pd.DataFrame
    by_fuel: pd.DataFrame
    totals: pd.DataFrame
    factors: FactorSet
    years: list
    year_choice: str
    inventory: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def year(self):
        """The single year accounted (None when several or none)."""
        return self.years[0] if len(self.years) == 1 else None

    @property
    def grid_kg_co2_per_kwh(self) -> float:
        """The electricity factor used, kgCO2/kWh (for the PV balance)."""
        return float(self.factors.t_co2_per_unit.get("electricity", np.nan) * 1000.0)

    def _year_rows(self, frame: pd.DataFrame, year) -> pd.DataFrame:
        if year is None:
            if len(self.years) > 1:
                raise ValueError("several years accounted: pass year=")
            return frame
        return frame[frame["year"] == year]

    def by_fuel_for(self, year=None) -> pd.DataFrame:
        """``fuel, scope, amount, unit, tce, t_co2`` of one year (as ``BalanceInputs.by_fuel`` takes it)."""
        return self._year_rows(self.by_fuel, year)[["fuel", "scope", "amount", "unit", "tce", "t_co2"]] \
            .reset_index(drop=True)

    def total(self, year=None) -> dict:
        """The park totals of one year as a dict."""
        rows = self._year_rows(self.totals, year)
        return _record(rows.iloc[0], exact=True) if len(rows) else {}

    def summary(self) -> dict:
        """JSON-ready: factor set used (with overrides and unverified factors), totals per year,
        by fuel, by sector, the largest emitters, the problems."""
        used = list(dict.fromkeys(self.detail.loc[self.detail["amount_canonical"] > 0, "fuel"]))
        top = self.entities.sort_values("t_co2", ascending=False).head(10)
        out: dict[str, Any] = {
            "factor_set": self.factors.describe(used),
            "inventory": self.inventory,
            "year_choice": self.year_choice,
            "years": [None if y is None else int(y) for y in self.years],
            "totals": [_record(r) for _, r in self.totals.iterrows()],
            "by_fuel": [_record(r) for _, r in self.by_fuel.iterrows()],
            "by_sector": [_record(r) for _, r in self.sectors.iterrows()],
            "top_entities": [_record(r[["entity", "name", "sector", "year", "t_co2", "tce", "share_pct",
                                        "t_co2_per_10k_yuan"]]) for _, r in top.iterrows()],
            "problems": [p.to_dict() for p in self.problems],
        }
        if len(self.years) == 1:
            out["total"] = out["totals"][0] if out["totals"] else {}
        return out


def _record(row: pd.Series, exact: bool = False) -> dict:
    """JSON-ready dict of a row (None for missing; floats to 4 decimals, or 6 significant digits
    below 1, unless ``exact``)."""
    out: dict[Any, Any] = {}
    for k, v in row.items():
        if v is None or v is pd.NA or (isinstance(v, float) and not np.isfinite(v)):
            out[k] = None
        elif isinstance(v, (np.integer,)):
            out[k] = int(v)
        elif isinstance(v, (float, np.floating)):
            v = float(v)
            out[k] = v if exact else (round(v, 4) if abs(v) >= 1 else float(f"{v:.6g}"))
        else:
            out[k] = v
    return out


def _choose_years(inv: Inventory, year) -> tuple[list, str, list[Problem]]:
    years = inv.years
    problems: list[Problem] = []
    no_year = int(inv.entities["year"].isna().sum())
    if not years:
        return [None], "none", problems
    if year is None or (isinstance(year, str) and year.strip().lower() in ("", "latest")):
        chosen, how = [years[-1]], "latest"
        if len(years) > 1:
            problems.append(Problem("info", "emissions.latest_year",
                                    f"表中有 {len(years)} 个年份（{years[0]}–{years[-1]}），"
                                    f"计算最近一年 {years[-1]}",
                                    f"The table holds {len(years)} years ({years[0]}–{years[-1]}); "
                                    f"the latest, {years[-1]}, is accounted"))
    elif isinstance(year, str) and year.strip().lower() == "all":
        chosen, how = years, "all"
    else:
        try:
            y = int(year)
        except (TypeError, ValueError):
            raise InputError(f"年份“{year}”无法识别：写 2023、latest 或 all",
                             f"Cannot read the year '{year}': give e.g. 2023, latest or all",
                             code="emissions.year") from None
        if y not in years:
            raise InputError(f"表中没有 {y} 年的数据。可选：{'、'.join(map(str, years))}",
                             f"No data for {y} in the table. Years: {', '.join(map(str, years))}",
                             code="emissions.year")
        chosen, how = [y], "given"
    if no_year:
        problems.append(Problem("warning", "emissions.rows_without_year",
                                f"{no_year} 行没有年份，未计入",
                                f"{no_year} rows have no year and are not counted",
                                list(inv.entities.loc[inv.entities["year"].isna(), "entity"])))
    return chosen, how, problems


def _intensities(frame: pd.DataFrame) -> pd.DataFrame:
    for denom, per_co2, per_tce in _DENOMINATORS:
        d = frame[denom].where(frame[denom] > 0)
        frame[per_co2] = frame["t_co2"] / d
        if per_tce:
            frame[per_tce] = frame["tce"] / d
    frame["t_co2_per_tce"] = frame["t_co2"] / frame["tce"].where(frame["tce"] > 0)
    return frame


def _aggregate(entities: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sums per ``keys`` with intensities over the entities that have each denominator."""
    e = entities.copy()
    # (column, aggregation): a pandas reduction name or a callable on the group's column
    agg: dict[str, tuple[str, str | Callable[[pd.Series], Any]]] = {
        "entities": ("entity", "nunique"), "t_co2": ("t_co2", "sum"),
        "t_co2_scope1": ("t_co2_scope1", "sum"), "t_co2_scope2": ("t_co2_scope2", "sum"),
        "tce": ("tce", "sum")}
    for denom, _, _ in _DENOMINATORS:
        has = e[denom] > 0
        e[f"_co2_{denom}"] = e["t_co2"].where(has, 0.0)
        e[f"_tce_{denom}"] = e["tce"].where(has, 0.0)
        e[f"_n_{denom}"] = has.astype(int)
        agg[denom] = (denom, lambda s: s.sum(min_count=1))
        agg[f"_co2_{denom}"] = (f"_co2_{denom}", "sum")
        agg[f"_tce_{denom}"] = (f"_tce_{denom}", "sum")
        agg[f"entities_with_{denom}"] = (f"_n_{denom}", "sum")
    out = e.groupby(keys, dropna=False, sort=True).agg(**agg).reset_index()
    for denom, per_co2, per_tce in _DENOMINATORS:
        d = out[denom].where(out[denom] > 0)
        out[per_co2] = out[f"_co2_{denom}"] / d
        if per_tce:
            out[per_tce] = out[f"_tce_{denom}"] / d
    out["t_co2_per_tce"] = out["t_co2"] / out["tce"].where(out["tce"] > 0)
    return out.drop(columns=[c for c in out.columns if c.startswith("_")])


def account_emissions(inventory: Inventory, factors: FactorSet, *, year=None) -> EmissionsResult:
    """Emissions of ``inventory`` with ``factors``.

    year: None/"latest" (the latest year in the table), an int (that year) or "all" (every
    year, grouped by year). Tables without a year column are accounted as one period.
    """
    years, how, problems = _choose_years(inventory, year)
    problems = list(inventory.problems) + list(factors.problems) + problems
    rec, ent = inventory.records, inventory.entities
    if years != [None]:
        rec = rec[rec["year"].isin(years)]
        ent = ent[ent["year"].isin(years)]
    table = factors.table
    # every fuel used must have a factor
    unknown = sorted(set(rec["fuel"]) - set(table.index))
    no_factor = [f for f in dict.fromkeys(rec.loc[rec["amount_canonical"] > 0, "fuel"])
                 if f in table.index and not np.isfinite(table.at[f, "t_co2_per_unit"])]
    if unknown or no_factor:
        names = unknown + [str(table.at[f, "name_zh"]) for f in no_factor]
        raise InputError(f"因子集“{factors.key}”没有这些能源的排放因子：{'、'.join(names)}。"
                         "请用 --override 补充",
                         f"The factor set '{factors.key}' has no emission factor for: {', '.join(names)}. "
                         "Add them with --override", code="emissions.no_factor")
    d = rec.copy()
    f = table.loc[d["fuel"]]
    d["factor_value"] = f["value"].to_numpy()
    d["factor_unit"] = f["unit"].to_numpy()
    d["t_co2_per_unit"] = f["t_co2_per_unit"].to_numpy(dtype=float)
    d["tce_per_unit"] = f["tce_per_unit"].to_numpy(dtype=float)
    d["factor_source"] = f["source"].to_numpy()
    d["factor_status"] = f["status"].to_numpy()
    amount = d["amount_canonical"].to_numpy(dtype=float)
    d["t_co2"] = np.where(amount > 0, amount * np.nan_to_num(d["t_co2_per_unit"].to_numpy()), 0.0)
    missing_tce = (amount > 0) & ~np.isfinite(d["tce_per_unit"].to_numpy())
    d["tce"] = np.where(amount > 0, amount * np.nan_to_num(d["tce_per_unit"].to_numpy()), 0.0)
    if missing_tce.any():
        fuels = sorted(set(d.loc[missing_tce, "fuel"]))
        problems.append(Problem("warning", "emissions.no_tce",
                                "这些能源没有折标系数，未计入综合能耗：" + "、".join(fuels),
                                "No standard-coal coefficient for these fuels; left out of tce: "
                                + ", ".join(fuels)))
    detail = d[DETAIL_COLUMNS].reset_index(drop=True)
    used = detail.loc[detail["amount_canonical"] > 0, "fuel"]
    problems += _factor_warnings(factors, set(used), set(inventory.records["fuel"]))

    # per entity × year (entities without any energy keep zeros)
    keys = ["entity", "year"]
    # scopes summed in the same groupby (a pivot would not align rows whose year is missing)
    scoped = detail.assign(t_co2_scope1=detail["t_co2"].where(detail["scope"] == 1, 0.0),
                           t_co2_scope2=detail["t_co2"].where(detail["scope"] == 2, 0.0))
    sums = scoped.groupby(keys, dropna=False)[["t_co2", "tce", "t_co2_scope1", "t_co2_scope2"]].sum()
    entities = ent.merge(sums.reset_index(), on=keys, how="left")
    for c in ("t_co2", "tce", "t_co2_scope1", "t_co2_scope2"):
        entities[c] = entities[c].fillna(0.0) if c in entities else 0.0
    entities = _intensities(entities)
    year_total = entities.groupby("year", dropna=False)["t_co2"].transform("sum")
    entities["share_pct"] = 100.0 * entities["t_co2"] / year_total.where(year_total > 0)
    problems += _reported_tce_check(entities)

    sectors = _aggregate(entities, ["sector", "year"]) if entities["sector"].notna().any() \
        else pd.DataFrame(columns=["sector", "year"])
    totals = _aggregate(entities, ["year"])
    by_fuel = detail.groupby(["year", "fuel"], dropna=False, sort=False).agg(
        fuel_zh=("fuel_zh", "first"), scope=("scope", "first"), amount=("amount_canonical", "sum"),
        unit=("canonical_unit", "first"), t_co2=("t_co2", "sum"), tce=("tce", "sum")).reset_index()
    fy = by_fuel.groupby("year", dropna=False)["t_co2"].transform("sum")
    by_fuel["share_pct"] = 100.0 * by_fuel["t_co2"] / fy.where(fy > 0)
    order = {k: i for i, k in enumerate(factors.fuels.index)}
    by_fuel = by_fuel.sort_values(["year", "fuel"], key=lambda s: s.map(order) if s.name == "fuel" else s) \
        .reset_index(drop=True)
    return EmissionsResult(detail=detail, entities=entities.reset_index(drop=True), sectors=sectors,
                           by_fuel=by_fuel, totals=totals, factors=factors, years=years, year_choice=how,
                           inventory=inventory.summary(), problems=problems)


def _factor_warnings(factors: FactorSet, used: set, present: set) -> list[Problem]:
    out = []
    t = factors.table
    if "refined_oil" in used and t.at["refined_oil", "origin"] == "guideline":
        out.append(Problem("warning", "emissions.refined_oil_as_diesel",
                           "成品油按柴油的排放因子和折标系数计算（汽油约低 5.5%）；已知分品种时请分列填报",
                           "Refined oil products (成品油) are counted with diesel's factors (gasoline "
                           "would be ~5.5% lower); give gasoline and diesel separately when known"))
    unverified = factors.unverified(used)
    if unverified:
        names = [str(t.at[f, "name_zh"]) for f in unverified]
        out.append(Problem("warning", "emissions.unverified_factors",
                           "使用了未经核实的因子（见“因子”表的状态列）：" + "、".join(names),
                           "Unverified factors were used (see the status column of the factors sheet): "
                           + ", ".join(str(t.at[f, "name_en"]) for f in unverified)))
    unused = [o["fuel"] for o in factors.overrides if o["fuel"] not in present]
    if unused:
        out.append(Problem("warning", "emissions.override_unused",
                           "用户因子表中这些能源在能耗表里没有出现：" + "、".join(unused),
                           "These fuels of the user factor table do not occur in the energy table: "
                           + ", ".join(unused)))
    return out


def _reported_tce_check(entities: pd.DataFrame) -> list[Problem]:
    rep = entities["reported_tce"]
    has = rep > 0
    if not has.any():
        return []
    diff = (entities["tce"] - rep).abs() / rep
    off = has & (diff > 0.10)
    if not off.any():
        return []
    return [Problem("info", "emissions.reported_tce_differs",
                    f"{int(off.sum())} 个对象按分品种计算的综合能耗与表中“综合能耗”相差超过 10%"
                    "（电力折标方法或漏填能源？）",
                    f"{int(off.sum())} entities' computed tce differs by more than 10% from their reported "
                    "total (electricity method, or a fuel missing?)", list(entities.loc[off, "entity"]))]
