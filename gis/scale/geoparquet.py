"""Footprints at scale on disk: GeoParquet read by bounding box or in batches, folders of
Shapefiles/GeoPackages (one per county) as partitions, partitioned GeoParquet written.

Reading by box uses the GeoParquet 1.1 ``bbox`` covering columns (written here with
``write_covering_bbox=True``): pyarrow then skips row groups and rows outside the box without
decoding geometries. Files without them still work (geopandas filters by row-group statistics or
reads all); every read here is finished with an exact bounding-box test, so the rows returned
are the same either way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError

ROW_COLUMN = "lingtan_row"
"""Row number of a building in the whole input (int64), written into partitioned GeoParquet
so that tiles read back in any order can be put in the input's order."""
PARTITION_COLUMN = "partition"
"""Name of the partition (county file stem) a building came from."""
VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".fgb")
BATCH_ROWS = 200_000
"""Rows per batch when scanning a GeoParquet source: ~100 MB of decoded footprints, so a scan's
memory does not grow with the input."""


def parquet_files(source: str | os.PathLike) -> list[Path]:
    """The ``.parquet`` files of ``source`` (a file, or a directory searched recursively)."""
    p = Path(source)
    if p.is_file():
        return [p]
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.parquet") if not f.name.startswith("."))
        if files:
            return files
    raise InputError(f"找不到 GeoParquet 文件：{p}", f"No GeoParquet file found at {p}", path=str(p),
                     code="scale.no_parquet")


def damaged(path: Path, exc: Exception) -> InputError:
    """The bilingual error for a Parquet file whose footer cannot be read (a copy or a write cut short)."""
    why = str(exc).strip().rstrip(".")
    return InputError(f"{path.name} 已损坏或不完整（可能复制或写入时中断），无法读取。"
                      f"请重新复制或重新生成该文件（pyarrow：{why}）",
                      f"{path.name} is damaged or incomplete (perhaps a copy or a write was cut short) and "
                      f"cannot be read. Copy or write the file again (pyarrow: {why})", path=str(path),
                      code="parquet.damaged")


def open_parquet(path: Path):
    """``pyarrow.parquet.ParquetFile`` of ``path``; a file that is not readable Parquet raises
    :func:`damaged`'s InputError instead of pyarrow's ArrowInvalid."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise damaged(Path(path), exc) from exc


def read_all(source) -> gpd.GeoDataFrame:
    """Every row of a GeoParquet file or folder (files in path order); a damaged file or one that is
    not GeoParquet raises a bilingual InputError."""
    for f in parquet_files(source):
        open_parquet(f)  # a damaged file says so by name
    return _read(source)


def _read(source, **kw) -> gpd.GeoDataFrame:
    files = parquet_files(source)
    target = str(files[0]) if len(files) == 1 else [str(f) for f in files]
    try:
        return gpd.read_parquet(target, **kw)
    except (OSError, ValueError) as exc:
        raise InputError(f"无法读取 GeoParquet {source}：{exc}",
                         f"Cannot read the GeoParquet {source}: {exc}",
                         path=str(source), code="scale.read_parquet") from exc


def _exact(frame: gpd.GeoDataFrame, box) -> np.ndarray:
    """Rows whose footprint bbox meets ``box`` (x0, y0, x1, y1): the STRtree query's own test."""
    b = shapely.bounds(np.asarray(frame.geometry.array))
    return (b[:, 0] <= box[2]) & (b[:, 2] >= box[0]) & (b[:, 1] <= box[3]) & (b[:, 3] >= box[1])


def read_bbox(source, box, *, filters=None, columns: list[str] | None = None) -> gpd.GeoDataFrame:
    """Rows of a GeoParquet file or dataset whose footprint's bbox meets ``box`` (m, x0, y0, x1,
    y1); ``filters``: a pyarrow filter expression or list of tuples applied as well."""
    kw: dict = {"bbox": tuple(float(v) for v in box)}
    if filters is not None:
        kw["filters"] = filters
    if columns is not None:
        kw["columns"] = columns
    frame = _read(source, **kw)
    return frame.loc[_exact(frame, box)] if len(frame) else frame


def read_tile_frame(source, halo_box, far_box, tall_min_m: float, *,
                    height_column: str = "height_m") -> gpd.GeoDataFrame:
    """A tile's buildings from disk: all whose bbox meets ``halo_box`` and, of the rest, those at
    least ``tall_min_m`` high whose bbox meets ``far_box`` (None: none); in the input's order
    (:data:`ROW_COLUMN` when present, else near rows in file order then far ones)."""
    near = read_bbox(source, halo_box)
    if far_box is not None and np.isfinite(tall_min_m):
        import pyarrow.dataset as ds

        far = read_bbox(source, far_box, filters=ds.field(height_column) >= float(tall_min_m))
        far = far.loc[~_exact(far, halo_box)] if len(far) else far  # the near read has those
        if len(far):
            near = pd.concat([near, far])
    if ROW_COLUMN in near:
        near = near.sort_values(ROW_COLUMN, kind="stable")
    return near.reset_index(drop=True)


def scan(source, columns: list[str], batch_rows: int = BATCH_ROWS) -> Iterator[gpd.GeoDataFrame]:
    """Batches of ``columns`` (the geometry column included) of a GeoParquet source, one at a
    time (memory of one batch)."""
    from geopandas.io.arrow import _arrow_to_geopandas, _decode_metadata

    for f in parquet_files(source):
        pf = open_parquet(f)
        meta = _decode_metadata(pf.schema_arrow.metadata.get(b"geo")) if pf.schema_arrow.metadata else None
        if meta is None:
            raise InputError(f"{f} 不是 GeoParquet（缺少 geo 元数据）",
                             f"{f} is not GeoParquet (no 'geo' metadata)",
                             path=str(f), code="scale.not_geoparquet")
        have = [c for c in columns if c in pf.schema_arrow.names]
        for batch in pf.iter_batches(batch_size=batch_rows, columns=have):
            import pyarrow as pa

            yield _arrow_to_geopandas(pa.Table.from_batches([batch]), meta)


COVERING_CHECK_ROWS = 2_000
"""Rows of each file whose covering bbox is compared with their decoded geometries' bounds before
the plan trusts the covering for the rest (a writer whose bbox is not the exact bounds is caught)."""


def file_crs(meta: dict):
    """The pyproj CRS of a GeoParquet ``geo`` metadata's primary geometry column (``crs`` absent:
    OGC:CRS84, as the GeoParquet spec says; null: None)."""
    import pyproj

    col = meta.get("columns", {}).get(meta.get("primary_column", "geometry"), {})
    crs = col.get("crs", "OGC:CRS84")
    if crs is None:
        return None
    return pyproj.CRS.from_user_input(crs) if isinstance(crs, str) else pyproj.CRS.from_json_dict(crs)


def struct_boxes(column) -> np.ndarray:
    """n × 4 float64 (xmin, ymin, xmax, ymax) of a covering bbox struct column (null: NaN)."""
    arr = column.combine_chunks() if hasattr(column, "combine_chunks") else column
    box = np.column_stack([arr.field(k).to_numpy(zero_copy_only=False)
                           for k in ("xmin", "ymin", "xmax", "ymax")])
    box = box.astype(np.float64, copy=True)
    if arr.null_count:
        box[arr.is_null().to_numpy(zero_copy_only=False)] = np.nan
    return box


def _exact_covering(pf, meta: dict) -> str | None:
    """The name of a file's bbox covering column when it holds the geometries' exact bounds: four
    float64 fields (geopandas writes ``shapely.bounds``; GDAL's float32 rounded outward would not
    do), equal to the decoded bounds of the first :data:`COVERING_CHECK_ROWS` rows. Else None."""
    import pyarrow as pa

    geom = meta.get("primary_column", "geometry")
    cov = meta.get("columns", {}).get(geom, {}).get("covering", {}).get("bbox")
    if not cov or meta.get("columns", {}).get(geom, {}).get("encoding", "WKB").upper() != "WKB":
        return None
    name = str(cov["xmin"][0])
    try:
        kind = pf.schema_arrow.field(name).type
    except KeyError:
        return None
    if not pa.types.is_struct(kind) or any(kind.field(k).type != pa.float64()
                                           for k in ("xmin", "ymin", "xmax", "ymax")):
        return None
    if pf.metadata.num_row_groups == 0:
        return name
    head = pf.read_row_group(0, columns=[geom, name]).slice(0, COVERING_CHECK_ROWS)
    decoded = shapely.bounds(shapely.from_wkb(head.column(geom).to_numpy(zero_copy_only=False)))
    covered = struct_boxes(head.column(name))
    return name if np.array_equal(decoded, covered, equal_nan=True) else None


def scan_boxes(source, height_column: str, batch_rows: int = BATCH_ROWS
               ) -> Iterator[tuple[np.ndarray, np.ndarray | None, Any]]:
    """Per batch of a GeoParquet source: (n × 4 bounding boxes (m; NaN when empty), heights or None
    when the file has no ``height_column``, the file's CRS), in file order. The boxes come from the
    bbox covering column without decoding a geometry when it holds their exact bounds
    (:func:`_exact_covering`), else from the decoded geometries: the same numbers either way."""
    from geopandas.io.arrow import _decode_metadata

    for f in parquet_files(source):
        pf = open_parquet(f)
        raw = pf.schema_arrow.metadata.get(b"geo") if pf.schema_arrow.metadata else None
        meta = _decode_metadata(raw) if raw is not None else None
        cov = _exact_covering(pf, meta) if meta is not None else None
        if cov is None:  # no usable covering: decode (scan also says when the file is not GeoParquet)
            for part in scan(f, ["geometry", height_column], batch_rows=batch_rows):
                h = pd.to_numeric(part[height_column], errors="coerce").to_numpy(float) \
                    if height_column in part else None
                yield shapely.bounds(np.asarray(part.geometry.array)), h, part.crs
            continue
        crs = file_crs(meta or {})
        has_h = height_column in pf.schema_arrow.names
        columns = [cov, *([height_column] if has_h else [])]
        for batch in pf.iter_batches(batch_size=batch_rows, columns=columns):
            h = None
            if has_h:
                h = pd.to_numeric(batch.column(height_column).to_pandas(), errors="coerce").to_numpy(float)
            yield struct_boxes(batch.column(cov)), h, crs


def source_bounds(source) -> tuple[float, float, float, float]:
    """The extent (x0, y0, x1, y1) of a GeoParquet source: from each file's ``geo`` metadata
    ``bbox`` when written (geopandas does), else from a scan of the geometries."""
    from geopandas.io.arrow import _decode_metadata

    boxes = []
    for f in parquet_files(source):
        md = open_parquet(f).schema_arrow.metadata or {}
        meta = _decode_metadata(md.get(b"geo")) if b"geo" in md else None
        col = (meta or {}).get("columns", {}).get((meta or {}).get("primary_column", "geometry"), {})
        bbox = col.get("bbox")
        if bbox is not None and len(bbox) == 4:
            boxes.append(bbox)
        else:
            for part in scan(f, ["geometry"]):
                if len(part):
                    boxes.append(list(part.total_bounds))
    b = np.asarray(boxes, float)
    if not len(b):
        raise InputError(f"GeoParquet {source} 没有建筑", f"The GeoParquet {source} has no buildings",
                         path=str(source), code="scale.empty")
    return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())


def plan_parquet(source, *, tile_m: float | None, settings=None, halo_m: float | None = None,
                 height_column: str = "height_m", batch_rows: int = BATCH_ROWS):
    """A :class:`gis.scale.tiles.TilePlan` of a GeoParquet source read in batches (geometry and
    height only): per batch only a table per occupied tile is kept, so the plan's memory grows
    with the tiles, not the buildings (50 M footprints: one 200,000-row batch at a time).
    ``tile_m`` None: the side is chosen from the data (``tiles.auto_tile_m``): the scan keeps
    1 km cells, which are then merged into tiles."""
    from gis.scale.tiles import (
        BASE_CELL_M,
        auto_tile_m,
        cell_stats,
        check_tile_m,
        coarsen_cells,
        grid_origin,
        merge_cells,
        plan_from_cells,
        representative_xy,
    )

    check_tile_m(tile_m)
    run_bounds = source_bounds(source)
    cell_m = BASE_CELL_M if tile_m is None else tile_m
    gx0, gy0 = grid_origin(run_bounds, cell_m)
    tables = []
    h_max = 0.0
    crs = None
    for b, h, part_crs in scan_boxes(source, height_column, batch_rows=batch_rows):
        crs = crs or part_crs
        x, y = representative_xy(b)
        ok = np.isfinite(b).all(axis=1)
        if ok.any():
            tables.append(cell_stats(x[ok], y[ok], b[ok], cell_m, gx0, gy0)[0])
        if h is not None and np.isfinite(h).any():
            h_max = max(h_max, float(np.nanmax(h)))
    if crs is None or not tables:
        raise InputError(f"GeoParquet {source} 没有建筑或坐标系",
                         f"The GeoParquet {source} has no buildings or no CRS",
                         path=str(source), code="scale.empty")
    if not crs.is_projected:
        raise InputError("分块计算需要投影坐标系（米）的 GeoParquet，请先投影到当地高斯-克吕格投影带",
                         "Tiling needs the GeoParquet in a projected (metric) CRS: project it to the local "
                         "Gauss–Krüger zone first", path=str(source), code="scale.crs")
    cells = merge_cells(tables)
    if tile_m is None:
        tile_m = auto_tile_m(cells)
        cells = coarsen_cells(cells, gx0, gy0, tile_m, *grid_origin(run_bounds, tile_m))
    return plan_from_cells(cells, h_max, run_bounds, crs.to_string(), tile_m=tile_m,
                           halo_m=halo_m, settings=settings)


def write_partitioned(frame: gpd.GeoDataFrame, out_dir, *, by: str | np.ndarray | None = None,
                      add_row_numbers: bool = True) -> list[Path]:
    """Write ``frame`` as a directory of GeoParquet files (bbox covering columns), one per value
    of ``by`` (a column name or an array aligned to the rows; None: one file), rows sorted in
    Hilbert order within each file so row groups are compact in space. Adds :data:`ROW_COLUMN`
    (the row's position in ``frame``) unless told not to. Returns the files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    f = frame.copy()
    if add_row_numbers and ROW_COLUMN not in f:
        f[ROW_COLUMN] = np.arange(len(f), dtype=np.int64)
    keys = np.zeros(len(f), int) if by is None else \
        (f[by].to_numpy() if isinstance(by, str) else np.asarray(by))
    files = []
    for k in pd.unique(keys):
        part = f.loc[keys == k]
        if len(part) > 1:
            hd = part.geometry.hilbert_distance(total_bounds=f.total_bounds).to_numpy()
            part = part.iloc[np.argsort(hd, kind="stable")]
        name = "part-0.parquet" if by is None else f"{PARTITION_COLUMN}={_safe(k)}.parquet"
        path = out / name
        tmp = path.with_name(f".{name}.tmp")
        part.to_parquet(tmp, index=False, write_covering_bbox=True, row_group_size=50_000)
        os.replace(tmp, path)
        files.append(path)
    return files


def _safe(v) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in str(v)) or "_"


def folder_partitions(folder) -> list[Path]:
    """The vector files (Shapefile, GeoPackage, GeoJSON, FlatGeobuf) of ``folder``, one per
    county (or any partition), sorted by name."""
    p = Path(folder)
    files = sorted(f for f in p.iterdir() if f.suffix.lower() in VECTOR_SUFFIXES) if p.is_dir() else []
    if not files:
        raise InputError(f"文件夹 {p} 中没有 Shapefile/GeoPackage 文件",
                         f"No Shapefile/GeoPackage file in {p}",
                         path=str(p), code="scale.empty_folder")
    return files


def folder_to_geoparquet(folder, out_dir, *, crs=None) -> list[Path]:
    """Convert a folder of per-county vector files to one GeoParquet file per county (a
    partitioned dataset, :data:`PARTITION_COLUMN` = the file's stem, :data:`ROW_COLUMN` numbered
    across files), one county in memory at a time (read with pyogrio). ``crs``: reproject to it
    (a metric CRS) when given."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    files, start = [], 0
    for f in folder_partitions(folder):
        try:
            g = gpd.read_file(f, engine="pyogrio")
        except Exception as exc:  # any driver error: name the file
            raise InputError(f"无法读取 {f}：{exc}", f"Cannot read {f}: {exc}", path=str(f),
                             code="scale.read_partition") from exc
        if crs is not None:
            g = g.to_crs(crs)
        g[PARTITION_COLUMN] = f.stem
        g[ROW_COLUMN] = np.arange(start, start + len(g), dtype=np.int64)
        start += len(g)
        files += write_partitioned(g, out, by=PARTITION_COLUMN, add_row_numbers=False)
    return files


def read_lazy(source, **kw):
    """A dask-geopandas frame of a GeoParquet source, one partition per file/row group, nothing
    read until computed (``dask_geopandas.read_parquet``)."""
    import dask_geopandas

    files = parquet_files(source)
    return dask_geopandas.read_parquet([str(f) for f in files] if len(files) > 1 else str(files[0]), **kw)
