"""Views of the years (issue #19): the stacked trend chart, the report chapter and the Trends panel,
against sums by hand (GB/T 2589-2020 coefficients typed here) and the one-year accounting run
separately for each year."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from gis.carbon.emissions import account_emissions
from gis.carbon.factors import load_factor_set
from gis.carbon.inventory import read_energy_inventory

TCE_PER_T_COAL, TCE_PER_KWH = 0.7143, 0.1229e-3  # GB/T 2589-2020, the independent reference


def _table() -> pd.DataFrame:
    """Three entities over 2021–2023; E3 (a power plant) has no 2022 row."""
    rows = [("E1", "C17", 2021, 100.0, 10.0, 1000.0), ("E1", "C17", 2022, 120.0, 11.0, 1100.0),
            ("E1", "C17", 2023, 90.0, 12.0, 1200.0),
            ("E2", "H61", 2021, 0.0, 2.0, 300.0), ("E2", "H61", 2022, 0.0, 2.5, 310.0),
            ("E2", "H61", 2023, 0.0, 3.0, 320.0),
            ("E3", "D4411", 2021, 5000.0, 1.0, 500.0), ("E3", "D4411", 2023, 4000.0, 1.0, 520.0)]
    return pd.DataFrame(rows, columns=["企业代码", "行业代码", "年份", "原煤(吨)", "电力(万千瓦时)",
                                       "工业增加值(万元)"])


def _tce_by_hand(year: int) -> float:
    """Coal t × 0.7143 + electricity 10⁴ kWh × 10⁴ × 0.1229e-3, summed over the year's rows."""
    t = _table()
    t = t[t["年份"] == year]
    return float(t["原煤(吨)"].sum() * TCE_PER_T_COAL + t["电力(万千瓦时)"].sum() * 1e4 * TCE_PER_KWH)


def _one_year_t_co2(year: int) -> float:
    """The one-year accounting of ``year``, run on its own."""
    f = load_factor_set()
    inv = read_energy_inventory(_table(), source_name="t.csv", factors=f)
    return float(account_emissions(inv, f, year=year).total(year)["t_co2"])


@pytest.fixture(scope="module")
def section() -> dict:
    from app.park_trends import trends_section

    return trends_section(_table())


def test_hand_reference_is_sane():
    assert _tce_by_hand(2022) == pytest.approx(120 * 0.7143 + 13.5e4 * 0.1229e-3)


def test_stacked_top_equals_the_sum_by_hand_at_a_pixel_column(qapp, section):
    from app.charts.energy_charts import chart_image
    from app.charts.trend_chart import trend_chart, trend_layers

    colours = {tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
               for c in trend_layers(section, "fuel", "tce").colours}
    geo: list = []
    img = chart_image(lambda p, r: geo.append(trend_chart(p, r, section, "zh", by="fuel", quantity="tce")),
                      900, 600)
    g = geo[0]
    for year in (2021, 2022, 2023):
        x = round(float(g.x_px(year)))
        top = None
        for y in range(int(g.plot.top()), int(g.plot.bottom()) + 1):
            c = img.pixelColor(x, y)
            if (c.red(), c.green(), c.blue()) in colours:
                top = y
                break
        assert top is not None
        assert top == pytest.approx(float(g.y_px(_tce_by_hand(year))), abs=1.5)
        # and the bar's bottom sits on zero
        c = img.pixelColor(x, int(float(g.y_px(0.0))) - 1)
        assert (c.red(), c.green(), c.blue()) in colours


def test_by_sector_in_co2_equals_the_one_year_accounting(section):
    from app.charts.trend_chart import trend_layers

    lay = trend_layers(section, "sector", "t_co2", "zh")
    assert lay.labels[:1] == ["能源供应"]  # D4411 → energy supply first, in SECTORS order
    for year, total in zip(lay.years, lay.totals, strict=True):
        assert total == pytest.approx(_one_year_t_co2(int(year)), rel=1e-9)


needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


@needs_poppler
def test_report_chapter_has_the_sankey_totals(qapp, section, tmp_path):
    from app.report.build import build_report

    summary = {"park": {"name": "测试园区"}, "trends": section}
    pdf = build_report((summary, {}), tmp_path / "r.pdf", "zh")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    assert "逐年趋势与碳流向" in text and "2023 年碳流向图" in text
    energy, co2 = _tce_by_hand(2023), _one_year_t_co2(2023)
    assert f"2023 年能源投入合计 {energy:,.0f} 吨标准煤" in text
    assert f"能源活动排放 {co2:,.0f} 吨CO₂" in text.replace("CO2", "CO₂")
    assert f"净排放 {co2:,.0f} 吨CO₂" in text.replace("CO2", "CO₂")  # no green power, sinks or CCS
    assert "E3" in text and "2022" in text  # the missing year is listed


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
def panel(gui, qtbot, section):
    from app.gui.trends_panel import TrendsPanel

    p = TrendsPanel()
    qtbot.addWidget(p)
    p.resize(520, 1000)
    p.show()
    qtbot.waitExposed(p)
    p.set_summary(section)
    return p


def test_slider_changes_the_year_and_the_totals_equal_that_years_accounting(panel, qtbot):
    assert panel.values["year"] == 2023  # the latest first
    for index, year in enumerate((2021, 2022, 2023)):
        panel.slider.setValue(index)
        qtbot.wait(10)
        assert panel.year_label.text() == str(year)
        assert panel.sankey.year == year
        assert panel.values["energy_tce"] == pytest.approx(_tce_by_hand(year), rel=1e-9)
        assert panel.values["gross_t_co2"] == pytest.approx(_one_year_t_co2(year), rel=1e-9)
        assert panel.values["net_t_co2"] == pytest.approx(_one_year_t_co2(year), rel=1e-9)
        assert f"{_tce_by_hand(year):,.0f}" in panel.totals.text()


def test_hover_shows_a_flows_value_and_share(panel, qtbot):
    panel.set_year(2022)
    panel.chart_sankey.repaint()
    geo = panel.chart_sankey.geometry_info
    links = geo.layout.links
    # the band from coal to industry in 2022: E1's coal only (E3 has no 2022 row)
    i = int(np.flatnonzero((links["source"] == "fuel:raw_coal").to_numpy())[0])
    r = links.iloc[i]
    x = (r["x0"] + r["x1"]) / 2
    y = (r["ys0"] + r["ys1"]) / 2 + r["width"] / 2
    panel._on_hover(x, y, panel.chart_sankey.mapToGlobal(panel.chart_sankey.rect().center()))
    assert panel.hover_text.startswith("原煤 → 工业")
    assert f"{120 * TCE_PER_T_COAL:,.0f}" in panel.hover_text
    assert "100.0%" in panel.hover_text  # all of 2022's coal goes to industry


def test_toggles_switch_the_trend_chart(panel, qtbot):
    from app.charts.trend_chart import trend_layers

    panel.set_by("sector", "t_co2")
    panel.chart_trend.repaint()
    geo = panel.chart_trend.geometry_info
    top = trend_layers(panel.section, "sector", "t_co2").totals.max()
    assert geo.y_ticks[-1] >= top > geo.y_ticks[-2]


def test_main_window_has_the_dock_hidden_until_a_result(gui, qtbot, section):
    from app.gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    assert w.trends.dock.isHidden()
    w.workspace.summary["trends"] = section
    w.trends.refresh()
    assert not w.trends.dock.isHidden()
    assert w.trends.title.text() == "逐年能耗与碳排放"


@needs_poppler
def test_report_history_shows_per_mu_only_with_land(qapp, section, tmp_path):
    from app.report.build import build_report

    def text_of(sec, name):
        pdf = build_report(({"park": {"name": "测试园区"}, "trends": sec}, {}), tmp_path / name, "zh")
        out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return " ".join(out.split())

    assert "tCO₂/亩" not in text_of(section, "a.pdf")  # no land in the table: no column of dashes
    land_mu = 1250.0  # a 1,250 mu park, given by hand
    with_land = {**section, "history": [{**h, "t_co2_per_mu": _one_year_t_co2(int(h["year"])) / land_mu}
                                        for h in section["history"]]}
    text = text_of(with_land, "b.pdf")
    assert "tCO₂/亩" in text
    assert f"{_one_year_t_co2(2023) / land_mu:,.2f}" in text
