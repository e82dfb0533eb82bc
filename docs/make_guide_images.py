"""Screenshots of the user guide (resources/guide/images): a planner's own park in the Chinese UI.

    QT_QPA_PLATFORM=offscreen python docs/make_guide_images.py [--buildings FILE]

The road of the guide: the start page, File → New Park over the user's red line and building
footprints (default: the Wuhan Optics Valley OSM extract of ../shared/data), the analysed park, the
attribute table with Chinese field names and a page of the PDF report (rendered with pdftoppm when
it is installed). Each image is the window as drawn by Qt, at 1280 × 800.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "resources" / "guide" / "images"
WUHAN = REPO.parent / "shared" / "data" / "buildings" / "wuhan_optics_valley_osm_buildings.geojson"
SIZE = (1280, 800)


def _settle(app, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=Path, default=WUHAN)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO))
    work = Path(tempfile.mkdtemp(prefix="lingtan-guide-"))
    os.environ["LINGTAN_DATA_DIR"] = str(work / "data")
    from app.gui.settings import use_settings_dir

    use_settings_dir(work / "settings")
    import geopandas as gpd

    from app.gui.algorithm_dialog import AlgorithmDialog
    from app.gui.app import create_app
    from app.gui.main_window import MainWindow
    from app.gui.open_data import make_layer
    from app.processing.registry import algorithm
    from app.results import run_park_analyses
    from app.workspace import Workspace
    from gis.crs import metric_frame
    from gis.park import build_park

    app = create_app(lang="zh")
    OUT.mkdir(parents=True, exist_ok=True)
    w = MainWindow()
    w.resize(*SIZE)
    w.show()
    _settle(app)
    w.grab().save(str(OUT / "01_start_page.png"))

    buildings = gpd.read_file(args.buildings)
    metric = metric_frame(buildings)
    centre = metric.union_all().centroid
    red = gpd.GeoDataFrame({"name": ["光谷示范园"]}, geometry=[centre.buffer(350).envelope],
                           crs=metric.crs)
    ws = Workspace(lang="zh")
    ws.add_layer(make_layer(ws, "红线", red))
    ws.add_layer(make_layer(ws, args.buildings.stem, buildings))
    w.set_workspace(ws)
    _settle(app)
    dlg = AlgorithmDialog(algorithm("new_park"), ws, w)
    dlg.show()
    _settle(app)
    dlg.grab().save(str(OUT / "02_new_park.png"))
    dlg.close()

    park = build_park({"boundary": red, "buildings": buildings}, name="光谷示范园", inside_only=True)
    results = run_park_analyses(park)
    done = Workspace(lang="zh")
    done.set_results(results)
    done.mark_clean()
    w.set_workspace(done)
    _settle(app)
    w.canvas.zoom_full()
    w.canvas.wait_for_render(30_000)
    _settle(app)
    w.grab().save(str(OUT / "03_park_results.png"))

    w.open_attribute_table(done.layer("rooftop_pv"))
    _settle(app)
    w.grab().save(str(OUT / "04_attribute_table.png"))

    if shutil.which("pdftoppm"):
        from app.report import build_report

        pdf = work / "report.pdf"
        build_report(results, pdf, "zh")
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf),
                        str(work / "page")], check=True)
        for k, page in enumerate(sorted(work.glob("page-*.png")), start=1):
            shutil.copy(page, OUT / f"05_report_page{k}.png")
    done.mark_clean()
    print("images in", OUT)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
