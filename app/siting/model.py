"""The siting of one workspace: turbines and a PV array area on its park, their results written
into its layers, results and settings — no Qt, so scripts drive it as the desktop app does.

    model = SitingModel(workspace)          # a Workspace with a park (app.workspace)
    model.wind.place_work(x, y)             # work-CRS metres: evaluated, layers written
    model.undo()                            # the turbine goes again

Layers are replaced in place (their place in the tree, visibility and opacity stay). Results go
to ``workspace.results.wind`` / ``.pv_array`` and ``workspace.summary["wind"]`` /
``["pv_array"]`` without a "results" event (a front end clears its undo steps on that event).
Options are kept in ``workspace.settings["siting"]``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import geopandas as gpd

from app.siting.array import ArrayArea
from app.siting.env import SitingEnv, SitingError
from app.siting.frame import MapView, WorkFrame
from app.siting.history import Edit, EditHistory
from app.siting.options import ARRAY_LAYERS, WIND_LAYERS, ArrayOptions, WindOptions, module_defaults
from app.siting.wind import TurbineLayout
from layers.layer import Signal

if TYPE_CHECKING:
    from app.workspace import Workspace


class SitingModel:
    """``wind`` (:class:`TurbineLayout`) and ``array`` (:class:`ArrayArea`) on ``workspace``,
    with edits arriving in the coordinates of ``view`` (see :class:`WorkFrame`).

    Events: ``status(message)`` (something to tell the user), ``busy(message | None)`` (slow work
    starts / ends). Every edit is an :class:`Edit` handed to ``record`` (default: the model's own
    :class:`EditHistory`; a front end may hand it to its own undo stack, which calls
    :meth:`apply_edit`)."""

    def __init__(self, workspace: Workspace | None = None, view: MapView | None = None,
                 env: SitingEnv | None = None) -> None:
        self.env = env if env is not None else SitingEnv()
        self.frame = WorkFrame()
        self.workspace: Workspace | None = None
        self.status = Signal()
        self.busy = Signal()
        self.history = EditHistory(self.apply_edit)
        self.record: Callable[[Edit], None] = self.history.push
        self.writing = 0  # > 0 while the model writes layers (its own workspace events)
        self._written: dict[str, Any] = {}
        self.wind = TurbineLayout(self)
        self.array = ArrayArea(self)
        self.frame.set_view(view)
        if workspace is not None:
            self.set_workspace(workspace)
            self.load_settings()
            self.new_park()

    # -- texts and settings of the front end ---------------------------------------------------
    def text(self, key: str, *args: Any) -> str:
        return self.env.text(key, *args)

    def describe(self, exc: BaseException) -> str:
        """An error's text in the UI language."""
        if isinstance(exc, SitingError):
            return self.text(exc.key, *exc.params)
        return self.env.error_text(exc)

    def module_defaults(self) -> tuple[float, float, float]:
        """The PV module (W, length m, width m) of the app settings, else ModuleSpec's."""
        setting = self.env.app_setting
        d = module_defaults()
        return (float(setting("module_w", d[0])), float(setting("module_length_m", d[1])),
                float(setting("module_width_m", d[2])))

    # -- workspace and view ------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Work on ``workspace`` (call :meth:`load_settings` and :meth:`new_park` after)."""
        self.workspace = workspace
        self.frame.workspace = workspace
        self.frame.forget_crs()
        self._written.clear()

    def set_view(self, view: MapView | None) -> None:
        self.frame.set_view(view)

    def new_park(self) -> None:
        """Forget layout and area (another park or workspace); take over its siting layers."""
        self.wind.reset()
        self.array.reset()
        self.frame.forget_crs()
        self._written.clear()
        self.wind.set_options(self.wind.options, evaluate=False)
        self.adopt()

    def adopt(self) -> None:
        """Take over the turbines of a ``turbines`` layer the model did not write; array layers
        written by someone else replace the area."""
        ws = self.workspace
        lyr = ws.layer("turbines") if ws is not None else None
        if lyr is not None and lyr.gdf is not self._written.get("turbines"):
            self.wind.adopt(lyr.gdf)
        foreign = any(ws is not None and (lyr := ws.layer(n)) is not None
                      and lyr.gdf is not self._written.get(n) for n in ARRAY_LAYERS)
        if foreign:
            self.array.forget_layout()

    def after_results(self, show: bool) -> None:
        """New analysis results arrived: a run that replaced all result layers removed the siting
        layers — put the layout back, and into the new results; otherwise evaluate it for the
        views when ``show``."""
        ws = self.workspace
        if ws is None:
            return
        if self.wind.ids:
            lost = ws.layer("turbines") is None or (ws.results is not None and ws.results.wind is None)
            if lost:
                self.wind.refresh(write=True, store=True)
            elif show:
                self.wind.refresh(write=False, store=False)
        else:
            self.wind.evaluated.emit(None)
        if self.array.parts is not None and ws.layer("pv_array_tables") is None:
            self.array.relayout()

    def park(self):
        return getattr(self.workspace, "park", None)

    def vector_layers(self, kinds: tuple[str, ...], exclude: tuple[str, ...] = ()) -> list:
        """The workspace's non-empty vector layers of geometry ``kinds`` (not the wind layers)."""
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
        return self.frame.in_work(lyr.gdf)

    # -- layers, results, settings -------------------------------------------------------------
    def write_layers(self, layers: dict[str, gpd.GeoDataFrame],
                     restyle: set[str] | frozenset[str] = frozenset()) -> None:
        """Put the frames into the result layers: replace data (and, for ``restyle``, style) in
        place, or add styled layers at their place in the Results group."""
        from app.workspace import RESULT_LAYER_ORDER
        from layers.presets import default_style, prepare

        ws = self.workspace
        if ws is None:
            return
        self.writing += 1
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
            self.writing -= 1

    def store_result(self, key: str, result) -> None:
        """A siting result into ``workspace.results`` and ``workspace.summary``."""
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
        """The options saved in the workspace (defaults for what it lacks)."""
        ws = self.workspace
        s = (ws.settings.get("siting") if ws is not None else None) or {}
        self.wind.options = WindOptions.from_dict(s.get("wind"))
        self.array.options = ArrayOptions.from_dict(s.get("array"), self.module_defaults())

    def save_settings(self, wind: WindOptions | None = None, array: ArrayOptions | None = None) -> None:
        if self.workspace is None:
            return
        s = dict(self.workspace.settings.get("siting") or {})
        if wind is not None:
            s["wind"] = wind.to_dict()
        if array is not None:
            s["array"] = array.to_dict()
        self.workspace.set_setting("siting", s)

    # -- undo ----------------------------------------------------------------------------------
    def push(self, edit: Edit) -> None:
        """Record ``edit`` (which applies it)."""
        self.record(edit)

    def apply_edit(self, edit: Edit, forward: bool) -> None:
        """Put ``edit.after`` (forward) or ``edit.before`` into its target (evaluated, written)."""
        state = edit.after if forward else edit.before
        target = self.wind if edit.target == "wind" else self.array
        target.apply_state(state)

    def undo(self) -> bool:
        """Undo the newest step of the model's own history."""
        return self.history.undo()

    def redo(self) -> bool:
        return self.history.redo()

