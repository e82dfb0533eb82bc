"""Opening a large GeoParquet in the GUI: a :class:`~layers.parquet_source.ParquetLayer` that follows the map.

File → Add Data on a ``.parquet`` file or a folder of them (``open_data._read_one``) reads only the
metadata and an overview in a worker thread, adds the layer, and from then on every pan or zoom (the
canvas's ``extent_changed``, after :data:`SETTLE_MS` without another) reads the rows in view in a worker
thread (:func:`app.gui.tasks.run_task` without a dialog) and swaps them in. One read at a time per
layer: a view that changes during a read is read when it ends. Removing the layer stops the following.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer

SETTLE_MS = 150
"""ms the view must stay still before it is read: a wheel zoom sends several extents in a row; 150 ms
is below the ~200 ms at which a delay starts to be noticed (Nielsen, Usability Engineering, 1993: 0.1 s
feels instant, 1 s keeps the flow)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("OpenData", text)


def open_parquet(window, path: Path, unique_name):
    """Read ``path``'s metadata and overview in a worker thread, then add the layer (named by
    ``unique_name(workspace, name)``, open_data's) and follow the view. Returns the TaskHandle."""
    from app.gui.tasks import run_task
    from layers.parquet_source import ParquetLayer, ParquetSource

    def work(progress):
        progress.report(0.0, "reading GeoParquet")
        return ParquetLayer(path.stem, ParquetSource(path))

    handle = run_task(window, tr("Reading {0}").format(path.name), work,
                      lambda layer: add_layer(window, layer, unique_name))
    if hasattr(window, "track_task"):
        window.track_task(handle)
    return handle


def add_layer(window, layer, unique_name) -> None:
    """Add ``layer`` (a ParquetLayer) on top, styled as its name says, and make it follow the map."""
    from layers.presets import default_style, layer_title

    name = layer.name
    layer.name = unique_name(window.workspace, name)
    lang = getattr(window.workspace, "lang", "zh")
    layer.title = layer_title(name, lang) if layer.name == name else layer.name
    layer.style = default_style(name, layer.gdf)
    first = not window.workspace.tree.layers()
    window.workspace.add_layer(layer)
    if first and hasattr(window, "_set_crs_for_first_layer"):
        window._set_crs_for_first_layer(layer)
        QTimer.singleShot(0, lambda: window.canvas.zoom_to_layer(layer))
    layer.follower = ViewFollower(window, layer)
    shown = tr("Added {0} ({1:,} features; drawn by view)").format(layer.title, layer.source.rows)
    window.statusBar().showMessage(shown, 8000)


class ViewFollower:
    """Reads ``layer``'s rows for the canvas's extent after each settled pan or zoom."""

    def __init__(self, window, layer) -> None:
        self.window, self.layer = window, layer
        self.handle = None  # the read under way
        self.pending = False  # the view changed during it
        self.timer = QTimer(window)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.read)
        self.disconnect = None
        window.canvas.extent_changed.connect(self.on_extent)

    def on_extent(self, *_args) -> None:
        if not shiboken6.isValid(self.window) or not self.window.workspace.tree.contains(self.layer):
            self.stop()
            return
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        try:
            self.window.canvas.extent_changed.disconnect(self.on_extent)
        except (RuntimeError, TypeError):  # already disconnected
            pass

    def read(self):
        """Start reading the current view (or note it for after the read under way)."""
        from app.gui.tasks import run_task

        if self.handle is not None and self.handle.state == "running":
            self.pending = True
            return self.handle
        extent, crs = self.window.canvas.extent(), self.window.canvas.crs()
        if extent is None:
            return None
        layer = self.layer

        def done(win) -> None:
            if not shiboken6.isValid(self.window):  # the window closed while reading
                return
            if win is not None and self.window.workspace.tree.contains(layer):
                layer.show_window(win)
            if self.pending:
                self.pending = False
                self.timer.start()

        self.handle = run_task(self.window, tr("Reading {0}").format(layer.title),
                               lambda progress: layer.read_view(extent, crs, progress), done,
                               show_dialog=False)
        return self.handle


def adopt_result_sources(workspace, output) -> None:
    """After a run's layers were put on the map: a layer read by view that replaced an earlier run's
    (same name) kept the old layer object, which must now read the new run's files."""
    from layers.parquet_source import ParquetLayer

    for name, new in output.layers.items():
        old = workspace.layer(name)
        if isinstance(new, ParquetLayer) and isinstance(old, ParquetLayer) and old is not new:
            old.adopt(new)


def follow_parquet_layers(window) -> None:
    """Make every :class:`~layers.parquet_source.ParquetLayer` of the workspace that does not yet
    follow the map follow it (a result layer of a tiled rooftop run)."""
    from layers.parquet_source import ParquetLayer

    for layer in window.workspace.tree.layers():
        if isinstance(layer, ParquetLayer) and getattr(layer, "follower", None) is None:
            layer.follower = ViewFollower(window, layer)
            layer.follower.timer.start()  # read the current view now


def bind_workspace(window, ws) -> None:
    """After a project opens (or any workspace is shown): its GeoParquet layers follow the map, and
    those whose file was not found (or is no longer GeoParquet) are named in a warning in the UI
    language (``ws.missing_files``: app/project_parquet.py); the project opens without them."""
    from PySide6.QtWidgets import QMessageBox

    from app.gui.i18n import ui_lang

    follow_parquet_layers(window)
    missing = list(getattr(ws, "missing_files", None) or [])
    window.parquet_warning = None
    if not missing:
        return
    zh = ui_lang() == "zh"
    text = "\n".join(m.zh if zh else m.en for m in missing)
    box = QMessageBox(QMessageBox.Icon.Warning, tr("GeoParquet layers not found"), text,
                      QMessageBox.StandardButton.Ok, window)
    box.setInformativeText(tr("The project opened without them. Put the files back (or next to the "
                              "project) and open the project again."))
    box.finished.connect(box.deleteLater)
    window.parquet_warning = box
    box.open()  # not exec(): the window stays usable


GRID_LAYER = "pv_grid_1km"
"""The layer of a tiled rooftop run's 1 km grid summary (``summary_grid_1km.parquet`` in its folder)."""
GRID_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
"""Low → high kWp/km² (ColorBrewer YlOrRd, 5 classes): more potential is darker, unlike the five-colour
carbon map where red is bad."""


def grid_layer(path: Path, lang: str = "zh"):
    """The 1 km grid summary at ``path`` as a layer classed on kWp/km² by the run's own five density
    classes (their upper values as breaks: the cells are drawn in the class the run gave them)."""
    import geopandas as gpd
    import numpy as np

    from layers.layer import VectorLayer
    from layers.presets import default_style
    from layers.style import range_style

    gdf = gpd.read_parquet(path)
    title = "屋顶光伏潜力密度（1 km 网格）" if lang == "zh" else "Rooftop PV density (1 km grid)"
    layer = VectorLayer(GRID_LAYER, gdf, title=title)
    if "density_class" in gdf.columns and "kwp_per_km2" in gdf.columns:
        dens, cls = gdf["kwp_per_km2"].to_numpy(float), gdf["density_class"].to_numpy()
        tops = [dens[cls == k].max() for k in range(1, 5) if (cls == k).any()]
        breaks = sorted({float(b) for b in tops if np.isfinite(b)})
        layer.style = range_style(dens, "kwp_per_km2", breaks=breaks, colours=GRID_COLOURS[:len(breaks) + 1],
                                  unit="kWp/km²", title_zh="屋顶光伏潜力密度", title_en="Rooftop PV density")
    else:  # fewer than five cells: not classed
        layer.style = default_style(GRID_LAYER, gdf)
    layer.opacity = 0.8
    return layer


def add_grid_summary(window, output):
    """After a tiled rooftop run from the GUI: read its 1 km grid summary in a worker thread and put it
    in the results below the roofs (replacing the one of an earlier run). Returns the TaskHandle, or
    None when the output has no such file (a run in one process)."""
    from app.gui.tasks import run_task

    parts = next((getattr(getattr(ly, "source", None), "path", None) for ly in output.layers.values()
                  if getattr(getattr(ly, "source", None), "path", None) is not None), None)
    path = Path(parts).parent / "summary_grid_1km.parquet" if parts is not None else None
    if path is None or not path.is_file():
        return None
    ws = window.workspace
    lang = getattr(ws, "lang", "zh")

    def done(layer) -> None:
        if not shiboken6.isValid(window) or window.workspace is not ws:  # closed, or another project
            return
        added = ws.put_result_layer(GRID_LAYER, layer)
        roofs = ws.layer("rooftop_pv")
        group = ws.group("results")
        children = list(group.children) if group is not None else []
        if roofs is not None and roofs in children and children.index(added) > children.index(roofs):
            ws.tree.move(added, group, children.index(roofs))  # below the roofs

    handle = run_task(window, tr("Reading {0}").format(path.name), lambda progress: grid_layer(path, lang),
                      done, show_dialog=False)
    if hasattr(window, "track_task"):
        window.track_task(handle)
    return handle
