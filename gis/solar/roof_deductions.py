"""What a real design loses of a roof before modules go on it, per roof class.

A gross roof is not a PV array: designs give up the edge strip (parapet shade, gutters, access),
daylight strips (采光带), ridge vents and equipment, maintenance walkways (检修通道), lanes between
fire blocks (防火通道) and roofs too weak for the load. Each roof class has one value per deduction
in ``resources/defaults/roof_deductions.csv`` (one row per class and parameter, with its basis and
source); a user's table of the same form replaces it and :class:`DeductionOverrides` set one value
for every class. Shares are of the area left by the deductions before them (the order of
:data:`DEDUCTION_ORDER`), so the pieces and the kept area always add up to the set-back roof.

Walkways and fire lanes are geometric: a roof's oriented envelope, scaled to its area, is cut
into array blocks of at most ``fire_block_m`` by lanes ``fire_lane_m`` wide, and into bands at
most ``walkway_every_m`` deep by walkways ``walkway_m`` wide along the long side (the ridge of a
portal-frame roof); small roofs need neither.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from gis.errors import InputError
from gis.paths import resources_dir
from gis.solar.envelope import envelope_sides

DEDUCTION_PARAMETERS = ("edge_setback_m", "skylight_share", "equipment_share", "walkway_m", "walkway_every_m",
                        "fire_lane_m", "fire_block_m", "structure_share")
RANGES: dict[str, tuple[float, float]] = {
    "edge_setback_m": (0.0, 20.0), "skylight_share": (0.0, 0.6), "equipment_share": (0.0, 0.6),
    "walkway_m": (0.0, 5.0), "walkway_every_m": (2.0, 500.0), "fire_lane_m": (0.0, 10.0),
    "fire_block_m": (5.0, 1000.0), "structure_share": (0.0, 1.0)}
"""Plausible range of each parameter (shares 0–1; a daylight strip or equipment share above 0.6
would leave too little roof to be a PV roof: a typo in % rather than a share)."""
DEDUCTION_ORDER = ("skylight_m2", "equipment_m2", "fire_lane_m2", "walkway_m2", "structure_m2")
"""Order in which the deductions after the edge setback are taken: fixed roof features first,
then the array blocks, the walkways inside them, and the share of roof too weak to carry modules."""
TABLE = "roof_deductions.csv"


@dataclass(frozen=True)
class RoofDeductions:
    """Deductions of one roof class. edge_setback_m: clear strip along the roof edge (m);
    skylight_share / equipment_share / structure_share: shares (0–1) of the remaining roof;
    walkway_m every walkway_every_m: maintenance walkways (m); fire_lane_m between blocks of at
    most fire_block_m (m)."""

    edge_setback_m: float
    skylight_share: float
    equipment_share: float
    walkway_m: float
    walkway_every_m: float
    fire_lane_m: float
    fire_block_m: float
    structure_share: float

    def __post_init__(self):
        for f in fields(self):
            check_value(f.name, getattr(self, f.name))


@dataclass(frozen=True)
class DeductionOverrides:
    """Values set for every roof class (None: the table's value per class)."""

    edge_setback_m: float | None = None
    skylight_share: float | None = None
    equipment_share: float | None = None
    walkway_m: float | None = None
    walkway_every_m: float | None = None
    fire_lane_m: float | None = None
    fire_block_m: float | None = None
    structure_share: float | None = None

    def __post_init__(self):
        for f in fields(self):
            v = getattr(self, f.name)
            if v is not None:
                check_value(f.name, v)

    def apply(self, d: RoofDeductions) -> RoofDeductions:
        given = {f.name: getattr(self, f.name) for f in fields(self)}
        return replace(d, **{k: v for k, v in given.items() if v is not None})


def check_value(name: str, value: float, where: str = "") -> None:
    """InputError unless ``value`` is a finite number in RANGES[name]."""
    lo, hi = RANGES[name]
    ok = isinstance(value, int | float) and not isinstance(value, bool) and bool(np.isfinite(value)) \
        and lo <= value <= hi
    if not ok:
        at_zh, at_en = (f"（{where}）", f" ({where})") if where else ("", "")
        raise InputError(f"屋面扣减参数 {name} = {value!r} 不在 {lo:g}–{hi:g} 之内{at_zh}；"
                         "比例请写 0–1 的小数",
                         f"Roof deduction {name} = {value!r} is outside {lo:g}–{hi:g}{at_en}; "
                         "write shares as fractions 0–1", code="pv.deductions")


def read_deduction_table(path: Path | str | None = None) -> dict[str, RoofDeductions]:
    """Per roof class deductions from ``path`` (columns roof_class, parameter, value; a source
    column is expected but not read), or the default table when None."""
    p = Path(path) if path is not None else Path(resources_dir()) / "defaults" / TABLE
    where = str(p)
    try:
        t = pd.read_csv(p, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(f"无法读取屋面扣减表 {p.name}：{e}",
                         f"Cannot read the roof deduction table {p.name}: {e}",
                         path=str(p), code="pv.deductions") from None
    missing = {"roof_class", "parameter", "value"} - set(t.columns)
    if missing:
        cols = ", ".join(sorted(missing))
        raise InputError(f"屋面扣减表 {p.name} 缺少列：{cols}（需 roof_class, parameter, value）",
                         f"The roof deduction table {p.name} lacks column(s) {cols} "
                         "(roof_class, parameter, value are needed)", path=str(p), code="pv.deductions")
    out: dict[str, RoofDeductions] = {}
    for cls, g in t.groupby("roof_class"):
        numbers = pd.to_numeric(g["value"], errors="coerce")
        values = dict(zip(g["parameter"].astype(str), numbers, strict=True))
        lacking = [k for k in DEDUCTION_PARAMETERS if k not in values]
        if lacking:
            raise InputError(f"屋面扣减表 {p.name} 中 {cls} 缺少参数：{', '.join(lacking)}",
                             f"The roof deduction table {p.name} lacks {', '.join(lacking)} for {cls}",
                             path=str(p), code="pv.deductions")
        for k in DEDUCTION_PARAMETERS:
            check_value(k, float(values[k]), f"{where}: {cls}")
        out[str(cls)] = RoofDeductions(**{k: float(values[k]) for k in DEDUCTION_PARAMETERS})
    return out


@lru_cache(maxsize=1)
def default_deduction_table() -> dict[str, RoofDeductions]:
    """The shipped table (resources/defaults/roof_deductions.csv)."""
    return read_deduction_table(None)


def per_building(classes: np.ndarray, table: dict[str, RoofDeductions],
                 overrides: DeductionOverrides | None = None) -> dict[str, np.ndarray]:
    """Each parameter as an array over buildings (by their roof class), overrides applied."""
    ov = overrides or DeductionOverrides()
    cls = np.asarray(classes, dtype=object)
    applied = {c: ov.apply(d) for c, d in table.items()}
    # one mask per roof class (a handful), not a pandas map per parameter
    masks = {c: cls == c for c in applied}
    known = np.zeros(cls.shape, bool)
    for m in masks.values():
        known |= m
    if not known.all():
        absent = sorted(set(cls[~known]))
        raise InputError(f"屋面扣减表没有屋面类别 {', '.join(map(str, absent))}",
                         f"The roof deduction table has no roof class {', '.join(map(str, absent))}",
                         code="pv.deductions")
    out = {}
    for name in DEDUCTION_PARAMETERS:
        vals = np.empty(cls.shape)
        for c, m in masks.items():
            vals[m] = float(getattr(applied[c], name))
        out[name] = vals
    return out


def block_dims_m(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Long and short side (m) of each polygon's oriented envelope, scaled so that their product
    is the polygon's area (an L-shaped roof counts as the rectangle of its area and proportions)."""
    n = len(geoms)
    area = shapely.area(geoms)
    long_m, short_m = np.zeros(n), np.zeros(n)
    ok = area > 0
    if not ok.any():
        return long_m, short_m
    a, b, _, good = envelope_sides(geoms[ok])
    scale = np.sqrt(np.divide(area[ok], a * b, out=np.ones_like(a), where=(a * b > 0) & good))
    side = np.sqrt(area[ok])  # a degenerate envelope: a square of the area
    long_m[ok] = np.where(good & (b > 0), a * scale, side)
    short_m[ok] = np.where(good & (b > 0), b * scale, side)
    return long_m, short_m


def lanes_needed(length_m: np.ndarray, lane_m: np.ndarray, block_m: np.ndarray) -> np.ndarray:
    """Lanes that cut a length into pieces of at most ``block_m``, each lane ``lane_m`` wide."""
    n = np.ceil(np.divide(length_m + lane_m, block_m + lane_m)) - 1.0
    return np.where(lane_m > 0, np.maximum(n, 0.0), 0.0)


def fire_lane_share(long_m: np.ndarray, short_m: np.ndarray, lane_m: np.ndarray, block_m: np.ndarray
                    ) -> np.ndarray:
    """Share (0–1) of a long × short rectangle taken by lanes cutting it into blocks of at most
    block_m × block_m (lanes in both directions; crossings counted once)."""
    na, nb = lanes_needed(long_m, lane_m, block_m), lanes_needed(short_m, lane_m, block_m)
    lanes = na * lane_m * short_m + nb * lane_m * long_m - na * nb * lane_m**2
    rect = long_m * short_m
    return np.clip(np.divide(lanes, rect, out=np.zeros_like(lanes), where=rect > 0), 0, 1)


def walkway_share(long_m: np.ndarray, short_m: np.ndarray, walkway_m: np.ndarray, every_m: np.ndarray
                  ) -> np.ndarray:
    """Share (0–1) of a long × short rectangle taken by walkways along the long side that cut it
    into bands at most ``every_m`` deep."""
    n = lanes_needed(short_m, walkway_m, every_m)
    return np.clip(np.divide(n * walkway_m, short_m, out=np.zeros_like(n), where=short_m > 0), 0, 1)


def deduct(plan_m2: np.ndarray, long_m: np.ndarray, short_m: np.ndarray, d: dict[str, np.ndarray]
           ) -> dict[str, np.ndarray]:
    """Split each set-back roof area (plan m²) into the deductions of DEDUCTION_ORDER and the
    area kept for modules (``kept_m2``); the pieces add up to ``plan_m2`` exactly."""
    shares = {
        "skylight_m2": d["skylight_share"],
        "equipment_m2": d["equipment_share"],
        "fire_lane_m2": fire_lane_share(long_m, short_m, d["fire_lane_m"], d["fire_block_m"]),
        "walkway_m2": walkway_share(long_m, short_m, d["walkway_m"], d["walkway_every_m"]),
        "structure_m2": d["structure_share"],
    }
    rest = np.asarray(plan_m2, float).copy()
    out = {}
    for key in DEDUCTION_ORDER:
        out[key] = rest * shares[key]
        rest = rest - out[key]
    out["kept_m2"] = rest
    return out
