"""Roof layouts: row spacing against exact sun geometry, usable areas and module counts by hand."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pvlib
import pytest
import shapely

from gis.errors import InputError
from gis.solar.layout import (
    LayoutSettings,
    ModuleSpec,
    classify_roofs,
    roof_layout,
    row_spacing_m,
    rows_gcr,
    winter_shadow_factor,
)
from gis.solar.roof_deductions import DeductionOverrides

CRS = "EPSG:4549"  # CGCS2000 3° GK CM 120°E
# The geometry tests below switch off the roof deductions of issue 15 §6 (tests/test_roof_capacity.py
# checks those) and keep a 1 m setback and the per-class equipment shares they were written with.
PLAIN = LayoutSettings(setback_m=1.0, equipment_share={"flat": 0.15, "metal": 0.10, "pitched": 0.05},
                       deductions=DeductionOverrides(skylight_share=0.0, walkway_m=0.0, fire_lane_m=0.0,
                                                     structure_share=0.0))


def _reference_shadow_factor(lat: float, lon: float = 120.0) -> float:
    """Max N–S shadow reach per metre 9:00–15:00 true solar time on 2024-12-21, from pvlib's
    SPA sun positions (true solar time = clock UTC + lon/15 + equation of time)."""
    day = pd.Timestamp("2024-12-21", tz="UTC")
    eot_min = float(pvlib.solarposition.equation_of_time_spencer71(day.day_of_year))
    true_solar_h = np.linspace(9, 15, 721)
    utc = day + pd.to_timedelta(true_solar_h - lon / 15.0 - eot_min / 60.0, unit="h")
    pos = pvlib.solarposition.spa_python(pd.DatetimeIndex(utc), lat, lon)
    alt = np.radians(pos["elevation"].to_numpy())
    az_from_south = np.radians(pos["azimuth"].to_numpy() - 180.0)
    return float((np.cos(az_from_south) / np.tan(alt)).max())


@pytest.mark.parametrize("lat", [22.0, 31.0, 40.0, 46.0])
def test_row_spacing_matches_exact_sun_geometry(lat):
    ours = row_spacing_m(1.0, lat)
    ref = _reference_shadow_factor(lat)
    assert ours == pytest.approx(ref, rel=0.01)


def test_closed_formula_underspaces_in_the_north():
    """The common 0.707 formula gives 4–5% less than exact geometry north of ~40°N (DOMAIN §5)."""
    for lat in (40.0, 46.0):
        phi = np.radians(lat)
        closed = 0.707 / np.tan(np.arcsin(0.648 * np.cos(phi) - 0.399 * np.sin(phi)))
        assert winter_shadow_factor(lat) > closed * 1.03


def test_gcr_by_hand():
    lat, tilt = 31.0, 20.0
    k = _reference_shadow_factor(lat)
    expected = 1.0 / (np.cos(np.radians(tilt)) + np.sin(np.radians(tilt)) * k)
    assert rows_gcr(tilt, lat) == pytest.approx(expected, rel=0.01)


def test_spacing_refuses_polar_latitudes():
    with pytest.raises(InputError):
        winter_shadow_factor(70.0)


def _frame(polys, **cols) -> gpd.GeoDataFrame:
    n = len(polys)
    data = {"use_class": ["office"] * n, "roof_slope_deg": [0.0] * n, **cols}
    g = gpd.GeoDataFrame(data, geometry=polys, crs=CRS)
    g["footprint_m2"] = g.area
    g["roof_m2"] = g.area / np.cos(np.radians(g["roof_slope_deg"]))
    return g


def test_flat_roof_usable_area_and_modules_by_hand():
    g = _frame([shapely.box(0, 0, 50, 40)])
    m = ModuleSpec()
    out, planes, _ = roof_layout(g, 30.0, PLAIN)
    usable = 48 * 38 * (1 - 0.15)  # setback 1 m each side, 15% equipment
    assert out["usable_m2"].iloc[0] == pytest.approx(usable, rel=1e-9)
    gcr = rows_gcr(20.0, 30.0)
    assert out["modules"].iloc[0] == int(np.floor(usable * gcr / m.area_m2))
    assert out["kwp"].iloc[0] == pytest.approx(out["modules"].iloc[0] * 0.575)
    assert planes["tilt_deg"].iloc[0] == 20 and planes["azimuth_deg"].iloc[0] == 180
    # ≈ 130 W/m² of roof at GCR ≈ 0.6 (DOMAIN §5)
    assert 110 < out["kwp"].iloc[0] * 1000 / usable < 150


def test_metal_roof_both_planes_flush_and_pitched_only_sunward():
    # 60 m long E–W → ridge runs E–W; faces S and N
    g = _frame([shapely.box(0, 0, 60, 20), shapely.box(100, 0, 120, 60), shapely.box(200, 0, 260, 20)],
               use_class=["industrial", "office", "office"], roof_type=["彩钢", "坡屋面", "坡屋面"],
               roof_slope_deg=[5.0, 25.0, 25.0])
    out, planes, _ = roof_layout(g, 30.0, PLAIN)
    assert list(out["roof_class"]) == ["metal", "pitched", "pitched"]
    metal = planes[planes["building"] == 0]
    assert sorted(metal["azimuth_deg"].round()) == [0, 180]  # both planes of a 5° metal roof
    plan = 58 * 18
    assert out["usable_m2"].iloc[0] == pytest.approx(plan / np.cos(np.radians(5)) * 0.9, rel=1e-6)
    assert out["gcr"].iloc[0] == pytest.approx(0.9)
    ns = planes[planes["building"] == 1]  # ridge N–S: east and west planes
    assert sorted(ns["azimuth_deg"].round()) == [90, 270]
    ew = planes[planes["building"] == 2]  # ridge E–W: the south plane only
    assert list(ew["azimuth_deg"].round()) == [180]
    assert out["usable_m2"].iloc[2] == pytest.approx(58 * 18 * 0.5 / np.cos(np.radians(25)) * 0.95)


def test_forced_orientation_applies_to_every_roof():
    g = _frame([shapely.box(0, 0, 60, 20), shapely.box(100, 0, 130, 30)],
               use_class=["industrial", "office"], roof_slope_deg=[5.0, 0.0])
    _, planes, _ = roof_layout(g, 30.0, LayoutSettings(forced_tilt_deg=30, forced_azimuth_deg=200))
    assert set(planes["tilt_deg"]) == {30} and set(planes["azimuth_deg"]) == {200}


def test_slivers_and_small_roofs_get_nothing_and_are_named():
    g = _frame([shapely.box(0, 0, 100, 1.5), shapely.box(10, 10, 15, 15), shapely.box(50, 50, 80, 80)],
               bldg_id=["sliver", "hut", "ok"])
    out, _, problems = roof_layout(g, 30.0)
    assert list(out["kwp"] > 0) == [False, False, True]
    codes = {p.code: p.feature_ids for p in problems}
    assert codes["pv.roof_too_narrow"] == ["sliver"]
    assert codes["pv.roof_too_small"] == ["hut"]


def test_nea_minimum_shares_check():
    g = _frame([shapely.box(0, 0, 50, 50), shapely.box(100, 0, 150, 50), shapely.box(200, 0, 250, 50)],
               use_class=["public", "industrial", "dormitory"])
    out, _, _ = roof_layout(g, 30.0)
    assert list(out["nea_min_share"].iloc[:2]) == [0.40, 0.30]
    assert np.isnan(out["nea_min_share"].iloc[2])  # not a pilot class
    assert bool(out["nea_ok"].iloc[0]) == (out["install_share"].iloc[0] >= 0.40)


def test_roof_type_keywords_beat_use_default():
    g = pd.DataFrame({"use_class": ["industrial", "industrial", "office"],
                      "屋面类型": ["混凝土平屋面", None, "彩钢瓦"]})
    classes, sources = classify_roofs(g)
    assert list(classes) == ["flat", "metal", "metal"]
    assert sources[0] == "field:屋面类型" and sources[1].startswith("default for use")


def test_bad_settings_are_refused_in_both_languages():
    with pytest.raises(InputError) as e:
        LayoutSettings(flat_gcr=1.5)
    assert "GCR" in e.value.zh and "GCR" in e.value.en


def test_roof_under_a_taller_part_is_not_usable_and_duplicates_count_once():
    podium = shapely.box(0, 0, 60, 60)
    tower = shapely.box(20, 20, 40, 40)  # an OSM building:part on the podium
    twin = shapely.box(100, 0, 130, 30)
    g = _frame([podium, tower, twin, twin], height_m=[20.0, 150.0, 30.0, 30.0],
               bldg_id=["podium", "tower", "a", "a-duplicate"])
    out, _, problems = roof_layout(g, 30.0, PLAIN)
    # podium: 58×58 after setback, minus the 20×20 tower, less 15% equipment
    assert out["usable_m2"].iloc[0] == pytest.approx((58 * 58 - 20 * 20) * 0.85)
    assert out["usable_m2"].iloc[1] == pytest.approx(18 * 18 * 0.85)
    assert out["usable_m2"].iloc[2:].sum() == pytest.approx(28 * 28 * 0.85)  # counted once
    ids = next(p.feature_ids for p in problems if p.code == "pv.roof_covered")
    assert sorted(ids) == ["a", "podium"]


@pytest.mark.parametrize("azimuth", [0.0, 45.0, 90.0, 135.0, 180.0, 270.0, 360.0])
def test_rows_never_exceed_full_cover_whatever_their_facing(azimuth):
    g = rows_gcr(20.0, 30.2, azimuth)
    assert 0 < g <= 1.0


def test_forced_tilt_on_metal_roof_uses_rows_not_flush():
    g = _frame([shapely.box(0, 0, 60, 20)], use_class=["industrial"], roof_slope_deg=[5.0])
    _, planes, _ = roof_layout(g, 30.0, LayoutSettings(forced_tilt_deg=30))
    assert list(planes["mounting"]) == ["rows"]
    assert planes["gcr"].iloc[0] == pytest.approx(rows_gcr(30.0, 30.0, 180.0))


def test_dense_user_gcr_is_warned():
    g = _frame([shapely.box(0, 0, 50, 40)])
    _, _, problems = roof_layout(g, 30.0, LayoutSettings(flat_gcr=0.95))
    p = next(p for p in problems if p.code == "pv.rows_shade_each_other")
    assert "GCR 0.95" in p.en and "遮挡" in p.zh
    _, _, problems = roof_layout(g, 30.0, LayoutSettings(flat_gcr=0.5))
    assert not any(p.code == "pv.rows_shade_each_other" for p in problems)


@pytest.mark.parametrize(("w", "length", "width"),
                         [(575, 2278, 1134), (0.575, 2.278, 1.134), (575, 0.1, 1.0)])
def test_implausible_modules_are_refused(w, length, width):
    with pytest.raises(InputError):
        LayoutSettings(module=ModuleSpec(w, length, width))
