"""Small views of the Siting panel: a wind rose and the power curve of the chosen turbine.

Both draw onto any QPainter (a widget, a QImage for tests or a report):

* :func:`draw_wind_rose` — polar bars of the sector frequencies (N up, bearings clockwise, as a
  compass), the energy rose (frequency × E[v³], what decides the prevailing direction and the
  spacing ellipse) as an outline, rings in %, compass labels in the UI language (北/东/南/西).
* :func:`draw_power_curve` — the curve P(v) in kW from 0 m/s to past the cut-out, drawn with
  :func:`layers.charts.line_chart` (the dashboard's and the report's chart code).

:class:`WindRoseView` and :class:`PowerCurveView` are the widgets; :func:`sector_frequencies`
gives what the rose draws (tests check that it sums to 1).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from layers.charts import line_chart, nice_ticks
from layers.fonts import cjk_font

ROSE_FILL = "#1565c0"     # the turbines' blue (layers.presets)
ENERGY_LINE = "#e65100"   # orange outline: the energy rose
GRID = "#b0bec5"
TEXT = "#37474f"
SECTOR_GAP = 0.12          # share of a sector's angle left empty between bars


def tr(text: str) -> str:
    return QCoreApplication.translate("WindViews", text)


def _lang() -> str:
    try:
        from app.gui.i18n import ui_lang

        return "en" if ui_lang() == "en" else "zh"
    except Exception:  # settings not readable: Chinese, the product's default
        return "zh"


def sector_frequencies(climate) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sector centres in degrees clockwise from north, frequency shares summing to 1, energy
    shares summing to 1) of a :class:`gis.wind.resource.WindClimate`."""
    centres = np.asarray(climate.sector_centres_deg(), float)
    freq = np.asarray(climate.sector_freq, float)
    freq = freq / freq.sum() if freq.sum() > 0 else freq
    energy = np.asarray(climate.energy_rose(), float)
    return centres, freq, energy


def _wedge(c: QPointF, r: float, bearing_deg: float, width_deg: float) -> QPainterPath:
    """A pie wedge of radius ``r`` around compass bearing ``bearing_deg`` (clockwise from north)."""
    path = QPainterPath(c)
    box = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
    # Qt angles: counter-clockwise from 3 o'clock; a bearing b is the Qt angle 90 − b
    path.arcTo(box, 90.0 - (bearing_deg + width_deg / 2.0), width_deg)
    path.closeSubpath()
    return path


def _point(c: QPointF, r: float, bearing_deg: float) -> QPointF:
    a = math.radians(bearing_deg)
    return QPointF(c.x() + r * math.sin(a), c.y() - r * math.cos(a))


def draw_wind_rose(painter: QPainter, rect: QRectF, centres_deg, freq, *, energy=None,
                   title: str | None = None, font_pt: float = 8.0) -> QRectF:
    """Polar bars of ``freq`` (shares) at ``centres_deg`` inside ``rect``; ``energy`` (shares) as
    an outline. Returns the rose's bounding square."""
    centres = np.asarray(centres_deg, float)
    f = np.asarray(freq, float)
    painter.save()
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        font = cjk_font(font_pt)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        area = QRectF(rect)
        if title:
            painter.setPen(QColor(TEXT))
            painter.drawText(QRectF(area.left(), area.top(), area.width(), fm.height()),
                             int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                             fm.elidedText(title, Qt.TextElideMode.ElideRight, area.width()))
            area.setTop(area.top() + fm.height() + 2)
        pad = fm.height() + 4  # room for the compass letters
        side = max(min(area.width(), area.height()) - 2 * pad, 10.0)
        c = QPointF(area.center().x(), area.top() + pad + side / 2)
        r_max = side / 2
        square = QRectF(c.x() - r_max, c.y() - r_max, side, side)
        top = float(max(f.max() if f.size else 0.0, (np.max(energy) if energy is not None and len(energy)
                                                       else 0.0)))
        ticks = [t for t in nice_ticks(0.0, top if top > 0 else 1.0, 4) if t > 0]
        scale_top = ticks[-1] if ticks else (top or 1.0)
        # rings and their % labels
        grid = QPen(QColor(GRID), 0.8)
        grid.setCosmetic(True)
        painter.setPen(grid)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for t in ticks:
            r = r_max * t / scale_top
            painter.drawEllipse(c, r, r)
        for b in (0, 90, 180, 270):
            painter.drawLine(c, _point(c, r_max, b))
        # frequency bars
        n = len(f)
        if n:
            width = 360.0 / n * (1.0 - SECTOR_GAP)
            fill = QColor(ROSE_FILL)
            fill.setAlpha(190)
            painter.setBrush(fill)
            edge = QPen(QColor(ROSE_FILL).darker(130), 0.6)
            edge.setCosmetic(True)
            painter.setPen(edge)
            for b, v in zip(centres, f, strict=True):
                if v > 0:
                    painter.drawPath(_wedge(c, r_max * v / scale_top, float(b), width))
        # energy rose outline
        if energy is not None and len(energy) == n and n:
            e = np.asarray(energy, float)
            poly = QPolygonF([_point(c, r_max * v / scale_top, float(b)) for b, v in zip(centres, e,
                                                                                         strict=True)])
            pen = QPen(QColor(ENERGY_LINE), 1.6)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(poly)
        # ring labels (%), along the north-east diagonal
        small = cjk_font(max(font_pt - 1, 5))
        painter.setFont(small)
        painter.setPen(QColor(TEXT))
        for t in ticks:
            p = _point(c, r_max * t / scale_top, 45.0)
            label = f"{t * 100:.0f}%" if t * 100 >= 1 else f"{t * 100:.1f}%"
            painter.drawText(QPointF(p.x() + 2, p.y() - 2), label)
        # compass letters
        painter.setFont(font)
        for b, text in ((0, tr("N")), (90, tr("E")), (180, tr("S")), (270, tr("W"))):
            p = _point(c, r_max + pad / 2, b)
            w = fm.horizontalAdvance(text)
            painter.drawText(QRectF(p.x() - w / 2 - 2, p.y() - fm.height() / 2, w + 4, fm.height()),
                             int(Qt.AlignmentFlag.AlignCenter), text)
        return square
    finally:
        painter.restore()


def draw_power_curve(painter: QPainter, rect: QRectF, turbine, *, font_pt: float = 8.0,
                     lang: str | None = None) -> None:
    """The turbine's power curve (kW over hub-height wind speed, 1 m/s steps up to 2 m/s past the
    cut-out; speed labels every 5 m/s) with :func:`layers.charts.line_chart`."""
    lang = lang or _lang()
    if turbine is None:
        line_chart(painter, rect, [], {}, title=tr("Power curve"), lang=lang, font_pt=font_pt)
        return
    curve = turbine.curve
    top = math.ceil(curve.cut_out_ms) + 2
    speeds = np.arange(0, top + 1, 1.0)
    power = curve.power(speeds)
    cats = [f"{v:g}" if int(v) % 5 == 0 else "" for v in speeds]
    name = tr("Power (kW) at m/s")
    line_chart(painter, rect, cats, {name: power}, title=turbine.name, unit="kW", markers=False,
               legend=False, font_pt=font_pt, lang=lang)


def render_wind_rose(climate, width: int = 240, height: int = 240, title: str | None = None) -> QImage:
    """The rose of ``climate`` drawn into a white QImage (tests, reports)."""
    img = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    try:
        centres, freq, energy = sector_frequencies(climate)
        draw_wind_rose(p, QRectF(0, 0, width, height), centres, freq, energy=energy, title=title)
    finally:
        p.end()
    return img


def render_power_curve(turbine, width: int = 320, height: int = 200) -> QImage:
    img = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("#ffffff"))
    p = QPainter(img)
    try:
        draw_power_curve(p, QRectF(0, 0, width, height), turbine)
    finally:
        p.end()
    return img


class WindRoseView(QWidget):
    """The wind rose of a climate (``set_climate``); the tooltip explains what it shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.climate = None
        self.setMinimumSize(140, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.retranslate_ui()

    def sizeHint(self) -> QSize:
        return QSize(200, 200)

    def set_climate(self, climate) -> None:
        self.climate = climate
        self.update()

    def retranslate_ui(self) -> None:
        self.setToolTip(tr("Wind rose: blue bars = share of the time the wind blows from each sector; "
                           "orange line = share of the wind energy (frequency × mean cube of the speed), "
                           "which sets the prevailing direction of the spacing rule"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            self.update()
        super().changeEvent(event)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        try:
            p.fillRect(self.rect(), QColor("#ffffff"))
            if self.climate is None:
                p.setPen(QColor(TEXT))
                p.drawText(QRectF(self.rect()), int(Qt.AlignmentFlag.AlignCenter),
                           tr("No wind climate (a wind map without directions)"))
                return
            centres, freq, energy = sector_frequencies(self.climate)
            draw_wind_rose(p, QRectF(self.rect()).adjusted(4, 4, -4, -4), centres, freq, energy=energy,
                           title=tr("Wind rose"))
        finally:
            p.end()


class PowerCurveView(QWidget):
    """The power curve of a turbine (``set_turbine``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.turbine = None
        self.setMinimumSize(180, 140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.retranslate_ui()

    def sizeHint(self) -> QSize:
        return QSize(280, 200)

    def set_turbine(self, turbine) -> None:
        self.turbine = turbine
        self.update()

    def retranslate_ui(self) -> None:
        self.setToolTip(tr("Power curve of the chosen turbine at 1.225 kg/m³ (kW over the hub-height wind "
                           "speed, extended to the cut-out)"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
            self.update()
        super().changeEvent(event)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        try:
            p.fillRect(self.rect(), QColor("#ffffff"))
            draw_power_curve(p, QRectF(self.rect()).adjusted(2, 2, -2, -2), self.turbine)
        finally:
            p.end()
