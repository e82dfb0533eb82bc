"""The defaults every analysis starts from, each with its source, in one place.

Modules, the command line, the GUI's dialogs and settings, and the docs read these names; a
default is changed here and nowhere else. Tables of defaults (storey heights per use, roof
classes, factor sets) live under ``resources/defaults`` and ``resources/factors`` with a
``source`` column; this module names the keys chosen from them.
"""

from __future__ import annotations

DEFAULT_FACTOR_SET = "national-2023"
"""Emission-factor set: resources/factors/factor_sets.csv, the row noted "default" (national
grid average of the latest published year, MEE & NBS; DOMAIN.md §2)."""

DEFAULT_INDICATOR_SET = "national-2025"
"""Indicator set: 国家零碳园区评价指标（试行）2025, the only national set
(resources/defaults/indicators*.csv, gis/carbon/indicators.py)."""

DEFAULT_GRID_FACTOR_KEY = "national-2023"
"""Grid emission factor for avoided CO2: the national grid average of the latest published year
(MEE & NBS 2023 figure; resources/factors/grid_emission_factors.csv; DOMAIN.md §2)."""

MODULE_POWER_W = 575.0
MODULE_LENGTH_M = 2.278
MODULE_WIDTH_M = 1.134
"""PV module: a current 144-half-cell TOPCon module, 2,278 × 1,134 mm, 575 W (2.58 m², 222.6 W/m²;
DOMAIN.md §5: 550–580 W on 2.58 m² in manufacturers' 2024–2025 data sheets)."""

DC_LOSSES_PCT = 14.0
"""DC system losses, %: the PVWatts v5 default (Dobos 2014, NREL/TP-6A20-62641; includes 3 %
generic shading)."""

M2_PER_MU = 10_000 / 15
"""1 亩 mu = 666.67 m² (市亩, the unit of Chinese land statistics)."""

STOREY_HEIGHTS_TABLE = "defaults/storey_heights.csv"
"""Storey height per building use (m), with sources, under resources/ (gis/buildings.py)."""
