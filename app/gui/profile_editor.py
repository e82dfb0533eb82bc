"""The load-profile editor (Energy panel → "Edit load profiles…", issue 18 "Load").

The user picks a load kind (工业·两班制, 办公 …) and a day type (workday, weekend, holiday) and
shapes its day: drag the 24 bars with the mouse (one drag is one undo step, across several bars
when the mouse sweeps over them) or type values in the table beside the chart; both show the same
numbers. The shipped default is drawn as a dashed line under the bars, its source is named below,
and "Restore defaults" brings it back. Save writes the edited rows only, in the CSV format of
:mod:`gis.energy.shapes_file` (``lingtan energy --profile-shapes F`` and the energy dialog's
"Edited load shapes" field read it), and the open project remembers the file for the energy
analysis (``settings["processing"]["energy"]["profile_shapes"]``), so the next run uses it.

Values are relative: when the analysis runs, each edited day type keeps the shipped shape's energy
for that day, so the bars say *when* in the day the kind uses its power, not how much.
Rows of a loaded file that name an enterprise (not a kind) are kept as they are and saved again.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui.i18n import ui_lang
from gis.energy.profiles import KIND_NAMES, SERIES, default_daily_shape
from gis.energy.shapes_file import read_profile_shapes, scaled_day, shapes_csv_text
from gis.errors import InputError

HOURS = 24
ALGORITHM_ID = "energy"
PARAM = "profile_shapes"
"""Where the project remembers the file: ``settings["processing"]["energy"]["profile_shapes"]``,
the energy algorithm's parameter, so its dialog starts with it (app.gui.algorithm_dialog)."""
BAR = QColor("#3a7fb8")
BAR_ACTIVE = QColor("#e08a2c")
DEFAULT_LINE = QColor("#505050")


def tr(text: str) -> str:
    return QCoreApplication.translate("ProfileEditor", text)


def _day_label(day: str) -> str:
    return {"workday": tr("Workday"), "weekend": tr("Weekend"), "holiday": tr("Holiday")}[day]


def kind_name(kind: str, lang: str) -> str:
    zh, en = KIND_NAMES[kind]
    return zh if lang == "zh" else en


def source_text(kind: str, day: str) -> tuple[str, str]:
    """(what the UI says of the default's source, the source as shipped): a short description in
    the UI language (the shipped text is English) and the full text for the tooltip."""
    _, src = default_daily_shape(kind, day)
    base = re.search(r"base (\d+) %", src)
    pct = base.group(1) if base else "–"
    if src.startswith("assumption"):
        text = tr("Assumption: shift hours (one shift 8–12 and 13–17 h, two shifts 8–24 h, three shifts "
                  "round the clock) over a base load; daily load factors above the GB/T 3485 minima.")
    elif src.startswith("JGJ/T 449"):
        text = tr("JGJ/T 449-2018 Appendix C office schedules (mean of lighting and equipment) over a "
                  "base load of {0} % (assumption); transcribed, not checked against the printed "
                  "standard.").format(pct)
    else:
        text = tr("GB 55015-2021 Appendix C schedules of this building type (mean of lighting and equipment) "
                  "over a base load of {0} % (assumption); transcribed, not checked against the printed "
                  "standard.").format(pct)
    return text, src


def _step(y_max: float) -> float:
    """Rounding of a dragged value: two digits below the axis' magnitude (0.01 on a 0–1.2 axis)."""
    return 10.0 ** (math.floor(math.log10(y_max)) - 2) if y_max > 0 else 0.01


def nice_ceiling(x: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above ``x`` (an axis top)."""
    if not x > 0:
        return 1.0
    mag = 10.0 ** math.floor(math.log10(x))
    return next(m * mag for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * mag >= x * (1 - 1e-12))


class BarChart(QWidget):
    """24 bars the user drags: ``changed(values)`` while dragging, ``stroke(old, new)`` when the
    mouse is released (one undo step). ``default`` is drawn as a dashed line."""

    changed = Signal(object)
    stroke = Signal(object, object)
    MARGINS = (46, 12, 12, 30)  # left, top, right, bottom (px): y labels, hour labels

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profile_chart")
        self.values = np.zeros(HOURS)
        self.default = np.zeros(HOURS)
        self.y_max = 1.0
        self._before: np.ndarray | None = None
        self._last_hour: int | None = None
        self._active: int | None = None
        self.setMinimumSize(460, 260)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.SizeVerCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_values(self, values, default) -> None:
        self.values = np.asarray(values, float).copy()
        self.default = np.asarray(default, float).copy()
        if self._before is None:  # the axis stays put while a drag goes on
            self.y_max = nice_ceiling(1.15 * max(float(self.values.max()), float(self.default.max()), 1e-9))
        self.update()

    # -- geometry ----------------------------------------------------------------------------------
    def plot_rect(self) -> QRectF:
        left, top, right, bottom = self.MARGINS
        return QRectF(left, top, max(self.width() - left - right, 1), max(self.height() - top - bottom, 1))

    def hour_at(self, x: float) -> int:
        r = self.plot_rect()
        return int(min(max((x - r.left()) / r.width() * HOURS, 0), HOURS - 1))

    def value_at(self, y: float) -> float:
        """The value at height ``y`` (px), within 0 … the axis top, rounded to :func:`_step`."""
        r = self.plot_rect()
        v = min(max((r.bottom() - y) / r.height(), 0.0), 1.0) * self.y_max
        step = _step(self.y_max)
        return round(round(v / step) * step, 10)

    def bar_center(self, hour: int, value: float) -> QPointF:
        """Where a bar of ``value`` ends (px), e.g. for tests that drag it."""
        r = self.plot_rect()
        return QPointF(r.left() + (hour + 0.5) * r.width() / HOURS,
                       r.bottom() - value / self.y_max * r.height())

    # -- mouse -------------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self._before = self.values.copy()
        self._last_hour = None
        self._drag_to(event.position())

    def mouseMoveEvent(self, event) -> None:
        if self._before is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._drag_to(event.position())
        else:
            self._hover(self.hour_at(event.position().x()))

    def mouseReleaseEvent(self, event) -> None:
        if self._before is None or event.button() != Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(event)
        before, self._before = self._before, None
        self._last_hour = None
        if not np.array_equal(before, self.values):
            self.stroke.emit(before, self.values.copy())
        self.set_values(self.values, self.default)  # the axis may grow now

    def leaveEvent(self, event) -> None:
        self._hover(None)
        super().leaveEvent(event)

    def _hover(self, hour: int | None) -> None:
        if hour != self._active:
            self._active = hour
            self.update()

    def _drag_to(self, pos: QPointF) -> None:
        """Set the bar under the mouse; bars the mouse swept over since the last event take the
        values on the straight line between the two positions (a fast sweep leaves no gaps)."""
        hour, value = self.hour_at(pos.x()), self.value_at(pos.y())
        last = self._last_hour
        if last is not None and abs(hour - last) > 1:
            lo, hi = sorted((last, hour))
            between = np.arange(lo + 1, hi)
            step = _step(self.y_max)
            line = np.interp(between, [last, hour], [self.values[last], value])
            self.values[between] = np.round(line / step) * step
        self.values[hour] = value
        self._last_hour = self._active = hour
        self.changed.emit(self.values.copy())
        self.update()

    # -- drawing -----------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        r = self.plot_rect()
        fm = p.fontMetrics()
        ticks = 4
        for i in range(ticks + 1):
            y = r.bottom() - i / ticks * r.height()
            p.setPen(QPen(QColor("#e6e6e6"), 1))
            p.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
            p.setPen(QColor("#606060"))
            label = f"{self.y_max * i / ticks:.3g}"
            p.drawText(QRectF(0, y - fm.height() / 2, r.left() - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        w = r.width() / HOURS
        for h in range(HOURS):
            v = float(self.values[h])
            top = r.bottom() - v / self.y_max * r.height()
            color = BAR_ACTIVE if h == self._active else BAR
            p.fillRect(QRectF(r.left() + h * w + 1.5, top, w - 3, r.bottom() - top), QBrush(color))
            if h % 3 == 0:
                p.setPen(QColor("#606060"))
                p.drawText(QRectF(r.left() + h * w - w, r.bottom() + 4, 3 * w, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{h}:00")
        pen = QPen(DEFAULT_LINE, 1.6, Qt.PenStyle.DashLine)
        p.setPen(pen)
        for h in range(HOURS):  # the default as a step line over the bars
            y = r.bottom() - float(self.default[h]) / self.y_max * r.height()
            p.drawLine(QPointF(r.left() + h * w, y), QPointF(r.left() + (h + 1) * w, y))
            if h + 1 < HOURS:
                y2 = r.bottom() - float(self.default[h + 1]) / self.y_max * r.height()
                p.drawLine(QPointF(r.left() + (h + 1) * w, y), QPointF(r.left() + (h + 1) * w, y2))
        p.setPen(QPen(QColor("#909090"), 1))
        p.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()))
        if self._active is not None:  # the value of the bar under the mouse
            v = float(self.values[self._active])
            c = self.bar_center(self._active, v)
            text = f"{self._active}:00  {v:.3g}"
            tw = fm.horizontalAdvance(text) + 10
            x = min(max(c.x() - tw / 2, r.left()), r.right() - tw)
            y = max(c.y() - fm.height() - 6, r.top())
            box = QRectF(x, y, tw, fm.height() + 2)
            p.fillRect(box, QColor(255, 255, 255, 220))
            p.setPen(QColor("#303030"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        p.end()


class ShapeEdit(QUndoCommand):
    """One change of one day shape (a drag, a table cell, a restore): undo puts ``old`` back and
    shows that kind and day."""

    def __init__(self, editor: ProfileEditor, kind: str, day: str, old, new, text: str) -> None:
        super().__init__(text)
        self.editor, self.kind, self.day = editor, kind, day
        self.old, self.new = np.asarray(old, float).copy(), np.asarray(new, float).copy()

    def redo(self) -> None:
        self.editor.apply(self.kind, self.day, self.new)

    def undo(self) -> None:
        self.editor.apply(self.kind, self.day, self.old)


class ProfileEditor(QDialog):
    """Edit the daily shapes of the load kinds. ``shapes[kind][day]`` are the 24 values shown (the
    defaults until edited); ``save(path)`` writes the edited ones; ``undo_stack`` holds the edits."""

    saved = Signal(str)

    def __init__(self, parent: QWidget | None = None, workspace=None, path: str | Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profile_editor")
        self.workspace = workspace
        self.path: Path | None = None
        self.ask_on_close = True
        self.defaults = {k: {d: default_daily_shape(k, d)[0] for d in SERIES} for k in KIND_NAMES}
        self.shapes = {k: {d: v.copy() for d, v in days.items()} for k, days in self.defaults.items()}
        self.other_rows: dict[str, dict[str, np.ndarray]] = {}  # enterprise rows of a loaded file
        self.kind, self.day = next(iter(KIND_NAMES)), SERIES[0]
        self.undo_stack = QUndoStack(self)
        self._syncing = False

        self.kinds = QListWidget()
        self.kinds.setObjectName("profile_kinds")
        for k in KIND_NAMES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, k)
            self.kinds.addItem(item)
        self.kinds.setFixedWidth(220)
        self.kinds.setWordWrap(True)  # "public building (government, administration)" in English
        self.kinds.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kinds.currentRowChanged.connect(self._on_kind_row)
        self.kinds_label = QLabel()

        self.day_group = QButtonGroup(self)
        self.day_buttons: dict[str, QPushButton] = {}
        day_row = QHBoxLayout()
        self.day_label = QLabel()
        day_row.addWidget(self.day_label)
        for i, d in enumerate(SERIES):
            b = QPushButton()
            b.setCheckable(True)
            b.setStyleSheet("QPushButton:checked { background: #3a7fb8; color: white; border: 1px solid "
                            "#2d6594; border-radius: 3px; padding: 4px 12px; }")
            b.setObjectName(f"profile_day_{d}")
            self.day_group.addButton(b, i)
            self.day_buttons[d] = b
            day_row.addWidget(b)
        day_row.addStretch(1)
        self.day_buttons[self.day].setChecked(True)
        self.day_group.idClicked.connect(lambda i: self.show_shape(self.kind, SERIES[i]))

        self.chart = BarChart()
        self.chart.changed.connect(self._on_drag)
        self.chart.stroke.connect(self._on_stroke)
        self.table = QTableWidget(HOURS, 1)
        self.table.setObjectName("profile_table")
        self.table.setVerticalHeaderLabels([f"{h}:00" for h in range(HOURS)])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(20)  # all 24 hours visible at the usual size
        self.table.setFixedWidth(150)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemChanged.connect(self._on_cell)

        self.legend = QLabel()
        self.legend.setStyleSheet("color: #505050;")
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setStyleSheet("color: #505050;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #7a4d00; background: #fff6e0; border: 1px solid #f0d9a8; "
                                "border-radius: 4px; padding: 5px;")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #2d6a3e;")

        self.undo_button, self.redo_button = QToolButton(), QToolButton()
        self.undo_button.setObjectName("profile_undo")
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.undo_button.setShortcut("Ctrl+Z")
        self.redo_button.setShortcut("Ctrl+Shift+Z")
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("profile_restore")
        self.restore_button.clicked.connect(self.restore_defaults)
        self.save_button = QPushButton()
        self.save_button.setObjectName("profile_save")
        self.save_button.clicked.connect(self.save_dialog)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)

        left = QVBoxLayout()
        left.addWidget(self.kinds_label)
        left.addWidget(self.kinds, 1)
        chart_col = QVBoxLayout()
        chart_col.addLayout(day_row)
        chart_col.addWidget(self.chart, 1)
        chart_col.addWidget(self.legend)
        middle = QHBoxLayout()
        middle.addLayout(chart_col, 1)
        middle.addWidget(self.table)
        right = QVBoxLayout()
        right.addLayout(middle, 1)
        right.addWidget(self.source)
        right.addWidget(self.note)
        top = QHBoxLayout()
        top.addLayout(left)
        top.addLayout(right, 1)
        buttons = QHBoxLayout()
        for w in (self.undo_button, self.redo_button, self.restore_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addLayout(top, 1)
        lay.addWidget(self.status)
        lay.addLayout(buttons)
        self.resize(1000, 700)

        start = Path(path) if path else remembered_file(workspace)
        if start is not None and start.is_file():
            self.load(start)
        self.retranslate_ui()
        self.kinds.setCurrentRow(0)
        self.show_shape(self.kind, self.day)

    # -- the shapes --------------------------------------------------------------------------------
    def is_edited(self, kind: str, day: str | None = None) -> bool:
        days = [day] if day else SERIES
        return any(not np.allclose(self.shapes[kind][d], self.defaults[kind][d], rtol=0, atol=1e-9)
                   for d in days)

    def edited_shapes(self) -> dict[str, dict[str, np.ndarray]]:
        """The rows a save writes: every edited kind/day, then the loaded file's enterprise rows."""
        out = {k: {d: self.shapes[k][d].copy() for d in SERIES if self.is_edited(k, d)} for k in KIND_NAMES}
        return {**{k: v for k, v in out.items() if v}, **self.other_rows}

    def apply(self, kind: str, day: str, values) -> None:
        """Set one day shape and show it (the undo commands' way in)."""
        self.shapes[kind][day] = np.asarray(values, float).copy()
        self.show_shape(kind, day)
        self._mark_edited()

    def show_shape(self, kind: str, day: str) -> None:
        self.kind, self.day = kind, day
        row = list(KIND_NAMES).index(kind)
        if self.kinds.currentRow() != row:
            self.kinds.blockSignals(True)
            self.kinds.setCurrentRow(row)
            self.kinds.blockSignals(False)
        self.day_buttons[day].setChecked(True)
        self.chart.set_values(self.shapes[kind][day], self.defaults[kind][day])
        self._fill_table(self.shapes[kind][day])
        text, full = source_text(kind, day)
        self.source.setText(tr("Default shape: {0}").format(text))
        self.source.setToolTip(full)
        self.restore_button.setEnabled(self.is_edited(kind, day))

    def _fill_table(self, values) -> None:
        self._syncing = True
        for h, v in enumerate(values):
            item = self.table.item(h, 0)
            if item is None:
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(h, 0, item)
            item.setText(f"{float(v):.4g}")
        self._syncing = False

    def _mark_edited(self) -> None:
        lang = ui_lang()
        for i, k in enumerate(KIND_NAMES):
            item = self.kinds.item(i)
            edited = self.is_edited(k)
            item.setText(kind_name(k, lang) + (tr(" (edited)") if edited else ""))
            f = item.font()
            f.setBold(edited)
            item.setFont(f)
        for d, b in self.day_buttons.items():
            b.setText(_day_label(d) + (" ●" if self.is_edited(self.kind, d) else ""))
        self.restore_button.setEnabled(self.is_edited(self.kind, self.day))

    # -- user edits --------------------------------------------------------------------------------
    def _on_kind_row(self, row: int) -> None:
        if 0 <= row < len(KIND_NAMES):
            self.show_shape(list(KIND_NAMES)[row], self.day)
            self._mark_edited()

    def _on_drag(self, values) -> None:
        self._fill_table(values)  # the table follows the bars live; the model takes the stroke

    def _on_stroke(self, old, new) -> None:
        self.undo_stack.push(ShapeEdit(self, self.kind, self.day, old, new, tr("Drag {0}, {1}").format(
            kind_name(self.kind, ui_lang()), _day_label(self.day))))

    def _on_cell(self, item: QTableWidgetItem) -> None:
        if self._syncing:
            return
        h = item.row()
        old = self.shapes[self.kind][self.day]
        try:
            v = float(item.text().strip())
        except ValueError:
            v = math.nan
        if not math.isfinite(v) or v < 0:
            self.status.setText(tr("{0}:00: type a number of 0 or more.").format(h))
            self._fill_table(old)
            return
        if v == old[h]:
            return
        new = old.copy()
        new[h] = v
        self.undo_stack.push(ShapeEdit(self, self.kind, self.day, old, new, tr("Set {0}:00").format(h)))

    def restore_defaults(self) -> None:
        """The shown kind and day back to the shipped shape (one undo step)."""
        if self.is_edited(self.kind, self.day):
            self.undo_stack.push(ShapeEdit(self, self.kind, self.day, self.shapes[self.kind][self.day],
                                           self.defaults[self.kind][self.day], tr("Restore defaults")))

    # -- files -------------------------------------------------------------------------------------
    def load(self, path: str | Path) -> None:
        """Start from a saved file: its kind rows (scaled to the default's daily energy, as the
        analysis uses them; 48/96 values averaged to hours) and its enterprise rows kept as they are."""
        shapes = read_profile_shapes(path)
        for target, days in shapes.items():
            if target not in KIND_NAMES:
                self.other_rows[target] = {d: np.asarray(v, float) for d, v in days.items()}
                continue
            for d, v in days.items():
                hourly = np.asarray(v, float).reshape(HOURS, -1).mean(axis=1)
                self.shapes[target][d] = np.round(scaled_day(target, d, hourly), 4)
        self.path = Path(path)

    def save(self, path: str | Path) -> Path:
        """Write the edited shapes as CSV (:func:`gis.energy.shapes_file.shapes_csv_text`) and
        remember the file in the project for the energy analysis. Returns the path written."""
        from app.outputs import write_text

        path = Path(path)
        if path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        write_text(path, shapes_csv_text(self.edited_shapes()))
        self.path = path
        self.undo_stack.setClean()
        if self.workspace is not None:
            remember_file(self.workspace, path)
        self.status.setText(tr("Saved: {0}. The hour-by-hour energy analysis uses it (field \"Edited load "
                               "shapes\").").format(path))
        self.saved.emit(str(path))
        return path

    def save_dialog(self) -> Path | None:
        start = str(self.path) if self.path else "load_shapes.csv"
        path, _ = QFileDialog.getSaveFileName(self, tr("Save load shapes"), start, tr("CSV table (*.csv)"))
        if not path:
            return None
        try:
            return self.save(path)
        except OSError as e:
            QMessageBox.warning(self, tr("Save load shapes"), tr("Could not write {0}: {1}").format(path, e))
            return None

    def reject(self) -> None:
        if self.ask_on_close and not self.undo_stack.isClean():
            answer = QMessageBox.question(
                self, self.windowTitle(), tr("Save the edited load shapes before closing?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and self.save_dialog() is None:
                return
        super().reject()

    # -- text --------------------------------------------------------------------------------------
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(tr("Edit load profiles"))
        self.kinds_label.setText(tr("Load kind"))
        self.day_label.setText(tr("Day type:"))
        self.table.setHorizontalHeaderLabels([tr("Relative load")])
        self.legend.setText(tr("Bars: this day's shape (drag them, or type in the table); dashed line: the "
                               "shipped default."))
        self.note.setText(tr("Values are relative. In the analysis each edited day keeps the default's "
                             "energy for that day type, so the shape says when in the day the power is "
                             "used; the year still adds up to the energy table's electricity."))
        self.undo_button.setText(tr("Undo"))
        self.redo_button.setText(tr("Redo"))
        self.undo_button.setToolTip(tr("Undo the last change (Ctrl+Z)"))
        self.redo_button.setToolTip(tr("Redo (Ctrl+Shift+Z)"))
        self.restore_button.setText(tr("Restore defaults"))
        self.restore_button.setToolTip(tr("Put back the shipped shape of this kind and day type"))
        self.save_button.setText(tr("Save…"))
        self.close_button.setText(tr("Close"))
        kept = len(self.other_rows)
        self.status.setText(tr("{0} enterprise row(s) of {1} are kept as they are.").format(
            kept, self.path.name if self.path else "") if kept else "")
        self._mark_edited()
        if self.kinds.currentRow() >= 0:
            self.show_shape(self.kind, self.day)


def remembered_file(workspace) -> Path | None:
    """The load-shapes file the open project's energy analysis uses, if any."""
    settings = getattr(workspace, "settings", None) or {}
    value = ((settings.get("processing") or {}).get(ALGORITHM_ID) or {}).get(PARAM)
    return Path(value) if value else None


def remember_file(workspace, path: Path) -> None:
    """The energy analysis of the open project uses ``path`` from now on (its dialog starts with it)."""
    saved = dict(workspace.settings.get("processing") or {})
    energy = dict(saved.get(ALGORITHM_ID) or {})
    energy[PARAM] = str(path)
    saved[ALGORITHM_ID] = energy
    workspace.set_setting("processing", saved)


def open_profile_editor(parent: QWidget | None, workspace=None) -> ProfileEditor | None:
    """The editor, non-modal, starting from the project's file when it has one (a file that cannot
    be read any more is reported and the defaults shown)."""
    try:
        dlg = ProfileEditor(parent, workspace)
    except InputError as e:
        from app.gui.tasks import show_error

        show_error(parent, e)
        dlg = ProfileEditor(parent, None)
        dlg.workspace = workspace
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    return dlg
