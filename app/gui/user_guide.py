"""Help → User Guide: the guide shipped in resources/guide (Chinese or English, with screenshots),
shown in a window of the app itself so it works offline and in the installed program."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from gis.paths import resources_dir


def tr(text: str) -> str:
    return QCoreApplication.translate("UserGuide", text)


def guide_path(lang: str) -> Path:
    """The guide's HTML page in ``lang`` ("zh" or "en"; Chinese when the other is missing)."""
    folder = resources_dir() / "guide"
    page = folder / ("en" if lang == "en" else "zh") / "index.html"
    return page if page.is_file() else folder / "zh" / "index.html"


class GuideDialog(QDialog):
    """The user guide in a browser pane; links to other files open in the system's viewer."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("User Guide"))
        self.resize(980, 760)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.page = guide_path(lang)
        self.browser.setSource(QUrl.fromLocalFile(str(self.page)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser)
        lay.addWidget(buttons)
