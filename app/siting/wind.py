"""The turbine layout: ids and positions in the work CRS, evaluated by
:meth:`gis.wind.farm.WindFarmModel.evaluate` after every edit (≈ 5–20 ms for 20 turbines)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from app.siting.env import SitingError
from app.siting.history import Edit
from app.siting.options import WindOptions
from gis.errors import InputError
from layers.layer import Signal

if TYPE_CHECKING:
    from app.siting.model import SitingModel

WindState = tuple[tuple[str, ...], np.ndarray]
"""(turbine ids, n × 2 positions in the work CRS in m): what an undo step puts back."""


def empty_frame(columns: list[str], crs: Any) -> gpd.GeoDataFrame:
    """A layer frame without rows (the columns as object)."""
    return gpd.GeoDataFrame({c: pd.Series([], dtype=object) for c in columns},
                            geometry=gpd.GeoSeries([], crs=crs), crs=crs)


class TurbineLayout:
    """The turbines and their evaluation.

    Events: ``evaluated(result)`` (a FarmResult, or None without turbines or a model),
    ``timed(ms, n)`` (the whole update: evaluation, layers and the views' redraw),
    ``model_changed()`` (turbine or resource rebuilt: the power curve and wind rose),
    ``failed(message)``."""

    def __init__(self, site: SitingModel) -> None:
        self.site = site
        self.options = WindOptions()
        self.ids: list[str] = []
        self.xy = np.zeros((0, 2))
        self.model = None            # gis.wind.farm.WindFarmModel, built when first needed
        self.turbine = None
        self.resource = None
        self.result = None
        self.error: str | None = None
        self.last_ms: float | None = None
        self.last_eval_ms: float | None = None
        self._cache: dict[str, tuple] = {}
        self._drag: tuple[int, WindState] | None = None
        self.evaluated = Signal()
        self.timed = Signal()
        self.model_changed = Signal()
        self.failed = Signal()

    # -- the model ---------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget the layout and the model (another park or workspace)."""
        self.ids, self.xy = [], np.zeros((0, 2))
        self.model = self.turbine = self.resource = self.result = None
        self._cache.clear()
        self._drag = None
        self.model_changed.emit()  # the views drop the previous park's wind rose and curve

    def set_options(self, options: WindOptions, evaluate: bool = True) -> None:
        self.options = options
        self.model = None
        if evaluate:
            self.refresh()

    def _turbine(self):
        from gis.wind.turbines import load_turbine

        o = self.options
        key = ("turbine", o.turbine_spec(), o.hub_height_m)
        if self._cache.get("turbine", (None,))[0] != key:
            self._cache["turbine"] = (key, load_turbine(o.turbine_spec(), hub_height_m=o.hub_height_m))
        return self._cache["turbine"][1]

    def _resource(self, turbine):
        from gis.wind.farm import demo_resource
        from gis.wind.resource import RasterResource, WindClimate, WindResource, read_resource, shear_for

        o = self.options
        park = self.site.park()
        if o.resource == "site":
            if park is None:
                raise SitingError("needs_park")
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
            raise SitingError("needs_resource_file")
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

        frame = self.site.frame
        crs = frame.work_crs()
        if crs is None:
            raise SitingError("no_map")
        o = self.options
        turbine = self._turbine()
        resource = self._resource(turbine)
        settings = WindSettings(wake=WakeSettings(model=o.wake),
                                spacing_downwind_d=float(o.spacing_downwind_d),
                                spacing_crosswind_d=float(o.spacing_crosswind_d),
                                setback_buildings_m=o.setback_buildings_m, setback_roads_m=o.setback_roads_m,
                                setback_boundary_m=o.setback_boundary_m, noise_class=o.noise_class)
        park = self.site.park()
        buildings = frame.in_work(park.buildings) if park is not None else None
        boundary = frame.in_work(park.boundary) if park is not None else None
        roads = self.site.layer_frame(o.roads_layer)
        if roads is None and park is not None and getattr(park, "roads", None) is not None:
            roads = frame.in_work(park.roads)  # the park's own roads when no layer was chosen
        self.turbine, self.resource = turbine, resource
        return WindFarmModel(turbine, resource, crs=crs, settings=settings, buildings=buildings, roads=roads,
                             boundary=boundary, site_lonlat=frame.site_lonlat())

    def ensure_model(self) -> bool:
        """Build the model when needed; False (``error`` set, ``failed`` emitted) when it cannot be."""
        if self.model is not None:
            return True
        try:
            self.model = self._build()
        except (InputError, SitingError, OSError, KeyError, ValueError) as exc:
            self.model = None
            self.error = self.site.describe(exc)
            self.failed.emit(self.error)
            self.model_changed.emit()
            return False
        self.error = None
        self.model_changed.emit()
        return True

    def spacing_axes_m(self) -> tuple[float, float, float | None]:
        """(along, across) the prevailing wind in m and its bearing in degrees (None: a circle)."""
        if not self.ensure_model():
            return 0.0, 0.0, None
        d = self.model.turbine.rotor_diameter_m
        s = self.model.settings
        return s.spacing_downwind_d * d, s.spacing_crosswind_d * d, self.model.prevailing_deg

    # -- state and evaluation ----------------------------------------------------------------
    def state(self) -> WindState:
        return tuple(self.ids), self.xy.copy()

    def apply_state(self, state: WindState) -> None:
        ids, xy = state
        self.ids, self.xy = list(ids), np.array(xy, float).reshape(-1, 2)
        self.refresh()

    def adopt(self, gdf: gpd.GeoDataFrame | None) -> None:
        """Take the turbines of a ``turbines`` layer as the layout (no evaluation, no layer write)."""
        self._drag = None
        self.result = None
        if gdf is None or len(gdf) == 0:
            self.ids, self.xy = [], np.zeros((0, 2))
            return
        g = self.site.frame.in_work(gdf)
        pts = g[g.geometry.geom_type == "Point"]
        ids = [str(v) for v in pts["turbine_id"]] if "turbine_id" in pts else \
            [f"WT{i + 1}" for i in range(len(pts))]
        self.ids = ids
        self.xy = np.c_[pts.geometry.x.to_numpy(float), pts.geometry.y.to_numpy(float)]

    def refresh(self, write: bool = True, store: bool = True) -> None:
        """Evaluate the layout; tell the views (``evaluated``), write the layers, time it all."""
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
                self.error = self.site.describe(exc)
                self.failed.emit(self.error)
                return
        self.last_eval_ms = (time.perf_counter() - t0) * 1000.0
        self.result = res
        if write:
            self.site.write_layers(self._layers(res), restyle=set())
        self.evaluated.emit(res)
        if store and write:
            self.site.store_result("wind", res)
        self.last_ms = (time.perf_counter() - t0) * 1000.0
        self.timed.emit(self.last_ms, n)

    def _layers(self, res) -> dict[str, gpd.GeoDataFrame]:
        from gis.wind.farm import TURBINE_FIELDS, VIOLATION_COLUMNS

        crs = self.site.frame.work_crs()
        if res is None:
            return {"turbines": empty_frame(TURBINE_FIELDS, crs),
                    "wind_violations": empty_frame(VIOLATION_COLUMNS, crs)}
        out = {"turbines": res.turbines, "wind_violations": res.violations}
        ws = self.site.workspace
        if res.receptors is not None and ws is not None and ws.layer("wind_receptors") is not None:
            out["wind_receptors"] = res.receptors
        return out

    def violating_ids(self) -> set[str]:
        if self.result is None or len(self.result.violations) == 0:
            return set()
        return {str(v) for v in self.result.violations["turbine"]}

    def view_xy(self) -> np.ndarray:
        """The turbines in the view's CRS (n × 2)."""
        if not len(self.ids):
            return np.zeros((0, 2))
        x, y = self.site.frame.from_work(self.xy[:, 0], self.xy[:, 1])
        return np.c_[np.asarray(x, float), np.asarray(y, float)]

    # -- edits (view coordinates) ------------------------------------------------------------
    def _next_id(self) -> str:
        nums = [int(i[2:]) for i in self.ids if i.startswith("WT") and i[2:].isdigit()]
        k = max(nums, default=0) + 1
        while f"WT{k}" in self.ids:
            k += 1
        return f"WT{k}"

    def _ready(self) -> bool:
        if self.ensure_model():
            return True
        self.site.status.emit(self.error or "")
        return False

    def _push(self, key: str, label: str | None, before: WindState, after: WindState) -> None:
        text = self.site.text(key, label) if label is not None else self.site.text(key)
        self.site.push(Edit("wind", text, before, after))

    def add_turbine(self, x: float, y: float) -> None:
        """Place a turbine at view coordinates (x, y) (one undo step)."""
        if not self._ready():
            return
        wx, wy = self.site.frame.to_work(x, y)
        new = self._next_id()
        self._push("place_turbine", new, self.state(), ((*self.ids, new), np.vstack([self.xy, [[wx, wy]]])))

    def place_work(self, x: float, y: float) -> None:
        """Place a turbine at work-CRS coordinates (scripts and tests)."""
        vx, vy = self.site.frame.from_work(np.array([x]), np.array([y]))
        self.add_turbine(float(vx[0]), float(vy[0]))

    def delete_turbine(self, i: int) -> None:
        if not 0 <= i < len(self.ids):
            return
        ids = tuple(t for k, t in enumerate(self.ids) if k != i)
        self._push("delete_turbine", self.ids[i], self.state(), (ids, np.delete(self.xy, i, axis=0)))

    def set_layout(self, ids, xy, text: str | None = None) -> None:
        """Replace the whole layout (one undo step); ``xy`` in the work CRS."""
        after = (tuple(str(i) for i in ids), np.array(xy, float).reshape(-1, 2))
        self.site.push(Edit("wind", text or self.site.text("set_turbines"), self.state(), after))

    # -- dragging: live moves, one undo step at the end ----------------------------------------
    @property
    def dragging(self) -> bool:
        return self._drag is not None

    def begin_move(self, i: int) -> None:
        self._drag = (i, self.state())

    def drag_to(self, i: int, x: float, y: float, evaluate: bool = True) -> None:
        """The dragged turbine is at view point (x, y); evaluate now unless told not to (the
        front end throttles: :meth:`refresh_drag` later)."""
        if self._drag is None or not 0 <= i < len(self.ids):
            return
        self.xy[i] = self.site.frame.to_work(x, y)
        if evaluate:
            self.refresh_drag()

    def refresh_drag(self) -> None:
        """Evaluate and draw the layout being dragged (not stored in the results)."""
        if self._drag is not None:
            self.refresh(write=True, store=False)

    def end_move(self, i: int, x: float, y: float) -> None:
        if self._drag is None:
            return
        _, before = self._drag
        self._drag = None
        xy = before[1].copy()
        xy[i] = self.site.frame.to_work(x, y)
        self._push("move_turbine", before[0][i], before, (before[0], xy))

    def cancel_move(self, i: int) -> None:
        if self._drag is None:
            return
        _, before = self._drag
        self._drag = None
        moved = not np.array_equal(before[1], self.xy)
        self.ids, self.xy = list(before[0]), before[1].copy()
        if moved:
            self.refresh(write=True, store=False)
