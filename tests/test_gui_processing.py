"""The generated algorithm dialogs and the Processing menu: every declared parameter has its widget,
non-default choices reach the run and the project, and a run on the map's layers equals the
headless algorithm with the same values (on real OSM buildings where ../shared/data has them)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from PySide6.QtWidgets import QCheckBox, QComboBox

from app.gui.algorithm_dialog import AlgorithmDialog, run_algorithm, stored_values
from app.processing.registry import algorithm, algorithms
from app.workspace import Workspace
from gis.errors import InputError
from layers.presets import styled_layer
from tests.conftest import shared

UTM50 = 32650


@pytest.fixture(autouse=True)
def _own_settings(tmp_path):
    from app.gui.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings")


def _site(x0=240_000.0, y0=3_340_000.0, w=120.0, h=80.0) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["场地"]}, geometry=[shapely.box(x0, y0, x0 + w, y0 + h)], crs=UTM50)


def _finish(handle, timeout=180):
    assert handle.wait(timeout), "task did not finish"
    assert handle.state == "done", (handle.state, handle.error, handle.traceback)
    return handle


@pytest.mark.parametrize("alg", algorithms(), ids=lambda a: a.id)
def test_dialog_has_a_widget_per_declared_parameter(qtbot, alg):
    ws = Workspace()
    dlg = AlgorithmDialog(alg, ws, lang="zh")
    qtbot.addWidget(dlg)
    for p in alg.params:
        w = dlg.findChild(object, f"param_{p.name}")
        assert w is not None, p.name
        tip = w.toolTip()
        assert p.help_zh in tip or not p.help_zh
        if p.source:
            assert p.source in tip  # the default's source is shown
    if any(p.required for p in alg.params):  # a required value left empty is refused, in both languages
        with pytest.raises(InputError) as e:
            dlg.values()
        assert "缺少参数" in e.value.zh and "Missing parameter" in e.value.en
    else:
        assert dlg.values().values == alg.values().values  # a fresh dialog shows the defaults
    assert dlg.windowTitle() == alg.title_zh


def test_non_default_values_reach_the_run_and_the_project(qtbot):
    alg = algorithm("pv_array")
    ws = Workspace()
    ws.add_layer(styled_layer("site", _site()))
    dlg = AlgorithmDialog(alg, ws, lang="zh")
    qtbot.addWidget(dlg)
    w = dlg.param_widgets
    w["tilt_deg"].auto.setChecked(False)
    w["tilt_deg"].spins[0].setValue(25.0)
    w["azimuth_deg"].auto.setChecked(False)
    w["azimuth_deg"].spins[0].setValue(180.0)
    w["gcr"].auto.setChecked(False)
    w["gcr"].spins[0].setValue(0.45)
    w["modules_per_table"].spins[0].setValue(3)
    w["modules_per_table"].spins[1].setValue(10)
    w["boundary_setback_m"].spins[0].setValue(4.0)
    combo: QComboBox = w["grid_factor"].combo
    combo.setCurrentIndex(combo.findData("east-2023"))
    shading: QCheckBox = w["shading"].check
    shading.setChecked(False)
    dlg.select_input("area", "site")
    v = dlg.values()
    assert (v.tilt_deg, v.azimuth_deg, v.gcr, v.modules_per_table, v.boundary_setback_m, v.grid_factor,
            v.shading) == (25.0, 180.0, 0.45, (3, 10), 4.0, "east-2023", False)
    dlg.accept()
    # kept in the project, offered by the next dialog
    assert stored_values(ws, alg).values == v.values
    again = AlgorithmDialog(alg, ws, lang="en")
    qtbot.addWidget(again)
    assert again.values().values == v.values
    again.restore_defaults()
    assert again.values().values == alg.values().values

    handle = _finish(run_algorithm(None, ws, alg, v, dlg.inputs(), show_dialog=False, show_errors=False))
    out = handle.result
    headless = alg({"area": _site()}, tilt_deg=25.0, azimuth_deg=180.0, gcr=0.45,
                   modules_per_table=(3, 10), boundary_setback_m=4.0, grid_factor="east-2023", shading=False)
    assert out.summary["tables"] == headless.summary["tables"] > 0
    assert out.summary["kwh_yr"] == pytest.approx(headless.summary["kwh_yr"], rel=1e-9)
    assert out.summary["modules"] == out.summary["tables"] * 30
    # avoided CO2 with the chosen factor, from the resources table read here independently
    import pandas as pd

    from gis.paths import resources_dir

    t = pd.read_csv(resources_dir() / "factors" / "grid_emission_factors.csv").set_index("key")
    kg_per_kwh = float(t.loc["east-2023", "value"])
    assert t.loc["east-2023", "unit"].replace(" ", "").lower() == "kgco2/kwh"
    assert out.summary["t_co2_yr"] == pytest.approx(out.summary["kwh_yr"] * kg_per_kwh / 1000, rel=1e-3)
    # the result layers are on the map with their registered Chinese titles and styles
    tables = ws.layer("pv_array_tables")
    assert tables is not None and tables.title == "光伏阵列支架" and len(tables.gdf) == out.summary["tables"]
    assert ws.summary["pv_array"]["tables"] == out.summary["tables"]


def test_processing_menu_lists_every_algorithm(qtbot):
    from app.gui.main_window import MainWindow

    win = MainWindow(Workspace())
    qtbot.addWidget(win)
    menu = win.menu_processing
    assert set(menu.actions_by_id) == {a.id for a in algorithms()}
    texts = ("光伏阵列排布与发电量…", "Ground PV array layout and yield…")
    assert menu.actions_by_id["pv_array"].text() in texts


def test_rooftop_pv_on_real_osm_buildings_equals_headless(qtbot):
    path = shared("buildings", "wuhan_optics_valley_osm_buildings.geojson")
    raw = gpd.read_file(path)
    raw = raw[raw.geometry.type.isin(["Polygon", "MultiPolygon"])]
    centre = raw.to_crs(UTM50).union_all().centroid
    near = raw[raw.to_crs(UTM50).distance(centre) < 400].reset_index(drop=True)  # a few hundred roofs
    assert len(near) > 20
    alg = algorithm("rooftop_pv")
    ws = Workspace()
    ws.add_layer(styled_layer("buildings", near))
    dlg = AlgorithmDialog(alg, ws, lang="zh")
    qtbot.addWidget(dlg)
    assert dlg.input_widgets["buildings"][1].currentData() == "buildings"  # the role's layer first
    dlg.param_widgets["losses_pct"].spins[0].setValue(10.0)
    dlg.param_widgets["setback_m"].auto.setChecked(False)  # automatic = per roof class (issue 15 §6)
    dlg.param_widgets["setback_m"].spins[0].setValue(1.5)
    handle = _finish(run_algorithm(None, ws, alg, dlg.values(), dlg.inputs(), show_dialog=False,
                                   show_errors=False))
    headless = alg({"buildings": near}, losses_pct=10.0, setback_m=1.5)
    s, h = handle.result.summary, headless.summary
    assert s["kwp"] == pytest.approx(h["kwp"], rel=1e-9) and s["kwp"] > 0
    assert s["kwh_yr"] == pytest.approx(h["kwh_yr"], rel=1e-9)
    layer = ws.layer("rooftop_pv")
    assert layer is not None and layer.title == "屋顶光伏"
    assert len(layer.gdf) == len(handle.result.layers["rooftop_pv"])


def test_five_colour_map_takes_the_parks_table_and_a_non_default_method(qtbot):
    from gis.park import load_sample_park

    park = load_sample_park()
    ws = Workspace()
    ws.set_park(park)
    alg = algorithm("five_colour_map")
    dlg = AlgorithmDialog(alg, ws, lang="zh")
    qtbot.addWidget(dlg)
    assert dlg.input_widgets["townships"][1].currentData() == "townships"
    w = dlg.param_widgets
    w["method"].combo.setCurrentIndex(w["method"].combo.findData("quantile"))
    w["denominator"].combo.setCurrentIndex(w["denominator"].combo.findData("land"))
    handle = _finish(run_algorithm(None, ws, alg, dlg.values(), dlg.inputs(), show_dialog=False,
                                   show_errors=False))
    layer = handle.result.layers["township_intensity"]
    # quantile classes of the intensity per mu, computed here: each class holds about a fifth
    import numpy as np

    valid = layer[layer["class"] > 0]
    assert len(valid) >= 10
    counts = np.bincount(valid["class"], minlength=6)[1:]
    assert counts.max() - counts.min() <= 2
    order = valid.sort_values("intensity")["class"].to_numpy()
    assert (np.diff(order) >= 0).all()  # classes rise with the intensity
    assert ws.layer("township_intensity").title == "乡镇碳排放强度五色图"
    assert handle.result.summary["intensity_unit"] == "tCO2/mu"  # per mu of land, as chosen


def test_new_park_from_own_layers_then_all_analyses_equal_headless(qtbot, tmp_path, capsys):
    """Real OSM buildings and a red line drawn by the test, through the generated New Park dialog and
    Run All, give the figures of the headless `lingtan park new` + the same analyses."""
    import json

    from app.cli import main
    from app.gui import analyses
    from app.project_file import load_project
    from app.results import AnalysisOptions, run_park_analyses

    path = shared("buildings", "wuhan_optics_valley_osm_buildings.geojson")
    raw = gpd.read_file(path)
    centre = raw.to_crs(4547).union_all().centroid
    red = gpd.GeoDataFrame({"name": ["光谷园"]}, geometry=[centre.buffer(300)], crs=4547)
    ws = Workspace()
    ws.add_layer(styled_layer("wuhan_osm", raw))
    ws.add_layer(styled_layer("my_red_line", red))
    alg = algorithm("new_park")
    dlg = AlgorithmDialog(alg, ws, lang="zh")
    qtbot.addWidget(dlg)
    dlg.select_input("boundary", "my_red_line")
    dlg.select_input("buildings", "wuhan_osm")
    _finish(run_algorithm(None, ws, alg, dlg.values(), dlg.inputs(), show_dialog=False, show_errors=False))
    assert ws.park is not None and ws.park.name == "光谷园"
    assert ws.layer("wuhan_osm") is None and ws.layer("buildings") is not None  # no feature shown twice
    handle = analyses.start_all(None, ws, AnalysisOptions())
    _finish(handle)
    gui_pv = ws.summary["pv"]

    red.to_file(tmp_path / "red.gpkg")
    project = tmp_path / "p.lingtan.gpkg"
    assert main(["park", "new", "--boundary", str(tmp_path / "red.gpkg"), "--buildings", str(path),
                 "--out", str(project), "--json"]) == 0
    capsys.readouterr()
    headless = run_park_analyses(load_project(project).park, AnalysisOptions())
    assert gui_pv["buildings"] == headless.summary["pv"]["buildings"] > 10
    assert gui_pv["kwp"] == pytest.approx(headless.summary["pv"]["kwp"], rel=1e-9)
    assert gui_pv["kwh_yr"] == pytest.approx(headless.summary["pv"]["kwh_yr"], rel=1e-9)
    assert json.loads(json.dumps(ws.summary["park"]))["name"] == "光谷园"


def _landcover(tmp_path):
    """10 × 10 px of 2 m (EPSG:32650): left half ESA tree cover (10), right half grassland (30), and a
    boundary over most of it."""
    import numpy as np
    import rasterio
    from affine import Affine

    codes = np.full((10, 10), 10, dtype=np.uint8)
    codes[:, 5:] = 30
    tif = tmp_path / "lc.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=10, height=10, count=1, dtype="uint8", nodata=0,
                       crs="EPSG:32650", transform=Affine(2.0, 0, 1000.0, 0, -2.0, 2000.0)) as dst:
        dst.write(codes, 1)
    boundary = gpd.GeoDataFrame({"name": ["园区"]}, geometry=[shapely.box(1001, 1981, 1019, 1999)], crs=UTM50)
    return tif, boundary


def test_raster_input_is_a_file_picker_and_the_run_equals_headless(qtbot, tmp_path):
    from PySide6.QtWidgets import QLineEdit

    tif, boundary = _landcover(tmp_path)
    alg = algorithm("landcover_sinks")
    ws = Workspace()
    ws.add_layer(styled_layer("boundary", boundary))
    dlg = AlgorithmDialog(alg, ws, lang="en")
    qtbot.addWidget(dlg)
    spec, picker, _ = dlg.input_widgets["raster"]
    assert spec.kind == "raster" and isinstance(picker, QLineEdit)
    picker.setText(str(tif))
    assert dlg.input_widgets["boundary"][1].currentData() == "boundary"  # the role's layer first
    classes = dlg.param_widgets["classes"]
    with pytest.raises(InputError) as e:  # required: no class table chosen yet
        dlg.values()
    assert "--classes" in e.value.en
    table = tmp_path / "classes.csv"
    table.write_text("code,class\n10,林地\n30,草地\n", encoding="utf-8")
    classes.edit.setText(str(table))  # a file typed or browsed
    assert dlg.values().classes == str(table)
    classes.combo.setCurrentIndex(classes.combo.findData("esa-worldcover"))
    assert dlg.values().classes == "esa-worldcover"
    dlg.accept()
    assert stored_values(ws, alg).classes == "esa-worldcover"
    inputs = dlg.inputs()
    assert inputs["raster"].path == tif and inputs["raster"].gdf is None
    handle = _finish(run_algorithm(None, ws, alg, dlg.values(), inputs, show_dialog=False, show_errors=False))
    headless = alg({"raster": str(tif), "boundary": boundary}, classes="esa-worldcover")
    by = {r["class"]: r for r in handle.result.summary["by_class"]}
    assert handle.result.summary["by_class"] == headless.summary["by_class"]
    assert by["forest"]["area_m2"] == pytest.approx(162, rel=1e-6)  # 9 × 18 m of tree cover inside
    assert ws.summary["landcover_sinks"]["total_t_co2_yr"] == headless.summary["total_t_co2_yr"]


def test_park_balance_runs_on_the_parks_layers_and_table(qtbot):
    from gis.park import load_sample_park

    park = load_sample_park()
    ws = Workspace()
    ws.set_park(park)
    alg = algorithm("park_balance")
    dlg = AlgorithmDialog(alg, ws, lang="zh")
    qtbot.addWidget(dlg)
    for role in ("boundary", "buildings", "green", "tree_rows"):
        assert dlg.input_widgets[role][1].currentData() == role
    w = dlg.param_widgets
    assert w["indicators"].combo.currentData() is None  # "automatic" is the first item
    w["pv"].check.setChecked(False)
    w["indicators"].combo.setCurrentIndex(w["indicators"].combo.findData("jiangsu-2024"))
    w["facts"].edit.setText("water_reuse_pct=85")
    v = dlg.values()
    assert (v.pv, v.indicators, v.factors) == (False, "jiangsu-2024", None)
    assert v.facts == {"water_reuse_pct": 85.0}
    handle = _finish(run_algorithm(None, ws, alg, v, dlg.inputs(), show_dialog=False, show_errors=False))
    layers = {r: getattr(park, r) for r in ("boundary", "buildings", "green", "tree_rows")}
    headless = alg({**layers, "energy": park.enterprises}, pv=False, indicators="jiangsu-2024",
                   facts={"water_reuse_pct": 85})
    got, want = handle.result.summary["balance"], headless.summary["balance"]
    assert got["indicator_set"] == "jiangsu-2024"
    assert [s["lines"] for s in got["scenarios"]] == [s["lines"] for s in want["scenarios"]]
    net = got["scenarios"][0]["lines"]
    assert net["net_t_co2"] == pytest.approx(net["gross_t_co2"] - net["sinks_t_co2"], rel=1e-9)
    assert ws.summary["park_balance"]["balance"]["year"] == got["year"]


def test_a_sinks_run_keeps_the_parks_carbon_account(qtbot):
    """Each algorithm's summary goes under its own key: green-space sinks from the Processing menu
    must not replace summary["carbon"], which the report's balance page reads."""
    from app.gui.algorithm_dialog import add_result_layers
    from app.processing.algorithm import AlgorithmOutput

    ws = Workspace()
    ws.set_summary({"carbon": {"balance": {"net_t_co2_yr": 1.0}}})
    add_result_layers(ws, AlgorithmOutput("sinks", None, {}, {"total_t_co2_yr": 5.0}))
    assert ws.summary["carbon"] == {"balance": {"net_t_co2_yr": 1.0}}
    assert ws.summary["sinks"]["total_t_co2_yr"] == 5
    add_result_layers(ws, AlgorithmOutput("rooftop_pv", None, {}, {"kwh_yr": 3.0}))
    assert ws.summary["pv"] == {"kwh_yr": 3.0}  # the key the dashboard and report read


# ---- the report and the export: the open project's results, a file or a folder written -------------

@pytest.fixture(scope="module")
def analysed():
    from app.results import AnalysisOptions, run_park_analyses
    from gis.park import load_sample_park

    return run_park_analyses(load_sample_park(), AnalysisOptions())


def test_report_dialog_reports_the_open_projects_results(qtbot, tmp_path, analysed):
    import datetime as dt

    from PySide6.QtWidgets import QLineEdit

    from app.cmd_report import pdf_page_count
    from app.report import build_report

    ws = Workspace()
    ws.set_results(analysed)
    alg = algorithm("report")
    dlg = AlgorithmDialog(alg, ws, lang="zh")
    qtbot.addWidget(dlg)
    _spec, picker, _ = dlg.input_widgets["project"]
    assert isinstance(picker, QLineEdit) and picker.text() == ""
    assert picker.placeholderText() == "打开的项目的分析结果"
    with pytest.raises(InputError) as e:  # where the PDF goes must be chosen
        dlg.output_path()
    assert "输出文件" in e.value.zh and "output file" in e.value.en
    dlg.output_edit.setText(str(tmp_path / "r.docx"))
    with pytest.raises(InputError) as e:
        dlg.output_path()
    assert ".pdf" in e.value.zh and ".pdf" in e.value.en
    dlg.output_edit.setText(str(tmp_path / "报告"))  # a name without a suffix takes .pdf
    assert dlg.output_path() == tmp_path / "报告.pdf"
    w = dlg.param_widgets
    w["lang"].combo.setCurrentIndex(w["lang"].combo.findData("en"))
    w["contents"].check.setChecked(False)
    w["date"].edit.setText("2025/03/01")
    with pytest.raises(InputError) as e:
        dlg.values()
    assert "封面日期" in e.value.zh and "YYYY-MM-DD" in e.value.en
    w["date"].edit.setText("2025-03-01")
    v = dlg.values()
    assert (v.lang, v.contents, v.date) == ("en", False, dt.date(2025, 3, 1))
    inputs = dlg.inputs()
    assert inputs["project"].data is analysed and inputs["project"].path is None
    before = dict(ws.summary)
    handle = _finish(run_algorithm(None, ws, alg, v, inputs, output=dlg.output_path(), show_dialog=False,
                                   show_errors=False))
    pdf = tmp_path / "报告.pdf"
    headless = build_report(analysed, tmp_path / "headless.pdf", "en", date=dt.date(2025, 3, 1),
                            contents=False)
    s = handle.result.summary
    assert s["report"] == str(pdf) and s["lang"] == "en"
    assert s["pages"] == pdf_page_count(pdf) == pdf_page_count(headless)
    assert ws.summary == before and ws.layer("report") is None  # a report adds nothing to the project


def test_export_dialog_writes_the_chosen_formats_of_a_saved_project(qtbot, tmp_path, analysed, monkeypatch):
    """A reopened project's saved results are exported as saved (nothing analysed again); with no
    results open, the project input is a file."""
    import app.results
    from app.exports.export_all import export_all, saved_results
    from app.project_file import load_project, save_project

    saved = Workspace()
    saved.set_results(analysed)
    path = save_project(saved, tmp_path / "p.lingtan.gpkg")
    ws = load_project(path)
    assert ws.results is None

    def no_rerun(*a, **k):
        raise AssertionError("the analyses ran again")

    monkeypatch.setattr(app.results, "run_park_analyses", no_rerun)
    alg = algorithm("export")
    dlg = AlgorithmDialog(alg, ws, lang="en")
    qtbot.addWidget(dlg)
    assert dlg.input_widgets["project"][1].placeholderText() == "the open project's results"
    w = dlg.param_widgets
    w["formats"].edit.setText("html, Shapefile")
    w["encoding"].combo.setCurrentIndex(w["encoding"].combo.findData("gbk"))
    w["size"].spins[0].setValue(800)
    out = tmp_path / "export"
    dlg.output_edit.setText(str(out))
    v = dlg.values()
    assert (v.formats, v.encoding, v.size) == ("shp,html", "gbk", (800, 1500))
    handle = _finish(run_algorithm(None, ws, alg, v, dlg.inputs(), output=dlg.output_path(),
                                   show_dialog=False, show_errors=False))
    got = handle.result.summary["files"]
    want = export_all(saved_results(ws), tmp_path / "headless", "shp,html", "gbk").summary()["files"]
    assert set(got) == {"shp", "html"}
    assert {k: sorted(Path(f).name for f in v) for k, v in got.items()} == \
        {k: sorted(Path(f).name for f in v) for k, v in want.items()}
    assert (out / "shapefile" / "rooftop_pv.cpg").read_text() == "936"

    empty = Workspace()  # nothing open: the project is the file named, or missing
    dlg2 = AlgorithmDialog(alg, empty, lang="zh")
    qtbot.addWidget(dlg2)
    picker = dlg2.input_widgets["project"][1]
    assert picker.placeholderText() == "" and dlg2.inputs()["project"] is None
    (tmp_path / "file").write_text("x")
    dlg2.output_edit.setText(str(tmp_path / "file"))
    with pytest.raises(InputError) as e:  # a file where the folder should go
        dlg2.output_path()
    assert "文件夹" in e.value.zh and "folder" in e.value.en
    handle = run_algorithm(None, empty, alg, dlg2.values(), dlg2.inputs(), output=tmp_path / "none",
                           show_dialog=False, show_errors=False)
    assert handle.wait(60) and handle.state == "failed" and isinstance(handle.error, InputError)
    assert "--sample" in handle.error.en and not (tmp_path / "none").exists()
    picker.setText(str(path))
    project = dlg2.inputs()["project"]
    assert project.path == path and project.data is None
    _finish(run_algorithm(None, empty, alg, alg.values({"formats": "gpkg"}), dlg2.inputs(),
                          output=tmp_path / "from_file", show_dialog=False, show_errors=False))
    assert (tmp_path / "from_file" / "park.gpkg").exists()


@pytest.mark.parametrize("red_name", ["红线", "layer_7"])
def test_new_park_dialog_guesses_the_red_line_and_the_buildings(qtbot, red_name):
    """With footprints and a red line open, New Park proposes each for its role whatever their
    order on the map: the red line by its name or its single outline, the buildings by their count."""
    x0, y0 = 500_000.0, 3_375_000.0
    footprints = gpd.GeoDataFrame(geometry=[shapely.box(x0 + 10 * i, y0, x0 + 10 * i + 5, y0 + 5)
                                            for i in range(20)], crs=4547)
    red = gpd.GeoDataFrame(geometry=[shapely.box(x0 - 10, y0 - 10, x0 + 300, y0 + 50)], crs=4547)
    for order in ((red_name, "footprints"), ("footprints", red_name)):
        ws = Workspace()
        for name in order:
            ws.add_layer(styled_layer(name, red if name == red_name else footprints))
        dlg = AlgorithmDialog(algorithm("new_park"), ws, lang="zh")
        qtbot.addWidget(dlg)
        assert dlg.input_widgets["boundary"][1].currentData() == red_name
        assert dlg.input_widgets["buildings"][1].currentData() == "footprints"


def test_energy_dialog_runs_on_the_parks_layers_and_table(qtbot):
    """Analysis → 逐时能源平衡: the open park's red line, buildings and energy table fill the dialog;
    with a battery and a tariff chosen the run equals the headless algorithm on the same layers."""
    from gis.park import load_sample_park

    park = load_sample_park()
    ws = Workspace()
    ws.set_park(park)
    alg = algorithm("energy")
    dlg = AlgorithmDialog(alg, ws, lang="zh")
    qtbot.addWidget(dlg)
    for role in ("boundary", "buildings"):
        assert dlg.input_widgets[role][1].currentData() == role
    w = dlg.param_widgets
    w["battery"].edit.setText("250,1000")
    w["tariff"].combo.setCurrentIndex(w["tariff"].combo.findData("zhejiang_2026"))
    v = dlg.values()
    assert v.battery == (250.0, 1000.0) and v.tariff == "zhejiang_2026"
    handle = _finish(run_algorithm(None, ws, alg, v, dlg.inputs(), show_dialog=False, show_errors=False))
    headless = alg({"boundary": park.boundary, "buildings": park.buildings, "energy": park.enterprises},
                   battery=(250.0, 1000.0), tariff="zhejiang_2026")
    got, want = handle.result.summary, headless.summary
    for key in ("load_kwh", "onsite_kwh", "self_sufficiency_pct", "grid_import_kwh", "bill_yuan"):
        assert got[key] == pytest.approx(want[key], rel=1e-9), key
    assert got["load_kwh"] > 1e9 and got["onsite_kwh"] > 1e7  # the park's table and roofs were used
    assert ws.summary["energy"]["bill_yuan"] == got["bill_yuan"]
