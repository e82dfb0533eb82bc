"""Storage on the park's AC bus: a battery and a cold-water thermal store (储能, 蓄冷).

Both are plain frozen dataclasses; the dispatch modules read them. Power limits are on the AC side
(what the meter sees), energies are stored energy. Efficiencies are split symmetrically: a battery
with round-trip efficiency η_rt charges with η_c = √η_rt and discharges with η_d = √η_rt, so
charging ``c`` kW for ``dt_h`` h stores ``c·η_c·dt_h`` kWh and delivering ``d`` kW draws
``d·dt_h/η_d`` kWh from the store.

Defaults and their sources:

* ``round_trip_pct = 89.9``: REopt.jl ``ElectricStorage`` defaults (NREL): rectifier 0.96 ×
  internal 0.975 × inverter 0.96 = 0.8986 AC-to-AC, in line with LFP commercial/industrial systems.
* ``soc_min_pct = 20``, ``soc_start_pct = 50``: REopt.jl ``ElectricStorage`` ``soc_min_fraction``
  0.2 and ``soc_init_fraction`` 0.5 (grid-connected); ``soc_max_pct = 100`` as REopt (no upper
  reserve: ``energy_kwh`` is the rated energy the battery management system lets you use at 100%).
* ``degradation_pct_per_cycle = 0.00333``: LFP stationary-storage cells (280 Ah class datasheets,
  e.g. CATL, EVE) are rated ≥ 6000 full cycles at 0.5C, 25 °C to 80% capacity: 20% / 6000 cycles.
  Reported as capacity fade in the KPIs; the dispatch itself keeps the nameplate energy.
* Thermal store ``loss_pct_per_h = 0.04``, ``soc_min_pct = 10``, ``soc_start_pct = 50``: REopt.jl
  ``ColdThermalStorage`` defaults (thermal_decay_rate_fraction 0.0004 per hour of capacity,
  soc_min_fraction 0.1, soc_init_fraction 0.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gis.errors import InputError

ROUND_TRIP_PCT_DEFAULT = 89.9
"""REopt.jl ElectricStorage: 0.96 (rectifier) × 0.975 (internal) × 0.96 (inverter) = 89.86%."""
SOC_MIN_PCT_DEFAULT = 20.0
"""REopt.jl ElectricStorage soc_min_fraction = 0.2."""
SOC_MAX_PCT_DEFAULT = 100.0
"""REopt.jl models no upper SOC reserve; the rated energy is usable up to 100%."""
SOC_START_PCT_DEFAULT = 50.0
"""REopt.jl ElectricStorage soc_init_fraction = 0.5 (grid-connected sites)."""
DEGRADATION_PCT_PER_CYCLE_DEFAULT = 20.0 / 6000.0
"""LFP storage cells (280 Ah class datasheets): ≥ 6000 cycles at 0.5C, 25 °C to 80% capacity."""
THERMAL_LOSS_PCT_PER_H_DEFAULT = 0.04
"""REopt.jl ColdThermalStorage thermal_decay_rate_fraction = 0.0004 of capacity per hour."""
THERMAL_SOC_MIN_PCT_DEFAULT = 10.0
"""REopt.jl ColdThermalStorage soc_min_fraction = 0.1."""


def _check_range(name: str, value: float, lo: float, hi: float, what_zh: str) -> None:
    if not (math.isfinite(value) and lo <= value <= hi):
        raise InputError(
            f"{what_zh} {name} = {value} 不在 {lo}–{hi} 之间，请改正。",
            f"{name} = {value} is outside {lo}–{hi}; correct it.",
            code="energy.storage_value")


class _SocWindow:
    """The state-of-charge window of a store in kWh, from ``energy_kwh`` and the ``soc_*_pct``."""

    energy_kwh: float
    soc_min_pct: float
    soc_max_pct: float
    soc_start_pct: float

    @property
    def soc_min_kwh(self) -> float:
        return self.energy_kwh * self.soc_min_pct / 100.0

    @property
    def soc_max_kwh(self) -> float:
        return self.energy_kwh * self.soc_max_pct / 100.0

    @property
    def soc_start_kwh(self) -> float:
        return self.energy_kwh * self.soc_start_pct / 100.0


@dataclass(frozen=True)
class Battery(_SocWindow):
    """A battery on the AC bus.

    power_kw: charge and discharge limit (AC side, kW). energy_kwh: rated energy (kWh).
    round_trip_pct: AC-to-AC round-trip efficiency (%). soc_min_pct/soc_max_pct: the allowed state
    of charge window (% of energy_kwh). soc_start_pct: state of charge at the start (%).
    degradation_pct_per_cycle: capacity lost per full equivalent cycle (% of energy_kwh).
    """

    power_kw: float
    energy_kwh: float
    round_trip_pct: float = ROUND_TRIP_PCT_DEFAULT
    soc_min_pct: float = SOC_MIN_PCT_DEFAULT
    soc_max_pct: float = SOC_MAX_PCT_DEFAULT
    soc_start_pct: float = SOC_START_PCT_DEFAULT
    degradation_pct_per_cycle: float = DEGRADATION_PCT_PER_CYCLE_DEFAULT

    def __post_init__(self) -> None:
        _check_range("power_kw", self.power_kw, 0.0, math.inf, "电池功率")
        _check_range("energy_kwh", self.energy_kwh, 0.0, math.inf, "电池容量")
        _check_range("round_trip_pct", self.round_trip_pct, 1.0, 100.0, "电池往返效率")
        _check_range("soc_min_pct", self.soc_min_pct, 0.0, 100.0, "电池最低荷电状态")
        _check_range("soc_max_pct", self.soc_max_pct, 0.0, 100.0, "电池最高荷电状态")
        _check_range("degradation_pct_per_cycle", self.degradation_pct_per_cycle, 0.0, 100.0,
                     "电池每次循环衰减")
        if self.soc_min_pct > self.soc_max_pct:
            raise InputError(
                f"电池最低荷电状态 {self.soc_min_pct}% 高于最高荷电状态 {self.soc_max_pct}%，请交换或改正。",
                f"Battery soc_min_pct {self.soc_min_pct}% is above soc_max_pct {self.soc_max_pct}%; "
                "swap or correct them.", code="energy.storage_soc")
        if not self.soc_min_pct <= self.soc_start_pct <= self.soc_max_pct:
            raise InputError(
                f"电池初始荷电状态 {self.soc_start_pct}% 不在 {self.soc_min_pct}–{self.soc_max_pct}% 之间。",
                f"Battery soc_start_pct {self.soc_start_pct}% is outside the window "
                f"{self.soc_min_pct}–{self.soc_max_pct}%.", code="energy.storage_soc")

    @property
    def eta_charge(self) -> float:
        """Charge efficiency √η_rt (fraction)."""
        return math.sqrt(self.round_trip_pct / 100.0)

    @property
    def eta_discharge(self) -> float:
        """Discharge efficiency √η_rt (fraction)."""
        return math.sqrt(self.round_trip_pct / 100.0)

    @property
    def usable_kwh(self) -> float:
        """Stored energy between the SOC limits (kWh): the denominator of a full cycle."""
        return self.soc_max_kwh - self.soc_min_kwh


@dataclass(frozen=True)
class ThermalStore(_SocWindow):
    """Cold-water storage (蓄冷水池) as a shiftable cooling load, all in *electric* kWh.

    The chillers' electricity ``cooling_kw`` is part of the park's load. Charging runs the chillers
    harder now (``power_kw`` more electric load at most) and stores the cold; discharging serves the
    cooling later so the chillers draw less (never more than that hour's ``cooling_kw``). Energies
    are the chiller electricity the stored cold stands for (cold kWh ÷ COP), so a kWh stored is a kWh
    of chiller electricity avoided later, less the standing loss: ``loss_pct_per_h`` % of the
    content per hour (REopt.jl charges its 0.04 %/h on the capacity; on the content an empty store
    loses nothing, which keeps the rule simple). Charging and discharging are both limited to
    ``power_kw``; chiller COP changes with supply temperature are not modelled.
    """

    power_kw: float
    energy_kwh: float
    loss_pct_per_h: float = THERMAL_LOSS_PCT_PER_H_DEFAULT
    soc_min_pct: float = THERMAL_SOC_MIN_PCT_DEFAULT
    soc_max_pct: float = 100.0  # REopt.jl ColdThermalStorage has no upper reserve
    soc_start_pct: float = SOC_START_PCT_DEFAULT  # REopt.jl ColdThermalStorage soc_init_fraction

    def __post_init__(self) -> None:
        _check_range("power_kw", self.power_kw, 0.0, math.inf, "蓄冷功率")
        _check_range("energy_kwh", self.energy_kwh, 0.0, math.inf, "蓄冷容量")
        _check_range("loss_pct_per_h", self.loss_pct_per_h, 0.0, 100.0, "蓄冷每小时损失")
        _check_range("soc_min_pct", self.soc_min_pct, 0.0, 100.0, "蓄冷最低蓄量")
        _check_range("soc_max_pct", self.soc_max_pct, 0.0, 100.0, "蓄冷最高蓄量")
        if not self.soc_min_pct <= self.soc_start_pct <= self.soc_max_pct:
            raise InputError(
                f"蓄冷初始蓄量 {self.soc_start_pct}% 不在 {self.soc_min_pct}–{self.soc_max_pct}% 之间。",
                f"Thermal store soc_start_pct {self.soc_start_pct}% is outside the window "
                f"{self.soc_min_pct}–{self.soc_max_pct}%.", code="energy.storage_soc")

