"""Shared fixtures. Tests run headless and never touch the network."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config) -> None:
    """One QApplication for the whole run, made before any test renders: layers.render makes a
    plain QGuiApplication when none exists (the CLI's PNG export), and Qt allows one application
    per process, so a later widget test would find no QApplication and abort."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        config._lingtan_qapp = QApplication(["lingtan-tests"])
SHARED_DATA = Path(os.environ.get("LINGTAN_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def shared_data() -> Path:
    """../shared/data (real files for tests); skip cleanly when absent (a user's clone)."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


def shared(*parts: str) -> Path:
    """A path inside ../shared/data, skipping the test when it is missing."""
    p = SHARED_DATA.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not present")
    return p


# The English main window of the GUI tests that do not make their own (a module's own `gui` or
# `window` fixture takes precedence).
@pytest.fixture
def gui(qapp, tmp_path, monkeypatch):
    """The app in English with its settings and data folders in ``tmp_path``."""
    from app.gui import i18n
    from app.gui.app import create_app
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    app = create_app(lang="en")
    yield app
    i18n.reset_for_tests()


@pytest.fixture
def window(gui, qtbot, monkeypatch):
    """A shown 1000 × 700 main window that discards unsaved changes when closed."""
    from app.gui import project_actions
    from app.gui.main_window import MainWindow

    monkeypatch.setattr(project_actions, "ask_save_changes", lambda mw: "discard")
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.workspace.mark_clean()
