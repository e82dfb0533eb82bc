"""The Five-colour panel (issues #19, #20) on the sample park: the year slider recolours the township
layer with the classes computed here independently, and drilling into a township shows its
enterprises, whose sum (spatial join done here with shapely) is the township's total; Back returns."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

K_BREAKS = (0.6, 0.8, 1.2, 2.0)  # Zhejiang carbon-efficiency grades (DOMAIN.md §3), typed here


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
def window(gui, qtbot, monkeypatch):
    from app.gui.main_window import MainWindow
    from app.intensity_map import intensity_map
    from app.workspace import compose_results

    w = MainWindow()
    monkeypatch.setattr(w, "maybe_save", lambda: True)  # no "save changes?" dialog at close
    qtbot.addWidget(w)
    w.resize(1440, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.five_colour.dock.isHidden()  # hidden until a five-colour map exists
    park = w.workspace.load_sample()
    result = intensity_map(park.townships, park.township_stats)
    w.workspace.set_results(compose_results(park, intensity=result), show={"township_intensity"})
    qtbot.waitUntil(lambda: w.five_colour.year_map is not None, timeout=20_000)
    yield w
    w.canvas.wait_for_render()


def _classes_by_hand(k: np.ndarray) -> np.ndarray:
    """lower < K ≤ upper → class 1–5; NaN → 0 (the five-colour rule, written out here)."""
    out = np.zeros(len(k), dtype=int)
    ok = np.isfinite(k)
    out[ok] = np.searchsorted(np.asarray(K_BREAKS), k[ok], side="left") + 1
    return out


def test_dock_appears_with_the_years(window):
    p = window.five_colour
    assert not p.dock.isHidden()
    assert p.years == list(range(2015, 2025))
    assert p.year == 2024  # the map's own year
    assert p.title.text() == "逐年五色图"
    assert "2024" in p.mode.itemText(0)


def test_slider_recolours_the_layer_with_classes_computed_independently(window, qtbot):
    from app.intensity_map import intensity_map

    p = window.five_colour
    park = window.workspace.park
    layer = window.workspace.layer("township_intensity")
    frame_before, version_before = layer.gdf, layer.data_version
    ref = intensity_map(park.townships, park.township_stats)  # 2024: the reference benchmark
    y2016 = intensity_map(park.townships, park.township_stats, year=2016)  # a separate full run
    p.slider.setValue(p.years.index(2016))  # as a user's drag does
    assert p.year == 2016 and p.year_label.text() == "2016"
    # reference breaks: K = 2016 intensity ÷ the 2024 map's benchmark, classes by hand
    k = y2016.layer["intensity"].to_numpy(float) / ref.classification.benchmark
    expected = _classes_by_hand(k)
    assert np.array_equal(layer.gdf["class"].to_numpy(), expected)
    assert not np.array_equal(expected, ref.layer["class"].to_numpy())  # 2016 differs from 2024
    assert np.allclose(layer.gdf["value"].to_numpy(float), y2016.layer["intensity"].to_numpy(float),
                       equal_nan=True)
    # recoloured in place: the same layer and frame, no new data version (geometry caches kept)
    assert window.workspace.layer("township_intensity") is layer
    assert layer.gdf is frame_before and layer.data_version == version_before
    assert "2016" in layer.style.title_zh and "各年颜色可比" in layer.style.method_zh
    # per-year breaks: 2016 classified on its own benchmark = the full run for 2016
    p.set_mode("per_year")
    assert np.array_equal(layer.gdf["class"].to_numpy(), y2016.layer["class"].to_numpy())
    assert "同一年内可比" in p.note.text()


def test_drill_down_and_back(window, qtbot):
    p = window.five_colour
    ws, canvas = window.workspace, window.canvas
    layer = ws.layer("township_intensity")
    assert p.crumbs == ["区县", "乡镇"]
    canvas.zoom_to_layer(layer)
    canvas.wait_for_render()
    extent_before = canvas.extent()
    # double-click the township that holds the park (临浦街道) on the map
    key = "330199001"
    poly = layer.in_crs(canvas.crs())
    poly = poly[poly["join_key"] == key].geometry.iloc[0]
    pt = shapely.get_coordinates(poly.representative_point())[0]
    px, py = canvas.to_pixel(pt[0], pt[1])
    from PySide6.QtCore import QPoint, Qt

    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(px), round(py)))
    qtbot.waitUntil(lambda: p.level == "enterprise", timeout=20_000)
    assert p.crumbs == ["区县", "临浦街道", "企业"]
    ent = ws.layer("enterprise_points")
    assert ent is not None and ent.visible
    level = p.levels[p.year]
    # the spatial join done here: every placed enterprise tested against every township polygon
    towns = layer.gdf
    inside = np.array([shapely.covers(towns.geometry[towns["join_key"] == key].union_all(), g)
                       for g in level.points.geometry])
    mine = level.points[inside]
    assert len(mine) == len(ent.gdf) > 0
    assert set(ent.gdf["entity"]) == set(mine["entity"])
    assert float(ent.gdf["t_co2"].sum()) == pytest.approx(float(mine["t_co2"].sum()), rel=1e-12)
    total = level.totals.set_index("township").loc[key, "t_co2"]
    assert total == pytest.approx(float(mine["t_co2"].sum()), rel=1e-12)
    assert f"{len(mine)} 家企业" in p.totals.text()
    assert "未能定位" in p.reconcile.text() or "未定位" in p.reconcile.text()
    # the grade colours of the enterprise layer are the grades' five colours
    from gis.carbon.grades import GRADE_COLOURS

    g = ent.gdf["grade"].dropna().astype(int).to_numpy()
    assert set(ent.style.colours()) == set(GRADE_COLOURS) and g.min() >= 1 and g.max() <= 5
    # the extent zoomed to the township
    w_before = extent_before[2] - extent_before[0]
    assert canvas.extent()[2] - canvas.extent()[0] < w_before
    p.back_button.click()
    assert p.level == "township" and p.crumbs == ["区县", "乡镇"]
    assert ws.layer("enterprise_points") is None
    assert canvas.extent() == pytest.approx(extent_before)


def test_drill_button_needs_a_selection(window):
    p = window.five_colour
    layer = window.workspace.layer("township_intensity")
    layer.selection = []
    p.drill_button.click()
    assert p.level == "township" and "选择" in p.hint.text()
    rows = np.flatnonzero(layer.gdf["join_key"].to_numpy() == "330199001")
    layer.selection = rows[:1]
    p.drill_button.click()
    assert p.level == "enterprise"
