"""The inputs of an hourly energy run, gathered from the files and the park the user gave: the load
(meter data, else typical profiles scaled to the energy table), rooftop PV from the engine or a
series, wind and other sources as series, the battery and the tariff."""

from __future__ import annotations

import numpy as np
import pandas as pd

from app.processing.algorithm import Inputs, first
from app.processing.params import ParamValues
from gis.defaults import DEFAULT_GRID_FACTOR_KEY
from gis.energy.series import fit_to_axis, read_series_csv
from gis.errors import InputError, Problem
from gis.grid_factors import grid_factor
from gis.progress import NO_PROGRESS, Progress


def build_system_inputs(alg, p: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS):
    """(SystemInputs, problems, sources: {what: where from}) for the energy algorithm ``alg``."""
    from gis.energy.system import SystemInputs

    problems: list[Problem] = []
    sources: dict[str, str] = {}
    park, options = alg.park(p, inputs, progress.sub(0.0, 0.1))
    index, dt_h, load_kw, by_entity = _load(p, park, problems, sources, progress.sub(0.1, 0.25))
    year = int(index[0].year)
    gen: dict[str, np.ndarray] = {}
    capacities: dict[str, float] = {}
    grid_kg = grid_factor(DEFAULT_GRID_FACTOR_KEY).kg_co2_per_kwh  # the rooftop run's factor when it runs
    weather = None
    if p.pv:
        gen["pv"] = _series(p.pv, index, dt_h, "光伏出力", "PV output", sources, "pv", problems)
        if p.pv_kwp:
            capacities["pv_kwp"] = float(p.pv_kwp)
    elif p.rooftop and park is not None and park.buildings is not None:
        from app.pv import site_rooftop_pv
        from gis.energy.generation import rooftop_series
        from gis.solar.rooftop import PVSettings

        r = site_rooftop_pv(park.buildings, PVSettings(), weather_path=p.weather or options.get("weather"),
                            progress=progress.sub(0.25, 0.9))
        weather = r.weather
        s = rooftop_series(r, year, dt_h)
        gen["rooftop_pv"] = _cut(s.kw, s.index, index)
        capacities["pv_kwp"] = float(r.totals["kwp"])
        grid_kg = float(r.grid_factor.kg_co2_per_kwh)
        sources["rooftop_pv"] = s.source
        problems += s.problems
    if p.wind:
        gen["wind"] = _series(p.wind, index, dt_h, "风电出力", "wind output", sources, "wind", problems)
        if p.wind_kw:
            capacities["wind_kw"] = float(p.wind_kw)
    elif (turbines := first(inputs.get("turbines"))) is not None and len(turbines.gdf):
        from gis.energy.generation import turbines_series

        weather = weather or _weather_at(turbines.gdf, p.weather or options.get("weather"))
        s = turbines_series(turbines.gdf, weather, year, dt_h)
        gen["wind"] = _cut(s.kw, s.index, index)
        capacities["wind_kw"] = float(turbines.gdf["rated_kw"].astype(float).sum())
        sources["wind"] = s.source
        problems += s.problems
    if p.other:
        gen["other"] = _series(p.other, index, dt_h, "其他电源", "other source", sources, "other", problems)
    if not gen:
        problems.append(Problem("info", "energy.no_onsite", "没有园区内电源：仅核算负荷与电费",
                                "no on-site source: only the load and the bill are accounted"))
    tariff = None
    if p.tariff:
        from gis.energy.tariffs import check_ndrc_2021, load_tariff, price_problems

        tariff = load_tariff(p.tariff)
        problems += check_ndrc_2021(tariff) + price_problems(tariff)
        sources["tariff"] = f"{tariff.name_en}: {tariff.source}"
    progress.report(1.0, "inputs")
    thermal, cooling = _thermal(p, index, dt_h, sources, problems)
    return SystemInputs(index=index, dt_h=dt_h, load_kw=load_kw, sources_kw=gen, battery=alg.battery(p),
                        thermal=thermal, cooling_kw=cooling,
                        dispatch=p.dispatch, tariff=tariff,
                        export_limit_kw=p.export_limit_kw if p.export_limit_kw is not None else float("inf"),
                        grid_charging=p.grid_charging, grid_kg_co2_per_kwh=grid_kg,
                        green_purchase_kwh=p.green_purchase_kwh, capacities=capacities,
                        load_by_entity_kw=by_entity), problems, sources


def _thermal(p: ParamValues, index, dt_h: float, sources: dict, problems: list):
    """(ThermalStore or None, chiller kW or None) of --thermal KW,KWH and --cooling F."""
    if not p.thermal:
        return None, None
    from gis.energy.storage import ThermalStore

    vals = list(p.thermal)
    if len(vals) != 2 or vals[0] <= 0 or vals[1] <= 0:
        raise InputError("--thermal 应写成 功率kW,容量kWh（均大于 0），如 200,800",
                         "--thermal is KW,KWH (both above 0), e.g. 200,800", code="energy.thermal")
    if not p.cooling:
        raise InputError("蓄冷需要冷机用电序列：--cooling 文件（CSV time,kw）",
                         "the thermal store needs the chillers' electricity: --cooling FILE (CSV time,kw)",
                         code="energy.cooling")
    cooling = _series(p.cooling, index, dt_h, "冷机用电", "chiller electricity", sources, "cooling", problems)
    return ThermalStore(power_kw=float(vals[0]), energy_kwh=float(vals[1])), cooling


def _weather_at(gdf, weather_path):
    """The weather of the layer's site (the file given, else the built-in climatology)."""
    from gis.solar.site_weather import site_weather

    x0, y0, x1, y1 = gdf.to_crs("EPSG:4326").total_bounds
    return site_weather((x0 + x1) / 2.0, (y0 + y1) / 2.0, weather_path=weather_path)


def _cut(kw: np.ndarray, full: pd.DatetimeIndex, index: pd.DatetimeIndex) -> np.ndarray:
    """A whole-year series on the positions of ``index`` (a period within that year)."""
    if len(full) == len(index) and (full == index).all():
        return kw
    pos = full.get_indexer(index)
    if (pos < 0).any():
        raise InputError("分析时段超出了该年", "the analysis period leaves the year", code="energy.span")
    return kw[pos]


def _series(path, index, dt_h, zh: str, en: str, sources: dict, key: str, problems: list) -> np.ndarray:
    s = read_series_csv(path, what_zh=zh, what_en=en)
    sources[key] = str(path)
    problems += s.problems
    return fit_to_axis(s, index, dt_h, what_zh=zh, what_en=en)


def _load(p: ParamValues, park, problems: list, sources: dict,
          progress: Progress) -> tuple[pd.DatetimeIndex, float, np.ndarray, pd.DataFrame]:
    """(index, dt_h, park load kW, kW per meter or enterprise): meter data, else the energy
    table's enterprises on typical profiles."""
    if p.load:
        from gis.energy.meter import read_meter

        m = read_meter(p.load)
        problems += m.problems
        if not m.complete:
            raise InputError(f"电表数据 {p.load} 有缺测（见上方问题列表）：请先补齐，Lingtan 不会默默插补",
                             f"the meter data {p.load} have gaps (see the problems listed): fill them first; "
                             "Lingtan does not fill them silently", path=str(p.load), code="energy.load_gaps")
        if m.index[0].year != m.index[-1].year:
            raise InputError("电表数据跨越了两个日历年：请给出一年之内的数据",
                             "the meter data span two calendar years: give data within one year",
                             path=str(p.load), code="energy.load_years")
        sources["load"] = f"meter data {p.load} ({len(m.kw.columns)} meter(s))"
        if p.profile_shapes:
            problems.append(Problem("warning", "energy.shapes_unused",
                                    "有电表数据时不使用典型曲线：负荷日曲线修改未用到",
                                    "with meter data no typical profile is used: the edited load shapes "
                                    "are not used"))
        return m.index, m.dt_h, np.asarray(m.park_kw, float), m.kw
    if park is None or park.enterprises is None:
        raise InputError("没有负荷：请给出电表数据（--load），或带企业能耗表的园区（项目文件、--energy 或 "
                         "--sample）",
                         "no load: give meter data (--load), or a park with an enterprise energy table (a "
                         "project, "
                         "--energy or --sample)", code="energy.no_load")
    from gis.energy.park_load import park_load_from_table

    monthly = None
    if p.bills:
        from gis.energy.park_load import read_monthly_bills

        monthly = read_monthly_bills(p.bills)
        sources["bills"] = f"{p.bills} ({len(monthly)} enterprise(s) calibrated month by month)"
    shapes = None
    if p.profile_shapes:
        from gis.energy.shapes_file import read_profile_shapes

        shapes = read_profile_shapes(p.profile_shapes)
        sources["profile_shapes"] = f"{p.profile_shapes} ({shapes.describe()})"
    ents, pl = park_load_from_table(park.enterprises, p.year, dt_h=int(p.step_min) / 60.0, monthly=monthly,
                                    shapes=shapes)
    problems += pl.problems
    sources["load"] = (f"typical profiles of {len(ents)} enterprise(s) scaled to the energy table's "
                       f"electricity (docs/energy.md)")
    progress.report(1.0, "load")
    return pl.index, pl.dt_h, np.asarray(pl.park_kw, float), pl.kw
