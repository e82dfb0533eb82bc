"""Choose the weather for a site: the user's file, else PVGIS (only if allowed), else the
built-in climatology. The chosen source is always named in ``Weather.source``."""

from __future__ import annotations

from pathlib import Path

from gis.solar.weather_types import Weather

CLOSURE_RESTORE_BELOW = 0.97
"""Files whose annual DNI·cosZ + DHI falls more than 3% short of GHI get their beam rescaled
(most CSWD files: 5–18% short, SOURCES.md): otherwise tilted planes are under-lit by up to 20%."""


def site_weather(lon: float, lat: float, *, weather_path: Path | None = None, allow_network: bool = False,
                 fix_time_base: bool = False, altitude_m: float | None = None,
                 restore_components: bool = True) -> Weather:
    """Weather for the site at ``lon``/``lat`` (deg, WGS84).

    weather_path: EPW, TMY2/TMY3, PVGIS (csv/json) or a plain hourly CSV; checked against the
        site (a file for a place far away, or in the wrong time zone, is refused).
    allow_network: download (and cache) a PVGIS TMY when no file is given; off by default.
    fix_time_base: shift irradiance of files whose radiation is centred off solar noon.
    altitude_m: site altitude for the climatology (default: estimated from the stations).
    restore_components: rescale a file's DNI when its components fall short of its GHI (see
        ``CLOSURE_RESTORE_BELOW``); said in the source line.
    Without a file or network: the built-in CSWD climatology interpolated to the site.
    """
    if weather_path is not None:
        from gis.solar.weather import closure_ratio, correct_time_base, read_weather, restore_closure

        w = read_weather(Path(weather_path), site_lonlat=(lon, lat))
        if fix_time_base:
            w = correct_time_base(w)
        if restore_components and closure_ratio(w) < CLOSURE_RESTORE_BELOW:
            w = restore_closure(w)
        return w
    if allow_network:
        from gis.solar.pvgis import fetch_pvgis_tmy

        return fetch_pvgis_tmy(lon, lat, allow_network=True)
    from gis.solar.climatology import default_weather

    return default_weather(lon, lat, altitude_m)
