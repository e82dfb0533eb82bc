"""Dev-only validation of the wake models against PyWake (DTU, MIT licence).

PyWake is not a dependency (it pulls ~38 packages / ~240 MB: xarray, matplotlib, netCDF4, HDF5
tables, autograd …); this module skips when it is not installed. To run it:
``pip install --target /tmp/pywake_site py_wake`` (plus its dependencies) and
``PYTHONPATH=/tmp/pywake_site pytest tests/test_wind_pywake.py``.
PyWake is configured with the classic 1D-momentum induction (``ct2a_mom1d``) that Lingtan uses
(PyWake's default is Madsen's polynomial).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from gis.wind.energy import GridSettings, farm_energy
from gis.wind.resource import WindClimate, WindResource
from gis.wind.turbines import load_turbine
from gis.wind.wakes import WakeSettings, effective_speeds

py_wake = pytest.importorskip("py_wake")
warnings.filterwarnings("ignore", module="py_wake")


def _pywake_turbine(t):
    from py_wake.wind_turbines import WindTurbine
    from py_wake.wind_turbines.power_ct_functions import PowerCtTabular

    c = t.curve
    ws = np.r_[0, c.cut_in_ms - 1e-6, c.ct_speed_ms, c.cut_out_ms + 1e-6, 40]
    ct = np.r_[0, 0, c.ct, 0, 0]
    return WindTurbine(t.name, t.rotor_diameter_m, t.hub_height_m,
                       powerCtFunction=PowerCtTabular(ws, c.power(ws), "kW", ct))


def _deficit(model):
    from py_wake.deficit_models import BastankhahGaussianDeficit, NOJDeficit
    from py_wake.deficit_models.utils import ct2a_mom1d
    from py_wake.rotor_avg_models import AreaOverlapAvgModel

    if model == "jensen":
        return NOJDeficit(k=0.075, ct2a=ct2a_mom1d, rotorAvgModel=AreaOverlapAvgModel())
    return BastankhahGaussianDeficit(k=WakeSettings("bastankhah").k_star, ct2a=ct2a_mom1d)


@pytest.mark.parametrize("model", ["jensen", "bastankhah"])
def test_effective_speeds_match_pywake(model):
    from py_wake.site import UniformSite
    from py_wake.superposition_models import SquaredSum
    from py_wake.wind_farm_models import PropagateDownwind

    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 1200, 12), rng.uniform(0, 800, 12)
    wd, ws = np.arange(0, 360, 1.0), np.arange(3.25, 25, 0.5)
    wfm = PropagateDownwind(UniformSite(p_wd=[1], ti=0.1), _pywake_turbine(t),
                            wake_deficitModel=_deficit(model), superpositionModel=SquaredSum())
    ref = wfm(x, y, wd=wd, ws=ws).WS_eff.values                    # (turbine, wd, ws)
    mine = effective_speeds(x, y, np.full(12, 60.0), 52.0, lambda s, u: t.curve.thrust(u), wd, ws,
                            WakeSettings(model))
    np.testing.assert_allclose(np.transpose(mine, (1, 0, 2)), ref, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("model", ["jensen", "bastankhah"])
def test_farm_wake_loss_matches_pywake(model):
    from py_wake.site import UniformWeibullSite
    from py_wake.superposition_models import SquaredSum
    from py_wake.wind_farm_models import PropagateDownwind

    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    f = np.array([3, 4, 5, 6, 8, 10, 14, 16, 12, 9, 7, 6.0])
    f /= f.sum()
    a = np.array([6, 6.2, 6.5, 6.8, 7, 7.5, 8, 8.2, 7.6, 7, 6.5, 6.2])
    k = np.full(12, 2.0)
    x = np.r_[np.arange(5) * 260.0, np.arange(5) * 260.0]
    y = np.r_[np.zeros(5), np.full(5, 208.0)]
    wfm = PropagateDownwind(UniformWeibullSite(p_wd=f, a=a, k=k, ti=0.1), _pywake_turbine(t),
                            wake_deficitModel=_deficit(model), superpositionModel=SquaredSum())
    sim = wfm(x, y, wd=np.arange(0, 360, 1.0), ws=np.arange(0.25, 25.0, 0.5))
    net, gross = float(sim.aep().values.sum()), float(sim.aep(with_wake_loss=False).values.sum())
    w = WindResource(WindClimate(f, 60.0, A=a, k=k)).at_turbines(x, y, None, [60] * 10)
    e = farm_energy(x, y, [t] * 10, w, wake=WakeSettings(model), grid=GridSettings(1.0, 0.5))
    loss = 100 * (1 - e.aep_mwh.sum() / e.gross_aep_mwh.sum())
    assert loss == pytest.approx(100 * (1 - net / gross), abs=0.02)           # percentage points
    assert e.aep_mwh.sum() == pytest.approx(net * 1000, rel=0.005)            # GWh -> MWh
