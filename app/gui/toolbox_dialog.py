"""The enterprise energy toolbox in the desktop app (企业能源工具箱…): the Analysis menu entry (an
enterprise chosen from a searchable list), and right-click on an enterprise in the map or in the
attribute table of the grade layer (``enterprise_grades``) or the enterprise points. Each writes the
enterprise's PDF (:func:`app.toolbox.enterprise_toolbox`, :func:`app.report.toolbox_pages.write_toolbox_pdf`)
for the open project's park."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

ENTERPRISE_LAYERS = {"enterprise_grades": "enterprise_id", "enterprise_points": "entity"}
"""Layers whose features are enterprises, and the field holding the enterprise id."""


def tr(text: str) -> str:
    return QCoreApplication.translate("Toolbox", text)


class EnterprisePicker(QDialog):
    """A searchable list of the park's enterprises (id and name); :meth:`chosen` is the id picked."""

    def __init__(self, choices: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Enterprise energy toolbox"))
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(tr("Search by id or name"))
        self.list = QListWidget()
        for ent_id, name in choices:
            item = QListWidgetItem(f"{ent_id}  {name}".strip())
            item.setData(Qt.ItemDataRole.UserRole, ent_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.search.textChanged.connect(self.apply_filter)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(tr("Choose the enterprise (its carbon-efficiency grade, rooftop PV, PV + "
                                "storage + green-power package and what each measure does to its grade go "
                                "into a PDF):")))
        lay.addWidget(self.search)
        lay.addWidget(self.list)
        lay.addWidget(buttons)
        self.resize(460, 420)

    def apply_filter(self, text: str = "") -> None:
        """Show the enterprises whose id or name contains ``text`` (any case); select the first shown."""
        needle = str(text).strip().lower()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hide = bool(needle) and needle not in item.text().lower()
            item.setHidden(hide)
            if not hide and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else str(item.data(Qt.ItemDataRole.UserRole))


def _lang() -> str:
    from app.gui.i18n import ui_lang

    return ui_lang()


def make_toolbox_pdf(window, enterprise_id: str | None = None, path: str | Path | None = None):
    """Write the toolbox PDF of ``enterprise_id`` (asked for with :class:`EnterprisePicker` when None)
    of the open project's park to ``path`` (asked for when None) in a background task. Returns the
    task's handle (its result: the PDF), or None when cancelled or impossible (said in a message box)."""
    from app.report.toolbox_pages import write_toolbox_pdf
    from app.toolbox import enterprise_choices, enterprise_toolbox

    park = getattr(window.workspace, "park", None)
    if park is None or getattr(park, "enterprises", None) is None:
        QMessageBox.information(window, tr("Enterprise energy toolbox"),
                                tr("Open or create a park with an enterprise energy table first."))
        return None
    if enterprise_id is None:
        picker = EnterprisePicker(enterprise_choices(park), window)
        if not picker.exec() or picker.chosen() is None:  # 0: rejected
            return None
        enterprise_id = picker.chosen()
    if path is None:
        safe = re.sub(r'[\\/:*?"<>|]+', "_", str(enterprise_id))
        path, _ = QFileDialog.getSaveFileName(window, tr("Save the enterprise toolbox PDF"),
                                              f"{safe}_企业能源工具箱.pdf", "PDF (*.pdf)")
        if not path:
            return None
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    from app.gui.tasks import run_task

    lang, ent = _lang(), str(enterprise_id)

    def work(progress):  # the battery sizing takes seconds: in a worker, with progress and Cancel
        result = enterprise_toolbox(park, ent, progress=progress.sub(0.0, 0.9))
        return write_toolbox_pdf(result, path, lang, progress=progress.sub(0.9, 1.0))

    def done(written) -> None:
        window.statusBar().showMessage(tr("Enterprise toolbox written: {0}").format(written), 10000)

    # bad input (an InputError) is shown by the task in the UI language, like every analysis
    return run_task(window, tr("Enterprise energy toolbox"), work, done)


def enterprise_of(layer, row: int) -> str | None:
    """The enterprise id of feature ``row`` of an enterprise layer (None for another layer or none)."""
    field = ENTERPRISE_LAYERS.get(getattr(layer, "name", ""))
    gdf = getattr(layer, "gdf", None)
    if field is None or gdf is None or field not in gdf.columns or not 0 <= row < len(gdf):
        return None
    v = gdf[field].iloc[row]
    return None if v is None or str(v).strip() in ("", "nan", "<NA>") else str(v).strip()


def _menu_for(window, ent_id: str, parent: QWidget) -> QMenu:
    menu = QMenu(parent)
    act = menu.addAction(tr("Enterprise energy toolbox ({0})…").format(ent_id))
    act.triggered.connect(lambda _checked=False: make_toolbox_pdf(window, ent_id))
    return menu


def table_menu_at(window, pos: QPoint) -> QMenu | None:
    """The right-click menu for the attribute table's row at viewport ``pos`` (None: not an enterprise)."""
    table = window.attribute_table
    index = table.view.indexAt(pos)
    if not index.isValid() or table.layer is None:
        return None
    ent_id = enterprise_of(table.layer, int(table.model.view[index.row()]))
    return _menu_for(window, ent_id, table.view) if ent_id is not None else None


def _table_menu(window, pos: QPoint) -> None:
    menu = table_menu_at(window, pos)
    if menu is not None:
        menu.exec(window.attribute_table.view.viewport().mapToGlobal(pos))


def map_enterprise_at(window, px: float, py: float) -> str | None:
    """The enterprise under canvas pixel (px, py) in the top-most visible enterprise layer."""
    canvas = window.canvas
    for layer in reversed(window.workspace.tree.visible_layers()):  # top-most first
        if getattr(layer, "name", "") in ENTERPRISE_LAYERS and hasattr(layer, "gdf"):
            rows = canvas.features_at_pixel(px, py, layer)
            if len(rows):
                return enterprise_of(layer, int(rows[0]))
    return None


def _map_menu(window, pos: QPoint) -> None:
    ent_id = map_enterprise_at(window, pos.x(), pos.y())
    if ent_id is not None:
        _menu_for(window, ent_id, window.canvas).exec(window.canvas.mapToGlobal(pos))


class _OnLanguageChange(QObject):
    """Calls ``retranslate`` when ``window`` receives a LanguageChange event (a new translator)."""

    def __init__(self, window, retranslate) -> None:
        super().__init__(window)
        self._retranslate = retranslate
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        return False


def install_toolbox(window) -> QAction:
    """Analysis → 企业能源工具箱… and the right-click entries on enterprises (map and attribute
    table). Returns the menu action (its text follows the language)."""
    act = QAction(window)
    act.setObjectName("act_enterprise_toolbox")
    act.triggered.connect(lambda _checked=False: make_toolbox_pdf(window))
    window.menu_analysis.addAction(act)
    window.actions_by_name["enterprise_toolbox"] = act

    def retranslate() -> None:
        act.setText(tr("Enterprise Energy Toolbox…"))
        act.setToolTip(tr("One enterprise's energy, CO2, grade, rooftop PV, PV + storage + green-power "
                          "package and what each measure does to its grade, as a PDF"))

    retranslate()
    window._toolbox_language = _OnLanguageChange(window, retranslate)  # kept alive with the window
    view = window.attribute_table.view
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(lambda pos: _table_menu(window, pos))
    canvas = window.canvas
    canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    canvas.customContextMenuRequested.connect(lambda pos: _map_menu(window, pos))
    return act
