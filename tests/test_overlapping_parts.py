"""Footprints lying mostly inside a larger one (OSM building:part on its outline) are found and
dropped, so that no roof is counted twice; neighbours sharing a wall are not."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from gis.geometry import overlapping_parts
from gis.park import prepare_buildings
from tests.conftest import shared


def test_parts_inside_a_larger_outline_are_found_and_neighbours_are_not():
    geoms = np.array([
        box(0, 0, 40, 40),        # 0: tower outline, 1,600 m²
        box(5, 5, 25, 25),        # 1: a part wholly inside 0
        box(30, 30, 50, 50),      # 2: 100 of its 400 m² inside 0 (25 %): a neighbour, kept
        box(40, 0, 60, 20),       # 3: shares only an edge with 0
        box(39.5, 20, 60, 40),    # 4: a 0.5 m digitising sliver over 0 (2.4 %), kept
        box(100, 0, 110, 10),     # 5: a duplicate of 6
        box(100, 0, 110, 10),     # 6
        box(0, 30, 16, 46),       # 7: 160 of 256 m² inside 0 (62.5 %): a part
    ], dtype=object)
    part, parent = overlapping_parts(geoms)
    assert dict(zip(part.tolist(), parent.tolist(), strict=True)) == {1: 0, 6: 5, 7: 0}


def test_prepare_buildings_drops_parts_unless_asked_to_keep_them():
    gdf = gpd.GeoDataFrame({"height_m": [60.0, 120.0, 12.0]},
                           geometry=[box(0, 0, 40, 40), box(5, 5, 25, 25), box(50, 0, 70, 20)],
                           crs=4547)
    out, problems = prepare_buildings(gdf)
    assert len(out) == 2 and out["footprint_m2"].sum() == pytest.approx(1600 + 400)
    found = [p for p in problems if p.code == "buildings.overlapping_parts"]
    assert len(found) == 1 and list(found[0].feature_ids) == [1]
    kept, problems = prepare_buildings(gdf, keep_overlapping_parts=True)
    assert len(kept) == 3 and kept["footprint_m2"].sum() == pytest.approx(1600 + 400 + 400)
    assert any(p.code == "buildings.overlapping_parts" for p in problems)  # still said


def test_every_osm_building_part_of_lujiazui_is_found():
    """The Bund/Lujiazui extract tags 129 features kind=building_part (OSM's own tagging, an
    independent reference): each is found inside a larger footprint."""
    from gis.crs import metric_frame

    path = shared("buildings", "shanghai_bund_lujiazui_osm_buildings.geojson")
    g = metric_frame(gpd.read_file(path))
    g = g[g.geom_type.isin(["Polygon", "MultiPolygon"])].reset_index(drop=True)
    part, _parent = overlapping_parts(g.geometry.to_numpy())
    tagged = np.flatnonzero((g["kind"] == "building_part").to_numpy())
    assert len(tagged) == 129
    assert set(tagged) <= set(part.tolist())


def test_park_new_drops_the_parts_and_says_so(tmp_path, capsys):
    from app.cli import main
    from gis.crs import metric_frame

    path = shared("buildings", "shanghai_bund_lujiazui_osm_buildings.geojson")
    raw = metric_frame(gpd.read_file(path))
    red = gpd.GeoDataFrame(geometry=[raw.union_all().convex_hull.buffer(10)], crs=raw.crs)
    red.to_file(tmp_path / "red.gpkg")
    counts = {}
    for keep in (False, True):
        out = tmp_path / f"p{int(keep)}.lingtan.gpkg"
        argv = ["park", "new", "--boundary", str(tmp_path / "red.gpkg"), "--buildings", str(path),
                "--out", str(out), "--json"] + (["--keep-overlapping-parts"] if keep else [])
        assert main(argv) == 0
        s = json.loads(capsys.readouterr().out)
        counts[keep] = s["buildings"]["count"]
    # counted here with a spatial join: each footprint more than half inside a larger one
    polys = raw[raw.geom_type.isin(["Polygon", "MultiPolygon"])].explode(index_parts=False)
    polys = polys.reset_index(drop=True)
    polys["n"] = range(len(polys))
    pairs = gpd.sjoin(polys, polys, predicate="intersects")
    pairs = pairs[pairs["n_left"] != pairs["n_right"]]
    a = polys.geometry.to_numpy()
    left, right = pairs["n_left"].to_numpy(), pairs["n_right"].to_numpy()
    area = polys.area.to_numpy()
    smaller = (area[left] < area[right]) | ((area[left] == area[right]) & (left > right))
    inside = np.array([a[i].intersection(a[j]).area
                       for i, j in zip(left[smaller], right[smaller], strict=True)])
    parts = set(left[smaller][inside > 0.5 * area[left[smaller]]])
    assert counts[True] - counts[False] == len(parts) >= 129
