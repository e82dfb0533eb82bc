"""Enterprise carbon-efficiency grades (碳效码): hand calculations on every boundary, the industry
benchmark as Σ/Σ, single-member industries, enterprises without value added, a user benchmark
table, the grade layer, the CLI contract and the sample park checked by a second implementation."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from app.cli import main
from gis.carbon.grades import (
    GRADE_COLOURS,
    grade_frame,
    grade_layer,
    industry_key,
    read_benchmarks,
)
from gis.paths import sample_dir

ENTERPRISES = sample_dir() / "enterprises_energy.csv"


def _frame(rows: list[tuple]) -> pd.DataFrame:
    """(id, sector_code, t_co2, value_added_10k_yuan[, sink_t_co2]) rows as grade_frame takes them."""
    out = []
    for r in rows:
        out.append({"entity": r[0], "name": f"企业{r[0]}", "sector": None, "sector_code": r[1], "t_co2": r[2],
                    "value_added_10k_yuan": r[3], "sink_t_co2": r[4] if len(r) > 4 else 0.0})
    return pd.DataFrame(out)


def _by_id(e: pd.DataFrame) -> pd.DataFrame:
    return e.set_index("id")


def test_hand_calculation_with_every_k_boundary():
    # C17: Σ CO2 = 60 + 80 + 120 + 200 + 40 = 500 t, Σ value added = 5 × 100 = 500 (10^4 yuan) → benchmark
    # L = 1.0; so K = L: 0.6 (on the 1|2 break → 1), 0.8 (→ 2), 1.2 (→ 3), 2.0 (→ 4), 0.4 (→ 1)
    # C26: Σ = 30 + 10.1 = 40.1 over 20 → benchmark 2.005; K(Y) = (10.1/10)/2.005 = 0.50374 → 1,
    #      K(X) = 3.0/2.005 = 1.49626 → 4; and Z adds K > 2.0 → 5 below
    f = _frame([("A", "C17", 60.0, 100.0), ("B", "C17", 80.0, 100.0), ("C", "C17", 120.0, 100.0),
                ("D", "C1711", 200.0, 100.0), ("E", "c17", 40.0, 100.0),
                ("X", "C26", 30.0, 10.0), ("Y", "2614", 10.1, 10.0), ("Z", "C26", 0.0, 0.0)])
    e, ind, _ = grade_frame(f)
    e = _by_id(e)
    assert list(e.loc[["A", "B", "C", "D", "E"], "grade"]) == [1, 2, 3, 4, 1]
    assert list(e.loc[["A", "B", "C", "D", "E"], "K"]) == pytest.approx([0.6, 0.8, 1.2, 2.0, 0.4], rel=1e-12)
    assert list(e.loc[["A", "B", "C", "D", "E"], "industry"]) == ["C17"] * 5  # "C1711", "c17" → division
    assert e.loc["Y", "industry"] == "C26"  # "2614" → section C from GB/T 4754 (13–43 = C)
    assert e.loc["X", "K"] == pytest.approx(3.0 / (40.1 / 20.0))
    assert e.loc["X", "grade"] == 4 and e.loc["Y", "grade"] == 1
    # levels by L: 0.6 low (on the break), 0.8 and 1.2 medium, 2.0 medium (on the break), 3.0 high
    assert list(e.loc[["A", "B", "C", "D", "E", "X"], "level"]) == ["low", "medium", "medium", "medium",
                                                                   "low", "high"]
    assert ind.set_index("industry").loc["C17", "benchmark_L"] == pytest.approx(1.0)
    # colours: the five-colour map's, by grade
    assert e.loc["A", "colour"] == GRADE_COLOURS[0] and e.loc["D", "colour"] == GRADE_COLOURS[3]
    # ranks: 1 = the lowest L; E (0.4) first in C17; in the park Y (1.01) comes after A… and before C
    assert list(e.loc[["E", "A", "B", "C", "D"], "rank_industry"]) == [1, 2, 3, 4, 5]
    assert list(e.loc[["E", "A", "B", "Y", "C", "D", "X"], "rank_park"]) == [1, 2, 3, 4, 5, 6, 7]


def test_grade_5_and_float_traps_on_breaks():
    # user benchmark 0.7 tCO2/10^4 yuan: L = 0.56 → K = 0.56/0.7, which floats make 0.8000000000000002;
    # by hand K = 0.8 exactly → grade 2. L = 1.5 → K = 2.142857 → grade 5
    # L = (0.9 − 0.3)/1 = 0.6000000000000001 in floats, 0.6 by hand → level low
    # L = (0.9 − 0.3)/0.3 = 2.0000000000000004 in floats, 2.0 by hand → level medium
    assert 0.56 / 0.7 > 0.8 and (0.9 - 0.3) > 0.6 and (0.9 - 0.3) / 0.3 > 2.0  # the traps are real
    f = _frame([("P", "C30", 0.56, 1.0), ("Q", "C30", 1.5, 1.0), ("R", "C30", 0.9, 1.0, 0.3),
                ("S", "C30", 0.9, 0.3, 0.3)])
    bench = read_benchmarks(pd.DataFrame({"行业代码": ["C30"], "基准(吨二氧化碳/万元)": [0.7]}))
    e, _, _ = grade_frame(f, benchmarks=bench)
    e = _by_id(e)
    assert e.loc["P", "grade"] == 2
    assert e.loc["Q", "grade"] == 5
    assert e.loc["R", "level"] == "low" and e.loc["R", "L"] == pytest.approx(0.6)
    assert e.loc["S", "level"] == "medium" and e.loc["S", "L"] == pytest.approx(2.0)
    # own benchmarks with a 0.6 that floats miss: Σ = 0.3 + 0.1 + 0.2 … K(G) = 0.3·(Σva)/(va·Σco2)
    g = _frame([("G", "C31", 0.06, 0.1), ("H", "C31", 0.14, 0.1)])  # benchmark 0.2/0.2 = 1.0 → K(G) = 0.6
    eg, _, _ = grade_frame(g)
    assert _by_id(eg).loc["G", "grade"] == 1


def test_benchmark_is_sum_over_sum_not_mean_of_ratios():
    # A: 10 t / 10 → L 1;  B: 300 t / 100 → L 3.  Σ/Σ = 310/110 = 2.818…; the mean of ratios would be 2.
    # K(B) = 3 / 2.818 = 1.0645 → grade 3 (with the mean it would be 1.5 → grade 4)
    e, ind, _ = grade_frame(_frame([("A", "C22", 10.0, 10.0), ("B", "C22", 300.0, 100.0)]))
    bench = 310.0 / 110.0
    assert ind.loc[0, "benchmark_L"] == pytest.approx(bench)
    e = _by_id(e)
    assert e.loc["B", "K"] == pytest.approx(3.0 / bench)
    assert e.loc["B", "grade"] == 3
    assert e.loc["A", "K"] == pytest.approx(1.0 / bench) and e.loc["A", "grade"] == 1


def test_single_member_industry_is_flagged_and_zero_value_added_not_graded():
    f = _frame([("A", "C22", 10.0, 10.0), ("B", "C22", 30.0, 10.0), ("N", "C22", 5.0, 0.0),
                ("M", "C22", 5.0, np.nan), ("S", None, 9.0, 3.0)])
    f.loc[f["entity"] == "S", "sector"] = "公共管理"
    e, ind, problems = grade_frame(f)
    e = _by_id(e)
    codes = {p.code: p for p in problems}
    assert "grades.single_member" in codes and codes["grades.single_member"].feature_ids == ["S"]
    assert e.loc["S", "industry"] == "公共管理"  # no code: the name
    assert e.loc["S", "K"] == pytest.approx(1.0) and e.loc["S", "grade"] == 3
    assert set(codes["grades.no_value_added"].feature_ids) == {"N", "M"}
    assert pd.isna(e.loc["N", "grade"]) and pd.isna(e.loc["M", "grade"])
    assert e.loc["N", "not_graded"] == "no_value_added"
    # the ungraded enterprises are not in the benchmark: (10 + 30)/(10 + 10) = 2.0
    assert ind.set_index("industry").loc["C22", "benchmark_L"] == pytest.approx(2.0)
    assert ind.set_index("industry").loc["C22", "members"] == 2


def test_user_benchmark_table_and_missing_industries():
    table = pd.DataFrame({"行业代码": ["C1711", None], "行业": ["纺织", "公共管理"], "基准": [0.5, 4.0]})
    bench = read_benchmarks(table)
    assert list(bench["industry"]) == ["C17", "公共管理"]
    f = _frame([("A", "C17", 30.0, 100.0), ("B", "C17", 70.0, 100.0), ("C", "C26", 10.0, 10.0),
                ("D", "C26", 30.0, 10.0), ("S", None, 8.0, 1.0)])
    f.loc[f["entity"] == "S", "sector"] = "公共管理"
    e, _, problems = grade_frame(f, benchmarks=bench)
    e = _by_id(e)
    # A: L 0.3 / 0.5 = 0.6 → 1; B: 0.7/0.5 = 1.4 → 4;
    # C26 not in the table: own 40/20 = 2 → C 0.5 → 1, D 1.5 → 4
    assert list(e.loc[["A", "B", "C", "D"], "grade"]) == [1, 4, 1, 4]
    assert e.loc["S", "K"] == pytest.approx(2.0) and e.loc["S", "grade"] == 4  # 8/1 ÷ 4.0
    assert any(p.code == "grades.benchmark_missing" and p.feature_ids == ["C26"] for p in problems)
    assert not any(p.code == "grades.single_member" for p in problems)  # S has a given benchmark
    with pytest.raises(Exception, match="benchmark"):
        read_benchmarks(pd.DataFrame({"行业": ["a"], "其他": [1.0]}))
    with pytest.raises(Exception, match="positive"):
        read_benchmarks(pd.DataFrame({"行业": ["a"], "基准": [0.0]}))


def test_industry_key():
    s = industry_key(pd.Series(["C1711", " c17 ", "1711", "4411", "", None, "X9"]),
                     pd.Series(["纺织", None, None, None, "食品", None, "杂"]))
    assert list(s) == ["C17", "C17", "C17", "D44", "食品", "未分类", "杂"]


def test_colours_are_the_five_colour_map_colours():
    from gis.carbon.grades import NO_GRADE_COLOUR
    from layers.style import FIVE_COLOURS, NO_DATA_COLOUR

    assert tuple(GRADE_COLOURS) == tuple(FIVE_COLOURS) and NO_GRADE_COLOUR == NO_DATA_COLOUR


def test_grade_layer_joins_buildings_by_enterprise_id():
    e, _, _ = grade_frame(_frame([("A", "C22", 10.0, 10.0), ("B", "C22", 30.0, 10.0)]))
    b = gpd.GeoDataFrame({"bldg_id": [1, 2, 3, 4], "企业代码": ["A", "B", "Q", None]},
                         geometry=[box(i, 0, i + 1, 1) for i in range(4)], crs="EPSG:32650")
    layer = grade_layer(b, e, "企业代码")
    assert list(layer["bldg_id"]) == [1, 2, 3]  # no id: not in the layer
    assert list(layer["grade"].astype("Float64").fillna(0)) == [1, 4, 0]  # K = 0.5, 1.5; Q unknown
    assert layer.loc[2, "colour"] == "#bdbdbd"
    from layers.registry import layer_spec

    spec = layer_spec("enterprise_grades")
    assert spec is not None and spec.make_style(layer).classes[0].count == 1


def _energy_csv(path, rows):
    head = "企业代码,企业名称,行业代码,年份,电力(万千瓦时),碳汇(吨),工业增加值(万元)\n"
    path.write_text(head + "".join(",".join(map(str, r)) + "\n" for r in rows), encoding="utf-8")


def test_cli_json_and_year_on_year_change(tmp_path, capsys):
    # electricity only, so K = (kWh/VA) ÷ (ΣkWh/ΣVA) whatever the grid factor; a factor file fixes it to
    # 0.5 kgCO2/kWh so that L and the sink deduction are hand-checked.
    factors = tmp_path / "f.csv"
    factors.write_text("fuel,value,unit,source\n电力,0.5,kgCO2/kWh,test\n", encoding="utf-8")
    energy = tmp_path / "e.csv"
    _energy_csv(energy, [("A", "甲", "C17", 2023, 100, 0, 1000), ("B", "乙", "C17", 2023, 100, 0, 1000),
                         ("A", "甲", "C17", 2024, 60, 100, 1000), ("B", "乙", "C17", 2024, 140, 0, 1000)])
    out = tmp_path / "g.xlsx"
    assert main(["grades", str(energy), "--factors", str(factors), "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    rows = {r["id"]: r for r in s["enterprises"]}
    for r in rows.values():
        assert {"id", "industry", "t_co2", "value_added_10k_yuan", "L", "K", "level", "grade"} <= set(r)
    # 2024: A 60·10^4 kWh × 0.5 kg = 300 t, − 100 t sink = 200 t → L 0.2; B 700 t → L 0.7;
    # benchmark (200 + 700)/2000 = 0.45 → K(A) = 0.444 (1), K(B) = 1.556 (4); 2023: both K = 1 (3)
    assert s["year"] == 2024 and s["previous_year"] == 2023
    assert rows["A"]["t_co2"] == pytest.approx(300.0) and rows["A"]["L"] == pytest.approx(0.2)
    assert rows["B"]["K"] == pytest.approx(0.7 / 0.45)
    assert (rows["A"]["grade"], rows["B"]["grade"]) == (1, 4)
    assert rows["A"]["delta_L"] == pytest.approx(0.2 - 0.5) and rows["A"]["delta_grade"] == -2
    assert rows["B"]["delta_grade"] == 1 and rows["A"]["level"] == "low"
    assert out.exists() and s["grades"] == [1, 0, 0, 1, 0]
    # the earlier year on request: nothing before it to compare
    assert main(["grades", str(energy), "--factors", str(factors), "--year", "2023", "--out", str(out),
                 "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["previous_year"] is None and s["grades"] == [0, 0, 2, 0, 0]


def test_cli_benchmarks_file_and_bad_tables_exit_2(tmp_path, capsys):
    energy = tmp_path / "e.csv"
    _energy_csv(energy, [("A", "甲", "C17", 2024, 60, 0, 1000)])
    bench = tmp_path / "b.csv"
    bench.write_text("行业代码,基准\nC17,1.0\n", encoding="utf-8")
    factors = tmp_path / "f.csv"
    factors.write_text("fuel,value,unit,source\n电力,0.5,kgCO2/kWh,test\n", encoding="utf-8")
    out = tmp_path / "g.xlsx"
    assert main(["grades", str(energy), "--factors", str(factors), "--benchmarks", str(bench),
                 "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["enterprises"][0]["K"] == pytest.approx(0.3)  # 300 t / 1000 ÷ 1.0
    assert s["benchmark_source"].startswith("user")
    bad = tmp_path / "bad.csv"
    bad.write_text("企业代码,电力(吨)\nA,10\n", encoding="utf-8")
    assert main(["grades", str(bad), "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "不能以“吨”计量" in err and "cannot be measured in t" in err
    no_va = tmp_path / "nova.csv"
    no_va.write_text("企业代码,电力(万千瓦时)\nA,10\n", encoding="utf-8")
    assert main(["grades", str(no_va), "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "工业增加值" in err and "value-added" in err
    bench.write_text("行业代码,基准\nC17,-1\n", encoding="utf-8")
    assert main(["grades", str(energy), "--benchmarks", str(bench), "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "正数" in err and "positive" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_sample_park_grades_match_a_second_implementation(tmp_path, capsys):
    """The sample park's 2024 grades, recomputed here from the emissions per enterprise with plain
    pandas and if-chains (Σ/Σ per GB/T 4754 division, the standard's breaks)."""
    from gis.carbon.emissions import account_emissions
    from gis.carbon.factors import load_factor_set
    from gis.carbon.inventory import read_energy_inventory

    out = tmp_path / "g.xlsx"
    assert main(["grades", "--sample", "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    got = {r["id"]: r for r in s["enterprises"]}
    f = load_factor_set()
    ent = account_emissions(read_energy_inventory(pd.read_csv(ENTERPRISES), factors=f), f, year=2024).entities
    ent = ent.assign(div=ent["sector_code"].str[:3])
    sums = ent.groupby("div")[["t_co2", "value_added_10k_yuan"]].sum()
    bench = sums["t_co2"] / sums["value_added_10k_yuan"]

    def grade(k: float) -> int:
        if k <= 0.6:
            return 1
        if k <= 0.8:
            return 2
        if k <= 1.2:
            return 3
        return 4 if k <= 2.0 else 5

    assert s["year"] == 2024 and s["previous_year"] == 2023 and len(got) == len(ent) == 71
    for _, r in ent.iterrows():
        L = r["t_co2"] / r["value_added_10k_yuan"]
        k = L / bench[r["div"]]
        g = got[r["entity"]]
        assert g["L"] == pytest.approx(L, rel=1e-9) and g["K"] == pytest.approx(k, rel=1e-9)
        assert g["grade"] == grade(k), r["entity"]
        assert g["level"] == ("low" if L <= 0.6 else "medium" if L <= 2.0 else "high")
    assert out.with_suffix(".gpkg").exists()
    layer = gpd.read_file(out.with_suffix(".gpkg"), layer="enterprise_grades")
    assert len(layer) > 0 and set(layer["enterprise_id"]) <= set(got)


def test_report_chapter_with_counts_table_and_source(tmp_path, capsys):
    import shutil
    import subprocess

    from app.report.build import build_report
    from app.summaries import GradesSummary, ParkSummary

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) not installed")
    out = tmp_path / "g.xlsx"
    assert main(["grades", "--sample", "--out", str(out), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    summary = {"park": {"name": "碳效测试园"}, "grades": s}
    typed = ParkSummary.from_dict(summary)
    assert isinstance(typed.grades, GradesSummary) and typed.to_dict() == summary
    layer = gpd.read_file(out.with_suffix(".gpkg"), layer="enterprise_grades")
    pdf = build_report((summary, {"enterprise_grades": layer}), tmp_path / "r.pdf", contents=False)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "企业碳效等级（碳效码）" in text and "DB33/T 1347-2023" in text
    worst = max((r for r in s["enterprises"] if r["grade"] is not None), key=lambda r: r["K"])
    assert worst["name"] in text  # the table lists the enterprises
    # the grade-count table: "3  0.8 < K ≤ 1.2  接近行业平均  黄  <count>"
    line = next(ln for ln in text.splitlines() if "接近行业平均" in ln)
    assert line.split()[-1] == str(s["grades"][2])
    none = build_report(({"park": {"name": "x"}}, {}), tmp_path / "n.pdf", contents=False)
    bare = subprocess.run(["pdftotext", "-layout", str(none), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "碳效码" not in bare
