"""On-site generation as time series from Lingtan's own PV and wind engines.

* Rooftop PV: the engine's hourly park total (:attr:`gis.solar.rooftop.RooftopResult.hourly_kwh`:
  each orientation class's pvlib chain hour by hour, with each building's monthly shading loss),
  so the series sums to the engine's monthly and annual kWh. A result without hours (read back
  from a project) is shaped by the chain of the roofs' main orientation and scaled to its months.
* Ground array: the chain of the array's orientation, scaled to the engine's monthly kWh (which
  carry the row and building shading).
* Wind: the weather file's hourly wind sheared to hub height through the turbine's power curve
  at the site's air density, scaled to the wind engine's net annual energy (wakes and losses as
  the engine computed them). With only a Weibull A/k and no hourly wind, a synthetic year keeps
  the Weibull distribution with a diurnal and seasonal shape (said in the problems).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.energy.series import PowerSeries, hour_starts_cst, place_on_year, to_step, year_index
from gis.errors import InputError, Problem
from gis.solar.energy import SystemSettings, YieldTable
from gis.solar.weather_types import Weather


def weather_hours(weather: Weather) -> pd.DatetimeIndex:
    """Naive CST hour starts of the weather's hours (its labels are hour centres)."""
    return hour_starts_cst(weather.data.index, centred=True)


def _on_axis(hourly: np.ndarray, weather: Weather, year: int, dt_h: float) -> np.ndarray:
    return to_step(place_on_year(hourly, weather_hours(weather), year), dt_h)


def scale_to_months(shape_kwh: np.ndarray, month_of_hour: np.ndarray, monthly_kwh) -> np.ndarray:
    """An hourly ``shape_kwh`` scaled month by month so that its monthly sums equal ``monthly_kwh``
    (12,). A month whose shape is zero but whose total is not raises InputError."""
    monthly_kwh = np.asarray(monthly_kwh, float)
    shape_month = np.bincount(month_of_hour, weights=shape_kwh, minlength=12)
    if np.any((shape_month <= 0) & (monthly_kwh > 0)):
        raise InputError("某月没有日照却有发电量，无法逐时分配",
                         "a month has energy but no sun in the hourly "
                         "shape: cannot spread it over the hours", code="energy.shape_month")
    factor = np.divide(monthly_kwh, shape_month, out=np.zeros(12), where=shape_month > 0)
    return shape_kwh * factor[month_of_hour]


def rooftop_series(result, year: int, dt_h: float = 1.0, *, tilt_deg: float = 5.0,
                   azimuth_deg: float = 180.0) -> PowerSeries:
    """Rooftop PV (``result``: a RooftopResult) as mean kW per interval of calendar ``year``.
    ``tilt_deg``/``azimuth_deg``: the shape used only when the result has no hourly energy."""
    weather = result.weather
    problems: list[Problem] = []
    if result.hourly_kwh is not None:
        hourly = np.asarray(result.hourly_kwh, float)
        source = "rooftop PV engine, hourly (gis.solar.rooftop)"
    else:
        monthly = np.asarray(result.totals.get("monthly_kwh") or [0.0] * 12, float)
        yt = YieldTable(weather, SystemSettings())
        shape = yt.get(tilt_deg, azimuth_deg, "rows").ac_kwh_per_kwp
        hourly = scale_to_months(shape, yt.sun.month, monthly)
        source = "rooftop PV engine, monthly kWh spread by the chain's hours"
        problems.append(Problem("info", "energy.pv_monthly_shape",
                                f"屋顶光伏逐时值按 {tilt_deg:g}° 倾角、{azimuth_deg:g}° 方位的逐时形状分配月"
                                f"发电量",
                                f"rooftop PV hours: the monthly kWh spread by the hourly shape of a "
                                f"{tilt_deg:g}° tilt, {azimuth_deg:g}° azimuth plane"))
    kw = _on_axis(hourly, weather, year, dt_h)
    return PowerSeries(year_index(year, dt_h), kw, dt_h, source=f"{source}; {weather.source}",
                       problems=problems)


def array_series(monthly_kwh, weather: Weather, year: int, dt_h: float = 1.0, *, tilt_deg: float,
                 azimuth_deg: float, system: SystemSettings | None = None) -> PowerSeries:
    """A ground array's monthly kWh (12,) spread over the hours by the chain of its orientation."""
    yt = YieldTable(weather, system or SystemSettings())
    shape = yt.get(tilt_deg, azimuth_deg, "rows").ac_kwh_per_kwp
    hourly = scale_to_months(shape, yt.sun.month, monthly_kwh)
    return PowerSeries(year_index(year, dt_h), _on_axis(hourly, weather, year, dt_h), dt_h,
                       source=f"PV array engine, monthly kWh spread by the chain's hours; {weather.source}")


def wind_series(curve, *, hub_height_m: float, n_turbines: int, weather: Weather, year: int,
                dt_h: float = 1.0, shear=None, density_kg_m3: float | None = None,
                net_kwh_yr: float | None = None, measurement_height_m: float = 10.0) -> PowerSeries:
    """Wind farm power from the weather's hourly wind.

    curve: a :class:`gis.wind.turbines.PowerCurve` (at the reference density; corrected here to
        ``density_kg_m3``). shear: a :class:`gis.wind.resource.Shear` (default: the wind engine's
        default land use). net_kwh_yr: the wind engine's net annual energy of the farm; when given
        the series is scaled to it (wakes, availability and losses as the engine has them).
    """
    from gis.wind.resource import shear_for

    if "wind_speed" not in weather.data:
        raise InputError("气象数据没有风速，无法给出逐时风电",
                         "the weather has no wind speed: no hourly wind power",
                         code="energy.no_wind")
    v10 = np.clip(np.nan_to_num(weather.data["wind_speed"].to_numpy(float)), 0.0, None)
    sh = shear or shear_for(None)
    v_hub = v10 * float(sh.factor(measurement_height_m, hub_height_m))
    c = curve.at_density(density_kg_m3) if density_kg_m3 else curve
    gross = c.power(v_hub) * n_turbines  # kW in each hour = kWh
    problems: list[Problem] = []
    source = f"hourly wind of {weather.source} at {hub_height_m:g} m ({sh.label})"
    if net_kwh_yr is not None:
        total = float(gross.sum())
        if total <= 0:
            raise InputError("气象文件的风速始终低于切入风速，无法按风电年发电量分配逐时值",
                             "the weather file's wind never reaches the cut-in speed: the wind farm's annual "
                             "energy cannot be spread over its hours", code="energy.wind_calm")
        ratio = net_kwh_yr / total
        gross = gross * ratio
        source += f"; scaled by {ratio:.3f} to the wind engine's net {net_kwh_yr / 1e6:.3f} GWh/yr"
        if not 0.5 <= ratio <= 1.5:
            problems.append(Problem(
                "warning", "energy.wind_scale",
                f"气象文件逐时风速算出的发电量与风资源（{net_kwh_yr / 1e6:.2f} GWh）相差 "
                f"{abs(ratio - 1) * 100:.0f}%："
                "逐时形状来自气象文件，总量来自风资源",
                f"the weather file's hourly wind gives an energy {abs(ratio - 1) * 100:.0f}% off the wind "
                f"resource's ({net_kwh_yr / 1e6:.2f} GWh): the hourly shape is the weather file's, the total "
                f"the "
                "resource's"))
    kw = _on_axis(gross, weather, year, dt_h)
    return PowerSeries(year_index(year, dt_h), kw, dt_h, source=source, problems=problems)


def weibull_wind_series(curve, *, A: float, k: float, n_turbines: int, year: int, dt_h: float = 1.0,
                        diurnal_amplitude: float = 0.15, seasonal_amplitude: float = 0.15,
                        seed: int = 20261207) -> PowerSeries:
    """A synthetic year of hub-height wind with the Weibull(A, k) distribution: speeds are the
    Weibull quantiles of a shuffled uniform sequence, modulated by a diurnal (peak 15:00) and a
    seasonal (peak in spring) sinusoid of the given relative amplitudes, then rescaled so the
    year's speeds keep the Weibull mean. Only for when no hourly wind exists; said in the problems."""
    if not (np.isfinite(A) and np.isfinite(k) and 0 < A < 30 and 0.5 < k < 10):
        raise InputError(f"威布尔参数不合理：A={A}, k={k}（A 应在 0–30 m/s，k 在 0.5–10）",
                         f"implausible Weibull parameters A={A}, k={k} (A within 0–30 m/s, k within 0.5–10)",
                         code="energy.weibull")
    idx = year_index(year, 1.0)
    rng = np.random.default_rng(seed)
    u = (np.arange(len(idx)) + 0.5) / len(idx)
    v = A * (-np.log1p(-u)) ** (1.0 / k)
    v = v[rng.permutation(len(idx))]
    hour = np.asarray(idx.hour)
    doy = np.asarray(idx.day_of_year)
    mod = (1 + diurnal_amplitude * np.cos(2 * np.pi * (hour - 15) / 24)) \
        * (1 + seasonal_amplitude * np.cos(2 * np.pi * (doy - 105) / 365))
    v = v * mod * (v.mean() / (v * mod).mean())
    kw = to_step(curve.power(v) * n_turbines, dt_h)
    return PowerSeries(year_index(year, dt_h), kw, dt_h,
                       source=f"synthetic hourly wind, Weibull A={A:g} m/s, k={k:g}",
                       problems=[Problem("warning", "energy.wind_synthetic",
                                         "没有逐时风速：风电逐时值由威布尔分布加日变化和季节变化合成，仅供估"
                                         "算",
                                         "no hourly wind: the wind power hours are synthetic (Weibull with a "
                                         "diurnal and seasonal shape), for estimates only")])


TURBINE_COLUMNS = ("rated_kw", "rotor_diameter_m", "hub_height_m", "aep_mwh")
"""Fields of the wind engine's turbine layer (gis.wind.farm.TURBINE_FIELDS) the series needs."""


def turbines_series(turbines: pd.DataFrame, weather: Weather, year: int, dt_h: float = 1.0) -> PowerSeries:
    """The sited turbines (the wind engine's turbine layer) as one series: per group of equal
    turbines the weather's hourly wind through a generic curve of their rated power and rotor
    (gis.wind.turbines ``generic:``), scaled to the group's net AEP as the engine computed it (wakes
    included). The engine's AEP fixes the total; the weather file fixes the hours."""
    from gis.wind.turbines import load_turbine

    missing = [c for c in TURBINE_COLUMNS if c not in turbines]
    if missing:
        raise InputError(f"风机图层缺少字段 {', '.join(missing)}：请先在“选址”中计算风机",
                         f"the turbine layer lacks {', '.join(missing)}: evaluate the turbines in Siting "
                         f"first",
                         code="energy.turbine_fields")
    t = pd.DataFrame({c: pd.to_numeric(turbines[c], errors="coerce") for c in TURBINE_COLUMNS})
    if t.isna().any().any() or (t[["rated_kw", "rotor_diameter_m", "hub_height_m"]] <= 0).any().any():
        raise InputError("风机图层的额定功率、叶轮直径、轮毂高度或发电量无法读取",
                         "the turbine layer has unreadable rated power, rotor, hub height or AEP",
                         code="energy.turbine_values")
    total = np.zeros(len(year_index(year, dt_h)))
    problems: list[Problem] = []
    for (kw, d, hub), g in t.groupby(["rated_kw", "rotor_diameter_m", "hub_height_m"]):
        curve = load_turbine(f"generic:{kw:g},{d:g},{hub:g}").curve
        s = wind_series(curve, hub_height_m=float(hub), n_turbines=len(g), weather=weather, year=year,
                        dt_h=dt_h,
                        net_kwh_yr=float(g["aep_mwh"].sum()) * 1000.0)
        total += s.kw
        problems += s.problems
    return PowerSeries(year_index(year, dt_h), total, dt_h, problems=problems,
                       source=f"{len(t)} sited turbine(s), the wind engine's net AEP spread over the hourly "
                              f"wind of "
                       f"{weather.source}")
