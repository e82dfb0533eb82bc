"""``lingtan wind`` end to end, and the demo turbines of the sample park."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely

import app.cli as cli
from gis.wind.farm import demo_turbines, wind_for_demo


@pytest.fixture
def wind_cli():
    return cli.main


def _layout(tmp_path):
    crs = "EPSG:4549"
    pts = gpd.GeoDataFrame({"编号": ["A", "B", "C"], "轮毂高度": [60.0, 60.0, 60.0]},
                           geometry=shapely.points([500000, 500300, 500060], [3300000, 3300000, 3300000]),
                           crs=crs)
    pts.to_file(tmp_path / "turbines.gpkg")
    bld = gpd.GeoDataFrame({"bldg_id": ["D1"], "use": ["宿舍"]},
                           geometry=[shapely.box(500150, 3300200, 500190, 3300240)], crs=crs)
    bld.to_file(tmp_path / "buildings.gpkg")
    return tmp_path / "turbines.gpkg", tmp_path / "buildings.gpkg"


def test_cli_writes_layers_and_totals(tmp_path, wind_cli, capsys):
    turbines, buildings = _layout(tmp_path)
    out = tmp_path / "out.gpkg"
    code = wind_cli(["wind", str(turbines), "--turbine", "vestas_v52_850kw", "--hub-height", "60",
                     "--weibull", "6,2", "--density", "1.225", "--buildings", str(buildings),
                     "--out", str(out), "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    layers = dict(pyogrio.list_layers(out))
    assert {"turbines", "wind_violations", "wind_receptors"} <= set(layers)
    t = gpd.read_file(out, layer="turbines")
    for col in ("aep_mwh", "gross_aep_mwh", "wake_loss_pct", "cf", "violations", "编号"):
        assert col in t.columns
    assert list(t["turbine_id"]) == ["A", "B", "C"]
    assert (t["aep_mwh"] <= t["gross_aep_mwh"] + 1e-9).all()
    # a lone V52 at A 6 / k 2 (hub-height Weibull) makes ≈ 1,281 MWh gross: three of them
    assert summary["gross_aep_mwh"] == pytest.approx(3 * 1281.4, rel=0.002)
    assert summary["violations"] > 0 and "spacing" in summary["violations_by_kind"]   # A–C 60 m apart
    v = gpd.read_file(out, layer="wind_violations")
    assert set(v["turbine"]) >= {"A", "C"}
    j = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert j["aep_mwh"] == summary["aep_mwh"]


def test_cli_bad_input_exit_2(tmp_path, wind_cli, capsys):
    turbines, _ = _layout(tmp_path)
    out = tmp_path / "o.gpkg"
    assert wind_cli(["wind", str(turbines), "--turbine", "vestas_v52_850kw", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--weibull" in err and "风资源" in err
    assert wind_cli(["wind", str(turbines), "--turbine", "no-such-turbine", "--weibull", "6,2",
                     "--out", str(out)]) == 2
    assert wind_cli(["wind", str(turbines), "--turbine", "vestas_v52_850kw", "--weibull", "6",
                     "--out", str(out)]) == 2
    assert not out.exists()


def test_cli_lists_turbines(wind_cli, capsys):
    assert wind_cli(["wind", "--list-turbines", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert "vestas_v52_850kw" in d["bundled"]


def test_demo_turbines_in_the_sample_park():
    from gis.park import load_sample_park

    park = load_sample_park()
    pts = demo_turbines(park)
    assert 2 <= len(pts) <= 3
    inside = park.boundary.geometry.union_all()
    assert all(inside.contains(p) for p in pts.geometry)
    layer, summary = wind_for_demo(park)
    assert len(layer) == len(pts)
    assert summary["violations"] == 0                          # sensible positions: nothing violated
    assert np.all(layer["aep_mwh"] > 0) and np.all(layer["cf"] < 0.5)
    assert summary["receptors"] > 0                            # the dormitories are checked for noise
    json.dumps(summary, ensure_ascii=False)                    # JSON-ready for the demo's summary
