"""The report's chapter on the hourly energy balance (app/report/energy_pages.py): present with its
KPIs when the project has an energy run, absent otherwise; the text read back with pdftotext."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from app.charts import energy_data as ed
from app.summaries import EnergySummary, ParkSummary
from tests.test_energy_charts import synthetic_frame, synthetic_summary

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler) not installed")


def _energy_summary() -> dict:
    frame = synthetic_frame()
    s = synthetic_summary(frame)
    s["charts"] = ed.compact(ed.EnergySeries.from_frame(frame))
    s["sizing"] = {"curve": [{"self_sufficiency_pct": 30.0 + 10 * k, "annual_cost_yuan": 2.5e6 + 1e5 * k * k,
                              "pv_kwp": 1000.0 * k, "wind_kw": 0.0, "battery_kw": 100.0 * k,
                              "battery_kwh": 400.0 * k} for k in range(5)]}
    return s


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_energy_summary_round_trips_in_the_park_summary():
    d = {"park": {"name": "逐时测试园"}, "energy": _energy_summary(), "outputs": {"x": 1}}
    s = ParkSummary.from_dict(d)
    assert isinstance(s.energy, EnergySummary) and s.energy.extra == {}
    assert s.energy.self_sufficiency_pct == d["energy"]["self_sufficiency_pct"]
    assert s.to_dict() == d


@needs_pdftotext
def test_report_has_the_energy_chapter_with_its_kpis(tmp_path):
    from app.report.build import build_report

    frame = synthetic_frame()
    # self-sufficiency by hand: the park uses min(PV + wind, 500 kW) of its own energy each hour
    used = np.minimum(frame["rooftop_pv_kw"] + frame["wind_kw"], 500.0).sum()
    ss_pct = 100.0 * used / (500.0 * 8760)
    onsite = (frame["rooftop_pv_kw"] + frame["wind_kw"]).sum()
    netting_pct = 100.0 * min(onsite, 500.0 * 8760) / (500.0 * 8760)
    summary = {"park": {"name": "逐时测试园"}, "energy": _energy_summary()}
    out = build_report((summary, {}), tmp_path / "r.pdf", contents=False)
    text = _pdf_text(out)
    assert "逐时能源平衡（源网荷储）" in text
    kpi_line = next(line for line in text.splitlines() if line.strip().startswith("自给率"))
    assert f"{ss_pct:.1f}" in kpi_line and f"{netting_pct:.1f}" in kpi_line  # beside the annual netting
    assert "年度净额法" in text and "典型夏季周" in text and "持续曲线" in text
    assert "测试用电价表 test table" in text  # the tariff's source
    assert "1,234,567" in text  # the NPV of the economics table
    assert "容量优化" in text


@needs_pdftotext
def test_english_report_and_no_chapter_without_an_energy_run(tmp_path):
    from app.report.build import build_report

    summary = {"park": {"name": "Test park"}, "energy": _energy_summary()}
    text = _pdf_text(build_report((summary, {}), tmp_path / "en.pdf", lang="en", contents=False))
    assert "Hour by hour: sources, grid, load and storage" in text and "Self-sufficiency" in text
    assert "Typical summer week" in text
    bare = _pdf_text(build_report(({"park": {"name": "Test park"}}, {}), tmp_path / "none.pdf", lang="en",
                                  contents=False))
    assert "Hour by hour" not in bare
