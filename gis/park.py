"""The park model and its headless pipeline: load, validate, project, summarise.

``lingtan demo`` and (later) the GUI both drive :func:`load_park` and :func:`summarise_park`;
later analyses (PV, carbon, sinks, five-colour map) add their steps on the same :class:`Park`.
File writing is the caller's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from gis.buildings import CANONICAL_FIELDS, NO_FIELD, building_heights, resolve_building_fields
from gis.crs import crs_label, local_metric_crs
from gis.defaults import M2_PER_MU
from gis.errors import InputError, Problem
from gis.fields import find_field
from gis.geometry import explode_multipolygons, overlapping_parts
from gis.io import ReadReport, read_data_table, read_vector
from gis.paths import sample_dir
from gis.progress import NO_PROGRESS, Progress

# roof slope (deg) by roof type when the data give none: pitched roofs in East China are
# typically 20–30° (GB 50207-2012 tile roofs ≥ 20°); metal roofs 3–10° (GB 51022-2015 ≥ 3°)
ROOF_SLOPE_DEFAULT_DEG = {"坡屋面": 25.0, "pitched": 25.0, "彩钢": 5.0, "metal": 5.0}


@dataclass
class LayerSource:
    """Where one layer comes from: a file, an optional layer name, an optional CRS."""

    path: Path
    layer: str | None = None
    crs: str | None = None


@dataclass
class ParkSources:
    """The files of one park project. Only the boundary and buildings are required."""

    boundary: LayerSource
    buildings: LayerSource
    green: LayerSource | None = None
    tree_rows: LayerSource | None = None
    townships: LayerSource | None = None
    enterprises_table: Path | None = None
    township_table: Path | None = None
    name: str | None = None


def sample_sources() -> ParkSources:
    """The embedded sample park (``resources/sample``)."""
    d = sample_dir()
    gpkg = d / "park.gpkg"
    if not gpkg.exists():
        raise InputError(f"找不到示例园区数据 {gpkg}", f"The sample park data are missing: {gpkg}",
                         code="sample.missing")
    return ParkSources(
        boundary=LayerSource(gpkg, "boundary"), buildings=LayerSource(gpkg, "buildings"),
        green=LayerSource(gpkg, "green"), tree_rows=LayerSource(gpkg, "tree_rows"),
        townships=LayerSource(gpkg, "townships"),
        enterprises_table=d / "enterprises_energy.csv", township_table=d / "township_stats.csv")


@dataclass
class Park:
    """A loaded park: layers in one local metric CRS (metres), tables, and read reports."""

    name: str
    crs: CRS
    boundary: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    green: gpd.GeoDataFrame | None = None
    tree_rows: gpd.GeoDataFrame | None = None
    townships: gpd.GeoDataFrame | None = None
    enterprises: pd.DataFrame | None = None
    township_stats: pd.DataFrame | None = None
    reports: dict[str, ReadReport] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    roads: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """The vector layers present, by name."""
        return {n: getattr(self, n) for n in PARK_LAYERS if getattr(self, n) is not None}


PARK_LAYERS = ("boundary", "buildings", "green", "tree_rows", "townships", "roads", "water")
"""The layer roles a park has (boundary and buildings required)."""

PARK_TABLES = ("enterprises", "township_stats")
"""The tables a park has: the enterprise energy table and the township statistics."""


def load_park(sources: ParkSources, progress: Progress = NO_PROGRESS, *,
              storey_height_m: dict[str, float] | None = None) -> Park:
    """Read every source through the user readers, choose the local metric CRS from the
    boundary's centre, project all layers to it, and prepare buildings (parts, heights, areas).

    storey_height_m: storey height (m) per use overriding resources/defaults/storey_heights.csv
    for buildings with floors but no height (e.g. the desktop app's settings); None: the table."""
    todo = [(n, getattr(sources, n)) for n in PARK_LAYERS if getattr(sources, n, None) is not None]
    frames: dict[str, gpd.GeoDataFrame] = {}
    reports: dict[str, ReadReport] = {}
    for k, (name, src) in enumerate(todo):
        progress.report(k / (len(todo) + 2), f"reading {name}")
        res = read_vector(src.path, layer=src.layer, crs=src.crs)
        frames[name], reports[name] = res.gdf, res.report
    tables = {}
    for key, path in (("enterprises", sources.enterprises_table),
                      ("township_stats", sources.township_table)):
        if path is not None:
            tables[key], reports[key] = read_data_table(path)
    park = build_park(frames, tables, name=sources.name, storey_height_m=storey_height_m,
                      progress=progress.sub(len(todo) / (len(todo) + 2), 1.0))
    park.reports = {**reports, **park.reports}
    return park


def build_park(frames: dict[str, gpd.GeoDataFrame], tables: dict[str, pd.DataFrame] | None = None, *,
               name: str | None = None, storey_height_m: dict[str, float] | None = None,
               inside_only: bool = False, keep_overlapping_parts: bool = False,
               building_fields: dict[str, str | None] | None = None,
               progress: Progress = NO_PROGRESS) -> Park:
    """A park from its layers (by role, :data:`PARK_LAYERS`; any CRS; boundary and buildings
    required) and tables (:data:`PARK_TABLES`): every layer in the local metric CRS of the
    boundary's centre, the buildings prepared (parts, heights, areas).

    inside_only: keep the buildings, green space, tree rows and water that lie in the red line (a
    feature cut by the line is in when its point-on-surface is), and say how many were inside and
    outside. Townships and roads are kept whole (they reach beyond the
    park). keep_overlapping_parts, building_fields: see :func:`prepare_buildings`."""
    missing = [r for r in ("boundary", "buildings") if frames.get(r) is None or len(frames[r]) == 0]
    if missing:
        zh = {"boundary": "园区红线", "buildings": "建筑"}
        raise InputError("园区需要" + "和".join(zh[m] for m in missing) + "图层（至少一个要素）",
                         "A park needs " + " and ".join(missing) + " (at least one feature)",
                         code="park.missing")
    for role, gdf in frames.items():
        if gdf is not None and gdf.crs is None:
            raise InputError(f"{role} 图层没有坐标系", f"The {role} layer has no CRS", code="crs.missing")
    centre = frames["boundary"].to_crs(4326).union_all().centroid
    crs = local_metric_crs(centre.x, centre.y)
    frames = {k: v.to_crs(crs) for k, v in frames.items() if v is not None}
    problems: list[Problem] = []
    if inside_only:
        frames, found = _inside_red_line(frames)
        problems += found
    progress.report(0.3, "preparing buildings")
    buildings, found = prepare_buildings(frames["buildings"], storey_height_m=storey_height_m,
                                         keep_overlapping_parts=keep_overlapping_parts,
                                         fields=building_fields)
    problems += found
    boundary = frames["boundary"]
    name = name or _first_text(boundary, ("name", "名称", "园区名称")) or "园区"
    tables = tables or {}
    progress.report(1.0, "loaded")
    return Park(name=name, crs=crs, boundary=boundary, buildings=buildings,
                green=frames.get("green"), tree_rows=frames.get("tree_rows"),
                townships=frames.get("townships"), enterprises=tables.get("enterprises"),
                township_stats=tables.get("township_stats"), problems=problems,
                roads=frames.get("roads"), water=frames.get("water"))


def _inside_red_line(frames: dict[str, gpd.GeoDataFrame]) -> tuple[dict[str, gpd.GeoDataFrame],
                                                                   list[Problem]]:
    """Buildings, green space, tree rows and water whose point-on-surface lies in the boundary."""
    red_line = shapely.union_all(frames["boundary"].geometry.to_numpy())
    shapely.prepare(red_line)
    out = dict(frames)
    problems = []
    names = {"buildings": "建筑", "green": "绿地", "tree_rows": "行道树", "water": "水体"}
    for role, zh in names.items():
        gdf = frames.get(role)
        if gdf is None or len(gdf) == 0:
            continue
        points = shapely.point_on_surface(gdf.geometry.to_numpy())
        inside = shapely.intersects(red_line, points)
        n_in, n_out = int(inside.sum()), int((~inside).sum())
        problems.append(Problem("info", f"park.{role}_inside",
                                f"{zh}：红线内 {n_in} 个，红线外 {n_out} 个（已去掉）",
                                f"{role}: {n_in} inside the red line, {n_out} outside (left out)"))
        if n_in == 0 and role == "buildings":
            raise InputError("红线内没有建筑：检查两个图层是否同一地区、坐标系是否正确",
                             "No building lies inside the red line: are both layers of the same place, "
                             "in the right CRS?", code="park.no_buildings_inside")
        out[role] = gdf[inside].reset_index(drop=True)
    return out, problems


def _first_text(gdf: gpd.GeoDataFrame, fields) -> str | None:
    f = find_field(gdf.columns, fields)
    if f is None or len(gdf) == 0:
        return None
    v = gdf[f].iloc[0]
    return None if pd.isna(v) else str(v)


def prepare_buildings(gdf: gpd.GeoDataFrame, *, storey_height_m: dict[str, float] | None = None,
                      keep_overlapping_parts: bool = False,
                      fields: dict[str, str | None] | None = None,
                      ) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Footprints (metric CRS) → one row per part with ``footprint_m2``, ``roof_slope_deg``,
    ``roof_m2`` (footprint / cos slope), ``height_m`` and ``height_source``.
    storey_height_m: per-use storey heights (m) for :func:`gis.buildings.building_heights`.
    keep_overlapping_parts: keep footprints lying mostly inside a larger one (OSM building parts);
    by default they are dropped (reported) so that no roof is counted twice.
    fields: the columns chosen for height, floors, use, roof type and enterprise id
    (:func:`gis.buildings.resolve_building_fields`; None: the guesses); a chosen one is copied to
    the role's own column (:data:`gis.buildings.CANONICAL_FIELDS`), which the analyses read."""
    problems: list[Problem] = []
    resolved = resolve_building_fields(gdf.columns, fields)
    polys = gdf.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    if not polys.all():
        problems.append(Problem(
            "warning", "buildings.not_polygons",
            f"{int((~polys).sum())} 个建筑要素不是面（线或点），已跳过",
            f"{int((~polys).sum())} building feature(s) are not polygons (lines or points) "
            "and were skipped", list(gdf.index[~polys])))
        gdf = gdf[polys]
    gdf, found = explode_multipolygons(gdf)
    problems += found
    area = gdf.area.to_numpy()
    tiny = area < 1.0
    if tiny.any():
        problems.append(Problem(
            "warning", "buildings.tiny",
            f"{int(tiny.sum())} 个建筑轮廓面积小于 1 平方米（碎片），已跳过",
            f"{int(tiny.sum())} building footprint(s) smaller than 1 m² (slivers) were skipped",
            list(gdf["source_fid"].to_numpy()[tiny])))
        gdf = gdf[~tiny].reset_index(drop=True)
        area = area[~tiny]
    part, _parent = overlapping_parts(gdf.geometry.to_numpy())
    if len(part):
        fid = gdf["source_fid"].to_numpy()
        if keep_overlapping_parts:
            problems.append(Problem(
                "warning", "buildings.overlapping_parts",
                f"{len(part)} 个建筑轮廓有一半以上落在另一个更大的轮廓内（如 OSM 的 building:part），"
                "已按要求保留：其屋顶会被重复计算",
                f"{len(part)} building footprint(s) lie mostly inside a larger one (e.g. OSM "
                "building:part) and were kept as asked: their roofs are counted twice", list(fid[part])))
        else:
            problems.append(Problem(
                "warning", "buildings.overlapping_parts",
                f"{len(part)} 个建筑轮廓有一半以上落在另一个更大的轮廓内（如 OSM 的 building:part），"
                "已删除以免重复计算屋顶（要素编号见下；需要保留时请勾选“保留重叠的建筑部件”）",
                f"{len(part)} building footprint(s) lie mostly inside a larger one (e.g. OSM "
                "building:part) and were dropped so that no roof is counted twice (ids below; to keep "
                "them tick \"keep overlapping building parts\")", list(fid[part])))
            drop = np.zeros(len(gdf), dtype=bool)
            drop[part] = True
            gdf = gdf[~drop].reset_index(drop=True)
            area = area[~drop]
    heights, found = building_heights(gdf.set_index("source_fid", drop=False),
                                      storey_height_m=storey_height_m, fields=fields)
    problems += found
    out = gdf.copy()
    out["footprint_m2"] = area
    out["height_m"] = heights["height_m"].to_numpy()
    out["height_source"] = heights["height_source"].to_numpy()
    out["use_class"] = heights["use_class"].to_numpy()
    slope_f = find_field(out.columns, ("roof_slope_deg", "roof_slope", "slope", "屋面坡度"))
    roof_f = resolved["roof"]
    slope = pd.to_numeric(out[slope_f], errors="coerce").to_numpy(float) if slope_f \
        else np.full(len(out), np.nan)
    if roof_f:
        default = out[roof_f].map(ROOF_SLOPE_DEFAULT_DEG).to_numpy(float)
        slope = np.where(np.isfinite(slope), slope, default)
    slope = np.where(np.isfinite(slope), np.clip(slope, 0.0, 60.0), 0.0)
    out["roof_slope_deg"] = slope
    out["roof_m2"] = area / np.cos(np.radians(slope))
    return _chosen_columns(out, fields, resolved, heights["floors"].to_numpy()), problems


def _chosen_columns(out: gpd.GeoDataFrame, fields: dict[str, str | None] | None,
                    resolved: dict[str, str | None], floors: np.ndarray) -> gpd.GeoDataFrame:
    """The chosen fields under the roles' own column names (floors as numbers); a column of that
    name the planner had is kept as NAME_orig. Only roles chosen explicitly: the guesses already
    are what every reader finds."""
    for role, name in (fields or {}).items():
        canon = CANONICAL_FIELDS.get(role)
        if name is None or canon is None or role == "height" or name == canon:
            continue  # height_m is always the computed height
        if canon in out.columns:
            out[f"{canon}_orig"] = out[canon]
        if role == "floors":
            out[canon] = floors
        else:
            out[canon] = out[resolved[role]] if name != NO_FIELD else None
    return out


def summarise_park(park: Park) -> dict:
    """Key figures of a loaded park (JSON-ready; units in the keys)."""
    b = park.boundary
    outline = shapely.union_all(b.geometry.to_numpy())
    area_m2 = float(outline.area)
    centre = gpd.GeoSeries([outline.centroid], crs=park.crs).to_crs(4490).iloc[0]
    bl = park.buildings
    inside = shapely.intersects(outline, bl.geometry.to_numpy()) if len(bl) else np.array([])
    footprint = float(bl["footprint_m2"].sum())
    uf = find_field(bl.columns, ("use", "用途", "usage"))
    rf = find_field(bl.columns, ("roof_type", "屋面类型", "roof"))
    h = bl["height_m"].to_numpy(float)
    hk = h[np.isfinite(h)]
    summary: dict = {
        "park": {
            "name": park.name,
            "area_m2": round(area_m2, 1), "area_km2": round(area_m2 / 1e6, 4),
            "area_mu": round(area_m2 / M2_PER_MU, 1), "perimeter_m": round(outline.length, 1),
            "centre_lon_lat_cgcs2000": [round(centre.x, 6), round(centre.y, 6)],
            "work_crs": crs_label(park.crs),
        },
        "buildings": {
            "count": len(bl),
            "outside_boundary": int((~inside).sum()) if len(bl) else 0,
            "footprint_m2": round(footprint, 1),
            "roof_m2": round(float(bl["roof_m2"].sum()), 1),
            "building_coverage_pct": round(100 * footprint / area_m2, 2) if area_m2 else None,
            "by_use": _group(bl, uf), "by_roof_type": _group(bl, rf),
            "height_m": {"known": int(hk.size), "min": _r(hk.min()) if hk.size else None,
                         "median": _r(np.median(hk)) if hk.size else None,
                         "max": _r(hk.max()) if hk.size else None},
            "height_sources": _height_sources(bl["height_source"]),
        },
    }
    if park.green is not None:
        summary["green"] = _green_summary(park.green, outline, area_m2)
    if park.tree_rows is not None:
        tr = park.tree_rows
        count_f = find_field(tr.columns, ("tree_count", "株数", "trees"))
        summary["tree_rows"] = {"count": len(tr), "length_m": round(float(tr.length.sum()), 1),
                                "trees": int(tr[count_f].sum()) if count_f else None}
    if park.townships is not None:
        summary["townships"] = {"count": len(park.townships),
                                "area_km2": round(float(park.townships.area.sum()) / 1e6, 2)}
    if park.enterprises is not None:
        e = park.enterprises
        idf = find_field(e.columns, ("企业代码", "enterprise_id", "企业名称", "name"))
        yf = find_field(e.columns, ("年份", "year"))
        summary["enterprises"] = {
            "count": int(e[idf].nunique()) if idf else len(e),
            "years": sorted(int(y) for y in e[yf].dropna().unique()) if yf else [],
            "columns": [str(c) for c in e.columns]}
    if park.township_stats is not None:
        s = park.township_stats
        yf = find_field(s.columns, ("年份", "year"))
        summary["township_stats"] = {
            "rows": len(s), "years": sorted(int(y) for y in s[yf].dropna().unique()) if yf else []}
    summary["inputs"] = {k: {"path": r.path, "format": r.format, "layer": r.layer,
                             "crs": r.crs, "crs_source": r.crs_source, "encoding": r.encoding,
                             "features": r.feature_count,
                             "problems": [p.to_dict() for p in r.problems]}
                         for k, r in park.reports.items()}
    summary["problems"] = [p.to_dict() for p in park.problems]
    return summary


def _r(v: float) -> float:
    return round(float(v), 2)


def _group(bl: gpd.GeoDataFrame, col: str | None) -> dict:
    if col is None:
        return {}
    g = bl.groupby(bl[col].fillna("未知"))
    return {str(k): {"count": len(v), "footprint_m2": round(float(v["footprint_m2"].sum()), 1)}
            for k, v in g}


def _height_sources(s: pd.Series) -> dict[str, int]:
    kind = s.astype(str).str.replace(r"^floors×.*", "floors × storey height", regex=True)
    kind = kind.str.replace(r"^field:.*", "height field", regex=True)
    return {str(k): int(v) for k, v in kind.value_counts().items()}


def _green_summary(green: gpd.GeoDataFrame, outline, park_area_m2: float) -> dict:
    """Green area by land-cover type inside the park boundary (m²)."""
    tf = find_field(green.columns, ("cover", "landcover", "land_cover", "type", "地类", "类型",
                                    "覆盖类型"))
    clipped = shapely.intersection(green.geometry.to_numpy(), outline)
    area = shapely.area(clipped)
    kinds = green[tf].fillna("未分类").astype(str) if tf else pd.Series("未分类", index=green.index)
    by = pd.Series(area, index=green.index).groupby(kinds.to_numpy()).sum()
    total = float(area.sum())
    return {"count": len(green), "area_m2_by_type": {str(k): round(float(v), 1)
                                                      for k, v in by.items()},
            "total_m2": round(total, 1),
            "green_ratio_pct": round(100 * total / park_area_m2, 2) if park_area_m2 else None,
            "outside_boundary_m2": round(float(green.area.sum()) - total, 1)}


def load_sample_park(progress: Progress = NO_PROGRESS, *,
                     storey_height_m: dict[str, float] | None = None) -> Park:
    """Load the embedded sample park through the user readers (storey_height_m: see
    :func:`load_park`)."""
    return load_park(sample_sources(), progress, storey_height_m=storey_height_m)
