"""The emissions workbook of ``lingtan carbon`` (the ``emissions`` algorithm, app/algorithms/emissions.py)
and ``lingtan template energy``."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from gis.progress import Progress

FACTOR_FILE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".xlsm")

ENTITY_HEADERS = {
    "entity": "代码", "name": "名称", "sector": "行业", "sector_code": "行业代码", "year": "年份",
    "t_co2": "排放量(tCO2)", "t_co2_scope1": "范围一排放(tCO2)", "t_co2_scope2": "范围二排放(tCO2)",
    "tce": "综合能耗(tce)", "share_pct": "排放占比(%)", "entities": "对象数",
    "value_added_10k_yuan": "{va}(万元)", "land_mu": "占地面积(亩)", "population": "人口(人)",
    "reported_tce": "填报综合能耗(tce)",
    "t_co2_per_10k_yuan": "单位{va}排放(tCO2/万元)", "tce_per_10k_yuan": "单位{va}能耗(tce/万元)",
    "t_co2_per_tce": "单位能耗排放(tCO2/tce)", "t_co2_per_mu": "单位面积排放(tCO2/亩)",
    "t_co2_per_capita": "人均排放(tCO2/人)",
    "entities_with_value_added_10k_yuan": "有{va}的对象数", "entities_with_land_mu": "有面积的对象数",
    "entities_with_population": "有人口的对象数",
}
DETAIL_HEADERS = {
    "entity": "代码", "name": "名称", "sector": "行业", "year": "年份", "fuel_zh": "能源品种", "fuel": "fuel",
    "scope": "范围", "amount": "填报用量", "unit_zh": "填报单位", "amount_canonical": "标准单位用量",
    "canonical_unit": "标准单位", "factor_value": "排放因子", "factor_unit": "因子单位",
    "t_co2_per_unit": "排放(tCO2/标准单位)", "tce_per_unit": "折标系数(tce/标准单位)",
    "t_co2": "排放量(tCO2)", "tce": "综合能耗(tce)", "factor_status": "因子状态", "factor_source": "因子来源",
    "source_row": "原表行号",
    "source_column": "原表列",
}
FUEL_HEADERS = {"year": "年份", "fuel_zh": "能源品种", "fuel": "fuel", "scope": "范围", "amount": "用量",
                "unit": "单位", "t_co2": "排放量(tCO2)", "tce": "综合能耗(tce)", "share_pct": "排放占比(%)"}
FACTOR_HEADERS = {
    "name_zh": "能源品种", "name_en": "English", "fuel": "fuel", "scope": "范围", "used": "本次使用",
    "value": "排放因子", "unit": "因子单位", "t_co2_per_unit": "排放(tCO2/标准单位)",
    "canonical_unit": "标准单位", "ncv": "低位发热量", "ncv_unit": "发热量单位",
    "carbon_content": "单位热值含碳量(tC/TJ)", "oxidation": "碳氧化率",
    "year": "年份", "region": "地区", "status": "状态", "origin": "来自", "source": "来源", "note": "说明",
    "tce_value": "折标系数", "tce_unit": "折标系数单位", "tce_per_unit": "折标系数(tce/标准单位)",
    "tce_status": "折标状态", "tce_source": "折标来源",
}
_BOUNDARY_ROWS = (
    ("t_co2_energy", "能源活动 Energy", "燃料燃烧与外购电力、热力 fuels, purchased power and heat"),
    ("t_co2_process", "工业生产过程 Industrial processes", "范围一 scope 1"),
    ("t_co2_waste", "废弃物处理 Waste treatment", "范围一 scope 1"),
    ("t_co2_cooling", "外购冷量 Purchased cooling", "范围二 scope 2"),
    ("t_co2_scope3", "范围三 Scope 3",
     "填报的类别，仅在边界含范围三时计入总量 counted only when the boundary has it"))
"""Rows of the 汇总 sheet when the boundary was applied (gis.carbon.scope.apply_boundary)."""
YEAR_CHOICE_ZH = {"latest": "最近一年 latest", "all": "全部年份 all", "given": "指定 given",
                  "none": "无年份列 no year"}
LEVEL_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH = {"checked": "已核对 checked", "unverified": "未核实 unverified", "user": "用户 user",
             "missing": "缺失 missing"}


def register(sub) -> dict:
    """``lingtan template``; ``lingtan carbon`` is generated from the ``emissions`` algorithm
    (app/algorithms/emissions.py)."""
    from gis.carbon.factors import DEFAULT_FACTOR_SET

    t = sub.add_parser(
        "template", help="write a ready-to-fill input table / 生成填报模板",
        description="Write an Excel template to fill in: `energy` = energy use per enterprise and year "
                    "(wide form, Chinese headers with units, an example row, an instructions sheet and the "
                    "accepted fuel names and units). `lingtan carbon` reads it back.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    t.add_argument("kind", choices=["energy"], help="which template")
    t.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="output Excel file")
    t.add_argument("--factors", default=DEFAULT_FACTOR_SET, metavar="KEY",
                   help="factor set whose defaults the fuel sheet lists")
    t.add_argument("--json", action="store_true", help="print what was written as JSON")
    return {"template": run_template}


# ---------------------------------------------------------------- carbon

def load_factors(spec: str, *, override: Path | None = None, grid_key: str | None = None,
                 electricity_tce: str = "calorific"):
    """The factor set named ``spec`` (or read from the file ``spec``), with ``override`` merged."""
    from gis.carbon.factors import factor_set_from_table, load_factor_set
    from gis.grid_factors import grid_factor
    from gis.io.tables import read_data_table

    as_path = Path(spec)
    if as_path.suffix.lower() in FACTOR_FILE_SUFFIXES or as_path.exists():
        df, _ = read_data_table(as_path)
        factors = factor_set_from_table(df, name=str(as_path), electricity_tce=electricity_tce)
        if grid_key:
            gf = grid_factor(grid_key)
            factors = factors.with_overrides(pd.DataFrame([{
                "fuel": "electricity", "value": gf.kg_co2_per_kwh, "unit": "kgCO2/kWh",
                "source": f"{gf.name_zh} / {gf.name_en} {gf.year}: {gf.source}"}]),
            source_name=f"--grid-factor {gf.key}")
    else:
        factors = load_factor_set(spec, grid_key=grid_key, electricity_tce=electricity_tce)
    if override is not None:
        df, _ = read_data_table(override)
        factors = factors.with_overrides(df, source_name=str(override))
    return factors


def sheet_note(problem):
    """The reader's note on the first sheet names --layer; this command calls it --sheet."""
    if problem.code == "excel.first_sheet":
        problem.zh = problem.zh.replace("--layer", "--sheet")
        problem.en = problem.en.replace("--layer", "--sheet")
    return problem


def _va_name(result) -> str:
    from gis.carbon.units import split_header

    col = result.inventory.get("columns", {}).get("value_added")
    return split_header(col)[0] if col else "增加值"


def _rename(frame: pd.DataFrame, headers: dict, va: str, keep=()) -> pd.DataFrame:
    cols = [c for c in headers if c in frame.columns
            and (c in keep or not (frame[c].isna().all() and frame[c].dtype.kind in "fO"))]
    return frame[cols].rename(columns={c: headers[c].format(va=va) for c in cols})


def carbon_sheets(result) -> dict[str, pd.DataFrame]:
    """The workbook of ``lingtan carbon``: 汇总, 企业, 行业 (if sectors), 能源品种, 明细, 因子 — Chinese
    headers with units."""
    va = _va_name(result)
    core = ("entity", "name", "year", "t_co2", "t_co2_scope1", "t_co2_scope2", "tce", "share_pct")
    entities = result.entities.sort_values(["year", "t_co2"], ascending=[True, False])
    sheets = {"汇总": summary_sheet(result),
              "企业": _rename(entities, ENTITY_HEADERS, va, keep=core)}
    if len(result.sectors):
        sheets["行业"] = _rename(result.sectors.sort_values(["year", "t_co2"], ascending=[True, False]),
                               ENTITY_HEADERS, va, keep=("sector", "year", "t_co2", "tce"))
    sheets["能源品种"] = _rename(result.by_fuel, FUEL_HEADERS, va, keep=tuple(FUEL_HEADERS))
    detail = result.detail[result.detail["amount_canonical"] != 0].copy()  # zero rows: nothing to show
    detail["factor_status"] = detail["factor_status"].map(STATUS_ZH).fillna(detail["factor_status"])
    sheets["明细"] = _rename(detail, DETAIL_HEADERS, va, keep=tuple(DETAIL_HEADERS))
    sheets["因子"] = factor_sheet(result)
    return sheets


def factor_sheet(result) -> pd.DataFrame:
    """Every factor of the set with its derivation, source and status; ``本次使用`` marks those used."""
    t = result.factors.table.copy()
    used = set(result.detail.loc[result.detail["amount_canonical"] > 0, "fuel"])
    t["used"] = np.where(t.index.isin(list(used)), "是 yes", "")
    for c in ("status", "tce_status"):
        t[c] = t[c].map(STATUS_ZH).fillna(t[c])
    t = t.sort_values("used", ascending=False, kind="stable")
    return _rename(t, FACTOR_HEADERS, "", keep=("name_zh", "value", "unit", "source", "status", "used"))


def summary_sheet(result) -> pd.DataFrame:
    """Key figures, one per row: 项目, 年份, 数值, 单位, 说明."""
    s = result.summary()
    fs = s["factor_set"]
    inv = s["inventory"]
    va = _va_name(result)
    rows = [
        ("能耗表 Energy table", None, inv.get("source"), "",
         "长表 long" if inv.get("form") == "long" else "宽表 wide"),
        ("对象数 Entities", None, inv.get("entities"), "个", ""),
        ("年份 Years", None, "、".join(str(y) for y in s["years"] if y is not None) or "-", "",
         YEAR_CHOICE_ZH[s["year_choice"]]),
        ("因子集 Factor set", None, fs["key"], "", f"{fs['name_zh']} / {fs['name_en']}"),
        ("电网因子 Grid factor", None, fs.get("grid_key") or "-", "", ""),
        ("电力折标 Electricity tce", None, fs["electricity_tce"], "",
         "当量值 0.1229 kgce/kWh" if fs["electricity_tce"] == "calorific" else "等价值（供电煤耗）"),
    ]
    for o in fs["overrides"]:
        rows.append(("用户修改因子 Override", None, o["fuel"], "", f"{o['from'] or '新增 new'} → {o['to']}"
                     f"（{fs['override_source']} 第 {o['row']} 行；来源 {o['source']}）"))
    if fs["unverified"]:
        rows.append(("未核实因子 Unverified factors", None, "、".join(fs["unverified"]), "", "见“因子”表"))
    for t in s["totals"]:
        y = t["year"]
        rows += [
            ("排放总量 Total emissions", y, t["t_co2"], "tCO2", ""),
            ("范围一 Scope 1", y, t["t_co2_scope1"], "tCO2", "现场燃烧 fuels burnt on site"),
            ("范围二 Scope 2", y, t["t_co2_scope2"], "tCO2", "外购电力、热力 purchased electricity and heat"),
            *[(label, y, t[key], "tCO2", note) for key, label, note in _BOUNDARY_ROWS if key in t],
            ("综合能耗 Energy", y, t["tce"], "tce", ""),
            ("单位能耗排放 Carbon per energy", y, t["t_co2_per_tce"], "tCO2/tce", ""),
            (f"单位{va}排放 Carbon intensity", y, t.get("t_co2_per_10k_yuan"), "tCO2/万元",
             f"{t.get('entities_with_value_added_10k_yuan')} 个对象有{va}"),
            (f"单位{va}能耗 Energy intensity", y, t.get("tce_per_10k_yuan"), "tce/万元", ""),
            ("单位面积排放 Per land area", y, t.get("t_co2_per_mu"), "tCO2/亩",
             f"{t.get('entities_with_land_mu')} 个对象有面积"),
            ("人均排放 Per person", y, t.get("t_co2_per_capita"), "tCO2/人", ""),
        ]
        for f in s["by_fuel"]:
            if f["year"] == y:
                rows.append((f"排放 {f['fuel_zh']}", y, f["t_co2"], "tCO2", f"占 {f['share_pct'] or 0:.1f}%"))
    for p in s["problems"]:
        rows.append((f"{LEVEL_ZH[p['level']]} {p['level']}", None, p["code"], "", f"{p['zh']} / {p['en']}"))
    frame = pd.DataFrame(rows, columns=["项目", "年份", "数值", "单位", "说明"])
    return frame[~frame["数值"].isna() | frame["项目"].str.startswith(("排放", "范围", "综合"))]


def _fmt(v, digits: int = 0) -> str:
    return "-" if v is None else f"{v:,.{digits}f}"


def describe_carbon(s: dict) -> list[str]:
    """The bilingual human summary of ``lingtan carbon``."""
    fs, inv = s["factor_set"], s["inventory"]
    years = [y for y in s["years"] if y is not None]
    lines = [f"能源碳排放 Energy emissions: {inv['source']} — {inv['entities']} 个对象 entities, "
             f"{'长表 long' if inv['form'] == 'long' else '宽表 wide'}"
             + (f", 年份 year(s) {', '.join(map(str, years))}" if years else ""),
             f"因子集 Factor set: {fs['key']} — {fs['name_zh']} / {fs['name_en']}"
             + (f"; 电网 grid {fs['grid_key']}" if fs.get("grid_key") else "")]
    elec = next((f for f in fs["factors"] if f["fuel"] == "electricity"), None)
    if elec:
        lines.append(f"电力因子 Electricity factor: {elec['value']:g} {elec['unit']} ({elec['origin']})")
    if fs["overrides"]:
        lines.append(f"用户修改因子 Overrides ({fs['override_source']}):")
        lines += [f"  {o['fuel']}: {o['from'] or '新增 new'} → {o['to']}" for o in fs["overrides"]]
    if fs["unverified"]:
        lines.append("未核实因子 Unverified factors used: " + ", ".join(fs["unverified"]))
    for t in s["totals"]:
        head = f"[{t['year']}] " if t.get("year") is not None else ""
        lines.append(f"{head}排放总量 Total: {_fmt(t['t_co2'])} tCO2 "
                     f"(范围一 scope 1: {_fmt(t['t_co2_scope1'])}; "
                     f"范围二 scope 2: {_fmt(t['t_co2_scope2'])})")
        if "t_co2_process" in t:  # the boundary applied (gis.carbon.scope): the lines beyond fuels
            lines.append(f"{head}核算边界 Boundary: {s.get('boundary_zh', '')}; "
                         f"能源 energy {_fmt(t['t_co2_energy'])}, "
                         f"工业过程 process {_fmt(t['t_co2_process'])}, "
                         f"废弃物 waste {_fmt(t['t_co2_waste'])}, "
                         f"外购冷量 cooling {_fmt(t['t_co2_cooling'])}, "
                         f"范围三 scope 3 {_fmt(t.get('t_co2_scope3'))} tCO2")
        lines.append(f"{head}综合能耗 Energy: {_fmt(t['tce'])} tce; "
                     f"单位能耗排放 {_fmt(t['t_co2_per_tce'], 3)} tCO2/tce; "
                     f"单位增加值排放 {_fmt(t.get('t_co2_per_10k_yuan'), 3)} tCO2/万元"
                     + (f"; 单位面积 {_fmt(t['t_co2_per_mu'], 2)} tCO2/亩" if t.get("t_co2_per_mu") else ""))
        fuels = [f for f in s["by_fuel"] if f["year"] == t["year"] and (f["t_co2"] or 0) > 0]
        fuels.sort(key=lambda f: -f["t_co2"])
        lines.append(f"{head}分品种 By fuel: " + ", ".join(f"{f['fuel_zh']} {f['fuel']} {f['share_pct']:.1f}%"
                                                       for f in fuels))
    if s["problems"]:
        marks = {"error": "✗", "warning": "!", "info": "·"}
        lines.append(f"问题 Notes ({len(s['problems'])}):")
        lines += [f"  {marks[p['level']]} {p['zh']}\n    {p['en']}" for p in s["problems"]]
    if s.get("output"):
        lines.append(f"输出 Output: {s['output']}")
    return lines


# ---------------------------------------------------------------- template

def run_template(args, progress: Progress) -> int:
    from app.cli_support import EXIT_OK, emit
    from app.xlsx import write_xlsx
    from gis.carbon.factors import load_factor_set
    from gis.carbon.inventory import energy_template

    sheets = energy_template(load_factor_set(args.factors))
    write_xlsx(args.out, sheets)
    data = {"template": args.kind, "output": str(args.out), "sheets": list(sheets),
            "columns": [str(c) for c in sheets["能源数据"].columns]}
    emit(args, data, [f"填报模板 Template ({args.kind}): {args.out}",
                      f"工作表 Sheets: {', '.join(sheets)}",
                      "填好后运行 When filled in, run: lingtan carbon " + f"{args.out} --out 结果.xlsx"])
    return EXIT_OK
