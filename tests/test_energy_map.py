"""The township map's quantities: energy intensity (能耗五色图), totals and per-mu figures, by hand."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from app.cli import main
from app.intensity_map import intensity_map, map_style
from gis.paths import sample_dir


def _towns():
    return gpd.GeoDataFrame({"code": ["330100001", "330100002", "330100003"],
                             "name": ["甲镇", "乙镇", "丙镇"]},
                            geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000),
                                      box(2000, 0, 3000, 1000)], crs="EPSG:32650")


def _stats():
    return pd.DataFrame({"乡镇街道代码": ["330100001", "330100002", "330100003"], "年份": [2023] * 3,
                         "综合能耗(万吨标准煤)": [1.2, 3.0, 0.1], "碳排放(万吨)": [3.0, 8.0, 0.2],
                         "地区生产总值(亿元)": [10.0, 20.0, 10.0], "土地面积(亩)": [1500.0, 3000.0, 500.0]})


def test_energy_intensity_of_townships_by_hand():
    r = intensity_map(_towns(), _stats(), quantity="energy")
    g = r.layer.set_index("code")
    # 甲: 12 000 tce / 100 000 万元 = 0.12 tce/万元; 乙: 30 000 / 200 000 = 0.15; 丙: 1 000 / 100 000 = 0.01
    assert g.loc["330100001", "value"] == pytest.approx(0.12)
    assert g.loc["330100002", "value"] == pytest.approx(0.15)
    # ratio: benchmark Σ tce / Σ GDP = 43 000 / 400 000 = 0.1075; K = 1.116, 1.395, 0.093 → classes 3, 4, 1
    assert g.loc["330100001", "k_ratio"] == pytest.approx(0.12 / 0.1075)
    assert list(g["class"]) == [3, 4, 1]
    # the carbon intensity is still there: 30 000 tCO2 / 100 000 万元
    assert g.loc["330100001", "intensity"] == pytest.approx(0.3)
    s = r.summary()
    assert s["quantity"] == "energy" and all("tce/万元" in lab for lab in s["classification"]["labels_zh"])
    assert "能耗" in s["classification"]["description_zh"]
    style = map_style(r, label_field="name")
    assert style.title_zh == "乡镇街道能耗强度 2023"
    assert any("tce/万元" in c.label_zh for c in style.classes)


def test_carbon_default_unchanged_by_energy_column():
    g = intensity_map(_towns(), _stats()).layer.set_index("code")
    # 80 000 tCO2 / 200 000 万元 = 0.4 tCO2/万元
    assert g.loc["330100002", "value"] == pytest.approx(0.4) and g.loc["330100002", "intensity"] == 0.4


def test_totals_and_per_mu_by_hand():
    tot = intensity_map(_towns(), _stats(), quantity="energy_total", method="fixed",
                        thresholds=[5000, 10000, 20000, 40000]).layer.set_index("code")
    assert list(tot["value"]) == pytest.approx([12000.0, 30000.0, 1000.0])
    assert list(tot["class"]) == [3, 4, 1]  # 12 000 in (10 000, 20 000]; 30 000 in (20 000, 40 000]
    co2 = intensity_map(_towns(), _stats(), quantity="co2_total").layer.set_index("code")
    # ratio on totals: benchmark = the townships' mean, (30 000 + 80 000 + 2 000) / 3
    assert co2.loc["330100002", "k_ratio"] == pytest.approx(80000 / (112000 / 3))
    pm = intensity_map(_towns(), _stats(), quantity="energy_per_mu").layer.set_index("code")
    assert list(pm["value"]) == pytest.approx([12000 / 1500, 30000 / 3000, 1000 / 500])
    pc = intensity_map(_towns(), _stats(), quantity="co2_per_mu")
    assert pc.layer["value"].iloc[1] == pytest.approx(80000 / 3000)
    assert all("tCO2/亩" in lab for lab in pc.summary()["classification"]["labels_zh"])


def test_energy_only_table_draws_the_energy_map_and_names_missing():
    st = _stats().drop(columns=["碳排放(万吨)"])
    st.loc[2, "综合能耗(万吨标准煤)"] = np.nan
    r = intensity_map(_towns(), st, quantity="energy")
    g = r.layer.set_index("code")
    assert g.loc["330100002", "value"] == pytest.approx(0.15) and g.loc["330100003", "class"] == 0
    assert g.loc["330100003", "no_data_reason"] == "no_emissions"
    warn = [p for p in r.problems if p.code == "intensity.no_data.no_emissions"]
    assert len(warn) == 1 and "丙镇" in warn[0].zh and "能耗" in warn[0].zh


def test_cli_energy_quantity_from_fuels(tmp_path, capsys):
    out = tmp_path / "e.gpkg"
    code = main(["intensity", str(sample_dir() / "park.gpkg"), "--layer", "townships", "--stats",
                 str(sample_dir() / "township_stats.csv"), "--quantity", "energy", "--out", str(out),
                 "--json"])
    assert code == 0
    s = json.loads(capsys.readouterr().out)
    assert s["quantity"] == "energy"
    g = pyogrio.read_dataframe(out, layer="intensity")
    ok = g["gdp_10k_yuan"] > 0
    np.testing.assert_allclose(g.loc[ok, "value"], g.loc[ok, "tce"] / g.loc[ok, "gdp_10k_yuan"], rtol=1e-9)
    # tce from the fuel columns of 临浦街道's latest row by hand, GB/T 2589-2020 coefficients: raw coal
    # 0.7143 kgce/kg, natural gas 1.2143 kgce/m³, electricity 0.1229 kgce/kWh (equivalent value),
    # 成品油 as diesel 1.4571 kgce/kg
    t = pd.read_csv(sample_dir() / "township_stats.csv")
    r = t[t["乡镇街道名称"] == "临浦街道"].sort_values("年份").iloc[-1]
    hand = (r["原煤(吨)"] * 0.7143 + r["天然气(万立方米)"] * 1e4 * 1.2143e-3
            + r["电力(万千瓦时)"] * 1e4 * 0.1229e-3 + r["成品油(吨)"] * 1.4571)
    assert float(g.loc[g["name"] == "临浦街道", "tce"].iloc[0]) == pytest.approx(hand, rel=1e-4)


def test_report_page_names_the_quantity(monkeypatch):
    from app.report import pages
    from app.summaries import IntensitySummary

    r = intensity_map(_towns(), _stats(), quantity="energy")
    seen: list[str] = []

    class Doc:  # records the page's text (zh)
        def t(self, zh, en):
            return zh

        def heading(self, text, **_):
            seen.append(text)

        def paragraph(self, text, **_):
            seen.append(text)

        def table(self, cols, rows, caption="", **_):
            seen.extend([caption, *(c.title if hasattr(c, "title") else str(c) for c in cols)])

    monkeypatch.setattr(pages, "add_map", lambda doc, layers, caption, **_: seen.append(caption))
    monkeypatch.setattr(pages, "report_layer", lambda *a, **k: None)
    data = pages.ReportData(summary=type("S", (), {"intensity": IntensitySummary.from_dict(r.summary())})(),
                            layers={"township_intensity": r.layer})
    pages.intensity(Doc(), data)
    text = "\n".join(map(str, seen))
    assert "乡镇街道能耗强度五色图" in text and "按能耗强度分为五级" in text
    assert "能耗强度 tce/万元" in text and "碳排放强度" not in text
