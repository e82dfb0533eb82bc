"""Self-consumption (rule) dispatch of a battery and a cold-water store, interval by interval.

The rule (docs/energy.md, "Dispatch, KPIs and sizing"), for each interval t of ``dt_h`` hours:

* surplus s = onsite − load > 0: the thermal store charges first (min of its power, s and its
  room), then the battery (min of its power, the rest of s and its room ÷ (η_c·dt)); what is left
  is exported up to ``export_limit_kw`` and the rest curtailed;
* deficit d = load − onsite > 0: the thermal store serves cooling first (min of its power, that
  interval's ``cooling_kw``, d and its content), then the battery discharges (min of its power, the
  rest of d and (SOC − SOC_min)·η_d ÷ dt); the rest is imported.

The thermal store goes first both ways because it has no conversion loss and can only be used
against cooling. The battery never charges from the grid. The recursion is sequential; it runs
as a tight loop over plain Python floats (one hourly year ≈ 5 ms, docs/benchmarks.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from gis.energy.storage import Battery, ThermalStore
from gis.errors import InputError, Problem


@dataclass
class DispatchResult:
    """One dispatch of the park's bus; every array has length n, in mean kW over each interval.

    Balance in every interval (kW): onsite − curtailed + discharge + grid_import + thermal_discharge
    = load + charge + grid_export + thermal_charge. ``soc_kwh``/``thermal_soc_kwh`` are the stored
    energies at the *end* of each interval. mode: 'self' (rule), 'cost' (LP) or 'none' (no
    storage). status: 'optimal', 'time_limit' (best feasible answer when the solver was stopped),
    'rule' (the rule dispatch). cost_yuan: the bill terms of a cost-optimal run (energy_yuan,
    demand_yuan, export_revenue_yuan, total_yuan), else empty.
    """

    dt_h: float
    load_kw: np.ndarray
    onsite_kw: np.ndarray
    charge_kw: np.ndarray
    discharge_kw: np.ndarray
    soc_kwh: np.ndarray
    grid_import_kw: np.ndarray
    grid_export_kw: np.ndarray
    curtailed_kw: np.ndarray
    thermal_charge_kw: np.ndarray
    thermal_discharge_kw: np.ndarray
    thermal_soc_kwh: np.ndarray
    mode: str
    status: str = "rule"
    battery: Battery | None = None
    thermal: ThermalStore | None = None
    problems: list[Problem] = field(default_factory=list)
    cost_yuan: dict[str, float] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.load_kw)

    @property
    def served_load_kw(self) -> np.ndarray:
        """Electric consumption after the thermal store shifted the chillers (kW)."""
        return self.load_kw + self.thermal_charge_kw - self.thermal_discharge_kw

    def balance_error_kw(self) -> float:
        """Largest absolute imbalance of the bus over all intervals (kW); ~0 for a valid result."""
        supply = self.onsite_kw - self.curtailed_kw + self.discharge_kw + self.grid_import_kw
        demand = self.served_load_kw + self.charge_kw + self.grid_export_kw
        return float(np.max(np.abs(supply - demand))) if self.n else 0.0

    def to_frame(self, index=None):
        """The interval table (pandas DataFrame, kW and kWh columns) for exports to SAM/HOMER users."""
        import pandas as pd

        cols = {
            "load_kw": self.load_kw, "onsite_kw": self.onsite_kw, "charge_kw": self.charge_kw,
            "discharge_kw": self.discharge_kw, "soc_kwh": self.soc_kwh,
            "grid_import_kw": self.grid_import_kw, "grid_export_kw": self.grid_export_kw,
            "curtailed_kw": self.curtailed_kw,
        }
        if self.thermal is not None:
            cols |= {"thermal_charge_kw": self.thermal_charge_kw,
                     "thermal_discharge_kw": self.thermal_discharge_kw,
                     "thermal_soc_kwh": self.thermal_soc_kwh}
        return pd.DataFrame(cols, index=index)


def as_series(name: str, values, n: int | None, problems: list[Problem]) -> np.ndarray:
    """``values`` as a float64 array of length ``n`` (kW): NaN/inf refused, negatives clipped to 0
    with a warning (PV inverters report small negative night-time values)."""
    a = np.asarray(values, dtype=np.float64).ravel()
    if n is not None and len(a) != n:
        raise InputError(f"序列 {name} 有 {len(a)} 个时段，负荷有 {n} 个：请用同一时间轴。",
                         f"Series {name} has {len(a)} intervals but the load has {n}; "
                         "give them on the same time axis.", code="energy.length")
    bad = ~np.isfinite(a)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"序列 {name} 有 {int(bad.sum())} 个缺失或无效值（第一个在第 {i} 个时段），"
                         "请先补齐。",
                         f"Series {name} has {int(bad.sum())} missing or invalid values (first at "
                         f"interval {i}); fill them first.", code="energy.nan")
    neg = a < 0
    if neg.any():
        problems.append(Problem(
            "warning", "energy.negative_clipped",
            f"序列 {name} 有 {int(neg.sum())} 个负值（最小 {a.min():.3g} kW），按 0 计。",
            f"Series {name} has {int(neg.sum())} negative values (lowest {a.min():.3g} kW); "
            "counted as 0."))
        a = np.maximum(a, 0.0)
    return a


def check_dt(dt_h: float) -> float:
    """The interval length (h), refused unless 0 < dt_h ≤ 24."""
    dt = float(dt_h)
    if not (math.isfinite(dt) and 0 < dt <= 24):
        raise InputError(f"时段长度 dt_h = {dt_h} 小时无效，应为 1、0.5 或 0.25 等。",
                         f"Interval length dt_h = {dt_h} h is invalid; use e.g. 1, 0.5 or 0.25.",
                         code="energy.dt")
    return dt


def _battery_loop(net: list[float], dt: float, b: Battery) -> tuple[list[float], list[float], list[float]]:
    """Charge (kW), discharge (kW) and end SOC (kWh) per interval for net = onsite − load (kW).

    Written for speed: plain floats and local names, no numpy scalars inside the loop.
    """
    p = b.power_kw
    eta_c, eta_d = b.eta_charge, b.eta_discharge
    lo, hi = b.soc_min_kwh, b.soc_max_kwh
    soc = b.soc_start_kwh
    c_per_kwh = 1.0 / (eta_c * dt)  # charge kW that fills one kWh of room in one interval
    d_per_kwh = eta_d / dt  # discharge kW that one kWh of content supports for one interval
    ch: list[float] = [0.0] * len(net)
    dis: list[float] = [0.0] * len(net)
    socs: list[float] = [0.0] * len(net)
    for i, x in enumerate(net):
        if x > 0.0:
            c = (hi - soc) * c_per_kwh
            if x < c:
                c = x
            if p < c:
                c = p
            if c > 0.0:
                ch[i] = c
                soc += c * eta_c * dt
        elif x < 0.0:
            d = (soc - lo) * d_per_kwh
            if -x < d:
                d = -x
            if p < d:
                d = p
            if d > 0.0:
                dis[i] = d
                soc -= d / eta_d * dt
        socs[i] = soc
    return ch, dis, socs


def _thermal_loop(net: list[float], cooling: list[float], dt: float, th: ThermalStore,
                  ) -> tuple[list[float], list[float], list[float]]:
    """Thermal store charge/discharge (electric kW) and end content (kWh), serving first."""
    p = th.power_kw
    keep = 1.0 - th.loss_pct_per_h / 100.0 * dt  # fraction of content kept over one interval
    lo, hi = th.soc_min_kwh, th.soc_max_kwh
    soc = th.soc_start_kwh
    ch = [0.0] * len(net)
    dis = [0.0] * len(net)
    socs = [0.0] * len(net)
    for i, x in enumerate(net):
        kept = soc * keep
        if x > 0.0:
            c = (hi - kept) / dt
            if x < c:
                c = x
            if p < c:
                c = p
            if c > 0.0:
                ch[i] = c
                kept += c * dt
        elif x < 0.0:
            d = (kept - lo) / dt
            if -x < d:
                d = -x
            if cooling[i] < d:
                d = cooling[i]
            if p < d:
                d = p
            if d > 0.0:
                dis[i] = d
                kept -= d * dt
        soc = kept
        socs[i] = soc
    return ch, dis, socs


def dispatch_self_consumption(load_kw, onsite_kw, dt_h: float, battery: Battery | None = None, *,
                              export_limit_kw: float = math.inf, thermal: ThermalStore | None = None,
                              cooling_kw=None) -> DispatchResult:
    """Rule dispatch for self-consumption (module docstring); mean kW per interval of ``dt_h`` h.

    load_kw, onsite_kw: arrays of length n (kW, AC). battery/thermal: the stores, or None.
    export_limit_kw: the grid connection's export limit (kW; surplus above it is curtailed).
    cooling_kw: the chiller electricity inside ``load_kw`` (kW, length n) the thermal store may
    displace; required with ``thermal``.
    """
    problems: list[Problem] = []
    dt = check_dt(dt_h)
    load = as_series("load_kw", load_kw, None, problems)
    n = len(load)
    onsite = as_series("onsite_kw", onsite_kw, n, problems)
    if not export_limit_kw >= 0:
        raise InputError(f"送出功率上限 {export_limit_kw} kW 无效，应 ≥ 0。",
                         f"export_limit_kw = {export_limit_kw} is invalid; it must be ≥ 0.",
                         code="energy.export_limit")
    zeros = np.zeros(n)
    net = onsite - load
    th_ch = th_dis = th_soc = zeros
    if thermal is not None:
        if cooling_kw is None:
            raise InputError("有蓄冷时需要给出制冷用电序列 cooling_kw。",
                             "A thermal store needs the chillers' electricity series cooling_kw.",
                             code="energy.cooling_missing")
        cooling = np.minimum(as_series("cooling_kw", cooling_kw, n, problems), load)
        a, b, c = _thermal_loop(net.tolist(), cooling.tolist(), dt, thermal)
        th_ch, th_dis, th_soc = np.array(a), np.array(b), np.array(c)
        net = net - th_ch + th_dis
    if battery is not None and battery.power_kw > 0 and battery.energy_kwh > 0:
        a, b, c = _battery_loop(net.tolist(), dt, battery)
        ch, dis, soc = np.array(a), np.array(b), np.array(c)
        net = net - ch + dis
        mode = "self"
    else:
        ch = dis = zeros
        soc = np.full(n, battery.soc_start_kwh if battery is not None else 0.0)
        mode = "self" if thermal is not None else "none"
    surplus = np.maximum(net, 0.0)
    export = np.minimum(surplus, export_limit_kw)
    return DispatchResult(
        dt_h=dt, load_kw=load, onsite_kw=onsite, charge_kw=ch, discharge_kw=dis, soc_kwh=soc,
        grid_import_kw=np.maximum(-net, 0.0), grid_export_kw=export, curtailed_kw=surplus - export,
        thermal_charge_kw=th_ch, thermal_discharge_kw=th_dis, thermal_soc_kwh=th_soc, mode=mode,
        status="rule", battery=battery, thermal=thermal, problems=problems)
