"""The start page over an empty map: the four ways in and the recent projects; gone once the map
has a layer, back for a new empty project."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def window(qapp, qtbot, tmp_path, monkeypatch):
    from app.gui import i18n, project_actions
    from app.gui.app import create_app
    from app.gui.main_window import MainWindow
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    monkeypatch.setattr(project_actions, "ask_save_changes", lambda mw: "discard")
    i18n.reset_for_tests()
    create_app(lang="zh")
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.workspace.mark_clean()
    i18n.reset_for_tests()


def test_empty_map_shows_the_start_page_in_chinese(window):
    page = window.start_page
    assert page.isVisible()
    assert list(page.buttons) == ["open_sample", "new_park", "open", "add_data"]
    texts = [b.text() for b in page.buttons.values()]
    assert "打开示例园区" in texts[0] and "新建园区" in texts[1]
    assert "零碳" in page.title.text()
    # centred on the map
    c, g = window.canvas, page.geometry()
    assert abs(g.center().x() - c.width() / 2) < 3 and g.top() > 0 and g.bottom() < c.height()


def test_start_page_hides_with_data_and_returns_for_a_new_project(window, qtbot, tmp_path):
    from app.gui import project_actions
    from app.project_file import save_project
    from app.workspace import Workspace
    from gis.park import load_sample_park

    ws = Workspace(lang="zh")
    ws.set_park(load_sample_park())
    saved = save_project(ws, tmp_path / "示例.lingtan.gpkg")
    project_actions.add_recent(saved)
    window.set_workspace(ws)
    assert not window.start_page.isVisible()
    window.new_project()
    qtbot.waitUntil(lambda: window.start_page.isVisible(), timeout=5000)
    page = window.start_page
    assert page.recent_list.count() == 1 and page.recent_list.item(0).text() == saved.name
    page.recent_list.itemClicked.emit(page.recent_list.item(0))  # opens it
    qtbot.waitUntil(lambda: window.workspace.path is not None, timeout=30_000)
    qtbot.waitUntil(lambda: not window.start_page.isVisible(), timeout=10_000)
