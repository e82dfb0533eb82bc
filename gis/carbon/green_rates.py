"""Green coverage (绿化覆盖率) and the green-land rate (绿地率): two different rates.

- 绿地率 = green land area ÷ park area: the land whose use is green space (GB 50137-2011 and
  CJJ/T 85-2017 count 绿地 by land use); roofs and walls are not land, tree crowns over roads or
  parking are not green land.
- 绿化覆盖率 = green cover area ÷ park area, where the green cover is the vertical projection of
  all vegetation — green land, roof greening and the crowns of trees standing on other land —
  with overlaps counted once (GB/T 50563-2010 《城市园林绿化评价标准》, 绿化覆盖面积: crowns over
  green land and under other crowns are not counted twice). Here: the shapely union of the
  green-land polygons, the roof-greening polygons and the tree canopies, inside the boundary.
- Vertical greening (垂直绿化) is reported (m² of greened wall, with its sink) but adds no cover: it
  has no projection area of its own.

Areas in m² in the layers' metric CRS.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely

if TYPE_CHECKING:
    import geopandas as gpd

GREEN_LAND_CLASSES = ("forest", "shrub", "grassland", "wetland", "tea")
"""Sink classes that are green land (vegetated land: not water, cropland, bare or built land)."""
ROOF_CLASS = "roof_greening"
VERTICAL_CLASS = "vertical_greening"


@dataclass
class GreenRates:
    """Green land, cover and rates of one park (m², %)."""

    park_area_m2: float
    green_land_m2: float
    roof_green_m2: float
    canopy_outside_green_m2: float
    coverage_m2: float
    vertical_green_m2: float

    @property
    def green_land_rate_pct(self) -> float | None:
        """绿地率, %."""
        return 100.0 * self.green_land_m2 / self.park_area_m2 if self.park_area_m2 > 0 else None

    @property
    def green_coverage_pct(self) -> float | None:
        """绿化覆盖率, %."""
        return 100.0 * self.coverage_m2 / self.park_area_m2 if self.park_area_m2 > 0 else None

    def to_dict(self) -> dict:
        out = {k: round(v, 3) for k, v in asdict(self).items()}
        for k in ("green_land_rate_pct", "green_coverage_pct"):
            v = getattr(self, k)
            out[k] = None if v is None else round(v, 4)
        return out


def _union(geoms) -> shapely.Geometry:
    g = np.asarray([x for x in geoms if x is not None and not shapely.is_empty(x)], dtype=object)
    if not len(g):
        return shapely.Polygon()
    return shapely.union_all(shapely.make_valid(g))


def canopy_shapes(trees: gpd.GeoDataFrame | None) -> np.ndarray:
    """Crown projections of tree rows/points/canopy polygons: polygons as they are, points and lines
    buffered by half the crown width (``canopy_width_used_m`` of gis.carbon.sinks.tree_sinks'
    ``trees``, else ``canopy_width_m``)."""
    if trees is None or not len(trees):
        return np.array([], dtype=object)
    geoms = np.asarray(trees.geometry.array, dtype=object)
    col = next((c for c in ("canopy_width_used_m", "canopy_width_m") if c in trees.columns), None)
    width = trees[col].to_numpy(dtype=float) if col else np.full(len(trees), np.nan)
    tid = shapely.get_type_id(geoms)
    poly = np.isin(tid, (3, 6))
    ok = poly | (np.isfinite(width) & (width > 0))
    out = np.where(poly, geoms, shapely.buffer(geoms, np.nan_to_num(width) / 2.0))
    return out[ok]


def green_rates(boundary, green: gpd.GeoDataFrame | None, canopy=None,
                class_field: str = "sink_class") -> GreenRates:
    """Both rates of a park: ``boundary`` (polygons, metric CRS), ``green`` (polygons with the sink
    class in ``class_field``, e.g. the ``features`` of gis.carbon.sinks.vector_sinks), ``canopy``
    (crown polygons, e.g. :func:`canopy_shapes`). Everything is clipped to the boundary."""
    b_geoms = np.asarray(boundary.geometry.array if hasattr(boundary, "geometry") else boundary, dtype=object)
    park = _union(b_geoms)
    park_m2 = float(shapely.area(park))
    empty = np.array([], dtype=object)
    if green is not None and len(green):
        classes = green[class_field].to_numpy(dtype=object)
        g = np.asarray(green.geometry.array, dtype=object)
        land_g, roof_g, wall_g = (g[np.isin(classes, c)] for c in (GREEN_LAND_CLASSES, (ROOF_CLASS,),
                                                                    (VERTICAL_CLASS,)))
    else:
        land_g = roof_g = wall_g = empty
    land = shapely.intersection(_union(land_g), park)
    roof = shapely.difference(shapely.intersection(_union(roof_g), park), land)
    crowns = shapely.intersection(_union(canopy if canopy is not None else empty), park)
    cover = shapely.union_all([land, roof, crowns])
    land_m2, roof_m2, cover_m2 = (float(shapely.area(x)) for x in (land, roof, cover))
    wall_m2 = float(np.nansum(shapely.area(wall_g))) if len(wall_g) else 0.0
    return GreenRates(park_area_m2=park_m2, green_land_m2=land_m2, roof_green_m2=roof_m2,
                      canopy_outside_green_m2=cover_m2 - land_m2 - roof_m2, coverage_m2=cover_m2,
                      vertical_green_m2=wall_m2)
