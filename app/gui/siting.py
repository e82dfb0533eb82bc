"""The Siting panel: wind turbines and ground PV arrays placed on the map, with live results.

``SitingPanel(workspace, canvas)`` is a widget with two tabs (docked by :func:`install_siting`):

* **Wind** — turbine type (bundled curves, windpowerlib's library, a power-curve CSV, or a generic
  turbine from rated kW / rotor / hub), wind resource (the park's site climate as the demo uses,
  a Weibull A/k, or a WAsP .tab / sector table / EPW / wind-map file), wake model and constraints.
  Every edit (place, move, delete a turbine; a setting) runs
  :meth:`gis.wind.farm.WindFarmModel.evaluate` at once (≈ 5–20 ms for 20 turbines) and fills the
  table (per turbine AEP, wake loss, capacity factor, violations), the farm totals, the violation
  list (click: zoom to it) and the layers ``turbines`` and ``wind_violations``. The status line
  gives the time of the whole update (evaluate + layers + table).
* **PV array** — an area drawn on the map or the selected polygons of a layer, exclusions
  (boundary inset, buildings, a road layer), tilt/azimuth (site optimum by default), GCR or the
  winter rule, table make-up. Every edit lays the tables out again at once
  (:func:`gis.solar.array_layout.array_layout`, ≈ 25 ms for 10 ha) into ``pv_array_tables``,
  ``pv_array_area`` and ``pv_array_exclusions``; **Compute yield** runs
  :func:`gis.solar.array_energy.pv_array` in a background task (progress, Cancel).

Map tools (:mod:`app.gui.siting_tools`): ``place_turbine``, ``move_turbine``, ``delete_turbine``,
``draw_array``, registered on the canvas with ``MapCanvas.add_tool``. Every edit is a
:class:`QUndoCommand` on the main window's undo stack (``main_window.undo_stack``) or, without one,
on the panel's own stack (Ctrl+Z / Ctrl+Shift+Z on the panel and the canvas).

The layers are replaced in place (their place in the tree, visibility and opacity stay). The
results also go to ``workspace.results.wind`` / ``.pv_array`` and ``workspace.summary["wind"]`` /
``["pv_array"]`` (saved with the project) without a "results" event (that would clear the undo
stack). Turbines already in a ``turbines`` layer (the demo's, a reopened project's) are taken over
as the editable layout. Settings are kept in ``workspace.settings["siting"]``.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.gui.siting_tools import SITING_TOOL_NAMES, make_siting_tools, tool_icon
from app.gui.wind_views import PowerCurveView, WindRoseView
from gis.errors import InputError

DRAG_THROTTLE_MS = 80
"""While a turbine is dragged, at most one evaluation per 80 ms (≈ 12 per second)."""
SETTINGS_DEBOUNCE_MS = 250
"""A settings edit (typing in a spin box) is applied 250 ms after the last keystroke."""
LIVE_TARGET_MS = 200.0
"""Target: AEP, wake loss and violations within 200 ms of an edit for 20 turbines."""
GENERIC_DEFAULT = (100.0, 24.0, 30.0)
"""Generic turbine fields before the user types: a 100 kW-class small turbine (example values)."""
NOISE_CLASSES = ("auto", "0", "1", "2", "3", "4a", "4b")
WIND_LAYERS = ("turbines", "wind_violations")
ARRAY_LAYERS = ("pv_array_tables", "pv_array_area", "pv_array_exclusions")


def tr(text: str) -> str:
    return QCoreApplication.translate("Siting", text)


def _lang() -> str:
    try:
        from app.gui.i18n import ui_lang

        return "en" if ui_lang() == "en" else "zh"
    except Exception:  # settings not readable: Chinese, the product's default
        return "zh"


def _app_setting(name: str, default):
    """One value of the app settings (AppSettings.<name>), or ``default``."""
    try:
        from app.gui.settings import AppSettings

        value = getattr(AppSettings(), name)
        return default if value in (None, "") else value
    except Exception:  # no settings or unreadable: the documented default
        return default


class SitingError(Exception):
    """A problem of the panel's input, with a message already in the UI language."""


def _message(exc: BaseException) -> str:
    if isinstance(exc, InputError):
        from app.gui.tasks import error_text

        return error_text(exc)
    return str(exc)


# ---------------------------------------------------------------- options (JSON-safe)


def _wind_defaults() -> dict:
    from gis.wind import constraints as C
    from gis.wind.farm import DEMO_TURBINE
    from gis.wind.resource import DEFAULT_LAND_USE

    return {"turbine": DEMO_TURBINE, "spacing_downwind_d": C.SPACING_DOWNWIND_D,
            "spacing_crosswind_d": C.SPACING_CROSSWIND_D, "land_use": DEFAULT_LAND_USE,
            "noise_class": C.DEFAULT_NOISE_CLASS}


@dataclass
class WindOptions:
    """What the Wind tab shows. turbine: a bundled curve name, a windpowerlib type, a CSV path or
    "generic" (then generic_kw/_d/_hub); hub_height_m None = the turbine's own. resource: "site"
    (the park's built-in climate, as ``gis.wind.farm.demo_resource``), "weibull" or "file".
    setback_*_m None = tip height × the factor of resources/wind/setbacks.csv."""

    turbine: str = ""
    hub_height_m: float | None = None
    generic_kw: float = GENERIC_DEFAULT[0]
    generic_d_m: float = GENERIC_DEFAULT[1]
    generic_hub_m: float = GENERIC_DEFAULT[2]
    resource: str = "site"
    weibull_a: float = 6.0      # DOMAIN.md §6 reference case (A 6 m/s, k 2)
    weibull_k: float = 2.0
    weibull_height_m: float | None = None  # None: the hub height (as lingtan wind --weibull)
    resource_file: str = ""
    resource_height_m: float = 10.0  # sector tables / maps without a height in the name (EPW: 10 m)
    land_use: str = ""
    wake: str = "jensen"
    spacing_downwind_d: float = 0.0
    spacing_crosswind_d: float = 0.0
    setback_buildings_m: float | None = None
    setback_roads_m: float | None = None
    setback_boundary_m: float | None = None
    noise_class: str = ""
    roads_layer: str = ""

    def __post_init__(self) -> None:
        d = _wind_defaults()
        for k, v in d.items():
            if getattr(self, k) in ("", 0.0):
                setattr(self, k, v)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> WindOptions:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (d or {}).items() if k in names})


def _module_defaults() -> tuple[float, float, float]:
    from gis.solar.layout import ModuleSpec

    m = ModuleSpec()
    return (float(_app_setting("module_w", m.power_w)), float(_app_setting("module_length_m", m.length_m)),
            float(_app_setting("module_width_m", m.width_m)))


@dataclass
class ArrayOptions:
    """What the PV array tab shows (defaults and sources: docs/pv-array.md). tilt_deg/azimuth_deg
    None = the site optimum; gcr None = the winter-solstice 9:00–15:00 rule."""

    boundary_setback_m: float = 2.0
    building_setback_m: float = 5.0
    road_setback_m: float = 5.0
    roads_layer: str = ""
    tilt_deg: float | None = None
    azimuth_deg: float | None = None
    gcr: float | None = None
    orientation: str = "portrait"
    modules_up: int = 2
    modules_along: int = 14
    module_w: float = 0.0
    module_length_m: float = 0.0
    module_width_m: float = 0.0
    table_gap_m: float = 0.5

    def __post_init__(self) -> None:
        w, length, width = _module_defaults()
        if not self.module_w:
            self.module_w = w
        if not self.module_length_m:
            self.module_length_m = length
        if not self.module_width_m:
            self.module_width_m = width

    def table(self):
        from gis.solar.array_layout import TableSpec
        from gis.solar.layout import ModuleSpec

        module = ModuleSpec(self.module_w, self.module_length_m, self.module_width_m)
        return TableSpec(module, self.orientation, int(self.modules_up), int(self.modules_along))

    def settings(self):
        from gis.solar.array_energy import ArraySettings

        return ArraySettings(table=self.table(), tilt_deg=self.tilt_deg, azimuth_deg=self.azimuth_deg,
                             gcr=self.gcr, building_setback_m=self.building_setback_m,
                             road_setback_m=self.road_setback_m, boundary_setback_m=self.boundary_setback_m,
                             table_gap_m=self.table_gap_m)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> ArrayOptions:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (d or {}).items() if k in names})


# ---------------------------------------------------------------- undo


class StateEdit(QUndoCommand):
    """One edit of a controller's state: ``redo`` applies ``after``, ``undo`` puts ``before``
    back (the controller re-evaluates and rewrites its layers)."""

    def __init__(self, target, text: str, before: Any, after: Any) -> None:
        super().__init__(text)
        self.target, self.before, self.after = target, before, after

    def redo(self) -> None:
        self.target.apply_state(self.after)

    def undo(self) -> None:
        self.target.apply_state(self.before)


def _empty(columns: list[str], crs) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: pd.Series([], dtype=object) for c in columns},
                            geometry=gpd.GeoSeries([], crs=crs), crs=crs)


# ---------------------------------------------------------------- wind controller


class WindSiting(QObject):
    """The turbine layout (ids and positions in the work CRS) and its evaluation.

    Signals: ``evaluated(object result)`` (a FarmResult or None), ``timed(float ms, int n)`` (the
    whole update), ``model_changed()`` (turbine or resource changed: views), ``failed(str)``."""

    evaluated = Signal(object)
    timed = Signal(float, int)
    model_changed = Signal()
    failed = Signal(str)

    def __init__(self, panel: SitingPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.options = WindOptions()
        self.ids: list[str] = []
        self.xy = np.zeros((0, 2))
        self.model = None
        self.turbine = None
        self.resource = None
        self.result = None
        self.error: str | None = None
        self.last_ms: float | None = None
        self.last_eval_ms: float | None = None
        self._cache: dict[str, tuple] = {}
        self._drag: tuple[int, tuple] | None = None
        self._last_drag_eval = 0.0
        self._drag_timer = QTimer(self)
        self._drag_timer.setSingleShot(True)
        self._drag_timer.timeout.connect(self._drag_refresh)

    # -- the model ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget the layout and the model (another park or workspace)."""
        self._drag_timer.stop()
        self.ids, self.xy = [], np.zeros((0, 2))
        self.model = self.turbine = self.resource = self.result = None
        self._cache.clear()
        self._drag = None

    def set_options(self, options: WindOptions, evaluate: bool = True) -> None:
        self.options = options
        self.model = None
        if evaluate:
            self.refresh()

    def _turbine(self):
        from gis.wind.turbines import load_turbine

        o = self.options
        spec = o.turbine
        if spec == "generic":
            spec = f"generic:{o.generic_kw:g},{o.generic_d_m:g},{o.generic_hub_m:g}"
        key = ("turbine", spec, o.hub_height_m)
        if self._cache.get("turbine", (None,))[0] != key:
            self._cache["turbine"] = (key, load_turbine(spec, hub_height_m=o.hub_height_m))
        return self._cache["turbine"][1]

    def _resource(self, turbine):
        from gis.wind.farm import demo_resource
        from gis.wind.resource import RasterResource, WindClimate, WindResource, read_resource, shear_for

        o = self.options
        park = self.panel.park()
        if o.resource == "site":
            if park is None:
                raise SitingError(tr("The park's site climate needs a park: open one, or choose a Weibull "
                                     "distribution or a file"))
            key = ("site", id(park.boundary))
            if self._cache.get("resource", (None,))[0] != key:
                self._cache["resource"] = (key, demo_resource(park), park.boundary)
            return self._cache["resource"][1]
        shear = shear_for(o.land_use)
        if o.resource == "weibull":
            height = o.weibull_height_m or turbine.hub_height_m
            climate = WindClimate.uniform(o.weibull_a, o.weibull_k, height, 12,
                                          source=f"Weibull A = {o.weibull_a:g} m/s, k = {o.weibull_k:g} at "
                                                 f"{height:g} m (user)")
            return WindResource(climate, shear)
        if not o.resource_file:
            raise SitingError(tr("Choose a wind resource file (.tab, .csv/.xlsx sector table, .epw or .tif)"))
        p = Path(o.resource_file)
        mtime = p.stat().st_mtime if p.is_file() else None
        key = ("file", str(p), mtime, o.resource_height_m)
        if self._cache.get("file", (None,))[0] != key:
            self._cache["file"] = (key, read_resource(p, height_m=o.resource_height_m))
        res = self._cache["file"][1]
        if isinstance(res, RasterResource):
            return WindResource(None, shear, raster=res)
        return WindResource(res, shear)

    def _build(self):
        from gis.wind.farm import WindFarmModel, WindSettings
        from gis.wind.wakes import WakeSettings

        crs = self.panel.work_crs()
        if crs is None:
            raise SitingError(tr("No map yet: open a park or add data first"))
        o = self.options
        turbine = self._turbine()
        resource = self._resource(turbine)
        settings = WindSettings(wake=WakeSettings(model=o.wake),
                                spacing_downwind_d=float(o.spacing_downwind_d),
                                spacing_crosswind_d=float(o.spacing_crosswind_d),
                                setback_buildings_m=o.setback_buildings_m, setback_roads_m=o.setback_roads_m,
                                setback_boundary_m=o.setback_boundary_m, noise_class=o.noise_class)
        park = self.panel.park()
        buildings = self.panel.in_work(park.buildings) if park is not None else None
        boundary = self.panel.in_work(park.boundary) if park is not None else None
        roads = self.panel.layer_frame(o.roads_layer)
        self.turbine, self.resource = turbine, resource
        return WindFarmModel(turbine, resource, crs=crs, settings=settings, buildings=buildings, roads=roads,
                             boundary=boundary, site_lonlat=self.panel.site_lonlat())

    def ensure_model(self) -> bool:
        """Build the model when needed; False (and ``error`` set, ``failed`` emitted) when it
        cannot be built."""
        if self.model is not None:
            return True
        try:
            self.model = self._build()
        except (InputError, SitingError, OSError, KeyError, ValueError) as exc:
            self.model = None
            self.error = _message(exc)
            self.failed.emit(self.error)
            self.model_changed.emit()
            return False
        self.error = None
        self.model_changed.emit()
        return True

    def spacing_axes_m(self) -> tuple[float, float, float | None]:
        """(along, across) the prevailing wind in metres and its bearing (None: a circle)."""
        if not self.ensure_model():
            return 0.0, 0.0, None
        d = self.model.turbine.rotor_diameter_m
        s = self.model.settings
        return s.spacing_downwind_d * d, s.spacing_crosswind_d * d, self.model.prevailing_deg

    # -- state and evaluation ----------------------------------------------------------------
    def state(self) -> tuple[tuple[str, ...], np.ndarray]:
        return tuple(self.ids), self.xy.copy()

    def apply_state(self, state) -> None:
        ids, xy = state
        self.ids, self.xy = list(ids), np.array(xy, float).reshape(-1, 2)
        self.refresh()

    def adopt(self, gdf: gpd.GeoDataFrame | None) -> None:
        """Take the turbines of a ``turbines`` layer as the layout (no evaluation, no layer write)."""
        self._drag_timer.stop()
        self._drag = None
        self.result = None
        if gdf is None or len(gdf) == 0:
            self.ids, self.xy = [], np.zeros((0, 2))
            return
        g = self.panel.in_work(gdf)
        pts = g[g.geometry.geom_type == "Point"]
        ids = [str(v) for v in pts["turbine_id"]] if "turbine_id" in pts else \
            [f"WT{i + 1}" for i in range(len(pts))]
        self.ids = ids
        self.xy = np.c_[pts.geometry.x.to_numpy(float), pts.geometry.y.to_numpy(float)]

    def refresh(self, write: bool = True, store: bool = True) -> None:
        """Evaluate the layout; fill the views (``evaluated``), write the layers, time it all."""
        t0 = time.perf_counter()
        if not self.ensure_model():
            self.result = None
            self.evaluated.emit(None)
            return
        n = len(self.ids)
        res = None
        if n:
            try:
                res = self.model.evaluate(self.xy[:, 0], self.xy[:, 1], ids=self.ids)
            except (InputError, ValueError) as exc:
                self.error = _message(exc)
                self.failed.emit(self.error)
                return
        self.last_eval_ms = (time.perf_counter() - t0) * 1000.0
        self.result = res
        if write:
            self.panel.write_layers(self._layers(res), restyle=set())
        self.evaluated.emit(res)
        if store and write:
            self.panel.store_result("wind", res)
        self.last_ms = (time.perf_counter() - t0) * 1000.0
        self.timed.emit(self.last_ms, n)

    def _layers(self, res) -> dict[str, gpd.GeoDataFrame]:
        from gis.wind.farm import TURBINE_FIELDS, VIOLATION_COLUMNS

        crs = self.panel.work_crs()
        if res is None:
            return {"turbines": _empty(TURBINE_FIELDS, crs),
                    "wind_violations": _empty(VIOLATION_COLUMNS, crs)}
        out = {"turbines": res.turbines, "wind_violations": res.violations}
        if res.receptors is not None and self.panel.workspace.layer("wind_receptors") is not None:
            out["wind_receptors"] = res.receptors
        return out

    def violating_ids(self) -> set[str]:
        if self.result is None or len(self.result.violations) == 0:
            return set()
        return {str(v) for v in self.result.violations["turbine"]}

    # -- edits (canvas map coordinates) ------------------------------------------------------
    def _next_id(self) -> str:
        nums = [int(i[2:]) for i in self.ids if i.startswith("WT") and i[2:].isdigit()]
        k = max(nums, default=0) + 1
        while f"WT{k}" in self.ids:
            k += 1
        return f"WT{k}"

    def _ready(self) -> bool:
        if self.ensure_model():
            return True
        self.panel.show_status(self.error or "")
        return False

    def add_turbine(self, x: float, y: float) -> None:
        """Place a turbine at canvas map coordinates (x, y) (one undo step)."""
        if not self._ready():
            return
        wx, wy = self.panel.to_work(x, y)
        new = self._next_id()
        before = self.state()
        after = ((*self.ids, new), np.vstack([self.xy, [[wx, wy]]]))
        self.panel.push(StateEdit(self, tr("Place turbine {0}").format(new), before, after))

    def place_work(self, x: float, y: float) -> None:
        """Place a turbine at work-CRS coordinates (scripts and tests)."""
        wx, wy = self.panel.from_work(np.array([x]), np.array([y]))
        self.add_turbine(float(wx[0]), float(wy[0]))

    def delete_turbine(self, i: int) -> None:
        if not 0 <= i < len(self.ids):
            return
        before = self.state()
        ids = [t for k, t in enumerate(self.ids) if k != i]
        after = (tuple(ids), np.delete(self.xy, i, axis=0))
        self.panel.push(StateEdit(self, tr("Delete turbine {0}").format(self.ids[i]), before, after))

    def set_layout(self, ids, xy, text: str | None = None) -> None:
        """Replace the whole layout (one undo step)."""
        self.panel.push(StateEdit(self, text or tr("Set turbines"), self.state(),
                                  (tuple(str(i) for i in ids), np.array(xy, float).reshape(-1, 2))))

    def begin_move(self, i: int) -> None:
        self._drag = (i, self.state())
        self._last_drag_eval = 0.0

    def drag_to(self, i: int, x: float, y: float) -> None:
        """The dragged turbine is at (x, y): evaluate now or within DRAG_THROTTLE_MS."""
        if self._drag is None or not 0 <= i < len(self.ids):
            return
        self.xy[i] = self.panel.to_work(x, y)
        wait = DRAG_THROTTLE_MS - (time.perf_counter() - self._last_drag_eval) * 1000.0
        if wait <= 0:
            self._drag_refresh()
        elif not self._drag_timer.isActive():
            self._drag_timer.start(math.ceil(wait))

    def _drag_refresh(self) -> None:
        if self._drag is None:
            return
        self._last_drag_eval = time.perf_counter()
        self.refresh(write=True, store=False)

    def end_move(self, i: int, x: float, y: float) -> None:
        self._drag_timer.stop()
        if self._drag is None:
            return
        _, before = self._drag
        self._drag = None
        xy = before[1].copy()
        xy[i] = self.panel.to_work(x, y)
        self.panel.push(StateEdit(self, tr("Move turbine {0}").format(before[0][i]), before, (before[0], xy)))

    def cancel_move(self, i: int) -> None:
        self._drag_timer.stop()
        if self._drag is None:
            return
        _, before = self._drag
        self._drag = None
        moved = not np.array_equal(before[1], self.xy)
        self.ids, self.xy = list(before[0]), before[1].copy()
        if moved:
            self.refresh(write=True, store=False)

    # -- for the tools -----------------------------------------------------------------------
    def pixels(self, canvas) -> np.ndarray:
        if not len(self.ids):
            return np.zeros((0, 2))
        x, y = self.panel.from_work(self.xy[:, 0], self.xy[:, 1])
        px, py = canvas.to_pixel(np.asarray(x), np.asarray(y))
        return np.c_[px, py]

    def turbine_at_pixel(self, canvas, px: float, py: float, tol_px: float) -> int | None:
        pts = self.pixels(canvas)
        if not len(pts):
            return None
        d = np.hypot(pts[:, 0] - px, pts[:, 1] - py)
        d[~np.isfinite(d)] = np.inf
        i = int(np.argmin(d))
        return i if d[i] <= tol_px else None


# ---------------------------------------------------------------- PV array controller


class ArraySiting(QObject):
    """The array area (polygons in the work CRS) and its live layout; the yield on demand.

    State (undo): None (no area), an array of polygons, or a dict of layer frames (the array
    layers that were there before the first edit, e.g. the demo's, put back exactly).
    Signals: ``laid_out(object layout, float ms)``, ``yield_done(object result)``, ``failed(str)``."""

    laid_out = Signal(object, float)
    yield_done = Signal(object)
    failed = Signal(str)

    def __init__(self, panel: SitingPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.options = ArrayOptions()
        self.parts: np.ndarray | None = None
        self.foreign: dict | None = None  # the array layers found in the workspace, untouched
        self.layout = None
        self.result = None
        self.orientation: tuple[float, float, bool] | None = None  # tilt, azimuth, from the optimum
        self.error: str | None = None
        self.last_ms: float | None = None
        self.task = None
        self._weather = None
        self._weather_key = None
        self._yield_style = False

    def reset(self) -> None:
        self.parts, self.foreign, self.layout, self.result, self.orientation = None, None, None, None, None
        self._weather, self._weather_key = None, None

    # -- state --------------------------------------------------------------------------------
    def state(self):
        if self.parts is not None:
            return self.parts
        if self.foreign is None:
            ws = self.panel.workspace
            self.foreign = {n: lyr.gdf for n in ARRAY_LAYERS if (lyr := ws.layer(n)) is not None}
        return dict(self.foreign) if self.foreign else None

    def apply_state(self, state) -> None:
        self.result = None
        if isinstance(state, dict):
            self.parts, self.layout = None, None
            self.foreign = dict(state)
            self.panel.write_layers(state, restyle=set(state))
            self.laid_out.emit(None, 0.0)
            return
        self.parts = state
        self.relayout()

    def set_area(self, parts: np.ndarray, text: str) -> None:
        self.panel.push(StateEdit(self, text, self.state(), parts))

    def set_area_from_canvas(self, points: list[tuple[float, float]]) -> None:
        """A polygon drawn on the canvas (map coordinates) becomes the array area (one undo step)."""
        if self.panel.work_crs() is None:
            self.panel.show_status(tr("No map yet: open a park or add data first"))
            return
        xs, ys = np.array([p[0] for p in points]), np.array([p[1] for p in points])
        wx, wy = self.panel.to_work_arrays(xs, ys)
        poly = shapely.Polygon(np.c_[wx, wy])
        try:
            parts = self._parts_of([poly])
        except InputError as exc:
            self.panel.show_status(_message(exc))
            return
        self.set_area(parts, tr("Draw PV array area"))

    def use_selection(self, layer) -> bool:
        """The selected polygons of ``layer`` become the area; False when none is selected."""
        sel = np.asarray(getattr(layer, "selection", []), dtype=np.int64)
        if layer is None or sel.size == 0:
            self.panel.show_status(tr("Select one or more polygons of the layer first (Select tool)"))
            return False
        g = self.panel.in_work(layer.gdf).geometry.to_numpy()[sel]
        try:
            parts = self._parts_of(list(g))
        except InputError as exc:
            self.panel.show_status(_message(exc))
            return False
        self.set_area(parts, tr("Use selected polygons as PV array area"))
        return True

    def clear_area(self) -> None:
        if self.parts is not None:
            self.set_area(None, tr("Clear PV array area"))

    def _parts_of(self, geoms: list) -> np.ndarray:
        from gis.solar.array_layout import area_polygons

        return area_polygons(gpd.GeoDataFrame(geometry=list(geoms), crs=self.panel.work_crs()))

    def set_options(self, options: ArrayOptions) -> None:
        self.options = options
        self.orientation = None
        if self.parts is not None:
            self.result = None
            self.relayout()

    # -- layout -------------------------------------------------------------------------------
    def weather(self):
        """The site's weather (built-in climatology; PVGIS only with network use allowed)."""
        from gis.solar.array_layout import centre_lonlat
        from gis.solar.site_weather import site_weather

        crs = self.panel.work_crs()
        ref = self.parts if self.parts is not None else None
        geom = shapely.union_all(ref) if ref is not None else None
        if geom is None:
            park = self.panel.park()
            if park is None:
                raise SitingError(tr("No map yet: open a park or add data first"))
            geom = shapely.union_all(self.panel.in_work(park.boundary).geometry.to_numpy())
        lon, lat = centre_lonlat(geom, crs)
        key = (round(lon, 2), round(lat, 2))
        if self._weather is None or self._weather_key != key:
            self._weather = site_weather(lon, lat, allow_network=bool(_app_setting("network", False)))
            self._weather_key = key
        return self._weather

    def _orientation(self) -> tuple[float, float, bool]:
        from gis.solar.array_energy import resolve_orientation

        o = self.options
        if o.tilt_deg is not None and o.azimuth_deg is not None:
            return float(o.tilt_deg), float(o.azimuth_deg), False
        if self.orientation is None:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self.panel.show_status(tr("Finding the site's best tilt and azimuth…"))
                tilt, az, opt = resolve_orientation(o.settings(), self.weather())
            finally:
                QApplication.restoreOverrideCursor()
            self.orientation = (float(tilt), float(az), opt is not None)
        return self.orientation

    def _exclusions(self) -> list:
        from gis.solar.array_layout import Exclusion

        o, ex = self.options, []
        park = self.panel.park()
        if park is not None and park.buildings is not None and len(park.buildings):
            b = self.panel.in_work(park.buildings)
            ex.append(Exclusion(np.asarray(b.geometry.array), o.building_setback_m, "building", "buildings"))
        roads = self.panel.layer_frame(o.roads_layer)
        if roads is not None and len(roads):
            ex.append(Exclusion(np.asarray(roads.geometry.array), o.road_setback_m, "road", o.roads_layer))
        return ex

    def relayout(self) -> None:
        """Lay the tables out again (no energy) and show them."""
        from gis.solar.array_layout import array_layout, centre_lonlat, row_geometry

        t0 = time.perf_counter()
        self._drop_stored()
        if self.parts is None:
            self.layout = None
            crs = self.panel.work_crs()
            if any(self.panel.workspace.layer(n) is not None for n in ARRAY_LAYERS):
                self.panel.write_layers({n: _empty(["table_id"], crs) for n in ARRAY_LAYERS},
                                        restyle={"pv_array_tables"})
            self.laid_out.emit(None, 0.0)
            return
        crs = self.panel.work_crs()
        o = self.options
        try:
            tilt, az, _ = self._orientation()
            _, lat = centre_lonlat(shapely.union_all(self.parts), crs)
            rows = row_geometry(o.table(), tilt, az, lat, o.gcr)
            lay = array_layout(self.parts, crs, rows, self._exclusions(),
                               boundary_setback_m=o.boundary_setback_m, table_gap_m=o.table_gap_m)
        except (InputError, SitingError, OSError) as exc:
            self.error = _message(exc)
            self.failed.emit(self.error)
            return
        self.error = None
        self.layout = lay
        restyle = {"pv_array_tables"} if self._yield_style else set()
        self.panel.write_layers(self._layout_layers(lay), restyle=restyle)
        self._yield_style = False
        self.last_ms = (time.perf_counter() - t0) * 1000.0
        self.laid_out.emit(lay, self.last_ms)

    def _layout_layers(self, lay) -> dict[str, gpd.GeoDataFrame]:
        t, ua = lay.tables, lay.usable
        parts = ua.parts
        n = len(parts)
        usable = shapely.intersection(parts, ua.usable)
        aid = t["area_id"].to_numpy() - 1
        ok = aid >= 0
        area = gpd.GeoDataFrame({
            "area_id": np.arange(1, n + 1), "area_m2": shapely.area(parts), "usable_m2": shapely.area(usable),
            "tables": np.bincount(aid[ok], minlength=n),
            "kwp": np.bincount(aid[ok], weights=t["kwp"].to_numpy(float)[ok], minlength=n)},
            geometry=gpd.GeoSeries(usable, crs=t.crs), crs=t.crs)
        z = ua.zones
        zones = gpd.GeoDataFrame(z[["kind", "label", "distance_m", "zone_m2"]].copy(),
                                 geometry=gpd.GeoSeries(z["geometry"].to_numpy(), crs=t.crs), crs=t.crs)
        return {"pv_array_tables": t, "pv_array_area": area, "pv_array_exclusions": zones}

    def outline_pixels(self, canvas) -> list[list[tuple[float, float]]]:
        """Exterior rings of the area in widget pixels (for the draw tool's overlay)."""
        if self.parts is None:
            return []
        rings = []
        for poly in shapely.get_parts(self.parts):
            xy = shapely.get_coordinates(shapely.get_exterior_ring(poly))
            x, y = self.panel.from_work(xy[:, 0], xy[:, 1])
            px, py = canvas.to_pixel(np.asarray(x), np.asarray(y))
            rings.append(list(zip(np.asarray(px).tolist(), np.asarray(py).tolist(), strict=True)))
        return rings

    def _drop_stored(self) -> None:
        """The stored yield no longer matches the layout."""
        ws = self.panel.workspace
        if ws is None:
            return
        if ws.results is not None and getattr(ws.results, "pv_array", None) is not None:
            ws.results.pv_array = None
        ws.summary.pop("pv_array", None)

    # -- yield ------------------------------------------------------------------------------
    def compute_yield(self, parent=None, show_errors: bool = True):
        """Run :func:`pv_array` on the current area in a task (progress, Cancel); None when there
        is no area."""
        from app.gui.tasks import run_task
        from gis.solar.array_energy import pv_array

        if self.parts is None:
            self.panel.show_status(tr("Draw or choose an array area first"))
            return None
        parts, o, crs = self.parts, self.options, self.panel.work_crs()
        try:
            weather = self.weather()
        except (InputError, SitingError, OSError) as exc:
            self.panel.show_status(_message(exc))
            return None
        park = self.panel.park()
        buildings = self.panel.in_work(park.buildings) if park is not None else None
        roads = self.panel.layer_frame(o.roads_layer)
        ws = self.panel.workspace
        grid = ws.results.pv.grid_factor if ws.results is not None and ws.results.pv is not None else None
        settings = o.settings()
        area = gpd.GeoDataFrame({"area_id": np.arange(1, len(parts) + 1)}, geometry=list(parts), crs=crs)

        def work(progress):
            return pv_array(area, weather, settings, buildings=buildings, roads=roads, grid=grid,
                            progress=progress)

        def done(result) -> None:
            self.task = None
            if self.parts is not parts:  # edited meanwhile: the result is for another layout
                self.panel.show_status(tr("The array changed while its yield was computed: compute again"))
                return
            from app.algorithms.pv_array import as_written as result_layers

            self.result = result
            self._yield_style = True
            self.panel.write_layers(result_layers(result), restyle={"pv_array_tables"})
            self.panel.store_result("pv_array", result)
            self.yield_done.emit(result)

        def failed(_exc) -> None:
            self.task = None

        self.task = run_task(parent or self.panel, tr("PV array yield"), work, done, failed,
                             on_cancelled=lambda: setattr(self, "task", None), show_errors=show_errors)
        return self.task


# ---------------------------------------------------------------- the tabs


def _spin(lo: float, hi: float, value: float, decimals: int = 1, step: float = 1.0, suffix: str = "",
          special: str | None = None, tip: str = "") -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setRange(lo, hi)
    s.setDecimals(decimals)
    s.setSingleStep(step)
    if suffix:
        s.setSuffix(suffix)
    if special is not None:
        s.setSpecialValueText(special)
    s.setValue(value)
    s.setKeyboardTracking(False)
    if tip:
        s.setToolTip(tip)
    return s


def _optional(spin: QDoubleSpinBox) -> float | None:
    return None if spin.value() == spin.minimum() and spin.specialValueText() else float(spin.value())


def _set_optional(spin: QDoubleSpinBox, value: float | None) -> None:
    spin.setValue(spin.minimum() if value is None else float(value))


def _combo_data(combo: QComboBox, value) -> None:
    i = combo.findData(value)
    if i >= 0:
        combo.setCurrentIndex(i)


class WindTab(QWidget):
    """Settings, results and views of the wind siting."""

    def __init__(self, panel: SitingPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.wind = panel.wind
        self._filling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTINGS_DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply)
        self._build()
        self.wind.evaluated.connect(self.show_result)
        self.wind.timed.connect(self.show_time)
        self.wind.failed.connect(self.show_error)
        self.wind.model_changed.connect(self.update_views)

    # -- widgets -----------------------------------------------------------------------------
    def _build(self) -> None:
        from gis.wind import constraints as C

        self.factors = C.setback_factors()
        form_box = QWidget()
        form_lay = QVBoxLayout(form_box)
        form_lay.setContentsMargins(0, 0, 0, 0)

        self.g_turbine = QGroupBox()
        f = QFormLayout(self.g_turbine)
        self.turbine = QComboBox()
        self.turbine.setMaxVisibleItems(20)
        self.turbine.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.turbine.setMinimumContentsLength(16)
        self.load_csv = QPushButton()
        self.load_csv.clicked.connect(self._load_csv)
        self.l_turbine = QLabel()
        f.addRow(self.l_turbine, self.turbine)
        f.addRow("", self.load_csv)
        self.generic_kw = _spin(1, 20000, GENERIC_DEFAULT[0], 0, 10, " kW")
        self.generic_d = _spin(1, 250, GENERIC_DEFAULT[1], 1, 1, " m")
        self.generic_hub = _spin(2, 250, GENERIC_DEFAULT[2], 1, 1, " m")
        grow = QHBoxLayout()
        for w in (self.generic_kw, self.generic_d, self.generic_hub):
            grow.addWidget(w)
        self.l_generic = QLabel()
        f.addRow(self.l_generic, grow)
        self.hub = _spin(0, 250, 0, 1, 1, " m", special="—")
        self.l_hub = QLabel()
        f.addRow(self.l_hub, self.hub)
        form_lay.addWidget(self.g_turbine)

        self.g_resource = QGroupBox()
        f = QFormLayout(self.g_resource)
        self.resource = QComboBox()
        for key in ("site", "weibull", "file"):
            self.resource.addItem("", key)
        self.l_resource = QLabel()
        f.addRow(self.l_resource, self.resource)
        self.weibull_a = _spin(0.5, 25, 6.0, 2, 0.1, " m/s")
        self.weibull_k = _spin(0.5, 5, 2.0, 2, 0.1)
        self.weibull_h = _spin(0, 300, 0, 1, 1, " m", special="—")
        wrow = QHBoxLayout()
        for w in (self.weibull_a, self.weibull_k, self.weibull_h):
            wrow.addWidget(w)
        self.l_weibull = QLabel()
        f.addRow(self.l_weibull, wrow)
        self.file = QLineEdit()
        self.file.editingFinished.connect(self.changed)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        frow = QHBoxLayout()
        frow.addWidget(self.file, 1)
        frow.addWidget(self.browse)
        self.l_file = QLabel()
        f.addRow(self.l_file, frow)
        self.file_h = _spin(1, 300, 10, 1, 1, " m")
        self.l_file_h = QLabel()
        f.addRow(self.l_file_h, self.file_h)
        self.land_use = QComboBox()
        from gis.wind.resource import roughness_table

        self.roughness = roughness_table()
        for _, r in self.roughness.iterrows():
            self.land_use.addItem("", str(r["key"]))
        self.l_land_use = QLabel()
        f.addRow(self.l_land_use, self.land_use)
        form_lay.addWidget(self.g_resource)

        self.g_rules = QGroupBox()
        f = QFormLayout(self.g_rules)
        self.wake = QComboBox()
        for key in ("jensen", "bastankhah", "none"):
            self.wake.addItem("", key)
        self.l_wake = QLabel()
        f.addRow(self.l_wake, self.wake)
        self.spacing_down = _spin(1, 20, C.SPACING_DOWNWIND_D, 1, 0.5, " D")
        self.spacing_cross = _spin(1, 20, C.SPACING_CROSSWIND_D, 1, 0.5, " D")
        srow = QHBoxLayout()
        srow.addWidget(self.spacing_down)
        srow.addWidget(self.spacing_cross)
        self.l_spacing = QLabel()
        f.addRow(self.l_spacing, srow)
        self.setback_b = _spin(-1, 5000, -1, 0, 5, " m", special="auto")
        self.setback_r = _spin(-1, 5000, -1, 0, 5, " m", special="auto")
        self.setback_o = _spin(-1, 5000, -1, 0, 5, " m", special="auto")
        self.l_setback_b, self.l_setback_r, self.l_setback_o = QLabel(), QLabel(), QLabel()
        f.addRow(self.l_setback_b, self.setback_b)
        self.roads = QComboBox()
        rrow = QHBoxLayout()
        rrow.addWidget(self.setback_r)
        rrow.addWidget(self.roads, 1)
        f.addRow(self.l_setback_r, rrow)
        f.addRow(self.l_setback_o, self.setback_o)
        self.noise = QComboBox()
        for key in NOISE_CLASSES:
            self.noise.addItem("", key)
        self.l_noise = QLabel()
        f.addRow(self.l_noise, self.noise)
        form_lay.addWidget(self.g_rules)
        form_lay.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_box)

        results = QWidget()
        rl = QVBoxLayout(results)
        rl.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 5)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._table_selected)
        rl.addWidget(self.table, 3)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        rl.addWidget(self.totals)
        self.l_violations = QLabel()
        rl.addWidget(self.l_violations)
        self.violations = QListWidget()
        self.violations.setWordWrap(True)
        self.violations.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.violations.itemClicked.connect(self._violation_clicked)
        rl.addWidget(self.violations, 2)

        views = QWidget()
        vl = QHBoxLayout(views)
        vl.setContentsMargins(0, 0, 0, 0)
        self.rose = WindRoseView()
        self.curve = PowerCurveView()
        vl.addWidget(self.rose, 2)
        vl.addWidget(self.curve, 3)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(results)
        split.addWidget(views)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(split)

        self._fill_turbines()
        for w in (self.turbine, self.resource, self.land_use, self.wake, self.roads, self.noise):
            w.currentIndexChanged.connect(self.changed)
        for w in (self.generic_kw, self.generic_d, self.generic_hub, self.hub, self.weibull_a, self.weibull_k,
                  self.weibull_h, self.file_h, self.spacing_down, self.spacing_cross, self.setback_b,
                  self.setback_r, self.setback_o):
            w.valueChanged.connect(self.changed)
        self.retranslate_ui()

    def _fill_turbines(self) -> None:
        from gis.wind.turbines import bundled_curves, library_table

        self.turbine.blockSignals(True)
        self.turbine.clear()
        for stem in bundled_curves():
            self.turbine.addItem(stem, stem)
        lib = library_table()
        if len(lib):
            self.turbine.insertSeparator(self.turbine.count())
            for _, r in lib.iterrows():
                self.turbine.addItem(f"{r['turbine_type']} ({r['manufacturer']}, {r['rated_kw']:g} kW)",
                                     str(r["turbine_type"]))
        self.turbine.insertSeparator(self.turbine.count())
        self.turbine.addItem("", "generic")
        self.turbine.blockSignals(False)

    def retranslate_ui(self) -> None:
        lang = _lang()
        self.g_turbine.setTitle(tr("Turbine"))
        self.l_turbine.setText(tr("Type"))
        generic = tr("Generic turbine (rated kW, rotor, hub)")
        self.turbine.setItemText(self.turbine.findData("generic"), generic)
        self.turbine.setToolTip(tr("Bundled power curves (resources/wind/turbines: each file names its "
                                   "source), windpowerlib's offline turbine library (OpenEnergy Database), a "
                                   "power curve CSV of your own, or a generic turbine. Default: "
                                   "ghrepower_fd21_50, a Chinese 50 kW-class small turbine (SWCC-certified "
                                   "curve), as the demo"))
        self.load_csv.setText(tr("Load power curve CSV…"))
        self.load_csv.setToolTip(tr("Columns wind speed (m/s) and power (kW), optional Ct; '# "
                                    "rotor_diameter_m:' and '# hub_height_m:' lines give the rotor and hub "
                                    "(docs/wind.md)"))
        self.l_generic.setText(tr("Generic: kW, rotor, hub"))
        self.generic_kw.setToolTip(tr("Rated power of the generic turbine (DTU WETB standard curve, Cp 0.49 "
                                      "minus gear, generator and converter losses)"))
        self.generic_d.setToolTip(tr("Rotor diameter"))
        self.generic_hub.setToolTip(tr("Hub height"))
        self.l_hub.setText(tr("Hub height"))
        self.hub.setSpecialValueText(tr("turbine's own"))
        self.hub.setToolTip(tr("Hub height of every turbine; default: the curve file's, or the lowest the "
                               "maker offers (windpowerlib)"))
        self.g_resource.setTitle(tr("Wind resource"))
        self.l_resource.setText(tr("Resource"))
        for i, text in enumerate((tr("Park site climate (built-in, as the demo)"), tr("Weibull A, k"),
                                  tr("File (.tab, sector table, EPW, wind map)"))):
            self.resource.setItemText(i, text)
        self.resource.setToolTip(tr("Default: the built-in CSWD climatology's annual mean 10 m speed at the "
                                    "park as a Rayleigh distribution (k = 2), uniform directions, log-law "
                                    "shear over suburban/industrial roughness z0 = 0.4 m "
                                    "(gis.wind.farm.demo_resource)"))
        self.l_weibull.setText(tr("A, k, height"))
        self.weibull_a.setToolTip(tr("Weibull scale A (m/s); default 6.0 with k = 2.0: the DOMAIN.md §6 "
                                     "reference case"))
        self.weibull_k.setToolTip(tr("Weibull shape k"))
        self.weibull_h.setSpecialValueText(tr("hub height"))
        self.weibull_h.setToolTip(tr("Height the Weibull distribution is for; default: the hub height"))
        self.l_file.setText(tr("File"))
        self.file.setPlaceholderText(tr("WAsP .tab, .csv/.xlsx sector table, .epw or wind-map .tif"))
        self.browse.setText(tr("Browse…"))
        self.l_file_h.setText(tr("File height"))
        self.file_h.setToolTip(tr("Height of a sector table or a wind map without one in its name (EPW files "
                                  "are 10 m, .tab files say theirs)"))
        self.l_land_use.setText(tr("Shear (land use)"))
        for i, (_, r) in enumerate(self.roughness.iterrows()):
            self.land_use.setItemText(i, str(r["name_zh"] if lang == "zh" else r["name_en"]))
            self.land_use.setItemData(i, str(r["source"]), Qt.ItemDataRole.ToolTipRole)
        self.land_use.setToolTip(tr("Roughness for the shear from the resource height to the hub "
                                    "(resources/wind/roughness.csv); default farmland z0 = 0.1 m, the "
                                    "surroundings of most weather stations (European Wind Atlas)"))
        self.g_rules.setTitle(tr("Wakes and constraints"))
        self.l_wake.setText(tr("Wake model"))
        for i, text in enumerate((tr("Jensen (k = 0.075)"), tr("Bastankhah Gaussian (TI 10%)"), tr("None"))):
            self.wake.setItemText(i, text)
        self.wake.setToolTip(tr("Jensen/Katic top-hat wake, k = 0.075 (WAsP PARK onshore default); "
                                "Bastankhah & Porté-Agel 2014 Gaussian, k* from TI 0.10 (Niayifar & "
                                "Porté-Agel 2016). Both validated against PyWake (docs/wind.md)"))
        self.l_spacing.setText(tr("Spacing along, across"))
        tip = tr("Minimum spacing in rotor diameters: 5 D along the prevailing wind, 3 D across (an ellipse; "
                 "a circle of 5 D without a prevailing direction). DOMAIN.md §6: 3–5 D crosswind, 5–10 D "
                 "downwind; lower ends for tight park sites")
        self.spacing_down.setToolTip(tip)
        self.spacing_cross.setToolTip(tip)
        self.l_setback_b.setText(tr("Setback buildings"))
        self.l_setback_r.setText(tr("Setback roads"))
        self.l_setback_o.setText(tr("Setback boundary"))
        auto = tr("auto: {0:g} × tip height")
        self.setback_b.setSpecialValueText(auto.format(self.factors.get("buildings", 1.5)))
        self.setback_r.setSpecialValueText(auto.format(self.factors.get("roads", 1.1)))
        self.setback_o.setSpecialValueText(auto.format(self.factors.get("boundary", 1.1)))
        self.setback_b.setToolTip(tr("Default 1.5 × tip height (resources/wind/setbacks.csv, e.g. "
                                     "Massachusetts DOER model bylaw; unverified for China)"))
        self.setback_r.setToolTip(tr("Default 1.1 × tip height: fall-over distance + 10% (UK DfT Circular "
                                     "02/2013)"))
        self.setback_o.setToolTip(tr("Default 1.1 × tip height: fall-over distance + 10% (Lingtan "
                                     "convention, unverified)"))
        self.roads.setToolTip(tr("A line or polygon layer of roads (none in the sample park)"))
        self.l_noise.setText(tr("Noise class"))
        self.noise.setItemText(0, tr("auto (by building use)"))
        for i, key in enumerate(NOISE_CLASSES[1:], start=1):
            self.noise.setItemText(i, tr("Class {0}").format(key))
        self.noise.setToolTip(tr("GB 3096-2008 class of the sensitive buildings: auto = by use (homes, "
                                 "schools, hospitals, elderly care → 1; dormitories, mixed → 2; §4.2, "
                                 "resources/wind/noise_class_by_use.csv). ISO 9613-2 spreading and air "
                                 "absorption; default sound power 104 dB(A) unless the curve gives one"))
        self.table.setHorizontalHeaderLabels([tr("Turbine"), tr("AEP MWh/yr"), tr("Wake loss %"), tr("CF"),
                                              tr("Violations")])
        self.l_violations.setText(tr("Violations (click: zoom to it)"))
        self.fill_layer_combo()
        self.show_result(self.wind.result)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def fill_layer_combo(self) -> None:
        current = self.roads.currentData() or self.wind.options.roads_layer
        self.roads.blockSignals(True)
        self.roads.clear()
        self.roads.addItem(tr("(no road layer)"), "")
        for lyr in self.panel.vector_layers(("line", "polygon"), exclude=("buildings", "boundary", "green",
                                                                         "townships", *ARRAY_LAYERS)):
            self.roads.addItem(lyr.title, lyr.name)
        _combo_data(self.roads, current)
        self.roads.blockSignals(False)

    # -- options <-> form --------------------------------------------------------------------
    def set_options(self, o: WindOptions) -> None:
        self._filling = True
        try:
            if self.turbine.findData(o.turbine) < 0 and o.turbine not in ("", "generic"):
                self.turbine.addItem(Path(o.turbine).name, o.turbine)
            _combo_data(self.turbine, o.turbine)
            self.generic_kw.setValue(o.generic_kw)
            self.generic_d.setValue(o.generic_d_m)
            self.generic_hub.setValue(o.generic_hub_m)
            _set_optional(self.hub, o.hub_height_m)
            _combo_data(self.resource, o.resource)
            self.weibull_a.setValue(o.weibull_a)
            self.weibull_k.setValue(o.weibull_k)
            _set_optional(self.weibull_h, o.weibull_height_m)
            self.file.setText(o.resource_file)
            self.file_h.setValue(o.resource_height_m)
            _combo_data(self.land_use, o.land_use)
            _combo_data(self.wake, o.wake)
            self.spacing_down.setValue(o.spacing_downwind_d)
            self.spacing_cross.setValue(o.spacing_crosswind_d)
            _set_optional(self.setback_b, o.setback_buildings_m)
            _set_optional(self.setback_r, o.setback_roads_m)
            _set_optional(self.setback_o, o.setback_boundary_m)
            _combo_data(self.roads, o.roads_layer)
            _combo_data(self.noise, o.noise_class)
        finally:
            self._filling = False
        self._enable()

    def options(self) -> WindOptions:
        return WindOptions(
            turbine=self.turbine.currentData() or "", hub_height_m=_optional(self.hub),
            generic_kw=self.generic_kw.value(), generic_d_m=self.generic_d.value(),
            generic_hub_m=self.generic_hub.value(), resource=self.resource.currentData(),
            weibull_a=self.weibull_a.value(), weibull_k=self.weibull_k.value(),
            weibull_height_m=_optional(self.weibull_h), resource_file=self.file.text().strip(),
            resource_height_m=self.file_h.value(), land_use=self.land_use.currentData(),
            wake=self.wake.currentData(), spacing_downwind_d=self.spacing_down.value(),
            spacing_crosswind_d=self.spacing_cross.value(), setback_buildings_m=_optional(self.setback_b),
            setback_roads_m=_optional(self.setback_r), setback_boundary_m=_optional(self.setback_o),
            noise_class=self.noise.currentData(), roads_layer=self.roads.currentData() or "")

    def _enable(self) -> None:
        generic = self.turbine.currentData() == "generic"
        for w in (self.generic_kw, self.generic_d, self.generic_hub):
            w.setEnabled(generic)
        kind = self.resource.currentData()
        for w in (self.weibull_a, self.weibull_k, self.weibull_h):
            w.setEnabled(kind == "weibull")
        for w in (self.file, self.browse, self.file_h):
            w.setEnabled(kind == "file")
        self.land_use.setEnabled(kind != "site")

    def changed(self, *_args) -> None:
        if self._filling:
            return
        self._enable()
        self._timer.start()

    def apply(self) -> None:
        """Apply the form now (the debounce timer's end, or tests)."""
        self._timer.stop()
        o = self.options()
        self.panel.save_settings(wind=o)
        self.wind.set_options(o)

    def _load_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Load power curve CSV…"), "",
                                              tr("Power curves (*.csv *.txt);;All files (*)"))
        if path:
            self.add_curve(path)

    def add_curve(self, path: str) -> None:
        """Choose the power-curve file ``path`` as the turbine."""
        if self.turbine.findData(path) < 0:
            self.turbine.addItem(Path(path).name, path)
        _combo_data(self.turbine, path)
        self.apply()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Wind resource file"), self.file.text(),
                                              tr("Wind resources (*.tab *.csv *.xlsx *.epw *.tif "
                                                 "*.tiff);;All files (*)"))
        if path:
            self.file.setText(path)
            _combo_data(self.resource, "file")
            self.apply()

    # -- results -------------------------------------------------------------------------------
    def update_views(self) -> None:
        res = self.wind.resource
        self.rose.set_climate(res.climate if res is not None else None)
        self.curve.set_turbine(self.wind.turbine)

    def show_error(self, message: str) -> None:
        self.panel.show_status(message)

    def show_result(self, res) -> None:
        lang = _lang()
        self.table.setRowCount(0)
        self.violations.clear()
        if res is None:
            self.totals.setText(tr("No turbines: choose Place Turbine and click on the map"))
            return
        t = res.turbines
        self.table.setRowCount(len(t))
        vtext = t["violations_zh" if lang == "zh" else "violations"].tolist()
        cols = zip(t["turbine_id"], t["aep_mwh"], t["wake_loss_pct"], t["cf"], t["n_violations"], strict=True)
        for r, (tid, aep, wl, cf, nv) in enumerate(cols):
            cells = [str(tid), f"{aep:,.1f}", f"{wl:.2f}", f"{cf:.3f}", str(int(nv))]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if nv:
                    item.setForeground(Qt.GlobalColor.red)
                    item.setToolTip(vtext[r])
                self.table.setItem(r, c, item)
        s = res.totals
        self.totals.setText(tr("{0} turbines, {1:,.0f} kW; AEP {2:,.1f} MWh/yr (gross {3:,.1f}), wake loss "
                               "{4:.2f}%, capacity factor {5:.3f}; air density {6:.3f} kg/m³").format(
            len(t), s.get("capacity_kw", 0.0), s.get("aep_mwh", 0.0), s.get("gross_aep_mwh", 0.0),
            s.get("wake_loss_pct", 0.0), s.get("cf", 0.0), s.get("air_density_kg_m3", 0.0)))
        v = res.violations
        msgs = v["message_zh" if lang == "zh" else "message_en"].tolist() if len(v) else []
        for k, msg in enumerate(msgs):
            item = QListWidgetItem(f"{v['turbine'].iloc[k]}: {msg}")
            item.setData(Qt.ItemDataRole.UserRole, k)
            item.setForeground(Qt.GlobalColor.darkRed)
            self.violations.addItem(item)
        if not msgs:
            self.violations.addItem(QListWidgetItem(tr("No violations")))

    def show_time(self, ms: float, n: int) -> None:
        text = tr("Updated in {0:.0f} ms ({1} turbines; evaluate {2:.0f} ms)").format(
            ms, n, self.wind.last_eval_ms or 0.0)
        if ms > LIVE_TARGET_MS:
            text += " " + tr("(slower than the 200 ms target)")
        self.panel.show_status(text)

    def _violation_clicked(self, item: QListWidgetItem) -> None:
        k = item.data(Qt.ItemDataRole.UserRole)
        if k is None:
            return
        self.panel.zoom_to_violation(int(k))

    def _table_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        lyr = self.panel.workspace.layer("turbines") if self.panel.workspace is not None else None
        if lyr is not None and len(lyr.gdf) == self.table.rowCount():
            lyr.selection = rows


class ArrayTab(QWidget):
    """Area, settings, live layout and the yield of a ground PV array."""

    def __init__(self, panel: SitingPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.array = panel.array
        self._filling = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTINGS_DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply)
        self._build()
        self.array.laid_out.connect(self.show_layout)
        self.array.yield_done.connect(self.show_yield)
        self.array.failed.connect(self.panel.show_status)

    def _build(self) -> None:
        o = ArrayOptions()
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)

        self.g_area = QGroupBox()
        al = QVBoxLayout(self.g_area)
        self.draw = QPushButton()
        self.draw.setIcon(tool_icon("draw_array"))
        self.draw.clicked.connect(lambda: self.panel.set_tool("draw_array"))
        al.addWidget(self.draw)
        srow = QHBoxLayout()
        self.source = QComboBox()
        self.use_sel = QPushButton()
        self.use_sel.clicked.connect(self._use_selection)
        srow.addWidget(self.source, 1)
        srow.addWidget(self.use_sel)
        al.addLayout(srow)
        self.clear = QPushButton()
        self.clear.clicked.connect(self.array.clear_area)
        al.addWidget(self.clear)
        lay.addWidget(self.g_area)

        self.g_set = QGroupBox()
        f = QFormLayout(self.g_set)
        self.boundary = _spin(0, 500, o.boundary_setback_m, 1, 0.5, " m")
        self.buildings = _spin(0, 1000, o.building_setback_m, 1, 0.5, " m")
        self.road = _spin(0, 1000, o.road_setback_m, 1, 0.5, " m")
        self.roads = QComboBox()
        self.l_boundary, self.l_buildings, self.l_road = QLabel(), QLabel(), QLabel()
        f.addRow(self.l_boundary, self.boundary)
        f.addRow(self.l_buildings, self.buildings)
        rrow = QHBoxLayout()
        rrow.addWidget(self.road)
        rrow.addWidget(self.roads, 1)
        f.addRow(self.l_road, rrow)
        self.tilt_opt = QCheckBox()
        self.tilt = _spin(0, 75, 25, 1, 1, "°")
        trow = QHBoxLayout()
        trow.addWidget(self.tilt_opt)
        trow.addWidget(self.tilt, 1)
        self.l_tilt = QLabel()
        f.addRow(self.l_tilt, trow)
        self.az_opt = QCheckBox()
        self.azimuth = _spin(0, 360, 180, 1, 5, "°")
        arow = QHBoxLayout()
        arow.addWidget(self.az_opt)
        arow.addWidget(self.azimuth, 1)
        self.l_azimuth = QLabel()
        f.addRow(self.l_azimuth, arow)
        self.rule = QComboBox()
        self.rule.addItem("", "winter")
        self.rule.addItem("", "gcr")
        self.gcr = _spin(0.1, 1.0, 0.5, 2, 0.05)
        grow = QHBoxLayout()
        grow.addWidget(self.rule, 1)
        grow.addWidget(self.gcr)
        self.l_rows = QLabel()
        f.addRow(self.l_rows, grow)
        self.orient = QComboBox()
        self.orient.addItem("", "portrait")
        self.orient.addItem("", "landscape")
        self.l_orient = QLabel()
        f.addRow(self.l_orient, self.orient)
        self.up = QSpinBox()
        self.up.setRange(1, 10)
        self.up.setValue(o.modules_up)
        self.along = QSpinBox()
        self.along.setRange(1, 200)
        self.along.setValue(o.modules_along)
        mrow = QHBoxLayout()
        mrow.addWidget(self.up)
        mrow.addWidget(QLabel("×"))
        mrow.addWidget(self.along)
        self.l_modules = QLabel()
        f.addRow(self.l_modules, mrow)
        self.module_w = _spin(100, 1000, o.module_w, 0, 5, " W")
        self.module_l = _spin(0.5, 3.5, o.module_length_m, 3, 0.01, " m")
        self.module_wd = _spin(0.3, 2.0, o.module_width_m, 3, 0.01, " m")
        mrow2 = QHBoxLayout()
        for w in (self.module_w, self.module_l, self.module_wd):
            mrow2.addWidget(w)
        self.l_module = QLabel()
        f.addRow(self.l_module, mrow2)
        lay.addWidget(self.g_set)

        self.layout_label = QLabel()
        self.layout_label.setWordWrap(True)
        lay.addWidget(self.layout_label)
        self.compute = QPushButton()
        self.compute.clicked.connect(lambda: self.array.compute_yield(self.window()))
        lay.addWidget(self.compute)
        self.yield_label = QLabel()
        self.yield_label.setWordWrap(True)
        self.yield_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.yield_label)
        lay.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(2, 2, 2, 2)
        outer.addWidget(scroll)

        for w in (self.roads, self.rule, self.orient):
            w.currentIndexChanged.connect(self.changed)
        for w in (self.tilt_opt, self.az_opt):
            w.toggled.connect(self.changed)
        for w in (self.boundary, self.buildings, self.road, self.tilt, self.azimuth, self.gcr, self.module_w,
                  self.module_l, self.module_wd):
            w.valueChanged.connect(self.changed)
        for w in (self.up, self.along):
            w.setKeyboardTracking(False)
            w.valueChanged.connect(self.changed)
        self.set_options(o)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.g_area.setTitle(tr("Array area"))
        self.draw.setText(tr("Draw Area on Map"))
        self.draw.setToolTip(tr("Click the corners on the map; double-click or Enter finishes, Backspace "
                                "removes the last corner, Esc cancels"))
        self.use_sel.setText(tr("Use Selected Polygons"))
        self.use_sel.setToolTip(tr("The polygons selected (Select tool) in the chosen layer become the area"))
        self.clear.setText(tr("Clear Area"))
        self.g_set.setTitle(tr("Layout"))
        self.l_boundary.setText(tr("Boundary inset"))
        self.boundary.setToolTip(tr("Inset from the area's edge, default 2 m: fence and perimeter path "
                                    "(engineering judgement)"))
        self.l_buildings.setText(tr("Building setback"))
        self.buildings.setToolTip(tr("Clear distance from the park's buildings, default 5 m: access/fire "
                                     "path (engineering judgement; local fire rules may ask more). Shading "
                                     "by buildings is computed with the yield"))
        self.l_road.setText(tr("Road setback"))
        self.road.setToolTip(tr("Clear distance from road centrelines, default 5 m: half a 7 m two-lane road "
                                "+ 1.5 m verge"))
        self.roads.setToolTip(tr("A line or polygon layer of roads (none in the sample park)"))
        self.l_tilt.setText(tr("Tilt"))
        self.tilt_opt.setText(tr("site optimum"))
        self.tilt_opt.setToolTip(tr("The tilt with the highest annual kWh/kWp on the site's weather through "
                                    "the yield chain (found once per site, ~0.3 s)"))
        self.l_azimuth.setText(tr("Azimuth"))
        self.az_opt.setText(tr("site optimum"))
        self.az_opt.setToolTip(tr("Facing the equator unless turning within ±45° gains ≥ 0.3% (180° = "
                                  "south)"))
        self.l_rows.setText(tr("Row spacing"))
        self.rule.setItemText(0, tr("Winter solstice 9–15 h unshaded"))
        self.rule.setItemText(1, tr("Ground coverage ratio"))
        self.rule.setToolTip(tr("Default: the pitch keeps the winter solstice 9:00–15:00 true solar time "
                                "unshaded (GB 50797-2012 §6.6, exact sun position); or a GCR = slant / "
                                "pitch"))
        self.l_orient.setText(tr("Modules"))
        self.orient.setItemText(0, tr("Portrait"))
        self.orient.setItemText(1, tr("Landscape"))
        self.l_modules.setText(tr("Per table (up × along)"))
        self.up.setToolTip(tr("Default 2 × 14 portrait (\"2P\", 28 modules): a common fixed-tilt table of "
                              "Chinese ground plants"))
        self.along.setToolTip(self.up.toolTip())
        self.l_module.setText(tr("Module W, length, width"))
        self.module_w.setToolTip(tr("Default 575 W, 2.278 × 1.134 m: a current 144-half-cell TOPCon module "
                                    "(DOMAIN.md §5), or the app settings"))
        self.compute.setText(tr("Compute Yield"))
        self.compute.setToolTip(tr("Energy through the rooftop PV chain with row-to-row shading and shading "
                                   "by the park's buildings, land use and avoided CO2 (runs in the "
                                   "background)"))
        self.fill_layer_combos()
        self.show_layout(self.array.layout, self.array.last_ms or 0.0)
        if self.array.result is not None:
            self.show_yield(self.array.result)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def fill_layer_combos(self) -> None:
        current = self.source.currentData()
        self.source.clear()
        for lyr in self.panel.vector_layers(("polygon",), exclude=ARRAY_LAYERS):
            self.source.addItem(lyr.title, lyr.name)
        if current:
            _combo_data(self.source, current)
        elif self.source.findData("green") >= 0:
            _combo_data(self.source, "green")
        road = self.roads.currentData() or self.array.options.roads_layer
        self.roads.blockSignals(True)
        self.roads.clear()
        self.roads.addItem(tr("(no road layer)"), "")
        for lyr in self.panel.vector_layers(("line", "polygon"), exclude=("buildings", "boundary", "green",
                                                                         "townships", *ARRAY_LAYERS)):
            self.roads.addItem(lyr.title, lyr.name)
        _combo_data(self.roads, road)
        self.roads.blockSignals(False)

    def set_options(self, o: ArrayOptions) -> None:
        self._filling = True
        try:
            self.boundary.setValue(o.boundary_setback_m)
            self.buildings.setValue(o.building_setback_m)
            self.road.setValue(o.road_setback_m)
            _combo_data(self.roads, o.roads_layer)
            self.tilt_opt.setChecked(o.tilt_deg is None)
            if o.tilt_deg is not None:
                self.tilt.setValue(o.tilt_deg)
            self.az_opt.setChecked(o.azimuth_deg is None)
            if o.azimuth_deg is not None:
                self.azimuth.setValue(o.azimuth_deg)
            _combo_data(self.rule, "winter" if o.gcr is None else "gcr")
            if o.gcr is not None:
                self.gcr.setValue(o.gcr)
            _combo_data(self.orient, o.orientation)
            self.up.setValue(o.modules_up)
            self.along.setValue(o.modules_along)
            self.module_w.setValue(o.module_w)
            self.module_l.setValue(o.module_length_m)
            self.module_wd.setValue(o.module_width_m)
        finally:
            self._filling = False
        self._enable()

    def options(self) -> ArrayOptions:
        return ArrayOptions(
            boundary_setback_m=self.boundary.value(), building_setback_m=self.buildings.value(),
            road_setback_m=self.road.value(), roads_layer=self.roads.currentData() or "",
            tilt_deg=None if self.tilt_opt.isChecked() else self.tilt.value(),
            azimuth_deg=None if self.az_opt.isChecked() else self.azimuth.value(),
            gcr=self.gcr.value() if self.rule.currentData() == "gcr" else None,
            orientation=self.orient.currentData(), modules_up=self.up.value(),
            modules_along=self.along.value(),
            module_w=self.module_w.value(), module_length_m=self.module_l.value(),
            module_width_m=self.module_wd.value())

    def _enable(self) -> None:
        self.tilt.setEnabled(not self.tilt_opt.isChecked())
        self.azimuth.setEnabled(not self.az_opt.isChecked())
        self.gcr.setEnabled(self.rule.currentData() == "gcr")

    def changed(self, *_args) -> None:
        if self._filling:
            return
        self._enable()
        self._timer.start()

    def apply(self) -> None:
        self._timer.stop()
        try:
            o = self.options()
            o.table()  # plausibility checks of the module and table (bilingual errors)
        except InputError as exc:
            self.panel.show_status(_message(exc))
            return
        self.panel.save_settings(array=o)
        self.array.set_options(o)

    def _use_selection(self) -> None:
        name = self.source.currentData()
        lyr = self.panel.workspace.layer(name) if name else None
        self.array.use_selection(lyr)

    def show_layout(self, lay, ms: float) -> None:
        self.compute.setEnabled(self.array.parts is not None)
        self.yield_label.setText("")
        if lay is None:
            self.layout_label.setText(tr("No array area: draw one on the map or use selected polygons"))
            return
        t = lay.totals()
        optimum = self.array.orientation[2] if self.array.orientation else False
        src = tr("site optimum") if optimum and self.array.options.tilt_deg is None else tr("given")
        gcr_src = tr("winter rule") if t["gcr_source"] != "user" else tr("given")
        self.layout_label.setText(tr(
            "{0} tables, {1} modules, {2:,.1f} kWp DC; tilt {3:g}°, azimuth {4:g}° ({5}); pitch {6:.2f} m, "
            "GCR {7:.2f} ({8}); usable {9:,.0f} of {10:,.0f} m²; {11} m²/kWp. Laid out in {12:.0f} "
            "ms").format(
            t["tables"], t["modules"], t["kwp"], lay.rows.tilt_deg, lay.rows.azimuth_deg, src, t["pitch_m"],
            t["gcr"], gcr_src, t["usable_m2"], t["area_m2"],
            f"{t['m2_per_kwp']:.1f}" if t["m2_per_kwp"] else "—", ms))
        self.panel.show_status(tr("PV array laid out in {0:.0f} ms").format(ms))

    def show_yield(self, result) -> None:
        s = result.totals
        shade = s.get("shade_loss_pct")
        self.yield_label.setText(tr(
            "Capacity {0:,.1f} kWp DC ({1} modules × {2:g} W); yield {3:,.0f} kWh/yr ({4:,.0f} kWh/kWp); row "
            "shading {5:.1f}%, building shading {6}; land {7} m²/kWp ({8} mu/MW); avoided {9:,.1f} tCO2/yr "
            "({10})").format(
            s["kwp"], s["modules"], s["module_w"], s["kwh_yr"], s["kwh_per_kwp"], s["row_shade_loss_pct"],
            f"{shade:.1f}%" if shade is not None else tr("not computed"),
            f"{s['m2_per_kwp']:.1f}" if s.get("m2_per_kwp") else "—",
            f"{s['mu_per_mw']:.1f}" if s.get("mu_per_mw") else "—", s["t_co2_yr"], result.grid_factor.label))


# ---------------------------------------------------------------- the panel


class SitingPanel(QWidget):
    """The Siting dock's widget (see the module doc). ``undo_stack``: the main window's; None →
    the panel's own stack with Ctrl+Z / Ctrl+Shift+Z."""

    status_changed = Signal(str)

    def __init__(self, workspace, canvas, parent: QWidget | None = None,
                 undo_stack: QUndoStack | None = None) -> None:
        super().__init__(parent)
        self.workspace = None
        self.canvas = None
        self.window_ref = None  # the main window when installed by install_siting
        self._window_tool_hook = None
        self._retranslate_window = None
        self._ws_unsub = None
        self._written: dict[str, Any] = {}
        self._writing = 0
        self._crs_cache: tuple | None = None
        self._tf_cache: dict[tuple, tuple] = {}
        self.own_stack = undo_stack is None
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.wind = WindSiting(self)
        self.array = ArraySiting(self)
        self.tabs = QTabWidget()
        self.wind_tab = WindTab(self)
        self.array_tab = ArrayTab(self)
        self.tabs.addTab(self.wind_tab, "")
        self.tabs.addTab(self.array_tab, "")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #455a64;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)
        self._build_actions()
        self.retranslate_ui()
        self.bind(workspace, canvas)

    # -- actions -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.tool_group = QActionGroup(self)
        self.tool_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.tool_actions: dict[str, QAction] = {}
        for name in SITING_TOOL_NAMES:
            act = QAction(tool_icon(name), "", self)
            act.setObjectName(f"siting_{name}")
            act.setCheckable(True)
            act.triggered.connect(lambda checked=False, n=name: self._tool_triggered(n, checked))
            self.tool_group.addAction(act)
            self.tool_actions[name] = act
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.redo_action = self.undo_stack.createRedoAction(self)
        if self.own_stack:
            self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
            redo = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)  # Ctrl+Y on Windows
            if not any(k.toString() == "Ctrl+Shift+Z" for k in redo):
                redo.append(QKeySequence("Ctrl+Shift+Z"))
            self.redo_action.setShortcuts(redo)
            for a in (self.undo_action, self.redo_action):
                a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(a)

    def _tool_triggered(self, name: str, checked: bool) -> None:
        if self.canvas is None:
            return
        if checked:
            self.set_tool(name)
        elif self.canvas.tool() == name:
            self.canvas.set_tool("pan")

    def set_tool(self, name: str) -> None:
        """Make the siting tool ``name`` the canvas's tool (and show the matching tab)."""
        self.sync_with_window()
        if self.canvas is None:
            return
        self.tabs.setCurrentWidget(self.array_tab if name == "draw_array" else self.wind_tab)
        self.canvas.set_tool(name)
        self.canvas.setFocus()

    def _on_tool_changed(self, name: str) -> None:
        for n, act in self.tool_actions.items():
            act.setChecked(n == name)
        if self._window_tool_hook is not None:
            self._window_tool_hook(name)

    def retranslate_ui(self) -> None:
        self.tabs.setTabText(0, tr("Wind"))
        self.tabs.setTabText(1, tr("PV array"))
        texts = {"place_turbine": (tr("Place Turbine"), tr("Click on the map to place a wind turbine")),
                 "move_turbine": (tr("Move Turbine"), tr("Drag a turbine; results follow while dragging")),
                 "delete_turbine": (tr("Delete Turbine"), tr("Click a turbine to delete it")),
                 "draw_array": (tr("Draw PV Array Area"), tr("Click the corners of a ground PV array area"))}
        for name, (text, tip) in texts.items():
            self.tool_actions[name].setText(text)
            self.tool_actions[name].setToolTip(f"{text}: {tip}")
            self.tool_actions[name].setStatusTip(tip)
        if self._retranslate_window is not None:
            self._retranslate_window()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.sync_with_window()
        if self.wind.result is None and self.wind.ids:  # adopted while hidden: fill the table now
            self.wind.refresh(write=False, store=False)
        elif self.wind.model is None and self.park() is not None:
            self.wind.ensure_model()  # the chosen turbine's curve and the site's wind rose at once

    # -- workspace and canvas --------------------------------------------------------------------
    def bind(self, workspace, canvas) -> None:
        """Work on ``workspace`` and ``canvas`` (again after the main window replaced them)."""
        if workspace is not self.workspace:
            if self._ws_unsub is not None:
                self._ws_unsub()
                self._ws_unsub = None
            self.workspace = workspace
            if workspace is not None:
                unsub = workspace.changed.connect(self._on_workspace_changed)
                self._ws_unsub = unsub if callable(unsub) else (
                    lambda ws=workspace: ws.changed.disconnect(self._on_workspace_changed))
            self._crs_cache = None
            self._written.clear()
            self.load_settings()
            self._new_park()
        if canvas is not self.canvas:
            if self.canvas is not None:
                try:
                    self.canvas.tool_changed.disconnect(self._on_tool_changed)
                except (RuntimeError, TypeError):  # the old canvas is gone already
                    pass
                if self.own_stack:
                    for a in (self.undo_action, self.redo_action):
                        try:
                            self.canvas.removeAction(a)
                        except RuntimeError:
                            pass
            self.canvas = canvas
            self._tf_cache.clear()
            if canvas is not None:
                for tool in make_siting_tools(canvas, self.wind, self.array).values():
                    canvas.add_tool(tool)
                canvas.tool_changed.connect(self._on_tool_changed)
                if self.own_stack:
                    canvas.addAction(self.undo_action)
                    canvas.addAction(self.redo_action)
                self._on_tool_changed(canvas.tool())

    def sync_with_window(self) -> None:
        """Follow the main window's current workspace and canvas (a project opened meanwhile)."""
        w = self.window_ref
        if w is None:
            return
        ws, canvas = getattr(w, "workspace", None), getattr(w, "canvas", None)
        if ws is not self.workspace or canvas is not self.canvas:
            self.bind(ws, canvas)

    def _new_park(self) -> None:
        self.wind.reset()
        self.array.reset()
        self._crs_cache = None
        self._written.clear()
        self.wind.set_options(self.wind.options, evaluate=False)
        self.adopt()
        self.fill_layer_combos()
        if self.isVisible() and self.wind.ids:
            self.wind.refresh(write=False, store=False)
        elif not self.wind.ids:
            self.wind.evaluated.emit(None)
            if self.isVisible() and self.park() is not None:
                self.wind.ensure_model()  # views show the turbine's curve and the wind rose
        self.array.laid_out.emit(None, 0.0)

    def adopt(self) -> None:
        """Take over the turbines of a ``turbines`` layer that the panel did not write."""
        ws = self.workspace
        lyr = ws.layer("turbines") if ws is not None else None
        if lyr is not None and lyr.gdf is not self._written.get("turbines"):
            self.wind.adopt(lyr.gdf)
        foreign = any(ws is not None and (lyr := ws.layer(n)) is not None
                      and lyr.gdf is not self._written.get(n) for n in ARRAY_LAYERS)
        if foreign:
            a = self.array
            a.parts, a.layout, a.result, a.foreign = None, None, None, None

    def _on_workspace_changed(self, ws, what: str) -> None:
        if ws is not self.workspace or self._writing:
            return
        if what == "park":
            self._new_park()
        elif what == "results":
            self.adopt()
            QTimer.singleShot(0, lambda ws=ws: self._after_results(ws))
        elif what == "layers":
            self.fill_layer_combos()

    def _after_results(self, ws) -> None:
        """New analysis results arrived (deferred from the event): a run that replaced all result
        layers ("Run all") removed the siting layers — put the panel's layout back, and into the
        new results; otherwise just show the (maybe adopted) layout."""
        if ws is not self.workspace:
            return
        if self.wind.ids:
            lost = ws.layer("turbines") is None or (ws.results is not None and ws.results.wind is None)
            if lost:
                self.wind.refresh(write=True, store=True)
            elif self.isVisible():
                self.wind.refresh(write=False, store=False)
        else:
            self.wind.evaluated.emit(None)
        if self.array.parts is not None and ws.layer("pv_array_tables") is None:
            self.array.relayout()

    def fill_layer_combos(self) -> None:
        self.wind_tab.fill_layer_combo()
        self.array_tab.fill_layer_combos()

    def park(self):
        return getattr(self.workspace, "park", None)

    def vector_layers(self, kinds: tuple[str, ...], exclude: tuple[str, ...] = ()) -> list:
        if self.workspace is None:
            return []
        out = []
        for lyr in self.workspace.layers():
            if not hasattr(lyr, "gdf") or lyr.name in exclude or lyr.name in WIND_LAYERS:
                continue
            if len(lyr.gdf) and lyr.geometry_kind in kinds:
                out.append(lyr)
        return out

    def layer_frame(self, name: str) -> gpd.GeoDataFrame | None:
        """The data of the layer ``name`` in the work CRS (None when absent or empty)."""
        if not name or self.workspace is None:
            return None
        lyr = self.workspace.layer(name)
        if lyr is None or not hasattr(lyr, "gdf") or len(lyr.gdf) == 0:
            return None
        return self.in_work(lyr.gdf)

    # -- CRS ---------------------------------------------------------------------------------------
    def work_crs(self):
        """The metric CRS the siting works in: the map's (the park's local metric CRS) when
        projected, else the local Gauss–Krüger/UTM zone of the park."""
        from pyproj import CRS

        crs = self.workspace.map_crs() if self.workspace is not None else None
        if crs is None and self.canvas is not None:
            crs = self.canvas.crs()
        if crs is None:
            return None
        if self._crs_cache is not None and self._crs_cache[0] is crs:
            return self._crs_cache[1]
        work = CRS.from_user_input(crs)
        if not work.is_projected:
            from gis.crs import local_metric_crs

            park = self.park()
            if park is not None:
                c = park.boundary.to_crs(4326).geometry.union_all().centroid
                lon, lat = c.x, c.y
            else:
                lon, lat = 120.0, 30.0
                if self.canvas is not None and self.canvas.extent() is not None:
                    e = self.canvas.extent()
                    lon, lat = (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
            work = local_metric_crs(lon, lat)
        self._crs_cache = (crs, work)
        return work

    def _tf(self, src, dst):
        from pyproj import CRS, Transformer

        if src is None or dst is None:
            return None
        key = (id(src), id(dst))
        hit = self._tf_cache.get(key)
        if hit is None or hit[0] is not src or hit[1] is not dst:
            tf = None if CRS.from_user_input(src) == CRS.from_user_input(dst) else \
                Transformer.from_crs(src, dst, always_xy=True)
            hit = (src, dst, tf)
            self._tf_cache[key] = hit
        return hit[2]

    def to_work(self, x: float, y: float) -> tuple[float, float]:
        tf = self._tf(self.canvas.crs() if self.canvas is not None else None, self.work_crs())
        if tf is None:
            return float(x), float(y)
        wx, wy = tf.transform(x, y)
        return float(wx), float(wy)

    def to_work_arrays(self, xs, ys):
        tf = self._tf(self.canvas.crs() if self.canvas is not None else None, self.work_crs())
        return (np.asarray(xs, float), np.asarray(ys, float)) if tf is None else tf.transform(xs, ys)

    def from_work(self, xs, ys):
        tf = self._tf(self.work_crs(), self.canvas.crs() if self.canvas is not None else None)
        return (xs, ys) if tf is None else tf.transform(xs, ys)

    def in_work(self, gdf: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
        if gdf is None:
            return None
        crs = self.work_crs()
        if crs is None or gdf.crs is None or gdf.crs == crs:
            return gdf
        return gdf.to_crs(crs)

    def site_lonlat(self) -> tuple[float, float] | None:
        park = self.park()
        if park is None:
            return None
        c = park.boundary.to_crs(4326).geometry.union_all().centroid
        return float(c.x), float(c.y)

    # -- layers, results, settings ------------------------------------------------------------------
    def write_layers(self, layers: dict[str, gpd.GeoDataFrame], restyle: set[str] = frozenset()) -> None:
        """Put the frames into the result layers: replace data (and, for ``restyle``, style) in place,
        or add styled layers at their place in the Results group."""
        from app.workspace import RESULT_LAYER_ORDER
        from layers.presets import default_style, prepare

        ws = self.workspace
        if ws is None:
            return
        self._writing += 1
        try:
            with ws.quiet():
                for name, gdf in layers.items():
                    lyr = ws.layer(name)
                    if lyr is None:
                        lyr = ws._put("results", name, gdf, RESULT_LAYER_ORDER, True)
                    else:
                        data = prepare(name, gdf)
                        if len(lyr.selection):
                            lyr.selection = []
                        lyr.gdf = data
                        if name in restyle:
                            lyr.style = default_style(name, data)
                    self._written[name] = lyr.gdf
            ws.dirty = True
            ws.changed.emit(ws, "layers")
        finally:
            self._writing -= 1

    def store_result(self, key: str, result) -> None:
        """The siting result into ``workspace.results`` and ``workspace.summary`` (no "results"
        event: the main window would clear the undo stack)."""
        ws = self.workspace
        if ws is None:
            return
        if key == "wind":
            if result is None:
                ws.summary.pop("wind", None)
            else:
                ws.summary["wind"] = result.summary()
        else:
            ws.summary["pv_array"] = result.summary()
        if ws.results is not None:
            setattr(ws.results, key, result)

    def load_settings(self) -> None:
        s = (self.workspace.settings.get("siting") if self.workspace is not None else None) or {}
        self.wind.options = WindOptions.from_dict(s.get("wind"))
        self.array.options = ArrayOptions.from_dict(s.get("array"))
        self.wind_tab.set_options(self.wind.options)
        self.array_tab.set_options(self.array.options)

    def save_settings(self, wind: WindOptions | None = None, array: ArrayOptions | None = None) -> None:
        if self.workspace is None:
            return
        s = dict(self.workspace.settings.get("siting") or {})
        if wind is not None:
            s["wind"] = wind.to_dict()
        if array is not None:
            s["array"] = array.to_dict()
        self.workspace.set_setting("siting", s)

    # -- undo, status, zoom ------------------------------------------------------------------------
    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def show_status(self, text: str) -> None:
        self.status.setText(text)
        self.status_changed.emit(text)

    def zoom_to_violation(self, k: int) -> None:
        """Zoom the map to violation row ``k`` (and select it in ``wind_violations``)."""
        res = self.wind.result
        if res is None or not 0 <= k < len(res.violations) or self.canvas is None:
            return
        geom = res.violations.geometry.iloc[k]
        if geom is None or geom.is_empty:
            return
        x0, y0, x1, y1 = geom.bounds
        d = self.wind.model.turbine.rotor_diameter_m if self.wind.model is not None else 30.0
        pad = max(3.0 * d, 30.0, 0.25 * max(x1 - x0, y1 - y0))
        xs, ys = self.from_work(np.array([x0 - pad, x1 + pad]), np.array([y0 - pad, y1 + pad]))
        self.canvas.set_extent((min(xs), min(ys), max(xs), max(ys)))
        lyr = self.workspace.layer("wind_violations")
        if lyr is not None and len(lyr.gdf) == len(res.violations):
            lyr.selection = [k]


# ---------------------------------------------------------------- main window


class _WindowWatcher(QObject):
    """Notices the main window replacing its canvas (a new workspace or project) and rebinds."""

    def __init__(self, window, panel: SitingPanel) -> None:
        super().__init__(window)
        self.window, self.panel = window, panel
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(panel.sync_with_window)

    def eventFilter(self, obj, event) -> bool:
        if event.type() in (QEvent.Type.ChildAdded, QEvent.Type.ChildRemoved):
            self._timer.start()
        return False


def _uncheck_map_actions(window, name: str) -> None:
    """A siting tool is on: the window's (exclusive) map-tool actions show none checked."""
    from app.gui.siting_tools import SITING_TOOL_NAMES as names

    if name not in names:
        return
    for act in getattr(window, "map_actions", {}).values():
        if act.isCheckable() and act.isChecked():
            grp = act.actionGroup()
            policy = grp.exclusionPolicy() if grp is not None else None
            if grp is not None:
                grp.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
            act.setChecked(False)
            if grp is not None:
                grp.setExclusionPolicy(policy)


def install_siting(main_window) -> SitingPanel:
    """Add the Siting dock, Analysis → "Siting: PV arrays and wind turbines" and a toolbar with
    the four siting tools to ``main_window`` (uses ``main_window.workspace``, ``.canvas`` and
    ``.undo_stack`` when it has one). Returns the panel."""
    panel = SitingPanel(main_window.workspace, main_window.canvas, main_window,
                        undo_stack=getattr(main_window, "undo_stack", None))
    panel.window_ref = main_window
    dock = QDockWidget(main_window)
    dock.setObjectName("dock_siting")
    dock.setWidget(panel)
    dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
    main_window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    other = getattr(main_window, "dock_dashboard", None)
    if other is not None:
        main_window.tabifyDockWidget(other, dock)
    dock.hide()
    panel.dock = dock

    action = QAction(main_window)
    action.setObjectName("act_siting")
    action.setIcon(tool_icon("siting"))

    def show() -> None:
        panel.sync_with_window()
        dock.show()
        dock.raise_()

    action.triggered.connect(lambda _checked=False: show())
    panel.show_action = action
    menu = getattr(main_window, "menu_analysis", None)
    if menu is not None:
        menu.addSeparator()
        menu.addAction(action)
    panels = getattr(main_window, "menu_panels", None)
    if panels is not None:
        panels.addAction(dock.toggleViewAction())
    toolbar = QToolBar(main_window)
    toolbar.setObjectName("toolbar_siting")
    toolbar.addAction(action)
    toolbar.addSeparator()
    for act in panel.tool_actions.values():
        toolbar.addAction(act)
    main_window.addToolBar(toolbar)
    panel.toolbar = toolbar
    for act in panel.tool_actions.values():
        act.triggered.connect(lambda checked=False: show() if checked else None)

    def on_tool(name: str) -> None:
        _uncheck_map_actions(main_window, name)

    panel._window_tool_hook = on_tool

    def retranslate() -> None:
        dock.setWindowTitle(tr("Siting"))
        action.setText(tr("Siting: PV arrays and wind turbines"))
        action.setToolTip(tr("Place wind turbines and ground PV arrays on the map with live yields, wake "
                             "losses and constraint checks"))
        toolbar.setWindowTitle(tr("Siting"))

    panel._retranslate_window = retranslate
    retranslate()
    watcher = _WindowWatcher(main_window, panel)
    main_window.installEventFilter(watcher)
    panel._watcher = watcher
    panel.status_changed.connect(lambda text: main_window.statusBar().showMessage(text, 8000))
    return panel
