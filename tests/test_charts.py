"""layers/charts.py: nice ticks, number format, bar/line/month/balance charts measured in pixels."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter, QPdfWriter

from layers import charts
from layers.render import ensure_gui_app

BLUE, ORANGE = "#0072b2", "#e69f00"  # PALETTE[0], PALETTE[1] (Okabe-Ito)


@pytest.fixture(scope="module", autouse=True)
def app():
    return ensure_gui_app()


def _image(w=600, h=400, dpi=96.0) -> QImage:
    img = QImage(w, h, QImage.Format.Format_ARGB32_Premultiplied)
    img.setDotsPerMeterX(round(dpi / 0.0254))
    img.setDotsPerMeterY(round(dpi / 0.0254))
    img.fill(QColor("#ffffff"))
    return img


def _draw(fn, *args, w=600, h=400, dpi=96.0, **kw):
    img = _image(w, h, dpi)
    p = QPainter(img)
    try:
        geo = fn(p, QRectF(0, 0, w, h), *args, **kw)
    finally:
        p.end()
    return img, geo


def _pixels(img: QImage) -> np.ndarray:
    """(h, w) array of '#rrggbb' strings — slow but plain; images here are small."""
    img = img.convertToFormat(QImage.Format.Format_RGB32)
    buf = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    bgra = buf[:, : img.width() * 4].reshape(img.height(), img.width(), 4)
    return (bgra[..., 2].astype(np.int64) << 16) | (bgra[..., 1].astype(np.int64) << 8) | bgra[..., 0]


def _code(hex_colour: str) -> int:
    return int(hex_colour.lstrip("#"), 16)


def _run(mask_col: np.ndarray) -> tuple[int, int]:
    """(first row, number of rows) of the True pixels of a column."""
    rows = np.flatnonzero(mask_col)
    assert rows.size, "colour not found in the column"
    return int(rows[0]), int(rows.size)


# ---- numbers -----------------------------------------------------------------------------------

def test_nice_ticks_follow_one_two_five():
    # Heckbert: range 87 → nice 100, step nice(100/5 = 20) = 20
    assert charts.nice_ticks(0, 87) == [0, 20, 40, 60, 80, 100]
    # range 0.34 → 0.5, step nice(0.1) = 0.1, ends on ticks
    assert charts.nice_ticks(0, 0.34) == pytest.approx([0, 0.1, 0.2, 0.3, 0.4])
    # negative and positive: range 10,300 → 20,000, step nice(4,000) = 5,000
    assert charts.nice_ticks(-2300, 8000) == [-5000, 0, 5000, 10000]
    assert charts.nice_ticks(0, 0) == [0, 1]
    assert charts.nice_ticks(0, 1_234_567) == [0, 500_000, 1_000_000, 1_500_000]
    for lo, hi in [(0, 3.3), (0, 77_777), (-12, 0), (5, 930)]:
        t = np.array(charts.nice_ticks(lo, hi))
        step = t[1] - t[0]
        mantissa = step / 10 ** np.floor(np.log10(step))
        assert round(mantissa, 6) in (1, 2, 5)
        assert t[0] <= lo and t[-1] >= hi and np.allclose(np.diff(t), step)


def test_number_format_has_thousands_separators():
    assert charts.format_number(1234567.8) == "1,234,568"
    assert charts.format_number(0.25, 2) == "0.25"
    assert charts.format_number(-1500) == "−1,500"
    assert charts.format_number(float("nan")) == "–"
    assert charts.format_number(-0.0001) == "0"
    assert charts.tick_decimals(0.1) == 1 and charts.tick_decimals(0.05) == 2
    assert charts.tick_decimals(20) == 0


def test_month_labels():
    assert charts.month_labels("zh")[0] == "1月" and charts.month_labels("zh")[11] == "12月"
    assert charts.month_labels("en")[:3] == ("Jan", "Feb", "Mar")


# ---- bars measured in pixels -------------------------------------------------------------------

def test_bar_heights_in_pixels():
    # values 50 and 100 on a 0–100 axis: bar 100 spans the plot height, bar 50 half of it
    img, geo = _draw(charts.bar_chart, ["甲", "乙"], [50, 100], title="测试", unit="tCO₂")
    assert geo.ticks == [0, 20, 40, 60, 80, 100]
    px = _pixels(img) == _code(BLUE)
    b50, b100 = geo.bars
    top50, h50 = _run(px[:, int(b50.rect.center().x())])
    top100, h100 = _run(px[:, int(b100.rect.center().x())])
    assert abs(h100 - geo.plot.height()) <= 1.5
    assert abs(h50 - h100 / 2) <= 1.5
    assert abs((top50 + h50) - (top100 + h100)) <= 1  # both stand on the zero line
    assert abs(top100 - geo.plot.top()) <= 1


def test_grouped_and_stacked_bars():
    img, geo = _draw(charts.bar_chart, ["A"], {"s1": [30], "s2": [20]}, stacked=True)
    px = _pixels(img)
    assert geo.ticks[-1] == 50  # stack total 50 → axis 0–50
    x = int(geo.bars[0].rect.center().x())
    top1, h1 = _run(px[:, x] == _code(BLUE))
    top2, h2 = _run(px[:, x] == _code(ORANGE))
    assert abs(h1 - 0.6 * geo.plot.height()) <= 1.5 and abs(h2 - 0.4 * geo.plot.height()) <= 1.5
    assert abs(top2 + h2 - top1) <= 1  # s2 sits on top of s1
    # grouped: side by side, the same value axis for both
    img, geo = _draw(charts.bar_chart, ["A", "B"], {"s1": [10, 40], "s2": [20, 30]})
    assert geo.ticks == [0, 10, 20, 30, 40]
    r = {(b.series, b.index): b.rect for b in geo.bars}
    assert r[("s1", 0)].right() <= r[("s2", 0)].left() + 0.01
    assert abs(r[("s1", 1)].height() - 4 * r[("s1", 0)].height()) <= 1e-6


def test_horizontal_bars_measure_along_x():
    img, geo = _draw(charts.bar_chart, ["制造业", "物流"], {"排放": [25, 100]}, horizontal=True,
                     value_labels=True, unit="tCO₂")
    px = _pixels(img) == _code(BLUE)
    y25, y100 = (int(b.rect.center().y()) for b in geo.bars)
    _, w25 = _run(px[y25, :])
    _, w100 = _run(px[y100, :])
    assert abs(w100 - geo.plot.width()) <= 1.5 and abs(w25 - w100 / 4) <= 1.5


def test_negative_values_hang_below_zero():
    _img, geo = _draw(charts.bar_chart, ["A", "B"], [-20, 40])
    assert geo.ticks[0] < 0 < geo.ticks[-1]
    neg, pos = geo.bars
    zero = geo.value_to_px(0)
    assert abs(neg.rect.top() - zero) < 1e-6 and abs(pos.rect.bottom() - zero) < 1e-6
    assert abs(neg.rect.height() - pos.rect.height() / 2) < 1e-6


def test_sizes_follow_device_dpi():
    # the same chart at 4 × the dpi in a 4 × larger image is the same drawing scaled by 4
    _, g1 = _draw(charts.bar_chart, ["煤", "电"], {"a": [5, 9]}, title="T", unit="t", w=400, h=300)
    _, g4 = _draw(charts.bar_chart, ["煤", "电"], {"a": [5, 9]}, title="T", unit="t", w=1600, h=1200,
                  dpi=384)
    for a, b in [(g1.plot.left(), g4.plot.left()), (g1.plot.top(), g4.plot.top()),
                 (g1.plot.width(), g4.plot.width()), (g1.plot.height(), g4.plot.height())]:
        assert b == pytest.approx(4 * a, rel=0.05, abs=4)


def test_monthly_chart_twelve_values():
    vals = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]
    _img, geo = _draw(charts.monthly_chart, vals, unit="MWh", lang="zh")
    # range 120 → nice 200, step nice(40) = 50: axis 0–150
    assert len(geo.bars) == 12 and geo.ticks == [0, 50, 100, 150]
    assert geo.bars[5].rect.height() == pytest.approx(0.4 * geo.plot.height())  # 60 of 150
    with pytest.raises(ValueError):
        _draw(charts.monthly_chart, vals[:11])
    _img, geo = _draw(charts.monthly_chart, {"a": vals}, kind="line", lang="en")
    pts = geo.points["a"]
    assert len(pts) == 12
    assert pts[0].y() - pts[11].y() == pytest.approx((120 - 10) / 150 * geo.plot.height())


def test_balance_waterfall_bars():
    steps = [("总排放", 100.0), ("屋顶光伏", -20.0), ("绿电", -30.0), ("碳汇", -10.0)]
    img, geo = _draw(charts.balance_chart, steps, unit="tCO₂/年", title="碳平衡")
    assert [b.series for b in geo.bars] == ["total", "down", "down", "down", "net"]
    gross, pv, green, sink, net = (b.rect for b in geo.bars)
    assert geo.bars[-1].value == pytest.approx(40.0)
    h = geo.plot.height()  # axis 0–100
    assert gross.height() == pytest.approx(h) and net.height() == pytest.approx(0.4 * h)
    assert pv.top() == pytest.approx(gross.top()) and pv.height() == pytest.approx(0.2 * h)
    assert green.top() == pytest.approx(pv.bottom()) and green.height() == pytest.approx(0.3 * h)
    assert sink.bottom() == pytest.approx(net.top())
    px = _pixels(img)
    _, hpx = _run(px[:, int(net.center().x())] == _code(charts.BALANCE_COLOURS["net"]))
    _, gpx = _run(px[:, int(gross.center().x())] == _code(charts.BALANCE_COLOURS["total"]))
    assert abs(hpx - 0.4 * gpx) <= 1.5


def test_balance_net_below_zero():
    _img, geo = _draw(charts.balance_chart, [("总排放", 50.0), ("绿电", -80.0)], lang="en")
    net = geo.bars[-1]
    assert net.value == pytest.approx(-30.0) and net.series == "net"
    assert net.rect.top() == pytest.approx(geo.value_to_px(0))


def test_pie_and_empty_charts_draw():
    img, _geo = _draw(charts.pie_chart, ["煤", "电", "无"], [1, 3, 0], donut=True, unit="t")
    px = _pixels(img)
    assert (px == _code(BLUE)).sum() > 0 and (px == _code(ORANGE)).sum() > 0
    empty = [(charts.bar_chart, ([], {})), (charts.balance_chart, ([],)), (charts.pie_chart, ([], []))]
    for fn, args in empty:
        _draw(fn, *args)  # "no data", no exception


def test_chart_in_pdf_has_selectable_chinese(tmp_path):
    path = tmp_path / "chart.pdf"
    writer = QPdfWriter(str(path))
    writer.setResolution(1200)
    p = QPainter(writer)
    w, h = writer.width(), writer.height()
    charts.bar_chart(p, QRectF(0, 0, w, h / 2), ["天然气", "电力"], {"排放": [8000, 45000]},
                     title="分燃料排放", unit="tCO₂", value_labels=True)
    p.end()
    assert path.stat().st_size > 1000
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    # Qt's ToUnicode maps a glyph shared by a Kangxi radical and an ideograph (⽓ U+2F53 / 气 U+6C14)
    # to the radical; the report fixes that (app/report), a bare QPdfWriter does not: compare NFKC
    text = unicodedata.normalize("NFKC", text)
    assert "分燃料排放" in text and "天然气" in text and "45,000" in text
