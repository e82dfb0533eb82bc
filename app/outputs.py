"""Writing results to disk atomically: a crash or Ctrl-C never leaves a half-written file."""

from __future__ import annotations

import json
import os
from pathlib import Path

import geopandas as gpd

from gis.atomic import temp_beside


def _tmp_beside(path: Path) -> Path:
    """A temporary name beside ``path`` (:func:`gis.atomic.temp_beside`, which also removes the
    temporaries a killed run left)."""
    return temp_beside(Path(path))


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` as UTF-8 JSON (Chinese kept readable), replacing ``path`` atomically."""
    tmp = _tmp_beside(path)
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8, replacing ``path`` atomically."""
    tmp = _tmp_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


GPKG_VERSION = "1.2"
"""GeoPackage version written: 1.2 opens without warnings in GDAL 2.2+ and QGIS 3.x (GDAL 3.6 and
QGIS 3.22, still common in Chinese GIS departments, warn on every open of a 1.4 file)."""
GPKG_OPTIONS = {"VERSION": GPKG_VERSION}

_EMPTY_GEOMETRY_TYPE = {"polygon": "MultiPolygon", "line": "MultiLineString", "point": "Point"}


def empty_geometry_type(name: str) -> str:
    """The geometry type an empty layer is written with: its registered kind (QGIS then opens it
    as a map layer with its style, not as a table), else Unknown."""
    from layers.registry import layer_spec

    spec = layer_spec(name)
    return _EMPTY_GEOMETRY_TYPE.get(spec.geometry, "Unknown") if spec is not None else "Unknown"


def write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Write all ``layers`` into one GeoPackage (version :data:`GPKG_VERSION`; empty layers with
    their registered geometry type; a plain DataFrame as a table without geometry, after the first
    layer), replacing ``path`` atomically."""
    tmp = _tmp_beside(path)
    try:
        for name, gdf in layers.items():
            if not isinstance(gdf, gpd.GeoDataFrame):  # a plain table: a GeoPackage attribute table
                import pyogrio

                text = {c: "string" for c in gdf.columns if gdf[c].dtype == object}
                pyogrio.write_dataframe(gdf.astype(text), tmp, layer=name, driver="GPKG")
                continue
            kw = {"geometry_type": empty_geometry_type(name)} if len(gdf) == 0 else {}
            _text_columns(gdf).to_file(tmp, layer=name, driver="GPKG", engine="pyogrio",
                                       dataset_options=GPKG_OPTIONS, **kw)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _text_columns(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Mixed object columns (numbers, text, None) as text so GDAL can write them; None stays empty."""
    objects = [c for c in gdf.columns if c != gdf.geometry.name and gdf[c].dtype == object]
    if not objects:
        return gdf
    out = gdf.copy()
    for col in objects:
        out[col] = out[col].astype("string")
    return out
