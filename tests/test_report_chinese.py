"""The Chinese PDF report in Chinese (issue 17): the indicator table's sources and notes, the
five-colour map's legend with each class's thresholds, sink sources and CRS names — read back
from the PDF with pdftotext, the expected texts written out here."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

from layers.render import ensure_gui_app

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")

LATIN_SENTENCE = re.compile(r"[A-Za-z]{3,}(?: [A-Za-z]{2,}){2,}")
"""Three English words in a row."""


@pytest.fixture(scope="module")
def results():
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    ensure_gui_app()
    return run_park_analyses(load_sample_park())


@pytest.fixture(scope="module")
def pages_zh(results, tmp_path_factory) -> list[str]:
    from app.report import build_report

    out = tmp_path_factory.mktemp("report_zh") / "报告.pdf"
    build_report(results, out, "zh", date=dt.date(2025, 3, 1))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", " ", p) for p in text.split("\f")]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_with(pages: list[str], marker: str) -> str:
    found = [p for p in pages if marker in _squeeze(p)]
    assert found, marker
    return found[0]


def test_indicator_table_sources_and_notes_are_chinese(pages_zh):
    page = _page_with(pages_zh, "零碳园区指标（数值、阈值、达标情况、来源）")
    for english in ("park fact", "user input", "clean energy here", "national average today",
                    "green power over"):
        assert english not in page, english
    assert not LATIN_SENTENCE.search(page), LATIN_SENTENCE.search(page).group(0)
    squeezed = _squeeze(page)
    assert "园区资料（用户输入）" in squeezed
    assert "目前全国平均约2.1" in squeezed
    assert "我国统计口径的清洁能源包括天然气" in squeezed


def test_indicator_texts_follow_the_language_also_for_saved_rows():
    """A row saved before the table had both languages (no source_en, note_zh) reads in either."""
    from gis.carbon.indicators import indicator_texts

    old_row = {"set_key": "national-2025", "indicator_key": "solid_waste_use",
               "source": "国家零碳园区建设指标体系（试行）2025", "note": "park fact (user input)"}
    assert indicator_texts(old_row, "zh") == ("国家零碳园区建设指标体系（试行）2025", "园区资料（用户输入）")
    src_en, note_en = indicator_texts(old_row, "en")
    assert note_en == "park fact (user input)" and src_en.startswith("National zero-carbon park")
    gone = {"set_key": "old-set", "indicator_key": "x", "source": "某文件", "note": "a note"}
    assert indicator_texts(gone, "zh") == ("某文件", "")


def test_five_colour_legend_names_each_class_with_its_thresholds(pages_zh, results):
    page = _squeeze(" ".join(pages_zh))  # the map's legend
    g = results.layers()["township_intensity"]
    ok = g["t_co2"].notna() & g["gdp_10k_yuan"].notna()
    bench = g.loc[ok, "t_co2"].sum() / g.loc[ok, "gdp_10k_yuan"].sum()  # Σ tCO2 / Σ GDP, by hand
    e = [f"{k * bench:.4f}" for k in (0.6, 0.8, 1.2, 2.0)]
    dash = "[–‒-]"  # pdftotext gives the en dash as U+2012 from some fonts
    expected = [rf"1级（绿）K≤0\.6（≤{e[0]}tCO2/万元）",
                rf"2级（蓝）K0\.6{dash}0\.8（{e[0]}{dash}{e[1]}tCO2/万元）",
                rf"3级（黄）K0\.8{dash}1\.2（{e[1]}{dash}{e[2]}tCO2/万元）",
                rf"4级（橙）K1\.2{dash}2\.0（{e[2]}{dash}{e[3]}tCO2/万元）",
                rf"5级（红）K>2\.0（>{e[3]}tCO2/万元）"]
    for pattern in expected:
        assert re.search(pattern, page), pattern


def test_other_report_texts_in_chinese(pages_zh):
    text = " ".join(pages_zh)
    assert "China Geodetic Coordinate System" not in text
    assert "2000国家大地坐标系" in _squeeze(text)
    assert "factor set" not in text
    assert "Guangdong LULUCF" not in text  # the sink factors' sources: their Chinese half


def test_english_report_keeps_english_sources(results, tmp_path):
    from app.report import build_report

    out = build_report((results.summary, results.layers()), tmp_path / "r.pdf", "en",
                       date=dt.date(2025, 3, 1))
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                              check=True).stdout)
    assert "park fact (user input)" in text
    assert "class 1 (green)" in text
