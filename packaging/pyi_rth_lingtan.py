"""PyInstaller runtime hook: runs in the frozen app before any Lingtan or geo-library import.

Sets GDAL_DATA/PROJ_DATA from the bundle, switches GDAL plugins and PROJ's network off, removes other
installations' settings (QGIS, OSGeo4W) and, on Windows, takes their GDAL folders off PATH: see
gis/geo_env.py. ``lingtan --self-test`` reports which PROJ data each library then uses.
"""

from gis.geo_env import apply_bundle_env

apply_bundle_env()
