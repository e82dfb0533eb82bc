"""Charts of the pathways (issue #19): pixel geometry of the overlay, the MACC and the tornado against
hand computations (a path compounded by hand, MACC bars stacked by hand, tornado bars placed by
hand), not against the drawing code's own numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

BASE_YEAR = 2024
COAL_T_CO2_PER_TCE = 2.66  # a round factor typed here: 1,000 tce of coal → 2,660 t CO2


def hand_section(growth_pct: float = 5.0, decline_after_2030_pct: float = 10.0) -> dict:
    """A one-sector coal park of 1,000 tce run through the core with one scenario: value added +5 %/yr
    2025–2030 at constant intensity, then −10 %/yr of energy (0 % growth, 10 % intensity decline)."""
    from gis.carbon.pathway_base import base_from_rows
    from gis.carbon.pathways import parse_scenario_table, pathways

    rows = pd.DataFrame([{"sector6": "industry", "fuel": "raw_coal", "tce": 1000.0,
                          "t_co2": 1000.0 * COAL_T_CO2_PER_TCE}])
    base = base_from_rows(rows, BASE_YEAR, pd.Series({"industry": 500.0}), grid_kg_co2_per_kwh=0.5,
                          electricity_tce_per_kwh=0.0001229,
                          history=pd.DataFrame({"year": [2022, 2023, 2024], "tce": [900.0, 950.0, 1000.0],
                                                "t_co2": [2394.0, 2527.0, 2660.0]}))
    table = pd.DataFrame([
        ["hand", "手算", "va_growth_pct", "all", "", "2025-2030", growth_pct, "%/yr", "test"],
        ["hand", "手算", "va_growth_pct", "all", "", "2031-2060", 0.0, "%/yr", "test"],
        ["hand", "手算", "intensity_decline_pct", "all", "", "2031-2060", decline_after_2030_pct, "%/yr",
         "test"],
    ], columns=["scenario", "scenario_zh", "parameter", "sector", "fuel", "period", "value", "unit",
                "source"])
    return pathways(base, parse_scenario_table(table, "test")).summary()


def hand_path(growth_pct: float = 5.0, decline_pct: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """Years and net t CO2 compounded by hand."""
    years = np.arange(BASE_YEAR, 2061)
    n_up = np.minimum(years - BASE_YEAR, 2030 - BASE_YEAR)
    n_down = np.maximum(years - 2030, 0)
    return years, 2660.0 * (1 + growth_pct / 100) ** n_up * (1 - decline_pct / 100) ** n_down


def _rgb(c) -> tuple[int, int, int]:
    return c.red(), c.green(), c.blue()


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_hand_path_peaks_in_2030():
    years, net = hand_path()
    assert years[np.argmax(net)] == 2030
    assert net.max() == pytest.approx(2660 * 1.05 ** 6)


def test_peak_marker_sits_at_the_peak_year_computed_by_hand(qapp):
    from app.charts.energy_charts import chart_image
    from app.charts.pathway_chart import pathway_chart, scenario_colour

    section = hand_section()
    years, net = hand_path()
    peak_year, peak = int(years[np.argmax(net)]), float(net.max())
    geo: list = []
    img = chart_image(lambda p, r: geo.append(pathway_chart(p, r, section, "zh")), 1000, 600)
    g = geo[0]
    first, last = 2022, 2060  # the history's first year to the path's last
    assert g.x_range == (first, last)
    x = g.plot.left() + (peak_year - first) / (last - first) * g.plot.width()
    y = g.plot.bottom() - (peak - g.y_ticks[0]) / (g.y_ticks[-1] - g.y_ticks[0]) * g.plot.height()
    assert g.peaks["hand"] == pytest.approx((x, y), abs=0.01)
    assert _rgb(img.pixelColor(round(x), round(y))) == _hex(scenario_colour("hand", 0))
    # a year away from the peak, the marker's colour is not there at the marker's height
    x_off = g.plot.left() + (peak_year - 3 - first) / (last - first) * g.plot.width()
    assert _rgb(img.pixelColor(round(x_off), round(y))) != _hex(scenario_colour("hand", 0))


def test_net_line_passes_through_the_hand_values(qapp):
    from app.charts.energy_charts import chart_image
    from app.charts.pathway_chart import pathway_chart, scenario_colour

    section = hand_section()
    years, net = hand_path()
    geo: list = []
    img = chart_image(lambda p, r: geo.append(pathway_chart(p, r, section, "zh", legend=False)), 1000, 600)
    g = geo[0]
    colour = np.array(_hex(scenario_colour("hand", 0)))
    for year in (2040, 2050):
        x_year = g.plot.left() + (year - 2022) / (2060 - 2022) * g.plot.width()
        hand_y = g.plot.bottom() - net[years == year][0] / g.y_ticks[-1] * g.plot.height()
        found = []
        for x in range(round(x_year) - 4, round(x_year) + 5):  # a dashed line: some columns are gaps
            col = [np.abs(np.array(_rgb(img.pixelColor(x, y))) - colour).sum() for y in
                   range(int(g.plot.top()), int(g.plot.bottom()))]
            if min(col) < 60:
                found.append(int(g.plot.top()) + int(np.argmin(col)))
        assert found, year
        assert np.median(found) == pytest.approx(hand_y, abs=2.0)


def test_gap_band_is_net_above_target_only():
    from app.charts.pathway_chart import gap_band

    years = np.array([2030, 2031, 2032])
    x, upper, lower = gap_band(years, np.array([10.0, 10.0, 0.0]), np.array([0.0, 10.0, 10.0]), steps=2)
    assert x.tolist() == [2030, 2030.5, 2031, 2031.5, 2032]
    assert (upper - lower).tolist() == [10.0, 5.0, 0.0, 0.0, 0.0]


def macc_rows() -> list[dict]:
    """Three measures given out of cost order (costs −300, 50, 900 yuan/t; 100, 300, 600 t/yr)."""
    return [{"key": "b", "name_zh": "乙", "name_en": "B", "kind": "energy", "abatement_t_co2_yr": 300.0,
             "cost_yuan_per_t_co2": 50.0},
            {"key": "c", "name_zh": "丙", "name_en": "C", "kind": "sink", "abatement_t_co2_yr": 600.0,
             "cost_yuan_per_t_co2": 900.0},
            {"key": "a", "name_zh": "甲", "name_en": "A", "kind": "electricity", "abatement_t_co2_yr": 100.0,
             "cost_yuan_per_t_co2": -300.0}]


def _run(img, y: int, x0: int, x1: int, colour: tuple[int, int, int]) -> tuple[int, int]:
    """First and last x in [x0, x1) of ``colour`` on row ``y``."""
    xs = [x for x in range(x0, x1) if _rgb(img.pixelColor(x, y)) == colour]
    return xs[0], xs[-1]


def test_macc_bar_extents_equal_the_cumulative_abatement_scaled(qapp):
    from app.charts.energy_charts import chart_image
    from app.charts.macc_chart import KIND_STYLE, macc_chart

    geo: list = []
    img = chart_image(lambda p, r: geo.append(macc_chart(p, r, macc_rows(), "zh")), 1000, 600)
    g = geo[0]
    # by hand: sorted by cost a (0–100), b (100–400), c (400–1000); the axis 0 … 1,000 t/yr (1-2-5 ticks)
    assert g.x_range == (0.0, 1000.0)

    def px(t):
        return g.plot.left() + t / 1000.0 * g.plot.width()

    zero = g.plot.bottom() - (0 - g.y_ticks[0]) / (g.y_ticks[-1] - g.y_ticks[0]) * g.plot.height()
    for (start, end, cost, kind) in ((0, 100, -300, "electricity"), (100, 400, 50, "energy"),
                                     (400, 1000, 900, "sink")):
        cost_px = g.plot.bottom() - (cost - g.y_ticks[0]) / (g.y_ticks[-1] - g.y_ticks[0]) * g.plot.height()
        y = round((zero + cost_px) / 2)  # halfway up (or down) the bar
        left, right = _run(img, y, int(g.plot.left()), int(g.plot.right()) + 1, _hex(KIND_STYLE[kind][2]))
        assert left == pytest.approx(px(start), abs=1.5)
        assert right + 1 == pytest.approx(px(end), abs=1.5)
        # the bar ends at its cost: coloured just inside, not just outside
        x_mid = round((px(start) + px(end)) / 2)
        inside = cost_px + (2 if cost > 0 else -2)
        outside = cost_px - (3 if cost > 0 else -3)
        assert _rgb(img.pixelColor(x_mid, round(inside))) == _hex(KIND_STYLE[kind][2])
        assert _rgb(img.pixelColor(x_mid, round(outside))) != _hex(KIND_STYLE[kind][2])
    assert g.bar_at(px(250), zero - 1) == 1  # hover: the second-cheapest bar


def test_tornado_bars_from_the_base_to_low_and_high(qapp):
    from app.charts.energy_charts import chart_image
    from app.charts.tornado_chart import HIGH_COLOUR, LOW_COLOUR, tornado_chart

    rows = [{"driver": "small", "driver_zh": "小", "pct": 20.0, "year": 2030, "t_co2_low": 950.0,
             "t_co2_base": 1000.0, "t_co2_high": 1040.0, "swing_t_co2": 90.0, "peak_year_low": 2024,
             "peak_year_base": 2024, "peak_year_high": 2024},
            {"driver": "big", "driver_zh": "大", "pct": 20.0, "year": 2030, "t_co2_low": 800.0,
             "t_co2_base": 1000.0, "t_co2_high": 1300.0, "swing_t_co2": 500.0, "peak_year_low": 2024,
             "peak_year_base": 2024, "peak_year_high": 2031}]
    geo: list = []
    img = chart_image(lambda p, r: geo.append(tornado_chart(p, r, rows, "zh")), 1000, 400)
    g = geo[0]
    assert g.x_range == (800.0, 1300.0)  # 1-2-5 ticks of 100 cover 800 … 1,300 exactly

    def px(t):
        return g.plot.left() + (t - 800.0) / 500.0 * g.plot.width()

    top_row = g.rows[0]  # the largest swing ("big") at the top
    y = round(top_row.center().y())
    left, _ = _run(img, y, int(g.plot.left()), int(g.plot.right()) + 1, _hex(LOW_COLOUR))
    _, right = _run(img, y, int(g.plot.left()), int(g.plot.right()) + 1, _hex(HIGH_COLOUR))
    assert left == pytest.approx(px(800.0), abs=1.5)
    assert right + 1 == pytest.approx(px(1300.0), abs=1.5)
    y2 = round(g.rows[1].center().y())
    left, right = _run(img, y2, int(g.plot.left()), int(g.plot.right()) + 1, _hex(LOW_COLOUR))
    assert left == pytest.approx(px(950.0), abs=1.5)


def test_png_files(qapp, tmp_path):
    from app.charts.macc_chart import macc_png
    from app.charts.pathway_chart import pathway_png, sector_png
    from app.charts.tornado_chart import tornado_png

    section = hand_section()
    pathway_png(tmp_path / "p.png", section)
    sector_png(tmp_path / "s.png", section, "hand")
    macc_png(tmp_path / "m.png", macc_rows())
    tornado_png(tmp_path / "t.png", [])
    for name in ("p", "s", "m", "t"):
        assert (tmp_path / f"{name}.png").stat().st_size > 1000


def test_cli_png_folder(tmp_path):
    """``lingtan pathway --png DIR`` writes the four charts beside the workbook."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "charts"
    r = subprocess.run([sys.executable, "-m", "app", "pathway", "--sample", "--out", str(tmp_path / "p.xlsx"),
                        "--png", str(out)], cwd=root, capture_output=True, text=True, timeout=300,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["macc.png", "pathways.png", "sectors_baseline.png", "tornado.png"]
    assert "图表 Charts" in r.stdout
