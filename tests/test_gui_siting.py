"""The Siting panel (app/gui/siting.py), its map tools (app/gui/siting_tools.py) and views
(app/gui/wind_views.py), with pytest-qt offscreen on the sample park.

References are independent of the panel: turbine results from a WindFarmModel built here with
the same inputs and called directly on the clicked coordinates; distances and containment with
shapely; PV capacity as tables × modules per table × module W by hand."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from app.gui.canvas import MapCanvas
from app.gui.siting import SitingPanel
from app.gui.wind_views import draw_wind_rose, render_power_curve, render_wind_rose, sector_frequencies
from app.siting import WindOptions
from app.workspace import Workspace

TURBINE_D_M = 21.5  # ghrepower_fd21_50 rotor (resources/wind/turbines/ghrepower_fd21_50.csv)


@pytest.fixture(scope="module")
def park():
    from gis.park import load_sample_park

    return load_sample_park()


@pytest.fixture
def setup(qtbot, park):
    ws = Workspace(lang="en")
    ws.set_park(park)
    canvas = MapCanvas(ws.tree)
    qtbot.addWidget(canvas)
    canvas.resize(900, 700)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.set_crs(ws.map_crs())
    with qtbot.waitSignal(canvas.render_finished, timeout=20_000):
        canvas.zoom_full()
    panel = SitingPanel(ws, canvas)
    qtbot.addWidget(panel)
    panel.resize(460, 900)
    panel.show()
    yield ws, canvas, panel
    canvas.shutdown()


def reference_model(park):
    """The turbine model built here, as the panel's defaults say (demo turbine, site climate)."""
    from gis.wind.farm import DEMO_TURBINE, WindFarmModel, demo_resource
    from gis.wind.turbines import load_turbine

    return WindFarmModel(load_turbine(DEMO_TURBINE), demo_resource(park), crs=park.crs,
                         buildings=park.buildings, boundary=park.boundary)


def pixel(canvas, x, y) -> QPoint:
    px, py = canvas.to_pixel(x, y)
    return QPoint(round(px), round(py))


def click(qtbot, canvas, pt: QPoint) -> tuple[float, float]:
    """Click at pixel ``pt``; the map point the tool received."""
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=pt)
    return canvas.to_map(pt.x(), pt.y())


def place_demo(qtbot, canvas, panel, park) -> list[tuple[float, float]]:
    from gis.wind.farm import demo_turbines

    canvas.set_tool("place_turbine")
    d = demo_turbines(park)
    return [click(qtbot, canvas, pixel(canvas, g.x, g.y)) for g in d.geometry]


def table_column(panel, col: int) -> list[str]:
    t = panel.wind_tab.table
    return [t.item(r, col).text() for r in range(t.rowCount())]


def test_three_clicked_turbines_match_a_direct_evaluation(qtbot, setup, park):
    ws, canvas, panel = setup
    pts = place_demo(qtbot, canvas, panel, park)
    assert panel.wind_tab.table.rowCount() == 3
    ref = reference_model(park).evaluate([p[0] for p in pts], [p[1] for p in pts], ids=["WT1", "WT2", "WT3"])
    got = panel.wind.result.turbines
    np.testing.assert_array_equal(got["aep_mwh"].to_numpy(), ref.turbines["aep_mwh"].to_numpy())
    np.testing.assert_array_equal(got["wake_loss_pct"].to_numpy(), ref.turbines["wake_loss_pct"].to_numpy())
    assert table_column(panel, 0) == ["WT1", "WT2", "WT3"]
    assert table_column(panel, 1) == [f"{v:,.1f}" for v in ref.turbines["aep_mwh"]]
    # the layer holds the same turbines at the clicked points
    lyr = ws.layer("turbines")
    assert len(lyr.gdf) == 3
    np.testing.assert_allclose(np.c_[lyr.gdf.geometry.x, lyr.gdf.geometry.y], np.array(pts), atol=1e-6)
    assert "ms" in panel.status.text()
    # the result goes to the workspace summary (saved with the project)
    assert ws.summary["wind"]["aep_mwh"] == pytest.approx(ref.totals["aep_mwh"])


def test_move_downwind_raises_wake_loss_and_undo_restores_exactly(qtbot, setup, park):
    ws, canvas, panel = setup
    place_demo(qtbot, canvas, panel, park)
    before_xy = panel.wind.xy.copy()
    before = panel.wind.result.turbines[["aep_mwh", "wake_loss_pct"]].to_numpy().copy()
    # drag WT2 to 3 D east of WT1 (uniform rose: every direction is downwind of some sector)
    x1, y1 = before_xy[0]
    target = pixel(canvas, x1 + 3 * TURBINE_D_M, y1)
    start = pixel(canvas, *before_xy[1])
    canvas.set_tool("move_turbine")
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    mid = QPoint((start.x() + target.x()) // 2, (start.y() + target.y()) // 2)
    qtbot.mouseMove(canvas, pos=mid)
    qtbot.mouseMove(canvas, pos=target)
    qtbot.wait(150)  # the throttled live evaluation while dragging
    live = panel.wind.result.turbines
    assert live["wake_loss_pct"].iloc[1] > before[1, 1]  # follows the drag before the release
    assert panel.undo_stack.count() == 3  # nothing pushed yet
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=target)
    moved = panel.wind.result.turbines
    assert panel.undo_stack.count() == 4
    tx, ty = canvas.to_map(target.x(), target.y())
    assert panel.wind.xy[1] == pytest.approx((tx, ty))
    assert math.hypot(tx - x1, ty - y1) == pytest.approx(3 * TURBINE_D_M, abs=2 * canvas.units_per_pixel())
    assert moved["wake_loss_pct"].iloc[1] > before[1, 1] + 1.0
    assert moved["wake_loss_pct"].iloc[0] > before[0, 1]
    assert moved["aep_mwh"].iloc[1] < before[1, 0]
    # spacing: 3 D < 5 D (flat rose: a circle of 5 D) → a violation between WT1 and WT2
    assert set(panel.wind.result.violations["kind"]) >= {"spacing"}
    panel.undo_stack.undo()
    np.testing.assert_array_equal(panel.wind.xy, before_xy)
    np.testing.assert_array_equal(panel.wind.result.turbines[["aep_mwh", "wake_loss_pct"]].to_numpy(), before)
    lyr = ws.layer("turbines")
    np.testing.assert_array_equal(lyr.gdf["aep_mwh"].to_numpy(), before[:, 0])
    panel.undo_stack.redo()
    assert panel.wind.xy[1] == pytest.approx((tx, ty))


def test_escape_while_dragging_puts_the_turbine_back(qtbot, setup, park):
    _ws, canvas, panel = setup
    place_demo(qtbot, canvas, panel, park)
    xy = panel.wind.xy.copy()
    canvas.set_tool("move_turbine")
    start = pixel(canvas, *xy[2])
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, pos=start + QPoint(40, 30))
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(40, 30))
    np.testing.assert_array_equal(panel.wind.xy, xy)
    assert panel.undo_stack.count() == 3


def test_delete_and_undo(qtbot, setup, park):
    ws, canvas, panel = setup
    pts = place_demo(qtbot, canvas, panel, park)
    canvas.set_tool("delete_turbine")
    click(qtbot, canvas, pixel(canvas, *pts[2]))
    assert panel.wind_tab.table.rowCount() == 2
    assert table_column(panel, 0) == ["WT1", "WT2"]
    assert len(ws.layer("turbines").gdf) == 2
    click(qtbot, canvas, QPoint(5, 5))  # nothing there: nothing deleted
    assert panel.wind_tab.table.rowCount() == 2
    panel.undo_stack.undo()
    assert table_column(panel, 0) == ["WT1", "WT2", "WT3"]


def test_turbine_inside_the_spacing_circle_is_listed(qtbot, setup, park):
    ws, canvas, panel = setup
    pts = place_demo(qtbot, canvas, panel, park)
    assert panel.wind.result.violations.empty
    listed = [panel.wind_tab.violations.item(i).text() for i in range(panel.wind_tab.violations.count())]
    # the sample park has no roads: that setback is said to be unchecked, the rest is met
    assert listed == ["No roads layer: the roads setback (from the tip height) was not checked",
                      "No violations of the rules checked"]
    x, y = click(qtbot, canvas, pixel(canvas, pts[0][0] + 2 * TURBINE_D_M, pts[0][1] + TURBINE_D_M))
    dist = math.hypot(x - pts[0][0], y - pts[0][1])
    assert dist < 5 * TURBINE_D_M  # by hand: inside the 5 D circle (uniform rose, no prevailing sector)
    v = panel.wind.result.violations
    spacing = v[v["kind"] == "spacing"]
    assert set(spacing["turbine"]) == {"WT1", "WT4"}
    assert spacing["value"].iloc[0] == pytest.approx(dist / TURBINE_D_M, abs=1e-3)  # in rotor diameters
    assert spacing["limit"].iloc[0] == pytest.approx(5.0)
    items = [panel.wind_tab.violations.item(i).text() for i in range(panel.wind_tab.violations.count())]
    assert any(t.startswith("WT4:") for t in items)
    assert len(ws.layer("wind_violations").gdf) == len(v)
    # click in the list: the map zooms to the violation (its line is in view)
    k = int(np.flatnonzero(v["kind"].to_numpy() == "spacing")[0])
    panel.zoom_to_violation(k)
    e = canvas.extent()
    assert e[0] <= min(x, pts[0][0]) and max(x, pts[0][0]) <= e[2]
    assert e[2] - e[0] < 1000  # zoomed in from the 2.4 km park
    assert list(ws.layer("wind_violations").selection) == [k]


def test_twenty_turbines_update_within_target(qtbot, setup, park):
    _ws, canvas, panel = setup
    b = park.boundary.total_bounds
    gx, gy = np.meshgrid(np.linspace(b[0] + 300, b[2] - 300, 5), np.linspace(b[1] + 300, b[3] - 300, 4))
    panel.wind.set_layout([f"WT{i + 1}" for i in range(20)], np.c_[gx.ravel(), gy.ravel()])
    assert panel.wind_tab.table.rowCount() == 20
    times = []
    canvas.set_tool("move_turbine")
    for k in range(5):  # moves of one turbine through the tool, as a user does
        t0 = time.perf_counter()
        panel.wind.begin_move(3)
        x, y = panel.from_work(np.array([gx.ravel()[3] + 10.0 * (k + 1)]), np.array([gy.ravel()[3]]))
        panel.wind.end_move(3, float(x[0]), float(y[0]))
        times.append((time.perf_counter() - t0) * 1000.0)
    ms = float(np.median(times))
    print(f"\nlive update, 20 turbines: median {ms:.1f} ms (max {max(times):.1f}), panel's own figure "
          f"{panel.wind.last_ms:.1f} ms, evaluate {panel.wind.last_eval_ms:.1f} ms")
    assert ms <= 400.0  # target 200 ms (issue 8); 400 allows for a loaded CI machine
    assert panel.wind.last_ms <= 400.0
    assert f"{panel.wind.last_ms:.0f} ms" in panel.status.text()


def test_draw_array_by_clicks_capacity_and_undo(qtbot, setup, park):
    ws, canvas, panel = setup
    b = park.boundary.total_bounds
    x0, y0 = b[0] + 600, b[1] + 400
    corners = [(x0, y0), (x0 + 200, y0), (x0 + 200, y0 + 150), (x0, y0 + 150)]
    canvas.set_tool("draw_array")
    drawn = [click(qtbot, canvas, pixel(canvas, *c)) for c in corners]
    assert ws.layer("pv_array_tables") is None  # nothing until finished
    qtbot.keyClick(canvas, Qt.Key.Key_Return)
    tables = ws.layer("pv_array_tables").gdf
    n = len(tables)
    assert n > 50
    o = panel.array.options
    assert (o.modules_up, o.modules_along, o.module_w) == (2, 14, 575.0)  # docs/pv-array.md defaults
    totals = panel.array.layout.totals()
    assert totals["modules"] == n * 28
    assert totals["kwp"] == pytest.approx(n * 28 * 575.0 / 1000.0)
    assert f"{n * 28 * 0.575:,.1f} kWp" in panel.array_tab.layout_label.text()
    # every table inside the drawn polygon, ≥ 2 m from its edge (boundary inset) and ≥ 5 m from buildings
    poly = shapely.Polygon(drawn)
    g = tables.geometry.to_numpy()
    assert shapely.contains(poly, g).all()
    assert shapely.distance(poly.exterior, g).min() >= 2.0 - 1e-6
    near = park.buildings[park.buildings.intersects(poly.buffer(50))]
    if len(near):
        assert shapely.distance(g[:, None], near.geometry.to_numpy()[None, :]).min() >= 5.0 - 1e-6
    panel.undo_stack.undo()
    assert len(ws.layer("pv_array_tables").gdf) == 0
    assert panel.array.parts is None
    panel.undo_stack.redo()
    assert len(ws.layer("pv_array_tables").gdf) == n


def test_draw_array_keys(qtbot, setup, park):
    _ws, canvas, panel = setup
    b = park.boundary.total_bounds
    x0, y0 = b[0] + 600, b[1] + 400
    canvas.set_tool("draw_array")
    tool = canvas.tools()["draw_array"]
    for c in [(x0, y0), (x0 + 200, y0), (x0 + 200, y0 + 150)]:
        click(qtbot, canvas, pixel(canvas, *c))
    assert len(tool.points) == 3
    qtbot.keyClick(canvas, Qt.Key.Key_Backspace)
    assert len(tool.points) == 2
    qtbot.keyClick(canvas, Qt.Key.Key_Return)  # two corners: not an area
    assert panel.array.parts is None
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert tool.points == []
    assert panel.undo_stack.count() == 0


def test_compute_yield_runs_in_a_task(qtbot, setup, park):
    ws, _canvas, panel = setup
    b = park.boundary.total_bounds
    x0, y0 = b[0] + 600, b[1] + 400
    panel.array.set_area_from_canvas([(x0, y0), (x0 + 120, y0), (x0 + 120, y0 + 90), (x0, y0 + 90)])
    n = len(ws.layer("pv_array_tables").gdf)
    handle = panel.array.compute_yield(show_errors=False)
    assert handle.wait(120) and handle.state == "done", handle.error
    t = ws.layer("pv_array_tables").gdf
    assert len(t) == n and "kwh_yr" in t
    s = panel.array.result.totals
    assert s["kwp"] == pytest.approx(n * 28 * 0.575)
    assert 800 < s["kwh_per_kwp"] < 1300  # Hangzhou-area fixed tilt (docs/pv-array.md: ~1,004 at the optimum)
    assert s["t_co2_yr"] == pytest.approx(s["kwh_yr"] * panel.array.result.grid_factor.kg_co2_per_kwh / 1000,
                                          rel=1e-3)
    assert "kWh/kWp" in panel.array_tab.yield_label.text()
    assert ws.summary["pv_array"]["kwh_yr"] == s["kwh_yr"]
    # an edit afterwards: the stored yield no longer applies
    panel.array.set_area_from_canvas([(x0, y0), (x0 + 100, y0), (x0 + 100, y0 + 90), (x0, y0 + 90)])
    assert "pv_array" not in ws.summary


def test_settings_change_re_evaluates(qtbot, setup, park):
    ws, canvas, panel = setup
    place_demo(qtbot, canvas, panel, park)
    jensen = panel.wind.result.turbines["wake_loss_pct"].to_numpy()
    tab = panel.wind_tab
    tab.wake.setCurrentIndex(tab.wake.findData("bastankhah"))
    tab.apply()
    assert panel.wind.model.settings.wake.model == "bastankhah"
    assert not np.array_equal(panel.wind.result.turbines["wake_loss_pct"].to_numpy(), jensen)
    assert ws.settings["siting"]["wind"]["wake"] == "bastankhah"
    # a Weibull A 6 / k 2 at hub height (DOMAIN.md §6 case): mean speed Γ(1.5)·6 = 5.32 m/s at the hub
    tab.resource.setCurrentIndex(tab.resource.findData("weibull"))
    tab.apply()
    mean = panel.wind.result.turbines["mean_speed_ms"].iloc[0]
    assert mean == pytest.approx(6.0 * math.gamma(1.5), rel=1e-3)
    # a generic turbine: its rated power is what the form says
    tab.turbine.setCurrentIndex(tab.turbine.findData("generic"))
    tab.generic_kw.setValue(200.0)
    tab.apply()
    assert panel.wind.turbine.rated_kw == 200.0
    assert panel.wind.result.totals["capacity_kw"] == pytest.approx(3 * 200.0)
    assert panel.wind_tab.curve.turbine is panel.wind.turbine


def test_own_undo_stack_shortcuts(qtbot, setup, park):
    _ws, canvas, panel = setup
    assert panel.own_stack
    place_demo(qtbot, canvas, panel, park)
    canvas.activateWindow()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.wind_tab.table.rowCount() == 2
    redo = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(canvas, Qt.Key.Key_Z, redo)
    assert panel.wind_tab.table.rowCount() == 3


def test_adopts_existing_turbines(qtbot, park):
    """A turbines layer already in the workspace (the demo's) is the layout to edit."""
    from gis.wind.farm import demo_turbines
    from layers.presets import styled_layer

    ws = Workspace(lang="en")
    ws.set_park(park)
    ws.add_layer(styled_layer("turbines", demo_turbines(park)), "results")
    canvas = MapCanvas(ws.tree)
    qtbot.addWidget(canvas)
    canvas.set_crs(ws.map_crs())
    panel = SitingPanel(ws, canvas)
    qtbot.addWidget(panel)
    assert panel.wind.ids == ["WT1", "WT2", "WT3"]
    panel.show()
    assert panel.wind_tab.table.rowCount() == 3
    canvas.shutdown()


def test_install_siting_in_a_window(qtbot, park, tmp_path, monkeypatch):
    from app.gui import project_actions
    from app.gui.main_window import MainWindow
    from app.gui.settings import use_settings_dir

    use_settings_dir(tmp_path)
    monkeypatch.setattr(project_actions, "ask_save_changes", lambda mw: "discard")
    ws = Workspace(lang="en")
    ws.set_park(park)
    win = MainWindow(ws)
    qtbot.addWidget(win)
    panel = win.siting  # installed by the window through win.add_panel
    assert panel.undo_stack is win.undo_stack and not panel.own_stack
    assert any(a.objectName() == "act_siting" for a in win.menu_analysis.actions())
    assert panel.dock.objectName() == "dock_siting" and win.panels["siting"].dock is panel.dock
    assert panel.dock.toggleViewAction() in win.menu_panels.actions()
    for name in ("place_turbine", "move_turbine", "delete_turbine", "draw_array"):
        assert name in win.canvas.tools()
    panel.show_action.trigger()
    assert panel.dock.isVisibleTo(win)
    panel.tool_actions["place_turbine"].trigger()
    assert win.canvas.tool() == "place_turbine"
    assert not any(a.isChecked() for a in win.map_actions.values())  # the window's map tools: none on
    win.canvas.set_tool("pan")
    assert not panel.tool_actions["place_turbine"].isChecked()
    # the window shows another workspace (a project opened) on a new canvas: the panel follows
    ws2 = Workspace(lang="en")
    ws2.set_park(park)
    old = win.canvas
    win.set_workspace(ws2)
    assert win.canvas is not old
    assert panel.canvas is win.canvas and panel.workspace is ws2 and "place_turbine" in win.canvas.tools()
    ws2.mark_clean()


def test_options_round_trip():
    o = WindOptions(wake="bastankhah", setback_roads_m=40.0)
    assert WindOptions.from_dict(o.to_dict()) == o
    assert WindOptions().turbine == "ghrepower_fd21_50" and WindOptions().spacing_downwind_d == 5.0


# ---- views --------------------------------------------------------------------------------------

def test_wind_rose_sums_to_one_and_renders(park):
    from gis.wind.farm import demo_resource

    c = demo_resource(park).climate
    centres, freq, energy = sector_frequencies(c)
    assert freq.sum() == pytest.approx(1.0) and energy.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(centres, np.arange(12) * 30.0)
    img = render_wind_rose(c, 240, 240, title="风玫瑰 wind rose")
    assert not img.isNull() and img.width() == 240


def test_wind_rose_north_is_up():
    """All the wind from the north sector: the bar points up, nothing below the centre."""
    img = QImage(200, 200, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    sq = draw_wind_rose(p, QRectF(0, 0, 200, 200), [0, 90, 180, 270], [1.0, 0.0, 0.0, 0.0])
    p.end()
    cx, cy, r = sq.center().x(), sq.center().y(), sq.width() / 2
    up = img.pixelColor(int(cx), int(cy - 0.6 * r))
    down = img.pixelColor(int(cx), int(cy + 0.6 * r))
    assert up.blue() > 150 and up.red() < 100  # the blue bar
    assert down.red() > 200 and down.green() > 200  # white (or a grey ring), no bar


def test_power_curve_renders():
    from gis.wind.turbines import load_turbine

    t = load_turbine("ghrepower_fd21_50")
    img = render_power_curve(t, 320, 200)
    assert not img.isNull()
    # the chart drew something besides the white background
    colours = {img.pixel(x, y) for x in range(0, 320, 7) for y in range(0, 200, 7)}
    assert len(colours) > 2


def test_without_a_park_the_tools_say_why(qtbot):
    ws = Workspace(lang="en")
    canvas = MapCanvas(ws.tree)
    qtbot.addWidget(canvas)
    panel = SitingPanel(ws, canvas)
    qtbot.addWidget(panel)
    panel.wind.add_turbine(0.0, 0.0)
    assert panel.wind.ids == [] and panel.status.text()  # a message, no crash, nothing placed
    panel.array.set_area_from_canvas([(0, 0), (100, 0), (100, 100)])
    assert panel.array.parts is None
    assert panel.undo_stack.count() == 0
    canvas.shutdown()


def test_user_power_curve_csv(qtbot, setup, park, tmp_path):
    from gis.wind.farm import WindFarmModel, demo_resource
    from gis.wind.turbines import read_curve_file

    _ws, _canvas, panel = setup
    csv = tmp_path / "my_30kw.csv"
    csv.write_text("# name: Test 30 kW\n# rotor_diameter_m: 15\n# hub_height_m: 30\n风速(m/s),功率(kW)\n"
                   + "\n".join(f"{v},{min(30.0, 0.03 * v ** 3):.3f}" for v in range(3, 26)) + "\n",
                   encoding="utf-8")
    panel.wind_tab.add_curve(str(csv))
    assert panel.wind.turbine.name == "Test 30 kW"
    b = park.boundary.total_bounds
    x, y = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    panel.wind.place_work(x, y)
    ref = WindFarmModel(read_curve_file(csv), demo_resource(park), crs=park.crs, buildings=park.buildings,
                        boundary=park.boundary).evaluate(panel.wind.xy[:, 0], panel.wind.xy[:, 1])
    assert panel.wind.result.turbines["aep_mwh"].iloc[0] == ref.turbines["aep_mwh"].iloc[0]
    assert panel.wind.result.totals["capacity_kw"] == pytest.approx(30.0)


def test_layout_survives_new_analysis_results(qtbot, setup, park):
    """"Run all" replaces every result layer (the siting ones too): the panel puts its turbines and
    array back and into the new results."""
    from app.results import ParkResults

    ws, canvas, panel = setup
    place_demo(qtbot, canvas, panel, park)
    b = park.boundary.total_bounds
    x0, y0 = b[0] + 600, b[1] + 400
    panel.array.set_area_from_canvas([(x0, y0), (x0 + 120, y0), (x0 + 120, y0 + 90), (x0, y0 + 90)])
    n = len(ws.layer("pv_array_tables").gdf)
    ws.set_results(ParkResults(park=park, summary=dict(ws.summary)))
    assert ws.layer("turbines") is None  # removed by the workspace
    qtbot.waitUntil(lambda: ws.layer("turbines") is not None, timeout=3000)
    assert len(ws.layer("turbines").gdf) == 3 and ws.results.wind is panel.wind.result
    assert len(ws.layer("pv_array_tables").gdf) == n


def test_array_setbacks_from_the_tab_reach_the_layout_and_the_yield(qtbot, setup, park):
    """Building setback 2 m and road setback 20 m typed in the PV array tab: every table keeps
    ≥ 2 m from the buildings and ≥ 20 m from the road (shapely distances), and tables do come
    closer than 20 m to buildings (so the two setbacks are not swapped) — in the live layout
    and in the yield run."""
    import geopandas as gpd

    from layers.presets import styled_layer

    ws, _canvas, panel = setup
    b = park.buildings
    big = b.loc[b.area.idxmax()]
    c = big.geometry.centroid
    area = [(c.x - 90, c.y - 90), (c.x + 90, c.y - 90), (c.x + 90, c.y + 90), (c.x - 90, c.y + 90)]
    road = shapely.LineString([(c.x - 200, c.y - 60), (c.x + 200, c.y - 60)])
    ws.add_layer(styled_layer("test_road", gpd.GeoDataFrame({"name": ["road"]}, geometry=[road],
                                                            crs=park.crs)))
    panel.fill_layer_combos()
    tab = panel.array_tab
    tab.buildings.setValue(2.0)
    tab.road.setValue(20.0)
    tab.roads.setCurrentIndex(tab.roads.findData("test_road"))
    assert tab.roads.currentData() == "test_road"
    tab.apply()
    panel.array.set_area_from_canvas(area)

    near = park.buildings[park.buildings.intersects(shapely.Polygon(area).buffer(30))].geometry.to_numpy()

    def check(tables):
        g = tables.geometry.to_numpy()
        assert len(g) > 10
        to_road = shapely.distance(road, g)
        to_bldg = shapely.distance(g[:, None], near[None, :]).min(axis=1)
        assert to_road.min() >= 20.0 - 1e-6, to_road.min()
        assert to_bldg.min() >= 2.0 - 1e-6, to_bldg.min()
        assert to_bldg.min() < 10.0, to_bldg.min()  # a 20 m building setback would forbid this
        assert to_road.min() < 25.0, to_road.min()  # the road setback is 20 m, not more

    check(ws.layer("pv_array_tables").gdf)
    s = panel.array.options.settings()  # what the yield run gets
    assert (s.building_setback_m, s.road_setback_m) == (2.0, 20.0)
    handle = panel.array.compute_yield(show_errors=False)
    assert handle.wait(120) and handle.state == "done", handle.error
    check(panel.array.result.tables)


def test_a_new_empty_project_forgets_the_previous_turbines_and_wind_rose(qtbot, setup, park):
    """After switching to a new empty project the panel shows no turbines, no wind rose and no
    power curve of the previous park (the walk-through still saw them)."""
    _ws, canvas, panel = setup
    place_demo(qtbot, canvas, panel, park)
    assert panel.wind_tab.table.rowCount() == 3 and panel.wind_tab.rose.climate is not None
    empty = Workspace(lang="en")
    panel.bind(empty, canvas)
    assert panel.wind.ids == []
    assert panel.wind_tab.table.rowCount() == 0
    assert panel.wind_tab.rose.climate is None
    assert panel.wind_tab.curve.turbine is None
