"""Readers on real planners' files from ../shared/data (skipped when absent)."""

from __future__ import annotations

import shutil

import pytest
from pyproj import Geod

from gis.errors import InputError
from gis.io import inspect_vector, read_vector
from tests.conftest import shared


def _codes(report) -> set[str]:
    return {p.code for p in report.problems}


def test_gbk_dbf_with_language_driver_byte_and_missing_shp():
    dbf = shared("encoding", "ncl_county_2004_gbk_dbf_only", "county_2004.dbf")
    with pytest.raises(InputError) as e:
        read_vector(dbf.with_suffix(".shp"))
    assert e.value.code == "shapefile.missing_shp"
    assert ".shp" in e.value.zh and ".shp" in e.value.en
    table, report = inspect_vector(dbf)
    assert report.encoding == "gbk" and report.encoding_source == "ldid"
    assert report.feature_count == 2387
    assert table["NAME2004"].iloc[0] == "漠河县"
    assert "shapefile.missing_shp" in _codes(report)


def test_cpg_wins_over_ldid_and_a_wrong_cpg_is_overruled(tmp_path):
    src = shared("encoding", "ncl_county_2004_gbk_dbf_only")
    for f in src.iterdir():
        shutil.copy(f, tmp_path / f.name)
    (tmp_path / "county_2004.cpg").write_text("936")
    _, report = inspect_vector(tmp_path / "county_2004.dbf")
    assert report.encoding == "gbk" and report.encoding_source == "cpg"
    (tmp_path / "county_2004.cpg").write_text("UTF-8")  # wrong: the text is GBK
    table, report = inspect_vector(tmp_path / "county_2004.dbf")
    assert report.encoding == "gb18030" and report.encoding_source == "detected"
    assert "not valid utf-8" in report.encoding_detail
    assert "encoding.declared_wrong" in _codes(report)
    assert table["NAME2004"].iloc[0] == "漠河县"


def test_rivers_mojibake_flagged_not_crashing():
    res = read_vector(shared("encoding", "ncl_rivers_gbk_mojibake", "rivers.shp"))
    assert len(res.gdf) == 594
    assert res.report.crs.startswith("EPSG:4326")
    moj = [p for p in res.report.problems if p.code == "encoding.mojibake"]
    assert moj and len(moj[0].feature_ids) >= 551  # SOURCES.md: 551 read "锟斤拷…"
    assert "乱码" in moj[0].zh and "garbled" in moj[0].en


def test_latin1_dbf_without_cpg_goteborg():
    res = read_vector(shared("rasters", "goteborg", "buildings.shp"))
    assert res.report.encoding == "cp1252" and res.report.encoding_source == "detected"
    names = set(res.gdf["BYGGNADSNA"].dropna())
    assert "Rådhuset" in names and "Börsen" in names
    assert "OPERATÖR" in res.gdf.columns
    assert res.gdf.crs.to_epsg() == 3007
    assert len(res.gdf) == 137
    repaired = [p for p in res.report.problems if p.code == "geometry.repaired"]
    assert repaired and repaired[0].feature_ids  # names the features it fixed
    assert res.gdf.is_valid.all()


def test_utf8_dbf_without_cpg_or_prj_gcj02_boundaries():
    shp = shared("boundaries", "hangzhou_districts_2020", "杭州市.shp")
    res = read_vector(shp)
    assert res.report.encoding == "utf-8"
    assert "萧山区" in set(res.gdf["name"])
    assert res.report.crs_source == "inferred-lonlat"
    assert "crs.assumed_wgs84" in _codes(res.report)
    # the same file, declared GCJ-02 as it really is: shifted back to WGS84 by 100–700 m
    fixed = read_vector(shp, crs="gcj02")
    assert fixed.report.webmap == "gcj02"
    a = res.gdf.geometry.iloc[0].exterior.coords[0]
    b = fixed.gdf.geometry.iloc[0].exterior.coords[0]
    _, _, d = Geod(ellps="WGS84").inv(a[0], a[1], b[0], b[1])
    assert 100 < d < 700


@pytest.mark.parametrize("folder,count", [("zhejiang_counties_2020", 90),
                                          ("suzhou_districts_2020", 10),
                                          ("chengdu_districts_2020", 20)])
def test_other_boundary_sets(folder, count):
    shp = next(shared("boundaries", folder).glob("*.shp"))
    res = read_vector(shp)
    assert len(res.gdf) == count
    assert res.gdf["name"].str.contains(r"[\u4e00-\u9fff]").all()


def test_osm_buildings_geojson():
    res = read_vector(shared("buildings", "wuhan_optics_valley_osm_buildings.geojson"))
    assert res.report.format == "GeoJSON" and len(res.gdf) == 237
    assert res.report.crs.startswith("EPSG:4326") and res.report.crs_source == "file"
