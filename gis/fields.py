"""Finding attribute fields by name, whatever their case, spacing or language."""

from __future__ import annotations

import re
from collections.abc import Iterable


def normalise_name(name: str) -> str:
    """Lower case without spaces, underscores, hyphens or (full-width) brackets."""
    return re.sub(r"[\s_\-()（）]", "", str(name)).lower()


def find_field(columns: Iterable, candidates: Iterable[str]) -> str | None:
    """The first column whose normalised name equals one of ``candidates`` (in their order)."""
    normed = {normalise_name(c): c for c in columns}
    for cand in candidates:
        key = normalise_name(cand)
        if key in normed:
            return normed[key]
    return None


# Longitude/latitude columns of enterprise and address tables (Chinese first; GCJ-02/WGS84 variants
# as exported by map services).
LON_NAMES = ("经度", "lon", "lng", "longitude", "long", "x坐标", "gcj02_lon", "wgs84_lon")
LAT_NAMES = ("纬度", "lat", "latitude", "y坐标", "gcj02_lat", "wgs84_lat")
