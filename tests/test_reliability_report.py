"""The PDF report as a reader uses it (pdftotext, the tool planners' search and copy rely on):
ranges extract with the en dash, every township is labelled on both maps, the cover names the
preparing organisation when given, and each map says where its data come from."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")


@pytest.fixture(scope="module")
def results():
    from app.results import run_park_analyses
    from gis.park import load_sample_park
    from layers.render import ensure_gui_app

    ensure_gui_app()
    return run_park_analyses(load_sample_park())


@pytest.fixture(scope="module")
def pages(results, tmp_path_factory) -> list[str]:
    from app.report import build_report

    out = tmp_path_factory.mktemp("report") / "report.pdf"
    build_report(results, out, "zh", date=dt.date(2025, 3, 1), organisation="某某规划设计研究院")
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")


def test_ranges_extract_as_en_dash(pages):
    text = "\f".join(pages)
    assert "\u2012" not in text  # the figure dash, which the CJK font draws with the en dash's glyph
    # the five-colour classes: "K 0.6–0.8", searchable as typed
    assert re.search(r"0\.6\u20130\.8", text)


def test_every_township_is_labelled_on_both_maps(results, pages):
    names = results.park.townships["name"].tolist()
    assert len(names) == 26
    maps = [p for p in pages if "图 1 园区区位" in p or re.search(r"图 \d+ 乡镇街道碳排放强度五色图", p)]
    assert len(maps) == 2
    for page in maps:
        assert [n for n in names if n not in page] == []


def test_legend_never_covers_the_township_map(results, tmp_path):
    """The wide five-colour legend goes below the map: no label's text run lies inside the legend's
    box (pdftotext -bbox gives every word's box)."""
    from app.report import build_report

    out = tmp_path / "r.pdf"
    build_report(results, out, "zh", date=dt.date(2025, 3, 1), contents=False)
    html = subprocess.run(["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    names = set(results.park.townships["name"])
    for page in html.split("<page ")[1:]:
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                           r'yMax="([\d.]+)">([^<]*)</word>', page)
        title = [w for w in words if w[4].startswith("乡镇碳排放强度五色图")]
        if not title:
            continue
        top = float(title[0][1])  # the legend's title: everything below it is legend
        left = float(title[0][0])
        inside = [w[4] for w in words if w[4] in names and float(w[1]) > top and float(w[2]) > left]
        assert inside == []


def test_cover_names_the_preparing_organisation(pages):
    assert "编制单位：某某规划设计研究院" in pages[0]


def test_cover_without_organisation_has_no_such_line(results, tmp_path):
    from app.report import build_report

    out = tmp_path / "r.pdf"
    build_report(results, out, "zh", date=dt.date(2025, 3, 1), contents=False)
    text = subprocess.run(["pdftotext", "-l", "1", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "编制单位" not in text


def test_every_map_names_its_data_sources(pages):
    figures = sum(len(re.findall(r"图 \d+ ", p)) for p in pages)
    notes = "\n".join(pages).count("数据来源：")
    assert notes >= 5  # location, PV, sinks, green space, five-colour map (at least)
    assert notes <= figures
    text = re.sub(r"\s+", "", "".join(pages))
    assert "园区红线：park.gpkg的boundary图层" in text
    assert "屋顶光伏：Lingtan计算（据park.gpkg的buildings图层）" in text
    assert "township_stats.csv" in text  # the five-colour map's statistics table


def test_cli_report_organisation(tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "r.pdf"
    code = main(["report", "--sample", "--out", str(out), "--organisation", "杭州某院", "--no-contents"])
    assert code == 0, capsys.readouterr().err
    text = subprocess.run(["pdftotext", "-l", "1", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "编制单位：杭州某院" in text
