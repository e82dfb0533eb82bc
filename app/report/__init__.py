"""The PDF report: A4, Chinese or English, vector maps, charts, paginated tables.

``build_report(results, path, lang="zh", progress)`` — see :mod:`app.report.build`.
"""

from app.report.build import build_report, layout_report, report_inputs

__all__ = ["build_report", "layout_report", "report_inputs"]
