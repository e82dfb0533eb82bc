"""Typed summaries (app/summaries.py): every summary the code makes, and every project saved
with it, goes to the dataclasses and back unchanged; unknown keys survive; the typed figures
are the park's (checked against values computed here from the layers, not copied)."""

from __future__ import annotations

import json

import pytest

from app.results import add_demo_siting, run_park_analyses
from app.summaries import (
    ArraySummary,
    BalanceScenario,
    CarbonSummary,
    IndicatorRow,
    ParkSummary,
    PVSummary,
    SkippedStep,
    WindSummary,
)
from gis.park import load_sample_park


@pytest.fixture(scope="module")
def park():
    return load_sample_park()


@pytest.fixture(scope="module")
def demo(park):
    """The results of ``lingtan demo``: the analyses and the demo siting, in-process."""
    return add_demo_siting(run_park_analyses(park))


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINGTAN_DATA_DIR", str(tmp_path / "userdata"))


def _json(d: dict) -> dict:
    """As the project file holds it (tuples become lists, NaN null …)."""
    from app.project_file import _json_safe

    return json.loads(json.dumps(_json_safe(d), ensure_ascii=False))


def test_demo_summary_round_trips(demo):
    d = demo.summary
    s = ParkSummary.from_dict(d)
    assert s.to_dict() == d
    assert list(s.to_dict()) == list(d)  # and in the same order (summary.json reads as before)
    assert ParkSummary.from_dict(_json(d)).to_dict() == _json(d)
    raw = json.loads(json.dumps(d))  # as summary.json holds it (NaN kept)
    assert json.dumps(ParkSummary.from_dict(raw).to_dict(), sort_keys=True) == json.dumps(raw, sort_keys=True)
    assert isinstance(s.pv, PVSummary) and isinstance(s.carbon, CarbonSummary)
    assert isinstance(s.pv_array, ArraySummary) and isinstance(s.wind, WindSummary)
    assert all(isinstance(sc, BalanceScenario) for sc in s.carbon.scenarios)
    assert all(isinstance(i, IndicatorRow) for i in s.carbon.indicators)
    # the keys the readers use are declared fields, not left in extra
    assert s.pv.extra == {} and s.carbon.extra == {} and s.facts.extra == {} and s.extra == {}
    assert s.carbon.scenarios[0].lines.extra == {} and s.carbon.scenarios[0].metrics.extra == {}
    assert s.carbon.indicators[0].extra == {}


def test_sections_are_the_summary(demo):
    s = demo.sections
    assert s.name == demo.park.name and s.pv.kwp == demo.summary["pv"]["kwp"]
    assert s.skipped is None  # the sample park has an energy table: nothing skipped


def test_a_skipped_step_is_typed(park):
    import dataclasses

    r = run_park_analyses(dataclasses.replace(park, enterprises=None), intensity_off())
    s = r.sections
    assert s.carbon is None and s.skipped and isinstance(s.skipped[0], SkippedStep)
    assert s.skipped_reason("carbon").en.startswith("The park has no enterprise energy table")
    assert s.to_dict() == r.summary


def intensity_off():
    from app.results import AnalysisOptions

    return AnalysisOptions(intensity=False)


def test_project_saved_by_the_current_code_round_trips(demo, tmp_path):
    from app.project_file import load_project, read_document, save_project
    from app.workspace import Workspace

    ws = Workspace()
    ws.set_results(demo)
    path = save_project(ws, tmp_path / "park.lingtan.gpkg")
    saved = read_document(path)["summary"]
    assert saved == _json(demo.summary)  # as main wrote it
    assert ParkSummary.from_dict(saved).to_dict() == saved
    back = load_project(path)
    assert back.summary == saved
    assert ParkSummary.from_dict(back.summary).carbon.balance.year == demo.sections.carbon.balance.year


def test_unknown_keys_survive_the_project_file(demo, tmp_path):
    """A project written by a later version (or holding an algorithm's summary): nothing lost."""
    from app.project_file import load_project, read_document, save_project
    from app.workspace import Workspace

    d = _json(demo.summary)
    d["pv"]["bifacial_gain_pct"] = 4.5
    d["carbon"]["balance"]["scenarios"][0]["lines"]["ccus_t_co2"] = 12.0
    d["carbon"]["balance"]["indicators"][0]["weight"] = 0.25
    d["park"]["district"] = "萧山"
    d["hydrogen"] = {"kg_yr": 1000.0, "problems": []}
    d["skipped"] = [{"analysis": "wind", "zh": "无", "en": "none", "code": "wind.none"}]
    d["intensity"]["previous_year"] = None  # an explicit null stays null
    s = ParkSummary.from_dict(d)
    assert s.to_dict() == d
    assert s.pv.extra == {"bifacial_gain_pct": 4.5} and s.extra == {"hydrogen": d["hydrogen"]}
    assert s.carbon.scenarios[0].lines.extra == {"ccus_t_co2": 12.0}
    assert s.skipped[0].extra == {"code": "wind.none"} and s.park.extra == {"district": "萧山"}

    ws = Workspace()
    ws.set_park(demo.park)
    ws.set_summary(d)
    path = save_project(ws, tmp_path / "later.lingtan.gpkg")
    assert read_document(path)["summary"] == d
    assert load_project(path).summary == d


def test_partial_and_odd_summaries_round_trip():
    for d in ({}, {"pv": {"kwh_yr": 1.0}}, {"carbon": {"balance": {"net_t_co2_yr": 1.0}}},
              {"pv": None, "facts": {"x": 1}}, {"carbon": {"balance": {"scenarios": [{"scenario": "a"}]}}},
              {"sinks": {"total_t_co2_yr": 5}, "park_balance": {"balance": {"year": 2023}}}):
        assert ParkSummary.from_dict(d).to_dict() == d
    assert not ParkSummary.from_dict({}) and ParkSummary.from_dict({"pv": {"kwh_yr": 1.0}})


def test_typed_pv_equals_the_layer_summed_here(demo):
    """Deliberate-bug check: the PV section's MWh is the rooftop layer's kWh column summed here."""
    layer = demo.layers()["rooftop_pv"]
    mwh = float(layer["kwh_yr"].astype(float).sum()) / 1000
    assert demo.sections.pv.mwh_yr == pytest.approx(mwh, rel=1e-6)
    kwp = float(layer["kwp"].astype(float).sum())
    assert demo.sections.pv.kwp == pytest.approx(kwp, rel=1e-4, abs=0.1)


def test_typed_balance_adds_up(demo):
    """The net of every scenario is gross − PV − green power − sinks, added up here."""
    for sc in demo.sections.carbon.scenarios:
        ln = sc.lines
        net = ln.gross_t_co2 - ln.pv_avoided_t_co2 - ln.green_power_avoided_t_co2 - ln.sinks_t_co2
        assert ln.net_t_co2 == pytest.approx(net, abs=0.01)
    sinks = demo.account.sinks.features["t_co2_yr"].sum() + demo.account.trees.trees["t_co2_yr"].sum()
    assert demo.sections.carbon.sinks_t_co2_yr == pytest.approx(float(sinks), abs=0.01)
