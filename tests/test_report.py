"""The PDF report (app/report): read back with poppler (pdftotext, pdffonts, pdfinfo, pdftoppm).

One sample-park analysis and one report per language are shared by the module. Expected figures
are formatted here from the summary's numbers, independently of the report code.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.report import build_report
from app.report.document import Column, ReportDocument
from app.report.pdf_text import fix_cjk_tounicode
from gis.progress import Cancelled, Progress
from layers.render import ensure_gui_app

DATE = dt.date(2025, 3, 1)
POPPLER = all(shutil.which(t) for t in ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts …) not installed")


@pytest.fixture(scope="module")
def results():
    from app.results import AnalysisOptions, run_park_analyses
    from gis.park import load_sample_park

    ensure_gui_app()
    return run_park_analyses(load_sample_park(), AnalysisOptions())


@pytest.fixture(scope="module")
def report_zh(results, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report_zh")
    return build_report(results, out / "报告.pdf", "zh", date=DATE)


@pytest.fixture(scope="module")
def report_en(results, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report_en")
    return build_report((results.summary, results.layers()), out / "report_en.pdf", "en", date=DATE)


def _run(*cmd) -> str:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=True).stdout


def _text(path: Path, page: int | None = None) -> str:
    args = ["-f", page, "-l", page] if page else []
    return _run("pdftotext", *args, path, "-")


def _pages(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", path), re.M).group(1))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ---- the sample report ---------------------------------------------------------------------------

def test_report_is_a_complete_pdf_without_leftovers(report_zh):
    data = report_zh.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert [p.name for p in report_zh.parent.iterdir()] == [report_zh.name]  # no temp file left


def test_cross_reference_offsets_point_at_objects(report_zh):
    # the ToUnicode repair rewrites streams: every xref offset must still land on "n 0 obj"
    data = report_zh.read_bytes()
    start = int(re.search(rb"startxref\s+(\d+)", data).group(1))
    assert data[start:start + 4] == b"xref"
    m = re.match(rb"xref\s+0 (\d+)\s+", data[start:])
    entries = re.findall(rb"(\d{10}) (\d{5}) ([nf])", data[start + m.end():])[: int(m.group(1))]
    in_use = [(i, int(off)) for i, (off, _, kind) in enumerate(entries) if kind == b"n"]
    assert len(in_use) > 50
    for number, offset in in_use:
        assert data[offset:offset + 20].startswith(b"%d 0 obj" % number), number


@needs_poppler
def test_chinese_text_headings_numbers_and_page_numbers(report_zh, results):
    s = results.summary
    text = _text(report_zh)
    flat = _squeeze(text)
    pages = _pages(report_zh)
    assert 10 <= pages <= 40
    for heading in ("零碳园区规划报告", "目录", "园区概况", "屋顶光伏潜力", "绿地与碳汇", "碳排放核算",
                    "碳平衡与情景", "零碳园区指标评价", "乡镇街道碳排放强度五色图", "假设与数据来源"):
        assert heading in text, heading
    assert _squeeze(s["park"]["name"]) in flat
    assert "2025年3月1日" in flat
    # digits after CJK text (OpenType locl would swap them for glyphs Qt cannot map back to text)
    assert f"（{s['park']['area_mu']:,.0f}亩）" in flat
    pv = s["pv"]
    assert f"{pv['kwp']:,.0f}kWp" in flat                       # 80,904 kWp
    assert f"{pv['kwh_yr'] / 1000:,.0f}MWh" in flat             # 74,537 MWh
    gross = s["carbon"]["balance"]["scenarios"][0]["lines"]["gross_t_co2"]
    assert f"{gross:,.0f}" in flat
    for sc in s["carbon"]["balance"]["scenarios"]:
        assert f"{sc['lines']['net_t_co2']:,.0f}" in flat
    assert f"第2页/共{pages}页" in flat and f"第{pages}页/共{pages}页" in flat
    # the top building by yield is in the top-15 table
    layer = results.layers()["rooftop_pv"]
    top = layer.sort_values("kwh_yr", ascending=False).iloc[0]
    assert str(top["bldg_id"]) in flat and f"{top['kwh_yr'] / 1000:,.1f}" in flat
    # every township of the five-colour map is listed
    for name in results.layers()["township_intensity"]["name"]:
        assert name in flat


@needs_poppler
def test_extracted_text_has_ideographs_not_kangxi_radicals(report_zh):
    text = _text(report_zh)
    # 气 (U+6C14) and 力 (U+529B) share glyphs with the Kangxi radicals ⽓ ⼒ in Noto CJK / YaHei
    assert "天然气" in text and "电力" in text
    radicals = sorted({ch for ch in text if 0x2E80 <= ord(ch) <= 0x2FDF})
    assert not radicals, radicals


@needs_poppler
def test_all_fonts_embedded_with_a_cjk_font(report_zh):
    rows = _run("pdffonts", report_zh).splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        emb = cols[-5]  # name type... encoding emb sub uni object ID
        assert emb == "yes", row
    # the bundled Chinese font (resources/fonts), so the report is the same on every machine
    assert any(r.startswith("LingtanNotoSansSC-Regular") for r in rows), rows


@needs_poppler
def test_every_page_renders_and_is_not_empty(report_zh, tmp_path):
    pages = _pages(report_zh)
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(report_zh), str(tmp_path / "p")], check=True,
                   capture_output=True)
    files = sorted(tmp_path.glob("p-*.png"))
    assert len(files) == pages
    for f in files:
        img = QImage(str(f))
        assert not img.isNull()
        dark = sum(1 for y in range(0, img.height(), 2) for x in range(0, img.width(), 2)
                   if img.pixelColor(x, y).lightness() < 235)
        assert dark > 20, f.name  # some text or drawing on every page


@needs_poppler
def test_maps_are_drawn_in_colour(report_zh, tmp_path):
    # page 3 (overview) has the park's green space and red line; find the pages by their text
    pages = _pages(report_zh)
    page_of = {}
    for k in range(1, pages + 1):
        t = _text(report_zh, k)
        for key in ("园区现状", "乡镇街道碳排放强度五色图（"):
            if key in t and key not in page_of:
                page_of[key] = k
    assert set(page_of) == {"园区现状", "乡镇街道碳排放强度五色图（"}
    for key, green in (("园区现状", "green space"), ("乡镇街道碳排放强度五色图（", "class 1")):
        k = page_of[key]
        subprocess.run(["pdftoppm", "-r", "40", "-f", str(k), "-l", str(k), "-png", str(report_zh),
                        str(tmp_path / f"m{k}")], check=True, capture_output=True)
        img = QImage(str(next(tmp_path.glob(f"m{k}-*.png"))))
        greens = sum(1 for y in range(0, img.height(), 2) for x in range(0, img.width(), 2)
                     if (c := img.pixelColor(x, y)).green() > c.red() + 40 and c.green() > c.blue() + 20)
        assert greens > 100, (key, green, greens)


@needs_poppler
def test_english_report(report_en):
    text = " ".join(_text(report_en).split())
    assert "five-colour" in text and "\ufb01" not in text  # the fi ligature extracts as "fi"
    for heading in ("Zero-Carbon Industrial Park Planning Report", "Contents", "Park overview",
                    "Rooftop PV potential", "Carbon emissions", "Carbon balance and scenarios",
                    "Zero-carbon park indicators", "Assumptions and data sources", "1 March 2025"):
        assert heading in text, heading
    pages = _pages(report_en)
    assert f"Page 2 of {pages}" in text
    assert "园区概况" not in text and "第 2 页" not in text


# ---- layout units ----------------------------------------------------------------------------------

@needs_poppler
def test_long_table_splits_across_pages_with_its_header(tmp_path):
    ensure_gui_app()
    doc = ReportDocument(lang="en", title="t", header_left="pagination test")
    doc.heading("Long table")
    rows = [[f"row{i:03d}", f"{i * 1000:,}"] for i in range(150)]
    n = doc.table([Column("HeaderAlpha", 2), Column("HeaderBeta", 1, "right")], rows, caption="Many rows")
    path = doc.write(tmp_path / "long.pdf")
    pages = _pages(path)
    assert n == pages >= 3
    seen = []
    for k in range(1, pages + 1):
        t = _text(path, k)
        assert "HeaderAlpha" in t and "HeaderBeta" in t, k  # header repeated on every page
        if k > 1:
            assert "Table 1 (continued)" in t
        assert f"Page {k} of {pages}" in t
        seen += re.findall(r"row\d{3}", t)
    assert seen == [f"row{i:03d}" for i in range(150)]  # every row once, in order


@needs_poppler
def test_tounicode_repair_on_a_bare_qt_pdf(tmp_path):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPainter, QPdfWriter

    from layers.legend import device_font

    ensure_gui_app()
    path = tmp_path / "bare.pdf"
    w = QPdfWriter(str(path))
    w.setResolution(300)
    p = QPainter(w)
    p.setFont(device_font(14, 300))
    p.drawText(QPointF(100, 200), "天然气 电力 一二三 水火")
    p.end()
    fix_cjk_tounicode(path)
    assert "天然气电力一二三水火" in _squeeze(_text(path))
    assert fix_cjk_tounicode(path) == 0  # nothing left to repair


def test_progress_reaches_one_and_cancel_leaves_no_file(results, tmp_path):
    seen: list[float] = []
    path = build_report(results, tmp_path / "r.pdf", "zh", Progress(lambda f, m: seen.append(f)), date=DATE)
    assert path.exists() and seen[-1] == 1.0 and seen == sorted(seen)
    calls = []

    def cb(f, m):
        calls.append(f)
        if len(calls) == 5:
            prog.cancel()

    prog = Progress(cb)
    with pytest.raises(Cancelled):
        build_report(results, tmp_path / "c.pdf", "zh", prog, date=DATE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]


def test_bad_language_is_bad_input(results, tmp_path):
    from gis.errors import InputError

    with pytest.raises(InputError):
        build_report(results, tmp_path / "x.pdf", "fr")


# ---- command line ----------------------------------------------------------------------------------

@pytest.fixture
def cli():
    import app.cli

    return app.cli.main


def test_cli_report_sample(cli, tmp_path, capsys):
    out = tmp_path / "r.pdf"
    args = ["report", "--sample", "--out", str(out), "--lang", "en", "--date", "2025-03-01", "--json"]
    assert cli(args) == 0
    import json

    summary = json.loads(capsys.readouterr().out)
    assert summary["report"] == str(out) and summary["lang"] == "en" and out.exists()
    if POPPLER:
        assert summary["pages"] == _pages(out)


def test_cli_bad_input_exit_codes(cli, tmp_path):
    assert cli(["report", str(tmp_path / "missing.json"), "--out", str(tmp_path / "r.pdf")]) == 2
    assert cli(["report", "--sample", "--out", str(tmp_path / "r.pdf"), "--date", "1.3.2025"]) == 2
    assert cli(["report", "--out", str(tmp_path / "r.pdf")]) == 2
    assert not (tmp_path / "r.pdf").exists()


def test_run_report_is_the_report_command_and_leaves_out_the_contents(cli, results, tmp_path, capsys):
    """``lingtan run report`` is ``lingtan report``; --no-contents drops the contents page, which the
    report with contents has (the page whose text is the chapter list)."""
    import json

    from app.cmd_report import pdf_page_count

    out = tmp_path / "no_toc.pdf"
    assert cli(["run", "report", "--sample", "--out", str(out), "--date", "2025-03-01", "--no-contents",
                "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) == {"report", "lang", "pages", "seconds"} and summary["lang"] == "zh"
    with_toc = build_report(results, tmp_path / "toc.pdf", "zh", date=DATE)
    assert summary["pages"] == pdf_page_count(out) == pdf_page_count(with_toc) - 1
    if POPPLER:
        assert "目录" not in _text(out, 2) and "目录" in _text(with_toc, 2)
        assert "2025" in _text(out, 1)


def test_report_from_python_takes_results_in_memory(results, tmp_path, monkeypatch):
    """The algorithm called from Python with results (as the desktop app passes the open project's):
    nothing is analysed again, and the PDF written is the one build_report writes of them."""
    import app.results
    from app.cmd_report import pdf_page_count
    from app.processing.registry import algorithm

    def no_rerun(*a, **k):
        raise AssertionError("the analyses ran again")

    alg = algorithm("report")
    with monkeypatch.context() as m:
        m.setattr(app.results, "run_park_analyses", no_rerun)
        out = alg({"project": results}, lang="en", date=DATE)
    assert out.result is results
    summary, lines = alg.output_file.write_output(out, tmp_path / "r.pdf", alg.values({"lang": "en"}))
    headless = build_report(results, tmp_path / "h.pdf", "en")
    assert summary["pages"] == pdf_page_count(headless) and summary["lang"] == "en"
    pages, seconds = summary["pages"], summary["seconds"]
    assert lines == [f"报告 Report: {tmp_path / 'r.pdf'}  ({pages} 页 pages, {seconds} s)"]


def test_report_from_a_saved_project(results, tmp_path):
    pytest.importorskip("app.project_file")
    from app.cmd_report import report_source
    from app.project_file import save_project
    from app.results import AnalysisOptions, run_park_analyses
    from app.workspace import Workspace

    ws = Workspace()
    park = ws.load_sample()  # the park's layers in the tree, as the GUI has them
    ws.set_results(run_park_analyses(park, AnalysisOptions()))
    path = save_project(ws, tmp_path / "park.lingtan.gpkg")
    summary, layers = report_source(path, False)
    assert summary.pv.kwp == pytest.approx(results.summary["pv"]["kwp"])  # typed (app.summaries)
    assert {"boundary", "buildings", "rooftop_pv", "township_intensity"} <= set(layers)
    pdf = build_report((summary, layers), tmp_path / "saved.pdf", "zh", date=DATE)
    if POPPLER:
        assert f"{results.summary['pv']['kwp']:,.0f}kWp" in _squeeze(_text(pdf))


def test_a_saved_park_without_results_is_analysed(tmp_path):
    """A project holding only a park has a summary (the park's figures) but no analysis: the
    report runs the analyses — with the settings stored in the project — instead of reporting
    an empty summary."""
    pytest.importorskip("app.project_file")
    from app.cmd_report import report_source
    from app.project_file import save_project
    from app.results import ParkResults
    from app.workspace import Workspace

    ws = Workspace()
    ws.load_sample()
    assert ws.summary and not {"pv", "carbon", "intensity"} & set(ws.summary)
    ws.set_setting("analysis", {"pv": {"losses_pct": 20.0, "shading": False},
                                "carbon": {"factors": "national-2021"}})
    path = save_project(ws, tmp_path / "park_only.lingtan.gpkg")
    src = report_source(path, False)
    assert isinstance(src, ParkResults)
    assert {"pv", "carbon", "intensity"} <= set(src.summary)
    assert src.summary["pv"]["losses_pct"] == 20.0
    assert src.summary["carbon"]["emissions"]["factor_set"]["key"] == "national-2021"


def test_write_demo_report(results, tmp_path):
    from app.cmd_report import write_demo_report

    path = write_demo_report(results, tmp_path)
    assert path == tmp_path / "report.pdf" and path.stat().st_size > 50_000


# ---- the figures of the chapters, from the result layers (independent of the summary) -------------

def _chapter(path: Path, heading: str) -> str:
    """The text of a chapter's pages, by the page numbers of the contents page (a chapter runs
    from its page to the page before the next chapter's)."""
    pages = _text(path).split("\f")
    toc = next(p for p in pages if re.search(r"^(目录|Contents)$", p, re.M))
    lines = [ln.strip() for ln in toc.splitlines() if ln.strip()]
    starts = [(a.split(" ", 1)[1], int(b)) for a, b in itertools.pairwise(lines)
              if re.fullmatch(r"\d+ \S.*", a) and b.isdigit()]
    titles = [t for t, _ in starts]
    assert heading in titles, titles
    i = titles.index(heading)
    first = starts[i][1]
    last = starts[i + 1][1] - 1 if i + 1 < len(starts) else len(pages)
    return "\n".join(pages[first - 1:last])


def _figures(text: str) -> set[str]:
    return set(re.findall(r"\d[\d,]*(?:\.\d+)?", text))


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pv_chapter_mwh_are_the_buildings_kwh_over_1000(lang, report_zh, report_en, results):
    """Every MWh figure of the rooftop-PV chapter is kWh summed over the rooftop_pv layer's
    buildings ÷ 1000 (total, by roof type, by month, top buildings), and the chapter's MWh,
    kWp and kWh/kWp agree with each other by hand (MWh × 1000 ÷ kWp)."""
    pdf, heading = (report_zh, "屋顶光伏潜力") if lang == "zh" else (report_en, "Rooftop PV potential")
    text = _chapter(pdf, heading)
    flat = _squeeze(text)
    layer = results.layers()["rooftop_pv"]
    mwh = layer["kwh_yr"].sum() / 1000
    kwp = layer["kwp"].sum()
    total = f"{mwh:,.0f}MWh"
    if lang == "zh":
        assert f"年发电量约{total}" in flat and f"年发电量{total}" in flat  # paragraph and totals table
        m = re.search(r"装机容量([\d,]+)kWp.*?年发电量约([\d,]+)MWh，等效利用小时([\d,]+)kWh/kWp", flat)
    else:
        assert f"producingabout{total}ayear" in flat and f"Annualgeneration{total}" in flat
        m = re.search(r"([\d,]+)kWp\([\d.]+MWp\)producingabout([\d,]+)MWhayear\(([\d,]+)kWh/kWp\)", flat)
    assert m, flat[:600]
    p_kwp, p_mwh, p_spec = (float(g.replace(",", "")) for g in m.groups())
    assert p_kwp == pytest.approx(kwp, abs=1)
    # e.g. 74,537 MWh × 1000 / 80,904 kWp = 921 kWh/kWp: printed figures agree to their rounding
    assert p_mwh * 1000 / p_kwp == pytest.approx(p_spec, abs=1.0)
    assert 700 <= p_spec <= 1400  # rooftop PV in the Yangtze delta (~1,200 kWh/m² GHI a year)
    figures = _figures(text)
    assert f"{mwh * 10:,.0f}" not in figures
    # by roof type: buildings, kWp and MWh/yr of each class, in one row
    names = {"flat": ("平屋面", "flat"), "metal": ("彩钢屋面", "metal"), "pitched": ("坡屋面", "pitched")}
    for cls, g in layer.groupby("roof_class"):
        name = names[cls][0 if lang == "zh" else 1]
        row = f"{name}{len(g)}{g['kwp'].sum():,.0f}{g['kwh_yr'].sum() / 1000:,.0f}"
        assert row in flat, row
    # the monthly chart's value labels: the month's kWh of all buildings ÷ 1000
    for k in range(1, 13):
        v = layer[f"kwh_m{k:02d}"].sum() / 1000
        assert f"{v:,.0f}" in figures, (k, v)
        assert f"{v * 10:,.0f}" not in figures
    # the 15 buildings with the largest yield: kWh ÷ 1000 with one decimal
    top = layer.sort_values("kwh_yr", ascending=False).head(15)
    for _, r in top.iterrows():
        assert f"{r['kwh_yr'] / 1000:,.1f}" in figures, r["bldg_id"]


@needs_poppler
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_areas_in_hectares_are_the_geometries_m2_over_10000(lang, report_zh, report_en, results):
    """Land areas printed in ha are the layers' polygon areas (m², shapely, in the park's metric
    CRS) ÷ 10,000: the buildings' footprint, the green space (in all and by type), and the green
    and canopy areas of the sinks chapter; the coverage printed is footprint ÷ park area."""
    layers = results.layers()
    pdf = report_zh if lang == "zh" else report_en
    footprint_ha = layers["buildings"].area.sum() / 1e4  # 59.6 ha on the sample park
    green_ha = layers["green"].area.sum() / 1e4
    park_ha = layers["boundary"].area.sum() / 1e4
    coverage = 100 * footprint_ha / park_ha
    n = len(layers["buildings"])
    overview = _squeeze(_chapter(pdf, "园区概况" if lang == "zh" else "Park overview"))
    if lang == "zh":
        assert f"有建筑{n}栋，占地{footprint_ha:,.1f}公顷，建筑密度{coverage:.1f}%" in overview
        assert f"绿地{green_ha:,.1f}公顷" in overview
    else:
        assert f"{n}buildingson{footprint_ha:,.1f}ha(coverage{coverage:.1f}%)" in overview
        assert f"and{green_ha:,.1f}haofgreenspace" in overview
    figures = _figures(_chapter(pdf, "园区概况" if lang == "zh" else "Park overview"))
    for wrong in (footprint_ha * 10, green_ha * 10):
        assert f"{wrong:,.1f}" not in figures, wrong
    # green space by type (ha, two decimals); the type names are the layer's own
    for cover, g in layers["green"].groupby("cover"):
        assert f"{cover}{g.area.sum() / 1e4:,.2f}" in overview, cover
    sinks = _squeeze(_chapter(pdf, "绿地与碳汇" if lang == "zh" else "Green space and carbon sinks"))
    canopy_ha = layers["tree_sinks"]["counted_canopy_m2"].sum() / 1e4
    if lang == "zh":
        assert f"园区绿地{green_ha:,.1f}公顷" in sinks and f"行道树树冠{canopy_ha:,.1f}公顷" in sinks
    else:
        assert f"Greenspaceof{green_ha:,.1f}ha" in sinks and f"canopyof{canopy_ha:,.1f}ha" in sinks


def test_placed_array_and_turbines_have_their_chapter(results, report_zh, tmp_path):
    """The ground array and the turbines placed in the project are in the report (the walk-through
    found them left out): their map and figures, checked against the placed layers themselves."""
    import dataclasses

    from app.results import add_demo_siting

    assert "光伏阵列与风机布置" not in _squeeze(_text(report_zh))  # nothing placed: no chapter
    placed = add_demo_siting(dataclasses.replace(results, summary=dict(results.summary)))
    layers = placed.layers()
    pdf = build_report(placed, tmp_path / "siting.pdf", "zh", date=DATE)
    text = _squeeze(_text(pdf))
    assert "光伏阵列与风机布置" in text and "地面光伏阵列" in text
    tables = layers["pv_array_tables"]
    module_w = placed.summary["pv_array"]["module_w"]
    per_table = placed.summary["pv_array"]["modules_per_table"]
    kwp = len(tables) * per_table * module_w / 1000  # tables on the map × modules × module power
    assert f"{kwp:,.0f}kWp" in text
    assert f"{len(layers['turbines'])}台风机" in text
