"""Wakes: hand-computed Jensen and Bastankhah deficits, loss vs spacing, no wake across the wind."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gis.wind.energy import farm_energy
from gis.wind.resource import WindClimate, WindResource
from gis.wind.turbines import load_turbine
from gis.wind.wakes import WakeSettings, bpa_k_star, effective_speeds, overlap_fraction

CT = 0.75


def _const_ct(src, u):
    return np.full(u.shape, CT)


def test_jensen_single_wake_by_hand():
    # wind from the west (270°) blows east; the second turbine 400 m downstream, same hub height
    d, k, x = 52.0, 0.075, 400.0
    s = WakeSettings("jensen", jensen_k=k)
    u = effective_speeds([0, x], [0, 0], [60, 60], d, _const_ct, [270.0], [8.0], s)
    r = d / 2
    expected = 8.0 * (1 - (1 - np.sqrt(1 - CT)) * (r / (r + k * x)) ** 2)
    assert u[0, 1, 0] == pytest.approx(expected, rel=1e-12)
    assert u[0, 0, 0] == 8.0                                   # the upstream turbine is free


def test_jensen_partial_overlap_by_hand():
    d, k, x, off = 52.0, 0.075, 400.0, 40.0
    s = WakeSettings("jensen", jensen_k=k)
    u = effective_speeds([0, x], [0, off], [60, 60], d, _const_ct, [270.0], [8.0], s)
    rw, rr = d / 2 + k * x, d / 2
    # circle-circle intersection area (lens) for wake radius rw, rotor radius rr, centres off apart
    a1 = rw ** 2 * np.arccos((off ** 2 + rw ** 2 - rr ** 2) / (2 * off * rw))
    a2 = rr ** 2 * np.arccos((off ** 2 + rr ** 2 - rw ** 2) / (2 * off * rr))
    a3 = 0.5 * np.sqrt((-off + rw + rr) * (off + rw - rr) * (off - rw + rr) * (off + rw + rr))
    share = (a1 + a2 - a3) / (np.pi * rr ** 2)
    assert 0 < share < 1
    expected = 8.0 * (1 - (1 - np.sqrt(1 - CT)) * (d / 2 / rw) ** 2 * share)
    assert u[0, 1, 0] == pytest.approx(expected, rel=1e-12)
    assert overlap_fraction(np.array([0.0]), 40.0, 26.0)[0] == 1.0


def test_bastankhah_single_wake_by_hand():
    d, x, cw = 52.0, 300.0, 20.0
    s = WakeSettings("bastankhah", ti=0.1)
    u = effective_speeds([0, x], [0, cw], [60, 60], d, _const_ct, [270.0], [8.0], s)
    beta = 0.5 * (1 + np.sqrt(1 - CT)) / np.sqrt(1 - CT)
    sigma = (0.3837 * 0.1 + 0.003678) * x + 0.2 * np.sqrt(beta) * d
    c = 1 - np.sqrt(1 - CT / (8 * (sigma / d) ** 2))
    expected = 8.0 * (1 - c * np.exp(-(cw ** 2) / (2 * sigma ** 2)))
    assert u[0, 1, 0] == pytest.approx(expected, rel=1e-12)
    assert s.k_star == pytest.approx(bpa_k_star(0.1))


def test_sum_of_squares_and_waked_ct_chain():
    # three in a row: the third sees both wakes, the second's Ct taken at its waked speed
    d, k = 52.0, 0.075
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    c = t.curve
    u = effective_speeds([0, 300, 600], [0, 0, 0], [60] * 3, d, lambda s, v: c.thrust(v), [270.0], [9.0],
                         WakeSettings("jensen", jensen_k=k))
    r = d / 2
    a = lambda ct: 1 - np.sqrt(1 - ct)  # noqa: E731
    u1 = 9.0
    d12 = 9.0 * a(c.thrust(u1)) * (r / (r + k * 300)) ** 2
    u2 = 9.0 - d12
    d13 = 9.0 * a(c.thrust(u1)) * (r / (r + k * 600)) ** 2
    d23 = 9.0 * a(c.thrust(u2)) * (r / (r + k * 300)) ** 2
    assert u[0, 1, 0] == pytest.approx(u2, rel=1e-12)
    assert u[0, 2, 0] == pytest.approx(9.0 - np.sqrt(d13 ** 2 + d23 ** 2), rel=1e-12)


def _single_sector(direction_deg: float, a=7.0, k=2.0, height=60.0) -> WindClimate:
    """All wind from one direction: 360 one-degree sectors, one of them with frequency 1."""
    f = np.zeros(360)
    f[int(direction_deg)] = 1.0
    return WindClimate(f, height, A=np.full(360, a), k=np.full(360, k))


@pytest.mark.parametrize("model", ["jensen", "bastankhah"])
def test_wake_loss_grows_as_spacing_shrinks(model):
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    res = WindResource(_single_sector(270))
    losses = []
    for spacing_d in (12, 9, 7, 5, 4, 3):
        x = np.array([0.0, spacing_d * 52.0])
        y = np.zeros(2)
        e = farm_energy(x, y, [t, t], res.at_turbines(x, y, None, [60, 60]), wake=WakeSettings(model))
        assert e.wake_loss_pct[0] == pytest.approx(0.0, abs=1e-12)   # upstream turbine unaffected
        losses.append(e.wake_loss_pct[1])
    assert all(b > a for a, b in itertools.pairwise(losses)), losses
    assert losses[-1] > 10.0


@pytest.mark.parametrize("model", ["jensen", "bastankhah"])
def test_no_wake_side_by_side_across_the_wind(model):
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    res = WindResource(_single_sector(0))                   # wind from the north
    x = np.array([0.0, 2.0 * 52.0])                          # side by side east-west, 2 D apart
    y = np.zeros(2)
    e = farm_energy(x, y, [t, t], res.at_turbines(x, y, None, [60, 60]), wake=WakeSettings(model))
    np.testing.assert_allclose(e.wake_loss_pct, 0.0, atol=1e-12)
    np.testing.assert_allclose(e.aep_mwh, e.gross_aep_mwh, rtol=1e-12)


def test_uniform_rose_loss_is_symmetric_and_none_model_is_free():
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    res = WindResource(WindClimate.uniform(7.0, 2.0, 60.0))
    x = np.array([0.0, 260.0, 520.0])
    y = np.zeros(3)
    w = res.at_turbines(x, y, None, [60] * 3)
    e = farm_energy(x, y, [t] * 3, w)
    assert e.wake_loss_pct[0] == pytest.approx(e.wake_loss_pct[2], rel=1e-9)
    assert e.wake_loss_pct[1] > e.wake_loss_pct[0] > 0
    free = farm_energy(x, y, [t] * 3, w, wake=WakeSettings("none"))
    np.testing.assert_allclose(free.aep_mwh, free.gross_aep_mwh)
