"""Building heights from fields or floors × storey height; absurd values flagged."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from gis.buildings import building_heights, storey_heights
from gis.park import prepare_buildings


def _frame(**cols) -> gpd.GeoDataFrame:
    n = len(next(iter(cols.values())))
    return gpd.GeoDataFrame(cols, geometry=[box(i * 20, 0, i * 20 + 10, 10) for i in range(n)],
                            crs=4549)


@pytest.mark.parametrize("field", ["height", "HEIGHT", "高度", "height_m", "建筑高度",
                                   "building:height"])
def test_height_field_names(field):
    h, problems = building_heights(_frame(**{field: [12.0, 30.5]}))
    assert list(h["height_m"]) == [12.0, 30.5]
    assert h["height_source"].iloc[0] == f"field:{field}"
    assert problems == []


@pytest.mark.parametrize("field", ["floors", "building:levels", "层数", "楼层数"])
def test_floors_times_storey_height_by_use(field):
    h, _ = building_heights(_frame(**{field: [3, 6]}, 用途=["厂房", "宿舍"]))
    table = storey_heights().set_index("use")["storey_height_m"]
    assert h["height_m"].tolist() == pytest.approx([3 * table["industrial"],
                                                    6 * table["dormitory"]])
    assert h["use_class"].tolist() == ["industrial", "dormitory"]


def test_text_values_with_units():
    h, _ = building_heights(_frame(高度=["25米", "18.5 m", None], 层数=["", "", "6层"]))
    assert h["height_m"].iloc[:2].tolist() == [25.0, 18.5]
    assert h["height_m"].iloc[2] == pytest.approx(6 * 3.0)  # use unknown → 'other' 3.0 m


def test_absurd_heights_flagged_with_ids():
    g = _frame(height=[-3.0, 0.0, 632.0, 5000.0, 20.0], floors=[2, np.nan, np.nan, np.nan, 1])
    h, problems = building_heights(g)
    by = {p.code: p for p in problems}
    assert by["height.implausible"].feature_ids == [0, 1, 3]
    assert by["height.very_tall"].feature_ids == [2]
    assert h["height_m"].iloc[0] == pytest.approx(2 * 3.0)  # fell back on floors
    assert np.isnan(h["height_m"].iloc[1]) and h["height_m"].iloc[2] == 632.0
    assert by["height.missing"].feature_ids == [1, 3]


def test_storey_table_has_sources():
    t = storey_heights()
    assert t["source"].str.len().min() > 10
    assert (t["storey_height_m"].between(2.5, 10)).all()


def test_prepare_buildings_roof_area_and_parts():
    from shapely.geometry import MultiPolygon

    g = gpd.GeoDataFrame(
        {"roof_type": ["坡屋面", "混凝土平屋面"], "floors": [2, 3]},
        geometry=[box(0, 0, 10, 10), MultiPolygon([box(20, 0, 30, 10), box(40, 0, 45, 10)])],
        crs=4549)
    out, problems = prepare_buildings(g)
    assert len(out) == 3 and list(out["source_fid"]) == [0, 1, 1]
    assert out["footprint_m2"].tolist() == pytest.approx([100, 100, 50])
    # pitched roof at the default 25°: roof = footprint / cos(25°)
    assert out["roof_m2"].iloc[0] == pytest.approx(100 / np.cos(np.radians(25)))
    assert out["roof_m2"].iloc[1] == pytest.approx(100)
    assert any(p.code == "geometry.exploded" for p in problems)
