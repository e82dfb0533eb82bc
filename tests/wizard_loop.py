"""File → New Park run to the end again and again in the Chinese main window on real OSM buildings,
the map drawing meanwhile (run by tests/test_new_park_wizard_fixes.py in a subprocess under
faulthandler, so that a native crash fails that test instead of ending the test run).

Usage: wizard_loop.py N SETTINGS_DIR BUILDINGS_FILE. Each round: a fresh project (every other
round) or the previous round's park, the red line a 400 m circle around the buildings' centre,
the wizard's steps walked with Next and Create Park (创建园区) pressed; the park-making task must
end "done" with buildings in the park."""

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
