"""Run the rooftop engine tile by tile: one tile's job, and a serial run that resumes.

A :class:`TileJob` holds everything one tile needs and nothing of the others (picklable: Dask
ships it to a worker). :func:`process_tile` loads the tile's core and halo buildings, runs
``gis.solar.rooftop.rooftop_pv`` on them with shading computed for the core only and the whole
run's extent for latitude and shading origin, keeps the core rows and writes them to the tile
store atomically. :func:`run_tiled` does that for every tile in turn, skipping tiles already in
the store, so a run stopped (cancel, crash, power cut) continues where it was.

Shared per-run work: the orientation-class table (weather → hourly kWh/kWp per tilt/azimuth
class, ``YieldTable``) is built once per process and run (kept under the run key), not per tile:
a new class costs ~10 ms and a tile meets dozens of them; the sun positions (~40 ms) likewise.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress
from gis.scale.geoparquet import ROW_COLUMN, parquet_files, plan_parquet, read_tile_frame
from gis.scale.store import TileStore, run_key
from gis.scale.tiles import (
    TILE_M_DEFAULT,
    TilePlan,
    core_cells,
    core_rows_by_tile,
    plan_tiles,
    representative_xy,
    tile_members,
)
from gis.solar.energy import YieldTable
from gis.solar.rooftop import PVSettings, rooftop_pv
from gis.solar.weather_types import Weather

TILE_COLUMN = "tile_id"
"""Column of the stored rows naming their core tile."""

_YIELDS: dict[tuple[str, int], YieldTable] = {}
"""This process's orientation-class tables of the current run, one per thread (a YieldTable adds
classes to a dict as it meets them: threads of a threaded Dask worker must not share one)."""


@dataclass(frozen=True)
class TileJob:
    """One tile's work.

    tile_id, row, col: the tile and its grid cell; tile_m, grid_x0, grid_y0: the grid (m), so
    that core membership is decided exactly as in the plan (representative point in the cell).
    halo_box, far_box: (x0, y0, x1, y1, m) of the near and far halos (far_box None: no far
    halo); tall_min_m: least height of far-halo buildings. source: GeoParquet file or dataset
    directory, or None when ``frame`` (this tile's core + halo buildings) is given.
    weather, settings: the run's. run_bounds: the whole run's extent (m). out_dir: the tile
    store. key: the run key (tile store manifest, per-process yield table). n_core: the plan's
    count of the tile's core buildings (its expected cost: a cluster starts the largest first).
    """

    tile_id: str
    row: int
    col: int
    tile_m: float
    grid_x0: float
    grid_y0: float
    halo_box: tuple[float, float, float, float]
    far_box: tuple[float, float, float, float] | None
    tall_min_m: float
    weather: Weather
    settings: PVSettings
    run_bounds: tuple[float, float, float, float]
    out_dir: str
    key: str
    source: str | None = None
    frame: gpd.GeoDataFrame | None = None
    n_core: int = 0


@dataclass
class TiledResult:
    """What a tiled run did: the plan, the store holding the rows, the per-tile summaries of the
    tiles computed now, those skipped as already done, wall time (s), problems and whether
    shading was on."""

    plan: TilePlan
    store: TileStore
    summaries: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    shading: bool = True

    def buildings(self) -> gpd.GeoDataFrame:
        """Every building's row (input columns + ``rooftop.RESULT_COLUMNS`` + ``tile_id``), in the
        input's order when the input carried :data:`~gis.scale.geoparquet.ROW_COLUMN` or was a frame."""
        out = self.store.read_all()
        if ROW_COLUMN in out:
            out = out.sort_values(ROW_COLUMN, kind="stable").reset_index(drop=True)
        return out

    def totals(self) -> dict:
        """Run totals from the stored rows (numbers only; reads six columns): buildings,
        buildings_with_pv, roof_m2, usable_m2, kwp, mwp, kwh_yr, gwh_yr, kwh_per_kwp,
        shade_unknown_buildings (with PV but no height: counted unshaded), t_co2_yr."""
        cols = ["roof_m2", "usable_m2", "kwp", "kwh_yr", "shade_loss_pct", "t_co2_yr"]
        r = self.store.read_all(columns=cols)
        if r.empty:
            return {"buildings": 0}
        kwp, kwh = float(r["kwp"].sum()), float(r["kwh_yr"].sum())
        with_pv = r["kwp"] > 0
        return {"buildings": len(r), "buildings_with_pv": int(with_pv.sum()),
                "roof_m2": round(float(r["roof_m2"].sum()), 1),
                "usable_m2": round(float(r["usable_m2"].sum()), 1),
                "kwp": round(kwp, 1), "mwp": round(kwp / 1000.0, 3), "kwh_yr": round(kwh, 0),
                "gwh_yr": round(kwh / 1e6, 4), "kwh_per_kwp": round(kwh / kwp, 1) if kwp else 0.0,
                "shade_unknown_buildings": int((r["shade_loss_pct"].isna() & with_pv).sum())
                if self.shading else 0,
                "t_co2_yr": round(float(r["t_co2_yr"].sum()), 1)}


def core_mask(frame: gpd.GeoDataFrame, job: TileJob) -> np.ndarray:
    """Which rows of a tile's frame are its core buildings (the plan's own rule)."""
    x, y = representative_xy(np.asarray(frame.geometry.array))
    # empty footprints: the run's lower-left corner, as the plan puts them (tiles.plan_tiles)
    x = np.where(np.isfinite(x), x, job.run_bounds[0])
    y = np.where(np.isfinite(y), y, job.run_bounds[1])
    row, col = core_cells(x, y, job.tile_m, job.grid_x0, job.grid_y0)
    return (row == job.row) & (col == job.col)


def _yields(job: TileJob) -> YieldTable:
    k = (job.key, threading.get_ident())
    table = _YIELDS.get(k)
    if table is None:
        for old in [o for o in list(_YIELDS) if o[0] != job.key]:  # another run's: drop
            _YIELDS.pop(old, None)
        table = _YIELDS[k] = YieldTable(job.weather, job.settings.system)
    return table


def process_tile(job: TileJob, progress: Progress = NO_PROGRESS) -> dict:
    """Compute one tile and write its core rows to the store; returns ``{tile_id, n (buildings),
    kwp, kwh_yr, seconds, load_s, loaded (core + halo rows), problems (list of dicts)}``."""
    t0 = time.perf_counter()
    frame = job.frame if job.frame is not None else read_tile_frame(
        job.source, job.halo_box, job.far_box, job.tall_min_m)
    t_load = time.perf_counter() - t0
    frame = frame.reset_index(drop=True)  # index = position: the engine returns a subset of rows
    core = core_mask(frame, job)
    problems: list[dict] = []
    if core.any():
        r = rooftop_pv(frame, job.weather, job.settings, progress, assess=core, run_bounds=job.run_bounds,
                       yields=_yields(job))
        out = r.buildings.loc[r.buildings.index.isin(np.flatnonzero(core))].copy()
        problems = [p.to_dict() for p in r.problems]
    else:  # the plan saw buildings here that the file no longer has: an empty tile, still "done"
        out = frame.iloc[0:0].copy()
    out[TILE_COLUMN] = job.tile_id
    TileStore(job.out_dir).write(job.tile_id, out)
    return {"tile_id": job.tile_id, "n": int(core.sum()), "loaded": len(frame),
            "kwp": float(out["kwp"].sum()) if "kwp" in out else 0.0,
            "kwh_yr": float(out["kwh_yr"].sum()) if "kwh_yr" in out else 0.0,
            "seconds": time.perf_counter() - t0, "load_s": t_load, "problems": problems}


def weather_fingerprint(weather: Weather) -> str:
    """A hash of the weather's values and place (for the run key)."""
    import hashlib

    h = hashlib.sha256(np.ascontiguousarray(weather.data.to_numpy(float)).tobytes())
    place = (weather.latitude, weather.longitude, weather.altitude_m, str(weather.data.index[0]))
    h.update(repr(place).encode())
    return h.hexdigest()[:16]


def _input_identity(source) -> object:
    if isinstance(source, gpd.GeoDataFrame):
        import hashlib

        wkb = shapely.to_wkb(np.asarray(source.geometry.array))
        wkb[pd.isna(wkb)] = b""
        h = hashlib.sha256(b"".join(wkb))  # one C-level join: ~0.3 s per million footprints
        h.update(pd.util.hash_pandas_object(source.drop(columns=source.geometry.name), index=False)
                 .to_numpy().tobytes())
        return {"frame": h.hexdigest()[:16], "rows": len(source)}
    return [(str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in parquet_files(source)]


@dataclass
class PreparedRun:
    """A planned run with its store opened: ``jobs()`` makes the tile jobs one at a time (a
    frame's jobs each carry a copy of their core + halo rows, ~2–3 × the core: made lazily so a
    serial run holds one tile's copy at a time)."""

    plan: TilePlan
    store: TileStore
    problems: list[Problem]
    key: str
    weather: Weather
    settings: PVSettings
    frame: gpd.GeoDataFrame | None
    source: str | None

    def jobs(self, skip: set[str] | frozenset[str] = frozenset()) -> Iterator[TileJob]:
        """The jobs of the tiles not in ``skip``, in plan (Hilbert) order."""
        plan, frame = self.plan, self.frame
        if frame is not None:
            geoms = np.asarray(frame.geometry.array)
            heights = frame["height_m"].to_numpy(float) if "height_m" in frame \
                else np.full(len(frame), np.nan)
            tree = shapely.STRtree(geoms)
            cores = core_rows_by_tile(plan)
        for t in plan.tiles.itertuples(index=False):
            if t.tile_id in skip:
                continue
            sub = None
            if frame is not None:
                rows, _ = tile_members(plan, t.tile_id, geoms, heights, tree, cores[t.tile_id])
                sub = frame.iloc[rows]
            yield TileJob(tile_id=t.tile_id, row=int(t.row), col=int(t.col), tile_m=plan.tile_m,
                          grid_x0=plan.grid_x0, grid_y0=plan.grid_y0, halo_box=plan.halo_box(t.tile_id),
                          far_box=plan.far_box(t.tile_id), tall_min_m=plan.tall_min_m, weather=self.weather,
                          settings=self.settings, run_bounds=plan.run_bounds, out_dir=str(self.store.root),
                          key=self.key, source=self.source, frame=sub, n_core=int(t.n_core))


def prepare_run(source: gpd.GeoDataFrame | str | Path, weather: Weather, settings: PVSettings | None = None,
                *, tile_m: float | None = TILE_M_DEFAULT, out_dir: str | Path, halo_m: float | None = None
                ) -> PreparedRun:
    """Plan the tiles of ``source`` (a GeoDataFrame in a metric CRS, or a GeoParquet file/dataset)
    and open the tile store in ``out_dir`` for this run (a store of another run is emptied)."""
    s = settings or PVSettings()
    if isinstance(source, gpd.GeoDataFrame):
        frame = source if ROW_COLUMN in source else source.assign(**{ROW_COLUMN: np.arange(len(source))})
        plan = plan_tiles(frame, tile_m=tile_m, halo_m=halo_m, settings=s)
        src: str | None = None
    else:
        frame = None
        plan = plan_parquet(source, tile_m=tile_m, settings=s, halo_m=halo_m)
        src = str(source)
    key = run_key(s, weather_fingerprint(weather), plan.to_dict(), _input_identity(source))
    store = TileStore(out_dir)
    problems = list(plan.problems) + store.open(key, {"plan": plan.to_dict(), "settings": s,
                                                      "weather": weather.source})
    return PreparedRun(plan, store, problems, key, weather, s, frame, src)


def plan_jobs(source: gpd.GeoDataFrame | str | Path, weather: Weather, settings: PVSettings | None = None,
              *, tile_m: float | None = TILE_M_DEFAULT, out_dir: str | Path, halo_m: float | None = None
              ) -> tuple[TilePlan, list[TileJob], TileStore, list[Problem]]:
    """:func:`prepare_run` and all its jobs in a list (plan order): (plan, jobs, store,
    problems); the store's ``done_ids()`` are the tiles a rerun can skip. A frame's jobs carry
    their own core + halo rows (and :data:`ROW_COLUMN`); a file's jobs carry the path and read
    their rows themselves."""
    run = prepare_run(source, weather, settings, tile_m=tile_m, out_dir=out_dir, halo_m=halo_m)
    return run.plan, list(run.jobs()), run.store, run.problems


def run_tiled(source: gpd.GeoDataFrame | str | Path, weather: Weather, settings: PVSettings | None = None, *,
              tile_m: float | None = TILE_M_DEFAULT, out_dir: str | Path, halo_m: float | None = None,
              progress: Progress = NO_PROGRESS) -> TiledResult:
    """Serial tiled rooftop PV run of ``source`` into the tile store ``out_dir``.

    Tiles already in the store (same run key) are skipped, so calling it again after a cancel or
    crash finishes the run. Progress: the share of tiles done (skipped ones count); cancel stops
    at the next tile or inside the engine (that tile is not written). Returns a
    :class:`TiledResult`; ``.buildings()`` reads the rows back.
    """
    t0 = time.perf_counter()
    progress.report(0.0, "planning tiles")
    run = prepare_run(source, weather, settings, tile_m=tile_m, out_dir=out_dir, halo_m=halo_m)
    n = len(run.plan.tiles)
    if not n:
        raise InputError("没有可计算的分块", "No tiles to compute", code="scale.no_tiles")
    res = TiledResult(plan=run.plan, store=run.store, problems=run.problems, shading=run.settings.shading)
    done = run.store.done_ids()
    res.skipped = [t for t in run.plan.tiles["tile_id"] if t in done]
    i = len(res.skipped)
    progress.report(i / n, f"tile {i}/{n}" if i else "tiles")
    seen: set[str] = {p.code for p in res.problems}
    for job in run.jobs(skip=done):
        progress.check()
        summary = process_tile(job, progress.sub(i / n, (i + 1) / n))
        res.summaries.append(summary)
        for p in summary["problems"]:
            if p["code"] not in seen:
                seen.add(p["code"])
                res.problems.append(Problem(p["level"], p["code"], p["zh"], p["en"]))
        i += 1
        progress.report(i / n, f"tile {i}/{n}")
    res.seconds = time.perf_counter() - t0
    return res
