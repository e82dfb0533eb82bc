"""Shapefile reading with encoding decided by Lingtan (cpg → LDID → bytes), not left to chance."""

from __future__ import annotations

import glob
import shutil
import tempfile
from pathlib import Path
from typing import overload

import geopandas as gpd
import pyogrio

from gis.errors import InputError
from gis.io.encoding import EncodingGuess, shapefile_encoding
from gis.io.report import ReadReport


def _sidecar(shp: Path, ext: str) -> Path | None:
    """The file with the same stem and extension ``ext`` (any letter case), if present."""
    for cand in (shp.with_suffix(ext), shp.with_suffix(ext.upper())):
        if cand.exists():
            return cand
    for cand in shp.parent.glob(glob.escape(shp.stem) + ".*"):
        if cand.suffix.lower() == ext:
            return cand
    return None


@overload  # with a .dbf there is always an encoding
def decide_encoding(dbf: Path, cpg: Path | None, encoding: str | None,
                    report: ReadReport) -> EncodingGuess: ...
@overload
def decide_encoding(dbf: Path | None, cpg: Path | None, encoding: str | None,
                    report: ReadReport) -> EncodingGuess | None: ...
def decide_encoding(dbf: Path | None, cpg: Path | None, encoding: str | None,
                    report: ReadReport) -> EncodingGuess | None:
    """The DBF's text encoding (user's choice, else .cpg → LDID → bytes), noted in ``report``."""
    if encoding:
        guess = EncodingGuess(encoding, "user", "given by the user", detail_zh="由用户指定")
    elif dbf is not None:
        cpg_text = cpg.read_text(errors="replace") if cpg else None
        guess = shapefile_encoding(dbf.read_bytes(), cpg_text)
    else:
        return None
    report.encoding, report.encoding_source = guess.codec, guess.source
    report.encoding_detail, report.encoding_detail_zh = guess.detail, guess.detail_in("zh")
    if guess.overruled:
        report.add("warning", "encoding.declared_wrong",
                   f"文件声明的编码（{guess.overruled}）与内容不符，已按内容判断为 {guess.codec}"
                   f"（{guess.detail_in('zh')}）",
                   f"The declared encoding ({guess.overruled}) does not fit the text; detected "
                   f"{guess.codec} instead ({guess.detail})")
    elif guess.source == "detected":
        report.add("info", "encoding.detected",
                   f"未找到 .cpg 文件，根据内容判断编码为 {guess.codec}（{guess.detail_in('zh')}）",
                   f"No .cpg file: text encoding detected as {guess.codec} ({guess.detail})")
    return guess


def shape_count(shx: Path) -> int | None:
    """Shapes in a Shapefile from its index: (file length − 100-byte header) / 8 bytes a record
    (ESRI Shapefile Technical Description, 1998, "The Index File")."""
    size = shx.stat().st_size
    return (size - 100) // 8 if size >= 100 and (size - 100) % 8 == 0 else None


def dbf_record_count(dbf: Path) -> int | None:
    """Records a .dbf declares: the little-endian uint32 at byte 4 of its header (dBASE III)."""
    with open(dbf, "rb") as f:
        head = f.read(8)
    return int.from_bytes(head[4:8], "little") if len(head) == 8 else None


def _check_counts(shp: Path, shx: Path | None, dbf: Path | None, path: Path) -> None:
    """A .dbf with other than one record per shape belongs to another file or was cut short: every
    attribute would land on the wrong building, or shapes would be dropped without a word."""
    if shx is None or dbf is None:
        return
    shapes, records = shape_count(shx), dbf_record_count(dbf)
    if shapes is None or records is None or shapes == records:
        return
    raise InputError(
        f"Shapefile 各部分不匹配：{shx.name} 有 {shapes} 个图形，{dbf.name} 有 {records} 条属性记录。"
        "这些文件可能不属于同一数据，或其中之一被截断；请重新导出或复制完整的同名文件",
        f"The Shapefile's parts do not match: {shx.name} has {shapes} shapes and {dbf.name} "
        f"{records} attribute records. They may come from different data, or one was cut short; "
        "export or copy the whole set of files again", path=str(path), code="shapefile.count_mismatch")


def read_shapefile(path: Path, report: ReadReport, encoding: str | None = None
                   ) -> tuple[gpd.GeoDataFrame, object]:
    """Read a .shp (or a .dbf given by the user) with the right text encoding.

    Returns (frame, crs from .prj or None). A missing .shp raises InputError naming the
    missing parts; a missing .shx is rebuilt by GDAL (reported); a missing .dbf gives
    geometries without attributes (reported).
    """
    shp = path.with_suffix(".shp") if path.suffix.lower() == ".dbf" else path
    shp = _sidecar(shp, ".shp") or shp
    dbf = _sidecar(shp, ".dbf")
    shx = _sidecar(shp, ".shx")
    prj = _sidecar(shp, ".prj")
    cpg = _sidecar(shp, ".cpg")
    report.format = "ESRI Shapefile"
    report.layers = [shp.stem]
    report.layer = shp.stem
    present = sorted(p.suffix.lower() for p in shp.parent.glob(glob.escape(shp.stem) + ".*"))
    if not shp.exists():
        raise InputError(
            f"Shapefile 不完整：缺少几何文件 {shp.name}（现有：{', '.join(present) or '无'}）。"
            "请把同名的 .shp、.shx、.dbf、.prj（及 .cpg）一起复制过来。",
            f"Incomplete Shapefile: the geometry file {shp.name} is missing (present: "
            f"{', '.join(present) or 'none'}). Copy all parts with the same name together: "
            ".shp, .shx, .dbf, .prj (and .cpg).",
            path=str(path), code="shapefile.missing_shp")
    _check_counts(shp, shx, dbf, path)
    guess = decide_encoding(dbf, cpg, encoding, report)
    if dbf is None:
        report.add("warning", "shapefile.missing_dbf",
                   f"缺少属性表 {shp.stem}.dbf：只读取了几何，没有属性字段",
                   f"The attribute table {shp.stem}.dbf is missing: geometries read without "
                   "attributes")
    with tempfile.TemporaryDirectory(prefix="lingtan-shx-") as tmp:
        source = shp
        if shx is None:
            # GDAL rebuilds the .shx next to the .shp: do it on a copy, never in the user's folder
            source = Path(tmp) / f"{shp.stem}.shp"
            for part in (shp, dbf, prj, cpg):
                if part is not None:
                    shutil.copyfile(part, source.with_suffix(part.suffix.lower()))
            pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": "YES"})
            report.add("warning", "shapefile.missing_shx",
                       f"缺少索引文件 {shp.stem}.shx，已根据 .shp 重建（原文件未改动）",
                       f"The index file {shp.stem}.shx was missing and was rebuilt from the "
                       ".shp (your files were not changed)")
        try:
            gdf = pyogrio.read_dataframe(source, encoding=guess.codec if guess else None,
                                         on_invalid="ignore")
        except Exception as exc:  # GDAL's messages are terse; give ours and keep theirs
            # GDAL names the file it opened: the user's, never the copy in the temporary folder,
            # and its advice to prefix a driver name is for programmers
            why = str(exc).replace(str(source.parent), str(shp.parent)).split(".; It might help")[0]
            raise InputError(
                f"无法读取 Shapefile（文件可能已损坏）：{why}",
                f"Cannot read the Shapefile (the file may be damaged): {why}",
                path=str(path), code="shapefile.unreadable") from exc
        finally:
            if shx is None:
                pyogrio.set_gdal_config_options({"SHAPE_RESTORE_SHX": None})
    if prj is None:
        return gdf, None
    return gdf, gdf.crs
