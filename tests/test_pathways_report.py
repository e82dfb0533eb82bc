"""The report's pathway chapters (issue #19): the PDF text (pdftotext) holds each scenario's peak
year as computed by hand, the MACC chapter's total abatement and its measures cheapest first."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
BASE_YEAR = 2024


def _section() -> dict:
    """A one-sector coal park (1,000 tce, 2,660 t CO2) with three scenarios run through the core:
    rise-then-fall (+5 %/yr to 2030, then −10 %/yr of energy), falling from the base year (−3 %/yr
    of energy), rising to 2060 (+2 %/yr); and three measures typed here."""
    from gis.carbon.pathway_base import base_from_rows
    from gis.carbon.pathways import parse_scenario_table, pathways

    rows = pd.DataFrame([{"sector6": "industry", "fuel": "raw_coal", "tce": 1000.0, "t_co2": 2660.0}])
    base = base_from_rows(rows, BASE_YEAR, pd.Series({"industry": 500.0}), grid_kg_co2_per_kwh=0.5,
                          electricity_tce_per_kwh=0.0001229)
    cols = ["scenario", "scenario_zh", "parameter", "sector", "fuel", "period", "value", "unit", "source"]
    table = pd.DataFrame([
        ["hump", "先升后降", "va_growth_pct", "all", "", "2025-2030", 5.0, "%/yr", "手算 A"],
        ["hump", "先升后降", "intensity_decline_pct", "all", "", "2031-2060", 10.0, "%/yr", "手算 A"],
        ["fall", "持续下降", "intensity_decline_pct", "all", "", "2025-2060", 3.0, "%/yr", "手算 B"],
        ["rise", "持续上升", "va_growth_pct", "all", "", "2025-2060", 2.0, "%/yr", "手算 C"],
    ], columns=cols)
    section = pathways(base, parse_scenario_table(table, "test")).summary()
    section["macc"] = [
        {"key": "x", "name_zh": "乙措施", "name_en": "Measure B", "kind": "energy",
         "abatement_t_co2_yr": 300.0,
         "cost_yuan_per_t_co2": 50.0, "annual_cost_yuan": 15000.0, "start_year": 2026, "status": "user",
         "source": "test"},
        {"key": "y", "name_zh": "甲措施", "name_en": "Measure A", "kind": "electricity",
         "abatement_t_co2_yr": 100.0, "cost_yuan_per_t_co2": -300.0, "annual_cost_yuan": -30000.0,
         "start_year": 2026, "status": "user", "source": "test"}]
    return section


def _peaks_by_hand() -> dict[str, int | None]:
    years = np.arange(BASE_YEAR, 2061)
    hump = 2660 * 1.05 ** np.minimum(years - BASE_YEAR, 6) * 0.9 ** np.maximum(years - 2030, 0)
    fall = 2660 * 0.97 ** (years - BASE_YEAR)
    rise = 2660 * 1.02 ** (years - BASE_YEAR)
    out: dict[str, int | None] = {}
    for name, net in (("先升后降", hump), ("持续下降", fall), ("持续上升", rise)):
        i = int(np.argmax(net))
        out[name] = None if i == len(years) - 1 else int(years[i])
    return out


def test_peaks_by_hand():
    assert _peaks_by_hand() == {"先升后降": 2030, "持续下降": 2024, "持续上升": None}


@needs_poppler
def test_report_has_each_scenarios_peak_year_and_the_macc(qapp, tmp_path):
    from app.report.build import build_report

    summary = {"park": {"name": "测试园区"}, "pathways": _section()}
    pdf = build_report((summary, {}), tmp_path / "r.pdf", "zh")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "碳排放路径与情景" in flat and "减排措施与边际减排成本" in flat
    for name, year in _peaks_by_hand().items():
        if year is None:
            assert f"{name}情景2060年前未达峰" in flat
        else:
            assert f"{name}情景于{year}年" in flat
    peak = 2660 * 1.05 ** 6
    assert f"峰值{peak:,.0f}吨CO₂" in flat.replace("CO2", "CO₂")
    # MACC: 100 + 300 t/yr; the cheaper measure (甲, −300 yuan/t) listed before 乙
    assert "2项措施合计减排400吨CO₂/年" in flat.replace("CO2", "CO₂")
    table = flat[flat.index("按成本自低到高"):]
    assert table.index("甲措施") < table.index("乙措施")
    assert "手算A" in flat and "手算C" in flat  # the assumptions' sources


def test_chapters_only_with_a_section(qapp):
    from app.report.build import layout_report

    def titles(summary):
        return [h.text for h in layout_report(summary, {}, "zh", contents=False).headings]

    assert not any("碳排放路径" in t or "边际减排成本" in t for t in titles({"park": {"name": "空"}}))
    with_it = titles({"park": {"name": "有"}, "pathways": _section()})
    assert "碳排放路径与情景" in with_it and "减排措施与边际减排成本" in with_it
