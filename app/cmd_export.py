"""The export's helpers under the module name scripts and tests import them by (Qt-free, as a
headless export is); ``lingtan export`` itself is the algorithm of app/algorithms/export.py."""

from __future__ import annotations

from app.algorithms.export import describe_export, export_results, load_results

__all__ = ["describe_export", "export_results", "load_results"]
