"""Writing and describing an hourly energy run: the workbook (概要, 逐时, 月度, 经济, 来源), OUT.json and
an hourly CSV for SAM/HOMER users, and the printed lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

KPI_ROWS = (
    ("load_kwh", "用电量", "consumption", "kWh"),
    ("onsite_kwh", "园区内发电量", "on-site generation", "kWh"),
    ("used_onsite_kwh", "园区内消纳的发电量", "on-site energy used on site", "kWh"),
    ("self_sufficiency_pct", "自给率", "self-sufficiency", "%"),
    ("self_consumption_pct", "自发自用率", "self-consumption", "%"),
    ("green_share_pct", "绿电占比", "green-power share", "%"),
    ("grid_import_kwh", "下网电量", "grid import", "kWh"),
    ("grid_export_kwh", "上网电量", "grid export", "kWh"),
    ("grid_import_peak_kw", "下网峰值功率", "grid import peak", "kW"),
    ("grid_export_peak_kw", "上网峰值功率", "grid export peak", "kW"),
    ("curtailed_kwh", "弃电量", "curtailed", "kWh"),
    ("battery_cycles", "储能等效循环次数", "battery equivalent cycles", ""),
    ("hours_fully_covered", "完全自给的时数", "hours fully covered on site", "h"),
    ("t_co2_avoided", "减排量（消纳部分）", "avoided CO2 (energy used on site)", "tCO2"),
    ("bill_before_yuan", "电费（无光伏储能）", "bill without on-site sources and storage", "元 yuan"),
    ("bill_yuan", "电费", "bill", "元 yuan"),
)


def kpi_table(s: dict) -> pd.DataFrame:
    rows = [(zh, en, s[key], unit) for key, zh, en, unit in KPI_ROWS if s.get(key) is not None]
    net = s.get("annual_netting") or {}
    for key, value in net.items():
        if isinstance(value, (int, float)):
            rows.append((f"年度净额法：{key}", f"annual netting: {key}", value, ""))
    return pd.DataFrame(rows, columns=["指标", "Indicator", "数值 Value", "单位 Unit"])


def write_energy_outputs(result, path: Path, summary: dict | None = None) -> list[Path]:
    """OUT.xlsx, OUT.json (``summary``: the run's summary with its sources and chart data; default
    the result's own) and OUT_hourly.csv, each written atomically; returns the paths."""
    from app.outputs import write_json, write_text
    from app.xlsx import write_xlsx

    path = Path(path)
    s = summary if summary is not None else result.summary()
    hourly = result.hourly_frame()
    sheets = {"概要": kpi_table(s), "逐时": hourly, "月度": result.monthly_frame()}
    entities = result.entity_frame()
    if entities is not None:
        sheets["企业负荷"] = entities
    if s.get("economics"):
        e = s["economics"]
        sheets["经济"] = pd.DataFrame([(k, v) for k, v in e.items() if not isinstance(v, (list, dict))],
                                    columns=["项目 Item", "数值 Value"])
    sheets["来源"] = pd.DataFrame(
        [*((k, v) for k, v in (s.get("sources") or {}).items()),
         *((p["code"], f"{p['zh']} / {p['en']}") for p in s.get("problems", []))],
        columns=["项目 Item", "说明 Note"])
    write_xlsx(path, sheets)
    write_json(path.with_suffix(".json"), s)
    csv_path = path.with_name(path.stem + "_hourly.csv")
    write_text(csv_path, hourly.to_csv(index=False, float_format="%.4f"))
    return [path, path.with_suffix(".json"), csv_path]


def describe_energy(s: dict) -> list[str]:
    """Printed lines: the KPIs and, with a tariff, the bill; the annual netting for comparison."""
    quiet = {"battery_cycles", "curtailed_kwh", "grid_export_peak_kw", "hours_fully_covered"}
    lines = [f"{zh} {en}: {s[key]:,.1f} {unit}".rstrip() for key, zh, en, unit in KPI_ROWS
             if isinstance(s.get(key), (int, float)) and not (key in quiet and not s[key])]
    net = s.get("annual_netting") or {}
    if "self_sufficiency_pct" in net:
        lines.append(f"年度净额法自给率 Annual-netting self-sufficiency: {net['self_sufficiency_pct']:.1f} % "
                     "（仅供对照 for comparison）")
    return lines
