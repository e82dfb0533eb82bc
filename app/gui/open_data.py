"""Adding GIS files to the map: File → Add Data… and drag and drop onto the window.

Files are read by :func:`gis.io.read_vector` (the same readers as ``lingtan info``) in a worker
thread (:func:`app.gui.tasks.run_task`). Then:

* the reader's report (format, layer, encoding and where it came from, CRS and its source, web-map
  conversion, features, geometry types, fields, problems and repairs) is shown in a dialog, which
  also offers to read the file again with another CRS (e.g. the lon/lat came from Amap: GCJ-02);
* :class:`~gis.errors.CrsNeeded` (no CRS and projected coordinates) opens :class:`CrsDialog`
  (the reader's candidates first, then CGCS2000, WGS84, GCJ-02, BD-09, Gauss–Krüger zones, an
  EPSG code) and the file is read again with the choice;
* a file with several layers (GeoPackage, zip) asks which layers to add;
* the layer is added on top of the tree with :func:`layers.presets.default_style` (known names
  such as "buildings" get their preset style, others a style for their geometry type).

A dropped Lingtan project (``*.lingtan.gpkg``) is opened as a project instead.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.gui.i18n import pick

VECTOR_SUFFIXES = (".shp", ".zip", ".gpkg", ".geojson", ".json", ".kml", ".kmz", ".dxf", ".csv", ".txt",
                   ".tsv", ".xlsx", ".xlsm", ".xls", ".dbf", ".gml", ".fgb", ".tab", ".mif", ".sqlite")
PROJECT_SUFFIX = ".lingtan.gpkg"
OK_CANCEL = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel


def tr(text: str) -> str:
    return QCoreApplication.translate("OpenData", text)


def file_filter() -> str:
    return ";;".join([
        tr("GIS files") + " (*.shp *.zip *.gpkg *.geojson *.json *.kml *.kmz *.dxf *.csv *.xlsx *.xls)",
        tr("Shapefile") + " (*.shp *.zip)", tr("GeoPackage") + " (*.gpkg)",
        tr("GeoJSON") + " (*.geojson *.json)", tr("KML/KMZ") + " (*.kml *.kmz)",
        tr("CAD drawing") + " (*.dxf)",
        tr("Tables with coordinates or WKT") + " (*.csv *.txt *.xlsx *.xls)", tr("All files") + " (*)",
    ])


def is_project(path: Path) -> bool:
    return str(path).lower().endswith(PROJECT_SUFFIX)


def droppable(path: Path) -> bool:
    """Can a dropped file be added (a GIS file, a project, or a folder-less file GDAL may read)?"""
    p = Path(path)
    return p.is_file() and (is_project(p) or p.suffix.lower() in VECTOR_SUFFIXES)


# ---- CRS choice ---------------------------------------------------------------------------------

class CrsDialog(QDialog):
    """Ask for the CRS of data that have none (or to read a file again with another one).

    ``choice()`` returns a string for ``read_vector(crs=…)`` (``gis.crs.parse_crs`` syntax).
    """

    def __init__(self, parent: QWidget | None = None, message: str = "",
                 candidates: list[tuple[str, str]] | None = None, path: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Coordinate system"))
        self.setMinimumWidth(520)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kind = QComboBox()
        for code, why in candidates or []:
            self.kind.addItem(tr("Suggested: {0} ({1})").format(code, why), ("code", code))
        self.kind.addItem(tr("CGCS2000 longitude/latitude (EPSG:4490)"), ("code", "cgcs2000"))
        self.kind.addItem(tr("WGS84 longitude/latitude, GPS (EPSG:4326)"), ("code", "wgs84"))
        self.kind.addItem(tr("GCJ-02 longitude/latitude: Amap (高德) / Tencent (腾讯) maps"),
                          ("code", "gcj02"))
        self.kind.addItem(tr("BD-09 longitude/latitude: Baidu (百度) maps"), ("code", "bd09"))
        self.kind.addItem(tr("Gauss–Krüger zone (CGCS2000, Xi'an 1980, Beijing 1954)…"), ("gk", None))
        self.kind.addItem(tr("EPSG code or other CRS…"), ("epsg", None))
        self.stack = QStackedWidget()
        self.stack.addWidget(QWidget())
        gk = QWidget()
        form = QFormLayout(gk)
        form.setContentsMargins(0, 0, 0, 0)
        self.datum = QComboBox()
        self.datum.addItem(tr("CGCS2000 (China Geodetic 2000)"), "cgcs2000")
        self.datum.addItem(tr("Xi'an 1980"), "xian1980")
        self.datum.addItem(tr("Beijing 1954"), "beijing1954")
        self.width = QComboBox()
        self.width.addItem(tr("3° zones"), 3)
        self.width.addItem(tr("6° zones"), 6)
        self.zone_kind = QComboBox()
        self.zone_kind.addItem(tr("Easting starts with the zone number"), "zone")
        self.zone_kind.addItem(tr("Easting without zone number (give the central meridian)"), "cm")
        self.zone = QSpinBox()
        self.zone.setRange(13, 45)
        self.zone.setValue(40)
        self.cm = QSpinBox()
        self.cm.setRange(75, 135)
        self.cm.setSingleStep(3)
        self.cm.setValue(120)
        self.cm.setSuffix("°E")
        form.addRow(tr("Datum"), self.datum)
        form.addRow(tr("Zone width"), self.width)
        form.addRow(tr("Coordinates"), self.zone_kind)
        form.addRow(tr("Zone number"), self.zone)
        form.addRow(tr("Central meridian"), self.cm)
        self.stack.addWidget(gk)
        self.epsg = QLineEdit()
        self.epsg.setPlaceholderText("EPSG:4549")
        self.stack.addWidget(self.epsg)
        self.error = QLabel()
        self.error.setStyleSheet("color: #a1160e;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(OK_CANCEL)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        if path:
            name = QLabel(Path(path).name)
            name.setStyleSheet("font-weight: bold;")
            lay.addWidget(name)
        lay.addWidget(self.message)
        lay.addWidget(QLabel(tr("The data's coordinate system:")))
        lay.addWidget(self.kind)
        lay.addWidget(self.stack)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.zone_kind.currentIndexChanged.connect(self._on_kind)
        self.width.currentIndexChanged.connect(self._on_width)
        self._on_width()
        self._on_kind()

    def _on_kind(self) -> None:
        kind = self.kind.currentData()[0]
        self.stack.setCurrentIndex({"code": 0, "gk": 1, "epsg": 2}[kind])
        by_zone = self.zone_kind.currentData() == "zone"
        self.zone.setEnabled(by_zone)
        self.cm.setEnabled(not by_zone)
        self.error.clear()

    def _on_width(self) -> None:
        if self.width.currentData() == 3:
            self.zone.setRange(25, 45)
            self.cm.setRange(75, 135)
            self.cm.setSingleStep(3)
        else:
            self.zone.setRange(13, 23)
            self.cm.setRange(75, 135)
            self.cm.setSingleStep(6)

    def choice(self) -> str:
        kind, code = self.kind.currentData()
        if kind == "code":
            return code
        if kind == "epsg":
            return self.epsg.text().strip()
        w = self.width.currentData()
        if self.zone_kind.currentData() == "zone":
            return f"{self.datum.currentData()}-gk{w}-{self.zone.value()}"
        return f"{self.datum.currentData()}-gk{w}-cm{self.cm.value()}"

    def select_code(self, code: str) -> None:
        """Pre-select a named choice ("gcj02", "EPSG:4549" …) or type it as an EPSG code."""
        for i in range(self.kind.count()):
            kind, c = self.kind.itemData(i)
            if kind == "code" and c == code:
                self.kind.setCurrentIndex(i)
                return
        self.kind.setCurrentIndex(self.kind.count() - 1)
        self.epsg.setText(code)

    def accept(self) -> None:
        from gis.crs import parse_crs
        from gis.errors import InputError

        text = self.choice()
        if not text:
            self.error.setText(tr("Enter a coordinate system."))
            return
        try:
            parse_crs(text)
        except InputError as exc:
            self.error.setText(pick(exc.zh, exc.en))
            return
        super().accept()


# ---- layer choice -------------------------------------------------------------------------------

class LayerChoiceDialog(QDialog):
    """Pick one or more layers of a multi-layer file (all ticked by default)."""

    def __init__(self, parent: QWidget | None, path: Path, names: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Choose layers"))
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for n in names:
            it = QListWidgetItem(n)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(it)
        buttons = QDialogButtonBox(OK_CANCEL)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("{0} holds several layers. Add:").format(path.name)))
        lay.addWidget(self.list)
        lay.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


def layer_names(path: Path, code: str) -> list[str]:
    """The layers (GeoPackage …) or data files (zip) a reader asked to choose from."""
    if code == "zip.choose":
        from gis.io.read import TABLE_SUFFIXES

        data = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".kmz", ".dxf", *TABLE_SUFFIXES)
        from gis.io.archive import _member_name  # GBK member names from Chinese zip tools

        with zipfile.ZipFile(path) as z:
            members = [Path(_member_name(i)) for i in z.infolist()]
        names = [m.stem for m in members if m.suffix.lower() in data]
        shp = [m.stem for m in members if m.suffix.lower() == ".shp"]
        return shp or names
    from gis.io.ogr import list_vector_layers

    return list_vector_layers(path)


# ---- the report ---------------------------------------------------------------------------------

def _crs_source_text(key: str | None) -> str:
    texts = {"file": tr("from the file"), "user": tr("chosen by you"),
             "inferred-lonlat": tr("assumed from the lon/lat range"), "none": tr("unknown")}
    return texts.get(key or "none", key or "")


def _encoding_source_text(key: str | None) -> str:
    texts = {"cpg": tr(".cpg file"), "ldid": tr("DBF language byte"),
             "detected": tr("detected from the text"), "user": tr("chosen by you"),
             "format": tr("fixed by the format")}
    return texts.get(key or "", key or "")


def report_html(report, layer_title: str = "") -> str:
    """The read report as HTML in the UI language."""
    from html import escape

    d = report.to_dict()
    rows = [(tr("File"), d["path"]), (tr("Format"), d["format"] or "?")]
    if d["layer"]:
        rows.append((tr("Layer"), d["layer"]))
    if d["encoding"]:
        enc = d["encoding"] + f" ({_encoding_source_text(d['encoding_source'])}"
        enc += f": {d['encoding_detail']})" if d.get("encoding_detail") else ")"
        rows.append((tr("Text encoding"), enc))
    rows.append((tr("Coordinate system"), f"{d['crs']} ({_crs_source_text(d['crs_source'])})"))
    if d.get("webmap"):
        rows.append((tr("Web-map offset"),
                     tr("{0} coordinates converted to WGS84").format(d["webmap"].upper())))
    rows.append((tr("Features"), f"{d['feature_count']:,}"))
    if d["geometry_types"]:
        rows.append((tr("Geometry"), ", ".join(f"{k} × {v:,}" for k, v in d["geometry_types"].items())))
    if d["fields"]:
        rows.append((tr("Fields"), ", ".join(d["fields"])))
    html = [f"<h3>{escape(layer_title)}</h3>" if layer_title else "",
            "<table cellspacing='0' cellpadding='3'>"]
    for k, v in rows:
        html.append(f"<tr><td style='color:#555'>{escape(k)}</td><td>{escape(str(v))}</td></tr>")
    html.append("</table>")
    problems = report.problems
    if problems:
        heading = tr("Problems and repairs")
        html.append(f"<h4>{escape(heading)} ({len(problems)})</h4><ul>")
        colours = {"error": "#a1160e", "warning": "#9a5b00", "info": "#37474f"}
        marks = {"error": "✗", "warning": "!", "info": "·"}
        for p in problems:
            html.append(f"<li style='color:{colours[p.level]}'>{marks[p.level]} "
                        f"{escape(p.text(pick('zh', 'en')))}</li>")
        html.append("</ul>")
    else:
        none = tr("No problems found.")
        html.append(f"<p style='color:#0b6b2f'>{escape(none)}</p>")
    return "".join(html)


class ReportDialog(QDialog):
    """What the reader found; "Read again with another CRS…" for a wrong or web-map CRS."""

    def __init__(self, parent: QWidget | None, report, layer_title: str = "", on_reread=None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(tr("Data added: {0}").format(layer_title or Path(report.path).name))
        self.setMinimumSize(560, 380)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(report_html(report, layer_title))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        self.reread = None
        if on_reread is not None:
            self.reread = QPushButton(tr("Read again with another CRS…"))
            self.reread.setToolTip(tr("For example longitude/latitude copied from Amap or Baidu "
                                      "(GCJ-02 / BD-09)"))
            buttons.addButton(self.reread, QDialogButtonBox.ButtonRole.ActionRole)
            self.reread.clicked.connect(lambda: (self.accept(), on_reread()))
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addWidget(buttons)


# ---- reading ------------------------------------------------------------------------------------

def unique_name(workspace, name: str) -> str:
    taken = {ly.name for ly in workspace.tree.layers()}
    if name not in taken:
        return name
    i = 2
    while f"{name}_{i}" in taken:
        i += 1
    return f"{name}_{i}"


def make_layer(workspace, name: str, gdf):
    """A styled VectorLayer for data read from a file (preset style for known names)."""
    from layers.layer import VectorLayer
    from layers.presets import default_style, layer_title, prepare

    key = unique_name(workspace, name)
    data = prepare(name, gdf)
    title = layer_title(name, getattr(workspace, "lang", "zh")) if key == name else key
    return VectorLayer(key, data, default_style(name, data), title=title)


def add_data_dialog(window) -> None:
    """File → Add Data…: choose files and add them."""
    from app.gui.settings import app_qsettings

    store = app_qsettings()
    start = str(store.value("paths/add_data", "") or "")
    paths, _ = QFileDialog.getOpenFileNames(window, tr("Add data"), start, file_filter())
    if paths:
        store.setValue("paths/add_data", str(Path(paths[0]).parent))
        open_files(window, [Path(p) for p in paths])


def open_files(window, paths: list[Path], crs: str | None = None, layer: str | None = None,
               replace=None, show_report: bool = True) -> list:
    """Read ``paths`` in worker threads and add them to ``window.workspace``.

    crs/layer: passed to read_vector; replace: a layer whose data the (single) file replaces
    (re-reading with another CRS). Returns the TaskHandles (tests wait on them).
    """
    handles = []
    for path in paths:
        path = Path(path)
        if is_project(path):
            window.open_project(path)
            continue
        handles.append(_read_one(window, path, crs, layer, replace, show_report))
    return handles


def _read_one(window, path: Path, crs, layer, replace, show_report: bool):
    from app.gui.tasks import run_task, show_error
    from gis.errors import CrsNeeded, InputError
    from gis.io import read_vector

    def work(progress):
        return read_vector(path, crs=crs, layer=layer, progress=progress)

    def done(result):
        name = layer or path.stem
        if path.suffix.lower() == ".shp" or not name:
            name = path.stem
        window.add_read_result(path, name, result, crs=crs, layer=layer, replace=replace,
                               show_report=show_report)

    handle = None

    def failed(exc):
        if isinstance(exc, CrsNeeded):
            text = pick(exc.zh, exc.en)
            dlg = CrsDialog(window, text, exc.candidates, str(path))
            window.last_dialog = dlg
            dlg.accepted.connect(lambda: open_files(window, [path], crs=dlg.choice(), layer=layer,
                                                    replace=replace, show_report=show_report))
            dlg.open()
            return
        if isinstance(exc, InputError) and exc.code in ("file.choose_layer", "zip.choose") and layer is None:
            try:
                names = layer_names(path, exc.code)
            except Exception:
                names = []
            if names:
                dlg = LayerChoiceDialog(window, path, names)
                window.last_dialog = dlg
                dlg.accepted.connect(lambda: [open_files(window, [path], crs=crs, layer=n,
                                                         show_report=show_report) for n in dlg.chosen()])
                dlg.open()
                return
        window.last_error = show_error(window, exc, log_path=handle.log_path if handle else None,
                                       tb=handle.traceback if handle else "", title=tr("Add data"))

    handle = run_task(window, tr("Reading {0}").format(path.name), work, done, failed, show_errors=False)
    if hasattr(window, "track_task"):
        window.track_task(handle)
    return handle
