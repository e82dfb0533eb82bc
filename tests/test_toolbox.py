"""The enterprise energy toolbox (企业能源工具箱): grade after each measure by hand, the enterprise's PV
equal to the rooftop engine run directly on its buildings, the PDF's text (pdftotext), the CLI's
JSON contract, an unknown id exiting 2 with close ids, user text that looks like a template, and the
GUI action writing the PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
import types
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from app.cli import main
from gis.paths import sample_dir

GRID_KG_PER_KWH = 0.5306
"""National grid average emission factor 2023 (MEE & NBS, 0.5306 kgCO2/kWh), the default factor set's
electricity factor: the published figure, written out so that the hand calculation is independent."""


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _electricity_park(name_c: str = "丙公司") -> types.SimpleNamespace:
    """Three C34 enterprises using electricity only (10⁴ kWh) in 2024, no buildings."""
    table = pd.DataFrame({
        "企业代码": ["A", "B", "C"], "企业名称": ["甲公司", "乙公司", name_c], "行业": ["机械制造"] * 3,
        "行业代码": ["C34"] * 3, "年份": [2024] * 3, "电力(万千瓦时)": [100.0, 200.0, 300.0],
        "工业增加值(万元)": [500.0, 500.0, 400.0]})
    return types.SimpleNamespace(enterprises=table, buildings=None)


def test_grade_after_each_measure_by_hand():
    from app.toolbox import enterprise_toolbox

    r = enterprise_toolbox(_electricity_park(), "C", hourly=False)
    # CO2 = 10⁴ kWh × 10⁴ × 0.5306 kg / 1000: A 530.6 t, B 1061.2 t, C 1591.8 t
    # benchmark L = Σ CO2 / Σ VA = 3183.6 / 1400 = 2.274; L(C) = 1591.8 / 400 = 3.9795; K = 1.75 → grade 4
    bench = (100 + 200 + 300) * 1e4 * GRID_KG_PER_KWH / 1000 / 1400
    L = 300 * 1e4 * GRID_KG_PER_KWH / 1000 / 400
    assert r.benchmark_L == pytest.approx(bench) and r.L == pytest.approx(L)
    assert r.K == pytest.approx(1.75) and r.grade == 4
    assert r.rank_industry == 3 and r.industry_members == 3
    by = {m.key: m for m in r.measures}
    assert "pv" not in by  # no buildings, no roofs
    # green power up to 50 % of 3,000,000 kWh: 1,500,000 kWh × 0.5306 kg = 795.9 t
    # L = (1591.8 − 795.9) / 400 = 1.98975, K = 1.98975 / 2.274 = 0.875 → grade 3 (0.8 < K ≤ 1.2)
    g = by["green_power"]
    assert g.green_kwh == pytest.approx(1.5e6)
    assert g.t_co2_yr == pytest.approx(795.9)
    assert g.L_after == pytest.approx(1.98975) and g.K_after == pytest.approx(0.875)
    assert g.grade_after == 3
    # efficiency −13.5 %: L = 3.9795 × 0.865 = 3.4422675, K = 1.51375 → grade 4 (1.2 < K ≤ 2.0)
    e = by["efficiency"]
    assert e.K_after == pytest.approx(1.75 * 0.865) and e.grade_after == 4
    # all together: electricity 2,595,000 kWh, green 1,297,500 kWh; reduction 0.135 × 1591.8 + 1,297,500 ×
    # 0.0005306 = 214.893 + 688.4535 = 903.3465 t; L = 688.4535 / 400 = 1.72113375, K = 0.756875 → grade 2
    p = by["package"]
    assert p.t_co2_yr == pytest.approx(903.3465)
    assert p.K_after == pytest.approx(0.756875) and p.grade_after == 2
    assert p.level_after == "medium"  # 0.6 < L = 1.72 ≤ 2.0
    assert r.package is not None and r.package.estimated  # annual estimates, said so


def test_enterprise_pv_equals_the_rooftop_engine_on_its_buildings():
    from app.pv import site_rooftop_pv
    from app.toolbox import enterprise_toolbox
    from gis.park import load_sample_park
    from gis.solar.rooftop import PVSettings

    park = load_sample_park()
    r = enterprise_toolbox(park, "E010")
    raw = gpd.read_file(sample_dir() / "park.gpkg", layer="buildings")
    assert r.pv is not None and r.pv.buildings == int((raw["enterprise_id"] == "E010").sum()) == 6
    mine = park.buildings[park.buildings["enterprise_id"] == "E010"]
    direct = site_rooftop_pv(mine, PVSettings()).totals
    assert r.pv.kwp == pytest.approx(float(direct["kwp"]), rel=1e-9)
    assert r.pv.kwh_yr == pytest.approx(float(direct["kwh_yr"]), rel=1e-9)
    whole = site_rooftop_pv(park.buildings, PVSettings()).totals  # not the park's roofs
    assert r.pv.kwp < 0.2 * float(whole["kwp"])
    p = r.package
    assert p is not None and not p.estimated  # the hourly analysis of its own load
    assert p.load_kwh == pytest.approx(r.electricity_kwh, rel=1e-6)
    assert 0 < p.used_pv_only_kwh <= p.pv_kwh and p.pv_kwh == pytest.approx(r.pv.kwh_yr, rel=0.01)
    by = {m.key: m for m in r.measures}
    assert by["pv"].t_co2_yr == pytest.approx(p.used_pv_only_kwh * GRID_KG_PER_KWH / 1000)


def test_cli_pdf_text_and_json(tmp_path, capsys):
    out = tmp_path / "工具箱.pdf"
    assert main(["toolbox", "--sample", "--enterprise", "E010", "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert {"id", "name", "industry", "t_co2", "tce", "L", "K", "grade", "rank", "pv", "package",
            "measures"} <= set(s)
    assert {"kwp", "kwh_yr"} <= set(s["pv"])
    assert {"capex", "npv", "payback", "self_sufficiency"} <= set(s["package"])
    assert all({"name", "t_co2_yr", "grade_after"} <= set(m) for m in s["measures"])
    assert s["id"] == "E010" and s["name"] == "杭州天衡机械制造有限公司" and s["grade"] == 4
    assert 3 <= s["pages"] <= 5
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary left beside it
    text = _pdf_text(out).replace("\n", "")
    assert "杭州天衡机械制造有限公司" in text
    assert "4 级" in text and "碳效等级" in text
    assert f"{s['tce']:,.1f} tce" in text
    assert f"{s['pv']['kwp']:,.1f}" in text
    assert f"{s['L']:.3f}" in text
    for m in s["measures"]:
        assert m["name"] in text


def test_unknown_enterprise_exits_2_with_close_ids(tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["toolbox", "--sample", "--enterprise", "E10", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "E010" in err and "No enterprise 'E10'" in err and "没有企业" in err
    assert not out.exists()


def test_names_are_values_not_templates(tmp_path):
    from app.report.toolbox_pages import write_toolbox_pdf
    from app.toolbox import enterprise_toolbox

    name = "丙{0}%s{name}公司"
    r = enterprise_toolbox(_electricity_park(name), "C", hourly=False)
    out = write_toolbox_pdf(r, tmp_path / "c.pdf")
    text = _pdf_text(out)
    assert name in text.replace("\n", "") and "估算" in text


def test_gui_action_writes_the_pdf(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from app.gui.main_window import MainWindow
    from app.gui.toolbox_dialog import EnterprisePicker, _menu_for, enterprise_of
    from app.workspace import Workspace
    from gis.park import load_sample_park

    ws = Workspace()
    ws.set_park(load_sample_park())
    win = MainWindow(ws)
    qtbot.addWidget(win)
    monkeypatch.setattr("app.gui.project_actions.maybe_save", lambda mw: True)  # no save prompt on close
    act = win.actions_by_name["enterprise_toolbox"]
    assert act in win.menu_analysis.actions()
    out = tmp_path / "gui.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF (*.pdf)"))
    seen: list[str] = []

    def pick(dlg) -> int:  # the searchable list: type part of the name, take the one left
        dlg.search.setText("天衡机械")
        shown = [dlg.list.item(i) for i in range(dlg.list.count()) if not dlg.list.item(i).isHidden()]
        seen.extend(str(i.text()) for i in shown)
        return 1  # accepted

    monkeypatch.setattr(EnterprisePicker, "exec", pick)
    act.trigger()
    assert seen == ["E010  杭州天衡机械制造有限公司"]
    qtbot.waitUntil(out.exists, timeout=120_000)  # written by a background task
    qtbot.waitUntil(lambda: "gui.pdf" in win.statusBar().currentMessage(), timeout=10_000)
    text = _pdf_text(out).replace("\n", "")
    from app.gui.i18n import ui_lang

    assert "杭州天衡机械制造有限公司" in text  # the PDF speaks the interface's language
    assert ("4 级（碳效较低）" if ui_lang() == "zh" else "Grade 4 (fairly low)") in text
    # right-click: a grade-layer feature names its enterprise, and the menu offers the toolbox for it
    layer = types.SimpleNamespace(name="enterprise_grades",
                                  gdf=pd.DataFrame({"enterprise_id": ["E010", None]}))
    assert enterprise_of(layer, 0) == "E010" and enterprise_of(layer, 1) is None
    assert enterprise_of(types.SimpleNamespace(name="buildings", gdf=layer.gdf), 0) is None
    menu = _menu_for(win, "E010", win)
    assert "E010" in menu.actions()[0].text()
    win.close()


def test_right_click_on_an_enterprise_offers_its_toolbox(qtbot, monkeypatch):
    from app.gui import toolbox_dialog as td
    from app.gui.main_window import MainWindow
    from app.processing.registry import algorithm
    from app.workspace import Workspace
    from gis.park import load_sample_park

    ws = Workspace()
    ws.set_park(load_sample_park())
    win = MainWindow(ws)
    qtbot.addWidget(win)
    monkeypatch.setattr("app.gui.project_actions.maybe_save", lambda mw: True)
    grades = algorithm("grades")({}, sample=True).layers["enterprise_grades"]
    layer = ws.put_result_layer("enterprise_grades", grades)
    win.resize(1200, 800)
    win.show()
    # the attribute table: the row of a building of E010
    win.open_attribute_table(layer)
    table = win.attribute_table
    qtbot.waitUntil(lambda: table.model.rowCount() == len(grades))
    feature = int(grades.index[grades["enterprise_id"] == "E010"][0])
    row = int(list(table.model.view).index(feature))
    menu = td.table_menu_at(win, table.view.visualRect(table.model.index(row, 0)).center())
    assert menu is not None and len(menu.actions()) == 1 and "E010" in menu.actions()[0].text()
    # the map: the centre of that building's footprint, in the canvas's pixels
    win.canvas.zoom_to_layer(layer)
    qtbot.wait(50)
    c = layer.gdf.to_crs(win.canvas.crs()).geometry.iloc[feature].representative_point()
    px, py = win.canvas.to_pixel(c.x, c.y)
    assert td.map_enterprise_at(win, float(px), float(py)) == "E010"
    win.close()
