"""Speed and memory of the rooftop PV engine.

Run: python benchmarks/bench_pv.py [N_NOSHADE] [N_SHADE]   (defaults 1,000,000 and 100,000)
Prints the machine, wall times, peak memory and the naive per-building pvlib baseline; record
the figures in docs/benchmarks.md. Weather: the built-in climatology at Hangzhou (no files).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pvlib

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.bench_foundation import machine  # noqa: E402
from benchmarks.synthetic_city import footprints  # noqa: E402
from gis.solar.climatology import default_weather  # noqa: E402
from gis.solar.rooftop import PVSettings, rooftop_pv  # noqa: E402


def peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def naive_per_building_s(weather, n: int = 50) -> float:
    """Seconds per building of the naive way: one pvlib ModelChain (PVWatts) per building."""
    loc = pvlib.location.Location(weather.latitude, weather.longitude, altitude=weather.altitude_m)
    t0 = time.perf_counter()
    for k in range(n):
        system = pvlib.pvsystem.PVSystem(
            surface_tilt=20, surface_azimuth=180,
            module_parameters={"pdc0": 1000.0 + k, "gamma_pdc": -0.0037},
            inverter_parameters={"pdc0": 1000.0 / 1.1 / 0.96},
            temperature_model_parameters=pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][
                "open_rack_glass_polymer"])
        mc = pvlib.modelchain.ModelChain(system, loc, aoi_model="physical", spectral_model="no_loss",
                                         losses_model="no_loss", transposition_model="perez")
        mc.run_model(weather.data)
    return (time.perf_counter() - t0) / n


def main() -> None:
    n_big = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    n_shade = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    print(f"machine: {machine()}")
    weather = default_weather(120.17, 30.2)
    print(f"weather: {weather.source}")

    t = time.perf_counter()
    big = footprints(n_big)
    print(f"generate {n_big:,} footprints: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    r = rooftop_pv(big, weather, PVSettings(shading=False))
    dt = time.perf_counter() - t
    print(f"rooftop_pv {n_big:,} buildings, no shading, hourly year: {dt:.1f} s, "
          f"{r.orientation_classes} orientation classes, {r.totals['mwp']:,.0f} MWp, "
          f"{r.totals['gwh_yr']:,.0f} GWh/yr; peak RSS so far {peak_rss_gb():.2f} GB")
    del big, r

    city = footprints(n_shade, seed=1)
    t = time.perf_counter()
    r = rooftop_pv(city, weather, PVSettings(shading=True))
    dt = time.perf_counter() - t
    loss = r.buildings["shade_loss_pct"]
    print(f"rooftop_pv {n_shade:,} buildings with neighbour shading: {dt:.1f} s; shading loss "
          f"park {r.totals['shade_loss_pct']:.1f}%, median building {np.nanmedian(loss):.1f}%, "
          f"p95 {np.nanpercentile(loss, 95):.1f}%; peak RSS {peak_rss_gb():.2f} GB")

    per = naive_per_building_s(weather)
    print(f"naive baseline: one pvlib ModelChain per building = {per * 1000:.0f} ms/building → "
          f"{per * n_big / 60:.0f} min for {n_big:,} buildings (no shading, no layout)")
    print(pd.Timestamp.now().isoformat(timespec="seconds"))


if __name__ == "__main__":
    main()
