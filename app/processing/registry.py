"""The algorithms Lingtan has, by id, in menu order.

An algorithm is added by writing its module under ``app/algorithms/`` and naming its class here;
the command line, the GUI's Processing menu and the docs pick it up from this list.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from app.processing.algorithm import Algorithm
from gis.errors import InputError

ALGORITHM_CLASSES = (
    "app.algorithms.new_park:NewPark",
    "app.algorithms.rooftop_pv:RooftopPV",
    "app.algorithms.pv_array:PVArray",
    "app.algorithms.wind:Wind",
    "app.algorithms.five_colour_map:FiveColourMap",
    "app.algorithms.emissions:Emissions",
    "app.algorithms.grades:Grades",
    "app.algorithms.toolbox:Toolbox",
    "app.algorithms.trends:Trends",
    "app.algorithms.pathway:Pathway",
    "app.algorithms.sinks:Sinks",
    "app.algorithms.sinks:LandcoverSinks",
    "app.algorithms.park_balance:ParkBalance",
    "app.algorithms.energy:Energy",
    "app.algorithms.report:Report",
    "app.algorithms.export:Export",
)
"""``module:Class`` of every algorithm, in menu order."""


@cache
def algorithms() -> tuple[Algorithm, ...]:
    """One instance of each algorithm (imported on first use: the CLI's start stays fast)."""
    out = []
    for ref in ALGORITHM_CLASSES:
        module, cls = ref.split(":")
        out.append(getattr(import_module(module), cls)())
    ids = [a.id for a in out]
    if len(set(ids)) != len(ids):
        raise RuntimeError(f"algorithm ids repeat: {ids}")
    return tuple(out)


def algorithm(algorithm_id: str) -> Algorithm:
    """The algorithm with this id (bilingual error for an unknown one)."""
    for a in algorithms():
        if a.id == algorithm_id:
            return a
    known = ", ".join(a.id for a in algorithms())
    raise InputError(f"没有算法“{algorithm_id}”；可用：{known}",
                     f"No algorithm '{algorithm_id}'; known: {known}", code="algorithm.unknown")
