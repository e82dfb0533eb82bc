"""Geometry clean-up for user data: drop empties, flatten Z, repair invalid polygons (vectorised)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from gis.errors import Problem

_POLY_TYPES = {"Polygon", "MultiPolygon"}


def _polygonal_part(geom):
    """Polygons kept from a make_valid result (drops stray lines/points of collapsed rings)."""
    if geom is None or geom.geom_type in _POLY_TYPES:
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in _POLY_TYPES]
    if not parts:
        return shapely.Polygon()
    return shapely.MultiPolygon(
        [p for g in parts for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])]
    ) if len(parts) > 1 else parts[0]


def clean_geometries(gdf: gpd.GeoDataFrame, ids: np.ndarray | None = None
                     ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Return a cleaned copy and the problems found, each naming feature ids.

    - features without geometry or with empty geometry are dropped (reported);
    - Z/M coordinates are dropped (2D analysis; reported as info);
    - invalid geometries are repaired with ``shapely.make_valid``; polygons stay polygons
      (line/point debris of collapsed rings is discarded); repairs that leave nothing are dropped.
    ids: labels to name features by (default: the frame's index, i.e. source FID).
    """
    problems: list[Problem] = []
    gdf = gdf.copy()
    if ids is None:
        ids = gdf.index.to_numpy()
    geoms = gdf.geometry.array
    missing = gdf.geometry.isna().to_numpy() | shapely.is_empty(np.asarray(geoms))
    if missing.any():
        problems.append(Problem(
            "warning", "geometry.empty",
            f"{int(missing.sum())} 个要素没有几何图形，已跳过",
            f"{int(missing.sum())} feature(s) have no geometry and were skipped",
            list(ids[missing])))
        gdf = gdf.loc[~missing]
        ids = ids[~missing]
    if len(gdf) == 0:
        return gdf, problems
    values = np.asarray(gdf.geometry.array)
    has_z = shapely.has_z(values)
    if has_z.any():
        values = shapely.force_2d(values)
        problems.append(Problem(
            "info", "geometry.z_dropped",
            f"{int(has_z.sum())} 个要素含高程(Z)坐标，二维分析中已忽略",
            f"{int(has_z.sum())} feature(s) had Z coordinates, dropped for 2D analysis", []))
    invalid = ~shapely.is_valid(values)
    if invalid.any():
        reasons = shapely.is_valid_reason(values[invalid])
        fixed = shapely.make_valid(values[invalid])
        was_poly = np.isin(shapely.get_type_id(values[invalid]), [3, 6])
        fixed = np.array([_polygonal_part(g) if p else g for g, p in zip(fixed, was_poly,
                                                                           strict=True)],
                         dtype=object)
        values[invalid] = fixed
        first = str(reasons[0]) if len(reasons) else ""
        problems.append(Problem(
            "warning", "geometry.repaired",
            f"{int(invalid.sum())} 个要素几何无效（如自相交），已自动修复（例：{first}）",
            f"{int(invalid.sum())} invalid geometrie(s) (e.g. self-intersection) repaired "
            f"with make_valid (e.g. {first})",
            list(ids[invalid])))
        emptied = shapely.is_empty(values)
        if emptied.any():
            problems.append(Problem(
                "warning", "geometry.degenerate",
                f"{int(emptied.sum())} 个要素修复后面积为零（退化多边形），已跳过",
                f"{int(emptied.sum())} feature(s) collapsed to nothing when repaired "
                "(degenerate polygons) and were skipped",
                list(ids[emptied])))
            keep = ~emptied
            values = values[keep]
            gdf = gdf.loc[keep]
    gdf = gdf.set_geometry(gpd.GeoSeries(values, index=gdf.index, crs=gdf.crs))
    return gdf, problems


def geometry_type_counts(gdf: gpd.GeoDataFrame) -> dict[str, int]:
    """{'Polygon': 12, 'MultiPolygon': 1, ...} for the frame's geometries."""
    if len(gdf) == 0:
        return {}
    return {str(k): int(v) for k, v in gdf.geometry.geom_type.value_counts().items()}


def explode_multipolygons(gdf: gpd.GeoDataFrame, ids: np.ndarray | None = None
                          ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Split multipolygons into one row per part (for footprints: each part is a roof).

    Adds ``source_fid`` (the original row label) and ``part`` (0-based part number).
    """
    problems: list[Problem] = []
    multi = (gdf.geometry.geom_type == "MultiPolygon").to_numpy()
    out = gdf.copy()
    out["source_fid"] = gdf.index if ids is None else ids
    if not multi.any():
        out["part"] = 0
        return out, problems
    out = out.explode(index_parts=True)
    out["part"] = out.index.get_level_values(-1)
    out = out.reset_index(drop=True)
    problems.append(Problem(
        "info", "geometry.exploded",
        f"{int(multi.sum())} 个多部件面已拆分为 {len(out) - len(gdf) + int(multi.sum())} 个单面",
        f"{int(multi.sum())} multipart polygon(s) split into "
        f"{len(out) - len(gdf) + int(multi.sum())} single parts",
        list((gdf.index if ids is None else ids)[multi])))
    return out, problems


OVERLAP_SHARE = 0.5
"""A footprint is a part of another when more than half of its area lies inside a larger one: OSM
maps a tower as an outline plus ``building:part`` pieces on top of it, and counting both would
count the roof twice. Half is well above what neighbours sharing a wall overlap (a digitising
sliver of a few per cent)."""


def overlapping_parts(geoms: np.ndarray, min_share: float = OVERLAP_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """Positions of polygons lying more than ``min_share`` of their area inside a larger polygon
    of the same array, and the position of that larger polygon (the first found), as two int
    arrays. Vectorised: an STRtree query, then one intersection per candidate pair."""
    geoms = np.asarray(geoms)
    if len(geoms) < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    area = shapely.area(geoms)
    # the smaller of each pair is the candidate part; equal areas: the later one (duplicates)
    smaller = (area[left] < area[right]) | ((area[left] == area[right]) & (left > right))
    part, parent = left[smaller], right[smaller]
    if len(part) == 0:
        return part.astype(np.int64), parent.astype(np.int64)
    shared = shapely.area(shapely.intersection(geoms[part], geoms[parent]))
    inside = shared > min_share * area[part]
    part, parent = part[inside], parent[inside]
    first = np.unique(part, return_index=True)[1]
    return part[first].astype(np.int64), parent[first].astype(np.int64)
