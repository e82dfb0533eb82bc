"""``lingtan wind``: AEP, wake losses and siting constraints of wind turbines (docs/wind.md)."""

from __future__ import annotations

import argparse
from pathlib import Path

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress


def register(sub) -> dict:
    from app.cli_support import CRS_HELP
    from gis.wind import constraints as C
    from gis.wind.resource import DEFAULT_LAND_USE, roughness_table
    from gis.wind.wakes import DEFAULT_TI, JENSEN_K_ONSHORE

    p = sub.add_parser(
        "wind", help="wind turbines: AEP, wakes, spacing, setbacks, noise / 风机发电量、尾流与约束",
        description="Annual energy of wind turbines at the given points: gross AEP from the power curve "
                    "integrated over the wind distribution of every direction sector (air-density "
                    "corrected), "
                    "wake losses between the turbines (Jensen/NOJ or Bastankhah Gaussian), net AEP and "
                    "capacity "
                    "factor; and the siting constraints: spacing in rotor diameters (an ellipse along the "
                    "prevailing wind), setbacks from buildings, roads and the park boundary, noise at "
                    "sensitive "
                    "buildings or receptor points (ISO 9613-2 against GB 3096-2008), optional worst-case "
                    "shadow "
                    "flicker. Writes OUT.gpkg (layers turbines, wind_violations, wind_receptors) and "
                    "OUT.json "
                    "(farm totals). Methods and every default's source: docs/wind.md.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("turbines", type=Path, nargs="?", help="turbine positions: points (any format `lingtan "
                                                          "info` "
                   "reads); optional fields turbine_id/id/编号 and hub_height_m/轮毂高度")
    p.add_argument("--layer", help="layer of the turbines file")
    p.add_argument("--crs", help=CRS_HELP)
    g = p.add_argument_group("turbine")
    g.add_argument("--turbine", metavar="NAME|CURVE.csv", help="a windpowerlib type (e.g. E-53/800), a "
                                                               "bundled "
                   "curve (vestas_v52_850kw, ghrepower_fd21_50, nps_100c_24), a power-curve CSV (speed m/s, "
                   "power "
                   "kW; 风速/功率 headers; '# rotor_diameter_m: 52' lines) or "
                   "generic:RATED_KW,DIAMETER_M,HUB_M")
    g.add_argument("--list-turbines", action="store_true", help="list the turbine names and exit")
    g.add_argument("--hub-height", type=float, metavar="M", help="hub height, m (default: the turbine's)")
    g.add_argument("--rotor-diameter", type=float, metavar="M", help="rotor diameter, m (curve files without "
                                                                     "one)")
    g.add_argument("--cut-out", type=float, metavar="M/S", help="cut-out wind speed; default: the curve's "
                                                                "own "
                   "(a curve ending at full power is held to 25 m/s)")
    g.add_argument("--sound-power", type=float, metavar="DBA", help="declared sound power level L_WA, dB(A) "
                   f"(default: the turbine file's, else {C.DEFAULT_SOUND_POWER_DBA:g}, DOMAIN.md §6, "
                   "unverified)")
    r = p.add_argument_group("wind resource")
    r.add_argument("--resource", type=Path, metavar="FILE", help="EPW weather file (10 m wind and "
                                                                 "directions), "
                   "WAsP .tab file, Global Wind Atlas-style GeoTIFF (mean speed or Weibull A; height from "
                   "the name or --resource-height) or a sector table CSV (sector, frequency, A, k)")
    r.add_argument("--weibull", metavar="A,k", help="one Weibull distribution (A m/s, k) for all directions, "
                   "at --weibull-height")
    r.add_argument("--weibull-height", type=float, metavar="M", help="height of --weibull (default: hub "
                                                                     "height)")
    r.add_argument("--resource-height", type=float, metavar="M", help="height of a GeoTIFF or sector table")
    r.add_argument("--directions", type=Path, metavar="FILE", help="direction frequencies for a GeoTIFF "
                   "resource (EPW, .tab or sector table); default uniform")
    r.add_argument("--sectors", type=int, default=12, help="direction sectors for EPW files")
    r.add_argument("--epw-method", choices=("weibull", "histogram"), default="weibull",
                   help="EPW speeds per sector: WAsP Weibull fit or the plain histogram")
    keys = ", ".join(roughness_table()["key"])
    r.add_argument("--land-use", default=DEFAULT_LAND_USE, metavar="KEY", help="roughness/shear class: "
                                                                               f"{keys} "
                   "(resources/wind/roughness.csv: log law z0 or GB 50009 power-law α)")
    r.add_argument("--z0", type=float, metavar="M", help="log-law roughness length instead of --land-use")
    r.add_argument("--alpha", type=float, help="power-law shear exponent instead of --land-use")
    r.add_argument("--altitude", type=float, metavar="M", help="site altitude for the air density (default: "
                                                               "the "
                   "EPW's, else 0)")
    r.add_argument("--temperature", type=float, metavar="C", help="annual mean air temperature, °C (default: "
                   "the EPW's, else ISA)")
    r.add_argument("--density", type=float, metavar="KG/M3", help="air density, overrides "
                                                                  "altitude/temperature")
    w = p.add_argument_group("wakes")
    w.add_argument("--wake", choices=("jensen", "bastankhah", "none"), default="jensen", help="wake model")
    w.add_argument("--wake-k", type=float, default=JENSEN_K_ONSHORE, help="Jensen wake decay (0.075 onshore)")
    w.add_argument("--ti", type=float, default=DEFAULT_TI, help="turbulence intensity for the Gaussian model")
    c = p.add_argument_group("constraints")
    c.add_argument("--boundary", type=Path, metavar="FILE", help="park boundary polygons")
    c.add_argument("--buildings", type=Path, metavar="FILE", help="building footprints (setbacks; "
                                                                  "dormitories, "
                   "homes, schools, hospitals or a 'sensitive' field become noise receptors)")
    c.add_argument("--roads", type=Path, metavar="FILE", help="road lines or polygons (setbacks)")
    c.add_argument("--receptors", type=Path, metavar="FILE", help="noise/shadow receptor points or polygons "
                   "(field noise_class/声功能区 = GB 3096 class); replaces the sensitive buildings")
    c.add_argument("--spacing", default=f"{C.SPACING_DOWNWIND_D:g},{C.SPACING_CROSSWIND_D:g}",
                   metavar="DOWN,CROSS",
                   help="minimum spacing in rotor diameters along and across the prevailing wind")
    c.add_argument("--prevailing", type=float, metavar="DEG", help="prevailing wind direction (from, "
                                                                   "degrees); "
                   "default: the sector with most wind energy")
    c.add_argument("--setback-buildings", type=float, metavar="M", help="setback from buildings, m (default: "
                   "tip height × 1.5)")
    c.add_argument("--setback-roads", type=float, metavar="M", help="setback from roads, m (default tip × "
                                                                    "1.1)")
    c.add_argument("--setback-boundary", type=float, metavar="M", help="setback from the boundary, m "
                                                                       "(default "
                   "tip × 1.1)")
    c.add_argument("--noise-class", default=C.DEFAULT_NOISE_CLASS,
                   choices=(C.AUTO_NOISE_CLASS, "0", "1", "2", "3", "4a", "4b"),
                   help="GB 3096-2008 class of receptors without a class field; "
                        f"{C.AUTO_NOISE_CLASS}: by the building's use (homes, schools, hospitals, "
                        "elderly care → 1; dormitories, mixed → 2; GB 3096-2008 §4.2, "
                        "resources/wind/noise_class_by_use.csv)")
    c.add_argument("--noise-ground", action="store_true", help="include the ISO 9613-2 ground term "
                                                               "(alternative "
                   "method, porous ground); default off (conservative)")
    c.add_argument("--no-noise", action="store_true", help="skip the noise check")
    c.add_argument("--shadow", action="store_true", help="also compute worst-case shadow-flicker hours")
    p.add_argument("--out", type=Path, metavar="OUT.gpkg", help="output GeoPackage (OUT.json written beside "
                                                                "it)")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return {"wind": run_wind}


def _pair(text: str, what: str, n: int = 2) -> list[float]:
    try:
        vals = [float(v) for v in str(text).replace("，", ",").split(",")]
    except ValueError:
        vals = []
    if len(vals) != n:
        raise InputError(f"{what} 应为 {n} 个用逗号分隔的数：“{text}”",
                         f"{what} must be {n} comma-separated numbers: '{text}'", code="wind.args")
    return vals


def _read(path: Path | None, crs: str | None = None, layer: str | None = None):
    if path is None:
        return None
    from gis.io import read_vector

    return read_vector(path, layer=layer, crs=crs).gdf


def build_resource(args, hub_height_m: float):
    """The WindResource the options describe."""
    from gis.wind.resource import RasterResource, WindClimate, WindResource, read_resource, shear_for

    shear = shear_for(args.land_use, z0_m=args.z0, alpha=args.alpha)
    if (args.resource is None) == (args.weibull is None):
        raise InputError("请给出风资源：--resource 文件 或 --weibull A,k（二选一）",
                         "Give the wind resource: --resource FILE or --weibull A,k (one of them)",
                         code="wind.no_resource")
    if args.weibull is not None:
        a, k = _pair(args.weibull, "--weibull")
        height = args.weibull_height or hub_height_m
        climate = WindClimate.uniform(a, k, height, args.sectors,
                                      source=f"Weibull A = {a:g} m/s, k = {k:g} at {height:g} m (user)")
        return WindResource(climate, shear, altitude_m=args.altitude, temperature_c=args.temperature)
    res = read_resource(args.resource, height_m=args.resource_height, n_sectors=args.sectors,
                        epw_method=args.epw_method)
    if isinstance(res, RasterResource):
        directions = None
        if args.directions is not None:
            directions = read_resource(args.directions, height_m=args.resource_height or 10.0,
                                       n_sectors=args.sectors, epw_method=args.epw_method)
            if isinstance(directions, RasterResource):
                raise InputError("--directions 需要 EPW、.tab 或扇区表",
                                 "--directions needs an EPW, .tab or sector "
                                 "table", code="wind.directions")
        return WindResource(directions, shear, raster=res, altitude_m=args.altitude,
                            temperature_c=args.temperature)
    return WindResource(res, shear, altitude_m=args.altitude, temperature_c=args.temperature)


def describe_wind(s: dict) -> list[str]:
    t = s["turbine"]
    lines = [f"风机 Turbine: {t['name']}  {t['rated_kw']:g} kW, D {t['rotor_diameter_m']:g} m, "
             f"轮毂 hub {t['hub_height_m']:g} m",
             f"风机数 Turbines: {s['turbines']}  容量 capacity {s['capacity_kw']:,.0f} kW  "
             f"空气密度 air density {s['air_density_kg_m3']:.3f} kg/m³",
             f"发电量 AEP: 毛 gross {s['gross_aep_mwh']:,.1f} MWh/yr, 净 net {s['aep_mwh']:,.1f} MWh/yr "
             f"(尾流损失 wake loss {s['wake_loss_pct']:.2f}%, {s['wake_model']})",
             f"容量系数 Capacity factor: {s['cf']:.3f}  "
             f"等效满发小时 full-load hours {s['full_load_hours']:,.0f} h"]
    if s.get("max_noise_dba") is not None:
        lines.append(f"敏感点 Receptors: {s['receptors']}  最大噪声 max noise {s['max_noise_dba']:.1f} dB(A)")
    kinds = s.get("violations_by_kind") or {}
    lines.append(f"违规 Violations: {s['violations']}" + (
        "  (" + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")" if kinds else ""))
    for row in (s.get("violation_rows") or [])[:8]:
        lines.append(f"  ! {row['turbine']}: {row['message_zh']}\n    {row['message_en']}")
    notes = [p for p in s.get("problems", []) if p["level"] != "info"]
    lines += [f"  ! {p['zh']}\n    {p['en']}" for p in notes]
    return lines


def run_wind(args, progress: Progress = NO_PROGRESS) -> int:
    from app.cli_support import EXIT_OK, emit
    from app.outputs import write_gpkg, write_json
    from gis.wind.farm import WindSettings, run_wind_farm
    from gis.wind.turbines import library_table, load_turbine, turbine_names, windpowerlib_version
    from gis.wind.wakes import WakeSettings

    if args.list_turbines:
        lib = library_table()
        lines = ["内置曲线 Bundled curves: "
                 f"{', '.join(n for n in turbine_names() if n not in set(lib.turbine_type))}",
                 f"windpowerlib {windpowerlib_version()} ({len(lib)}):"]
        lines += [f"  {r.turbine_type:<14} {r.rated_kw:>7,.0f} kW  D {r.rotor_diameter_m:g} m  hub "
                  f"{r.hub_heights_m}"
                  for r in lib.itertuples()]
        emit(args, {"bundled": [n for n in turbine_names() if n not in set(lib.turbine_type)],
                    "windpowerlib": lib.to_dict("records")}, lines)
        return EXIT_OK
    if args.turbines is None or args.out is None or args.turbine is None:
        raise InputError("需要风机点位文件、--turbine 和 --out",
                         "Give the turbine points file, --turbine and --out",
                         code="wind.args")
    if args.out.suffix.lower() != ".gpkg":
        raise InputError("--out 应为 .gpkg 文件", "--out must be a .gpkg file", code="wind.out")
    down, cross = _pair(args.spacing, "--spacing")
    progress.report(0.0, "reading")
    turbine = load_turbine(args.turbine, hub_height_m=args.hub_height, rotor_diameter_m=args.rotor_diameter,
                           cut_out_ms=args.cut_out, sound_power_dba=args.sound_power)
    resource = build_resource(args, turbine.hub_height_m)
    pts = _read(args.turbines, args.crs, args.layer)
    layers = {k: _read(getattr(args, k)) for k in ("boundary", "buildings", "roads", "receptors")}
    settings = WindSettings(
        wake=WakeSettings(args.wake, jensen_k=args.wake_k, ti=args.ti), density_kg_m3=args.density,
        spacing_downwind_d=down, spacing_crosswind_d=cross, prevailing_deg=args.prevailing,
        setback_buildings_m=args.setback_buildings, setback_roads_m=args.setback_roads,
        setback_boundary_m=args.setback_boundary, noise=not args.no_noise, noise_class=args.noise_class,
        noise_ground=args.noise_ground, shadow=args.shadow)
    progress.report(0.1, "computing")
    result = run_wind_farm(pts, turbine, resource, settings=settings, progress=progress.sub(0.1, 0.9),
                           **layers)
    progress.report(0.9, "writing")
    write_gpkg(args.out, result.layers())
    summary = result.summary()
    summary["violation_rows"] = result.violations.drop(columns="geometry").to_dict("records")
    summary["outputs"] = {"gpkg": str(args.out), "json": str(args.out.with_suffix(".json"))}
    write_json(args.out.with_suffix(".json"), summary)
    progress.report(1.0, "done")
    emit(args, summary, [*describe_wind(summary), f"输出 Outputs: {args.out} (+ .json)"])
    return EXIT_OK
