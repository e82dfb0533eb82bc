"""The Processing menu: one entry per declared algorithm, grouped, opening its generated dialog."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from app.gui.tasks import ui_lang
from app.processing.registry import algorithms


class ProcessingMenu(QMenu):
    """处理 / Processing: the algorithms by group; the texts follow the UI language."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("menu_processing")
        self.window_ = window
        self.actions_by_id: dict[str, QAction] = {}
        self._groups: dict[str, QMenu] = {}
        for alg in algorithms():
            group = self._groups.get(alg.group_en)
            if group is None:
                group = self.addMenu("")
                group.setObjectName(f"menu_processing_{alg.group_en}")
                self._groups[alg.group_en] = group
            act = QAction(self)
            act.setObjectName(f"act_algorithm_{alg.id}")
            act.triggered.connect(lambda _checked=False, a=alg: self.open(a))
            group.addAction(act)
            self.actions_by_id[alg.id] = act
        self.retranslate()

    def open(self, alg):
        from app.gui.algorithm_dialog import open_algorithm

        return open_algorithm(self.window_, self.window_.workspace, alg)

    def retranslate(self) -> None:
        zh = ui_lang() == "zh"
        self.setTitle("处理(&P)" if zh else "&Processing")
        for alg in algorithms():
            group = self._groups[alg.group_en]
            group.setTitle(alg.group_zh if zh else alg.group_en)
            act = self.actions_by_id[alg.id]
            act.setText(alg.title("zh" if zh else "en") + "…")
            act.setStatusTip(alg.summary_zh if zh else alg.summary_en)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
