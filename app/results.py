"""All analyses of a park in one call, and their results in one object.

``run_park_analyses`` is what ``lingtan demo``, the desktop app's "run all", the PDF report and the
self-test share: rooftop PV, emissions, sinks, balance and indicators, and the five-colour
township map. :class:`ParkResults` holds the computed objects, a JSON-ready ``summary`` (the keys
of ``summary.json``, what the project file saves), the same as typed sections
(:attr:`ParkResults.sections`, what the report, exports, dashboard and self-test read) and
:meth:`ParkResults.layers`, every input and result layer by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from gis.park import Park, summarise_park
from gis.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from app.intensity_map import IntensityMap
    from app.summaries import ParkSummary
    from gis.carbon.park_carbon import ParkAccount
    from gis.solar.array_energy import ArrayResult
    from gis.solar.rooftop import RooftopResult
    from gis.wind.farm import FarmResult
    from layers.layer import VectorLayer

RESULT_LAYER_NAMES = ("rooftop_pv", "green_sinks", "tree_sinks", "township_intensity", "pv_array_area",
                      "pv_array_exclusions", "pv_array_tables", "wind_receptors", "wind_violations",
                      "turbines")
"""Layers the analyses add, in drawing order (the inputs come from :meth:`Park.layers`)."""


@dataclass
class AnalysisOptions:
    """The choices of a run; None means the documented default of each step.

    factors: emission-factor set key (default ``national-2023``, resources/factors/factor_sets.csv);
    indicators: indicator set (default ``national-2025``); weather: a weather file (default: the
    built-in climatology for the site); year/baseline_year: accounting years (default: latest and
    the one before); facts: non-spatial indicator facts; scenarios: balance scenarios;
    pv/intensity/energy: run those steps.
    """

    factors: str | None = None
    indicators: str | None = None
    weather: Path | None = None
    year: int | None = None
    baseline_year: int | None = None
    facts: dict | None = None
    scenarios: list | None = None
    pv_settings: Any = None      # gis.solar.rooftop.PVSettings; None: PVSettings() defaults
    pv: bool = True
    intensity: bool = True
    energy: bool = True
    """Hour by hour (app.park_energy): the energy table's typical profiles against the rooftop PV."""
    trends: bool = True
    """Years (app.park_trends): the energy table's yearly trends and carbon-flow Sankeys."""
    pathways: bool = True
    """Pathways to 2060 (app.park_pathways): scenarios, measures and MACC, the tornado."""
    pathway_settings: dict | None = None
    """The project's kept pathway inputs (``settings["pathways"]``: user scenarios, measures, target)."""

    @classmethod
    def from_project(cls, options: dict) -> AnalysisOptions:
        """From the options dict of :func:`app.project.read_project`."""
        keys = ("factors", "indicators", "weather", "year", "baseline_year", "facts", "scenarios")
        return cls(**{k: options[k] for k in keys if k in options})


@dataclass
class ParkResults:
    """A park and what the analyses found, each as the core's typed result; a step not run is
    None. A saved project's results (reopened, nothing run again) have no computed objects: their
    summary and layers only (:meth:`from_saved`, ``park`` None)."""

    park: Park | None
    account: ParkAccount | None = None
    pv: RooftopResult | None = None
    intensity: IntensityMap | None = None
    summary: dict = field(default_factory=dict)
    pv_array: ArrayResult | None = None
    wind: FarmResult | None = None
    saved_layers: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    """The layers of saved results (:meth:`from_saved`)."""
    styled: dict[str, VectorLayer] | None = None
    """Result layers styled in the worker thread, for the desktop app to show as they are."""
    energy: Any = None
    """The hourly energy system (gis.energy.system.SystemResult), when it was run."""

    @property
    def sections(self) -> ParkSummary:
        """The summary as typed sections (:class:`app.summaries.ParkSummary`), read afresh from
        ``summary`` (the JSON dict that the project file saves and the siting panels update)."""
        from app.summaries import ParkSummary

        return ParkSummary.from_dict(self.summary)

    @classmethod
    def from_saved(cls, summary: dict | ParkSummary | None,
                   layers: dict[str, gpd.GeoDataFrame]) -> ParkResults:
        """Results as a saved project holds them: its summary (JSON dict or typed) and its layers by
        name."""
        if summary is not None and not isinstance(summary, dict):
            summary = summary.to_dict()
        return cls(park=None, summary=dict(summary or {}), saved_layers=dict(layers))

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Every vector layer by name: the park's inputs, then the result layers present."""
        from app.pv import result_layer

        if self.park is None:
            return dict(self.saved_layers)
        out = dict(self.park.layers())
        if self.pv is not None:
            out["rooftop_pv"] = result_layer(self.pv)
        if self.account is not None:
            sinks, trees = self.account.sinks, self.account.trees
            if sinks is not None and sinks.features is not None:
                out["green_sinks"] = sinks.features
            if trees is not None and trees.trees is not None:
                out["tree_sinks"] = trees.trees
        if self.intensity is not None:
            out["township_intensity"] = self.intensity.layer
        if self.pv_array is not None:
            from app.algorithms.pv_array import as_written as result_layers

            out.update(result_layers(self.pv_array))
        if self.wind is not None:
            out.update(self.wind.layers())
        return out


def run_park_analyses(park: Park, options: AnalysisOptions | None = None,
                      progress: Progress = NO_PROGRESS) -> ParkResults:
    """Rooftop PV, carbon account (emissions, sinks, balance, indicators) and the township map
    (when the park has townships and their statistics) of a loaded park."""
    from app.intensity_map import intensity_map
    from app.park_account import park_account

    options = options or AnalysisOptions()
    summary = summarise_park(park)
    account, pv = park_account(park, factors_key=options.factors, weather_path=options.weather,
                               pv=options.pv, year=options.year, baseline_year=options.baseline_year,
                               indicator_set=options.indicators, scenarios=options.scenarios,
                               facts=options.facts, pv_settings=options.pv_settings,
                               progress=progress.sub(0.0, 0.9))
    if pv is not None:
        summary["pv"] = pv.summary()
    if account is not None:
        summary["carbon"] = account.summary()
    else:
        summary["skipped"] = [{
            "analysis": "carbon",
            "zh": "园区没有企业能耗表，未核算碳排放、碳汇平衡与指标（用 lingtan template energy 生成模板）",
            "en": "The park has no enterprise energy table: emissions, the sink balance and the indicators "
                  "were not accounted (lingtan template energy makes the template)"}]
    towns = None
    if options.intensity and park.townships is not None and park.township_stats is not None:
        progress.report(0.92, "township intensity map")
        kw = {"factors_key": options.factors} if options.factors else {}
        towns = intensity_map(park.townships, park.township_stats, **kw)
        summary["intensity"] = towns.summary()
    results = ParkResults(park=park, account=account, pv=pv, intensity=towns, summary=summary)
    if options.energy and account is not None:
        from app.park_energy import add_park_energy

        progress.report(0.96, "hour by hour")
        add_park_energy(results, progress=progress.sub(0.96, 1.0))
    if options.trends and park.enterprises is not None:
        from app.park_trends import add_park_trends

        add_park_trends(results, options.factors)  # every year of the table (~0.1 s on the sample)
    if options.pathways and park.enterprises is not None:
        from app.park_pathways import add_park_pathways

        # after the PV and carbon sections: their potential and sinks cap and add (~0.2 s on the sample)
        add_park_pathways(results, options.factors, options.pathway_settings)
    progress.report(1.0, "analyses done")
    return results


def add_demo_siting(results: ParkResults, progress: Progress = NO_PROGRESS) -> ParkResults:
    """The sample park's demo siting: a ground PV array on the management block's lawn and
    three small turbines, added to ``results`` (layers and ``summary["pv_array"]``,
    ``summary["wind"]``). The array's avoided CO2 uses the park's electricity factor."""
    from app.sample_array import demo_array_result
    from gis.wind.farm import DEMO_TURBINE, demo_resource, demo_turbines, run_wind_farm
    from gis.wind.turbines import load_turbine

    park = results.park
    grid = results.pv.grid_factor if results.pv is not None else None
    results.pv_array = demo_array_result(park, progress.sub(0.0, 0.7), grid=grid)
    results.summary["pv_array"] = results.pv_array.summary()
    progress.report(0.7, "demo turbines")
    results.wind = run_wind_farm(demo_turbines(park), load_turbine(DEMO_TURBINE), demo_resource(park),
                                 buildings=park.buildings, boundary=park.boundary,
                                 progress=progress.sub(0.7, 1.0))
    results.summary["wind"] = results.wind.summary()
    return results
