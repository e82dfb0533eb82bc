"""Switch the desktop app's language back and forth while dialogs open and close, panels show and
hide, projects change and the map renders (run by tests/test_gui_language.py in a subprocess, so a
native crash fails that test instead of ending the test run). Usage: language_loop.py N SETTINGS_DIR."""

from __future__ import annotations

import faulthandler
import gc
import os
import sys

faulthandler.enable()


def main(rounds: int, folder: str) -> int:
    os.environ["LINGTAN_DATA_DIR"] = os.path.join(folder, "data")
    from app.gui.settings import use_settings_dir

    use_settings_dir(os.path.join(folder, "settings"))
    from app.gui.algorithm_dialog import AlgorithmDialog
    from app.gui.app import create_app
    from app.gui.main_window import MainWindow
    from app.processing.registry import algorithms
    from app.results import run_park_analyses
    from app.workspace import Workspace
    from gis.park import load_sample_park

    app = create_app(lang="zh")
    ws = Workspace(lang="zh")
    ws.set_results(run_park_analyses(load_sample_park()))
    ws.mark_clean()
    w = MainWindow(ws)
    w.show()
    app.processEvents()
    for i in range(rounds):
        lang = "en" if i % 2 == 0 else "zh"
        w.show_settings()  # the reported crash: back to 中文, then Settings
        dlg = w.last_dialog
        app.processEvents()
        dlg._select(dlg.language, lang)
        dlg.accept()
        app.processEvents()
        w.show_settings()
        app.processEvents()
        w.last_dialog.reject()
        if i % 3 == 0:
            w.set_language("zh" if lang == "en" else "en")
        w.canvas.zoom_by(1.1)
        for entry in w.panels.values():
            entry.dock.setVisible(i % 2 == 0)
        if i % 4 == 1:
            w.set_workspace(Workspace(lang=lang))
            app.processEvents()
            w.set_workspace(ws)
        if i % 5 == 2:
            for alg in algorithms()[:3]:
                d = AlgorithmDialog(alg, w.workspace, w)
                d.show()
                app.processEvents()
                d.close()
                d.deleteLater()
        app.processEvents()
        gc.collect()
    w.canvas.wait_for_render(20_000)
    print("rounds done", rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]), sys.argv[2]))
