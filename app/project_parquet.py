"""GeoParquet layers read by view in a project file: stored by their path, never copied.

A :class:`~layers.parquet_source.ParquetLayer` may stand for millions of rows; the project keeps
only where its file (or folder) is. Its layer-tree entry gets ``table`` null (so a Lingtan that does
not know this lists it as missing instead of calling the file damaged) and ``parquet``:
``{"id", "path", "file"}`` — ``path`` absolute, ``file`` relative to the project's folder (POSIX
separators; null when there is none, e.g. another Windows drive). Its style, title, visibility and
opacity are in the entry as for every layer.

Reopening tries ``file`` first (a project folder copied or moved with its data), then ``path``, and
opens the layer read by view again; a file found neither way (or no longer GeoParquet) is left out
and reported in both languages (:attr:`MissingFile`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress


@dataclass(frozen=True)
class MissingFile:
    """A GeoParquet layer of a project whose file could not be opened."""

    name: str
    path: str
    zh: str
    en: str


def is_read_by_view(layer) -> bool:
    from layers.parquet_source import ParquetLayer

    return isinstance(layer, ParquetLayer)


def parquet_entry(layer, key: str) -> dict:
    """The tree entry's ``parquet`` value of ``layer`` (``file`` is set when the project is written)."""
    return {"id": key, "path": str(Path(layer.source.path).resolve()), "file": None}


def _entries(node: dict) -> list[dict]:
    out = []
    for c in node.get("children", []):
        out += _entries(c) if c.get("type") == "group" else [c]
    return out


def parquet_entries(document: dict) -> list[dict]:
    """The layer-tree entries of the document's GeoParquet layers."""
    root = (document.get("tree") or {}).get("root") or {}
    return [e for e in _entries(root) if isinstance(e.get("parquet"), dict)]


def set_relative_paths(document: dict, project: Path) -> None:
    """Each GeoParquet entry's ``file``: its path relative to ``project``'s folder (POSIX), or None."""
    folder = Path(project).resolve().parent
    for p in (e["parquet"] for e in parquet_entries(document)):
        try:
            p["file"] = Path(os.path.relpath(p["path"], folder)).as_posix()
        except (ValueError, TypeError, KeyError):  # another drive (Windows) or a damaged entry
            p["file"] = None


def locate(entry: dict, project: Path) -> Path | None:
    """Where the entry's file is now: ``file`` beside the project, else ``path``; None if neither."""
    tries = []
    if entry.get("file"):
        tries.append(Path(project).resolve().parent / str(entry["file"]))
    if entry.get("path"):
        tries.append(Path(str(entry["path"])))
    return next((t for t in tries if t.exists()), None)


def open_parquet_layers(document: dict, project: Path,
                        progress: Progress = NO_PROGRESS) -> tuple[dict[str, object], list[MissingFile]]:
    """The layers of the document's GeoParquet entries (entry id → ParquetLayer; metadata and an
    overview read) and the files that could not be opened."""
    from layers.parquet_source import ParquetLayer, ParquetSource

    layers: dict[str, object] = {}
    missing: list[MissingFile] = []
    entries = parquet_entries(document)
    for k, node in enumerate(entries):
        entry = node["parquet"]
        key = str(entry.get("id"))
        name = str(node.get("title") or node.get("name") or key)  # as the user knows it
        shown = str(entry.get("path") or entry.get("file") or "")
        progress.report(k / max(len(entries), 1), f"opening {name}")
        found = locate(entry, project)
        if found is None:
            missing.append(MissingFile(name, shown, f"找不到 GeoParquet 图层“{name}”的文件：{shown}",
                                       f"The file of the GeoParquet layer '{name}' was not found: {shown}"))
            continue
        try:
            layers[key] = ParquetLayer(str(node.get("name") or key), ParquetSource(found))
        except (InputError, OSError, ValueError) as exc:  # replaced by something else, unreadable
            zh = exc.zh if isinstance(exc, InputError) else str(exc)
            en = exc.en if isinstance(exc, InputError) else str(exc)
            missing.append(MissingFile(name, str(found), f"无法打开 GeoParquet 图层“{name}”：{zh}",
                                       f"Cannot open the GeoParquet layer '{name}': {en}"))
    return layers, missing
