"""Per-tile results on disk: one GeoParquet file per finished tile, written atomically.

Layout of a store directory::

    OUT/manifest.json          run key, plan and settings (JSON)
    OUT/parts/tile-<id>.parquet  the core buildings' rows of one tile (GeoParquet, bbox covering)

``OUT/parts`` is a partitioned GeoParquet dataset: ``geopandas.read_parquet`` /
``dask_geopandas.read_parquet`` / ``pyarrow.dataset`` read it as one table. A tile file appears
only complete (written under a temporary name, then renamed: ``os.replace`` is atomic on one
file system, POSIX and Windows), so a worker killed mid-write leaves no half tile, and
:meth:`TileStore.done_ids` is exactly the set of finished tiles. The manifest's run key
(:func:`run_key`: settings, weather, tiling and input) makes a rerun with other settings start
afresh instead of mixing old tiles in.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import asdict, is_dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from gis.errors import InputError, Problem

MANIFEST = "manifest.json"
PARTS = "parts"
PREFIX, SUFFIX = "tile-", ".parquet"


def _jsonable(v):
    if is_dataclass(v) and not isinstance(v, type):
        return {k: _jsonable(x) for k, x in asdict(v).items()}
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return repr(v)


def run_key(*parts) -> str:
    """A short hash (hex) of everything that decides a tile's rows: settings (dataclasses are
    expanded), a weather fingerprint, the plan's tiling and the input's identity."""
    text = json.dumps(_jsonable(list(parts)), sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class TileStore:
    """The finished tiles of one run in ``out_dir`` (created when missing)."""

    def __init__(self, out_dir: str | os.PathLike):
        self.root = Path(out_dir)
        self.parts = self.root / PARTS

    # -- manifest -------------------------------------------------------------------------
    def open(self, key: str, description: dict | None = None) -> list[Problem]:
        """Prepare the store for the run ``key``: a store of another run (other settings, weather,
        tiling or input) has its tile files removed first, noted in the returned problems."""
        problems: list[Problem] = []
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"无法创建输出目录 {self.root}：{exc}", f"Cannot create the output folder "
                             f"{self.root}: {exc}", path=str(self.root), code="scale.out_dir") from exc
        old = self.manifest()
        if old is not None and old.get("run_key") != key:
            stale = self._files()
            for p in stale:
                p.unlink(missing_ok=True)
            if stale:
                problems.append(Problem(
                    "info", "scale.store_reset",
                    f"输出目录中已有 {len(stale)} 个分块结果来自其他参数的计算，已删除并重新计算",
                    f"{len(stale)} finished tile(s) in the output folder came from a run with other "
                    "settings: removed, computing afresh"))
        if old is None or old.get("run_key") != key:
            self._write_text(self.root / MANIFEST,
                             json.dumps({"run_key": key, **_jsonable(description or {})}, indent=1,
                                        ensure_ascii=False))
        return problems

    def manifest(self) -> dict | None:
        """The manifest (None when there is none or it is unreadable)."""
        try:
            return json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    # -- tiles ----------------------------------------------------------------------------
    def path(self, tile_id) -> Path:
        """The file of ``tile_id``."""
        return self.parts / f"{PREFIX}{tile_id}{SUFFIX}"

    def _files(self) -> list[Path]:
        return sorted(self.parts.glob(f"{PREFIX}*{SUFFIX}")) if self.parts.is_dir() else []

    def done_ids(self) -> set[str]:
        """Ids of the tiles whose file is complete."""
        return {p.name[len(PREFIX):-len(SUFFIX)] for p in self._files()}

    def write(self, tile_id, frame: gpd.GeoDataFrame) -> Path:
        """Write one tile's rows (GeoParquet with bbox covering columns) atomically."""
        final = self.path(tile_id)
        tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")  # unique: retried tasks may race
        try:
            frame.to_parquet(tmp, index=False, write_covering_bbox=True)
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        return final

    def read(self, tile_id) -> gpd.GeoDataFrame:
        """One finished tile's rows."""
        return gpd.read_parquet(self.path(tile_id))

    def read_all(self, columns: list[str] | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        """Every finished tile's rows in one frame (in tile-id order; ``columns``: a subset, the
        geometry column included to get a GeoDataFrame)."""
        files = self._files()
        if not files:
            return gpd.GeoDataFrame()
        frames = [gpd.read_parquet(p, columns=columns) if columns is None or "geometry" in columns
                  else pd.read_parquet(p, columns=columns) for p in files]
        return pd.concat(frames, ignore_index=True)

    @property
    def dataset_path(self) -> Path:
        """The partitioned GeoParquet dataset (a directory of tile files)."""
        return self.parts

    def _write_text(self, path: Path, text: str) -> None:
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
