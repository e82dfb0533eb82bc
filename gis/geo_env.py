"""GDAL/PROJ data for the frozen application, and a report of which data each library uses.

Lingtan carries three copies of PROJ (and two of GDAL), one inside each wheel: pyproj, rasterio and
pyogrio. Each copy needs the ``proj.db`` it was released with (a PROJ library refuses a ``proj.db`` whose
layout is older than its own, and reads wrong results from a mismatched one). On a planner's Windows
machine QGIS or OSGeo4W often sets ``PROJ_LIB``/``PROJ_DATA``/``GDAL_DATA``/``GDAL_DRIVER_PATH``
system-wide, which would point our libraries at another release's data or load another GDAL's plugins.

So the frozen app, before anything imports a geo library (PyInstaller runtime hook
``packaging/pyi_rth_lingtan.py``):

1. :func:`apply_bundle_env` sets ``GDAL_DATA``/``PROJ_DATA`` to the bundle's pyogrio data (the GDAL
   that reads and writes every vector file), switches GDAL plugins off (``GDAL_DRIVER_PATH=disable``)
   and PROJ's network off, and removes ``PROJ_LIB`` and ``GDAL_CONFIG_FILE``;
2. :func:`pin_library_data_on_import` points rasterio's own PROJ and GDAL at rasterio's data right
   after ``rasterio.env`` is first imported (rasterio reads the environment at import; its API then
   overrides it for its copy only), so a start that never touches rasters pays nothing. pyproj needs
   no pin: it prefers its own ``pyproj/proj_dir`` to the environment (``pyproj.datadir.get_data_dir``).

DLLs are not looked up on ``PATH`` by the frozen app: the bootloader puts the bundle first
(``SetDllDirectory``) and Python ≥ 3.8 loads extension-module dependencies from the bundle and
``os.add_dll_directory`` folders only, so another GDAL on ``PATH`` is ignored.

Stdlib only at import time: this module runs before the geo libraries are imported.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sqlite3
import sys
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path

#: Environment variables removed at start: another installation's settings that would redirect our
#: libraries (PROJ < 9.1 name of PROJ_DATA; a GDAL configuration file that can set any option).
REMOVED_ENV = ("PROJ_LIB", "GDAL_CONFIG_FILE", "PROJ_AUX_DB", "GDAL_SKIP", "OGR_SKIP")


def bundle_data_dirs(bundle: Path) -> dict[str, Path]:
    """The data folders inside a PyInstaller bundle (``sys._MEIPASS``), by purpose."""
    return {
        "gdal_data": bundle / "pyogrio" / "gdal_data",
        "proj_data": bundle / "pyogrio" / "proj_data",
        "rasterio_gdal_data": bundle / "rasterio" / "gdal_data",
        "rasterio_proj_data": bundle / "rasterio" / "proj_data",
        "pyproj_proj_data": bundle / "pyproj" / "proj_dir" / "share" / "proj",
    }


def bundle_env_changes(bundle: Path) -> dict[str, str | None]:
    """The environment the frozen app sets at start: name → value (``None``: remove the variable)."""
    dirs = bundle_data_dirs(bundle)
    changes: dict[str, str | None] = dict.fromkeys(REMOVED_ENV)
    changes.update({
        "GDAL_DATA": str(dirs["gdal_data"]),
        "PROJ_DATA": str(dirs["proj_data"]),
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


def frozen_bundle() -> Path | None:
    """The PyInstaller bundle folder when running frozen, else ``None``."""
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if getattr(sys, "frozen", False) and meipass else None


def apply_bundle_env(bundle: Path | None = None) -> dict[str, str | None]:
    """Set the frozen app's GDAL/PROJ environment in ``os.environ``; the changes made ({} unfrozen)."""
    bundle = bundle or frozen_bundle()
    if bundle is None:
        return {}
    changes = bundle_env_changes(bundle)
    apply_env_changes(changes, os.environ)
    return changes


def pin_rasterio_data(bundle: Path) -> None:
    """Point rasterio's PROJ and GDAL at ``bundle/rasterio/proj_data`` and ``gdal_data``."""
    dirs = bundle_data_dirs(bundle)
    import rasterio.env
    from rasterio._env import set_proj_data_search_path

    if (dirs["rasterio_proj_data"] / "proj.db").exists():
        set_proj_data_search_path(str(dirs["rasterio_proj_data"]))
    if dirs["rasterio_gdal_data"].is_dir():
        rasterio.env.set_gdal_config("GDAL_DATA", str(dirs["rasterio_gdal_data"]))


class RunAfterImport(importlib.abc.MetaPathFinder):
    """A ``sys.meta_path`` entry that calls ``callback()`` once, right after module ``name`` is first
    executed (before the import statement that asked for it returns)."""

    def __init__(self, name: str, callback: Callable[[], None]):
        self.name = name
        self.callback = callback

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)  # once; and lets the real finders answer below
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        real, callback = spec.loader, self.callback

        class _Loader(importlib.abc.Loader):
            def create_module(self, spec):
                return real.create_module(spec)

            def exec_module(self, module):
                real.exec_module(module)
                try:
                    callback()
                except Exception:  # never break the import itself; the self-test reports the data
                    pass

        spec.loader = _Loader()
        return spec


def pin_library_data_on_import(bundle: Path | None = None) -> bool:
    """Arrange :func:`pin_rasterio_data` to run when rasterio is first imported (frozen app only;
    True when arranged). Imports nothing now: the command line starts as fast as without it."""
    bundle = bundle or frozen_bundle()
    if bundle is None:
        return False
    if "rasterio.env" in sys.modules:
        pin_rasterio_data(bundle)
    else:
        sys.meta_path.insert(0, RunAfterImport("rasterio.env", lambda: pin_rasterio_data(bundle)))
    return True


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
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
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
    import rasterio
    from rasterio._env import get_proj_data_search_paths

    paths = [p for p in get_proj_data_search_paths() if (Path(p) / "proj.db").exists()]
    data_dir = paths[0] if paths else os.environ.get("PROJ_DATA", "")
    try:
        from rasterio.warp import transform

        xs, ys = transform("EPSG:4326", f"EPSG:{CHECK_EPSG}", [CHECK_LON_LAT[0]], [CHECK_LON_LAT[1]])
        ok, detail = _check(xs[0], ys[0])
    except Exception as exc:
        ok, detail = False, repr(exc)
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

    data_dir = os.environ.get("PROJ_DATA") or str(Path(pyogrio.__file__).parent / "proj_data")
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
