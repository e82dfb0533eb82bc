"""A surface model (DSM) adds shading that footprints alone miss."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from app.cli import main
from gis.errors import InputError
from gis.io.raster import read_surface
from gis.park import prepare_buildings
from gis.solar.layout import LayoutSettings
from gis.solar.rooftop import PVSettings, rooftop_pv
from tests.conftest import shared
from tests.test_pv_energy import CRS, LAT, LON, synthetic_weather


@pytest.fixture(scope="module")
def weather():
    return synthetic_weather()


def _roof_and_dsm(tmp_path, tree_height_m: float):
    """A 30×30 m roof, 10 m high, and a 1 m DSM of flat ground with a tree block (20 m wide,
    ``tree_height_m`` high) 10 m south of it that is not in the buildings layer."""
    from pyproj import Transformer

    x0, y0 = Transformer.from_crs("EPSG:4326", CRS, always_xy=True).transform(LON, LAT)
    x0, y0 = float(np.floor(x0)), float(np.floor(y0))
    g = gpd.GeoDataFrame({"height_m": [10.0], "use": ["办公"]},
                         geometry=[shapely.box(x0, y0, x0 + 30, y0 + 30)], crs=CRS)
    dsm = np.zeros((200, 200), np.float32)  # row r covers y0+99-r … y0+100-r
    dsm[70:100, 0:30] = 10.0  # the roof itself: y0 … y0+30
    dsm[110:130, 0:30] = tree_height_m  # y0-30 … y0-10: trees 10 m south of the roof
    path = tmp_path / "dsm.tif"
    with rasterio.open(path, "w", driver="GTiff", width=200, height=200, count=1, dtype="float32",
                       crs=CRS, transform=from_origin(x0, y0 + 100, 1.0, 1.0), nodata=-9999) as dst:
        dst.write(dsm, 1)
    return g, path


def test_dsm_obstruction_not_in_footprints_shades_the_roof(tmp_path, weather):
    g, path = _roof_and_dsm(tmp_path, 40.0)
    b, _ = prepare_buildings(g)
    plain = rooftop_pv(b, weather).buildings.iloc[0]
    with_dsm = rooftop_pv(b, weather, dsm=read_surface(path)).buildings.iloc[0]
    assert plain["shade_loss_pct"] == pytest.approx(0.0, abs=1e-9)
    assert with_dsm["shade_loss_pct"] > 3.0
    # the same obstruction drawn as a 40 m footprint gives the same loss (two independent paths)
    x0, y0, _, _ = g.total_bounds
    both = gpd.GeoDataFrame({"height_m": [10.0, 40.0], "use": ["办公", "办公"]}, crs=CRS,
                            geometry=[shapely.box(x0, y0, x0 + 30, y0 + 30),
                                      shapely.box(x0, y0 - 30, x0 + 30, y0 - 10)])
    as_footprint = rooftop_pv(prepare_buildings(both)[0], weather).buildings.iloc[0]
    assert with_dsm["shade_loss_pct"] == pytest.approx(as_footprint["shade_loss_pct"], abs=1.5)
    (tmp_path / "low").mkdir()
    _, path2 = _roof_and_dsm(tmp_path / "low", 5.0)
    low_dsm = rooftop_pv(b, weather, dsm=read_surface(path2)).buildings.iloc[0]
    assert low_dsm["shade_loss_pct"] < 0.5  # obstruction lower than the roof: no loss


def test_dsm_elsewhere_is_refused(tmp_path, weather):
    g, path = _roof_and_dsm(tmp_path, 40.0)
    b, _ = prepare_buildings(g)
    b = b.set_geometry(b.translate(5000, 0))
    with pytest.raises(InputError) as e:
        rooftop_pv(b, weather, dsm=read_surface(path))
    assert "DSM" in e.value.en and "DSM" in e.value.zh


def test_geographic_dsm_is_refused(tmp_path):
    path = tmp_path / "ll.tif"
    with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype="float32",
                       crs="EPSG:4326", transform=from_origin(120, 30, 0.01, 0.01)) as dst:
        dst.write(np.zeros((2, 2), np.float32), 1)
    with pytest.raises(InputError):
        read_surface(path)


def test_goteborg_dsm_adds_shading_to_footprints(weather):
    """Real 1 m DSM (UMEP demo data): roof structures and higher wings inside footprints that a
    single height per footprint misses make the DSM run lose more, never less."""
    shp = shared("rasters", "goteborg", "buildings.shp")
    surface = read_surface(shared("rasters", "goteborg", "DSM_KRbig.tif"))
    dem = read_surface(shared("rasters", "goteborg", "DEM_KRbig.tif"))
    g = gpd.read_file(shp)
    # heights: median DSM − DEM inside each footprint (zonal statistic by rasterising)
    from rasterio.features import rasterize

    ids = rasterize(((geom, i + 1) for i, geom in enumerate(g.geometry)), out_shape=surface.values.shape,
                    transform=surface.transform, fill=0)
    obj = surface.values - dem.values
    g["height_m"] = [float(np.median(obj[ids == i + 1])) if (ids == i + 1).any() else np.nan
                     for i in range(len(g))]
    g = g[np.isfinite(g["height_m"]) & (g["height_m"] > 2)]
    b, _ = prepare_buildings(g)
    w = synthetic_weather(lat=57.7, lon=11.97)
    # 57.7°N: the winter-solstice spacing rule has no sun at 9:00, so give the rows a GCR
    s = PVSettings(layout=LayoutSettings(flat_gcr=0.5))
    plain = rooftop_pv(b, w, s).buildings
    dsm_run = rooftop_pv(b, w, s, dsm=surface).buildings
    # heights above ground for footprints, absolute elevations for the DSM: each in its own frame
    assert dsm_run["kwh_yr"].sum() < plain["kwh_yr"].sum()
    assert np.nanmean(dsm_run["shade_loss_pct"]) > np.nanmean(plain["shade_loss_pct"])
    assert (dsm_run["shade_loss_pct"] >= plain["shade_loss_pct"] - 1e-6).mean() > 0.95


def test_cli_dsm_option(tmp_path, capsys):
    # the sample park is far from this DSM: bad input, exit 2, both languages
    _, path = _roof_and_dsm(tmp_path, 40.0)
    from gis.paths import sample_dir

    code = main(["pv", str(sample_dir() / "park.gpkg"), "--layer", "buildings", "--dsm", str(path),
                 "--out", str(tmp_path / "o.gpkg")])
    assert code == 2
    err = capsys.readouterr().err
    assert "DSM" in err and "不重叠" in err


def test_dsm_assesses_buildings_without_heights(tmp_path, weather):
    g, path = _roof_and_dsm(tmp_path, 40.0)
    g["height_m"] = np.nan
    b, _ = prepare_buildings(g)
    r = rooftop_pv(b, weather, dsm=read_surface(path))
    assert r.buildings["shade_loss_pct"].iloc[0] > 3.0
    assert not any(p.code == "pv.shading_unknown" for p in r.problems)
