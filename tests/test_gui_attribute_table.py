"""The attribute table: numeric columns sort (missing values last in both orders) and the headings
are the fields' aliases with units in the UI language, the real names in the tooltip."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt

from app.gui.attribute_table import FeatureTableModel
from layers.presets import styled_layer


@pytest.fixture
def model(qtbot):
    g = gpd.GeoDataFrame({"kwh_yr": [3.0, np.nan, 1.0, 2.0], "modules": [5, 7, 1, 3], "name": ["丙", "甲",
                                                                                               "乙", "丁"]},
                         geometry=[shapely.Point(i, i) for i in range(4)], crs=4547)
    return FeatureTableModel(styled_layer("rooftop_pv", g))


@pytest.mark.parametrize("order, expected", [(Qt.SortOrder.AscendingOrder, [2, 3, 0, 1]),
                                             (Qt.SortOrder.DescendingOrder, [0, 3, 2, 1])])
def test_numeric_columns_sort_with_missing_values_last(model, order, expected):
    model.sort(model.columns.index("kwh_yr"), order)  # read-only column arrays raised ValueError here
    assert model.view.tolist() == expected
    model.sort(model.columns.index("modules"), order)
    assert model.view.tolist() == ([2, 3, 0, 1] if order == Qt.SortOrder.AscendingOrder else [1, 0, 3, 2])


def test_headings_are_chinese_aliases_with_units(model, monkeypatch):
    import app.gui.attribute_table as table

    monkeypatch.setattr(table, "ui_lang", lambda: "zh")
    c = model.columns.index("kwh_yr")
    assert model.headerData(c, Qt.Orientation.Horizontal) == "年发电量 (kWh/yr)"
    assert model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "kwh_yr"
    assert model.headerData(model.columns.index("modules"), Qt.Orientation.Horizontal) == "组件数 (块)"
    monkeypatch.setattr(table, "ui_lang", lambda: "en")
    assert model.headerData(c, Qt.Orientation.Horizontal) == "annual energy (kWh/yr)"
