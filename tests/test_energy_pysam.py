"""Cross-check of Lingtan's PV chain and battery dispatch against NREL's SAM through PySAM (issue #18).

PySAM (``nrel-pysam``, a test-only dependency) runs PVWatts v8 and SAM's behind-the-meter battery on
one real typical year (Beijing IWEC, ../shared/data/weather) for a 1,000 kWp fixed array (tilt 30°,
azimuth 180°, DC/AC 1.1, DC losses 14 %, inverter 96 %), a flat 300 kW load and a 250 kW / 1,000 kWh
battery. Figures and their discussion: docs/energy.md, "Cross-check with PySAM (SAM)".

**PV (Lingtan's ``YieldTable`` vs PVWatts v8, measured with nrel-pysam 7.1.1): annual −1.77 %,
months −0.7 … −3.1 %, hourly correlation 0.9998.** Both take the same EPW file, Perez 1990 transposition,
albedo 0.2, 14 % DC losses, −0.37 %/°C and the same DC/AC ratio; the plane-of-array irradiance before
the module cover agrees within 0.03 %. What differs, each found by swapping SAM's choice into a pvlib
copy of Lingtan's chain (test_pv_differences_are_the_documented_ones), in the order swapped:

1. module cover (incidence angle): Lingtan's pvlib "physical" model (Fresnel/Snell glass, n = 1.526,
   no anti-reflective coating; Marion's integral for diffuse) loses 2.7 % of the plane-of-array
   irradiance; PVWatts v8's "standard" module has anti-reflective glass (De Soto et al. 2006 cover
   model on beam, sky and ground light) and loses 1.7 %: +1.2 points for SAM;
2. spectrum: PVWatts v8 applies De Soto's air-mass modifier (Kasten–Young air mass, corrected for
   site elevation); Lingtan has none: +0.2 points here (the modifier exceeds 1 for air masses of
   1.5–6, Beijing's common range; at Lhasa, 3,650 m, it is −1.8 points);
3. cell temperature: Lingtan's SAPM open-rack glass/polymer model (King et al. 2004) runs 2.8 °C
   hotter (irradiance-weighted) than PVWatts v8's NOCT model (INOCT 45 °C, wind ×0.51): +1.1 points;
4. inverter: Lingtan's pvlib PVWatts v5 part-load curve vs PVWatts v8's Sandia model with zero
   curvature and a self-consumption Pso of 0.4931 % of the AC rating (for ≥ 1 MW): −0.5 points.

The rest, +0.2 %, is the sun position (SAM's own algorithm, sun placed in the middle of the lit part
of sunrise and sunset hours; pvlib's SPA at the hour's centre) and the two Perez implementations.
SAM's row self-shading is switched off (gcr 0.01, the smallest it accepts): ``YieldTable`` is the
unshaded yield per kWp, rows are shaded separately in gis/solar/array_energy.py.

**Battery (Lingtan's ``dispatch_self_consumption`` vs SAM's battery with its "self consumption"
dispatch, option 5, on PVWatts' own PV series so that only the storage models differ).** With SAM's
physics reduced to Lingtan's (a flat voltage table, ~0 Ω cells, capacity independent of temperature,
no degradation, AC limits enforced as power) the two agree within 0.01 % on import, export and
throughput. With SAM's LFP defaults, Lingtan at nameplate moves 5–6 % less energy through the battery,
and all of it is explained by three numbers taken from SAM's run: SAM counts state of charge in
ampere-hours and its voltage model puts the cells at 4.00 V charging and 3.93 V discharging against a
3.6 V nameplate (more kWh in the same Ah window, and a 1.7 % voltage hysteresis loss), and its
capacity-vs-temperature table gives 97.1 % at 25 °C. Lingtan fed those effective values agrees within
0.2 % (test_battery_physics_explained). SAM's cycle and calendar fade (to 94 % by the end of the first
year) is left out: Lingtan reports fade as a KPI and dispatches the nameplate energy.
"""

from __future__ import annotations

import itertools

import numpy as np
import pvlib
import pytest

from gis.energy.dispatch import dispatch_self_consumption
from gis.energy.kpis import energy_kpis
from gis.energy.storage import Battery
from gis.solar.energy import SystemSettings, YieldTable
from gis.solar.weather import read_weather
from tests.conftest import shared

Pvwattsv8 = pytest.importorskip("PySAM.Pvwattsv8")
SamBattery = pytest.importorskip("PySAM.Battery")
SamBatteryTools = pytest.importorskip("PySAM.BatteryTools")

pytestmark = pytest.mark.shared_data

EPW_NAME = "CHN_Beijing.Beijing.545110_IWEC.epw"
"""No time-base error (noon offset 0.0 h, ../shared/data/SOURCES.md), so hours line up in both."""

KWP = 1000.0
TILT_DEG, AZIMUTH_DEG = 30.0, 180.0
DC_AC = 1.1  # PVWatts default DC/AC ratio
LOSSES_PCT = 14.0  # PVWatts v5 default DC system losses
INV_EFF_PCT = 96.0  # PVWatts nominal inverter efficiency
ALBEDO = 0.2
GAMMA_PER_C = -0.0037  # PVWatts "standard" module, both models
LOAD_KW = 300.0
BATT_KW, BATT_KWH = 250.0, 1000.0
CONV_EFF_PCT = 96.0
"""SAM's default AC→DC and DC→AC battery converter efficiencies (and REopt's rectifier/inverter
0.96): the AC round trip of an ideal cell is 0.96² = 92.16 %, split √ each way in Lingtan."""
SOC_MIN_PCT, SOC_MAX_PCT, SOC_START_PCT = 20.0, 100.0, 50.0  # Lingtan's defaults (REopt.jl)
ROOM_C = 25.0

AM_DESOTO = (0.918093, 0.086257, -0.024459, 0.002816, -0.000126)
"""Air-mass modifier polynomial of De Soto, Klein & Beckman (2006), Solar Energy 80(1), as PVWatts
v8 applies it (ssc shared/lib_cec6par.cpp air_mass_modifier)."""
PSO_SHARE_UTILITY = 0.004931
"""PVWatts v8's Sandia-inverter self-consumption Pso as a share of the AC rating for systems of
≥ 1 MW DC (ssc cmod_pvwattsv8.cpp, 'set based on market per ssc issue 870')."""


# --------------------------------------------------------------------------------------------
# the two runs
# --------------------------------------------------------------------------------------------

def run_pvwatts8(epw) -> dict[str, np.ndarray]:
    """PVWatts v8 hourly outputs (ac, dc in kW; poa, tpoa in W/m²; tcell in °C; ac_monthly kWh).

    Arrays are copied out while the model is alive: PySAM's output objects point into it.
    """
    m = Pvwattsv8.new()
    m.SolarResource.solar_resource_file = str(epw)
    m.SolarResource.use_wf_albedo = 0
    m.SolarResource.albedo_default = ALBEDO
    sd = m.SystemDesign
    sd.system_capacity = KWP
    sd.dc_ac_ratio = DC_AC
    sd.inv_eff = INV_EFF_PCT
    sd.losses = LOSSES_PCT
    sd.array_type = 0  # fixed open rack: Lingtan's "rows" mounting
    sd.tilt, sd.azimuth = TILT_DEG, AZIMUTH_DEG
    sd.module_type = 0  # standard: −0.37 %/°C
    sd.gcr = 0.01  # smallest accepted: no row self-shading (YieldTable is unshaded)
    sd.bifaciality = 0.0
    sd.en_snowloss = 0
    m.execute(0)
    o = m.Outputs
    out = {k: np.asarray(getattr(o, k), dtype=float) for k in ("ac", "dc", "poa", "tpoa", "tcell")}
    out["ac"] /= 1000.0  # W → kW
    out["dc"] /= 1000.0
    out["ac_monthly"] = np.asarray(o.ac_monthly, dtype=float)
    return out


def run_sam_battery(pv_kw: np.ndarray, load_kw: np.ndarray, *, physics: bool) -> dict:
    """SAM's behind-the-meter battery, self-consumption dispatch, one year, LFP chemistry.

    physics False: SAM reduced to Lingtan's model (flat voltage table, ~0 Ω, capacity independent of
    temperature). True: SAM's LFP defaults (voltage model, 2 mΩ cells, capacity vs temperature,
    lumped thermal model). Degradation is off in both. Returns hourly AC flows (kW), SOC (%), and
    what the explanation needs: DC power (kW), current (A), battery temperature (°C), the bank.
    """
    b = SamBattery.default("CustomGenerationBatteryCommercial")
    SamBatteryTools.battery_model_change_chemistry(b, "lfpgraphite")
    b.Lifetime.system_use_lifetime_output = 0
    b.Lifetime.analysis_period = 1
    b.SystemOutput.gen = tuple(pv_kw)
    b.Load.load = tuple(load_kw)
    bs, bc, bd = b.BatterySystem, b.BatteryCell, b.BatteryDispatch
    bs.batt_ac_or_dc = 1  # AC-connected, as Lingtan's bus
    bs.batt_meter_position = 0  # behind the meter
    bs.batt_ac_dc_efficiency = bs.batt_dc_ac_efficiency = CONV_EFF_PCT
    bs.batt_replacement_option = 0
    SamBatteryTools.battery_model_sizing(b, BATT_KW, BATT_KWH, 500.0, size_by_ac_not_dc=False)
    # Lingtan limits AC power both ways; SAM's sizing limits DC current. 0 = limit by power
    # (measured: the AC limits then hold within 1 %, 252 kW at most, in a handful of hours).
    bs.batt_current_choice = 0
    eta = CONV_EFF_PCT / 100.0
    bs.batt_power_charge_max_kwac = bs.batt_power_discharge_max_kwac = BATT_KW
    bs.batt_power_charge_max_kwdc = BATT_KW * eta
    bs.batt_power_discharge_max_kwdc = BATT_KW / eta
    bc.batt_minimum_SOC, bc.batt_maximum_SOC = SOC_MIN_PCT, SOC_MAX_PCT
    bc.batt_initial_SOC = SOC_START_PCT
    bc.batt_room_temperature_celsius = (ROOM_C,)
    bc.batt_calendar_choice = 0
    bc.batt_lifetime_matrix = ((100, 0, 100), (100, 50_000, 100), (100, 100_000, 100))
    if not physics:
        v = bc.batt_Vnom_default  # SAM refuses equal voltages: ±1 mV around the nameplate
        bc.batt_voltage_choice = 1
        bc.batt_voltage_matrix = ((0, v + 0.001), (50, v), (100, v - 0.001))
        bc.batt_resistance = 1e-6
        bc.cap_vs_temp = ((-40, 100), (80, 100))
    bd.batt_dispatch_choice = 5  # behind the meter: 5 = SelfConsumption
    bd.batt_dispatch_auto_can_gridcharge = 0
    bd.batt_dispatch_auto_btm_can_discharge_to_grid = 0
    bd.batt_dispatch_charge_only_system_exceeds_load = 1
    bd.batt_dispatch_discharge_only_load_exceeds_system = 1
    b.execute(0)
    o = b.Outputs
    keys = ("grid_to_load", "grid_to_batt", "system_to_load", "system_to_batt", "system_to_grid",
            "batt_to_load", "batt_to_grid", "batt_SOC", "batt_power_dc", "batt_I", "batt_temperature")
    out = {k: np.asarray(getattr(o, k), dtype=float) for k in keys}
    out |= {"installed_kwh": float(o.batt_bank_installed_capacity),
            "series": float(bs.batt_computed_series), "vnom_cell": float(bc.batt_Vnom_default),
            "cap_vs_temp": np.asarray(bc.cap_vs_temp, dtype=float)}
    return out


def sam_totals(s: dict) -> dict[str, float]:
    """Annual kWh of one SAM battery run (hourly kW × 1 h)."""
    return {"import": float(s["grid_to_load"].sum() + s["grid_to_batt"].sum()),
            "export": float(s["system_to_grid"].sum() + s["batt_to_grid"].sum()),
            "charge": float(s["system_to_batt"].sum() + s["grid_to_batt"].sum()),
            "discharge": float(s["batt_to_load"].sum() + s["batt_to_grid"].sum())}


def lingtan_totals(pv_kw, load_kw, energy_kwh: float, round_trip_pct: float) -> dict[str, float]:
    bat = Battery(BATT_KW, energy_kwh, round_trip_pct=round_trip_pct, soc_min_pct=SOC_MIN_PCT,
                  soc_max_pct=SOC_MAX_PCT, soc_start_pct=SOC_START_PCT)
    k = energy_kpis(dispatch_self_consumption(load_kw, pv_kw, 1.0, bat))
    return {"import": k.grid_import_kwh, "export": k.grid_export_kwh,
            "charge": k.battery_charge_kwh, "discharge": k.battery_discharge_kwh}


def pct_diff(a: float, b: float) -> float:
    return 100.0 * (a / b - 1.0)


@pytest.fixture(scope="module")
def epw():
    return shared("weather", EPW_NAME)


@pytest.fixture(scope="module")
def sam_pv(epw) -> dict[str, np.ndarray]:
    return run_pvwatts8(epw)


@pytest.fixture(scope="module")
def lingtan_pv(epw):
    w = read_weather(epw)
    system = SystemSettings(losses_pct=LOSSES_PCT, gamma_pdc_per_c=GAMMA_PER_C,
                            inverter_eta_nom=INV_EFF_PCT / 100.0, dc_ac_ratio=DC_AC, albedo=ALBEDO,
                            transposition="perez")
    table = YieldTable(w, system)
    return w, table, table.get(TILT_DEG, AZIMUTH_DEG, "rows")


# --------------------------------------------------------------------------------------------
# PV
# --------------------------------------------------------------------------------------------

def test_pv_year_against_pvwatts8(sam_pv, lingtan_pv):
    """Annual within 3 %: the four model differences of the module docstring add up to −1.8 % here,
    each bounded in the next test (cover ≤ 1.7, temperature ≤ 1.6, spectrum ≤ 0.5, inverter ≤ 0.8
    points); 3 % leaves room for another climate's mix, not for a unit slip (W for kW is ×1000) or a
    time-axis slip (one hour shifted drops the hourly correlation to 0.92).
    Months within 4 % (winter differs most: the cover difference grows with the angle of incidence
    at low sun). Hourly correlation > 0.995 (measured 0.9998)."""
    _, table, oy = lingtan_pv
    lt_kw = oy.ac_kwh_per_kwp * KWP
    sam_kw = sam_pv["ac"]
    assert len(lt_kw) == len(sam_kw) == 8760
    annual = pct_diff(lt_kw.sum(), sam_kw.sum())
    assert abs(annual) < 3.0, f"annual {lt_kw.sum():.0f} vs SAM {sam_kw.sum():.0f} kWh ({annual:+.2f} %)"
    lt_month = np.bincount(table.sun.month, weights=lt_kw, minlength=12)
    month = 100.0 * (lt_month / sam_pv["ac_monthly"] - 1.0)
    assert np.all(np.abs(month) < 4.0), np.round(month, 2)
    assert np.corrcoef(lt_kw, sam_kw)[0, 1] > 0.995
    # a plausibility anchor independent of both models: Beijing's 1,396 kWh/m² GHI (SOURCES.md)
    # at a performance ratio of 0.75–0.95 on the ~1.15× tilted gain gives 1,200–1,530 kWh/kWp
    assert 1200 < sam_kw.sum() / KWP < 1530


def test_pv_differences_are_the_documented_ones(sam_pv, lingtan_pv):
    """Lingtan's chain rebuilt from pvlib in the test (checked equal to YieldTable), then SAM's
    cover, air-mass modifier, cell temperature and inverter swapped in one at a time: each step
    moves the year by the amount the docstring states, and with all four swapped the rebuilt chain
    lands within 0.5 % of PVWatts v8 (measured +0.2 %)."""
    w, table, oy = lingtan_pv
    sun, wd = table.sun, w.data
    irr = pvlib.irradiance.get_total_irradiance(
        TILT_DEG, AZIMUTH_DEG, sun.apparent_zenith, sun.azimuth, wd["dni"].to_numpy(float),
        wd["ghi"].to_numpy(float), wd["dhi"].to_numpy(float), dni_extra=sun.dni_extra,
        airmass=sun.airmass, albedo=ALBEDO, model="perez")
    poa = np.nan_to_num(np.asarray(irr["poa_global"], float))
    # free-standing rows: SAPM open rack, glass/polymer (King et al. 2004), as Lingtan documents
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    t_sapm = pvlib.temperature.sapm_cell(poa, wd["temp_air"].to_numpy(float),
                                         wd["wind_speed"].to_numpy(float), **params)
    paco_kw = KWP / DC_AC
    sandia = {"Paco": paco_kw, "Pdco": paco_kw / (INV_EFF_PCT / 100.0), "Vdco": 1.0,
              "Pso": PSO_SHARE_UTILITY * paco_kw, "C0": 0.0, "C1": 0.0, "C2": 0.0, "C3": 0.0,
              "Pnt": 0.0}

    def ac_kw(eff_w_m2, t_cell, inverter="pvwatts5"):
        dc = pvlib.pvsystem.pvwatts_dc(eff_w_m2, t_cell, KWP, GAMMA_PER_C) * (1 - LOSSES_PCT / 100)
        if inverter == "pvwatts5":
            ac = pvlib.inverter.pvwatts(dc, paco_kw / (INV_EFF_PCT / 100.0), INV_EFF_PCT / 100.0)
        else:
            ac = pvlib.inverter.sandia(np.ones_like(dc), dc, sandia)
        return np.clip(np.nan_to_num(np.asarray(ac, float)), 0.0, None)

    sam_year = sam_pv["ac"].sum()
    # the bridge: the pvlib copy is Lingtan's chain
    np.testing.assert_allclose(ac_kw(oy.poa_wh_m2, t_sapm), oy.ac_kwh_per_kwp * KWP, atol=1e-6)
    # same sky, same albedo: plane-of-array before the cover within 0.5 %
    assert abs(pct_diff(poa.sum(), sam_pv["poa"].sum())) < 0.5
    # SAM's inverter is Sandia's with zero curvature: it reproduces SAM's AC from SAM's DC exactly
    sam_dc = sam_pv["dc"]
    ac_sandia = np.where(sam_dc > 0, pvlib.inverter.sandia(np.ones_like(sam_dc), sam_dc, sandia), 0.0)
    np.testing.assert_allclose(np.clip(ac_sandia, 0, None), sam_pv["ac"], atol=1e-6)

    cover = np.divide(sam_pv["tpoa"], sam_pv["poa"], out=np.zeros_like(poa), where=sam_pv["poa"] > 0)
    am = np.nan_to_num(pvlib.atmosphere.get_relative_airmass(sun.zenith, model="kastenyoung1989"))
    am = am * np.exp(-0.0001184 * w.altitude_m)  # pressure correction, as in the Sandia model
    f_am = np.clip(sum(c * am**i for i, c in enumerate(AM_DESOTO)), 0.0, None)
    steps = [ac_kw(oy.poa_wh_m2, t_sapm).sum(),
             ac_kw(poa * cover, t_sapm).sum(),
             ac_kw(poa * cover * f_am, t_sapm).sum(),
             ac_kw(poa * cover * f_am, sam_pv["tcell"]).sum(),
             ac_kw(poa * cover * f_am, sam_pv["tcell"], "sandia").sum()]
    moves = [100.0 * (b - a) / sam_year for a, b in itertools.pairwise(steps)]
    assert 0.7 < moves[0] < 1.7, f"cover {moves[0]:+.2f} points"  # measured +1.19
    assert 0.0 < moves[1] < 0.5, f"air-mass modifier {moves[1]:+.2f}"  # measured +0.24
    assert 0.5 < moves[2] < 1.6, f"cell temperature {moves[2]:+.2f}"  # measured +1.06
    assert -0.8 < moves[3] < -0.2, f"inverter {moves[3]:+.2f}"  # measured −0.51
    assert abs(pct_diff(steps[-1], sam_year)) < 0.5  # measured +0.21
    # the temperature step has the sign of the models' cell temperatures: SAPM runs hotter
    t_lingtan = (t_sapm * poa).sum() / poa.sum()
    t_sam = (sam_pv["tcell"] * sam_pv["poa"]).sum() / sam_pv["poa"].sum()
    assert 1.0 < t_lingtan - t_sam < 5.0  # irradiance-weighted, measured 2.8 °C


# --------------------------------------------------------------------------------------------
# battery: same PV series (SAM's) and load into both storage models
# --------------------------------------------------------------------------------------------

def test_battery_overlap(sam_pv):
    """SAM reduced to Lingtan's battery model: import within 0.05 %, export, charge and discharge
    within 0.2 % (measured ≤ 0.01 %). What is left is SAM's iterative limiting at the SOC bounds and
    at its power limit, which lets up to 252 kW through: hourly flows differ by > 1 kW in 20 hours."""
    pv = sam_pv["ac"]
    load = np.full(len(pv), LOAD_KW)
    s = run_sam_battery(pv, load, physics=False)
    # read SAM's flows right: its PV splits into load, battery and grid every hour
    np.testing.assert_allclose(s["system_to_load"] + s["system_to_batt"] + s["system_to_grid"], pv,
                               atol=1e-3)
    assert abs(s["installed_kwh"] - BATT_KWH) < 5.0  # SAM builds the bank from whole cells
    sam = sam_totals(s)
    lt = lingtan_totals(pv, load, s["installed_kwh"], CONV_EFF_PCT**2 / 100.0)
    assert abs(pct_diff(lt["import"], sam["import"])) < 0.05, (lt, sam)
    for key in ("export", "charge", "discharge"):
        assert abs(pct_diff(lt[key], sam[key])) < 0.2, (key, lt, sam)
    # SAM's own energy balance in this mode is Lingtan's equation: stored = charge·η − discharge÷η
    # with η = 0.96 each way, equal to the change of state of charge (kWh)
    eta = CONV_EFF_PCT / 100.0
    stored = sam["charge"] * eta - sam["discharge"] / eta
    soc_change = (s["batt_SOC"][-1] - SOC_START_PCT) / 100.0 * s["installed_kwh"]
    assert stored == pytest.approx(soc_change, abs=0.001 * sam["charge"])


def test_battery_physics_explained(sam_pv):
    """SAM's LFP defaults: Lingtan at nameplate differs by > 3 % in throughput (measured 6.4 %
    charge, 4.9 % discharge), and Lingtan given SAM's effective energy and round trip agrees within
    0.5 % (measured 0.11 %). The effective values come from SAM's hourly DC power and current:

    * mean cell voltage charging Vc = ΣP_dc/ΣI over charging hours, Vd likewise discharging;
    * SAM's SOC window is in Ah, so the stored energy in it scales with √(Vc·Vd) ÷ V_nameplate, and
      its capacity-vs-temperature table scales the Ah at the battery's mean temperature;
    * the round trip falls by Vd/Vc (charge stored at Vc, returned at Vd).
    """
    pv = sam_pv["ac"]
    load = np.full(len(pv), LOAD_KW)
    s = run_sam_battery(pv, load, physics=True)
    sam = sam_totals(s)
    nameplate_rte = CONV_EFF_PCT**2 / 100.0
    raw = lingtan_totals(pv, load, s["installed_kwh"], nameplate_rte)
    assert abs(pct_diff(raw["charge"], sam["charge"])) > 3.0, (raw, sam)

    i, p_dc = s["batt_I"], s["batt_power_dc"]
    ch, dis = i < 0, i > 0
    vc = p_dc[ch].sum() * 1000.0 / i[ch].sum() / s["series"]
    vd = p_dc[dis].sum() * 1000.0 / i[dis].sum() / s["series"]
    assert s["vnom_cell"] < vd < vc  # SAM's cells sit above their nameplate voltage in 20–100 %
    t_mean = s["batt_temperature"][ch | dis].mean()
    cap_vs_t = s["cap_vs_temp"]
    f_temp = np.interp(t_mean, cap_vs_t[:, 0], cap_vs_t[:, 1]) / 100.0
    energy = s["installed_kwh"] * np.sqrt(vc * vd) / s["vnom_cell"] * f_temp
    explained = lingtan_totals(pv, load, energy, nameplate_rte * vd / vc)
    assert abs(pct_diff(explained["import"], sam["import"])) < 0.1, (explained, sam)
    for key in ("export", "charge", "discharge"):
        assert abs(pct_diff(explained[key], sam[key])) < 0.5, (key, explained, sam)
