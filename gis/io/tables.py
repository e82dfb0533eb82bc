"""Plain data tables (CSV/Excel without geometry): energy statistics, township statistics."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gis.errors import InputError
from gis.io.report import ReadReport
from gis.io.tabular import read_table


def read_data_table(path: str | Path, sheet: str | None = None) -> tuple[pd.DataFrame, ReadReport]:
    """Read a CSV (UTF-8 or GBK) or Excel sheet; numeric-looking columns become numbers.

    Thousands separators ("1,234.5") are accepted. Blank rows are dropped but the index keeps
    each row's place in the file (0 = the first row under the header), so messages can name the
    spreadsheet row (index + 2). Returns the frame and a report.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", "File not found", path=str(path), code="file.missing")
    from gis.io.read import check_regular_file

    check_regular_file(path)
    report = ReadReport(path=str(path))
    table = read_table(path, report, sheet).dropna(how="all")
    for col in table.columns:
        text = table[col].astype("string").str.strip().str.replace(",", "", regex=False)
        nums = pd.to_numeric(text, errors="coerce")
        filled = text.notna() & (text != "")
        if filled.any() and nums[filled].notna().all():
            table[col] = nums
    report.describe(table)
    return table, report
