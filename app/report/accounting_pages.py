"""The report's section on the accounting boundary, the emissions beyond fuels (industrial
processes, waste treatment, purchased cooling, scope 3 lines) and the two green rates (绿化覆盖率
vs 绿地率): gis.carbon.scope, gis.carbon.process, gis.carbon.green_rates. Every number comes from
the summary."""

from __future__ import annotations

from app.report.document import Cell, Column, ReportDocument
from app.report.pages import ReportData, num, pct
from app.summaries import CarbonSummary, Section

KIND_NAMES = {
    "process": ("工业生产过程", "industrial processes"),
    "waste": ("废弃物处理", "waste treatment"),
    "cooling": ("外购冷量", "purchased cooling"),
    "scope3": ("范围三", "scope 3"),
}


def _field(section: Section | None, name: str):
    if section is None:
        return None
    value = getattr(section, name, None)
    return value if value is not None else section.extra.get(name)


def accounting(doc: ReportDocument, data: ReportData) -> None:
    """Boundary, the non-fuel lines of the accounted year and the green rates (nothing when the
    account has none of them and the boundary is the default)."""
    c, lang = data.summary.carbon or CarbonSummary(), data.lang
    zh = lang == "zh"
    e, b = c.emissions, c.balance
    boundary = _field(e, "boundary_zh" if zh else "boundary_en") or _field(
        b, "boundary_zh" if zh else "boundary_en"
    )
    year = (_field(e, "total") or {}).get("year")
    lines = [r for r in _field(e, "lines") or [] if r.get("kind") != "energy" and r.get("year", year) == year]
    rates = c.green_rates
    scopes = _field(e, "boundary") or _field(b, "boundary") or [1, 2]
    if not lines and not rates and list(scopes) == [1, 2]:
        return
    doc.heading(doc.t("核算边界、其他排放与绿化指标", "Accounting boundary, other emissions and green rates"))
    if boundary:
        doc.paragraph(doc.t(
            f"核算边界：{boundary}。国家零碳园区指标的“单位能耗碳排放”按范围一（含工业生产过程）"
            "+ 范围二核算；碳排放类指标在指标表中注明所用边界。范围三只计入总量，不计入强度指标。",
            f"Boundary: {boundary}. The national indicator 'carbon per unit of energy' counts scope 1 "
            "(industrial processes included) + scope 2; the carbon indicators name the boundary used. "
            "Scope 3 counts in the totals only, not in the intensities."))
    if lines:
        rows = []
        for r in lines:
            kind = KIND_NAMES.get(str(r.get("kind")), (r.get("kind"), r.get("kind")))[0 if zh else 1]
            rows.append(
                [
                    r.get("name_zh") if zh else r.get("name_en"),
                    kind,
                    num(r.get("scope")),
                    num(r.get("amount"), 1) if r.get("amount") is not None else "",
                    str(r.get("unit") or ""),
                    num(r.get("t_co2"), 1),
                    doc.t("是", "yes") if r.get("counted") else doc.t("否", "no"),
                    str(r.get("source") or ""),
                ]
            )
        total = sum(r.get("t_co2") or 0 for r in lines if r.get("counted"))
        rows.append(
            [
                Cell(doc.t("合计（计入边界）", "Total counted"), bold=True),
                "",
                "",
                "",
                "",
                Cell(num(total, 1), bold=True),
                "",
                "",
            ]
        )
        doc.table(
            [
                Column(doc.t("项目", "Item"), 1.6),
                Column(doc.t("类别", "Kind"), 1.1),
                Column(doc.t("范围", "Scope"), 0.5, "right"),
                Column(doc.t("活动水平", "Activity"), 0.9, "right"),
                Column(doc.t("单位", "Unit"), 0.5),
                Column("tCO₂e", 0.9, "right"),
                Column(doc.t("计入", "Counted"), 0.6),
                Column(doc.t("因子来源", "Factor source"), 3.6),
            ],
            rows,
            caption=doc.t(
                "能源以外的排放（活动水平 × 排放因子）", "Emissions beyond fuels (activity × factor)"
            ),
            size_pt=7.5,
        )
    if rates:
        ha = {k: num((rates.get(k) or 0) / 1e4, 2) for k in ("coverage_m2", "roof_green_m2",
                                                           "canopy_outside_green_m2", "green_land_m2")}
        cover, land = pct(rates.get("green_coverage_pct")), pct(rates.get("green_land_rate_pct"))
        wall = num(rates.get("vertical_green_m2"))
        doc.paragraph(doc.t(
            f"绿化覆盖率 {cover}（绿化覆盖面积 {ha['coverage_m2']} 公顷：绿地、屋顶绿化 "
            f"{ha['roof_green_m2']} 公顷及其他用地上的树冠 {ha['canopy_outside_green_m2']} 公顷，"
            f"重叠只计一次）；绿地率 {land}（绿地 {ha['green_land_m2']} 公顷）。"
            f"垂直绿化 {wall} 平方米计入碳汇，不计入覆盖面积。",
            f"Green coverage {cover} (green cover {ha['coverage_m2']} ha: green land, roof greening "
            f"{ha['roof_green_m2']} ha and tree crowns over other land {ha['canopy_outside_green_m2']} ha, "
            f"overlaps counted once); green-land rate {land} (green land {ha['green_land_m2']} ha). "
            f"Vertical greening of {wall} m² counts as a sink, not as cover."))
        doc.note(
            doc.t(
                "绿化覆盖面积按 GB/T 50563-2010 计植被垂直投影（含屋顶绿化与树冠，重叠不重复计）；"
                "绿地率按用地计（GB 50137-2011），屋顶与墙面不是用地。",
                "Green cover is the vertical projection of vegetation (GB/T 50563-2010: roof greening and "
                "crowns included, overlaps once); the green-land rate counts land (GB 50137-2011): roofs "
                "and walls are not land.",
            )
        )
