"""Siting of wind turbines and ground PV arrays on a park, as an evented model without Qt.

* options.py — :class:`WindOptions`, :class:`ArrayOptions` (JSON-safe, saved with the project)
* env.py — the front end's services (:class:`SitingEnv`: texts by key, error texts, app
  settings, a runner for long work) and :class:`SitingError`
* frame.py — :class:`WorkFrame`: the metric work CRS and transforms to and from the map view
* history.py — :class:`Edit` (before/after states as plain data), :class:`EditHistory` (undo/redo)
* wind.py — :class:`TurbineLayout`: turbines, evaluated by ``gis.wind.farm`` after every edit
* array.py — :class:`ArrayArea`: the area, its live layout and the yield (``gis.solar.array_energy``)
* model.py — :class:`SitingModel`: both on one workspace (layers, results, settings, undo)

Views subscribe to the events (``layers.layer.Signal``: plain callbacks, run synchronously) and
forward user actions to the model; the desktop app's views are ``app.gui.siting`` and its tabs.
"""

from app.siting.array import ArrayArea
from app.siting.env import MESSAGES, SitingEnv, SitingError
from app.siting.history import Edit, EditHistory
from app.siting.model import SitingModel
from app.siting.options import ArrayOptions, WindOptions
from app.siting.wind import TurbineLayout

__all__ = ["MESSAGES", "ArrayArea", "ArrayOptions", "Edit", "EditHistory", "SitingEnv", "SitingError",
           "SitingModel", "TurbineLayout", "WindOptions"]
