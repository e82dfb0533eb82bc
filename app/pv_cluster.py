"""``lingtan pv BUILDINGS --cluster local[:WORKERS] --out OUT.parquet``: rooftop PV of a county or a
province, tile by tile on a Dask cluster (gis/scale).

The run, with the same PV parameters as ``lingtan pv``:

1. input → a prepared GeoParquet dataset in the building's metric CRS: a GeoParquet file or folder
   that already has the prepared columns (``footprint_m2``, ``roof_m2``, ``roof_slope_deg``,
   ``height_m``) and a projected CRS is used as it is; anything else (GeoParquet without them, a
   folder of Shapefiles/GeoPackages — one per county —, or any file ``lingtan info`` reads) is read
   a part at a time (a county file, or :data:`CHUNK_ROWS` rows), projected to one metric CRS, prepared
   (:func:`gis.park.prepare_buildings`) and written to ``OUT.parquet/_input/`` (kept: a rerun reuses it
   when the input is unchanged, so that the tiles already finished still count);
2. the weather of the run's centre (as ``lingtan pv``: a file, PVGIS when allowed, else the built-in
   climatology);
3. tiles with halos (:func:`gis.scale.tile_run.plan_jobs`), one Dask task per tile
   (:func:`gis.scale.cluster.run_on_cluster`): a local cluster sized to the machine, or
   ``--scheduler ADDRESS``; tiles already in ``OUT.parquet/parts/`` are skipped;
4. summaries: totals over all buildings (read back column by column) in ``OUT.parquet/summary.json``;
   per county/township field present (:data:`AREA_FIELDS`) ``summary_FIELD.csv`` and the NEA pilot
   check ``summary_FIELD_nea.csv`` (:func:`gis.scale.aggregate.aggregate`); 1 km grid cells with kWp/km²
   and five density classes ``summary_grid_1km.parquet`` (a five-colour map in the desktop app).

``OUT.parquet`` is a folder: ``parts/`` is the partitioned GeoParquet of every building's results (one
file per tile; ``geopandas.read_parquet(OUT.parquet/parts)``, or File → Add Data in the desktop app,
which reads it by view); ``manifest.json`` the run key.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.dataset as ds

from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

CHUNK_ROWS = 500_000
"""Rows read, prepared and written at a time when converting a single large input: ~0.5 GB of
footprints and prepared columns in memory (benchmarks: 1M prepared footprints ≈ 1 GB), within the
4 GB per worker the issue sets for the whole run."""
PREPARED_COLUMNS = ("footprint_m2", "roof_m2", "roof_slope_deg", "height_m")
"""Columns :func:`gis.park.prepare_buildings` adds and the rooftop engine reads
(gis/solar/rooftop.py ``rooftop_pv``)."""
INPUT_DIR = "_input"
"""Sub-folder of OUT.parquet for the prepared input (a leading underscore: pyarrow's dataset discovery
skips it, so OUT.parquet read as a dataset holds only the results)."""
OUT_SUFFIXES = (".parquet", ".geoparquet")
SUM_COLUMNS = ("kwp", "kwh_yr", "t_co2_yr", "usable_m2", "roof_m2", "modules")


def wanted(args) -> bool:
    """Does ``lingtan pv`` run tiled? Yes with --cluster, --scheduler or --tile-m, an --out ending in
    .parquet, or a GeoParquet / folder input."""
    if getattr(args, "cluster", None) or getattr(args, "scheduler", None) or getattr(args, "tile_m", None):
        return True
    out = getattr(args, "out", None)
    if out is not None and Path(out).suffix.lower() in OUT_SUFFIXES:
        return True
    src = getattr(args, "buildings", None)
    return bool(src) and (Path(src).is_dir() or Path(src).suffix.lower() in OUT_SUFFIXES)


def _check_args(args) -> tuple[Path, Path]:
    if not getattr(args, "buildings", None):
        raise InputError("缺少：建筑（BUILDINGS）", "Missing: BUILDINGS", code="input.missing")
    src = Path(args.buildings)
    if not src.exists():
        raise InputError(f"找不到建筑文件或文件夹：{src}", f"Buildings file or folder not found: {src}",
                         path=str(src), code="input.missing_file")
    out = getattr(args, "out", None)
    if out is None or Path(out).suffix.lower() not in OUT_SUFFIXES:
        raise InputError("分块计算的 --out 应为 OUT.parquet（一个文件夹：分块 GeoParquet 与汇总）",
                         "A tiled run's --out must be OUT.parquet (a folder: partitioned GeoParquet and "
                         "summaries)", path=str(out or ""), code="output.suffix")
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out “{out}” 已是一个文件：分块结果需要一个文件夹",
                         f"--out '{out}' is a file: a tiled run writes a folder", path=str(out),
                         code="output.folder")
    return src, out


# ---- 1. the input as a prepared GeoParquet dataset ------------------------------------------------

def _identity(src: Path, extra: dict) -> dict:
    files = sorted(p for p in src.rglob("*") if p.is_file()) if src.is_dir() else [src]
    return {"input": [[str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns] for p in files], **extra}


def _ready(src: Path) -> bool:
    """A GeoParquet source already prepared and metric (used as it is)."""
    from layers.parquet_source import ParquetSource, is_geoparquet

    if not is_geoparquet(src):
        return False
    s = ParquetSource(src)
    return all(c in s.columns for c in PREPARED_COLUMNS) and s.crs is not None and s.crs.is_projected


def prepared_input(src: Path, out: Path, *, crs: str | None = None, layer: str | None = None,
                   encoding: str | None = None, progress: Progress = NO_PROGRESS
                   ) -> tuple[Path, list[Problem]]:
    """The prepared GeoParquet dataset for ``src`` (see the module docstring, step 1) and the problems
    met while preparing (a reused conversion has none)."""
    if _ready(src):
        return src, []
    target = out / INPUT_DIR
    ident = _identity(src, {"crs": crs, "layer": layer, "encoding": encoding})
    stamp = target / "identity.json"
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == ident:
        return target, []
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    problems: list[Problem] = []
    metric = None
    row = 0
    for i, part in enumerate(_parts(src, crs, layer, encoding, progress)):
        progress.check()
        problems += part[1]
        gdf, metric, found = _prepare(part[0], metric)
        problems += found
        from gis.scale.geoparquet import ROW_COLUMN, write_partitioned

        gdf[ROW_COLUMN] = np.arange(row, row + len(gdf), dtype=np.int64)
        row += len(gdf)
        for f in write_partitioned(gdf, target, add_row_numbers=False):
            f.rename(target / f"part-{i:05d}.parquet")
    if row == 0:
        raise InputError(f"{src} 中没有建筑轮廓", f"No building footprints in {src}", path=str(src),
                         code="pv.no_buildings")
    stamp.write_text(json.dumps(ident), encoding="utf-8")
    return target, problems


def _parts(src: Path, crs, layer, encoding, progress: Progress):
    """(GeoDataFrame, reader problems) a part at a time: a county file of a folder, a batch of a
    GeoParquet, or :data:`CHUNK_ROWS` rows of any other file."""
    from layers.parquet_source import is_geoparquet

    if is_geoparquet(src):
        from gis.scale.geoparquet import scan
        from layers.parquet_source import ParquetSource

        s = ParquetSource(src)
        for batch in scan(src, [*s.columns, s.geometry], batch_rows=CHUNK_ROWS):
            yield (batch if batch.crs is not None or crs is None else batch.set_crs(crs)), []
        return
    if src.is_dir():
        from gis.scale.geoparquet import folder_partitions

        files = folder_partitions(src)
    else:
        files = [src]
    from gis.io import read_vector

    for k, f in enumerate(files):
        progress.report(k / len(files), f"reading {f.name}")
        res = read_vector(f, crs=crs, layer=layer if f == src else None, encoding=encoding)
        gdf = res.gdf
        for lo in range(0, max(len(gdf), 1), CHUNK_ROWS):
            yield gdf.iloc[lo:lo + CHUNK_ROWS], list(res.report.problems) if lo == 0 else []


def _prepare(gdf, metric):
    """Project a part to the run's one metric CRS (the first part's, :func:`app.pv.project_buildings`)
    and prepare it."""
    from app.pv import project_buildings
    from gis.park import prepare_buildings

    if metric is None:
        gdf = project_buildings(gdf)
        metric = gdf.crs
    else:
        gdf = gdf.to_crs(metric)
    prepared, problems = prepare_buildings(gdf)
    return prepared, metric, problems


# ---- 2–4. weather, tiles on the cluster, summaries -----------------------------------------------

def site_of(source: Path) -> tuple[float, float]:
    """lon, lat (deg) of the centre of a GeoParquet source's extent."""
    from pyproj import Transformer

    from layers.parquet_source import ParquetSource

    s = ParquetSource(source)
    b = s.bounds
    if b is None or s.crs is None:
        raise InputError(f"{source} 没有建筑或坐标系", f"{source} has no buildings or no CRS",
                         code="scale.empty")
    lon, lat = Transformer.from_crs(s.crs, "EPSG:4326", always_xy=True).transform((b[0] + b[2]) / 2,
                                                                                  (b[1] + b[3]) / 2)
    return float(lon), float(lat)


def totals(parts: Path) -> dict[str, Any]:
    """Totals over every building's result row, read a column batch at a time (memory of one batch)."""
    d = ds.dataset(str(parts), format="parquet")
    have = [c for c in SUM_COLUMNS if c in d.schema.names]
    sums = dict.fromkeys(have, 0.0)
    n = with_pv = 0
    for batch in d.to_batches(columns=have):
        n += batch.num_rows
        for c in have:
            v = batch.column(c).to_numpy(zero_copy_only=False).astype(float)
            sums[c] += float(np.nansum(v))
        if "kwp" in have:
            with_pv += int((batch.column("kwp").to_numpy(zero_copy_only=False) > 0).sum())
    out: dict[str, Any] = {"buildings": n, "buildings_with_pv": with_pv,
                           **{f"{c}": round(v, 3) for c, v in sums.items()}}
    if sums.get("kwp"):
        out["mwp"] = round(sums["kwp"] / 1000, 3)
        out["gwh_yr"] = round(sums.get("kwh_yr", 0.0) / 1e6, 3)
        out["kwh_per_kwp"] = round(sums.get("kwh_yr", 0.0) / sums["kwp"], 1)
    return out


def run_tiled_pv(src: Path, out: Path, settings, *, weather_path: Path | None = None,
                 allow_network: bool = False, fix_time_base: bool = False, altitude_m: float | None = None,
                 restore_components: bool = True, tile_m: float | None = None, cluster: str | None = None,
                 scheduler: str | None = None, crs: str | None = None, layer: str | None = None,
                 encoding: str | None = None, processes: bool | None = None,
                 progress: Progress = NO_PROGRESS) -> dict:
    """Steps 1–4 of the module docstring; returns the JSON-ready summary (also in OUT/summary.json)."""
    from app.outputs import write_json
    from gis.scale.cluster import parse_cluster, run_on_cluster
    from gis.scale.tile_run import plan_jobs
    from gis.solar import site_weather as weather_source

    parse_cluster(cluster, scheduler)  # a bad --cluster is reported before any reading
    out.mkdir(parents=True, exist_ok=True)
    source, problems = prepared_input(src, out, crs=crs, layer=layer, encoding=encoding,
                                      progress=progress.sub(0.0, 0.1))
    progress.report(0.1, "weather")
    lon, lat = site_of(source)
    weather = weather_source.site_weather(lon, lat, weather_path=weather_path, allow_network=allow_network,
                                          fix_time_base=fix_time_base, altitude_m=altitude_m,
                                          restore_components=restore_components)
    progress.report(0.12, "planning tiles")
    planned: dict[str, Any] = {}

    def plan_tiles() -> tuple[list, set[str]]:  # runs while the cluster starts
        planned["plan"], planned["jobs"], planned["store"], planned["found"] = plan_jobs(
            source, weather, settings, tile_m=tile_m or None, out_dir=out)
        return planned["jobs"], planned["store"].done_ids()

    run = run_on_cluster(plan_tiles, cluster=cluster, scheduler=scheduler,
                         processes=processes, progress=progress.sub(0.15, 0.95))
    plan, jobs, store = planned["plan"], planned["jobs"], planned["store"]
    problems += planned["found"]
    problems += run.problems
    seen = {p.code for p in problems}
    for s in run.summaries:
        for p in s.get("problems", []):
            if p["code"] not in seen:
                seen.add(p["code"])
                problems.append(Problem(p["level"], p["code"], p["zh"], p["en"]))
    progress.report(0.95, "summaries")
    summary: dict[str, Any] = {
        **totals(store.dataset_path), "tiles": len(jobs), "tiles_run": len(run.summaries),
        "tiles_skipped": len(run.skipped), "tile_m": plan.tile_m, "halo_m": plan.halo_m,
        "far_halo_m": plan.far_halo_m if math.isfinite(plan.far_halo_m) else None,
        "crs": plan.crs, "workers": run.workers, "processes": run.processes, "scheduler": run.address,
        "memory_limit_per_worker_bytes": run.memory_limit_per_worker_bytes,
        "seconds": round(run.seconds, 1), "weather_source": weather.source,
        "annual_ghi_kwh_m2": round(weather.annual_ghi_kwh_m2, 1), "shading": settings.shading,
        "outputs": {"geoparquet": str(store.dataset_path), "json": str(out / "summary.json")},
        "problems": [p.to_dict() for p in problems]}
    summary["summaries"] = _aggregates(store.dataset_path, out)
    write_json(out / "summary.json", summary)
    progress.report(1.0, "done")
    return summary


AREA_FIELDS = ("partition", "county", "district", "township", "区县", "县", "乡镇", "街道")
"""Columns naming a building's area that get a summary each (``partition``: the county file a folder
input came from, gis/scale/geoparquet.py)."""
GRID_CELL_M = 1000.0
"""m: grid cells of the density summary: 1 km, the cell of national gridded statistics (GB/T 12409
地理格网 1 km grid; WorldPop/GPW 30″ ≈ 1 km), small enough to show where in a county the roofs are."""
GRID_BATCH_ROWS = 200_000
"""Rows decoded at a time for the grid summary (~100 MB of footprints, gis/scale/geoparquet.py)."""


def _aggregates(parts: Path, out: Path) -> dict:
    """County/township summaries (:func:`gis.scale.aggregate.aggregate` ``by`` each of
    :data:`AREA_FIELDS` present, with the NEA pilot check) as CSV, and 1 km grid cells (kWp/km² and
    five density classes) as GeoParquet, read a few columns or a batch at a time. Returns {name: path}."""
    from gis.scale.aggregate import SUM_COLUMNS as AREA_SUMS
    from gis.scale.aggregate import aggregate

    d = ds.dataset(str(parts), format="parquet")
    names = d.schema.names
    need = [c for c in dict.fromkeys(("kwp", *AREA_SUMS, "nea_class", "nea_min_share", "install_share"))
            if c in names]  # what gis.scale.aggregate and the NEA check (rooftop._nea_check) read
    written: dict[str, str] = {}
    for f in (f for f in AREA_FIELDS if f in names):
        rows = d.to_table(columns=[*need, f]).to_pandas()
        summary = aggregate(rows, by=f)
        path = out / f"summary_{f}.csv"
        summary.table.to_csv(path, index=False, encoding="utf-8-sig")  # BOM: Excel opens Chinese right
        written[f] = str(path)
        if not summary.nea.empty:
            summary.nea.to_csv(out / f"summary_{f}_nea.csv", index=False, encoding="utf-8-sig")
            written[f"{f}_nea"] = str(out / f"summary_{f}_nea.csv")
    grid = grid_cells(parts, GRID_CELL_M, [c for c in ("kwp", *AREA_SUMS) if c in names])
    if grid is not None:
        path = out / "summary_grid_1km.parquet"
        grid.to_parquet(path, index=False, write_covering_bbox=True)
        written["grid"] = str(path)
    return written


def grid_cells(parts: Path, cell_m: float, columns: list[str]):
    """Per ``cell_m`` grid cell (by each footprint's representative point, as gis.scale.aggregate):
    roofs, roofs with PV, the sums of ``columns``, kWp/km² and its five density classes; None without
    rows. The cells' sums are made batch by batch and added: memory of one batch."""
    import geopandas as gpd
    import pandas as pd
    import shapely

    from gis.intensity.classify import classify
    from gis.scale.aggregate import DENSITY_UNIT
    from gis.scale.geoparquet import scan

    sums, crs = [], None
    for batch in scan(parts, ["geometry", *columns], batch_rows=GRID_BATCH_ROWS):
        crs = crs or batch.crs
        p = shapely.point_on_surface(np.asarray(batch.geometry.array))
        frame = pd.DataFrame({"cx": np.floor(shapely.get_x(p) / cell_m).astype(np.int64),
                              "cy": np.floor(shapely.get_y(p) / cell_m).astype(np.int64), "roofs": 1,
                              "roofs_with_pv": (batch["kwp"].to_numpy(float) > 0).astype(int),
                              **{c: batch[c].to_numpy(float) for c in columns}})
        sums.append(frame.groupby(["cx", "cy"]).sum())
    if not sums:
        return None
    t = pd.concat(sums).groupby(level=[0, 1]).sum().reset_index()
    t["area_km2"] = cell_m * cell_m / 1e6
    t["kwp_per_km2"] = t["kwp"] / t["area_km2"]
    if len(t) >= 5:  # five classes need five cells
        t["density_class"] = classify(t["kwp_per_km2"].to_numpy(float), "quantile", unit=DENSITY_UNIT).classes
    x0, y0 = t["cx"].to_numpy() * cell_m, t["cy"].to_numpy() * cell_m
    return gpd.GeoDataFrame(t, geometry=shapely.box(x0, y0, x0 + cell_m, y0 + cell_m), crs=crs)


def describe(s: dict) -> list[str]:
    """Bilingual lines of a tiled run's summary."""
    lines = [f"屋顶光伏（分块）Rooftop PV (tiled): {s['buildings']:,} 栋建筑 buildings, "
             f"{s['buildings_with_pv']:,} 可装 with PV, 装机 capacity {s.get('mwp', 0):,.2f} MWp, "
             f"年发电量 yield {s.get('gwh_yr', 0):,.2f} GWh/yr",
             f"分块 Tiles: {s['tiles']} ({s['tile_m']:g} m; 本次计算 run {s['tiles_run']}, "
             f"已完成跳过 skipped {s['tiles_skipped']}), {s['workers']} 个工作进程 workers, {s['seconds']} s",
             f"遮挡 Shading: {'计算 on' if s['shading'] else '未计算 off'}"
             + (f", 缓冲区 halo {s['halo_m']:g} m" if s["shading"] else ""),
             f"气象 Weather: {s['weather_source']} (GHI {s['annual_ghi_kwh_m2']:.0f} kWh/m²)"]
    warn = [p for p in s.get("problems", []) if p["level"] != "info"]
    if warn:
        lines.append(f"注意 Warnings ({len(warn)}):")
        lines += [f"  ! {p['zh']}\n    {p['en']}" for p in warn[:8]]
    lines.append(f"输出 Output: {s['outputs']['geoparquet']} (+ {s['outputs']['json']})")
    return lines


def lazy_source(item) -> Path | None:
    """The GeoParquet behind a GUI input layer read by view (layers/parquet_source.py: the layer's
    frame holds only the rows in view, so the run reads the file instead), else None."""
    from layers.parquet_source import is_geoparquet

    path = getattr(item, "path", None)
    return Path(path) if path is not None and is_geoparquet(Path(path)) else None


def results_folder(src: Path) -> Path:
    """Where a GUI run on ``src`` writes: ``NAME_rooftop_pv.parquet`` beside it."""
    return src.parent / f"{src.stem}_rooftop_pv.parquet"


def run_for_gui(alg, params, src: Path, progress: Progress = NO_PROGRESS):
    """The rooftop analysis of the desktop app on a GeoParquet layer: tiled on a local cluster (or
    ``params.scheduler``) with progress and cancel, results in :func:`results_folder`; the result layer
    is a :class:`~layers.parquet_source.ParquetLayer` over them (read by view like its input)."""
    from app.processing.algorithm import AlgorithmOutput
    from layers.parquet_source import ParquetLayer, ParquetSource
    from layers.presets import default_style

    out = results_folder(src)
    summary = run_tiled_pv(src, out, alg.settings(params), weather_path=params.weather,
                           allow_network=params.network, fix_time_base=params.fix_time_base,
                           altitude_m=params.altitude_m, restore_components=not params.keep_components,
                           tile_m=params.tile_m, cluster=params.cluster or "local",
                           scheduler=params.scheduler, progress=progress)
    layer = ParquetLayer("rooftop_pv", ParquetSource(out / "parts"))
    layer.style = default_style("rooftop_pv", layer.gdf)  # the registered style of the result layer
    problems = [Problem(p["level"], p["code"], p["zh"], p["en"]) for p in summary["problems"]]
    return AlgorithmOutput(alg.id, summary, {"rooftop_pv": layer}, summary, problems)  # type: ignore[dict-item]


def run_cli(alg, args, progress: Progress) -> int:
    """The tiled ``lingtan pv`` (the CLI handler when :func:`wanted`)."""
    from app.cli_support import EXIT_OK, emit
    from app.processing.cli import given_values

    src, out = _check_args(args)
    values = given_values(alg, args)
    if values.dsm is not None:
        raise InputError("分块计算暂不支持 --dsm：请对单个园区使用 lingtan pv … --out OUT.gpkg",
                         "--dsm is not supported in a tiled run yet: use lingtan pv … --out OUT.gpkg for one "
                         "park", code="scale.dsm")
    summary = run_tiled_pv(
        src, out, alg.settings(values), weather_path=values.weather, allow_network=values.network,
        fix_time_base=values.fix_time_base, altitude_m=values.altitude_m,
        restore_components=not values.keep_components, tile_m=values.tile_m, cluster=values.cluster,
        scheduler=values.scheduler, crs=getattr(args, "buildings__crs", None),
        layer=getattr(args, "buildings__layer", None), encoding=getattr(args, "buildings__encoding", None),
        progress=progress)
    summary["parameters"] = values.to_json()
    emit(args, summary, describe(summary))
    return EXIT_OK
