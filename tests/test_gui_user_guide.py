"""Help → User Guide opens the shipped guide (Chinese in the Chinese UI) offline, and every
screenshot it shows is in resources/guide/images."""

from __future__ import annotations

import re

import pytest

from gis.paths import resources_dir


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_guide_pages_show_only_images_that_exist(lang):
    from app.gui.user_guide import guide_path

    page = guide_path(lang)
    assert page.parent.name == lang
    html = page.read_text(encoding="utf-8")
    images = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert len(images) >= 5
    for src in images:
        assert (page.parent / src).resolve().is_file(), src
    assert not re.search(r'src="https?:', html)  # offline


def test_help_opens_the_chinese_guide(qapp, qtbot, tmp_path, monkeypatch):
    from app.gui import i18n, project_actions
    from app.gui.app import create_app
    from app.gui.main_window import MainWindow
    from app.gui.settings import use_settings_dir
    from app.gui.user_guide import GuideDialog

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    monkeypatch.setattr(project_actions, "ask_save_changes", lambda mw: "discard")
    i18n.reset_for_tests()
    create_app(lang="zh")
    try:
        w = MainWindow()
        qtbot.addWidget(w)
        w.actions_by_name["user_guide"].trigger()
        dlg = w.last_dialog
        assert isinstance(dlg, GuideDialog) and dlg.isVisible()
        assert dlg.page == resources_dir() / "guide" / "zh" / "index.html"
        text = dlg.browser.toPlainText()
        assert "新建园区" in text and "用户指南" in dlg.windowTitle()
        dlg.close()
    finally:
        i18n.reset_for_tests()
