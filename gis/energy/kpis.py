"""Energy KPIs of a dispatch: self-sufficiency, self-consumption, grid flows, battery use.

Definitions (DOMAIN.md §8; docs/energy.md "Dispatch, KPIs and sizing"):

* consumption C = Σ served load · dt, where the served load is the load after the thermal store
  moved chiller electricity (load + thermal charge − thermal discharge);
* on-site energy used on site U = direct use + the on-site share of battery discharge that served
  the load, with, in each interval, direct use = min(onsite − curtailed, served load) (on-site
  output serves the park's own load before anything else), the on-site part of the charge
  = min(charge, what is left of on-site output after direct use), and the rest of the charge taken
  from the grid. The battery is one pool: its discharge is on-site energy in the proportion
  f = Σ on-site charge ÷ Σ charge over the whole period (the starting content is counted in the same
  proportion), so grid-charged energy never counts as on-site energy.
* self-sufficiency (自给率) = U ÷ C; self-consumption (自发自用率) = U ÷ Σ onsite · dt.
* battery cycles = Σ discharge · dt ÷ usable energy (SOC window); capacity fade = cycles ×
  degradation_pct_per_cycle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from gis.energy.dispatch import DispatchResult

COVERED_TOL_KW = 1e-6
"""An interval counts as fully covered when grid import is below this (kW): solver round-off."""


@dataclass(frozen=True)
class EnergyKpis:
    """Totals of one dispatch (kWh, kW, %, h). ``consumption_kwh`` equals ``load_kwh`` unless a
    thermal store shifted (and, by its losses, added to) the chillers' electricity."""

    hours: float
    load_kwh: float
    consumption_kwh: float
    onsite_kwh: float
    used_onsite_kwh: float
    self_sufficiency_pct: float
    self_consumption_pct: float
    grid_import_kwh: float
    grid_export_kwh: float
    grid_import_peak_kw: float
    grid_export_peak_kw: float
    curtailed_kwh: float
    battery_charge_kwh: float
    battery_discharge_kwh: float
    battery_grid_charge_kwh: float
    battery_losses_kwh: float
    battery_cycles: float
    battery_fade_pct: float
    thermal_shifted_kwh: float
    hours_fully_covered: float
    mode: str
    status: str

    def to_dict(self) -> dict:
        return asdict(self)


def energy_kpis(result: DispatchResult) -> EnergyKpis:
    """The KPIs of ``result`` (module docstring for the definitions), all vectorised."""
    r = result
    dt = r.dt_h
    served = r.served_load_kw
    avail = r.onsite_kw - r.curtailed_kw
    direct = np.minimum(avail, served)
    left = avail - direct
    ch_onsite = np.minimum(r.charge_kw, left)
    ch_total = float(r.charge_kw.sum()) * dt
    ch_onsite_total = float(ch_onsite.sum()) * dt
    # without any charge in the period, what it discharges was stored before: not on-site energy
    share = ch_onsite_total / ch_total if ch_total > 0 else 0.0
    dis_to_load = np.minimum(r.discharge_kw, served - direct)
    used = (float(direct.sum()) + share * float(dis_to_load.sum())) * dt
    # the start's stored energy is counted with the period's on-site share, but on-site energy used
    # can never exceed what was generated less what left for the grid or was curtailed
    used = min(used, float((r.onsite_kw - r.grid_export_kw - r.curtailed_kw).sum()) * dt)
    consumption = float(served.sum()) * dt
    onsite = float(r.onsite_kw.sum()) * dt
    dis_total = float(r.discharge_kw.sum()) * dt
    b = r.battery
    usable = b.usable_kwh if b is not None else 0.0
    cycles = dis_total / usable if usable > 0 else 0.0
    soc0 = b.soc_start_kwh if b is not None else 0.0
    soc_end = float(r.soc_kwh[-1]) if r.n and b is not None else soc0
    covered = (r.grid_import_kw < COVERED_TOL_KW) & (served > 0)
    return EnergyKpis(
        hours=r.n * dt,
        load_kwh=float(r.load_kw.sum()) * dt,
        consumption_kwh=consumption,
        onsite_kwh=onsite,
        used_onsite_kwh=used,
        self_sufficiency_pct=100.0 * used / consumption if consumption > 0 else 0.0,
        self_consumption_pct=100.0 * used / onsite if onsite > 0 else 0.0,
        grid_import_kwh=float(r.grid_import_kw.sum()) * dt,
        grid_export_kwh=float(r.grid_export_kw.sum()) * dt,
        grid_import_peak_kw=float(r.grid_import_kw.max()) if r.n else 0.0,
        grid_export_peak_kw=float(r.grid_export_kw.max()) if r.n else 0.0,
        curtailed_kwh=float(r.curtailed_kw.sum()) * dt,
        battery_charge_kwh=ch_total,
        battery_discharge_kwh=dis_total,
        battery_grid_charge_kwh=ch_total - ch_onsite_total,
        # energy in − energy out − what is still stored beyond the start: the conversion losses
        battery_losses_kwh=ch_total - dis_total - (soc_end - soc0),
        battery_cycles=cycles,
        battery_fade_pct=cycles * (b.degradation_pct_per_cycle if b is not None else 0.0),
        thermal_shifted_kwh=float(r.thermal_discharge_kw.sum()) * dt,
        hours_fully_covered=float(covered.sum()) * dt,
        mode=r.mode,
        status=r.status,
    )


def annual_netting(load_kwh, onsite_kwh) -> dict:
    """The old annual netting, labelled, for comparison with the hour-by-hour KPIs.

    load_kwh, onsite_kwh: yearly totals (kWh) or interval series in kWh (summed). Netting assumes
    every kWh generated in the year meets a kWh used in the year: used = min(generation, use),
    nothing is exported unless generation exceeds use over the whole year.
    """
    load = float(np.sum(load_kwh))
    onsite = float(np.sum(onsite_kwh))
    used = min(load, onsite)
    return {
        "method": "annual_netting",
        "label_zh": "全年电量抵扣（不计时段匹配，仅供对比）",
        "label_en": "Annual netting (ignores when energy is made and used; for comparison only)",
        "load_kwh": load,
        "onsite_kwh": onsite,
        "used_onsite_kwh": used,
        "self_sufficiency_pct": 100.0 * used / load if load > 0 else 0.0,
        "self_consumption_pct": 100.0 * used / onsite if onsite > 0 else 0.0,
        "grid_import_kwh": load - used,
        "grid_export_kwh": onsite - used,
    }
