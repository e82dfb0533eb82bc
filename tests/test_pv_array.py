"""PV arrays: row pitch against pvlib sun geometry, tables against shapely predicates, the
optimum and the yield against pvlib chains written here, row and building shading, the CLI."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pvlib
import pyogrio
import pytest
import shapely
from pyproj import Geod, Transformer

from gis.errors import InputError
from gis.progress import Cancelled, Progress
from gis.solar.array_energy import ArraySettings, optimal_orientation, pv_array
from gis.solar.array_layout import TableSpec
from gis.solar.weather_types import Weather

LAT, LON, ALT = 30.25, 120.17, 10.0  # Hangzhou
UTM = "EPSG:32651"


# ------------------------------------------------------------------------------------------
# references written here
# ------------------------------------------------------------------------------------------

def make_weather(lat=LAT, lon=LON, *, clouds=True, diffuse=True, seed=1) -> Weather:
    """A year of hourly weather made here with pvlib: Ineichen clear sky, optionally × a daily
    cloud factor with an Erbs split, or beam only (no diffuse)."""
    times = pd.date_range("2023-01-01 00:30", periods=8760, freq="h", tz="Etc/GMT-8")
    loc = pvlib.location.Location(lat, lon, altitude=ALT)
    cs = loc.get_clearsky(times, model="ineichen", linke_turbidity=3.0)
    zen = loc.get_solarposition(times)["zenith"]
    if not diffuse:
        dni = cs["dni"].to_numpy()
        ghi = dni * np.clip(np.cos(np.radians(zen.to_numpy())), 0, None)
        dhi = np.zeros(8760)
    elif clouds:
        ghi = cs["ghi"].to_numpy() * np.repeat(np.random.default_rng(seed).uniform(0.25, 1.0, 365), 24)
        split = pvlib.irradiance.erbs(ghi, zen, times)
        dni, dhi = split["dni"].to_numpy(), split["dhi"].to_numpy()
    else:
        ghi, dni, dhi = (cs[c].to_numpy() for c in ("ghi", "dni", "dhi"))
    data = pd.DataFrame({"ghi": ghi, "dni": dni, "dhi": dhi, "temp_air": 20.0, "wind_speed": 2.0},
                        index=times)
    return Weather(data, lat, lon, ALT, "test weather made with pvlib", "file")


def pvlib_kwh_per_kwp(w: Weather, tilt, azimuth, losses=14.0) -> float:
    """PVWatts chain with pvlib calls: Perez (albedo 0.2), physical IAM on beam and Marion's
    diffuse IAM, SAPM open rack, PVWatts DC (−0.37 %/°C, losses), PVWatts inverter (η 0.96, DC/AC
    1.1); per kWp DC."""
    d = w.data
    pos = pvlib.solarposition.get_solarposition(d.index, w.latitude, w.longitude, w.altitude_m,
                                                temperature=d["temp_air"])
    poa = pvlib.irradiance.get_total_irradiance(
        tilt, azimuth, pos["apparent_zenith"], pos["azimuth"], d["dni"], d["ghi"], d["dhi"],
        dni_extra=pvlib.irradiance.get_extra_radiation(d.index),
        airmass=pvlib.atmosphere.get_relative_airmass(pos["apparent_zenith"]), albedo=0.2, model="perez")
    aoi = pvlib.irradiance.aoi(tilt, azimuth, pos["apparent_zenith"], pos["azimuth"])
    iam_d = pvlib.iam.marion_diffuse("physical", tilt)
    eff = (poa["poa_direct"].fillna(0) * pvlib.iam.physical(aoi).fillna(0)
           + poa["poa_sky_diffuse"].fillna(0) * iam_d["sky"]
           + poa["poa_ground_diffuse"].fillna(0) * iam_d["ground"])
    tp = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    tc = pvlib.temperature.sapm_cell(poa["poa_global"].fillna(0), d["temp_air"], d["wind_speed"], **tp)
    dc = pvlib.pvsystem.pvwatts_dc(eff, tc, 1000.0, -0.0037) * (1 - losses / 100)
    return float(pvlib.inverter.pvwatts(dc, 1000.0 / 1.1 / 0.96, 0.96).clip(lower=0).fillna(0).sum()) / 1000.0


def winter_reach_pvlib(lat, lon, facing_deg, height_m) -> float:
    """Largest shadow reach (m) across rows facing ``facing_deg`` of an edge ``height_m`` high,
    every minute 9:00–15:00 true solar time on 22 Dec 2023, with pvlib's sun position."""
    eot_min = float(pvlib.solarposition.equation_of_time_spencer71(356))
    tst_h = np.arange(9 * 60, 15 * 60 + 1) / 60.0
    utc_h = tst_h - lon / 15.0 - eot_min / 60.0
    times = pd.Timestamp("2023-12-22", tz="UTC") + pd.to_timedelta(utc_h, unit="h")
    pos = pvlib.solarposition.get_solarposition(times, lat, lon)
    elev = np.radians(pos["elevation"].to_numpy())  # geometric: the rule ignores refraction
    rel = np.radians(pos["azimuth"].to_numpy() - facing_deg)
    return float(np.max(height_m * np.abs(np.cos(rel)) / np.tan(elev)))


def site_box(w, h, *, lat=LAT, lon=LON, dx=0.0, dy=0.0, crs=UTM):
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    return shapely.box(x + dx, y + dy, x + dx + w, y + dy + h)


def frame(*geoms, crs=UTM, **cols) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(dict(cols), geometry=list(geoms), crs=crs)


@pytest.fixture(scope="module")
def weather() -> Weather:
    return make_weather()


# ------------------------------------------------------------------------------------------
# layout
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lat", "lon", "tilt", "az"), [
    (22.5, 114.1, 20.0, 180.0), (30.25, 120.17, 25.0, 180.0), (40.0, 116.4, 30.0, 180.0),
    (45.8, 126.6, 35.0, 180.0), (30.25, 120.17, 25.0, 200.0)])
def test_row_pitch_against_pvlib_sun_at_the_winter_solstice(lat, lon, tilt, az):
    w = make_weather(lat, lon, clouds=False)
    zone = 32600 + int((lon + 180) // 6) + 1
    crs = f"EPSG:{zone}"
    area = frame(site_box(400, 400, lat=lat, lon=lon, crs=crs), crs=crs)
    r = pv_array(area, w, ArraySettings(tilt_deg=tilt, azimuth_deg=az, shading=False, boundary_setback_m=0))
    t = r.tables
    # table size and rise from the polygons themselves
    ring = shapely.get_coordinates(t.geometry.iloc[0].exterior)
    sides = np.hypot(*np.diff(ring[:3], axis=0).T)
    depth = sides.min()
    slant = depth / np.cos(np.radians(tilt))
    assert slant == pytest.approx(TableSpec().slant_m, rel=1e-6)
    rise = slant * np.sin(np.radians(tilt))
    # pitch measured between the rows' centres along the facing direction
    f = np.array([np.sin(np.radians(az)), np.cos(np.radians(az))])
    c = shapely.get_coordinates(t.geometry.centroid)
    pos = pd.Series(c @ f).groupby(t["row"].to_numpy()).mean().sort_index()
    pitch = -np.diff(pos.to_numpy())  # rows further back are further from the facing side
    assert np.allclose(pitch, pitch[0], rtol=1e-6)
    clear = pitch[0] - depth
    assert clear == pytest.approx(winter_reach_pvlib(lat, lon, az, rise), rel=0.005)
    assert r.totals["gcr"] == pytest.approx(slant / pitch[0], rel=1e-3)
    assert r.totals["row_shade_loss_pct"] > 0  # outside 9–15 h and in the diffuse light


def test_tables_stay_inside_the_area_and_out_of_every_buffer(weather):
    x, y = Transformer.from_crs("EPSG:4326", UTM, always_xy=True).transform(LON, LAT)
    area = shapely.Polygon([(x, y), (x + 320, y), (x + 320, y + 160), (x + 160, y + 160), (x + 160, y + 300),
                            (x, y + 300)])  # an L
    road = shapely.LineString([(x - 50, y + 40), (x + 400, y + 220)])
    building = shapely.box(x + 40, y + 200, x + 90, y + 240)
    transformer = shapely.Point(x + 250, y + 60)
    pond = shapely.box(x + 20, y + 90, x + 70, y + 130)
    s = ArraySettings(tilt_deg=22, azimuth_deg=185, boundary_setback_m=3.0, road_setback_m=6.0,
                      building_setback_m=8.0, shading=False)
    # user zones given in another CRS (WGS84): reprojected
    zones = [(frame(transformer).to_crs(4326), 15.0, "transformer"), (frame(pond), 0.0, "pond")]
    r = pv_array(frame(area), weather, s, buildings=frame(building, height_m=[10.0]), roads=frame(road),
                 exclusions=zones)
    g = r.tables.geometry.to_numpy()
    assert len(g) > 100
    eps = 1e-6
    assert shapely.contains(area, g).all()
    assert (shapely.distance(g, area.exterior) >= 3.0 - eps).all()
    assert (shapely.distance(g, road) >= 6.0 - eps).all()
    assert (shapely.distance(g, building) >= 8.0 - eps).all()
    assert (shapely.distance(g, transformer) >= 15.0 - eps).all()
    assert not shapely.intersects(g, pond).any()
    # and they are near enough to show the buffers are tight, not oversized
    assert shapely.distance(g, road).min() < 6.0 + 8.0
    # no two tables overlap
    i, j = shapely.STRtree(g).query(g, predicate="intersects")
    other = i != j
    assert shapely.area(shapely.intersection(g[i[other]], g[j[other]])).max(initial=0.0) < 1e-6
    # capacity = count × module W; per-table kWp adds up
    n = len(g)
    assert r.totals["modules"] == n * 28
    assert r.totals["kwp"] == pytest.approx(n * 28 * 575 / 1000.0, abs=0.01)
    assert r.tables["kwp"].sum() == pytest.approx(n * 28 * 0.575)
    assert r.totals["kwac"] == pytest.approx(r.totals["kwp"] / 1.1, abs=0.01)
    # exclusion zones are reported; the usable area is the area minus them
    z = r.zones_layer()
    assert {"boundary", "road", "building", "user"} <= set(z["kind"])
    usable = shapely.difference(shapely.buffer(area, -3.0, join_style="mitre"),
                                shapely.union_all([road.buffer(6), building.buffer(8), transformer.buffer(15),
                                                   pond]))
    assert r.totals["usable_m2"] == pytest.approx(usable.area, rel=0.01)


def test_gcr_and_coverage_against_table_areas(weather):
    area = site_box(600, 400)
    r = pv_array(frame(area), weather, ArraySettings(tilt_deg=25, azimuth_deg=180, boundary_setback_m=0,
                                                     shading=False))
    t, tot = r.tables, r.totals
    plan = shapely.area(t.geometry.to_numpy())
    collector = plan / np.cos(np.radians(25.0))
    assert tot["layout_gcr"] == pytest.approx(collector.sum() / area.area, abs=1e-4)
    assert tot["ground_coverage"] == pytest.approx(plan.sum() / area.area, abs=1e-4)
    spec = TableSpec()
    expected = tot["gcr"] * spec.width_m / (spec.width_m + 0.5)  # rows × table gaps, no edges
    assert tot["layout_gcr"] == pytest.approx(expected, rel=0.03)
    assert tot["m2_per_kwp"] == pytest.approx(area.area / tot["kwp"], rel=1e-3)
    assert tot["mu_per_mw"] == pytest.approx(area.area / (10_000 / 15) / (tot["kwp"] / 1000), rel=1e-3)
    # a user GCR sets the pitch
    r2 = pv_array(frame(area), weather, ArraySettings(tilt_deg=25, azimuth_deg=180, gcr=0.45,
                                                      boundary_setback_m=0, shading=False))
    assert r2.totals["pitch_m"] == pytest.approx(spec.slant_m / 0.45, abs=1e-3)
    assert r2.totals["layout_gcr"] == pytest.approx(0.45 * spec.width_m / (spec.width_m + 0.5), rel=0.03)


def test_landscape_tables_and_any_crs(weather):
    area = site_box(200, 150)
    wgs = frame(area).to_crs(4326)
    s = ArraySettings(tilt_deg=20, azimuth_deg=180, table=TableSpec(orientation="landscape", modules_up=4,
                                                                  modules_along=10), shading=False)
    r = pv_array(wgs, weather, s)
    geod_area = abs(Geod(ellps="WGS84").geometry_area_perimeter(wgs.geometry.iloc[0])[0])
    assert r.totals["area_m2"] == pytest.approx(geod_area, rel=0.002)
    ring = shapely.get_coordinates(r.tables.geometry.iloc[0].exterior)
    sides = np.sort(np.hypot(*np.diff(ring[:3], axis=0).T))
    assert sides[1] == pytest.approx(10 * 2.278 + 9 * 0.02, abs=1e-6)  # long side of the module along
    assert sides[0] == pytest.approx((4 * 1.134 + 3 * 0.02) * np.cos(np.radians(20)), abs=1e-6)
    assert r.totals["modules"] == 40 * len(r.tables)


def test_bad_areas_are_refused(weather):
    with pytest.raises(InputError) as e:
        pv_array(frame(shapely.LineString([(0, 0), (1, 1)])), weather)
    assert "polygon" in e.value.en and "面" in e.value.zh
    with pytest.raises(InputError):
        pv_array(frame(site_box(100, 100)), weather, ArraySettings(gcr=1.5))
    with pytest.raises(InputError):
        TableSpec(modules_up=0)
    tiny = pv_array(frame(site_box(10, 10)), weather, ArraySettings(tilt_deg=20, shading=False))
    assert len(tiny.tables) == 0 and any(p.code == "pv_array.no_tables" for p in tiny.problems)


# ------------------------------------------------------------------------------------------
# energy
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("tilt", "az"), [(25.0, 180.0), (15.0, 205.0)])
def test_single_unshaded_table_matches_pvlib(weather, tilt, az):
    spec = TableSpec()
    one = frame(site_box(spec.width_m + 0.6, spec.slant_m + 0.6))
    s = ArraySettings(tilt_deg=tilt, azimuth_deg=az, boundary_setback_m=0)
    if az != 180:  # a rotated table needs a rotated area: the box turned with the rows
        one = frame(shapely.affinity.rotate(one.geometry.iloc[0], -(az - 180)))
    r = pv_array(one, weather, s)
    assert len(r.tables) == 1
    t = r.tables.iloc[0]
    assert t["kwp"] == pytest.approx(28 * 0.575)
    assert t["kwh_yr"] == pytest.approx(pvlib_kwh_per_kwp(weather, tilt, az) * t["kwp"], rel=0.02)
    assert t["row_shade_loss_pct"] == 0.0  # nothing in front
    assert sum(t[f"kwh_m{m:02d}"] for m in range(1, 13)) == pytest.approx(t["kwh_yr"])
    assert t["t_co2_yr"] == pytest.approx(t["kwh_yr"] * 0.5306 / 1000)  # national 2023 (DOMAIN.md §2)
    assert r.totals["t_co2_yr"] == pytest.approx(t["kwh_yr"] * 0.5306 / 1000, abs=0.1)


def test_optimal_tilt_beats_ten_degrees_either_side_on_a_clear_sky_site():
    w = make_weather(clouds=False)
    opt = optimal_orientation(w)
    assert abs(opt.tilt_deg - LAT) <= 10.0
    assert opt.azimuth_deg == 180.0  # a clear sky is symmetric about noon
    best = pvlib_kwh_per_kwp(w, opt.tilt_deg, 180)
    assert best >= pvlib_kwh_per_kwp(w, opt.tilt_deg - 10, 180)
    assert best >= pvlib_kwh_per_kwp(w, opt.tilt_deg + 10, 180)
    assert opt.kwh_per_kwp == pytest.approx(best, rel=0.02)
    assert optimal_orientation(w) is opt  # cached per weather
    # the default run uses it
    r = pv_array(frame(site_box(100, 60)), w, ArraySettings(shading=False))
    assert r.totals["tilt_deg"] == opt.tilt_deg and r.totals["orientation_source"] == "site optimum"


def test_row_to_row_beam_shading_against_hand_geometry():
    """Beam-only weather: the monthly loss of a back row equals the share of its beam that the
    front row's shadow covers, with the shadow computed here by hand:
    shaded share of the slant = 1 − p·sin αp / (s·sin(αp + β)), αp the sun's profile angle."""
    w = make_weather(diffuse=False)
    tilt, az, gcr = 25.0, 180.0, 0.8
    area = frame(site_box(60, 60))
    r = pv_array(area, w, ArraySettings(tilt_deg=tilt, azimuth_deg=az, gcr=gcr, boundary_setback_m=0))
    t = r.tables
    front, back = t[t["row"] == 1], t[t["row"] > 1]
    assert (front["row_shade_loss_pct"] == 0).all() and (back["row_shade_loss_pct"] > 0).all()
    s = TableSpec().slant_m
    p = s / gcr
    d = w.data
    pos = pvlib.solarposition.get_solarposition(d.index, w.latitude, w.longitude, w.altitude_m,
                                                temperature=d["temp_air"])
    zen, sun_az = pos["apparent_zenith"].to_numpy(), pos["azimuth"].to_numpy()
    elev = np.radians(90 - zen)
    profile = np.arctan2(np.tan(elev), np.cos(np.radians(sun_az - az)))  # in the plane across the rows
    b = np.radians(tilt)
    shaded = np.clip(1 - p * np.sin(profile) / (s * np.sin(profile + b)), 0, 1)
    shaded = np.where((elev > 0) & (profile > 0) & (profile < np.pi - b), shaded, 0.0)
    poa = pvlib.irradiance.get_total_irradiance(tilt, az, zen, sun_az, d["dni"], d["ghi"], d["dhi"],
                                                albedo=0.2, model="isotropic")
    aoi = pvlib.irradiance.aoi(tilt, az, zen, sun_az)
    beam = np.nan_to_num(np.asarray(poa["poa_direct"], float)) * np.nan_to_num(pvlib.iam.physical(aoi))
    ground = np.nan_to_num(np.asarray(poa["poa_ground_diffuse"], float)) \
        * float(pvlib.iam.marion_diffuse("physical", tilt)["ground"])
    month = d.index.month.to_numpy() - 1
    loss = np.bincount(month, beam * shaded, 12) / np.bincount(month, beam + ground, 12)
    k = back.iloc[0]
    unshaded = front.iloc[0]
    got = 1 - np.array([k[f"kwh_m{m:02d}"] / unshaded[f"kwh_m{m:02d}"] for m in range(1, 13)])
    # shading is an irradiance loss applied to the month's energy (as for roofs)
    np.testing.assert_allclose(got, loss, rtol=0.01, atol=1e-4)
    assert loss[11] > 0.05 and got[5] < got[11]  # winter is hit hardest
    # the winter rule leaves no beam shading 9:00–15:00 on the solstice, denser rows lose more
    loose = pv_array(area, w, ArraySettings(tilt_deg=tilt, azimuth_deg=az, gcr=0.4, boundary_setback_m=0))
    assert loose.totals["row_shade_loss_pct"] < r.totals["row_shade_loss_pct"]


def test_tall_building_south_shades_north_hardly(weather):
    spec = TableSpec()
    one = site_box(spec.width_m + 0.6, spec.slant_m + 0.6)
    x0, y0, x1, y1 = one.bounds
    south = shapely.box(x0 - 5, y0 - 45, x1 + 5, y0 - 15)    # 60 m tall, 15 m south of the table
    north = shapely.box(x0 - 5, y1 + 30, x1 + 5, y1 + 60)    # 30 m tall, 30 m north
    s = ArraySettings(tilt_deg=25, azimuth_deg=180, boundary_setback_m=0)
    alone = pv_array(frame(one), weather, s, buildings=frame(shapely.box(x0 + 1000, y0, x0 + 1010, y0 + 10),
                                                             height_m=[10.0]))
    rs = pv_array(frame(one), weather, s, buildings=frame(south, height_m=[60.0]))
    rn = pv_array(frame(one), weather, s, buildings=frame(north, height_m=[30.0]))
    assert alone.totals["shade_loss_pct"] == pytest.approx(0.0, abs=1e-9)
    assert rs.totals["shade_loss_pct"] > 10.0
    assert rs.tables["shade_loss_pct"].iloc[0] == pytest.approx(rs.totals["shade_loss_pct"], abs=0.01)
    assert rn.totals["shade_loss_pct"] < min(1.5, 0.1 * rs.totals["shade_loss_pct"])
    assert rs.totals["kwh_yr"] < alone.totals["kwh_yr"] * 0.9
    # winter (low sun) is hit hardest by the southern building
    a, b = alone.tables.iloc[0], rs.tables.iloc[0]
    assert 1 - b["kwh_m12"] / a["kwh_m12"] > 1 - b["kwh_m06"] / a["kwh_m06"]
    # without heights: no shading, flagged
    nh = pv_array(frame(one), weather, s, buildings=frame(south, height_m=[np.nan]))
    assert nh.totals["shade_loss_pct"] is None
    assert any(p.code == "pv_array.buildings_without_height" for p in nh.problems)


def test_cancel_stops_the_run(weather):
    progress = Progress(callback=lambda f, m: None)
    progress.cancel()
    with pytest.raises(Cancelled):
        pv_array(frame(site_box(200, 200)), weather, progress=progress)
    seen = []
    pv_array(frame(site_box(200, 200)), weather, ArraySettings(tilt_deg=20),
             progress=Progress(callback=lambda f, m: seen.append(f)))
    assert seen == sorted(seen) and seen[-1] == 1.0


# ------------------------------------------------------------------------------------------
# command line and demo
# ------------------------------------------------------------------------------------------

@pytest.fixture
def cli(monkeypatch):
    import app.cli as cli_module

    return cli_module.main


def test_parse_source():
    from pathlib import Path

    from app.processing.cli import parse_source

    assert parse_source(r"C:\data\zone.shp", with_distance=True) == (Path(r"C:\data\zone.shp"), None, None)
    assert parse_source("park.gpkg|layername=roads:7.5", with_distance=True) \
        == (Path("park.gpkg"), "roads", 7.5)
    assert parse_source("z.geojson:12", with_distance=True) == (Path("z.geojson"), None, 12.0)


def test_cli_writes_layers_and_totals(tmp_path, cli, capsys):
    area = frame(site_box(300, 200)).to_crs(4326)
    area.to_file(tmp_path / "area.geojson")
    x0, y0, _, _ = site_box(300, 200).bounds
    b = frame(shapely.box(x0 + 120, y0 + 80, x0 + 160, y0 + 110), floors=[10])
    b.to_file(tmp_path / "b.gpkg", layer="buildings")
    zone = frame(shapely.Point(x0 + 60, y0 + 60))
    zone.to_file(tmp_path / "zone.gpkg", layer="pads")
    out = tmp_path / "arr.gpkg"
    code = cli(["pv-array", str(tmp_path / "area.geojson"), "--out", str(out), "--buildings",
                str(tmp_path / "b.gpkg"), "--building-setback", "6", "--exclude",
                f"{tmp_path / 'zone.gpkg'}|layername=pads:12", "--tilt", "22", "--json"])
    assert code == 0
    s = json.loads(capsys.readouterr().out)
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {"pv_array_tables", "pv_array_area", "pv_array_exclusions"} <= layers
    t = pyogrio.read_dataframe(out, layer="pv_array_tables")
    assert s["tables"] == len(t) > 50
    assert s["kwp"] == pytest.approx(t["kwp"].sum(), abs=0.05)
    assert s["kwh_yr"] == pytest.approx(t["kwh_yr"].sum(), rel=1e-4)
    assert json.loads((tmp_path / "arr.json").read_text(encoding="utf-8"))["kwp"] == s["kwp"]
    tg = t.to_crs(UTM).geometry.to_numpy()
    assert (shapely.distance(tg, zone.geometry.iloc[0]) >= 12 - 1e-3).all()
    assert (shapely.distance(tg, b.geometry.iloc[0]) >= 6 - 1e-3).all()
    assert s["shade_loss_pct"] > 0  # a 10-storey building (height from floors) in the middle
    a = pyogrio.read_dataframe(out, layer="pv_array_area")
    assert a["tables"].sum() == len(t)
    assert s["tilt_deg"] == 22 and s["azimuth_deg"] == 180


def test_cli_bad_input_exits_2_in_both_languages(tmp_path, cli, capsys):
    x0, y0, _, _ = site_box(1, 1).bounds
    frame(shapely.LineString([(x0, y0), (x0 + 100, y0 + 100)])).to_file(tmp_path / "line.geojson")
    assert cli(["pv-array", str(tmp_path / "line.geojson"), "--out", str(tmp_path / "o.gpkg")]) == 2
    err = capsys.readouterr().err
    assert "polygon" in err and "面" in err
    frame(site_box(8, 8)).to_file(tmp_path / "tiny.geojson")
    assert cli(["pv-array", str(tmp_path / "tiny.geojson"), "--out", str(tmp_path / "o.gpkg"),
                "--tilt", "20"]) == 2
    assert "No table fits" in capsys.readouterr().err
    assert not (tmp_path / "o.gpkg").exists()
    assert cli(["pv-array", str(tmp_path / "tiny.geojson"), "--out", str(tmp_path / "o.gpkg"),
                "--modules-per-table", "2by14"]) == 2


def test_demo_array_in_the_sample_park():
    from app.algorithms.pv_array import as_written
    from app.sample_array import demo_array, demo_array_result
    from gis.park import load_sample_park

    park = load_sample_park()
    area = demo_array(park)
    assert len(area) == 1 and area.crs == park.crs
    assert park.boundary.union_all().buffer(1).contains(area.geometry.iloc[0])
    assert not park.buildings.intersects(area.geometry.iloc[0]).any()
    result = demo_array_result(park)
    tables, summary = as_written(result)["pv_array_tables"], result.summary()
    assert len(tables) == summary["tables"] > 100
    assert summary["kwp"] == pytest.approx(tables["kwp"].sum(), abs=0.05)
    assert summary["shade_loss_pct"] > 0  # the committee's tower stands in the lawn
    assert 700 < summary["kwh_per_kwp"] < 1300  # Hangzhou: ~1,000 kWh/kWp unshaded


def test_given_azimuth_gets_its_best_tilt():
    w = make_weather(clouds=False)
    r = pv_array(frame(site_box(100, 60)), w, ArraySettings(azimuth_deg=240.0, shading=False))
    tilt = r.totals["tilt_deg"]
    assert r.totals["azimuth_deg"] == 240.0 and r.totals["orientation_source"] == "site optimum"
    best = pvlib_kwh_per_kwp(w, tilt, 240)
    assert best >= pvlib_kwh_per_kwp(w, tilt - 5, 240) and best >= pvlib_kwh_per_kwp(w, tilt + 5, 240)
    assert tilt < optimal_orientation(w).tilt_deg  # facing off south, a flatter plane does better
