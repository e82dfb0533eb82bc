"""Zero-carbon park indicator sets (resources/indicators/indicator_sets.csv) and their check.

Each indicator names a metric of :class:`gis.carbon.balance.Balance` (``metrics``), a comparator
(``<=``/``>=``), a threshold with its unit, an optional condition on the park's size
(``applies_if``, e.g. ``energy_tce>=200000 and energy_tce<1000000``) and its source. The check
gives, per indicator, the value, threshold, status (pass / fail / no data / not applicable) and
source, so the report can show where every line comes from.
"""

from __future__ import annotations

import operator
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from gis.defaults import DEFAULT_INDICATOR_SET
from gis.errors import InputError
from gis.paths import resources_dir

STATUS_ZH = {"pass": "达标", "fail": "未达标", "no data": "缺数据", "not applicable": "不适用"}
_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt, "==": operator.eq}
_COND = re.compile(r"^\s*([a-z_0-9]+)\s*(<=|>=|<|>)\s*(-?[\d.]+)\s*$")


@lru_cache(maxsize=1)
def indicator_table() -> pd.DataFrame:
    """All indicator sets, one row per indicator, with sources."""
    return pd.read_csv(Path(resources_dir()) / "indicators" / "indicator_sets.csv", dtype={"applies_if": str})


def indicator_sets() -> dict[str, str]:
    """Set keys with their bilingual names."""
    t = indicator_table().drop_duplicates("set_key")
    return {r.set_key: f"{r.set_name_zh} / {r.set_name_en}" for r in t.itertuples()}


def _text(v) -> str:
    return v if isinstance(v, str) else ""


KIND_NAMES = {"core (veto)": ("核心（否决）", "core (veto)"), "guiding": ("引导", "guiding"),
              "progress": ("进度", "progress")}
"""The ``kind`` column's values in Chinese and English (indicator_sets.csv)."""


def indicator_texts(row, lang: str = "zh") -> tuple[str, str]:
    """(source, note) of a checked indicator ``row`` (a dict or an object with ``set_key`` and
    ``indicator_key``, as :func:`check_indicators` makes) in ``lang``: from the indicator table,
    so rows saved before the table had both languages read in the right one too; the row's own
    fields when the table no longer has the indicator."""
    def get(k: str):
        return row.get(k) if isinstance(row, dict) else getattr(row, k, None)

    src_key, note_key = ("source", "note_zh") if lang == "zh" else ("source_en", "note")
    t = indicator_table()
    hit = t[(t["set_key"] == get("set_key")) & (t["indicator_key"] == get("indicator_key"))]
    if len(hit):
        return _text(hit.iloc[0][src_key]), _text(hit.iloc[0][note_key])
    return _text(get(src_key) or get("source")), _text(get(note_key))


def _applies(condition, metrics: dict) -> bool | None:
    """True/False when the condition holds or not, None when a metric it needs is missing."""
    if not isinstance(condition, str) or not condition.strip():
        return True
    for part in condition.split(" and "):
        m = _COND.match(part)
        if m is None:
            raise ValueError(f"bad applies_if condition: {condition!r}")
        value = metrics.get(m.group(1))
        if value is None or not np.isfinite(value):
            return None
        if not _OPS[m.group(2)](value, float(m.group(3))):
            return False
    return True


def check_indicators(metrics: dict[str, float | None], set_key: str = DEFAULT_INDICATOR_SET,
                     table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Evaluate the indicator set ``set_key`` against ``metrics`` (metric key → value); ``table``:
    the indicators to use instead of the bundled ones (a user set, gis.carbon.user_indicators).

    Returns one row per indicator: set_key, indicator_key, name_zh, name_en, value, comparator,
    threshold, unit, status ('pass', 'fail', 'no data', 'not applicable'), status_zh, kind,
    source (Chinese) and source_en, note (English) and note_zh. A value exactly at the threshold
    passes.
    """
    table = indicator_table() if table is None else table
    rows = table[table["set_key"] == set_key]
    if rows.empty:
        keys = ", ".join(indicator_sets())
        raise InputError(f"未知的指标体系“{set_key}”。可用：{keys}",
                         f"Unknown indicator set '{set_key}'. Available: {keys}", code="indicators.unknown")
    out = []
    for r in rows.itertuples():
        value = metrics.get(r.metric)
        value = None if value is None or not np.isfinite(value) else float(value)
        applies = _applies(r.applies_if, metrics)
        if applies is False:
            status = "not applicable"
        elif value is None:
            status = "no data"
        else:
            status = "pass" if _OPS[r.comparator](round(value, 9), float(r.threshold)) else "fail"
        out.append({"set_key": set_key, "indicator_key": r.indicator_key, "name_zh": r.name_zh,
                    "name_en": r.name_en, "metric": r.metric, "value": value, "comparator": r.comparator,
                    "threshold": float(r.threshold), "unit": r.unit, "status": status,
                    "status_zh": STATUS_ZH[status], "applies_if": _text(r.applies_if),
                    "kind": _text(r.kind), "source": r.source, "source_en": _text(r.source_en) or r.source,
                    "note": _text(r.note), "note_zh": _text(r.note_zh)})
    return pd.DataFrame(out)
