"""The map canvas: a QWidget showing the visible layers of a LayerTree in one map CRS.

How it draws (like QGIS's map canvas):

* The view is a centre (map units) and a resolution (map units per logical pixel); the extent
  follows from the widget's size, so the aspect ratio is always kept.
* Rendering happens off the GUI thread: a request snapshots the visible layers, extent and size
  and hands it to the canvas's render thread, where ``layers.map_job.MapRenderJob.render``
  draws into a QImage. Every request has a generation number; the task's ``cancelled`` callable
  is true as soon as a newer request exists, and a finished image of an older generation is
  dropped, so only the newest view is ever shown. The GUI thread only blits.
* Until the new image arrives the last image is drawn transformed to the current view: shifted
  while panning (one blit per frame), scaled while wheel-zooming.
* Layer tree events are coalesced (``REDRAW_DEBOUNCE_MS``) into one redraw.
* Optional basemap (app.gui.basemap): tiles are composited into their own image for the view
  in the GUI thread (tiles arrive asynchronously) and drawn under a transparent layer image.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from pyproj import CRS
from PySide6.QtCore import (
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QWidget

from app.gui import measure
from app.gui.basemap import Basemap, TileCache, TileSource
from app.gui.map_tools import TOOL_NAMES, MapTool, MeasureTool, make_tools
from app.gui.render_job import DrawSnapshot, Generation, RenderSignals, RenderTask, RenderThread, make_job
from layers.query import features_at, features_in_box

Extent = tuple[float, float, float, float]
REDRAW_DEBOUNCE_MS = 30  # coalesce bursts of layer-tree events / wheel notches into one render
BASEMAP_DEBOUNCE_MS = 60  # coalesce arriving tiles into one recomposition
IDENTIFY_TOLERANCE_PX = 4.0  # search radius of identify/select clicks (logical pixels)
WHEEL_STEP = math.sqrt(2.0)  # zoom factor per wheel notch (120 eighths of a degree)
ZOOM_MARGIN = 0.03  # zoom full / to layer: the layers' bounds + 3 % of the larger side
MIN_SPAN_M = 1.0  # zoom to a single point: at least this many metres wide
BACKGROUND = "#ffffff"


# ---- the view -----------------------------------------------------------------------------------

class _View:
    """Centre (map units), map units per logical pixel and the widget size it was drawn for."""

    __slots__ = ("cx", "cy", "h", "upp", "w")

    def __init__(self, cx: float, cy: float, upp: float, w: int, h: int) -> None:
        self.cx, self.cy, self.upp, self.w, self.h = cx, cy, upp, w, h

    def copy(self) -> _View:
        return _View(self.cx, self.cy, self.upp, self.w, self.h)

    def extent(self) -> Extent:
        hw, hh = self.w / 2 * self.upp, self.h / 2 * self.upp
        return self.cx - hw, self.cy - hh, self.cx + hw, self.cy + hh


def _selected(layer) -> int:
    """How many features of ``layer`` are selected (a layer read by view: also outside its window)."""
    return len(getattr(layer, "selected_keys", getattr(layer, "selection", ())))


class MapCanvas(QWidget):
    """Map view of a layer tree.

    Signals: ``coordinates_changed(str)`` "lon, lat | x, y" under the cursor,
    ``scale_changed(float)`` the 1:N denominator, ``identified(object layer, list rows)``,
    ``measured(float value, str kind)`` (m or m²; kind "distance" | "area"),
    ``render_finished(float ms)``, ``selection_changed(object layer)`` (when the canvas changed a
    layer's selection), ``extent_changed(object extent)``, ``tool_changed(str)``,
    ``crs_changed(object crs)``, ``status_message(str)`` (a hint for the status bar),
    ``render_failed(str)``.
    """

    coordinates_changed = Signal(str)
    scale_changed = Signal(float)
    identified = Signal(object, list)
    measured = Signal(float, str)
    render_finished = Signal(float)
    selection_changed = Signal(object)
    extent_changed = Signal(object)
    tool_changed = Signal(str)
    crs_changed = Signal(object)
    status_message = Signal(str)
    render_failed = Signal(str)
    _tree_event = Signal()  # layer-tree callbacks (any thread) → GUI thread

    def __init__(self, tree, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setMinimumSize(50, 50)
        self.tree = tree
        self.home_layer: Callable[[], Any] | None = None
        """Returns the layer "Zoom Full" frames when it is visible (the park's red line), or None:
        a park's townships can cover a district that makes the park a speck."""
        self._crs: CRS | None = None
        self._view: _View | None = None
        self._fit_extent: Extent | None = None  # refit on resize until the user pans/zooms
        self._image: QImage | None = None
        self._image_view: _View | None = None
        self._base_image: QImage | None = None
        self._base_view: _View | None = None
        self._basemap: Basemap | None = None
        self._network_enabled = False
        self._tile_cache: TileCache | None = None
        self._background = BACKGROUND
        self._last_scale: float | None = None
        self._last_extent: Extent | None = None
        self.last_render_ms: float | None = None
        self.last_paint_ms: float | None = None
        self.renders_shown = 0
        self._job = make_job()
        self._worker = RenderThread()  # one thread: never two renders racing over the job's caches
        self._worker.start()
        self.destroyed.connect(lambda *_args, w=self._worker: w.stop(0.5))
        self._gen = Generation()
        self._pending: dict[int, _View] = {}
        self._signals = RenderSignals(self)
        self._signals.done.connect(self._on_render_done)
        self._signals.failed.connect(self._on_render_failed)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(REDRAW_DEBOUNCE_MS)
        self._render_timer.timeout.connect(self._start_render)
        self._base_timer = QTimer(self)
        self._base_timer.setSingleShot(True)
        self._base_timer.setInterval(BASEMAP_DEBOUNCE_MS)
        self._base_timer.timeout.connect(self._compose_basemap)
        self._middle_pan: QPointF | None = None
        self._active_layer = None
        self._tools = make_tools(self)
        self._tool: MapTool = self._tools["pan"]
        self._tool.activate()
        self._tree_event.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = tree.changed.connect(self._on_tree_changed)

    # ---- model events

    def _on_tree_changed(self, *args) -> None:
        self._tree_event.emit()  # queued: safe from any thread, coalesced by refresh()

    def shutdown(self) -> None:
        """Stop listening and wait for a running render (called on close)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._render_timer.stop()
        self._gen.next()  # cancels whatever runs
        self._worker.stop()
        if self._basemap is not None:
            self._basemap.abort_requests()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    # ---- layers

    def _all_layers(self) -> list:
        layers = getattr(self.tree, "layers", None)
        return list(layers()) if callable(layers) else list(self.tree)

    def _visible_layers(self) -> list:
        return list(self.tree.visible_layers())

    def _snapshot(self) -> DrawSnapshot:
        draw_list = getattr(self.tree, "draw_list", None)
        if callable(draw_list):
            return DrawSnapshot(draw_list())
        return DrawSnapshot([(lyr, lyr.opacity) for lyr in self._visible_layers()])

    @staticmethod
    def _is_vector(layer) -> bool:
        return hasattr(layer, "gdf")

    # ---- CRS and view

    def crs(self) -> CRS | None:
        """The map CRS (None until set or taken from the first layer)."""
        if self._crs is None:
            for layer in self._all_layers():
                c = getattr(layer, "crs", None)
                if c is not None:
                    self._crs = CRS.from_user_input(c)
                    break
        return self._crs

    def set_crs(self, crs) -> None:
        """Set the map CRS (anything pyproj accepts). The current view is carried over."""
        new = CRS.from_user_input(crs) if crs is not None else None
        old = self._crs
        if new == old and new is not None:
            return
        extent = self.extent() if self._view is not None else None
        self._crs = new
        self._image = self._base_image = None
        if extent is not None and old is not None and new is not None:
            from pyproj import Transformer

            try:
                t = Transformer.from_crs(old, new, always_xy=True)
                b = t.transform_bounds(*extent, densify_pts=21)
                if all(map(math.isfinite, b)):
                    self.set_extent(b)
            except Exception:  # an extent outside the new CRS's area: zoom full
                self.zoom_full()
        self.crs_changed.emit(new)
        self.refresh()

    def _size(self) -> tuple[int, int]:
        return max(self.width(), 1), max(self.height(), 1)

    def _ensure_view(self) -> bool:
        if self._view is None:
            self.zoom_full()
        return self._view is not None

    def extent(self) -> Extent | None:
        """The visible extent (xmin, ymin, xmax, ymax) in the map CRS."""
        if self._view is None:
            return None
        v = self._view.copy()
        v.w, v.h = self._size()
        return v.extent()

    def set_extent(self, extent: Extent, *, _keep_fit: bool = False) -> None:
        """Show ``extent`` (map CRS) whole, centred, aspect ratio kept (extra room on one axis)."""
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
        if not all(map(math.isfinite, (xmin, ymin, xmax, ymax))):
            raise ValueError(f"extent must be finite numbers: {extent}")
        if xmax < xmin:
            xmin, xmax = xmax, xmin
        if ymax < ymin:
            ymin, ymax = ymax, ymin
        w, h = self._size()
        span = max(xmax - xmin, ymax - ymin)
        if span <= 0:  # a point: a small box around it
            pad = MIN_SPAN_M / measure.metres_per_unit(self._crs) / 2
            if measure.is_geographic(self._crs):
                pad = MIN_SPAN_M / 111_320.0 / 2  # ≈ metres per degree
            xmin, xmax, ymin, ymax = xmin - pad, xmax + pad, ymin - pad, ymax + pad
        upp = max((xmax - xmin) / w, (ymax - ymin) / h)
        self._view = _View((xmin + xmax) / 2, (ymin + ymax) / 2, upp, w, h)
        self._fit_extent = (xmin, ymin, xmax, ymax)
        self._view_changed()

    def _view_changed(self, render: bool = True) -> None:
        self.update()
        ext = self.extent()
        if ext != self._last_extent:
            self._last_extent = ext
            self.extent_changed.emit(ext)
        s = self.scale()
        if s is not None and (self._last_scale is None or abs(s - self._last_scale) > 1e-9 * s):
            self._last_scale = s
            self.scale_changed.emit(s)
        if render:
            self.refresh()

    def units_per_pixel(self) -> float | None:
        return self._view.upp if self._view is not None else None

    def to_map(self, px: float, py: float) -> tuple[float, float]:
        """Widget pixel (logical) → map coordinates."""
        v = self._view
        if v is None:
            return float("nan"), float("nan")
        w, h = self._size()
        return v.cx + (px - w / 2) * v.upp, v.cy - (py - h / 2) * v.upp

    def to_pixel(self, x, y):
        """Map coordinates (numbers or numpy arrays) → widget pixels (logical)."""
        v = self._view
        w, h = self._size()
        if v is None:
            return x * np.nan, y * np.nan
        return (x - v.cx) / v.upp + w / 2, h / 2 - (y - v.cy) / v.upp

    def scale(self) -> float | None:
        """The scale denominator N (1:N) at the widget's logical dpi, at the view's centre."""
        v = self._view
        if v is None:
            return None
        crs = self.crs()
        at = measure.to_lonlat(v.cx, v.cy, crs) if measure.is_geographic(crs) else None
        return measure.scale_denominator(v.upp, self._dpi(), crs, at)

    def set_scale(self, denominator: float) -> None:
        """Zoom about the centre to the scale 1:``denominator``."""
        s = self.scale()
        if s and denominator > 0:
            self.zoom_by(s / denominator)

    def _dpi(self) -> float:
        return float(self.logicalDpiX()) or 96.0

    # ---- navigation

    def zoom_full(self) -> None:
        """Zoom to the home layer when it is visible (see :attr:`home_layer`), else to all
        visible layers (+3 %)."""
        home = self.home_layer() if self.home_layer is not None else None
        if home is not None and any(lyr is home for lyr in self._visible_layers()):
            bounds = self._union_bounds([home])
            if bounds is not None:
                self._zoom_to_bounds(bounds)
                return
        self._zoom_to_bounds(self._union_bounds(self._visible_layers()) or
                             self._union_bounds(self._all_layers()))

    def zoom_to_layer(self, layer) -> None:
        self._zoom_to_bounds(self._union_bounds([layer]))

    def zoom_to_selection(self) -> None:
        """Zoom to the selected features of all layers (nothing happens without a selection)."""
        from layers.query import selection_bounds  # a layer read by view: every selected row, from its file

        crs = self.crs()
        boxes = [b for layer in self._all_layers()
                 if self._is_vector(layer) and (b := selection_bounds(layer, crs)) is not None]
        if boxes:
            b = np.array(boxes)
            self._zoom_to_bounds((b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()))

    def _union_bounds(self, layers) -> Extent | None:
        crs = self.crs()
        boxes = []
        for layer in layers:
            try:
                b = layer.bounds(crs)
            except Exception:  # a layer that cannot be reprojected: skip it
                b = None
            if b is not None and all(map(math.isfinite, b)):
                boxes.append(b)
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))

    def _zoom_to_bounds(self, b: Extent | None) -> None:
        if b is None:
            return
        pad = ZOOM_MARGIN * max(b[2] - b[0], b[3] - b[1])
        self.set_extent((b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad))

    def zoom_by(self, factor: float, px: float | None = None, py: float | None = None) -> None:
        """Zoom in by ``factor`` (> 1 in, < 1 out) keeping the map point under pixel (px, py)
        (default: the centre) where it is."""
        if not self._ensure_view() or factor <= 0:
            return
        w, h = self._size()
        px = w / 2 if px is None else px
        py = h / 2 if py is None else py
        wx, wy = self.to_map(px, py)
        v = self._view
        v.upp /= factor
        v.cx = wx - (px - w / 2) * v.upp
        v.cy = wy + (py - h / 2) * v.upp
        self._fit_extent = None
        self._view_changed()

    def pan_by_pixels(self, dx: float, dy: float) -> None:
        """Move the map by (dx, dy) pixels (the content follows the mouse). Only repaints: the
        last image is shifted; call :meth:`pan_finished` to render the new view."""
        if self._view is None:
            return
        self._view.cx -= dx * self._view.upp
        self._view.cy += dy * self._view.upp
        self._fit_extent = None
        self._view_changed(render=False)

    def pan_finished(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Ask for a redraw (coalesced: one render ``REDRAW_DEBOUNCE_MS`` after the last ask)."""
        self._render_timer.start()

    # ---- rendering

    def render_now(self) -> None:
        """Start a render of the current view immediately (skipping the debounce)."""
        self._render_timer.stop()
        self._start_render()

    def _start_render(self) -> None:
        if not self._ensure_view():
            self._image = None
            self.update()
            return
        w, h = self._size()
        view = self._view.copy()
        view.w, view.h = w, h
        number = self._gen.next()
        self._pending = {number: view}
        background = "transparent" if self._basemap is not None else self._background
        task = RenderTask(self._job, self._gen, number, self._signals, self._snapshot(),
                           view.extent(), QSize(w, h), self.devicePixelRatioF(), background,
                           self.crs())
        self._worker.submit(task)
        if self._basemap is not None:
            self._base_timer.start()

    def is_rendering(self) -> bool:
        return bool(self._pending)

    def _on_render_done(self, number: int, image: QImage, ms: float) -> None:
        view = self._pending.pop(number, None)
        if view is None or number != self._gen.latest:
            return  # superseded: never show stale content
        self._image, self._image_view = image, view
        self.last_render_ms = ms
        self.renders_shown += 1
        self.update()
        self.render_finished.emit(ms)

    def _on_render_failed(self, number: int, message: str) -> None:
        self._pending.pop(number, None)
        if number == self._gen.latest:
            self.render_failed.emit(message)

    def wait_for_render(self, timeout_ms: int = 10_000) -> bool:
        """Block (processing events) until no render is pending; for tests and benchmarks."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QEventLoop

        deadline = QDeadlineTimer(timeout_ms)
        while (self._render_timer.isActive() or self._pending) and not deadline.hasExpired():
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.002)
        return not (self._render_timer.isActive() or self._pending)

    # ---- basemap

    def set_basemap(self, source: TileSource | str | None) -> None:
        """Show ``source`` (a TileSource or an XYZ URL template) under the layers, or none.
        Tiles come from the disk cache, and from the network only when it is enabled."""
        from app.gui.basemap import xyz_source

        if self._basemap is not None:
            self._basemap.abort_requests()
            self._basemap.tiles_changed.disconnect(self._base_timer.start)
            self._basemap.deleteLater()
            self._basemap = None
        self._base_image = None
        if source is not None:
            if isinstance(source, str):
                source = xyz_source(source)
            self._basemap = Basemap(source, self._tile_cache, self._network_enabled, self)
            self._basemap.tiles_changed.connect(self._base_timer.start)
        self.refresh()

    def basemap(self) -> Basemap | None:
        return self._basemap

    def set_network_enabled(self, on: bool) -> None:
        """Allow tile downloads (the user's network-use setting; off by default)."""
        self._network_enabled = bool(on)
        if self._basemap is not None:
            self._basemap.set_network_enabled(on)
            self._base_timer.start()

    def set_tile_cache(self, cache: TileCache | None) -> None:
        self._tile_cache = cache
        if self._basemap is not None and cache is not None:
            self._basemap.cache = cache

    def _compose_basemap(self) -> None:
        bm = self._basemap
        if bm is None or self._view is None or self.crs() is None:
            self._base_image = None
            return
        w, h = self._size()
        view = self._view.copy()
        view.w, view.h = w, h
        dpr = self.devicePixelRatioF()
        img = QImage(int(w * dpr), int(h * dpr), QImage.Format.Format_ARGB32_Premultiplied)
        img.setDevicePixelRatio(dpr)
        img.fill(QColor(self._background))
        painter = QPainter(img)
        try:
            def world_to_px(x, y):
                return (x - view.cx) / view.upp + w / 2, h / 2 - (y - view.cy) / view.upp

            bm.draw(painter, view.extent(), self.crs(), world_to_px, w, dpr)
        finally:
            painter.end()
        self._base_image, self._base_view = img, view
        self.update()

    # ---- identify and select

    def _search_box(self, px: float, py: float) -> tuple[float, float, float]:
        x, y = self.to_map(px, py)
        return x, y, IDENTIFY_TOLERANCE_PX * (self._view.upp if self._view else 0.0)

    def _query_layers(self) -> list:
        """Visible vector layers, top-most first."""
        return [lyr for lyr in reversed(self._visible_layers()) if self._is_vector(lyr)]

    def features_at_pixel(self, px: float, py: float, layer) -> np.ndarray:
        x, y, tol = self._search_box(px, py)
        return np.asarray(features_at(layer, x, y, tol, self.crs()), dtype=np.int64)

    def identify_at(self, px: float, py: float, all_layers: bool = False) -> list[tuple[object, list]]:
        """Features under widget pixel (px, py) within ``IDENTIFY_TOLERANCE_PX``: emits
        ``identified(layer, rows)`` for the top-most visible layer with hits (or
        ``identified(None, [])``); with ``all_layers`` returns every layer's hits, top first."""
        hits: list[tuple[object, list]] = []
        for layer in self._query_layers():
            # a layer read by view identifies from its file and gives row keys (layers/parquet_source.py)
            rows = layer.keys_at(*self._search_box(px, py), self.crs()) if hasattr(layer, "keys_at") \
                else self.features_at_pixel(px, py, layer)
            if len(rows):
                hits.append((layer, [int(r) for r in rows]))
                if not all_layers:
                    break
        if hits:
            self.identified.emit(hits[0][0], hits[0][1])
        else:
            self.identified.emit(None, [])
            self.status_message.emit(self.tr("No features here"))
        return hits

    def set_active_layer(self, layer) -> None:
        """The layer selection works on (None: the top-most visible layer with hits)."""
        self._active_layer = layer

    def active_layer(self):
        """The layer set by :meth:`set_active_layer` while it is still in the tree, else None."""
        layer = self._active_layer
        if layer is not None and not any(layer is lyr for lyr in self._all_layers()):
            return None
        return layer

    def _apply_selection(self, layer, rows: np.ndarray, mode: str) -> None:
        if hasattr(layer, "select_rows"):  # selection kept by row key (a layer read by view)
            if layer.select_rows(rows, mode):
                self.selection_changed.emit(layer)
            return
        old = np.asarray(layer.selection, dtype=np.int64)
        if mode == "add":
            rows = np.union1d(old, rows)
        elif mode == "remove":
            rows = np.setdiff1d(old, rows)
        if len(rows) == len(old) and np.array_equal(np.sort(rows), np.sort(old)):
            return
        layer.selection = rows
        self.selection_changed.emit(layer)

    def select_at(self, px: float, py: float, mode: str = "replace") -> None:
        """Select by click: mode "replace" | "add" (Shift) | "remove" (Ctrl)."""
        active = self.active_layer()
        targets = [active] if active is not None else self._query_layers()
        hit_layer, hit_rows = None, np.zeros(0, dtype=np.int64)
        for layer in targets:
            rows = self.features_at_pixel(px, py, layer)
            if len(rows):
                hit_layer, hit_rows = layer, rows[:1]  # one feature: the nearest
                break
        self._select_result(targets, hit_layer, hit_rows, mode)

    def select_in_rect(self, rect: QRectF, mode: str = "replace") -> None:
        """Select features intersecting the widget rectangle ``rect``."""

        x0, y0 = self.to_map(rect.left(), rect.bottom())
        x1, y1 = self.to_map(rect.right(), rect.top())
        bbox = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        active = self.active_layer()
        targets = [active] if active is not None else self._query_layers()
        if active is not None:
            rows = np.asarray(features_in_box(active, bbox, self.crs()), dtype=np.int64)
            self._select_result(targets, active, rows, mode)
            return
        for layer in targets:  # no active layer: every visible layer gets what the box holds
            rows = np.asarray(features_in_box(layer, bbox, self.crs()), dtype=np.int64)
            if len(rows) or mode == "replace":
                self._apply_selection(layer, rows, mode)

    def _select_result(self, targets, hit_layer, rows: np.ndarray, mode: str) -> None:
        if hit_layer is not None:
            self._apply_selection(hit_layer, rows, mode)
        if mode == "replace":  # a plain click elsewhere clears the other layers' selection
            for layer in targets:
                if layer is not hit_layer and _selected(layer):
                    self._apply_selection(layer, np.zeros(0, dtype=np.int64), "replace")

    def clear_selection(self) -> None:
        for layer in self._all_layers():
            if self._is_vector(layer) and _selected(layer):
                self._apply_selection(layer, np.zeros(0, dtype=np.int64), "replace")

    # ---- tools

    def tool(self) -> str:
        return self._tool.name

    def tools(self) -> dict[str, MapTool]:
        return dict(self._tools)

    def add_tool(self, tool: MapTool) -> None:
        """Register a custom tool (e.g. the siting tools) under ``tool.name`` so that
        ``set_tool(tool.name)`` selects it. A tool of the same name is replaced (deactivated first
        when it is the current one, and the new one activated)."""
        if not tool.name:
            raise ValueError("a map tool needs a name")
        old = self._tools.get(tool.name)
        self._tools[tool.name] = tool
        if old is not None and old is self._tool:
            old.deactivate()
            self._tool = tool
            tool.activate()
            self.update()

    def set_tool(self, name: str) -> None:
        """Switch to one of "pan", "zoom_in_box", "identify", "select", "measure_distance",
        "measure_area"."""
        if name not in self._tools:
            raise ValueError(f"unknown map tool {name!r}; one of {', '.join(TOOL_NAMES)}")
        if self._tool.name == name:
            return
        self._tool.deactivate()
        self._tool = self._tools[name]
        self._tool.activate()
        self.update()
        self.tool_changed.emit(name)
        hint = self._tool.hint()
        if hint:
            self.status_message.emit(hint)

    def measure_done(self, value: float, kind: str) -> None:
        self.measured.emit(float(value), kind)

    # ---- Qt events

    def sizeHint(self) -> QSize:
        return QSize(800, 600)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size() == event.oldSize():
            return
        if self._fit_extent is not None:
            self.set_extent(self._fit_extent)  # keep showing what was asked for
        elif self._view is not None:
            self._view_changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._image is None:
            self.refresh()

    def paintEvent(self, event: QPaintEvent) -> None:
        t0 = time.perf_counter()
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor(self._background))
            if self._view is not None:
                if self._basemap is not None and self._base_image is not None:
                    self._blit(painter, self._base_image, self._base_view)
                if self._image is not None:
                    self._blit(painter, self._image, self._image_view)
                if self._basemap is not None:
                    self._draw_attribution(painter)
            self._tool.paint(painter)
        finally:
            painter.end()
        self.last_paint_ms = (time.perf_counter() - t0) * 1000.0

    def _blit(self, painter: QPainter, image: QImage, iv: _View) -> None:
        """Draw ``image`` (rendered for view ``iv``) where it belongs in the current view."""
        v = self._view
        w, h = self._size()
        k = iv.upp / v.upp
        left = (iv.cx - iv.w / 2 * iv.upp - v.cx) / v.upp + w / 2
        top = h / 2 - (iv.cy + iv.h / 2 * iv.upp - v.cy) / v.upp
        if abs(k - 1.0) < 1e-9:  # panning: a plain (fast) blit at a pixel offset
            painter.drawImage(QPointF(round(left), round(top)), image)
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(QRectF(left, top, iv.w * k, iv.h * k), image)

    def _draw_attribution(self, painter: QPainter) -> None:
        text = self._basemap.source.attribution
        if not text:
            return
        font = QFont(painter.font())
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        painter.setFont(font)
        fm = QFontMetricsF(font)
        w, h = self._size()
        box = QRectF(w - fm.horizontalAdvance(text) - 10, h - fm.height() - 4,
                     fm.horizontalAdvance(text) + 8, fm.height() + 2)
        painter.fillRect(box, QColor(255, 255, 255, 190))
        painter.setPen(QColor("#303030"))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)

    def mousePressEvent(self, e: QMouseEvent) -> None:
        self._ensure_view()
        if e.button() == Qt.MouseButton.MiddleButton:
            self._middle_pan = e.position()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            return
        if not self._tool.press(e):
            super().mousePressEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        pos = e.position()
        if self._view is not None:
            x, y = self.to_map(pos.x(), pos.y())
            self.coordinates_changed.emit(measure.coordinates_text(x, y, self.crs()))
        if self._middle_pan is not None:
            d = pos - self._middle_pan
            self._middle_pan = pos
            self.pan_by_pixels(d.x(), d.y())
            return
        self._tool.move(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        if e.button() == Qt.MouseButton.MiddleButton and self._middle_pan is not None:
            self._middle_pan = None
            self.setCursor(self._tool.cursor)
            self.pan_finished()
            return
        if not self._tool.release(e):
            super().mouseReleaseEvent(e)

    def mouseDoubleClickEvent(self, e: QMouseEvent) -> None:
        if not self._tool.double_click(e):
            self._tool.press(e)  # tools without double-click behaviour see a second press

    def wheelEvent(self, e: QWheelEvent) -> None:
        notches = e.angleDelta().y() / 120.0
        if notches == 0:
            return
        pos = e.position()
        self.zoom_by(WHEEL_STEP ** notches, pos.x(), pos.y())
        e.accept()

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if self._tool.key(e):
            return
        step = 0.25  # arrow keys pan by a quarter of the view
        w, h = self._size()
        key = e.key()
        if key == Qt.Key.Key_Left:
            self.pan_by_pixels(w * step, 0)
        elif key == Qt.Key.Key_Right:
            self.pan_by_pixels(-w * step, 0)
        elif key == Qt.Key.Key_Up:
            self.pan_by_pixels(0, h * step)
        elif key == Qt.Key.Key_Down:
            self.pan_by_pixels(0, -h * step)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_PageUp):
            self.zoom_by(2.0)
            return
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_PageDown):
            self.zoom_by(0.5)
            return
        else:
            super().keyPressEvent(e)
            return
        self.pan_finished()

    def measure_tool(self) -> MeasureTool | None:
        return self._tool if isinstance(self._tool, MeasureTool) else None
