"""A PV array drawn on the user's own open layers, with no park, keeps clear of their buildings and
water and says which layers it kept clear of (issue 17, "Siting on real data": tables covered the
Shanghai Bund OSM buildings and the panel did not say what was excluded).

References are independent of the layout code: clearances and overlaps measured here with
shapely on the source footprints reprojected here; capacity as tables × 28 modules × 575 W by
hand (the 2P×14 table of docs/pv-array.md)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from app.siting import SitingModel
from app.siting.exclusions import NO_LAYER, choose_layer, exclusion_note, name_says, rows_saying
from app.workspace import Workspace
from layers.presets import styled_layer

DATA = Path("/work/shared/data/buildings")
BUND = DATA / "shanghai_bund_lujiazui_osm_buildings.geojson"
BUND_NAME = BUND.stem  # File → Add Data names a layer by its file's stem
needs_bund = pytest.mark.skipif(not BUND.is_file(), reason=f"{BUND} not present (shared test data)")
KW_PER_TABLE = 28 * 0.575  # 2 × 14 modules of 575 W


@pytest.fixture(scope="module")
def bund() -> gpd.GeoDataFrame:
    from gis.io import read_vector

    return read_vector(BUND).gdf


def _workspace(*layers) -> Workspace:
    ws = Workspace(lang="zh")
    for name, gdf in layers:
        ws.add_layer(styled_layer(name, gdf))
    return ws


def _block(model: SitingModel, footprints: gpd.GeoDataFrame, half_m: float = 200.0):
    """A square array area of 2·half_m around the middle footprint (work-CRS metres)."""
    b = footprints.to_crs(model.frame.work_crs())
    c = shapely.get_coordinates(shapely.centroid(b.geometry.to_numpy()))
    x, y = np.median(c[:, 0]), np.median(c[:, 1])
    return [(x - half_m, y - half_m), (x + half_m, y - half_m), (x + half_m, y + half_m),
            (x - half_m, y + half_m)]


def _tables(ws) -> np.ndarray:
    return ws.layer("pv_array_tables").gdf.geometry.to_numpy()


@needs_bund
def test_osm_buildings_without_a_park_are_kept_clear_of_and_named(bund):
    ws = _workspace((BUND_NAME, bund))
    model = SitingModel(ws)
    assert model.park() is None
    area = _block(model, bund)
    model.array.set_area_from_canvas(area)
    tables = _tables(ws)
    crs = ws.layer("pv_array_tables").gdf.crs
    feet = bund.to_crs(crs).geometry.to_numpy()
    poly = shapely.Polygon(area)
    inside = feet[shapely.intersects(feet, poly)]
    assert len(inside) > 20 and len(tables) > 50  # the area is over the buildings, with room between
    # no table on a building, none within the 5 m setback (1 cm for the buffer's polygon facets)
    hit = shapely.STRtree(feet).query(tables, predicate="dwithin", distance=5.0 - 0.01)
    assert hit.size == 0, f"{hit.shape[1]} table/building pairs closer than 5 m"
    zh, en = model.array.note
    assert f"建筑（{BUND_NAME}，退让 5 m）" in zh and f"buildings ({BUND_NAME}, 5 m setback)" in en
    assert "未排除水体：没有水体图层" in zh  # no water layer open: said, not silently skipped
    # the yield lays the tables out again: the same tables, kWp = tables × 28 × 575 W
    live = model.array.layout.totals()
    assert live["kwp"] == pytest.approx(len(tables) * KW_PER_TABLE)
    model.array.compute_yield()
    done = model.array.result.totals
    assert (done["tables"], done["kwp"]) == (live["tables"], live["kwp"])
    s = ws.summary["pv_array"]
    assert s["kwp"] == pytest.approx(len(tables) * KW_PER_TABLE)
    assert s["exclusions"]["zh"] == zh and s["exclusions"]["layers"] == {"building": BUND_NAME}
    # the buildings shade the array: OSM heights were read (696 of the footprints have one)
    assert done["shade_loss_pct"] is not None and done["shade_loss_pct"] > 0


@needs_bund
def test_buildings_none_lays_tables_over_them_and_says_so(bund):
    ws = _workspace((BUND_NAME, bund))
    model = SitingModel(ws)
    o = model.array.options
    o.buildings_layer = NO_LAYER
    model.array.set_options(o)
    model.array.set_area_from_canvas(_block(model, bund))
    tables = _tables(ws)
    feet = bund.to_crs(ws.layer("pv_array_tables").gdf.crs).geometry.to_numpy()
    covered = shapely.area(shapely.intersection(shapely.union_all(tables), shapely.union_all(feet)))
    assert covered > 1000.0  # m² of roofs under tables
    zh, en = model.array.note
    assert zh.startswith("未排除建筑：选择了“无”") and en.startswith("Buildings not excluded")
    assert BUND_NAME not in zh


def _metric_box(x0, y0, w, h):
    return shapely.box(x0, y0, x0 + w, y0 + h)


def test_a_water_layer_excludes_its_water_rows_only():
    """An OSM polygon export holding water and housing together (natural=water, landuse=
    residential) is guessed as the water layer by its fields; only its water rows are excluded."""
    crs = "EPSG:4549"  # CGCS2000 3° zone 120°E (Hangzhou)
    x0, y0 = 500_000.0, 3_350_000.0
    lake = _metric_box(x0 + 100, y0 + 60, 100, 80)
    homes = _metric_box(x0 + 230, y0 + 20, 60, 60)
    osm = gpd.GeoDataFrame({"natural": ["water", None], "landuse": [None, "residential"]},
                           geometry=[lake, homes], crs=crs)
    ws = _workspace(("osm_polygons", osm))
    model = SitingModel(ws)
    assert model.frame.work_crs().to_epsg() == 4549
    area = [(x0, y0), (x0 + 300, y0), (x0 + 300, y0 + 200), (x0, y0 + 200)]
    model.array.set_area_from_canvas(area)
    tables = shapely.union_all(_tables(ws))
    assert shapely.area(shapely.intersection(tables, lake)) < 1e-6
    assert shapely.area(shapely.intersection(tables, homes)) > 100.0  # housing is not water
    zh, en = model.array.note
    assert "水体（osm_polygons）" in zh and "water (osm_polygons)" in en
    assert "未排除建筑：没有建筑图层" in zh
    # the same with the water layer set to "(none)": tables over the lake
    o = model.array.options
    o.water_layer = NO_LAYER
    model.array.set_options(o)
    assert shapely.area(shapely.intersection(shapely.union_all(_tables(ws)), lake)) > 1000.0
    assert "未排除水体：选择了“无”" in model.array.note[0]


def test_a_buildings_layer_opened_after_the_area_is_drawn_is_excluded():
    crs = "EPSG:4549"
    x0, y0 = 500_000.0, 3_350_000.0
    water = gpd.GeoDataFrame(geometry=[_metric_box(x0 + 250, y0 + 150, 40, 40)], crs=crs)
    ws = _workspace(("湖泊", water))
    model = SitingModel(ws)
    model.array.set_area_from_canvas([(x0, y0), (x0 + 300, y0), (x0 + 300, y0 + 200), (x0, y0 + 200)])
    hall = _metric_box(x0 + 100, y0 + 60, 50, 50)
    assert shapely.area(shapely.intersection(shapely.union_all(_tables(ws)), hall)) > 1000.0
    ws.add_layer(styled_layer("厂房建筑轮廓", gpd.GeoDataFrame({"floors": [2]}, geometry=[hall], crs=crs)))
    assert model.array.refresh_sources()  # the panel calls this on the workspace's "layers" event
    tables = _tables(ws)
    assert not shapely.STRtree(tables).query(hall, predicate="dwithin", distance=5.0 - 0.01).size
    assert model.array.note[0].startswith("排除：建筑（厂房建筑轮廓，退让 5 m）、水体（湖泊）")
    assert not model.array.refresh_sources()  # nothing changed since: no second layout


def test_guessing_by_name_and_fields():
    assert name_says("上海外滩建筑", "building") and name_says("OSM Footprints", "building")
    assert name_says("河湖水系", "water") and name_says("Lakes", "water")
    assert not name_says("水泥厂", "water") and not name_says("污水管网", "water")
    g = gpd.GeoDataFrame({"building": ["yes", None, "no"], "waterway": [None, "riverbank", None]},
                         geometry=[shapely.box(0, 0, 1, 1)] * 3, crs=4549)
    assert rows_saying(g, "building").tolist() == [True, False, False]  # OSM building=no is not one
    assert rows_saying(g, "water").tolist() == [False, True, False]
    assert rows_saying(g[["geometry"]], "water") is None
    # role layers come first; hidden layers are not guessed
    ws = _workspace(("a_buildings", g), ("b_buildings", g))
    assert choose_layer(ws, "building", "").layer == "b_buildings"  # the top of the layer panel
    ws.layer("b_buildings").visible = False
    assert choose_layer(ws, "building", "").layer == "a_buildings"
    ws.settings["park_roles"] = {"buildings": "b_buildings"}  # "Use as park layer" before a park
    assert choose_layer(ws, "building", "").how == "role"
    assert choose_layer(ws, "building", NO_LAYER).layer == ""


def test_the_note_when_nothing_is_excluded():
    from app.siting.exclusions import Used

    zh, en = exclusion_note([Used("building", "missing", distance_m=5.0), Used("road", "missing"),
                             Used("water", "none")])
    assert zh == "未排除建筑：没有建筑图层；未排除道路：未选道路图层；未排除水体：选择了“无”"
    assert en == ("Buildings not excluded: no buildings layer. Roads not excluded: no roads layer chosen. "
                  "Water not excluded: “(none)” chosen.")


@needs_bund
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_the_report_says_what_the_array_kept_clear_of(bund, tmp_path):
    """The report's array table is followed by the panel's sentence (summary["pv_array"])."""
    from app.report.build import build_report
    from layers.render import ensure_gui_app

    ensure_gui_app()
    ws = _workspace((BUND_NAME, bund))
    model = SitingModel(ws)
    model.array.set_area_from_canvas(_block(model, bund))
    model.array.compute_yield()
    layers = {lyr.name: lyr.gdf for lyr in ws.layers()}
    pdf = build_report((ws.summary, layers), tmp_path / "r.pdf", "zh")
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    assert re.sub(r"\s+", "", model.array.note[0]) + "。" in text
    assert f"建筑（{BUND_NAME}，退让5m）" in text


@needs_bund
def test_the_array_tab_chooses_shows_and_remembers_the_layers(qtbot, bund):
    """The Siting panel's array tab: the buildings combo finds the OSM layer by itself, the water
    combo finds none; the layout line and the status line carry the model's sentence; "(none)"
    chosen in the combo is applied, kept in the project's settings and shown again on reload."""
    from app.gui.canvas import MapCanvas
    from app.gui.siting import SitingPanel

    ws = _workspace((BUND_NAME, bund))
    canvas = MapCanvas(ws.tree)
    qtbot.addWidget(canvas)
    canvas.resize(700, 500)
    canvas.set_crs(ws.map_crs())
    canvas.zoom_full()
    panel = SitingPanel(ws, canvas)
    qtbot.addWidget(panel)
    tab = panel.array_tab
    try:
        assert tab.bld_layer.currentData() == "" and BUND_NAME in tab.bld_layer.currentText()
        assert tab.water_layer.currentData() == "" and BUND_NAME not in tab.water_layer.currentText()
        xy = np.array(_block(panel.model, bund))
        vx, vy = panel.from_work(xy[:, 0], xy[:, 1])
        panel.array.set_area_from_canvas(list(zip(vx, vy, strict=True)))
        note = panel.array.note
        assert BUND_NAME in note[0]
        label = tab.layout_label.text()
        assert note[0] in label or note[1] in label
        assert note[0] in panel.status.text() or note[1] in panel.status.text()
        tab.bld_layer.setCurrentIndex(tab.bld_layer.findData(NO_LAYER))
        tab.apply()
        assert panel.array.options.buildings_layer == NO_LAYER
        assert ws.settings["siting"]["array"]["buildings_layer"] == NO_LAYER
        assert panel.array.note[0].startswith("未排除建筑")
        tab.bld_layer.setCurrentIndex(0)
        panel.load_settings()  # a project reopened with its options
        assert tab.bld_layer.currentData() == NO_LAYER
    finally:
        canvas.shutdown()
