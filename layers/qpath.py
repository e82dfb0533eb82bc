"""Polygons → QPainterPath in bulk (QtGui), one path per class, no per-vertex Python calls.

Building QPolygonF point by point costs ~0.8 s per 100k polygons (DOMAIN.md §7). Instead the
coordinates of all rings come out of shapely as one numpy array, are transformed, snapped to the
pixel grid and grouped by class in numpy, and each class's path is deserialised from bytes with
``QDataStream >> QPainterPath`` (the trick of pyqtgraph's ``arrayToQPath``). Qt 6's stream
format of a QPainterPath (qpainterpath.cpp, ``operator>>``; checked by a round trip in the tests):

    int32 element_count
    element_count × (int32 type, float64 x, float64 y)   type 0 = moveTo, 1 = lineTo
    int32 cStart          index of the last moveTo
    int32 fill_rule       0 = Qt::OddEvenFill, 1 = Qt::WindingFill

Each ring starts with a moveTo, so holes and multipolygon parts are separate subpaths; with the
odd-even fill rule holes stay empty. Filling closes each subpath implicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from PySide6.QtCore import QByteArray, QDataStream
from PySide6.QtGui import QPainterPath

_ELEMENT = np.dtype([("type", "<i4"), ("x", "<f8"), ("y", "<f8")])
_MOVE_TO, _LINE_TO = 0, 1
_ODD_EVEN_FILL = 0
_POLYGON, _MULTIPOLYGON, _COLLECTION = 3, 6, 7


@dataclass(frozen=True)
class WorldToPixel:
    """Affine map from world coordinates to device pixels: ``px = sx·x + tx``, ``py = sy·y + ty``.

    ``sy`` is negative for maps (y grows northwards in the world, downwards on screen).
    """

    sx: float
    tx: float
    sy: float
    ty: float

    @classmethod
    def fit(cls, extent: tuple[float, float, float, float],
            rect: tuple[float, float, float, float]) -> WorldToPixel:
        """Fit ``extent`` (xmin, ymin, xmax, ymax) into ``rect`` (left, top, width, height)
        keeping the aspect ratio (same metres per pixel along x and y), centred."""
        xmin, ymin, xmax, ymax = extent
        left, top, width_px, height_px = rect
        w, h = max(xmax - xmin, 1e-12), max(ymax - ymin, 1e-12)
        px_per_unit = min(width_px / w, height_px / h)
        tx = left + (width_px - w * px_per_unit) / 2 - xmin * px_per_unit
        ty = top + (height_px - h * px_per_unit) / 2 + ymax * px_per_unit
        return cls(px_per_unit, tx, -px_per_unit, ty)

    @property
    def px_per_unit(self) -> float:
        """Pixels per world unit (per metre in a metric CRS)."""
        return abs(self.sx)

    def apply(self, xy: np.ndarray) -> np.ndarray:
        """(n, 2) world coordinates → (n, 2) pixels."""
        out = np.empty((len(xy), 2), dtype=np.float64)
        np.multiply(xy[:, 0], self.sx, out=out[:, 0])
        out[:, 0] += self.tx
        np.multiply(xy[:, 1], self.sy, out=out[:, 1])
        out[:, 1] += self.ty
        return out

    def world_rect(self, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """The world (xmin, ymin, xmax, ymax) seen through the pixel ``rect`` (left, top, w, h)."""
        left, top, w, h = rect
        xs = ((left - self.tx) / self.sx, (left + w - self.tx) / self.sx)
        ys = ((top - self.ty) / self.sy, (top + h - self.ty) / self.sy)
        return min(xs), min(ys), max(xs), max(ys)


@dataclass
class RingArrays:
    """Every ring of a set of polygons as flat arrays.

    xy: (n, 2) coordinates (world or pixels); starts: (r,) index of each ring's first point;
    counts: (r,) points per ring; geom: (r,) index of the input geometry each ring belongs to.
    """

    xy: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    geom: np.ndarray


def ring_arrays(geoms: np.ndarray, view_bounds: tuple[float, float, float, float] | None = None
                ) -> RingArrays:
    """Rings (exteriors and holes) of the polygonal parts of ``geoms``, skipping empty/missing
    geometry, non-polygon parts and, with ``view_bounds``, geometry wholly outside that box."""
    geoms = np.asarray(geoms, dtype=object)
    types = shapely.get_type_id(geoms)  # -1 for missing
    ok = np.isin(types, (_POLYGON, _MULTIPOLYGON, _COLLECTION)) & ~shapely.is_empty(geoms)
    if view_bounds is not None:
        b = shapely.bounds(geoms)
        with np.errstate(invalid="ignore"):
            ok &= ((b[:, 0] <= view_bounds[2]) & (b[:, 2] >= view_bounds[0])
                   & (b[:, 1] <= view_bounds[3]) & (b[:, 3] >= view_bounds[1]))
    index = np.flatnonzero(ok)
    geoms, types = geoms[index], types[index]
    if len(geoms) and not (types == _COLLECTION).any():
        return _ragged_rings(geoms, index)
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    poly = shapely.get_type_id(parts) == _POLYGON
    parts, part_of = parts[poly], part_of[poly]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    counts = shapely.get_num_coordinates(rings).astype(np.int64)
    return RingArrays(shapely.get_coordinates(rings), _starts(counts), counts,
                      index[part_of[ring_of]])


def _ragged_rings(geoms: np.ndarray, index: np.ndarray) -> RingArrays:
    """Rings of (Multi)Polygons from shapely's ragged arrays: no per-ring Python objects."""
    kind, xy, offsets = shapely.to_ragged_array(geoms)
    ring_offsets = offsets[0].astype(np.int64)
    counts = np.diff(ring_offsets)
    if kind == shapely.GeometryType.POLYGON:
        ring_geom = np.repeat(np.arange(len(geoms)), np.diff(offsets[1]))
    else:  # MULTIPOLYGON: rings → polygons → geometries
        poly_geom = np.repeat(np.arange(len(geoms)), np.diff(offsets[2]))
        ring_geom = np.repeat(poly_geom, np.diff(offsets[1]))
    return RingArrays(xy, ring_offsets[:-1], counts, index[ring_geom])


def _starts(counts: np.ndarray) -> np.ndarray:
    starts = np.zeros(len(counts), dtype=np.int64)
    if len(counts):
        np.cumsum(counts[:-1], out=starts[1:])
    return starts


def snap_rings(rings: RingArrays, grid: float) -> RingArrays:
    """Snap points to a ``grid`` (e.g. 0.5 px), drop consecutive duplicates and rings that
    collapse to fewer than 3 distinct points: about a pixel of simplification, all in numpy."""
    if grid <= 0 or len(rings.xy) == 0:
        return rings
    q = np.round(rings.xy * (1.0 / grid))
    keep = np.empty(len(q), dtype=bool)
    keep[0] = True
    np.not_equal(q[1:, 0], q[:-1, 0], out=keep[1:])
    keep[1:] |= q[1:, 1] != q[:-1, 1]
    keep[rings.starts] = True
    total = np.cumsum(keep, dtype=np.int64)
    ends = rings.starts + rings.counts - 1
    kept = total[ends] - total[rings.starts] + 1
    alive = kept >= 4  # a closed ring with ≥ 3 distinct points
    q *= grid
    if alive.all():
        return RingArrays(q[keep], _starts(kept), kept, rings.geom)
    keep &= np.repeat(alive, rings.counts)
    counts = kept[alive]
    return RingArrays(q[keep], _starts(counts), counts, rings.geom[alive])


def path_from_rings(xy: np.ndarray, counts: np.ndarray) -> QPainterPath:
    """One odd-even-filled QPainterPath of consecutive rings (``counts`` points each) in ``xy``."""
    n = len(xy)
    if n == 0:
        return QPainterPath()
    buf = np.empty(4 + _ELEMENT.itemsize * n + 8, dtype=np.uint8)
    buf[:4] = np.frombuffer(np.array([n], "<i4").tobytes(), np.uint8)
    elements = buf[4:-8].view(_ELEMENT)
    elements["type"] = _LINE_TO
    starts = _starts(counts)
    elements["type"][starts] = _MOVE_TO
    elements["x"] = xy[:, 0]
    elements["y"] = xy[:, 1]
    buf[-8:] = np.frombuffer(np.array([starts[-1], _ODD_EVEN_FILL], "<i4").tobytes(), np.uint8)
    data = buf.tobytes()
    # keep the QByteArray referenced: a stream over a collected temporary reads freed memory
    array = QByteArray(data)
    stream = QDataStream(array)
    stream.setByteOrder(QDataStream.ByteOrder.LittleEndian)
    path = QPainterPath()
    stream >> path
    return path


def paths_by_class(geoms: np.ndarray, classes: np.ndarray, transform: WorldToPixel | None = None,
                   *, snap_px: float = 0.0,
                   view_bounds: tuple[float, float, float, float] | None = None
                   ) -> dict[int, QPainterPath]:
    """One QPainterPath per class value, built in bulk.

    geoms: shapely Polygons/MultiPolygons (other types and empty/missing ones are skipped).
    classes: one integer per geometry (e.g. the index of its ClassBreak, -1 for no data).
    transform: world → pixel map (None keeps world coordinates, e.g. for a painter transform).
    snap_px: snap to this grid in output units and drop what collapses (0 = exact geometry).
    view_bounds: world box; geometry wholly outside it is culled.
    """
    classes = np.asarray(classes)
    if len(classes) != len(geoms):
        raise ValueError(f"{len(geoms)} geometries but {len(classes)} class values")
    rings = ring_arrays(geoms, view_bounds)
    if transform is not None:
        rings = RingArrays(transform.apply(rings.xy), rings.starts, rings.counts, rings.geom)
    rings = snap_rings(rings, snap_px)
    ring_class = classes[rings.geom]
    out: dict[int, QPainterPath] = {}
    if len(ring_class) == 0:
        return out
    # group rings by class: a stable sort keeps each ring's points together and in order
    order = np.argsort(ring_class, kind="stable")
    point_order = _ring_points(rings.starts[order], rings.counts[order])
    xy, counts, sorted_class = rings.xy[point_order], rings.counts[order], ring_class[order]
    bounds = np.flatnonzero(np.diff(sorted_class)) + 1
    ring_lo = np.r_[0, bounds]
    ring_hi = np.r_[bounds, len(sorted_class)]
    point_start = np.r_[0, np.cumsum(counts)]
    for lo, hi in zip(ring_lo, ring_hi, strict=True):
        a, b = point_start[lo], point_start[hi]
        out[int(sorted_class[lo])] = path_from_rings(xy[a:b], counts[lo:hi])
    return out


def _ring_points(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Indices of the points of the given rings, ring after ring (vectorised ranges)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.r_[0, np.cumsum(counts)[:-1]], counts)
    return np.arange(total, dtype=np.int64) + offsets
