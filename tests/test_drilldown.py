"""The five-colour map's levels and years without Qt (app/drilldown.py, gis/intensity/periods.py):
township totals = Σ enterprises with the spatial join done here with shapely, the reconciliation by
hand, districts by hand, every year of the stack equal to a separate full run for that year."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from app.drilldown import assign_townships, district_level, enterprise_level, year_stack
from gis.intensity.periods import YearClassifier, stack_years


def _squares() -> gpd.GeoDataFrame:
    """Two 0.1° townships side by side (lon 120.0–120.1 and 120.1–120.2, lat 30.0–30.1)."""
    return gpd.GeoDataFrame({"join_key": ["330199001", "330199002"], "name": ["甲镇", "乙镇"]},
                            geometry=[shapely.box(120.0, 30.0, 120.1, 30.1),
                                      shapely.box(120.1, 30.0, 120.2, 30.1)],
                            crs="EPSG:4326")


def _energy() -> pd.DataFrame:
    """Five enterprises, electricity and value added; E3 outside both squares, E5 without coordinates."""
    return pd.DataFrame({"企业代码": ["E1", "E2", "E3", "E4", "E5"],
                         "企业名称": ["一厂", "二厂", "三厂", "四厂", "五厂"], "行业代码": ["C17"] * 5,
                         "年份": [2024] * 5, "电力(万千瓦时)": [100.0, 200.0, 300.0, 400.0, 500.0],
                         "工业增加值(万元)": [1000.0, 1500.0, 2000.0, 1000.0, 3000.0],
                         "经度": [120.05, 120.02, 120.5, 120.15, np.nan],
                         "纬度": [30.05, 30.08, 30.05, 30.05, np.nan]})


def test_assign_townships_equals_shapely_by_hand():
    towns = _squares()
    rng = np.random.default_rng(0)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.uniform(119.95, 120.25, 300),
                                                       rng.uniform(29.95, 30.15, 300)), crs="EPSG:4326")
    # a point on the shared border goes to the first township of the layer
    pts.loc[len(pts)] = [shapely.Point(120.1, 30.05)]
    got = assign_townships(pts, towns, "join_key")
    for g, key in zip(pts.geometry, got, strict=True):
        hits = [k for k, poly in zip(towns["join_key"], towns.geometry, strict=True)
                if shapely.intersects(poly, g)]
        assert (key if isinstance(key, str) else None) == (hits[0] if hits else None)
    assert got.iloc[-1] == "330199001"


def test_township_totals_are_sums_of_enterprises_and_the_rest_is_reported():
    towns = _squares()
    lv = enterprise_level(_energy(), towns)
    # the spatial join done here
    by = {}
    for e, g in zip(lv.points["entity"], lv.points.geometry, strict=True):
        hit = [k for k, poly in zip(towns["join_key"], towns.geometry, strict=True) if poly.covers(g)]
        by[e] = hit[0] if hit else None
    assert by == {"E1": "330199001", "E2": "330199001", "E3": None, "E4": "330199002"}
    t = dict(zip(lv.points["entity"], lv.points["t_co2"], strict=True))
    totals = lv.totals.set_index("township")
    assert totals.loc["330199001", "t_co2"] == pytest.approx(t["E1"] + t["E2"])
    assert totals.loc["330199002", "t_co2"] == pytest.approx(t["E4"])
    assert list(totals["enterprises"]) == [2, 1]
    assert list(lv.in_township("330199001")["entity"]) == ["E1", "E2"]
    # electricity only, one factor: CO2 ∝ kWh, so E3 (300) and E5 (500) by hand from E1 (100)
    per = t["E1"] / 100.0
    r = lv.reconcile()
    assert r["outside"] == pytest.approx(300 * per) and r["outside_n"] == 1
    assert r["unplaced"] == pytest.approx(500 * per) and r["unplaced_n"] == 1
    assert r["in_townships"] == pytest.approx((100 + 200 + 400) * per)
    assert r["all"] == pytest.approx(1500 * per) and r["all_n"] == 5
    assert list(lv.unplaced["entity"]) == ["E5"] and lv.unplaced["reason"].iloc[0] == "no_coordinates"
    # grades are the grade colours; one industry: benchmark L = Σ CO2 / Σ VA
    L = np.array([100, 200, 300, 400]) * per / np.array([1000, 1500, 2000, 1000])
    bench = 1500 * per / 8500
    k = L / bench
    grade = np.searchsorted([0.6, 0.8, 1.2, 2.0], k, side="left") + 1
    got = lv.points.set_index("entity").loc[["E1", "E2", "E3", "E4"], "grade"].astype(int).to_numpy()
    assert list(got) == list(grade)


def test_district_level_by_hand():
    g = gpd.GeoDataFrame({"join_key": ["330199001", "330199002", "330199002", "330200001", None],
                          "t_co2": [10.0, 20.0, 20.0, 5.0, 99.0], "tce": [4.0, 8.0, 8.0, 2.0, 9.0],
                          "gdp_10k_yuan": [100.0, 50.0, 50.0, np.nan, 1.0]},
                         geometry=[shapely.box(i, 0, i + 1, 1) for i in range(5)], crs="EPSG:3857")
    d = district_level(g).set_index("district")
    assert list(d.index) == ["330199", "330200", "all"]
    # 330199002 has two polygons: counted once; the unmatched polygon adds no figures
    assert d.loc["330199", "t_co2"] == 30.0 and d.loc["330199", "townships"] == 2
    assert d.loc["330199", "intensity"] == pytest.approx(30.0 / 150.0)
    assert np.isnan(d.loc["330200", "intensity"])  # no GDP
    assert d.loc["330199", "geometry"].area == pytest.approx(3.0)
    assert d.loc["all", "townships"] == 0


def test_year_classifier_by_hand():
    frames = {2023: pd.DataFrame({"join_key": ["a", "b", "c"], "value": [1.0, 2.0, 4.0],
                                  "w": [1.0, 1.0, 2.0]}),
              2024: pd.DataFrame({"join_key": ["a", "b"], "value": [0.5, 3.0], "w": [1.0, 1.0]})}
    s = stack_years(frames, ["a", "c", "b", None, "a"], weight_col="w")
    # 2024 benchmark Σ(v·w)/Σw = 3.5/2 = 1.75; 2023 in reference mode: K = 1/1.75, 2/1.75, 4/1.75
    yc = YearClassifier(s, method="ratio", mode="reference", reference_year=2024)
    cls, c = yc.classes(2023)
    assert c.benchmark == pytest.approx(1.75)
    # polygons a, c, b, none, a → K 0.571 (1), 2.29 (5), 1.143 (3), 0, 0.571 (1)
    assert list(cls) == [1, 5, 3, 0, 1]
    cls24, _ = yc.classes(2024)
    assert list(cls24) == [1, 0, 4, 0, 1]  # K 0.29, 1.71; c has no 2024 row: no data, never invented
    # per year: 2023's own benchmark Σ(v·w)/Σw = (1 + 2 + 8)/4 = 2.75 → K 0.36, 1.45, 0.73
    per = YearClassifier(s, method="ratio", mode="per_year", reference_year=2024)
    assert list(per.classes(2023)[0]) == [1, 4, 2, 0, 1]


def test_every_year_of_the_stack_equals_a_full_run_of_that_year():
    from app.drilldown import YearMap
    from app.intensity_map import intensity_map
    from layers.presets import styled_layer

    park_dir = Path(__file__).resolve().parents[1] / "resources" / "sample"
    towns = gpd.read_file(park_dir / "park.gpkg", layer="townships")
    stats = pd.read_csv(park_dir / "township_stats.csv")
    result = intensity_map(towns, stats, quantity="energy")
    stack = year_stack(result)
    assert stack.years == list(range(2015, 2025))
    for y in (2015, 2019):
        full = intensity_map(towns, stats, quantity="energy", year=y)
        i = stack.index(y)
        v = np.full(len(result.layer), np.nan)
        ok = stack.poly_row >= 0
        v[ok] = stack.values[i][stack.poly_row[ok]]
        assert np.allclose(v, full.layer["value"].to_numpy(float), equal_nan=True)
    # the map recoloured in place for 2019, per-year breaks = the full run's classes
    layer = styled_layer("township_intensity", result.layer)
    ym = YearMap.from_result(result, layer, mode="per_year")
    frame, version = layer.gdf, layer.data_version
    ym.show(2019)
    full = intensity_map(towns, stats, quantity="energy", year=2019)
    assert np.array_equal(layer.gdf["class"].to_numpy(), full.layer["class"].to_numpy())
    assert layer.gdf is frame and layer.data_version == version
