"""The sample park's demo ground PV array (the committee block's lawn)."""

from __future__ import annotations

import geopandas as gpd

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

DEMO_AREA_NAME = "管委会绿地"
"""The sample park's open lawn of the management-committee block (5.9 ha of grass around the
offices): the demo's ground array, shaded in part by the 12-storey committee building."""


def demo_array(park) -> gpd.GeoDataFrame:
    """A sample array area in the park: the committee block's lawn (else the largest grass or
    green polygon), in the park's CRS, with ``name``."""
    g = park.green
    if g is None or len(g) == 0:
        raise InputError("示例园区没有绿地，无法选取示例阵列范围",
                         "The park has no green space for a sample array",
                         code="pv_array.demo")
    pick = g[g["name"] == DEMO_AREA_NAME] if "name" in g else g.iloc[0:0]
    if len(pick) == 0:
        grass = g[g["cover"] == "草地"] if "cover" in g else g
        grass = grass if len(grass) else g
        pick = grass.loc[[grass.area.idxmax()]]
    out = gpd.GeoDataFrame({"name": [DEMO_AREA_NAME if "name" not in pick else str(pick["name"].iloc[0])]},
                           geometry=[pick.union_all()], crs=g.crs)
    return out


def demo_array_result(park, progress: Progress = NO_PROGRESS, *, weather=None, grid=None):
    """The demo's array as an :class:`~gis.solar.array_energy.ArrayResult`: :func:`demo_array`
    with the defaults (site-optimal tilt, winter-rule rows, 2×14 portrait tables of 575 W), the
    park's buildings as obstacles and shade, the built-in climatology for the site (or
    ``weather``) and the default grid factor (or ``grid``, e.g. the park's factor set's)."""
    from gis.solar.array_energy import pv_array
    from gis.solar.array_layout import centre_lonlat
    from gis.solar.site_weather import site_weather

    area = demo_array(park)
    if weather is None:
        lon, lat = centre_lonlat(area.geometry.iloc[0], area.crs)
        weather = site_weather(lon, lat)
    return pv_array(area, weather, buildings=park.buildings, grid=grid, progress=progress)
