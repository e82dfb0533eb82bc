"""Inputs from GeoParquet layers read by view: an analysis gets the file's rows, never the view's.

In the desktop app a GeoParquet layer (:class:`~layers.parquet_source.ParquetLayer`) holds only the
rows read for the map's view; in an overview every k-th feature as its bounding box. An analysis run
on that frame would silently count a sample, or rectangles. So the dialog passes the layer's
:class:`~layers.parquet_source.ParquetSource` with the input (``InputLayer.source``), and before the
run :func:`read_file_inputs` replaces the frame by **every row of the file**, read in the task with
progress and Cancel. The algorithms that read such a file themselves (the tiled rooftop PV over a
whole city, a new park taking the rows inside its red line) name those inputs in
:attr:`~app.processing.algorithm.Algorithm.reads_file_inputs` and are left alone.

A file of more than :data:`FILE_INPUT_MAX_ROWS` rows is refused at once (:func:`check_file_inputs`,
from the file's metadata) with a message in both languages naming what to use instead: these analyses
run in one process on a frame in memory. No Qt.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from app.processing.algorithm import Algorithm, InputLayer, Inputs

FILE_INPUT_MAX_ROWS = 200_000
"""Rows an analysis takes from one GeoParquet layer: the number a layer draws in full
(layers.parquet_source.MAX_FEATURES) and a park takes (app.park_parquet.PARK_MAX_ROWS). The analyses
other than the tiled rooftop run work on one frame in one process."""


def _sourced(alg: Algorithm, inputs: Inputs):
    """(input's LayerInput, position in its list or None, item) of every input read by view that
    ``alg`` does not read from the file itself."""
    for spec in alg.inputs:
        if spec.kind != "vector" or spec.name in alg.reads_file_inputs:
            continue
        got = inputs.get(spec.name)
        items = got if isinstance(got, list) else [got]
        for i, item in enumerate(items):
            if item is not None and getattr(item, "source", None) is not None:
                yield spec, (i if isinstance(got, list) else None), item


def needs_reading(alg: Algorithm, inputs: Inputs) -> bool:
    """Whether any input of ``alg`` is read by view and must be read from its file before the run."""
    return next(_sourced(alg, inputs), None) is not None


def check_file_inputs(alg: Algorithm, inputs: Inputs, limit: int | None = None) -> None:
    """A bilingual InputError when an input read by view holds more than ``limit`` rows in its file
    (default :data:`FILE_INPUT_MAX_ROWS`; counted from the file's metadata, nothing read)."""
    limit = FILE_INPUT_MAX_ROWS if limit is None else limit
    for spec, _, item in _sourced(alg, inputs):
        n = int(item.source.rows)
        if n > limit:
            raise InputError(
                f"{item.source.path.name}（{spec.label_zh}）整个文件有 {n:,} 个要素，超过“{alg.title_zh}”"
                f"一次可处理的 {limit:,} 个。整个文件的屋顶光伏潜力请用 处理 → 光伏 → 屋顶光伏潜力"
                "（分块计算）；园区的分析请先用它新建园区（只取红线内的要素）。",
                f"{item.source.path.name} ({spec.label_en}): {n:,} features in the file, more than "
                f"'{alg.title_en}' takes at once ({limit:,}). For the rooftop PV potential of the whole "
                "file use Processing → Solar PV → Rooftop PV potential (a tiled run); for a park's "
                "analyses make a park from it first (it takes the features inside the red line).",
                path=str(item.source.path), code=f"input.{spec.name}.too_large")


def read_file_inputs(alg: Algorithm, inputs: Inputs, progress: Progress = NO_PROGRESS,
                     limit: int | None = None) -> dict:
    """``inputs`` with every input read by view (that ``alg`` does not read itself) holding all the
    rows of its file (full geometries, every column and the row key); then the inputs' geometry kinds
    are checked on those rows (the view's frame may hold bounding boxes). Cancel stops the reading."""
    out = dict(inputs)
    todo = list(_sourced(alg, inputs))
    if not todo:
        return out
    check_file_inputs(alg, inputs, limit)
    for k, (spec, pos, item) in enumerate(todo):
        part = progress.sub(k / len(todo), (k + 1) / len(todo))
        frame = item.source.window(None, max_features=max(int(item.source.rows), 1), progress=part).gdf
        progress.check()
        whole: InputLayer = dataclasses.replace(item, gdf=frame, source=None)
        if pos is None:
            out[spec.name] = whole
        else:
            items = list(out[spec.name])
            items[pos] = whole
            out[spec.name] = items
    alg.check_inputs(out)
    return out
