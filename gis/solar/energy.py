"""Energy of PV roofs: the pvlib chain once per orientation class, and shading losses.

Solar position is computed once per site (:class:`SiteSun`). Roof planes are grouped into
orientation classes (tilt rounded to 1°, azimuth to 5°, mounting); each class runs the chain
once over the hourly year: transposition (Perez 1990 or Hay–Davies) → incidence-angle loss
(Fresnel/"physical" model for beam, Marion's integral for diffuse) → cell temperature (SAPM,
open rack for tilted rows, close roof mount for flush arrays) → PVWatts DC with system losses →
PVWatts inverter. A building's energy is its kWp per plane times the class's specific yield,
less its shading loss. No pvlib ModelChain per building.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pvlib

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress
from gis.solar.loss_kernel import blocked_wh_m2
from gis.solar.weather_types import Weather

TILT_STEP_DEG = 1.0
AZIMUTH_STEP_DEG = 5.0
"""Orientation classes: a 1° tilt or 5° azimuth difference changes yield by < 0.3% (checked in
tests/test_pv_energy.py), far below the uncertainty of the weather."""

SAPM_MOUNTING = {"rows": "open_rack_glass_polymer", "flush": "close_mount_glass_glass"}
"""SAPM temperature-model parameters (pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS, King et al.
2004): free-standing tilted rows are open rack; modules flush on a roof are close mounted."""


@dataclass(frozen=True)
class SystemSettings:
    """The electrical chain.

    losses_pct: DC system losses, % (PVWatts v5 default 14%; pvlib pvwatts_losses() = 14.08%,
        of which 3% is generic shading: neighbour shading is computed separately on top).
    gamma_pdc_per_c: power temperature coefficient, 1/°C (PVWatts standard module −0.37 %/°C).
    inverter_eta_nom: nominal inverter efficiency (PVWatts 0.96).
    dc_ac_ratio: DC/AC ratio (PVWatts 1.1).
    albedo: ground/roof reflectance (0.2, the usual default for urban surfaces; pvlib default
        0.25).
    transposition: 'perez' (Perez et al. 1990) or 'haydavies'.
    """

    losses_pct: float = 14.0
    gamma_pdc_per_c: float = -0.0037
    inverter_eta_nom: float = 0.96
    dc_ac_ratio: float = 1.1
    albedo: float = 0.2
    transposition: str = "perez"

    def __post_init__(self):
        if not 0 <= self.losses_pct < 100:
            raise InputError("系统损失应在 0–100%", "system losses must be within 0–100%", code="pv.losses")
        if self.transposition not in ("perez", "haydavies"):
            raise InputError("散射模型应为 perez 或 haydavies", "transposition must be perez or haydavies",
                             code="pv.transposition")


@dataclass
class SiteSun:
    """Sun position and extraterrestrial irradiance at a site over the weather's hours."""

    weather: Weather
    zenith: np.ndarray = field(init=False)
    apparent_zenith: np.ndarray = field(init=False)
    azimuth: np.ndarray = field(init=False)
    elevation: np.ndarray = field(init=False)
    dni_extra: np.ndarray = field(init=False)
    airmass: np.ndarray = field(init=False)
    month: np.ndarray = field(init=False)

    def __post_init__(self):
        w = self.weather
        times = w.data.index
        pos = pvlib.solarposition.get_solarposition(times, w.latitude, w.longitude, w.altitude_m,
                                                    temperature=w.data["temp_air"])
        self.zenith = pos["zenith"].to_numpy()
        self.apparent_zenith = pos["apparent_zenith"].to_numpy()
        self.azimuth = pos["azimuth"].to_numpy()
        self.elevation = pos["apparent_elevation"].to_numpy()
        self.dni_extra = pvlib.irradiance.get_extra_radiation(times).to_numpy()
        self.airmass = pvlib.atmosphere.get_relative_airmass(self.apparent_zenith)
        self.month = times.month.to_numpy() - 1


@dataclass
class OrientationYield:
    """Results of one orientation class for 1 kWp DC.

    ac_kwh_per_kwp: hourly AC energy (kWh per kWp per hour).
    monthly_kwh_per_kwp: (12,) and annual_kwh_per_kwp.
    beam_wh_m2, sky_wh_m2, poa_wh_m2: hourly effective plane-of-array beam (with the
        circumsolar diffuse, which is shaded with the sun), the rest of the sky diffuse, and the
        total, after incidence-angle losses (W/m² over one hour = Wh/m²); used to turn horizons
        into shading losses.
    """

    tilt_deg: float
    azimuth_deg: float
    mounting: str
    ac_kwh_per_kwp: np.ndarray
    beam_wh_m2: np.ndarray
    sky_wh_m2: np.ndarray
    poa_wh_m2: np.ndarray
    monthly_kwh_per_kwp: np.ndarray
    annual_kwh_per_kwp: float


def orientation_key(tilt_deg, azimuth_deg, mounting) -> tuple:
    """Class key(s): tilt rounded to TILT_STEP_DEG, azimuth to AZIMUTH_STEP_DEG (mod 360)."""
    t = np.round(np.asarray(tilt_deg, float) / TILT_STEP_DEG) * TILT_STEP_DEG
    a = (np.round(np.asarray(azimuth_deg, float) / AZIMUTH_STEP_DEG) * AZIMUTH_STEP_DEG) % 360.0
    return t, a, np.asarray(mounting)


def orientation_yield(sun: SiteSun, tilt_deg: float, azimuth_deg: float, mounting: str,
                      system: SystemSettings) -> OrientationYield:
    """Run the chain for one orientation over the hourly year (per 1 kWp DC)."""
    w = sun.weather.data
    ghi, dni, dhi = (w[c].to_numpy(float) for c in ("ghi", "dni", "dhi"))
    irr = pvlib.irradiance.get_total_irradiance(
        tilt_deg, azimuth_deg, sun.apparent_zenith, sun.azimuth, dni, ghi, dhi,
        dni_extra=sun.dni_extra, airmass=sun.airmass, albedo=system.albedo,
        model=system.transposition, diffuse_components=True)
    aoi = pvlib.irradiance.aoi(tilt_deg, azimuth_deg, sun.apparent_zenith, sun.azimuth)
    iam_beam = pvlib.iam.physical(aoi)
    iam_d = _marion_diffuse(float(tilt_deg))
    circumsolar = np.nan_to_num(np.asarray(irr["poa_circumsolar"], float)) * float(iam_d["sky"])
    # circumsolar light comes from around the sun: it is shaded with the beam
    beam = np.nan_to_num(np.asarray(irr["poa_direct"], float)) * np.nan_to_num(iam_beam) + circumsolar
    sky = np.nan_to_num(np.asarray(irr["poa_sky_diffuse"], float)) * float(iam_d["sky"]) - circumsolar
    ground = np.nan_to_num(np.asarray(irr["poa_ground_diffuse"], float)) * float(iam_d["ground"])
    poa_eff = beam + sky + ground
    poa_global = np.nan_to_num(np.asarray(irr["poa_global"], float))
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][SAPM_MOUNTING[mounting]]
    t_cell = pvlib.temperature.sapm_cell(poa_global, w["temp_air"].to_numpy(float),
                                         w["wind_speed"].to_numpy(float), **params)
    pdc0_w = 1000.0
    pdc = pvlib.pvsystem.pvwatts_dc(poa_eff, t_cell, pdc0_w, system.gamma_pdc_per_c)
    pdc = pdc * (1.0 - system.losses_pct / 100.0)
    pac0_w = pdc0_w / system.dc_ac_ratio
    pac = pvlib.inverter.pvwatts(pdc, pac0_w / system.inverter_eta_nom, system.inverter_eta_nom)
    ac = np.clip(np.nan_to_num(np.asarray(pac, float)), 0.0, None) / 1000.0
    monthly = np.bincount(sun.month, weights=ac, minlength=12)
    return OrientationYield(tilt_deg, azimuth_deg, mounting, ac, beam, sky, poa_eff, monthly,
                            float(ac.sum()))


@functools.lru_cache(maxsize=256)
def _marion_diffuse(tilt_deg: float) -> dict:
    """pvlib's Marion diffuse IAM (physical model) of a tilt: ``{"sky", "ground", "horizon"}``.
    It depends on the tilt alone and costs ~30 ms (a numerical integral), so it is made once per
    tilt rather than once per orientation class (a 5° metal roof has a class per azimuth)."""
    return {k: float(v) for k, v in pvlib.iam.marion_diffuse("physical", tilt_deg).items()}


class YieldTable:
    """Orientation classes of one site, each computed once on first use (shared by partitions)."""

    def __init__(self, weather: Weather, system: SystemSettings | None = None):
        self.weather = weather
        self.system = system or SystemSettings()
        self.sun = SiteSun(weather)
        self._cache: dict[tuple, OrientationYield] = {}
        self._sectors: dict[tuple, tuple] = {}  # shading tables per (class key, n_sectors)

    def get(self, tilt_deg: float, azimuth_deg: float, mounting: str) -> OrientationYield:
        t, a, _ = orientation_key(tilt_deg, azimuth_deg, mounting)
        key = (float(t), float(a), str(mounting))
        if key not in self._cache:
            self._cache[key] = orientation_yield(self.sun, *key, self.system)
        return self._cache[key]

    def classes_of(self, planes: pd.DataFrame, progress: Progress = NO_PROGRESS) -> np.ndarray:
        """Index of each plane's class in ``self.keys`` (computing new classes as needed);
        vectorised: one chain run per distinct class, one lookup per distinct class.
        ``progress`` is checked for Cancel before each new class (~10 ms each)."""
        if len(planes) == 0:
            return np.zeros(0, np.int64)
        t, a, m = orientation_key(planes["tilt_deg"], planes["azimuth_deg"], planes["mounting"])
        m_code = (m == "flush").astype(np.int64)
        code = (np.round(t / TILT_STEP_DEG).astype(np.int64) * 1000
                + np.round(a / AZIMUTH_STEP_DEG).astype(np.int64)) * 2 + m_code
        uniq, first, inverse = np.unique(code, return_index=True, return_inverse=True)
        index_of_uniq = np.empty(len(uniq), np.int64)
        for j, i in enumerate(first):
            key = (float(t[i]), float(a[i]), str(m[i]))
            if key not in self._cache:
                progress.check()
                self._cache[key] = orientation_yield(self.sun, *key, self.system)
            index_of_uniq[j] = list(self._cache).index(key)
        return index_of_uniq[inverse.ravel()]

    @property
    def keys(self) -> list[tuple]:
        return list(self._cache)

    def hourly_matrix(self) -> np.ndarray:
        """(n_classes, hours) AC kWh/kWp per hour, in ``keys`` order."""
        return np.array([self._cache[k].ac_kwh_per_kwp for k in self._cache]).reshape(
            len(self._cache), len(self.sun.month))

    def monthly_matrix(self) -> np.ndarray:
        """(n_classes, 12) kWh/kWp per month, in ``keys`` order."""
        return np.array([self._cache[k].monthly_kwh_per_kwp for k in self._cache]).reshape(-1, 12)

    def __len__(self) -> int:
        return len(self._cache)


def sky_blocked_on_plane(horizon_deg: np.ndarray, tilt_deg: float, azimuth_deg: float) -> np.ndarray:
    """Share (0–1) of isotropic sky-diffuse light on a plane (tilt, azimuth) that the horizon
    profiles ``horizon_deg`` (n_points, n_sectors; deg) block.

    Each sky direction (azimuth φ, elevation e) adds max(0, cos θ)·cos e dφ de, with
    cos θ = sin e cos β + cos e sin β cos(φ − γ): sky behind the plane does not count, so a
    wall to the north of a south-facing module blocks little. For a horizontal plane this is
    the mean of sin² h over sectors. Integrated numerically per sector (0.5° steps).
    """
    n_pts, n_sec = horizon_deg.shape
    e_edges, cum = _sky_cumulative(n_sec, float(tilt_deg), float(azimuth_deg))
    out = np.zeros(n_pts)
    for k in range(n_sec):
        out += np.interp(horizon_deg[:, k], e_edges, cum[k])
    return np.clip(out, 0.0, 1.0)


@functools.lru_cache(maxsize=512)
def _sky_cumulative(n_sec: int, tilt_deg: float, azimuth_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """(elevation edges deg (181,), cumulative share of the plane's sky diffuse below each edge
    per sector (n_sec, 181)) — the same for every call with this plane, so made once (a tiled
    run meets the same orientation classes in every tile)."""
    width = 360.0 / n_sec
    e_edges = np.linspace(0.0, 90.0, 181)
    e_mid = np.radians((e_edges[:-1] + e_edges[1:]) / 2.0)
    de = np.radians(0.5)
    b, g = np.radians(tilt_deg), np.radians(azimuth_deg)
    sub = (np.arange(5) + 0.5) / 5.0 - 0.5  # five azimuth sub-rays per sector
    phi = np.radians((np.arange(n_sec)[:, None] + sub[None, :]) * width)  # (n_sec, 5)
    cos_t = (np.sin(e_mid)[None, None, :] * np.cos(b)
             + np.cos(e_mid)[None, None, :] * np.sin(b) * np.cos(phi[:, :, None] - g))
    weight = (np.clip(cos_t, 0.0, None) * np.cos(e_mid)[None, None, :]).mean(axis=1) * de \
        * np.radians(width)  # (n_sec, 180)
    total = weight.sum()
    cum = np.concatenate([np.zeros((n_sec, 1)), np.cumsum(weight, axis=1)], axis=1) / total
    e_edges.flags.writeable = False
    cum.flags.writeable = False
    return e_edges, cum


def _beam_sectors(yields: YieldTable, key: tuple, n_sec: int) -> tuple:
    """Beam hours of class ``key`` per azimuth sector, as :func:`loss_kernel.blocked_wh_m2` takes
    them: (sec_start, sec_end (n_sec,) ranges into elev; elev: sun elevations (deg) of each
    sector's hours ascending; beam_cum: per sector, cumulative monthly beam Wh/m² below each
    hour ((hours + 1) rows of 12, the first zero); beam_row0 (n_sec,): each sector's first row).
    Kept on the yield table, so partitions and tiles sharing it sort and sum each class's hours
    once."""
    cached = yields._sectors.get((key, n_sec))
    if cached is not None:
        return cached
    sun, oy = yields.sun, yields._cache[key]
    up = sun.elevation > 0
    width = 360.0 / n_sec
    sector = np.floor(((sun.azimuth + width / 2.0) % 360.0) / width).astype(np.int64)
    sec_start, sec_end = np.zeros(n_sec, np.int64), np.zeros(n_sec, np.int64)
    row0 = np.zeros(n_sec, np.int64)
    elevs: list[np.ndarray] = []
    cums: list[np.ndarray] = []
    n_hours = n_rows = 0
    for k in range(n_sec):
        hours = np.flatnonzero(up & (sector == k) & (oy.beam_wh_m2 > 0))
        order = hours[np.argsort(sun.elevation[hours], kind="stable")]
        beam_m = np.zeros((order.size + 1, 12))
        beam_m[np.arange(1, order.size + 1), sun.month[order]] = oy.beam_wh_m2[order]
        sec_start[k], sec_end[k], row0[k] = n_hours, n_hours + order.size, n_rows
        elevs.append(sun.elevation[order])
        cums.append(np.cumsum(beam_m, axis=0))
        n_hours += order.size
        n_rows += order.size + 1
    tables = (sec_start, sec_end, np.concatenate(elevs).astype(np.float64),
              np.ascontiguousarray(np.concatenate(cums)), row0)
    yields._sectors[(key, n_sec)] = tables
    return tables


def shading_loss_monthly(yields: YieldTable, class_of_point: np.ndarray, horizon_deg: np.ndarray,
                         progress: Progress = NO_PROGRESS) -> np.ndarray:
    """Share (0–1) of each point's effective plane-of-array irradiance lost to obstructions, per
    month: (n_points, 12).

    Beam is lost in the hours when the sun is below the point's horizon in the sun's azimuth
    sector; sky diffuse is lost in the share :func:`sky_blocked_on_plane` of the class's plane
    (isotropic sky); ground-reflected light is kept. Per class and sector the hours are sorted by
    sun elevation with cumulative monthly beam, so each point costs one binary search per
    sector (compiled: :mod:`gis.solar.loss_kernel`). ``progress`` is checked for Cancel per class.
    """
    n_pts, n_sec = horizon_deg.shape
    out = np.zeros((n_pts, 12))
    if n_pts == 0:
        return out
    sun = yields.sun
    keys = yields.keys
    horizon = np.ascontiguousarray(horizon_deg)
    for ci in np.unique(class_of_point):
        progress.check()
        pts = np.flatnonzero(class_of_point == ci)
        oy = yields._cache[keys[ci]]
        month_poa = np.bincount(sun.month, weights=oy.poa_wh_m2, minlength=12)
        month_sky = np.bincount(sun.month, weights=oy.sky_wh_m2, minlength=12)
        e_edges, sky_cum = _sky_cumulative(n_sec, float(oy.tilt_deg), float(oy.azimuth_deg))
        blocked = blocked_wh_m2(horizon[pts], float(e_edges[1] - e_edges[0]), sky_cum, month_sky,
                                *_beam_sectors(yields, keys[ci], n_sec))
        out[pts] = np.divide(blocked, month_poa[None, :], out=np.zeros_like(blocked),
                             where=month_poa[None, :] > 0)
    return np.clip(out, 0.0, 1.0)
