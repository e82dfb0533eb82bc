"""``lingtan --self-test`` (app/self_test.py) and the frozen app's GDAL/PROJ environment (gis/geo_env.py).

The full self-test runs once in-process (module fixture, reusing the suite's QApplication) and once in
a fresh interpreter the way ``lingtan --self-test`` runs it (no QApplication yet, no QT_QPA_PLATFORM).
References are independent of the code under test: the sample GeoPackage read with pyogrio, the
Krüger series written out here, PDF bytes counted here.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import self_test, self_test_checks
from gis import geo_env

REPO = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^\[(ok|FAIL|skip)\]\s+(\d+)/(\d+) (.+?): (.*)$")


def _step_lines(text: str) -> list[tuple[str, int, int, str, str]]:
    out = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m:
            out.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)))
    return out


def _folder(text: str) -> Path:
    """The temp folder named on the first line."""
    m = re.search(r"files in (.+)$", text.splitlines()[0])
    assert m, text
    return Path(m.group(1).strip())


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("self_test")
    buf = io.StringIO()
    code = self_test.run_self_test(out_dir=out, stream=buf)
    return code, buf.getvalue(), out


# ---- the full run ---------------------------------------------------------------------------------

def test_full_self_test_passes_with_one_line_per_step(full_run):
    code, text, out = full_run
    assert code == 0, text
    steps = _step_lines(text)
    n = len(self_test.STEPS)
    assert n >= 14
    assert [s[0] for s in steps] == ["ok"] * n, text
    assert [s[1] for s in steps] == list(range(1, n + 1)) and {s[2] for s in steps} == {n}
    for (_state, _i, _n, label, detail), step in zip(steps, self_test.STEPS, strict=True):
        assert label == f"{step.zh} {step.en}"  # bilingual
        assert re.search(r"\(\d+\.\d s\)$", detail), detail  # timed
    last = text.strip().splitlines()[-1]
    assert re.match(rf"自检通过 Self-test passed: {n}/{n} steps in \d+\.\d s; .*exit code 0$", last), last
    assert str(out) in last  # a folder given by the caller is kept
    assert "[FAIL]" not in text and "[skip]" not in text


def test_full_run_reports_the_sample_park_as_read_independently(full_run):
    import pyogrio

    from gis.paths import sample_dir

    _code, text, _out = full_run
    park = next(d for _s, _i, _n, label, d in _step_lines(text) if label.endswith("Open the sample park"))
    n_buildings = pyogrio.read_info(sample_dir() / "park.gpkg", layer="buildings")["features"]
    n_towns = pyogrio.read_info(sample_dir() / "park.gpkg", layer="townships")["features"]
    assert f"{n_buildings} buildings" in park and f"{n_towns} townships" in park
    # one GDAL/PROJ line per library under the step line
    libs = [ln.split()[0] for ln in text.splitlines() if ln.startswith("       ")]
    assert libs[:3] == ["pyproj", "rasterio", "pyogrio"]


def test_full_run_wrote_a_pdf_and_a_shapefile(full_run):
    _code, _text, out = full_run
    pdf = (out / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 50_000
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) >= 10
    shp = out / "shapefile" / "rooftop_pv"
    for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        assert shp.with_suffix(ext).is_file(), ext
    assert shp.with_suffix(".cpg").read_text().strip() == "UTF-8"


# ---- failures, skips and the temp folder ------------------------------------------------------------

def test_failed_steps_exit_1_skip_dependants_and_keep_the_folder(monkeypatch, tmp_path):
    empty = tmp_path / "no_resources"
    empty.mkdir()
    monkeypatch.setenv("LINGTAN_RESOURCES", str(empty))
    broken = geo_env.GeoLibraryData("pyproj", "0.0", "9.5.1", "/nowhere", "", False, "proj.db missing")
    monkeypatch.setattr(geo_env, "geo_data_report", lambda: [broken])
    buf = io.StringIO()
    code = self_test.run_self_test(stream=buf)
    text = buf.getvalue()
    folder = _folder(text)
    try:
        assert code == 1
        states = {label: state for state, _i, _n, label, _d in _step_lines(text)}
        assert states["GDAL/PROJ 数据 GDAL/PROJ data"] == "FAIL"
        assert states["内置资源 Bundled resources"] == "FAIL"
        assert states["打开示例园区 Open the sample park"] == "FAIL"
        assert states["运行全部分析 Run the analyses"] == "skip"
        assert states["PDF 报告 PDF report"] == "skip" and states["主窗口 Main window"] == "skip"
        assert states["pvlib 数据 pvlib data"] == "ok"  # independent steps still run
        assert "pyproj 0.0 (PROJ 9.5.1): proj.db ? in /nowhere; FAILED proj.db missing" in text
        assert "missing in " + str(empty) in text
        last = text.strip().splitlines()[-1]
        assert last.startswith("自检失败 Self-test FAILED") and last.endswith("exit code 1")
        assert "kept" in last and str(folder) in last
        assert folder.is_dir()  # kept after a failure
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_temp_folder_deleted_after_success_unless_keep(monkeypatch):
    web = next(s for s in self_test.STEPS if s.key == "web")
    monkeypatch.setattr(self_test, "STEPS", (web,))
    buf = io.StringIO()
    assert self_test.run_self_test(stream=buf) == 0
    folder = _folder(buf.getvalue())
    assert folder.name.startswith("lingtan-self-test-") and not folder.exists()
    assert "deleted" in buf.getvalue().splitlines()[-1]
    buf = io.StringIO()
    assert self_test.run_self_test(keep=True, stream=buf) == 0
    folder = _folder(buf.getvalue())
    try:
        assert folder.is_dir() and "kept" in buf.getvalue().splitlines()[-1]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_self_test_in_a_fresh_process_makes_its_own_offscreen_app():
    """As ``lingtan --self-test`` runs it: no QApplication, no QT_QPA_PLATFORM set."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONIOENCODING"] = "utf-8"
    code = "import sys; from app.self_test import run_self_test; sys.exit(run_self_test())"
    p = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                       encoding="utf-8", timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Qt platform 'offscreen'" in p.stdout
    steps = _step_lines(p.stdout)
    assert len(steps) == len(self_test.STEPS) and all(s[0] == "ok" for s in steps)
    assert not _folder(p.stdout).exists()  # deleted after success


# ---- pieces ---------------------------------------------------------------------------------------

def test_platform_plugin_lookup():
    assert self_test_checks.find_platform_plugin("offscreen") is not None
    assert self_test_checks.find_platform_plugin("no-such-platform") is None


def test_pdf_font_check_flags_a_font_without_its_program():
    pdf = (b"%PDF-1.4\n1 0 obj\n<< /Type /FontDescriptor\n/FontName /AAAAAA+NotoSansCJKsc-Regular\n"
           b"/FontFile2 2 0 R\n>>\nendobj\n3 0 obj\n<< /Type /FontDescriptor\n/FontName /Arial\n"
           b"/Flags 32\n>>\nendobj\n4 0 obj\n<< /Type /Font /Subtype /Type3 >>\nendobj\n")
    embedded, missing = self_test_checks.pdf_font_check(pdf)
    assert embedded == ["AAAAAA+NotoSansCJKsc-Regular"]
    assert missing == ["Arial", "Type3 font #1"]


def test_check_value_is_the_kruger_series_on_cgcs2000():
    """E/N of 120.2°E 30.3°N in CGCS2000 / 3-degree GK CM 120E by the 6th-order Krüger n-series
    (Karney 2011, J. Geodesy 85:475, eqs. 7-11, 35), written out here."""
    a, f = 6378137.0, 1 / 298.257222101  # CGCS2000 ellipsoid (GB/T 2000 national geodetic system)
    k0, lon0, fe = 1.0, 120.0, 500_000.0  # EPSG:4549: GK 3-degree zone, central meridian 120°E
    n = f / (2 - f)
    e = math.sqrt(f * (2 - f))
    big_a = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64 + n**6 / 256)
    alpha = (
        n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16 + 41 * n**4 / 180 - 127 * n**5 / 288 + 7891 * n**6 / 37800,
        13 * n**2 / 48 - 3 * n**3 / 5 + 557 * n**4 / 1440 + 281 * n**5 / 630 - 1983433 * n**6 / 1935360,
        61 * n**3 / 240 - 103 * n**4 / 140 + 15061 * n**5 / 26880 + 167603 * n**6 / 181440,
        49561 * n**4 / 161280 - 179 * n**5 / 168 + 6601661 * n**6 / 7257600,
        34729 * n**5 / 80640 - 3418889 * n**6 / 1995840,
        212378941 * n**6 / 319334400,
    )
    lon, lat = geo_env.CHECK_LON_LAT
    assert (lon, lat) == (120.2, 30.3) and geo_env.CHECK_EPSG == 4549
    phi, lam = math.radians(lat), math.radians(lon - lon0)
    tau = math.sinh(math.atanh(math.sin(phi)) - e * math.atanh(e * math.sin(phi)))  # conformal latitude
    xi_p = math.atan2(tau, math.cos(lam))
    eta_p = math.asinh(math.sin(lam) / math.hypot(tau, math.cos(lam)))
    xi = xi_p + sum(al * math.sin(2 * j * xi_p) * math.cosh(2 * j * eta_p) for j, al in enumerate(alpha, 1))
    eta = eta_p + sum(al * math.cos(2 * j * xi_p) * math.sinh(2 * j * eta_p) for j, al in enumerate(alpha, 1))
    east, north = fe + k0 * big_a * eta, k0 * big_a * xi
    assert abs(east - geo_env.CHECK_EN_M[0]) < 0.01
    assert abs(north - geo_env.CHECK_EN_M[1]) < 0.01
    # and EPSG:4549 is that projection (so the check transforms to what the series computes)
    from pyproj import CRS

    crs = CRS.from_epsg(geo_env.CHECK_EPSG)
    op = crs.coordinate_operation
    params = {q.name: q.value for q in op.params}
    assert op.method_name == "Transverse Mercator"
    assert params == {"Latitude of natural origin": 0.0, "Longitude of natural origin": lon0,
                      "Scale factor at natural origin": k0, "False easting": fe, "False northing": 0.0}
    ell = crs.ellipsoid
    assert ell.semi_major_metre == a and abs(ell.inverse_flattening - 1 / f) < 1e-9


def test_bundle_env_overrides_another_gdal_installation(tmp_path):
    bundle = tmp_path / "dist" / "lingtan" / "_internal"
    env = {"PROJ_LIB": "/qgis/share/proj", "PROJ_DATA": "/qgis/share/proj",
           "GDAL_DATA": "C:/OSGeo4W/apps/gdal/share/gdal",
           "GDAL_DRIVER_PATH": "C:/OSGeo4W/apps/gdal/lib/gdalplugins",
           "GDAL_CONFIG_FILE": "C:/OSGeo4W/etc/gdal.conf", "PATH": "C:/OSGeo4W/bin", "USERNAME": "planner"}
    geo_env.apply_env_changes(geo_env.bundle_env_changes(bundle), env)
    assert "PROJ_LIB" not in env and "GDAL_CONFIG_FILE" not in env
    for var in ("PROJ_DATA", "GDAL_DATA"):
        assert Path(env[var]).is_relative_to(bundle), (var, env[var])
        assert "OSGeo4W" not in env[var] and "qgis" not in env[var]
    assert env["PROJ_DATA"] != env["GDAL_DATA"]
    assert env["GDAL_DRIVER_PATH"] == "disable"  # GDAL config option: load no plugin drivers
    assert env["PROJ_NETWORK"] == "OFF"
    assert env["PATH"] == "C:/OSGeo4W/bin" and env["USERNAME"] == "planner"  # others untouched
