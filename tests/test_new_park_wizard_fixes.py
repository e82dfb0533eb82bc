"""Follow-up defects of the New Park wizard and the Chinese UI (issue 17), each reproduced:

1. on an empty map each layer chooser of the wizard reads a file ("从文件…") through the app's
   readers and chooses the layer it adds;
2. the field mapping step is Chinese: headings are the layer registry's aliases with units, coded
   values their labels (the stored value in the tooltip), no English sentence left;
3. Create Park run to the end 20 times under faulthandler (real Wuhan OSM buildings) never crashes,
   and an error in the park-making task, or in starting it, is shown in a box on the main window;
4. legend labels of the rooftop PV map at the precision of the classified field (2 decimals), the
   breaks and so each building's class unchanged;
5. "Default Style" on the five-colour map keeps the thresholds in its labels.

Expected values are worked out by hand in the tests (counts of boxes inside a red line, the
labels' Chinese from the resource tables named, the Zhejiang K grades)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QPushButton, QWizard

from tests.conftest import REPO, shared

CGCS_114E = 4547  # CGCS2000 3° Gauss–Krüger zone 38, central meridian 114°E (Wuhan)
X0, Y0 = 530_000.0, 3_380_000.0
ENGLISH = re.compile(r"[A-Za-z]{3,}")
"""A word of three Latin letters or more: English left in the Chinese UI (units are m, m²)."""


@pytest.fixture
def zh(qapp, tmp_path, monkeypatch):
    from app.gui import i18n
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    i18n.install_translator(qapp, "zh")
    yield
    i18n.install_translator(qapp, "en")
    i18n.reset_for_tests()


def _files(tmp_path: Path) -> dict[str, Path]:
    """Four 30 m × 20 m footprints 40 m apart (Chinese fields, a yes/no column), a red line around
    the first three (so 3 inside, 1 outside by hand), saved as a planner would get them: the red
    line as GeoJSON in lon/lat, the buildings as a GeoPackage in CGCS2000 / 114°E; a pond; points."""
    boxes = [shapely.box(X0 + 40 * i, Y0, X0 + 40 * i + 30, Y0 + 20) for i in range(4)]
    b = gpd.GeoDataFrame({"楼高": ["25米", None, "abc", "12"], "层数": ["6层", "4", None, "2F"],
                          "用途": ["厂房", "厂房", "仓库", "办公"],
                          "屋面类型": ["彩钢", "混凝土", "彩钢", None],
                          "是否厂房": [True, True, False, False]}, geometry=boxes, crs=CGCS_114E)
    red = gpd.GeoDataFrame({"name": ["测试园"]}, geometry=[shapely.box(X0 - 5, Y0 - 5, X0 + 115, Y0 + 30)],
                           crs=CGCS_114E)
    pond = gpd.GeoDataFrame({"name": ["池塘"]}, geometry=[shapely.box(X0 + 10, Y0 + 22, X0 + 30, Y0 + 28)],
                            crs=CGCS_114E)
    pts = gpd.GeoDataFrame({"n": [1, 2]}, geometry=shapely.points([(X0, Y0), (X0 + 50, Y0)]), crs=CGCS_114E)
    out = {"red": tmp_path / "红线.geojson", "buildings": tmp_path / "厂区建筑.gpkg",
           "pond": tmp_path / "池塘.gpkg", "points": tmp_path / "points.gpkg"}
    red.to_crs(4326).to_file(out["red"], driver="GeoJSON")
    b.to_file(out["buildings"])
    pond.to_file(out["pond"])
    pts.to_file(out["points"])
    return out


@pytest.fixture
def window(qtbot):
    """make(ws=None): a shown main window, closed at the end with its project marked saved (closing
    it would ask to save, a modal box no one answers; pytest-qt's own closing comes too early)."""
    from app.gui.main_window import MainWindow
    from app.workspace import Workspace

    made = []

    def make(ws=None):
        w = MainWindow(ws if ws is not None else Workspace(lang="zh"))
        w.show()
        made.append(w)
        return w

    yield make
    for w in made:
        w.workspace.mark_clean()
        w.close()
        w.deleteLater()


def _pick(monkeypatch, path: Path) -> None:
    """The file dialog of the generated forms answers ``path``."""
    import app.gui.param_form as pf

    monkeypatch.setattr(pf.QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))


def _from_file(qtbot, wiz, name: str) -> None:
    n = len(wiz.reads)
    qtbot.mouseClick(wiz.findChild(QPushButton, f"from_file_{name}"), Qt.MouseButton.LeftButton)
    assert len(wiz.reads) == n + 1
    assert wiz.reads[-1].wait(60) and wiz.reads[-1].state == "done", wiz.reads[-1].traceback


# ---- 1. From file… on an empty map ------------------------------------------------------------------

def test_from_file_on_an_empty_map_reads_red_line_buildings_and_water(qtbot, zh, tmp_path, monkeypatch,
                                                                           window):
    files = _files(tmp_path)
    w = window()
    wiz = w.new_park()
    page = wiz.red_line_page
    assert page.combo.count() == 1 and not page.isComplete()  # nothing on the map
    assert wiz.findChild(QPushButton, "from_file_boundary").text() == "从文件…"

    _pick(monkeypatch, files["red"])
    _from_file(qtbot, wiz, "boundary")
    layer = wiz.workspace.layer(page.combo.currentData())
    assert layer is not None and layer.title == "红线" and page.isComplete()
    assert getattr(w, "last_report_dialog", None) is not None  # the reader's report, as Add Data shows it
    w.last_report_dialog.close()
    # the red line read back: 120 m × 35 m (hand) after the lon/lat round trip
    assert page.boundary().to_crs(CGCS_114E).area.sum() == pytest.approx(120 * 35, rel=1e-6)
    assert "0.42 公顷" in page.info.text()  # 4,200 m²

    wiz.next()
    assert wiz.currentPage() is wiz.buildings_page
    assert wiz.buildings_page.combo.count() == 0 or wiz.buildings_page.combo.currentData() is None or \
        wiz.workspace.layer(wiz.buildings_page.combo.currentData()).title == "红线"
    _pick(monkeypatch, files["buildings"])
    _from_file(qtbot, wiz, "buildings")
    w.last_report_dialog.close()
    bpage = wiz.buildings_page
    assert wiz.workspace.layer(bpage.combo.currentData()).title == "厂区建筑"
    assert bpage.field_combos["height"].currentData() == "楼高"
    assert bpage.counts.text() == "红线内 3 栋建筑，红线外 1 栋（红线外的将去掉）"
    assert page.combo.currentData() == layer.name  # the red line kept its choice

    wiz.next()
    assert wiz.currentPage() is wiz.options_page
    _pick(monkeypatch, files["pond"])
    _from_file(qtbot, wiz, "water")
    w.last_report_dialog.close()
    water = wiz.form.input_widgets["water"][1]
    assert isinstance(water, QComboBox) and wiz.workspace.layer(water.currentData()).title == "池塘"

    before = len(w.tasks)
    wiz.button(QWizard.WizardButton.FinishButton).click()
    handle = w.tasks[before] if len(w.tasks) > before else None
    assert handle is not None and handle.wait(60) and handle.state == "done", handle and handle.traceback
    park = w.workspace.park
    assert len(park.buildings) == 3 and park.water is not None and len(park.water) == 1
    assert park.name == "测试园"


def test_a_file_of_the_wrong_geometry_is_added_but_not_chosen(qtbot, zh, tmp_path, monkeypatch, window):
    files = _files(tmp_path)
    w = window()
    wiz = w.new_park()
    _pick(monkeypatch, files["points"])
    _from_file(qtbot, wiz, "boundary")
    w.last_report_dialog.close()
    assert w.workspace.layer("points") is not None  # on the map, as Add Data would put it
    assert wiz.red_line_page.combo.currentData() is None
    box = next(b for b in wiz.findChildren(QMessageBox) if b.isVisible())
    assert "points.gpkg" in box.informativeText() and "面" in box.informativeText()


# ---- 2. the field mapping in Chinese ----------------------------------------------------------------

def test_field_mapping_step_is_chinese_with_registry_headings_and_value_labels(qtbot, zh, tmp_path):
    from app.gui.new_park_wizard import NewParkWizard
    from app.workspace import Workspace
    from layers.presets import styled_layer

    files = _files(tmp_path)
    ws = Workspace(lang="zh")
    ws.add_layer(styled_layer("footprints", gpd.read_file(files["buildings"])))
    ws.add_layer(styled_layer("red_2024", gpd.read_file(files["red"]).to_crs(CGCS_114E)))
    wiz = NewParkWizard(ws, lang="zh")
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.next()
    page = wiz.buildings_page
    page.choose("enterprise_id", "是否厂房")
    t = page.table
    heads = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    # layers/fields.py: height_m 高度 m, floors 层数 层, use 用途, roof_type 屋面类型, enterprise_id
    # 企业代码; height_source 高度来源, use_class 用途分类, roof_class 屋面分类
    assert heads == ["高度 (m)\n字段 楼高", "层数 (层)\n字段 层数", "用途\n字段 用途",
                     "屋面类型\n字段 屋面类型", "企业代码\n字段 是否厂房", "高度 (m)\n（园区采用）",
                     "高度来源\n（园区采用）", "用途分类\n（园区采用）", "屋面分类\n（园区采用）"]
    assert t.horizontalHeaderItem(0).toolTip() == "楼高"
    rows = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    tips = [[t.item(r, c).toolTip() for c in range(t.columnCount())] for r in range(t.rowCount())]
    # the three buildings inside: 25米 → 25 m from the field; 4 floors of a factory × 6.0 m
    # (storey_heights.csv, industrial 工业); 'abc' and no floors → missing; 厂房 → 工业, 仓库 →
    # 仓储 (storey_heights.csv use_zh); 彩钢 → metal 彩钢屋面, 混凝土 → flat 平屋面 (roof_classes.csv)
    assert rows[0] == ["25米", "6层", "厂房", "彩钢", "是", "25.0", "字段“楼高”", "工业", "彩钢屋面"]
    assert rows[1][4:] == ["是", "24.0", "层数 × 6 米（工业）", "工业", "平屋面"]
    assert rows[2][4:7] == ["否", "—", "缺失"]
    assert tips[0][4] == "True" and tips[0][7] == "industrial" and tips[0][8] == "metal"
    assert tips[0][6] == "field:楼高" and tips[0][0] == ""  # a raw value is its own text
    # nothing English on the page but the user's data (here: none, the fields are Chinese)
    texts = [lbl.text() for lbl in page.findChildren(type(page.counts)) if lbl.isVisible()]
    texts += heads + [c for row in rows for c in row] + [wiz.windowTitle(), page.title(), page.subTitle()]
    texts += [b.text() for b in wiz.findChildren(QPushButton) if b.isVisible()]
    data = {"abc", "2F"}
    left = [(x, ENGLISH.findall(x)) for x in texts if set(ENGLISH.findall(x)) - data]
    assert left == [], left


# ---- 3. Create Park: no crash in 20 runs, errors in a box ------------------------------------------

def test_create_park_twenty_times_under_faulthandler(tmp_path):
    buildings = shared("buildings", "wuhan_optics_valley_osm_buildings.geojson")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    p = subprocess.run([sys.executable, str(REPO / "tests" / "wizard_loop.py"), "20", str(tmp_path),
                        str(buildings)], cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, (p.stdout[-2000:], p.stderr[-4000:])
    assert "rounds done 20" in p.stdout


def _ready_wizard(window, tmp_path):
    from app.workspace import Workspace
    from layers.presets import styled_layer

    files = _files(tmp_path)
    ws = Workspace(lang="zh")
    ws.add_layer(styled_layer("footprints", gpd.read_file(files["buildings"])))
    ws.add_layer(styled_layer("red_2024", gpd.read_file(files["red"]).to_crs(CGCS_114E)))
    w = window(ws)
    wiz = w.new_park()
    wiz.next()
    wiz.next()
    return w, wiz


def test_an_error_in_the_park_task_is_a_box_on_the_window(qtbot, zh, tmp_path, monkeypatch, window):
    from app.algorithms.new_park import NewPark

    def boom(self, *a, **k):
        raise RuntimeError("boom in the park task")

    monkeypatch.setattr(NewPark, "run", boom)
    w, wiz = _ready_wizard(window, tmp_path)
    before = len(w.tasks)
    wiz.button(QWizard.WizardButton.FinishButton).click()
    handle = w.tasks[before]
    assert handle.wait(30) and handle.state == "failed"
    box = handle.message_box
    assert box is not None and box.isVisible() and box.parentWidget() is w
    assert "boom in the park task" in box.informativeText() and handle.log_path is not None
    assert w.isVisible() and w.workspace.park is None


def test_an_error_starting_the_task_is_a_box_on_the_window(qtbot, zh, tmp_path, monkeypatch, window):
    from app.gui.new_park_wizard import NewParkWizard

    def broken(self, *a, **k):
        raise RuntimeError("boom before the task")

    monkeypatch.setattr(NewParkWizard, "run", broken)
    w, wiz = _ready_wizard(window, tmp_path)
    wiz.button(QWizard.WizardButton.FinishButton).click()
    box = getattr(w, "last_error", None)
    assert box is not None and box.isVisible() and box.parentWidget() is w
    assert "boom before the task" in box.informativeText()
    qtbot.wait(50)  # the wizard is deleted meanwhile: the box stays
    assert box.isVisible() and w.isVisible()


# ---- 4. PV legend labels at the field's precision ---------------------------------------------------

def test_pv_legend_labels_at_two_decimals_and_classes_unchanged():
    from layers.presets import default_style, prepare

    # 4,000 roofs: yields ~N(75, 12) kWh/m², the layer's kwh_per_m2 = kwh_yr / roof_m2 to 2 decimals
    rng = np.random.default_rng(1)
    roof = np.full(4000, 100.0)
    gdf = gpd.GeoDataFrame({"kwh_yr": np.round(rng.normal(75, 12, 4000), 2) * roof, "roof_m2": roof},
                           geometry=[shapely.box(i, 0, i + 1, 1) for i in range(4000)], crs=CGCS_114E)
    data = prepare("rooftop_pv", gdf)
    y = data["kwh_per_m2"].to_numpy()
    style = default_style("rooftop_pv", data)
    # the classes are the quantiles of the values (linear interpolation, as mapclassify Quantiles)
    q = np.percentile(y, [20, 40, 60, 80])
    assert style.class_codes(y).tolist() == np.searchsorted(q, y, side="left").tolist()
    labels = [cb.label_zh for cb in style.classes]
    numbers = [re.findall(r"\d+(?:\.\d+)?", lab) for lab in labels]
    assert all(len(n.split(".")[-1]) <= 2 for ns in numbers for n in ns if "." in n), labels
    # each roof lies within the numbers its class's label shows (lower < v ≤ upper)
    codes = style.class_codes(y)
    for k, ns in enumerate(numbers):
        v = y[codes == k]
        lo = float(ns[0]) if k > 0 else -np.inf
        hi = float(ns[-1]) if k < len(numbers) - 1 else np.inf
        assert len(v) and (v > lo).all() and (v <= hi).all(), (labels[k], v.min(), v.max())
    # and one break at least needed a third decimal to keep every roof in its quantile class
    assert any(round(cb.upper, 2) != cb.upper for cb in style.classes[:-1])


# ---- 5. Default Style on the five-colour map --------------------------------------------------------

@pytest.fixture(scope="module")
def sample_results():
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    return run_park_analyses(load_sample_park())


def _expected_five_colour_labels(results) -> list[str]:
    # the benchmark by hand: the district's total intensity Σ tCO2 / Σ GDP (10⁴ yuan), and the
    # Zhejiang carbon-efficiency K grades 0.6 / 0.8 / 1.2 / 2.0 the sample park uses
    g = results.layers()["township_intensity"]
    ok = g["t_co2"].notna() & g["gdp_10k_yuan"].notna()
    bench = g.loc[ok, "t_co2"].sum() / g.loc[ok, "gdp_10k_yuan"].sum()
    e = [f"{k * bench:.4f}" for k in (0.6, 0.8, 1.2, 2.0)]
    return [f"1 级（绿）K ≤ 0.6（≤ {e[0]} tCO2/万元）", f"2 级（蓝）K 0.6–0.8（{e[0]}–{e[1]} tCO2/万元）",
            f"3 级（黄）K 0.8–1.2（{e[1]}–{e[2]} tCO2/万元）",
            f"4 级（橙）K 1.2–2.0（{e[2]}–{e[3]} tCO2/万元）", f"5 级（红）K > 2.0（> {e[3]} tCO2/万元）"]


def test_default_style_of_the_five_colour_map_keeps_the_thresholds(qtbot, zh, sample_results, window):
    from app.workspace import Workspace
    from layers.legend import legend_block
    from layers.style import SingleStyle

    expected = _expected_five_colour_labels(sample_results)
    ws = Workspace(lang="zh")
    ws.set_results(sample_results)
    w = window(ws)
    layer = ws.layer("township_intensity")
    assert [r.label for r in legend_block(layer, "zh").rows[:5]] == expected
    w.layer_panel.set_style(layer, SingleStyle())  # another style, then back to the default
    w.layer_panel.apply_default_style(layer)
    assert [r.label for r in legend_block(layer, "zh").rows[:5]] == expected
    # a reopened project has only the summary of its results: the same labels
    ws.results = None
    w.layer_panel.apply_default_style(layer)
    assert [r.label for r in legend_block(layer, "zh").rows[:5]] == expected
    assert pd.Series([r.label for r in legend_block(layer, "zh").rows]).str.contains("K").sum() == 5
