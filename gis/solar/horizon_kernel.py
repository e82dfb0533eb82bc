"""Compiled inner loop of the footprint horizons (:mod:`gis.solar.shading`): roofs × neighbours ×
walls × points, with the occlusion culling, in one pass without temporary arrays.

The vectorised NumPy form of this loop made ~20 temporary arrays per (point, wall) pair and cost
~100 µs per building with shading (8 points, ~1,000 facing point–wall pairs per roof): 70 % of a
rooftop PV run. Compiled with Numba (``nogil``: the shading threads run in parallel) it does the
same arithmetic in one pass.

Conventions are those of :mod:`gis.solar.shading` (azimuth clockwise from north, sectors centred
on ``k * 360 / n_sectors``, slopes = tan(elevation)); all lengths in metres, coordinates
relative to the run's origin (float32 inputs, float64 arithmetic).

Culling (every test drops only what cannot raise a slope): a neighbour whose bounding circle
holds no ray on which it could beat the roof's lowest slope so far is skipped for the roof; one
that only a few rays can meet is then tested point by point on the rays through its circle, and
its walls meet just those rays, without arctangents (on the synthetic city of
``benchmarks/bench_scale_cluster.py`` this halves the point–wall pairs and cuts the loop's time
by ~17 %, horizons unchanged to the bit).

Determinism: a roof's result depends only on its points and the set of its candidate
neighbours, not on their order — neighbours are taken in distance rings and every neighbour of a
ring is tested against the horizon found before that ring — so tiles of one run that see the same
neighbours give identical horizons.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from gis.solar.numba_cache import cache_enabled

NUMBA_CACHE = cache_enabled()
"""Compile with Numba's on-disk cache (:mod:`gis.solar.numba_cache`): ~11 s once, not per process."""

FEW_RAYS = 6
"""A neighbour that at most this many rays from the roof can meet is tested point by point first
(:func:`_building_rays`); measured on a synthetic city: 6 saves the most (2–10 within 1 %)."""

STAT_NAMES = ("pairs_roof_building", "pairs_roof_building_kept", "pairs_point_wall",
              "pairs_point_wall_sector")
"""Counts the kernel returns, in this order (see ``horizon_from_footprints``'s ``stats``)."""


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _atan(x):  # pragma: no cover - compiled
    """arctan (rad) to ~1e-7 relative (Cephes ``atanf``: range reduction to |x| ≤ tan(π/8) and
    an odd polynomial), written without branches (both reductions computed, one selected): the
    branchy form mispredicted on every other call in the horizon loop."""
    a = abs(x)
    big = a > 2.414213562373095  # tan(3π/8)
    mid = a > 0.4142135623730950  # tan(π/8)
    t_big = -1.0 / a
    t_mid = (a - 1.0) / (a + 1.0)
    t = t_big if big else (t_mid if mid else a)
    y0 = math.pi / 2.0 if big else (math.pi / 4.0 if mid else 0.0)
    z = t * t
    y = y0 + ((((8.05374449538e-2 * z - 1.38776856032e-1) * z + 1.99777106478e-1) * z
               - 3.33329491539e-1) * z * t + t)
    return math.copysign(y, x)


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _atan2(y, x):  # pragma: no cover - compiled
    """atan2 (rad) from :func:`_atan`."""
    if x > 0.0:
        return _atan(y / x)
    if x < 0.0:
        return _atan(y / x) + (math.pi if y >= 0.0 else -math.pi)
    return math.copysign(math.pi / 2.0, y) if y != 0.0 else 0.0


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _rays_through(cx, cy, rad, ub, s_now, ray_sin, ray_cos, sector_of, out
                  ):  # pragma: no cover - compiled
    """The rays from (0, 0) that pass through the circle (centre cx, cy; radius ``rad``): a ray u
    does when u · c > 0 and |u × c| ≤ rad, tested on every ray without branches (cheaper than the
    circle's azimuth range, which needs an arctangent and an arcsine). They go into ``out``;
    returns (how many, how many of them have ``s_now`` of their sector below ``ub``), or (-1, 1)
    when the circle holds (0, 0)."""
    if cx * cx + cy * cy <= (rad * 1.001 + 1e-3) ** 2:
        return -1, 1
    r2 = rad * rad
    n = 0
    gain = 0
    for r in range(ray_sin.size):
        along = ray_sin[r] * cx + ray_cos[r] * cy
        across = ray_sin[r] * cy - ray_cos[r] * cx
        meets = (along > 0.0) & (across * across <= r2)
        out[n] = r
        n += meets
        gain += meets & (ub > s_now[sector_of[r]])
    return n, gain


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _may_rise(ub, s_min, lo_all, hi_all, cx, cy, rad, n_sec, rays):  # pragma: no cover
    """Could a neighbour whose highest possible slope is ``ub`` raise the horizon of some point of
    the roof? Its bounding circle (centre cx, cy relative to the roof's centre; radius ``rad``
    grown by the roof's) covers some sectors (rays); it may if ``ub`` beats the roof's lowest
    slope so far (``s_min``, per sector) in one of them."""
    if ub <= lo_all:
        return False
    dc = math.sqrt(cx * cx + cy * cy)
    if dc <= rad * 1.001 + 1e-3:  # around the roof
        return True
    v = min(rad / max(dc, 1e-6), 1.0)
    half = _atan(v / math.sqrt(max(1.0 - v * v, 0.0))) + 1e-4  # asin(v)
    az = _atan2(cx, cy)
    if rays == 0:  # sectors overlapping [az - half, az + half]
        w = 2.0 * math.pi / n_sec
        k0 = math.floor((az - half) / w + 0.5)
        k1 = math.floor((az + half) / w + 0.5)
        per = 1
    else:  # rays inside it
        w = 2.0 * math.pi / (n_sec * rays)
        off = 0.5 - rays / 2.0
        k0 = math.ceil((az - half) / w - off)
        k1 = math.floor((az + half) / w - off)
        per = rays
    cnt = min(max(k1 - k0 + 1, 0), n_sec * per)
    if cnt > 0 and ub > hi_all:  # above all found so far
        return True
    for i in range(cnt):
        k = (k0 + i) % (n_sec * per)
        if ub > s_min[k // per]:
            return True
    return False


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _may_gain(x, y, dh, lo, bbox):  # pragma: no cover - compiled
    """Could a building (bounding box ``bbox``) rise above a point at (x, y) (``dh`` m higher than
    the point) beyond the point's lowest slope so far ``lo``? Its slope is at most ``dh`` over the
    distance to the box."""
    dx = max(max(bbox[0] - x, x - bbox[2]), 0.0)
    dy = max(max(bbox[1] - y, y - bbox[3]), 0.0)
    return dh > 0.0 and dh * dh > (dx * dx + dy * dy) * lo * lo


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy", inline="always")
def _wall_seen(e, x, y, dh, lo, w_nx, w_ny, w_off, tan_min):  # pragma: no cover - compiled
    """Distance (m) from the point (x, y) to wall ``e``'s line, and whether the point sees the
    wall's front within reach: in front of it, high enough to subtend ``tan_min`` and to beat the
    point's lowest slope ``lo`` (``dh``: the building's top above the point, m)."""
    dperp = w_off[e] - (x * w_nx[e] + y * w_ny[e])
    return dperp, (dperp > 1e-3) & (dh >= dperp * tan_min) & (dh > dperp * lo)


# inlined into the caller (Numba IR): as a call it cost a quarter of the kernel's time
@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy", inline="always")
def _walls_on_rays(slope, base, x, y, dh, lo, walls, n_walls, w_nx, w_ny, w_off, w_tx, w_ty, w_at,
                   w_len, ray_sin, ray_cos, sector_of, tan_min, rays_in, n_in, counts
                   ):  # pragma: no cover - compiled
    """Raise the slopes (row ``base`` of ``slope``) of the point (x, y), ``dh`` m below the
    building's top, by the walls on the rays ``rays_in[:n_in]``: where a ray u meets a wall's
    line (distance dperp / (u · n)) within the wall, the slope there. Exact, without the
    arctangents of the wall's ends: cheaper when only a ray or two can meet the building."""
    for j in range(n_walls):
        e = walls[j]
        dperp, ok = _wall_seen(e, x, y, dh, lo, w_nx, w_ny, w_off, tan_min)
        counts[2] += ok
        if not ok:
            continue
        nx = w_nx[e]
        ny = w_ny[e]
        dh_inv = dh * (1.0 / dperp)  # as in _building_rays: the same slopes to the last bit
        along_wall = x * w_tx[e] + y * w_ty[e] - w_at[e]  # the point's position along the wall
        for i in range(n_in):
            r = rays_in[i]
            un = ray_sin[r] * nx + ray_cos[r] * ny
            at = along_wall + dperp * (ray_sin[r] * w_tx[e] + ray_cos[r] * w_ty[e]) / un
            if un > 0.0 and at >= 0.0 and at <= w_len[e]:
                counts[3] += 1
                val = dh_inv * un
                k = base + sector_of[r]
                if val > slope[k]:
                    slope[k] = val


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _building_rays(slope, pmin, p0, p1, px, py, pz, hb, bbox, walls, n_walls, w_nx, w_ny, w_off,
                   w_tx, w_ty, w_at, w_len, w_azn, ray_sin, ray_cos, sector_of, n_sec, rays,
                   tan_min, counts, buf_k0, buf_k1, buf_v, buf_base, buf_e, few, n_few, circle,
                   hits):  # pragma: no cover - compiled
    """Raise ``slope`` (tan elevation, (point, sector) flattened) of points ``p0:p1`` by one
    building (height ``hb``, bounding box ``bbox``) through its walls ``walls[:n_walls]`` (unit
    normal n into the solid, tangent t, offset ``off`` = a·n, start ``a_t`` = a·t, length, azimuth
    ``azn`` of n): on every ray (``rays`` per sector) a wall meets, the slope where it meets it.

    Two passes: first, for every (point, wall), the rays between the wall's ends (no branches, so
    consecutive pairs overlap in the CPU; a wall seen from behind or too low gets an empty range);
    then the slopes on those rays. A point skips the building when its highest possible slope
    (height over the distance to the bounding box) cannot beat the point's lowest slope so far
    (``pmin``).

    A building that only a few rays from the roof can meet (``few[:n_few]``, ``n_few`` > 0: the
    rays through its bounding circle grown by the roof's, ``circle`` = (centre x, y, radius²) of
    the building's own) is first tested per point: on those of the rays that pass through its
    circle from the point, it must be able to beat the point's slope so far; the walls then go
    against just those rays (:func:`_walls_on_rays`). Both tests only drop what cannot raise a
    slope, so the horizons are those of the full loop, for a quarter fewer operations (a
    neighbour 300 m away spans one or two of 36 rays)."""
    n_rays = n_sec * rays
    inv_w = n_rays / (2.0 * math.pi)
    off_r = 0.5 - rays / 2.0
    m = 0
    for p in range(p0, p1):
        x, y, dh, lo = np.float64(px[p]), np.float64(py[p]), hb - pz[p], pmin[p]
        if not _may_gain(x, y, dh, lo, bbox):
            continue
        base = p * n_sec
        if n_few > 0:
            bx = circle[0] - x
            by = circle[1] - y
            if bx * bx + by * by > circle[2]:  # the point is outside the building's circle
                # the highest slope the building can have from the point (+ rounding margin)
                ddx = max(max(bbox[0] - x, x - bbox[2]), 0.0)
                ddy = max(max(bbox[1] - y, y - bbox[3]), 0.0)
                ub = dh / math.sqrt(ddx * ddx + ddy * ddy) * (1.0 + 1e-9)
                n_hit = 0
                for i in range(n_few):
                    r = few[i]
                    along = ray_sin[r] * bx + ray_cos[r] * by
                    across = ray_sin[r] * by - ray_cos[r] * bx
                    hits[n_hit] = r
                    n_hit += (along > 0.0) & (across * across <= circle[2]) \
                        & (ub > slope[base + sector_of[r]])
                if n_hit:
                    _walls_on_rays(slope, base, x, y, dh, lo, walls, n_walls, w_nx, w_ny, w_off,
                                   w_tx, w_ty, w_at, w_len, ray_sin, ray_cos, sector_of, tan_min,
                                   hits, n_hit, counts)
                continue
        for j in range(n_walls):
            e = walls[j]
            dperp, ok = _wall_seen(e, x, y, dh, lo, w_nx, w_ny, w_off, tan_min)
            inv = 1.0 / dperp
            sa = (w_at[e] - (x * w_tx[e] + y * w_ty[e])) * inv
            da = _atan(sa)  # angles of the wall's ends from its normal (rad, clockwise +)
            db = _atan(sa + w_len[e] * inv)
            k0 = math.ceil((w_azn[e] + da) * inv_w - off_r)
            k1 = math.floor((w_azn[e] + db) * inv_w - off_r)
            counts[2] += ok
            buf_k0[m] = k0
            buf_k1[m] = k1 if ok else k0 - 1
            buf_v[m] = dh * inv
            buf_base[m] = base
            buf_e[m] = e
            m += 1
    for i in range(m):
        k0 = buf_k0[i]
        n_hit = buf_k1[i] - k0 + 1
        if n_hit <= 0:
            continue
        counts[3] += n_hit
        e = buf_e[i]
        nx = w_nx[e]
        ny = w_ny[e]
        dh_inv = buf_v[i]
        base = buf_base[i]
        r = k0 % n_rays if (k0 < 0 or k0 >= n_rays) else k0
        for _ in range(n_hit):
            # cos(ray − normal azimuth) = ray · n (sin/cos of azimuths: x east, y north)
            val = dh_inv * (ray_sin[r] * nx + ray_cos[r] * ny)
            s = base + sector_of[r]
            if val > slope[s]:
                slope[s] = val
            r += 1
            if r == n_rays:
                r = 0


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _building_sectors(slope, pmin, p0, p1, px, py, pz, hb, bbox, walls, n_walls, w_nx, w_ny, w_off,
                      w_tx, w_ty, w_at, w_len, w_azn, n_sec, tan_min, counts
                      ):  # pragma: no cover - compiled
    """As :func:`_building_rays` with ``rays_per_sector=0``: per sector a wall overlaps, the slope
    at the wall's nearest point inside the sector (its angle closest to the wall's normal)."""
    w = 2.0 * math.pi / n_sec
    for p in range(p0, p1):
        x, y, dh, lo = np.float64(px[p]), np.float64(py[p]), hb - pz[p], pmin[p]
        if not _may_gain(x, y, dh, lo, bbox):
            continue
        base = p * n_sec
        for j in range(n_walls):
            e = walls[j]
            dperp, ok = _wall_seen(e, x, y, dh, lo, w_nx, w_ny, w_off, tan_min)
            if not ok:
                continue
            inv = 1.0 / dperp
            sa = (w_at[e] - (x * w_tx[e] + y * w_ty[e])) * inv
            da = _atan(sa)
            db = _atan(sa + w_len[e] * inv)
            azn = w_azn[e]
            k0 = math.floor((azn + da) / w + 0.5)
            k1 = math.floor((azn + db) / w + 0.5)
            counts[2] += 1
            counts[3] += k1 - k0 + 1
            for k in range(k0, k1 + 1):
                bin_lo = (k - 0.5) * w - azn
                rel = min(max(max(da, bin_lo), 0.0), min(db, bin_lo + w))
                val = dh * math.cos(rel) * inv
                s = base + k % n_sec
                if val > slope[s]:
                    slope[s] = val


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _kept_by_ring(c0, c1, own, gmin, gx0, gy0, gx1, gy1, cand_b, cand_far, height, bb, max_d,
                  tan_min, tan_far, ring_edges, kb, kd, kh, ring_start):  # pragma: no cover
    """The candidates ``c0:c1`` of one roof that count (not its own building, higher than its
    lowest point, within reach of their tier), ordered by distance ring into ``kb`` (building),
    ``kd`` (box distance, m) and ``kh`` (height above the roof's lowest point, m); ring ``r``
    holds ``ring_start[r]:ring_start[r + 1]``. Returns how many count."""
    n_rings = ring_edges.size
    nc = c1 - c0
    tb = np.empty(nc, np.int64)
    td = np.empty(nc)
    tr = np.empty(nc, np.int64)
    ring_start[:] = 0
    nk = 0
    for c in range(c0, c1):
        b = cand_b[c]
        hb = np.float64(height[b])
        if b == own or not (hb > gmin):
            continue
        dx = max(max(bb[b, 0] - gx1, gx0 - bb[b, 2]), 0.0)
        dy = max(max(bb[b, 1] - gy1, gy0 - bb[b, 3]), 0.0)
        dist = math.sqrt(dx * dx + dy * dy)
        if cand_far[c]:
            ok = dist > max_d and hb - gmin >= dist * tan_far
        else:
            ok = dist <= max_d and hb - gmin >= dist * tan_min
        if ok:
            r = 0
            while r < n_rings and ring_edges[r] <= dist:
                r += 1
            tb[nk] = b
            td[nk] = dist
            tr[nk] = r
            ring_start[r + 1] += 1
            nk += 1
    for r in range(n_rings + 1):
        ring_start[r + 1] += ring_start[r]
    fill = ring_start[:-1].copy()
    for i in range(nk):
        j = fill[tr[i]]
        fill[tr[i]] += 1
        kb[j] = tb[i]
        kd[j] = td[i]
        kh[j] = np.float64(height[tb[i]]) - gmin
    return nk


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _minima(slope, p0, p1, n_sec, s_min, pmin):  # pragma: no cover - compiled
    """Lowest slope so far of the points ``p0:p1`` per sector (``s_min``) and per point
    (``pmin``); returns the lowest and highest of ``s_min``."""
    s_min[:] = np.inf
    for p in range(p0, p1):
        lo = np.inf
        for k in range(n_sec):
            v = slope[p * n_sec + k]
            s_min[k] = min(s_min[k], v)
            lo = min(lo, v)
        pmin[p] = lo
    return s_min.min(), s_min.max()


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _facing(b, gx0, gy0, gx1, gy1, rise, w_start, w_count, w_nx, w_ny, w_off, tan_min, out
            ):  # pragma: no cover - compiled
    """Walls of building ``b`` whose front faces some point of the roof box (and that are near
    enough to rise ``tan_min`` above it, ``rise``: m) into ``out``; returns how many."""
    n_f = 0
    for e in range(w_start[b], w_start[b] + w_count[b]):
        nx = np.float64(w_nx[e])
        ny = np.float64(w_ny[e])
        far_side = w_off[e] - (min(gx0 * nx, gx1 * nx) + min(gy0 * ny, gy1 * ny))
        if far_side > 1e-3 and rise >= far_side * tan_min:
            out[n_f] = e
            n_f += 1
    return n_f


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def chunk_slopes(px, py, pz, g_start, g_end, own_b, cand_start, cand_b, cand_far,
                 height, bb, w_start, w_count, w_nx, w_ny, w_off, w_tx, w_ty, w_at, w_len, w_azn,
                 n_sec, rays, tan_min, max_d, tan_far, ring_edges):  # pragma: no cover - compiled
    """tan(elevation) ``(n_points, n_sec)`` float64 of the chunk's points among their candidate
    neighbours, and the counts named in :data:`STAT_NAMES`.

    Points (px, py, pz: float32 m) are grouped by roof ``g``: ``g_start[g]:g_end[g]``, own
    building ``own_b[g]`` (-1: none). Candidates of roof ``g``: ``cand_b[cand_start[g]:cand_start
    [g + 1]]`` (building indices; ``cand_far``: found in the far tier's tree). A near candidate
    counts within ``max_d`` where it can subtend ``tan_min``, a far one beyond ``max_d`` where it
    can subtend ``tan_far``. Buildings: ``height`` (m, -inf: none), ``bb`` (n, 4) bounding
    boxes; walls ``w_start[b]:w_start[b] + w_count[b]`` with their constants (see
    ``shading._Walls``). ``ring_edges`` (m): the distance rings; from the second on, a
    neighbour is looked at only if it could rise above the roof's horizon found so far.
    """
    n_pts = px.size
    slope = np.zeros(n_pts * n_sec)
    counts = np.zeros(4, np.int64)
    n_rings = ring_edges.size
    s_min = np.zeros(n_sec)
    pmin = np.zeros(n_pts)
    n_rays = n_sec * max(rays, 1)
    theta = (np.arange(n_rays) + 0.5 - max(rays, 1) / 2.0) * (2.0 * math.pi / n_rays)
    ray_sin = np.sin(theta)
    ray_cos = np.cos(theta)
    sector_of = np.arange(n_rays) // max(rays, 1)
    facing = np.empty(max(w_count.max(), 1) if w_count.size else 1, np.int64)
    most = np.max(np.diff(cand_start)) if cand_start.size > 1 else 0
    kb = np.empty(most, np.int64)
    kd = np.empty(most)
    kh = np.empty(most)
    ring_start = np.zeros(n_rings + 2, np.int64)
    n_buf = facing.size * (np.max(g_end - g_start) if g_start.size else 1)
    buf_k0 = np.empty(n_buf, np.int64)
    buf_k1 = np.empty(n_buf, np.int64)
    buf_v = np.empty(n_buf)
    buf_base = np.empty(n_buf, np.int64)
    buf_e = np.empty(n_buf, np.int64)
    few = np.empty(n_rays, np.int64)
    hits = np.empty(n_rays, np.int64)
    for g in range(g_start.size):
        p0 = g_start[g]
        p1 = g_end[g]
        gmin = np.float64(pz[p0:p1].min())
        gx0 = np.float64(px[p0:p1].min())
        gx1 = np.float64(px[p0:p1].max())
        gy0 = np.float64(py[p0:p1].min())
        gy1 = np.float64(py[p0:p1].max())
        gcx = (gx0 + gx1) / 2.0
        gcy = (gy0 + gy1) / 2.0
        grad = math.sqrt((gx1 - gx0) ** 2 + (gy1 - gy0) ** 2) / 2.0
        nk = _kept_by_ring(cand_start[g], cand_start[g + 1], own_b[g], gmin, gx0, gy0, gx1, gy1,
                           cand_b, cand_far, height, bb, max_d, tan_min, tan_far, ring_edges,
                           kb, kd, kh, ring_start)
        counts[0] += nk
        for r in range(1, n_rings + 1):
            if ring_start[r] == ring_start[r + 1]:
                continue
            if r > 1:  # the roof's lowest slopes per sector before this ring
                lo_all, hi_all = _minima(slope, p0, p1, n_sec, s_min, pmin)
            for c in range(ring_start[r], ring_start[r + 1]):
                b = kb[c]
                bcx = (np.float64(bb[b, 0]) + bb[b, 2]) / 2.0
                bcy = (np.float64(bb[b, 1]) + bb[b, 3]) / 2.0
                # the bounding circle, a hair wider than the box (the wall test's rounding)
                radb = math.sqrt((np.float64(bb[b, 2]) - bb[b, 0]) ** 2
                                 + (np.float64(bb[b, 3]) - bb[b, 1]) ** 2) / 2.0 * (1.0 + 1e-6) + 1e-2
                ub = kh[c] / max(kd[c], 1e-6)
                n_few = 0
                if rays > 0:
                    n_few, gain = _rays_through(bcx - gcx, bcy - gcy, radb + grad, ub, s_min,
                                                ray_sin, ray_cos, sector_of, few)
                    if r > 1 and (ub <= lo_all or gain == 0):
                        continue
                    if n_few > FEW_RAYS:
                        n_few = 0
                elif r > 1 and not _may_rise(ub, s_min, lo_all, hi_all, bcx - gcx, bcy - gcy,
                                             radb + grad, n_sec, rays):
                    continue
                counts[1] += 1
                n_f = _facing(b, gx0, gy0, gx1, gy1, kh[c], w_start, w_count, w_nx, w_ny, w_off,
                              tan_min, facing)
                if n_f and rays > 0:
                    _building_rays(slope, pmin, p0, p1, px, py, pz, np.float64(height[b]), bb[b],
                                   facing, n_f, w_nx, w_ny, w_off, w_tx, w_ty, w_at, w_len, w_azn,
                                   ray_sin, ray_cos, sector_of, n_sec, rays, tan_min, counts,
                                   buf_k0, buf_k1, buf_v, buf_base, buf_e, few, max(n_few, 0),
                                   (bcx, bcy, radb * radb), hits)
                elif n_f:
                    _building_sectors(slope, pmin, p0, p1, px, py, pz, np.float64(height[b]), bb[b],
                                      facing, n_f, w_nx, w_ny, w_off, w_tx, w_ty, w_at, w_len,
                                      w_azn, n_sec, tan_min, counts)
    return slope.reshape((n_pts, n_sec)), counts


GRID_CELL_M = 100.0
"""m: cell of the grid the candidate neighbours are looked up in (a 500 m reach scans ~12 × 12
cells of ~3 buildings each in a city); buildings wider or taller than a cell are kept aside
and tested against every roof."""


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def grid_index(bb, members, cell_m):  # pragma: no cover - compiled
    """A grid of the boxes ``bb[members]`` (local m) by the cell of each box's centre, as
    (x0, y0, n_cols, n_rows, cell_start, cell_items, big): ``cell_items[cell_start[c]:cell_start
    [c + 1]]`` are the buildings of cell ``c = row * n_cols + col``; ``big``: members more than a
    cell wide or tall (and those without a box: never found), looked at for every query."""
    n = members.size
    ok = np.zeros(n, np.bool_)
    x0 = np.inf
    y0 = np.inf
    x1 = -np.inf
    y1 = -np.inf
    n_big = 0
    for i in range(n):
        b = members[i]
        w = bb[b, 2] - bb[b, 0]
        h = bb[b, 3] - bb[b, 1]
        if w <= cell_m and h <= cell_m:  # False for NaN boxes too
            ok[i] = True
            cx = (bb[b, 0] + bb[b, 2]) / 2.0
            cy = (bb[b, 1] + bb[b, 3]) / 2.0
            x0 = min(x0, cx)
            y0 = min(y0, cy)
            x1 = max(x1, cx)
            y1 = max(y1, cy)
        elif w == w and h == h:
            n_big += 1
    if not x0 < np.inf:
        x0 = y0 = x1 = y1 = 0.0
    n_cols = int((x1 - x0) // cell_m) + 1
    n_rows = int((y1 - y0) // cell_m) + 1
    cell_of = np.empty(n, np.int64)
    cell_start = np.zeros(n_cols * n_rows + 1, np.int64)
    big = np.empty(n_big, np.int64)
    k = 0
    for i in range(n):
        b = members[i]
        if ok[i]:
            col = int(((bb[b, 0] + bb[b, 2]) / 2.0 - x0) // cell_m)
            row = int(((bb[b, 1] + bb[b, 3]) / 2.0 - y0) // cell_m)
            cell_of[i] = row * n_cols + col
            cell_start[cell_of[i] + 1] += 1
        elif bb[b, 2] - bb[b, 0] == bb[b, 2] - bb[b, 0] and bb[b, 3] - bb[b, 1] == bb[b, 3] - bb[b, 1]:
            big[k] = b
            k += 1
    for c in range(n_cols * n_rows):
        cell_start[c + 1] += cell_start[c]
    fill = cell_start[:-1].copy()
    cell_items = np.empty(cell_start[-1], np.int64)
    for i in range(n):
        if ok[i]:
            cell_items[fill[cell_of[i]]] = members[i]
            fill[cell_of[i]] += 1
    return x0, y0, n_cols, n_rows, cell_start, cell_items, big


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _query(bb, qx0, qy0, qx1, qy1, grid, cell_m, out, k):  # pragma: no cover - compiled
    """Buildings of ``grid`` (:func:`grid_index`) whose box meets the box (qx0, qy0, qx1, qy1)
    (closed: touching counts, as for an STRtree's envelopes), written into ``out`` from ``k`` while
    they fit (the rest only counted); returns the new ``k``."""
    gx0, gy0, n_cols, n_rows, cell_start, cell_items, big = grid
    c0 = max(int((qx0 - cell_m / 2.0 - gx0) // cell_m), 0)  # centres at most half a cell outside
    c1 = min(int((qx1 + cell_m / 2.0 - gx0) // cell_m), n_cols - 1)
    r0 = max(int((qy0 - cell_m / 2.0 - gy0) // cell_m), 0)
    r1 = min(int((qy1 + cell_m / 2.0 - gy0) // cell_m), n_rows - 1)
    for row in range(r0, r1 + 1):
        for c in range(row * n_cols + c0, row * n_cols + c1 + 1):
            for i in range(cell_start[c], cell_start[c + 1]):
                b = cell_items[i]
                if bb[b, 0] <= qx1 and bb[b, 2] >= qx0 and bb[b, 1] <= qy1 and bb[b, 3] >= qy0:
                    if k < out.size:
                        out[k] = b
                    k += 1
    for b in big:
        if bb[b, 0] <= qx1 and bb[b, 2] >= qx0 and bb[b, 1] <= qy1 and bb[b, 3] >= qy0:
            if k < out.size:
                out[k] = b
            k += 1
    return k


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def _grown(a, need, keep):  # pragma: no cover - compiled
    """``a`` doubled until it holds ``need`` items, its first ``keep`` copied (the rest zero): the
    candidate arrays grow when a query finds more than they hold."""
    size = a.size
    while size < need:
        size *= 2
    out = np.zeros(size, a.dtype)
    out[:keep] = a[:keep]
    return out


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def box_pairs(qx0, qy0, qx1, qy1, bb, grid, cell_m):  # pragma: no cover - compiled
    """(query, building) of every building of ``grid`` (:func:`grid_index`) whose box meets the
    query box i (qx0[i], qy0[i], qx1[i], qy1[i]; closed: touching counts), query by query: what an
    STRtree query of the boxes gives, without making a box geometry per query."""
    n = qx0.size
    gi = np.empty(max(16 * n, 64), np.int64)
    bj = np.empty(gi.size, np.int64)
    k = 0
    for i in range(n):
        for _ in range(2):  # once; again after growing the arrays if the query did not fit
            k2 = _query(bb, qx0[i], qy0[i], qx1[i], qy1[i], grid, cell_m, bj, k)
            if k2 <= bj.size:
                break
            bj = _grown(bj, k2, k)
            gi = _grown(gi, k2, k)
        gi[k:k2] = i
        k = k2
    return gi[:k], bj[:k]


@njit(cache=NUMBA_CACHE, nogil=True, error_model="numpy")
def roof_candidates(gx0, gy0, gx1, gy1, reach, far_reach, bb, near, far, cell_m
                    ):  # pragma: no cover - compiled
    """Candidate neighbours of each roof box (gx0, gy0, gx1, gy1; local m) as :func:`chunk_slopes`
    takes them: (cand_start, cand_b, cand_far). Near: every building of the grid ``near`` whose
    box meets the roof box grown by ``reach[g]``; far: those of the grid ``far`` (the tall
    buildings) meeting it grown by ``far_reach[g]`` (roofs with ``far_reach`` ≤ ``reach`` look for
    none)."""
    n = gx0.size
    start = np.zeros(n + 1, np.int64)
    cand_b = np.empty(max(256 * n, 1024), np.int64)
    cand_far = np.zeros(cand_b.size, np.bool_)
    for g in range(n):
        r = reach[g]
        f = far_reach[g]
        for _ in range(2):  # once; again after growing the arrays if the roof did not fit
            k = _query(bb, gx0[g] - r, gy0[g] - r, gx1[g] + r, gy1[g] + r, near, cell_m, cand_b,
                       start[g])
            k2 = k
            if f > r:
                k2 = _query(bb, gx0[g] - f, gy0[g] - f, gx1[g] + f, gy1[g] + f, far, cell_m,
                            cand_b, k)
            if k2 <= cand_b.size:
                break
            cand_b = _grown(cand_b, k2, start[g])
            cand_far = _grown(cand_far, k2, start[g])
        cand_far[k:k2] = True
        start[g + 1] = k2
    cand_b = cand_b[:start[n]].copy()
    cand_far = cand_far[:start[n]].copy()
    return start, cand_b, cand_far
