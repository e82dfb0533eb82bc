"""What every command-line front end shares: exit codes, the CRS help text, printing a summary.

A leaf module (imports nothing of ``app``), so the subcommand modules and the generated algorithm
commands use it without importing :mod:`app.cli`, which imports them.
"""

from __future__ import annotations

import json
import sys

EXIT_OK, EXIT_BUG, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130

CRS_HELP = ("CRS of the data when the file has none (or to override it): EPSG code (EPSG:4549), "
            "wgs84, cgcs2000, beijing1954, xian1980, a Gauss-Kruger zone such as "
            "cgcs2000-gk3-40 (3° zone 40, easting with zone prefix) or cgcs2000-gk3-cm120 "
            "(central meridian 120°E, no prefix), or gcj02 / bd09 to remove the Amap/Tencent or "
            "Baidu web-map offset (converted to WGS84). Default: from the file (.prj); lon/lat "
            "ranges without one are taken as WGS84")


def emit(args, data: dict, lines: list[str]) -> None:
    """Print ``lines`` (or ``data`` as JSON with ``--json``) on stdout."""
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(lines) + "\n")
