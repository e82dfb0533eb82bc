"""Sun position and distance helpers shared by the weather modules: hour angle and zenith of the
sun at hour labels, the Erbs split of GHI, great-circle distances and the rough box of China."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pvlib

CHINA_BBOX = (73.0, 18.0, 135.5, 54.0)
"""Rough lon/lat box of mainland China + Hainan (lon_min, lat_min, lon_max, lat_max), degrees."""

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), km, for great-circle distances."""


def great_circle_km(lon1, lat1, lon2, lat2):
    """Haversine distance(s) in km between points given in degrees (broadcasts)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, float)) for v in (lon1, lat1, lon2, lat2))
    a = (np.sin((lat2 - lat1) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2)
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(d) if np.ndim(d) == 0 else d


def in_china_bbox(lon: float, lat: float) -> bool:
    """Inside the rough lon/lat box of China (``CHINA_BBOX``)."""
    x0, y0, x1, y1 = CHINA_BBOX
    return x0 <= lon <= x1 and y0 <= lat <= y1


def solar_hour_angle_h(index: pd.DatetimeIndex, lon: float) -> np.ndarray:
    """Hour angle at each (tz-aware) label in hours, −12…12, 0 at true solar noon."""
    utc = index.tz_convert("UTC")
    hours = utc.hour.to_numpy() + utc.minute.to_numpy() / 60.0 + utc.second.to_numpy() / 3600.0
    eot_min = pvlib.solarposition.equation_of_time_spencer71(utc.day_of_year.to_numpy())
    solar = hours + lon / 15.0 + eot_min / 60.0
    return (solar - 12.0 + 12.0) % 24.0 - 12.0


def solar_zenith_deg(index: pd.DatetimeIndex, lat: float, lon: float) -> np.ndarray:
    """True solar zenith (degrees) at each label (pvlib NREL SPA, numpy)."""
    pos = pvlib.solarposition.get_solarposition(index, lat, lon, method="nrel_numpy")
    return pos["zenith"].to_numpy()


def split_ghi(ghi: np.ndarray, index: pd.DatetimeIndex, lat: float, lon: float
              ) -> tuple[np.ndarray, np.ndarray]:
    """(DNI, DHI) from GHI with the Erbs et al. (1982) decomposition (pvlib.irradiance.erbs)."""
    zen = solar_zenith_deg(index, lat, lon)
    out = pvlib.irradiance.erbs(np.asarray(ghi, float), zen, index)
    dni = np.nan_to_num(np.asarray(out["dni"], float))
    dhi = np.nan_to_num(np.asarray(out["dhi"], float))
    night = zen >= 90.0
    dni[night] = 0.0
    dhi[night] = 0.0
    return dni, dhi
