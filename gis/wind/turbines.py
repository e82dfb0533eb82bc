"""Wind turbines: power curves (extended to cut-out correctly), thrust curves, the turbine library.

Sources of turbines (``load_turbine``):

* windpowerlib's offline turbine library (oedb ``turbine_data.csv`` / ``power_curves.csv`` shipped
  inside the windpowerlib package, read with ``importlib.resources``; no network, windpowerlib is
  not even imported);
* curves bundled in ``resources/wind/turbines/*.csv`` (the DOMAIN.md §6 reference Vestas V52 and
  small turbines, with their sources);
* a user CSV (speed m/s, power kW, optional thrust coefficient; English or Chinese headers;
  ``# key: value`` lines for name, rotor diameter, hub height, cut-out …);
* a generic turbine from rated power, rotor diameter and hub height (:func:`generic_turbine`).

Curve extension (the DOMAIN.md §7/§6 trap: windpowerlib sets power to zero above a curve's last
point). :func:`extend_curve`:

* below the cut-in: 0. The cut-in is the last zero point before the first positive one (power
  ramps linearly from it) or, when the curve starts with a positive value, that first speed
  (a step);
* between points: linear interpolation;
* a curve that stops with power > 0 (e.g. at 20 m/s for a turbine cutting out at 25) holds its
  last value up to the cut-out (given, else :data:`DEFAULT_CUT_OUT_MS`) — it is never ramped or
  extrapolated to zero past the last point;
* a curve that drops from power to 0 after its last positive point (e.g. 5,000 kW at 25.0 m/s,
  0 at 25.5) cuts out *at* that last positive speed: full power up to it, 0 above (no ramp
  between 25.0 and 25.5);
* above the cut-out: 0.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.paths import resources_dir

REFERENCE_DENSITY = 1.225
"""kg/m³: the standard air density power curves are given at (IEC 61400-12-1; ISA sea level 15 °C)."""

DEFAULT_CUT_OUT_MS = 25.0
"""m/s: cut-out used when a curve stops with power > 0 and no cut-out is given. 25 m/s is the
cut-out of most pitch-regulated turbines (e.g. windpowerlib/oedb curves that include their
cut-out: AD116, E-101/3050, E-126/7580, GE100 all cut out at 25 m/s; V52, NPS 100C, Ghrepower
FD21-50 brochures: 25 m/s)."""

CT_REGION2 = 0.8
"""Thrust coefficient in the constant-Ct region below rated when a curve has no Ct: PyWake's
GenericWindTurbine default ``constant_ct=0.8`` (DTU Wind Energy), typical of modern rotors."""

# Generic power curve (after the DTU WETB standard curve used by PyWake's GenericWindTurbine):
GENERIC_MAX_CP = 0.49          # aerodynamic power coefficient in region 2 (PyWake default max_cp)
GENERIC_GEAR_LOSS_CONST = 0.01  # share of rated power (PyWake default gear_loss_const)
GENERIC_GEAR_LOSS_VAR = 0.014   # share of aerodynamic power (PyWake default gear_loss_var)
GENERIC_GENERATOR_LOSS = 0.03   # (PyWake default generator_loss)
GENERIC_CONVERTER_LOSS = 0.03   # (PyWake default converter_loss)
GENERIC_TI = 0.10               # turbulence intensity smoothing the knee (PyWake default 10 %)
GENERIC_CUT_IN_MS = 3.0         # typical multi-MW and small pitch turbines (IEC 61400-1 practice)

TURBINE_DIR = "wind/turbines"
"""Bundled curves under ``resources/``."""


def _wpl_csv(name: str):
    """A CSV shipped inside the installed windpowerlib package (oedb snapshot), or None."""
    import importlib.resources as ir

    from gis.paths import frozen_bundle

    roots = []
    try:
        roots.append(ir.files("windpowerlib"))
    except ModuleNotFoundError:
        pass
    frozen = frozen_bundle()  # PyInstaller: collect_data_files("windpowerlib")
    if frozen:
        roots.append(frozen / "windpowerlib")
    for root in roots:
        for sub in (("oedb",), ("data", "default_turbine_data")):
            p = root
            for part in (*sub, name):  # one part per call: a frozen app's MultiplexedPath takes one
                p = p.joinpath(part)
            if p.is_file():
                return p
    return None


def windpowerlib_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("windpowerlib")
    except PackageNotFoundError:
        return None


@dataclass(frozen=True, eq=False)
class PowerCurve:
    """A power curve extended to cut-out, with an optional thrust-coefficient curve.

    speed_ms/power_kw: breakpoints from the cut-in to the cut-out (linear in between);
    power(v) is 0 below ``cut_in_ms`` and above ``cut_out_ms``.
    ct_speed_ms/ct: thrust coefficient table (np.interp, 0 outside [cut-in, cut-out]).
    density_kg_m3: air density the curve is for. control: "pitch" or "stall" (density method).
    """

    speed_ms: np.ndarray
    power_kw: np.ndarray
    cut_in_ms: float
    cut_out_ms: float
    ct_speed_ms: np.ndarray
    ct: np.ndarray
    density_kg_m3: float = REFERENCE_DENSITY
    control: str = "pitch"
    ct_source: str = "given"

    @property
    def rated_kw(self) -> float:
        return float(self.power_kw.max())

    def power(self, v) -> np.ndarray:
        """Electrical power, kW, at hub-height wind speeds ``v`` (m/s), any shape."""
        v = np.asarray(v, float)
        p = np.interp(v, self.speed_ms, self.power_kw)
        return np.where((v >= self.cut_in_ms) & (v <= self.cut_out_ms), p, 0.0)

    def thrust(self, v) -> np.ndarray:
        """Thrust coefficient Ct at ``v`` (m/s); 0 outside operation (rotor parked/idling)."""
        v = np.asarray(v, float)
        c = np.interp(v, self.ct_speed_ms, self.ct)
        return np.where((v >= self.cut_in_ms) & (v <= self.cut_out_ms), c, 0.0)

    def breakpoints(self) -> np.ndarray:
        """Speeds where the curve has a kink or step (for exact piecewise integration)."""
        return np.unique(np.r_[self.cut_in_ms, self.speed_ms, self.cut_out_ms])

    def at_density(self, rho: float) -> PowerCurve:
        """The curve at air density ``rho`` (kg/m³) per IEC 61400-12-1.

        Pitch-regulated (default): the standard normalises measured speeds with
        V_n = V (ρ/ρ0)^(1/3), so the site curve is P_site(v) = P_ref(v (ρ/ρ0)^(1/3)) — the speed
        axis stretches, rated power is unchanged; Ct follows the same operating point. Stall-
        regulated: P_site = P_ref ρ/ρ0 (the standard's power normalisation). The cut-out stays
        at the same (actual) wind speed.
        """
        if rho <= 0 or not np.isfinite(rho):
            raise InputError(f"空气密度无效：{rho}", f"invalid air density: {rho}", code="wind.density")
        ratio = rho / self.density_kg_m3
        if abs(ratio - 1.0) < 1e-12:
            return self
        if self.control == "stall":
            return replace(self, power_kw=self.power_kw * ratio, density_kg_m3=rho)
        c = ratio ** (1.0 / 3.0)
        speeds = self.speed_ms / c
        cut_in = self.cut_in_ms / c
        power = self.power_kw
        cut_out = self.cut_out_ms
        if speeds[-1] > cut_out:  # thinner air: the curve's end moves past the fixed cut-out
            keep = speeds < cut_out
            p_end = float(np.interp(cut_out, speeds, power))
            speeds, power = np.r_[speeds[keep], cut_out], np.r_[power[keep], p_end]
        elif speeds[-1] < cut_out:  # denser air: hold the last value to the cut-out
            speeds, power = np.r_[speeds, cut_out], np.r_[power, power[-1]]
        return replace(self, speed_ms=speeds, power_kw=power, cut_in_ms=min(cut_in, cut_out),
                       ct_speed_ms=self.ct_speed_ms / c, density_kg_m3=rho)


def extend_curve(speed_ms, power_kw, *, cut_out_ms: float | None = None
                 ) -> tuple[np.ndarray, np.ndarray, float, float, list[Problem]]:
    """Breakpoints (speeds, powers) from the cut-in to the cut-out, cut-in, cut-out and notes.

    See the module docstring for the rules. Negative powers (self-consumption in measured small-
    turbine curves) become 0.
    """
    v = np.asarray(speed_ms, float)
    p = np.asarray(power_kw, float)
    ok = np.isfinite(v) & np.isfinite(p)
    v, p = v[ok], p[ok]
    order = np.argsort(v, kind="stable")
    v, p = v[order], p[order]
    if len(v) and np.any(np.diff(v) == 0):
        keep = np.r_[np.diff(v) != 0, True]  # duplicate speeds: keep the last value
        v, p = v[keep], p[keep]
    if len(v) < 2 or np.any(v < 0):
        raise InputError("功率曲线至少需要两个非负风速点", "A power curve needs at least two points with "
                         "non-negative wind speeds", code="wind.curve_points")
    notes: list[Problem] = []
    if np.any(p < 0):
        notes.append(Problem("info", "wind.curve_negative",
                             "功率曲线中的负功率（自耗电）按 0 计", "negative powers (self-consumption) "
                             "in the curve are taken as 0"))
        p = np.maximum(p, 0.0)
    pos = np.flatnonzero(p > 0)
    if len(pos) == 0:
        raise InputError("功率曲线没有正功率", "The power curve has no positive power",
                         code="wind.curve_zero")
    first, last = pos[0], pos[-1]
    start = first - 1 if first > 0 else first
    cut_in = float(v[start])
    xs, ps = v[start:last + 1].copy(), p[start:last + 1].copy()
    curve_has_cut_out = last < len(v) - 1
    if cut_out_ms is not None:
        cut_out = float(cut_out_ms)
    elif curve_has_cut_out:
        cut_out = float(v[last])
    else:
        cut_out = max(DEFAULT_CUT_OUT_MS, float(v[last]))
        if cut_out > v[last]:
            notes.append(Problem(
                "info", "wind.curve_extended",
                f"功率曲线止于 {v[last]:g} m/s（{p[last]:g} kW），按该功率延长至切出风速 {cut_out:g} m/s",
                f"the curve stops at {v[last]:g} m/s ({p[last]:g} kW); held at that power up to the "
                f"cut-out {cut_out:g} m/s"))
    if cut_out <= cut_in:
        raise InputError(f"切出风速 {cut_out:g} m/s 不大于切入风速 {cut_in:g} m/s",
                         f"cut-out {cut_out:g} m/s is not above the cut-in {cut_in:g} m/s",
                         code="wind.cut_out")
    if cut_out < xs[-1]:
        p_end = float(np.interp(cut_out, xs, ps))
        keep = xs < cut_out
        xs, ps = np.r_[xs[keep], cut_out], np.r_[ps[keep], p_end]
    elif cut_out > xs[-1]:
        xs, ps = np.r_[xs, cut_out], np.r_[ps, ps[-1]]
    return xs, ps, cut_in, cut_out, notes


def _cp2ct(cp: np.ndarray) -> np.ndarray:
    """1D momentum theory: solve Cp = 4a(1−a)² for a ≤ 1/3, return Ct = 4a(1−a)."""
    y = np.clip(27.0 / 16.0 * cp, 0.0, 1.0)
    a = 2.0 / 3.0 * (1.0 - np.cos(np.arctan2(2.0 * np.sqrt(y * (1.0 - y)), 1.0 - 2.0 * y) / 3.0))
    return 4.0 * a * (1.0 - a)


def estimate_ct(speed_ms: np.ndarray, power_kw: np.ndarray, rotor_diameter_m: float, rated_kw: float,
                rho: float = REFERENCE_DENSITY) -> np.ndarray:
    """Thrust coefficient estimated from a power curve (when the maker gives none).

    Aerodynamic power from the electrical power with the generic drive-train losses (gear 1 % of
    rated + 1.4 %, generator 3 %, converter 3 %), Cp (capped at the Betz limit 16/27), Ct from 1D
    momentum theory, scaled so that Ct = :data:`CT_REGION2` (0.8) at the speed of maximum Cp
    (region 2) and capped at 8/9 — the method of PyWake's generic turbine curves, applied to a
    given power curve. Documented in docs/wind.md.
    """
    v = np.asarray(speed_ms, float)
    pe = np.asarray(power_kw, float)
    area = np.pi * rotor_diameter_m ** 2 / 4.0
    p_aero = (pe / (1 - GENERIC_CONVERTER_LOSS) / (1 - GENERIC_GENERATOR_LOSS)
              + GENERIC_GEAR_LOSS_CONST * rated_kw) / (1 - GENERIC_GEAR_LOSS_VAR)
    p_aero = np.where(pe > 0, p_aero, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cp = np.where(v > 0, p_aero * 1000.0 / (0.5 * rho * area * v ** 3), 0.0)
    cp = np.minimum(np.nan_to_num(cp), 16.0 / 27.0)
    ct_mom = _cp2ct(cp)
    running = (pe > 0) & (pe < 0.95 * rated_kw) & (cp < 16.0 / 27.0 - 1e-9)
    if running.any():
        ref = ct_mom[running][np.argmax(cp[running])]
    else:
        ref = ct_mom.max() if ct_mom.max() > 0 else 1.0
    ct = np.minimum(8.0 / 9.0, ct_mom * (CT_REGION2 / ref if ref > 0 else 1.0))
    return np.where(pe > 0, ct, 0.0)


def make_curve(speed_ms, power_kw, *, rotor_diameter_m: float, cut_out_ms: float | None = None,
               rated_kw: float | None = None, ct=None, density_kg_m3: float = REFERENCE_DENSITY,
               control: str = "pitch") -> tuple[PowerCurve, list[Problem]]:
    """A :class:`PowerCurve` from raw points (extended per :func:`extend_curve`); Ct from the
    given ``ct`` values (same speeds) or estimated with :func:`estimate_ct`."""
    xs, ps, cut_in, cut_out, notes = extend_curve(speed_ms, power_kw, cut_out_ms=cut_out_ms)
    rated = float(ps.max()) if rated_kw is None else float(rated_kw)
    grid = np.unique(np.r_[np.arange(0.0, cut_out + 1e-9, 0.1), xs])
    grid = grid[(grid >= cut_in) & (grid <= cut_out)]
    if ct is not None:
        cv = np.asarray(speed_ms, float)
        cc = np.asarray(ct, float)
        ok = np.isfinite(cv) & np.isfinite(cc)
        order = np.argsort(cv[ok])
        ct_grid = np.interp(grid, cv[ok][order], np.clip(cc[ok][order], 0.0, 1.2))
        ct_source = "given"
    else:
        p_grid = np.interp(grid, xs, ps)
        ct_grid = estimate_ct(grid, p_grid, rotor_diameter_m, rated, density_kg_m3)
        ct_source = "estimated"
    curve = PowerCurve(xs, ps, cut_in, cut_out, grid, ct_grid, density_kg_m3, control, ct_source)
    return curve, notes


@dataclass(frozen=True, eq=False)
class Turbine:
    """A turbine type: name, rated power (kW), rotor diameter and hub height (m), curve.

    sound_power_dba: declared A-weighted sound power level L_WA (IEC 61400-11), None if unknown.
    hub_heights_m: the hub heights the maker offers (for choosers).
    """

    name: str
    rated_kw: float
    rotor_diameter_m: float
    hub_height_m: float
    curve: PowerCurve
    source: str = ""
    sound_power_dba: float | None = None
    hub_heights_m: tuple[float, ...] = ()
    problems: list[Problem] = field(default_factory=list)

    @property
    def tip_height_m(self) -> float:
        return self.hub_height_m + self.rotor_diameter_m / 2.0

    @property
    def rotor_area_m2(self) -> float:
        return np.pi * self.rotor_diameter_m ** 2 / 4.0

    def with_hub_height(self, hub_height_m: float | None) -> Turbine:
        if hub_height_m is None:
            return self
        if not (hub_height_m > self.rotor_diameter_m / 2.0):
            raise InputError(f"轮毂高度 {hub_height_m:g} m 小于叶轮半径", f"hub height {hub_height_m:g} m is "
                             "below the rotor radius", code="wind.hub_height")
        return replace(self, hub_height_m=float(hub_height_m))

    def to_dict(self) -> dict:
        return {"name": self.name, "rated_kw": self.rated_kw, "rotor_diameter_m": self.rotor_diameter_m,
                "hub_height_m": self.hub_height_m, "cut_in_ms": self.curve.cut_in_ms,
                "cut_out_ms": self.curve.cut_out_ms, "control": self.curve.control,
                "ct": self.curve.ct_source, "sound_power_dba": self.sound_power_dba, "source": self.source}


# --------------------------------------------------------------------------------------------
# Generic turbine
# --------------------------------------------------------------------------------------------

def generic_turbine(rated_kw: float, rotor_diameter_m: float, hub_height_m: float, *,
                    cut_in_ms: float = GENERIC_CUT_IN_MS, cut_out_ms: float = DEFAULT_CUT_OUT_MS,
                    name: str | None = None, sound_power_dba: float | None = None) -> Turbine:
    """A turbine with the generic standard power curve for its rated power and rotor.

    P_aero = ½ ρ A v³ · 0.49; minus gear losses (1 % of rated + 1.4 %), generator (3 %) and
    converter (3 %) losses; capped at the rated power; smoothed with a normal distribution of
    speeds σ = 10 % · v (turbulence, rounds the knee at rated); 0 below 3 m/s and above 25 m/s.
    Shape and parameters: the DTU WETB standard curve (K. Thomsen) used by PyWake's
    GenericWindTurbine. Ct: :func:`estimate_ct`.
    """
    if not (rated_kw > 0 and rotor_diameter_m > 0 and hub_height_m > rotor_diameter_m / 2):
        raise InputError(
            f"通用风机参数无效：额定 {rated_kw} kW，叶轮直径 {rotor_diameter_m} m，轮毂高度 {hub_height_m} m",
            f"invalid generic turbine: rated {rated_kw} kW, rotor {rotor_diameter_m} m, hub {hub_height_m} m",
            code="wind.generic")
    v = np.arange(0.1, cut_out_ms + 5.0, 0.1)
    area = np.pi * rotor_diameter_m ** 2 / 4.0
    p_aero = 0.5 * REFERENCE_DENSITY * area * v ** 3 * GENERIC_MAX_CP / 1000.0
    p = np.maximum(p_aero - GENERIC_GEAR_LOSS_CONST * rated_kw - GENERIC_GEAR_LOSS_VAR * p_aero, 0.0)
    p = np.minimum(p * (1 - GENERIC_GENERATOR_LOSS) * (1 - GENERIC_CONVERTER_LOSS), rated_kw)
    sigma = GENERIC_TI * v[:, None]
    w = np.exp(-((v[None, :] - v[:, None]) ** 2) / (2 * sigma ** 2))
    p = (w * p[None, :]).sum(1) / w.sum(1)
    keep = (v >= cut_in_ms - 1e-9) & (v <= cut_out_ms + 1e-9)
    vs, ps = v[keep], p[keep]
    curve, _ = make_curve(vs, ps, rotor_diameter_m=rotor_diameter_m, cut_out_ms=cut_out_ms,
                          rated_kw=rated_kw)
    label = name or f"Generic {rated_kw:g} kW D{rotor_diameter_m:g}"
    return Turbine(label, float(rated_kw), float(rotor_diameter_m), float(hub_height_m), curve,
                   source="generic standard curve (DTU WETB / PyWake GenericWindTurbine parameters)",
                   sound_power_dba=sound_power_dba)


# --------------------------------------------------------------------------------------------
# windpowerlib library
# --------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def library_table() -> pd.DataFrame:
    """windpowerlib's offline turbine table (types with a power curve), columns: turbine_type,
    manufacturer, name, rated_kw, rotor_diameter_m, hub_heights_m (text), source. Empty when
    windpowerlib is not installed."""
    data, curves = _wpl_csv("turbine_data.csv"), _wpl_csv("power_curves.csv")
    if data is None or curves is None:
        return pd.DataFrame(columns=["turbine_type", "manufacturer", "name", "rated_kw",
                                     "rotor_diameter_m", "hub_heights_m", "source"])
    t = pd.read_csv(io.StringIO(data.read_text(encoding="utf-8")))
    pc = pd.read_csv(io.StringIO(curves.read_text(encoding="utf-8")))
    t = t[t["turbine_type"].isin(pc["turbine_type"])]
    out = pd.DataFrame({
        "turbine_type": t["turbine_type"].astype(str), "manufacturer": t["manufacturer"].astype(str),
        "name": t["name"].fillna("").astype(str), "rated_kw": t["nominal_power"].astype(float) / 1000.0,
        "rotor_diameter_m": pd.to_numeric(t["rotor_diameter"], errors="coerce"),
        "hub_heights_m": t["hub_height"].fillna("").astype(str),
        "source": t["source"].fillna("").astype(str)})
    return out.sort_values("turbine_type").reset_index(drop=True)


def _parse_heights(text: str) -> tuple[float, ...]:
    vals = []
    for part in re.split(r"[;/]", str(text)):
        part = part.strip().replace(",", ".")
        try:
            vals.append(float(part))
        except ValueError:
            continue
    return tuple(sorted(set(vals)))


def _norm_name(name: str) -> str:
    return re.sub(r"[\s_\-./]", "", str(name)).lower()


@lru_cache(maxsize=64)
def _library_curve(turbine_type: str) -> tuple[np.ndarray, np.ndarray]:
    pc = pd.read_csv(io.StringIO(_wpl_csv("power_curves.csv").read_text(encoding="utf-8")))
    row = pc[pc["turbine_type"] == turbine_type].iloc[0]
    speeds = np.array([float(c) for c in pc.columns[1:]])
    watts = pd.to_numeric(row.iloc[1:], errors="coerce").to_numpy(float)
    ok = np.isfinite(watts)
    return speeds[ok], watts[ok] / 1000.0


def library_turbine(name: str, *, hub_height_m: float | None = None, cut_out_ms: float | None = None,
                    sound_power_dba: float | None = None) -> Turbine:
    """A windpowerlib library turbine by type (e.g. "E-53/800", "V90/2000"; case, spaces and
    hyphens ignored). Hub height: ``hub_height_m`` or the lowest height the maker offers."""
    table = library_table()
    if table.empty:
        raise InputError("未安装 windpowerlib，无法使用风机库（pip install windpowerlib）",
                         "windpowerlib is not installed: the turbine library is unavailable "
                         "(pip install windpowerlib)", code="wind.no_library")
    key = _norm_name(name)
    hit = table[table["turbine_type"].map(_norm_name) == key]
    if hit.empty:
        raise KeyError(name)
    row = hit.iloc[0]
    speeds, kw = _library_curve(row["turbine_type"])
    d = float(row["rotor_diameter_m"])
    curve, notes = make_curve(speeds, kw, rotor_diameter_m=d, cut_out_ms=cut_out_ms,
                              rated_kw=float(row["rated_kw"]))
    heights = _parse_heights(row["hub_heights_m"])
    hub = hub_height_m if hub_height_m is not None else (heights[0] if heights else max(d, 1.0) * 1.0)
    label = f"{row['turbine_type']} ({row['manufacturer']})"
    t = Turbine(label, float(row["rated_kw"]), d, float(hub), curve,
                source=f"windpowerlib {windpowerlib_version()} oedb turbine library; {row['source']}".strip(),
                sound_power_dba=sound_power_dba, hub_heights_m=heights, problems=notes)
    return t.with_hub_height(hub)


# --------------------------------------------------------------------------------------------
# User and bundled curve files
# --------------------------------------------------------------------------------------------

_META_KEYS = {
    "name": ("name", "名称", "型号", "model", "turbine"),
    "rated_kw": ("rated_kw", "rated power", "ratedpower", "额定功率", "rated"),
    "rotor_diameter_m": ("rotor_diameter_m", "rotor diameter", "diameter", "rotordiameter", "叶轮直径",
                         "风轮直径", "d"),
    "hub_height_m": ("hub_height_m", "hub height", "hubheight", "hubheights", "轮毂高度"),
    "cut_in_ms": ("cut_in_ms", "cut-in", "cutin", "切入风速"),
    "cut_out_ms": ("cut_out_ms", "cut-out", "cutout", "切出风速"),
    "sound_power_dba": ("sound_power_dba", "sound power", "lwa", "声功率级", "声功率"),
    "density_kg_m3": ("density_kg_m3", "density", "air density", "空气密度"),
    "control": ("control", "调节方式", "regulation"),
    "source": ("source", "来源", "数据来源"),
}


def _meta_key(text: str) -> str | None:
    k = _norm_name(re.sub(r"[\[\(（].*?[\]\)）]", "", text))
    for key, names in _META_KEYS.items():
        if k in {_norm_name(n) for n in names}:
            return key
    return None


def _first_number(text: str) -> float | None:
    m = re.search(r"[-+]?\d+(?:\.\d+)?", str(text).replace(",", "."))
    return float(m.group()) if m else None


def _column_roles(columns) -> dict[str, str]:
    roles: dict[str, str] = {}
    for c in columns:
        s = str(c).strip().lower()
        bare = re.sub(r"[\[\(（].*?[\]\)）]", "", s).strip()
        if "speed" not in roles and ("speed" in s or "风速" in s or bare in ("v", "ws", "u", "wind")):
            roles["speed"] = c
        elif "ct" not in roles and (bare in ("ct", "c_t", "cthrust") or "thrust" in s or "推力" in s):
            roles["ct"] = c
        elif "power" not in roles and ("power" in s or "功率" in s or bare in ("p", "kw", "w", "mw")):
            if "cp" == bare or "coefficient" in s or "系数" in s:
                continue
            roles["power"] = c
    return roles


def _power_unit(header: str) -> float | None:
    s = str(header).lower()
    for token, factor in (("mw", 1000.0), ("kw", 1.0), ("千瓦", 1.0), ("兆瓦", 1000.0)):
        if token in s:
            return factor
    if re.search(r"[\[\(（]\s*w\s*[\]\)）]", s) or s.strip() in ("w", "瓦"):
        return 0.001
    return None


BETZ_CP = 16.0 / 27.0
"""The Betz limit: no rotor takes more than 16/27 of the wind's power through its disc (Betz 1920)."""
MIN_SPECIFIC_POWER_W_M2 = 20.0
"""Rated power per m² of rotor below this is no real turbine (small turbines rate 150–500 W/m²,
utility ones 200–450; IEC 61400-2 and makers' data sheets): the power unit was misread."""


def betz_power_kw(speed_ms: np.ndarray, rotor_diameter_m: float, density_kg_m3: float) -> np.ndarray:
    """The most a rotor can take from the wind at each speed: 16/27 · ½ρAv³ (kW)."""
    area = np.pi * rotor_diameter_m ** 2 / 4.0
    return BETZ_CP * 0.5 * density_kg_m3 * area * np.asarray(speed_ms, float) ** 3 / 1000.0


def _curve_violations(v: np.ndarray, p_kw: np.ndarray, rotor_diameter_m: float, rho: float) -> str | None:
    """Why points ``(v, p_kw)`` cannot be this rotor's power curve, or None."""
    limit = 1.15 * betz_power_kw(v, rotor_diameter_m, max(rho, REFERENCE_DENSITY))
    above = (v >= 2.0) & (p_kw > limit)
    if above.any():
        k = int(np.argmax(above))
        return f"{p_kw[k]:,.1f} kW at {v[k]:g} m/s exceeds the Betz limit {limit[k]:,.1f} kW"
    rated = float(np.nanmax(p_kw))
    if rated * 1000.0 / (np.pi * rotor_diameter_m ** 2 / 4.0) < MIN_SPECIFIC_POWER_W_M2:
        return f"rated {rated:,.3f} kW is under {MIN_SPECIFIC_POWER_W_M2:g} W per m² of rotor"
    return None


def _check_curve(v: np.ndarray, pw: np.ndarray, factor: float | None, rotor_diameter_m: float, rho: float,
                 path: Path) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Points of a read curve checked against physics, with its power in kW: every value finite,
    no isolated spike taken for the rated power, no point above the Betz limit. A column without a
    unit is kW, or W when only W makes a possible curve; a labelled unit that makes an impossible
    one is an error (a 10 kW curve in W must not become 10 MW)."""
    def bad(zh: str, en: str, code: str) -> InputError:
        return InputError(f"功率曲线不可能：{zh}", f"Impossible power curve: {en}", path=str(path), code=code)

    both_blank = np.isnan(v) & np.isnan(pw)
    v, pw = v[~both_blank], pw[~both_blank]
    if not (np.all(np.isfinite(v)) and np.all(np.isfinite(pw))):
        raise bad("风速或功率有空值、非数字或无穷大",
                  "a wind speed or power is blank, not a number or infinite",
                  "wind.curve_not_finite")
    if np.any(v < 0) or np.any(pw < -0.05 * max(float(np.max(pw)), 0.0)):
        raise bad("风速或功率为负", "a wind speed or power is negative", "wind.curve_negative")
    order = np.argsort(v, kind="stable")
    sv, sp = v[order], pw[order]
    k = int(np.argmax(sp))
    neighbours = [sp[i] for i in (k - 1, k + 1) if 0 <= i < len(sp)]
    if neighbours and sp[k] > 1.1 * max(neighbours) and sp[k] > 0:
        raise bad(f"{sv[k]:g} m/s 处的 {sp[k]:,.1f} 是孤立尖峰（前后约 {max(neighbours):,.1f}），不能当额定功"
                  f"率",
                  f"{sp[k]:,.1f} at {sv[k]:g} m/s is an isolated spike (neighbours about "
                  f"{max(neighbours):,.1f}), "
                  "not the rated power", "wind.curve_spike")
    notes: list[Problem] = []
    if factor is None:
        factor = 1.0
        if _curve_violations(sv, sp, rotor_diameter_m, rho) and not _curve_violations(sv, sp * 0.001,
                                                                                       rotor_diameter_m, rho):
            factor = 0.001
            notes.append(Problem("warning", "wind.curve_watts",
                                 "功率列未注明单位，按千瓦会超过贝兹极限，故按瓦（W）读取",
                                 "the power column has no unit and as kW it would exceed the Betz limit: "
                                 "read as W"))
    why = _curve_violations(sv, sp * factor, rotor_diameter_m, rho)
    if why is not None:
        raise bad(f"{why}（检查功率单位 W/kW/MW 与叶轮直径）", f"{why} (check the power unit W/kW/MW and "
                  "the rotor diameter)", "wind.curve_physics")
    return v, pw * factor, notes


def read_curve_file(path: str | Path, *, rotor_diameter_m: float | None = None,
                    hub_height_m: float | None = None, cut_out_ms: float | None = None,
                    rated_kw: float | None = None, sound_power_dba: float | None = None,
                    name: str | None = None) -> Turbine:
    """A turbine from a power-curve CSV: columns wind speed (m/s) and power (kW; "W"/"MW" in the
    header switch units), optionally Ct; English or Chinese headers (风速, 功率, 推力系数), or two
    bare numeric columns. Lines ``# key: value`` before the table give name, rated power, rotor
    diameter (叶轮直径), hub height (轮毂高度), cut-in/cut-out, sound power (声功率级), air density,
    control (pitch/stall) and source; keyword arguments override them. Small turbines (10–500 kW)
    come this way."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"找不到功率曲线文件：{p}", f"power-curve file not found: {p}", path=str(p),
                         code="wind.curve_missing")
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("latin-1")
    meta: dict[str, str] = {}
    body = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("#"):
            m = re.match(r"#\s*([^:：=]+)[:：=]\s*(.*)$", s)
            if m and (key := _meta_key(m.group(1))):
                meta.setdefault(key, m.group(2).strip())
            continue
        if s:
            body.append(line)
    if not body:
        raise InputError("功率曲线文件没有数据行", "the power-curve file has no data rows", path=str(p),
                         code="wind.curve_empty")
    first = re.split(r"[,;\t]", body[0])
    has_header = any(_first_number(x) is None for x in first if x.strip())
    sep = "\t" if "\t" in body[0] and "," not in body[0] else ("," if "," in body[0] else r"\s+")
    df = pd.read_csv(io.StringIO("\n".join(body)), sep=sep, header=0 if has_header else None,
                     engine="python")
    if has_header:
        roles = _column_roles(df.columns)
        if "speed" not in roles or "power" not in roles:
            cols = ", ".join(str(c) for c in df.columns)
            raise InputError(f"功率曲线需要“风速”和“功率”两列，找到的列：{cols}",
                             f"A power curve needs a wind-speed and a power column; found: {cols}",
                             path=str(p), code="wind.curve_columns")
    else:
        roles = {"speed": df.columns[0], "power": df.columns[1]}
        if df.shape[1] > 2:
            roles["ct"] = df.columns[2]
    v = pd.to_numeric(df[roles["speed"]], errors="coerce").to_numpy(float)
    pw = pd.to_numeric(df[roles["power"]], errors="coerce").to_numpy(float)
    ct = pd.to_numeric(df[roles["ct"]], errors="coerce").to_numpy(float) if "ct" in roles else None
    factor = _power_unit(roles["power"]) if has_header else None
    get = lambda k: _first_number(meta[k]) if k in meta else None  # noqa: E731
    d = rotor_diameter_m if rotor_diameter_m is not None else get("rotor_diameter_m")
    if d is None or not d > 0:
        raise InputError("缺少叶轮直径：在曲线文件中写“# 叶轮直径: 52”或用 --rotor-diameter 指定",
                         "The rotor diameter is missing: add '# rotor_diameter_m: 52' to the curve file "
                         "or give --rotor-diameter", path=str(p), code="wind.no_diameter")
    rho_file = get("density_kg_m3") or REFERENCE_DENSITY
    if ct is not None:
        keep = ~(np.isnan(v) & np.isnan(pw))
        ct = ct[keep]
    v, pw, notes = _check_curve(v, pw, factor, float(d), float(rho_file), p)
    heights = _parse_heights(meta.get("hub_height_m", ""))
    hub = hub_height_m if hub_height_m is not None else (heights[0] if heights else None)
    if hub is None:
        raise InputError("缺少轮毂高度：在曲线文件中写“# 轮毂高度: 60”或用 --hub-height 指定",
                         "The hub height is missing: add '# hub_height_m: 60' to the curve file or give "
                         "--hub-height", path=str(p), code="wind.no_hub_height")
    rated = rated_kw if rated_kw is not None else get("rated_kw")
    cut_out = cut_out_ms if cut_out_ms is not None else get("cut_out_ms")
    rho = get("density_kg_m3") or REFERENCE_DENSITY
    control = "stall" if "stall" in meta.get("control", "").lower() or "失速" in meta.get("control", "") \
        else "pitch"
    try:
        curve, more = make_curve(v, pw, rotor_diameter_m=float(d), cut_out_ms=cut_out, rated_kw=rated,
                                 ct=ct, density_kg_m3=float(rho), control=control)
    except InputError as exc:
        raise InputError(exc.zh, exc.en, path=str(p), code=exc.code) from None
    if rho != REFERENCE_DENSITY:
        curve = curve.at_density(REFERENCE_DENSITY)
    label = name or meta.get("name") or p.stem
    lwa = sound_power_dba if sound_power_dba is not None else get("sound_power_dba")
    return Turbine(label, float(rated if rated is not None else curve.rated_kw), float(d), float(hub),
                   curve, source=meta.get("source", f"user power curve {p.name}"), sound_power_dba=lwa,
                   hub_heights_m=heights, problems=notes + more).with_hub_height(hub)


def bundled_curves() -> dict[str, Path]:
    """Curves shipped in resources/wind/turbines: {file stem: path}."""
    d = resources_dir() / TURBINE_DIR
    return {p.stem: p for p in sorted(d.glob("*.csv"))} if d.is_dir() else {}


def turbine_names() -> list[str]:
    """Every name :func:`load_turbine` accepts (bundled stems, then library types)."""
    return [*bundled_curves(), *library_table()["turbine_type"].tolist()]


def load_turbine(spec: str | Path, *, hub_height_m: float | None = None,
                 rotor_diameter_m: float | None = None, cut_out_ms: float | None = None,
                 sound_power_dba: float | None = None) -> Turbine:
    """A turbine from a CSV path, a bundled curve name (e.g. ``vestas_v52_850kw``), a windpowerlib
    type (e.g. ``E-53/800``) or ``generic:RATED_KW,DIAMETER_M,HUB_M``."""
    s = str(spec).strip()
    if s.lower().startswith("generic:"):
        nums = [_first_number(x) for x in s.split(":", 1)[1].replace("，", ",").split(",")]
        given = [x for x in nums if x is not None]
        if len(nums) != 3 or len(given) != 3:
            raise InputError(f"通用风机写作 generic:额定kW,叶轮直径m,轮毂高度m，而不是“{s}”",
                             f"A generic turbine is generic:RATED_KW,DIAMETER_M,HUB_M, not '{s}'",
                             code="wind.generic")
        rated, d, hub = given
        return generic_turbine(rated, d, hub_height_m if hub_height_m is not None else hub,
                               cut_out_ms=cut_out_ms or DEFAULT_CUT_OUT_MS, sound_power_dba=sound_power_dba)
    path = Path(s)
    if path.suffix.lower() in (".csv", ".txt") and path.is_file():
        return read_curve_file(path, rotor_diameter_m=rotor_diameter_m, hub_height_m=hub_height_m,
                               cut_out_ms=cut_out_ms, sound_power_dba=sound_power_dba)
    bundled = {_norm_name(k): v for k, v in bundled_curves().items()}
    if _norm_name(s) in bundled:
        return read_curve_file(bundled[_norm_name(s)], rotor_diameter_m=rotor_diameter_m,
                               hub_height_m=hub_height_m, cut_out_ms=cut_out_ms,
                               sound_power_dba=sound_power_dba)
    try:
        t = library_turbine(s, hub_height_m=hub_height_m, cut_out_ms=cut_out_ms,
                            sound_power_dba=sound_power_dba)
    except KeyError:
        names = turbine_names()
        close = difflib.get_close_matches(s, names, n=5, cutoff=0.4)
        if close:
            zh_hint, en_hint = f"相近：{', '.join(close)}", f"Close: {', '.join(close)}"
        else:  # nothing similar: say where the full list is rather than call a sample "close"
            zh_hint = "全部型号见 lingtan wind --list-turbines"
            en_hint = "all types: lingtan wind --list-turbines"
        raise InputError(f"找不到风机“{s}”（不是文件、内置曲线或 windpowerlib 型号）。{zh_hint}",
                         f"Unknown turbine '{s}' (not a file, bundled curve or windpowerlib type). "
                         f"{en_hint}", code="wind.unknown_turbine") from None
    if rotor_diameter_m is not None:
        t = replace(t, rotor_diameter_m=float(rotor_diameter_m))
    return t
