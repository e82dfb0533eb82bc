"""Green coverage (绿化覆盖率) vs the green-land rate (绿地率) by hand on small polygons, and the
roof/vertical greening classes (issue #20)."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gis.carbon.balance import BalanceInputs, park_balance
from gis.carbon.green_rates import canopy_shapes, green_rates
from gis.carbon.sinks import vector_sinks

CRS = "EPSG:32650"


def _green():
    return gpd.GeoDataFrame({"type": ["草地", "林地", "屋顶绿化", "垂直绿化"]}, geometry=[
        shapely.box(0, 0, 40, 50),  # 2000 m² grass
        shapely.box(30, 0, 50, 50),  # 1000 m² forest, 500 m² of it over the grass
        shapely.box(60, 60, 80, 80),  # 400 m² green roof
        shapely.box(90, 0, 92, 10),  # 20 m² of greened wall
    ], crs=CRS)


def _trees():
    return gpd.GeoDataFrame({"canopy_width_m": [20.0, None, None]}, geometry=[
        shapely.Point(50, 25),  # crown radius 10 m: half over the forest, half over other land
        shapely.box(70, 70, 90, 90),  # 400 m² crown, 100 m² of it over the green roof
        shapely.box(95, 95, 105, 105),  # 100 m² crown, 25 m² of it inside the park
    ], crs=CRS)


def test_coverage_and_green_land_rate_by_hand():
    park = gpd.GeoSeries([shapely.box(0, 0, 100, 100)], crs=CRS)  # 10 000 m²
    sinks = vector_sinks(_green())
    r = green_rates(park, sinks.features, canopy_shapes(_trees()))
    land = 50 * 50  # grass ∪ forest = 0–50 × 0–50
    assert r.green_land_m2 == pytest.approx(land)
    assert r.green_land_rate_pct == pytest.approx(25.0)
    cover = land + 400 + math.pi * 10**2 / 2 + (400 - 100) + 25
    # buffered circles are polygons a little inside the circle: 0.2 % of the half disc
    assert r.coverage_m2 == pytest.approx(cover, abs=0.01 * math.pi * 100)
    assert r.green_coverage_pct == pytest.approx(100 * cover / 10_000, abs=0.02)
    assert r.roof_green_m2 == pytest.approx(400)
    assert r.vertical_green_m2 == pytest.approx(20)  # reported, adds no cover
    assert r.green_coverage_pct > r.green_land_rate_pct


def test_roof_and_vertical_greening_sinks_by_hand():
    by = vector_sinks(_green()).by_class.set_index("class")
    # Getter et al. 2009: 375 g C/m² over two years → 187.5 g C/m²/yr × 44/12 per m² of roof
    assert by.at["roof_greening", "t_co2_yr"] == pytest.approx(400 * 187.5 * 44 / 12 / 1e6, rel=1e-3)
    # assumption: the grassland rate 0.2 tCO2/ha/yr per m² of wall
    assert by.at["vertical_greening", "t_co2_yr"] == pytest.approx(20 / 1e4 * 0.2, rel=1e-3)
    # neither is land
    assert vector_sinks(_green()).land_area_m2 == pytest.approx(2000 + 1000)


def test_balance_reports_both_rates_under_their_names():
    by_fuel = pd.DataFrame({"fuel": ["electricity"], "scope": [2], "amount": [1e6], "unit": ["kWh"],
                            "tce": [122.9], "t_co2": [570.3]})
    inputs = BalanceInputs(by_fuel=by_fuel, grid_kg_co2_per_kwh=570.3, park_area_km2=0.01,
                           green_area_m2=3382.0, green_land_m2=2500.0)
    m = park_balance(inputs).metrics
    assert m["green_land_rate_pct"] == pytest.approx(25.0)
    assert m["green_coverage_pct"] == pytest.approx(33.82)
