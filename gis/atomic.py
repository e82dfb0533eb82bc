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


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists (POSIX)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
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
            stale = not _alive(int(m.group(1)))
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
