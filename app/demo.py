"""``lingtan demo``: the main job on the embedded sample park, headless."""

from __future__ import annotations

import time
from pathlib import Path

from app.outputs import write_gpkg, write_json
from app.pv import describe_pv, result_layer
from gis.park import load_sample_park, summarise_park
from gis.progress import NO_PROGRESS, Progress
from gis.solar.rooftop import PVSettings, rooftop_pv, site_lonlat
from gis.solar.site_weather import site_weather


def run_demo(out_dir: Path, progress: Progress = NO_PROGRESS) -> dict:
    """Load the sample park through the user readers, validate and project it, estimate its
    rooftop PV (built-in climatology for the site, neighbour shading), and write
    ``summary.json`` and ``park.gpkg`` (with layer ``rooftop_pv``) into ``out_dir``.
    Returns the summary."""
    t0 = time.perf_counter()
    park = load_sample_park(progress.sub(0.0, 0.3))
    summary = summarise_park(park)
    lon, lat = site_lonlat(park.buildings)
    weather = site_weather(lon, lat)
    pv = rooftop_pv(park.buildings, weather, PVSettings(), progress.sub(0.3, 0.85))
    summary["pv"] = pv.summary()
    progress.report(0.9, "writing park.gpkg")
    write_gpkg(out_dir / "park.gpkg", {**park.layers(), "rooftop_pv": result_layer(pv)})
    summary["outputs"] = {"summary": str(out_dir / "summary.json"),
                          "park_gpkg": str(out_dir / "park.gpkg")}
    summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
    write_json(out_dir / "summary.json", summary)
    progress.report(1.0, "done")
    return summary


def describe(summary: dict) -> list[str]:
    """Short human summary lines (Chinese / English)."""
    p, b = summary["park"], summary["buildings"]
    lines = [
        f"园区 Park: {p['name']}  面积 area {p['area_km2']:.2f} km² ({p['area_mu']:.0f} 亩 mu), "
        f"坐标系 CRS {p['work_crs']}",
        f"建筑 Buildings: {b['count']}  占地 footprint {b['footprint_m2'] / 1e4:.1f} ha  "
        f"屋顶 roof {b['roof_m2'] / 1e4:.1f} ha  建筑密度 coverage {b['building_coverage_pct']}%",
    ]
    if "green" in summary:
        g = summary["green"]
        kinds = ", ".join(f"{k} {v / 1e4:.1f} ha" for k, v in g["area_m2_by_type"].items())
        lines.append(f"绿地 Green: {g['total_m2'] / 1e4:.1f} ha ({g['green_ratio_pct']}%): {kinds}")
    if "townships" in summary:
        lines.append(f"乡镇街道 Townships: {summary['townships']['count']}")
    if "enterprises" in summary:
        e = summary["enterprises"]
        lines.append(f"企业 Enterprises: {e['count']}  年份 years {e['years']}")
    if "pv" in summary:
        lines += describe_pv(summary["pv"])
    n_prob = len(summary.get("problems", [])) + sum(
        len(i["problems"]) for i in summary.get("inputs", {}).values())
    lines.append(f"问题 Problems found: {n_prob}")
    out = summary.get("outputs", {})
    lines.append(f"输出 Outputs: {out.get('summary')}, {out.get('park_gpkg')}  "
                 f"({summary.get('elapsed_s')} s)")
    return lines
