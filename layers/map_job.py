"""A cached map renderer for the GUI canvas (QtGui only; usable from a worker thread).

``MapRenderJob().render(layers, extent, width_px, height_px, dpr=1.0, background="#ffffff",
cancelled=lambda: False, crs=None) -> QImage`` draws the drawn layers of a LayerTree (or a list of
Vector- and RasterLayers) into a new premultiplied ARGB32 image of
``width_px·dpr × height_px·dpr`` device pixels (``devicePixelRatio`` = dpr), with selected
features highlighted and labels. It keeps, across calls:

- per layer and CRS the flattened coordinate arrays and per-part bounding boxes
  (:func:`layers.qpath.layer_geometry`, rebuilt after the layer emits "data");
- per layer the class code of every feature (rebuilt after "style"/"data");
- the image of each heavy layer (≥ :attr:`MapRenderJob.layer_cache_min_parts` parts) for the last
  extent/size, so a change of another layer, of the selection or of the opacity does not redraw it;
- the last composed image: the same state and extent again returns it at once.

How a view is drawn, all vectorised with numpy (DOMAIN.md §7: no per-feature Python calls, no
QPolygonF built point by point):

1. cull: the parts whose bounding box meets the view (numpy masks over the cached boxes);
2. sub-pixel parts (box < ``tiny_px`` on both sides) are not drawn as geometry: their coverage
   (box area in px², summed per pixel, capped at 1) is blended into the pixel under their centre,
   writing the image buffer directly;
3. the others are transformed to pixels, snapped to a half-pixel grid with consecutive duplicates
   and collapsed rings dropped (≈1 px simplification), grouped by class and read into one
   QPainterPath per class from bytes (:mod:`layers.qpath`), in chunks with ``cancelled()``
   checked between them; outlines are stroked only for parts at least ``outline_min_px`` wide.

A cancelled render returns the partial image with ``last_stats.cancelled`` True (do not show it).
Call from one thread at a time per job (the canvas's worker); layers must not be edited during a
render (the canvas re-renders after their "changed" events).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from layers.layer import VectorLayer
from layers.legend import device_font
from layers.qpath import (
    _ODD_EVEN_FILL,
    _WINDING_FILL,
    PartArrays,
    WorldToPixel,
    _gather,
    _paths_grouped,
    _snap_parts,
    cull_mask,
    layer_geometry,
    marker_paths,
)
from layers.render import (
    SNAP_PX,
    LayerSymbols,
    _draw_labels,
    _draw_selection,
    _Occupancy,
    draw_entries,
    draw_line_paths,
    draw_marker_paths,
    draw_polygon_paths,
    ensure_gui_app,
    layer_symbols,
)

Extent = tuple[float, float, float, float]
CHUNK_PARTS = 150_000  # parts per path batch: cancel checks between batches


@dataclass
class JobStats:
    """Timings (ms) and counts of the last :meth:`MapRenderJob.render`."""

    total_ms: float = 0.0
    prepare_ms: float = 0.0  # geometry arrays, class codes (only after data/style changes)
    cull_ms: float = 0.0  # bounding-box culling and sub-pixel sorting
    paths_ms: float = 0.0  # transform, snap, QPainterPath from bytes
    draw_ms: float = 0.0  # QPainter fills and strokes (and raster images)
    pixels_ms: float = 0.0  # sub-pixel parts written into the image
    compose_ms: float = 0.0  # cached layer images drawn onto the map
    selection_ms: float = 0.0
    labels_ms: float = 0.0
    layers: int = 0
    layers_from_cache: int = 0
    parts_drawn: int = 0  # parts drawn as geometry
    pixels_drawn: int = 0  # sub-pixel parts drawn as pixels
    labels_drawn: int = 0
    image_cached: bool = False  # the whole image came from the cache
    cancelled: bool = False
    per_layer_ms: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {k: (round(v, 2) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass
class _LayerImage:
    key: tuple
    image: QImage


class MapRenderJob:
    """Cached canvas renderer (see the module doc).

    splat_px: polygon rings whose bounding box is smaller than this (device px, both sides) are not
        drawn as geometry but splatted: their area spread over the pixels under their box.
    tiny_px: line parts smaller than this are splatted likewise.
    outline_min_px: polygon outlines are stroked only for parts at least this wide (device px).
    labels: draw labels of styles with a ``label_field``; label_size_pt: their size.
    layer_cache_min_parts: layers with at least this many parts keep their own image.
    """

    def __init__(self, *, splat_px: float = 3.0, tiny_px: float = 1.0, outline_min_px: float = 3.0,
                 labels: bool = True, label_size_pt: float = 9.0,
                 layer_cache_min_parts: int = 20_000) -> None:
        self.splat_px = min(splat_px, 3.0)  # ≤ 3 px: a box spans at most 4 × 4 pixels
        self.tiny_px = tiny_px
        self.outline_min_px = outline_min_px
        self.labels = labels
        self.label_size_pt = label_size_pt
        self.layer_cache_min_parts = layer_cache_min_parts
        self.last_stats = JobStats()
        self._codes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._layer_images: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._last: tuple[tuple, QImage] | None = None

    def invalidate(self, layer=None) -> None:
        """Forget cached images (of ``layer`` only, or all); geometry caches follow data_version."""
        self._last = None
        if layer is None:
            self._layer_images.clear()
            self._codes.clear()
        else:
            self._layer_images.pop(layer, None)
            self._codes.pop(layer, None)

    # ---- public --------------------------------------------------------------------------------

    def render(self, layers, extent: Extent, width_px: int, height_px: int, dpr: float = 1.0,
               background: str | None = "#ffffff", cancelled: Callable[[], bool] = lambda: False,
               crs=None) -> QImage:
        """The map of ``layers`` over ``extent`` (xmin, ymin, xmax, ymax in ``crs``, default the
        bottom drawn layer's CRS; the aspect ratio is kept, centred) as a QImage."""
        t0 = time.perf_counter()
        ensure_gui_app()
        stats = JobStats()
        self.last_stats = stats
        entries = draw_entries(layers)
        if crs is None and entries:
            crs = entries[0][0].crs
        w, h = max(1, round(width_px * dpr)), max(1, round(height_px * dpr))
        xmin, ymin, xmax, ymax = (float(v) for v in extent)  # plain floats: the cache key holds them
        extent = (xmin, ymin, xmax, ymax)
        key = (tuple(_state(lyr, op) for lyr, op in entries), extent, w, h, float(dpr), background,
               str(crs), self.labels)
        if self._last is not None and self._last[0] == key:
            stats.image_cached = True
            stats.total_ms = (time.perf_counter() - t0) * 1000
            return QImage(self._last[1])
        image = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        image.fill(QColor(background) if background else QColor(0, 0, 0, 0))
        transform = WorldToPixel.fit(extent, (0.0, 0.0, float(w), float(h)))
        view = transform.world_rect((0.0, 0.0, float(w), float(h)))
        view_px = (0.0, 0.0, float(w), float(h))
        dpi = 96.0 * dpr
        painter = QPainter(image)
        try:
            for layer, opacity in entries:
                if cancelled():
                    stats.cancelled = True
                    return image
                tl = time.perf_counter()
                if isinstance(layer, VectorLayer):
                    self._vector(painter, image, layer, opacity, crs, transform, view, view_px, dpi,
                                 (extent, w, h, str(crs)), stats, cancelled)
                else:
                    painter.save()
                    painter.setOpacity(opacity)
                    try:
                        layer.draw(painter, crs, transform, view)
                    finally:
                        painter.restore()
                    stats.draw_ms += (time.perf_counter() - tl) * 1000
                stats.layers += 1
                stats.per_layer_ms[layer.name] = round((time.perf_counter() - tl) * 1000, 2)
                if stats.cancelled:
                    return image
            vectors = [lyr for lyr, _ in entries if isinstance(lyr, VectorLayer)]
            ts = time.perf_counter()
            for layer in vectors:
                if len(layer.selection):
                    _draw_selection(painter, layer, crs, transform, view, dpi, view_px)
            stats.selection_ms = (time.perf_counter() - ts) * 1000
            if self.labels and not cancelled():
                tl = time.perf_counter()
                rect = QRectF(0, 0, w, h)
                occupied = _Occupancy(rect, 3 * dpi / 72)
                font = device_font(self.label_size_pt, dpi)
                from layers.render import RenderStats

                rs = RenderStats()
                for layer in reversed(vectors):
                    if getattr(layer.style, "label_field", None):
                        _draw_labels(painter, layer, crs, transform, rect, font, occupied, dpi / 72, rs)
                stats.labels_drawn = rs.labels_drawn
                stats.labels_ms = (time.perf_counter() - tl) * 1000
            stats.cancelled = bool(cancelled())
        finally:
            painter.end()
            stats.total_ms = (time.perf_counter() - t0) * 1000
        if not stats.cancelled:
            self._last = (key, image)
        return QImage(image)

    # ---- vector layers -------------------------------------------------------------------------

    def _symbols(self, layer: VectorLayer, stats: JobStats) -> LayerSymbols:
        key = (layer.data_version, layer.style_version, id(layer.style))
        hit = self._codes.get(layer)
        if hit is not None and hit[0] == key:
            return hit[1]
        t = time.perf_counter()
        sym = layer_symbols(layer)
        self._codes[layer] = (key, sym)
        stats.prepare_ms += (time.perf_counter() - t) * 1000
        return sym

    def _vector(self, painter: QPainter, image: QImage, layer: VectorLayer, opacity: float, crs,
                transform: WorldToPixel, view: Extent, view_px, dpi: float, view_key: tuple,
                stats: JobStats, cancelled) -> None:
        t = time.perf_counter()
        geo = layer_geometry(layer, crs)
        stats.prepare_ms += (time.perf_counter() - t) * 1000
        sym = self._symbols(layer, stats)
        n_parts = len(geo.rings) + len(geo.lines) + len(geo.points)
        if n_parts < self.layer_cache_min_parts:
            painter.save()
            painter.setOpacity(opacity)
            try:
                self._draw_parts(painter, image, geo, sym, transform, view, view_px, dpi, stats, cancelled,
                                 opacity)
            finally:
                painter.restore()
            return
        key = (layer.data_version, layer.style_version, id(layer.style), view_key)
        cached = self._layer_images.get(layer)
        if cached is None or cached.key != key:
            layer_image = QImage(image.width(), image.height(), QImage.Format.Format_ARGB32_Premultiplied)
            layer_image.fill(0)
            lp = QPainter(layer_image)
            try:
                self._draw_parts(lp, layer_image, geo, sym, transform, view, view_px, dpi, stats, cancelled,
                                 1.0, blank=True)
            finally:
                lp.end()
            if stats.cancelled:
                return
            cached = _LayerImage(key, layer_image)
            self._layer_images[layer] = cached
        else:
            stats.layers_from_cache += 1
        tc = time.perf_counter()
        painter.save()
        painter.setOpacity(opacity)
        painter.drawImage(QPointF(0, 0), cached.image)
        painter.restore()
        stats.compose_ms += (time.perf_counter() - tc) * 1000

    def _draw_parts(self, painter: QPainter, image: QImage, geo, sym: LayerSymbols, transform: WorldToPixel,
                    view: Extent, view_px, dpi: float, stats: JobStats, cancelled, opacity: float,
                    blank: bool = False) -> None:
        scale = dpi / 96.0
        if len(geo.rings):
            self._parts(painter, image, geo.rings, sym, transform, view, True, sym.outline_px * scale, stats,
                        cancelled, opacity, blank)
        if len(geo.lines) and not stats.cancelled:
            self._parts(painter, image, geo.lines, sym, transform, view, False, sym.line_px * scale, stats,
                        cancelled, opacity)
        if len(geo.points) and not stats.cancelled:
            t = time.perf_counter()
            paths, k = marker_paths(geo.points, sym.codes, transform, view_px, sym.marker_pt * dpi / 72 / 2)
            t1 = time.perf_counter()
            draw_marker_paths(painter, paths, sym, sym.outline_px * scale)
            stats.paths_ms += (t1 - t) * 1000
            stats.draw_ms += (time.perf_counter() - t1) * 1000
            stats.parts_drawn += k

    def _parts(self, painter: QPainter, image: QImage, parts: PartArrays, sym: LayerSymbols,
               transform: WorldToPixel, view: Extent, closed: bool, stroke_px: float, stats: JobStats,
               cancelled, opacity: float, blank: bool = False) -> None:
        t = time.perf_counter()
        s = transform.px_per_unit
        b = parts.bbox
        sel = cull_mask(b, view)
        with np.errstate(invalid="ignore"):
            wpx = (b[:, 2] - b[:, 0]) * s
            hpx = (b[:, 3] - b[:, 1]) * s
        big = np.maximum(wpx, hpx)
        tiny = sel & (big < (self.splat_px if closed else self.tiny_px))
        rest = sel & ~tiny
        if closed:
            small = np.flatnonzero(rest & (big < self.outline_min_px))
            large = np.flatnonzero(rest & (big >= self.outline_min_px))
            groups = [(small, 0.0), (large, stroke_px)]
        else:
            groups = [(np.flatnonzero(rest), stroke_px)]
        tiny_idx = np.flatnonzero(tiny)
        stats.cull_ms += (time.perf_counter() - t) * 1000
        colours = sym.fills if closed else sym.line_colours
        if len(tiny_idx):
            tp = time.perf_counter()
            if closed:
                weight = parts.ring_area()[tiny_idx] * (s * s)  # px², negative for holes
            else:
                weight = np.maximum(big[tiny_idx], 0.5) * max(stroke_px, 1.0)
            corner = transform.apply(b[tiny_idx][:, [0, 3]])  # (xmin, ymax) → top-left pixel corner
            box = np.column_stack([corner[:, 0], corner[:, 1], corner[:, 0] + wpx[tiny_idx],
                                   corner[:, 1] + hpx[tiny_idx]])
            codes = sym.codes[parts.geom[tiny_idx]]
            fallback = sym.outline if closed else "#000000"
            _splat(image, box, weight, codes, colours, fallback, opacity, blank=blank)
            stats.pixels_drawn += len(tiny_idx)
            stats.pixels_ms += (time.perf_counter() - tp) * 1000
        for idx, outline_px in groups:
            for lo in range(0, len(idx), CHUNK_PARTS):
                if cancelled():
                    stats.cancelled = True
                    return
                chunk = idx[lo:lo + CHUNK_PARTS]
                tp = time.perf_counter()
                xy, counts = _gather(parts, chunk)
                xy = transform.apply(xy)
                xy, counts, alive = _snap_parts(xy, counts, SNAP_PX, 4 if closed else 2)
                # oriented rings + winding fill: same-class overlaps fill, holes stay empty
                paths = _paths_grouped(xy, counts, sym.codes[parts.geom[chunk[alive]]],
                                       _WINDING_FILL if closed else _ODD_EVEN_FILL)
                td = time.perf_counter()
                stats.paths_ms += (td - tp) * 1000
                if closed:  # small parts: aliased fill only (antialiasing 100k subpaths costs ~2 s)
                    draw_polygon_paths(painter, paths, sym, outline_px, antialias_fill=False)
                else:
                    draw_line_paths(painter, paths, sym, outline_px)
                stats.draw_ms += (time.perf_counter() - td) * 1000
                stats.parts_drawn += int(alive.sum())


def _state(layer, opacity: float) -> tuple:
    """What a layer's look depends on, for the whole-image cache."""
    sel = getattr(layer, "selection", None)
    # the selection's version, not a digest of it: [1, 4, 5, 8] and [1, 3, 6, 8] have equal length,
    # ends and sum; the length still tells "nothing selected" from a stale version
    sel_key = (getattr(layer, "selection_version", 0), len(sel) if sel is not None else 0)
    data = getattr(layer, "gdf", None)
    data = data if data is not None else getattr(layer, "array", None)
    return (id(layer), id(data), getattr(layer, "data_version", 0), getattr(layer, "style_version", 0),
            id(getattr(layer, "style", None)), round(opacity, 4), sel_key,
            getattr(getattr(layer, "style", None), "label_field", None))


def _splat(image: QImage, box: np.ndarray, weight: np.ndarray, codes: np.ndarray,
           colours: Mapping[int, str | None], fallback: str, opacity: float, blank: bool = False) -> None:
    """Blend small parts into ``image`` (premultiplied ARGB32) without drawing their geometry: each
    part's ``weight`` (its area in px², negative for holes) is spread over the pixels under its
    pixel ``box`` (k, 4: left, top, right, bottom; at most 4 × 4 pixels) in proportion to the
    overlap. Per pixel the coverage is the sum, capped to [0, 1], and the colour the
    coverage-weighted mean of the parts' colours (vectorised with bincount over the image).
    blank: the image is known to be fully transparent (skip reading it)."""
    w, h = image.width(), image.height()
    if len(box) == 0:
        return
    keys = np.array(sorted(colours), dtype=np.int64)
    rgb = np.array([_rgb(colours[k] or fallback) for k in keys], dtype=np.float32)
    code_idx = np.clip(np.searchsorted(keys, codes), 0, len(keys) - 1)
    single = bool((code_idx == code_idx[0]).all()) or len(keys) == 1
    box = box.astype(np.float32)
    x0, y0, x1, y1 = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
    per_area = (weight / (np.maximum(x1 - x0, 1e-6) * np.maximum(y1 - y0, 1e-6))).astype(np.float32)
    ix0 = np.floor(x0).astype(np.int32)
    iy0 = np.floor(y0).astype(np.int32)
    n = w * h
    flats, weights, owners = [], [], []
    # boxes inside one pixel: all their weight there (the usual case zoomed out)
    one = (x1 <= ix0 + 1) & (y1 <= iy0 + 1) & (ix0 >= 0) & (ix0 < w) & (iy0 >= 0) & (iy0 < h)
    k1 = np.flatnonzero(one)
    if len(k1):
        flats.append(iy0[k1] * w + ix0[k1])
        weights.append(np.asarray(weight, np.float32)[k1])
        owners.append(k1)
    rest = np.flatnonzero(~one)
    if len(rest):
        rx0, ry0, rx1, ry1 = x0[rest], y0[rest], x1[rest], y1[rest]
        rix, riy, rpa = ix0[rest], iy0[rest], per_area[rest]
        span_x = int(min(4, np.max(np.ceil(rx1) - rix)))
        span_y = int(min(4, np.max(np.ceil(ry1) - riy)))
        for dy in range(span_y):
            cy = riy + dy
            oy = np.minimum(ry1, cy + 1) - np.maximum(ry0, cy)
            okx = (oy > 0) & (cy >= 0) & (cy < h)
            for dx in range(span_x):
                cx = rix + dx
                ox = np.minimum(rx1, cx + 1) - np.maximum(rx0, cx)
                ok = np.flatnonzero(okx & (ox > 0) & (cx >= 0) & (cx < w))
                if len(ok) == 0:
                    continue
                flats.append(cy[ok] * w + cx[ok])
                weights.append(ox[ok] * oy[ok] * rpa[ok])
                owners.append(rest[ok])
    if not flats:
        return
    flat = np.concatenate(flats)
    c = np.concatenate(weights)
    cover = np.bincount(flat, weights=c, minlength=n)
    hit = np.flatnonzero(cover > 1.0 / 512)
    if len(hit) == 0:
        return
    alpha = (np.minimum(np.maximum(cover[hit], 0.0), 1.0) * float(opacity)).astype(np.float32)
    src: list[np.float32] | list[np.ndarray]  # R, G, B: of the one colour, else per pixel hit
    if single:
        src = [np.float32(v) for v in rgb[code_idx[0]]]
    else:
        owner = np.concatenate(owners)
        pos = np.maximum(c, 0.0)
        positive = np.maximum(np.bincount(flat, weights=pos, minlength=n)[hit], 1e-12)
        col = rgb[code_idx[owner]]
        src = [(np.bincount(flat, weights=pos * col[:, k], minlength=n)[hit] / positive).astype(np.float32)
               for k in range(3)]
    pixels = np.frombuffer(image.bits(), dtype=np.uint32).reshape(h, image.bytesPerLine() // 4)[:, :w]
    flat_px = pixels.reshape(-1) if pixels.flags.c_contiguous else None
    # premultiplied ARGB32 as uint32 0xAARRGGBB: out = src·α + dst·(1 − α) per channel
    if blank:
        parts = [(src[k] * alpha + 0.5).astype(np.uint32) for k in range(3)]
        a_out = (255.0 * alpha + 0.5).astype(np.uint32)
    else:
        dst = flat_px[hit] if flat_px is not None else pixels[hit // w, hit % w]
        keep = 1.0 - alpha
        parts = [(src[k] * alpha + ((dst >> shift) & 0xFF).astype(np.float32) * keep + 0.5).astype(np.uint32)
                 for k, shift in ((0, 16), (1, 8), (2, 0))]
        a_out = (255.0 * alpha + (dst >> 24).astype(np.float32) * keep + 0.5).astype(np.uint32)
    packed = (np.minimum(a_out, 255) << 24) | (np.minimum(parts[0], 255) << 16) \
        | (np.minimum(parts[1], 255) << 8) | np.minimum(parts[2], 255)
    if flat_px is not None:
        flat_px[hit] = packed
    else:
        pixels[hit // w, hit % w] = packed


def _rgb(colour: str) -> tuple[int, int, int]:
    c = QColor(colour)
    return c.red(), c.green(), c.blue()
