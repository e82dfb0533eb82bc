"""PyInstaller runtime hook: runs in the frozen app before any Lingtan or geo-library import.

Sets GDAL_DATA/PROJ_DATA from the bundle and ignores another GDAL/PROJ installation's settings
(QGIS, OSGeo4W): see gis/geo_env.py. A failure to pin a library's own data is not fatal here;
``lingtan --self-test`` and ``lingtan info`` report which PROJ data each library uses.
"""


def _lingtan_bundle_geo_env() -> None:
    from gis.geo_env import apply_bundle_env, pin_library_data_on_import

    apply_bundle_env()
    pin_library_data_on_import()  # rasterio's own data, when rasterio is first imported


_lingtan_bundle_geo_env()
del _lingtan_bundle_geo_env
