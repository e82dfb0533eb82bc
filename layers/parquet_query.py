"""Queries of a whole GeoParquet source, not of the window in view: select by expression, the selected
rows' extent. No Qt.

A :class:`~layers.parquet_source.ParquetLayer`'s frame holds only the rows read for the view, so the
desktop app's select by expression and zoom to selection ask the file instead:

* :func:`keys_where` evaluates an attribute expression (:func:`layers.query.features_where`'s syntax)
  over every row of the source, batch by batch, reading only the columns the expression names (never
  the geometries), and returns the matching rows' keys (their positions in the source,
  :data:`~layers.parquet_source.ROW_KEY`), ready for ``ParquetLayer.select_keys``.
* :func:`keys_bounds` is the union of the bounding boxes of the rows at some keys, from the bbox
  covering columns of only the row groups holding them (geometries decoded only without a covering).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from gis.progress import NO_PROGRESS, Progress
from gis.scale.geoparquet import struct_boxes
from layers.presets import derived_inputs, prepare
from layers.query import expression_names, where_mask

SCAN_ROWS = 131_072
"""Rows per batch of a whole-file search (pyarrow's default batch size): the cancel flag is looked at
after each batch (~10–30 ms of work), and a batch of a few columns stays a few MB."""


def expression_columns(source, expression: str, layer_name: str | None = None) -> list[str]:
    """The source's columns ``expression`` needs (in source order): those it names, and the inputs of
    a derived column the layer adds (``rooftop_pv``'s ``kwh_per_m2``, :func:`layers.presets.prepare`)."""
    names = expression_names(expression)
    for name in list(names):
        names.update(derived_inputs(layer_name or "", name))
    return [c for c in source.columns if c in names]


def keys_where(source, expression: str, layer_name: str | None = None,
               progress: Progress = NO_PROGRESS) -> np.ndarray:
    """Keys (source positions, ascending) of every row of ``source`` satisfying ``expression``,
    as :func:`layers.query.features_where` would find them in a frame of the whole file (the layer's
    derived columns and the key column included). Reads the files in source order, batch by batch,
    only the columns the expression names. A bad expression raises InputError (after the first
    batch: the file is not read through for it)."""
    text = (expression or "").strip()
    if not text:
        return np.arange(source.rows, dtype=np.int64)
    columns = expression_columns(source, text, layer_name)
    fields = [*source.columns, source.key]
    found: list[np.ndarray] = []
    done = 0
    total = max(source.rows, 1)
    progress.report(0.0, "searching the file")
    for i, fragment in enumerate(source._fragments):
        start = int(source._group_start[source._first_group[i]])
        for batch in fragment.to_batches(schema=source.dataset.schema, columns=columns,
                                         batch_size=SCAN_ROWS):
            n = batch.num_rows
            if not n:
                continue
            frame = batch.to_pandas() if columns else pd.DataFrame(index=pd.RangeIndex(n))
            frame[source.key] = np.arange(start, start + n, dtype=np.int64)
            frame = prepare(layer_name or "", frame)
            found.append(start + np.flatnonzero(where_mask(frame, text, fields)))
            start += n
            done += n
            progress.report(done / total, "searching the file")
    return np.concatenate(found).astype(np.int64) if found else np.zeros(0, dtype=np.int64)


def keys_bounds(source, keys) -> tuple[float, float, float, float] | None:
    """(xmin, ymin, xmax, ymax) in the source's CRS of the rows at ``keys`` (None for no keys): the
    bbox covering columns of only the row groups holding them; without a covering, their geometries."""
    want = np.unique(np.asarray(keys, dtype=np.int64).ravel())
    if not len(want):
        return None
    if want[0] < 0 or want[-1] >= source.rows:
        raise IndexError(f"row keys must be in 0..{source.rows - 1}")
    groups = np.searchsorted(source._group_start, want, side="right") - 1
    lo, hi = np.array([np.inf, np.inf]), np.array([-np.inf, -np.inf])
    for group in np.unique(groups):
        i, g = source._group_of[int(group)]
        piece = source._fragments[i].subset(row_group_ids=[g])
        pick = want[groups == group] - source._group_start[group]
        if source.bbox is not None:
            box = struct_boxes(piece.to_table(schema=source.dataset.schema, columns=[source.bbox]).column(
                source.bbox))[pick]
        else:
            wkb = piece.to_table(schema=source.dataset.schema, columns=[source.geometry]).column(
                source.geometry).to_numpy(zero_copy_only=False)
            box = shapely.bounds(shapely.from_wkb(wkb[pick]))
        box = box[np.isfinite(box).all(axis=1)]  # empty geometries have NaN bounds
        if len(box):
            lo = np.minimum(lo, box[:, :2].min(axis=0))
            hi = np.maximum(hi, box[:, 2:].max(axis=0))
    if not np.isfinite(lo).all():
        return None
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])
