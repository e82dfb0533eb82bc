"""The layer tree's "Use as park layer" menu: layers take park roles, the park is built when the red
line and the buildings are known, and a role can be given to another layer later."""

from __future__ import annotations

import geopandas as gpd
import shapely

from app.gui.layer_panel import LayerPanel
from app.gui.park_roles import assign_role, pending_roles
from app.workspace import Workspace
from layers.presets import styled_layer

CRS = 4547


def _layers():
    x0, y0 = 500_000.0, 3_375_000.0
    red = gpd.GeoDataFrame({"name": ["南湖园"]}, geometry=[shapely.box(x0, y0, x0 + 200, y0 + 200)], crs=CRS)
    blds = gpd.GeoDataFrame({"floors": [3, 6, 2]}, geometry=[shapely.box(x0 + 10, y0 + 10, x0 + 40, y0 + 40),
                                                             shapely.box(x0 + 100, y0 + 100, x0 + 150,
                                                                         y0 + 130),
                                                             shapely.box(x0 + 500, y0, x0 + 520, y0 + 20)],
                                                             crs=CRS)
    lake = gpd.GeoDataFrame({"name": ["湖"]}, geometry=[shapely.box(x0 + 60, y0 + 150, x0 + 120, y0 + 190)],
                            crs=CRS)
    road = gpd.GeoDataFrame(geometry=[shapely.LineString([(x0, y0 + 80), (x0 + 200, y0 + 80)])], crs=CRS)
    return red, blds, lake, road


def _finish(handle):
    assert handle is not None and handle.wait(60)
    assert handle.state == "done", (handle.error, handle.traceback)


def test_roles_build_the_park_and_the_sources_give_way(qtbot):
    red, blds, lake, road = _layers()
    ws = Workspace()
    for name, gdf in (("redline_2024", red), ("osm_bldg", blds), ("lake", lake), ("rd", road)):
        ws.add_layer(styled_layer(name, gdf))
    assert assign_role(None, ws, ws.layer("redline_2024"), "boundary") is None  # buildings still missing
    assert pending_roles(ws) == {"boundary": "redline_2024"}
    _finish(assign_role(None, ws, ws.layer("osm_bldg"), "buildings", show_dialog=False, show_errors=False))
    assert ws.park is not None and ws.park.name == "南湖园"
    assert len(ws.park.buildings) == 2  # the third lies 300 m outside the red line
    assert ws.layer("osm_bldg") is None and ws.layer("redline_2024") is None
    assert ws.layer("buildings").title in ("建筑", "Buildings") and pending_roles(ws) == {}
    # a role given later rebuilds the park with it
    _finish(assign_role(None, ws, ws.layer("lake"), "water", show_dialog=False, show_errors=False))
    assert ws.park.water is not None and len(ws.park.water) == 1 and len(ws.park.buildings) == 2
    assert ws.layer("water") is not None and ws.layer("lake") is None


def test_menu_offers_the_roles_a_layer_can_play(qtbot):
    road = _layers()[3]
    ws = Workspace()
    ws.add_layer(styled_layer("rd", road))
    panel = LayerPanel(ws.tree)
    qtbot.addWidget(panel)
    menu = panel.build_menu(ws.layer("rd"))
    sub = next(a.menu() for a in menu.actions()
               if a.menu() is not None and a.menu().objectName() == "menu_park_role")
    enabled = {a.objectName().removeprefix("act_role_"): a.isEnabled() for a in sub.actions()}
    assert enabled["roads"] and enabled["tree_rows"] and not enabled["boundary"] and not enabled["buildings"]
    seen = []
    panel.assign_role.connect(lambda layer, role: seen.append((layer.name, role)))
    next(a for a in sub.actions() if a.objectName() == "act_role_roads").trigger()
    assert seen == [("rd", "roads")]
