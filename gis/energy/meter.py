"""Interval meter data (CSV or Excel) → a regular series of mean kW per meter.

What is read:

* **Layouts**: *wide* (a time column and one value column per meter or enterprise) or *long* (a
  meter-id column, a time column and one value column; pivoted to wide).
* **Time**: one column (时间, 日期时间, 采集时间, time, timestamp …) or a date column plus a clock
  column (日期 + 时刻 ``00:15``). Naive local time is China Standard Time; timestamps with an offset
  (``+08:00``, ``Z``, any fixed offset) are converted to naive CST. ``24:00`` means the next day's
  0:00. Excel's float fuzz is rounded to the second. A few title lines above the header are skipped.
* **Interval labels** mark the *start* of each interval (the convention of :mod:`gis.energy`); a file
  whose labels are interval *ends* (the 0:15 value is the 0:00–0:15 energy, the day ends at 24:00)
  must be read with ``label="end"``: labels are then moved back by one interval. The reader only
  hints at this, it never guesses.
* **Units** come from the header (``有功功率(kW)``, ``电量(kWh)``, ``load_kw``, ``MWh``, ``度``): power
  (W, kW, MW) is mean power, energy (Wh, kWh, MWh, 度) is energy per interval and becomes kW by
  dividing by the interval length. A header without a unit needs ``unit="kw"`` or ``unit="kwh"``.
* **Steps** of 15, 30 or 60 minutes (the most common difference between successive times); every
  time must lie on that grid.

Gaps (missing times or blank cells) and duplicate times are **reported** as problems with counts and
the first timestamps, never filled: the gaps stay NaN and :attr:`MeterData.complete` is False until
the caller chooses :func:`fill_gaps`. Of duplicate times the first row is kept (also reported).
Bad files — binary, empty, no time column, unparseable times, off-grid times, text/NaN/inf,
negative values, or over 10 GW — raise :class:`InputError` naming the file, the row and the fix.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem

TIME_NAMES = ("时间", "日期时间", "采集时间", "数据时间", "抄表时间", "记录时间", "冻结时间", "时间戳",
              "时刻", "开始时间", "起始时间", "时段开始", "time", "timestamp", "datetime", "date_time",
              "date time", "start", "start_time", "interval_start", "period_start", "local_time", "ts")
"""Headers (unit and brackets removed, case-insensitive) of a time column, best first."""
DATE_NAMES = ("日期", "date", "day")
"""Headers of a date column, combined with a clock column (时间/时刻/time holding ``HH:MM``)."""
METER_NAMES = ("表号", "电表编号", "电表号", "电表", "计量点", "计量点编号", "户号", "用户编号", "用户号",
               "企业代码", "企业名称", "企业", "用户名称", "meter", "meter_id", "meter_no", "meter_name",
               "site", "enterprise", "customer", "id", "name")
"""Headers of the meter-id column of a long table."""
IGNORE_NAMES = ("序号", "行号", "编号序列", "no", "no.", "index", "row", "#")
"""Row-number columns that are never meters."""
UNITS: dict[str, tuple[str, float]] = {
    "kwh": ("kwh", 1.0), "千瓦时": ("kwh", 1.0), "度": ("kwh", 1.0), "mwh": ("kwh", 1e3),
    "兆瓦时": ("kwh", 1e3), "wh": ("kwh", 1e-3), "瓦时": ("kwh", 1e-3), "kw": ("kw", 1.0),
    "千瓦": ("kw", 1.0), "mw": ("kw", 1e3), "兆瓦": ("kw", 1e3), "w": ("kw", 1e-3), "瓦": ("kw", 1e-3)}
"""Unit text → (kind, factor to kW or kWh)."""
STEPS_MIN = (15, 30, 60)
"""Interval lengths read (minutes)."""
MAX_KW = 1e7
"""Largest plausible mean power of one meter: 10 GW (a park's whole load is rarely over 1 GW);
more means a unit error (W read as kW)."""
HEADER_SEARCH_ROWS = 30
"""Title lines above the header that are skipped."""
_BRACKET = re.compile(r"[(（\[【]([^()（）\[\]【】]*)[)）\]】]")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
_OFFSET = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$")


@dataclass
class MeterData:
    """Metered load: ``kw`` holds the mean kW of each meter (column) over the interval starting at
    each ``index`` label (naive CST); NaN marks a gap."""

    index: pd.DatetimeIndex
    dt_h: float
    kw: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    source_path: str | None = None

    @property
    def complete(self) -> bool:
        """True when no interval of any meter is missing."""
        return not bool(self.kw.isna().to_numpy().any())

    @property
    def park_kw(self) -> pd.Series:
        """Sum over the meters (kW); NaN wherever any meter is missing (never under-counted)."""
        return self.kw.sum(axis=1, skipna=False).rename("kw")

    @property
    def kwh(self) -> pd.Series:
        """Energy per meter over the data (kWh, gaps skipped)."""
        return self.kw.sum() * self.dt_h


def _err(path: str, zh: str, en: str, code: str) -> InputError:
    return InputError(zh, en, path=path, code=code)


def _name(header: str) -> str:
    """A header without its bracketed unit, lower-case, trimmed."""
    return _BRACKET.sub("", str(header)).strip().lower()


def header_unit(header: str) -> tuple[str, float] | None:
    """(``"kw"``|``"kwh"``, factor) from a header's unit: in brackets (``电量(kWh)``), as its last word
    (``load kW``, ``meter1_kwh``) or the whole header (``kwh``); None when it says nothing."""
    text = str(header).strip().lower().replace("·", "").replace("⋅", "")
    text = text.replace("kw.h", "kwh").replace("kw h", "kwh")
    found = _BRACKET.findall(text)
    cands = [found[-1].strip()] if found else []
    cands += [re.split(r"[\s_/\-:，,]+", _BRACKET.sub("", text).strip())[-1], text]
    for c in cands:
        if c in UNITS:
            return UNITS[c]
    return None


def _read_rows(path: Path, encoding: str | None, sheet: str | None) -> list[list[str]]:
    """All rows of the file as text (blank cells '')."""
    shown = str(path)
    if not path.exists():
        raise _err(shown, "文件不存在", "File not found", "file.missing")
    if not path.is_file():
        raise _err(shown, "这不是普通文件：请选择电表数据文件（CSV 或 Excel）",
                   "This is not a regular file: choose a meter data file (CSV or Excel)", "file.not_regular")
    if path.stat().st_size == 0:
        raise _err(shown, "文件是空的", "The file is empty", "meter.empty")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return _read_excel(path, sheet)
    raw = path.read_bytes()
    if b"\x00" in raw[:65536]:
        raise _err(shown, "这不是文本 CSV 文件（含二进制内容）：请另存为 CSV（逗号分隔）或 Excel",
                   "This is not a text CSV file (binary content): save it as CSV (comma-separated) or Excel",
                   "meter.binary")
    codecs = [encoding] if encoding else ["utf-8-sig", "gb18030"]
    for codec in codecs:
        try:
            text = raw.decode(codec)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    else:
        raise _err(shown, f"无法按 {' 或 '.join(codecs)} 解码：请用 encoding= 指定编码（如 gbk、utf-8）",
                   f"Cannot decode as {' or '.join(codecs)}: give the encoding (e.g. gbk, utf-8)",
                   "meter.encoding")
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _read_excel(path: Path, sheet: str | None) -> list[list[str]]:
    from gis.io.tabular import _check_xlsx_size  # the zip-bomb guard of the table reader

    if path.suffix.lower() != ".xls":
        _check_xlsx_size(path)
    try:
        with pd.ExcelFile(path) as book:
            sheets = [str(s) for s in book.sheet_names]
            if sheet is not None and sheet not in sheets:
                raise _err(str(path), f"Excel 中没有工作表“{sheet}”。可选：{'、'.join(sheets)}",
                           f"No sheet '{sheet}' in the workbook. Sheets: {', '.join(sheets)}",
                           "excel.no_sheet")
            df = pd.read_excel(book, sheet_name=sheet if sheet is not None else sheets[0], header=None,
                               dtype=str)
    except InputError:
        raise
    except Exception as exc:
        raise _err(str(path), f"无法打开 Excel 文件：{exc}", f"Cannot open the Excel file: {exc}",
                   "excel.unreadable") from exc
    return df.fillna("").astype(str).map(str.strip).values.tolist()


def _find_header(rows: list[list[str]], path: str) -> int:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = {_name(c) for c in row}
        if names & set(TIME_NAMES) or names & set(DATE_NAMES):
            return i
    raise _err(path, "找不到时间列：表头需要一列名为 时间、日期时间、采集时间、time 或 timestamp"
               "（或 日期 + 时刻 两列）",
               "No time column: the header needs a column named 时间, 日期时间, 采集时间, time or "
               "timestamp (or date + time columns)", "meter.no_time")


def _pick(names: list[str], candidates) -> int | None:
    for cand in candidates:
        for j, n in enumerate(names):
            if n == cand:
                return j
    return None


def _parse_times(text: pd.Series, rows: np.ndarray, path: str) -> pd.Series:
    """Naive CST timestamps (rounded to the second) from text; InputError naming bad rows."""
    s = text.str.strip()
    m24 = s.str.contains(r"\s24:00(?::00)?$", regex=True)
    s = s.where(~m24, s.str.replace(r"24:00(?::00)?$", "00:00", regex=True))
    offset = s.str.contains(_OFFSET, regex=True)
    if offset.any() and not offset.all():
        o = int(np.argmax(~offset.to_numpy() if offset.iloc[0] else offset.to_numpy()))
        raise _err(path, f"时间有的带时区偏移、有的不带（如第 {rows[o]} 行“{text.iloc[o]}”）：请统一",
                   f"Some times carry a UTC offset and some do not (e.g. row {rows[o]}: "
                   f"'{text.iloc[o]}'): make them all alike", "meter.mixed_offsets")
    utc = bool(offset.any())
    t = pd.to_datetime(s, errors="coerce", utc=utc)
    if t.isna().any():  # several formats in one file: element-wise
        t = pd.to_datetime(s, errors="coerce", utc=utc, format="mixed")
    bad = t.isna().to_numpy()
    if bad.any():
        i = np.flatnonzero(bad)
        listed = "；".join(f"第 {rows[k]} 行“{text.iloc[k]}”" for k in i[:5])
        listed_en = "; ".join(f"row {rows[k]}: '{text.iloc[k]}'" for k in i[:5])
        raise _err(path, f"{len(i)} 个时间无法识别：{listed}。请写成 2025-01-01 00:15 这样的格式",
                   f"{len(i)} time(s) cannot be read: {listed_en}. Write them like 2025-01-01 00:15",
                   "meter.bad_time")
    if utc:
        t = t.dt.tz_convert(None) + pd.Timedelta(hours=8)  # fixed UTC+8, China has no DST
    t = t + pd.to_timedelta(m24.astype(int), unit="D")
    return t.dt.round("s")


def _values(df: pd.DataFrame, col: int, header: str, rows: np.ndarray, path: str) -> np.ndarray:
    """Floats of one column (NaN where blank); InputError for text, NaN/inf written out, negatives."""
    text = df.iloc[:, col].astype(str).str.strip()
    blank = (text == "").to_numpy()
    v = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce").to_numpy(dtype=float)
    bad = ~blank & ~np.isfinite(v)
    where_zh = f"“{header}”列（第 {col + 1} 列）"
    where_en = f"column '{header}' ({col + 1})"
    if bad.any():
        i = np.flatnonzero(bad)
        listed = "；".join(f"第 {rows[k]} 行“{text.iloc[k]}”" for k in i[:5])
        listed_en = "; ".join(f"row {rows[k]}: '{text.iloc[k]}'" for k in i[:5])
        raise _err(path, f"{where_zh}有 {len(i)} 个不是有限数字：{listed}。缺测请留空（会报告为缺口）",
                   f"{where_en} has {len(i)} value(s) that are not finite numbers: {listed_en}. Leave "
                   "missing readings blank (they are reported as gaps)", "meter.not_a_number")
    neg = ~blank & (v < 0)
    if neg.any():
        k = int(np.flatnonzero(neg)[0])
        raise _err(path, f"{where_zh}第 {rows[k]} 行为负数（{text.iloc[k]}）等 {int(neg.sum())} 处："
                   "本读取只接受用电量；双向表请把上网电量与下网电量分成两列并只给下网",
                   f"{where_en}, row {rows[k]} is negative ({text.iloc[k]}), {int(neg.sum())} in all: "
                   "only consumption is read; split a bidirectional meter into import and export and give "
                   "the import", "meter.negative")
    return v


def read_meter(path: str | Path, *, encoding: str | None = None, sheet: str | None = None,
               unit: str | None = None, label: str = "start") -> MeterData:
    """Read interval meter data (see the module doc) into mean kW per meter.

    encoding: the CSV's text encoding (default: UTF-8, else GB18030/GBK).
    sheet: the Excel sheet (default: the first).
    unit: ``"kw"``/``"kwh"`` (or ``"mw"``, ``"mwh"``, ``"w"``, ``"wh"``) for value columns whose header
        has no unit; a header's own unit that differs is an error.
    label: ``"start"`` (default) or ``"end"`` when each time marks the end of its interval.
    """
    path = Path(path)
    shown = str(path)
    if label not in ("start", "end"):
        raise _err(shown, "label 只能是 start 或 end", "label must be 'start' or 'end'", "meter.label")
    given = None
    if unit is not None:
        given = UNITS.get(str(unit).strip().lower())
        if given is None:
            raise _err(shown, f"单位“{unit}”不可用：请用 kW 或 kWh",
                       f"Unit '{unit}' is not known: use kW or kWh", "meter.unit")
    rows = _read_rows(path, encoding, sheet)
    h = _find_header(rows, shown)
    header = [str(c).strip() for c in rows[h]]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in rows[h + 1:]]
    file_rows = np.arange(h + 2, h + 2 + len(body))
    df = pd.DataFrame(body, dtype=str) if body else pd.DataFrame(columns=range(width), dtype=str)
    keep = (df != "").any(axis=1).to_numpy() if len(df) else np.zeros(0, bool)
    df, file_rows = df[keep].reset_index(drop=True), file_rows[keep]
    if df.empty:
        raise _err(shown, "表头下面没有数据行", "There are no data rows under the header", "meter.empty")
    names = [_name(c) for c in header]
    tcol = _pick(names, TIME_NAMES)
    dcol = _pick(names, DATE_NAMES)
    if dcol is not None and (tcol is None or df.iloc[:, tcol].str.match(_CLOCK).all()):
        clock = df.iloc[:, tcol] if tcol is not None else pd.Series("00:00", index=df.index)
        time_text = df.iloc[:, dcol].str.replace(r"\s00:00:00$", "", regex=True) + " " + clock
        used = {dcol} | ({tcol} if tcol is not None else set())
    elif tcol is not None:
        time_text, used = df.iloc[:, tcol], {tcol}
    else:
        _find_header([], shown)  # raises: no time column
    empty_time = (time_text.str.strip() == "").to_numpy()
    if empty_time.any():
        k = int(np.flatnonzero(empty_time)[0])
        raise _err(shown, f"第 {file_rows[k]} 行有数值但没有时间",
                   f"Row {file_rows[k]} has values but no time", "meter.no_time_value")
    times = _parse_times(time_text.reset_index(drop=True), file_rows, shown)
    mcol = _pick(names, METER_NAMES)
    value_cols = [j for j in range(width)
                  if j not in used and j != mcol and header[j] != "" and names[j] not in IGNORE_NAMES]
    problems: list[Problem] = []
    numeric = [j for j in value_cols if (pd.to_numeric(df.iloc[:, j].str.replace(",", "", regex=False),
                                                       errors="coerce").notna().any())]
    skipped = [header[j] for j in value_cols if j not in numeric and (df.iloc[:, j] != "").any()]
    if skipped:
        problems.append(Problem("info", "meter.ignored_columns", f"未读取的非数值列：{'、'.join(skipped)}",
                                f"Columns without numbers were not read: {', '.join(skipped)}"))
    if mcol is not None:
        with_unit = [j for j in numeric if header_unit(header[j]) is not None]
        numeric = with_unit if len(with_unit) == 1 else numeric
        if len(numeric) != 1:
            raise _err(shown, f"长表（电表列“{header[mcol]}”）需要恰好一个数值列，实际："
                       f"{'、'.join(header[j] for j in numeric) or '无'}",
                       f"A long table (meter column '{header[mcol]}') needs exactly one value column, found: "
                       f"{', '.join(header[j] for j in numeric) or 'none'}", "meter.long_values")
    if not numeric:
        raise _err(shown, "没有数值列：每个电表一列（表头写单位，如 有功功率(kW)、电量(kWh)）",
                   "No value columns: one column per meter with its unit in the header, e.g. 有功功率(kW), "
                   "电量(kWh)", "meter.no_values")
    units: dict[int, tuple[str, float]] = {}
    for j in numeric:
        u = header_unit(header[j])
        if u is None and given is None:
            raise _err(shown, f"“{header[j]}”列的表头没有单位：请写成 {header[j]}(kW) 或 {header[j]}(kWh)，"
                       "或用 unit=kw / unit=kwh 指定（kW 为时段平均功率，kWh 为时段电量）",
                       f"The header '{header[j]}' has no unit: write {header[j]}(kW) or {header[j]}(kWh), "
                       "or give unit=kw / unit=kwh (kW: mean power over the interval; kWh: energy of the "
                       "interval)",
                       "meter.no_unit")
        if u is not None and given is not None and u[0] != given[0]:
            raise _err(shown, f"“{header[j]}”列表头的单位与 unit={unit} 矛盾", f"The header '{header[j]}' "
                       f"contradicts unit={unit}", "meter.unit_conflict")
        units[j] = u if u is not None else given  # type: ignore[assignment]  # given is set here
    values = {j: _values(df, j, header[j], file_rows, shown) for j in numeric}
    if mcol is not None:
        j = numeric[0]
        meters = df.iloc[:, mcol].astype(str).to_numpy()
        if (meters == "").any():
            k = int(np.flatnonzero(meters == "")[0])
            raise _err(shown, f"第 {file_rows[k]} 行没有电表编号", f"Row {file_rows[k]} has no meter id",
                       "meter.no_id")
        long = pd.DataFrame({"meter": meters, "time": times.to_numpy(), "v": values[j], "row": file_rows})
        kind, factor = units[j]
    else:
        long = pd.concat([pd.DataFrame({"meter": _BRACKET.sub("", header[j]).strip() or header[j],
                                        "time": times.to_numpy(), "v": values[j], "row": file_rows,
                                        "kind": units[j][0], "f": units[j][1]}) for j in numeric],
                         ignore_index=True)
        kind, factor = None, None
    return _assemble(long, kind, factor, label, shown, problems)


def _assemble(long: pd.DataFrame, kind, factor, label: str, path: str, problems: list[Problem]) -> MeterData:
    """Grid, duplicates, gaps, units → MeterData."""
    u = np.unique(long["time"].to_numpy())
    if len(u) < 2:
        raise _err(path, "只有一个时间点：无法确定时间间隔", "Only one time: the interval cannot be told",
                   "meter.too_short")
    diffs = np.diff(u).astype("timedelta64[s]").astype(np.int64)
    steps, counts = np.unique(diffs, return_counts=True)
    step_s = int(steps[np.argmax(counts)])
    if step_s not in [m * 60 for m in STEPS_MIN]:
        raise _err(path, f"时间间隔为 {step_s / 60:g} 分钟：只支持 15、30、60 分钟",
                   f"The interval is {step_s / 60:g} min: only 15, 30 and 60 min are read", "meter.step")
    dt_h = step_s / 3600
    off = ((u - u[0]).astype("timedelta64[s]").astype(np.int64) % step_s) != 0
    if off.any():
        t_bad = pd.Timestamp(u[np.argmax(off)])
        row = int(long.loc[long["time"] == t_bad, "row"].iloc[0])
        start = pd.Timestamp(u[0])
        raise _err(path, f"时间不规则：第 {row} 行 {t_bad} 不在自 {start} 起每 {step_s // 60} 分钟的网格上，"
                   f"共 {int(off.sum())} 个。请导出等间隔数据",
                   f"Irregular times: row {row}, {t_bad} is off the {step_s // 60}-min grid starting "
                   f"{start} ({int(off.sum())} in all). Export evenly spaced data", "meter.irregular")
    dup = long.duplicated(["meter", "time"], keep="first").to_numpy()
    if dup.any():
        first = long[dup].iloc[0]
        n_rows = int(long.loc[dup, "row"].nunique())
        both = long[long.duplicated(["meter", "time"], keep=False)]
        differing = int((both.groupby(["meter", "time"])["v"].nunique(dropna=False) > 1).sum())
        problems.append(Problem(
            "warning", "meter.duplicates",
            f"{n_rows} 行时间重复（首个：{first['meter']} {first['time']}，第 {int(first['row'])} 行），"
            f"其中 {differing} 个时间的数值不同；保留每个时间的第一行",
            f"{n_rows} duplicate time row(s) (first: {first['meter']} {first['time']}, row "
            f"{int(first['row'])}), {differing} time(s) with differing values; the first row of each is kept",
            list(dict.fromkeys(long.loc[dup, "meter"]))))
        long = long[~dup]
    full = pd.date_range(pd.Timestamp(u[0]), pd.Timestamp(u[-1]), freq=pd.Timedelta(seconds=step_s))
    wide = long.pivot(index="time", columns="meter", values="v").reindex(full)
    meters = list(dict.fromkeys(long["meter"]))
    wide = wide[meters]
    if kind is None:
        per = long.drop_duplicates("meter").set_index("meter")
        kinds = per["kind"].reindex(meters).to_numpy()
        factors = per["f"].reindex(meters).to_numpy(dtype=float)
    else:
        kinds, factors = np.array([kind] * len(meters)), np.full(len(meters), float(factor))
    scale = np.where(kinds == "kwh", factors / dt_h, factors)  # energy per interval → mean kW
    kw = wide.to_numpy(dtype=float) * scale
    big = np.nan_to_num(kw) > MAX_KW
    if big.any():
        r, c = np.argwhere(big)[0]
        raise _err(path, f"{meters[c]} 在 {full[r]} 的功率 {kw[r, c]:,.0f} kW 超过 10 GW："
                   "单位是否写错（W 写成了 kW）？",
                   f"{meters[c]} at {full[r]}: {kw[r, c]:,.0f} kW is over 10 GW: is the unit wrong "
                   "(W as kW)?", "meter.too_big")
    if label == "end":
        full = full - pd.Timedelta(seconds=step_s)
        problems.append(Problem("info", "meter.label_end", "时间按时段结束时刻读取，已前移一个时段",
                                "Times read as interval ends and moved back by one interval"))
    elif full[0].hour == 0 and full[0].minute * 60 == step_s and full[-1].hour == 0 and full[-1].minute == 0:
        problems.append(Problem("info", "meter.label_hint",
                                f"数据从 {full[0]:%H:%M} 开始、到 0:00 结束，像是按时段结束时刻标注："
                                "若如此请用 label=end",
                                f"The data start at {full[0]:%H:%M} and end at 0:00, as if times marked "
                                "interval ends: if so, read with label=end"))
    frame = pd.DataFrame(kw, index=full, columns=pd.Index(meters, name="meter"))
    problems.extend(_gap_problems(frame))
    return MeterData(pd.DatetimeIndex(full), dt_h, frame, problems, path)


def _gap_problems(kw: pd.DataFrame) -> list[Problem]:
    miss = kw.isna().to_numpy()
    if not miss.any():
        return []
    n = int(miss.sum())
    any_row = miss.any(axis=1)
    runs = int((np.diff(np.r_[0, any_row.astype(np.int8)]) == 1).sum())
    first = kw.index[np.argmax(any_row)]
    per = {m: int(c) for m, c in zip(kw.columns, miss.sum(axis=0), strict=True) if c}
    detail_zh = "；".join(f"{m} 缺 {c} 个" for m, c in list(per.items())[:5])
    detail_en = "; ".join(f"{m}: {c} missing" for m, c in list(per.items())[:5])
    return [Problem("warning", "meter.gaps",
                    f"共缺 {n} 个时段数据（{runs} 段，首个缺失 {first}）：{detail_zh}。"
                    "未填补；可选 fill_gaps 线性或按典型日填补",
                    f"{n} interval value(s) missing in {runs} stretch(es), the first at {first}: "
                    f"{detail_en}. Not filled; choose fill_gaps (linear or profile) to fill them", list(per))]


def fill_gaps(data: MeterData, method: str = "linear") -> MeterData:
    """A copy of ``data`` with its gaps filled, by the caller's explicit choice:

    * ``"linear"``: straight line in time between the readings around each gap (leading/trailing
      gaps take the nearest reading);
    * ``"profile"``: the meter's own mean for the same time of day on the same kind of day
      (Mon–Fri or Sat–Sun) over the data; where that has no readings, its mean for the time of day,
      then its overall mean.

    The number filled is added to the problems (info); a meter without any reading stays NaN.
    """
    kw = data.kw
    if method == "linear":
        filled = kw.interpolate(method="time", limit_area="inside").ffill().bfill()
    elif method == "profile":
        slot = pd.Series(kw.index.hour * 60 + kw.index.minute, index=kw.index)
        weekend = pd.Series(kw.index.day_of_week >= 5, index=kw.index)
        by_day = kw.groupby([weekend, slot]).transform("mean")
        by_slot = kw.groupby(slot).transform("mean")
        filled = kw.fillna(by_day).fillna(by_slot).fillna(kw.mean())
    else:
        raise InputError(f"填补方法“{method}”未知：用 linear 或 profile",
                         f"Unknown fill method '{method}': use linear or profile", code="meter.fill_method")
    n = int(kw.isna().to_numpy().sum() - filled.isna().to_numpy().sum())
    names = {"linear": ("线性插值", "linear interpolation"),
             "profile": ("同类日同时刻均值", "the same-daytype time-of-day mean")}[method]
    p = Problem("info", "meter.filled", f"按{names[0]}填补了 {n} 个缺失时段",
                f"Filled {n} missing interval(s) by {names[1]}")
    return replace(data, kw=filled, problems=[*data.problems, p])


def resample_kw(data: MeterData, dt_h: float) -> MeterData:
    """Mean kW over coarser intervals (``dt_h`` a whole multiple of the data's); an interval with any
    missing sub-interval stays NaN."""
    k = dt_h / data.dt_h
    if k < 1 or abs(k - round(k)) > 1e-9:
        raise InputError(f"只能合并为原间隔 {data.dt_h} h 的整数倍",
                         f"Can only resample to whole multiples of {data.dt_h} h", code="meter.resample")
    per = round(k)
    if per == 1:
        return data
    rule = pd.Timedelta(hours=dt_h)
    kw = data.kw.resample(rule, origin="start_day").sum(min_count=per) / per
    kw[data.kw.resample(rule, origin="start_day").count() < per] = np.nan
    return replace(data, index=pd.DatetimeIndex(kw.index), dt_h=dt_h, kw=kw)
