"""Does the window stay responsive while an analysis runs, and how fast does Cancel act?

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_responsiveness.py [N] [--no-shading]
     [--cancel-at 2,6] [--switch-interval S]

A synthetic district of N footprints (default 100,000; benchmarks/synthetic_city.py) is loaded
into a workspace and rooftop PV runs through the GUI path (app.gui.analyses.start_pv: worker
thread, progress signals, results → styled layers in the GUI thread). A 10 ms QTimer heartbeat in
the GUI thread measures event-loop stalls (the largest gap between ticks minus 10 ms). Every
progress report of the worker is timed: the largest gap between two reports bounds the cancel
latency. Then runs are cancelled at the given seconds and the time from Cancel to the worker's
end is measured. Finally the project save/load times of the sample park and of the district.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.bench_foundation import machine  # noqa: E402


def synthetic_park(n: int):
    import geopandas as gpd
    import shapely

    from benchmarks.synthetic_city import footprints
    from gis.park import Park

    b = footprints(n)
    b["source_fid"] = np.arange(len(b))
    b["height_source"] = "field: height_m"
    boundary = gpd.GeoDataFrame({"name": ["synthetic"]}, geometry=[shapely.box(*b.total_bounds)], crs=b.crs)
    return Park(name=f"synthetic {n:,}", crs=b.crs, boundary=boundary, buildings=b)


class GCWatch:
    """Times CPython's full (generation 2) garbage collections: each holds the GIL for all of
    its run (~40–100 ms with 100,000+ shapely geometries alive, all of which it traverses), so
    it stalls the GUI thread whichever thread triggered it."""

    def __init__(self) -> None:
        self.full_ms: list[float] = []
        self._t = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if info.get("generation") != 2:
            return
        if phase == "start":
            self._t = time.perf_counter()
        else:
            self.full_ms.append((time.perf_counter() - self._t) * 1000)

    def start(self) -> None:
        self.full_ms = []
        gc.callbacks.append(self)

    def stop(self) -> dict:
        gc.callbacks.remove(self)
        return {"full_gcs": len(self.full_ms), "full_gc_max_ms": max(self.full_ms, default=0.0)}


class Heartbeat:
    """Ticks every ``interval_ms`` in the GUI thread; gaps beyond the interval are stalls."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval = interval_ms / 1000.0
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def stop(self) -> dict:
        self.timer.stop()
        self.ticks.append(time.perf_counter())
        gaps = np.diff(np.array(self.ticks))
        self.worst = [(float(self.ticks[i]), float(gaps[i])) for i in np.argsort(gaps)[::-1][:3]]
        return {"max_stall_ms": float((gaps.max() - self.interval) * 1000) if len(gaps) else 0.0,
                "p99_gap_ms": float(np.percentile(gaps, 99) * 1000) if len(gaps) else 0.0,
                "stalls_over_100ms": int((gaps - self.interval > 0.1).sum()), "ticks": len(gaps)}


def run_pv(ws, options, hb: Heartbeat, cancel_at: float | None = None):
    from app.gui import analyses, tasks

    tasks.RECORD_REPORTS = True
    set_results_s = []
    original = ws.set_results

    def timed(*a, **kw):
        t = time.perf_counter()
        original(*a, **kw)
        set_results_s.append(time.perf_counter() - t)

    ws.set_results = timed
    gcw = GCWatch()
    gcw.start()
    hb.start()
    t0 = time.perf_counter()
    handle = analyses.start_pv(None, ws, options)
    if cancel_at is not None:
        QTimer.singleShot(int(cancel_at * 1000), handle.cancel)
    handle.wait(3600)
    wall = time.perf_counter() - t0
    stats = hb.stop()
    stats.update(gcw.stop())
    del ws.set_results
    times = np.array(handle.report_times or [handle.started_at])
    gaps = np.diff(np.concatenate([[handle.started_at], times]))
    worst = int(np.argmax(gaps)) if len(gaps) else 0
    # what the worker was doing at the worst stalls (monotonic vs perf_counter: same clock on Linux)
    log = handle.report_log
    where = []
    for start, gap in hb.worst:
        before = [m for t, m in log if t - handle.started_at <= start - t0]
        where.append(f"{gap * 1000:.0f} ms at {start - t0:.1f} s after {before[-1] if before else 'start'!r}")
    return {"state": handle.state, "wall_s": wall, "stall_where": where, "reports": len(times),
            "max_report_gap_s": float(gaps.max()) if len(gaps) else 0.0,
            "worst_gap_ends_at_s": float(times[worst] - handle.started_at) if len(gaps) else 0.0,
            "cancel_latency_s": handle.cancel_latency_s, "set_results_s": sum(set_results_s), **stats}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=100_000)
    ap.add_argument("--no-shading", action="store_true")
    ap.add_argument("--cancel-at", default="2,6", help="seconds after start to cancel (comma list)")
    ap.add_argument("--switch-interval", type=float, help="override tasks.SWITCH_INTERVAL_S")
    ap.add_argument("--gc-freeze", action="store_true",
                    help="gc.freeze() before each run (what the app could do once a park is loaded: "
                         "full garbage collections then skip the objects alive before)")
    ap.add_argument("--no-warm-up", action="store_true",
                    help="skip analyses.warm_up() (the app calls it once the window is shown)")
    args = ap.parse_args()

    app = QApplication.instance() or QApplication([])
    from app.gui import tasks
    from app.gui.analyses import PVOptions
    from app.project_file import load_project, save_project
    from app.workspace import Workspace
    from gis.park import load_sample_park

    if args.switch_interval is not None:
        tasks.SWITCH_INTERVAL_S = args.switch_interval
    print(f"machine: {machine()}")
    print(f"sys.setswitchinterval while tasks run: {tasks.SWITCH_INTERVAL_S * 1000:.1f} ms "
          f"(default {sys.getswitchinterval() * 1000:.1f} ms)")
    t = time.perf_counter()
    park = synthetic_park(args.n)
    print(f"synthetic district: {args.n:,} footprints ({time.perf_counter() - t:.1f} s)")
    ws = Workspace()
    t = time.perf_counter()
    ws.set_park(park)
    print(f"set_park in the GUI thread (styled input layers): {(time.perf_counter() - t) * 1000:.0f} ms")
    hb = Heartbeat(10)
    if not args.no_warm_up:
        from app.gui.analyses import warm_up

        hb.start()
        t = time.perf_counter()
        warm_up().wait(120)
        w = hb.stop()
        print(f"warm_up (pvlib, mapclassify …): {time.perf_counter() - t:.1f} s, event loop max stall "
              f"{w['max_stall_ms']:.0f} ms")
    options = PVOptions(shading=not args.no_shading)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
        print(f"gc.freeze(): {gc.get_freeze_count():,} objects frozen")
    r = run_pv(ws, options, hb)
    print(f"rooftop PV via the GUI ({'no ' if args.no_shading else ''}shading): {r['state']} in "
          f"{r['wall_s']:.1f} s; event loop: max stall {r['max_stall_ms']:.0f} ms, p99 gap "
          f"{r['p99_gap_ms']:.0f} ms, stalls > 100 ms: {r['stalls_over_100ms']} of {r['ticks']} ticks; "
          f"results into the workspace (GUI thread) {r['set_results_s'] * 1000:.0f} ms; "
          f"full garbage collections: {r['full_gcs']} (longest {r['full_gc_max_ms']:.0f} ms)")
    print("  worst gaps: " + "; ".join(r["stall_where"]))
    print(f"  cancel checks (report/check): {r['reports']}, largest gap {r['max_report_gap_s']:.2f} s "
          f"(ending {r['worst_gap_ends_at_s']:.1f} s into the run) = worst-case cancel latency")
    for at in [float(v) for v in args.cancel_at.split(",") if v.strip()]:
        c = run_pv(ws, options, hb, cancel_at=at)
        lat = c["cancel_latency_s"]
        lat_ms = lat * 1000 if lat is not None else float("nan")
        print(f"cancel at {at:g} s: {c['state']}, latency {lat_ms:.0f} ms; event loop max stall "
              f"{c['max_stall_ms']:.0f} ms")
    tmp = Path(tempfile.mkdtemp(prefix="lingtan-bench-"))
    try:
        sample = Workspace()
        sample.set_park(load_sample_park())
        from app.results import run_park_analyses

        sample.set_results(run_park_analyses(sample.park))
        for label, w in (("sample park (9 layers, 619 buildings)", sample),
                         (f"district ({len(w_layers(ws))} layers, {args.n:,} buildings + PV)", ws)):
            path = tmp / "p.lingtan.gpkg"
            t = time.perf_counter()
            save_project(w, path)
            t_save = time.perf_counter() - t
            t = time.perf_counter()
            load_project(path)
            t_load = time.perf_counter() - t
            size = path.stat().st_size / 1e6
            print(f"project {label}: save {t_save:.2f} s, load {t_load:.2f} s, {size:.1f} MB")
    finally:
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()
    app.processEvents()


def w_layers(ws) -> list:
    return ws.layers()


if __name__ == "__main__":
    main()
