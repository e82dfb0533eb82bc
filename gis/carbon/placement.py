"""Enterprises on the map: points from longitude/latitude columns or from their buildings.

Two ways, tried per enterprise in this order (issue #20, "Maps that drill down"):

1. ``lonlat`` — longitude/latitude columns of the table (``经度``/``纬度``, ``lon``/``lat``,
   ``lng``, ``longitude``/``latitude``) in any CRS :func:`gis.crs.parse_crs` reads; ``gcj02``
   (Amap/Tencent) and ``bd09`` (Baidu) coordinates are corrected to WGS84 first
   (:mod:`gis.webmap`), because a GCJ-02 point read as WGS84 lies ~300–600 m off.
2. ``buildings`` — the enterprise's building footprints joined through an enterprise id
   (``enterprise_id``/企业代码 on the buildings): the point is the representative point of their
   union (always inside a footprint, unlike a centroid of an L-shaped plant).
3. ``address`` — the enterprise's address (地址/注册地址 …) matched to a user table of addresses
   with coordinates (:mod:`gis.carbon.address_match`: exact, then token overlap); ambiguous and
   unmatched addresses stay unplaced with that reason.

The unplaced enterprises are listed (``Placement.unplaced``) with the reason, never dropped
silently. :func:`township_totals` sums enterprise figures per township by a point-in-polygon join
(the drill-down's "township totals = Σ its enterprises").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.fields import LAT_NAMES, LON_NAMES, find_field

"""Header names of longitude/latitude columns, best first."""
ENTERPRISE_ID_NAMES = ("enterprise_id", "ent_id", "企业代码", "企业编号", "统一社会信用代码", "entity")
"""Enterprise-id fields of a buildings layer (layers/fields.py: ``enterprise_id``)."""
UNPLACED_REASONS: dict[str, tuple[str, str]] = {
    "no_coordinates": ("没有经纬度，也没有关联的建筑", "no coordinates and no linked buildings"),
    "bad_coordinates": ("经纬度超出范围", "coordinates out of range"),
    "address_ambiguous": ("地址对应多个位置", "the address matches several places"),
    "address_unmatched": ("地址未匹配", "the address matched no row of the address table"),
}


@dataclass
class Placement:
    """``points``: one point per placed enterprise in EPSG:4326 (the table's columns plus
    ``entity``, ``placed_by`` = ``lonlat``/``buildings``); ``unplaced``: ``entity``, ``name``,
    ``reason`` (see :data:`UNPLACED_REASONS`)."""

    points: gpd.GeoDataFrame
    unplaced: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> dict:
        """JSON-ready counts by method and the unplaced ids."""
        by = self.points["placed_by"].value_counts() if len(self.points) else pd.Series(dtype=int)
        return {"placed": len(self.points), "by_lonlat": int(by.get("lonlat", 0)),
                "by_buildings": int(by.get("buildings", 0)), "by_address": int(by.get("address", 0)),
                "unplaced": len(self.unplaced),
                "unplaced_ids": [str(v) for v in self.unplaced["entity"]]}


def lonlat_to_wgs84(lon, lat, crs: str = "wgs84") -> tuple[np.ndarray, np.ndarray]:
    """Longitude/latitude (or projected x/y) arrays in ``crs`` → WGS84 degrees. ``gcj02`` and
    ``bd09`` are corrected with the published inverse transforms (gis/webmap.py)."""
    from pyproj import Transformer

    from gis.crs import parse_crs
    from gis.webmap import bd09_to_wgs84, gcj02_to_wgs84

    x, y = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    src = parse_crs(crs)
    if src.webmap == "gcj02":
        return gcj02_to_wgs84(x, y)
    if src.webmap == "bd09":
        return bd09_to_wgs84(x, y)
    if src.crs.to_epsg() == 4326:
        return x, y
    t = Transformer.from_crs(src.crs, "EPSG:4326", always_xy=True)
    ox, oy = t.transform(x, y)
    return np.asarray(ox, dtype=float), np.asarray(oy, dtype=float)


def _entity_column(table: pd.DataFrame, id_col: str | None) -> str:
    from gis.carbon.inventory import ROLE_NAMES

    col = id_col or ("entity" if "entity" in table.columns
                     else find_field(table.columns, ROLE_NAMES["entity"]))
    if col is None or col not in table.columns:
        raise InputError("企业表没有企业代码列（如 企业代码、entity）",
                         "The enterprise table has no id column (e.g. 企业代码, entity)",
                         code="placement.no_id")
    return col


def place_enterprises(table: pd.DataFrame, *, id_col: str | None = None, lon_col: str | None = None,
                      lat_col: str | None = None, crs: str = "wgs84",
                      buildings: gpd.GeoDataFrame | None = None,
                      building_key: str | None = None, addresses: pd.DataFrame | None = None,
                      address_col: str | None = None, address_crs: str = "wgs84") -> Placement:
    """Points for the enterprises of ``table`` (one row each; e.g. the ``entities`` of
    :func:`gis.carbon.emissions.account_emissions` or the grades table).

    crs: the CRS of the lon/lat columns (``wgs84`` default, ``gcj02``, ``bd09``, ``cgcs2000``,
        ``EPSG:4549`` …). buildings/building_key: footprints and their enterprise-id field (found
        among :data:`ENTERPRISE_ID_NAMES` when not given) for enterprises without coordinates.
    addresses/address_col/address_crs: a table of addresses with coordinates (in
        ``address_crs``) for the enterprises still unplaced, matched on ``address_col`` of
        ``table`` (found among :data:`gis.carbon.address_match.ADDRESS_NAMES` when not given).
    """
    ent_col = _entity_column(table, id_col)
    df = table.reset_index(drop=True)
    ids = df[ent_col].astype("string").str.strip()
    lon_col = lon_col or find_field(df.columns, LON_NAMES)
    lat_col = lat_col or find_field(df.columns, LAT_NAMES)
    n = len(df)
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    by = np.full(n, "", dtype=object)
    bad = np.zeros(n, dtype=bool)
    problems: list[Problem] = []
    if lon_col is not None and lat_col is not None:
        lon = pd.to_numeric(df[lon_col], errors="coerce").to_numpy(float)
        lat = pd.to_numeric(df[lat_col], errors="coerce").to_numpy(float)
        have = np.isfinite(lon) & np.isfinite(lat)
        if have.any():
            wx, wy = lonlat_to_wgs84(lon[have], lat[have], crs)
            x[have], y[have] = wx, wy
        bad = have & ~((np.abs(x) <= 180) & (np.abs(y) <= 90))
        x[bad] = y[bad] = np.nan
        by[np.isfinite(x)] = "lonlat"
        problems.append(Problem("info", "placement.lonlat", f"按“{lon_col}”“{lat_col}”列定位（{crs}）",
                                f"Placed by columns '{lon_col}', '{lat_col}' ({crs})"))
    if buildings is not None and len(buildings) and (by == "").any():
        bx, by_ = _building_points(buildings, building_key)
        need = (by == "")
        px = pd.Series(bx).reindex(ids[need].to_numpy()).to_numpy(float)
        py = pd.Series(by_).reindex(ids[need].to_numpy()).to_numpy(float)
        idx = np.flatnonzero(need)
        x[idx], y[idx] = px, py
        by[idx[np.isfinite(px)]] = "buildings"
    addr_reason = np.full(n, "", dtype=object)
    if addresses is not None and len(addresses) and (by == "").any():
        problems += _by_address(df, addresses, address_col, address_crs, x, y, by, addr_reason)
    placed = by != ""
    out = df.assign(entity=ids.to_numpy(), placed_by=by)[placed]
    points = gpd.GeoDataFrame(out.reset_index(drop=True),
                              geometry=gpd.points_from_xy(x[placed], y[placed]), crs="EPSG:4326")
    name_col = find_field(df.columns, ("name", "企业名称", "名称", "enterprise_name"))
    reason = np.where(addr_reason != "", addr_reason,
                      np.where(bad, "bad_coordinates", "no_coordinates"))[~placed]
    names = df.loc[~placed, name_col].to_numpy() if name_col else ids[~placed].to_numpy()
    unplaced = pd.DataFrame({"entity": ids[~placed].to_numpy(), "name": names,
                             "reason": reason})
    if len(unplaced):
        shown = [str(v) for v in unplaced["entity"]]
        problems.append(Problem("warning", "placement.unplaced",
                                f"{len(shown)} 家企业未能定位（无经纬度、无关联建筑）："
                                f"{'、'.join(shown[:10])}",
                                f"{len(shown)} enterprises could not be placed (no coordinates, no linked "
                                f"buildings): {', '.join(shown[:10])}", shown))
    return Placement(points, unplaced, problems)


def _by_address(df: pd.DataFrame, book: pd.DataFrame, address_col: str | None, crs: str, x: np.ndarray,
                y: np.ndarray, by: np.ndarray, reason: np.ndarray) -> list[Problem]:
    """Place the rows of ``df`` not yet placed by their address (fills x, y, by, reason in place)."""
    from gis.carbon.address_match import ADDRESS_NAMES, match_addresses

    col = address_col or find_field(df.columns, ADDRESS_NAMES)
    if col is None or col not in df.columns:
        return [Problem("warning", "placement.no_address",
                        "给了地址表，但企业表没有地址列（如 地址、注册地址）",
                        "An address table was given but the enterprise table has no address column "
                        "(e.g. 地址, 注册地址)")]
    need = np.flatnonzero(by == "")
    m = match_addresses(df[col].iloc[need], book)
    t = m.table
    hit = (t["row"] >= 0).to_numpy()
    if hit.any():
        wx, wy = lonlat_to_wgs84(t["lon"].to_numpy(float)[hit], t["lat"].to_numpy(float)[hit], crs)
        x[need[hit]], y[need[hit]] = wx, wy
        by[need[hit]] = "address"
    reason[need[(t["match"] == "ambiguous").to_numpy()]] = "address_ambiguous"
    has_text = t["normalised"].notna().to_numpy()
    reason[need[~hit & has_text & (t["match"] != "ambiguous").to_numpy()]] = "address_unmatched"
    return [Problem("info", "placement.address", f"按“{col}”列与地址表匹配定位",
                    f"Placed by matching column '{col}' to the address table"), *m.problems]


def _building_points(buildings: gpd.GeoDataFrame, key: str | None) -> tuple[pd.Series, pd.Series]:
    """WGS84 x, y of each enterprise's footprints (representative point of their union), by id."""
    key = key or find_field(buildings.columns, ENTERPRISE_ID_NAMES)
    if key is None or key not in buildings.columns:
        raise InputError("建筑图层没有企业代码字段（如 enterprise_id、企业代码），无法按建筑定位企业",
                         "The buildings layer has no enterprise-id field (e.g. enterprise_id, 企业代码): "
                         "enterprises cannot be placed by their buildings", code="placement.no_building_key")
    b = buildings[[key, buildings.geometry.name]].copy()
    b[key] = b[key].astype("string").str.strip()
    b = b[b[key].notna() & (b[key] != "")]
    merged = b.dissolve(by=key)
    pts = merged.representative_point()
    if merged.crs is not None and not merged.crs.equals("EPSG:4326"):
        pts = pts.to_crs("EPSG:4326")
    return pd.Series(pts.x.to_numpy(), index=merged.index), pd.Series(pts.y.to_numpy(), index=merged.index)


def township_totals(points: gpd.GeoDataFrame, townships: gpd.GeoDataFrame, *, township_key: str,
                    columns: tuple[str, ...] = ("t_co2", "tce", "value_added_10k_yuan", "land_mu")) \
        -> pd.DataFrame:
    """Σ of ``columns`` over the enterprise points inside each township (point-in-polygon; a
    point on a shared border goes to the first township found), plus ``enterprises`` (count).
    Every township is listed (zeros when it has none); NaN cells count as zero."""
    t = townships[[township_key, townships.geometry.name]]
    p = points if points.crs == t.crs or t.crs is None else points.to_crs(t.crs)
    cols = [c for c in columns if c in p.columns]
    hit = gpd.sjoin(p[[*cols, p.geometry.name]], t, how="inner", predicate="intersects")
    hit = hit[~hit.index.duplicated(keep="first")]
    sums = hit.groupby(township_key)[cols].sum(min_count=0) if cols else pd.DataFrame()
    count = hit.groupby(township_key).size()
    keys = pd.unique(t[township_key])
    out = sums.reindex(keys).fillna(0.0) if cols else pd.DataFrame(index=keys)
    out["enterprises"] = count.reindex(keys).fillna(0).astype(int).to_numpy()
    return out.rename_axis(township_key).reset_index()
