"""The siting works in the local metric CRS of where the data are, never in a lon/lat or
world-wide projection nor in the zone of wherever the view happened to be (the walk-through laid
out Shanghai's array in UTM 31N, 3°E, with areas 2.3× too large)."""

from __future__ import annotations

import geopandas as gpd
import shapely
from pyproj import CRS, Geod

from app.siting.frame import WorkFrame
from app.workspace import Workspace
from layers.presets import styled_layer


class View:
    def __init__(self, crs, extent):
        self._crs, self._extent = crs, extent

    def crs(self):
        return self._crs

    def extent(self):
        return self._extent


def _shanghai_layer():
    b = shapely.box(121.49, 31.23, 121.51, 31.25)  # a block of Lujiazui, lon/lat
    return styled_layer("osm_buildings", gpd.GeoDataFrame(geometry=[b], crs=4326))


def _frame(ws, view):
    f = WorkFrame()
    f.workspace, f.view = ws, view
    return f


def test_world_view_over_shanghai_data_works_in_the_local_zone():
    ws = Workspace()
    ws.add_layer(_shanghai_layer())
    for view in (View(CRS.from_epsg(4326), (-180.0, -90.0, 180.0, 90.0)),   # centre 0°E, 0°N
                 View(CRS.from_epsg(3857), (-2e7, -2e7, 2e7, 2e7))):
        work = _frame(ws, view).work_crs()
        area = work.area_of_use
        assert work.is_projected and area.west <= 121.5 <= area.east, work
        assert work.to_epsg() != 32631
        # an area measured in it matches the geodesic area within 0.1 % (UTM 31N: 2.3× off)
        block = ws.layer("osm_buildings").gdf
        geod_m2 = abs(Geod(ellps="GRS80").geometry_area_perimeter(block.geometry.iloc[0])[0])
        assert abs(block.to_crs(work).area.iloc[0] / geod_m2 - 1) < 1e-3


def test_a_zone_chosen_from_the_view_alone_is_chosen_again_once_there_is_data():
    ws = Workspace()
    f = _frame(ws, View(CRS.from_epsg(4326), (-10.0, -10.0, 10.0, 10.0)))
    assert f.work_crs().area_of_use.west <= 0 <= f.work_crs().area_of_use.east  # only the view to go by
    ws.add_layer(_shanghai_layer())
    area = f.work_crs().area_of_use
    assert area.west <= 121.5 <= area.east


def test_a_local_projected_map_is_worked_in_as_it_is():
    ws = Workspace()
    ws.add_layer(_shanghai_layer())
    gk = CRS.from_epsg(4549)
    assert _frame(ws, View(gk, (0, 0, 1, 1))).work_crs() == gk
