"""`lingtan pv` end to end: outputs, options, messages, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pyogrio
import pytest

from app.cli import main
from gis.paths import sample_dir
from tests.conftest import REPO, shared

PARK = sample_dir() / "park.gpkg"


def test_pv_on_the_sample_buildings(tmp_path, capsys):
    out = tmp_path / "pv.gpkg"
    code = main(["pv", str(PARK), "--layer", "buildings", "--out", str(out), "--json"])
    assert code == 0
    s = json.loads(capsys.readouterr().out)
    layer = pyogrio.read_dataframe(out, layer="rooftop_pv")
    for col in ("roof_m2", "usable_m2", "modules", "kwp", "kwh_yr", "kwh_per_kwp", "shade_loss_pct",
                "t_co2_yr", "kwh_m01", "kwh_m12", "bldg_id"):
        assert col in layer.columns
    assert layer["kwh_yr"].sum() == pytest.approx(s["kwh_yr"], rel=1e-6)
    months = layer[[f"kwh_m{m:02d}" for m in range(1, 13)]].sum(axis=1)
    np.testing.assert_allclose(months, layer["kwh_yr"], rtol=1e-6)
    assert (layer["usable_m2"] <= layer["roof_m2"] + 1e-6).all()
    assert layer["kwp"].sum() == pytest.approx(layer["modules"].sum() * 0.575, rel=1e-9)
    assert s["weather_kind"] == "climatology"
    ic = layer[layer["nea_class"] == "industrial_commercial"]
    nea = s["nea_2021_check"]["industrial_commercial"]
    assert nea["min_share"] == 0.30 and nea["buildings"] == len(ic)
    assert nea["meeting"] == int((ic["usable_m2"] >= 0.30 * ic["roof_m2"]).sum())
    assert json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["kwh_yr"] == s["kwh_yr"]


def test_pv_forced_orientation_no_shading_human_output(tmp_path, capsys):
    out = tmp_path / "pv.gpkg"
    code = main(["pv", str(PARK), "--layer", "buildings", "--out", str(out), "--tilt", "25",
                 "--azimuth", "180", "--no-shading", "--losses", "10", "--grid-factor", "east-2023"])
    assert code == 0
    text = capsys.readouterr().out
    assert "MWp" in text and "kWh/kWp" in text and "华东区域电网" in text
    layer = pyogrio.read_dataframe(out, layer="rooftop_pv")
    assert layer["shade_loss_pct"].isna().all()  # not computed: empty, not 0


def test_pv_with_a_weather_file(tmp_path, capsys):
    epw = shared("weather", "CHN_Zhejiang.Wenzhou.586590_CSWD.epw")
    out = tmp_path / "pv.gpkg"
    assert main(["pv", str(PARK), "--layer", "buildings", "--out", str(out), "--weather", str(epw),
                 "--no-shading", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert "586590" in s["weather_source"] or "Wenzhou" in s["weather_source"]
    assert s["weather_kind"] == "file"


def test_pv_bad_options_exit_2_bilingual(tmp_path, capsys):
    args = ["pv", str(PARK), "--layer", "buildings", "--out", str(tmp_path / "o.gpkg")]
    assert main([*args, "--grid-factor", "mars-2023"]) == 2
    err = capsys.readouterr().err
    assert "电网排放因子" in err and "Grid emission factor" in err and "mars-2023" in err
    assert "national-2023" in err  # the message lists the keys there are
    assert main([*args, "--gcr", "3"]) == 2
    assert main([*args, "--module-size", "big"]) == 2
    assert not (tmp_path / "o.gpkg").exists()


def test_pv_ctrl_c_leaves_no_output(tmp_path, monkeypatch, capsys):
    import gis.solar.rooftop as rooftop

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(rooftop, "roof_layout", interrupted)
    out = tmp_path / "pv.gpkg"
    assert main(["pv", str(PARK), "--layer", "buildings", "--out", str(out)]) == 130
    assert not out.exists() and not list(tmp_path.iterdir())


def test_pv_help_documents_every_option():
    r = subprocess.run([sys.executable, "-m", "app", "pv", "--help"], cwd=REPO, capture_output=True,
                       text=True)
    assert r.returncode == 0
    for opt in ("--out", "--weather", "--tilt", "--azimuth", "--no-shading", "--losses", "--grid-factor",
                "--network", "--setback", "--gcr", "national-2023", "Default: 14 %"):
        assert opt in r.stdout


def test_pv_reprojects_web_mercator_input(tmp_path, capsys):
    import geopandas as gpd

    merc = tmp_path / "merc.gpkg"
    gpd.read_file(PARK, layer="buildings").to_crs(3857).to_file(merc, layer="buildings")
    assert main(["pv", str(merc), "--out", str(tmp_path / "a.gpkg"), "--no-shading", "--json"]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(["pv", str(PARK), "--layer", "buildings", "--out", str(tmp_path / "b.gpkg"),
                 "--no-shading", "--json"]) == 0
    b = json.loads(capsys.readouterr().out)
    assert a["kwp"] == pytest.approx(b["kwp"], rel=0.002)  # not +37% (Web Mercator areas at 30°N)


def test_short_beam_of_cswd_files_is_restored_unless_kept(tmp_path, capsys):
    """Tianjin CSWD: DNI·cosZ + DHI is ~7% short of GHI; the beam is rescaled by default."""
    epw = shared("weather", "CHN_Tianjin.Tianjin.545270_CSWD.epw")
    bld = shared("buildings", "tsinghua_campus_osm_buildings.geojson")
    base = ["pv", str(bld), "--weather", str(epw), "--no-shading", "--json"]
    assert main([*base, "--out", str(tmp_path / "a.gpkg")]) == 0
    fixed = json.loads(capsys.readouterr().out)
    assert main([*base, "--out", str(tmp_path / "b.gpkg"), "--keep-components"]) == 0
    kept = json.loads(capsys.readouterr().out)
    assert "DNI rescaled" in fixed["weather_source"] and "DNI rescaled" not in kept["weather_source"]
    assert fixed["kwh_per_kwp"] > kept["kwh_per_kwp"] * 1.04
