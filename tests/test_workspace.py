"""The workspace model (no widgets): park and result layers in groups, dirty tracking, events."""

from __future__ import annotations

import json

import pytest

from app.results import run_park_analyses
from app.workspace import Workspace, compose_results
from gis.park import load_sample_park, sample_sources, summarise_park
from layers.tree import LayerGroup


@pytest.fixture(scope="module")
def park():
    return load_sample_park()


@pytest.fixture(scope="module")
def results(park):
    return run_park_analyses(park)


def _structure(ws):
    return [(g.name, [c.name for c in g.children]) for g in ws.tree.root.children]


def test_load_sample_puts_inputs_in_a_group(park):
    ws = Workspace()
    events = []
    ws.changed.connect(lambda w, what: events.append(what))
    got = ws.load_sample()
    assert ws.park is got and got.name == park.name
    assert _structure(ws) == [("输入", ["townships", "green", "tree_rows", "buildings", "boundary"])]
    assert {lyr.name: len(lyr.gdf) for lyr in ws.layers()} == {
        "townships": 26, "green": 138, "tree_rows": 18, "buildings": 619, "boundary": 1}
    assert not ws.layer("townships").visible and ws.layer("buildings").visible
    assert ws.layer("buildings").title == "建筑"
    assert ws.dirty and {"park", "layers", "results", "dirty"} <= set(events)
    # the park's figures are the dashboard's until analyses ran
    assert ws.summary["buildings"]["count"] == 619 and ws.results is None
    assert ws.map_crs() == park.crs and ws.map_crs().to_epsg() == 4549


def test_load_park_from_sources_english_titles():
    ws = Workspace(lang="en")
    ws.load_park(sample_sources())
    assert ws.layer("boundary").title == "Park boundary"
    assert _structure(ws)[0][0] == "Inputs"
    ws.set_language("zh")
    assert ws.layer("boundary").title == "园区红线" and _structure(ws)[0][0] == "输入"


def test_set_results_adds_styled_layers_above_inputs(park, results):
    ws = Workspace()
    ws.set_park(park)
    ws.mark_clean()
    ws.set_results(results)
    assert _structure(ws) == [
        ("输入", ["townships", "green", "tree_rows", "buildings", "boundary"]),
        ("结果", ["township_intensity", "green_sinks", "tree_sinks", "rooftop_pv"])]
    pv = ws.layer("rooftop_pv")
    assert pv.style.value_field == "kwh_per_m2"  # layers.presets: kWh per m² of roof
    assert ws.layer("township_intensity").style.field == "class"
    assert not ws.layer("township_intensity").visible
    assert ws.summary is results.summary and ws.results is results and ws.dirty
    # draw order: results on top of the inputs
    names = [lyr.name for lyr in ws.tree.layers()]
    assert names.index("rooftop_pv") > names.index("buildings")


def test_replacing_results_keeps_place_visibility_opacity(park, results):
    ws = Workspace()
    ws.set_results(results)  # adopts the park
    assert ws.park is park
    pv = ws.layer("rooftop_pv")
    pv.visible, pv.opacity = False, 0.5
    ws.tree.move(pv, ws.group("results"), 0)
    version = pv.data_version
    again = run_park_analyses(park)
    ws.set_results(again)
    assert ws.layer("rooftop_pv") is pv and pv.data_version > version
    assert not pv.visible and pv.opacity == 0.5
    assert ws.group("results").children[0] is pv
    assert pv.gdf["kwh_yr"].sum() == pytest.approx(again.summary["pv"]["kwh_yr"], rel=1e-6)


def test_partial_results_touch_only_their_layers(park, results):
    ws = Workspace()
    ws.set_results(results)
    towns = ws.layer("township_intensity")
    style_before = towns.style
    partial = compose_results(park, pv=results.pv, base=ws.results, base_summary=ws.summary)
    ws.set_results(partial, only={"rooftop_pv"})
    assert ws.layer("township_intensity") is towns and towns.style is style_before
    # kept from the live results (compared as JSON: NaN != NaN in dicts)
    assert json.dumps(ws.summary["carbon"], sort_keys=True) == json.dumps(results.summary["carbon"],
                                                                          sort_keys=True)
    # a result layer absent from full results is removed
    no_towns = compose_results(park, pv=results.pv, account=results.account)
    ws.set_results(no_towns)
    assert ws.layer("township_intensity") is None and ws.layer("rooftop_pv") is not None


def test_compose_results_summary_like_run_park_analyses(park, results):
    composed = compose_results(park, pv=results.pv, account=results.account, intensity=results.intensity)
    assert set(composed.summary) == set(results.summary)
    assert composed.summary["pv"] == results.summary["pv"]
    assert composed.summary["buildings"] == summarise_park(park)["buildings"]
    # sections of a reopened project's summary survive a partial run
    kept = compose_results(park, pv=results.pv, base_summary={**summarise_park(park), "carbon": {"x": 1}})
    assert kept.summary["carbon"] == {"x": 1} and "pv" in kept.summary


def test_parts_carry_over_to_a_park_with_another_energy_table(park, results):
    """Carbon accounting with another energy table runs on a new Park sharing the layer frames
    (app.gui.analyses.park_with_table): the live PV and township map must stay in the results."""
    import dataclasses

    ws = Workspace()
    ws.set_results(results)
    other = dataclasses.replace(park, enterprises=park.enterprises.copy())
    assert other is not park
    # carbon accounting alone: pv and intensity come from the live results
    composed = compose_results(other, account=results.account, base=ws.results, base_summary=ws.summary)
    assert composed.pv is results.pv and composed.intensity is results.intensity
    assert {"rooftop_pv", "township_intensity", "green_sinks"} <= set(composed.layers())
    assert composed.summary["pv"]["kwh_yr"] == pytest.approx(float(results.pv.totals["kwh_yr"]))
    ws.set_results(composed, only={"green_sinks", "tree_sinks"})
    assert {"rooftop_pv", "township_intensity"} <= set(ws.results.layers())
    # rooftop PV redoing the account (start_pv): the township map stays
    again = compose_results(other, pv=results.pv, account=results.account, base=ws.results,
                            base_summary=ws.summary)
    assert again.intensity is results.intensity and "township_intensity" in again.layers()
    # a park with other layers does not take the base's parts
    moved = dataclasses.replace(park, buildings=park.buildings.copy())
    fresh = compose_results(moved, account=results.account, base=ws.results)
    assert fresh.pv is None and fresh.intensity is None and "rooftop_pv" not in fresh.layers()


def test_siting_layers_go_to_results_in_order_and_are_retitled(park, results):
    from app.results import ParkResults, add_demo_siting

    siting = add_demo_siting(ParkResults(park=park, pv=results.pv, account=results.account,
                                         intensity=results.intensity, summary=dict(results.summary)))
    ws = Workspace(lang="en")
    ws.set_results(siting)
    names = [c.name for c in ws.group("results").children]
    # bottom → top: the park's results, then the array (area under its tables), turbines on top
    assert names.index("rooftop_pv") < names.index("pv_array_area") < names.index("pv_array_tables")
    assert names[-1] == "turbines"
    assert ws.layer("pv_array_tables").title == "PV array tables"
    ws.set_language("zh")
    assert ws.layer("pv_array_tables").title == "光伏阵列支架" and ws.layer("turbines").title == "风机"


def test_dirty_tracking(park):
    ws = Workspace()
    ws.set_park(park)
    ws.mark_clean()
    events = []
    ws.changed.connect(lambda w, what: events.append(what))
    b = ws.layer("buildings")
    b.selection = [0, 1, 2]
    assert not ws.dirty and events == []  # selecting is not an edit
    b.visible = False
    assert ws.dirty and events[:2] == ["dirty", "layers"]
    ws.mark_clean()
    ws.tree.move(b, ws.group("inputs"), 0)
    assert ws.dirty
    ws.mark_clean()
    ws.set_setting("analysis", {"pv": {"losses_pct": 10}})
    assert ws.dirty and "settings" in events
    ws.mark_clean()
    ws.set_setting("analysis", {"pv": {"losses_pct": 10}})  # same value: no change
    assert not ws.dirty
    ws.set_path("/tmp/x.lingtan.gpkg")
    assert ws.title == "x" and "path" in events


def test_add_and_remove_user_layer(park):
    ws = Workspace()
    ws.set_park(park)
    from layers.presets import styled_layer

    extra = styled_layer("my_points", park.buildings.head(3).set_geometry(park.buildings.head(3).centroid))
    ws.add_layer(extra)
    assert ws.tree.layers()[-1] is extra and ws.layer("my_points") is extra
    ws.remove_layer(extra)
    assert ws.layer("my_points") is None


def test_new_park_clears_results(park, results):
    ws = Workspace()
    ws.set_results(results)
    other = load_sample_park()
    ws.set_park(other)
    assert ws.results is None and ws.layer("rooftop_pv") is None and "pv" not in ws.summary
    assert isinstance(ws.group("results", create=False), LayerGroup)  # the empty group stays


def test_map_crs_without_park():
    ws = Workspace()
    assert ws.map_crs() is None
    from layers.presets import styled_layer

    p = load_sample_park()
    ws.add_layer(styled_layer("boundary", p.boundary.to_crs(4490)))
    assert ws.map_crs().to_epsg() == 4490


def _other_park(park):
    """Another park built here: the sample's 40 first buildings inside a 600 m square around
    their centre, another name, no green space, tree rows or townships."""
    import dataclasses

    import geopandas as gpd
    import shapely

    bl = park.buildings.iloc[:40].copy()
    c = shapely.union_all(bl.geometry.to_numpy()).centroid
    square = shapely.box(c.x - 300, c.y - 300, c.x + 300, c.y + 300)
    boundary = gpd.GeoDataFrame({"name": ["测试园"]}, geometry=[square], crs=park.crs)
    return dataclasses.replace(park, name="测试园", boundary=boundary, buildings=bl, green=None,
                               tree_rows=None, townships=None, enterprises=None, township_stats=None)


def _check_figures_of(ws, park):
    """The workspace's summary describes ``park``: figures by hand from its frames."""
    s = ws.summary
    assert s["park"]["name"] == park.name
    area = float(park.boundary.area.sum())
    assert s["park"]["area_m2"] == pytest.approx(area, abs=0.1)
    assert s["park"]["area_km2"] == pytest.approx(area / 1e6, abs=1e-4)
    assert s["buildings"]["count"] == len(park.buildings)
    footprint = float(park.buildings.area.sum())
    assert s["buildings"]["footprint_m2"] == pytest.approx(footprint, rel=1e-4)
    assert s["buildings"]["building_coverage_pct"] == pytest.approx(100 * footprint / area, abs=0.01)
    for part in ("green", "tree_rows", "townships"):  # a part the park lacks has no figures
        assert (part in s) == (getattr(park, part) is not None), part
    assert not {"pv", "carbon", "intensity", "pv_array", "wind"} & set(s)


@pytest.mark.parametrize("with_summary", [False, True])
def test_a_new_park_replaces_every_park_figure(park, results, with_summary):
    """Setting another park (File → Open; with the summary the worker made, or without) leaves no
    figure of the old park or its results in the summary."""
    other = _other_park(park)
    assert len(other.buildings) == 40 and other.green is None
    ws = Workspace()
    ws.set_results(results)  # the sample park with every analysis
    assert ws.summary["buildings"]["count"] == 619 and "green" in ws.summary
    ws.set_park(other, summarise_park(other) if with_summary else None)
    _check_figures_of(ws, other)
    # and back: the sample park's own figures again (no leftovers of the small one)
    ws.set_park(park, summarise_park(park) if with_summary else None)
    _check_figures_of(ws, park)
    assert ws.summary["green"]["total_m2"] == pytest.approx(float(park.green.area.sum()), rel=1e-4)


def test_results_of_another_park_bring_that_parks_figures(park, results):
    other = _other_park(park)
    ws = Workspace()
    ws.set_park(other)
    _check_figures_of(ws, other)
    ws.set_results(results)  # results of the sample park: the workspace takes its park
    assert ws.park is park and ws.summary["park"]["name"] == park.name
    assert ws.summary["buildings"]["count"] == len(park.buildings) and "pv" in ws.summary
