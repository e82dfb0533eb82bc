"""The one entry point for reading planners' vector files: :func:`read_vector`."""

from __future__ import annotations

import glob
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from gis.crs import SourceCrs, crs_label, guess_projected_crs, in_china, looks_like_lonlat, parse_crs
from gis.errors import CrsNeeded, InputError
from gis.geometry import clean_geometries
from gis.io.archive import extract_zip
from gis.io.dxf import read_dxf
from gis.io.encoding import checked_encoding, mojibake_rows
from gis.io.ogr import read_ogr
from gis.io.report import ReadReport, ReadResult
from gis.io.shapefile import read_shapefile
from gis.io.tabular import read_table, table_to_frame
from gis.progress import NO_PROGRESS, Progress
from gis.webmap import to_wgs84

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls")
PARQUET_SUFFIXES = (".parquet", ".geoparquet")
"""GeoParquet, a file or a folder of them (a tiled run's output): read with pyarrow, as the desktop
app's layers and the tiled run read it (GDAL's Parquet driver is missing from some builds)."""


def check_regular_file(path: Path) -> None:
    """A pipe, a device (a link to /dev/zero) or a socket is no data file: reading it would block
    or never end. Folders are allowed (a file geodatabase, a Shapefile folder)."""
    if path.exists() and not (path.is_file() or path.is_dir()):
        raise InputError("这不是普通文件（而是管道、设备或套接字）：请选择数据文件",
                         "This is not a regular file (a pipe, device or socket): choose a data file",
                         path=str(path), code="file.not_regular")
    for part in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        sidecar = path.with_suffix(part)
        if part != path.suffix.lower() and sidecar.exists() and not sidecar.is_file():
            raise InputError(f"{sidecar.name} 不是普通文件（而是管道或设备）",
                             f"{sidecar.name} is not a regular "
                             "file (a pipe or device)", path=str(sidecar), code="file.not_regular")


def read_vector(path: str | Path, *, layer: str | None = None,
                crs: str | SourceCrs | None = None, encoding: str | None = None,
                require_crs: bool = True, wkt_column: str | None = None,
                x_column: str | None = None, y_column: str | None = None,
                progress: Progress = NO_PROGRESS) -> ReadResult:
    """Read a vector file planners use and report what was found and fixed.

    Formats: Shapefile (.shp, or .zip holding one), GeoPackage, GeoJSON, KML/KMZ, DXF,
    CSV/Excel with WKT or coordinate columns, and anything else GDAL reads.

    layer: layer (GeoPackage/KML), sheet (Excel) or shapefile name (zip) to read.
    crs: the data's CRS when the file has none (or to override it): EPSG code, a name such
        as 'cgcs2000-gk3-40', or 'gcj02'/'bd09' to remove a web-map offset (→ WGS84).
    encoding: force the attribute text encoding (Shapefile DBF).
    require_crs: raise :class:`CrsNeeded` for projected data without a CRS (else keep None).
    Returns the frame in its source CRS (web-map offsets removed) with its index as the
    source FID (0-based), and the report. Raises :class:`InputError` for unusable input.
    """
    path = Path(path)
    report = ReadReport(path=str(path))
    if encoding is not None:
        encoding = checked_encoding(encoding)
    source = parse_crs(crs) if isinstance(crs, str) else crs
    if not path.exists() and not (path.suffix.lower() == ".shp" and path.with_suffix(".dbf")
                                  .exists()):
        raise InputError("文件不存在", "File not found", path=str(path), code="file.missing")
    check_regular_file(path)
    progress.report(0.0, "reading")
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _read_zip(path, layer=layer, crs=source, encoding=encoding,
                         require_crs=require_crs, progress=progress)
    if suffix in (".shp", ".dbf"):
        gdf, file_crs = read_shapefile(path, report, encoding)
    elif suffix == ".dxf":
        gdf, file_crs = read_dxf(path, report)
    elif suffix in PARQUET_SUFFIXES:
        gdf, file_crs = _read_geoparquet(path, report)
    elif suffix in TABLE_SUFFIXES:
        table = read_table(path, report, layer)
        gdf, file_crs = table_to_frame(table, path, report, wkt_column, x_column, y_column), None
    else:
        gdf, file_crs = read_ogr(path, report, layer)
    progress.report(0.6, "checking")
    if not isinstance(gdf, gpd.GeoDataFrame):
        report.describe(None)
        raise InputError(
            "文件只有属性表，没有几何图形（Shapefile 是否缺少 .shp？）",
            "The file holds a table without geometries (is the .shp of a Shapefile missing?)",
            path=str(path), code="file.no_geometry")
    gdf = gdf.reset_index(drop=True)
    _check_text(gdf, report)
    gdf = _resolve_crs(gdf, file_crs, source, report, require_crs)
    gdf, problems = clean_geometries(gdf)
    report.extend(problems)
    if len(gdf) == 0:
        raise InputError("文件中没有任何有效的几何要素", "The file has no valid geometric features",
                         path=str(path), code="file.empty")
    report.describe(gdf)
    progress.report(1.0, "read")
    return ReadResult(gdf, report)


def _read_geoparquet(path: Path, report: ReadReport) -> tuple[gpd.GeoDataFrame, object]:
    """A GeoParquet file or folder whole (:func:`gis.scale.geoparquet.read_all`) and its CRS."""
    from gis.scale.geoparquet import read_all

    report.format = "GeoParquet"
    report.encoding, report.encoding_source = "utf-8", "format"
    report.encoding_detail = "GeoParquet text is UTF-8 by specification"
    report.encoding_detail_zh = "GeoParquet 按规范使用 UTF-8 编码"
    gdf = read_all(path)
    return gdf, gdf.crs


def _read_zip(path: Path, *, layer, crs, encoding, require_crs, progress) -> ReadResult:
    with tempfile.TemporaryDirectory(prefix="lingtan-zip-") as tmp:
        found = extract_zip(path, Path(tmp))
        shp = [p for p in found if p.suffix.lower() == ".shp"]
        candidates = shp or found
        if not candidates:
            raise InputError("压缩包中没有可读取的 GIS 数据（.shp、.gpkg、.geojson、.kml、.dxf…）",
                             "The archive holds no readable GIS data (.shp, .gpkg, .geojson, "
                             ".kml, .dxf…)", path=str(path), code="zip.empty")
        inner_layer = layer
        if len(candidates) > 1:
            names = [p.stem for p in candidates]
            if layer in names:
                chosen, inner_layer = candidates[names.index(layer)], None
            else:
                raise InputError(
                    f"压缩包中有 {len(candidates)} 个数据文件，请选择一个（--layer）：{', '.join(names)}",
                    f"The archive holds {len(candidates)} data files; choose one with --layer: "
                    f"{', '.join(names)}", path=str(path), code="zip.choose")
        else:
            chosen = candidates[0]
            if layer == chosen.stem:
                inner_layer = None
        result = read_vector(chosen, layer=inner_layer, crs=crs, encoding=encoding,
                             require_crs=require_crs, progress=progress)
        result.report.path = f"{path}!{chosen.relative_to(tmp)}"
        if len(candidates) > 1:
            result.report.layers = [p.stem for p in candidates]
        return result


def _check_text(gdf: gpd.GeoDataFrame, report: ReadReport) -> None:
    attrs = gdf.drop(columns=[gdf.geometry.name])
    rows, examples = mojibake_rows(attrs)
    if rows:
        ex = "、".join(examples)
        report.add(
            "warning", "encoding.mojibake",
            f"{len(rows)} 个要素的文字是乱码（如“{ex}”）：文件曾被用错误的编码转换，原文已无法从本文件恢复；"
            "请向提供方索取原始文件，或用 --encoding 指定正确编码再试",
            f"{len(rows)} feature(s) have garbled text (e.g. '{ex}'): the file was once converted "
            "with the wrong encoding and the original text cannot be recovered from it; ask the "
            "sender for the original, or try --encoding", rows)


def _resolve_crs(gdf: gpd.GeoDataFrame, file_crs, source: SourceCrs | None,
                 report: ReadReport, require_crs: bool) -> gpd.GeoDataFrame:
    """Set the frame's CRS from the user, the file or the coordinates; remove web offsets."""
    bounds = _bounds(gdf)
    finite = bool(np.all(np.isfinite(bounds)))
    lonlat = finite and looks_like_lonlat(bounds)
    if source is not None:
        crs = source.crs
        if file_crs is not None and CRS.from_user_input(file_crs) != crs and not source.webmap:
            report.add("warning", "crs.overridden",
                       f"文件声明的坐标系为 {crs_label(CRS.from_user_input(file_crs))}，已按用户指定改为 "
                       f"{crs_label(crs)}",
                       f"The file says {crs_label(CRS.from_user_input(file_crs))}; using "
                       f"{crs_label(crs)} as you asked")
        report.crs_source = "user"
        if crs.is_geographic and finite and not lonlat:
            raise InputError(
                f"坐标（{_fmt_bounds(bounds)}）不是经纬度，与指定的 {crs_label(crs)} 不符",
                f"The coordinates ({_fmt_bounds(bounds)}) are not longitude/latitude, so they "
                f"cannot be in {crs_label(crs)}", path=report.path, code="crs.mismatch")
        gdf = gdf.set_crs(crs, allow_override=True)
        if source.webmap:
            gdf = gdf.set_geometry(to_wgs84(gdf.geometry.to_numpy(), source.webmap), crs=crs)
            report.webmap = source.webmap
            report.add("info", "crs.webmap_converted",
                       f"已将 {source.webmap.upper()} 坐标（网络地图加偏）纠正为 WGS84",
                       f"Converted {source.webmap.upper()} web-map coordinates to WGS84")
        report.crs = source.label
        return gdf
    if file_crs is not None:
        crs = _normalise_chinese_datum(CRS.from_user_input(file_crs), bounds, report)
        report.crs, report.crs_source = crs_label(crs), "file"
        if crs.is_geographic and finite and not lonlat:
            cands = guess_projected_crs(bounds)
            raise CrsNeeded(
                f"文件声明为经纬度坐标系 {crs_label(crs)}，但坐标（{_fmt_bounds(bounds)}）是投影坐标。"
                "请用 --crs 指定正确的坐标系" + _suggest(cands, "zh"),
                f"The file declares lon/lat ({crs_label(crs)}) but the coordinates "
                f"({_fmt_bounds(bounds)}) are projected. Give the right CRS with --crs"
                + _suggest(cands, "en"), path=report.path, candidates=_cand(cands))
        if crs.is_projected and lonlat and max(abs(bounds[2] - bounds[0]),
                                               abs(bounds[3] - bounds[1])) < 360:
            report.add("warning", "crs.looks_lonlat",
                       f"文件声明为投影坐标系 {crs_label(crs)}，但坐标看起来像经纬度，请核对 .prj",
                       f"The file declares projected {crs_label(crs)} but the coordinates look "
                       "like degrees: check the .prj")
        return gdf.set_crs(crs, allow_override=True)
    if lonlat:
        report.crs, report.crs_source = crs_label(CRS.from_epsg(4326)), "inferred-lonlat"
        cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        china = (" 若数据来自高德/腾讯（GCJ-02）或百度（BD-09）地图，请用 --crs gcj02 或 --crs bd09 纠偏"
                 "（偏移 100–700 米）。" if in_china(cx, cy) else "")
        china_en = (" If the data came from Amap/Tencent (GCJ-02) or Baidu (BD-09), use --crs gcj02 "
                    "or --crs bd09 to remove the 100–700 m offset." if in_china(cx, cy) else "")
        report.add("warning", "crs.assumed_wgs84",
                   "文件没有坐标系信息（.prj），坐标范围为经纬度，按 WGS84 处理"
                   "（与 CGCS2000 相差不到 1 米）。" + china,
                   "The file has no CRS (.prj); the coordinates are in longitude/latitude range, "
                   "taken as WGS84 (within 1 m of CGCS2000)." + china_en)
        return gdf.set_crs(4326)
    cands = guess_projected_crs(bounds) if finite else []
    if not require_crs:
        report.crs, report.crs_source = "unknown", "none"
        report.add("error", "crs.missing",
                   "文件没有坐标系信息，坐标为投影坐标，需要指定坐标系（--crs）" + _suggest(cands, "zh"),
                   "The file has no CRS and its coordinates are projected: name the CRS (--crs)"
                   + _suggest(cands, "en"))
        return gdf
    raise CrsNeeded(
        f"文件没有坐标系信息（缺少 .prj），坐标（{_fmt_bounds(bounds)}）为投影坐标，无法自动判断。"
        "请用 --crs 指定，例如 --crs cgcs2000-gk3-40（CGCS2000 3度带第40带）" + _suggest(cands, "zh"),
        f"The file has no CRS (no .prj) and its coordinates ({_fmt_bounds(bounds)}) are "
        "projected, so the CRS cannot be inferred. Name it with --crs, e.g. --crs "
        "cgcs2000-gk3-40 (CGCS2000 3-degree zone 40)" + _suggest(cands, "en"),
        path=report.path, candidates=_cand(cands))


def _bounds(gdf: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of the frame; zeros when it has no features."""
    if not len(gdf):
        return 0.0, 0.0, 0.0, 0.0
    x0, y0, x1, y1 = (float(v) for v in gdf.total_bounds)
    return x0, y0, x1, y1


# Old Chinese lon/lat .prj files often name only the ellipsoid ("D_Krasovsky_1940"); in China
# that is Beijing 1954 (EPSG:4214); the IAG-75 ellipsoid is Xi'an 1980 (EPSG:4610).
_ELLIPSOID_DATUMS = {6378245.0: (4214, "Beijing 1954"), 6378140.0: (4610, "Xi'an 1980")}


def _normalise_chinese_datum(crs: CRS, bounds, report: ReadReport) -> CRS:
    if not crs.is_geographic or crs.to_epsg(min_confidence=90) in (4214, 4610, 4490, 4326):
        return crs
    ellipsoid = crs.ellipsoid
    if ellipsoid is None:  # a geographic CRS always has one; pyproj types it as optional
        return crs
    a = round(ellipsoid.semi_major_metre, 1)
    cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    if a in _ELLIPSOID_DATUMS and in_china(cx, cy):
        code, name = _ELLIPSOID_DATUMS[a]
        report.add("info", "crs.datum_named",
                   f".prj 只给出了椭球（{ellipsoid.name}），在中国即 {name}，按 EPSG:{code} 处理",
                   f"The .prj names only the ellipsoid ({ellipsoid.name}); in China that is "
                   f"{name}, used as EPSG:{code}")
        return CRS.from_epsg(code)
    return crs


def _fmt_bounds(b) -> str:
    return ", ".join(f"{v:.6g}" for v in b)


def _cand(cands: list[tuple[int, str]]) -> list[tuple[str, str]]:
    return [(f"EPSG:{c}", why) for c, why in cands]


def _suggest(cands: list[tuple[int, str]], lang: str) -> str:
    if not cands:
        return ""
    first = cands[0]
    if lang == "zh":
        return f"。根据坐标推测可能是 EPSG:{first[0]}（{first[1]}）"
    return f". The coordinates suggest EPSG:{first[0]} ({first[1]})"


def inspect_vector(path: str | Path, *, layer: str | None = None,
                   crs: str | None = None, encoding: str | None = None
                   ) -> tuple[gpd.GeoDataFrame | pd.DataFrame | None, ReadReport]:
    """What ``lingtan info`` shows: read as far as possible, collecting problems as errors
    instead of raising for a missing CRS or a missing .shp."""
    p = Path(path)
    try:
        result = read_vector(p, layer=layer, crs=crs, encoding=encoding, require_crs=False)
        return result.gdf, result.report
    except InputError as exc:
        report = ReadReport(path=str(p))
        if exc.code == "shapefile.missing_shp" and (dbf := _sidecar_dbf(p)) is not None:
            return _inspect_dbf_only(dbf, exc, encoding)
        if exc.code in ("file.choose_layer", "zip.choose"):
            from gis.io.ogr import list_vector_layers

            try:
                report.layers = list_vector_layers(p) if p.suffix.lower() != ".zip" else []
            except InputError:
                pass
        report.add("error", exc.code, exc.zh, exc.en)
        return None, report


def _sidecar_dbf(p: Path) -> Path | None:
    for cand in p.parent.glob(glob.escape(p.stem) + ".*"):
        if cand.suffix.lower() == ".dbf":
            return cand
    return None


def _inspect_dbf_only(dbf: Path, exc: InputError, encoding: str | None):
    """Attributes of a shapefile whose .shp is missing (the table is still worth showing)."""
    result = read_attribute_table(dbf, encoding=encoding)
    report = result.report
    report.problems = [p for p in report.problems if p.code != "shapefile.attributes_only"]
    report.add("error", exc.code, exc.zh, exc.en)
    return pd.DataFrame(result.gdf.drop(columns="geometry")), report


def read_attribute_table(path: str | Path, *, encoding: str | None = None) -> ReadResult:
    """The attribute table of a dBase file (a Shapefile's .dbf, also without its .shp): a frame
    with empty geometries, its text decoded with the encoding of the .cpg or the one detected
    (GBK from Chinese desktop GIS), the CRS of a .prj beside it kept for the record."""
    import pyogrio

    from gis.io.shapefile import decide_encoding

    dbf = Path(path)
    if not dbf.exists():
        raise InputError("文件不存在", "File not found", path=str(dbf), code="file.missing")
    check_regular_file(dbf)
    if encoding is not None:
        encoding = checked_encoding(encoding)
    report = ReadReport(path=str(dbf), format="dBase (attributes only)")
    cpg = dbf.with_suffix(".cpg")
    guess = decide_encoding(dbf, cpg if cpg.exists() else None, encoding, report)
    try:
        table = pyogrio.read_dataframe(dbf, encoding=guess.codec, read_geometry=False)
    except Exception as exc:
        raise InputError(f"无法读取 dBase 属性表：{exc}", f"Cannot read the dBase table: {exc}",
                         path=str(dbf), code="dbf.unreadable") from exc
    crs = None
    prj = dbf.with_suffix(".prj")
    if prj.exists():
        try:
            crs = CRS.from_wkt(prj.read_text(errors="replace"))
            report.crs, report.crs_source = crs_label(crs), "file"
        except Exception:  # a damaged .prj does not matter for a table
            crs = None
    gdf = gpd.GeoDataFrame(pd.DataFrame(table), geometry=[None] * len(table), crs=crs)
    report.add("warning", "shapefile.attributes_only",
               f"只读取了属性表（{len(gdf):,} 行）：没有 .shp 几何文件，图层不在地图上绘制",
               f"Only the attribute table was read ({len(gdf):,} rows): without a .shp the layer "
               "is not drawn on the map")
    _check_text(gdf, report)
    report.describe(gdf)
    return ReadResult(gdf, report)
