"""``lingtan demo``: the main job on the embedded sample park, headless."""

from __future__ import annotations

import time
from pathlib import Path

from app.algorithms.five_colour_map import FiveColourMap
from app.algorithms.pv_array import PVArray
from app.algorithms.wind import Wind
from app.cmd_report import write_demo_report
from app.energy_outputs import write_energy_outputs
from app.exports import export_demo
from app.exports.export_all import result_layers
from app.exports.tables import write_geopackage
from app.intensity_map import map_style, render_png
from app.outputs import write_json, write_text
from app.park_account import balance_sheets, describe_balance
from app.park_energy import DEMO_TARIFF, add_park_energy
from app.pv import describe_pv
from app.results import AnalysisOptions, add_demo_siting, run_park_analyses
from app.summaries import BuildingFacts, ParkSummary
from app.xlsx import write_xlsx
from gis.park import load_sample_park
from gis.progress import NO_PROGRESS, Progress
from layers.style_export import graduated_qml, graduated_sld


def run_demo(out_dir: Path, progress: Progress = NO_PROGRESS) -> dict:
    """Load the sample park through the user readers, validate and project it, estimate its
    rooftop PV (built-in climatology for the site, neighbour shading), account its emissions,
    green-space sinks, carbon balance, scenarios and national indicators, and write
    ``summary.json``, ``park.gpkg`` (with layers ``rooftop_pv``, ``green_sinks``,
    ``tree_sinks``, ``township_intensity``, the demo's ground PV array ``pv_array_*`` and wind
    ``turbines``), ``carbon.xlsx``, the five-colour township map (``township_intensity.png``,
    ``.qml``, ``.sld``) and the Chinese PDF report ``report.pdf`` into ``out_dir``. Returns the
    summary."""
    t0 = time.perf_counter()
    park = load_sample_park(progress.sub(0.0, 0.2))
    results = run_park_analyses(park, AnalysisOptions(), progress.sub(0.2, 0.8))
    add_demo_siting(results, progress.sub(0.8, 0.86))
    add_park_energy(results, tariff_key=DEMO_TARIFF, progress=progress.sub(0.86, 0.88))
    summary, account, pv, towns = results.summary, results.account, results.pv, results.intensity
    progress.report(0.88, "writing park.gpkg, carbon.xlsx, maps, report.pdf")
    # styled as everywhere (rooftop_pv gains kwh_per_m2, the field its style classifies on), with a
    # QGIS layer_styles table so that QGIS opens each layer styled
    styled = result_layers(results)
    write_geopackage(out_dir / "park.gpkg", {lyr.name: lyr.gdf for lyr in styled},
                     {lyr.name: lyr.style for lyr in styled})
    write_xlsx(out_dir / "carbon.xlsx", balance_sheets(account, pv))
    label = "name" if "name" in towns.layer.columns else None
    style = map_style(towns, label_field=label)
    write_text(out_dir / "township_intensity.qml", graduated_qml(style))
    write_text(out_dir / "township_intensity.sld", graduated_sld(style, "township_intensity"))
    render_png(towns, out_dir / "township_intensity.png", label_field=label)
    if results.energy is not None:
        write_energy_outputs(results.energy, out_dir / "energy.xlsx", summary.get("energy"))
    report = write_demo_report(results, out_dir, progress=progress.sub(0.92, 0.99))
    summary["outputs"] = {"summary": str(out_dir / "summary.json"),
                          "park_gpkg": str(out_dir / "park.gpkg"),
                          "carbon_xlsx": str(out_dir / "carbon.xlsx"),
                          "intensity_png": str(out_dir / "township_intensity.png"),
                          "intensity_qml": str(out_dir / "township_intensity.qml"),
                          "intensity_sld": str(out_dir / "township_intensity.sld"),
                          "report_pdf": str(report)}
    if results.energy is not None:
        summary["outputs"]["energy_xlsx"] = str(out_dir / "energy.xlsx")
    summary["outputs"].update(export_demo(results, out_dir))
    summary["elapsed_s"] = round(time.perf_counter() - t0, 2)
    write_json(out_dir / "summary.json", summary)
    progress.report(1.0, "done")
    return summary


def describe(summary: dict | ParkSummary) -> list[str]:
    """Short human summary lines (Chinese / English) of a run's summary (JSON dict or typed)."""
    s = ParkSummary.from_dict(summary)
    f = s.facts
    p, b = s.park, f.buildings or BuildingFacts()
    lines = [
        f"园区 Park: {p.name}  面积 area {p.area_km2:.2f} km² ({p.area_mu:.0f} 亩 mu), "
        f"坐标系 CRS {p.work_crs}",
        f"建筑 Buildings: {b.count}  占地 footprint {b.footprint_m2 / 1e4:.1f} ha  "
        f"屋顶 roof {b.roof_m2 / 1e4:.1f} ha  建筑密度 coverage {b.building_coverage_pct}%",
    ]
    if f.green is not None:
        g = f.green
        kinds = ", ".join(f"{k} {v / 1e4:.1f} ha" for k, v in g.area_m2_by_type.items())
        lines.append(f"绿地 Green: {g.total_m2 / 1e4:.1f} ha ({g.green_ratio_pct}%): {kinds}")
    if f.townships is not None:
        lines.append(f"乡镇街道 Townships: {f.townships['count']}")
    if f.enterprises is not None:
        e = f.enterprises
        lines.append(f"企业 Enterprises: {e['count']}  年份 years {e['years']}")
    if s.pv is not None:
        lines += describe_pv(s.pv.to_dict())
    if s.carbon is not None:
        c = s.carbon
        base = c.scenarios[0]
        t, m = base.lines, base.metrics
        lines.append(f"排放 Emissions {c.balance.year}: {t.gross_t_co2:,.0f} tCO2 (范围一 scope 1 "
                     f"{t.scope1_t_co2:,.0f}; 范围二 scope 2 {t.scope2_t_co2:,.0f}), "
                     f"{m.energy_tce:,.0f} tce")
        lines.append(f"碳汇 Sinks: {c.sinks_t_co2_yr:,.0f} tCO2/yr (绿地与行道树 green space, tree rows)")
        lines += describe_balance(c.balance)
    if s.intensity is not None:
        lines += FiveColourMap().describe(s.intensity.to_dict())
    if s.pv_array is not None:
        lines += PVArray().describe(s.pv_array.to_dict())
    if s.wind is not None:
        lines += Wind().describe(s.wind.to_dict())
    energy = summary.get("energy") if isinstance(summary, dict) else s.extra.get("energy")
    if energy:
        from app.energy_outputs import describe_energy

        lines.append("逐时能源平衡 Hour by hour:")
        lines += ["  " + ln for ln in describe_energy(energy)]
    n_prob = len(f.problems or []) + sum(len(i["problems"]) for i in (f.inputs or {}).values())
    lines.append(f"问题 Problems found: {n_prob}")
    out = s.extra.get("outputs", {})
    lines.append(f"输出 Outputs: {out.get('summary')}, {out.get('park_gpkg')}, {out.get('carbon_xlsx')}, "
                 f"{out.get('intensity_png')}, {out.get('report_pdf')}, {out.get('web_map')}, "
                 f"{out.get('shapefile_dir')}/  "
                 f"({s.extra.get('elapsed_s')} s)")
    return lines
