"""The energy run's figures as rows of text for the Energy panel and the report (Qt-free): the KPIs
beside the annual netting they replace, and the economics. Every value is read from the run's
summary (``SystemResult.summary()`` or the saved :class:`app.summaries.EnergySummary`); only units
are converted here."""

from __future__ import annotations

import math
from collections.abc import Mapping

KPI_DECIMALS = {"%": 1, "kWh": 0, "kW": 0, "h": 0, "tCO2": 1, "": 1, "元 yuan": 0}
"""Decimals shown per unit: a percentage to 0.1 (the 1 % the monthly calibration is held to, with
a digit to spare), energy to the kWh of a meter, money to the yuan of a bill."""
ECONOMICS_ROWS: tuple[tuple[str, str, str, str, int], ...] = (
    ("capex_yuan", "初始投资", "Investment (capex)", "元", 0),
    ("om_yuan_yr", "年运维费用", "Operation and maintenance", "元/年", 0),
    ("bill_before_yuan", "电费（无光伏储能）", "Bill without on-site sources and storage", "元/年", 0),
    ("bill_after_yuan", "电费（有光伏储能）", "Bill with them", "元/年", 0),
    ("export_revenue_yuan", "上网售电收入", "Export revenue", "元/年", 0),
    ("annual_saving_yuan", "首年节省", "First-year saving", "元/年", 0),
    ("npv_yuan", "净现值", "Net present value", "元", 0),
    ("irr_pct", "内部收益率", "Internal rate of return", "%", 1),
    ("simple_payback_yr", "静态投资回收期", "Simple payback", "年", 1),
    ("discounted_payback_yr", "动态投资回收期", "Discounted payback", "年", 1),
    ("lcoe_yuan_kwh", "平准化度电成本", "Levelised cost of energy", "元/kWh", 3),
    ("carbon_value_yuan_yr", "碳减排价值", "Carbon value", "元/年", 0),
)
"""(key of gis.energy.economics.Economics, zh, en, unit, decimals)."""
UNITS_EN = {"元": "yuan", "元/年": "yuan/yr", "年": "yr", "元/kWh": "yuan/kWh"}


def number(value, decimals: int = 0) -> str:
    """Thousands separators; "–" for a missing or non-finite value."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    text = f"{v:,.{decimals}f}"
    return "0" if text.lstrip("-").strip("0.,") == "" else text


def kpi_rows(summary: Mapping, lang: str = "zh") -> list[tuple[str, str, str, str]]:
    """(indicator, hour-by-hour value, annual-netting value or "", unit) for each KPI of
    :data:`app.energy_outputs.KPI_ROWS` the summary has. The annual netting nets a year of on-site
    generation against a year of use; its figures are shown only beside the KPIs it also gives."""
    from app.energy_outputs import KPI_ROWS

    net = summary.get("annual_netting") or {}
    rows = []
    for key, zh, en, unit in KPI_ROWS:
        value = summary.get(key)
        if value is None:
            continue
        dec = KPI_DECIMALS.get(unit, 1)
        other = net.get(key)
        shown_unit = unit.replace("元 yuan", "元" if lang == "zh" else "yuan").replace("tCO2", "tCO₂")
        rows.append((zh if lang == "zh" else en, number(value, dec),
                     number(other, dec) if isinstance(other, (int, float)) else "", shown_unit))
    return rows


def economics_rows(economics: Mapping | None, lang: str = "zh") -> list[tuple[str, str, str]]:
    """(item, value, unit) of the economics (known keys in :data:`ECONOMICS_ROWS` order, then any
    other number as its key); lists such as the cash flows are left out."""
    e = dict(economics or {})
    rows = []
    for key, zh, en, unit, dec in ECONOMICS_ROWS:
        if key in e:
            v = e.pop(key)
            rows.append((zh if lang == "zh" else en, number(v, dec),
                         unit if lang == "zh" else UNITS_EN.get(unit, unit)))
    for key, v in e.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            rows.append((key, number(v, 2), ""))
    return rows


def netting_note(summary: Mapping, lang: str = "zh") -> str:
    """The sentence that labels the annual-netting column (its own label when the run gives one)."""
    net = summary.get("annual_netting") or {}
    label = net.get("label_zh" if lang == "zh" else "label_en")
    if label:
        return str(label)
    return ("全年电量抵扣（不计时段匹配，仅供对比）" if lang == "zh"
            else "Annual netting (ignores when energy is made and used; for comparison only)")
