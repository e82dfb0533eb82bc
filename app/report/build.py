"""``build_report``: the park's Chinese (or English) PDF report, written atomically."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

from app.summaries import ParkSummary
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

LANGS = ("zh", "en")


def report_inputs(source: Any) -> tuple[ParkSummary, dict]:
    """(typed summary, layers by name) from a ParkResults, a (summary, layers) pair, a workspace
    (its ``summary`` and the layers of its ``tree``) or any object with ``summary`` and ``layers``
    (the summary: the JSON dict or :class:`~app.summaries.ParkSummary`)."""
    if isinstance(source, tuple) and len(source) == 2:
        summary, layers = source
    elif hasattr(source, "summary") and hasattr(source, "tree"):  # app.workspace.Workspace
        park = getattr(source, "park", None)
        layers = dict(park.layers()) if park is not None else {}  # inputs not shown in the tree
        layers.update({lyr.name: lyr.gdf for lyr in source.tree.layers() if hasattr(lyr, "gdf")})
        summary = source.summary
    elif hasattr(source, "summary") and hasattr(source, "layers"):
        summary = source.summary
        layers = source.layers() if callable(source.layers) else source.layers
    else:
        raise TypeError(f"build_report needs ParkResults or (summary, layers), not {type(source).__name__}")
    if not isinstance(layers, dict):  # VectorLayers (a list or a tree's layers())
        items = layers.layers() if hasattr(layers, "layers") else layers
        layers = {lyr.name: lyr.gdf for lyr in items if hasattr(lyr, "gdf")}  # rasters are not reported
    layers = {k: (v.gdf if hasattr(v, "gdf") else v) for k, v in layers.items()}
    return ParkSummary.from_dict(summary), layers


def layout_report(summary: ParkSummary | dict, layers: dict, lang: str = "zh", *,
                  date: dt.date | None = None, contents: bool = True, organisation: str = ""):
    """The laid-out :class:`~app.report.document.ReportDocument` (nothing painted yet);
    ``organisation``: the preparing organisation (编制单位) on the cover, left out when empty."""
    from app.report.accounting_pages import accounting
    from app.report.document import ReportDocument
    from app.report.energy_pages import energy
    from app.report.grades_pages import grades
    from app.report.pages import SECTIONS, ReportData, assumptions, cover
    from app.report.pathways_pages import macc, pathways
    from app.report.siting_pages import siting
    from app.report.trends_pages import trends

    summary = ParkSummary.from_dict(summary)
    data = ReportData(summary, layers, lang, date or dt.date.today(), organisation=organisation or "")
    name = summary.name
    title = ("零碳园区规划报告" if lang == "zh" else "Zero-carbon park planning report")
    doc = ReportDocument(lang=lang, title=f"{title} — {name}" if name else title,
                         header_left=f"{title} · {name}" if name else title)
    doc.inputs = dict(summary.facts.inputs or {})
    cover(doc, data)
    if contents:
        doc.contents_page()
    analyses = [section for section in SECTIONS if section is not assumptions]
    # boundary, process/waste/cooling/scope 3 lines and the green rates: after the balance's indicators
    analyses.insert([s.__name__ for s in analyses].index("indicators") + 1, accounting)
    # placed, hour by hour, the years, the pathways and measures, enterprises, then the assumptions
    for section in (*analyses, siting, energy, trends, pathways, macc, grades, assumptions):
        section(doc, data)
    return doc


def build_report(results: Any, path: str | Path, lang: str = "zh", progress: Progress = NO_PROGRESS, *,
                 date: dt.date | None = None, contents: bool = True, organisation: str = "") -> Path:
    """Write the PDF report of ``results`` (ParkResults, or (summary, layers) of a saved
    project) to ``path``: A4, ``lang`` "zh" (default) or "en", vector maps, embedded fonts;
    ``organisation``: the preparing organisation (编制单位) on the cover (none: no such line).

    The file is written beside ``path`` under a temporary name and renamed when complete.
    """
    from app.outputs import _tmp_beside
    from app.report.pdf_text import fix_cjk_tounicode
    from layers.fonts import bundled_fonts_preferred
    from layers.render import ensure_gui_app

    if lang not in LANGS:
        raise InputError(f"报告语言应为 zh 或 en：{lang}", f"Report language must be zh or en: {lang}",
                         code="report.lang")
    path = Path(path)
    t0 = time.perf_counter()
    ensure_gui_app()
    summary, layers = report_inputs(results)
    if not summary:
        raise InputError("没有分析结果，无法生成报告（请先运行分析）",
                         "No analysis results to report (run the analyses first)", code="report.empty")
    progress.report(0.0, "laying out the report")
    tmp = _tmp_beside(path)
    # the bundled Chinese font (resources/fonts): the same glyphs and pages on every machine
    with bundled_fonts_preferred():
        doc = layout_report(summary, layers, lang, date=date, contents=contents, organisation=organisation)
        progress.report(0.1, f"{len(doc.pages)} pages")
        try:
            doc.write(tmp, progress.sub(0.1, 0.97))
            fix_cjk_tounicode(tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    progress.report(1.0, f"report written ({time.perf_counter() - t0:.1f} s)")
    return path
