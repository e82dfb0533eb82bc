"""File → Export and File → Report of the main window: each export runs in a background task
(:mod:`app.gui.tasks`, shown in the status bar) and says where it wrote its files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from app.gui.i18n import ui_lang
from app.summaries import ParkSummary

if TYPE_CHECKING:
    from app.gui.main_window import MainWindow

IMAGE_SIZE_PX = (2400, 1600)
IMAGE_DPI = 200
"""File → Export → Map Image: 2400 × 1600 px at 200 dpi (12 × 8 in, an A4 landscape figure)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


EXPORT_FOLDER_KEY = "paths/export"


def export_start_folder(project: Path | None) -> Path:
    """Where an export dialog starts: the folder last exported to, else the open project's folder,
    else the user's Documents (never the program's working folder)."""
    from app.gui.settings import app_qsettings

    last = str(app_qsettings().value(EXPORT_FOLDER_KEY, "") or "")
    if last and Path(last).is_dir():
        return Path(last)
    if project is not None and Path(project).parent.is_dir():
        return Path(project).parent
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def remember_export_folder(path: str | Path) -> None:
    from app.gui.settings import app_qsettings

    app_qsettings().setValue(EXPORT_FOLDER_KEY, str(path))


class WindowExports:
    """The export commands of :class:`app.gui.main_window.MainWindow` (a mixin). Each takes its
    destination as arguments (scripts, tests) or asks for it; returns the task handle, or None
    when there is nothing to export or the user cancelled."""

    def _message(self: MainWindow, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    def _vector_layers(self: MainWindow, visible_only: bool = True) -> list:
        tree = self.workspace.tree
        layers = tree.visible_layers() if visible_only else tree.layers()
        return [ly for ly in layers if hasattr(ly, "gdf")]

    def _need_layers(self: MainWindow) -> bool:
        if self._vector_layers(False):
            return True
        QMessageBox.information(self, tr("Nothing to export"), tr("Open a park or add data first."))
        return False

    def _ask_file(self: MainWindow, title: str, name: str, file_filter: str) -> str:
        """A save-file dialog starting in :func:`export_start_folder`; remembers the folder."""
        start = export_start_folder(self.workspace.path) / name
        path, _ = QFileDialog.getSaveFileName(self, title, str(start), file_filter)
        if path:
            remember_export_folder(Path(path).parent)
        return path

    def _run(self: MainWindow, title: str, fn, done_text: str):
        from app.gui.tasks import run_task

        handle = run_task(self, title, fn, lambda _r: self._message(done_text))
        self.track_task(handle)
        return handle

    def export_report(self: MainWindow, name: str | None = None, organisation: str | None = None):
        """The PDF planning report (app.report) in the UI language; ``organisation`` (编制单位 on the
        cover) is asked for with the file, remembered from the last report; a call naming the file
        takes the remembered one."""
        from PySide6.QtWidgets import QInputDialog

        from app.gui.settings import AppSettings
        from app.report import build_report

        if not self.workspace.summary:
            QMessageBox.information(self, tr("Report"), tr("Run the analyses first."))
            return None
        interactive = name is None
        if name is None:
            name = self._ask_file(tr("Report (PDF)"), tr("report") + ".pdf", "PDF (*.pdf)")
            if not name:
                return None
        ws = self.workspace
        if ws.results is not None:
            source = ws.results
        else:  # the saved summary and the vector layers (raster layers are not in the report)
            data = dict(ws.park.layers()) if ws.park is not None else {}
            data.update({ly.name: ly.gdf for ly in self._vector_layers(False)})
            source = (ws.summary, data)
        settings = AppSettings()
        if organisation is None and not interactive:
            organisation = settings.organisation
        if organisation is None:
            organisation, ok = QInputDialog.getText(
                self, tr("Report (PDF)"), tr("Preparing organisation on the cover (may be left empty):"),
                text=settings.organisation)
            if not ok:
                return None
        settings.organisation = organisation
        org = settings.organisation
        lang = ui_lang()
        return self._run(tr("Writing the report"),
                         lambda p: build_report(source, name, lang, p, organisation=org),
                         tr("Report written: {0}").format(name))

    def export_layers(self: MainWindow, folder: str | None = None, fmt: str | None = None,
                      encoding: str | None = None, visible_only: bool | None = None):
        """The layers of the map into a folder as Shapefiles, one GeoPackage, GeoJSON or CSV files."""
        from app.exports import write_csv, write_geojson, write_geopackage, write_shapefiles
        from app.exports.shapefile import staged_shapefiles

        if not self._need_layers():
            return None
        if folder is None:
            dlg = ExportLayersDialog(self, export_start_folder(self.workspace.path))
            if dlg.exec() != ExportLayersDialog.DialogCode.Accepted:
                return None
            folder, fmt, encoding, visible_only = dlg.values()
        layers = self._vector_layers(bool(visible_only))
        out = Path(folder)
        data = {ly.name: ly.gdf for ly in layers}
        styles = {ly.name: ly.style for ly in layers}
        lang = ui_lang()

        def work(progress):
            out.mkdir(parents=True, exist_ok=True)
            if fmt == "gpkg":
                return write_geopackage(out / "layers.gpkg", data, styles)
            if fmt == "shp":  # all layers or none (a value GBK cannot hold leaves no others behind)
                with staged_shapefiles(out) as stage:
                    for i, (name, gdf) in enumerate(data.items()):
                        progress.report(i / max(len(data), 1), name)
                        write_shapefiles(gdf, stage / f"{name}.shp", encoding or "utf-8", layer=name)
                return out
            for i, (name, gdf) in enumerate(data.items()):
                progress.report(i / max(len(data), 1), name)
                if fmt == "geojson":
                    write_geojson(gdf, out / f"{name}.geojson")
                else:
                    write_csv(gdf, out / f"{name}.csv", layer=name, lang=lang)
            return out

        return self._run(tr("Exporting layers"), work, tr("Exported to {0}").format(out))

    def export_map_image(self: MainWindow, path: str | None = None):
        """The visible layers as a PNG map with title, legend, north arrow and scale bar."""
        from app.exports import export_png

        if not self._need_layers():
            return None
        if path is None:
            path = self._ask_file(tr("Map image"), "map.png", "PNG (*.png)")
            if not path:
                return None
        layers = self._vector_layers(True)
        site = ParkSummary.from_dict(self.workspace.summary).facts.park
        title = (site.name if site is not None else None) or self.workspace.title or None
        extent = self.canvas.extent()
        crs = self.canvas.crs()
        lang = ui_lang()

        def work(progress):
            ext = extent
            if ext is not None and layers and crs is not None and layers[0].crs is not None \
                    and layers[0].crs != crs:
                ext = None  # the image takes the first layer's CRS: fit the layers instead
            return export_png(layers, path, *IMAGE_SIZE_PX, IMAGE_DPI, title, lang, extent=ext,
                              progress=progress)

        return self._run(tr("Map image"), work, tr("Map image written: {0}").format(path))

    def export_web_map(self: MainWindow, path: str | None = None):
        """The visible layers as an interactive HTML map that works offline (no basemap)."""
        from app.exports import write_web_map

        if not self._need_layers():
            return None
        if path is None:
            path = self._ask_file(tr("Web map"), "map.html", "HTML (*.html)")
            if not path:
                return None
        layers = self._vector_layers(True)
        fit = "boundary" if any(ly.name == "boundary" for ly in layers) else None
        lang = ui_lang()
        return self._run(tr("Web map"), lambda _p: write_web_map(layers, path, None, lang, fit=fit),
                         tr("Web map written: {0}").format(path))

    def export_all(self: MainWindow, folder: str | None = None):
        """Every export of the analysed park (lingtan export) into a folder."""
        from app.exports import export_all
        from app.exports.export_all import saved_results

        results = self.workspace.results
        if results is None:  # a reopened project: its saved summary and layers, as lingtan export
            results = saved_results(self.workspace)
        if results is None:
            QMessageBox.information(self, tr("Export"), tr("Run the analyses first."))
            return None
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, tr("Export all results to folder"),
                                                      str(export_start_folder(self.workspace.path)))
            if not folder:
                return None
            remember_export_folder(folder)
        lang = ui_lang()
        return self._run(tr("Exporting results"),
                         lambda p: export_all(results, Path(folder), None, progress=p, lang=lang),
                         tr("Exported to {0}").format(folder))


class ExportLayersDialog(QDialog):
    """Folder, format (Shapefile, GeoPackage, GeoJSON, CSV), Shapefile encoding, visible only."""

    def __init__(self, parent=None, folder: Path | None = None) -> None:
        super().__init__(parent)
        from app.gui.settings import app_qsettings

        self._store = app_qsettings()
        self.setWindowTitle(self.tr("Export layers"))
        self.folder = QLineEdit(str(folder or export_start_folder(None)))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.format = QComboBox()
        self.format.addItem(self.tr("Shapefile (one per layer)"), "shp")
        self.format.addItem(self.tr("GeoPackage (all layers in one file, with QGIS styles)"), "gpkg")
        self.format.addItem(self.tr("GeoJSON (WGS84 longitude/latitude)"), "geojson")
        self.format.addItem(self.tr("CSV (attributes with centroid longitude/latitude)"), "csv")
        self.encoding = QComboBox()
        self.encoding.addItem(self.tr("UTF-8 (QGIS, ArcGIS Pro)"), "utf-8")
        self.encoding.addItem(self.tr("GBK (older ArcGIS / ArcMap on Chinese Windows)"), "gbk")
        self.visible_only = QCheckBox(self.tr("Visible layers only"))
        self.visible_only.setChecked(True)
        form = QFormLayout()
        form.addRow(self.tr("Folder"), row)
        form.addRow(self.tr("Format"), self.format)
        form.addRow(self.tr("Shapefile text encoding"), self.encoding)
        form.addRow("", self.visible_only)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(buttons)
        self.format.currentIndexChanged.connect(
            lambda _i: self.encoding.setEnabled(self.format.currentData() == "shp"))
        self._select(self.format, self._store.value("export/format", "shp"))
        self._select(self.encoding, self._store.value("export/encoding", "utf-8"))
        self.visible_only.setChecked(str(self._store.value("export/visible_only", "true")) == "true")

    @staticmethod
    def _select(combo: QComboBox, data) -> None:
        i = combo.findData(data)
        if i >= 0:
            combo.setCurrentIndex(i)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Export layers to folder"),
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)

    def values(self) -> tuple[str, str, str, bool]:
        """(folder, format, Shapefile encoding, visible only), remembered for the next export."""
        remember_export_folder(self.folder.text())
        self._store.setValue("export/format", self.format.currentData())
        self._store.setValue("export/encoding", self.encoding.currentData())
        self._store.setValue("export/visible_only", "true" if self.visible_only.isChecked() else "false")
        return (self.folder.text(), self.format.currentData(), self.encoding.currentData(),
                self.visible_only.isChecked())
