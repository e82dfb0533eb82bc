"""File → New Park run to the end again and again in the Chinese main window on real OSM buildings,
the map drawing meanwhile (run by tests/test_new_park_wizard_fixes.py in a subprocess under
faulthandler, so that a native crash fails that test instead of ending the test run).

Usage: wizard_loop.py N SETTINGS_DIR BUILDINGS_FILE. Each round: a fresh project (every other
round) or the previous round's park; the red line a 400 m circle around the buildings' centre
(a layer, or read with "From file…" every fourth round), or drawn on the map with the mouse (every
third round); the wizard's steps walked with Next and Create Park (创建园区) pressed; the
park-making task must end "done" with buildings in the park."""

from __future__ import annotations

import faulthandler
import gc
import os
import sys
import time

faulthandler.enable()

CGCS_114E = 4547
"""CGCS2000 3° Gauss–Krüger zone 38 (central meridian 114°E): Wuhan's official metric CRS."""


def _load_layers(window, buildings_file: str) -> None:
    import geopandas as gpd

    from layers.presets import styled_layer

    raw = gpd.read_file(buildings_file)
    centre = raw.to_crs(CGCS_114E).union_all().centroid
    red = gpd.GeoDataFrame({"name": ["光谷园"]}, geometry=[centre.buffer(400)], crs=CGCS_114E)
    window.workspace.add_layer(styled_layer("osm_buildings", raw))
    window.workspace.add_layer(styled_layer("my_red_line", red))


def _draw(app, window, wiz) -> None:
    """The red line drawn on the map: four corners ~300 m around the view's centre, Enter."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    wiz.red_line_page.draw.click()
    app.processEvents()
    canvas = window.canvas
    w, h = canvas.width(), canvas.height()
    for fx, fy in ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7)):
        p = QPoint(int(w * fx), int(h * fy))
        QTest.mouseMove(canvas, p)
        QTest.mouseClick(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, p)
        app.processEvents()
    QTest.keyClick(canvas, Qt.Key.Key_Return)
    app.processEvents()


def _from_file(app, wiz, path: str) -> None:
    """"From file…" with the file dialog answering ``path``."""
    import app.gui.param_form as pf

    ask = pf.QFileDialog.getOpenFileName
    pf.QFileDialog.getOpenFileName = staticmethod(lambda *a, **k: (path, ""))
    try:
        wiz.findChild(type(wiz.red_line_page.draw), "from_file_boundary").click()
    finally:
        pf.QFileDialog.getOpenFileName = ask
    for handle in wiz.reads:
        handle.wait(60)
    app.processEvents()


def main(rounds: int, folder: str, buildings_file: str) -> int:
    os.environ["LINGTAN_DATA_DIR"] = os.path.join(folder, "data")
    from app.gui.settings import use_settings_dir

    use_settings_dir(os.path.join(folder, "settings"))
    from PySide6.QtWidgets import QWizard

    from app.gui.app import create_app, install_excepthook
    from app.gui.main_window import MainWindow
    from app.workspace import Workspace

    app = create_app(lang="zh")
    install_excepthook()
    import geopandas as gpd

    raw = gpd.read_file(buildings_file)
    centre = raw.to_crs(CGCS_114E).union_all().centroid
    red_file = os.path.join(folder, "光谷红线.geojson")
    gpd.GeoDataFrame({"name": ["光谷园"]}, geometry=[centre.buffer(300)], crs=CGCS_114E).to_crs(4326).to_file(
        red_file, driver="GeoJSON")
    w = MainWindow(Workspace(lang="zh"))
    w.resize(1280, 800)
    w.show()
    app.processEvents()
    for i in range(rounds):
        if i % 2 == 0:
            w.set_workspace(Workspace(lang="zh"))
            _load_layers(w, buildings_file)
        app.processEvents()
        wiz = w.new_park()
        app.processEvents()
        if i % 3 == 1:
            w.canvas.zoom_full()
            app.processEvents()
            _draw(app, w, wiz)
        elif i % 4 == 3:
            _from_file(app, wiz, red_file)
            box = getattr(w, "last_report_dialog", None)
            if box is not None:
                box.close()
        if not wiz.red_line_page.isComplete():
            print(f"round {i}: no red line", file=sys.stderr)
            return 6
        for _ in range(2):
            wiz.next()
            app.processEvents()
        before = len(w.tasks)
        wiz.button(QWizard.WizardButton.FinishButton).click()  # 创建园区
        app.processEvents()
        handles = w.tasks[before:] or list(w.tasks)
        if not handles:
            print(f"round {i}: no task started", file=sys.stderr)
            return 2
        handle = handles[-1]
        if not handle.wait(300):
            print(f"round {i}: the task did not end", file=sys.stderr)
            return 3
        if handle.state != "done":
            print(f"round {i}: {handle.state} {handle.error!r}\n{handle.traceback}", file=sys.stderr)
            return 4
        t = time.monotonic()
        while time.monotonic() - t < 0.3:  # the map draws the new park meanwhile
            app.processEvents()
        park = w.workspace.park
        if park is None or len(park.buildings) == 0:
            print(f"round {i}: no park", file=sys.stderr)
            return 5
        gc.collect()
        print(f"round {i}: {len(park.buildings)} buildings", flush=True)
    w.canvas.wait_for_render(20_000)
    print("rounds done", rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
