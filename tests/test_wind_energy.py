"""Energy: AEP against independent integration, the DOMAIN.md §6 reference case, density, shear,
wind-climate readers (WAsP .tab, EPW, GeoTIFF maps)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate

from gis.wind.energy import farm_energy, single_turbine_aep_mwh
from gis.wind.resource import (
    RasterResource,
    WindClimate,
    WindResource,
    air_density,
    climate_from_series,
    read_resource_raster,
    read_tab,
    shear_for,
)
from gis.wind.turbines import load_turbine
from gis.wind.wakes import WakeSettings
from tests.conftest import shared

V52 = {4: 25.5, 5: 67.4, 6: 125.0, 7: 203.0, 8: 304.0, 9: 425.0, 10: 554.0, 11: 671.0, 12: 759.0,
       13: 811.0, 14: 836.0, 15: 846.0, 16: 849.0, 17: 850.0, 25: 850.0}


def _weibull_pdf(v, a, k):
    return k / a * (v / a) ** (k - 1) * np.exp(-((v / a) ** k))


def _quad_aep_mwh(speeds, kw, a, k, cut_in, cut_out):
    """Independent reference: ∫ P(v) f(v) dv with scipy quad on the linearly interpolated table."""
    def integrand(v):
        return np.interp(v, speeds, kw) * _weibull_pdf(v, a, k)
    pts = [s for s in speeds if cut_in < s < cut_out]
    val, _ = integrate.quad(integrand, cut_in, cut_out, points=pts, limit=400, epsabs=1e-10, epsrel=1e-12)
    return val * 8760 / 1000


def _wind(turbine, a, k, height, n=1):
    return WindResource(WindClimate.uniform(a, k, height)).at_turbines(np.zeros(n), np.zeros(n), None,
                                                                        [turbine.hub_height_m] * n)


@pytest.mark.parametrize(("a", "k"), [(6.0, 2.0), (8.5, 2.4), (4.0, 1.6), (11.0, 3.0)])
def test_single_turbine_aep_matches_quad(a, k):
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    ref = _quad_aep_mwh(list(V52), list(V52.values()), a, k, 4.0, 25.0)
    got = single_turbine_aep_mwh(t, _wind(t, a, k, 60))
    assert got == pytest.approx(ref, rel=1e-6)


def test_sector_wise_aep_is_the_frequency_weighted_sum():
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    f = np.array([0.5, 0.3, 0.2])
    a = np.array([5.0, 7.0, 9.0])
    k = np.array([1.8, 2.0, 2.6])
    c = WindClimate(f, 60.0, A=a, k=k)
    w = WindResource(c).at_turbines([0], [0], None, [60])
    ref = sum(fi * _quad_aep_mwh(list(V52), list(V52.values()), ai, ki, 4, 25) for fi, ai, ki in zip(f, a, k,
                                                                                                    strict=True))
    assert single_turbine_aep_mwh(t, w) == pytest.approx(ref, rel=1e-6)


def test_domain_reference_case_within_2_percent():
    """DOMAIN.md §6: V52 850 kW, hub-height Weibull A = 6.0 m/s, k = 2.0, uniform directions:
    AEP ≈ 1,292 MWh, capacity factor 0.174."""
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    res = farm_energy([0.0], [0.0], [t], _wind(t, 6.0, 2.0, 60), density_kg_m3=1.225)
    assert res.aep_mwh[0] == pytest.approx(1292.0, rel=0.02)
    assert res.cf[0] == pytest.approx(0.174, rel=0.02)


def test_lower_air_density_lowers_aep():
    """DOMAIN.md §6: from 1.225 to 1.00 kg/m³ about −18 % (that figure is the stall/proportional
    scaling ρ/ρ0 = −18.4 %; the IEC pitch method loses a little less at this low-wind site)."""
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    w = _wind(t, 6.0, 2.0, 60)
    base = single_turbine_aep_mwh(t, w, density_kg_m3=1.225)
    thin = single_turbine_aep_mwh(t, w, density_kg_m3=1.0)
    assert -0.19 < thin / base - 1 < -0.14


def test_air_density_isa_table():
    # US Standard Atmosphere 1976 / ICAO table:
    # 1.2250 (0 m), 1.1117 (1000 m), 1.0066 (2000 m), 0.9093 (3000 m)
    for h, rho in ((0, 1.2250), (1000, 1.1117), (2000, 1.0066), (3000, 0.9093)):
        assert air_density(h) == pytest.approx(rho, abs=2e-4)
    # ideal gas at the ISA pressure of 1000 m (89,875 Pa) and 25 °C
    assert air_density(1000, 25.0) == pytest.approx(89874.6 / (287.058 * 298.15), rel=1e-3)


def test_shear_laws():
    assert shear_for(alpha=0.143).factor(10, 80) == pytest.approx(8 ** 0.143)
    assert shear_for(z0_m=0.03).factor(10, 80) == pytest.approx(np.log(80 / 0.03) / np.log(10 / 0.03))
    assert shear_for("gb_b").factor(10, 50) == pytest.approx(5 ** 0.15)   # GB 50009-2012 class B
    c = WindClimate.uniform(5.0, 2.0, 10.0).at_height(80.0, shear_for(alpha=0.2))
    assert c.A[0] == pytest.approx(5.0 * 8 ** 0.2)


def test_binned_climate_aep_equals_sum_over_bins():
    t = load_turbine("vestas_v52_850kw", hub_height_m=60)
    edges = np.array([0, 2, 4, 6, 8, 10, 12, 16, 20, 26.0])
    prob = np.array([[0.05, 0.10, 0.20, 0.20, 0.15, 0.10, 0.10, 0.07, 0.03]])
    c = WindClimate(np.array([1.0]), 60.0, bin_edges=edges, bin_prob=prob)
    w = WindResource(c).at_turbines([0], [0], None, [60])
    # independent: uniform density inside each bin, quad of the interpolated table per bin
    def p(v):
        return np.interp(v, list(V52), list(V52.values())) if 4 <= v <= 25 else 0.0
    ref = 0.0
    for b in range(len(edges) - 1):
        lo, hi = edges[b], edges[b + 1]
        val, _ = integrate.quad(p, lo, hi, points=[x for x in (4, 25) if lo < x < hi], limit=200)
        ref += prob[0, b] / (hi - lo) * val
    assert single_turbine_aep_mwh(t, w) == pytest.approx(ref * 8.76, rel=1e-9)


def test_wasp_tab_reader(tmp_path):
    f = tmp_path / "site.tab"
    f.write_text("Test mast\n 30.1 120.2 40.0\n 4 1.0 0.0\n 40 30 20 10\n"
                 " 2 200 100 100 100\n 5 300 300 300 400\n 10 400 500 500 400\n 20 100 100 100 100\n",
                 encoding="utf-8")
    c = read_tab(f)
    assert c.height_m == 40.0 and c.n_sectors == 4
    np.testing.assert_allclose(c.sector_freq, [0.4, 0.3, 0.2, 0.1])
    np.testing.assert_allclose(c.bin_edges, [0, 2, 5, 10, 20])
    np.testing.assert_allclose(c.bin_prob[0], [0.2, 0.3, 0.4, 0.1])
    # mean speed: Σ f_s Σ p_b (mid of bin)
    mids = np.array([1, 3.5, 7.5, 15])
    assert c.mean_speed() == pytest.approx(float(c.sector_freq @ (c.bin_prob @ mids)))
    assert c.prevailing_direction_deg() == 0.0


def test_weibull_fit_recovers_parameters():
    rng = np.random.default_rng(3)
    v = 7.0 * rng.weibull(2.2, 200_000)
    d = rng.uniform(0, 360, len(v))
    c = climate_from_series(v, d, height_m=10, n_sectors=4)
    assert np.allclose(c.A, 7.0, rtol=0.02) and np.allclose(c.k, 2.2, rtol=0.03)


@pytest.mark.shared_data
def test_epw_wind_climate_keeps_mean_power_density():
    import pvlib

    from gis.wind.resource import read_epw_wind

    path = shared("weather", "CHN_ZJ_Ningbo.585620_TMYx.epw")
    c = read_epw_wind(path)
    df, meta = pvlib.iotools.read_epw(str(path))
    ws = df["wind_speed"].to_numpy(float)
    assert c.height_m == 10.0 and c.altitude_m == pytest.approx(float(meta["altitude"]))
    # the WAsP fit reproduces the mean of v³ of every sector, so of the whole year too
    assert float(c.sector_freq @ c.sector_moment(3)) == pytest.approx(float(np.mean(ws ** 3)), rel=0.02)
    h = read_epw_wind(path, method="histogram")
    assert h.mean_speed() == pytest.approx(float(ws.mean()), abs=0.1)


def _write_tif(path, array, transform, crs="EPSG:4326"):
    import rasterio

    with rasterio.open(path, "w", driver="GTiff", height=array.shape[0], width=array.shape[1], count=1,
                       dtype="float32", crs=crs, transform=transform, nodata=-9999) as ds:
        ds.write(array.astype("float32"), 1)


def test_geotiff_weibull_map_sampled_at_turbines(tmp_path):
    from affine import Affine
    from pyproj import Transformer

    # a 0.01° grid over 120.00–120.10 E, 30.00–30.10 N: A rises eastwards, k constant 2.1
    a = np.tile(np.linspace(5.0, 7.0, 10), (10, 1))
    tr = Affine(0.01, 0.0, 120.0, 0.0, -0.01, 30.1)
    _write_tif(tmp_path / "CHN_combined-Weibull-A_100m.tif", a, tr)
    _write_tif(tmp_path / "CHN_combined-Weibull-k_100m.tif", np.full((10, 10), 2.1), tr)
    m = read_resource_raster(tmp_path / "CHN_combined-Weibull-A_100m.tif")
    assert isinstance(m, RasterResource) and m.kind == "weibull" and m.height_m == 100.0
    # turbines given in CGCS2000 / 3-degree GK zone 40 (EPSG:4549) metres
    lon = np.array([120.005, 120.055, 120.095])
    lat = np.array([30.05, 30.02, 30.08])
    x, y = Transformer.from_crs(4326, 4549, always_xy=True).transform(lon, lat)
    A, k = m.sample(x, y, "EPSG:4549")
    np.testing.assert_allclose(A, a[0, [0, 5, 9]], rtol=1e-6)
    np.testing.assert_allclose(k, 2.1, rtol=1e-6)
    res = WindResource(None, shear_for(alpha=0.0), raster=m)
    t = load_turbine("vestas_v52_850kw", hub_height_m=100)
    w = res.at_turbines(x, y, "EPSG:4549", [100] * 3)
    e = farm_energy(x, y, [t] * 3, w, wake=WakeSettings("none"))
    for i, ai in enumerate(a[0, [0, 5, 9]]):
        ref = _quad_aep_mwh(list(V52), list(V52.values()), ai, 2.1, 4, 25)
        assert e.gross_aep_mwh[i] == pytest.approx(ref, rel=1e-5)
    from gis.errors import InputError

    with pytest.raises(InputError):
        m.sample([x[0] + 50_000], [y[0]], "EPSG:4549")          # outside the map


def test_geotiff_mean_speed_map(tmp_path):
    from affine import Affine

    tr = Affine(250.0, 0.0, 500000.0, 0.0, -250.0, 3300000.0)
    _write_tif(tmp_path / "wind-speed_50m.tif", np.full((4, 4), 6.2), tr, crs="EPSG:4549")
    m = read_resource_raster(tmp_path / "wind-speed_50m.tif")
    A, k = m.sample([500300.0], [3299700.0], "EPSG:4549")
    from scipy.special import gamma

    assert k[0] == 2.0 and A[0] * gamma(1.5) == pytest.approx(6.2)


def test_sector_table_with_chinese_headers(tmp_path):
    from gis.wind.resource import read_resource

    f = tmp_path / "sectors.csv"
    f.write_text("方向,频率(%),A(m/s),k\n0,30,6.5,2.1\n90,20,5.5,1.9\n180,30,7.0,2.2\n270,20,6.0,2.0\n",
                 encoding="gbk")
    c = read_resource(f, height_m=50.0)
    np.testing.assert_allclose(c.sector_freq, [0.3, 0.2, 0.3, 0.2])
    np.testing.assert_allclose(c.A, [6.5, 5.5, 7.0, 6.0])
    assert c.height_m == 50.0 and c.sector_width_deg == 90.0
    # energy rose: f·A³Γ(1+3/k); the 180° sector (30 %, A 7.0) carries the most energy
    assert c.prevailing_direction_deg() == 180.0
