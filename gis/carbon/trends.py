"""Energy and CO2 over the years of an energy table: by fuel, by six-sector, totals, intensities and
the change against a baseline year (issue #19, DOMAIN.md §9). Pure: no I/O.

The years are those the table holds (``account_emissions(..., year="all")``); each year sums only
the entities reported for it. An entity missing in some years is reported (``trends.missing_years``)
and its missing years are never filled in, so a year's total may cover fewer entities — the
``entities`` column says how many.

A table with quarters or months (:mod:`gis.carbon.subannual`) gives a year as the sum of its
periods, and per-period totals (``by_period``); a year with only some periods is flagged
(``totals.partial``) and reported, never scaled up to a whole year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gis.carbon.emissions import EmissionsResult, _record
from gis.carbon.sectors import SECTORS, UNMAPPED, SectorMap, assign_sectors, sector_name
from gis.carbon.subannual import FULL_YEAR, period_label
from gis.errors import InputError, Problem

CHANGE_COLUMNS = ("tce", "t_co2", "tce_per_10k_yuan", "t_co2_per_10k_yuan")
"""Columns whose change against the baseline year is given (``<col>_change_pct``)."""
_SECTOR_ORDER = {k: i for i, k in enumerate((*SECTORS, UNMAPPED))}


@dataclass
class TrendsResult:
    """Yearly figures of one energy table.

    totals: per year — ``entities, tce, t_co2, value_added_10k_yuan, tce_per_10k_yuan,
        t_co2_per_10k_yuan, land_mu, t_co2_per_mu`` and ``<col>_change_pct`` against the baseline.
    by_fuel: per year × fuel — ``fuel, fuel_zh, tce, t_co2, share_tce_pct``.
    by_sector: per year × sector — ``sector6, sector6_zh, entities, tce, t_co2, value_added_10k_yuan,
        t_co2_per_10k_yuan, share_t_co2_pct, t_co2_change_pct``.
    detail: the accounting's detail rows with ``sector6`` (what the Sankey is built from).
    entities: the accounting's entity × year rows with ``sector6``.
    mapping: the sector mapping used (:func:`gis.carbon.sectors.assign_sectors`).
    missing: entities absent in some years — ``entity, name, years_present, years_missing``.
    by_period: with quarters or months only (else None), per year × period — ``year, period`` (1–4 or
        1–12; NA for whole-year rows), ``period_label`` (2023Q1, 2023-03), ``period_label_zh``,
        ``entities, tce, t_co2, share_of_year_t_co2_pct``; ``totals`` then also has ``periods``
        (distinct periods in the year) and ``partial`` (some periods missing, no whole-year rows).
    period_kind: ``quarter``, ``month`` or None.
    """

    years: list[int]
    baseline_year: int
    totals: pd.DataFrame
    by_fuel: pd.DataFrame
    by_sector: pd.DataFrame
    detail: pd.DataFrame
    entities: pd.DataFrame
    mapping: pd.DataFrame
    missing: pd.DataFrame
    emissions: EmissionsResult
    problems: list[Problem] = field(default_factory=list)
    by_period: pd.DataFrame | None = None
    period_kind: str | None = None

    def summary(self) -> dict:
        """JSON-ready: years, baseline, per-year totals, by fuel, by sector, the mapping, problems."""
        return {"years": self.years, "baseline_year": self.baseline_year,
                "history": _rows(self.totals),
                "by_fuel": _rows(self.by_fuel),
                "by_sector": _rows(self.by_sector),
                "sector_mapping": _rows(self.mapping),
                "missing_years": _rows(self.missing),
                **({"period_kind": self.period_kind, "by_period": _rows(self.by_period)}
                   if self.by_period is not None else {}),
                "problems": [p.to_dict() for p in self.problems]}


def _rows(frame: pd.DataFrame) -> list[dict]:
    """JSON-ready rows (each row kept as objects, so years stay whole numbers)."""
    return [_record(pd.Series(r, dtype=object)) for r in frame.to_dict("records")]


def _change_pct(frame: pd.DataFrame, col: str, base_rows: pd.DataFrame, keys: list[str]) -> pd.Series:
    """100 × (value − baseline value) / baseline value, per ``keys`` (NaN where the baseline is 0
    or absent)."""
    if keys:
        base = frame[keys].merge(base_rows[[*keys, col]], on=keys, how="left")[col].to_numpy(dtype=float)
    else:
        base = np.full(len(frame), float(base_rows[col].iloc[0]) if len(base_rows) else np.nan)
    now = frame[col].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(base > 0, 100.0 * (now - base) / base, np.nan), index=frame.index)


def _missing_years(entities: pd.DataFrame, years: list[int]) -> pd.DataFrame:
    rows_with_year = entities.dropna(subset=["year"])
    have = rows_with_year.groupby("entity")["year"].agg(lambda s: sorted({int(v) for v in s}))
    names = entities.groupby("entity")["name"].first()
    rows = [{"entity": e, "name": names.get(e), "years_present": ",".join(map(str, ys)),
             "years_missing": ",".join(str(y) for y in years if y not in ys)}
            for e, ys in have.items() if len(ys) < len(years)]
    return pd.DataFrame(rows, columns=["entity", "name", "years_present", "years_missing"])


def _by_period(detail: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Per year × period: entities, tce, tCO2 and the period's share of its year's CO2."""
    g = detail.groupby(["year", "period"], dropna=False, sort=True).agg(
        entities=("entity", "nunique"), tce=("tce", "sum"), t_co2=("t_co2", "sum")).reset_index()
    g = g[g["year"].notna()].reset_index(drop=True)
    g["year"] = g["year"].astype(int)
    g["period"] = g["period"].astype("Int64")
    pairs = list(zip(g["year"], g["period"], strict=True))
    g.insert(2, "period_label", [period_label(y, p, kind) for y, p in pairs])
    g.insert(3, "period_label_zh", [period_label(y, p, kind, "zh") for y, p in pairs])
    yt = g.groupby("year")["t_co2"].transform("sum")
    g["share_of_year_t_co2_pct"] = 100.0 * g["t_co2"] / yt.where(yt > 0)
    return g


def _period_counts(detail: pd.DataFrame, years: list[int], kind: str) -> tuple[list[int], list[bool]]:
    """Distinct periods per year and whether the year is partial (fewer than a whole year's periods
    and no whole-year rows)."""
    d = detail[detail["year"].notna()]
    n = d.groupby("year")["period"].nunique()
    whole = d.groupby("year")["period"].agg(lambda s: bool(s.isna().any()))
    counts = [int(n.get(y, 0)) for y in years]
    full = FULL_YEAR[kind]
    partial = [c < full and not bool(whole.get(y, False)) for y, c in zip(years, counts, strict=True)]
    return counts, partial


def compute_trends(result: EmissionsResult, sector_map: SectorMap | None = None, *,
                   baseline_year: int | None = None) -> TrendsResult:
    """Trends of an accounting over every year it holds (``account_emissions(inv, f, year="all")``).

    baseline_year: the year changes are measured against (default the first year).
    """
    years = [int(y) for y in result.years if y is not None]
    if not years:
        raise InputError("能耗表没有年份列，无法计算逐年趋势：请加一列 年份",
                         "The energy table has no year column, so there are no trends: add a column "
                         "年份 (year)",
                         code="trends.no_year")
    base = years[0] if baseline_year is None else int(baseline_year)
    if base not in years:
        raise InputError(f"基准年 {base} 不在表中。可选：{'、'.join(map(str, years))}",
                         f"The baseline year {base} is not in the table. Years: {', '.join(map(str, years))}",
                         code="trends.baseline")
    problems = list(result.problems)
    assigned = assign_sectors(result.entities, sector_map)
    problems += assigned.problems
    entities = result.entities.assign(sector6=assigned.sector6.to_numpy())
    detail = result.detail.merge(entities[["entity", "year", "sector6"]], on=["entity", "year"], how="left")
    detail["sector6"] = detail["sector6"].fillna(UNMAPPED)

    totals = result.totals[["year", "entities", "tce", "t_co2", "value_added_10k_yuan", "tce_per_10k_yuan",
                            "t_co2_per_10k_yuan", "land_mu", "t_co2_per_mu"]].copy()
    totals["year"] = totals["year"].astype(int)
    for col in CHANGE_COLUMNS:
        totals[f"{col}_change_pct"] = _change_pct(totals, col, totals[totals["year"] == base], [])

    by_fuel = result.by_fuel[["year", "fuel", "fuel_zh", "tce", "t_co2"]].copy()
    by_fuel["year"] = by_fuel["year"].astype(int)
    ft = by_fuel.groupby("year")["tce"].transform("sum")
    by_fuel["share_tce_pct"] = 100.0 * by_fuel["tce"] / ft.where(ft > 0)

    e = entities.assign(_va=entities["value_added_10k_yuan"].where(entities["value_added_10k_yuan"] > 0))
    e["_co2_va"] = e["t_co2"].where(e["_va"].notna(), 0.0)
    by_sector = e.groupby(["year", "sector6"], sort=False).agg(
        entities=("entity", "nunique"), tce=("tce", "sum"), t_co2=("t_co2", "sum"),
        value_added_10k_yuan=("_va", lambda s: s.sum(min_count=1)), _co2_va=("_co2_va", "sum")).reset_index()
    by_sector["year"] = by_sector["year"].astype(int)
    by_sector["t_co2_per_10k_yuan"] = by_sector["_co2_va"] / by_sector["value_added_10k_yuan"]
    by_sector = by_sector.drop(columns="_co2_va")
    by_sector["sector6_zh"] = by_sector["sector6"].map(sector_name)
    st = by_sector.groupby("year")["t_co2"].transform("sum")
    by_sector["share_t_co2_pct"] = 100.0 * by_sector["t_co2"] / st.where(st > 0)
    by_sector["t_co2_change_pct"] = _change_pct(by_sector, "t_co2", by_sector[by_sector["year"] == base],
                                                ["sector6"])
    by_sector = by_sector.sort_values(["year", "sector6"], key=lambda s: s.map(_SECTOR_ORDER)
                                      if s.name == "sector6" else s).reset_index(drop=True)
    by_sector = by_sector[["year", "sector6", "sector6_zh", "entities", "tce", "t_co2", "share_t_co2_pct",
                           "value_added_10k_yuan", "t_co2_per_10k_yuan", "t_co2_change_pct"]]

    kind = result.inventory.get("period_kind")
    by_period = None
    if kind and "period" in detail:
        by_period = _by_period(detail, kind)
        totals["periods"], totals["partial"] = _period_counts(detail, totals["year"].tolist(), kind)

    missing = _missing_years(entities, years)
    if len(missing):
        problems.append(Problem(
            "warning", "trends.missing_years",
            f"{len(missing)} 个对象在部分年份没有数据（如 {missing['entity'].iloc[0]} 缺 "
            f"{missing['years_missing'].iloc[0]}），这些年份的合计不含它们，未作插补",
            f"{len(missing)} entities lack data for some years (e.g. {missing['entity'].iloc[0]} lacks "
            f"{missing['years_missing'].iloc[0]}); those years' totals leave them out, nothing is filled in",
            [str(x) for x in missing["entity"]]))
    return TrendsResult(years=years, baseline_year=base, totals=totals, by_fuel=by_fuel, by_sector=by_sector,
                        detail=detail, entities=entities, mapping=assigned.mapping, missing=missing,
                        emissions=result, problems=problems, by_period=by_period, period_kind=kind)
