"""Where Numba keeps the compiled loops of the shading (:mod:`gis.solar.horizon_kernel`,
:mod:`gis.solar.loss_kernel`) between runs.

Compiling them takes ~11 s on this machine: once per installation, not once per process. From
sources, Numba's own cache sits beside the module (``__pycache__``) or in the user's cache
folder. A frozen build (PyInstaller) has no source files, so Numba's locators refuse it; there
:class:`FrozenBuildLocator` keeps the cache in the user's local application-data folder, in a
sub-folder per build (a new build starts afresh).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from numba.core.caching import CacheImpl, _CacheLocator

ENV_DIR = "LINGTAN_NUMBA_CACHE_DIR"
"""Environment variable naming the cache folder of a frozen build (default: see :func:`cache_root`)."""


def cache_root() -> Path:
    """The frozen build's cache folder: ``$LINGTAN_NUMBA_CACHE_DIR``, else on Windows
    ``%LOCALAPPDATA%\\Lingtan\\numba-cache``, elsewhere ``~/.cache/lingtan/numba``."""
    if os.environ.get(ENV_DIR):
        return Path(os.environ[ENV_DIR])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "Lingtan" / "numba-cache"
    return Path.home() / ".cache" / "lingtan" / "numba"


def build_stamp() -> str:
    """This build's identity (the executable's modification time and size)."""
    st = os.stat(sys.executable)
    return f"{int(st.st_mtime)}-{st.st_size}"


class FrozenBuildLocator(_CacheLocator):
    """Numba cache locator of a frozen build: :func:`cache_root` / :func:`build_stamp`."""

    def __init__(self, py_func, py_file):
        self._lineno = py_func.__code__.co_firstlineno
        self._path = str(cache_root() / build_stamp())

    def get_cache_path(self) -> str:
        return self._path

    def get_source_stamp(self) -> str:
        return build_stamp()

    def get_disambiguator(self) -> str:
        return str(self._lineno)

    @classmethod
    def from_function(cls, py_func, py_file):
        if not getattr(sys, "frozen", False):
            return None
        self = cls(py_func, py_file)
        try:
            self.ensure_cache_path()
        except OSError:
            return None
        return self


def cache_enabled() -> bool:
    """Should the kernels be compiled with ``cache=True``? Not when ``LINGTAN_NUMBA_CACHE=0``; in
    a frozen build only when its cache folder can be written (else Numba would refuse to
    decorate them); from sources always (Numba finds a place itself)."""
    if os.environ.get("LINGTAN_NUMBA_CACHE", "1") == "0":
        return False
    if not getattr(sys, "frozen", False):
        return True
    if FrozenBuildLocator not in CacheImpl._locator_classes:
        CacheImpl._locator_classes.insert(0, FrozenBuildLocator)
    try:
        path = cache_root() / build_stamp()
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True
