"""The Settings dialog (Settings → Settings…): tabs General / Carbon / Map / Buildings & PV over the
application settings of :mod:`app.gui.settings`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.settings import (
    AREA_UNITS,
    BASEMAPS,
    AppSettings,
    default_storey_heights,
    module_defaults,
)
from gis.defaults import DEFAULT_FACTOR_SET, DEFAULT_INDICATOR_SET


class SettingsDialog(QDialog):
    """Tabs General / Carbon / Map / Buildings & PV; OK writes everything, Cancel nothing."""

    def __init__(self, parent: QWidget | None = None, settings: AppSettings | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or AppSettings()
        self.setMinimumWidth(520)
        self.tabs = QTabWidget()
        self._build_general()
        self._build_carbon()
        self._build_map()
        self._build_buildings()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            self.restore_defaults)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tabs)
        lay.addWidget(self.buttons)
        self.load()
        self.retranslate_ui()

    # -- construction ----------------------------------------------------------------------------
    def _build_general(self) -> None:
        w = QWidget()
        form = QFormLayout(w)
        self.language = QComboBox()
        self.language.addItem("中文", "zh")
        self.language.addItem("English", "en")
        self.area_unit = QComboBox()
        for u in AREA_UNITS:
            self.area_unit.addItem("", u)
        self.lbl_language, self.lbl_area = QLabel(), QLabel()
        form.addRow(self.lbl_language, self.language)
        form.addRow(self.lbl_area, self.area_unit)
        self.tab_general = w
        self.tabs.addTab(w, "")

    def _build_carbon(self) -> None:
        from gis.carbon.factors import factor_set_table
        from gis.carbon.indicators import indicator_sets

        w = QWidget()
        form = QFormLayout(w)
        self.factor_set = QComboBox()
        self._factor_rows = factor_set_table()
        for r in self._factor_rows.itertuples():
            self.factor_set.addItem("", str(r.key))
        self.indicator_set = QComboBox()
        self._indicator_names = indicator_sets()
        for key in self._indicator_names:
            self.indicator_set.addItem("", key)
        self.lbl_factor, self.lbl_indicator = QLabel(), QLabel()
        self.factor_note = QLabel()
        self.factor_note.setWordWrap(True)
        form.addRow(self.lbl_factor, self.factor_set)
        form.addRow("", self.factor_note)
        form.addRow(self.lbl_indicator, self.indicator_set)
        self.factor_set.currentIndexChanged.connect(self._factor_note)
        self.tab_carbon = w
        self.tabs.addTab(w, "")

    def _build_map(self) -> None:
        w = QWidget()
        form = QFormLayout(w)
        self.network = QCheckBox()
        self.basemap = QComboBox()
        for b in BASEMAPS:
            self.basemap.addItem("", b)
        self.tianditu_key = QLineEdit()
        self.basemap_url = QLineEdit()
        self.basemap_url.setPlaceholderText("https://tile.example.org/{z}/{x}/{y}.png")
        self.lbl_basemap, self.lbl_key, self.lbl_url = QLabel(), QLabel(), QLabel()
        self.network_note = QLabel()
        self.network_note.setWordWrap(True)
        form.addRow(self.network)
        form.addRow(self.network_note)
        form.addRow(self.lbl_basemap, self.basemap)
        form.addRow(self.lbl_key, self.tianditu_key)
        form.addRow(self.lbl_url, self.basemap_url)
        self.network.toggled.connect(self._enable_map)
        self.basemap.currentIndexChanged.connect(self._enable_map)
        self.tab_map = w
        self.tabs.addTab(w, "")

    def _build_buildings(self) -> None:
        from gis.buildings import storey_heights

        w = QWidget()
        lay = QVBoxLayout(w)
        self.lbl_storey = QLabel()
        self.lbl_storey.setWordWrap(True)
        self.storey = QTableWidget(0, 2)
        self.storey.verticalHeader().setVisible(False)
        self.storey.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._uses = [(str(r.use), str(r.use_zh)) for r in storey_heights().itertuples()]
        self._storey_spins: dict[str, QDoubleSpinBox] = {}
        self.storey.setRowCount(len(self._uses))
        for i, (use, _) in enumerate(self._uses):
            self.storey.setItem(i, 0, QTableWidgetItem(""))
            spin = QDoubleSpinBox()
            spin.setRange(2.0, 30.0)
            spin.setDecimals(1)
            spin.setSingleStep(0.1)
            spin.setSuffix(" m")
            self.storey.setCellWidget(i, 1, spin)
            self._storey_spins[use] = spin
        form = QFormLayout()
        self.module_w = QDoubleSpinBox()
        self.module_w.setRange(50, 1000)
        self.module_w.setDecimals(0)
        self.module_w.setSuffix(" W")
        self.module_length = QDoubleSpinBox()
        self.module_width = QDoubleSpinBox()
        for s in (self.module_length, self.module_width):
            s.setRange(0.3, 4.0)
            s.setDecimals(3)
            s.setSingleStep(0.01)
            s.setSuffix(" m")
        self.lbl_module_w, self.lbl_module_l, self.lbl_module_wd = QLabel(), QLabel(), QLabel()
        form.addRow(self.lbl_module_w, self.module_w)
        form.addRow(self.lbl_module_l, self.module_length)
        form.addRow(self.lbl_module_wd, self.module_width)
        lay.addWidget(self.lbl_storey)
        lay.addWidget(self.storey)
        lay.addLayout(form)
        self.tab_buildings = w
        self.tabs.addTab(w, "")

    # -- text ------------------------------------------------------------------------------------
    def retranslate_ui(self) -> None:
        from app.gui.i18n import pick

        self.setWindowTitle(self.tr("Settings"))
        self.tabs.setTabText(0, self.tr("General"))
        self.tabs.setTabText(1, self.tr("Carbon"))
        self.tabs.setTabText(2, self.tr("Map"))
        self.tabs.setTabText(3, self.tr("Buildings and PV"))
        self.lbl_language.setText(self.tr("Language"))
        self.lbl_area.setText(self.tr("Area unit"))
        names = {"m2": self.tr("square metres (m²)"), "ha": self.tr("hectares (ha)"),
                 "mu": self.tr("mu (亩, 666.7 m²)")}
        for i in range(self.area_unit.count()):
            self.area_unit.setItemText(i, names[self.area_unit.itemData(i)])
        self.lbl_factor.setText(self.tr("Emission factors (region, year)"))
        for i, r in enumerate(self._factor_rows.itertuples()):
            self.factor_set.setItemText(i, f"{pick(r.name_zh, r.name_en)} ({r.region}, {r.year})")
        self.lbl_indicator.setText(self.tr("Indicator set"))
        for i in range(self.indicator_set.count()):
            zh, _, en = self._indicator_names[self.indicator_set.itemData(i)].partition(" / ")
            self.indicator_set.setItemText(i, pick(zh, en or zh))
        self._factor_note()
        self.network.setText(self.tr("Allow network use (basemap tiles, PVGIS weather downloads)"))
        self.network_note.setText(self.tr(
            "Off by default: Lingtan works fully offline. Tiles are cached on disk."))
        self.lbl_basemap.setText(self.tr("Basemap"))
        bnames = {"none": self.tr("None"), "osm": self.tr("OpenStreetMap"),
                  "tianditu_vec": self.tr("Tianditu map (needs a key)"),
                  "tianditu_img": self.tr("Tianditu imagery (needs a key)"),
                  "custom": self.tr("Custom XYZ URL")}
        for i in range(self.basemap.count()):
            self.basemap.setItemText(i, bnames[self.basemap.itemData(i)])
        self.lbl_key.setText(self.tr("Tianditu key"))
        self.lbl_url.setText(self.tr("XYZ URL template"))
        self.lbl_storey.setText(self.tr(
            "Storey height by building use, for buildings with floors but no height "
            "(resources/defaults/storey_heights.csv)"))
        self.storey.setHorizontalHeaderLabels([self.tr("Use"), self.tr("Storey height")])
        for i, (use, use_zh) in enumerate(self._uses):
            self.storey.item(i, 0).setText(pick(use_zh, use))
        self.lbl_module_w.setText(self.tr("PV module power"))
        self.lbl_module_l.setText(self.tr("PV module length"))
        self.lbl_module_wd.setText(self.tr("PV module width"))

    def _factor_note(self) -> None:
        i = self.factor_set.currentIndex()
        if i < 0:
            return
        note = self._factor_rows.iloc[i]["note"]
        self.factor_note.setText("" if not isinstance(note, str) or note == "default" else note)

    def _enable_map(self) -> None:
        on = self.network.isChecked()
        b = self.basemap.currentData()
        self.basemap.setEnabled(on)
        self.tianditu_key.setEnabled(on and str(b).startswith("tianditu"))
        self.basemap_url.setEnabled(on and b == "custom")

    def changeEvent(self, event) -> None:
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- values ----------------------------------------------------------------------------------
    def _select(self, combo: QComboBox, value) -> None:
        i = combo.findData(value)
        if i >= 0:
            combo.setCurrentIndex(i)

    def load(self, s: AppSettings | None = None) -> None:
        from app.gui.i18n import ui_lang

        s = s or self.settings
        self._select(self.language, s.language or ui_lang())
        self._select(self.area_unit, s.area_unit)
        self._select(self.factor_set, s.factor_set)
        self._select(self.indicator_set, s.indicator_set)
        self.network.setChecked(s.network)
        self._select(self.basemap, s.basemap)
        self.tianditu_key.setText(s.tianditu_key)
        self.basemap_url.setText(s.basemap_url)
        for use, h in s.storey_heights.items():
            if use in self._storey_spins:
                self._storey_spins[use].setValue(h)
        self.module_w.setValue(s.module_w)
        self.module_length.setValue(s.module_length_m)
        self.module_width.setValue(s.module_width_m)
        self._enable_map()

    def restore_defaults(self) -> None:
        """Show the defaults (written only on OK); the language stays."""
        lang = self.language.currentData()
        self.network.setChecked(False)
        self._select(self.area_unit, "m2")
        self._select(self.factor_set, DEFAULT_FACTOR_SET)
        self._select(self.indicator_set, DEFAULT_INDICATOR_SET)
        self._select(self.basemap, "none")
        for use, h in default_storey_heights().items():
            if use in self._storey_spins:
                self._storey_spins[use].setValue(h)
        w, length, width = module_defaults()
        self.module_w.setValue(w)
        self.module_length.setValue(length)
        self.module_width.setValue(width)
        self._select(self.language, lang)

    def save(self) -> None:
        """Write the dialog's values; switch the UI language now when it changed."""
        from app.gui.i18n import set_language, ui_lang

        s = self.settings
        s.area_unit = self.area_unit.currentData()
        s.factor_set = self.factor_set.currentData()
        s.indicator_set = self.indicator_set.currentData()
        s.network = self.network.isChecked()
        s.basemap = self.basemap.currentData()
        s.tianditu_key = self.tianditu_key.text()
        s.basemap_url = self.basemap_url.text()
        s.storey_heights = {u: sp.value() for u, sp in self._storey_spins.items()}
        s.module_w = self.module_w.value()
        s.module_length_m = self.module_length.value()
        s.module_width_m = self.module_width.value()
        lang = self.language.currentData()
        if lang != ui_lang() or lang != s.language:
            s.language = lang
            set_language(lang, save=False)

    def accept(self) -> None:
        self.save()
        super().accept()
