"""`lingtan sinks` end to end: vector and raster modes, outputs, messages and exit codes."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely
from affine import Affine

from app.cli import build_parser, main
from gis.paths import sample_dir
from tests.conftest import shared

CANOPY_T_PER_M2 = 0.28 * 44 / 12 / 1000


def test_sinks_on_the_sample_park_writes_layers_and_summary(tmp_path, capsys):
    gpkg = sample_dir() / "park.gpkg"
    out = tmp_path / "sinks.gpkg"
    rc = main(["sinks", str(gpkg), "--layer", "green", "--trees", str(gpkg), "--trees-layer", "tree_rows",
               "--out", str(out), "--json"])
    assert rc == 0
    printed = json.loads(capsys.readouterr().out)
    saved = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert printed == saved
    assert {n for n, _ in pyogrio.list_layers(out)} == {"green_sinks", "tree_sinks"}
    polys = pyogrio.read_dataframe(out, layer="green_sinks")
    rows = pyogrio.read_dataframe(out, layer="tree_sinks")
    assert polys.crs.to_epsg() == 4549  # the local CGCS2000 3° zone, chosen from lon/lat input
    # independent reference: the input projected here, areas × factors typed in the test
    green = pyogrio.read_dataframe(gpkg, layer="green").to_crs(4549)
    factor = {"林地": 3.9, "灌木": 2.1, "草地": 0.2, "湿地": 0.6, "水体": 0.0}
    hand = float((green.area / 1e4 * green["cover"].map(factor)).sum())
    trees = pyogrio.read_dataframe(gpkg, layer="tree_rows")
    canopy_m2 = float((trees["tree_count"] * math.pi * (trees["canopy_width_m"] / 2) ** 2).sum())
    hand += canopy_m2 * CANOPY_T_PER_M2
    assert saved["total_t_co2_yr"] == pytest.approx(hand, rel=1e-4)
    assert polys["t_co2_yr"].sum() + rows["t_co2_yr"].sum() == pytest.approx(hand, rel=1e-4)
    assert len(polys) == len(green) and len(rows) == len(trees)
    assert {"area_m2", "area_ha", "sink_class", "t_co2_per_ha_yr", "t_co2_yr", "factor_source"} <= set(polys)
    assert {"canopy_m2", "counted_canopy_m2", "t_co2_yr"} <= set(rows)
    classes = {r["class"]: r for r in saved["by_class"]}
    assert set(classes) == {"forest", "shrub", "grassland", "wetland", "water", "tree_canopy"}
    assert all(r["source"] for r in saved["by_class"])
    assert saved["land_area_m2"] == pytest.approx(green.area.sum(), rel=1e-6)


def test_sinks_text_summary(tmp_path, capsys):
    gpkg = sample_dir() / "park.gpkg"
    assert main(["sinks", str(gpkg), "--layer", "green", "--out", str(tmp_path / "s.gpkg")]) == 0
    text = capsys.readouterr().out
    assert "林地 forest land" in text and "合计 Total" in text and "tCO2/yr" in text


def test_unknown_type_exits_2_naming_it(tmp_path, capsys):
    path = tmp_path / "green.geojson"
    gpd.GeoDataFrame({"type": ["草地", "果园"]},
                     geometry=[shapely.box(0, 0, 100, 100), shapely.box(200, 0, 300, 100)],
                     crs=4549).to_file(path)
    out = tmp_path / "s.gpkg"
    assert main(["sinks", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("果园") >= 2 and "Unrecognised" in err and "无法识别" in err
    assert not out.exists()
    assert main(["sinks", str(path), "--out", str(out), "--skip-unknown", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["total_t_co2_yr"] == pytest.approx(0.2)
    assert s["excluded"][0]["value"] == "果园" and s["excluded"][0]["area_m2"] == pytest.approx(10_000)


def test_user_factors_and_type_field(tmp_path, capsys):
    path = tmp_path / "green.geojson"
    gpd.GeoDataFrame({"kind": ["Forest"], "cover": ["x"]}, geometry=[shapely.box(0, 0, 100, 100)],
                     crs=4549).to_file(path)
    factors = tmp_path / "f.csv"
    factors.write_text("class,t_co2_per_ha_yr,source\nforest,5.1,local survey\n", encoding="utf-8")
    assert main(["sinks", str(path), "--type-field", "kind", "--factors", str(factors),
                 "--out", str(tmp_path / "s.gpkg"), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["total_t_co2_yr"] == pytest.approx(5.1)
    assert s["by_class"][0]["source"] == "local survey" and str(factors) in s["factors"]


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main(["sinks"]) == 2
    assert "GREEN_LAYER" in capsys.readouterr().err
    gpkg = sample_dir() / "park.gpkg"
    assert main(["sinks", str(gpkg), "--layer", "green"]) == 2  # no --out
    assert main(["sinks", "--raster", "x.tif", "--classes", "umep"]) == 2  # no --boundary
    assert "--boundary" in capsys.readouterr().err


def write_hand_raster(tmp_path):
    """10 × 10 px of 2 m (EPSG:32650): left half ESA tree cover (10), right half grassland (30)."""
    codes = np.full((10, 10), 10, dtype=np.uint8)
    codes[:, 5:] = 30
    tif = tmp_path / "lc.tif"
    with rasterio.open(tif, "w", driver="GTiff", width=10, height=10, count=1, dtype="uint8", nodata=0,
                       crs="EPSG:32650", transform=Affine(2.0, 0, 1000.0, 0, -2.0, 2000.0)) as dst:
        dst.write(codes, 1)
    b = tmp_path / "boundary.gpkg"
    gpd.GeoDataFrame({"name": ["园区"]}, geometry=[shapely.box(1001, 1981, 1019, 1999)],
                     crs=32650).to_crs(4490).to_file(b, layer="boundary")
    return tif, b


def test_raster_mode_writes_class_table(tmp_path, capsys):
    tif, b = write_hand_raster(tmp_path)
    out = tmp_path / "by_class.csv"
    assert main(["sinks", "--raster", str(tif), "--boundary", str(b), "--classes", "esa-worldcover",
                 "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    # the boundary went through CGCS2000 lon/lat and back: areas within 1e-6 of the hand values
    by = {r["class"]: r for r in s["by_class"]}
    assert by["forest"]["area_m2"] == pytest.approx(162, rel=1e-5)
    assert by["grassland"]["area_m2"] == pytest.approx(162, rel=1e-5)
    assert s["total_t_co2_yr"] == pytest.approx(0.0162 * 3.9 + 0.0162 * 0.2, abs=1e-4)  # 4 decimals
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table["class"]) == ["forest", "grassland"]
    assert table["t_co2_yr"].sum() == pytest.approx(s["total_t_co2_yr"], abs=1e-3)
    assert {c["code"] for c in s["by_code"]} == {10, 30}


def test_raster_mode_goteborg(tmp_path, capsys):
    tif = shared("rasters", "goteborg", "landcover.tif")
    b = tmp_path / "b.gpkg"
    poly = shapely.Point(147830, 6398660).buffer(80)
    gpd.GeoDataFrame(geometry=[poly], crs=3007).to_file(b)
    assert main(["sinks", "--raster", str(tif), "--boundary", str(b), "--classes", "umep", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["land_area_m2"] == pytest.approx(poly.area, rel=1e-3)
    assert s["boundary_area_m2"] == pytest.approx(poly.area, abs=0.1)  # rounded to 0.1 m²
    assert {r["class"] for r in s["by_class"]} <= {"construction", "grassland", "water", "tree_canopy",
                                                     "bare"}


def test_help_documents_every_option():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["sinks"]
    text = sub.format_help()
    for opt in ("--layer", "--crs", "--type-field", "--trees", "--trees-layer", "--factors", "--skip-unknown",
                "--out", "--raster", "--boundary", "--boundary-layer", "--classes", "--json"):
        assert opt in text
    assert "tCO2/ha/yr" in text and "esa-worldcover" in text and "canopy_width_m" in text
    for action in sub._actions:
        assert action.help, action.dest


# ---- the generated commands: `lingtan run sinks|landcover_sinks` and the alias `lingtan sinks` -------------

def test_run_sinks_and_the_alias_agree(tmp_path, capsys):
    gpkg = sample_dir() / "park.gpkg"
    args = [f"{gpkg}|layername=green", "--trees", str(gpkg), "--trees-layer", "tree_rows", "--json"]
    assert main(["run", "sinks", *args, "--out", str(tmp_path / "a.gpkg")]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(["sinks", *args, "--out", str(tmp_path / "b.gpkg")]) == 0
    b = json.loads(capsys.readouterr().out)
    assert a.pop("outputs")["layers"] == b.pop("outputs")["layers"] == ["green_sinks", "tree_sinks"]
    assert a == b and a["total_t_co2_yr"] > 0 and a["input"] == str(gpkg)
    for layer in ("green_sinks", "tree_sinks"):
        pd.testing.assert_frame_equal(pyogrio.read_dataframe(tmp_path / "a.gpkg", layer=layer),
                                      pyogrio.read_dataframe(tmp_path / "b.gpkg", layer=layer))


def test_run_landcover_sinks_and_the_alias_agree(tmp_path, capsys):
    tif, b = write_hand_raster(tmp_path)
    args = ["--raster", str(tif), "--boundary", str(b), "--classes", "worldcover", "--json"]
    assert main(["run", "landcover_sinks", *args, "--out", str(tmp_path / "a.json")]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(["sinks", *args, "--out", str(tmp_path / "b.json")]) == 0
    s = json.loads(capsys.readouterr().out)
    assert a.pop("outputs") == {"file": str(tmp_path / "a.json")}
    assert s.pop("outputs") == {"file": str(tmp_path / "b.json")}
    assert a == s == json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert a["classes"] == "esa-worldcover"  # the alias' name for the built-in table
    assert a["total_t_co2_yr"] == pytest.approx(0.0162 * 3.9 + 0.0162 * 0.2, abs=1e-4)
    # from Python: the raster by its path, the boundary as a frame
    from app.processing.registry import algorithm

    out = algorithm("landcover_sinks")({"raster": tif, "boundary": gpd.read_file(b)},
                                       classes="esa-worldcover")
    assert out.summary["by_class"] == a["by_class"]


@pytest.mark.parametrize("bad", [["--classes", "mars"], ["--classes", "{{7*7}}"], ["--classes", ""]])
def test_bad_class_table_exits_2_in_both_languages(tmp_path, capsys, bad):
    tif, b = write_hand_raster(tmp_path)
    out = tmp_path / "o.csv"
    assert main(["sinks", "--raster", str(tif), "--boundary", str(b), *bad, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--classes" in err and "参数" in err and "Parameter" in err and "umep | esa-worldcover" in err
    assert not out.exists()


def test_mixed_modes_and_wrong_outputs_exit_2(tmp_path, capsys):
    tif, b = write_hand_raster(tmp_path)
    gpkg = sample_dir() / "park.gpkg"
    assert main(["sinks", str(gpkg), "--raster", str(tif), "--boundary", str(b), "--classes", "umep"]) == 2
    err = capsys.readouterr().err
    assert "GREEN_LAYER" in err and "--raster" in err and "请只选一种方式" in err
    assert main(["sinks", str(gpkg), "--layer", "green", "--boundary", str(b), "--out",
                 str(tmp_path / "s.gpkg")]) == 2
    err = capsys.readouterr().err
    assert "--boundary" in err and "--raster" in err and "只与" in err
    assert main(["sinks", "--raster", str(tif), "--boundary", str(b), "--classes", "umep", "--out",
                 str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert ".csv" in err and ".json" in err and "--out 应为" in err
    assert main(["sinks", str(gpkg), "--layer", "green", "--out", str(tmp_path / "s.csv")]) == 2
    assert ".gpkg" in capsys.readouterr().err
    assert not list(tmp_path.glob("o.*")) and not list(tmp_path.glob("s.*"))
