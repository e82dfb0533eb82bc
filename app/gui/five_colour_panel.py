"""The Five-colour map panel (issues #19 and #20): a year slider that redraws the township map live,
and the drill-down district › township › enterprise.

- **Years.** When the workspace has a five-colour map (``results.intensity`` and the
  ``township_intensity`` layer), the map's value is computed for every year of its statistics once
  (:func:`app.drilldown.year_stack`); moving the slider classifies that year and recolours the
  existing layer (:class:`app.drilldown.YearMap`: no re-join, no new layer). Breaks: the map's own
  year for every year (default; colours comparable, said on the legend) or recomputed per year.
  With many townships (≥ :data:`DRAFT_MIN_FEATURES`) a step is drawn without outlines and the
  outlines come back :data:`FULL_REDRAW_MS` after the last step (the outlines are most of the
  drawing time: benchmarks/bench_five_colour.py).
- **Drill-down.** Double-click a township on the map (or select it and press "Enterprises"): the
  map zooms to it and shows its enterprises coloured by carbon-efficiency grade (layer
  ``enterprise_points``), the breadcrumb reads 区县 › <township> › 企业, and the panel gives the
  township's totals as the sum of its enterprises, with what lies outside every township and what
  could not be placed. Back returns to the township map. Enterprises come from the park's energy
  table (graded for the map's year when the table has it), placed by coordinates or by their
  buildings (:func:`app.drilldown.enterprise_level`).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.charts.energy_tables import number
from app.gui.i18n import ui_lang
from app.gui.result_panel import FollowsWorkspace, offer_behind_dashboard, scrolled_page

DRAFT_MIN_FEATURES = 10_000
"""From this many township polygons a slider step is drawn without outlines first (measured:
40,000 polygons redraw in ~180 ms without and ~450 ms with outlines on a 2-core machine)."""
FULL_REDRAW_MS = 400
"""The outlines come back this long after the last slider step."""
ENTERPRISE_LAYER = "enterprise_points"


def tr(text: str) -> str:
    return QCoreApplication.translate("FiveColourPanel", text)


class FiveColourPanel(FollowsWorkspace, QWidget):
    """``set_year(y)``, ``set_mode("reference"|"per_year")``, ``drill(key)``, ``back()``; ``level``
    is ``township`` or ``enterprise``; ``crumbs`` the breadcrumb's parts. Signal ``has_result`` when
    a map is shown."""

    has_result = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("five_colour_panel")
        self.workspace = None
        self._unsubscribe = None
        self.canvas = None
        self.result = None
        self.layer = None
        self.year_map = None
        self.levels: dict = {}  # year → EnterpriseLevel
        self.level_error = ""
        self.drilled = None  # township key shown at the enterprise level
        self.enterprise_layer = None
        self._extent_before = None
        self._full_timer = QTimer(self)
        self._full_timer.setSingleShot(True)
        self._full_timer.setInterval(FULL_REDRAW_MS)
        self._full_timer.timeout.connect(self._full_redraw)

        self.title = QLabel()
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        f.setBold(True)
        self.title.setFont(f)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #606060; padding: 12px;")
        self.breadcrumb = QLabel()
        self.breadcrumb.setObjectName("five_colour_breadcrumb")
        self.breadcrumb.setTextFormat(Qt.TextFormat.RichText)
        self.back_button = QPushButton()
        self.back_button.setObjectName("five_colour_back")
        self.back_button.clicked.connect(self.back)
        self.drill_button = QPushButton()
        self.drill_button.setObjectName("five_colour_drill")
        self.drill_button.clicked.connect(self.drill_selected)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("five_colour_year_slider")
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.valueChanged.connect(self._on_slider)
        self.year_caption = QLabel()
        self.year_label = QLabel()
        self.year_label.setMinimumWidth(40)
        self.mode = QComboBox()
        self.mode.setObjectName("five_colour_mode")
        self.mode.addItem("", "reference")
        self.mode.addItem("", "per_year")
        self.mode.currentIndexChanged.connect(self._on_mode)
        # a long item text must not widen the dock (the map keeps most of the window)
        self.mode.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.mode.setMinimumContentsLength(12)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #606060;")
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setObjectName("five_colour_totals")
        self.reconcile = QLabel()
        self.reconcile.setWordWrap(True)
        self.reconcile.setObjectName("five_colour_reconcile")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #606060;")

        crumb_row = QHBoxLayout()
        crumb_row.addWidget(self.breadcrumb, 1)
        crumb_row.addWidget(self.drill_button)
        crumb_row.addWidget(self.back_button)
        year_row = QHBoxLayout()
        year_row.addWidget(self.year_caption)
        year_row.addWidget(self.slider, 1)
        year_row.addWidget(self.year_label)
        self.content = QWidget()
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(crumb_row)
        lay.addLayout(year_row)
        lay.addWidget(self.mode)
        for w in (self.note, self.counts, self.totals, self.reconcile, self.hint):
            lay.addWidget(w)
        scrolled_page(self, self.title, self.empty, self.content)
        self.retranslate_ui()

    # -- workspace -----------------------------------------------------------------------------------
    def bind(self, workspace, canvas=None) -> None:
        if canvas is not None and canvas is not self.canvas:
            if self.canvas is not None:
                self.canvas.removeEventFilter(self)
            self.canvas = canvas
            canvas.installEventFilter(self)
        super().bind(workspace, canvas)

    def refresh(self) -> None:
        ws = self.workspace
        results = getattr(ws, "results", None) if ws is not None else None
        result = getattr(results, "intensity", None) if results is not None else None
        layer = ws.layer("township_intensity") if ws is not None and hasattr(ws, "layer") else None
        if result is None or layer is None or len(layer.gdf) != len(result.layer):
            if self.result is not None:
                self.set_map(None, None)
            return
        if result is not self.result or layer is not self.layer:
            self.set_map(result, layer)
            self.has_result.emit()

    def set_map(self, result, layer) -> None:
        """Show the years of a five-colour result whose layer is ``layer`` (None: the empty state)."""
        from app.drilldown import YearMap

        if self.drilled is not None:
            self.back()
        self.result, self.layer, self.levels, self.level_error = result, layer, {}, ""
        self.year_map = YearMap.from_result(result, layer) if result is not None else None
        years = self.years
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(len(years) - 1, 0))
        if self.year_map is not None:
            self.slider.setValue(years.index(self.year_map.reference_year))
            # the same classes, with the legend's note: a redisplay, not an edit of the project
            quiet = self.workspace.quiet() if hasattr(self.workspace, "quiet") else contextlib.nullcontext()
            with quiet:
                self.year_map.show(self.year_map.reference_year)
        self.slider.blockSignals(False)
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(0)
        self.mode.blockSignals(False)
        self.retranslate_ui()

    @property
    def years(self) -> list[int]:
        return list(self.year_map.years) if self.year_map is not None else []

    @property
    def year(self) -> int | None:
        return self.year_map.year if self.year_map is not None and self.year_map.year is not None else \
            (self.years[self.slider.value()] if self.years else None)

    @property
    def level(self) -> str:
        return "enterprise" if self.drilled is not None else "township"

    # -- years ---------------------------------------------------------------------------------------
    def set_year(self, year: int) -> None:
        """Move the slider to ``year`` (one of :attr:`years`); the map is redrawn."""
        self.slider.setValue(self.years.index(int(year)))

    def set_mode(self, mode: str) -> None:
        self.mode.setCurrentIndex(self.mode.findData(mode))

    def _on_mode(self, _index: int) -> None:
        if self.year_map is None:
            return
        self.year_map.set_mode(str(self.mode.currentData()))
        self._show_year(self.year_map.year or self.years[self.slider.value()], draft=False)

    def _on_slider(self, index: int) -> None:
        if not self.years:
            return
        self._bring_into_view()
        self._show_year(self.years[index], draft=len(self.layer.gdf) >= DRAFT_MIN_FEATURES)

    def _show_year(self, year: int, draft: bool) -> None:
        self.year_map.show(year, draft=draft)
        if draft:
            self._full_timer.start()
        if self.canvas is not None:
            self.canvas.render_now()  # the step is drawn at once, not after the debounce
        if self.drilled is not None:
            self._show_enterprises(self.drilled, zoom=False)
        self._fill_text()

    def _bring_into_view(self) -> None:
        """Moving the slider over a hidden township layer would change nothing the planner sees:
        show the layer and, the first time, zoom the map to it."""
        if self.layer is None or self.layer.visible:
            return
        self.layer.visible = True
        if self.canvas is not None:
            self.canvas.zoom_to_layer(self.layer)

    def _full_redraw(self) -> None:
        if self.year_map is not None and self.year_map.year is not None:
            self.year_map.show(self.year_map.year)

    # -- drill-down ----------------------------------------------------------------------------------
    def _level(self):
        """The enterprises for the year shown (made once per year), or None with ``level_error``."""
        from app.drilldown import enterprise_level
        from gis.errors import InputError

        park = getattr(self.workspace, "park", None)
        table = getattr(park, "enterprises", None)
        if table is None or len(table) == 0:
            self.level_error = tr("The park has no enterprise energy table: nothing to drill into.")
            return None
        year = self.year
        if year not in self.levels:
            try:
                self.levels[year] = enterprise_level(table, self.layer.gdf, key="join_key", year=year,
                                                     buildings=getattr(park, "buildings", None))
            except InputError:  # the energy table lacks this year: its latest year instead
                try:
                    self.levels[year] = enterprise_level(table, self.layer.gdf, key="join_key",
                                                         buildings=getattr(park, "buildings", None))
                except InputError as e:
                    self.level_error = e.zh if ui_lang() == "zh" else e.en
                    return None
        self.level_error = ""
        return self.levels[year]

    def drill_selected(self) -> None:
        """Drill into the first selected township (the hint says how when none is selected)."""
        if self.layer is None:
            return
        rows = list(self.layer.selection)
        keys = [self.layer.gdf["join_key"].iloc[r] for r in rows]
        keys = [k for k in keys if isinstance(k, str) or k == k]
        if not keys:
            self.hint.setText(tr("Select a township on the map (or double-click it) to see its enterprises."))
            return
        self.drill(keys[0])

    def drill(self, key) -> bool:
        """Show the enterprises of township ``key`` (a ``join_key``); False when there is nothing
        to show (no enterprise table: the reason is in the hint)."""
        if self.layer is None:
            return False
        level = self._level()
        if level is None:
            self.hint.setText(self.level_error)
            return False
        if self.drilled is None and self.canvas is not None:
            self._extent_before = self.canvas.extent()
        self.drilled = str(key)
        self._show_enterprises(self.drilled, zoom=True)
        self._fill_text()
        return True

    def _show_enterprises(self, key: str, zoom: bool) -> None:
        from layers.preset_styles import enterprise_points_style
        from layers.presets import styled_layer

        level = self._level()
        if level is None:
            return
        pts = level.in_township(key)
        if self.enterprise_layer is None:
            self.enterprise_layer = styled_layer(ENTERPRISE_LAYER, pts, lang=ui_lang())
        else:
            self.enterprise_layer.gdf = pts
            title = ("企业碳效等级", "Enterprise grades")
            self.enterprise_layer.style = enterprise_points_style(pts, title=title)
        ws = self.workspace
        tree = getattr(ws, "tree", None)
        if tree is not None and not tree.contains(self.enterprise_layer):
            ws.add_layer(self.enterprise_layer, "results")
        self.enterprise_layer.visible = True
        if zoom and self.canvas is not None:
            self._zoom_to(key)

    def _zoom_to(self, key: str) -> None:
        crs = self.canvas.crs()
        gdf = self.layer.in_crs(crs) if crs is not None else self.layer.gdf
        sel = gdf[(gdf["join_key"].astype("string") == key).fillna(False).to_numpy()]
        if not len(sel):
            return
        x0, y0, x1, y1 = (float(v) for v in sel.total_bounds)
        pad = 0.08 * max(x1 - x0, y1 - y0)
        self.canvas.set_extent((x0 - pad, y0 - pad, x1 + pad, y1 + pad))

    def back(self) -> None:
        """Back to the township map (the enterprise layer leaves the map, the extent returns)."""
        if self.drilled is None:
            return
        self.drilled = None
        ws = self.workspace
        if self.enterprise_layer is not None and ws is not None and getattr(ws, "tree", None) is not None \
                and ws.tree.contains(self.enterprise_layer):
            ws.remove_layer(self.enterprise_layer)
        if self.canvas is not None and self._extent_before is not None:
            self.canvas.set_extent(self._extent_before)
        self._extent_before = None
        self._fill_text()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """A double-click on a township of the map drills into it (when the map is shown)."""
        if obj is self.canvas and event.type() == QEvent.Type.MouseButtonDblClick and self.layer is not None \
                and self.layer.visible and self.isVisible():
            p = event.position()
            rows = self.canvas.features_at_pixel(p.x(), p.y(), self.layer)
            keys = [self.layer.gdf["join_key"].iloc[int(r)] for r in rows]
            keys = [k for k in keys if isinstance(k, str) or (k is not None and k == k)]
            if keys:
                self.drill(keys[0])
                return True
        return False

    # -- text ----------------------------------------------------------------------------------------
    def township_name(self, key) -> str:
        g = self.layer.gdf
        hit = g[(g["join_key"].astype("string") == str(key)).fillna(False).to_numpy()]
        for col in ("name", "名称", "乡镇街道名称", "poly_name"):
            if col in hit.columns and len(hit) and hit[col].notna().any():
                return str(hit[col].dropna().iloc[0])
        return str(key)

    @property
    def crumbs(self) -> list[str]:
        parts = [tr("District"), tr("Township")]
        if self.drilled is not None:
            parts = [tr("District"), self.township_name(self.drilled), tr("Enterprises")]
        return parts

    def _fill_text(self) -> None:
        crumbs = self.crumbs
        html = " › ".join([*crumbs[:-1], f"<b>{crumbs[-1]}</b>"])
        self.breadcrumb.setText(html)
        self.back_button.setEnabled(self.drilled is not None)
        ym = self.year_map
        if ym is None:
            return
        self.year_label.setText(str(ym.year or ""))
        zh, en = ym.note()
        self.note.setText(zh if ui_lang() == "zh" else en)
        c = ym.layer.style.classes if hasattr(ym.layer.style, "classes") else []
        self.counts.setText(" · ".join(tr("class {0}: {1}").format(k + 1, cb.count) for k, cb in enumerate(c))
                            + " · " + tr("no data: {0}").format(getattr(ym.layer.style, "no_data_count", 0)))
        self.totals.setText("")
        self.reconcile.setText("")
        self.hint.setText(tr("Double-click a township on the map (or select it and press Enterprises) to see "
                             "its enterprises by carbon-efficiency grade.") if self.drilled is None else "")
        if self.drilled is None:
            return
        level = self._level()
        if level is None:
            self.hint.setText(self.level_error)
            return
        pts = level.in_township(self.drilled)
        self.totals.setText(tr("{0}, {1}: {2} enterprises · Σ CO₂ {3} t · Σ energy {4} tce · Σ value added "
                               "{5} × 10⁴ yuan (township totals = Σ of its enterprises)").format(
            self.township_name(self.drilled), level.year, len(pts), number(float(pts["t_co2"].sum())),
            number(float(pts["tce"].sum())) if "tce" in pts else "–",
            number(float(pts["value_added_10k_yuan"].sum())) if "value_added_10k_yuan" in pts else "–"))
        r = level.reconcile()
        self.reconcile.setText(tr("All enterprises {0} t CO₂ ({1}) = in townships {2} t ({3}) + outside "
                                  "every township {4} t ({5}) + not placed {6} t ({7})").format(
            number(r["all"]), r["all_n"], number(r["in_townships"]), r["in_townships_n"],
            number(r["outside"]), r["outside_n"], number(r["unplaced"]), r["unplaced_n"]))
        if r["unplaced_n"]:
            names = ", ".join(str(v) for v in level.unplaced["entity"].head(10))
            self.hint.setText(tr("Not placed: {0}").format(names))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def retranslate_ui(self) -> None:
        has = self.year_map is not None
        self.title.setText(tr("Five-colour map over the years"))
        self.empty.setText(tr("No five-colour map yet. Choose Analysis → Five-colour Township Map (or Run "
                              "All) with a statistics table; its years appear here."))
        self.empty.setVisible(not has)
        self.content.setVisible(has)
        self.year_caption.setText(tr("Year"))
        self.slider.setToolTip(tr("Drag to recolour the township map for another year"))
        self.back_button.setText(tr("Back"))
        self.back_button.setToolTip(tr("Back to the township map"))
        self.drill_button.setText(tr("Enterprises"))
        self.drill_button.setToolTip(tr("Show the enterprises of the selected township"))
        ref = self.year_map.reference_year if has else ""
        self.mode.setItemText(0, tr("Breaks of {0} for every year (colours comparable)").format(ref))
        self.mode.setItemText(1, tr("Breaks recomputed each year"))
        if has:
            self._fill_text()


def install_five_colour_panel(window) -> FiveColourPanel:
    """Add the Five-colour panel to ``window`` (like app.gui.trends_panel.install_trends_panel): its
    dock tabbed with the dashboard, hidden until a five-colour map exists (View → Panels opens it)."""
    panel = FiveColourPanel(window)
    panel.dock = window.add_panel(panel, "five_colour", Qt.DockWidgetArea.RightDockWidgetArea,
                                  title=lambda: tr("Five-colour map"), tabify_with=window.dock_dashboard,
                                  visible=False, bind=panel.bind)
    panel.has_result.connect(lambda: offer_behind_dashboard(window, panel.dock))
    panel.bind(window.workspace, window.canvas)
    return panel
