"""Economics: closed forms written out independently here, textbook/published figures, edges."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from gis.energy.economics import (
    CostAssumptions,
    capital_recovery_factor,
    discounted_payback_yr,
    evaluate_option,
    irr,
    lcoe_yuan_kwh,
    npv,
    simple_payback_yr,
)
from gis.errors import InputError
from gis.paths import resources_dir


def _npv_ref(rate: float, flows) -> float:
    """numpy-financial's npv definition, written out: Σ CF_t / (1+rate)^t from t = 0."""
    total = 0.0
    for t, cf in enumerate(flows):
        total += cf / (1 + rate) ** t
    return total


def test_capital_recovery_factor():
    # annuity tables: 10 %, 10 years → 0.16275; 8 %, 25 years → 0.09368
    assert capital_recovery_factor(10, 10) == pytest.approx(0.16275, abs=5e-6)
    assert capital_recovery_factor(8, 25) == pytest.approx(0.09368, abs=5e-6)
    assert capital_recovery_factor(0, 20) == pytest.approx(1 / 20)
    # the annuity repays the principal: PV of n payments of CRF at r equals 1
    assert _npv_ref(0.07, [0] + [capital_recovery_factor(7, 15)] * 15) == pytest.approx(1.0)
    with pytest.raises(InputError):
        capital_recovery_factor(8, 0)


def test_npv_and_irr_against_the_numpy_financial_examples():
    flows = [-100, 39, 59, 55, 20]
    # numpy-financial documentation: irr(flows) = 0.28095; npv(0.281, flows) = -0.0084785916...
    assert irr(flows) == pytest.approx(28.095, abs=5e-4)
    assert npv(28.1, flows) == pytest.approx(-0.0084785916, abs=1e-9)
    assert npv(8, flows) == pytest.approx(_npv_ref(0.08, flows))
    assert _npv_ref(irr(flows) / 100, flows) == pytest.approx(0.0, abs=1e-8)
    # several sign changes: numpy-financial documents irr([-5, 10.5, 1, -8, 1]) = 0.0886
    assert irr([-5, 10.5, 1, -8, 1]) == pytest.approx(8.86, abs=5e-3)


def test_irr_textbook_annuity():
    # 1000 now for 5 × 263.80 → 10 % (a 10 %, 5-year annuity factor is 3.7908)
    assert irr([-1000] + [1000 / 3.790787] * 5) == pytest.approx(10.0, abs=1e-4)


@pytest.mark.parametrize("flows", [[100, 10, 10], [-100, -5, -1], [0, 0, 0], [-100], [], [0, -3]])
def test_irr_none_without_a_sign_change(flows):
    assert irr(flows) is None


def test_simple_payback_edges():
    assert simple_payback_yr(1000, 250) == 4.0
    assert simple_payback_yr(1000, 0) is None
    assert simple_payback_yr(1000, -5) is None
    assert simple_payback_yr(0, 100) == 0.0


def test_discounted_payback():
    assert discounted_payback_yr(0, [-100, 50, 50, 50]) == pytest.approx(2.0)
    assert discounted_payback_yr(0, [-100, 60, 60]) == pytest.approx(1 + 40 / 60)
    # 10 %: discounted 54.545, 49.587 → −45.455 left after year 1
    d1, d2 = 60 / 1.1, 60 / 1.1**2
    assert discounted_payback_yr(10, [-100, 60, 60]) == pytest.approx(1 + (100 - d1) / d2)
    assert discounted_payback_yr(10, [-100, 10, 10]) is None
    assert discounted_payback_yr(10, [5, 10]) == 0.0


def test_lcoe_closed_form():
    capex, om, kwh = 3_180_000.0, 40_000.0, 1_100_000.0
    r, n = 0.08, 25
    crf = r * (1 + r) ** n / ((1 + r) ** n - 1)
    assert lcoe_yuan_kwh(capex, om, kwh, 8, n) == pytest.approx((capex * crf + om) / kwh)
    # with degradation: brute-force discounted sums year by year
    cost = capex + sum(om / (1 + r) ** t for t in range(1, n + 1))
    energy = sum(kwh * (1 - 0.005) ** (t - 1) / (1 + r) ** t for t in range(1, n + 1))
    assert lcoe_yuan_kwh(capex, om, kwh, 8, n, 0.5) == pytest.approx(cost / energy)
    with pytest.raises(InputError):
        lcoe_yuan_kwh(capex, om, 0, 8, n)


def test_cost_defaults_each_carry_a_source():
    with (resources_dir() / "energy" / "cost_defaults.csv").open(encoding="utf-8-sig") as fh:
        rows = {r["field"]: r for r in csv.DictReader(fh)}
    c = CostAssumptions()
    for name, value in c.__dict__.items():
        assert name in rows, name
        assert len(rows[name]["source"]) > 15 and rows[name]["status"] in (
            "published", "to_verify", "assumption")
        assert value == pytest.approx(float(rows[name]["value"]))
    with pytest.raises(InputError):
        CostAssumptions(discount_rate_pct=float("nan"))
    with pytest.raises(InputError):
        CostAssumptions(lifetime_yr=0)


def test_sizes_to_capex_and_om():
    c = CostAssumptions(pv_capex_yuan_kwp=3000, pv_om_yuan_kwp_yr=40, battery_capex_yuan_kwh=500,
                        battery_power_capex_yuan_kw=200, battery_om_pct_capex_yr=2)
    assert c.capex_yuan(pv_kwp=100, battery_kw=50, battery_kwh=100) == 300_000 + 50_000 + 10_000
    assert c.om_yuan_yr(pv_kwp=100, battery_kw=50, battery_kwh=100) == pytest.approx(4000 + 1200)


def test_evaluate_option_cash_flows():
    c = CostAssumptions(lifetime_yr=25, battery_life_yr=10, discount_rate_pct=8,
                        pv_degradation_pct_yr=0, electricity_price_escalation_pct_yr=0,
                        carbon_price_yuan_t=100)
    e = evaluate_option(capex_yuan=1_000_000, om_yuan_yr=20_000, bill_before_yuan=900_000,
                        bill_after_yuan=700_000, export_revenue_yuan=10_000, kwh_onsite_yr=400_000,
                        t_co2_avoided_yr=200, costs=c, replacement_capex=100_000)
    net = 200_000 + 10_000 - 20_000
    expected = [-1_000_000] + [net - (100_000 if t in (10, 20) else 0) for t in range(1, 26)]
    assert e.cash_flows.tolist() == pytest.approx(expected)
    assert e.annual_saving_yuan == 210_000
    assert e.npv_yuan == pytest.approx(_npv_ref(0.08, expected))
    assert _npv_ref(e.irr_pct / 100, expected) == pytest.approx(0, abs=1e-4)
    assert e.simple_payback_yr == pytest.approx(1_000_000 / net)
    assert e.carbon_value_yuan_yr == 20_000
    repl = 100_000 / 1.08**10 + 100_000 / 1.08**20
    r, n = 0.08, 25
    crf = r * (1 + r) ** n / ((1 + r) ** n - 1)
    assert e.lcoe_yuan_kwh == pytest.approx(((1_000_000 + repl) * crf + 20_000) / 400_000)
    d = e.to_dict()
    assert d["cash_flows"][0] == -1_000_000 and isinstance(d["cash_flows"], list)
    with_carbon = evaluate_option(capex_yuan=1_000_000, om_yuan_yr=20_000, bill_before_yuan=900_000,
                                  bill_after_yuan=700_000, costs=c, t_co2_avoided_yr=200,
                                  carbon_in_cash_flows=True)
    assert with_carbon.cash_flows[1] == pytest.approx(200_000 - 20_000 + 20_000)
    assert with_carbon.lcoe_yuan_kwh is None  # no on-site energy given


def test_evaluate_option_escalation_and_degradation():
    c = CostAssumptions(lifetime_yr=3, electricity_price_escalation_pct_yr=2, pv_degradation_pct_yr=1)
    e = evaluate_option(capex_yuan=500, om_yuan_yr=10, bill_before_yuan=300, bill_after_yuan=100,
                        costs=c)
    k = 1.02 * 0.99
    assert e.cash_flows.tolist() == pytest.approx([-500, 190, 200 * k - 10, 200 * k**2 - 10])
    battery_only = evaluate_option(capex_yuan=500, om_yuan_yr=10, bill_before_yuan=300,
                                   bill_after_yuan=100, costs=c, degradation_pct_yr=0)
    assert battery_only.cash_flows[2] == pytest.approx(200 * 1.02 - 10)
    never = evaluate_option(capex_yuan=500, om_yuan_yr=300, bill_before_yuan=300,
                            bill_after_yuan=100, costs=c)
    assert never.simple_payback_yr is None and never.discounted_payback_yr is None
    assert never.irr_pct is None and never.npv_yuan < -500
    assert np.isfinite(e.npv_yuan)
