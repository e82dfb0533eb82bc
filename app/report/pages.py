"""The report's sections, laid out from the typed summary (:class:`app.summaries.ParkSummary`)
and layers.

Every number comes from the summary of the analyses (``ParkResults.sections`` or a saved
project's summary) or from the result layers (top buildings, townships); nothing is recomputed
here except sums and orderings for display.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from app.report.document import Cell, Column, ReportDocument
from app.report.maps import extent_of, map_figure, map_height_mm, report_layer, source_note
from app.summaries import (
    BalanceLines,
    BalanceMetrics,
    BalanceSummary,
    BuildingFacts,
    CarbonSummary,
    EmissionsSummary,
    GreenFacts,
    ParkSummary,
    PVSummary,
    Section,
    SinkSummary,
)
from gis.carbon.indicators import indicator_texts
from gis.crs import crs_name_in
from layers import charts
from layers.layer import VectorLayer

PASS_COLOUR, FAIL_COLOUR, NA_COLOUR = "#1a7f37", "#c62828", "#757575"
FIVE_NAMES = (("绿", "green"), ("蓝", "blue"), ("黄", "yellow"), ("橙", "orange"), ("红", "red"))
TOP_BUILDINGS = 15


@dataclass
class ReportData:
    """What a report is made from: the analyses' summary (typed) and the layers by name."""

    summary: ParkSummary
    layers: dict[str, gpd.GeoDataFrame]
    lang: str = "zh"
    date: dt.date = field(default_factory=dt.date.today)
    organisation: str = ""
    """The preparing organisation (编制单位) on the cover; empty: the line is left out."""

    def layer(self, name: str) -> gpd.GeoDataFrame | None:
        gdf = self.layers.get(name)
        return gdf if gdf is not None and len(gdf) else None


# ---- formatting --------------------------------------------------------------------------------

def num(value, decimals: int = 0) -> str:
    """Thousands separators, "–" for missing; "-" stays ASCII in tables (copy-paste to Excel)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    text = f"{v:,.{decimals}f}"
    return "0" if text.lstrip("-").strip("0.,") == "" else text


def _get(section: Section, name: str, default=None):
    """A field of a saved section, ``default`` when the summary lacks the key (a null stays None)."""
    v = getattr(section, name)
    return default if v is None and name not in section.nulls else v


def pct(value, decimals: int = 1) -> str:
    t = num(value, decimals)
    return t if t == "–" else f"{t}%"


def split_name(name: str, lang: str) -> str:
    """The zh or en half of a bilingual "现状 status quo" name (the whole name if not bilingual)."""
    parts = str(name).split(" ", 1)
    if len(parts) == 2 and any("\u4e00" <= ch <= "\u9fff" for ch in parts[0]) and any(
            ch.isascii() and ch.isalpha() for ch in parts[1]):
        return parts[0] if lang == "zh" else parts[1]
    return str(name)


def date_text(d: dt.date, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else f"{d.day} {d:%B} {d.year}"


def fuel_name(row: dict, lang: str) -> str:
    if lang == "zh":
        return str(row.get("fuel_zh") or row.get("name_zh") or row.get("fuel"))
    return str(row.get("fuel", "")).replace("_", " ")


def co2(lang: str, per_year: bool = True) -> str:
    if not per_year:
        return "tCO₂"
    return "tCO₂/年" if lang == "zh" else "tCO₂/yr"


# ---- drawing helpers ---------------------------------------------------------------------------

def add_map(doc: ReportDocument, layers: list[VectorLayer], caption: str, *, extent=None, labels: bool = True,
            max_mm: float = 150.0) -> None:
    """A map figure as tall as its extent needs next to the legend (at most ``max_mm``)."""
    h = map_height_mm(layers, doc.width / doc.px_per_mm, doc.dpi, doc.lang, extent=extent, max_mm=max_mm)
    doc.figure(h, map_figure(layers, doc.lang, extent=extent, labels=labels), caption=caption)
    doc.note(source_note(layers, doc.inputs, doc.lang))


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def pick(text, lang: str) -> str:
    """The zh or en half of a bilingual "中文 / English" label (the whole text when it is not
    clearly one: sources, whose " / " may separate references, are shown in full)."""
    parts = str(text or "").split(" / ")
    if len(parts) == 2 and _has_cjk(parts[0]) and not _has_cjk(parts[1]):
        return parts[0] if lang == "zh" else parts[1]
    return str(text or "")


def _one_language(text: str, lang: str) -> str:
    """A sink factor's "中文来源 / English source" in ``lang`` (both halves are complete there; the
    English half may quote a Chinese term); other text as it is."""
    from layers.values import bilingual_half

    return bilingual_half(text, lang) or text


UNIT_TEXT = {"m3": "m³", "m2": "m²", "10^4 m3": "10⁴ m³", "10^4 kWh": "10⁴ kWh"}


def unit_text(unit) -> str:
    """A unit as printed: m3 → m³, tCO2/10^4 m3 → tCO₂/10⁴ m³."""
    u = str(unit or "")
    u = u.replace("10^4", "10⁴").replace("m3", "m³").replace("m2", "m²").replace("CO2", "CO₂")
    return u


def crs_note(data: ReportData, doc: ReportDocument) -> str:
    crs = data.summary.park.work_crs
    if not crs:
        any_layer = next((g for g in data.layers.values() if g is not None and g.crs is not None), None)
        crs = any_layer.crs.to_string() if any_layer is not None else doc.t("未知", "unknown")
    return doc.t(f"坐标系：{crs_name_in(str(crs), 'zh')}。比例尺与指北针按该坐标系绘制。",
                 f"Coordinate reference system: {crs}. Scale bar and north arrow refer to it.")


# ---- sections ----------------------------------------------------------------------------------

def cover(doc: ReportDocument, data: ReportData) -> None:
    s, lang = data.summary, data.lang
    park = s.park
    name = park.name or doc.t("园区", "Park")
    page = doc.new_page(decorated=False)
    band_top = doc.mm(18)
    doc.y = band_top + doc.mm(7)
    doc.paragraph(doc.t("零碳园区规划报告", "Zero-Carbon Industrial Park Planning Report"),
                  size_pt=24 if lang == "zh" else 20, bold=True, colour="#ffffff", align="center",
                  space_after_mm=1)
    doc.paragraph(doc.t("屋顶光伏 · 碳排放核算 · 碳汇 · 零碳指标 · 五色图",
                        "Rooftop PV · carbon accounting · sinks · zero-carbon indicators · five-colour map"),
                  size_pt=11, colour="#dce6f2", align="center", space_after_mm=0)
    band = QRectF(0.0, band_top, doc.page_w, doc.y + doc.mm(6) - band_top)
    page.ops.insert(0, lambda p: p.fillRect(band, QColor("#1f4e79")))  # under the title text
    doc.y = band.bottom() + doc.mm(10)
    doc.paragraph(name, size_pt=20, bold=True, align="center", space_after_mm=2)
    facts = []
    if park.area_km2 is not None:
        facts.append(doc.t(f"面积 {num(park.area_km2, 2)} km²（{num(park.area_mu)} 亩）",
                           f"area {num(park.area_km2, 2)} km² ({num(park.area_mu)} mu)"))
    lonlat = park.centre_lon_lat_cgcs2000
    if lonlat:
        facts.append(doc.t(f"中心 东经 {lonlat[0]:.4f}°、北纬 {lonlat[1]:.4f}°（CGCS2000）",
                           f"centre {lonlat[0]:.4f}° E, {lonlat[1]:.4f}° N (CGCS2000)"))
    if facts:
        doc.paragraph("　".join(facts) if lang == "zh" else " · ".join(facts), size_pt=10.5, align="center",
                      colour="#404040")
    org = " ".join(data.organisation.split())  # one line: no line breaks from a form field
    if org:
        doc.paragraph(doc.t(f"编制单位：{org}", f"Prepared by: {org}"), size_pt=11, align="center",
                      colour="#404040", space_after_mm=1)
    doc.paragraph(date_text(data.date, lang), size_pt=11, align="center", colour="#404040", space_after_mm=5)
    towns, boundary = data.layer("townships"), data.layer("boundary")
    layers = []
    if towns is not None:
        layers.append(report_layer("townships", towns, lang))
    elif data.layer("buildings") is not None:
        layers.append(report_layer("buildings", data.layers["buildings"], lang))
    if boundary is not None:
        layers.append(report_layer("boundary", boundary, lang))
    if layers:
        extent = extent_of(towns if towns is not None else boundary, 0.03)
        left_mm = (doc.frame.bottom() - doc.y) / doc.px_per_mm - 24
        add_map(doc, layers, doc.t("园区区位（红线为园区边界）", "Location of the park (red: park boundary)"),
                extent=extent, max_mm=max(min(left_mm, 150.0), 60.0))
    doc.y = doc.frame.bottom() - doc.mm(10)
    doc.note(doc.t("本报告由 Lingtan 零碳园区规划软件根据输入数据自动生成；"
                   "数值为规划阶段估算，仅供决策参考。",
                   "Generated by Lingtan from the input data; figures are planning estimates."))


def overview(doc: ReportDocument, data: ReportData) -> None:
    s, lang = data.summary, data.lang
    park, b, g = s.park, s.facts.buildings or BuildingFacts(), s.facts.green or GreenFacts()
    doc.heading(doc.t("园区概况", "Park overview"), new_page=True)
    text = doc.t(
        f"{_get(park, 'name', '')}面积 {num(park.area_km2, 2)} km²（{num(park.area_mu)} 亩），"
        f"有建筑 {num(b.count)} 栋，占地 {num(_get(b, 'footprint_m2', 0) / 1e4, 1)} 公顷，"
        f"建筑密度 {pct(b.building_coverage_pct)}；绿地 {num(_get(g, 'total_m2', 0) / 1e4, 1)} 公顷"
        f"（绿地率 {pct(g.green_ratio_pct)}）。",
        f"{_get(park, 'name', '')} covers {num(park.area_km2, 2)} km² ({num(park.area_mu)} mu) "
        f"with {num(b.count)} buildings on {num(_get(b, 'footprint_m2', 0) / 1e4, 1)} ha "
        f"(coverage {pct(b.building_coverage_pct)}) and {num(_get(g, 'total_m2', 0) / 1e4, 1)} ha of "
        f"green space ({pct(g.green_ratio_pct)}).")
    doc.paragraph(text)
    rows = key_figures(doc, s)
    if rows:
        doc.key_values(rows, caption=doc.t("主要指标", "Key figures"))
    layers = [report_layer(n, data.layers[n], lang) for n in ("green", "buildings", "tree_rows", "boundary")
              if data.layer(n) is not None]
    if layers:
        caption = doc.t("园区现状：红线、建筑、绿地与行道树",
                        "The park: boundary, buildings, green space, tree rows")
        add_map(doc, layers, caption, extent=extent_of(data.layer("boundary")), labels=False)
        doc.note(crs_note(data, doc))
    by_use = b.by_use or {}
    if by_use:
        total = sum(v.get("footprint_m2", 0) for v in by_use.values()) or 1.0
        rows = [[k, num(v.get("count")), num(v.get("footprint_m2")),
                 pct(100 * v.get("footprint_m2", 0) / total)]
                for k, v in sorted(by_use.items(), key=lambda kv: -kv[1].get("footprint_m2", 0))]
        doc.table([Column(doc.t("用途", "Use"), 2), Column(doc.t("栋数", "Buildings"), 1, "right"),
                   Column(doc.t("占地面积 m²", "Footprint m²"), 1.5, "right"),
                   Column(doc.t("占比", "Share"), 1, "right")], rows,
                  caption=doc.t("建筑按用途", "Buildings by use"))
    kinds = g.area_m2_by_type or {}
    if kinds:
        rows = [[k, num(v / 1e4, 2), pct(100 * v / (g.total_m2 or 1))]
                for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])]
        doc.table([Column(doc.t("绿地类型", "Green type"), 2),
                   Column(doc.t("面积 公顷", "Area ha"), 1, "right"),
                   Column(doc.t("占比", "Share"), 1, "right")], rows,
                  caption=doc.t("绿地按类型", "Green space by type"))


def key_figures(doc: ReportDocument, s: ParkSummary) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    park, b = s.park, s.facts.buildings
    if park:
        rows.append((doc.t("园区面积", "Park area"), f"{num(park.area_km2, 2)} km²"))
    if b:
        rows.append((doc.t("建筑（栋）/ 屋顶面积", "Buildings / roof area"),
                     f"{num(b.count)} / {num(b.roof_m2)} m²"))
    pv = s.pv
    if pv:
        rows.append((doc.t("屋顶光伏装机容量", "Rooftop PV capacity"), f"{num(pv.kwp)} kWp"))
        rows.append((doc.t("屋顶光伏年发电量", "Rooftop PV generation"),
                     f"{num(pv.mwh_yr)} MWh" + doc.t("/年", "/yr")))
    c = s.carbon
    if c and c.scenarios:
        base = c.scenarios[0]
        year = c.balance.year if c.balance else None
        rows.append((doc.t(f"碳排放总量（{year} 年）", f"Emissions ({year})"),
                     f"{num((base.lines or BalanceLines()).gross_t_co2)} tCO₂"))
        rows.append((doc.t("综合能耗", "Energy use"),
                     f"{num((base.metrics or BalanceMetrics()).energy_tce)} tce"))
        rows.append((doc.t("碳汇", "Carbon sinks"), f"{num(c.sinks_t_co2_yr, 1)} {co2(doc.lang)}"))
        for sc in c.scenarios:
            rows.append((doc.t("净排放 · ", "Net emissions · ") + split_name(sc.scenario, doc.lang),
                         f"{num((sc.lines or BalanceLines()).net_t_co2)} tCO₂"))
    return rows


def rooftop_pv(doc: ReportDocument, data: ReportData) -> None:
    pv, lang = data.summary.pv, data.lang
    doc.heading(doc.t("屋顶光伏潜力", "Rooftop PV potential"), new_page=True)
    if not pv:
        doc.paragraph(doc.t("未计算屋顶光伏。", "Rooftop PV was not computed."))
        return
    mwh = pv.mwh_yr
    grid = (pv.grid_factor or {}).get("kg_co2_per_kwh")
    doc.paragraph(doc.t(
        f"{num(pv.buildings_with_pv)} 栋建筑的屋顶可安装 {num(pv.modules)} 块 "
        f"{num(pv.module_w)} W 组件，装机容量 {num(pv.kwp)} kWp"
        f"（{num(pv.mwp, 1)} MWp），"
        f"年发电量约 {num(mwh)} MWh，等效利用小时 {num(pv.kwh_per_kwp)} kWh/kWp，"
        f"按电网因子 {grid} kgCO₂/kWh 年减排 {num(pv.t_co2_yr)} tCO₂。",
        f"The roofs of {num(pv.buildings_with_pv)} buildings take {num(pv.modules)} modules of "
        f"{num(pv.module_w)} W: {num(pv.kwp)} kWp ({num(pv.mwp, 1)} MWp) producing "
        f"about {num(mwh)} MWh a year ({num(pv.kwh_per_kwp)} kWh/kWp), avoiding "
        f"{num(pv.t_co2_yr)} tCO₂ a year at {grid} kgCO₂/kWh."))
    rows = [
        (doc.t("屋顶面积", "Roof area"), f"{num(pv.roof_m2)} m²"),
        (doc.t("可用面积", "Usable area"), f"{num(pv.usable_m2)} m²"),
        (doc.t("组件数量", "Modules"), f"{num(pv.modules)} × {num(pv.module_w)} W"),
        (doc.t("装机容量", "Capacity"), f"{num(pv.kwp)} kWp"),
        (doc.t("年发电量", "Annual generation"), f"{num(mwh)} MWh"),
        (doc.t("单位容量发电量", "Specific yield"), f"{num(pv.kwh_per_kwp)} kWh/kWp"),
        (doc.t("单位屋顶面积装机", "Capacity per roof area"), f"{num(pv.wp_per_roof_m2, 1)} Wp/m²"),
        (doc.t("遮挡损失", "Shading loss"), pct(pv.shade_loss_pct, 2)),
        (doc.t("系统损失", "System losses"), pct(pv.losses_pct)),
        (doc.t("年减排量", "Avoided emissions"), f"{num(pv.t_co2_yr)} {co2(lang)}"),
    ]
    doc.key_values(rows, caption=doc.t("屋顶光伏合计", "Rooftop PV totals"), pairs_per_row=2)
    gdf = data.layer("rooftop_pv")
    if gdf is not None:
        layers = [report_layer("rooftop_pv", gdf, lang)]
        if data.layer("boundary") is not None:
            layers.append(report_layer("boundary", data.layers["boundary"], lang))
        caption = doc.t("建筑屋顶光伏年发电量（kWh/m² 屋顶）", "Rooftop PV yield per m² of roof (kWh/m²)")
        add_map(doc, layers, caption, extent=extent_of(data.layer("boundary")), labels=False)
    monthly = pv.monthly_kwh
    if monthly and len(monthly) == 12:
        mwh_m = [v / 1000 for v in monthly]
        series = {doc.t("发电量", "Generation"): mwh_m}
        doc.figure(70, lambda p, r: charts.monthly_chart(p, r, series, unit="MWh", lang=lang, legend=False,
                                                         value_labels=True, colours=["#E69F00"]),
                   caption=doc.t("屋顶光伏逐月发电量", "Rooftop PV generation by month"))
    by_roof = pv.by_roof_class or {}
    if by_roof:
        names = {"flat": ("平屋面", "flat"), "metal": ("彩钢屋面", "metal"), "pitched": ("坡屋面", "pitched")}
        rows = [[names.get(k, (k, k))[0 if lang == "zh" else 1], num(v.get("buildings")), num(v.get("kwp")),
                 num(v.get("kwh_yr", 0) / 1000)] for k, v in by_roof.items()]
        doc.table([Column(doc.t("屋面类型", "Roof type"), 2),
                   Column(doc.t("建筑数", "Buildings"), 1, "right"),
                   Column("kWp", 1, "right"), Column(doc.t("MWh/年", "MWh/yr"), 1, "right")], rows,
                  caption=doc.t("按屋面类型", "By roof type"))
    nea = pv.nea_2021_check or {}
    if nea:
        rows = [[v.get("name_zh") if lang == "zh" else k.replace("_", " "), num(v.get("buildings")),
                 pct(100 * v.get("min_share", 0), 0), pct(100 * v.get("install_share", 0)),
                 Cell(doc.t("满足", "met") if v.get("meeting") == v.get("buildings") else
                      f"{v.get('meeting')}/{v.get('buildings')}",
                      PASS_COLOUR if v.get("meeting") == v.get("buildings") else FAIL_COLOUR)]
                for k, v in nea.items()]
        doc.table([Column(doc.t("建筑类别", "Building class"), 2),
                   Column(doc.t("建筑数", "Buildings"), 1, "right"),
                   Column(doc.t("最低安装比例", "Minimum share"), 1.2, "right"),
                   Column(doc.t("实际安装比例", "Installed share"), 1.2, "right"),
                   Column(doc.t("结论", "Result"), 1, "center")], rows,
                  caption=doc.t("整县屋顶分布式光伏试点安装比例要求（国家能源局 2021）",
                                "County-wide rooftop PV pilot minimum shares (NEA 2021)"))
    if gdf is not None:
        top_buildings(doc, gdf, lang)


def top_buildings(doc: ReportDocument, gdf: gpd.GeoDataFrame, lang: str) -> None:
    if "kwh_yr" not in gdf.columns:
        return
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    df["kwh_yr"] = pd.to_numeric(df["kwh_yr"], errors="coerce")
    top = df.sort_values("kwh_yr", ascending=False, kind="stable").head(TOP_BUILDINGS)
    ident = next((c for c in ("bldg_id", "id", "source_fid") if c in top.columns), None)

    def text(row, col):
        v = row.get(col) if col else None
        return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)

    rows = []
    for rank, (_, r) in enumerate(top.iterrows(), start=1):
        roof = float(r.get("roof_m2", np.nan))
        per_m2 = r["kwh_yr"] / roof if roof and roof > 0 else np.nan
        rows.append([str(rank), text(r, ident), text(r, "name"), text(r, "use"), num(roof),
                     num(r.get("kwp"), 1), num(r["kwh_yr"] / 1000, 1), num(per_m2)])
    doc.table([Column(doc.t("序号", "No."), 0.6, "right"), Column(doc.t("建筑编号", "Building"), 1.3),
               Column(doc.t("名称", "Name"), 2.2), Column(doc.t("用途", "Use"), 0.9),
               Column(doc.t("屋顶 m²", "Roof m²"), 1.1, "right"), Column("kWp", 1.0, "right"),
               Column(doc.t("MWh/年", "MWh/yr"), 1.1, "right"), Column("kWh/m²", 0.9, "right")], rows,
              caption=doc.t(f"年发电量最大的 {len(rows)} 栋建筑",
                            f"The {len(rows)} buildings with the largest yield"))


def _skipped_reason(doc: ReportDocument, data: ReportData, analysis: str) -> str:
    """Why an analysis was not run, as the run recorded it (e.g. no energy table), or ""."""
    step = data.summary.skipped_reason(analysis)
    if step is None:
        return ""
    return doc.t(_get(step, "zh", ""), " " + _get(step, "en", ""))


def sinks(doc: ReportDocument, data: ReportData) -> None:
    c, lang = data.summary.carbon or CarbonSummary(), data.lang
    doc.heading(doc.t("绿地与碳汇", "Green space and carbon sinks"), new_page=True)
    gs, ts = c.green_sinks or SinkSummary(), c.tree_sinks or SinkSummary()
    if not gs and not ts:
        doc.paragraph(doc.t("未计算碳汇。",
                            "Sinks were not computed.") + _skipped_reason(doc, data, "carbon"))
        return
    doc.paragraph(doc.t(
        f"园区绿地 {num(gs.land_area_ha, 1)} 公顷年固碳 {num(gs.total_t_co2_yr, 1)} tCO₂，"
        f"行道树树冠 {num(_get(ts, 'canopy_area_m2', 0) / 1e4, 1)} 公顷年固碳 "
        f"{num(ts.total_t_co2_yr, 1)} tCO₂，"
        f"合计 {num(c.sinks_t_co2_yr, 1)} tCO₂/年。",
        f"Green space of {num(gs.land_area_ha, 1)} ha removes {num(gs.total_t_co2_yr, 1)} "
        f"tCO₂ a year and street-tree canopy of {num(_get(ts, 'canopy_area_m2', 0) / 1e4, 1)} ha "
        f"{num(ts.total_t_co2_yr, 1)} tCO₂: {num(c.sinks_t_co2_yr, 1)} tCO₂/yr in all."))
    layers = []
    for name in ("buildings", "green_sinks", "tree_sinks", "boundary"):
        gdf = data.layer(name)
        if gdf is None and name == "green_sinks":
            gdf, name = data.layer("green"), "green"
        if gdf is None and name == "tree_sinks":
            gdf, name = data.layer("tree_rows"), "tree_rows"
        if gdf is not None:
            layers.append(report_layer(name, gdf, lang))
    if layers:
        add_map(doc, layers, doc.t("绿地类型与行道树碳汇", "Green space by cover and tree-row sinks"),
                extent=extent_of(data.layer("boundary")), labels=False)
    rows = []
    for part in (gs, ts):
        for r in part.by_class or []:
            rows.append([r.get("name_zh") if lang == "zh" else r.get("name_en"), num(r.get("n")),
                         num(r.get("area_ha"), 2), num(r.get("t_co2_per_ha_yr"), 2),
                         num(r.get("t_co2_yr"), 1), _one_language(str(r.get("source", "")), lang)])
    if rows:
        rows.append([Cell(doc.t("合计", "Total"), bold=True), "", "", "",
                     Cell(num(c.sinks_t_co2_yr, 1), bold=True), ""])
        doc.table([Column(doc.t("类别", "Class"), 1.4), Column(doc.t("数量", "Count"), 0.8, "right"),
                   Column(doc.t("面积 公顷", "Area ha"), 1.0, "right"),
                   Column("tCO₂/(ha·" + doc.t("年)", "yr)"), 1.1, "right"),
                   Column(co2(lang), 1.1, "right"), Column(doc.t("因子来源", "Factor source"), 4.0)], rows,
                  caption=doc.t("碳汇按类别（面积 × 碳汇因子）", "Sinks by class (area × factor)"), size_pt=8)
    doc.note(doc.t("行道树按树冠投影面积计；与林地重叠的树冠不重复计算。",
                   "Street trees count by canopy area; canopy over forest land is not counted twice."))


def emissions(doc: ReportDocument, data: ReportData) -> None:
    c, lang = data.summary.carbon or CarbonSummary(), data.lang
    doc.heading(doc.t("碳排放核算", "Carbon emissions"), new_page=True)
    e = c.emissions or EmissionsSummary()
    total = e.total or {}
    if not total:
        doc.paragraph(doc.t("未核算排放。",
                            "Emissions were not accounted.") + _skipped_reason(doc, data, "carbon"))
        return
    fs = e.factor_set or {}
    doc.paragraph(doc.t(
        f"{total.get('year')} 年园区 {num(total.get('entities'))} 家企业碳排放 "
        f"{num(total.get('t_co2'))} tCO₂，"
        f"其中范围一（化石燃料直接燃烧）{num(total.get('t_co2_scope1'))} tCO₂，范围二（外购电力、热力）"
        f"{num(total.get('t_co2_scope2'))} tCO₂；综合能耗 {num(total.get('tce'))} tce，单位能耗碳排放 "
        f"{num(total.get('t_co2_per_tce'), 2)} tCO₂/tce，单位工业增加值碳排放 "
        f"{num(total.get('t_co2_per_10k_yuan'), 3)} tCO₂/万元。"
        f"排放因子：{fs.get('name_zh', fs.get('key', ''))}。",
        f"In {total.get('year')} the park's {num(total.get('entities'))} enterprises emitted "
        f"{num(total.get('t_co2'))} tCO₂: scope 1 (fuels burnt on site) "
        f"{num(total.get('t_co2_scope1'))} tCO₂, "
        f"scope 2 (purchased electricity and heat) {num(total.get('t_co2_scope2'))} tCO₂; energy use "
        f"{num(total.get('tce'))} tce, {num(total.get('t_co2_per_tce'), 2)} tCO₂/tce, "
        f"{num(total.get('t_co2_per_10k_yuan'), 3)} tCO₂ per 10⁴ yuan of value added. Emission factors: "
        f"{fs.get('name_en', fs.get('key', ''))}."))
    by_fuel = [r for r in e.by_fuel or [] if r.get("year", total.get("year")) == total.get("year")]
    if by_fuel:
        names = [fuel_name(r, lang) for r in by_fuel]
        values = [r.get("t_co2", 0) for r in by_fuel]
        doc.side_by_side(68, [
            lambda p, r: charts.bar_chart(p, r, names, {co2(lang, False): values}, unit="tCO₂",
                                          horizontal=True, legend=False, value_labels=True,
                                          title=doc.t("分能源品种排放", "Emissions by fuel")),
            lambda p, r: charts.pie_chart(p, r, names, values, unit="tCO₂", donut=True,
                                          title=doc.t("排放构成", "Share of emissions")),
        ])
        rows = [[fuel_name(r, lang),
                 doc.t(f"范围{'一' if r.get('scope') == 1 else '二'}", f"scope {r.get('scope')}"),
                 f"{num(r.get('amount'))} {unit_text(r.get('unit'))}", num(r.get("tce")), num(r.get("t_co2")),
                 pct(r.get("share_pct"))] for r in by_fuel]
        rows.append([Cell(doc.t("合计", "Total"), bold=True), "", "", Cell(num(total.get("tce")), bold=True),
                     Cell(num(total.get("t_co2")), bold=True), "100%"])
        doc.table([Column(doc.t("能源品种", "Fuel"), 1.3), Column(doc.t("范围", "Scope"), 0.8),
                   Column(doc.t("消费量", "Amount"), 2.0, "right"), Column("tce", 1.2, "right"),
                   Column("tCO₂", 1.3, "right"), Column(doc.t("占比", "Share"), 0.9, "right")], rows,
                  caption=doc.t("分能源品种排放", "Emissions by fuel"))
    by_sector = [r for r in e.by_sector or [] if r.get("year", total.get("year")) == total.get("year")]
    if by_sector:
        by_sector = sorted(by_sector, key=lambda r: -(r.get("t_co2") or 0))
        cats = [str(r.get("sector")) for r in by_sector]
        series = {doc.t("范围一", "Scope 1"): [r.get("t_co2_scope1", 0) for r in by_sector],
                  doc.t("范围二", "Scope 2"): [r.get("t_co2_scope2", 0) for r in by_sector]}
        h = min(30 + 6.5 * len(cats), 150)
        doc.figure(h, lambda p, r: charts.bar_chart(p, r, cats, series, unit="tCO₂", stacked=True,
                                                    horizontal=True, value_labels=True),
                   caption=doc.t("分行业排放（范围一、范围二）", "Emissions by sector (scope 1 and 2)"))
    top = e.top_entities or []
    if top:
        rows = [[str(i + 1), str(r.get("name") or r.get("entity")), str(r.get("sector", "")),
                 num(r.get("t_co2")), num(r.get("tce")), pct(r.get("share_pct")),
                 num(r.get("t_co2_per_10k_yuan"), 3)]
                for i, r in enumerate(top)]
        doc.table([Column(doc.t("序号", "No."), 0.5, "right"), Column(doc.t("企业", "Enterprise"), 3.0),
                   Column(doc.t("行业", "Sector"), 1.3), Column("tCO₂", 1.2, "right"),
                   Column("tce", 1.1, "right"),
                   Column(doc.t("占比", "Share"), 0.8, "right"),
                   Column(doc.t("tCO₂/万元", "tCO₂/10⁴ yuan"), 1.1, "right")], rows,
                  caption=doc.t("排放量最大的企业", "Largest emitters"))


def balance_steps(lines: BalanceLines | dict | None, lang: str) -> list[tuple[str, float]]:
    """Waterfall steps of a scenario (tCO2/yr): gross, − PV, − green power, − sinks (+ any
    remainder)."""
    zh = lang == "zh"
    ln = lines if isinstance(lines, BalanceLines) else BalanceLines.from_dict(lines)
    steps = [("总排放" if zh else "Gross", ln.gross_t_co2 or 0.0),
             ("屋顶光伏" if zh else "Rooftop PV", -ln.pv_avoided_t_co2),
             ("绿电" if zh else "Green power", -(ln.green_power_avoided_t_co2 or 0)),
             ("碳汇" if zh else "Sinks", -(ln.sinks_t_co2 or 0))]
    rest = (ln.net_t_co2 or 0) - sum(v for _, v in steps)
    if abs(rest) > 0.5:
        steps.append(("其他" if zh else "Other", rest))
    return steps


def balance(doc: ReportDocument, data: ReportData) -> None:
    c, lang = data.summary.carbon or CarbonSummary(), data.lang
    doc.heading(doc.t("碳平衡与情景", "Carbon balance and scenarios"), new_page=True)
    b = c.balance or BalanceSummary()
    scenarios = b.scenarios or []
    if not scenarios:
        doc.paragraph(doc.t("未计算碳平衡。",
                            "The balance was not computed.") + _skipped_reason(doc, data, "carbon"))
        return
    doc.paragraph(doc.t(
        f"净排放 = 总排放 − 屋顶光伏替代电网电力的减排 − 绿电 − 碳汇（{b.year} 年，电网因子 "
        f"{b.grid_kg_co2_per_kwh} kgCO₂/kWh）。下表与下图比较各情景。",
        f"Net emissions = gross − grid power replaced by rooftop PV − green power − sinks "
        f"({b.year}, grid "
        f"factor {b.grid_kg_co2_per_kwh} kgCO₂/kWh). The table and charts compare the scenarios."))
    rows = []
    for sc in scenarios:
        ln, m = sc.lines or BalanceLines(), sc.metrics or BalanceMetrics()
        rows.append([split_name(sc.scenario, lang), num(ln.gross_t_co2), num(ln.pv_avoided_t_co2),
                     num(ln.green_power_avoided_t_co2), num(ln.sinks_t_co2, 1),
                     Cell(num(ln.net_t_co2), bold=True), num(m.t_co2_per_tce, 2),
                     pct(m.clean_energy_share_pct)])
    doc.table([Column(doc.t("情景", "Scenario"), 1.7), Column(doc.t("总排放", "Gross"), 1.2, "right"),
               Column(doc.t("光伏减排", "PV"), 1.0, "right"),
               Column(doc.t("绿电", "Green power"), 1.0, "right"),
               Column(doc.t("碳汇", "Sinks"), 0.8, "right"), Column(doc.t("净排放", "Net"), 1.2, "right"),
               Column("tCO₂/tce", 0.9, "right"),
               Column(doc.t("清洁能源占比", "Clean energy"), 1.0, "right")], rows,
              caption=doc.t("各情景碳平衡（tCO₂/年）", "Carbon balance by scenario (tCO₂/yr)"))

    def waterfall(sc):
        steps = balance_steps(sc.lines, lang)
        title = split_name(sc.scenario, lang)
        return lambda p, r: charts.balance_chart(p, r, steps, unit=co2(lang), title=title, lang=lang,
                                                 net_label=doc.t("净排放", "Net"))
    for i in range(0, len(scenarios), 2):
        pair = scenarios[i:i + 2]
        draws = [waterfall(sc) for sc in pair]
        if len(draws) == 1:
            doc.figure(78, draws[0], width_mm=doc.frame.width() / doc.px_per_mm / 2)
        else:
            doc.side_by_side(78, draws)
    doc.note(doc.t("图中灰色为总排放，绿色为减排项，蓝色为净排放。",
                   "Grey: gross emissions; green: reductions; blue: net emissions."))


def indicators(doc: ReportDocument, data: ReportData) -> None:
    c, lang = data.summary.carbon or CarbonSummary(), data.lang
    b = c.balance or BalanceSummary()
    items = b.indicators or []
    doc.heading(doc.t("零碳园区指标评价", "Zero-carbon park indicators"), new_page=True)
    if not items:
        doc.paragraph(doc.t("未评价指标。",
                            "No indicators were checked.") + _skipped_reason(doc, data, "carbon"))
        return
    set_name = str(_get(b, "indicator_set_name", _get(b, "indicator_set", "")))
    set_name = set_name.split(" / ")[0 if lang == "zh" else -1]
    doc.paragraph(doc.t(f"指标体系：{set_name}。核心指标为否决项；“缺数据”表示需补充园区资料。",
                        f"Indicator set: {set_name}. Core indicators are veto items; "
                        "'no data' needs park facts."))
    scenarios = list(dict.fromkeys(i.scenario for i in items))
    keys = list(dict.fromkeys(i.indicator_key for i in items))
    by = {(i.scenario, i.indicator_key): i for i in items}
    comp = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "==": "="}
    status_en = {"pass": "pass", "fail": "fail", "no data": "no data", "not applicable": "n/a"}
    rows = []
    for k in keys:
        first = next(by[(s, k)] for s in scenarios if (s, k) in by)
        kind = str(_get(first, "kind", ""))
        core = "core" in kind
        kind_t = doc.t("核心（否决）" if core else "引导", "core (veto)" if core else "guiding")
        name = first.name_zh if lang == "zh" else first.name_en
        unit = unit_text(_get(first, "unit", ""))
        op = comp.get(first.comparator, _get(first, "comparator", ""))
        req = f"{op} {num(first.threshold, 2)} {unit}"
        row: list = [f"{name}\n{kind_t}", req.strip()]
        for s in scenarios:
            it = by.get((s, k))
            if it is None:
                row.append("")
                continue
            st = str(_get(it, "status", ""))
            colour = PASS_COLOUR if st == "pass" else FAIL_COLOUR if st == "fail" else NA_COLOUR
            v = it.value
            vt = num(v, 2 if (isinstance(v, (int, float)) and abs(v) < 100) else 0)
            label = _get(it, "status_zh", st) if lang == "zh" else status_en.get(st, st)
            row.append(Cell(f"{vt}\n{label}", colour, bold=st in ("pass", "fail")))
        src, note = indicator_texts(first, lang)  # the source and note in the report's language
        row.append(src + (f"；{note}" if note and lang == "zh" else f"; {note}" if note else ""))
        rows.append(row)
    cols = [Column(doc.t("指标", "Indicator"), 2.0), Column(doc.t("要求", "Requirement"), 1.1)]
    cols += [Column(split_name(s, lang), 1.0, "center") for s in scenarios]
    cols += [Column(doc.t("依据与说明", "Source and note"), 3.2)]
    doc.table(cols, rows, caption=doc.t("零碳园区指标（数值、阈值、达标情况、来源）",
                                        "Zero-carbon park indicators (value, threshold, result, source)"),
              size_pt=7.5)


def intensity(doc: ReportDocument, data: ReportData) -> None:
    s, lang = data.summary.intensity, data.lang
    gdf = data.layer("township_intensity")
    q = (s.extra if s else {}) or {}  # the mapped quantity (app.intensity_map.QUANTITIES), carbon by default
    q_zh, q_en = q.get("quantity_zh", "碳排放强度"), q.get("quantity_en", "carbon intensity")
    doc.heading(doc.t(f"乡镇街道{q_zh}五色图", f"Five-colour township map: {q_en}"), new_page=True)
    if not s or gdf is None:
        doc.paragraph(doc.t("没有乡镇统计数据，未绘制五色图。",
                            "No township statistics: the map was not drawn."))
        return
    c = _get(s, "classification", {})
    doc.paragraph(doc.t(
        f"{s.year} 年 {num(s.townships)} 个乡镇街道（匹配统计数据 {num(s.matched)} 个）"
        f"按{q_zh}"
        f"分为五级，由低到高依次为绿、蓝、黄、橙、红，无数据为灰色。方法：{c.get('description_zh', '')}",
        f"{num(s.townships)} townships ({num(s.matched)} with statistics), {s.year}, "
        f"in five "
        f"classes of {q_en} from low to high: green, blue, yellow, orange, red; grey = no data. "
        f"Method: {c.get('description_en', '')}"))
    unit = c.get("unit_zh") if lang == "zh" else c.get("unit_en")
    unit = "" if c.get("quantity") == "k_ratio" else unit or ""
    layers = [report_layer("township_intensity", gdf, lang, breaks=c.get("breaks"), unit=unit,
                           method_zh=c.get("description_zh", ""), method_en=c.get("description_en", ""),
                           classification=c or None)]  # its labels: the classes' ranges in both units
    if data.layer("boundary") is not None:
        layers.append(report_layer("boundary", data.layers["boundary"], lang))
    add_map(doc, layers, doc.t(f"乡镇街道{q_zh}五色图（{s.year} 年）",
                               f"Township {q_en}, {s.year}"), extent=extent_of(gdf, 0.02))
    labels = c.get("labels_zh" if lang == "zh" else "labels_en") or []
    counts = c.get("counts") or []
    rows = [[Cell("", fill=col), FIVE_NAMES[k][0 if lang == "zh" else 1],
             labels[k] if k < len(labels) else "",
             num(counts[k]) if k < len(counts) else ""]
            for k, col in enumerate(("#00a651", "#2171b5", "#ffe066", "#f58220", "#d7191c"))]
    rows.append([Cell("", fill="#bdbdbd"), doc.t("灰", "grey"), doc.t("无数据", "no data"),
                 num(c.get("no_data", 0))])
    doc.table([Column("", 0.4), Column(doc.t("级别", "Class"), 0.8), Column(doc.t("范围", "Range"), 4.0),
               Column(doc.t("乡镇数", "Townships"), 1.0, "right")], rows,
              caption=doc.t("五色分级", "The five classes"), zebra=False)
    df = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    vcol = "value" if "value" in df.columns and q.get("quantity", "carbon") != "carbon" else "intensity"
    for col in ("t_co2", "gdp_10k_yuan", "intensity", "value", "k_ratio", "class"):
        if col in df.columns:
            df[col] = pd.to_numeric(df[col], errors="coerce")
    if "class" in df.columns:
        df = df.sort_values(["class", vcol] if vcol in df.columns else ["class"],
                            ascending=False, kind="stable")
    colours = ("#bdbdbd", "#00a651", "#2171b5", "#ffe066", "#f58220", "#d7191c")
    rows = []
    for _, r in df.iterrows():
        k = int(r["class"]) if "class" in r and pd.notna(r["class"]) else 0
        k = k if 0 <= k <= 5 else 0
        name = FIVE_NAMES[k - 1][0 if lang == "zh" else 1] if k else doc.t("无数据", "no data")
        rows.append([str(r.get("name", r.get("code", ""))), str(r.get("code", "")), num(r.get("t_co2")),
                     num(r.get("gdp_10k_yuan")), num(r.get(vcol), 4), num(r.get("k_ratio"), 2),
                     Cell(name, fill=colours[k], colour="#ffffff" if k in (1, 2, 5) else None)])
    doc.table([Column(doc.t("乡镇街道", "Township"), 1.6), Column(doc.t("代码", "Code"), 1.6),
               Column("tCO₂", 1.2, "right"), Column(doc.t("GDP 万元", "GDP 10⁴ yuan"), 1.3, "right"),
               Column(doc.t(f"{q_zh} {q.get('quantity_unit_zh') or 'tCO₂/万元'}",
                            f"{q_en}, {q.get('quantity_unit') or 'tCO₂/10⁴ yuan'}"), 1.3, "right"),
               Column("K", 0.7, "right"), Column(doc.t("级别", "Class"), 0.8, "center")], rows,
              caption=doc.t(f"乡镇街道{q_zh}", f"Township {q_en}"))


def assumptions(doc: ReportDocument, data: ReportData) -> None:
    s, lang = data.summary, data.lang
    doc.heading(doc.t("假设与数据来源", "Assumptions and data sources"), new_page=True)
    c = s.carbon or CarbonSummary()
    e = c.emissions or EmissionsSummary()
    fs = e.factor_set or {}
    pv = s.pv or PVSummary()
    rows: list[tuple[str, str]] = []
    if fs:
        rows.append((doc.t("排放因子集", "Emission-factor set"),
                     f"{fs.get('name_zh') if lang == 'zh' else fs.get('name_en')} ({fs.get('key')}, "
                     f"{fs.get('year')})"))
    b = c.balance or BalanceSummary()
    if b:
        rows.append((doc.t("核算年份", "Accounting year"), str(b.year)))
        rows.append((doc.t("电网排放因子", "Grid emission factor"),
                     f"{b.grid_kg_co2_per_kwh} kgCO₂/kWh"))
        name = str(_get(b, "indicator_set_name", "")).split(" / ")
        rows.append((doc.t("指标体系", "Indicator set"), name[0] if lang == "zh" else name[-1]))
    if pv:
        rows.append((doc.t("气象数据", "Weather data"), pick(_get(pv, "weather_source", ""), lang)))
        rows.append((doc.t("年水平面总辐射", "Annual global horizontal irradiation"),
                     f"{num(pv.annual_ghi_kwh_m2, 1)} kWh/m²"))
        rows.append((doc.t("组件功率", "Module power"), f"{num(pv.module_w)} W"))
        rows.append((doc.t("系统损失", "System losses"), pct(pv.losses_pct)))
        rows.append((doc.t("邻近建筑遮挡", "Neighbour shading"),
                     doc.t("计算", "computed") if pv.shading else doc.t("未计算", "not computed")))
        rows.append((doc.t("纬度", "Latitude"), f"{pv.latitude}°"))
        gf = pv.grid_factor or {}
        if gf:
            key = str(gf.get("key", ""))
            if lang == "zh" and key.startswith("factor set "):
                key = "排放因子集 " + key[len("factor set "):]
            rows.append((doc.t("光伏减排因子", "PV avoided-emission factor"),
                         f"{gf.get('kg_co2_per_kwh')} kgCO₂/kWh" + doc.t(f"（{key}）", f" ({key})")))
    gs = c.green_sinks or SinkSummary()
    if gs:
        rows.append((doc.t("碳汇因子", "Sink factors"), str(_get(gs, "factors", ""))))
    if rows:
        doc.key_values(rows, caption=doc.t("计算参数", "Parameters"), weights=(1.0, 2.4))
    factors = fs.get("factors") or []
    if factors:
        status = {"checked": ("已核实", "checked"), "unverified": ("未核实", "unverified")}
        frows = [[r.get("name_zh") if lang == "zh" else str(r.get("fuel", "")).replace("_", " "),
                  f"{r.get('value')} {unit_text(r.get('unit'))}", str(r.get("tce_per_unit", "")),
                  Cell(status.get(r.get("status"), (r.get("status"),) * 2)[0 if lang == "zh" else 1],
                       PASS_COLOUR if r.get("status") == "checked" else FAIL_COLOUR),
                  str(r.get("source", ""))] for r in factors]
        doc.table([Column(doc.t("能源", "Fuel"), 0.9), Column(doc.t("排放因子", "Factor"), 1.5),
                   Column(doc.t("折标系数", "tce/unit"), 1.0), Column(doc.t("状态", "Status"), 0.8, "center"),
                   Column(doc.t("来源", "Source"), 4.5)], frows,
                  caption=doc.t("排放因子及来源", "Emission factors and sources"), size_pt=7.5)
    inputs = s.facts.inputs or {}
    if inputs:
        names = {"boundary": ("园区红线", "boundary"), "buildings": ("建筑", "buildings"),
                 "green": ("绿地", "green"), "tree_rows": ("行道树", "tree rows"),
                 "townships": ("乡镇街道", "townships"), "enterprises": ("企业能耗", "enterprise energy"),
                 "township_stats": ("乡镇统计", "township stats")}

        def file_text(v: dict) -> str:
            name = str(v.get("path", "")).replace("\\", "/").rsplit("/", 1)[-1]
            return name + (f" : {v['layer']}" if v.get("layer") else "")

        irows = [[names.get(k, (k, k))[0 if lang == "zh" else 1],
                  file_text(v), str(v.get("format", "")),
                  "–" if v.get("crs") in (None, "", "unknown") else crs_name_in(str(v.get("crs")), lang),
                  num(v.get("features")),
                  num(len(v.get("problems") or []))] for k, v in inputs.items()]
        doc.table([Column(doc.t("数据", "Data"), 1.1), Column(doc.t("文件", "File"), 2.2),
                   Column(doc.t("格式", "Format"), 1.0), Column(doc.t("坐标系", "CRS"), 2.4),
                   Column(doc.t("要素/行", "Features"), 0.8, "right"),
                   Column(doc.t("问题", "Problems"), 0.7, "right")],
                  irows, caption=doc.t("输入数据", "Input data"), size_pt=7.5)
    problems = collect_problems(s)
    if problems:
        doc.heading(doc.t("数据检查与提示", "Checks and notes"), level=2, keep_with_mm=15)
        doc.bullets([(p.get("zh") if lang == "zh" else p.get("en")) or "" for p in problems[:40]],
                    size_pt=8.5)
        if len(problems) > 40:
            doc.note(doc.t(f"另有 {len(problems) - 40} 条提示见 summary.json。",
                           f"{len(problems) - 40} more notes in summary.json."))
    doc.heading(doc.t("说明", "Notes"), level=2, keep_with_mm=15)
    doc.paragraph(doc.t(
        "光伏发电量按典型年气象数据估算，未计组件衰减；减排量按所选电网排放因子计算。碳汇因子为年均值。"
        "指标评价依据所选指标体系，缺数据的指标需补充园区资料后再评价。",
        "PV yield is estimated from typical-year weather without module degradation; avoided emissions "
        "use the chosen grid factor. Sink factors are annual averages. Indicators marked 'no data' need "
        "park facts."),
        size_pt=9)


def collect_problems(s: ParkSummary) -> list[dict]:
    """Warnings first, then notes, from every part of the summary (deduplicated by text)."""
    found: list[dict] = list(s.facts.problems or [])
    for v in (s.facts.inputs or {}).values():
        found += v.get("problems") or []
    c = s.carbon or CarbonSummary()
    for part in (s.pv, c.emissions, c.green_sinks, c.tree_sinks, s.intensity):
        found += (part.problems if part is not None else None) or []
    seen, out = set(), []
    for p in found:
        key = (p.get("zh"), p.get("en"))
        if key in seen or not isinstance(p, dict):
            continue
        seen.add(key)
        out.append(p)
    order = {"error": 0, "warning": 1}
    return sorted(out, key=lambda p: order.get(p.get("level"), 2))


SECTIONS = (overview, rooftop_pv, sinks, emissions, balance, indicators, intensity, assumptions)
