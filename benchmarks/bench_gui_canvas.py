"""Speed of the GUI map canvas (issue 6) with 100,000 and 1,000,000 synthetic building footprints.

Run: python benchmarks/bench_gui_canvas.py [N ...] [--width 1600 --height 1000]
Offscreen Qt. For each N it prints:

* full redraw ms — ``render_finished`` ms of the background job (the whole district in view):
  cold (first render, caches built), warm (same view again), after a pan (new extent) and after
  a zoom; plus a park-scale view (2 km wide) and the wall time from request to the image shown;
* pan frame ms — ``paintEvent`` while dragging (the last image translated), median and max over
  60 mouse moves; target ≤ 16 ms;
* event-loop stall — the longest gap of a 5 ms GUI-thread timer while a full redraw runs in the
  worker (the GUI must stay responsive; target ≤ 100 ms).

Targets (issue 6): full redraw of 100,000 footprints ≤ 100 ms and 1,000,000 ≤ 1 s; pan frame
≤ 16 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QMouseEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.bench_foundation import machine  # noqa: E402
from benchmarks.synthetic_city import CRS, footprints  # noqa: E402
from layers.layer import VectorLayer  # noqa: E402
from layers.style import SingleStyle  # noqa: E402


def make_tree(layers):
    from layers.tree import LayerTree

    tree = LayerTree()
    for layer in layers:
        tree.add_layer(layer)
    return tree


def timed_render(canvas, action) -> tuple[float, float, float]:
    """Run ``action`` (which changes the view), wait for the image; returns (job ms, wall ms from
    the action to the image shown, longest GUI-thread gap ms meanwhile)."""
    gaps = []
    clock = QElapsedTimer()
    timer = QTimer()
    timer.setInterval(5)

    def tick():
        gaps.append(clock.restart())

    timer.timeout.connect(tick)
    shown = canvas.renders_shown
    t0 = time.perf_counter()
    clock.start()
    timer.start()
    action()
    canvas.render_now()
    while canvas.renders_shown == shown:
        QApplication.processEvents()
        if canvas.is_rendering() is False and canvas.renders_shown == shown \
                and not canvas._render_timer.isActive():
            break
        time.sleep(0.001)
    wall = (time.perf_counter() - t0) * 1000
    timer.stop()
    return canvas.last_render_ms or float("nan"), wall, max(gaps, default=0.0)


def pan_frames(canvas, moves: int = 60) -> list[float]:
    """Drag with the pan tool: per move, the synchronous repaint's paintEvent ms."""
    canvas.set_tool("pan")
    c = QPointF(canvas.width() / 2, canvas.height() / 2)

    def send(kind, pos, buttons):
        ev = QMouseEvent(kind, pos, canvas.mapToGlobal(pos), Qt.MouseButton.LeftButton
                         if kind != QMouseEvent.Type.MouseMove else Qt.MouseButton.NoButton,
                         buttons, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(canvas, ev)

    send(QMouseEvent.Type.MouseButtonPress, c, Qt.MouseButton.LeftButton)
    frames = []
    for i in range(1, moves + 1):
        p = c + QPointF(3 * i, 2 * i)
        send(QMouseEvent.Type.MouseMove, p, Qt.MouseButton.LeftButton)
        canvas.repaint()  # synchronous paintEvent, as the next frame would be
        frames.append(canvas.last_paint_ms)
    send(QMouseEvent.Type.MouseButtonRelease, c + QPointF(3 * moves, 2 * moves), Qt.MouseButton.NoButton)
    return frames


def bench(app, n: int, width: int, height: int) -> None:
    from app.gui.canvas import MapCanvas

    t = time.perf_counter()
    gdf = footprints(n)
    print(f"\n{n:,} footprints (made in {time.perf_counter() - t:.1f} s, not timed), {width} × {height} px")
    layer = VectorLayer("buildings", gdf, SingleStyle(fill="#bdbdbd", outline="#606060", width=0.5))
    canvas = MapCanvas(make_tree([layer]))
    canvas.resize(width, height)
    canvas.show()
    app.processEvents()
    canvas.set_crs(CRS)
    x0, y0, x1, y1 = gdf.total_bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    steps = [
        ("full view, cold (caches built)", canvas.zoom_full),
        ("full view again (image cache)", lambda: None),
        ("full view, after a pan", lambda: canvas.pan_by_pixels(200, 120)),
        ("zoomed in ×1.41 (wheel notch)", lambda: canvas.zoom_by(2 ** 0.5)),
        ("selection changed (1 feature)", lambda: setattr(layer, "selection", [n // 2])),
        ("park view 2 km wide", lambda: canvas.set_extent((cx - 1000, cy - 600, cx + 1000, cy + 600))),
        ("park view, after a pan", lambda: canvas.pan_by_pixels(300, 0)),
    ]
    rows = [(label, *timed_render(canvas, action)) for label, action in steps]
    print(f"{'redraw':<34} {'job ms':>8} {'wall ms':>8} {'GUI stall ms':>13}")
    for label, job, wall, stall in rows:
        print(f"{label:<34} {job:8.0f} {wall:8.0f} {stall:13.0f}")
    canvas.zoom_full()
    canvas.render_now()
    canvas.wait_for_render(60_000)
    frames = pan_frames(canvas)
    print(f"pan frame (paintEvent while dragging): median {statistics.median(frames):.2f} ms, "
          f"max {max(frames):.2f} ms over {len(frames)} moves")
    stats = getattr(canvas._job, "last_stats", None)
    if stats is not None and hasattr(stats, "as_dict"):
        print(f"last job stats: {stats.as_dict()}")
    canvas.close()
    canvas.deleteLater()
    app.processEvents()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="*", type=int, default=[100_000, 1_000_000])
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=1000)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    print(machine())
    for n in args.n:
        bench(app, n, args.width, args.height)


if __name__ == "__main__":
    main()
