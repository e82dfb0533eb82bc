"""``lingtan --self-test``: check an installation end to end, offline and headless.

Runs in a source checkout and in the frozen (PyInstaller one-folder) build. Each step prints one
bilingual line, ``[ok]``, ``[FAIL]`` (with the reason) or ``[skip]`` (a step it needs failed), and the
run ends with a summary line; the exit code is 0 when every step passed, else 1.

Steps (each reuses the application's own code, and checks the result against independent bounds
or published figures, never against the code's own earlier output):

1. environment: Python, frozen or not, platform, PySide6/Qt, the Qt platform plugin (a
   QApplication is made here, ``offscreen`` unless ``QT_QPA_PLATFORM`` says otherwise);
2. GDAL/PROJ: :func:`gis.geo_env.geo_data_report` for pyproj, rasterio and pyogrio (and, frozen,
   that the runtime hook pointed GDAL/PROJ at the bundle);
3. bundled resources: sample park, factor tables, indicators, wind turbine curves, ...;
4. translations: the compiled ``.qm`` translates a known string to Chinese;
5. fonts: the CJK font Lingtan draws with (:func:`layers.fonts.cjk_family`) has the glyphs 零碳;
6. icons: the SVG icons render (Qt's svg image and icon-engine plugins);
7. web assets: the vendored Leaflet files match the SHA-256 in ``resources/web/SOURCES.md``;
8. pvlib data: Linke turbidity for Hangzhou, the ASTM G173 reference spectrum;
9. windpowerlib data: the oedb turbine library (Enercon E-126/4200) and the bundled Vestas V52;
10. the sample park opened as ``lingtan demo`` does;
11. the analyses (rooftop PV, carbon accounting, sinks, balance and indicators, five-colour
    township map, demo PV array and wind turbines), one line each;
12. the PDF report: header, pages, every font embedded, size;
13. a Shapefile of the buildings with their PV results, read back with pyogrio;
14. the main window built off-screen with the analysed park, its map rendered and not blank;
15. hour by hour: the holiday calendar, the energy table's load, the sources' hours and a small
    least-cost dispatch solved by HiGHS (highspy's compiled solver);
16. tiles on a Dask LocalCluster of two worker processes (threads when processes cannot start)
    equal the single-process rooftop PV run (app/self_test_cluster.py).

Files go to a fresh temporary folder (``lingtan-self-test-*``), deleted after a successful run
unless ``keep``; a folder given as ``out_dir`` is never deleted. No network is used.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from app.self_test_checks import (
    ASTM_G173_GLOBAL_W_M2,
    CJK_CHECK,
    DEMO_TURBINE_KW,
    E126_RATED_KW,
    E126_ROTOR_M,
    GRID_FACTOR_2023,
    GUI_SIZE_PX,
    HANGZHOU_LAT_LON,
    LINKE_RANGE,
    MIN_PDF_BYTES,
    MIN_PDF_PAGES,
    PERFORMANCE_RATIO,
    REQUIRED_RESOURCES,
    SAMPLE_TOWNSHIPS,
    SINK_RATE_MAX_T_HA,
    SPECIFIC_YIELD_KWH_KWP,
    TRANSLATION_CHECK,
    V52_RATED_KW,
    V52_ROTOR_M,
    ZHEJIANG_K_BREAKS,
    CheckFailed,
    Context,
    Step,
    check,
    is_close,
    pdf_font_check,
    qt_application,
)

EXIT_OK = 0
EXIT_FAILED = 1



def step_environment(ctx: Context) -> str:
    import PySide6
    from PySide6.QtCore import qVersion

    from gis.paths import frozen_bundle

    bundle = frozen_bundle()
    frozen = bundle is not None
    where = f"frozen ({bundle})" if frozen else f"source ({Path(__file__).parents[1]})"
    ctx.qt = qt_application(ctx.lang)
    from PySide6.QtGui import QGuiApplication

    plugin = QGuiApplication.platformName()
    ctx.info["platform_plugin"] = plugin
    return (f"Python {platform.python_version()}, {where}, {platform.platform(terse=True)}, "
            f"PySide6 {PySide6.__version__} / Qt {qVersion()}, Qt platform '{plugin}'")


# ==== 2. GDAL/PROJ ================================================================================

def step_geo(ctx: Context):
    from gis import geo_env

    report = geo_env.geo_data_report()
    lines = [r.line() for r in report]
    bad = [r for r in report if not r.transform_ok or not r.matching]
    frozen = geo_env.frozen_bundle()
    if frozen is not None:  # the runtime hook must have pointed GDAL/PROJ at the bundle
        dirs = geo_env.bundle_data_dirs(frozen)
        env = os.environ
        problems = []
        if env.get("PROJ_LIB"):
            problems.append(f"PROJ_LIB still set ({env['PROJ_LIB']})")
        for var, d in (("PROJ_DATA", dirs["rasterio_proj_data"]), ("GDAL_DATA", dirs["rasterio_gdal_data"])):
            if Path(env.get(var, "")).resolve() != d.resolve():
                problems.append(f"{var}={env.get(var)!r}, not {d}")
        if env.get("GDAL_DRIVER_PATH") != "disable":
            problems.append(f"GDAL_DRIVER_PATH={env.get('GDAL_DRIVER_PATH')!r}, not 'disable'")
        lines.append("bundle environment: " + ("; ".join(problems) if problems else
                                               "PROJ_DATA/GDAL_DATA in the bundle, PROJ_LIB unset, "
                                               "GDAL plugins off"))
        if problems:
            raise CheckFailed("; ".join(problems) + "\n" + "\n".join(lines))
    if bad:
        why = [f"{r.library}: " + ("transformation wrong" if not r.transform_ok else "")
               + ("" if r.matching else f" proj.db {r.proj_db_version or '?'} ≠ PROJ {r.proj_version}")
               for r in bad]
        raise CheckFailed("; ".join(why) + "\n" + "\n".join(lines))
    e, n = geo_env.CHECK_EN_M
    return (f"{len(report)} libraries transform 120.2°E 30.3°N to EPSG:{geo_env.CHECK_EPSG} "
            f"(E {e:,.2f} N {n:,.2f} ± {geo_env.CHECK_TOLERANCE_M} m), proj.db matching", lines)


# ==== 3. resources ================================================================================

def step_resources(ctx: Context) -> str:
    import pandas as pd

    from gis.paths import resources_dir

    root = resources_dir()
    check(root.is_dir(), f"resources folder missing: {root}")
    missing = [r for r in REQUIRED_RESOURCES if not (root / r).is_file() or (root / r).stat().st_size == 0]
    check(not missing, f"{len(missing)} missing in {root}: {', '.join(missing[:8])}"
          + (" …" if len(missing) > 8 else ""))
    grid = pd.read_csv(root / "factors" / "grid_emission_factors.csv")
    row = grid[grid["key"] == "national-2023"]
    check(len(row) == 1, "grid factor national-2023 not in factors/grid_emission_factors.csv")
    value = float(row.iloc[0]["value"])
    check(is_close(value, GRID_FACTOR_2023, abs_=1e-4),
          f"national-2023 grid factor {value} kgCO2/kWh, published {GRID_FACTOR_2023}")
    ind = pd.read_csv(root / "indicators" / "indicator_sets.csv")
    n_ind = int((ind["set_key"] == "national-2025").sum())
    check(n_ind > 0, "indicator set national-2025 missing")
    return (f"{len(REQUIRED_RESOURCES)} files in {root}; grid factor 2023 {value} kgCO2/kWh; "
            f"national-2025 indicators: {n_ind}")


def step_translations(ctx: Context) -> str:
    from PySide6.QtCore import QTranslator

    from app.gui.i18n import translations_dir

    qm = translations_dir() / "lingtan_zh_CN.qm"
    check(qm.is_file(), f"{qm} missing")
    tr = QTranslator()
    check(tr.load(str(qm)), f"QTranslator cannot load {qm}")
    context, source, expected = TRANSLATION_CHECK
    got = tr.translate(context, source)
    check(got == expected, f"{context} '{source}' → {got!r}, expected {expected!r}")
    return f"{qm.name} ({qm.stat().st_size / 1024:.0f} kB): '{source}' → '{got}'"


def step_fonts(ctx: Context) -> str:
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QRawFont

    from layers.fonts import BUNDLED_CJK, PREFERRED_CJK, bundled_family, cjk_family

    bundled = bundled_family()
    check(bundled == BUNDLED_CJK, f"the bundled font {BUNDLED_CJK} (resources/fonts) did not load")
    family = cjk_family()
    check(family is not None, "no font with Simplified Chinese glyphs "
          f"(looked for {', '.join(PREFERRED_CJK)} and any other): Chinese text would show as boxes")
    font = QFont(family)
    raw = QRawFont.fromFont(font, QFontDatabase.WritingSystem.SimplifiedChinese)
    metrics = QFontMetrics(font)
    missing = [ch for ch in CJK_CHECK if not (raw.isValid() and raw.supportsCharacter(ord(ch)))
               or not metrics.inFontUcs4(ord(ch))]  # code points: PySide's QChar overload misses some
    check(not missing, f"font '{family}' lacks the glyphs {''.join(missing)}")
    ctx.info["cjk_family"] = family
    face = raw.familyName() if raw.isValid() else family
    via = "" if face == family else f" (through {face})"
    raw_bundled = QRawFont.fromFont(QFont(bundled), QFontDatabase.WritingSystem.SimplifiedChinese)
    lacking = [ch for ch in CJK_CHECK if not raw_bundled.supportsCharacter(ord(ch))]
    check(raw_bundled.isValid() and not lacking, f"the bundled font lacks {''.join(lacking)}")
    kind = "bundled" if family == bundled else "system"
    return (f"UI '{family}'{via} ({kind}) and report '{bundled}' (bundled) draw {CJK_CHECK}")


def _drawn_pixels(image) -> tuple[int, int]:
    """(pixels not fully transparent, distinct colours) of a QImage."""
    import numpy as np
    from PySide6.QtGui import QImage

    img = image.convertToFormat(QImage.Format.Format_ARGB32)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    px = arr[:, : img.width() * 4].reshape(img.height(), img.width(), 4)
    drawn = int((px[:, :, 3] > 0).sum())
    colours = len(np.unique(px.reshape(-1, 4).view(np.uint32)))
    return drawn, colours


def step_icons(ctx: Context) -> str:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon, QImageReader

    from gis.paths import resources_dir

    folder = resources_dir() / "icons"
    svgs = sorted(folder.glob("*.svg"))
    check(bool(svgs), f"no SVG icons in {folder}")
    formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    check("svg" in formats, "Qt cannot read SVG: the svg image-format plugin (plugins/imageformats/qsvg) "
          "is missing")
    blank = []
    for f in svgs:
        reader = QImageReader(str(f))
        reader.setScaledSize(QSize(48, 48))
        img = reader.read()
        if img.isNull() or _drawn_pixels(img)[0] < 20:
            blank.append(f"{f.name} ({reader.errorString() if img.isNull() else 'blank'})")
    check(not blank, f"{len(blank)} icons do not render: {', '.join(blank[:5])}")
    icon = QIcon(str(folder / "lingtan.svg"))
    pm = icon.pixmap(64, 64)
    drawn, colours = (0, 0) if pm.isNull() else _drawn_pixels(pm.toImage())
    check(drawn > 200 and colours > 2, f"the app icon lingtan.svg renders blank through QIcon ({drawn} px "
          "drawn): the svg icon-engine plugin (plugins/iconengines/qsvgicon) is missing?")
    return f"{len(svgs)} SVG icons render; app icon 64 px: {drawn} px drawn, {colours} colours"


def step_web(ctx: Context) -> str:
    from gis.paths import resources_dir

    web = resources_dir() / "web"
    check((web / "SOURCES.md").is_file(), f"{web / 'SOURCES.md'} missing")
    text = (web / "SOURCES.md").read_text(encoding="utf-8")
    listed = re.findall(r"^([0-9a-f]{64})\s+(\S+)\s*$", text, flags=re.M)
    check(any(p.endswith("leaflet.js") for _h, p in listed), "SOURCES.md lists no leaflet.js hash")
    bad = []
    for digest, rel in listed:
        p = web / rel
        if not p.is_file():
            bad.append(f"{rel} missing")
        elif hashlib.sha256(p.read_bytes()).hexdigest() != digest:
            bad.append(f"{rel} SHA-256 differs")
    check(not bad, "; ".join(bad))
    js = next(p for _h, p in listed if p.endswith("leaflet.js"))
    return f"{len(listed)} files match SOURCES.md SHA-256 ({js} {(web / js).stat().st_size / 1024:.0f} kB)"


def step_pvlib(ctx: Context) -> str:
    import numpy as np
    import pandas as pd
    import pvlib

    data = Path(pvlib.__file__).parent / "data"
    h5 = data / "LinkeTurbidities.h5"
    check(h5.is_file(), f"{h5} missing (pvlib's data files are not bundled)")
    with open(h5, "rb") as fh:
        check(fh.read(8) == b"\x89HDF\r\n\x1a\n", f"{h5.name} is not an HDF5 file")
    try:
        import h5py  # noqa: F401  pvlib reads the .h5 with it; Lingtan itself never calls it
    except ImportError:
        linke = f"{h5.name} present ({h5.stat().st_size / 1e6:.0f} MB, HDF5 signature; h5py not bundled)"
    else:
        times = pd.DatetimeIndex(["2024-01-15 12:00", "2024-07-15 12:00"], tz="Asia/Shanghai")
        tl = pvlib.clearsky.lookup_linke_turbidity(times, *HANGZHOU_LAT_LON).to_numpy(float)
        check(bool(np.all((tl >= LINKE_RANGE[0]) & (tl <= LINKE_RANGE[1]))),
              f"Linke turbidity for Hangzhou {tl.round(2).tolist()} outside {LINKE_RANGE}")
        linke = f"Linke turbidity Hangzhou Jan {tl[0]:.2f}, Jul {tl[1]:.2f}"
    spectra = pvlib.spectrum.get_reference_spectra()  # reads pvlib/data/ASTMG173.csv
    wl = spectra.index.to_numpy(float)
    total = float(np.trapezoid(spectra["global"].to_numpy(float), wl))
    check(is_close(total, ASTM_G173_GLOBAL_W_M2, rel=0.01),
          f"ASTM G173 global spectrum integrates to {total:.1f} W/m², expected {ASTM_G173_GLOBAL_W_M2}")
    return f"pvlib {pvlib.__version__}: {linke}; ASTM G173 global {total:,.1f} W/m²"


def step_windpowerlib(ctx: Context) -> str:
    from gis.wind.turbines import _wpl_csv, library_table, load_turbine, windpowerlib_version

    csv = _wpl_csv("turbine_data.csv")
    check(csv is not None and _wpl_csv("power_curves.csv") is not None,
          "windpowerlib's oedb turbine_data.csv / power_curves.csv not found (not bundled?)")
    table = library_table()
    check(len(table) > 50, f"windpowerlib turbine library has {len(table)} types with a power curve")
    e126 = load_turbine("E-126/4200")
    check(is_close(e126.rated_kw, E126_RATED_KW, rel=1e-6)
          and is_close(e126.rotor_diameter_m, E126_ROTOR_M, rel=1e-6),
          f"E-126/4200: {e126.rated_kw} kW, {e126.rotor_diameter_m} m; published {E126_RATED_KW:.0f} kW, "
          f"{E126_ROTOR_M:.0f} m")
    peak = float(e126.curve.power_kw.max())
    check(is_close(peak, E126_RATED_KW, rel=0.03), f"E-126/4200 power curve peaks at {peak:.0f} kW")
    v52 = load_turbine("vestas_v52_850kw")
    check(is_close(v52.rated_kw, V52_RATED_KW, rel=1e-6)
          and is_close(v52.rotor_diameter_m, V52_ROTOR_M, rel=1e-6),
          f"V52: {v52.rated_kw} kW, {v52.rotor_diameter_m} m; "
          f"published {V52_RATED_KW:.0f} kW, {V52_ROTOR_M:.0f} m")
    return (f"windpowerlib {windpowerlib_version() or '?'} library: {len(table)} turbine types; "
            f"E-126/4200 {e126.rated_kw:,.0f} kW (curve peak {peak:,.0f}), V52 {v52.rated_kw:,.0f} kW")


# ==== 4. sample park ==============================================================================

def step_park(ctx: Context) -> str:
    import pyogrio

    from gis.park import load_sample_park
    from gis.paths import sample_dir

    park = load_sample_park()
    ctx.park = park
    n_file = pyogrio.read_info(sample_dir() / "park.gpkg", layer="buildings")["features"]
    n_b = len(park.buildings)
    check(n_b == n_file, f"{n_b} buildings loaded, the GeoPackage holds {n_file}")
    n_t = 0 if park.townships is None else len(park.townships)
    check(n_t == SAMPLE_TOWNSHIPS, f"{n_t} townships, the sample has {SAMPLE_TOWNSHIPS}")
    check(park.enterprises is not None and len(park.enterprises) > 0, "no enterprise energy table")
    ent = park.enterprises
    n_e = ent["企业代码"].nunique() if "企业代码" in ent.columns else len(ent)
    check(park.crs is not None and park.crs.is_projected, f"park CRS {park.crs} is not a metric projection")
    return (f"{park.name}: {n_b} buildings, {n_t} townships, {n_e} enterprises, "
            f"{len(park.green) if park.green is not None else 0} green areas; CRS {park.crs.to_string()}")


# ==== 5. analyses =================================================================================

def step_run_analyses(ctx: Context) -> str:
    from app.results import add_demo_siting, run_park_analyses

    t0 = time.perf_counter()
    ctx.results = run_park_analyses(ctx.park)
    t1 = time.perf_counter()
    add_demo_siting(ctx.results)
    t2 = time.perf_counter()
    r = ctx.results
    check(r.pv is not None and r.account is not None and r.intensity is not None,
          "an analysis returned nothing")
    return f"run_park_analyses {t1 - t0:.1f} s, add_demo_siting {t2 - t1:.1f} s"


def step_pv(ctx: Context) -> str:
    s = ctx.results.sections.pv
    check(s is not None and s.kwh_yr is not None, "no rooftop PV in the summary")
    layer = ctx.results.layers()["rooftop_pv"]
    kwp_layer = float(layer["kwp"].sum())
    kwh_layer = float(layer["kwh_yr"].sum())
    module_w = float(s.module_w)
    check(is_close(kwp_layer, float(layer["modules"].sum()) * module_w / 1000, rel=2e-3, abs_=0.5),
          f"capacity {kwp_layer:,.1f} kWp ≠ {int(layer['modules'].sum()):,} modules × {module_w:.0f} W")
    check(is_close(kwh_layer, s.kwh_yr, rel=2e-3),
          f"buildings sum {kwh_layer:,.0f} kWh ≠ total {s.kwh_yr:,.0f}")
    y = kwh_layer / kwp_layer
    lo, hi = SPECIFIC_YIELD_KWH_KWP
    check(lo <= y <= hi, f"specific yield {y:,.0f} kWh/kWp outside {lo:.0f}–{hi:.0f} (eastern China)")
    pr = y / float(s.annual_ghi_kwh_m2)
    check(PERFORMANCE_RATIO[0] <= pr <= PERFORMANCE_RATIO[1], f"yield/insolation ratio {pr:.2f} implausible")
    return (f"{s.buildings_with_pv} roofs, {kwp_layer / 1000:,.1f} MWp, {kwh_layer / 1e6:,.1f} GWh/yr, "
            f"{y:,.0f} kWh/kWp (ratio to GHI {pr:.2f})")


def step_carbon(ctx: Context) -> str:
    import pandas as pd

    c = ctx.results.sections.carbon
    check(c is not None and c.emissions is not None, "no emissions in the summary")
    e = c.emissions
    total = e.total or {}
    gross, s1, s2 = total["t_co2"], total["t_co2_scope1"], total["t_co2_scope2"]
    check(gross > 0, f"emissions {gross} tCO2")
    check(is_close(gross, s1 + s2, rel=1e-6, abs_=0.01),
          f"scope 1 {s1:,.1f} + scope 2 {s2:,.1f} ≠ {gross:,.1f}")
    year = total["year"]
    ent = ctx.park.enterprises
    col = next(c for c in ent.columns if str(c).startswith("电力"))  # 电力(万千瓦时): 10^4 kWh
    kwh = float(pd.to_numeric(ent.loc[ent["年份"] == year, col], errors="coerce").sum()) * 1e4
    elec = next(r for r in e.by_fuel or [] if r["fuel"] == "electricity" and r["year"] == year)
    expected = kwh * GRID_FACTOR_2023 / 1000
    check(is_close(elec["t_co2"], expected, rel=1e-3),
          f"electricity {elec['t_co2']:,.0f} tCO2 ≠ {kwh / 1e8:,.2f} 亿kWh × {GRID_FACTOR_2023} "
          f"= {expected:,.0f}")
    return (f"{year}: {gross / 1e4:,.1f} 万tCO2 (scope 1 {s1 / 1e4:,.1f}, scope 2 {s2 / 1e4:,.1f}); "
            f"electricity {kwh / 1e8:,.2f} 亿kWh × {GRID_FACTOR_2023} kg/kWh checked")


def step_sinks(ctx: Context) -> str:
    c = ctx.results.sections.carbon
    check(c is not None and c.sinks_t_co2_yr is not None, "no sinks in the summary")
    total = float(c.sinks_t_co2_yr)
    parts = [float((k.total_t_co2_yr if k is not None else None) or 0.0)
             for k in (c.green_sinks, c.tree_sinks)]
    check(total > 0, f"sinks {total} tCO2/yr")
    check(is_close(total, sum(parts), rel=1e-3, abs_=0.01), f"sinks {total:,.1f} ≠ green {parts[0]:,.1f} + "
          f"trees {parts[1]:,.1f}")
    feats = ctx.results.account.sinks.features
    ha = float(feats["area_ha"].sum())
    rate = parts[0] / ha if ha else 0.0
    check(0 < rate <= SINK_RATE_MAX_T_HA, f"green-space sink {rate:.2f} tCO2/ha/yr implausible")
    check(is_close(float(feats["t_co2_yr"].sum()), parts[0], rel=1e-3, abs_=0.01),
          "the green-space features don't sum to the green-space total")
    return (f"{total:,.1f} tCO2/yr (green space {parts[0]:,.1f} on {ha:,.1f} ha = {rate:.2f} t/ha, "
            f"trees {parts[1]:,.1f})")


def step_balance(ctx: Context) -> str:
    c = ctx.results.sections.carbon
    check(c is not None and c.balance is not None, "no balance in the summary")
    scen = c.scenarios
    check(len(scen) >= 1, "no balance scenario")
    for s in scen:
        ln = s.lines
        net = (ln.gross_t_co2 - ln.pv_avoided_self_t_co2 - ln.pv_exported_avoided_t_co2
               - ln.green_power_avoided_t_co2 - ln.sinks_t_co2)
        check(is_close(net, ln.net_t_co2, rel=1e-6, abs_=0.1),
              f"{s.scenario}: net {ln.net_t_co2:,.1f} ≠ gross − avoided − sinks = {net:,.1f}")
        avoided = ln.pv_self_used_kwh_yr * GRID_FACTOR_2023 / 1000
        check(is_close(ln.pv_avoided_self_t_co2, avoided, rel=1e-3, abs_=0.1),
              f"{s.scenario}: PV avoided {ln.pv_avoided_self_t_co2:,.1f} ≠ kWh × {GRID_FACTOR_2023}")
    inds = c.indicators
    known = {"pass", "fail", "no data", "not applicable"}
    check(len(inds) > 0 and all(i.status in known for i in inds),
          "indicators missing or of unknown status")
    first, last = scen[0].lines.net_t_co2, scen[-1].lines.net_t_co2
    passed = sum(i.status == "pass" for i in inds)
    return (f"{len(scen)} scenarios, net {first / 1e4:,.1f} → {last / 1e4:,.1f} 万tCO2; "
            f"{len(inds)} indicator results ({passed} pass)")


def step_intensity(ctx: Context) -> str:
    import numpy as np

    layer = ctx.results.intensity.layer
    check(len(layer) == SAMPLE_TOWNSHIPS,
          f"{len(layer)} townships on the map, the sample has {SAMPLE_TOWNSHIPS}")
    t = layer["t_co2"].to_numpy(float)
    gdp = layer["gdp_10k_yuan"].to_numpy(float)
    check(bool(np.all(t > 0) and np.all(gdp > 0)), "a township without emissions or GDP")
    intensity = t / gdp
    check(bool(np.allclose(intensity, layer["intensity"].to_numpy(float), rtol=1e-6)),
          "intensity ≠ tCO2 / GDP")
    k = intensity / (t.sum() / gdp.sum())
    expected = np.searchsorted(np.asarray(ZHEJIANG_K_BREAKS), k, side="left") + 1
    got = layer["class"].to_numpy(int)
    wrong = int((expected != got).sum())
    check(wrong == 0, f"{wrong} townships in the wrong class (K breaks {ZHEJIANG_K_BREAKS})")
    counts = np.bincount(got, minlength=6)[1:6]
    return f"{len(layer)} townships in 5 classes {counts.tolist()} (K = intensity / Σ CO2 ÷ Σ GDP, checked)"


def step_pv_array(ctx: Context) -> str:
    s = ctx.results.sections.pv_array
    check(s is not None and s.kwp, "no ground PV array in the summary")
    tables = ctx.results.layers().get("pv_array_tables")
    check(s.modules == s.tables * s.modules_per_table,
          f"{s.modules} modules ≠ {s.tables} tables × {s.modules_per_table}")
    check(is_close(s.kwp, s.modules * s.module_w / 1000, rel=1e-4),
          f"{s.kwp} kWp ≠ {s.modules} × {s.module_w} W")
    check(tables is not None and len(tables) == s.tables, "table layer count ≠ tables")
    y = s.kwh_yr / s.kwp
    lo, hi = SPECIFIC_YIELD_KWH_KWP
    check(lo <= y <= hi, f"array specific yield {y:,.0f} kWh/kWp outside {lo:.0f}–{hi:.0f}")
    check(0 < s.gcr < 1, f"ground coverage ratio {s.gcr}")
    return (f"{s.tables} tables × {s.modules_per_table} = {s.modules:,} modules "
            f"× {s.module_w:.0f} W = {s.kwp / 1000:,.2f} MWp, {s.kwh_yr / 1e6:,.2f} GWh/yr "
            f"({y:,.0f} kWh/kWp)")


def step_wind(ctx: Context) -> str:
    s = ctx.results.sections.wind
    check(s is not None and s.capacity_kw, "no wind turbines in the summary")
    turbines = ctx.results.layers().get("turbines")
    check(turbines is not None and len(turbines) == s.turbines, "turbine layer count ≠ turbines")
    check(is_close(s.capacity_kw, len(turbines) * DEMO_TURBINE_KW, rel=1e-6),
          f"capacity {s.capacity_kw} kW ≠ {len(turbines)} × {DEMO_TURBINE_KW:.0f} kW")
    check(0 < s.aep_mwh <= s.gross_aep_mwh, f"net AEP {s.aep_mwh} MWh > gross {s.gross_aep_mwh}")
    cf = s.aep_mwh * 1000 / (s.capacity_kw * 8760)
    check(0 < cf < 0.6, f"capacity factor {cf:.3f} implausible")
    check(is_close(cf, s.cf, abs_=0.002), f"capacity factor {s.cf} ≠ AEP / (kW × 8760 h) = {cf:.3f}")
    return (f"{s.turbines} × {DEMO_TURBINE_KW:.0f} kW, net {s.aep_mwh:,.1f} "
            f"≤ gross {s.gross_aep_mwh:,.1f} MWh/yr, CF {cf:.1%}, wake loss {s.wake_loss_pct:.2f} %")


def step_energy(ctx: Context) -> str:
    """Hour by hour: the calendar (chinese-calendar), the load of the energy table, the sources'
    hours, and a small least-cost dispatch through HiGHS (highspy's compiled solver)."""
    import datetime as dt

    import chinese_calendar
    import numpy as np
    import pandas as pd

    from app.park_energy import DEMO_TARIFF, add_park_energy
    from gis.energy.optimise import dispatch_cost_optimal
    from gis.energy.storage import Battery
    from gis.paths import resources_dir

    check(chinese_calendar.is_holiday(dt.date(2025, 10, 1)), "chinese-calendar: 2025-10-01 (National Day) "
          "is not a holiday")
    add_park_energy(ctx.results, tariff_key=DEMO_TARIFF)
    e = ctx.results.summary.get("energy")
    check(e is not None, "no energy result")
    table = pd.read_csv(resources_dir() / "sample" / "enterprises_energy.csv", encoding="utf-8-sig")
    kwh = float(table.loc[table["年份"] == table["年份"].max(), "电力(万千瓦时)"].sum()) * 1e4
    check(is_close(e["load_kwh"], kwh, rel=1e-6), f"load {e['load_kwh']:,.0f} kWh ≠ the table's {kwh:,.0f}")
    gen = sum(e["generation_kwh"].values())
    check(is_close(e["onsite_kwh"], gen, rel=1e-6) and e["used_onsite_kwh"] <= e["onsite_kwh"] * (1 + 1e-9),
          "on-site energy does not add up")
    hours = np.arange(48) % 24
    price = np.where((hours >= 8) & (hours < 22), 1.0, 0.3)  # yuan/kWh: peak by day, valley at night
    battery = Battery(power_kw=50.0, energy_kwh=200.0)
    d = dispatch_cost_optimal(np.full(48, 100.0), np.zeros(48), 1.0, battery, import_price_yuan_kwh=price,
                              export_price_yuan_kwh=0.0, month_of_interval=np.zeros(48, int),
                              grid_charging=True, time_limit_s=10)
    cheap = float((d.grid_import_kw * (price < 0.5)).sum())
    dear = float((d.grid_import_kw * (price > 0.5)).sum())
    # without a battery the 20 valley hours buy 2,000 kWh; charging in them must buy more
    check(cheap > 2 * 10 * 100.0 + 100.0,
          f"HiGHS dispatch did not shift purchases to the valley ({cheap:.0f} kWh)")
    return (f"load {e['load_kwh'] / 1e6:,.1f} GWh, on-site {e['onsite_kwh'] / 1e6:,.2f} GWh, "
            f"self-sufficiency "
            f"{e['self_sufficiency_pct']:.1f} %; HiGHS {d.status}, valley/peak purchases "
            f"{cheap:,.0f}/{dear:,.0f} kWh")


# ==== 6. PDF report ===============================================================================

def step_report(ctx: Context) -> str:
    from app.cmd_report import pdf_page_count, write_demo_report

    path = write_demo_report(ctx.results, ctx.out_dir, lang=ctx.lang)
    data = Path(path).read_bytes()
    check(data.startswith(b"%PDF-"), f"{path.name} does not start with %PDF")
    check(b"%%EOF" in data[-1024:], f"{path.name} has no %%EOF trailer (truncated?)")
    pages = pdf_page_count(path)
    check(pages >= MIN_PDF_PAGES, f"{pages} pages, expected ≥ {MIN_PDF_PAGES}")
    check(len(data) > MIN_PDF_BYTES, f"{len(data):,} bytes, expected > {MIN_PDF_BYTES:,}")
    embedded, missing = pdf_font_check(data)
    check(bool(embedded), "no embedded font program in the PDF")
    check(not missing, f"fonts not embedded: {', '.join(missing)}")
    family = (ctx.info.get("cjk_family") or "").replace(" ", "").lower()
    cjk_words = ("cjk", "yahei", "simhei", "simsun", "pingfang", "hansans", "wenquanyi", "heiti", "song",
                 "lingtannotosanssc")  # the bundled font the report prefers (layers/fonts.py)
    cjk = [n for n in embedded if (family and family[:10] in n.lower().replace("-", ""))
           or any(w in n.lower() for w in cjk_words)]
    check(bool(cjk), f"no Chinese font among the embedded fonts ({', '.join(sorted(set(embedded)))})")
    fonts = sorted({n.split("+", 1)[-1] for n in embedded})
    return f"{path.name}: {pages} pages, {len(data) / 1024:,.0f} kB, fonts embedded: {', '.join(fonts)}"


# ==== 7. Shapefile ================================================================================

def step_shapefile(ctx: Context) -> str:
    import numpy as np
    import pyogrio
    from pyproj import CRS

    from app.exports.shapefile import write_shapefiles

    layer = ctx.results.layers()["rooftop_pv"]
    maps = write_shapefiles(layer, ctx.out_dir / "shapefile" / "rooftop_pv.shp", "utf-8", layer="rooftop_pv")
    check(len(maps) == 1, f"{len(maps)} files for one polygon layer")
    m = maps[0]
    sidecars = (".shp", ".shx", ".dbf", ".prj", ".cpg")
    missing = [ext for ext in sidecars if not m.path.with_suffix(ext).is_file()]
    check(not missing, f"{m.path.stem}: {', '.join(missing)} missing")
    back = pyogrio.read_dataframe(m.path)
    check(len(back) == len(layer), f"{len(back)} features read back, {len(layer)} written")
    check(back.crs is not None and CRS.from_user_input(back.crs).equals(ctx.park.crs, ignore_axis_order=True),
          f"CRS read back {back.crs}, the park's is {ctx.park.crs}")
    texts = [c for c in ("name", "use", "roof_type") if c in layer.columns
             and layer[c].astype(str).str.contains(r"[\u4e00-\u9fff]").any()]
    check(bool(texts), "no Chinese text field to check")
    for col in texts:
        short = m.short_of(col)
        a = layer[col].fillna("").astype(str).to_list()
        b = back[short].fillna("").astype(str).to_list()
        bad = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
        check(not bad, f"field {col}: {len(bad)} values differ, e.g. {bad[:1]}")
    short = m.short_of("kwh_yr")
    mem = layer["kwh_yr"].to_numpy(float)
    got = back[short].to_numpy(float)
    worst = float(np.max(np.abs(got - mem) / np.maximum(np.abs(mem), 1.0)))
    check(worst <= 0.005, f"kwh_yr read back differs by up to {worst:.2%}")
    sample = next(v for v in layer[texts[0]] if isinstance(v, str) and re.search(r"[\u4e00-\u9fff]", v))
    return (f"{m.path.name} (+ .shx .dbf .prj .cpg): {len(back)} features, CRS {ctx.park.crs.to_string()}, "
            f"text {', '.join(texts)} exact (e.g. '{sample}'), kwh_yr within {worst:.3%}")


# ==== 8. GUI smoke ================================================================================

def step_gui(ctx: Context) -> str:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    check(isinstance(app, QApplication), "no QApplication (widgets): the running Qt application is a "
          f"{type(app).__name__ if app else 'none'}")
    from app.gui.main_window import MainWindow
    from app.gui.settings import use_settings_dir
    from app.workspace import Workspace

    use_settings_dir(ctx.out_dir / "settings")  # never touch the user's settings
    saved_env = os.environ.get("LINGTAN_DATA_DIR")
    os.environ["LINGTAN_DATA_DIR"] = str(ctx.out_dir / "data")  # recovery files, if any, go here
    win = None
    try:
        ws = Workspace(lang=ctx.lang)
        ws.set_results(ctx.results)
        ws.mark_clean()
        t0 = time.perf_counter()
        win = MainWindow(ws)
        win.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)  # laid out, never on screen
        win.resize(*GUI_SIZE_PX)
        win.show()
        QCoreApplication.processEvents()
        n_layers = len(ws.tree.layers())
        check(n_layers >= len(ctx.park.layers()), f"{n_layers} layers in the window")
        canvas = win.canvas
        canvas.zoom_full()
        canvas.render_now()
        check(canvas.wait_for_render(10_000), "the map did not finish rendering within 10 s")
        image = canvas.grab().toImage()
        check(not image.isNull(), "the map canvas grabbed no image")
        _drawn, colours = _drawn_pixels(image)
        check(colours >= 5, f"the map is blank ({colours} colours in {image.width()}×{image.height()} px)")
        ms = canvas.last_render_ms
        ws.mark_clean()
        win.close()
        return (f"main window with {n_layers} layers, map {image.width()}×{image.height()} px, "
                f"{colours} colours, render {ms or 0:.0f} ms, window {time.perf_counter() - t0:.1f} s")
    finally:
        if win is not None:
            win.workspace.mark_clean()
            if win.isVisible():
                win.close()
            win.deleteLater()
            QCoreApplication.processEvents()
        if saved_env is None:
            os.environ.pop("LINGTAN_DATA_DIR", None)
        else:
            os.environ["LINGTAN_DATA_DIR"] = saved_env


def step_cluster(ctx: Context) -> str:
    from app.self_test_cluster import MAX_REL_DIFF, tiled_vs_single

    r = tiled_vs_single(ctx.out_dir)
    check(r["written"] == r["tiles"] and r["tiled"] == r["single"],
          f"{r['written']}/{r['tiles']} tiles written, {r['tiled']} buildings tiled ≠ {r['single']} "
          "in one run")
    check(r["rel"] <= MAX_REL_DIFF, f"tiled kWh differ from the single run by {r['rel']:.2e} (relative)")
    how = "processes" if r["processes"] else "threads (" + "; ".join(r["notes"]) + ")"
    return (f"{r['tiles']} tiles on {r['workers']} worker {how} in {r['seconds']:.1f} s, equal to the single "
            f"run (max rel. diff {r['rel']:.0e}; {r['shaded']} roofs shaded)")


# ==== the run =====================================================================================

STEPS: tuple[Step, ...] = (
    Step("运行环境", "Environment", step_environment, key="env"),
    Step("GDAL/PROJ 数据", "GDAL/PROJ data", step_geo, key="geo"),
    Step("内置资源", "Bundled resources", step_resources, key="resources"),
    Step("界面翻译", "Translations", step_translations, key="translations"),
    Step("中文字体", "Chinese font", step_fonts, ("env",), key="fonts"),
    Step("图标", "Icons", step_icons, ("env",), key="icons"),
    Step("网页地图资源", "Web map assets", step_web, key="web"),
    Step("pvlib 数据", "pvlib data", step_pvlib, key="pvlib"),
    Step("windpowerlib 风机库", "windpowerlib turbines", step_windpowerlib, key="windpowerlib"),
    Step("打开示例园区", "Open the sample park", step_park, key="park"),
    Step("运行全部分析", "Run the analyses", step_run_analyses, ("park",), key="analyses"),
    Step("屋顶光伏", "Rooftop PV", step_pv, ("analyses",), key="pv"),
    Step("碳排放核算", "Carbon accounting", step_carbon, ("analyses",), key="carbon"),
    Step("碳汇", "Carbon sinks", step_sinks, ("analyses",), key="sinks"),
    Step("碳平衡与指标", "Balance and indicators", step_balance, ("analyses",), key="balance"),
    Step("乡镇五色图", "Five-colour township map", step_intensity, ("analyses",), key="intensity"),
    Step("地面光伏阵列", "Ground PV array", step_pv_array, ("analyses",), key="pv_array"),
    Step("风机", "Wind turbines", step_wind, ("analyses",), key="wind"),
    Step("逐时能源平衡", "Hour by hour", step_energy, ("analyses",), key="energy"),
    Step("PDF 报告", "PDF report", step_report, ("env", "analyses"), key="report"),
    Step("Shapefile 导出", "Shapefile export", step_shapefile, ("analyses",), key="shapefile"),
    Step("主窗口", "Main window", step_gui, ("env", "analyses"), key="gui"),
    Step("Dask 分块计算", "Tiles on a Dask cluster", step_cluster, key="cluster"),
)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, CheckFailed):
        return str(exc)
    zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
    if zh and en:
        return f"{zh} / {en}"
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"


class _Writer:
    """Prints lines to ``stream``, never failing on a console that cannot show Chinese."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def __call__(self, text: str) -> None:
        try:
            self.stream.write(text + "\n")
        except UnicodeEncodeError:
            enc = getattr(self.stream, "encoding", None) or "ascii"
            self.stream.write(text.encode(enc, errors="replace").decode(enc) + "\n")
        try:
            self.stream.flush()
        except (AttributeError, OSError):
            pass


def run_self_test(out_dir: Path | None = None, keep: bool = False, stream=None, lang: str = "zh") -> int:
    """Run every check (module docstring), print one line per step and a summary; 0 when all passed,
    1 otherwise. Files go to ``out_dir`` (kept) or a new temporary folder (deleted after a
    successful run unless ``keep``; kept after a failure). ``stream``: where to print (default
    ``sys.stdout`` at call time). ``lang``: the PDF report's and, when this
    makes the Qt application, the UI's language."""
    if sys.platform.startswith(("linux", "freebsd")) and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display; a user may choose another
    # elsewhere the real platform plugin (qwindows on Windows) is checked; the window stays off-screen
    if stream is None:
        stream = sys.stdout
    say = _Writer(stream)
    lang = "en" if lang == "en" else "zh"
    given = out_dir is not None
    if given:
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="lingtan-self-test-"))
    ctx = Context(out_dir=folder, lang=lang)
    say(f"零碳自检 Lingtan self-test: {len(STEPS)} steps, files in {folder}")
    t_start = time.perf_counter()
    passed: set[str] = set()
    failed: list[str] = []
    skipped: list[str] = []
    width = len(str(len(STEPS)))
    for i, step in enumerate(STEPS, 1):
        label = f"{i:>{width}}/{len(STEPS)} {step.zh} {step.en}"
        blocked = [n for n in step.needs if n not in passed]
        if blocked:
            names = ", ".join(next(s.en for s in STEPS if s.key == n) for n in blocked)
            say(f"[skip] {label}: 需要的步骤失败 needs a failed step ({names})")
            skipped.append(step.key)
            continue
        t0 = time.perf_counter()
        try:
            out = step.run(ctx)
        except Exception as exc:  # a failed step is reported, the run goes on
            reason = _reason(exc)
            first, *rest = reason.split("\n")
            say(f"[FAIL] {label}: {first} ({time.perf_counter() - t0:.1f} s)")
            for line in rest:
                say(f"       {line}")
            failed.append(step.key)
            continue
        detail, extra = (out, []) if isinstance(out, str) else out
        say(f"[ok]   {label}: {detail} ({time.perf_counter() - t0:.1f} s)")
        for line in extra:
            say(f"       {line}")
        passed.add(step.key)
    total_s = time.perf_counter() - t_start
    code = EXIT_OK if not failed and not skipped else EXIT_FAILED
    if code == EXIT_OK and not keep and not given:
        shutil.rmtree(folder, ignore_errors=True)
        where = f"临时文件夹已删除 temp folder {folder} deleted"
    else:
        why = "保留 kept" + (" (失败时保留 kept after a failure)" if code else "")
        where = f"文件 files {why}: {folder}"
    if code == EXIT_OK:
        say(f"自检通过 Self-test passed: {len(passed)}/{len(STEPS)} steps in {total_s:.1f} s; {where}; "
            f"exit code {code}")
    else:
        say(f"自检失败 Self-test FAILED: {len(passed)}/{len(STEPS)} steps passed, {len(failed)} failed, "
            f"{len(skipped)} skipped, in {total_s:.1f} s; {where}; exit code {code}")
    return code
