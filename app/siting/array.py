"""The ground PV array: its area (polygons in the work CRS), the live table layout
(:func:`gis.solar.array_layout.array_layout`, ≈ 25 ms for 10 ha) and the yield on demand
(:func:`gis.solar.array_energy.pv_array`, through the front end's runner)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.siting.env import SitingError
from app.siting.history import Edit
from app.siting.options import ARRAY_LAYERS, ArrayOptions
from app.siting.wind import empty_frame
from gis.errors import InputError
from layers.layer import Signal

if TYPE_CHECKING:
    from app.siting.model import SitingModel

ArrayState = np.ndarray | dict[str, gpd.GeoDataFrame] | None
"""None (no area), an array of polygons, or the array layers found before the first edit (the
demo's, a reopened project's: an undo puts them back exactly)."""


class ArrayArea:
    """The array area and its layout; the yield on demand.

    Events: ``laid_out(layout, ms)`` (None without an area), ``yield_done(result)``,
    ``failed(message)``."""

    def __init__(self, site: SitingModel) -> None:
        self.site = site
        self.options = ArrayOptions.from_dict(None, site.module_defaults())
        self.parts: np.ndarray | None = None
        self.foreign: dict | None = None  # the array layers found in the workspace, untouched
        self.layout = None
        self.result = None
        self.orientation: tuple[float, float, bool] | None = None  # tilt, azimuth, from the optimum
        self.error: str | None = None
        self.last_ms: float | None = None
        self.task: Any = None
        self._weather = None
        self._weather_key: tuple | None = None
        self._yield_style = False
        self.laid_out = Signal()
        self.yield_done = Signal()
        self.failed = Signal()

    def reset(self) -> None:
        self.parts, self.foreign, self.layout, self.result, self.orientation = None, None, None, None, None
        self._weather, self._weather_key = None, None

    def forget_layout(self) -> None:
        """Array layers someone else wrote replace what this area laid out (not undoable)."""
        self.parts, self.layout, self.result, self.foreign = None, None, None, None

    # -- state --------------------------------------------------------------------------------
    def state(self) -> ArrayState:
        if self.parts is not None:
            return self.parts
        ws = self.site.workspace
        if self.foreign is None and ws is not None:
            self.foreign = {n: lyr.gdf for n in ARRAY_LAYERS if (lyr := ws.layer(n)) is not None}
        return dict(self.foreign) if self.foreign else None

    def apply_state(self, state: ArrayState) -> None:
        self.result = None
        if isinstance(state, dict):
            self.parts, self.layout = None, None
            self.foreign = dict(state)
            self.site.write_layers(state, restyle=set(state))
            self.laid_out.emit(None, 0.0)
            return
        self.parts = state
        self.relayout()

    def set_area(self, parts: np.ndarray | None, text: str) -> None:
        """Make ``parts`` the area (one undo step named ``text``)."""
        self.site.push(Edit("array", text, self.state(), parts))

    def set_area_from_canvas(self, points: list[tuple[float, float]]) -> None:
        """A polygon drawn in the map view (view coordinates) becomes the area (one undo step)."""
        frame = self.site.frame
        if frame.work_crs() is None:
            self.site.status.emit(self.site.text("no_map"))
            return
        xs, ys = np.array([p[0] for p in points]), np.array([p[1] for p in points])
        wx, wy = frame.to_work_arrays(xs, ys)
        try:
            parts = self._parts_of([shapely.Polygon(np.c_[wx, wy])])
        except InputError as exc:
            self.site.status.emit(self.site.describe(exc))
            return
        self.set_area(parts, self.site.text("draw_area"))

    def use_selection(self, layer) -> bool:
        """The selected polygons of ``layer`` become the area; False when none is selected."""
        sel = np.asarray(getattr(layer, "selection", []), dtype=np.int64)
        if layer is None or sel.size == 0:
            self.site.status.emit(self.site.text("select_polygons"))
            return False
        g = self.site.frame.in_work(layer.gdf).geometry.to_numpy()[sel]
        try:
            parts = self._parts_of(list(g))
        except InputError as exc:
            self.site.status.emit(self.site.describe(exc))
            return False
        self.set_area(parts, self.site.text("use_selection"))
        return True

    def clear_area(self) -> None:
        if self.parts is not None:
            self.set_area(None, self.site.text("clear_area"))

    def _parts_of(self, geoms: list) -> np.ndarray:
        from gis.solar.array_layout import area_polygons

        return area_polygons(gpd.GeoDataFrame(geometry=list(geoms), crs=self.site.frame.work_crs()))

    def set_options(self, options: ArrayOptions) -> None:
        self.options = options
        self.orientation = None
        if self.parts is not None:
            self.result = None
            self.relayout()

    def outline(self) -> list[np.ndarray]:
        """The exterior rings of the area in the view's CRS (each k × 2)."""
        if self.parts is None:
            return []
        rings = []
        for poly in shapely.get_parts(self.parts):
            xy = shapely.get_coordinates(shapely.get_exterior_ring(poly))
            x, y = self.site.frame.from_work(xy[:, 0], xy[:, 1])
            rings.append(np.c_[np.asarray(x, float), np.asarray(y, float)])
        return rings

    # -- layout -------------------------------------------------------------------------------
    def weather(self):
        """The site's weather (built-in climatology; PVGIS only with network use allowed)."""
        from gis.solar.array_layout import centre_lonlat
        from gis.solar.site_weather import site_weather

        frame = self.site.frame
        geom = shapely.union_all(self.parts) if self.parts is not None else None
        if geom is None:
            park = self.site.park()
            if park is None:
                raise SitingError("no_map")
            geom = shapely.union_all(frame.in_work(park.boundary).geometry.to_numpy())
        lon, lat = centre_lonlat(geom, frame.work_crs())
        key = (round(lon, 2), round(lat, 2))
        if self._weather is None or self._weather_key != key:
            network = bool(self.site.env.app_setting("network", False))
            self._weather = site_weather(lon, lat, allow_network=network)
            self._weather_key = key
        return self._weather

    def _orientation(self) -> tuple[float, float, bool]:
        from gis.solar.array_energy import resolve_orientation

        o = self.options
        if o.tilt_deg is not None and o.azimuth_deg is not None:
            return float(o.tilt_deg), float(o.azimuth_deg), False
        if self.orientation is None:
            self.site.busy.emit(self.site.text("finding_orientation"))
            try:
                tilt, az, opt = resolve_orientation(o.settings(), self.weather())
            finally:
                self.site.busy.emit(None)
            self.orientation = (float(tilt), float(az), opt is not None)
        return self.orientation

    def _exclusions(self) -> list:
        from gis.solar.array_layout import Exclusion

        o, ex = self.options, []
        park = self.site.park()
        if park is not None and park.buildings is not None and len(park.buildings):
            b = self.site.frame.in_work(park.buildings)
            ex.append(Exclusion(np.asarray(b.geometry.array), o.building_setback_m, "building", "buildings"))
        roads = self.site.layer_frame(o.roads_layer)
        if roads is not None and len(roads):
            ex.append(Exclusion(np.asarray(roads.geometry.array), o.road_setback_m, "road", o.roads_layer))
        wet = park_water(park)
        if wet is not None:  # no PV over the park's ponds, rivers and wetland
            ex.append(Exclusion(np.asarray(self.site.frame.in_work(wet).geometry.array), 0.0, "water",
                                "water"))
        return ex

    def relayout(self) -> None:
        """Lay the tables out again (no energy), write the layers and tell the views."""
        from gis.solar.array_layout import array_layout, centre_lonlat, row_geometry

        t0 = time.perf_counter()
        self._drop_stored()
        crs = self.site.frame.work_crs()
        if self.parts is None:
            self.layout = None
            ws = self.site.workspace
            if ws is not None and any(ws.layer(n) is not None for n in ARRAY_LAYERS):
                self.site.write_layers({n: empty_frame(["table_id"], crs) for n in ARRAY_LAYERS},
                                       restyle={"pv_array_tables"})
            self.laid_out.emit(None, 0.0)
            return
        o = self.options
        try:
            tilt, az, _ = self._orientation()
            _, lat = centre_lonlat(shapely.union_all(self.parts), crs)
            rows = row_geometry(o.table(), tilt, az, lat, o.gcr)
            lay = array_layout(self.parts, crs, rows, self._exclusions(),
                               boundary_setback_m=o.boundary_setback_m, table_gap_m=o.table_gap_m)
        except (InputError, SitingError, OSError) as exc:
            self.error = self.site.describe(exc)
            self.failed.emit(self.error)
            return
        self.error = None
        self.layout = lay
        restyle = {"pv_array_tables"} if self._yield_style else set()
        self.site.write_layers(layout_layers(lay), restyle=restyle)
        self._yield_style = False
        self.last_ms = (time.perf_counter() - t0) * 1000.0
        self.laid_out.emit(lay, self.last_ms)

    def _drop_stored(self) -> None:
        """The stored yield no longer matches the layout."""
        ws = self.site.workspace
        if ws is None:
            return
        if ws.results is not None and getattr(ws.results, "pv_array", None) is not None:
            ws.results.pv_array = None
        ws.summary.pop("pv_array", None)

    # -- yield ------------------------------------------------------------------------------
    def compute_yield(self, **run_options: Any) -> Any:
        """Run :func:`pv_array` on the current area through the front end's runner
        (``run_options`` are the runner's); its handle, or None without an area or weather."""
        from gis.solar.array_energy import pv_array

        site, frame = self.site, self.site.frame
        if self.parts is None:
            site.status.emit(site.text("needs_area"))
            return None
        parts, o, crs = self.parts, self.options, frame.work_crs()
        try:
            weather = self.weather()
        except (InputError, SitingError, OSError) as exc:
            site.status.emit(site.describe(exc))
            return None
        park = site.park()
        buildings = frame.in_work(park.buildings) if park is not None else None
        roads = site.layer_frame(o.roads_layer)
        ws = site.workspace
        grid = ws.results.pv.grid_factor if ws is not None and ws.results is not None \
            and ws.results.pv is not None else None
        settings = o.settings()
        area = gpd.GeoDataFrame({"area_id": np.arange(1, len(parts) + 1)}, geometry=list(parts), crs=crs)

        def work(progress):
            return pv_array(area, weather, settings, buildings=buildings, roads=roads, grid=grid,
                            progress=progress)

        def done(result) -> None:
            self.task = None
            if self.parts is not parts:  # edited meanwhile: the result is for another layout
                site.status.emit(site.text("array_changed"))
                return
            self._show_yield(result)

        def ended(*_args) -> None:
            self.task = None

        handle = site.env.run(site.text("yield_title"), work, done, ended, ended, **run_options)
        self.task = handle if getattr(handle, "state", None) == "running" else None
        return handle

    def _show_yield(self, result) -> None:
        from app.algorithms.pv_array import as_written as result_layers

        self.result = result
        self._yield_style = True
        self.site.write_layers(result_layers(result), restyle={"pv_array_tables"})
        self.site.store_result("pv_array", result)
        self.yield_done.emit(result)


def park_water(park) -> gpd.GeoDataFrame | None:
    """The park's water bodies and the water and wetland of its green space (by land-cover class),
    or None."""
    if park is None:
        return None
    parts = []
    if getattr(park, "water", None) is not None and len(park.water):
        parts.append(park.water[["geometry"]])
    green = getattr(park, "green", None)
    if green is not None and len(green):
        from gis.carbon.sinks import map_cover_types
        from gis.fields import find_field

        f = find_field(green.columns, ("cover", "landcover", "land_cover", "类型", "地类", "覆盖类型"))
        if f is not None:
            keys, _ = map_cover_types(green[f])
            wet = np.isin(np.asarray(keys, dtype=object), ["water", "wetland"])
            if wet.any():
                parts.append(green.loc[wet, ["geometry"]].to_crs(parts[0].crs if parts else green.crs))
    if not parts:
        return None
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=parts[0].crs)


def layout_layers(lay) -> dict[str, gpd.GeoDataFrame]:
    """The layers of a live layout: tables, usable area per part, exclusion zones."""
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
