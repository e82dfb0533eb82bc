"""PV arrays on open ground or car parks: array area → exclusion zones → rows → tables.

Vectorised with shapely 2: the usable area is the array area inset from its boundary minus
buffers around roads, buildings and user zones; candidate table rectangles are generated on a
grid rotated to the array azimuth and kept where the usable polygon contains them (one
vectorised ``contains`` call); tables are packed along each row greedily from the row's start,
one pick per row per step (the loop runs over "the k-th table of every row", never over
tables). Row pitch comes from the winter-solstice 9:00–15:00 rule at the site
(:func:`gis.solar.layout.rows_gcr`) or a user GCR. Defaults and their sources: docs/pv-array.md.

Frame: azimuth γ in degrees clockwise from north (180 = south) is the direction the modules
face. Local coordinates u (along the rows) and v (across the rows, increasing towards the back,
away from the facing direction); a table covers u ∈ [u0, u0 + width], v ∈ [v0, v0 + depth]
with its low edge at v0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress
from gis.solar.layout import LayoutSettings, ModuleSpec, rows_gcr

MODULES_UP = 2
MODULES_ALONG = 14
"""Default table: 2 modules up the slope in portrait × 14 along the row (28 modules, "2P"), the
common fixed-tilt table of Chinese ground plants (one or two strings per table; engineering
practice, unverified; string sizing is the designer's)."""
MODULE_GAP_M = 0.02
"""Gap between modules on a table (m): clamp gap of 10–20 mm in module installation manuals."""
TABLE_GAP_M = 0.5
"""Gap between neighbouring tables along a row (m): engineering judgement (expansion, access)."""
CLEARANCE_M = 0.5
"""Height of the tables' low edge above ground (m): engineering judgement (vegetation, splash,
snow); used for the sample points of neighbour shading, not for the row pitch (rows on level
ground shade each other by the table's own rise)."""
BOUNDARY_SETBACK_M = 2.0
"""Inset from the array boundary (m): fence and perimeter path; engineering judgement, editable."""
BUILDING_SETBACK_M = 5.0
"""Clear distance from building footprints (m): access and fire path; engineering judgement
(local fire rules may ask more); shading by buildings is computed, not covered by this."""
ROAD_SETBACK_M = 5.0
"""Clear distance from road centrelines (m): half a 7 m two-lane road plus a 1.5 m verge;
engineering judgement — give the real distance for wider roads."""
FINE_STEPS = 4
"""Candidate start positions per table pitch along a row: tables snap to a grid of a quarter
table, so a row split by an exclusion restarts within a quarter table of the gap's end."""
ROW_PHASES = 4
"""Row grid offsets tried across the rows (0, ¼, ½, ¾ of the pitch); the one holding most
tables is kept."""
CANDIDATE_CHUNK = 100_000
"""Candidate tables tested per vectorised call (~40 MB of rectangles; 1 km² holds ~120,000)."""
EDGE_EPS_M = 1e-6
"""Candidate tables start this far (m) inside the row strip, so a table that exactly fits
between two edges is not lost to rounding in the rotation to the row frame."""
BUFFER_QUAD_SEGS = 8
"""Segments per quarter circle of buffers; distances are enlarged by 1/cos(π/4/8) (+0.5%) so
the polygon circumscribes the true buffer and no table comes closer than the set distance."""


@dataclass(frozen=True)
class TableSpec:
    """One mounting table (rack): ``modules_up`` modules up the slope × ``modules_along`` along
    the row, in portrait (module length up the slope) or landscape, with ``module_gap_m``
    between modules."""

    module: ModuleSpec = field(default_factory=ModuleSpec)
    orientation: str = "portrait"
    modules_up: int = MODULES_UP
    modules_along: int = MODULES_ALONG
    module_gap_m: float = MODULE_GAP_M

    def __post_init__(self):
        LayoutSettings(module=self.module)  # the module plausibility checks (size, W/m²)
        if self.orientation not in ("portrait", "landscape"):
            raise InputError(f"组件方向应为 portrait（竖排）或 landscape（横排），而不是“{self.orientation}”",
                             f"Orientation must be portrait or landscape, not '{self.orientation}'",
                             code="pv_array.orientation")
        if not (1 <= self.modules_up <= 10 and 1 <= self.modules_along <= 200):
            raise InputError(
                f"每个支架的组件数 {self.modules_up}x{self.modules_along} 不合理"
                "（上下 1–10 块，沿排 1–200 块）",
                f"{self.modules_up}x{self.modules_along} modules per table is implausible (1–10 up the "
                "slope, 1–200 along the row)", code="pv_array.table")
        if not 0 <= self.module_gap_m <= 0.5:
            raise InputError("组件间隙应在 0–0.5 米", "the module gap must be within 0–0.5 m",
                             code="pv_array.table")

    @property
    def slant_m(self) -> float:
        """Table length up the slope (m): the collector width of the row."""
        side = self.module.length_m if self.orientation == "portrait" else self.module.width_m
        return self.modules_up * side + (self.modules_up - 1) * self.module_gap_m

    @property
    def width_m(self) -> float:
        """Table length along the row (m)."""
        side = self.module.width_m if self.orientation == "portrait" else self.module.length_m
        return self.modules_along * side + (self.modules_along - 1) * self.module_gap_m

    @property
    def modules(self) -> int:
        return self.modules_up * self.modules_along

    @property
    def kwp(self) -> float:
        return self.modules * self.module.power_w / 1000.0


@dataclass(frozen=True)
class RowGeometry:
    """Rows of one array: orientation, table, pitch and the GCRs.

    depth_m: plan depth of a table (slant × cos tilt); rise_m: height of its top edge above its
    low edge; pitch_m: row-to-row distance (front edge to front edge, m); gcr: slant / pitch;
    gcr_rule: the GCR of the winter-solstice 9:00–15:00 rule (None where the rule has no answer);
    gcr_source: 'winter-solstice rule' or 'user'.
    """

    table: TableSpec
    tilt_deg: float
    azimuth_deg: float
    pitch_m: float
    gcr: float
    gcr_rule: float | None
    gcr_source: str
    clearance_m: float = CLEARANCE_M

    @property
    def depth_m(self) -> float:
        return self.table.slant_m * float(np.cos(np.radians(self.tilt_deg)))

    @property
    def rise_m(self) -> float:
        return self.table.slant_m * float(np.sin(np.radians(self.tilt_deg)))

    @property
    def clear_m(self) -> float:
        """Clear distance between a row's top edge and the next row's low edge (plan, m)."""
        return self.pitch_m - self.depth_m

    @property
    def centre_height_m(self) -> float:
        """Height above ground of the middle of a table (m): its shading sample point."""
        return self.clearance_m + self.rise_m / 2.0


def row_geometry(table: TableSpec, tilt_deg: float, azimuth_deg: float, latitude_deg: float,
                 gcr: float | None = None, clearance_m: float = CLEARANCE_M) -> RowGeometry:
    """Row pitch from the winter-solstice 9:00–15:00 no-shading rule at ``latitude_deg`` (the
    rooftop engine's :func:`~gis.solar.layout.rows_gcr`: pitch = slant × (cos β + k sin β), k
    the largest shadow reach per metre of height, from the exact sun position), or from a user
    ``gcr`` (slant / pitch)."""
    if not 0 <= tilt_deg <= 75:
        raise InputError("阵列倾角应在 0–75°", "the array tilt must be within 0–75°", code="pv_array.tilt")
    if not 0 <= azimuth_deg <= 360:
        raise InputError("方位角应在 0–360°（正南 180°）", "azimuth must be within 0–360° (south = 180°)",
                         code="pv_array.azimuth")
    if gcr is not None and not 0.1 <= gcr <= 1.0:
        raise InputError("地面覆盖率 GCR 应在 0.1–1.0", "GCR must be within 0.1–1.0", code="pv_array.gcr")
    if not 0 <= clearance_m <= 10:
        raise InputError("支架离地高度应在 0–10 米", "the ground clearance must be within 0–10 m",
                         code="pv_array.clearance")
    rule: float | None
    try:
        rule = rows_gcr(tilt_deg, latitude_deg, azimuth_deg) if tilt_deg > 0 else 1.0
    except InputError:
        if gcr is None:
            raise
        rule, used = None, gcr
    else:
        used = gcr if gcr is not None else rule
    return RowGeometry(table, float(tilt_deg), float(azimuth_deg), table.slant_m / used, float(used),
                       rule, "user" if gcr is not None else "winter-solstice rule", float(clearance_m))


@dataclass(frozen=True)
class Exclusion:
    """Features the array keeps ``distance_m`` away from (any geometry type, in the array's
    CRS). kind: 'road', 'building' or 'user'; label: shown in the zones layer (e.g. a file
    name)."""

    geoms: np.ndarray
    distance_m: float
    kind: str = "user"
    label: str = ""

    def __post_init__(self):
        if not 0 <= self.distance_m <= 1000:
            raise InputError(f"排除距离 {self.distance_m:g} 米应在 0–1000 米",
                             f"The exclusion distance {self.distance_m:g} m must be within 0–1000 m",
                             code="pv_array.exclusion")


@dataclass
class UsableArea:
    """The array area (``gross``: union of the input polygons, ``parts``: the input polygons),
    what is left for tables (``usable``) and the exclusion zones by kind (``zones``: kind,
    label, distance_m, zone_m2 within the area, geometry)."""

    parts: np.ndarray
    gross: shapely.Geometry
    usable: shapely.Geometry
    zones: pd.DataFrame


def metric_frame(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The array area in its metric CRS (:func:`gis.crs.metric_frame`)."""
    from gis.crs import metric_frame as frame

    return frame(gdf, what_zh="阵列范围", what_en="The array area")


def centre_lonlat(geom: shapely.Geometry, crs) -> tuple[float, float]:
    """Longitude and latitude (deg) of the centre of ``geom``'s extent."""
    x0, y0, x1, y1 = shapely.bounds(geom)
    tr = Transformer.from_crs(CRS(crs), "EPSG:4326", always_xy=True)
    lon, lat = tr.transform((x0 + x1) / 2, (y0 + y1) / 2)
    return float(lon), float(lat)


def area_polygons(area: gpd.GeoDataFrame) -> np.ndarray:
    """The array area's polygons (repaired, empty dropped); InputError for lines, points or
    nothing."""
    g = np.asarray(area.geometry.array)
    g = g[~(shapely.is_missing(g) | shapely.is_empty(g))]
    kinds = shapely.get_type_id(g)
    if g.size == 0 or not np.isin(kinds, (3, 6)).all():
        raise InputError("阵列范围应为面要素（多边形）：请画出或导入一个面",
                         "The array area must be polygons: draw or import a polygon", code="pv_array.area")
    g = shapely.make_valid(g)
    parts, idx = shapely.get_parts(g, return_index=True)
    parts, sub = shapely.get_parts(parts, return_index=True)  # collections from make_valid
    idx = idx[sub]
    poly = shapely.get_type_id(parts) == 3
    parts, idx = parts[poly], idx[poly]
    g = shapely.multipolygons(parts, indices=idx) if parts.size else np.zeros(0, object)
    g = np.asarray(g, dtype=object).reshape(-1)
    g = g[~shapely.is_empty(g)]
    if g.size == 0:
        raise InputError("阵列范围面积为零", "The array area has no area", code="pv_array.area")
    if shapely.area(g).sum() <= 0:
        raise InputError("阵列范围面积为零", "The array area has no area", code="pv_array.area")
    return g


def _inflate(distance_m: float) -> float:
    """Buffer distance that keeps the polygonal buffer outside the true one (see BUFFER_QUAD_SEGS)."""
    return distance_m / np.cos(np.pi / 4 / BUFFER_QUAD_SEGS)


def usable_area(parts: np.ndarray, exclusions: Sequence[Exclusion] = (),
                boundary_setback_m: float = BOUNDARY_SETBACK_M) -> UsableArea:
    """The array area ``parts`` (metric polygons) inset by ``boundary_setback_m`` minus every
    exclusion buffered by its distance. Only features within reach of the area are buffered."""
    if not 0 <= boundary_setback_m <= 500:
        raise InputError("边界退让应在 0–500 米", "the boundary setback must be within 0–500 m",
                         code="pv_array.setback")
    gross = shapely.union_all(parts)
    inset = shapely.buffer(gross, -_inflate(boundary_setback_m), quad_segs=BUFFER_QUAD_SEGS) \
        if boundary_setback_m > 0 else gross
    env = shapely.envelope(gross)
    zones, removed = [], []
    if boundary_setback_m > 0:
        zones.append(("boundary", "", boundary_setback_m, shapely.difference(gross, inset)))
    for ex in exclusions:
        g = np.asarray(ex.geoms, dtype=object).reshape(-1)
        g = g[~(shapely.is_missing(g) | shapely.is_empty(g))]
        if g.size == 0:
            continue
        near = shapely.STRtree(g).query(shapely.buffer(env, ex.distance_m + 1.0, join_style="mitre"))
        if near.size == 0:
            continue
        g = g[near]
        buf = shapely.buffer(g, _inflate(ex.distance_m), quad_segs=BUFFER_QUAD_SEGS) if ex.distance_m > 0 \
            else g
        buf = buf[np.isin(shapely.get_type_id(buf), (3, 6))]  # a 0 m buffer of lines removes nothing
        if buf.size == 0:
            continue
        zone = shapely.union_all(buf)
        removed.append(zone)
        zones.append((ex.kind, ex.label, ex.distance_m, shapely.intersection(zone, gross)))
    usable = shapely.difference(inset, shapely.union_all(removed)) if removed else inset
    usable = shapely.make_valid(usable)
    polys = shapely.get_parts(usable)
    polys = polys[np.isin(shapely.get_type_id(polys), (3,)) & (shapely.area(polys) > 0)]
    usable = shapely.multipolygons(polys) if polys.size else shapely.MultiPolygon()
    z = pd.DataFrame(zones, columns=["kind", "label", "distance_m", "geometry"])
    z["zone_m2"] = shapely.area(z["geometry"].to_numpy()) if len(z) else []
    return UsableArea(parts=parts, gross=gross, usable=usable, zones=z)


CANDIDATE_BYTES = 120
"""Peak working memory per candidate table (bytes) of the whole array job (layout, yield,
layers): 119 measured (963 MB for the 8.1 million candidates and 505,421 tables of a
10 × 10 km square). The padded (strip, position) grid of the packing adds 16 per cell."""


def _check_size(candidates: int, grid_cells: int, local: shapely.Geometry) -> None:
    """InputError before the candidate arrays are allocated when they would not fit in memory
    (:func:`gis.limits.check_memory`): a huge array area, or an outline whose row strips span
    far more ground than it covers."""
    from gis.limits import check_memory, memory_limit_bytes

    need = candidates * CANDIDATE_BYTES + grid_cells * 16.0
    km2 = shapely.area(local) / 1e6
    # the area that fits, at this area's candidates per km² (for the advice)
    fits = km2 * memory_limit_bytes() / need if need > 0 else km2
    fits_text = f"{fits:,.0f}" if fits >= 10 else f"{fits:.2g}"
    check_memory(need, what_zh=f"在 {km2:,.1f} 平方公里的可用阵列范围内布置 {candidates:,} 个候选支架位置",
                 what_en=f"Laying out {candidates:,} candidate table positions in {km2:,.1f} km² of usable "
                         "array area",
                 fix_zh=f"请把阵列范围分成若干块（每块约 {fits_text} 平方公里以内）分别布置",
                 fix_en=f"split the array area into parts (each within about {fits_text} km²) and lay "
                        "them out one by one", code="pv_array.too_big")


@dataclass
class TableGrid:
    """Tables laid out: rectangles (world CRS), their row (1 = front), start along the row (u, m),
    centre (x, y) and whether a table stands in front of them (row-to-row shading)."""

    geoms: np.ndarray
    row: np.ndarray
    u_m: np.ndarray
    centre_xy: np.ndarray
    has_front: np.ndarray
    candidates: int


def _frame(azimuth_deg: float) -> np.ndarray:
    """2×2 matrix whose columns are the local axes (u along the rows, v towards the back) in
    world coordinates: local = (world − origin) @ M, world = local @ M.T + origin."""
    g = np.radians(azimuth_deg)
    a = np.array([-np.cos(g), np.sin(g)])   # along the row (east for south-facing rows)
    b = np.array([-np.sin(g), -np.cos(g)])  # away from the facing direction (north for south)
    return np.column_stack([a, b])


def layout_tables(usable: shapely.Geometry, rows: RowGeometry, *, table_gap_m: float = TABLE_GAP_M,
                  phases: int = ROW_PHASES, progress: Progress = NO_PROGRESS) -> TableGrid:
    """Tables inside ``usable`` (metric polygon(s)) on rows of ``rows``.

    Rows run across the usable area's extent at ``rows.pitch_m``; ``phases`` offsets of the
    row grid are tried and the one holding most tables kept. In each row, candidate starts
    every (width + gap) / FINE_STEPS along the part of the row strip inside the area are tested
    at once with ``shapely.contains``; tables are then packed greedily from the row's start
    (the next table at the first valid start at least a table pitch further on).
    """
    if not 0 <= table_gap_m <= 50:
        raise InputError("支架间距应在 0–50 米", "the gap between tables must be within 0–50 m",
                         code="pv_array.table_gap")
    empty = TableGrid(np.zeros(0, object), np.zeros(0, np.int64), np.zeros(0), np.zeros((0, 2)),
                      np.zeros(0, bool), 0)
    if usable is None or shapely.is_empty(usable) or shapely.area(usable) <= 0:
        return empty
    width, depth, pitch = rows.table.width_m, rows.depth_m, rows.pitch_m
    step_u = (width + table_gap_m) / FINE_STEPS
    m = np.asarray(_frame(rows.azimuth_deg))
    x0, y0, x1, y1 = shapely.bounds(usable)
    origin = np.array([(x0 + x1) / 2.0, (y0 + y1) / 2.0])
    local = shapely.transform(usable, lambda c: (c - origin) @ m)
    shapely.prepare(local)
    u0, v0, u1, v1 = shapely.bounds(local)
    n_rows = int(np.floor((v1 - v0 - depth - 2 * EDGE_EPS_M) / pitch)) + 1
    if n_rows <= 0 or u1 - u0 < width + 2 * EDGE_EPS_M:
        return empty
    progress.report(0.05, "rows")
    # rows of every phase: front edges, then the part of each row strip inside the area
    n_ph = max(1, int(phases))
    offs = np.arange(n_ph) / n_ph * pitch + EDGE_EPS_M
    ph = np.repeat(np.arange(n_ph), n_rows + 1)
    ri = np.tile(np.arange(n_rows + 1), n_ph)
    vf = v0 + offs[ph] + ri * pitch
    ok = vf + depth <= v1 - EDGE_EPS_M
    ph, ri, vf = ph[ok], ri[ok], vf[ok]
    strips = shapely.box(u0 - 1.0, vf, u1 + 1.0, vf + depth)
    inside = shapely.intersection(local, strips)
    sb = shapely.bounds(inside)
    has = np.isfinite(sb[:, 0]) & (sb[:, 2] - sb[:, 0] >= width + 2 * EDGE_EPS_M)
    ph, ri, vf, sb = ph[has], ri[has], vf[has], sb[has]
    progress.report(0.2, "candidate tables")
    # candidate starts per row strip (ragged → flat)
    n_pos = np.floor((sb[:, 2] - sb[:, 0] - width - 2 * EDGE_EPS_M) / step_u).astype(np.int64) + 1
    _check_size(int(n_pos.sum()), len(vf) * (int(n_pos.max()) + 1 if len(n_pos) else 0), local)
    strip_of = np.repeat(np.arange(len(vf)), n_pos)
    j = np.arange(strip_of.size) - np.repeat(np.cumsum(n_pos) - n_pos, n_pos)
    u = sb[strip_of, 0] + EDGE_EPS_M + j * step_u
    v = vf[strip_of]
    valid = np.zeros(u.size, bool)
    for c0 in range(0, u.size, CANDIDATE_CHUNK):  # bounded memory; a cancel point per chunk
        c1 = min(u.size, c0 + CANDIDATE_CHUNK)
        cand = shapely.box(u[c0:c1], v[c0:c1], u[c0:c1] + width, v[c0:c1] + depth)
        valid[c0:c1] = shapely.contains(local, cand)
        progress.report(0.2 + 0.5 * c1 / u.size, "candidate tables")
    progress.report(0.7, "packing tables")
    # greedy packing per strip on a padded (strip, position) grid
    n_strips, max_pos = len(vf), int(n_pos.max()) if len(n_pos) else 0
    big = np.iinfo(np.int64).max // 4
    grid = np.full((n_strips, max_pos + 1), big, np.int64)
    grid[strip_of[valid], j[valid]] = j[valid]
    nxt = np.minimum.accumulate(grid[:, ::-1], axis=1)[:, ::-1]  # first valid start at or after
    cur = nxt[:, 0]
    picks_s, picks_j = [], []
    strips_idx = np.arange(n_strips)
    while True:
        live = cur < big
        if not live.any():
            break
        picks_s.append(strips_idx[live])
        picks_j.append(cur[live])
        after = np.minimum(cur + FINE_STEPS, max_pos)
        cur = np.where(live & (cur + FINE_STEPS <= max_pos), nxt[strips_idx, after], big)
    if not picks_s:
        return empty
    ps, pj = np.concatenate(picks_s), np.concatenate(picks_j)
    # best phase
    counts = np.bincount(ph[ps], minlength=n_ph)
    best = int(np.argmax(counts))
    keep = ph[ps] == best
    ps, pj = ps[keep], pj[keep]
    order = np.lexsort((pj, ri[ps]))
    ps, pj = ps[order], pj[order]
    tu = sb[ps, 0] + EDGE_EPS_M + pj * step_u
    tv = vf[ps]
    row = ri[ps] - ri[ps].min() + 1
    progress.report(0.85, "tables")
    # a table has one in front where the previous row holds a table overlapping it along u
    key_span = (u1 - u0) + 4 * width + 10.0
    key_start = row * key_span + (tu - u0)
    prev = np.searchsorted(key_start, (row - 1) * key_span + (tu - u0) + width, side="left") - 1
    prev_ok = prev >= 0
    prev_c = np.where(prev_ok, prev, 0)
    has_front = prev_ok & (row[prev_c] == row - 1) & (tu[prev_c] + width > tu + 1e-6)
    rect = shapely.box(tu, tv, tu + width, tv + depth)
    world = shapely.transform(rect, lambda c: c @ m.T + origin)
    centre_local = np.column_stack([tu + width / 2.0, tv + depth / 2.0])
    centre = centre_local @ m.T + origin
    progress.report(1.0, "tables")
    return TableGrid(world, row.astype(np.int64), tu - u0, centre, has_front, int(u.size))


@dataclass
class ArrayLayout:
    """Tables (GeoDataFrame: table_id, row, modules, kwp, plan_m2, collector_m2, has_front,
    area_id, geometry), the usable area, the rows, and what was noticed."""

    tables: gpd.GeoDataFrame
    usable: UsableArea
    rows: RowGeometry
    problems: list[Problem]
    candidates: int

    def totals(self) -> dict:
        """Layout figures (JSON-ready): counts, capacity, areas, GCRs, land use."""
        from gis.park import M2_PER_MU

        t, r, ua = self.tables, self.rows, self.usable
        kwp = float(t["kwp"].sum())
        gross = float(shapely.area(ua.gross))
        usable = float(shapely.area(ua.usable))
        collector = float(t["collector_m2"].sum())
        return {
            "tables": len(t), "modules": int(t["modules"].sum()), "kwp": round(kwp, 2),
            "mwp": round(kwp / 1000.0, 4), "modules_per_table": r.table.modules,
            "table": f"{r.table.modules_up}x{r.table.modules_along} {r.table.orientation}",
            "table_m": [round(r.table.width_m, 3), round(r.table.slant_m, 3)],
            "module_w": r.table.module.power_w,
            "module_m": [r.table.module.length_m, r.table.module.width_m],
            "tilt_deg": r.tilt_deg, "azimuth_deg": r.azimuth_deg,
            "pitch_m": round(r.pitch_m, 3), "clear_m": round(r.clear_m, 3),
            "gcr": round(r.gcr, 4), "gcr_source": r.gcr_source,
            "gcr_rule": round(r.gcr_rule, 4) if r.gcr_rule is not None else None,
            "area_m2": round(gross, 1), "usable_m2": round(usable, 1),
            "layout_gcr": round(collector / usable, 4) if usable else 0.0,
            "ground_coverage": round(float(t["plan_m2"].sum()) / gross, 4) if gross else 0.0,
            "m2_per_kwp": round(gross / kwp, 2) if kwp else None,
            "usable_m2_per_kwp": round(usable / kwp, 2) if kwp else None,
            "mu_per_mw": round(gross / M2_PER_MU / (kwp / 1000.0), 2) if kwp else None,
            "wp_per_m2": round(kwp * 1000.0 / gross, 1) if gross else 0.0,
            "exclusions": {str(k): round(float(g["zone_m2"].sum()), 1)
                           for k, g in ua.zones.groupby("kind")} if len(ua.zones) else {},
        }


def array_layout(parts: np.ndarray, crs, rows: RowGeometry, exclusions: Sequence[Exclusion] = (), *,
                 boundary_setback_m: float = BOUNDARY_SETBACK_M, table_gap_m: float = TABLE_GAP_M,
                 phases: int = ROW_PHASES, progress: Progress = NO_PROGRESS) -> ArrayLayout:
    """Usable area and tables of an array: ``parts`` are the area polygons in the metric CRS
    ``crs`` (see :func:`area_polygons`, :func:`metric_frame`)."""
    progress.report(0.0, "usable area")
    ua = usable_area(parts, exclusions, boundary_setback_m)
    progress.report(0.3, "tables")
    grid = layout_tables(ua.usable, rows, table_gap_m=table_gap_m, phases=phases,
                         progress=progress.sub(0.3, 1.0))
    n = len(grid.geoms)
    table = rows.table
    owner = np.full(n, -1, np.int64)
    if n:
        ti, pi = shapely.STRtree(parts).query(shapely.points(grid.centre_xy), predicate="intersects")
        owner[ti] = pi  # the input polygon holding each table's centre (last one if they overlap)
    tables = gpd.GeoDataFrame({
        "table_id": np.arange(1, n + 1, dtype=np.int64), "row": grid.row,
        "area_id": owner + 1, "modules": np.full(n, table.modules, np.int64),
        "kwp": np.full(n, table.kwp), "tilt_deg": np.full(n, rows.tilt_deg),
        "azimuth_deg": np.full(n, rows.azimuth_deg),
        "plan_m2": np.full(n, table.width_m * rows.depth_m),
        "collector_m2": np.full(n, table.width_m * table.slant_m),
        "has_front": grid.has_front}, geometry=gpd.GeoSeries(grid.geoms, crs=crs), crs=crs)
    problems: list[Problem] = []
    if n == 0:
        problems.append(Problem(
            "warning", "pv_array.no_tables",
            "阵列范围内放不下任何支架：范围太小，或退让与排除区占满了它",
            "No table fits in the array area: it is too small, or the setbacks and exclusion zones "
            "cover it", []))
    if rows.gcr_rule is not None and rows.gcr > rows.gcr_rule + 1e-6:
        problems.append(Problem(
            "warning", "pv_array.dense_rows",
            f"GCR {rows.gcr:g} 大于冬至日 9–15 时不遮挡的 {rows.gcr_rule:.2f}：前后排遮挡已按一维"
            "阴影模型计入（row_shade_loss_pct）",
            f"GCR {rows.gcr:g} is denser than {rows.gcr_rule:.2f} (no shading 9:00–15:00 at the "
            "winter solstice): row-to-row shading is modelled (row_shade_loss_pct)", []))
    progress.report(1.0, "layout done")
    return ArrayLayout(tables, ua, rows, problems, grid.candidates)
