"""The desktop app's document: a park, its layers in a layer tree, analysis results, settings.

No widgets and no Qt: the main window, the canvas, the dashboard and the project file all work on
one :class:`Workspace`. Its ``changed`` signal (a :class:`layers.layer.Signal` callback list)
emits ``(workspace, what)`` with what in "layers", "results", "path", "dirty", "settings", "park".
Use it from the GUI thread only: long work (loading a park, analyses) runs in a worker thread
(:mod:`app.gui.tasks`) and hands its product to :meth:`Workspace.set_park` /
:meth:`Workspace.set_results` in the GUI thread.

Layers: the park's inputs go to the group "输入"/"Inputs" (bottom → top: townships, green,
tree_rows, buildings, boundary), the analyses' layers to "结果"/"Results" above it (bottom → top:
township_intensity, green_sinks, tree_sinks, rooftop_pv), each styled by
:func:`layers.presets.styled_layer`. A layer's ``name`` is its stable key (``"rooftop_pv"``), its
``title`` the display name in the workspace's language.

Dirty tracking: any change of the tree (layers added, removed, moved, restyled, hidden …), the
park, the results or the settings sets ``dirty`` and increases ``revision``; selections do not.
:meth:`mark_clean` after a save (a save running in the background marks clean only when
``revision`` did not move while it wrote).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import geopandas as gpd

from app.results import RESULT_LAYER_NAMES, ParkResults
from gis.park import Park, ParkSources, load_park, load_sample_park, summarise_park
from gis.progress import NO_PROGRESS, Progress
from layers.layer import Signal, VectorLayer
from layers.presets import layer_title, styled_layer
from layers.tree import LayerGroup, LayerTree

INPUT_LAYER_ORDER = ("townships", "water", "green", "roads", "tree_rows", "buildings", "boundary")
"""Input layers bottom → top: big areas first, the park boundary outline on top."""
RESULT_LAYER_ORDER = ("township_intensity", "green_sinks", "tree_sinks", "rooftop_pv", "pv_array_area",
                      "pv_array_tables", "pv_array_exclusions", "wind_receptors", "wind_violations",
                      "turbines")
"""Result layers bottom → top (the siting layers over the park's analyses)."""
HIDDEN_BY_DEFAULT = {"townships"}
"""Input layers added hidden: the township polygons cover the whole district around the park."""
GROUP_TITLES = {"inputs": ("输入", "Inputs"), "results": ("结果", "Results")}


class Workspace:
    """See the module doc. ``lang``: "zh" or "en", for layer and group titles."""

    def __init__(self, lang: str = "zh") -> None:
        self.changed = Signal()
        self.lang = "en" if lang == "en" else "zh"
        self.tree = LayerTree()
        self.park: Park | None = None
        self.results: ParkResults | None = None
        self.summary: dict = {}
        # the last run of each algorithm in this session (its AlgorithmOutput by id, typed results such
        # as the energy run's hourly table): not saved, the summary keeps what a project holds
        self.outputs: dict[str, Any] = {}
        self.settings: dict = {}
        self.path: Path | None = None
        self.autosave_file: Path | None = None  # the recovery file last written for this workspace
        self.missing_layers: list[str] = []  # layers a project file named but did not hold (rasters)
        self._dirty = False
        self.revision = 0  # +1 on every edit: a save marks clean only if nothing changed meanwhile
        self._quiet = 0
        self.tree.changed.connect(self._on_tree_changed)

    def __repr__(self) -> str:
        return (f"Workspace({self.path or 'untitled'}, {len(self.tree.layers())} layers, "
                f"park={self.park.name if self.park else None!r}, dirty={self._dirty})")

    # ------------------------------------------------------------------ state and events
    @property
    def dirty(self) -> bool:
        return self._dirty

    @dirty.setter
    def dirty(self, value: bool) -> None:
        value = bool(value)
        if value:
            self.revision += 1
        if value != self._dirty:
            self._dirty = value
            self.changed.emit(self, "dirty")

    def mark_clean(self) -> None:
        self.dirty = False

    def set_path(self, path: Path | str | None) -> None:
        path = Path(path) if path is not None else None
        if path != self.path:
            self.path = path
            self.changed.emit(self, "path")

    @property
    def title(self) -> str:
        """A window title: the project's file name (without .lingtan.gpkg) or the park's name."""
        if self.path is not None:
            name = self.path.name
            for ext in (".lingtan.gpkg", ".gpkg"):
                if name.lower().endswith(ext):
                    return name[: -len(ext)]
            return name
        return self.park.name if self.park is not None else ""

    def _on_tree_changed(self, tree, event: str, node) -> None:
        if self._quiet or "selection" in str(event):
            return
        self.dirty = True
        self.changed.emit(self, "layers")

    class _Quiet:
        def __init__(self, ws: Workspace) -> None:
            self.ws = ws

        def __enter__(self):
            self.ws._quiet += 1

        def __exit__(self, *exc):
            self.ws._quiet -= 1

    def quiet(self) -> _Quiet:
        """``with ws.quiet():`` tree changes inside neither set dirty nor emit "layers" one by one."""
        return Workspace._Quiet(self)

    def replace_tree(self, tree: LayerTree) -> None:
        """Use ``tree`` (e.g. read from a project file) instead of the current one."""
        self.tree.changed.disconnect(self._on_tree_changed)
        self.tree = tree
        self.tree.changed.connect(self._on_tree_changed)
        self.changed.emit(self, "layers")

    def set_setting(self, key: str, value: Any) -> None:
        """Set one project setting (JSON-safe value) and mark the workspace dirty."""
        if self.settings.get(key) == value:
            return
        self.settings[key] = copy.deepcopy(value)
        self.dirty = True
        self.changed.emit(self, "settings")

    # ------------------------------------------------------------------ layers
    def group(self, key: str, create: bool = True) -> LayerGroup | None:
        """The "inputs" or "results" group (found by its Chinese or English title)."""
        titles = GROUP_TITLES[key]
        for g in _groups(self.tree.root):
            if g.name in titles:
                return g
        if not create:
            return None
        title = titles[1] if self.lang == "en" else titles[0]
        g = self.tree.add_group(title)
        # results above inputs: a new group goes on top; put "inputs" back at the bottom
        if key == "inputs":
            self.tree.move(g, self.tree.root, _bottom_index(self.tree.root))
        return g

    def layer(self, name: str) -> VectorLayer | None:
        """The layer whose key (``name``) is ``name``, or None."""
        for lyr in self.tree.layers():
            if lyr.name == name:
                return lyr
        return None

    def layers(self) -> list[VectorLayer]:
        """All layers, draw order bottom → top."""
        return list(self.tree.layers())

    def add_layer(self, layer: VectorLayer, group: LayerGroup | str | None = None) -> VectorLayer:
        """Add a layer on top of ``group`` (a group, "inputs"/"results", or None: the tree's top)."""
        if isinstance(group, str):
            group = self.group(group)
        self.tree.add_layer(layer, group=group)
        return layer

    def remove_layer(self, layer: VectorLayer) -> None:
        if self.tree.contains(layer):
            self.tree.remove(layer)

    def _put(self, key: str, name: str, data: gpd.GeoDataFrame | VectorLayer, order: tuple[str, ...],
             visible: bool | None) -> VectorLayer:
        """Add the styled layer ``name`` (a frame to style, or a styled layer) into group ``key`` at
        its place in ``order``, or replace the data and style of the existing one (keeping its
        place, visibility and opacity)."""
        existing = self.layer(name)
        styled = data if isinstance(data, VectorLayer) else styled_layer(name, data, lang=self.lang)
        if styled.title == styled.name:  # a layer made elsewhere (a GeoParquet result): its display title
            styled.title = layer_title(name, self.lang)
        if existing is not None:
            existing.selection = []  # rows no longer mean the same features
            existing.gdf = styled.gdf
            existing.style = styled.style
            return existing
        group = self.group(key)
        present = [c for c in _children(group) if isinstance(c, VectorLayer)]
        rank = order.index(name) if name in order else len(order)
        index = sum(1 for c in present if (order.index(c.name) if c.name in order else len(order)) < rank)
        if visible is not None:
            styled.visible = visible
        self.tree.add_layer(styled, group=group, index=_tree_index(group, index))
        return styled

    def put_result_layer(self, name: str, gdf: gpd.GeoDataFrame) -> VectorLayer:
        """Add result layer ``name`` (styled by its registered style) to the results group, or
        replace the data and style of the one there (an algorithm run from the Processing menu)."""
        layer = self._put("results", name, gdf, RESULT_LAYER_NAMES, True)
        self.dirty = True
        self.changed.emit(self, "layers")
        return layer

    # ------------------------------------------------------------------ park and results
    def set_park(self, park: Park, summary: dict | None = None) -> None:
        """Make ``park`` the workspace's park: its layers replace the inputs, old results go.

        summary: ``summarise_park(park)`` when already computed (in the worker thread)."""
        with self.quiet():
            for name in RESULT_LAYER_NAMES:
                lyr = self.layer(name)
                if lyr is not None:
                    self.remove_layer(lyr)
            for name in INPUT_LAYER_ORDER:
                lyr = self.layer(name)
                if lyr is not None and getattr(park, name, None) is None:
                    self.remove_layer(lyr)
            for name, gdf in park.layers().items():
                hidden = False if name in HIDDEN_BY_DEFAULT else None
                self._put("inputs", name, gdf, INPUT_LAYER_ORDER, hidden)
        self.park = park
        self.results = None
        self.summary = summary if summary is not None else summarise_park(park)
        self.dirty = True
        self.changed.emit(self, "park")
        self.changed.emit(self, "layers")
        self.changed.emit(self, "results")

    def load_sample(self, progress: Progress = NO_PROGRESS) -> Park:
        """Load the embedded sample park (blocking; the GUI runs :func:`load_sample_park` in a task
        and calls :meth:`set_park`)."""
        park = load_sample_park(progress)
        self.set_park(park)
        return park

    def load_park(self, sources: ParkSources, progress: Progress = NO_PROGRESS) -> Park:
        """Load a park from its sources (blocking; see :meth:`load_sample`)."""
        park = load_park(sources, progress)
        self.set_park(park)
        return park

    def set_results(self, results: ParkResults, show: set[str] | None = None,
                    only: set[str] | None = None, styled: dict[str, VectorLayer] | None = None) -> None:
        """Show ``results``: add or replace the styled result layers, take its summary (and its park
        when it is another one: a park with the same layer frames, e.g. a new energy table, is
        adopted without touching the layers).

        only: the result layers to update (an analysis that computed only some parts); other
        result layers stay as they are. Default: the tree's result layers mirror
        ``results.layers()`` (one absent there is removed).
        show: result layers to add visible (default: all but ``township_intensity`` when other
        results come with it: it covers the whole park; the five-colour analysis alone shows it).
        styled: the layers made by :func:`styled_result_layers` in the worker thread (styling
        100,000 features, and the first import of mapclassify, take a second or more: not in the
        GUI thread); made here when None."""
        if results.park is not self.park:
            if self.park is not None and _same_layers(results.park, self.park):
                self.park = results.park
                self.changed.emit(self, "park")
            else:
                self.set_park(results.park)
        if styled is None:
            styled = styled_result_layers(results, self.lang, only)
        layers = set(results.park.layers()) | set(styled)
        todo = [n for n in RESULT_LAYER_NAMES if n in styled and (only is None or n in only)]
        asked = show is not None  # a single analysis names what it shows: show it even if hidden before
        if show is None:
            show = set(todo) - ({"township_intensity"} if len(todo) > 1 else set())
        with self.quiet():
            if only is None:
                for name in RESULT_LAYER_NAMES:
                    lyr = self.layer(name)
                    if name not in layers and lyr is not None:
                        self.remove_layer(lyr)
            for name in todo:
                layer = self._put("results", name, styled[name], RESULT_LAYER_ORDER, name in show)
                if asked and name in show:
                    layer.visible = True
        self.results = results
        self.summary = results.summary
        self.dirty = True
        self.changed.emit(self, "layers")
        self.changed.emit(self, "results")

    def style_kw(self, name: str) -> dict:
        """What layer ``name``'s registered style needs besides its data (layers.presets.
        default_style's keywords): for the five-colour map, the classification of its breaks and
        labels, from the summary (kept in a saved project; a five-colour run from the Processing
        menu writes it there too), else the live results."""
        if name != "township_intensity":
            return {}
        c = ((self.summary or {}).get("intensity") or {}).get("classification")
        if not c and self.results is not None and self.results.intensity is not None:
            c = self.results.intensity.classification
        return {"classification": c} if c else {}

    def set_summary(self, summary: dict) -> None:
        """Replace the summary (a project file's saved one)."""
        self.summary = summary
        self.changed.emit(self, "results")

    def map_crs(self):
        """The CRS to draw in: the park's (local metric CRS) or the first layer's; None if empty."""
        if self.park is not None:
            return self.park.crs
        for lyr in self.tree.layers():
            if getattr(lyr, "crs", None) is not None:
                return lyr.crs
        return None

    def set_language(self, lang: str) -> None:
        """Retitle the groups and known layers in ``lang`` ("zh"/"en")."""
        self.lang = "en" if lang == "en" else "zh"

        with self.quiet():
            for key, titles in GROUP_TITLES.items():
                g = self.group(key, create=False)
                if g is not None:
                    g.name = titles[1] if self.lang == "en" else titles[0]
            for lyr in self.tree.layers():
                if lyr.name in INPUT_LAYER_ORDER or lyr.name in RESULT_LAYER_ORDER:
                    lyr.title = layer_title(lyr.name, self.lang)
        self.changed.emit(self, "layers")


def styled_result_layers(results: ParkResults, lang: str = "zh", only: set[str] | None = None,
                         progress: Progress = NO_PROGRESS) -> dict[str, VectorLayer]:
    """The result layers of ``results`` styled by :func:`layers.presets.styled_layer` (no Qt: run
    it in the worker thread and hand the layers to :meth:`Workspace.set_results`)."""
    layers = results.layers()
    names = [n for n in RESULT_LAYER_NAMES if n in layers and (only is None or n in only)]
    out = {}
    for k, n in enumerate(names):
        progress.report(k / max(len(names), 1), f"styling {n}")
        kw = {}
        if n == "township_intensity" and results.intensity is not None:  # its breaks on the legend
            kw["classification"] = results.intensity.classification
        out[n] = styled_layer(n, layers[n], lang=lang, **kw)
    return out


def compose_results(park: Park, *, pv=None, account=None, intensity=None,
                    base: ParkResults | None = None, base_summary: dict | None = None) -> ParkResults:
    """A :class:`ParkResults` from parts computed separately, the summary built as
    :func:`app.results.run_park_analyses` builds it (park figures + "pv", "carbon", "intensity").

    Parts not given come from ``base`` (the workspace's live results) and their summary sections
    from ``base_summary`` (e.g. a reopened project, whose results are only its summary).

    ``base`` counts when its park is ``park`` or shares its layer frames (a park with another
    energy table, :func:`app.gui.analyses.park_with_table`, is a new :class:`Park` over the same
    boundary, buildings, green space …): the rooftop PV, township map and siting results stay
    valid there, only the park's own figures (its summary sections) are made again."""
    pv_array = wind = None
    if base is not None and (base.park is park or _same_layers(base.park, park)):
        pv = pv if pv is not None else base.pv
        account = account if account is not None else base.account
        intensity = intensity if intensity is not None else base.intensity
        pv_array, wind = base.pv_array, base.wind
    sections = ("pv", "carbon", "intensity", "pv_array", "wind")
    if base_summary and "park" in base_summary:
        summary = {k: v for k, v in base_summary.items()}
        if base is not None and base.park is not park:  # e.g. another energy table: its figures
            summary.update(summarise_park(park))
    else:
        summary = {**summarise_park(park), **{k: v for k, v in (base_summary or {}).items() if k in sections}}
    for key, part in (("pv", pv), ("carbon", account), ("intensity", intensity)):
        if part is not None:
            summary[key] = part.summary()
    results = ParkResults(park=park, account=account, pv=pv, intensity=intensity, summary=summary,
                          pv_array=pv_array, wind=wind)
    if account is not None:  # as run_park_analyses: the hour-by-hour balance and the years
        from app.park_energy import add_park_energy
        from app.park_pathways import add_park_pathways
        from app.park_trends import add_park_trends

        add_park_energy(results)
        add_park_trends(results)
        add_park_pathways(results)
    return results


def _same_layers(a: Park | None, b: Park | None) -> bool:
    """True when ``a`` and ``b`` hold the very same layer frames (one is a copy of the other with
    other tables, e.g. ``dataclasses.replace(park, enterprises=...)``)."""
    if a is None or b is None:
        return False
    return all(getattr(a, n) is getattr(b, n) for n in ("boundary", "buildings", "green", "tree_rows",
                                                         "townships"))


# ---------------------------------------------------------------- tree helpers


def _children(group) -> list:
    return list(getattr(group, "children", []))


def _groups(group) -> list:
    return [n for n in group.walk() if isinstance(n, LayerGroup)]


def _bottom_index(group) -> int:
    return 0


def _tree_index(group, draw_index: int) -> int:
    return draw_index  # LayerGroup.children run bottom → top, as the draw order
