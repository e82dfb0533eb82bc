"""Files written whole or not at all: a temporary name beside the target, then a rename.

One naming scheme for every temporary Lingtan writes beside an output (exports, PNGs, workbooks,
project files and their raster sidecars, staged Shapefile folders): ``.STEM-ltPID-XXXX.SUFFIX``
for a file (:func:`temp_beside`), ``.STEM-ltPID-XXXX`` for a folder (:func:`temp_dir_beside`),
PID being the writing process. So the next run can remove what a killed run left (kill -9, a
power cut): both first delete the temporaries of the same target whose process is gone — with
what GDAL and SQLite made beside them (``-journal``, ``-wal``, ``.tmp_rtree_*.db``) — on
Windows, where a process cannot be probed safely without extra libraries, those older than
:data:`STALE_AFTER_S`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from gis.errors import InputError

STALE_AFTER_S = 3600.0
"""On Windows: a temporary older than this is taken as left by a killed run."""

_PID = re.compile(r"-lt(\d+)-")


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (this one counts). A recycled pid reads as alive: the files
    tagged with it then wait until that process ends; they are never deleted by mistake."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    if os.name == "nt":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]  # Windows only
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale_pattern(path: Path) -> re.Pattern:
    """Temporaries of ``path``: ``.STEM-ltPID-XXXX`` (a folder), ``.STEM-ltPID-XXXX.SUFFIX`` and
    whatever GDAL/SQLite appended to that name."""
    return re.compile(rf"^\.{re.escape(path.stem)}-lt(\d+)-[A-Za-z0-9_]+(?:{re.escape(path.suffix)}.*)?$")


def clean_stale(path: Path) -> list[Path]:
    """Delete the temporaries of ``path`` that killed runs left (files and staged folders);
    returns them."""
    path = Path(path)
    pattern = _stale_pattern(path)
    removed = []
    try:
        entries = list(path.parent.glob(f".{glob_escape(path.stem)}-lt*"))
    except OSError:
        return []
    for tmp in entries:
        m = pattern.match(tmp.name)
        if m is None:
            continue
        try:
            if os.name == "nt":
                stale = time.time() - tmp.stat().st_mtime > STALE_AFTER_S
            else:
                stale = not pid_alive(int(m.group(1)))
            if not stale:
                continue
            if tmp.is_dir() and not tmp.is_symlink():
                shutil.rmtree(tmp)
            else:
                tmp.unlink()
            removed.append(tmp)
        except OSError:
            pass
    return removed


def clean_stale_in(folder: Path) -> list[Path]:
    """Delete every temporary in ``folder`` that a killed run left, whatever its target (e.g. a
    project's raster sidecars, each named by its content); returns them."""
    names = re.compile(r"^\.(.+)-lt\d+-[A-Za-z0-9_]+(\.[^.]+)?")
    removed: list[Path] = []
    try:
        entries = list(Path(folder).glob(".*-lt*"))
    except OSError:
        return removed
    for stem, suffix in {m.groups() for e in entries if (m := names.match(e.name))}:
        removed += clean_stale(Path(folder) / f"{stem}{suffix or ''}")
    return removed


def glob_escape(text: str) -> str:
    """``text`` with glob's special characters ([, ], *, ?) taken literally."""
    return re.sub(r"([\[\]*?])", r"[\1]", text)


def _not_writable(exc: OSError, path: Path) -> InputError:
    return InputError(f"无法写入输出文件夹：{exc.strerror or exc}。请换一个有写权限的文件夹（--out）",
                      f"Cannot write to the output folder: {exc.strerror or exc}. Choose a "
                      "folder you can write to (--out)", path=str(path.parent),
                      code="output.not_writable")


def temp_beside(path: Path) -> Path:
    """A free temporary name in ``path``'s folder (created if missing), not yet created (GDAL and
    Qt want to create their files themselves). InputError if the folder cannot be written (a
    user's choice of output folder, not a bug)."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-lt{os.getpid()}-", suffix=path.suffix,
                                   dir=path.parent)
    except OSError as exc:
        raise _not_writable(exc, path) from exc
    os.close(fd)
    os.unlink(tmp)
    return Path(tmp)


def temp_dir_beside(path: Path) -> Path:
    """A new empty folder ``.STEM-ltPID-XXXX`` beside ``path`` (a file or a folder), to write a set
    of files that then move into place together; stale ones are removed first. InputError if the
    folder cannot be written."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path)
        return Path(tempfile.mkdtemp(prefix=f".{path.stem}-lt{os.getpid()}-", dir=path.parent))
    except OSError as exc:
        raise _not_writable(exc, path) from exc


def fsync_file(path: Path) -> None:
    """Flush ``path``'s data to the disk (before a rename makes it the file)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename) to the disk; nothing on Windows."""
    if os.name == "nt":  # directories cannot be opened for fsync on Windows (NTFS journals renames)
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
