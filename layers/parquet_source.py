"""A GeoParquet layer that reads only what is in view: 10 million footprints without one big frame.

:class:`ParquetSource` opens a GeoParquet file or a folder of them (a partitioned dataset, as the tiled
rooftop run writes) with ``pyarrow.dataset`` and reads only the metadata: the geometry column, its CRS
and the bbox covering column (GeoParquet 1.1 ``covering.bbox``: a struct of xmin/ymin/xmax/ymax per row,
written by ``GeoDataFrame.to_parquet(write_covering_bbox=True)``). :meth:`ParquetSource.window` then
reads the rows whose bbox meets the view: the filter on the covering columns is pushed down to the
row groups' min/max statistics, so on a spatially sorted file (Hilbert order) only the row groups under
the view are read at all.

When the view holds more than ``max_features`` rows (a small scale: a county on one screen) the window
is an overview: every k-th row in view, drawn as its bbox rectangle from the four covering columns
without reading the WKB geometry (at such a scale a footprint is a pixel or two, and its rectangle
draws the same). Without a covering column the bboxes come from the geometries, batch by batch.

:class:`ParquetLayer` is a :class:`~layers.layer.VectorLayer` whose ``gdf`` is the current window;
:meth:`ParquetLayer.show_view` replaces it (call it off the GUI thread, then set ``gdf`` in it).
No Qt here.
"""

from __future__ import annotations

import json
import math
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
CRS84 = "OGC:CRS84"
"""The CRS of a GeoParquet geometry column without a ``crs`` key (GeoParquet 1.1 spec, column metadata)."""

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


class ParquetSource:
    """A GeoParquet file or folder, read by window. ``crs`` (pyproj, None if unknown), ``rows``,
    ``bounds`` (source CRS) and ``columns`` (attribute names) come from the metadata alone."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise InputError(f"找不到 GeoParquet 文件或文件夹：{self.path}",
                             f"GeoParquet file or folder not found: {self.path}", code="parquet.missing")
        self.dataset = ds.dataset(str(self.path), format="parquet", partitioning="hive",
                                  exclude_invalid_files=True)
        meta = (self.dataset.schema.metadata or {}).get(b"geo")
        if meta is None:
            raise InputError(
                f"{self.path.name} 不是 GeoParquet（没有 “geo” 元数据）：请用 GeoPandas to_parquet 或 "
                "GDAL（ogr2ogr -f Parquet）写出", f"{self.path.name} is not GeoParquet (no 'geo' metadata): "
                "write it with GeoPandas to_parquet or GDAL (ogr2ogr -f Parquet)", code="parquet.not_geo")
        geo = json.loads(meta)
        self.geometry = str(geo.get("primary_column", "geometry"))
        column = geo.get("columns", {}).get(self.geometry, {})
        crs = column.get("crs", CRS84)
        self.crs = None if crs is None else (pyproj.CRS.from_user_input(crs) if isinstance(crs, str)
                                             else pyproj.CRS.from_json_dict(crs))
        covering = column.get("covering", {}).get("bbox")
        # the covering names its struct column in every key ({"xmin": ["bbox", "xmin"], ...})
        self.bbox = str(covering["xmin"][0]) if covering else None
        self.rows = int(self.dataset.count_rows())
        declared = column.get("bbox")  # optional in a single file; absent for a dataset's union
        self.columns = [n for n in self.dataset.schema.names if n not in (self.geometry, self.bbox)]
        self._bounds: Bounds | None = tuple(map(float, declared[:4])) if declared and self.path.is_file() \
            else None  # type: ignore[assignment]

    @property
    def bounds(self) -> Bounds | None:
        """(xmin, ymin, xmax, ymax) of all rows in the source CRS (metadata, else one pass over the
        bbox columns)."""
        if self._bounds is None and self.rows:
            lo = np.array([np.inf, np.inf])
            hi = -lo
            for box, _ in self._boxes(None, []):
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
        return sum(len(b) for b, _ in self._boxes(bounds, []))

    def _boxes(self, bounds: Bounds | None, columns: list[str], progress: Progress = NO_PROGRESS):
        """Per batch: (n×4 bbox array, the batch's ``columns``) of the rows meeting ``bounds``."""
        read = [*columns, self.bbox if self.bbox is not None else self.geometry]
        done = 0
        for batch in self.dataset.to_batches(columns=read, filter=self._filter(bounds),
                                             batch_size=BATCH_ROWS):
            if self.bbox is not None:
                struct = batch.column(self.bbox)
                box = np.column_stack([struct.field(k).to_numpy(zero_copy_only=False)
                                       for k in ("xmin", "ymin", "xmax", "ymax")])
            else:
                wkb = batch.column(self.geometry).to_numpy(zero_copy_only=False)
                box = shapely.bounds(shapely.from_wkb(wkb))
                if bounds is not None:
                    keep = _meets(box, bounds)
                    box, batch = box[keep], batch.filter(pa.array(keep))
            done += batch.num_rows
            progress.report(min(done / max(self.rows, 1), 1.0), "reading GeoParquet")
            yield box, batch.select(columns)

    def window(self, bounds: Bounds | None, *, max_features: int = MAX_FEATURES,
               columns: list[str] | None = None, progress: Progress = NO_PROGRESS) -> Window:
        """The rows meeting ``bounds`` (source CRS; None: all): full geometries when at most
        ``max_features``, else every k-th as its bbox rectangle (k = ⌈in view / max_features⌉)."""
        cols = self.columns if columns is None else [c for c in columns if c in self.columns]
        n = self.count(bounds)
        if n <= max_features:
            table = self.dataset.to_table(columns=[*cols, self.geometry], filter=self._filter(bounds))
            geoms = shapely.from_wkb(table.column(self.geometry).to_numpy(zero_copy_only=False))
            frame = table.select(cols).to_pandas()
            if self.bbox is None and bounds is not None:  # no pushed-down filter: test the geometries
                keep = _meets(shapely.bounds(geoms), bounds)
                geoms, frame = geoms[keep], frame[keep].reset_index(drop=True)
                n = int(keep.sum())
            return Window(gpd.GeoDataFrame(frame, geometry=geoms, crs=self.crs), n, bounds=bounds)
        stride = math.ceil(n / max_features)
        parts, boxes, seen = [], [], 0
        for box, batch in self._boxes(bounds, cols, progress):
            # every stride-th row counted over the whole window, not per batch: an even thinning
            take = np.arange((-seen) % stride, len(box), stride)
            seen += len(box)
            boxes.append(box[take])
            parts.append(batch.take(pa.array(take)))
        box = np.concatenate(boxes) if boxes else np.zeros((0, 4))
        table = pa.concat_tables([pa.Table.from_batches([p]) for p in parts]) if parts else None
        frame = table.to_pandas() if table is not None else None
        gdf = gpd.GeoDataFrame(frame, geometry=shapely.box(box[:, 0], box[:, 1], box[:, 2], box[:, 3]),
                               crs=self.crs)
        return Window(gdf, n, overview=True, stride=stride, bounds=bounds)


class ParquetLayer(VectorLayer):
    """A vector layer over a :class:`ParquetSource`: ``gdf`` is the window last shown (first: an
    overview of everything). ``last_window`` tells whether it is an overview."""

    def __init__(self, name: str, source: ParquetSource, style: Style | None = None,
                 title: str | None = None, max_features: int | None = None) -> None:
        self.source = source
        self.max_features = int(max_features if max_features is not None else MAX_FEATURES)
        self.last_window = source.window(None, max_features=self.max_features)
        super().__init__(name, prepare(name, self.last_window.gdf), style, title=title)

    def bounds(self, crs=None):
        """All rows' bounds (the source's metadata), not only the window's."""
        b = self.source.bounds
        if b is None:
            return None
        if crs is None or self.crs is None or pyproj.CRS.from_user_input(crs) == self.crs:
            return b
        t = pyproj.Transformer.from_crs(self.crs, crs, always_xy=True)
        return tuple(float(v) for v in t.transform_bounds(*b, densify_pts=21))

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
        """Make ``win`` (from :meth:`read_view`) the layer's data (in the thread owning the layer)."""
        self.last_window = win
        self.selection = []
        # the derived columns the layer's style classifies on (rooftop_pv: kwh_per_m2), as the
        # registered layers get them (layers.presets.prepare): without them every window drew grey
        self.gdf = prepare(self.name, win.gdf)
