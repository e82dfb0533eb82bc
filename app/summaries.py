"""Typed summaries of a park's analyses: one frozen dataclass per section of ``summary.json``.

:class:`ParkSummary` is what :class:`app.results.ParkResults` holds and what the project file saves
(as :meth:`ParkSummary.to_dict`, the JSON keys of ``summary.json`` unchanged). Field names are
those keys, units in the name (``_kwh_yr`` kWh per year, ``_t_co2`` tonnes CO2, ``_m2`` m², ``kwp``
kWp …). A key a section does not declare is kept in its ``extra`` dict, so that
``ParkSummary.from_dict(d).to_dict() == d`` for every summary, old or new. Sub-tables whose keys
vary with the input (by use, by roof class, input reports …) stay plain dicts and lists.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

S = TypeVar("S", bound="Section")


@dataclass(frozen=True, kw_only=True)
class Section:
    """A summary section: its declared fields, plus ``extra`` (undeclared keys, kept as they are)
    and ``nulls`` (declared keys that were explicitly null, so that they are written back as null;
    any other None field is left out of :meth:`to_dict`). A field whose metadata names ``of`` (a
    section class) holds that section, ``rows`` a list of them; ``flat`` fields are written by
    the subclass itself."""

    extra: dict = field(default_factory=dict, repr=False)
    nulls: frozenset = field(default=frozenset(), repr=False, compare=False)

    _RESERVED: ClassVar[tuple[str, ...]] = ("extra", "nulls", "key_order")

    @classmethod
    def _fields(cls) -> list[dataclasses.Field]:
        return [f for f in dataclasses.fields(cls) if f.name not in Section._RESERVED]

    @classmethod
    def from_dict(cls: type[S], d: dict | None) -> S:
        """The section of a JSON dict (None or {} gives an empty section)."""
        d = dict(d or {})
        kw: dict[str, Any] = {}
        nulls = set()
        for f in cls._fields():
            if f.name not in d:
                continue
            v = d.pop(f.name)
            if v is None:
                nulls.add(f.name)
            kw[f.name] = _load(v, f)
        return cls(**kw, extra=d, nulls=frozenset(nulls))

    def to_dict(self) -> dict:
        """The JSON dict: declared fields that are set (or were null), then the extra keys."""
        out: dict[str, Any] = {}
        for f in self._fields():
            if f.metadata.get("flat"):
                continue
            v = getattr(self, f.name)
            if v is None and f.name not in self.nulls:
                continue
            out[f.name] = _dump(v)
        out.update(self.extra)
        return out

    def __bool__(self) -> bool:
        """False for an empty section (as an empty dict is): no key at all."""
        vals = [getattr(self, f.name) for f in self._fields()]
        set_ = any(v is not None and (not isinstance(v, Section) or bool(v)) for v in vals)
        return set_ or bool(self.extra) or bool(self.nulls)


def _load(v: Any, f: dataclasses.Field) -> Any:
    cls = f.metadata.get("of")
    if cls is not None and isinstance(v, dict):
        return cls.from_dict(v)
    cls = f.metadata.get("rows")
    if cls is not None and isinstance(v, list):
        return [cls.from_dict(r) if isinstance(r, dict) else r for r in v]
    return v


def _dump(v: Any) -> Any:
    if isinstance(v, Section):
        return v.to_dict()
    if isinstance(v, list):
        return [_dump(x) for x in v]
    return v


# ---- park facts (summarise_park) ---------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ParkSite(Section):
    """The park's outline: name, area (m², km², mu), perimeter (m), centre (lon, lat in CGCS2000,
    degrees) and the working CRS."""

    name: str | None = None
    area_m2: float | None = None
    area_km2: float | None = None
    area_mu: float | None = None
    perimeter_m: float | None = None
    centre_lon_lat_cgcs2000: list[float] | None = None
    work_crs: str | None = None


@dataclass(frozen=True, kw_only=True)
class BuildingFacts(Section):
    """The buildings: count, footprint and roof area (m²), coverage (% of the park), counts and
    footprints by use and by roof type, heights (m) and where they came from."""

    count: int | None = None
    outside_boundary: int | None = None
    footprint_m2: float | None = None
    roof_m2: float | None = None
    building_coverage_pct: float | None = None
    by_use: dict | None = None
    by_roof_type: dict | None = None
    height_m: dict | None = None
    height_sources: dict | None = None


@dataclass(frozen=True, kw_only=True)
class GreenFacts(Section):
    """Green space: polygons, area by type (m²), total (m²), green ratio (% of the park)."""

    count: int | None = None
    area_m2_by_type: dict | None = None
    total_m2: float | None = None
    green_ratio_pct: float | None = None
    outside_boundary_m2: float | None = None


@dataclass(frozen=True, kw_only=True)
class ParkFacts(Section):
    """The park's own figures (:func:`gis.park.summarise_park`), at the top level of the summary:
    outline, buildings, green space, tree rows (count, length_m, trees), townships (count,
    area_km2), enterprises (count, years, columns), township statistics (rows, years), the input
    files' reports and the park's problems."""

    park: ParkSite | None = field(default=None, metadata={"of": ParkSite})
    buildings: BuildingFacts | None = field(default=None, metadata={"of": BuildingFacts})
    green: GreenFacts | None = field(default=None, metadata={"of": GreenFacts})
    tree_rows: dict | None = None
    townships: dict | None = None
    enterprises: dict | None = None
    township_stats: dict | None = None
    inputs: dict | None = None
    problems: list[dict] | None = None

    KEYS: ClassVar[tuple[str, ...]] = ("park", "buildings", "green", "tree_rows", "townships",
                                       "enterprises", "township_stats", "inputs", "problems")


# ---- rooftop PV -------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class PVSummary(Section):
    """Rooftop PV (:meth:`gis.solar.rooftop.RooftopResult.summary`): roof and usable area (m²),
    modules, capacity (kWp, MWp), generation (kWh/yr, GWh/yr, 12 monthly kWh), specific yield
    (kWh/kWp), shading loss (%), avoided CO2 (t/yr) at ``grid_factor`` (kg_co2_per_kwh …)."""

    buildings: int | None = None
    buildings_with_pv: int | None = None
    roof_m2: float | None = None
    usable_m2: float | None = None
    modules: int | None = None
    kwp: float | None = None
    mwp: float | None = None
    kwh_yr: float | None = None
    gwh_yr: float | None = None
    kwh_per_kwp: float | None = None
    wp_per_roof_m2: float | None = None
    shade_loss_pct: float | None = None
    shade_unknown_buildings: int | None = None
    t_co2_yr: float | None = None
    monthly_kwh: list[float] | None = None
    latitude: float | None = None
    module_w: float | None = None
    losses_pct: float | None = None
    shading: bool | None = None
    nea_2021_check: dict | None = None
    roof_breakdown: dict | None = None  # where the roof area goes, m² and shares, overall and per class
    by_roof_class: dict | None = None
    weather_source: str | None = None
    weather_kind: str | None = None
    annual_ghi_kwh_m2: float | None = None
    grid_factor: dict | None = None
    orientation_classes: int | None = None
    problems: list[dict] | None = None

    @property
    def mwh_yr(self) -> float:
        """Annual generation in MWh (0 when not known)."""
        return (self.kwh_yr or 0.0) / 1000


# ---- carbon -----------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class EmissionsSummary(Section):
    """Energy-use emissions (:meth:`gis.carbon.emissions.EmissionsResult.summary`): the factor set,
    the inventory read, the year(s), ``total`` of the year (t_co2, t_co2_scope1/2, tce …), rows by
    fuel, by sector and the largest emitters."""

    factor_set: dict | None = None
    inventory: dict | None = None
    year_choice: str | None = None
    years: list[int] | None = None
    totals: list[dict] | None = None
    by_fuel: list[dict] | None = None
    by_sector: list[dict] | None = None
    top_entities: list[dict] | None = None
    problems: list[dict] | None = None
    total: dict | None = None


@dataclass(frozen=True, kw_only=True)
class BalanceLines(Section):
    """One scenario's balance lines, tCO2/yr (PV in kWh/yr): gross − PV avoided − green power −
    sinks = net."""

    gross_t_co2: float | None = None
    scope1_t_co2: float | None = None
    scope2_t_co2: float | None = None
    scope3_t_co2: float | None = None  # scope 3 lines counted (gis.carbon.scope)
    pv_kwh_yr: float | None = None
    pv_self_used_kwh_yr: float | None = None
    pv_self_used_annual_netting_kwh_yr: float | None = None
    pv_avoided_self_t_co2: float | None = None
    pv_exported_avoided_t_co2: float | None = None
    green_power_avoided_t_co2: float | None = None
    sinks_t_co2: float | None = None
    energy_after_renewables_t_co2: float | None = None
    net_t_co2: float | None = None

    @property
    def pv_avoided_t_co2(self) -> float:
        """PV's avoided emissions, self-used plus exported (tCO2/yr)."""
        return (self.pv_avoided_self_t_co2 or 0.0) + (self.pv_exported_avoided_t_co2 or 0.0)


@dataclass(frozen=True, kw_only=True)
class BalanceMetrics(Section):
    """One scenario's indicator metrics: energy (tce), intensities (tCO2/tce, tce and tCO2 per 10⁴
    yuan), shares (%), value added per tce (yuan) and per km², changes against the baseline (%).
    Park facts given by the user (e.g. ``water_reuse_pct``) are in ``extra``."""

    energy_tce: float | None = None
    t_co2_per_tce: float | None = None
    clean_energy_share_pct: float | None = None
    green_power_share_pct: float | None = None
    non_fossil_share_pct: float | None = None
    renewable_share_pct: float | None = None
    renewable_power_share_pct: float | None = None
    electrification_pct: float | None = None
    tce_per_10k_yuan: float | None = None
    t_co2_per_10k_yuan: float | None = None
    yuan_per_tce: float | None = None
    yuan_per_km2: float | None = None
    green_coverage_pct: float | None = None
    green_land_rate_pct: float | None = None  # 绿地率, beside the green coverage 绿化覆盖率
    pv_self_supply_pct: float | None = None
    t_co2_total: float | None = None  # emissions within the boundary after renewables (a cap's metric)
    t_co2_net: float | None = None
    coal_change_pct: float | None = None
    carbon_intensity_change_pct: float | None = None


@dataclass(frozen=True, kw_only=True)
class BalanceScenario(Section):
    """One scenario (name "现状 status quo" …): its lines, metrics and energy by fuel (amount, tce,
    t_co2 per row)."""

    scenario: str | None = None
    lines: BalanceLines | None = field(default=None, metadata={"of": BalanceLines})
    metrics: BalanceMetrics | None = field(default=None, metadata={"of": BalanceMetrics})
    by_fuel: list[dict] | None = None


@dataclass(frozen=True, kw_only=True)
class IndicatorRow(Section):
    """One indicator checked in one scenario: value (in ``unit``), comparator and threshold,
    status (pass, fail, no data, not applicable), its kind (core/guiding) and source."""

    scenario: str | None = None
    set_key: str | None = None
    indicator_key: str | None = None
    name_zh: str | None = None
    name_en: str | None = None
    metric: str | None = None
    value: float | None = None
    comparator: str | None = None
    threshold: float | None = None
    unit: str | None = None
    status: str | None = None
    status_zh: str | None = None
    applies_if: str | None = None
    kind: str | None = None
    source: str | None = None  # Chinese; source_en in English
    source_en: str | None = None
    note: str | None = None  # English; note_zh in Chinese
    note_zh: str | None = None
    boundary: str | None = None  # the accounting boundary of a CO2 metric (Chinese; boundary_en)
    boundary_en: str | None = None


@dataclass(frozen=True, kw_only=True)
class BalanceSummary(Section):
    """The balance of the accounting year: indicator set, grid factor (kgCO2/kWh), the scenarios
    (the first is the status quo) and the indicator rows of every scenario."""

    year: int | None = None
    indicator_set: str | None = None
    indicator_set_name: str | None = None
    boundary: list[int] | None = None  # scopes counted (gis.carbon.scope)
    boundary_zh: str | None = None
    boundary_en: str | None = None
    grid_kg_co2_per_kwh: float | None = None
    scenarios: list[BalanceScenario] | None = field(default=None, metadata={"rows": BalanceScenario})
    indicators: list[IndicatorRow] | None = field(default=None, metadata={"rows": IndicatorRow})


@dataclass(frozen=True, kw_only=True)
class SinkSummary(Section):
    """Green-space or tree sinks (:meth:`gis.carbon.sinks.SinkResult.to_dict`): net sink,
    removals and sources (tCO2/yr), land and canopy area (m², ha), rows by class."""

    method: str | None = None
    factors: str | None = None
    total_t_co2_yr: float | None = None
    removals_t_co2_yr: float | None = None
    sources_t_co2_yr: float | None = None
    land_area_m2: float | None = None
    land_area_ha: float | None = None
    canopy_area_m2: float | None = None
    double_counted_m2: float | None = None
    boundary_area_m2: float | None = None
    by_class: list[dict] | None = None
    excluded: list | None = None
    problems: list[dict] | None = None


@dataclass(frozen=True, kw_only=True)
class CarbonSummary(Section):
    """The park's carbon account (:meth:`gis.carbon.park_carbon.ParkAccount.summary`): emissions,
    balance and indicators, total sinks (tCO2/yr), green-space and tree sinks."""

    emissions: EmissionsSummary | None = field(default=None, metadata={"of": EmissionsSummary})
    balance: BalanceSummary | None = field(default=None, metadata={"of": BalanceSummary})
    sinks_t_co2_yr: float | None = None
    green_sinks: SinkSummary | None = field(default=None, metadata={"of": SinkSummary})
    tree_sinks: SinkSummary | None = field(default=None, metadata={"of": SinkSummary})
    green_rates: dict | None = None  # green coverage and the green-land rate (gis.carbon.green_rates)

    @property
    def scenarios(self) -> list[BalanceScenario]:
        """The balance's scenarios ([] when there is no balance)."""
        return list((self.balance.scenarios if self.balance else None) or [])

    @property
    def indicators(self) -> list[IndicatorRow]:
        """The balance's indicator rows ([] when there is no balance)."""
        return list((self.balance.indicators if self.balance else None) or [])


# ---- five-colour map, ground PV array, wind, skipped steps ------------------------------------

@dataclass(frozen=True, kw_only=True)
class IntensitySummary(Section):
    """The five-colour township map (:meth:`app.intensity_map.IntensityMap.summary`): townships and
    how many matched statistics, the year (and the previous one), the intensity unit
    (tCO2/10⁴ yuan), the classification (breaks, counts, labels: see
    :meth:`gis.intensity.classify.Classification.to_dict`) and the join."""

    townships: int | None = None
    matched: int | None = None
    year: int | None = None
    previous_year: int | None = None
    intensity_unit: str | None = None
    classification: dict | None = None
    join: dict | None = None
    problems: list[dict] | None = None


@dataclass(frozen=True, kw_only=True)
class ArraySummary(Section):
    """A ground PV array (:meth:`gis.solar.array_energy.ArrayResult.summary`): tables and modules,
    capacity (kWp, MWp, kWac), tilt and azimuth (°), pitch and clearance (m), ground-coverage
    ratio, areas (m²), generation (kWh/yr, GWh/yr, 12 monthly kWh), losses (%), avoided CO2
    (t/yr). Layout details (table size, exclusions, optimum …) are in ``extra``."""

    tables: int | None = None
    modules: int | None = None
    kwp: float | None = None
    mwp: float | None = None
    modules_per_table: int | None = None
    module_w: float | None = None
    tilt_deg: float | None = None
    azimuth_deg: float | None = None
    pitch_m: float | None = None
    gcr: float | None = None
    area_m2: float | None = None
    usable_m2: float | None = None
    kwac: float | None = None
    kwh_yr: float | None = None
    gwh_yr: float | None = None
    kwh_per_kwp: float | None = None
    full_load_hours: float | None = None
    monthly_kwh: list[float] | None = None
    shade_loss_pct: float | None = None
    t_co2_yr: float | None = None
    losses_pct: float | None = None
    grid_factor: dict | None = None
    problems: list[dict] | None = None


@dataclass(frozen=True, kw_only=True)
class WindSummary(Section):
    """Wind turbines (:meth:`gis.wind.farm.FarmResult.summary`): count, capacity (kW), gross and
    net annual energy (MWh), wake loss (%), capacity factor (0–1), full-load hours (h), air
    density (kg/m³), the turbine model, noise at the receptors (dB(A)) and the violations of the
    siting rules. Model settings and the wind resource are in ``extra``."""

    turbines: int | None = None
    capacity_kw: float | None = None
    gross_aep_mwh: float | None = None
    aep_mwh: float | None = None
    wake_loss_pct: float | None = None
    cf: float | None = None
    full_load_hours: float | None = None
    air_density_kg_m3: float | None = None
    turbine: dict | None = None
    receptors: int | None = None
    max_noise_dba: float | None = None
    violations: int | None = None
    violations_by_kind: dict | None = None
    problems: list[dict] | None = None
    violation_rows: list[dict] | None = None


@dataclass(frozen=True, kw_only=True)
class SkippedStep(Section):
    """An analysis that was not run, and why (Chinese and English)."""

    analysis: str | None = None
    zh: str | None = None
    en: str | None = None


@dataclass(frozen=True, kw_only=True)
class EnergySummary(Section):
    """The hourly energy balance (``lingtan energy``, :meth:`gis.energy.system.SystemResult.summary`):
    consumption, on-site generation and the part used on site (kWh/yr), self-sufficiency,
    self-consumption and green-power share (%), grid import/export (kWh/yr) and their peaks (kW),
    curtailment (kWh/yr), battery equivalent cycles, hours fully covered on site (h), avoided CO2
    (t/yr), the bill with and without the on-site sources and storage (yuan/yr) under ``tariff``
    (key, names, source), ``economics`` (capex_yuan, npv_yuan, irr_pct, …), the annual netting kept
    for comparison, generation by source (kWh/yr), the year, step (min), dispatch mode, battery,
    sources, problems, the optional ``sizing`` curve and ``charts`` (the compact chart data of
    :func:`app.charts.energy_data.compact`: heatmaps, duration curves, typical weeks)."""

    load_kwh: float | None = None
    onsite_kwh: float | None = None
    used_onsite_kwh: float | None = None
    self_sufficiency_pct: float | None = None
    self_consumption_pct: float | None = None
    green_share_pct: float | None = None
    grid_import_kwh: float | None = None
    grid_export_kwh: float | None = None
    grid_import_peak_kw: float | None = None
    grid_export_peak_kw: float | None = None
    curtailed_kwh: float | None = None
    battery_cycles: float | None = None
    hours_fully_covered: float | None = None
    t_co2_avoided: float | None = None
    bill_yuan: float | None = None
    bill_before_yuan: float | None = None
    tariff: dict | None = None
    economics: dict | None = None
    annual_netting: dict | None = None
    generation_kwh: dict | None = None
    year: int | None = None
    step_min: int | None = None
    dispatch: str | None = None
    battery: dict | None = None
    sources: dict | None = None
    problems: list[dict] | None = None
    sizing: dict | None = None
    charts: dict | None = None


@dataclass(frozen=True, kw_only=True)
class GradesSummary(Section):
    """Enterprise carbon-efficiency grades (``lingtan grades``, gis.carbon.grades): the year graded
    and the one compared, the number of enterprises, enterprises per grade 1–5 and per level, how
    many were not graded, the benchmark source, the grid factor green electricity was deducted at
    (kgCO2/kWh), the method (standard, breaks, colours), the industries, one row per enterprise
    (L and benchmark L in tCO2/10⁴ yuan, K, level, grade, ranks, changes) and the problems."""

    year: int | None = None
    previous_year: int | None = None
    count: int | None = None
    grades: list[int] | None = None
    levels: dict | None = None
    not_graded: int | None = None
    benchmark_source: str | None = None
    grid_kg_co2_per_kwh: float | None = None
    method: dict | None = None
    industries: list[dict] | None = None
    enterprises: list[dict] | None = None
    problems: list[dict] | None = None


# ---- the whole summary ------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ParkSummary(Section):
    """Everything a run found: the park's facts (top-level keys park, buildings, green …), and per
    analysis its section, None for a step not run. Keys of other steps (an algorithm's summary
    kept in a project, a run's ``outputs`` …) are in ``extra``."""

    facts: ParkFacts = field(default_factory=ParkFacts, metadata={"flat": True})
    pv: PVSummary | None = field(default=None, metadata={"of": PVSummary})
    carbon: CarbonSummary | None = field(default=None, metadata={"of": CarbonSummary})
    intensity: IntensitySummary | None = field(default=None, metadata={"of": IntensitySummary})
    pv_array: ArraySummary | None = field(default=None, metadata={"of": ArraySummary})
    wind: WindSummary | None = field(default=None, metadata={"of": WindSummary})
    energy: EnergySummary | None = field(default=None, metadata={"of": EnergySummary})
    trends: dict | None = None
    """Years (app.park_trends, gis.carbon.trends): totals, by fuel and by sector per year, the sector
    mapping, missing years and the carbon-flow Sankey of each year; read as the JSON it is."""
    pathways: dict | None = None
    """Pathways to 2060 (app.park_pathways, gis.carbon.pathways): the base, history, each scenario's
    milestones and path, the MACC, the tornado and the assumptions; read as the JSON it is."""
    grades: GradesSummary | None = field(default=None, metadata={"of": GradesSummary})
    skipped: list[SkippedStep] | None = field(default=None, metadata={"rows": SkippedStep})
    key_order: tuple[str, ...] = field(default=(), compare=False)
    """The top-level keys in the order of the dict read: sections are added as analyses run, and
    summary.json keeps that order (new keys follow)."""

    ANALYSES: ClassVar[tuple[str, ...]] = ("pv", "carbon", "intensity", "pv_array", "wind")

    @classmethod
    def from_dict(cls, d: dict | ParkSummary | None) -> ParkSummary:
        """The summary of a JSON dict (e.g. a project's saved one); a ParkSummary as it is."""
        if isinstance(d, ParkSummary):
            return d
        d = dict(d or {})
        order = tuple(d)
        facts = ParkFacts.from_dict({k: d.pop(k) for k in ParkFacts.KEYS if k in d})
        clash = {"facts": d.pop("facts")} if "facts" in d else {}  # not a field: a key like any other
        out = super().from_dict(d)
        return dataclasses.replace(out, facts=facts, extra={**out.extra, **clash}, key_order=order)

    def to_dict(self) -> dict:
        """The JSON dict of ``summary.json``: the park's facts, then the sections, then extras."""
        out = {**self.facts.to_dict(), **super().to_dict()}
        ranked = {k: i for i, k in enumerate(self.key_order)}
        return dict(sorted(out.items(), key=lambda kv: ranked.get(kv[0], len(ranked))))

    @property
    def park(self) -> ParkSite:
        """The park's outline (empty when the summary has no park facts)."""
        return self.facts.park or ParkSite()

    @property
    def name(self) -> str:
        """The park's name, or ""."""
        return self.park.name or ""

    def has_analyses(self) -> bool:
        """True when an analysis section is present (not only the park's figures)."""
        return any(getattr(self, k) is not None for k in ("pv", "carbon", "intensity"))

    def skipped_reason(self, analysis: str) -> SkippedStep | None:
        """Why ``analysis`` was not run, as the run recorded it, or None."""
        return next((s for s in self.skipped or [] if isinstance(s, SkippedStep) and s.analysis == analysis),
                    None)

    def replace(self, **sections: Any) -> ParkSummary:
        """A copy with ``sections`` replaced (a dict value is read with the section's class)."""
        types = {f.name: f.metadata.get("of") for f in dataclasses.fields(self)}
        kw = {k: types[k].from_dict(v) if isinstance(v, dict) and types.get(k) else v
              for k, v in sections.items()}
        return dataclasses.replace(self, **kw)
