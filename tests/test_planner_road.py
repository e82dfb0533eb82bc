"""The planner's road in the desktop app on real data, end to end: Wuhan OSM buildings and a red line
made from them → the New Park wizard (with an energy table) → Run All (rooftop PV, sinks, balance,
hour by hour) → report → Shapefile export → save → reopen; the figures equal the headless
``lingtan park new`` + analyses on the same files."""

from __future__ import annotations

import subprocess

import geopandas as gpd
import pytest
import shapely

from app.workspace import Workspace
from gis.paths import resources_dir
from layers.presets import styled_layer
from tests.conftest import shared

WUHAN = ("buildings", "wuhan_optics_valley_osm_buildings.geojson")


@pytest.fixture(autouse=True)
def _own_settings(tmp_path, monkeypatch):
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")


def _red_line(raw: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A red line around the middle of the district: a 900 m square about the buildings' centre."""
    metric = raw.to_crs(4547)
    c = metric.union_all().centroid
    square = shapely.box(c.x - 450, c.y - 450, c.x + 450, c.y + 450)
    return gpd.GeoDataFrame({"name": ["光谷片区"]}, geometry=[square], crs=4547).to_crs(raw.crs)


def test_wizard_run_all_report_export_save_reopen_equal_headless(qtbot, tmp_path, capsys):
    from app.cli import main
    from app.exports.shapefile import write_shapefiles
    from app.gui import analyses
    from app.gui.new_park_wizard import NewParkWizard
    from app.project_file import load_project, save_project
    from app.report import build_report
    from app.results import AnalysisOptions, run_park_analyses

    raw = gpd.read_file(shared(*WUHAN))
    red = _red_line(raw)
    ws = Workspace()
    ws.add_layer(styled_layer("wuhan_osm", raw))
    ws.add_layer(styled_layer("red_line", red))
    energy_table = resources_dir() / "sample" / "enterprises_energy.csv"  # Wuhan has no public one

    wiz = NewParkWizard(ws, lang="zh")
    qtbot.addWidget(wiz)
    wiz.show()
    page = wiz.red_line_page
    page.combo.setCurrentIndex(page.combo.findData("red_line"))
    wiz.next()
    bpage = wiz.buildings_page
    bpage.combo.setCurrentIndex(bpage.combo.findData("wuhan_osm"))
    inside = int(bpage.counts.text().split()[0].replace(",",
                                                        "")) if bpage.counts.text()[0].isdigit() else None
    wiz.next()
    wiz.form.input_widgets["energy"][1].setText(str(energy_table))
    wiz.form.param_widgets["name"].set("光谷片区")
    h = wiz.run(None, show_dialog=False, show_errors=False)
    assert h.wait(180) and h.state == "done", (h.error, h.traceback)
    assert ws.park is not None and ws.park.enterprises is not None
    n_buildings = len(ws.park.buildings)
    if inside is not None:  # the wizard's count, less OSM building parts over their parents (dropped)
        assert 0 < n_buildings <= inside

    h = analyses.start_all(None, ws, AnalysisOptions(intensity=False))
    assert h.wait(600) and h.state == "done", (h.error, h.traceback)
    gui = ws.summary
    assert {"pv", "carbon", "energy"} <= set(gui)

    pdf = build_report(ws.results, tmp_path / "report.pdf", "zh")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "光谷片区" in text and "逐时能源平衡" in text
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    for name, gdf in ws.results.layers().items():  # as Export Layers writes them
        write_shapefiles(gdf, shp_dir / f"{name}.shp", layer=name)
    pv_shp = gpd.read_file(shp_dir / "rooftop_pv.shp")
    assert len(pv_shp) == n_buildings
    project = tmp_path / "mine.lingtan.gpkg"
    save_project(ws, project)
    again = load_project(project)
    assert again.summary["pv"]["kwh_yr"] == gui["pv"]["kwh_yr"]
    from app.project_file import _json_safe

    # as the project file holds it (a missing indicator value NaN is null there)
    assert again.summary["carbon"]["balance"] == _json_safe(gui["carbon"]["balance"])
    assert again.summary["energy"]["self_sufficiency_pct"] == gui["energy"]["self_sufficiency_pct"]

    # the same files without the desktop app
    red.to_file(tmp_path / "red.gpkg")
    headless_project = tmp_path / "cli.lingtan.gpkg"
    assert main(["park", "new", "--boundary", str(tmp_path / "red.gpkg"), "--buildings", str(shared(*WUHAN)),
                 "--energy", str(energy_table), "--name", "光谷片区", "--out", str(headless_project)]) == 0
    capsys.readouterr()
    headless = run_park_analyses(load_project(headless_project).park,
                                 AnalysisOptions(intensity=False)).summary
    assert headless["pv"]["buildings"] == gui["pv"]["buildings"] == n_buildings
    assert gui["pv"]["kwh_yr"] == pytest.approx(headless["pv"]["kwh_yr"], rel=1e-9)
    g = gui["carbon"]["balance"]["scenarios"][1]["lines"]
    hl = headless["carbon"]["balance"]["scenarios"][1]["lines"]
    for key in ("gross_t_co2", "pv_self_used_kwh_yr", "sinks_t_co2", "net_t_co2"):
        assert g[key] == pytest.approx(hl[key], rel=1e-9), key
    for key in ("load_kwh", "onsite_kwh", "self_sufficiency_pct"):
        assert gui["energy"][key] == pytest.approx(headless["energy"][key], rel=1e-9), key
