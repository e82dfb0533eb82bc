"""The report's chapter on what was placed in the project: the ground PV array and the wind
turbines (their map, figures and the siting rules they break), left out when neither was placed."""

from __future__ import annotations

import pandas as pd

from app.report.document import Column, ReportDocument
from app.report.maps import extent_of, report_layer
from app.report.pages import ReportData, add_map, co2, num, pct
from gis.wind.farm import KIND_ZH

ARRAY_LAYERS = ("pv_array_area", "pv_array_exclusions", "pv_array_tables")
WIND_LAYERS = ("turbines", "wind_violations", "wind_receptors")


def siting(doc: ReportDocument, data: ReportData) -> None:
    """光伏阵列与风机布置 / Ground PV array and wind turbines."""
    s, lang = data.summary, data.lang
    array, wind = s.pv_array, s.wind
    placed = [n for n in (*ARRAY_LAYERS, *WIND_LAYERS) if data.layer(n) is not None]
    if array is None and wind is None and not placed:
        return
    doc.heading(doc.t("光伏阵列与风机布置", "Ground PV array and wind turbines"), new_page=True)
    shown = [n for n in ("boundary", *placed) if data.layer(n) is not None]
    layers = [report_layer(n, data.layers[n], lang) for n in shown]
    if layers:
        frames = [data.layers[n] for n in shown]
        extent = extent_of(pd.concat([g.to_crs(frames[0].crs) for g in frames]), 0.04)
        add_map(doc, layers, doc.t("项目中布置的光伏阵列和风机",
                                   "PV array and turbines placed in the project"),
                extent=extent)
    if array is not None:
        _array(doc, array)
    if wind is not None:
        _wind(doc, wind, lang)


def _array(doc: ReportDocument, a) -> None:
    doc.heading(doc.t("地面光伏阵列", "Ground PV array"), level=2)
    rows = [
        (doc.t("支架数 / 组件数", "Tables / modules"), f"{num(a.tables)} / {num(a.modules)}"),
        (doc.t("装机容量", "Capacity"), f"{num(a.kwp)} kWp（{num(a.kwac)} kWac）" if doc.lang == "zh"
         else f"{num(a.kwp)} kWp ({num(a.kwac)} kWac)"),
        (doc.t("倾角 / 方位角", "Tilt / azimuth"), f"{num(a.tilt_deg, 1)}° / {num(a.azimuth_deg, 1)}°"),
        (doc.t("前后排间距 / 地面覆盖率", "Row pitch / ground-coverage ratio"),
         f"{num(a.pitch_m, 2)} m / {num(a.gcr, 3)}"),
        (doc.t("阵列区面积 / 可用面积", "Array area / usable area"),
         f"{num(a.area_m2)} m² / {num(a.usable_m2)} m²"),
        (doc.t("年发电量", "Annual generation"), f"{num((a.kwh_yr or 0) / 1000, 1)} MWh"
         if a.kwh_yr is not None else "–"),
        (doc.t("等效满发小时数", "Full-load hours"), f"{num(a.full_load_hours)} h"),
        (doc.t("遮挡损失", "Shading loss"), pct(a.shade_loss_pct)),
        (doc.t("年减排量", "Avoided emissions"), f"{num(a.t_co2_yr, 1)} {co2(doc.lang)}"),
    ]
    doc.table([Column(doc.t("项目", "Item"), 2.2), Column(doc.t("数值", "Value"), 2.8, "right")],
              [list(r) for r in rows], caption=doc.t("地面光伏阵列", "Ground PV array"))
    note = a.extra.get("exclusions") or {}
    if note.get("zh"):  # the layers the tables were kept clear of (as the Siting panel says)
        doc.paragraph(doc.t(str(note["zh"]) + "。", str(note.get("en", ""))))


def _wind(doc: ReportDocument, w, lang: str) -> None:
    doc.heading(doc.t("风机", "Wind turbines"), level=2)
    turbine = (w.turbine or {}).get("name", "")
    doc.paragraph(doc.t(
        f"{num(w.turbines)} 台风机（{turbine}），总容量 {num(w.capacity_kw)} kW；年发电量 "
        f"{num(w.aep_mwh, 1)} MWh"
        f"（尾流损失 {pct(w.wake_loss_pct, 2)}，容量系数 {num(w.cf, 3)}）。",
        f"{num(w.turbines)} turbine(s) ({turbine}), {num(w.capacity_kw)} kW in all; {num(w.aep_mwh, 1)} MWh "
        f"a year (wake loss {pct(w.wake_loss_pct, 2)}, capacity factor {num(w.cf, 3)})."))
    notes = [p for p in (w.problems or []) if p.get("level") != "info"]
    if notes:  # e.g. a rule that could not be checked for want of a layer
        doc.bullets([str(p.get("zh" if lang == "zh" else "en", "")) for p in notes])
    rows = w.violation_rows or []
    if not rows and not w.violations:
        doc.paragraph(doc.t("其余布置规则（已检查的间距、退让、噪声）全部满足。",
                            "The other siting rules (the spacing, setbacks and noise checked) are met.")
                      if notes else
                      doc.t("布置满足间距、退让和噪声规则。",
                            "The layout meets the spacing, setback and noise rules."))
        return
    table = [[str(r.get("turbine", "")),
              KIND_ZH.get(str(r.get("kind")), str(r.get("kind"))) if lang == "zh" else str(r.get("kind", "")),
              str(r.get("message_zh" if lang == "zh" else "message_en", ""))] for r in rows]
    doc.table([Column(doc.t("风机", "Turbine"), 0.8), Column(doc.t("规则", "Rule"), 1.2),
               Column(doc.t("说明", "Detail"), 4.0)], table,
              caption=doc.t("不满足的布置规则", "Siting rules not met"))
