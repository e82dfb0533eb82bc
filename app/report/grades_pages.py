"""The report's chapter on the enterprise carbon-efficiency grades (企业碳效等级（碳效码））: the
grade counts in their colours, the grade map when the buildings carry enterprise ids, the
enterprises by grade, those not graded, and the method with its source (DB33/T 1347-2023).
Left out when the project has no grades run. Everything is read from the saved run
(:class:`app.summaries.GradesSummary`)."""

from __future__ import annotations

import pandas as pd

from app.report.document import Column, ReportDocument
from app.report.maps import extent_of, report_layer
from app.report.pages import ReportData, add_map, num
from app.summaries import GradesSummary

CHAPTER_ZH, CHAPTER_EN = "企业碳效等级（碳效码）", "Enterprise carbon-efficiency grades"
MAX_ROWS = 120
"""Enterprises listed in the report (best and worst first within each grade); the workbook
(``lingtan grades --out``) has them all."""
_K_RANGES = ("K ≤ 0.6", "0.6 < K ≤ 0.8", "0.8 < K ≤ 1.2", "1.2 < K ≤ 2.0", "K > 2.0")
_MEANING = (("碳效高", "high efficiency"), ("碳效较高", "fairly high"), ("接近行业平均", "near the average"),
            ("碳效较低", "fairly low"), ("碳效低", "low efficiency"))
_COLOUR = (("绿", "green"), ("蓝", "blue"), ("黄", "yellow"), ("橙", "orange"), ("红", "red"))
_LEVEL = {"low": ("低碳", "low"), "medium": ("中碳", "medium"), "high": ("高碳", "high")}


def grades(doc: ReportDocument, data: ReportData) -> None:
    """企业碳效等级（碳效码） / Enterprise carbon-efficiency grades."""
    g: GradesSummary | None = data.summary.grades
    if g is None or not g:
        return
    lang = data.lang
    doc.heading(doc.t(CHAPTER_ZH, CHAPTER_EN), new_page=True)
    year = f"{g.year} 年" if g.year else ""
    compared = doc.t(f"，并与 {g.previous_year} 年比较", f", compared with {g.previous_year}") \
        if g.previous_year else ""
    own = (g.benchmark_source or "own") == "own"
    bench = doc.t("各行业基准为本表中该行业 Σ排放 ÷ Σ增加值",
                  "each industry's benchmark is its own Σ CO2 ÷ Σ value added in the table") if own else \
        doc.t(f"行业基准取自用户基准表（{g.benchmark_source}）",
              f"industry benchmarks from the user's table ({g.benchmark_source})")
    doc.paragraph(doc.t(
        f"对 {num(g.count)} 家企业{year}的单位增加值碳排放 L 与碳效值 K 评级{compared}；{bench}。",
        f"{num(g.count)} enterprises graded by their carbon intensity L and carbon-efficiency ratio K"
        f"{' for ' + str(g.year) if g.year else ''}{compared}; {bench}."))
    _counts(doc, g)
    layer = data.layer("enterprise_grades")
    if layer is not None:
        shown = [n for n in ("boundary", "enterprise_grades") if data.layer(n) is not None]
        frames = [data.layers[n] for n in shown]
        extent = extent_of(pd.concat([f.to_crs(frames[0].crs) for f in frames]), 0.04)
        add_map(doc, [report_layer(n, data.layers[n], lang) for n in shown],
                doc.t("企业建筑按碳效等级着色（灰色：未评级）",
                      "Enterprise buildings by grade (grey: not graded)"),
                extent=extent, labels=False)
    _enterprises(doc, g)
    _method(doc, g)
    notes = [p for p in (g.problems or []) if p.get("level") != "info"]
    if notes:
        doc.heading(doc.t("提示", "Notes"), level=2)
        doc.bullets([str(p.get("zh" if lang == "zh" else "en", "")) for p in notes])


def _counts(doc: ReportDocument, g: GradesSummary) -> None:
    counts = list(g.grades or [0] * 5)
    rows = [[str(k + 1), _K_RANGES[k], doc.t(*_MEANING[k]), doc.t(*_COLOUR[k]), num(counts[k])]
            for k in range(5)]
    levels = g.levels or {}
    rows.append([doc.t("未评级", "not graded"), doc.t("无工业增加值", "no value added"), "",
                 doc.t("灰", "grey"), num(g.not_graded or 0)])
    doc.table([Column(doc.t("等级", "Grade"), 0.8), Column("K", 1.4), Column(doc.t("含义", "Meaning"), 1.6),
               Column(doc.t("颜色", "Colour"), 0.8), Column(doc.t("企业数", "Enterprises"), 1.0, "right")],
              rows, caption=doc.t(
                  f"各等级企业数（水平：低碳 {levels.get('low', 0)}、中碳 {levels.get('medium', 0)}、"
                  f"高碳 {levels.get('high', 0)} 家）",
                  f"Enterprises per grade (levels: low {levels.get('low', 0)}, medium "
                  f"{levels.get('medium', 0)}, high {levels.get('high', 0)})"))


def _change(r: dict) -> str:
    d = r.get("delta_grade")
    if d is None:
        return "–"
    return "0" if d == 0 else f"{d:+d}"


def _enterprises(doc: ReportDocument, g: GradesSummary) -> None:
    rows = [r for r in (g.enterprises or []) if r.get("grade") is not None]
    if not rows:
        return
    rows.sort(key=lambda r: (r["grade"], r.get("K") or 0.0))
    shown = rows[:MAX_ROWS]
    table = [[str(r["grade"]), f"{r.get('name') or r['id']}", str(r.get("industry", "")),
              num(r.get("L"), 3), num(r.get("benchmark_L"), 3), num(r.get("K"), 2),
              doc.t(*_LEVEL.get(str(r.get("level")), ("", ""))),
              f"{r.get('rank_industry')}/{r.get('industry_members')}", _change(r)] for r in shown]
    more = doc.t(f"；另有 {len(rows) - len(shown)} 家见 Excel 表", f"; {len(rows) - len(shown)} more in the "
                 "workbook") if len(rows) > len(shown) else ""
    doc.table([Column(doc.t("等级", "Grade"), 0.6), Column(doc.t("企业", "Enterprise"), 2.6),
               Column(doc.t("行业", "Industry"), 0.8), Column("L", 0.8, "right"),
               Column(doc.t("基准 L", "Bench. L"), 0.9, "right"), Column("K", 0.7, "right"),
               Column(doc.t("水平", "Level"), 0.8, "right"), Column(doc.t("行业排名", "Rank"), 0.9, "right"),
               Column(doc.t("等级变化", "Δ grade"), 0.8, "right")], table,
              caption=doc.t(f"企业碳效等级（L、基准 L：吨二氧化碳/万元；排名 1 = 行业内 L 最低{more}）",
                            f"Enterprises by grade (L, benchmark L: tCO2 per 10⁴ yuan; rank 1 = the lowest L "
                            f"in the industry{more})"))
    missing = [r for r in (g.enterprises or []) if r.get("grade") is None]
    if missing:
        names = "、".join(str(r.get("name") or r["id"]) for r in missing[:40])
        doc.paragraph(doc.t("未评级（无工业增加值或行业基准不为正）：",
                            "Not graded (no value added, or no positive industry benchmark): ") + names)


def _method(doc: ReportDocument, g: GradesSummary) -> None:
    doc.heading(doc.t("方法与来源", "Method and source"), level=2)
    grid = f"{g.grid_kg_co2_per_kwh:.4f}" if g.grid_kg_co2_per_kwh is not None else "–"
    doc.bullets([
        doc.t("单位增加值碳排放 L =（能源活动碳排放 − 零碳电力折算减排 − 碳汇 − 碳捕集封存）÷ 工业增加值，"
              f"吨二氧化碳/万元；零碳电力按电网排放因子 {grid} kgCO2/kWh 折算。",
              "Carbon intensity L = (CO2 of energy use − CO2 of zero-carbon electricity − sinks − CCS) ÷ "
              f"value added, tCO2 per 10⁴ yuan; zero-carbon electricity at the grid factor {grid} "
              "kgCO2/kWh."),
        doc.t("碳效水平：L ≤ 0.6 低碳，0.6 < L ≤ 2.0 中碳，L > 2.0 高碳。",
              "Level: L ≤ 0.6 low, 0.6 < L ≤ 2.0 medium, L > 2.0 high."),
        doc.t("碳效值 K = L ÷ 所在行业（GB/T 4754 大类）同期 L；1–5 级：K ≤ 0.6、≤ 0.8、≤ 1.2、≤ 2.0、> 2.0"
              "（含上限）。行业 L 为 Σ排放 ÷ Σ增加值，而非企业比值的平均。",
              "Carbon-efficiency ratio K = L ÷ the L of the enterprise's industry (GB/T 4754 division) "
              "in the same period; grades 1–5: K ≤ 0.6, ≤ 0.8, ≤ 1.2, ≤ 2.0, > 2.0 (upper bounds "
              "inclusive). The industry's L is Σ CO2 ÷ Σ value added, not the mean of its members' ratios."),
        doc.t("来源：浙江省地方标准 DB33/T 1347-2023《工业企业碳效综合评估与分级赋码规范》；"
              "湖州市《规上工业企业碳效等级评价方法》。",
              "Source: Zhejiang provincial standard DB33/T 1347-2023 (Specification for comprehensive "
              "assessment and graded coding of industrial enterprises' carbon efficiency); Huzhou's grading "
              "method for industrial enterprises above designated size."),
    ])
