"""The layer model: vector layers and an ordered layer stack with change callbacks. No Qt.

Like napari's layer model, layers know nothing about widgets: a canvas, the PNG export or the
PDF report subscribe to :attr:`VectorLayer.changed` (and the tree's ``changed``) and redraw.
Callbacks run synchronously in the thread that made the change.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from layers.style import CategorizedStyle, GraduatedStyle, SingleStyle, Style

__all__ = ["CategorizedStyle", "GraduatedStyle", "Signal", "SingleStyle", "Style",
           "VectorLayer", "geometry_kind", "reproject", "union_bounds"]

REPROJECT_CHUNK = 50_000
"""Features per step of :func:`reproject`: each step holds the GIL ~20–40 ms (1M footprints:
~1 s in all), so a GUI thread waiting for the GIL gets it between steps instead of after the
whole layer."""

_POINT_TYPES = (0, 4)  # shapely type ids: Point, MultiPoint
_LINE_TYPES = (1, 2, 5)  # LineString, LinearRing, MultiLineString


class Signal:
    """A minimal callback list: ``connect(cb)`` returns a function that disconnects it."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[[], None]:
        self._callbacks.append(callback)
        return lambda: self.disconnect(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for cb in list(self._callbacks):
            cb(*args)


class VectorLayer:
    """A styled GeoDataFrame (any CRS).

    ``changed`` is emitted as ``(layer, what)`` with what in "name", "visible", "opacity",
    "style", "data", "selection", "title"; call :meth:`refresh` after editing the style object in
    place. ``title`` is the display name (default: ``name``); ``name`` is the stable key (e.g.
    "rooftop_pv" for :mod:`layers.presets`). ``selection`` holds positional row indices
    (``gdf.iloc``), drawn highlighted. ``data_version`` increases on every "data" change and
    ``selection_version`` on every change of the selection (caches key on them: two selections of
    equal size and sum must never share a cached image).
    """

    def __init__(self, name: str, gdf: gpd.GeoDataFrame, style: Style | None = None,
                 visible: bool = True, opacity: float = 1.0, title: str | None = None) -> None:
        self.changed = Signal()
        self._name = name
        self._title = title
        self._gdf = gdf
        self._style: Style = style if style is not None else SingleStyle()
        self._visible = bool(visible)
        self._opacity = _clamp01(opacity)
        self._reprojected: dict[str, gpd.GeoDataFrame] = {}
        self._selection = np.zeros(0, dtype=np.int64)
        self.data_version = 0
        self.style_version = 0
        self.selection_version = 0

    def __repr__(self) -> str:
        return f"VectorLayer({self._name!r}, {len(self._gdf)} features, {type(self._style).__name__})"

    def _set(self, attr: str, value: Any, what: str) -> None:
        if getattr(self, attr) is value or getattr(self, attr) == value:
            return
        setattr(self, attr, value)
        self.changed.emit(self, what)

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        self._set("_name", value, "name")

    @property
    def title(self) -> str:
        """Display name (legend, layer panel); falls back to :attr:`name`."""
        return self._title if self._title else self._name

    @title.setter
    def title(self, value: str | None) -> None:
        if value == self._title:
            return
        self._title = value
        self.changed.emit(self, "title")

    @property
    def selection(self) -> np.ndarray:
        """Selected features: sorted unique positional row indices (int64; empty = none)."""
        return self._selection

    @selection.setter
    def selection(self, rows) -> None:
        rows = np.unique(np.asarray(rows if rows is not None else [], dtype=np.int64).ravel())
        n = len(self._gdf)
        if len(rows) and (rows[0] < 0 or rows[-1] >= n):
            raise IndexError(f"selection rows must be in 0..{n - 1}")
        if np.array_equal(rows, self._selection):
            return
        self._selection = rows
        self.selection_version += 1
        self.changed.emit(self, "selection")

    def clear_selection(self) -> None:
        """Select nothing (bumps :attr:`selection_version` when something was selected)."""
        self.selection = []

    @property
    def geometry_kind(self) -> str:
        """"polygon", "line" or "point": the kind most of the features are (see :func:`geometry_kind`).

        Kept per :attr:`data_version`: the layer panel asks on every repaint (45 ms for 1M features)."""
        cached = getattr(self, "_kind_cache", None)
        if cached is None or cached[0] != self.data_version:
            kind = geometry_kind(self._gdf.geometry.to_numpy() if len(self._gdf) else [])
            self._kind_cache = cached = (self.data_version, kind)
        return cached[1]

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        self._set("_visible", bool(value), "visible")

    @property
    def opacity(self) -> float:
        return self._opacity

    @opacity.setter
    def opacity(self, value: float) -> None:
        self._set("_opacity", _clamp01(value), "opacity")

    @property
    def style(self) -> Style:
        return self._style

    @style.setter
    def style(self, value: Style) -> None:
        self._style = value
        self.style_version += 1
        self.changed.emit(self, "style")

    @property
    def gdf(self) -> gpd.GeoDataFrame:
        return self._gdf

    @gdf.setter
    def gdf(self, value: gpd.GeoDataFrame) -> None:
        self._gdf = value
        self._reprojected.clear()
        self.data_version += 1
        if len(self._selection) and self._selection[-1] >= len(value):
            self._selection = self._selection[self._selection < len(value)]
            self.selection_version += 1
        self.changed.emit(self, "data")

    def refresh(self, what: str = "style") -> None:
        """Tell subscribers the style (or data, edited in place) changed."""
        if what == "data":
            self._reprojected.clear()
            self.data_version += 1
        elif what == "style":
            self.style_version += 1
        self.changed.emit(self, what)

    @property
    def crs(self):
        return self._gdf.crs

    def in_crs(self, crs) -> gpd.GeoDataFrame:
        """The data in ``crs`` (cached; unchanged when either CRS is unknown or they are equal);
        reprojected in steps of :data:`REPROJECT_CHUNK` features (:func:`reproject`)."""
        if crs is None or self._gdf.crs is None or self._gdf.crs == crs:
            return self._gdf
        key = str(crs)
        if key not in self._reprojected:
            self._reprojected[key] = reproject(self._gdf, crs)
        return self._reprojected[key]

    def bounds(self, crs=None) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) in ``crs`` (default: the layer's), None when empty."""
        gdf = self.in_crs(crs)
        if gdf.empty:
            return None
        b = gdf.total_bounds
        return None if not all(map(_finite, b)) else (float(b[0]), float(b[1]), float(b[2]), float(b[3]))



class Bounded(Protocol):
    """What :func:`union_bounds` needs of a layer: a vector layer or a raster layer."""

    @property
    def crs(self) -> Any: ...

    def bounds(self, crs=None) -> tuple[float, float, float, float] | None: ...


def union_bounds(layers: Sequence[Bounded], crs=None) -> tuple[float, float, float, float] | None:
    """Union of the layers' bounds in ``crs`` (default: the first layer's CRS)."""
    if not layers:
        return None
    crs = crs if crs is not None else layers[0].crs
    boxes = [b for b in (lyr.bounds(crs) for lyr in layers) if b is not None]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def reproject(gdf: gpd.GeoDataFrame, crs, chunk: int | None = None) -> gpd.GeoDataFrame:
    """``gdf.to_crs(crs)`` — the same frame, coordinate for coordinate — computed ``chunk``
    features at a time (default :data:`REPROJECT_CHUNK`), so other threads get the GIL between
    chunks. Vectorised like geopandas: per chunk, all coordinates through one pyproj
    Transformer (always_xy) and back with ``shapely.set_coordinates`` (2D and 3D separately)."""
    chunk = int(chunk or REPROJECT_CHUNK)
    n = len(gdf)
    dst = pyproj.CRS.from_user_input(crs)
    if n <= chunk or gdf.crs is None or gdf.crs.is_exact_same(dst):
        return gdf.to_crs(dst)  # (raises like to_crs for an unknown source CRS)
    transformer = pyproj.Transformer.from_crs(gdf.crs, dst, always_xy=True)
    geoms = gdf.geometry.to_numpy()
    out = np.empty(n, dtype=object)
    for lo in range(0, n, chunk):
        part = geoms[lo:lo + chunk]
        has_z = shapely.has_z(part)
        res = np.empty_like(part)
        for mask, z in ((~has_z, False), (has_z, True)):
            sub = part[mask]
            xyz = shapely.get_coordinates(sub, include_z=z)
            new = np.array(transformer.transform(*(xyz[:, k] for k in range(xyz.shape[1])))).T
            res[mask] = shapely.set_coordinates(sub.copy(), new)
        out[lo:lo + chunk] = res
    df = gdf.copy(deep=int(pd.__version__.split(".")[0]) < 3)  # as to_crs: lazy copy on pandas 3
    df.geometry = gpd.GeoSeries(out, index=gdf.index, crs=dst, name=gdf.geometry.name)
    return df


def geometry_kind(geoms) -> str:
    """"point", "line" or "polygon": the most common kind of the non-empty ``geoms`` (polygon when
    there are none; geometry collections count as polygons)."""
    types = shapely.get_type_id(np.asarray(geoms, dtype=object))
    types = types[types >= 0]
    if len(types) == 0:
        return "polygon"
    n_point = int(np.isin(types, _POINT_TYPES).sum())
    n_line = int(np.isin(types, _LINE_TYPES).sum())
    n_poly = len(types) - n_point - n_line
    return max((n_poly, "polygon"), (n_line, "line"), (n_point, "point"), key=lambda t: t[0])[1]


def _clamp01(x: float) -> float:
    return min(max(float(x), 0.0), 1.0)


def _finite(x: float) -> bool:
    return x == x and abs(x) != float("inf")
