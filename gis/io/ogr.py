"""GeoPackage, GeoJSON, KML/KMZ and any other GDAL vector format, through pyogrio."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from gis.errors import InputError
from gis.io.report import ReadReport

FORMAT_NAMES = {
    ".gpkg": "GeoPackage", ".geojson": "GeoJSON", ".json": "GeoJSON", ".kml": "KML",
    ".kmz": "KMZ", ".gml": "GML", ".tab": "MapInfo TAB", ".mif": "MapInfo MIF",
    ".fgb": "FlatGeobuf", ".gdb": "Esri File Geodatabase",
}


def list_vector_layers(path: Path) -> list[str]:
    """Names of the layers with features or tables in a GDAL-readable file."""
    try:
        return [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:
        raise InputError(
            f"无法打开文件（格式不受支持或文件已损坏）：{exc}",
            f"Cannot open the file (unsupported format or damaged file): {exc}",
            path=str(path), code="file.unreadable") from exc


def read_ogr(path: Path, report: ReadReport, layer: str | None = None
             ) -> tuple[gpd.GeoDataFrame, object]:
    """Read one layer (or, for KML/KMZ without ``layer``, all folders into one frame).

    Returns (frame, crs the file declares or None).
    """
    suffix = path.suffix.lower()
    report.format = FORMAT_NAMES.get(suffix, "GDAL vector")
    layers = list_vector_layers(path)
    report.layers = layers
    if not layers:
        raise InputError("文件中没有任何图层", "The file contains no layers", path=str(path),
                         code="file.no_layers")
    if layer is not None and layer not in layers:
        raise InputError(
            f"文件中没有图层“{layer}”。可选图层：{', '.join(layers)}",
            f"No layer '{layer}' in the file. Layers: {', '.join(layers)}",
            path=str(path), code="file.no_such_layer")
    kml = suffix in (".kml", ".kmz")
    if layer is None and len(layers) > 1 and not kml:
        raise InputError(
            f"文件含 {len(layers)} 个图层，请选择一个（命令行用 --layer）：{', '.join(layers)}",
            f"The file has {len(layers)} layers; choose one (--layer on the command line): "
            f"{', '.join(layers)}",
            path=str(path), code="file.choose_layer")
    chosen = [layer] if layer is not None else layers
    frames = []
    for name in chosen:
        try:
            gdf = pyogrio.read_dataframe(path, layer=name, on_invalid="ignore")
        except Exception as exc:
            raise InputError(f"读取图层“{name}”失败：{exc}", f"Reading layer '{name}' failed: {exc}",
                             path=str(path), code="file.unreadable") from exc
        if kml and len(chosen) > 1:
            gdf["kml_folder"] = name
        frames.append(gdf)
    report.layer = chosen[0] if len(chosen) == 1 else None
    if len(frames) == 1:
        gdf = frames[0]
    else:
        crs = next((f.crs for f in frames if isinstance(f, gpd.GeoDataFrame)), None)
        gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=crs)
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(
            f"图层“{report.layer}”只有属性表，没有几何图形",
            f"Layer '{report.layer}' is a table without geometries",
            path=str(path), code="file.no_geometry")
    if report.format in ("GeoJSON", "KML", "KMZ"):
        report.encoding, report.encoding_source = "utf-8", "format"
        report.encoding_detail = f"{report.format} text is UTF-8 by specification"
        report.encoding_detail_zh = f"{report.format} 按规范使用 UTF-8 编码"
    # GeoJSON (RFC 7946) and KML are WGS84 by definition: GDAL reports EPSG:4326 for them
    return gdf, gdf.crs
