"""The park's PDF report (``lingtan report``): what to report on — the sample park, a project file
analysed now, a saved project's results, or in the desktop app the open project's — and the A4
PDF written from it (:func:`app.report.build_report`; contents and layout: docs/report.md)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from app.processing.algorithm import (
    RESULTS_ROLE,
    Algorithm,
    AlgorithmOutput,
    InputLayer,
    Inputs,
    LayerInput,
    OutputFile,
    first,
)
from app.processing.params import Param, ParamValues
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

PROJECT = LayerInput(
    "project", "项目", "Project",
    "项目文件：PROJECT.json（园区图层与表，见 docs/carbon.md，现在分析）或保存的 PROJECT.lingtan.gpkg"
    "（用其中保存的结果；没有结果时按其中保存的设置分析）；桌面程序中不选文件即用打开的项目的分析结果",
    "project file: PROJECT.json (the park's layers and tables, see docs/carbon.md; analysed now) or a "
    "saved PROJECT.lingtan.gpkg (its saved results; analysed with its stored settings when it has none); "
    "in the desktop app, no file means the open project's results",
    kind="file", positional=True, required=False, metavar="PROJECT", role=RESULTS_ROLE,
    filters="Lingtan project (*.lingtan.gpkg *.json);;All files (*)")
"""The project a report or an export is made of (shared by both)."""

SAMPLE = Param("sample", "bool", False, "示例园区", "Sample park", help_zh="用内置示例园区代替项目",
               help_en="use the embedded sample park instead of a project", source="off: your own project")

LANGS = (("zh", "中文", "Chinese"), ("en", "英文", "English"))

REPORT_PARAMS = (
    SAMPLE,
    Param("lang", "choice", "zh", "报告语言", "Report language", choices=LANGS, metavar="zh|en",
          help_zh="报告的语言", help_en="report language",
          source="zh: a planning document for Chinese authorities"),
    Param("date", "date", None, "封面日期", "Cover date", optional=True, metavar="YYYY-MM-DD",
          help_zh="封面上的日期（YYYY-MM-DD）", help_en="date on the cover (YYYY-MM-DD)",
          auto_zh="今天", auto_en="today"),
    Param("organisation", "text", None, "编制单位", "Preparing organisation", optional=True,
          help_zh="封面上的编制单位（如“某某规划设计研究院”）", help_en="the organisation that prepared the "
          "report, on the cover", auto_zh="不写", auto_en="none: the line is left out"),
    Param("year", "int", None, "核算年份", "Accounting year", minimum=1949, maximum=2100, optional=True,
          metavar="Y", help_zh="按能耗表中的这一年重新核算排放、碳平衡与指标并出报告"
          "（乡镇统计有该年时五色图也用该年）",
          help_en="account emissions, the balance and the indicators again for this year of the energy table "
                  "and report it (the township map too when its statistics hold the year)",
          auto_zh="项目的核算年份（默认表中最近一年）", auto_en="the project's accounting year (default the "
          "latest in the table)"),
    Param("contents", "bool", True, "目录", "Table of contents", cli_negate="--no-contents",
          help_zh="含目录页（--no-contents：不含）", help_en="include the table of contents (--no-contents: "
          "leave it out)", source="on: ten chapters are found by their page numbers"),
)


def pdf_page_count(path: Path) -> int:
    """Pages of a PDF written by Qt (counts the page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", Path(path).read_bytes()))


def report_source(project: Path | None, sample: bool, progress: Progress = NO_PROGRESS,
                  year: int | None = None):
    """What to report on: ParkResults (sample or a .json project, analysed now) or
    (summary, layers) of a saved .lingtan.gpkg project (analysed now, with the project's stored
    analysis settings, only if its summary holds no analysis: "pv", "carbon" or "intensity").
    ``year``: analyse again with that accounting year (:func:`results_for_year`)."""
    from app.exports.export_all import has_analyses
    from app.report import report_inputs
    from app.results import AnalysisOptions, run_park_analyses

    if sample:
        from gis.park import load_sample_park

        park = load_sample_park(progress.sub(0.0, 0.2))
        if year is not None:
            return results_for_year(park, AnalysisOptions(), year, progress.sub(0.2, 1.0))
        return run_park_analyses(park, AnalysisOptions(), progress.sub(0.2, 1.0))
    if project is None:
        raise InputError("请给出项目文件（.json 或 .lingtan.gpkg），或 --sample",
                         "Give a project file (.json or .lingtan.gpkg), or --sample", code="report.inputs")
    project = Path(project)
    if not project.exists():
        raise InputError(f"找不到项目文件：{project}", f"Project file not found: {project}",
                         path=str(project), code="report.missing")
    if project.suffix.lower() == ".gpkg":
        from app.project_file import load_project

        ws = load_project(project, progress.sub(0.0, 0.3))
        if year is not None:
            return _workspace_for_year(ws, year, progress.sub(0.3, 1.0))
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
    if year is not None:
        return results_for_year(park, AnalysisOptions.from_project(options), year, progress.sub(0.2, 1.0))
    return run_park_analyses(park, AnalysisOptions.from_project(options), progress.sub(0.2, 1.0))


def results_for_year(park, options, year: int, progress: Progress = NO_PROGRESS):
    """ParkResults of ``park`` analysed with the accounting year ``year`` (``options`` otherwise
    kept; a baseline year not before it falls back to the default, the year before). The township
    map is drawn for ``year`` too when the township statistics hold it (else their latest year, as
    without a choice). A year the energy table lacks is an InputError naming the years it has."""
    import dataclasses

    from app.results import run_park_analyses

    b = options.baseline_year
    base = b if b is not None and b < int(year) else None
    results = run_park_analyses(park, dataclasses.replace(options, year=int(year), baseline_year=base),
                                progress)
    stats = park.township_stats
    if results.intensity is not None and stats is not None:
        from app.intensity_map import intensity_map
        from gis.fields import find_field
        from gis.intensity.join import YEAR_FIELDS

        col = find_field(stats.columns, YEAR_FIELDS)
        held = set(stats[col].astype("string").str.extract(r"((?:19|20)\d{2})", expand=False).dropna()
                   .astype(int)) if col is not None else set()
        if int(year) in held and results.summary.get("intensity", {}).get("year") != int(year):
            kw = {"factors_key": options.factors} if options.factors else {}
            results.intensity = intensity_map(park.townships, stats, year=int(year), **kw)
            results.summary["intensity"] = results.intensity.summary()
    return results


def _workspace_for_year(ws, year: int, progress: Progress):
    """A saved or open project's park analysed again for ``year`` with its stored choices."""
    from app.analysis_settings import analysis_options

    if getattr(ws, "park", None) is None:
        raise InputError("按年份出报告需要园区的图层与能耗表：该项目只保存了结果",
                         "A report for another year needs the park's layers and energy table: the project "
                         "holds results only", code="report.year")
    return results_for_year(ws.park, analysis_options(ws), year, progress)


def write_demo_report(results, out_dir: Path, lang: str = "zh", progress: Progress = NO_PROGRESS) -> Path:
    """The demo's report: OUT/report.pdf (Chinese) or OUT/report_en.pdf (English)."""
    from app.report import build_report

    name = "report.pdf" if lang == "zh" else f"report_{lang}.pdf"
    return build_report(results, Path(out_dir) / name, lang, progress)


def project_results(project: InputLayer | None, sample: bool, load, progress: Progress):
    """The results a project input stands for: those it holds in memory (the desktop app's open
    project) unless the sample park is asked for, else ``load(path or None, sample, progress)``."""
    if project is not None and project.data is not None and not sample:
        return project.data
    return load(project.path if project is not None else None, sample, progress)


def source_name(project: InputLayer | None, sample: bool) -> str:
    """What was reported on or exported, for the summary."""
    if sample:
        return "sample"
    if project is None:
        return ""
    return str(project.path) if project.path is not None else "open project"


def _write_report(output: AlgorithmOutput, path: Path | None, values: ParamValues,
                  progress: Progress = NO_PROGRESS) -> tuple[dict, list[str]]:
    """REPORT.pdf; the summary printed: the file, language, pages and seconds (the analyses' too)."""
    from app.report import build_report

    assert path is not None  # --out is required
    t0 = time.perf_counter()
    path = build_report(output.result, path, values.lang, progress, date=values.date,
                        contents=values.contents, organisation=values.organisation or "")
    pages = pdf_page_count(path)
    seconds = round(output.summary.get("seconds", 0.0) + time.perf_counter() - t0, 2)
    summary = {"report": str(path), "lang": values.lang, "pages": pages, "seconds": seconds}
    return summary, _describe_report(summary)


def _describe_report(s: dict) -> list[str]:
    return [f"报告 Report: {s['report']}  ({s['pages']} 页 pages, {s['seconds']} s)"] if "report" in s else []


class Report(Algorithm):
    id = "report"
    cli_alias = "report"
    title_zh, title_en = "园区 PDF 报告", "Park PDF report"
    group_zh, group_en = "报告与导出", "Report and export"
    summary_zh = ("生成园区 A4 PDF 报告：带区位图的封面、园区总图、屋顶光伏分布图与发电量前列建筑、"
                  "总量与逐月发电量、绿地与碳汇、按能源品种和行业的碳排放、各情景碳平衡、零碳园区指标、"
                  "乡镇五色图、假设与数据来源。地图为矢量，字体嵌入，文字可选取。"
                  "项目为项目文件（.json，现在分析）或保存的项目（.lingtan.gpkg，用其中保存的结果）；"
                  "桌面程序中默认用打开的项目的分析结果。")
    summary_en = ("Write the park's A4 PDF report: cover with location map, park overview map, rooftop PV "
                  "map with the top buildings, totals and monthly generation, green space and sinks, "
                  "emissions by fuel and sector, carbon balance of each scenario, zero-carbon indicators, "
                  "the five-colour township map, assumptions and data sources. Maps are vector, fonts "
                  "embedded, text selectable. PROJECT is a project file (.json naming the park's layers "
                  "and tables, see docs/carbon.md, analysed now) or a saved project (.lingtan.gpkg, "
                  "reported from its saved results); in the desktop app, the open project's results.")
    inputs = (PROJECT,)
    params = REPORT_PARAMS
    output_file = OutputFile((".pdf",), "REPORT.pdf", "output PDF (written under a temporary name beside it "
                             "and renamed when complete)", _write_report, writing_share=0.4, gui=True)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        t0 = time.perf_counter()
        project = first(inputs.get("project"))
        if params.year is not None and project is not None and project.data is not None and not params.sample:
            data = project.data  # the desktop app's open project: its park again for the year
            if hasattr(data, "settings"):
                source = _workspace_for_year(data, params.year, progress)
            else:
                from app.results import AnalysisOptions

                if getattr(data, "park", None) is None:
                    raise InputError("按年份出报告需要园区的图层与能耗表", "A report for another year needs "
                                     "the park's layers and energy table", code="report.year")
                source = results_for_year(data.park, AnalysisOptions(), params.year, progress)
        else:
            source = project_results(project, params.sample,
                                     lambda p, s, pr: report_source(p, s, pr, params.year), progress)
        progress.report(1.0, "done")
        summary = {"project": source_name(project, params.sample),
                   "seconds": round(time.perf_counter() - t0, 2),
                   **({"year": int(params.year)} if params.year is not None else {})}
        return AlgorithmOutput(self.id, source, {}, summary)

    def describe(self, s: dict) -> list[str]:
        return _describe_report(s)
