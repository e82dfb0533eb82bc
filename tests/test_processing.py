"""The processing framework: declarations are complete and checked, the command line, the docs and
Python calls are generated from them and agree."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import pytest
import shapely

from app.processing.docs import DOC_PATH, algorithms_markdown
from app.processing.params import Param, ParamValues
from app.processing.registry import algorithm, algorithms
from gis.errors import InputError

UTM50 = 32650  # Wuhan/Hangzhou area metric CRS for synthetic sites


def _site(w=120.0, h=80.0) -> gpd.GeoDataFrame:
    x0, y0 = 240_000.0, 3_340_000.0  # ≈ 114.3°E 30.2°N
    return gpd.GeoDataFrame({"name": ["site"]}, geometry=[shapely.box(x0, y0, x0 + w, y0 + h)], crs=UTM50)


@pytest.mark.parametrize("alg", algorithms(), ids=lambda a: a.id)
def test_every_declaration_is_complete(alg):
    assert alg.title_zh and alg.title_en and alg.summary_zh and alg.summary_en
    names = [p.name for p in alg.params]
    assert len(names) == len(set(names))
    flags = [p.cli_flag for p in alg.params] + [i.cli_flag for i in alg.inputs if not i.positional]
    assert len(flags) == len(set(flags))
    for p in alg.params:
        assert p.label_zh and p.label_en, p.name
        # every default is allowed by its own range, and names its source (automatic ones say what)
        if p.required:  # no default: the user must give it
            with pytest.raises(InputError):
                alg.values()
            continue
        assert p.check(p.default) == p.default or (p.optional and p.default is None), p.name
        if p.default is None:
            assert p.optional and p.auto_zh and p.auto_en, p.name
        elif p.kind != "file":
            assert p.source, f"{alg.id}.{p.name} has no source for its default"
    from layers.registry import layer_spec

    for name in alg.outputs:  # every result layer is declared in the layer registry
        spec = layer_spec(name)
        assert spec is not None and spec.title_zh and spec.title_en, name


def test_docs_are_generated_from_the_declarations():
    assert DOC_PATH.read_text(encoding="utf-8") == algorithms_markdown(), \
        "docs/algorithms.md is stale: run python -m app.processing.docs"


# ---- parameter checks --------------------------------------------------------------------------------

TILT = Param("tilt_deg", "float", None, "倾角", "Tilt", unit="°", minimum=0.0, maximum=90.0, optional=True,
             auto_zh="自动", auto_en="auto")
SIZE = Param("module_size", "pair", (2.278, 1.134), "组件尺寸", "Module size", unit="m", minimum=0.2,
             maximum=3.5)
TABLE = Param("modules_per_table", "pair", (2, 14), "每支架组件数", "Modules per table", minimum=1,
              maximum=200, pair_type=int)


@pytest.mark.parametrize("text", ["91", "-1", "nan", "inf", "-inf", "1e308", "abc", "20°"])
def test_values_outside_their_range_are_bilingual_errors(text):
    with pytest.raises(InputError) as e:
        TILT.parse(text)
    assert "倾角" in e.value.zh and "Tilt" in e.value.en and "--tilt-deg" in e.value.en


def test_values_parse_to_their_types():
    assert TILT.parse("22.5") == 22.5 and TILT.parse("auto") is None and TILT.parse("") is None
    assert SIZE.parse("2.2x1.1") == (2.2, 1.1) and SIZE.parse("2.2×1.1") == (2.2, 1.1)
    assert TABLE.parse("3x20") == (3, 20)
    for bad in ("0x0", "2x", "2.5x14", "2by14", "nanx1"):
        with pytest.raises(InputError):
            TABLE.parse(bad)
    with pytest.raises(InputError):
        SIZE.parse("0x0")
    with pytest.raises(InputError):
        TILT.check(math.nan)


def test_values_fill_defaults_and_refuse_unknown_names():
    v = ParamValues.of([TILT, SIZE], {"tilt_deg": 10})
    assert v.tilt_deg == 10.0 and v.module_size == (2.278, 1.134)
    assert v.changed() == {"tilt_deg": 10.0}
    assert ParamValues.of([TILT, SIZE], v.to_json(), stored=True).values == v.values
    with pytest.raises(InputError):
        ParamValues.of([TILT], {"tilt": 10})


# ---- command line --------------------------------------------------------------------------------------

def test_algorithms_listing_is_the_declarations(capsys):
    from app.cli import main

    assert main(["algorithms", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    by_id = {a["id"]: a for a in data}
    assert set(by_id) == {a.id for a in algorithms()}
    tilt = next(p for p in by_id["pv_array"]["parameters"] if p["name"] == "tilt_deg")
    assert (tilt["minimum"], tilt["maximum"], tilt["unit"], tilt["default"]) == (0.0, 90.0, "°", None)
    assert main(["algorithms"]) == 0
    assert "pv_array" in capsys.readouterr().out


@pytest.mark.parametrize("alg", algorithms(), ids=lambda a: a.id)
def test_help_lists_every_parameter_with_default_and_range(alg):
    from app.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["run"]
    text = next(a for a in sub._actions if a.dest == "algorithm_id").choices[alg.id].format_help()
    for p in alg.params:
        flag = (p.cli_negate or f"--no-{p.name}") if p.kind == "bool" and p.default else p.cli_flag
        assert flag in text, flag
    for p in alg.params:
        if p.name == "losses_pct":
            assert "Default: 14 %" in text  # DC losses, PVWatts


def test_run_and_alias_give_the_same_result(tmp_path, capsys):
    from app.cli import main

    _site().to_file(tmp_path / "site.gpkg", layer="site")
    common = ["--tilt", "20", "--azimuth", "180", "--gcr", "0.5", "--no-shading", "--json"]
    site = str(tmp_path / "site.gpkg")
    assert main(["run", "pv_array", site, "--out", str(tmp_path / "a.gpkg"), *common]) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(["pv-array", str(tmp_path / "site.gpkg"), "--out", str(tmp_path / "b.gpkg"), *common]) == 0
    b = json.loads(capsys.readouterr().out)
    assert a["tables"] == b["tables"] > 0 and a["kwh_yr"] == b["kwh_yr"]
    assert a["parameters"]["tilt_deg"] == 20.0 and a["parameters"]["gcr"] == 0.5
    # the table count from a hand layout: 120 m × 80 m minus a 2 m inset = 116 × 76 m; 2P portrait
    # tables of 2.278 m modules at 20° have a slant of 2·2.278 + 0.02 = 4.576 m, so the pitch at
    # GCR 0.5 is 9.152 m and the plan depth 4.576·cos 20° = 4.30 m: rows fit while
    # k·9.152 + 4.30 ≤ 76 → 8 rows (7·9.152 + 4.30 = 68.4; 8·9.152 + 4.30 = 77.5 does not fit).
    # A table is 14·1.134 + 13·0.02 = 16.14 m long with 0.5 m gaps: 116 m holds 7 (7·16.64 − 0.5 = 115.98).
    assert a["tables"] == 8 * 7


@pytest.mark.parametrize("bad", [["--tilt", "inf"], ["--gcr", "3"], ["--modules-per-table", "2by14"],
                                 ["--module-size", "0x0"], ["--orientation", "sideways"],
                                 ["--grid-factor", "{{7*7}}"], ["--altitude", "1e7"]])
def test_bad_values_exit_2_before_any_work(tmp_path, capsys, bad):
    from app.cli import main

    _site().to_file(tmp_path / "site.gpkg", layer="site")
    site = str(tmp_path / "site.gpkg")
    assert main(["run", "pv_array", site, "--out", str(tmp_path / "o.gpkg"), *bad]) == 2
    err = capsys.readouterr().err
    assert "参数" in err and "Parameter" in err
    assert not (tmp_path / "o.gpkg").exists()


def test_unknown_algorithm_is_a_bilingual_error():
    with pytest.raises(InputError) as e:
        algorithm("pv_arrays")
    assert "pv_array" in e.value.en and "没有算法" in e.value.zh


# ---- Python ---------------------------------------------------------------------------------------------

def test_python_call_checks_like_the_cli():
    alg = algorithm("pv_array")
    out = alg({"area": _site()}, tilt_deg=20.0, azimuth_deg=180.0, gcr=0.5, shading=False)
    assert out.summary["tables"] == 56 and set(out.layers) == set(alg.outputs)
    with pytest.raises(InputError):
        alg({"area": _site()}, tilt_deg=120.0)
    line = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (100, 100)])], crs=UTM50)
    with pytest.raises(InputError) as e:
        alg({"area": line})
    assert "面" in e.value.zh and "polygon" in e.value.en
