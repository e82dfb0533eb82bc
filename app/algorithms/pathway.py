"""Pathways to 2060, measures and MACC, sensitivity (``lingtan pathway``, issue #19): the park's
energy and CO2 from its latest history year to 2060 under 自然/基准/强化 and the user's scenarios
(peak year and level, the year the national carbon-per-energy indicator is met, net-zero year,
cumulative emissions, gap to a target path), the abatement measures ranked by cost and the tornado
of the baseline's drivers. The core is :mod:`gis.carbon.pathways`, :mod:`gis.carbon.measures` and
:mod:`gis.carbon.sensitivity`; the park's inputs :mod:`app.park_pathways`; methods: docs/pathways.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from app.algorithms.emissions import FACTORS, TABLE_FILTERS
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
from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

PROJECT = LayerInput(
    "project",
    "项目",
    "Project",
    "项目文件：PROJECT.json（园区图层与表）或保存的 PROJECT.lingtan.gpkg"
    "（用其中的企业能耗表、屋顶光伏/阵列/风电潜力与保存的情景）；桌面程序中不选文件即用打开的项目",
    "project file: PROJECT.json (the park's layers and tables) or a saved PROJECT.lingtan.gpkg (its energy "
    "table, rooftop/array/wind potential and kept scenarios); in the desktop app, no file means the open "
    "project",
    kind="file",
    positional=True,
    required=False,
    metavar="PROJECT",
    role=RESULTS_ROLE,
    filters="Lingtan project (*.lingtan.gpkg *.json);;All files (*)",
)
SCENARIOS = LayerInput(
    "scenario",
    "情景表",
    "Scenario file",
    "自定义情景（CSV/Excel 长表：scenario, parameter, sector, fuel, period, value, unit, source；格式同 "
    "resources/pathways/scenarios.csv）；可重复",
    "a user scenario (CSV/Excel long table: scenario, parameter, sector, fuel, period, value, unit, source; "
    "as resources/pathways/scenarios.csv); repeatable",
    kind="file",
    required=False,
    multiple=True,
    flag="--scenario",
    filters=TABLE_FILTERS,
)

LINE_HEADERS = {
    "year": "年份",
    "tce": "综合能耗(tce)",
    "value_added_10k_yuan": "增加值(万元)",
    "gross_t_co2": "能源排放(tCO2)",
    "onsite_t_co2": "园区光伏风电(tCO2)",
    "green_t_co2": "外购绿电(tCO2)",
    "sinks_t_co2": "碳汇(tCO2)",
    "ccus_t_co2": "CCUS(tCO2)",
    "measures_t_co2": "措施减排(tCO2)",
    "t_co2": "净排放(tCO2)",
    "grid_kg_co2_per_kwh": "电网因子(kgCO2/kWh)",
    "onsite_kwh": "园区光伏风电电量(kWh)",
    "electrification_pct": "电气化率(%)",
    "t_co2_per_tce": "单位能耗碳排放(tCO2/tce)",
    "t_co2_per_10k_yuan": "单位增加值排放(tCO2/万元)",
    "target_t_co2": "目标路径(tCO2)",
    "gap_t_co2": "差距(tCO2)",
}
COMPARE_HEADERS = {
    "name_zh": "情景",
    "name": "scenario",
    "peak_year": "达峰年",
    "peak_t_co2": "峰值(tCO2)",
    "indicator_threshold": "指标阈值(tCO2/tce)",
    "indicator_year": "达到指标年份",
    "net_zero_year": "净零年份",
    "t_co2_2030": "2030年净排放(tCO2)",
    "t_co2_2060": "2060年净排放(tCO2)",
    "cumulative_2030_t_co2": "累计至2030(tCO2)",
    "cumulative_2060_t_co2": "累计至2060(tCO2)",
    "gap_2030_t_co2": "2030年差距(tCO2)",
    "gap_2060_t_co2": "2060年差距(tCO2)",
}
MACC_HEADERS = {
    "name_zh": "措施",
    "key": "key",
    "kind": "类型",
    "abatement_t_co2_yr": "减排量(tCO2/年)",
    "cost_yuan_per_t_co2": "成本(元/tCO2)",
    "annual_cost_yuan": "年成本(元)",
    "x_start_t_co2": "累计起点(tCO2/年)",
    "cumulative_t_co2": "累计减排(tCO2/年)",
    "start_year": "开始年份",
    "status": "状态",
    "source": "来源",
}
TORNADO_HEADERS = {
    "driver_zh": "驱动因素",
    "driver": "driver",
    "parameter": "参数",
    "pct": "幅度(±%)",
    "year": "年份",
    "peak_year_low": "达峰年(低)",
    "peak_year_base": "达峰年(基准)",
    "peak_year_high": "达峰年(高)",
    "t_co2_low": "净排放(低)(tCO2)",
    "t_co2_base": "净排放(基准)(tCO2)",
    "t_co2_high": "净排放(高)(tCO2)",
    "swing_t_co2": "摆幅(tCO2)",
}
ASSUMPTION_HEADERS = {
    "scenario_zh": "情景",
    "scenario": "scenario",
    "parameter": "参数",
    "sector": "部门",
    "fuel": "能源品种",
    "period": "时期/年份",
    "value": "数值",
    "unit": "单位",
    "source": "来源",
    "status": "状态",
}


def _sheet_name(text: str, used: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, unique."""
    name = re.sub(r"[\[\]:*?/\\]", "_", text)[:31] or "情景"
    base, k = name, 2
    while name in used:
        name = f"{base[:28]}_{k}"
        k += 1
    used.add(name)
    return name


def scenario_sheet(path) -> pd.DataFrame:
    """One scenario's sheet: per year the net-emission lines and each sector's CO2 and energy."""
    by = path.by_sector()
    co2 = by.pivot(index="year", columns="sector6_zh", values="t_co2").add_suffix("排放(tCO2)")
    tce = by.pivot(index="year", columns="sector6_zh", values="tce").add_suffix("能耗(tce)")
    lines = path.lines.set_index("year")
    return pd.concat([co2, tce, lines], axis=1).reset_index().rename(columns=LINE_HEADERS)


def _sheets(run) -> dict[str, pd.DataFrame]:
    """历史, one sheet per scenario, 情景对比, 措施与MACC, 敏感性, 假设, 问题."""
    res = run.result
    history = run.trends.totals if run.trends is not None else res.base.history
    hist_cols = {
        k: v
        for k, v in {
            "year": "年份",
            "entities": "对象数",
            "tce": "综合能耗(tce)",
            "t_co2": "排放量(tCO2)",
            "value_added_10k_yuan": "增加值(万元)",
        }.items()
        if k in history
    }
    used = {"历史", "情景对比", "措施与MACC", "敏感性", "假设", "问题"}
    sheets = {"历史": history[list(hist_cols)].rename(columns=hist_cols)}
    for s in res.scenarios:
        sheets[_sheet_name(s.name_zh, used)] = scenario_sheet(s)
    sheets["情景对比"] = res.comparison()[list(COMPARE_HEADERS)].rename(columns=COMPARE_HEADERS)
    sheets["措施与MACC"] = run.macc[list(MACC_HEADERS)].rename(columns=MACC_HEADERS)
    sheets["敏感性"] = run.tornado[list(TORNADO_HEADERS)].rename(columns=TORNADO_HEADERS)
    sheets["假设"] = res.assumptions[list(ASSUMPTION_HEADERS)].rename(columns=ASSUMPTION_HEADERS)
    sheets["问题"] = pd.DataFrame(
        [{"级别": p.level, "代码": p.code, "说明": p.zh, "message": p.en} for p in run.problems],
        columns=["级别", "代码", "说明", "message"],
    )
    return sheets


def _write(output: AlgorithmOutput, path: Path | None, values: ParamValues) -> tuple[dict, list[str]]:
    from app.xlsx import write_xlsx

    assert path is not None  # --out is required
    write_xlsx(path, _sheets(output.result))
    summary = {**output.summary, "output": str(path)}
    if values.png:  # the charts of the Pathways panel and the report (app/charts/pathway_chart.py)
        from app.charts.pathway_chart import write_pngs
        from layers.render import ensure_gui_app

        ensure_gui_app()
        summary["png"] = write_pngs(values.png, output.summary)
    return summary, Pathway.describe_summary(summary)


def _project_source(
    project: InputLayer | None, sample: bool, progress: Progress
) -> tuple[Any, Any, Any, str]:
    """(energy table or None, summary, settings, source name) of the project input."""
    if sample:
        from app.results import AnalysisOptions, run_park_analyses
        from gis.park import load_sample_park

        park = load_sample_park(progress.sub(0.0, 0.2))
        # rooftop PV and the green-space sinks give the on-site potential and the sinks (~4 s)
        results = run_park_analyses(
            park, AnalysisOptions(intensity=False, energy=False, trends=False), progress.sub(0.2, 0.6)
        )
        return park.enterprises, results.summary, None, "sample"
    if project is not None and project.data is not None:
        data = project.data
        park = getattr(data, "park", None)
        return (
            getattr(park, "enterprises", None),
            getattr(data, "summary", None),
            None,
            str(project.name or "project"),
        )
    if project is None or project.path is None:
        raise InputError(
            "请给出项目文件（.json 或 .lingtan.gpkg），或 --sample",
            "Give a project file (.json or .lingtan.gpkg), or --sample",
            code="pathway.inputs",
        )
    p = Path(project.path)
    if not p.exists():
        raise InputError(
            f"找不到项目文件：{p}", f"Project file not found: {p}", path=str(p), code="pathway.missing"
        )
    if p.suffix.lower() == ".gpkg":
        from app.project_file import load_project

        ws = load_project(p, progress.sub(0.0, 0.4))
        table = ws.park.enterprises if ws.park is not None else None
        return table, ws.summary, ws.settings, str(p)
    from app.project import read_project
    from gis.park import load_park

    sources, _ = read_project(p)
    park = load_park(sources, progress.sub(0.0, 0.4))
    return park.enterprises, None, None, str(p)


class Pathway(Algorithm):
    id = "pathway"
    cli_alias = "pathway"
    title_zh, title_en = "2060 碳排放路径、措施与敏感性", "Pathways to 2060, measures and sensitivity"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = (
        "以能耗表最近一年为基准年，按六大部门和能源品种推演至 2060 年的能耗与碳排放：增加值增速、"
        "能耗强度下降、电气化与燃料替代、电网排放因子路径、"
        "园区光伏风电建设（以屋顶光伏/阵列/风电潜力为上限）、"
        "碳汇与 CCUS；自然、基准、强化三个情景（每个参数附来源）及自定义情景；给出达峰年与峰值、"
        "达到国家零碳园区单位能耗碳排放指标的年份、净零年份、累计排放和与目标路径的差距；"
        "减排措施的边际减排成本曲线（MACC）；"
        "增速、强度、电气化、电网因子、光伏建设 ±20% 的敏感性（龙卷风图）。"
    )
    summary_en = (
        "From the energy table's latest year, energy and CO2 by six sectors and fuel to 2060: value-added "
        "growth, intensity decline, electrification and fuel switch, the grid factor path, on-site PV/wind "
        "build-out (capped by the rooftop/array/wind potential), sinks and CCUS; the natural, baseline "
        "and enhanced scenarios (every parameter with its source) and the user's; the peak year and "
        "level, the year the national carbon-per-energy indicator is met, net-zero year, cumulative "
        "emissions and the gap to a target path; the measures' marginal abatement cost curve (MACC); "
        "the tornado of growth, intensity, electrification, grid factor and build-out ±20 %. See "
        "docs/pathways.md."
    )
    inputs = (PROJECT, SCENARIOS)
    params = (
        Param(
            "sample",
            "bool",
            False,
            "示例园区",
            "Sample park",
            help_zh="用内置示例园区代替项目",
            help_en="use the embedded sample park instead of a project",
            source="off: your own project",
        ),
        Param(
            "measures",
            "file",
            None,
            "措施表",
            "Measures",
            optional=True,
            metavar="FILE",
            filters=TABLE_FILTERS,
            help_zh="自定义措施（CSV/Excel：key, name_zh, kind(electricity/energy/sink), abatement_t_co2_yr, "
            "cost_yuan_per_t_co2, start_year, source）",
            help_en="the user's measures (CSV/Excel: key, name_zh, kind (electricity/energy/sink), "
            "abatement_t_co2_yr, cost_yuan_per_t_co2, start_year, source)",
            auto_zh="内置措施（resources/pathways/measures.csv，按园区规模估算）",
            auto_en="built-in (resources/pathways/measures.csv, sized for the park)",
        ),
        Param(
            "target",
            "file",
            None,
            "目标路径",
            "Target path",
            optional=True,
            metavar="FILE",
            filters=TABLE_FILTERS,
            help_zh="目标排放路径（CSV/Excel：year, t_co2）",
            help_en="target emission path (CSV/Excel: year, t_co2)",
            auto_zh="自峰值线性降至 2060 年净零",
            auto_en="a straight line from the peak to net zero in 2060",
        ),
        Param(
            "pct",
            "float",
            20.0,
            "敏感性幅度",
            "Sensitivity range",
            unit="%",
            minimum=1.0,
            maximum=90.0,
            metavar="PCT",
            help_zh="各驱动因素上下浮动的百分比",
            help_en="± change of each driver",
            source="±20 %: a common one-at-a-time tornado range",
        ),
        Param(
            "png",
            "file",
            None,
            "图表文件夹",
            "Chart folder",
            optional=True,
            metavar="DIR",
            help_zh="把路径图、部门图、MACC 与龙卷风图另存为 PNG 到此文件夹",
            help_en="also write the pathway, by-sector, MACC and tornado charts as PNGs into this folder",
            auto_zh="不输出",
            auto_en="none",
        ),
        FACTORS,
    )
    output_file = OutputFile(
        (".xlsx",),
        "OUT.xlsx",
        "output Excel workbook (sheets 历史, one per scenario, 情景对比, 措施与MACC, 敏感性, 假设, 问题)",
        _write,
    )

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.cmd_carbon import load_factors
        from app.park_pathways import base_of_table, run_pathways, stored_inputs, summary_get
        from gis.carbon.measures import read_measures
        from gis.carbon.pathways import PathwayBase, read_scenarios, read_target
        from gis.carbon.sankey import carbon_flows

        p = params
        # the user's files are read first: a bad one stops the run before the park is loaded
        files = inputs.get("scenario") or []
        files = files if isinstance(files, list) else [files]  # the GUI's file picker names one
        mine = [s for f in files for s in read_scenarios(f.path)]
        measures = read_measures(p.measures) if p.measures else None
        target = read_target(p.target) if p.target else None
        table, summary, settings, source = _project_source(first(inputs.get("project")), p.sample, progress)
        kept_s, kept_m, kept_t = stored_inputs(settings or {})
        scenarios = mine or kept_s
        measures = measures if measures is not None else kept_m
        target = target if target is not None else kept_t
        problems: list[Problem] = []
        trends = None
        if table is not None:
            factors = load_factors(p.factors)
            base, trends = base_of_table(table, summary, factors, source=source)
        elif summary_get(summary_get(summary, "pathways") or {}, "base"):
            base = PathwayBase.from_dict(summary_get(summary, "pathways")["base"])
        else:
            raise InputError(
                "项目没有企业能耗表，无法推演排放路径（用 lingtan template energy 生成模板）",
                "The project has no enterprise energy table to project from (lingtan template "
                "energy makes the template)",
                code="pathway.no_table",
            )
        if base.onsite_potential_kwh_yr <= 0:
            problems.append(
                Problem(
                    "info",
                    "pathway.no_potential",
                    "未知园区光伏风电潜力（项目无屋顶光伏、阵列或风电结果）：建设比例参数不起作用",
                    "The park's PV/wind potential is unknown (no rooftop, array or wind result "
                    "in the project): the build-out parameter has no effect",
                )
            )
        run = run_pathways(
            base,
            summary,
            scenarios=scenarios,
            measures=measures,
            target=target,
            pct=p.pct,
            trends=trends,
            progress=progress.sub(0.6, 1.0),
        )
        run.problems[:0] = problems
        out = {**run.section(), "source": source}
        if trends is not None:
            out["sankey"] = carbon_flows(trends, None).to_dict()
        return AlgorithmOutput(self.id, run, {}, out, run.problems)

    @staticmethod
    def describe_summary(s: dict) -> list[str]:
        """The printed lines: base year, per scenario its milestones, the cheapest measures, the
        largest drivers."""
        lines = [
            f"基准年 Base year: {s.get('base_year')}; 指标阈值 indicator ≤ {s.get('indicator_threshold')} "
            "tCO2/tce"
        ]
        for sc in s.get("scenarios") or []:
            peak = sc.get("peak_year") or "2060 前未达峰 not by 2060"
            lines.append(
                f"  {sc['name_zh']} {sc['name']}: 达峰 peak {peak} ({(sc.get('peak_t_co2') or 0):,.0f} t), "
                f"2030 {(sc.get('t_co2_2030') or 0):,.0f} t, 2060 {(sc.get('t_co2_2060') or 0):,.0f} t, "
                f"指标 indicator {sc.get('indicator_year') or '—'}, 净零 net zero "
                f"{sc.get('net_zero_year') or '—'}"
            )
        macc = s.get("macc") or []
        if macc:
            lines.append(
                "MACC: " + ", ".join(f"{m['name_zh']} {m['cost_yuan_per_t_co2']:,.0f} 元/t" for m in macc[:4])
            )
        sens = s.get("sensitivity") or []
        if sens:
            lines.append(
                "敏感性 Sensitivity: "
                + ", ".join(f"{t['driver_zh']} ±{(t['swing_t_co2'] or 0):,.0f} t" for t in sens[:3])
            )
        if s.get("output"):
            lines.append(f"输出 Output: {s['output']}")
        if s.get("png"):
            lines.append(f"图表 Charts: {', '.join(s['png'])}")
        return [*lines, *warnings_lines(s)]

    def describe(self, s: dict) -> list[str]:
        return self.describe_summary(s)
