"""The results dashboard: park totals, the indicator check and charts, from ``workspace.summary``.

Every figure shown is read from the summary as typed sections (:class:`app.summaries.ParkSummary`
of the keys of ``summary.json``, made by :func:`app.results.run_park_analyses`) — the dashboard
computes nothing itself except unit
conversions — and is kept in :attr:`Dashboard.values` (machine units, for tests and copying).
Charts are drawn with :mod:`layers.charts` (the same code draws the PDF report's charts) in a
widget's ``paintEvent``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.i18n import ui_lang
from app.summaries import (
    BalanceLines,
    BalanceScenario,
    BuildingFacts,
    CarbonSummary,
    EmissionsSummary,
    IndicatorRow,
    ParkSummary,
    PVSummary,
)
from gis.carbon.indicators import KIND_NAMES, indicator_texts
from layers.charts import format_number

STATUS_COLOURS = {"pass": "#d9f2e1", "fail": "#fbd9d7", "no data": "#eeeeee", "not applicable": "#f7f7f7"}
STATUS_TEXT = {"pass": "#0b6b2f", "fail": "#a1160e", "no data": "#666666", "not applicable": "#999999"}


def split_bilingual(text: str) -> tuple[str, str]:
    """"现状 status quo" → ("现状", "status quo"): Chinese first word(s), then English."""
    text = str(text)
    head, sep, tail = text.partition(" ")
    if sep and any("\u4e00" <= ch <= "\u9fff" for ch in head) and tail and tail[0].isascii():
        return head, tail
    return text, text


def _lines(sc: BalanceScenario) -> BalanceLines:
    """A scenario's balance lines (empty when the summary has none)."""
    return sc.lines or BalanceLines()


def _text(row: IndicatorRow, name: str) -> str:
    """A field as text: "" when the saved row lacks it (a null is "None", as it was shown)."""
    v = getattr(row, name)
    return "" if v is None and name not in row.nulls else str(v)


def _num(v) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return math.nan
    return f


def _fmt(v, decimals: int = 0) -> str:
    return format_number(_num(v), decimals)


class ChartWidget(QWidget):
    """A chart drawn by ``draw(painter, rect, lang)`` (a :mod:`layers.charts` call)."""

    def __init__(self, draw: Callable[[QPainter, QRectF, str], object] | None = None,
                 height: int = 230, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draw = draw
        self._height = height
        self.geometry_info = None
        self.setMinimumHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(380, self._height)

    def set_draw(self, draw) -> None:
        self._draw = draw
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        if self._draw is not None:
            try:
                self.geometry_info = self._draw(p, QRectF(self.rect()).adjusted(6, 4, -6, -4), ui_lang())
            finally:
                p.end()
        else:
            p.end()


class Dashboard(QWidget):
    """Park totals, indicators and charts. ``set_summary(summary)`` fills it.

    ``values``: "pv_kwp", "pv_kwh_yr", "pv_t_co2_yr", "emissions_t_co2", "sinks_t_co2_yr",
    "net_t_co2" (of the chosen scenario), "park_area_m2", "buildings", "year" (the accounting year) —
    NaN when not computed. Signal ``scenario_changed(int)``.

    Period: when the energy table holds more than one year, a year selector lists them; choosing
    another year than the one accounted emits ``year_requested(year)`` — the main window runs the
    carbon accounting again for that year (:func:`account_year`) and the new summary arrives here.
    """

    scenario_changed = Signal(int)
    year_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary: ParkSummary = ParkSummary()
        self.values: dict[str, float] = {}
        self._scenario = 0
        self._fuel_names = None
        self._fit_pending = False

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the park's name is the user's text
        self.title.setWordWrap(True)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.subtitle = QLabel()
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet("color: #606060;")
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #606060; padding: 12px;")

        self.cards: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for i, key in enumerate(("area", "pv_kwp", "pv_kwh", "emissions", "sinks", "net")):
            frame = QFrame()
            frame.setObjectName("card")
            frame.setStyleSheet("#card { background: #f5f8f6; border: 1px solid #dde5df; "
                                "border-radius: 4px; }")
            caption, value, unit = QLabel(), QLabel("–"), QLabel()
            caption.setStyleSheet("color: #505a55;")
            vf = value.font()
            vf.setPointSizeF(vf.pointSizeF() * 1.35)
            vf.setBold(True)
            value.setFont(vf)
            unit.setStyleSheet("color: #707a75;")
            box = QVBoxLayout(frame)
            box.setContentsMargins(8, 5, 8, 5)
            box.setSpacing(1)
            box.addWidget(caption)
            box.addWidget(value)
            box.addWidget(unit)
            grid.addWidget(frame, i // 2, i % 2)
            self.cards[key] = (caption, value, unit)

        self.carbon_note = QLabel()  # why there are no emissions, and how to add them
        self.carbon_note.setWordWrap(True)
        self.carbon_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.carbon_note.setStyleSheet("color: #7a4d00; background: #fff6e0; border: 1px solid #f0d9a8; "
                                       "border-radius: 4px; padding: 6px;")

        self.scenario_label = QLabel()
        self.scenario = QComboBox()
        self.scenario.currentIndexChanged.connect(self._on_scenario)
        srow = QHBoxLayout()
        srow.addWidget(self.scenario_label)
        srow.addWidget(self.scenario, 1)

        self.year_label = QLabel()
        self.year = QComboBox()  # the energy table's years; another one re-runs the accounting
        self.year.activated.connect(self._on_year)
        self.year_row = QWidget()
        yrow = QHBoxLayout(self.year_row)
        yrow.setContentsMargins(0, 0, 0, 0)
        yrow.addWidget(self.year_label)
        yrow.addWidget(self.year, 1)

        self.indicator_title = QLabel()
        self.indicator_title.setStyleSheet("font-weight: bold;")
        self.indicators = QTableWidget(0, 4)
        self.indicators.verticalHeader().setVisible(False)
        self.indicators.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.indicators.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.indicators.setWordWrap(True)
        hh = self.indicators.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.indicators.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.indicators.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.indicators.setTextElideMode(Qt.TextElideMode.ElideNone)
        hh.sectionResized.connect(lambda *_a: self._fit_rows_later())

        self.chart_monthly = ChartWidget(self._draw_monthly)
        self.chart_fuel = ChartWidget(self._draw_fuel, height=200)
        self.chart_sector = ChartWidget(self._draw_sector, height=300)
        self.chart_balance = ChartWidget(self._draw_balance, height=250)
        self.chart_scenarios = ChartWidget(self._draw_scenarios, height=230)
        self.charts = [self.chart_monthly, self.chart_fuel, self.chart_sector, self.chart_balance,
                       self.chart_scenarios]

        inner = QWidget()
        inner.setObjectName("dashboardInner")
        inner.setStyleSheet("#dashboardInner { background: #ffffff; }")
        lay = QVBoxLayout(inner)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(8)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.year_row)
        lay.addWidget(self.empty)
        self.content = QWidget()
        clay = QVBoxLayout(self.content)
        clay.setContentsMargins(0, 0, 0, 0)
        clay.setSpacing(8)
        clay.addLayout(grid)
        clay.addWidget(self.carbon_note)
        clay.addLayout(srow)
        clay.addWidget(self.chart_balance)
        clay.addWidget(self.indicator_title)
        clay.addWidget(self.indicators)
        for ch in (self.chart_monthly, self.chart_fuel, self.chart_sector, self.chart_scenarios):
            clay.addWidget(ch)
        lay.addWidget(self.content)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.set_summary({})

    # -- data ------------------------------------------------------------------------------------
    def set_summary(self, summary: dict | ParkSummary | None) -> None:
        """Show ``summary`` (the dict of summary.json, or typed; {} = nothing analysed yet)."""
        self.summary = ParkSummary.from_dict(summary)
        scenarios = self._scenarios()
        default = next((i for i, s in enumerate(scenarios)
                        if _num(_lines(s).pv_kwh_yr) > 0), 0)
        self._scenario = default if scenarios else 0
        self.scenario.blockSignals(True)
        self.scenario.clear()
        for s in scenarios:
            self.scenario.addItem("", s.scenario)
        if scenarios:
            self.scenario.setCurrentIndex(self._scenario)
        self.scenario.blockSignals(False)
        self._fill_years()
        self._compute_values()
        self.retranslate_ui()

    def years(self) -> list[int]:
        """The years of the energy table (the inventory read; else the trends' years)."""
        inv = self._emissions().inventory or {}
        years = inv.get("years") or (self.summary.trends or {}).get("years") or []
        return sorted({int(y) for y in years if y is not None})

    def accounted_year(self) -> int | None:
        """The year the emissions, balance and indicators shown are of."""
        y = (self._emissions().total or {}).get("year")
        return int(y) if y is not None else None

    def _fill_years(self) -> None:
        years, now = self.years(), self.accounted_year()
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(str(y), y)
        if now in years:
            self.year.setCurrentIndex(years.index(now))
        self.year.blockSignals(False)
        self.year_row.setVisible(len(years) > 1 and now is not None)

    def _on_year(self, i: int) -> None:
        y = self.year.itemData(i)
        if y is not None and int(y) != self.accounted_year():
            self.year_requested.emit(int(y))

    def choose_year(self, year: int) -> None:
        """Pick ``year`` in the selector as a user would (emits ``year_requested`` when it differs)."""
        i = self.year.findData(int(year))
        if i >= 0:
            self.year.setCurrentIndex(i)
            self._on_year(i)

    def _carbon(self) -> CarbonSummary:
        return self.summary.carbon or CarbonSummary()

    def _emissions(self) -> EmissionsSummary:
        return self._carbon().emissions or EmissionsSummary()

    def _scenarios(self) -> list[BalanceScenario]:
        return self._carbon().scenarios

    def _compute_values(self) -> None:
        s = self.summary
        pv = s.pv or PVSummary()
        carbon = self._carbon()
        total = self._emissions().total or {}
        scen = self._scenarios()
        lines = _lines(scen[self._scenario]) if scen else BalanceLines()
        self.values = {
            "park_area_m2": _num(s.park.area_m2),
            "buildings": _num((s.facts.buildings or BuildingFacts()).count),
            "pv_kwp": _num(pv.kwp),
            "pv_kwh_yr": _num(pv.kwh_yr),
            "pv_t_co2_yr": _num(pv.t_co2_yr),
            "emissions_t_co2": _num(total.get("t_co2")),
            "sinks_t_co2_yr": _num(carbon.sinks_t_co2_yr),
            "net_t_co2": _num(lines.net_t_co2),
            "year": _num(self.accounted_year()),
        }

    def _on_scenario(self, i: int) -> None:
        if i < 0:
            return
        self._scenario = i
        self._compute_values()
        self._fill()
        self.scenario_changed.emit(i)

    def set_scenario(self, i: int) -> None:
        self.scenario.setCurrentIndex(i)

    # -- text ------------------------------------------------------------------------------------
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _pick(self, zh: str, en: str) -> str:
        return en if ui_lang() == "en" else zh

    def retranslate_ui(self) -> None:
        s = self.summary
        has = bool(s)
        self.title.setText(s.park.name or self.tr("Results"))
        self.empty.setVisible(not self._carbon() and not s.pv)
        self.empty.setText(self.tr("No analyses yet. Open a park and choose Analysis → Run all analyses "
                                   "to see PV potential, emissions, sinks and the indicator check here."))
        self.content.setVisible(has)
        em = self._emissions()
        fs = em.factor_set or {}
        year = (em.total or {}).get("year")
        bits = []
        if year:
            bits.append(self.tr("Year {0}").format(year))
        if fs:
            name = self._pick(fs.get("name_zh", ""), fs.get("name_en", ""))
            bits.append(self.tr("Factors: {0}").format(name))
        self.subtitle.setText(" · ".join(bits))
        self.subtitle.setVisible(bool(bits))
        captions = {
            "area": (self.tr("Park area"), ""),
            "pv_kwp": (self.tr("Rooftop PV capacity"), self.tr("kWp")),
            "pv_kwh": (self.tr("Rooftop PV generation"), self.tr("MWh/yr")),
            "emissions": (self.tr("Emissions"), self.tr("tCO₂/yr")),
            "sinks": (self.tr("Carbon sinks"), self.tr("tCO₂/yr")),
            "net": (self.tr("Net emissions (scenario)"), self.tr("tCO₂/yr")),
        }
        for key, (cap, unit) in captions.items():
            self.cards[key][0].setText(cap)
            self.cards[key][2].setText(unit)
        note = self.no_energy_table_text()
        self.carbon_note.setText(note)
        self.carbon_note.setVisible(bool(note))
        for key in ("emissions", "sinks", "net"):
            self.cards[key][1].setToolTip(note)
        self.scenario_label.setText(self.tr("Scenario"))
        self.year_label.setText(self.tr("Accounting year"))
        self.year.setToolTip(self.tr("The energy table holds several years: choose one to account "
                                     "emissions, the balance and the indicators for it"))
        for i, sc in enumerate(self._scenarios()):
            zh, en = split_bilingual(sc.scenario or "")
            self.scenario.setItemText(i, self._pick(zh, en))
        self.indicator_title.setText(self.tr("Zero-carbon indicators"))
        self.indicators.setHorizontalHeaderLabels(
            [self.tr("Indicator"), self.tr("Value"), self.tr("Target"), self.tr("Status")])
        self._fill()

    def no_energy_table_text(self) -> str:
        """Why emissions, sinks and net emissions show "–" — the park has no enterprise energy
        table — and where to give one; "" when the park has one or was accounted."""
        s = self.summary
        if s.carbon is not None or not s.facts.park or s.facts.enterprises is not None:
            return ""
        if s.skipped_reason("carbon") is None and s.pv is None:
            return ""  # nothing analysed yet: the empty-dashboard text says what to do

        def menu(context: str, text: str) -> str:  # a menu entry as the menu shows it
            return QCoreApplication.translate(context, text).replace("&", "").split("(")[0].strip("…")

        return self.tr(
            "No emissions: the park has no enterprise energy table, so emissions, sinks, the balance "
            "and the indicators were not accounted. Add one with {0} → {1} (the energy table), or with "
            "{2} → {3} → energy table. A ready-to-fill Excel template: lingtan template energy --out "
            "energy.xlsx").format(
            menu("MainWindow", "&File"), self._pick("新建园区", "New Park"),
            menu("MainWindow", "&Analysis"), menu("MainWindow", "&Carbon Accounting and Sinks…"))

    def _fill(self) -> None:
        from app.gui.settings import format_area

        v = self.values
        self.cards["area"][1].setText(format_area(v.get("park_area_m2")))
        self.cards["pv_kwp"][1].setText(_fmt(v["pv_kwp"]))
        self.cards["pv_kwh"][1].setText(_fmt(v["pv_kwh_yr"] / 1000.0))
        self.cards["emissions"][1].setText(_fmt(v["emissions_t_co2"]))
        self.cards["sinks"][1].setText(_fmt(v["sinks_t_co2_yr"], 1))
        self.cards["net"][1].setText(_fmt(v["net_t_co2"]))
        self._fill_indicators()
        for ch in self.charts:
            ch.update()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_rows_later()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_rows_later()

    def _fit_rows_later(self) -> None:
        """Row heights for wrapped indicator names, once the columns have their final widths."""
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self._fit_indicator_rows)

    def _fit_indicator_rows(self) -> None:
        self._fit_pending = False
        self.indicators.resizeRowsToContents()
        h = self.indicators.horizontalHeader().height() + sum(
            self.indicators.rowHeight(i) for i in range(self.indicators.rowCount())) + 4
        self.indicators.setFixedHeight(max(h, 40))

    def _fill_indicators(self) -> None:
        scen = self._scenarios()
        name = scen[self._scenario].scenario if scen else None
        rows = [r for r in self._carbon().indicators if r.scenario == name]
        self.indicators.setRowCount(len(rows))
        status_names = {"pass": self.tr("pass"), "fail": self.tr("fail"), "no data": self.tr("no data"),
                        "not applicable": self.tr("not applicable")}
        for i, r in enumerate(rows):
            unit = r.unit or ""
            val = _num(r.value)
            dec = 0 if abs(val) >= 100 else 1 if abs(val) >= 10 else 2
            value = "–" if not math.isfinite(val) else f"{format_number(val, dec)} {unit}".strip()
            thr = _num(r.threshold)
            comparator = r.comparator if r.comparator is not None or "comparator" in r.nulls else ""
            comp = {"<=": "≤", ">=": "≥"}.get(comparator, comparator)
            thr_text = format_number(thr, 2).rstrip("0").rstrip(".")
            target = f"{comp} {thr_text} {unit}".strip()
            status = str(r.status if r.status is not None or "status" in r.nulls else "")
            items = [QTableWidgetItem(self._pick(r.name_zh or "", r.name_en or "")),
                     QTableWidgetItem(value), QTableWidgetItem(target),
                     QTableWidgetItem(status_names.get(status, status))]
            kind = _text(r, "kind")
            source, note = indicator_texts(r, ui_lang())
            tip = "\n".join(x for x in (self._pick(*KIND_NAMES.get(kind, (kind, kind))), source, note) if x)
            for c, it in enumerate(items):
                it.setToolTip(tip)
                if c in (1, 2):
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if status in STATUS_COLOURS:
                    it.setBackground(QColor(STATUS_COLOURS[status]))
                if c == 3 and status in STATUS_TEXT:
                    it.setForeground(QColor(STATUS_TEXT[status]))
                self.indicators.setItem(i, c, it)
        self._fit_indicator_rows()

    # -- charts ----------------------------------------------------------------------------------
    def _fuel_label(self, row: dict, lang: str) -> str:
        if lang == "zh":
            return row.get("fuel_zh") or row.get("fuel", "")
        if self._fuel_names is None:
            try:
                from gis.carbon.factors import fuel_catalog

                cat = fuel_catalog()
                self._fuel_names = dict(zip(cat["fuel"], cat["name_en"], strict=False))
            except Exception:
                self._fuel_names = {}
        return self._fuel_names.get(row.get("fuel"), str(row.get("fuel", "")))

    def _draw_monthly(self, p: QPainter, rect: QRectF, lang: str):
        from layers.charts import monthly_chart

        monthly = (self.summary.pv or PVSummary()).monthly_kwh
        title = self.tr("Rooftop PV generation by month")
        if not monthly or len(monthly) != 12:
            return self._no_data(p, rect, title)
        return monthly_chart(p, rect, [float(v) / 1000.0 for v in monthly], title=title, unit="MWh",
                             lang=lang, colours=["#f5a300"])

    def _no_data(self, p: QPainter, rect: QRectF, title: str):
        from layers.charts import bar_chart

        return bar_chart(p, rect, [], {}, title=title, lang=ui_lang())

    def _draw_fuel(self, p: QPainter, rect: QRectF, lang: str):
        from layers.charts import pie_chart

        rows = [r for r in self._emissions().by_fuel or [] if _num(r.get("t_co2")) > 0]
        title = self.tr("Emissions by fuel")
        if not rows:
            return self._no_data(p, rect, title)
        rows.sort(key=lambda r: -_num(r.get("t_co2")))
        return pie_chart(p, rect, [self._fuel_label(r, lang) for r in rows],
                         [_num(r.get("t_co2")) for r in rows], title=title, unit="tCO₂", donut=True,
                         lang=lang)

    def _draw_sector(self, p: QPainter, rect: QRectF, lang: str):
        from layers.charts import bar_chart

        rows = sorted((r for r in self._emissions().by_sector or [] if _num(r.get("t_co2")) > 0),
                      key=lambda r: -_num(r.get("t_co2")))
        title = self.tr("Emissions by sector")
        if not rows:
            return self._no_data(p, rect, title)
        top = rows[:10]
        cats = [str(r.get("sector", "")) for r in top]
        vals = [_num(r.get("t_co2")) / 1000.0 for r in top]
        if len(rows) > 10:
            cats.append(self.tr("other"))
            vals.append(sum(_num(r.get("t_co2")) for r in rows[10:]) / 1000.0)
        return bar_chart(p, rect, cats, vals, title=title, unit=self.tr("kt CO₂"), horizontal=True,
                         colours=["#D55E00"], lang=lang)

    def _draw_balance(self, p: QPainter, rect: QRectF, lang: str):
        from layers.charts import balance_chart

        scen = self._scenarios()
        title = self.tr("Carbon balance")
        if not scen:
            return self._no_data(p, rect, title)
        lines = _lines(scen[self._scenario])
        steps = [(self.tr("Gross"), _num(lines.gross_t_co2))]
        for key, label in (("pv_avoided_self_t_co2", self.tr("PV self-used")),
                           ("pv_exported_avoided_t_co2", self.tr("PV exported")),
                           ("green_power_avoided_t_co2", self.tr("Green power")),
                           ("sinks_t_co2", self.tr("Sinks"))):
            v = _num(getattr(lines, key))
            if math.isfinite(v) and v != 0:
                steps.append((label, -v))
        zh, en = split_bilingual(scen[self._scenario].scenario or "")
        return balance_chart(p, rect, steps, net_label=self.tr("Net"),
                             title=f"{title}: {en}" if lang == "en" else f"{title}：{zh}",
                             unit=self.tr("tCO₂/yr"), lang=lang)

    def _draw_scenarios(self, p: QPainter, rect: QRectF, lang: str):
        from layers.charts import bar_chart

        scen = self._scenarios()
        title = self.tr("Gross and net emissions by scenario")
        if not scen:
            return self._no_data(p, rect, title)
        names = [split_bilingual(s.scenario or "")[1 if lang == "en" else 0] for s in scen]
        gross = [_num(_lines(s).gross_t_co2) / 1000.0 for s in scen]
        net = [_num(_lines(s).net_t_co2) / 1000.0 for s in scen]
        return bar_chart(p, rect, names, {self.tr("Gross"): gross, self.tr("Net"): net}, title=title,
                         unit=self.tr("kt CO₂"), colours=["#7f7f7f", "#0072B2"], lang=lang)


def account_year(parent, workspace, year: int):
    """The dashboard's year choice: the carbon accounting (emissions, sinks, balance, indicators) of
    ``workspace`` again for ``year``, its other carbon choices kept; a baseline year not before
    ``year`` falls back to the default (the year before). Returns the task handle."""
    import dataclasses

    from app.analysis_settings import CarbonOptions
    from app.gui.analyses import _stored, start_carbon

    c = _stored(workspace, "carbon", CarbonOptions)
    base = c.baseline_year if c.baseline_year is not None and c.baseline_year < int(year) else None
    return start_carbon(parent, workspace, dataclasses.replace(c, year=int(year), baseline_year=base))
