"""The five-colour panel's speed targets (issues #19 and #20).

    python benchmarks/bench_five_colour.py [--townships 40000] [--enterprises 100000] [--repeat 5]

- year slider: one step = classify one year of a (10 years × 40,000 townships) stack, write the
  classes into the existing layer, restyle it, and render the map (the canvas's MapRenderJob,
  1600 × 1000, offscreen) — target ≤ 300 ms per step; also through the GUI canvas (MapCanvas:
  its worker thread, render and paint) when a QApplication can be made;
- drill-down: the enterprises of one township (100,000 enterprise points, assigned to townships
  once by :func:`app.drilldown.assign_townships`) put into the enterprise layer, restyled by
  grade, and the township's extent rendered — target ≤ 200 ms;
- address match of 100,000 enterprises (half exact, half fuzzy) — "seconds".

Synthetic Voronoi townships (benchmarks/bench_render.py). Best/median of ``--repeat`` steps
printed (the machine is shared); record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

W, H = 1600, 1000


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def year_map(n: int, years: list[int]):
    """A YearMap over n synthetic townships with random values for ``years``."""
    from app.drilldown import YearMap
    from benchmarks.bench_render import synthetic_townships
    from gis.intensity.periods import YearClassifier, stack_years
    from layers.presets import styled_layer

    rng = np.random.default_rng(5)
    towns = synthetic_townships(n)
    towns["join_key"] = [f"{330100000000 + i}" for i in range(n)]
    towns["class"] = 0
    base = rng.lognormal(0.0, 0.6, n)
    frames = {}
    for k, y in enumerate(years):
        v = base * (1 - 0.03 * k) * rng.lognormal(0.0, 0.1, n)
        v[rng.random(n) < 0.01] = np.nan
        frames[y] = pd.DataFrame({"join_key": towns["join_key"], "value": v,
                                  "weight": rng.uniform(1e5, 5e6, n)})
    stack = stack_years(frames, towns["join_key"], weight_col="weight")
    layer = styled_layer("township_intensity", towns)

    def make(mode: str, method: str = "ratio"):
        return YearClassifier(stack, method=method, mode=mode, reference_year=years[-1])
    return YearMap(layer, stack, make), towns


def bench_slider(ym, repeat: int) -> dict[str, list[float]]:
    from layers.map_job import MapRenderJob

    job = MapRenderJob()
    extent = ym.layer.bounds()
    job.render([ym.layer], extent, W, H)  # cold: geometry flattened once, as the canvas has it
    out: dict[str, list[float]] = {}
    for mode in ("reference", "per_year"):
        ym.set_mode(mode)
        cls, total = [], []
        for k in range(repeat):
            year = ym.years[k % len(ym.years)]
            t0 = time.perf_counter()
            ym.show(year)
            cls.append(_ms(t0))
            job.render([ym.layer], extent, W, H)
            total.append(_ms(t0))
        out[f"{mode}: classify + recolour"] = cls
        out[f"{mode}: step incl. render"] = total
    return out


def bench_canvas(ym, repeat: int) -> list[float] | None:
    """Steps through the GUI canvas: recolour, then wait until the worker's image is shown."""
    try:
        from PySide6.QtWidgets import QApplication

        from app.gui.canvas import MapCanvas
        from layers.tree import LayerTree
    except ImportError:
        return None
    app = QApplication.instance() or QApplication([])
    tree = LayerTree()
    tree.add_layer(ym.layer)
    canvas = MapCanvas(tree)
    canvas.resize(W, H)
    canvas.show()
    canvas.set_extent(ym.layer.bounds())
    canvas.render_now()
    canvas.wait_for_render(60_000)
    ym.set_mode("reference")
    times = []
    for k in range(repeat):
        shown = canvas.renders_shown
        t0 = time.perf_counter()
        ym.show(ym.years[k % len(ym.years)])
        canvas.render_now()  # the slider's step asks at once (no debounce wait)
        canvas.wait_for_render(60_000)
        app.processEvents()
        times.append(_ms(t0))
        assert canvas.renders_shown > shown
    canvas.close()
    return times


def bench_drilldown(ym, towns, n_ent: int, repeat: int) -> dict[str, list[float]]:
    import geopandas as gpd

    from app.drilldown import EnterpriseLevel, assign_townships
    from layers.map_job import MapRenderJob
    from layers.preset_styles import enterprise_points_style
    from layers.presets import styled_layer

    rng = np.random.default_rng(9)
    # enterprises cluster in 200 industrial townships (as in a district: a few parks hold most)
    hubs = rng.choice(len(towns), 200, replace=False)
    c = towns.geometry.iloc[hubs].representative_point()
    pick = rng.integers(0, 200, n_ent)
    x = c.x.to_numpy()[pick] + rng.normal(0, 3000, n_ent)
    y = c.y.to_numpy()[pick] + rng.normal(0, 3000, n_ent)
    pts = gpd.GeoDataFrame({"entity": [f"E{i}" for i in range(n_ent)], "t_co2": rng.uniform(10, 1e4, n_ent),
                            "grade": pd.array(rng.integers(1, 6, n_ent), dtype="Int64")},
                           geometry=gpd.points_from_xy(x, y), crs=towns.crs)
    t0 = time.perf_counter()
    pts["township"] = assign_townships(pts, towns, "join_key").to_numpy()
    assign_ms = _ms(t0)
    level = EnterpriseLevel(pts, pd.DataFrame(columns=["entity", "t_co2"]), pd.DataFrame(), 2024)
    counts = pts["township"].value_counts()
    keys = list(counts.index[:repeat])
    ent = styled_layer("enterprise_points", pts.iloc[:0])
    job = MapRenderJob()
    by_key = towns.set_index("join_key").geometry
    drill = []
    for k in keys:
        t0 = time.perf_counter()
        sub = level.in_township(k)
        ent.gdf = sub
        ent.style = enterprise_points_style(sub, title=("企业", "Enterprises"))
        b = by_key[k].bounds
        job.render([ym.layer, ent], b, W, H)
        drill.append(_ms(t0))
    return {"assign 100k enterprises to townships (once)": [assign_ms],
            f"drill-down step (township of {int(counts.iloc[0])}–{int(counts.iloc[len(keys) - 1])} "
            "enterprises) incl. render": drill}


def bench_address(n: int) -> float:
    from gis.carbon.address_match import match_addresses

    rng = np.random.default_rng(1)
    towns = np.array([f"T{i}镇" for i in range(40)], dtype=object)
    roads = np.array([f"R{i}" for i in range(500)], dtype=object)
    t, r, h = rng.integers(0, 40, n), rng.integers(0, 500, n), rng.integers(1, 300, n)
    book = pd.DataFrame({"地址": towns[t] + roads[r] + "路" + h.astype(str) + "号",
                         "lon": rng.uniform(120, 121, n), "lat": rng.uniform(30, 31, n)})
    q = np.where(np.arange(n) % 2 == 0, book["地址"].to_numpy(), roads[r] + "路" + h.astype(str) + "号")
    t0 = time.perf_counter()
    m = match_addresses(q, book)
    ms = _ms(t0)
    print(f"  address match counts: {m.counts()}")
    return ms


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--townships", type=int, default=40_000)
    ap.add_argument("--enterprises", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-canvas", action="store_true")
    args = ap.parse_args()
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from benchmarks.bench_foundation import machine
    from layers.render import ensure_gui_app

    print(f"machine: {machine()}")
    if not args.no_canvas:
        from PySide6.QtWidgets import QApplication

        _app = QApplication.instance() or QApplication([])  # the canvas needs widgets
    ensure_gui_app()
    years = list(range(2015, 2025))
    t0 = time.perf_counter()
    ym, towns = year_map(args.townships, years)
    print(f"setup: {args.townships} townships × {len(years)} years in {_ms(t0):.0f} ms")
    rows = bench_slider(ym, args.repeat)
    if not args.no_canvas:
        canvas = bench_canvas(ym, args.repeat)
        if canvas:
            rows["reference: step through the GUI canvas (worker render + paint)"] = canvas
    rows.update(bench_drilldown(ym, towns, args.enterprises, args.repeat))
    rows["address match of 100,000 (half exact, half fuzzy)"] = [bench_address(100_000)]
    for what, t in rows.items():
        print(f"  {what}: best {min(t):.0f} ms, median {statistics.median(t):.0f} ms, max {max(t):.0f} ms")


if __name__ == "__main__":
    main()
