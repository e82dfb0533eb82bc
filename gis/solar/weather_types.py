"""The hourly weather every PV calculation takes, whatever file or model it came from."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from gis.errors import Problem

WEATHER_COLUMNS = ("ghi", "dni", "dhi", "temp_air", "wind_speed")
"""Columns of :attr:`Weather.data`: irradiance in W/m², air temperature in °C, wind in m/s."""


@dataclass
class Weather:
    """Hourly weather of one site.

    data: DataFrame with the columns of ``WEATHER_COLUMNS``; index tz-aware, hourly, each label
        the *centre* of its hour (12:30 stands for 12:00–13:00), so solar position is computed
        at the index as it is. Readers shift their files' conventions (EPW/TMY3 hour-ending).
    latitude, longitude: degrees (WGS84) of the station or grid cell the data are for.
    altitude_m: metres above sea level.
    source: one line naming the source for the user and the report, e.g.
        ``"EPW file CHN_Sichuan.Chengdu.562940_CSWD.epw (CSWD, station 562940)"`` or
        ``"内置气候表 built-in climatology: interpolated from Hangzhou 584570 (CSWD) …"``.
    source_kind: ``"file"``, ``"pvgis"`` or ``"climatology"``.
    problems: what the reader found (gaps filled, time-base shift, station far away …).
    """

    data: pd.DataFrame
    latitude: float
    longitude: float
    altitude_m: float
    source: str
    source_kind: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def annual_ghi_kwh_m2(self) -> float:
        """Annual global horizontal irradiation, kWh/m²."""
        return float(self.data["ghi"].sum()) / 1000.0
