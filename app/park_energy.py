"""The park's hourly energy system from analyses already run (Run All, the demo, the desktop app):
the energy table's typical profiles as the load, and the rooftop PV, ground array and turbines that
were computed, each as the engine's own hours — nothing is computed twice."""

from __future__ import annotations

import numpy as np

from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

DEMO_TARIFF = "zhejiang_2026"
"""The sample park lies in Hangzhou: Zhejiang's industrial/commercial time-of-use tariff."""


def park_system_inputs(results, *, year: int | None = None, dt_h: float = 1.0, battery=None,
                       tariff_key: str | None = None, dispatch: str = "self"):
    """(SystemInputs, problems, sources) of a :class:`app.results.ParkResults` whose park has an
    enterprise energy table; InputError when it has none."""
    from gis.energy.generation import array_series, rooftop_series, turbines_series
    from gis.energy.park_load import park_load_from_table
    from gis.energy.system import SystemInputs

    park = results.park
    if park is None or park.enterprises is None:
        raise InputError("园区没有企业能耗表，无法逐时平衡负荷（用 lingtan template energy 生成模板）",
                         "The park has no enterprise energy table: there is no load to balance hour by hour "
                         "(lingtan template energy makes the template)", code="energy.no_energy_table")
    ents, load = park_load_from_table(park.enterprises, year, dt_h=dt_h)
    problems: list[Problem] = list(load.problems)
    sources = {"load": f"typical profiles of {len(ents)} enterprise(s) scaled to the energy table's "
                       f"electricity"}
    y = int(load.index[0].year)
    gen: dict[str, np.ndarray] = {}
    caps: dict[str, float] = {}
    grid_kg = None
    weather = None
    if results.pv is not None:
        s = rooftop_series(results.pv, y, dt_h)
        gen["rooftop_pv"], sources["rooftop_pv"] = s.kw, s.source
        caps["pv_kwp"] = float(results.pv.totals["kwp"])
        grid_kg, weather = results.pv.grid_factor.kg_co2_per_kwh, results.pv.weather
        problems += s.problems
    a = results.pv_array
    if a is not None and len(a.tables):
        t = a.tables
        s = array_series(a.totals["monthly_kwh"], a.weather, y, dt_h, tilt_deg=float(t["tilt_deg"].iloc[0]),
                         azimuth_deg=float(t["azimuth_deg"].iloc[0]))
        gen["pv_array"], sources["pv_array"] = s.kw, s.source
        caps["pv_kwp"] = caps.get("pv_kwp", 0.0) + float(t["kwp"].sum())
        weather = weather or a.weather
    w = results.wind
    if w is not None and len(w.turbines) and weather is not None:
        s = turbines_series(w.turbines, weather, y, dt_h)
        gen["wind"], sources["wind"] = s.kw, s.source
        caps["wind_kw"] = float(w.turbines["rated_kw"].astype(float).sum())
        problems += s.problems
    tariff = None
    if tariff_key:
        from gis.energy.tariffs import check_ndrc_2021, load_tariff, price_problems

        tariff = load_tariff(tariff_key)
        problems += check_ndrc_2021(tariff) + price_problems(tariff)
        sources["tariff"] = f"{tariff.name_en}: {tariff.source}"
    kw = {"grid_kg_co2_per_kwh": grid_kg} if grid_kg is not None else {}
    inputs = SystemInputs(index=load.index, dt_h=load.dt_h, load_kw=np.asarray(load.park_kw, float),
                          sources_kw=gen, battery=battery, dispatch=dispatch, tariff=tariff, capacities=caps,
                          **kw)
    return inputs, problems, sources


def add_park_energy(results, *, tariff_key: str | None = None, battery=None, dispatch: str = "self",
                    progress: Progress = NO_PROGRESS):
    """Run the hourly energy system of ``results`` and keep it (``results.energy``,
    ``results.summary["energy"]``); a park without an energy table is skipped with a note."""
    from app.algorithms.energy import chart_data
    from gis.energy.system import simulate

    try:
        inputs, problems, sources = park_system_inputs(results, tariff_key=tariff_key, battery=battery,
                                                       dispatch=dispatch)
    except InputError as e:  # e.g. no energy table, or no electricity in it: the other analyses stand
        results.summary.setdefault("skipped", []).append({"analysis": "energy", "zh": e.zh, "en": e.en})
        return results
    result = simulate(inputs, progress)
    result.problems[:0] = problems
    results.energy = result
    results.summary.pop("energy", None)  # re-run (e.g. after siting): kept after the sections it uses
    results.summary["energy"] = {**result.summary(), "sources": sources, "charts": chart_data(result)}
    return results
