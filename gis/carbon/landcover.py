"""Sinks from a land-cover raster: exact per-class areas inside a boundary × per-class factors.

Pixels wholly inside the boundary count 1; pixels the boundary cuts count the exact fraction of
their area inside it (shapely, for those pixels only); nodata pixels and the part of the
boundary outside the raster are reported, not counted. Class codes map to sink classes through a
class table (``resources/landcover/umep.csv``, ``esa_worldcover.csv`` or the user's own).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod

from gis.carbon.sinks import (
    M2_PER_HA,
    SinkResult,
    _empty_by_class,
    _excluded_frame,
    _factors_label,
    accepted_types_text,
    default_sink_factors,
    map_cover_types,
    summarise_by_class,
    type_text,
)
from gis.errors import InputError, Problem
from gis.fields import find_field
from gis.paths import resources_dir
from gis.progress import NO_PROGRESS, Progress

BUILTIN_CLASS_TABLES = {"umep": "umep.csv", "esa-worldcover": "esa_worldcover.csv"}
"""Built-in class tables by name (resources/landcover/)."""
_TABLE_ALIASES = {"esa_worldcover": "esa-worldcover", "worldcover": "esa-worldcover", "esa": "esa-worldcover"}
_CODE_FIELDS = ("code", "value", "class_code", "pixel_value", "代码", "编码", "像元值", "栅格值")
_CLASS_FIELDS = ("class", "class_key", "sink_class", "type", "cover", "类别", "地类", "类型", "覆盖类型")
_CHUNK = 50_000


def load_class_table(spec: str | Path) -> pd.DataFrame:
    """A class table ``code → class``: a built-in name (umep, esa-worldcover) or a CSV/Excel file
    with a code column (code/value/代码) and a class column (class/type/类别: a class key such as
    ``forest`` or any name the sink factor table knows, e.g. 林地, Tree cover)."""
    name = str(spec).strip().lower()
    name = _TABLE_ALIASES.get(name, name)
    if name in BUILTIN_CLASS_TABLES:
        table = pd.read_csv(Path(resources_dir()) / "landcover" / BUILTIN_CLASS_TABLES[name])
        table.attrs["label"] = name
        return table
    path = Path(spec)
    if not path.exists():
        raise InputError(f"找不到分类表“{spec}”。可用内置分类表：{', '.join(BUILTIN_CLASS_TABLES)}，"
                         "或给出 CSV 文件",
                         f"No class table '{spec}'. Built-in tables: {', '.join(BUILTIN_CLASS_TABLES)}, "
                         "or give a CSV file", code="raster.class_table")
    from gis.io import read_data_table

    table, _ = read_data_table(path)
    table.attrs["label"] = path.name
    return table


def resolve_class_table(table: pd.DataFrame, factors: pd.DataFrame) -> pd.DataFrame:
    """``code`` (int) and ``class`` (a key of ``factors``) from a class table with Chinese or English
    headers and class names; InputError naming bad codes or unknown class names."""
    cf = find_field(table.columns, _CODE_FIELDS)
    kf = find_field(table.columns, _CLASS_FIELDS)
    if cf is None or kf is None:
        cols = ", ".join(map(str, table.columns))
        raise InputError(f"分类表需要“code（代码）”和“class（类别）”两列；现有列：{cols}",
                         f"The class table needs a 'code' and a 'class' column; it has: {cols}",
                         code="raster.class_table")
    codes = pd.to_numeric(table[cf], errors="coerce")
    bad = codes.isna() | (codes != codes.round())
    if bad.any():
        shown = ", ".join(str(v) for v in table.loc[bad, cf].head(10))
        raise InputError(f"分类表中的代码必须是整数：{shown}", f"Class codes must be integers: {shown}",
                         code="raster.class_table")
    classes, unmapped = map_cover_types(table[kf], factors)
    if unmapped:
        names = "、".join(f"“{v}”" for v in unmapped)
        names_en = ", ".join(f"'{v}'" for v in unmapped)
        raise InputError(f"分类表中的类别无法识别：{names}。"
                         f"可识别的类型：{accepted_types_text(factors, 'zh')}",
                         f"Unrecognised classes in the class table: {names_en}. Accepted: "
                         f"{accepted_types_text(factors, 'en')}", code="raster.class_table")
    out = pd.DataFrame({"code": codes.astype(np.int64).to_numpy(), "class": classes,
                        "label": type_text(table[kf]).to_numpy()})
    dup = out["code"].duplicated(keep=False) & ~out.duplicated(["code", "class"], keep=False)
    if dup.any():
        shown = ", ".join(str(v) for v in out.loc[dup, "code"].unique())
        raise InputError(f"分类表中同一代码对应多个类别：{shown}",
                         f"Class table codes mapped to more than one class: {shown}",
                         code="raster.class_table")
    return out.drop_duplicates("code").reset_index(drop=True)


def _boundary_geometry(boundary, crs: CRS):
    if isinstance(boundary, (gpd.GeoDataFrame, gpd.GeoSeries)):
        b = boundary if boundary.crs is None else boundary.to_crs(crs)
        geom = shapely.union_all(np.asarray(b.geometry.array if isinstance(b, gpd.GeoDataFrame) else b.array))
    else:
        geom = boundary
    if geom is None or geom.is_empty:
        raise InputError("边界为空", "The boundary is empty", code="raster.boundary")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    polys = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not polys:
        raise InputError("边界必须是面", "The boundary must be a polygon", code="raster.boundary")
    return shapely.union_all(polys)


def pixel_coverage(boundary, transform, shape: tuple[int, int],
                   progress: Progress = NO_PROGRESS) -> tuple[slice, slice, np.ndarray]:
    """Exact fraction (0..1) of each pixel's area inside ``boundary`` (raster CRS), over the
    window of pixels covering the boundary's extent: ``(rows, cols, fraction)``.

    Pixels not crossed by the boundary's rings are wholly in or out (pixel-centre test,
    rasterised); the pixels the rings touch, and their neighbours, get their exact intersection
    area with shapely, vectorised.
    """
    from affine import Affine
    from rasterio.features import rasterize

    h_all, w_all = shape
    inv = ~transform
    minx, miny, maxx, maxy = boundary.bounds
    cs, rs = zip(*(inv @ (x, y) for x in (minx, maxx) for y in (miny, maxy)), strict=True)
    c0, c1 = max(int(np.floor(min(cs))), 0), min(int(np.ceil(max(cs))), w_all)
    r0, r1 = max(int(np.floor(min(rs))), 0), min(int(np.ceil(max(rs))), h_all)
    if c1 <= c0 or r1 <= r0:
        return slice(0, 0), slice(0, 0), np.zeros((0, 0))
    h, w = r1 - r0, c1 - c0
    wt = transform @ Affine.translation(c0, r0)
    inside = rasterize([(boundary, 1)], out_shape=(h, w), transform=wt, fill=0, all_touched=False,
                       dtype="uint8").astype(bool)
    ring = rasterize([(boundary.boundary, 1)], out_shape=(h, w), transform=wt, fill=0, all_touched=True,
                     dtype="uint8").astype(bool)
    padded = np.zeros((h + 2, w + 2), bool)
    padded[1:-1, 1:-1] = ring
    near = np.zeros((h, w), bool)
    for dr in range(3):  # 3×3 dilation: robust to rasterisation of rings along pixel edges
        for dc in range(3):
            near |= padded[dr:dr + h, dc:dc + w]
    frac = inside.astype(np.float64)
    r, c = np.nonzero(near)
    if len(r):
        x0 = wt.c + c * wt.a
        y0 = wt.f + r * wt.e
        x1, y1 = x0 + wt.a, y0 + wt.e
        boxes = shapely.box(np.minimum(x0, x1), np.minimum(y0, y1), np.maximum(x0, x1), np.maximum(y0, y1))
        shapely.prepare(boundary)
        vals = np.zeros(len(r))
        for s in range(0, len(r), _CHUNK):
            b = boxes[s:s + _CHUNK]
            full = shapely.contains_properly(boundary, b)
            touch = shapely.intersects(boundary, b) & ~full
            part = np.zeros(len(b))
            part[full] = 1.0
            if touch.any():
                part[touch] = shapely.area(shapely.intersection(b[touch], boundary)) / abs(wt.a * wt.e)
            vals[s:s + _CHUNK] = part
            progress.report((s + len(b)) / len(r), "pixel fractions")
        frac[r, c] = np.clip(vals, 0.0, 1.0)
    return slice(r0, r1), slice(c0, c1), frac


def _geod(crs: CRS) -> Geod:
    """The ellipsoid of a geographic CRS, for geodesic areas (m²)."""
    geod = crs.get_geod()
    if geod is None:  # a geographic CRS always has an ellipsoid; pyproj types it as optional
        raise ValueError(f"CRS {crs.name!r} has no ellipsoid: cannot compute geodesic areas")
    return geod


def _pixel_area_m2(transform, crs: CRS, rows: slice) -> np.ndarray:
    """Area (m²) of one pixel on each row of ``rows`` (varies with latitude in lon/lat rasters)."""
    n = rows.stop - rows.start
    if crs.is_geographic:
        geod = _geod(crs)
        ys = transform.f + np.arange(rows.start, rows.stop + 1) * transform.e
        dx = abs(transform.a)
        out = np.empty(n)
        for i in range(n):  # one call per row (not per pixel)
            lat0, lat1 = ys[i], ys[i + 1]
            area, _ = geod.polygon_area_perimeter([0.0, dx, dx, 0.0], [lat0, lat0, lat1, lat1])
            out[i] = abs(area)
        return out
    unit = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    return np.full(n, abs(transform.a * transform.e) * unit * unit)


def _area_m2(geom, crs: CRS) -> float:
    if crs.is_geographic:
        area, _ = _geod(crs).geometry_area_perimeter(geom)
        return abs(area)
    unit = crs.axis_info[0].unit_conversion_factor if crs.axis_info else 1.0
    return float(geom.area) * unit * unit


def raster_sinks(classes: np.ndarray, transform, crs, boundary, class_table: pd.DataFrame,
                 factors: pd.DataFrame | None = None, *, nodata: int | None = None,
                 factors_label: str | None = None, progress: Progress = NO_PROGRESS) -> SinkResult:
    """Per-class area and sink of a land-cover raster inside ``boundary``.

    classes: 2-D integer class codes; transform, crs: the raster's georeferencing (projected, or
        lon/lat with per-row geodesic pixel areas).
    boundary: shapely (Multi)Polygon in the raster CRS, or a GeoDataFrame/GeoSeries (reprojected).
    class_table: codes → classes (:func:`load_class_table`).
    Returns ``by_class`` (``n`` = exact pixel equivalents), ``by_code``, and ``excluded`` /
    problems for nodata pixels, unmapped codes and boundary area outside the raster.
    """
    crs = CRS.from_user_input(crs)
    if abs(transform.b) > 1e-12 or abs(transform.d) > 1e-12:
        raise InputError("不支持旋转的栅格", "Rotated rasters are not supported", code="raster.rotated")
    classes = np.asarray(classes)
    if classes.ndim != 2 or not np.issubdtype(classes.dtype, np.integer):
        raise ValueError("classes must be a 2-D integer array")
    if factors is None:
        factors = default_sink_factors()
    label = factors_label or _factors_label(factors)
    table = resolve_class_table(class_table, factors)
    geom = _boundary_geometry(boundary, crs)
    progress.report(0.0, "pixel fractions")
    rows, cols, frac = pixel_coverage(geom, transform, classes.shape, progress.sub(0.0, 0.7))
    progress.report(0.7, "class areas")
    boundary_m2 = _area_m2(geom, crs)
    if frac.size == 0 or not (frac > 0).any():
        raise InputError("边界与土地覆盖栅格不重叠（坐标系是否一致？）",
                         "The boundary does not overlap the land-cover raster (same CRS?)",
                         code="raster.outside")
    weights = frac * _pixel_area_m2(transform, crs, rows)[:, None]
    sel = frac > 0
    codes = classes[rows, cols][sel]
    px, area = frac[sel], weights[sel]
    problems: list[Problem] = []
    excluded: list[dict] = []
    is_nodata = codes == nodata if nodata is not None else np.zeros(len(codes), bool)
    covered_m2 = float(area.sum())
    if is_nodata.any():
        a = float(area[is_nodata].sum())
        excluded.append({"reason": "nodata", "value": nodata, "n": float(px[is_nodata].sum()), "area_m2": a})
        problems.append(Problem("warning", "raster.nodata",
                                f"边界内有 {a:,.1f} 平方米为无数据像元，未计入",
                                f"{a:,.1f} m² inside the boundary are nodata pixels and were not counted"))
    uniq, inv = np.unique(codes[~is_nodata], return_inverse=True)
    area_c = np.bincount(inv, weights=area[~is_nodata], minlength=len(uniq))
    px_c = np.bincount(inv, weights=px[~is_nodata], minlength=len(uniq))
    cls_of = dict(zip(table["code"], table["class"], strict=True))
    cls_c = np.array([cls_of.get(int(c)) for c in uniq], dtype=object)  # per distinct code
    by_code = pd.DataFrame({"code": uniq.astype(np.int64), "class": cls_c, "pixels": px_c, "area_m2": area_c})
    by_code["area_ha"] = by_code["area_m2"] / M2_PER_HA
    rate = by_code["class"].map(factors.set_index("class")["t_co2_per_ha_yr"]).astype(float)
    by_code["t_co2_yr"] = by_code["area_ha"] * rate
    unmapped = pd.isna(cls_c)
    if unmapped.any():
        listed = ", ".join(f"{int(c)} ({a:,.1f} m²)"
                           for c, a in zip(uniq[unmapped], area_c[unmapped], strict=True))
        problems.append(Problem("warning", "raster.unmapped_codes",
                                f"分类表中没有这些栅格代码，未计入：{listed}",
                                f"Raster codes missing from the class table were not counted: {listed}"))
        excluded += [{"reason": "unmapped code", "value": int(c), "n": float(p), "area_m2": float(a)}
                     for c, p, a in zip(uniq[unmapped], px_c[unmapped], area_c[unmapped], strict=True)]
    outside = boundary_m2 - covered_m2
    if outside > max(1e-6 * boundary_m2, 0.01):
        excluded.append({"reason": "outside raster", "value": None, "n": 0, "area_m2": outside})
        share = outside / boundary_m2
        problems.append(Problem("warning", "raster.partial",
                                f"边界有 {outside:,.1f} 平方米（{share:.1%}）在栅格范围之外，未计入",
                                f"{outside:,.1f} m² ({share:.1%}) of the boundary lie outside the raster "
                                "and were not counted"))
    ok = ~unmapped
    by_class = summarise_by_class(cls_c[ok], area_c[ok], factors, n=px_c[ok]) if ok.any() \
        else _empty_by_class()
    progress.report(1.0, "done")
    return SinkResult(by_class=by_class, method="raster", by_code=by_code, problems=problems,
                      excluded=_excluded_frame(excluded), factors_label=label, boundary_area_m2=boundary_m2)
