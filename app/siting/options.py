"""The siting's option records (JSON-safe, kept in ``workspace.settings["siting"]``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

GENERIC_DEFAULT = (100.0, 24.0, 30.0)
"""Generic turbine (kW, rotor m, hub m) before the user types: a 100 kW-class small turbine."""
NOISE_CLASSES = ("auto", "0", "1", "2", "3", "4a", "4b")
"""GB 3096-2008 noise classes the wind options accept ("auto": by building use)."""
WIND_LAYERS = ("turbines", "wind_violations")
ARRAY_LAYERS = ("pv_array_tables", "pv_array_area", "pv_array_exclusions")
MODULE_FIELDS = ("module_w", "module_length_m", "module_width_m")


def _wind_defaults() -> dict[str, Any]:
    from gis.wind import constraints as C
    from gis.wind.farm import DEMO_TURBINE
    from gis.wind.resource import DEFAULT_LAND_USE

    return {"turbine": DEMO_TURBINE, "spacing_downwind_d": C.SPACING_DOWNWIND_D,
            "spacing_crosswind_d": C.SPACING_CROSSWIND_D, "land_use": DEFAULT_LAND_USE,
            "noise_class": C.DEFAULT_NOISE_CLASS}


def module_defaults() -> tuple[float, float, float]:
    """(W, length m, width m) of ``gis.solar.layout.ModuleSpec()`` (the fallback of the app settings)."""
    from gis.solar.layout import ModuleSpec

    m = ModuleSpec()
    return float(m.power_w), float(m.length_m), float(m.width_m)


@dataclass
class WindOptions:
    """The wind siting's inputs. turbine: a bundled curve name, a windpowerlib type, a CSV path or
    "generic" (then generic_kw/_d_m/_hub_m); hub_height_m None = the turbine's own. resource:
    "site" (the park's built-in climate, as ``gis.wind.farm.demo_resource``), "weibull" or "file".
    setback_*_m None = tip height × the factor of resources/wind/setbacks.csv."""

    turbine: str = ""
    hub_height_m: float | None = None
    generic_kw: float = GENERIC_DEFAULT[0]
    generic_d_m: float = GENERIC_DEFAULT[1]
    generic_hub_m: float = GENERIC_DEFAULT[2]
    resource: str = "site"
    weibull_a: float = 6.0      # DOMAIN.md §6 reference case (A 6 m/s, k 2)
    weibull_k: float = 2.0
    weibull_height_m: float | None = None  # None: the hub height (as lingtan wind --weibull)
    resource_file: str = ""
    resource_height_m: float = 10.0  # sector tables / maps without a height in the name (EPW: 10 m)
    land_use: str = ""
    wake: str = "jensen"
    spacing_downwind_d: float = 0.0
    spacing_crosswind_d: float = 0.0
    setback_buildings_m: float | None = None
    setback_roads_m: float | None = None
    setback_boundary_m: float | None = None
    noise_class: str = ""
    roads_layer: str = ""

    def __post_init__(self) -> None:
        for k, v in _wind_defaults().items():
            if getattr(self, k) in ("", 0.0):
                setattr(self, k, v)

    def turbine_spec(self) -> str:
        """What ``gis.wind.turbines.load_turbine`` reads (a generic turbine as "generic:kW,D,hub")."""
        if self.turbine == "generic":
            return f"generic:{self.generic_kw:g},{self.generic_d_m:g},{self.generic_hub_m:g}"
        return self.turbine

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> WindOptions:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in (d or {}).items() if k in names})


@dataclass
class ArrayOptions:
    """The ground PV array's inputs (defaults and sources: docs/pv-array.md). Setbacks in m;
    tilt_deg/azimuth_deg None = the site optimum; gcr None = the winter-solstice 9:00–15:00 rule;
    a module field left 0 = ``gis.solar.layout.ModuleSpec``'s. Layers by name: roads_layer ""
    = none; buildings_layer / water_layer "" = automatic (``app.siting.exclusions.choose_layer``),
    "(none)" = none. Water is kept 0 m away: ground-mounted tables do not stand in open water
    (floating or pile-mounted "fishery–PV" plants are another design, not laid out here)."""

    boundary_setback_m: float = 2.0
    building_setback_m: float = 5.0
    road_setback_m: float = 5.0
    roads_layer: str = ""
    buildings_layer: str = ""  # "" automatic: the park's buildings, else a layer that says buildings
    water_layer: str = ""      # "" automatic (as buildings); "(none)": no layer (exclusions.NO_LAYER)
    tilt_deg: float | None = None
    azimuth_deg: float | None = None
    gcr: float | None = None
    orientation: str = "portrait"
    modules_up: int = 2
    modules_along: int = 14
    module_w: float = 0.0
    module_length_m: float = 0.0
    module_width_m: float = 0.0
    table_gap_m: float = 0.5

    def __post_init__(self) -> None:
        for name, value in zip(MODULE_FIELDS, module_defaults(), strict=True):
            if not getattr(self, name):
                setattr(self, name, value)

    def table(self):
        """The table make-up (``gis.solar.array_layout.TableSpec``; raises InputError when implausible)."""
        from gis.solar.array_layout import TableSpec
        from gis.solar.layout import ModuleSpec

        module = ModuleSpec(self.module_w, self.module_length_m, self.module_width_m)
        return TableSpec(module, self.orientation, int(self.modules_up), int(self.modules_along))

    def settings(self):
        """The core's ``gis.solar.array_energy.ArraySettings`` of these options."""
        from gis.solar.array_energy import ArraySettings

        return ArraySettings(table=self.table(), tilt_deg=self.tilt_deg, azimuth_deg=self.azimuth_deg,
                             gcr=self.gcr, building_setback_m=self.building_setback_m,
                             road_setback_m=self.road_setback_m, boundary_setback_m=self.boundary_setback_m,
                             table_gap_m=self.table_gap_m)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None, module: tuple[float, float, float] | None = None) -> ArrayOptions:
        """The options of ``d``; module fields it lacks come from ``module`` (W, length m, width m)."""
        names = {f.name for f in dataclasses.fields(cls)}
        kw = {k: v for k, v in (d or {}).items() if k in names}
        for name, value in zip(MODULE_FIELDS, module or (), strict=False):
            if not kw.get(name):
                kw[name] = value
        return cls(**kw)
