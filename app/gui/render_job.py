"""The map canvas's background render: one render thread per canvas holding only the newest
request, numbered requests so that an older image is never shown, and the layers snapshotted at
request time (app.gui.canvas explains the drawing as a whole)."""

from __future__ import annotations

import itertools
import threading
import time

from PySide6.QtCore import QObject, QSize, Signal
from PySide6.QtGui import QImage

Extent = tuple[float, float, float, float]


class Generation:
    """A counter shared with the worker: requests compare their number with the latest."""

    def __init__(self) -> None:
        self._n = itertools.count(1)
        self.latest = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            self.latest = next(self._n)
            return self.latest


class DrawSnapshot:
    """The drawn layers and their effective opacity (groups included) at request time, so the
    worker never walks the live tree while the GUI thread edits it. Iterates like a layer list
    and has ``draw_list()`` like a LayerTree (what the renderers accept)."""

    def __init__(self, entries: list[tuple[object, float]]) -> None:
        self._entries = list(entries)

    def draw_list(self) -> list[tuple[object, float]]:
        return list(self._entries)

    def __iter__(self):
        return iter([layer for layer, _ in self._entries])

    def __len__(self) -> int:
        return len(self._entries)


class RenderSignals(QObject):
    done = Signal(int, QImage, float)  # generation, image, render ms
    failed = Signal(int, str)


class RenderTask:
    """One render request: runs in the render thread, reports through ``signals`` (queued)."""

    def __init__(self, job, gen: Generation, number: int, signals: RenderSignals, layers,
                 extent: Extent, size: QSize, dpr: float, background: str, crs) -> None:
        self.job, self.gen, self.number, self.signals = job, gen, number, signals
        self.layers, self.extent, self.size, self.dpr = layers, extent, size, dpr
        self.background, self.crs = background, crs

    def cancelled(self) -> bool:
        return self.gen.latest != self.number

    def run(self) -> None:
        if self.cancelled():
            return
        t0 = time.perf_counter()
        try:
            image = self.job.render(self.layers, self.extent, self.size.width(), self.size.height(),
                                    dpr=self.dpr, background=self.background,
                                    cancelled=self.cancelled, crs=self.crs)
        except Exception as exc:  # Cancelled or a drawing error: report, never crash
            if not self.cancelled() and type(exc).__name__ != "Cancelled":
                try:
                    self.signals.failed.emit(self.number, f"{type(exc).__name__}: {exc}")
                except RuntimeError:  # the canvas is gone
                    pass
            return
        ms = (time.perf_counter() - t0) * 1000.0
        if self.cancelled():
            return
        if image is None or image.isNull():
            try:
                self.signals.failed.emit(self.number, "empty image")
            except RuntimeError:
                pass
            return
        try:
            self.signals.done.emit(self.number, image, ms)
        except RuntimeError:  # the canvas was deleted meanwhile
            pass


class RenderThread(threading.Thread):
    """The one render thread of a canvas. It holds only the newest request: a request submitted
    while another waits replaces it (the older one is never started).

    A plain Python thread on purpose: its Python thread state lives as long as the thread. A
    QThreadPool thread gets a fresh thread state for every QRunnable, and pyproj ≥ 3.7 keeps its
    per-thread PROJ context in OS-thread storage but frees it with the Python thread state, so the
    second task of a pool thread used a freed PROJ context (segfault in proj_create, reproduced in
    tests/test_gui_canvas.py::test_set_crs_carries_the_view_over)."""

    def __init__(self) -> None:
        super().__init__(name="lingtan-map-render", daemon=True)
        self._cond = threading.Condition()
        self._next: RenderTask | None = None
        self._stopping = False
        self.busy = False

    def submit(self, task: RenderTask) -> None:
        with self._cond:
            self._next = task
            self._cond.notify()

    def stop(self, timeout_s: float = 5.0) -> None:
        with self._cond:
            self._stopping = True
            self._next = None
            self._cond.notify()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout_s)

    def idle(self) -> bool:
        with self._cond:
            return self._next is None and not self.busy

    def run(self) -> None:
        while True:
            with self._cond:
                while self._next is None and not self._stopping:
                    self._cond.wait()
                if self._stopping:
                    return
                task, self._next = self._next, None
                self.busy = True
            try:
                task.run()
            finally:
                with self._cond:
                    self.busy = False


def make_job():
    from layers.map_job import MapRenderJob

    return MapRenderJob()
