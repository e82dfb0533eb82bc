"""Canvas redraw speed of layers.map_job.MapRenderJob (issue 6).

    python benchmarks/bench_canvas.py [--sizes 100000 1000000] [--repeat 3]

Synthetic building footprints (benchmarks/synthetic_city.py: rotated rectangles 10–50 m on a 60 m
grid, EPSG:4549), one SingleStyle layer, a 1600 × 1000 image (dpr 1), offscreen. Figures:

- cold: first render (flattening the geometry into cached arrays included);
- full redraw: the same layer drawn again with a new job image (geometry cached, no image
  cached) at the full extent — the canvas after a style change or resize;
- same extent again: the cached image;
- zoom 1/10 width and pan by 10 % (redraws with culling).

Targets (contract): full redraw of 100,000 footprints ≤ 100 ms and of 1,000,000 ≤ 1 s.
Only the best of ``--repeat`` runs is printed (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import PySide6

    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, PySide6 {PySide6.__version__}, "
            f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', '')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=1000)
    ap.add_argument("--png", type=Path, help="write the full-extent images here (directory)")
    args = ap.parse_args()
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from benchmarks.synthetic_city import footprints
    from layers.layer import VectorLayer
    from layers.map_job import MapRenderJob
    from layers.render import ensure_gui_app
    from layers.style import SingleStyle

    ensure_gui_app()
    print("machine:", machine())
    w, h = args.width, args.height
    for n in args.sizes:
        t = time.perf_counter()
        gdf = footprints(n)
        print(f"\n{n:,} footprints (made in {time.perf_counter() - t:.1f} s), {w} × {h} px")
        layer = VectorLayer("buildings", gdf, SingleStyle(fill="#d9d0c9", outline="#b9a99b", width=0.5))
        b = layer.bounds()
        pad = 0.02 * (b[2] - b[0])
        full = (b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad)
        job = MapRenderJob()
        t = time.perf_counter()
        image = job.render([layer], full, w, h)
        cold = (time.perf_counter() - t) * 1000
        print(f"  cold (arrays built)          {cold:8.0f} ms   {_stages(job)}")
        if args.png:
            args.png.mkdir(parents=True, exist_ok=True)
            image.save(str(args.png / f"canvas_{n}.png"))

        ms, st = _best(job, layer, full, w, h, args.repeat)
        print(f"  full redraw                  {ms:8.0f} ms   {st}")
        t = time.perf_counter()
        job.render([layer], full, w, h)
        print(f"  same extent again            {(time.perf_counter() - t) * 1000:8.2f} ms   (cached image)")
        cx, cy = (full[0] + full[2]) / 2, (full[1] + full[3]) / 2
        zw, zh = (full[2] - full[0]) / 10, (full[3] - full[1]) / 10
        zoom = (cx - zw / 2, cy - zh / 2, cx + zw / 2, cy + zh / 2)
        ms, st = _best(job, layer, zoom, w, h, args.repeat)
        print(f"  zoom 1/10 width              {ms:8.0f} ms   {st}")
        pan = (zoom[0] + zw / 10, zoom[1], zoom[2] + zw / 10, zoom[3])
        ms, st = _best(job, layer, pan, w, h, args.repeat)
        print(f"  pan 10 % (at the zoom)       {ms:8.0f} ms   {st}")


def _best(job, layer, extent, w: int, h: int, repeat: int) -> tuple[float, str]:
    """Best of ``repeat`` renders with the images forgotten (geometry arrays stay cached)."""
    runs = []
    for _ in range(repeat):
        job.invalidate()
        t0 = time.perf_counter()
        job.render([layer], extent, w, h)
        runs.append(((time.perf_counter() - t0) * 1000, _stages(job)))
    return min(runs)


def _stages(job) -> str:
    s = job.last_stats
    return (f"prepare {s.prepare_ms:.0f}, cull {s.cull_ms:.0f}, pixels {s.pixels_ms:.0f}, "
            f"paths {s.paths_ms:.0f}, draw {s.draw_ms:.0f}, compose {s.compose_ms:.0f} ms; "
            f"{s.parts_drawn:,} as geometry, {s.pixels_drawn:,} as pixels")


if __name__ == "__main__":
    main()
