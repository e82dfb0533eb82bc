"""Economics of an option (PV, wind, battery): cash flows, NPV, IRR, payback, LCOE, carbon value.

Conventions: money in 元 (yuan), rates in percent (``rate_pct=8`` means 8 %/yr), years of a cash
flow series counted from 0 (the investment) with one flow per year at the year's end. The cost
defaults and their sources are ``resources/energy/cost_defaults.csv`` (editable; each row says
whether its figure is published, to verify or a Lingtan assumption).
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, fields
from functools import lru_cache

import numpy as np

from gis.errors import InputError
from gis.paths import resources_dir


@lru_cache(maxsize=1)
def cost_default_rows() -> dict[str, dict[str, str]]:
    """Rows of resources/energy/cost_defaults.csv by field (value, unit, source, status, note)."""
    path = resources_dir() / "energy" / "cost_defaults.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {row["field"]: row for row in csv.DictReader(fh)}


def _default(name: str) -> float:
    return float(cost_default_rows()[name]["value"])


@dataclass(frozen=True)
class CostAssumptions:
    """Costs and financial parameters; each default and its source is a row of cost_defaults.csv.

    pv_capex_yuan_kwp / wind_capex_yuan_kw: installed cost; *_om_*: fixed O&M per year;
    battery_capex_yuan_kwh + battery_power_capex_yuan_kw: battery cost on energy and power;
    battery_om_pct_capex_yr: battery O&M as % of its capex per year; lifetime_yr: analysis
    period; battery_life_yr: years between battery replacements; discount_rate_pct;
    pv_degradation_pct_yr: yearly fall of PV output (and of the savings it brings);
    carbon_price_yuan_t: value of a tonne of CO2 avoided; electricity_price_escalation_pct_yr:
    yearly change of the electricity prices behind the savings.
    """

    pv_capex_yuan_kwp: float = _default("pv_capex_yuan_kwp")
    pv_om_yuan_kwp_yr: float = _default("pv_om_yuan_kwp_yr")
    wind_capex_yuan_kw: float = _default("wind_capex_yuan_kw")
    wind_om_yuan_kw_yr: float = _default("wind_om_yuan_kw_yr")
    battery_capex_yuan_kwh: float = _default("battery_capex_yuan_kwh")
    battery_power_capex_yuan_kw: float = _default("battery_power_capex_yuan_kw")
    battery_om_pct_capex_yr: float = _default("battery_om_pct_capex_yr")
    lifetime_yr: int = int(_default("lifetime_yr"))
    battery_life_yr: int = int(_default("battery_life_yr"))
    discount_rate_pct: float = _default("discount_rate_pct")
    pv_degradation_pct_yr: float = _default("pv_degradation_pct_yr")
    carbon_price_yuan_t: float = _default("carbon_price_yuan_t")
    electricity_price_escalation_pct_yr: float = _default("electricity_price_escalation_pct_yr")

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not np.isfinite(v) or (v < 0 and f.name != "electricity_price_escalation_pct_yr"):
                raise InputError(f"成本参数 {f.name} 须为非负有限数（现为 {v}）。",
                                 f"Cost parameter {f.name} must be a finite non-negative number "
                                 f"(got {v}).", code="economics.costs")
        if self.lifetime_yr < 1 or self.battery_life_yr < 1:
            raise InputError("寿命须至少 1 年。", "Lifetimes must be at least 1 year.",
                             code="economics.costs")

    def capex_yuan(self, *, pv_kwp: float = 0.0, wind_kw: float = 0.0, battery_kw: float = 0.0,
                   battery_kwh: float = 0.0) -> float:
        """Initial investment of an option of these sizes (元)."""
        return (pv_kwp * self.pv_capex_yuan_kwp + wind_kw * self.wind_capex_yuan_kw
                + self.battery_capex_yuan(battery_kw, battery_kwh))

    def battery_capex_yuan(self, battery_kw: float, battery_kwh: float) -> float:
        """Battery investment (元): energy part + power part."""
        return battery_kwh * self.battery_capex_yuan_kwh + battery_kw * self.battery_power_capex_yuan_kw

    def om_yuan_yr(self, *, pv_kwp: float = 0.0, wind_kw: float = 0.0, battery_kw: float = 0.0,
                   battery_kwh: float = 0.0) -> float:
        """Fixed O&M per year of an option of these sizes (元/yr)."""
        return (pv_kwp * self.pv_om_yuan_kwp_yr + wind_kw * self.wind_om_yuan_kw_yr
                + self.battery_capex_yuan(battery_kw, battery_kwh) * self.battery_om_pct_capex_yr / 100)

    @staticmethod
    def sources() -> dict[str, str]:
        """Field → the source of its default (from cost_defaults.csv)."""
        return {k: r["source"] for k, r in cost_default_rows().items()}


# ---------------------------------------------------------------------------- closed forms

def _rate(rate_pct: float) -> float:
    r = float(rate_pct) / 100.0
    if not np.isfinite(r) or r <= -1:
        raise InputError(f"折现率 {rate_pct}% 无效（须大于 −100%）。",
                         f"Discount rate {rate_pct} % is invalid (must exceed -100 %).",
                         code="economics.rate")
    return r


def capital_recovery_factor(rate_pct: float, years: float) -> float:
    """CRF = r(1+r)^n / ((1+r)^n − 1); 1/n at r = 0. Annuity per 元 invested."""
    if not years > 0:
        raise InputError("年限须为正。", "years must be positive.", code="economics.years")
    r = _rate(rate_pct)
    if abs(r) < 1e-12:
        return 1.0 / years
    g = (1.0 + r) ** years
    return r * g / (g - 1.0)


def npv(rate_pct: float, cash_flows) -> float:
    """Σ CF_t / (1+r)^t with t = 0, 1, …; CF_0 (the investment) is not discounted."""
    cf = np.asarray(cash_flows, dtype=float)
    return float(np.sum(cf / (1.0 + _rate(rate_pct)) ** np.arange(cf.size)))


def irr(cash_flows) -> float | None:
    """Internal rate of return in percent (like every rate here), or None without a sign change.

    Solved as the roots of Σ CF_t x^t with x = 1/(1+r); with several real roots (flows that
    change sign more than once) the rate nearest 0 is returned.
    """
    cf = np.asarray(cash_flows, dtype=float)
    nz = cf[cf != 0]
    if nz.size < 2 or not ((nz > 0).any() and (nz < 0).any()):
        return None
    roots = np.roots(cf[::-1])  # polynomial in x, highest power first
    x = roots[(np.abs(roots.imag) < 1e-9) & (roots.real > 0)].real
    if x.size == 0:
        return None
    rates = 1.0 / x - 1.0
    best = rates[np.argmin(np.abs(rates))]
    return float(best * 100.0)


def simple_payback_yr(capex: float, annual_net: float) -> float | None:
    """capex ÷ annual net saving (yr); None when the saving is not positive (never pays back)."""
    if capex <= 0:
        return 0.0
    if annual_net <= 0:
        return None
    return float(capex / annual_net)


def discounted_payback_yr(rate_pct: float, cash_flows) -> float | None:
    """Years until the discounted cumulative cash flow turns non-negative, interpolated within
    the year it does; 0 when CF_0 ≥ 0; None when it never does within the flows given."""
    cf = np.asarray(cash_flows, dtype=float)
    if cf.size == 0:
        return None
    disc = cf / (1.0 + _rate(rate_pct)) ** np.arange(cf.size)
    cum = np.cumsum(disc)
    if cum[0] >= 0:
        return 0.0
    hit = np.nonzero(cum >= 0)[0]
    if hit.size == 0:
        return None
    t = int(hit[0])
    return float(t - 1 + (-cum[t - 1]) / disc[t])


def lcoe_yuan_kwh(capex: float, om_yr: float, kwh_yr: float, rate_pct: float, years: int,
                  degradation_pct_yr: float = 0.0) -> float:
    """Levelised cost (元/kWh) = (capex + Σ om/(1+r)^t) / Σ kwh·(1−d)^(t−1)/(1+r)^t, t = 1…n."""
    if not kwh_yr > 0:
        raise InputError("LCOE 需要正的年发电量。", "LCOE needs a positive yearly energy (kWh).",
                         code="economics.kwh")
    if not years >= 1:
        raise InputError("年限须至少 1 年。", "years must be at least 1.", code="economics.years")
    r = _rate(rate_pct)
    t = np.arange(1, int(years) + 1)
    disc = (1.0 + r) ** t
    energy = kwh_yr * (1.0 - degradation_pct_yr / 100.0) ** (t - 1)
    return float((capex + np.sum(om_yr / disc)) / np.sum(energy / disc))


# ---------------------------------------------------------------------------- an option

@dataclass(frozen=True, eq=False)
class Economics:
    """Economics of one option over ``len(cash_flows) − 1`` years (元, %, yr)."""

    capex_yuan: float
    om_yuan_yr: float
    bill_before_yuan: float
    bill_after_yuan: float
    export_revenue_yuan: float
    annual_saving_yuan: float
    npv_yuan: float
    irr_pct: float | None
    simple_payback_yr: float | None
    discounted_payback_yr: float | None
    lcoe_yuan_kwh: float | None
    carbon_value_yuan_yr: float
    cash_flows: np.ndarray

    def to_dict(self) -> dict:
        d = asdict(self)
        d["cash_flows"] = [float(v) for v in self.cash_flows]
        return d


def evaluate_option(*, capex_yuan: float, om_yuan_yr: float, bill_before_yuan: float,
                    bill_after_yuan: float, export_revenue_yuan: float = 0.0,
                    kwh_onsite_yr: float = 0.0, t_co2_avoided_yr: float = 0.0,
                    costs: CostAssumptions | None = None, replacement_capex: float = 0.0,
                    degradation_pct_yr: float | None = None,
                    carbon_in_cash_flows: bool = False) -> Economics:
    """Cash flows and indicators of an option against the bill without it.

    Year 0: −capex. Year t = 1…lifetime: saving·e^(t−1)·k^(t−1) − O&M − replacements, where the
    saving = bill_before − bill_after + export revenue (first-year 元), e = 1 + price
    escalation, k = 1 − degradation (default: PV's; pass 0 for a battery-only option).
    ``replacement_capex`` (e.g. the battery's) recurs every ``battery_life_yr`` years before the
    end; no salvage value. The carbon value (t CO2 × carbon price) is reported and enters the
    cash flows only with ``carbon_in_cash_flows`` (a park outside the ETS earns nothing for it).
    LCOE is of the on-site energy (None without any).
    """
    c = costs or CostAssumptions()
    n = int(c.lifetime_yr)
    t = np.arange(1, n + 1)
    deg = c.pv_degradation_pct_yr if degradation_pct_yr is None else degradation_pct_yr
    growth = ((1.0 + c.electricity_price_escalation_pct_yr / 100.0) * (1.0 - deg / 100.0)) ** (t - 1)
    saving = bill_before_yuan - bill_after_yuan + export_revenue_yuan
    carbon = t_co2_avoided_yr * c.carbon_price_yuan_t
    flows = saving * growth - om_yuan_yr
    if carbon_in_cash_flows:
        flows = flows + carbon * (1.0 - deg / 100.0) ** (t - 1)
    if replacement_capex:
        flows = flows - np.where((t % c.battery_life_yr == 0) & (t < n), replacement_capex, 0.0)
    cash = np.concatenate([[-float(capex_yuan)], flows])
    first_net = saving - om_yuan_yr + (carbon if carbon_in_cash_flows else 0.0)
    lcoe = None
    if kwh_onsite_yr > 0:
        n_repl = int(np.sum((t % c.battery_life_yr == 0) & (t < n))) if replacement_capex else 0
        repl_pv = sum(replacement_capex / (1 + c.discount_rate_pct / 100) ** (k * c.battery_life_yr)
                      for k in range(1, n_repl + 1))
        lcoe = lcoe_yuan_kwh(capex_yuan + repl_pv, om_yuan_yr, kwh_onsite_yr, c.discount_rate_pct,
                             n, deg)
    return Economics(
        capex_yuan=float(capex_yuan), om_yuan_yr=float(om_yuan_yr),
        bill_before_yuan=float(bill_before_yuan), bill_after_yuan=float(bill_after_yuan),
        export_revenue_yuan=float(export_revenue_yuan), annual_saving_yuan=float(saving),
        npv_yuan=npv(c.discount_rate_pct, cash), irr_pct=irr(cash),
        simple_payback_yr=simple_payback_yr(capex_yuan, first_net),
        discounted_payback_yr=discounted_payback_yr(c.discount_rate_pct, cash),
        lcoe_yuan_kwh=lcoe, carbon_value_yuan_yr=float(carbon), cash_flows=cash)
