"""CSV and Excel tables with a WKT geometry column or coordinate columns.

Coordinate columns are found by name (English and Chinese: lon/lng/经度, lat/纬度, x/y,
东坐标/北坐标 …). Values may be decimal degrees or degree-minute-second text (120°15′30″).
Chinese surveying names X the northing and Y the easting: swapped columns are detected from
the value ranges and corrected (reported).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError
from gis.fields import find_field
from gis.io.report import ReadReport

WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "shape", "几何", "空间信息", "坐标串")
LON_NAMES = ("lon", "lng", "long", "longitude", "经度", "东经")
LAT_NAMES = ("lat", "latitude", "纬度", "北纬")
X_NAMES = ("x", "easting", "东坐标", "横坐标", "x坐标", "坐标x", "point_x")
Y_NAMES = ("y", "northing", "北坐标", "纵坐标", "y坐标", "坐标y", "point_y")
_WKT_START = re.compile(r"^\s*(SRID=\d+;\s*)?(MULTI)?(POINT|LINESTRING|POLYGON)|^\s*GEOMETRYCOLLECTION",
                        re.IGNORECASE)
_DMS = re.compile(r"^\s*(?P<h1>[NSEW东西南北])?\s*(?P<d>-?\d+(?:\.\d+)?)\s*[°度]\s*"
                  r"(?:(?P<m>\d+(?:\.\d+)?)\s*['′分]\s*)?(?:(?P<s>\d+(?:\.\d+)?)\s*(?:[\"″秒]|'')\s*)?"
                  r"(?P<h2>[NSEW东西南北])?\s*$")


def read_csv_text(path: Path, report: ReadReport) -> pd.DataFrame:
    """Read a CSV whose encoding is UTF-8 (with or without BOM) or GB18030 (Excel on Chinese
    Windows), detected from the bytes; the separator is sniffed (comma, semicolon, tab)."""
    raw = path.read_bytes()
    for codec in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(codec)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("CSV 文件编码无法识别（既不是 UTF-8 也不是 GBK）",
                         "The CSV file's encoding is neither UTF-8 nor GBK",
                         path=str(path), code="csv.encoding")
    report.encoding = "utf-8" if codec == "utf-8-sig" else "gb18030"
    report.encoding_source = "detected"
    report.encoding_detail = "strict UTF-8 decode succeeded" if codec == "utf-8-sig" else \
        "not UTF-8; GB18030 (Chinese Excel default) decode succeeded"
    report.encoding_detail_zh = "按 UTF-8 严格解码成功" if codec == "utf-8-sig" else \
        "不是 UTF-8；按 GB18030（中文版 Excel 默认）解码成功"
    import io

    try:
        return pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=str,
                           skipinitialspace=True)
    except Exception as exc:
        raise InputError(f"CSV 文件格式错误：{exc}", f"Malformed CSV file: {exc}",
                         path=str(path), code="csv.malformed") from exc


def read_table(path: Path, report: ReadReport, layer: str | None = None) -> pd.DataFrame:
    """The raw table (all columns as text) from a CSV or an Excel sheet."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        report.format = "CSV"
        return read_csv_text(path, report)
    report.format = "Excel"
    if suffix in (".xlsx", ".xlsm"):
        _check_xlsx_size(path)
    try:
        with pd.ExcelFile(path) as book:  # closed at once: Windows locks open files
            sheets = book.sheet_names
    except Exception as exc:
        raise InputError(f"无法打开 Excel 文件：{exc}", f"Cannot open the Excel file: {exc}",
                         path=str(path), code="excel.unreadable") from exc
    report.layers = [str(s) for s in sheets]
    if layer is not None and layer not in sheets:
        raise InputError(f"Excel 中没有工作表“{layer}”。可选：{', '.join(sheets)}",
                         f"No sheet '{layer}' in the workbook. Sheets: {', '.join(sheets)}",
                         path=str(path), code="excel.no_sheet")
    sheet = layer if layer is not None else sheets[0]
    report.layer = str(sheet)
    if layer is None and len(sheets) > 1:
        report.add("info", "excel.first_sheet", f"读取第一个工作表“{sheet}”（可用 --layer 选择）",
                   f"Read the first sheet '{sheet}' (choose another with --layer)")
    if suffix in (".xlsx", ".xlsm"):
        _check_formula_values(path, str(sheet))
    return pd.read_excel(path, sheet_name=sheet, dtype=str)


MAX_XLSX_UNZIPPED_BYTES = 1024 ** 3
"""An .xlsx is a zip of XML: refuse one that unpacks to more than 1 GiB (a crafted workbook of a
few MB can expand to many GB in memory; a park's energy table is a few MB)."""


def _check_xlsx_size(path: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            size = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"Excel 文件已损坏：{exc}", f"The Excel file is damaged: {exc}", path=str(path),
                         code="excel.unreadable") from exc
    if size > MAX_XLSX_UNZIPPED_BYTES:
        raise InputError(f"Excel 文件解压后有 {size / 1024 ** 3:.1f} GB，超过 "
                         f"{MAX_XLSX_UNZIPPED_BYTES / 1024 ** 3:.0f} GB "
                         "上限：请只保留需要的工作表，或另存为 CSV",
                         f"The Excel file unpacks to {size / 1024 ** 3:.1f} GB, over the "
                         f"{MAX_XLSX_UNZIPPED_BYTES / 1024 ** 3:.0f} GB limit: keep the sheets needed or "
                         f"save as CSV",
                         path=str(path), code="excel.too_big")


def _check_formula_values(path: Path, sheet: str) -> None:
    """Formulas whose results the file does not hold (written by a program, never opened in Excel
    or WPS) would read as empty, i.e. as zero energy: refuse them, naming the first cell."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        formulas = {(c.row, c.column) for row in book[sheet].iter_rows() for c in row
                    if getattr(c, "data_type", None) == "f"}
    finally:
        book.close()
    if not formulas:
        return
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        empty = [c.coordinate for row in values[sheet].iter_rows() for c in row
                 if (getattr(c, "row", None), getattr(c, "column", None)) in formulas and c.value is None]
    finally:
        values.close()
    if empty:
        raise InputError(
            f"工作表“{sheet}”有 {len(empty)} 个公式单元格没有保存计算结果（如 {empty[0]}）：读出来会是空值（"
            f"当作 0）。"
            "请用 Excel 或 WPS 打开并保存一次，或把公式粘贴为数值",
            f"Sheet '{sheet}' has {len(empty)} formula cell(s) without saved results (e.g. {empty[0]}): they "
            "would read as empty (taken as 0). Open and save the file once in Excel or WPS, or paste the "
            "formulas as values", path=str(path), code="excel.formulas_without_values")


def parse_coordinates(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Numbers from decimal or degree-minute-second text; returns (values, bad_mask)."""
    s = values.astype("string").str.strip()
    num = pd.to_numeric(s.str.replace(",", "", regex=False), errors="coerce").to_numpy(float, na_value=np.nan)
    given = s.notna().to_numpy() & (s.fillna("") != "").to_numpy()
    bad = ~np.isfinite(num) & given  # "nan", "inf" and text are no coordinates
    num[~np.isfinite(num)] = np.nan
    if bad.any():
        parts = s[bad].str.extract(_DMS)

        def number(col: str, missing: float) -> np.ndarray:
            v = pd.to_numeric(parts[col], errors="coerce").to_numpy(float, na_value=np.nan)
            return np.where(np.isnan(v), missing, v)
        d = number("d", np.nan)
        hemi = parts["h1"].fillna(parts["h2"]).fillna("").to_numpy(object)
        sign = np.where(np.isin(hemi, ["S", "W", "南", "西"]) | (d < 0), -1.0, 1.0)
        dms = sign * (np.abs(d) + number("m", 0.0) / 60.0 + number("s", 0.0) / 3600.0)
        num[bad] = np.where(np.isfinite(dms), dms, np.nan)
        bad = np.isnan(num) & bad
    return num, bad


def table_to_frame(table: pd.DataFrame, path: Path, report: ReadReport,
                   wkt_column: str | None = None, x_column: str | None = None,
                   y_column: str | None = None) -> gpd.GeoDataFrame:
    """Build geometries from a WKT column or coordinate columns (names given or found)."""
    table = table.dropna(how="all")
    cols = list(table.columns)
    wkt = wkt_column or find_field(cols, WKT_NAMES)
    if wkt is None and not (x_column or y_column):
        for c in cols:  # a column whose values look like WKT, whatever its name
            sample = table[c].dropna().astype(str).head(5)
            if len(sample) and sample.str.match(_WKT_START).all():
                wkt = c
                break
    if wkt is not None:
        if wkt not in cols:
            raise InputError(f"表中没有列“{wkt}”", f"No column '{wkt}' in the table",
                             path=str(path), code="table.no_column")
        text = table[wkt].astype("string").str.replace(r"^\s*SRID=\d+;\s*", "", regex=True)
        geoms = shapely.from_wkt(text.fillna("").to_numpy(object), on_invalid="ignore")
        bad = shapely.is_missing(geoms) & (text.fillna("").str.strip() != "").to_numpy()
        if bad.any():
            report.add("warning", "table.bad_wkt",
                       f"{int(bad.sum())} 行的“{wkt}”列不是有效的 WKT，这些行没有几何",
                       f"{int(bad.sum())} row(s) have invalid WKT in column '{wkt}' and got "
                       "no geometry", list(np.flatnonzero(bad) + 2))
        report.add("info", "table.geometry", f"几何取自 WKT 列“{wkt}”",
                   f"Geometries from WKT column '{wkt}'")
        return gpd.GeoDataFrame(table.drop(columns=[wkt]), geometry=list(geoms), crs=None)

    xc = x_column or find_field(cols, LON_NAMES) or find_field(cols, X_NAMES)
    yc = y_column or find_field(cols, LAT_NAMES) or find_field(cols, Y_NAMES)
    if xc is None or yc is None or xc not in cols or yc not in cols:
        raise InputError(
            "表中找不到几何：需要 WKT 列（如 wkt、geometry）或经纬度/坐标列（如 经度/纬度、lon/lat、"
            f"X/Y）。现有列：{', '.join(map(str, cols))}",
            "No geometry in the table: it needs a WKT column (e.g. wkt, geometry) or coordinate "
            f"columns (e.g. lon/lat, 经度/纬度, X/Y). Columns: {', '.join(map(str, cols))}",
            path=str(path), code="table.no_geometry")
    x, badx = parse_coordinates(table[xc])
    y, bady = parse_coordinates(table[yc])
    bad = badx | bady
    if bad.any():
        report.add("warning", "table.bad_coordinates",
                   f"{int(bad.sum())} 行坐标不是数字（“{xc}”/“{yc}”列），这些行没有几何",
                   f"{int(bad.sum())} row(s) have non-numeric coordinates in '{xc}'/'{yc}' and "
                   "got no geometry (row numbers as in the file)", list(np.flatnonzero(bad) + 2))
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.any() and _looks_swapped(x[ok], y[ok]):
        x, y = y, x
        report.add("warning", "table.xy_swapped",
                   f"“{xc}”列的数值是北坐标、“{yc}”列是东坐标（测量习惯 X 为北向），已交换",
                   f"Column '{xc}' holds northings and '{yc}' eastings (surveying convention: "
                   "X points north); swapped")
    report.add("info", "table.geometry", f"点坐标取自“{xc}”和“{yc}”列",
               f"Point coordinates from columns '{xc}' and '{yc}'")
    geoms = shapely.points(np.where(ok, x, np.nan), np.where(ok, y, np.nan))
    geoms[~ok] = None
    return gpd.GeoDataFrame(table, geometry=list(geoms), crs=None)


def _looks_swapped(x: np.ndarray, y: np.ndarray) -> bool:
    """X/Y swapped: lon/lat given as lat/lon in China, or GK northing in the X column."""
    if np.all(np.abs(x) <= 90) and np.all(np.abs(y) <= 180):
        lat_like_x = np.all((x > 3) & (x < 54))
        lon_like_y = np.all((y > 73) & (y < 136))
        return bool(lat_like_x and lon_like_y)
    northing_x = np.all((x > 2.0e6) & (x < 6.2e6))
    easting_y = np.all(((y > 1e5) & (y < 9e5)) | ((y > 13e6) & (y < 46e6)))
    return bool(northing_x and easting_y)
