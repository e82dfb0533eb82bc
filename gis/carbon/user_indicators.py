"""User indicator sets and park facts, next to the bundled sets (gis.carbon.indicators).

A planner loads e.g. the Tianjin Eco-city set or a municipal one from a CSV/Excel table with one
row per indicator: indicator (指标名称), metric (指标代码: one of :data:`KNOWN_METRICS`),
comparison (<=, <, >=, >, ==; ≤ ≥ = accepted), threshold (阈值), unit (单位), source (来源), and
optionally applies_if, kind, note. An emissions cap is the row ``t_co2_total <= cap`` (tCO2/yr,
the park's emissions under its boundary). Facts the data cannot give (green-building shares,
new-energy public transport, chargers …, gis.carbon.balance.FACT_KEYS) come from ``--fact
name=value`` or a facts table (fact/名称, value/数值). The example
``resources/indicators/example_user_set.csv`` shows the layout (an example, not an adopted set).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from gis.carbon.balance import FACT_KEYS
from gis.errors import InputError
from gis.fields import normalise_name

BALANCE_METRICS: dict[str, tuple[str, str, str]] = {
    "energy_tce": ("综合能耗", "energy use", "tce"),
    "t_co2_total": ("碳排放总量（核算边界内）", "total emissions within the boundary", "tCO2"),
    "t_co2_net": ("净排放（扣除光伏外送与碳汇）", "net emissions (after exported PV and sinks)", "tCO2"),
    "t_co2_per_tce": ("单位能耗碳排放", "carbon per unit of energy", "tCO2/tce"),
    "t_co2_per_10k_yuan": ("单位工业增加值碳排放", "CO2 per value added", "tCO2/10^4 yuan"),
    "tce_per_10k_yuan": ("单位工业增加值能耗", "energy per value added", "tce/10^4 yuan"),
    "yuan_per_tce": ("能源产出率", "energy productivity", "yuan/tce"),
    "yuan_per_km2": ("单位土地产出", "value added per land area", "yuan/km2"),
    "clean_energy_share_pct": ("清洁能源消费占比", "clean energy share", "%"),
    "green_power_share_pct": ("绿电占用电量比例", "green power share of electricity", "%"),
    "non_fossil_share_pct": ("非化石能源消费占比", "non-fossil share", "%"),
    "renewable_share_pct": ("可再生能源消费占比", "renewable share", "%"),
    "renewable_power_share_pct": (
        "可再生能源电力占比（含绿证）",
        "renewable electricity incl. certificates",
        "%",
    ),
    "electrification_pct": ("电能占终端能源消费比重", "electrification", "%"),
    "green_coverage_pct": ("绿化覆盖率", "green coverage", "%"),
    "green_land_rate_pct": ("绿地率", "green-land rate", "%"),
    "pv_self_supply_pct": ("光伏自发自用占用电量比例", "PV self-supply share of electricity", "%"),
    "coal_change_pct": ("煤炭消费量变化（较基准年）", "change of coal use vs baseline", "%"),
    "carbon_intensity_change_pct": ("单位增加值碳排放变化（较基准年）", "change of CO2 per value added", "%"),
}
"""Metrics of gis.carbon.balance.park_balance an indicator can test, with names and units."""
KNOWN_METRICS: dict[str, tuple[str, str, str]] = {**BALANCE_METRICS, **FACT_KEYS}
"""Every metric an indicator may name: the balance's and the park facts'."""
COMPARISONS = {
    "<=": "<=",
    "≤": "<=",
    "=<": "<=",
    "<": "<",
    ">=": ">=",
    "≥": ">=",
    "=>": ">=",
    ">": ">",
    "==": "==",
    "=": "==",
    "＝": "==",
}
"""Accepted comparison signs and the one each stands for."""
USER_SET_KEY = "user"
_COLUMNS = {
    "name_zh": ["indicator", "name", "name_zh", "指标", "指标名称", "名称"],
    "metric": ["metric", "metric_key", "指标代码", "度量", "计算项", "指标项"],
    "comparator": ["comparison", "comparator", "operator", "比较", "比较符", "运算符"],
    "threshold": ["threshold", "target", "value", "阈值", "目标值", "标准值", "限值"],
    "unit": ["unit", "单位"],
    "source": ["source", "来源", "依据", "出处"],
    "name_en": ["name_en", "english", "英文名称"],
    "applies_if": ["applies_if", "适用条件"],
    "kind": ["kind", "类型", "指标类型"],
    "note": ["note", "备注", "说明"],
    "set_name": ["set", "set_name", "指标体系", "体系"],
}
_REQUIRED = ("name_zh", "metric", "comparator", "threshold", "source")


def _metrics_text(lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return sep.join(f"{k}（{v[0]}）" if lang == "zh" else f"{k} ({v[1]})" for k, v in KNOWN_METRICS.items())


def _columns(df: pd.DataFrame) -> dict[str, str]:
    normed = {normalise_name(c): c for c in reversed([str(c) for c in df.columns])}
    out: dict[str, str] = {}
    for role, names in _COLUMNS.items():
        hit = next((normed[normalise_name(n)] for n in names if normalise_name(n) in normed), None)
        if hit is not None and hit not in out.values():
            out[role] = hit
    return out


def read_indicator_set(
    table: pd.DataFrame | str | Path, *, set_key: str | None = None, source_name: str = ""
) -> pd.DataFrame:
    """A user indicator set in the layout of resources/indicators/indicator_sets.csv (``set_key,
    set_name_zh, set_name_en, indicator_key, name_zh, name_en, metric, comparator, threshold,
    unit, applies_if, kind, source, source_en, note, note_zh``), checked: InputError (bilingual,
    naming the row) for missing columns, an unknown metric (the known ones listed), a bad
    comparison or a threshold that is not a finite number."""
    if not isinstance(table, pd.DataFrame):
        from gis.io.tables import read_data_table

        source_name = source_name or str(table)
        set_key = set_key or Path(table).stem
        table, _ = read_data_table(table)
    path = source_name or None
    set_key = set_key or USER_SET_KEY
    if table is None or table.dropna(how="all").empty:
        raise InputError("指标文件是空的", "The indicator file is empty", path=path, code="indicators.empty")
    df = table.dropna(how="all")
    if not (pd.api.types.is_integer_dtype(df.index) and df.index.is_unique):  # keep the reader's rows
        df = df.reset_index(drop=True)
    cols = _columns(df)
    missing = [r for r in _REQUIRED if r not in cols]
    if missing:
        names_zh = {
            "name_zh": "指标名称",
            "metric": "指标代码(metric)",
            "comparator": "比较符",
            "threshold": "阈值",
            "source": "来源",
        }
        raise InputError(
            "指标文件缺少列："
            + "、".join(names_zh[m] for m in missing)
            + "。需要 指标名称、指标代码(metric)、比较符、阈值、单位、来源",
            "The indicator file lacks the columns: "
            + ", ".join(missing)
            + ". Needed: indicator, metric, comparison, threshold, unit, source",
            path=path,
            code="indicators.columns",
        )
    rows = []
    for i, r in df.iterrows():
        row_no = int(i) + 2  # spreadsheet row, header = 1
        name = _cell(r[cols["name_zh"]])
        metric = _cell(r[cols["metric"]])
        if metric not in KNOWN_METRICS:
            raise InputError(
                f"第 {row_no} 行：未知的指标代码“{metric}”。可用：{_metrics_text('zh')}",
                f"Row {row_no}: unknown metric '{metric}'. Known: {_metrics_text('en')}",
                path=path,
                code="indicators.unknown_metric",
            )
        sign = _cell(r[cols["comparator"]])
        if sign not in COMPARISONS:
            raise InputError(
                f"第 {row_no} 行：比较符“{sign}”无法识别，应为 <=、<、>=、> 或 ==",
                f"Row {row_no}: comparison '{sign}' not understood; use <=, <, >=, > or ==",
                path=path,
                code="indicators.comparison",
            )
        threshold = pd.to_numeric(
            pd.Series([r[cols["threshold"]]]).astype(str).str.replace(",", ""), errors="coerce"
        ).iloc[0]
        if not np.isfinite(threshold):
            raise InputError(
                f"第 {row_no} 行：阈值“{_cell(r[cols['threshold']])}”不是数字",
                f"Row {row_no}: threshold '{_cell(r[cols['threshold']])}' is not a number",
                path=path,
                code="indicators.threshold",
            )
        source = _cell(r[cols["source"]])
        if not source:
            raise InputError(
                f"第 {row_no} 行没有来源：每个指标需写明出处",
                f"Row {row_no} has no source: every indicator needs one",
                path=path,
                code="indicators.source",
            )
        zh, en, unit = KNOWN_METRICS[metric]
        set_name = _cell(r[cols["set_name"]]) if "set_name" in cols else ""
        rows.append(
            {
                "set_key": set_key,
                "set_name_zh": set_name or f"用户指标体系（{set_key}）",
                "set_name_en": set_name or f"user indicator set ({set_key})",
                "indicator_key": f"{metric}_{row_no}",
                "name_zh": name or zh,
                "name_en": _cell(r[cols["name_en"]]) if "name_en" in cols else (name or en),
                "metric": metric,
                "comparator": COMPARISONS[sign],
                "threshold": float(threshold),
                "unit": _cell(r[cols["unit"]]) if "unit" in cols else unit,
                "applies_if": _cell(r[cols["applies_if"]]) if "applies_if" in cols else "",
                "kind": _cell(r[cols["kind"]]) if "kind" in cols else "",
                "source": source,
                "source_en": source,
                "note": _cell(r[cols["note"]]) if "note" in cols else "",
                "note_zh": _cell(r[cols["note"]]) if "note" in cols else "",
            }
        )
    return pd.DataFrame(rows)


def _cell(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def emissions_cap_row(cap_t_co2: float, *, source: str, set_key: str = USER_SET_KEY) -> pd.DataFrame:
    """One indicator: the park's emissions within its boundary (``t_co2_total``) ≤ ``cap_t_co2``."""
    if not np.isfinite(cap_t_co2) or cap_t_co2 < 0:
        raise InputError(
            f"排放总量上限应为非负数（吨二氧化碳），而不是 {cap_t_co2}",
            f"The emissions cap must be a number ≥ 0 (tCO2), not {cap_t_co2}",
            code="indicators.cap",
        )
    df = pd.DataFrame(
        [
            {
                "指标名称": "碳排放总量上限",
                "name_en": "emissions cap",
                "metric": "t_co2_total",
                "比较符": "<=",
                "阈值": cap_t_co2,
                "单位": "tCO2",
                "来源": source,
            }
        ]
    )
    return read_indicator_set(df, set_key=set_key)


def read_facts(table: pd.DataFrame, *, source_name: str = "") -> dict[str, float]:
    """Park facts from a table with columns fact/名称 (a key of gis.carbon.balance.FACT_KEYS or its
    Chinese name) and value/数值 (%), checked as ``--fact`` values are."""
    from gis.carbon.balance import check_facts

    path = source_name or None
    normed = {normalise_name(str(c)): c for c in table.columns}
    key_col = next((normed[n] for n in ("fact", "key", "名称", "项目", "指标") if n in normed), None)
    val_col = next((normed[n] for n in ("value", "数值", "值", "数据") if n in normed), None)
    if key_col is None or val_col is None:
        raise InputError(
            "园区数据表需要 名称(fact) 和 数值(value) 两列",
            "A facts table needs the columns fact and value",
            path=path,
            code="balance.facts",
        )
    by_zh = {v[0]: k for k, v in FACT_KEYS.items()}
    facts = {}
    for k, v in zip(table[key_col], table[val_col], strict=True):
        key = _cell(k)
        facts[by_zh.get(key, key)] = v
    return check_facts(facts)


def resolve_indicators(
    spec: str | Path | None, *, cap_t_co2: float | None = None, cap_source: str = "用户给定 given by the user"
) -> tuple[str, pd.DataFrame | None]:
    """(set key, indicator table or None) for ``--indicators``: a bundled set key (None: the
    default; the table is None, i.e. the bundled one, unless a cap is added) or a user file; with
    ``cap_t_co2`` the emissions cap joins the set as one more indicator."""
    from gis.carbon.indicators import indicator_sets, indicator_table
    from gis.defaults import DEFAULT_INDICATOR_SET

    key = str(spec) if spec else DEFAULT_INDICATOR_SET
    table = None
    if key not in indicator_sets():
        if not Path(key).exists():
            known = ", ".join(indicator_sets())
            raise InputError(
                f"指标体系“{key}”既不是内置体系也不是文件。内置：{known}",
                f"The indicator set '{key}' is neither a bundled set nor a file. Bundled: {known}",
                code="indicators.unknown",
            )
        table = read_indicator_set(key)
        key = str(table["set_key"].iloc[0])
    if cap_t_co2 is not None:
        base = table if table is not None else indicator_table()[indicator_table()["set_key"] == key]
        table = pd.concat(
            [base, emissions_cap_row(cap_t_co2, source=cap_source, set_key=key)], ignore_index=True
        )
    return key, table
