"""Select by attribute: the dialog's selection equals a mask computed directly with pandas."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt

from app.gui.select_dialog import SelectByAttributeDialog, combine
from layers.layer import VectorLayer


@pytest.fixture
def layer():
    rng = np.random.default_rng(7)
    n = 200
    gdf = gpd.GeoDataFrame({"kwh_yr": rng.uniform(0, 2e5, n), "use": rng.choice(["工业", "办公", "宿舍"], n),
                            "屋顶 m2": rng.uniform(100, 5000, n)},
                           geometry=[shapely.box(i, 0, i + 1, 1) for i in range(n)], crs=4549)
    return VectorLayer("buildings", gdf)


def test_expression_selects_the_rows_a_pandas_mask_selects(qtbot, layer):
    dlg = SelectByAttributeDialog(layer)
    qtbot.addWidget(dlg)
    dlg.expression.setText('kwh_yr > 100000 AND use = "工业"')
    dlg.update_count()
    g = layer.gdf
    expected = np.flatnonzero(((g["kwh_yr"] > 100000) & (g["use"] == "工业")).to_numpy())
    assert len(expected) > 0
    assert f"{len(expected):,}" in dlg.status.text()
    dlg.accept()
    assert np.array_equal(layer.selection, expected)


def test_field_with_spaces_in_backticks_and_modes(qtbot, layer):
    layer.selection = np.arange(50)
    dlg = SelectByAttributeDialog(layer)
    qtbot.addWidget(dlg)
    item = dlg.fields.findItems("屋顶 m2", Qt.MatchFlag.MatchExactly)[0]
    dlg._insert_field(item)
    assert dlg.expression.text() == "`屋顶 m2`"
    dlg.expression.insert(" > 2500")
    dlg.mode.setCurrentIndex(dlg.mode.findData("within"))
    dlg.accept()
    big = np.flatnonzero((layer.gdf["屋顶 m2"] > 2500).to_numpy())
    assert np.array_equal(layer.selection, np.intersect1d(np.arange(50), big))


def test_bad_expression_shows_the_error_and_keeps_the_selection(qtbot, layer):
    layer.selection = [1, 2]
    dlg = SelectByAttributeDialog(layer)
    qtbot.addWidget(dlg)
    dlg.expression.setText("no_such_field > 3")
    dlg.update_count()
    assert not dlg.ok_button.isEnabled()
    assert "kwh_yr" in dlg.status.text()  # the error names the layer's fields
    dlg.accept()
    assert list(layer.selection) == [1, 2]


def test_the_error_shows_markup_in_the_expression_as_typed(qtbot, layer):
    dlg = SelectByAttributeDialog(layer)
    qtbot.addWidget(dlg)
    dlg.expression.setText('name == "{{7*7}}<b>x</b>" or __import__("os")')
    dlg.update_count()
    assert not dlg.ok_button.isEnabled()
    assert dlg.status.textFormat() == Qt.TextFormat.PlainText  # <b> is shown, not made bold
    assert "{{7*7}}<b>x</b>" in dlg.status.text()


def test_combine_modes_by_hand():
    cur, new = np.array([1, 2, 3]), np.array([3, 4])
    assert list(combine(cur, new, "new")) == [3, 4]
    assert list(combine(cur, new, "add")) == [1, 2, 3, 4]
    assert list(combine(cur, new, "remove")) == [1, 2]
    assert list(combine(cur, new, "within")) == [3]
