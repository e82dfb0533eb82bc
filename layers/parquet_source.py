"""A GeoParquet layer that reads only what is in view: 10 million footprints without one big frame.

:class:`ParquetSource` opens a GeoParquet file or a folder of them (a partitioned dataset, as the tiled
rooftop run writes) with ``pyarrow.dataset`` and reads only the metadata: the geometry column, its CRS
and the bbox covering column (GeoParquet 1.1 ``covering.bbox``: a struct of xmin/ymin/xmax/ymax per row,
written by ``GeoDataFrame.to_parquet(write_covering_bbox=True)``). :meth:`ParquetSource.window` then
reads the rows whose bbox meets the view: the filter on the covering columns is pushed down to the
row groups' min/max statistics, so on a spatially sorted file (Hilbert order) only the row groups under
the view are read at all. Every row read gets :data:`ROW_KEY`, its position in the source (files in
path order, rows in file order): a stable key that selection and identify use across windows.

When the view holds more than ``max_features`` rows (a small scale: a county on one screen) the window
is an overview: every k-th row in view, drawn as its bbox rectangle from the four covering columns
without reading the WKB geometry (at such a scale a footprint is a pixel or two, and its rectangle
draws the same). Without a covering column the bboxes come from the geometries, row group by row group.

:class:`ParquetLayer` is a :class:`~layers.layer.VectorLayer` whose ``gdf`` is the current window;
:meth:`ParquetLayer.read_view` reads the window of a map extent (any thread) and
:meth:`ParquetLayer.show_window` makes it the layer's data (the layer's thread). Its selection is kept
as row keys (:attr:`ParquetLayer.selected_keys`), so a new window shows the rows selected before it;
:meth:`ParquetLayer.keys_at` identifies from the file, not the window (an overview holds a sample).
No Qt here.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyproj
import shapely

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress
from gis.scale.geoparquet import file_crs, open_parquet, struct_boxes
from layers.layer import VectorLayer
from layers.presets import prepare
from layers.style import Style

MAX_FEATURES = 200_000
"""Rows drawn as full polygons at most; more in view → an overview. Measured on this project's
renderer: 1M footprints draw in ~1–2 s (docs/benchmarks.md, map rendering), so 200k keeps a pan or zoom
under about half a second while showing every roof of a district."""
BATCH_ROWS = 65_536
"""Rows per batch when streaming an overview (pyarrow's default ``batch_size`` is 131,072; half keeps
the bbox columns of one batch at 2 MB)."""
ROW_KEY = "file_row"
"""The column every window gets: the row's position in the source (0-based; the files of a folder in
path order as pyarrow lists them, rows in file order). Stable while the files are unchanged."""
READ_AHEAD = 4
"""Row groups read at once by a thread pool (pyarrow releases the GIL while decoding)."""

Bounds = tuple[float, float, float, float]


@dataclass
class Window:
    """What :meth:`ParquetSource.window` read: ``gdf`` (the source's CRS), ``in_view`` rows meeting the
    bounds, ``overview`` True when ``gdf`` holds every ``stride``-th of them as bbox rectangles."""

    gdf: gpd.GeoDataFrame
    in_view: int
    overview: bool = False
    stride: int = 1
    bounds: Bounds | None = None
    view: Bounds | None = None


def is_geoparquet(path: Path) -> bool:
    """A ``.parquet``/``.geoparquet`` file, or a folder holding such files."""
    p = Path(path)
    if p.is_dir():
        return any(p.rglob("*.parquet"))
    return p.suffix.lower() in (".parquet", ".geoparquet")


def _meets(box: np.ndarray, bounds: Bounds) -> np.ndarray:
    """Rows of the n×4 ``box`` array meeting ``bounds`` (touching counts, as the pushed-down filter)."""
    return ((box[:, 0] <= bounds[2]) & (box[:, 2] >= bounds[0])
            & (box[:, 1] <= bounds[3]) & (box[:, 3] >= bounds[1]))


def _check_none_left_out(folder: Path, dataset) -> None:
    """pyarrow leaves out a folder's files it cannot read (``exclude_invalid_files``: also its
    ``_SUCCESS`` and ``.crc`` side files); a ``.parquet`` file left out is a damaged part, and the
    layer would silently miss its rows, so it raises :func:`~gis.scale.geoparquet.damaged`'s error."""
    if not folder.is_dir():
        return
    kept = {Path(f).resolve() for f in dataset.files}
    for f in sorted(folder.rglob("*")):
        if f.suffix.lower() in (".parquet", ".geoparquet") and not f.name.startswith((".", "_")) \
                and f.is_file() and f.resolve() not in kept:
            open_parquet(f)  # raises with pyarrow's reason


class ParquetSource:
    """A GeoParquet file or folder, read by window. ``crs`` (pyproj, None if unknown), ``rows``,
    ``bounds`` (source CRS) and ``columns`` (attribute names) come from the metadata alone; ``key``
    is the name of the row-position column the windows get (:data:`ROW_KEY`)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(f"找不到 GeoParquet 文件或文件夹：{self.path}",
                             f"GeoParquet file or folder not found: {self.path}", code="parquet.missing")
        if self.path.is_file():
            open_parquet(self.path)  # a damaged file says so, not "no 'geo' metadata"
        self.dataset = ds.dataset(str(self.path), format="parquet", partitioning="hive",
                                  exclude_invalid_files=True)
        _check_none_left_out(self.path, self.dataset)
        meta = (self.dataset.schema.metadata or {}).get(b"geo")
        if meta is None:
            raise InputError(
                f"{self.path.name} 不是 GeoParquet（没有 “geo” 元数据）：请用 GeoPandas to_parquet 或 "
                "GDAL（ogr2ogr -f Parquet）写出", f"{self.path.name} is not GeoParquet (no 'geo' metadata): "
                "write it with GeoPandas to_parquet or GDAL (ogr2ogr -f Parquet)", code="parquet.not_geo")
        geo = json.loads(meta)
        self.geometry = str(geo.get("primary_column", "geometry"))
        column = geo.get("columns", {}).get(self.geometry, {})
        self.crs = file_crs(geo)
        covering = column.get("covering", {}).get("bbox")
        # the covering names its struct column in every key ({"xmin": ["bbox", "xmin"], ...})
        self.bbox = str(covering["xmin"][0]) if covering else None
        declared = column.get("bbox")  # optional in a single file; absent for a dataset's union
        self.columns = [n for n in self.dataset.schema.names if n not in (self.geometry, self.bbox)]
        self.key = ROW_KEY if ROW_KEY not in self.columns else f"{ROW_KEY}_lt"
        # each file's row groups and the source position of their first rows (footers only)
        self._fragments = list(self.dataset.get_fragments())
        sizes = [[f.metadata.row_group(g).num_rows for g in range(f.metadata.num_row_groups)]
                 for f in self._fragments]
        flat = np.array([n for s in sizes for n in s], dtype=np.int64)
        self._group_start = np.concatenate([[0], np.cumsum(flat)]).astype(np.int64)
        self._group_of = [(i, g) for i, s in enumerate(sizes) for g in range(len(s))]
        self._first_group = np.cumsum([0] + [len(s) for s in sizes])[:-1]
        self.rows = int(self._group_start[-1])
        self._bounds: Bounds | None = tuple(map(float, declared[:4])) if declared and self.path.is_file() \
            else None  # type: ignore[assignment]

    @property
    def bounds(self) -> Bounds | None:
        """(xmin, ymin, xmax, ymax) of all rows in the source CRS (metadata, else one pass over the
        bbox columns)."""
        if self._bounds is None and self.rows:
            lo = np.array([np.inf, np.inf])
            hi = -lo
            for _, box, _, _ in self._row_groups(None, []):
                if len(box):
                    lo = np.minimum(lo, box[:, :2].min(axis=0))
                    hi = np.maximum(hi, box[:, 2:].max(axis=0))
            self._bounds = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))
        return self._bounds

    def _filter(self, bounds: Bounds | None):
        """A pushed-down filter on the covering columns: bbox meets ``bounds`` (None: all rows)."""
        if bounds is None or self.bbox is None:
            return None
        xmin, ymin, xmax, ymax = bounds
        f = ds.field(self.bbox, "xmin") <= xmax
        f &= ds.field(self.bbox, "xmax") >= xmin
        f &= ds.field(self.bbox, "ymin") <= ymax
        return f & (ds.field(self.bbox, "ymax") >= ymin)

    def count(self, bounds: Bounds | None) -> int:
        """Rows whose bbox meets ``bounds`` (reads only the covering columns of the row groups there)."""
        if bounds is None:
            return self.rows
        if self.bbox is not None:
            return int(self.dataset.count_rows(filter=self._filter(bounds)))
        return sum(len(b) for _, b, _, _ in self._row_groups(bounds, []))

    def _pieces(self, bounds: Bounds | None) -> list[tuple[int, object]]:
        """(index of the row group in the source, its fragment) of the row groups whose statistics
        may meet ``bounds``, in source order."""
        flt = self._filter(bounds)
        out = []
        for i, frag in enumerate(self._fragments):
            for piece in frag.split_by_row_group(filter=flt):
                out.append((int(self._first_group[i] + piece.row_groups[0].id), piece))
        return out

    def _read_piece(self, group: int, piece, bounds: Bounds | None, columns: list[str], geometry: bool):
        """One row group's rows meeting ``bounds``: (source positions, n×4 bboxes, table of ``columns``,
        decoded geometries or None)."""
        read = list(dict.fromkeys([*columns, *([self.bbox] if self.bbox else []),
                                   *([self.geometry] if geometry or self.bbox is None else [])]))
        table = piece.to_table(schema=self.dataset.schema, columns=read)
        geoms = None
        if self.bbox is not None:
            box = struct_boxes(table.column(self.bbox))
        else:
            geoms = shapely.from_wkb(table.column(self.geometry).to_numpy(zero_copy_only=False))
            box = shapely.bounds(geoms)
        take = np.flatnonzero(_meets(box, bounds)) if bounds is not None else np.arange(len(box))
        positions = self._group_start[group] + take
        if bounds is not None and len(take) < len(box):
            table, box = table.take(pa.array(take)), box[take]
            geoms = geoms[take] if geoms is not None else None
        if geometry and geoms is None:  # decoded only for the rows kept
            geoms = shapely.from_wkb(table.column(self.geometry).to_numpy(zero_copy_only=False))
        return positions, box, table.select(columns), geoms

    def _row_groups(self, bounds: Bounds | None, columns: list[str], *, geometry: bool = False,
                    progress: Progress = NO_PROGRESS):
        """Per row group that may meet ``bounds``, in source order: :meth:`_read_piece`'s tuple of
        its rows meeting them (exact bbox test; touching counts, as the pushed-down filter). Up to
        :data:`READ_AHEAD` row groups are read at once."""
        pieces = self._pieces(bounds)
        total = max(len(pieces), 1)
        with ThreadPoolExecutor(max_workers=READ_AHEAD) as pool:
            queue: deque = deque()
            it = iter(pieces)
            done = 0
            for group, piece in itertools.islice(it, READ_AHEAD):
                queue.append(pool.submit(self._read_piece, group, piece, bounds, columns, geometry))
            while queue:
                result = queue.popleft().result()
                nxt = next(it, None)
                if nxt is not None:
                    queue.append(pool.submit(self._read_piece, nxt[0], nxt[1], bounds, columns, geometry))
                done += 1
                progress.report(done / total, "reading GeoParquet")
                yield result

    def _frame(self, parts: list, columns: list[str], geoms: np.ndarray) -> gpd.GeoDataFrame:
        """A GeoDataFrame of the tables in ``parts`` (from :meth:`_row_groups`) with ``geoms`` and the
        row key column."""
        tables = [p[2] for p in parts]
        if tables:
            frame = pa.concat_tables(tables).to_pandas()
        else:
            frame = self.dataset.schema.empty_table().select(columns).to_pandas()
        positions = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
        frame[self.key] = positions.astype(np.int64)
        return gpd.GeoDataFrame(frame, geometry=geoms, crs=self.crs)

    def window(self, bounds: Bounds | None, *, max_features: int = MAX_FEATURES,
               columns: list[str] | None = None, progress: Progress = NO_PROGRESS) -> Window:
        """The rows meeting ``bounds`` (source CRS; None: all): full geometries when at most
        ``max_features``, else every k-th as its bbox rectangle (k = ⌈in view / max_features⌉).
        Every row has :attr:`key` (its position in the source)."""
        cols = self.columns if columns is None else [c for c in columns if c in self.columns]
        n = self.count(bounds)
        if n <= max_features:
            parts = list(self._row_groups(bounds, cols, geometry=True, progress=progress))
            geoms = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, dtype=object)
            return Window(self._frame(parts, cols, geoms), len(geoms), bounds=bounds)
        stride = math.ceil(n / max_features)
        parts, boxes, seen = [], [], 0
        for positions, box, table, _ in self._row_groups(bounds, cols, progress=progress):
            # every stride-th row counted over the whole window, not per row group: an even thinning
            take = np.arange((-seen) % stride, len(box), stride)
            seen += len(box)
            boxes.append(box[take])
            parts.append((positions[take], None, table.take(pa.array(take)), None))
        box = np.concatenate(boxes) if boxes else np.zeros((0, 4))
        geoms = shapely.box(box[:, 0], box[:, 1], box[:, 2], box[:, 3])
        return Window(self._frame(parts, cols, geoms), seen, overview=True, stride=stride, bounds=bounds)

    def take(self, keys, columns: list[str] | None = None) -> gpd.GeoDataFrame:
        """The rows at source positions ``keys`` (in that order; full geometries and attributes),
        reading only their row groups. Positions outside the source raise IndexError."""
        keys = np.asarray(keys, dtype=np.int64).ravel()
        cols = self.columns if columns is None else [c for c in columns if c in self.columns]
        if len(keys) and (keys.min() < 0 or keys.max() >= self.rows):
            raise IndexError(f"row keys must be in 0..{self.rows - 1}")
        want = np.unique(keys)
        groups = np.searchsorted(self._group_start, want, side="right") - 1
        parts = []
        for group in np.unique(groups):
            i, g = self._group_of[int(group)]
            piece = self._fragments[i].subset(row_group_ids=[g])
            positions, _, table, geoms = self._read_piece(int(group), piece, None, cols, True)
            pick = want[groups == group] - self._group_start[group]
            parts.append((positions[pick], None, table.take(pa.array(pick)), geoms[pick]))
        geoms = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, dtype=object)
        frame = self._frame(parts, cols, geoms)  # rows in ascending key order, as ``want``
        order = np.searchsorted(want, keys)
        return frame.iloc[order].reset_index(drop=True)


class ParquetLayer(VectorLayer):
    """A vector layer over a :class:`ParquetSource`: ``gdf`` is the window last shown (first: an
    overview of everything). ``last_window`` tells whether it is an overview.

    Selection: :attr:`selected_keys` (source positions, the :attr:`ParquetSource.key` column) is the
    selection; ``selection`` (positional rows, as for every layer) is the part of it in the window
    and is made again from the keys when a new window is shown. Setting ``selection`` replaces the
    whole selection; :meth:`select_rows` adds or removes, or replaces only within the window
    (mode "window"), keeping the selected rows outside it."""

    def __init__(self, name: str, source: ParquetSource, style: Style | None = None,
                 title: str | None = None, max_features: int | None = None) -> None:
        self.source = source
        self.max_features = int(max_features if max_features is not None else MAX_FEATURES)
        self.last_window = source.window(None, max_features=self.max_features)
        self.selected_keys = np.zeros(0, dtype=np.int64)
        self._identified: gpd.GeoDataFrame | None = None  # the last identify's rows, by key
        self._selection_box: tuple[np.ndarray, Bounds | None] | None = None  # (keys, their extent)
        super().__init__(name, prepare(name, self.last_window.gdf), style, title=title)

    def adopt(self, other: ParquetLayer) -> None:
        """Read from ``other``'s source from now on, showing its window (a result layer replaced by a
        new run: the files may differ, so the old keys and selection mean nothing)."""
        self.source, self.max_features = other.source, other.max_features
        self.selected_keys = np.zeros(0, dtype=np.int64)
        self._identified = None
        self.selection = []
        self.show_window(other.last_window)

    # -- selection by key ------------------------------------------------------------------------
    def _window_keys(self) -> np.ndarray:
        return self.gdf[self.source.key].to_numpy(dtype=np.int64)

    def keys_of(self, rows) -> np.ndarray:
        """The keys of positional ``rows`` of the window (sorted, unique)."""
        rows = np.asarray(rows if rows is not None else [], dtype=np.int64).ravel()
        return np.unique(self._window_keys()[rows])

    def rows_of(self, keys) -> np.ndarray:
        """Positional rows of the window holding ``keys`` (ascending)."""
        return np.flatnonzero(np.isin(self._window_keys(), np.asarray(keys, dtype=np.int64)))

    @property
    def selection(self) -> np.ndarray:
        """The selected rows of the window (positional; the whole selection is :attr:`selected_keys`)."""
        return self._selection

    @selection.setter
    def selection(self, rows) -> None:  # replaces the whole selection, in and outside the window
        rows = np.asarray(rows if rows is not None else [], dtype=np.int64).ravel()
        if len(rows) and (rows.min() < 0 or rows.max() >= len(self.gdf)):
            raise IndexError(f"selection rows must be in 0..{len(self.gdf) - 1}")
        self.select_keys(self.keys_of(rows))

    def select_keys(self, keys, bounds: Bounds | None = None) -> bool:
        """Make ``keys`` (source positions) the selection; True when it changed. ``bounds``: their
        extent in the source's CRS when already known (read in a worker with the search), so that
        :meth:`selection_bounds` need not read the file in the caller's thread."""
        keys = np.unique(np.asarray(keys, dtype=np.int64).ravel())
        if np.array_equal(keys, self.selected_keys):
            return False
        self.selected_keys = keys
        if bounds is not None:
            x0, y0, x1, y1 = (float(v) for v in bounds)
            self._selection_box = (keys, (x0, y0, x1, y1))
        self._selection = self.rows_of(keys)
        self.selection_version += 1
        self.changed.emit(self, "selection")
        return True

    def select_rows(self, rows, mode: str = "replace") -> bool:
        """Select window ``rows`` (positional): mode "replace" (the whole selection), "add",
        "remove", or "window" (replace the selection within the window, keep the rest). True
        when the selection changed."""
        keys = self.keys_of(rows)
        if mode == "add":
            keys = np.union1d(self.selected_keys, keys)
        elif mode == "remove":
            keys = np.setdiff1d(self.selected_keys, keys)
        elif mode == "window":
            keys = np.union1d(np.setdiff1d(self.selected_keys, self._window_keys()), keys)
        return self.select_keys(keys)

    def clear_selection(self) -> None:
        self.select_keys([])

    # -- identify from the file ------------------------------------------------------------------
    def keys_at(self, x: float, y: float, tolerance: float = 0.0, crs=None) -> list[int]:
        """Keys of the source's rows within ``tolerance`` (units of ``crs``) of (x, y) in ``crs``
        (default: the source's), nearest first, as :func:`layers.query.features_at` on the whole
        file: read from the file (an overview window holds only a sample), not from the window.
        Their full rows are kept for :meth:`feature_rows`."""
        tol = max(float(tolerance), 0.0)
        x, y = float(x), float(y)
        box = self.view_bounds((x - tol, y - tol, x + tol, y + tol), crs)
        found = self.source.window(box, max_features=max(self.source.count(box), 1)).gdf
        geoms = found.geometry
        if crs is not None and found.crs is not None and pyproj.CRS.from_user_input(crs) != found.crs:
            geoms = geoms.to_crs(crs)
        g = geoms.to_numpy()
        point = shapely.Point(x, y)
        d = shapely.distance(g, point)
        hit = (d <= tol) if tol > 0 else shapely.intersects(g, point)
        keys = found[self.source.key].to_numpy(dtype=np.int64)
        order = np.flatnonzero(hit)
        order = order[np.lexsort((keys[order], d[order]))]
        self._identified = found.iloc[order].set_index(self.source.key, drop=False)
        return [int(k) for k in keys[order]]

    def feature_rows(self, keys) -> gpd.GeoDataFrame:
        """The full rows of ``keys`` (source positions) in that order, indexed by key: from the last
        :meth:`keys_at` when it holds them, else read from the file."""
        keys = [int(k) for k in keys]
        hit = self._identified
        if hit is not None and set(keys) <= set(hit.index):
            return hit.loc[keys]
        rows = self.source.take(keys)
        return rows.set_index(self.source.key, drop=False)

    def bounds(self, crs=None):
        """All rows' bounds (the source's metadata), not only the window's."""
        b = self.source.bounds
        if b is None:
            return None
        if crs is None or self.crs is None or pyproj.CRS.from_user_input(crs) == self.crs:
            return b
        t = pyproj.Transformer.from_crs(self.crs, crs, always_xy=True)
        return tuple(float(v) for v in t.transform_bounds(*b, densify_pts=21))

    def selection_bounds(self, crs=None) -> Bounds | None:
        """The extent in ``crs`` (default: the source's) of every selected row, also those out of view:
        their bbox columns read from the file (:func:`layers.parquet_query.keys_bounds`), once per
        selection. None without a selection."""
        from layers.parquet_query import keys_bounds

        keys = self.selected_keys
        if self._selection_box is None or self._selection_box[0] is not keys:
            if len(keys) and len(self._selection) == len(keys):  # all in the window: its frame has them
                box = shapely.bounds(np.asarray(self.gdf.geometry.array)[self._selection])
                box = box[np.isfinite(box).all(axis=1)]
                whole = (float(box[:, 0].min()), float(box[:, 1].min()), float(box[:, 2].max()),
                         float(box[:, 3].max())) if len(box) else None
            else:
                whole = keys_bounds(self.source, keys)
            self._selection_box = (keys, whole)
        b = self._selection_box[1]
        if b is None or crs is None or self.crs is None or pyproj.CRS.from_user_input(crs) == self.crs:
            return b
        t = pyproj.Transformer.from_crs(self.crs, crs, always_xy=True)
        return tuple(float(v) for v in t.transform_bounds(*b, densify_pts=21))  # type: ignore[return-value]

    def view_bounds(self, extent: Bounds, crs=None) -> Bounds:
        """``extent`` (in ``crs``, default the source's) as bounds in the source's CRS."""
        if crs is None or self.crs is None or pyproj.CRS.from_user_input(crs) == self.crs:
            return tuple(map(float, extent))  # type: ignore[return-value]
        t = pyproj.Transformer.from_crs(crs, self.crs, always_xy=True)
        return tuple(float(v) for v in t.transform_bounds(*extent, densify_pts=21))  # type: ignore[return-value]

    def read_view(self, extent: Bounds, crs=None, progress: Progress = NO_PROGRESS) -> Window | None:
        """The window for the map ``extent`` (None when the view asks for what is shown already:
        an unchanged extent, or a full window holding the whole new extent). Thread-safe: reads only."""
        b = self.view_bounds(extent, crs)
        shown = self.last_window
        if shown.view == b:
            return None
        if not shown.overview and (shown.bounds is None or (
                shown.bounds[0] <= b[0] and shown.bounds[1] <= b[1]
                and shown.bounds[2] >= b[2] and shown.bounds[3] >= b[3])):
            return None  # inside a full window: every row there is drawn already
        # a margin of half a view on each side: a short pan needs no new read
        w, h = b[2] - b[0], b[3] - b[1]
        wide = (b[0] - w / 2, b[1] - h / 2, b[2] + w / 2, b[3] + h / 2)
        win = self.source.window(wide, max_features=self.max_features, progress=progress)
        win.view = b
        return win

    def show_window(self, win: Window) -> None:
        """Make ``win`` (from :meth:`read_view`) the layer's data (in the thread owning the layer);
        the selected keys in it are selected again."""
        self.last_window = win
        # the derived columns the layer's style classifies on (rooftop_pv: kwh_per_m2), as the
        # registered layers get them (layers.presets.prepare): without them every window drew grey
        frame = prepare(self.name, win.gdf)
        had = len(self._selection)
        self._selection = np.flatnonzero(np.isin(frame[self.source.key].to_numpy(dtype=np.int64),
                                                 self.selected_keys))
        if had or len(self._selection):
            self.selection_version += 1
        self.gdf = frame
        if had or len(self._selection):
            self.changed.emit(self, "selection")
