"""Sizing LP (gis/energy/sizing.py): against a second formulation solved with scipy's linprog,
against the cost-optimal dispatch at fixed sizes, targets, the trade-off curve, and the paths that
must never end in a bare failure (unreachable target, unbounded, time limit)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from gis.energy.optimise import dispatch_cost_optimal
from gis.energy.sizing import SizingCosts, size_system, tradeoff_curve
from gis.energy.storage import Battery
from gis.errors import InputError

COSTS = SizingCosts(pv_yuan_kwp_yr=300.0, wind_yuan_kw_yr=700.0, battery_energy_yuan_kwh_yr=110.0,
                    battery_power_yuan_kw_yr=60.0)
TEMPLATE = Battery(0, 0, round_trip_pct=85, soc_min_pct=10, soc_max_pct=95, soc_start_pct=50)


def _case(n=72, seed=5):
    rng = np.random.default_rng(seed)
    hour = np.arange(n) % 24
    load = 500 + 200 * ((hour >= 8) & (hour < 20)) + rng.uniform(0, 80, n)
    pv = np.maximum(0, np.sin((hour - 6) / 12 * np.pi)) * rng.uniform(0.3, 0.9, n)  # kW per kWp
    wind = np.clip(rng.weibull(2.0, n) * 0.3, 0, 1)  # kW per kW
    price = np.where(((hour >= 8) & (hour < 11)) | ((hour >= 17) & (hour < 22)), 1.2,
                     np.where((hour >= 23) | (hour < 7), 0.3, 0.7))
    return load, pv, wind, price


def _linprog_sizing(load, pv, wind, price, export_price, pv_max, wind_max, c_rate, target=None):
    """Least cost (yuan) of an independent sizing LP with grid charging allowed and SOC as a
    cumulative sum: x = [imp, exp, ch, dis, PV, W, E, P] (hourly)."""
    n = len(load)
    b = TEMPLATE
    eta = math.sqrt(b.round_trip_pct / 100)
    share = n / 8760
    nv = 4 * n + 4
    imp, exp, ch, dis = (np.arange(n) + k * n for k in range(4))
    PV, W, E, P = 4 * n, 4 * n + 1, 4 * n + 2, 4 * n + 3
    c = np.zeros(nv)
    c[imp], c[exp] = price, -export_price
    c[[PV, W, E, P]] = np.array([COSTS.pv_yuan_kwp_yr, COSTS.wind_yuan_kw_yr,
                                 COSTS.battery_energy_yuan_kwh_yr,
                                 COSTS.battery_power_yuan_kw_yr]) * share
    rows, rhs = [], []

    def add(a, b_):
        rows.append(a)
        rhs.append(b_)

    i = np.arange(n)
    bal = np.zeros((n, nv))  # −(imp − exp − ch + dis + pv·PV + w·W) ≤ −load
    bal[i, imp], bal[i, exp], bal[i, ch], bal[i, dis] = -1, 1, 1, -1
    bal[:, PV], bal[:, W] = -pv, -wind
    add(bal, -load)
    tri = np.tril(np.ones((n, n)))
    soc = np.zeros((n, nv))  # stored energy after t minus the start content
    soc[:, ch], soc[:, dis] = tri * eta, -tri / eta
    up = soc.copy()  # start + Δ ≤ s_max·E
    up[:, E] += (b.soc_start_pct - b.soc_max_pct) / 100
    add(up, np.zeros(n))
    lo = -soc  # start + Δ ≥ s_min·E
    lo[:, E] += (b.soc_min_pct - b.soc_start_pct) / 100
    add(lo, np.zeros(n))
    add(-soc[-1:], np.zeros(1))  # end ≥ start
    for blk in (ch, dis):
        a = np.zeros((n, nv))
        a[i, blk], a[:, P] = 1, -1
        add(a, np.zeros(n))
    a = np.zeros((1, nv))
    a[0, P], a[0, E] = 1, -c_rate
    add(a, np.zeros(1))
    if target is not None:
        a = np.zeros((1, nv))
        a[0, imp] = 1
        add(a, np.array([(1 - target / 100) * load.sum()]))
    bounds = [(0, None)] * (4 * n) + [(0, pv_max), (0, wind_max), (0, None), (0, None)]
    res = linprog(c, A_ub=np.vstack(rows), b_ub=np.concatenate(rhs), bounds=bounds, method="highs")
    assert res.status == 0
    return res.fun


@pytest.mark.parametrize("target", [None, 60.0])
def test_matches_independent_linprog(target):
    load, pv, wind, price = _case()
    r = size_system(load, pv, wind, 1.0, costs=COSTS, import_price_yuan_kwh=price,
                    export_price_yuan_kwh=0.25, pv_max_kwp=1500, wind_max_kw=800, battery=TEMPLATE,
                    c_rate_max=0.5, grid_charging=True, target_self_sufficiency_pct=target)
    ref = _linprog_sizing(load, pv, wind, price, 0.25, 1500, 800, 0.5, target)
    assert r.status == "optimal"
    assert r.annual_cost_yuan == pytest.approx(ref, rel=1e-6, abs=0.5)
    if target is not None:
        assert r.kpis.self_sufficiency_pct >= target - 1e-6
    # capital of a 72 h period is the annualised cost × 72/8760, by hand from the sizes
    cap = (300 * r.pv_kwp + 700 * r.wind_kw + 110 * r.battery_kwh + 60 * r.battery_kw) * 72 / 8760
    assert r.capital_yuan_yr == pytest.approx(cap)
    assert r.battery_kw <= 0.5 * r.battery_kwh + 1e-6
    assert r.dispatch is not None and r.dispatch.balance_error_kw() < 1e-6


def test_fixed_sizes_reproduce_the_dispatch_lp():
    # With every size pinned (min = max) the sizing LP is the cost-optimal dispatch of that system,
    # with the strict "charge only from surplus" rule (κ is exact at the limits).
    load, pv, wind, price = _case()
    r = size_system(load, pv, wind, 1.0, costs=COSTS, import_price_yuan_kwh=price,
                    export_price_yuan_kwh=0.25, pv_min_kwp=900, pv_max_kwp=900, wind_min_kw=400,
                    wind_max_kw=400, battery_max_kwh=0, battery=TEMPLATE)
    d = dispatch_cost_optimal(load, 900 * pv + 400 * wind, 1.0, None,
                              import_price_yuan_kwh=price, export_price_yuan_kwh=0.25)
    assert r.bill_yuan["total_yuan"] == pytest.approx(d.cost_yuan["total_yuan"], rel=1e-7)
    batt = Battery(150, 300, round_trip_pct=85, soc_min_pct=10, soc_max_pct=95, soc_start_pct=50)
    r = size_system(load, pv, wind, 1.0, costs=SizingCosts(300, 700, 0.0, 0.0),
                    import_price_yuan_kwh=price, export_price_yuan_kwh=0.25, pv_min_kwp=900,
                    pv_max_kwp=900, wind_min_kw=400, wind_max_kw=400, battery_min_kwh=300,
                    battery_max_kwh=300, battery_min_kw=150, battery_max_kw=150, battery=TEMPLATE)
    assert r.battery_kwh == pytest.approx(300) and r.battery_kw == pytest.approx(150)
    d = dispatch_cost_optimal(load, 900 * pv + 400 * wind, 1.0, batt, import_price_yuan_kwh=price,
                              export_price_yuan_kwh=0.25)
    assert r.bill_yuan["total_yuan"] == pytest.approx(d.cost_yuan["total_yuan"], rel=1e-6)
    assert r.kpis.battery_grid_charge_kwh == pytest.approx(0, abs=1e-6)


def test_target_is_met_and_costs_at_least_the_unconstrained():
    load, pv, wind, price = _case()
    kw = dict(costs=COSTS, import_price_yuan_kwh=price, export_price_yuan_kwh=0.25,
              pv_max_kwp=1500, wind_max_kw=800, battery=TEMPLATE)
    free = size_system(load, pv, wind, 1.0, **kw)
    target = free.kpis.self_sufficiency_pct + 2
    tied = size_system(load, pv, wind, 1.0, target_self_sufficiency_pct=target, **kw)
    assert tied.status == "optimal"
    assert tied.kpis.self_sufficiency_pct >= target - 1e-6
    assert tied.annual_cost_yuan >= free.annual_cost_yuan - 1e-6
    # the KPI's own bookkeeping: no grid charging, so on-site used = load − import
    k = tied.kpis
    assert k.self_sufficiency_pct == pytest.approx(100 * (1 - k.grid_import_kwh / k.load_kwh),
                                                   abs=0.5)


def test_unreachable_target_returns_the_best_reachable():
    load, pv, _, price = _case()
    r = size_system(load, pv, None, 1.0, costs=COSTS, import_price_yuan_kwh=price,
                    pv_max_kwp=300, battery=TEMPLATE, target_self_sufficiency_pct=95)
    assert r.status == "target_unreachable"
    assert r.kpis is not None and r.kpis.self_sufficiency_pct < 95
    p = next(p for p in r.problems if p.code == "energy.target_unreachable")
    assert "95.0%" in p.en
    # 300 kWp can at best supply what it makes: self-sufficiency ≤ PV energy ÷ load
    assert r.kpis.self_sufficiency_pct <= 100 * 300 * pv.sum() / load.sum() + 1e-6
    assert r.pv_kwp == pytest.approx(300)


def test_tradeoff_curve_rises_in_cost_and_self_sufficiency():
    load, pv, wind, price = _case()
    curve = tradeoff_curve(load, pv, wind, 1.0, costs=COSTS, import_price_yuan_kwh=price,
                           export_price_yuan_kwh=0.25, pv_max_kwp=1500, wind_max_kw=800,
                           battery=TEMPLATE, n_points=5)
    assert len(curve) == 5
    assert curve[0].target_self_sufficiency_pct is None
    ss = [c.kpis.self_sufficiency_pct for c in curve]
    cost = [c.annual_cost_yuan for c in curve]
    assert all(b >= a - 1e-6 for a, b in itertools.pairwise(ss))
    assert all(b >= a - 1e-6 for a, b in itertools.pairwise(cost))
    assert ss[-1] > ss[0] + 2


def test_unbounded_is_reported_not_raised():
    # Free batteries that can buy at 0.3 and sell at 0.9 (both within the same hour's import
    # price) earn without limit when nothing caps their size or the export.
    n = 24
    hour = np.arange(n)
    price = np.where(hour < 12, 0.3, 1.2)
    r = size_system(np.full(n, 100.0), None, None, 1.0, costs=SizingCosts(0, 0, 0, 0),
                    import_price_yuan_kwh=price, export_price_yuan_kwh=np.where(hour < 12, 0.0, 0.9),
                    grid_charging=True, c_rate_max=math.inf)
    assert r.status == "unbounded"
    assert "battery_max_kwh" in r.problems[-1].en


def test_time_limit_returns_the_smallest_system():
    load, pv, wind, price = _case(n=8760)
    r = size_system(load, pv, wind, 1.0, costs=COSTS, import_price_yuan_kwh=price,
                    pv_min_kwp=100, pv_max_kwp=1500, wind_max_kw=800, battery=TEMPLATE,
                    time_limit_s=1e-3)
    assert r.status == "time_limit"
    assert r.pv_kwp == pytest.approx(100) and r.battery_kwh == 0
    assert "energy.time_limit_minimum" in {p.code for p in r.problems}
    assert r.dispatch is not None and r.dispatch.balance_error_kw() < 1e-6


def test_bounds_must_be_finite():
    load, pv, _, price = _case()
    with pytest.raises(InputError, match="pv_max_kwp"):
        size_system(load, pv, None, 1.0, costs=COSTS, import_price_yuan_kwh=price,
                    pv_max_kwp=math.inf)
    with pytest.raises(InputError, match="invalid"):
        SizingCosts(-1, 0, 0, 0)


def test_cancel_stops_highs_mid_solve(monkeypatch):
    import highspy

    from gis.energy import optimise
    from gis.progress import Cancelled, Progress

    runs = []
    init = optimise.HighsRun.__init__

    def keep(self, *a, **kw):
        init(self, *a, **kw)
        runs.append(self)

    monkeypatch.setattr(optimise.HighsRun, "__init__", keep)
    load, pv, wind, price = _case(n=8760)
    reports = []
    p = Progress()

    def callback(fraction, message):
        reports.append(fraction)
        if len(reports) >= 3:  # the first reports from inside HiGHS's iterations
            p.cancel()

    p.callback = callback
    with pytest.raises(Cancelled):
        size_system(load, pv, wind, 1.0, costs=COSTS, import_price_yuan_kwh=price,
                    pv_max_kwp=1500, wind_max_kw=800, battery=TEMPLATE,
                    demand_charge_yuan_kw_month=38, month_of_interval=np.arange(8760) // 730 % 12,
                    progress=p)
    # HiGHS itself was interrupted, not left to finish
    assert runs[0].highs.getModelStatus() == highspy.HighsModelStatus.kInterrupt
