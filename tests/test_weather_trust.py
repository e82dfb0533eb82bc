"""Weather that cannot be real is an error, not a number: no sunshine in a year, negative or
super-solar irradiance, hurricane-proof wind, temperatures beyond Earth's records. A clear-sky year
made with pvlib (tests/test_weather.py) is the good file each bad one is made from."""

from __future__ import annotations

import pytest

from gis.errors import InputError
from gis.solar.weather import read_weather
from tests.test_weather import write_clear_sky_epw

# EPW data fields (EnergyPlus Auxiliary Programs, "Weather Converter"): 0-based after the date/time
# and flags: 6 dry bulb °C, 13 GHI, 14 DNI, 15 DHI (Wh/m²), 21 wind speed m/s
T_AIR, GHI, DNI, DHI, WIND = 6, 13, 14, 15, 21


def _bad_epw(tmp_path, col: int, value: str, every: int = 1):
    good, _ = write_clear_sky_epw(tmp_path / "CHN_Synthetic.Hangzhou.584570_good.epw")
    lines = good.read_text().splitlines()
    out = lines[:8]
    for k, row in enumerate(lines[8:]):
        f = row.split(",")
        if k % every == 0 and (col not in (GHI, DNI, DHI) or float(f[col]) > 0 or value.startswith("0")):
            f[col] = value
        out.append(",".join(f))
    bad = tmp_path / "CHN_Synthetic.Hangzhou.584570_bad.epw"
    bad.write_text("\n".join(out) + "\n")
    return good, bad


@pytest.mark.parametrize("col, value, code", [
    (GHI, "0", "weather.no_sun"),                # all-zero irradiance: 0 kWh, formerly no warning
    (GHI, "-100", "weather.irradiance_negative"),
    (DNI, "-300", "weather.irradiance_negative"),
    (GHI, "5000", "weather.ghi_impossible"),     # the sun sends at most ~1,414 W/m² to the top of the air
    (WIND, "500", "weather.wind_impossible"),
    (T_AIR, "95", "weather.temperature_impossible"),
])
def test_impossible_weather_is_a_bilingual_error(tmp_path, col, value, code):
    good, bad = _bad_epw(tmp_path, col, value)
    assert read_weather(good).annual_ghi_kwh_m2 > 1000  # the unchanged clear-sky year reads
    with pytest.raises(InputError) as e:
        read_weather(bad)
    assert e.value.code == code
    assert e.value.zh and e.value.en and bad.name in e.value.text()


def test_a_few_slightly_negative_night_values_are_a_warning(tmp_path):
    _, bad = _bad_epw(tmp_path, DHI, "-10", every=500)
    w = read_weather(bad)
    assert any(p.code == "weather.irradiance_below_limit" and p.level == "warning" for p in w.problems)
