"""The Chinese UI says things in Chinese (issue 17): why a park without an energy table has no
emissions, coded attribute values as labels, the data report's encoding detail, and the
five-colour legend with its thresholds. Each expected text is written out here by hand."""

from __future__ import annotations

import dataclasses
import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PySide6.QtGui import QTextDocument
from shapely.geometry import Point, box

LATIN_WORDS = re.compile(r"[A-Za-z]{3,}(?:[ '-]+[A-Za-z]{2,}){2,}")
"""Three or more English words in a row: an English sentence left in the Chinese UI."""


@pytest.fixture
def zh(qapp):
    from app.gui import i18n

    i18n.install_translator(qapp, "zh")
    yield
    i18n.install_translator(qapp, "en")
    i18n.reset_for_tests()


@pytest.fixture
def en(qapp):
    from app.gui import i18n

    i18n.install_translator(qapp, "en")
    yield
    i18n.reset_for_tests()


@pytest.fixture(scope="module")
def no_energy_results():
    """The sample park's analyses without its enterprise energy table (a planner's own park
    usually comes without one)."""
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    park = dataclasses.replace(load_sample_park(), enterprises=None)
    return run_park_analyses(park)


# ---- 1. the dashboard says why there are no emissions ------------------------------------------

def test_dashboard_says_why_a_park_without_energy_table_has_no_emissions(qtbot, zh, no_energy_results):
    from app.gui.dashboard import Dashboard

    dash = Dashboard()
    qtbot.addWidget(dash)
    dash.set_summary(no_energy_results.summary)
    assert math.isnan(dash.values["emissions_t_co2"]) and dash.values["pv_kwp"] > 0
    assert dash.cards["emissions"][1].text() == "–"
    note = dash.carbon_note.text()
    assert dash.carbon_note.isVisibleTo(dash), "a '–' without a reason"
    # the reason, and the two ways to give a table, named as the menus name them
    for part in ("企业能耗表", "文件 → 新建园区", "分析 → 碳排放核算与碳汇", "lingtan template energy"):
        assert part in note, (part, note)
    assert not LATIN_WORDS.search(note.replace("lingtan template energy --out", "")), note
    assert dash.cards["emissions"][1].toolTip() == note


def test_dashboard_with_an_energy_table_has_no_such_note(qtbot, zh):
    from app.gui.dashboard import Dashboard
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    dash = Dashboard()
    qtbot.addWidget(dash)
    dash.set_summary(run_park_analyses(load_sample_park()).summary)
    assert dash.values["emissions_t_co2"] > 0
    assert not dash.carbon_note.isVisibleTo(dash) and dash.carbon_note.text() == ""
    dash.set_summary({})  # nothing analysed: the empty-dashboard text, not this note
    assert dash.carbon_note.text() == ""


def test_dashboard_note_in_english(qtbot, en, no_energy_results):
    from app.gui.dashboard import Dashboard

    dash = Dashboard()
    qtbot.addWidget(dash)
    dash.set_summary(no_energy_results.summary)
    note = dash.carbon_note.text()
    assert "no enterprise energy table" in note and "File → New Park" in note
    assert "Analysis → Carbon Accounting and Sinks → energy table" in note


# ---- 2. coded attribute values as labels --------------------------------------------------------

def _coded_layer():
    from layers.layer import VectorLayer

    gdf = gpd.GeoDataFrame({
        "use_class": ["other", "industrial"],
        "roof_class": ["metal", "flat"],
        "roof_class_source": ["default for use: other", "field:roof_type"],
        "height_source": ["floors×6 m (industrial)", "missing"],
        "nea_ok": pd.array([True, pd.NA], dtype="boolean"),
        "kwp": [12.5, 3.0],
        "name": ["1号厂房", "other"],  # free text: never relabelled, even when it reads like a code
    }, geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10)], crs="EPSG:4547")
    return VectorLayer("rooftop_pv", gdf)


ZH_SHOWN = {  # column → (row 0, row 1) as the Chinese UI must show them
    "use_class": ("其他", "工业"),
    "roof_class": ("彩钢屋面", "平屋面"),
    "roof_class_source": ("按用途默认（其他）", "字段“roof_type”"),
    "height_source": ("层数 × 6 米（工业）", "缺失"),
    "nea_ok": ("是", ""),
    "kwp": ("12.5", "3"),
    "name": ("1号厂房", "other"),
}


def test_attribute_table_shows_labels_and_keeps_the_code_in_the_tooltip(qtbot, zh):
    from PySide6.QtCore import Qt

    from app.gui.attribute_table import FeatureTableModel

    model = FeatureTableModel(_coded_layer())
    cols = model.columns
    for name, shown in ZH_SHOWN.items():
        c = cols.index(name)
        got = tuple(model.data(model.index(r, c)) for r in range(2))
        assert got == shown, name
    c = cols.index("use_class")
    assert model.data(model.index(0, c), Qt.ItemDataRole.ToolTipRole) == "other"
    # the filter finds a row by the label the user reads, and still by the code
    model.set_filter("彩钢")
    assert list(model.view) == [0]
    model.set_filter("flat")
    assert list(model.view) == [1]


def test_attribute_table_labels_in_english(qtbot, en):
    from app.gui.attribute_table import FeatureTableModel

    model = FeatureTableModel(_coded_layer())
    cols = model.columns

    def cell(name, r):
        return model.data(model.index(r, cols.index(name)))

    assert cell("roof_class", 0) == "metal (colour-steel) roof"
    assert cell("roof_class_source", 0) == "default for the use (other)"
    assert cell("nea_ok", 0) == "yes"


def test_identify_panel_shows_labels(qtbot, zh):
    from app.gui.window_docks import IdentifyPanel

    panel = IdentifyPanel()
    qtbot.addWidget(panel)
    panel.show_features(_coded_layer(), [0])
    top = panel.tree.topLevelItem(0)
    values = {top.child(i).toolTip(0): (top.child(i).text(1), top.child(i).toolTip(1))
              for i in range(top.childCount())}
    for name, shown in ZH_SHOWN.items():
        assert values[name][0] == shown[0], name
    assert values["roof_class"][1] == "metal"  # the stored value in the tooltip


def test_no_raw_codes_in_the_chinese_pv_table(qtbot, zh, no_energy_results):
    """The sample park's rooftop PV layer: no English code words in any shown cell."""
    from app.gui.attribute_table import FeatureTableModel
    from layers.layer import VectorLayer

    gdf = no_energy_results.layers()["rooftop_pv"]
    model = FeatureTableModel(VectorLayer("rooftop_pv", gdf))
    codes = re.compile(r"^(other|industrial|warehouse|office|dormitory|public|metal|flat|pitched|True|False"
                       r"|default for use.*|floors×.*|field:.*|industrial_commercial)$")
    raw = []
    for c, name in enumerate(model.columns):
        for r in range(0, model.rowCount(), 37):
            text = model.data(model.index(r, c))
            if codes.match(str(text)):
                raw.append((name, text))
    assert not raw, raw[:10]


# ---- 3. the data report: Chinese encoding detail, one mark per problem --------------------------

def _shapefile_without_cpg(tmp_path):
    gdf = gpd.GeoDataFrame({"名称": ["临江街道", "江滨镇"], "code": ["330199001", "330199002"]},
                           geometry=[Point(120.1, 30.2), Point(120.2, 30.3)], crs="EPSG:4490")
    path = tmp_path / "towns.shp"
    gdf.to_file(path, encoding="gbk")
    for cpg in tmp_path.glob("towns.cpg"):
        cpg.unlink()
    return path


def test_data_report_in_chinese_has_chinese_encoding_detail_and_single_marks(tmp_path, zh):
    from app.gui.open_data import report_html
    from gis.io import read_vector

    result = read_vector(_shapefile_without_cpg(tmp_path))
    report = result[1] if isinstance(result, tuple) else result.report
    assert report.encoding_source == "detected" and report.problems
    doc = QTextDocument()
    doc.setHtml(report_html(report, "towns"))
    text = doc.toPlainText()
    assert "根据文字内容检测" in text
    assert not LATIN_WORDS.search(text.replace(str(report.path), "")), text
    assert "成对" in text  # the detail, in Chinese ("高位字节像 GBK 中文一样成对出现")
    # no list bullet in front of the level's own mark (it read "• ·")
    block = doc.begin()
    while block.isValid():
        assert block.textList() is None, block.text()
        block = block.next()
    assert not re.search(r"[•·]\s*[•·!✗]", text)


def test_data_report_in_english_keeps_english_detail(tmp_path, en):
    from app.gui.open_data import report_html
    from gis.io import read_vector

    result = read_vector(_shapefile_without_cpg(tmp_path))
    report = result[1] if isinstance(result, tuple) else result.report
    doc = QTextDocument()
    doc.setHtml(report_html(report, "towns"))
    assert "pair like Chinese GBK" in doc.toPlainText()


# ---- 5. the five-colour legend names each class with its thresholds -----------------------------

def test_five_colour_legend_in_the_window_has_the_thresholds(zh):
    from app.results import run_park_analyses
    from app.workspace import styled_result_layers
    from gis.park import load_sample_park
    from layers.legend import legend_block

    results = run_park_analyses(load_sample_park())
    layer = styled_result_layers(results, "zh", {"township_intensity"})["township_intensity"]
    rows = legend_block(layer, "zh").rows
    # the benchmark by hand: the district's total intensity, Σ tCO2 / Σ GDP (10⁴ yuan), and the
    # Zhejiang carbon-efficiency K breaks 0.6 / 0.8 / 1.2 / 2.0 (the method the sample uses)
    g = results.layers()["township_intensity"]
    ok = g["t_co2"].notna() & g["gdp_10k_yuan"].notna()
    bench = g.loc[ok, "t_co2"].sum() / g.loc[ok, "gdp_10k_yuan"].sum()
    edges = [f"{k * bench:.4f}" for k in (0.6, 0.8, 1.2, 2.0)]
    expected = [f"1 级（绿）K ≤ 0.6（≤ {edges[0]} tCO2/万元）",
                f"2 级（蓝）K 0.6–0.8（{edges[0]}–{edges[1]} tCO2/万元）",
                f"3 级（黄）K 0.8–1.2（{edges[1]}–{edges[2]} tCO2/万元）",
                f"4 级（橙）K 1.2–2.0（{edges[2]}–{edges[3]} tCO2/万元）",
                f"5 级（红）K > 2.0（> {edges[3]} tCO2/万元）"]
    assert [r.label for r in rows[:5]] == expected
    assert rows[5].label == "无数据"


def test_five_colour_style_from_breaks_alone_names_class_and_range():
    """A caller with only the breaks and the unit (no classification): name, range and unit."""
    from layers.preset_styles import township_intensity_style

    gdf = gpd.GeoDataFrame({"class": [1, 5]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)])
    style = township_intensity_style(gdf, title=("t", "t"), breaks=[0.25, 0.5, 1.0, 2.0], unit="tCO2/万元")
    labels = [style.row_label(c, "zh") for c in style.classes]
    assert labels[0] == "1 级（绿）≤ 0.25 tCO2/万元" and labels[4] == "5 级（红）> 2.00 tCO2/万元"
    assert style.row_label(style.classes[1], "en") == "class 2 (blue): 0.25–0.50 tCO2/万元"


def test_value_labels_cover_every_class_of_the_tables():
    """Every roof class, use class and NEA class of the resource tables has a Chinese label."""
    from gis.paths import resources_dir
    from layers.values import value_labels

    d = resources_dir() / "defaults"
    for field, table, col in (("roof_class", "roof_classes.csv", "roof_class"),
                              ("use_class", "storey_heights.csv", "use"),
                              ("nea_class", "nea_2021_rooftop_shares.csv", "nea_class")):
        codes = pd.read_csv(d / table)[col].astype(str).tolist()
        labels = value_labels(field, np.array(codes, dtype=object), "zh")
        assert set(labels) == set(codes), field
        assert all(re.search(r"[\u4e00-\u9fff]", v) for v in labels.values()), labels


def test_status_bar_names_the_crs_in_chinese(qtbot, zh, tmp_path):
    from pyproj import CRS

    from app.gui.main_window import MainWindow
    from app.gui.settings import use_settings_dir
    from app.workspace import Workspace

    use_settings_dir(tmp_path / "settings")
    win = MainWindow(Workspace())
    qtbot.addWidget(win)
    win._on_crs(CRS.from_epsg(4547))  # CGCS2000 / 3-degree Gauss-Kruger CM 114E (Wuhan)
    assert win.status_crs.toolTip() == "EPSG:4547 CGCS2000 / 3 度带高斯-克吕格投影 中央经线 114°E"
    win._on_crs(CRS.from_epsg(4490))
    assert win.status_crs.toolTip() == "EPSG:4490 2000 国家大地坐标系（CGCS2000）"
    win.workspace.mark_clean()
