"""Constraints: ISO 9613-2 noise by hand, GB 3096 limits, spacing and setbacks exactly at the
threshold, shadow flicker geometry."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gis.wind import constraints as C
from gis.wind.farm import WindFarmModel, WindSettings
from gis.wind.resource import WindClimate, WindResource
from gis.wind.turbines import load_turbine


def test_noise_iso9613_hand_case():
    # L_WA 104 dB(A), hub 80 m, receiver 1.2 m, 300 m away horizontally:
    # d = √(300² + 78.8²) = 310.176 m; A_div = 20 lg 310.176 + 11 = 60.832 dB;
    # A_atm = 1.9 dB/km × 0.310176 km = 0.589 dB; L = 104 − 60.832 − 0.589 = 42.58 dB(A)
    L = C.noise_contributions(np.array([[300.0]]), 80.0, 1.2, np.array([104.0]))
    assert L[0, 0] == pytest.approx(42.578, abs=0.002)
    # DOMAIN.md §6: 45 dB(A) is reached about 200–300 m away
    d = np.arange(100.0, 500.0, 1.0)[:, None]
    L45 = C.noise_contributions(d, 80.0, 1.2, np.array([104.0]))[:, 0]
    assert 200 <= d[np.argmax(L45 < 45.0), 0] <= 300
    # two equal turbines add 10 lg 2 = 3.01 dB
    pair = C.noise_contributions(np.array([[300.0, 300.0]]), 80.0, 1.2, np.array([104.0, 104.0]))
    two = C.energetic_sum(pair)
    assert two[0] == pytest.approx(42.578 + 3.0103, abs=0.003)


def test_noise_ground_term_and_octave_bands_by_hand():
    # alternative method (ISO 9613-2 eq. 10/11): h_s 10 m, h_r 2 m, d_p 200 m
    dp, hs, hr = 200.0, 10.0, 2.0
    d = np.hypot(dp, hs - hr)
    a_gr = 4.8 - (2 * 6.0 / d) * (17 + 300 / d)
    d_om = 10 * np.log10(1 + (dp ** 2 + (hs - hr) ** 2) / (dp ** 2 + (hs + hr) ** 2))
    expected = 95.0 + d_om - (20 * np.log10(d) + 11) - 1.9 * d / 1000 - a_gr
    got = C.noise_contributions(np.array([[dp]]), hs, hr, np.array([95.0]), ground=True)
    assert got[0, 0] == pytest.approx(expected, abs=1e-9)
    # octave bands: each band attenuated with its own α (Table 2), then summed
    bands = np.array([80, 85, 88, 90, 90, 87, 82, 75.0])
    alpha = np.array([0.1, 0.4, 1.0, 1.9, 3.7, 9.7, 32.8, 117.0])
    d2 = np.hypot(500.0, 58.8)
    ref = 10 * np.log10(np.sum(10 ** ((bands - 20 * np.log10(d2) - 11 - alpha * d2 / 1000) / 10)))
    got2 = C.noise_contributions(np.array([[500.0]]), 60.0, 1.2, np.array([0.0]), band_levels_dba=bands)
    assert got2[0, 0] == pytest.approx(ref, abs=1e-9)


def test_gb3096_limits_table():
    t = C.gb3096_limits()
    # DOMAIN.md §6: class 0 50/40, class 1 55/45, class 2 60/50, class 3 65/55
    for cls, day, night in (("0", 50, 40), ("1", 55, 45), ("2", 60, 50), ("3", 65, 55)):
        assert (t.loc[cls, "day_dba"], t.loc[cls, "night_dba"]) == (day, night)
    assert t["source"].str.contains("GB 3096-2008").all()


def test_noise_violation_night_only():
    contrib = np.array([[51.0], [49.0]])
    rows, table = C.noise_violations(["T1"], ["R1", "R2"], contrib, ["2", "2"], [None, None])
    kinds = [(r["other"], r["kind"]) for r in rows]
    assert kinds == [("R1", "noise_night")]                       # 51 > 50 at night, < 60 by day
    assert table.loc[0, "night_exceed_db"] == pytest.approx(1.0)


# GB 3096-2008 §4.2, hand-read: class 1 = residential, medical, education (…); class 2 = housing
# mixed with commerce/industry; night limits (Table 1): class 1 45 dB(A), class 2 50 dB(A)
USE_CASES = [("学校", None, "1"), ("住宅楼", None, "1"), ("职工宿舍", "dormitory", "2"), ("医院", None, "1"),
             ("幼儿园", None, "1"), ("养老院", None, "1"), ("人才公寓", None, "2"), (None, "school", "1"),
             (None, "residential", "1"), (None, "hospital", "1"), (None, "elderly", "1"),
             (None, "kindergarten", "1"), (None, "dormitory", "2"), ("学校宿舍", None, "1"),
             ("商住楼", None, "2")]


def test_noise_class_follows_the_receptor_use():
    text = [t for t, _, _ in USE_CASES]
    keys = [k for _, k, _ in USE_CASES]
    got = C.noise_classes_by_use(keys, text)
    assert list(got) == [c for _, _, c in USE_CASES]
    # no use known → class 2 (mixed); a given class overrides the use
    assert list(C.noise_classes_by_use(["office"], ["办公"])) == ["2"]
    b = gpd.GeoDataFrame({"use": ["学校", "宿舍"], "use_class": ["public", "dormitory"]},
                         geometry=[shapely.Point(0, 0), shapely.Point(1, 1)], crs=4549)
    assert C.building_noise_classes(b) == ["1", "2"]
    assert C.building_noise_classes(b, "3") == ["3", "3"]
    t = C.noise_class_table()
    assert t["source"].str.contains("GB 3096-2008").all()
    assert set(t["noise_class"]) <= set(C.gb3096_limits().index)


def test_a_school_gets_the_class_1_night_limit():
    """47 dB(A) at night: a school (class 1, 45 dB) is in breach, a park dormitory (class 2, 50 dB)
    is not — through the farm's receptors made from the buildings."""
    from gis.wind.farm import make_receptors

    b = gpd.GeoDataFrame({"use": ["学校", "职工宿舍", "厂房"]},
                         geometry=[shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10),
                                   shapely.box(40, 0, 50, 10)], crs=4549)
    rec = make_receptors(None, b)
    assert rec.noise_class == ["1", "2"] and len(rec.ids) == 2  # the factory is no receptor
    rows, table = C.noise_violations(["T1"], rec.ids, np.array([[47.0], [47.0]]), rec.noise_class,
                                     [None, None])
    assert [(r["other"], r["kind"], r["limit"]) for r in rows] == [(rec.ids[0], "noise_night", 45.0)]
    assert list(table["night_limit_dba"]) == [45.0, 50.0]
    # a receptor layer without a class field, or the "by use" setting reaching the check: class 2
    rows, table = C.noise_violations(["T1"], ["R"], np.array([[47.0]]), [C.AUTO_NOISE_CLASS], [None])
    assert rows == [] and table.loc[0, "noise_class"] == "2"


def test_spacing_exactly_at_the_threshold():
    d = 52.0
    # prevailing wind from the north: 5 D along the north-south axis, 3 D east-west
    ok = C.spacing_violations(["A", "B"], [0, 0], [0, 5 * d], [d, d], 0.0)
    assert ok == []
    bad = C.spacing_violations(["A", "B"], [0, 0], [0, 5 * d - 0.01], [d, d], 0.0)
    assert {r["turbine"] for r in bad} == {"A", "B"} and bad[0]["kind"] == "spacing"
    assert C.spacing_violations(["A", "B"], [0, 3 * d], [0, 0], [d, d], 0.0) == []
    assert len(C.spacing_violations(["A", "B"], [0, 3 * d - 0.01], [0, 0], [d, d], 0.0)) == 2
    # on the diagonal the limit is the ellipse radius 1/√(cos²/a² + sin²/b²)
    a, b = 5 * d, 3 * d
    r45 = 1 / np.sqrt(0.5 / a ** 2 + 0.5 / b ** 2)
    s = r45 / np.sqrt(2)
    assert C.spacing_violations(["A", "B"], [0, s * 1.0001], [0, s * 1.0001], [d, d], 0.0) == []
    assert len(C.spacing_violations(["A", "B"], [0, s * 0.999], [0, s * 0.999], [d, d], 0.0)) == 2
    # no prevailing direction: a circle of the downwind spacing
    assert len(C.spacing_violations(["A", "B"], [0, 4 * d], [0, 0], [d, d], None)) == 2


def test_setbacks_exactly_at_the_threshold():
    t = load_turbine("ghrepower_fd21_50")                     # tip 36 + 10.75 = 46.75 m
    limit = 1.5 * t.tip_height_m
    house = shapely.box(100.0, -10.0, 120.0, 10.0)
    geoms = np.array([house])
    at = shapely.points([100.0 - limit], [0.0])
    assert C.setback_violations(["T1"], at, [t.tip_height_m], "buildings", geoms, None) == []
    near = shapely.points([100.0 - limit + 0.01], [0.0])
    rows = C.setback_violations(["T1"], near, [t.tip_height_m], "buildings", geoms, None, ["H1"])
    assert len(rows) == 1 and rows[0]["other"] == "H1"
    assert rows[0]["value"] == pytest.approx(limit - 0.01, abs=1e-3)
    assert rows[0]["limit"] == pytest.approx(limit)
    assert rows[0]["geometry"].length == pytest.approx(limit - 0.01)
    # user metres override the factor
    assert C.setback_violations(["T1"], near, [t.tip_height_m], "buildings", geoms, 50.0) == []


def test_shadow_flicker_north_south_far():
    # Hangzhou (30.2 N): the sun is always south of east-west at high elevations, so a receptor
    # north of the turbine gets worst-case shadow in winter, one to the south never, one beyond 10 D none
    sun = C.sun_path(30.2, 120.2, step_min=10.0)
    turb = np.array([[0.0, 0.0, 80.0]])
    rec = shapely.points([0.0, 0.0, 0.0], [-120.0, 150.0, 1000.0])   # south, north, far north
    hours, max_day = C.shadow_flicker(turb, np.array([26.0]), rec, 1.2, sun,
                                      max_distance_m=np.array([520.0]))
    assert hours[0] == 0.0
    assert hours[1] > 0.0 and 0 < max_day[1] <= 24 * 60
    assert hours[2] == 0.0
    # further north (Harbin, 45.75 N) the winter sun is lower: more shadow on the northern receptor
    north = C.shadow_flicker(turb, np.array([26.0]), rec, 1.2, C.sun_path(45.75, 126.77, step_min=10.0),
                             max_distance_m=np.array([520.0]))[0]
    assert north[1] > hours[1] and north[0] == 0.0


def _model(**kw):
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    res = WindResource(WindClimate.uniform(6.0, 2.0, 60.0))
    return t, WindFarmModel(t, res, crs="EPSG:4549", settings=WindSettings(**kw.pop("settings", {})), **kw)


def test_model_reports_violations_per_turbine():
    crs = "EPSG:4549"
    dorm = gpd.GeoDataFrame({"bldg_id": ["D1", "F1"], "use": ["宿舍", "工业"]},
                            geometry=[shapely.box(500, -20, 540, 20), shapely.box(-200, 150, -150, 200)],
                            crs=crs)
    _, m = _model(buildings=dorm)
    res = m.evaluate([0.0, 100.0], [0.0, 0.0], ids=["T1", "T2"])
    v = res.violations
    assert set(v["kind"]) >= {"spacing"}
    assert res.receptors is not None and list(res.receptors["receptor"]) == ["D1"]   # only the dormitory
    assert res.turbines.loc[0, "n_violations"] >= 1 and "spacing" in res.turbines.loc[0, "violations"]
    assert "间距" in res.turbines.loc[0, "violations_zh"]
    # the factory is 150 m north of T1: inside 1.5 × tip height (1.5 × 86 = 129 m)? no -> no setback row
    assert not ((v["kind"] == "setback_buildings") & (v["other"] == "F1")).any()


def test_rules_without_their_layer_are_said_to_be_unchecked():
    """Turbines evaluated without buildings, roads or a red line report no violation of those
    setbacks; the result must say they were not checked instead of implying they were met."""
    from gis.park import load_sample_park
    from gis.wind.farm import DEMO_TURBINE, WindFarmModel, demo_resource, demo_turbines
    from gis.wind.turbines import load_turbine

    park = load_sample_park()
    d = demo_turbines(park)
    bare = WindFarmModel(load_turbine(DEMO_TURBINE), demo_resource(park), crs=park.crs)
    res = bare.evaluate(d.geometry.x.to_numpy(), d.geometry.y.to_numpy())
    codes = {p.code for p in res.problems}
    assert {"wind.unchecked_buildings", "wind.unchecked_roads", "wind.unchecked_boundary",
            "wind.unchecked_receptors"} <= codes
    full = WindFarmModel(load_turbine(DEMO_TURBINE), demo_resource(park), crs=park.crs,
                         buildings=park.buildings, boundary=park.boundary, roads=park.roads)
    res = full.evaluate(d.geometry.x.to_numpy(), d.geometry.y.to_numpy())
    assert not {p.code for p in res.problems} & {"wind.unchecked_buildings", "wind.unchecked_boundary",
                                                  "wind.unchecked_receptors"}
