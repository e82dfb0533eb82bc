"""Reading raster surfaces (DSM/DEM GeoTIFFs) into arrays for the computation core."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pyproj import CRS

from gis.errors import InputError
from gis.limits import check_memory

BYTES_PER_PIXEL = 16
"""Peak working memory per DSM pixel (bytes): 15.5 measured reading a 5,000 × 5,000 float32
GeoTIFF (the masked read, its mask and the float32 copy); horizon_from_dsm then holds 13 (the
surface, its copy, the nodata mask and the roof-plane surface)."""

if TYPE_CHECKING:
    from affine import Affine


@dataclass
class RasterSurface:
    """One band of heights (m) with its affine ``transform`` (pixel → CRS), ``crs`` and the
    ``nodata`` value already turned into NaN in ``values`` (float32)."""

    values: np.ndarray
    transform: Affine
    crs: CRS
    path: str = ""

    @property
    def pixel_m(self) -> float:
        return float(abs(self.transform.a))


def _window(src, bounds, bounds_crs, margin_m: float, path: Path):
    """The pixel window covering ``bounds`` (in ``bounds_crs``, or the raster's CRS when None)
    grown by ``margin_m`` (raster units) and one pixel, clipped to the raster; None for the
    whole raster. InputError when it does not meet the raster."""
    from rasterio.windows import Window, from_bounds

    if bounds_crs is not None and CRS.from_user_input(bounds_crs) != CRS.from_user_input(src.crs):
        from rasterio.warp import transform_bounds

        bounds = transform_bounds(CRS.from_user_input(bounds_crs), src.crs, *bounds, densify_pts=21)
    x0, y0, x1, y1 = bounds
    w = from_bounds(x0 - margin_m, y0 - margin_m, x1 + margin_m, y1 + margin_m, transform=src.transform)
    col0, row0 = max(int(np.floor(w.col_off)) - 1, 0), max(int(np.floor(w.row_off)) - 1, 0)
    col1 = min(int(np.ceil(w.col_off + w.width)) + 1, src.width)
    row1 = min(int(np.ceil(w.row_off + w.height)) + 1, src.height)
    if col1 <= col0 or row1 <= row0:
        raise InputError("数字表面模型（DSM）与建筑不重叠：文件或坐标系有误？",
                         "The surface model (DSM) does not overlap the buildings: wrong file or CRS?",
                         path=str(path), code="raster.no_overlap")
    return Window(col0, row0, col1 - col0, row1 - row0)


def read_surface(path: Path, band: int = 1, *, bounds: tuple[float, float, float, float] | None = None,
                 bounds_crs=None, margin_m: float = 0.0) -> RasterSurface:
    """A DSM/DEM band as float32 with NaN for nodata; InputError for files that are not a
    raster in a projected (metric) CRS, and for more pixels than fit in memory
    (:data:`BYTES_PER_PIXEL` each, :func:`gis.limits.check_memory`).

    bounds: read only the pixels covering (minx, miny, maxx, maxy) — in ``bounds_crs``, or the
    raster's CRS when None — grown by ``margin_m`` metres (the reach of the shading), so that a
    city-wide DSM is read for the park only.
    """
    import rasterio

    path = Path(path)
    try:
        with rasterio.open(path) as src:
            transform, crs = src.transform, src.crs
            if crs is None or not CRS.from_user_input(crs).is_projected:
                raise InputError("数字表面模型（DSM）需要投影坐标系（米），请先投影",
                                 "The surface model (DSM) must be in a projected (metric) CRS: reproject "
                                 "it first",
                                 path=str(path), code="raster.crs")
            if abs(transform.b) > 1e-9 or abs(transform.d) > 1e-9:
                raise InputError("不支持旋转的栅格", "Rotated rasters are not supported", path=str(path),
                                 code="raster.rotated")
            window = _window(src, bounds, bounds_crs, margin_m, path) if bounds is not None else None
            height, width = (window.height, window.width) if window is not None else (src.height, src.width)
            check_memory(float(width) * float(height) * BYTES_PER_PIXEL,
                         what_zh=f"读取 {width:,} × {height:,} 像元的数字表面模型（DSM）",
                         what_en=f"Reading {width:,} × {height:,} pixels of the surface model (DSM)",
                         fix_zh=f"请把 DSM 裁剪到园区及其周边 {margin_m or 500:g} 米，或重采样为较粗的像元",
                         fix_en=f"clip the DSM to the park and {margin_m or 500:g} m around it, or resample "
                                "it to larger pixels",
                         path=str(path), code="raster.too_big")
            values = src.read(band, window=window, masked=True).astype(np.float32).filled(np.nan)
            if window is not None:
                transform = src.window_transform(window)
    except (rasterio.errors.RasterioIOError, IndexError) as exc:
        raise InputError(f"无法读取栅格文件：{exc}", f"Cannot read the raster: {exc}", path=str(path),
                         code="raster.unreadable") from exc
    return RasterSurface(values, transform, CRS.from_user_input(crs), str(path))
