"""Layer → Select by Attribute…: a condition on a layer's fields selects its features.

The expression uses :func:`layers.query.features_where` (pandas query syntax, plus ``=``, ``<>``,
AND/OR/NOT); the dialog lists the fields (double-click inserts one), counts the matches as you
type, and combines them with the current selection (new, add, remove, within).

A GeoParquet layer read by view (layers/parquet_source.py) holds only the rows read for the view:
the live count is of those (and says so), and OK searches the **whole file** in a task with progress
and Cancel (:func:`select_in_file`, :func:`layers.parquet_query.keys_where`: only the columns the
expression names, batch by batch); the matching rows' keys become the selection, on the map and in
the table also where they are out of view now.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.tasks import error_text
from gis.errors import InputError
from layers.layer import VectorLayer
from layers.query import features_where

MODES = ("new", "add", "remove", "within")


def tr(text: str) -> str:
    return QCoreApplication.translate("SelectDialog", text)


def combine(current: np.ndarray, matched: np.ndarray, mode: str) -> np.ndarray:
    """The new selection (sorted positional rows) from the current one and the matches."""
    if mode == "new":
        return np.unique(matched)
    if mode == "add":
        return np.union1d(current, matched)
    if mode == "remove":
        return np.setdiff1d(current, matched)
    if mode == "within":
        return np.intersect1d(current, matched)
    raise ValueError(f"unknown selection mode {mode!r}")


class SelectByAttributeDialog(QDialog):
    """Field list, expression, mode and a live match count; OK sets ``layer.selection``."""

    def __init__(self, layer: VectorLayer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layer = layer
        self.setWindowTitle(tr("Select by Attribute — %1").replace("%1", layer.title or layer.name))
        self.fields = QListWidget()
        geometry = layer.gdf.geometry.name
        for col in layer.gdf.columns:
            if col != geometry:
                self.fields.addItem(str(col))
        self.fields.itemDoubleClicked.connect(self._insert_field)
        self.expression = QLineEdit()
        self.expression.setPlaceholderText('kwh_yr > 100000 and use == "工业"')
        self.expression.setToolTip(tr(
            "A condition on the fields: comparisons (> >= < <= == != = <>), and/or/not, text in quotes; "
            "field names with spaces or symbols in `backticks`."))
        self.mode = QComboBox()
        for key, text in zip(MODES, (tr("New selection"), tr("Add to selection"),
                                     tr("Remove from selection"), tr("Select within selection")),
                             strict=True):
            self.mode.addItem(text, key)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the user's expression: never markup
        form = QFormLayout()
        form.addRow(tr("Fields (double-click to insert)"), self.fields)
        form.addRow(tr("Expression"), self.expression)
        form.addRow(tr("Mode"), self.mode)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._timer = QTimer(self)  # count matches once typing pauses (large layers)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.update_count)
        self.expression.textChanged.connect(lambda _=None: self._timer.start())
        self.matches: np.ndarray | None = None
        self.whole_file = hasattr(layer, "selected_keys") and hasattr(layer, "source")  # read by view
        self.task = None  # the whole-file search started by OK
        self.update_count()

    def _insert_field(self, item) -> None:
        name = item.text()
        token = name if name.isidentifier() else f"`{name}`"
        self.expression.insert(token)
        self.expression.setFocus()

    def update_count(self) -> None:
        """Evaluate the expression now; show the match count or the bilingual error."""
        try:
            self.matches = features_where(self.layer, self.expression.text())
        except InputError as exc:
            self.matches = None
            self.status.setText(error_text(exc))
            self.ok_button.setEnabled(False)
            return
        n = len(self.layer.gdf)
        if self.whole_file:
            self.status.setText(tr("{0:,} of the {1:,} rows read for the view match; OK searches all "
                                   "{2:,} rows of the file").format(len(self.matches), n,
                                                                    self.layer.source.rows))
        else:
            self.status.setText(tr("%1 of %2 features match").replace("%1", f"{len(self.matches):,}")
                                .replace("%2", f"{n:,}"))
        self.ok_button.setEnabled(True)

    def accept(self) -> None:
        self._timer.stop()
        self.update_count()
        if self.matches is None:
            return
        if self.whole_file:  # the rows in view were a check of the expression; now the whole file
            self.task = select_in_file(self.parent(), self.layer, self.expression.text(),
                                       self.mode.currentData())
        else:
            self.layer.selection = combine(self.layer.selection, self.matches, self.mode.currentData())
        super().accept()


def select_by_attribute(parent: QWidget | None, layer: VectorLayer | None) -> int | None:
    """Show the dialog for ``layer``; the number of selected features after OK, else None (also for
    a layer read by view, whose whole-file search then runs in a task: ``dialog.task``)."""
    if layer is None or not isinstance(layer, VectorLayer):
        return None
    dialog = SelectByAttributeDialog(layer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.task is not None:
        return None
    return len(layer.selection)


def select_in_file(parent: QWidget | None, layer, expression: str, mode: str = "new"):
    """Select the rows of ``layer``'s whole file (a :class:`~layers.parquet_source.ParquetLayer`)
    satisfying ``expression``, combined with its selection by ``mode``: the search runs in a worker
    with progress and Cancel (a bad expression is shown as an error). Returns the TaskHandle; its
    result is (the matching keys, the new selection's keys, their extent in the source's CRS)."""
    from app.gui.tasks import run_task
    from layers.parquet_query import keys_bounds, keys_where

    source, name, before = layer.source, layer.name, layer.selected_keys

    def work(progress):
        keys = keys_where(source, expression, name, progress.sub(0.0, 0.8))
        chosen = combine(before, keys, mode)
        # the extent of the new selection, read here so that zooming to it reads nothing
        progress.report(0.8, "extent of the selection")
        return keys, chosen, keys_bounds(source, chosen)

    def done(found) -> None:
        keys, chosen, box = found
        if layer.source is not source:  # a new run's files meanwhile: these keys mean other rows
            return
        if layer.selected_keys is before:
            layer.select_keys(chosen, bounds=box)
        else:  # the selection changed meanwhile (a click on the map): combine with that one
            layer.select_keys(combine(layer.selected_keys, keys, mode))
        if hasattr(parent, "statusBar"):
            parent.statusBar().showMessage(tr("{0:,} features selected in the whole file ({1:,} match)")
                                           .format(len(layer.selected_keys), len(keys)), 10000)

    title = tr("Select by attribute in {0}").format(layer.title or layer.name)
    handle = run_task(parent, title, work, done)
    if hasattr(parent, "track_task"):
        parent.track_task(handle)
    return handle
