"""What the self-test's steps (app/self_test.py) check against and with: independent reference
values, each with its source; the check primitives; the step record and the context the steps
share; and the Qt application they run in (refusing clearly when the platform plugin is missing)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# ---- independent reference values (each with its source) -----------------------------------------
GRID_FACTOR_2023 = 0.5306
"""kgCO2/kWh: national grid average emission factor 2023 (生态环境部、国家统计局 2023 年电力二氧化碳
排放因子, published 2024), the default of factor set ``national-2023``."""
SPECIFIC_YIELD_KWH_KWP = (700.0, 1600.0)
"""kWh/kWp/yr: plausible PV specific yield in eastern China (NREL/World Bank Global Solar Atlas PVOUT:
about 1,000-1,300 for the Yangtze delta; wide bounds for shading, orientation and losses)."""
PERFORMANCE_RATIO = (0.5, 1.1)
"""Specific yield / annual horizontal insolation (kWh/kWp per kWh/m²): a PV system's performance ratio
is 0.7-0.85 on its plane (IEC 61724); tilt can add up to ~10 % over horizontal, shading takes some."""
ZHEJIANG_K_BREAKS = (0.6, 0.8, 1.2, 2.0)
"""Benchmark-ratio K class breaks (浙江省碳效等级, 碳效码: K ≤ 0.6 … K > 2.0), lower < K ≤ upper."""
SAMPLE_TOWNSHIPS = 26
"""Townships of the embedded sample park (resources/sample/make_sample_park.py)."""
SINK_RATE_MAX_T_HA = 40.0
"""tCO2/ha/yr: upper bound of any land sink (IPCC 2006 GL AFOLU Vol. 4 Table 4.9: fastest plantation
growth ≈ 10 t dm/ha/yr ≈ 20 tCO2/ha/yr; double for margin)."""
DEMO_TURBINE_KW = 50.0
"""kW: rated power of the demo turbine, Ghrepower FD21-50 (SWCC-15-01 certification summary)."""
E126_RATED_KW, E126_ROTOR_M = 4200.0, 127.0
"""Enercon E-126 EP4 4.2 MW: rated power and rotor diameter (ENERCON product overview 04/2017)."""
V52_RATED_KW, V52_ROTOR_M = 850.0, 52.0
"""Vestas V52-850 kW: rated power and rotor diameter (Vestas V52 product brochure)."""
LINKE_RANGE = (1.0, 7.0)
"""Linke turbidity: clean dry air ≈ 2, hazy humid air up to ≈ 7 (Remund et al. 2003, the source of
pvlib's LinkeTurbidities.h5)."""
ASTM_G173_GLOBAL_W_M2 = 1000.4
"""W/m²: integral of the ASTM G173-03 global tilt (AM1.5) spectrum, 280-4000 nm (ASTM G173-03 Table 1
is scaled to 1000 W/m²; its trapezoidal integral is 1000.4)."""
HANGZHOU_LAT_LON = (30.27, 120.16)
"""Hangzhou (the sample park's region)."""
TRANSLATION_CHECK = ("MainWindow", "&File", "文件(&F)")
"""(context, English source, Chinese translation) in resources/translations/lingtan_zh_CN.ts."""
CJK_CHECK = "零碳"
REQUIRED_RESOURCES = (
    "sample/park.gpkg", "sample/enterprises_energy.csv", "sample/township_stats.csv",
    "factors/factor_sets.csv", "factors/factor_values.csv", "factors/fuel_factors.csv", "factors/fuels.csv",
    "factors/grid_emission_factors.csv", "factors/sink_factors.csv", "factors/standard_coal.csv",
    "indicators/indicator_sets.csv", "defaults/roof_classes.csv", "defaults/roof_class_by_use.csv",
    "defaults/storey_heights.csv", "defaults/nea_2021_rooftop_shares.csv", "solar/china_climatology.csv",
    "landcover/esa_worldcover.csv", "landcover/umep.csv", "wind/gb3096_limits.csv",
    "wind/noise_class_by_use.csv", "wind/roughness.csv", "wind/setbacks.csv",
    "wind/turbines/vestas_v52_850kw.csv", "wind/turbines/ghrepower_fd21_50.csv",
    "wind/turbines/nps_100c_24.csv", "translations/lingtan_zh_CN.qm", "icons/lingtan.svg",
    "web/SOURCES.md",
)
"""Files under resources/ the app needs at run time."""
MIN_PDF_PAGES = 10
MIN_PDF_BYTES = 50_000
GUI_SIZE_PX = (1200, 800)


class CheckFailed(Exception):
    """A self-test check did not hold (the message says what and by how much)."""


class Skipped(Exception):
    """A step cannot run because one it needs failed."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def is_close(a: float, b: float, rel: float = 1e-3, abs_: float = 0.0) -> bool:
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


@dataclass
class Context:
    """What the steps share."""

    out_dir: Path
    lang: str = "zh"
    qt: Any = None  # the QApplication / QGuiApplication
    park: Any = None
    results: Any = None
    info: dict = field(default_factory=dict)


@dataclass
class Step:
    zh: str
    en: str
    run: Callable[[Context], Any]  # returns a detail string, or (detail, [extra lines])
    needs: tuple[str, ...] = ()  # keys of steps that must have passed
    key: str = ""


# ==== 1. environment ==============================================================================

def _platform_names() -> list[str]:
    """The platform plugins ``QT_QPA_PLATFORM`` asks for ("offscreen", "wayland;xcb" → both)."""
    value = os.environ.get("QT_QPA_PLATFORM") or ""
    return [p.split(":")[0].strip() for p in value.split(";") if p.split(":")[0].strip()]


def _platform_plugin_dirs() -> list[Path]:
    from PySide6.QtCore import QCoreApplication, QLibraryInfo

    dirs = [Path(p) / "platforms" for p in QCoreApplication.libraryPaths()]
    dirs.append(Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms")
    for var in ("QT_QPA_PLATFORM_PLUGIN_PATH",):
        if os.environ.get(var):
            dirs += [Path(p) for p in os.environ[var].split(os.pathsep) if p]
    for var in ("QT_PLUGIN_PATH",):
        if os.environ.get(var):
            dirs += [Path(p) / "platforms" for p in os.environ[var].split(os.pathsep) if p]
    return list(dict.fromkeys(dirs))  # each folder once, in Qt's order


def find_platform_plugin(name: str) -> Path | None:
    """The Qt platform plugin file for ``name`` (``offscreen`` → libqoffscreen.so / qoffscreen.dll)."""
    for d in _platform_plugin_dirs():
        if d.is_dir():
            for f in d.iterdir():
                stem = f.name.split(".")[0]
                if stem in (f"q{name}", f"libq{name}") and f.suffix.lower() in (".so", ".dll", ".dylib"):
                    return f
    return None


def qt_application(lang: str = "zh"):
    """The running Qt application, else a new QApplication made as the desktop app makes it
    (:func:`app.gui.app.create_app`). Refuses clearly (instead of Qt aborting the process) when the
    platform plugin asked for cannot be found."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is not None:
        return app
    names = _platform_names()
    if names and not any(find_platform_plugin(n) for n in names):
        where = ", ".join(str(d) for d in _platform_plugin_dirs()) or "?"
        name = ";".join(names)
        raise CheckFailed(f"找不到 Qt 平台插件“{name}” / Qt platform plugin '{name}' not found "
                          f"(searched {where}); the build must include PySide6/Qt/plugins/platforms")
    from app.gui.app import create_app

    return create_app(["lingtan"], lang=lang)


def pdf_font_check(data: bytes) -> tuple[list[str], list[str]]:
    """(embedded font names, font names without an embedded font program) of a PDF written by Qt
    (its object dictionaries are not compressed). Every FontDescriptor must carry /FontFile,
    /FontFile2 or /FontFile3; a Type3 font has no program to embed and counts as not embedded."""
    embedded, missing = [], []
    for m in re.finditer(rb"/Type\s*/FontDescriptor(.*?)>>", data, flags=re.S):
        body = m.group(1)
        name = re.search(rb"/FontName\s*/([^\s/>\[]+)", body)
        label = name.group(1).decode("latin-1") if name else "?"
        (embedded if re.search(rb"/FontFile[23]?\s+\d+\s+\d+\s+R", body) else missing).append(label)
    missing += [f"Type3 font #{i + 1}" for i, _ in enumerate(re.finditer(rb"/Subtype\s*/Type3", data))]
    return embedded, missing
