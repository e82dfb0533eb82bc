"""Switching the language: no native crash however often it is switched (the walk-through once saw
a segfault in libshiboken6 after switching back to 中文 and opening Settings), and an English UI
shows no Chinese text left over from the Chinese one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_language_switch_loop_never_crashes(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    p = subprocess.run([sys.executable, str(REPO / "tests" / "language_loop.py"), "12", str(tmp_path)],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    assert "rounds done 12" in p.stdout


def test_english_ui_has_no_chinese_left(qapp, qtbot, tmp_path, monkeypatch):
    """Every label, button, group, tab, dock title and action of the window with all panels shown
    is English after switching from Chinese (the park's own name is the user's data)."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractButton, QDockWidget, QGroupBox, QLabel, QTabWidget

    from app.gui import i18n
    from app.gui.app import create_app
    from app.gui.main_window import MainWindow
    from app.gui.settings import use_settings_dir
    from app.results import run_park_analyses
    from app.workspace import Workspace
    from gis.park import load_sample_park

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    create_app(lang="zh")
    park = load_sample_park()
    ws = Workspace(lang="zh")
    ws.set_results(run_park_analyses(park))
    ws.mark_clean()
    w = MainWindow(ws)
    qtbot.addWidget(w)
    w.show()
    for entry in w.panels.values():
        entry.dock.show()
    try:
        w.set_language("en")
        qapp.processEvents()
        allowed = {park.name, "中文"}
        texts = [x.text() for x in w.findChildren(QAbstractButton)]
        texts += [x.text() for x in w.findChildren(QLabel)]
        texts += [x.title() for x in w.findChildren(QGroupBox)]
        texts += [x.windowTitle() for x in w.findChildren(QDockWidget)]
        texts += [x.text() for x in w.findChildren(QAction)]
        texts += [t.tabText(i) for t in w.findChildren(QTabWidget) for i in range(t.count())]
        left = sorted({t for t in texts if CJK.search(t or "") and t not in allowed})
        assert not left, left
    finally:
        w.workspace.mark_clean()
        i18n.reset_for_tests()


def test_progress_messages_are_chinese_in_the_chinese_ui(qapp, tmp_path):
    """The report's "page 14/16" and other step messages of the core reach the progress window
    in Chinese (the walk-through saw "page 14/16" in the Chinese UI)."""
    from app.gui import i18n
    from app.gui.settings import use_settings_dir
    from app.gui.tasks import progress_text

    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    i18n.install_translator(qapp, "zh")
    try:
        assert progress_text("page 14/16") == "第 14/16 页"
        assert progress_text("report written (0.3 s)") == "报告已写入（0.3 秒）"
        assert progress_text("reading 建筑") == "读取 建筑"
        # a tiled run on a cluster (gis/scale/cluster.py's messages)
        assert progress_text("planning tiles and starting the cluster") == "规划分块并启动计算集群"
        assert progress_text("tile 7/42 (2 workers)") == "分块 7/42（2 个工作进程）"
        assert progress_text("tile 7/42") == "分块 7/42"
        assert progress_text("something new") == "something new"  # unknown: shown as it is
        i18n.install_translator(qapp, "en")
        assert progress_text("page 14/16") == "page 14/16"
    finally:
        i18n.reset_for_tests()


@pytest.mark.parametrize("mode", ["open", "save"])
def test_qt_file_dialog_is_chinese_in_the_chinese_ui(qapp, tmp_path, mode):
    """Qt's own file dialog (the one Linux users get) has no English label left: the walk-through
    saw "Look in:" and "Files of type:" (Qt 6's "&Look in:" is missing from Qt's zh_CN catalogue)."""
    from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

    from app.gui import i18n
    from app.gui.settings import use_settings_dir

    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    i18n.install_translator(qapp, "zh")
    try:
        dlg = QFileDialog(None, "x")
        dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if mode == "save":
            dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        texts = [w.text() for w in dlg.findChildren(QLabel) + dlg.findChildren(QAbstractButton)]
        english = [t for t in texts if re.search("[A-Za-z]{3}", t) and not CJK.search(t)]
        assert not english, english
        assert dlg.labelText(QFileDialog.DialogLabel.LookIn) == "查找范围(&L)："
        dlg.deleteLater()
    finally:
        i18n.reset_for_tests()
