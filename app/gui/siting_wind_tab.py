"""The Siting panel's Wind tab: turbine, wind resource, wakes and constraints (a form applied
250 ms after the last edit), the per-turbine table, farm totals, the violation list (click: zoom
to it), the wind rose and the power curve. It draws what the model (``app.siting.wind``) tells it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.siting_widgets import (
    ROAD_EXCLUDES,
    choose,
    debounce_timer,
    fill_roads,
    optional,
    row,
    set_optional,
    spin,
    ui_lang,
)
from app.gui.wind_views import PowerCurveView, WindRoseView
from app.siting.options import GENERIC_DEFAULT, NOISE_CLASSES, WindOptions

if TYPE_CHECKING:
    from app.gui.siting import SitingPanel

def tr(text: str) -> str:
    return QCoreApplication.translate("Siting", text)


class WindTab(QWidget):
    """Settings, results and views of the wind siting."""

    def __init__(self, panel: SitingPanel) -> None:
        super().__init__(panel)
        self.panel = panel
        self.wind = panel.wind
        self._filling = False
        self._timer = debounce_timer(self, self.apply)
        self._build()
        self.wind.evaluated.connect(self.show_result)
        self.wind.timed.connect(self.show_time)
        self.wind.failed.connect(self.show_error)
        self.wind.model_changed.connect(self.update_views)

    # -- widgets -----------------------------------------------------------------------------
    def _build(self) -> None:
        from gis.wind import constraints as C

        self.factors = C.setback_factors()
        form_box = QWidget()
        form_lay = QVBoxLayout(form_box)
        form_lay.setContentsMargins(0, 0, 0, 0)
        form_lay.addWidget(self._build_turbine())
        form_lay.addWidget(self._build_resource())
        form_lay.addWidget(self._build_rules(C.SPACING_DOWNWIND_D, C.SPACING_CROSSWIND_D))
        form_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_box)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("siting_wind_split")  # named: the window remembers its position
        split.addWidget(scroll)
        split.addWidget(self._build_results())
        split.addWidget(self._build_views())
        for i, factor in enumerate((3, 3, 2)):
            split.setStretchFactor(i, factor)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.addWidget(split)

        self._fill_turbines()
        self._connect_form()
        self.retranslate_ui()

    def _build_turbine(self) -> QGroupBox:
        self.g_turbine = QGroupBox()
        f = QFormLayout(self.g_turbine)
        self.turbine = QComboBox()
        self.turbine.setMaxVisibleItems(20)
        self.turbine.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.turbine.setMinimumContentsLength(16)
        self.load_csv = QPushButton()
        self.load_csv.clicked.connect(self._load_csv)
        self.l_turbine = QLabel()
        f.addRow(self.l_turbine, self.turbine)
        f.addRow("", self.load_csv)
        self.generic_kw = spin(1, 20000, GENERIC_DEFAULT[0], 0, 10, " kW")
        self.generic_d = spin(1, 250, GENERIC_DEFAULT[1], 1, 1, " m")
        self.generic_hub = spin(2, 250, GENERIC_DEFAULT[2], 1, 1, " m")
        self.l_generic = QLabel()
        f.addRow(self.l_generic, row(self.generic_kw, self.generic_d, self.generic_hub))
        self.hub = spin(0, 250, 0, 1, 1, " m", special="—")
        self.l_hub = QLabel()
        f.addRow(self.l_hub, self.hub)
        return self.g_turbine

    def _build_resource(self) -> QGroupBox:
        from gis.wind.resource import roughness_table

        self.g_resource = QGroupBox()
        f = QFormLayout(self.g_resource)
        self.resource = QComboBox()
        for key in ("site", "weibull", "file"):
            self.resource.addItem("", key)
        self.l_resource = QLabel()
        f.addRow(self.l_resource, self.resource)
        self.weibull_a = spin(0.5, 25, 6.0, 2, 0.1, " m/s")
        self.weibull_k = spin(0.5, 5, 2.0, 2, 0.1)
        self.weibull_h = spin(0, 300, 0, 1, 1, " m", special="—")
        self.l_weibull = QLabel()
        f.addRow(self.l_weibull, row(self.weibull_a, self.weibull_k, self.weibull_h))
        self.file = QLineEdit()
        self.file.editingFinished.connect(self.changed)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.l_file = QLabel()
        f.addRow(self.l_file, row(self.file, self.browse, stretch=self.file))
        self.file_h = spin(1, 300, 10, 1, 1, " m")
        self.l_file_h = QLabel()
        f.addRow(self.l_file_h, self.file_h)
        self.land_use = QComboBox()
        self.roughness = roughness_table()
        for _, r in self.roughness.iterrows():
            self.land_use.addItem("", str(r["key"]))
        self.l_land_use = QLabel()
        f.addRow(self.l_land_use, self.land_use)
        return self.g_resource

    def _build_rules(self, down_d: float, cross_d: float) -> QGroupBox:
        self.g_rules = QGroupBox()
        f = QFormLayout(self.g_rules)
        self.wake = QComboBox()
        for key in ("jensen", "bastankhah", "none"):
            self.wake.addItem("", key)
        self.l_wake = QLabel()
        f.addRow(self.l_wake, self.wake)
        self.spacing_down = spin(1, 20, down_d, 1, 0.5, " D")
        self.spacing_cross = spin(1, 20, cross_d, 1, 0.5, " D")
        self.l_spacing = QLabel()
        f.addRow(self.l_spacing, row(self.spacing_down, self.spacing_cross))
        self.setback_b = spin(-1, 5000, -1, 0, 5, " m", special="auto")
        self.setback_r = spin(-1, 5000, -1, 0, 5, " m", special="auto")
        self.setback_o = spin(-1, 5000, -1, 0, 5, " m", special="auto")
        self.l_setback_b, self.l_setback_r, self.l_setback_o = QLabel(), QLabel(), QLabel()
        f.addRow(self.l_setback_b, self.setback_b)
        self.roads = QComboBox()
        f.addRow(self.l_setback_r, row(self.setback_r, self.roads, stretch=self.roads))
        f.addRow(self.l_setback_o, self.setback_o)
        self.noise = QComboBox()
        for key in NOISE_CLASSES:
            self.noise.addItem("", key)
        self.l_noise = QLabel()
        f.addRow(self.l_noise, self.noise)
        return self.g_rules

    def _build_results(self) -> QWidget:
        results = QWidget()
        rl = QVBoxLayout(results)
        rl.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 5)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._table_selected)
        rl.addWidget(self.table, 3)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        rl.addWidget(self.totals)
        self.l_violations = QLabel()
        rl.addWidget(self.l_violations)
        self.violations = QListWidget()
        self.violations.setWordWrap(True)
        self.violations.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.violations.itemClicked.connect(self._violation_clicked)
        rl.addWidget(self.violations, 2)
        return results

    def _build_views(self) -> QWidget:
        views = QWidget()
        vl = QHBoxLayout(views)
        vl.setContentsMargins(0, 0, 0, 0)
        self.rose = WindRoseView()
        self.curve = PowerCurveView()
        vl.addWidget(self.rose, 2)
        vl.addWidget(self.curve, 3)
        return views

    def _connect_form(self) -> None:
        for w in (self.turbine, self.resource, self.land_use, self.wake, self.roads, self.noise):
            w.currentIndexChanged.connect(self.changed)
        for w in (self.generic_kw, self.generic_d, self.generic_hub, self.hub, self.weibull_a, self.weibull_k,
                  self.weibull_h, self.file_h, self.spacing_down, self.spacing_cross, self.setback_b,
                  self.setback_r, self.setback_o):
            w.valueChanged.connect(self.changed)

    def _fill_turbines(self) -> None:
        from gis.wind.turbines import bundled_curves, library_table

        self.turbine.blockSignals(True)
        self.turbine.clear()
        for stem in bundled_curves():
            self.turbine.addItem(stem, stem)
        lib = library_table()
        if len(lib):
            self.turbine.insertSeparator(self.turbine.count())
            for _, r in lib.iterrows():
                self.turbine.addItem(f"{r['turbine_type']} ({r['manufacturer']}, {r['rated_kw']:g} kW)",
                                     str(r["turbine_type"]))
        self.turbine.insertSeparator(self.turbine.count())
        self.turbine.addItem("", "generic")
        self.turbine.blockSignals(False)

    # -- texts -------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        self._retranslate_turbine()
        self._retranslate_resource()
        self._retranslate_rules()
        self.table.setHorizontalHeaderLabels([tr("Turbine"), tr("AEP MWh/yr"), tr("Wake loss %"), tr("CF"),
                                              tr("Violations")])
        self.l_violations.setText(tr("Violations (click: zoom to it)"))
        self.fill_layer_combo()
        self.show_result(self.wind.result)

    def _retranslate_turbine(self) -> None:
        self.g_turbine.setTitle(tr("Turbine"))
        self.l_turbine.setText(tr("Type"))
        generic = tr("Generic turbine (rated kW, rotor, hub)")
        self.turbine.setItemText(self.turbine.findData("generic"), generic)
        self.turbine.setToolTip(tr("Bundled power curves (resources/wind/turbines: each file names its "
                                   "source), windpowerlib's offline turbine library (OpenEnergy Database), a "
                                   "power curve CSV of your own, or a generic turbine. Default: "
                                   "ghrepower_fd21_50, a Chinese 50 kW-class small turbine (SWCC-certified "
                                   "curve), as the demo"))
        self.load_csv.setText(tr("Load power curve CSV…"))
        self.load_csv.setToolTip(tr("Columns wind speed (m/s) and power (kW), optional Ct; '# "
                                    "rotor_diameter_m:' and '# hub_height_m:' lines give the rotor and hub "
                                    "(docs/wind.md)"))
        self.l_generic.setText(tr("Generic: kW, rotor, hub"))
        self.generic_kw.setToolTip(tr("Rated power of the generic turbine (DTU WETB standard curve, Cp 0.49 "
                                      "minus gear, generator and converter losses)"))
        self.generic_d.setToolTip(tr("Rotor diameter"))
        self.generic_hub.setToolTip(tr("Hub height"))
        self.l_hub.setText(tr("Hub height"))
        self.hub.setSpecialValueText(tr("turbine's own"))
        self.hub.setToolTip(tr("Hub height of every turbine; default: the curve file's, or the lowest the "
                               "maker offers (windpowerlib)"))

    def _retranslate_resource(self) -> None:
        self.g_resource.setTitle(tr("Wind resource"))
        self.l_resource.setText(tr("Resource"))
        for i, text in enumerate((tr("Park site climate (built-in, as the demo)"), tr("Weibull A, k"),
                                  tr("File (.tab, sector table, EPW, wind map)"))):
            self.resource.setItemText(i, text)
        self.resource.setToolTip(tr("Default: the built-in CSWD climatology's annual mean 10 m speed at the "
                                    "park as a Rayleigh distribution (k = 2), uniform directions, log-law "
                                    "shear over suburban/industrial roughness z0 = 0.4 m "
                                    "(gis.wind.farm.demo_resource)"))
        self.l_weibull.setText(tr("A, k, height"))
        self.weibull_a.setToolTip(tr("Weibull scale A (m/s); default 6.0 with k = 2.0: the DOMAIN.md §6 "
                                     "reference case"))
        self.weibull_k.setToolTip(tr("Weibull shape k"))
        self.weibull_h.setSpecialValueText(tr("hub height"))
        self.weibull_h.setToolTip(tr("Height the Weibull distribution is for; default: the hub height"))
        self.l_file.setText(tr("File"))
        self.file.setPlaceholderText(tr("WAsP .tab, .csv/.xlsx sector table, .epw or wind-map .tif"))
        self.browse.setText(tr("Browse…"))
        self.l_file_h.setText(tr("File height"))
        self.file_h.setToolTip(tr("Height of a sector table or a wind map without one in its name (EPW files "
                                  "are 10 m, .tab files say theirs)"))
        self.l_land_use.setText(tr("Shear (land use)"))
        lang = ui_lang()
        for i, (_, r) in enumerate(self.roughness.iterrows()):
            self.land_use.setItemText(i, str(r["name_zh"] if lang == "zh" else r["name_en"]))
            self.land_use.setItemData(i, str(r["source"]), Qt.ItemDataRole.ToolTipRole)
        self.land_use.setToolTip(tr("Roughness for the shear from the resource height to the hub "
                                    "(resources/wind/roughness.csv); default farmland z0 = 0.1 m, the "
                                    "surroundings of most weather stations (European Wind Atlas)"))

    def _retranslate_rules(self) -> None:
        self.g_rules.setTitle(tr("Wakes and constraints"))
        self.l_wake.setText(tr("Wake model"))
        for i, text in enumerate((tr("Jensen (k = 0.075)"), tr("Bastankhah Gaussian (TI 10%)"), tr("None"))):
            self.wake.setItemText(i, text)
        self.wake.setToolTip(tr("Jensen/Katic top-hat wake, k = 0.075 (WAsP PARK onshore default); "
                                "Bastankhah & Porté-Agel 2014 Gaussian, k* from TI 0.10 (Niayifar & "
                                "Porté-Agel 2016). Both validated against PyWake (docs/wind.md)"))
        self.l_spacing.setText(tr("Spacing along, across"))
        tip = tr("Minimum spacing in rotor diameters: 5 D along the prevailing wind, 3 D across (an ellipse; "
                 "a circle of 5 D without a prevailing direction). DOMAIN.md §6: 3–5 D crosswind, 5–10 D "
                 "downwind; lower ends for tight park sites")
        self.spacing_down.setToolTip(tip)
        self.spacing_cross.setToolTip(tip)
        self.l_setback_b.setText(tr("Setback buildings"))
        self.l_setback_r.setText(tr("Setback roads"))
        self.l_setback_o.setText(tr("Setback boundary"))
        auto = tr("auto: {0:g} × tip height")
        self.setback_b.setSpecialValueText(auto.format(self.factors.get("buildings", 1.5)))
        self.setback_r.setSpecialValueText(auto.format(self.factors.get("roads", 1.1)))
        self.setback_o.setSpecialValueText(auto.format(self.factors.get("boundary", 1.1)))
        self.setback_b.setToolTip(tr("Default 1.5 × tip height (resources/wind/setbacks.csv, e.g. "
                                     "Massachusetts DOER model bylaw; unverified for China)"))
        self.setback_r.setToolTip(tr("Default 1.1 × tip height: fall-over distance + 10% (UK DfT Circular "
                                     "02/2013)"))
        self.setback_o.setToolTip(tr("Default 1.1 × tip height: fall-over distance + 10% (Lingtan "
                                     "convention, unverified)"))
        self.roads.setToolTip(tr("A line or polygon layer of roads (none in the sample park)"))
        self.l_noise.setText(tr("Noise class"))
        self.noise.setItemText(0, tr("auto (by building use)"))
        for i, key in enumerate(NOISE_CLASSES[1:], start=1):
            self.noise.setItemText(i, tr("Class {0}").format(key))
        self.noise.setToolTip(tr("GB 3096-2008 class of the sensitive buildings: auto = by use (homes, "
                                 "schools, hospitals, elderly care → 1; dormitories, mixed → 2; §4.2, "
                                 "resources/wind/noise_class_by_use.csv). ISO 9613-2 spreading and air "
                                 "absorption; default sound power 104 dB(A) unless the curve gives one"))

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def fill_layer_combo(self) -> None:
        fill_roads(self.roads, self.panel.model.vector_layers(("line", "polygon"), exclude=ROAD_EXCLUDES),
                   self.roads.currentData() or self.wind.options.roads_layer)

    # -- options <-> form --------------------------------------------------------------------
    def set_options(self, o: WindOptions) -> None:
        self._filling = True
        try:
            if self.turbine.findData(o.turbine) < 0 and o.turbine not in ("", "generic"):
                self.turbine.addItem(Path(o.turbine).name, o.turbine)
            choose(self.turbine, o.turbine)
            self.generic_kw.setValue(o.generic_kw)
            self.generic_d.setValue(o.generic_d_m)
            self.generic_hub.setValue(o.generic_hub_m)
            set_optional(self.hub, o.hub_height_m)
            choose(self.resource, o.resource)
            self.weibull_a.setValue(o.weibull_a)
            self.weibull_k.setValue(o.weibull_k)
            set_optional(self.weibull_h, o.weibull_height_m)
            self.file.setText(o.resource_file)
            self.file_h.setValue(o.resource_height_m)
            choose(self.land_use, o.land_use)
            choose(self.wake, o.wake)
            self.spacing_down.setValue(o.spacing_downwind_d)
            self.spacing_cross.setValue(o.spacing_crosswind_d)
            set_optional(self.setback_b, o.setback_buildings_m)
            set_optional(self.setback_r, o.setback_roads_m)
            set_optional(self.setback_o, o.setback_boundary_m)
            choose(self.roads, o.roads_layer)
            choose(self.noise, o.noise_class)
        finally:
            self._filling = False
        self._enable()

    def options(self) -> WindOptions:
        return WindOptions(
            turbine=self.turbine.currentData() or "", hub_height_m=optional(self.hub),
            generic_kw=self.generic_kw.value(), generic_d_m=self.generic_d.value(),
            generic_hub_m=self.generic_hub.value(), resource=self.resource.currentData(),
            weibull_a=self.weibull_a.value(), weibull_k=self.weibull_k.value(),
            weibull_height_m=optional(self.weibull_h), resource_file=self.file.text().strip(),
            resource_height_m=self.file_h.value(), land_use=self.land_use.currentData(),
            wake=self.wake.currentData(), spacing_downwind_d=self.spacing_down.value(),
            spacing_crosswind_d=self.spacing_cross.value(), setback_buildings_m=optional(self.setback_b),
            setback_roads_m=optional(self.setback_r), setback_boundary_m=optional(self.setback_o),
            noise_class=self.noise.currentData(), roads_layer=self.roads.currentData() or "")

    def _enable(self) -> None:
        generic = self.turbine.currentData() == "generic"
        for w in (self.generic_kw, self.generic_d, self.generic_hub):
            w.setEnabled(generic)
        kind = self.resource.currentData()
        for w in (self.weibull_a, self.weibull_k, self.weibull_h):
            w.setEnabled(kind == "weibull")
        for w in (self.file, self.browse, self.file_h):
            w.setEnabled(kind == "file")
        self.land_use.setEnabled(kind != "site")

    def changed(self, *_args) -> None:
        if self._filling:
            return
        self._enable()
        self._timer.start()

    def apply(self) -> None:
        """Apply the form now (the debounce timer's end, or tests)."""
        self._timer.stop()
        o = self.options()
        self.panel.model.save_settings(wind=o)
        self.wind.set_options(o)

    def _load_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Load power curve CSV…"), "",
                                              tr("Power curves (*.csv *.txt);;All files (*)"))
        if path:
            self.add_curve(path)

    def add_curve(self, path: str) -> None:
        """Choose the power-curve file ``path`` as the turbine."""
        if self.turbine.findData(path) < 0:
            self.turbine.addItem(Path(path).name, path)
        choose(self.turbine, path)
        self.apply()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Wind resource file"), self.file.text(),
                                              tr("Wind resources (*.tab *.csv *.xlsx *.epw *.tif "
                                                 "*.tiff);;All files (*)"))
        if path:
            self.file.setText(path)
            choose(self.resource, "file")
            self.apply()

    # -- results -------------------------------------------------------------------------------
    def update_views(self) -> None:
        res = self.wind.resource
        self.rose.set_climate(res.climate if res is not None else None)
        self.curve.set_turbine(self.wind.turbine)

    def show_error(self, message: str) -> None:
        self.panel.show_status(message)

    def show_result(self, res) -> None:
        self.table.setRowCount(0)
        self.violations.clear()
        if res is None:
            self.totals.setText(tr("No turbines: choose Place Turbine and click on the map"))
            return
        lang = ui_lang()
        self._fill_table(res.turbines, lang)
        t, s = res.turbines, res.totals
        self.totals.setText(tr("{0} turbines, {1:,.0f} kW; AEP {2:,.1f} MWh/yr (gross {3:,.1f}), wake loss "
                               "{4:.2f}%, capacity factor {5:.3f}; air density {6:.3f} kg/m³").format(
            len(t), s.get("capacity_kw", 0.0), s.get("aep_mwh", 0.0), s.get("gross_aep_mwh", 0.0),
            s.get("wake_loss_pct", 0.0), s.get("cf", 0.0), s.get("air_density_kg_m3", 0.0)))
        v = res.violations
        msgs = v["message_zh" if lang == "zh" else "message_en"].tolist() if len(v) else []
        for k, msg in enumerate(msgs):
            item = QListWidgetItem(f"{v['turbine'].iloc[k]}: {msg}")
            item.setData(Qt.ItemDataRole.UserRole, k)
            item.setForeground(Qt.GlobalColor.darkRed)
            self.violations.addItem(item)
        unchecked = [p for p in res.problems if p.code.startswith("wind.unchecked")]
        for p in unchecked:  # say what "no violations" did not look at
            item = QListWidgetItem(p.zh if lang == "zh" else p.en)
            item.setForeground(Qt.GlobalColor.darkYellow)
            self.violations.addItem(item)
        if not msgs:
            self.violations.addItem(QListWidgetItem(
                tr("No violations of the rules checked") if unchecked else tr("No violations")))

    def _fill_table(self, t, lang: str) -> None:
        """One row per turbine: id, AEP (MWh/yr), wake loss (%), capacity factor, violations (red)."""
        self.table.setRowCount(len(t))
        vtext = t["violations_zh" if lang == "zh" else "violations"].tolist()
        cols = zip(t["turbine_id"], t["aep_mwh"], t["wake_loss_pct"], t["cf"], t["n_violations"], strict=True)
        for r, (tid, aep, wl, cf, nv) in enumerate(cols):
            cells = [str(tid), f"{aep:,.1f}", f"{wl:.2f}", f"{cf:.3f}", str(int(nv))]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if nv:
                    item.setForeground(Qt.GlobalColor.red)
                    item.setToolTip(vtext[r])
                self.table.setItem(r, c, item)

    def show_time(self, ms: float, n: int) -> None:
        text = tr("Updated in {0:.0f} ms ({1} turbines; evaluate {2:.0f} ms)").format(
            ms, n, self.wind.last_eval_ms or 0.0)
        self.panel.show_status(text)

    def _violation_clicked(self, item: QListWidgetItem) -> None:
        k = item.data(Qt.ItemDataRole.UserRole)
        if k is None:
            return
        self.panel.zoom_to_violation(int(k))

    def _table_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedItems()})
        ws = self.panel.model.workspace
        lyr = ws.layer("turbines") if ws is not None else None
        if lyr is not None and len(lyr.gdf) == self.table.rowCount():
            lyr.selection = rows
