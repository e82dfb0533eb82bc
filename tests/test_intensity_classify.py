"""Five-class classification against hand-computed breaks, the boundary convention at the edges,
no-data handling and the method descriptions."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest

from gis.errors import InputError
from gis.intensity.classify import RATIO_BREAKS, _jenks_dp, assign_classes, classify, jenks_breaks
from gis.intensity.metrics import overall_intensity, township_metrics


def _classes(c) -> list[int]:
    return [int(v) for v in c.classes]


# ---------------------------------------------------------------- convention

def test_edges_fall_in_the_lower_class():
    b = [1.0, 2.0, 3.0, 4.0]
    x = [0.5, 1.0, 1.0000001, 2.0, 2.5, 3.0, 4.0, 4.0000001, 9.0, np.nan, np.inf, -np.inf]
    assert assign_classes(x, b).tolist() == [1, 1, 2, 2, 3, 3, 4, 5, 5, 0, 0, 0]


# ---------------------------------------------------------------- ratio

@pytest.mark.parametrize("benchmark", [2.5, 0.7, 1.3, 3.7, 0.1169])
def test_ratio_values_exactly_on_the_k_breaks(benchmark):
    # K ≤ 0.6 | 0.6 < K ≤ 0.8 | 0.8 < K ≤ 1.2 | 1.2 < K ≤ 2.0 | K > 2.0 (DOMAIN.md §3)
    k = [0.3, 0.6, 0.6001, 0.8, 0.8001, 1.0, 1.2, 1.2001, 2.0, 2.0001, 5.0]
    values = [kk * benchmark for kk in k]
    c = classify(values, "ratio", benchmark=benchmark)
    assert _classes(c) == [1, 1, 2, 2, 3, 3, 3, 4, 4, 5, 5]
    assert c.breaks.tolist() == [0.6, 0.8, 1.2, 2.0] and c.quantity == "k_ratio"
    assert c.intensity_breaks == pytest.approx([0.6 * benchmark, 0.8 * benchmark, 1.2 * benchmark,
                                                2.0 * benchmark])
    assert c.k_ratio == pytest.approx(k)
    assert c.counts == [2, 2, 3, 2, 2] and c.no_data == 0
    assert c.benchmark == benchmark and c.benchmark_source == "user"


def test_ratio_default_benchmark_is_the_maps_overall_intensity():
    t_co2 = np.array([1.0, 30.0, 8.0, 50.0])
    gdp = np.array([1.0, 10.0, 4.0, 10.0])
    intensity = t_co2 / gdp                       # 1, 3, 2, 5
    c = classify(intensity, weights=gdp)          # ratio is the default
    bench = 89.0 / 25.0                           # Σ t_co2 / Σ GDP = 3.56 (the plain mean would be 2.75)
    assert c.method == "ratio" and c.benchmark == pytest.approx(bench) and c.benchmark_source == "map_mean"
    # K = 0.281, 0.843, 0.562, 1.404 → classes 1, 3, 1, 4
    assert _classes(c) == [1, 3, 1, 4]
    assert "基准比值法" in c.description_zh and "3.56 tCO2/万元" in c.description_zh
    assert "Σ碳排放/Σ地区生产总值" in c.description_zh and "0.6/0.8/1.2/2.0" in c.description_zh
    assert "3.56 tCO2/10^4 yuan" in c.description_en and "Benchmark ratio" in c.description_en
    assert "下限 < x ≤ 上限" in c.description_zh and "lower < x ≤ upper" in c.description_en
    assert c.labels_zh[0] == "K ≤ 0.6（≤ 2.14 tCO2/万元）"
    assert c.labels_en[4] == "K > 2.0 (> 7.12 tCO2/10^4 yuan)"
    assert c.labels_zh[2].startswith("K 0.8–1.2（2.85–4.27")
    # a user benchmark is named on the legend
    c = classify(intensity, benchmark=2.0, benchmark_label=("萧山区 2023", "Xiaoshan 2023"))
    assert "萧山区 2023 2.0 tCO2/万元" in c.description_zh and "Xiaoshan 2023" in c.description_en
    # without the denominators: the plain mean, said so
    c = classify(intensity)
    assert c.benchmark == pytest.approx(2.75) and c.benchmark_source == "map_mean_unweighted"
    assert any(p.code == "classify.unweighted_benchmark" for p in c.problems)


def test_ratio_units_and_bad_benchmarks():
    c = classify([1.0, 2.0], benchmark=1.0, unit="tCO2/mu")
    assert "tCO2/亩" in c.labels_zh[0] and "tCO2/mu" in c.labels_en[0]
    for bad in (0.0, -1.0, np.nan):
        with pytest.raises(InputError) as e:
            classify([1.0, 2.0], benchmark=bad)
        assert e.value.code == "classify.benchmark"
    with pytest.raises(InputError):
        classify([np.nan, np.nan])
    with pytest.raises(InputError):
        classify([1.0], "kmeans")


def test_no_data_values_are_class_zero():
    c = classify([1.0, np.nan, 2.0, np.inf, 3.0], benchmark=2.0)
    assert _classes(c) == [1, 0, 3, 0, 4] and c.no_data == 2 and sum(c.counts) == 3
    assert np.isnan(c.k_ratio[1])


def test_zero_gdp_and_missing_data_end_as_no_data():
    stats = pd.DataFrame({"名称": ["甲镇", "乙镇", "丙镇", "丁镇"], "碳排放(吨)": [10.0, 20.0, np.nan, 30.0],
                          "地区生产总值(万元)": [10.0, 0.0, 10.0, 20.0]})
    m = township_metrics(stats)
    assert overall_intensity(m) == pytest.approx(40.0 / 30.0)   # 甲 and 丁 only
    c = classify(m["intensity"], weights=m["gdp_10k_yuan"])
    assert _classes(c) == [2, 0, 0, 3] and c.no_data == 2   # K = 0.75 and 1.125
    assert c.benchmark == pytest.approx(40.0 / 30.0)
    for method in ("quantile", "jenks"):
        assert _classes(classify(m["intensity"], method))[1:3] == [0, 0]


# ---------------------------------------------------------------- fixed

def test_fixed_thresholds_and_their_validation():
    c = classify([0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 4.5, np.nan], "fixed", thresholds=[1, 2, 3, 4])
    assert _classes(c) == [1, 1, 2, 2, 3, 4, 5, 0]
    assert c.counts == [2, 2, 1, 1, 1] and c.no_data == 1
    assert c.labels_zh == ["≤ 1.0 tCO2/万元", "1.0–2.0 tCO2/万元", "2.0–3.0 tCO2/万元", "3.0–4.0 tCO2/万元",
                           "> 4.0 tCO2/万元"]
    assert "固定阈值" in c.description_zh and "1.0/2.0/3.0/4.0 tCO2/万元" in c.description_zh
    for bad in (None, [1, 2, 3], [1, 2, 3, 4, 5], [4, 3, 2, 1], [1, 2, 2, 3], [1, np.nan, 3, 4],
                ["a", 1, 2, 3]):
        with pytest.raises(InputError) as e:
            classify([1.0, 2.0], "fixed", thresholds=bad)
        assert e.value.code == "classify.thresholds"


# ---------------------------------------------------------------- quantile

def test_quantile_breaks_by_hand():
    # 1..10: the p-th percentile with linear interpolation sits at rank p·(n−1) = 1.8, 3.6, 5.4, 7.2
    # → 1 + 0.8·1 = 2.8, 4.6, 6.4, 8.2
    c = classify(np.arange(1.0, 11.0), "quantile")
    assert c.breaks.tolist() == pytest.approx([2.8, 4.6, 6.4, 8.2])
    assert _classes(c) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5] and c.counts == [2, 2, 2, 2, 2]
    assert "分位数" in c.description_zh and "2.8/4.6/6.4/8.2" in c.description_zh
    # a value exactly on a quantile break goes to the lower class: 1..9 → breaks 2.6, 4.2, 5.8, 7.4;
    # 1..6 → 2, 3, 4, 5 (rank 1, 2, 3, 4)
    c = classify([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "quantile")
    assert c.breaks.tolist() == [2.0, 3.0, 4.0, 5.0]
    assert _classes(c) == [1, 1, 2, 3, 4, 5]


def test_quantile_breaks_match_sorted_ranks_on_random_data():
    rng = np.random.default_rng(42)
    y = rng.lognormal(0.0, 1.0, 101)   # n − 1 = 100: the 20th … 80th percentiles are order statistics
    c = classify(y, "quantile")
    s = np.sort(y)
    assert c.breaks.tolist() == pytest.approx([s[20], s[40], s[60], s[80]])
    assert c.counts == [21, 20, 20, 20, 20]


def test_few_distinct_values_give_empty_top_classes_with_a_warning():
    for method in ("quantile", "jenks"):
        c = classify([1.0, 1.0, 2.0, 2.0, 3.0], method)
        assert c.breaks.tolist() == [1.0, 2.0, 3.0, 3.0]
        assert _classes(c) == [1, 1, 2, 2, 3] and c.counts == [2, 2, 1, 0, 0]
        assert any(p.code == "classify.few_values" and "3" in p.zh for p in c.problems)
    c = classify([7.0, 7.0], "jenks")
    assert _classes(c) == [1, 1]


# ---------------------------------------------------------------- jenks

def test_jenks_obvious_clusters():
    values = [1.0, 1.1, 1.2, 5.0, 5.1, 10.0, 10.2, 20.0, 20.1, 20.2, 50.0]
    c = classify(values, "jenks")
    assert c.breaks.tolist() == [1.2, 5.1, 10.2, 20.2]
    assert _classes(c) == [1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5]
    assert "自然断点" in c.description_zh and "Fisher–Jenks" in c.description_en


def _brute_force(y: np.ndarray) -> list[float]:
    """Least within-class sum of squares over every split of the sorted values into five classes."""
    y = np.sort(y)
    best, arg = np.inf, None
    for cuts in itertools.combinations(range(1, len(y)), 4):
        parts = np.split(y, cuts)
        sse = sum(((p - p.mean()) ** 2).sum() for p in parts)
        if sse < best:
            best, arg = sse, cuts
    return [float(y[c - 1]) for c in arg]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_jenks_is_the_optimal_partition(seed):
    y = np.random.default_rng(seed).lognormal(0.0, 1.0, 12)
    expected = _brute_force(y)
    assert classify(y, "jenks").breaks.tolist() == pytest.approx(expected)     # mapclassify path
    u, n = np.unique(y, return_counts=True)
    assert u[_jenks_dp(u, n.astype(float))].tolist() == pytest.approx(expected)  # the vectorised one


def test_jenks_large_sets_are_deterministic_and_find_clear_clusters():
    rng = np.random.default_rng(3)
    centres = [1.0, 5.0, 10.0, 20.0, 40.0]
    y = np.concatenate([c + rng.uniform(-0.5, 0.5, 300) for c in centres])   # 1,500 values
    rng.shuffle(y)
    b = jenks_breaks(y)
    maxima = [float(y[(y > c - 1) & (y < c + 1)].max()) for c in centres]   # the top of each cluster
    assert b.tolist() == pytest.approx(maxima[:4])
    assert jenks_breaks(y).tolist() == b.tolist()
    big = np.concatenate([c + rng.uniform(-0.5, 0.5, 10_000) for c in centres])  # grouped (approximate) path
    problems = []
    b = jenks_breaks(big, problems)
    assert any(p.code == "classify.jenks_grouped" for p in problems)
    c = classify(big, "jenks")
    assert c.counts == [10_000] * 5 and c.breaks.tolist() == b.tolist()


# ---------------------------------------------------------------- target

def test_target_bands_for_three_percent_a_year():
    change = [-6.0, -4.5, -4.0, -3.0, -2.0, -1.5, -1.0, 0.0, 0.1, np.nan]
    c = classify(None, "target", change_pct=change, target_decline_pct=3.0)
    assert c.breaks.tolist() == pytest.approx([-4.5, -3.0, -1.5, 0.0])
    assert _classes(c) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 0]
    assert c.quantity == "change_pct" and c.unit_en == "%" and c.no_data == 1
    assert c.labels_zh[0] == "超额完成（≤ −4.5%）" and c.labels_zh[4] == "强度上升（> 0%）"
    assert c.labels_en[1] == "target met (−4.5 – −3.0%)"
    assert "每年 3.0%" in c.description_zh and "3.0 % per year" in c.description_en
    # a missing intensity is no data too; values may also be the changes themselves
    c = classify([1.0, np.nan], "target", change_pct=[-5.0, -5.0], target_decline_pct=3.0)
    assert _classes(c) == [1, 0]
    assert _classes(classify([-5.0, 1.0], "target", target_decline_pct=3.0)) == [1, 5]


def test_target_over_several_years_compounds():
    tp = (1 - 0.97 ** 2) * 100    # 5.91 % over two years
    c = classify(None, "target", change_pct=[-tp, -tp + 0.01], target_decline_pct=3.0, period_years=2)
    assert c.breaks.tolist() == pytest.approx([-1.5 * tp, -tp, -0.5 * tp, 0.0])
    assert _classes(c) == [2, 3]
    assert "2 年累计 5.910%" in c.description_zh
    for bad in (None, 0.0, -3.0, 100.0):
        with pytest.raises(InputError) as e:
            classify(None, "target", change_pct=[1.0], target_decline_pct=bad)
        assert e.value.code == "classify.target"
    with pytest.raises(InputError):
        classify(None, "target", change_pct=[np.nan], target_decline_pct=3.0)


# ---------------------------------------------------------------- report

def test_classification_reports_are_json_ready():
    for method, kw in (("ratio", {}), ("fixed", {"thresholds": [1, 2, 3, 4]}), ("quantile", {}),
                       ("jenks", {}), ("target", {"target_decline_pct": 3.0})):
        c = classify([0.5, 1.5, 2.5, 3.5, 4.5, np.nan], method, **kw)
        d = json.loads(json.dumps(c.to_dict(), ensure_ascii=False))
        assert d["method"] == method and len(d["breaks"]) == 4 and len(d["labels_zh"]) == 5
        assert sum(d["counts"]) + d["no_data"] == 6
        assert c.classes.dtype.kind == "i" and set(_classes(c)) <= {0, 1, 2, 3, 4, 5}
    assert RATIO_BREAKS == (0.6, 0.8, 1.2, 2.0)


def test_quantile_bins_are_mapclassifys_bit_for_bit():
    """quantile_bins (numpy only) against mapclassify.Quantiles itself: ties, tiny samples, k
    whose float percentage steps overshoot 100 (k = 3, 7 …), negative and huge values."""
    import warnings

    import mapclassify

    from gis.intensity.classify import quantile_bins

    rng = np.random.default_rng(11)
    samples = [np.arange(1.0, 11.0), rng.lognormal(size=1001), rng.normal(-5, 100, 37),
               rng.integers(0, 4, 200).astype(float), np.array([2.5]), np.array([1.0, 1e12, -3.0]),
               np.round(rng.exponential(size=500), 1)]
    checked = 0
    for y in samples:
        for k in (2, 3, 4, 5, 6, 7, 9, 10):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                want = np.asarray(mapclassify.Quantiles(y, k=k).bins, dtype=float)
            got = quantile_bins(y, k)
            np.testing.assert_array_equal(got, want)
            checked += 1
    assert checked == 56
    # and they are numpy's default (linear) percentiles, up to rounding
    y = rng.lognormal(size=999)
    assert quantile_bins(y, 5) == pytest.approx(np.quantile(y, [0.2, 0.4, 0.6, 0.8, 1.0]), rel=1e-12)


def test_fisher_jenks_ends_public_and_old_alias():
    import importlib

    cl = importlib.import_module("gis.intensity.classify")  # the package exports a function "classify"

    assert cl._jenks_dp is cl.fisher_jenks_ends
    # three clusters with weights: the ends are the cluster tops (hand: any other cut adds spread)
    v = np.array([1.0, 2.0, 3.0, 10.0, 11.0, 30.0, 31.0, 32.0])
    assert cl.fisher_jenks_ends(v, np.ones(8), k=3) == [2, 4]


# ---------------------------------------------------------------- the five colours

# DOMAIN.md §3 (the source layers/style.py cites: the State Grid Zhejiang township map) colours
# the classes from low to high green, blue, yellow, orange, red. The hexes the project publishes
# for them (docs/intensity.md, the `colour` field), written out here — not read from the code:
PUBLISHED_FIVE = {1: "#00a651", 2: "#2171b5", 3: "#ffe066", 4: "#f58220", 5: "#d7191c"}
PUBLISHED_NO_DATA = "#bdbdbd"
# Hue (HSV, degrees) of each named colour, as colour names are commonly bounded (CSS named
# colours: orange #ffa500 39°, darkorange #ff8c00 33°, gold #ffd700 51°, yellow #ffff00 60°);
# red wraps around 0°.
HUE_OF_NAME = {"green": (90.0, 170.0), "blue": (190.0, 260.0), "yellow": (43.0, 70.0),
               "orange": (15.0, 40.0), "red": (-15.0, 15.0)}
NAMES_LOW_TO_HIGH = ("green", "blue", "yellow", "orange", "red")


def _hue_lightness(hex_colour: str) -> tuple[float, float]:
    import colorsys

    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, _s, _v = colorsys.rgb_to_hsv(r, g, b)
    hue = h * 360.0
    return (hue - 360.0 if hue > 345.0 else hue), colorsys.rgb_to_hls(r, g, b)[1]


def test_published_hexes_have_the_named_hues():
    """The written-out hexes themselves are green, blue, yellow, orange, red (guards the table
    above against a typo)."""
    for k, name in enumerate(NAMES_LOW_TO_HIGH, start=1):
        hue, _ = _hue_lightness(PUBLISHED_FIVE[k])
        lo, hi = HUE_OF_NAME[name]
        assert lo <= hue < hi, (k, name, PUBLISHED_FIVE[k], hue)


def test_five_colour_style_and_palette_are_the_published_colours():
    from layers.style import FIVE_COLOURS, NO_DATA_COLOUR, five_class_style

    style = five_class_style(RATIO_BREAKS)
    got = {cb.value: cb.colour.lower() for cb in style.classes}
    assert got == PUBLISHED_FIVE
    assert [c.lower() for c in FIVE_COLOURS] == [PUBLISHED_FIVE[k] for k in range(1, 6)]
    assert NO_DATA_COLOUR.lower() == PUBLISHED_NO_DATA
    for k, name in enumerate(NAMES_LOW_TO_HIGH, start=1):  # each class has its named hue
        hue, _ = _hue_lightness(got[k])
        lo, hi = HUE_OF_NAME[name]
        assert lo <= hue < hi, (k, name, got[k], hue)
    # yellow (class 3) is the lighter of yellow and orange
    assert _hue_lightness(got[3])[1] > _hue_lightness(got[4])[1]


def test_sample_townships_are_coloured_by_class_in_the_published_colours():
    from app.intensity_map import intensity_map
    from gis.park import load_sample_park

    park = load_sample_park()
    m = intensity_map(park.townships, park.township_stats)
    g = m.layer
    assert set(g["class"]) >= {1, 2, 3, 4, 5}  # every class is on the sample map
    palette = {0: PUBLISHED_NO_DATA, **PUBLISHED_FIVE}
    assert [c.lower() for c in g["colour"]] == [palette[int(k)] for k in g["class"]]
