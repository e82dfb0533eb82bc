"""Horizons of roof points: how high neighbouring buildings (or a DSM) rise around each point.

The energy chain (``energy.shading_loss_monthly``) turns these horizon profiles into shading
losses by comparing hourly sun positions with them (beam lost while the sun is below the
horizon of its azimuth sector; sky diffuse lost in the share of the sky the horizon hides as
seen by the module plane, ``energy.sky_blocked_on_plane``; :func:`sky_view_loss` is that share
for a horizontal plane). This module is pure geometry: no Qt, no ``app``.

Conventions
-----------
* Azimuth: degrees clockwise from north (0 = N, 90 = E, 180 = S). ``n_sectors`` sectors,
  sector ``k`` centred at ``k * 360 / n_sectors`` deg and covering
  ``[centre - w/2, centre + w/2)`` with ``w = 360 / n_sectors`` deg.
* Horizon: elevation angle (deg, 0..90) of the obstruction in a sector; 0 where nothing rises
  above the point. Arrays are float32 ``(n_points, n_sectors)``.
* Lengths and heights in metres, in one metric CRS and one vertical reference (heights above
  ground for footprints, or absolute elevations if the points' z are absolute too).

Which obstruction a sector reports (``rays_per_sector``)
---------------------------------------------------------
Default (1): the elevation along the sector's centre ray — a horizon profile sampled every
``w`` degrees, as in PVGIS horizon files. The energy chain holds each sample over its whole
sector, which is unbiased: against a dense reference (360 one-degree rays, 3 m point spacing;
``benchmarks/bench_shading.py``) per-roof annual beam and diffuse losses are off by −0.2
percentage points on average in Lujiazui (towers to 632 m; losses ~8–11%) and ±0.02 pp in a
synthetic city of 6–100 m buildings. A thin tower between two centre rays is missed at one
point but caught at others, so roof means stay right.
``rays_per_sector=0``: the exact highest obstruction anywhere in the sector (every facing wall
inside the sector's azimuth range; thin towers are never missed) — conservative: it
overstates losses (+2.2 pp beam, +2.9 pp diffuse in Lujiazui at 36 sectors) because the
energy chain then blocks the whole sector. ``n > 1``: the maximum over n evenly spaced rays
(in between).

Footprints (:func:`horizon_from_footprints`) are 2.5D prisms: a footprint polygon extruded from
the ground to its height. A DSM (:func:`gis.solar.dsm_horizon.horizon_from_dsm`) is ray-marched.
"""

from __future__ import annotations

import itertools
import math
import os
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import numpy as np
import shapely

from gis.progress import NO_PROGRESS, Progress
from gis.solar.horizon_kernel import (
    GRID_CELL_M,
    STAT_NAMES,
    box_pairs,
    chunk_slopes,
    grid_index,
    roof_candidates,
)

__all__ = [
    "horizon_from_footprints",
    "roof_sample_points",
    "sky_view_loss",
]

INSIDE_HORIZON_DEG = 90.0
"""Horizon (every sector) of a point that lies inside a taller footprint other than its own."""

_RING_EDGES_M = (0.0, 30.0, 60.0, 100.0, 150.0, 220.0, 300.0, 400.0, 600.0, 1000.0, 2000.0, 5000.0)
_RING_EDGES = np.asarray(_RING_EDGES_M)
"""Neighbours are processed in distance rings (m); from the second ring on a neighbour is only
looked at if it could rise above the horizon found so far in the sectors it covers."""
_MAX_PAIRS_PER_BATCH = 1_000_000
"""Point–wall pairs per vectorised batch (bounds the peak memory to a few hundred MB)."""
_POINTS_PER_CHUNK = 4000
_FAR_CAP_M = 20_000.0
"""Furthest a tall building is looked for (m): a 632 m tower subtends 1.8° at 20 km."""


def default_threads() -> int:
    """Threads of a horizon run when not told: ``LINGTAN_SHADING_THREADS`` if set (a cluster's
    workers, one per core, set it to 1), else up to 2."""
    try:
        return max(1, int(os.environ["LINGTAN_SHADING_THREADS"]))
    except (KeyError, ValueError):
        return min(2, os.cpu_count() or 1)


def _geom_array(geoms) -> np.ndarray:
    """Shapely geometries as a 1-D object array (accepts arrays, lists, GeoSeries)."""
    if hasattr(geoms, "geometry") and not isinstance(geoms, np.ndarray):
        geoms = geoms.geometry
    values = getattr(geoms, "values", geoms)
    arr = np.asarray(values, dtype=object)
    return arr.reshape(-1)


CHUNK_GEOMS = 10_000
"""Geometries per shapely call that makes Python objects (geometries, rings): making them holds
the GIL (one call on 50,000 held it 80–90 ms), so calls are split into chunks of 10,000
(≤ ~20 ms each) and a GUI thread gets the GIL between them. (CPython's full garbage collections,
which making many objects can set off, are a separate stall that chunking does not shorten;
benchmarks/bench_gui_responsiveness.py reports them.)"""


def chunked(fn, geoms: np.ndarray, *args, size: int = CHUNK_GEOMS, **kw) -> np.ndarray:
    """``fn(geoms, *args, **kw)`` of an element-wise shapely function in chunks of ``size``
    geometries (array arguments in ``args`` are split alike), concatenated: the same result as
    one call, with the GIL released between chunks."""
    n = len(geoms)
    if n <= size:
        return fn(geoms, *args, **kw)
    out = []
    for s0 in range(0, n, size):
        sl = slice(s0, s0 + size)
        out.append(fn(geoms[sl], *(a[sl] if isinstance(a, np.ndarray) and a.shape[:1] == (n,) else a
                                   for a in args), **kw))
    return np.concatenate(out)


# --------------------------------------------------------------------------------------------
# Sample points on roofs
# --------------------------------------------------------------------------------------------

def roof_sample_points(geoms, *, spacing_m: float = 10.0, max_points: int = 25,
                       inset_m: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Regular-grid sample points on each roof polygon (metric CRS).

    Returns ``(xy, owner)``: ``xy`` float64 ``(n, 2)`` in metres and ``owner`` int64 ``(n,)``
    index into ``geoms`` (points grouped by owner, ascending). Each roof gets the cell centres
    of a square grid of ``spacing_m`` (centred on its bounding box) that fall inside the roof
    shrunk by ``inset_m``; a roof that would get more than ``max_points`` gets a coarser grid
    (spacing raised to about ``sqrt(area / max_points)``), so every point of one roof stands for
    the same roof area (one grid cell) and the mean over a roof's points is its area-weighted
    mean. A roof too small or thin for any grid point (or for the inset) gets one point
    (``shapely.point_on_surface``). Empty or missing geometries get no point.
    """
    if spacing_m <= 0 or max_points < 1 or inset_m < 0:
        raise ValueError("spacing_m must be > 0, max_points >= 1 and inset_m >= 0")
    g = _geom_array(geoms)
    n = g.size
    if n == 0:
        return np.zeros((0, 2)), np.zeros(0, np.int64)
    valid = ~(shapely.is_missing(g) | shapely.is_empty(g))
    area0 = np.where(valid, shapely.area(g), 0.0)
    valid &= area0 > 0
    use = g.copy()
    if inset_m > 0:
        from gis.solar.inset import mitre_inset  # GEOS's buffer of quadrilaterals, made in numpy

        shrunk = chunked(mitre_inset, g[valid], inset_m)
        ok = ~shapely.is_empty(shrunk) & (shapely.area(shrunk) > 0)
        idx = np.flatnonzero(valid)
        use[idx[ok]] = shrunk[ok]
        fallback = np.zeros(n, bool)
        fallback[idx[~ok]] = True  # narrower than twice the inset: one point on the roof
    else:
        fallback = np.zeros(n, bool)
    grid_ok = valid & ~fallback
    area = np.where(grid_ok, shapely.area(use), 0.0)
    spacing = np.maximum(spacing_m, np.sqrt(area / max_points))
    bounds = np.where(grid_ok[:, None], shapely.bounds(use), 0.0)

    todo = np.flatnonzero(grid_ok)
    shapely.prepare(use[todo])

    def grid(ids, s):
        xy, own = _grid_candidates(bounds[ids], s, ids)
        inside = shapely.contains_xy(use[own], xy[:, 0], xy[:, 1])
        return xy[inside], own[inside], np.bincount(own[inside], minlength=n)[ids]

    xy, own, count = grid(todo, spacing[todo])
    over = count > max_points
    keep = ~over[np.searchsorted(todo, own)]
    xs_all, own_all = [xy[keep]], [own[keep]]
    # Roofs over the cap: bisect the spacing (count falls in steps as the grid coarsens) for
    # the finest grid with at most max_points points.
    ids = todo[over]
    lo, hi = spacing[ids], np.full(ids.size, np.inf)
    grow = np.clip(np.sqrt(count[over] / max_points) * 1.05, 1.05, 2.0)
    for _ in range(10):
        act = np.flatnonzero(hi / lo > 1.01)  # still searching (hi = inf: no fit found yet)
        if act.size == 0:
            break
        mid = np.where(np.isfinite(hi[act]), np.sqrt(lo[act] * hi[act]), lo[act] * grow[act])
        fits = grid(ids[act], mid)[2] <= max_points
        hi[act[fits]] = mid[fits]
        lo[act[~fits]] = mid[~fits]
    done = np.isfinite(hi)
    if done.any():
        xy, own, _ = grid(ids[done], hi[done])
        xs_all.append(xy)
        own_all.append(own)
    if (~done).any():  # pathological shapes: keep an evenly spaced subset of the points
        xy, own, _ = grid(ids[~done], lo[~done])
        start = np.searchsorted(own, own)  # own is sorted: rank of each point within its roof
        rank = np.arange(own.size) - start
        cnt = np.bincount(own, minlength=n)[own]
        sel = (rank * max_points // cnt) != ((rank - 1) * max_points // cnt)
        xs_all.append(xy[sel])
        own_all.append(own[sel])
    xy = np.concatenate(xs_all) if xs_all else np.zeros((0, 2))
    own = np.concatenate(own_all) if own_all else np.zeros(0, np.int64)
    have = np.bincount(own, minlength=n) > 0
    lone = np.flatnonzero(valid & ~have)
    if lone.size:
        pos = chunked(shapely.point_on_surface, use[lone])  # inside the inset roof where there is one
        xy = np.concatenate([xy, shapely.get_coordinates(pos)])
        own = np.concatenate([own, lone])
    order = np.argsort(own, kind="stable")
    return np.ascontiguousarray(xy[order], dtype=np.float64), own[order].astype(np.int64)


def _grid_candidates(bounds: np.ndarray, spacing: np.ndarray, ids: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres of a grid of ``spacing`` centred on each bounding box (m), with owner ids."""
    w = bounds[:, 2] - bounds[:, 0]
    h = bounds[:, 3] - bounds[:, 1]
    nx = np.maximum(np.ceil(w / spacing), 1).astype(np.int64)
    ny = np.maximum(np.ceil(h / spacing), 1).astype(np.int64)
    cnt = nx * ny
    own = np.repeat(np.arange(ids.size), cnt)
    k = np.arange(own.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    ix, iy = k % nx[own], k // nx[own]
    s = spacing[own]
    cx = (bounds[own, 0] + bounds[own, 2]) / 2 + (ix - (nx[own] - 1) / 2) * s
    cy = (bounds[own, 1] + bounds[own, 3]) / 2 + (iy - (ny[own] - 1) / 2) * s
    return np.column_stack([cx, cy]), ids[own]


# --------------------------------------------------------------------------------------------
# Horizons from footprints + heights
# --------------------------------------------------------------------------------------------

def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For counts c: (i repeated c[i] times, 0..c[i]-1 for each i), as intp index arrays. Like
    ``np.repeat`` but from cumsum/scatter, which release the GIL (``np.repeat`` does not)."""
    ends = np.cumsum(counts, dtype=np.intp)
    total = int(ends[-1]) if ends.size else 0
    starts = ends - counts
    nz = np.flatnonzero(counts)
    mark = np.zeros(total, dtype=np.intp)
    if nz.size:
        mark[starts[nz[1:]]] = np.diff(nz)
        mark[0] = nz[0]
    idx = np.cumsum(mark)
    rank = np.arange(total, dtype=np.intp)
    rank -= starts[idx]
    return idx, rank


def _oriented_rings(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every polygon ring of ``geoms`` oriented as by ``shapely.orient_polygons`` (exterior
    counter-clockwise, holes clockwise): ``(coords (m, 2), ring (m,), ring_geom (r,))`` with the
    ring number of each vertex (rings numbered 0.., in input order within each geometry) and the
    geometry each ring belongs to. Non-polygon parts, empty and missing geometries give nothing.

    Valid Polygons without holes (footprints, nearly always) take a path that makes no Python
    objects: their coordinates straight from GEOS, each ring reversed in numpy where its signed
    area (shoelace) is negative — for a simple ring that is GEOS's orientation test. The rest
    (holes, multi-parts, collections, invalid rings) goes through ``orient_polygons``,
    ``get_parts`` and ``get_rings`` in chunks of :data:`CHUNK_GEOMS`."""
    types = shapely.get_type_id(geoms)
    simple = (types == 3) & ~shapely.is_empty(geoms)
    idx = np.flatnonzero(simple)
    simple[idx] = shapely.get_num_interior_rings(geoms[idx]) == 0
    idx = np.flatnonzero(simple)
    simple[idx] = shapely.is_valid(geoms[idx])
    fast = np.flatnonzero(simple)
    coords, ring = shapely.get_coordinates(geoms[fast], return_index=True)
    counts = np.bincount(ring, minlength=fast.size)
    starts = np.cumsum(counts) - counts
    area2 = np.zeros(fast.size)
    if coords.size:
        local = coords - coords[starts][ring]  # relative to each ring's first vertex: exact enough
        cross = np.zeros(len(local))
        cross[:-1] = local[:-1, 0] * local[1:, 1] - local[1:, 0] * local[:-1, 1]
        cross[starts + counts - 1] = 0.0  # no term joining one ring to the next
        area2 = np.add.reduceat(cross, starts) if starts.size else area2
    flip = area2 < 0
    if flip.any():  # [p0, p1, …, pk, p0] → [p0, pk, …, p1, p0], like GEOS's reverse
        v = np.flatnonzero(flip[ring])
        r = ring[v]
        coords[v] = coords[2 * starts[r] + counts[r] - 1 - v]
    zero = area2 == 0  # degenerate though valid (cannot happen, but then GEOS decides)
    if zero.any():
        simple[fast[zero]] = False
        keep = ~zero[ring]
        coords, ring = coords[keep], np.searchsorted(np.flatnonzero(~zero), ring[keep])
        fast = fast[~zero]
    parts_c, parts_r, parts_g = [coords], [ring], [fast]
    base = fast.size
    rest = np.flatnonzero(~simple & (types >= 0))
    rest = rest[~shapely.is_empty(geoms[rest])]
    for s0 in range(0, rest.size, CHUNK_GEOMS):
        sel = rest[s0:s0 + CHUNK_GEOMS]
        parts, part_of = shapely.get_parts(shapely.orient_polygons(geoms[sel]), return_index=True)
        keep = shapely.get_type_id(parts) == 3
        rings, ring_of = shapely.get_rings(parts[keep], return_index=True)
        c, v = shapely.get_coordinates(rings, return_index=True)
        parts_c.append(c)
        parts_r.append(v + base)
        parts_g.append(sel[part_of[keep][ring_of]])
        base += rings.size
    if len(parts_c) == 1:
        return coords, ring, fast
    coords = np.concatenate(parts_c)
    ring = np.concatenate(parts_r)
    return coords, ring, np.concatenate(parts_g)


class _Walls:
    """All footprint edges (walls), grouped by building, with per-edge constants (float64,
    coordinates relative to ``origin``: in float32 a wall 5 km from the origin is only known
    to 0.5 mm, which turns a ray grazing a corner 6 m away by 1e-4 rad into a hit or a miss).

    Polygons are oriented (exterior counter-clockwise, holes clockwise), so the solid is on the
    left of every edge a→b. For a point p, ``dperp = off - p·n`` (n: unit normal pointing from
    the empty side into the solid) is its distance to the wall's line, positive when p sees the
    wall's outer face; walls seen from behind are never the first wall a ray meets (back faces
    are culled). ``az_n`` is the azimuth (rad) of n; along the wall (+t) the azimuth seen from p
    grows clockwise, and ``s = a_t - p·t`` is the position of the wall's start a along t.
    """

    def __init__(self, footprints: np.ndarray, origin: np.ndarray):
        n = footprints.size
        coords, vert_of, ring_geom = _oriented_rings(footprints)
        coords = coords - origin
        same = vert_of[1:] == vert_of[:-1]
        a = coords[:-1][same]
        d = coords[1:][same] - a
        bldg = ring_geom[vert_of[:-1][same]]
        length = np.hypot(d[:, 0], d[:, 1])
        good = length > 1e-6
        a, d, length, bldg = a[good], d[good], length[good], bldg[good]
        order = np.argsort(bldg, kind="stable")
        a, d, length, bldg = a[order], d[order], length[order], bldg[order]
        tx, ty = d[:, 0] / length, d[:, 1] / length
        nx, ny = -ty, tx
        self.tx, self.ty, self.nx, self.ny = tx, ty, nx, ny
        self.off = a[:, 0] * nx + a[:, 1] * ny
        self.a_t = a[:, 0] * tx + a[:, 1] * ty
        self.length = length
        self.az_n = np.arctan2(nx, ny)
        self.start = np.searchsorted(bldg, np.arange(n + 1)).astype(np.int64)
        self.count = np.diff(self.start)


class _Stopped(Exception):
    """A worker stops because another chunk failed or the job was cancelled."""


@dataclass(eq=False)
class _Job:
    """Shared read-only inputs of one horizon_from_footprints call (float64, local coords).

    px, py, pz: every point's coordinates (m, relative to ``origin``); own: its building index
    (-1: none); height, bb: every building's height (m; -inf: no obstruction) and bounding box
    (x0, y0, x1, y1, m, local); h_max: the highest building (m); walls, grid: all walls and a
    grid of the footprints' boxes (``horizon_kernel.grid_index``); rays: ``rays_per_sector``;
    max_d: the near reach (m); tan_min, tan_far: the near and far tiers' least slopes; tall,
    tall_grid, h_max_tall: the far tier's buildings (indices), their grid and
    the highest of them (m). ``stop``, ``lock`` and ``stats`` are shared by the worker threads.
    """

    px: np.ndarray
    py: np.ndarray
    pz: np.ndarray
    own: np.ndarray
    height: np.ndarray
    h_max: float
    bb: np.ndarray
    origin: np.ndarray
    walls: _Walls
    grid: tuple
    n_sectors: int
    rays: int
    max_d: float
    tan_min: float
    tall: np.ndarray
    tall_grid: tuple
    tan_far: float
    h_max_tall: float
    progress: Progress
    stop: threading.Event = field(default_factory=threading.Event, init=False)
    lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    stats: dict[str, int] = field(default_factory=dict, init=False)

    def check(self) -> None:
        if self.stop.is_set():
            raise _Stopped()
        self.progress.check()

    def count(self, key: str, value: int) -> None:
        with self.lock:
            self.stats[key] = self.stats.get(key, 0) + int(value)


def horizon_from_footprints(points_xy, points_z_m, owner, footprints, heights_m, *,
                            n_sectors: int = 36, max_distance_m: float = 500.0,
                            progress: Progress = NO_PROGRESS, rays_per_sector: int = 1,
                            min_elevation_deg: float = 0.5, far_elevation_deg: float = 5.0,
                            threads: int | None = None, stats: dict | None = None,
                            origin_xy: tuple[float, float] | None = None) -> np.ndarray:
    """Horizon (deg, float32 ``(n_points, n_sectors)``) of roof points among 2.5D buildings.

    points_xy: (n, 2) m; points_z_m: (n,) height of each point (m, same vertical reference as
    ``heights_m``); owner: (n,) index into ``footprints`` of the building each point is on (-1:
    none). footprints: ALL buildings (polygons in the same metric CRS as the points);
    heights_m: their heights (m). NaN or ≤ 0 heights and empty geometries are not obstructions:
    fill them first (e.g. floors × 3 m).

    * A point's own building is never an obstruction; neighbours no higher than the point are
      ignored.
    * A point INSIDE (or on the outline of) a taller footprint other than its own — an OSM
      ``building:part`` inside its taller parent outline, a roof under a tower drawn as a
      separate, overlapping polygon — is under or inside that building: it gets
      :data:`INSIDE_HORIZON_DEG` (90°) in every sector, i.e. no sun at all. With OSM data drop
      the parent outlines that have parts (Simple 3D Buildings) before calling.
    * Reach: neighbours within ``max_distance_m`` of a roof (m, from the bounding box of the
      roof's points to the neighbour's bounding box) count where they can subtend
      ``min_elevation_deg`` (deg; a 0.5° horizon hides 0.008% of the diffuse sky and only sun
      that is itself within 0.5° of the horizon); further away (up to 20 km) only buildings
      that can subtend ``far_elevation_deg`` (5°: a 632 m tower up to 7 km away, a 100 m one up
      to 1.1 km; 90 turns this off). Lower obstructions are left out, so a sector's value is 0
      or about ``min_elevation_deg`` or more.
    * ``rays_per_sector``: 1 (default) = along the sector's centre ray (unbiased losses, see
      the module docstring); 0 = exact maximum over the sector's whole azimuth range (a thin
      tower between two centre rays is never missed; overstates losses); n = maximum over n
      evenly spaced rays.
    * Walls are vertical from the ground to the height: an overhang or a part floating above
      the point (OSM ``min_height``) is treated as reaching the ground.
    * ``stats`` (optional dict) receives counts: ``points``, ``pairs_roof_building`` (candidate
      neighbours per roof), ``pairs_roof_building_kept`` (after occlusion culling),
      ``pairs_point_wall`` (facing walls evaluated per point) and ``pairs_point_wall_sector``.
    * ``origin_xy`` (m): the point the local coordinates are taken relative to; default the
      rounded centre of ``footprints``. Giving the same origin to calls on different subsets
      (the partitions or tiles of one run) makes their arithmetic, and so their horizons,
      identical for the points they share.

    Method: candidate neighbours per roof from a grid of the footprints' boxes (bounding box
    of the roof's points grown by the reach; a second grid of the tall buildings for the far
    tier). Neighbours go in distance rings; from the second ring on, a neighbour is skipped for
    a roof when, in every sector (ray) its bounding circle covers, all the roof's points already
    have a horizon at least as high as the neighbour could reach; a point skips a neighbour that
    cannot rise above its lowest horizon in any sector, and — when only a few rays can meet the
    neighbour — one that cannot rise above the point's horizon on the rays through its circle
    from that point. Walls whose back faces the whole roof are dropped; per (point, facing
    wall) the azimuth range the wall covers gives the rays (or sectors) it meets and, on each,
    its distance d: slope ``(H - z) / d``, the maximum kept per (point, sector). Every skip only
    drops what cannot raise a horizon: the result is that of the full loop. The loop over roofs,
    neighbours, walls and points is compiled (:mod:`gis.solar.horizon_kernel`); float64 in
    coordinates relative to the data's centre. Work runs in chunks of whole roofs (~4,000
    points, ~0.05 s) on ``threads`` threads (default: up to 2; the compiled loop releases the
    GIL), with a progress report after each chunk; memory stays at a few hundred MB besides the
    result (100,000 roofs: ~1.7 M points, 36 sectors → 240 MB of horizons).
    """
    xy = np.asarray(points_xy, dtype=np.float64).reshape(-1, 2)
    z = np.asarray(points_z_m, dtype=np.float64).reshape(-1)
    own = np.asarray(owner, dtype=np.int64).reshape(-1)
    fp = _geom_array(footprints)
    height = np.asarray(heights_m, dtype=np.float64).reshape(-1)
    n = xy.shape[0]
    if z.size != n or own.size != n:
        raise ValueError("points_xy, points_z_m and owner must have the same length")
    if height.size != fp.size:
        raise ValueError("footprints and heights_m must have the same length")
    if n_sectors < 1 or rays_per_sector < 0 or max_distance_m <= 0:
        raise ValueError("need n_sectors >= 1, rays_per_sector >= 0 and max_distance_m > 0")
    if np.any(own >= fp.size):
        raise ValueError("owner index out of range of footprints")
    out = np.zeros((n, n_sectors), dtype=np.float32)
    if stats is not None:
        stats["points"] = n
    if n == 0 or fp.size == 0:
        return out
    progress.report(0.0, "horizons: walls")
    missing = shapely.is_missing(fp) | shapely.is_empty(fp)
    fp = fp.copy()  # _geom_array may return the caller's own array
    fp[missing] = None
    height = np.where(np.isfinite(height) & (height > 0) & ~missing, height, -np.inf)
    finite_pt = np.isfinite(xy).all(axis=1) & np.isfinite(z)
    bounds = shapely.bounds(fp)
    origin = np.nanmean(np.r_[bounds[:, :2], bounds[:, 2:]], axis=0) if (~missing).any() \
        else np.zeros(2)
    origin = np.where(np.isfinite(origin), np.round(origin), 0.0) if origin_xy is None \
        else np.asarray(origin_xy, dtype=np.float64)
    walls = _Walls(fp, origin)
    if not chunk_slopes.signatures:  # first use in this process: machine code from the disk cache,
        # or compiled (~10 s) the first time on a computer (gis/solar/numba_cache.py)
        progress.report(0.01, "horizons: preparing the compiled code (about 10 s the first time)")
    bb = np.where(missing[:, None], np.nan, bounds - np.r_[origin, origin])
    grid = grid_index(bb, np.flatnonzero(np.isfinite(height)), GRID_CELL_M)

    def group(idx):  # points grouped by roof (no owner: each point its own group)
        key = np.where(own[idx] >= 0, own[idx], fp.size + np.arange(idx.size))
        order = np.argsort(key, kind="stable")
        idx, key = idx[order], key[order]
        start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if idx.size else idx
        return idx, start, np.r_[start[1:], idx.size].astype(np.intp)

    # Points inside (or on) a taller other footprint: 90° everywhere. Candidates from each
    # roof's point bounding box in the grid of the buildings with a height (no shapely point or
    # box objects: 1.7 M points cost 0.6 s and 200 MB; a box per roof 5 µs). In local coordinates:
    # subtracting the origin keeps every ≤ between a box and a point, so no candidate is lost.
    pts, g_start, g_end = group(np.flatnonzero(finite_pt))
    inside = np.zeros(n, bool)
    if pts.size:
        px0, py0 = np.minimum.reduceat(xy[pts, 0], g_start), np.minimum.reduceat(xy[pts, 1], g_start)
        px1, py1 = np.maximum.reduceat(xy[pts, 0], g_start), np.maximum.reduceat(xy[pts, 1], g_start)
        gi, bj = box_pairs(px0 - origin[0], py0 - origin[1], px1 - origin[0], py1 - origin[1], bb, grid,
                           GRID_CELL_M)
        keep = (bj != own[pts[g_start]][gi]) & (height[bj] > np.minimum.reduceat(z[pts], g_start)[gi])
        gi, bj = gi[keep], bj[keep]
        q, rank = _expand((g_end - g_start)[gi])
        p_idx, b_idx = pts[g_start[gi[q]] + rank], bj[q]
        under = height[b_idx] > z[p_idx]
        p_idx, b_idx = p_idx[under], b_idx[under]
        under = shapely.intersects_xy(fp[b_idx], xy[p_idx, 0], xy[p_idx, 1])
        inside[p_idx[under]] = True
    out[inside] = INSIDE_HORIZON_DEG
    progress.report(0.03, "horizons: neighbours")

    pts, g_start, g_end = group(np.flatnonzero(finite_pt & ~inside))
    if pts.size == 0:
        return out

    tan_min = math.tan(math.radians(min(max(min_elevation_deg, 0.0), 89.0)))
    # Far tier: buildings tall enough to subtend far_elevation_deg beyond max_distance_m.
    tan_far = math.tan(math.radians(far_elevation_deg)) if far_elevation_deg < 89.0 else 1e30
    tall = np.flatnonzero(height >= float(np.min(z[pts])) + max_distance_m * tan_far) \
        if 0 < tan_far < 1e30 else np.zeros(0, np.intp)
    job = _Job(px=xy[:, 0] - origin[0], py=xy[:, 1] - origin[1],
               pz=z, own=own, height=height, h_max=float(np.max(height)),
               bb=bb, origin=origin, walls=walls,
               grid=grid,
               n_sectors=int(n_sectors), rays=int(rays_per_sector), max_d=float(max_distance_m),
               tan_min=tan_min, tall=tall, tall_grid=grid_index(bb, tall.astype(np.int64), GRID_CELL_M),
               tan_far=tan_far, h_max_tall=float(np.max(height[tall])) if tall.size else 0.0,
               progress=progress)
    # Chunks of whole roofs with about _POINTS_PER_CHUNK points each.
    cuts = np.unique(np.r_[np.searchsorted(g_start, np.arange(0, pts.size, _POINTS_PER_CHUNK)),
                           g_start.size])
    chunks = [(pts[g_start[c0]:g_end[c1 - 1]], g_start[c0:c1] - g_start[c0],
               g_end[c0:c1] - g_start[c0]) for c0, c1 in itertools.pairwise(cuts)]
    sub = progress.sub(0.03, 1.0)
    n_threads = max(1, threads if threads is not None else default_threads())

    def run(chunk) -> int:
        idx, gs, ge = chunk
        out[idx] = _chunk_horizon(job, idx, gs, ge)
        return idx.size

    done = 0
    if n_threads == 1 or len(chunks) == 1:
        for ch in chunks:
            done += run(ch)
            sub.report(done / pts.size, "horizons")
    else:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            todo = iter(chunks)
            pending = {pool.submit(run, ch) for ch in itertools.islice(todo, 2 * n_threads)}
            try:
                while pending:
                    finished, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                    for f in finished:
                        done += f.result()
                        nxt = next(todo, None)
                        if nxt is not None:
                            pending.add(pool.submit(run, nxt))
                    sub.report(done / pts.size, "horizons")
            except BaseException:
                job.stop.set()  # running chunks stop at their next check
                raise
    if stats is not None:
        for k, v in job.stats.items():
            stats[k] = stats.get(k, 0) + v
    return out


def _chunk_horizon(job: _Job, pts: np.ndarray, g_start: np.ndarray, g_end: np.ndarray
                   ) -> np.ndarray:
    """Horizons (deg) of one chunk of points, grouped by roof (``pts[g_start[i]:g_end[i]]``)."""
    job.check()
    px, py, pz = job.px[pts], job.py[pts], job.pz[pts]
    gmin = np.minimum.reduceat(pz, g_start)
    gx0, gx1 = np.minimum.reduceat(px, g_start), np.maximum.reduceat(px, g_start)
    gy0, gy1 = np.minimum.reduceat(py, g_start), np.maximum.reduceat(py, g_start)
    # Candidate neighbours per roof: the roof's point bbox grown by the reach (m); tall buildings
    # beyond max_distance_m from a second grid, where they could still rise far_elevation_deg.
    reach = np.full(gmin.shape, job.max_d)
    if job.tan_min > 0:
        reach = np.minimum(reach, np.maximum(job.h_max - gmin, 0.0) / job.tan_min)
    reach_far = np.zeros(gmin.shape)
    if job.tall.size:
        reach_far = np.minimum(np.maximum(job.h_max_tall - gmin, 0.0) / job.tan_far, _FAR_CAP_M)
        reach_far = np.where(reach_far > job.max_d, reach_far, 0.0)
    cand_start, cand_b, far = roof_candidates(gx0, gy0, gx1, gy1, reach, reach_far, job.bb,
                                              job.grid, job.tall_grid, GRID_CELL_M)
    w = job.walls
    slope, counts = chunk_slopes(
        px, py, pz, g_start.astype(np.int64), g_end.astype(np.int64),
        job.own[pts[g_start]].astype(np.int64), cand_start, cand_b, far, job.height, job.bb,
        w.start, w.count, w.nx, w.ny, w.off, w.tx, w.ty, w.a_t, w.length, w.az_n, job.n_sectors,
        job.rays, job.tan_min, job.max_d, job.tan_far, _RING_EDGES)
    for name, value in zip(STAT_NAMES, counts, strict=True):
        job.count(name, value)
    return np.degrees(np.arctan(slope)).astype(np.float32)


def sky_view_loss(horizon) -> np.ndarray:
    """Share (0–1) of the isotropic sky diffuse lost by a horizontal surface: mean over sectors
    of ``sin²(horizon)`` (``horizon`` in deg, ``(n_points, n_sectors)``) → ``(n_points,)``."""
    h = np.radians(np.asarray(horizon, dtype=np.float64))
    if h.ndim != 2:
        raise ValueError("horizon must be (n_points, n_sectors)")
    if h.shape[1] == 0:
        return np.zeros(h.shape[0])
    return np.mean(np.sin(h) ** 2, axis=1)
