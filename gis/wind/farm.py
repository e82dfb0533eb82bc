"""The per-turbine job: energy, wakes and constraint violations for a set of turbine positions.

``WindFarmModel`` prepares everything that does not depend on the positions (curves, wind
climate, setback trees, receptors, limits) once; ``model.evaluate(x, y)`` then returns AEP, wake
losses and violations for 20 turbines in well under 200 ms (benchmarks/bench_wind.py), so a map
canvas can call it while a turbine is dragged. ``run_wind_farm`` is the one-shot job for the
command line, and ``demo_turbines``/``wind_for_demo`` site turbines in the sample park.

Directions are taken relative to grid north of the working (metric) CRS; in a 3° Gauss–Krüger
zone that differs from true north by less than 1°.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress
from gis.wind import constraints as C
from gis.wind.energy import (
    DEFAULT_GRID,
    DEFAULT_WAKE,
    HOURS_PER_YEAR,
    EnergyResult,
    GridSettings,
    farm_energy,
)
from gis.wind.resource import WindResource
from gis.wind.turbines import Turbine
from gis.wind.wakes import WakeSettings

VIOLATION_COLUMNS = ["turbine", "kind", "value", "limit", "unit", "other", "message_zh", "message_en"]
TURBINE_FIELDS = [
    "turbine_id",
    "turbine_type",
    "hub_height_m",
    "rotor_diameter_m",
    "rated_kw",
    "mean_speed_ms",
    "gross_aep_mwh",
    "aep_mwh",
    "wake_loss_pct",
    "cf",
    "full_load_h",
    "n_violations",
    "violations",
    "violations_zh",
]
KIND_ZH = {
    "spacing": "间距",
    "setback_buildings": "建筑退让",
    "setback_roads": "道路退让",
    "setback_boundary": "红线退让",
    "noise_night": "夜间噪声",
    "noise_day": "昼间噪声",
    "shadow_hours": "阴影闪烁",
    "shadow_minutes_day": "单日阴影闪烁",
}


@dataclass(frozen=True)
class WindSettings:
    """Options of a wind-farm evaluation (defaults and sources: docs/wind.md, constraints.py).

    setback_*_m: metres, or None for tip height × the factor in resources/wind/setbacks.csv.
    density_kg_m3: None → from the site altitude and temperature at the mean hub height.
    """

    wake: WakeSettings = DEFAULT_WAKE
    grid: GridSettings = DEFAULT_GRID
    hours_per_year: float = HOURS_PER_YEAR
    density_kg_m3: float | None = None
    spacing_downwind_d: float = C.SPACING_DOWNWIND_D
    spacing_crosswind_d: float = C.SPACING_CROSSWIND_D
    prevailing_deg: float | None = None
    setback_buildings_m: float | None = None
    setback_roads_m: float | None = None
    setback_boundary_m: float | None = None
    noise: bool = True
    noise_class: str = C.DEFAULT_NOISE_CLASS
    receptor_height_m: float = C.RECEIVER_HEIGHT_M
    noise_alpha_db_km: float = C.NOISE_ALPHA_DB_KM
    noise_ground: bool = False
    sound_power_dba: float | None = None
    shadow: bool = False
    shadow_step_min: float = 10.0
    shadow_year: int = 2023


WAKE_TRIPLET_BYTES = 40
"""Working memory (bytes) of the wake model per (direction, receiver, source): 36 measured
(1,030 MB over the interpreter's for 400 turbines × 180 directions), as every pair's geometry is
kept for every direction at once (gis.wind.wakes.pair_geometry)."""
PAIR_BYTES = 32
"""Working memory (bytes) per pair of turbines of the spacing check: 31 measured (497 MB for
4,000 turbines, no wakes)."""
RECEPTOR_PAIR_BYTES = 32
"""Working memory (bytes) per (receptor, turbine): distances, levels and their sums (float64)."""


def check_farm_size(n_turbines: int, n_receptors: int, settings: WindSettings) -> None:
    """InputError, before anything is allocated, when evaluating ``n_turbines`` would need more
    memory than :func:`gis.limits.memory_limit_bytes` (every pair of turbines for every
    direction of the wake grid)."""
    from gis.limits import check_memory, memory_limit_bytes

    n_dir = max(1, round(360.0 / settings.grid.direction_step_deg))
    per_pair = PAIR_BYTES + (n_dir * WAKE_TRIPLET_BYTES if settings.wake.model != "none" else 0)
    need = float(n_turbines) ** 2 * per_pair + float(n_receptors) * n_turbines * RECEPTOR_PAIR_BYTES
    limit = memory_limit_bytes()
    most = int((limit / per_pair) ** 0.5)
    check_memory(need, what_zh=f"计算 {n_turbines:,} 台风机（尾流 {n_dir} 个风向）",
                 what_en=f"Evaluating {n_turbines:,} turbines (wakes in {n_dir} directions)",
                 fix_zh=f"一次最多约 {most:,} 台：请分区分批计算，或只放入候选机位中的一部分",
                 fix_en=f"at most about {most:,} turbines at a time: evaluate the site in parts, or "
                        "only some of the candidate positions", code="wind.too_many", limit_bytes=limit)


@dataclass
class Receptors:
    """Noise/shadow receptors in the working CRS: ids, geometries (points or footprints),
    GB 3096 class per receptor."""

    ids: list
    geoms: np.ndarray
    noise_class: list[str]
    source: str


def _field(columns, *names):
    from gis.fields import find_field

    return find_field(columns, names)


def _truthy(v) -> bool:
    return str(v).strip().lower() in ("1", "true", "yes", "y", "是", "敏感", "t")


def sensitive_buildings(buildings: gpd.GeoDataFrame) -> np.ndarray:
    """Boolean mask: a ``sensitive``/敏感 field when present, else use class or use text naming
    dormitories, homes, schools, hospitals, kindergartens, care homes."""
    f = _field(buildings.columns, "sensitive", "敏感", "noise_sensitive", "敏感点")
    if f is not None:
        return buildings[f].map(_truthy).to_numpy(bool)
    mask = np.zeros(len(buildings), bool)
    uc = _field(buildings.columns, "use_class")
    if uc is not None:
        mask |= buildings[uc].astype(str).str.lower().isin(C.SENSITIVE_USES).to_numpy()
    use = _field(buildings.columns, "use", "用途", "功能", "type", "类型")
    if use is not None:
        text = buildings[use].astype(str)
        for w in C.SENSITIVE_WORDS:
            mask |= text.str.contains(w, regex=False).to_numpy()
    return mask


def _ids(gdf: gpd.GeoDataFrame, prefix: str) -> list:
    f = _field(gdf.columns, "id", "bldg_id", "turbine_id", "receptor_id", "编号", "name", "名称")
    if f is not None and gdf[f].notna().all() and gdf[f].is_unique:
        return [v.item() if hasattr(v, "item") else v for v in gdf[f]]
    return [f"{prefix}{i + 1}" for i in range(len(gdf))]


def make_receptors(
    receptors: gpd.GeoDataFrame | None = None,
    buildings: gpd.GeoDataFrame | None = None,
    *,
    noise_class: str = C.DEFAULT_NOISE_CLASS,
) -> Receptors | None:
    """Receptors from a receptor layer (points or polygons; class from a ``noise_class``/声功能区
    field) or else from the sensitive buildings."""
    if receptors is not None and len(receptors):
        f = _field(receptors.columns, "noise_class", "声功能区", "功能区", "class", "gb3096")
        cls = (
            [str(noise_class)] * len(receptors)
            if f is None
            else [str(v).replace("类", "").strip() if pd.notna(v) else str(noise_class) for v in receptors[f]]
        )
        cls = [c[:-2] if c.endswith(".0") else c for c in cls]
        return Receptors(_ids(receptors, "R"), receptors.geometry.to_numpy(), cls, "receptor layer")
    if buildings is not None and len(buildings):
        mask = sensitive_buildings(buildings)
        if mask.any():
            sub = buildings[mask]
            return Receptors(
                _ids(sub, "B"),
                sub.geometry.to_numpy(),
                C.building_noise_classes(sub, noise_class),  # by use (GB 3096 §4.2) unless a class is given
                "sensitive buildings (dormitories, homes, schools, hospitals)",
            )
    return None


@dataclass
class FarmResult:
    """Per-turbine layer (points + TURBINE_FIELDS), violations layer (lines/points +
    VIOLATION_COLUMNS), receptors layer (noise and shadow per receptor) and farm totals."""

    turbines: gpd.GeoDataFrame
    violations: gpd.GeoDataFrame
    receptors: gpd.GeoDataFrame | None
    totals: dict
    energy: EnergyResult
    problems: list[Problem] = field(default_factory=list)

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        out = {"turbines": self.turbines, "wind_violations": self.violations}
        if self.receptors is not None:
            out["wind_receptors"] = self.receptors
        return out

    def summary(self) -> dict:
        v = self.violations
        return {
            **self.totals,
            "violations": len(v),
            "violations_by_kind": {str(k): int(n) for k, n in v["kind"].value_counts().items()}
            if len(v)
            else {},
            "problems": [p.to_dict() for p in self.problems],
            "violation_rows": v.drop(columns="geometry").to_dict("records"),
        }


class WindFarmModel:
    """Position-independent preparation; :meth:`evaluate` is the fast per-layout call.

    turbine: the type (every position) — per-position hub heights may differ. All layers must be
    in ``crs`` (metric). ``site_lonlat`` (degrees) is needed for shadow flicker only.
    """

    def __init__(
        self,
        turbine: Turbine,
        resource: WindResource,
        *,
        crs=None,
        settings: WindSettings | None = None,
        buildings: gpd.GeoDataFrame | None = None,
        roads: gpd.GeoDataFrame | None = None,
        boundary: gpd.GeoDataFrame | None = None,
        receptors: gpd.GeoDataFrame | None = None,
        site_lonlat: tuple[float, float] | None = None,
    ):
        self.settings = s = settings or WindSettings()
        if s.sound_power_dba is not None:
            turbine = replace(turbine, sound_power_dba=float(s.sound_power_dba))
        self.turbine = turbine
        self.resource = resource
        self.crs = crs
        self.site_lonlat = site_lonlat
        self.prevailing_deg = (
            s.prevailing_deg if s.prevailing_deg is not None else resource.prevailing_direction_deg()
        )
        self._targets: dict[str, tuple] = {}
        if buildings is not None and len(buildings):
            g = buildings.geometry.to_numpy()
            self._targets["buildings"] = (g, _ids(buildings, "B"), shapely.STRtree(g), s.setback_buildings_m)
        if roads is not None and len(roads):
            g = roads.geometry.to_numpy()
            self._targets["roads"] = (g, _ids(roads, "road"), shapely.STRtree(g), s.setback_roads_m)
        if boundary is not None and len(boundary):
            g = shapely.boundary(boundary.geometry.to_numpy())
            self._targets["boundary"] = (g, None, shapely.STRtree(g), s.setback_boundary_m)
        self.receptors = (
            make_receptors(receptors, buildings, noise_class=s.noise_class) if s.noise or s.shadow else None
        )
        self.unchecked = _unchecked_rules(s, self._targets, self.receptors)
        self._hub_cache: dict[float, Turbine] = {}

    def _turbine_at(self, hub: float) -> Turbine:
        key = round(float(hub), 3)
        if key not in self._hub_cache:
            self._hub_cache[key] = (
                self.turbine.with_hub_height(key)
                if abs(key - self.turbine.hub_height_m) > 1e-9
                else self.turbine
            )
        return self._hub_cache[key]

    def evaluate(
        self,
        x,
        y,
        *,
        ids=None,
        hub_heights=None,
        shadow: bool | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> FarmResult:
        """AEP, wakes and violations for turbines at (x, y) (working CRS, metres)."""
        s = self.settings
        x = np.asarray(x, float)
        y = np.asarray(y, float)
        n = len(x)
        check_farm_size(n, len(self.receptors.ids) if self.receptors is not None else 0, s)
        ids = list(ids) if ids is not None else [f"T{i + 1}" for i in range(n)]
        hubs = (
            np.full(n, self.turbine.hub_height_m) if hub_heights is None else np.asarray(hub_heights, float)
        )
        types = [self._turbine_at(h) for h in hubs]
        diam = np.array([t.rotor_diameter_m for t in types])
        tip = hubs + diam / 2.0
        progress.report(0.0, "wind at the turbines")
        wind = self.resource.at_turbines(x, y, self.crs, hubs)
        rho = (
            s.density_kg_m3
            if s.density_kg_m3 is not None
            else self.resource.density(float(hubs.mean()) if n else 0)
        )
        progress.report(0.1, "energy and wakes")
        energy = farm_energy(
            x, y, types, wind, density_kg_m3=rho, wake=s.wake, grid=s.grid, hours_per_year=s.hours_per_year
        )
        progress.report(0.5, "constraints")
        pts = shapely.points(x, y)
        rows = C.spacing_violations(
            ids,
            x,
            y,
            diam,
            self.prevailing_deg,
            downwind_d=s.spacing_downwind_d,
            crosswind_d=s.spacing_crosswind_d,
        )
        for target, (geoms, tids, tree, limit) in self._targets.items():
            rows += C.setback_violations(ids, pts, tip, target, geoms, limit, tids, tree)
        rec_layer = None
        if self.receptors is not None and n:
            r = self.receptors
            dist = shapely.distance(r.geoms[:, None], pts[None, :])
            lwa = np.array(
                [
                    t.sound_power_dba if t.sound_power_dba is not None else C.DEFAULT_SOUND_POWER_DBA
                    for t in types
                ]
            )
            rec = pd.DataFrame({"receptor": r.ids})
            rec_pts = shapely.centroid(r.geoms)
            if s.noise:
                contrib = C.noise_contributions(
                    dist,
                    hubs[None, :],
                    s.receptor_height_m,
                    lwa,
                    alpha_db_km=s.noise_alpha_db_km,
                    ground=s.noise_ground,
                )
                nrows, table = C.noise_violations(ids, r.ids, contrib, r.noise_class, rec_pts)
                rows += nrows
                rec = table
            if shadow if shadow is not None else s.shadow:
                if self.site_lonlat is None:
                    raise InputError(
                        "阴影闪烁计算需要场址经纬度",
                        "shadow flicker needs the site's longitude/latitude",
                        code="wind.shadow_site",
                    )
                progress.report(0.7, "shadow flicker")
                sun = C.sun_path(
                    round(self.site_lonlat[1], 3),
                    round(self.site_lonlat[0], 3),
                    year=s.shadow_year,
                    step_min=s.shadow_step_min,
                )
                hours, max_day = C.shadow_flicker(
                    np.c_[x, y, hubs],
                    diam / 2.0,
                    r.geoms,
                    s.receptor_height_m,
                    sun,
                    max_distance_m=C.SHADOW_MAX_DISTANCE_D * diam,
                )
                nearest = [ids[k] for k in np.argmin(dist, axis=1)]
                rows += C.shadow_violations(r.ids, hours, max_day, rec_pts, nearest)
                rec["shadow_h_yr"] = np.round(hours, 2)
                rec["shadow_max_min_day"] = np.round(max_day, 1)
            rec["nearest_turbine_m"] = np.round(dist.min(axis=1), 1)
            rec_layer = gpd.GeoDataFrame(rec, geometry=r.geoms, crs=self.crs)
        progress.report(0.9, "tables")
        viol = gpd.GeoDataFrame(
            pd.DataFrame(rows, columns=[*VIOLATION_COLUMNS, "geometry"]), geometry="geometry", crs=self.crs
        )
        per: dict[Hashable, list[dict]] = {i: [] for i in ids}
        for row in rows:
            per.setdefault(row["turbine"], []).append(row)
        text_en = [_summary_text(per[i], "en") for i in ids]
        text_zh = [_summary_text(per[i], "zh") for i in ids]
        flh = np.where(energy.rated_kw > 0, energy.aep_mwh * 1000.0 / np.maximum(energy.rated_kw, 1e-9), 0.0)
        tab = pd.DataFrame(
            {
                "turbine_id": ids,
                "turbine_type": [t.name for t in types],
                "hub_height_m": hubs,
                "rotor_diameter_m": diam,
                "rated_kw": energy.rated_kw,
                "mean_speed_ms": np.round(energy.mean_speed_ms, 3),
                "gross_aep_mwh": np.round(energy.gross_aep_mwh, 2),
                "aep_mwh": np.round(energy.aep_mwh, 2),
                "wake_loss_pct": np.round(energy.wake_loss_pct, 3),
                "cf": np.round(energy.cf, 4),
                "full_load_h": np.round(flh, 0),
                "n_violations": [len(per[i]) for i in ids],
                "violations": text_en,
                "violations_zh": text_zh,
            }
        )
        turbines = gpd.GeoDataFrame(tab, geometry=pts, crs=self.crs)
        totals = {
            **energy.totals(),
            "turbine": self.turbine.to_dict(),
            "prevailing_direction_deg": self.prevailing_deg,
            "spacing_rule_d": [s.spacing_downwind_d, s.spacing_crosswind_d],
            "receptors": 0 if self.receptors is None else len(self.receptors.ids),
            "receptor_source": None if self.receptors is None else self.receptors.source,
            "resource": self.resource.describe(),
        }
        if rec_layer is not None and "noise_dba" in rec_layer:
            totals["max_noise_dba"] = float(rec_layer["noise_dba"].max()) if len(rec_layer) else None
        progress.report(1.0, "done")
        return FarmResult(turbines, viol, rec_layer, totals, energy,
                          [*self.turbine.problems, *self.unchecked])


_RULE_LAYERS = {"buildings": ("setback_buildings_m", "建筑", "buildings"),
                "roads": ("setback_roads_m", "道路", "roads"),
                "boundary": ("setback_boundary_m", "园区红线", "park boundary")}


def _unchecked_rules(s: WindSettings, targets: dict, receptors) -> list[Problem]:
    """The rules asked for that could not be checked for want of their layer: without them "no
    violations" would claim more than was looked at."""
    out = []
    for key, (setting, zh, en) in _RULE_LAYERS.items():
        if key in targets:
            continue
        metres = getattr(s, setting)  # None: the tip height × the factor of setbacks.csv
        dist_zh = f"{metres:g} m" if metres else "按叶尖高度"
        dist_en = f"{metres:g} m" if metres else "from the tip height"
        out.append(Problem("warning", f"wind.unchecked_{key}",
                           f"没有{zh}图层：未检查{zh}退让（{dist_zh}）",
                           f"No {en} layer: the {en} setback ({dist_en}) was not checked"))
    if (s.noise or s.shadow) and (receptors is None or not len(receptors.ids)):
        out.append(Problem("warning", "wind.unchecked_receptors",
                           "没有噪声与阴影敏感点（宿舍、住宅、学校、医院）：未检查噪声和阴影闪烁",
                           "No noise/shadow receptors (dormitories, homes, schools, hospitals): noise "
                           "and shadow flicker were not checked"))
    return out


def _summary_text(rows: list[dict], lang: str) -> str:
    parts = []
    for r in rows:
        kind = KIND_ZH.get(r["kind"], r["kind"]) if lang == "zh" else r["kind"]
        other = (
            f" {r['other']}"
            if r["other"] is not None and not r["kind"].startswith("setback_boundary")
            else ""
        )
        parts.append(
            f"{kind}{other}: {r['value']:.4g} {r['unit']} < {r['limit']:.4g}"
            if r["kind"].startswith(("spacing", "setback"))
            else f"{kind}{other}: {r['value']:.4g} > {r['limit']:.4g} {r['unit']}"
        )
    return "; ".join(parts)


def _points_of(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    g = gdf.explode(index_parts=False) if (gdf.geom_type == "MultiPoint").any() else gdf
    kinds = set(g.geom_type.dropna())
    if not kinds <= {"Point"}:
        raise InputError(
            f"风机图层应为点，而不是 {', '.join(sorted(kinds))}",
            f"The turbine layer must hold points, not {', '.join(sorted(kinds))}",
            code="wind.not_points",
        )
    if g.geometry.isna().any() or g.geometry.is_empty.any():
        raise InputError(
            "风机图层有空几何", "The turbine layer has empty geometries", code="wind.empty_geometry"
        )
    return g.reset_index(drop=True)


def run_wind_farm(
    turbines: gpd.GeoDataFrame,
    turbine: Turbine,
    resource: WindResource,
    *,
    settings: WindSettings | None = None,
    buildings: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    boundary: gpd.GeoDataFrame | None = None,
    receptors: gpd.GeoDataFrame | None = None,
    progress: Progress = NO_PROGRESS,
) -> FarmResult:
    """The one-shot job: turbine points in any CRS (projected to the local metric CRS when
    geographic), optional per-turbine hub height field (hub_height_m / 轮毂高度) and id field."""
    from gis.crs import local_metric_crs

    if turbines.crs is None:
        raise InputError("风机图层没有坐标系", "The turbine layer has no CRS", code="wind.no_crs")
    pts = _points_of(turbines)
    if len(pts) == 0:
        raise InputError("风机图层没有风机", "The turbine layer has no turbines", code="wind.no_turbines")
    ll = pts.to_crs(4326).geometry
    lon, lat = float(ll.x.mean()), float(ll.y.mean())
    work = pts.crs if pts.crs.is_projected else local_metric_crs(lon, lat)
    pts = pts.to_crs(work)
    layers = {
        k: (None if v is None else v.to_crs(work))
        for k, v in (
            ("buildings", buildings),
            ("roads", roads),
            ("boundary", boundary),
            ("receptors", receptors),
        )
    }
    hf = _field(pts.columns, "hub_height_m", "hub_height", "轮毂高度", "hub")
    hubs = None
    if hf is not None:
        hubs = pd.to_numeric(pts[hf], errors="coerce").fillna(turbine.hub_height_m).to_numpy(float)
    progress.report(0.05, "preparing")
    model = WindFarmModel(turbine, resource, crs=work, settings=settings, site_lonlat=(lon, lat), **layers)
    res = model.evaluate(
        pts.geometry.x.to_numpy(),
        pts.geometry.y.to_numpy(),
        ids=_ids(pts, "T"),
        hub_heights=hubs,
        progress=progress.sub(0.1, 1.0),
    )
    keep = [c for c in pts.columns if c != pts.geometry.name and c not in res.turbines.columns]
    if keep:
        res.turbines = gpd.GeoDataFrame(
            pd.concat([pts[keep].reset_index(drop=True), res.turbines], axis=1), geometry="geometry", crs=work
        )
    res.totals["work_crs"] = work.to_string()
    return res


# --------------------------------------------------------------------------------------------
# The sample park
# --------------------------------------------------------------------------------------------

DEMO_TURBINE = "ghrepower_fd21_50"
"""A Chinese 50 kW-class turbine (resources/wind/turbines), typical of distributed wind in parks."""
DEMO_MIN_DORMITORY_M = 200.0  # keep the default 104 dB(A) under the class-2 night limit (~150 m)


def demo_turbines(park, n: int = 3) -> gpd.GeoDataFrame:
    """Two or three positions in the sample park: inside the boundary setback, clear of every
    building's setback, as far from the dormitories as possible and near the boundary, 8 rotor
    diameters apart. Deterministic (a 10 m candidate grid)."""
    from gis.wind.turbines import load_turbine

    t = load_turbine(DEMO_TURBINE)
    f = setback_factors_for(t)
    b = park.buildings
    inner = park.boundary.geometry.union_all().buffer(-f["boundary"] * 1.05)
    if inner.is_empty:
        raise InputError("园区太小，放不下风机", "The park is too small for a turbine", code="wind.demo")
    x0, y0, x1, y1 = inner.bounds
    gx, gy = np.meshgrid(np.arange(x0, x1, 10.0), np.arange(y0, y1, 10.0))
    cand = shapely.points(gx.ravel(), gy.ravel())
    cand = cand[shapely.contains(inner, cand)]
    tree = shapely.STRtree(b.geometry.to_numpy())
    _, d_b = tree.query_nearest(cand, return_distance=True, all_matches=False)
    cand = cand[d_b >= f["buildings"] * 1.05]
    sens = sensitive_buildings(b)
    if sens.any():
        dorm = shapely.STRtree(b.geometry.to_numpy()[sens])
        _, d_d = dorm.query_nearest(cand, return_distance=True, all_matches=False)
    else:
        d_d = np.full(len(cand), 1e6)
    ok = d_d >= DEMO_MIN_DORMITORY_M
    cand, d_d = cand[ok], d_d[ok]
    if len(cand) == 0:
        raise InputError(
            "示例园区内找不到满足退让的风机位置",
            "No turbine position in the sample park meets the setbacks",
            code="wind.demo",
        )
    edge = shapely.distance(cand, park.boundary.geometry.union_all().boundary)
    score = np.minimum(d_d, 600.0) - 0.5 * edge
    order = np.argsort(-score, kind="stable")
    chosen: list = []
    for i in order:
        p = cand[i]
        if all(shapely.distance(p, q) >= 8.0 * t.rotor_diameter_m for q in chosen):
            chosen.append(p)
        if len(chosen) == n:
            break
    return gpd.GeoDataFrame(
        {
            "turbine_id": [f"WT{i + 1}" for i in range(len(chosen))],
            "hub_height_m": [t.hub_height_m] * len(chosen),
        },
        geometry=chosen,
        crs=park.crs,
    )


def setback_factors_for(turbine: Turbine) -> dict[str, float]:
    """Default setback distances (m) of a turbine type: tip height × the setbacks.csv factors."""
    return {k: v * turbine.tip_height_m for k, v in C.setback_factors().items()}


def demo_resource(park) -> WindResource:
    """The sample park's wind: the built-in CSWD climatology's annual mean 10 m speed at the site
    as a Rayleigh distribution (k = 2), uniform directions, log-law shear over suburban/industrial
    roughness (z0 = 0.4 m); temperature and altitude of the climatology for the air density."""
    from scipy.special import gamma

    from gis.solar.climatology import site_monthly
    from gis.wind.resource import EPW_HEIGHT_M, WindClimate, shear_for

    c = park.boundary.to_crs(4326).geometry.union_all().centroid
    sm = site_monthly(c.x, c.y)
    a = sm.wind_ms / gamma(1.5)
    climate = WindClimate.uniform(
        a,
        2.0,
        EPW_HEIGHT_M,
        12,
        source=(
            f"内置气候表 built-in CSWD climatology: annual mean {sm.wind_ms:.2f} m/s at 10 m, "
            "Rayleigh (k = 2), uniform directions"
        ),
        altitude_m=sm.altitude_m,
        temperature_c=float(np.mean(sm.temp_air_c)),
        lonlat=(c.x, c.y),
    )
    return WindResource(climate, shear_for("suburban"))


def wind_for_demo(park, progress: Progress = NO_PROGRESS) -> tuple[gpd.GeoDataFrame, dict]:
    """Demo turbines with their results: (turbine layer, summary dict incl. violations rows)."""
    from gis.wind.turbines import load_turbine

    progress.report(0.0, "siting demo turbines")
    pts = demo_turbines(park)
    res = run_wind_farm(
        pts,
        load_turbine(DEMO_TURBINE),
        demo_resource(park),
        buildings=park.buildings,
        boundary=park.boundary,
        progress=progress.sub(0.2, 1.0),
    )
    return res.turbines, res.summary()
