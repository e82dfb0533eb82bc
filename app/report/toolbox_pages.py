"""The enterprise energy toolbox PDF (企业能源工具箱, 3–5 A4 pages in the main report's look): the
enterprise's energy, CO2, intensity, grade and ranks; its roofs' PV potential; the PV + storage +
green-power package with its economics (labelled 估算 when annual estimates); what each measure does
to its grade; method and sources. Laid out from :class:`app.toolbox.ToolboxResult` only.

Names and other user text are only ever values placed into the text (f-string fields, table cells),
never a format or template string."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from app.report.document import Cell, Column, ReportDocument
from app.report.pages import add_map, date_text, num, pct
from app.toolbox import (
    DEFAULT_BATTERY_HOURS,
    DEFAULT_BATTERY_POWER_PCT_OF_PV,
    ENERGY_SAVING_PCT,
    GREEN_PREMIUM_YUAN_KWH,
    GREEN_TARGET_PCT,
    ToolboxResult,
)
from gis.progress import NO_PROGRESS, Progress

TITLE_ZH, TITLE_EN = "企业能源工具箱", "Enterprise energy toolbox"
TOP_BUILDINGS = 12
"""Buildings listed in the PV table (largest yield first); the rest are summed in the totals."""
_LEVEL = {"low": ("低碳", "low"), "medium": ("中碳", "medium"), "high": ("高碳", "high")}
_GRADE_MEANING = (
    ("碳效高", "high efficiency"),
    ("碳效较高", "fairly high"),
    ("接近行业平均", "near average"),
    ("碳效较低", "fairly low"),
    ("碳效低", "low efficiency"),
)
_DARK_TEXT_GRADES = (3,)
"""Grades whose colour (yellow) needs dark text on it; the others take white."""


def _grade_cell(doc: ReportDocument, grade: int | None) -> Cell:
    from gis.carbon.grades import GRADE_COLOURS, NO_GRADE_COLOUR

    if grade is None:
        return Cell(doc.t("未评级", "not graded"), fill=NO_GRADE_COLOUR)
    meaning = _GRADE_MEANING[grade - 1]
    text = doc.t(f"{grade} 级（{meaning[0]}）", f"Grade {grade} ({meaning[1]})")
    return Cell(
        text,
        colour="#202020" if grade in _DARK_TEXT_GRADES else "#ffffff",
        bold=True,
        fill=GRADE_COLOURS[grade - 1],
    )


def _draw(_geometry: object) -> None:
    """A chart drawn in a figure: its geometry (for hover in the GUI) is not needed on paper."""


def _level(doc: ReportDocument, level: str) -> str:
    return doc.t(*_LEVEL.get(level, ("–", "–")))


def _rank(r: int | None, n: int) -> str:
    return f"{r} / {n}" if r is not None else "–"


def layout_toolbox(r: ToolboxResult, lang: str = "zh", *, date: dt.date | None = None) -> ReportDocument:
    """The laid-out document (nothing painted yet)."""
    title = TITLE_ZH if lang == "zh" else TITLE_EN
    doc = ReportDocument(
        lang=lang, title=f"{title} — {r.name or r.id}", header_left=f"{title} · {r.name or r.id}"
    )
    _overview(doc, r, date or dt.date.today())
    _pv(doc, r)
    _package(doc, r)
    _measures(doc, r)
    return doc


def _overview(doc: ReportDocument, r: ToolboxResult, date: dt.date) -> None:
    doc.heading(doc.t("企业能耗、碳排放与碳效等级", "Energy, CO₂ and carbon-efficiency grade"))
    year = f"{r.year} 年" if r.year else ""
    doc.paragraph(
        doc.t(
            f"{r.name}（企业代码 {r.id}，行业 {r.industry_name or r.industry}）"
            f"{year}综合能耗 {num(r.tce, 1)} 吨标准煤，"
            f"能源活动碳排放 {num(r.t_co2, 1)} 吨二氧化碳，单位工业增加"
            f"值碳排放 L = {num(r.L, 3)} 吨二氧化碳/万元，"
            f"为行业基准 {num(r.benchmark_L, 3)} 的 {num(r.K, 2)} 倍（碳效值 K），碳效等级"
            + (f" {r.grade} 级" if r.grade else "：未评级")
            + "。",
            f"{r.name} (id {r.id}, industry {r.industry_name or r.industry}) used {num(r.tce, 1)} tce"
            f"{' in ' + str(r.year) if r.year else ''} and emitted {num(r.t_co2, 1)} "
            "tCO₂ from energy use; its "
            f"carbon intensity L = {num(r.L, 3)} tCO₂ per 10⁴ yuan of value added is {num(r.K, 2)} times its "
            f"industry's benchmark {num(r.benchmark_L, 3)} (ratio K): grade "
            + (str(r.grade) if r.grade else "none")
            + ".",
        )
    )
    doc.note(doc.t(f"编制日期：{date_text(date, 'zh')}", f"Prepared: {date_text(date, 'en')}"))
    rows: list[list[str | Cell]] = [
        [doc.t("企业代码", "Id"), r.id, doc.t("企业名称", "Name"), r.name],
        [
            doc.t("行业（GB/T 4754 大类）", "Industry (GB/T 4754)"),
            f"{r.industry} {r.industry_name}".strip(),
            doc.t("核算年份", "Year"),
            str(r.year or "–"),
        ],
        [
            doc.t("综合能耗", "Energy"),
            f"{num(r.tce, 1)} tce",
            doc.t("用电量", "Electricity"),
            f"{num(r.electricity_kwh / 1e4, 1)} {doc.t('万 kWh', '10⁴ kWh')}",
        ],
        [
            doc.t("能源活动碳排放", "Energy CO₂"),
            f"{num(r.t_co2, 1)} tCO₂",
            doc.t("扣减后排放", "Net CO₂"),
            f"{num(r.net_t_co2, 1)} tCO₂",
        ],
        [
            doc.t("工业增加值", "Value added"),
            f"{num(r.value_added_10k_yuan, 1)} {doc.t('万元', '10⁴ yuan')}",
            doc.t("能耗强度", "Energy intensity"),
            f"{num(r.tce_per_10k_yuan, 3)} {doc.t('tce/万元', 'tce/10⁴ yuan')}",
        ],
        [
            doc.t("碳排放强度 L", "Carbon intensity L"),
            f"{num(r.L, 3)} {doc.t('tCO₂/万元', 'tCO₂/10⁴ yuan')}",
            doc.t("行业基准 L", "Industry benchmark L"),
            f"{num(r.benchmark_L, 3)}",
        ],
        [doc.t("碳效值 K", "Ratio K"), num(r.K, 3), doc.t("碳效水平", "Level"), _level(doc, r.level)],
        [
            doc.t("碳效等级", "Grade"),
            _grade_cell(doc, r.grade),
            doc.t("上年等级", "Previous year"),
            str(r.grade_previous) if r.grade_previous else "–",
        ],
        [
            doc.t("行业内排名", "Rank in industry"),
            _rank(r.rank_industry, r.industry_members),
            doc.t("园区内排名", "Rank in park"),
            _rank(r.rank_park, r.park_graded),
        ],
    ]
    cols = [
        Column(doc.t("项目", "Item"), 1.1),
        Column(doc.t("数值", "Value"), 1.5),
        Column(doc.t("项目", "Item"), 1.0),
        Column(doc.t("数值", "Value"), 1.5),
    ]
    doc.table(
        cols,
        rows,
        caption=doc.t("企业概况（排名 1 = L 最低）", "The enterprise (rank 1 = lowest L)"),
        size_pt=9.0,
        zebra=False,
    )
    doc.note(
        doc.t(
            "L =（能源活动碳排放 − 零碳电力 − 碳汇 − CCS）÷ 工业增加值；K = L ÷ 行业基准 L；"
            "1–5 级：K ≤ 0.6、≤ 0.8、≤ 1.2、≤ 2.0、> 2.0（浙江省地方标准 DB33/T 1347-2023）。",
            "L = (energy CO₂ − zero-carbon electricity − sinks − CCS) ÷ value added; K = L ÷ the "
            "industry benchmark L; grades 1–5: K ≤ 0.6, ≤ 0.8, ≤ 1.2, ≤ 2.0, > 2.0 (Zhejiang "
            "DB33/T 1347-2023).",
        )
    )


def _pv(doc: ReportDocument, r: ToolboxResult) -> None:
    from layers import charts

    doc.heading(doc.t("屋顶光伏潜力", "Rooftop PV potential"))
    pv = r.pv
    if pv is None:
        doc.paragraph(
            doc.t(
                "没有找到该企业的建筑（建筑图层的企业代码字段），未计算屋顶光伏。",
                "None of the buildings carries this enterprise's id: no rooftop PV.",
            )
        )
        return
    doc.paragraph(
        doc.t(
            f"该企业 {pv.buildings} 栋建筑（按建筑的企业代码关联）中 {pv.buildings_with_pv} 栋的屋顶可装光伏 "
            f"{num(pv.kwp, 1)} kWp，年发电量约 {num(pv.kwh_yr / 1e4, 1)} "
            f"万 kWh（{num(pv.kwh_per_kwp)} kWh/kWp），"
            f"相当于其用电量的 {pct(100 * pv.kwh_yr / r.electricity_kwh if r.electricity_kwh else None)}。",
            f"{pv.buildings_with_pv} of the enterprise's {pv.buildings} "
            "buildings (joined by their enterprise id) "
            f"take {num(pv.kwp, 1)} kWp on their roofs, producing about {num(pv.kwh_yr)} kWh a year "
            f"({num(pv.kwh_per_kwp)} kWh/kWp), "
            f"{pct(100 * pv.kwh_yr / r.electricity_kwh if r.electricity_kwh else None)} "
            "of its electricity use.",
        )
    )
    t = pv.table.head(TOP_BUILDINGS)
    rows: list[list[str | Cell]] = [
        [
            str(b.get("bldg_id", "")),
            str(b.get("name", "") or ""),
            num(b.get("roof_m2")),
            num(b.get("kwp"), 1),
            num(b.get("kwh_yr")),
            num(b.get("kwh_per_kwp")),
        ]
        for b in t.to_dict("records")
    ]
    rows.append(
        [
            Cell(doc.t("合计", "Total"), bold=True),
            "",
            Cell(num(pv.roof_m2), bold=True),
            Cell(num(pv.kwp, 1), bold=True),
            Cell(num(pv.kwh_yr), bold=True),
            Cell(num(pv.kwh_per_kwp), bold=True),
        ]
    )
    doc.table(
        [
            Column(doc.t("建筑", "Building"), 0.9),
            Column(doc.t("名称", "Name"), 1.4),
            Column(doc.t("屋顶 m²", "Roof m²"), 0.9, "right"),
            Column("kWp", 0.8, "right"),
            Column(doc.t("年发电 kWh", "kWh/yr"), 1.1, "right"),
            Column("kWh/kWp", 0.8, "right"),
        ],
        rows,
        caption=doc.t("各建筑屋顶光伏（发电量大者在前）", "Rooftop PV per building (largest first)"),
    )
    if len(pv.monthly_kwh) == 12:
        series = {doc.t("发电量", "Generation"): [v / 1000 for v in pv.monthly_kwh]}
        doc.figure(
            55,
            lambda p, rect: _draw(charts.monthly_chart(p, rect, series, unit="MWh", lang=doc.lang,
                                                       legend=False)),
            caption=doc.t("逐月发电量（MWh）", "Monthly generation (MWh)"),
        )
    if pv.result is not None and len(pv.result.buildings):
        from app.pv import result_layer
        from app.report.maps import extent_of, report_layer

        gdf = result_layer(pv.result)
        add_map(
            doc,
            [report_layer("rooftop_pv", gdf, doc.lang)],
            doc.t(
                "该企业建筑屋顶光伏年发电量（kWh/m² 屋顶）", "The enterprise's roofs: PV yield per m² of roof"
            ),
            extent=extent_of(gdf, 0.15),
            labels=False,
            max_mm=80,
        )
    doc.note(
        doc.t(
            f"气象：{pv.weather_source.split(' / ')[0]}。只计该企业自身建筑之间的遮挡。",
            f"Weather: {pv.weather_source.split(' / ')[-1]}. Shading among the enterprise's own "
            "buildings only.",
        )
    )


def _money(v) -> str:
    return "–" if v is None else f"{num(v / 1e4, 1)}"


def _package(doc: ReportDocument, r: ToolboxResult) -> None:
    p = r.package
    doc.heading(doc.t("光伏 + 储能 + 绿电方案", "PV + storage + green power"), new_page=True)
    if p is None:
        doc.paragraph(
            doc.t("无法配置方案（没有用电量或屋顶）。", "No package (no electricity use or roofs).")
        )
        return
    if p.estimated:
        doc.paragraph(
            doc.t(
                "【估算】无法对该企业逐时平衡负荷与光伏，以下为年度估算：光伏自用电量按"
                " min(光伏发电量, 用电量) 计（为上限），不配储能，节省电费按分时电价的全年平均购电价计。",
                "[Estimate] The enterprise's load and PV could not be balanced hour by hour; these "
                "are annual estimates: PV used on site = min(PV, electricity use) (an upper bound), "
                "no battery, savings at the tariff's mean import price.",
            ),
            bold=True,
        )
    else:
        battery = (
            doc.t(
                "按全年成本最低优化（HiGHS 线性规划，光伏固定为屋顶潜力）",
                "sized for least annual cost (HiGHS LP, PV fixed at the roof potential)",
            )
            if p.battery_source == "sizing"
            else doc.t(
                f"经济最优储能为 0，按光伏容量的 {DEFAULT_BATTERY_POWER_PCT_OF_PV:g}%、"
                f"{DEFAULT_BATTERY_HOURS:g} 小时配置展示",
                f"the least-cost battery is none; {DEFAULT_BATTERY_POWER_PCT_OF_PV:g} % of the PV capacity "
                f"for {DEFAULT_BATTERY_HOURS:g} h is shown",
            )
        )
        doc.paragraph(
            doc.t(
                "按该企业自身的典型负荷曲线（缩放到能耗表中的用电量）与"
                "其屋顶光伏的逐时出力，逐时平衡全年 8760 小时；"
                f"储能{battery}；自发自用规则调度；电价：{p.tariff}。",
                "The enterprise's own typical load (scaled to its elec"
                "tricity in the energy table) and its roofs' "
                "hourly PV are balanced over the year's 8760 hours; th"
                f"e battery is {battery}; self-consumption "
                f"dispatch; tariff: {p.tariff}.",
            )
        )
    label = doc.t("（估算）", " (estimate)") if p.estimated else ""
    rows: list[list[str | Cell]] = [
        [
            doc.t("光伏装机", "PV"),
            f"{num(p.pv_kwp, 1)} kWp",
            doc.t("储能", "Battery"),
            f"{num(p.battery_kw, 1)} kW / {num(p.battery_kwh, 1)} kWh"
            if p.battery_kwh
            else doc.t("无", "none"),
        ],
        [
            doc.t("年用电量", "Electricity use"),
            f"{num(p.load_kwh / 1e4, 1)} {doc.t('万 kWh', '10⁴ kWh')}",
            doc.t("光伏年发电", "PV generation"),
            f"{num(p.pv_kwh / 1e4, 1)} {doc.t('万 kWh', '10⁴ kWh')}",
        ],
        [
            doc.t("光伏自用（无储能）", "PV used (no battery)"),
            f"{num(p.used_pv_only_kwh / 1e4, 1)} {doc.t('万 kWh', '10⁴ kWh')}",
            doc.t("光伏自用（含储能）", "PV used (battery)"),
            f"{num(p.used_onsite_kwh / 1e4, 1)} {doc.t('万 kWh', '10⁴ kWh')}",
        ],
        [
            doc.t("自给率", "Self-sufficiency"),
            pct(p.self_sufficiency_pct),
            doc.t("自发自用率", "Self-consumption"),
            pct(p.self_consumption_pct),
        ],
        [
            doc.t("外购绿电", "Green power bought"),
            f"{num(p.green_purchase_kwh / 1e4, 1)} {doc.t('万 kWh', '10⁴ kWh')}",
            doc.t("绿电占比", "Green share"),
            pct(p.green_share_pct),
        ],
        [
            doc.t("投资（光伏+储能）", "Investment (PV + battery)"),
            f"{_money(p.capex_yuan)} {doc.t('万元', '10⁴ yuan')}",
            doc.t("年节省电费", "Bill saving"),
            f"{_money(p.annual_saving_yuan)} {doc.t('万元/年', '10⁴ yuan/yr')}",
        ],
        [
            doc.t("净现值 NPV", "NPV"),
            f"{_money(p.npv_yuan)} {doc.t('万元', '10⁴ yuan')}",
            doc.t("内部收益率", "IRR"),
            pct(p.irr_pct),
        ],
        [
            doc.t("静态回收期", "Simple payback"),
            f"{num(p.payback_yr, 1)} {doc.t('年', 'yr')}" if p.payback_yr else "–",
            doc.t("度电成本", "LCOE"),
            f"{num(p.lcoe_yuan_kwh, 3)} {doc.t('元/kWh', 'yuan/kWh')}" if p.lcoe_yuan_kwh else "–",
        ],
        [
            doc.t("绿电溢价支出", "Green premium"),
            f"{_money(p.green_premium_yuan_yr)} {doc.t('万元/年', '10⁴ yuan/yr')}",
            doc.t("电费（前 → 后）", "Bill (before → after)"),
            f"{_money(p.bill_before_yuan)} → {_money(p.bill_after_yuan)} {doc.t('万元', '10⁴ yuan')}",
        ],
    ]
    cols = [
        Column(doc.t("项目", "Item"), 1.1),
        Column(doc.t("数值", "Value"), 1.4),
        Column(doc.t("项目", "Item"), 1.1),
        Column(doc.t("数值", "Value"), 1.4),
    ]
    doc.table(
        cols,
        rows,
        caption=doc.t(f"方案规模、电量与经济性{label}", f"Sizes, energy and economics{label}"),
        size_pt=9.0,
        zebra=False,
    )
    doc.note(
        doc.t(
            f"绿电交易：补足到用电量的 {GREEN_TARGET_PCT:g}%（国家零碳园区指标体系“绿电直供比例 ≥ 50%”），"
            f"溢价按 {GREEN_PREMIUM_YUAN_KWH:g} 元/kWh（2021 年绿电交易"
            "试点成交溢价 0.03–0.05 元/kWh，待核实），"
            "不计入净现值。投资与运维单价、折现率、寿命见 resources/energy/cost_defaults.csv（各有来源）。",
            f"Green power: bought up to {GREEN_TARGET_PCT:g} % of the e"
            "lectricity use (national zero-carbon park "
            "indicator 'directly supplied green power ≥ 50 %'), at a p"
            f"remium of {GREEN_PREMIUM_YUAN_KWH:g} yuan/kWh "
            "(the 2021 pilot trades cleared 0.03–0.05 yuan/kWh above contracts; to verify), outside the NPV. "
            "Unit costs, discount rate and lifetimes: resources/energy"
            "/cost_defaults.csv (each with its source).",
        )
    )
    m = p.monthly
    if m is not None and len(m) == 12 and "load_kwh" in m:
        from layers import charts

        series = {
            doc.t("用电", "Load"): list(m["load_kwh"] / 1e4),
            doc.t("光伏", "PV"): list(m.get("rooftop_pv_kwh", m["load_kwh"] * 0) / 1e4),
            doc.t("电网购电", "Grid import"): list(m["grid_import_kwh"] / 1e4),
        }
        doc.figure(
            60,
            lambda pa, rect: _draw(charts.monthly_chart(pa, rect, series, unit=doc.t("万 kWh", "10⁴ kWh"),
                                                        lang=doc.lang)),
            caption=doc.t("逐月用电、光伏与电网购电（万 kWh）", "Monthly load, PV and grid import (10⁴ kWh)"),
        )


def _measures(doc: ReportDocument, r: ToolboxResult) -> None:
    doc.heading(doc.t("各项措施对碳效等级的影响", "What each measure does to the grade"), new_page=True)
    doc.paragraph(
        doc.t(
            "每项措施的零碳电力按电网排放因子折算为减排量（DB33/T 1347"
            "-2023 的零碳电力扣减），节能按比例减少能耗与排放；"
            f"重新计算 L 与 K 时行业基准 L 保持 {num(r.benchmark_L, 3)} 不变（其他企业不变）。",
            "Each measure's zero-carbon electricity is deducted at the grid factor (DB33/T 1347-2023), the "
            "efficiency measure cuts energy and CO₂ in proportion; L and K are recomputed with the industry "
            f"benchmark L held at {num(r.benchmark_L, 3)} (the other enterprises unchanged).",
        )
    )
    rows: list[list[str | Cell]] = [
        [
            doc.t("现状", "Today"),
            "–",
            "–",
            num(r.L, 3),
            num(r.K, 3),
            _level(doc, r.level),
            _grade_cell(doc, r.grade),
        ]
    ]
    for m in r.measures:
        name = (m.name_zh if doc.lang == "zh" else m.name_en) + (
            doc.t("（估算）", " (est.)") if m.estimated else ""
        )
        rows.append(
            [
                name,
                num(m.t_co2_yr, 1),
                num(m.tce_saved, 1) if m.tce_saved else "–",
                num(m.L_after, 3),
                num(m.K_after, 3),
                _level(doc, m.level_after),
                _grade_cell(doc, m.grade_after),
            ]
        )
    doc.table(
        [
            Column(doc.t("措施", "Measure"), 2.3),
            Column(doc.t("减排 tCO₂/年", "tCO₂/yr less"), 1.0, "right"),
            Column(doc.t("节能 tce/年", "tce/yr saved"), 0.9, "right"),
            Column("L", 0.7, "right"),
            Column("K", 0.7, "right"),
            Column(doc.t("水平", "Level"), 0.6, "center"),
            Column(doc.t("等级", "Grade"), 1.5, "center"),
        ],
        rows,
        caption=doc.t(
            f"措施前后的碳效等级（现状 {r.grade or '–'} 级 → 措施后）",
            f"Grade before ({r.grade or '–'}) and after each measure",
        ),
    )
    doc.heading(doc.t("方法与来源", "Method and sources"), level=2)
    doc.bullets(
        [
            doc.t(
                "碳效等级：浙江省地方标准 DB33/T 1347-2023《工业企业碳"
                "效综合评估与分级赋码规范》；湖州市《规上工业企业"
                "碳效等级评价方法》。行业基准为能耗表中该行业 Σ排放 ÷ Σ增加值。",
                "Grades: Zhejiang DB33/T 1347-2023; Huzhou's method. T"
                "he industry benchmark is Σ CO₂ ÷ Σ value "
                "added of the industry in the energy table.",
            ),
            doc.t(
                f"电网排放因子 {num(r.grid_kg_co2_per_kwh, 4)} kgCO₂/kWh（与排放核算同一因子）。",
                f"Grid factor {num(r.grid_kg_co2_per_kwh, 4)} kgCO₂/kWh (the accounting's own).",
            ),
            doc.t(
                "屋顶光伏：Lingtan 屋顶光伏引擎（pvlib 逐时模型，组件排布与遮挡），只计该企业的建筑。",
                "Rooftop PV: Lingtan's rooftop engine (pvlib hourly chain, module layout, shading) on the "
                "enterprise's buildings only.",
            ),
            doc.t(
                f"节能改造：能耗与排放 −{ENERGY_SAVING_PCT:g}%，取国发〔"
                "2021〕33号《“十四五”节能减排综合工作方案》"
                "单位 GDP 能耗下降 13.5% 的目标。",
                f"Efficiency: energy and CO₂ −{ENERGY_SAVING_PCT:g} %, the national 14th Five-Year target of "
                "−13.5 % energy per unit of GDP (State Council 国发〔2021〕33号).",
            ),
            doc.t(
                "组合方案：先节能，再在减少后的用电量内计光伏自用与外购绿电。",
                "All together: the saving first, then PV used on site and green power within the smaller "
                "electricity use.",
            ),
        ]
    )
    notes = [p for p in r.problems if p.level != "info" or p.code.startswith("toolbox.")]
    if notes:
        doc.heading(doc.t("提示", "Notes"), level=2)
        doc.bullets([p.zh if doc.lang == "zh" else p.en for p in notes])


def write_toolbox_pdf(
    result: ToolboxResult,
    path: str | Path,
    lang: str = "zh",
    *,
    date: dt.date | None = None,
    progress: Progress = NO_PROGRESS,
) -> Path:
    """Write the toolbox PDF of ``result`` to ``path``: written under a temporary name beside it and
    renamed when complete (the report's fonts and text-extraction repair, app.report.build)."""
    from app.outputs import _tmp_beside
    from app.report.pdf_text import fix_cjk_tounicode
    from layers.fonts import bundled_fonts_preferred
    from layers.render import ensure_gui_app

    path = Path(path)
    ensure_gui_app()
    tmp = _tmp_beside(path)
    with bundled_fonts_preferred():
        doc = layout_toolbox(result, lang, date=date)
        progress.report(0.1, f"{len(doc.pages)} pages")
        try:
            doc.write(tmp, progress.sub(0.1, 0.97))
            fix_cjk_tounicode(tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    progress.report(1.0, "written")
    return path
