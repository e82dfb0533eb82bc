"""The Trends panel (issue #19): the park's energy and CO2 over the years and the carbon-flow Sankey of
one year. A year slider redraws the Sankey of that year and its totals (energy in, tce; gross CO2,
deductions, net, t); hovering a band shows the flow's value and its share of its source's outflow
(:meth:`app.charts.sankey_chart.SankeyGeometry.link_at`). Below, the stacked trend chart with
toggles by fuel / by sector and tce / CO2 (:func:`app.charts.trend_chart.trend_chart`, the same
drawing as the PDF report).

It reads ``summary["trends"]`` of the workspace (Run All and the demo add it, :mod:`app.park_trends`;
a run of the ``trends`` algorithm lands under the same key with the Sankey of one year), so a
reopened project shows it without the energy table.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.charts.energy_tables import number
from app.charts.sankey_chart import sankey_chart
from app.charts.trend_chart import trend_chart
from app.gui.dashboard import ChartWidget
from app.gui.i18n import ui_lang
from app.gui.result_panel import FollowsSummarySection, offer_behind_dashboard, scrolled_page
from app.park_trends import sankey_of, sankey_totals

SECTION = "trends"


def tr(text: str) -> str:
    return QCoreApplication.translate("TrendsPanel", text)


class _HoverChart(ChartWidget):
    """A chart that reports the mouse position (widget pixels) to ``on_hover(x, y, global_pos)``."""

    def __init__(self, draw, on_hover, height: int) -> None:
        super().__init__(draw, height=height)
        self._on_hover = on_hover
        self.setMouseTracking(True)

    def mouseMoveEvent(self, event) -> None:
        p = event.position()
        self._on_hover(p.x(), p.y(), event.globalPosition().toPoint())
        super().mouseMoveEvent(event)


class TrendsPanel(FollowsSummarySection, QWidget):
    """``set_summary(section)`` shows a ``summary["trends"]`` dict; ``set_year(y)`` moves the slider.
    ``values``: ``year, energy_tce, gross_t_co2, deductions_t_co2, net_t_co2`` of the Sankey shown
    (for tests and copying). Signal ``has_result`` when a section is shown."""

    has_result = Signal()

    SECTION = SECTION

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trends_panel")
        self.section: dict = {}
        self.years: list[int] = []
        self.sankey = None
        self.values: dict[str, float] = {}
        self.hover_text = ""
        self.workspace = None
        self._unsubscribe = None

        self.title = QLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        f.setBold(True)
        self.title.setFont(f)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet("color: #606060;")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #606060; padding: 12px;")

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("trends_year_slider")
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.valueChanged.connect(self._on_slider)
        self.year_label = QLabel()
        self.year_label.setMinimumWidth(60)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.hover = QLabel()
        self.hover.setWordWrap(True)
        self.hover.setStyleSheet("color: #404040;")
        self.chart_sankey = _HoverChart(self._draw_sankey, self._on_hover, height=340)

        self.by_group, self.by_buttons = self._toggle(("fuel", "sector"))
        self.q_group, self.q_buttons = self._toggle(("tce", "t_co2"))
        self.chart_trend = ChartWidget(self._draw_trend, height=300)

        year_row = QHBoxLayout()
        self.year_caption = QLabel()
        year_row.addWidget(self.year_caption)
        year_row.addWidget(self.slider, 1)
        year_row.addWidget(self.year_label)
        # the grouping and the quantity on two rows: on one they were wider than a narrow dock
        toggles = QVBoxLayout()
        for buttons in (self.by_buttons, self.q_buttons):
            row = QHBoxLayout()
            for b in buttons:
                row.addWidget(b)
            row.addStretch(1)
            toggles.addLayout(row)

        self.content = QWidget()
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.subtitle,):
            lay.addWidget(w)
        lay.addLayout(year_row)
        lay.addWidget(self.totals)
        lay.addWidget(self.chart_sankey)
        lay.addWidget(self.hover)
        lay.addLayout(toggles)
        lay.addWidget(self.chart_trend)
        lay.addStretch(1)
        scrolled_page(self, self.title, self.empty, self.content)
        self.retranslate_ui()

    def _toggle(self, keys: tuple[str, ...]) -> tuple[QButtonGroup, list[QToolButton]]:
        """Exclusive checkable buttons, the first checked; a click redraws the trend chart."""
        group = QButtonGroup(self)
        buttons = []
        for i, key in enumerate(keys):
            b = QToolButton()
            b.setCheckable(True)
            b.setChecked(i == 0)
            b.setProperty("key", key)
            b.setObjectName(f"trends_{key}")
            group.addButton(b, i)
            buttons.append(b)
        group.idClicked.connect(lambda _i: self.chart_trend.update())
        return group, buttons

    # -- state -------------------------------------------------------------------------------------
    @property
    def by(self) -> str:
        return str(self.by_group.checkedButton().property("key"))

    @property
    def quantity(self) -> str:
        return str(self.q_group.checkedButton().property("key"))

    def set_by(self, by: str, quantity: str | None = None) -> None:
        """Choose the trend chart's grouping ("fuel"/"sector") and quantity ("tce"/"t_co2")."""
        for b in self.by_buttons:
            b.setChecked(b.property("key") == by)
        for b in self.q_buttons:
            if quantity is not None:
                b.setChecked(b.property("key") == quantity)
        self.chart_trend.update()

    def set_summary(self, section: dict | None) -> None:
        """Show a ``summary["trends"]`` section (None: the empty state); the Sankey of the latest
        year."""
        self.section = dict(section or {})
        self.years = [int(y) for y in self.section.get("years") or []]
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(len(self.years) - 1, 0))
        self.slider.setValue(max(len(self.years) - 1, 0))
        self.slider.blockSignals(False)
        self._on_slider(self.slider.value())
        self.retranslate_ui()
        self.chart_trend.update()

    def set_year(self, year: int) -> None:
        """Move the slider to ``year`` (one of the section's years)."""
        self.slider.setValue(self.years.index(int(year)))

    def _on_slider(self, index: int) -> None:
        year = self.years[index] if self.years else None
        self.sankey = sankey_of(self.section, year) if year is not None else None
        self.values = {"year": float(year)} if year is not None else {}
        if self.sankey is not None and not self.sankey.links.empty:
            self.values.update(sankey_totals(self.sankey))
        self.hover_text = ""
        self.hover.setText("")
        self.year_label.setText(str(year) if year is not None else "")
        self._fill_totals()
        self.chart_sankey.update()

    # -- drawing -----------------------------------------------------------------------------------
    def _draw_sankey(self, p, rect, lang):
        if self.sankey is None:
            return None
        return sankey_chart(p, rect, self.sankey, lang, font_pt=7.5)

    def _draw_trend(self, p, rect, lang):
        if not self.years:
            return None
        return trend_chart(p, rect, self.section, lang, by=self.by, quantity=self.quantity, font_pt=7.5)

    def link_text(self, index: int) -> str:
        """"天然气 → 工业：87,904 吨标准煤，占天然气流出 95.1%" for link ``index`` of the Sankey shown."""
        lang = ui_lang()
        row = self.sankey.table(lang).iloc[index]
        unit = tr("tce") if row["unit"] == "tce" else tr("t CO₂")
        return tr("{0} → {1}: {2} {3}, {4}% of what leaves {0}").format(
            row["source_name"], row["target_name"], number(row["value"]), unit,
            number(row["share_of_source_pct"], 1))

    def _on_hover(self, x: float, y: float, global_pos) -> None:
        geo = self.chart_sankey.geometry_info
        i = geo.link_at(x, y) if geo is not None and self.sankey is not None else None
        self.hover_text = self.link_text(i) if i is not None else ""
        self.hover.setText(self.hover_text)
        if self.hover_text:
            QToolTip.showText(global_pos, self.hover_text, self.chart_sankey)
        else:
            QToolTip.hideText()

    # -- text --------------------------------------------------------------------------------------
    def _fill_totals(self) -> None:
        v = self.values
        if "energy_tce" not in v:
            self.totals.setText(tr("No carbon flows for this year.") if self.years else "")
            return
        self.totals.setText(tr("{0}: energy {1} tce · CO₂ of energy use {2} t · deductions {3} t · "
                               "net {4} t").format(int(v["year"]), number(v["energy_tce"]),
                                                   number(v["gross_t_co2"]), number(v["deductions_t_co2"]),
                                                   number(v["net_t_co2"])))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        has = bool(self.years)
        self.title.setText(tr("Energy and CO₂ over the years"))
        self.empty.setText(tr("No trends yet. Run All adds them when the park's energy table has a year "
                              "column; or choose Processing → Carbon → Trends over years."))
        self.empty.setVisible(not has)
        self.content.setVisible(has)
        if has:
            self.subtitle.setText(tr("Years {0}–{1} · baseline {2}").format(
                self.years[0], self.years[-1], self.section.get("baseline_year")))
        self.year_caption.setText(tr("Sankey year"))
        self.year_label.setText(str(self.years[self.slider.value()]) if has else "")
        self.slider.setToolTip(tr("Drag to redraw the carbon flows of another year"))
        for b, text in zip(self.by_buttons, (tr("By fuel"), tr("By sector")), strict=True):
            b.setText(text)
        for b, text in zip(self.q_buttons, (tr("Energy (tce)"), tr("CO₂ (t)")), strict=True):
            b.setText(text)
        self._fill_totals()

    # -- following the workspace -------------------------------------------------------------------


def install_trends_panel(window) -> TrendsPanel:
    """Add the Trends panel to ``window`` (like app.gui.energy_panel.install_energy_panel): its dock
    tabbed with the dashboard, hidden until a result arrives, then shown behind the dashboard."""
    panel = TrendsPanel(window)
    panel.dock = window.add_panel(panel, "trends", Qt.DockWidgetArea.RightDockWidgetArea,
                                  title=lambda: tr("Trends"), tabify_with=window.dock_dashboard,
                                  visible=False, bind=panel.bind)
    panel.has_result.connect(lambda: offer_behind_dashboard(window, panel.dock))
    panel.bind(window.workspace)
    return panel
