"""The Pathways panel 路径 (issue #19): the park's emission pathways to 2060 from ``summary["pathways"]``
(Run All, :mod:`app.park_pathways`; a reopened project shows it without the energy table).

* scenario checkboxes over the overlay chart (:func:`app.charts.pathway_chart.pathway_chart`, the same
  drawing as the PDF report): unticking a scenario hides its line; hovering shows each shown
  scenario's net emissions in the year under the mouse;
* a scenario table: peak year and level, the year the carbon-per-energy indicator is met, net-zero
  year, 2030 emissions, cumulative to 2060;
* tabs: by sector (one scenario), MACC and tornado, each with hover values;
* 编辑情景… opens the selected scenario's assumptions in :class:`app.gui.pathways_editor.ScenarioEditor`
  (value, unit, source; undo); saving recomputes the section from its base
  (:func:`app.park_pathways.rerun_section`) and keeps the user's scenarios in the project
  (:func:`app.park_pathways.store_inputs`); 载入情景表… does the same for a scenario file.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.charts.energy_tables import number
from app.charts.macc_chart import macc_bars, macc_chart
from app.charts.pathway_chart import pathway_chart, scenario_colour, sector_chart, value_text
from app.charts.tornado_chart import tornado_chart
from app.gui.i18n import pick, ui_lang
from app.gui.result_panel import FollowsSummarySection, offer_behind_dashboard
from app.gui.trends_panel import _HoverChart

SECTION = "pathways"
TABLE_KEYS = ("name", "peak_year", "peak_t_co2", "indicator_year", "net_zero_year", "t_co2_2030",
              "cumulative_2060_t_co2")


def tr(text: str) -> str:
    return QCoreApplication.translate("PathwaysPanel", text)


def _year_text(v, none: str = "—") -> str:
    return str(int(v)) if v is not None else none


class PathwaysPanel(FollowsSummarySection, QWidget):
    """``set_summary(section)`` shows a ``summary["pathways"]`` dict. ``shown``: the scenario keys
    ticked; ``hover_text``: what the mouse points at; ``last_editor``: the editor opened last.
    Signal ``has_result`` when a section is shown, ``recomputed`` after an edit or a loaded file."""

    has_result = Signal()
    recomputed = Signal()

    SECTION = SECTION

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathways_panel")
        self.section: dict = {}
        self.shown: list[str] = []
        self.hover_text = ""
        self.last_editor = None
        self.workspace = None
        self._unsubscribe = None
        self._checks: dict[str, QCheckBox] = {}

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
        self.checks_row = QGridLayout()  # two per row: four scenarios in a row made the dock 420 px wide
        self.checks_row.setColumnStretch(2, 1)
        self.hover = QLabel()
        self.hover.setWordWrap(True)
        self.hover.setStyleSheet("color: #404040;")

        self.chart_paths = _HoverChart(self._draw_paths, self._on_hover_paths, height=320)
        self.table = QTableWidget(0, len(TABLE_KEYS))
        self.table.setObjectName("pathways_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(130)
        self.edit_button = QPushButton()
        self.edit_button.setObjectName("pathways_edit")
        self.edit_button.clicked.connect(lambda: self.edit_scenario())
        self.load_button = QPushButton()
        self.load_button.setObjectName("pathways_load")
        self.load_button.clicked.connect(lambda: self.load_scenarios())

        self.sector_combo = QComboBox()
        self.sector_combo.currentIndexChanged.connect(lambda _i: self.chart_sector.update())
        self.chart_sector = _HoverChart(self._draw_sector, self._on_hover_paths_sector, height=320)
        self.chart_macc = _HoverChart(self._draw_macc, self._on_hover_macc, height=340)
        self.chart_tornado = _HoverChart(self._draw_tornado, self._on_hover_tornado, height=300)

        paths_tab = QWidget()
        lay = QVBoxLayout(paths_tab)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addLayout(self.checks_row)
        lay.addWidget(self.chart_paths)
        lay.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        lay.addStretch(1)
        sector_tab = QWidget()
        lay = QVBoxLayout(sector_tab)
        lay.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        self.sector_caption = QLabel()
        row.addWidget(self.sector_caption)
        row.addWidget(self.sector_combo, 1)
        lay.addLayout(row)
        lay.addWidget(self.chart_sector)
        lay.addStretch(1)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("pathways_tabs")
        self.tabs.addTab(paths_tab, "")
        self.tabs.addTab(sector_tab, "")
        self.tabs.addTab(self._single(self.chart_macc), "")
        self.tabs.addTab(self._single(self.chart_tornado), "")
        self.tabs.currentChanged.connect(lambda _i: self._set_hover(""))

        self.content = QWidget()
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.subtitle)
        lay.addWidget(self.tabs)
        lay.addWidget(self.hover)
        root = QVBoxLayout(self)
        root.addWidget(self.title)
        root.addWidget(self.empty)
        root.addWidget(self.content, 1)
        self.retranslate_ui()

    @staticmethod
    def _single(widget: QWidget) -> QWidget:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(widget)
        lay.addStretch(1)
        return page

    # -- state -------------------------------------------------------------------------------------
    @property
    def scenarios(self) -> list[dict]:
        return list(self.section.get("scenarios") or [])

    def set_summary(self, section: dict | None) -> None:
        """Show a ``summary["pathways"]`` section (None: the empty state). Scenarios ticked before stay
        as they were; new ones are ticked."""
        before = {k: c.isChecked() for k, c in self._checks.items()}
        self.section = dict(section or {})
        for c in self._checks.values():
            self.checks_row.removeWidget(c)
            c.deleteLater()
        self._checks = {}
        while self.checks_row.count():
            self.checks_row.takeAt(0)
        lang = ui_lang()
        for k, sc in enumerate(self.scenarios):
            name = str(sc["name"])
            box = QCheckBox(str(sc.get("name_zh") if lang == "zh" else name))
            box.setObjectName(f"pathways_show_{name}")
            box.setChecked(before.get(name, True))
            box.setStyleSheet(f"QCheckBox {{ color: {scenario_colour(name, k)}; font-weight: bold; }}")
            box.toggled.connect(lambda _on: self._on_toggled())
            self.checks_row.addWidget(box, k // 2, k % 2)
            self._checks[name] = box
        self.shown = [k for k, c in self._checks.items() if c.isChecked()]
        self.sector_combo.blockSignals(True)
        self.sector_combo.clear()
        for sc in self.scenarios:
            self.sector_combo.addItem(str(sc.get("name_zh") if lang == "zh" else sc["name"]), sc["name"])
        i = self.sector_combo.findData("baseline")
        self.sector_combo.setCurrentIndex(max(i, 0))
        self.sector_combo.blockSignals(False)
        self._fill_table()
        self._set_hover("")
        self.retranslate_ui()
        for chart in (self.chart_paths, self.chart_sector, self.chart_macc, self.chart_tornado):
            chart.update()

    def set_shown(self, name: str, on: bool) -> None:
        """Tick or untick scenario ``name`` (as a click on its box)."""
        self._checks[name].setChecked(on)

    def _on_toggled(self) -> None:
        self.shown = [k for k, c in self._checks.items() if c.isChecked()]
        self.chart_paths.update()

    def _fill_table(self) -> None:
        lang = ui_lang()
        rows = self.scenarios
        self.table.setRowCount(len(rows))
        for i, sc in enumerate(rows):
            texts = [str(sc.get("name_zh") if lang == "zh" else sc["name"]),
                     _year_text(sc.get("peak_year"), tr("not by 2060")), number(sc.get("peak_t_co2")),
                     _year_text(sc.get("indicator_year")), _year_text(sc.get("net_zero_year")),
                     number(sc.get("t_co2_2030")), number(sc.get("cumulative_2060_t_co2"))]
            for j, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setData(Qt.ItemDataRole.UserRole, sc["name"])
                self.table.setItem(i, j, item)
        names = [sc["name"] for sc in rows]
        if "baseline" in names:
            self.table.selectRow(names.index("baseline"))

    def selected_scenario(self) -> str | None:
        """The key of the scenario selected in the table (基准 by default)."""
        items = self.table.selectedItems()
        if items:
            return str(items[0].data(Qt.ItemDataRole.UserRole))
        names = [sc["name"] for sc in self.scenarios]
        return "baseline" if "baseline" in names else (names[0] if names else None)

    # -- drawing -----------------------------------------------------------------------------------
    def _draw_paths(self, p, rect, lang):
        if not self.scenarios:
            return None
        return pathway_chart(p, rect, self.section, lang, scenarios=self.shown, font_pt=7.5)

    def _draw_sector(self, p, rect, lang):
        name = self.sector_combo.currentData()
        if not self.scenarios or name is None:
            return None
        return sector_chart(p, rect, self.section, str(name), lang, font_pt=7.5)

    def _draw_macc(self, p, rect, lang):
        if not self.section.get("macc"):
            return None
        return macc_chart(p, rect, self.section["macc"], lang, font_pt=7.5)

    def _draw_tornado(self, p, rect, lang):
        if not self.section.get("sensitivity"):
            return None
        return tornado_chart(p, rect, self.section["sensitivity"], lang, font_pt=7.5)

    # -- hover -------------------------------------------------------------------------------------
    def _set_hover(self, text: str, chart=None, global_pos=None) -> None:
        self.hover_text = text
        self.hover.setText(text)
        if text and chart is not None and global_pos is not None:
            QToolTip.showText(global_pos, text, chart)
        else:
            QToolTip.hideText()

    def _year_hover(self, chart, x: float, y: float, names) -> str:
        geo = chart.geometry_info
        if geo is None or not geo.plot.contains(x, y):
            return ""
        a, b = geo.x_range
        year = round(a + (x - geo.plot.left()) / (geo.plot.width() or 1.0) * (b - a))
        return value_text(self.section, year, names, ui_lang())

    def _on_hover_paths(self, x: float, y: float, global_pos) -> None:
        self._set_hover(self._year_hover(self.chart_paths, x, y, self.shown), self.chart_paths, global_pos)

    def _on_hover_paths_sector(self, x: float, y: float, global_pos) -> None:
        name = self.sector_combo.currentData()
        self._set_hover(self._year_hover(self.chart_sector, x, y, [name]), self.chart_sector, global_pos)

    def macc_text(self, index: int) -> str:
        """"屋顶光伏：减排 28,944 吨CO₂/年，成本 −650 元/吨CO₂，2026 年起" for bar ``index``."""
        bars = macc_bars(self.section.get("macc") or [], ui_lang())
        rows = sorted(self.section.get("macc") or [], key=lambda m: (float(m["cost_yuan_per_t_co2"]),
                                                                     -float(m["abatement_t_co2_yr"])))
        start = rows[index].get("start_year") if index < len(rows) else None
        return tr("{0}: abates {1} t CO₂/yr at {2} yuan/t CO₂, from {3}").format(
            bars.labels[index], number(bars.x1[index] - bars.x0[index]), number(bars.cost[index]),
            _year_text(start))

    def _on_hover_macc(self, x: float, y: float, global_pos) -> None:
        geo = self.chart_macc.geometry_info
        i = geo.bar_at(x, y) if geo is not None and hasattr(geo, "bar_at") else None
        self._set_hover(self.macc_text(i) if i is not None else "", self.chart_macc, global_pos)

    def _on_hover_tornado(self, x: float, y: float, global_pos) -> None:
        geo = self.chart_tornado.geometry_info
        i = geo.row_at(x, y) if geo is not None and hasattr(geo, "row_at") else None
        text = ""
        if i is not None:
            rows = sorted(self.section.get("sensitivity") or [], key=lambda r: -float(r["swing_t_co2"] or 0))
            r = rows[i]
            text = tr("{0}: {1} t (−{2}%) · {3} t (base) · {4} t (+{2}%); peak {5}/{6}/{7}").format(
                r.get("driver_zh") if ui_lang() == "zh" else r.get("driver_en"), number(r.get("t_co2_low")),
                f"{float(r.get('pct') or 0):g}", number(r.get("t_co2_base")), number(r.get("t_co2_high")),
                _year_text(r.get("peak_year_low")), _year_text(r.get("peak_year_base")),
                _year_text(r.get("peak_year_high")))
        self._set_hover(text, self.chart_tornado, global_pos)

    # -- editing and recomputing -------------------------------------------------------------------
    def edit_scenario(self, name: str | None = None, modal: bool = True):
        """Open the editor on scenario ``name`` (default: the one selected; 基准+措施 edits 基准).
        Saving recomputes (:meth:`apply_scenarios`). Returns the editor (also ``last_editor``)."""
        from app.gui.pathways_editor import ScenarioEditor
        from app.park_pathways import section_scenarios

        name = (name or self.selected_scenario() or "baseline").split("+")[0]
        scen = next((s for s in section_scenarios(self.section) if s.name == name), None)
        if scen is None:
            return None
        editor = ScenarioEditor(scen, self)
        editor.accepted.connect(lambda: self.apply_scenarios([editor.result_scenario]))
        self.last_editor = editor
        if modal:
            editor.open()
        return editor

    def load_scenarios(self, path: str | None = None) -> None:
        """Read a scenario file (CSV/Excel, the long format of resources/pathways/scenarios.csv) and add
        its scenarios (:meth:`apply_scenarios`); a bad file shows the core's message."""
        from gis.carbon.pathways import read_scenarios
        from gis.errors import InputError

        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, tr("Load scenarios"), "",
                                                  tr("Tables (*.csv *.xlsx *.xls);;All files (*)"))
            if not path:
                return
        try:
            scenarios = read_scenarios(path)
        except InputError as err:
            QMessageBox.warning(self, tr("Load scenarios"), pick(err.zh, err.en))
            return
        self.apply_scenarios(scenarios)

    def apply_scenarios(self, scenarios: list) -> dict:
        """Recompute the section with ``scenarios`` added (a key already there is replaced), keep the
        user's scenarios in the project beside its kept measures and target, and show the result.
        Returns the new section."""
        from app.park_pathways import rerun_section, section_scenarios, store_inputs, stored_inputs

        ws = self.workspace
        kept_s, kept_m, kept_t = stored_inputs(ws if ws is not None else {})
        mine = {s.name: s for s in kept_s or []}
        mine.update({s.name: s for s in scenarios})
        current = {s.name: s for s in section_scenarios(self.section)}
        current.update(mine)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            new = rerun_section(self.section, scenarios=list(current.values()), measures=None, target=kept_t,
                                summary=getattr(ws, "summary", None))
        finally:
            QGuiApplication.restoreOverrideCursor()
        section = {**self.section, **new}
        if ws is not None:
            store_inputs(ws, scenarios=list(mine.values()), measures=kept_m, target=kept_t)
            ws.summary[SECTION] = section
            ws.dirty = True
            ws.changed.emit(ws, "results")
        if self.section != section:
            self.set_summary(section)
        self.recomputed.emit()
        return section

    # -- text --------------------------------------------------------------------------------------
    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            if self.section:  # scenario names in the boxes, the table and the combo follow the language
                self.set_summary(self.section)
            else:
                self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        has = bool(self.scenarios)
        self.title.setText(tr("Emission pathways to 2060"))
        self.empty.setText(tr("No pathways yet. Run All adds them when the park has an energy table; or "
                              "choose Processing → Carbon → Pathways to 2060."))
        self.empty.setVisible(not has)
        self.content.setVisible(has)
        if has:
            thr = self.section.get("indicator_threshold")
            self.subtitle.setText(tr("Base year {0} · indicator ≤ {1} t CO₂/tce · hover a chart for values")
                                  .format(self.section.get("base_year"), thr if thr is not None else "—"))
        for i, text in enumerate((tr("Pathways"), tr("By sector"), tr("MACC"), tr("Sensitivity"))):
            self.tabs.setTabText(i, text)
        self.table.setHorizontalHeaderLabels([tr("Scenario"), tr("Peak year"), tr("Peak t CO₂"),
                                              tr("Indicator met"), tr("Net zero"), tr("2030 t CO₂"),
                                              tr("Cumulative to 2060 t CO₂")])
        self.edit_button.setText(tr("Edit scenario…"))
        self.edit_button.setToolTip(tr("Edit the selected scenario's assumptions and recompute"))
        self.load_button.setText(tr("Load scenarios…"))
        self.load_button.setToolTip(tr("Add the scenarios of a CSV/Excel file (as resources/pathways/"
                                       "scenarios.csv) and recompute; kept in the project"))
        self.sector_caption.setText(tr("Scenario"))

    # -- following the workspace -------------------------------------------------------------------


def install_pathways_panel(window) -> PathwaysPanel:
    """Add the Pathways panel 路径 to ``window`` (like app.gui.trends_panel.install_trends_panel): its
    dock tabbed with the dashboard, hidden until a result arrives, then shown behind the dashboard."""
    panel = PathwaysPanel(window)
    panel.dock = window.add_panel(panel, "pathways", Qt.DockWidgetArea.RightDockWidgetArea,
                                  title=lambda: tr("Pathways"), tabify_with=window.dock_dashboard,
                                  visible=False, bind=panel.bind)
    panel.has_result.connect(lambda: offer_behind_dashboard(window, panel.dock))
    panel.bind(window.workspace)
    return panel
