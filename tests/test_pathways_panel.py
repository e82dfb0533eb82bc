"""The Pathways panel 路径 (issue #19): toggling a scenario hides its line (pixels), editing an
assumption recomputes the path and the new peak equals the core run in the test and a hand
compounding, edits undo, edited and loaded scenarios are kept in the project (store_inputs), the
dock is hidden until a result."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

BASE_YEAR = 2024
COLS = ["scenario", "scenario_zh", "parameter", "sector", "fuel", "period", "value", "unit", "source"]


def _base():
    from gis.carbon.pathway_base import base_from_rows

    rows = pd.DataFrame([{"sector6": "industry", "fuel": "raw_coal", "tce": 1000.0, "t_co2": 2660.0}])
    return base_from_rows(rows, BASE_YEAR, pd.Series({"industry": 500.0}), grid_kg_co2_per_kwh=0.5,
                          electricity_tce_per_kwh=0.0001229,
                          history=pd.DataFrame({"year": [2023, 2024], "tce": [950.0, 1000.0],
                                                "t_co2": [2527.0, 2660.0]}))


def _scenarios(growth_pct: float = 5.0):
    from gis.carbon.pathways import parse_scenario_table

    table = pd.DataFrame([
        ["hump", "先升后降", "va_growth_pct", "all", "", "2025-2030", growth_pct, "%/yr", "手算"],
        ["hump", "先升后降", "va_growth_pct", "all", "", "2031-2060", 0.0, "%/yr", "手算"],
        ["hump", "先升后降", "intensity_decline_pct", "all", "", "2031-2060", 10.0, "%/yr", "手算"],
        ["fall", "持续下降", "intensity_decline_pct", "all", "", "2025-2060", 3.0, "%/yr", "手算"],
    ], columns=COLS)
    return parse_scenario_table(table, "test")


@pytest.fixture
def section() -> dict:
    from app.park_pathways import run_pathways

    return run_pathways(_base(), None, scenarios=_scenarios(), measures=[]).section()


@pytest.fixture
def gui(qapp, tmp_path, monkeypatch):
    from app.gui import i18n
    from app.gui.app import create_app
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    app = create_app(lang="zh")
    yield app
    i18n.reset_for_tests()


@pytest.fixture
def panel(gui, qtbot, section):
    from app.gui.pathways_panel import PathwaysPanel
    from app.workspace import Workspace

    p = PathwaysPanel()
    qtbot.addWidget(p)
    p.resize(700, 900)
    p.show()
    qtbot.waitExposed(p)
    ws = Workspace(lang="zh")
    ws.summary["pathways"] = section
    p.bind(ws)
    return p


def _colour_pixels(widget, colour: str, tol: int = 40) -> int:
    img = widget.grab().toImage()
    w, h = img.width(), img.height()
    ptr = img.constBits()
    arr = np.frombuffer(ptr, dtype=np.uint8, count=img.bytesPerLine() * h).reshape(h, img.bytesPerLine())
    bgra = arr[:, : w * 4].reshape(h, w, 4)
    rgb = bgra[:, :, 2::-1].astype(int)
    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb - target).sum(axis=2) < tol).sum())


def test_toggling_a_scenario_hides_its_line(panel, qtbot):
    from app.charts.pathway_chart import scenario_colour

    names = [sc["name"] for sc in panel.section["scenarios"]]
    k = names.index("fall")
    colour = scenario_colour("fall", k)
    panel.chart_paths.repaint()
    before = _colour_pixels(panel.chart_paths, colour)
    assert before > 100  # the dashed line of 36 years
    panel.set_shown("fall", False)
    panel.chart_paths.repaint()
    assert panel.shown == [n for n in names if n != "fall"]
    after = _colour_pixels(panel.chart_paths, colour)
    assert after < before / 10
    other = scenario_colour("hump", names.index("hump"))
    assert _colour_pixels(panel.chart_paths, other) > 100  # the other line stays
    panel.set_shown("fall", True)
    panel.chart_paths.repaint()
    assert _colour_pixels(panel.chart_paths, colour) == pytest.approx(before, rel=0.05)


def test_editing_an_assumption_recomputes_and_the_peak_equals_the_core(panel, qtbot):
    from app.park_pathways import stored_inputs
    from gis.carbon.pathways import run_scenario

    editor = panel.edit_scenario("hump", modal=False)
    row = editor.find_row("va_growth_pct", "2025-2030")
    editor.set_value(row, "8")
    with qtbot.waitSignal(panel.recomputed, timeout=10000):
        editor.accept()
    sc = next(s for s in panel.section["scenarios"] if s["name"] == "hump_edited")
    # the core run in the test with the same edit, and the compounding by hand
    ref = run_scenario(_base(), next(s for s in _scenarios(8.0) if s.name == "hump"))
    assert sc["peak_year"] == ref.peak_year == 2030
    assert sc["peak_t_co2"] == pytest.approx(ref.peak_t_co2, rel=1e-9)
    assert sc["peak_t_co2"] == pytest.approx(2660 * 1.08 ** 6, rel=1e-9)
    # the original scenario stays; the table and the boxes show the new one
    names = [s["name"] for s in panel.section["scenarios"]]
    assert "hump" in names and "hump_edited" in names
    assert "pathways_show_hump_edited" in {c.objectName() for c in panel._checks.values()}
    row_texts = [panel.table.item(i, 0).text() for i in range(panel.table.rowCount())]
    assert "先升后降（修改）" in row_texts or "先升后降 (edited)" in row_texts
    # kept in the project: the workspace's settings hold the rows; the summary holds the new section
    ws = panel.workspace
    assert ws.dirty and ws.summary["pathways"] is not None
    kept, _, _ = stored_inputs(ws)
    assert [s.name for s in kept] == ["hump_edited"]
    rows = kept[0].rows
    sel = rows[(rows["period"] == "2025-2030") & (rows["parameter"] == "va_growth_pct")]
    assert sel["value"].tolist() == [8.0]


def test_edit_undo_and_redo(panel, qtbot):
    editor = panel.edit_scenario("fall", modal=False)
    row = editor.find_row("intensity_decline_pct")
    editor.set_value(row, "4.5")
    assert editor.frame()["value"].iloc[row] == "4.5"
    assert editor.frame()["status"].iloc[row] == "user"
    editor.undo_stack.undo()
    assert editor.table.item(row, 4).text() == "3"
    assert editor.frame()["value"].iloc[row] == "3"
    editor.undo_stack.redo()
    assert editor.table.item(row, 4).text() == "4.5"
    editor.reject()


def test_a_bad_value_keeps_the_editor_open(panel, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    editor = panel.edit_scenario("fall", modal=False)
    editor.set_value(editor.find_row("intensity_decline_pct"), "abc")
    editor.accept()
    assert shown and "abc" in shown[0]
    assert editor.result() == 0 and not any(s["name"] == "fall_edited" for s in panel.section["scenarios"])


def test_loaded_scenarios_are_kept_in_the_project(panel, tmp_path):
    from app.park_pathways import stored_inputs

    f = tmp_path / "mine.csv"
    pd.DataFrame([["flat", "持平", "va_growth_pct", "all", "", "2025-2060", 0, "%/yr", "park plan"]],
                 columns=COLS).to_csv(f, index=False)
    panel.load_scenarios(str(f))
    flat = next(s for s in panel.section["scenarios"] if s["name"] == "flat")
    # no growth, no intensity change: every year at the base level, the peak in the base year
    assert [p["t_co2"] for p in flat["path"]] == pytest.approx([2660.0] * (2060 - BASE_YEAR + 1))
    kept, _, _ = stored_inputs(panel.workspace)
    assert [s.name for s in kept] == ["flat"]


def test_hover_texts(panel, qtbot):
    panel.chart_paths.repaint()
    geo = panel.chart_paths.geometry_info
    x = float(geo.x_px(2030.0))
    where = panel.chart_paths.mapToGlobal(panel.chart_paths.rect().center())
    panel._on_hover_paths(x, geo.plot.center().y(), where)
    assert panel.hover_text.startswith("2030 年")
    assert f"{2660 * 1.05 ** 6:,.0f}" in panel.hover_text


def test_main_window_has_the_dock_hidden_until_a_result(gui, qtbot, section):
    from app.gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.pathways.dock.isHidden()
    w.workspace.summary["pathways"] = section
    w.pathways.refresh()
    assert not w.pathways.dock.isHidden()
    assert w.pathways.title.text() == "2060 年碳排放路径"


def test_an_edit_survives_saving_and_reopening_the_project(panel, tmp_path, qtbot):
    """The edited scenario is in the saved project twice: its rows in the settings (a rerun of Run
    All takes them, app.park_pathways.stored_inputs) and its path in the summary (the panel shows it)."""
    from app.park_pathways import stored_inputs
    from app.project_file import load_project, save_project

    editor = panel.edit_scenario("hump", modal=False)
    editor.set_value(editor.find_row("va_growth_pct", "2025-2030"), "8")
    editor.accept()
    path = save_project(panel.workspace, tmp_path / "p.lingtan.gpkg")
    ws = load_project(path)
    kept, _, _ = stored_inputs(ws)
    assert [s.name for s in kept] == ["hump_edited"]
    sc = next(s for s in ws.summary["pathways"]["scenarios"] if s["name"] == "hump_edited")
    assert sc["peak_t_co2"] == pytest.approx(2660 * 1.08 ** 6, rel=1e-6)
