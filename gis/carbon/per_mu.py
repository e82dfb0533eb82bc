"""Per-mu (亩均) figures of enterprises and townships: tce/mu, tCO2/mu, value added/mu.

The 亩均论英雄 practice (Zhejiang, 2018 onwards: enterprises compared by tax, value added and
energy per mu of land they use) needs each enterprise's land. It is taken, per enterprise, from:

1. ``table`` — a land column of the energy table (``占地面积(亩)``, ``用地面积(平方米)`` …: the
   ``land_mu`` of :func:`gis.carbon.inventory.read_energy_inventory`);
2. ``parcels`` — the area of the land parcels (宗地) linked to it by an enterprise id;
3. ``footprints`` — the area of its building footprints, a lower bound of its land (yards, roads
   and green space are not counted), marked so.

1 mu = 10000/15 m² ≈ 666.67 m² (gis.defaults.M2_PER_MU; 市制 unit, DOMAIN.md §3). Township
figures are Σ numerator / Σ land over the enterprises that have both (not a mean of ratios).
Enterprises without land get NaN and are listed in a warning.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.defaults import M2_PER_MU
from gis.errors import InputError, Problem
from gis.fields import find_field

PER_MU_COLUMNS = {"tce": "tce_per_mu", "t_co2": "t_co2_per_mu",
                  "value_added_10k_yuan": "value_added_10k_yuan_per_mu"}
"""numerator column → per-mu column (tce/mu, tCO2/mu, 10^4 yuan/mu)."""
LAND_SOURCES = ("table", "parcels", "footprints")


def land_mu_by_id(polygons: gpd.GeoDataFrame, key: str | None = None) -> pd.Series:
    """Σ polygon area per enterprise id, mu (areas in the local metric CRS; overlaps within one
    enterprise are counted once, by dissolving first)."""
    from gis.carbon.placement import ENTERPRISE_ID_NAMES
    from gis.crs import metric_frame

    key = key or find_field(polygons.columns, ENTERPRISE_ID_NAMES)
    if key is None or key not in polygons.columns:
        raise InputError("面图层没有企业代码字段（如 enterprise_id、企业代码），无法求企业用地",
                         "The polygons have no enterprise-id field (e.g. enterprise_id, 企业代码): the "
                         "enterprises' land cannot be measured", code="per_mu.no_key")
    g = polygons[[key, polygons.geometry.name]].copy()
    g[key] = g[key].astype("string").str.strip()
    g = g[g[key].notna() & (g[key] != "")]
    if g.crs is not None:
        g = metric_frame(g, what_zh="用地图层", what_en="The land layer")
    merged = g.dissolve(by=key)
    return pd.Series(merged.geometry.area.to_numpy() / M2_PER_MU, index=merged.index.astype(str),
                     name="land_mu")


def per_mu_figures(entities: pd.DataFrame, *, parcels: gpd.GeoDataFrame | None = None,
                   footprints: gpd.GeoDataFrame | None = None, key: str | None = None) -> pd.DataFrame:
    """Per-mu figures of each enterprise row of ``entities`` (columns ``entity`` and any of
    ``tce``, ``t_co2``, ``value_added_10k_yuan``, ``land_mu``; e.g. the ``entities`` of
    :func:`gis.carbon.emissions.account_emissions`).

    Adds ``land_mu`` (filled from parcels, then footprints), ``land_source`` (``table``,
    ``parcels``, ``footprints`` or None) and ``tce_per_mu``, ``t_co2_per_mu``,
    ``value_added_10k_yuan_per_mu`` (NaN without land > 0). ``.attrs["problems"]`` lists the
    enterprises without land and those measured by footprints.
    """
    if "entity" not in entities.columns:
        raise InputError("企业表缺少 entity 列", "The enterprise table has no 'entity' column",
                         code="per_mu.no_entity")
    out = entities.copy()
    ids = out["entity"].astype(str).to_numpy()
    land = pd.to_numeric(out["land_mu"], errors="coerce").to_numpy(float, copy=True) if "land_mu" in out \
        else np.full(len(out), np.nan)
    source = np.full(len(out), None, dtype=object)
    source[land > 0] = "table"
    for name, layer in (("parcels", parcels), ("footprints", footprints)):
        if layer is None or len(layer) == 0:
            continue
        need = ~(land > 0)
        got = land_mu_by_id(layer, key).reindex(ids).to_numpy(float)
        fill = need & (got > 0)
        land[fill] = got[fill]
        source[fill] = name
    out["land_mu"] = land
    out["land_source"] = source
    ok = land > 0
    for num, col in PER_MU_COLUMNS.items():
        v = pd.to_numeric(out[num], errors="coerce").to_numpy(float) if num in out \
            else np.full(len(out), np.nan)
        out[col] = np.where(ok, v / np.where(ok, land, 1.0), np.nan)
    problems: list[Problem] = []
    missing = [str(v) for v in out.loc[~ok, "entity"]]
    if missing:
        problems.append(Problem("warning", "per_mu.no_land",
                                f"{len(missing)} 家企业没有用地面积（表中无 占地面积(亩)，"
                                f"也无关联宗地或建筑），未算亩均：{'、'.join(missing[:10])}",
                                f"{len(missing)} enterprises have no land area (no 占地面积(亩) in the "
                                f"table, no linked parcels or buildings) and get no per-mu figures: "
                                f"{', '.join(missing[:10])}", missing))
    by_fp = [str(v) for v in out.loc[source == "footprints", "entity"]]
    if by_fp:
        problems.append(Problem("info", "per_mu.footprints",
                                f"{len(by_fp)} 家企业的用地按建筑基底面积计（偏小，亩均值偏大）",
                                f"{len(by_fp)} enterprises' land is their building footprints (an "
                                "underestimate: their per-mu figures are high)", by_fp))
    out.attrs["problems"] = problems
    return out


def township_per_mu(figures: pd.DataFrame, township: pd.Series | np.ndarray | str) -> pd.DataFrame:
    """Per township: Σ land_mu, Σ tce, Σ t_co2, Σ value added over its enterprises with land,
    and the per-mu ratios Σ numerator / Σ land. ``township``: a column name of ``figures`` or
    one township key per row (e.g. from a spatial join)."""
    t = figures[township] if isinstance(township, str) \
        else pd.Series(np.asarray(township), index=figures.index)
    land = pd.to_numeric(figures["land_mu"], errors="coerce")
    has = land > 0
    frame = pd.DataFrame({"township": t, "land_mu": land.where(has, 0.0), "enterprises": 1,
                          "with_land": has.astype(int)})
    for num in PER_MU_COLUMNS:
        v = pd.to_numeric(figures[num], errors="coerce") if num in figures \
            else pd.Series(np.nan, index=figures.index)
        frame[num] = v.where(has, 0.0).fillna(0.0)
    g = frame.groupby("township", dropna=True).sum()
    for num, col in PER_MU_COLUMNS.items():
        g[col] = np.where(g["land_mu"] > 0, g[num] / g["land_mu"].where(g["land_mu"] > 0, 1.0), np.nan)
    return g.reset_index()
