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

Each ring starts with a moveTo, so holes and multipolygon parts are separate subpaths. Filling
closes each subpath implicitly. The cached layer geometry (:func:`geometry_arrays`) has its rings
oriented (exteriors counter-clockwise, holes clockwise, as ``shapely.orient_polygons``) and the
map paths are filled with the non-zero winding rule: holes stay empty (winding 1 − 1 = 0) while
overlapping polygons of one class — building parts, duplicate outlines — fill where they overlap
(the odd-even rule punched a hole there). :func:`paths_by_class` keeps the odd-even rule.
"""

from __future__ import annotations

import threading
import weakref
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
    counts: (r,) points per ring; geom: (r,) index of the input geometry each ring belongs to;
    exterior: (r,) True for a polygon's exterior ring, False for a hole (None when unknown).
    """

    xy: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    geom: np.ndarray
    exterior: np.ndarray | None = None


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
    exterior = np.r_[True, ring_of[1:] != ring_of[:-1]] if len(ring_of) else np.zeros(0, bool)
    return RingArrays(shapely.get_coordinates(rings), _starts(counts), counts,
                      index[part_of[ring_of]], exterior)


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
    exterior = np.zeros(len(counts), dtype=bool)
    first = offsets[1][:-1][np.diff(offsets[1]) > 0].astype(np.int64)
    exterior[first] = True
    return RingArrays(xy, ring_offsets[:-1], counts, index[ring_geom], exterior)


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


def path_from_rings(xy: np.ndarray, counts: np.ndarray, fill_rule: int = 0) -> QPainterPath:
    """One QPainterPath of consecutive rings (``counts`` points each) in ``xy``, with the fill
    rule written into its bytes (0 = odd-even, the default; 1 = non-zero winding)."""
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
    buf[-8:] = np.frombuffer(np.array([starts[-1], fill_rule], "<i4").tobytes(), np.uint8)
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


# ---- cached geometry arrays (points, lines, polygons) and per-view path building -------------

_POINT, _LINESTRING, _LINEARRING, _MULTIPOINT, _MULTILINESTRING = 0, 1, 2, 4, 5
_WINDING_FILL = 1


@dataclass
class PartArrays:
    """Parts of one kind (polygon rings, line parts or points) as flat arrays, in world units.

    xy: (n, 2) coordinates; starts/counts: first point and number of points per part; geom: the
    feature (positional row) of each part; bbox: (parts, 4) xmin, ymin, xmax, ymax per part.
    """

    xy: np.ndarray
    starts: np.ndarray
    counts: np.ndarray
    geom: np.ndarray
    bbox: np.ndarray
    exterior: np.ndarray | None = None  # rings: False for holes

    _area: np.ndarray | None = None

    def ring_area(self) -> np.ndarray:
        """Per part: the ring's area (world units²), negative for holes (shoelace; cached)."""
        if self._area is None:
            n = len(self.starts)
            area = np.zeros(n)
            if n:
                local = self.xy - np.repeat(self.bbox[:, :2], self.counts, axis=0)
                cross = np.zeros(len(local))
                cross[:-1] = local[:-1, 0] * local[1:, 1] - local[1:, 0] * local[:-1, 1]
                cross[self.starts + self.counts - 1] = 0.0  # no term joining one ring to the next
                area = 0.5 * np.abs(np.add.reduceat(cross, self.starts))
                if self.exterior is not None:
                    area = np.where(self.exterior, area, -area)
            self._area = area
        return self._area

    @classmethod
    def empty(cls) -> PartArrays:
        return cls(np.zeros((0, 2)), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64),
                   np.zeros((0, 4)))

    @classmethod
    def from_parts(cls, xy: np.ndarray, starts: np.ndarray, counts: np.ndarray, geom: np.ndarray,
                   exterior: np.ndarray | None = None, area: np.ndarray | None = None) -> PartArrays:
        xy = np.ascontiguousarray(xy, dtype=np.float64)
        starts = np.asarray(starts, dtype=np.int64)
        counts = np.asarray(counts, dtype=np.int64)
        keep = counts > 0
        if not keep.all():
            starts, counts, geom = starts[keep], counts[keep], np.asarray(geom)[keep]
            exterior = exterior[keep] if exterior is not None else None
            area = area[keep] if area is not None else None
        bbox = np.empty((len(starts), 4))
        if len(starts):
            for k, (fn, col) in enumerate(((np.minimum, 0), (np.minimum, 1), (np.maximum, 0),
                                           (np.maximum, 1))):
                bbox[:, k] = fn.reduceat(xy[:, col], starts)
        return cls(xy, starts, counts, np.asarray(geom, dtype=np.int64), bbox, exterior, area)

    @classmethod
    def concat(cls, pieces: list[PartArrays], geom_offsets: list[int]) -> PartArrays:
        """The parts of ``pieces`` one after the other, feature numbers shifted by ``geom_offsets``."""
        pieces_offsets = [(p, o) for p, o in zip(pieces, geom_offsets, strict=True) if len(p)]
        if not pieces_offsets:
            return cls.empty()
        if len(pieces_offsets) == 1 and pieces_offsets[0][1] == 0:
            return pieces_offsets[0][0]
        point_base = np.cumsum([0] + [len(p.xy) for p, _ in pieces_offsets[:-1]])
        starts = [p.starts + b for (p, _), b in zip(pieces_offsets, point_base, strict=True)]
        return cls(np.concatenate([p.xy for p, _ in pieces_offsets]),
                   np.concatenate(starts),
                   np.concatenate([p.counts for p, _ in pieces_offsets]),
                   np.concatenate([p.geom + o for p, o in pieces_offsets]),
                   np.concatenate([p.bbox for p, _ in pieces_offsets]),
                   _concat_all([p.exterior for p, _ in pieces_offsets]),
                   _concat_all([p._area for p, _ in pieces_offsets]))

    def __len__(self) -> int:
        return len(self.starts)


@dataclass
class GeometryArrays:
    """Every feature of a layer split into polygon rings, line parts and points (world units)."""

    n: int
    rings: PartArrays
    lines: PartArrays
    points: PartArrays
    feature_bbox: np.ndarray  # (n, 4), NaN for empty/missing geometry

    @property
    def nbytes(self) -> int:
        return sum(a.xy.nbytes + a.bbox.nbytes + 3 * a.starts.nbytes
                   for a in (self.rings, self.lines, self.points)) + self.feature_bbox.nbytes


GEOMETRY_CHUNK = 50_000
"""Features per step of :func:`geometry_arrays`: every shapely and numpy call of a step holds the
GIL for at most ~10–30 ms, so a GUI thread runs between steps while a worker builds the cache
(built in one go, 1,000,000 footprints held it in single calls of up to ~1 s)."""


def geometry_arrays(geoms: np.ndarray, chunk: int = GEOMETRY_CHUNK) -> GeometryArrays:
    """Flatten shapely geometries (any mix of kinds, multi-parts and collections) into
    :class:`GeometryArrays`, vectorised (no per-feature Python calls for the usual types), in
    steps of ``chunk`` features. Polygon rings are oriented (exterior counter-clockwise, holes
    clockwise: the winding fill rule then fills overlaps and leaves holes empty) and their areas
    computed on the way."""
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    if n <= chunk:
        return _geometry_arrays(geoms)
    starts = list(range(0, n, chunk))
    pieces = [_geometry_arrays(geoms[s0:s0 + chunk]) for s0 in starts]
    return GeometryArrays(n, PartArrays.concat([p.rings for p in pieces], starts),
                          PartArrays.concat([p.lines for p in pieces], starts),
                          PartArrays.concat([p.points for p in pieces], starts),
                          np.concatenate([p.feature_bbox for p in pieces]))


def _polygon_rings(geoms: np.ndarray, types: np.ndarray, empty: np.ndarray) -> RingArrays:
    """:func:`ring_arrays` of ``geoms`` (types and emptiness given), in geometry order. Polygons
    without holes (footprints, nearly always) come straight from ``get_coordinates``: no ring
    objects (making ~1 million of them held the GIL ~1.5 s and set off full garbage collections)."""
    poly = np.flatnonzero((types == _POLYGON) & ~empty)
    simple = poly[shapely.get_num_interior_rings(geoms[poly]) == 0]
    xy, owner = shapely.get_coordinates(geoms[simple], return_index=True)
    counts = np.bincount(owner, minlength=len(simple)).astype(np.int64)
    fast = RingArrays(xy, _starts(counts), counts, simple, np.ones(len(simple), bool))
    mask = np.isin(types, (_POLYGON, _MULTIPOLYGON, _COLLECTION)) & ~empty
    mask[simple] = False
    other = np.flatnonzero(mask)
    if len(other) == 0:
        return fast
    rest = ring_arrays(geoms[other])
    rest = RingArrays(rest.xy, rest.starts, rest.counts, other[rest.geom], rest.exterior)
    if len(simple) == 0:
        return rest
    # merge in geometry order (a stable sort keeps each geometry's rings in order)
    geom = np.concatenate([fast.geom, rest.geom])
    order = np.argsort(geom, kind="stable")
    xy_all = np.concatenate([fast.xy, rest.xy])
    starts = np.concatenate([fast.starts, rest.starts + len(fast.xy)])
    counts = np.concatenate([fast.counts, rest.counts])[order]
    xy_all = xy_all[_ring_points(starts[order], counts)]
    return RingArrays(xy_all, _starts(counts), counts, geom[order],
                      np.concatenate([fast.exterior, rest.exterior])[order])


def orient_rings(rings: RingArrays) -> tuple[RingArrays, np.ndarray]:
    """Rings oriented like ``shapely.orient_polygons`` (exteriors counter-clockwise, holes
    clockwise; a ring is reversed where the sign of its shoelace area disagrees — GEOS's own test
    for any simple ring), and each ring's area (world units², negative for holes), in numpy."""
    n = len(rings.counts)
    if n == 0:
        return rings, np.zeros(0)
    xy, starts, counts = rings.xy, rings.starts, rings.counts
    ring = np.repeat(np.arange(n), counts)
    local = xy - xy[starts][ring]  # relative to each ring's first vertex (precision)
    cross = np.zeros(len(local))
    cross[:-1] = local[:-1, 0] * local[1:, 1] - local[1:, 0] * local[:-1, 1]
    cross[starts + counts - 1] = 0.0  # no term joining one ring to the next
    area = 0.5 * np.add.reduceat(cross, starts)
    exterior = rings.exterior if rings.exterior is not None else np.ones(n, bool)
    flip = np.where(exterior, area < 0, area > 0)
    if flip.any():  # [p0, p1, …, pk, p0] → [p0, pk, …, p1, p0]
        v = np.flatnonzero(flip[ring])
        r = ring[v]
        xy = xy.copy()
        xy[v] = rings.xy[2 * starts[r] + counts[r] - 1 - v]
    area = np.abs(area)
    return RingArrays(xy, starts, counts, rings.geom, exterior), np.where(exterior, area, -area)


def _concat_all(arrays: list[np.ndarray | None]) -> np.ndarray | None:
    """The arrays one after the other; None when any of them is None (an optional column)."""
    present = [a for a in arrays if a is not None]
    return np.concatenate(present) if len(present) == len(arrays) else None


def _geometry_arrays(geoms: np.ndarray) -> GeometryArrays:
    n = len(geoms)
    types = shapely.get_type_id(geoms)
    empty = shapely.is_empty(geoms) | (types < 0)
    oriented, area = orient_rings(_polygon_rings(geoms, types, empty))
    rings = PartArrays.from_parts(oriented.xy, oriented.starts, oriented.counts, oriented.geom,
                                  oriented.exterior, area)
    line_sel = np.flatnonzero(np.isin(types, (_LINESTRING, _LINEARRING, _MULTILINESTRING, _COLLECTION))
                              & ~empty)
    lines = PartArrays.empty()
    if len(line_sel):
        parts, part_of = shapely.get_parts(geoms[line_sel], return_index=True)
        pt = shapely.get_type_id(parts)
        if (pt == _COLLECTION).any():  # nested collections: one more level
            parts, sub = shapely.get_parts(parts, return_index=True)
            part_of = part_of[sub]
            pt = shapely.get_type_id(parts)
        ok = np.isin(pt, (_LINESTRING, _LINEARRING)) & ~shapely.is_empty(parts)
        parts, part_of = parts[ok], part_of[ok]
        if len(parts):
            counts = shapely.get_num_coordinates(parts).astype(np.int64)
            lines = PartArrays.from_parts(shapely.get_coordinates(parts), _starts(counts), counts,
                                          line_sel[part_of])
    pt_sel = np.flatnonzero(np.isin(types, (_POINT, _MULTIPOINT, _COLLECTION)) & ~empty)
    points = PartArrays.empty()
    if len(pt_sel):
        parts, part_of = shapely.get_parts(geoms[pt_sel], return_index=True)
        pt = shapely.get_type_id(parts)
        if (pt == _COLLECTION).any():
            parts, sub = shapely.get_parts(parts, return_index=True)
            part_of = part_of[sub]
            pt = shapely.get_type_id(parts)
        ok = (pt == _POINT) & ~shapely.is_empty(parts)
        parts, part_of = parts[ok], part_of[ok]
        if len(parts):
            xy = shapely.get_coordinates(parts)
            points = PartArrays.from_parts(xy, np.arange(len(xy)), np.ones(len(xy), np.int64),
                                           pt_sel[part_of])
    fb = shapely.bounds(geoms)
    return GeometryArrays(n, rings, lines, points, fb)


_GEOMETRY_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_GEOMETRY_LOCK = threading.Lock()


def layer_geometry(layer, crs) -> GeometryArrays:
    """:class:`GeometryArrays` of a VectorLayer's data in ``crs``, cached per layer, CRS and
    ``layer.data_version`` (thread-safe; rebuilt after the layer emits "data")."""
    key = str(crs) if crs is not None else ""
    version = getattr(layer, "data_version", 0)
    with _GEOMETRY_LOCK:
        per_layer = _GEOMETRY_CACHE.get(layer)
        hit = per_layer.get(key) if per_layer is not None else None
    if hit is not None and hit[0] == version:
        return hit[1]
    arrays = geometry_arrays(layer.in_crs(crs).geometry.to_numpy())
    with _GEOMETRY_LOCK:
        per_layer = _GEOMETRY_CACHE.setdefault(layer, {})
        per_layer[key] = (version, arrays)
    return arrays


def cull_mask(bbox: np.ndarray, view: tuple[float, float, float, float]) -> np.ndarray:
    """Parts whose bbox (k, 4) intersects the ``view`` box."""
    with np.errstate(invalid="ignore"):
        return ((bbox[:, 0] <= view[2]) & (bbox[:, 2] >= view[0])
                & (bbox[:, 1] <= view[3]) & (bbox[:, 3] >= view[1]))


@dataclass
class ViewParts:
    """What one layer draws in one view: per class code a path and the tiny parts as pixels.

    paths: {code: QPainterPath} in pixels; pixels: (k, 2) float pixel centres of parts smaller
    than ``tiny_px`` with ``pixel_codes`` (k,); drawn: parts drawn as paths.
    """

    paths: dict[int, QPainterPath]
    pixels: np.ndarray
    pixel_codes: np.ndarray
    drawn: int


def _gather(parts: PartArrays, sel: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points and counts of the parts ``sel`` (ascending indices), without a copy when all."""
    if len(sel) == len(parts) and (len(sel) == 0 or (sel[0] == 0 and sel[-1] == len(parts) - 1)):
        return parts.xy, parts.counts
    counts = parts.counts[sel]
    return parts.xy[_ring_points(parts.starts[sel], counts)], counts


def _snap_parts(xy: np.ndarray, counts: np.ndarray, grid: float, min_points: int
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Snap to ``grid``, drop consecutive duplicates and parts left with < ``min_points``
    (a closed ring keeps its closing point so its outline is complete); returns (xy, counts,
    alive mask over the input parts)."""
    if len(xy) == 0:
        return xy, counts, np.ones(len(counts), bool)
    starts = _starts(counts)
    if grid > 0:
        q = np.round(xy * (1.0 / grid))
        keep = np.empty(len(q), dtype=bool)
        keep[0] = True
        np.not_equal(q[1:, 0], q[:-1, 0], out=keep[1:])
        keep[1:] |= q[1:, 1] != q[:-1, 1]
        keep[starts] = True
        if min_points >= 4:
            keep[starts + counts - 1] = True
        q *= grid
    else:
        q, keep = xy, np.ones(len(xy), bool)
    total = np.cumsum(keep, dtype=np.int64)
    ends = starts + counts - 1
    kept = total[ends] - total[starts] + 1
    alive = kept >= min_points
    if not alive.all():
        keep &= np.repeat(alive, counts)
    return q[keep], kept[alive], alive


def path_bytes_path(xy: np.ndarray, counts: np.ndarray, fill_rule: int = _ODD_EVEN_FILL) -> QPainterPath:
    """:func:`path_from_rings` with a chosen fill rule (0 odd-even, 1 winding)."""
    return path_from_rings(xy, counts, fill_rule)


def _paths_grouped(xy: np.ndarray, counts: np.ndarray, codes: np.ndarray, fill_rule: int
                   ) -> dict[int, QPainterPath]:
    out: dict[int, QPainterPath] = {}
    if len(counts) == 0:
        return out
    if (codes == codes[0]).all():
        out[int(codes[0])] = path_bytes_path(xy, counts, fill_rule)
        return out
    order = np.argsort(codes, kind="stable")
    point_order = _ring_points(_starts(counts)[order], counts[order])
    xy, counts, codes = xy[point_order], counts[order], codes[order]
    bounds = np.flatnonzero(np.diff(codes)) + 1
    lo_, hi_ = np.r_[0, bounds], np.r_[bounds, len(codes)]
    point_start = np.r_[0, np.cumsum(counts)]
    for lo, hi in zip(lo_, hi_, strict=True):
        out[int(codes[lo])] = path_bytes_path(xy[point_start[lo]:point_start[hi]], counts[lo:hi], fill_rule)
    return out


def view_paths(parts: PartArrays, feature_codes: np.ndarray, transform: WorldToPixel,
               view: tuple[float, float, float, float], *, closed: bool, snap_px: float = 0.5,
               tiny_px: float = 0.0, rows: np.ndarray | None = None) -> ViewParts:
    """Paths (per class code) of the parts inside ``view``, in pixels.

    closed: rings (≥ 3 distinct points kept) or open lines (≥ 2). Parts whose bbox is smaller
    than ``tiny_px`` pixels on both sides are returned as pixel centres instead (drawn by the
    caller as single pixels); 0 keeps every part as a path. rows: only these features.
    """
    sel = cull_mask(parts.bbox, view)
    if rows is not None:
        sel &= np.isin(parts.geom, rows)
    s = transform.px_per_unit
    tiny = np.zeros(len(sel), bool)
    if tiny_px > 0:
        b = parts.bbox
        with np.errstate(invalid="ignore"):
            tiny = sel & ((b[:, 2] - b[:, 0]) * s < tiny_px) & ((b[:, 3] - b[:, 1]) * s < tiny_px)
        sel &= ~tiny
    tiny_idx = np.flatnonzero(tiny)
    if len(tiny_idx):
        b = parts.bbox[tiny_idx]
        centre = np.column_stack([(b[:, 0] + b[:, 2]) * 0.5, (b[:, 1] + b[:, 3]) * 0.5])
        pixels = transform.apply(centre)
        pixel_codes = feature_codes[parts.geom[tiny_idx]]
    else:
        pixels, pixel_codes = np.zeros((0, 2)), np.zeros(0, np.int64)
    idx = np.flatnonzero(sel)
    if len(idx) == 0:
        return ViewParts({}, pixels, pixel_codes, 0)
    xy, counts = _gather(parts, idx)
    xy = transform.apply(xy)
    xy, counts, alive = _snap_parts(xy, counts, snap_px, 4 if closed else 2)
    codes = feature_codes[parts.geom[idx[alive]]]
    rule = _WINDING_FILL if closed else _ODD_EVEN_FILL  # oriented rings: overlaps fill, holes stay empty
    return ViewParts(_paths_grouped(xy, counts, codes, rule), pixels, pixel_codes, int(alive.sum()))


def marker_paths(points: PartArrays, feature_codes: np.ndarray, transform: WorldToPixel,
                 view_px: tuple[float, float, float, float], radius_px: float,
                 rows: np.ndarray | None = None) -> tuple[dict[int, QPainterPath], int]:
    """Circle markers (polygons of 8–32 sides, winding fill so overlaps stay filled) of radius
    ``radius_px`` around the points inside the pixel box ``view_px`` (left, top, right, bottom)."""
    if len(points) == 0:
        return {}, 0
    xy = transform.apply(points.xy)
    r = max(radius_px, 0.5)
    ok = ((xy[:, 0] >= view_px[0] - r) & (xy[:, 0] <= view_px[2] + r)
          & (xy[:, 1] >= view_px[1] - r) & (xy[:, 1] <= view_px[3] + r))
    if rows is not None:
        ok &= np.isin(points.geom, rows)
    idx = np.flatnonzero(ok)
    if len(idx) == 0:
        return {}, 0
    sides = int(min(32, max(8, round(2 * np.pi * r / 2))))
    a = np.linspace(0, 2 * np.pi, sides + 1)
    unit = np.column_stack([np.cos(a), np.sin(a)]) * r
    ring = (xy[idx][:, None, :] + unit[None, :, :]).reshape(-1, 2)
    counts = np.full(len(idx), sides + 1, dtype=np.int64)
    codes = feature_codes[points.geom[idx]]
    return _paths_grouped(ring, counts, codes, _WINDING_FILL), len(idx)
