"""A park from a planner's own data (``lingtan park new``, gis.park.build_park): roles, the red-line
selection counted by hand, and the project it writes opened by report and export."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from app.cli import main
from gis.errors import InputError
from gis.park import build_park
from tests.conftest import shared

CRS = 4547  # CGCS2000 3° Gauss–Krüger CM 114°E (Wuhan)


def _frames():
    x0, y0 = 500_000.0, 3_375_000.0
    red = gpd.GeoDataFrame({"name": ["示范园"]}, geometry=[shapely.box(x0, y0, x0 + 100, y0 + 100)], crs=CRS)
    boxes = [shapely.box(x0 + 10, y0 + 10, x0 + 30, y0 + 30),      # inside
             shapely.box(x0 + 50, y0 + 50, x0 + 70, y0 + 60),      # inside
             shapely.box(x0 + 90, y0 + 40, x0 + 130, y0 + 60),     # cut by the line, most of it outside
             shapely.box(x0 + 80, y0 + 80, x0 + 104, y0 + 98),     # cut by the line, most of it inside
             shapely.box(x0 + 200, y0, x0 + 220, y0 + 20),         # outside
             shapely.box(x0 - 50, y0 - 50, x0 - 30, y0 - 30)]      # outside
    b = gpd.GeoDataFrame({"floors": [3, 5, 2, 4, 1, 1]}, geometry=boxes, crs=CRS).to_crs(4326)
    return {"boundary": red, "buildings": b}


def test_buildings_are_selected_by_the_red_line_and_counted():
    park = build_park(_frames(), inside_only=True)
    # by hand: point-on-surface of each box — boxes 1, 2, 4 inside; box 3's point (x0+110) outside
    assert len(park.buildings) == 3
    note = next(p for p in park.problems if p.code == "park.buildings_inside")
    assert "红线内 3 个，红线外 3 个" in note.zh and "3 inside the red line, 3 outside" in note.en
    assert park.name == "示范园" and park.crs.to_epsg() == CRS
    assert len(build_park(_frames(), inside_only=False).buildings) == 6


def test_a_park_needs_its_red_line_and_buildings_inside_it():
    f = _frames()
    with pytest.raises(InputError) as e:
        build_park({"boundary": f["boundary"]})
    assert "建筑" in e.value.zh and "buildings" in e.value.en
    far = f["buildings"].to_crs(CRS).translate(10_000, 0)
    with pytest.raises(InputError) as e:
        build_park({"boundary": f["boundary"], "buildings": far}, inside_only=True)
    assert "红线内没有建筑" in e.value.zh


def test_park_new_writes_a_project_that_report_and_export_open(tmp_path, capsys):
    path = shared("buildings", "wuhan_optics_valley_osm_buildings.geojson")
    raw = gpd.read_file(path)
    centre = raw.to_crs(CRS).union_all().centroid
    red = gpd.GeoDataFrame({"name": ["光谷{{ 7*7 }}园"]}, geometry=[centre.buffer(400)], crs=CRS)
    red.to_file(tmp_path / "red.gpkg", layer="red")
    project = tmp_path / "wuhan.lingtan.gpkg"
    assert main(["park", "new", "--boundary", f"{tmp_path / 'red.gpkg'}|layername=red", "--buildings",
                 str(path), "--keep-overlapping-parts",  # the count below is of every footprint
                 "--out", str(project), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    pts = shapely.point_on_surface(raw.to_crs(CRS).geometry.to_numpy())
    expected = int(shapely.intersects(centre.buffer(400), pts).sum())  # counted here independently
    assert s["buildings"]["count"] == expected > 10
    from app.project_file import load_project

    ws = load_project(project)
    assert ws.park is not None and ws.park.name == "光谷{{ 7*7 }}园" and len(ws.park.buildings) == expected
    assert main(["report", str(project), "--out", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.pdf").stat().st_size > 10_000
    assert main(["export", str(project), "--out", str(tmp_path / "exp"), "--formats", "shp,html"]) == 0
    assert (tmp_path / "exp" / "shapefile" / "rooftop_pv.shp").exists()
    assert main(["park", "new", "--boundary", str(tmp_path / "red.gpkg"), "--buildings", str(path),
                 "--out", str(tmp_path / "x.gpkg")]) == 2  # not a .lingtan.gpkg name
