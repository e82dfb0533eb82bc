"""The report's helpers under the module name app/demo.py, app/self_test.py and the benchmarks
import them by; ``lingtan report`` itself is the algorithm of app/algorithms/report.py."""

from __future__ import annotations

from app.algorithms.report import pdf_page_count, report_source, write_demo_report

__all__ = ["pdf_page_count", "report_source", "write_demo_report"]
