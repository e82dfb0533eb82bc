"""Reading categorical land-cover rasters (GeoTIFF class codes) for zonal sink statistics."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
from pyproj import CRS

from gis.errors import InputError
from gis.limits import check_memory

NODATA_FILL = -2_147_483_648
"""Code given to nodata pixels when the file's nodata value is not an integer (e.g. NaN)."""


class LandCover(NamedTuple):
    """Class codes (int32), their affine ``transform`` (pixel → CRS), ``crs`` and the ``nodata``
    code (None when every pixel is valid). Unpacks as ``codes, transform, crs, nodata``."""

    codes: np.ndarray
    transform: object
    crs: CRS
    nodata: int | None


def read_landcover(path: str | Path, *, bounds: tuple[float, float, float, float] | None = None,
                   bounds_crs=None, band: int = 1) -> LandCover:
    """A land-cover band as int32 class codes.

    bounds: read only the pixels covering (minx, miny, maxx, maxy) — in ``bounds_crs``, or the
        raster's CRS when None — plus one pixel of margin (for large tiles such as ESA WorldCover).
    Float rasters are accepted when every valid value is a whole number (UMEP's land cover is
    float32); masked/nodata pixels get the file's nodata value, or :data:`NODATA_FILL` when it is
    not an integer. InputError for unreadable files, rasters without a CRS, rotated rasters,
    non-integer values (a DSM given by mistake) and bounds outside the raster.
    """
    import rasterio
    from rasterio.windows import Window, from_bounds

    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", "File not found", path=str(path), code="file.missing")
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise InputError("土地覆盖栅格没有坐标系（缺少 .prj/GeoTIFF 坐标信息）",
                                 "The land-cover raster has no CRS (no GeoTIFF georeferencing)",
                                 path=str(path), code="raster.no_crs")
            t = src.transform
            if abs(t.b) > 1e-12 or abs(t.d) > 1e-12:
                raise InputError("不支持旋转的栅格", "Rotated rasters are not supported", path=str(path),
                                 code="raster.rotated")
            window = None
            if bounds is not None:
                if bounds_crs is not None and CRS.from_user_input(bounds_crs) != CRS.from_user_input(src.crs):
                    from rasterio.warp import transform_bounds

                    bounds = transform_bounds(CRS.from_user_input(bounds_crs), src.crs, *bounds,
                                              densify_pts=21)
                w = from_bounds(*bounds, transform=t)
                col0, row0 = int(np.floor(w.col_off)) - 1, int(np.floor(w.row_off)) - 1
                col1 = int(np.ceil(w.col_off + w.width)) + 1
                row1 = int(np.ceil(w.row_off + w.height)) + 1
                col0, row0 = max(col0, 0), max(row0, 0)
                col1, row1 = min(col1, src.width), min(row1, src.height)
                if col1 <= col0 or row1 <= row0:
                    raise InputError("边界范围不在土地覆盖栅格内（坐标系是否一致？）",
                                     "The boundary lies outside the land-cover raster (same CRS?)",
                                     path=str(path), code="raster.outside")
                window = Window(col0, row0, col1 - col0, row1 - row0)
            h, w = (window.height, window.width) if window is not None else (src.height, src.width)
            # the masked read (its type and a 1-byte mask), the int32 codes and np.where's int64
            check_memory(float(w) * float(h) * (np.dtype(src.dtypes[band - 1]).itemsize + 13),
                         what_zh=f"读取 {w:,} × {h:,} 像元的土地覆盖栅格",
                         what_en=f"Reading {w:,} × {h:,} pixels of the land-cover raster",
                         fix_zh="请给出园区边界（只读其范围），或把栅格裁剪到园区",
                         fix_en="give the park boundary (only its extent is read) or clip the raster to the "
                                "park",
                         path=str(path), code="raster.too_big")
            data = src.read(band, window=window, masked=True)
            transform = src.window_transform(window) if window is not None else t
            crs = CRS.from_user_input(src.crs)
            file_nodata = src.nodata
    except (rasterio.errors.RasterioIOError, IndexError) as exc:
        raise InputError(f"无法读取栅格文件：{exc}", f"Cannot read the raster: {exc}", path=str(path),
                         code="raster.unreadable") from exc
    mask = np.ma.getmaskarray(data)
    values = np.ma.getdata(data)
    if np.issubdtype(values.dtype, np.floating):
        valid = values[~mask]
        finite = np.isfinite(valid)
        frac = valid[finite] != np.round(valid[finite])
        if frac.any() or not finite.all():
            example = valid[~finite][0] if not finite.all() else valid[finite][frac][0]
            raise InputError(
                f"栅格含非整数值（如 {example}），不像分类的土地覆盖图（是否误选了 DSM/DEM？）",
                f"The raster holds non-integer values (e.g. {example}): not a categorical land-cover "
                "map (a DSM/DEM by mistake?)", path=str(path), code="raster.not_categorical")
        mask = mask | ~np.isfinite(values)
    if file_nodata is not None and np.isfinite(file_nodata) and float(file_nodata).is_integer() \
            and np.iinfo(np.int32).min <= file_nodata <= np.iinfo(np.int32).max:
        nodata: int | None = int(file_nodata)
    else:
        nodata = NODATA_FILL if mask.any() else None
    codes = np.where(mask, NODATA_FILL if nodata is None else nodata, values).astype(np.int32)
    return LandCover(codes, transform, crs, nodata)
