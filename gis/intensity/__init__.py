"""Township carbon-intensity maps (the data side; pure: no Qt, no app).

- :mod:`gis.intensity.join`      polygons ↔ statistics table by code or by (messy) Chinese name
- :mod:`gis.intensity.metrics`   per township: tCO2 (reported, or from energy), GDP, land, population,
  intensity per 10^4 yuan / mu / person, change against a previous year
- :mod:`gis.intensity.classify`  always five classes (0 = no data): benchmark ratio K (default),
  fixed thresholds, quantiles, natural breaks (Fisher–Jenks), progress against a decline target

See docs/intensity.md and DOMAIN.md §3.
"""

from gis.intensity.classify import (
    METHODS,
    RATIO_BREAKS,
    Classification,
    classify,
)
from gis.intensity.join import JoinResult, join_stats, normalise_code, normalise_place_name, place_name_audit
from gis.intensity.metrics import INTENSITY_UNITS, overall_intensity, township_metrics

__all__ = [
    "INTENSITY_UNITS",
    "METHODS",
    "RATIO_BREAKS",
    "Classification",
    "JoinResult",
    "classify",
    "join_stats",
    "normalise_code",
    "normalise_place_name",
    "overall_intensity",
    "place_name_audit",
    "township_metrics",
]
