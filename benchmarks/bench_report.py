"""Speed of the demo's PDF report: the sample park's analyses, then the Chinese report.

Run: python benchmarks/bench_report.py [--lang zh|en] [--out REPORT.pdf]   (prints the machine,
the time of the analyses and of the report split into layout, painting and the text-map repair,
and the page count; record the figures in docs/report.md). Target (issue 7): report ≤ 15 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.bench_foundation import machine  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=("zh", "en"), default="zh")
    ap.add_argument("--out", type=Path, help="keep the report here (default: a temporary file)")
    args = ap.parse_args(argv)

    from app.cmd_report import pdf_page_count
    from app.report import build_report
    from app.report.build import layout_report
    from app.report.pdf_text import fix_cjk_tounicode, radical_map
    from app.results import AnalysisOptions, run_park_analyses
    from gis.park import load_sample_park
    from layers.render import ensure_gui_app

    print(machine())
    t0 = time.perf_counter()
    ensure_gui_app()
    results = run_park_analyses(load_sample_park(), AnalysisOptions())
    t_analyses = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "report.pdf"
        t = time.perf_counter()
        build_report(results, out, args.lang)
        t_report = time.perf_counter() - t
        # the same report again, stage by stage
        t = time.perf_counter()
        doc = layout_report(results.summary, results.layers(), args.lang)
        t_layout = time.perf_counter() - t
        t = time.perf_counter()
        doc.write(Path(tmp) / "stages.pdf")
        t_paint = time.perf_counter() - t
        t = time.perf_counter()
        radical_map.cache_clear()
        fix_cjk_tounicode(Path(tmp) / "stages.pdf")
        t_fix = time.perf_counter() - t
        pages, size = pdf_page_count(out), out.stat().st_size
    print(f"sample park analyses: {t_analyses:.2f} s")
    print(f"report ({args.lang}, {pages} pages, {size / 1e6:.2f} MB): {t_report:.2f} s "
          f"(layout {t_layout:.2f} s, painting {t_paint:.2f} s, text-map repair {t_fix:.2f} s)")
    print(f"demo report target ≤ 15 s: {'met' if t_report <= 15 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
