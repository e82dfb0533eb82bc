"""The park's pathways to 2060 for Run All, the command and the GUI (issue #19): the base year from
the energy table's latest year (:func:`gis.carbon.pathways.base_from_trends`) with the park's on-site
potential (rooftop PV, ground array, wind) and green-space sinks from its summary, the scenarios
(自然/基准/强化 plus the user's), the measures and their MACC, and the tornado of the baseline,
kept JSON-ready in ``summary["pathways"]`` so the Pathways panel and the report draw them from a
saved project without the table.

A project keeps the user's scenario, measure and target rows (not file paths) in
``workspace.settings["pathways"]`` (:func:`store_inputs`), so a reopened project reruns with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from gis.progress import NO_PROGRESS, Progress

SETTINGS_KEY = "pathways"
DEFAULT_PCT = 20.0
"""±20 %: the sensitivity range (gis.carbon.sensitivity)."""


@dataclass
class PathwayRun:
    """Everything a pathway run found: the paths, the measures with their MACC, the tornado (of
    ``sensitivity_scenario``), the trends the base came from (None from a saved base) and problems."""

    result: Any
    measures: list
    macc: pd.DataFrame
    tornado: pd.DataFrame
    sensitivity_scenario: str
    trends: Any = None
    problems: list = field(default_factory=list)

    def section(self) -> dict:
        """JSON-ready ``summary["pathways"]``: the paths' summary, ``macc``, ``sensitivity``."""
        return {
            **self.result.summary(),
            "macc": _records(self.macc),
            "sensitivity": _records(self.tornado),
            "sensitivity_scenario": self.sensitivity_scenario,
            "problems": [p.to_dict() for p in self.problems],
        }


def _records(frame: pd.DataFrame) -> list[dict]:
    import numpy as np

    def clean(v):
        if v is None or (isinstance(v, float) and not np.isfinite(v)):
            return None
        if isinstance(v, np.integer):
            return int(v)
        if isinstance(v, np.floating):
            return None if not np.isfinite(v) else float(v)
        return v

    return [{k: clean(v) for k, v in r.items()} for r in frame.astype(object).to_dict("records")]


def summary_get(summary: Any, key: str) -> Any:
    """A section of a ParkSummary or its dict (None when absent)."""
    if summary is None:
        return None
    return summary.get(key) if isinstance(summary, dict) else getattr(summary, key, None)


def base_of_table(
    table: pd.DataFrame, summary: Any = None, factors_key: Any = None, source: str = "energy table"
):
    """(PathwayBase, TrendsResult) of an energy table: its latest year; the on-site potential
    (kWh/yr) and the green-space sinks (t/yr, ``carbon.sinks_t_co2_yr``) from ``summary``.
    factors_key: a factor-set key (default national-2023) or a FactorSet."""
    from gis.carbon.emissions import account_emissions
    from gis.carbon.factors import DEFAULT_FACTOR_SET, load_factor_set
    from gis.carbon.inventory import read_energy_inventory
    from gis.carbon.measures import onsite_potential_kwh_yr
    from gis.carbon.pathways import base_from_trends
    from gis.carbon.trends import compute_trends

    factors = (
        factors_key
        if hasattr(factors_key, "tce_per_unit")
        else load_factor_set(factors_key or DEFAULT_FACTOR_SET)
    )
    trends = compute_trends(
        account_emissions(
            read_energy_inventory(table, source_name=source, factors=factors), factors, year="all"
        )
    )
    potential = sum(onsite_potential_kwh_yr(summary).values())
    sinks = summary_get(summary_get(summary, "carbon"), "sinks_t_co2_yr") or 0.0
    return base_from_trends(trends, onsite_potential_kwh_yr=potential, extra_sinks_t_co2=float(sinks)), trends


def run_pathways(
    base: Any,
    summary: Any = None,
    *,
    scenarios: list | None = None,
    measures: list | None = None,
    target: pd.DataFrame | None = None,
    pct: float = DEFAULT_PCT,
    trends: Any = None,
    progress: Progress = NO_PROGRESS,
) -> PathwayRun:
    """The paths of 自然/基准/强化 and ``scenarios`` (a user scenario with a default's key replaces
    it), ``measures`` (None: the defaults sized for the park) applied to the baseline, the MACC and
    the baseline's tornado (±``pct`` %)."""
    from gis.carbon.measures import default_measures, macc
    from gis.carbon.pathways import default_scenarios, pathways
    from gis.carbon.sensitivity import tornado

    problems: list = []
    mine = {s.name: s for s in scenarios or []}
    chosen = [mine.pop(s.name, s) for s in default_scenarios()] + list(mine.values())
    if measures is None:
        measures, found = default_measures(base, summary)
        problems += found
    progress.report(0.2, "pathways")
    result = pathways(base, chosen, measures=measures, measures_on="baseline", target=target)
    progress.check()
    on = next((s for s in chosen if s.name == "baseline"), chosen[0])
    progress.report(0.6, "sensitivity")
    sens = tornado(base, on, pct=pct)
    progress.report(1.0, "pathways done")
    return PathwayRun(
        result, list(measures), macc(measures), sens, on.name, trends, [*result.problems, *problems]
    )


def park_pathways_summary(
    park: Any,
    summary: Any = None,
    factors_key: str | None = None,
    settings: Any = None,
    progress: Progress = NO_PROGRESS,
) -> dict | None:
    """The pathways section of the park (:meth:`PathwayRun.section`); None without an energy table."""
    if park is None or park.enterprises is None:
        return None
    base, trends = base_of_table(park.enterprises, summary, factors_key, source="enterprises")
    scenarios, measures, target = stored_inputs(settings)
    return run_pathways(
        base, summary, scenarios=scenarios, measures=measures, target=target, trends=trends, progress=progress
    ).section()


def add_park_pathways(
    results: Any, factors_key: str | None = None, settings: Any = None, progress: Progress = NO_PROGRESS
) -> None:
    """Add ``summary["pathways"]`` to ``results`` (a ParkResults; after the trends: the same table);
    a table without years is recorded in ``summary["skipped"]`` instead."""
    from gis.errors import InputError

    try:
        section = park_pathways_summary(results.park, results.summary, factors_key, settings, progress)
    except InputError as err:
        results.summary.setdefault("skipped", []).append({"analysis": "pathways", "zh": err.zh, "en": err.en})
        return
    if section is not None:
        results.summary["pathways"] = section


# ---------------------------------------------------------------- inputs kept in the project


def stored_inputs(source: Any) -> tuple[list | None, list | None, pd.DataFrame | None]:
    """(scenarios, measures, target) kept in a workspace's (or settings dict's) ``settings["pathways"]``;
    None for each one not kept."""
    from gis.carbon.measures import Measure
    from gis.carbon.pathways import parse_scenario_table

    settings = source if isinstance(source, dict) else (getattr(source, "settings", None) or {})
    kept = settings.get(SETTINGS_KEY) or {}
    scen = parse_scenario_table(pd.DataFrame(kept["scenarios"]), "project") if kept.get("scenarios") else None
    meas = [Measure(**m) for m in kept["measures"]] if kept.get("measures") else None
    target = pd.DataFrame(kept["target"], columns=["year", "t_co2"]) if kept.get("target") else None
    return scen, meas, target


def store_inputs(
    workspace: Any,
    scenarios: list | None = None,
    measures: list | None = None,
    target: pd.DataFrame | None = None,
) -> None:
    """Keep the user's scenarios (their rows), measures and target path in the project
    (``settings["pathways"]``; marks the workspace dirty). None leaves out that part."""
    from gis.carbon.pathways import SCENARIO_COLUMNS, assumptions_table

    kept: dict[str, Any] = {}
    if scenarios:
        rows = assumptions_table(scenarios)[SCENARIO_COLUMNS]
        kept["scenarios"] = rows.astype(object).where(rows.notna(), None).to_dict("records")
    if measures:
        kept["measures"] = [m.to_dict() for m in measures]
    if target is not None and len(target):
        kept["target"] = [
            {"year": int(y), "t_co2": float(v)} for y, v in zip(target["year"], target["t_co2"], strict=True)
        ]
    workspace.set_setting(SETTINGS_KEY, kept)


# ---------------------------------------------------------------- rerunning a saved section

def section_scenarios(section: dict) -> list:
    """The scenarios of a saved ``summary["pathways"]`` (its ``assumptions`` rows)."""
    from gis.carbon.pathways import parse_scenario_table

    return parse_scenario_table(pd.DataFrame(section.get("assumptions") or []), "summary")


def section_measures(section: dict) -> list:
    """The measures of a saved ``summary["pathways"]`` (its ``macc`` rows)."""
    from dataclasses import fields

    from gis.carbon.measures import Measure

    names = [f.name for f in fields(Measure)]
    return [Measure(**{k: m[k] for k in names if k in m}) for m in section.get("macc") or []]


def rerun_section(section: dict, scenarios: list | None = None, measures: list | None = None,
                  target: pd.DataFrame | None = None, summary: Any = None, pct: float = DEFAULT_PCT,
                  progress: Progress = NO_PROGRESS) -> dict:
    """A saved ``summary["pathways"]`` computed again from its base (no energy table needed), e.g.
    after the user edited a scenario: ``scenarios`` (default: the section's own), ``measures``
    (default: the section's MACC), ``target``. Returns the new section."""
    from gis.carbon.pathways import PathwayBase

    base = PathwayBase.from_dict(section["base"])
    scenarios = section_scenarios(section) if scenarios is None else scenarios
    measures = section_measures(section) if measures is None else measures
    return run_pathways(base, summary, scenarios=scenarios, measures=measures, target=target, pct=pct,
                        progress=progress).section()
