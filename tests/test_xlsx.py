"""Lingtan's one Excel writer (app/xlsx.py): read back with openpyxl, an independent reader."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from app.xlsx import is_formula_like, write_xlsx

NASTY = ["=HYPERLINK(\"http://evil\",\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
         "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1", "\t=1", "-"]


def _cells(path, sheet):
    return openpyxl.load_workbook(path)[sheet]


def test_formula_like_text_is_text_in_header_and_body(tmp_path):
    frame = pd.DataFrame({h: [v, "普通 text"] for h, v in zip(
        ["=A1", "+B", "@C", "-D", "plain", "=E", "-F"], NASTY, strict=True)})
    write_xlsx(tmp_path / "x.xlsx", {"s": frame})
    ws = _cells(tmp_path / "x.xlsx", "s")
    for cell in (*ws[1], *ws[2], *ws[3]):
        assert cell.data_type != "f", cell.coordinate
    assert [c.value for c in ws[1]] == list(frame.columns)
    assert [c.value for c in ws[2]] == NASTY  # stored as given, shown as text
    for cell in (*ws[1], *ws[2]):
        if is_formula_like(cell.value):
            assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    # no formula element anywhere in the sheet's XML
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_the_guard_leaves_numbers_and_plain_text_alone():
    assert not is_formula_like("-5") and not is_formula_like("+1.5e3") and not is_formula_like("abc")
    assert not is_formula_like("") and not is_formula_like("a=b")
    assert all(is_formula_like(v) for v in NASTY)


def test_values_round_trip_as_typed(tmp_path):
    frame = pd.DataFrame({"i": np.array([1, 2], dtype=np.int64), "f": [1.25, math.nan],
                          "b": [True, False], "t": ["中文", None],
                          "d": pd.to_datetime(["2024-03-01", None]), "n": ["-5", "7"]})
    write_xlsx(tmp_path / "v.xlsx", {"中文表": frame}, {"中文表": {"f": "#,##0.00"}})
    ws = _cells(tmp_path / "v.xlsx", "中文表")
    assert [c.value for c in ws[2]] == [1, 1.25, True, "中文", dt.datetime(2024, 3, 1), "-5"]
    assert ws["B2"].number_format == "#,##0.00"
    assert [c.value for c in ws[3]][:4] == [2, None, False, None] and ws["E3"].value is None
    assert ws.freeze_panes == "A2" and ws["A1"].font.b


def test_cmd_writers_share_the_guard(tmp_path):
    """The park workbook of the exports (app/exports/tables.py) writes through the same writer."""
    from app.exports.tables import write_sheets

    frame = pd.DataFrame({"=bad header": ["@evil", 1.0]})
    write_sheets(tmp_path / "t.xlsx", {"s": frame})
    ws = _cells(tmp_path / "t.xlsx", "s")
    assert ws["A1"].data_type == "s" and ws["A1"].value == "=bad header"
    assert ws["A2"].data_type == "s" and ws["A2"].value == "@evil"


def test_atomic_and_bad_suffix(tmp_path):
    from gis.errors import InputError

    path = tmp_path / "x.xlsx"
    write_xlsx(path, {"a": pd.DataFrame({"v": [1]})})
    with pytest.raises(InputError):
        write_xlsx(tmp_path / "x.xls", {"a": pd.DataFrame({"v": [1]})})
    assert _cells(path, "a")["A2"].value == 1 and list(tmp_path.iterdir()) == [path]
