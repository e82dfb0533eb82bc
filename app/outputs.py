"""Writing results to disk atomically: a crash or Ctrl-C never leaves a half-written file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import geopandas as gpd


def _tmp_beside(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # GDAL wants to create the file itself
    return Path(tmp)


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` as UTF-8 JSON (Chinese kept readable), replacing ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(path)
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Write all ``layers`` into one GeoPackage, replacing ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp_beside(path)
    try:
        for name, gdf in layers.items():
            gdf.to_file(tmp, layer=name, driver="GPKG", engine="pyogrio")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
