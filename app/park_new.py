"""A new park from a planner's own data: the red line, the buildings and the optional layers and
tables, by role. One implementation for ``lingtan park new`` and the desktop app (File → New Park,
the layer tree's "Set as …" menu)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from app.cli_support import CRS_HELP, EXIT_OK, emit
from app.summaries import ParkSummary
from gis.buildings import (
    BUILDING_FIELDS,
    MAX_POSSIBLE_HEIGHT_M,
    building_heights,
    classify_use,
    leading_numbers,
    resolve_building_fields,
)
from gis.errors import InputError
from gis.park import Park, build_park, summarise_park
from gis.progress import NO_PROGRESS, Progress

ROLE_FLAGS = {"boundary": "--boundary", "buildings": "--buildings", "green": "--green",
              "tree_rows": "--trees",
              "townships": "--townships", "roads": "--roads", "water": "--water"}
"""The command-line flag of each layer role (gis.park.PARK_LAYERS)."""
ROLE_NAMES = {"boundary": ("园区红线", "park boundary (red line)"), "buildings": ("建筑", "buildings"),
              "green": ("绿地", "green space"), "tree_rows": ("行道树", "tree rows or points"),
              "townships": ("乡镇街道", "townships"), "roads": ("道路", "roads"), "water": ("水体", "water")}
TABLE_FLAGS = {"enterprises": "--energy", "township_stats": "--stats"}
TABLE_NAMES = {"enterprises": ("企业能耗表", "enterprise energy table (`lingtan template energy`)"),
               "township_stats": ("乡镇统计表", "township statistics")}


MAX_FLOORS = 200  # as gis.buildings.building_heights: more floors than any building has is a typo
PREVIEW_ROWS = 20
"""Features the New Park wizard's field mapping shows (enough to see what a field holds)."""


def new_park(layers: dict[str, gpd.GeoDataFrame], tables: dict[str, pd.DataFrame] | None = None, *,
             name: str | None = None, inside_only: bool = True,
             storey_height_m: dict[str, float] | None = None, keep_overlapping_parts: bool = False,
             building_fields: dict[str, str | None] | None = None,
             progress: Progress = NO_PROGRESS) -> Park:
    """The park of ``layers`` by role (boundary and buildings required; any CRS) and ``tables``;
    buildings, green space, tree rows and water kept inside the red line unless ``inside_only`` is
    False; footprints lying mostly inside a larger one dropped unless ``keep_overlapping_parts``;
    ``building_fields``: the buildings' column per role (:func:`gis.buildings.resolve_building_fields`)."""
    return build_park({k: v for k, v in layers.items() if v is not None}, tables, name=name,
                      storey_height_m=storey_height_m, inside_only=inside_only,
                      keep_overlapping_parts=keep_overlapping_parts, building_fields=building_fields,
                      progress=progress)


# ---- the field mapping's preview (the wizard shows it; Qt-free so that it is tested headless) ----

@dataclass(frozen=True)
class Unreadable:
    """Values of one field that cannot be read for its role: how many features, a few examples."""

    field: str
    count: int
    examples: tuple[str, ...]


def _filled(raw: pd.Series) -> np.ndarray:
    return (raw.notna() & (raw.astype("string").fillna("").str.strip() != "")).to_numpy(bool)


def _roof_read(raw: pd.Series) -> np.ndarray:
    """Whether each roof-type value names a roof class (the PV layout's own keywords)."""
    from gis.solar.layout import classify_roofs

    frame = pd.DataFrame({"roof_type": raw.to_numpy(object), "use_class": "other"})
    _classes, sources = classify_roofs(frame)
    return np.array([str(x).startswith("field:") for x in sources], dtype=bool)


def unreadable_values(gdf: pd.DataFrame, fields: dict[str, str | None] | None = None,
                      examples: int = 5) -> dict[str, Unreadable]:
    """For each mapped role, the filled values that cannot be used: heights and floors that are not
    a number or are impossible (≤ 0, > 830 m, > 200 floors: as gis.buildings.building_heights), uses
    and roof types no keyword recognises (they get the defaults of 'other' use, of the use's roof)."""
    chosen = resolve_building_fields(gdf.columns, fields)
    out: dict[str, Unreadable] = {}
    for role, col in chosen.items():
        if col is None or role == "enterprise_id":  # any text is an id
            continue
        raw = gdf[col]
        filled = _filled(raw)
        if role in ("height", "floors"):
            n = leading_numbers(raw)
            top = MAX_POSSIBLE_HEIGHT_M if role == "height" else MAX_FLOORS
            bad = filled & ~(np.isfinite(n) & (n > 0) & (n <= top))
        elif role == "use":
            text = raw.astype("string").fillna("").str.strip().str.lower()
            unknown = (classify_use(raw) == "other").to_numpy(bool)
            bad = filled & unknown & ~text.isin(["other", "其他"]).to_numpy(bool)
        else:
            bad = filled & ~_roof_read(raw)
        seen = pd.unique(raw[bad].astype(str).to_numpy())[:examples]
        out[role] = Unreadable(str(col), int(bad.sum()), tuple(str(v) for v in seen))
    return out


def field_preview(gdf: pd.DataFrame, fields: dict[str, str | None] | None = None,
                  rows: int = PREVIEW_ROWS) -> pd.DataFrame:
    """The first ``rows`` features as the park will read them: each role's raw value (text, ''
    when the role has no field), then the height (m) and its source, the use class and the roof
    class, computed by the park's own code (gis.buildings.building_heights, the PV layout's roof
    classes)."""
    from gis.solar.layout import classify_roofs

    head = gdf.iloc[:rows]
    chosen = resolve_building_fields(gdf.columns, fields)
    out = pd.DataFrame(index=range(len(head)))
    for role in BUILDING_FIELDS:
        col = chosen[role]
        out[role] = head[col].astype("string").fillna("").to_numpy() if col else ""
    heights, _ = building_heights(head, fields={r: c if c else "-" for r, c in chosen.items()
                                                if r in ("height", "floors", "use")})
    out["height_m"] = heights["height_m"].to_numpy()
    out["height_source"] = heights["height_source"].to_numpy()
    out["use_class"] = heights["use_class"].to_numpy()
    roofs = pd.DataFrame({"roof_type": out["roof"].to_numpy(object), "use_class": out["use_class"]})
    out["roof_class"] = classify_roofs(roofs)[0]
    return out


def inside_mask(buildings: gpd.GeoDataFrame, boundary: gpd.GeoDataFrame) -> np.ndarray:
    """Which buildings the red line holds, by the rule the park is made with (a feature's
    point-on-surface; gis.park.build_park)."""
    import shapely

    b = buildings.to_crs(boundary.crs) if buildings.crs != boundary.crs else buildings
    red = shapely.union_all(boundary.geometry.to_numpy())
    shapely.prepare(red)
    return np.asarray(shapely.intersects(red, shapely.point_on_surface(b.geometry.to_numpy())), dtype=bool)


def register(sub) -> dict:
    from app.processing.cli import add_param_arguments
    from app.processing.registry import algorithm

    p = sub.add_parser("park", help="make a park project from your own data / 由自己的数据新建园区",
                       description="lingtan park new: a park project (.lingtan.gpkg) from your red line, "
                                   "buildings and optional layers and tables; open it in the desktop app or "
                                   "run lingtan report / lingtan export on it.")
    verbs = p.add_subparsers(dest="park_command", metavar="new", required=True)
    new = verbs.add_parser("new", help="a new park project from files / 新建园区项目",
                           description="Files may name a layer QGIS-style: data.gpkg|layername=roads.")
    for role, flag in ROLE_FLAGS.items():
        zh, en = ROLE_NAMES[role]
        new.add_argument(flag, dest=role, metavar="FILE", required=role in ("boundary", "buildings"),
                         help=f"{en} / {zh} (any format `lingtan info` reads)")
    for key, flag in TABLE_FLAGS.items():
        zh, en = TABLE_NAMES[key]
        new.add_argument(flag, dest=key, type=Path, metavar="FILE", help=f"{en} / {zh} (CSV or Excel)")
    new.add_argument("--crs", help=CRS_HELP + ". Applies to files without their own")
    add_param_arguments(new, algorithm("new_park"))  # --name, --keep-outside …: declared once there
    new.add_argument("--out", type=Path, required=True, metavar="PROJECT.lingtan.gpkg",
                     help="the project file to write")
    new.add_argument("--json", action="store_true", help="print the park's figures as JSON")
    return {"park": run_park}


def run_park(args, progress: Progress = NO_PROGRESS) -> int:
    from app.processing.cli import given_values, parse_source
    from app.processing.registry import algorithm
    from app.project_file import EXTENSION, save_project
    from app.workspace import Workspace
    from gis.crs import parse_crs
    from gis.io import read_vector
    from gis.io.tables import read_data_table

    if not str(args.out).lower().endswith(EXTENSION):
        raise InputError(f"项目文件名应以 {EXTENSION} 结尾", f"The project file name must end in {EXTENSION}",
                         path=str(args.out), code="park.out")
    if args.crs:
        parse_crs(args.crs)
    layers, problems = {}, []
    roles = [r for r in ROLE_FLAGS if getattr(args, r, None)]
    for k, role in enumerate(roles):
        progress.report(0.4 * k / len(roles), f"reading {role}")
        path, layer, _ = parse_source(getattr(args, role))
        res = read_vector(path, layer=layer, crs=args.crs)
        layers[role] = res.gdf
        problems += res.report.problems
    tables = {}
    for key in TABLE_FLAGS:
        if getattr(args, key, None) is not None:
            tables[key], report = read_data_table(getattr(args, key))
            problems += report.problems
    from app.algorithms.new_park import building_fields

    values = given_values(algorithm("new_park"), args)
    park = new_park(layers, tables, name=values.name, inside_only=values.inside_only,
                    keep_overlapping_parts=values.keep_overlapping_parts,
                    building_fields=building_fields(values), progress=progress.sub(0.4, 0.8))
    park.problems[:0] = problems
    ws = Workspace()
    ws.set_park(park)
    progress.report(0.8, "writing")
    save_project(ws, args.out, progress.sub(0.8, 1.0))
    summary = {**summarise_park(park), "problems": [p.to_dict() for p in park.problems],
               "outputs": {"project": str(args.out)}}
    b = ParkSummary.from_dict(summary).facts.buildings
    count = b.count if b is not None and b.count is not None else len(park.buildings)
    lines = [f"园区 Park: {park.name}", f"建筑 Buildings: {count}",
             *[f"  · {p.zh}\n    {p.en}" for p in park.problems if p.level != "error"][:12],
             f"项目 Project: {args.out}"]
    emit(args, summary, lines)
    return EXIT_OK
