"""Raster layers: a numpy grid + GDAL geotransform + CRS, coloured and drawn with QPainter (QtGui).

``RasterLayer(name, array, transform, crs, colormap=None, nodata=None)``:

- ``array``: (rows, cols) numbers (coloured by the colormap) or (rows, cols, 3|4) uint8 RGB(A)
  (drawn as is, e.g. an orthophoto).
- ``transform``: the GDAL geotransform ``(x0, dx, rx, y0, ry, dy)``: the world position of the
  top-left corner of cell (col, row) is ``x = x0 + col·dx + row·rx``, ``y = y0 + col·ry + row·dy``
  (``dy`` < 0 for north-up grids) — rasterio's ``transform.to_gdal()``.
- ``colormap``: a :class:`Colormap`; None = :data:`VIRIDIS` stretched over the data's 2nd–98th
  percentiles; a list of ``(value, colour)`` = linear stops; a dict ``{value: colour}`` or
  ``{value: (colour, label_zh, label_en)}`` = discrete classes (other values transparent).
- ``nodata`` cells, NaN and ±inf are transparent.

Drawing maps the coloured image onto the device with one QTransform (image pixel → world → device,
so rotated grids work too), nearest-neighbour (class rasters stay exact), cropped to the view and
decimated by powers of 2 when a device pixel covers several cells. When the map CRS differs from
the raster's, the coloured RGBA bands are warped once with ``rasterio.warp.reproject`` (nearest)
and cached per CRS. ``changed`` emits ``(layer, what)`` like :class:`~layers.layer.VectorLayer`.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QImage, QPainter, QTransform

from gis.errors import InputError
from layers.layer import Signal, _clamp01
from layers.legend import LegendBlock, LegendRow
from layers.qpath import WorldToPixel
from layers.style import common_decimals, format_break, hex_to_rgb

VIRIDIS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
"""matplotlib's viridis at 0, ¼, ½, ¾, 1 (van der Walt & Smith 2015, CC0): perceptually uniform,
readable by colour-blind viewers and in greyscale; the default raster ramp."""


@dataclass
class Colormap:
    """Colours of a raster's values.

    mode "linear": ``stops`` = [(value, colour)] ascending, colours interpolated in sRGB between
    them, values outside clamp to the end colours. mode "discrete": each stop is a class code;
    cells with other values are transparent. labels: optional {value: (zh, en)} for the legend.
    unit: shown in the legend.
    """

    stops: list[tuple[float, str]]
    mode: str = "linear"
    labels: dict = field(default_factory=dict)
    unit: str = ""

    def __post_init__(self) -> None:
        if self.mode not in ("linear", "discrete"):
            raise ValueError(f"colormap mode must be 'linear' or 'discrete', got {self.mode!r}")
        self.stops = sorted(((float(v), str(c)) for v, c in self.stops), key=lambda t: t[0])

    def rgba(self, values: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """(…, 4) uint8 RGBA of ``values``; alpha 0 where not ``valid`` (or no class matches)."""
        out = np.zeros((*values.shape, 4), dtype=np.uint8)
        if not self.stops:
            return out
        vals = np.asarray([v for v, _ in self.stops])
        cols = np.asarray([hex_to_rgb(c) for _, c in self.stops], dtype=float)
        v = np.where(valid, values, vals[0]).astype(float)
        if self.mode == "linear":
            for k in range(3):
                out[..., k] = np.round(np.interp(v, vals, cols[:, k])).astype(np.uint8)
            out[..., 3] = np.where(valid, 255, 0)
            return out
        idx = np.clip(np.searchsorted(vals, v), 0, len(vals) - 1)
        hit = valid & (vals[idx] == v)
        for k in range(3):
            out[..., k] = cols[idx, k].astype(np.uint8)
        out[..., 3] = np.where(hit, 255, 0)
        return out

    def to_dict(self) -> dict:
        return {"stops": [[v, c] for v, c in self.stops], "mode": self.mode,
                "labels": {str(k): list(v) for k, v in self.labels.items()}, "unit": self.unit}

    @classmethod
    def from_dict(cls, d: dict) -> Colormap:
        labels = {float(k): tuple(v) for k, v in (d.get("labels") or {}).items()}
        return cls([(float(v), str(c)) for v, c in d.get("stops", [])], d.get("mode", "linear"), labels,
                   d.get("unit", ""))


def make_colormap(spec, values: np.ndarray | None = None, valid: np.ndarray | None = None) -> Colormap | None:
    """A :class:`Colormap` from the accepted ``colormap`` arguments (see the module doc)."""
    if spec is None:
        if values is None:
            return None
        v = values[valid] if valid is not None else values.ravel()
        v = v[np.isfinite(v)] if v.dtype.kind == "f" else v
        if v.size == 0:
            return Colormap([(0.0, VIRIDIS[0]), (1.0, VIRIDIS[-1])])
        lo, hi = (float(x) for x in np.percentile(v, [2, 98]))
        if hi <= lo:
            lo, hi = float(v.min()), float(v.max()) if float(v.max()) > float(v.min()) else float(v.min()) + 1
        return Colormap([(lo + (hi - lo) * i / (len(VIRIDIS) - 1), c) for i, c in enumerate(VIRIDIS)])
    if isinstance(spec, Colormap):
        return spec
    if isinstance(spec, dict):
        stops, labels = [], {}
        for value, item in spec.items():
            if isinstance(item, tuple | list):
                stops.append((float(value), item[0]))
                if len(item) >= 3:
                    labels[float(value)] = (str(item[1]), str(item[2]))
            else:
                stops.append((float(value), str(item)))
        return Colormap(stops, "discrete", labels)
    return Colormap([(float(v), str(c)) for v, c in spec], "linear")


class RasterLayer:
    """A georeferenced grid drawn as an image (see the module doc)."""

    kind = "raster"

    def __init__(self, name: str, array: np.ndarray, transform, crs, colormap=None, nodata=None,
                 visible: bool = True, opacity: float = 1.0, title: str | None = None,
                 title_zh: str = "", title_en: str = "") -> None:
        self.changed = Signal()
        self._name = name
        self._title = title
        self.title_zh, self.title_en = title_zh, title_en
        self._visible = bool(visible)
        self._opacity = _clamp01(opacity)
        self._lock = threading.Lock()
        self.data_version = 0
        self.style_version = 0
        self._set_data(array, transform, crs, nodata)
        self._colormap = None if self._rgb else make_colormap(colormap, self._array, self._valid())
        self._cache: dict = {}

    def __repr__(self) -> str:
        return f"RasterLayer({self._name!r}, {self._array.shape[1]}×{self._array.shape[0]})"

    def _set_data(self, array, transform, crs, nodata) -> None:
        a = np.asarray(array)
        if a.ndim == 3 and a.shape[2] in (3, 4) and a.dtype == np.uint8:
            self._rgb = True
        elif a.ndim == 2:
            self._rgb = False
        else:
            raise InputError(f"栅格数组形状 {a.shape} 不支持（应为 行×列，或 行×列×3/4 的 uint8 RGB(A)）",
                             f"raster array of shape {a.shape} not supported (rows × cols, or rows × cols × "
                             "3/4 uint8 RGB(A))", code="raster.shape")
        t = tuple(float(x) for x in transform)
        if len(t) != 6 or t[1] * t[5] - t[2] * t[4] == 0:
            raise InputError(f"栅格地理变换无效：{transform}", f"invalid raster geotransform: {transform}",
                             code="raster.transform")
        if crs is not None and not hasattr(crs, "is_geographic"):
            from pyproj import CRS

            crs = CRS.from_user_input(crs)  # like a GeoDataFrame's .crs
        self._array, self._transform, self._crs, self.nodata = a, t, crs, nodata

    # ---- properties with events -----------------------------------------------------------------

    def _emit(self, what: str) -> None:
        self.changed.emit(self, what)

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        if value != self._name:
            self._name = value
            self._emit("name")

    @property
    def title(self) -> str:
        return self._title or self._name

    @title.setter
    def title(self, value: str | None) -> None:
        if value != self._title:
            self._title = value
            self._emit("title")

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        if bool(value) != self._visible:
            self._visible = bool(value)
            self._emit("visible")

    @property
    def opacity(self) -> float:
        return self._opacity

    @opacity.setter
    def opacity(self, value: float) -> None:
        v = _clamp01(value)
        if v != self._opacity:
            self._opacity = v
            self._emit("opacity")

    @property
    def colormap(self) -> Colormap | None:
        return self._colormap

    @colormap.setter
    def colormap(self, value) -> None:
        self._colormap = None if self._rgb else make_colormap(value, self._array, self._valid())
        with self._lock:
            self._cache.clear()
        self.style_version += 1
        self._emit("style")

    @property
    def array(self) -> np.ndarray:
        return self._array

    @property
    def transform(self) -> tuple[float, ...]:
        return self._transform

    @property
    def crs(self):
        return self._crs

    def set_data(self, array, transform=None, crs=None, nodata=None) -> None:
        """Replace the grid (and optionally its georeference); emits "data"."""
        self._set_data(array, transform or self._transform, crs if crs is not None else self._crs,
                       nodata if nodata is not None else self.nodata)
        with self._lock:
            self._cache.clear()
        self.data_version += 1
        self._emit("data")

    def refresh(self, what: str = "style") -> None:
        with self._lock:
            self._cache.clear()
        if what == "data":
            self.data_version += 1
        else:
            self.style_version += 1
        self._emit(what)

    def style_dict(self) -> dict:
        return {"colormap": self._colormap.to_dict() if self._colormap else None,
                "nodata": None if self.nodata is None else float(self.nodata)}

    def apply_style_dict(self, d: dict) -> None:
        if d.get("nodata") is not None:
            self.nodata = d["nodata"]
        if d.get("colormap"):
            self.colormap = Colormap.from_dict(d["colormap"])

    # ---- geometry --------------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        return int(self._array.shape[0]), int(self._array.shape[1])

    def corners(self) -> np.ndarray:
        """(4, 2) world corners of the grid (top-left, top-right, bottom-right, bottom-left)."""
        rows, cols = self.shape
        x0, dx, rx, y0, ry, dy = self._transform
        cr = np.array([[0, 0], [cols, 0], [cols, rows], [0, rows]], dtype=float)
        return np.column_stack([x0 + cr[:, 0] * dx + cr[:, 1] * rx, y0 + cr[:, 0] * ry + cr[:, 1] * dy])

    def bounds(self, crs=None) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) in ``crs`` (default: the raster's)."""
        c = self.corners()
        if crs is not None and self._crs is not None and not _same_crs(crs, self._crs):
            from rasterio.warp import transform_bounds

            x0, y0, x1, y1 = transform_bounds(_rio_crs(self._crs), _rio_crs(crs), c[:, 0].min(),
                                              c[:, 1].min(), c[:, 0].max(), c[:, 1].max(), densify_pts=21)
            return float(x0), float(y0), float(x1), float(y1)
        return float(c[:, 0].min()), float(c[:, 1].min()), float(c[:, 0].max()), float(c[:, 1].max())

    def world_to_cell(self, x: float, y: float) -> tuple[float, float]:
        """(col, row) as floats of the world point (x, y) in the raster's CRS."""
        x0, dx, rx, y0, ry, dy = self._transform
        det = dx * dy - rx * ry
        u, v = x - x0, y - y0
        return (dy * u - rx * v) / det, (-ry * u + dx * v) / det

    def value_at(self, x: float, y: float, crs=None):
        """The cell value under (x, y) (in ``crs``; default the raster's), None outside/no data."""
        if crs is not None and self._crs is not None and not _same_crs(crs, self._crs):
            from rasterio.warp import transform as warp_transform

            xs, ys = warp_transform(_rio_crs(crs), _rio_crs(self._crs), [x], [y])
            x, y = xs[0], ys[0]
        col, row = self.world_to_cell(x, y)
        rows, cols = self.shape
        if not (0 <= col < cols and 0 <= row < rows):
            return None
        v = self._array[int(row), int(col)]
        if not self._rgb and not self._valid_value(v):
            return None
        return v.tolist() if hasattr(v, "tolist") else v

    def _valid_value(self, v) -> bool:
        if isinstance(v, float | np.floating) and not math.isfinite(float(v)):
            return False
        return self.nodata is None or v != self.nodata

    def _valid(self) -> np.ndarray:
        a = self._array
        valid = np.isfinite(a) if a.dtype.kind == "f" else np.ones(a.shape, bool)
        if self.nodata is not None and not (isinstance(self.nodata, float) and math.isnan(self.nodata)):
            valid &= a != self.nodata
        return valid

    # ---- colouring, reprojection, drawing -------------------------------------------------------

    def rgba(self) -> np.ndarray:
        """(rows, cols, 4) uint8 RGBA of the grid in its own CRS (cached)."""
        key = ("rgba", self.data_version, self.style_version)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        a = self._array
        if self._rgb:
            out = np.empty((*a.shape[:2], 4), np.uint8)
            out[..., :3] = a[..., :3]
            out[..., 3] = a[..., 3] if a.shape[2] == 4 else 255
        elif self._colormap is not None:
            out = self._colormap.rgba(a, self._valid())
        else:  # a single-band grid given by set_data() to a layer made with an RGB one
            raise RuntimeError(f"raster layer {self._name!r} has no colour map")
        with self._lock:
            self._cache[key] = out
        return out

    def rgba_in_crs(self, crs) -> tuple[np.ndarray, tuple[float, ...]]:
        """(RGBA grid, GDAL transform) in ``crs``: warped with rasterio (nearest), cached."""
        if crs is None or self._crs is None or _same_crs(crs, self._crs):
            return self.rgba(), self._transform
        key = ("warp", str(crs), self.data_version, self.style_version)
        with self._lock:
            hit = self._cache.get(key)
        if hit is not None:
            return hit
        from affine import Affine
        from rasterio.warp import Resampling, calculate_default_transform, reproject

        src = self.rgba()
        rows, cols = self.shape
        b = self.bounds()
        dst_t, w, h = calculate_default_transform(_rio_crs(self._crs), _rio_crs(crs), cols, rows,
                                                  left=b[0], bottom=b[1], right=b[2], top=b[3])
        dst = np.zeros((4, h, w), np.uint8)
        reproject(np.ascontiguousarray(np.moveaxis(src, -1, 0)), dst, src_transform=Affine.from_gdal(
            *self._transform), src_crs=_rio_crs(self._crs), dst_transform=dst_t, dst_crs=_rio_crs(crs),
            resampling=Resampling.nearest, src_nodata=None, dst_nodata=0)
        out = (np.ascontiguousarray(np.moveaxis(dst, 0, -1)), tuple(dst_t.to_gdal()))
        with self._lock:
            self._cache[key] = out
        return out

    def draw(self, painter: QPainter, crs, transform: WorldToPixel,
             view: tuple[float, float, float, float] | None = None) -> None:
        """Draw onto ``painter`` (device pixels via ``transform``; painter opacity applies)."""
        rgba, gt = self.rgba_in_crs(crs)
        x0, dx, rx, y0, ry, dy = gt
        rows, cols = rgba.shape[:2]
        c0 = r0 = 0
        if view is not None and rx == 0 and ry == 0:  # crop to the visible window (+1 cell)
            cs = sorted(((view[0] - x0) / dx, (view[2] - x0) / dx))
            rs = sorted(((view[3] - y0) / dy, (view[1] - y0) / dy))
            c0, c1 = max(math.floor(cs[0]) - 1, 0), min(math.ceil(cs[1]) + 1, cols)
            r0, r1 = max(math.floor(rs[0]) - 1, 0), min(math.ceil(rs[1]) + 1, rows)
            if c1 <= c0 or r1 <= r0:
                return
            rgba = rgba[r0:r1, c0:c1]
            x0, y0 = x0 + c0 * dx + r0 * rx, y0 + c0 * ry + r0 * dy
        cell_px = math.sqrt(abs(dx * dy - rx * ry)) * transform.px_per_unit
        step = 1
        if 0 < cell_px < 0.5:  # several cells per device pixel: decimate by a power of 2
            step = 2 ** math.floor(math.log2(1.0 / cell_px))
            rgba = rgba[::step, ::step]
        image = _qimage(rgba)
        q = QTransform(transform.sx * dx * step, transform.sy * ry * step,
                       transform.sx * rx * step, transform.sy * dy * step,
                       transform.sx * x0 + transform.tx, transform.sy * y0 + transform.ty)
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.setWorldTransform(q, True)
            painter.drawImage(QPointF(0, 0), image)
        finally:
            painter.restore()

    # ---- legend --------------------------------------------------------------------------------

    def legend_block(self, lang: str = "zh") -> LegendBlock:
        zh = lang == "zh"
        title = (self.title_zh if zh else self.title_en) or self.title
        cm = self._colormap
        if cm is None:
            return LegendBlock("", (), (LegendRow("#9e9e9e", title, None),))
        if cm.mode == "discrete":
            rows = []
            for v, c in cm.stops:
                label = cm.labels.get(v)
                text = (label[0] if zh else label[1]) if label else format_break(v, common_decimals([v]))
                rows.append(LegendRow(c, text, None))
        else:
            dec = common_decimals([v for v, _ in cm.stops])
            rows = [LegendRow(c, f"{format_break(v, dec)} {cm.unit}".strip(), None) for v, c in cm.stops]
        return LegendBlock(title, (), tuple(rows))


def _qimage(rgba: np.ndarray) -> QImage:
    """A premultiplied ARGB32 QImage owning a copy of the (h, w, 4) uint8 RGBA array."""
    rgba = np.ascontiguousarray(rgba)
    h, w = rgba.shape[:2]
    img = QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888)
    return img.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def _rio_crs(crs):
    from rasterio.crs import CRS

    if isinstance(crs, CRS):
        return crs
    if hasattr(crs, "to_wkt"):
        return CRS.from_wkt(crs.to_wkt())
    return CRS.from_user_input(crs)


def _same_crs(a, b) -> bool:
    if a is b:
        return True
    return _same_crs_text(str(a), str(b))


@functools.lru_cache(maxsize=256)
def _same_crs_text(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        from pyproj import CRS

        return CRS.from_user_input(a) == CRS.from_user_input(b)
    except Exception:  # unknown to pyproj: the texts differ
        return False
