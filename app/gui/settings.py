"""Application settings (per user, not per project) and the Settings dialog.

:class:`AppSettings` reads and writes a :class:`QSettings` INI file of the organisation
"Lingtan" (Windows: ``%APPDATA%\\Lingtan\\Lingtan.ini``; Linux: ``~/.config/Lingtan/Lingtan.ini``;
tests redirect it with :func:`use_settings_dir`). Every value has a default with its source:

| key | default | source |
|---|---|---|
| language | the system's ("zh" on a Chinese system, else "en") | a Chinese system gets Chinese |
| area_unit | "m2" (also "ha", "mu" = 亩, 666.67 m²) | GB 3100-1993 / 市制 1 亩 = 10000/15 m² |
| factor_set | "national-2023" | resources/factors/factor_sets.csv (note "default") |
| indicator_set | "national-2025" | resources/indicators/indicator_sets.csv |
| network | False: nothing is downloaded until the user turns it on | works offline by default |
| basemap | "none" ("osm", "tianditu_vec", "tianditu_img", "custom") | app/gui/basemap.py |
| storey_heights | per use, resources/defaults/storey_heights.csv | that table's source column |
| module_w, module_length_m, module_width_m | 575 W, 2.278 × 1.134 m | gis/solar/layout.py ModuleSpec |

:func:`notifier` emits ``changed(key)`` after any value is written, so the main window can react
(basemap, units) without polling.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Signal

from gis.defaults import DEFAULT_FACTOR_SET, DEFAULT_INDICATOR_SET, M2_PER_MU

ORGANISATION = "Lingtan"
APPLICATION = "Lingtan"
AREA_UNITS = ("m2", "ha", "mu")
M2_PER_UNIT = {"m2": 1.0, "ha": 10_000.0, "mu": M2_PER_MU}
BASEMAPS = ("none", "osm", "tianditu_vec", "tianditu_img", "custom")


def tr(text: str) -> str:
    return QCoreApplication.translate("Settings", text)


def use_settings_dir(path: str | Path) -> None:
    """Keep the settings INI file under ``path`` (tests, portable installs)."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(path))


def app_qsettings() -> QSettings:
    """The QSettings store of the application (INI format, user scope)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


class _Notifier(QObject):
    changed = Signal(str)


_NOTIFIER: list[_Notifier] = []


def notifier() -> _Notifier:
    """The object whose ``changed(key)`` signal fires after a setting was written."""
    if not _NOTIFIER:
        _NOTIFIER.append(_Notifier())
    return _NOTIFIER[0]


def _bool(v, default: bool) -> bool:
    if v is None:
        return default
    if isinstance(v, bool):
        return v
    return str(v).strip().lower() in ("1", "true", "yes", "on")


def _float(v, default: float) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return default
    return f if f == f and f > 0 else default


def default_storey_heights() -> dict[str, float]:
    """Storey height (m) per building use from resources/defaults/storey_heights.csv."""
    from gis.buildings import storey_heights

    t = storey_heights()
    return {str(r.use): float(r.storey_height_m) for r in t.itertuples()}


def module_defaults() -> tuple[float, float, float]:
    """(W, length m, width m) of gis.solar.layout.ModuleSpec()."""
    from gis.solar.layout import ModuleSpec

    m = ModuleSpec()
    return m.power_w, m.length_m, m.width_m


class AppSettings:
    """Typed access to the user's settings; reading a missing or broken value gives the default."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else app_qsettings()

    def _get(self, key: str, default=None):
        return self.store.value(key, default)

    def _put(self, key: str, value) -> None:
        if self.store.value(key) == value:
            return
        self.store.setValue(key, value)
        self.store.sync()
        notifier().changed.emit(key)

    # -- general ---------------------------------------------------------------------------------
    @property
    def language(self) -> str:
        """"zh" or "en"; "" when never chosen (then the system's language applies)."""
        v = str(self._get("ui/language", "") or "")
        return v if v in ("zh", "en") else ""

    @language.setter
    def language(self, value: str) -> None:
        if value not in ("zh", "en", ""):
            raise ValueError(f"language must be 'zh' or 'en', not {value!r}")
        self._put("ui/language", value)

    @property
    def area_unit(self) -> str:
        v = str(self._get("ui/area_unit", "m2") or "m2")
        return v if v in AREA_UNITS else "m2"

    @area_unit.setter
    def area_unit(self, value: str) -> None:
        if value not in AREA_UNITS:
            raise ValueError(f"area unit must be one of {AREA_UNITS}")
        self._put("ui/area_unit", value)

    # -- carbon ----------------------------------------------------------------------------------
    @property
    def factor_set(self) -> str:
        from gis.carbon.factors import factor_set_keys

        v = str(self._get("carbon/factor_set", DEFAULT_FACTOR_SET) or DEFAULT_FACTOR_SET)
        return v if v in factor_set_keys() else DEFAULT_FACTOR_SET

    @factor_set.setter
    def factor_set(self, value: str) -> None:
        self._put("carbon/factor_set", value)

    @property
    def indicator_set(self) -> str:
        from gis.carbon.indicators import indicator_sets

        v = str(self._get("carbon/indicator_set", DEFAULT_INDICATOR_SET) or DEFAULT_INDICATOR_SET)
        return v if v in indicator_sets() else DEFAULT_INDICATOR_SET

    @indicator_set.setter
    def indicator_set(self, value: str) -> None:
        self._put("carbon/indicator_set", value)

    # -- map -------------------------------------------------------------------------------------
    @property
    def network(self) -> bool:
        """Downloads allowed (basemap tiles, PVGIS)? Off until the user turns it on."""
        return _bool(self._get("map/network", False), False)

    @network.setter
    def network(self, value: bool) -> None:
        self._put("map/network", bool(value))

    @property
    def basemap(self) -> str:
        v = str(self._get("map/basemap", "none") or "none")
        return v if v in BASEMAPS else "none"

    @basemap.setter
    def basemap(self, value: str) -> None:
        if value not in BASEMAPS:
            raise ValueError(f"basemap must be one of {BASEMAPS}")
        self._put("map/basemap", value)

    @property
    def organisation(self) -> str:
        """The preparing organisation (编制单位) the last report named on its cover."""
        return str(self._get("report/organisation", "") or "")

    @organisation.setter
    def organisation(self, value: str) -> None:
        self._put("report/organisation", " ".join(str(value or "").split()))

    @property
    def tianditu_key(self) -> str:
        return str(self._get("map/tianditu_key", "") or "")

    @tianditu_key.setter
    def tianditu_key(self, value: str) -> None:
        self._put("map/tianditu_key", value.strip())

    @property
    def basemap_url(self) -> str:
        """XYZ template of the "custom" basemap, e.g. https://tile.example.org/{z}/{x}/{y}.png."""
        return str(self._get("map/basemap_url", "") or "")

    @basemap_url.setter
    def basemap_url(self, value: str) -> None:
        self._put("map/basemap_url", value.strip())

    def basemap_source(self):
        """The chosen basemap as an app.gui.basemap TileSource, or None (none chosen, network
        off, or a missing Tianditu key / URL)."""
        if not self.network or self.basemap == "none":
            return None
        from app.gui import basemap as bm

        try:
            if self.basemap == "osm":
                return bm.openstreetmap()
            if self.basemap in ("tianditu_vec", "tianditu_img"):
                return bm.tianditu(self.tianditu_key, self.basemap.split("_")[1])
            if self.basemap == "custom" and self.basemap_url:
                return bm.xyz_source(self.basemap_url)
        except ValueError:
            return None
        return None

    # -- buildings and PV ------------------------------------------------------------------------
    @property
    def storey_heights(self) -> dict[str, float]:
        """Storey height (m) per use: the table's defaults with the user's changes."""
        out = default_storey_heights()
        try:
            saved = json.loads(str(self._get("buildings/storey_heights", "{}") or "{}"))
        except ValueError:
            saved = {}
        for k, v in (saved.items() if isinstance(saved, dict) else ()):
            if k in out:
                out[k] = _float(v, out[k])
        return out

    @storey_heights.setter
    def storey_heights(self, value: dict[str, float]) -> None:
        defaults = default_storey_heights()
        changed = {k: float(v) for k, v in value.items() if k in defaults and float(v) != defaults[k]}
        self._put("buildings/storey_heights", json.dumps(changed, sort_keys=True))

    @property
    def module_w(self) -> float:
        return _float(self._get("pv/module_w"), module_defaults()[0])

    @module_w.setter
    def module_w(self, value: float) -> None:
        self._put("pv/module_w", float(value))

    @property
    def module_length_m(self) -> float:
        return _float(self._get("pv/module_length_m"), module_defaults()[1])

    @module_length_m.setter
    def module_length_m(self, value: float) -> None:
        self._put("pv/module_length_m", float(value))

    @property
    def module_width_m(self) -> float:
        return _float(self._get("pv/module_width_m"), module_defaults()[2])

    @module_width_m.setter
    def module_width_m(self, value: float) -> None:
        self._put("pv/module_width_m", float(value))

    def module_spec(self):
        """A gis.solar.layout.ModuleSpec of the chosen module."""
        from gis.solar.layout import ModuleSpec

        return ModuleSpec(self.module_w, self.module_length_m, self.module_width_m)

    def reset(self) -> None:
        """Forget every setting except the language (the defaults apply again)."""
        lang = self.language
        self.store.clear()
        self.store.sync()
        if lang:
            self.store.setValue("ui/language", lang)
        notifier().changed.emit("*")


def format_area(m2: float | None, unit: str | None = None, decimals: int | None = None) -> str:
    """An area in the chosen unit: "3,123,749 m²", "312.37 ha", "4,685.6 亩"."""
    if m2 is None or m2 != m2:
        return "–"
    unit = unit or AppSettings().area_unit
    value = m2 / M2_PER_UNIT[unit]
    d = decimals if decimals is not None else {"m2": 0, "ha": 2, "mu": 1}[unit]
    label = {"m2": "m²", "ha": "ha", "mu": tr("mu")}[unit]
    return f"{value:,.{d}f} {label}"
