"""Cost-optimal dispatch: a linear programme over the whole period, solved with HiGHS (``highspy``).

The LP (docs/energy.md, "Dispatch, KPIs and sizing") is in :func:`dispatch_cost_optimal`; the
sizing LP (gis/energy/sizing.py) uses the same machinery: columns added in blocks (one block = one
quantity over all intervals) and coefficients as numpy triplets, so a year of hours (tens of
thousands of columns and rows) is assembled with a few array operations and handed to HiGHS in one
``passModel``. :class:`HighsRun` keeps the solver so a caller can change bounds or costs and solve
again from the last basis (the trade-off curve), stops at a time limit, honours cancel through
HiGHS's interrupt callbacks, and reports progress.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from dataclasses import dataclass

import highspy
import numpy as np

from gis.energy.dispatch import DispatchResult, as_series, check_dt, dispatch_self_consumption
from gis.energy.storage import Battery
from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Cancelled, Progress

INF = highspy.kHighsInf
_BANNER_LOCK = threading.Lock()
_banner_shown = False


def new_highs() -> highspy.Highs:
    """A silent ``Highs``. HiGHS prints its banner on stdout at the first construction in a
    process (before any option can silence it), which would corrupt ``--json`` output: the first
    construction runs with file descriptor 1 pointed at the null device."""
    global _banner_shown
    with _BANNER_LOCK:
        if _banner_shown:
            h = highspy.Highs()
        else:
            _banner_shown = True
            try:
                sys.stdout.flush()
                saved = os.dup(1)
            except (OSError, ValueError, AttributeError):  # no fd 1 (Windows GUI): nothing to hide
                h = highspy.Highs()
            else:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                try:
                    h = highspy.Highs()
                finally:
                    os.dup2(saved, 1)
                    os.close(saved)
                    os.close(null)
    h.setOptionValue("output_flag", False)
    return h


class LpBuilder:
    """Columns (bounds, costs) and rows (bounds, coefficients) of a minimisation LP."""

    def __init__(self) -> None:
        self._lb: list[np.ndarray] = []
        self._ub: list[np.ndarray] = []
        self._cost: list[np.ndarray] = []
        self._rlo: list[np.ndarray] = []
        self._rup: list[np.ndarray] = []
        self._ri: list[np.ndarray] = []
        self._ci: list[np.ndarray] = []
        self._v: list[np.ndarray] = []
        self.n_col = 0
        self.n_row = 0

    def cols(self, n: int, lb=0.0, ub=INF, cost=0.0) -> int:
        """Add ``n`` columns; returns the index of the first. lb/ub/cost: scalars or length-n."""
        self._lb.append(np.broadcast_to(np.asarray(lb, float), (n,)))
        self._ub.append(np.broadcast_to(np.asarray(ub, float), (n,)))
        self._cost.append(np.broadcast_to(np.asarray(cost, float), (n,)))
        start = self.n_col
        self.n_col += n
        return start

    def rows(self, n: int, lower=-INF, upper=INF) -> int:
        """Add ``n`` rows lower ≤ a·x ≤ upper; returns the index of the first."""
        self._rlo.append(np.broadcast_to(np.asarray(lower, float), (n,)))
        self._rup.append(np.broadcast_to(np.asarray(upper, float), (n,)))
        start = self.n_row
        self.n_row += n
        return start

    def coef(self, rows, cols, vals) -> None:
        """Matrix entries a[rows, cols] = vals (broadcast together; no duplicate pairs)."""
        r, c, v = np.broadcast_arrays(np.asarray(rows, np.int64), np.asarray(cols, np.int64),
                                      np.asarray(vals, float))
        self._ri.append(r.ravel())
        self._ci.append(c.ravel())
        self._v.append(v.ravel())

    def cost(self) -> np.ndarray:
        return np.concatenate(self._cost) if self._cost else np.zeros(0)

    def to_highs(self) -> highspy.HighsLp:
        """The model in HiGHS's column-wise sparse form."""
        r = np.concatenate(self._ri) if self._ri else np.zeros(0, np.int64)
        c = np.concatenate(self._ci) if self._ci else np.zeros(0, np.int64)
        v = np.concatenate(self._v) if self._v else np.zeros(0)
        keep = v != 0.0
        r, c, v = r[keep], c[keep], v[keep]
        order = np.lexsort((r, c))
        r, c, v = r[order], c[order], v[order]
        start = np.zeros(self.n_col + 1, np.int64)
        np.cumsum(np.bincount(c, minlength=self.n_col), out=start[1:])
        lp = highspy.HighsLp()
        lp.num_col_ = self.n_col
        lp.num_row_ = self.n_row
        lp.col_cost_ = self.cost()
        lp.col_lower_ = np.concatenate(self._lb)
        lp.col_upper_ = np.concatenate(self._ub)
        lp.row_lower_ = np.concatenate(self._rlo) if self._rlo else np.zeros(0)
        lp.row_upper_ = np.concatenate(self._rup) if self._rup else np.zeros(0)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_ = self.n_col
        lp.a_matrix_.num_row_ = self.n_row
        lp.a_matrix_.start_ = start
        lp.a_matrix_.index_ = r
        lp.a_matrix_.value_ = v
        return lp


@dataclass
class LpSolution:
    """status: 'optimal', 'time_limit' (x is HiGHS's primal-feasible point, or None when it had
    none), 'infeasible', 'unbounded' or 'error'; seconds: wall time of the solve."""

    status: str
    x: np.ndarray | None
    objective: float
    seconds: float
    model_status: str


class HighsRun:
    """One HiGHS instance holding a model; :meth:`solve` may be called again after changes."""

    def __init__(self, lp: LpBuilder, *, solver: str = "choose") -> None:
        self.highs = new_highs()
        self.highs.setOptionValue("solver", solver)
        self.highs.passModel(lp.to_highs())
        self._progress: Progress = NO_PROGRESS
        self._cancelled = False
        self._t0 = 0.0
        self._last = 0.0
        self._limit = INF
        self._message = ""
        self.highs.cbSimplexInterrupt.subscribe(self._interrupt)
        self.highs.cbIpmInterrupt.subscribe(self._interrupt)

    def _interrupt(self, e) -> None:
        """Called by HiGHS during the solve: stop on cancel; report time-based progress ~5×/s."""
        now = time.perf_counter()
        if now - self._last < 0.2:
            return
        self._last = now
        try:
            frac = min((now - self._t0) / self._limit, 0.99) if self._limit < INF else 0.5
            self._progress.report(frac, self._message)
        except Cancelled:
            self._cancelled = True
            e.interrupt()

    def solve(self, *, time_limit_s: float = 60.0, progress: Progress = NO_PROGRESS,
              message: str = "") -> LpSolution:
        """Run HiGHS; never raises for a time limit or an infeasible model (see LpSolution),
        raises :class:`Cancelled` when the user cancelled."""
        self._progress, self._message = progress, message
        self._limit = max(float(time_limit_s), 0.0)
        self._cancelled = False
        # HiGHS's time limit counts the instance's whole run time: a re-solve gets its own budget
        run_so_far = self.highs.getRunTime()
        self.highs.setOptionValue("time_limit", run_so_far + self._limit if self._limit < INF else INF)
        progress.check()
        self._t0 = self._last = time.perf_counter()
        self.highs.run()
        seconds = time.perf_counter() - self._t0
        if self._cancelled or progress.cancelled:
            raise Cancelled()
        ms = self.highs.getModelStatus()
        info = self.highs.getInfo()
        feasible = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
        x = np.asarray(self.highs.getSolution().col_value, float) if feasible else None
        obj = float(info.objective_function_value) if feasible else float("nan")
        if ms == highspy.HighsModelStatus.kOptimal:
            status = "optimal"
        elif ms in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kIterationLimit):
            status = "time_limit"
        elif ms == highspy.HighsModelStatus.kInfeasible:
            status, x = "infeasible", None
        elif ms in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
            status, x = "unbounded", None
        else:
            status = "error"
        progress.report(1.0, message)
        return LpSolution(status, x, obj, seconds, self.highs.modelStatusToString(ms))

    def set_row_bounds(self, row: int, lower: float, upper: float) -> None:
        self.highs.changeRowBounds(row, lower, upper)

    def set_costs(self, cost: np.ndarray) -> None:
        idx = np.arange(len(cost), dtype=np.int32)
        self.highs.changeColsCost(len(cost), idx, np.asarray(cost, float))


# ---------------------------------------------------------------------------------------------
# Tie-breaking costs (yuan/kWh). With η < 1 and import prices > 0, charging and discharging in the
# same interval only wastes energy that has to be bought, so an optimum never does it, but when
# surplus is curtailed anyway (free energy) or the battery is idle the LP has ties. These tiny
# costs, ~10⁻⁵ of any tariff, pick the physical choice: no simultaneous charge and discharge, export
# rather than curtail, no import and export in the same interval. They are left out of the bill.
EPS_THROUGHPUT_YUAN_KWH = 1e-5
EPS_EXPORT_YUAN_KWH = 1e-5
EPS_CURTAIL_YUAN_KWH = 2e-5


@dataclass
class Tariff:
    """Per-interval prices checked for the LPs. export_lp: the export price the LP sees, at most
    the import price in the same interval (an LP cannot say 'not both at once'; without the cap it
    would buy and sell the same kWh); the bill uses the real ``export``. month: 0..M−1 index of the
    month of each interval among the months present; n_months: M."""

    imp: np.ndarray
    export: np.ndarray
    export_lp: np.ndarray
    demand_yuan_kw_month: float
    month: np.ndarray
    n_months: int


def _prices(name: str, values, n: int) -> np.ndarray:
    """A price per interval (yuan/kWh) from a number or a length-n series; NaN refused."""
    a = np.asarray(values, float)
    a = np.full(n, float(a)) if a.ndim == 0 else a.ravel()
    as_series(name, a, n, [])  # length and NaN checks; its clipping of negatives is not used
    return a


def check_tariff(n: int, import_price_yuan_kwh, export_price_yuan_kwh, demand_charge_yuan_kw_month,
                 month_of_interval, problems: list[Problem]) -> Tariff:
    """Validate the tariff inputs of the LPs (InputError naming what is wrong and how to fix it)."""
    imp = _prices("import_price_yuan_kwh", import_price_yuan_kwh, n)
    if (imp < 0).any():
        raise InputError("购电价格不能为负（分时电价表中请检查）。",
                         "Import prices must not be negative; check the time-of-use table.",
                         code="energy.price_negative")
    exp_raw = _prices("export_price_yuan_kwh", export_price_yuan_kwh, n)
    dem = float(demand_charge_yuan_kw_month)
    if not (np.isfinite(dem) and dem >= 0):
        raise InputError(f"需量电价 {dem} 元/kW·月无效，应 ≥ 0。",
                         f"Demand charge {dem} yuan/kW·month is invalid; it must be ≥ 0.",
                         code="energy.demand_charge")
    if month_of_interval is None:
        if dem > 0:
            raise InputError("按需量计费时需要每个时段所属的月份 month_of_interval（0–11）。",
                             "A demand charge needs month_of_interval (0–11) for every interval.",
                             code="energy.months_missing")
        months = np.zeros(n, np.int64)
    else:
        months = np.asarray(month_of_interval).ravel()
        if len(months) != n or not np.all((months >= 0) & (months <= 11)):
            raise InputError("month_of_interval 应为每个时段一个 0–11 的月份序号。",
                             "month_of_interval must give a month 0–11 for every interval.",
                             code="energy.months")
    present, month = np.unique(months.astype(np.int64), return_inverse=True)
    over = exp_raw > imp
    if over.any():
        problems.append(Problem(
            "info", "energy.export_above_import",
            f"{int(over.sum())} 个时段上网电价高于购电价：优化时按购电价计上网收益"
            "（线性规划无法表达“不同时买卖”），账单按实际上网电价计算。",
            f"In {int(over.sum())} intervals the export price is above the import price: the "
            "optimisation values those exports at the import price (an LP cannot express 'not "
            "buying and selling at once'); the bill uses the real export price."))
    return Tariff(imp, exp_raw, np.minimum(exp_raw, imp), dem, month, len(present))


def bill_yuan(import_kw, export_kw, dt_h: float, tariff: Tariff) -> dict[str, float]:
    """Energy charge, demand charge (each month's peak import × the charge), export revenue and
    their total (yuan) at the real prices."""
    energy = float(np.dot(import_kw, tariff.imp)) * dt_h
    revenue = float(np.dot(export_kw, tariff.export)) * dt_h
    demand = 0.0
    if tariff.demand_yuan_kw_month > 0:
        peaks = np.zeros(tariff.n_months)
        np.maximum.at(peaks, tariff.month, np.asarray(import_kw, float))
        demand = float(peaks.sum()) * tariff.demand_yuan_kw_month
    return {"energy_yuan": energy, "demand_yuan": demand, "export_revenue_yuan": revenue,
            "total_yuan": energy + demand - revenue}


def add_demand_rows(lp: LpBuilder, imp0: int, n: int, tariff: Tariff, dt_h: float) -> None:
    """Monthly peak columns (cost: the demand charge) and rows import_t − peak_{month(t)} ≤ 0."""
    if tariff.demand_yuan_kw_month <= 0:
        return
    p0 = lp.cols(tariff.n_months, cost=tariff.demand_yuan_kw_month)
    r0 = lp.rows(n, upper=0.0)
    t = np.arange(n)
    lp.coef(r0 + t, imp0 + t, 1.0)
    lp.coef(r0 + t, p0 + tariff.month, -1.0)


def storage_problems(ch, dis, imp, exp, power_kw: float) -> list[Problem]:
    """Warnings for simultaneous charge/discharge and import/export in a solution."""
    out = []
    tol = 1e-6 * max(power_kw, 1.0)
    both = (ch > tol) & (dis > tol)
    if both.any():
        out.append(Problem("warning", "energy.simultaneous_charge",
                           f"{int(both.sum())} 个时段电池同时充放电（结果仍可行，但有额外损耗）。",
                           f"The battery charges and discharges in the same interval in "
                           f"{int(both.sum())} intervals (feasible, with extra losses)."))
    both = (imp > tol) & (exp > tol)
    if both.any():
        out.append(Problem("warning", "energy.simultaneous_import_export",
                           f"{int(both.sum())} 个时段同时购电和上网。",
                           f"Import and export in the same interval in {int(both.sum())} intervals."))
    return out


def dispatch_cost_optimal(load_kw, onsite_kw, dt_h: float, battery: Battery | None, *,
                          import_price_yuan_kwh, export_price_yuan_kwh=0.0,
                          demand_charge_yuan_kw_month: float = 0.0, month_of_interval=None,
                          grid_charging: bool = False, export_limit_kw: float = math.inf,
                          time_limit_s: float = 60.0, progress: Progress = NO_PROGRESS,
                          ) -> DispatchResult:
    """Least-cost battery dispatch over the whole period (LP, HiGHS); kW per interval of dt_h h.

    Minimises Σ_t dt·(p_imp,t·import_t − p_exp,t·export_t) + D·Σ_months peak import (yuan) subject
    to the bus balance, the SOC recursion with η_c = η_d = √η_rt, the power and SOC limits, the
    export limit and an end SOC ≥ the start SOC (the battery is not emptied for free at the end).
    Without ``grid_charging`` the charge in each interval is at most that interval's on-site
    surplus (onsite − load). Prices: import (yuan/kWh, length n), export (yuan/kWh, length n or a
    number); demand charge D (yuan/kW·month) on each month's peak import (``month_of_interval``,
    0..11). When HiGHS stops at ``time_limit_s`` the best feasible point is returned with status
    'time_limit'; if it had none yet, the self-consumption rule dispatch is returned (also feasible)
    with a warning.
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
    tariff = check_tariff(n, import_price_yuan_kwh, export_price_yuan_kwh,
                          demand_charge_yuan_kw_month, month_of_interval, problems)
    b = battery if battery is not None and battery.power_kw > 0 and battery.energy_kwh > 0 else None
    progress.report(0.0, "构建优化模型 / building the LP")
    p_kw = b.power_kw if b else 0.0
    surplus = np.maximum(onsite - load, 0.0)
    lp = LpBuilder()
    imp0 = lp.cols(n, cost=tariff.imp * dt)
    exp0 = lp.cols(n, ub=min(export_limit_kw, INF),
                   cost=-(tariff.export_lp - EPS_EXPORT_YUAN_KWH) * dt)
    ch0 = lp.cols(n, ub=p_kw if grid_charging else np.minimum(p_kw, surplus),
                  cost=EPS_THROUGHPUT_YUAN_KWH * dt)
    dis0 = lp.cols(n, ub=p_kw, cost=EPS_THROUGHPUT_YUAN_KWH * dt)
    soc_lo = np.full(n, b.soc_min_kwh if b else 0.0)
    soc_lo[-1:] = b.soc_start_kwh if b else 0.0  # end SOC ≥ start SOC
    soc0 = lp.cols(n, lb=soc_lo, ub=b.soc_max_kwh if b else 0.0)
    cur0 = lp.cols(n, ub=onsite, cost=EPS_CURTAIL_YUAN_KWH * dt)
    t = np.arange(n)
    rb = lp.rows(n, lower=load - onsite, upper=load - onsite)  # imp − exp − ch + dis − curt
    for c0, sign in ((imp0, 1.0), (exp0, -1.0), (ch0, -1.0), (dis0, 1.0), (cur0, -1.0)):
        lp.coef(rb + t, c0 + t, sign)
    add_soc_rows(lp, n, dt, soc0, ch0, dis0, b.eta_charge if b else 1.0,
                 b.eta_discharge if b else 1.0, start_kwh=b.soc_start_kwh if b else 0.0)
    add_demand_rows(lp, imp0, n, tariff, dt)
    run = HighsRun(lp)
    sol = run.solve(time_limit_s=time_limit_s, progress=progress.sub(0.05, 0.98),
                    message="求解经济调度 / solving the cost-optimal dispatch")
    if sol.x is None:
        return _fallback(load, onsite, dt, battery, export_limit_kw, tariff, sol, problems,
                         time_limit_s)
    x = np.maximum(sol.x, 0.0)
    ch, dis = x[ch0:ch0 + n], x[dis0:dis0 + n]
    imp, exp, cur = x[imp0:imp0 + n], x[exp0:exp0 + n], x[cur0:cur0 + n]
    soc = x[soc0:soc0 + n] if b else np.full(n, battery.soc_start_kwh if battery else 0.0)
    problems += storage_problems(ch, dis, imp, exp, p_kw)
    if sol.status == "time_limit":
        problems.append(_time_limit_problem(time_limit_s, found=True))
    zeros = np.zeros(n)
    return DispatchResult(
        dt_h=dt, load_kw=load, onsite_kw=onsite, charge_kw=ch, discharge_kw=dis, soc_kwh=soc,
        grid_import_kw=imp, grid_export_kw=exp, curtailed_kw=cur, thermal_charge_kw=zeros,
        thermal_discharge_kw=zeros, thermal_soc_kwh=zeros, mode="cost" if b else "none",
        status=sol.status, battery=battery, problems=problems,
        cost_yuan=bill_yuan(imp, exp, dt, tariff) | {"solve_s": sol.seconds})


def add_soc_rows(lp: LpBuilder, n: int, dt: float, soc0: int, ch0: int, dis0: int, eta_c: float,
                 eta_d: float, *, start_kwh: float = 0.0, start_col: int | None = None,
                 start_coef: float = 0.0) -> int:
    """Rows soc_t − soc_{t−1} − η_c·dt·ch_t + dt/η_d·dis_t = 0, soc_{−1} being ``start_kwh`` (a
    number) or ``start_coef``·x[start_col] (sizing: a fraction of the energy column)."""
    t = np.arange(n)
    rhs = np.zeros(n)
    rhs[0] = start_kwh
    r0 = lp.rows(n, lower=rhs, upper=rhs)
    lp.coef(r0 + t, soc0 + t, 1.0)
    lp.coef(r0 + t[1:], soc0 + t[:-1], -1.0)
    lp.coef(r0 + t, ch0 + t, -eta_c * dt)
    lp.coef(r0 + t, dis0 + t, dt / eta_d)
    if start_col is not None:
        lp.coef(r0, start_col, -start_coef)
    return r0


def _time_limit_problem(limit_s: float, *, found: bool) -> Problem:
    if found:
        return Problem("warning", "energy.time_limit",
                       f"优化在时间上限 {limit_s:g} 秒处停止：给出的是找到的最好可行解，未证明最优。",
                       f"The optimisation stopped at its {limit_s:g} s time limit: this is the best "
                       "feasible answer found, not proven optimal.")
    return Problem("warning", "energy.time_limit_rule",
                   f"优化在时间上限 {limit_s:g} 秒内未找到可行解："
                   "给出自发自用规则调度的结果（可行，但未按电价优化）。",
                   f"The optimisation found no feasible answer within its {limit_s:g} s time limit: "
                   "the self-consumption rule dispatch is returned instead (feasible, not cost-optimal).")


def _fallback(load, onsite, dt, battery, export_limit_kw, tariff, sol: LpSolution,
              problems: list[Problem], time_limit_s: float) -> DispatchResult:
    """The rule dispatch when HiGHS has no feasible point (time limit or an error)."""
    res = dispatch_self_consumption(load, onsite, dt, battery, export_limit_kw=export_limit_kw)
    res.problems = problems + res.problems
    if sol.status == "time_limit":
        res.problems.append(_time_limit_problem(time_limit_s, found=False))
        res.status = "time_limit"
    else:
        res.problems.append(Problem(
            "error", "energy.lp_failed",
            f"经济调度求解失败（HiGHS：{sol.model_status}）：给出自发自用规则调度的结果。",
            f"The cost-optimal dispatch failed (HiGHS: {sol.model_status}); the self-consumption "
            "rule dispatch is returned instead."))
        res.status = sol.status
    res.cost_yuan = bill_yuan(res.grid_import_kw, res.grid_export_kw, dt, tariff) | {
        "solve_s": sol.seconds}
    return res
