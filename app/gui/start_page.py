"""The start page shown over an empty map: open the sample park, build a park from your own data,
open a project or add data, and the recent projects. It hides as soon as the map has a layer."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

START_ACTIONS = ("open_sample", "new_park", "open", "add_data")
"""The window actions offered, in this order (their text and icon follow the window's)."""
PAGE_WIDTH_PX = 420


def tr(text: str) -> str:
    return QCoreApplication.translate("StartPage", text)


def plain_text(menu_text: str) -> str:
    """A menu item's text without its mnemonic ("打开项目(&O)…" → "打开项目…", "&Open" → "Open")."""
    return re.sub(r"\(&\w\)", "", menu_text).replace("&&", "\0").replace("&", "").replace("\0", "&")


class ActionButton(QToolButton):
    """A wide button for a window action, its text without the menu's mnemonic. It follows the
    action through a slot of its own, so the connection ends with the button (a lambda would
    outlive it and touch a deleted widget)."""

    def __init__(self, action: QAction) -> None:
        super().__init__()
        self.action = action
        self.clicked.connect(action.trigger)
        action.changed.connect(self.follow)
        self.follow()

    def follow(self) -> None:
        a = self.action
        self.setText(plain_text(a.text()))
        self.setIcon(a.icon())
        self.setToolTip(a.statusTip() or a.toolTip())
        self.setEnabled(a.isEnabled())


class StartPage(QFrame):
    """A card centred on ``host`` (the map canvas) while the map is empty."""

    def __init__(self, host: QWidget, actions: dict[str, QAction], recent: Callable[[], list[Path]],
                 open_recent: Callable[[Path], object]) -> None:
        super().__init__(host)
        self.setObjectName("start_page")
        self._recent, self._open_recent = recent, open_recent
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#start_page { background: rgba(255,255,255,0.96); border: 1px solid #c8cdd2;"
                           " border-radius: 6px; } QToolButton { text-align: left; padding: 6px; }")
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons: dict[str, ActionButton] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 16, 18, 16)
        lay.addWidget(self.title)
        lay.addWidget(self.hint)
        for name in START_ACTIONS:
            if name not in actions:
                continue
            b = ActionButton(actions[name])
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.buttons[name] = b
            lay.addWidget(b)
        self.recent_label = QLabel()
        self.recent_list = QListWidget()
        self.recent_list.setMaximumHeight(150)
        self.recent_list.itemActivated.connect(self._activated)
        self.recent_list.itemClicked.connect(self._activated)
        lay.addWidget(self.recent_label)
        lay.addWidget(self.recent_list)
        host.installEventFilter(self)  # follow the map's size
        self.retranslate_ui()
        self.refresh()

    def retranslate_ui(self) -> None:
        self.title.setText(tr("Lingtan · zero-carbon park planning"))
        self.hint.setText(tr("Start with the sample park, or build a park from your own red line and "
                             "building footprints."))
        self.recent_label.setText(tr("Recent projects"))

    def refresh(self) -> None:
        """Reload the recent projects and place the card."""
        self.recent_list.clear()
        for path in self._recent():
            item = QListWidgetItem(path.name)
            item.setToolTip(str(path))
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.recent_list.addItem(item)
        has_recent = self.recent_list.count() > 0
        self.recent_label.setVisible(has_recent)
        self.recent_list.setVisible(has_recent)
        self._place()

    def _activated(self, item: QListWidgetItem) -> None:
        self._open_recent(Path(item.data(Qt.ItemDataRole.UserRole)))

    def _place(self) -> None:
        host = self.parentWidget()
        if host is None:
            return
        self.adjustSize()
        w = min(PAGE_WIDTH_PX, max(host.width() - 40, 200))
        h = self.sizeHint().height()
        self.setGeometry((host.width() - w) // 2, max((host.height() - h) // 2, 10), w, h)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._place()
        return super().eventFilter(obj, event)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
