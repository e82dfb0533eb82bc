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


# ---- kinds the carbon commands brought: a choice or else a year/file, named numbers, aliases ------------

YEAR = Param("year", "choice", "latest", "核算年份", "Year", choices=(("latest", "最近一年", "latest"),
                                                                     ("all", "全部", "all")),
             or_kind="int", minimum=1949, maximum=2100, source="the latest reporting year")
CLASSES = Param("classes", "choice", None, "分类表", "Class table", choices=(("umep", "UMEP", "UMEP"),),
                or_kind="file", aliases=(("urban", "umep"),))
FACTS = Param("facts", "keyvalues", None, "园区数据", "Park facts", unit="%", minimum=0.0, maximum=100.0,
              choices=(("water_reuse_pct", "水", "water"), ("waste_heat_use_pct", "余热", "waste heat")),
              optional=True, flag="--fact", auto_zh="无", auto_en="none")


def test_a_choice_may_also_take_a_year_or_a_file():
    assert YEAR.parse("latest") == "latest" and YEAR.parse("ALL") == "all"
    assert YEAR.parse("2023") == 2023 and YEAR.check(2023.0) == 2023 and YEAR.check("2023") == 2023
    for bad in ("nan", "inf", "-inf", "1e308", "2023.5", "1800", "2101", "last", "{{7*7}}"):
        with pytest.raises(InputError) as e:
            YEAR.parse(bad)
        assert "核算年份" in e.value.zh and "Year" in e.value.en and "latest | all | 1949–2100" in e.value.en
    assert YEAR.range_text() == "latest | all | 1949–2100"
    assert CLASSES.parse("UMEP") == "umep" and CLASSES.parse("urban") == "umep"
    assert CLASSES.parse("my classes.csv") == "my classes.csv"  # a file: read (and checked) by the run
    for bad in ("mars", "{{7*7}}"):
        with pytest.raises(InputError) as e:
            CLASSES.parse(bad)
        assert "umep | FILE" in e.value.en and "分类表" in e.value.zh
    with pytest.raises(InputError) as e:
        CLASSES.check(None)
    assert "缺少参数" in e.value.zh and "Missing parameter" in e.value.en


def test_named_numbers_parse_and_each_value_is_checked():
    want = {"water_reuse_pct": 85.0, "waste_heat_use_pct": 40.0}
    assert FACTS.parse("water_reuse_pct=85; waste_heat_use_pct = 40") == want
    assert FACTS.parse("water_reuse_pct=85，waste_heat_use_pct=40") == want
    assert FACTS.parse("auto") is None and FACTS.check({}) == {}
    for bad in ("water=85", "water_reuse_pct=101", "water_reuse_pct=-1", "water_reuse_pct=nan",
                "water_reuse_pct=inf", "water_reuse_pct=1e308", "water_reuse_pct=lots", "water_reuse_pct",
                "=5"):
        with pytest.raises(InputError) as e:
            FACTS.parse(bad)
        assert "园区数据" in e.value.zh and "Park facts" in e.value.en and "--fact" in e.value.en, bad
    v = ParamValues.of([FACTS], {"facts": want})
    assert v.changed() == {"facts": want}
    assert ParamValues.of([FACTS], v.to_json(), stored=True).values == v.values


def _numeric_params() -> list:
    return [pytest.param(p, id=f"{alg.id}.{p.name}") for alg in algorithms() for p in alg.params
            if p.kind in ("float", "int", "keyvalues") or (p.kind == "choice" and p.or_kind == "int")]


@pytest.mark.parametrize("p", _numeric_params())
def test_every_range_refuses_nan_inf_and_absurd_values(p):
    texts = ["nan", "inf", "-inf"]
    lo, hi = p.bounds()
    texts += ["1e308"] if hi is not None else []
    texts += ["-1e308"] if lo is not None else []
    for text in texts:
        if p.kind == "keyvalues":
            text = f"{p.choice_list()[0][0]}={text}"
        with pytest.raises(InputError) as e:
            p.parse(text)
        assert p.label_zh in e.value.zh and p.label_en in e.value.en and p.cli_flag in e.value.en


def test_algorithms_sharing_an_alias_share_one_parser():
    from app.cli import build_parser
    from app.processing.cli import chosen_algorithm

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices["sinks"]
    flags = {o for a in sub._actions for o in a.option_strings}
    for alg in (algorithm("sinks"), algorithm("landcover_sinks")):
        assert alg.cli_alias == "sinks"
        assert {p.cli_flag for p in alg.params if p.kind != "bool"} <= flags
        assert {i.cli_flag for i in alg.inputs if not i.positional} <= flags
    args = parser.parse_args(["sinks", "--raster", "lc.tif", "--boundary", "b.gpkg", "--classes", "umep"])
    assert chosen_algorithm(args).id == "landcover_sinks"
    assert chosen_algorithm(parser.parse_args(["sinks", "g.gpkg", "--out", "o.gpkg"])).id == "sinks"
    with pytest.raises(InputError) as e:  # the first argument of one with the selector of the other
        chosen_algorithm(parser.parse_args(["sinks", "g.gpkg", "--raster", "lc.tif"]))
    assert "GREEN_LAYER" in e.value.en and "--raster" in e.value.en and "--raster" in e.value.zh


def test_commands_writing_a_workbook_declare_it(capsys):
    from app.cli import main

    assert main(["algorithms", "--json"]) == 0
    by_id = {a["id"]: a for a in json.loads(capsys.readouterr().out)}
    assert by_id["emissions"]["output_file"] == {"suffixes": [".xlsx"], "required": True}
    assert by_id["landcover_sinks"]["output_file"] == {"suffixes": [".csv", ".json"], "required": False}
    assert "output_file" not in by_id["pv_array"]
    facts = next(p for p in by_id["park_balance"]["parameters"] if p["name"] == "facts")
    assert facts["type"] == "keyvalues" and facts["flag"] == "--fact" and facts["maximum"] == 100.0
    year = next(p for p in by_id["emissions"]["parameters"] if p["name"] == "year")
    assert year["or"] == "int"
    assert (year["minimum"], year["maximum"], year["default"]) == (1949, 2100, "latest")


# ---- kinds the report and export brought: several choices, a date; an output folder ----------------

FORMATS = Param("formats", "choices", "shp,gpkg,html", "导出格式", "Formats",
                choices=(("shp", "Shapefile", "Shapefile"), ("gpkg", "GeoPackage", "GeoPackage"),
                         ("html", "网页", "web map")), aliases=(("shapefile", "shp"), (".shp", "shp")),
                source="all")
DAY = Param("date", "date", None, "封面日期", "Cover date", optional=True, auto_zh="今天", auto_en="today")


def test_several_choices_parse_to_their_order_and_each_is_checked():
    assert FORMATS.parse("html, shp") == "shp,html"  # the choices' order, not the typed one
    assert FORMATS.parse("Shapefile，.shp,GPKG") == "shp,gpkg"
    assert FORMATS.parse("all") == FORMATS.parse("全部") == "shp,gpkg,html"
    assert FORMATS.check(["html", "gpkg"]) == "gpkg,html"
    for bad in ("shp,pdf", "", " , ", "{{7*7}}", "shp;gpkg"):
        with pytest.raises(InputError) as e:
            FORMATS.parse(bad)
        assert "导出格式" in e.value.zh and "Formats" in e.value.en and "--formats" in e.value.en, bad
        assert "shp | gpkg | html" in e.value.en, bad
    with pytest.raises(InputError) as e:
        FORMATS.parse("shp,pdf,doc")
    assert "'pdf, doc'" in e.value.en  # only the wrong ones are named
    v = ParamValues.of([FORMATS], {"formats": "html"})
    assert ParamValues.of([FORMATS], v.to_json(), stored=True).formats == "html"


def test_a_date_is_a_calendar_day_written_iso():
    import datetime as dt

    assert DAY.parse("2025-03-01") == dt.date(2025, 3, 1) and DAY.parse("") is None
    assert DAY.check(dt.datetime(2025, 3, 1, 12, 0)) == dt.date(2025, 3, 1)
    for bad in ("1.3.2025", "2025/03/01", "20250301", "2025-3-1", "2025-02-30", "2025-13-01", "tomorrow"):
        with pytest.raises(InputError) as e:
            DAY.parse(bad)
        assert "封面日期" in e.value.zh and "Cover date" in e.value.en and "--date" in e.value.en, bad
    v = ParamValues.of([DAY], {"date": "2024-12-31"})
    assert v.to_json() == {"date": "2024-12-31"}
    assert ParamValues.of([DAY], v.to_json(), stored=True).date == dt.date(2024, 12, 31)


REPORT_FLAGS = {"--sample", "--out", "--lang", "--date", "--organisation", "--no-contents", "--year",
                "--json"}
EXPORT_FLAGS = {"--sample", "--out", "--formats", "--encoding", "--dpi", "--size", "--lang", "--csv-wkt",
                "--basemap", "--basemap-attribution", "--json"}


@pytest.mark.parametrize(("name", "flags"), [("report", REPORT_FLAGS), ("export", EXPORT_FLAGS)])
def test_report_and_export_keep_their_flags_under_both_names(name, flags):
    from app.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    run = next(a for a in commands["run"]._actions if a.dest == "algorithm_id").choices
    for sub in (commands[name], run[name]):
        options = {o for a in sub._actions for o in a.option_strings} - {"-h", "--help"}
        assert options == flags
        positional = [a for a in sub._actions if not a.option_strings]
        assert [(a.metavar, a.nargs) for a in positional] == [("PROJECT", "?")]  # the project, optional
    assert algorithm(name).cli_alias == name


def test_the_export_writes_a_folder(capsys, tmp_path):
    from app.cli import main

    assert main(["algorithms", "--json"]) == 0
    by_id = {a["id"]: a for a in json.loads(capsys.readouterr().out)}
    assert by_id["export"]["output_file"] == {"suffixes": [], "required": True, "folder": True}
    assert by_id["report"]["output_file"] == {"suffixes": [".pdf"], "required": True}
    assert by_id["export"]["inputs"][0]["role"] == "results"
    (tmp_path / "taken").write_text("x")
    assert main(["export", "--sample", "--out", str(tmp_path / "taken")]) == 2
    err = capsys.readouterr().err
    assert "文件夹" in err and "must be a folder" in err


@pytest.mark.parametrize("bad", [
    ["report", "--date", "1.3.2025"], ["report", "--date", "2025-02-30"], ["report", "--lang", "fr"],
    ["export", "--formats", "shp,pdf"], ["export", "--formats", ""], ["export", "--dpi", "5000"],
    ["export", "--dpi", "nan"], ["export", "--size", "2000by1500"], ["export", "--size", "10x10"],
    ["export", "--size", "2000x30000"], ["export", "--encoding", "latin1"], ["report", "--out", "r.txt"]])
def test_report_and_export_refuse_bad_values_before_any_work(tmp_path, capsys, monkeypatch, bad):
    import gis.park
    from app.cli import main

    def no_work(*a, **k):
        raise AssertionError("the park was loaded before the values were checked")

    monkeypatch.setattr(gis.park, "load_sample_park", no_work)
    out = tmp_path / ("r.pdf" if bad[0] == "report" else "folder")
    args = [*bad, "--sample"] + ([] if "--out" in bad else ["--out", str(out)])
    assert main(args) == 2  # a bug (exit 1) if the sample park had been loaded
    err = capsys.readouterr().err
    assert "错误" in err and "Error" in err
    if "--out" not in bad:
        assert "参数" in err and "Parameter" in err and bad[1] in err
    assert not out.exists()
