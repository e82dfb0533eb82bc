"""The map gets most of the window: opening the sample park (a new workspace, a new map canvas)
must not hand the map's room to the docks (it shrank to ~50 px at 1440 × 900)."""

from __future__ import annotations

import pytest

from app.workspace import Workspace


@pytest.fixture(autouse=True)
def _own_settings(tmp_path):
    from app.gui.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings")


@pytest.mark.parametrize("size", [(1440, 900), (1280, 720)])
def test_the_map_keeps_its_room_after_opening_a_park(qtbot, size):
    from app.gui.main_window import MainWindow

    win = MainWindow(Workspace())
    qtbot.addWidget(win)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    before = win.canvas.width()
    handle = win.load_demo()
    assert handle is not None and handle.wait(180)
    qtbot.waitUntil(lambda: win.workspace.park is not None, timeout=10_000)
    qtbot.wait(200)  # the deferred dock sizes
    assert win.canvas.width() >= 0.4 * size[0], (before, win.canvas.width())
    win.workspace.mark_clean()
