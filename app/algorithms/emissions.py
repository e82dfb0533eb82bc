"""Carbon emissions of energy use: an enterprise energy table × an emission-factor set → emissions
per enterprise, sector, fuel, scope and year, with tce and intensities (``lingtan carbon``; the
workbook's sheets are built in app/cmd_carbon.py; methods and sources: docs/carbon.md)."""

from __future__ import annotations

from pathlib import Path

from app.algorithms.common import grid_factor_choices
from app.processing.algorithm import Algorithm, AlgorithmOutput, Inputs, LayerInput, OutputFile, first
from app.processing.params import Param, ParamValues
from gis.carbon.factors import ELECTRICITY_TCE_METHODS
from gis.defaults import DEFAULT_FACTOR_SET
from gis.progress import NO_PROGRESS, Progress

TABLE_FILTERS = "Tables (*.csv *.txt *.xlsx *.xls *.xlsm);;All files (*)"

LINE_HEADERS = {"year": "年份", "kind": "类别 kind", "name_zh": "项目", "name_en": "item", "scope": "范围",
                "amount": "活动水平", "unit": "单位", "t_co2": "排放量(tCO2e)", "counted": "计入边界",
                "source": "来源"}
"""Columns of the 排放项目 sheet (gis.carbon.scope.BoundedEmissions.lines)."""
YEAR_MIN, YEAR_MAX = 1949, 2100
"""Years a statistics table can hold (the People's Republic's statistics start in 1949)."""


def factor_set_choices() -> list[tuple[str, str, str]]:
    """The named emission-factor sets of resources/factors/factor_sets.csv with their names."""
    from gis.carbon.factors import factor_set_table

    t = factor_set_table()
    return [(str(k), str(z), str(e)) for k, z, e in zip(t["key"], t["name_zh"], t["name_en"], strict=True)]


_ELECTRICITY_TCE_NAMES = {
    "calorific": ("当量值 0.1229 kgce/kWh", "calorific equivalent, 0.1229 kgce/kWh"),
    "supply": ("等价值（供电煤耗，约 0.30 kgce/kWh，未核实）",
               "coal consumption of power supply (~0.30 kgce/kWh, unverified)"),
}

FACTORS = Param(
    "factors", "choice", DEFAULT_FACTOR_SET, "排放因子集", "Emission-factor set", choices=factor_set_choices,
    or_kind="file", metavar="KEY|FILE", filters=TABLE_FILTERS,
    help_zh="命名因子集，或一个含全部因子的因子表文件（CSV/Excel：fuel, value, unit [, source, scope, tce, "
            "tce_unit]）",
    help_en="emission-factor set (resources/factors/factor_sets.csv) or a factor table file "
            "(CSV/Excel: fuel, value, unit [, source, scope, tce, tce_unit]) holding every factor",
    source="resources/factors/factor_sets.csv (the row noted default)")
OVERRIDE = Param(
    "override", "file", None, "修改因子表", "Factor overrides", optional=True, metavar="FILE",
    filters=TABLE_FILTERS,
    help_zh="在因子集上修改或增加因子的 CSV/Excel：能源品种/fuel、排放因子/value、单位/unit"
            "（如 tCO2/t、tCO2/万立方米、kgCO2/kWh、tCO2/GJ）[、来源/source、范围/scope、"
            "折标系数/tce 与折标系数单位/tce_unit]",
    help_en="CSV/Excel of factors to change or add over the set: columns fuel/能源品种, value/排放因子, "
            "unit/单位 (e.g. tCO2/t, tCO2/万立方米, kgCO2/kWh, tCO2/GJ) [, source/来源, scope/范围, "
            "tce/折标系数 with tce_unit/折标系数单位 e.g. kgce/kg]",
    auto_zh="无", auto_en="none")
GRID_FACTOR = Param(
    "grid_factor", "choice", None, "电网排放因子", "Grid emission factor", choices=grid_factor_choices,
    optional=True, metavar="KEY",
    help_zh="用此电网排放因子代替因子集的电力因子", help_en="use this grid factor for electricity instead of "
    "the set's own", auto_zh="因子集自带的电力因子", auto_en="the set's own",
    source="resources/factors/grid_emission_factors.csv (MEE & NBS)")
YEAR = Param(
    "year", "choice", "latest", "核算年份", "Year", choices=(
        ("latest", "表中最近一年", "the latest in the table"),
        ("all", "全部年份（分年核算）", "every year, grouped")),
    or_kind="int", minimum=YEAR_MIN, maximum=YEAR_MAX, metavar="Y",
    help_zh="核算的年份：某一年（2023）、latest（最近一年）或 all（各年分别核算）",
    help_en="year to account: a year (2023), latest, or all (every year, grouped)",
    source="latest: one reporting year, the most recent (GB/T 32150-2015 accounts a calendar year)")
ELECTRICITY_TCE = Param(
    "electricity_tce", "choice", "calorific", "电力折标方法", "Electricity to tce",
    choices=[(m, *_ELECTRICITY_TCE_NAMES.get(m, (m, m))) for m in ELECTRICITY_TCE_METHODS],
    help_zh="电力折标准煤：calorific = 当量值 0.1229 kgce/kWh（GB/T 2589-2020）；"
            "supply = 等价值（供电煤耗，约 0.30 kgce/kWh，未核实）",
    help_en="electricity to tce: calorific = equivalent value 0.1229 kgce/kWh (GB/T 2589-2020); supply = "
            "coal consumption of power supply (~0.30 kgce/kWh, unverified)",
    source="GB/T 2589-2020 (calorific equivalent of electricity)", advanced=True)

BOUNDARY = Param(
    "boundary", "choices", "scope1,scope2", "核算边界", "Accounting boundary",
    choices=(("scope1", "范围一（燃料、工业过程、废弃物）", "scope 1 (fuels, processes, waste)"),
             ("scope2", "范围二（外购电力、热力、冷量）", "scope 2 (purchased electricity, heat, cooling)"),
             ("scope3", "范围三（填报的类别）", "scope 3 (the categories entered)")),
    metavar="scope1,scope2[,scope3]",
    help_zh="计入总量的范围；国家零碳园区指标按 范围一（含工业过程）+ 范围二 核算",
    help_en="scopes counted in the totals; the national zero-carbon park indicators count scope 1 "
            "(industrial processes included) + scope 2",
    source="GB/T 32150-2015 §6 (scopes 1 and 2); GHG Protocol Scope 3 Standard (WRI/WBCSD 2011)")
SCOPE3_INPUT = LayerInput(
    "scope3", "范围三排放表", "Scope 3 table",
    "范围三排放（CSV/Excel：类别、排放量(吨二氧化碳)、来源[、年份]）",
    "scope 3 lines (CSV/Excel: category, t_co2, source [, year]); categories 1–15 of the GHG Protocol",
    kind="table", required=False, flag="--scope3", sheet_flag="--scope3-sheet")
PROCESS_INPUT = LayerInput(
    "process", "工业过程/废弃物表", "Process and waste table",
    "单列的工业过程、废弃物处理与外购冷量活动表（项目、数量、单位[、企业代码、年份]）；"
    "能耗表中的 熟料产量(吨)、冷量(吉焦) 等列也会读取",
    "a separate table of process, waste and purchased-cooling activities (item, amount, unit [, entity, "
    "year]); columns such as 熟料产量(吨), 冷量(吉焦) in the energy table are read too",
    kind="table", required=False, flag="--process", sheet_flag="--process-sheet")


def read_accounting_inputs(inputs: Inputs) -> dict:
    """The scope 3 lines and the separate process table given (for gis.carbon.scope.apply_boundary)."""
    from gis.carbon.process import read_activities
    from gis.carbon.scope import read_scope3

    out: dict = {}
    if (t := first(inputs.get("scope3"))) is not None:
        out["scope3"] = read_scope3(t.gdf, source_name=str(t.path or t.name))
    if (t := first(inputs.get("process"))) is not None:
        out["activities"] = read_activities(t.gdf, source_name=str(t.path or t.name))
    return out


def _write_workbook(output: AlgorithmOutput, path: Path | None,
                    values: ParamValues) -> tuple[dict, list[str]]:
    """OUT.xlsx (sheets 汇总, 企业, 行业, 能源品种, 明细, 因子); the summary names it."""
    from app.cmd_carbon import carbon_sheets, describe_carbon
    from app.xlsx import write_xlsx

    assert path is not None  # --out is required
    sheets = carbon_sheets(output.result)
    lines = getattr(output.result, "lines", None)
    if lines is not None and len(lines):  # process, waste, cooling and scope 3 as their own rows
        sheets["排放项目"] = lines.rename(columns=LINE_HEADERS)[list(LINE_HEADERS.values())]
    write_xlsx(path, sheets)
    summary = {**output.summary, "output": str(path)}
    return summary, describe_carbon(summary)


class Emissions(Algorithm):
    id = "emissions"
    cli_alias = "carbon"
    title_zh, title_en = "能源碳排放核算", "Carbon emissions of energy use"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = ("按企业（或建筑、乡镇）、能源品种、范围、行业和年份核算能源活动碳排放，"
                  "含综合能耗（tce）与强度；能耗表可为宽表（每种能源一列，表头带单位："
                  "原煤(吨)、天然气(万立方米)、电力(万千瓦时)、热力(吉焦)）"
                  "或长表（能源品种、消费量、单位列）。lingtan template energy 生成填报模板。")
    summary_en = ("Carbon emissions of energy use per enterprise (or building/township), fuel, scope, "
                  "sector and year, with tce and intensities, from a CSV/Excel energy table in wide form "
                  "(one column per fuel, unit in the header: 原煤(吨), 天然气(万立方米), "
                  "电力(万千瓦时), 热力(吉焦)) or long form (columns 能源品种/fuel, 消费量/amount, "
                  "单位/unit). `lingtan template energy` writes a table to fill in. See docs/carbon.md.")
    inputs = (
        LayerInput("energy", "能耗表", "Energy table",
                   "能源消费 CSV（UTF-8 或 GBK）或 Excel 表；单位 t、kg、万吨、m³、万立方米、kWh、"
                   "万千瓦时、MWh、GWh、GJ、TJ、MJ、tce（中文单位亦可）",
                   "CSV (UTF-8 or GBK) or Excel table of energy use; units t, kg, 万吨, m³, 万立方米, kWh, "
                   "万千瓦时, MWh, GWh, GJ, TJ, MJ, tce (Chinese names accepted)",
                   kind="table", positional=True, sheet_flag="--sheet", metavar="ENERGY_TABLE"),
    )
    inputs = (*inputs, SCOPE3_INPUT, PROCESS_INPUT)
    params = (FACTORS, OVERRIDE, GRID_FACTOR, YEAR, ELECTRICITY_TCE, BOUNDARY)
    output_file = OutputFile((".xlsx",), "OUT.xlsx", "output Excel workbook (sheets 汇总, 企业, 行业, "
                             "能源品种, 明细, 因子)", _write_workbook)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        import pandas as pd

        from app.cmd_carbon import load_factors, sheet_note
        from gis.carbon.emissions import account_emissions
        from gis.carbon.inventory import read_energy_inventory
        from gis.carbon.process import read_activities
        from gis.carbon.scope import DEFAULT_BOUNDARY, apply_boundary, parse_boundary

        p = params
        progress.report(0.0, "factors")
        factors = load_factors(p.factors, override=p.override, grid_key=p.grid_factor,
                               electricity_tce=p.electricity_tce)
        table = first(inputs["energy"])
        assert table is not None  # a required input: check_inputs saw it
        progress.report(0.3, "reading")
        inventory = read_energy_inventory(table.gdf, source_name=str(table.path or table.name),
                                          factors=factors)
        inventory.problems[:0] = [sheet_note(problem) for problem in table.problems]
        progress.report(0.5, "accounting")
        result = account_emissions(inventory, factors, year=p.year)
        extra = read_accounting_inputs(inputs)
        activities = read_activities(table.gdf, columns=inventory.columns,
                                     source_name=str(table.path or table.name))
        if "activities" in extra:
            activities = pd.concat([activities, extra["activities"]], ignore_index=True)
        if len(activities) or "scope3" in extra or parse_boundary(p.boundary) != DEFAULT_BOUNDARY:
            result = apply_boundary(result, activities=activities, scope3=extra.get("scope3"),
                                    boundary=p.boundary)
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, result, {}, result.summary(), result.problems)

    def describe(self, s: dict) -> list[str]:
        from app.cmd_carbon import describe_carbon

        return describe_carbon(s)
