"""Per-mu (亩均) figures against hand calculations (1 mu = 10000/15 m²)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from gis.carbon.per_mu import per_mu_figures, township_per_mu

MU = 10000 / 15  # m² per mu, 市制 (1 hectare = 15 mu)


def _ents():
    return pd.DataFrame({"entity": ["A", "B", "C", "D"], "tce": [1200.0, 300.0, 50.0, 10.0],
                         "t_co2": [3000.0, 900.0, 100.0, 20.0],
                         "value_added_10k_yuan": [6000.0, 1500.0, 400.0, 5.0],
                         "land_mu": [60.0, np.nan, np.nan, np.nan]})


def _footprints():
    # UTM 50N metres: B owns two 100 m × 100 m buildings (2 ha = 30 mu), C one 40 m × 50 m (3 mu)
    return gpd.GeoDataFrame({"enterprise_id": ["B", "B", "C"]},
                            geometry=[box(500000, 3400000, 500100, 3400100),
                                      box(500200, 3400000, 500300, 3400100),
                                      box(500400, 3400000, 500440, 3400050)], crs="EPSG:32650")


def test_per_mu_by_hand():
    f = per_mu_figures(_ents(), footprints=_footprints()).set_index("entity")
    # A: land from the table, 60 mu: 1200/60 = 20 tce/mu, 3000/60 = 50 tCO2/mu, 6000/60 = 100 万元/mu
    assert f.loc["A", "tce_per_mu"] == pytest.approx(20.0)
    assert f.loc["A", "t_co2_per_mu"] == pytest.approx(50.0)
    assert f.loc["A", "value_added_10k_yuan_per_mu"] == pytest.approx(100.0)
    assert f.loc["A", "land_source"] == "table"
    # B: 20000 m² = 30 mu: 300/30 = 10 tce/mu, 900/30 = 30, 1500/30 = 50
    assert f.loc["B", "land_mu"] == pytest.approx(20000 / MU, rel=1e-3)
    assert f.loc["B", "tce_per_mu"] == pytest.approx(10.0, rel=1e-3)
    assert f.loc["B", "value_added_10k_yuan_per_mu"] == pytest.approx(50.0, rel=1e-3)
    assert f.loc["B", "land_source"] == "footprints"
    # C: 2000 m² = 3 mu: 100/3 tCO2/mu
    assert f.loc["C", "t_co2_per_mu"] == pytest.approx(100 / 3, rel=1e-3)
    # D: no land anywhere → NaN and listed
    assert np.isnan(f.loc["D", "tce_per_mu"])
    (miss,) = [p for p in f.attrs["problems"] if p.code == "per_mu.no_land"]
    assert "D" in miss.zh and "A" not in miss.zh


def test_parcels_before_footprints():
    parcels = gpd.GeoDataFrame({"企业代码": ["B"]}, geometry=[box(499900, 3399900, 500400, 3400200)],
                               crs="EPSG:32650")  # 500 m × 300 m = 15 ha = 225 mu
    f = per_mu_figures(_ents(), parcels=parcels, footprints=_footprints()).set_index("entity")
    assert f.loc["B", "land_source"] == "parcels"
    assert f.loc["B", "land_mu"] == pytest.approx(225.0, rel=1e-3)
    assert f.loc["C", "land_source"] == "footprints"


def test_township_per_mu_is_sum_over_sum():
    f = per_mu_figures(_ents(), footprints=_footprints())
    f["town"] = ["T1", "T1", "T2", "T2"]
    t = township_per_mu(f, "town").set_index("township")
    # T1: (1200 + 300) / (60 + 30) tce/mu — not the mean of 20 and 10 (= 15)
    assert t.loc["T1", "tce_per_mu"] == pytest.approx(1500 / 90, rel=1e-3)
    assert t.loc["T1", "value_added_10k_yuan_per_mu"] == pytest.approx(7500 / 90, rel=1e-3)
    # T2: only C has land (3 mu); D is left out of both sums
    assert t.loc["T2", "t_co2_per_mu"] == pytest.approx(100 / 3, rel=1e-3)
    assert t.loc["T2", "enterprises"] == 2 and t.loc["T2", "with_land"] == 1


def test_from_an_energy_table_with_a_parcel_area_column():
    from gis.carbon.emissions import account_emissions
    from gis.carbon.factors import load_factor_set
    from gis.carbon.inventory import read_energy_inventory

    df = pd.DataFrame({"企业代码": ["A", "B"], "原煤(吨)": [1000.0, 500.0],
                       "工业增加值(万元)": [2000.0, 800.0],
                       "宗地面积(平方米)": [20000.0, np.nan]})
    fs = load_factor_set()
    e = account_emissions(read_energy_inventory(df, source_name="t", factors=fs), fs).entities
    f = per_mu_figures(e).set_index("entity")
    # 20 000 m² = 30 mu; raw coal 1000 t × 0.7143 tce/t (GB/T 2589-2020) = 714.3 tce → 23.81 tce/mu
    assert f.loc["A", "land_mu"] == pytest.approx(30.0)
    assert f.loc["A", "tce_per_mu"] == pytest.approx(714.3 / 30, rel=1e-4)
    assert f.loc["A", "value_added_10k_yuan_per_mu"] == pytest.approx(2000 / 30)
    assert np.isnan(f.loc["B", "land_mu"])
