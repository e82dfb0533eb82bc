"""Lingtan's one Excel writer: every .xlsx (carbon.xlsx, ``lingtan balance``/``carbon``, the park
workbook of the exports, the attribute table's export) goes through :func:`write_xlsx`.

* Atomic: written to a temporary file beside ``path`` and moved over it (a crash, Ctrl-C or an
  open file never leaves half a workbook).
* Streaming (openpyxl write-only): ~6 µs a cell, progress every 2,000 rows (cancellable).
* Bold, filled, frozen header row with an auto filter; columns sized to their content (CJK
  characters count double).
* Numbers stay numbers (with ``formats[sheet][column]`` Excel number formats); NaN/NA/NaT are
  empty cells; control characters Excel refuses are dropped.
* No formula injection (OWASP "CSV injection", which applies to any spreadsheet cell): text
  that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a number —
  in header and body cells alike — is stored as a text cell (``t="inlineStr"``, openpyxl
  data_type "s") with Excel's quote prefix (``quotePrefix``: the cell stays text when edited),
  never as a formula. openpyxl would otherwise store any string starting with "=" as a formula.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from app.outputs import _tmp_beside
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

EXCEL_MAX_ROWS = 1_048_576 - 1
"""Rows an .xlsx sheet holds besides its header (Excel's limit, 2^20)."""
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read text as a formula (OWASP, CSV injection)."""
FORMATTED_ROWS = 20_000
"""Sheets longer than this get no per-cell number formats (openpyxl writes a formatted cell at
half the speed of a plain one: ~12 µs vs 6 µs); the values stay numbers."""
MAX_CELL_CHARS = 32_767  # Excel's limit on the characters of one cell


def _display_width(text) -> int:
    """Characters as wide as Excel shows them (CJK count double)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet would take as a formula: it starts with one of
    :data:`FORMULA_PREFIXES` and is not a plain number ("-5", "+1.5e3" are numbers)."""
    if not text or not text.startswith(FORMULA_PREFIXES):
        return False
    if text[0] == "=":
        return True
    try:
        float(text)
    except ValueError:
        return True
    return False


def _cell_value(v):
    if v is None:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, list | tuple | dict | set):
        return str(v)
    return v


def text_cell(ws, text: str):
    """A write-only cell holding ``text`` as text, also when it looks like a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def auto_format(v: float) -> str:
    """An Excel number format for ``v`` when its column names none: thousands separators and
    decimals by magnitude (whole numbers none; ≥ 100: 1; ≥ 1: 2; smaller: 3 significant-ish), so
    a planner reads 1,173,453 tCO2 and 0.531 kgCO2/kWh; the cell keeps the full value."""
    a = abs(v)
    if a != a or a in (float("inf"),):  # NaN/inf are written empty or as text anyway
        return "General"
    if float(v).is_integer():
        return "#,##0" if a >= 10_000 else "0"  # years (2024) without a separator
    if a >= 100:
        return "#,##0.0"
    if a >= 1:
        return "#,##0.00"
    return "0.000" if a >= 0.001 or a == 0 else "0.00E+00"


def _print_setup(ws, n_cols: int, n_rows: int) -> None:
    """Print as a report: the used range, landscape for wide tables, fit to one page wide (pages
    down as needed: the 198 pages of a wide sheet become a few), the header row repeated."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    if n_cols == 0:
        return
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.page_setup.paperSize = "9"  # A4 (ECMA-376 ST_PaperSize)
    ws.page_setup.orientation = "landscape" if n_cols > 6 else "portrait"
    ws.print_area = f"A1:{get_column_letter(n_cols)}{n_rows + 1}"
    ws.print_title_rows = "1:1"


def write_xlsx(path: str | Path, sheets: Mapping[str, pd.DataFrame],
               formats: Mapping[str, Mapping[str, str]] | None = None, *, max_width: int = 60,
               progress: Progress = NO_PROGRESS, too_many_rows_hint: tuple[str, str] | None = None) -> Path:
    """Write ``sheets`` (name → table, in order) to ``path`` (.xlsx), replacing it atomically (see
    the module doc): numbers as numbers with ``formats[sheet][column]`` (Excel number formats;
    General otherwise and in sheets over :data:`FORMATTED_ROWS` rows), formula-like text as text.

    InputError when the suffix is not .xlsx, a sheet has more rows than Excel holds
    (``too_many_rows_hint``: (zh, en) advice appended to the message), or the file is open in
    another program."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"输出文件应为 .xlsx：{path.name}", f"The output must be an .xlsx file: {path.name}",
                         path=str(path), code="output.suffix")
    big = {name: len(f) for name, f in sheets.items() if len(f) >= EXCEL_MAX_ROWS}
    if big:
        names = ", ".join(f"{k} ({v:,})" for k, v in big.items())
        hint_zh, hint_en = too_many_rows_hint or ("请按年份或对象拆分输入",
                                                  "Split the input by year or entity")
        raise InputError(f"表格行数超过 Excel 上限 {EXCEL_MAX_ROWS:,} 行：{names}。{hint_zh}",
                         f"Too many rows for Excel (limit {EXCEL_MAX_ROWS:,}): {names}. {hint_en}",
                         path=str(path), code="output.too_many_rows")
    formats = formats or {}
    total_rows = max(sum(len(f) for f in sheets.values()), 1)
    rows_done = 0
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8EEF4")
    wrap = Alignment(vertical="top", wrap_text=True)

    def text(v: str):
        v = ILLEGAL_CHARACTERS_RE.sub("", v)[:MAX_CELL_CHARS]
        return text_cell(ws, v) if is_formula_like(v) else v

    for name, frame in sheets.items():
        title = str(name)[:31]
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        _print_setup(ws, len(frame.columns), len(frame))  # before any row (write-only mode)
        fmt = formats.get(name, {}) if len(frame) <= FORMATTED_ROWS else {}
        cols = list(frame.columns)
        for i, col in enumerate(cols, start=1):
            sample = frame.iloc[:200, i - 1].map(
                lambda v: f"{v:,.4g}" if isinstance(v, float) else v).astype(str)
            width = max([_display_width(col), *(_display_width(v) for v in sample)], default=8)
            ws.column_dimensions[get_column_letter(i)].width = min(max_width, width + 2)
        if cols:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{max(len(frame), 0) + 1}"
        head = []
        for col in cols:
            h = ILLEGAL_CHARACTERS_RE.sub("", str(col))
            c = text_cell(ws, h) if is_formula_like(h) else WriteOnlyCell(ws, value=h)
            c.font, c.fill, c.alignment = bold, fill, wrap
            head.append(c)
        ws.append(head)
        # a column's declared format, else one by magnitude per number (also in mixed columns such
        # as the summary's value column); none in very long sheets (write speed)
        auto = len(frame) <= FORMATTED_ROWS
        kinds = [fmt.get(col, "auto" if auto else None) for col in cols]
        columns = [frame.iloc[:, j].tolist() for j in range(len(cols))]
        for r in range(len(frame)):
            if r % 2000 == 0:
                progress.report(0.95 * (rows_done + r) / total_rows, f"{title} {r:,}/{len(frame):,}")
            row = []
            for j in range(len(cols)):
                v = _cell_value(columns[j][r])
                if isinstance(v, str):
                    row.append(text(v))
                elif kinds[j] is not None and isinstance(v, (int, float)) and not isinstance(v, bool):
                    cell = WriteOnlyCell(ws, value=v)
                    cell.number_format = auto_format(float(v)) if kinds[j] == "auto" else kinds[j]
                    row.append(cell)
                else:
                    row.append(v)
            ws.append(row)
        rows_done += len(frame)
    progress.report(0.95, "saving")
    tmp = _tmp_beside(path)
    try:
        wb.save(tmp)
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise InputError(f"无法覆盖 {path.name}：文件可能正在 Excel 等程序中打开，请关闭后重试",
                             f"Cannot replace {path.name}: it may be open in Excel or another program; close "
                             "it and retry", path=str(path), code="output.locked") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return path
