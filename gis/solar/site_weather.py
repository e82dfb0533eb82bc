"""Choose the weather for a site: the user's file, else PVGIS (only if allowed), else the
built-in climatology. The chosen source is always named in ``Weather.source``."""

from __future__ import annotations

from pathlib import Path

from gis.solar.weather_types import Weather


def site_weather(lon: float, lat: float, *, weather_path: Path | None = None, allow_network: bool = False,
                 fix_time_base: bool = False, altitude_m: float | None = None) -> Weather:
    """Weather for the site at ``lon``/``lat`` (deg, WGS84).

    weather_path: EPW, TMY2/TMY3, PVGIS (csv/json) or a plain hourly CSV; checked against the
        site (a file for a place far away is refused).
    allow_network: download (and cache) a PVGIS TMY when no file is given; off by default.
    fix_time_base: shift irradiance of files whose radiation is centred off solar noon.
    Without a file or network: the built-in CSWD climatology interpolated to the site.
    """
    if weather_path is not None:
        from gis.solar.weather import correct_time_base, read_weather

        w = read_weather(Path(weather_path), site_lonlat=(lon, lat))
        return correct_time_base(w) if fix_time_base else w
    if allow_network:
        from gis.solar.pvgis import fetch_pvgis_tmy

        return fetch_pvgis_tmy(lon, lat, allow_network=True)
    from gis.solar.climatology import default_weather

    return default_weather(lon, lat, altitude_m)
