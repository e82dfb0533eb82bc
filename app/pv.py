"""``lingtan pv``: rooftop PV potential of a buildings file (and the demo's PV step)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from app.outputs import write_gpkg, write_json
from gis.crs import metric_frame
from gis.io.raster import read_surface
from gis.park import prepare_buildings
from gis.progress import NO_PROGRESS, Progress
from gis.solar import site_weather as weather_source
from gis.solar.layout import BREAKDOWN_COLUMNS
from gis.solar.rooftop import RESULT_COLUMNS, PVSettings, RooftopResult, rooftop_pv, site_lonlat

KEEP_INPUT_COLUMNS = ("bldg_id", "source_fid", "part", "name", "名称", "use", "use_class", "height_m",
                      "height_source", "floors", "roof_type", "roof_slope_deg", "footprint_m2")


def project_buildings(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Buildings in their metric CRS (:func:`gis.crs.metric_frame`: theirs when it keeps areas
    within 1% here, else the local CGCS2000 3° zone; Web Mercator is always reprojected)."""
    return metric_frame(gdf, what_zh="建筑图层", what_en="The buildings layer")


def site_rooftop_pv(buildings: gpd.GeoDataFrame, settings: PVSettings, *, weather_path: Path | None = None,
                    allow_network: bool = False, fix_time_base: bool = False, dsm_path: Path | None = None,
                    altitude_m: float | None = None, restore_components: bool = True, grid=None,
                    progress: Progress = NO_PROGRESS) -> RooftopResult:
    """The one weather → rooftop PV → grid factor chain (``lingtan pv``, the park's account, the
    GUI): the weather for the site of prepared, metric ``buildings``, the optional DSM, the PV job,
    and the avoided CO2 with ``grid`` (a :class:`~gis.grid_factors.GridFactor`, e.g. the factor
    set's electricity factor so that PV and the park's emissions use one factor) or else the
    settings' ``grid_factor_key``."""
    progress.report(0.0, "weather")
    lon, lat = site_lonlat(buildings)
    weather = weather_source.site_weather(lon, lat, weather_path=weather_path, allow_network=allow_network,
                           fix_time_base=fix_time_base, altitude_m=altitude_m,
                           restore_components=restore_components)
    # only the DSM's pixels within the shading reach of the buildings: a city-wide DSM fits
    dsm = read_surface(dsm_path, bounds=tuple(buildings.total_bounds), bounds_crs=buildings.crs,
                       margin_m=settings.shading_distance_m) if dsm_path is not None else None
    progress.report(0.05, "rooftop PV")
    result = rooftop_pv(buildings, weather, settings, progress.sub(0.05, 1.0), dsm=dsm)
    return result.with_grid_factor(grid) if grid is not None else result


def run_rooftop(buildings: gpd.GeoDataFrame, settings: PVSettings, *, weather_path: Path | None = None,
                allow_network: bool = False, fix_time_base: bool = False, dsm_path: Path | None = None,
                altitude_m: float | None = None, restore_components: bool = True,
                progress: Progress = NO_PROGRESS) -> RooftopResult:
    """Project and prepare ``buildings`` (any CRS), then :func:`site_rooftop_pv`."""
    progress.report(0.0, "preparing buildings")
    prepared, problems = prepare_buildings(project_buildings(buildings))
    result = site_rooftop_pv(prepared, settings, weather_path=weather_path, allow_network=allow_network,
                             fix_time_base=fix_time_base, dsm_path=dsm_path, altitude_m=altitude_m,
                             restore_components=restore_components, progress=progress.sub(0.05, 1.0))
    result.problems[:0] = problems
    return result


def result_layer(result: RooftopResult) -> gpd.GeoDataFrame:
    """The per-building layer written to files: identifying input fields + RESULT_COLUMNS."""
    b = result.buildings
    keep = [c for c in KEEP_INPUT_COLUMNS if c in b.columns and c not in RESULT_COLUMNS]
    out = gpd.GeoDataFrame(b[keep + RESULT_COLUMNS].copy(), geometry=b.geometry.array, crs=b.crs)
    out["nea_ok"] = pd.array(out["nea_ok"].to_list(), dtype="boolean")
    out["shade_loss_pct"] = out["shade_loss_pct"].astype(float)
    for col in ("usable_m2", "roof_m2", *BREAKDOWN_COLUMNS, "kwp", "kwh_yr", "kwh_per_kwp", "t_co2_yr", "gcr",
                "install_share",
                *[c for c in RESULT_COLUMNS if c.startswith("kwh_m")]):
        out[col] = out[col].astype(float).round(3)
    return out


def write_pv(out_path: Path, result: RooftopResult) -> dict:
    """Write OUT.gpkg (layer ``rooftop_pv``) and OUT.json beside it; return the summary."""
    summary = result.summary()
    summary["outputs"] = {"gpkg": str(out_path), "json": str(out_path.with_suffix(".json"))}
    write_gpkg(out_path, {"rooftop_pv": result_layer(result)})
    write_json(out_path.with_suffix(".json"), summary)
    return summary


def describe_pv(s: dict) -> list[str]:
    """Short Chinese/English summary lines of a PV summary."""
    lines = [
        f"屋顶光伏 Rooftop PV: {s['buildings_with_pv']}/{s['buildings']} 栋建筑 buildings, "
        f"{s['modules']} 块组件 modules ({s['module_w']:g} W), 装机 capacity {s['mwp']:.2f} MWp",
        f"年发电量 Yield: {s['gwh_yr']:.2f} GWh/yr ({s['kwh_per_kwp']:.0f} kWh/kWp, "
        f"{s['wp_per_roof_m2']:.0f} Wp/m² 屋顶 roof), 遮挡损失 shading loss "
        + (f"{s['shade_loss_pct']:.1f}%" if s["shading"] else "未计算 not computed")
        + (f" ({s['shade_unknown_buildings']} 栋无高度未计 buildings without height not assessed)"
           if s["shading"] and s.get("shade_unknown_buildings") else ""),
        f"减排 Avoided: {s['t_co2_yr']:.0f} tCO2/yr ({s['grid_factor']['label']})",
        f"气象 Weather: {s['weather_source']} (GHI {s['annual_ghi_kwh_m2']:.0f} kWh/m²)",
    ]
    nea = s.get("nea_2021_check", {})
    if nea:
        lines.append("整县屋顶光伏试点最低可安装比例 NEA 2021 minimum installable share: " + "; ".join(
            f"{v['name_zh']} {k} ≥{v['min_share']:.0%}: {v['meeting']}/{v['buildings']} 栋达标 meet "
            f"(合计 overall {v['install_share']:.0%})" for k, v in nea.items()))
    warn = [p for p in s.get("problems", []) if p["level"] != "info"]
    if warn:
        lines.append(f"注意 Warnings ({len(warn)}):")
        lines += [f"  ! {p['zh']}\n    {p['en']}" for p in warn[:8]]
    return lines
