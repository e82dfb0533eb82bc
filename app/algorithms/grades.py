"""Enterprise carbon-efficiency grades (碳效码, ``lingtan grades``): an energy table → each
enterprise's L (tCO2 per 10⁴ yuan of value added), K against its industry, level, grade 1–5, ranks
and change from the year before; a workbook, and the ``enterprise_grades`` layer when buildings
carry enterprise ids. The core is :mod:`gis.carbon.grades`; method and sources: docs/grades.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from app.algorithms.emissions import FACTORS, GRID_FACTOR, YEAR_MAX, YEAR_MIN
from app.processing.algorithm import (
    Algorithm,
    AlgorithmOutput,
    Inputs,
    LayerInput,
    OutputFile,
    first,
    warnings_lines,
)
from app.processing.params import Param, ParamValues
from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

SHEET_HEADERS = {
    "id": "企业代码", "name": "企业名称", "industry": "行业（大类）", "industry_name": "行业名称",
    "t_co2": "能源碳排放(tCO2)", "green_t_co2": "绿电扣减(tCO2)", "sink_t_co2": "碳汇扣减(tCO2)",
    "ccs_t_co2": "CCS扣减(tCO2)", "net_t_co2": "扣减后排放(tCO2)", "value_added_10k_yuan": "工业增加值(万元)",
    "L": "单位增加值碳排放L(tCO2/万元)", "benchmark_L": "行业基准L(tCO2/万元)", "K": "碳效值K",
    "level": "碳效水平", "level_zh": "碳效水平（中文）", "grade": "碳效等级", "colour": "颜色",
    "rank_industry": "行业内排名", "industry_members": "行业企业数", "rank_park": "园区内排名",
    "L_previous": "上年L(tCO2/万元)", "delta_L": "L变化(tCO2/万元)", "grade_previous": "上年等级",
    "delta_grade": "等级变化", "not_graded": "未评级原因",
}
"""Chinese headers (with units) of the 企业 sheet; the English key is kept in the JSON."""


def _sheets(result) -> dict[str, pd.DataFrame]:
    from gis.carbon.grades import GRADE_BREAKS_K, GRADE_COLOURS, GRADE_NAMES_EN, GRADE_NAMES_ZH

    e = result.enterprises.rename(columns=SHEET_HEADERS)
    ind = result.industries.rename(columns={
        "industry": "行业（大类）", "name": "行业名称", "members": "参评企业数", "t_co2": "扣减后排放(tCO2)",
        "value_added_10k_yuan": "工业增加值(万元)", "own_L": "行业自身L(tCO2/万元)",
        "benchmark_L": "基准L(tCO2/万元)", "benchmark_source": "基准来源", "single_member": "仅一家企业"})
    lows = (None, *GRADE_BREAKS_K)
    highs = (*GRADE_BREAKS_K, None)
    counts = result.counts()["grades"]
    method = pd.DataFrame({
        "等级 grade": range(1, 6),
        "K 范围 range": [f"{'' if lo is None else f'{lo} < '}K{'' if hi is None else f' ≤ {hi}'}"
                       for lo, hi in zip(lows, highs, strict=True)],
        "含义": GRADE_NAMES_ZH, "meaning": GRADE_NAMES_EN, "颜色 colour": GRADE_COLOURS,
        "企业数 count": counts,
        "来源 source": ["DB33/T 1347-2023；湖州 规上工业企业碳效等级评价方法"] * 5})
    problems = pd.DataFrame([p.to_dict() for p in result.problems] or [{"level": "", "code": "", "zh": "无",
                                                                         "en": "none"}])
    return {"企业": e, "行业": ind, "未评级": result.not_graded.rename(columns=SHEET_HEADERS), "方法": method,
            "问题": problems[[c for c in ("level", "code", "zh", "en") if c in problems]]}


def _write(output: AlgorithmOutput, path: Path | None, values: ParamValues) -> tuple[dict, list[str]]:
    """OUT.xlsx (企业, 行业, 未评级, 方法, 问题) and, with a grade layer, OUT.gpkg beside it."""
    from app.outputs import write_gpkg
    from app.xlsx import write_xlsx

    assert path is not None  # --out is required
    write_xlsx(path, _sheets(output.result))
    outputs = {"xlsx": str(path)}
    if output.layers:
        gpkg = path.with_suffix(".gpkg")
        write_gpkg(gpkg, output.layers)
        outputs["gpkg"] = str(gpkg)
    summary = {**output.summary, "outputs": outputs}
    return summary, [*Grades.describe_summary(summary), f"输出 Output: {', '.join(outputs.values())}"]


class Grades(Algorithm):
    id = "grades"
    cli_alias = "grades"
    title_zh, title_en = "企业碳效等级（碳效码）", "Enterprise carbon-efficiency grades"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = ("按浙江省地方标准 DB33/T 1347-2023（湖州碳效码方法）："
                  "L =（能源碳排放 − 绿电 − 碳汇 − CCS）÷ 工业增加值（吨二氧化碳/万元），"
                  "低碳 L ≤ 0.6、中碳 ≤ 2.0、高碳 > 2.0；K = L ÷ 行业基准 L，"
                  "1–5 级（K ≤ 0.6、≤ 0.8、≤ 1.2、≤ 2.0、> 2.0）。行业基准默认为本表中该行业"
                  " Σ排放 ÷ Σ增加值，或行业基准表。输出企业排名与较上年变化、Excel 表，"
                  "建筑带企业代码时输出等级图层。")
    summary_en = ("Zhejiang's DB33/T 1347-2023 (Huzhou's carbon-efficiency code): L = (energy CO2 − green "
                  "electricity − sinks − CCS) ÷ value added (tCO2 per 10^4 yuan), low L ≤ 0.6, medium ≤ 2.0, "
                  "high > 2.0; K = L ÷ the industry benchmark L, grades 1–5 (K ≤ 0.6, ≤ 0.8, ≤ 1.2, ≤ 2.0, "
                  "> 2.0). The benchmark is the industry's own Σ CO2 ÷ Σ value added in the table, or a "
                  "benchmark table. Ranks and change from the year before, an Excel workbook, and a grade "
                  "layer when buildings carry enterprise ids. See docs/grades.md.")
    summary_key = "grades"
    outputs = ("enterprise_grades",)
    inputs = (
        LayerInput("energy", "能耗表", "Energy table",
                   "企业能耗表（CSV/Excel，宽表或长表），含 工业增加值(万元)、行业代码 或 行业；"
                   "可选 绿电(万千瓦时)、碳汇(吨二氧化碳)、CCS(吨二氧化碳)",
                   "enterprise energy table (CSV/Excel, wide or long) with 工业增加值(万元) and 行业代码 or "
                   "行业; optional 绿电(万千瓦时), 碳汇(吨二氧化碳), CCS(吨二氧化碳)",
                   kind="table", positional=True, required=False, sheet_flag="--sheet",
                   metavar="ENERGY_TABLE"),
        LayerInput("benchmarks", "行业基准表", "Benchmark table",
                   "CSV/Excel：行业代码 或 行业，基准（吨二氧化碳/万元）",
                   "CSV/Excel: industry code (行业代码) or name (行业), benchmark L (基准, tCO2 per "
                   "10^4 yuan)",
                   kind="table", required=False, flag="--benchmarks", sheet_flag="--benchmarks-sheet"),
        LayerInput("buildings", "建筑", "Buildings", "带企业代码字段的建筑轮廓（输出等级图层）",
                   "building footprints with an enterprise id field (for the grade layer)",
                   geometry=("polygon",), required=False, role="buildings"),
    )
    params = (
        Param("sample", "bool", False, "示例园区", "Sample park", help_zh="用内置示例园区的能耗表和建筑",
              help_en="use the embedded sample park's energy table and buildings",
              source="off: your own table"),
        Param("year", "int", None, "评价年份", "Year", minimum=YEAR_MIN, maximum=YEAR_MAX, optional=True,
              metavar="Y", help_zh="评价的年份（与上一年比较）",
              help_en="year to grade (compared with the one before)", auto_zh="表中最近一年",
              auto_en="the latest in the table"),
        FACTORS, GRID_FACTOR,
    )
    output_file = OutputFile((".xlsx",), "OUT.xlsx", "output Excel workbook (sheets 企业, 行业, 未评级, "
                             "方法, 问题; OUT.gpkg beside it with the grade layer)", _write)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.cmd_carbon import load_factors, sheet_note
        from gis.buildings import guess_building_fields
        from gis.carbon.emissions import account_emissions
        from gis.carbon.grades import grade_emissions, grade_layer, read_benchmarks
        from gis.carbon.inventory import read_energy_inventory

        p = params
        table, buildings = first(inputs.get("energy")), first(inputs.get("buildings"))
        table_df, source = (table.gdf, str(table.path or table.name)) if table is not None else (None, "")
        buildings_gdf = buildings.gdf if buildings is not None else None
        if p.sample:
            table_df, source, sample_buildings = _sample()
            buildings_gdf = buildings_gdf if buildings_gdf is not None else sample_buildings
        if table_df is None:
            raise InputError("请给出能耗表（ENERGY_TABLE），或 --sample",
                             "Give an energy table (ENERGY_TABLE), or --sample", code="grades.inputs")
        progress.report(0.1, "factors")
        factors = load_factors(p.factors, grid_key=p.grid_factor)
        inventory = read_energy_inventory(table_df, source_name=source, factors=factors)
        if table is not None:
            inventory.problems[:0] = [sheet_note(problem) for problem in table.problems]
        if "value_added" not in inventory.columns:
            raise InputError("能耗表没有工业增加值列：请加一列 工业增加值(万元)",
                             "The energy table has no value-added column: add a column 工业增加值(万元)",
                             path=source or None, code="grades.no_value_added")
        progress.report(0.4, "accounting")
        result = account_emissions(inventory, factors, year="all")
        bench_in = first(inputs.get("benchmarks"))
        benchmarks = read_benchmarks(bench_in.gdf, source_name=str(bench_in.path or bench_in.name)) \
            if bench_in is not None else None
        progress.report(0.7, "grading")
        grades = grade_emissions(result, year=p.year, benchmarks=benchmarks,
                                 benchmark_name=str(bench_in.path or bench_in.name) if bench_in else "")
        layers = {}
        if buildings_gdf is not None:
            id_field = guess_building_fields(buildings_gdf.columns).get("enterprise_id")
            if id_field is None:
                grades.problems.append(Problem(
                    "warning", "grades.no_building_ids",
                    "建筑没有企业代码字段（如 enterprise_id、企业代码）：不输出等级图层",
                    "The buildings have no enterprise id field (e.g. enterprise_id, 企业代码): no grade "
                    "layer"))
            else:
                layers["enterprise_grades"] = grade_layer(buildings_gdf, grades.enterprises, id_field)
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, grades, layers, grades.summary(), grades.problems)

    @staticmethod
    def describe_summary(s: dict) -> list[str]:
        """The printed lines of a grades summary."""
        year = s.get("year")
        lines = [f"企业 Enterprises: {s.get('count', 0)}" + (f", 年份 year {year}" if year else "")
                 + (f" (对比 vs {s['previous_year']})" if s.get("previous_year") else ""),
                 f"基准 Benchmarks: {s.get('benchmark_source')}"]
        names = ["绿 green", "蓝 blue", "黄 yellow", "橙 orange", "红 red"]
        for k, n in enumerate(s.get("grades") or []):
            lines.append(f"  {k + 1} 级 grade {k + 1} {names[k]}: {n}")
        lv = s.get("levels") or {}
        lines.append(f"  低碳 low {lv.get('low', 0)} / 中碳 medium {lv.get('medium', 0)} / 高碳 high "
                     f"{lv.get('high', 0)}; 未评级 not graded {s.get('not_graded', 0)}")
        return [*lines, *warnings_lines(s)]

    def describe(self, s: dict) -> list[str]:
        return self.describe_summary(s)


def _sample() -> tuple[pd.DataFrame, str, object]:
    """The sample park's energy table and buildings (read through the user readers)."""
    from gis.io.read import read_vector
    from gis.io.tables import read_data_table
    from gis.park import sample_sources

    src = sample_sources()
    assert src.enterprises_table is not None and src.buildings is not None
    df, _ = read_data_table(src.enterprises_table)
    buildings = read_vector(src.buildings.path, layer=src.buildings.layer).gdf
    return df, str(src.enterprises_table), buildings
