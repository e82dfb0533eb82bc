"""Shapefile export that survives ArcGIS, QGIS and MapGIS: encodings, 10-byte field names, widths.

:func:`write_shapefile` writes ``NAME.shp/.shx`` (geometry, through GDAL/pyogrio), ``NAME.dbf``
(attributes, written here so that names, widths, decimals, dates and the text encoding are
exactly as documented), ``NAME.prj`` (ESRI WKT from pyproj), ``NAME.cpg`` and
``NAME_fields.csv`` — the mapping from each original field to its short DBF name with unit and
meaning (:class:`FieldMapping`).

Encodings (``encoding=``):

* ``"utf-8"`` (default): ``.cpg`` says ``UTF-8``, DBF language byte 0. QGIS, ArcGIS ≥ 10.x and
  GDAL read it.
* ``"gbk"``: for older ArcGIS and MapGIS on Chinese Windows. ``.cpg`` says ``936`` (the Windows
  code page of GBK; ArcGIS reads code-page numbers, GDAL maps it to CP936) and the DBF language
  byte is 0x4D (code page 936), so software that ignores ``.cpg`` still knows. A value GBK
  cannot hold (rare characters outside GBK, emoji) is refused with an :class:`InputError`
  naming the field, the row and the character, rather than written as "?".

Field names (DBF: at most 10 bytes, case-insensitive; the rule is deterministic):

1. a name that already fits (≤ 10 bytes in the file's encoding, only letters, digits, "_" and
   CJK characters, starting with a letter) is kept;
2. otherwise a known Lingtan field takes its short name from :data:`layers.fields.FIELDS`
   (``shade_loss_pct`` → ``shade_pct``, ``gross_aep_mwh`` → ``gross_mwh`` …; ``t_co2_yr`` fits
   and keeps its name by rule 1);
3. any other name has characters other than letters, digits, "_" replaced by "_", an "f" put in
   front when it does not start with a letter, and is cut at a character boundary to 10 bytes —
   a Chinese character is 3 bytes in UTF-8 and 2 in GBK, so ``乡镇街道名称`` becomes ``乡镇街``
   (UTF-8) or ``乡镇街道名`` (GBK);
4. a name equal (ignoring case) to one given before, in column order, gets ``_1``, ``_2`` …
   (cut further to stay within 10 bytes).

Values: integers as ``N`` (width of the longest), floats as ``N`` with the decimals of
:data:`FIELDS` (default 6; NaN/inf written empty = NULL), booleans as ``L`` (T/F/?), dates as
``D`` (YYYYMMDD), date-times as text ``YYYY-MM-DD HH:MM:SS``, everything else as text ``C`` up to
254 bytes (longer text is cut at a character boundary and reported in
:attr:`FieldMapping.problems`).

A layer without attribute fields gets an integer field ``id`` (0, 1, 2 … = the record number),
as GDAL adds ``FID`` to such a file: a DBF with no field is invalid for ArcGIS and dBASE readers.

A Shapefile holds one geometry type: a layer mixing polygons, lines and points is refused
(:func:`write_shapefile`) or written as one file per type (:func:`write_shapefiles`).
An empty layer is written (not skipped: an export has the same files whatever the results)
with the geometry type its features would have — :data:`EMPTY_LAYER_GEOMETRY` by layer name
(``wind_violations``: lines, ``turbines``: points …), else ``geometry_type=``, else polygons —
and a note in :attr:`FieldMapping.problems`.
Files are written into a temporary folder beside the target and then moved into place, so a
failed export never leaves half a Shapefile; stale spatial indexes (.qix/.sbn/.sbx) of an older
file with the same name are removed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gis.atomic import temp_dir_beside
from gis.errors import InputError
from layers.fields import field_info

MAX_NAME_BYTES = 10
MAX_TEXT_BYTES = 254
MAX_NUMBER_WIDTH = 24  # as GDAL writes reals (24.15); ArcGIS and QGIS read it
DEFAULT_DECIMALS = 6
ENCODINGS = {"utf-8": ("UTF-8", 0x00), "gbk": ("936", 0x4D)}
"""encoding → (.cpg text, DBF language driver id)."""
STALE_SIDECARS = (".qix", ".sbn", ".sbx", ".fix", ".shp.xml", ".cpg", ".prj")
GEOMETRY_FAMILIES = {0: "point", 4: "point", 1: "line", 5: "line", 2: "line", 3: "polygon", 6: "polygon"}
"""shapely type id → Shapefile family (a LinearRing is written as a line)."""
EMPTY_LAYER_GEOMETRY = {"boundary": "polygon", "buildings": "polygon", "green": "polygon",
                        "tree_rows": "line", "townships": "polygon", "rooftop_pv": "polygon",
                        "green_sinks": "polygon",
                        "tree_sinks": "line", "township_intensity": "polygon", "pv_array_area": "polygon",
                        "pv_array_exclusions": "polygon", "pv_array_tables": "polygon", "turbines": "point",
                        "wind_receptors": "polygon", "wind_violations": "line"}
"""Geometry family of each Lingtan layer, for writing it when it has no features (the violations'
lines run from a turbine to what it violates; noise and flicker violations at a receptor are
points, written as ``wind_violations_points`` beside the lines when there are both)."""
DUMMY_FIELD = "id"


def normalise_encoding(encoding: str | None) -> str:
    """"utf-8" or "gbk" from the spellings users type (UTF8, utf_8, GBK, cp936, 936); InputError else."""
    key = (encoding or "utf-8").strip().lower().replace("_", "-")
    if key in ("utf-8", "utf8", "65001"):
        return "utf-8"
    if key in ("gbk", "cp936", "936", "gb2312"):
        return "gbk"
    raise InputError(f"Shapefile 编码只能是 UTF-8 或 GBK，而不是“{encoding}”",
                     f"The Shapefile encoding must be UTF-8 or GBK, not '{encoding}'",
                     code="export.encoding")


@dataclass
class FieldSpec:
    """One DBF field: the original column, its short name and how it is stored."""

    original: str
    short: str
    type: str  # C, N, L, D
    width: int
    decimals: int
    unit: str = ""
    zh: str = ""
    en: str = ""


@dataclass
class FieldMapping:
    """What :func:`write_shapefile` wrote: the files, the encoding and each field's short name."""

    path: Path
    encoding: str
    fields: list[FieldSpec]
    layer: str | None = None
    geometry_type: str = ""
    features: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (zh, en) warnings
    files: list[Path] = field(default_factory=list)

    def short_of(self, original: str) -> str:
        """The DBF name of an original column (KeyError if it was not written)."""
        for f in self.fields:
            if f.original == original:
                return f.short
        raise KeyError(original)

    @property
    def renamed(self) -> dict[str, str]:
        """{original: short} for the fields whose name changed."""
        return {f.original: f.short for f in self.fields if f.original != f.short}

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"原字段 original": f.original, "短字段 short": f.short, "类型 type": f.type,
                              "宽度 width": f.width, "小数 decimals": f.decimals, "单位 unit": f.unit,
                              "说明": f.zh, "description": f.en} for f in self.fields])

    @property
    def mapping_path(self) -> Path:
        return self.path.with_name(f"{self.path.stem}_fields.csv")


# ---- field names ----------------------------------------------------------------------------------

def _nbytes(text: str, encoding: str) -> int:
    return len(text.encode(encoding, errors="replace"))


def _cut(text: str, limit: int, encoding: str) -> str:
    """The longest prefix of ``text`` within ``limit`` bytes (never half a character)."""
    out = []
    used = 0
    for ch in text:
        n = _nbytes(ch, encoding)
        if used + n > limit:
            break
        out.append(ch)
        used += n
    return "".join(out)


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _clean(name: str, encoding: str = "utf-8") -> str:
    text = "".join(ch if ((ch.isalnum() or ch == "_") and _encodable(ch, encoding)) else "_"
                   for ch in str(name).strip())
    while "__" in text:
        text = text.replace("__", "_")
    text = text.strip("_") or "field"
    if not text[0].isalpha():
        text = "f" + text
    return text


def _fits(name: str, encoding: str) -> bool:
    return bool(name) and name == _clean(name, encoding) and _nbytes(name, encoding) <= MAX_NAME_BYTES


def shapefile_names(columns: list[str], encoding: str = "utf-8", layer: str | None = None) -> list[str]:
    """The DBF field name of each column, by the rule in the module docstring (same order)."""
    encoding = normalise_encoding(encoding)
    out: list[str | None] = [None] * len(columns)
    used: set[str] = set()
    for i, col in enumerate(columns):  # 1. names that already fit keep themselves
        name = str(col)
        if _fits(name, encoding) and name.lower() not in used:
            out[i] = name
            used.add(name.lower())
    for i, col in enumerate(columns):
        if out[i] is not None:
            continue
        info = field_info(str(col), layer)
        base = info.short if info is not None else _cut(_clean(str(col), encoding), MAX_NAME_BYTES, encoding)
        name = base
        k = 0
        while name.lower() in used:
            k += 1
            suffix = f"_{k}"
            name = _cut(base, MAX_NAME_BYTES - len(suffix), encoding) + suffix
        out[i] = name
        used.add(name.lower())
    return [str(n) for n in out]


# ---- DBF writing ---------------------------------------------------------------------------------

def _kind_of(s: pd.Series) -> str:
    """"L", "I" (integer), "F" (float), "D" (date), "T" (date-time) or "C" (text)."""
    dtype = s.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "L"
    if pd.api.types.is_integer_dtype(dtype):
        return "I"
    if pd.api.types.is_float_dtype(dtype):
        return "F"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        t = s.dropna()
        if len(t) and getattr(t.dt, "tz", None) is None and bool((t == t.dt.normalize()).all()):
            return "D"
        return "T"
    values = s.dropna()
    if not len(values) or not pd.api.types.is_object_dtype(dtype):
        return "C"
    kinds = {type(v) for v in values}
    if kinds <= {bool, np.bool_}:
        return "L"
    if all(issubclass(k, int | np.integer) and not issubclass(k, bool | np.bool_) for k in kinds):
        return "I"
    if all(issubclass(k, int | float | np.integer | np.floating) and not issubclass(k, bool | np.bool_)
           for k in kinds):
        return "F"
    if all(issubclass(k, dt.date) and not issubclass(k, dt.datetime) for k in kinds):
        return "D"
    if all(issubclass(k, dt.datetime | pd.Timestamp) for k in kinds):
        return "T"
    return "C"


def _fixed(values: list[bytes], width: int, right: bool) -> np.ndarray:
    """(n, width) uint8 array of the byte strings, space-padded left or right."""
    arr = np.full((len(values), width), 0x20, dtype=np.uint8)
    if not values:
        return arr
    raw = np.array(values, dtype=f"S{width}")  # NUL-padded on the right
    u8 = raw.view(np.uint8).reshape(len(values), width)
    if not right:
        return np.where(u8 == 0, 0x20, u8).astype(np.uint8)
    lengths = np.array([len(v) for v in values])
    for n in np.unique(lengths):  # shift each group of equal length right
        rows = lengths == n
        if n:
            arr[rows, width - n:] = u8[rows, :n]
    return arr


def _number_column(v: np.ndarray, decimals: int) -> tuple[list[bytes], int, int]:
    """Formatted numbers (NaN/inf → empty), width and decimals (reduced to fit the width)."""
    finite = np.isfinite(v)
    d = decimals
    while True:
        text = np.char.mod(f"%.{d}f", np.where(finite, v, 0.0))
        width = int(np.char.str_len(text[finite]).max()) if finite.any() else 1
        if width <= MAX_NUMBER_WIDTH or d == 0:
            break
        d = max(0, d - (width - MAX_NUMBER_WIDTH))
    if width > MAX_NUMBER_WIDTH:  # |v| ≥ 1e24: scientific notation (readers parse it)
        text = np.char.mod("%.15e", np.where(finite, v, 0.0))
        width, d = int(np.char.str_len(text[finite]).max()), 0
    out = [t.encode("ascii") if f else b"" for t, f in zip(text.tolist(), finite.tolist(), strict=True)]
    return out, max(width, 1), d


def _text_column(s: pd.Series, col: str, encoding: str, problems: list, kind: str) -> tuple[list[bytes], int]:
    """Encoded text (None/NaN → empty), width in bytes; InputError for unencodable values."""
    missing = s.isna().to_numpy()
    if kind == "T":
        texts = pd.to_datetime(s).dt.strftime("%Y-%m-%d %H:%M:%S").fillna("").tolist()
    else:
        texts = ["" if m else str(v) for v, m in zip(s.tolist(), missing, strict=True)]
    out = []
    cut_rows = []
    substituted: dict[str, str] = {}
    for i, t in enumerate(texts):
        t = t.replace("\x00", "")
        try:
            b = t.encode(encoding)
        except UnicodeEncodeError:
            t = _substitute(t, encoding, col, i, substituted)
            b = t.encode(encoding)
        if len(b) > MAX_TEXT_BYTES:
            b = _cut(t, MAX_TEXT_BYTES, encoding).encode(encoding)
            cut_rows.append(i + 1)
        out.append(b)
    if cut_rows:
        rows = ", ".join(map(str, cut_rows[:10])) + (" …" if len(cut_rows) > 10 else "")
        problems.append((f"字段“{col}”有 {len(cut_rows)} 个值超过 Shapefile 文本上限 {MAX_TEXT_BYTES} 字节，"
                         f"已截断（行 {rows}）；完整文本见 GeoPackage",
                         f"Field '{col}': {len(cut_rows)} values longer than the Shapefile limit of "
                         f"{MAX_TEXT_BYTES} bytes were cut (rows {rows}); the GeoPackage has the full text"))
    if substituted:
        pairs = "、".join(f"{k}→{v}" for k, v in substituted.items())
        pairs_en = ", ".join(f"{k} → {v}" for k, v in substituted.items())
        problems.append((f"字段“{col}”中 GBK 没有的符号已换成等价字符：{pairs}",
                         f"Field '{col}': symbols GBK lacks were replaced by their equivalents: {pairs_en}"))
    width = max((len(b) for b in out), default=1)
    return out, max(width, 1)


GBK_SUBSTITUTES = {"•": "·", "€": "EUR", "‧": "·", "\u00a0": " "}
"""Symbols GBK lacks whose Unicode compatibility form (NFKC) is no help."""


def _substitute(text: str, encoding: str, col: str, row: int, done: dict[str, str]) -> str:
    """``text`` with each character the encoding lacks replaced by its NFKC compatibility form
    (² → 2, ₂ → 2, µ → μ, ½ → 1⁄2 …) or :data:`GBK_SUBSTITUTES`; InputError when neither encodes."""
    import unicodedata

    out = []
    for ch in text:
        try:
            ch.encode(encoding)
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        alt = GBK_SUBSTITUTES.get(ch) or unicodedata.normalize("NFKC", ch)
        try:
            alt.encode(encoding)
        except UnicodeEncodeError:
            raise InputError(
                f"字段“{col}”第 {row + 1} 行的“{ch}”（U+{ord(ch):04X}）无法用 GBK 编码保存："
                f"“{text[:40]}”。请改用 UTF-8 编码导出，或修改该值",
                f"Field '{col}', row {row + 1}: '{ch}' (U+{ord(ch):04X}) cannot be stored in GBK: "
                f"'{text[:40]}'. Export with UTF-8, or change the value",
                code="export.gbk_unencodable") from None
        done.setdefault(ch, alt)
        out.append(alt)
    return "".join(out)


def _dbf_columns(frame: pd.DataFrame, names: list[str], encoding: str, layer: str | None,
                 problems: list, units: dict[str, str] | None) -> tuple[list[FieldSpec], list[np.ndarray]]:
    specs, blocks = [], []
    for col, short in zip(frame.columns, names, strict=True):
        s = frame[col]
        kind = _kind_of(s)
        info = field_info(str(col), layer, units=units)
        spec = FieldSpec(str(col), short, "C", 1, 0, info.unit if info else "", info.zh if info else "",
                         info.en if info else "")
        if kind == "L":
            vals = s.astype(object).to_numpy()
            missing = pd.isna(s).to_numpy()
            block = np.array([[0x3F] if m else [0x54 if bool(v) else 0x46] for v, m in
                              zip(vals, missing, strict=True)], dtype=np.uint8).reshape(len(s), 1)
            spec.type, spec.width = "L", 1
        elif kind == "I":
            v = pd.to_numeric(s, errors="coerce")
            missing = v.isna().to_numpy()
            ints = v.fillna(0).astype("int64").to_numpy()
            text = [b"" if m else str(int(x)).encode("ascii") for x, m in zip(ints, missing, strict=True)]
            width = max((len(t) for t in text), default=1) or 1
            spec.type, spec.width = "N", width
            block = _fixed(text, width, right=True)
        elif kind == "F":
            v = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
            d = info.decimals if info is not None and info.decimals is not None else DEFAULT_DECIMALS
            text, width, d = _number_column(v, d)
            spec.type, spec.width, spec.decimals = "N", width, d
            block = _fixed(text, width, right=True)
        elif kind == "D":
            t = pd.to_datetime(s, errors="coerce")
            text = [b"" if pd.isna(x) else x.strftime("%Y%m%d").encode("ascii") for x in t]
            spec.type, spec.width = "D", 8
            block = _fixed(text, 8, right=False)
        else:
            text, width = _text_column(s, str(col), encoding, problems, kind)
            spec.type, spec.width = "C", width
            block = _fixed(text, width, right=False)
        specs.append(spec)
        blocks.append(block)
    return specs, blocks


def write_dbf(path: Path, frame: pd.DataFrame, names: list[str], encoding: str, *, layer: str | None = None,
              units: dict[str, str] | None = None) -> tuple[list[FieldSpec], list[tuple[str, str]]]:
    """Write ``frame`` (no geometry) as a dBASE III table with the given field ``names``."""
    problems: list[tuple[str, str]] = []
    specs, blocks = _dbf_columns(frame, names, encoding, layer, problems, units)
    n = len(frame)
    rec_len = 1 + sum(s.width for s in specs)
    header_len = 32 + 32 * len(specs) + 1
    if rec_len > 65535 or len(specs) > 255:
        raise InputError(f"属性表太宽（{len(specs)} 个字段，每条记录 {rec_len} 字节），"
                         "超出 Shapefile 的限制；请用 GeoPackage",
                         f"The attribute table is too wide for a Shapefile ({len(specs)} fields, {rec_len} "
                         "bytes per record); use the GeoPackage", code="export.dbf_too_wide")
    today = dt.date.today()
    ldid = ENCODINGS[encoding][1]
    head = struct.pack("<BBBBIHH17sB2s", 0x03, today.year - 1900, today.month, today.day, n, header_len,
                       rec_len, b"\x00" * 17, ldid, b"\x00\x00")
    descs = []
    for s in specs:
        raw = s.short.encode(encoding)
        descs.append(struct.pack("<11sc4sBB14s", raw, s.type.encode("ascii"), b"\x00" * 4, s.width,
                                 s.decimals, b"\x00" * 14))
    records = np.full((n, rec_len), 0x20, dtype=np.uint8)
    at = 1
    for s, block in zip(specs, blocks, strict=True):
        records[:, at:at + s.width] = block
        at += s.width
    with open(path, "wb") as fh:
        fh.write(head)
        fh.write(b"".join(descs))
        fh.write(b"\x0d")
        fh.write(records.tobytes())
        fh.write(b"\x1a")
    return specs, problems


# ---- the Shapefile -------------------------------------------------------------------------------

def geometry_families(gdf: gpd.GeoDataFrame) -> dict[str, np.ndarray]:
    """{family: boolean row mask} of the non-empty geometries ("polygon", "line", "point");
    InputError for geometry collections."""
    geoms = gdf.geometry.to_numpy()
    ids = shapely.get_type_id(geoms)
    empty = shapely.is_empty(geoms) | (ids < 0)
    if np.any((ids == 7) & ~empty):
        raise InputError("图层含几何集合（GeometryCollection），Shapefile 无法保存；请导出 GeoPackage",
                         "The layer holds geometry collections, which a Shapefile cannot store; export a "
                         "GeoPackage", code="export.geometry_collection")
    out = {}
    for fam in ("polygon", "line", "point"):
        codes = [k for k, v in GEOMETRY_FAMILIES.items() if v == fam]
        mask = np.isin(ids, codes) & ~empty
        if mask.any():
            out[fam] = mask
    return out


def write_shapefile(gdf: gpd.GeoDataFrame, path: str | Path, encoding: str = "utf-8", *,
                    layer: str | None = None, units: dict[str, str] | None = None,
                    mapping_csv: bool = True, geometry_type: str | None = None) -> FieldMapping:
    """Write ``gdf`` as the Shapefile ``path`` (.shp; .shx/.dbf/.prj/.cpg and
    ``NAME_fields.csv`` beside it) and return the :class:`FieldMapping`.

    layer: the Lingtan layer name (for field meanings, e.g. "rooftop_pv"; default: the file stem).
    units: run-time units of fields ({"intensity": "tCO2/万元"}) for the mapping table.
    geometry_type: "polygon", "line" or "point" for a layer without features (default:
    :data:`EMPTY_LAYER_GEOMETRY` of ``layer``, else polygon); ignored when there are features.
    InputError: mixed geometry types (see :func:`write_shapefiles`), a value GBK cannot hold,
    an unwritable folder.
    """
    path = Path(path)
    if path.suffix.lower() != ".shp":
        path = path.with_suffix(".shp")
    encoding = normalise_encoding(encoding)
    layer = layer or path.stem
    fams = geometry_families(gdf)
    if len(fams) > 1:
        kinds_zh = "、".join(_FAMILY_ZH[f] for f in fams)
        raise InputError(f"图层“{layer}”混有{kinds_zh}，一个 Shapefile 只能存一种几何类型；"
                         "请按类型分开导出，或导出 GeoPackage",
                         f"Layer '{layer}' mixes {', '.join(fams)} geometries; a Shapefile holds one "
                         "geometry type. Export one file per type, or a GeoPackage", path=str(path),
                         code="export.mixed_geometry")
    family = next(iter(fams), None)
    notes: list[tuple[str, str]] = []
    if family is None:
        family = geometry_type or EMPTY_LAYER_GEOMETRY.get(layer, "polygon")
        if family not in _FAMILY_ZH:
            raise ValueError(f"geometry_type must be polygon, line or point, not {family!r}")
        notes.append((f"图层“{layer}”没有要素，按{_FAMILY_ZH[family]}类型写出空的 Shapefile",
                       f"Layer '{layer}' has no features: written as an empty {family} Shapefile"))
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    if attrs.shape[1] == 0:  # a DBF needs a field (GDAL adds FID likewise)
        attrs = pd.DataFrame({DUMMY_FIELD: np.arange(len(gdf), dtype=np.int64)})
    names = shapefile_names(list(attrs.columns), encoding, layer)
    tmp_dir = temp_dir_beside(path)  # .STEM-ltPID-XXXX: a killed run's is removed by the next
    try:
        tmp = tmp_dir / path.name
        geom = gpd.GeoDataFrame(geometry=gdf.geometry.to_numpy(), crs=gdf.crs)
        import pyogrio

        kw = {} if fams else {"geometry_type": {"polygon": "Polygon", "line": "LineString",
                                                "point": "Point"}[family]}  # nothing to infer it from
        pyogrio.write_dataframe(geom, tmp, driver="ESRI Shapefile", promote_to_multi=family == "point"
                                and bool((shapely.get_type_id(geom.geometry.to_numpy()) == 4).any()), **kw)
        try:
            specs, problems = write_dbf(tmp.with_suffix(".dbf"), attrs, names, encoding, layer=layer,
                                        units=units)
        except InputError as exc:  # name the layer: an export writes many
            raise InputError(f"图层“{layer}”：{exc.zh}", f"Layer '{layer}': {exc.en}", path=str(path),
                             code=exc.code) from exc
        problems = notes + problems
        if DUMMY_FIELD in attrs.columns and DUMMY_FIELD not in gdf.columns:
            specs[0].zh = "要素序号（图层没有属性字段，Shapefile 至少需要一个字段）"
            specs[0].en = "feature number (the layer has no attribute; a Shapefile needs one field)"
        tmp.with_suffix(".cpg").write_text(ENCODINGS[encoding][0], encoding="ascii")
        prj = tmp.with_suffix(".prj")
        if gdf.crs is not None:
            wkt = gdf.crs.to_wkt("WKT1_ESRI")
            if wkt:
                prj.write_text(wkt, encoding="ascii")
        else:
            prj.unlink(missing_ok=True)
            problems.append(("图层没有坐标系，未写 .prj", "The layer has no CRS: no .prj written"))
        mapping = FieldMapping(path, encoding, specs, layer=layer, geometry_type=family, features=len(gdf),
                               problems=problems)
        if mapping_csv:
            mapping.to_frame().to_csv(tmp_dir / mapping.mapping_path.name, index=False, encoding="utf-8-sig")
        mapping.files += _move_into(tmp_dir, path.parent)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return mapping


def _move_into(stage: Path, folder: Path) -> list[Path]:
    """Move every file of ``stage`` into ``folder`` (renames, replacing older files), first
    removing the sidecars (:data:`STALE_SIDECARS`) of a replaced Shapefile that the new one does
    not have; returns the new paths. InputError when a file is locked by another program."""
    moved = []
    try:
        for shp in stage.glob("*.shp"):
            for ext in STALE_SIDECARS:
                stale = folder / (shp.stem + ext)
                if stale.exists() and not (stage / stale.name).exists():
                    stale.unlink()
        for f in sorted(stage.iterdir()):
            if f.is_file():
                os.replace(f, folder / f.name)
                moved.append(folder / f.name)
    except PermissionError as exc:
        name = Path(exc.filename or folder).name
        raise InputError(f"无法覆盖 {name}：文件可能正在其他程序（如 ArcGIS、QGIS）中打开，请关闭后重试",
                         f"Cannot replace {name}: it may be open in another program (ArcGIS, QGIS); "
                         "close it and retry", path=str(folder / name), code="output.locked") from exc
    return moved


@contextmanager
def staged_shapefiles(folder: str | Path) -> Iterator[Path]:
    """A temporary folder in ``folder`` (``.export-ltPID-XXXX``, :mod:`gis.atomic`; beside it when
    it does not exist yet) to write
    a set of Shapefiles and their styles into: when the block ends without an error its files move
    into ``folder`` together; on an error (a value GBK cannot hold in the fifth layer) nothing
    moves and the older files stay as they were. Re-point the block's mappings with
    :func:`relocate`."""
    folder = Path(folder)
    # inside an existing folder (same disk); beside a new one, which then appears only on success
    stage = temp_dir_beside(folder / "export" if folder.is_dir() else folder)
    try:
        yield stage
        folder.mkdir(parents=True, exist_ok=True)
        _move_into(stage, folder)
    except InputError as exc:  # name the user's file, not the staged one
        if exc.path and Path(exc.path).parent == stage:
            exc.path = str(folder / Path(exc.path).name)
            exc.args = (exc.text(),)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def relocate(mappings: list[FieldMapping], folder: str | Path) -> list[FieldMapping]:
    """``mappings`` written in a :func:`staged_shapefiles` folder, re-pointed into ``folder``."""
    for m in mappings:
        m.path = Path(folder) / m.path.name
        m.files = [Path(folder) / f.name for f in m.files]
    return mappings


_FAMILY_ZH = {"polygon": "面", "line": "线", "point": "点"}
_FAMILY_SUFFIX = {"polygon": "polygons", "line": "lines", "point": "points"}


def write_shapefiles(gdf: gpd.GeoDataFrame, path: str | Path, encoding: str = "utf-8", *,
                     layer: str | None = None, units: dict[str, str] | None = None) -> list[FieldMapping]:
    """:func:`write_shapefile`, or one file per geometry type for a mixed layer:
    ``NAME_polygons.shp``, ``NAME_lines.shp``, ``NAME_points.shp`` (rows without geometry go
    with the first type)."""
    path = Path(path).with_suffix(".shp")
    fams = geometry_families(gdf)
    if len(fams) <= 1:
        return [write_shapefile(gdf, path, encoding, layer=layer, units=units)]
    first = next(iter(fams))
    none = ~np.logical_or.reduce(list(fams.values()))
    out = []
    for fam, mask in fams.items():
        rows = mask | (none if fam == first else False)
        out.append(write_shapefile(gdf[rows], path.with_name(f"{path.stem}_{_FAMILY_SUFFIX[fam]}.shp"),
                                   encoding, layer=layer or path.stem, units=units))
    return out
