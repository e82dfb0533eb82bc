"""The energy toolbox for one enterprise (``lingtan toolbox``, 企业能源工具箱): its energy, CO2,
intensity, carbon-efficiency grade and ranks, its roofs' PV, a PV + storage + green-power package
with economics and each measure's grade after, as a short Chinese PDF. The computation is
:mod:`app.toolbox`, the PDF :mod:`app.report.toolbox_pages`; method and sources: docs/toolbox.md."""

from __future__ import annotations

import time
from pathlib import Path

from app.algorithms.common import WEATHER
from app.algorithms.emissions import FACTORS, GRID_FACTOR, YEAR_MAX, YEAR_MIN
from app.algorithms.energy import tariff_choices
from app.processing.algorithm import (
    RESULTS_ROLE,
    Algorithm,
    AlgorithmOutput,
    InputLayer,
    Inputs,
    LayerInput,
    OutputFile,
    first,
    warnings_lines,
)
from app.processing.params import Param, ParamValues
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

PROJECT = LayerInput(
    "project", "项目", "Project",
    "项目文件：PROJECT.json（园区图层与表）或保存的 PROJECT.lingtan.gpkg；需含企业能耗表与带企业代码的建筑；"
    "桌面程序中不选文件即用打开的项目",
    "project file: PROJECT.json (the park's layers and tables) or a saved PROJECT.lingtan.gpkg, with the "
    "enterprise energy table and buildings carrying enterprise ids; in the desktop app, no file means the "
    "open project",
    kind="file", positional=True, required=False, metavar="PROJECT", role=RESULTS_ROLE,
    filters="Lingtan project (*.lingtan.gpkg *.json);;All files (*)")


def project_park(project: InputLayer | None, sample: bool, progress: Progress = NO_PROGRESS):
    """The park of the project input: the sample park, the open project's (``project.data``: results
    or a workspace with a ``park``), a .json project's or a saved .lingtan.gpkg's."""
    from gis.park import load_park, load_sample_park

    if sample:
        return load_sample_park(progress)
    if project is not None and project.data is not None:
        park = getattr(project.data, "park", None)
        if park is None:
            raise InputError("打开的项目的结果中没有园区：请用 分析 → 企业能源工具箱…，或给出项目文件",
                             "The open project's results hold no park: use Analysis → Enterprise Energy "
                             "Toolbox…, or give a project file", code="toolbox.no_park")
        return park
    if project is None or project.path is None:
        raise InputError("请给出项目文件（.json 或 .lingtan.gpkg），或 --sample",
                         "Give a project file (.json or .lingtan.gpkg), or --sample", code="toolbox.inputs")
    path = Path(project.path)
    if not path.exists():
        raise InputError(f"找不到项目文件：{path}", f"Project file not found: {path}", path=str(path),
                         code="toolbox.missing")
    if path.suffix.lower() == ".gpkg":
        from app.project_file import load_project

        ws = load_project(path, progress)
        if ws.park is None:
            raise InputError("项目中没有园区（红线与建筑）",
                             "The project holds no park (boundary and buildings)",
                             path=str(path), code="toolbox.no_park")
        return ws.park
    from app.project import read_project

    sources, _ = read_project(path)
    return load_park(sources, progress)


def _write(output: AlgorithmOutput, path: Path | None, values: ParamValues,
           progress: Progress = NO_PROGRESS) -> tuple[dict, list[str]]:
    """OUT.pdf; the summary printed: the toolbox's JSON with the file, pages and seconds."""
    from app.algorithms.report import pdf_page_count
    from app.report.toolbox_pages import write_toolbox_pdf

    assert path is not None  # --out is required
    t0 = time.perf_counter()
    write_toolbox_pdf(output.result, path, values.lang, progress=progress)
    summary = {**output.summary, "pdf": str(path), "pages": pdf_page_count(path),
               "seconds": round(output.summary.get("seconds", 0.0) + time.perf_counter() - t0, 2)}
    return summary, [*describe_toolbox(summary), f"输出 Output: {path} ({summary['pages']} 页 pages, "
                                                 f"{summary['seconds']} s)"]


def describe_toolbox(s: dict) -> list[str]:
    """The printed lines of a toolbox summary."""
    rank = s.get("rank") or {}
    lines = [f"企业 Enterprise: {s.get('id')} {s.get('name', '')} ({s.get('industry')}, {s.get('year')})",
             f"  能耗 Energy {s.get('tce')} tce, CO2 {s.get('t_co2')} t, L {s.get('L')} tCO2/万元, "
             f"K {s.get('K')}, 等级 grade {s.get('grade')}, 行业排名 rank {rank.get('industry')}/"
             f"{rank.get('industry_members')}, 园区 park {rank.get('park')}/{rank.get('park_graded')}"]
    pv = s.get("pv")
    if pv:
        lines.append(f"  屋顶光伏 Rooftop PV: {pv['kwp']} kWp, {pv['kwh_yr']} kWh/yr")
    pkg = s.get("package")
    if pkg:
        est = " 估算 estimate" if pkg.get("estimated") else ""
        lines.append(f"  方案 Package{est}: 投资 capex {pkg.get('capex')} 元, NPV {pkg.get('npv')} 元, "
                     "回收期 payback "
                     f"{pkg.get('payback')} yr, 自给率 self-sufficiency {pkg.get('self_sufficiency')}%")
    for m in s.get("measures") or []:
        lines.append(f"  {m['name']}: −{m['t_co2_yr']} tCO2/yr → 等级 grade {m['grade_after']}")
    return [*lines, *warnings_lines(s)]


class Toolbox(Algorithm):
    id = "toolbox"
    cli_alias = "toolbox"
    title_zh, title_en = "企业能源工具箱", "Enterprise energy toolbox"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = ("为选定企业生成简短 PDF：能耗、碳排放、碳排放强度、碳效等级与行业/园区排名；"
                  "其建筑屋顶的光伏潜力（按企业代码关联）；光伏 + 储能 + 绿电方案及经济性"
                  "（按该企业自身负荷逐时计算，不能时为年度估算）；以及各项措施后的碳效等级（行业基准不变）。")
    summary_en = ("A short PDF for one enterprise: its energy, CO2, intensity, carbon-efficiency grade and "
                  "ranks; its roofs' PV potential (buildings joined by enterprise id); a PV + storage + "
                  "green-power package with economics (hour by hour on its own load, else annual estimates); "
                  "and its grade after each measure (industry benchmark fixed). See docs/toolbox.md.")
    summary_key = "toolbox"
    inputs = (PROJECT,)
    params = (
        Param("sample", "bool", False, "示例园区", "Sample park", help_zh="用内置示例园区",
              help_en="use the embedded sample park", source="off: your own project"),
        Param("enterprise", "text", None, "企业", "Enterprise", metavar="ID",
              help_zh="企业代码（或能耗表中的企业全称）",
              help_en="the enterprise id (or its full name in the energy table)",
              source="the energy table's 企业代码"),
        Param("year", "int", None, "评价年份", "Year", minimum=YEAR_MIN, maximum=YEAR_MAX, optional=True,
              metavar="Y", help_zh="评价与逐时分析的年份", help_en="year graded and analysed hour by hour",
              auto_zh="表中最近一年", auto_en="the latest in the table"),
        Param("tariff", "choice", "zhejiang_2026", "分时电价", "Time-of-use tariff", choices=tariff_choices,
              or_kind="file", metavar="PROVINCE|FILE", help_zh="省级工商业分时电价（方案的电费与经济性）",
              help_en="the province's industrial/commercial TOU tariff (the package's bill and economics)",
              source="zhejiang_2026: the sample park lies in Hangzhou (resources/tariffs)"),
        Param("lang", "choice", "zh", "语言", "Language", choices=(("zh", "中文", "Chinese"),
                                                                ("en", "英文", "English")),
              metavar="zh|en", help_zh="PDF 的语言", help_en="language of the PDF",
              source="zh: for Chinese enterprises and authorities"),
        FACTORS, GRID_FACTOR, WEATHER,
    )
    output_file = OutputFile((".pdf",), "OUT.pdf", "output PDF (3–5 pages; written under a temporary name "
                             "beside it and renamed when complete)", _write, writing_share=0.1, gui=True)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.toolbox import enterprise_toolbox

        p = params
        park = project_park(first(inputs.get("project")), p.sample, progress.sub(0.0, 0.15))
        result = enterprise_toolbox(park, str(p.enterprise), year=p.year, factors_key=p.factors,
                                    grid_key=p.grid_factor, tariff_key=p.tariff, weather_path=p.weather,
                                    progress=progress.sub(0.15, 1.0))
        return AlgorithmOutput(self.id, result, {}, result.summary(), result.problems)

    def describe(self, s: dict) -> list[str]:
        return describe_toolbox(s)
