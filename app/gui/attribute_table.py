"""The attribute table of one layer: sort, filter, selection synchronised with the map, export.

Fast for 100,000+ rows: :class:`FeatureTableModel` keeps each column as a NumPy array and a
``view`` array (positional rows in display order). Qt asks only for the cells on screen, so
loading is O(1) Python calls; sorting is ``numpy.argsort`` on the column (stable, missing values
last) and the text filter is ``pandas.Series.str.contains`` over cached string columns — a few
vectorised calls instead of one Python call per row. (A ``QSortFilterProxyModel`` would call
back into Python for every comparison: ~3 million calls to sort 100,000 rows.)

Selection: rows selected in the table become ``layer.selection`` (positional rows) and a
``layer.selection`` set elsewhere (map tools, "select by expression") is shown in the table.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.icons import icon
from app.gui.tasks import ui_lang
from layers.registry import field_alias
from layers.values import value_labels

_INDEX = QModelIndex()
MAX_SELECTION_RUNS = 3000
"""Above this many separate row runs, a selection made elsewhere is shown by the rows' background
colour only (building a Qt item selection costs ~35 µs per run)."""
SELECTED_BACKGROUND = QColor("#fff2a8")


def format_value(v, kind: str) -> str:
    """A cell's text: numbers without exponent and with up to 4 decimals; missing → ""."""
    if v is None or v is pd.NA:  # pd.NA: a missing value of a nullable (boolean, Int64) column
        return ""
    if kind == "f":
        try:
            f = float(v)
        except (TypeError, ValueError):
            return str(v)
        if not math.isfinite(f):
            return "" if math.isnan(f) else str(f)
        if (f != 0 and abs(f) < 1e-4) or abs(f) >= 1e15:
            return f"{f:.4g}"
        text = f"{f:.4f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    if kind in ("i", "u", "b"):
        return str(v)
    if isinstance(v, float) and math.isnan(v):
        return ""
    if v is pd.NA or v is pd.NaT:
        return ""
    return str(v)


class FeatureTableModel(QAbstractTableModel):
    """A layer's attributes (all columns except the geometry), rows in ``view`` order."""

    view_changed = Signal()

    def __init__(self, layer=None, parent=None) -> None:
        super().__init__(parent)
        self.layer = None
        self._frame = pd.DataFrame()
        self._columns: list[str] = []
        self._arrays: list[np.ndarray] = []
        self._kinds: list[str] = []
        self._strings: dict[int, pd.Series] = {}
        self._labels: dict[tuple[int, str], dict] = {}  # (column, language) → {code: label}
        self._index_labels: np.ndarray = np.zeros(0)
        self.view = np.zeros(0, dtype=np.int64)
        self.selected_mask = np.zeros(0, dtype=bool)  # by positional row: in layer.selection
        self._filtered = np.zeros(0, dtype=np.int64)  # rows passing the filter, source order
        self.filter_text = ""
        self.only_rows: np.ndarray | None = None  # "show selected only"
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        if layer is not None:
            self.set_layer(layer)

    # -- content ---------------------------------------------------------------------------------
    def set_layer(self, layer) -> None:
        self.beginResetModel()
        self.layer = layer
        gdf = layer.gdf if layer is not None else pd.DataFrame()
        geom = getattr(gdf, "active_geometry_name", None) if layer is not None else None
        self._frame = gdf.drop(columns=[geom]) if geom else pd.DataFrame(gdf)
        self._columns = [str(c) for c in self._frame.columns]
        self._arrays = [self._frame.iloc[:, i].to_numpy() for i in range(len(self._columns))]
        self._kinds = [self._frame.iloc[:, i].dtype.kind for i in range(len(self._columns))]
        self._strings = {}
        self._labels = {}
        self._index_labels = self._frame.index.to_numpy()
        n = len(self._frame)
        self.selected_mask = np.zeros(n, dtype=bool)
        self._filtered = np.arange(n, dtype=np.int64)
        self.view = self._filtered
        self.filter_text, self.only_rows = "", None
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        self.endResetModel()
        self.view_changed.emit()

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    @property
    def source_rows(self) -> int:
        return len(self._frame)

    def rowCount(self, parent=_INDEX) -> int:
        return 0 if parent.isValid() else len(self.view)

    def columnCount(self, parent=_INDEX) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:  # a coded value's label ("other" → 其他), else as stored
            v = self._arrays[c][self.view[index.row()]]
            labels = self.value_labels(c)
            label = _lookup(labels, v) if labels else None
            return label if label is not None else format_value(v, self._kinds[c])
        if role == Qt.ItemDataRole.ToolTipRole:  # the value as stored
            return format_value(self._arrays[c][self.view[index.row()]], self._kinds[c])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self._kinds[c] in "fiu":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            return SELECTED_BACKGROUND if self.selected_mask[self.view[index.row()]] else None
        if role == Qt.ItemDataRole.UserRole:
            return int(self.view[index.row()])
        return None

    def value_labels(self, c: int) -> dict:
        """{stored value: label in the UI language} of column ``c`` (:mod:`layers.values`; {}
        for a column without coded values), made once per column and language."""
        key = (c, ui_lang())
        if key not in self._labels:
            self._labels[key] = value_labels(self._columns[c], self._arrays[c], key[1],
                                             boolean=self._kinds[c] == "b")
        return self._labels[key]

    def relabel(self) -> None:
        """Show the labels of the current UI language (after a language switch)."""
        self._strings = {}
        if len(self.view) and self._columns:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.view) - 1, len(self._columns) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(len(self._columns) - 1, 0))

    def set_selected(self, source_rows: np.ndarray) -> None:
        """Mark ``source_rows`` (positional) as selected: they get a highlight background."""
        mask = np.zeros(len(self._frame), dtype=bool)
        src = np.asarray(source_rows, dtype=np.int64)
        mask[src[(src >= 0) & (src < len(mask))]] = True
        if not np.array_equal(mask, self.selected_mask):
            self.selected_mask = mask
            if len(self.view) and self._columns:
                last = self.index(len(self.view) - 1, len(self._columns) - 1)
                self.dataChanged.emit(self.index(0, 0), last, [Qt.ItemDataRole.BackgroundRole])

    def header_text(self, section: int) -> str | None:
        """A column's heading as a person reads it: its alias with unit in the UI language
        ("年发电量 (kWh/yr)"), from the layer registry's field table; the name when unknown."""
        if not 0 <= section < len(self._columns):
            return None
        layer_name = getattr(self.layer, "name", None)
        return field_alias(self._columns[section], layer_name, ui_lang())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self._columns[section] if 0 <= section < len(self._columns) else None  # the real name
        if role != Qt.ItemDataRole.DisplayRole:
            if role == Qt.ItemDataRole.ForegroundRole and orientation == Qt.Orientation.Vertical:
                return QColor("#707070")
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.header_text(section)
        if 0 <= section < len(self.view):
            return str(self._index_labels[self.view[section]])
        return None

    # -- sorting and filtering (vectorised) ------------------------------------------------------
    def _sort_keys(self, c: int, rows: np.ndarray) -> np.ndarray:
        """Integer ranks of column ``c`` at ``rows``: missing values rank last."""
        s = self._frame.iloc[rows, c]
        if self._kinds[c] in "fiub":
            # a copy: pandas may hand out a read-only view of the column, and the ranks are changed
            return np.array(s.to_numpy(dtype=float, na_value=np.nan), dtype=float, copy=True)
        try:
            codes, _ = pd.factorize(s, sort=True)
        except TypeError:  # mixed types: compare as text
            codes, _ = pd.factorize(s.astype(str), sort=True)
        codes = codes.astype(float)
        codes[codes < 0] = np.nan
        return codes

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self._rebuild_view()

    def set_filter(self, text: str, only_rows: np.ndarray | None = None) -> None:
        """Show rows where any column contains ``text`` (case-insensitive), and — with
        ``only_rows`` — only those positional rows."""
        self.filter_text = text.strip()
        self.only_rows = None if only_rows is None else np.asarray(only_rows, dtype=np.int64)
        n = len(self._frame)
        keep = np.ones(n, dtype=bool)
        if self.only_rows is not None:
            mask = np.zeros(n, dtype=bool)
            mask[self.only_rows[(self.only_rows >= 0) & (self.only_rows < n)]] = True
            keep &= mask
        if self.filter_text:
            needle = self.filter_text.lower()
            hit = np.zeros(n, dtype=bool)
            for c in range(len(self._columns)):
                hit |= self._string_column(c).str.contains(needle, regex=False).to_numpy(bool)
            hit |= pd.Series(self._index_labels).astype(str).str.contains(needle, regex=False).to_numpy(bool)
            keep &= hit
        self._filtered = np.flatnonzero(keep).astype(np.int64)
        self._rebuild_view()

    def _string_column(self, c: int) -> pd.Series:
        if c not in self._strings:
            col = self._frame.iloc[:, c]
            if self._kinds[c] == "f":
                text = col.round(4).astype(str).str.replace(r"\.0$", "", regex=True)
                text = text.where(col.notna(), "")
            else:
                text = col.astype(str).where(col.notna(), "")
            labels = self.value_labels(c)
            if labels:  # the filter finds a row by its label as well as by its code
                text = text + "\n" + col.astype(object).map(labels).fillna("").astype(str)
            self._strings[c] = pd.Series(text.to_numpy(), dtype=object).str.lower()
        return self._strings[c]

    def _rebuild_view(self) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_rows = [int(self.view[i.row()]) if 0 <= i.row() < len(self.view) else -1 for i in old]
        rows = self._filtered
        c = self.sort_column
        if 0 <= c < len(self._columns) and len(rows):
            keys = self._sort_keys(c, rows)
            missing = np.isnan(keys)
            if self.sort_order == Qt.SortOrder.DescendingOrder:
                keys = -keys
            keys[missing] = np.inf
            rows = rows[np.argsort(keys, kind="stable")]
        self.view = rows
        if old:
            inverse = np.full(len(self._frame), -1, dtype=np.int64)
            inverse[self.view] = np.arange(len(self.view))
            new = [self.index(int(inverse[r]), i.column()) if r >= 0 and inverse[r] >= 0 else QModelIndex()
                   for r, i in zip(old_rows, old, strict=True)]
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
        self.view_changed.emit()

    # -- rows ------------------------------------------------------------------------------------
    def view_rows_of(self, source_rows: np.ndarray) -> np.ndarray:
        """Display rows (sorted) of positional ``source_rows`` that are shown."""
        inverse = np.full(len(self._frame), -1, dtype=np.int64)
        inverse[self.view] = np.arange(len(self.view))
        src = np.asarray(source_rows, dtype=np.int64)
        src = src[(src >= 0) & (src < len(self._frame))]
        v = inverse[src]
        return np.sort(v[v >= 0])

    def frame_of(self, source_rows: np.ndarray | None = None) -> pd.DataFrame:
        """The attributes of ``source_rows`` (all shown rows when None), in display order."""
        rows = self.view if source_rows is None else np.asarray(source_rows, dtype=np.int64)
        return self._frame.iloc[rows]


def view_count_text(layer, shown: int) -> str:
    """The count line of a layer read by view: the rows read for the current view (never the whole
    file), of how many in the file; an overview says it is a sample."""
    win, total = layer.last_window, layer.source.rows
    selected = len(getattr(layer, "selected_keys", layer.selection))
    if win.overview:
        return QCoreApplication.translate(
            "AttributeTable", "Overview of the current view: {0:,} rows shown (every {1}th of its {2:,}) "
            "of {3:,} in the file; zoom in to see them all. {4:,} selected").format(
            shown, win.stride, win.in_view, total, selected)
    if win.bounds is None:  # a file small enough to be read whole
        return QCoreApplication.translate(
            "AttributeTable", "{0:,} of {1:,} rows shown (the whole file); {2:,} selected").format(
            shown, total, selected)
    return QCoreApplication.translate(
        "AttributeTable", "{0:,} of {1:,} rows shown (current view and half a view around it); "
        "{2:,} selected").format(shown, total, selected)


def _lookup(labels: dict, v) -> str | None:
    try:
        return labels.get(v)
    except TypeError:  # an unhashable cell (a list in an object column)
        return None


def runs(sorted_rows: np.ndarray) -> list[tuple[int, int]]:
    """Contiguous runs (first, last) of sorted unique integers: [1,2,3,7,8] → [(1,3),(7,8)]."""
    if len(sorted_rows) == 0:
        return []
    breaks = np.flatnonzero(np.diff(sorted_rows) != 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(sorted_rows) - 1]])
    return list(zip(sorted_rows[starts].tolist(), sorted_rows[ends].tolist(), strict=True))


class AttributeTable(QWidget):
    """The attribute-table panel: layer chooser, filter, "selected only", table, actions.

    Signals: ``zoom_to_selection_requested(object layer)``, ``export_done(str message)``.
    """

    zoom_to_selection_requested = Signal(object)
    export_done = Signal(str)

    def __init__(self, parent=None, tree=None) -> None:
        super().__init__(parent)
        self.tree = tree
        self.layer = None
        self.last_export = None  # the TaskHandle of the latest export (tests wait on it)
        self.last_message = None
        self._syncing = False
        self._unsubscribe = None
        self._layers: list = []
        self.model = FeatureTableModel(parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)  # sorting goes through _on_header_clicked
        self.view.horizontalHeader().setSectionsClickable(True)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().sectionClicked.connect(self._on_header_clicked)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.verticalHeader().setSectionResizeMode(self.view.verticalHeader().ResizeMode.Fixed)
        self.view.horizontalHeader().setDefaultSectionSize(110)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)

        self.layer_combo = QComboBox()
        self.layer_combo.setMinimumContentsLength(12)
        self.layer_combo.currentIndexChanged.connect(self._on_combo)
        self.filter = QLineEdit()
        self.filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(250)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.only_selected = QCheckBox()
        self.only_selected.toggled.connect(self.apply_filter)
        self.btn_search_file = QToolButton()  # a layer read by view: select by expression in its whole file
        self.btn_search_file.clicked.connect(self.search_whole_file)
        self.search_dialog = None
        self.btn_zoom = QToolButton()
        self.btn_zoom.setIcon(icon("zoom_selection"))
        self.btn_zoom.clicked.connect(lambda: self.layer is not None
                                      and self.zoom_to_selection_requested.emit(self.layer))
        self.btn_clear = QToolButton()
        self.btn_clear.setIcon(icon("clear_selection"))
        self.btn_clear.clicked.connect(self.clear_selection)
        self.btn_export = QPushButton()
        self.export_menu = QMenu(self)
        self.act_export_sel = self.export_menu.addAction("")
        self.act_export_sel.triggered.connect(lambda: self.export_dialog(selected=True))
        self.act_export_all = self.export_menu.addAction("")
        self.act_export_all.triggered.connect(lambda: self.export_dialog(selected=False))
        self.btn_export.setMenu(self.export_menu)
        self.count = QLabel()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.layer_combo)
        top.addWidget(self.filter, 1)
        top.addWidget(self.only_selected)
        top.addWidget(self.btn_search_file)
        top.addWidget(self.btn_zoom)
        top.addWidget(self.btn_clear)
        top.addWidget(self.btn_export)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.view)
        lay.addWidget(self.count)
        self.model.view_changed.connect(self._update_count)
        self.retranslate_ui()
        if tree is not None:
            self.refresh_layers()

    # -- text ------------------------------------------------------------------------------------
    def _filter_texts(self) -> None:
        """The filter's placeholder and Search the whole file… as the layer is read: by view, the
        filter sees only the rows read (layers/parquet_source.py)."""
        by_view = hasattr(self.layer, "last_window")
        self.filter.setPlaceholderText(self.tr("Filter the rows read for the view: text in any column")
                                       if by_view else self.tr("Filter: text in any column"))
        self.btn_search_file.setVisible(by_view)

    def retranslate_ui(self) -> None:
        self._filter_texts()
        self.btn_search_file.setText(self.tr("Search the whole file…"))
        self.btn_search_file.setToolTip(self.tr(
            "Select by attribute in every row of the file, not only in the rows read for the view"))
        self.only_selected.setText(self.tr("Selected only"))
        self.btn_zoom.setToolTip(self.tr("Zoom the map to the selected features"))
        self.btn_clear.setToolTip(self.tr("Clear the selection"))
        self.btn_export.setText(self.tr("Export"))
        self.btn_export.setToolTip(self.tr("Export the rows to CSV or Excel"))
        self.act_export_sel.setText(self.tr("Export selected rows…"))
        self.act_export_all.setText(self.tr("Export all shown rows…"))
        self.layer_combo.setToolTip(self.tr("Layer shown in the table"))
        self.model.relabel()
        self._update_count()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _update_count(self) -> None:
        if self.layer is None:
            self.count.setText(self.tr("No layer"))
            return
        win = getattr(self.layer, "last_window", None)
        if win is not None:  # read by view (layers/parquet_source.py): the window, never the whole file
            text = view_count_text(self.layer, len(self.model.view))
            if self.model.filter_text and (win.overview or win.bounds is not None):  # not the whole file
                text = self.tr("{0}. The filter searches only these rows; for the whole file use "
                               "Search the whole file…").format(text)
            self.count.setText(text)
            return
        n_sel = len(self.layer.selection)
        self.count.setText(self.tr("{0:,} of {1:,} features shown, {2:,} selected").format(
            len(self.model.view), self.model.source_rows, n_sel))

    # -- layers ----------------------------------------------------------------------------------
    def refresh_layers(self) -> None:
        """Refill the layer chooser from the tree (vector layers, top first)."""
        layers = []
        if self.tree is not None:
            layers = [ly for ly in reversed(self.tree.layers()) if hasattr(ly, "gdf")]
        self._layers = layers
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        for ly in layers:
            self.layer_combo.addItem(ly.title, ly.name)
        i = layers.index(self.layer) if self.layer in layers else -1
        self.layer_combo.setCurrentIndex(i)
        self.layer_combo.blockSignals(False)
        if self.layer is not None and self.layer not in layers:
            self.set_layer(None)

    def _on_combo(self, i: int) -> None:
        if 0 <= i < len(self._layers):
            self.set_layer(self._layers[i])

    def set_layer(self, layer) -> None:
        """Show ``layer``'s attributes (None: empty table)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.layer = layer
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.blockSignals(False)
        self.only_selected.blockSignals(True)
        self.only_selected.setChecked(False)
        self.only_selected.blockSignals(False)
        self.model.set_layer(layer)
        self._filter_texts()
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        if layer is not None:
            unsub = layer.changed.connect(self._on_layer_changed)
            self._unsubscribe = unsub if callable(unsub) else (lambda: layer.changed.disconnect(
                self._on_layer_changed))
            if layer in self._layers:
                self.layer_combo.blockSignals(True)
                self.layer_combo.setCurrentIndex(self._layers.index(layer))
                self.layer_combo.blockSignals(False)
            self.show_layer_selection()
            if len(self.model.columns) <= 12:
                self.view.resizeColumnsToContents()
        self._update_count()

    def _on_layer_changed(self, layer, what: str) -> None:
        if layer is not self.layer:
            return
        if what == "selection":
            if self.only_selected.isChecked():
                self.apply_filter()
            self.show_layer_selection()
            self._update_count()
        elif what == "data" and hasattr(layer, "last_window"):  # read by view: a pan keeps sort and filter
            column = self.model.sort_column
            name = self.model.columns[column] if 0 <= column < len(self.model.columns) else None
            order = self.model.sort_order
            self.model.set_layer(layer)
            if name in self.model.columns:
                self.model.sort_column, self.model.sort_order = self.model.columns.index(name), order
            self.apply_filter()
            self._update_count()
        elif what == "data":
            self.set_layer(layer)
        elif what in ("title", "name"):
            self.refresh_layers()

    # -- sorting, filtering ----------------------------------------------------------------------
    def _on_header_clicked(self, section: int) -> None:
        header = self.view.horizontalHeader()
        if self.model.sort_column == section and self.model.sort_order == Qt.SortOrder.AscendingOrder:
            order = Qt.SortOrder.DescendingOrder
        else:
            order = Qt.SortOrder.AscendingOrder
        self.sort(section, order)
        header.setSortIndicator(section, order)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.model.sort(column, order)
        self.show_layer_selection()

    def apply_filter(self) -> None:
        only = self.layer.selection if (self.layer is not None and self.only_selected.isChecked()) else None
        self.model.set_filter(self.filter.text(), only)
        self.show_layer_selection()

    # -- selection -------------------------------------------------------------------------------
    def _on_view_selection(self, *_args) -> None:
        if self._syncing or self.layer is None:
            return
        rows = self.selected_source_rows()
        self._syncing = True
        try:
            if hasattr(self.layer, "select_rows"):  # read by view: rows outside the window stay selected
                self.layer.select_rows(rows, "window")
            else:
                self.layer.selection = rows
            self.model.set_selected(rows)
        finally:
            self._syncing = False
        self._update_count()

    def selected_source_rows(self) -> np.ndarray:
        """Positional rows of the layer selected in the table."""
        parts = []
        for r in self.view.selectionModel().selection():
            parts.append(np.arange(r.top(), r.bottom() + 1, dtype=np.int64))
        if not parts:
            return np.zeros(0, dtype=np.int64)
        view_rows = np.unique(np.concatenate(parts))
        view_rows = view_rows[view_rows < len(self.model.view)]
        return np.sort(self.model.view[view_rows])

    def show_layer_selection(self) -> None:
        """Select in the table the rows of ``layer.selection``."""
        if self.layer is None or self._syncing:
            return
        self.model.set_selected(self.layer.selection)
        rows = self.model.view_rows_of(self.layer.selection)
        sel = QItemSelection()
        last = self.model.columnCount() - 1
        row_runs = runs(rows)
        if last >= 0 and len(row_runs) <= MAX_SELECTION_RUNS:
            for a, b in row_runs:
                sel.select(self.model.index(a, 0), self.model.index(b, last))
        self._syncing = True
        try:
            self.view.selectionModel().select(
                sel, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if len(rows):
                self.view.scrollTo(self.model.index(int(rows[0]), 0),
                                   QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def clear_selection(self) -> None:
        if self.layer is not None:
            self.layer.selection = []

    def search_whole_file(self):
        """Search the whole file…: Select by Attribute on the layer read by view, its OK searching every
        row of the file (app.gui.select_dialog). Returns the dialog (open, not modal-blocking)."""
        from app.gui.select_dialog import SelectByAttributeDialog

        if self.layer is None or not hasattr(self.layer, "last_window"):
            return None
        dialog = SelectByAttributeDialog(self.layer, self.window() or self)
        dialog.finished.connect(dialog.deleteLater)
        self.search_dialog = dialog
        dialog.open()
        return dialog

    # -- export ----------------------------------------------------------------------------------
    def export_job(self, path: str | Path, selected: bool = False):
        """``work(progress) -> rows written`` exporting the shown rows (or the selected ones) of the
        current layer to ``path``, for a worker thread: the rows and the layer's frame are taken
        now (GUI thread, cheap), the file is written by ``work`` (.csv UTF-8 with BOM and a WKT
        geometry column, or .xlsx attributes on a sheet named after the layer). None without a
        layer."""
        path = Path(path)
        if self.layer is None:
            return None
        if selected:
            rows = self.model.view[np.isin(self.model.view, self.layer.selection)]
        else:
            rows = np.array(self.model.view, copy=True)
        frame = self.model.frame_of(rows)
        sheet = sheet_name(self.layer.title or self.layer.name)
        geometry = self.layer.gdf.geometry
        return lambda progress: write_rows(path, frame, geometry, rows, sheet, progress)

    def export(self, path: str | Path, selected: bool = False) -> int:
        """Write the shown rows (or the selected ones) to ``path`` now (blocking; the panel's
        Export menu runs :meth:`export_job` in a task); the number of rows written."""
        from gis.progress import NO_PROGRESS

        job = self.export_job(path, selected)
        return 0 if job is None else job(NO_PROGRESS)

    def export_dialog(self, selected: bool, path: str | Path | None = None):
        """Export ▸: choose a file, then write it in a background task (large tables would stall
        the window); errors are shown in the UI language. Returns the TaskHandle (None when
        nothing was written)."""
        if self.layer is None:
            return None
        if selected and not len(self.layer.selection):
            QMessageBox.information(self, self.tr("Export"), self.tr("No rows are selected."))
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export attributes"), f"{self.layer.name}.csv",
                self.tr("CSV (*.csv);;Excel workbook (*.xlsx)"))
            if not path:
                return None
        from app.gui.tasks import run_task

        job = self.export_job(path, selected)
        if job is None:
            return None

        def work(progress):
            try:
                return job(progress)
            except OSError as exc:  # a locked or read-only file: say so in both languages
                from gis.errors import InputError

                raise InputError(f"无法写入文件：{exc}", f"Cannot write the file: {exc}",
                                 path=str(path)) from exc

        def done(n: int) -> None:
            text = self.tr("{0:,} rows written to {1}").format(n, path)
            self.export_done.emit(text)
            box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export"), text,
                              QMessageBox.StandardButton.Ok, self)
            box.finished.connect(box.deleteLater)
            self.last_message = box
            box.open()  # not exec(): the event loop keeps running

        handle = run_task(self.window() or self, self.tr("Exporting {0}").format(Path(path).name), work, done)
        self.last_export = handle
        win = self.window()
        if hasattr(win, "track_task"):
            win.track_task(handle)
        return handle


EXCEL_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
"""Characters Excel does not allow in a sheet name (openpyxl raises ValueError for them)."""


def sheet_name(title: str) -> str:
    """A valid Excel sheet name from a layer title: ``[]:*?/\\`` become "_", at most 31
    characters, no leading/trailing apostrophe, not empty and not Excel's reserved "History"."""
    name = EXCEL_SHEET_FORBIDDEN.sub("_", str(title or "")).strip().strip("'").strip()
    name = name[:31].strip().strip("'") or "Sheet1"
    return "History_" if name.lower() == "history" else name


def write_rows(path: Path, frame: pd.DataFrame, geometry, rows: np.ndarray, sheet: str,
               progress=None) -> int:
    """Write ``frame`` (the attributes of positional ``rows``) to ``path``: .xlsx on ``sheet``, or
    .csv (UTF-8 with BOM) with the ``rows`` of ``geometry`` as a ``wkt`` column; atomic. Returns
    the number of rows. No Qt: runs in a worker."""
    from gis.progress import NO_PROGRESS

    progress = progress or NO_PROGRESS
    path = Path(path)
    progress.report(0.0, "writing")
    if path.suffix.lower() == ".xlsx":
        from app.xlsx import write_xlsx

        write_xlsx(path, {sheet: frame.reset_index(drop=True)}, progress=progress)
    else:
        from app.outputs import _tmp_beside

        out = frame.copy()
        geoms = geometry.iloc[rows]
        out["wkt"] = geoms.to_wkt(rounding_precision=-1).to_numpy() if len(geoms) else []
        progress.report(0.5, "writing")
        tmp = _tmp_beside(path)
        try:
            out.to_csv(tmp, index=False, encoding="utf-8-sig")
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    progress.report(1.0, "done")
    return len(rows)
