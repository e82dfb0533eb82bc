"""The Analysis menu: a dialog per analysis, then the work in a task with progress and Cancel.

Each entry point takes ``(parent, workspace)`` (``parent``: the main window or any widget) and an
optional ``options`` object; without options it shows its dialog (defaults from the last run of
this project, ``workspace.settings["analysis"]``, else from the app settings, else the documented
defaults, each with its source in the tooltip and the note line). It returns the
:class:`~app.gui.tasks.TaskHandle` of the run, or None when the user cancelled the dialog or no
park is loaded.

| function | computes | result layers |
|---|---|---|
| :func:`rooftop_pv` | rooftop PV per building (and the carbon balance again when it exists) | rooftop_pv |
| :func:`carbon_accounting` | emissions, green and tree sinks, balance, indicators | green_sinks, tree_sinks |
| :func:`indicators` | the balance and indicator check with another set / park facts | — |
| :func:`five_colour_map` | township carbon intensity in five classes | township_intensity |
| :func:`run_all` | everything, as ``lingtan demo`` (:func:`app.results.run_park_analyses`) | all |
| :func:`open_sample` | loads the sample park and runs everything (File → Open the sample park) | all |

Results arrive in the GUI thread through :meth:`Workspace.set_results` (new styled layers, the
dashboard's summary). A cancelled run changes nothing. A run whose park was replaced meanwhile
(another project opened) is dropped.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.analysis_settings import (  # re-exported: the options live in the Qt-free module
    DEFAULT_INDICATOR_SET,
    CarbonOptions,
    IndicatorOptions,
    IntensityOptions,
    PVOptions,
    _store,
    pv_settings,
)
from app.analysis_settings import _stored as _stored_options
from app.analysis_settings import analysis_options as _analysis_options
from app.gui.param_form import pick_file
from app.gui.tasks import TaskHandle, run_task
from app.results import AnalysisOptions, ParkResults, run_park_analyses
from app.summaries import ParkSummary
from app.workspace import Workspace, compose_results, styled_result_layers
from gis.carbon.factors import DEFAULT_FACTOR_SET
from gis.errors import InputError
from gis.progress import Progress

# ---------------------------------------------------------------- options (no Qt: app/analysis_settings.py)


def _stored(workspace: Workspace, key: str, cls):
    """The stored ``cls`` options of this project, else the app settings' defaults
    (:func:`app.analysis_settings._stored` with :func:`_app_defaults`)."""
    return _stored_options(workspace, key, cls, _app_defaults)


def _app_defaults(cls) -> dict:
    """Defaults from the app settings (helper C's AppSettings) when present."""
    try:
        from app.gui.settings import AppSettings

        s = AppSettings()
    except Exception:  # no settings module yet, or unreadable settings: the documented defaults
        return {}
    out: dict[str, Any] = {}
    pick = {PVOptions: {"module_w": "module_w", "module_length_m": "module_length_m",
                        "module_width_m": "module_width_m"},
            CarbonOptions: {"factors": "factor_set"},
            IndicatorOptions: {"indicators": "indicator_set"}}.get(cls, {})
    for key, attr in pick.items():
        value = getattr(s, attr, None)
        if callable(value):
            try:
                value = value()
            except Exception:
                value = None
        if value not in (None, ""):
            out[key] = value
    return out


def _app_setting(name: str, default):
    """One value of the app settings (AppSettings.<name>), or ``default`` when unreadable."""
    try:
        from app.gui.settings import AppSettings

        return getattr(AppSettings(), name)
    except Exception:  # no settings module, or unreadable settings: the documented default
        return default


# ---------------------------------------------------------------- the work (worker thread, no Qt)


def compute_pv(park, o: PVOptions, factors_key: str | None, progress: Progress, allow_network: bool = False):
    """Rooftop PV of the park's buildings (RooftopResult). allow_network: without a weather file,
    download a PVGIS TMY for the site (the app setting "allow network use"; off by default)."""
    progress.report(0.0, "loading the PV model")  # the first import of pvlib takes ~0.5 s
    from app.park_account import factor_set_grid_factor
    from app.pv import site_rooftop_pv
    from gis.carbon.factors import load_factor_set

    # no grid factor chosen: the factor set's electricity factor, as the park's emissions use
    grid = None if o.grid_factor else factor_set_grid_factor(
        load_factor_set(factors_key or DEFAULT_FACTOR_SET))
    weather = Path(o.weather) if o.weather else None
    return site_rooftop_pv(park.buildings, pv_settings(o), weather_path=weather, allow_network=allow_network,
                           grid=grid, progress=progress)


def park_with_table(park, energy_table: str | None):
    """The park with another enterprise energy table (a new Park sharing the layer frames)."""
    if not energy_table:
        return park
    from gis.io import read_data_table

    table, _ = read_data_table(Path(energy_table))
    return dataclasses.replace(park, enterprises=table)


def compute_account(park, pv_kwh_yr: float, c: CarbonOptions, i: IndicatorOptions, progress: Progress):
    """Emissions, sinks, balance and indicators (ParkAccount) and the park they were run on."""
    from gis.carbon.factors import load_factor_set
    from gis.carbon.park_carbon import account_park

    progress.report(0.0, "energy table")
    park = park_with_table(park, c.energy_table)
    progress.report(0.2, "emission factors")
    factors = load_factor_set(c.factors or DEFAULT_FACTOR_SET)
    progress.report(0.4, "emissions, sinks, balance")
    account = account_park(park, factors, pv_kwh_yr=pv_kwh_yr, year=c.year, baseline_year=c.baseline_year,
                           indicator_set=i.indicators or DEFAULT_INDICATOR_SET, facts=i.facts or None)
    progress.report(1.0, "carbon account done")
    return account, park


def compute_intensity(workspace_layers: dict, park, o: IntensityOptions, factors_key: str | None,
                      progress: Progress):
    """The five-colour township map (IntensityMap)."""
    from app.intensity_map import intensity_map

    towns = workspace_layers.get(o.townships) if o.townships else None
    if towns is None:
        towns = park.townships if park is not None else None
    if towns is None:
        raise InputError("请选择乡镇街道图层", "Choose a townships layer", code="intensity.no_townships")
    progress.report(0.1, "statistics table")
    if o.stats:
        from gis.io import read_data_table

        stats, _ = read_data_table(Path(o.stats))
    elif park is not None and park.township_stats is not None:
        stats = park.township_stats
    else:
        raise InputError("请选择乡镇统计表", "Choose a township statistics table", code="intensity.no_stats")
    progress.report(0.3, "township intensity map")
    result = intensity_map(towns, stats, method=o.method, poly_key=o.join_field or None,
                           thresholds=o.thresholds, target_decline_pct=o.target_pct,
                           factors_key=factors_key or DEFAULT_FACTOR_SET)
    progress.report(1.0, "five-colour map done")
    return result


# ---------------------------------------------------------------- GUI glue


def _need_park(parent: QWidget | None, workspace: Workspace) -> bool:
    if workspace.park is not None:
        return True
    box = QMessageBox(QMessageBox.Icon.Information, QCoreApplication.translate("Analyses", "No park"),
                      QCoreApplication.translate(
                          "Analyses", "Load a park first (File → Open the sample park, or open a project)."),
                      QMessageBox.StandardButton.Ok, parent)
    box.finished.connect(box.deleteLater)
    box.open()
    workspace._no_park_box = box  # keep a reference while it is open
    return False


def _styled(results: ParkResults, lang: str, only: set[str] | None,
            progress: Progress | None = None) -> ParkResults:
    """Style the result layers in the worker (styled_result_layers) and carry them along."""
    from gis.progress import NO_PROGRESS

    results.styled = styled_result_layers(results, lang, only, progress or NO_PROGRESS)
    return results


def warm_up(parent=None) -> TaskHandle:
    """Import the heavy libraries of the analyses (pvlib, mapclassify/scipy: ~2 s) in a quiet
    background task, so the first analysis neither waits for them nor holds the GIL in one long
    import. Call once after the main window is shown."""
    def work(progress: Progress) -> None:
        for name in ("pvlib", "mapclassify", "gis.solar.rooftop", "gis.carbon.park_carbon",
                     "app.intensity_map"):
            progress.report(0.0, "loading libraries")
            __import__(name)

    return run_task(parent, QCoreApplication.translate("Analyses", "Loading libraries"), work,
                    show_dialog=False, show_errors=False)


def _deliver(workspace: Workspace, park, only: set[str] | None, show: set[str] | None = None):
    """on_done: put the results into the workspace unless its park was replaced meanwhile."""
    def done(results: ParkResults) -> None:
        styled, results.styled = results.styled, None
        if workspace.park is not park and not (workspace.park is not None and results.park is not None
                                                 and _shares_layers(results.park, workspace.park)):
            return  # another park was opened while this ran
        workspace.set_results(results, show=show, only=only, styled=styled)
    return done


def _shares_layers(a, b) -> bool:
    return a.buildings is b.buildings and a.boundary is b.boundary


def _factors_key(workspace: Workspace) -> str | None:
    return _stored(workspace, "carbon", CarbonOptions).factors


def start_pv(parent, workspace: Workspace, o: PVOptions) -> TaskHandle:
    """Run rooftop PV with ``o`` (no dialog). When the park has an energy table and a carbon
    account was made before, the account is made again with the new PV yield (the balance
    would be stale otherwise)."""
    park, base, base_summary = workspace.park, workspace.results, dict(workspace.summary)
    lang = workspace.lang
    carbon_o = _stored(workspace, "carbon", CarbonOptions)
    ind_o = _stored(workspace, "indicators", IndicatorOptions)
    redo_account = park.enterprises is not None and "carbon" in base_summary
    only = {"rooftop_pv"} | ({"green_sinks", "tree_sinks"} if redo_account else set())
    _store(workspace, "pv", o)
    network = bool(_app_setting("network", False))  # PVGIS download only when the user allows it

    def work(progress: Progress) -> ParkResults:
        pv = compute_pv(park, o, carbon_o.factors, progress.sub(0.0, 0.9 if redo_account else 0.97),
                        allow_network=network)
        account, p = None, park
        if redo_account:
            account, p = compute_account(park, pv.totals["kwh_yr"], carbon_o, ind_o, progress.sub(0.9, 0.97))
        progress.report(0.97, "summary")
        return _styled(compose_results(p, pv=pv, account=account, base=base, base_summary=base_summary),
                       lang, only, progress.sub(0.98, 1.0))

    title = QCoreApplication.translate("Analyses", "Rooftop PV")
    return run_task(parent, title, work, _deliver(workspace, park, only))


def start_carbon(parent, workspace: Workspace, c: CarbonOptions, i: IndicatorOptions | None = None,
                 title: str | None = None) -> TaskHandle:
    """Carbon accounting (emissions, sinks, balance, indicators) with the current PV yield."""
    park, base, base_summary = workspace.park, workspace.results, dict(workspace.summary)
    lang = workspace.lang
    i = i or _stored(workspace, "indicators", IndicatorOptions)
    pv_kwh = _pv_kwh(workspace)
    _store(workspace, "carbon", c)
    _store(workspace, "indicators", i)

    def work(progress: Progress) -> ParkResults:
        account, p = compute_account(park, pv_kwh, c, i, progress.sub(0.0, 0.9))
        return _styled(compose_results(p, account=account, base=base, base_summary=base_summary), lang,
                       {"green_sinks", "tree_sinks"}, progress.sub(0.9, 1.0))

    title = title or QCoreApplication.translate("Analyses", "Carbon accounting and sinks")
    return run_task(parent, title, work, _deliver(workspace, park, {"green_sinks", "tree_sinks"}))


def _pv_kwh(workspace: Workspace) -> float:
    if workspace.results is not None and workspace.results.pv is not None:
        return float(workspace.results.pv.totals["kwh_yr"])
    pv = ParkSummary.from_dict(workspace.summary).pv
    return float((pv.kwh_yr if pv is not None else None) or 0.0)


def start_indicators(parent, workspace: Workspace, i: IndicatorOptions) -> TaskHandle:
    """The balance and indicator check again with another indicator set or park facts."""
    return start_carbon(parent, workspace, _stored(workspace, "carbon", CarbonOptions), i,
                        title=QCoreApplication.translate("Analyses", "Zero-carbon indicators"))


def start_intensity(parent, workspace: Workspace, o: IntensityOptions) -> TaskHandle:
    park, base, base_summary = workspace.park, workspace.results, dict(workspace.summary)
    lang = workspace.lang
    layers = {lyr.name: lyr.gdf for lyr in workspace.layers() if getattr(lyr, "gdf", None) is not None}
    factors = _factors_key(workspace)
    _store(workspace, "intensity", o)

    def work(progress: Progress) -> ParkResults:
        towns = compute_intensity(layers, park, o, factors, progress.sub(0.0, 0.9))
        return _styled(compose_results(park, intensity=towns, base=base, base_summary=base_summary), lang,
                       {"township_intensity"}, progress.sub(0.9, 1.0))

    title = QCoreApplication.translate("Analyses", "Five-colour township map")
    return run_task(parent, title, work, _deliver(workspace, park, {"township_intensity"},
                                                  show={"township_intensity"}))


def start_all(parent, workspace: Workspace, options: AnalysisOptions) -> TaskHandle:
    """Every analysis, as ``lingtan demo`` (:func:`app.results.run_park_analyses`)."""
    park, lang = workspace.park, workspace.lang

    def work(progress: Progress) -> ParkResults:
        results = run_park_analyses(park, options, progress.sub(0.0, 0.97))
        progress.report(0.97, "styling layers")
        return _styled(results, lang, None, progress.sub(0.97, 1.0))

    title = QCoreApplication.translate("Analyses", "All analyses")
    return run_task(parent, title, work, _deliver(workspace, park, None))


def open_sample(parent, workspace: Workspace, run_all: bool = True) -> TaskHandle:
    """File → Open the sample park: load it into ``workspace`` (its current park and layers are
    replaced) and, with ``run_all``, run every analysis — all in one task; the styled layers are
    made in the worker. The workspace is clean afterwards (nothing to save yet). Buildings with
    floors but no height get the storey heights of the app settings (Settings → Buildings)."""
    lang = workspace.lang
    storeys = _app_setting("storey_heights", None)

    def work(progress: Progress):
        from gis.park import load_sample_park, summarise_park

        park = load_sample_park(progress.sub(0.0, 0.1), storey_height_m=storeys)
        if not run_all:
            return park, summarise_park(park)
        results = run_park_analyses(park, None, progress.sub(0.1, 0.95))
        return _styled(results, lang, None, progress.sub(0.95, 1.0))

    def done(r) -> None:
        if isinstance(r, ParkResults):
            styled, r.styled = r.styled, None
            workspace.set_results(r, styled=styled)
        else:
            workspace.set_park(*r)
        workspace.mark_clean()

    title = QCoreApplication.translate("Analyses", "Sample park")
    return run_task(parent, title, work, done)


# ---------------------------------------------------------------- entry points (menu)


def rooftop_pv(parent, workspace: Workspace, options: PVOptions | None = None) -> TaskHandle | None:
    """Analysis → Rooftop PV…"""
    if not _need_park(parent, workspace):
        return None
    if options is None:
        dlg = PVDialog(workspace, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dlg.options()
    return start_pv(parent, workspace, options)


def carbon_accounting(parent, workspace: Workspace,
                      options: CarbonOptions | None = None) -> TaskHandle | None:
    """Analysis → Carbon accounting and sinks…"""
    if not _need_park(parent, workspace):
        return None
    if options is None:
        dlg = CarbonDialog(workspace, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dlg.options()
    return start_carbon(parent, workspace, options)


def indicators(parent, workspace: Workspace, options: IndicatorOptions | None = None) -> TaskHandle | None:
    """Analysis → Zero-carbon indicators…"""
    if not _need_park(parent, workspace):
        return None
    if options is None:
        dlg = IndicatorDialog(workspace, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dlg.options()
    return start_indicators(parent, workspace, options)


def five_colour_map(parent, workspace: Workspace,
                    options: IntensityOptions | None = None) -> TaskHandle | None:
    """Analysis → Five-colour township map…"""
    if not _need_park(parent, workspace):
        return None
    if options is None:
        dlg = IntensityDialog(workspace, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dlg.options()
    return start_intensity(parent, workspace, options)


def run_all(parent, workspace: Workspace, options: AnalysisOptions | None = None) -> TaskHandle | None:
    """Analysis → Run all analyses…"""
    if not _need_park(parent, workspace):
        return None
    if options is None:
        dlg = RunAllDialog(workspace, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        options = dlg.options()
    return start_all(parent, workspace, options)


def analysis_options(workspace: Workspace) -> AnalysisOptions:
    """The :class:`AnalysisOptions` of this project's stored choices (app settings' defaults for
    those never chosen; :func:`app.analysis_settings.analysis_options`)."""
    return _analysis_options(workspace, _app_defaults)


# ---------------------------------------------------------------- dialogs


class _Dialog(QDialog):
    """Form + note line (defaults and their sources) + OK/Cancel."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555;")
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.note)
        lay.addWidget(buttons)

    def _file_row(self, label: str, value: str | None, placeholder: str, tip: str, filters: str) -> QLineEdit:
        edit = QLineEdit(value or "")
        edit.setPlaceholderText(placeholder)
        edit.setToolTip(tip)
        browse = QPushButton(QCoreApplication.translate("Analyses", "Browse…"))

        browse.clicked.connect(lambda _=False, e=edit: pick_file(e, label, filters))
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(browse)
        self.form.addRow(label, row)
        return edit

    def options(self):
        """The analysis options the form gives; InputError for values that cannot be used."""
        raise NotImplementedError

    def accept(self) -> None:
        """Close only with usable values: a bad one is explained here, not after the run starts."""
        try:
            self.options()
        except InputError as exc:
            from app.gui.tasks import show_error

            show_error(self, exc)
            return
        super().accept()

    @staticmethod
    def _text(edit: QLineEdit) -> str | None:
        t = edit.text().strip()
        return t or None


class PVDialog(_Dialog):
    """Rooftop PV settings: the rooftop PV algorithm's declared parameters (app.analysis_settings
    ``_park_pv_params``), as a generated form; stored as the project's ``PVOptions``."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        from app.analysis_settings import _park_pv_params, pv_values
        from app.gui.param_form import ParamForm
        from app.processing.params import ParamValues

        super().__init__(self.tr("Rooftop PV"), parent)
        lang = _lang()
        self.params = _park_pv_params()
        self.param = ParamForm(self.params, lang, self)
        self.form.addRow(self.param)
        self.param.set_values(ParamValues.of(self.params, pv_values(_stored(workspace, "pv", PVOptions)),
                                             partial=True))
        self.note.setText(self.tr(
            "Defaults: built-in climatology; shading on; 14 % losses (PVWatts v5); 575 W modules "
            "(TOPCon, 2.278 × 1.134 m); tilt and azimuth from the roof type; the factor set's grid "
            "factor. Hover over a field for its source."))

    def options(self) -> PVOptions:
        from app.analysis_settings import pv_options

        return pv_options(self.param.values())



def _lang() -> str:
    from app.gui.tasks import ui_lang

    return ui_lang()


def _years(workspace: Workspace) -> list[int]:
    park = workspace.park
    if park is None or park.enterprises is None:
        return []
    from gis.fields import find_field

    e = park.enterprises
    yf = find_field(e.columns, ("年份", "year"))
    if yf is None:
        return []
    import pandas as pd

    return sorted({int(y) for y in pd.to_numeric(e[yf], errors="coerce").dropna()})


class CarbonDialog(_Dialog):
    """Carbon accounting and sinks: the park balance algorithm's declared parameters
    (app.analysis_settings ``_park_carbon_params``), the years offered from the park's table."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        from app.analysis_settings import _park_carbon_params, carbon_values
        from app.gui.param_form import ParamForm
        from app.processing.params import ParamValues

        super().__init__(self.tr("Carbon accounting and sinks"), parent)
        self.params = _park_carbon_params(_years(workspace))
        self.param = ParamForm(self.params, _lang(), self)
        self.form.addRow(self.param)
        stored = carbon_values(_stored(workspace, "carbon", CarbonOptions))
        years = {y for p in self.params if p.name == "year" for y, _, _ in p.choice_list()}
        for key in ("year", "baseline_year"):  # a year no longer in the table: back to automatic
            if stored[key] not in years:
                stored[key] = None
        self.param.set_values(ParamValues.of(self.params, stored, partial=True))
        self.note.setText(self.tr(
            "Sinks come from the park's green-space polygons and tree rows (per-class sink rates with "
            "their sources in resources/defaults). The balance uses the current rooftop PV yield. "
            "Defaults: the park's energy table, factor set national-2023, the latest year."))

    def options(self) -> CarbonOptions:
        from app.analysis_settings import carbon_options

        return carbon_options(self.param.values())


class IndicatorDialog(_Dialog):
    """Indicator set and park facts: the park balance algorithm's declared parameters
    (app.analysis_settings ``_park_indicator_params``), one optional percentage per fact."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        from app.analysis_settings import _park_indicator_params, indicator_values
        from app.gui.param_form import ParamForm
        from app.processing.params import ParamValues

        super().__init__(self.tr("Zero-carbon indicators"), parent)
        self.params = _park_indicator_params()
        self.param = ParamForm(self.params, _lang(), self)
        self.form.addRow(self.param)
        stored = indicator_values(_stored(workspace, "indicators", IndicatorOptions))
        known = {p.name for p in self.params}
        self.param.set_values(ParamValues.of(self.params, {k: v for k, v in stored.items() if k in known},
                                             partial=True))
        self.note.setText(self.tr(
            "Park facts the energy data cannot give (tick to enter a value, %). The check runs for every "
            "scenario of the balance."))

    def options(self) -> IndicatorOptions:
        from app.analysis_settings import indicator_options

        return indicator_options(self.param.values())


class IntensityDialog(_Dialog):
    """Five-colour township map."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Five-colour township map"), parent)

        o = _stored(workspace, "intensity", IntensityOptions)
        self.workspace = workspace
        self.layer = QComboBox()
        polys = [lyr for lyr in workspace.layers() if getattr(lyr, "gdf", None) is not None
                 and lyr.name not in ("township_intensity",) and _is_polygon(lyr.gdf)]
        for lyr in polys:
            self.layer.addItem(lyr.title, lyr.name)
        default = o.townships or ("townships" if workspace.layer("townships") is not None else None)
        self.layer.setCurrentIndex(max(self.layer.findData(default), 0) if default else 0)
        self.layer.setToolTip(self.tr("Township/street polygons to colour. Default: the park's townships."))
        self.form.addRow(self.tr("Townships layer"), self.layer)
        self.stats = self._file_row(
            self.tr("Statistics table"), o.stats, self.tr("The park's township statistics"),
            self.tr("Energy by fuel or emissions, GDP / value added (10^4 yuan), population, land area; one "
                    "or more years (CSV/Excel). Empty: the table loaded with the park."),
            self.tr("Tables (*.csv *.xlsx *.xls);;All files (*)"))
        self.join = QComboBox()
        self.join.setToolTip(self.tr("The townships' field to join on. Automatic: a code field when both "
                                     "sides have one, else the (normalised Chinese) names."))
        self.form.addRow(self.tr("Join field"), self.join)
        self.layer.currentIndexChanged.connect(self._layer_changed)
        self._fill_fields(o.join_field)
        # how the classes are cut: the five-colour map algorithm's declared parameters
        from app.gui.param_form import ParamForm
        from app.processing.params import ParamValues
        from app.processing.registry import algorithm

        self.params = tuple(p for p in algorithm("five_colour_map").params
                            if p.name in ("method", "thresholds", "target"))
        self.param = ParamForm(self.params, _lang(), self)
        self.form.addRow(self.param)
        self.param.set_values(ParamValues.of(self.params, {
            "method": o.method, "thresholds": tuple(o.thresholds) if o.thresholds else None,
            "target": o.target_pct}, partial=True))
        self.note.setText(self.tr(
            "Colours low → high: green, blue, yellow, orange, red; grey = no data (checked for colour-blind "
            "readers). Defaults: the park's townships and statistics, automatic join, ratio method."))

    def _layer_changed(self, _index: int = 0) -> None:
        self._fill_fields(None)

    def _fill_fields(self, current: str | None) -> None:
        self.join.clear()
        self.join.addItem(self.tr("Automatic"), None)
        lyr = self.workspace.layer(self.layer.currentData()) if self.layer.currentData() else None
        if lyr is not None:
            for c in lyr.gdf.columns:
                if c != lyr.gdf.geometry.name:
                    self.join.addItem(str(c), str(c))
        self.join.setCurrentIndex(max(self.join.findData(current), 0) if current else 0)

    def options(self) -> IntensityOptions:
        v = self.param.values()
        return IntensityOptions(townships=self.layer.currentData(), stats=self._text(self.stats),
                                join_field=self.join.currentData(), method=v["method"],
                                thresholds=list(v["thresholds"]) if v["thresholds"] else None,
                                target_pct=v["target"] if v["method"] == "target" else None)



def _is_polygon(gdf) -> bool:
    from layers.layer import geometry_kind

    return len(gdf) > 0 and geometry_kind(gdf.geometry.to_numpy()) == "polygon"


class RunAllDialog(_Dialog):
    """Run every analysis with the project's factor set, indicator set and weather: the declared
    parameters of the park balance and rooftop PV algorithms, as a generated form."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        from app.analysis_settings import _park_carbon_params, _park_indicator_params, _park_pv_params
        from app.gui.param_form import ParamForm
        from app.processing.params import ParamValues

        super().__init__(self.tr("Run all analyses"), parent)
        base = analysis_options(workspace)
        self._base = base
        weather = next(p for p in _park_pv_params() if p.name == "weather")
        factors = next(p for p in _park_carbon_params([]) if p.name == "factors")
        indicators = next(p for p in _park_indicator_params() if p.name == "indicators")
        self.params = (factors, indicators, weather)
        self.param = ParamForm(self.params, _lang(), self)
        self.form.addRow(self.param)
        self.param.set_values(ParamValues.of(self.params, {
            "factors": base.factors or factors.default, "indicators": base.indicators or indicators.default,
            "weather": base.weather}, partial=True))
        self.note.setText(self.tr(
            "Rooftop PV with this project's PV settings (default: 575 W modules, 14 % losses, shading on), "
            "emissions, sinks, balance and indicators, and the five-colour township map (ratio method) — "
            "the same run as lingtan demo. Use the single analyses to change PV or map settings."))

    def options(self) -> AnalysisOptions:
        v = self.param.values()
        return dataclasses.replace(self._base, factors=v["factors"], indicators=v["indicators"],
                                   weather=Path(v["weather"]) if v["weather"] else None)
