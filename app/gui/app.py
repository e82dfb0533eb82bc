"""The desktop application: ``create_app()`` and ``run_gui()``.

``lingtan`` with no arguments, ``lingtan gui [PROJECT]`` and ``lingtan demo --gui`` end here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from app import __version__

APP_FONT_PT = 9.0
"""UI font size (points): Windows' default UI size (Microsoft YaHei UI 9 pt)."""


def _headless() -> bool:
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def create_app(argv: list[str] | None = None, lang: str | None = None) -> QApplication:
    """The QApplication (reused when one exists): names, a font that draws Chinese, icon,
    and the translators of the UI language (``lang``, else the settings, else the system's)."""
    from app.gui.i18n import install_translator
    from app.gui.settings import APPLICATION, ORGANISATION
    from layers.fonts import cjk_family

    app = QApplication.instance()
    if app is None:
        if _headless():
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    if not isinstance(app, QApplication):
        raise RuntimeError("a non-widget Qt application already runs in this process")
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    family = cjk_family()
    if family:
        font = QFont(family)
        font.setPointSizeF(APP_FONT_PT)
        app.setFont(font)
    from app.gui.icons import app_icon

    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    install_translator(app, lang)
    return app


def open_window(project: Path | None = None, demo: bool = False):
    """Create and show the main window (with ``project`` opened, or the analysed sample park)."""
    from app.gui.main_window import MainWindow

    win = MainWindow(None)
    win.restore_window_state()
    win.show()
    if demo:
        win.load_demo()
    elif project is not None:  # a project, or a data file (Windows "Open with" on any .gpkg/.shp…)
        from app.gui.open_data import open_files

        open_files(win, [Path(project)])  # opens a project as a project
    else:
        win.offer_recovery()
    return win


def run_gui(project: Path | None = None, demo: bool = False, argv: list[str] | None = None,
            lang: str | None = None) -> int:
    """Open the desktop application and run it until the last window closes; the exit code.

    project: a project to open; demo: load the sample park and run all analyses; lang: "zh"/"en"
    for this session (default: the saved setting, else the system's language)."""
    app = create_app(argv, lang=lang)
    install_excepthook()
    win = open_window(project, demo)  # noqa: F841 — kept alive until the loop ends
    return int(app.exec())


def install_excepthook() -> None:
    """Errors that escape a Qt slot: log the traceback to a crash file and say so in a message
    box, instead of printing to a console the windowed program (``lingtan-gui.exe``) does not have.
    The window stays open (the project's autosave keeps the work)."""
    import traceback

    previous = sys.excepthook
    open_box: list = []  # the crash box on screen: one at a time (a failing paint event repeats)

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        from app.gui.tasks import show_error, write_crash_log

        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log = write_crash_log(text)
        if sys.stderr is not None:
            sys.stderr.write(text)
        if QApplication.instance() is not None and not open_box:
            box = show_error(QApplication.activeWindow(), exc, log_path=log, tb=text)
            open_box.append(box)
            box.finished.connect(lambda _=0: open_box.clear())

    sys.excepthook = hook


def main(argv: list[str] | None = None) -> int:
    """``lingtan-gui [PATH] [--lang zh|en]`` (the windowed entry point; Windows file association):
    open the window, with PATH opened as a project, or added as data when it is another GIS file."""
    import argparse

    parser = argparse.ArgumentParser(prog="lingtan-gui", description="零碳 Lingtan desktop application")
    parser.add_argument("path", type=Path, nargs="?", help="a project (*.lingtan.gpkg) or a GIS file")
    parser.add_argument("--lang", choices=("zh", "en"), help="interface language for this session")
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)  # Qt's own options pass
    return run_gui(args.path, lang=args.lang)


if __name__ == "__main__":
    raise SystemExit(main())
