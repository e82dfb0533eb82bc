"""The Energy panel (app/gui/energy_panel.py) with pytest-qt: the KPIs of a synthetic run in
Chinese, the day/week selector, the hourly export, following the workspace (a fresh run, then the
same run as a reopened project keeps it) and its place in the main window."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from app.processing.algorithm import AlgorithmOutput
from tests.test_energy_charts import synthetic_frame, synthetic_summary


class _Result:
    """What the panel reads of a SystemResult: the hourly table and the summary."""

    def __init__(self, frame: pd.DataFrame, summary: dict) -> None:
        self._frame, self._summary = frame, summary

    def hourly_frame(self) -> pd.DataFrame:
        return self._frame.copy()

    def summary(self) -> dict:
        return dict(self._summary)


def _output() -> AlgorithmOutput:
    frame = synthetic_frame()
    summary = synthetic_summary(frame)
    return AlgorithmOutput("energy", _Result(frame, summary), {}, summary, [])


@pytest.fixture
def gui(qapp, tmp_path, monkeypatch):
    """The application as create_app makes it, Chinese UI, settings in tmp_path."""
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
def panel(gui, qtbot):
    from app.gui.energy_panel import EnergyPanel

    p = EnergyPanel()
    qtbot.addWidget(p)
    p.resize(430, 1100)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_panel_shows_the_kpis_of_a_run_in_chinese(panel):
    panel.set_output(_output())
    # by hand: each hour the park uses min(PV + wind, 500 kW) of its own energy
    frame = synthetic_frame()
    onsite = frame["rooftop_pv_kw"] + frame["wind_kw"]
    used = np.minimum(onsite, 500.0).sum()
    ss_pct = 100 * used / (500.0 * 8760)
    sc_pct = 100 * used / onsite.sum()
    caption, value, note = panel.cards["self_sufficiency"]
    assert caption.text() == "自给率" and value.text() == f"{ss_pct:.1f} %"
    netting_pct = 100 * min(onsite.sum(), 500.0 * 8760) / (500.0 * 8760)
    assert "年度净额法" in note.text() and f"{netting_pct:.1f}" in note.text()
    assert panel.cards["self_consumption"][0].text() == "自发自用率"
    assert panel.cards["self_consumption"][1].text() == f"{sc_pct:.1f} %"
    assert panel.cards["green_share"][0].text() == "绿电占比"
    export_mwh = np.maximum(onsite - 500.0, 0.0).sum() / 1000
    import_mwh = np.maximum(500.0 - onsite, 0.0).sum() / 1000
    assert panel.cards["grid_kwh"][1].text() == f"{import_mwh:,.0f} / {export_mwh:,.0f}"
    assert panel.cards["grid_peak"][1].text() == "400 kW"  # the nights: 500 − 100 kW of wind
    assert panel.cards["bill"][1].text() == "284.7 → 164.0"  # 10⁴ yuan
    assert panel.values["self_sufficiency_pct"] == pytest.approx(ss_pct)
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == [
        "逐日/逐周", "热力图", "持续曲线", "经济性", "容量优化"]
    assert panel.export_button.text() == "导出逐时表（CSV/Excel）…" and panel.export_button.isEnabled()
    items = [panel.econ_model.item(r, 0).text() for r in range(panel.econ_model.rowCount())]
    assert "净现值" in items and "电费（无光伏储能）" in items
    npv_row = items.index("净现值")
    assert panel.econ_model.item(npv_row, 1).text() == "1,234,567"


def test_day_selector_changes_the_chart(panel, qtbot):
    panel.set_output(_output())
    panel.show_day("2025-07-14", 7)
    qtbot.wait(10)
    week = panel.window()
    assert len(week) == 168 and week.time[0] == np.datetime64("2025-07-14T00:00")
    img_week = panel.chart_balance.grab().toImage()
    assert panel.chart_balance.geometry_info.x_range == (0.0, 168.0)
    panel.day_button.click()  # the toggle: one day from the same date
    qtbot.wait(10)
    day = panel.window()
    assert len(day) == 24 and day.time[0] == np.datetime64("2025-07-14T00:00")
    img_day = panel.chart_balance.grab().toImage()
    assert panel.chart_balance.geometry_info.x_range == (0.0, 24.0)
    assert img_day != img_week
    panel.next_button.click()  # a day on
    assert panel.window().time[0] == np.datetime64("2025-07-15T00:00")
    panel.date_edit.setDate(panel.date_edit.date().addDays(-100))
    assert panel.window().time[0] == np.datetime64("2025-04-06T00:00")


def test_export_writes_a_csv_whose_columns_and_sums_match(panel, tmp_path):
    panel.set_output(_output())
    written = panel.export_hourly(tmp_path / "hourly.csv")
    assert written == [tmp_path / "hourly.csv"]
    back = pd.read_csv(written[0])
    assert list(back.columns) == ["time", "load_kw", "rooftop_pv_kw", "wind_kw", "charge_kw", "discharge_kw",
                                  "soc_kwh", "grid_import_kw", "grid_export_kw", "curtailed_kw"]
    assert len(back) == 8760
    assert back["load_kw"].sum() == pytest.approx(500.0 * 8760)
    # PV by hand: 1,000 kW × Σ sin(π(h − 6)/12) over h = 7 … 17 each day
    pv_day = 1000.0 * sum(np.sin(np.pi * (h - 6) / 12) for h in range(7, 18))
    assert back["rooftop_pv_kw"].sum() == pytest.approx(365 * pv_day, rel=1e-6)
    export_day = sum(max(1000.0 * np.sin(np.pi * (h - 6) / 12) + 100.0 - 500.0, 0.0) for h in range(24))
    assert back["grid_export_kw"].sum() == pytest.approx(365 * export_day, rel=1e-6)
    assert pd.to_datetime(back["time"]).iloc[-1] == pd.Timestamp("2025-12-31 23:00")


def test_panel_follows_the_workspace_then_a_reopened_project(panel, qtbot):
    from app.gui.algorithm_dialog import add_result_layers
    from app.workspace import Workspace

    ws = Workspace(lang="zh")
    panel.bind(ws)
    assert not panel.content.isVisible() and panel.empty.isVisible()
    with qtbot.waitSignal(panel.new_run, timeout=2000):
        add_result_layers(ws, _output())
    assert panel.series is not None and panel.export_button.isEnabled()
    charts = ws.summary["energy"]["charts"]  # added for the project to keep
    assert set(charts["weeks"]) == {"summer", "winter"}
    # the project as saved and opened again: its summary only (JSON), no hourly table
    saved = json.loads(json.dumps(ws.summary))
    ws2 = Workspace(lang="zh")
    ws2.set_summary(saved)
    panel.bind(ws2)
    assert panel.series is None and not panel.export_button.isEnabled()
    assert panel.cards["self_sufficiency"][1].text() == f"{saved['energy']['self_sufficiency_pct']:.1f} %"
    panel.show_typical_week("winter")
    w = panel.window()
    start = pd.Timestamp(w.time[0])
    assert len(w) == 168 and start.month in (12, 1, 2) and start.weekday() == 0
    assert panel.window_note.isVisible()
    assert panel.heatmap_matrix().shape == (12, 24)


def test_main_window_has_the_panel_and_the_analysis_entry(gui, qtbot):
    from app.gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    assert "energy" in w.panels and w.panels["energy"].dock.windowTitle() == "能源"
    texts = [a.text() for a in w.menu_analysis.actions()]
    assert "逐时能源平衡…" in texts
    assert not w.panels["energy"].dock.isVisible()
    from app.gui.algorithm_dialog import add_result_layers

    w.show()
    add_result_layers(w.workspace, _output())
    qtbot.waitUntil(lambda: w.panels["energy"].dock.isVisible(), timeout=2000)


def test_a_chart_saved_as_png(panel, tmp_path):
    from PySide6.QtGui import QImage

    panel.set_output(_output())
    path = panel.save_chart_png("heatmap", tmp_path / "heat")
    img = QImage(str(path))
    assert path.suffix == ".png" and img.width() == 1600 and img.height() == 900
    # the net load's heatmap: red nights (400 kW bought) and blue noons (600 kW over)
    from PySide6.QtGui import QColor

    colours = [QColor(img.pixel(x, y)) for x in range(0, 1600, 20) for y in range(0, 900, 20)]
    assert any(c.red() > c.blue() + 80 for c in colours) and any(c.blue() > c.red() + 80 for c in colours)


def test_run_all_energy_summary_shows_the_tab_behind_the_dashboard(qtbot, tmp_path, monkeypatch):
    """Opening the sample park (Run All computes the hourly balance): the Energy tab is there, the
    dashboard stays in front."""
    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    from app.gui.main_window import MainWindow
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    results = run_park_analyses(load_sample_park())
    assert "energy" in results.summary
    dock = next(d for d in w.findChildren(type(w.dock_dashboard)) if d.windowTitle() in ("能源", "Energy"))
    assert dock.isHidden()  # no energy run yet
    w.workspace.set_results(results)
    w.workspace.mark_clean()  # nothing to save: closing asks no question
    qtbot.waitUntil(lambda: not dock.isHidden(), timeout=5000)
    assert not w.dock_dashboard.visibleRegion().isEmpty()  # the dashboard stays in front
