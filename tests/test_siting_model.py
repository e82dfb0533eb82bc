"""The siting model (app/siting/) without Qt: a script places turbines on the sample park,
evaluates, undoes and redoes, lays out and computes a PV array — in a subprocess where importing
PySide6 fails. References: a WindFarmModel built here on the same points; capacity as tables ×
28 modules × 575 W by hand."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
QT_ROOTS = {"PySide6", "PyQt5", "PyQt6", "qtpy", "shiboken6"}

SCRIPT = r"""
import json, sys

class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ImportError("Qt is blocked in this test: " + name)

sys.meta_path.insert(0, NoQt())

from app.siting import SitingModel
from app.workspace import Workspace
from gis.park import load_sample_park
from gis.wind.farm import demo_turbines

park = load_sample_park()
ws = Workspace(lang="en")
ws.set_park(park)
model = SitingModel(ws)
said = []
model.status.connect(said.append)
evaluated = []
model.wind.evaluated.connect(lambda res: evaluated.append(res is not None))
pts = [(g.x, g.y) for g in demo_turbines(park).geometry]
for x, y in pts:
    model.wind.place_work(x, y)
out = {"pts": pts, "ids": model.wind.ids, "aep": model.wind.result.turbines["aep_mwh"].tolist(),
       "layer_rows": len(ws.layer("turbines").gdf), "summary_aep": ws.summary["wind"]["aep_mwh"],
       "undo_text": model.history.undo_text()}
model.undo()
out["after_undo"] = [model.wind.ids, len(ws.layer("turbines").gdf), model.history.redo_text()]
model.redo()
out["after_redo"] = model.wind.ids
out["evaluated"] = evaluated
out["said"] = said
out["qt"] = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def park():
    from gis.park import load_sample_park

    return load_sample_park()


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_the_model_imports_no_qt_and_no_gui():
    bad = [f"{p.name}: {n}" for p in sorted((REPO / "app" / "siting").glob("*.py")) for n in _imports(p)
           if n.split(".")[0] in QT_ROOTS or n.startswith("app.gui")]
    assert bad == []


def test_a_script_drives_the_model_without_qt(park):
    """Place three turbines, evaluate, undo, redo — with PySide6 unimportable."""
    from gis.wind.farm import DEMO_TURBINE, WindFarmModel, demo_resource
    from gis.wind.turbines import load_turbine

    r = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["qt"] == []
    assert out["ids"] == ["WT1", "WT2", "WT3"]
    pts = np.array(out["pts"])
    ref = WindFarmModel(load_turbine(DEMO_TURBINE), demo_resource(park), crs=park.crs,
                        buildings=park.buildings, boundary=park.boundary)
    ref = ref.evaluate(pts[:, 0], pts[:, 1], ids=out["ids"])
    np.testing.assert_allclose(out["aep"], ref.turbines["aep_mwh"].to_numpy(), rtol=1e-12)
    assert out["summary_aep"] == pytest.approx(ref.totals["aep_mwh"])
    assert out["layer_rows"] == 3
    assert out["undo_text"] == "Place turbine WT3"
    assert out["after_undo"] == [["WT1", "WT2"], 2, "Place turbine WT3"]
    assert out["after_redo"] == ["WT1", "WT2", "WT3"]
    assert out["evaluated"] == [True] * 5  # three placements, the undo, the redo
    assert out["said"] == []


def test_array_area_layout_yield_and_undo(park):
    from app.siting import SitingModel
    from app.workspace import Workspace

    ws = Workspace(lang="en")
    ws.set_park(park)
    model = SitingModel(ws)
    laid = []
    model.array.laid_out.connect(lambda lay, ms: laid.append(lay))
    b = park.boundary.total_bounds
    x0, y0 = b[0] + 600, b[1] + 400
    model.array.set_area_from_canvas([(x0, y0), (x0 + 120, y0), (x0 + 120, y0 + 90), (x0, y0 + 90)])
    n = len(ws.layer("pv_array_tables").gdf)
    assert n > 10 and laid[-1] is model.array.layout
    assert model.array.layout.totals()["kwp"] == pytest.approx(n * 28 * 0.575)
    handle = model.array.compute_yield()  # the default runner: here and now
    assert handle.state == "done" and model.array.task is None
    assert ws.summary["pv_array"]["kwh_yr"] == model.array.result.totals["kwh_yr"] > 0
    assert "kwh_yr" in ws.layer("pv_array_tables").gdf
    assert model.undo()
    assert model.array.parts is None and len(ws.layer("pv_array_tables").gdf) == 0
    assert "pv_array" not in ws.summary and laid[-1] is None
    assert model.redo() and len(ws.layer("pv_array_tables").gdf) == n


def test_without_a_park_the_model_says_why():
    from app.siting import SitingModel
    from app.workspace import Workspace

    model = SitingModel(Workspace(lang="en"))
    said = []
    model.status.connect(said.append)
    model.wind.add_turbine(0.0, 0.0)
    model.array.set_area_from_canvas([(0, 0), (100, 0), (100, 100)])
    assert model.wind.ids == [] and model.array.parts is None and model.history.count() == 0
    assert said == ["No map yet: open a park or add data first"] * 2


def test_the_gui_translates_every_model_message():
    """app.gui.siting.siting_text has every key of app.siting.MESSAGES with the same English (so
    the "Siting" translations apply to what the model says)."""
    from app.siting import MESSAGES

    tree = ast.parse((REPO / "app" / "gui" / "siting.py").read_text(encoding="utf-8"))
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "siting_text")
    table = next(n for n in ast.walk(fn) if isinstance(n, ast.Dict))
    gui = {k.value: v.args[0].value for k, v in zip(table.keys, table.values, strict=True)}
    assert gui == MESSAGES


def test_array_keeps_off_the_parks_ponds_and_wetland(park):
    """An array area drawn over the whole park lays no table on its open water or wetland (the
    walk-through saw tables over the sample park's ponds); the zones say "water"."""
    import shapely

    from app.siting import SitingModel
    from app.workspace import Workspace

    ws = Workspace(lang="en")
    ws.set_park(park)
    model = SitingModel(ws)
    wet = park.green[park.green["cover_en"].isin(["open water", "wetland", "water"])]
    assert len(wet) >= 3  # the sample's ponds and wetland, by the park's own land-cover names
    x0, y0, x1, y1 = wet.total_bounds
    model.array.set_area_from_canvas([(x0 - 50, y0 - 50), (x1 + 50, y0 - 50), (x1 + 50, y1 + 50),
                                      (x0 - 50, y1 + 50)])
    tables = ws.layer("pv_array_tables").gdf
    assert len(tables) > 0
    water = shapely.union_all(wet.to_crs(tables.crs).geometry.to_numpy())
    overlap = shapely.area(shapely.intersection(tables.geometry.to_numpy(), water)).sum()
    assert overlap < 1.0  # m²
    assert "water" in set(ws.layer("pv_array_exclusions").gdf["kind"])
