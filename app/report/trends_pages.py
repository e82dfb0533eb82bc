"""The report's chapter on the years (逐年趋势与碳流向, issue #19): each year's energy (tce) and CO2
with the change against the baseline year, the stacked trends by fuel and by sector, the carbon-flow
Sankey of the latest year with its totals and flows, the sector mapping and the entities missing
years. Left out when the summary has no ``trends`` section (:mod:`app.park_trends`).

Everything is read from the saved section (a reopened project reports it without the table).
"""

from __future__ import annotations

import pandas as pd

from app.charts.energy_tables import number
from app.charts.sankey_chart import sankey_chart
from app.charts.trend_chart import trend_chart
from app.park_trends import sankey_of, sankey_totals, sankey_years
from app.report.document import Column, ReportDocument
from app.report.pages import ReportData

CHAPTER_ZH, CHAPTER_EN = "逐年趋势与碳流向", "Trends over the years and carbon flows"


def trends(doc: ReportDocument, data: ReportData) -> None:
    """逐年趋势与碳流向 / Trends over the years and carbon flows."""
    section = data.summary.trends or data.summary.extra.get("trends")
    if not section or not section.get("years"):
        return
    lang = data.lang
    years = [int(y) for y in section["years"]]
    base = section.get("baseline_year")
    doc.heading(doc.t(CHAPTER_ZH, CHAPTER_EN), new_page=True)
    doc.paragraph(doc.t(
        f"能耗表含 {len(years)} 个年份（{years[0]}–{years[-1]}），以 {base} 年为基准年。"
        "各年份只汇总该年有数据的对象，缺年份的对象列于本章末，不作插补。"
        "部门按 GB/T 4754 行业代码或名称归入六大部门"
        "（能源供应、工业、建筑、交通、农业、居民生活）。",
        f"The energy table holds {len(years)} years ({years[0]}–{years[-1]}); {base} is the baseline year. "
        "Each year sums only the entities reported for it; entities missing years are listed at the end of "
        "this chapter and never filled in. Sectors are mapped from GB/T 4754 codes or industry names to six "
        "(energy supply, industry, buildings, transport, agriculture, residential)."))
    _history(doc, section)
    doc.figure(70, lambda p, r: trend_chart(p, r, section, lang, by="fuel", quantity="tce"),
               caption=doc.t("逐年综合能耗（按能源品种，吨标准煤）；框出的为基准年，虚线为基准年水平",
                             "Energy use by fuel over the years (tce); the outlined bar is the baseline "
                             "year, the dashed line its level"))
    doc.figure(70, lambda p, r: trend_chart(p, r, section, lang, by="sector", quantity="t_co2"),
               caption=doc.t("逐年碳排放（按部门，吨CO₂）", "CO₂ emissions by sector over the years (t)"))
    em = data.summary.carbon.emissions if data.summary.carbon else None
    _sankey(doc, section, lang, ((em.total if em else None) or {}).get("year"))
    _mapping(doc, section)
    _missing(doc, section)


def _history(doc: ReportDocument, section: dict) -> None:
    history = section.get("history") or []
    # per mu only when the table gives land areas (a column of dashes says nothing)
    per_mu = any(h.get("t_co2_per_mu") is not None for h in history)
    rows = [[str(h["year"]), number(h.get("entities")), number(h.get("tce")),
             number(h.get("tce_change_pct"), 1), number(h.get("t_co2")), number(h.get("t_co2_change_pct"), 1),
             number(h.get("t_co2_per_10k_yuan"), 3), *([number(h.get("t_co2_per_mu"), 2)] if per_mu else [])]
            for h in history]
    doc.table([Column(doc.t("年份", "Year"), 0.7), Column(doc.t("对象数", "Entities"), 0.7, "right"),
               Column(doc.t("综合能耗 tce", "Energy tce"), 1.2, "right"),
               Column(doc.t("较基准年 %", "vs baseline %"), 0.9, "right"),
               Column(doc.t("排放 tCO₂", "Emissions tCO₂"), 1.2, "right"),
               Column(doc.t("较基准年 %", "vs baseline %"), 0.9, "right"),
               Column(doc.t("tCO₂/万元", "tCO₂/10⁴ yuan"), 1.0, "right"),
               *([Column(doc.t("tCO₂/亩", "tCO₂/mu"), 0.9, "right")] if per_mu else [])], rows,
              caption=doc.t("逐年综合能耗、碳排放与强度", "Energy, emissions and intensity by year"))


def _sankey(doc: ReportDocument, section: dict, lang: str, year: int | None = None) -> None:
    """The Sankey of the accounting ``year`` when the section holds it (``lingtan report --year``),
    else of the latest year."""
    data = sankey_of(section, year if year in sankey_years(section) else None)
    if data is None or data.links.empty:
        return
    tot = sankey_totals(data)
    doc.heading(doc.t(f"{data.year} 年碳流向图", f"Carbon flows in {data.year}"), level=2)
    doc.paragraph(doc.t(
        f"{data.year} 年能源投入合计 {number(tot['energy_tce'])} 吨标准煤，能源活动排放 "
        f"{number(tot['gross_t_co2'])} 吨CO₂，扣减（零碳电力、碳汇、CCS）{number(tot['deductions_t_co2'])} "
        f"吨CO₂，净排放 {number(tot['net_t_co2'])} 吨CO₂。",
        f"In {data.year} the energy used totals {number(tot['energy_tce'])} tce; energy use emits "
        f"{number(tot['gross_t_co2'])} tCO₂, deductions (zero-carbon electricity, sinks, CCS) take "
        f"{number(tot['deductions_t_co2'])} tCO₂, net emissions are {number(tot['net_t_co2'])} tCO₂."))
    doc.figure(95, lambda p, r: sankey_chart(p, r, data, lang),
               caption=doc.t("碳流向图：能源品种 → 部门（吨标准煤）→ 能源活动 CO₂ → 净排放与扣减（吨CO₂）",
                             "Carbon flows: fuels → sectors (tce) → CO₂ of energy use → net and "
                             "deductions (t)"))
    table = data.table(lang)
    unit = {"tce": doc.t("吨标准煤", "tce"), "t_co2": doc.t("吨CO₂", "tCO₂")}
    rows = [[str(r.source_name), str(r.target_name), number(r.value), unit.get(r.unit, r.unit),
             number(r.share_of_source_pct, 1)] for r in table.itertuples(index=False)]
    doc.table([Column(doc.t("起点", "From"), 1.3), Column(doc.t("终点", "To"), 1.3),
               Column(doc.t("数值", "Value"), 1.0, "right"), Column(doc.t("单位", "Unit"), 0.8),
               Column(doc.t("占起点流出 %", "Share of source %"), 1.0, "right")], rows,
              caption=doc.t(f"{data.year} 年碳流向图的各条流", f"The flows of the {data.year} Sankey"))


def _mapping(doc: ReportDocument, section: dict) -> None:
    mapping = pd.DataFrame(section.get("sector_mapping") or [])
    if mapping.empty:
        return
    doc.heading(doc.t("部门归类", "Sector mapping"), level=2, keep_with_mm=30)
    rows = [[str(r.get("sector_code") or "–"), str(r.get("sector") or "–"), str(r.get("sector6_zh") or "–"),
             str(r.get("how") or "–"), number(r.get("entities"))] for r in mapping.to_dict("records")]
    doc.table([Column(doc.t("行业代码", "Code"), 0.8), Column(doc.t("行业", "Industry"), 1.4),
               Column(doc.t("部门", "Sector"), 0.8), Column(doc.t("依据", "Rule"), 1.4),
               Column(doc.t("对象数", "Entities"), 0.7, "right")], rows,
              caption=doc.t("行业到六大部门的归类（可用 lingtan trends --sectors 改写）",
                            "Industries to the six sectors (rules can be replaced with "
                            "lingtan trends --sectors)"))
    sources = sorted({str(s) for s in mapping.get("source", pd.Series(dtype=str)).dropna()})
    if sources:
        doc.note(doc.t("来源：", "Sources: ") + "；".join(sources))


def _missing(doc: ReportDocument, section: dict) -> None:
    missing = section.get("missing_years") or []
    doc.heading(doc.t("缺失年份", "Missing years"), level=2, keep_with_mm=25)
    if not missing:
        doc.paragraph(doc.t("所有对象在各年份均有数据。", "Every entity has data for every year."))
        return
    doc.table([Column(doc.t("代码", "ID"), 0.9), Column(doc.t("名称", "Name"), 1.5),
               Column(doc.t("有数据的年份", "Years present"), 1.3),
               Column(doc.t("缺少的年份", "Years missing"), 1.3)],
              [[str(m.get("entity")), str(m.get("name") or "–"), str(m.get("years_present")),
                str(m.get("years_missing"))] for m in missing],
              caption=doc.t("部分年份缺数据的对象（这些年份的合计不含它们）",
                            "Entities missing some years (those years' totals leave them out)"))
