"""Panels of the main window on their own: attribute table (100,000 rows), layer tree model,
styles, dashboard, settings, open data (CRS prompt, GCJ-02, layer choice)."""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt

from layers.layer import VectorLayer
from layers.tree import LayerTree
from tests.conftest import shared


@pytest.fixture
def gui(qapp, tmp_path, monkeypatch):
    from app.gui import i18n
    from app.gui.app import create_app
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    app = create_app(lang="en")
    yield app
    i18n.reset_for_tests()


def _points(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    h = rng.random(n) * 50
    h[::97] = np.nan  # missing heights
    return gpd.GeoDataFrame(
        {"name": [f"b{i:06d}" for i in range(n)], "height_m": h,
         "use": rng.choice(["工业", "办公", "仓储"], n), "floors": rng.integers(1, 12, n)},
        geometry=shapely.points(rng.random(n) * 1000, rng.random(n) * 1000), crs=4549)


# ---- attribute table ----------------------------------------------------------------------------

def test_attribute_table_100k_rows_load_sort_filter_fast(gui, qtbot):
    from app.gui.attribute_table import AttributeTable

    gdf = _points(100_000)
    layer = VectorLayer("b", gdf)
    w = AttributeTable()
    qtbot.addWidget(w)
    w.resize(900, 500)
    w.show()
    t0 = time.perf_counter()
    w.set_layer(layer)
    qtbot.wait(1)
    load_s = time.perf_counter() - t0
    assert w.model.rowCount() == 100_000
    assert load_s < 2.0, load_s  # no per-row Python work (measured ~0.1 s)
    col = w.model.columns.index("height_m")
    t0 = time.perf_counter()
    w.sort(col, Qt.SortOrder.DescendingOrder)
    sort_s = time.perf_counter() - t0
    assert sort_s < 1.0, sort_s
    h = gdf["height_m"].to_numpy()
    finite = np.sort(h[np.isfinite(h)])[::-1]
    shown = [float(w.model.data(w.model.index(r, col))) for r in range(5)]
    assert shown == pytest.approx(np.round(finite[:5], 4))
    assert w.model.data(w.model.index(99_999, col)) == ""  # missing values last
    t0 = time.perf_counter()
    w.filter.setText("B00012")  # case-insensitive, any column
    w.apply_filter()
    filter_s = time.perf_counter() - t0
    assert filter_s < 2.0, filter_s
    expected = gdf.index[gdf["name"].str.contains("b00012")]
    assert w.model.rowCount() == len(expected) == 10  # b000120 … b000129
    # 33,334 scattered rows selected on the map: shown without building a Qt selection per row
    w.filter.setText("")
    w.apply_filter()
    t0 = time.perf_counter()
    layer.selection = np.arange(0, 100_000, 3)
    assert time.perf_counter() - t0 < 1.0
    assert w.model.selected_mask.sum() == 33_334
    assert "33,334 selected" in w.count.text()


def test_table_selection_maps_view_rows_to_layer_rows(gui, qtbot):
    from app.gui.attribute_table import AttributeTable, runs

    gdf = _points(50)
    layer = VectorLayer("b", gdf)
    w = AttributeTable()
    qtbot.addWidget(w)
    w.set_layer(layer)
    col = w.model.columns.index("floors")
    w.sort(col, Qt.SortOrder.AscendingOrder)
    order = np.argsort(gdf["floors"].to_numpy(), kind="stable")
    sm = w.view.selectionModel()
    sm.select(w.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
              | QItemSelectionModel.SelectionFlag.Rows)
    sm.select(w.model.index(1, 0), QItemSelectionModel.SelectionFlag.Select
              | QItemSelectionModel.SelectionFlag.Rows)
    assert list(layer.selection) == sorted(order[:2].tolist())
    layer.selection = [order[10], order[11], order[30]]
    view_rows = sorted({i.row() for i in sm.selectedRows()})
    assert view_rows == [10, 11, 30]
    assert runs(np.array([1, 2, 3, 7, 8, 10])) == [(1, 3), (7, 8), (10, 10)]
    w.only_selected.setChecked(True)
    assert w.model.rowCount() == 3


def test_export_csv_and_xlsx_read_back(gui, qtbot, tmp_path):
    import openpyxl

    from app.gui.attribute_table import AttributeTable

    gdf = _points(20)
    layer = VectorLayer("b", gdf)
    w = AttributeTable()
    qtbot.addWidget(w)
    w.set_layer(layer)
    layer.selection = [3, 4, 19]
    n = w.export(tmp_path / "sel.csv", selected=True)
    assert n == 3
    raw = (tmp_path / "sel.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 Chinese correctly
    back = pd.read_csv(tmp_path / "sel.csv", encoding="utf-8-sig")
    assert list(back["name"]) == ["b000003", "b000004", "b000019"]
    assert list(back["use"]) == list(gdf["use"].iloc[[3, 4, 19]])
    geoms = shapely.from_wkt(back["wkt"].to_numpy())
    assert all(shapely.equals(geoms, gdf.geometry.iloc[[3, 4, 19]].to_numpy()))
    assert w.export(tmp_path / "all.xlsx") == 20
    ws = openpyxl.load_workbook(tmp_path / "all.xlsx").active
    header = [c.value for c in ws[1]]
    assert header == ["name", "height_m", "use", "floors"]
    assert ws.max_row == 21
    assert ws.cell(row=3, column=1).value == "b000001"


def test_export_runs_in_a_task_with_a_safe_sheet_name(gui, qtbot, tmp_path, monkeypatch):
    """Export ▸ writes in a worker thread (a big table must not stall the window) and a layer
    title with characters Excel forbids in sheet names ([]:*?/\\) still exports."""
    import threading

    import openpyxl

    from app.gui import attribute_table as at

    threads = []
    real = at.write_rows

    def spy(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(at, "write_rows", spy)
    layer = VectorLayer("b", _points(30), title="厂房[一期]: A*B?/C\\D 以及一个很长很长很长很长的标题名称")
    w = at.AttributeTable()
    qtbot.addWidget(w)
    w.set_layer(layer)
    handle = w.export_dialog(False, path=tmp_path / "t.xlsx")
    assert handle is not None and handle.wait(60) and handle.state == "done", handle.error
    assert threads == [False]  # written in the worker, not the GUI thread
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    # forbidden characters → "_", cut to Excel's 31 characters (counted by hand)
    assert book.sheetnames == ["厂房_一期__ A_B__C_D 以及一个很长很长很长很长的标"]
    assert book.active.max_row == 31
    assert at.sheet_name("History") != "History" and at.sheet_name("[]") == "__"
    # an unwritable target: a bilingual InputError, shown, not an uncaught exception
    (tmp_path / "dir.csv").mkdir()
    handle = w.export_dialog(False, path=tmp_path / "dir.csv")
    assert handle.wait(60) and handle.state == "failed"
    from gis.errors import InputError

    assert isinstance(handle.error, InputError) and handle.error.zh and handle.error.en
    assert handle.message_box is not None
    handle.message_box.close()


# ---- layer tree model ---------------------------------------------------------------------------

def _tree():
    tree = LayerTree()
    g = tree.add_group("inputs")
    a = VectorLayer("a", _points(5), title="A")
    b = VectorLayer("b", _points(5), title="B")
    c = VectorLayer("c", _points(5), title="C")
    tree.add_layer(a, g)
    tree.add_layer(b, g)
    tree.add_layer(c)
    return tree, g, a, b, c


def test_layer_model_order_check_rename_and_drag(gui, qtbot):
    from app.gui.layer_panel import LayerPanel

    tree, g, a, b, c = _tree()
    panel = LayerPanel(tree)
    qtbot.addWidget(panel)
    m = panel.model
    root = QModelIndex()
    # top first: c (added last to the root) above the group
    assert [m.data(m.index(r, 0, root)) for r in range(m.rowCount(root))] == ["C", "inputs"]
    gi = m.index(1, 0, root)
    assert [m.data(m.index(r, 0, gi)) for r in range(m.rowCount(gi))] == ["B", "A"]
    # check box of the group hides its layers from the map
    m.setData(gi, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not g.visible and tree.visible_layers() == [c]
    m.setData(gi, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    # rename in place sets the title (display name), the key stays
    ai = m.index_of(a)
    assert m.setData(ai, "甲", Qt.ItemDataRole.EditRole)
    assert a.title == "甲" and a.name == "a"
    # drag: A to the top of the group (view row 0), then C into the group between B and A
    mime = m.mimeData([m.index_of(a)])
    m.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, m.index_of(g))
    assert g.children == [b, a]  # bottom → top: A now drawn above B
    mime = m.mimeData([m.index_of(c)])
    m.dropMimeData(mime, Qt.DropAction.MoveAction, 1, 0, m.index_of(g))
    assert g.children == [b, c, a]
    assert [ly.name for ly in tree.layers()] == ["b", "c", "a"]
    assert not m.canDropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, m.index_of(a))  # not onto a layer


def test_layer_panel_remove_opacity_and_group(gui, qtbot):
    from app.gui.layer_panel import LayerPanel

    tree, _g, a, b, _c = _tree()
    panel = LayerPanel(tree)
    qtbot.addWidget(panel)
    panel.set_current(b)
    assert panel.current_layer() is b
    panel.opacity.slider.setValue(40)
    assert b.opacity == pytest.approx(0.4)
    assert tree.effective_opacity(b) == pytest.approx(0.4)
    panel.remove_node(b)
    assert b not in tree.layers()
    new = panel.add_group("结果")
    assert new in tree.groups()
    menu = panel.build_menu(a)
    texts = [act.text() for act in menu.actions()]
    assert "Zoom to Layer" in texts and "Open Attribute Table" in texts and "Remove" in texts


def test_style_quick_changes(gui, qtbot):
    from app.gui.layer_panel import LayerPanel
    from layers.style import FIVE_COLOURS, CategorizedStyle, GraduatedStyle, SingleStyle

    tree = _tree()[0]
    layer = VectorLayer("big", _points(1000, seed=3))
    tree.add_layer(layer)
    panel = LayerPanel(tree)
    qtbot.addWidget(panel)
    panel.apply_graduated(layer, "height_m")
    st = layer.style
    assert isinstance(st, GraduatedStyle) and st.value_field == "height_m"
    assert st.colours() == list(FIVE_COLOURS)
    h = layer.gdf["height_m"]
    counts = [cb.count for cb in st.classes]
    assert sum(counts) == h.notna().sum()
    assert abs(max(counts) - min(counts)) <= 3  # quantiles: equal counts (ties aside)
    # legend rows under the layer: five classes (no-data row when there are missing values)
    li = panel.model.index_of(layer)
    assert panel.model.rowCount(li) in (5, 6)
    panel.apply_categorized(layer, "use")
    assert isinstance(layer.style, CategorizedStyle)
    assert {cat.value for cat in layer.style.categories} == {"工业", "办公", "仓储"}
    assert sum(cat.count for cat in layer.style.categories) == 1000
    panel.apply_single(layer, "#336699")
    assert isinstance(layer.style, SingleStyle) and layer.style.fill == "#336699"
    assert panel.model.rowCount(panel.model.index_of(layer)) == 0  # single: swatch on the row itself
    assert panel.model.data(panel.model.index_of(layer), Qt.ItemDataRole.DecorationRole) is not None


# ---- dashboard ----------------------------------------------------------------------------------

def _summary():
    lines = lambda gross, pv, sinks: {  # noqa: E731
        "gross_t_co2": gross, "pv_avoided_self_t_co2": pv, "pv_exported_avoided_t_co2": 0.0,
        "green_power_avoided_t_co2": 0.0, "sinks_t_co2": sinks, "pv_kwh_yr": pv * 2000,
        "net_t_co2": gross - pv - sinks}
    ind = lambda sc, status: {"scenario": sc, "name_zh": "单位能耗碳排放",  # noqa: E731
                              "name_en": "carbon per energy", "value": 3.5, "comparator": "<=",
                              "threshold": 0.2, "unit": "tCO2/tce", "status": status}
    return {
        "park": {"name": "测试园", "area_m2": 666_666.7},
        "pv": {"kwp": 1234.5, "kwh_yr": 1_500_000.0, "monthly_kwh": [100_000.0] * 12},
        "carbon": {
            "sinks_t_co2_yr": 12.5,
            "emissions": {"total": {"year": 2024, "t_co2": 10_000.0},
                          "by_fuel": [{"fuel": "raw_coal", "fuel_zh": "原煤", "t_co2": 4000.0},
                                      {"fuel": "electricity", "fuel_zh": "电力", "t_co2": 6000.0}],
                          "by_sector": [{"sector": "纺织", "t_co2": 7000.0},
                                        {"sector": "食品", "t_co2": 3000.0}]},
            "balance": {"scenarios": [
                {"scenario": "现状 status quo", "lines": lines(10_000.0, 0.0, 12.5)},
                {"scenario": "屋顶光伏 rooftop PV", "lines": lines(10_000.0, 750.0, 12.5)}],
                        "indicators": [ind("现状 status quo", "fail"), ind("屋顶光伏 rooftop PV", "pass")]},
        },
    }


def test_dashboard_cards_scenarios_and_indicators(gui, qtbot):
    from app.gui.dashboard import Dashboard
    from app.gui.settings import AppSettings

    d = Dashboard()
    qtbot.addWidget(d)
    d.resize(420, 1600)
    d.show()
    d.set_summary({})
    assert d.empty.isVisible() and np.isnan(d.values["pv_kwp"])
    d.set_summary(_summary())
    assert not d.empty.isVisible()
    assert d.cards["pv_kwp"][1].text() == "1,234"  # 1234.5 rounds half to even
    assert d.cards["pv_kwh"][1].text() == "1,500"  # MWh/yr
    assert d.scenario.currentIndex() == 1  # the first scenario with PV
    assert d.values["net_t_co2"] == pytest.approx(10_000 - 750 - 12.5)
    assert d.indicators.item(0, 3).text() == "pass"
    d.set_scenario(0)
    assert d.values["net_t_co2"] == pytest.approx(10_000 - 12.5)
    assert d.indicators.item(0, 3).text() == "fail"
    assert d.indicators.item(0, 2).text() == "≤ 0.2 tCO2/tce"
    assert d.scenario.itemText(1) == "rooftop PV"  # English half of the bilingual name
    AppSettings().area_unit = "mu"
    d.retranslate_ui()
    assert d.cards["area"][1].text() == "1,000.0 mu"  # 666,666.7 m² / (10,000/15 m² per 亩)
    img = d.chart_balance.grab()
    assert not img.isNull()
    bars = d.chart_balance.geometry_info.bars  # status quo: gross, sinks, net
    assert [b.series for b in bars] == ["total", "down", "net"]
    assert bars[-1].value == pytest.approx(10_000 - 12.5)


def test_dashboard_shows_a_park_name_with_markup_as_typed(gui, qtbot):
    """A red line's name field is the user's text: markup in it is shown, not rendered (a rich-text
    label would draw "<b>园</b>" as a bold 园, three characters wide instead of ten)."""
    from PySide6.QtGui import QFontMetrics

    from app.gui.dashboard import Dashboard

    name = "{{7*7}}<b>园</b>{% if 1 %}x{% endif %}"
    d = Dashboard()
    qtbot.addWidget(d)
    summary = _summary()
    summary["park"]["name"] = name
    d.set_summary(summary)
    assert d.title.text() == name
    shown = QFontMetrics(d.title.font()).horizontalAdvance(name)
    assert d.title.sizeHint().width() >= shown  # every character of the tags takes its place


# ---- settings -----------------------------------------------------------------------------------

def test_settings_defaults_round_trip_and_dialog(gui, qtbot):
    from app.gui.i18n import ui_lang
    from app.gui.settings import AppSettings, format_area
    from app.gui.settings_dialog import SettingsDialog

    s = AppSettings()
    assert s.network is False  # nothing downloaded until the user allows it
    assert s.area_unit == "m2" and s.factor_set == "national-2023" and s.indicator_set == "national-2025"
    assert (s.module_w, s.module_length_m, s.module_width_m) == (575.0, 2.278, 1.134)
    assert s.storey_heights["industrial"] == 6.0 and s.storey_heights["office"] == 3.6
    assert s.basemap_source() is None
    s.storey_heights = {**s.storey_heights, "office": 3.9}
    assert AppSettings().storey_heights["office"] == 3.9
    assert format_area(666.6667, "mu") == "1.0 mu"
    assert format_area(25_000, "ha") == "2.50 ha"
    dlg = SettingsDialog(None, s)
    qtbot.addWidget(dlg)
    dlg.network.setChecked(True)
    dlg.basemap.setCurrentIndex(dlg.basemap.findData("osm"))
    dlg.module_w.setValue(600)
    dlg.factor_set.setCurrentIndex(dlg.factor_set.findData("national-2022"))
    dlg.language.setCurrentIndex(dlg.language.findData("zh"))
    dlg.accept()
    s2 = AppSettings()
    assert s2.network is True and s2.basemap == "osm" and s2.module_w == 600
    assert s2.factor_set == "national-2022"
    assert s2.basemap_source() is not None and "openstreetmap" in s2.basemap_source().templates[0]
    assert s2.language == "zh" and ui_lang() == "zh"
    assert dlg.windowTitle() == "设置"  # retranslated live
    s2.reset()
    assert AppSettings().network is False and AppSettings().language == "zh"


def test_translator_switches_both_ways(gui):
    from PySide6.QtCore import QCoreApplication

    from app.gui.i18n import install_translator

    assert install_translator(gui, "zh")
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    assert QCoreApplication.translate("Settings", "mu") == "亩"
    install_translator(gui, "en")
    assert QCoreApplication.translate("MainWindow", "&File") == "&File"


# ---- open data ----------------------------------------------------------------------------------

@pytest.fixture
def window(gui, qtbot, monkeypatch):
    from app.gui import project_actions
    from app.gui.main_window import MainWindow

    monkeypatch.setattr(project_actions, "ask_save_changes", lambda mw: "discard")
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def test_crs_dialog_choices(gui, qtbot):
    from app.gui.open_data import CrsDialog
    from gis.crs import parse_crs

    dlg = CrsDialog(None, "", [("EPSG:4528", "easting prefix 40")])
    qtbot.addWidget(dlg)
    assert dlg.choice() == "EPSG:4528"
    dlg.select_code("gcj02")
    assert dlg.choice() == "gcj02"
    dlg.kind.setCurrentIndex(dlg.kind.count() - 2)  # Gauss–Krüger
    dlg.zone.setValue(40)
    assert dlg.choice() == "cgcs2000-gk3-40"
    assert parse_crs(dlg.choice()).crs.to_epsg() == 4528  # EPSG: CGCS2000 / 3-degree GK zone 40
    dlg.zone_kind.setCurrentIndex(1)
    dlg.cm.setValue(120)
    assert parse_crs(dlg.choice()).crs.to_epsg() == 4549  # CGCS2000 / 3-degree GK CM 120E
    dlg.kind.setCurrentIndex(dlg.kind.count() - 1)
    dlg.epsg.setText("not a crs")
    dlg.accept()
    assert dlg.result() == 0 and dlg.error.text()  # refused, with the reader's message


def test_projected_csv_without_crs_asks_and_rereads(window, qtbot, tmp_path):
    from app.gui.open_data import CrsDialog, open_files

    # CGCS2000 3° zone 40 with the zone prefix: easting 40,5xx,xxx m
    path = tmp_path / "地块.csv"
    pd.DataFrame({"名称": ["一号", "二号"], "X": [3345000.0, 3345100.0],
                  "Y": [40500000.0, 40500100.0]}).to_csv(path, index=False, encoding="utf-8")
    (handle,) = open_files(window, [path])
    assert handle.wait(30)
    assert isinstance(window.last_dialog, CrsDialog)
    dlg = window.last_dialog
    assert dlg.kind.itemData(0) == ("code", "EPSG:4528")  # the reader's suggestion comes first
    dlg.accept()
    qtbot.waitUntil(lambda: window.workspace.tree.find("地块") is not None, timeout=30_000)
    layer = window.workspace.tree.find("地块")
    assert layer.crs.to_epsg() == 4528
    assert sorted(layer.gdf.geometry.x.round(1)) == [40500000.0, 40500100.0]
    window.last_report_dialog.close()


def test_gcj02_reread_shifts_the_points(window, qtbot, tmp_path):
    from app.gui.open_data import open_files

    path = tmp_path / "poi.csv"
    pd.DataFrame({"name": ["a"], "lon": [120.2867], "lat": [30.2147]}).to_csv(path, index=False)
    (handle,) = open_files(window, [path])
    assert handle.wait(30)
    layer = window.workspace.tree.find("poi")
    assert layer is not None and window.last_report_dialog is not None
    x0, y0 = layer.gdf.geometry.x.iloc[0], layer.gdf.geometry.y.iloc[0]
    (handle,) = open_files(window, [path], crs="gcj02", replace=layer)
    assert handle.wait(30)
    qtbot.waitUntil(lambda: layer.gdf.geometry.x.iloc[0] != x0, timeout=10_000)
    dx = (layer.gdf.geometry.x.iloc[0] - x0) * 111_320 * np.cos(np.radians(30.2))
    dy = (layer.gdf.geometry.y.iloc[0] - y0) * 110_574
    shift = float(np.hypot(dx, dy))
    assert 100 < shift < 700  # the GCJ-02 offset in eastern China is a few hundred metres
    assert [ly.name for ly in window.workspace.tree.layers()].count("poi") == 1  # replaced, not added
    assert "GCJ02" in window.last_report_dialog.text.toPlainText()


def test_multi_layer_geopackage_asks_which_layers(window, qtbot, tmp_path):
    from app.gui.open_data import LayerChoiceDialog, open_files

    path = tmp_path / "two.gpkg"
    _points(3).to_file(path, layer="一", driver="GPKG")
    _points(4).to_file(path, layer="二", driver="GPKG")
    (handle,) = open_files(window, [path], show_report=False)
    assert handle.wait(30)
    dlg = window.last_dialog
    assert isinstance(dlg, LayerChoiceDialog)
    assert dlg.chosen() == ["一", "二"]
    dlg.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    dlg.accept()
    qtbot.waitUntil(lambda: window.workspace.tree.find("二") is not None, timeout=30_000)
    assert window.workspace.tree.find("一") is None
    assert len(window.workspace.tree.find("二").gdf) == 4


def test_gbk_dbf_without_shp_is_offered_and_opens_as_a_table(window, qtbot, tmp_path):
    """A .dbf whose .shp is missing is offered by Add Data and opens as an attribute table: its
    GBK text decoded, every record present, nothing drawn, the attribute table showing it."""
    import geopandas as gpd
    from shapely.geometry import Point

    from app.gui.open_data import file_filter, open_files

    assert "*.dbf" in file_filter().split(";;")[0]
    names = ["漠河县", "塔河县", "呼玛县"]
    gpd.GeoDataFrame({"NAME": names, "CODE": [232723, 232722, 232721]},
                     geometry=[Point(i, i) for i in range(3)], crs=4326
                     ).to_file(tmp_path / "county.shp", encoding="GBK")
    (tmp_path / "county.shp").unlink()
    (tmp_path / "county.cpg").unlink(missing_ok=True)  # as desktop GIS of the 2000s wrote them
    assert (tmp_path / "county.dbf").read_bytes().find("漠河县".encode("gbk")) > 0
    (handle,) = open_files(window, [tmp_path / "county.dbf"], show_report=False)
    assert handle.wait(30)
    qtbot.waitUntil(lambda: window.workspace.tree.find("county") is not None, timeout=10_000)
    layer = window.workspace.tree.find("county")
    assert list(layer.gdf["NAME"]) == names
    assert list(layer.gdf["CODE"]) == [232723, 232722, 232721]
    assert layer.gdf.geometry.isna().all()
    window.canvas.refresh()
    assert window.canvas.wait_for_render(10_000)
    window.attribute_table.set_layer(layer)
    assert window.attribute_table.view.model().rowCount() == 3


def test_real_gbk_dbf_only_county_table(window, qtbot):
    from app.gui.open_data import open_files

    path = shared("encoding", "ncl_county_2004_gbk_dbf_only", "county_2004.dbf")
    (handle,) = open_files(window, [path], show_report=False)
    assert handle.wait(60)
    qtbot.waitUntil(lambda: window.workspace.tree.find("county_2004") is not None, timeout=30_000)
    layer = window.workspace.tree.find("county_2004")
    assert len(layer.gdf) == 2387  # the .shx holds 2,387 shapes: (19,196 − 100) / 8
    assert "漠河县" in set(layer.gdf["NAME2004"])


def test_garbled_text_is_read_again_with_the_encoding_chosen_by_a_button(window, qtbot, tmp_path):
    """A Big5 Shapefile (Taiwan) without .cpg reads garbled as GBK, the likeliest guess for Chinese
    data; the report window's button "read again with another text encoding" re-reads it as Big5
    into the same layer. The report names that button, not the command line's --encoding."""
    import geopandas as gpd
    from shapely.geometry import Point

    from app.gui.open_data import ReportDialog, open_files

    names = ["臺北市", "新竹科學園區", "高雄市"]
    gpd.GeoDataFrame({"NAME": names}, geometry=[Point(121 + i / 100, 25.0) for i in range(3)],
                     crs=4326).to_file(tmp_path / "parks.shp", encoding="big5")
    (tmp_path / "parks.cpg").unlink(missing_ok=True)
    (handle,) = open_files(window, [tmp_path / "parks.shp"])
    assert handle.wait(30)
    qtbot.waitUntil(lambda: isinstance(window.last_report_dialog, ReportDialog), timeout=10_000)
    layer = window.workspace.tree.find("parks")
    assert list(layer.gdf["NAME"]) != names  # garbled as GBK
    report = window.last_report_dialog
    assert report.reread_encoding is not None
    assert "--encoding" not in report.text.toPlainText()
    report.reread_encoding.click()
    chooser = window.last_dialog
    chooser.textValueSelected.emit("Big5")
    qtbot.waitUntil(lambda: list(window.workspace.tree.find("parks").gdf["NAME"]) == names, timeout=30_000)
    assert [ly.name for ly in window.workspace.tree.layers()].count("parks") == 1  # replaced


def test_reader_hints_name_the_buttons_not_command_options(gui):
    from app.gui.open_data import for_desktop, reread_crs_label, reread_encoding_label

    text = for_desktop("若数据来自高德，请用 --crs gcj02 或 --crs bd09 纠偏；或用 --encoding 指定正确编码")
    assert "--" not in text
    assert reread_crs_label() in text and "GCJ-02" in text and "BD-09" in text
    assert reread_encoding_label() in text


def test_no_encoding_choice_where_the_format_fixes_it(window, qtbot, tmp_path):
    """GeoJSON text is UTF-8 by specification: its report offers no re-read with another encoding."""
    from app.gui.open_data import ReportDialog, open_files

    _points(2).to_file(tmp_path / "p.geojson", driver="GeoJSON")
    (handle,) = open_files(window, [tmp_path / "p.geojson"])
    assert handle.wait(30)
    qtbot.waitUntil(lambda: isinstance(window.last_report_dialog, ReportDialog), timeout=10_000)
    assert window.last_report_dialog.report.encoding_source == "format"
    assert window.last_report_dialog.reread_encoding is None
    assert window.last_report_dialog.reread is not None  # the CRS can still be chosen
