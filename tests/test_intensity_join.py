"""Joining township polygons to statistics (messy names, codes, duplicates, unmatched rows) and the
per-township metrics, against hand calculations."""

from __future__ import annotations

import csv

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from gis.carbon.factors import load_factor_set
from gis.errors import InputError
from gis.intensity.join import join_stats, normalise_code, normalise_place_name, place_name_parts
from gis.intensity.metrics import township_metrics
from gis.io import read_data_table, read_vector
from gis.paths import resources_dir, sample_dir

MU_M2 = 10000.0 / 15.0  # 1 mu = 666.67 m2 (DOMAIN.md §3)


def _polygons(names, codes=None) -> gpd.GeoDataFrame:
    geoms = [box(120.0 + 0.01 * i, 30.0, 120.01 + 0.01 * i, 30.01) for i in range(len(names))]
    data = {"name": names}
    if codes is not None:
        data["code"] = codes
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4326")


# ---------------------------------------------------------------- names

@pytest.mark.parametrize("text", ["江滨镇", "江滨街道", "江滨 镇", "江滨\u3000镇", "江滨街道办事处",
                                  "江滨街道办", "（萧山）江滨镇", "江滨镇（原江滨乡）", "江滨(镇)",
                                  " 江滨街道 ", "【江滨镇】"])
def test_messy_names_share_the_stem(text):
    assert normalise_place_name(text) == "江滨"


def test_name_keys_keep_the_suffix_and_record_the_steps():
    p = place_name_parts("江滨\u3000 街道办事处")
    assert (p.key, p.stem, p.suffix) == ("江滨街道", "江滨", "街道")
    assert "去空格" in p.steps_zh and "spaces removed" in p.steps_en
    assert any("街道办事处" in s for s in p.steps_zh)
    p = place_name_parts("（萧山）江滨镇")
    assert p.key == "江滨镇"
    assert any("萧山" in s for s in p.steps_zh) and any("萧山" in s for s in p.steps_en)
    assert place_name_parts("江滨（镇）").key == "江滨镇"  # a bracketed suffix is kept
    assert place_name_parts("景宁畲族自治县").stem == place_name_parts("景宁县").stem == "景宁"
    # stems keep two characters: 城区 is not cut to 城; a leading 镇 is no suffix
    assert place_name_parts("城区").stem == "城区"
    assert place_name_parts("镇海区").stem == "镇海"
    assert place_name_parts("新市镇").stem == "新市"
    assert place_name_parts("ＡＢ镇").key == "ab镇"  # full-width letters


@pytest.mark.parametrize(("value", "expected"), [
    (" 330199001 ", "330199001"), ("0330199001", "330199001"), ("３３０１９９００１", "330199001"),
    (330199001, "330199001"), (330199001.0, "330199001"), ("330199001.0", "330199001"),
    ("3.30199001E+08", "330199001"), ("330 199 001", "330199001"), ("", None), (None, None),
    (float("nan"), None)])
def test_codes_compare_as_text(value, expected):
    assert normalise_code(value) == expected


# ---------------------------------------------------------------- joins by name

def test_join_by_messy_names_reports_unmatched_rows():
    polys = _polygons(["临浦街道", "江滨镇", "东湖镇", "文渊街道", "云溪镇", "新塘街道"])
    stats = pd.DataFrame({"乡镇街道名称": ["临浦街道办事处", "江滨\u3000镇", "（萧山）东湖镇", "文渊 街道",
                                       "云溪街道", "合计", "不存在镇"],
                          "地区生产总值(万元)": [1, 2, 3, 4, 5, 15, 6]})
    j = join_stats(polys, stats)
    assert j.by == "name" and j.poly_key == "name" and j.stats_key == "乡镇街道名称"
    assert list(j.stats["poly_name"]) == ["临浦街道", "江滨镇", "东湖镇", "文渊街道", "云溪镇"]
    assert list(j.stats["match"]) == ["exact", "exact", "exact", "exact", "stem"]
    # one polygon without statistics, listed and reported in both languages
    assert list(j.unmatched_polygons["name"]) == ["新塘街道"]
    assert list(j.polygons["matched"]) == [True] * 5 + [False]
    p = next(p for p in j.problems if p.code == "join.unmatched_polygons")
    assert p.level == "warning" and "新塘街道" in p.zh and "新塘街道" in p.en
    assert p.feature_ids == ["新塘街道"]
    assert "没有对应行" in p.zh and "no statistics row" in p.en
    # statistics rows not joined: the total row and an unknown place, with their spreadsheet rows
    un = j.unmatched_stats.set_index("key")
    assert un.loc["合计", "reason"] == "total_row" and un.loc["不存在镇", "reason"] == "no_polygon"
    assert un.loc["不存在镇", "stats_row"] == 8
    p = next(p for p in j.problems if p.code == "join.unmatched_stats.no_polygon")
    assert "不存在镇" in p.zh and "第 8 行" in p.zh and "rows 8" in p.en
    assert any(p.code == "join.unmatched_stats.total_row" for p in j.problems)
    # the stem match is reported for checking
    p = next(p for p in j.problems if p.code == "join.stem_match")
    assert "云溪街道→云溪镇" in p.zh and "云溪街道 → 云溪镇" in p.en
    # the audit says how each name was read
    a = j.audit[j.audit["side"] == "stats"].set_index("original")
    assert a.loc["江滨\u3000镇", "key"] == "江滨镇" and "全角转半角" in a.loc["江滨\u3000镇", "steps_zh"]
    assert a.loc["云溪街道", "match"] == "stem" and a.loc["云溪街道", "matched_to"] == "云溪镇"
    assert j.summary()["polygons_matched"] == 5


def test_different_places_sharing_a_stem_are_not_merged():
    polys = _polygons(["江滨镇", "江滨街道", "东湖镇"])
    stats = pd.DataFrame({"名称": ["江滨", "江滨镇", "江滨街道办事处"], "gdp": [1, 2, 3]})
    j = join_stats(polys, stats)
    assert list(j.stats["poly_name"]) == ["江滨镇", "江滨街道"]
    assert list(j.stats["gdp"]) == [2, 3]
    un = j.unmatched_stats
    assert list(un["key"]) == ["江滨"] and list(un["reason"]) == ["ambiguous"]
    assert any(p.code == "join.unmatched_stats.ambiguous" and "江滨" in p.zh for p in j.problems)
    assert list(j.unmatched_polygons["name"]) == ["东湖镇"]


def test_renamed_town_joins_across_years_but_a_same_year_clash_is_dropped():
    polys = _polygons(["江滨镇", "东湖镇"])
    renamed = pd.DataFrame({"名称": ["江滨镇", "江滨街道", "东湖镇", "东湖镇"],
                            "年份": [2023, 2024, 2023, 2024], "gdp": [1, 2, 3, 4]})
    j = join_stats(polys, renamed)
    assert len(j.stats) == 4 and set(j.stats["poly_name"]) == {"江滨镇", "东湖镇"}
    assert j.years == [2023, 2024]
    clash = pd.DataFrame({"名称": ["江滨镇", "江滨街道", "东湖镇"], "年份": [2023, 2023, 2023],
                          "gdp": [1, 2, 3]})
    j = join_stats(polys, clash)
    assert list(j.stats["名称"]) == ["江滨镇", "东湖镇"]
    assert list(j.unmatched_stats["key"]) == ["江滨街道"]
    assert any(p.code == "join.stem_collision" for p in j.problems)


def test_duplicate_township_years_are_refused_naming_them():
    polys = _polygons(["江滨镇", "东湖镇"])
    stats = pd.DataFrame({"名称": ["江滨镇", "东湖镇", "江滨 镇"], "年份": [2023, 2023, 2023],
                          "gdp": [1, 2, 3]})
    with pytest.raises(InputError) as e:
        join_stats(polys, stats)
    assert e.value.code == "join.duplicates"
    assert "江滨镇" in e.value.zh and "第 2、4 行" in e.value.zh and "rows 2, 4" in e.value.en
    # the same township in two years is fine
    stats["年份"] = [2023, 2023, 2024]
    assert len(join_stats(polys, stats).stats) == 3


# ---------------------------------------------------------------- joins by code

def test_join_by_code_with_spaces_leading_zeros_and_full_width_digits():
    polys = _polygons(["临浦街道", "江滨镇", "东湖镇", "文渊街道", "云溪镇"],
                      ["330199001", "330199002", "330199003", "330199004", "330199005"])
    stats = pd.DataFrame({"乡镇街道代码": [" 330199001 ", "0330199002", "３３０１９９００３", 330199004,
                                       "330199099"],
                          "乡镇街道名称": ["a", "b", "c", "d", "e"], "gdp": [1, 2, 3, 4, 5]})
    j = join_stats(polys, stats)
    assert j.by == "code" and (j.poly_key, j.stats_key) == ("code", "乡镇街道代码")
    assert list(j.stats["join_key"]) == ["330199001", "330199002", "330199003", "330199004"]
    assert list(j.unmatched_polygons["key"]) == ["330199005"]
    assert list(j.unmatched_stats["key"]) == ["330199099"]
    assert list(j.stats["poly_name"]) == ["临浦街道", "江滨镇", "东湖镇", "文渊街道"]


def test_twelve_digit_codes_with_trailing_zeros_match_nine_digit_codes():
    polys = _polygons(["临浦街道", "江滨镇"], [330199001, 330199002])
    stats = pd.DataFrame({"code": ["330199001000", "330199002000"], "gdp": [1, 2]})
    j = join_stats(polys, stats)
    assert j.matched_polygon_count == 2
    assert any(p.code == "join.code_length" for p in j.problems)
    # not cut when the extra digits are not zeros (different villages)
    stats = pd.DataFrame({"code": ["330199001201", "330199002102"], "gdp": [1, 2]})
    j = join_stats(polys, stats, by="code")
    assert j.matched_polygon_count == 0 and len(j.unmatched_stats) == 2


def test_auto_falls_back_to_names_when_codes_do_not_match():
    polys = _polygons(["江滨镇", "东湖镇"], ["1", "2"])
    stats = pd.DataFrame({"code": ["330199001", "330199002"], "name": ["江滨镇", "东湖镇"], "gdp": [1, 2]})
    j = join_stats(polys, stats)
    assert j.by == "name" and j.matched_polygon_count == 2
    assert j.problems[0].code == "join.fallback_to_names"


def test_join_field_choice_and_year_errors():
    polys = _polygons(["江滨镇"])
    stats = pd.DataFrame({"名称": ["江滨镇"], "年份": ["2023年"], "gdp": [1]})
    with pytest.raises(InputError) as e:
        join_stats(polys, stats, poly_key="乡镇")
    assert e.value.code == "join.no_field" and "name" in e.value.en
    with pytest.raises(InputError) as e:
        join_stats(polys, stats, year=2020)
    assert e.value.code == "join.year" and "2023" in e.value.zh
    j = join_stats(polys, stats, year=2023)
    assert list(j.stats["year"]) == [2023]


def test_attach_keeps_every_polygon():
    polys = _polygons(["江滨镇", "东湖镇", "新塘街道"])
    stats = pd.DataFrame({"名称": ["江滨镇", "东湖镇"], "gdp": [1.0, 2.0]})
    j = join_stats(polys, stats)
    values = pd.DataFrame({"join_key": j.stats["join_key"], "intensity": [0.5, 1.5], "name": ["x", "y"]})
    out = j.attach(values)
    assert len(out) == 3 and list(out.index) == list(polys.index)
    assert out["intensity"].iloc[:2].tolist() == [0.5, 1.5] and np.isnan(out["intensity"].iloc[2])
    assert list(out["name"]) == ["江滨镇", "东湖镇", "新塘街道"] and "name_stats" in out.columns
    # the polygon area in mu: a 0.01° square at 30° N is 0.01° × 96.49 km (longitude) by 0.01° × 110.85 km
    # (latitude) on the WGS84 ellipsoid
    assert j.polygons["area_mu"].iloc[0] == pytest.approx(964.9 * 1108.5 / MU_M2, rel=0.002)


def test_sample_townships_join_by_code():
    polys = read_vector(sample_dir() / "park.gpkg", layer="townships").gdf
    stats, _ = read_data_table(sample_dir() / "township_stats.csv")
    j = join_stats(polys, stats)
    years = sorted(set(stats["年份"].astype(int)))
    assert years[0] <= 2015 and years[-1] == 2024
    assert j.by == "code" and j.matched_polygon_count == 26 and len(j.stats) == 26 * len(years)
    assert j.unmatched_stats.empty and j.unmatched_polygons.empty and j.years == years


# ---------------------------------------------------------------- metrics

def _factor(fuel: str) -> float:
    with open(resources_dir() / "factors" / "fuel_factors.csv", encoding="utf-8") as f:
        return float(next(r for r in csv.DictReader(f) if r["fuel"] == fuel)["value"])


def _grid_kg_per_kwh(key: str) -> float:
    with open(resources_dir() / "factors" / "grid_emission_factors.csv", encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["key"] == key)
    assert row["unit"] == "kgCO2/kWh"
    return float(row["value"])


def test_metrics_from_energy_against_hand_calculation():
    polys = read_vector(sample_dir() / "park.gpkg", layer="townships").gdf
    stats, _ = read_data_table(sample_dir() / "township_stats.csv")
    j = join_stats(polys, stats)
    m = township_metrics(j.stats, load_factor_set("national-2023"), year=2024)
    r = m.set_index("name").loc["临浦街道"]
    # the statistics table's rows for 临浦街道 (330199001)
    raw = stats[stats["乡镇街道代码"] == 330199001].set_index("年份")

    def by_hand(y):
        row = raw.loc[y]
        return (row["原煤(吨)"] * _factor("raw_coal")                              # tCO2/t
                + row["天然气(万立方米)"] * _factor("natural_gas")                   # tCO2/10^4 m3
                + row["电力(万千瓦时)"] * 1e4 * _grid_kg_per_kwh("national-2023") / 1000.0
                + row["成品油(吨)"] * _factor("refined_oil"))                         # counted as diesel
    assert _factor("raw_coal") == 1.9812
    t24, t23 = by_hand(2024), by_hand(2023)
    assert r["t_co2"] == pytest.approx(t24, rel=1e-9)
    assert r["t_co2_source"] == "energy"
    assert r["gdp_10k_yuan"] == raw.loc[2024, "地区生产总值(万元)"]
    assert r["intensity"] == pytest.approx(t24 / raw.loc[2024, "地区生产总值(万元)"], rel=1e-9)
    assert r["intensity_unit"] == "tCO2/10^4 yuan"
    assert r["land_mu"] == pytest.approx(raw.loc[2024, "土地面积(平方公里)"] * 1e6 / MU_M2)
    assert r["population"] == raw.loc[2024, "常住人口(人)"]
    assert r["previous_year"] == 2023
    i23 = t23 / raw.loc[2023, "地区生产总值(万元)"]
    assert r["previous_intensity"] == pytest.approx(i23, rel=1e-9)
    i24 = t24 / raw.loc[2024, "地区生产总值(万元)"]
    assert r["change_pct"] == pytest.approx((i24 / i23 - 1) * 100, rel=1e-9)
    assert len(m) == 26 and not m["no_data"].any() and m.attrs["year"] == 2024
    # per mu and per person
    land = township_metrics(j.stats, year=2024, denominator="land").set_index("name").loc["临浦街道"]
    assert land["intensity"] == pytest.approx(t24 / (raw.loc[2024, "土地面积(平方公里)"] * 1e6 / MU_M2))
    assert land["intensity_unit"] == "tCO2/mu"
    pop = township_metrics(j.stats, year=2024, denominator="population").set_index("name").loc["临浦街道"]
    assert pop["intensity"] == pytest.approx(t24 / raw.loc[2024, "常住人口(人)"])


def test_metrics_from_an_emissions_column_with_units():
    stats = pd.DataFrame({"乡镇名称": ["甲镇", "乙镇"], "年份": [2024, 2024],
                          "碳排放(万吨)": [12.0, 3.0], "地区生产总值(亿元)": [30.0, 2.0],
                          "土地面积(公顷)": [1000.0, 500.0], "常住人口(万人)": [5.0, 1.0],
                          "原煤(吨)": [1e9, 1e9]})  # energy is ignored when emissions are given
    m = township_metrics(stats, year=2024).set_index("name")
    assert m.loc["甲镇", "t_co2"] == 120000.0 and m.loc["甲镇", "t_co2_source"] == "reported"
    assert m.loc["甲镇", "gdp_10k_yuan"] == 300000.0
    assert m.loc["甲镇", "intensity"] == pytest.approx(0.4)
    assert m.loc["乙镇", "land_mu"] == pytest.approx(500 * 15)
    assert m.loc["乙镇", "population"] == 10000.0
    assert np.isnan(m.loc["甲镇", "change_pct"])  # one year only
    en = pd.DataFrame({"name": ["a"], "CO2 (t)": [5.0], "GDP": [10.0]})
    m = township_metrics(en)
    assert m["intensity"].iloc[0] == 0.5
    assert any(p.code == "intensity.default_unit" for p in m.attrs["problems"])  # GDP taken as 10^4 yuan


def test_zero_or_missing_data_give_no_data_never_inf():
    stats = pd.DataFrame({"乡镇名称": ["甲镇", "乙镇", "丙镇", "丁镇", "戊镇"], "年份": 2024,
                          "原煤(吨)": [100.0, 100.0, np.nan, 100.0, 100.0],
                          "电力(万千瓦时)": [10.0, 10.0, np.nan, np.nan, 10.0],
                          "地区生产总值(万元)": [1000.0, 0.0, 1000.0, 500.0, np.nan]})
    m = township_metrics(stats).set_index("name")
    assert list(m["no_data"]) == [False, True, True, False, True]
    assert list(m["no_data_reason"]) == [None, "zero_denominator", "no_emissions", None, "no_denominator"]
    assert np.isnan(m.loc["丙镇", "t_co2"])            # every fuel cell blank: no data, not zero
    assert m.loc["丁镇", "t_co2"] == pytest.approx(100 * 1.9812)  # a blank cell among filled ones is zero
    assert not np.isinf(m["intensity"]).any()
    assert any(p.code == "intensity.no_data.zero_denominator" and "乙镇" in p.zh for p in m.attrs["problems"])


def test_township_without_a_row_for_the_year_is_listed_as_no_data():
    stats = pd.DataFrame({"名称": ["甲镇", "乙镇", "甲镇"], "年份": [2023, 2023, 2024],
                          "碳排放(吨)": [10.0, 20.0, 9.0], "GDP(万元)": [10.0, 10.0, 10.0]})
    m = township_metrics(stats).set_index("name")
    assert m.attrs["year"] == 2024 and m.attrs["previous_year"] == 2023
    assert m.loc["乙镇", "no_data_reason"] == "no_row"
    assert m.loc["甲镇", "change_pct"] == pytest.approx(-10.0)
    with pytest.raises(InputError):
        township_metrics(stats, year=2024, previous_year=2024)
    with pytest.raises(InputError):
        township_metrics(stats, year=2030)


def test_metrics_input_errors():
    with pytest.raises(InputError) as e:
        township_metrics(pd.DataFrame({"名称": ["甲镇"], "GDP(万元)": [1.0]}))
    assert e.value.code == "intensity.no_emissions"
    with pytest.raises(InputError) as e:
        township_metrics(pd.DataFrame({"名称": ["甲镇"], "碳排放": [1.0], "GDP(万元)": [1.0]}))
    assert e.value.code == "intensity.unit"
    with pytest.raises(InputError) as e:
        township_metrics(pd.DataFrame({"名称": ["甲镇"], "碳排放(吨)": [1.0]}))
    assert e.value.code == "intensity.no_denominator"
    with pytest.raises(InputError) as e:
        township_metrics(pd.DataFrame({"名称": ["甲镇"], "碳排放(吨)": [1.0], "GDP(万元)": [1.0]}),
                         denominator="area")
    assert e.value.code == "intensity.denominator"


def test_land_from_polygon_areas_when_the_table_has_none():
    polys = _polygons(["江滨镇", "东湖镇"])
    stats = pd.DataFrame({"名称": ["江滨镇", "东湖镇"], "碳排放(吨)": [100.0, 50.0]})
    j = join_stats(polys, stats)
    m = township_metrics(j.stats, denominator="land")
    area = j.polygons["area_mu"].to_numpy()
    assert m["intensity"].to_numpy() == pytest.approx([100.0 / area[0], 50.0 / area[1]])
    assert any(p.code == "intensity.land_from_polygons" for p in m.attrs["problems"])
