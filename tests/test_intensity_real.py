"""A real boundary set (Zhejiang's 90 counties, GCJ-02, no .prj, UTF-8 DBF without .cpg) joined to a
generated statistics table with messy names and two deliberately broken rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis.intensity import classify, join_stats, township_metrics
from gis.io import read_data_table, read_vector
from tests.conftest import shared

pytestmark = pytest.mark.shared_data

# index in the layer → how the statistics table writes the name
MESSY = {0: " 嵊泗 县 ", 1: "岱山\u3000县", 2: "（舟山）定海区", 3: "普陀", 4: "平湖市(县级市)", 47: "景宁县",
         10: "海宁市【嘉兴】", 20: "余姚"}
BROKEN = {5: "南湖新区", 6: "嘉善镇县"}   # match no polygon on purpose


@pytest.fixture(scope="module")
def counties():
    path = shared("boundaries", "zhejiang_counties_2020", "浙江省.shp")
    return read_vector(path, crs="gcj02").gdf


def _stats(names: list[str], tmp_path) -> pd.DataFrame:
    rng = np.random.default_rng(2024)
    n = len(names)
    written = [BROKEN.get(i, MESSY.get(i, name)) for i, name in enumerate(names)]
    df = pd.DataFrame({"县区名称": written, "年份": 2022,
                       "原煤(吨)": rng.uniform(1e4, 2e6, n).round(0),
                       "天然气(万立方米)": rng.uniform(100, 5e4, n).round(1),
                       "电力(万千瓦时)": rng.uniform(1e4, 2e6, n).round(1),
                       "地区生产总值(亿元)": rng.uniform(50, 3000, n).round(2),
                       "常住人口(万人)": rng.uniform(5, 200, n).round(2)})
    path = tmp_path / "counties_stats.csv"
    df.to_csv(path, index=False, encoding="utf-8-sig")
    table, _ = read_data_table(path)
    return table


def test_counties_join_by_messy_names(counties, tmp_path):
    names = counties["name"].tolist()
    assert len(names) == 90 and names[5] == "南湖区" and names[6] == "嘉善县"
    assert names[47] == "景宁畲族自治县"
    stats = _stats(names, tmp_path)
    j = join_stats(counties, stats)
    assert j.by == "name" and (j.poly_key, j.stats_key) == ("name", "县区名称")
    assert j.matched_polygon_count == 88
    assert sorted(j.unmatched_polygons["name"]) == sorted(["南湖区", "嘉善县"])
    un = j.unmatched_stats.set_index("key")
    assert sorted(un.index) == sorted(BROKEN.values())
    assert (un["reason"] == "no_polygon").all()
    assert un.loc["南湖新区", "suggestion"] == "南湖区" and un.loc["嘉善镇县", "suggestion"] == "嘉善县"
    assert un.loc["南湖新区", "stats_row"] == 7
    codes = {p.code for p in j.problems}
    assert {"join.unmatched_polygons", "join.unmatched_stats.no_polygon", "join.stem_match"} <= codes
    # every messy name found its county
    got = dict(zip(j.stats["县区名称"], j.stats["poly_name"], strict=True))
    for i, written in MESSY.items():
        as_read = stats["县区名称"].iloc[i]   # the CSV reader may trim a leading space
        assert as_read.strip() == written.strip() and got[as_read] == names[i]

    m = township_metrics(j.stats)
    assert len(m) == 88 and not m["no_data"].any() and m.attrs["year"] == 2022
    row = m.set_index("name").loc["嵊泗县"]
    src = stats.iloc[0]
    assert row["gdp_10k_yuan"] == pytest.approx(src["地区生产总值(亿元)"] * 1e4)
    assert row["population"] == pytest.approx(src["常住人口(万人)"] * 1e4)
    c = classify(m["intensity"], weights=m["gdp_10k_yuan"])
    assert sum(c.counts) == 88 and c.no_data == 0
    layer = j.attach(m.assign(**{"class": c.classes, "k_ratio": c.k_ratio}))
    assert len(layer) == 90 and layer.crs.to_epsg() == 4326
    grey = layer[layer["class"].isna()]
    assert sorted(grey["name"]) == sorted(["南湖区", "嘉善县"])
    # the polygons' areas: Zhejiang's land is about 105,500 km2 (its islands included here)
    assert j.polygons["area_mu"].sum() * (10000 / 15) / 1e6 == pytest.approx(105_500, rel=0.03)


def test_counties_join_by_twelve_digit_codes(counties):
    codes = [f"{int(a)}000000" for a in counties["adcode"]]   # 12-digit statistical codes
    codes[3] = " " + codes[3] + " "
    stats = pd.DataFrame({"行政区划代码": codes, "碳排放(万吨)": np.linspace(100, 1000, 90),
                          "GDP(亿元)": np.linspace(50, 500, 90)})
    stats.loc[89, "行政区划代码"] = "330000999000"   # no such county
    j = join_stats(counties, stats)
    assert j.by == "code" and j.poly_key == "adcode"
    assert j.matched_polygon_count == 89 and list(j.unmatched_stats["key"]) == ["330000999000"]
    assert list(j.unmatched_polygons["name"]) == [counties["name"].iloc[89]]
    assert any(p.code == "join.code_length" for p in j.problems)
    m = township_metrics(j.stats)
    assert m["intensity"].to_numpy() == pytest.approx(np.linspace(100, 1000, 90)[:89] * 1e4
                                                      / (np.linspace(50, 500, 90)[:89] * 1e4))
