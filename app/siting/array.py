"""The ground PV array: its area (polygons in the work CRS), the live table layout
(:func:`gis.solar.array_layout.array_layout`, ≈ 25 ms for 10 ha) and the yield on demand
(:func:`gis.solar.array_energy.pv_array`, through the front end's runner)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import shapely

from app.siting.env import SitingError
from app.siting.exclusions import Used, choose_layer, exclusion_note, feature_rows, stack_frames
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
    ``failed(message)``. ``used``: the exclusions of the last layout (:meth:`exclusion_sources`);
    ``note``: the (Chinese, English) sentence naming them."""

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
        self.used: list[Used] = []
        self.note: tuple[str, str] = ("", "")
        self._used_key: tuple | None = None
        self._rows_cache: dict = {}
        self._frames: dict[tuple, gpd.GeoDataFrame | None] = {}
        self.laid_out = Signal()
        self.yield_done = Signal()
        self.failed = Signal()

    def reset(self) -> None:
        self.parts, self.foreign, self.layout, self.result, self.orientation = None, None, None, None, None
        self._weather, self._weather_key = None, None
        self.used, self.note, self._used_key = [], ("", ""), None
        self._frames.clear()

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

    # -- exclusions ---------------------------------------------------------------------------
    def choices(self) -> dict[str, tuple[str, str]]:
        """{"building"/"water": (layer name or "", how)} for the current options and layers
        (:func:`app.siting.exclusions.choose_layer`)."""
        ws, o = self.site.workspace, self.options
        out = {}
        for kind, option in (("building", o.buildings_layer), ("water", o.water_layer)):
            c = choose_layer(ws, kind, option, self._rows_cache)
            out[kind] = (c.layer, c.how)
        return out

    def _layer_rows(self, name: str, kind: str) -> gpd.GeoDataFrame | None:
        """The rows of layer ``name`` to exclude as ``kind`` in the work CRS (buildings with
        ``height_m`` for the yield's shading), kept per data version and work CRS (a reprojection
        of 100,000 footprints takes ~0.5 s; the live layout runs on every edit)."""
        ws = self.site.workspace
        lyr = ws.layer(name) if ws is not None and name else None
        if lyr is None or not hasattr(lyr, "gdf") or len(lyr.gdf) == 0:
            return None
        crs = self.site.frame.work_crs()
        key = (kind, name, id(lyr), getattr(lyr, "data_version", 0), crs.srs if crs is not None else None)
        if key in self._frames:
            return self._frames[key]
        gdf = lyr.gdf
        rows = feature_rows(lyr, kind, self._rows_cache) if kind in ("building", "water") else None
        if rows is not None:
            gdf = gdf[rows]
        gdf = self.site.frame.in_work(gdf)
        if kind == "building" and "height_m" not in gdf.columns and len(gdf):
            from gis.buildings import building_heights

            heights, _ = building_heights(gdf)  # OSM height / building:levels × storey height
            gdf = gdf.assign(height_m=heights["height_m"].to_numpy(float))
        if len(self._frames) > 16:
            self._frames.clear()
        self._frames[key] = gdf
        return gdf

    def exclusion_sources(self) -> list[Used]:
        """What the array keeps clear of: buildings (the building setback), roads (the road
        setback), water and the park's green-space water and wetland (0 m), each with its layer or
        why there is none."""
        from layers.presets import KNOWN_LAYERS, layer_title

        o, ws = self.options, self.site.workspace
        chosen = self.choices()

        def used(kind: str, name: str, how: str, distance: float) -> Used:
            lyr = ws.layer(name) if ws is not None and name else None
            if lyr is None:
                return Used(kind, how, distance_m=distance)
            zh = layer_title(name, "zh") if name in KNOWN_LAYERS else lyr.title
            en = layer_title(name, "en") if name in KNOWN_LAYERS else lyr.title
            return Used(kind, how, name, zh, en, distance, self._layer_rows(name, kind))

        b = used("building", *chosen["building"], o.building_setback_m)
        road = o.roads_layer if self.site.layer_frame(o.roads_layer) is not None else ""
        r = used("road", road, "chosen" if road else "missing", o.road_setback_m)
        w = used("water", *chosen["water"], 0.0)
        wet = park_wetland(self.site.park())
        if wet is not None:  # no PV over the park's ponds and wetland whatever the water layer
            w.wetland = True
            w.frame = stack_frames([w.frame, self.site.frame.in_work(wet)], self.site.frame.work_crs())
        return [b, r, w]

    def _exclusions(self, used: list[Used]) -> list:
        from gis.solar.array_layout import Exclusion

        return [Exclusion(np.asarray(u.frame.geometry.array), u.distance_m, u.kind, u.name or u.kind)
                for u in used if u.frame is not None and len(u.frame)]

    def _sources_key(self) -> tuple:
        """What the exclusions depend on besides the options: the layers chosen and their data."""
        ws = self.site.workspace
        key = []
        for name in [c[0] for c in self.choices().values()] + [self.options.roads_layer]:
            lyr = ws.layer(name) if ws is not None and name else None
            key.append((name, id(lyr), getattr(lyr, "data_version", 0)))
        return tuple(key)

    def refresh_sources(self) -> bool:
        """Lay out again when the layers the exclusions come from changed (a buildings layer
        opened after the area was drawn, a guessed layer hidden); True when it did."""
        if self.parts is None or self._used_key is None or self._sources_key() == self._used_key:
            return False
        self.result = None
        self.relayout()
        return True

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
            used = self.exclusion_sources()
            lay = array_layout(self.parts, crs, rows, self._exclusions(used),
                               boundary_setback_m=o.boundary_setback_m, table_gap_m=o.table_gap_m)
        except (InputError, SitingError, OSError) as exc:
            self.error = self.site.describe(exc)
            self.failed.emit(self.error)
            return
        self.error = None
        self.layout = lay
        self.used, self.note, self._used_key = used, exclusion_note(used), self._sources_key()
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
        # the yield lays the tables out again: with the live layout's exclusions, so that both
        # lines of the panel show the same tables and kWp
        used = {u.kind: u for u in self.used if u.frame is not None and len(u.frame)}
        b = used.get("building")
        buildings = b.frame if b is not None else None
        zones = [(u.frame, u.distance_m, u.name or u.kind, u.kind) for u in used.values() if u is not b]
        note = {"zh": self.note[0], "en": self.note[1],
                "layers": {u.kind: u.name for u in self.used if u.name},
                "wetland": any(u.wetland for u in self.used)}
        ws = site.workspace
        grid = ws.results.pv.grid_factor if ws is not None and ws.results is not None \
            and ws.results.pv is not None else None
        settings = o.settings()
        area = gpd.GeoDataFrame({"area_id": np.arange(1, len(parts) + 1)}, geometry=list(parts), crs=crs)

        def work(progress):
            return pv_array(area, weather, settings, buildings=buildings, exclusions=zones, grid=grid,
                            building_label=b.name if b is not None else "buildings", progress=progress)

        def done(result) -> None:
            self.task = None
            if self.parts is not parts:  # edited meanwhile: the result is for another layout
                site.status.emit(site.text("array_changed"))
                return
            self._show_yield(result, note)

        def ended(*_args) -> None:
            self.task = None

        handle = site.env.run(site.text("yield_title"), work, done, ended, ended, **run_options)
        self.task = handle if getattr(handle, "state", None) == "running" else None
        return handle

    def _show_yield(self, result, note: dict | None = None) -> None:
        from app.algorithms.pv_array import as_written as result_layers

        self.result = result
        self._yield_style = True
        self.site.write_layers(result_layers(result), restyle={"pv_array_tables"})
        self.site.store_result("pv_array", result)
        ws = self.site.workspace
        if ws is not None and note and isinstance(ws.summary.get("pv_array"), dict):
            ws.summary["pv_array"]["exclusions"] = note  # the sentence of the panel, for the report
        self.yield_done.emit(result)


def park_wetland(park) -> gpd.GeoDataFrame | None:
    """The water and wetland of the park's green space (by land-cover class), or None. The park's
    water bodies are its "water" role layer, chosen as the water layer."""
    green = getattr(park, "green", None) if park is not None else None
    if green is None or not len(green):
        return None
    from gis.carbon.sinks import map_cover_types
    from gis.fields import find_field

    f = find_field(green.columns, ("cover", "landcover", "land_cover", "类型", "地类", "覆盖类型"))
    if f is None:
        return None
    keys, _ = map_cover_types(green[f])
    wet = np.isin(np.asarray(keys, dtype=object), ["water", "wetland"])
    if not wet.any():
        return None
    return green.loc[wet, ["geometry"]]


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
