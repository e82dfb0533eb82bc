"""Roof layouts: roof class, usable area, row spacing, module count and capacity per building.

Everything is vectorised over buildings (shapely 2 array functions); the only loops are over
the three roof classes. Default values come from the tables in ``resources/defaults``
(``roof_classes.csv``, ``roof_class_by_use.csv``, ``nea_2021_rooftop_shares.csv``), each row
with its source.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.defaults import MODULE_LENGTH_M, MODULE_POWER_W, MODULE_WIDTH_M
from gis.errors import InputError, Problem, problems_for
from gis.fields import find_field
from gis.paths import resources_dir
from gis.progress import NO_PROGRESS, Progress
from gis.solar.envelope import envelope_sides
from gis.solar.inset import mitre_inset
from gis.solar.roof_deductions import (
    DEDUCTION_ORDER,
    DeductionOverrides,
    block_dims_m,
    deduct,
    default_deduction_table,
    per_building,
    read_deduction_table,
)
from gis.solar.shading import CHUNK_GEOMS

ROOF_CLASSES = ("flat", "metal", "pitched")
WINTER_SOLSTICE_DECLINATION_DEG = -23.44
"""Solar declination at the December solstice (= −obliquity of the ecliptic, 23.44° for 2000–2030)."""
SPACING_HOURS = (9.0, 15.0)
"""Rows must not shade each other from 9:00 to 15:00 true solar time on the winter solstice
(GB 50797-2012 光伏发电站设计规范 §6.6)."""
FACE_MAX_OFF_SOUTH_DEG = 100.0
"""Pitched-roof planes facing more than this from south are left empty (common practice)."""
BREAKDOWN_COLUMNS = ("setback_m2", *DEDUCTION_ORDER, "other_m2")
"""Where a roof's area goes besides ``usable_m2`` (surface m², adding up to ``roof_m2``): the edge
setback, the deductions of :mod:`gis.solar.roof_deductions`, and ``other_m2`` (parts covered by
higher building parts, pitched planes facing north, roofs below the minimum usable area)."""


@dataclass(frozen=True)
class ModuleSpec:
    """A PV module. Default: a current 144-half-cell TOPCon module, 2,278 × 1,134 mm, 575 W
    (2.58 m², 222.6 W/m²; DOMAIN.md §5: 550–580 W on 2.58 m²)."""

    power_w: float = MODULE_POWER_W
    length_m: float = MODULE_LENGTH_M
    width_m: float = MODULE_WIDTH_M

    @property
    def area_m2(self) -> float:
        return self.length_m * self.width_m

    @property
    def w_per_m2(self) -> float:
        return self.power_w / self.area_m2


@dataclass(frozen=True)
class LayoutSettings:
    """How roofs are laid out.

    setback_m: clear edge strip (fire access, wind zones, parapet shade), a negative buffer of
        the footprint, for every roof; None = per roof class (roof_deductions.csv: flat 2 m,
        metal and pitched 1 m).
    min_usable_m2: roofs with less usable area get no array (about 10 modules; engineering
        judgement, editable).
    flat_tilt_deg: module tilt on flat roofs (roof_classes.csv).
    flat_gcr: ground-coverage ratio for flat-roof rows (module slant length / row pitch); None
        = from the winter-solstice 9:00–15:00 rule at the site.
    forced_tilt_deg, forced_azimuth_deg: one tilt/azimuth for every roof in the run (azimuth
        degrees clockwise from north, 180 = south); pitched and metal roofs become one plane.
    equipment_share: share of the set-back roof lost to equipment per roof class (overrides).
    deductions: values of :mod:`gis.solar.roof_deductions` set for every roof class.
    deductions_table: a roof deduction table replacing resources/defaults/roof_deductions.csv.
    """

    module: ModuleSpec = field(default_factory=ModuleSpec)
    setback_m: float | None = None
    min_usable_m2: float = 25.0
    flat_tilt_deg: float | None = None
    flat_gcr: float | None = None
    forced_tilt_deg: float | None = None
    forced_azimuth_deg: float | None = None
    equipment_share: dict[str, float] | None = None
    deductions: DeductionOverrides = field(default_factory=DeductionOverrides)
    deductions_table: Path | None = None

    def __post_init__(self):
        checks = [
            (self.setback_m is not None and not 0 <= self.setback_m <= 20, "退界距离应在 0–20 米",
             "setback must be 0–20 m"),
            (self.min_usable_m2 < 0, "最小可用面积不能为负", "minimum usable area cannot be negative"),
            (self.flat_gcr is not None and not 0.1 <= self.flat_gcr <= 1.0,
             "地面覆盖率 GCR 应在 0.1–1.0", "GCR must be within 0.1–1.0"),
            (self.forced_tilt_deg is not None and not 0 <= self.forced_tilt_deg <= 90,
             "倾角应在 0–90°", "tilt must be within 0–90°"),
            (self.forced_azimuth_deg is not None and not 0 <= self.forced_azimuth_deg <= 360,
             "方位角应在 0–360°（正南 180°）", "azimuth must be within 0–360° (south = 180°)"),
            (not (0.3 <= self.module.length_m <= 3.0 and 0.3 <= self.module.width_m <= 3.0),
             f"组件尺寸 {self.module.length_m:g}×{self.module.width_m:g} 米不合理"
             "（每边应为 0.3–3 米，注意单位是米）",
             f"module size {self.module.length_m:g}×{self.module.width_m:g} m is implausible (each side "
             "0.3–3 m; the unit is metres)"),
            (not 100 <= self.module.w_per_m2 <= 300,
             f"组件功率密度 {self.module.w_per_m2:.0f} W/m² 不合理（应为 100–300，功率单位是瓦）",
             f"module power density {self.module.w_per_m2:.0f} W/m² is implausible (100–300; the power "
             "unit is W)"),
        ]
        for bad, zh, en in checks:
            if bad:
                raise InputError(zh, en, code="pv.settings")


@lru_cache(maxsize=1)
def roof_class_table() -> pd.DataFrame:
    """roof_classes.csv indexed by roof_class: keywords, mounting, gcr, equipment_share, source."""
    return pd.read_csv(Path(resources_dir()) / "defaults" / "roof_classes.csv").set_index("roof_class")


@lru_cache(maxsize=1)
def roof_class_by_use() -> dict[str, str]:
    """Default roof class per use class (roof_class_by_use.csv)."""
    t = pd.read_csv(Path(resources_dir()) / "defaults" / "roof_class_by_use.csv")
    return dict(zip(t["use"], t["roof_class"], strict=True))


@lru_cache(maxsize=1)
def nea_share_table() -> pd.DataFrame:
    """NEA 2021 county-wide pilot minimum installable roof shares (nea_2021_rooftop_shares.csv)."""
    return pd.read_csv(Path(resources_dir()) / "defaults" / "nea_2021_rooftop_shares.csv")


def flat_tilt_default_deg() -> float:
    """Default flat-roof module tilt (deg) from roof_classes.csv (its tilt_rule starts with it)."""
    return float(str(roof_class_table().loc["flat", "tilt_rule"]).split("°")[0])


ROOF_TYPE_FIELDS = ("roof_type", "roof", "屋面类型", "屋顶类型", "屋面", "roof:shape", "roof_shape")
ASPECT_FIELDS = ("roof_aspect_deg", "roof_aspect", "aspect", "roof_azimuth", "屋面朝向", "坡向")


def classify_roofs(gdf: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Roof class ('flat', 'metal', 'pitched') of each building and where it came from.

    From a roof-type field (Chinese or English keywords of roof_classes.csv), else by use
    (``use_class`` column, roof_class_by_use.csv). Returns (classes, sources) arrays.
    """
    n = len(gdf)
    by_use = roof_class_by_use()
    use = gdf["use_class"] if "use_class" in gdf.columns else pd.Series("other", index=gdf.index)
    classes, sources = _per_distinct(
        use, lambda u: u.map(by_use).fillna(by_use.get("other", "flat")).to_numpy(object),
        lambda u: ("default for use: " + u.astype(str)).to_numpy(object))
    rf = find_field(gdf.columns, ROOF_TYPE_FIELDS)
    if rf is not None and n:
        text = gdf[rf].astype("string").fillna("").str.lower()
        found = np.zeros(n, bool)
        # pitched keywords last so that "彩钢坡屋面" (metal, pitched) reads as metal
        for cls in ("pitched", "flat", "metal"):
            words = [w.lower() for w in str(roof_class_table().loc[cls, "keywords"]).split("|")]
            hit = text.str.contains("|".join(map(_escape, words)), regex=True).to_numpy(bool)
            classes[hit] = cls
            found |= hit
        sources[found] = f"field:{rf}"
    return classes, sources


def _per_distinct(values: pd.Series, *fns) -> list[np.ndarray]:
    """``fn(values)`` for each element-wise ``fn`` (Series → array), computed on the distinct
    values only and spread back (a handful of uses instead of a pandas map over every row).
    Values with missing entries take the plain path (factorize merges None and NaN)."""
    if values.hasnans or len(values) == 0:
        return [fn(values) for fn in fns]
    codes, uniq = pd.factorize(values)
    u = pd.Series(uniq)
    return [fn(u)[codes] for fn in fns]


def _escape(word: str) -> str:
    import re

    return re.escape(word)


def winter_shadow_factor(latitude_deg: float, row_azimuth_deg: float = 180.0) -> float:
    """Largest shadow reach per metre of height, normal to the rows, from 9:00 to 15:00 true
    solar time on the winter solstice (m/m), from the exact sun position (not the 0.707 formula).

    The shadow of a long horizontal edge of height H reaches H·cos(γ)/tan(α) across the rows,
    α the sun elevation and γ the sun azimuth relative to the rows' facing direction.
    Southern-hemisphere sites use the June solstice and rows facing north.
    """
    lat = np.radians(abs(latitude_deg))
    dec = np.radians(abs(WINTER_SOLSTICE_DECLINATION_DEG)) * -1.0
    hours = np.linspace(*SPACING_HOURS, 361)  # every minute
    omega = np.radians(15.0 * (hours - 12.0))
    sin_alt = np.sin(lat) * np.sin(dec) + np.cos(lat) * np.cos(dec) * np.cos(omega)
    if sin_alt.min() <= 0.02:
        raise InputError(
            f"纬度 {latitude_deg:.1f}° 冬至日 9:00–15:00 太阳过低，无法按规则排布阵列，请指定 GCR",
            f"At latitude {latitude_deg:.1f}° the winter-solstice sun is too low from 9:00 to 15:00 "
            "for the spacing rule: give a GCR instead", code="pv.spacing")
    alt = np.arcsin(sin_alt)
    # azimuth from south, positive west (northern hemisphere)
    cos_az_s = (np.sin(alt) * np.sin(lat) - np.sin(dec)) / (np.cos(alt) * np.cos(lat))
    az_s = np.arccos(np.clip(cos_az_s, -1, 1)) * np.sign(omega)
    facing = np.radians((row_azimuth_deg if latitude_deg >= 0 else row_azimuth_deg + 180.0) - 180.0)
    # across the rows, whichever side the shadow falls (rows facing away from the sun shade
    # the row behind them with their high edge)
    reach = np.abs(np.cos(az_s - facing)) / np.tan(alt)
    return float(reach.max())


def row_spacing_m(obstacle_height_m: float, latitude_deg: float, row_azimuth_deg: float = 180.0) -> float:
    """Clear distance (m) behind an obstacle (e.g. a row's top edge) of this height, normal to
    the rows, that keeps the next row unshaded 9:00–15:00 on the winter solstice."""
    return obstacle_height_m * winter_shadow_factor(latitude_deg, row_azimuth_deg)


def rows_gcr(tilt_deg: float, latitude_deg: float, row_azimuth_deg: float = 180.0) -> float:
    """Ground-coverage ratio (module slant length / row pitch) of rows spaced by the winter
    rule: 1 / (cos β + sin β · k), independent of the module size."""
    b = np.radians(tilt_deg)
    k = winter_shadow_factor(latitude_deg, row_azimuth_deg)
    return float(min(1.0, 1.0 / (np.cos(b) + np.sin(b) * k)))


def _buffer_parallel(geoms: np.ndarray, distance_m: np.ndarray, progress: Progress = NO_PROGRESS
                     ) -> np.ndarray:
    """Negative buffer by ``distance_m`` (one per geometry) with mitred corners, in blocks of at
    most CHUNK_GEOMS (10,000) over two threads (GEOS buffers with the GIL released; making the
    blocks' geometries holds it, so blocks stay small for a responsive GUI), reporting progress
    (and honouring cancel) after each block. A distance of 0 keeps the geometry as it is."""
    def one(g: np.ndarray, d: np.ndarray) -> np.ndarray:
        out = g.copy()
        pos = d > 0
        out[pos] = mitre_inset(g[pos], d[pos])
        return out

    distance_m = np.broadcast_to(np.asarray(distance_m, float), (len(geoms),))
    if len(geoms) <= CHUNK_GEOMS:
        return one(geoms, distance_m)
    k_parts = -(-len(geoms) // CHUNK_GEOMS)
    parts = list(zip(np.array_split(geoms, k_parts), np.array_split(distance_m, k_parts), strict=True))
    done: list[np.ndarray] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for k, res in enumerate(pool.map(lambda gd: one(*gd), parts)):
            done.append(res)
            progress.report((k + 1) / len(parts), "roof setbacks")
    return np.concatenate(done)


def long_axis_azimuth_deg(geoms: np.ndarray) -> np.ndarray:
    """Azimuth (0–180°, clockwise from north) of each polygon's long axis (oriented envelope,
    :func:`gis.solar.envelope.envelope_sides`): the assumed ridge line of a gabled roof; 90°
    where the envelope is degenerate."""
    _, _, az, ok = envelope_sides(geoms)
    return np.where(ok, az, 90.0)


def subtract_covering_parts(roofs: np.ndarray, footprints: np.ndarray, heights_m: np.ndarray
                            ) -> tuple[np.ndarray, np.ndarray]:
    """Remove from each roof the parts of it covered by other, higher footprints (OSM
    building:part on a podium, a tower overlapping its parent, duplicates).

    A footprint j covers roof i where they overlap and j is higher (unknown heights count as
    lowest; equal heights: the later row wins, so duplicates are counted once). Vectorised over
    overlapping pairs, one round per overlap rank. Returns (roofs, covered) with ``covered``
    True where something was removed.
    """
    tree = shapely.STRtree(footprints)
    i, j = tree.query(footprints, predicate="intersects")
    keep = i != j
    i, j = i[keep], j[keep]
    h = np.where(np.isfinite(heights_m), heights_m, -np.inf)
    covers = (h[j] > h[i]) | ((h[j] == h[i]) & (j > i))
    i, j = i[covers], j[covers]
    # only real overlaps (not just shared walls)
    area = shapely.area(shapely.intersection(footprints[i], footprints[j]))
    real = area > 0.5
    i, j = i[real], j[real]
    out = roofs.copy()
    covered = np.zeros(len(roofs), bool)
    covered[i] = True
    order = np.argsort(i, kind="stable")
    i, j = i[order], j[order]
    rank = np.arange(len(i)) - np.searchsorted(i, i)
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        sel = rank == r
        out[i[sel]] = shapely.difference(out[i[sel]], footprints[j[sel]])
    return out, covered


def roof_layout(buildings: gpd.GeoDataFrame, latitude_deg: float, settings: LayoutSettings | None = None,
                progress: Progress = NO_PROGRESS) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Lay out modules on each roof.

    buildings: metric CRS, one polygon per row, with ``footprint_m2``, ``roof_m2`` (surface),
        ``roof_slope_deg`` and ``use_class`` as made by ``gis.park.prepare_buildings``.
    Returns (per_building, planes, problems). per_building (aligned to ``buildings``):
        roof_class, roof_class_source, usable_m2 (surface area available for modules),
        install_share (usable / roof), the breakdown of the rest of the roof (BREAKDOWN_COLUMNS,
        surface m²; with usable_m2 they add up to roof_m2), modules, kwp, gcr, nea_class,
        nea_min_share, nea_ok, and ``usable_geom`` (the set-back roof outline, for shading samples).
    planes: one row per used roof plane: building (row position), tilt_deg, azimuth_deg,
        mounting ('rows' or 'flush'), modules, kwp.
    """
    s = settings or LayoutSettings()
    n = len(buildings)
    table = roof_class_table()
    classes, class_src = classify_roofs(buildings)
    ded_table = default_deduction_table() if s.deductions_table is None \
        else read_deduction_table(s.deductions_table)
    if s.equipment_share:  # the older per-class override
        ded_table = {c: replace(d, equipment_share=s.equipment_share.get(c, d.equipment_share))
                     for c, d in ded_table.items()}
    ded = per_building(classes, ded_table, s.deductions)
    setback_m = np.full(n, s.setback_m) if s.setback_m is not None else ded["edge_setback_m"]
    geoms = np.asarray(buildings.geometry.array)
    inner = _buffer_parallel(geoms, setback_m, progress.sub(0.0, 0.5))
    plan_set_back = shapely.area(inner)
    covered = np.zeros(n, bool)
    if "height_m" in buildings and n > 1:
        inner, covered = subtract_covering_parts(inner, geoms, buildings["height_m"].to_numpy(float))
    progress.report(0.65, "roof planes")
    plan_usable = shapely.area(inner)
    pieces = deduct(plan_usable, *block_dims_m(inner), ded)
    share_kept = np.divide(pieces["kept_m2"], plan_usable, out=np.zeros(n), where=plan_usable > 0)
    slope = buildings["roof_slope_deg"].to_numpy(float) if "roof_slope_deg" in buildings \
        else np.zeros(n)
    slope = np.where(classes == "flat", 0.0, slope)
    slope_default = {"metal": 5.0, "pitched": 25.0}
    for cls, d in slope_default.items():
        slope = np.where((classes == cls) & (slope <= 0), d, slope)
    module_area, module_kw = s.module.area_m2, s.module.power_w / 1000.0

    # planes: (building, share of plan area, tilt, azimuth, mounting, gcr, cos slope), as arrays
    rows: list[tuple] = []
    idx = np.arange(n)
    flat = classes == "flat"
    flat_tilt = s.flat_tilt_deg if s.flat_tilt_deg is not None else flat_tilt_default_deg()
    tilt_f = s.forced_tilt_deg if s.forced_tilt_deg is not None else flat_tilt
    az_f = s.forced_azimuth_deg if s.forced_azimuth_deg is not None else 180.0
    gcr_f = s.flat_gcr if s.flat_gcr is not None else (
        rows_gcr(tilt_f, latitude_deg, az_f) if tilt_f > 0 else float(table.loc["metal", "gcr"]))
    forced = s.forced_tilt_deg is not None or s.forced_azimuth_deg is not None
    # flat roofs, and every roof when the user forces an orientation: rows at that orientation
    in_rows = np.ones(n, bool) if forced else flat
    k = int(in_rows.sum())
    rows.append((idx[in_rows], np.ones(k), np.full(k, tilt_f), np.full(k, az_f),
                 np.full(k, "rows", object), np.full(k, gcr_f), np.ones(k)))
    sloped = ~flat
    class_gcr = dict(zip(table.index.astype(str), pd.to_numeric(table["gcr"], errors="coerce"), strict=True))
    if sloped.any() and not forced:
        aspect_f = find_field(buildings.columns, ASPECT_FIELDS)
        aspect = pd.to_numeric(buildings[aspect_f], errors="coerce").to_numpy(float) if aspect_f \
            else np.full(n, np.nan)
        ridge = np.full(n, np.nan)
        ridge[sloped] = long_axis_azimuth_deg(geoms[sloped])
        progress.report(0.85, "roof planes")
        for face in (90.0, 270.0):
            az = np.where(np.isfinite(aspect), aspect, (ridge + face) % 360.0)
            mono = np.isfinite(aspect)
            if face == 270.0:
                use = sloped & ~mono
            else:
                use = sloped.copy()
            off_south = np.abs(((az - 180.0) + 180.0) % 360.0 - 180.0)
            # metal roofs of low slope are covered on both planes; pitched roofs only sunward
            use &= (classes == "metal") | (off_south <= FACE_MAX_OFF_SOUTH_DEG)
            cls_use = classes[use]
            gcr = np.full(cls_use.shape, np.nan)
            for c, v in class_gcr.items():
                gcr[cls_use == c] = v
            rows.append((idx[use], np.where(mono[use], 1.0, 0.5), slope[use], az[use],
                         np.full(cls_use.shape, "flush", object), gcr, np.cos(np.radians(slope[use]))))
    b, share, p_tilt, p_az, mounting, p_gcr, cos_slope = (np.concatenate(c) for c in zip(*rows, strict=True))
    plane_surface_m2 = plan_usable[b] * share / cos_slope * share_kept[b]
    usable = np.bincount(b, weights=plane_surface_m2, minlength=n)
    too_small = usable < s.min_usable_m2
    modules = np.floor(plane_surface_m2 * p_gcr / module_area)
    modules[too_small[b]] = 0
    modules = modules.astype(np.int64)
    kept = modules > 0
    planes = pd.DataFrame({"building": b[kept], "share": share[kept], "tilt_deg": p_tilt[kept],
                           "azimuth_deg": p_az[kept], "mounting": mounting[kept], "gcr": p_gcr[kept],
                           "usable_m2": plane_surface_m2[kept], "modules": modules[kept],
                           "kwp": modules[kept] * module_kw})
    n_modules = np.bincount(b[kept], weights=modules[kept], minlength=n).astype(np.int64)

    roof_m2 = buildings["roof_m2"].to_numpy(float) if "roof_m2" in buildings \
        else shapely.area(geoms) / np.cos(np.radians(slope))
    nea = nea_share_table()
    use_to_nea = {u: r.nea_class for r in nea.itertuples() for u in str(r.uses).split("|")}
    use = buildings["use_class"] if "use_class" in buildings else pd.Series("other", index=buildings.index)
    min_share = nea.set_index("nea_class")["min_installable_share"]
    nea_class, nea_min = _per_distinct(use, lambda u: u.map(use_to_nea).to_numpy(object),
                                       lambda u: u.map(use_to_nea).map(min_share).to_numpy(float))
    install_share = np.divide(usable, roof_m2, out=np.zeros(n), where=roof_m2 > 0)
    usable_out = np.where(too_small, 0.0, usable)
    # plan m² → the roof's surface m², so that the breakdown adds up to roof_m2
    plan_all = shapely.area(geoms)
    surface = np.divide(roof_m2, plan_all, out=np.ones(n), where=plan_all > 0)
    breakdown = {"setback_m2": (plan_all - plan_set_back) * surface,
                 **{k: pieces[k] * surface for k in DEDUCTION_ORDER}}
    breakdown["other_m2"] = np.maximum(roof_m2 - sum(breakdown.values()) - usable_out, 0.0)
    out = pd.DataFrame({
        "roof_class": classes, "roof_class_source": class_src,
        "usable_m2": usable_out,
        "install_share": np.where(too_small, 0.0, install_share),
        **breakdown,
        "modules": n_modules, "kwp": n_modules * module_kw,
        "nea_class": nea_class, "nea_min_share": nea_min,
        "nea_ok": np.where(np.isfinite(nea_min),
                           np.where(too_small, 0.0, install_share) >= nea_min, np.array(None)),
        "usable_geom": inner,
        "gcr": np.bincount(b[kept], weights=p_gcr[kept] * modules[kept], minlength=n)
        / np.maximum(n_modules, 1),
    }, index=buildings.index)

    ids = _ids(buildings)
    gone = plan_usable <= 0
    try:
        rule_gcr = rows_gcr(tilt_f, latitude_deg, az_f) if s.flat_gcr is not None else 1.0
    except InputError:  # no rule at polar latitudes: the user's GCR stands
        rule_gcr = 1.0
    dense = np.full(n, s.flat_gcr is not None and s.flat_gcr > rule_gcr + 1e-6) & in_rows & (n_modules > 0)
    problems = [
        *problems_for(gone, ids, "info", "pv.roof_too_narrow",
                      "{n} 栋建筑屋顶退界后无可用面积（狭长或过小），不布置光伏",
                      "{n} roof(s) have no area left after the edge setback (narrow or tiny): no PV"),
        *problems_for(covered, ids, "info", "pv.roof_covered",
                      "{n} 栋建筑的屋顶部分被更高的建筑（或建筑部件）覆盖，覆盖部分不计入可用面积",
                      "{n} roof(s) are partly covered by higher buildings or building parts; the covered "
                      "part is not counted as usable"),
        *problems_for(too_small & ~gone, ids, "info", "pv.roof_too_small",
                      f"{{n}} 栋建筑可用屋顶面积小于 {s.min_usable_m2:g} 平方米，不布置光伏",
                      f"{{n}} roof(s) have less than {s.min_usable_m2:g} m² usable: no PV"),
    ]
    if dense.any():
        problems += problems_for(
            dense, ids, "warning", "pv.rows_shade_each_other",
            f"{{n}} 栋建筑的组件排布 GCR {s.flat_gcr:g} 大于冬至日 9–15 时不遮挡的 {rule_gcr:.2f}："
            "前后排遮挡未计入，发电量偏高",
            f"{{n}} roof(s) use GCR {s.flat_gcr:g}, denser than {rule_gcr:.2f} (no shading 9:00–15:00 at "
            "the winter solstice): row-to-row shading is not modelled, so yields are overstated")
    return out, planes, problems


def _ids(gdf: pd.DataFrame) -> np.ndarray:
    for name in ("bldg_id", "source_fid", "id", "osm_id"):
        if name in gdf.columns:
            return gdf[name].to_numpy()
    return gdf.index.to_numpy()
