"""The main window with the analysed sample park (pytest-qt, offscreen).

Values on screen are checked against references computed here from the result GeoDataFrames and
the sample park's energy table with the guideline factors, not against the code's own summary.
The screenshot test writes the window to tmp_path (and to $LINGTAN_SCREENSHOT when set, e.g.
``LINGTAN_SCREENSHOT=docs/screenshot.png pytest tests/test_gui_main.py -k screenshot``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QItemSelectionModel, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage

from gis.paths import sample_dir

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def results():
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    return run_park_analyses(load_sample_park())


@pytest.fixture
def gui(qapp, tmp_path, monkeypatch):
    """The application set up like ``create_app`` (CJK font, Chinese UI), settings in tmp_path."""
    from app.gui import i18n
    from app.gui.app import create_app
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    try:
        from app.gui import project_actions

        monkeypatch.setattr(project_actions, "ask_save_changes", lambda mw: "discard")
        monkeypatch.setattr(project_actions, "ask_recover", lambda mw, info: "later")
    except ImportError:
        pass
    app = create_app(lang="zh")
    yield app
    i18n.reset_for_tests()


@pytest.fixture
def window(gui, qtbot, results):
    from app.gui.main_window import MainWindow
    from app.workspace import Workspace

    ws = Workspace(lang="zh")
    ws.set_results(results)
    ws.mark_clean()
    w = MainWindow(ws)
    qtbot.addWidget(w)
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    w.canvas.zoom_full()
    assert w.canvas.wait_for_render(20_000)
    yield w
    w.workspace.mark_clean()


def _model_rows(model, parent=None):
    """(text, node) of every row of the layer model, depth first, top first."""
    from PySide6.QtCore import QModelIndex

    parent = parent if parent is not None else QModelIndex()
    out = []
    for r in range(model.rowCount(parent)):
        i = model.index(r, 0, parent)
        out.append((model.data(i), model.node(i), i))
        out += _model_rows(model, i)
    return out


def _layer_index(window, name):
    for _text, node, index in _model_rows(window.layer_panel.model):
        if getattr(node, "name", None) == name and hasattr(node, "gdf"):
            return index
    raise AssertionError(f"{name} not in the layer panel")


# ---- the window ----------------------------------------------------------------------------------

def test_window_shows_every_sample_layer_in_the_panel(window, results):
    expected = set(results.layers())
    panel = {node.name for _t, node, _i in _model_rows(window.layer_panel.model) if hasattr(node, "gdf")}
    assert panel == expected
    # top first in the panel = reverse of the draw order of each group
    group = window.workspace.tree.root.children[-1]
    model = window.layer_panel.model
    gi = model.index_of(group)
    shown = [model.node(model.index(r, 0, gi)) for r in range(model.rowCount(gi))]
    assert shown == list(reversed(group.children))
    # Chinese titles from the presets, e.g. the buildings layer is 建筑
    titles = {node.name: text for text, node, _i in _model_rows(model) if hasattr(node, "gdf")}
    assert titles["buildings"] == "建筑" and titles["rooftop_pv"] == "屋顶光伏"


def test_status_bar_shows_crs_scale_and_render_time(window):
    assert "4549" in window.status_crs.text()  # the sample park's local CGCS2000 3° GK zone (CM 120°E)
    assert window.status_render.text().startswith("绘制")
    # scale 1:N: the map width in metres / the widget width in metres at 96 dpi (0.0254 m / 96 px)
    e = window.canvas.extent()
    n = (e[2] - e[0]) / (window.canvas.width() * 0.0254 / window.canvas.logicalDpiX())
    text = window.status_scale.text().replace(",", "")
    shown = float(text.split(":")[1])
    assert shown == pytest.approx(n, rel=0.02)


def test_unchecking_a_layer_hides_it_on_the_map(window, qtbot):
    layer = window.workspace.tree.find("rooftop_pv")
    index = _layer_index(window, "rooftop_pv")
    model = window.layer_panel.model
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    before = window.canvas.grab().toImage()
    # a click on the check box, as a user does it
    view = window.layer_panel.view
    view.scrollTo(index)
    rect = view.visualRect(index)
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    opt = QStyleOptionViewItem()
    opt.rect = rect
    opt.features |= QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator
    check = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt, view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=check.center())
    assert not layer.visible
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert layer not in window.workspace.tree.visible_layers()
    qtbot.wait(50)
    assert window.canvas.wait_for_render(20_000)
    after = window.canvas.grab().toImage()
    assert _differs(before, after)  # the PV colours left the map


def _differs(a: QImage, b: QImage) -> bool:
    return _pixels(a).shape == _pixels(b).shape and not np.array_equal(_pixels(a), _pixels(b))


def _pixels(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    return arr[:, : img.width() * 4].reshape(img.height(), img.width(), 4)[:, :, :3].copy()


def test_attribute_table_rows_and_selection_both_ways(window, qtbot):
    layer = window.workspace.tree.find("buildings")
    window.open_attribute_table(layer)
    table = window.attribute_table
    assert window.dock_table.isVisible()
    assert table.model.rowCount() == len(layer.gdf)
    assert table.model.columnCount() == len(layer.gdf.columns) - 1  # all but the geometry
    # sort by height (descending) and select the first three rows of the view
    col = table.model.columns.index("height_m")
    table.sort(col, Qt.SortOrder.DescendingOrder)
    expected = np.argsort(-layer.gdf["height_m"].to_numpy(), kind="stable")[:3]
    sm = table.view.selectionModel()
    for r in range(3):
        sm.select(table.model.index(r, 0), QItemSelectionModel.SelectionFlag.Select
                  | QItemSelectionModel.SelectionFlag.Rows)
    assert list(layer.selection) == sorted(expected.tolist())
    # the other way: a selection made on the map shows in the table
    layer.selection = [5, 17, 300]
    shown = table.selected_source_rows()
    assert list(shown) == [5, 17, 300]
    # and the map's own select tool (box over the whole view) selects every feature of the layer
    window.canvas.set_active_layer(layer)
    from PySide6.QtCore import QRectF

    window.canvas.select_in_rect(QRectF(0, 0, window.canvas.width(), window.canvas.height()))
    assert len(layer.selection) == len(layer.gdf)
    assert table.count.text().startswith(f"显示 {len(layer.gdf):,}")


def test_dashboard_values_match_the_result_layers(window, results):
    d = window.dashboard.values
    layers = results.layers()
    assert d["pv_kwp"] == pytest.approx(layers["rooftop_pv"]["kwp"].sum(), abs=0.1)
    assert d["pv_kwh_yr"] == pytest.approx(layers["rooftop_pv"]["kwh_yr"].sum(), abs=1.0)
    sinks = layers["green_sinks"]["t_co2_yr"].sum() + layers["tree_sinks"]["t_co2_yr"].sum()
    assert d["sinks_t_co2_yr"] == pytest.approx(sinks, abs=0.01)
    assert d["park_area_m2"] == pytest.approx(layers["boundary"].area.sum(), rel=1e-4)
    # emissions 2024 from the energy table: amounts × guideline factors (tCO2 per unit; 万 = 10^4)
    t = pd.read_csv(sample_dir() / "enterprises_energy.csv", encoding="utf-8-sig")
    y = t[t["年份"] == 2024]
    factors = {"原煤(吨)": 1.9812, "天然气(万立方米)": 1e4 * 0.0021622, "汽油(吨)": 2.9251,
               "柴油(吨)": 3.0959, "电力(万千瓦时)": 1e4 * 0.5306e-3, "热力(吉焦)": 0.11}
    expected = sum(y[c].sum() * f for c, f in factors.items())
    assert d["emissions_t_co2"] == pytest.approx(expected, rel=1e-3)
    # the cards show the same numbers (thousands separators)
    assert window.dashboard.cards["pv_kwp"][1].text() == f"{layers['rooftop_pv']['kwp'].sum():,.0f}"
    shown = float(window.dashboard.cards["emissions"][1].text().replace(",", ""))
    assert shown == pytest.approx(expected, rel=1e-3)
    # net = gross − PV avoided − sinks in the rooftop-PV scenario (the default one)
    pv_avoided = layers["rooftop_pv"]["kwh_yr"].sum() * 0.5306e-3
    assert d["net_t_co2"] == pytest.approx(expected - pv_avoided - sinks, rel=1e-3)


def test_indicator_table_colours_pass_and_fail(window):
    table = window.dashboard.indicators
    assert table.rowCount() > 0
    statuses = {table.item(r, 3).text(): table.item(r, 3).background().color().name()
                for r in range(table.rowCount())}
    assert statuses.get("未达标") == "#fbd9d7"
    assert "缺数据" in statuses


def test_switching_language_changes_menus_and_layer_titles(window, qtbot):
    assert window.menu_file.title() == "文件(&F)"
    assert window.dock_layers.windowTitle() == "图层"
    window.set_language("en")
    assert window.menu_file.title() == "&File"
    assert window.menu_analysis.title() == "&Analysis"
    assert window.dock_layers.windowTitle() == "Layers"
    assert window.map_actions["pan"].text() == "Pan"
    assert window.workspace.tree.find("buildings").title == "Buildings"
    assert window.dashboard.cards["pv_kwp"][0].text() == "Rooftop PV capacity"
    window.set_language("zh")
    assert window.menu_file.title() == "文件(&F)"
    assert window.map_actions["pan"].text() == "平移"
    assert window.workspace.tree.find("buildings").title == "建筑"
    assert window.dashboard.cards["pv_kwp"][0].text() == "屋顶光伏装机"
    from app.gui.settings import AppSettings

    assert AppSettings().language == "zh"  # remembered


def test_identify_shows_the_attributes_of_the_clicked_feature(window, qtbot):
    layer = window.workspace.tree.find("buildings")
    # click the centre of a building: pixel position from its representative point
    pt = layer.gdf.geometry.iloc[10].representative_point()
    px, py = window.canvas.to_pixel(pt.x, pt.y)
    window.canvas.set_tool("identify")
    hits = window.canvas.identify_at(float(px), float(py), all_layers=True)
    names = [h[0].name for h in hits]
    assert "buildings" in names or "rooftop_pv" in names
    panel = window.identify_panel
    assert window.dock_identify.isVisible()
    assert panel.tree.topLevelItemCount() >= 1
    top = panel.tree.topLevelItem(0)
    fields = {top.child(i).text(0) for i in range(top.childCount())}
    names = {top.child(i).toolTip(0) for i in range(top.childCount())}
    assert "bldg_id" in names  # the field's name in the tooltip, its alias as the text
    assert ("建筑编号" in fields) or ("building id" in fields)


def test_dropping_a_file_adds_it(window, qtbot, tmp_path):
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"name": ["甲", "乙"]}, geometry=[Point(120.28, 30.21), Point(120.29, 30.22)],
                     crs=4326).to_file(path)
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(path))])
    ev = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, md, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    window.dropEvent(ev)
    qtbot.waitUntil(lambda: window.workspace.tree.find("points") is not None, timeout=20_000)
    layer = window.workspace.tree.find("points")
    assert len(layer.gdf) == 2 and list(layer.gdf["name"]) == ["甲", "乙"]
    assert window.last_report_dialog is not None
    assert "GeoJSON" in window.last_report_dialog.text.toPlainText()
    window.last_report_dialog.close()


def test_exports_from_the_file_menu(window, tmp_path):
    import pyogrio

    visible = [ly.name for ly in window.workspace.tree.visible_layers()]
    h = window.export_layers(str(tmp_path / "layers"), "gpkg", None, True)
    assert h.wait(120) and h.state == "done", h.error
    names = {name for name, _ in pyogrio.list_layers(tmp_path / "layers" / "layers.gpkg")}
    assert set(visible) <= names
    h = window.export_layers(str(tmp_path / "shp"), "shp", "gbk", True)
    assert h.wait(120) and h.state == "done", h.error
    assert (tmp_path / "shp" / "buildings.shp").exists()
    assert (tmp_path / "shp" / "buildings.cpg").read_text().strip().upper() in ("GBK", "936", "CP936")
    png = tmp_path / "map.png"
    h = window.export_map_image(str(png))
    assert h.wait(120) and h.state == "done", h.error
    img = QImage(str(png))
    assert (img.width(), img.height()) == (2400, 1600)
    html = tmp_path / "map.html"
    h = window.export_web_map(str(html))
    assert h.wait(120) and h.state == "done", h.error
    assert "leaflet" in html.read_text(encoding="utf-8").lower()
    pdf = tmp_path / "report.pdf"
    h = window.export_report(str(pdf))
    assert h.wait(300) and h.state == "done", h.error
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_open_sample_park_runs_all_analyses(gui, qtbot, monkeypatch):
    """What ``lingtan demo --gui`` and File → Open the Sample Park do: an empty window loads the
    sample park and its results; the result layers are styled in the worker thread (styling them
    in the GUI thread froze the window for about a second)."""
    import threading

    import app.workspace as workspace_module
    from app.gui.app import open_window

    gui_thread_styled = []
    real = workspace_module.styled_layer

    def spy(name, *args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            gui_thread_styled.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(workspace_module, "styled_layer", spy)
    w = open_window(demo=True)
    qtbot.addWidget(w)
    before = w.workspace
    handle = w.tasks[0] if w.tasks else None
    assert handle is not None
    assert handle.wait(120)
    assert handle.state == "done"
    assert w.workspace is not before  # the sample came in a new workspace
    names = {ly.name for ly in w.workspace.tree.layers()}
    assert {"buildings", "rooftop_pv", "green_sinks", "township_intensity"} <= names
    results = {"rooftop_pv", "green_sinks", "tree_sinks", "township_intensity"}
    assert not results & set(gui_thread_styled), gui_thread_styled
    assert w.dashboard.values["pv_kwp"] == pytest.approx(
        w.workspace.tree.find("rooftop_pv").gdf["kwp"].sum(), abs=0.1)
    assert not w.workspace.dirty
    # File → Open the Sample Park again, cancelled: the open workspace stays as it was
    current = w.workspace
    handle = w.load_demo()
    handle.cancel()
    assert handle.wait(60) and handle.state == "cancelled"
    assert w.workspace is current
    w.workspace.mark_clean()


def test_export_all_of_a_reopened_project(window, tmp_path):
    """A saved project reopened has no live results but its summary and result layers: File →
    Export → All Results exports them (it said "Run the analyses first")."""
    import pyogrio

    from app.project_file import load_project, save_project

    saved = save_project(window.workspace, tmp_path / "p.lingtan.gpkg")
    ws = load_project(saved)
    assert ws.results is None and "pv" in ws.summary
    window.set_workspace(ws)
    handle = window.export_all(str(tmp_path / "out"))
    assert handle is not None, "export refused without live results"
    assert handle.wait(300) and handle.state == "done", handle.error
    pv = pyogrio.read_dataframe(tmp_path / "out" / "park.gpkg", layer="rooftop_pv")
    assert len(pv) == len(ws.tree.find("rooftop_pv").gdf)
    assert pv["kwh_yr"].sum() == pytest.approx(ws.tree.find("rooftop_pv").gdf["kwh_yr"].sum(), rel=1e-9)
    assert (tmp_path / "out" / "park.xlsx").exists()
    window.workspace.mark_clean()


def test_storey_height_setting_feeds_floor_only_buildings(gui, qtbot):
    """Settings → Buildings: a changed storey height changes the heights of buildings that have
    floors but no height when the park is loaded (File → Open the Sample Park's path)."""
    import pyogrio

    from app.gui import analyses
    from app.gui.settings import AppSettings
    from app.workspace import Workspace

    s = AppSettings()
    s.storey_heights = {**s.storey_heights, "industrial": 9.5}
    ws = Workspace(lang="zh")
    handle = analyses.open_sample(None, ws, run_all=False)
    assert handle.wait(120) and handle.state == "done", handle.error
    b = ws.park.buildings
    raw = pyogrio.read_dataframe(sample_dir() / "park.gpkg", layer="buildings")
    raw = raw.set_index("bldg_id")
    floors = raw.loc[b["bldg_id"], "floors"].to_numpy(float)
    no_height = raw.loc[b["bldg_id"], "height_m"].isna().to_numpy()
    industrial = (b["use_class"] == "industrial").to_numpy() & no_height & np.isfinite(floors)
    assert industrial.sum() > 50
    np.testing.assert_allclose(b["height_m"].to_numpy()[industrial], floors[industrial] * 9.5)
    given = ~no_height  # heights from the file stay as they are
    np.testing.assert_allclose(b["height_m"].to_numpy()[given],
                               raw.loc[b["bldg_id"], "height_m"].to_numpy(float)[given])
    ws.mark_clean()


def test_network_setting_reaches_the_pv_weather(window, qtbot, monkeypatch):
    """Rooftop PV from the dialog asks PVGIS for weather only with "allow network use" on."""
    import gis.solar.site_weather as sw
    from app.gui import analyses
    from app.gui.settings import AppSettings
    from gis.errors import InputError

    calls = []

    def spy(lon, lat, **kwargs):
        calls.append(kwargs.get("allow_network"))
        raise InputError("测试", "stop here (test)")

    monkeypatch.setattr(sw, "site_weather", spy)
    for on in (False, True):
        AppSettings().network = on
        h = analyses.start_pv(window, window.workspace, analyses.PVOptions())
        assert h.wait(60) and h.state == "failed"
        if h.message_box is not None:
            h.message_box.close()
    assert calls == [False, True]


def test_cli_entry_points_reach_run_gui(monkeypatch, tmp_path, capsys):
    import app.gui.app as gui_app
    from app import cli

    calls = []
    monkeypatch.setattr(gui_app, "run_gui", lambda project=None, demo=False, argv=None, lang=None:
                        calls.append((project, demo, lang)) or 0)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert cli.main([]) == 0
    assert cli.main(["demo", "--gui"]) == 0
    project = tmp_path / "p.lingtan.gpkg"
    project.write_bytes(b"")
    assert cli.main(["gui", str(project), "--lang", "en"]) == 0
    assert calls == [(None, False, None), (None, True, None), (project, False, "en")]
    assert cli.main(["gui", str(tmp_path / "missing.lingtan.gpkg")]) == 2
    assert "Project file not found" in capsys.readouterr().err


def test_screenshot_of_the_main_window(window, qtbot, tmp_path, qapp):
    """The window with the sample park, as a PNG to look at (docs/screenshot.png)."""
    from layers.fonts import cjk_family

    assert cjk_family() is not None and qapp.font().family() == cjk_family()  # Chinese never as boxes
    layer = window.workspace.tree.find("rooftop_pv")
    window.layer_panel.set_current(layer)
    qtbot.wait(100)
    assert window.canvas.wait_for_render(20_000)
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        qapp.processEvents()
    img = window.grab().toImage()
    out = tmp_path / "main_window.png"
    assert img.save(str(out))
    px = _pixels(img)
    assert px.shape[:2] == (1000, 1600)
    assert len(np.unique(px.reshape(-1, 3), axis=0)) > 200  # a map, charts and text, not a blank window
    target = os.environ.get("LINGTAN_SCREENSHOT")
    if target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        assert img.save(target)


def _extent_covers(outer, inner) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and outer[2] >= inner[2] and outer[3] >= inner[3]


def test_zoom_full_frames_the_park_not_its_townships(window, qtbot):
    """全图 frames the red line (with a small margin), not the township district around it; with the
    red line hidden it frames every visible layer."""
    c = window.canvas
    crs = c.crs()
    for layer in window.workspace.layers():
        layer.visible = True
    for group in c.tree.groups() if hasattr(c.tree, "groups") else []:
        group.visible = True
    park = window.workspace.layer("boundary").bounds(crs)
    everything = c.tree.bounds(crs)
    assert (everything[2] - everything[0]) > 2 * (park[2] - park[0])  # the sample's townships are wider
    c.zoom_full()
    e = c.extent()
    assert _extent_covers(e, park)
    assert (e[2] - e[0]) < 1.5 * max(park[2] - park[0], (park[3] - park[1]) * c.width() / c.height())
    window.workspace.layer("boundary").visible = False
    c.zoom_full()
    assert _extent_covers(c.extent(), c.tree.bounds(crs))


def test_double_click_on_a_layer_zooms_to_it(window, qtbot):
    """Double-click on a layer row (and the context menu's 缩放到图层) zoom the map to that layer."""
    view = window.layer_panel.view
    target = window.workspace.layer("buildings")
    index = _layer_index(window, "buildings")
    window.canvas.set_extent((0.0, 0.0, 1.0, 1.0))
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # as a hand does
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    b = target.bounds(window.canvas.crs())
    e = window.canvas.extent()
    assert _extent_covers(e, b)
    assert (e[2] - e[0]) < 1.5 * max(b[2] - b[0], (b[3] - b[1]) * window.canvas.width()
                                      / window.canvas.height())


def test_export_dialog_starts_beside_the_project_and_remembers_gbk(window, qtbot, tmp_path, monkeypatch):
    """The export dialog starts in the project's folder (not the home folder) and keeps the
    format, the GBK choice and the folder of the last export; file dialogs start there too."""
    from PySide6.QtWidgets import QFileDialog

    from app.gui.window_exports import ExportLayersDialog, export_start_folder

    project = tmp_path / "projects" / "园区.lingtan.gpkg"
    project.parent.mkdir()
    window.workspace.set_path(project)
    dlg = ExportLayersDialog(window, export_start_folder(window.workspace.path))
    assert Path(dlg.folder.text()) == project.parent
    assert dlg.encoding.currentData() == "utf-8"  # first export: UTF-8
    out = tmp_path / "交付"
    out.mkdir()
    dlg.folder.setText(str(out))
    dlg.encoding.setCurrentIndex(dlg.encoding.findData("gbk"))
    dlg.format.setCurrentIndex(dlg.format.findData("shp"))
    dlg.values()
    again = ExportLayersDialog(window, export_start_folder(window.workspace.path))
    assert Path(again.folder.text()) == out
    assert again.encoding.currentData() == "gbk" and again.format.currentData() == "shp"
    asked = {}

    def fake_save(parent, title, start, file_filter):
        asked["start"] = start
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    window.export_map_image()
    assert Path(asked["start"]).parent == out


def test_report_asks_for_the_organisation_and_puts_it_on_the_cover(gui, qtbot, tmp_path, monkeypatch):
    """File → Report: the organisation typed (remembered for the next report) is on the PDF's cover."""
    import subprocess

    from PySide6.QtWidgets import QInputDialog

    from app.gui.main_window import MainWindow
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    w = MainWindow()
    qtbot.addWidget(w)
    w.workspace.set_results(run_park_analyses(load_sample_park()))
    w.workspace.mark_clean()
    pdf = tmp_path / "r.pdf"
    monkeypatch.setattr(w, "_ask_file", lambda *a, **k: str(pdf))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("某某规划设计研究院", True)))
    h = w.export_report()
    assert h.wait(120) and h.state == "done", (h.state, h.error)
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True,
                           text=True).stdout
    assert "某某规划设计研究院" in cover
    from app.gui.settings import AppSettings

    assert AppSettings().organisation == "某某规划设计研究院"
