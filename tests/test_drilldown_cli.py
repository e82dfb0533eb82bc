"""`lingtan intensity … --enterprises` writes every level of the drill-down (issue #20):
district › townships › enterprises and the unplaced enterprises, in one GeoPackage, with the
reconciliation in the JSON. Sums are checked against a point-in-polygon join written here."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from app.cli import main
from gis.paths import sample_dir

PARK = sample_dir() / "park.gpkg"
STATS = sample_dir() / "township_stats.csv"
ENERGY = sample_dir() / "enterprises_energy.csv"
OUTSIDE_LONLAT = (121.47, 31.23)
"""A point in Shanghai, far from the sample district (Hangzhou, lon ≈ 120.2–120.4)."""


def _energy(tmp_path, *, max_year: int | None = None):
    """The sample table with coordinates for two enterprises (E002 inside the sample's 6th township,
    E003 outside every township; the rest placed by their buildings) and an enterprise E999 with
    neither coordinates nor a building (unplaced)."""
    towns = pyogrio.read_dataframe(PARK, layer="townships")
    inside = towns.geometry.iloc[5].representative_point()
    e = pd.read_csv(ENERGY, encoding="utf-8-sig", dtype={"企业代码": str})
    e["经度"], e["纬度"] = np.nan, np.nan
    e.loc[e["企业代码"] == "E002", ["经度", "纬度"]] = [inside.x, inside.y]
    e.loc[e["企业代码"] == "E003", ["经度", "纬度"]] = list(OUTSIDE_LONLAT)
    ghost = e[e["企业代码"] == "E001"].copy()
    ghost["企业代码"], ghost["企业名称"] = "E999", "无址企业"
    e = pd.concat([e, ghost], ignore_index=True)
    if max_year is not None:
        e = e[e["年份"] <= max_year]
    path = tmp_path / "energy.csv"
    e.to_csv(path, index=False, encoding="utf-8-sig")
    return path, str(towns["code"].iloc[5])


def _run(tmp_path, energy, *extra):
    out = tmp_path / "levels.gpkg"
    code = main(["intensity", str(PARK), "--layer", "townships", "--stats", str(STATS),
                 "--enterprises", str(energy), "--buildings", f"{PARK}|layername=buildings",
                 "--out", str(out), "--json", *extra])
    return code, out


def test_every_level_is_written_and_sums_match_a_join_by_hand(tmp_path, capsys):
    energy, sixth = _energy(tmp_path)
    code, out = _run(tmp_path, energy)
    assert code == 0
    s = json.loads(capsys.readouterr().out)
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"intensity", "district", "enterprises", "unplaced"} <= layers
    towns = pyogrio.read_dataframe(out, layer="intensity")
    ents = pyogrio.read_dataframe(out, layer="enterprises")
    district = pyogrio.read_dataframe(out, layer="district")
    unplaced = pyogrio.read_dataframe(out, layer="unplaced", read_geometry=False)

    # point in polygon, one enterprise at a time, with shapely (no spatial index, no sjoin)
    by_town: dict[str, float] = {}
    n_town: dict[str, int] = {}
    township_of: dict[str, str | None] = {}
    for ent, pt, t in zip(ents["entity"], ents.geometry, ents["t_co2"], strict=True):
        hit = [str(c) for c, poly in zip(towns["code"], towns.geometry, strict=True)
               if shapely.covers(poly, pt)]
        township_of[ent] = hit[0] if hit else None
        if hit:
            by_town[hit[0]] = by_town.get(hit[0], 0.0) + float(t)
            n_town[hit[0]] = n_town.get(hit[0], 0) + 1
    assert township_of["E002"] == sixth and township_of["E003"] is None
    for code_, got, n in zip(towns["code"].astype(str), towns["ent_t_co2"], towns["enterprises"],
                             strict=True):
        assert got == pytest.approx(by_town.get(code_, 0.0), rel=1e-9, abs=1e-6)
        assert n == n_town.get(code_, 0)
    # every placed enterprise carries the key of the township holding it (NA outside)
    written = dict(zip(ents["entity"], ents["township"], strict=True))
    assert {k: (v if isinstance(v, str) else None) for k, v in written.items()} == township_of

    # district = Σ townships (one district: the 6-digit county part 330199 of the codes)
    assert list(district["district"]) == ["330199"]
    assert district["t_co2"].iloc[0] == pytest.approx(towns["t_co2"].sum(), rel=1e-9)
    assert district["ent_t_co2"].iloc[0] == pytest.approx(sum(by_town.values()), rel=1e-9)
    assert district["townships"].iloc[0] == len(towns)
    lv = s["levels"]
    assert lv["district"]["t_co2"] == pytest.approx(towns["t_co2"].sum(), rel=1e-9)
    assert lv["district"]["intensity"] == pytest.approx(towns["t_co2"].sum() / towns["gdp_10k_yuan"].sum())
    assert lv["townships"] == len(towns) and lv["enterprises"] == len(ents)

    # the unplaced: listed in the table and the JSON, with a reason
    assert list(unplaced["entity"]) == ["E999"] and unplaced["reason"].iloc[0]
    assert [u["entity"] for u in lv["unplaced"]] == ["E999"]
    # all = in townships + outside + not placed
    r = lv["reconciliation"]
    t = dict(zip(ents["entity"], ents["t_co2"], strict=True))
    assert r["outside"] == pytest.approx(t["E003"]) and r["outside_n"] == 1
    assert r["unplaced"] == pytest.approx(float(unplaced["t_co2"].iloc[0]))
    assert r["in_townships"] == pytest.approx(sum(by_town.values()))
    assert r["all"] == pytest.approx(sum(t.values()) + float(unplaced["t_co2"].iloc[0]))
    assert r["all_n"] == len(ents) + 1 == len(pd.read_csv(energy)["企业代码"].unique())
    # E999 is E001's rows under another id: the same emissions
    assert float(unplaced["t_co2"].iloc[0]) == pytest.approx(t["E001"])


def test_without_the_map_year_the_latest_enterprise_year_is_used_with_a_warning(tmp_path, capsys):
    energy, _ = _energy(tmp_path, max_year=2022)
    code, _ = _run(tmp_path, energy)
    assert code == 0
    s = json.loads(capsys.readouterr().out)
    assert s["year"] == 2024 and s["levels"]["enterprise_year"] == 2022
    assert any(p["code"] == "drilldown.year" for p in s["problems"])


def test_a_year_the_enterprise_table_lacks_is_a_bilingual_error(tmp_path, capsys):
    energy, _ = _energy(tmp_path, max_year=2022)
    code, out = _run(tmp_path, energy, "--year", "2024")
    assert code == 2 and not out.exists()
    err = capsys.readouterr().err
    assert "能耗表中没有 2024 年" in err and "no year 2024" in err and "Internal error" not in err


def test_without_enterprises_only_the_township_layer_is_written(tmp_path, capsys):
    out = tmp_path / "t.gpkg"
    assert main(["intensity", str(PARK), "--layer", "townships", "--stats", str(STATS), "--out", str(out),
                 "--json"]) == 0
    assert "levels" not in json.loads(capsys.readouterr().out)
    assert [name for name, _ in pyogrio.list_layers(out)] == ["intensity"]


def test_gcj02_coordinates_are_corrected(tmp_path, capsys):
    """GCJ-02 (Amap) positions are offset from WGS-84 by ~100–700 m inside China, eastward and
    southward around Hangzhou: corrected, E002's point moves back west and north by that much."""
    energy, _ = _energy(tmp_path)
    given = pd.read_csv(energy, encoding="utf-8-sig").set_index("企业代码").loc["E002"].iloc[0]
    code, out = _run(tmp_path, energy, "--lonlat-crs", "gcj02")
    assert code == 0
    capsys.readouterr()
    ents = pyogrio.read_dataframe(out, layer="enterprises").to_crs(4326).set_index("entity")
    pt = ents.geometry["E002"]
    dx, dy = pt.x - given["经度"], pt.y - given["纬度"]
    assert dx < 0 < dy
    m = float(np.hypot(dx * 111_320 * np.cos(np.radians(given["纬度"])), dy * 110_574))
    assert 100 < m < 700


def test_an_address_table_places_an_enterprise_without_coordinates(tmp_path, capsys):
    """E999 has neither coordinates nor a building, only an address; the address table (another
    spelling of the same address: province/city prefixes, full-width digits) gives its lon/lat in
    the sample's 3rd township, so it is counted there and no longer unplaced."""
    energy, _ = _energy(tmp_path)
    e = pd.read_csv(energy, encoding="utf-8-sig", dtype={"企业代码": str})
    e["地址"] = ""
    e.loc[e["企业代码"] == "E999", "地址"] = "浙江省杭州市萧山区临浦镇峙山路１２号"
    e.to_csv(energy, index=False, encoding="utf-8-sig")
    towns = pyogrio.read_dataframe(PARK, layer="townships")
    third = towns.geometry.iloc[2].representative_point()
    book = tmp_path / "addresses.csv"
    pd.DataFrame({"地址": ["萧山区临浦镇峙山路12号", "萧山区义桥镇江滨路3号"], "经度": [third.x, 120.0],
                  "纬度": [third.y, 30.0]}).to_csv(book, index=False, encoding="utf-8-sig")
    code, out = _run(tmp_path, energy, "--addresses", str(book))
    assert code == 0, capsys.readouterr().err
    s = json.loads(capsys.readouterr().out)
    ents = pyogrio.read_dataframe(out, layer="enterprises").set_index("entity")
    assert ents.at["E999", "placed_by"] == "address"
    assert shapely.covers(towns.geometry.iloc[2], ents.to_crs(towns.crs).geometry["E999"])
    assert "E999" not in {u["entity"] for u in s["levels"]["unplaced"]}
