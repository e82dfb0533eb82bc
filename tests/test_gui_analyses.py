"""Analyses through the GUI functions (dialogs accepted programmatically, progress, cancel),
checked against the headless pipeline and against sums of the result layers themselves."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from app.gui import analyses
from app.gui.analyses import (
    CarbonOptions,
    IndicatorOptions,
    IntensityOptions,
    PVOptions,
)
from app.results import AnalysisOptions, run_park_analyses
from app.workspace import Workspace
from gis.park import load_sample_park


@pytest.fixture(autouse=True)
def _own_settings(tmp_path):
    """App settings (defaults of the dialogs) in a fresh INI file, not the user's."""
    from app.gui.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings")


@pytest.fixture(scope="module")
def park():
    return load_sample_park()


@pytest.fixture(scope="module")
def headless(park):
    return run_park_analyses(park)


@pytest.fixture
def ws(park):
    w = Workspace()
    w.set_park(park)
    w.mark_clean()
    return w


def _accept_next_dialog(set_up=None):
    """Accept the next modal dialog (after ``set_up(dialog)``) once the event loop runs it."""
    def go():
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(20, go)
            return
        if set_up is not None:
            set_up(dlg)
        dlg.accept()
    QTimer.singleShot(0, go)


def _finish(handle, timeout=120):
    assert handle is not None
    assert handle.wait(timeout), "task did not finish"
    assert handle.state == "done", (handle.state, handle.error, handle.traceback)
    return handle


def test_run_all_matches_headless_and_layer_sums(qtbot, ws, headless):
    seen = []
    _accept_next_dialog()
    handle = analyses.run_all(None, ws)
    handle.progressed.connect(lambda f, m: seen.append(f))
    _finish(handle)
    assert seen and max(seen) <= 1.0
    for name in ("rooftop_pv", "green_sinks", "tree_sinks", "township_intensity"):
        lyr = ws.layer(name)
        assert lyr is not None, name
        assert len(lyr.gdf) == len(headless.layers()[name])
    s = ws.summary
    # independent totals: the per-feature values of the layers the user sees
    pv = ws.layer("rooftop_pv").gdf
    assert s["pv"]["kwh_yr"] == pytest.approx(pv["kwh_yr"].sum(), rel=1e-6)
    assert s["pv"]["kwp"] == pytest.approx(pv["kwp"].sum(), rel=1e-3)
    sinks = ws.layer("green_sinks").gdf["t_co2_yr"].sum() + ws.layer("tree_sinks").gdf["t_co2_yr"].sum()
    assert s["carbon"]["sinks_t_co2_yr"] == pytest.approx(sinks, abs=1e-3)  # summary: 3 decimals
    # the headless pipeline's figures
    assert s["pv"]["kwh_yr"] == pytest.approx(headless.summary["pv"]["kwh_yr"], rel=1e-9)
    net = [sc["lines"]["net_t_co2"] for sc in s["carbon"]["balance"]["scenarios"]]
    assert net == pytest.approx([sc["lines"]["net_t_co2"] for sc in
                                 headless.summary["carbon"]["balance"]["scenarios"]])
    towns = ws.layer("township_intensity").gdf
    counts = s["intensity"]["classification"]["counts"]
    assert counts == [int((towns["class"] == k).sum()) for k in range(1, 6)]
    assert ws.dirty and ws.results is not None
    assert not ws.layer("township_intensity").visible  # it covers the park: added hidden
    assert ws.layer("rooftop_pv").visible


def test_pv_dialog_defaults_equal_headless_per_building(qtbot, ws, headless):
    from app.gui.analyses import PVDialog

    dlg = PVDialog(ws)
    o = dlg.options()
    assert o == PVOptions()  # the dialog starts from the documented defaults
    assert "climatology" in dlg.param.widgets["weather"].edit.placeholderText().lower()
    # the form is generated from the rooftop PV algorithm's declaration: one widget per parameter
    assert set(dlg.param.widgets) == {"weather", "shading", "losses_pct", "module_w", "module_size",
                                      "tilt_deg", "azimuth_deg", "grid_factor"}
    dlg.deleteLater()
    _accept_next_dialog()
    handle = _finish(analyses.rooftop_pv(None, ws))
    assert handle.result.pv is not None
    got = ws.layer("rooftop_pv").gdf.set_index("source_fid")["kwh_yr"]
    ref = headless.pv.buildings.set_index("source_fid")["kwh_yr"]
    # the layer rounds to 3 decimals (app.pv.result_layer)
    assert np.allclose(got.sort_index().to_numpy(), ref.sort_index().to_numpy(), rtol=0, atol=6e-4)
    assert ws.settings["analysis"]["pv"]["losses_pct"] == 14.0
    # no carbon account yet: PV alone
    assert "carbon" not in ws.summary and ws.layer("green_sinks") is None


def test_pv_losses_scale_yield(qtbot, ws):
    _finish(analyses.rooftop_pv(None, ws, PVOptions(losses_pct=14.0)))
    base = ws.summary["pv"]["kwh_yr"]
    _finish(analyses.rooftop_pv(None, ws, PVOptions(losses_pct=24.0)))
    lower = ws.summary["pv"]["kwh_yr"]
    # DC losses scale DC power: (1 - 0.24) / (1 - 0.14), give or take inverter part-load (±1 %)
    assert lower / base == pytest.approx(0.76 / 0.86, rel=0.01)
    assert ws.layer("rooftop_pv").gdf["kwh_yr"].sum() == pytest.approx(lower, rel=1e-6)


def test_pv_dialog_fields_become_options(qtbot, ws):
    def set_up(dlg):
        w = dlg.param.widgets
        w["shading"].check.setChecked(False)
        w["tilt_deg"].auto.setChecked(False)
        w["tilt_deg"].spins[0].setValue(10.0)
        w["module_w"].spins[0].setValue(600.0)
    _accept_next_dialog(set_up)
    handle = _finish(analyses.rooftop_pv(None, ws))
    s = handle.result.summary["pv"]
    assert s["shading"] is False and s["module_w"] == 600.0
    assert ws.settings["analysis"]["pv"]["tilt_deg"] == 10.0


def test_carbon_then_pv_keeps_balance_consistent(qtbot, ws):
    _finish(analyses.carbon_accounting(None, ws, CarbonOptions(year=2023)))
    s = ws.summary["carbon"]
    assert s["balance"]["year"] == 2023
    sinks = ws.layer("green_sinks").gdf["t_co2_yr"].sum() + ws.layer("tree_sinks").gdf["t_co2_yr"].sum()
    assert s["sinks_t_co2_yr"] == pytest.approx(sinks, abs=1e-3)
    assert ws.layer("rooftop_pv") is None
    # PV afterwards: the balance is made again with the PV yield
    _finish(analyses.rooftop_pv(None, ws, PVOptions()))
    pv_kwh = ws.layer("rooftop_pv").gdf["kwh_yr"].sum()
    lines = {sc["scenario"]: sc["lines"] for sc in ws.summary["carbon"]["balance"]["scenarios"]}
    assert any(ln.get("pv_kwh_yr") == pytest.approx(pv_kwh, rel=1e-6) for ln in lines.values())
    assert ws.summary["carbon"]["balance"]["year"] == 2023  # the stored carbon choices are kept


def test_indicators_facts_reach_the_check(qtbot, ws):
    _finish(analyses.indicators(None, ws, IndicatorOptions(indicators="national-2025",
                                                            facts={"water_reuse_pct": 85.0})))
    ind = pd.DataFrame(ws.summary["carbon"]["balance"]["indicators"])
    rows = ind[ind["metric"] == "water_reuse_pct"]
    assert len(rows) and (rows["value"] == 85.0).all()


def test_five_colour_map_alone_is_shown(qtbot, ws):
    _finish(analyses.five_colour_map(None, ws, IntensityOptions(method="quantile")))
    lyr = ws.layer("township_intensity")
    assert lyr is not None and lyr.visible
    cls = lyr.gdf["class"]
    counts = [int((cls == k).sum()) for k in range(1, 6)]
    matched = int((cls > 0).sum())
    assert sum(counts) == matched and max(counts) - min(counts) <= 2  # quantiles: near-equal classes
    from layers.style import FIVE_COLOURS

    for k in range(1, 6):
        assert set(lyr.gdf.loc[cls == k, "colour"]) <= {FIVE_COLOURS[k - 1]}
    assert ws.summary["intensity"]["classification"]["method"] == "quantile"


def test_intensity_dialog_lists_fields(qtbot, ws):
    dlg = analyses.IntensityDialog(ws)
    assert dlg.layer.currentData() == "townships"
    fields = [dlg.join.itemData(i) for i in range(dlg.join.count())]
    assert fields[0] is None and "code" in fields and "name" in fields
    method = dlg.param.widgets["method"].combo  # generated from the five-colour map's declaration
    method.setCurrentIndex(method.findData("fixed"))
    dlg.param.widgets["thresholds"].edit.setText("1，2, 3,4")
    assert dlg.options().thresholds == [1.0, 2.0, 3.0, 4.0]


def test_dialog_cancel_runs_nothing(qtbot, ws):
    def go():
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(20, go)
            return
        dlg.reject()
    QTimer.singleShot(0, go)
    assert analyses.carbon_accounting(None, ws) is None
    assert not ws.dirty


def test_no_park_shows_message(qtbot):
    ws = Workspace()
    assert analyses.rooftop_pv(None, ws, PVOptions()) is None
    box = ws._no_park_box
    assert box.isVisible()
    box.close()


def _synthetic_park(n: int):
    import geopandas as gpd
    import shapely

    from benchmarks.synthetic_city import footprints
    from gis.park import Park

    b = footprints(n)
    b["source_fid"] = np.arange(len(b))
    b["height_source"] = "field: height_m"
    boundary = gpd.GeoDataFrame({"name": ["synthetic"]}, geometry=[shapely.box(*b.total_bounds)], crs=b.crs)
    return Park(name="synthetic", crs=b.crs, boundary=boundary, buildings=b)


def test_cancel_rooftop_pv_within_a_second_leaves_workspace_unchanged(qtbot):
    park = _synthetic_park(20_000)
    ws = Workspace()
    ws.set_park(park)
    ws.mark_clean()
    layers_before = [(lyr.name, id(lyr), lyr.data_version) for lyr in ws.layers()]
    summary_before = ws.summary
    handle = analyses.rooftop_pv(None, ws, PVOptions())
    qtbot.waitUntil(lambda: handle.fraction > 0.05, timeout=60_000)  # well inside the PV job
    t0 = time.monotonic()
    handle.cancel()
    assert handle.wait(5)
    assert handle.state == "cancelled"
    assert time.monotonic() - t0 < 1.0 and handle.cancel_latency_s < 1.0
    assert [(lyr.name, id(lyr), lyr.data_version) for lyr in ws.layers()] == layers_before
    assert ws.summary is summary_before and ws.results is None and ws.layer("rooftop_pv") is None


def test_result_dropped_when_park_replaced(qtbot, ws, park):
    handle = analyses.five_colour_map(None, ws, IntensityOptions())
    other = _synthetic_park(50)
    ws.set_park(other)
    _finish(handle)
    assert ws.park is other and ws.layer("township_intensity") is None


def test_dialogs_build_with_sources_in_tooltips(qtbot, ws):
    for cls in (analyses.PVDialog, analyses.CarbonDialog, analyses.IndicatorDialog, analyses.IntensityDialog,
                analyses.RunAllDialog):
        dlg = cls(ws)
        assert dlg.note.text()
        assert isinstance(dlg, QDialog)
        dlg.deleteLater()
    dlg = analyses.CarbonDialog(ws)
    year = dlg.param.widgets["year"].combo  # generated: automatic, then the years in the park's table
    table_years = sorted(set(ws.park.enterprises["年份"].astype(int)))
    assert table_years[-1] == 2024
    assert [year.itemData(i) for i in range(year.count())] == [None, *table_years]
    assert "national-2023" in dlg.param.widgets["factors"].widget.toolTip()
    assert dlg.options() == CarbonOptions(factors="national-2023")
    opts = analyses.RunAllDialog(ws).options()
    from gis.solar.rooftop import PVSettings

    # the project's PV settings (defaults here) reach run_park_analyses
    assert opts == AnalysisOptions(factors="national-2023", indicators="national-2025",
                                   pv_settings=PVSettings())


def test_open_sample_runs_everything(qtbot):
    ws = Workspace()
    handle = _finish(analyses.open_sample(None, ws))
    assert ws.park is handle.result.park and not ws.dirty
    assert {lyr.name for lyr in ws.layers()} >= {"buildings", "rooftop_pv", "township_intensity"}
    assert ws.summary["pv"]["kwh_yr"] == pytest.approx(ws.layer("rooftop_pv").gdf["kwh_yr"].sum(), rel=1e-6)
    ws2 = Workspace()
    _finish(analyses.open_sample(None, ws2, run_all=False))
    assert ws2.layer("rooftop_pv") is None and ws2.summary["buildings"]["count"] == 619


def test_warm_up_imports_quietly(qtbot):
    handle = analyses.warm_up()
    assert handle.dialog is None
    _finish(handle)
    import sys

    assert "mapclassify" in sys.modules and "pvlib" in sys.modules


def test_options_live_in_the_qt_free_module_and_match_the_dialogs():
    """The option records are app/analysis_settings.py's (no Qt: ``lingtan export`` uses them);
    the GUI's analysis_options adds only the app settings' defaults for what was never chosen."""
    import subprocess
    import sys
    from pathlib import Path

    import app.analysis_settings as S

    assert analyses.PVOptions is S.PVOptions and analyses.CarbonOptions is S.CarbonOptions
    assert analyses.IndicatorOptions is S.IndicatorOptions and analyses.pv_settings is S.pv_settings
    ws = Workspace()
    ws.set_setting("analysis", {"pv": {"losses_pct": 9.0, "module_w": 600.0},
                                "carbon": {"factors": "national-2022"},
                                "indicators": {"indicators": "national-2025", "facts": {}}})
    gui, plain = analyses.analysis_options(ws), S.analysis_options(ws)
    assert (gui.factors, gui.indicators) == (plain.factors, plain.indicators)
    assert (gui.factors, gui.indicators) == ("national-2022", "national-2025")
    assert gui.pv_settings == plain.pv_settings and gui.pv_settings.system.losses_pct == 9.0
    code = ("import sys, app.analysis_settings, app.cmd_export; "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    root = str(Path(__file__).resolve().parents[1])
    assert subprocess.run([sys.executable, "-c", code], cwd=root, timeout=120).returncode == 0


# Published grid emission factors (kgCO2/kWh), written out here: MEE 2021 national grid average
# 0.5568; MEE & NBS 2023 East China regional grid 0.5500 and South China 0.4042; the Sichuan
# near-zero-carbon park pilot (2022) electricity factor 1.0310 tCO2/10⁴ kWh = 0.1031 kgCO2/kWh.
@pytest.mark.parametrize(("factors", "grid_key", "kg"), [
    ("national-2021", None, 0.5568),      # no grid factor chosen: the factor set's electricity
    ("sichuan-2022", None, 0.1031),
    (None, "east-2023", 0.5500),          # a grid factor chosen: that one
    ("national-2021", "south-2023", 0.4042),  # chosen over a non-default factor set's
])
def test_pv_avoided_co2_uses_the_factor_set_or_the_chosen_grid_factor(qtbot, ws, factors, grid_key, kg):
    if factors:
        ws.set_setting("analysis", {"carbon": {"factors": factors}})

    def set_up(dlg):  # the user's pick in the PV dialog's grid-factor list
        combo = dlg.param.widgets["grid_factor"].combo
        i = combo.findData(grid_key) if grid_key else 0  # first item: automatic, the factor set's
        assert i >= 0, grid_key
        combo.setCurrentIndex(i)
    _accept_next_dialog(set_up)
    _finish(analyses.rooftop_pv(None, ws))
    pv = ws.summary["pv"]
    assert ws.settings["analysis"]["pv"]["grid_factor"] == grid_key
    assert pv["grid_factor"]["kg_co2_per_kwh"] == pytest.approx(kg, abs=5e-5)
    assert pv["t_co2_yr"] == pytest.approx(pv["kwh_yr"] * kg / 1000, rel=1e-3)
    layer = ws.layer("rooftop_pv").gdf
    assert layer["t_co2_yr"].sum() == pytest.approx(layer["kwh_yr"].sum() * kg / 1000, rel=1e-3)


def test_indicator_and_carbon_dialogs_are_generated_and_keep_non_default_values(qtbot, ws):
    from gis.carbon.balance import FACT_KEYS

    dlg = analyses.IndicatorDialog(ws)
    qtbot.addWidget(dlg)
    assert set(FACT_KEYS) <= set(dlg.param.widgets)  # one field per declared park fact
    key = next(iter(FACT_KEYS))
    w = dlg.param.widgets[key]
    w.auto.setChecked(False)
    w.spins[0].setValue(92.0)
    o = dlg.options()
    assert o.facts == {key: 92.0} and o.indicators == "national-2025"
    w.spins[0].setMaximum(1000.0)  # a value beyond the declared 0–100 % range is refused
    w.spins[0].setValue(150.0)
    from gis.errors import InputError

    with pytest.raises(InputError):
        dlg.options()
    carbon = analyses.CarbonDialog(ws)
    qtbot.addWidget(carbon)
    combo = carbon.param.widgets["year"].combo
    combo.setCurrentIndex(combo.findData(2023))
    f = carbon.param.widgets["factors"].combo
    f.setCurrentIndex(f.findData("national-2021"))
    assert carbon.options() == CarbonOptions(factors="national-2021", year=2023)


def test_five_colour_map_run_alone_shows_its_layer(qtbot, ws):
    """Run All adds the township map hidden (it covers the park); running the map alone afterwards
    must show it, or nothing visible happens."""
    _finish(analyses.start_all(None, ws, AnalysisOptions()))
    assert not ws.layer("township_intensity").visible
    _finish(analyses.five_colour_map(None, ws, IntensityOptions()))
    assert ws.layer("township_intensity").visible
