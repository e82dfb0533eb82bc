"""Energy and CO2 over the years and the carbon-flow Sankey of one year (``lingtan trends``, issue #19):
an energy table holding several years → per year by fuel and by six sectors (energy supply, industry,
buildings, transport, agriculture, residential), intensities and change against a baseline year, and
the Sankey fuels → sectors → CO2 → net emissions and deductions. The core is
:mod:`gis.carbon.trends` and :mod:`gis.carbon.sankey`; methods and sources: docs/trends.md."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from app.algorithms.emissions import ELECTRICITY_TCE, FACTORS, GRID_FACTOR, TABLE_FILTERS, YEAR_MAX, YEAR_MIN
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
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

TOTAL_HEADERS = {
    "year": "年份", "entities": "对象数", "tce": "综合能耗(tce)", "t_co2": "排放量(tCO2)",
    "value_added_10k_yuan": "增加值(万元)", "tce_per_10k_yuan": "单位增加值能耗(tce/万元)",
    "t_co2_per_10k_yuan": "单位增加值排放(tCO2/万元)", "land_mu": "占地面积(亩)",
    "t_co2_per_mu": "亩均排放(tCO2/亩)", "tce_change_pct": "能耗较基准年(%)",
    "t_co2_change_pct": "排放较基准年(%)", "tce_per_10k_yuan_change_pct": "能耗强度较基准年(%)",
    "t_co2_per_10k_yuan_change_pct": "排放强度较基准年(%)"}
FUEL_HEADERS = {"year": "年份", "fuel_zh": "能源品种", "fuel": "fuel", "tce": "综合能耗(tce)",
                "t_co2": "排放量(tCO2)", "share_tce_pct": "能耗占比(%)"}
SECTOR_HEADERS = {"year": "年份", "sector6_zh": "部门", "sector6": "sector", "entities": "对象数",
                  "tce": "综合能耗(tce)", "t_co2": "排放量(tCO2)", "share_t_co2_pct": "排放占比(%)",
                  "value_added_10k_yuan": "增加值(万元)", "t_co2_per_10k_yuan": "单位增加值排放(tCO2/万元)",
                  "t_co2_change_pct": "排放较基准年(%)"}
MAPPING_HEADERS = {"sector_code": "行业代码", "sector": "行业", "sector6_zh": "部门", "sector6": "sector",
                   "how": "依据", "entities": "对象数", "source": "来源"}
SANKEY_HEADERS = {"source_name": "起点", "source": "source", "target_name": "终点", "target": "target",
                  "value": "数值", "unit": "单位", "share_of_source_pct": "占起点流出(%)"}
MISSING_HEADERS = {"entity": "代码", "name": "名称", "years_present": "有数据的年份",
                   "years_missing": "缺少的年份"}

PERIOD_HEADERS = {"year": "年份", "period_label_zh": "期间", "period_label": "period", "entities": "对象数",
                  "tce": "综合能耗(tce)", "t_co2": "排放量(tCO2)", "share_of_year_t_co2_pct": "占全年排放(%)"}
"""Sheet 分期 (quarters or months, when the table has them)."""


def _sheets(out) -> dict[str, pd.DataFrame]:
    """The workbook: 逐年汇总, 能源品种, 部门, 桑基图 (the Sankey's links), 部门映射, 缺失年份, 分期 (with
    quarters or months), 问题."""
    trends, sankey = out["trends"], out["sankey"]
    problems = pd.DataFrame([{"级别": p.level, "代码": p.code, "说明": p.zh, "message": p.en}
                             for p in trends.problems], columns=["级别", "代码", "说明", "message"])
    return {"逐年汇总": trends.totals.rename(columns=TOTAL_HEADERS),
            "能源品种": trends.by_fuel[list(FUEL_HEADERS)].rename(columns=FUEL_HEADERS),
            "部门": trends.by_sector[list(SECTOR_HEADERS)].rename(columns=SECTOR_HEADERS),
            f"桑基图{sankey.year}": sankey.table("zh")[list(SANKEY_HEADERS)].rename(columns=SANKEY_HEADERS),
            "部门映射": trends.mapping[list(MAPPING_HEADERS)].rename(columns=MAPPING_HEADERS),
            "缺失年份": trends.missing.rename(columns=MISSING_HEADERS),
            **({"分期": trends.by_period[list(PERIOD_HEADERS)].rename(columns=PERIOD_HEADERS)}
               if trends.by_period is not None else {}),
            "问题": problems}


def _write(output: AlgorithmOutput, path: Path | None, values: ParamValues) -> tuple[dict, list[str]]:
    """OUT.xlsx, and the Sankey PNG when ``--png`` is given."""
    from app.xlsx import write_xlsx

    assert path is not None  # --out is required
    write_xlsx(path, _sheets(output.result))
    summary = {**output.summary, "output": str(path)}
    if values.png:
        from app.charts.sankey_chart import sankey_png
        from layers.render import ensure_gui_app

        ensure_gui_app()
        sankey_png(values.png, output.result["sankey"])
        summary["png"] = str(values.png)
    return summary, Trends.describe_summary(summary)


class Trends(Algorithm):
    id = "trends"
    cli_alias = "trends"
    title_zh, title_en = "逐年趋势与碳流向图", "Trends over years and the carbon-flow Sankey"
    group_zh, group_en = "碳排放", "Carbon"
    summary_zh = ("能耗表中各年份的综合能耗（tce）与碳排放，按能源品种和六大部门（能源供应、工业、建筑、"
                  "交通、农业、居民生活，由 GB/T 4754 行业代码或名称归类）汇总，"
                  "含单位增加值强度和较基准年变化；缺年份的对象列出而不插补；"
                  "并画出某一年的碳流向桑基图（能源 → 部门 → 二氧化碳 → 净排放与绿电、碳汇、CCS 扣减）。")
    summary_en = ("Energy (tce) and CO2 of every year in the energy table, by fuel and by six sectors "
                  "(energy supply, industry, buildings, transport, agriculture, residential, mapped from "
                  "GB/T 4754 codes or names), with intensity per 10^4 yuan and change against a baseline "
                  "year; entities missing years are listed, never filled in; and the carbon-flow Sankey of "
                  "one year (fuels → sectors → CO2 → net emissions and the green-power, sink and CCS "
                  "deductions). See docs/trends.md.")
    inputs = (
        LayerInput("energy", "能耗表", "Energy table",
                   "多年份的能源消费表（CSV/Excel，宽表或长表，含 年份 列；行业代码 或 行业 用于部门归类）",
                   "energy table of several years (CSV/Excel, wide or long, with a year column; 行业代码 or "
                   "行业 for the sectors)", kind="table", positional=True, required=False,
                   sheet_flag="--sheet", metavar="ENERGY_TABLE"),
    )
    params = (
        Param("sample", "bool", False, "示例园区", "Sample park", help_zh="用内置示例园区的能耗表",
              help_en="use the embedded sample park's energy table", source="off: your own table"),
        Param("year", "int", None, "桑基图年份", "Sankey year", minimum=YEAR_MIN, maximum=YEAR_MAX,
              optional=True, metavar="Y", help_zh="碳流向图的年份", help_en="year of the Sankey",
              auto_zh="表中最近一年", auto_en="the latest in the table"),
        Param("baseline", "int", None, "基准年", "Baseline year", minimum=YEAR_MIN, maximum=YEAR_MAX,
              optional=True, metavar="Y", help_zh="计算变化率的基准年",
              help_en="year changes are measured against",
              auto_zh="表中最早一年", auto_en="the first in the table"),
        Param("sectors", "file", None, "部门映射表", "Sector mapping", optional=True, metavar="FILE",
              filters=TABLE_FILTERS,
              help_zh="补充或改写部门归类的 CSV/Excel：kind（division/section/name）、"
                      "key（大类代码、门类字母或名称关键词）、sector（energy_supply/industry/buildings/transport/agriculture/residential）",
              help_en="CSV/Excel of sector rules put before the built-in ones: kind (division/section/name), "
                      "key (division code, section letter or name keyword), sector (energy_supply/industry/"
                      "buildings/transport/agriculture/residential)",
              auto_zh="内置（resources/factors/sectors.csv）",
              auto_en="built-in (resources/factors/sectors.csv)"),
        Param("onsite_kwh", "float", 0.0, "园区内可再生电量", "On-site renewable electricity", unit="kWh",
              minimum=0.0, maximum=1e12, metavar="KWH",
              help_zh="桑基图年份园区自发自用的可再生电量（能耗表中的电力为外购电，不含它）",
              help_en="on-site renewable electricity used in the Sankey year (the table's electricity is "
                      "purchased and leaves it out)", source="0: none known"),
        Param("sinks_t_co2", "float", 0.0, "表外碳汇", "Sinks not in the table", unit="tCO2", minimum=0.0,
              maximum=1e10, metavar="T", help_zh="能耗表碳汇列之外的碳汇（如园区绿地，lingtan sinks）",
              help_en="sinks beyond the table's sink column (e.g. the park's green space, lingtan sinks)",
              source="0: none known"),
        Param("png", "file", None, "桑基图 PNG", "Sankey PNG", optional=True, metavar="SANKEY.png",
              filters="PNG (*.png)", help_zh="把碳流向图另存为 PNG", help_en="also write the Sankey as a PNG",
              auto_zh="不输出", auto_en="none"),
        FACTORS, GRID_FACTOR, ELECTRICITY_TCE,
    )
    output_file = OutputFile((".xlsx",), "OUT.xlsx", "output Excel workbook (sheets 逐年汇总, 能源品种, "
                             "部门, 桑基图YEAR, 部门映射, 缺失年份, 问题)", _write)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.cmd_carbon import load_factors, sheet_note
        from gis.carbon.emissions import account_emissions
        from gis.carbon.inventory import read_energy_inventory
        from gis.carbon.sankey import carbon_flows
        from gis.carbon.sectors import load_sector_map
        from gis.carbon.trends import compute_trends

        p = params
        table = first(inputs.get("energy"))
        table_df, source = (table.gdf, str(table.path or table.name)) if table is not None else (None, "")
        if p.sample:
            from gis.io.tables import read_data_table
            from gis.park import sample_sources

            path = sample_sources().enterprises_table
            assert path is not None
            table_df, _ = read_data_table(path)
            source = str(path)
        if table_df is None:
            raise InputError("请给出能耗表（ENERGY_TABLE），或 --sample",
                             "Give an energy table (ENERGY_TABLE), or --sample", code="trends.inputs")
        progress.report(0.1, "factors")
        factors = load_factors(p.factors, grid_key=p.grid_factor, electricity_tce=p.electricity_tce)
        sector_map = load_sector_map(p.sectors)
        progress.report(0.2, "reading")
        inventory = read_energy_inventory(table_df, source_name=source, factors=factors)
        if table is not None and not p.sample:
            inventory.problems[:0] = [sheet_note(problem) for problem in table.problems]
        progress.report(0.5, "accounting")
        trends = compute_trends(account_emissions(inventory, factors, year="all"), sector_map,
                                baseline_year=p.baseline)
        progress.check()
        sankey = carbon_flows(trends, p.year, onsite_kwh=p.onsite_kwh, extra_sinks_t_co2=p.sinks_t_co2)
        summary = {**trends.summary(), "source": source, "sankey": sankey.to_dict()}
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, {"trends": trends, "sankey": sankey}, {}, summary, trends.problems)

    @staticmethod
    def describe_summary(s: dict) -> list[str]:
        """The printed lines: years, each year's tce and CO2 with change, the Sankey year."""
        lines = [f"年份 Years: {', '.join(map(str, s.get('years') or []))}; 基准年 baseline "
                 f"{s.get('baseline_year')}"]
        for h in s.get("history") or []:
            change = h.get("t_co2_change_pct")
            lines.append(f"  {h['year']}: {h.get('tce') or 0:,.0f} tce, {h.get('t_co2') or 0:,.0f} tCO2"
                         + (f" ({change:+.1f}%)" if change is not None else ""))
        sk = s.get("sankey") or {}
        if sk:
            lines.append(f"桑基图 Sankey: {sk.get('year')}, {len(sk.get('links') or [])} 条流 flows")
        if s.get("output"):
            lines.append(f"输出 Output: {s['output']}" + (f" + {s['png']}" if s.get("png") else ""))
        return [*lines, *warnings_lines(s)]

    def describe(self, s: dict) -> list[str]:
        return self.describe_summary(s)
