"""A park's carbon account (rooftop PV, emissions, sinks, balance, indicators) and its workbook: what
``lingtan balance`` (app/algorithms/park_balance.py), the demo and the desktop app run and write."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from app.summaries import BalanceLines, BalanceMetrics, BalanceSummary
from gis.carbon.park_carbon import ParkAccount, account_park
from gis.defaults import DEFAULT_INDICATOR_SET
from gis.progress import NO_PROGRESS, Progress

LINE_LABELS = {
    "gross_t_co2": ("排放总量（核算边界内）", "emissions within the boundary, gross", "tCO2/yr"),
    "scope1_t_co2": ("范围一（燃料、工业过程、废弃物）", "scope 1 (fuels, processes, waste)", "tCO2/yr"),
    "scope2_t_co2": ("范围二（外购电力、热力、冷量）", "scope 2 (purchased power, heat, cooling)", "tCO2/yr"),
    "scope3_t_co2": ("范围三（填报类别）", "scope 3 (categories entered)", "tCO2/yr"),
    "t_co2_total": ("碳排放总量（核算边界内，计入可再生能源后）",
                    "total emissions (boundary, after renewables)", "tCO2/yr"),
    "t_co2_net": ("净排放", "net emissions", "tCO2/yr"),
    "green_land_rate_pct": ("绿地率", "green-land rate", "%"),
    "pv_kwh_yr": ("光伏发电量", "PV generation", "kWh/yr"),
    "pv_self_used_kwh_yr": ("光伏自用电量", "PV used in the park", "kWh/yr"),
    "pv_self_used_annual_netting_kwh_yr": ("光伏自用电量（全年净额法，仅供对照）",
                                           "PV used in the park by annual netting (comparison only)",
                                           "kWh/yr"),
    "pv_avoided_self_t_co2": ("光伏自用减排", "avoided by PV used in the park", "tCO2/yr"),
    "pv_exported_avoided_t_co2": ("光伏上网减排", "avoided by exported PV", "tCO2/yr"),
    "green_power_avoided_t_co2": ("外购绿电减排", "avoided by purchased green power", "tCO2/yr"),
    "sinks_t_co2": ("绿地碳汇", "green-space sinks", "tCO2/yr"),
    "energy_after_renewables_t_co2": ("计入可再生能源后的排放", "emissions after renewables", "tCO2/yr"),
    "net_t_co2": ("净排放", "net emissions", "tCO2/yr"),
    "energy_tce": ("综合能源消费量", "total energy use", "tce/yr"),
    "t_co2_per_tce": ("单位能耗碳排放", "carbon per unit of energy", "tCO2/tce"),
    "clean_energy_share_pct": ("清洁能源消费占比", "clean energy share", "%"),
    "green_power_share_pct": ("绿电占用电比例", "green power share of electricity", "%"),
    "non_fossil_share_pct": ("非化石能源占比", "non-fossil share", "%"),
    "renewable_share_pct": ("可再生能源占比", "renewable share", "%"),
    "renewable_power_share_pct": ("可再生电力占比（含绿证）", "renewable power incl. certificates", "%"),
    "electrification_pct": ("电气化率", "electrification", "%"),
    "tce_per_10k_yuan": ("单位增加值能耗", "energy per value added", "tce/10^4 yuan"),
    "t_co2_per_10k_yuan": ("单位增加值碳排放", "CO2 per value added", "tCO2/10^4 yuan"),
    "yuan_per_tce": ("能源产出率", "energy productivity", "yuan/tce"),
    "yuan_per_km2": ("单位土地产出", "value added per land area", "yuan/km²"),
    "green_coverage_pct": ("绿化覆盖率", "green coverage", "%"),
    "pv_self_supply_pct": ("光伏自给率", "PV self-supply", "%"),
    "coal_change_pct": ("煤炭消费较基准年变化", "coal use vs baseline year", "%"),
    "carbon_intensity_change_pct": ("单位增加值碳排放较基准年变化", "CO2 per value added vs baseline", "%"),
}


def factor_set_grid_factor(factors):
    """The grid factor (GridFactor) of an emission-factor set's electricity: PV's avoided
    emissions use the same factor as the park's purchased electricity."""
    from gis.grid_factors import GridFactor

    kg = float(factors.t_co2_per_unit["electricity"]) * 1000.0
    return GridFactor(key=f"factor set {factors.key}", kg_co2_per_kwh=kg,
                      name_zh=f"因子集 {factors.name_zh} 的电力因子",
                      name_en=f"electricity factor of the set {factors.name_en}", year=int(factors.year or 0),
                      source="the emission-factor set used for the park's emissions")


def park_account(park, *, factors_key: str | None = None, weather_path: Path | None = None, pv: bool = True,
                 year=None, baseline_year=None, indicator_set: str | None = None, scenarios=None,
                 facts: dict | None = None, pv_settings=None, progress: Progress = NO_PROGRESS,
                 accounting: dict | None = None):
    """Rooftop PV (unless ``pv`` is False; ``pv_settings``: a PVSettings, default PVSettings()),
    emissions, sinks, balance and indicators of a loaded park (no account without an energy table:
    None). ``accounting``: boundary, scope3, activities, indicator_table for account_park
    (gis.carbon.scope, gis.carbon.user_indicators). Returns (ParkAccount or None,
    RooftopResult or None)."""
    from app.pv import site_rooftop_pv
    from gis.carbon.factors import DEFAULT_FACTOR_SET, load_factor_set
    from gis.solar.rooftop import PVSettings

    factors = load_factor_set(factors_key or DEFAULT_FACTOR_SET)
    pv_result = None
    if pv:
        # one grid factor for the park's electricity and PV's avoided emissions
        pv_result = site_rooftop_pv(park.buildings, pv_settings or PVSettings(), weather_path=weather_path,
                                    grid=factor_set_grid_factor(factors), progress=progress.sub(0.05, 0.7))
    if park.enterprises is None:  # no energy table: PV only; the account needs the park's energy use
        return None, pv_result
    progress.report(0.75, "emissions, sinks, balance")
    hourly = hourly_shapes(park, pv_result, year) if pv_result is not None else None
    account = account_park(park, factors, pv_kwh_yr=pv_result.totals["kwh_yr"] if pv_result else 0.0,
                           year=year, baseline_year=baseline_year,
                           indicator_set=indicator_set or DEFAULT_INDICATOR_SET, scenarios=scenarios,
                           facts=facts, hourly=hourly, **(accounting or {}))
    return account, pv_result


def hourly_shapes(park, pv_result, year=None):
    """(rooftop PV kWh, the park's electricity kWh) per hour of the accounted year: the PV engine's
    hours and the typical profiles of the energy table (gis.energy), so that the balance matches PV
    with use hour by hour; None when either cannot be made (the balance then nets the year)."""
    from gis.energy.generation import rooftop_series
    from gis.energy.park_load import park_load_from_table
    from gis.errors import InputError

    if pv_result.hourly_kwh is None or park.enterprises is None:
        return None
    try:
        _, load = park_load_from_table(park.enterprises, year)
        pv = rooftop_series(pv_result, int(load.index[0].year), load.dt_h)
    except InputError:
        return None
    return pv.kw * pv.dt_h, load.park_kw * load.dt_h


def balance_sheets(account: ParkAccount, pv_result=None) -> dict[str, pd.DataFrame]:
    """The workbook: 平衡 (scenarios side by side), 指标 (indicator checks), 排放 (by fuel),
    碳汇 (sinks by class), 光伏 (rooftop PV figures)."""
    c = account.carbon
    comp = c.comparison.copy()
    labels = pd.DataFrame([LINE_LABELS.get(k, (k, k, "")) for k in comp.index],
                          columns=["项目", "item", "单位 unit"], index=comp.index)
    balance = pd.concat([labels, comp.round(4)], axis=1).reset_index(names="key")
    ind = c.indicators.rename(columns={
        "scenario": "情景 scenario", "name_zh": "指标", "name_en": "indicator", "value": "数值 value",
        "comparator": "要求", "threshold": "阈值 threshold", "unit": "单位 unit", "status_zh": "结果",
        "status": "status", "kind": "类别 kind", "applies_if": "适用条件", "source": "来源",
        "source_en": "source", "note": "note", "note_zh": "说明", "boundary": "核算边界",
        "boundary_en": "boundary"}).drop(columns=["set_key", "metric"])
    fuels = account.emissions.by_fuel_for()
    names = account.emissions.factors.fuels["name_zh"]
    if "fuel_zh" in account.emissions.by_fuel:  # process, waste, cooling and scope 3 lines too
        names = {**names, **dict(zip(account.emissions.by_fuel["fuel"], account.emissions.by_fuel["fuel_zh"],
                                     strict=True))}
    fuels.insert(1, "name_zh", fuels["fuel"].map(names))
    fuels = fuels.rename(columns={
        "fuel": "能源 fuel", "name_zh": "能源品种", "scope": "范围 scope", "amount": "用量 amount",
        "unit": "单位 unit", "tce": "综合能耗 tce", "t_co2": "排放 tCO2"})
    sink_frames = [r.by_class for r in (account.sinks, account.trees) if r is not None]
    sinks = pd.concat(sink_frames, ignore_index=True) if sink_frames else pd.DataFrame()
    sinks = sinks.rename(columns={
        "class": "类别 class", "name_zh": "名称", "name_en": "name", "basis": "计量基础 basis",
        "n": "要素数 n", "area_m2": "面积 m²", "area_ha": "面积 ha", "t_co2_per_ha_yr": "碳汇强度 tCO2/ha/yr",
        "t_co2_yr": "碳汇 tCO2/yr", "source": "来源 source"})
    from app.cmd_carbon import carbon_sheets

    carbon = carbon_sheets(account.emissions)
    problems = [p for r in (account.emissions, account.sinks, account.trees, pv_result) if r is not None
                for p in r.problems]
    problem_sheet = pd.DataFrame([{"级别 level": p.level, "代码 code": p.code, "说明": p.zh, "message": p.en,
                                   "对象 features": ", ".join(map(str, p.feature_ids[:50]))}
                                  for p in problems])
    sheets = {"平衡 balance": balance, "指标 indicators": ind, "排放 emissions": fuels,
              "企业 entities": carbon["企业"], "碳汇 sinks": sinks, "因子 factors": carbon["因子"],
              "问题 problems": problem_sheet}
    if account.green is not None:
        g = account.green
        sheets["绿化 green"] = pd.DataFrame([
            ("园区面积", "park area", g.park_area_m2, "m²"),
            ("绿地面积", "green land", g.green_land_m2, "m²"),
            ("屋顶绿化面积", "roof greening", g.roof_green_m2, "m²"),
            ("其他用地上的树冠", "tree crowns over other land", g.canopy_outside_green_m2, "m²"),
            ("绿化覆盖面积", "green cover", g.coverage_m2, "m²"),
            ("垂直绿化面积（不计入覆盖）", "vertical greening (no cover)", g.vertical_green_m2, "m²"),
            ("绿地率", "green-land rate", g.green_land_rate_pct, "%"),
            ("绿化覆盖率", "green coverage", g.green_coverage_pct, "%")],
            columns=["项目", "item", "数值 value", "单位 unit"])
    if pv_result is not None:
        t = pv_result.summary()
        rows = [("装机容量", "capacity", t["kwp"], "kWp"), ("年发电量", "energy", t["kwh_yr"], "kWh/yr"),
                ("等效利用小时", "specific yield", t["kwh_per_kwp"], "kWh/kWp"),
                ("遮挡损失", "shading loss", t["shade_loss_pct"], "%"),
                ("组件数", "modules", t["modules"], ""), ("气象数据", "weather", t["weather_source"], "")]
        sheets["光伏 PV"] = pd.DataFrame(rows, columns=["项目", "item", "数值 value", "单位 unit"])
    return sheets


def describe_balance(summary: dict | BalanceSummary) -> list[str]:
    """Short bilingual lines: net emissions per scenario and the indicator results, of a balance
    (its JSON dict, ``summary["carbon"]["balance"]``, or typed)."""
    b = summary if isinstance(summary, BalanceSummary) else BalanceSummary.from_dict(summary)
    lines = [f"指标体系 Indicator set: {b.indicator_set_name} ({b.year})"]
    if b.boundary_zh:  # the scopes the CO2 figures and indicators count (gis.carbon.scope)
        lines.append(f"核算边界 Boundary: {b.boundary_zh} / {b.boundary_en}")
    for sc in b.scenarios or []:
        m, ln = sc.metrics or BalanceMetrics(), sc.lines or BalanceLines()
        lines.append(f"{sc.scenario}: 净排放 net {ln.net_t_co2:,.0f} tCO2/yr; 单位能耗碳排放 "
                     f"{m.t_co2_per_tce or 0:.3f} tCO2/tce; 清洁能源 clean energy "
                     f"{m.clean_energy_share_pct or 0:.1f}%")
    ind = b.indicators or []
    for sc_name in dict.fromkeys(i.scenario for i in ind):
        counts = Counter(i.status for i in ind if i.scenario == sc_name)
        lines.append(f"  {sc_name}: 达标 pass {counts['pass']}, 未达标 fail {counts['fail']}, "
                     f"缺数据 no data {counts['no data']}, "
                     f"不适用 n/a {counts['not applicable']}")
    return lines
