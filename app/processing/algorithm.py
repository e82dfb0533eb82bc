"""The algorithm contract: an analysis declared once and run the same way from every front end.

An :class:`Algorithm` declares its layer inputs (:class:`LayerInput`), its parameters
(:class:`~app.processing.params.Param`) and the result layers it makes (names of
:mod:`layers.registry`), and implements :meth:`Algorithm.run`. It never reads or writes files and
never imports Qt: the command line (:mod:`app.processing.cli`) reads the input files and writes the
outputs, the GUI (:mod:`app.gui.algorithm_dialog`) takes the inputs from the map's layers and adds the
result layers to it, and Python callers pass GeoDataFrames. This is the shape of QGIS Processing
(``initAlgorithm`` declares, ``processAlgorithm`` runs, ``qgis_process`` and the dialogs are
generated), in plain Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import geopandas as gpd

from app.processing.params import Param, ParamValues
from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

GeometryKind = Literal["polygon", "line", "point"]
InputKind = Literal["vector", "table", "raster", "file"]
PATH_KINDS = ("raster", "file")
"""Input kinds the algorithm reads itself from the path (a land-cover GeoTIFF read only around the
boundary, a project file): ``InputLayer.gdf`` is None and ``InputLayer.path`` names the file."""
RESULTS_ROLE = "results"
"""The role of a project-file input the desktop app may fill with the open project's analysis
results instead of a file (``InputLayer.data``: a :class:`app.results.ParkResults`)."""


@dataclass(frozen=True)
class LayerInput:
    """A vector layer an algorithm takes.

    geometry: the kinds accepted (empty: any). role: the park role whose layer the GUI offers first
    ("boundary", "buildings", "roads", "water", "green"). multiple: several layers (the CLI repeats
    the flag); distance: each with its own clear distance in m (CLI ``FILE:DIST_M``).
    positional: the CLI takes it as the first argument instead of a flag. kind: "vector" (a map
    layer or vector file), "table" (a CSV/Excel table: ``InputLayer.gdf`` is then a DataFrame;
    the CLI reads ``FILE|layername=SHEET``, the GUI offers a file picker), "raster" or "file"
    (:data:`PATH_KINDS`: the GUI offers a file picker with ``filters``). layer_flag: a CLI flag
    naming the layer of a flagged vector input's file (``--trees-layer``). shared_crs: the
    command's ``--crs`` applies to this file too. metavar: the CLI's name of a positional input.
    A "file" input with role :data:`RESULTS_ROLE` (a project to report on or export) is, in the GUI,
    the open project's results when it has them and no file is named.
    """

    name: str
    label_zh: str
    label_en: str
    help_zh: str = ""
    help_en: str = ""
    geometry: tuple[GeometryKind, ...] = ()
    required: bool = True
    multiple: bool = False
    distance: bool = False
    role: str | None = None
    positional: bool = False
    flag: str | None = None
    kind: InputKind = "vector"
    sheet_flag: str | None = None
    """For a table: the CLI flag naming the Excel sheet (default ``--NAME-sheet``)."""
    layer_flag: str | None = None
    shared_crs: bool = False
    metavar: str | None = None
    filters: str = ""

    @property
    def cli_flag(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def describe(self) -> dict:
        return {"name": self.name, "kind": self.kind, "label_zh": self.label_zh, "label_en": self.label_en,
                "help_zh": self.help_zh, "help_en": self.help_en, "geometry": list(self.geometry),
                "required": self.required, "multiple": self.multiple, "distance": self.distance,
                "role": self.role}


@dataclass
class InputLayer:
    """One input layer's data: the features (any CRS; None for :data:`PATH_KINDS`), a name for
    messages, an optional distance; the file it was read from and the problems its reader found
    (command line only). ``data``: what a path input holds when it comes from memory instead of a
    file (the open project's results for an input of role :data:`RESULTS_ROLE`). ``source``: the
    :class:`~layers.parquet_source.ParquetSource` of a GeoParquet layer read by view (desktop app),
    whose ``gdf`` holds only the rows read for the map's view: an algorithm needing all rows reads it."""

    gdf: gpd.GeoDataFrame
    name: str
    distance_m: float | None = None
    path: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    data: Any = None
    source: Any = None


Inputs = Mapping[str, "InputLayer | list[InputLayer] | None"]


@dataclass(frozen=True)
class CliAction:
    """A command-line flag that answers a question instead of running (``--list-turbines``):
    ``run(args) -> (JSON-ready data, text lines)``."""

    flag: str
    help: str
    run: Callable[[Any], tuple[Any, list[str]]]


@dataclass(frozen=True)
class ExtraOutput:
    """A file the command line can also write from a run (``--png MAP.png``):
    ``write(output, path, values)``."""

    flag: str
    metavar: str
    help: str
    write: Callable[[Any, Any, Any], None]


@dataclass(frozen=True)
class OutputFile:
    """What ``--out`` names when the command writes a workbook, a table, a PDF or a folder of files
    instead of OUT.gpkg + OUT.json: the suffixes allowed, whether it must be given, and
    ``write(output, path or None, values) -> (summary printed, text lines)``. The run has folded
    the inputs' read problems (``InputLayer.problems``) into its result.

    folder: ``--out`` names a folder, created when missing (an export's files; no suffix).
    writing_share: the part of the progress bar the writing takes (a PDF's pages, an export's
    formats); when above 0, ``write`` also takes ``progress=`` (and stops when it is cancelled).
    gui: the desktop app's dialog asks for the output too and writes it after the run — the file is
    what the run is for (a report, an export), not a by-product of figures the map shows.
    """

    suffixes: tuple[str, ...]
    metavar: str
    help: str
    write: Callable[..., tuple[dict, list[str]]]
    required: bool = True
    folder: bool = False
    writing_share: float = 0.0
    gui: bool = False

    def check(self, path: Path) -> Path:
        """``path`` when it can take the output (a folder: not an existing file; a file: one of the
        suffixes), else a bilingual InputError."""
        path = Path(path)
        if self.folder:
            if path.exists() and not path.is_dir():
                raise InputError(f"--out 应为文件夹，而“{path}”是一个文件",
                                 f"--out must be a folder; '{path}' is a file", path=str(path),
                                 code="output.folder")
            return path
        if path.suffix.lower() not in self.suffixes:
            raise InputError(f"--out 应为 {' 或 '.join(self.suffixes)} 文件",
                             f"--out must be a {' or '.join(self.suffixes)} file", path=str(path),
                             code="output.suffix")
        return path

    def write_output(self, output: Any, path: Path | None, values: Any,
                     progress: Progress = NO_PROGRESS) -> tuple[dict, list[str]]:
        """``write``, given the progress when it takes a share of the bar."""
        if self.writing_share > 0:
            return self.write(output, path, values, progress=progress)
        return self.write(output, path, values)


@dataclass
class AlgorithmOutput:
    """What a run gives: the core's typed result, the result layers as written (by registry name),
    the JSON-ready summary (units in its keys) and the problems found on the way."""

    algorithm: str
    result: Any
    layers: dict[str, gpd.GeoDataFrame]
    summary: dict
    problems: list[Problem] = field(default_factory=list)


class Algorithm:
    """Base class of an analysis. Subclasses set the class attributes and implement :meth:`run`
    and :meth:`describe`; an instance holds no state between runs."""

    id: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    summary_zh: ClassVar[str] = ""
    summary_en: ClassVar[str] = ""
    group_zh: ClassVar[str] = "分析"
    group_en: ClassVar[str] = "Analysis"
    inputs: ClassVar[tuple[LayerInput, ...]] = ()
    params: ClassVar[tuple[Param, ...]] = ()
    outputs: ClassVar[tuple[str, ...]] = ()
    cli_alias: ClassVar[str | None] = None
    """The older subcommand this algorithm also answers to (``lingtan pv-array``). Algorithms sharing
    an alias share one parser; each but one names the input that selects it (``cli_alias_selector``)."""
    cli_alias_selector: ClassVar[str | None] = None
    output_file: ClassVar[OutputFile | None] = None
    """What the command line writes instead of OUT.gpkg + OUT.json (``lingtan carbon``: a workbook)."""
    cli_actions: ClassVar[tuple[CliAction, ...]] = ()
    extra_outputs: ClassVar[tuple[ExtraOutput, ...]] = ()
    summary_key: ClassVar[str | None] = None
    """Where the desktop app keeps the run's summary in the project (``summary[key]``): the key the
    report and dashboard read for this analysis ("pv", "pv_array", "wind", "intensity"); None: the
    algorithm's id, so that a run never replaces another analysis's figures."""
    makes_park: ClassVar[bool] = False
    """The result is a :class:`gis.park.Park` that becomes the project's park (not result layers)."""
    reads_file_inputs: ClassVar[tuple[str, ...]] = ()
    """Inputs whose GeoParquet file the run reads itself when the desktop app passes a layer read by
    view (``InputLayer.source``): the tiled rooftop run, a new park's rows inside its red line. Any
    other such input is given every row of its file first (:mod:`app.processing.file_inputs`)."""
    file_layer_names: ClassVar[dict[str, str]] = {}
    """Names the result layers take in OUT.gpkg where an older command wrote them under another
    name (``township_intensity`` → ``intensity``)."""

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def values(self, given: Mapping[str, Any] | None = None, *, stored: bool = False,
               partial: bool = False) -> ParamValues:
        """Checked parameter values: ``given`` over the declared defaults (``partial``: required
        ones may be missing, for a form being filled in)."""
        return ParamValues.of(self.params, given, stored=stored, partial=partial)

    def check_inputs(self, inputs: Inputs) -> None:
        """Every required input present, each of an accepted geometry kind (bilingual errors)."""
        from layers.layer import geometry_kind

        for spec in self.inputs:
            got = inputs.get(spec.name)
            items = got if isinstance(got, list) else ([got] if got is not None else [])
            if spec.required and not items:
                raise InputError(f"缺少输入：{spec.label_zh}", f"Missing input: {spec.label_en}",
                                 code=f"input.{spec.name}")
            for item in items:
                if spec.kind != "vector" or not spec.geometry or len(item.gdf) == 0:
                    continue
                if item.source is not None:  # the view's rows may be bounding boxes: checked once read
                    continue
                kind = geometry_kind(item.gdf.geometry.to_numpy())
                if kind not in spec.geometry:
                    zh = {"polygon": "面", "line": "线", "point": "点"}
                    raise InputError(
                        f"{spec.label_zh}应为{'或'.join(zh[k] for k in spec.geometry)}图层，"
                        f"“{item.name}”是{zh.get(kind, kind)}",
                        f"{spec.label_en} must be a {' or '.join(spec.geometry)} layer; "
                        f"'{item.name}' has {kind} features", path=item.name, code=f"input.{spec.name}")
        from app.processing.file_inputs import check_file_inputs

        check_file_inputs(self, inputs)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        raise NotImplementedError

    def describe(self, summary: dict) -> list[str]:
        """Short Chinese/English lines of a summary (the CLI's output, the GUI's message)."""
        return []

    def __call__(self, inputs: Mapping[str, Any], progress: Progress = NO_PROGRESS,
                 **params: Any) -> AlgorithmOutput:
        """Run from Python: GeoDataFrames (or InputLayers, or lists of them) and keyword values."""
        path_inputs = {s.name for s in self.inputs if s.kind in PATH_KINDS}

        def wrap(k: str, x: Any) -> InputLayer:
            if isinstance(x, InputLayer):
                return x
            if k in path_inputs and isinstance(x, str | Path):
                return InputLayer(None, Path(x).name, path=Path(x))  # type: ignore[arg-type]
            if k in path_inputs:  # what the file would hold, already in memory (results to report on)
                return InputLayer(None, k, data=x)  # type: ignore[arg-type]
            return InputLayer(x, k)

        wrapped: dict[str, Any] = {}
        for k, v in inputs.items():
            if isinstance(v, list):
                wrapped[k] = [wrap(k, x) for x in v]
            elif v is None:
                wrapped[k] = v
            else:
                wrapped[k] = wrap(k, v)
        values = self.values(params)
        self.check_inputs(wrapped)
        return self.run(values, wrapped, progress)

    def describe_json(self) -> dict:
        """The declaration as JSON (``lingtan algorithms --json``)."""
        return {"id": self.id, "title_zh": self.title_zh, "title_en": self.title_en,
                "summary_zh": self.summary_zh, "summary_en": self.summary_en,
                "group_zh": self.group_zh, "group_en": self.group_en, "alias": self.cli_alias,
                "inputs": [i.describe() for i in self.inputs],
                "parameters": [p.describe() for p in self.params], "outputs": list(self.outputs),
                **({"output_file": {"suffixes": list(self.output_file.suffixes),
                                    "required": self.output_file.required,
                                    **({"folder": True} if self.output_file.folder else {})}}
                   if self.output_file else {})}


def warnings_lines(summary: dict, limit: int = 8) -> list[str]:
    """The warning lines of a summary's ``problems`` (info notes left out)."""
    warn = [p for p in summary.get("problems", []) if p.get("level") != "info"]
    if not warn:
        return []
    return [f"注意 Warnings ({len(warn)}):", *[f"  ! {p['zh']}\n    {p['en']}" for p in warn[:limit]]]


def first(items: InputLayer | Sequence[InputLayer] | None) -> InputLayer | None:
    """The single layer of an input (the first of a list), or None."""
    if items is None:
        return None
    if isinstance(items, InputLayer):
        return items
    return items[0] if items else None
