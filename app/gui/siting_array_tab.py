"""The Siting panel's PV array tab: the area (drawn on the map or the selected polygons of a
layer), exclusions, tilt/azimuth, row spacing and table make-up (a form applied 250 ms after the
last edit), the live layout's figures and **Compute Yield**. It draws what the model
(``app.siting.array``) tells it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.siting_tools import tool_icon
from app.gui.siting_widgets import ROAD_EXCLUDES, choose, debounce_timer, fill_roads, row, spin, ui_lang
from app.siting.exclusions import AUTO, NO_LAYER
from app.siting.options import ARRAY_LAYERS, ArrayOptions
from gis.errors import InputError

if TYPE_CHECKING:
    from app.gui.siting import SitingPanel

EXCLUSION_LAYER_EXCLUDES = ("boundary", "townships", *ARRAY_LAYERS)
"""Layers never offered as buildings or water."""

def tr(text: str) -> str:
    return QCoreApplication.translate("Siting", text)


def factor_text(f) -> str:
    """The grid factor in the UI language: its name, year and kgCO2/kWh (not the bilingual label)."""
    name = f.name_zh if ui_lang() == "zh" else f.name_en
    return f"{name} {f.year}: {f.kg_co2_per_kwh} kgCO2/kWh"


class ArrayTab(QWidget):
    """Area, settings, live layout and the yield of a ground PV array."""

    def __init__(self, panel: SitingPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.array = panel.array
        self._filling = False
        self._timer = debounce_timer(self, self.apply)
        self._build()
        self.array.laid_out.connect(self.show_layout)
        self.array.yield_done.connect(self.show_yield)
        self.array.failed.connect(self.panel.show_status)

    # -- widgets -----------------------------------------------------------------------------
    def _build(self) -> None:
        o = self.array.options
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self._build_area())
        lay.addWidget(self._build_layout(o))
        self.layout_label = QLabel()
        self.layout_label.setWordWrap(True)
        lay.addWidget(self.layout_label)
        self.compute = QPushButton()
        self.compute.clicked.connect(lambda: self.array.compute_yield(parent=self.window()))
        lay.addWidget(self.compute)
        self.yield_label = QLabel()
        self.yield_label.setWordWrap(True)
        self.yield_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.yield_label)
        lay.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(box)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(2, 2, 2, 2)
        outer.addWidget(scroll)
        for combo in (self.source, self.roads, self.bld_layer, self.water_layer):
            # long layer names (OSM file stems) must not widen the dock: elided, full in the popup
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self._connect_form()
        self.set_options(o)
        self.retranslate_ui()

    def _build_area(self) -> QGroupBox:
        self.g_area = QGroupBox()
        al = QVBoxLayout(self.g_area)
        self.draw = QPushButton()
        self.draw.setIcon(tool_icon("draw_array"))
        self.draw.clicked.connect(lambda: self.panel.set_tool("draw_array"))
        al.addWidget(self.draw)
        self.source = QComboBox()
        self.use_sel = QPushButton()
        self.use_sel.clicked.connect(self._use_selection)
        al.addLayout(row(self.source, self.use_sel, stretch=self.source))
        self.clear = QPushButton()
        self.clear.clicked.connect(self.array.clear_area)
        al.addWidget(self.clear)
        return self.g_area

    def _build_layout(self, o: ArrayOptions) -> QGroupBox:
        self.g_set = QGroupBox()
        f = QFormLayout(self.g_set)
        f.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow dock: fields under labels
        self.boundary = spin(0, 500, o.boundary_setback_m, 1, 0.5, " m")
        self.buildings = spin(0, 1000, o.building_setback_m, 1, 0.5, " m")
        self.road = spin(0, 1000, o.road_setback_m, 1, 0.5, " m")
        self.roads = QComboBox()
        self.bld_layer, self.water_layer = QComboBox(), QComboBox()
        self.l_boundary, self.l_buildings, self.l_road = QLabel(), QLabel(), QLabel()
        self.l_bld_layer, self.l_roads, self.l_water = QLabel(), QLabel(), QLabel()
        f.addRow(self.l_boundary, self.boundary)
        # each exclusion layer on its own row: OSM file names are long and the dock is narrow
        f.addRow(self.l_bld_layer, self.bld_layer)
        f.addRow(self.l_buildings, self.buildings)
        f.addRow(self.l_roads, self.roads)
        f.addRow(self.l_road, self.road)
        f.addRow(self.l_water, self.water_layer)
        self.tilt_opt = QCheckBox()
        self.tilt = spin(0, 75, 25, 1, 1, "°")
        self.l_tilt = QLabel()
        f.addRow(self.l_tilt, row(self.tilt_opt, self.tilt, stretch=self.tilt))
        self.az_opt = QCheckBox()
        self.azimuth = spin(0, 360, 180, 1, 5, "°")
        self.l_azimuth = QLabel()
        f.addRow(self.l_azimuth, row(self.az_opt, self.azimuth, stretch=self.azimuth))
        self.rule = QComboBox()
        self.rule.addItem("", "winter")
        self.rule.addItem("", "gcr")
        self.gcr = spin(0.1, 1.0, 0.5, 2, 0.05)
        self.l_rows = QLabel()
        f.addRow(self.l_rows, row(self.rule, self.gcr, stretch=self.rule))
        self.orient = QComboBox()
        self.orient.addItem("", "portrait")
        self.orient.addItem("", "landscape")
        self.l_orient = QLabel()
        f.addRow(self.l_orient, self.orient)
        self._build_modules(f, o)
        return self.g_set

    def _build_modules(self, f: QFormLayout, o: ArrayOptions) -> None:
        self.up = QSpinBox()
        self.up.setRange(1, 10)
        self.up.setValue(o.modules_up)
        self.along = QSpinBox()
        self.along.setRange(1, 200)
        self.along.setValue(o.modules_along)
        self.l_modules = QLabel()
        f.addRow(self.l_modules, row(self.up, QLabel("×"), self.along))
        self.module_w = spin(100, 1000, o.module_w, 0, 5, " W")
        self.module_l = spin(0.5, 3.5, o.module_length_m, 3, 0.01, " m")
        self.module_wd = spin(0.3, 2.0, o.module_width_m, 3, 0.01, " m")
        self.l_module = QLabel()
        f.addRow(self.l_module, row(self.module_w, self.module_l, self.module_wd))

    def _connect_form(self) -> None:
        for w in (self.roads, self.bld_layer, self.water_layer, self.rule, self.orient):
            w.currentIndexChanged.connect(self.changed)
        for w in (self.tilt_opt, self.az_opt):
            w.toggled.connect(self.changed)
        for w in (self.boundary, self.buildings, self.road, self.tilt, self.azimuth, self.gcr, self.module_w,
                  self.module_l, self.module_wd):
            w.valueChanged.connect(self.changed)
        for w in (self.up, self.along):
            w.setKeyboardTracking(False)
            w.valueChanged.connect(self.changed)

    # -- texts -------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._retranslate_area()
        self._retranslate_layout()
        self.fill_layer_combos()
        self.show_layout(self.array.layout, self.array.last_ms or 0.0)
        if self.array.result is not None:
            self.show_yield(self.array.result)

    def _retranslate_area(self) -> None:
        self.g_area.setTitle(tr("Array area"))
        self.draw.setText(tr("Draw Area on Map"))
        self.draw.setToolTip(tr("Click the corners on the map; double-click or Enter finishes, Backspace "
                                "removes the last corner, Esc cancels"))
        self.use_sel.setText(tr("Use Selected Polygons"))
        self.use_sel.setToolTip(tr("The polygons selected (Select tool) in the chosen layer become the area"))
        self.clear.setText(tr("Clear Area"))
        self.compute.setText(tr("Compute Yield"))
        self.compute.setToolTip(tr("Energy through the rooftop PV chain with row-to-row shading and shading "
                                   "by the park's buildings, land use and avoided CO2 (runs in the "
                                   "background)"))

    def _retranslate_layout(self) -> None:
        self.g_set.setTitle(tr("Layout"))
        self.l_boundary.setText(tr("Boundary inset"))
        self.boundary.setToolTip(tr("Inset from the area's edge, default 2 m: fence and perimeter path "
                                    "(engineering judgement)"))
        self.l_buildings.setText(tr("Building setback"))
        self.buildings.setToolTip(tr("Clear distance from the park's buildings, default 5 m: access/fire "
                                     "path (engineering judgement; local fire rules may ask more). Shading "
                                     "by buildings is computed with the yield"))
        self.l_road.setText(tr("Road setback"))
        self.road.setToolTip(tr("Clear distance from road centrelines, default 5 m: half a 7 m two-lane road "
                                "+ 1.5 m verge"))
        self.roads.setToolTip(tr("A line or polygon layer of roads (none in the sample park)"))
        self.bld_layer.setToolTip(tr("The polygon layer of buildings kept clear of. Automatic: the park's "
                                     "buildings, else the top visible layer whose name or fields say "
                                     "buildings (建筑, building, footprint; an OSM building field)"))
        self.l_bld_layer.setText(tr("Buildings layer"))
        self.l_roads.setText(tr("Roads layer"))
        self.l_water.setText(tr("Water layer"))
        self.water_layer.setToolTip(tr("The polygon layer of open water kept clear of (0 m). Automatic: the "
                                       "park's water, else the top visible layer whose name or fields say "
                                       "water (水, 河, 湖, water; OSM natural=water, landuse=reservoir, "
                                       "waterway). The park's ponds and wetland are always kept clear of"))
        self.l_tilt.setText(tr("Tilt"))
        self.tilt_opt.setText(tr("site optimum"))
        self.tilt_opt.setToolTip(tr("The tilt with the highest annual kWh/kWp on the site's weather through "
                                    "the yield chain (found once per site, ~0.3 s)"))
        self.l_azimuth.setText(tr("Azimuth"))
        self.az_opt.setText(tr("site optimum"))
        self.az_opt.setToolTip(tr("Facing the equator unless turning within ±45° gains ≥ 0.3% (180° = "
                                  "south)"))
        self.l_rows.setText(tr("Row spacing"))
        self.rule.setItemText(0, tr("Winter solstice 9–15 h unshaded"))
        self.rule.setItemText(1, tr("Ground coverage ratio"))
        self.rule.setToolTip(tr("Default: the pitch keeps the winter solstice 9:00–15:00 true solar time "
                                "unshaded (GB 50797-2012 §6.6, exact sun position); or a GCR = slant / "
                                "pitch"))
        self.l_orient.setText(tr("Modules"))
        self.orient.setItemText(0, tr("Portrait"))
        self.orient.setItemText(1, tr("Landscape"))
        self.l_modules.setText(tr("Per table (up × along)"))
        self.up.setToolTip(tr("Default 2 × 14 portrait (\"2P\", 28 modules): a common fixed-tilt table of "
                              "Chinese ground plants"))
        self.along.setToolTip(self.up.toolTip())
        self.l_module.setText(tr("Module W, length, width"))
        self.module_w.setToolTip(tr("Default 575 W, 2.278 × 1.134 m: a current 144-half-cell TOPCon module "
                                    "(DOMAIN.md §5), or the app settings"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def fill_layer_combos(self) -> None:
        model = self.panel.model
        current = self.source.currentData()
        self.source.clear()
        for lyr in model.vector_layers(("polygon",), exclude=ARRAY_LAYERS):
            self.source.addItem(lyr.title, lyr.name)
        if current:
            choose(self.source, current)
        elif self.source.findData("green") >= 0:
            choose(self.source, "green")
        fill_roads(self.roads, model.vector_layers(("line", "polygon"), exclude=ROAD_EXCLUDES),
                   self.roads.currentData() or self.array.options.roads_layer)
        polygons = model.vector_layers(("polygon",), exclude=EXCLUSION_LAYER_EXCLUDES)
        choices = self.array.choices()
        o = self.array.options
        for combo, kind, saved in ((self.bld_layer, "building", o.buildings_layer),
                                   (self.water_layer, "water", o.water_layer)):
            self._fill_exclusion_combo(combo, polygons, choices[kind], combo.currentData() or saved)
        self.array.refresh_sources()  # a layer opened, hidden or removed may change the exclusions

    def _fill_exclusion_combo(self, combo: QComboBox, layers: list, auto: tuple[str, str],
                              current: str) -> None:
        """"Automatic: <the layer it finds>", "(none)", then ``layers``; ``current`` (an option
        value) stays chosen when still there. No change signals."""
        ws = self.panel.model.workspace
        found = ws.layer(auto[0]) if ws is not None and auto[0] and auto[1] in ("role", "guess") else None
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(tr("Automatic: {0}").format(found.title) if found is not None
                      else tr("Automatic (none found)"), AUTO)
        combo.addItem(tr("(none)"), NO_LAYER)
        for lyr in layers:
            combo.addItem(lyr.title, lyr.name)
        if combo.findData(current) >= 0:
            choose(combo, current)
        combo.blockSignals(False)

    # -- options <-> form --------------------------------------------------------------------
    def set_options(self, o: ArrayOptions) -> None:
        self._filling = True
        try:
            self.boundary.setValue(o.boundary_setback_m)
            self.buildings.setValue(o.building_setback_m)
            self.road.setValue(o.road_setback_m)
            choose(self.roads, o.roads_layer)
            choose(self.bld_layer, o.buildings_layer)
            choose(self.water_layer, o.water_layer)
            self.tilt_opt.setChecked(o.tilt_deg is None)
            if o.tilt_deg is not None:
                self.tilt.setValue(o.tilt_deg)
            self.az_opt.setChecked(o.azimuth_deg is None)
            if o.azimuth_deg is not None:
                self.azimuth.setValue(o.azimuth_deg)
            choose(self.rule, "winter" if o.gcr is None else "gcr")
            if o.gcr is not None:
                self.gcr.setValue(o.gcr)
            choose(self.orient, o.orientation)
            self.up.setValue(o.modules_up)
            self.along.setValue(o.modules_along)
            self.module_w.setValue(o.module_w)
            self.module_l.setValue(o.module_length_m)
            self.module_wd.setValue(o.module_width_m)
        finally:
            self._filling = False
        self._enable()

    def options(self) -> ArrayOptions:
        return ArrayOptions(
            boundary_setback_m=self.boundary.value(), building_setback_m=self.buildings.value(),
            road_setback_m=self.road.value(), roads_layer=self.roads.currentData() or "",
            buildings_layer=self.bld_layer.currentData() or AUTO,
            water_layer=self.water_layer.currentData() or AUTO,
            tilt_deg=None if self.tilt_opt.isChecked() else self.tilt.value(),
            azimuth_deg=None if self.az_opt.isChecked() else self.azimuth.value(),
            gcr=self.gcr.value() if self.rule.currentData() == "gcr" else None,
            orientation=self.orient.currentData(), modules_up=self.up.value(),
            modules_along=self.along.value(),
            module_w=self.module_w.value(), module_length_m=self.module_l.value(),
            module_width_m=self.module_wd.value())

    def _enable(self) -> None:
        self.tilt.setEnabled(not self.tilt_opt.isChecked())
        self.azimuth.setEnabled(not self.az_opt.isChecked())
        self.gcr.setEnabled(self.rule.currentData() == "gcr")

    def changed(self, *_args) -> None:
        if self._filling:
            return
        self._enable()
        self._timer.start()

    def apply(self) -> None:
        """Apply the form now (the debounce timer's end, or tests)."""
        self._timer.stop()
        try:
            o = self.options()
            o.table()  # plausibility checks of the module and table (bilingual errors)
        except InputError as exc:
            self.panel.show_status(self.panel.model.describe(exc))
            return
        self.panel.model.save_settings(array=o)
        self.array.set_options(o)

    def _use_selection(self) -> None:
        name = self.source.currentData()
        ws = self.panel.model.workspace
        lyr = ws.layer(name) if name and ws is not None else None
        self.array.use_selection(lyr)

    # -- results -------------------------------------------------------------------------------
    def show_layout(self, lay, ms: float) -> None:
        self.compute.setEnabled(self.array.parts is not None)
        self.yield_label.setText("")
        if lay is None:
            self.layout_label.setText(tr("No array area: draw one on the map or use selected polygons"))
            return
        t = lay.totals()
        optimum = self.array.orientation[2] if self.array.orientation else False
        src = tr("site optimum") if optimum and self.array.options.tilt_deg is None else tr("given")
        gcr_src = tr("winter rule") if t["gcr_source"] != "user" else tr("given")
        note = self.exclusion_note()
        self.layout_label.setText(tr(
            "{0} tables, {1} modules, {2:,.1f} kWp DC; tilt {3:g}°, azimuth {4:g}° ({5}); pitch {6:.2f} m, "
            "GCR {7:.2f} ({8}); usable {9:,.0f} of {10:,.0f} m²; {11} m²/kWp. Laid out in {12:.0f} "
            "ms").format(
            t["tables"], t["modules"], t["kwp"], lay.rows.tilt_deg, lay.rows.azimuth_deg, src, t["pitch_m"],
            t["gcr"], gcr_src, t["usable_m2"], t["area_m2"],
            f"{t['m2_per_kwp']:.1f}" if t["m2_per_kwp"] else "—", ms) + (f"\n{note}" if note else ""))
        done = tr("PV array laid out in {0:.0f} ms").format(ms)
        self.panel.show_status(f"{done} — {note}" if note else done)

    def exclusion_note(self) -> str:
        """The layers the layout kept clear of (the model's sentence, as in summary["pv_array"])."""
        zh, en = self.array.note
        return zh if ui_lang() == "zh" else en

    def show_yield(self, result) -> None:
        s = result.totals
        shade = s.get("shade_loss_pct")
        self.yield_label.setText(tr(
            "Capacity {0:,.1f} kWp DC ({1} modules × {2:g} W); yield {3:,.0f} kWh/yr ({4:,.0f} kWh/kWp); row "
            "shading {5:.1f}%, building shading {6}; land {7} m²/kWp ({8} mu/MW); avoided {9:,.1f} tCO2/yr "
            "({10})").format(
            s["kwp"], s["modules"], s["module_w"], s["kwh_yr"], s["kwh_per_kwp"], s["row_shade_loss_pct"],
            f"{shade:.1f}%" if shade is not None else tr("not computed"),
            f"{s['m2_per_kwp']:.1f}" if s.get("m2_per_kwp") else "—",
            f"{s['mu_per_mw']:.1f}" if s.get("mu_per_mw") else "—", s["t_co2_yr"],
            factor_text(result.grid_factor)))
