"""Issue 18 speed targets for gis/energy: a year of hourly balance + rule dispatch ≤ 50 ms, a
15-min year ≤ 200 ms, a cost-optimal dispatch of a year ≤ 1 s, a full-year sizing ≤ 15 s on this
2-core machine.

Run: python benchmarks/bench_energy.py   (prints the machine and the times; record them in
docs/benchmarks.md, "Hour by hour (gis/energy)"). The park is synthetic and deterministic: a
two-shift factory of ~28 GWh/yr (near the DOMAIN.md §8 example's 26.21 GWh), PV as a clear-sky sine with
day-to-day cloudiness, wind with hour-to-hour persistence (AR(1)) through a Weibull marginal, and a
peak/flat/valley tariff with a demand charge (illustrative prices of the size found in provincial
industrial time-of-use tables, peak/valley 3.6:1; DOMAIN.md §8).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_foundation import machine  # noqa: E402
from gis.energy.dispatch import dispatch_self_consumption  # noqa: E402
from gis.energy.kpis import energy_kpis  # noqa: E402
from gis.energy.optimise import dispatch_cost_optimal  # noqa: E402
from gis.energy.sizing import SizingCosts, size_system, tradeoff_curve  # noqa: E402
from gis.energy.storage import Battery  # noqa: E402


def park(dt_h: float, seed: int = 18):
    """load (kW), PV (kW per kWp), wind (kW per kW), import price, month index; n = 8760/dt_h."""
    rng = np.random.default_rng(seed)
    n = round(8760 / dt_h)
    t_h = np.arange(n) * dt_h
    hour, day = t_h % 24, (t_h // 24).astype(int)
    weekday = day % 7 < 6  # six-day week
    shift = ((hour >= 8) & (hour < 24)) & weekday
    load = 1800 + 2400 * shift + 300 * np.cos((day - 200) / 365 * 2 * np.pi) + rng.normal(0, 120, n)
    cloud = np.repeat(rng.uniform(0.25, 1.0, day.max() + 1), 1)[day]
    pv = np.maximum(0, np.sin((hour - 6) / 12 * np.pi)) * 0.82 * cloud
    z = np.empty(n)
    z[0] = 0.0
    eps = rng.normal(0, 1, n)
    phi = 0.97 ** dt_h  # hour-to-hour persistence of wind
    for i in range(1, n):  # building the test data, not the code under test
        z[i] = phi * z[i - 1] + np.sqrt(1 - phi * phi) * eps[i]
    u = 0.5 * (1 + np.tanh(z * 0.8))  # roughly uniform marginal
    speed = 7.0 * (-np.log(1 - np.clip(u, 1e-6, 1 - 1e-6))) ** (1 / 2.0)  # Weibull A = 7, k = 2
    wind = np.clip(((speed - 3) / (12 - 3)) ** 3, 0, 1) * (speed < 25)
    peak = ((hour >= 8) & (hour < 11)) | ((hour >= 17) & (hour < 22))
    valley = (hour >= 0) & (hour < 8)
    price = np.where(peak, 1.05, np.where(valley, 0.29, 0.64))
    month = np.minimum((day * 12) // 365, 11)
    return np.maximum(load, 0), pv, wind, price, month


def best_of(k: int, f):
    times, out = [], None
    for _ in range(k):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def dispatch_figures(dt: float) -> None:
    """Rule and cost-optimal dispatch of the synthetic park at interval dt (h)."""
    load, pv, wind, price, month = park(dt)
    onsite = 3200 * pv + 9300 * wind * 0.3  # 3.2 MWp rooftop + wind scaled to the load
    b = Battery(250, 1000)
    t, r = best_of(5, lambda: energy_kpis(dispatch_self_consumption(load, onsite, dt, b)))
    print(f"rule dispatch + KPIs, {len(load)} intervals (dt {dt} h): {t * 1000:.1f} ms  "
          f"(self-sufficiency {r.self_sufficiency_pct:.1f}%)")
    for gc in (False, True):
        t, r = best_of(2, lambda gc=gc: dispatch_cost_optimal(
            load, onsite, dt, b, import_price_yuan_kwh=price, export_price_yuan_kwh=0.39,
            demand_charge_yuan_kw_month=38.0, month_of_interval=month, grid_charging=gc))
        print(f"cost-optimal dispatch, {len(load)} intervals, demand charge, grid charging "
              f"{'on' if gc else 'off'}: {t:.2f} s ({r.status}, bill {r.cost_yuan['total_yuan']:,.0f})")


def main() -> None:
    print(f"machine: {machine()}")
    for dt in (1.0, 0.25):
        dispatch_figures(dt)
    load, pv, wind, price, month = park(1.0)
    costs = SizingCosts(pv_yuan_kwp_yr=260.0, wind_yuan_kw_yr=420.0, battery_energy_yuan_kwh_yr=95.0,
                        battery_power_yuan_kw_yr=45.0)
    kw = dict(costs=costs, import_price_yuan_kwh=price, export_price_yuan_kwh=0.39,
              pv_max_kwp=20000.0, wind_max_kw=20000.0, battery=Battery(0, 0))
    for dem in (0.0, 38.0):
        t0 = time.perf_counter()
        r = size_system(load, pv, wind, 1.0, demand_charge_yuan_kw_month=dem, month_of_interval=month,
                        **kw)
        t = time.perf_counter() - t0
        print(f"sizing, 8760 h, demand charge {dem:g}: {t:.1f} s ({r.status}; PV {r.pv_kwp:,.0f} kWp, "
              f"wind {r.wind_kw:,.0f} kW, battery {r.battery_kw:,.0f} kW / {r.battery_kwh:,.0f} kWh, "
              f"self-sufficiency {r.kpis.self_sufficiency_pct if r.kpis else float('nan'):.1f}%)")
    t0 = time.perf_counter()
    curve = tradeoff_curve(load, pv, wind, 1.0, n_points=10, **kw)
    t = time.perf_counter() - t0
    print(f"trade-off curve, 10 points, 8760 h: {t:.1f} s")
    for r in curve:
        print(f"  self-sufficiency {r.kpis.self_sufficiency_pct if r.kpis else float('nan'):5.1f}%  "
              f"cost {r.annual_cost_yuan:,.0f} yuan/yr  ({r.solve_s:.1f} s, {r.status})")


if __name__ == "__main__":
    main()
