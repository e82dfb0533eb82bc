"""Lingtan project files: one GeoPackage (``*.lingtan.gpkg``) that QGIS opens as well.

Inside (docs/projects.md has the full description):

- every vector layer of the workspace as a GeoPackage feature table (its own CRS; object columns
  written as text, as :func:`app.outputs.write_gpkg` does; the display title as the table's
  ``identifier`` in ``gpkg_contents``);
- the park's non-spatial tables (enterprise energy, township statistics) as attribute tables
  ``lingtan_table_<name>``, so analyses can run again after reopening;
- ``lingtan_project`` (attribute table ``key``/``value``): ``format`` = "lingtan-project",
  ``format_version``, ``app_version`` and ``document``: JSON with the layer tree (order, groups,
  visibility, opacity, styles via :mod:`layers.style_io`), the layer ↔ table map, the workspace
  settings, the results summary and the park's name and CRS;
- ``layer_styles``: the table QGIS reads default styles from, one row per layer with the QML of
  its Lingtan style (:func:`layers.style_export.style_qml`) and SLD, so QGIS draws the layers as
  Lingtan does;
- every raster layer as a GeoPackage raster table written by GDAL (rasterio): RGB(A) images as
  PNG tiles, value grids as a tiled gridded coverage (float32 as TIFF tiles, 8/16-bit integers as
  PNG tiles; exact). Grids GeoPackage cannot hold exactly (float64 or 32-bit integers beyond
  float32/int16/uint16, rotated or south-up grids) go into a GeoTIFF beside the project, in the
  folder ``NAME.lingtan.rasters`` (:mod:`app.project_rasters`); the document names the file.

:func:`save_project` is atomic: it writes a temporary file in the same folder, fsyncs it and
renames it over the old file (``os.replace``); a crash, kill or power cut while saving leaves the
previous file as it was, and the next save removes the killed one's temporary
(``.NAME-ltPID-XXXX.gpkg``, :mod:`gis.atomic`). Autosave and recovery copies are :mod:`app.project_recovery`.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from app.outputs import GPKG_OPTIONS, empty_geometry_type
from app.project_parquet import is_read_by_view, open_parquet_layers, parquet_entry, set_relative_paths
from app.project_rasters import (
    gpkg_raster_tables,
    raster_storage,
    read_raster_entry,
    remove_unused_sidecars,
    write_gpkg_raster,
    write_sidecar,
)
from app.summaries import ParkSummary
from gis.atomic import fsync_dir, fsync_file, temp_beside
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

FORMAT = "lingtan-project"
FORMAT_VERSION = 1
"""Bump when a change makes files unreadable by older versions (they refuse newer files)."""
EXTENSION = ".lingtan.gpkg"
META_TABLE = "lingtan_project"
TABLE_PREFIX = "lingtan_table_"
STYLE_TABLE = "layer_styles"
GEOMETRY_COLUMN = "geom"
PARK_TABLES = ("enterprises", "township_stats")
RESERVED = {META_TABLE, STYLE_TABLE}


def app_version() -> str:
    try:
        from importlib.metadata import version

        return version("lingtan")
    except Exception:  # not installed (running from a checkout)
        return "0.1.0"


def project_path(path: Path | str) -> Path:
    """``path`` with the ``.lingtan.gpkg`` extension (added when it has neither it nor .gpkg)."""
    path = Path(path)
    if path.name.lower().endswith(".gpkg"):
        return path
    return path.with_name(path.name + EXTENSION)


# ---------------------------------------------------------------- snapshot (GUI thread)


@dataclass
class LayerData:
    table: str
    name: str
    title: str
    gdf: gpd.GeoDataFrame
    qml: str | None = None
    sld: str | None = None


@dataclass
class RasterData:
    """A raster layer to save: the grid (referenced, not copied), its georeference and where it
    goes (``storage`` "gpkg": a raster table of the project; "geotiff": a sidecar file)."""

    table: str
    name: str
    title: str
    array: np.ndarray
    transform: tuple[float, ...]
    crs: Any
    nodata: float | None
    storage: str
    stored_dtype: str | None = None  # the dtype written into the GeoPackage (lossless)
    file: str | None = None  # the sidecar GeoTIFF, relative to the project's folder (set on write)

    def entry(self) -> dict:
        """The document's entry for this raster (``rasters`` list)."""
        a = self.array
        return {"table": self.table, "name": self.name, "title": self.title, "storage": self.storage,
                "file": self.file, "dtype": str(a.dtype), "stored_dtype": self.stored_dtype,
                "bands": int(a.shape[2]) if a.ndim == 3 else 1, "rows": int(a.shape[0]),
                "cols": int(a.shape[1]), "transform": [float(v) for v in self.transform],
                "crs": self.crs.to_wkt() if self.crs is not None else None,
                "nodata": _json_safe(self.nodata)}


@dataclass
class ProjectSnapshot:
    """Everything :func:`write_snapshot` writes, taken from a workspace in the GUI thread (cheap:
    the GeoDataFrames are referenced, not copied) so that the writing can run in a worker."""

    document: dict
    layers: list[LayerData] = field(default_factory=list)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rasters: list[RasterData] = field(default_factory=list)


def _table_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[^0-9A-Za-z_]+", "_", name).strip("_").lower() or "layer"
    if base[0].isdigit() or base.startswith(("gpkg_", "rtree_", "sqlite_", TABLE_PREFIX)) or base in RESERVED:
        base = f"layer_{base}"
    base = base[:50]
    out, k = base, 2
    while out in used:
        out, k = f"{base}_{k}", k + 1
    used.add(out)
    return out


def snapshot(workspace, *, autosave_of: Path | bool | None = False) -> ProjectSnapshot:
    """The project document and data of ``workspace`` (call in the thread that owns it).

    autosave_of: False for a normal save; the project path (or None for an untitled workspace)
    for an autosave (recorded in the document so recovery can name the project)."""
    from layers.layer import geometry_kind
    from layers.style_export import style_qml, style_sld

    used: set[str] = set()
    layers: list[LayerData] = []
    rasters: list[RasterData] = []
    by_id: dict[int, str] = {}
    raster_of: dict[int, str] = {}
    parquet_of: dict[int, dict] = {}
    for lyr in workspace.tree.layers():
        if is_read_by_view(lyr):  # GeoParquet read by view: stored by its path (app/project_parquet.py)
            parquet_of[id(lyr)] = parquet_entry(lyr, _table_name(lyr.name, used))
            continue
        gdf = getattr(lyr, "gdf", None)
        if gdf is None:
            if getattr(lyr, "kind", None) == "raster":
                table = _table_name(lyr.name, used)
                raster_of[id(lyr)] = table
                storage, dtype = raster_storage(lyr.array, lyr.transform)
                rasters.append(RasterData(table, lyr.name, lyr.title, lyr.array, lyr.transform, lyr.crs,
                                          lyr.nodata, storage, dtype))
            continue
        table = _table_name(lyr.name, used)
        by_id[id(lyr)] = table
        kind = geometry_kind(gdf.geometry.to_numpy()) if len(gdf) else "polygon"
        try:
            qml = style_qml(lyr.style, geometry=kind)
            sld = style_sld(lyr.style, table, geometry=kind)
        except Exception:  # a style QGIS cannot express: the layer still saves
            qml = sld = None
        layers.append(LayerData(table, lyr.name, lyr.title, gdf, qml, sld))
    park = workspace.park
    tables = {}
    if park is not None:
        for key in PARK_TABLES:
            df = getattr(park, key, None)
            if df is not None:
                tables[TABLE_PREFIX + key] = df
    document = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": app_version(),
        "saved_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "lang": workspace.lang,
        "park": None if park is None else {
            "name": park.name, "crs": park.crs.to_wkt() if park.crs is not None else None,
            "crs_label": str(park.crs.to_string()) if park.crs is not None else None,
            "layers": {k: by_id[id(workspace.layer(k))] for k in park.layers()
                       if workspace.layer(k) is not None and id(workspace.layer(k)) in by_id},
            "tables": {k: TABLE_PREFIX + k for k in PARK_TABLES if getattr(park, k, None) is not None}},
        "layers": [{"table": d.table, "name": d.name, "title": d.title, "features": len(d.gdf)}
                   for d in layers],
        "rasters": [r.entry() for r in rasters],
        "tree": tree_to_dict(workspace.tree, by_id, raster_of, parquet_of),
        "settings": _json_safe(workspace.settings),
        "summary": _json_safe(ParkSummary.from_dict(workspace.summary).to_dict()),
    }
    if autosave_of is not False:
        document["autosave"] = {"project": str(autosave_of) if autosave_of else None, "pid": os.getpid()}
    return ProjectSnapshot(document, layers, tables, rasters)


def _json_safe(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _json_safe(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json_safe(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, Path):
        return str(x)
    if x is None or isinstance(x, bool | int | float | str):
        return x
    if isinstance(x, np.ndarray):
        return _json_safe(x.tolist())
    if isinstance(x, pd.Timestamp | datetime):
        return x.isoformat()
    return str(x)


# ---------------------------------------------------------------- tree <-> dict


def _layer_entries(node: dict) -> list[dict]:
    """The layer entries of a tree dict in :meth:`LayerTree.layers` order (depth first, bottom → top)."""
    out = []
    for c in node.get("children", []):
        if c.get("type") == "group":
            out += _layer_entries(c)
        else:
            out.append(c)
    return out


def tree_to_dict(tree, table_of: dict[int, str], raster_of: dict[int, str] | None = None,
                 parquet_of: dict[int, dict] | None = None) -> dict:
    """:meth:`LayerTree.to_dict` (structure, visibility, opacity, titles, styles), each layer entry
    tagged with the ``table`` holding its data (layers whose data are not stored: None) and, for a
    raster layer, ``raster``: its raster table (``table`` stays None, so a Lingtan that cannot read
    rasters lists them as missing instead of calling the file damaged); a GeoParquet layer read by
    view: ``parquet``, where its file is (:mod:`app.project_parquet`)."""
    d = tree.to_dict()
    raster_of, parquet_of = raster_of or {}, parquet_of or {}
    for entry, lyr in zip(_layer_entries(d["root"]), tree.layers(), strict=True):
        entry["table"] = table_of.get(id(lyr))
        if id(lyr) in raster_of:
            entry["raster"] = raster_of[id(lyr)]
        if id(lyr) in parquet_of:
            entry["parquet"] = dict(parquet_of[id(lyr)])
    return d


def tree_from_dict(d: dict, frames: dict[str, gpd.GeoDataFrame], rasters: dict | None = None,
                   parquets: dict | None = None):
    """A :class:`LayerTree` from :func:`tree_to_dict`'s dict, the tables' data and the raster
    layers read (raster table → :class:`~layers.raster.RasterLayer`). Layers are looked up by
    table (names need not be unique); entries without data are skipped and their layer names
    listed in ``tree.missing``. ``parquets``: GeoParquet entry id → its layer (opened)."""
    from layers.layer import VectorLayer
    from layers.tree import LayerTree

    d = json.loads(json.dumps(d))  # a private copy to retag
    rasters, parquets = rasters or {}, parquets or {}
    made: dict[str, Any] = {}
    names: dict[str, str] = {}
    for k, entry in enumerate(_layer_entries(d.get("root", {}))):
        table, name = entry.get("table"), str(entry.get("name", ""))
        token = f"lingtan-layer-{k}"
        entry["name"] = token
        names[token] = name
        if table is not None:
            if table not in frames:
                raise KeyError(table)
            made[token] = VectorLayer(name, frames[table])
        elif entry.get("raster") in rasters:
            made[token] = rasters[entry["raster"]]
        elif isinstance(entry.get("parquet"), dict) and entry["parquet"].get("id") in parquets:
            made[token] = parquets[entry["parquet"]["id"]]
    tree = LayerTree.from_dict(d, made)
    tree.missing = [names.get(t, t) for t in tree.missing]  # the layers' names, not the lookup tokens
    return tree


def _tmp_beside(path: Path) -> Path:
    """A fresh temporary name next to ``path`` (same folder: ``os.replace`` stays a rename), in
    the one scheme of :func:`gis.atomic.temp_beside`, which first removes what killed saves
    left."""
    try:
        return temp_beside(path)
    except InputError as exc:
        why = getattr(exc.__cause__, "strerror", None) or exc.__cause__ or exc.en
        raise InputError(f"无法在该文件夹中保存：{why}。请换一个有写权限的文件夹",
                         f"Cannot save in this folder: {why}. Choose a folder you can write to",
                         path=exc.path, code="project.not_writable") from exc


def _text_columns(gdf: pd.DataFrame) -> pd.DataFrame:
    """Mixed object columns as text (GDAL cannot write them); None stays empty."""
    geom = gdf.geometry.name if isinstance(gdf, gpd.GeoDataFrame) else None
    objects = [c for c in gdf.columns if c != geom and gdf[c].dtype == object]
    renamed = {c: str(c) for c in gdf.columns if not isinstance(c, str)}
    if not objects and not renamed:
        return gdf
    out = gdf.copy()
    for col in objects:
        out[col] = out[col].astype("string")
    return out.rename(columns=renamed)


def write_snapshot(snap: ProjectSnapshot, path: Path, progress: Progress = NO_PROGRESS) -> Path:
    """Write ``snap`` to ``path`` atomically (temp file, fsync, rename). Returns ``path``."""
    import pyogrio

    path = Path(path)
    tmp = _tmp_beside(path)
    try:
        weights = ([max(len(d.gdf), 1) for d in snap.layers] + [max(len(t), 1) for t in snap.tables.values()]
                   + [max(r.array.size // 50, 1) for r in snap.rasters])
        total, done = float(sum(weights) + 1), 0.0
        for d in snap.layers:
            progress.report(done / total, f"writing {d.title}")
            gdf = _text_columns(d.gdf)
            if not isinstance(gdf, gpd.GeoDataFrame):
                gdf = gpd.GeoDataFrame(gdf)
            kw = {"geometry_type": empty_geometry_type(d.name)} if len(gdf) == 0 else {}
            pyogrio.write_dataframe(
                gdf, tmp, layer=d.table, driver="GPKG", promote_to_multi=False, dataset_options=GPKG_OPTIONS,
                layer_options={"GEOMETRY_NAME": GEOMETRY_COLUMN, "IDENTIFIER": d.title,
                               "DESCRIPTION": f"Lingtan layer {d.name}"}, **kw)
            done += max(len(d.gdf), 1)
        for table, df in snap.tables.items():
            progress.report(done / total, f"writing {table}")
            pyogrio.write_dataframe(_text_columns(pd.DataFrame(df).reset_index(drop=True)), tmp,
                                    layer=table, driver="GPKG", dataset_options=GPKG_OPTIONS)
            done += max(len(df), 1)
        for r in snap.rasters:
            progress.report(done / total, f"writing {r.title}")
            if r.storage == "gpkg":
                write_gpkg_raster(tmp, r)
            else:
                r.file = write_sidecar(path, r)
            done += max(r.array.size // 50, 1)
        if snap.rasters:
            snap.document["rasters"] = [r.entry() for r in snap.rasters]
        set_relative_paths(snap.document, path)  # GeoParquet layers: their files relative to the project
        progress.report(done / total, "writing project")
        styles = [{"f_table_catalog": "", "f_table_schema": "", "f_table_name": d.table,
                   "f_geometry_column": GEOMETRY_COLUMN, "styleName": d.title, "styleQML": d.qml,
                   "styleSLD": d.sld or "", "useAsDefault": True,
                   "description": f"Lingtan style of {d.name}", "owner": "", "ui": "",
                   "update_time": pd.Timestamp.now(tz="UTC").tz_localize(None)}
                  for d in snap.layers if d.qml]
        if styles:
            pyogrio.write_dataframe(pd.DataFrame(styles), tmp, layer=STYLE_TABLE, driver="GPKG",
                                    layer_options={"FID": "id"}, dataset_options=GPKG_OPTIONS)
        doc = snap.document
        meta = pd.DataFrame({"key": ["format", "format_version", "app_version", "document"],
                             "value": [doc["format"], str(doc["format_version"]), doc["app_version"],
                                       json.dumps(doc, ensure_ascii=False)]})
        pyogrio.write_dataframe(meta, tmp, layer=META_TABLE, driver="GPKG", dataset_options=GPKG_OPTIONS,
                                layer_options={"DESCRIPTION": "Lingtan project document (JSON)"})
        progress.check()
        fsync_file(tmp)
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise InputError(f"无法替换 {path.name}：文件可能正被其他程序（如 QGIS）打开。请关闭后再保存，"
                             "或另存为新文件",
                             f"Cannot replace {path.name}: another program (QGIS?) may have it open. Close "
                             "it and save again, or save under a new name", path=str(path),
                             code="project.locked") from exc
        fsync_dir(path.parent)
        progress.report(1.0, "saved")
    finally:
        tmp.unlink(missing_ok=True)
    remove_unused_sidecars(path, {r.file for r in snap.rasters if r.file})
    return path


def save_project(workspace, path: Path | str, progress: Progress = NO_PROGRESS) -> Path:
    """Save ``workspace`` to ``path`` atomically, then set its path and mark it clean.

    Blocking: the GUI takes :func:`snapshot` in the GUI thread and runs :func:`write_snapshot`
    in a task (app/gui/project_actions.py)."""
    path = Path(path)
    write_snapshot(snapshot(workspace), path, progress)
    workspace.set_path(path)
    workspace.mark_clean()
    return path


# ---------------------------------------------------------------- reading


_DOCUMENT_SHAPE: dict[str, tuple[type, ...]] = {
    "layers": (list,), "rasters": (list,), "tree": (dict,), "settings": (dict,), "summary": (dict,),
    "park": (dict,), "lang": (str,)}
"""The JSON types of the project document's sections (absent or null is allowed except for the
layers and the tree)."""


def _check_document(path: Path, doc: Any) -> None:
    """The document's sections are of their types (a hand-edited or damaged file is bad input,
    not a crash); the layer entries are objects, the park's layers and tables mappings."""
    if not isinstance(doc, dict):
        raise _corrupt(path, "the project document is not a JSON object")
    for key, types in _DOCUMENT_SHAPE.items():
        value = doc.get(key)
        if value is None and key not in ("layers", "tree"):
            continue
        if not isinstance(value, types):
            raise _corrupt(path, f"section {key!r} is {type(value).__name__}, not {types[0].__name__}")
    for key in ("layers", "rasters"):
        if not all(isinstance(e, dict) for e in doc.get(key) or []):
            raise _corrupt(path, f"an entry of {key!r} is not an object")
    for key, value in (doc.get("summary") or {}).items():
        if key in ("park", "pv", "carbon", "intensity", "pv_array", "wind") and not isinstance(value, dict):
            raise _corrupt(path, f"the results' {key!r} section is {type(value).__name__}, not an object")
    park = doc.get("park") or {}
    for key in ("layers", "tables"):
        if park.get(key) is not None and not isinstance(park[key], dict):
            raise _corrupt(path, f"the park's {key!r} is not an object")


def _corrupt(path: Path, detail: str) -> InputError:
    return InputError(f"项目文件已损坏或不完整：{detail}",
                      f"The project file is damaged or incomplete: {detail}", path=str(path),
                      code="project.corrupt")


def is_project_file(path: Path | str) -> bool:
    """Is ``path`` a Lingtan project: named ``*.lingtan.gpkg``, or a GeoPackage holding the
    ``lingtan_project`` table (a renamed project, opened through the Windows ``.gpkg`` association)."""
    path = Path(path)
    if str(path).lower().endswith(EXTENSION):
        return True
    if path.suffix.lower() != ".gpkg" or not path.is_file():
        return False
    import sqlite3
    from contextlib import closing

    try:  # a file URI: names with "#", "?" or "%" stay names
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as con:
            row = con.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                              (META_TABLE,)).fetchone()
        return row is not None
    except sqlite3.Error:
        return False


def read_document(path: Path | str) -> dict:
    """The JSON document of a project file (InputError: missing, not a project, newer, corrupt)."""
    import pyogrio

    path = Path(path)
    if not path.is_file():
        raise InputError(f"找不到项目文件 {path}", f"Project file not found: {path}", path=str(path),
                         code="project.missing")
    try:
        names = [str(n) for n in pyogrio.list_layers(path)[:, 0]]
    except Exception as exc:
        raise InputError("不是 Lingtan 项目文件：无法作为 GeoPackage 打开",
                         f"Not a Lingtan project: it cannot be opened as a GeoPackage ({exc})",
                         path=str(path), code="project.not_project") from None
    if META_TABLE not in names:
        raise InputError("这个 GeoPackage 不是 Lingtan 项目（缺少 lingtan_project 表）。"
                         "可通过“打开数据”把其中的图层加入当前项目",
                         "This GeoPackage is not a Lingtan project (no lingtan_project table). Use "
                         "Open Data to add its layers to the current project",
                         path=str(path), code="project.not_project")
    try:
        meta = pyogrio.read_dataframe(path, layer=META_TABLE)
        values = dict(zip(meta["key"].astype(str), meta["value"], strict=False))
    except Exception as exc:
        raise _corrupt(path, f"lingtan_project ({exc})") from None
    if values.get("format") != FORMAT:
        raise InputError("不是 Lingtan 项目文件（格式标记不符）", "Not a Lingtan project (wrong format tag)",
                         path=str(path), code="project.not_project")
    try:
        version = int(values.get("format_version"))
    except (TypeError, ValueError):
        raise _corrupt(path, "format_version") from None
    if version > FORMAT_VERSION:
        raise InputError(f"该项目由更新版本的 Lingtan（{values.get('app_version')}，格式 {version}）保存，"
                         f"本程序只能读取格式 {FORMAT_VERSION}。请升级 Lingtan",
                         f"This project was saved by a newer Lingtan ({values.get('app_version')}, format "
                         f"{version}); this version reads format {FORMAT_VERSION}. Please update Lingtan",
                         path=str(path), code="project.newer")
    try:
        doc = json.loads(values["document"])
        if not isinstance(doc, dict) or not isinstance(doc.get("layers"), list):
            raise ValueError("no layer list")
    except (KeyError, TypeError, ValueError) as exc:
        raise _corrupt(path, f"document ({exc})") from None
    return doc


def load_project(path: Path | str, progress: Progress = NO_PROGRESS, *, lang: str | None = None,
                 as_path: Path | bool | None = True):
    """Open a project file: a new :class:`app.workspace.Workspace` with its layers, styles, tree
    order and visibility, settings, results summary and (when the boundary and buildings are
    there) its park, ready for new analyses. Clean (not dirty).

    lang: the workspace's language (default: the one saved). as_path: the path the workspace
    takes (True: ``path``; None: untitled, e.g. a recovered autosave of an untitled project)."""
    import pyogrio
    from pyproj import CRS

    from app.workspace import Workspace
    from gis.park import Park

    path = Path(path)
    progress.report(0.0, "reading project")
    doc = read_document(path)
    _check_document(path, doc)
    available = {str(n) for n in pyogrio.list_layers(path)[:, 0]}
    frames: dict[str, gpd.GeoDataFrame] = {}
    entries = doc["layers"]
    for k, entry in enumerate(entries):
        table = entry.get("table")
        progress.report(0.05 + 0.85 * k / max(len(entries), 1), f"reading {entry.get('title', table)}")
        if table not in available:
            raise _corrupt(path, f"layer table {table!r} is missing")
        try:
            gdf = pyogrio.read_dataframe(path, layer=table)
        except Exception as exc:
            raise _corrupt(path, f"layer {table!r} ({exc})") from None
        if not isinstance(gdf, gpd.GeoDataFrame):
            gdf = gpd.GeoDataFrame(gdf, geometry=gpd.GeoSeries([None] * len(gdf)))
        frames[table] = gdf
    rasters: dict[str, Any] = {}
    raster_entries = doc.get("rasters") or []
    if raster_entries:
        from layers.raster import Colormap

        in_file = gpkg_raster_tables(path)
        styles = {e.get("raster"): (e.get("style") or {}) for e in _layer_entries(doc["tree"].get("root", {}))
                  if e.get("raster")}
        for k, entry in enumerate(raster_entries):
            table = entry.get("table")
            progress.report(0.8 + 0.1 * k / len(raster_entries), f"reading {entry.get('title', table)}")
            if entry.get("storage") != "geotiff" and table not in in_file:
                raise _corrupt(path, f"raster table {table!r} is missing")
            cmap = (styles.get(table) or {}).get("colormap")
            try:
                rasters[table] = read_raster_entry(path, entry, Colormap.from_dict(cmap) if cmap else None)
            except FileNotFoundError:
                continue  # a sidecar GeoTIFF left behind: listed in missing_layers
            except Exception as exc:
                raise _corrupt(path, f"raster {table!r} ({exc})") from None
    progress.report(0.9, "opening GeoParquet layers")
    parquets, missing_files = open_parquet_layers(doc, path, progress.sub(0.9, 0.95))
    progress.report(0.95, "building the workspace")
    ws = Workspace(lang=lang or doc.get("lang") or "zh")
    ws.missing_files = missing_files  # GeoParquet files not found (or unreadable): the window warns
    with ws.quiet():
        try:
            tree = tree_from_dict(doc["tree"], frames, rasters, parquets)
        except KeyError as exc:
            raise _corrupt(path, f"the layer tree names a missing table {exc}") from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise _corrupt(path, f"the layer tree ({exc})") from None
        ws.replace_tree(tree)
    ws.missing_layers = list(tree.missing)  # layers the file names but does not hold, by name
    ws.settings = doc.get("settings") or {}
    ws.summary = ParkSummary.from_dict(doc.get("summary")).to_dict()  # unknown keys kept (extra)
    p = doc.get("park")
    if p and {"boundary", "buildings"} <= set(p.get("layers", {})):
        tables = {}
        for key, table in (p.get("tables") or {}).items():
            if table in available:
                try:
                    tables[key] = pyogrio.read_dataframe(path, layer=table)
                except Exception as exc:
                    raise _corrupt(path, f"table {table!r} ({exc})") from None
        lyr = {k: frames.get(t) for k, t in p["layers"].items()}
        crs = CRS.from_wkt(p["crs"]) if p.get("crs") else lyr["buildings"].crs
        ws.park = Park(name=p.get("name") or "", crs=crs, boundary=lyr["boundary"],
                       buildings=lyr["buildings"], green=lyr.get("green"), tree_rows=lyr.get("tree_rows"),
                       townships=lyr.get("townships"), enterprises=tables.get("enterprises"),
                       township_stats=tables.get("township_stats"), roads=lyr.get("roads"),
                       water=lyr.get("water"))
    if as_path is True:
        ws.set_path(path)
    elif as_path:
        ws.set_path(as_path)
    ws.mark_clean()
    progress.report(1.0, "loaded")
    return ws


def gpkg_tables(path: Path | str) -> list[str]:
    """Tables listed in ``gpkg_contents`` (an independent look with sqlite3, for tests/diagnostics)."""
    with sqlite3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True) as con:
        return [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name")]

