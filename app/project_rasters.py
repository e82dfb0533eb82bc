"""Raster layers of a project: as raster tables of the GeoPackage when GDAL's driver holds their
values exactly, else as GeoTIFFs in the folder ``NAME.lingtan.rasters`` beside it."""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gis.atomic import clean_stale_in, fsync_file, temp_beside

if TYPE_CHECKING:
    from app.project_file import RasterData

RASTER_DIR_SUFFIX = ".rasters"
GPKG_EXACT_FLOAT_INT = 2 ** 24
"""Integers up to 2^24 in magnitude are exact in float32 (24-bit significand)."""


def sidecar_dir(path: Path | str) -> Path:
    """The folder of the rasters a project keeps beside it: ``NAME.lingtan.gpkg`` →
    ``NAME.lingtan.rasters`` (only for grids a GeoPackage cannot hold exactly)."""
    path = Path(path)
    stem = re.sub(r"\.gpkg$", "", path.name, flags=re.IGNORECASE)
    return path.with_name(stem + RASTER_DIR_SUFFIX)


def raster_storage(array: np.ndarray, transform) -> tuple[str, str | None]:
    """Where a grid is saved: ("gpkg", the dtype to write, chosen so that the values come back
    exactly) or ("geotiff", None) for what GDAL's GeoPackage raster driver cannot hold exactly
    (it stores only Byte images and Int16/UInt16/Float32 coverages, north-up, unrotated)."""
    a = np.asarray(array)
    _x0, dx, rx, _y0, ry, dy = (float(v) for v in transform)
    if rx != 0 or ry != 0 or dx <= 0 or dy >= 0:
        return "geotiff", None
    if a.ndim == 3:
        return ("gpkg", "uint8") if a.dtype == np.uint8 and a.shape[2] in (3, 4) else ("geotiff", None)
    kind = a.dtype.kind
    if a.dtype in (np.float32, np.int16, np.uint16):
        return "gpkg", str(a.dtype)
    if kind == "b" or a.dtype == np.uint8:
        return "gpkg", "uint16"
    if a.dtype == np.int8:
        return "gpkg", "int16"
    if kind == "f":
        with np.errstate(over="ignore", invalid="ignore"):
            f32 = a.astype(np.float32)
        same = np.array_equal(f32.astype(a.dtype), a, equal_nan=True)
        return ("gpkg", "float32") if same else ("geotiff", None)
    if kind in "iu":
        if a.size == 0:
            return "gpkg", "uint16"
        lo, hi = int(a.min()), int(a.max())
        if lo >= 0 and hi <= 65535:
            return "gpkg", "uint16"
        if lo >= -32768 and hi <= 32767:
            return "gpkg", "int16"
        if -GPKG_EXACT_FLOAT_INT <= lo and hi <= GPKG_EXACT_FLOAT_INT:
            return "gpkg", "float32"
    return "geotiff", None


def rio_crs(crs):
    from rasterio.crs import CRS as RioCRS

    return None if crs is None else RioCRS.from_wkt(crs.to_wkt() if hasattr(crs, "to_wkt") else str(crs))


def write_gpkg_raster(target: Path, r: RasterData) -> None:
    """Append ``r`` to the GeoPackage ``target`` as a raster table (GDAL GPKG driver)."""
    import rasterio
    from affine import Affine

    a = r.array
    if a.ndim == 3:  # an RGB(A) image: PNG tiles
        data, opts = np.moveaxis(a, -1, 0), {"TILE_FORMAT": "PNG"}
    else:
        data = a.astype(r.stored_dtype, copy=False)[None]
        opts = {"TILE_FORMAT": "TIFF" if r.stored_dtype == "float32" else "PNG"}
    nodata = None
    # GDAL keeps a float32/uint16 coverage's nodata (QGIS then leaves those cells out); an int16
    # one with nodata comes back as float32 with shifted values (GDAL 3.10), so the document alone
    # holds it there.
    if r.nodata is not None and a.ndim == 2 and r.stored_dtype in ("float32", "uint16"):
        v = float(r.nodata)
        if math.isfinite(v) and (r.stored_dtype == "float32" or (v.is_integer() and 0 <= v <= 65535)):
            nodata = v
    with rasterio.open(target, "w", driver="GPKG", width=int(a.shape[1]), height=int(a.shape[0]),
                       count=int(data.shape[0]), dtype=str(data.dtype), crs=rio_crs(r.crs),
                       transform=Affine.from_gdal(*r.transform), nodata=nodata, APPEND_SUBDATASET="YES",
                       RASTER_TABLE=r.table, RASTER_IDENTIFIER=r.title,
                       RASTER_DESCRIPTION=f"Lingtan raster layer {r.name}", **opts) as ds:
        ds.write(data)


def raster_digest(r: RasterData) -> str:
    h = hashlib.sha1(np.ascontiguousarray(r.array).view(np.uint8).ravel())
    h.update(repr((str(r.array.dtype), r.array.shape, tuple(r.transform),
                   r.crs.to_wkt() if r.crs is not None else None, r.nodata)).encode())
    return h.hexdigest()[:12]


def write_sidecar(path: Path, r: RasterData) -> str:
    """Write ``r`` as a GeoTIFF in :func:`sidecar_dir` of ``path`` (named by its content, so the
    previous project file's sidecars stay intact until the new file replaces it); the name
    relative to the project's folder."""
    import rasterio
    from affine import Affine

    folder = sidecar_dir(path)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{r.table}-{raster_digest(r)}.tif"
    target = folder / name
    if not target.exists():
        a = r.array
        data = np.moveaxis(a, -1, 0) if a.ndim == 3 else a[None]
        tmp = temp_beside(target)  # the one scheme (gis.atomic): a killed save's is cleaned next time
        try:
            nodata = r.nodata if r.nodata is not None and a.ndim == 2 else None
            with rasterio.open(tmp, "w", driver="GTiff", width=int(a.shape[1]), height=int(a.shape[0]),
                               count=int(data.shape[0]), dtype=str(data.dtype), crs=rio_crs(r.crs),
                               transform=Affine.from_gdal(*r.transform), nodata=nodata, tiled=True,
                               compress="deflate", BIGTIFF="IF_SAFER") as ds:
                ds.write(data)
            fsync_file(Path(tmp))
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return f"{folder.name}/{name}"


def remove_unused_sidecars(path: Path, keep: set[str]) -> None:
    """Sidecar GeoTIFFs of ``path`` the saved document no longer names (an older save's)."""
    folder = sidecar_dir(path)
    if not folder.is_dir():
        return
    pattern = re.compile(r"^[0-9a-z_]+-[0-9a-f]{12}\.tif$")
    clean_stale_in(folder)  # temporaries of sidecars a killed save was writing
    for f in folder.iterdir():
        if pattern.match(f.name) and f"{folder.name}/{f.name}" not in keep:
            try:
                f.unlink()
            except OSError:
                pass
    try:
        folder.rmdir()  # only when empty
    except OSError:
        pass


def gpkg_raster_tables(path: Path | str) -> set[str]:
    """Raster tables (tiles, gridded coverages) in ``gpkg_contents``."""
    with sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True) as con:
        return {r[0] for r in con.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type IN ('tiles', '2d-gridded-coverage')")}


def read_raster_entry(path: Path, entry: dict, colormap=None):
    """The :class:`~layers.raster.RasterLayer` of a document's raster entry (values, dtype,
    transform, CRS and nodata as saved). FileNotFoundError when its sidecar GeoTIFF is gone."""
    import rasterio
    from pyproj import CRS

    from layers.raster import RasterLayer

    bands = int(entry.get("bands", 1))
    if entry.get("storage") == "geotiff":
        source = Path(path).parent / str(entry.get("file") or "")
        if not entry.get("file") or not source.is_file():
            raise FileNotFoundError(source)
        ds = rasterio.open(source)
    else:
        ds = rasterio.open(path, TABLE=entry["table"])
    with ds:
        if bands >= 3:
            array = np.moveaxis(ds.read(list(range(1, bands + 1))), 0, -1)
        else:
            array = ds.read(1)
        gdal_transform = ds.transform.to_gdal()
        file_crs = ds.crs
    array = np.ascontiguousarray(array.astype(entry.get("dtype") or array.dtype, copy=False))
    transform = tuple(entry.get("transform") or gdal_transform)
    if "crs" in entry:  # as saved (None: the layer had none; GDAL would say "undefined Cartesian")
        crs = CRS.from_wkt(entry["crs"]) if entry["crs"] else None
    else:
        crs = CRS.from_wkt(file_crs.to_wkt()) if file_crs is not None else None
    return RasterLayer(str(entry.get("name", entry["table"])), array, transform, crs, colormap=colormap,
                       nodata=entry.get("nodata"), title=entry.get("title"))


# ---------------------------------------------------------------- writing (any thread)
