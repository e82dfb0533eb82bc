"""The energy charts (app/charts) painted offscreen and measured on the pixels, and the chart data
against independent computations written here.

The synthetic park (:func:`synthetic_frame`): 2025 hour by hour, a flat 500 kW load, rooftop PV of
1,000 kW × sin(π (h − 6) / 12) between 06:00 and 18:00, 100 kW of wind all year, no battery: the
grid takes what the park lacks and what it has over, so every flow is known by hand.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from app.charts import energy_charts as ec
from app.charts import energy_data as ed

LOAD_KW, PV_PEAK_KW, WIND_KW = 500.0, 1000.0, 100.0


def synthetic_frame(year: int = 2025) -> pd.DataFrame:
    """The hourly table of the synthetic park (the columns of SystemResult.hourly_frame())."""
    time = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h", inclusive="left")
    h = time.hour.to_numpy()
    pv = PV_PEAK_KW * np.clip(np.sin(np.pi * (h - 6) / 12.0), 0.0, None)
    wind = np.full(len(time), WIND_KW)
    load = np.full(len(time), LOAD_KW)
    surplus = pv + wind - load
    zeros = np.zeros(len(time))
    return pd.DataFrame({"time": time, "load_kw": load, "rooftop_pv_kw": pv, "wind_kw": wind,
                         "charge_kw": zeros, "discharge_kw": zeros, "soc_kwh": zeros,
                         "grid_import_kw": np.maximum(-surplus, 0.0),
                         "grid_export_kw": np.maximum(surplus, 0.0), "curtailed_kw": zeros})


def synthetic_summary(frame: pd.DataFrame) -> dict:
    """The KPIs of the synthetic park by hand (hourly steps: kW × 1 h = kWh)."""
    load = frame["load_kw"].sum()
    onsite = (frame["rooftop_pv_kw"] + frame["wind_kw"]).sum()
    used = np.minimum(frame["rooftop_pv_kw"] + frame["wind_kw"], frame["load_kw"]).sum()
    return {"load_kwh": float(load), "onsite_kwh": float(onsite), "used_onsite_kwh": float(used),
            "self_sufficiency_pct": 100 * used / load, "self_consumption_pct": 100 * used / onsite,
            "green_share_pct": 100 * used / load, "grid_import_kwh": float(frame["grid_import_kw"].sum()),
            "grid_export_kwh": float(frame["grid_export_kw"].sum()),
            "grid_import_peak_kw": float(frame["grid_import_kw"].max()),
            "grid_export_peak_kw": float(frame["grid_export_kw"].max()), "curtailed_kwh": 0.0,
            "battery_cycles": 0.0, "hours_fully_covered": float((frame["grid_import_kw"] == 0).sum()),
            "t_co2_avoided": round(used * 0.5366 / 1000, 1), "bill_before_yuan": 2_847_000.0,
            "bill_yuan": 1_640_000.0, "year": 2025, "step_min": 60, "dispatch": "self",
            "generation_kwh": {"rooftop_pv": float(frame["rooftop_pv_kw"].sum()),
                               "wind": float(frame["wind_kw"].sum())},
            "tariff": {"key": "test", "name_zh": "测试电价", "name_en": "Test tariff",
                       "source": "测试用电价表 test table"},
            "annual_netting": {"method": "annual_netting",
                               "self_sufficiency_pct": 100 * min(onsite, load) / load,
                               "grid_export_kwh": 0.0},
            "economics": {"capex_yuan": 5_000_000.0, "npv_yuan": 1_234_567.0, "irr_pct": 9.5,
                          "simple_payback_yr": 6.2, "lcoe_yuan_kwh": 0.31, "cash_flows": [-5e6, 1e6]},
            "battery": None, "problems": []}


def _close(c: QColor, hex_colour: str, tol: int = 40) -> bool:
    ref = QColor(hex_colour)
    return abs(c.red() - ref.red()) + abs(c.green() - ref.green()) + abs(c.blue() - ref.blue()) <= tol


# ---- the balance of a week ----------------------------------------------------------------------

def test_week_chart_stack_top_is_the_sum_of_sources_at_a_pixel_column():
    series = ed.EnergySeries.from_frame(synthetic_frame()).window("2025-07-14", 7)
    assert len(series) == 168
    img_holder = {}

    def draw(p, rect):
        img_holder["geo"] = ec.balance_chart(p, rect, series, "zh", legend=False)

    img = ec.chart_image(draw, 900, 420)
    geo = img_holder["geo"]
    # the highest stack: PV 1,000 + wind 100 = 1,100 kW at noon; the lowest: export 600 kW. The
    # 1-2-5 rule (Heckbert 1990): range 1,700 → nice 2,000, step 2,000 / 5 = 400 → 500:
    assert geo.y_ticks == (-1000.0, -500.0, 0.0, 500.0, 1000.0, 1500.0)
    plot = geo.plot
    # Wednesday 16 July 10:00–11:00 (the 3rd day, hour 10): PV 1,000 sin(π·4/12) = 866.03 kW
    k = 2 * 24 + 10
    pv = 1000 * np.sin(np.pi * 4 / 12)
    x = int(plot.left() + (k + 0.5) / 168 * plot.width())

    def y_of(kw: float) -> float:  # the axis by hand: −1,000 kW at the bottom, 1,500 kW at the top
        return plot.bottom() - (kw + 1000.0) / 2500.0 * plot.height()

    column = [img.pixelColor(x, y) for y in range(int(plot.top()), int(plot.bottom()))]
    first_wind = next(i for i, c in enumerate(column) if _close(c, "#56B4E9")) + int(plot.top())
    first_pv = next(i for i, c in enumerate(column) if _close(c, "#E69F00")) + int(plot.top())
    assert abs(first_wind - y_of(pv + 100.0)) <= 1.5
    assert abs(first_pv - y_of(pv)) <= 1.5
    # below zero the export (PV + wind − load = 466.03 kW) ends at −466.03 kW
    last_export = max(i for i, c in enumerate(column) if _close(c, "#0072B2")) + int(plot.top())
    assert abs(last_export - y_of(-(pv + 100.0 - 500.0))) <= 1.5
    # at 02:00 only wind runs: the grid brings the other 400 kW (grey) up to the load line
    x2 = int(plot.left() + (2 * 24 + 2.5) / 168 * plot.width())
    column2 = [img.pixelColor(x2, y) for y in range(int(plot.top()), int(plot.bottom()))]
    first_grey = next(i for i, c in enumerate(column2) if _close(c, "#a8a8a8", 20)) + int(plot.top())
    assert abs(first_grey - y_of(500.0)) <= 2.0


def test_day_chart_changes_with_the_day_and_labels_hours():
    series = ed.EnergySeries.from_frame(synthetic_frame())
    summer = series.window("2025-07-14", 1)
    assert len(summer) == 24 and summer.time[0] == np.datetime64("2025-07-14T00:00")
    geo = {}
    ec.chart_image(lambda p, r: geo.setdefault("g", ec.balance_chart(p, r, summer, "en")), 500, 300)
    assert geo["g"].x_range == (0.0, 24.0)


# ---- heatmap ----------------------------------------------------------------------------------------

def _luminance(c: QColor) -> float:
    """Relative luminance (ITU-R BT.709 weights on sRGB values, no linearisation: monotone enough)."""
    return 0.2126 * c.red() + 0.7152 * c.green() + 0.0722 * c.blue()


def test_heatmap_cell_colours_follow_the_order_of_the_values():
    rng = np.random.default_rng(7)
    matrix = rng.permutation(288).astype(float).reshape(12, 24) * 3.0 + 100.0  # 100 … 961 kW
    geo = {}
    img = ec.chart_image(lambda p, r: geo.setdefault("g", ec.heatmap_chart(p, r, matrix, "zh")), 700, 360)
    g = geo["g"]
    lum = np.array([[_luminance(img.pixelColor(g.cell_rect(r, c).center().toPoint())) for c in range(24)]
                    for r in range(12)])
    order = np.argsort(matrix.ravel())
    # viridis' lightness rises with the value: sorted by value, the cells never get darker
    assert np.all(np.diff(lum.ravel()[order]) >= -1.0)
    assert lum.ravel()[order[-1]] - lum.ravel()[order[0]] > 150  # dark purple → bright yellow


def test_heatmap_of_net_load_diverges_about_zero():
    matrix = np.tile(np.linspace(-800.0, 800.0, 24), (12, 1))
    geo = {}
    img = ec.chart_image(lambda p, r: geo.setdefault("g", ec.heatmap_chart(p, r, matrix, "en")), 700, 360)
    g = geo["g"]
    low = img.pixelColor(g.cell_rect(5, 0).center().toPoint())
    high = img.pixelColor(g.cell_rect(5, 23).center().toPoint())
    assert low.blue() > low.red() + 80  # surplus is blue
    assert high.red() > high.blue() + 80  # deficit is red
    assert g.colour_range is not None and g.colour_range[0] == -g.colour_range[1]


def test_month_hour_mean_matches_a_pandas_groupby_at_15_minutes():
    time = pd.date_range("2024-01-01", "2025-01-01", freq="15min", inclusive="left")
    values = np.random.default_rng(3).random(len(time)) * 100
    got = ed.month_hour_mean(time.to_numpy(), values)
    ref = pd.Series(values, index=time).groupby([time.month, time.hour]).mean().unstack().to_numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-12)


# ---- duration curves, typical weeks, the compact form ------------------------------------------------

def test_duration_curve_and_its_thinned_points():
    frame = synthetic_frame()
    net = frame["load_kw"] - frame["rooftop_pv_kw"] - frame["wind_kw"]
    curve = ed.duration_curve(net.to_numpy())
    assert curve[0] == 400.0 and curve[-1] == pytest.approx(500 - 1100)  # night deficit, noon surplus
    # the hours without sun (00:00–06:00 and 18:00–23:00, 13 a day) all sit at 400 kW (sin π is
    # 1.2e-16 in floating point: 18:00 is 400 kW less a trifle)
    assert np.count_nonzero(np.isclose(curve, 400.0)) == 13 * 365
    hours, vals = ed.sample_duration(curve, 1.0, points=100)
    assert hours[0] == 0.5 and hours[-1] == 8759.5 and vals[0] == curve[0] and vals[-1] == curve[-1]
    assert np.all(np.diff(vals) <= 0) and 95 <= len(vals) <= 100


def test_typical_week_is_the_week_closest_to_the_season_mean():
    frame = synthetic_frame()
    t = frame["time"]
    # summer 2025 has 13 whole Monday weeks (2 June … 25 August); week j carries 500 + 10 j kW, so
    # the mean is 560 kW and the closest week is j = 6: Monday 14 July
    week = ((t - pd.Timestamp("2025-06-02")).dt.days // 7).clip(-1, 13)
    frame.loc[(week >= 0) & (week < 13), "load_kw"] = 500.0 + 10.0 * week
    series = ed.EnergySeries.from_frame(frame)
    assert ed.typical_week(series, ed.SUMMER_MONTHS) == np.datetime64("2025-07-14")
    winter = ed.typical_week(series, ed.WINTER_MONTHS)
    assert pd.Timestamp(winter).weekday() == 0 and pd.Timestamp(winter).month in (12, 1, 2)
    assert ed.typical_week(series.window("2025-03-01", 20), ed.SUMMER_MONTHS) is None


def test_compact_round_trip_and_size():
    series = ed.EnergySeries.from_frame(synthetic_frame())
    c = ed.compact(series)
    text = json.dumps(c)
    assert len(text) < 120_000  # ~50 kB in a project's summary, not the 8,760-row table
    back = json.loads(text)
    week = ed.week_of(back, "summer")
    assert week is not None and len(week) == 168 and pd.Timestamp(week.time[0]).weekday() == 0
    start = pd.Timestamp(week.time[0])
    full = series.window(start, 7)
    np.testing.assert_allclose(week.sources_kw["rooftop_pv"], full.sources_kw["rooftop_pv"], atol=0.005)
    np.testing.assert_allclose(week.grid_export_kw, full.grid_export_kw, atol=0.005)
    heat = ed.heatmap_of(back, "onsite_kw")
    # July at 12:00: 1,000 + 100 kW every day
    assert heat is not None and heat.shape == (12, 24) and heat[6, 12] == pytest.approx(1100.0)
    hours, curves = ed.durations_of(back)
    assert curves["load_kw"][0] == 500.0 and hours[-1] == pytest.approx(8759.5)


# ---- sizing trade-off --------------------------------------------------------------------------------

def test_sizing_chart_marks_each_option_where_its_values_are():
    curve = [{"self_sufficiency_pct": s, "annual_cost_yuan": c}
             for s, c in ((30.0, 2_600_000.0), (50.0, 2_400_000.0), (70.0, 2_700_000.0))]
    geo = {}
    img = ec.chart_image(lambda p, r: geo.setdefault("g", ec.sizing_chart(p, r, curve, "zh")), 600, 320)
    g = geo["g"]
    for s, c in ((30.0, 260.0), (50.0, 240.0), (70.0, 270.0)):  # 10⁴ yuan
        x, y = float(g.x_px(s)), float(g.y_px(c))
        assert _close(img.pixelColor(round(x), round(y)), ec.PALETTE[0], 30), (s, c)
    # the axis: 0 … 300 × 10⁴ yuan (1-2-5 step 50), self-sufficiency 30 … 70 %
    assert g.y_ticks[0] == 0.0 and g.y_ticks[-1] == 300.0
    assert g.x_range[0] <= 30.0 and g.x_range[1] >= 70.0


def test_charts_draw_no_data_without_failing():
    empty = ed.EnergySeries.from_frame(synthetic_frame().iloc[:0])
    for draw in (lambda p, r: ec.balance_chart(p, r, empty, "zh"),
                 lambda p, r: ec.heatmap_chart(p, r, np.full((12, 24), np.nan), "zh"),
                 lambda p, r: ec.duration_curve_chart(p, r, np.zeros(0), {}, "en"),
                 lambda p, r: ec.sizing_chart(p, r, [], "zh")):
        img = ec.chart_image(draw, 300, 200)
        assert not img.isNull()
    assert QRectF(0, 0, 1, 1).isValid()
