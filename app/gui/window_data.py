"""Data into the main window: File → Add Data…, files dropped on the window, and the layers the
readers of :mod:`app.gui.open_data` hand back (with their read report and "read again with
another CRS"). The first layer on an empty map sets the map CRS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class WindowData:
    """Data ingestion of :class:`app.gui.main_window.MainWindow` (a mixin)."""

    def add_data(self: MainWindow) -> None:
        from app.gui.open_data import add_data_dialog

        add_data_dialog(self)

    def add_read_result(self: MainWindow, path: Path, name: str, result, *, crs=None, layer=None,
                        replace=None, show_report: bool = True, encoding: str | None = None):
        """Add (or replace the data of) a layer read from ``path``; show the reader's report."""
        from app.gui.open_data import ReportDialog, make_layer

        first = not self.workspace.tree.layers()
        if replace is not None and self.workspace.tree.contains(replace):
            from layers.presets import prepare

            replace.selection = []
            replace.gdf = prepare(replace.name, result.gdf)
            new = replace
        else:
            new = make_layer(self.workspace, name, result.gdf)
            self.workspace.add_layer(new)
        if first:
            self._set_crs_for_first_layer(new)
            QTimer.singleShot(0, lambda: self.canvas.zoom_to_layer(new))
        if show_report:
            dlg = ReportDialog(self, result.report, new.title,
                               on_reread=lambda: self._reread(path, new, layer, encoding),
                               on_reread_encoding=lambda: self._reread_encoding(path, new, layer, crs))
            self.last_report_dialog = dlg
            dlg.open()
        self.statusBar().showMessage(tr("Added {0} ({1:,} features)").format(new.title, len(new.gdf)), 8000)
        return new

    def add_raster_result(self: MainWindow, path: Path, read, *, replace=None, show_report: bool = True):
        """Add the raster layer of :func:`app.gui.open_data.read_raster` (or put its grid into the
        layer it re-reads with another CRS); show the report."""
        from app.gui.open_data import ReportDialog

        first = not self.workspace.tree.layers()
        new = read.layer
        if replace is not None and self.workspace.tree.contains(replace):
            replace.set_data(new.array, new.transform, new.crs, new.nodata)
            new = replace
        else:
            self.workspace.add_layer(new)
        if first:
            self._set_crs_for_first_layer(new)
            QTimer.singleShot(0, lambda: self.canvas.zoom_to_layer(new))
        if show_report:
            dlg = ReportDialog(self, read, new.title, on_reread=lambda: self._reread(path, new, None))
            self.last_report_dialog = dlg
            dlg.open()
        rows, cols = new.shape
        text = tr("Added {0} ({1:,} × {2:,} cells)").format(new.title, cols, rows)
        self.statusBar().showMessage(text, 8000)
        return new

    def _reread(self: MainWindow, path: Path, layer, layer_name, encoding: str | None = None) -> None:
        from app.gui.open_data import CrsDialog, open_files

        dlg = CrsDialog(self, tr("Read the file again with this coordinate system:"), None, str(path))
        self.last_dialog = dlg
        dlg.accepted.connect(lambda: open_files(self, [path], crs=dlg.choice(), layer=layer_name,
                                                replace=layer, encoding=encoding))
        dlg.open()

    def _reread_encoding(self: MainWindow, path: Path, layer, layer_name, crs=None) -> None:
        """Ask for a text encoding and read the file again into the same layer."""
        from PySide6.QtWidgets import QInputDialog

        from app.gui.open_data import TEXT_ENCODINGS, open_files

        dlg = QInputDialog(self)
        dlg.setWindowTitle(tr("Text encoding"))
        dlg.setLabelText(tr("Read the attribute text again as:"))
        dlg.setComboBoxItems([label for _code, label in TEXT_ENCODINGS])
        dlg.setComboBoxEditable(False)
        self.last_dialog = dlg

        def chosen(label: str) -> None:
            code = dict((lb, c) for c, lb in TEXT_ENCODINGS)[label]
            open_files(self, [path], crs=crs, layer=layer_name, replace=layer, encoding=code)

        dlg.textValueSelected.connect(chosen)
        dlg.open()

    def _set_crs_for_first_layer(self: MainWindow, layer) -> None:
        """Lon/lat data alone on the map: draw it in the local metric CRS (true shapes, metres)."""
        crs = layer.crs
        if crs is None:
            return
        try:
            from pyproj import CRS

            c = CRS.from_user_input(crs)
            if c.is_geographic:
                from gis.crs import local_metric_crs

                b = layer.bounds()
                if b is not None:
                    self.canvas.set_crs(local_metric_crs((b[0] + b[2]) / 2, (b[1] + b[3]) / 2))
                    return
            self.canvas.set_crs(c)
        except Exception:  # an unusable CRS: the map keeps its own
            pass

    # -- drag and drop -------------------------------------------------------------------------------
    def dragEnterEvent(self: MainWindow, event) -> None:
        from app.gui.open_data import droppable

        md = event.mimeData()
        if md.hasUrls() and any(u.isLocalFile() and droppable(Path(u.toLocalFile())) for u in md.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self: MainWindow, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self: MainWindow, event) -> None:
        from app.gui.open_data import droppable, open_files

        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        paths = [p for p in paths if droppable(p)]
        if paths:
            event.acceptProposedAction()
            open_files(self, paths)
