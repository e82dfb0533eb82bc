"""A park's carbon balance (energy emissions − rooftop PV × grid factor − green-space sinks = net),
its scenarios and the zero-carbon indicator check of each (``lingtan balance``). The account is
:func:`app.park_account.park_account`; methods and sources: docs/carbon.md."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from app.algorithms.common import WEATHER_FILTERS
from app.algorithms.emissions import (
    BOUNDARY,
    PROCESS_INPUT,
    SCOPE3_INPUT,
    TABLE_FILTERS,
    YEAR_MAX,
    YEAR_MIN,
    factor_set_choices,
    read_accounting_inputs,
)
from app.processing.algorithm import Algorithm, AlgorithmOutput, Inputs, LayerInput, OutputFile, first
from app.processing.params import Param, ParamValues
from gis.defaults import DEFAULT_FACTOR_SET, DEFAULT_INDICATOR_SET
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress


def indicator_set_choices() -> list[tuple[str, str, str]]:
    """The indicator sets of resources/indicators/indicator_sets.csv with their names."""
    from gis.carbon.indicators import indicator_sets

    out = []
    for key, name in indicator_sets().items():
        zh, _, en = name.partition(" / ")
        out.append((key, zh, en or zh))
    return out


def fact_choices() -> list[tuple[str, str, str]]:
    """The park facts the energy data cannot give (gis.carbon.balance.FACT_KEYS)."""
    from gis.carbon.balance import FACT_KEYS

    return [(k, zh, en) for k, (zh, en, _) in FACT_KEYS.items()]


_PROJECT_ZH, _PROJECT_EN = "项目文件中的，否则", "the project file's, else"


def _write_workbook(output: AlgorithmOutput, path: Path | None,
                    values: ParamValues) -> tuple[dict, list[str]]:
    """OUT.xlsx (平衡, 指标, 排放, 企业, 碳汇, 因子, 问题, 光伏) and OUT.json (the whole account); the
    balance summary is what is printed."""
    from app.outputs import write_json
    from app.park_account import balance_sheets, describe_balance
    from app.xlsx import write_xlsx

    assert path is not None  # --out is required
    account, pv_result = output.result
    write_xlsx(path, balance_sheets(account, pv_result))
    write_json(path.with_suffix(".json"), output.summary)
    printed = account.carbon.summary()
    return printed, [*describe_balance(printed), f"输出 Output: {path} (+ .json)"]


class ParkBalance(Algorithm):
    id = "park_balance"
    cli_alias = "balance"
    title_zh, title_en = "园区碳平衡、情景与零碳指标", "Park carbon balance, scenarios and indicators"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = ("园区碳平衡（能源活动排放 − 屋顶光伏发电量 × 电网因子 − 绿地碳汇 = 净排放）、"
                  "多情景对比（现状、屋顶光伏、光伏 + 煤改气，或项目文件中的情景）"
                  "及各情景的零碳园区指标核查，每一项都注明来源。"
                  "园区取自项目文件、示例园区或所给图层与能耗表。")
    summary_en = ("The park's carbon balance (energy emissions − rooftop PV × grid factor − green-space "
                  "sinks = net), scenarios side by side (status quo, rooftop PV, PV + coal→gas, or the "
                  "project's own) and the zero-carbon indicator check of each, every line with its source. "
                  "The park comes from a project file, the sample park or the layers and energy table given.")
    inputs = (
        LayerInput("project", "项目文件", "Project file", "列出园区图层、能耗表与各项选择的 JSON 项目文件"
                   "（见 docs/carbon.md）", "project file naming the park's layers and tables (see "
                   "docs/carbon.md)", kind="file", positional=True, required=False, metavar="PROJECT.json",
                   filters="Project (*.json);;All files (*)"),
        LayerInput("boundary", "园区红线", "Park boundary", "无项目文件时",
                   "park boundary layer (if no project)", geometry=("polygon",), required=False,
                   role="boundary", shared_crs=True),
        LayerInput("buildings", "建筑", "Buildings", "建筑轮廓（无项目文件时）", "building footprints (if no "
                   "project)", geometry=("polygon",), required=False, role="buildings", shared_crs=True),
        LayerInput("green", "绿地", "Green space", "含覆盖类型字段的绿地面", "green-space polygons with a "
                   "land-cover type", geometry=("polygon",), required=False, role="green", shared_crs=True),
        LayerInput("tree_rows", "行道树", "Tree rows", "行道树或单株树", "tree rows or points",
                   geometry=("line", "point", "polygon"), required=False, role="tree_rows", flag="--trees",
                   shared_crs=True),
        LayerInput("energy", "企业能耗表", "Enterprise energy table",
                   "能耗表（CSV/Excel，宽表或长表）；代替项目文件中的",
                   "energy table (CSV/Excel, wide or long); replaces the project's", required=False,
                   kind="table"),
        SCOPE3_INPUT, PROCESS_INPUT,
        LayerInput("facts_table", "园区数据表", "Park facts table",
                   "园区数据表（名称、数值，百分数），如绿色建筑占比",
                   "park facts (fact, value in percent), e.g. green-building shares", kind="table",
                   required=False, flag="--facts-table", sheet_flag="--facts-table-sheet"),
    )
    params = (
        Param("sample", "bool", False, "示例园区", "Sample park", help_zh="用内置示例园区",
              help_en="use the embedded sample park", source="off: your own park"),
        Param("weather", "file", None, "气象文件", "Weather file", optional=True, metavar="FILE",
              filters=WEATHER_FILTERS, help_zh="屋顶光伏用的气象文件",
              help_en="weather file for the rooftop PV",
              auto_zh=f"{_PROJECT_ZH}内置 CSWD 气候数据", auto_en=f"{_PROJECT_EN} the built-in climatology",
              source="docs/weather.md"),
        Param("pv", "bool", True, "计入屋顶光伏", "Rooftop PV in the balance", cli_negate="--no-pv",
              help_zh="按建筑屋顶光伏潜力计入光伏发电与减排（--no-pv：不计）",
              help_en="count the rooftop PV potential of the buildings (--no-pv: leave rooftop PV out of the "
                      "balance)",
              source="on: the rooftop PV scenario is the park's main lever (docs/carbon.md)"),
        Param("factors", "choice", None, "排放因子集", "Emission-factor set", choices=factor_set_choices,
              optional=True, metavar="KEY", help_zh="排放因子集", help_en="emission-factor set",
              auto_zh=f"{_PROJECT_ZH} {DEFAULT_FACTOR_SET}", auto_en=f"{_PROJECT_EN} {DEFAULT_FACTOR_SET}",
              source="resources/factors/factor_sets.csv"),
        Param("year", "int", None, "核算年份", "Year", minimum=YEAR_MIN, maximum=YEAR_MAX, optional=True,
              metavar="Y", help_zh="核算的年份", help_en="year to account",
              auto_zh=f"{_PROJECT_ZH}能耗表中最近一年",
              auto_en=f"{_PROJECT_EN} the latest in the energy table"),
        Param("baseline_year", "int", None, "基准年", "Baseline year", minimum=YEAR_MIN, maximum=YEAR_MAX,
              optional=True, metavar="Y", help_zh="进度类指标的基准年", help_en="baseline year for progress "
              "indicators", auto_zh=f"{_PROJECT_ZH}核算年份的上一年（表中有时）",
              auto_en=f"{_PROJECT_EN} the year before, when the table has it"),
        Param("indicators", "choice", None, "指标体系", "Indicator set", choices=indicator_set_choices,
              optional=True, metavar="SET|FILE", or_kind="file", filters=TABLE_FILTERS,
              help_zh="零碳园区指标体系，或用户指标表（CSV/Excel：指标名称、metric、比较符、阈值、单位、来源；"
                      "示例 resources/indicators/example_user_set.csv）",
              help_en="zero-carbon indicator set, or a user indicator table (CSV/Excel: indicator, "
                      "metric, comparison, threshold, unit, source; example "
                      "resources/indicators/example_user_set.csv)",
              auto_zh=f"{_PROJECT_ZH} {DEFAULT_INDICATOR_SET}",
              auto_en=f"{_PROJECT_EN} {DEFAULT_INDICATOR_SET}",
              source="resources/indicators/indicator_sets.csv"),
        Param("facts", "keyvalues", None, "园区数据", "Park facts", choices=fact_choices, unit="%",
              minimum=0.0, maximum=100.0, optional=True, flag="--fact", metavar="KEY=VALUE",
              help_zh="数据给不出的园区情况，如 solid_waste_use_pct=92、water_reuse_pct=85、"
                      "waste_heat_use_pct=40",
              help_en="a park fact the data cannot give, e.g. solid_waste_use_pct=92, water_reuse_pct=85, "
                      "waste_heat_use_pct=40",
              auto_zh="项目文件中的，否则无（相应指标为“缺数据”）",
              auto_en="the project file's, else none (those indicators say no data)",
              source="range: shares of 0–100 % (the indicator sets' units)"),
        # --boundary is the park's red line here: the scopes take --accounting-boundary
        dataclasses.replace(BOUNDARY, name="accounting_boundary"),
        Param("emissions_cap", "float", None, "排放总量上限", "Emissions cap", unit="tCO2", minimum=0.0,
              optional=True, metavar="T",
              help_zh="园区碳排放总量上限（核算边界内，计入可再生能源后）：作为一项指标核查",
              help_en="cap on the park's emissions (within the boundary, after renewables): checked as one "
                      "more indicator", auto_zh="无", auto_en="none",
              source="the municipal allocation, when the park has one"),
    )
    output_file = OutputFile((".xlsx",), "OUT.xlsx", "output workbook (sheets 平衡, 指标, 排放, 碳汇, 光伏; "
                             "OUT.json written beside it)", _write_workbook)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.park_account import park_account

        p = params
        park, options = self.park(p, inputs, progress.sub(0.0, 0.05))
        if park.enterprises is None:  # before the rooftop PV, which takes longest
            raise InputError("园区没有企业能耗表，无法核算碳平衡：用 --energy 或项目文件给出"
                             "（lingtan template energy 生成模板）",
                             "The park has no enterprise energy table, so there is no balance to account: "
                             "give one with --energy or the project file (lingtan template energy makes "
                             "the template)", code="balance.no_energy")
        from gis.carbon.user_indicators import read_facts, resolve_indicators

        table_facts = {}
        if (ft := first(inputs.get("facts_table"))) is not None:
            table_facts = read_facts(ft.gdf, source_name=str(ft.path or ft.name))
        facts = {**options.get("facts", {}), **table_facts, **(p.facts or {})}
        set_key, indicator_table = resolve_indicators(p.indicators or options.get("indicators"),
                                                      cap_t_co2=p.emissions_cap)
        accounting = {**read_accounting_inputs(inputs), "indicator_table": indicator_table}
        if p.accounting_boundary:
            accounting["boundary"] = p.accounting_boundary
        account, pv_result = park_account(
            park, factors_key=p.factors or options.get("factors"),
            weather_path=p.weather or options.get("weather"), pv=p.pv, year=p.year or options.get("year"),
            baseline_year=p.baseline_year or options.get("baseline_year"),
            indicator_set=set_key, scenarios=options.get("scenarios"),
            facts=facts, progress=progress.sub(0.05, 0.95), accounting=accounting)
        summary = {**account.summary(), "pv": pv_result.summary() if pv_result else None}
        problems = [x for r in (account.emissions, account.sinks, account.trees, pv_result) if r is not None
                    for x in r.problems]
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, (account, pv_result), {}, summary, problems)

    @staticmethod
    def park(p: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS):
        """(the park, the project file's other choices): the sample park, else the project file's,
        else one built from the layers; the energy table given replaces the park's (not the sample's)."""
        from app.project import read_project
        from gis.park import build_park, load_park, load_sample_park

        if p.sample:
            return load_sample_park(progress), {}
        energy = first(inputs.get("energy"))
        project = first(inputs.get("project"))
        if project is not None and project.path is not None:
            sources, options = read_project(project.path)
            if energy is not None:
                sources.enterprises_table = None  # replaced below: the project's need not be read
            park = load_park(sources, progress)
        else:
            frames = {role: item.gdf for role in ("boundary", "buildings", "green", "tree_rows")
                      if (item := first(inputs.get(role))) is not None}
            if "boundary" not in frames or "buildings" not in frames:
                raise InputError("请给出项目文件，或 --boundary 和 --buildings（或 --sample）",
                                 "Give a project file, or --boundary and --buildings (or --sample)",
                                 code="balance.inputs")
            park, options = build_park(frames, progress=progress), {}
        if energy is not None:
            park = dataclasses.replace(park, enterprises=energy.gdf)
        return park, options

    def describe(self, s: dict) -> list[str]:
        from app.park_account import describe_balance

        return describe_balance(s.get("balance", s))
