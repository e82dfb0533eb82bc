"""Compiled per-point loop of the monthly shading losses (:func:`gis.solar.energy.
shading_loss_monthly`): for each point and azimuth sector, the share of the plane's sky diffuse
its horizon hides (a lookup in a cumulative table on a uniform 0.5° elevation grid) and the
monthly beam of the hours whose sun is below it (a binary search in the sector's hours sorted by
sun elevation, with cumulative monthly beam).

The NumPy form called ``np.interp`` and ``np.searchsorted`` once per sector on each class's
points and gathered (points, 12) rows per sector: ~18 µs per building of a rooftop run, as much as
the building's layout. Here each point costs ~36 lookups and ~20 binary searches.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from gis.solar.horizon_kernel import NUMBA_CACHE


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def blocked_wh_m2(horizon_deg, e_step_deg, sky_cum, month_sky, sec_start, sec_end, elev,
                  beam_cum, beam_row0):  # pragma: no cover - compiled
    """Blocked effective irradiance (Wh/m², (n_points, 12)) of points with horizons
    ``horizon_deg`` (deg, (n_points, n_sec)) on one plane.

    Sky: ``sky_cum[k, j]`` is the share of the plane's sky diffuse in sector ``k`` below
    elevation ``j * e_step_deg`` (deg; linear in between, the last value above the grid), times
    the monthly sky diffuse ``month_sky`` (Wh/m², (12,)). Beam: the hours of sector ``k`` are
    ``sec_start[k]:sec_end[k]`` of ``elev`` (sun elevation, deg, ascending within the sector);
    ``beam_cum[beam_row0[k] + i]`` is the monthly beam (Wh/m², (12,)) of the sector's first ``i``
    hours, so the hours below a horizon h add row ``i`` = number of elevations < h.
    """
    n_pts, n_sec = horizon_deg.shape
    n_grid = sky_cum.shape[1]
    out = np.zeros((n_pts, 12))
    for p in range(n_pts):
        sky = 0.0
        for k in range(n_sec):
            h = np.float64(horizon_deg[p, k])
            if not h > 0.0:
                continue
            x = h / e_step_deg
            j = math.floor(x)
            if j >= n_grid - 1:
                sky += sky_cum[k, n_grid - 1]
            else:
                f = x - j
                sky += sky_cum[k, j] * (1.0 - f) + sky_cum[k, j + 1] * f
            lo = sec_start[k]
            hi = sec_end[k]
            if lo == hi:
                continue
            a = lo  # first hour with elevation >= h
            b = hi
            while a < b:
                mid = (a + b) >> 1
                if elev[mid] < h:
                    a = mid + 1
                else:
                    b = mid
            row = beam_row0[k] + (a - lo)
            for m in range(12):
                out[p, m] += beam_cum[row, m]
        if sky > 1.0:
            sky = 1.0
        for m in range(12):
            out[p, m] += sky * month_sky[m]
    return out
