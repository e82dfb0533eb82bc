"""Memory limits: refuse work whose arrays would not fit, before they are allocated.

A hostile or mistaken input (a DSM header claiming 200,000 × 200,000 pixels, an array area of
1,000 km², 200,000 wind turbines) asked numpy for tens of GB: the process then died with a
MemoryError traceback, or the machine swapped for minutes. Each job that allocates in proportion
to its input estimates its bytes first (from the sizes it is about to use, with costs per item
measured on the real code, see the callers) and calls :func:`check_memory`, which raises a
bilingual :class:`~gis.errors.InputError` naming the need, the limit and the fix.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

from gis.errors import InputError

GIB = 1024 ** 3

WORK_LIMIT_BYTES = 2 * GIB
"""Largest working memory one job may ask for (2 GiB). Engineering judgement: Lingtan runs on
Windows workstations with 8–16 GB of RAM next to other programs (a GIS, office software);
the sample park needs < 0.3 GB and a 100 km² PV array ~1 GB (docs/reliability.md)."""

AVAILABLE_SHARE = 0.8
"""Share of the physical memory still available that one job may take: the rest is left to the
operating system's file cache and the other programs (engineering judgement)."""


def available_memory_bytes() -> int | None:
    """Physical memory available now (bytes): ``MemAvailable`` of /proc/meminfo on Linux,
    ``GlobalMemoryStatusEx`` on Windows; None where it cannot be told."""
    if sys.platform.startswith("linux"):
        try:
            for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024  # the file counts in kB
        except (OSError, ValueError, IndexError):
            return None
        return None
    if os.name == "nt":
        class _Status(ctypes.Structure):
            _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                        ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                        ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                        ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                        ("ullAvailExtendedVirtual", ctypes.c_ulonglong)]

        status = _Status()
        status.dwLength = ctypes.sizeof(_Status)
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]  # Windows only
        if kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
            return int(status.ullAvailPhys)
    return None


def memory_limit_bytes() -> int:
    """The working memory a job may ask for (bytes): :data:`WORK_LIMIT_BYTES`, or less when the
    machine has less available (:data:`AVAILABLE_SHARE` of it)."""
    avail = available_memory_bytes()
    if avail is None:
        return WORK_LIMIT_BYTES
    return max(1, min(WORK_LIMIT_BYTES, int(avail * AVAILABLE_SHARE)))


def gb(n_bytes: float) -> str:
    """``n_bytes`` as GB with one decimal (two below 0.1 GB), for messages."""
    v = n_bytes / GIB
    return f"{v:,.2f}" if v < 0.1 else f"{v:,.1f}"


def check_memory(need_bytes: float, *, what_zh: str, what_en: str, fix_zh: str, fix_en: str,
                 code: str, path: str | None = None, limit_bytes: int | None = None) -> None:
    """InputError when ``need_bytes`` exceeds ``limit_bytes`` (default :func:`memory_limit_bytes`).

    what_*: the work and its size ("a DSM window of 200,000 × 200,000 pixels"); fix_*: what the
    user can do ("clip the DSM to the park")."""
    limit = memory_limit_bytes() if limit_bytes is None else int(limit_bytes)
    if need_bytes <= limit:
        return
    raise InputError(
        f"{what_zh}需要约 {gb(need_bytes)} GB 内存，超过上限 {gb(limit)} GB，已拒绝：{fix_zh}",
        f"{what_en} needs about {gb(need_bytes)} GB of memory, more than the limit of {gb(limit)} GB, "
        f"and was refused: {fix_en}", path=path, code=code)
