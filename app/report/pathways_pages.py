"""The report's chapters on the pathways to 2060 (issue #19):

* 碳排放路径与情景 — the scenarios overlaid with the history (peaks, target path and gap), each
  scenario's milestones in a sentence and a comparison table (peak year and level, the year the
  national carbon-per-energy indicator is met, net-zero year, 2030/2060 emissions, cumulative), the
  baseline by sector, the sensitivity tornado, and every assumption with its value, unit and source
  (sources numbered once, not repeated per row);
* 减排措施与边际减排成本 — the MACC and its table (abatement, cost, start year, status, source).

Left out when the summary has no ``pathways`` section (:mod:`app.park_pathways`). Everything is read
from the saved section, so a reopened project reports it without the energy table.
"""

from __future__ import annotations

from app.charts.energy_tables import number
from app.charts.macc_chart import macc_bars, macc_chart
from app.charts.pathway_chart import fuel_text, pathway_chart, sector_chart
from app.charts.tornado_chart import tornado_chart
from app.report.document import Column, ReportDocument
from app.report.pages import ReportData

CHAPTER_ZH, CHAPTER_EN = "碳排放路径与情景", "Emission pathways and scenarios"
MACC_ZH, MACC_EN = "减排措施与边际减排成本", "Abatement measures and their costs"
STATUS = {"published": ("已发布", "published"), "assumption": ("假设", "assumption"),
          "user": ("用户", "user"), "estimate": ("估算", "estimate"), "computed": ("本项目计算", "computed")}


def section_of(data: ReportData) -> dict | None:
    """The ``pathways`` section of the report's summary, None when absent or without scenarios."""
    s = data.summary.pathways or data.summary.extra.get("pathways")
    return s if s and s.get("scenarios") else None


def _year(v, doc: ReportDocument, none_zh: str = "—", none_en: str = "—") -> str:
    return str(int(v)) if v is not None else doc.t(none_zh, none_en)


def _status(v, doc: ReportDocument) -> str:
    zh, en = STATUS.get(str(v or ""), (str(v or "—"), str(v or "—")))
    return doc.t(zh, en)


def peak_sentence(sc: dict, doc: ReportDocument, base_year: int | None) -> str:
    """"基准情景于 2024 年（基准年）达峰，峰值 1,173,292 吨CO₂；…" for one scenario."""
    name = sc.get("name_zh") if doc.lang == "zh" else sc.get("name")
    y = sc.get("peak_year")
    at_base = y is not None and base_year is not None and int(y) == int(base_year)
    if y is None:
        peak = doc.t(f"{name}情景 2060 年前未达峰（2060 年 {number(sc.get('t_co2_2060'))} 吨CO₂）",
                     f"Scenario {name} does not peak by 2060 ({number(sc.get('t_co2_2060'))} tCO₂ in 2060)")
    else:
        peak = doc.t(f"{name}情景于 {int(y)} 年{'（基准年，此后下降）' if at_base else ''}达峰，峰值 "
                     f"{number(sc.get('peak_t_co2'))} 吨CO₂",
                     f"Scenario {name} peaks in {int(y)}"
                     f"{' (the base year; falling after)' if at_base else ''} "
                     f"at {number(sc.get('peak_t_co2'))} tCO₂")
    ind = sc.get("indicator_year")
    nz = sc.get("net_zero_year")
    rest = doc.t(f"；单位能耗碳排放{'于 ' + str(ind) + ' 年达到' if ind else '至 2060 年未达到'}指标阈值；"
                 f"{'于 ' + str(nz) + ' 年净零' if nz else '2060 年前未净零'}。",
                 "; the carbon-per-energy indicator is "
                 f"{'met in ' + str(ind) if ind else 'not met by 2060'}; "
                 f"{'net zero in ' + str(nz) if nz else 'not net zero by 2060'}.")
    return peak + rest


def pathways(doc: ReportDocument, data: ReportData) -> None:
    """碳排放路径与情景 / Emission pathways and scenarios."""
    s = section_of(data)
    if s is None:
        return
    lang = data.lang
    base_year = s.get("base_year")
    thr = s.get("indicator_threshold")
    doc.heading(doc.t(CHAPTER_ZH, CHAPTER_EN), new_page=True)
    doc.paragraph(doc.t(
        f"以能耗表最近一年 {base_year} 年为基准年，按六大部门和能源品种推演至 2060 年：增加值增速、能耗强度"
        "下降、电气化与燃料替代、电网排放因子路径、园区光伏风电建设、外购绿电、碳汇与 CCUS。情景参数及其"
        "来源列于本章末；“假设”为零碳软件依据所列来源作出的取值。国家零碳园区单位能耗碳排放指标阈值取 "
        f"{thr if thr is not None else '—'} tCO₂/tce（{s.get('indicator_source') or '—'}）。",
        f"From the energy table's latest year, {base_year}, energy and CO₂ by six sectors and fuel to 2060: "
        "value-added growth, intensity decline, electrification and fuel switch, the grid factor path, "
        "on-site PV/wind build-out, purchased green power, sinks and CCUS. The scenario parameters and their "
        "sources are listed at the end of this chapter; 'assumption' marks values Lingtan chose informed "
        f"by the sources named. The national carbon-per-energy indicator threshold is "
        f"{thr if thr is not None else '—'} tCO₂/tce ({s.get('indicator_source') or '—'})."))
    doc.figure(95, lambda p, r: pathway_chart(p, r, s, lang),
               caption=doc.t("各情景净排放路径（吨CO₂）：实线为历史，虚线为推演，圆点为峰值；点划线为目标路径，"
                             "阴影为高于目标路径的差距",
                             "Net emissions by scenario (tCO₂): history solid, projections dashed, dots the "
                             "peaks; dash-dot the target path, shaded the gap above it"))
    doc.bullets([peak_sentence(sc, doc, base_year) for sc in s["scenarios"]])
    _comparison(doc, s)
    names = [sc["name"] for sc in s["scenarios"]]
    focus = "baseline" if "baseline" in names else names[0]
    doc.figure(80, lambda p, r: sector_chart(p, r, s, focus, lang),
               caption=doc.t("基准情景的能源活动排放（按部门）与净排放（吨CO₂）",
                             "The baseline's CO₂ of energy use by sector and its net emissions (tCO₂)"))
    _sensitivity(doc, s, lang)
    _assumptions(doc, s)


def _comparison(doc: ReportDocument, s: dict) -> None:
    rows = [[str(sc.get("name_zh") if doc.lang == "zh" else sc.get("name")),
             _year(sc.get("peak_year"), doc, "2060 前未达峰", "not by 2060"), number(sc.get("peak_t_co2")),
             _year(sc.get("indicator_year"), doc), _year(sc.get("net_zero_year"), doc),
             number(sc.get("t_co2_2030")), number(sc.get("t_co2_2060")),
             number(sc.get("cumulative_2060_t_co2")), number(sc.get("gap_2030_t_co2"))]
            for sc in s["scenarios"]]
    doc.table([Column(doc.t("情景", "Scenario"), 1.0), Column(doc.t("达峰年", "Peak year"), 0.9, "right"),
               Column(doc.t("峰值 tCO₂", "Peak tCO₂"), 1.1, "right"),
               Column(doc.t("达到指标年份", "Indicator met"), 0.9, "right"),
               Column(doc.t("净零年份", "Net zero"), 0.8, "right"),
               Column(doc.t("2030 年 tCO₂", "2030 tCO₂"), 1.1, "right"),
               Column(doc.t("2060 年 tCO₂", "2060 tCO₂"), 1.1, "right"),
               Column(doc.t("累计至 2060 tCO₂", "Cumulative to 2060 tCO₂"), 1.3, "right"),
               Column(doc.t("2030 年差距 tCO₂", "Gap 2030 tCO₂"), 1.1, "right")], rows,
              caption=doc.t("情景对比（差距 = 净排放 − 目标路径，正值为高于目标）",
                            "Scenarios compared (gap = net − target path; positive: above the target)"))


def _sensitivity(doc: ReportDocument, s: dict, lang: str) -> None:
    sens = s.get("sensitivity") or []
    if not sens:
        return
    key = s.get("sensitivity_scenario") or "baseline"
    sc = next((x for x in s.get("scenarios") or [] if x.get("name") == key), {})
    name = (sc.get("name_zh") or key) if doc.lang == "zh" else key
    doc.heading(doc.t("敏感性", "Sensitivity"), level=2, keep_with_mm=70)
    doc.paragraph(doc.t(
        f"{name} 情景的各驱动因素分别乘以 (1 ± {sens[0].get('pct', 20):g}%) 后重新推演，比较 "
        f"{sens[0].get('year')} 年净排放与达峰年（低/基准/高）；条越长，该因素越关键。",
        f"Each driver of scenario {name} times (1 ± {sens[0].get('pct', 20):g} %), run again: net "
        "emissions in "
        f"{sens[0].get('year')} and the peak year (low/base/high); the longer the bar, the more it matters."))
    doc.figure(70, lambda p, r: tornado_chart(p, r, sens, lang),
               caption=doc.t("敏感性龙卷风图", "Sensitivity tornado"))


def value_text(v) -> str:
    """A parameter value as typed: 4.8, 0.44, 30, 0 (no trailing zeros)."""
    return "—" if v is None else f"{float(v):,.4f}".rstrip("0").rstrip(".")


def _sector(key, doc: ReportDocument) -> str:
    from gis.carbon.sectors import sector_name

    k = str(key or "all")
    return doc.t("全部", "all") if k == "all" else sector_name(k, doc.lang)


def _assumptions(doc: ReportDocument, s: dict) -> None:
    from gis.carbon.pathways import PARAMETERS

    rows_in = s.get("assumptions") or []
    if not rows_in:
        return
    doc.heading(doc.t("情景假设与来源", "Scenario assumptions and sources"), level=2, keep_with_mm=40)
    sources: dict[str, int] = {}
    rows = []
    for r in rows_in:
        src = str(r.get("source") or "").strip()
        ref = sources.setdefault(src, len(sources) + 1) if src else None
        spec = PARAMETERS.get(str(r.get("parameter")))
        param = (spec.zh if doc.lang == "zh" else spec.en) if spec else str(r.get("parameter"))
        rows.append([str(r.get("scenario_zh") if doc.lang == "zh" else r.get("scenario")), param,
                     _sector(r.get("sector"), doc), fuel_text(r.get("fuel"), doc.lang), str(r.get("period")),
                     value_text(r.get("value")), str(r.get("unit") or ""),
                     _status(r.get("status"), doc), f"[{ref}]" if ref else "—"])
    doc.table([Column(doc.t("情景", "Scenario"), 0.7), Column(doc.t("参数", "Parameter"), 1.5),
               Column(doc.t("部门", "Sector"), 0.7), Column(doc.t("能源品种", "Fuel"), 0.7),
               Column(doc.t("时期/年份", "Period/year"), 0.9), Column(doc.t("数值", "Value"), 0.6, "right"),
               Column(doc.t("单位", "Unit"), 0.9), Column(doc.t("状态", "Status"), 0.6),
               Column(doc.t("来源", "Source"), 0.5)], rows,
              caption=doc.t("各情景参数（数值、单位与来源编号）",
                            "Scenario parameters (value, unit, source)"),
              size_pt=7.5)
    for src, k in sources.items():
        doc.note(f"[{k}] {src}", space_after_mm=0.8)


def macc(doc: ReportDocument, data: ReportData) -> None:
    """减排措施与边际减排成本 / Abatement measures and their costs."""
    s = section_of(data)
    rows_in = (s or {}).get("macc") or []
    if not rows_in:
        return
    lang = data.lang
    bars = macc_bars(rows_in, lang)
    doc.heading(doc.t(MACC_ZH, MACC_EN), new_page=True)
    negative = [b for b, c in zip(bars.labels, bars.cost, strict=True) if c < 0]
    doc.paragraph(doc.t(
        f"{len(bars.labels)} 项措施合计减排 {number(bars.total_t_co2_yr)} 吨CO₂/年（按基准年电网因子）。"
        "成本 = （年化投资 + 运维 − 节省）÷ 减排量；负值表示措施自身有收益"
        + (f"（{'、'.join(negative)}）" if negative else "")
        + "。措施用于“基准+措施”情景，自各自开始年份起扣减。",
        f"{len(bars.labels)} measures abate {number(bars.total_t_co2_yr)} tCO₂/yr in all (at the base year's "
        "grid factor). Cost = (annualised investment + O&M − savings) ÷ abatement; negative: the measure "
        "pays for itself" + (f" ({', '.join(negative)})" if negative else "") + ". The measures make the "
        "'baseline+measures' scenario, each from its start year."))
    doc.figure(90, lambda p, r: macc_chart(p, r, rows_in, lang),
               caption=doc.t("边际减排成本曲线：条宽为减排量（吨CO₂/年），条高为成本（元/吨CO₂），自低到高排列",
                             "Marginal abatement cost curve: width = abatement (tCO₂/yr), height = cost "
                             "(yuan/tCO₂), cheapest first"))
    order = sorted(rows_in, key=lambda m: (float(m.get("cost_yuan_per_t_co2") or 0.0),
                                           -float(m.get("abatement_t_co2_yr") or 0.0)))
    rows = [[str(m.get("name_zh") if lang == "zh" else m.get("name_en") or m.get("name_zh")),
             number(m.get("abatement_t_co2_yr")), number(m.get("cost_yuan_per_t_co2")),
             number((m.get("annual_cost_yuan") or 0.0) / 1e4, 1), str(m.get("start_year") or "—"),
             _status(m.get("status"), doc), str(m.get("source") or "—")] for m in order]
    doc.table([Column(doc.t("措施", "Measure"), 1.0),
               Column(doc.t("减排 tCO₂/年", "Abatement tCO₂/yr"), 0.9, "right"),
               Column(doc.t("成本 元/tCO₂", "Cost yuan/tCO₂"), 0.8, "right"),
               Column(doc.t("年成本 万元", "Annual cost 10⁴ yuan"), 0.8, "right"),
               Column(doc.t("开始年份", "Start"), 0.6, "right"), Column(doc.t("状态", "Status"), 0.7),
               Column(doc.t("来源", "Source"), 3.0)], rows,
              caption=doc.t("减排措施（按成本自低到高）", "Measures, cheapest first"), size_pt=7.5)
