"""The UI language: Qt translators for Lingtan's own strings and Qt's dialogs.

English is the source language of every string (``self.tr("…")`` /
``QCoreApplication.translate("Context", "…")``); Chinese comes from
``resources/translations/lingtan_zh_CN.qm`` (made from ``lingtan_zh_CN.ts`` by
``resources/translations/update_translations.py``). Qt's own buttons ("Cancel", "OK" in message
boxes, file dialogs) come from Qt's ``qtbase_zh_CN.qm`` when the Qt installation has it.

Installing or removing a translator makes Qt send a ``LanguageChange`` event to every widget;
windows answer with ``retranslate_ui()`` so the language switches live.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from gis.paths import resources_dir

QT_CATALOGUE_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)
"""Qt's own file-dialog labels that its zh_CN catalogue lacks (Qt 6 gave them mnemonics, the
catalogue still has "Look in:"): Lingtan's catalogue translates them, in Qt's context."""

LANGUAGES = ("zh", "en")
"""UI languages: Simplified Chinese and English (the source language)."""

_state: dict = {"lang": None, "translators": []}


def translations_dir() -> Path:
    """``resources/translations`` (the .ts source and the compiled .qm)."""
    return resources_dir() / "translations"


def system_language() -> str:
    """"zh" on a Chinese system (any Chinese locale), else "en"."""
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def ui_lang() -> str:
    """The UI language now: "zh" or "en".

    The language installed by :func:`install_translator`; before that, the saved setting, else
    the system's language.
    """
    if _state["lang"] in LANGUAGES:
        return _state["lang"]
    try:
        from app.gui.settings import AppSettings

        lang = AppSettings().language
    except Exception:  # no settings store yet: the system's language
        lang = ""
    return lang if lang in LANGUAGES else system_language()


def install_translator(app: QCoreApplication | None = None, lang: str | None = None) -> bool:
    """Install the translators of ``lang`` ("zh"/"en"; default: :func:`ui_lang`) in ``app``.

    Earlier translators installed here are removed first, so calling this again switches the
    language (widgets receive ``LanguageChange``). Returns True when Lingtan's own Chinese
    translation was loaded (always True for English, which needs none).
    """
    app = app or QCoreApplication.instance()
    lang = lang if lang in LANGUAGES else ui_lang()
    if app is None:
        _state["lang"] = lang
        return lang == "en"
    for t in _state["translators"]:
        app.removeTranslator(t)
    _state["translators"] = []
    _state["lang"] = lang
    try:
        return _install(app, lang)
    finally:  # widgets get their LanguageChange now, not at the next turn of the event loop
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)


def _install(app: QCoreApplication, lang: str) -> bool:
    if lang == "en":
        return True
    ok = False
    own = QTranslator(app)
    if own.load(str(translations_dir() / "lingtan_zh_CN.qm")):
        app.installTranslator(own)
        _state["translators"].append(own)
        ok = True
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_zh_CN.qm", "qt_zh_CN.qm"):
        qt = QTranslator(app)
        if Path(qt_dir, name).is_file() and qt.load(str(Path(qt_dir, name))):
            app.installTranslator(qt)
            _state["translators"].append(qt)
            break
    return ok


def set_language(lang: str, save: bool = True) -> None:
    """Switch the UI language now (and remember it in the settings when ``save``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    if save:
        from app.gui.settings import AppSettings

        AppSettings().language = lang
    install_translator(QCoreApplication.instance(), lang)


def reset_for_tests() -> None:
    """Forget the installed language (tests switching settings stores)."""
    app = QCoreApplication.instance()
    for t in _state["translators"]:
        if app is not None:
            app.removeTranslator(t)
    _state["lang"] = None
    _state["translators"] = []


def pick(zh: str, en: str) -> str:
    """The text of a bilingual pair (InputError, Problem, table names) in the UI language."""
    return en if ui_lang() == "en" else zh
