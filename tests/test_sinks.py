"""Green-space sinks: vector polygons, trees and land-cover rasters against hand calculations."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from affine import Affine

from gis.carbon.landcover import load_class_table, pixel_coverage, raster_sinks
from gis.carbon.sinks import (
    combine_sinks,
    default_sink_factors,
    factors_path,
    load_sink_factors,
    map_cover_types,
    park_sinks,
    tree_sinks,
    vector_sinks,
)
from gis.errors import InputError
from gis.io import read_vector
from gis.io.landcover import read_landcover
from gis.paths import sample_dir
from tests.conftest import shared

# Hand values (DOMAIN.md §4), typed here rather than read from the table under test
FOREST, SHRUB, GRASS, WETLAND, WATER, CROP, BUILT = 3.9, 2.1, 0.2, 0.6, 0.0, -0.1, -0.6
CANOPY_T_PER_M2 = 0.28 * 44 / 12 / 1000  # 0.28 kgC/m²/yr (Nowak 2013) → tCO2 per m² of canopy
EPSG = 4549


def frame(rows, crs=EPSG, **cols):
    return gpd.GeoDataFrame(cols, geometry=rows, crs=crs)


# ------------------------------------------------------------------ vector ----

def test_forest_hectare_is_3_9_t():
    g = frame([shapely.box(500_000, 3_300_000, 500_100, 3_300_100)], cover=["林地"])
    r = vector_sinks(g)
    assert r.features["area_m2"].iloc[0] == pytest.approx(10_000)
    assert r.features["area_ha"].iloc[0] == pytest.approx(1.0)
    assert r.features["t_co2_yr"].iloc[0] == pytest.approx(3.9)
    assert r.total_t_co2_yr == pytest.approx(3.9)
    assert r.by_class.set_index("class").loc["forest", "source"].startswith("广东省2018年")
    assert r.problems == [] and len(r.excluded) == 0


def test_areas_match_shapely_on_known_polygons():
    tri = shapely.Polygon([(0, 0), (300, 0), (0, 200)])  # 30,000 m²
    holed = shapely.Polygon([(1000, 0), (1200, 0), (1200, 200), (1000, 200)],
                            [[(1050, 50), (1150, 50), (1150, 150), (1050, 150)]])  # 40,000 − 10,000
    multi = shapely.MultiPolygon([shapely.box(2000, 0, 2050, 100), shapely.box(2100, 0, 2150, 100)])
    g = frame([tri, holed, multi], type=["Grass", "湿地", "Cropland"])
    r = vector_sinks(g, type_field="type")
    assert list(r.features["area_m2"]) == pytest.approx([30_000, 30_000, 10_000])
    assert list(r.features["area_m2"]) == pytest.approx(list(shapely.area(np.asarray(g.geometry.array))))
    by = r.by_class.set_index("class")
    assert by.loc["grassland", "t_co2_yr"] == pytest.approx(3.0 * GRASS)
    assert by.loc["wetland", "t_co2_yr"] == pytest.approx(3.0 * WETLAND)
    assert by.loc["cropland", "t_co2_yr"] == pytest.approx(1.0 * CROP)
    assert r.total_t_co2_yr == pytest.approx(0.6 + 1.8 - 0.1)
    assert r.removals_t_co2_yr == pytest.approx(2.4) and r.sources_t_co2_yr == pytest.approx(0.1)
    assert r.land_area_m2 == pytest.approx(70_000)


@pytest.mark.parametrize(("value", "expected"), [
    ("林地", "forest"), ("Forest", "forest"), ("FOREST", "forest"), ("乔木林", "forest"),
    ("乔木林地", "forest"),
    ("woodland", "forest"), ("Mixed forest", "forest"), ("灌木", "shrub"), ("灌木林", "shrub"),
    ("Shrubland", "shrub"), ("草地", "grassland"), ("草坪", "grassland"), (" lawn ", "grassland"),
    ("湿地", "wetland"), ("草本湿地", "wetland"), ("Herbaceous wetland", "wetland"), ("水体", "water"),
    ("Water", "water"), ("池塘", "water"), ("耕地", "cropland"), ("茶园", "tea"), ("Tea garden", "tea"),
    ("建设用地", "construction"), ("paved", "construction"), ("Buildings", "construction"),
    ("裸地", "bare"), ("bare soil", "bare"), ("行道树", "tree_canopy"), ("street trees", "tree_canopy"),
    ("ＦＯＲＥＳＴ", "forest"),  # full-width Latin from Chinese input methods
])
def test_type_names_map_to_classes(value, expected):
    classes, unmapped = map_cover_types([value])
    assert classes[0] == expected and unmapped == {}


@pytest.mark.parametrize("value", ["street", "道路绿地", "广场绿地", "园地", "乔灌草"])
def test_ambiguous_or_unknown_names_are_not_guessed(value):
    classes, unmapped = map_cover_types([value])
    assert pd.isna(classes[0]) and value in unmapped


def test_unknown_types_error_names_them_in_both_languages():
    g = frame([shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10), shapely.box(40, 0, 50, 10),
               shapely.box(60, 0, 70, 10)], cover=["林地", "果园", "Orchard", None])
    with pytest.raises(InputError) as e:
        vector_sinks(g)
    zh, en = e.value.zh, e.value.en
    for v in ("果园", "Orchard"):
        assert v in zh and v in en
    assert "空" in zh and "empty" in en  # the feature without a type is named too
    assert "林地" in zh and "草地" in zh  # the accepted types are listed
    assert "forest" in en and "grassland" in en
    assert "--skip-unknown" in en and "aliases" in en


def test_skip_unknown_reports_what_was_left_out():
    g = frame([shapely.box(0, 0, 100, 100), shapely.box(200, 0, 300, 50)], cover=["林地", "果园"],
              green_id=["A", "B"])
    r = vector_sinks(g, unknown="exclude")
    assert r.total_t_co2_yr == pytest.approx(3.9)
    row = r.excluded.iloc[0]
    assert (row["reason"], row["value"], row["n"], row["area_m2"]) == ("unknown type", "果园", 1, 5000)
    (p,) = [p for p in r.problems if p.code == "sinks.unknown_type"]
    assert p.feature_ids == ["B"] and "果园" in p.zh and "果园" in p.en
    assert pd.isna(r.features["sink_class"].iloc[1]) and r.features["t_co2_yr"].iloc[1] == 0


def test_overlapping_polygons_are_flagged_as_double_counting():
    a = shapely.box(0, 0, 100, 100)
    b = shapely.box(50, 0, 150, 100)  # overlaps a by 50 × 100 m
    c = shapely.box(150, 0, 200, 100)  # touches b only along an edge: no overlap
    g = frame([a, b, c], cover=["林地", "草地", "草地"], green_id=["G1", "G2", "G3"])
    r = vector_sinks(g)
    assert r.double_counted_m2 == pytest.approx(5000)
    (p,) = [p for p in r.problems if p.code == "sinks.overlap"]
    assert p.level == "warning" and sorted(p.feature_ids) == ["G1", "G2"]
    assert "5,000.0" in p.zh and "5,000.0" in p.en
    assert r.land_area_m2 == pytest.approx(25_000)  # counted as given, flagged


def test_lonlat_layer_is_refused():
    g = frame([shapely.box(120, 30, 120.001, 30.001)], crs=4490, cover=["林地"])
    with pytest.raises(InputError, match="projected"):
        vector_sinks(g)


def test_missing_type_field_lists_fields():
    g = frame([shapely.box(0, 0, 10, 10)], name=["x"])
    with pytest.raises(InputError) as e:
        vector_sinks(g)
    assert "name" in e.value.en and "name" in e.value.zh
    with pytest.raises(InputError, match="'kind'"):
        vector_sinks(g, type_field="kind")


def test_user_factor_file_overrides_and_adds(tmp_path):
    path = tmp_path / "factors.csv"
    path.write_text("类别,碳汇系数,别名,来源\n林地,5.1,,某市2020年森林资源清查\n"
                    "orchard,1.5,果园|Orchard,某研究\n", encoding="gbk")
    f = load_sink_factors(path)
    g = frame([shapely.box(0, 0, 100, 100), shapely.box(200, 0, 300, 100), shapely.box(400, 0, 500, 100)],
              cover=["林地", "果园", "草地"])
    r = vector_sinks(g, factors=f)
    assert list(r.features["t_co2_yr"]) == pytest.approx([5.1, 1.5, 0.2])
    by = r.by_class.set_index("class")
    assert by.loc["forest", "source"] == "某市2020年森林资源清查"
    assert by.loc["orchard", "source"] == "某研究"
    assert by.loc["grassland", "source"].startswith("广东省")  # untouched defaults keep theirs
    assert "user" in r.factors_label
    assert len(default_sink_factors()) == len(pd.read_csv(factors_path()))  # defaults not modified in place


def test_factor_file_without_factor_column_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("class,value\nforest,abc\n", encoding="utf-8")
    with pytest.raises(InputError, match="t_co2_per_ha_yr"):
        load_sink_factors(path)


# ------------------------------------------------------------------ trees ----

def test_tree_row_canopy_by_hand():
    rows = frame([shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(0, 50), (0, 150)])],
                 spacing_m=[10.0, 10.0], canopy_width_m=[6.0, 4.0], tree_count=[None, 20])
    r = tree_sinks(rows)
    # row 1: 100 m / 10 m + 1 = 11 trees × π·3²; row 2: 20 trees (given) × π·2²
    c1, c2 = 11 * math.pi * 9, 20 * math.pi * 4
    assert list(r.trees["trees_n"]) == [11, 20]
    assert list(r.trees["canopy_m2"]) == pytest.approx([c1, c2])
    assert list(r.trees["t_co2_yr"]) == pytest.approx([c1 * CANOPY_T_PER_M2, c2 * CANOPY_T_PER_M2], rel=1e-4)
    by = r.by_class.set_index("class").loc["tree_canopy"]
    assert by["basis"] == "canopy" and by["n"] == 31 and by["area_m2"] == pytest.approx(c1 + c2)
    assert r.land_area_m2 == 0 and r.canopy_area_m2 == pytest.approx(c1 + c2)


def test_point_trees_with_chinese_crown_field():
    pts = frame([shapely.Point(0, 0), shapely.MultiPoint([(10, 0), (20, 0), (30, 0)])], 冠幅=[8.0, 5.0])
    r = tree_sinks(pts)
    assert list(r.trees["canopy_m2"]) == pytest.approx([math.pi * 16, 3 * math.pi * 6.25])


def test_crowns_closer_than_their_width_are_capped_at_the_strip():
    rows = frame([shapely.LineString([(0, 0), (100, 0)])], spacing_m=[2.0], canopy_width_m=[6.0])
    r = tree_sinks(rows)
    strip = 100 * 6 + math.pi * 9  # line buffered by the 3 m crown radius
    assert r.trees["canopy_m2"].iloc[0] == pytest.approx(strip, rel=1e-3)
    assert any(p.code == "sinks.crowns_overlap" for p in r.problems)


def test_canopy_inside_forest_polygons_is_not_counted_twice():
    forest = frame([shapely.box(0, -50, 200, 50)], cover=["林地"])
    rows = frame([shapely.LineString([(-100, 0), (100, 0)])], spacing_m=[10.0], canopy_width_m=[6.0])
    g = vector_sinks(forest)
    r = tree_sinks(rows, green=g.features)
    canopy = 21 * math.pi * 9
    # the crown strip is symmetric about x = 0, the forest edge: half of it is inside
    assert r.trees["canopy_in_forest_m2"].iloc[0] == pytest.approx(canopy / 2, rel=1e-6)
    assert r.trees["counted_canopy_m2"].iloc[0] == pytest.approx(canopy / 2, rel=1e-6)
    assert any(p.code == "sinks.canopy_in_forest" for p in r.problems)
    raw = tree_sinks(rows, green=forest)  # the raw green layer works too (classified by its type field)
    assert raw.trees["canopy_in_forest_m2"].iloc[0] == pytest.approx(canopy / 2, rel=1e-6)
    both = combine_sinks(g, r)
    assert both.total_t_co2_yr == pytest.approx(2.0 * FOREST + canopy / 2 * CANOPY_T_PER_M2, rel=1e-4)
    assert both.features is g.features and both.trees is r.trees


def test_tree_rows_without_width_are_named():
    rows = frame([shapely.LineString([(0, 0), (100, 0)])] * 2, row_id=["T1", "T2"], spacing_m=[8.0, 8.0],
                 canopy_width_m=[6.0, None])
    with pytest.raises(InputError) as e:
        tree_sinks(rows)
    assert "T2" in e.value.zh and "T2" in e.value.en and "T1" not in e.value.en


# ------------------------------------------------------------------ sample park ----

def test_sample_park_totals_equal_areas_times_factors():
    gpkg = sample_dir() / "park.gpkg"
    green = read_vector(gpkg, layer="green").gdf.to_crs(EPSG)
    trees = read_vector(gpkg, layer="tree_rows").gdf.to_crs(EPSG)
    r = park_sinks(green, trees)
    areas = green.assign(a=green.area).groupby("cover")["a"].sum()
    hand = {"forest": areas["林地"] / 1e4 * FOREST, "shrub": areas["灌木"] / 1e4 * SHRUB,
            "grassland": areas["草地"] / 1e4 * GRASS, "wetland": areas["湿地"] / 1e4 * WETLAND,
            "water": areas["水体"] / 1e4 * WATER}
    canopy = float((trees["tree_count"] * math.pi * (trees["canopy_width_m"] / 2) ** 2).sum())
    hand["tree_canopy"] = canopy * CANOPY_T_PER_M2
    by = r.by_class.set_index("class")["t_co2_yr"]
    assert set(by.index) == set(hand)
    for k, v in hand.items():
        assert by[k] == pytest.approx(v, rel=1e-4), k
    assert r.total_t_co2_yr == pytest.approx(sum(hand.values()), rel=1e-4)
    assert r.land_area_m2 == pytest.approx(areas.sum(), rel=1e-9)
    assert r.trees["canopy_in_forest_m2"].sum() == 0  # the sample's rows run along roads
    assert r.double_counted_m2 == 0
    # the English field maps to the same classes
    en = vector_sinks(green, type_field="cover_en")
    assert en.by_class.set_index("class")["t_co2_yr"].to_dict() == pytest.approx(
        vector_sinks(green).by_class.set_index("class")["t_co2_yr"].to_dict())


# ------------------------------------------------------------------ raster ----

ESA = load_class_table("esa-worldcover")


def hand_raster():
    """10 × 10 pixels of 2 m from (1000, 2000) down to (1020, 1980): left half tree cover (10),
    right half grassland (30); one nodata pixel (0) bottom-left, code 99 (not in the table) in the
    top-right corner and at row 4, col 7."""
    codes = np.full((10, 10), 10, dtype=np.int32)
    codes[:, 5:] = 30
    codes[9, 0] = 0
    codes[0, 9] = 99
    codes[4, 7] = 99
    return codes, Affine(2.0, 0, 1000.0, 0, -2.0, 2000.0)


def test_pixel_fractions_of_a_boundary_cutting_pixels_in_halves_and_quarters():
    codes, t = hand_raster()
    rows, cols, frac = pixel_coverage(shapely.box(1001, 1981, 1019, 1999), t, codes.shape)
    assert (rows, cols) == (slice(0, 10), slice(0, 10))
    expected = np.ones((10, 10))
    expected[0, :] = expected[-1, :] = expected[:, 0] = expected[:, -1] = 0.5
    expected[0, 0] = expected[0, -1] = expected[-1, 0] = expected[-1, -1] = 0.25
    np.testing.assert_allclose(frac, expected, atol=1e-12)


def test_raster_class_areas_against_hand_made_raster():
    codes, t = hand_raster()
    boundary = shapely.box(1001, 1981, 1019, 1999)  # 18 × 18 = 324 m²
    r = raster_sinks(codes, t, "EPSG:32650", boundary, ESA, nodata=0)
    by = r.by_class.set_index("class")
    # forest: x 1001–1010 × 18 m = 162, minus the nodata quarter pixel (1 m²)
    # grass: x 1010–1019 × 18 m = 162, minus code 99: a corner quarter (1 m²) and a whole pixel (4 m²)
    assert by.loc["forest", "area_m2"] == pytest.approx(161)
    assert by.loc["grassland", "area_m2"] == pytest.approx(157)
    assert by.loc["forest", "n"] == pytest.approx(161 / 4)  # exact pixel equivalents
    assert by.loc["forest", "t_co2_yr"] == pytest.approx(0.0161 * FOREST)
    assert by.loc["grassland", "t_co2_yr"] == pytest.approx(0.0157 * GRASS)
    ex = r.excluded.set_index("reason")
    assert ex.loc["nodata", "area_m2"] == pytest.approx(1)
    assert ex.loc["unmapped code", "area_m2"] == pytest.approx(5) and ex.loc["unmapped code", "value"] == 99
    assert {p.code for p in r.problems} == {"raster.nodata", "raster.unmapped_codes"}
    assert r.boundary_area_m2 == pytest.approx(324)
    assert by["area_m2"].sum() + 1 + 5 == pytest.approx(324)


def test_raster_diagonal_boundary_with_hole():
    codes = np.full((10, 10), 30, dtype=np.int32)
    t = Affine(2.0, 0, 1000.0, 0, -2.0, 2000.0)
    tri = shapely.Polygon([(1000, 1980), (1020, 1980), (1000, 2000)],
                          [[(1003, 1983), (1006, 1983), (1006, 1986), (1003, 1986)]])  # 200 − 9
    r = raster_sinks(codes, t, 32650, tri, ESA)
    assert r.by_class["area_m2"].sum() == pytest.approx(191)
    assert r.problems == []


def test_boundary_partly_outside_the_raster_is_reported():
    codes, t = hand_raster()
    r = raster_sinks(codes, t, 32650, shapely.box(1010, 1990, 1030, 2010), ESA, nodata=0)
    # 20 × 20 = 400 m² of which 10 × 10 lie on the raster: 25 pixels, two of them code 99
    assert r.by_class.set_index("class").loc["grassland", "area_m2"] == pytest.approx(92)
    assert r.excluded.set_index("reason").loc["outside raster", "area_m2"] == pytest.approx(300)
    assert any(p.code == "raster.partial" for p in r.problems)


def test_boundary_outside_the_raster_is_an_input_error():
    codes, t = hand_raster()
    with pytest.raises(InputError, match="does not overlap"):
        raster_sinks(codes, t, 32650, shapely.box(0, 0, 10, 10), ESA)


def test_boundary_geodataframe_is_reprojected():
    codes, t = hand_raster()
    b = gpd.GeoSeries([shapely.box(1001, 1981, 1019, 1999)], crs=32650).to_crs(4326)
    r = raster_sinks(codes, t, 32650, gpd.GeoDataFrame(geometry=b), ESA, nodata=0)
    assert r.by_class["area_m2"].sum() == pytest.approx(318, rel=1e-4)


def test_lonlat_raster_uses_geodesic_pixel_areas():
    from pyproj import Geod

    codes = np.full((100, 100), 10, dtype=np.int32)
    t = Affine(1e-4, 0, 120.0, 0, -1e-4, 30.01)
    b = shapely.box(120.00015, 30.00015, 120.00985, 30.00985)
    r = raster_sinks(codes, t, 4326, b, ESA)
    area, _ = Geod(ellps="GRS80").geometry_area_perimeter(b)
    assert r.by_class["area_m2"].sum() == pytest.approx(abs(area), rel=1e-4)


def test_user_class_table_with_chinese_names(tmp_path):
    path = tmp_path / "classes.csv"
    path.write_text("代码,类别\n1,林地\n2,草坪\n", encoding="utf-8")
    table = load_class_table(path)
    codes = np.array([[1, 2], [2, 2]], dtype=np.int32)
    r = raster_sinks(codes, Affine(10, 0, 0, 0, -10, 20), 32650, shapely.box(0, 0, 20, 20), table)
    by = r.by_class.set_index("class")["area_m2"]
    assert by["forest"] == pytest.approx(100) and by["grassland"] == pytest.approx(300)


def test_class_table_with_unknown_class_is_refused(tmp_path):
    path = tmp_path / "classes.csv"
    path.write_text("code,class\n1,lava\n", encoding="utf-8")
    with pytest.raises(InputError, match="lava"):
        raster_sinks(np.ones((2, 2), np.int32), Affine(1, 0, 0, 0, -1, 2), 32650, shapely.box(0, 0, 2, 2),
                     load_class_table(path))


def test_goteborg_landcover_class_areas_sum_to_boundary():
    path = shared("rasters", "goteborg", "landcover.tif")
    lc = read_landcover(path)
    assert lc.codes.dtype == np.int32 and lc.crs.to_epsg() == 3007
    assert set(np.unique(lc.codes)) <= {1, 2, 3, 4, 5, 6, 7}
    umep = load_class_table("umep")
    # a rotated, irregular boundary well inside the 234 × 223 m raster
    boundary = shapely.affinity.rotate(shapely.Polygon(
        [(147750, 6398600), (147920, 6398590), (147930, 6398740), (147800, 6398760), (147760, 6398700)]),
        17, origin="centroid")
    r = raster_sinks(lc.codes, lc.transform, lc.crs, boundary, umep, nodata=lc.nodata)
    assert r.by_class["area_m2"].sum() == pytest.approx(boundary.area, rel=1e-3)
    assert r.by_class["area_m2"].sum() == pytest.approx(boundary.area, rel=1e-9)  # exact, in fact
    # reading only the window around the boundary gives the same answer
    win = read_landcover(path, bounds=boundary.bounds)
    assert win.codes.size < lc.codes.size
    r2 = raster_sinks(win.codes, win.transform, win.crs, boundary, umep, nodata=win.nodata)
    pd.testing.assert_frame_equal(r.by_class, r2.by_class)


def test_goteborg_all_inside_equals_pixel_counts():
    path = shared("rasters", "goteborg", "landcover.tif")
    codes, transform, crs, nodata = read_landcover(path)
    h, w = codes.shape
    x0, y0 = transform.c, transform.f
    extent = shapely.box(x0, y0 + h * transform.e, x0 + w * transform.a, y0)
    r = raster_sinks(codes, transform, crs, extent.buffer(0.0), load_class_table("umep"), nodata=nodata)
    values, counts = np.unique(codes[codes != nodata], return_counts=True)
    px = dict(zip(values.tolist(), counts.tolist(), strict=True))
    by_code = r.by_code.set_index("code")["area_m2"]
    for code, n in px.items():
        assert by_code[code] == pytest.approx(n * abs(transform.a * transform.e), rel=1e-12)
    by = r.by_class.set_index("class")["area_m2"]
    assert by["construction"] == pytest.approx(px[1] + px[2])  # paved + buildings
    assert by["grassland"] == pytest.approx(px[5])
    assert by["water"] == pytest.approx(px[7])
    assert r.by_class.set_index("class").loc["construction", "t_co2_yr"] == pytest.approx(
        (px[1] + px[2]) / 1e4 * BUILT)


def test_dsm_is_not_a_land_cover_map():
    with pytest.raises(InputError, match="non-integer"):
        read_landcover(shared("rasters", "goteborg", "DSM_KRbig.tif"))
