"""Wake losses between turbines: Jensen/NOJ (top-hat) and Bastankhah–Porté-Agel Gaussian.

Both are the classic engineering models, vectorised over directions × speeds; deficits of all
upstream turbines are combined by the sum of squares (Katic et al. 1986) and the thrust coefficient
of each wake source is taken at its own *waked* speed, processing turbines in downstream order —
the same scheme as PyWake's ``PropagateDownwind`` with ``SquaredSum``.

* **Jensen / NOJ** (N.O. Jensen 1983, Risø-M-2411; Katic, Højstrup & Jensen 1986, EWEC): behind a
  rotor of radius R the wake is a top hat of radius R + k·x with the deficit
  ΔU/U = (1 − √(1 − Ct)) · (R / (R + k·x))², applied to the share of the downstream rotor's area
  the wake circle covers (partial wakes, Katic 1986). Wake decay k = 0.075 onshore (WAsP PARK
  default for land sites; 0.04–0.05 offshore).
* **Bastankhah–Porté-Agel** (2014, Renewable Energy 70:116–123): Gaussian deficit
  ΔU/U = (1 − √(1 − Ct / (8 (σ/D)²))) · exp(−r² / (2σ²)), σ = k*·x + ε·D,
  ε = 0.2 √β, β = ½ (1 + √(1 − Ct)) / √(1 − Ct) (Ct ≤ 0.899 in β), evaluated at the hub centre.
  k* from the ambient turbulence intensity (Niayifar & Porté-Agel 2016, Energies 9:741):
  k* = 0.3837 TI + 0.003678; TI = 0.10 onshore by default (IEC 61400-1 class C reference
  turbulence 0.12 at 15 m/s; 0.10 is typical of hub-height TI over open-to-suburban land).

x is the downwind distance and r the distance from the wake centre line (horizontal crosswind
offset and hub-height difference). Turbines exactly across the wind (x = 0) do not wake each other.
Validated against PyWake 2.6 in tests/test_wind_pywake.py (dev-only).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

WAKE_MODELS = ("jensen", "bastankhah", "none")
JENSEN_K_ONSHORE = 0.075
"""Jensen wake decay constant on land (Katic et al. 1986; WAsP PARK default 0.075 onshore)."""
BPA_CEPS = 0.2          # Bastankhah & Porté-Agel 2014, eq. (22): ε = 0.2 √β
BPA_CTLIM = 0.899       # β is only valid for Ct < 0.9 (as PyWake's ctlim)
DEFAULT_TI = 0.10       # ambient turbulence intensity for k* (see module docstring)
_GAUSS_CUTOFF = 30.0    # ignore pairs where exp(-r²/2σ²) < e^-30 at the widest possible wake


def bpa_k_star(ti: float) -> float:
    """Wake growth rate k* from turbulence intensity (Niayifar & Porté-Agel 2016)."""
    return 0.3837 * ti + 0.003678


@dataclass(frozen=True)
class WakeSettings:
    """model: "jensen" | "bastankhah" | "none"; jensen_k: top-hat wake decay; ti: ambient
    turbulence intensity (k* of the Gaussian model unless ``bpa_k`` is given)."""

    model: str = "jensen"
    jensen_k: float = JENSEN_K_ONSHORE
    ti: float = DEFAULT_TI
    bpa_k: float | None = None
    ceps: float = BPA_CEPS
    ctlim: float = BPA_CTLIM

    @property
    def k_star(self) -> float:
        return self.bpa_k if self.bpa_k is not None else bpa_k_star(self.ti)


def overlap_fraction(r, r_wake, r_rotor):
    """Share of a rotor disc (radius ``r_rotor``) inside a wake circle (radius ``r_wake``) whose
    centre is ``r`` away (circle–circle intersection area / rotor area)."""
    r = np.asarray(r, float)
    rw = np.broadcast_to(np.asarray(r_wake, float), r.shape)
    rr = np.broadcast_to(np.asarray(r_rotor, float), r.shape)
    out = np.zeros(r.shape)
    full = r <= np.abs(rw - rr)
    out[full] = (np.minimum(rw, rr)[full] / rr[full]) ** 2
    part = ~full & (r < rw + rr)
    if part.any():
        d, a, b = r[part], rw[part], rr[part]
        c1 = np.clip((d * d + a * a - b * b) / (2 * d * a), -1, 1)
        c2 = np.clip((d * d + b * b - a * a) / (2 * d * b), -1, 1)
        tri = np.sqrt(np.maximum((-d + a + b) * (d + a - b) * (d - a + b) * (d + a + b), 0.0))
        area = a * a * np.arccos(c1) + b * b * np.arccos(c2) - 0.5 * tri
        out[part] = area / (np.pi * b * b)
    return out


def pair_geometry(x, y, hub, wd_deg):
    """Downwind distance ``dw`` and centre-line distance ``r`` (D, T, T): receiver i, source j,
    for wind from ``wd_deg`` (meteorological, degrees clockwise from north)."""
    x, y, hub = (np.asarray(a, float) for a in (x, y, hub))
    th = np.radians(np.asarray(wd_deg, float))
    ex, ey = -np.sin(th), -np.cos(th)          # unit vector the wind blows towards
    dx = x[:, None] - x[None, :]
    dy = y[:, None] - y[None, :]
    dz = hub[:, None] - hub[None, :]
    dw = dx[None] * ex[:, None, None] + dy[None] * ey[:, None, None]
    cw = dx[None] * ey[:, None, None] - dy[None] * ex[:, None, None]
    r = np.sqrt(cw * cw + dz[None] ** 2)
    return dw, r


CtFunction = Callable[[np.ndarray, np.ndarray], np.ndarray]
"""ct(source_index (n,), speeds (n, B)) -> thrust coefficients (n, B)."""


def effective_speeds(x, y, hub, diameter, ct: CtFunction, wd_deg, ws, settings: WakeSettings = WakeSettings()
                     ) -> np.ndarray:
    """Hub-height effective wind speed (D, T, B) at each turbine for each direction in ``wd_deg``
    (D,) and free-stream speed in ``ws`` (B,), with the settings' wake model.

    Only (direction, receiver, source) triplets with the receiver downstream (x > 0) and inside the
    wake's reach are kept; receivers are processed level by level in downstream order so every
    source's Ct is taken at its final waked speed, one pass over the triplets.
    """
    ws = np.asarray(ws, float)
    wd = np.atleast_1d(np.asarray(wd_deg, float))
    n_t, n_d, n_b = len(np.atleast_1d(x)), len(wd), len(ws)
    u = np.broadcast_to(ws, (n_d, n_t, n_b)).copy()
    if settings.model == "none" or n_t < 2:
        return u
    if settings.model not in WAKE_MODELS:
        raise ValueError(f"unknown wake model {settings.model!r}")
    diam = np.broadcast_to(np.asarray(diameter, float), (n_t,))
    dw, r = pair_geometry(x, y, hub, wd)
    rs = diam[None, None, :] / 2.0  # source radius
    rr = diam[None, :, None] / 2.0  # receiver radius
    if settings.model == "jensen":
        reach = rs + settings.jensen_k * np.maximum(dw, 0.0)
        mask = (dw > 0) & (r < reach + rr)
    else:
        sq = np.sqrt(1.0 - settings.ctlim)
        eps_max = settings.ceps * np.sqrt(0.5 * (1 + sq) / sq)
        sig_max = settings.k_star * np.maximum(dw, 0.0) + eps_max * 2.0 * rs
        mask = (dw > 0) & (r * r < 2.0 * _GAUSS_CUTOFF * sig_max * sig_max)
    dk, ik, jk = np.nonzero(mask)
    if len(dk) == 0:
        return u
    recv = dk * n_t + ik
    src = dk * n_t + jk
    # downstream level of every (direction, turbine): longest chain of wakes reaching it
    level = np.zeros(n_d * n_t, dtype=np.int64)
    for _ in range(n_t):
        new = level.copy()
        np.maximum.at(new, recv, level[src] + 1)
        if np.array_equal(new, level):
            break
        level = new
    order = np.lexsort((recv, level[recv]))
    dk, ik, jk, recv = dk[order], ik[order], jk[order], recv[order]
    src = dk * n_t + jk
    t_dw = dw[dk, ik, jk]
    t_r = r[dk, ik, jk]
    t_ds = diam[jk]
    if settings.model == "jensen":
        r_src = t_ds / 2.0
        geo = overlap_fraction(t_r, r_src + settings.jensen_k * t_dw, diam[ik] / 2.0) \
            / (1.0 + settings.jensen_k * t_dw / r_src) ** 2
    lv = level[recv]
    bounds = np.flatnonzero(np.r_[True, lv[1:] != lv[:-1], True])
    flat = u.reshape(n_d * n_t, n_b)
    for a, b in itertools.pairwise(bounds):
        sl = slice(a, b)
        c = ct(jk[sl], flat[src[sl]])
        if settings.model == "jensen":
            deficit = ws[None, :] * (1.0 - np.sqrt(1.0 - np.minimum(c, 1.0))) * geo[sl, None]
        else:
            cl = np.minimum(c, settings.ctlim)
            sq = np.sqrt(1.0 - cl)
            eps = settings.ceps * np.sqrt(0.5 * (1.0 + sq) / sq)
            ds = t_ds[sl, None]
            sigma = settings.k_star * t_dw[sl, None] + eps * ds
            xarg = np.minimum(1.0, c * ds * ds / (8.0 * sigma * sigma))
            centre = np.minimum(1.0, 1.0 - np.sqrt(1.0 - xarg))
            deficit = ws[None, :] * centre * np.exp(-(t_r[sl, None] ** 2) / (2.0 * sigma * sigma))
        rec = recv[sl]
        starts = np.flatnonzero(np.r_[True, rec[1:] != rec[:-1]])
        total = np.add.reduceat(deficit * deficit, starts, axis=0)
        flat[rec[starts]] = np.maximum(ws[None, :] - np.sqrt(total), 0.0)
    return u
