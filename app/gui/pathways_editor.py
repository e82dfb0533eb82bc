"""The scenario editor of the Pathways panel (issue #19): one scenario's assumptions in a table
(parameter, sector, fuel, period, value, unit, source), the period, value and source editable, every
edit undoable (Ctrl+Z / Ctrl+Shift+Z), saved under a key and name of the user's. The rows are
checked by the core (:func:`gis.carbon.pathways.parse_scenario_table`) before the dialog closes: a
value out of range or a bad period shows the core's bilingual message and the dialog stays open.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.charts.pathway_chart import fuel_text
from app.gui.i18n import pick, ui_lang

COLUMNS = ("parameter", "sector", "fuel", "period", "value", "unit", "source")
EDITABLE = ("period", "value", "source")


def tr(text: str) -> str:
    return QCoreApplication.translate("PathwaysPanel", text)


class _SetCell(QUndoCommand):
    """One cell's text from ``old`` to ``new`` (the table shows ``new`` already when pushed)."""

    def __init__(self, editor: ScenarioEditor, row: int, col: int, old: str, new: str) -> None:
        super().__init__(tr("Edit {0}").format(editor.table.horizontalHeaderItem(col).text()))
        self.editor, self.row, self.col, self.old, self.new = editor, row, col, old, new

    def redo(self) -> None:
        self.editor._put(self.row, self.col, self.new)

    def undo(self) -> None:
        self.editor._put(self.row, self.col, self.old)


class ScenarioEditor(QDialog):
    """Edit ``scenario`` (a :class:`gis.carbon.pathways.Scenario`). ``scenario()`` returns the edited
    one (raises InputError for a bad row); ``set_value(row, text)`` edits a value as the user would."""

    def __init__(self, scenario, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathways_editor")
        self.setWindowTitle(tr("Edit scenario"))
        self.resize(900, 560)
        self.original = scenario
        self.rows = scenario.rows.reset_index(drop=True)
        self.undo_stack = QUndoStack(self)
        self._shadow: dict[tuple[int, int], str] = {}
        self.error = ""

        key = scenario.name if scenario.name.endswith("_edited") else f"{scenario.name}_edited"
        self.key = QLineEdit(key)
        self.key.setObjectName("pathways_editor_key")
        zh = scenario.name_zh
        self.name = QLineEdit(zh if zh.endswith(tr(" (edited)")) else zh + tr(" (edited)"))
        form = QFormLayout()
        form.addRow(tr("Key"), self.key)
        form.addRow(tr("Name"), self.name)
        note = QLabel(tr("Values, periods and sources can be edited. The key natural, baseline or enhanced "
                         "replaces that scenario; another key adds one. Kept in the project."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #606060;")

        self.table = QTableWidget(len(self.rows), len(COLUMNS))
        self.table.setObjectName("pathways_editor_table")
        heads = (tr("Parameter"), tr("Sector"), tr("Fuel"), tr("Period or year"), tr("Value"), tr("Unit"),
                 tr("Source"))
        self.table.setHorizontalHeaderLabels(list(heads))
        self._fill()
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(COLUMNS.index("source"), QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._on_changed)

        self.undo_button = QPushButton(tr("Undo"))
        self.redo_button = QPushButton(tr("Redo"))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.undo_button.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_button.setShortcut(QKeySequence.StandardKey.Redo)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Save | std.Cancel)
        buttons.button(std.Save).setText(tr("Save and recompute"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        row.addStretch(1)
        row.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)

    def _fill(self) -> None:
        from gis.carbon.pathways import PARAMETERS
        from gis.carbon.sectors import sector_name

        lang = ui_lang()
        self.table.blockSignals(True)
        for i, r in enumerate(self.rows.to_dict("records")):
            spec = PARAMETERS.get(str(r["parameter"]))
            sector = str(r.get("sector") or "all")
            shown = {"parameter": f"{spec.zh if lang == 'zh' else spec.en} ({r['parameter']})" if spec
                     else str(r["parameter"]),
                     "sector": (tr("all") if sector == "all" else sector_name(sector, lang)),
                     "fuel": fuel_text(r.get("fuel"), lang), "period": str(r.get("period") or ""),
                     "value": f"{float(r['value']):g}", "unit": str(r.get("unit") or ""),
                     "source": str(r.get("source") or "")}
            for j, col in enumerate(COLUMNS):
                item = QTableWidgetItem(shown[col])
                if col not in EDITABLE:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    item.setForeground(Qt.GlobalColor.darkGray)
                if col == "value":
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if col == "source":
                    item.setToolTip(shown[col])
                self.table.setItem(i, j, item)
                self._shadow[(i, j)] = shown[col]
        self.table.blockSignals(False)

    # -- edits -------------------------------------------------------------------------------------
    def _on_changed(self, item: QTableWidgetItem) -> None:
        key = (item.row(), item.column())
        old, new = self._shadow.get(key, ""), item.text()
        if old != new:
            self.undo_stack.push(_SetCell(self, item.row(), item.column(), old, new))

    def _put(self, row: int, col: int, text: str) -> None:
        self._shadow[(row, col)] = text
        item = self.table.item(row, col)
        if item.text() != text:
            self.table.blockSignals(True)
            item.setText(text)
            self.table.blockSignals(False)

    def set_value(self, row: int, text: str, column: str = "value") -> None:
        """Type ``text`` into ``row``'s ``column`` (an undoable edit)."""
        self.table.item(row, COLUMNS.index(column)).setText(str(text))

    def find_row(self, parameter: str, period: str | None = None) -> int:
        """The first row of ``parameter`` (and ``period``)."""
        hit = self.rows["parameter"] == parameter
        if period is not None:
            hit &= self.rows["period"].astype(str) == str(period)
        return int(hit.to_numpy().nonzero()[0][0])

    # -- result ------------------------------------------------------------------------------------
    def frame(self) -> pd.DataFrame:
        """The edited rows in the long scenario format (key and name from the fields)."""
        from gis.carbon.pathways import SCENARIO_COLUMNS

        out = self.rows[SCENARIO_COLUMNS].copy()
        for col in EDITABLE:
            j = COLUMNS.index(col)
            out[col] = [self._shadow[(i, j)] for i in range(len(out))]
        out["scenario"] = self.key.text().strip() or self.original.name
        out["scenario_zh"] = self.name.text().strip() or out["scenario"]
        out["status"] = [s if self._unchanged(i) else "user" for i, s in enumerate(out["status"])]
        return out

    def _unchanged(self, i: int) -> bool:
        r = self.rows.iloc[i]
        now = {c: self._shadow[(i, COLUMNS.index(c))] for c in EDITABLE}
        return (now["period"] == str(r["period"]) and now["source"] == str(r["source"] or "")
                and now["value"] == f"{float(r['value']):g}")

    def scenario(self):
        """The edited scenario, checked by the core (InputError names the bad row)."""
        from gis.carbon.pathways import parse_scenario_table

        return parse_scenario_table(self.frame(), tr("edited scenario"))[0]

    def accept(self) -> None:
        from gis.errors import InputError

        try:
            self.result_scenario = self.scenario()
        except InputError as err:
            self.error = pick(err.zh, err.en)
            QMessageBox.warning(self, tr("Edit scenario"), self.error)
            return
        super().accept()
