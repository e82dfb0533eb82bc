"""Autosave and recovery of projects: recovery copies in the user's data folder (not beside the
project, which may be read-only or shared), and those left by a process that ended without a
clean close."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.project_file import EXTENSION, read_document, remove_unused_sidecars, snapshot, write_snapshot
from gis.atomic import pid_alive
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress


def autosave_dir() -> Path:
    """Where recovery files go: ``$LINGTAN_DATA_DIR/recovery`` when set, else the user's data
    folder: ``%LOCALAPPDATA%\\Lingtan\\recovery`` (Windows), ``~/Library/Application
    Support/Lingtan/recovery`` (macOS), ``$XDG_DATA_HOME/lingtan/recovery`` (default
    ``~/.local/share``). Not next to the project: that folder may be read-only or shared."""
    env = os.environ.get("LINGTAN_DATA_DIR")
    if env:
        base = Path(env)
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "Lingtan"
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support" / "Lingtan"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "lingtan"
    return base / "recovery"


def autosave_path(path: Path | str | None, pid: int | None = None) -> Path:
    """The recovery file of project ``path`` (None: untitled) for process ``pid`` (default: this)."""
    pid = os.getpid() if pid is None else pid
    if path is None:
        return autosave_dir() / f"untitled-{pid}{EXTENSION}"
    path = Path(path).resolve()
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:10]
    stem = re.sub(r"[^\w\-]+", "_", path.name.split(".")[0])[:40] or "project"
    return autosave_dir() / f"{stem}-{digest}-{pid}{EXTENSION}"


def write_autosave(workspace, progress: Progress = NO_PROGRESS) -> Path:
    """Write a recovery copy of ``workspace`` (its path and dirty flag stay as they are)."""
    target = autosave_path(workspace.path)
    write_snapshot(snapshot(workspace, autosave_of=workspace.path), target, progress)
    if workspace.autosave_file is not None and workspace.autosave_file != target:
        discard_recovery(workspace.autosave_file)  # e.g. an untitled project was saved under a name
    workspace.autosave_file = target
    return target


@dataclass
class RecoveryInfo:
    path: Path
    project: Path | None
    saved: datetime
    pid: int | None
    park_name: str | None
    layers: int


def recovery_info(path: Path) -> RecoveryInfo:
    doc = read_document(path)
    a = doc.get("autosave") or {}
    saved = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return RecoveryInfo(path=Path(path), project=Path(a["project"]) if a.get("project") else None,
                        saved=saved, pid=a.get("pid"), park_name=(doc.get("park") or {}).get("name"),
                        layers=len(doc.get("layers", [])))


def find_recovery(discard_stale: bool = True) -> list[Path]:
    """Recovery files left by Lingtan processes that ended without a clean close, newest first.

    A file whose project was saved after it (project newer than the autosave) is stale: removed
    when ``discard_stale``. Files of running processes (another open Lingtan) are left alone;
    unreadable ones are skipped."""
    folder = autosave_dir()
    if not folder.is_dir():
        return []
    out = []
    for p in folder.glob(f"*{EXTENSION}"):
        m = re.search(r"-(\d+)\.lingtan\.gpkg$", p.name)
        if m and pid_alive(int(m.group(1))):
            continue
        try:
            info = recovery_info(p)
        except (InputError, OSError):
            continue
        project = info.project
        if project is not None and project.exists() and project.stat().st_mtime >= p.stat().st_mtime:
            if discard_stale:
                discard_recovery(p)
            continue
        out.append(p)
    return sorted(out, key=lambda q: q.stat().st_mtime, reverse=True)


def discard_recovery(path: Path | str | None) -> None:
    """Remove a recovery file and its sidecar rasters (missing is fine)."""
    if path is None:
        return
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:
        pass
    remove_unused_sidecars(Path(path), set())
