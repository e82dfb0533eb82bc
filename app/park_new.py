"""A new park from a planner's own data: the red line, the buildings and the optional layers and
tables, by role. One implementation for ``lingtan park new`` and the desktop app (File → New Park,
the layer tree's "Set as …" menu)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from app.cli_support import CRS_HELP, EXIT_OK, emit
from app.summaries import ParkSummary
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


def new_park(layers: dict[str, gpd.GeoDataFrame], tables: dict[str, pd.DataFrame] | None = None, *,
             name: str | None = None, inside_only: bool = True,
             storey_height_m: dict[str, float] | None = None, keep_overlapping_parts: bool = False,
             progress: Progress = NO_PROGRESS) -> Park:
    """The park of ``layers`` by role (boundary and buildings required; any CRS) and ``tables``;
    buildings, green space, tree rows and water kept inside the red line unless ``inside_only`` is
    False; footprints lying mostly inside a larger one dropped unless ``keep_overlapping_parts``."""
    return build_park({k: v for k, v in layers.items() if v is not None}, tables, name=name,
                      storey_height_m=storey_height_m, inside_only=inside_only,
                      keep_overlapping_parts=keep_overlapping_parts, progress=progress)


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
    values = given_values(algorithm("new_park"), args)
    park = new_park(layers, tables, name=values.name, inside_only=values.inside_only,
                    keep_overlapping_parts=values.keep_overlapping_parts, progress=progress.sub(0.4, 0.8))
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
