"""Speed of the five-colour map: 40,000 synthetic townships classified and rendered to a PNG.

Run: python benchmarks/bench_render.py [N] [--out MAP.png]   (prints the time split and the
machine; record the figures in docs/layers.md). Target (issue 5): classify + render ≤ 3 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.bench_foundation import machine  # noqa: E402
from layers.layer import VectorLayer  # noqa: E402
from layers.render import ensure_gui_app, render_image, save_png  # noqa: E402
from layers.style import five_class_style  # noqa: E402

NAME_CHARS = "东西南北新安平和兴华金山河湖桥塘村庄城关临浦义上下长乐永宁白石青龙凤阳"


def synthetic_townships(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """n Voronoi cells (~15 vertices each) of random points in a 2,000 × 1,500 km box, metric
    CRS (EPSG:3857 at China's latitudes), with Chinese names and a random intensity."""
    rng = np.random.default_rng(seed)
    w, h, x0, y0 = 2_000_000.0, 1_500_000.0, 12_000_000.0, 3_000_000.0
    pts = np.c_[rng.uniform(x0, x0 + w, n), rng.uniform(y0, y0 + h, n)]
    frame = shapely.box(x0, y0, x0 + w, y0 + h)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame))
    cells = shapely.clip_by_rect(cells, x0, y0, x0 + w, y0 + h)
    mean_side = np.sqrt(w * h / n)
    cells = shapely.segmentize(cells, mean_side / 4)  # ~15 vertices, like simplified boundaries
    k = rng.integers(0, len(NAME_CHARS), (n, 2))
    suffix = np.array(["镇", "乡", "街道"])[rng.integers(0, 3, n)]
    names = [NAME_CHARS[a] + NAME_CHARS[b] + s for (a, b), s in zip(k, suffix, strict=True)]
    intensity = rng.lognormal(0.0, 0.6, n)
    intensity[rng.random(n) < 0.01] = np.nan  # 1 % without data
    return gpd.GeoDataFrame({"name": names, "intensity": intensity}, geometry=cells, crs=3857)


def classify(gdf: gpd.GeoDataFrame, breaks: list[float]) -> np.ndarray:
    """Benchmark-ratio classes 1–5 (K = intensity / mean), 0 = no data."""
    k = gdf["intensity"].to_numpy() / np.nanmean(gdf["intensity"].to_numpy())
    cls = np.searchsorted(np.asarray(breaks), k, side="left") + 1  # lower < K ≤ upper
    cls[~np.isfinite(k)] = 0
    return cls


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=40_000)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    ensure_gui_app()
    print(machine())
    t = time.perf_counter()
    gdf = synthetic_townships(args.n)
    print(f"synthetic townships: {len(gdf)} polygons, "
          f"{shapely.get_num_coordinates(gdf.geometry.to_numpy()).mean():.1f} vertices each "
          f"(made in {time.perf_counter() - t:.2f} s, not timed below)")
    breaks = [0.6, 0.8, 1.2, 2.0]
    out = args.out or Path(tempfile.mkdtemp()) / "townships.png"
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        gdf["class"] = classify(gdf, breaks)
        counts = [int((gdf["class"] == c).sum()) for c in range(1, 6)]
        style = five_class_style(breaks, counts=counts, no_data_count=int((gdf["class"] == 0).sum()),
                                 method_zh="基准比值法 K = L / 均值", unit="", label_field="name",
                                 title_zh="碳排放强度 K")
        t1 = time.perf_counter()
        image, stats = render_image([VectorLayer("乡镇", gdf, style)], 2000, 1500,
                                    title="乡镇碳排放强度五色图（合成数据）", subtitle="基准比值法")
        t2 = time.perf_counter()
        save_png(image, out)
        t3 = time.perf_counter()
        run = {"classify": t1 - t0, "paths": stats.paths_s, "drawing": stats.draw_s,
               "labels": stats.labels_s, "title/legend/scale": stats.decorations_s,
               "render total": t2 - t1, "PNG write": t3 - t2, "classify+render+PNG": t3 - t0}
        best = {k: min(v, best.get(k, float("inf"))) for k, v in run.items()}
    for key, v in best.items():
        print(f"{key:<24} {v * 1000:8.0f} ms")
    print(f"labels drawn: {stats.labels_drawn} of {stats.label_candidates} candidates "
          f"({len(gdf)} features); PNG {out.stat().st_size / 1e6:.1f} MB at {out}")
    # zoomed in (1/5 of the width): ~1/25 of the townships visible and big enough for names
    x0, y0, x1, y1 = gdf.total_bounds
    cx, cy, half_w, half_h = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 10, (y1 - y0) / 10
    zoom = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    layer = VectorLayer("乡镇", gdf, style)
    best_z: dict[str, float] = {}
    for _ in range(args.repeat):
        t1 = time.perf_counter()
        image, zs = render_image([layer], 2000, 1500, extent=zoom, title="局部放大（1/5 宽度）")
        run = {"paths": zs.paths_s, "drawing": zs.draw_s, "labels": zs.labels_s,
               "render total": time.perf_counter() - t1}
        best_z = {k: min(v, best_z.get(k, float("inf"))) for k, v in run.items()}
    print("zoomed to 1/5 of the width (culling, labels that fit):")
    for key, v in best_z.items():
        print(f"  {key:<22} {v * 1000:8.0f} ms")
    print(f"  labels drawn: {zs.labels_drawn} of {zs.label_candidates} candidates")
    save_png(image, out.with_name(out.stem + "_zoom.png"))
    canvas_redraw(args.repeat)


def canvas_redraw(repeat: int, counts=(100_000, 1_000_000)) -> None:
    """For the GUI canvas (issue 6): full redraw of n building footprints, no decorations."""
    from benchmarks.bench_foundation import synthetic_footprints
    from layers.style import SingleStyle

    for n in counts:
        layer = VectorLayer("建筑", synthetic_footprints(n), SingleStyle(fill="#bdbdbd", width=0.5))
        best = (float("inf"),) * 4
        for _ in range(repeat):
            t = time.perf_counter()
            _, st = render_image([layer], 1600, 1000, legend=False, labels=False, north_arrow=False,
                                 scale_bar=False)
            best = min(best, (time.perf_counter() - t, st.paths_s, st.draw_s, st.total_s))
        print(f"canvas redraw, {n:>9,} footprints: {best[0] * 1000:6.0f} ms "
              f"(paths {best[1] * 1000:.0f}, drawing {best[2] * 1000:.0f})")


if __name__ == "__main__":
    main()
