"""Electricity grid emission factors (kgCO2/kWh) from resources/factors/grid_emission_factors.csv.

The table stores ``value`` with its ``unit`` (kgCO2/kWh, or tCO2/MWh — the same number — for the
carbon-market series); :func:`grid_factor_table` adds ``kg_co2_per_kwh``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from gis.defaults import DEFAULT_GRID_FACTOR_KEY
from gis.errors import InputError
from gis.paths import resources_dir


@dataclass(frozen=True)
class GridFactor:
    """One grid emission factor: ``kg_co2_per_kwh`` with its key, names, year and source."""

    key: str
    kg_co2_per_kwh: float
    name_zh: str
    name_en: str
    year: int
    source: str

    @property
    def label(self) -> str:
        return f"{self.name_zh} {self.year} / {self.name_en} {self.year}: {self.kg_co2_per_kwh} kgCO2/kWh"


_TO_KG_PER_KWH = {"kgco2/kwh": 1.0, "tco2/mwh": 1.0, "tco2/10^4kwh": 0.1, "gco2/kwh": 1e-3}
"""Multipliers from the units the table may use to kgCO2/kWh."""


@lru_cache(maxsize=1)
def grid_factor_table() -> pd.DataFrame:
    """The whole table (one row per key), with sources; ``kg_co2_per_kwh`` from value × unit."""
    table = pd.read_csv(Path(resources_dir()) / "factors" / "grid_emission_factors.csv")
    units = table["unit"].str.replace(" ", "", regex=False).str.lower()
    bad = ~units.isin(list(_TO_KG_PER_KWH))
    if bad.any():
        raise ValueError(f"grid_emission_factors.csv: unknown units {sorted(set(table['unit'][bad]))}")
    table["kg_co2_per_kwh"] = table["value"] * units.map(_TO_KG_PER_KWH)
    return table


def grid_factor(key: str = DEFAULT_GRID_FACTOR_KEY) -> GridFactor:
    """The factor called ``key`` (e.g. ``east-2023``); InputError listing the keys if unknown."""
    table = grid_factor_table()
    row = table[table["key"] == key.strip().lower()]
    if row.empty:
        keys = ", ".join(table["key"])
        raise InputError(f"未知的电网排放因子“{key}”。可用：{keys}",
                         f"Unknown grid emission factor '{key}'. Available: {keys}",
                         code="grid_factor.unknown")
    r = row.iloc[0]
    return GridFactor(key=r["key"], kg_co2_per_kwh=float(r["kg_co2_per_kwh"]), name_zh=r["name_zh"],
                      name_en=r["name_en"], year=int(r["year"]), source=r["source"])
