"""The metric CRS the siting works in, and transforms between it and the map view's CRS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import geopandas as gpd
import numpy as np

if TYPE_CHECKING:
    from app.workspace import Workspace

FALLBACK_LONLAT = (120.0, 30.0)
"""Where a lon/lat map without a park and without an extent is taken to be (east China)."""


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
        """The map's CRS (the park's local metric CRS) when projected, else the local
        Gauss–Krüger/UTM zone of the park (or of the view's centre); None without a map."""
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
        if not work.is_projected:
            from gis.crs import local_metric_crs

            work = local_metric_crs(*self._centre_lonlat())
        self._crs_cache = (crs, work)
        return work

    def _centre_lonlat(self) -> tuple[float, float]:
        centre = self.site_lonlat()
        if centre is not None:
            return centre
        e = self.view.extent() if self.view is not None else None
        if e is not None:
            return (e[0] + e[2]) / 2, (e[1] + e[3]) / 2
        return FALLBACK_LONLAT

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
