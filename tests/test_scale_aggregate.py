"""Aggregation of rooftop PV results per area (gis/scale/aggregate.py): sums, areas and density,
grid cells, point-in-polygon assignment and the NEA 2021 whole-county pilot shares, by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gis.errors import InputError
from gis.scale.aggregate import aggregate

CRS = "EPSG:4549"
X0, Y0 = 420_000.0, 3_340_000.0


def rows() -> gpd.GeoDataFrame:
    """Seven result rows written out by hand: two townships (A west of x0+1000, B east)."""
    # (town, x, y, use class, roof m2, usable m2, kWp, kWh/yr)
    data = [
        ("A", 100, 100, "government", 100.0, 60.0, 10.0, 11_000.0),
        ("A", 300, 200, "government", 300.0, 90.0, 15.0, 16_000.0),
        ("A", 500, 700, "public", 200.0, 100.0, 18.0, 20_000.0),
        ("B", 1200, 100, "industrial_commercial", 1000.0, 350.0, 60.0, 66_000.0),
        ("B", 1300, 200, "industrial_commercial", 100.0, 10.0, 2.0, 2_000.0),
        ("B", 1500, 1500, "rural_home", 150.0, 20.0, 0.0, 0.0),
        ("B", 1800, 300, None, 400.0, 200.0, 40.0, 43_000.0),
    ]
    shares = {"government": 0.5, "public": 0.4, "industrial_commercial": 0.3, "rural_home": 0.2}
    recs = []
    for town, x, y, cls, roof, usable, kwp, kwh in data:
        recs.append({"town": town, "nea_class": cls, "nea_min_share": shares.get(cls, np.nan),
                     "roof_m2": roof, "usable_m2": usable, "install_share": usable / roof, "kwp": kwp,
                     "kwh_yr": kwh, "geometry": shapely.box(X0 + x - 5, Y0 + y - 5, X0 + x + 5, Y0 + y + 5)})
    return gpd.GeoDataFrame(recs, geometry="geometry", crs=CRS)


def towns() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["A", "B"]},
                            geometry=[shapely.box(X0, Y0, X0 + 1000, Y0 + 2000),       # 2 km²
                                      shapely.box(X0 + 1000, Y0, X0 + 2000, Y0 + 2000)],  # 2 km²
                            crs=CRS)


def test_sums_by_field_by_hand():
    s = aggregate(rows(), by="town", areas=towns(), area_id="name")
    t = s.table.set_index("area_id")
    assert t.loc["A", "roofs"] == 3 and t.loc["B", "roofs"] == 4
    assert t.loc["B", "roofs_with_pv"] == 3  # the rural home has 0 kWp
    assert t.loc["A", "roof_m2"] == 600.0 and t.loc["A", "usable_m2"] == 250.0
    assert t.loc["A", "kwp"] == 43.0 and t.loc["A", "kwh_yr"] == 47_000.0
    assert t.loc["B", "kwp"] == 102.0 and t.loc["B", "kwh_yr"] == 111_000.0
    assert t.loc["A", "area_km2"] == pytest.approx(2.0)
    assert t.loc["A", "kwp_per_km2"] == pytest.approx(21.5)  # 43 kWp / 2 km²
    assert t.loc["B", "kwp_per_km2"] == pytest.approx(51.0)
    assert t.loc["A", "install_share"] == pytest.approx(250 / 600)
    assert isinstance(s.table, gpd.GeoDataFrame)


def test_nea_shares_by_hand():
    nea = aggregate(rows(), by="town").nea.set_index(["area_id", "nea_class"])
    g = nea.loc[("A", "government")]
    # government in A: (60 + 90) / (100 + 300) = 0.375 < 0.50 → not met; one roof (0.6) meets it alone
    assert g["install_share"] == pytest.approx(0.375, abs=1e-3)
    assert g["min_share"] == 0.5 and not g["ok"] and g["buildings"] == 2 and g["meeting"] == 1
    p = nea.loc[("A", "public")]
    assert p["install_share"] == pytest.approx(0.5) and p["min_share"] == 0.4 and p["ok"]
    ic = nea.loc[("B", "industrial_commercial")]
    # (350 + 10) / (1000 + 100) = 0.327 ≥ 0.30: the township meets it although one roof (0.10) does not
    assert ic["install_share"] == pytest.approx(0.327, abs=1e-3) and ic["ok"]
    assert ic["buildings"] == 2 and ic["meeting"] == 1
    r = nea.loc[("B", "rural_home")]
    assert r["install_share"] == pytest.approx(20 / 150, abs=1e-3) and not r["ok"]  # 0.133 < 0.20
    assert len(nea) == 4  # the building of unknown use is in no pilot class


def test_point_in_polygon_and_grid_cells_by_hand():
    by_poly = aggregate(rows(), areas=towns(), area_id="name").table.set_index("area_id")
    assert by_poly.loc["A", "kwp"] == 43.0 and by_poly.loc["B", "kwp"] == 102.0
    cells = aggregate(rows(), cell_m=1000.0).table
    # 1 km cells: (420,3340) holds A's three roofs (43 kWp), (421,3340) three of B's (102 kWp),
    # (421,3341) the rural home (0 kWp)
    got = dict(zip(cells["area_id"], cells["kwp"], strict=True))
    assert got == {"420_3340": 43.0, "421_3340": 102.0, "421_3341": 0.0}
    assert np.allclose(cells["area_km2"], 1.0)
    dens = dict(zip(cells["area_id"], cells["kwp_per_km2"], strict=True))
    assert dens["421_3340"] == 102.0
    # five-colour classes: the densest cell in the highest class used, the empty cell lowest
    cls = dict(zip(cells["area_id"], cells["density_class"], strict=True))
    assert cls["421_3340"] > cls["420_3340"] > cls["421_3341"] >= 1


def test_building_outside_every_area_is_reported():
    r = rows()
    r.loc[len(r)] = {**r.iloc[0].to_dict(), "geometry": shapely.box(X0 + 5000, Y0, X0 + 5010, Y0 + 10)}
    s = aggregate(r, areas=towns(), area_id="name")
    assert s.table["roofs"].sum() == 7
    assert any(p.code == "scale.outside_areas" for p in s.problems)


def test_bad_requests():
    with pytest.raises(InputError):
        aggregate(rows())
    with pytest.raises(InputError):
        aggregate(rows(), by="county")
    with pytest.raises(InputError):
        aggregate(pd.DataFrame({"town": ["A"]}), by="town")


def test_nea_check_is_made_on_unrounded_shares():
    # public roofs: 399.6 / 1000 = 0.3996 — shown as 0.4 after rounding, but below the 40 % share
    r = rows().iloc[[2]].copy()
    r["roof_m2"], r["usable_m2"] = 1000.0, 399.6
    r["install_share"] = 0.3996
    got = aggregate(r, by="town").nea.iloc[0]
    assert got["nea_class"] == "public" and not got["ok"]


def test_engine_results_per_area_equal_a_groupby_written_here():
    """On real engine output: sums per area and the NEA shares equal a plain pandas groupby
    (Σ usable / Σ roof per class) written here, with the classes mapped by hand from the uses
    (nea_2021_rooftop_shares.csv: office/industrial → 工商业, public → 公共建筑, dormitory → none)."""
    from gis.solar.climatology import default_weather
    from gis.solar.rooftop import PVSettings, rooftop_pv

    rng = np.random.default_rng(3)
    n = 40
    cx, cy = X0 + (np.arange(n) % 8) * 50.0, Y0 + (np.arange(n) // 8) * 50.0
    w, h = rng.uniform(12, 35, n), rng.uniform(12, 35, n)
    uses = np.array(["office", "industrial", "public", "dormitory"])[np.arange(n) % 4]
    g = gpd.GeoDataFrame({"use_class": uses, "height_m": rng.uniform(6, 30, n), "roof_slope_deg": 0.0,
                          "town": np.where(cx < X0 + 200, "W", "E")},
                         geometry=shapely.box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), crs=CRS)
    g["footprint_m2"] = g.area
    g["roof_m2"] = g.area
    res = rooftop_pv(g, default_weather(120.17, 30.2), PVSettings()).buildings
    s = aggregate(res, by="town")
    t = s.table.set_index("area_id")
    for town in ("W", "E"):
        part = res[res["town"] == town]
        assert t.loc[town, "roofs"] == len(part)
        assert t.loc[town, "kwh_yr"] == pytest.approx(part["kwh_yr"].sum(), rel=1e-12)
        assert t.loc[town, "usable_m2"] == pytest.approx(part["usable_m2"].sum(), rel=1e-12)
    by_hand = {"office": "industrial_commercial", "industrial": "industrial_commercial", "public": "public"}
    res["cls"] = res["use_class"].map(by_hand)
    sums = res.dropna(subset=["cls"]).groupby(["town", "cls"])[["usable_m2", "roof_m2"]].sum()
    nea = s.nea.set_index(["area_id", "nea_class"])
    assert set(nea.index) == set(sums.index)
    for key, row in sums.iterrows():
        share = row["usable_m2"] / row["roof_m2"]
        assert nea.loc[key, "install_share"] == pytest.approx(share, abs=5e-4)
        assert bool(nea.loc[key, "ok"]) == (share >= {"industrial_commercial": 0.3, "public": 0.4}[key[1]])
