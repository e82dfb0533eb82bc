"""Horizons of roof points from a surface model (DSM raster): the roof's own slope is read from
the surface, each sector's rays are marched outwards (conventions of :mod:`gis.solar.shading`:
azimuth clockwise from north, horizon in degrees, float32 ``(n_points, n_sectors)``, metres).
Pure numpy; the footprint horizons are :func:`gis.solar.shading.horizon_from_footprints`."""

from __future__ import annotations

import math
import warnings

import numpy as np

from gis.progress import NO_PROGRESS, Progress


def _affine(transform) -> tuple[float, float, float, float, float, float]:
    """(a, b, c, d, e, f) of a rasterio/affine transform: x = a·col + b·row + c, y = d·col + e·row + f."""
    t = tuple(float(v) for v in tuple(transform)[:6])
    if len(t) != 6:
        raise ValueError("transform must be an affine transform (a, b, c, d, e, f)")
    return t


def _inverse(a, b, c, d, e, f):
    det = a * e - b * d
    if det == 0:
        raise ValueError("transform is singular")
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    return ia, ib, -(ia * c + ib * f), id_, ie, -(id_ * c + ie * f)


def _roof_gradient(surf: np.ndarray, pc: np.ndarray, pr: np.ndarray, jac, pixel: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Local roof slope at pixel coordinates (pc, pr): (dz/dx, dz/dy) in m per m (x east,
    y north), from the median of the central differences over the 3×3 pixels around each point
    (differences steeper than 65° are walls and left out; none left → flat)."""
    rows_n, cols_n = surf.shape
    r0 = np.floor(pr).astype(np.intp)
    c0 = np.floor(pc).astype(np.intp)
    off = np.array([-1, 0, 1])
    rr = (r0[:, None, None] + off[None, :, None])  # (n, 3, 1)
    cc = (c0[:, None, None] + off[None, None, :])  # (n, 1, 3)
    def at(r, c):
        ok = (r >= 0) & (r < rows_n) & (c >= 0) & (c < cols_n)
        return np.where(ok, surf[np.clip(r, 0, rows_n - 1), np.clip(c, 0, cols_n - 1)], np.nan)
    with np.errstate(invalid="ignore"):
        dcol = ((at(rr, cc + 1) - at(rr, cc - 1)) / 2).reshape(len(pc), -1)
        drow = ((at(rr + 1, cc) - at(rr - 1, cc)) / 2).reshape(len(pc), -1)
    steep = math.tan(math.radians(65.0)) * pixel
    dcol[~(np.abs(dcol) <= steep)] = np.nan
    drow[~(np.abs(drow) <= steep)] = np.nan
    with warnings.catch_warnings():  # all-NaN rows (no usable neighbour): flat
        warnings.simplefilter("ignore", RuntimeWarning)
        zc = np.nan_to_num(np.nanmedian(dcol, axis=1))
        zr = np.nan_to_num(np.nanmedian(drow, axis=1))
    a, b, d, e = jac  # dz/dcol = a·gx + d·gy ; dz/drow = b·gx + e·gy
    det = a * e - b * d
    gx = (e * zc - d * zr) / det
    gy = (a * zr - b * zc) / det
    return gx.astype(np.float32), gy.astype(np.float32)


def sample_dsm(dsm: np.ndarray, transform, xy, *, nodata=None) -> np.ndarray:
    """Values of a raster (e.g. a DSM, m) at points ``xy`` ((n, 2), the raster's CRS): nearest
    pixel (the pixel containing the point). NaN outside the raster and where the value is
    ``nodata`` or not finite. float64 ``(n,)``."""
    arr = np.asarray(dsm)
    if arr.ndim != 2:
        raise ValueError("dsm must be a 2-D array (one band)")
    pts = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
    ia, ib, ic, id_, ie, if_ = _inverse(*_affine(transform))
    col = np.floor(ia * pts[:, 0] + ib * pts[:, 1] + ic)
    row = np.floor(id_ * pts[:, 0] + ie * pts[:, 1] + if_)
    ok = (col >= 0) & (col < arr.shape[1]) & (row >= 0) & (row < arr.shape[0])
    out = np.full(pts.shape[0], np.nan)
    out[ok] = arr[row[ok].astype(np.intp), col[ok].astype(np.intp)]
    if nodata is not None and not (isinstance(nodata, float) and math.isnan(nodata)):
        out[out == nodata] = np.nan
    out[~np.isfinite(out)] = np.nan
    return out


def horizon_from_dsm(points_xy, points_z_m, dsm: np.ndarray, transform, *, n_sectors: int = 36,
                     max_distance_m: float = 300.0, nodata=None,
                     exclude_mask: np.ndarray | None = None, progress: Progress = NO_PROGRESS,
                     rays_per_sector: int = 1, start_distance_m: float | None = None,
                     tolerance_m: float = 0.5, growth: float = 0.03,
                     roof_plane: bool = True) -> np.ndarray:
    """Horizon (deg, float32 ``(n_points, n_sectors)``) of points from a raster surface.

    dsm: 2-D surface heights (m) in the same vertical reference as ``points_z_m`` (for a DSM of
    absolute elevations pass the roof z from the DSM at the points, e.g. :func:`sample_dsm`);
    transform: rasterio-style affine (pixel → CRS of ``points_xy``). ``nodata``/NaN pixels,
    pixels where ``exclude_mask`` is True (e.g. vegetation to be ignored) and everything
    outside the raster are not obstructions.

    Each sector is the maximum over ``rays_per_sector`` evenly spaced rays (default 1: the
    centre ray, as for footprints; see the module docstring).
    Along a ray, samples (nearest pixel) start at ``start_distance_m`` (default 1.5 pixels)
    and are one pixel apart, growing to ``growth`` × distance (3%: ~80 samples to 300 m at
    1 m pixels); elevation = max atan((dsm - z) / d) over samples where the surface is more
    than ``tolerance_m`` (m) above the point's roof plane (below).

    Own roof: the march starts beyond the point's own pixel, and with ``roof_plane`` (default)
    the local roof plane at each point is estimated from the DSM (median of central differences
    over the 3×3 pixels around it, steps steeper than 65° (walls) left out) and surface that
    does not rise more than ``tolerance_m`` above that plane, extended along the ray, is not an
    obstruction. So a point on a pitched roof is not shaded by the rest of its own roof plane
    or by its own ridge seen from below (a module lying in the plane cannot see behind it),
    while dormers, parapets, chimneys and taller neighbours do count. With
    ``roof_plane=False`` the plane is horizontal: a pitched roof's own ridge shades its lower
    points. Thin obstructions far away can fall between samples (steps grow with distance).
    """
    xy = np.asarray(points_xy, dtype=np.float64).reshape(-1, 2)
    z = np.asarray(points_z_m, dtype=np.float64).reshape(-1)
    arr = np.asarray(dsm)
    if arr.ndim != 2:
        raise ValueError("dsm must be a 2-D array (one band)")
    if z.size != xy.shape[0]:
        raise ValueError("points_xy and points_z_m must have the same length")
    if n_sectors < 1 or rays_per_sector < 1 or max_distance_m <= 0 or growth <= 0:
        raise ValueError("need n_sectors >= 1, rays_per_sector >= 1, max_distance_m > 0, growth > 0")
    n = xy.shape[0]
    out = np.zeros((n, n_sectors), dtype=np.float32)
    if n == 0:
        return out
    surf = arr.astype(np.float32, copy=True)
    bad = ~np.isfinite(surf)
    if nodata is not None and not (isinstance(nodata, float) and math.isnan(nodata)):
        bad |= arr == nodata
    if exclude_mask is not None:
        mask = np.asarray(exclude_mask, dtype=bool)
        if mask.shape != arr.shape:
            raise ValueError("exclude_mask must have the shape of dsm")
        bad |= mask
    surf[bad] = -np.inf
    flat = surf.reshape(-1)
    a, b, c, d, e, f = _affine(transform)
    pixel = math.sqrt(abs(a * e - b * d))
    ia, ib, ic, id_, ie, if_ = _inverse(a, b, c, d, e, f)
    d0 = 1.5 * pixel if start_distance_m is None else float(start_distance_m)
    steps = [max(d0, 1e-6)]
    while steps[-1] < max_distance_m:
        steps.append(steps[-1] + max(pixel, growth * steps[-1]))
    dist = np.asarray([v for v in steps if v <= max_distance_m] or [max_distance_m])
    n_rays = n_sectors * rays_per_sector
    w = 2 * math.pi / n_rays
    off = 0.5 - rays_per_sector / 2
    valid = np.flatnonzero(np.isfinite(xy).all(axis=1) & np.isfinite(z))
    # Pixel coordinates of the points; a ray step in pixel units per metre along azimuth θ.
    pc = ia * xy[valid, 0] + ib * xy[valid, 1] + ic
    pr = id_ * xy[valid, 0] + ie * xy[valid, 1] + if_
    pz = z[valid].astype(np.float32)
    rows_n, cols_n = arr.shape
    if roof_plane:
        gx, gy = _roof_gradient(np.where(bad, np.nan, surf), pc, pr, (a, b, d, e), pixel)
    else:
        gx = gy = np.zeros(valid.size, dtype=np.float32)
    chunk = max(1, 2_000_000 // dist.size)
    inv_d = (1.0 / dist).astype(np.float32)
    tol = np.float32(tolerance_m)
    total = n_rays * math.ceil(valid.size / chunk)
    step_no = 0
    for s0 in range(0, valid.size, chunk):
        sl = slice(s0, s0 + chunk)
        best = np.full((pc[sl].size, n_sectors), -np.inf, dtype=np.float32)
        for r in range(n_rays):
            progress.report(step_no / max(total, 1), "horizons (DSM)")
            step_no += 1
            theta = (r + off) * w
            dx, dy = math.sin(theta) * dist, math.cos(theta) * dist  # m east, m north
            col = np.floor(pc[sl, None] + (ia * dx + ib * dy)[None, :]).astype(np.intp)
            row = np.floor(pr[sl, None] + (id_ * dx + ie * dy)[None, :]).astype(np.intp)
            inside = (col >= 0) & (col < cols_n) & (row >= 0) & (row < rows_n)
            idx = np.where(inside, row * cols_n + col, 0)
            h = np.where(inside, flat[idx], -np.inf) - pz[sl, None]
            rise = (gx[sl] * math.sin(theta) + gy[sl] * math.cos(theta))[:, None] * dist[None, :]
            h = np.where(h - rise > tol, h, -np.inf)
            k = (r // rays_per_sector) % n_sectors
            np.maximum(best[:, k], np.max(h * inv_d[None, :], axis=1), out=best[:, k])
        best = np.where(best > 0, best, 0)
        out[valid[sl]] = np.degrees(np.arctan(best))
    progress.report(1.0, "horizons (DSM)")
    return out


# --------------------------------------------------------------------------------------------
# Sky view
# --------------------------------------------------------------------------------------------
