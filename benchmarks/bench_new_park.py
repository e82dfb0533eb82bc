"""From "Run" in File → New Park to a styled rooftop-PV map, with the window's responsiveness.

Run: QT_QPA_PLATFORM=offscreen python benchmarks/bench_new_park.py [N ...] [--no-shading]

N real-sized footprints (10–50 m rectangles, benchmarks/synthetic_city.py; default 10,000 and
100,000) and a red line around them are layers of a workspace, as after File → Add Data. The
New Park algorithm runs through the GUI path (app.gui.algorithm_dialog.run_algorithm: worker
thread, progress, the park's styled layers added in the GUI thread), then rooftop PV
(app.gui.analyses.start_pv) until its styled layer is in the layer tree. A 10 ms heartbeat in the
GUI thread measures the longest event-loop stall over the whole road.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from benchmarks.bench_foundation import machine  # noqa: E402
from benchmarks.bench_gui_responsiveness import Heartbeat  # noqa: E402


def user_layers(n: int):
    """The footprints (without the columns prepare_buildings adds) and a red line around them."""
    import geopandas as gpd
    import shapely

    from benchmarks.synthetic_city import footprints

    b = footprints(n)[["height_m", "geometry"]]
    red = gpd.GeoDataFrame({"name": ["红线"]}, geometry=[shapely.box(*b.total_bounds).buffer(20)],
                           crs=b.crs)
    return red, b


def run(n: int, shading: bool) -> dict:
    from app.gui import analyses
    from app.gui.algorithm_dialog import run_algorithm
    from app.gui.analyses import PVOptions
    from app.processing.algorithm import InputLayer
    from app.processing.params import ParamValues
    from app.processing.registry import algorithm
    from app.workspace import Workspace
    from layers.presets import styled_layer

    red, buildings = user_layers(n)
    ws = Workspace()
    ws.add_layer(styled_layer("red_line", red))
    ws.add_layer(styled_layer("footprints", buildings))
    alg = algorithm("new_park")
    values = ParamValues.of(alg.params)
    inputs = {"boundary": InputLayer(red, "red_line"), "buildings": InputLayer(buildings, "footprints")}
    hb = Heartbeat(10)
    hb.start()
    t0 = time.perf_counter()
    handle = run_algorithm(None, ws, alg, values, inputs, show_dialog=False, show_errors=False)
    handle.wait(3600)
    t_park = time.perf_counter() - t0
    if ws.park is None:
        raise RuntimeError(f"New Park ended {handle.state}: {handle.traceback}")
    pv = analyses.start_pv(None, ws, PVOptions(shading=shading))
    pv.wait(3600)
    app = QApplication.instance()
    while ws.layer("rooftop_pv") is None and time.perf_counter() - t0 < 3600:
        app.processEvents()
    total = time.perf_counter() - t0
    stats = hb.stop()
    return {"n": n, "park_s": t_park, "total_s": total, "buildings": len(ws.park.buildings), **stats}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="*", type=int, default=[10_000, 100_000])
    ap.add_argument("--no-shading", action="store_true")
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    from app.gui.analyses import warm_up

    warm_up().wait(120)
    app.processEvents()
    print(f"machine: {machine()}")
    for n in args.n:
        r = run(n, not args.no_shading)
        print(f"{r['n']:,} footprints ({r['buildings']:,} in the park): New Park {r['park_s']:.1f} s, "
              f"to the styled PV map {r['total_s']:.1f} s ({'no ' if args.no_shading else ''}shading); "
              f"event loop max stall {r['max_stall_ms']:.0f} ms, p99 gap {r['p99_gap_ms']:.0f} ms, "
              f"stalls > 100 ms: {r['stalls_over_100ms']} of {r['ticks']} ticks")


if __name__ == "__main__":
    main()
