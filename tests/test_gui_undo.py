"""Edit → Undo / Redo of layer-tree edits (pytest-qt, offscreen): remove, rename, move between
groups, visibility, opacity (a slider drag is one step), style, remove a group with its layers.

Each test records the tree's state before the edit (order, groups, titles, styles as JSON) and
checks that undo brings back exactly that, and redo the edited state."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt

from layers.layer import VectorLayer
from layers.style import SingleStyle


@pytest.fixture
def gui(qapp, tmp_path, monkeypatch):
    from app.gui import i18n
    from app.gui.app import create_app
    from app.gui.settings import use_settings_dir

    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "data"))
    use_settings_dir(tmp_path / "settings")
    i18n.reset_for_tests()
    app = create_app(lang="en")
    yield app
    i18n.reset_for_tests()


def _layer(name: str, n: int = 30, colour: str = "#1f78b4") -> VectorLayer:
    rng = np.random.default_rng(len(name))
    gdf = gpd.GeoDataFrame({"value": rng.random(n) * 100, "kind": rng.choice(["a", "b", "c"], n)},
                           geometry=shapely.points(rng.random(n) * 1000, rng.random(n) * 1000), crs=4549)
    return VectorLayer(name, gdf, SingleStyle(fill=colour, outline="#333333"))


@pytest.fixture
def window(gui, qtbot, monkeypatch):
    from app.gui import project_actions
    from app.gui.main_window import MainWindow
    from app.workspace import Workspace

    monkeypatch.setattr(project_actions, "ask_save_changes", lambda mw: "discard")
    ws = Workspace(lang="en")
    inputs = ws.tree.add_group("Inputs")
    results = ws.tree.add_group("Results")
    for name, colour in (("roads", "#888888"), ("plots", "#b2df8a"), ("wells", "#e31a1c")):
        ws.tree.add_layer(_layer(name, colour=colour), inputs)
    ws.tree.add_layer(_layer("scores"), results)
    ws.mark_clean()
    w = MainWindow(ws)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.workspace.mark_clean()


def _state(tree) -> str:
    """Order, groups, visibility, opacity, titles and styles of every node (JSON)."""
    return json.dumps(tree.to_dict(), sort_keys=True)


def _act(window, name: str) -> None:
    window.actions_by_name[name].trigger()


def test_edit_menu_and_shortcuts(window):
    texts = [a.text() for a in window.menu_edit.actions()]
    assert texts == ["&Undo", "&Redo"]
    assert window.actions_by_name["undo"].shortcut().toString() == "Ctrl+Z"
    redo = [k.toString() for k in window.actions_by_name["redo"].shortcuts()]
    assert "Ctrl+Shift+Z" in redo
    assert not window.actions_by_name["undo"].isEnabled()


def test_remove_layer_undo_restores_place_and_style(window):
    tree = window.workspace.tree
    plots = tree.find("plots")
    plots.opacity = 0.6
    style = plots.style
    before = _state(tree)
    group, index = tree.parent(plots), tree.parent(plots).children.index(plots)
    window.layer_panel.set_current(plots)
    _act(window, "remove_layer")  # Layer → Remove Layer or Group
    assert tree.find("plots") is None
    assert window.actions_by_name["undo"].text() == "&Undo Remove plots"
    _act(window, "undo")
    assert tree.find("plots") is plots
    assert tree.parent(plots) is group and group.children.index(plots) == index
    assert plots.style is style and plots.opacity == 0.6
    assert _state(tree) == before
    # the restored layer is wired to the tree again: its changes reach the canvas/panel
    events = []
    tree.changed.connect(lambda _t, ev, node: events.append((ev, node)))
    plots.visible = False
    assert ("layer:visible", plots) in events
    _act(window, "redo")
    assert tree.find("plots") is None


def test_rename_move_visibility_opacity_and_style_undo(window, qtbot):
    tree = window.workspace.tree
    panel = window.layer_panel
    model = panel.model
    wells = tree.find("wells")
    original = _state(tree)
    # rename in the panel (F2 / double click ends in setData)
    assert model.setData(model.index_of(wells), "Water wells", Qt.ItemDataRole.EditRole)
    assert wells.title == "Water wells"
    _act(window, "undo")
    assert wells.title == "wells" and wells._title is None
    _act(window, "redo")
    assert wells.title == "Water wells"
    _act(window, "undo")
    # drag into the other group (the model's drop path)
    results = tree.find("Results")
    assert model.move_node(wells, results, 0)
    assert tree.parent(wells) is results
    _act(window, "undo")
    assert _state(tree) == original
    # hide by its check box
    assert model.setData(model.index_of(wells), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not wells.visible
    _act(window, "undo")
    assert wells.visible
    # an opacity slider drag is one step
    panel.set_current(wells)
    for v in (90, 70, 40, 25):
        panel.opacity.slider.setValue(v)
    assert wells.opacity == pytest.approx(0.25)
    _act(window, "undo")
    assert wells.opacity == 1.0
    # a style from the menu (five graduated classes of "value")
    old_style = wells.style
    panel.apply_graduated(wells, "value")
    assert wells.style is not old_style
    _act(window, "undo")
    assert wells.style is old_style
    assert _state(tree) == original


def test_remove_group_with_layers_and_undo(window):
    tree = window.workspace.tree
    inputs = tree.find("Inputs")
    before = _state(tree)
    layers = list(inputs.children)
    window.layer_panel.remove_node(inputs)
    assert tree.find("Inputs") is None and all(tree.find(ly.name) is None for ly in layers)
    _act(window, "undo")
    assert tree.find("Inputs") is inputs and [c for c in inputs.children] == layers
    assert all(tree.parent(ly) is inputs for ly in layers)
    assert _state(tree) == before
    assert window.workspace.dirty  # an undone edit is still a change of the project


def test_new_workspace_clears_the_steps(window):
    from app.workspace import Workspace

    window.layer_panel.remove_node(window.workspace.tree.find("roads"))
    assert window.undo_stack.canUndo()
    window.set_workspace(Workspace(lang="en"))
    assert not window.undo_stack.canUndo()
    assert not window.actions_by_name["undo"].isEnabled()


def test_raster_colours_undo(window):
    from layers.raster import RasterLayer

    a = np.arange(200, dtype=np.float32).reshape(10, 20)
    r = RasterLayer("dem", a, (500000.0, 10.0, 0.0, 3400000.0, 0.0, -10.0), "EPSG:32650")
    window.workspace.add_layer(r)
    before = r.colormap.to_dict()
    window.layer_panel.apply_raster_colours(r, "grey")
    assert [c for _, c in r.colormap.stops] == ["#000000", "#ffffff"]
    _act(window, "undo")
    assert r.colormap.to_dict() == before
