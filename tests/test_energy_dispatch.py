"""Rule dispatch and KPIs (gis/energy/dispatch.py, kpis.py) against hand calculations and an
independent simulation written here (energy bookkeeping in kWh with an explicit state object,
rather than the module's kW loop)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gis.energy.dispatch import DispatchResult, dispatch_self_consumption
from gis.energy.kpis import annual_netting, energy_kpis
from gis.energy.storage import Battery, ThermalStore
from gis.errors import InputError


def _reference(load, onsite, dt, power, energy, rte, smin, smax, s0, export_limit):
    """Independent simulation: per interval, work in kWh of the interval, move energy between a
    'stored' account and the bus; returns kW arrays (charge, discharge, import, export, curtail,
    end-of-interval stored kWh)."""
    eta = math.sqrt(rte)
    stored = energy * s0
    lo, hi = energy * smin, energy * smax
    out = {k: [] for k in ("ch", "dis", "imp", "exp", "cur", "soc")}
    for lkw, okw in zip(load, onsite, strict=True):
        spare_kwh = (okw - lkw) * dt
        ch_kwh = dis_kwh = 0.0
        if spare_kwh > 0:
            room_kwh_ac = (hi - stored) / eta  # AC energy that would fill the battery
            ch_kwh = max(0.0, min(spare_kwh, power * dt, room_kwh_ac))
            stored += ch_kwh * eta
            spare_kwh -= ch_kwh
        elif spare_kwh < 0:
            avail_kwh_ac = (stored - lo) * eta  # AC energy the content above SOC_min can deliver
            dis_kwh = max(0.0, min(-spare_kwh, power * dt, avail_kwh_ac))
            stored -= dis_kwh / eta
            spare_kwh += dis_kwh
        exp_kwh = min(max(spare_kwh, 0.0), export_limit * dt)
        out["ch"].append(ch_kwh / dt)
        out["dis"].append(dis_kwh / dt)
        out["imp"].append(max(-spare_kwh, 0.0) / dt)
        out["exp"].append(exp_kwh / dt)
        out["cur"].append((max(spare_kwh, 0.0) - exp_kwh) / dt)
        out["soc"].append(stored)
    return {k: np.array(v) for k, v in out.items()}


def test_hand_example_four_hours():
    # 100 kW load; 300 kW of PV in hour 0 only; battery 100 kW / 200 kWh, round trip 81%
    # (η = 0.9 each way), SOC 0–100%, empty at the start.
    # h0: surplus 200 → charge 100 kW (power limit), stores 90 kWh; exports 100.
    # h1: deficit 100 → discharge min(100, 90·0.9 = 81) = 81 kW; imports 19.
    # h2, h3: import 100 each.
    b = Battery(100, 200, round_trip_pct=81, soc_min_pct=0, soc_max_pct=100, soc_start_pct=0)
    r = dispatch_self_consumption([100] * 4, [300, 0, 0, 0], 1.0, b)
    np.testing.assert_allclose(r.charge_kw, [100, 0, 0, 0])
    np.testing.assert_allclose(r.discharge_kw, [0, 81, 0, 0])
    np.testing.assert_allclose(r.soc_kwh, [90, 0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(r.grid_import_kw, [0, 19, 100, 100])
    np.testing.assert_allclose(r.grid_export_kw, [100, 0, 0, 0])
    k = energy_kpis(r)
    assert k.load_kwh == pytest.approx(400)
    assert k.onsite_kwh == pytest.approx(300)
    assert k.used_onsite_kwh == pytest.approx(100 + 81)  # direct in h0 + battery in h1
    assert k.self_sufficiency_pct == pytest.approx(181 / 400 * 100)
    assert k.self_consumption_pct == pytest.approx(181 / 300 * 100)
    assert k.grid_import_kwh == pytest.approx(219)
    assert k.grid_export_kwh == pytest.approx(100)
    assert k.grid_import_peak_kw == pytest.approx(100)
    assert k.battery_cycles == pytest.approx(81 / 200)
    assert k.battery_losses_kwh == pytest.approx(100 - 81)  # ends empty as it started
    assert k.battery_fade_pct == pytest.approx(81 / 200 * b.degradation_pct_per_cycle)
    assert k.hours_fully_covered == pytest.approx(1.0)  # only h0 imports nothing
    assert k.battery_grid_charge_kwh == pytest.approx(0.0)


@pytest.mark.parametrize("dt", [1.0, 0.25])
def test_against_independent_simulation(dt):
    rng = np.random.default_rng(7)
    n = int(24 * 20 / dt)
    hour = np.arange(n) * dt % 24
    load = 400 + 150 * np.sin(hour / 24 * 2 * np.pi) + rng.uniform(0, 80, n)
    onsite = np.maximum(0, np.sin((hour - 6) / 12 * np.pi)) * rng.uniform(200, 1200, n)
    b = Battery(150, 500, round_trip_pct=88, soc_min_pct=10, soc_max_pct=95, soc_start_pct=30)
    r = dispatch_self_consumption(load, onsite, dt, b, export_limit_kw=120)
    ref = _reference(load, onsite, dt, 150, 500, 0.88, 0.10, 0.95, 0.30, 120)
    np.testing.assert_allclose(r.charge_kw, ref["ch"], atol=1e-9)
    np.testing.assert_allclose(r.discharge_kw, ref["dis"], atol=1e-9)
    np.testing.assert_allclose(r.grid_import_kw, ref["imp"], atol=1e-9)
    np.testing.assert_allclose(r.grid_export_kw, ref["exp"], atol=1e-9)
    np.testing.assert_allclose(r.curtailed_kw, ref["cur"], atol=1e-9)
    np.testing.assert_allclose(r.soc_kwh, ref["soc"], atol=1e-9)
    assert r.balance_error_kw() < 1e-9
    assert ref["cur"].sum() > 0 and ref["dis"].sum() > 0  # the case exercises every branch
    assert r.soc_kwh.min() >= 50 - 1e-9 and r.soc_kwh.max() <= 475 + 1e-9
    # KPIs by the independent bookkeeping: without grid charging, on-site used = load − import
    k = energy_kpis(r)
    load_kwh = load.sum() * dt
    assert k.self_sufficiency_pct == pytest.approx(100 * (1 - ref["imp"].sum() * dt / load_kwh))
    used = load_kwh - ref["imp"].sum() * dt
    assert k.self_consumption_pct == pytest.approx(100 * used / (onsite.sum() * dt))
    assert k.grid_import_peak_kw == pytest.approx(ref["imp"].max())
    assert k.hours_fully_covered == pytest.approx((ref["imp"] == 0).sum() * dt)
    assert k.battery_cycles == pytest.approx(ref["dis"].sum() * dt / (500 * 0.85))


def test_no_battery_is_plain_netting_per_interval():
    r = dispatch_self_consumption([10, 10, 10], [0, 25, 5], 1.0, None, export_limit_kw=10)
    assert r.mode == "none"
    np.testing.assert_allclose(r.grid_import_kw, [10, 0, 5])
    np.testing.assert_allclose(r.grid_export_kw, [0, 10, 0])
    np.testing.assert_allclose(r.curtailed_kw, [0, 5, 0])
    k = energy_kpis(r)
    assert k.self_sufficiency_pct == pytest.approx((10 + 5) / 30 * 100)
    assert k.self_consumption_pct == pytest.approx(15 / 30 * 100)


def test_thermal_store_hand_example():
    # 2 h steps; load 50 kW of which 30 kW chillers; on-site 90 kW in step 0, then nothing.
    # Store: 10 kW, 40 kWh, 1 %/h of its content lost, 0–100%, empty at the start.
    # step 0: surplus 40 → store charges 10 kW (power limit) → content 20 kWh; export 30.
    # step 1: content 20 × (1 − 0.02) = 19.6; deficit 50 → discharge min(10, 30, 19.6/2 = 9.8) = 9.8
    # kW; import 40.2; content 0.
    th = ThermalStore(10, 40, loss_pct_per_h=1.0, soc_min_pct=0, soc_max_pct=100, soc_start_pct=0)
    r = dispatch_self_consumption([50, 50], [90, 0], 2.0, None, thermal=th, cooling_kw=[30, 30])
    np.testing.assert_allclose(r.thermal_charge_kw, [10, 0])
    np.testing.assert_allclose(r.thermal_discharge_kw, [0, 9.8])
    np.testing.assert_allclose(r.thermal_soc_kwh, [20, 0], atol=1e-12)
    np.testing.assert_allclose(r.grid_export_kw, [30, 0])
    np.testing.assert_allclose(r.grid_import_kw, [0, 40.2])
    assert r.balance_error_kw() < 1e-12
    k = energy_kpis(r)
    assert k.consumption_kwh == pytest.approx((60 + 40.2) * 2)  # the loss adds 0.4 kWh
    assert k.used_onsite_kwh == pytest.approx(60 * 2)  # 50 direct + 10 into the store in step 0
    assert k.thermal_shifted_kwh == pytest.approx(19.6)


def test_thermal_store_serves_only_cooling():
    th = ThermalStore(100, 1000, soc_start_pct=100)
    r = dispatch_self_consumption([80], [0], 1.0, None, thermal=th, cooling_kw=[5])
    assert r.thermal_discharge_kw[0] == pytest.approx(5)
    assert r.grid_import_kw[0] == pytest.approx(75)


def test_kpi_attribution_of_grid_charging():
    # A hand-made result: hour 0 on-site 30 covers 20 kW of load, the battery charges 40 kW:
    # 10 from the on-site surplus, 30 from the grid; hour 1 it discharges 36 kW into a 50 kW load.
    # On-site share of the battery: 10 / 40 = 25%. Used on site: 20 + 0.25·36 = 29 kWh.
    z = np.zeros(2)
    r = DispatchResult(
        dt_h=1.0, load_kw=np.array([20.0, 50.0]), onsite_kw=np.array([30.0, 0.0]),
        charge_kw=np.array([40.0, 0.0]), discharge_kw=np.array([0.0, 36.0]),
        soc_kwh=np.array([38.0, 0.0]), grid_import_kw=np.array([30.0, 14.0]), grid_export_kw=z,
        curtailed_kw=z, thermal_charge_kw=z, thermal_discharge_kw=z, thermal_soc_kwh=z,
        mode="cost", battery=Battery(40, 40, round_trip_pct=81, soc_min_pct=0, soc_start_pct=0))
    assert r.balance_error_kw() == pytest.approx(0)
    k = energy_kpis(r)
    assert k.battery_grid_charge_kwh == pytest.approx(30)
    assert k.used_onsite_kwh == pytest.approx(29)
    assert k.self_sufficiency_pct == pytest.approx(29 / 70 * 100)
    assert k.self_consumption_pct == pytest.approx(29 / 30 * 100)


def test_annual_netting_is_the_old_figure():
    # The example: 23.32 GWh of new energy against 26.21 GWh of use nets to 89.0%.
    d = annual_netting(26.21e6, 23.32e6)
    assert d["self_sufficiency_pct"] == pytest.approx(23.32 / 26.21 * 100)
    assert d["grid_export_kwh"] == 0
    assert "netting" in d["label_en"].lower()
    d = annual_netting(np.array([1.0, 1.0]), np.array([3.0, 0.0]))
    assert d["self_consumption_pct"] == pytest.approx(2 / 3 * 100)
    assert d["grid_export_kwh"] == pytest.approx(1.0)


def test_bad_input_is_named():
    with pytest.raises(InputError, match="missing or invalid"):
        dispatch_self_consumption([1.0, math.nan], [0.0, 0.0], 1.0)
    with pytest.raises(InputError, match="same time axis"):
        dispatch_self_consumption([1.0, 1.0], [0.0], 1.0)
    with pytest.raises(InputError, match="dt_h"):
        dispatch_self_consumption([1.0], [0.0], 0.0)
    with pytest.raises(InputError, match="soc_min_pct"):
        Battery(10, 10, soc_min_pct=90, soc_max_pct=80)
    with pytest.raises(InputError, match="cooling_kw"):
        dispatch_self_consumption([1.0], [0.0], 1.0, thermal=ThermalStore(1, 1))
    r = dispatch_self_consumption([1.0, 1.0], [-0.01, 2.0], 1.0)
    assert [p.code for p in r.problems] == ["energy.negative_clipped"]
    assert r.onsite_kw[0] == 0.0


def test_defaults_carry_their_published_values():
    # REopt.jl ElectricStorage: rectifier 0.96 × internal 0.975 × inverter 0.96
    assert Battery(1, 1).round_trip_pct == pytest.approx(0.96 * 0.975 * 0.96 * 100, abs=0.05)
    # LFP 6000 cycles to 80% capacity
    assert Battery(1, 1).degradation_pct_per_cycle * 6000 == pytest.approx(20.0)
    assert Battery(1, 1).eta_charge ** 2 == pytest.approx(Battery(1, 1).round_trip_pct / 100)


def test_energy_stored_at_the_start_is_not_on_site_generation():
    """No surplus all day, a battery starting half full: it discharges its start energy, which was
    not generated on site in the period — self-consumption cannot pass 100 %."""
    b = Battery(50, 100, round_trip_pct=90, soc_min_pct=0, soc_max_pct=100, soc_start_pct=50)
    r = dispatch_self_consumption([100, 100, 100], [40, 40, 40], 1.0, b)
    k = energy_kpis(r)
    assert k.battery_discharge_kwh > 0
    assert k.used_onsite_kwh == pytest.approx(120.0)  # the 3 × 40 kWh used directly, nothing more
    assert k.self_consumption_pct == pytest.approx(100.0)
