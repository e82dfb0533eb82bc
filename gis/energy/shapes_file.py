"""The user's edited daily load shapes: a CSV file (``lingtan energy --profile-shapes F``, written by
the desktop app's load-profile editor) and how its rows become overrides of the typical profiles.

File format (UTF-8, or GB18030 as Excel saves a CSV on a Chinese Windows)::

    target,day,h00,h01,…,h23
    industrial_two_shift,workday,0.2,0.2,…,0.6
    E004,周末,0,0,…,0

* ``target``: a load kind (its key such as ``industrial_two_shift`` or its Chinese name such as
  ``工业·两班制``), for every enterprise of that kind, or an enterprise id of the energy table.
  Enterprise rows win over kind rows, day type by day type (a firm's own weekend, its kind's
  edited workday, the shipped holiday).
* ``day``: ``workday``/``weekend``/``holiday`` or ``工作日``/``周末``/``节假日``.
* then 24 hourly values from 0:00 (or 48 half-hour / 96 quarter-hour ones): relative kW, any scale.

Scaling, per day type: an edited day keeps the energy the shipped shape gives that day type of the
enterprise's kind (the edited row is scaled to the same daily sum). An edit changes *when* in the
day the energy is used, not how much a workday uses against a weekend day (that ratio is the kind's,
see resources/energy/SOURCES.md); the year is then scaled to the energy table's kWh as before. A
row of zeros is a day type without load: its energy moves to the other days.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from gis.energy.profiles import KIND_NAMES, SERIES, default_daily_shape
from gis.errors import InputError, Problem

DAY_ALIASES: dict[str, str] = {
    "workday": "workday", "weekend": "weekend", "holiday": "holiday",
    "工作日": "workday", "周末": "weekend", "节假日": "holiday", "休息日": "weekend", "假日": "holiday",
}
"""Day types a file may name (case-insensitive) → the profile series."""
DAY_NAMES_ZH = {"workday": "工作日", "weekend": "周末", "holiday": "节假日"}
TARGET_COLUMNS = ("target", "对象", "负荷类型", "企业代码")
DAY_COLUMNS = ("day", "day_type", "日类型", "日期类型")
VALUE_COUNTS = (24, 48, 96)
"""Values a row may have: hourly, half-hourly, quarter-hourly (gis.energy.profiles._per_interval)."""
HOUR_COLUMNS = tuple(f"h{h:02d}" for h in range(24))
"""Header of the hourly values in the files Lingtan writes (hour starting h:00)."""


class ProfileShapes(dict):
    """``{target: {day: relative values}}`` as read from ``path`` (a plain dict with its file)."""

    path: str | None = None

    def describe(self) -> str:
        """E.g. ``2 load kind(s), 1 enterprise(s), 4 day shape(s)``."""
        kinds = sum(1 for t in self if t in KIND_NAMES)
        rows = sum(len(d) for d in self.values())
        return f"{kinds} load kind(s), {len(self) - kinds} enterprise(s), {rows} day shape(s)"


def _kind_key(target: str) -> str:
    """A kind key from a key or its Chinese/English name; other targets unchanged (enterprise ids)."""
    t = target.strip()
    for key, (zh, en) in KIND_NAMES.items():
        if t.lower() in (key, zh.lower(), en.lower()):
            return key
    return t


def _read_text(p: Path) -> str:
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise InputError(f"无法读取负荷日曲线文件 {p.name}：{e}",
                         f"cannot read the load shapes file {p.name}: {e}",
                         path=str(p), code="shapes.read") from e
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"负荷日曲线文件 {p.name} 不是 UTF-8 或 GBK 编码的文本：请另存为 CSV（UTF-8）",
                     f"the load shapes file {p.name} is not UTF-8 or GBK text: save it as CSV (UTF-8)",
                     path=str(p), code="shapes.encoding")


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    low = [h.strip().lower() for h in header]
    return next((low.index(n) for n in names if n in low), None)


def _number(cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        return float("nan")


def read_profile_shapes(path: str | Path) -> ProfileShapes:
    """The edited daily shapes of a CSV file (format in the module docstring): ``{target: {day:
    (24|48|96,) relative kW}}`` with kind names turned into kind keys. A header with no rows is no
    edit (an empty result). InputError (bilingual, naming the file, the line and the fix) for a
    missing column, a wrong number of values, a negative, empty or non-numeric value, an unknown day
    type or a target/day given twice."""
    p = Path(path)
    try:
        rows = [r for r in csv.reader(io.StringIO(_read_text(p))) if any(c.strip() for c in r)]
    except csv.Error as e:
        raise InputError(f"负荷日曲线文件 {p.name} 不是可读的 CSV 表：{e}",
                         f"the load shapes file {p.name} is not a readable CSV table: {e}",
                         path=str(p), code="shapes.read") from e
    header = rows[0] if rows else []
    ti, di = _find(header, TARGET_COLUMNS), _find(header, DAY_COLUMNS)
    if ti is None or di is None:
        raise InputError(f"负荷日曲线文件 {p.name} 需要 target（负荷类型或企业代码）与 "
                         "day（工作日/周末/节假日）两列，其后为 24 个逐时数值",
                         f"the load shapes file {p.name} needs columns target (a load kind or an enterprise "
                         "id) and day (workday/weekend/holiday), then 24 hourly values",
                         path=str(p), code="shapes.columns")
    out = ProfileShapes()
    out.path = str(p)
    for line, row in enumerate(rows[1:], start=2):  # a few rows per kind or firm: not a hot path
        where_zh, where_en = f"{p.name} 第 {line} 行", f"{p.name}, line {line}"
        cells = [c.strip() for j, c in enumerate(row) if j not in (ti, di)]
        while cells and not cells[-1]:  # Excel pads short rows with commas
            cells.pop()
        target = row[ti].strip() if ti < len(row) else ""
        day = row[di].strip() if di < len(row) else ""
        if not target:
            raise InputError(f"{where_zh}：target 为空，应为负荷类型（如 industrial_two_shift）或企业代码",
                             f"{where_en}: empty target; give a load kind (e.g. industrial_two_shift) or an "
                             "enterprise id", path=str(p), code="shapes.target")
        series = DAY_ALIASES.get(day.lower())
        if series is None:
            raise InputError(f"{where_zh}：日类型“{day}”未知，应为 workday/weekend/holiday 或 "
                             "工作日/周末/节假日",
                             f"{where_en}: unknown day type '{day}'; use workday/weekend/holiday or "
                             "工作日/周末/节假日", path=str(p), code="shapes.day")
        if len(cells) not in VALUE_COUNTS:
            raise InputError(f"{where_zh}：需要 24 个逐时数值（或 48、96 个），实际 {len(cells)} 个",
                             f"{where_en}: 24 hourly values (or 48, 96) are needed, got {len(cells)}",
                             path=str(p), code="shapes.count")
        values = np.array([_number(c) for c in cells])
        bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            h = int(np.flatnonzero(bad)[0])
            raise InputError(f"{where_zh}：第 {h + 1} 个数值“{cells[h]}”不是非负数（负荷为相对值，不能为负、"
                             "空或文字）",
                             f"{where_en}: value {h + 1} '{cells[h]}' is not a non-negative number (relative "
                             "load: not negative, empty or text)", path=str(p), code="shapes.value")
        key = _kind_key(target)
        if series in out.get(key, {}):
            raise InputError(f"{where_zh}：“{target}”的{DAY_NAMES_ZH[series]}曲线出现了两次：删去一行",
                             f"{where_en}: the {series} shape of '{target}' is given twice: delete one row",
                             path=str(p), code="shapes.duplicate")
        out.setdefault(key, {})[series] = values
    return out


def shapes_csv_text(shapes: Mapping[str, Mapping[str, np.ndarray]]) -> str:
    """The CSV text of ``shapes`` (``{target: {day: 24 values}}``; kinds first, days in order), as
    :func:`read_profile_shapes` reads it: ``target,day,h00..h23``, values to 4 decimals."""
    lines = [",".join(("target", "day", *HOUR_COLUMNS))]
    order = sorted(shapes, key=lambda t: (t not in KIND_NAMES, list(KIND_NAMES).index(t) if t in KIND_NAMES
                                          else 0, t))
    for target in order:
        for day in SERIES:
            if day in shapes[target]:
                v = np.asarray(shapes[target][day], float).ravel()
                lines.append(",".join((target, day, *(f"{x:.4f}".rstrip("0").rstrip(".") or "0" for x in v))))
    return "\n".join(lines) + "\n"


def scaled_day(kind: str, day: str, values) -> np.ndarray:
    """``values`` (relative kW of one ``day`` type) scaled to the daily sum of ``kind``'s shipped
    ``day`` shape (per-interval mean × 24 h, so 24, 48 or 96 values compare); zeros stay zeros."""
    v = np.asarray(values, float).ravel()
    default, _ = default_daily_shape(kind, day)
    mean = v.mean() if len(v) else 0.0
    return v * (default.mean() / mean) if mean > 0 else v.copy()


def resolve_shapes(shapes: Mapping[str, Mapping[str, np.ndarray]], kinds: Mapping[str, str]
                   ) -> tuple[dict[str, dict], dict[str, dict], list[Problem]]:
    """(``{kind: daily_shape_override}``, ``{enterprise id: daily_shape_override}``, problems) of
    ``shapes`` for enterprises ``kinds`` (``{id: kind}``): kind rows for every enterprise of the kind,
    an enterprise's rows over its kind's day by day, each day scaled by :func:`scaled_day`.
    InputError for a target that is neither a load kind nor an enterprise id."""
    path = getattr(shapes, "path", None)
    name = Path(path).name if path else "profile shapes"
    ids = {str(k): v for k, v in kinds.items()}
    unknown = [t for t in shapes if t not in KIND_NAMES and t not in ids]
    if unknown:
        listed = "、".join(unknown[:5])
        raise InputError(f"{name}：“{listed}”既不是负荷类型也不是能耗表中的企业代码。负荷类型："
                         f"{'、'.join(KIND_NAMES)}",
                         f"{name}: '{', '.join(unknown[:5])}' is neither a load kind nor an enterprise id of "
                         f"the energy table. Load kinds: {', '.join(KIND_NAMES)}", path=path,
                         code="shapes.target")
    by_kind = {k: {d: scaled_day(k, d, v) for d, v in rows.items()} for k, rows in shapes.items()
               if k in KIND_NAMES}
    by_id = {t: {**by_kind.get(ids[t], {}), **{d: scaled_day(ids[t], d, v) for d, v in rows.items()}}
             for t, rows in shapes.items() if t not in KIND_NAMES}
    problems: list[Problem] = []
    unused = [k for k in by_kind if k not in set(ids.values())]
    if unused:
        problems.append(Problem("info", "shapes.kind_unused",
                                f"{name}：园区没有{'、'.join(KIND_NAMES[k][0] for k in unused)}类企业，"
                                "其修改的日曲线未用到",
                                f"{name}: no enterprise of kind {', '.join(unused)} in the park: its edited "
                                "shapes are not used"))
    return by_kind, by_id, problems
