"""Files written whole or not at all: a temporary name beside the target, then a rename.

A temporary is named ``.STEM-ltPID-XXXX.SUFFIX`` (PID: the writing process), so that the next run
can remove those a killed run left (kill -9, a power cut): :func:`temp_beside` first deletes the
temporaries of the same target whose process is gone (on Windows, where a process cannot be probed
safely without extra libraries, those older than :data:`STALE_AFTER_S`).
"""

from __future__ import annotations

import os
import re
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


def clean_stale(path: Path) -> list[Path]:
    """Delete the temporaries of ``path`` that killed runs left; returns them."""
    removed = []
    for tmp in path.parent.glob(f".{path.stem}-lt*{path.suffix}"):
        m = _PID.search(tmp.name)
        if m is None:
            continue
        if os.name == "nt":
            stale = time.time() - tmp.stat().st_mtime > STALE_AFTER_S
        else:
            stale = not pid_alive(int(m.group(1)))
        if stale:
            try:
                tmp.unlink()
                removed.append(tmp)
            except OSError:
                pass
    return removed


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
        raise InputError(f"无法写入输出文件夹：{exc.strerror or exc}。请换一个有写权限的文件夹（--out）",
                         f"Cannot write to the output folder: {exc.strerror or exc}. Choose a "
                         "folder you can write to (--out)", path=str(path.parent),
                         code="output.not_writable") from exc
    os.close(fd)
    os.unlink(tmp)
    return Path(tmp)


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
