"""GDAL/PROJ data for the frozen application, and a report of which data each library uses.

Lingtan carries three copies of PROJ (and two of GDAL), one inside each wheel: pyproj, rasterio and
pyogrio. Each copy needs the ``proj.db`` it was released with (a PROJ library refuses a ``proj.db`` whose
layout is older than its own, and may read wrong definitions from a mismatched one). On a planner's
Windows machine QGIS or OSGeo4W often sets ``PROJ_LIB``/``PROJ_DATA``/``GDAL_DATA``/``GDAL_DRIVER_PATH``
system-wide and puts its GDAL DLLs on ``PATH``, which would point our libraries at another release's
data or load another GDAL's plugins.

Who reads what (checked for the pinned versions, see tests/test_build_frozen.py):

* pyproj prefers its own ``pyproj/proj_dir/share/proj`` to the environment
  (``pyproj.datadir.get_data_dir``);
* pyogrio uses the ``gdal_data``/``proj_data`` inside its wheel before the environment;
* rasterio reads ``GDAL_DATA``/``PROJ_DATA`` from the environment first, at import and again each
  time an outermost ``rasterio.Env`` starts.

So the frozen app, before anything imports a geo library (PyInstaller runtime hook
``packaging/pyi_rth_lingtan.py``), calls :func:`apply_bundle_env`: ``GDAL_DATA``/``PROJ_DATA`` become
the bundle's rasterio data (the only library that reads them), GDAL plugins are switched off
(``GDAL_DRIVER_PATH=disable``), PROJ's network is off, and ``PROJ_LIB``, ``GDAL_CONFIG_FILE`` and
similar settings of other installations are removed. On Windows, :func:`scrub_dll_path` also takes
the folders holding ``gdal*.dll`` out of ``PATH``: rasterio adds every such folder to the DLL search
(``os.add_dll_directory``) when it has no ``rasterio/.libs`` folder, which is the case for its
delvewheel-built wheels. Each library then uses its own data, whatever else is installed.

Stdlib only at import time: this module runs before the geo libraries are imported.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sqlite3
import sys
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

from gis.paths import frozen_bundle

#: Environment variables removed at start: another installation's settings that would redirect our
#: libraries (PROJ < 9.1 name of PROJ_DATA; a GDAL configuration file that can set any option).
REMOVED_ENV = ("PROJ_LIB", "GDAL_CONFIG_FILE", "PROJ_AUX_DB", "GDAL_SKIP", "OGR_SKIP")


def bundle_data_dirs(bundle: Path) -> dict[str, Path]:
    """rasterio's GDAL/PROJ data folders inside a PyInstaller bundle (``sys._MEIPASS``): the ones the
    environment names (pyogrio's and pyproj's own folders are found by those libraries themselves)."""
    return {
        "rasterio_gdal_data": bundle / "rasterio" / "gdal_data",
        "rasterio_proj_data": bundle / "rasterio" / "proj_data",
    }


def bundle_env_changes(bundle: Path) -> dict[str, str | None]:
    """The environment the frozen app sets at start: name → value (``None``: remove the variable)."""
    dirs = bundle_data_dirs(bundle)
    changes: dict[str, str | None] = dict.fromkeys(REMOVED_ENV)
    changes.update({
        "GDAL_DATA": str(dirs["rasterio_gdal_data"]),  # read by rasterio only (module docstring)
        "PROJ_DATA": str(dirs["rasterio_proj_data"]),
        "GDAL_DRIVER_PATH": "disable",  # GDAL: "disable" loads no plugin drivers (GDAL config docs)
        "PROJ_NETWORK": "OFF",  # no CDN grid downloads: the app works offline
    })
    return changes


def apply_env_changes(changes: Mapping[str, str | None], environ: MutableMapping[str, str]) -> None:
    """Apply :func:`bundle_env_changes` to ``environ`` (``os.environ`` in the app)."""
    for name, value in changes.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value


def scrub_dll_path(path: str, bundle: Path, sep: str = os.pathsep) -> str:
    """``path`` (a ``PATH`` value) without the folders outside ``bundle`` that hold ``gdal*.dll``."""
    inside = os.path.normcase(os.path.abspath(bundle))
    kept = []
    for folder in path.split(sep):
        if folder and not os.path.normcase(os.path.abspath(folder)).startswith(inside):
            if glob.glob(os.path.join(glob.escape(folder), "gdal*.dll")):
                continue
        kept.append(folder)
    return sep.join(kept)


def apply_bundle_env(bundle: Path | None = None) -> dict[str, str | None]:
    """Set the frozen app's GDAL/PROJ environment in ``os.environ`` (and, on Windows, take other
    GDALs off ``PATH``); the changes made ({} when not frozen)."""
    bundle = bundle or frozen_bundle()
    if bundle is None:
        return {}
    changes = bundle_env_changes(bundle)
    if sys.platform == "win32" and "PATH" in os.environ:
        changes["PATH"] = scrub_dll_path(os.environ["PATH"], bundle)
    apply_env_changes(changes, os.environ)
    return changes


@dataclass(frozen=True)
class GeoLibraryData:
    """Which PROJ data one geo library uses, and whether it works."""

    library: str  #: "pyproj", "rasterio" or "pyogrio"
    version: str  #: the library's version
    proj_version: str  #: the PROJ release the library was built with ("" when it doesn't say)
    data_dir: str  #: the PROJ data folder in use
    proj_db_version: str  #: PROJ.VERSION written in that folder's proj.db ("" when unreadable)
    transform_ok: bool  #: a test transformation through this library's PROJ gave the known answer
    detail: str = ""  #: what went wrong, or the transformed value

    @property
    def matching(self) -> bool:
        """proj.db comes from the same PROJ minor release as the library (unknown library PROJ: True)."""
        if not self.proj_version:
            return bool(self.proj_db_version)
        return _minor(self.proj_version) == _minor(self.proj_db_version)

    def line(self) -> str:
        """One line for the self-test and ``lingtan info``."""
        proj = f"PROJ {self.proj_version}" if self.proj_version else "PROJ ?"
        return (f"{self.library} {self.version} ({proj}): proj.db {self.proj_db_version or '?'} in "
                f"{self.data_dir}; {'ok' if self.transform_ok else 'FAILED'} {self.detail}")


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def proj_db_version(data_dir: str | Path) -> str:
    """``PROJ.VERSION`` stored in ``data_dir/proj.db`` ("" if absent or unreadable)."""
    for folder in str(data_dir).split(os.pathsep):
        db = Path(folder) / "proj.db"
        if db.exists():
            try:
                with contextlib.closing(sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)) as con:
                    row = con.execute("SELECT value FROM metadata WHERE key = 'PROJ.VERSION'").fetchone()
                return row[0] if row else ""
            except sqlite3.Error:
                return ""
    return ""


# Check point: Hangzhou, 120.2°E 30.3°N in CGCS2000 / 3-degree GK CM 120E (EPSG:4549, the sample park's
# CRS). Reference from the 6th-order Krüger series (Karney 2011, J. Geodesy 85:475, eqs. 7-11) on the
# CGCS2000 ellipsoid, k0 = 1, false easting 500 km, written out in tests/test_self_test.py:
# E = 519,238.97 m, N = 3,353,386.83 m. A missing or mismatched proj.db fails outright.
CHECK_LON_LAT = (120.2, 30.3)
CHECK_EPSG = 4549
CHECK_EN_M = (519_238.97, 3_353_386.83)
CHECK_TOLERANCE_M = 1.0


def _check(e: float, n: float) -> tuple[bool, str]:
    ok = abs(e - CHECK_EN_M[0]) <= CHECK_TOLERANCE_M and abs(n - CHECK_EN_M[1]) <= CHECK_TOLERANCE_M
    return ok, f"E {e:,.2f} N {n:,.2f}"


def _pyproj_report() -> GeoLibraryData:
    import pyproj

    data_dir = pyproj.datadir.get_data_dir()
    try:
        tr = pyproj.Transformer.from_crs(4326, CHECK_EPSG, always_xy=True)
        ok, detail = _check(*tr.transform(*CHECK_LON_LAT))
    except Exception as exc:  # any failure is the answer here
        ok, detail = False, repr(exc)
    return GeoLibraryData("pyproj", pyproj.__version__, pyproj.proj_version_str, data_dir,
                          proj_db_version(data_dir), ok, detail)


def _rasterio_report() -> GeoLibraryData:
    """rasterio's PROJ: transform inside a ``rasterio.Env`` (which re-reads the environment), then
    read the search path it ended with."""
    import rasterio
    from rasterio._env import get_proj_data_search_paths

    try:
        from rasterio.warp import transform

        with rasterio.Env():
            xs, ys = transform("EPSG:4326", f"EPSG:{CHECK_EPSG}", [CHECK_LON_LAT[0]], [CHECK_LON_LAT[1]])
        ok, detail = _check(xs[0], ys[0])
    except Exception as exc:
        ok, detail = False, repr(exc)
    paths = [p for p in get_proj_data_search_paths() if (Path(p) / "proj.db").exists()]
    data_dir = paths[0] if paths else os.environ.get("PROJ_DATA", "")
    return GeoLibraryData("rasterio", rasterio.__version__, rasterio.__proj_version__, data_dir,
                          proj_db_version(data_dir), ok, detail)


def _pyogrio_report() -> GeoLibraryData:
    """pyogrio's GDAL: write a point in EPSG:4549 to an in-memory GeoPackage and read the CRS back.

    Both steps look the CRS up in proj.db (GeoPackage stores the full definition; reading identifies
    the EPSG code again), so they fail with a missing or unreadable proj.db."""
    import numpy as np
    import pyogrio
    import pyogrio.raw
    import shapely

    wheel_data = Path(pyogrio.__file__).parent / "proj_data"  # used before the environment (docstring)
    data_dir = str(wheel_data) if (wheel_data / "proj.db").exists() else os.environ.get("PROJ_DATA", "")
    path = "/vsimem/lingtan_geo_env_check.gpkg"
    try:
        geom = shapely.to_wkb(shapely.points([CHECK_EN_M]))
        pyogrio.raw.write(path, geometry=np.asarray(geom, dtype=object), field_data=[], fields=[],
                          crs=f"EPSG:{CHECK_EPSG}", geometry_type="Point", driver="GPKG")
        crs = pyogrio.read_info(path)["crs"]
        ok, detail = crs == f"EPSG:{CHECK_EPSG}", f"CRS read back {crs}"
    except Exception as exc:
        ok, detail = False, repr(exc)
    finally:
        try:
            from pyogrio.core import vsi_unlink

            vsi_unlink(path)
        except Exception:
            pass
    return GeoLibraryData("pyogrio", pyogrio.__version__, "", data_dir, proj_db_version(data_dir), ok,
                          f"(GDAL {pyogrio.__gdal_version_string__}) {detail}")


def geo_data_report() -> list[GeoLibraryData]:
    """For pyproj, rasterio and pyogrio: the PROJ data in use, its release, and a test transformation."""
    return [_pyproj_report(), _rasterio_report(), _pyogrio_report()]
