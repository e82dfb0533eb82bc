"""Exports as QGIS 3.22 / GDAL 3.6 and LibreOffice take them: GeoPackage version 1.2, empty layers
with a real geometry type, styles inside the demo's park.gpkg, CSV text never run as a formula."""

from __future__ import annotations

import csv
import sqlite3

import geopandas as gpd
import pandas as pd
import shapely

from app.exports.tables import write_csv
from app.outputs import write_gpkg


def _gpkg_version(path) -> int:
    with sqlite3.connect(path) as con:
        return int(con.execute("PRAGMA user_version").fetchone()[0])


def test_geopackages_are_version_1_2_and_empty_layers_keep_their_type(tmp_path):
    empty = gpd.GeoDataFrame({"turbine": pd.Series([], dtype=str)}, geometry=[], crs=4547)
    pts = gpd.GeoDataFrame({"id": [1]}, geometry=[shapely.Point(500000, 3375000)], crs=4547)
    write_gpkg(tmp_path / "a.gpkg", {"turbines": pts, "wind_violations": empty, "unknown_empty": empty})
    # GeoPackage 1.2 writes user_version 10200 (OGC 12-128r15, §1.1.1.1.2)
    assert _gpkg_version(tmp_path / "a.gpkg") == 10200
    with sqlite3.connect(tmp_path / "a.gpkg") as con:
        types = dict(con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
    assert types["wind_violations"] == "MULTILINESTRING"  # a line layer, also when nothing violates
    assert types["unknown_empty"] == "GEOMETRY"


def test_demo_park_gpkg_is_styled_and_has_the_classified_field(tmp_path):
    from app.cli import main

    assert main(["demo", "--out", str(tmp_path)]) == 0
    path = tmp_path / "park.gpkg"
    assert _gpkg_version(path) == 10200
    with sqlite3.connect(path) as con:
        styled = {r[0] for r in con.execute("SELECT f_table_name FROM layer_styles WHERE useAsDefault")}
        pv_fields = [r[1] for r in con.execute("PRAGMA table_info(rooftop_pv)")]
        qml = con.execute("SELECT styleQML FROM layer_styles WHERE f_table_name = 'rooftop_pv'").fetchone()[0]
    assert {"rooftop_pv", "buildings", "township_intensity", "pv_array_tables"} <= styled
    assert "kwh_per_m2" in pv_fields and 'attr="kwh_per_m2"' in qml
    pv = gpd.read_file(path, layer="rooftop_pv")
    with_roof = pv[pv["roof_m2"] > 0]
    assert (abs(with_roof["kwh_per_m2"] - with_roof["kwh_yr"] / with_roof["roof_m2"]) < 0.01).all()


def test_csv_text_is_never_a_formula(tmp_path):
    frame = pd.DataFrame({"name": ["=1+1", "@SUM(A1:A2)", "+cmd|' /C calc'!A0", "-5", "普通", None],
                          "=HYPERLINK(\"x\")": [1, 2, 3, 4, 5, 6], "value": [-1.5, 2, 3, 4, 5, 6]})
    path = write_csv(frame, tmp_path / "t.csv", lonlat=False)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][1] == "'=HYPERLINK(\"x\")"
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'@SUM(A1:A2)", "'+cmd|' /C calc'!A0", "-5", "普通", ""]
    assert [r[2] for r in rows[1:3]] == ["-1.5", "2.0"]  # numbers stay numbers


def test_shapefile_values_fall_in_the_classes_lingtan_drew(tmp_path):
    """QGIS classifies the Shapefile's rounded kwh_per_m2 with the .qml ranges (first range with
    lower ≤ v ≤ upper): every building must get the class Lingtan's map gave it."""
    import xml.etree.ElementTree as ET

    import numpy as np

    from app.exports.export_all import export_all, result_layers
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    results = run_park_analyses(load_sample_park())
    export_all(results, tmp_path, ("shp",))
    pv = next(lyr for lyr in result_layers(results) if lyr.name == "rooftop_pv")
    lingtan = pv.style.class_codes(pv.gdf["kwh_per_m2"].to_numpy())
    dbf = gpd.read_file(tmp_path / "shapefile" / "rooftop_pv.shp")
    qml = ET.parse(tmp_path / "shapefile" / "rooftop_pv.qml").getroot()
    ranges = [(float(r.get("lower")), float(r.get("upper"))) for r in qml.findall("renderer-v2/ranges/range")]
    field = next(c for c in dbf.columns if c.startswith("kwh_per"))

    def qgis_class(v):
        if v is None or np.isnan(v):
            return -1
        return next((i for i, (lo, hi) in enumerate(ranges) if lo <= v <= hi), -1)

    qgis = np.array([qgis_class(v) for v in dbf[field].to_numpy(float)])
    assert len(qgis) == len(lingtan) and (qgis == lingtan).all(), np.flatnonzero(qgis != lingtan)
