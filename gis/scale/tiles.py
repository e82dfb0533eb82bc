"""Split a rooftop-PV run into square tiles with halos, so that each tile can run on its own.

A tile is a cell of a regular grid in the buildings' metric CRS, ``tile_m`` on a side, its lines
on multiples of ``tile_m`` (the same grid whatever the data's extent, so tile ids stay stable
when a county is rerun with more buildings). A building belongs to the one tile (its *core*
tile) that holds the centre of its bounding box; a tower straddling a grid line is therefore computed
once, in one tile, and is in its neighbours' halos as an obstruction.

The halo is what a tile must also load so that its core buildings get exactly the shading they
get in a single-process run. It follows the rules of the engine itself
(``gis.solar.rooftop.rooftop_partition_shading`` and ``gis.solar.shading.horizon_from_footprints``):

* near: every building whose bounding box lies within ``PVSettings.shading_distance_m``
  (500 m by default) of the core buildings' extent — the engine looks that far around a roof's
  sample points for any obstruction, and overlapping footprints (building parts, duplicates)
  are inside it too, so the roof layout's ``subtract_covering_parts`` sees them;
* far: beyond that, only buildings at least ``shading_distance_m · tan 5°`` (43.7 m) high — the
  engine's far tier (``far_elevation_deg`` = 5°) keeps a tower only when it rises 5° above a
  roof beyond the near reach, i.e. ``H − z ≥ d · tan 5°`` with d > 500 m — and only as far as
  the tallest such building can still rise 5° above the ground, ``H_max / tan 5°`` (a 150 m
  tower: 1.7 km; a 632 m one: 7.2 km), capped at ``PVSettings.far_distance_m`` (7.5 km) where
  the engine stops looking.

The result is exact (the tests check 1e-9 relative; it is bitwise in practice) as long as no
building rises more than ``far_distance_m · tan 5°`` = 656 m above a roof: beyond that the
single-process run itself depends on how it cuts its partitions. Every tile also uses the
whole run's extent for the site latitude and for the shading's float32 origin
(``rooftop.shading_origin_xy``), so its arithmetic is the same as the whole run's.

Tiles are listed in Hilbert-curve order of their cells: consecutive tiles are neighbours, so a
worker reading tiles in turn from a GeoParquet file sorted the same way reads neighbouring row
groups and its halos overlap the previous tile's (page cache), and the first tiles finished form
a compact area on a map.
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError, Problem
from gis.solar.rooftop import PVSettings, shading_origin_xy
from gis.solar.shading import horizon_from_footprints

FAR_ELEVATION_DEG: float = float(
    inspect.signature(horizon_from_footprints).parameters["far_elevation_deg"].default)
"""deg: the engine's far-tier least elevation (horizon_from_footprints' default, 5°; the same
5° is hard-coded in rooftop_partition_shading's tall-tower prefilter). Read from the engine so
that the halo follows it if it changes."""

TILE_M_DEFAULT: float | None = None
"""Default tile side: None = chosen from the data (:func:`auto_tile_m`)."""

TILE_M_MIN, TILE_M_MAX = 2_000.0, 16_000.0
"""m: the range :func:`auto_tile_m` chooses in (whole kilometres)."""
TILE_TARGET_BUILDINGS = 30_000
"""Core buildings a tile of :func:`auto_tile_m` holds in the built-up area. A tile pays its halo
(the 500 m ring and the far towers, read and laid into the shading's trees) and a fixed cost per
tile; on 1M synthetic footprints (~280 buildings/km², benchmarks/bench_scale_cluster.py, 2 workers)
4 km tiles (~4,400 buildings, 1.79 buildings loaded per core building) took 110 s, 8 km 80 s and
12 km (~40,000 buildings, 1.23 loaded per core) 74 s, at 0.8–1.1 GB per worker: ~30,000 buildings
keep most of the gain at about 1 GB per worker."""
TILE_MIN_TILES = 16
"""Tiles :func:`auto_tile_m` aims to leave at least (smaller tiles when the data is small), so that
the workers of a cluster share the work evenly."""
BASE_CELL_M = 1_000.0
"""m: the planning grid the automatic tile side is chosen on (tiles are whole multiples of it)."""


def auto_tile_m(cells: pd.DataFrame) -> float:
    """Tile side (m, a multiple of :data:`BASE_CELL_M`) from a table of the occupied 1 km cells
    (``n_core`` per cell; :func:`cell_stats` at :data:`BASE_CELL_M`): about
    :data:`TILE_TARGET_BUILDINGS` core buildings per tile at the built-up density (buildings per
    occupied km², so a province's empty hills do not make its city tiles huge), at least
    :data:`TILE_MIN_TILES` tiles where the data allows, within :data:`TILE_M_MIN`–:data:`TILE_M_MAX`."""
    occupied = max(len(cells), 1)
    density = float(cells["n_core"].sum()) / occupied  # buildings per occupied km²
    k = round(math.sqrt(TILE_TARGET_BUILDINGS / max(density, 1e-9)))
    k = min(k, int(math.sqrt(occupied / TILE_MIN_TILES)))  # enough tiles to share
    k_min, k_max = int(TILE_M_MIN // BASE_CELL_M), int(TILE_M_MAX // BASE_CELL_M)
    return float(min(max(k, k_min), k_max) * BASE_CELL_M)


def coarsen_cells(cells: pd.DataFrame, base_x0: float, base_y0: float, tile_m: float, grid_x0: float,
                  grid_y0: float) -> pd.DataFrame:
    """A cell table of the :data:`BASE_CELL_M` grid (origin ``base_x0, base_y0``) as one of the
    ``tile_m`` grid (origin ``grid_x0, grid_y0``; both grids on multiples of their sides, and
    ``tile_m`` a multiple of the base, so each base cell lies in exactly one tile)."""
    x = base_x0 + cells["col"].to_numpy() * BASE_CELL_M + BASE_CELL_M / 2
    y = base_y0 + cells["row"].to_numpy() * BASE_CELL_M + BASE_CELL_M / 2
    row, col = core_cells(x, y, tile_m, grid_x0, grid_y0)
    return merge_cells([cells.assign(row=row, col=col)])


@dataclass(frozen=True)
class TilePlan:
    """Tiles of one run.

    tiles: one row per non-empty tile in Hilbert order: ``tile_id`` (str ``r{row}c{col}``), ``row``,
        ``col``, the cell ``x0, y0, x1, y1`` (m), ``n_core`` (buildings whose core tile it is) and
        the core buildings' extent ``ex0, ey0, ex1, ey1`` (m; footprints can reach out of the cell).
    tile_of_building: tile id of each input row (aligned to the planned frame; empty for a plan
        made from a file in batches, whose tiles find their core rows themselves).
    crs: the metric CRS (WKT or EPSG string) the grid is in; tile_m: the side (m).
    halo_m: near halo (m): all buildings within it of a tile's core extent are loaded.
    far_halo_m: far halo (m): buildings at least ``tall_min_m`` high within it are loaded too.
    run_bounds: the whole run's extent (x0, y0, x1, y1, m): site latitude and shading origin.
    grid_x0, grid_y0: the grid's lower-left corner (m, multiples of tile_m).
    problems: notes (a halo narrower than the engine's reach).
    """

    tiles: pd.DataFrame
    tile_of_building: np.ndarray
    crs: str
    tile_m: float
    halo_m: float
    far_halo_m: float
    tall_min_m: float
    run_bounds: tuple[float, float, float, float]
    grid_x0: float
    grid_y0: float
    problems: tuple[Problem, ...] = ()

    @property
    def origin_xy(self) -> tuple[float, float]:
        """The shading's float32 origin for every tile of this run (m)."""
        return shading_origin_xy(self.run_bounds)

    def tile(self, tile_id: str) -> pd.Series:
        """The row of ``tiles`` for ``tile_id``."""
        hit = self.tiles.loc[self.tiles["tile_id"] == tile_id]
        if hit.empty:
            raise KeyError(tile_id)
        return hit.iloc[0]

    def cell_box(self, tile_id: str) -> tuple[float, float, float, float]:
        """The tile's grid cell (m): a building is core here when its bounding box's centre is in
        ``[x0, x1) × [y0, y1)``."""
        t = self.tile(tile_id)
        return float(t.x0), float(t.y0), float(t.x1), float(t.y1)

    def halo_box(self, tile_id: str) -> tuple[float, float, float, float]:
        """Core extent grown by the near halo (m): load every building whose bbox meets it."""
        return _grow(self.tile(tile_id), self.halo_m)

    def far_box(self, tile_id: str) -> tuple[float, float, float, float] | None:
        """Core extent grown by the far halo (m): load buildings ≥ ``tall_min_m`` whose bbox meets
        it (None: no building is that tall)."""
        if self.far_halo_m <= self.halo_m:
            return None
        return _grow(self.tile(tile_id), self.far_halo_m)

    def to_dict(self) -> dict:
        """JSON-ready description (for the tile store's manifest)."""
        return {"crs": self.crs, "tile_m": self.tile_m, "halo_m": self.halo_m,
                "far_halo_m": self.far_halo_m, "tall_min_m": self.tall_min_m,
                "run_bounds": list(self.run_bounds), "grid_x0": self.grid_x0, "grid_y0": self.grid_y0,
                "tiles": len(self.tiles), "buildings": int(self.tiles["n_core"].sum())}


def _grow(t: pd.Series, d: float) -> tuple[float, float, float, float]:
    return float(t.ex0) - d, float(t.ey0) - d, float(t.ex1) + d, float(t.ey1) + d


def halo_rule(settings: PVSettings, max_height_m: float) -> tuple[float, float, float]:
    """(near halo m, far halo m, least far height m) that reproduce the engine's search.

    near = ``shading_distance_m``; least far height = ``shading_distance_m · tan 5°`` (a building
    lower than that cannot rise 5° above a ground-level roof beyond the near reach); far =
    ``min(far_distance_m, max_height_m / tan 5°)`` when some building is that tall, else the
    near halo. With shading off only overlapping footprints matter: both halos are 0.
    """
    if not settings.shading:
        return 0.0, 0.0, math.inf
    tan_far = math.tan(math.radians(FAR_ELEVATION_DEG))
    near = float(settings.shading_distance_m)
    tall_min = near * tan_far
    h = float(max_height_m) if np.isfinite(max_height_m) else 0.0
    far = min(float(settings.far_distance_m), h / tan_far) if h >= tall_min else near
    return near, max(far, near), tall_min


def check_tile_m(tile_m: float | None) -> None:
    """A tile side given by the user must be a positive number of metres (None: automatic)."""
    if tile_m is not None and not (isinstance(tile_m, (int, float)) and math.isfinite(tile_m)
                                   and tile_m > 0):
        raise InputError(f"分块边长应大于 0（现为 {tile_m} 米）",
                         f"The tile side must be > 0 m (got {tile_m})",
                         code="scale.tile_m")


def core_cells(points_x: np.ndarray, points_y: np.ndarray, tile_m: float, grid_x0: float, grid_y0: float
               ) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of the grid cell holding each point (m): ``floor((v − origin) / tile_m)``."""
    col = np.floor((np.asarray(points_x, float) - grid_x0) / tile_m).astype(np.int64)
    row = np.floor((np.asarray(points_y, float) - grid_y0) / tile_m).astype(np.int64)
    return row, col


def tile_ids(row: np.ndarray, col: np.ndarray) -> np.ndarray:
    """Tile ids ``r{row:05d}c{col:05d}`` (sortable, safe in file names)."""
    return np.char.add(np.char.add("r", np.char.zfill(row.astype(str), 5)),
                       np.char.add("c", np.char.zfill(col.astype(str), 5))).astype(object)


def representative_xy(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x, y (m) of the point that decides each footprint's core tile: the centre of its bounding
    box (NaN when empty). Any point fixed by the footprint alone would do — the halos follow the
    core buildings' own extents — and this one costs nothing beyond the bounds (GEOS's
    ``point_on_surface`` cost ~3 µs per building, in the plan and again in every tile).
    ``geoms``: the footprints, or their n × 4 float bounds already computed (the plan's reading
    of a GeoParquet's bbox covering column)."""
    geoms = np.asarray(geoms)
    b = geoms if geoms.dtype.kind == "f" and geoms.ndim == 2 else shapely.bounds(geoms)
    return (b[:, 0] + b[:, 2]) / 2.0, (b[:, 1] + b[:, 3]) / 2.0


def plan_tiles(buildings: gpd.GeoDataFrame, *, tile_m: float | None = TILE_M_DEFAULT,
               halo_m: float | None = None, settings: PVSettings | None = None) -> TilePlan:
    """Tiles of ``buildings`` (metric projected CRS) with halos derived from ``settings``.

    tile_m: tile side (m; None: :func:`auto_tile_m`); halo_m: near halo (m) instead of the
    engine's shading distance (a narrower one is allowed but noted: results at tile edges then
    differ from a single run).
    """
    s = settings or PVSettings()
    if buildings.crs is None or not buildings.crs.is_projected:
        raise InputError("分块计算需要投影坐标系（米）的建筑图层",
                         "Tiling needs the buildings in a projected (metric) CRS", code="scale.crs")
    check_tile_m(tile_m)
    if len(buildings) == 0:
        raise InputError("建筑图层为空", "The buildings layer is empty", code="pv.no_buildings")
    geoms = np.asarray(buildings.geometry.array)
    bounds = shapely.bounds(geoms)
    ok = np.isfinite(bounds).all(axis=1)
    run_bounds = (float(np.min(bounds[ok, 0])), float(np.min(bounds[ok, 1])),
                  float(np.max(bounds[ok, 2])), float(np.max(bounds[ok, 3])))
    heights = buildings["height_m"].to_numpy(float) if "height_m" in buildings \
        else np.full(len(geoms), np.nan)
    h_max = float(np.nanmax(heights)) if np.isfinite(heights).any() else 0.0
    x, y = representative_xy(geoms)
    # empty geometries: put them in the tile of the run's lower-left corner (they get no PV)
    x = np.where(np.isfinite(x), x, run_bounds[0])
    y = np.where(np.isfinite(y), y, run_bounds[1])
    bounds = np.where(np.isfinite(bounds), bounds, np.c_[x, y, x, y])
    return _plan(x, y, bounds, h_max, run_bounds, buildings.crs.to_string(), tile_m, halo_m, s)


def plan_from_arrays(x: np.ndarray, y: np.ndarray, bounds: np.ndarray, max_height_m: float,
                     crs: str, *, tile_m: float | None = TILE_M_DEFAULT, halo_m: float | None = None,
                     settings: PVSettings | None = None) -> TilePlan:
    """:func:`plan_tiles` from representative points (m), footprint bounds ((n, 4), m) and the
    tallest height (m)."""
    b = np.asarray(bounds, float)
    run_bounds = (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max()))
    return _plan(np.asarray(x, float), np.asarray(y, float), b, max_height_m, run_bounds, crs, tile_m,
                 halo_m, settings or PVSettings())


def grid_origin(run_bounds, tile_m: float) -> tuple[float, float]:
    """The grid's lower-left corner (m): the run's, rounded down to a multiple of ``tile_m``."""
    return math.floor(run_bounds[0] / tile_m) * tile_m, math.floor(run_bounds[1] / tile_m) * tile_m


def cell_stats(x: np.ndarray, y: np.ndarray, bounds: np.ndarray, tile_m: float, grid_x0: float,
               grid_y0: float) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Per occupied cell (row, col): its buildings' extent ``ex0, ey0, ex1, ey1`` (m) and count
    ``n_core``; and each building's row and col. A batch's table can be merged with others'
    (:func:`merge_cells`), so a plan needs memory per tile, not per building."""
    row, col = core_cells(x, y, tile_m, grid_x0, grid_y0)
    key = pd.DataFrame({"row": row, "col": col, "ex0": bounds[:, 0], "ey0": bounds[:, 1],
                        "ex1": bounds[:, 2], "ey1": bounds[:, 3]})
    cells = key.groupby(["row", "col"], sort=True).agg(
        ex0=("ex0", "min"), ey0=("ey0", "min"), ex1=("ex1", "max"), ey1=("ey1", "max"),
        n_core=("ex0", "size")).reset_index()
    return cells, row, col


def merge_cells(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Cell tables of several batches as one (extents merged, counts added)."""
    return pd.concat(tables).groupby(["row", "col"], sort=True).agg(
        ex0=("ex0", "min"), ey0=("ey0", "min"), ex1=("ex1", "max"), ey1=("ey1", "max"),
        n_core=("n_core", "sum")).reset_index()


def _halos(s: PVSettings, h_max: float, halo_m: float | None) -> tuple[float, float, float, list[Problem]]:
    near, far, tall_min = halo_rule(s, h_max)
    problems: list[Problem] = []
    if halo_m is not None:
        if s.shading and halo_m < near:
            problems.append(Problem(
                "warning", "scale.halo_narrow",
                f"分块缓冲区 {halo_m:g} 米小于遮挡搜索距离 {near:g} 米：分块边缘建筑的遮挡损失会偏小",
                f"The tile halo ({halo_m:g} m) is narrower than the shading search distance ({near:g} m): "
                "buildings near tile edges will miss some shading"))
        near = float(halo_m)
        far = max(far, near)
    return near, far, tall_min, problems


def plan_from_cells(cells: pd.DataFrame, max_height_m: float, run_bounds, crs: str, *, tile_m: float,
                    halo_m: float | None = None, settings: PVSettings | None = None,
                    tile_of_building: np.ndarray | None = None) -> TilePlan:
    """A plan from a cell table (:func:`cell_stats` / :func:`merge_cells`, on the grid of
    :func:`grid_origin`), the tallest height (m) and the run's extent. ``tile_of_building``: each
    row's tile when the rows are in memory (else empty: a tile finds its core rows itself)."""
    s = settings or PVSettings()
    near, far, tall_min, problems = _halos(s, max_height_m, halo_m)
    gx0, gy0 = grid_origin(run_bounds, tile_m)
    tiles = cells.copy()
    tiles["x0"] = gx0 + tiles["col"] * tile_m
    tiles["y0"] = gy0 + tiles["row"] * tile_m
    tiles["x1"] = tiles["x0"] + tile_m
    tiles["y1"] = tiles["y0"] + tile_m
    tiles["tile_id"] = tile_ids(tiles["row"].to_numpy(), tiles["col"].to_numpy())
    if len(tiles) > 1:  # Hilbert order of the cells (see the module docstring)
        centres = gpd.GeoSeries(shapely.points((tiles["x0"] + tile_m / 2).to_numpy(),
                                               (tiles["y0"] + tile_m / 2).to_numpy()))
        tiles = tiles.iloc[np.argsort(centres.hilbert_distance().to_numpy(), kind="stable")]
    tiles = tiles[["tile_id", "row", "col", "x0", "y0", "x1", "y1", "n_core", "ex0", "ey0", "ex1", "ey1"]]
    return TilePlan(tiles=tiles.reset_index(drop=True),
                    tile_of_building=np.zeros(0, object) if tile_of_building is None else tile_of_building,
                    crs=crs, tile_m=float(tile_m), halo_m=near, far_halo_m=far, tall_min_m=tall_min,
                    run_bounds=(float(run_bounds[0]), float(run_bounds[1]), float(run_bounds[2]),
                                float(run_bounds[3])), grid_x0=float(gx0), grid_y0=float(gy0),
                    problems=tuple(problems))


def _plan(x, y, bounds, h_max, run_bounds, crs, tile_m, halo_m, s: PVSettings) -> TilePlan:
    if tile_m is None:
        bx0, by0 = grid_origin(run_bounds, BASE_CELL_M)
        tile_m = auto_tile_m(cell_stats(x, y, bounds, BASE_CELL_M, bx0, by0)[0])
    gx0, gy0 = grid_origin(run_bounds, tile_m)
    cells, row, col = cell_stats(x, y, bounds, tile_m, gx0, gy0)
    return plan_from_cells(cells, h_max, run_bounds, crs, tile_m=tile_m, halo_m=halo_m, settings=s,
                           tile_of_building=tile_ids(row, col))


def core_rows_by_tile(plan: TilePlan) -> dict[str, np.ndarray]:
    """Row positions of each tile's core buildings (ascending), from ``tile_of_building`` in one
    sort instead of one scan of all rows per tile."""
    codes, ids = pd.factorize(pd.Series(plan.tile_of_building, dtype=object))
    order = np.argsort(codes, kind="stable")
    cuts = np.searchsorted(codes[order], np.arange(len(ids) + 1))
    return {str(ids[k]): order[cuts[k]:cuts[k + 1]] for k in range(len(ids))}


def tile_members(plan: TilePlan, tile_id: str, geoms: np.ndarray, heights_m: np.ndarray,
                 tree: shapely.STRtree | None = None, core_rows: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(rows, core) of one tile in an in-memory frame: row positions (ascending, so the input's
    order is kept) of the core and halo buildings, and which of them are core.

    geoms, heights_m: the planned frame's footprints and heights; tree: an STRtree of ``geoms``
    (built once per run; made here when None); core_rows: the tile's core rows when known
    (:func:`core_rows_by_tile`).
    """
    tree = tree if tree is not None else shapely.STRtree(geoms)
    near = tree.query(shapely.box(*plan.halo_box(tile_id)))
    core = np.flatnonzero(plan.tile_of_building == tile_id) if core_rows is None else core_rows
    rows = np.union1d(near, core)
    fb = plan.far_box(tile_id)
    if fb is not None:
        far = tree.query(shapely.box(*fb))
        far = far[np.asarray(heights_m, float)[far] >= plan.tall_min_m]
        rows = np.union1d(rows, far)
    return rows, np.isin(rows, core)
