"""The report's chapter on the hourly energy balance (逐时能源平衡（源网荷储）): the KPIs beside
the annual netting they replace, a typical summer and winter week, the month × hour heatmap of the
net load, the duration curves, the bill and the economics with the tariff's source, and the sizing
trade-off when the run has one. Left out when the project has no energy run.

Everything is read from the saved run (:class:`app.summaries.EnergySummary`); the figures from its
compact chart data (``charts``, :func:`app.charts.energy_data.compact`), so a reopened project
reports them without the hourly table.
"""

from __future__ import annotations

from app.charts import energy_charts as ec
from app.charts import energy_data as ed
from app.charts.energy_tables import economics_rows, kpi_rows, netting_note, number
from app.report.document import Column, ReportDocument
from app.report.pages import ReportData
from app.summaries import EnergySummary

CHAPTER_ZH, CHAPTER_EN = "逐时能源平衡（源网荷储）", "Hour by hour: sources, grid, load and storage"
DISPATCH = {
    "self": ("自发自用（规则调度：余电充、缺电放）",
             "self-consumption (rule: charge from surplus, discharge on deficit)"),
    "cost": ("成本最优（分时电价下的线性规划，HiGHS 求解）",
             "cost-optimal (linear programme under the time-of-use tariff, solved with HiGHS)"),
}


def energy(doc: ReportDocument, data: ReportData) -> None:
    """逐时能源平衡（源网荷储） / Hour by hour: sources, grid, load and storage."""
    e = data.summary.energy
    if e is None or not e:
        return
    lang = data.lang
    s = e.to_dict()
    doc.heading(doc.t(CHAPTER_ZH, CHAPTER_EN), new_page=True)
    doc.paragraph(_intro(doc, e))
    _kpis(doc, s, lang)
    charts = e.charts or {}
    _weeks(doc, charts, e, lang)
    heat = ed.heatmap_of(charts, "net_kw")
    if heat is not None:
        doc.figure(78, lambda p, r: ec.heatmap_chart(p, r, heat, lang),
                   caption=doc.t("净负荷（负荷 − 园区内发电）的月 × 时均值："
                                 "蓝色为园区内发电有余，红色为需从电网购电",
                                 "Net load (load − on-site generation), mean by month and hour of day: "
                                 "blue = on-site surplus, red = bought from the grid"))
    dur = ed.durations_of(charts)
    if dur is not None:
        hours, curves = dur
        total = float(charts.get("total_h") or hours[-1])
        doc.figure(68, lambda p, r: ec.duration_curve_chart(p, r, hours, curves, lang, total_h=total),
                   caption=doc.t("负荷与净负荷的持续曲线（净负荷为负的时数即园区内发电有余的时数）",
                                 "Duration curves of load and net load (hours below zero: on-site surplus)"))
    _money(doc, e, lang)
    _sizing(doc, e, lang)
    notes = [p for p in (e.problems or []) if p.get("level") != "info"]
    if notes:
        doc.heading(doc.t("提示", "Notes"), level=2)
        doc.bullets([str(p.get("zh" if lang == "zh" else "en", "")) for p in notes])


def _intro(doc: ReportDocument, e: EnergySummary) -> str:
    gen = e.generation_kwh or {}
    names = "、".join if doc.lang == "zh" else ", ".join
    parts = names([f"{ec.source_label(k, doc.lang)} {number(v / 1000, 1)} MWh" for k, v in gen.items()])
    step = e.step_min or 60
    dispatch = DISPATCH.get(str(e.dispatch), (str(e.dispatch), str(e.dispatch)))
    b = e.battery or {}
    size = f"{number(b.get('power_kw'))} kW / {number(b.get('energy_kwh'))} kWh"
    battery_zh = f"储能 {size}，调度方式为{dispatch[0]}" if b else "无储能"
    battery_en = f"a {size} battery dispatched by {dispatch[1]}" if b else "no battery"
    return doc.t(
        f"以 {step} 分钟为步长，对 {e.year} 年全年逐时段平衡园区负荷与园区内电源"
        f"（{parts or '无'}），{battery_zh}。"
        "自给率 = 园区内消纳的发电量 ÷ 用电量；自发自用率 = 园区内消纳的发电量 ÷ 园区内发电量。"
        "年度净额法只比较全年总量，不看发电与用电是否同时发生，其结果仅列作对比。",
        f"The park's load is balanced against its on-site sources ({parts or 'none'}) in {step}-minute steps "
        f"over {e.year}, with {battery_en}. Self-sufficiency = on-site energy used on site ÷ consumption; "
        "self-consumption = on-site energy used on site ÷ on-site generation. Annual netting compares only "
        "the year's totals, ignoring whether energy is made when it is used; it is shown for comparison.")


def _kpis(doc: ReportDocument, s: dict, lang: str) -> None:
    rows = kpi_rows(s, lang)
    if not rows:
        return
    doc.table([Column(doc.t("指标", "Indicator"), 2.3),
               Column(doc.t("逐时平衡", "Hour by hour"), 1.3, "right"),
               Column(doc.t("年度净额法（仅供对比）", "Annual netting (comparison)"), 1.5, "right"),
               Column(doc.t("单位", "Unit"), 0.8)],
              [list(r) for r in rows],
              caption=doc.t("逐时能源平衡的主要指标", "Key figures of the hourly balance"))
    doc.note(doc.t("“年度净额法”列：", "Annual-netting column: ") + netting_note(s, lang))


def _weeks(doc: ReportDocument, charts: dict, e: EnergySummary, lang: str) -> None:
    soc_max = float((e.battery or {}).get("energy_kwh") or 0.0) or None
    for name, zh, en in (("summer", "典型夏季周", "Typical summer week"),
                         ("winter", "典型冬季周", "Typical winter week")):
        week = ed.week_of(charts, name)
        if week is None or len(week) == 0:
            continue
        start = str(week.time[0])[:10]
        doc.figure(72, lambda p, r, w=week: ec.balance_chart(p, r, w, lang, soc_max_kwh=soc_max),
                   caption=doc.t(f"{zh}（自 {start} 起）：园区内电源、储能放电和下网在零线以上，"
                                 "储能充电、上网和弃电在零线以下，黑线为负荷",
                                 f"{en} (from {start}): on-site sources, battery discharge and grid import "
                                 "above zero; battery charge, export and curtailment below; "
                                 "the black line is the load"))


def _money(doc: ReportDocument, e: EnergySummary, lang: str) -> None:
    econ = dict(e.economics or {})
    if e.bill_before_yuan is not None:
        econ.setdefault("bill_before_yuan", e.bill_before_yuan)
    if e.bill_yuan is not None:
        econ.setdefault("bill_after_yuan", e.bill_yuan)
    rows = economics_rows(econ, lang)
    tariff = e.tariff or {}
    if not rows and not tariff:
        return
    doc.heading(doc.t("电费与经济性", "Electricity bill and economics"), level=2)
    if rows:
        doc.table([Column(doc.t("项目", "Item"), 2.4), Column(doc.t("数值", "Value"), 1.4, "right"),
                   Column(doc.t("单位", "Unit"), 0.9)], [list(r) for r in rows],
                  caption=doc.t("电费与经济性", "Bill and economics"))
    if tariff:
        name = tariff.get("name_zh" if lang == "zh" else "name_en") or tariff.get("key", "")
        doc.note(doc.t(f"电价：{name}。来源：{tariff.get('source', '–')}",
                       f"Tariff: {name}. Source: {tariff.get('source', '–')}"))


def _sizing(doc: ReportDocument, e: EnergySummary, lang: str) -> None:
    curve = (e.sizing or {}).get("curve") or []
    if not curve:
        return
    doc.heading(doc.t("容量优化：成本与自给率", "Sizing: cost against self-sufficiency"), level=2)
    doc.figure(68, lambda p, r: ec.sizing_chart(p, r, curve, lang),
               caption=doc.t("各自给率目标下年成本最低的光伏、风电与储能配置",
                             "Least annual cost of PV, wind and battery for each self-sufficiency target"))
    rows = [[number(p.get("self_sufficiency_pct"), 1), number((p.get("annual_cost_yuan") or 0) / 1e4, 1),
             number(p.get("pv_kwp")), number(p.get("wind_kw")), number(p.get("battery_kw")),
             number(p.get("battery_kwh"))] for p in curve]
    doc.table([Column(doc.t("自给率 %", "Self-sufficiency %"), 1.0, "right"),
               Column(doc.t("年成本 万元", "Annual cost 10⁴ yuan"), 1.1, "right"),
               Column(doc.t("光伏 kWp", "PV kWp"), 0.9, "right"),
               Column(doc.t("风电 kW", "Wind kW"), 0.9, "right"),
               Column(doc.t("储能 kW", "Battery kW"), 0.9, "right"),
               Column(doc.t("储能 kWh", "Battery kWh"), 0.9, "right")], rows,
              caption=doc.t("容量优化曲线上的方案", "Options on the sizing curve"))
