"""Reading raster surfaces (DSM/DEM GeoTIFFs) into arrays for the computation core."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from pyproj import CRS

from gis.errors import InputError

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


def read_surface(path: Path, band: int = 1) -> RasterSurface:
    """A DSM/DEM band as float32 with NaN for nodata; InputError for files that are not a
    raster in a projected (metric) CRS."""
    import rasterio

    path = Path(path)
    try:
        with rasterio.open(path) as src:
            values = src.read(band, masked=True).astype(np.float32).filled(np.nan)
            transform, crs = src.transform, src.crs
    except (rasterio.errors.RasterioIOError, IndexError) as exc:
        raise InputError(f"无法读取栅格文件：{exc}", f"Cannot read the raster: {exc}", path=str(path),
                         code="raster.unreadable") from exc
    if crs is None or not CRS.from_user_input(crs).is_projected:
        raise InputError("数字表面模型（DSM）需要投影坐标系（米），请先投影",
                         "The surface model (DSM) must be in a projected (metric) CRS: reproject it first",
                         path=str(path), code="raster.crs")
    if abs(transform.b) > 1e-9 or abs(transform.d) > 1e-9:
        raise InputError("不支持旋转的栅格", "Rotated rasters are not supported", path=str(path),
                         code="raster.rotated")
    return RasterSurface(values, transform, CRS.from_user_input(crs), str(path))
