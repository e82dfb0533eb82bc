"""Exports (issue 7) read back by independent readers: GDAL/pyogrio, the raw DBF bytes, csv, json,
openpyxl, xml.etree and QImage — values compared with the in-memory results, not pasted numbers."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import CRS, Transformer

from app.exports.shapefile import FieldMapping, shapefile_names, write_shapefile, write_shapefiles
from app.exports.tables import write_csv, write_geojson, write_geopackage, write_sheets, write_workbook
from gis.errors import InputError
from gis.progress import NO_PROGRESS
from layers.fields import FIELDS, LAYER_FIELDS


@pytest.fixture(scope="module")
def results():
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    return run_park_analyses(load_sample_park())


@pytest.fixture(scope="module")
def layers(results):
    return results.layers()


def _dbf_header(path):
    """(language driver byte, [(name bytes, type, width, decimals)]) straight from the DBF bytes."""
    raw = path.with_suffix(".dbf").read_bytes()
    header_len = struct.unpack("<H", raw[8:10])[0]
    fields = []
    for off in range(32, header_len - 1, 32):
        d = raw[off:off + 32]
        fields.append((d[:11].rstrip(b"\x00"), chr(d[11]), d[16], d[17]))
    return raw[29], fields


# ---- field names ----------------------------------------------------------------------------------

def test_curated_short_names_fit_and_are_unique():
    shorts = {}
    for name, info in FIELDS.items():
        assert len(info.short.encode("ascii")) <= 10, name
        assert info.short == info.short.lower()
        shorts.setdefault(info.short, name)
        assert shorts[info.short] == name, f"{name} and {shorts[info.short]} share {info.short}"
        if len(name) <= 10 and name.isidentifier():
            assert info.short == name, f"{name} fits already and must keep its name"
    for (_layer, name), info in LAYER_FIELDS.items():
        assert info.short == FIELDS[name].short


def test_name_rule_utf8_and_gbk_byte_limits():
    cols = ["kwh_yr", "t_co2_yr", "shade_loss_pct", "乡镇街道名称", "Very Long Field Name",
            "very_long_field_nameX", "KWH_YR", "2023年产值(万元)"]
    utf8 = shapefile_names(cols, "utf-8")
    gbk = shapefile_names(cols, "gbk")
    # hand-derived expectations from the documented rule
    assert utf8[:3] == ["kwh_yr", "t_co2_yr", "shade_pct"]  # a name that fits keeps itself
    assert utf8[3] == "乡镇街"  # 3 × 3 bytes; a 4th character would make 12 > 10
    assert gbk[3] == "乡镇街道名"  # 5 × 2 bytes
    assert utf8[4] == "Very_Long_"
    assert utf8[5] == "very_lon_1"  # "very_long_" equals the previous name ignoring case
    assert utf8[6] == "KWH_YR_1"  # same as kwh_yr ignoring case
    assert (utf8[7], gbk[7]) == ("f2023年", "f2023年产")  # "_" for "(", "f" before a digit, cut
    for names, enc in ((utf8, "utf-8"), (gbk, "gbk")):
        assert all(len(n.encode(enc)) <= 10 for n in names)
        assert len({n.lower() for n in names}) == len(names)


# ---- Shapefile -----------------------------------------------------------------------------------

def test_shapefile_utf8_round_trip_with_gdal(layers, results, tmp_path):
    gdf = layers["rooftop_pv"]
    m = write_shapefile(gdf, tmp_path / "rooftop_pv.shp", layer="rooftop_pv")
    assert isinstance(m, FieldMapping)
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert (tmp_path / f"rooftop_pv{ext}").exists(), ext
    assert (tmp_path / "rooftop_pv.cpg").read_text() == "UTF-8"
    info = pyogrio.read_info(tmp_path / "rooftop_pv.shp")
    assert list(info["fields"]) == [f.short for f in m.fields]
    assert CRS.from_user_input(info["crs"]).equals(gdf.crs)
    prj = CRS.from_wkt((tmp_path / "rooftop_pv.prj").read_text())  # ESRI WKT: same projection, other names
    x, y = gdf.geometry.iloc[0].centroid.coords[0]
    ref = Transformer.from_crs(gdf.crs, 4326, always_xy=True).transform(x, y)
    assert np.allclose(Transformer.from_crs(prj, 4326, always_xy=True).transform(x, y), ref, atol=1e-9)
    assert prj.to_epsg() == gdf.crs.to_epsg() == 4549
    back = pyogrio.read_dataframe(tmp_path / "rooftop_pv.shp")
    assert len(back) == len(gdf)
    # the park's total yield: GDAL's reading of the DBF against the in-app summary
    assert back[m.short_of("kwh_yr")].sum() == pytest.approx(results.pv.summary()["kwh_yr"], rel=1e-6)
    for f in m.fields:
        a, b = gdf[f.original], back[f.short]
        if f.type == "N":
            tol = 0.5 * 10.0 ** -f.decimals + 1e-9
            assert np.allclose(a.astype(float), b.astype(float), atol=tol, equal_nan=True), f.original
        elif f.type == "C":
            assert (a.fillna("").astype(str) == b.fillna("").astype(str)).all(), f.original  # DBF: NULL = ""
        elif f.type == "L":  # "?" is NULL
            a, b = a.astype("boolean"), pd.Series(b.to_numpy(), dtype="boolean")
            assert (a.isna().to_numpy() == b.isna().to_numpy()).all()
            assert (a.dropna().to_numpy() == b.dropna().to_numpy()).all()
    assert shapely.equals_exact(back.geometry.to_numpy(), gdf.geometry.to_numpy(), tolerance=1e-6).all() or \
        np.allclose(back.area.to_numpy(), gdf.area.to_numpy(), rtol=1e-9)
    # the mapping table next to the file, read with the csv module
    with open(tmp_path / "rooftop_pv_fields.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    pairs = [(r["原字段 original"], r["短字段 short"]) for r in rows]
    assert pairs == [(f.original, f.short) for f in m.fields]
    units = {r["原字段 original"]: r["单位 unit"] for r in rows}
    assert units["kwh_yr"] == "kWh/yr" and units["t_co2_yr"] == "tCO2/yr"
    assert m.short_of("shade_loss_pct") == "shade_pct" and m.short_of("kwh_per_kwp") == "kwh_kwp"
    assert m.short_of("t_co2_yr") == "t_co2_yr"


def test_shapefile_gbk_round_trip(layers, tmp_path):
    gdf = layers["buildings"].copy()
    gdf["乡镇街道名称"] = "临江街道"
    m = write_shapefile(gdf, tmp_path / "b.shp", "gbk", layer="buildings")
    assert (tmp_path / "b.cpg").read_text() == "936"
    ldid, fields = _dbf_header(tmp_path / "b.shp")
    assert ldid == 0x4D  # code page 936
    assert "乡镇街道名".encode("gbk") in [f[0] for f in fields]
    raw = (tmp_path / "b.dbf").read_bytes()
    name = gdf["name"].iloc[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in name)
    assert name.encode("gbk") in raw and name.encode("utf-8") not in raw
    back = pyogrio.read_dataframe(tmp_path / "b.shp")  # GDAL reads the .cpg
    assert back["name"].tolist() == gdf["name"].tolist()
    assert back["乡镇街道名"].eq("临江街道").all()
    assert m.short_of("乡镇街道名称") == "乡镇街道名"
    # Lingtan's own reader agrees
    from gis.io import read_vector

    ours = read_vector(tmp_path / "b.shp").gdf
    assert ours["name"].tolist() == gdf["name"].tolist()


def test_gbk_refuses_what_it_cannot_hold_and_keeps_the_old_file(layers, tmp_path):
    gdf = layers["boundary"].copy()
    write_shapefile(gdf, tmp_path / "b.shp", "gbk")
    before = (tmp_path / "b.dbf").read_bytes()
    bad = gdf.copy()
    bad["name"] = "園區😀"
    with pytest.raises(InputError) as err:
        write_shapefile(bad, tmp_path / "b.shp", "gbk")
    assert err.value.code == "export.gbk_unencodable"
    assert "GBK" in err.value.zh and "GBK" in err.value.en and "U+1F600" in err.value.en
    assert (tmp_path / "b.dbf").read_bytes() == before  # nothing half-written
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folder left
    # symbols with a compatibility form are replaced and reported
    sym = gdf.copy()
    sym["name"] = "面积 100 m²，CO₂"
    m = write_shapefile(sym, tmp_path / "s.shp", "gbk")
    assert pyogrio.read_dataframe(tmp_path / "s.shp")["name"].iloc[0] == "面积 100 m2，CO2"
    assert any("²" in zh for zh, _ in m.problems)


def test_values_types_dates_and_nulls(tmp_path):
    g = gpd.GeoDataFrame({
        "count": pd.array([1, None, 300], dtype="Int64"),
        "ratio": [0.5, np.nan, 2.25],
        "ok": pd.array([True, None, False], dtype="boolean"),
        "day": pd.to_datetime(["2024-01-31", None, "2023-12-01"]),
        "when": pd.to_datetime(["2024-01-31 08:30:00", None, "2023-12-01 00:00:01"]),
        "label": ["甲", None, "x" * 300],
    }, geometry=[shapely.Point(500000, 3340000), shapely.Point(500010, 3340010), None], crs=4549)
    m = write_shapefile(g, tmp_path / "t.shp")
    types = {f.original: (f.type, f.width, f.decimals) for f in m.fields}
    assert types["count"] == ("N", 3, 0) and types["day"] == ("D", 8, 0) and types["ok"][0] == "L"
    assert types["label"] == ("C", 254, 0) and types["when"][0] == "C"
    assert any("254" in en for _, en in m.problems)  # the 300-character text was cut and reported
    back = pyogrio.read_dataframe(tmp_path / "t.shp")
    assert back["count"].iloc[0] == 1 and pd.isna(back["count"].iloc[1]) and back["count"].iloc[2] == 300
    assert back["ratio"].iloc[2] == 2.25 and pd.isna(back["ratio"].iloc[1])
    assert pd.Timestamp(back["day"].iloc[0]).date() == dt.date(2024, 1, 31) and pd.isna(back["day"].iloc[1])
    assert back["when"].iloc[0] == "2024-01-31 08:30:00"
    assert back["label"].iloc[0] == "甲" and back["label"].iloc[2] == "x" * 254
    assert back.geometry.iloc[2] is None and len(back) == 3


def test_mixed_geometry_refused_or_split(tmp_path):
    g = gpd.GeoDataFrame({"name": ["a", "b", "c"]},
                         geometry=[shapely.box(0, 0, 1, 1), shapely.LineString([(0, 0), (2, 2)]),
                                   shapely.MultiPolygon([shapely.box(3, 3, 4, 4)])], crs=4549)
    with pytest.raises(InputError) as err:
        write_shapefile(g, tmp_path / "m.shp")
    assert err.value.code == "export.mixed_geometry"
    maps = write_shapefiles(g, tmp_path / "m.shp")
    assert sorted(p.path.name for p in maps) == ["m_lines.shp", "m_polygons.shp"]
    assert pyogrio.read_dataframe(tmp_path / "m_polygons.shp")["name"].tolist() == ["a", "c"]
    assert pyogrio.read_info(tmp_path / "m_lines.shp")["features"] == 1


def test_empty_layer_keeps_its_geometry_type(tmp_path):
    g = gpd.GeoDataFrame({"name": pd.Series([], dtype=str)}, geometry=gpd.GeoSeries([], crs=4549))
    write_shapefile(g, tmp_path / "e.shp")
    info = pyogrio.read_info(tmp_path / "e.shp")
    assert info["features"] == 0 and info["geometry_type"] == "Polygon"


def test_empty_violations_layer_is_written_as_lines(tmp_path):
    """No violations: the layer is still written, with the lines its features would be, and a note."""
    from gis.wind.farm import VIOLATION_COLUMNS

    g = gpd.GeoDataFrame({c: pd.Series([], dtype=object) for c in VIOLATION_COLUMNS},
                         geometry=gpd.GeoSeries([], crs=4549))
    (m,) = write_shapefiles(g, tmp_path / "wind_violations.shp", layer="wind_violations")
    info = pyogrio.read_info(tmp_path / "wind_violations.shp")
    assert info["features"] == 0 and info["geometry_type"] == "LineString"
    assert list(info["fields"]) == VIOLATION_COLUMNS and m.problems
    m2 = write_shapefile(g.iloc[:0], tmp_path / "x.shp", geometry_type="point")
    assert pyogrio.read_info(m2.path)["geometry_type"] == "Point"


def test_layer_without_fields_gets_an_integer_id(tmp_path):
    g = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), shapely.box(2, 2, 3, 3)], crs=4549)
    m = write_shapefile(g, tmp_path / "bare.shp")
    _, fields = _dbf_header(m.path)
    assert fields == [(b"id", "N", 1, 0)]  # one numeric field, not a zero-field DBF
    back = pyogrio.read_dataframe(m.path)
    assert back["id"].tolist() == [0, 1] and len(back) == 2
    assert m.fields[0].zh and m.fields[0].en
    if shutil.which("ogrinfo"):
        out = subprocess.run(["ogrinfo", "-so", "-al", str(m.path)], capture_output=True, text=True)
        assert out.returncode == 0 and "id: Integer" in out.stdout


def test_stale_spatial_index_removed(layers, tmp_path):
    (tmp_path / "b.qix").write_bytes(b"stale")
    (tmp_path / "b.sbn").write_bytes(b"stale")
    write_shapefile(layers["boundary"], tmp_path / "b.shp")
    assert not (tmp_path / "b.qix").exists() and not (tmp_path / "b.sbn").exists()


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) not installed")
def test_ogrinfo_reads_the_shapefile(layers, tmp_path):
    m = write_shapefile(layers["rooftop_pv"], tmp_path / "pv.shp", "gbk", layer="rooftop_pv")
    out = subprocess.run(["ogrinfo", "-so", "-al", str(tmp_path / "pv.shp")], capture_output=True, text=True,
                         check=True).stdout
    assert f"Feature Count: {len(layers['rooftop_pv'])}" in out
    for f in m.fields:
        assert f"{f.short}: " in out


# ---- GeoPackage, GeoJSON, CSV ----------------------------------------------------------------------

def test_geopackage_all_layers_with_qgis_styles(layers, tmp_path):
    from layers.presets import styled_layer

    styles = {n: styled_layer(n, g).style for n, g in layers.items()}
    write_geopackage(tmp_path / "park.gpkg", layers, styles)
    names = {str(n) for n in pyogrio.list_layers(tmp_path / "park.gpkg")[:, 0]}
    assert set(layers) | {"layer_styles"} <= names
    back = pyogrio.read_dataframe(tmp_path / "park.gpkg", layer="rooftop_pv")
    assert back["kwh_yr"].sum() == pytest.approx(layers["rooftop_pv"]["kwh_yr"].sum(), rel=1e-12)
    st = pyogrio.read_dataframe(tmp_path / "park.gpkg", layer="layer_styles")
    assert set(st["f_table_name"]) == set(layers)
    for qml in st["styleQML"]:
        ET.fromstring(qml.split("\n", 1)[1])  # after the DOCTYPE line


def test_geojson_rfc7946(layers, tmp_path):
    gdf = layers["rooftop_pv"]
    write_geojson(gdf, tmp_path / "pv.geojson")
    data = json.loads((tmp_path / "pv.geojson").read_text(encoding="utf-8"))
    assert "crs" not in data  # RFC 7946: WGS84 only, no crs member
    coords = np.array([c for f in data["features"] for ring in f["geometry"]["coordinates"] for c in ring])
    # the layer's bounds transformed independently with pyproj (x = lon, y = lat)
    t = Transformer.from_crs(gdf.crs, 4326, always_xy=True)
    x0, y0, x1, y1 = gdf.total_bounds
    lon0, lat0 = t.transform(x0, y0)
    lon1, lat1 = t.transform(x1, y1)
    assert coords[:, 0].min() > min(lon0, lon1) - 0.01 and coords[:, 0].max() < max(lon0, lon1) + 0.01
    assert coords[:, 1].min() > min(lat0, lat1) - 0.01 and coords[:, 1].max() < max(lat0, lat1) + 0.01
    assert 118 < coords[:, 0].mean() < 122 and 29 < coords[:, 1].mean() < 32  # Hangzhou, lon first
    decimals = max(len(repr(float(v)).split(".")[1]) for v in coords.ravel()[:2000])
    assert decimals <= 7
    total = sum(f["properties"]["kwh_yr"] for f in data["features"])
    assert total == pytest.approx(gdf["kwh_yr"].sum(), rel=1e-12)
    assert data["features"][0]["properties"]["name"] == gdf["name"].iloc[0]
    g = gpd.GeoDataFrame({"v": [np.nan]}, geometry=[shapely.Point(500000, 3340000)], crs=4549)
    write_geojson(g, tmp_path / "nan.geojson")
    assert json.loads((tmp_path / "nan.geojson").read_text())["features"][0]["properties"]["v"] is None


def test_csv_bom_chinese_and_centroids(layers, tmp_path):
    gdf = layers["rooftop_pv"]
    write_csv(gdf, tmp_path / "pv.csv", wkt=True)
    raw = (tmp_path / "pv.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(tmp_path / "pv.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(gdf)
    assert rows[0]["name"] == gdf["name"].iloc[0]
    assert sum(float(r["kwh_yr"]) for r in rows) == pytest.approx(gdf["kwh_yr"].sum(), rel=1e-9)
    c = gdf.geometry.centroid
    lon, lat = Transformer.from_crs(gdf.crs, 4326, always_xy=True).transform(c.x.to_numpy(), c.y.to_numpy())
    assert np.allclose([float(r["lon"]) for r in rows], lon, atol=1e-6)
    assert np.allclose([float(r["lat"]) for r in rows], lat, atol=1e-6)
    g0 = shapely.from_wkt(rows[0]["wkt"])
    assert g0.contains(shapely.Point(lon[0], lat[0]))
    write_csv(gdf, tmp_path / "pv_label.csv", headers="label", lonlat=False)
    with open(tmp_path / "pv_label.csv", encoding="utf-8-sig", newline="") as fh:
        head = next(csv.reader(fh))
    assert "年发电量 kWh/yr" in head


# ---- Excel ---------------------------------------------------------------------------------------

def test_workbook_sheets_headers_and_values(results, layers, tmp_path):
    import openpyxl

    write_workbook(results, tmp_path / "park.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "park.xlsx")
    names = wb.sheetnames
    for want in ("汇总 summary", "屋顶光伏 PV", "企业排放 entities", "碳汇 sinks", "指标 indicators",
                 "乡镇 townships"):
        assert want in names
    assert names[0] == "汇总 summary"
    ws = wb["屋顶光伏 PV"]
    assert ws.freeze_panes == "A2"
    head = [c.value for c in ws[1]]
    assert "年发电量 kWh/yr" in head and "装机容量 kWp" in head and "遮挡损失 %" in head
    col = head.index("年发电量 kWh/yr") + 1
    values = [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]
    assert all(isinstance(v, float | int) for v in values)
    assert sum(values) == pytest.approx(layers["rooftop_pv"]["kwh_yr"].sum(), rel=1e-9)
    assert ws.column_dimensions["A"].width > 5
    # summary row against the in-app summary
    summ = {(r[0], r[3]): r[2] for r in wb["汇总 summary"].iter_rows(min_row=2, values_only=True)}
    assert summ[("屋顶光伏年发电量", "kWh/yr")] == pytest.approx(results.summary["pv"]["kwh_yr"])
    # per-enterprise emissions of the accounted year add up to the park total
    ws = wb["企业排放 entities"]
    head = [c.value for c in ws[1]]
    year_col, co2_col = head.index("年份") + 1, next(i for i, h in enumerate(head, 1) if "tCO2" in str(h))
    total = results.summary["carbon"]["emissions"]["total"]
    s = sum(ws.cell(row=r, column=co2_col).value for r in range(2, ws.max_row + 1)
            if ws.cell(row=r, column=year_col).value == total["year"])
    assert s == pytest.approx(total["t_co2"], rel=1e-6)
    ws = wb["乡镇 townships"]
    assert ws.max_row - 1 == len(layers["township_intensity"])


def test_excel_text_is_never_a_formula(tmp_path):
    import openpyxl

    frame = pd.DataFrame({"名称": ["=HYPERLINK(\"http://x\",\"y\")", "普通"], "v": [1.5, math.nan]})
    write_sheets(tmp_path / "t.xlsx", {"s": frame}, {"s": {"v": "#,##0.00"}})
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["s"]
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=HYPERLINK")
    assert ws["B2"].value == 1.5 and ws["B2"].number_format == "#,##0.00" and ws["B3"].value is None


# ---- PNG and styles ------------------------------------------------------------------------------

def test_png_size_and_dpi(layers, tmp_path):
    from PySide6.QtGui import QImage

    from app.exports.images import export_png
    from layers.presets import styled_layer

    export_png([styled_layer("rooftop_pv", layers["rooftop_pv"])], tmp_path / "m.png", 900, 600, dpi=300,
               title="屋顶光伏")
    img = QImage(str(tmp_path / "m.png"))
    assert (img.width(), img.height()) == (900, 600)
    assert img.dotsPerMeterX() == round(300 / 0.0254) == img.dotsPerMeterY()
    with pytest.raises(InputError):
        export_png([], tmp_path / "x.png", 5, 5, dpi=300)


def test_styles_next_to_shapefiles_use_the_short_names(results, tmp_path):
    from app.exports import export_all
    from layers.style import FIVE_COLOURS

    res = export_all(results, tmp_path, ("shp",))
    folder = tmp_path / "shapefile"
    fields = {f.original: f.short for f in res.mappings["rooftop_pv"][0].fields}
    qml = ET.parse(folder / "rooftop_pv.qml").getroot()
    renderer = qml.find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol"
    assert renderer.get("attr") == fields["kwh_per_m2"]
    assert fields["kwh_per_m2"] in pyogrio.read_info(folder / "rooftop_pv.shp")["fields"]
    sld = ET.parse(folder / "rooftop_pv.sld").getroot()
    props = {e.text for e in sld.iter("{http://www.opengis.net/ogc}PropertyName")}
    assert props == {fields["kwh_per_m2"]}
    five = ET.parse(folder / "township_intensity.qml").getroot()
    cats = five.find("renderer-v2").find("categories")
    values = [c.get("value") for c in cats if c.get("value")]
    assert values == ["1", "2", "3", "4", "5"]
    symbols = five.find("renderer-v2").find("symbols")
    colours = []
    for sym in symbols:
        for opt in sym.iter("Option"):
            if opt.get("name") == "color":
                r, g, b, _ = map(int, opt.get("value").split(","))
                colours.append(f"#{r:02x}{g:02x}{b:02x}")
    assert set(FIVE_COLOURS) <= set(colours)
    ET.parse(folder / "township_intensity.sld")


# ---- everything, and the command ------------------------------------------------------------------

def test_export_all_formats_and_cli(results, tmp_path, capsys):
    import app.cli as cli
    from app.processing.cli import given_values
    from app.processing.registry import algorithm

    rc = cli.main(["export", "--sample", "--out", str(tmp_path), "--encoding", "gbk", "--dpi", "120",
                   "--size", "800x600", "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["files"]) == {"shp", "gpkg", "geojson", "csv", "xlsx", "png", "html"}
    for files in out["files"].values():
        for f in files:
            assert Path(f).exists(), f
    assert (tmp_path / "shapefile" / "rooftop_pv.cpg").read_text() == "936"
    assert (tmp_path / "park.html").stat().st_size < 2_000_000
    assert cli.main(["export", "--sample", "--out", str(tmp_path), "--formats", "shp,pdf"]) == 2
    assert cli.main(["export", "--out", str(tmp_path)]) == 2
    args = cli.build_parser().parse_args(["export", "--sample", "--out", "x"])
    v = given_values(algorithm("export"), args)  # the defaults, as the run gets them
    assert (v.encoding, v.dpi, v.size, v.formats.split(",")) == (
        "utf-8", 200, (2000, 1500), ["shp", "gpkg", "geojson", "csv", "xlsx", "png", "html"])


def test_run_export_takes_the_spellings_parse_formats_takes(tmp_path, capsys):
    """``lingtan run export`` is ``lingtan export``: the format and encoding spellings of
    app.exports.export_all.parse_formats and normalise_encoding, the PNG size, and the folder."""
    from PySide6.QtGui import QImage

    import app.cli as cli
    from app.exports.export_all import parse_formats
    from app.exports.shapefile import normalise_encoding

    assert parse_formats("Shapefile,.png") == ["shp", "png"] and normalise_encoding("cp936") == "gbk"
    out = tmp_path / "new" / "folder"
    assert cli.main(["run", "export", "--sample", "--out", str(out), "--formats", "Shapefile,.png",
                     "--encoding", "cp936", "--size", "640×480", "--dpi", "96", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary["files"]) == {"shp", "png"} and summary["out_dir"] == str(out)
    assert (out / "shapefile" / "rooftop_pv.cpg").read_text() == "936"
    img = QImage(str(out / "park_map.png"))
    assert (img.width(), img.height()) == (640, 480)
    assert img.dotsPerMeterX() == round(96 / 0.0254)


def test_export_from_python_takes_results_in_memory(results, tmp_path, monkeypatch):
    """Results passed in (the desktop app's open project) are exported as they are: nothing is
    analysed again, and the files are those export_all writes of them."""
    import app.results
    from app.exports.export_all import export_all
    from app.processing.registry import algorithm

    def no_rerun(*a, **k):
        raise AssertionError("the analyses ran again")

    alg = algorithm("export")
    with monkeypatch.context() as m:
        m.setattr(app.results, "run_park_analyses", no_rerun)
        out = alg({"project": results}, formats="csv,geojson")
    values = alg.values({"formats": "geojson, csv", "csv_wkt": True})
    summary, lines = alg.output_file.write_output(out, tmp_path / "a", values)
    headless = export_all(results, tmp_path / "b", "csv,geojson", csv_wkt=True).summary()
    names = {k: sorted(Path(f).name for f in v) for k, v in summary["files"].items()}
    assert names == {k: sorted(Path(f).name for f in v) for k, v in headless["files"].items()}
    assert set(names) == {"csv", "geojson"} and lines[0] == f"导出 Exported to {tmp_path / 'a'}"
    with open(tmp_path / "a" / "csv" / "rooftop_pv.csv", encoding="utf-8-sig") as f:
        assert "wkt" in [h.lower() for h in next(csv.reader(f))]


def test_export_demo_writes_web_map_and_shapefiles(results, tmp_path):
    from app.exports import export_demo

    out = export_demo(results, tmp_path)
    assert Path(out["web_map"]).name == "park.html" and Path(out["web_map"]).exists()
    shp = sorted(p.name for p in Path(out["shapefile_dir"]).glob("*.shp"))
    assert shp == sorted(f"{n}.shp" for n in results.layers())


# ---- saved projects (lingtan export PROJECT.lingtan.gpkg) ------------------------------------------

def _export_args(path, out):
    import argparse

    return argparse.Namespace(project=path, sample=False, out=out)


def test_saved_project_results_exported_as_saved_without_rerunning(results, tmp_path, monkeypatch):
    """A saved project's results are exported from its layers and summary: nothing runs again and
    the workbook's carbon sheets hold the saved figures."""
    import openpyxl

    import app.results
    from app.cmd_export import load_results
    from app.exports.export_all import export_all
    from app.project_file import save_project
    from app.results import ParkResults
    from app.workspace import Workspace

    ws = Workspace()
    ws.set_results(results)
    path = save_project(ws, tmp_path / "park.lingtan.gpkg")

    def no_rerun(*a, **k):
        raise AssertionError("the analyses ran again")

    monkeypatch.setattr(app.results, "run_park_analyses", no_rerun)
    saved = load_results(_export_args(path, tmp_path), NO_PROGRESS)
    assert isinstance(saved, ParkResults) and saved.park is None  # saved results: nothing computed
    assert saved.summary["pv"]["kwh_yr"] == pytest.approx(results.summary["pv"]["kwh_yr"])
    res = export_all(saved, tmp_path / "out", ("xlsx", "shp"))
    shp = {p.stem for p in (tmp_path / "out" / "shapefile").glob("*.shp")}
    assert {"rooftop_pv", "township_intensity", "green_sinks", "boundary"} <= shp
    assert not res.problems or all("rooftop_pv" not in zh for zh, _ in res.problems)
    wb = openpyxl.load_workbook(tmp_path / "out" / "park.xlsx", read_only=True)
    assert {"屋顶光伏 PV", "平衡 balance", "指标 indicators", "能源品种 fuels", "碳汇 sinks",
            "乡镇 townships"} <= set(wb.sheetnames)
    rows = list(wb["平衡 balance"].iter_rows(values_only=True))
    head, net = rows[0], next(r for r in rows if r[0] == "net_t_co2")
    for sc in results.summary["carbon"]["balance"]["scenarios"]:
        assert net[head.index(sc["scenario"])] == pytest.approx(sc["lines"]["net_t_co2"], rel=1e-6)
    n_ind = len(results.summary["carbon"]["balance"]["indicators"])
    assert len(list(wb["指标 indicators"].iter_rows(values_only=True))) - 1 == n_ind
    # the PV sheet sums to the saved total (layers as saved)
    pv = list(wb["屋顶光伏 PV"].iter_rows(values_only=True))
    col = next(i for i, h in enumerate(pv[0]) if "kWh/yr" in str(h) and "月" not in str(h))
    assert sum(r[col] or 0 for r in pv[1:]) == pytest.approx(results.summary["pv"]["kwh_yr"], rel=1e-6)


def test_saved_project_without_results_uses_its_stored_settings(tmp_path, monkeypatch):
    """A saved project with only a park is analysed with the choices stored in it (factor set,
    indicator set, PV losses, module, grid factor), not with the defaults."""
    from app.cmd_export import load_results
    from app.project_file import save_project
    from app.workspace import Workspace
    from gis.grid_factors import grid_factor

    ws = Workspace()
    ws.load_sample()
    ws.set_setting("analysis", {
        "pv": {"losses_pct": 20.0, "module_w": 550.0, "grid_factor": "east-2023", "shading": False},
        "carbon": {"factors": "national-2021"},
        "indicators": {"indicators": "national-2025", "facts": {}}})
    path = save_project(ws, tmp_path / "park.lingtan.gpkg")
    got = load_results(_export_args(path, tmp_path), NO_PROGRESS)
    pv = got.summary["pv"]
    assert pv["losses_pct"] == 20.0 and pv["module_w"] == 550.0 and pv["shading"] is False
    assert got.summary["carbon"]["emissions"]["factor_set"]["key"] == "national-2021"
    east = grid_factor("east-2023").kg_co2_per_kwh
    assert pv["grid_factor"]["kg_co2_per_kwh"] == pytest.approx(east)
    assert pv["t_co2_yr"] == pytest.approx(pv["kwh_yr"] * east / 1000, rel=1e-3)


def test_analysis_options_from_stored_settings():
    from app.analysis_settings import analysis_options

    settings = {"analysis": {
        "pv": {"weather": "/x/w.epw", "losses_pct": 9.5, "module_w": 600.0, "module_length_m": 2.4,
               "module_width_m": 1.1, "tilt_deg": 12.0, "azimuth_deg": 170.0, "grid_factor": "south-2023",
               "unknown_key": 1},
        "carbon": {"factors": "sichuan-2022", "year": 2023, "baseline_year": 2022},
        "indicators": {"indicators": "national-2025", "facts": {"x": 5.0}}}}
    o = analysis_options(settings)
    assert (o.factors, o.indicators, str(o.weather), o.year, o.baseline_year, o.facts) == (
        "sichuan-2022", "national-2025", "/x/w.epw", 2023, 2022, {"x": 5.0})
    s = o.pv_settings
    assert s.system.losses_pct == 9.5 and s.grid_factor_key == "south-2023"
    m = s.layout.module
    assert (m.power_w, m.length_m, m.width_m) == (600.0, 2.4, 1.1)
    assert (s.layout.forced_tilt_deg, s.layout.forced_azimuth_deg) == (12.0, 170.0)
    d = analysis_options({})
    assert d.factors is None and d.weather is None and d.pv_settings.system.losses_pct == 14.0


# ---- siting layers (issue 8) ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def siting():
    from app.results import ParkResults, add_demo_siting
    from gis.park import load_sample_park

    res = add_demo_siting(ParkResults(park=load_sample_park()))
    return {k: v for k, v in res.layers().items() if k not in res.park.layers()}


# unit each name stands for (the project's naming rule: units in names) — hand-written
EXACT_UNITS = {"kwp": "kWp", "kwh_yr": "kWh/yr", "t_co2_yr": "tCO2/yr", "kwh_per_kwp": "kWh/kWp", "cf": ""}
SUFFIX_UNITS = {"_h_yr": "h/yr", "_m2": "m²", "_mwh": "MWh/yr", "_dba": "dB(A)", "_db": "dB", "_pct": "%",
                "_deg": "°", "_ms": "m/s", "_kw": "kW", "_m": "m", "_h": "h/yr"}


def _expected_unit(name: str) -> str | None:
    if name in EXACT_UNITS:
        return EXACT_UNITS[name]
    for suffix in sorted(SUFFIX_UNITS, key=len, reverse=True):
        if name.endswith(suffix):
            return SUFFIX_UNITS[suffix]
    return None


def test_every_siting_field_is_described(siting):
    from gis.solar.array_energy import TABLE_RESULT_COLUMNS
    from gis.wind.farm import TURBINE_FIELDS, VIOLATION_COLUMNS
    from layers.fields import field_info

    assert {"pv_array_tables", "pv_array_area", "pv_array_exclusions", "turbines",
            "wind_violations"} <= set(siting)
    cols = {(name, c) for name, g in siting.items() for c in g.columns if c != g.geometry.name}
    cols |= {("turbines", c) for c in TURBINE_FIELDS} | {("wind_violations", c) for c in VIOLATION_COLUMNS}
    cols |= {("pv_array_tables", c) for c in TABLE_RESULT_COLUMNS}
    cols |= {("wind_receptors", c) for c in ("shadow_h_yr", "shadow_max_min_day")}
    for layer, c in sorted(cols):
        info = field_info(c, layer)
        assert info is not None, (layer, c)
        assert info.zh and info.en and len(info.short.encode("ascii")) <= 10
        if _expected_unit(c) is not None:
            assert info.unit == _expected_unit(c), (layer, c, info.unit)


def test_siting_shapefiles_use_the_curated_short_names(siting, tmp_path):
    from layers.fields import field_info

    for name in ("turbines", "wind_receptors", "pv_array_tables"):
        gdf = siting.get(name)
        if gdf is None:
            continue
        (m,) = write_shapefiles(gdf, tmp_path / f"{name}.shp", layer=name)
        _, dbf = _dbf_header(m.path)
        got = [n.decode() for n, *_ in dbf]
        want = [field_info(c, name).short for c in gdf.columns if c != gdf.geometry.name]
        assert got == want
        assert not {"gross_aep_", "wake_loss_", "n_violatio", "violatio_1"} & set(got)
        # the mapping CSV has a unit for each measured field
        with open(m.path.with_name(f"{name}_fields.csv"), encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        got_units = {r["原字段 original"]: r["单位 unit"] for r in rows}
        for c, unit in got_units.items():
            if _expected_unit(c) is not None:
                assert unit == _expected_unit(c), (name, c, unit)
        if name == "turbines":
            assert got_units["gross_aep_mwh"] == "MWh/yr" and got_units["wake_loss_pct"] == "%"
