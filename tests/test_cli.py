"""`lingtan demo` and `lingtan info` end to end: outputs, JSON, exit codes, messages."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pyogrio
import pytest
import shapely

from app.cli import main
from gis.paths import sample_dir
from tests.conftest import REPO


def test_demo_writes_summary_and_gpkg(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["demo", "--out", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert printed["park"] == summary["park"]
    # independent reference: the committed boundary, projected here with pyproj via GeoPandas
    b = pyogrio.read_dataframe(sample_dir() / "park.gpkg", layer="boundary").to_crs(4549)
    assert summary["park"]["area_m2"] == pytest.approx(b.area.sum(), rel=1e-6)
    assert summary["park"]["area_mu"] == pytest.approx(b.area.sum() / 666.667, rel=1e-4)
    assert summary["park"]["work_crs"].startswith("EPSG:4549")
    bl = pyogrio.read_dataframe(sample_dir() / "park.gpkg", layer="buildings").to_crs(4549)
    assert summary["buildings"]["count"] == len(bl)
    assert summary["buildings"]["footprint_m2"] == pytest.approx(bl.area.sum(), rel=1e-6)
    assert summary["buildings"]["height_m"]["known"] == len(bl)  # floors fill the gaps
    green = pyogrio.read_dataframe(sample_dir() / "park.gpkg", layer="green").to_crs(4549)
    by = green.assign(a=green.area).groupby("cover")["a"].sum()
    for k, v in by.items():
        assert summary["green"]["area_m2_by_type"][k] == pytest.approx(v, rel=1e-6)
    assert summary["townships"]["count"] == 26
    years = sorted(set(pd.read_csv(sample_dir() / "enterprises_energy.csv", encoding="utf-8-sig")["年份"]))
    assert summary["enterprises"]["years"] == years and years[0] <= 2015 and years[-1] == 2024
    layers = {n for n, _ in pyogrio.list_layers(out / "park.gpkg")} - {"layer_styles"}  # QGIS's style table
    assert layers == {"boundary", "buildings", "green", "tree_rows", "townships", "rooftop_pv",
                      "green_sinks", "tree_sinks", "township_intensity", "pv_array_area",
                      "pv_array_exclusions", "pv_array_tables", "turbines", "wind_violations",
                      "wind_receptors"}
    for name in ("township_intensity.png", "township_intensity.qml", "township_intensity.sld",
                 "report.pdf"):
        assert (out / name).stat().st_size > 0
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    # the demo's siting: array capacity is modules × 575 W; every turbine yields something
    tables = pyogrio.read_dataframe(out / "park.gpkg", layer="pv_array_tables")
    assert summary["pv_array"]["kwp"] == pytest.approx(tables["modules"].sum() * 0.575, rel=1e-3)
    turbines = pyogrio.read_dataframe(out / "park.gpkg", layer="turbines")
    assert len(turbines) == summary["wind"]["turbines"] >= 2
    assert (turbines["aep_mwh"] > 0).all()
    assert summary["wind"]["aep_mwh"] == pytest.approx(turbines["aep_mwh"].sum(), rel=1e-3)
    pv = summary["pv"]
    assert pv["buildings"] == len(bl) and pv["kwp"] > 0
    assert "CSWD" in pv["weather_source"]  # the built-in climatology, named
    roofs = pyogrio.read_dataframe(out / "park.gpkg", layer="rooftop_pv")
    assert roofs["kwh_yr"].sum() == pytest.approx(pv["kwh_yr"], rel=1e-6)
    # 800–1,300 kWh/kWp is the plausible range for Hangzhou (DOMAIN §5: Haiyan ≈ 1,000 h)
    assert 800 < pv["kwh_per_kwp"] < 1300
    written = pyogrio.read_dataframe(out / "park.gpkg", layer="buildings")
    assert written.crs.to_epsg() == 4549
    assert {"footprint_m2", "roof_m2", "height_m", "height_source"} <= set(written.columns)
    assert shapely.is_valid(written.geometry.to_numpy()).all()
    assert not list(out.glob(".*"))  # no temporary files left


def test_demo_human_summary(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "园区 Park" in text and "Buildings" in text and "km²" in text


def test_info_json_on_a_sample_layer(capsys):
    code = main(["info", str(sample_dir() / "park.gpkg"), "--layer", "buildings", "--json"])
    d = json.loads(capsys.readouterr().out)
    assert code == 0
    assert d["format"] == "GeoPackage" and d["layer"] == "buildings"
    assert d["crs"].startswith("EPSG:4490") and d["geometry_types"] == {"Polygon": d[
        "feature_count"]}
    assert "height_m" in d["fields"]


def test_info_lists_layers_when_a_choice_is_needed(capsys):
    code = main(["info", str(sample_dir() / "park.gpkg")])
    text = capsys.readouterr().out
    assert code == 2 and "buildings" in text and "--layer" in text


def test_bad_input_exit_2_bilingual_no_traceback(tmp_path, capsys):
    p = tmp_path / "broken.geojson"
    p.write_text("{not json", encoding="utf-8")
    code = main(["info", str(p)])
    out = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out.out + out.err
    code = main(["info", str(tmp_path / "missing.shp")])
    out = capsys.readouterr()
    assert code == 2 and "File not found" in out.out and "文件不存在" in out.out


def test_bad_crs_option_exit_2(capsys):
    code = main(["info", str(sample_dir() / "park.gpkg"), "--layer", "boundary",
                 "--crs", "EPSG:12345678"])
    assert code == 2
    assert "CRS" in capsys.readouterr().err


def test_bug_exit_1_with_log(monkeypatch, tmp_path, capsys):
    import app.demo

    def boom(*a, **k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(app.demo, "run_demo", boom)
    assert main(["demo", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Internal error" in err and "lingtan-crash-" in err and "Traceback" not in err


def test_help_documents_options():
    r = subprocess.run([sys.executable, "-m", "app", "info", "--help"], cwd=REPO,
                       capture_output=True, text=True)
    assert r.returncode == 0
    assert "--crs" in r.stdout and "gcj02" in r.stdout and "--encoding" in r.stdout
    r = subprocess.run([sys.executable, "-m", "app", "demo", "--help"], cwd=REPO,
                       capture_output=True, text=True)
    assert "default: demo_out" in r.stdout


def test_ctrl_c_exits_130_without_partial_files(tmp_path, monkeypatch, capsys):
    import app.demo

    def interrupted(out_dir, progress):
        raise KeyboardInterrupt

    monkeypatch.setattr(app.demo, "run_demo", interrupted)
    assert main(["demo", "--out", str(tmp_path / "o")]) == 130
    assert "Cancelled" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_unwritable_output_folder_is_bad_input(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["demo", "--out", str(blocker / "out")]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "输出文件夹" in err and "Internal error" not in err
