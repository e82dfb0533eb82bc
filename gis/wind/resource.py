"""Wind resource: wind climates (Weibull or binned, per sector), shear, air density, readers.

* :class:`WindClimate` — sector frequencies plus, per sector, a Weibull A/k or a binned speed
  distribution, at one height above ground. Directions are meteorological: the direction the wind
  comes *from*, degrees clockwise from north; sector 0 is centred on ``first_centre_deg``.
* Readers: EPW hourly wind (10 m, with directions; Weibull per sector fitted with the WAsP method
  or the plain histogram), WAsP ``.tab`` observed wind climates, sector tables (CSV: sector,
  frequency, A, k; Chinese headers too), Global Wind Atlas-style GeoTIFFs (mean speed or Weibull A
  and k) sampled at each turbine with rasterio.
* Shear to hub height: log law with the roughness length of a land-use class, or power law
  (``resources/wind/roughness.csv``, every value with its source).
* Air density from altitude and temperature with the ISA barometric formula.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import gamma

from gis.errors import InputError, Problem
from gis.limits import check_memory
from gis.paths import resources_dir

# ISA / US Standard Atmosphere 1976, troposphere (ICAO Doc 7488):
ISA_P0_PA = 101325.0        # sea-level pressure
ISA_T0_K = 288.15           # sea-level temperature (15 °C)
ISA_LAPSE_K_M = 0.0065      # temperature lapse rate
ISA_G = 9.80665             # standard gravity, m/s²
ISA_M = 0.0289644           # molar mass of dry air, kg/mol
ISA_R = 8.3144598           # universal gas constant, J/(mol K)

DEFAULT_K = 2.0
"""Weibull shape used when a source gives only the mean speed (Rayleigh distribution, k = 2; the
usual assumption, e.g. IEC 61400-1 §6.3.1.1 design classes and the WAsP/GWA convention)."""

EPW_HEIGHT_M = 10.0
"""Height of EPW wind speeds: the WMO standard anemometer height (EnergyPlus EPW definition)."""

DEFAULT_LAND_USE = "farmland"
"""Roughness class used for shear when none is given (z0 = 0.1 m, European Wind Atlas class 2)."""


# --------------------------------------------------------------------------------------------
# Air density and shear
# --------------------------------------------------------------------------------------------

def isa_pressure_pa(altitude_m):
    """ISA barometric formula: pressure (Pa) at ``altitude_m`` above sea level (troposphere)."""
    h = np.asarray(altitude_m, float)
    return ISA_P0_PA * (1.0 - ISA_LAPSE_K_M * h / ISA_T0_K) ** (ISA_G * ISA_M / (ISA_R * ISA_LAPSE_K_M))


def air_density(altitude_m, temperature_c=None):
    """Dry-air density (kg/m³) at ``altitude_m``: ISA pressure for the altitude, and the given air
    temperature (°C, e.g. the site's annual mean) or else the ISA temperature 15 °C − 6.5 K/km.
    Humidity is ignored (IEC 61400-12-1 includes it; < 1 % in most climates)."""
    h = np.asarray(altitude_m, float)
    t_k = ISA_T0_K - ISA_LAPSE_K_M * h if temperature_c is None else np.asarray(temperature_c, float) + 273.15
    rho = isa_pressure_pa(h) * ISA_M / (ISA_R * t_k)
    return float(rho) if np.ndim(rho) == 0 else rho


@dataclass(frozen=True)
class Shear:
    """Vertical wind profile: ``law`` "log" (value = roughness length z0, m) or "power" (value =
    exponent α). ``label`` names the land-use class and source for reports."""

    law: str = "log"
    value: float = 0.1
    label: str = ""

    def factor(self, z_from, z_to):
        """Speed ratio v(z_to)/v(z_from)."""
        z_from = np.asarray(z_from, float)
        z_to = np.asarray(z_to, float)
        if self.law == "power":
            return (z_to / z_from) ** self.value
        return np.log(z_to / self.value) / np.log(z_from / self.value)


@lru_cache(maxsize=1)
def roughness_table() -> pd.DataFrame:
    """resources/wind/roughness.csv: key, name_zh, name_en, law, value, source."""
    return pd.read_csv(resources_dir() / "wind" / "roughness.csv", encoding="utf-8")


def shear_for(land_use: str | None = None, *, z0_m: float | None = None, alpha: float | None = None) -> Shear:
    """The shear of a land-use key (roughness.csv), or an explicit z0 (log law) or α (power law)."""
    if alpha is not None:
        if not 0 <= alpha < 1:
            raise InputError(f"幂律指数 α 应在 0–1 之间：{alpha}",
                             f"power-law exponent α must be in 0–1: {alpha}", code="wind.alpha")
        return Shear("power", float(alpha), f"power law α = {alpha:g} (user)")
    if z0_m is not None:
        if not 0 < z0_m < 5:
            raise InputError(f"粗糙度长度应在 0–5 m：{z0_m}", f"roughness length must be in 0–5 m: {z0_m}",
                             code="wind.z0")
        return Shear("log", float(z0_m), f"log law z0 = {z0_m:g} m (user)")
    t = roughness_table()
    key = (land_use or DEFAULT_LAND_USE).strip().lower()
    row = t[t["key"] == key]
    if row.empty:
        raise InputError(f"未知的地表类型“{land_use}”，可选：{', '.join(t['key'])}",
                         f"unknown land use '{land_use}'; choose one of: {', '.join(t['key'])}",
                         code="wind.land_use")
    r = row.iloc[0]
    sym = "z0" if r["law"] == "log" else "α"
    return Shear(str(r["law"]), float(r["value"]), f"{r['name_en']} ({sym} = {r['value']:g}; {r['source']})")


# --------------------------------------------------------------------------------------------
# Wind climates
# --------------------------------------------------------------------------------------------

def weibull_cdf(v, A, k):
    v = np.maximum(np.asarray(v, float), 0.0)
    return 1.0 - np.exp(-(v / A) ** k)


def weibull_pdf(v, A, k):
    v = np.maximum(np.asarray(v, float), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (k / A) * (v / A) ** (k - 1.0) * np.exp(-(v / A) ** k)
    return np.nan_to_num(out)


@dataclass
class WindClimate:
    """Sector-wise wind climate at ``height_m`` above ground.

    sector_freq: (S,) frequencies of the sectors (sum 1). Either ``A``/``k`` (S,) Weibull per sector,
    or ``bin_edges`` (B+1,) m/s with ``bin_prob`` (S, B) within-sector probabilities (rows sum 1;
    speeds uniform within a bin).
    """

    sector_freq: np.ndarray
    height_m: float
    A: np.ndarray | None = None
    k: np.ndarray | None = None
    bin_edges: np.ndarray | None = None
    bin_prob: np.ndarray | None = None
    first_centre_deg: float = 0.0
    source: str = ""
    problems: list[Problem] = field(default_factory=list)
    altitude_m: float | None = None
    temperature_c: float | None = None
    lonlat: tuple[float, float] | None = None

    def __post_init__(self):
        f = np.asarray(self.sector_freq, float)
        if f.ndim != 1 or len(f) == 0 or np.any(f < 0) or f.sum() <= 0:
            raise InputError("扇区频率无效", "invalid sector frequencies", code="wind.sector_freq")
        self.sector_freq = f / f.sum()
        if self.A is not None:
            self.A = np.broadcast_to(np.asarray(self.A, float), f.shape).copy()
            self.k = np.broadcast_to(np.asarray(self.k, float), f.shape).copy()
            if np.any(~(self.A > 0)) or np.any(~(self.k > 0)):
                raise InputError("Weibull A 与 k 必须为正数", "Weibull A and k must be positive",
                                 code="wind.weibull")
        elif self.bin_edges is None or self.bin_prob is None:
            raise InputError("风况需要 Weibull 参数或分箱频率", "a wind climate needs Weibull A/k or binned "
                             "frequencies", code="wind.climate")
        else:
            p = np.asarray(self.bin_prob, float)
            rows = p.sum(1, keepdims=True)
            self.bin_prob = np.where(rows > 0, p / np.where(rows > 0, rows, 1.0), 0.0)
            self.bin_edges = np.asarray(self.bin_edges, float)

    @property
    def n_sectors(self) -> int:
        return len(self.sector_freq)

    @property
    def is_weibull(self) -> bool:
        return self.A is not None

    def weibull_params(self) -> tuple[np.ndarray, np.ndarray]:
        """(A (m/s), k) per sector, each (S,); only for a Weibull climate."""
        if self.A is None or self.k is None:
            raise ValueError("not a Weibull wind climate")
        return self.A, self.k

    def binned_params(self) -> tuple[np.ndarray, np.ndarray]:
        """(bin edges (B+1,) m/s, within-sector bin probabilities (S, B)); only for a binned climate."""
        if self.bin_edges is None or self.bin_prob is None:
            raise ValueError("not a binned wind climate")
        return self.bin_edges, self.bin_prob

    @property
    def sector_width_deg(self) -> float:
        return 360.0 / self.n_sectors

    def sector_centres_deg(self) -> np.ndarray:
        return (self.first_centre_deg + np.arange(self.n_sectors) * self.sector_width_deg) % 360.0

    @classmethod
    def uniform(cls, A: float, k: float, height_m: float, n_sectors: int = 12, **kw) -> WindClimate:
        """One Weibull A/k in every direction (uniform sector frequencies)."""
        return cls(np.full(n_sectors, 1.0 / n_sectors), height_m, A=np.full(n_sectors, float(A)),
                   k=np.full(n_sectors, float(k)), **kw)

    def scaled(self, factor: float) -> WindClimate:
        """Every speed multiplied by ``factor`` (shear, speed-up); frequencies unchanged."""
        if self.is_weibull:
            A, _ = self.weibull_params()
            return replace(self, A=A * factor, problems=list(self.problems))
        edges, _ = self.binned_params()
        return replace(self, bin_edges=edges * factor, problems=list(self.problems))

    def at_height(self, height_m: float, shear: Shear) -> WindClimate:
        """The climate at ``height_m`` (speeds scaled by the shear factor; Weibull k kept)."""
        c = self.scaled(float(shear.factor(self.height_m, height_m)))
        c.height_m = float(height_m)
        return c

    def sector_cdf(self, v) -> np.ndarray:
        """(S, len(v)) within-sector CDF at speeds v."""
        v = np.atleast_1d(np.asarray(v, float))
        if self.is_weibull:
            A, k = self.weibull_params()
            return weibull_cdf(v[None, :], A[:, None], k[:, None])
        edges, prob = self.binned_params()
        cum = np.concatenate([np.zeros((self.n_sectors, 1)), np.cumsum(prob, 1)], 1)
        return np.stack([np.interp(v, edges, c, left=0.0, right=1.0) for c in cum])

    def sector_moment(self, n: int) -> np.ndarray:
        """(S,) E[v^n] per sector."""
        if self.is_weibull:
            A, k = self.weibull_params()
            return A ** n * gamma(1.0 + n / k)
        edges, prob = self.binned_params()
        lo, hi = edges[:-1], edges[1:]
        per_bin = (hi ** (n + 1) - lo ** (n + 1)) / ((n + 1) * np.maximum(hi - lo, 1e-12))
        return prob @ per_bin

    def mean_speed(self) -> float:
        return float(self.sector_freq @ self.sector_moment(1))

    def power_density_w_m2(self, rho: float = 1.225) -> float:
        return float(0.5 * rho * (self.sector_freq @ self.sector_moment(3)))

    def energy_rose(self) -> np.ndarray:
        """(S,) share of the wind energy (frequency × E[v³]) per sector."""
        e = self.sector_freq * self.sector_moment(3)
        return e / e.sum() if e.sum() > 0 else self.sector_freq

    def prevailing_direction_deg(self) -> float | None:
        """Centre of the sector with most wind energy; None when the rose is flat (no sector
        carries more than 1.2× an even share)."""
        e = self.energy_rose()
        if e.max() <= 1.2 / self.n_sectors:
            return None
        return float(self.sector_centres_deg()[int(np.argmax(e))])

    def to_dict(self) -> dict:
        d = {"height_m": self.height_m, "sectors": self.n_sectors,
             "kind": "weibull" if self.is_weibull else "binned",
             "sector_centres_deg": self.sector_centres_deg().round(1).tolist(),
             "sector_freq": self.sector_freq.round(5).tolist(), "mean_speed_ms": round(self.mean_speed(), 3),
             "prevailing_direction_deg": self.prevailing_direction_deg(), "source": self.source}
        if self.is_weibull:
            A, k = self.weibull_params()
            d["A"] = A.round(3).tolist()
            d["k"] = k.round(3).tolist()
        return d


def fit_weibull_wasp(speeds, weights=None) -> tuple[float, float]:
    """Weibull A, k with the WAsP method (Troen & Petersen 1989, European Wind Atlas §8.3): the fit
    reproduces the observed mean power density (mean v³) and the observed frequency of speeds
    above the observed mean speed. Falls back to the method of moments when that has no root."""
    v = np.asarray(speeds, float)
    w = np.ones_like(v) if weights is None else np.asarray(weights, float)
    ok = np.isfinite(v) & (w > 0)
    v, w = v[ok], w[ok]
    if w.sum() <= 0 or not np.any(v > 0):
        raise ValueError("no wind")
    w = w / w.sum()
    m1, m3 = float(w @ v), float(w @ v ** 3)
    above = float(w[v > m1].sum())

    def a_of(k):
        return (m3 / gamma(1.0 + 3.0 / k)) ** (1.0 / 3.0)

    def f(k):
        return math.exp(-((m1 / a_of(k)) ** k)) - above

    try:
        k = brentq(f, 0.5, 10.0, xtol=1e-8)
    except ValueError:
        sd = math.sqrt(max(float(w @ (v - m1) ** 2), 1e-12))
        k = min(max((sd / m1) ** -1.086, 0.5), 10.0)  # Justus et al. (1978) empirical moments
        return m1 / gamma(1.0 + 1.0 / k), k
    return a_of(k), k


def climate_from_series(speed_ms, direction_deg=None, *, height_m: float = EPW_HEIGHT_M, n_sectors: int = 12,
                        method: str = "weibull", bin_width_ms: float = 1.0, source: str = "",
                        **kw) -> WindClimate:
    """A climate from hourly speeds (m/s) and directions (deg from). Calm hours (speed 0, no
    direction) are shared among the sectors in proportion to their other hours. ``method``:
    "weibull" (per-sector WAsP fit) or "histogram" (bins of ``bin_width_ms`` centred on whole
    multiples, so 1 m/s-resolution CSWD speeds fall mid-bin)."""
    v = np.asarray(speed_ms, float)
    d = np.zeros_like(v) if direction_deg is None else np.asarray(direction_deg, float)
    ok = np.isfinite(v) & (v >= 0)
    if direction_deg is not None:
        ok &= np.isfinite(d) | (v == 0)
    v, d = v[ok], d[ok]
    if len(v) == 0 or not np.any(v > 0):
        raise InputError("风速序列为空或全为静风", "the wind series is empty or all calm",
                         code="wind.no_wind")
    width = 360.0 / n_sectors
    calm = v <= 0.0
    if direction_deg is None:
        sector = np.arange(len(v)) % n_sectors  # no directions: spread evenly
    else:
        sector = (np.floor(((d % 360.0) + width / 2.0) / width).astype(int)) % n_sectors
    counts = np.bincount(sector[~calm], minlength=n_sectors).astype(float)
    share = counts / counts.sum()
    freq = counts + calm.sum() * share
    problems: list[Problem] = []
    if method == "histogram":
        top = max(float(v.max()) + bin_width_ms, 30.0)
        edges = np.r_[0.0, np.arange(bin_width_ms / 2.0, top + bin_width_ms, bin_width_ms)]
        prob = np.zeros((n_sectors, len(edges) - 1))
        idx = np.clip(np.searchsorted(edges, v[~calm], side="right") - 1, 0, len(edges) - 2)
        np.add.at(prob, (sector[~calm], idx), 1.0)
        prob[:, 0] += calm.sum() * share
        return WindClimate(freq, height_m, bin_edges=edges, bin_prob=prob, source=source, problems=problems,
                           **kw)
    A = np.zeros(n_sectors)
    k = np.zeros(n_sectors)
    all_a, all_k = fit_weibull_wasp(v)
    for s in range(n_sectors):
        vs = v[(sector == s) & ~calm]
        n_calm = calm.sum() * share[s]
        if len(vs) < 10:
            A[s], k[s] = all_a, all_k
            continue
        sv = np.r_[vs, 0.0]
        sw = np.r_[np.ones(len(vs)), n_calm]
        A[s], k[s] = fit_weibull_wasp(sv, sw)
    return WindClimate(freq, height_m, A=A, k=k, source=source, problems=problems, **kw)


def read_epw_wind(path: str | Path, *, n_sectors: int = 12, method: str = "weibull") -> WindClimate:
    """Wind climate at 10 m from an EPW file's hourly wind speed and direction, with the station's
    altitude, position and annual mean temperature (for the air density)."""
    import pvlib

    p = Path(path)
    if not p.is_file():
        raise InputError(f"找不到天气文件：{p}", f"weather file not found: {p}", path=str(p),
                         code="weather.missing_file")
    try:
        raw = p.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        df, meta = pvlib.iotools.read_epw(io.StringIO(text))
    except Exception as exc:
        raise InputError(f"无法读取 EPW 文件：{exc}", f"cannot read the EPW file: {exc}", path=str(p),
                         code="wind.epw") from exc
    ws = df["wind_speed"].to_numpy(float).copy()
    wd = df["wind_direction"].to_numpy(float).copy()
    ws[ws >= 999] = np.nan
    wd[wd >= 999] = np.nan
    temp = df["temp_air"].to_numpy(float)
    temp = temp[temp < 99.9]
    c = climate_from_series(ws, wd, height_m=EPW_HEIGHT_M, n_sectors=n_sectors, method=method,
                            source=f"EPW {p.name} (station {meta.get('city', '')} "
                                   f"{meta.get('WMO_code', '')}, 10 m, {method})",
                            altitude_m=float(meta["altitude"]),
                            temperature_c=float(np.mean(temp)) if len(temp) else None,
                            lonlat=(float(meta["longitude"]), float(meta["latitude"])))
    calm = float(np.mean(np.nan_to_num(ws) == 0))
    if calm > 0.2:
        c.problems.append(Problem(
            "info", "wind.calms",
            f"EPW 中 {calm:.0%} 的小时为静风（CSWD 风速记录到 1 m/s）：10 m 处风况偏弱，"
            "轮毂高度风速由切变外推",
            f"{calm:.0%} of the EPW hours are calm (CSWD speeds are whole m/s): a weak 10 m record, "
            "extrapolated to hub height by shear"))
    return c


def read_tab(path: str | Path) -> WindClimate:
    """A WAsP observed wind climate (``.tab``): line 1 title; line 2 latitude, longitude, height (m);
    line 3 number of sectors, speed factor, direction offset (deg); line 4 sector frequencies (%);
    then one row per speed bin: the bin's upper speed (m/s) and the per-sector frequencies (‰)."""
    p = Path(path)
    try:
        lines = [ln for ln in p.read_text(encoding="utf-8-sig", errors="replace").splitlines() if ln.strip()]
        nums = lambda s: [float(x) for x in re.split(r"[\s,;]+", s.strip()) if x]  # noqa: E731
        lat_lon_h = nums(lines[1])
        head = nums(lines[2])
        n, factor, offset = int(head[0]), head[1] if len(head) > 1 else 1.0, head[2] if len(head) > 2 else 0.0
        freq = np.array(nums(lines[3])[:n])
        rows = np.array([nums(ln)[: n + 1] for ln in lines[4:] if len(nums(ln)) >= n + 1])
    except (OSError, ValueError, IndexError) as exc:
        raise InputError(f"无法读取 WAsP .tab 文件：{exc}", f"cannot read the WAsP .tab file: {exc}",
                         path=str(p), code="wind.tab") from exc
    if n < 1 or len(freq) != n or rows.ndim != 2 or len(rows) == 0:
        raise InputError("WAsP .tab 文件格式不符（扇区数、频率行或分箱行）",
                         "the WAsP .tab file does not match its format (sector count, frequency line or "
                         "bin rows)",
                         path=str(p), code="wind.tab")
    upper = rows[:, 0] * (factor if factor > 0 else 1.0)
    edges = np.r_[0.0, upper]
    if np.any(np.diff(edges) <= 0):
        raise InputError("WAsP .tab 文件的风速分箱不是递增的", "the .tab speed bins are not increasing",
                         path=str(p), code="wind.tab")
    height = lat_lon_h[2] if len(lat_lon_h) > 2 else 10.0
    lonlat = (lat_lon_h[1], lat_lon_h[0]) if len(lat_lon_h) >= 2 else None
    return WindClimate(freq, float(height), bin_edges=edges, bin_prob=rows[:, 1:].T, first_centre_deg=offset,
                       source=f"WAsP .tab {p.name} ({lines[0].strip()[:60]}; {height:g} m)", lonlat=lonlat)


def read_sector_table(path: str | Path, *, height_m: float) -> WindClimate:
    """A CSV/Excel sector table: direction or sector, frequency (% or fraction), Weibull A (m/s)
    and k; headers in English or Chinese (方向/扇区, 频率, A/尺度参数, k/形状参数)."""
    from gis.io.tables import read_data_table

    t, _ = read_data_table(path)
    cols = {str(c).strip().lower(): c for c in t.columns}

    def find(*names):
        for n in names:
            for key, c in cols.items():
                if key == n or key.startswith(n):
                    return c
        return None

    fc = find("frequency", "freq", "频率", "f")
    ac = find("a", "scale", "尺度")
    kc = find("k", "shape", "形状")
    dc = find("direction", "sector", "dir", "方向", "扇区")
    if fc is None or ac is None or kc is None:
        raise InputError("扇区表需要 频率、A、k 三列", "a sector table needs frequency, A and k columns",
                         path=str(path), code="wind.sector_table")
    f = pd.to_numeric(t[fc], errors="coerce").to_numpy(float)
    if np.nansum(f) > 1.5:
        f = f / 100.0
    first = 0.0
    if dc is not None:
        d = pd.to_numeric(t[dc], errors="coerce").to_numpy(float)
        if len(d) > 1 and np.all(np.isfinite(d)) and d.max() >= len(d):  # degrees, not indices
            first = float(d[0])
    return WindClimate(f, height_m, A=pd.to_numeric(t[ac], errors="coerce").to_numpy(float),
                       k=pd.to_numeric(t[kc], errors="coerce").to_numpy(float), first_centre_deg=first,
                       source=f"sector table {Path(path).name} ({height_m:g} m)")


def climate_from_weather(weather, *, n_sectors: int = 12) -> WindClimate:
    """Speeds of a :class:`gis.solar.weather_types.Weather` (10 m, no directions: uniform rose);
    constant series (the built-in climatology's annual mean) become a Rayleigh distribution."""
    ws = weather.data["wind_speed"].to_numpy(float)
    ws = ws[np.isfinite(ws)]
    temp = float(np.nanmean(weather.data["temp_air"].to_numpy(float)))
    kw = {"altitude_m": weather.altitude_m, "temperature_c": temp,
          "lonlat": (weather.longitude, weather.latitude)}
    if len(ws) and np.ptp(ws) < 1e-6:
        mean = float(ws.mean())
        return WindClimate.uniform(mean / gamma(1 + 1 / DEFAULT_K), DEFAULT_K, EPW_HEIGHT_M, n_sectors,
                                   source=f"{weather.source}: annual mean {mean:.2f} m/s at 10 m, Rayleigh "
                                          "(k = 2), uniform directions", **kw)
    c = climate_from_series(ws, None, height_m=EPW_HEIGHT_M, n_sectors=n_sectors, source=weather.source, **kw)
    return c


# --------------------------------------------------------------------------------------------
# GeoTIFF resource maps (Global Wind Atlas style)
# --------------------------------------------------------------------------------------------

@dataclass
class RasterResource:
    """A resource map held in memory: ``kind`` "mean" (mean speed, m/s) or "weibull" (A, m/s, and
    ``k`` array or constant); ``height_m`` above ground; sampled at points (nearest cell)."""

    kind: str
    values: np.ndarray
    transform: object
    crs: object
    height_m: float
    k_values: np.ndarray | None = None
    k_default: float = DEFAULT_K
    source: str = ""

    def sample(self, x, y, crs) -> tuple[np.ndarray, np.ndarray]:
        """Weibull (A, k) at points (x, y) given in ``crs``."""
        import rasterio.transform

        x = np.asarray(x, float)
        y = np.asarray(y, float)
        if crs is not None and self.crs is not None:
            tr = _transformer(str(crs), str(self.crs))
            x, y = tr.transform(x, y)
        rows, cols = rasterio.transform.rowcol(self.transform, x, y, op=math.floor)
        rows, cols = np.asarray(rows), np.asarray(cols)
        h, w = self.values.shape
        inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
        val = np.full(len(x), np.nan)
        val[inside] = self.values[rows[inside], cols[inside]]
        k = np.full(len(x), float(self.k_default))
        if self.k_values is not None:
            k = np.full(len(x), np.nan)
            k[inside] = self.k_values[rows[inside], cols[inside]]
        bad = ~np.isfinite(val) | ~(val > 0) | ~np.isfinite(k) | ~(k > 0)
        if bad.any():
            ids = np.flatnonzero(bad).tolist()
            raise InputError(f"风资源图在 {len(ids)} 台风机处没有数据（在图外或为空值）：{ids[:10]}",
                             f"the resource map has no data at {len(ids)} turbine(s) (outside or nodata): "
                             f"{ids[:10]}",
                             code="wind.raster_nodata")
        A = val if self.kind == "weibull" else val / gamma(1.0 + 1.0 / k)
        return A, k


@lru_cache(maxsize=16)
def _transformer(src: str, dst: str):
    from pyproj import Transformer

    return Transformer.from_crs(src, dst, always_xy=True)


def _read_band(path: Path):
    import rasterio

    with rasterio.open(path) as ds:
        # the masked read (its type and a 1-byte mask), the float64 copy and the filled result
        check_memory(float(ds.width) * float(ds.height) * (np.dtype(ds.dtypes[0]).itemsize + 17),
                     what_zh=f"读取 {ds.width:,} × {ds.height:,} 像元的风资源图",
                     what_en=f"Reading {ds.width:,} × {ds.height:,} pixels of the wind resource map",
                     fix_zh="请把风资源图裁剪到场址范围", fix_en="clip the resource map to the site",
                     path=str(path), code="wind.raster_too_big")
        arr = ds.read(1, masked=True).astype(float).filled(np.nan)
        return arr, ds.transform, ds.crs


def read_resource_raster(path: str | Path, *, height_m: float | None = None, kind: str | None = None,
                         k_path: str | Path | None = None, k_default: float = DEFAULT_K) -> RasterResource:
    """A Global Wind Atlas-style GeoTIFF: mean wind speed, or Weibull A (``kind="weibull"``, guessed
    from "weibull-a"/"_A" in the name) with a k raster (``k_path``, else a sibling file named with
    "-k" for "-A", else ``k_default``). Height from ``height_m`` or the name ("…_100m.tif")."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"找不到风资源图：{p}", f"resource map not found: {p}", path=str(p),
                         code="wind.raster_missing")
    stem = p.stem.lower()
    if height_m is None:
        m = re.search(r"(\d+(?:\.\d+)?)\s*m(?![a-z])", stem)
        if not m:
            raise InputError("无法从文件名得知风资源图的高度，请用 --resource-height 指定",
                             "cannot tell the resource map's height from its name: give --resource-height",
                             path=str(p), code="wind.raster_height")
        height_m = float(m.group(1))
    if kind is None:
        kind = "weibull" if re.search(r"weibull[-_]?a|(^|[-_])a[-_]", stem) else "mean"
    try:
        arr, transform, crs = _read_band(p)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"无法读取风资源图：{exc}", f"cannot read the resource map: {exc}", path=str(p),
                         code="wind.raster") from exc
    k_arr = None
    if kind == "weibull":
        if k_path is None:
            for cand in (re.sub(r"weibull-a", "Weibull-k", p.name, flags=re.I),
                         re.sub(r"weibull_a", "weibull_k", p.name, flags=re.I)):
                if cand != p.name and (p.parent / cand).is_file():
                    k_path = p.parent / cand
                    break
        if k_path is not None:
            k_arr, k_tr, _ = _read_band(Path(k_path))
            if k_arr.shape != arr.shape or tuple(k_tr) != tuple(transform):
                raise InputError("k 图与 A 图的网格不一致", "the k map's grid differs from the A map's",
                                 path=str(k_path), code="wind.raster_k")
    src = f"resource map {p.name} ({'Weibull A' if kind == 'weibull' else 'mean speed'}, {height_m:g} m)"
    return RasterResource(kind, arr, transform, crs, float(height_m), k_arr, k_default, src)


# --------------------------------------------------------------------------------------------
# The resource a farm run uses
# --------------------------------------------------------------------------------------------

@dataclass
class TurbineWind:
    """The wind at each turbine's hub height: (T, S) sector frequencies and either Weibull A/k
    (T, S) or binned distributions (edges (T, B+1), probabilities (T, S, B))."""

    sector_freq: np.ndarray
    first_centre_deg: float
    A: np.ndarray | None = None
    k: np.ndarray | None = None
    bin_edges: np.ndarray | None = None
    bin_prob: np.ndarray | None = None

    @property
    def n_turbines(self) -> int:
        return self.sector_freq.shape[0]

    @property
    def n_sectors(self) -> int:
        return self.sector_freq.shape[1]

    def weibull_params(self) -> tuple[np.ndarray, np.ndarray]:
        """(A (m/s), k), each (T, S); only when the wind is Weibull (``A`` given)."""
        if self.A is None or self.k is None:
            raise ValueError("the turbines' wind is not Weibull")
        return self.A, self.k

    def binned_params(self) -> tuple[np.ndarray, np.ndarray]:
        """(bin edges (T, B+1) m/s, bin probabilities (T, S, B)); only when the wind is binned."""
        if self.bin_edges is None or self.bin_prob is None:
            raise ValueError("the turbines' wind is not binned")
        return self.bin_edges, self.bin_prob

    def mean_speed(self) -> np.ndarray:
        """(T,) mean hub-height wind speed (m/s) per turbine."""
        if self.A is not None:
            A, k = self.weibull_params()
            return (self.sector_freq * A * gamma(1 + 1 / k)).sum(1)
        edges, prob = self.binned_params()
        mids = 0.5 * (edges[:, 1:] + edges[:, :-1])
        return np.einsum("ts,tsb,tb->t", self.sector_freq, prob, mids)


@dataclass
class WindResource:
    """Wind climate (directions, and speeds unless a map gives them) + shear + optional map.

    ``raster``: per-turbine Weibull A/k from a GeoTIFF at ``raster.height_m``; the sector
    frequencies then come from ``climate`` (uniform if it is None) and every sector gets the map's
    A/k (GWA maps carry no direction). ``altitude_m``/``temperature_c`` set the air density.
    """

    climate: WindClimate | None
    shear: Shear = field(default_factory=lambda: shear_for(DEFAULT_LAND_USE))
    raster: RasterResource | None = None
    altitude_m: float | None = None
    temperature_c: float | None = None

    def __post_init__(self):
        if self.climate is None and self.raster is None:
            raise InputError("没有风资源", "no wind resource given", code="wind.no_resource")

    @property
    def site_altitude_m(self) -> float:
        if self.altitude_m is not None:
            return float(self.altitude_m)
        if self.climate is not None and self.climate.altitude_m is not None:
            return float(self.climate.altitude_m)
        return 0.0

    @property
    def site_temperature_c(self) -> float | None:
        if self.temperature_c is not None:
            return float(self.temperature_c)
        return self.climate.temperature_c if self.climate is not None else None

    def density(self, hub_height_m: float) -> float:
        """Air density (kg/m³) at the mean hub height above the site altitude."""
        t = self.site_temperature_c
        t_hub = None if t is None else t - ISA_LAPSE_K_M * hub_height_m
        return air_density(self.site_altitude_m + hub_height_m, t_hub)

    def prevailing_direction_deg(self) -> float | None:
        return None if self.climate is None else self.climate.prevailing_direction_deg()

    @property
    def is_spatial(self) -> bool:
        return self.raster is not None

    def at_turbines(self, x, y, crs, hub_heights_m) -> TurbineWind:
        """The distribution at each turbine's hub (sampling the map when there is one)."""
        h = np.asarray(hub_heights_m, float)
        n = len(h)
        if self.raster is None:
            c = self.climate
            if c is None:  # __post_init__ rejects a resource with neither
                raise ValueError("a wind resource needs a climate or a map")
            fac = self.shear.factor(c.height_m, h)
            freq = np.repeat(c.sector_freq[None, :], n, 0)
            if c.is_weibull:
                A, k = c.weibull_params()
                return TurbineWind(freq, c.first_centre_deg, A=A[None, :] * fac[:, None],
                                   k=np.repeat(k[None, :], n, 0))
            edges, prob = c.binned_params()
            return TurbineWind(freq, c.first_centre_deg, bin_edges=edges[None, :] * fac[:, None],
                               bin_prob=np.repeat(prob[None], n, 0))
        A, k = self.raster.sample(x, y, crs)
        fac = self.shear.factor(self.raster.height_m, h)
        s = 12 if self.climate is None else self.climate.n_sectors
        f = np.full(s, 1.0 / s) if self.climate is None else self.climate.sector_freq
        first = 0.0 if self.climate is None else self.climate.first_centre_deg
        return TurbineWind(np.repeat(f[None, :], n, 0), first, A=np.repeat((A * fac)[:, None], s, 1),
                           k=np.repeat(k[:, None], s, 1))

    def describe(self) -> dict:
        d = {"shear": self.shear.label, "altitude_m": self.site_altitude_m,
             "temperature_c": self.site_temperature_c}
        if self.climate is not None:
            d["climate"] = self.climate.to_dict()
        if self.raster is not None:
            d["map"] = self.raster.source
        return d


def read_resource(path: str | Path, *, height_m: float | None = None, n_sectors: int = 12,
                  epw_method: str = "weibull") -> WindClimate | RasterResource:
    """Dispatch on the file: .epw, .tab, .tif/.tiff (map), .csv/.xlsx (sector table, needs
    ``height_m``)."""
    p = Path(path)
    suf = p.suffix.lower()
    if not p.is_file():
        raise InputError(f"找不到风资源文件：{p}", f"wind resource file not found: {p}", path=str(p),
                         code="wind.resource_missing")
    if suf == ".epw":
        return read_epw_wind(p, n_sectors=n_sectors, method=epw_method)
    if suf == ".tab":
        return read_tab(p)
    if suf in (".tif", ".tiff"):
        return read_resource_raster(p, height_m=height_m)
    if suf in (".csv", ".xlsx", ".xls", ".txt"):
        if height_m is None:
            raise InputError("扇区表需要用 --resource-height 指定高度（m）",
                             "a sector table needs its height: give --resource-height", path=str(p),
                             code="wind.table_height")
        return read_sector_table(p, height_m=height_m)
    raise InputError(f"不认识的风资源文件类型：{suf}（可用 .epw、.tab、.tif、.csv）",
                     f"unknown wind resource type '{suf}' (use .epw, .tab, .tif or .csv)", path=str(p),
                     code="wind.resource_type")
