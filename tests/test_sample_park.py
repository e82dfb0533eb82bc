"""The committed sample park equals a fresh run of its generator, and is plausible."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from gis.paths import sample_dir
from gis.sample_park import generate

LAYERS = ("boundary", "buildings", "green", "tree_rows", "townships")


@pytest.fixture(scope="module")
def fresh():
    return generate()


@pytest.mark.parametrize("name", LAYERS)
def test_committed_layers_equal_a_fresh_run(fresh, name):
    committed = pyogrio.read_dataframe(sample_dir() / "park.gpkg", layer=name)
    new = getattr(fresh, name)
    attrs = [c for c in new.columns if c != "geometry"]
    assert [c for c in committed.columns if c != "geometry"] == attrs
    assert len(committed) == len(new)
    assert committed.crs.to_epsg() == 4490
    assert shapely.equals_exact(committed.geometry.to_numpy(), new.geometry.to_numpy(),
                                tolerance=1e-7).all()
    pd.testing.assert_frame_equal(pd.DataFrame(committed[attrs]), pd.DataFrame(new[attrs]),
                                  check_dtype=False)


@pytest.mark.parametrize("file,attr", [("enterprises_energy.csv", "enterprises"),
                                       ("township_stats.csv", "township_stats")])
def test_committed_tables_equal_a_fresh_run(fresh, file, attr):
    committed = pd.read_csv(sample_dir() / file, encoding="utf-8-sig", dtype={"乡镇街道代码": str})
    # the committed files also hold the back-cast history (make_sample_park.add_history,
    # tests/test_sample_history.py): the generator's own years are compared here
    new = getattr(fresh, attr)
    committed = committed[committed["年份"].isin(set(new["年份"]))]
    key = [new.columns[0], "年份"]
    committed = committed.sort_values(key, kind="stable").reset_index(drop=True)
    new = new.sort_values(key, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(committed, new, check_dtype=False)


def test_plausible_park(fresh):
    park = fresh.boundary.to_crs(4549)
    area_km2 = park.area.sum() / 1e6
    assert 2.5 < area_km2 < 3.5
    b = fresh.buildings.to_crs(4549)
    assert 400 <= len(b) <= 800
    assert set(b["use"]) >= {"工业", "办公", "宿舍", "仓储"}
    assert set(b["roof_type"]) >= {"彩钢", "混凝土平屋面", "坡屋面"}
    assert b["enterprise_id"].notna().all()
    assert (b["height_m"].notna() | b["floors"].notna()).all()
    assert b.within(park.geometry.iloc[0].buffer(0.01)).all()
    # no two buildings overlap
    tree = shapely.STRtree(b.geometry.to_numpy())
    pairs = tree.query(b.geometry.to_numpy(), predicate="overlaps")
    assert pairs.shape[1] == 0
    # centre near Xiaoshan, Hangzhou
    c = fresh.boundary.geometry.iloc[0].centroid
    assert 120.1 < c.x < 120.5 and 30.0 < c.y < 30.4
    assert set(fresh.green["cover"]) == {"林地", "灌木", "草地", "湿地", "水体"}
    assert len(fresh.townships) == 26
    assert fresh.townships.to_crs(4549).area.min() > 5e6
    assert set(fresh.enterprises["年份"]) == {2023, 2024}


def test_township_cells_tile_without_overlap(fresh):
    t = fresh.townships.to_crs(4549)
    union = shapely.union_all(t.geometry.to_numpy())
    assert union.area == pytest.approx(t.area.sum(), rel=1e-6)
    assert t.geometry.iloc[0].contains(fresh.boundary.to_crs(4549).geometry.iloc[0].centroid)


def test_energy_magnitudes_plausible(fresh):
    """Park energy in the national indicator's 200,000–1,000,000 tce band (GB/T 2589 factors)."""
    e = fresh.enterprises[fresh.enterprises["年份"] == 2024]
    tce = (e["原煤(吨)"].sum() * 0.7143 + e["天然气(万立方米)"].sum() * 12.143
           + e["电力(万千瓦时)"].sum() * 1.229 + e["热力(吉焦)"].sum() * 0.03412
           + e["柴油(吨)"].sum() * 1.4571 + e["汽油(吨)"].sum() * 1.4714)
    assert 200_000 < tce < 1_000_000
    intensity = tce / e["工业增加值(万元)"].sum()  # tce per 10^4 yuan
    assert 0.1 < intensity < 0.6
    assert np.all(e.select_dtypes("number").to_numpy() >= 0)


def test_generator_is_deterministic(fresh):
    again = generate()
    assert again.buildings.geometry.equals(fresh.buildings.geometry)
    assert isinstance(again.buildings, gpd.GeoDataFrame)
