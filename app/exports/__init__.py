"""Exports of Lingtan's layers and results: Shapefile, GeoPackage, GeoJSON, CSV, Excel,
PNG, QGIS/SLD styles and an offline interactive web map. See docs/exports.md."""

from app.exports.export_all import (
           FORMATS,
           ExportResult,
           export_all,
           export_demo,
           parse_formats,
           result_layers,
)
from app.exports.images import export_png, write_layer_styles
from app.exports.shapefile import FieldMapping, shapefile_names, write_shapefile, write_shapefiles
from app.exports.tables import write_csv, write_geojson, write_geopackage, write_workbook
from app.exports.web_map import write_web_map

__all__ = ["FORMATS", "ExportResult", "FieldMapping", "export_all", "export_demo", "export_png",
           "parse_formats", "result_layers", "shapefile_names", "write_csv", "write_geojson",
           "write_geopackage", "write_layer_styles", "write_shapefile", "write_shapefiles", "write_web_map",
           "write_workbook"]
