"""Exports as QGIS (3.22 from Debian, the common version in Chinese GIS departments) draws them:
the GeoPackage's default styles and the Shapefile's .qml and .sld give every township the colour
of its class in the published five-colour palette. Skipped where QGIS is not installed
(``apt-get install python3-qgis``; .ci/run installs it)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).parent / "qgis" / "check_exports.py"
# the published five colours (docs/intensity.md; State Grid Zhejiang township map), no data grey
PALETTE = {1: "#00a651", 2: "#2171b5", 3: "#ffe066", 4: "#f58220", 5: "#d7191c", 0: "#bdbdbd"}


def _qgis_available() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    r = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=60)
    return r.returncode == 0


pytestmark = pytest.mark.skipif(not _qgis_available(), reason="QGIS (python3-qgis) is not installed")


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    from app.exports.export_all import export_all
    from app.results import run_park_analyses
    from gis.park import load_sample_park

    out = tmp_path_factory.mktemp("qgis")
    results = run_park_analyses(load_sample_park())
    export_all(results, out, ("gpkg", "shp"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PATH"] = "/usr/bin:/bin"
    r = subprocess.run([SYSTEM_PYTHON, str(SCRIPT), str(out)], capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    line = [x for x in r.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line), results


def test_geopackage_layers_open_styled_in_qgis(drawn):
    d, _ = drawn
    assert d["gpkg:township_intensity:valid"] and d["gpkg:rooftop_pv:valid"]
    assert d["gpkg:township_intensity:renderer"] in ("categorizedSymbol", "graduatedSymbol")
    assert d["gpkg:rooftop_pv:renderer"] == "graduatedSymbol"  # not QGIS's default single symbol
    for cls, colours in d["gpkg:township_intensity"].items():
        assert colours == [PALETTE[int(float(cls))]], (cls, colours)


@pytest.mark.parametrize("style", ["qml", "sld"])
def test_shapefile_styles_paint_each_class_its_colour(drawn, style):
    d, results = drawn
    assert d[f"shp:township_intensity:{style}:loaded"]
    seen = d[f"shp:township_intensity:{style}"]
    classes = set(results.intensity.layer["class"].astype(int))
    assert {int(float(k)) for k in seen} == classes
    for cls, colours in seen.items():
        assert colours == [PALETTE[int(float(cls))]], (style, cls, colours)  # not all "no data" grey


@pytest.mark.parametrize("style", ["gpkg", "qml", "sld"])
def test_rooftop_pv_buildings_get_lingtans_class_colours_in_qgis(drawn, style):
    from app.exports.export_all import result_layers

    d, results = drawn
    pv = next(lyr for lyr in result_layers(results) if lyr.name == "rooftop_pv")
    codes = pv.style.class_codes(pv.gdf["kwh_per_m2"].to_numpy())
    colours = [c.colour.lower() for c in pv.style.classes]
    expected = {str(b): [colours[k]] for b, k in zip(pv.gdf["bldg_id"], codes, strict=True) if k >= 0}
    seen = d["gpkg:rooftop_pv"] if style == "gpkg" else d[f"shp:rooftop_pv:{style}"]
    wrong = {b: (seen.get(b), c) for b, c in expected.items() if seen.get(b) != c}
    assert not wrong, list(wrong.items())[:5]
