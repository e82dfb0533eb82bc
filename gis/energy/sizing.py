"""Least-cost PV, wind and battery sizes over a year of intervals (one LP, HiGHS), and the
trade-off curve of cost against self-sufficiency.

The sizing LP (docs/energy.md, "Dispatch, KPIs and sizing") has four size columns — PV (kWp),
wind (kW), battery energy E (kWh) and power P (kW) — and, per interval t, import, export, charge,
discharge and SOC. It minimises

    (n·dt/8760)·(c_pv·PV + c_w·W + c_E·E + c_P·P) + Σ_t dt·(p_imp,t·imp_t − p_exp,t·exp_t)
    + D·Σ_months peak import

(annualised costs scaled to the period) subject to, for every t,

    imp_t − exp_t − ch_t + dis_t + pv_t·PV + w_t·W ≥ load_t     (the excess is curtailed)
    soc_t = soc_{t−1} + η_c·dt·ch_t − dt/η_d·dis_t,  soc_{−1} = s_0·E,  soc_{n−1} ≥ s_0·E
    ch_t ≤ P,  dis_t ≤ P,  s_min·E ≤ soc_t ≤ s_max·E,  exp_t ≤ export limit,  P ≤ C_max·E
    ch_t ≤ κ_t·(pv_t·PV + w_t·W),  κ_t = max(0, 1 − load_t / O_t)   (no grid charging)

and, with a target self-sufficiency τ, Σ imp_t·dt ≤ (1 − τ)·Σ load_t·dt. "No grid charging" means
charging only from the surplus max(0, onsite_t − load_t), which is not linear (not even convex) in
PV and W. The row above is its convex hull over 0 ≤ onsite_t ≤ O_t = pv_t·PV_max + w_t·W_max: exact
when the sizes are at 0 or their limits and in every interval where even O_t cannot cover the load
(κ_t = 0, no charging), and tighter than REopt's "charge ≤ on-site output". Where the dispatch
still charges while importing, the KPIs count that charge as grid energy (gis/energy/kpis.py), so
the reported self-sufficiency never overstates. Sizes are continuous.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np

from gis.energy.dispatch import DispatchResult, as_series, check_dt
from gis.energy.kpis import EnergyKpis, energy_kpis
from gis.energy.optimise import (
    EPS_EXPORT_YUAN_KWH,
    EPS_THROUGHPUT_YUAN_KWH,
    INF,
    HighsRun,
    LpBuilder,
    LpSolution,
    Tariff,
    add_demand_rows,
    add_soc_rows,
    bill_yuan,
    check_tariff,
    storage_problems,
)
from gis.energy.storage import Battery
from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

HOURS_PER_YEAR = 8760.0
C_RATE_MAX_DEFAULT = 1.0
"""Battery power ≤ 1 kW per kWh (≥ 1 h duration): the shortest duration of the stationary LFP
systems in NREL's Annual Technology Baseline (1–10 h; commercial cabinets are usually 2 h)."""


@dataclass(frozen=True)
class SizingCosts:
    """Annualised costs (yuan per unit per year): capital × capital recovery factor + fixed O&M,
    computed by the caller (gis/energy economics) for PV (kWp), wind (kW), battery energy (kWh)
    and battery power (kW)."""

    pv_yuan_kwp_yr: float
    wind_yuan_kw_yr: float
    battery_energy_yuan_kwh_yr: float
    battery_power_yuan_kw_yr: float

    def __post_init__(self) -> None:
        for k, v in asdict(self).items():
            if not (math.isfinite(v) and v >= 0):
                raise InputError(f"年化成本 {k} = {v} 无效，应为 ≥ 0 的数。",
                                 f"Annualised cost {k} = {v} is invalid; it must be a number ≥ 0.",
                                 code="energy.sizing_cost")


@dataclass
class SizingResult:
    """One optimal system. annual_cost_yuan: annualised capital (scaled to the period when it is
    not a year) + the bill; bill_yuan: the bill terms (energy, demand, export revenue, total).
    status: 'optimal', 'time_limit' (best feasible answer when stopped), 'target_unreachable' (the
    least-cost system at the highest self-sufficiency reachable), 'infeasible' or 'error'."""

    pv_kwp: float
    wind_kw: float
    battery_kw: float
    battery_kwh: float
    annual_cost_yuan: float
    capital_yuan_yr: float
    bill_yuan: dict[str, float]
    kpis: EnergyKpis | None
    status: str
    target_self_sufficiency_pct: float | None = None
    dispatch: DispatchResult | None = None
    solve_s: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in ("pv_kwp", "wind_kw", "battery_kw", "battery_kwh",
                                           "annual_cost_yuan", "capital_yuan_yr", "status",
                                           "target_self_sufficiency_pct", "solve_s")}
        d["bill_yuan"] = dict(self.bill_yuan)
        d["kpis"] = self.kpis.to_dict() if self.kpis else None
        d["problems"] = [p.to_dict() for p in self.problems]
        return d


def _bound(name: str, v: float, *, finite: bool) -> float:
    v = float(v)
    if not v >= 0 or (finite and not math.isfinite(v)):
        raise InputError(f"{name} = {v} 无效，应为 ≥ 0 的有限数（屋顶/场址的可装容量）。",
                         f"{name} = {v} is invalid; give a finite number ≥ 0 (the roof/site potential).",
                         code="energy.sizing_bound")
    return v


class SizingModel:
    """The sizing LP of one park, built once and solved for several targets (warm starts)."""

    def __init__(self, load_kw, pv_kw_per_kwp, wind_kw_per_kw, dt_h: float, *, costs: SizingCosts,
                 import_price_yuan_kwh, export_price_yuan_kwh=0.0, pv_max_kwp: float = 0.0,
                 wind_max_kw: float = 0.0, battery_max_kwh: float = math.inf,
                 battery_max_kw: float = math.inf, pv_min_kwp: float = 0.0, wind_min_kw: float = 0.0,
                 battery_min_kwh: float = 0.0, battery_min_kw: float = 0.0,
                 battery: Battery | None = None, c_rate_max: float = C_RATE_MAX_DEFAULT,
                 demand_charge_yuan_kw_month: float = 0.0, month_of_interval=None,
                 grid_charging: bool = False, export_limit_kw: float = math.inf) -> None:
        self.problems: list[Problem] = []
        self.dt = dt = check_dt(dt_h)
        self.load = load = as_series("load_kw", load_kw, None, self.problems)
        self.n = n = len(load)
        zeros = np.zeros(n)
        self.pv = zeros if pv_kw_per_kwp is None else as_series("pv_kw_per_kwp", pv_kw_per_kwp, n,
                                                                  self.problems)
        self.wind = zeros if wind_kw_per_kw is None else as_series("wind_kw_per_kw", wind_kw_per_kw,
                                                                   n, self.problems)
        pv_hi = _bound("pv_max_kwp", pv_max_kwp, finite=True) if pv_kw_per_kwp is not None else 0.0
        w_hi = _bound("wind_max_kw", wind_max_kw, finite=True) if wind_kw_per_kw is not None else 0.0
        e_hi = _bound("battery_max_kwh", battery_max_kwh, finite=False)
        p_hi = _bound("battery_max_kw", battery_max_kw, finite=False)
        pv_lo = min(_bound("pv_min_kwp", pv_min_kwp, finite=True), pv_hi)
        w_lo = min(_bound("wind_min_kw", wind_min_kw, finite=True), w_hi)
        e_lo = min(_bound("battery_min_kwh", battery_min_kwh, finite=True), e_hi)
        p_lo = min(_bound("battery_min_kw", battery_min_kw, finite=True), p_hi)
        self.template = b = battery if battery is not None else Battery(0.0, 0.0)
        self.tariff: Tariff = check_tariff(n, import_price_yuan_kwh, export_price_yuan_kwh,
                                           demand_charge_yuan_kw_month, month_of_interval,
                                           self.problems)
        self.export_limit_kw = export_limit_kw
        self.grid_charging = grid_charging
        self.costs = costs
        self.period_share = n * dt / HOURS_PER_YEAR  # annual capital → this period
        lp = LpBuilder()
        t = np.arange(n)
        tar = self.tariff
        self.imp0 = lp.cols(n, cost=tar.imp * dt)
        self.exp0 = lp.cols(n, ub=min(export_limit_kw, INF),
                            cost=-(tar.export_lp - EPS_EXPORT_YUAN_KWH) * dt)
        self.ch0 = lp.cols(n, cost=EPS_THROUGHPUT_YUAN_KWH * dt)
        self.dis0 = lp.cols(n, cost=EPS_THROUGHPUT_YUAN_KWH * dt)
        self.soc0 = lp.cols(n)
        s = self.period_share
        self.min_sizes = (pv_lo, w_lo)
        self.pv_col = lp.cols(1, lb=pv_lo, ub=pv_hi, cost=costs.pv_yuan_kwp_yr * s)
        self.w_col = lp.cols(1, lb=w_lo, ub=w_hi, cost=costs.wind_yuan_kw_yr * s)
        self.e_col = lp.cols(1, lb=e_lo, ub=min(e_hi, INF), cost=costs.battery_energy_yuan_kwh_yr * s)
        self.p_col = lp.cols(1, lb=p_lo, ub=min(p_hi, INF), cost=costs.battery_power_yuan_kw_yr * s)
        rb = lp.rows(n, lower=load)  # balance, ≥: the excess is curtailed
        for c0, sign in ((self.imp0, 1.0), (self.exp0, -1.0), (self.ch0, -1.0), (self.dis0, 1.0)):
            lp.coef(rb + t, c0 + t, sign)
        lp.coef(rb + t, self.pv_col, self.pv)
        lp.coef(rb + t, self.w_col, self.wind)
        # The SOC columns hold soc_t − s_min·E (≥ 0 as a bound): one row per interval fewer than
        # s_min·E ≤ soc_t; the recursion is unchanged because s_min·E cancels out of it.
        start = (b.soc_start_pct - b.soc_min_pct) / 100.0
        add_soc_rows(lp, n, dt, self.soc0, self.ch0, self.dis0, b.eta_charge, b.eta_discharge,
                     start_col=self.e_col, start_coef=start)
        r = lp.rows(1, lower=0.0)  # end SOC ≥ start SOC
        lp.coef(r, [self.soc0 + n - 1, self.e_col], [1.0, -start])
        for c0 in (self.ch0, self.dis0):  # ch_t, dis_t ≤ P
            r = lp.rows(n, upper=0.0)
            lp.coef(r + t, c0 + t, 1.0)
            lp.coef(r + t, self.p_col, -1.0)
        r = lp.rows(n, upper=0.0)  # soc_t − s_min·E ≤ (s_max − s_min)·E
        lp.coef(r + t, self.soc0 + t, 1.0)
        lp.coef(r + t, self.e_col, -(b.soc_max_pct - b.soc_min_pct) / 100.0)
        if not grid_charging:  # ch_t ≤ κ_t·(on-site output), the convex hull of the surplus rule
            omax = pv_hi * self.pv + w_hi * self.wind
            kappa = np.where(omax > load, 1.0 - load / np.where(omax > 0, omax, 1.0), 0.0)
            r = lp.rows(n, upper=0.0)
            lp.coef(r + t, self.ch0 + t, 1.0)
            lp.coef(r + t, self.pv_col, -kappa * self.pv)
            lp.coef(r + t, self.w_col, -kappa * self.wind)
        if math.isfinite(c_rate_max):
            r = lp.rows(1, upper=0.0)
            lp.coef(r, [self.p_col, self.e_col], [1.0, -float(c_rate_max)])
        add_demand_rows(lp, self.imp0, n, tar, dt)
        self.load_kwh = float(load.sum()) * dt
        self.target_row = lp.rows(1)  # Σ imp·dt ≤ (1 − τ)·load; free until a target is set
        lp.coef(self.target_row, self.imp0 + t, dt)
        self.cost = lp.cost().copy()
        self.run = HighsRun(lp)

    def set_target(self, target_pct: float | None) -> None:
        """Require self-sufficiency ≥ target_pct (None: no requirement)."""
        upper = INF if target_pct is None else (1.0 - target_pct / 100.0) * self.load_kwh
        self.run.set_row_bounds(self.target_row, -INF, upper)

    def max_self_sufficiency_pct(self, *, time_limit_s: float, progress: Progress) -> float | None:
        """The highest self-sufficiency the limits allow (%): least import, sizes free within
        bounds; None if the solver stopped without an answer."""
        self.set_target(None)
        only_import = np.zeros_like(self.cost)
        only_import[self.imp0:self.imp0 + self.n] = self.dt
        self.run.set_costs(only_import)
        try:
            sol = self.run.solve(time_limit_s=time_limit_s, progress=progress,
                                 message="最高自给率 / highest self-sufficiency")
        finally:
            self.run.set_costs(self.cost)
        if sol.x is None or self.load_kwh <= 0:
            return None
        return 100.0 * (1.0 - float(sol.x[self.imp0:self.imp0 + self.n].sum()) * self.dt
                        / self.load_kwh)

    def solve(self, target_pct: float | None, *, time_limit_s: float, progress: Progress
              ) -> tuple[LpSolution, SizingResult | None]:
        """Least cost with the given target; the result is None when HiGHS has no point."""
        self.set_target(target_pct)
        sol = self.run.solve(time_limit_s=time_limit_s, progress=progress,
                             message="优化容量配置 / sizing PV, wind and battery")
        if sol.x is None:
            return sol, None
        return sol, self.result(sol, target_pct)

    def minimum_system(self, sol: LpSolution, target_pct: float | None) -> SizingResult | None:
        """The smallest allowed system (PV and wind at their minimum, no battery) with the grid
        taking the rest: always feasible without a target, so a run stopped before HiGHS found a
        point still returns a system. None when it misses ``target_pct``."""
        n = self.n
        x = np.zeros(self.run.highs.getNumCol())
        x[self.pv_col], x[self.w_col] = self.min_sizes
        net = self.load - (self.min_sizes[0] * self.pv + self.min_sizes[1] * self.wind)
        x[self.imp0:self.imp0 + n] = np.maximum(net, 0.0)
        x[self.exp0:self.exp0 + n] = np.minimum(np.maximum(-net, 0.0), self.export_limit_kw)
        res = self.result(LpSolution("time_limit", x, math.nan, sol.seconds, sol.model_status), None)
        if target_pct is not None and res.kpis is not None and (
                res.kpis.self_sufficiency_pct < target_pct):
            return None
        res.target_self_sufficiency_pct = target_pct
        res.problems.append(Problem(
            "warning", "energy.time_limit_minimum",
            "容量优化在时间上限内未找到可行解：给出最小配置（光伏、风电取下限，无储能）作为可行参考，未优化。",
            "The sizing found no feasible answer within its time limit: the smallest system (PV and "
            "wind at their minimum, no battery) is returned as a feasible reference, not optimised."))
        return res

    def result(self, sol: LpSolution, target_pct: float | None) -> SizingResult:
        """The sizes, dispatch, bill and KPIs of a solution."""
        assert sol.x is not None
        x = np.maximum(sol.x, 0.0)
        n, dt = self.n, self.dt
        pv_kwp, wind_kw = float(x[self.pv_col]), float(x[self.w_col])
        e_kwh, p_kw = float(x[self.e_col]), float(x[self.p_col])
        b = self.template
        battery = Battery(p_kw, e_kwh, b.round_trip_pct, b.soc_min_pct, b.soc_max_pct,
                          b.soc_start_pct, b.degradation_pct_per_cycle)
        imp, exp = x[self.imp0:self.imp0 + n], x[self.exp0:self.exp0 + n]
        ch, dis = x[self.ch0:self.ch0 + n], x[self.dis0:self.dis0 + n]
        onsite = pv_kwp * self.pv + wind_kw * self.wind
        curtailed = np.maximum(onsite + dis + imp - ch - exp - self.load, 0.0)
        zeros = np.zeros(n)
        problems = list(self.problems) + storage_problems(ch, dis, imp, exp, p_kw)
        bill = bill_yuan(imp, exp, dt, self.tariff)
        res = DispatchResult(
            dt_h=dt, load_kw=self.load, onsite_kw=onsite, charge_kw=ch, discharge_kw=dis,
            soc_kwh=x[self.soc0:self.soc0 + n] + battery.soc_min_kwh, grid_import_kw=imp, grid_export_kw=exp,
            curtailed_kw=curtailed, thermal_charge_kw=zeros, thermal_discharge_kw=zeros,
            thermal_soc_kwh=zeros, mode="cost", status=sol.status, battery=battery,
            problems=problems, cost_yuan=bill)
        kpis = energy_kpis(res)
        c = self.costs
        capital = self.period_share * (c.pv_yuan_kwp_yr * pv_kwp + c.wind_yuan_kw_yr * wind_kw
                                       + c.battery_energy_yuan_kwh_yr * e_kwh
                                       + c.battery_power_yuan_kw_yr * p_kw)
        grid_share = kpis.battery_grid_charge_kwh / max(kpis.battery_charge_kwh, 1e-9)
        if not self.grid_charging and grid_share > 0.005:
            problems.append(Problem(
                "info", "energy.sizing_relaxed_charge",
                f"容量优化的线性模型无法精确禁止电网充电：{kpis.battery_grid_charge_kwh:,.0f} kWh"
                f"（充电量的 {100 * grid_share:.1f}%）是在购电时段充入的，已计为电网电量。",
                f"The sizing LP cannot forbid grid charging exactly: "
                f"{kpis.battery_grid_charge_kwh:,.0f} kWh ({100 * grid_share:.1f}% of the charge) went "
                "in while importing and counts as grid energy."))
        if target_pct is not None and kpis.self_sufficiency_pct < target_pct - 0.01:
            problems.append(Problem(
                "warning", "energy.target_attribution",
                f"按时段归属计算的自给率 {kpis.self_sufficiency_pct:.2f}% 略低于目标 {target_pct:.2f}%"
                "（电池在购电时段充电，该部分计为电网电量）。",
                f"Self-sufficiency by interval attribution is {kpis.self_sufficiency_pct:.2f}%, "
                f"below the target {target_pct:.2f}% (the battery charged while importing; that "
                "charge counts as grid energy)."))
        return SizingResult(pv_kwp, wind_kw, p_kw, e_kwh, capital + bill["total_yuan"], capital,
                            bill, kpis, sol.status, target_pct, res, sol.seconds, problems)


def _failed(status: str, target: float | None, problems: list[Problem], zh: str, en: str,
            seconds: float = 0.0) -> SizingResult:
    return SizingResult(0.0, 0.0, 0.0, 0.0, math.nan, math.nan, {}, None, status, target, None,
                        seconds, [*problems, Problem("error", f"energy.sizing_{status}", zh, en)])


def size_system(load_kw, pv_kw_per_kwp, wind_kw_per_kw, dt_h: float, *, costs: SizingCosts,
                import_price_yuan_kwh, export_price_yuan_kwh=0.0, pv_max_kwp: float = 0.0,
                wind_max_kw: float = 0.0, battery_max_kwh: float = math.inf,
                battery_max_kw: float = math.inf, pv_min_kwp: float = 0.0, wind_min_kw: float = 0.0,
                battery_min_kwh: float = 0.0, battery_min_kw: float = 0.0,
                battery: Battery | None = None, c_rate_max: float = C_RATE_MAX_DEFAULT,
                target_self_sufficiency_pct: float | None = None,
                demand_charge_yuan_kw_month: float = 0.0, month_of_interval=None,
                grid_charging: bool = False, export_limit_kw: float = math.inf,
                time_limit_s: float = 60.0, progress: Progress = NO_PROGRESS) -> SizingResult:
    """Least-cost PV (kWp), wind (kW) and battery (kW, kWh) for the park (module docstring).

    pv_kw_per_kwp / wind_kw_per_kw: output per unit installed (kW/kWp, kW/kW; None for no such
    source) over the same n intervals as ``load_kw``. pv_max_kwp / wind_max_kw: the roof/array
    potential and the sited turbines (finite); the *_min_* arguments keep existing capacity (a
    size pinned with min = max is evaluated, not optimised). battery: template for efficiency, SOC window and
    start (its power and energy are ignored). target_self_sufficiency_pct: least cost subject to
    at least this self-sufficiency; when it cannot be reached the least-cost system at the highest
    reachable value is returned with status 'target_unreachable'. Stopped by ``time_limit_s``: the
    best feasible answer with status 'time_limit'. Never raises for a solver outcome.
    """
    model = SizingModel(load_kw, pv_kw_per_kwp, wind_kw_per_kw, dt_h, costs=costs,
                        import_price_yuan_kwh=import_price_yuan_kwh,
                        export_price_yuan_kwh=export_price_yuan_kwh, pv_max_kwp=pv_max_kwp,
                        wind_max_kw=wind_max_kw, battery_max_kwh=battery_max_kwh,
                        battery_max_kw=battery_max_kw, pv_min_kwp=pv_min_kwp,
                        wind_min_kw=wind_min_kw, battery_min_kwh=battery_min_kwh,
                        battery_min_kw=battery_min_kw, battery=battery, c_rate_max=c_rate_max,
                        demand_charge_yuan_kw_month=demand_charge_yuan_kw_month,
                        month_of_interval=month_of_interval, grid_charging=grid_charging,
                        export_limit_kw=export_limit_kw)
    progress.report(0.02, "优化容量配置 / sizing")
    sol, res = model.solve(target_self_sufficiency_pct, time_limit_s=time_limit_s,
                           progress=progress.sub(0.02, 0.6 if target_self_sufficiency_pct else 1.0))
    if res is not None:
        return _with_time_note(res, time_limit_s)
    if sol.status == "infeasible" and target_self_sufficiency_pct is not None:
        best = model.max_self_sufficiency_pct(time_limit_s=time_limit_s,
                                              progress=progress.sub(0.6, 0.8))
        if best is not None:
            reach = max(best - 0.01, 0.0)  # a hair below: solver tolerances
            sol2, res = model.solve(reach, time_limit_s=time_limit_s, progress=progress.sub(0.8, 1.0))
            if res is not None:
                res.status = "target_unreachable" if sol2.status == "optimal" else sol2.status
                res.problems.append(Problem(
                    "warning", "energy.target_unreachable",
                    f"目标自给率 {target_self_sufficiency_pct:.1f}% 在给定容量上限内无法达到；"
                    f"最高可达 {best:.1f}%，给出达到该值的最低成本配置。",
                    f"The target self-sufficiency {target_self_sufficiency_pct:.1f}% cannot be "
                    f"reached within the size limits; the highest reachable is {best:.1f}%, and the "
                    "least-cost system reaching it is returned."))
                return _with_time_note(res, time_limit_s)
    if sol.status == "unbounded":
        return _failed("unbounded", target_self_sufficiency_pct, model.problems,
                       "容量优化无界：电池可无限套利。请给出电池容量上限 battery_max_kwh 或送出功率上限。",
                       "The sizing is unbounded: the battery could arbitrage without limit. Give "
                       "battery_max_kwh or an export limit.", sol.seconds)
    if sol.status == "time_limit":
        fallback = model.minimum_system(sol, target_self_sufficiency_pct)
        if fallback is not None:
            return fallback
        return _failed("time_limit", target_self_sufficiency_pct, model.problems,
                       f"容量优化在时间上限 {time_limit_s:g} 秒内未找到可行解，请放宽时间上限或缩短时段。",
                       f"The sizing found no feasible answer within its {time_limit_s:g} s time limit; "
                       "allow more time or use fewer intervals.", sol.seconds)
    return _failed(sol.status, target_self_sufficiency_pct, model.problems,
                   f"容量优化失败（HiGHS：{sol.model_status}）。",
                   f"The sizing failed (HiGHS: {sol.model_status}).", sol.seconds)


def _with_time_note(res: SizingResult, limit_s: float) -> SizingResult:
    if res.status == "time_limit":
        res.problems.append(Problem(
            "warning", "energy.time_limit",
            f"容量优化在时间上限 {limit_s:g} 秒处停止：给出的是找到的最好可行配置，未证明最优。",
            f"The sizing stopped at its {limit_s:g} s time limit: this is the best feasible system "
            "found, not proven optimal."))
    return res


def tradeoff_curve(load_kw, pv_kw_per_kwp, wind_kw_per_kw, dt_h: float, *, costs: SizingCosts,
                   import_price_yuan_kwh, n_points: int = 10, time_limit_s: float = 60.0,
                   progress: Progress = NO_PROGRESS, **kwargs) -> list[SizingResult]:
    """Least cost against self-sufficiency: ``n_points`` (≥ 2) systems from the unconstrained least
    cost to the highest self-sufficiency the limits allow, targets evenly spaced between. Keyword
    arguments as :func:`size_system`; ``time_limit_s`` applies to each solve. The LP is built once
    and re-solved from the previous basis for each target."""
    if n_points < 2:
        raise InputError("权衡曲线至少需要 2 个点。", "A trade-off curve needs at least 2 points.",
                         code="energy.curve_points")
    kwargs.pop("target_self_sufficiency_pct", None)
    model = SizingModel(load_kw, pv_kw_per_kwp, wind_kw_per_kw, dt_h, costs=costs,
                        import_price_yuan_kwh=import_price_yuan_kwh, **kwargs)
    step = 1.0 / (n_points + 1)
    sol, first = model.solve(None, time_limit_s=time_limit_s, progress=progress.sub(0.0, step))
    if first is None or first.kpis is None:
        return [_failed(sol.status, None, model.problems,
                        f"容量优化失败（HiGHS：{sol.model_status}）。",
                        f"The sizing failed (HiGHS: {sol.model_status}).", sol.seconds)]
    best = model.max_self_sufficiency_pct(time_limit_s=time_limit_s,
                                          progress=progress.sub(step, 2 * step))
    lo = first.kpis.self_sufficiency_pct
    hi = max(best - 0.01, lo) if best is not None else lo
    out = [_with_time_note(first, time_limit_s)]
    for i, target in enumerate(np.linspace(lo, hi, n_points)[1:], start=2):
        sol, res = model.solve(float(target), time_limit_s=time_limit_s,
                               progress=progress.sub(i * step, (i + 1) * step))
        if res is not None:
            out.append(_with_time_note(res, time_limit_s))
    return out
