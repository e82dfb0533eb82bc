"""A project's analysis choices (no Qt): the option records the desktop app's Analysis dialogs
store in ``workspace.settings["analysis"]`` and their :class:`~app.results.AnalysisOptions`.

The dialogs (:mod:`app.gui.analyses`) and the headless commands that reopen a saved project
(``lingtan export PROJECT.lingtan.gpkg``) share them, so a project is analysed with the same
factor set, indicator set, weather, module, losses, tilt/azimuth and grid factor wherever it is
run. ``settings["analysis"]`` holds one dict per analysis (``"pv"``, ``"carbon"``,
``"indicators"``, ``"intensity"``) with the fields of the records below; a missing or unreadable
entry means the documented defaults (the desktop app may first offer the user's app settings,
see ``app.gui.analyses._app_defaults``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.results import AnalysisOptions, ParkResults
from gis.defaults import DEFAULT_FACTOR_SET as DEFAULT_FACTOR_SET_KEY
from gis.defaults import DEFAULT_INDICATOR_SET
from gis.progress import NO_PROGRESS, Progress


@dataclass
class PVOptions:
    """Rooftop PV choices. Defaults and their sources:

    weather: None = the built-in climatology (CSWD stations, interpolated to the site; docs/weather.md).
    losses_pct: 14 % DC losses (PVWatts v5 default, gis/solar/energy.py SystemSettings).
    module_w / module_length_m / module_width_m: 575 W, 2.278 × 1.134 m (a 144-half-cell TOPCon
        module, DOMAIN.md §5; gis/solar/layout.py ModuleSpec).
    tilt_deg / azimuth_deg: None = rows at the site's flat-roof tilt on flat roofs, the roof planes
        on pitched and metal roofs (resources/defaults/roof_classes.csv).
    grid_factor: None = the electricity factor of the emission-factor set, so PV's avoided CO2 and
        the park's emissions use one factor (as ``lingtan demo``); else a key of
        resources/factors/grid_emission_factors.csv.
    """

    weather: str | None = None
    shading: bool = True
    losses_pct: float = 14.0
    module_w: float = 575.0
    module_length_m: float = 2.278
    module_width_m: float = 1.134
    tilt_deg: float | None = None
    azimuth_deg: float | None = None
    grid_factor: str | None = None


@dataclass
class CarbonOptions:
    """Carbon accounting choices. energy_table: None = the park's enterprise energy table;
    factors: None = ``national-2023`` (resources/factors/factor_sets.csv); year: None = the latest
    in the table; baseline_year: None = the year before it, when the table has it."""

    energy_table: str | None = None
    factors: str | None = None
    year: int | None = None
    baseline_year: int | None = None


@dataclass
class IndicatorOptions:
    """Indicator check choices. indicators: None = ``national-2025`` (国家零碳园区评价指标（试行）);
    facts: park facts the data cannot give (gis.carbon.balance.FACT_KEYS), % each."""

    indicators: str | None = None
    facts: dict[str, float] = field(default_factory=dict)


@dataclass
class IntensityOptions:
    """Five-colour map choices. townships: a layer key of the workspace (None: the park's
    townships); stats: a statistics file (None: the park's township statistics); join_field:
    the townships' field to join on (None: a code field when both sides have one, else the
    names); method: ratio (K = intensity / benchmark, breaks 0.6/0.8/1.2/2.0, Zhejiang
    carbon-efficiency grades), fixed (thresholds), quantile, jenks, target (target_pct, %/yr)."""

    townships: str | None = None
    stats: str | None = None
    join_field: str | None = None
    method: str = "ratio"
    thresholds: list[float] | None = None
    target_pct: float | None = None


DefaultsFn = Callable[[type], dict]
"""``defaults(cls) -> {field: value}``: the values to start from when a project stored nothing."""


def _settings(source: Any) -> Mapping:
    """The settings dict of a workspace (its ``settings``) or a settings dict itself."""
    if isinstance(source, Mapping):
        return source
    return getattr(source, "settings", None) or {}


def _stored(source: Any, key: str, cls, defaults: DefaultsFn | None = None):
    """The ``cls`` record stored under ``settings["analysis"][key]`` of ``source`` (a workspace or
    its settings dict); ``cls(**defaults(cls))`` when nothing (or no dict) is stored, the
    documented defaults when the stored values do not fit."""
    d = (_settings(source).get("analysis") or {}).get(key)
    if not isinstance(d, dict):
        return cls(**(defaults(cls) if defaults is not None else {}))
    names = {f.name for f in dataclasses.fields(cls)}
    try:
        return cls(**{k: v for k, v in d.items() if k in names})
    except TypeError:
        return cls()


def _store(workspace, key: str, options) -> None:
    """Store ``options`` under ``settings["analysis"][key]`` (marks the workspace dirty)."""
    analysis = dict(workspace.settings.get("analysis") or {})
    analysis[key] = dataclasses.asdict(options)
    workspace.set_setting("analysis", analysis)


def _park_pv_params() -> tuple:
    """The parameters of Analysis → Rooftop PV, taken from the rooftop PV algorithm's declaration
    (one place for each parameter), with the grid factor optional: by default the emission-factor
    set's electricity factor, so that PV's avoided CO2 and the park's emissions use one factor."""
    import dataclasses

    from app.algorithms.rooftop_pv import RooftopPV

    by_name = {p.name: p for p in RooftopPV.params}
    grid = dataclasses.replace(
        by_name["grid_factor"], default=None, optional=True,
        auto_zh="排放因子集的电力因子（光伏减排与园区排放用同一因子）",
        auto_en="the electricity factor of the emission-factor set (one factor for PV and the park's "
                "emissions)",
        source="the project's emission-factor set (resources/factors/factor_sets.csv)")
    names = ("weather", "shading", "losses_pct", "module_w", "module_size", "tilt_deg", "azimuth_deg")
    return (*(by_name[n] for n in names), grid)


def pv_values(o: PVOptions) -> dict:
    """The Rooftop PV dialog's values of stored options (:func:`_park_pv_params` names)."""
    return {"weather": Path(o.weather) if o.weather else None, "shading": o.shading,
            "losses_pct": o.losses_pct, "module_w": o.module_w,
            "module_size": (o.module_length_m, o.module_width_m), "tilt_deg": o.tilt_deg,
            "azimuth_deg": o.azimuth_deg, "grid_factor": o.grid_factor}


def pv_options(values) -> PVOptions:
    """The options a project stores of the Rooftop PV dialog's checked values."""
    length, width = values["module_size"]
    return PVOptions(weather=str(values["weather"]) if values["weather"] else None, shading=values["shading"],
                     losses_pct=values["losses_pct"], module_w=values["module_w"], module_length_m=length,
                     module_width_m=width, tilt_deg=values["tilt_deg"], azimuth_deg=values["azimuth_deg"],
                     grid_factor=values["grid_factor"])


def _park_carbon_params(years: list[int]) -> tuple:
    """The parameters of Analysis → Carbon accounting: the park balance algorithm's declared factor
    set, year and baseline year (the years offered are those of the park's energy table), and the
    energy table that replaces the park's own."""
    import dataclasses

    from app.algorithms.park_balance import ParkBalance
    from app.processing.params import Param
    from gis.defaults import DEFAULT_FACTOR_SET

    by_name = {p.name: p for p in ParkBalance.params}
    table = Param("energy_table", "file", None, "企业能耗表", "Energy table", optional=True,
                  help_zh="分企业、分年份的能耗（CSV/Excel，宽表或长表；模板：lingtan template energy）",
                  help_en="energy use per enterprise and year (CSV/Excel, wide or long; the template: "
                          "lingtan template energy)",
                  auto_zh="园区载入时的能耗表", auto_en="the table loaded with the park",
                  filters="Tables (*.csv *.xlsx *.xls);;All files (*)")
    factors = dataclasses.replace(by_name["factors"], default=DEFAULT_FACTOR_SET, optional=False,
                                  source="resources/factors/factor_sets.csv (the row noted default)")
    year_choices = [(y, str(y), str(y)) for y in years]
    year = dataclasses.replace(by_name["year"], kind="choice", choices=year_choices,
                               auto_zh="能耗表中最近一年", auto_en="the latest in the energy table")
    baseline = dataclasses.replace(by_name["baseline_year"], kind="choice", choices=year_choices,
                                   auto_zh="核算年份的上一年（表中有时）",
                                   auto_en="the year before (when the table has it)")
    return table, factors, year, baseline


def _park_indicator_params() -> tuple:
    """The parameters of Analysis → Indicators: the park balance algorithm's declared indicator set,
    and one optional percentage per park fact of its ``facts`` declaration (not given: the
    indicator shows "no data")."""
    import dataclasses

    from app.algorithms.park_balance import ParkBalance
    from app.processing.params import Param

    by_name = {p.name: p for p in ParkBalance.params}
    indicators = dataclasses.replace(by_name["indicators"], default=DEFAULT_INDICATOR_SET, optional=False,
                                     source="resources/indicators/indicator_sets.csv (the national set)")
    facts = by_name["facts"]
    per_fact = tuple(Param(str(key), "float", None, zh, en, unit=facts.unit, minimum=facts.minimum,
                           maximum=facts.maximum, optional=True, auto_zh="未填（指标显示“缺数据”）",
                           auto_en='not given (the indicator shows "no data")')
                     for key, zh, en in facts.choice_list())
    return (indicators, *per_fact)


def indicator_values(o: IndicatorOptions) -> dict:
    return {"indicators": o.indicators or DEFAULT_INDICATOR_SET, **dict(o.facts or {})}


def indicator_options(values) -> IndicatorOptions:
    facts = {k: v for k, v in values.items() if k != "indicators" and v is not None}
    return IndicatorOptions(indicators=values["indicators"], facts=facts)


def carbon_values(o: CarbonOptions) -> dict:
    return {"energy_table": Path(o.energy_table) if o.energy_table else None,
            "factors": o.factors or DEFAULT_FACTOR_SET_KEY, "year": o.year, "baseline_year": o.baseline_year}


def carbon_options(values) -> CarbonOptions:
    return CarbonOptions(energy_table=str(values["energy_table"]) if values["energy_table"] else None,
                         factors=values["factors"], year=values["year"],
                         baseline_year=values["baseline_year"])


def pv_settings(o: PVOptions):
    """The :class:`gis.solar.rooftop.PVSettings` of ``o``."""
    from gis.grid_factors import DEFAULT_GRID_FACTOR_KEY
    from gis.solar.energy import SystemSettings
    from gis.solar.layout import LayoutSettings, ModuleSpec
    from gis.solar.rooftop import PVSettings

    return PVSettings(
        layout=LayoutSettings(module=ModuleSpec(o.module_w, o.module_length_m, o.module_width_m),
                              forced_tilt_deg=o.tilt_deg, forced_azimuth_deg=o.azimuth_deg),
        system=SystemSettings(losses_pct=o.losses_pct), shading=o.shading,
        grid_factor_key=o.grid_factor or DEFAULT_GRID_FACTOR_KEY)


def analysis_options(source: Any, defaults: DefaultsFn | None = None) -> AnalysisOptions:
    """The :class:`AnalysisOptions` of a project's stored choices (``source``: a workspace or its
    settings dict; ``defaults``: see :func:`_stored`)."""
    pv = _stored(source, "pv", PVOptions, defaults)
    c = _stored(source, "carbon", CarbonOptions, defaults)
    i = _stored(source, "indicators", IndicatorOptions, defaults)
    return AnalysisOptions(factors=c.factors, indicators=i.indicators, weather=Path(pv.weather) if pv.weather
                           else None, year=c.year, baseline_year=c.baseline_year, facts=i.facts or None,
                           pv_settings=pv_settings(pv),
                           pathway_settings=_pathway_settings(source))


def _pathway_settings(source: Any) -> dict | None:
    """The project's kept pathway inputs as app.park_pathways.stored_inputs reads them (None: none kept)."""
    kept = _settings(source).get("pathways")
    return {"pathways": kept} if kept else None


def run_project_analyses(park, source: Any, progress: Progress = NO_PROGRESS) -> ParkResults:
    """:func:`app.results.run_park_analyses` of ``park`` with the project's stored choices
    (``source``: the workspace or its settings), as the desktop app runs them: the rooftop PV's
    avoided CO2 with the chosen grid factor when one was chosen (default: the factor set's
    electricity factor, which run_park_analyses applies)."""
    from app.results import run_park_analyses

    results = run_park_analyses(park, analysis_options(source), progress)
    grid_key = _stored(source, "pv", PVOptions).grid_factor
    if grid_key and results.pv is not None:
        from gis.grid_factors import grid_factor

        results.pv = results.pv.with_grid_factor(grid_factor(grid_key))
        results.summary["pv"] = results.pv.summary()
    return results
