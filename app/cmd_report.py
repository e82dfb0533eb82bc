"""``lingtan report``: the park's PDF report (Chinese by default, English with --lang en)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import time
from pathlib import Path

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress


def register(sub) -> dict:
    p = sub.add_parser(
        "report", help="the park's PDF report / 园区 PDF 报告",
        description="Write the park's A4 PDF report: cover with location map, park overview map, rooftop PV "
                    "map with the top buildings, totals and monthly generation, green space and sinks, "
                    "emissions by fuel and sector, carbon balance of each scenario, zero-carbon indicators, "
                    "the five-colour township map, assumptions and data sources. Maps are vector, fonts "
                    "embedded, text selectable. PROJECT is a project file (.json naming the park's layers "
                    "and tables, see docs/carbon.md, analysed now) or a saved project (.lingtan.gpkg, "
                    "reported from its saved results).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("project", nargs="?", type=Path, metavar="PROJECT",
                   help="PROJECT.json or PROJECT.lingtan.gpkg")
    p.add_argument("--sample", action="store_true", help="report on the embedded sample park")
    p.add_argument("--out", type=Path, required=True, metavar="REPORT.pdf", help="output PDF")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="report language")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="date on the cover (default: today)")
    p.add_argument("--no-contents", action="store_true", help="leave out the table of contents")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return {"report": run_report}


def report_source(project: Path | None, sample: bool, progress: Progress = NO_PROGRESS):
    """What to report on: ParkResults (sample or a .json project, analysed now) or
    (summary, layers) of a saved .lingtan.gpkg project (analysed now, with the project's stored
    analysis settings, only if its summary holds no analysis: "pv", "carbon" or "intensity")."""
    from app.exports.export_all import has_analyses
    from app.report import report_inputs
    from app.results import AnalysisOptions, run_park_analyses

    if sample:
        from gis.park import load_sample_park

        park = load_sample_park(progress.sub(0.0, 0.2))
        return run_park_analyses(park, AnalysisOptions(), progress.sub(0.2, 1.0))
    if project is None:
        raise InputError("请给出项目文件（.json 或 .lingtan.gpkg），或 --sample",
                         "Give a project file (.json or .lingtan.gpkg), or --sample", code="report.inputs")
    if not project.exists():
        raise InputError(f"找不到项目文件：{project}", f"Project file not found: {project}",
                         path=str(project), code="report.missing")
    if project.suffix.lower() == ".gpkg":
        from app.project_file import load_project

        ws = load_project(project, progress.sub(0.0, 0.3))
        # a park alone has a summary too (summarise_park): results mean an analysis section
        if has_analyses(ws.summary):
            return report_inputs(ws)
        if ws.park is None:
            raise InputError("项目中既没有分析结果，也没有园区红线和建筑，无法生成报告",
                             "The project holds neither results nor a park boundary and buildings "
                             "to report on",
                             path=str(project), code="report.empty")
        from app.analysis_settings import run_project_analyses

        return run_project_analyses(ws.park, ws, progress.sub(0.3, 1.0))  # with its stored choices
    from app.project import read_project
    from gis.park import load_park

    sources, options = read_project(project)
    park = load_park(sources, progress.sub(0.0, 0.2))
    return run_park_analyses(park, AnalysisOptions.from_project(options), progress.sub(0.2, 1.0))


def pdf_page_count(path: Path) -> int:
    """Pages of a PDF written by Qt (counts the page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", Path(path).read_bytes()))


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date 应为 YYYY-MM-DD：{text}", f"--date must be YYYY-MM-DD: {text}",
                         code="report.date") from None


def run_report(args, progress: Progress = NO_PROGRESS) -> int:
    from app.cli_support import EXIT_OK, emit
    from app.report import build_report

    t0 = time.perf_counter()
    date = _date(args.date)
    source = report_source(args.project, args.sample, progress.sub(0.0, 0.6))
    path = build_report(source, args.out, args.lang, progress.sub(0.6, 1.0), date=date,
                        contents=not args.no_contents)
    pages = pdf_page_count(path)
    summary = {"report": str(path), "lang": args.lang, "pages": pages,
               "seconds": round(time.perf_counter() - t0, 2)}
    emit(args, summary, [f"报告 Report: {path}  ({pages} 页 pages, {summary['seconds']} s)"])
    return EXIT_OK


def write_demo_report(results, out_dir: Path, lang: str = "zh", progress: Progress = NO_PROGRESS) -> Path:
    """The demo's report: OUT/report.pdf (Chinese) or OUT/report_en.pdf (English)."""
    from app.report import build_report

    name = "report.pdf" if lang == "zh" else f"report_{lang}.pdf"
    return build_report(results, Path(out_dir) / name, lang, progress)
