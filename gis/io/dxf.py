"""CAD drawings (DXF): closed polylines, circles and hatches become polygons.

Planners get site plans from design institutes as DWG/DXF. We read model space with ezdxf
(recover mode, tolerant of damaged files), explode block references (buildings are often
blocks), flatten arcs/bulges to 0.05 drawing units, and attach any TEXT/MTEXT lying inside a
polygon (labels such as "3#厂房 6F") as its ``text`` field. DXF has no CRS: the caller must
name one (Gauss–Krüger coordinates are recognised and suggested).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError
from gis.io.report import ReadReport

FLATTEN_DISTANCE = 0.05  # max chord error when flattening arcs, drawing units (m or mm)
_CURVES = {"LWPOLYLINE", "POLYLINE", "LINE", "CIRCLE", "ARC", "ELLIPSE", "SPLINE"}
_INSUNITS = {0: "unitless", 1: "inches", 2: "feet", 4: "millimetres", 5: "centimetres",
             6: "metres", 7: "kilometres"}


def _entities(layout, depth: int = 0):
    """Model-space entities with block references exploded (to 4 levels)."""
    for e in layout:
        if e.dxftype() == "INSERT" and depth < 4:
            try:
                yield from _entities(e.virtual_entities(), depth + 1)
            except Exception:  # a broken block reference: skip it, keep the rest
                continue
        else:
            yield e


def _is_closed(e, pts: np.ndarray) -> bool:
    t = e.dxftype()
    if t in ("CIRCLE",):
        return True
    if t == "LWPOLYLINE" and e.closed:
        return True
    if t == "POLYLINE" and e.is_closed:
        return True
    if t == "ELLIPSE":
        return abs((e.dxf.end_param - e.dxf.start_param) - 2 * np.pi) < 1e-9
    if t == "SPLINE" and e.closed:
        return True
    return len(pts) >= 4 and np.allclose(pts[0], pts[-1])


def read_dxf(path: Path, report: ReadReport) -> tuple[gpd.GeoDataFrame, None]:
    """Read a DXF's model space into a frame with fields layer, entity, handle, text."""
    import ezdxf
    from ezdxf import path as ezpath
    from ezdxf import recover

    report.format = "DXF (CAD)"
    try:
        doc, auditor = recover.readfile(str(path))
    except (OSError, ezdxf.DXFStructureError) as exc:
        raise InputError(
            f"无法读取 DXF 文件（可能不是 DXF，或已损坏；DWG 请先在 CAD 中另存为 DXF）：{exc}",
            f"Cannot read the DXF file (not DXF, or damaged; save DWG drawings as DXF first): {exc}",
            path=str(path), code="dxf.unreadable") from exc
    if auditor.has_errors:
        report.add("warning", "dxf.repaired",
                   f"DXF 文件有 {len(auditor.errors)} 处结构错误，已尽量修复读取",
                   f"The DXF file had {len(auditor.errors)} structural error(s); recovered")
    units = _INSUNITS.get(int(doc.header.get("$INSUNITS", 0)), "unknown")
    report.layers = [layer.dxf.name for layer in doc.layers]
    if units not in ("metres", "unitless"):
        report.add("warning", "dxf.units",
                   f"图纸单位为 {units}；坐标将按所选坐标系的单位（米）解释",
                   f"Drawing units are {units}; coordinates are taken in the unit of the CRS "
                   "you choose (metres)")
    rows: list[tuple[str, str, str, object]] = []
    texts: list[tuple[str, float, float]] = []
    skipped: dict[str, int] = {}
    for e in _entities(doc.modelspace()):
        t = e.dxftype()
        if t in ("TEXT", "MTEXT"):
            s = e.plain_text() if t == "MTEXT" else e.dxf.text
            ins = e.dxf.insert
            texts.append((str(s).strip(), float(ins.x), float(ins.y)))
            continue
        layer = str(e.dxf.layer)
        handle = str(e.dxf.handle)
        if t == "POINT":
            p = e.dxf.location
            rows.append((layer, t, handle, shapely.Point(p.x, p.y)))
            continue
        if t == "HATCH":
            try:
                rings = [np.asarray([(v.x, v.y) for v in p.flattening(FLATTEN_DISTANCE)])
                         for p in ezpath.from_hatch(e)]
            except Exception:
                skipped[t] = skipped.get(t, 0) + 1
                continue
            rings = [r for r in rings if len(r) >= 3]
            if rings:
                polys = [shapely.Polygon(r) for r in rings]
                # the largest ring is the outline; the others are holes (islands)
                polys.sort(key=lambda g: g.area, reverse=True)
                geom = shapely.Polygon(polys[0].exterior, [p.exterior for p in polys[1:]
                                                            if polys[0].contains(p)])
                rows.append((layer, t, handle, geom))
            continue
        if t not in _CURVES:
            skipped[t] = skipped.get(t, 0) + 1
            continue
        try:
            pts = np.asarray([(v.x, v.y) for v in ezpath.make_path(e).flattening(
                FLATTEN_DISTANCE)])
        except Exception:
            skipped[t] = skipped.get(t, 0) + 1
            continue
        if len(pts) < 2:
            continue
        if _is_closed(e, pts) and len(np.unique(pts, axis=0)) >= 3:
            geom = shapely.Polygon(pts)
        else:
            geom = shapely.LineString(pts)
        rows.append((layer, t, handle, geom))
    if skipped:
        kinds = ", ".join(f"{k}×{v}" for k, v in sorted(skipped.items()))
        report.add("info", "dxf.skipped", f"未读取的 CAD 对象：{kinds}",
                   f"CAD objects not read: {kinds}")
    if not rows:
        raise InputError(
            "DXF 模型空间中没有可用的图形（多段线、圆、填充等）",
            "No usable shapes (polylines, circles, hatches…) in the DXF model space",
            path=str(path), code="dxf.empty")
    frame = pd.DataFrame(rows, columns=["layer", "entity", "handle", "geometry"])
    gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs=None)
    gdf["text"] = _texts_inside(gdf, texts)
    report.encoding, report.encoding_source = doc.encoding, "format"
    report.encoding_detail = f"DXF $DWGCODEPAGE / version {doc.dxfversion}"
    report.encoding_detail_zh = f"取自 DXF 的 $DWGCODEPAGE（版本 {doc.dxfversion}）"
    n_open = int((gdf.geom_type == "LineString").sum())
    if n_open:
        report.add("info", "dxf.open_lines",
                   f"{n_open} 条未闭合的多段线按线读取（闭合的才作为面）",
                   f"{n_open} open polyline(s) read as lines (only closed ones become polygons)")
    return gdf, None


def _texts_inside(gdf: gpd.GeoDataFrame, texts: list[tuple[str, float, float]]) -> pd.Series:
    """For each polygon, the CAD texts whose insertion point lies inside it, joined by '; '."""
    out = pd.Series([""] * len(gdf), index=gdf.index, dtype=object)
    if not texts:
        return out
    pts = gpd.GeoDataFrame({"t": [t[0] for t in texts]},
                           geometry=shapely.points([(t[1], t[2]) for t in texts]))
    polys = gdf[gdf.geom_type == "Polygon"]
    if len(polys) == 0:
        return out
    hits = gpd.sjoin(pts, polys[["geometry"]], predicate="within", how="inner")
    joined = hits.groupby("index_right")["t"].agg(lambda s: "; ".join(x for x in s if x))
    out.loc[joined.index] = joined
    return out
