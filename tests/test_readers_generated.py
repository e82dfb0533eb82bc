"""Every reader path with files generated here, good and bad (no shared data needed)."""

from __future__ import annotations

import struct
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box

from gis.errors import CrsNeeded, InputError
from gis.io import read_vector
from gis.io.encoding import guess_bytes_encoding, shapefile_encoding

NAMES = ["萧山区纺织厂", "临江路仓库", "一号厂房"]


def _parcels(crs=4490) -> gpd.GeoDataFrame:
    x0, y0 = 120.28, 30.21
    geoms = [box(x0 + i * 0.001, y0, x0 + i * 0.001 + 0.0008, y0 + 0.0006) for i in range(3)]
    return gpd.GeoDataFrame({"name": NAMES, "floors": [1, 2, 5]}, geometry=geoms, crs=crs)


def _write_shp(gdf, path, encoding="UTF-8", cpg=True, prj=True, ldid: int | None = None):
    gdf.to_file(path, driver="ESRI Shapefile", encoding=encoding, engine="pyogrio")
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    if not prj:
        path.with_suffix(".prj").unlink(missing_ok=True)
    if ldid is not None:
        dbf = path.with_suffix(".dbf")
        b = bytearray(dbf.read_bytes())
        b[29] = ldid
        dbf.write_bytes(bytes(b))


def _codes(report) -> set[str]:
    return {p.code for p in report.problems}


# --- Shapefile encodings -------------------------------------------------------------------

def test_gbk_without_cpg_detected_from_bytes(tmp_path):
    shp = tmp_path / "gbk.shp"
    _write_shp(_parcels(), shp, encoding="GBK", cpg=False, ldid=0)
    res = read_vector(shp)
    assert res.report.encoding == "gb18030" and res.report.encoding_source == "detected"
    assert list(res.gdf["name"]) == NAMES


def test_gbk_with_ldid_0x4d(tmp_path):
    shp = tmp_path / "gbk.shp"
    _write_shp(_parcels(), shp, encoding="GBK", cpg=False, ldid=0x4D)
    res = read_vector(shp)
    assert (res.report.encoding, res.report.encoding_source) == ("gbk", "ldid")
    assert list(res.gdf["name"]) == NAMES


def test_utf8_with_cpg(tmp_path):
    shp = tmp_path / "u.shp"
    _write_shp(_parcels(), shp)
    res = read_vector(shp)
    assert res.report.encoding_source == "cpg" and list(res.gdf["name"]) == NAMES
    assert res.gdf.crs.to_epsg() == 4490 and res.report.crs_source == "file"


def test_user_encoding_wins(tmp_path):
    shp = tmp_path / "gbk.shp"
    _write_shp(_parcels(), shp, encoding="GBK", cpg=False, ldid=0)
    res = read_vector(shp, encoding="gbk")
    assert res.report.encoding_source == "user" and list(res.gdf["name"]) == NAMES


# the 3,755 common hanzi (GB2312 level 1: lead bytes 0xB0–0xD7), which names are made of
COMMON_HANZI = "".join(bytes([a, b]).decode("gb2312", errors="ignore")
                       for a in range(0xB0, 0xD8) for b in range(0xA1, 0xFF))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet=COMMON_HANZI, min_size=2, max_size=12), min_size=1,
                max_size=20))
def test_byte_detection_on_random_chinese(texts):
    assert guess_bytes_encoding([t.encode("gbk") for t in texts]).codec == "gb18030"
    assert guess_bytes_encoding([t.encode("utf-8") for t in texts]).codec == "utf-8"


def test_byte_detection_with_rare_gbk_extension_characters():
    recs = [t.encode("gbk") for t in ["一乚工业园", "犇鑫纺织厂", "堃宇科技", "萧山区"]]
    assert guess_bytes_encoding(recs).codec == "gb18030"


def test_latin1_bytes_not_mistaken_for_gbk():
    recs = ["Göteborg Rådhuset".encode("cp1252"), "Börsen Hovrätten".encode("cp1252")]
    assert guess_bytes_encoding(recs).codec == "cp1252"


def test_cpg_variants():
    header = bytearray(32)
    header[29] = 0
    for text, codec in [("UTF-8", "utf-8"), ("936", "gbk"), ("ANSI 936", "gbk"),
                        ("GB2312", "gbk"), ("65001", "utf-8"), ("cp1252", "cp1252")]:
        assert shapefile_encoding(bytes(header), text).codec == codec


def test_mojibake_warned(tmp_path):
    g = _parcels()
    g["name"] = ["锟斤拷锟斤拷", "ÄÚÃÉ¹Å×ÔÖÎÇø", "正常名称"]
    shp = tmp_path / "m.shp"
    _write_shp(g, shp)
    res = read_vector(shp)
    moj = [p for p in res.report.problems if p.code == "encoding.mojibake"]
    assert moj and moj[0].feature_ids == [0, 1]


# --- Shapefile structure --------------------------------------------------------------------

def test_missing_shx_rebuilt_without_touching_the_folder(tmp_path):
    shp = tmp_path / "a.shp"
    _write_shp(_parcels(), shp)
    shp.with_suffix(".shx").unlink()
    before = sorted(p.name for p in tmp_path.iterdir())
    res = read_vector(shp)
    assert len(res.gdf) == 3 and "shapefile.missing_shx" in _codes(res.report)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_missing_shp_is_a_clear_error(tmp_path):
    shp = tmp_path / "a.shp"
    _write_shp(_parcels(), shp)
    shp.unlink()
    with pytest.raises(InputError) as e:
        read_vector(shp)
    assert "a.shp" in e.value.en and "缺少" in e.value.zh


def test_zipped_shapefile_with_gbk_member_names(tmp_path):
    shp = tmp_path / "厂区.shp"
    _write_shp(_parcels(), shp, encoding="GBK", cpg=False, ldid=0)
    zpath = tmp_path / "data.zip"
    class GbkName(zipfile.ZipInfo):
        """As Windows zip tools on a Chinese system write names: GBK bytes, no UTF-8 flag."""

        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    with zipfile.ZipFile(zpath, "w") as z:
        for f in tmp_path.glob("厂区.*"):
            z.writestr(GbkName("园区数据/" + f.name), f.read_bytes())
    with zipfile.ZipFile(zpath) as z:
        assert not z.infolist()[0].flag_bits & 0x800  # the test really made a GBK-named zip
    res = read_vector(zpath)
    assert list(res.gdf["name"]) == NAMES
    assert "厂区.shp" in res.report.path


def test_zip_with_two_shapefiles_needs_a_choice(tmp_path):
    for stem in ("a", "b"):
        _write_shp(_parcels(), tmp_path / f"{stem}.shp")
    zpath = tmp_path / "two.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for f in tmp_path.glob("[ab].*"):
            z.write(f, f.name)
    with pytest.raises(InputError) as e:
        read_vector(zpath)
    assert "a" in e.value.en and "b" in e.value.en
    assert len(read_vector(zpath, layer="b").gdf) == 3


# --- GeoPackage, GeoJSON, KML/KMZ -----------------------------------------------------------

def test_geopackage_layers(tmp_path):
    gpkg = tmp_path / "p.gpkg"
    _parcels().to_file(gpkg, layer="buildings", engine="pyogrio")
    _parcels().iloc[:1].to_file(gpkg, layer="boundary", engine="pyogrio")
    with pytest.raises(InputError) as e:
        read_vector(gpkg)
    assert "buildings" in e.value.en and "boundary" in e.value.en
    res = read_vector(gpkg, layer="boundary")
    assert len(res.gdf) == 1 and res.report.layers == ["buildings", "boundary"]
    with pytest.raises(InputError):
        read_vector(gpkg, layer="nope")


def test_geojson(tmp_path):
    p = tmp_path / "b.geojson"
    _parcels(4326).to_file(p, driver="GeoJSON", engine="pyogrio")
    res = read_vector(p)
    assert list(res.gdf["name"]) == NAMES and res.report.encoding == "utf-8"


def test_geojson_with_projected_coordinates_but_no_crs(tmp_path):
    p = tmp_path / "cad.geojson"
    p.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
                 '"geometry":{"type":"Point","coordinates":[40512345.0,3345678.0]}}]}')
    with pytest.raises(CrsNeeded) as e:
        read_vector(p)
    assert e.value.candidates[0][0] == "EPSG:4528"
    res = read_vector(p, crs="cgcs2000-gk3-40")
    assert res.gdf.crs.to_epsg() == 4528


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Folder><name>红线</name><Placemark><name>园区边界</name><Polygon><outerBoundaryIs><LinearRing>
<coordinates>120.28,30.21,0 120.29,30.21,0 120.29,30.22,0 120.28,30.22,0 120.28,30.21,0</coordinates>
</LinearRing></outerBoundaryIs></Polygon></Placemark></Folder>
<Folder><name>测点</name><Placemark><name>一号点</name><Point><coordinates>120.285,30.215,12</coordinates>
</Point></Placemark></Folder>
</Document></kml>"""


def test_kml_all_folders(tmp_path):
    p = tmp_path / "a.kml"
    p.write_text(KML, encoding="utf-8")
    res = read_vector(p)
    assert len(res.gdf) == 2
    assert set(res.gdf["kml_folder"]) == {"红线", "测点"}
    assert "园区边界" in set(res.gdf["Name"])
    assert not res.gdf.has_z.any()  # Z dropped (reported)


def test_kmz(tmp_path):
    p = tmp_path / "a.kmz"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("doc.kml", KML)
    res = read_vector(p, layer="红线")
    assert len(res.gdf) == 1 and res.gdf.geom_type.iloc[0] == "Polygon"


# --- DXF ------------------------------------------------------------------------------------

def _dxf(path, x0=40_512_000.0, y0=3_345_000.0):
    import ezdxf

    doc = ezdxf.new("R2010")
    msp = doc.modelspace()
    msp.add_lwpolyline([(x0, y0), (x0 + 60, y0), (x0 + 60, y0 + 30), (x0, y0 + 30)],
                       close=True, dxfattribs={"layer": "建筑"})
    msp.add_lwpolyline([(x0 + 100, y0), (x0 + 160, y0)], dxfattribs={"layer": "道路"})
    msp.add_circle((x0 + 200, y0 + 50), radius=5, dxfattribs={"layer": "树"})
    msp.add_text("1#厂房 2F", dxfattribs={"insert": (x0 + 10, y0 + 10), "layer": "注记"})
    blk = doc.blocks.new(name="DORM")
    blk.add_lwpolyline([(0, 0), (40, 0), (40, 12), (0, 12)], close=True)
    msp.add_blockref("DORM", (x0 + 300, y0 + 300), dxfattribs={"layer": "建筑"})
    # a closed polyline with a bulge (arc edge)
    msp.add_lwpolyline([(x0, y0 + 100, 0, 0, 1.0), (x0 + 20, y0 + 100), (x0 + 20, y0 + 120),
                        (x0, y0 + 120)], format="xyseb", close=True)
    doc.saveas(path)


def test_dxf_closed_polylines_become_polygons(tmp_path):
    p = tmp_path / "site.dxf"
    _dxf(p)
    with pytest.raises(CrsNeeded) as e:
        read_vector(p)
    assert e.value.candidates[0][0] == "EPSG:4528"
    res = read_vector(p, crs="EPSG:4528")
    g = res.gdf
    types = g.geom_type.value_counts().to_dict()
    assert types == {"Polygon": 4, "LineString": 1}
    building = g[(g.layer == "建筑") & (g.entity == "LWPOLYLINE")].iloc[0]
    assert building.geometry.area == pytest.approx(1800.0)
    assert building["text"] == "1#厂房 2F"
    block = g[g.geometry.area.round() == 480]  # 40 × 12 from the block reference
    assert len(block) == 1
    circle = g[g.layer == "树"].geometry.iloc[0]
    assert circle.area == pytest.approx(np.pi * 25, rel=0.01)
    arc = g[g.geometry.bounds["miny"] > 3_345_090].geometry.iloc[0]
    assert arc.area > 400  # the bulge adds a half-disc outside the 20 × 20 square


def test_not_a_dxf(tmp_path):
    p = tmp_path / "bad.dxf"
    p.write_bytes(b"\x00\x01garbage" * 100)
    with pytest.raises(InputError) as e:
        read_vector(p)
    assert "DXF" in e.value.en


# --- CSV / Excel ----------------------------------------------------------------------------

def test_csv_wkt(tmp_path):
    p = tmp_path / "w.csv"
    df = pd.DataFrame({"名称": NAMES, "wkt": [g.wkt for g in _parcels().geometry]})
    df.loc[3] = ["坏行", "POLYGON((1 2, oops"]
    df.to_csv(p, index=False, encoding="utf-8-sig")
    res = read_vector(p, crs="cgcs2000")
    assert len(res.gdf) == 3
    bad = [x for x in res.report.problems if x.code == "table.bad_wkt"]
    assert bad and bad[0].feature_ids == [5]  # file line 5 (header is line 1)


def test_csv_gbk_lonlat_with_dms(tmp_path):
    p = tmp_path / "pts.csv"
    text = "名称,经度,纬度\n一号,120°17′13.2″,30°12′54″\n二号,120.29,30.215\n"
    p.write_bytes(text.encode("gbk"))
    res = read_vector(p)
    assert res.report.encoding == "gb18030"
    x, y = res.gdf.geometry.x.to_numpy(), res.gdf.geometry.y.to_numpy()
    assert x[0] == pytest.approx(120 + 17 / 60 + 13.2 / 3600)
    assert y[0] == pytest.approx(30 + 12 / 60 + 54 / 3600)
    assert "crs.assumed_wgs84" in _codes(res.report)


def test_excel_surveyor_xy_swapped_and_projected(tmp_path):
    t = Transformer.from_crs(4490, 4549, always_xy=True)
    e, n = t.transform([120.28, 120.29], [30.21, 30.22])
    p = tmp_path / "pts.xlsx"
    # Chinese surveying: X is the northing, Y the easting
    pd.DataFrame({"点名": ["J1", "J2"], "X": n, "Y": e}).to_excel(p, index=False)
    with pytest.raises(CrsNeeded):
        read_vector(p)
    res = read_vector(p, crs="EPSG:4549")
    assert "table.xy_swapped" in _codes(res.report)
    assert res.gdf.geometry.x.iloc[0] == pytest.approx(e[0])


def test_table_without_geometry_columns(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_vector(p)
    assert "a, b" in e.value.en


# --- geometry repair and CRS ----------------------------------------------------------------

def test_invalid_polygons_repaired_and_empties_dropped(tmp_path):
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
    spike = Polygon([(0, 0), (5, 0), (5, 5), (5, 0), (0, 0)])  # zero area: collapses
    g = gpd.GeoDataFrame({"id": [1, 2, 3, 4]},
                         geometry=[box(0, 0, 5, 5), bowtie, None, spike], crs=4549)
    p = tmp_path / "g.gpkg"
    g.to_file(p, engine="pyogrio")
    res = read_vector(p)
    codes = {x.code: x for x in res.report.problems}
    assert codes["geometry.repaired"].feature_ids == [1, 3]
    assert codes["geometry.empty"].feature_ids == [2]
    assert codes["geometry.degenerate"].feature_ids == [3]
    assert list(res.gdf.index) == [0, 1]  # source FIDs kept
    assert res.gdf.geometry.iloc[1].area == pytest.approx(50.0)
    assert res.gdf.is_valid.all()


def test_projected_without_prj_requires_crs(tmp_path):
    shp = tmp_path / "p.shp"
    _write_shp(_parcels().to_crs(4549), shp, prj=False)
    with pytest.raises(CrsNeeded) as e:
        read_vector(shp)
    assert "--crs" in e.value.en and "--crs" in e.value.zh
    res = read_vector(shp, crs="cgcs2000-gk3-cm120")
    assert res.gdf.crs.to_epsg() == 4549 and res.report.crs_source == "user"


def test_declared_lonlat_with_projected_values(tmp_path):
    shp = tmp_path / "p.shp"
    g = _parcels().to_crs(4549).set_crs(4490, allow_override=True)  # wrong .prj
    _write_shp(g, shp)
    with pytest.raises(CrsNeeded):
        read_vector(shp)


def test_krasovsky_lonlat_named_beijing_1954(tmp_path):
    shp = tmp_path / "k.shp"
    _write_shp(_parcels(), shp)
    shp.with_suffix(".prj").write_text(
        'GEOGCS["GCS_Krasovsky_1940",DATUM["D_Krasovsky_1940",SPHEROID["Krasovsky_1940",'
        '6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
    res = read_vector(shp)
    assert res.gdf.crs.to_epsg() == 4214 and "crs.datum_named" in _codes(res.report)


def test_bd09_conversion(tmp_path):
    from gis.webmap import bd09_to_wgs84

    p = tmp_path / "b.csv"
    p.write_text("name,lng,lat\nA,120.2936,30.2213\n", encoding="utf-8")
    res = read_vector(p, crs="bd09")
    ex, ey = bd09_to_wgs84(120.2936, 30.2213)
    assert res.gdf.geometry.x.iloc[0] == pytest.approx(float(ex), abs=1e-9)
    assert res.gdf.geometry.y.iloc[0] == pytest.approx(float(ey), abs=1e-9)


# --- hopeless inputs ------------------------------------------------------------------------

def test_missing_file():
    with pytest.raises(InputError) as e:
        read_vector("/nonexistent/park.shp")
    assert e.value.code == "file.missing"


def test_garbage_gpkg(tmp_path):
    p = tmp_path / "x.gpkg"
    p.write_bytes(b"not a database" * 10)
    with pytest.raises(InputError):
        read_vector(p)


def test_corrupt_shp(tmp_path):
    shp = tmp_path / "c.shp"
    _write_shp(_parcels(), shp)
    data = bytearray(shp.read_bytes())
    shp.write_bytes(bytes(data[:120]))  # truncated
    with pytest.raises(InputError):
        read_vector(shp)


def test_lines_and_points_pass_through(tmp_path):
    g = gpd.GeoDataFrame({"k": [1, 2]}, geometry=[LineString([(0, 0), (1, 1)]), Point(1, 2)],
                         crs=4549)
    p = tmp_path / "lp.gpkg"
    g.to_file(p, engine="pyogrio")
    res = read_vector(p)
    assert res.report.geometry_types == {"LineString": 1, "Point": 1}


def test_dbf_header_parsing_is_robust():
    assert shapefile_encoding(b"", None).codec == "utf-8"
    junk = struct.pack("<4sIHH", b"\x03\x00\x00\x00", 10**6, 33, 10) + bytes(20)
    assert shapefile_encoding(junk, None).codec == "utf-8"


def test_shapely_types_report(tmp_path):
    g = gpd.GeoDataFrame(geometry=[shapely.MultiPolygon([box(0, 0, 1, 1), box(2, 2, 3, 3)])],
                         crs=4549)
    p = tmp_path / "m.gpkg"
    g.to_file(p, engine="pyogrio")
    assert read_vector(p).report.geometry_types == {"MultiPolygon": 1}
    assert pyogrio.read_info(p)["features"] == 1


def test_file_names_with_brackets_and_chinese(tmp_path):
    shp = tmp_path / "园区红线[2024版].shp"
    _write_shp(_parcels(), shp)
    shp.with_suffix(".shx").unlink()
    shp.with_suffix(".dbf").rename(shp.with_suffix(".Dbf"))  # odd case: found by globbing
    res = read_vector(shp)
    assert len(res.gdf) == 3 and "shapefile.missing_shx" in _codes(res.report)
    assert list(res.gdf["name"]) == NAMES  # the .dbf was found despite the brackets
