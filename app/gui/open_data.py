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

Rasters (GeoTIFF, ERDAS IMG, ESRI ASCII grid) are read with rasterio (:func:`read_raster`): one
band becomes a :class:`~layers.raster.RasterLayer` coloured by a sensible colormap (the file's
palette, distinct colours for a few integer classes, else viridis stretched over the 2nd–98th
percentiles) with the file's nodata; three or four bands of bytes are drawn as an RGB(A) image. The
report gives size, CRS, resolution, nodata and per-band statistics; a raster without a CRS opens
the same CRS dialog.

A dropped Lingtan project (``*.lingtan.gpkg``) is opened as a project instead.
"""

from __future__ import annotations

import glob
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
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
                   ".tsv", ".xlsx", ".xlsm", ".xls", ".dbf", ".gml", ".fgb", ".tab", ".mif", ".sqlite",
                   ".parquet", ".geoparquet")
RASTER_SUFFIXES = (".tif", ".tiff", ".img", ".asc")
PROJECT_SUFFIX = ".lingtan.gpkg"
MAX_RASTER_CELLS = 40_000_000
"""Rasters with more cells are read decimated (nearest) to about this many: 40 M float32 cells are
160 MB, a few seconds to colour; the report says so."""
CLASS_PALETTE = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666",
                 "#a6cee3", "#fb9a99", "#b2df8a", "#cab2d6")
"""Distinct colours for integer class rasters: ColorBrewer Dark2 (8) then Paired's light tones
(Brewer, colorbrewer2.org, Apache-2.0 licence)."""
MAX_CLASSES = len(CLASS_PALETTE)
OK_CANCEL = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel


def tr(text: str) -> str:
    return QCoreApplication.translate("OpenData", text)


def file_filter() -> str:
    return ";;".join([
        tr("GIS files") + " (*.shp *.zip *.gpkg *.geojson *.json *.kml *.kmz *.dxf *.csv *.xlsx *.xls "
                          "*.dbf *.tif *.tiff *.img *.asc)",
        tr("Shapefile") + " (*.shp *.zip)", tr("GeoPackage") + " (*.gpkg)",
        tr("GeoJSON") + " (*.geojson *.json)", tr("KML/KMZ") + " (*.kml *.kmz)",
        tr("CAD drawing") + " (*.dxf)",
        tr("Tables with coordinates or WKT") + " (*.csv *.txt *.xlsx *.xls)",
        tr("Attribute tables (dBase, also without .shp)") + " (*.dbf)",
        tr("Rasters (GeoTIFF, IMG, ASCII grid)") + " (*.tif *.tiff *.img *.asc)", tr("All files") + " (*)",
    ])


def is_project(path: Path) -> bool:
    """A Lingtan project (by name, or a GeoPackage holding the project table)."""
    from app.project_file import is_project_file

    return str(path).lower().endswith(PROJECT_SUFFIX) or is_project_file(path)


def is_table_only(path: Path) -> bool:
    """A dBase table without the .shp of its Shapefile: read as attributes only."""
    p = Path(path)
    return p.suffix.lower() == ".dbf" and not any(
        c.suffix.lower() == ".shp" for c in p.parent.glob(glob.escape(p.stem) + ".*"))


def is_raster(path: Path) -> bool:
    return Path(path).suffix.lower() in RASTER_SUFFIXES


def droppable(path: Path) -> bool:
    """Can a dropped file be added (a GIS file, a raster or a project)?"""
    p = Path(path)
    return p.is_file() and (is_project(p) or p.suffix.lower() in VECTOR_SUFFIXES or is_raster(p))


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

    from gis.crs import crs_name_in

    d = report.to_dict()
    rows = [(tr("File"), d["path"]), (tr("Format"), d["format"] or "?")]
    if d["layer"]:
        rows.append((tr("Layer"), d["layer"]))
    if d["encoding"]:
        detail = pick(d.get("encoding_detail_zh") or "", d.get("encoding_detail") or "")
        enc = d["encoding"] + pick(f"（{_encoding_source_text(d['encoding_source'])}",
                                   f" ({_encoding_source_text(d['encoding_source'])}")
        enc += (pick(f"：{detail}）", f": {detail})") if detail else pick("）", ")"))
        rows.append((tr("Text encoding"), enc))
    crs_from = _crs_source_text(d["crs_source"])
    rows.append((tr("Coordinate system"), crs_name_in(d["crs"], pick("zh", "en"))
                 + pick(f"（{crs_from}）", f" ({crs_from})")))
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
        html.append(f"<h4>{escape(heading)}{pick(f'（{len(problems)}）', f' ({len(problems)})')}</h4>")
        colours = {"error": "#a1160e", "warning": "#9a5b00", "info": "#37474f"}
        # one mark per problem, its level's: a list's own bullet before it doubled it ("• ·")
        marks = {"error": "✗", "warning": "!", "info": "•"}
        html.append("<table cellspacing='0' cellpadding='2'>")
        for p in problems:
            html.append(f"<tr style='color:{colours[p.level]}'><td valign='top'>{marks[p.level]}</td>"
                        f"<td>{escape(for_desktop(p.text(pick('zh', 'en'))))}</td></tr>")
        html.append("</table>")
    else:
        none = tr("No problems found.")
        html.append(f"<p style='color:#0b6b2f'>{escape(none)}</p>")
    return "".join(html)


TEXT_ENCODINGS = (("gb18030", "GBK / GB18030"), ("utf-8", "UTF-8"), ("big5", "Big5"),
                  ("cp1252", "Latin-1 (Windows-1252)"))
"""The encodings offered for re-reading attribute text: Chinese GIS data is GBK or UTF-8, Taiwan's
and Hong Kong's Big5, European data Windows-1252."""


def reread_crs_label() -> str:
    return tr("Read again with another CRS…")


def reread_encoding_label() -> str:
    return tr("Read again with another text encoding…")


def for_desktop(text: str) -> str:
    """A reader's message with the command line's options (``--crs gcj02``, ``--encoding``) named
    as the report window's buttons that do the same."""
    crs, enc = f"“{reread_crs_label()}”", f"“{reread_encoding_label()}”"
    offsets = {"gcj02": "GCJ-02", "bd09": "BD-09"}
    text = re.sub(r"--crs (gcj02|bd09)", lambda m: f"{crs} → {offsets[m.group(1)]}", text)
    return text.replace("--crs", crs).replace("--encoding", enc)


class ReportDialog(QDialog):
    """What the reader found; "Read again with another CRS…" for a wrong or web-map CRS and
    "…another text encoding…" for garbled attribute text."""

    def __init__(self, parent: QWidget | None, report, layer_title: str = "", on_reread=None,
                 on_reread_encoding=None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(tr("Data added: {0}").format(layer_title or Path(report.path).name))
        self.setMinimumSize(560, 380)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        html = raster_report_html if isinstance(report, RasterRead) else report_html
        self.text.setHtml(html(report, layer_title))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        self.reread = None
        if on_reread is not None:
            self.reread = QPushButton(reread_crs_label())
            self.reread.setToolTip(tr("For example longitude/latitude copied from Amap or Baidu "
                                      "(GCJ-02 / BD-09)"))
            buttons.addButton(self.reread, QDialogButtonBox.ButtonRole.ActionRole)
            self.reread.clicked.connect(lambda: (self.accept(), on_reread()))
        self.reread_encoding = None
        # not for GeoJSON, GeoPackage …: their format fixes the encoding
        if on_reread_encoding is not None and getattr(report, "encoding", None) \
                and getattr(report, "encoding_source", None) != "format":
            self.reread_encoding = QPushButton(reread_encoding_label())
            self.reread_encoding.setToolTip(tr("For attribute text that shows as garbled characters"))
            buttons.addButton(self.reread_encoding, QDialogButtonBox.ButtonRole.ActionRole)
            self.reread_encoding.clicked.connect(lambda: (self.accept(), on_reread_encoding()))
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addWidget(buttons)


# ---- rasters ------------------------------------------------------------------------------------

@dataclass
class RasterRead:
    """A raster read from a file: the layer and what the report shows. ``problems``: (level,
    zh, en) with level "info" | "warning"."""

    layer: object
    path: str
    driver: str
    width: int
    height: int
    bands: int
    dtype: str
    crs: str
    crs_source: str
    resolution: tuple[float, float]
    unit: str
    nodata: float | None
    shown: str
    stats: list[dict] = field(default_factory=list)
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    decimated: int = 1


def _band_stats(values: np.ndarray, valid: np.ndarray) -> dict:
    """min, max, mean, standard deviation of the valid cells; counts of valid and empty cells."""
    v = values[valid]
    out = {"valid": int(v.size), "empty": int(valid.size - v.size)}
    if v.size:
        v = v.astype(np.float64, copy=False)
        out.update(min=float(v.min()), max=float(v.max()), mean=float(v.mean()), std=float(v.std()))
    return out


def _valid_mask(a: np.ndarray, nodata) -> np.ndarray:
    valid = np.isfinite(a) if a.dtype.kind == "f" else np.ones(a.shape, bool)
    if nodata is not None and not (isinstance(nodata, float) and math.isnan(nodata)):
        valid &= a != nodata
    return valid


def default_raster_colormap(array: np.ndarray, valid: np.ndarray, palette: dict | None = None):
    """The colormap a single-band raster opens with: the file's palette (GDAL colour table) for
    the values present; distinct colours for an integer grid with at most :data:`MAX_CLASSES`
    values (land use, zoning classes …); None otherwise (RasterLayer's viridis stretched over the
    2nd–98th percentiles)."""
    if array.dtype.kind not in "iub":
        return None
    values = np.unique(array[valid]) if valid.any() else np.zeros(0, array.dtype)
    if palette:
        present = {int(v): palette[int(v)] for v in values.tolist() if int(v) in palette}
        if present:
            return {v: "#{:02x}{:02x}{:02x}".format(*present[v][:3]) for v in sorted(present)}
    if 1 <= len(values) <= MAX_CLASSES:
        return {int(v): CLASS_PALETTE[i] for i, v in enumerate(values.tolist())}
    return None


def read_raster(path: Path, crs: str | None = None, name: str | None = None, progress=None) -> RasterRead:
    """Read a GeoTIFF / IMG / ASCII grid into a RasterLayer (no Qt; runs in a worker).

    One band (or the first of several that are not an RGB image) → a value grid with the file's
    nodata and :func:`default_raster_colormap`; 3 or 4 bands of bytes → an RGB(A) image (the
    file's mask as alpha). ``crs``: the user's choice (``gis.crs.parse_crs`` syntax) for a file
    without one; without either, :class:`gis.errors.CrsNeeded` with likely candidates."""
    import rasterio
    from affine import Affine
    from pyproj import CRS

    from gis.crs import crs_label, guess_projected_crs, looks_like_lonlat, parse_crs
    from gis.errors import CrsNeeded, InputError
    from gis.progress import NO_PROGRESS
    from layers.raster import RasterLayer

    progress = progress or NO_PROGRESS
    path = Path(path)
    progress.report(0.0, "reading")
    try:
        ds = rasterio.open(path)
    except Exception as exc:
        raise InputError(f"无法读取栅格文件 {path.name}：{exc}", f"Cannot read the raster {path.name}: {exc}",
                         path=str(path), code="raster.unreadable") from None
    problems: list[tuple[str, str, str]] = []
    with ds:
        t = ds.transform
        bounds = tuple(float(v) for v in ds.bounds)
        source = None
        if crs:
            source = parse_crs(crs)
            crs_obj, crs_source = source.crs, "user"
        elif ds.crs is not None and ds.crs.to_wkt():
            crs_obj, crs_source = CRS.from_wkt(ds.crs.to_wkt()), "file"
        else:
            if looks_like_lonlat(bounds):
                cands = [("EPSG:4326", "longitude/latitude range"), ("EPSG:4490", "longitude/latitude range")]
            else:
                cands = [(f"EPSG:{c}", why) for c, why in guess_projected_crs(bounds)]
            raise CrsNeeded(f"栅格文件 {path.name} 没有坐标系信息，请指定坐标系",
                            f"The raster {path.name} has no coordinate system: choose one",
                            path=str(path), candidates=cands)
        factor = 1
        cells = ds.width * ds.height
        if cells > MAX_RASTER_CELLS:
            factor = math.ceil(math.sqrt(cells / MAX_RASTER_CELLS))
        rows, cols = math.ceil(ds.height / factor), math.ceil(ds.width / factor)
        rgb = ds.count in (3, 4) and all(d == "uint8" for d in ds.dtypes)
        bands = list(range(1, ds.count + 1)) if rgb else [1]
        data = ds.read(bands, out_shape=(len(bands), rows, cols)) if factor > 1 else ds.read(bands)
        progress.report(0.6, "statistics")
        nodata = ds.nodata
        palette = None
        if not rgb:
            try:
                palette = ds.colormap(1)
            except ValueError:  # no colour table
                palette = None
        mask = None
        if rgb and ds.count == 3:
            m = ds.dataset_mask(out_shape=(rows, cols)) if factor > 1 else ds.dataset_mask()
            if (m == 0).any():
                mask = m
        driver = ds.driver
        count, dtype = ds.count, ds.dtypes[0]
        full_w, full_h = ds.width, ds.height
    if factor > 1:
        t = t @ Affine.scale(full_w / cols, full_h / rows)
        problems.append(("warning", f"栅格较大（{full_w:,} × {full_h:,}），按 1/{factor} 抽样显示",
                         f"Large raster ({full_w:,} × {full_h:,}): shown at 1/{factor} resolution"))
    if source is not None and source.webmap:
        from gis import webmap

        cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        convert = webmap.gcj02_to_wgs84 if source.webmap == "gcj02" else webmap.bd09_to_wgs84
        wx, wy = (float(np.asarray(v).ravel()[0]) for v in convert(np.array([cx]), np.array([cy])))
        t = Affine.translation(wx - cx, wy - cy) @ t
        problems.append(("info", f"已按中心点的 {source.webmap.upper()} 偏移平移到 WGS84",
                         f"Shifted to WGS84 by the {source.webmap.upper()} offset at the centre"))
    if rgb:
        array = np.ascontiguousarray(np.moveaxis(data, 0, -1))
        if mask is not None:
            array = np.concatenate([array, mask[..., None].astype(np.uint8)], axis=2)
        stats = [_band_stats(array[..., i], np.ones(array.shape[:2], bool)) for i in range(min(count, 3))]
        colormap, shown = None, "RGBA" if array.shape[2] == 4 else "RGB"
        nodata_used = None
    else:
        array = data[0]
        if count > 1:
            problems.append(("warning", f"文件有 {count} 个波段，只显示第 1 波段",
                             f"The file has {count} bands: band 1 is shown"))
        valid = _valid_mask(array, nodata)
        stats = [_band_stats(array, valid)]
        colormap = default_raster_colormap(array, valid, palette)
        shown = "1"
        nodata_used = nodata
        if not valid.any():
            problems.append(("warning", "栅格中没有有效值（全部为无数据）",
                             "The raster holds no valid values (all no data)"))
    progress.report(0.8, "colours")
    layer_name = name or path.stem
    layer = RasterLayer(layer_name, array, t.to_gdal(), crs_obj, colormap=colormap, nodata=nodata_used)
    geographic = crs_obj.is_geographic
    progress.report(1.0, "done")
    return RasterRead(layer=layer, path=str(path), driver=driver, width=int(cols), height=int(rows),
                      bands=int(count), dtype=str(dtype), crs=crs_label(crs_obj), crs_source=crs_source,
                      resolution=(abs(t.a), abs(t.e)), unit="°" if geographic else "m", nodata=nodata_used,
                      shown=shown, stats=stats, problems=problems, decimated=factor)


def _num(v: float) -> str:
    if v is None or not math.isfinite(v):
        return str(v)
    if v != 0 and (abs(v) >= 1e7 or abs(v) < 1e-3):
        return f"{v:.4g}"
    return f"{v:,.4f}".rstrip("0").rstrip(".")


def raster_report_html(r: RasterRead, layer_title: str = "") -> str:
    """What :func:`read_raster` found, as HTML in the UI language."""
    from html import escape

    formats = {"GTiff": "GeoTIFF", "HFA": "ERDAS IMAGINE (.img)", "AAIGrid": "ESRI ASCII grid (.asc)"}
    rows = [(tr("File"), r.path), (tr("Format"), formats.get(r.driver, r.driver)),
            (tr("Size"), tr("{0:,} × {1:,} cells, {2} band(s), {3}").format(r.width, r.height, r.bands,
                                                                           r.dtype)),
            (tr("Coordinate system"), f"{r.crs} ({_crs_source_text(r.crs_source)})"),
            (tr("Resolution"), f"{_num(r.resolution[0])} × {_num(r.resolution[1])} {r.unit}"),
            (tr("No data"), _num(r.nodata) if r.nodata is not None else tr("none")),
            (tr("Shown"), tr("RGB image") if r.shown.startswith("RGB") else tr("band {0}").format(r.shown))]
    html = [f"<h3>{escape(layer_title)}</h3>" if layer_title else "",
            "<table cellspacing='0' cellpadding='3'>"]
    for k, v in rows:
        html.append(f"<tr><td style='color:#555'>{escape(k)}</td><td>{escape(str(v))}</td></tr>")
    html.append("</table>")
    heads = [tr("Band"), tr("Min"), tr("Max"), tr("Mean"), tr("Std. dev."), tr("Valid cells"), tr("No data")]
    html.append(f"<h4>{escape(tr('Band statistics'))}</h4><table cellspacing='0' cellpadding='3'><tr>")
    html += [f"<th align='left'>{escape(h)}</th>" for h in heads]
    html.append("</tr>")
    for i, st in enumerate(r.stats, start=1):
        cells = [str(i)] + [_num(st[k]) if k in st else "–" for k in ("min", "max", "mean", "std")] + [
            f"{st['valid']:,}", f"{st['empty']:,}"]
        html.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    html.append("</table>")
    if r.problems:
        colours = {"warning": "#9a5b00", "info": "#37474f"}
        html.append("<ul>")
        for level, zh, en in r.problems:
            html.append(f"<li style='color:{colours.get(level, '#37474f')}'>{escape(pick(zh, en))}</li>")
        html.append("</ul>")
    return "".join(html)


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


def _lazy_parquet(path: Path) -> bool:
    from layers.parquet_source import is_geoparquet

    return is_geoparquet(path)


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
               replace=None, show_report: bool = True, encoding: str | None = None) -> list:
    """Read ``paths`` in worker threads and add them to ``window.workspace``.

    crs/layer/encoding: passed to read_vector; replace: a layer whose data the (single) file replaces
    (re-reading with another CRS). Returns the TaskHandles (tests wait on them).
    """
    handles = []
    for path in paths:
        path = Path(path)
        if is_project(path):
            window.open_project(path)
            continue
        if replace is None and _lazy_parquet(path):  # read by view, never whole: app/gui/parquet_layer.py
            from app.gui.parquet_layer import open_parquet

            handles.append(open_parquet(window, path, unique_name))
            continue
        handles.append(_read_one(window, path, crs, layer, replace, show_report, encoding))
    return handles


def _read_one(window, path: Path, crs, layer, replace, show_report: bool, encoding: str | None = None):
    from app.gui.tasks import run_task, show_error
    from gis.errors import CrsNeeded, InputError
    from gis.io import read_attribute_table, read_vector

    raster = is_raster(path)
    name = unique_name(window.workspace, path.stem) if raster and replace is None else path.stem

    def work(progress):
        if raster:
            return read_raster(path, crs=crs, name=name, progress=progress)
        if is_table_only(path):
            return read_attribute_table(path, encoding=encoding)
        return read_vector(path, crs=crs, layer=layer, encoding=encoding, progress=progress)

    def done(result):
        if raster:
            window.add_raster_result(path, result, replace=replace, show_report=show_report)
            return
        name = layer or path.stem
        if path.suffix.lower() == ".shp" or not name:
            name = path.stem
        window.add_read_result(path, name, result, crs=crs, layer=layer, replace=replace,
                               show_report=show_report, encoding=encoding)

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
