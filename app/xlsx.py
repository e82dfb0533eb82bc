"""Writing Excel workbooks atomically (a crash, Ctrl-C or an open file never leaves half a workbook)."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pandas as pd

from app.outputs import _tmp_beside
from gis.errors import InputError

EXCEL_MAX_ROWS = 1_048_576 - 1
"""Rows an .xlsx sheet holds besides its header (Excel's limit, 2^20)."""


def _display_width(text) -> int:
    """Characters as wide as Excel shows them (CJK count double)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def write_xlsx(path: str | Path, sheets: dict[str, pd.DataFrame], *, max_width: int = 60) -> None:
    """Write ``sheets`` (name → table, in order) to ``path`` (.xlsx), replacing it atomically.

    Headers are bold and frozen; columns are sized to their content (at most ``max_width``).
    InputError when the folder is not writable or the file is open in another program.
    """
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InputError(f"输出文件应为 .xlsx：{path.name}", f"The output must be an .xlsx file: {path.name}",
                         path=str(path), code="output.suffix")
    big = {name: len(frame) for name, frame in sheets.items() if len(frame) >= EXCEL_MAX_ROWS}
    if big:
        names = ", ".join(f"{k} ({v:,})" for k, v in big.items())
        raise InputError(f"表格行数超过 Excel 上限 {EXCEL_MAX_ROWS:,} 行：{names}。请按年份或对象拆分输入",
                         f"Too many rows for Excel (limit {EXCEL_MAX_ROWS:,}): {names}. Split the input by "
                         "year or entity", path=str(path), code="output.too_many_rows")
    tmp = _tmp_beside(path)
    try:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, frame in sheets.items():
                sheet = str(name)[:31]
                frame.to_excel(xw, sheet_name=sheet, index=False)
                ws = xw.sheets[sheet]
                ws.freeze_panes = "A2"
                bold = Font(bold=True)
                for i, col in enumerate(frame.columns, start=1):
                    ws.cell(row=1, column=i).font = bold
                    sample = frame[col].head(200).map(
                        lambda v: f"{v:,.4g}" if isinstance(v, float) else v).astype(str)
                    width = max([_display_width(col), *(_display_width(v) for v in sample)], default=8)
                    ws.column_dimensions[get_column_letter(i)].width = min(max_width, width + 2)
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise InputError(f"无法覆盖 {path.name}：文件可能正在 Excel 中打开，请关闭后重试",
                             f"Cannot replace {path.name}: it may be open in Excel; close it and retry",
                             path=str(path), code="output.locked") from exc
    finally:
        tmp.unlink(missing_ok=True)
