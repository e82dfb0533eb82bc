"""``lingtan sinks`` is generated from the two sinks algorithms (app/algorithms/sinks.py): green
polygons and trees by default, a land-cover raster with ``--raster``. :data:`app.cli.COMMAND_MODULES`
lists this module; it has no command of its own to add."""

from __future__ import annotations


def register(sub) -> dict:
    """Nothing to add: the alias ``sinks`` comes with the algorithms (app/processing/cli.py)."""
    return {}
