"""The park hour by hour (``lingtan energy``): load, on-site PV and wind, battery dispatch, the KPIs
that annual netting hides, the bill under a time-of-use tariff and the economics (源网荷储).
Methods and sources: docs/energy.md."""

from __future__ import annotations

import math
from pathlib import Path

from app.algorithms.common import WEATHER
from app.algorithms.park_balance import ParkBalance
from app.processing.algorithm import Algorithm, AlgorithmOutput, Inputs, LayerInput, OutputFile, first
from app.processing.params import Param, ParamValues
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

SERIES_FILTERS = "Series (*.csv *.xlsx);;All files (*)"


def tariff_choices() -> list[tuple[str, str, str]]:
    from gis.energy.tariffs import tariff_keys

    return [tuple(t) for t in tariff_keys()]


def _series_param(name: str, zh: str, en: str, help_zh: str, help_en: str) -> Param:
    return Param(name, "file", None, zh, en, optional=True, metavar="F", filters=SERIES_FILTERS,
                 help_zh=help_zh + "：CSV，列 time,kw（kW 为该时段起的平均功率，当地时间）",
                 help_en=help_en + ": CSV with columns time,kw (mean kW over the interval starting at time, "
                 "local time)", auto_zh="由园区算出", auto_en="computed for the park",
                 source="docs/energy.md (series format)")


def _write(output: AlgorithmOutput, path: Path | None, values: ParamValues) -> tuple[dict, list[str]]:
    from app.energy_outputs import describe_energy, write_energy_outputs

    assert path is not None
    written = write_energy_outputs(output.result, path, output.summary)
    printed = {k: v for k, v in output.summary.items() if k != "charts"}  # the chart data stay in OUT.json
    return printed, [*describe_energy(output.summary), *(f"输出 Output: {p}" for p in written)]


def chart_data(result) -> dict:
    """The compact chart data a project and the report keep (app.charts.energy_data.compact)."""
    from app.charts.energy_data import EnergySeries, compact

    return compact(EnergySeries.from_frame(result.hourly_frame()))


class Energy(Algorithm):
    id = "energy"
    cli_alias = "energy"
    title_zh = "逐时能源平衡、储能与电价（源网荷储）"
    title_en = "Hour by hour: load, PV, wind, storage, tariff"
    group_zh, group_en = "能源", "Energy"
    summary_zh = ("按时段（1 小时、30 或 15 分钟）对园区负荷与屋顶光伏、风电、其他电源逐时平衡，"
                  "储能按自发自用规则或分时电价下的成本最优（线性规划）调度，给出自给率、自发自用率、"
                  "上下网电量与峰值、电费与经济性；年度净额法的结果并列对照。")
    summary_en = ("Balances the park's load against rooftop PV, wind and other sources interval by interval "
                  "(1 h, 30 or 15 min), dispatches a battery by the self-consumption rule or at least cost "
                  "under a time-of-use tariff (linear programme), and reports self-sufficiency, "
                  "self-consumption, grid import/export and peaks, the bill and the economics, with the "
                  "annual "
                  "netting beside them for comparison.")
    inputs = (
        LayerInput("project", "项目文件", "Project file", "园区项目（负荷取自能耗表，光伏由屋顶计算）",
                   "the park's project (load from its energy table, PV from its roofs)", kind="file",
                   positional=True, required=False, metavar="PROJECT",
                   filters="Project (*.json *.lingtan.gpkg);;All files (*)"),
        LayerInput("boundary", "园区红线", "Park boundary", "无项目文件时",
                   "park boundary layer (if no project)",
                   geometry=("polygon",), required=False, role="boundary", shared_crs=True),
        LayerInput("buildings", "建筑", "Buildings", "建筑轮廓（屋顶光伏）",
                   "building footprints (rooftop PV)",
                   geometry=("polygon",), required=False, role="buildings", shared_crs=True),
        LayerInput("energy", "企业能耗表", "Enterprise energy table",
                   "代替项目文件中的能耗表；只给能耗表时只算负荷",
                   "replaces the project's energy table; given alone, the load only", required=False,
                   kind="table"),
        LayerInput("turbines", "风机", "Wind turbines", "“选址”计算过的风机（含 aep_mwh 等字段）",
                   "turbines evaluated in Siting (with aep_mwh and the other fields)", geometry=("point",),
                   required=False),
    )
    params = (
        Param("sample", "bool", False, "示例园区", "Sample park", help_zh="用内置示例园区",
              help_en="use the embedded sample park", source="off: your own park"),
        Param("load", "file", None, "负荷（电表数据）", "Load (meter data)", optional=True, metavar="F",
              filters=SERIES_FILTERS, help_zh="电表数据：CSV/Excel，15/30/60 分钟，kW 或 kWh，一块或多块表",
              help_en="interval meter data: CSV/Excel, 15/30/60 min, kW or kWh, one or many meters",
              auto_zh="按能耗表年用电量与典型负荷曲线", auto_en="typical profiles scaled to the energy table",
              source="docs/energy.md (Load)"),
        Param("bills", "file", None, "月度电费账单", "Monthly bills", optional=True, metavar="F",
              filters=SERIES_FILTERS,
              help_zh="每家企业 12 个月的用电量（企业代码 + 12 个月份列），典型曲线逐月校准到账单",
              help_en="12 monthly kWh per enterprise (an id column + 12 month columns): the typical profiles "
                      "are "
              "calibrated month by month to them", auto_zh="按能耗表年用电量", auto_en="the energy table's "
              "annual electricity", source="docs/energy.md (Load)"),
        Param("profile_shapes", "file", None, "负荷日曲线修改", "Edited load shapes", optional=True,
              flag="--profile-shapes", metavar="F", filters="CSV (*.csv);;All files (*)",
              help_zh="用户修改的典型日曲线：CSV，列 target（负荷类型或企业代码）、day（工作日/周末/节假日）"
                      "与 24 个逐时相对值（“编辑负荷曲线…”保存的文件）",
              help_en="edited typical daily shapes: CSV with columns target (a load kind or an enterprise "
                      "id), day (workday/weekend/holiday) and 24 hourly relative values (as saved by "
                      "Edit load profiles…)",
              auto_zh="内置典型曲线", auto_en="the shipped typical profiles",
              source="docs/energy.md (Editing a daily shape)"),
        _series_param("pv", "光伏出力", "PV output", "代替屋顶光伏计算的光伏出力",
                      "PV output replacing the rooftop "
                      "PV engine's"),
        _series_param("wind", "风电出力", "Wind output", "风电出力", "wind farm output"),
        _series_param("other", "其他电源", "Other source", "其他电源（如热电联产、绿电合同曲线）",
                      "another source (e.g. CHP, a green-power contract shape)"),
        Param("pv_kwp", "float", None, "光伏序列的装机容量", "Installed kWp of the PV series", unit="kWp",
              minimum=0.0, maximum=1e8, optional=True, flag="--pv-kwp", metavar="KWP",
              help_zh="--pv 序列对应的装机容量（用于经济性与容量优化）",
              help_en="the installed size the --pv series is for (economics and sizing)", auto_zh="未知",
              auto_en="unknown", source="the user's PV system"),
        Param("wind_kw", "float", None, "风电序列的装机容量", "Installed kW of the wind series", unit="kW",
              minimum=0.0, maximum=1e8, optional=True, flag="--wind-kw", metavar="KW",
              help_zh="--wind 序列对应的装机容量（用于经济性与容量优化）",
              help_en="the installed size the --wind series is for (economics and sizing)", auto_zh="未知",
              auto_en="unknown", source="the user's wind farm"),
        Param("rooftop", "bool", True, "计入屋顶光伏", "Rooftop PV", cli_negate="--no-rooftop",
              help_zh="未给 --pv 时按园区屋顶光伏潜力逐时计算", help_en="without --pv, the park's rooftop PV "
              "potential hour by hour", source="on: the park's main on-site source (docs/pv.md)"),
        Param("year", "int", None, "分析年份", "Year", minimum=2000, maximum=2100, optional=True, metavar="Y",
              help_zh="逐时分析的日历年（节假日、星期）",
              help_en="calendar year of the analysis (holidays, weekdays)",
              auto_zh="电表数据的年份，或能耗表中最近一年",
              auto_en="the meter data's year, or the latest in the energy table",
              source="chinese-calendar 1.11 covers the State Council holiday notices to 2026"),
        Param("step_min", "choice", 60, "时间步长", "Time step", unit="min",
              choices=[(60, "60 分钟", "60 min"), (30, "30 分钟", "30 min"), (15, "15 分钟", "15 min")],
              help_zh="典型负荷曲线的时间步长（有电表数据时用电表的）",
              help_en="step of typical profiles (the meter's "
              "when meter data are given)", source="hourly: the weather files' step", metavar="MIN"),
        Param("battery", "floats", None, "储能（kW,kWh[,效率%]）", "Battery (kW,kWh[,RTE %])", optional=True,
              metavar="KW,KWH[,RTE_PCT]", minimum=0.0, maximum=1e7,
              help_zh="储能功率、容量与可选的往返效率",
              help_en="battery power, energy and optional round-trip "
              "efficiency", auto_zh="无储能", auto_en="no battery", source="docs/energy.md (Battery)"),
        Param("thermal", "floats", None, "蓄冷（kW,kWh）", "Thermal store (kW,kWh)", optional=True,
              metavar="KW,KWH", minimum=0.0, maximum=1e7,
              help_zh="蓄冷水池：冷机电功率与所存冷量对应的电量（需 --cooling）",
              help_en="cold-water storage: chiller electric power and the electric kWh its cold stands for "
              "(needs --cooling)", auto_zh="无蓄冷", auto_en="no thermal store",
              source="docs/energy.md (Storage); defaults of the store from REopt.jl ColdThermalStorage"),
        Param("cooling", "file", None, "冷机用电", "Chiller electricity", optional=True, metavar="F",
              filters=SERIES_FILTERS, help_zh="冷机用电序列（CSV time,kw），是负荷的一部分，蓄冷可转移它",
              help_en="the chillers' electricity (CSV time,kw), part of the load, which the thermal store "
              "shifts", auto_zh="无", auto_en="none", source="the park's metering or HVAC design"),
        Param("soc_min_pct", "float", None, "最低荷电状态", "Minimum SOC", unit="%", minimum=0.0,
              maximum=100.0,
              optional=True, flag="--soc-min", metavar="PCT", auto_zh="储能默认值",
              auto_en="the battery default",
              source="gis.energy.storage.Battery"),
        Param("soc_max_pct", "float", None, "最高荷电状态", "Maximum SOC", unit="%", minimum=0.0,
              maximum=100.0,
              optional=True, flag="--soc-max", metavar="PCT", auto_zh="储能默认值",
              auto_en="the battery default",
              source="gis.energy.storage.Battery"),
        Param("soc_start_pct", "float", None, "初始荷电状态", "Starting SOC", unit="%", minimum=0.0,
              maximum=100.0, optional=True, flag="--soc-start", metavar="PCT", auto_zh="储能默认值",
              auto_en="the battery default", source="gis.energy.storage.Battery"),
        Param("dispatch", "choice", "self", "调度方式", "Dispatch",
              choices=[("self", "自发自用（规则）", "self-consumption (rule)"),
                       ("cost", "成本最优（线性规划）", "cost-optimal (linear programme)")],
              help_zh="self：余电充、缺电放；cost：分时电价下全年电费最低（HiGHS）",
              help_en="self: charge from surplus, discharge on deficit; cost: least bill under the tariff "
                      "(HiGHS)",
              source="docs/energy.md (Dispatch)"),
        Param("tariff", "choice", None, "分时电价", "Time-of-use tariff", choices=tariff_choices,
              or_kind="file",
              optional=True, metavar="PROVINCE|FILE", help_zh="省级工商业分时电价，或同格式的 CSV 文件",
              help_en="a province's industrial/commercial TOU tariff, or a CSV in the same format",
              auto_zh="不计电费", auto_en="no bill",
              source="resources/tariffs (sources and dates in each row)"),
        Param("export_limit_kw", "float", None, "上网功率上限", "Export limit", unit="kW", minimum=0.0,
              maximum=1e7, optional=True, flag="--export-limit", metavar="KW", auto_zh="不限",
              auto_en="unlimited", source="none by default: set the grid connection's limit", advanced=True),
        Param("grid_charging", "bool", False, "允许电网充电", "Grid charging", advanced=True,
              help_zh="成本最优调度时允许从电网充电（峰谷套利）",
              help_en="let the cost-optimal dispatch charge from "
              "the grid (peak–valley arbitrage)", source="off: on-site energy only"),
        Param("green_purchase_kwh", "float", 0.0, "外购绿电/绿证", "Purchased green power", unit="kWh",
              minimum=0.0, maximum=1e12, flag="--green-purchase", metavar="KWH",
              help_zh="计入绿电占比的外购绿电或绿证电量",
              help_en="green power bought or certificates, counted in the "
              "green-power share", source="none by default"),
        Param("size", "bool", False, "容量优化", "Optimise sizes", flag="--size",
              help_zh="在屋顶/场址潜力内优化光伏、风电与储能容量（全年成本最低，HiGHS），并给出成本—自给率权"
                      "衡曲线",
              help_en="optimise PV, wind and battery sizes within the roof/site potential for least annual "
                      "cost "
              "(HiGHS), with the cost–self-sufficiency trade-off curve",
              source="off: evaluate the sizes given"),
        Param("target_pct", "float", None, "目标自给率", "Target self-sufficiency", unit="%", minimum=0.0,
              maximum=100.0, optional=True, flag="--target", metavar="PCT", auto_zh="成本最低",
              auto_en="least cost", help_zh="容量优化时要达到的自给率（成本最低地达到）",
              help_en="with --size: the self-sufficiency to reach at least cost", source="none: least cost"),
        Param("curve_points", "int", 10, "权衡曲线点数", "Trade-off curve points", minimum=0, maximum=30,
              flag="--curve-points", metavar="N", help_zh="容量优化时成本—自给率曲线的点数（0：不画）",
              help_en="with --size: points of the cost–self-sufficiency curve (0: none)",
              source="issue 18: at least 10 points", advanced=True),
        Param("pv_max_kwp", "float", None, "光伏容量上限", "PV size limit", unit="kWp", minimum=0.0,
              maximum=1e8, optional=True, flag="--pv-max", metavar="KWP", auto_zh="屋顶与阵列的可装容量",
              auto_en="the roof and array potential", source="the PV engines' layout", advanced=True),
        Param("wind_max_kw", "float", None, "风电容量上限", "Wind size limit", unit="kW", minimum=0.0,
              maximum=1e8, optional=True, flag="--wind-max", metavar="KW", auto_zh="已布置风机的容量",
              auto_en="the sited turbines' capacity", source="Siting", advanced=True),
        Param("battery_max_kwh", "float", None, "储能容量上限", "Battery size limit", unit="kWh", minimum=0.0,
              maximum=1e8, optional=True, flag="--battery-max", metavar="KWH", auto_zh="不限",
              auto_en="unlimited",
              source="none by default", advanced=True),
        Param("time_limit_s", "float", 60.0, "求解时限", "Solver time limit", unit="s", minimum=1.0,
              maximum=3600.0, flag="--time-limit", metavar="S",
              help_zh="每次线性规划求解的时限；超时给出已找到的最优可行解",
              help_en="limit per LP solve; when reached the best feasible answer found is returned",
              source="REopt's default is 600 s; a park year solves in seconds (docs/benchmarks.md)",
              advanced=True),
        WEATHER,
    )
    output_file = OutputFile((".xlsx",), "OUT.xlsx",
                             "workbook (概要, 逐时, 月度, 企业负荷, 经济, 来源); OUT.json and "
                             "OUT_hourly.csv beside it",
                             _write)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.energy_inputs import build_system_inputs
        from gis.energy.system import simulate

        system_inputs, problems, sources = build_system_inputs(self, params, inputs, progress.sub(0.0, 0.6))
        system_inputs.time_limit_s = params.time_limit_s
        result = simulate(system_inputs, progress.sub(0.6, 0.7 if params.size else 1.0))
        result.problems[:0] = problems
        summary = {**result.summary(), "sources": sources, "charts": chart_data(result)}
        if params.size:
            from gis.energy.park_sizing import size_park

            summary["sizing"] = size_park(
                system_inputs, pv_max_kwp=params.pv_max_kwp, wind_max_kw=params.wind_max_kw,
                battery_max_kwh=params.battery_max_kwh if params.battery_max_kwh is not None else math.inf,
                target_self_sufficiency_pct=params.target_pct, curve_points=params.curve_points,
                time_limit_s=params.time_limit_s, progress=progress.sub(0.7, 1.0))
        return AlgorithmOutput(self.id, result, {}, summary, result.problems)

    @staticmethod
    def park(params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS):
        """The park (sample, project, the boundary and buildings given, an energy table alone, or
        None when only series are given) and the project's options."""
        import types

        has_layers = first(inputs.get("boundary")) is not None and first(inputs.get("buildings")) is not None
        if params.sample or first(inputs.get("project")) is not None or has_layers:
            return ParkBalance.park(params, inputs, progress)  # reads params.sample only
        energy = first(inputs.get("energy"))
        if energy is not None:  # the load of the table's enterprises, no roofs
            return types.SimpleNamespace(enterprises=energy.gdf, buildings=None), {}
        return None, {}

    def battery(self, p: ParamValues):
        """The Battery of --battery and the SOC parameters, or None."""
        import dataclasses

        from gis.energy.storage import Battery

        if not p.battery:
            return None
        vals = list(p.battery)
        if len(vals) not in (2, 3):
            raise InputError("--battery 应写成 功率kW,容量kWh[,往返效率%]，如 250,1000 或 250,1000,88",
                             "--battery is KW,KWH[,RTE_PCT], e.g. 250,1000 or 250,1000,88",
                             code="energy.battery")
        kw, kwh = float(vals[0]), float(vals[1])
        if kw <= 0 or kwh <= 0:
            raise InputError("储能功率和容量应大于 0", "battery power and energy must be above 0",
                             code="energy.battery")
        b = Battery(power_kw=kw, energy_kwh=kwh)
        changes = {k: v for k, v in (("round_trip_pct", vals[2] if len(vals) == 3 else None),
                                     ("soc_min_pct", p.soc_min_pct), ("soc_max_pct", p.soc_max_pct),
                                     ("soc_start_pct", p.soc_start_pct)) if v is not None}
        b = dataclasses.replace(b, **changes)
        if not 0 < b.round_trip_pct <= 100:
            raise InputError(f"往返效率应在 0–100%：{b.round_trip_pct}",
                             f"round-trip efficiency must be within "
                             f"0–100 %: {b.round_trip_pct}", code="energy.battery")
        if not b.soc_min_pct < b.soc_max_pct or not b.soc_min_pct <= b.soc_start_pct <= b.soc_max_pct:
            raise InputError("荷电状态应满足 最低 < 最高，且 最低 ≤ 初始 ≤ 最高",
                             "SOC limits must satisfy min < max and min ≤ start ≤ max", code="energy.soc")
        return b

    def describe(self, s: dict) -> list[str]:
        from app.energy_outputs import describe_energy

        return describe_energy(s)
