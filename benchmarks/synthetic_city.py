"""Synthetic districts of rectangular footprints for the PV benchmarks (metric CRS)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

CRS = "EPSG:4549"  # CGCS2000 3° Gauss–Krüger, CM 120°E (Hangzhou)
ORIGIN = (420_000.0, 3_340_000.0)  # ≈ 120.17°E, 30.2°N


def footprints(n: int, seed: int = 0, cell_m: float = 60.0) -> gpd.GeoDataFrame:
    """``n`` rectangles 10–50 m, rotated up to ±45°, on a jittered ``cell_m`` grid (streets
    between), with
    ``use_class``, ``height_m`` (lognormal, 6–150 m, 1% towers), ``roof_slope_deg``,
    ``footprint_m2`` and ``roof_m2`` as made by ``gis.park.prepare_buildings``."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n)))
    i = np.arange(n)
    cx = ORIGIN[0] + (i % side) * cell_m + rng.uniform(-3, 3, n)
    cy = ORIGIN[1] + (i // side) * cell_m + rng.uniform(-3, 3, n)
    w = rng.uniform(10, 50, n)
    h = rng.uniform(10, 50, n)
    turn = np.radians(rng.uniform(-45, 45, n))
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]], float) / 2.0
    dx = corners[None, :, 0] * w[:, None]
    dy = corners[None, :, 1] * h[:, None]
    ring = np.stack([cx[:, None] + dx * np.cos(turn)[:, None] - dy * np.sin(turn)[:, None],
                     cy[:, None] + dx * np.sin(turn)[:, None] + dy * np.cos(turn)[:, None]], axis=-1)
    geoms = shapely.polygons(ring)
    use = rng.choice(np.array(["industrial", "warehouse", "office", "dormitory", "public"]), n,
                     p=[0.4, 0.15, 0.25, 0.1, 0.1])
    height = np.clip(rng.lognormal(np.log(15), 0.6, n), 6, 150)
    height[rng.random(n) < 0.01] = rng.uniform(100, 250, int((rng.random(n) < 0.01).sum()) or 1)[0]
    metal = np.isin(use, ["industrial", "warehouse"])
    slope = np.where(metal, 5.0, 0.0)
    g = gpd.GeoDataFrame({"bldg_id": i, "use_class": use, "height_m": height, "roof_slope_deg": slope},
                         geometry=geoms, crs=CRS)
    g["footprint_m2"] = w * h
    g["roof_m2"] = g["footprint_m2"] / np.cos(np.radians(slope))
    return g
