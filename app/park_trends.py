"""The park's trends and carbon-flow Sankeys for Run All and the demo (issue #19): every year of the
energy table by fuel and six sectors (:mod:`gis.carbon.trends`) and the Sankey of each year
(:mod:`gis.carbon.sankey`), kept JSON-ready in ``summary["trends"]`` so that the report and the
Trends panel draw them from a saved project without the table.

The Sankeys hold what the energy table holds (its green-power, sink and CCS columns); on-site
renewables and the park's green-space sinks are current-state figures, not per year, so they are
left out here (``lingtan trends --onsite-kwh/--sinks-t-co2`` adds them for one year).
"""

from __future__ import annotations

from typing import Any

from gis.progress import NO_PROGRESS, Progress


def park_trends_summary(park: Any, factors_key: str | None = None,
                        progress: Progress = NO_PROGRESS) -> dict | None:
    """The trends section of the park's energy table (:func:`trends_section`); None without a table."""
    if park is None or park.enterprises is None:
        return None
    return trends_section(park.enterprises, factors_key, source="enterprises", progress=progress)


def trends_section(table: Any, factors_key: str | None = None, *, source: str = "energy table",
                   progress: Progress = NO_PROGRESS) -> dict:
    """``{**TrendsResult.summary(), "sankey": latest year's Sankey, "sankeys": [one per year]}`` of an
    energy table (a DataFrame; factor set ``factors_key``, default national-2023). Raises InputError
    when the table has no year."""
    from gis.carbon.emissions import account_emissions
    from gis.carbon.factors import DEFAULT_FACTOR_SET, load_factor_set
    from gis.carbon.inventory import read_energy_inventory
    from gis.carbon.sankey import carbon_flows
    from gis.carbon.trends import compute_trends

    factors = load_factor_set(factors_key or DEFAULT_FACTOR_SET)
    inventory = read_energy_inventory(table, source_name=source, factors=factors)
    progress.report(0.3, "trends")
    trends = compute_trends(account_emissions(inventory, factors, year="all"))
    progress.check()
    sankeys = [carbon_flows(trends, y).to_dict() for y in trends.years]
    progress.report(1.0, "trends done")
    return {**trends.summary(), "sankey": sankeys[-1], "sankeys": sankeys}


def add_park_trends(results: Any, factors_key: str | None = None, progress: Progress = NO_PROGRESS) -> None:
    """Add ``summary["trends"]`` to ``results`` (a ParkResults); a table without years is recorded
    in ``summary["skipped"]`` instead (the rest of the run stands)."""
    from gis.errors import InputError

    try:
        section = park_trends_summary(results.park, factors_key, progress)
    except InputError as err:
        results.summary.setdefault("skipped", []).append(
            {"analysis": "trends", "zh": err.zh, "en": err.en})
        return
    if section is not None:
        results.summary["trends"] = section


def sankey_of(section: dict, year: int | None = None):
    """The :class:`gis.carbon.sankey.SankeyData` of ``year`` (default the latest) from a saved
    ``summary["trends"]`` (its ``sankeys``, else its one ``sankey``); None when it has none."""
    import pandas as pd

    from gis.carbon.sankey import LINK_COLUMNS, NODE_COLUMNS, SankeyData

    saved = list(section.get("sankeys") or ([section["sankey"]] if section.get("sankey") else []))
    if not saved:
        return None
    chosen = saved[-1] if year is None else next((s for s in saved if int(s["year"]) == int(year)), None)
    if chosen is None:
        return None
    nodes = pd.DataFrame([(n["key"], n["name_zh"], n["name_en"], int(n["column"]), n["kind"])
                          for n in chosen["nodes"]], columns=NODE_COLUMNS)
    links = pd.DataFrame([(k["source"], k["target"], float(k["value"]), k["unit"]) for k in chosen["links"]],
                         columns=LINK_COLUMNS)
    return SankeyData(int(chosen["year"]), nodes, links)


def sankey_years(section: dict) -> list[int]:
    """The years whose Sankey the section holds."""
    saved = section.get("sankeys") or ([section["sankey"]] if section.get("sankey") else [])
    return [int(s["year"]) for s in saved]


def sankey_totals(data) -> dict[str, float]:
    """A Sankey's headline totals: energy in (tce, the fuels and on-site renewables), gross CO2 of
    energy use, the deductions and net emissions (t)."""
    links = data.links
    into = links.groupby("target")["value"].sum()
    out_of = links.groupby("source")["value"].sum()
    energy = float(links.loc[links["unit"] == "tce", "value"].sum())
    return {"energy_tce": energy, "gross_t_co2": float(into.get("gross", 0.0)),
            "deductions_t_co2": float(out_of.get("gross", 0.0) - into.get("net", 0.0)),
            "net_t_co2": float(into.get("net", 0.0))}
