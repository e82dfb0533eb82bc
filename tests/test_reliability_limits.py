"""Memory bombs are refused before anything large is allocated: a DSM header claiming
200,000 × 200,000 pixels, a PV array area of over 1,000 km², 20,000 wind turbines. Each is a
bilingual InputError (exit 2 on the command line) naming the need and the limit; the bombs are
small synthetic files."""

from __future__ import annotations

import json
import re
import resource
import time

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio.transform import from_origin

from app.cli import main
from gis import limits
from gis.errors import InputError
from gis.io.raster import read_surface

CRS = "EPSG:4549"  # CGCS2000 3° zone 120°E (Hangzhou)
LON, LAT = 120.17, 30.25
GIB = 1024 ** 3


def _needs_gb(en: str) -> float:
    m = re.search(r"needs about ([\d,.]+) GB", en)
    assert m, en
    return float(m.group(1).replace(",", ""))


def _bomb_tif(path, width: int, height: int, x0: float, y0: float, pixel_m: float) -> None:
    """A GeoTIFF header for ``width`` × ``height`` float32 pixels with no pixel written (sparse
    tiles): a few KB on disk."""
    with rasterio.open(path, "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
                       crs=CRS, transform=from_origin(x0, y0, pixel_m, pixel_m), nodata=-9999,
                       tiled=True, blockxsize=4096, blockysize=4096, sparse_ok=True):
        pass


def _site_xy() -> tuple[float, float]:
    x, y = Transformer.from_crs("EPSG:4326", CRS, always_xy=True).transform(LON, LAT)
    return float(np.floor(x)), float(np.floor(y))


def test_check_memory_names_need_and_limit():
    # 3 GiB asked, 1 GiB allowed
    with pytest.raises(InputError) as e:
        limits.check_memory(3 * GIB, what_zh="测试", what_en="The test", fix_zh="修复", fix_en="fix it",
                            code="t.big", limit_bytes=GIB)
    assert "3.0 GB" in e.value.en and "1.0 GB" in e.value.en and "fix it" in e.value.en
    assert "3.0 GB" in e.value.zh and "1.0 GB" in e.value.zh and "修复" in e.value.zh
    assert e.value.code == "t.big"
    limits.check_memory(GIB, what_zh="", what_en="", fix_zh="", fix_en="", code="t", limit_bytes=GIB)


def test_limit_follows_the_memory_available(monkeypatch):
    # 1 GiB free: a job may take 80 % of it, 858,993,459 bytes, below the 2 GiB cap
    monkeypatch.setattr(limits, "available_memory_bytes", lambda: GIB)
    assert limits.memory_limit_bytes() == 858_993_459
    monkeypatch.setattr(limits, "available_memory_bytes", lambda: 64 * GIB)
    assert limits.memory_limit_bytes() == 2 * GIB
    monkeypatch.setattr(limits, "available_memory_bytes", lambda: None)
    assert limits.memory_limit_bytes() == 2 * GIB


def test_available_memory_is_plausible():
    avail = limits.available_memory_bytes()
    if avail is None:
        pytest.skip("this platform does not tell the available memory")
    assert 16 * 1024 ** 2 < avail < 64 * 1024 ** 4


# --- DSM ------------------------------------------------------------------------------------

def test_dsm_header_bomb_is_refused_before_reading(tmp_path):
    x0, y0 = _site_xy()
    path = tmp_path / "bomb.tif"
    _bomb_tif(path, 200_000, 200_000, x0, y0, 0.5)
    assert path.stat().st_size < 100_000
    t0 = time.perf_counter()
    with pytest.raises(InputError) as e:
        read_surface(path)
    assert time.perf_counter() - t0 < 5.0
    assert e.value.code == "raster.too_big" and e.value.path == str(path)
    # float32 alone: 200,000² × 4 B = 149.0 GiB; the need named includes at least that
    assert _needs_gb(e.value.en) >= 149.0
    assert "200,000 × 200,000" in e.value.zh and "DSM" in e.value.zh


def test_dsm_is_read_for_the_park_only(tmp_path):
    """A city-wide DSM (here the 200,000² header) is read in the window of the buildings plus
    the shading reach: a 30 m roof and 20 m of reach at 0.5 m pixels."""
    x0, y0 = _site_xy()
    path = tmp_path / "city.tif"
    _bomb_tif(path, 200_000, 200_000, x0 - 5_000, y0 + 5_000, 0.5)
    s = read_surface(path, bounds=(x0, y0, x0 + 30, y0 + 30), bounds_crs=CRS, margin_m=20.0)
    # x0-20 … x0+50 and y0-20 … y0+50 is 70 m = 140 pixels, plus one pixel each side
    assert s.values.shape == (142, 142)
    assert s.transform.c == pytest.approx(x0 - 20 - 0.5)
    assert s.transform.f == pytest.approx(y0 + 50 + 0.5)
    assert np.isnan(s.values).all()  # nothing written: all nodata


def test_dsm_window_outside_the_raster_is_no_overlap(tmp_path):
    x0, y0 = _site_xy()
    path = tmp_path / "far.tif"
    _bomb_tif(path, 1000, 1000, x0 + 50_000, y0, 1.0)
    with pytest.raises(InputError) as e:
        read_surface(path, bounds=(x0, y0, x0 + 30, y0 + 30), margin_m=500.0)
    assert e.value.code == "raster.no_overlap"


def test_cli_pv_refuses_a_dsm_too_fine_for_memory(tmp_path, capsys):
    """1 cm pixels over the roof and 500 m of shading reach: (1,030 m / 0.01 m)² pixels."""
    x0, y0 = _site_xy()
    b = gpd.GeoDataFrame({"height_m": [10.0]}, geometry=[shapely.box(x0, y0, x0 + 30, y0 + 30)], crs=CRS)
    b.to_file(tmp_path / "b.gpkg", layer="buildings")
    _bomb_tif(tmp_path / "fine.tif", 200_000, 200_000, x0 - 1000, y0 + 1000, 0.01)
    code = main(["pv", str(tmp_path / "b.gpkg"), "--dsm", str(tmp_path / "fine.tif"),
                 "--out", str(tmp_path / "o.gpkg")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "内存" in err and "memory" in err
    # x0-500 … x0+530 at 0.01 m: 103,000 pixels a side (+ a pixel of margin each side)
    sides = [int(v.replace(",", "")) for v in re.search(r"([\d,]+) × ([\d,]+) pixels", err).groups()]
    assert all(abs(v - 103_000) <= 4 for v in sides), sides
    assert not (tmp_path / "o.gpkg").exists()


def test_land_cover_bomb_is_refused(tmp_path):
    from gis.io.landcover import read_landcover

    x0, y0 = _site_xy()
    path = tmp_path / "lc.tif"
    with rasterio.open(path, "w", driver="GTiff", width=200_000, height=200_000, count=1, dtype="uint8",
                       crs=CRS, transform=from_origin(x0, y0, 1.0, 1.0), tiled=True, blockxsize=4096,
                       blockysize=4096, sparse_ok=True, nodata=0):
        pass
    with pytest.raises(InputError) as e:
        read_landcover(path)
    assert e.value.code == "raster.too_big"
    assert _needs_gb(e.value.en) >= 4e10 * 5 / GIB  # uint8 values + the int32 codes, at least


# --- PV array -------------------------------------------------------------------------------

def test_huge_array_area_is_refused_quickly():
    from gis.solar.array_energy import pv_array
    from tests.test_pv_energy import synthetic_weather

    x0, y0 = _site_xy()
    side = 35_000.0  # 1,225 km²: ~120,000 candidate tables per km² at the default rows
    area = gpd.GeoDataFrame(geometry=[shapely.box(x0, y0, x0 + side, y0 + side)], crs=CRS)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with pytest.raises(InputError) as e:
        pv_array(area, synthetic_weather())
    assert time.perf_counter() - t0 < 30.0
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024  # ru_maxrss: KB
    assert grown_mb < 1000
    assert e.value.code == "pv_array.too_big"
    # usable: inside the default 2 m boundary setback, (35,000 − 4)² m² = 1,224.72 km²
    assert "1,224.7 km²" in e.value.en and "1,224.7 平方公里" in e.value.zh
    assert "split the array area" in e.value.en


def test_cli_pv_array_huge_area_exit_2(tmp_path, capsys):
    tr = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    x0, y0 = _site_xy()
    lon0, lat0 = tr.transform(x0, y0)
    lon1, lat1 = tr.transform(x0 + 40_000, y0 + 40_000)
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    (tmp_path / "a.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))
    code = main(["pv-array", str(tmp_path / "a.geojson"), "--out", str(tmp_path / "o.gpkg")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "内存" in err and "memory" in err
    assert not (tmp_path / "o.gpkg").exists()


# --- wind -----------------------------------------------------------------------------------

def _farm(settings=None):
    from gis.wind.farm import WindFarmModel
    from gis.wind.resource import WindClimate, WindResource, shear_for
    from gis.wind.turbines import load_turbine

    t = load_turbine("ghrepower_fd21_50")
    res = WindResource(WindClimate.uniform(7.0, 2.0, t.hub_height_m, 12, source="test"), shear_for(None))
    return WindFarmModel(t, res, crs=CRS, settings=settings)


def test_200k_wind_turbines_refused_before_allocation():
    x0, y0 = _site_xy()
    n = 200_000
    i = np.arange(n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError) as e:
        _farm().evaluate(x0 + (i % 450) * 150.0, y0 + (i // 450) * 150.0)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 200
    assert e.value.code == "wind.too_many"
    # every pair for every direction: 200,000² × 180 × 8 B (one float64 array) = 53,644 GiB at least
    assert _needs_gb(e.value.en) >= 53_644
    assert "200,000" in e.value.zh and "200,000" in e.value.en


def test_without_wakes_the_pairs_still_count():
    from gis.wind.farm import WindSettings
    from gis.wind.wakes import WakeSettings

    x0, y0 = _site_xy()
    n = 100_000
    i = np.arange(n)
    with pytest.raises(InputError) as e:
        _farm(WindSettings(wake=WakeSettings(model="none"))).evaluate(x0 + (i % 300) * 150.0,
                                                                     y0 + (i // 300) * 150.0)
    # half of 100,000² pairs, two int64 indices each: 74.5 GiB at least
    assert _needs_gb(e.value.en) >= 74.5


def test_a_real_farm_size_is_not_refused():
    """60 turbines (a large Chinese onshore farm of 50–100 MW class sites) evaluate normally."""
    x0, y0 = _site_xy()
    i = np.arange(60)
    res = _farm().evaluate(x0 + (i % 10) * 200.0, y0 + (i // 10) * 300.0)
    assert len(res.turbines) == 60


def test_cli_wind_too_many_turbines_exit_2(tmp_path, capsys):
    x0, y0 = _site_xy()
    n = 20_000
    i = np.arange(n)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x0 + (i % 150) * 150.0, y0 + (i // 150) * 150.0),
                           crs=CRS)
    pts.to_file(tmp_path / "t.gpkg")
    code = main(["wind", str(tmp_path / "t.gpkg"), "--turbine", "ghrepower_fd21_50", "--weibull", "7,2",
                 "--out", str(tmp_path / "o.gpkg")])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "20,000" in err and "内存" in err and "memory" in err
    assert not (tmp_path / "o.gpkg").exists()
