"""The base year a pathway starts from and the yearly abatement of applied measures: shared by
:mod:`gis.carbon.pathways` (the driver model) and :mod:`gis.carbon.measures` (MACC and measures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gis.carbon.sectors import SECTORS, UNMAPPED
from gis.errors import InputError, Problem

YEAR_MIN = 1990
ELECTRICITY = "electricity"

@dataclass
class PathwayBase:
    """The base year the paths start from: energy (tce) and CO2 (t) per sector × fuel, value added
    (10⁴ yuan) per sector, the grid factor (kgCO2/kWh), electricity's tce per kWh, the park's on-site
    PV/wind potential (kWh/yr), sinks, CCUS and green power of the base year (t/yr), the history."""

    year: int
    sectors: list[str]
    fuels: list[str]
    tce: np.ndarray
    t_co2: np.ndarray
    value_added_10k_yuan: np.ndarray
    grid_kg_co2_per_kwh: float
    electricity_tce_per_kwh: float
    onsite_potential_kwh_yr: float = 0.0
    sinks_t_co2: float = 0.0
    ccus_t_co2: float = 0.0
    green_kwh: float = 0.0
    history: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["year", "tce", "t_co2"]))
    problems: list[Problem] = field(default_factory=list)

    def fuel_t_co2_per_tce(self) -> np.ndarray:
        """Each fuel's base-year emissions per tce (t/tce; 0 for a fuel not used)."""
        tce, co2 = self.tce.sum(axis=0), self.t_co2.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(tce > 0, co2 / tce, 0.0)

    def to_dict(self) -> dict:
        """JSON-ready, so a saved project can rerun the paths without its table (:meth:`from_dict`)."""
        rows = [{"sector6": s, "fuel": f, "tce": float(self.tce[i, j]), "t_co2": float(self.t_co2[i, j])}
                for i, s in enumerate(self.sectors) for j, f in enumerate(self.fuels) if self.tce[i, j] > 0]
        return {"year": self.year, "rows": rows,
                "value_added_10k_yuan": dict(zip(self.sectors, map(float, self.value_added_10k_yuan),
                                                 strict=True)),
                "grid_kg_co2_per_kwh": self.grid_kg_co2_per_kwh,
                "electricity_tce_per_kwh": self.electricity_tce_per_kwh,
                "onsite_potential_kwh_yr": self.onsite_potential_kwh_yr, "sinks_t_co2": self.sinks_t_co2,
                "ccus_t_co2": self.ccus_t_co2, "green_kwh": self.green_kwh,
                "history": self.history[["year", "tce", "t_co2"]].to_dict("records")}

    @classmethod
    def from_dict(cls, d: dict) -> PathwayBase:
        rows = pd.DataFrame(d["rows"], columns=["sector6", "fuel", "tce", "t_co2"])
        va = pd.Series(d.get("value_added_10k_yuan") or {}, dtype=float)
        return base_from_rows(rows, int(d["year"]), va, grid_kg_co2_per_kwh=float(d["grid_kg_co2_per_kwh"]),
                              electricity_tce_per_kwh=float(d["electricity_tce_per_kwh"]),
                              onsite_potential_kwh_yr=float(d.get("onsite_potential_kwh_yr") or 0.0),
                              sinks_t_co2=float(d.get("sinks_t_co2") or 0.0),
                              ccus_t_co2=float(d.get("ccus_t_co2") or 0.0),
                              green_kwh=float(d.get("green_kwh") or 0.0),
                              history=pd.DataFrame(d.get("history") or [], columns=["year", "tce", "t_co2"]))


def base_from_rows(rows: pd.DataFrame, year: int, value_added: pd.Series, *, grid_kg_co2_per_kwh: float,
                   electricity_tce_per_kwh: float, **kw: Any) -> PathwayBase:
    """A base from rows ``sector6, fuel, tce, t_co2`` (summed per sector × fuel) and value added per
    sector (10⁴ yuan)."""
    if not np.isfinite(grid_kg_co2_per_kwh) or grid_kg_co2_per_kwh < 0 or not electricity_tce_per_kwh > 0:
        raise InputError("电网排放因子或电力折标系数无效",
                         "The grid factor or electricity's tce per kWh is invalid", code="pathways.base")
    g = rows.groupby(["sector6", "fuel"])[["tce", "t_co2"]].sum()
    order = {k: i for i, k in enumerate((*SECTORS, UNMAPPED))}
    sectors = sorted({str(s) for s in g.index.get_level_values(0)}, key=lambda s: order.get(s, 99))
    fuels = sorted({str(f) for f in g.index.get_level_values(1)} | {ELECTRICITY})
    full = pd.MultiIndex.from_product([sectors, fuels])
    g = g.reindex(full, fill_value=0.0)
    shape = (len(sectors), len(fuels))
    va = value_added.reindex(sectors).fillna(0.0).to_numpy(float)
    return PathwayBase(year=int(year), sectors=sectors, fuels=fuels,
                       tce=g["tce"].to_numpy(float).reshape(shape),
                       t_co2=g["t_co2"].to_numpy(float).reshape(shape),
                       value_added_10k_yuan=va, grid_kg_co2_per_kwh=float(grid_kg_co2_per_kwh),
                       electricity_tce_per_kwh=float(electricity_tce_per_kwh), **kw)


@dataclass
class Applied:
    """Yearly abatement of the measures applied to a path: ``electricity_t_co2`` (scaled by the grid
    factor path), ``energy_t_co2`` (constant) and ``sink_t_co2`` (not in the energy indicator)."""

    electricity_t_co2: np.ndarray
    energy_t_co2: np.ndarray
    sink_t_co2: np.ndarray
