"""``lingtan pv-array``: lay out a ground (or car-park) PV array in an area and estimate its yield;
and the demo's sample array."""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

LAYER_SEP = "|layername="
"""QGIS's way of naming a layer inside a file: ``park.gpkg|layername=roads``."""


def parse_source(text: str, *, with_distance: bool = False) -> tuple[Path, str | None, float | None]:
    """``FILE[|layername=L][:DIST_M]`` → (path, layer, distance). A Windows drive colon
    (``C:\\x.shp``) is part of the path: only a trailing ``:number`` is a distance."""
    dist = None
    body = text.strip()
    if with_distance and ":" in body:
        head, tail = body.rsplit(":", 1)
        try:
            dist = float(tail.replace("m", "").replace("米", ""))
            body = head
        except ValueError:
            dist = None
    layer = None
    if LAYER_SEP in body:
        body, layer = body.split(LAYER_SEP, 1)
    if not body:
        raise InputError(f"“{text}”没有文件名", f"'{text}' names no file", code="pv_array.source")
    return Path(body), layer, dist


def _modules_per_table(text: str) -> tuple[int, int]:
    try:
        up, along = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise InputError(f"每个支架的组件数“{text}”应写成 上下x沿排，如 2x14",
                         f"Modules per table '{text}' must be UPxALONG, e.g. 2x14",
                         code="pv_array.table") from None
    return up, along


def _module_size(text: str) -> tuple[float, float]:
    try:
        length, width = (float(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise InputError(f"组件尺寸“{text}”应写成 长x宽（米），如 2.278x1.134",
                         f"Module size '{text}' must be LENGTHxWIDTH in m, e.g. 2.278x1.134",
                         code="pv.module") from None
    return length, width


def register(sub) -> dict:
    from app.cli import CRS_HELP
    from gis.grid_factors import DEFAULT_GRID_FACTOR_KEY, grid_factor_table
    from gis.solar.array_layout import (
        BOUNDARY_SETBACK_M,
        BUILDING_SETBACK_M,
        CLEARANCE_M,
        MODULES_ALONG,
        MODULES_UP,
        ROAD_SETBACK_M,
        TABLE_GAP_M,
    )
    from gis.solar.layout import ModuleSpec

    m = ModuleSpec()
    p = sub.add_parser(
        "pv-array", help="lay out a ground PV array and estimate its yield / 光伏阵列排布与发电量",
        description="Lay out fixed-tilt PV tables in an area (ground, car park): the area minus a "
                    "boundary inset and buffers around buildings, roads and your own zones; rows at the "
                    "site's best tilt and azimuth (or yours), spaced so that they do not shade each other "
                    "from 9:00 to 15:00 on the winter solstice (or at a GCR you give). Yield through the "
                    "rooftop PV chain with row-to-row shading and shading by nearby buildings, land use "
                    "and avoided CO2. Writes OUT.gpkg (layers pv_array_tables, pv_array_area, "
                    "pv_array_exclusions) and OUT.json. Files may name a layer QGIS-style: "
                    "park.gpkg|layername=roads.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("area", help="array area polygon(s), any format `lingtan info` reads, any CRS")
    p.add_argument("--layer", help="layer/sheet/member of the area file")
    p.add_argument("--crs", help=CRS_HELP)
    p.add_argument("--out", type=Path, required=True, metavar="OUT.gpkg",
                   help="output GeoPackage (OUT.json written beside it)")
    p.add_argument("--exclude", action="append", default=[], metavar="FILE[:DIST_M]",
                   help="a zone to keep out of (any geometry) and, after a colon, its own clear distance "
                        "in m (none: the zone itself); repeat for more")
    p.add_argument("--buildings", metavar="FILE", help="building footprints: kept --building-setback away "
                   "from, and (with a height or floors field) shading the tables")
    p.add_argument("--building-setback", type=float, default=BUILDING_SETBACK_M, metavar="M",
                   help="clear distance from buildings, m (access/fire path; engineering judgement)")
    p.add_argument("--roads", metavar="FILE", help="road centrelines (lines) or road polygons")
    p.add_argument("--road-setback", type=float, default=ROAD_SETBACK_M, metavar="M",
                   help="clear distance from roads, m: from the centreline of lines (half a 7 m road + "
                        "1.5 m verge), from the edge of polygons")
    p.add_argument("--boundary-setback", type=float, default=BOUNDARY_SETBACK_M, metavar="M",
                   help="inset from the area's boundary, m (fence and perimeter path)")
    p.add_argument("--tilt", type=float, metavar="DEG", help="module tilt, deg. Default: the best annual "
                   "yield for the site's weather (searched with the energy chain)")
    p.add_argument("--azimuth", type=float, metavar="DEG", help="azimuth the modules face, deg clockwise "
                   "from north (180 = south). Default: the best within ±45° of south (due south unless "
                   "another azimuth gains ≥ 0.3%%)")
    p.add_argument("--gcr", type=float, metavar="X", help="ground-coverage ratio, table slant / row pitch "
                   "(0.1–1). Default: no row shading 9:00–15:00 true solar time on the winter solstice")
    p.add_argument("--orientation", choices=("portrait", "landscape"), default="portrait",
                   help="modules on the table: portrait = long side up the slope")
    p.add_argument("--modules-per-table", default=f"{MODULES_UP}x{MODULES_ALONG}", metavar="UPxALONG",
                   help="modules up the slope x along the row")
    p.add_argument("--module-w", type=float, default=m.power_w, metavar="W", help="module power, W")
    p.add_argument("--module-size", metavar="LxW", default=f"{m.length_m}x{m.width_m}",
                   help="module length x width, m")
    p.add_argument("--table-gap", type=float, default=TABLE_GAP_M, metavar="M",
                   help="gap between tables along a row, m")
    p.add_argument("--clearance", type=float, default=CLEARANCE_M, metavar="M",
                   help="height of the tables' low edge above ground, m (for building shading)")
    p.add_argument("--weather", type=Path, metavar="FILE", help="hourly weather file (EPW, TMY, PVGIS, CSV; "
                   "see `lingtan pv --help`). Default: built-in climatology (CSWD stations) at the site")
    p.add_argument("--network", action="store_true", help="allow a PVGIS download when no --weather")
    p.add_argument("--altitude", type=float, metavar="M", help="site altitude for the climatology, m")
    p.add_argument("--losses", type=float, default=14.0, metavar="PCT", help="DC system losses, %% "
                   "(PVWatts default; it includes 3%% generic shading)")
    p.add_argument("--no-shading", action="store_true", help="skip shading by nearby buildings")
    p.add_argument("--no-row-shading", action="store_true", help="skip row-to-row shading")
    keys = ", ".join(grid_factor_table()["key"])
    p.add_argument("--grid-factor", default=DEFAULT_GRID_FACTOR_KEY, metavar="KEY",
                   help="grid emission factor for avoided CO2 "
                        f"(resources/factors/grid_emission_factors.csv): {keys}")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return {"pv-array": run_pv_array}


def _read(text: str, crs_to, *, crs: str | None = None, with_distance: bool = False):
    from gis.io import read_vector

    path, layer, dist = parse_source(text, with_distance=with_distance)
    res = read_vector(path, layer=layer, crs=crs)
    gdf = res.gdf.to_crs(crs_to) if crs_to is not None else res.gdf
    return gdf, res.report.problems, dist, path


def run_pv_array(args, progress: Progress = NO_PROGRESS) -> int:
    from app.cli import EXIT_OK, emit
    from gis.crs import parse_crs
    from gis.park import prepare_buildings
    from gis.solar.array_energy import ArraySettings, pv_array
    from gis.solar.array_layout import TableSpec, area_polygons, centre_lonlat, metric_frame
    from gis.solar.energy import SystemSettings
    from gis.solar.layout import ModuleSpec
    from gis.solar.site_weather import site_weather

    if args.crs:
        parse_crs(args.crs)
    up, along = _modules_per_table(args.modules_per_table)
    length, width = _module_size(args.module_size)
    settings = ArraySettings(
        table=TableSpec(ModuleSpec(args.module_w, length, width), args.orientation, up, along),
        tilt_deg=args.tilt, azimuth_deg=args.azimuth, gcr=args.gcr,
        building_setback_m=args.building_setback, road_setback_m=args.road_setback,
        boundary_setback_m=args.boundary_setback, table_gap_m=args.table_gap, clearance_m=args.clearance,
        system=SystemSettings(losses_pct=args.losses), shading=not args.no_shading,
        row_shading=not args.no_row_shading, grid_factor_key=args.grid_factor)
    progress.report(0.0, "reading")
    source = args.area if args.layer is None or LAYER_SEP in args.area \
        else f"{args.area}{LAYER_SEP}{args.layer}"
    area, problems, _, _ = _read(source, None, crs=args.crs)
    area = metric_frame(area)
    area_polygons(area)  # polygons, or a bilingual error before any other work
    crs = area.crs
    buildings = roads = None
    if args.buildings:
        raw, found, _, _ = _read(args.buildings, crs)
        problems += found
        buildings, found = prepare_buildings(raw)
        problems += found
    if args.roads:
        roads, found, _, _ = _read(args.roads, crs)
        problems += found
    zones = []
    for text in args.exclude:
        gdf, found, dist, path = _read(text, crs, with_distance=True)
        problems += found
        zones.append((gdf, dist if dist is not None else 0.0, path.name))
    progress.report(0.1, "weather")
    import shapely

    lon, lat = centre_lonlat(shapely.union_all(area.geometry.array), crs)
    weather = site_weather(lon, lat, weather_path=args.weather, allow_network=args.network,
                           altitude_m=args.altitude)
    result = pv_array(area, weather, settings, buildings=buildings, roads=roads, exclusions=zones,
                      progress=progress.sub(0.15, 0.9))
    result.problems[:0] = problems
    if len(result.tables) == 0:
        raise InputError(
            "阵列范围内放不下任何支架：范围太小，或退让与排除区占满了它（检查 --boundary-setback、"
            "--building-setback、--road-setback、--exclude 的距离和坐标系）",
            "No table fits in the array area: it is too small, or the setbacks and exclusion zones cover it "
            "(check the distances of --boundary-setback, --building-setback, --road-setback, --exclude and "
            "the CRSs)", path=str(args.area), code="pv_array.no_tables")
    progress.report(0.9, "writing")
    summary = write_pv_array(args.out, result)
    progress.report(1.0, "done")
    emit(args, summary, [*describe_pv_array(summary), f"输出 Output: {args.out} (+ .json)"])
    return EXIT_OK


def write_pv_array(out_path: Path, result) -> dict:
    """OUT.gpkg (pv_array_tables, pv_array_area, pv_array_exclusions) and OUT.json; the summary."""
    from app.outputs import write_gpkg, write_json

    summary = result.summary()
    summary["outputs"] = {"gpkg": str(out_path), "json": str(out_path.with_suffix(".json"))}
    write_gpkg(out_path, result_layers(result))
    write_json(out_path.with_suffix(".json"), summary)
    return summary


def result_layers(result) -> dict[str, gpd.GeoDataFrame]:
    """The layers as written: floats rounded (mm, Wh), the front-table flag as an integer."""
    layers = result.layers()
    t = layers["pv_array_tables"].copy()
    t["has_front"] = t["has_front"].astype("int8")
    for col in t.columns:
        if col != "geometry" and t[col].dtype.kind == "f":
            t[col] = t[col].round(3)
    layers["pv_array_tables"] = t
    return layers


def describe_pv_array(s: dict) -> list[str]:
    """Short Chinese/English summary lines of a PV array summary."""
    from gis.park import M2_PER_MU

    orient = "场地最优 site optimum" if s.get("orientation_source") == "site optimum" else "指定 given"
    gcr_src = "冬至日 9–15 时不遮挡 winter-solstice rule" if s["gcr_source"] != "user" else "指定 given"
    lines = [
        f"光伏阵列 PV array: {s['tables']} 个支架 tables ({s['table']}), {s['modules']} 块组件 modules "
        f"({s['module_w']:g} W), 直流 DC {s['mwp']:.3f} MWp / 交流 AC {s['kwac'] / 1000:.3f} MW",
        f"倾角 Tilt {s['tilt_deg']:g}°, 方位 azimuth {s['azimuth_deg']:g}° ({orient}); 行距 pitch "
        f"{s['pitch_m']:.2f} m, GCR {s['gcr']:.2f} ({gcr_src})",
        f"年发电量 Yield: {s['gwh_yr']:.3f} GWh/yr ({s['kwh_per_kwp']:.0f} kWh/kWp), 前后排遮挡 row shading "
        f"{s['row_shade_loss_pct']:.1f}%, 建筑遮挡 building shading "
        + (f"{s['shade_loss_pct']:.1f}%" if s.get("shade_loss_pct") is not None else "未计算 not computed"),
        f"用地 Land: {s['area_m2'] / 1e4:.2f} ha ({s['area_m2'] / M2_PER_MU:.0f} 亩 mu), 可用 usable "
        f"{s['usable_m2'] / 1e4:.2f} ha; {s['m2_per_kwp'] or 0:.1f} m²/kWp, {s['mu_per_mw'] or 0:.1f} 亩/MW "
        f"mu/MW; 覆盖率 ground coverage {s['ground_coverage']:.0%}",
        f"减排 Avoided: {s['t_co2_yr']:,.0f} tCO2/yr ({s['grid_factor']['label']})",
        f"气象 Weather: {s['weather_source']} (GHI {s['annual_ghi_kwh_m2']:.0f} kWh/m²)",
    ]
    warn = [p for p in s.get("problems", []) if p["level"] != "info"]
    if warn:
        lines.append(f"注意 Warnings ({len(warn)}):")
        lines += [f"  ! {p['zh']}\n    {p['en']}" for p in warn[:8]]
    return lines


# ------------------------------------------------------------------------------------------
# The demo's sample array
# ------------------------------------------------------------------------------------------

DEMO_AREA_NAME = "管委会绿地"
"""The sample park's open lawn of the management-committee block (5.9 ha of grass around the
offices): the demo's ground array, shaded in part by the 12-storey committee building."""


def demo_array(park) -> gpd.GeoDataFrame:
    """A sample array area in the park: the committee block's lawn (else the largest grass or
    green polygon), in the park's CRS, with ``name``."""
    g = park.green
    if g is None or len(g) == 0:
        raise InputError("示例园区没有绿地，无法选取示例阵列范围",
                         "The park has no green space for a sample array",
                         code="pv_array.demo")
    pick = g[g["name"] == DEMO_AREA_NAME] if "name" in g else g.iloc[0:0]
    if len(pick) == 0:
        grass = g[g["cover"] == "草地"] if "cover" in g else g
        grass = grass if len(grass) else g
        pick = grass.loc[[grass.area.idxmax()]]
    out = gpd.GeoDataFrame({"name": [DEMO_AREA_NAME if "name" not in pick else str(pick["name"].iloc[0])]},
                           geometry=[pick.union_all()], crs=g.crs)
    return out


def demo_array_result(park, progress: Progress = NO_PROGRESS, *, weather=None, grid=None):
    """The demo's array as an :class:`~gis.solar.array_energy.ArrayResult`: :func:`demo_array`
    with the defaults (site-optimal tilt, winter-rule rows, 2×14 portrait tables of 575 W), the
    park's buildings as obstacles and shade, the built-in climatology for the site (or
    ``weather``) and the default grid factor (or ``grid``, e.g. the park's factor set's)."""
    from gis.solar.array_energy import pv_array
    from gis.solar.array_layout import centre_lonlat
    from gis.solar.site_weather import site_weather

    area = demo_array(park)
    if weather is None:
        lon, lat = centre_lonlat(area.geometry.iloc[0], area.crs)
        weather = site_weather(lon, lat)
    return pv_array(area, weather, buildings=park.buildings, grid=grid, progress=progress)


def pv_array_for_demo(park, progress: Progress = NO_PROGRESS, *, weather=None, grid=None):
    """(tables GeoDataFrame as written — the ``pv_array_tables`` layer —, summary dict) of
    :func:`demo_array_result`."""
    result = demo_array_result(park, progress, weather=weather, grid=grid)
    return result_layers(result)["pv_array_tables"], result.summary()
