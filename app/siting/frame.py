"""The metric CRS the siting works in, and transforms between it and the map view's CRS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import geopandas as gpd
import numpy as np

if TYPE_CHECKING:
    from app.workspace import Workspace

FALLBACK_LONLAT = (120.0, 30.0)
"""Where a lon/lat map without a park and without an extent is taken to be (east China)."""


LOCAL_CRS_MAX_WIDTH_DEG = 12.0
"""A projected CRS whose area of use is wider than this (Web Mercator, world or national
Lambert/Albers) distorts distances and areas too much to site in; UTM zones are 6° wide and
Gauss–Krüger 3° zones 3°."""


def is_local_projected(crs) -> bool:
    """Projected and made for a local area (a UTM or Gauss–Krüger zone, a city grid)."""
    if not crs.is_projected:
        return False
    area = crs.area_of_use
    if area is None:
        return True  # a custom local grid has no declared area
    width = (area.east - area.west) % 360 or 360.0
    return width <= LOCAL_CRS_MAX_WIDTH_DEG


class MapView(Protocol):
    """What the siting needs of a map view (the desktop app's canvas has both)."""

    def crs(self) -> Any: ...

    def extent(self) -> tuple[float, float, float, float] | None: ...


class WorkFrame:
    """``workspace``: the open project (its park and map CRS); ``view``: the map view whose
    coordinates edits arrive in (None: they are in the work CRS already, as in scripts)."""

    def __init__(self) -> None:
        self.workspace: Workspace | None = None
        self.view: MapView | None = None
        self._crs_cache: tuple | None = None
        self._tf_cache: dict[tuple, tuple] = {}

    def forget_crs(self) -> None:
        """Choose the work CRS again (another workspace or park)."""
        self._crs_cache = None

    def set_view(self, view: MapView | None) -> None:
        self.view = view
        self._tf_cache.clear()

    def view_crs(self) -> Any:
        return self.view.crs() if self.view is not None else None

    def work_crs(self) -> Any:
        """The map's CRS when it is a local projected one (the park's local metric CRS), else the
        local Gauss–Krüger/UTM zone of the park, of the open data, or of the view's centre; None
        without a map. A lon/lat or world-wide map (Web Mercator: areas 1.3–1.4× too large in
        China) is never worked in."""
        from pyproj import CRS

        ws = self.workspace
        crs = ws.map_crs() if ws is not None else None
        if crs is None:
            crs = self.view_crs()
        if crs is None:
            return None
        if self._crs_cache is not None and self._crs_cache[0] is crs:
            return self._crs_cache[1]
        work = CRS.from_user_input(crs)
        if is_local_projected(work):
            self._crs_cache = (crs, work)
            return work
        from gis.crs import local_metric_crs

        centre, settled = self._centre_lonlat()
        work = local_metric_crs(*centre)
        if settled:  # a centre from the view alone is chosen again once there is data
            self._crs_cache = (crs, work)
        return work

    def _centre_lonlat(self) -> tuple[tuple[float, float], bool]:
        """The centre to choose the local zone by, in degrees, and whether it comes from the park
        or the data (settled) rather than from wherever the view happens to be."""
        centre = self.site_lonlat() or self._data_lonlat()
        if centre is not None:
            return centre, True
        e = self.view.extent() if self.view is not None else None
        view_crs = self.view_crs()
        if e is not None and view_crs is not None:
            from pyproj import Transformer

            x, y = Transformer.from_crs(view_crs, 4326, always_xy=True).transform(
                (e[0] + e[2]) / 2, (e[1] + e[3]) / 2)
            if np.isfinite([x, y]).all():
                return (float(x), float(y)), False
        return FALLBACK_LONLAT, False

    def _data_lonlat(self) -> tuple[float, float] | None:
        """The centre of the open vector layers in degrees (None without any)."""
        ws = self.workspace
        if ws is None:
            return None
        boxes = []
        for layer in ws.tree.layers():
            try:
                b = layer.bounds(4326) if hasattr(layer, "gdf") else None
            except Exception:  # a layer without a CRS cannot say where it is
                b = None
            if b is not None and np.isfinite(b).all():
                boxes.append(b)
        if not boxes:
            return None
        a = np.array(boxes, dtype=float)
        return float((a[:, 0].min() + a[:, 2].max()) / 2), float((a[:, 1].min() + a[:, 3].max()) / 2)

    def site_lonlat(self) -> tuple[float, float] | None:
        """The park's centre in degrees (None without a park)."""
        park = getattr(self.workspace, "park", None)
        if park is None:
            return None
        c = park.boundary.to_crs(4326).geometry.union_all().centroid
        return float(c.x), float(c.y)

    def _tf(self, src: Any, dst: Any):
        from pyproj import CRS, Transformer

        if src is None or dst is None:
            return None
        key = (id(src), id(dst))
        hit = self._tf_cache.get(key)
        if hit is None or hit[0] is not src or hit[1] is not dst:
            tf = None if CRS.from_user_input(src) == CRS.from_user_input(dst) else \
                Transformer.from_crs(src, dst, always_xy=True)
            hit = (src, dst, tf)
            self._tf_cache[key] = hit
        return hit[2]

    def to_work(self, x: float, y: float) -> tuple[float, float]:
        """A point of the view into the work CRS."""
        tf = self._tf(self.view_crs(), self.work_crs())
        if tf is None:
            return float(x), float(y)
        wx, wy = tf.transform(x, y)
        return float(wx), float(wy)

    def to_work_arrays(self, xs, ys) -> tuple[np.ndarray, np.ndarray]:
        tf = self._tf(self.view_crs(), self.work_crs())
        return (np.asarray(xs, float), np.asarray(ys, float)) if tf is None else tf.transform(xs, ys)

    def from_work(self, xs, ys):
        """Work-CRS coordinates (arrays) into the view's CRS."""
        tf = self._tf(self.work_crs(), self.view_crs())
        return (xs, ys) if tf is None else tf.transform(xs, ys)

    def in_work(self, gdf: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
        """``gdf`` in the work CRS (as it is when it has none or is there already)."""
        if gdf is None:
            return None
        crs = self.work_crs()
        if crs is None or gdf.crs is None or gdf.crs == crs:
            return gdf
        return gdf.to_crs(crs)
