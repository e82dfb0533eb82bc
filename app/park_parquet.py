"""A park from GeoParquet layers read by view: its features come from the file, never from the view.

A :class:`~layers.parquet_source.ParquetLayer` (a city's footprints in the desktop app) holds only
the rows read for the map's view — in an overview every k-th footprint as its bounding box. A park
made of that frame silently misses buildings (or gets rectangles), and Run All then computes on them.
So when such a layer plays a park role ("Use as park layer", the New Park wizard, the New Park
algorithm with an input read by view), :func:`role_frames` reads the role's rows **from the file**:
for the roles kept inside the red line (buildings, green space, tree rows, water) the rows whose
bounding box meets the red line's extent (the bbox filter pushed down to the row groups), else the
whole file. The park's analyses (Run All) then work on every building of the file inside the red line.

More than :data:`PARK_MAX_ROWS` such rows is refused with a message in both languages naming what to
use instead: the park analyses run in one process on a frame in memory, while the rooftop PV of a
whole city runs tiled over the file (Processing → 光伏 → 屋顶光伏潜力, app/pv_cluster.py).
No Qt.
"""

from __future__ import annotations

import geopandas as gpd
import pyproj

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

PARK_MAX_ROWS = 200_000
"""Features of one role a park takes from a GeoParquet file: the number a layer draws in full
(layers.parquet_source.MAX_FEATURES). The park analyses run in one process: 200,000 buildings' rooftop
PV with neighbour shading take minutes (docs/benchmarks.md), a county's millions belong to the tiled run."""
INSIDE_ROLES = ("buildings", "green", "tree_rows", "water")
"""The roles gis.park.build_park keeps inside the red line (``inside_only``)."""
ROLE_WORDS = {"boundary": ("园区红线", "red-line"), "buildings": ("建筑", "building"),
              "green": ("绿地", "green-space"), "tree_rows": ("行道树", "tree-row"),
              "townships": ("乡镇街道", "township"), "roads": ("道路", "road"), "water": ("水体", "water")}


def by_view(layer) -> bool:
    """Whether ``layer`` is read by view (a ParquetLayer: its frame is the window, not the file)."""
    return hasattr(layer, "last_window") and hasattr(layer, "source")


def _too_many(source, role: str, n: int, in_red_line: bool, limit: int) -> InputError:
    zh_role, en_role = ROLE_WORDS.get(role, (role, role))
    where_zh, where_en = (("红线范围内有", "in the red line's extent") if in_red_line
                          else ("整个文件有", "in the file"))
    return InputError(
        f"{source.path.name}：{where_zh} {n:,} 个{zh_role}要素，超过园区分析一次可处理的 {limit:,} 个。"
        "整个文件的屋顶光伏潜力请用 处理 → 光伏 → 屋顶光伏潜力（对整个 GeoParquet 文件分块计算）；"
        "园区分析请划定较小的红线。",
        f"{source.path.name}: {n:,} {en_role} features {where_en}, more than the park analyses take at "
        f"once ({limit:,}). For the rooftop PV potential of the whole file use Processing → Solar PV → "
        "Rooftop PV potential (a tiled run over the whole GeoParquet file); for the park analyses draw "
        "a smaller red line.", path=str(source.path), code="park.parquet_too_large")


def red_line_bounds(source, red_line: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """The extent of ``red_line`` in ``source``'s CRS (the box the park's rows are read by)."""
    r = red_line
    if source.crs is not None and r.crs is not None and pyproj.CRS.from_user_input(r.crs) != source.crs:
        r = r.to_crs(source.crs)
    x0, y0, x1, y1 = (float(v) for v in r.total_bounds)
    return x0, y0, x1, y1


def file_rows(source, role: str, red_line: gpd.GeoDataFrame | None, *, limit: int | None = None,
              progress: Progress = NO_PROGRESS) -> gpd.GeoDataFrame:
    """The rows of ``source`` (a :class:`~layers.parquet_source.ParquetSource`) for park role ``role``:
    those whose bbox meets ``red_line``'s extent, or every row when ``red_line`` is None; full
    geometries and all columns (with the row key column). More than ``limit`` (default
    :data:`PARK_MAX_ROWS`) raise InputError."""
    limit = PARK_MAX_ROWS if limit is None else limit
    bounds = red_line_bounds(source, red_line) if red_line is not None else None
    n = source.count(bounds)
    if n > limit:
        raise _too_many(source, role, n, bounds is not None, limit)
    return source.window(bounds, max_features=max(n, 1), progress=progress).gdf


def role_frames(frames: dict[str, gpd.GeoDataFrame], sources: dict, *, inside_only: bool = True,
                limit: int | None = None, progress: Progress = NO_PROGRESS) -> dict[str, gpd.GeoDataFrame]:
    """``frames`` (role → frame) with every role of ``sources`` (role → ParquetSource of a layer read
    by view) read from its file by :func:`file_rows`: the red line first (whole), then the roles kept
    inside it (``inside_only``) by its extent, the others whole."""
    out = dict(frames)
    if "boundary" in sources:
        out["boundary"] = file_rows(sources["boundary"], "boundary", None, limit=limit)
    red = out.get("boundary")
    todo = [r for r in sources if r != "boundary"]
    for i, role in enumerate(todo):
        clip = red if inside_only and role in INSIDE_ROLES and red is not None and len(red) else None
        out[role] = file_rows(sources[role], role, clip, limit=limit,
                              progress=progress.sub(i / len(todo), (i + 1) / len(todo)))
    return out


def keep_file_layers(workspace, roles) -> None:
    """Before a new park replaces the workspace's park layers: a layer read by view that carries a park
    layer's name (a ``buildings.parquet`` opened as "buildings") is renamed (``buildings_file``, titled
    by its file), so that the park's own layer does not replace its frame while it follows the map."""
    taken = {ly.name for ly in workspace.tree.layers()}
    for lyr in list(workspace.tree.layers()):
        if by_view(lyr) and lyr.name in roles:
            name, i = f"{lyr.name}_file", 2
            while name in taken:
                name, i = f"{lyr.name}_file_{i}", i + 1
            taken.add(name)
            lyr.name = name
            lyr.title = lyr.source.path.name
