"""Edited daily load shapes (issue 18 "Load"): the CSV reader (gis/energy/shapes_file.py), the shapes
on the park's typical profiles (park_load(shapes=)), ``lingtan energy --profile-shapes`` and the
desktop editor (app/gui/profile_editor.py: drag, table, save, undo, the project remembering the file).

References are written out here: the shipped shapes are read straight from
resources/energy/load_profiles.csv, day types from chinese_calendar, the ratios by hand."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from gis.errors import InputError
from gis.paths import resources_dir

HOURS = [f"h{h:02d}" for h in range(24)]
DAY_8_17 = [1.0 if 8 <= h <= 17 else 0.0 for h in range(24)]
"""The hand example: 1 for the hours starting 8:00 … 17:00 (ten hours), 0 otherwise."""


def shipped(kind: str, day: str) -> np.ndarray:
    """A shipped daily shape, read from the resource CSV (not through the code under test)."""
    df = pd.read_csv(resources_dir() / "energy" / "load_profiles.csv", dtype=str)
    row = df[(df["kind"] == kind) & (df["series"] == day)].iloc[0]
    return np.array([float(v) for v in row["values"].split()])


def write(path, rows, header=("target", "day", *HOURS), encoding="utf-8"):
    lines = [",".join(header)] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


# ---- the reader ---------------------------------------------------------------------------------

def test_reader_takes_chinese_names_gbk_and_excel_padding(tmp_path):
    from gis.energy.shapes_file import read_profile_shapes

    f = write(tmp_path / "s.csv", [
        ("工业·两班制", "工作日", *DAY_8_17),
        ("E004", "周末", *range(24), ""),  # Excel pads a row with a trailing comma
        ("office", "Holiday", *([50] * 24)),
    ], encoding="gb18030")
    s = read_profile_shapes(f)
    assert set(s) == {"industrial_two_shift", "E004", "office"}
    assert s["industrial_two_shift"]["workday"].tolist() == DAY_8_17
    assert s["E004"]["weekend"].tolist() == [float(h) for h in range(24)]
    assert s["office"]["holiday"].tolist() == [50.0] * 24
    assert s.path == str(f)
    empty = write(tmp_path / "empty.csv", [])
    assert read_profile_shapes(empty) == {}


BAD_FILES = {
    "count": (("industrial_two_shift", "workday", *([1] * 23)), "23", "shapes.count"),
    "negative": (("industrial_two_shift", "workday", *([1] * 23), -0.5), "-0.5", "shapes.value"),
    "nan": (("industrial_two_shift", "workday", *([1] * 10), "nan", *([1] * 13)), "nan", "shapes.value"),
    "text": (("industrial_two_shift", "workday", *([1] * 10), "abc", *([1] * 13)), "abc", "shapes.value"),
    "day": (("industrial_two_shift", "周日", *([1] * 24)), "周日", "shapes.day"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_reader_refuses_bad_rows_in_both_languages(tmp_path, case):
    from gis.energy.shapes_file import read_profile_shapes

    row, shown, code = BAD_FILES[case]
    f = write(tmp_path / "bad.csv", [row])
    with pytest.raises(InputError) as e:
        read_profile_shapes(f)
    assert e.value.code == code
    assert "第 2 行" in e.value.zh and "line 2" in e.value.en and shown in e.value.en


def test_reader_refuses_a_missing_column_and_a_twice_given_day(tmp_path):
    from gis.energy.shapes_file import read_profile_shapes

    with pytest.raises(InputError, match="target"):
        read_profile_shapes(write(tmp_path / "a.csv", [("x", *([1] * 24))], header=("kind", *HOURS)))
    twice = write(tmp_path / "b.csv", [("office", "workday", *([1] * 24)), ("办公", "工作日", *([2] * 24))])
    with pytest.raises(InputError) as e:
        read_profile_shapes(twice)
    assert e.value.code == "shapes.duplicate" and "第 3 行" in e.value.zh


# ---- on the park's load -------------------------------------------------------------------------

def _workdays_outside_spring(year: int) -> list[dt.date]:
    """Working days (State Council calendar) from March on: clear of the Spring Festival shutdown."""
    import chinese_calendar as cc

    days = pd.date_range(f"{year}-03-01", f"{year}-12-31", freq="D").date
    return [d for d in days if cc.is_workday(d)]


def test_hand_example_night_is_zero_and_the_year_is_exact(tmp_path):
    """Two-shift kind edited to 1 from 8:00 to 18:00 on workdays; enterprise C of that kind has its
    own flat workday; B (office) is not touched."""
    from gis.energy.park_load import park_load
    from gis.energy.shapes_file import read_profile_shapes

    f = write(tmp_path / "s.csv", [("industrial_two_shift", "workday", *DAY_8_17),
                                   ("C", "workday", *([7] * 24))])
    ents = pd.DataFrame({"id": ["A", "B", "C"], "annual_kwh": [1e6, 5e5, 2e6],
                         "kind": ["industrial_two_shift", "office", "industrial_two_shift"]})
    kw = park_load(ents, 2025, shapes=read_profile_shapes(f)).kw
    plain = park_load(ents, 2025).kw
    a, c = kw["A"], kw["C"]
    # every enterprise's year is its energy, exactly
    assert kw.sum().tolist() == pytest.approx([1e6, 5e5, 2e6], rel=1e-12)
    # A: no load at night on working days, load in the day
    work = pd.DatetimeIndex(_workdays_outside_spring(2025))
    hours = a.index.hour
    on_work = a.index.normalize().isin(work)
    night = on_work & ((hours < 8) | (hours > 17))
    assert len(work) > 150 and (a[night] == 0).all() and (a[on_work & ~night] > 0).all()
    # A: a workday hour against the same hour of a Saturday of that month (monthly factor cancels):
    # the edited day keeps the shipped workday's energy, 10 equal hours share it, against the
    # shipped weekend value at 10:00
    workday_sum = shipped("industrial_two_shift", "workday").sum()  # 16.92 in the shipped table
    weekend_10 = shipped("industrial_two_shift", "weekend")[10]  # 0.6
    ratio = a["2025-03-05 10:00"] / a["2025-03-08 10:00"]  # Wednesday, Saturday
    assert ratio == pytest.approx(workday_sum / 10 / weekend_10, rel=1e-12)
    # C: its own row wins (flat on workdays), the kind's default weekend stays
    wed = c["2025-03-05"].to_numpy()
    assert np.ptp(wed) == pytest.approx(0, abs=1e-9 * wed.max())
    weekend = shipped("industrial_two_shift", "weekend")
    sat = c["2025-03-08"].to_numpy()
    assert sat / sat.max() == pytest.approx(weekend / weekend.max(), rel=1e-12)
    assert wed.sum() / sat.sum() == pytest.approx(workday_sum / weekend.sum(), rel=1e-12)  # 16.92 / 10.86
    # B untouched
    assert kw["B"].to_numpy() == pytest.approx(plain["B"].to_numpy(), rel=1e-12)


def test_an_unknown_target_names_the_file_and_the_kinds(tmp_path):
    from gis.energy.park_load import park_load
    from gis.energy.shapes_file import read_profile_shapes

    f = write(tmp_path / "s.csv", [("E999", "workday", *([1] * 24)), ("hotel", "workday", *([1] * 24))])
    ents = pd.DataFrame({"id": ["A"], "annual_kwh": [1e6], "kind": ["office"]})
    with pytest.raises(InputError) as e:
        park_load(ents, 2025, shapes=read_profile_shapes(f))
    assert "E999" in e.value.en and "s.csv" in e.value.zh and "industrial_two_shift" in e.value.en
    f2 = write(tmp_path / "s2.csv", [("hotel", "workday", *([1] * 24))])
    problems = park_load(ents, 2025, shapes=read_profile_shapes(f2)).problems
    assert [p.code for p in problems] == ["shapes.kind_unused"]


# ---- lingtan energy --profile-shapes -------------------------------------------------------------

def _energy(*args):
    return subprocess.run([sys.executable, "-m", "app", "energy", *map(str, args)], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.parametrize("case", ["count", "negative", "nan", "day"])
def test_cli_bad_file_exits_2_in_both_languages(tmp_path, case):
    row, shown, _ = BAD_FILES[case]
    f = write(tmp_path / "bad_shapes.csv", [row])
    out = tmp_path / "e.xlsx"
    r = _energy("--sample", "--no-rooftop", "--profile-shapes", f, "--out", out)
    assert r.returncode == 2, r.stderr
    assert "bad_shapes.csv" in r.stderr and shown in r.stderr
    assert "第 2 行" in r.stderr and "line 2" in r.stderr  # Chinese and English
    assert not out.exists()


def test_cli_every_kind_8_to_18_leaves_the_nights_empty(tmp_path):
    """All kinds and day types edited to the hand example: the sample park uses nothing before 8:00
    or after 18:00 on any day, and its year is still the energy table's electricity (read here from
    the CSV: 电力 in 万千瓦时)."""
    from gis.energy.profiles import KIND_NAMES

    days = ("工作日", "周末", "节假日")
    f = write(tmp_path / "all.csv", [(k, d, *DAY_8_17) for k in KIND_NAMES for d in days])
    out = tmp_path / "e.xlsx"
    r = _energy("--sample", "--no-rooftop", "--profile-shapes", f, "--out", out, "--json")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    hourly = pd.read_csv(tmp_path / "e_hourly.csv", parse_dates=["time"])
    h = hourly["time"].dt.hour
    assert (hourly.loc[(h < 8) | (h > 17), "load_kw"] == 0).all()
    assert (hourly.loc[(h >= 8) & (h <= 17), "load_kw"] > 0).all()
    t = pd.read_csv(resources_dir() / "sample" / "enterprises_energy.csv", encoding="utf-8-sig")
    year_col = next(c for c in t.columns if "年" in c and "份" in c)
    elec_col = next(c for c in t.columns if c.startswith("电力"))
    latest = t[t[year_col] == t[year_col].max()]
    assert s["load_kwh"] == pytest.approx(latest[elec_col].sum() * 1e4, rel=1e-6)
    assert "all.csv" in s["sources"]["profile_shapes"]


# ---- the desktop editor ---------------------------------------------------------------------------

class _Workspace:
    """What the editor needs of a workspace: settings and set_setting."""

    def __init__(self) -> None:
        self.settings: dict = {}

    def set_setting(self, key, value) -> None:
        self.settings[key] = value


@pytest.fixture
def zh(qapp):
    from app.gui import i18n

    i18n.install_translator(qapp, "zh")
    yield
    i18n.install_translator(qapp, "en")
    i18n.reset_for_tests()


@pytest.fixture
def editor(qtbot, zh):
    from app.gui.profile_editor import ProfileEditor

    ws = _Workspace()
    dlg = ProfileEditor(None, ws)
    dlg.ask_on_close = False
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _drag(chart, points) -> None:
    """Press at the first (hour, value) point, move through the others, release at the last."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    def at(hour, value):
        p = chart.bar_center(hour, value)
        return QPoint(round(p.x()), round(p.y()))

    none = Qt.KeyboardModifier.NoModifier
    QTest.mousePress(chart, Qt.MouseButton.LeftButton, none, at(*points[0]))
    for pt in points[1:]:
        QTest.mouseMove(chart, at(*pt))
    QTest.mouseRelease(chart, Qt.MouseButton.LeftButton, none, at(*points[-1]))


def test_editor_drag_save_read_back_and_undo(editor, tmp_path):
    from app.gui.algorithm_dialog import stored_values
    from app.processing.registry import algorithm
    from gis.energy.shapes_file import read_profile_shapes

    default = shipped("industrial_two_shift", "workday")
    editor.show_shape("industrial_two_shift", "workday")
    chart = editor.chart
    assert chart.values.tolist() == default.tolist()
    # one sweep along the floor from 0:00 to 6:00 (through the night's 0.2 bars): one undo step
    _drag(chart, [(0, 0.0), (2, 0.0), (4, 0.0), (6, 0.0)])
    # 12:00 dragged to half the axis (the axis top is the chart's label at the top)
    r = chart.plot_rect()
    assert chart.bar_center(12, chart.y_max).y() == pytest.approx(r.top())
    _drag(chart, [(12, default[12]), (12, chart.y_max / 2)])
    assert editor.undo_stack.count() == 2
    values = editor.shapes["industrial_two_shift"]["workday"]
    assert values[:7].tolist() == [0.0] * 7
    assert values[12] == pytest.approx(chart.y_max / 2, abs=chart.y_max / r.height() + 0.01)
    assert values[7:12].tolist() == default[7:12].tolist() and values[13:].tolist() == default[13:].tolist()
    # the table beside the chart shows the same numbers
    assert [float(editor.table.item(h, 0).text()) for h in range(24)] == pytest.approx(values, abs=5e-4)
    assert "（已修改）" in editor.kinds.currentItem().text()
    # save → CSV → the reader gives the same numbers, only the edited day
    path = editor.save(tmp_path / "my_shapes.csv")
    back = read_profile_shapes(path)
    assert list(back) == ["industrial_two_shift"] and list(back["industrial_two_shift"]) == ["workday"]
    assert back["industrial_two_shift"]["workday"] == pytest.approx(values, abs=5e-5)
    # the project remembers it for the energy analysis' dialog
    assert str(stored_values(editor.workspace, algorithm("energy")).profile_shapes) == str(path)
    # undo: first 12:00, then the night sweep in one step → the shipped shape
    editor.undo_button.click()
    assert editor.shapes["industrial_two_shift"]["workday"][12] == default[12]
    editor.undo_button.click()
    assert editor.shapes["industrial_two_shift"]["workday"].tolist() == default.tolist()
    assert chart.values.tolist() == default.tolist()
    assert float(editor.table.item(0, 0).text()) == default[0]
    editor.redo_button.click()
    assert editor.shapes["industrial_two_shift"]["workday"][:7].tolist() == [0.0] * 7


def test_editor_table_edits_restore_and_reopen(editor, tmp_path, qtbot):
    from app.gui.profile_editor import ProfileEditor

    editor.show_shape("office", "weekend")
    default = shipped("office", "weekend")
    editor.table.item(5, 0).setText("0.75")
    assert editor.chart.values[5] == 0.75 and editor.shapes["office"]["weekend"][5] == 0.75
    editor.table.item(6, 0).setText("abc")  # refused, put back
    assert editor.shapes["office"]["weekend"][6] == default[6] and editor.table.item(6, 0).text() != "abc"
    assert "不小于 0" in editor.status.text()
    editor.restore_button.click()
    assert editor.shapes["office"]["weekend"].tolist() == default.tolist()
    editor.undo_stack.undo()
    assert editor.shapes["office"]["weekend"][5] == 0.75
    path = editor.save(tmp_path / "s.csv")
    # a second editor on the same project opens the file it remembers; the values are relative, so
    # they come back scaled to the shipped weekend's daily energy (as the analysis uses them)
    again = ProfileEditor(None, editor.workspace)
    again.ask_on_close = False
    qtbot.addWidget(again)
    got = again.shapes["office"]["weekend"]
    edited = default.copy()
    edited[5] = 0.75
    assert got == pytest.approx(edited * default.sum() / edited.sum(), abs=1e-4)
    assert again.path == path and again.is_edited("office", "weekend")


def test_editor_speaks_chinese_and_opens_from_the_energy_panel(editor, qtbot):
    import re

    from app.gui.energy_panel import EnergyPanel
    from app.gui.profile_editor import ProfileEditor

    assert editor.windowTitle() == "编辑负荷曲线"
    assert editor.restore_button.text() == "恢复默认"
    assert [editor.kinds.item(i).text() for i in range(3)] == ["工业·一班制", "工业·两班制", "工业·三班制"]
    latin = re.compile(r"[A-Za-z]{3,}(?:[ '-]+[A-Za-z]{2,}){2,}")  # an English sentence left over
    for label in (editor.source, editor.note, editor.legend, editor.day_label, editor.kinds_label):
        assert not latin.search(label.text()), label.text()
    panel = EnergyPanel()
    qtbot.addWidget(panel)
    panel.retranslate_ui()
    assert panel.shapes_button.text() == "编辑负荷曲线…"
    panel.shapes_button.click()
    opened = panel.findChildren(ProfileEditor)
    assert len(opened) == 1 and opened[0].isVisible()
    opened[0].ask_on_close = False
    opened[0].close()
