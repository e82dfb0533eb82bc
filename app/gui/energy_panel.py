"""The Energy panel: the project's last hour-by-hour energy run (algorithm ``energy``, 源网荷储).

KPI cards (self-sufficiency with the annual netting beside it, self-consumption, green-power share,
grid import/export and peak, battery cycles, the bill before and after, avoided CO2), a day/week
chart of load, generation, storage and grid with a date selector, the month × hour heatmap, the
duration curves, the economics table and the sizing curve, and "Export hourly table (CSV/Excel)".
Charts are drawn by :mod:`app.charts.energy_charts` (the same code draws the PDF report's figures).

Where the run comes from: a run of the energy algorithm (Processing menu, or Analysis → "Hour-by-hour
energy…") lands through :func:`app.gui.algorithm_dialog.add_result_layers` in the workspace's
summary under ``energy`` and, for this session, in ``workspace.outputs["energy"]`` (the typed
:class:`~app.processing.algorithm.AlgorithmOutput` whose ``result`` is a SystemResult with the hourly
table). The panel then adds the compact chart data (:func:`app.charts.energy_data.compact`) to the
summary, so a saved and reopened project still shows its typical weeks, heatmaps and duration curves
(the full hourly table lives only as long as the session: run again for any other date).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
from PySide6.QtCore import QCoreApplication, QDate, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.charts import energy_charts as ec
from app.charts import energy_data as ed
from app.charts.energy_tables import economics_rows, number
from app.gui.dashboard import ChartWidget
from app.gui.i18n import ui_lang
from app.gui.result_panel import FollowsWorkspace, offer_behind_dashboard

ALGORITHM_ID = "energy"
CARD_KEYS = ("self_sufficiency", "self_consumption", "green_share", "grid_kwh", "grid_peak", "battery",
             "bill", "co2")
DURATION_POINTS_GUI = 2000
"""Points of a duration curve drawn in the panel (a 400 px chart shows 5 per pixel)."""


def tr(text: str) -> str:
    return QCoreApplication.translate("EnergyPanel", text)


def _num(v) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return math.nan
    return f


class EnergyPanel(FollowsWorkspace, QWidget):
    """The last energy run of the workspace. ``set_output(output)`` shows a fresh run,
    ``set_summary(energy_summary)`` a saved one; ``values`` keeps the KPIs shown (machine units,
    NaN when missing) for tests and copying. Signal ``new_run`` when a fresh run arrives."""

    new_run = Signal()
    has_result = Signal()  # a saved or Run-All energy summary is shown (not a run of the dialog)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("energy_panel")
        self.summary: dict = {}
        self.series: ed.EnergySeries | None = None  # the whole run (this session only)
        self.frame: pd.DataFrame | None = None
        self.result = None
        self.values: dict[str, float] = {}
        self.workspace = None
        self._unsubscribe = None
        self._shown_output = None
        self.view_start: np.datetime64 | None = None
        self.view_days = 7
        self._week = "summer"  # the typical week shown when only the compact data are there
        self.open_action = QAction(self)
        self.open_action.setObjectName("act_energy")

        self.title = QLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet("color: #606060;")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #606060; padding: 12px;")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #7a4d00; background: #fff6e0; border: 1px solid #f0d9a8; "
                                 "border-radius: 4px; padding: 6px;")

        self.cards: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for i, key in enumerate(CARD_KEYS):
            grid.addWidget(self._card(key), i // 2, i % 2)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._balance_tab(), "")
        self.heat_quantity = QComboBox()
        for q in ed.HEATMAP_QUANTITIES:
            self.heat_quantity.addItem("", q)
        self.heat_quantity.setCurrentIndex(ed.HEATMAP_QUANTITIES.index("net_kw"))
        self.heat_quantity.currentIndexChanged.connect(lambda _i: self.chart_heatmap.update())
        self.chart_heatmap = ChartWidget(self._draw_heatmap, height=300)
        self.tabs.addTab(self._tab(self.heat_quantity, self.chart_heatmap), "")
        self.chart_duration = ChartWidget(self._draw_duration, height=280)
        self.tabs.addTab(self._tab(self.chart_duration), "")
        self.econ_model = QStandardItemModel(0, 3, self)
        self.econ_table = QTableView()
        self.econ_table.setModel(self.econ_model)
        self.econ_table.verticalHeader().setVisible(False)
        self.econ_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.econ_table.setAlternatingRowColors(True)
        # as tall as its rows: the panel scrolls, not the table inside it
        self.econ_table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.econ_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        hh = self.econ_table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.tariff_note = QLabel()
        self.tariff_note.setWordWrap(True)
        self.tariff_note.setStyleSheet("color: #606060;")
        self.tariff_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs.addTab(self._tab(self.econ_table, self.tariff_note), "")
        self.chart_sizing = ChartWidget(self._draw_sizing, height=280)
        self.tabs.addTab(self._tab(self.chart_sizing), "")

        self.chart_draws = {"balance": (self.chart_balance, self._draw_balance),
                            "heatmap": (self.chart_heatmap, self._draw_heatmap),
                            "duration": (self.chart_duration, self._draw_duration),
                            "sizing": (self.chart_sizing, self._draw_sizing)}
        self.png_actions: list[QAction] = []
        for name, (chart, _draw) in self.chart_draws.items():  # right click: the chart as a PNG
            act = QAction(chart)
            act.triggered.connect(lambda _checked=False, n=name: self.save_chart_dialog(n))
            chart.addAction(act)
            chart.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            self.png_actions.append(act)

        self.export_button = QPushButton()
        self.export_button.setObjectName("energy_export")
        self.export_button.clicked.connect(self.export_dialog)
        self.shapes_button = QPushButton()  # the typical profiles' daily shapes (app.gui.profile_editor)
        self.shapes_button.setObjectName("energy_profile_shapes")
        self.shapes_button.clicked.connect(self.open_profile_editor)

        inner = QWidget()
        inner.setObjectName("energyInner")
        inner.setStyleSheet("#energyInner { background: #ffffff; }")
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(8)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.empty)
        lay.addWidget(self.shapes_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.content = QWidget()
        clay = QVBoxLayout(self.content)
        clay.setContentsMargins(0, 0, 0, 0)
        clay.setSpacing(8)
        clay.addLayout(grid)
        clay.addWidget(self.notes)
        clay.addWidget(self.tabs)
        clay.addWidget(self.export_button)
        lay.addWidget(self.content)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.clear()

    # -- building blocks -------------------------------------------------------------------------
    def _card(self, key: str) -> QFrame:
        frame = QFrame()
        frame.setObjectName("card")
        frame.setStyleSheet("#card { background: #f5f8f6; border: 1px solid #dde5df; border-radius: 4px; }")
        caption, value, note = QLabel(), QLabel("–"), QLabel()
        caption.setStyleSheet("color: #505a55;")
        vf = value.font()
        vf.setPointSizeF(vf.pointSizeF() * 1.3)
        vf.setBold(True)
        value.setFont(vf)
        note.setStyleSheet("color: #707a75;")
        note.setWordWrap(True)
        box = QVBoxLayout(frame)
        box.setContentsMargins(8, 5, 8, 5)
        box.setSpacing(1)
        for w in (caption, value, note):
            box.addWidget(w)
        self.cards[key] = (caption, value, note)
        return frame

    @staticmethod
    def _tab(*widgets: QWidget) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 6, 0, 0)
        for w in widgets:
            lay.addWidget(w)
        lay.addStretch(1)
        return page

    def _balance_tab(self) -> QWidget:
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("energy_date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.dateChanged.connect(self._on_date)
        self.day_button, self.week_button = QToolButton(), QToolButton()
        self.span_group = QButtonGroup(self)
        for b, days in ((self.day_button, 1), (self.week_button, 7)):
            b.setCheckable(True)
            self.span_group.addButton(b, days)
        self.week_button.setChecked(True)
        self.span_group.idClicked.connect(self.set_span)
        self.prev_button, self.next_button = QToolButton(), QToolButton()
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.summer_button, self.winter_button = QPushButton(), QPushButton()
        self.summer_button.clicked.connect(lambda: self.show_typical_week("summer"))
        self.winter_button.clicked.connect(lambda: self.show_typical_week("winter"))
        row = QHBoxLayout()
        row.setSpacing(4)
        for w in (self.prev_button, self.date_edit, self.next_button, self.day_button, self.week_button):
            row.addWidget(w)
        row.addStretch(1)
        row2 = QHBoxLayout()
        row2.setSpacing(4)
        row2.addWidget(self.summer_button)
        row2.addWidget(self.winter_button)
        row2.addStretch(1)
        self.chart_balance = ChartWidget(self._draw_balance, height=320)
        self.window_note = QLabel()
        self.window_note.setWordWrap(True)
        self.window_note.setStyleSheet("color: #606060;")
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 6, 0, 0)
        lay.addLayout(row)
        lay.addLayout(row2)
        lay.addWidget(self.chart_balance)
        lay.addWidget(self.window_note)
        lay.addStretch(1)
        return page

    # -- data ------------------------------------------------------------------------------------
    def clear(self) -> None:
        self.set_summary(None)

    def set_output(self, output) -> None:
        """A fresh run: an AlgorithmOutput of the energy algorithm (``result`` a SystemResult)."""
        result = output.result
        frame = result.hourly_frame()
        series = ed.EnergySeries.from_frame(frame)
        summary = output.summary
        if "charts" not in summary:  # kept in the project: a reopened project still draws them
            summary["charts"] = ed.compact(series)
        self._shown_output = output
        self._show(summary, series, frame, result)

    def set_summary(self, summary: dict | None) -> None:
        """A saved run (the ``energy`` section of a project's summary), or None: nothing to show."""
        self._shown_output = None
        self._show(dict(summary or {}), None, None, None)

    def _show(self, summary: dict, series, frame, result) -> None:
        self.summary, self.series, self.frame, self.result = summary, series, frame, result
        s = summary
        self.values = {k: _num(s.get(k)) for k in (
            "self_sufficiency_pct", "self_consumption_pct", "green_share_pct", "grid_import_kwh",
            "grid_export_kwh", "grid_import_peak_kw", "grid_export_peak_kw", "battery_cycles", "bill_yuan",
            "bill_before_yuan", "t_co2_avoided", "load_kwh", "onsite_kwh")}
        self.values["netting_self_sufficiency_pct"] = _num((s.get("annual_netting") or {}).get(
            "self_sufficiency_pct"))
        self._set_date_range()
        self._fill_economics()
        self.retranslate_ui()

    def _week_series(self, name: str) -> ed.EnergySeries | None:
        return ed.week_of(self.summary.get("charts") or {}, name)

    def _set_date_range(self) -> None:
        """The dates a user can pick: the run's year, or the typical week shown (saved runs)."""
        source = self.series if self.series is not None else self._week_series(self._week)
        self.date_edit.blockSignals(True)
        if source is not None and len(source):
            first = pd.Timestamp(source.time[0]).date()
            last = pd.Timestamp(source.time[-1]).date()
            self.date_edit.setDateRange(QDate(first.year, first.month, first.day),
                                        QDate(last.year, last.month, last.day))
            weeks = ed.typical_weeks(self.series) if self.series is not None else {}
            start = weeks.get("summer", source.time[0]) if self.series is not None else source.time[0]
            self.view_start = np.datetime64(start, "D")
            d = pd.Timestamp(self.view_start).date()
            self.date_edit.setDate(QDate(d.year, d.month, d.day))
        else:
            self.view_start = None
        self.date_edit.blockSignals(False)
        for w in (self.date_edit, self.prev_button, self.next_button, self.day_button, self.week_button):
            w.setEnabled(source is not None)
        weeks = (self.summary.get("charts") or {}).get("weeks") or {}
        self.summer_button.setEnabled(bool(weeks.get("summer")) or self.series is not None)
        self.winter_button.setEnabled(bool(weeks.get("winter")) or self.series is not None)

    def window(self) -> ed.EnergySeries | None:
        """The intervals the day/week chart shows."""
        if self.view_start is None:
            return None
        source = self.series if self.series is not None else self._week_series(self._week)
        if source is None:
            return None
        return source.window(self.view_start, self.view_days)

    def show_day(self, day, days: int | None = None) -> None:
        """Show ``days`` (1 or 7; default: as now) from ``day`` (a date, string or timestamp)."""
        if days is not None:
            self.view_days = 1 if days == 1 else 7
            (self.day_button if self.view_days == 1 else self.week_button).setChecked(True)
        d = pd.Timestamp(day).date()
        self.date_edit.setDate(QDate(d.year, d.month, d.day))
        self._on_date(self.date_edit.date())  # also when the date was already that day

    def set_span(self, days: int) -> None:
        self.view_days = 1 if days == 1 else 7
        (self.day_button if self.view_days == 1 else self.week_button).setChecked(True)
        self.chart_balance.update()
        self._window_note()

    def step(self, direction: int) -> None:
        """One day or week back (−1) or on (+1)."""
        self.date_edit.setDate(self.date_edit.date().addDays(direction * self.view_days))

    def show_typical_week(self, name: str) -> None:
        """The typical summer or winter week (:func:`app.charts.energy_data.typical_week`)."""
        if self.series is not None:
            start = ed.typical_weeks(self.series).get(name)
        else:
            self._week = name
            self._set_date_range()
            week = self._week_series(name)
            start = week.time[0] if week is not None and len(week) else None
        if start is not None:
            self.show_day(pd.Timestamp(start), 7)

    def _on_date(self, qdate: QDate) -> None:
        self.view_start = np.datetime64(qdate.toString("yyyy-MM-dd"), "D")
        self.chart_balance.update()
        self._window_note()

    # -- drawing ---------------------------------------------------------------------------------
    def _soc_max(self) -> float | None:
        return _num((self.summary.get("battery") or {}).get("energy_kwh")) or None

    def _draw_balance(self, p, rect, lang):
        w = self.window()
        if w is None:
            return None
        soc = self._soc_max()
        return ec.balance_chart(p, rect, w, lang, soc_max_kwh=None if soc is None or math.isnan(soc) else soc)

    def heatmap_matrix(self) -> np.ndarray | None:
        q = self.heat_quantity.currentData() or "net_kw"
        if self.series is not None:
            return ed.month_hour_mean(self.series.time, self.series.quantity(q))
        return ed.heatmap_of(self.summary.get("charts") or {}, q)

    def _draw_heatmap(self, p, rect, lang):
        m = self.heatmap_matrix()
        return None if m is None else ec.heatmap_chart(p, rect, m, lang)

    def _draw_duration(self, p, rect, lang):
        if self.series is not None:
            s = self.series
            hours, load = ed.sample_duration(ed.duration_curve(s.load_kw), s.dt_h, DURATION_POINTS_GUI)
            _, net = ed.sample_duration(ed.duration_curve(s.net_kw), s.dt_h, DURATION_POINTS_GUI)
            return ec.duration_curve_chart(p, rect, hours, {"load_kw": load, "net_kw": net}, lang,
                                           total_h=s.hours)
        d = ed.durations_of(self.summary.get("charts") or {})
        if d is None:
            return None
        total = (self.summary.get("charts") or {}).get("total_h")
        return ec.duration_curve_chart(p, rect, d[0], d[1], lang, total_h=total)

    def _draw_sizing(self, p, rect, lang):
        curve = (self.summary.get("sizing") or {}).get("curve") or []
        return ec.sizing_chart(p, rect, curve, lang)

    def _fill_economics(self) -> None:
        lang = ui_lang()
        s = self.summary
        econ = dict(s.get("economics") or {})
        for key, target in (("bill_before_yuan", "bill_before_yuan"), ("bill_yuan", "bill_after_yuan")):
            if s.get(key) is not None:
                econ.setdefault(target, s[key])
        self.econ_model.removeRows(0, self.econ_model.rowCount())
        for item, value, unit in economics_rows(econ, lang):
            cells = [QStandardItem(item), QStandardItem(value), QStandardItem(unit)]
            cells[1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.econ_model.appendRow(cells)
        self.econ_model.setHorizontalHeaderLabels([tr("Item"), tr("Value"), tr("Unit")])
        t = s.get("tariff") or {}
        name = t.get("name_zh" if lang == "zh" else "name_en") or t.get("key") or ""
        self.tariff_note.setText(tr("Tariff: {0}. Source: {1}").format(name, t.get("source", "–")) if t
                                 else tr("No tariff was chosen: no bill and no economics."))

    # -- text ------------------------------------------------------------------------------------
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._fill_economics()
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        s = self.summary
        has = bool(s)
        lang = ui_lang()
        self.open_action.setText(tr("Hour-by-hour energy…"))
        self.open_action.setToolTip(tr("Balance the park's load against PV, wind and storage interval by "
                                       "interval, with the tariff and the economics (源网荷储)"))
        self.title.setText(tr("Hour-by-hour energy balance"))
        self.empty.setText(tr("No hour-by-hour energy run yet. Choose Analysis → Hour-by-hour energy… to "
                              "balance the park's load against its PV, wind and storage hour by hour."))
        self.empty.setVisible(not has)
        self.content.setVisible(has)
        bits = []
        if s.get("year"):
            bits.append(tr("Year {0}").format(s["year"]))
        if s.get("step_min"):
            bits.append(tr("{0}-minute steps").format(s["step_min"]))
        if s.get("dispatch"):
            cost = s["dispatch"] == "cost"
            bits.append(tr("cost-optimal dispatch") if cost else tr("self-consumption dispatch"))
        gen = s.get("generation_kwh") or {}
        if gen:
            bits.append(" + ".join(ec.source_label(k, lang) for k in gen))
        self.subtitle.setText(" · ".join(bits))
        self.subtitle.setVisible(bool(bits))
        self._fill_cards()
        problems = [p for p in (s.get("problems") or []) if p.get("level") != "info"]
        self.notes.setText("\n".join(str(p.get("zh" if lang == "zh" else "en", "")) for p in problems[:4]))
        self.notes.setVisible(bool(problems))
        for i, text in enumerate((tr("Day / week"), tr("Heatmap"), tr("Duration curves"), tr("Economics"),
                                  tr("Sizing"))):
            self.tabs.setTabText(i, text)
        self.day_button.setText(tr("Day"))
        self.week_button.setText(tr("Week"))
        self.prev_button.setToolTip(tr("Previous day or week"))
        self.next_button.setToolTip(tr("Next day or week"))
        self.summer_button.setText(tr("Typical summer week"))
        self.winter_button.setText(tr("Typical winter week"))
        names = {"load_kw": tr("Load"), "onsite_kw": tr("On-site generation"),
                 "net_kw": tr("Net load (load − on-site)"), "grid_import_kw": tr("Grid import")}
        for i in range(self.heat_quantity.count()):
            self.heat_quantity.setItemText(i, names.get(self.heat_quantity.itemData(i), ""))
        for act in self.png_actions:
            act.setText(tr("Save chart as PNG…"))
        self.export_button.setText(tr("Export hourly table (CSV/Excel)…"))
        self.shapes_button.setText(tr("Edit load profiles…"))
        self.shapes_button.setToolTip(tr("Shape the typical daily load of each load kind; the saved file is "
                                         "used by the next hour-by-hour run"))
        self.export_button.setEnabled(self.frame is not None)
        self.export_button.setToolTip("" if self.frame is not None else tr(
            "The hourly table is not kept in the project: run the analysis again to export it."))
        self._window_note()
        for chart in (self.chart_balance, self.chart_heatmap, self.chart_duration, self.chart_sizing):
            chart.update()

    def _window_note(self) -> None:
        if self.series is None and self.summary.get("charts"):
            self.window_note.setText(tr("The project keeps the typical weeks only; run the analysis again to "
                                        "see any day of the year."))
        else:
            self.window_note.setText("")
        self.window_note.setVisible(bool(self.window_note.text()))

    def _fill_cards(self) -> None:
        v = self.values

        def put(key: str, caption: str, value: str, note: str = "") -> None:
            c = self.cards[key]
            c[0].setText(caption)
            c[1].setText(value)
            c[2].setText(note)

        net = v["netting_self_sufficiency_pct"]
        put("self_sufficiency", tr("Self-sufficiency"), f"{number(v['self_sufficiency_pct'], 1)} %",
            tr("annual netting {0} % (comparison)").format(number(net, 1)) if not math.isnan(net) else "")
        put("self_consumption", tr("Self-consumption"), f"{number(v['self_consumption_pct'], 1)} %",
            tr("of on-site generation"))
        put("green_share", tr("Green-power share"), f"{number(v['green_share_pct'], 1)} %",
            tr("of consumption"))
        put("grid_kwh", tr("Grid import / export"),
            f"{number(v['grid_import_kwh'] / 1000)} / {number(v['grid_export_kwh'] / 1000)}", tr("MWh/yr"))
        put("grid_peak", tr("Grid import peak"), f"{number(v['grid_import_peak_kw'])} kW",
            tr("export peak {0} kW").format(number(v["grid_export_peak_kw"])))
        battery = self.summary.get("battery")
        put("battery", tr("Battery cycles"), number(v["battery_cycles"], 1) if battery else "–",
            tr("equivalent full cycles a year") if battery else tr("no battery"))
        before, after = v["bill_before_yuan"], v["bill_yuan"]
        if math.isnan(after):
            put("bill", tr("Electricity bill"), "–", tr("no tariff chosen"))
        else:
            saved = before - after
            put("bill", tr("Electricity bill"), f"{number(before / 1e4, 1)} → {number(after / 1e4, 1)}",
                tr("10⁴ yuan/yr; saves {0} %").format(number(100 * saved / before, 1) if before else "–"))
        put("co2", tr("Avoided CO₂"), number(v["t_co2_avoided"], 1), tr("tCO₂/yr (on-site energy used)"))

    # -- export ----------------------------------------------------------------------------------
    def open_profile_editor(self):
        """The load-profile editor (:mod:`app.gui.profile_editor`) for the workspace shown."""
        from app.gui.profile_editor import open_profile_editor

        return open_profile_editor(self, self.workspace)

    def export_hourly(self, path: str | Path) -> list[Path]:
        """Write the hourly table: ``.csv`` alone (UTF-8, 4 decimals, the columns of
        ``SystemResult.hourly_frame()``), or ``.xlsx`` with the run's workbook, JSON and CSV
        (:func:`app.energy_outputs.write_energy_outputs`). Returns the files written."""
        from app.outputs import write_text

        if self.frame is None:
            raise ValueError("no hourly table in this session: run the energy analysis first")
        path = Path(path)
        if path.suffix.lower() == ".xlsx" and self.result is not None:
            from app.energy_outputs import write_energy_outputs

            return list(write_energy_outputs(self.result, path))
        if path.suffix.lower() != ".csv":
            path = path.with_suffix(".csv")
        write_text(path, self.frame.to_csv(index=False, float_format="%.4f"))
        return [path]

    def export_dialog(self) -> list[Path]:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export hourly table"), "energy_hourly.csv",
                                              "CSV (*.csv);;Excel (*.xlsx)")
        if not path:
            return []
        written = self.export_hourly(path)
        window = self.window_widget()
        if window is not None:
            files = ", ".join(str(p) for p in written)
            window.statusBar().showMessage(tr("Written: {0}").format(files), 15000)
        return written

    def save_chart_png(self, name: str, path: str | Path, width_px: int = 1600, height_px: int = 900) -> Path:
        """Chart ``name`` ("balance", "heatmap", "duration", "sizing") as it is shown now, drawn
        again at 192 dpi into a PNG of ``width_px`` × ``height_px``."""
        draw = self.chart_draws[name][1]
        lang = ui_lang()
        img = ec.chart_image(lambda p, r: draw(p, r.adjusted(12, 8, -12, -8), lang), width_px, height_px,
                             dpi=192)
        path = Path(path).with_suffix(".png")
        if not img.save(str(path)):
            raise OSError(f"could not write {path}")
        return path

    def save_chart_dialog(self, name: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save chart as PNG"), f"energy_{name}.png",
                                              "PNG (*.png)")
        return self.save_chart_png(name, path) if path else None

    def window_widget(self):
        w = self.parent()
        while w is not None and not hasattr(w, "statusBar"):
            w = w.parent()
        return w

    # -- following the workspace ---------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the workspace's energy run: the session's typed output when it is the one in the
        summary, else the saved summary."""
        ws = self.workspace
        s = ((getattr(ws, "summary", None) or {}).get(ALGORITHM_ID)) if ws is not None else None
        output = (getattr(ws, "outputs", None) or {}).get(ALGORITHM_ID) if ws is not None else None
        if s is not None and output is not None and output.summary is s:
            if output is not self._shown_output:
                self.set_output(output)
                self.new_run.emit()
            return
        if s is not self.summary or self._shown_output is not None:
            self.set_summary(s if isinstance(s, dict) else None)
            if isinstance(s, dict):
                self.has_result.emit()


def open_energy_dialog(window):
    """Analysis → Hour-by-hour energy…: the energy algorithm's generated dialog; its run lands in
    the panel. Returns the task handle (None when cancelled)."""
    from app.gui.algorithm_dialog import open_algorithm
    from app.processing.registry import algorithm

    handle = open_algorithm(window, window.workspace, algorithm(ALGORITHM_ID))
    if handle is not None and hasattr(window, "track_task"):
        window.track_task(handle)
    return handle


def install_energy_panel(window) -> EnergyPanel:
    """Add the Energy panel to ``window`` with ``window.add_panel``: its dock (tabbed with the
    dashboard, hidden until a run arrives), the Analysis entry "Hour-by-hour energy…" (the
    algorithm's dialog) and View → Panels. Returns the panel."""
    panel = EnergyPanel(window)
    panel.dock = window.add_panel(panel, "energy", Qt.DockWidgetArea.RightDockWidgetArea,
                                  title=lambda: tr("Energy"), tabify_with=window.dock_dashboard,
                                  visible=False, bind=panel.bind)
    window.menu_analysis.addSeparator()
    window.menu_analysis.addAction(panel.open_action)
    panel.open_action.triggered.connect(lambda _checked=False: open_energy_dialog(window))
    panel.new_run.connect(lambda: window.show_panel("energy"))
    panel.has_result.connect(lambda: offer_behind_dashboard(window, panel.dock))
    panel.bind(window.workspace)
    return panel
