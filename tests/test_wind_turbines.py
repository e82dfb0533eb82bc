"""Turbine curves: extension to cut-out (the DOMAIN.md trap), CSV reader, library, generic, density."""

from __future__ import annotations

import numpy as np
import pytest

from gis.errors import InputError
from gis.wind.turbines import (
    DEFAULT_CUT_OUT_MS,
    extend_curve,
    generic_turbine,
    library_table,
    load_turbine,
    make_curve,
    read_curve_file,
)


def _curve(v, p, **kw):
    c, _ = make_curve(v, p, rotor_diameter_m=50.0, **kw)
    return c


def test_curve_ending_at_rated_is_held_to_cut_out_not_ramped():
    # ends at 20 m/s with rated power: full power up to 25 m/s, zero above, no ramp after 20
    c = _curve([3, 5, 10, 12, 20], [0, 100, 700, 800, 800])
    assert c.cut_out_ms == DEFAULT_CUT_OUT_MS
    np.testing.assert_allclose(c.power([20.0, 21.0, 22.5, 24.99, 25.0]), 800.0)
    np.testing.assert_allclose(c.power([25.0001, 26.0, 40.0]), 0.0)
    # what the trap would give: np.interp with a zero at 25 linear ramps 800 -> 0 between 20 and 25
    assert c.power(22.5) != pytest.approx(np.interp(22.5, [20, 25], [800, 0]))


def test_curve_with_its_own_cut_out_steps_at_the_last_powered_point():
    # windpowerlib style: 5 MW at 25.0, 0 at 25.5 -> cut-out 25.0, no ramp between 25.0 and 25.5
    c = _curve([0, 3, 10, 13, 25.0, 25.5, 30], [0, 0, 3000, 5000, 5000, 0, 0])
    assert c.cut_out_ms == 25.0
    assert c.power(25.0) == pytest.approx(5000.0)
    assert c.power(25.25) == 0.0
    assert c.power(2.9) == 0.0 and c.power(3.0) == 0.0
    assert c.power(6.5) == pytest.approx(np.interp(6.5, [3, 10], [0, 3000]))


def test_below_cut_in_zero_and_step_when_the_curve_starts_with_power():
    c = _curve([4, 5, 15], [25.5, 67.4, 850])
    assert c.cut_in_ms == 4.0
    assert c.power(3.999) == 0.0
    assert c.power(4.0) == pytest.approx(25.5)


def test_explicit_cut_out_and_negative_self_consumption():
    xs, ps, cut_in, cut_out, notes = extend_curve([1, 2, 3, 4, 14.5], [-0.5, -0.3, 1.0, 4.0, 64.8],
                                                  cut_out_ms=25.0)
    assert cut_in == 2.0 and cut_out == 25.0
    assert ps.min() >= 0.0
    assert xs[-1] == 25.0 and ps[-1] == pytest.approx(64.8)     # held, not ramped
    assert any(n.code == "wind.curve_negative" for n in notes)
    c = _curve([3, 10, 20], [10, 500, 600], cut_out_ms=18.0)   # cut-out inside the curve
    assert c.power(18.0) == pytest.approx(np.interp(18, [10, 20], [500, 600]))
    assert c.power(18.01) == 0.0


def test_bad_curves_are_input_errors():
    with pytest.raises(InputError):
        extend_curve([5], [100])
    with pytest.raises(InputError):
        extend_curve([3, 4, 5], [0, 0, 0])


def test_density_correction_pitch_and_stall():
    c = _curve([3, 5, 10, 12, 25], [0, 100, 700, 800, 800])
    rho = 1.0
    k = (rho / 1.225) ** (1 / 3)
    site = c.at_density(rho)
    v = np.array([4.0, 6.0, 9.0, 11.0])
    np.testing.assert_allclose(site.power(v), c.power(v * k), rtol=1e-12)   # IEC 61400-12-1 speed scaling
    assert site.cut_out_ms == 25.0 and site.power(25.0) == pytest.approx(800.0) and site.power(25.1) == 0
    stall = _curve([3, 5, 10, 12, 25], [0, 100, 700, 800, 800], control="stall").at_density(rho)
    assert stall.power(9.0) == pytest.approx(c.power(9.0) * rho / 1.225)


def test_user_csv_chinese_headers_units_and_metadata(tmp_path):
    f = tmp_path / "small.csv"
    f.write_text("# 名称: 小风机 30 kW\n# 叶轮直径: 13.1 m\n# 轮毂高度: 24\n# 切出风速: 20\n"
                 "风速(m/s),功率(W)\n2,0\n3,500\n8,15000\n11,30000\n14,30000\n", encoding="gbk")
    t = read_curve_file(f)
    assert t.name == "小风机 30 kW"
    assert t.rotor_diameter_m == 13.1 and t.hub_height_m == 24.0
    assert t.curve.power(8.0) == pytest.approx(15.0)          # W -> kW
    assert t.curve.power(17.0) == pytest.approx(30.0)         # held past 14 m/s to the 20 m/s cut-out
    assert t.curve.power(20.5) == 0.0
    assert 0.5 < t.curve.thrust(6.0) <= 8 / 9                  # estimated Ct in a plausible range
    g = tmp_path / "bare.csv"
    g.write_text("3 0\n5 10\n9 50\n12 50\n", encoding="utf-8")
    with pytest.raises(InputError, match="rotor"):
        read_curve_file(g)
    # a 30 m rotor (707 m²): 10 kW at 5 m/s is within Betz, 16/27 · ½ · 1.225 · 707 · 5³ W = 32 kW
    t2 = read_curve_file(g, rotor_diameter_m=30.0, hub_height_m=18.0)
    assert t2.curve.power(5.0) == pytest.approx(10.0)


def test_bundled_small_turbine_is_extended_to_cut_out():
    t = load_turbine("ghrepower_fd21_50")
    assert t.rotor_diameter_m == 21.5
    assert t.curve.cut_out_ms == 25.0
    assert t.curve.power(20.0) == pytest.approx(64.8)          # measured curve stops at 14.5 m/s


def test_bundled_small_turbine_rated_at_its_nameplate():
    """FD21-50: 50 kW nameplate (not the curve's 65.6 kW peak, nor SWCC's 61.2 kW at 11 m/s), so the
    demo's capacity and capacity factor use 50 kW per turbine."""
    t = load_turbine("ghrepower_fd21_50")
    assert t.rated_kw == 50.0
    assert t.curve.power(13.0) == pytest.approx(65.6) and t.curve.power(11.0) == pytest.approx(61.24)
    from app.results import ParkResults, add_demo_siting
    from gis.park import load_sample_park

    w = add_demo_siting(ParkResults(park=load_sample_park())).wind
    n = len(w.turbines)
    assert w.totals["capacity_kw"] == 50.0 * n
    assert w.totals["cf"] == pytest.approx(w.totals["aep_mwh"] * 1000 / (50.0 * n * 8760), abs=6e-4)
    assert (w.turbines["rated_kw"] == 50.0).all()
    cf = w.turbines["aep_mwh"] * 1000 / (50.0 * 8760)
    assert np.allclose(w.turbines["cf"], cf, atol=6e-5)


def test_windpowerlib_library_offline():
    pytest.importorskip("windpowerlib")
    lib = library_table()
    assert len(lib) >= 60                                      # DOMAIN.md §6: 67 types with curves
    assert lib["rated_kw"].min() >= 800                        # smallest is 800 kW (DOMAIN.md §6)
    t = load_turbine("E-53/800", hub_height_m=60)
    assert t.rated_kw == 800 and t.rotor_diameter_m == 53 and t.hub_height_m == 60
    # the oedb E-53/800 curve stops at 25 m/s with 810 kW: held there, zero above (not dropped early)
    assert t.curve.power(24.9) == pytest.approx(810.0)
    assert t.curve.power(25.5) == 0.0
    with pytest.raises(InputError, match="E-53/800"):
        load_turbine("E53-8OO-typo")


def test_generic_turbine_shape():
    t = generic_turbine(2000, 90, 80)
    v = np.arange(0, 30, 0.1)
    p = t.curve.power(v)
    assert p[v < 3].max() == 0 and p[v > 25.0001].max() == 0
    assert p.max() == pytest.approx(2000, rel=1e-3)
    assert np.all(np.diff(p[(v >= 3) & (v <= 25)]) >= -1e-9)   # monotone up to rated
    cp = p[(v > 4) & (v < 9)] * 1000 / (0.5 * 1.225 * np.pi * 45 ** 2 * v[(v > 4) & (v < 9)] ** 3)
    assert cp.max() < 16 / 27 and 0.4 < cp.max() < 0.49       # below max_cp 0.49 after losses
    assert load_turbine("generic:2000,90,80").rated_kw == 2000


def test_unknown_turbine_suggests_near_names_or_the_list():
    from gis.errors import InputError
    from gis.wind.turbines import load_turbine

    with pytest.raises(InputError) as near:
        load_turbine("E-53/80")
    assert "E-53/800" in near.value.en and "Close:" in near.value.en
    with pytest.raises(InputError) as far:
        load_turbine("zzzz")
    assert "Close" not in far.value.en
    assert "--list-turbines" in far.value.en and "--list-turbines" in far.value.zh
