"""Find features of a VectorLayer: at a point, in a box, by an attribute expression. No Qt.

The canvas's identify and select tools and the attribute table's filter use these. Results are
positional row indices (``layer.gdf.iloc[rows]``, the same numbers as ``layer.selection``),
as sorted int64 arrays (:func:`features_at`: nearest first).

Spatial queries use a shapely ``STRtree`` of the layer's geometry in the query CRS, built once
per layer, CRS and ``layer.data_version`` (cached; rebuilt after the layer emits "data").
"""

from __future__ import annotations

import re
import threading
import weakref

import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError

_TREES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _tree(layer, crs) -> tuple[shapely.STRtree, np.ndarray]:
    key = str(crs) if crs is not None else ""
    version = getattr(layer, "data_version", 0)
    with _LOCK:
        hit = _TREES.get(layer, {}).get(key)
    if hit is not None and hit[0] == version:
        return hit[1], hit[2]
    geoms = layer.in_crs(crs).geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    with _LOCK:
        _TREES.setdefault(layer, {})[key] = (version, tree, geoms)
    return tree, geoms


def features_at(layer, x: float, y: float, tolerance: float = 0.0, crs=None) -> np.ndarray:
    """Rows whose geometry lies within ``tolerance`` (CRS units, e.g. 3 px × metres per pixel) of
    the point (x, y) given in ``crs`` (default: the layer's). Polygons contain the point or are
    within the tolerance of it. Nearest first (ties: lower row first)."""
    tree, geoms = _tree(layer, crs)
    point = shapely.Point(float(x), float(y))
    tol = max(float(tolerance), 0.0)
    rows = tree.query(point, predicate="dwithin", distance=tol) if tol > 0 else \
        tree.query(point, predicate="intersects")
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) <= 1:
        return rows
    d = shapely.distance(geoms[rows], point)
    return rows[np.lexsort((rows, d))]


def features_in_box(layer, bbox: tuple[float, float, float, float], crs=None) -> np.ndarray:
    """Rows whose geometry intersects the box (xmin, ymin, xmax, ymax) in ``crs``, ascending."""
    x0, y0, x1, y1 = (float(v) for v in bbox)
    box = shapely.box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    tree, _ = _tree(layer, crs)
    return np.sort(np.asarray(tree.query(box, predicate="intersects"), dtype=np.int64))


def selection_bounds(layer, crs=None) -> tuple[float, float, float, float] | None:
    """The extent in ``crs`` of ``layer``'s selected features (None without any): a layer read by view
    (layers/parquet_source.py) asks its file for every selected row, not only those in the window."""
    whole = getattr(layer, "selection_bounds", None)
    if whole is not None:
        return whole(crs)
    sel = getattr(layer, "selection", None)
    if sel is None or not len(sel):
        return None
    b = layer.in_crs(crs).geometry.iloc[np.asarray(sel)].total_bounds
    return (float(b[0]), float(b[1]), float(b[2]), float(b[3])) if np.isfinite(b).all() else None


_WORDS = {"AND": "and", "OR": "or", "NOT": "not"}


def _pandas_syntax(expression: str) -> str:
    """Accept a few SQL/QGIS habits outside quoted strings: ``=`` for ``==``, ``<>`` for ``!=``,
    upper-case AND/OR/NOT."""
    parts = re.split(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)""", expression)
    for i in range(0, len(parts), 2):  # even parts are outside quotes
        p = parts[i].replace("<>", "!=")
        p = re.sub(r"(?<![=!<>])=(?!=)", "==", p)
        p = re.sub(r"\b(AND|OR|NOT)\b", lambda m: _WORDS[m.group(1)], p)
        parts[i] = p
    return "".join(parts)


def features_where(layer, expression: str) -> np.ndarray:
    """Rows whose attributes satisfy ``expression`` (pandas ``DataFrame.query`` syntax, e.g.
    ``kwh_yr > 1e6 and use == "工业"``; names with spaces or odd characters in backticks:
    ```屋顶面积 m2` > 500``; ``=``, ``<>`` and AND/OR/NOT are accepted too). Ascending.

    A bad expression raises :class:`InputError` naming it and the layer's fields.
    """
    frame = pd.DataFrame(layer.gdf.drop(columns=layer.gdf.geometry.name, errors="ignore"))
    return np.flatnonzero(where_mask(frame, expression)).astype(np.int64)


def expression_names(expression: str) -> set[str]:
    """The names ``expression`` may refer to: every word outside quoted text (a superset of the
    fields it uses: keywords and numbers' suffixes are words too) and every `backticked` name."""
    parts = re.split(r"""("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)""", expression or "")
    names: set[str] = set()
    for i, p in enumerate(parts):
        if i % 2:  # a quoted part: a `name`, or text
            if p.startswith("`"):
                names.add(p[1:-1])
        else:
            names.update(re.findall(r"[^\W\d]\w*", p))
    return names


def where_mask(frame: pd.DataFrame, expression: str, fields: list[str] | None = None) -> np.ndarray:
    """The boolean mask of ``frame``'s rows satisfying ``expression`` (:func:`features_where`'s
    syntax; empty: every row). ``fields``: the field names a bad expression's message lists
    (default: the frame's columns; a whole-file search reads only the columns it needs)."""
    text = (expression or "").strip()
    if not text:
        return np.ones(len(frame), dtype=bool)
    frame = frame.reset_index(drop=True)
    names = [str(c) for c in (frame.columns if fields is None else fields)]
    shown = "、".join(names[:12]) + (" …" if len(names) > 12 else "")
    try:
        mask = frame.eval(_pandas_syntax(text), engine="python", local_dict={}, global_dict={})
    except Exception as e:  # any parse or evaluation error is a bad user expression
        detail = f"{type(e).__name__}: {e}"[:200]
        raise InputError(
            f"筛选表达式无效：{text}（{detail}）。可用字段：{shown}。"
            "示例：kwh_yr > 100000 and use == \"工业\"",
            f"invalid filter expression: {text} ({detail}). Fields: {shown}. "
            "Example: kwh_yr > 100000 and use == \"工业\"", code="query.expression") from e
    if isinstance(mask, pd.Series) and len(mask) == len(frame):
        if not pd.api.types.is_bool_dtype(mask.dtype):  # e.g. a yes/no column with missing values
            values = mask.dropna()
            mask = mask.astype(object).where(mask.notna(), False) if values.map(
                lambda v: isinstance(v, bool | np.bool_)).all() else None
        if mask is not None:
            return mask.to_numpy(dtype=bool)
    raise InputError(f"筛选表达式必须是条件（真/假），例如 kwh_yr > 1000：{text}",
                     f"the filter expression must be a condition (true/false), e.g. kwh_yr > 1000: {text}",
                     code="query.not_condition")
