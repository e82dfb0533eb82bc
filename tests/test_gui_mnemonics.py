"""Every menu's Alt+letter shortcuts are unique, in Chinese and in English (Alt+F, R opened Recent
instead of Report)."""

from __future__ import annotations

import re

import pytest

from app.workspace import Workspace


@pytest.fixture(autouse=True)
def _own_settings(tmp_path):
    from app.gui.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings")


def _mnemonics(menu) -> list[str]:
    out = []
    for act in menu.actions():
        m = re.search(r"&([^&])", act.text())
        if m and act.isVisible():
            out.append(m.group(1).lower())
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_menu_mnemonics_are_unique(qtbot, lang):
    from app.gui.i18n import set_language
    from app.gui.main_window import MainWindow

    set_language(lang, save=False)
    win = MainWindow(Workspace())
    qtbot.addWidget(win)
    win.retranslate_ui()
    menus = [a.menu() for a in win.menuBar().actions() if a.menu() is not None]
    assert len(menus) >= 6
    for menu in menus:
        letters = _mnemonics(menu)
        dupes = {c for c in letters if letters.count(c) > 1}
        assert not dupes, (lang, menu.title(), [a.text() for a in menu.actions()])
    top = [re.search(r"&([^&])", a.text()).group(1).lower() for a in win.menuBar().actions()
           if re.search(r"&([^&])", a.text())]
    assert len(top) == len(set(top)), top
