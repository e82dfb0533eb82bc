"""Rooftop PV potential summed per county, township or grid cell, with the NEA whole-county pilot
check and a five-colour map of PV potential density.

Per area: roofs (buildings), roofs with PV, roof area m², usable area m², kWp, kWh/yr, the area
(km²) and the density kWp/km². The NEA check (国家能源局综合司《关于报送整县（市、区）屋顶分布式光伏
开发试点方案的通知》, 2021-06: installable share of the roof area at least 50 % for party and
government buildings, 40 % public, 30 % industrial and commercial, 20 % rural homes) is made per
area by the engine's own ``gis.solar.rooftop._nea_check`` on the area's rows (buildings whose use
maps to a pilot class, ``nea_min_share`` set by the roof layout from
resources/defaults/nea_2021_rooftop_shares.csv); an area meets a class when Σ usable / Σ roof of
its buildings of that class reaches the class's share. Density classes come from
``gis.intensity.classify.classify`` (quantiles by default; class 1 = lowest density … 5 =
highest, 0 = no area known).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError, Problem
from gis.intensity.classify import Classification, classify
from gis.solar.rooftop import _nea_check

SUM_COLUMNS = ("roof_m2", "usable_m2", "kwp", "kwh_yr")
DENSITY_UNIT = ("kWp/km2", "kWp/km²")
"""(en, zh) unit of the density map."""


@dataclass
class AreaSummary:
    """Per-area totals (``table``: one row per area; a GeoDataFrame when areas or cells have
    polygons), the NEA pilot check per area and class (``nea``: area_id, nea_class, name_zh,
    min_share, buildings, meeting, install_share, ok), the density classification and problems."""

    table: pd.DataFrame
    nea: pd.DataFrame
    classification: Classification | None
    problems: list[Problem] = field(default_factory=list)


def _sums(rows: pd.DataFrame, key: np.ndarray) -> pd.DataFrame:
    """Vectorised sums per area key (one groupby, no per-area Python loop)."""
    data = pd.DataFrame({"area_id": key, "roofs": 1,
                         "roofs_with_pv": (rows["kwp"].to_numpy(float) > 0).astype(int),
                         **{c: rows[c].to_numpy(float) for c in SUM_COLUMNS}})
    out = data.groupby("area_id", sort=True).sum().reset_index()
    out["install_share"] = np.divide(out["usable_m2"], out["roof_m2"], out=np.zeros(len(out)),
                                     where=out["roof_m2"].to_numpy() > 0)
    out["kwh_per_kwp"] = np.divide(out["kwh_yr"], out["kwp"], out=np.zeros(len(out)),
                                   where=out["kwp"].to_numpy() > 0)
    return out


def nea_by_area(rows: pd.DataFrame, key: np.ndarray) -> pd.DataFrame:
    """The NEA 2021 pilot check per area and class (the engine's ``_nea_check`` per area: one
    call per area that has buildings of a pilot class, not per building)."""
    cols = ["area_id", "nea_class", "name_zh", "min_share", "buildings", "meeting", "install_share", "ok"]
    if "nea_min_share" not in rows:
        return pd.DataFrame(columns=cols)
    has = rows["nea_min_share"].notna().to_numpy()
    recs = []
    sub = rows.loc[has]
    k = np.asarray(key)[has]
    # the pilot's test is on the area's total, Σ usable / Σ roof of the class ≥ the share, made
    # on unrounded sums (_nea_check rounds its share to 0.001 for display)
    m2 = sub[["usable_m2", "roof_m2"]].groupby([k, sub["nea_class"].to_numpy()]).sum()
    exact = (m2["usable_m2"] / m2["roof_m2"].where(m2["roof_m2"] > 0)).to_dict()
    for area, g in sub.groupby(k, sort=True):
        for cls, d in _nea_check(g).items():
            share = exact.get((area, cls), 0.0)
            recs.append({"area_id": area, "nea_class": cls, "name_zh": d["name_zh"],
                         "min_share": d["min_share"], "buildings": d["buildings"], "meeting": d["meeting"],
                         "install_share": d["install_share"], "ok": bool(share >= d["min_share"])})
    return pd.DataFrame(recs, columns=cols)


def _classify(table: pd.DataFrame, method: str, problems: list[Problem]) -> Classification | None:
    dens = table["kwp_per_km2"].to_numpy(float)
    if not np.isfinite(dens).any():
        problems.append(Problem("info", "scale.no_area", "没有区域面积，无法计算光伏潜力密度分级",
                                "No area sizes: the PV potential density cannot be classified"))
        return None
    c = classify(dens, method, unit=DENSITY_UNIT)
    table["density_class"] = c.classes
    return c


def aggregate(rows: pd.DataFrame, *, by: str | None = None, areas: gpd.GeoDataFrame | None = None,
              area_id: str | None = None, cell_m: float | None = None, method: str = "quantile",
              nea: bool = True) -> AreaSummary:
    """Sum rooftop results (``rooftop.RESULT_COLUMNS`` rows, e.g. ``TiledResult.buildings()``) per area.

    Give one of: ``by`` — a column naming each building's area (county, township, the
    GeoParquet ``partition``), with ``areas``/``area_id`` optional to know each area's size;
    ``areas`` + ``area_id`` — polygons (metric CRS): a building is in the area holding its
    representative point; ``cell_m`` — square grid cells (m) on multiples of ``cell_m``.
    method: density classification (``quantile``, ``jenks``, ``fixed`` … of
    gis/intensity/classify.py). nea: make the NEA pilot check.
    """
    problems: list[Problem] = []
    missing = [c for c in ("kwp", *SUM_COLUMNS) if c not in rows]
    if missing:
        raise InputError(f"汇总需要屋顶光伏计算结果（缺少 {', '.join(missing)}）",
                         f"Aggregation needs rooftop PV results (missing {', '.join(missing)})",
                         code="scale.no_results")
    area_km2: pd.Series | None = None
    geom: gpd.GeoSeries | None = None
    if cell_m is not None:
        if not isinstance(rows, gpd.GeoDataFrame) or not rows.crs or not rows.crs.is_projected:
            raise InputError("按网格汇总需要投影坐标系（米）的建筑结果",
                             "Grid cells need the results in a metric CRS", code="scale.crs")
        p = shapely.point_on_surface(np.asarray(rows.geometry.array))
        cx = np.floor(shapely.get_x(p) / cell_m).astype(np.int64)
        cy = np.floor(shapely.get_y(p) / cell_m).astype(np.int64)
        key = np.char.add(np.char.add(cx.astype(str), "_"), cy.astype(str)).astype(object)
        table = _sums(rows, key)
        ij = table["area_id"].str.split("_", expand=True).astype(np.int64).to_numpy()
        geom = gpd.GeoSeries(shapely.box(ij[:, 0] * cell_m, ij[:, 1] * cell_m, (ij[:, 0] + 1) * cell_m,
                                         (ij[:, 1] + 1) * cell_m), crs=rows.crs)
        table["area_km2"] = cell_m * cell_m / 1e6
    elif by is not None:
        if by not in rows:
            raise InputError(f"建筑结果中没有字段“{by}”", f"The results have no field '{by}'",
                             code="scale.by")
        key = rows[by].astype(str).to_numpy(object)
        table = _sums(rows, key)
        if areas is not None:
            area_km2, geom = _area_sizes(areas, area_id or by, table["area_id"])
    elif areas is not None and area_id is not None:
        key = _point_in_areas(rows, areas, area_id)
        outside = pd.isna(key)
        if outside.any():
            problems.append(Problem("warning", "scale.outside_areas",
                                    f"{int(outside.sum())} 栋建筑不在任何区域内，未计入汇总",
                                    f"{int(outside.sum())} building(s) lie in no area and are left out"))
        rows, key = rows.loc[~outside], key[~outside]
        table = _sums(rows, key)
        area_km2, geom = _area_sizes(areas, area_id, table["area_id"])
    else:
        raise InputError("请指定汇总方式：字段、区域多边形或网格边长",
                         "Say how to aggregate: a field, area polygons or a grid cell size",
                         code="scale.how")
    if area_km2 is not None:
        table["area_km2"] = area_km2.to_numpy()
    if "area_km2" not in table:
        table["area_km2"] = np.nan
    table["kwp_per_km2"] = np.divide(table["kwp"], table["area_km2"], out=np.full(len(table), np.nan),
                                     where=table["area_km2"].to_numpy(float) > 0)
    c = _classify(table, method, problems)
    nea_table = nea_by_area(rows, key) if nea else pd.DataFrame()
    if nea and nea_table.empty:
        problems.append(Problem("info", "scale.nea_unknown", "建筑用途未知，无法按国家能源局整县试点比例核查",
                                "Building use unknown: the NEA whole-county pilot shares cannot be checked"))
    if geom is not None:
        table = gpd.GeoDataFrame(table, geometry=geom.to_numpy(), crs=geom.crs)
    return AreaSummary(table=table, nea=nea_table, classification=c, problems=problems)


def _point_in_areas(rows: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, area_id: str) -> np.ndarray:
    """Area id of each building by its representative point (object array; None outside)."""
    if area_id not in areas:
        raise InputError(f"区域图层中没有字段“{area_id}”", f"The area layer has no field '{area_id}'",
                         code="scale.area_id")
    a = areas.to_crs(rows.crs) if areas.crs != rows.crs else areas
    pts = shapely.point_on_surface(np.asarray(rows.geometry.array))
    tree = shapely.STRtree(np.asarray(a.geometry.array))
    i_pt, i_area = tree.query(pts, predicate="within")
    key = np.full(len(rows), None, dtype=object)
    key[i_pt[::-1]] = a[area_id].astype(str).to_numpy(object)[i_area[::-1]]  # first area wins on overlaps
    return key


def _area_sizes(areas: gpd.GeoDataFrame, area_id: str, ids: pd.Series) -> tuple[pd.Series, gpd.GeoSeries]:
    """km² and polygons of the areas ``ids`` (NaN/None for ids without a polygon); areas in a
    geographic CRS are measured in their local UTM zone (estimate_utm_crs)."""
    if area_id not in areas:
        raise InputError(f"区域图层中没有字段“{area_id}”", f"The area layer has no field '{area_id}'",
                         code="scale.area_id")
    a = areas if areas.crs is None or areas.crs.is_projected else areas.to_crs(areas.estimate_utm_crs())
    km2 = pd.Series(a.area.to_numpy() / 1e6, index=a[area_id].astype(str)).groupby(level=0).sum()
    shapes = a.dissolve(by=a[area_id].astype(str)).geometry
    return ids.map(km2), gpd.GeoSeries(ids.map(shapes).to_numpy(), crs=a.crs)
