"""Workbooks as planners print and read them: numbers carry a number format (thousands
separators, decimals by magnitude) also in the summary's mixed value column, every sheet prints
one page wide with the header repeated, and the header row is frozen."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from app.xlsx import write_xlsx


@pytest.fixture
def book(tmp_path):
    summary = pd.DataFrame({"项目 item": ["园区", "碳排放总量", "年份", "排放因子", "年发电量", "建筑数"],
                            "数值 value": ["临江", 1_173_452.7645, 2024, 0.5306, 54_549_140, 619]})
    wide = pd.DataFrame(np.arange(600 * 40, dtype=float).reshape(600, 40) + 0.25,
                        columns=[f"c{i}" for i in range(40)])
    path = write_xlsx(tmp_path / "b.xlsx", {"汇总 summary": summary, "wide": wide},
                      {"wide": {"c0": "0.0"}})
    return load_workbook(path)


def test_summary_numbers_have_formats(book):
    ws = book["汇总 summary"]
    got = {ws.cell(r, 1).value: (ws.cell(r, 2).value, ws.cell(r, 2).number_format) for r in range(2, 8)}
    # written out by hand: separators from 10,000 up, none in a year; decimals by magnitude
    assert got["碳排放总量"] == (pytest.approx(1_173_452.7645), "#,##0.0")  # 1,173,452.8
    assert got["年份"] == (2024, "0")
    assert got["排放因子"] == (pytest.approx(0.5306), "0.000")
    assert got["年发电量"] == (54_549_140, "#,##0")
    assert got["建筑数"] == (619, "0")
    assert got["园区"][1] == "General"  # text stays text


def test_declared_formats_win(book):
    ws = book["wide"]
    assert ws.cell(2, 1).number_format == "0.0"
    assert ws.cell(2, 2).number_format == "#,##0.00"  # 1.25: two decimals


def test_every_sheet_prints_one_page_wide_with_its_header(book):
    for ws in book.worksheets:
        n_cols, n_rows = ws.max_column, ws.max_row
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.print_title_rows == "$1:$1"
        last = ws.cell(1, n_cols).column_letter
        assert ws.print_area == f"'{ws.title}'!$A$1:${last}${n_rows}"
        assert ws.freeze_panes == "A2"
    assert book["wide"].page_setup.orientation == "landscape"
    assert book["汇总 summary"].page_setup.orientation == "portrait"
