"""Yield of a PV array through the rooftop engine's chain: orientation optimum, row-to-row and
neighbour shading, totals.

* The hourly chain is :func:`gis.solar.energy.orientation_yield` (Perez, Fresnel IAM, SAPM
  open-rack temperature, PVWatts DC and inverter) via a :class:`~gis.solar.energy.YieldTable`
  kept per site weather (:func:`yield_table`), so re-running an array after an edit costs only
  the layout, the horizons and a lookup.
* Default tilt and azimuth: the best annual kWh/kWp of a free-standing row on the site's
  weather (:func:`optimal_orientation`, cached per weather and system settings).
* Row-to-row shading of tables with a table in front: beam by the exact 1-D shadow of the
  front row (``pvlib.shading.shaded_fraction1d``), sky diffuse by the masking angle
  (``pvlib.shading.sky_diffuse_passias``), as a monthly share of the plane's effective
  irradiance (an irradiance loss, like neighbour shading in the rooftop engine).
* Shading by nearby buildings: horizons at each table's centre (at its mid-height) from the
  footprints and heights (``gis.solar.shading.horizon_from_footprints``) turned into monthly
  losses by ``gis.solar.energy.shading_loss_monthly``, as for roofs.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pvlib
import shapely

from gis.errors import InputError, Problem
from gis.grid_factors import DEFAULT_GRID_FACTOR_KEY, GridFactor, grid_factor
from gis.progress import NO_PROGRESS, Progress
from gis.solar.array_layout import (
    BOUNDARY_SETBACK_M,
    BUILDING_SETBACK_M,
    CLEARANCE_M,
    ROAD_SETBACK_M,
    ROW_PHASES,
    TABLE_GAP_M,
    ArrayLayout,
    Exclusion,
    TableSpec,
    area_polygons,
    array_layout,
    centre_lonlat,
    metric_frame,
    row_geometry,
)
from gis.solar.energy import SystemSettings, YieldTable, shading_loss_monthly
from gis.solar.weather_types import Weather

MONTH_COLUMNS = [f"kwh_m{m:02d}" for m in range(1, 13)]
TABLE_RESULT_COLUMNS = ["table_id", "row", "area_id", "modules", "kwp", "tilt_deg", "azimuth_deg", "plan_m2",
                        "collector_m2", "has_front", "kwh_yr", "kwh_per_kwp", "row_shade_loss_pct",
                        "shade_loss_pct", "t_co2_yr", *MONTH_COLUMNS]
MOUNTING = "rows"
"""Ground tables are free-standing open-rack rows (SAPM open_rack_glass_polymer, energy.py)."""
TILT_SEARCH_DEG = (0.0, 60.0)
"""Tilts searched for the optimum (deg): the annual optimum in China lies between ~15° (south
coast) and ~45° (north-west); 60° bounds it everywhere below the polar circles."""
AZIMUTH_SEARCH_HALF_DEG = 45.0
"""Azimuths searched: within ±45° of the equator-facing direction, in the 5° orientation classes."""
AZIMUTH_MIN_GAIN = 0.003
"""An azimuth off due south (north in the southern hemisphere) is only chosen when it yields at
least 0.3% more: below the orientation-class resolution of the chain (energy.py) and the
uncertainty of any typical-year weather, turning the rows is not worth it."""


def weather_key(weather: Weather) -> str:
    """Fingerprint of a weather year (site, hours and the irradiance/temperature/wind values)."""
    d = weather.data
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{weather.latitude:.5f},{weather.longitude:.5f},{weather.altitude_m},{len(d)}".encode())
    h.update(str(d.index[0]).encode() if len(d) else b"")
    for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed"):
        if c in d:
            h.update(np.ascontiguousarray(d[c].to_numpy(np.float64)).tobytes())
    return h.hexdigest()


_TABLES: OrderedDict[tuple, YieldTable] = OrderedDict()
_OPTIMA: dict[tuple, Optimum] = {}
_CACHE_SIZE = 4
_LOCK = threading.Lock()  # GUI workers may run arrays concurrently


def yield_table(weather: Weather, system: SystemSettings | None = None) -> YieldTable:
    """The site's :class:`YieldTable` (sun positions and orientation classes), kept for the
    last few weathers so repeated array runs reuse it."""
    system = system or SystemSettings()
    key = (weather_key(weather), system)
    with _LOCK:
        if key in _TABLES:
            _TABLES.move_to_end(key)
            return _TABLES[key]
    t = YieldTable(weather, system)
    with _LOCK:
        t = _TABLES.setdefault(key, t)
        while len(_TABLES) > _CACHE_SIZE:
            _TABLES.popitem(last=False)
    return t


@dataclass(frozen=True)
class Optimum:
    """Best orientation of a free-standing row on a site's weather (per kWp, unshaded)."""

    tilt_deg: float
    azimuth_deg: float
    kwh_per_kwp: float
    south_kwh_per_kwp: float
    evaluations: int

    def to_dict(self) -> dict:
        return {"tilt_deg": self.tilt_deg, "azimuth_deg": self.azimuth_deg,
                "kwh_per_kwp": round(self.kwh_per_kwp, 1),
                "equator_facing_kwh_per_kwp": round(self.south_kwh_per_kwp, 1),
                "evaluations": self.evaluations}


def best_tilt(annual_kwh_per_kwp) -> float:
    """Tilt (deg, whole degrees within TILT_SEARCH_DEG) maximising ``annual_kwh_per_kwp(tilt)``:
    every 5°, then every 1° within ±4° of the best (the annual yield is smooth and single-peaked
    in tilt)."""
    lo, hi = TILT_SEARCH_DEG
    coarse = np.arange(lo, hi + 0.1, 5.0)
    t0 = max(coarse, key=annual_kwh_per_kwp)
    fine = np.arange(max(lo, t0 - 4), min(hi, t0 + 4) + 0.1, 1.0)
    return float(max(fine, key=annual_kwh_per_kwp))


def optimal_orientation(weather: Weather, system: SystemSettings | None = None,
                        progress: Progress = NO_PROGRESS) -> Optimum:
    """Tilt (1° classes) and azimuth (5° classes near the equator-facing direction) with the
    highest annual AC kWh/kWp of an unshaded open-rack row, on this weather with this chain.

    Search: tilt every 5° over TILT_SEARCH_DEG facing the equator, then 1° around the best;
    azimuth by hill-climbing in 5° steps from the equator-facing direction (kept only when it
    gains AZIMUTH_MIN_GAIN); the tilt searched again at that azimuth. ~25 chain runs (~13 ms
    each) the first time; cached per weather fingerprint and system settings.
    """
    system = system or SystemSettings()
    key = (weather_key(weather), system)
    if key in _OPTIMA:
        return _OPTIMA[key]
    yt = yield_table(weather, system)
    base = 180.0 if weather.latitude >= 0 else 0.0
    seen: dict[tuple[float, float], float] = {}

    def f(tilt: float, az: float) -> float:
        k = (float(tilt), float(az % 360.0))
        if k not in seen:
            seen[k] = yt.get(k[0], k[1], MOUNTING).annual_kwh_per_kwp
            progress.report(min(0.95, len(seen) / 30.0), "optimal tilt")
        return seen[k]

    def best(az: float) -> float:
        return best_tilt(lambda t: f(t, az))

    tilt = best(base)
    south = f(tilt, base)
    az, val = base, south
    for direction in (5.0, -5.0):
        a = base
        while abs(a + direction - base) <= AZIMUTH_SEARCH_HALF_DEG and f(tilt, a + direction) > f(tilt, a):
            a += direction
        if f(tilt, a) > val:
            az, val = a, f(tilt, a)
    if val < south * (1.0 + AZIMUTH_MIN_GAIN):
        az = base
    else:
        tilt = best(az)
    out = Optimum(tilt, az % 360.0, f(tilt, az), south, len(seen))
    with _LOCK:
        out = _OPTIMA.setdefault(key, out)
    progress.report(1.0, "optimal tilt")
    return out


def row_shading_monthly(yields: YieldTable, tilt_deg: float, azimuth_deg: float, slant_m: float,
                        pitch_m: float) -> np.ndarray:
    """Share (0–1) of the plane's monthly effective irradiance that a row loses to the row in
    front of it, (12,): beam (with circumsolar) × the shaded fraction of the slant by the 1-D
    shadow of an identical row ``pitch_m`` in front (pvlib ``shaded_fraction1d``; axis along
    the row, rotation = tilt), plus sky diffuse × the share masked by the front row
    (``sky_diffuse_passias`` of the masking angle at GCR = slant / pitch). Ground-reflected
    light is kept."""
    oy = yields.get(tilt_deg, azimuth_deg, MOUNTING)
    sun = yields.sun
    if tilt_deg <= 0:
        return np.zeros(12)
    sf = pvlib.shading.shaded_fraction1d(sun.apparent_zenith, sun.azimuth, (azimuth_deg - 90.0) % 360.0,
                                         tilt_deg, collector_width=slant_m, pitch=pitch_m)
    sf = np.where(sun.elevation > 0, np.clip(np.nan_to_num(np.asarray(sf, float)), 0.0, 1.0), 0.0)
    gcr = min(1.0, slant_m / pitch_m)
    sky = float(pvlib.shading.sky_diffuse_passias(pvlib.shading.masking_angle_passias(tilt_deg, gcr)))
    lost = oy.beam_wh_m2 * sf + oy.sky_wh_m2 * sky
    poa = np.bincount(sun.month, weights=oy.poa_wh_m2, minlength=12)
    lost_m = np.bincount(sun.month, weights=lost, minlength=12)
    return np.clip(np.divide(lost_m, poa, out=np.zeros(12), where=poa > 0), 0.0, 1.0)


@dataclass(frozen=True)
class ArraySettings:
    """Everything an array run needs besides the area, the weather and the obstacles.

    table: module and table (2×14 portrait of 575 W modules by default, array_layout.py).
    tilt_deg / azimuth_deg: None = the site optimum (:func:`optimal_orientation`); when only the
        tilt is given the azimuth faces the equator; when only the azimuth is given the tilt is
        the optimum at that azimuth.
    gcr: None = the winter-solstice 9:00–15:00 rule at the site; else slant / pitch.
    building_setback_m, road_setback_m, boundary_setback_m: clear distances (array_layout.py).
    table_gap_m, clearance_m: gap between tables along a row, low-edge height (m).
    shading: shading by buildings (needs their heights); row_shading: row-to-row shading.
    shading_distance_m / n_sectors: as the rooftop engine (500 m, 36 sectors).
    """

    table: TableSpec = field(default_factory=TableSpec)
    tilt_deg: float | None = None
    azimuth_deg: float | None = None
    gcr: float | None = None
    building_setback_m: float = BUILDING_SETBACK_M
    road_setback_m: float = ROAD_SETBACK_M
    boundary_setback_m: float = BOUNDARY_SETBACK_M
    table_gap_m: float = TABLE_GAP_M
    clearance_m: float = CLEARANCE_M
    system: SystemSettings = field(default_factory=SystemSettings)
    shading: bool = True
    row_shading: bool = True
    shading_distance_m: float = 500.0
    n_sectors: int = 36
    phases: int = ROW_PHASES
    grid_factor_key: str = DEFAULT_GRID_FACTOR_KEY


@dataclass
class ArrayResult:
    """Tables with their energy (``tables``: TABLE_RESULT_COLUMNS), the layout, totals."""

    tables: gpd.GeoDataFrame
    layout: ArrayLayout
    totals: dict
    weather: Weather
    grid_factor: GridFactor
    optimum: Optimum | None
    problems: list[Problem]

    def summary(self) -> dict:
        """JSON-ready: totals, sources, problems."""
        return {**self.totals, "weather_source": self.weather.source,
                "weather_kind": self.weather.source_kind,
                "annual_ghi_kwh_m2": round(self.weather.annual_ghi_kwh_m2, 1),
                "grid_factor": {"key": self.grid_factor.key,
                                "kg_co2_per_kwh": self.grid_factor.kg_co2_per_kwh,
                                "label": self.grid_factor.label, "source": self.grid_factor.source},
                "optimum": self.optimum.to_dict() if self.optimum else None,
                "problems": [p.to_dict() for p in self.problems]}

    def area_layer(self) -> gpd.GeoDataFrame:
        """``pv_array_area``: per input polygon its usable part with gross/usable m² and the
        tables, kWp and kWh/yr on it."""
        ua, t = self.layout.usable, self.tables
        parts = ua.parts
        n = len(parts)
        usable = shapely.intersection(parts, ua.usable)
        aid = t["area_id"].to_numpy() - 1
        ok = aid >= 0

        def per(col):
            return np.bincount(aid[ok], weights=t[col].to_numpy(float)[ok], minlength=n)

        return gpd.GeoDataFrame({
            "area_id": np.arange(1, n + 1), "area_m2": shapely.area(parts), "usable_m2": shapely.area(usable),
            "tables": np.bincount(aid[ok], minlength=n), "kwp": per("kwp"), "kwh_yr": per("kwh_yr"),
            "t_co2_yr": per("t_co2_yr")}, geometry=gpd.GeoSeries(usable, crs=t.crs), crs=t.crs)

    def zones_layer(self) -> gpd.GeoDataFrame:
        """``pv_array_exclusions``: the exclusion zones inside the area (kind, label, distance)."""
        z = self.layout.usable.zones
        return gpd.GeoDataFrame(z[["kind", "label", "distance_m", "zone_m2"]].copy(),
                                geometry=gpd.GeoSeries(z["geometry"].to_numpy(), crs=self.tables.crs),
                                crs=self.tables.crs)

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        return {"pv_array_area": self.area_layer(), "pv_array_exclusions": self.zones_layer(),
                "pv_array_tables": self.tables}


def _as_frame(gdf, crs) -> gpd.GeoDataFrame | None:
    """``gdf`` in ``crs`` (None stays None)."""
    return None if gdf is None else _to_crs(gdf, crs)


def _to_crs(gdf: gpd.GeoDataFrame, crs) -> gpd.GeoDataFrame:
    """``gdf`` in ``crs``; an exclusion layer without a CRS is an input error."""
    if gdf.crs is None:
        raise InputError("排除要素图层没有坐标系", "An exclusion layer has no CRS", code="crs.missing")
    return gdf.to_crs(crs) if gdf.crs != crs else gdf


def resolve_orientation(s: ArraySettings, weather: Weather, progress: Progress = NO_PROGRESS
                        ) -> tuple[float, float, Optimum | None]:
    """(tilt, azimuth, optimum or None) of a run: the user's values, else the site optimum."""
    base = 180.0 if weather.latitude >= 0 else 0.0
    if s.tilt_deg is not None and s.azimuth_deg is not None:
        return float(s.tilt_deg), float(s.azimuth_deg), None
    if s.tilt_deg is not None:
        return float(s.tilt_deg), base, None
    opt = optimal_orientation(weather, s.system, progress)
    if s.azimuth_deg is None:
        return opt.tilt_deg, opt.azimuth_deg, opt
    yt = yield_table(weather, s.system)
    az = float(s.azimuth_deg)
    tilt = best_tilt(lambda t: yt.get(t, az, MOUNTING).annual_kwh_per_kwp)
    return tilt, az, opt


def pv_array(area: gpd.GeoDataFrame, weather: Weather, settings: ArraySettings | None = None, *,
             buildings: gpd.GeoDataFrame | None = None, roads: gpd.GeoDataFrame | None = None,
             exclusions: Sequence[tuple] = (), building_label: str = "buildings",
             grid: GridFactor | None = None, progress: Progress = NO_PROGRESS) -> ArrayResult:
    """Lay out and evaluate a PV array.

    area: polygon(s), any CRS (projected to a metric CRS as :func:`metric_frame` says).
    buildings: footprints with ``height_m`` (``gis.park.prepare_buildings``); kept
        ``building_setback_m`` away from and used for shading (those with a height).
    roads: lines (centrelines), kept ``road_setback_m`` away from.
    exclusions: (layer, distance_m, label[, kind]) of other zones (any geometry; kind "user" unless
        given, e.g. "road" or "water"). building_label: the buildings' label in the zones layer.
    grid: the grid factor (default: ``settings.grid_factor_key``).
    Returns tables (polygons with modules, kWp, kWh/yr and per month, losses, tCO2/yr) and
    totals: modules, kWp, kWac, kWh/yr and per month, kWh/kWp, land use, shading, GCRs, CO2.
    """
    s = settings or ArraySettings()
    factor = grid or grid_factor(s.grid_factor_key)
    progress.report(0.0, "array area")
    area = metric_frame(area)
    crs = area.crs
    parts = area_polygons(area)
    lon, lat = centre_lonlat(shapely.union_all(parts), crs)
    problems: list[Problem] = [*weather.problems, *_check_weather(weather, lon, lat)]
    tilt, az, opt = resolve_orientation(s, weather, progress.sub(0.0, 0.3))
    rows = row_geometry(s.table, tilt, az, lat, s.gcr, s.clearance_m)
    ex: list[Exclusion] = []
    b = _as_frame(buildings, crs)
    if b is not None and len(b):
        ex.append(Exclusion(np.asarray(b.geometry.array), s.building_setback_m, "building", building_label))
    r = _as_frame(roads, crs)
    if r is not None and len(r):
        ex.append(Exclusion(np.asarray(r.geometry.array), s.road_setback_m, "road", "roads"))
    for gdf, dist, label, *kind in exclusions:
        g = _to_crs(gdf, crs)
        ex.append(Exclusion(np.asarray(g.geometry.array), float(dist), str(kind[0]) if kind else "user",
                            str(label)))
    layout = array_layout(parts, crs, rows, ex, boundary_setback_m=s.boundary_setback_m,
                          table_gap_m=s.table_gap_m, phases=s.phases, progress=progress.sub(0.3, 0.5))
    problems += layout.problems
    progress.report(0.5, "energy")
    yt = yield_table(weather, s.system)
    oy = yt.get(tilt, az, MOUNTING)
    t = layout.tables
    n = len(t)
    monthly_1kwp = oy.monthly_kwh_per_kwp
    row_loss = row_shading_monthly(yt, tilt, az, s.table.slant_m, rows.pitch_m) if s.row_shading \
        else np.zeros(12)
    front = t["has_front"].to_numpy(bool)
    kwp = t["kwp"].to_numpy(float)
    unshaded = kwp[:, None] * monthly_1kwp[None, :]
    after_rows = unshaded * (1.0 - np.where(front[:, None], row_loss[None, :], 0.0))
    bldg_loss = np.zeros((n, 12))
    shade_known = True
    if s.shading and b is not None and n:
        bldg_loss, shade_known, found = _building_shading(t, b, rows, yt, tilt, az, s,
                                                          progress.sub(0.55, 0.95))
        problems += found
    monthly = after_rows * (1.0 - bldg_loss)
    kwh = monthly.sum(axis=1)
    out = t.copy()
    out["kwh_yr"] = kwh
    out["kwh_per_kwp"] = np.divide(kwh, kwp, out=np.zeros(n), where=kwp > 0)
    ur, ar = unshaded.sum(axis=1), after_rows.sum(axis=1)
    out["row_shade_loss_pct"] = np.divide(ur - ar, ur, out=np.zeros(n), where=ur > 0) * 100.0
    with_b = s.shading and b is not None and shade_known
    out["shade_loss_pct"] = np.divide(ar - kwh, ar, out=np.zeros(n), where=ar > 0) * 100.0 if with_b \
        else np.full(n, np.nan)
    out["t_co2_yr"] = kwh * factor.kg_co2_per_kwh / 1000.0
    for m, col in enumerate(MONTH_COLUMNS):
        out[col] = monthly[:, m]
    out = out[[*TABLE_RESULT_COLUMNS, "geometry"]]
    totals = {**layout.totals(), **_energy_totals(unshaded, after_rows, monthly, kwp, s, with_b, factor),
              "latitude": round(lat, 5), "longitude": round(lon, 5), "crs": crs.to_string(),
              "orientation_source": "site optimum" if opt is not None and s.tilt_deg is None else "user",
              "row_shading_modelled": s.row_shading}
    progress.report(1.0, "done")
    return ArrayResult(out, layout, totals, weather, factor, opt, problems)


def _energy_totals(unshaded, after_rows, monthly, kwp, s: ArraySettings, with_b: bool,
                   factor: GridFactor) -> dict:
    k = float(kwp.sum())
    u, a, e = float(unshaded.sum()), float(after_rows.sum()), float(monthly.sum())
    return {
        "kwac": round(k / s.system.dc_ac_ratio, 2), "dc_ac_ratio": s.system.dc_ac_ratio,
        "kwh_yr": round(e, 0), "gwh_yr": round(e / 1e6, 4), "kwh_per_kwp": round(e / k, 1) if k else 0.0,
        "full_load_hours": round(e / k, 0) if k else 0.0,
        "monthly_kwh": [round(float(v), 0) for v in monthly.sum(axis=0)],
        "unshaded_kwh_yr": round(u, 0),
        "row_shade_loss_pct": round(100.0 * (1 - a / u), 2) if u else 0.0,
        "shade_loss_pct": (round(100.0 * (1 - e / a), 2) if a else 0.0) if with_b else None,
        "t_co2_yr": round(e * factor.kg_co2_per_kwh / 1000.0, 1),
        "losses_pct": s.system.losses_pct,
    }


def _building_shading(tables: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, rows, yt: YieldTable,
                      tilt: float, az: float, s: ArraySettings, progress: Progress
                      ) -> tuple[np.ndarray, bool, list[Problem]]:
    """Monthly loss shares (n_tables, 12) from horizons at the table centres (mid-height)."""
    from gis.solar.shading import horizon_from_footprints

    problems: list[Problem] = []
    n = len(tables)
    h = buildings["height_m"].to_numpy(float) if "height_m" in buildings else np.full(len(buildings), np.nan)
    geoms = np.asarray(buildings.geometry.array)
    poly = np.isin(shapely.get_type_id(geoms), (3, 6))
    has_h = poly & np.isfinite(h) & (h > 0)
    centre = shapely.get_coordinates(shapely.centroid(tables.geometry.array))
    x0, y0 = centre.min(axis=0) - s.shading_distance_m
    x1, y1 = centre.max(axis=0) + s.shading_distance_m
    near = shapely.STRtree(geoms).query(shapely.box(x0, y0, x1, y1))
    no_h = near[poly[near] & ~has_h[near]]
    if no_h.size:
        problems.append(Problem(
            "warning", "pv_array.buildings_without_height",
            f"阵列附近 {no_h.size} 栋建筑没有高度，不计其遮挡",
            f"{no_h.size} building(s) near the array have no height: their shading is not counted",
            [int(i) for i in no_h[:50]]))
    if not has_h.any():  # nothing to shade with: unknown when there are buildings near the array
        return np.zeros((n, 12)), no_h.size == 0, problems
    z = np.full(n, rows.centre_height_m)
    horizon = horizon_from_footprints(centre, z, np.full(n, -1), geoms[has_h], h[has_h],
                                      n_sectors=s.n_sectors,
                                      max_distance_m=s.shading_distance_m, progress=progress)
    cls = yt.classes_of(pd.DataFrame({"tilt_deg": [tilt], "azimuth_deg": [az], "mounting": [MOUNTING]}))
    loss = shading_loss_monthly(yt, np.full(n, int(cls[0])), horizon)
    return loss, True, problems


def _check_weather(weather: Weather, lon: float, lat: float) -> list[Problem]:
    """The rooftop engine's checks: one year of hours, a weather for this place (InputError
    when too far away; warnings returned)."""
    from gis.solar.rooftop import _check_one_year, _check_weather_site

    _check_one_year(weather)
    return _check_weather_site(weather, lon, lat)
