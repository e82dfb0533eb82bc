"""File menu actions on projects: new, open, save, save as, recent files, autosave, recovery.

Every function takes the main window ``mw`` and uses only:

- ``mw.workspace`` — the current :class:`app.workspace.Workspace`;
- ``mw.set_workspace(ws)`` — show another workspace (after New/Open/recovery);
- optionally ``mw.track_task(handle)`` (status-bar progress) and ``mw.statusBar()`` (messages).

The main window wires: File→New → :func:`new_project`, Open → :func:`open_project`, Save →
:func:`save_project`, Save As → :func:`save_project_as`, the Recent menu from
:func:`recent_files` (each entry → ``open_project(mw, path)``), :func:`install` once after
construction (starts the autosave timer), :func:`offer_recovery` at start, :func:`maybe_save`
before replacing the workspace or closing, and :func:`on_close` when the window closes.

Saving and opening run in tasks (:mod:`app.gui.tasks`): the workspace is snapshotted in the GUI
thread, written in a worker; the project is marked clean only if it did not change while it was
written. Autosave writes a recovery copy every ``project/autosave_minutes`` minutes (default 2;
0 = off; settings INI of :func:`app.gui.settings.app_qsettings`) when there are unsaved changes;
a clean save, New, Open and a clean close remove it (docs/projects.md).

The questions (save changes?, recover?) and file choosers go through the module functions
:func:`ask_save_changes`, :func:`ask_recover`, :func:`choose_open_path` and
:func:`choose_save_path`, which tests replace.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.gui.tasks import TaskHandle, run_task, ui_lang
from app.project_file import load_project, project_path, snapshot, write_snapshot
from app.project_recovery import autosave_path, discard_recovery, find_recovery, recovery_info
from app.workspace import Workspace

MAX_RECENT = 8
RECENT_KEY = "project/recent"
AUTOSAVE_KEY = "project/autosave_minutes"
AUTOSAVE_DEFAULT_MIN = 2.0


def _t(text: str) -> str:
    return QCoreApplication.translate("ProjectActions", text)


def _settings() -> QSettings:
    try:
        from app.gui.settings import app_qsettings

        return app_qsettings()
    except ImportError:  # pragma: no cover - settings module absent
        return QSettings()


def _track(mw, handle: TaskHandle | None) -> TaskHandle | None:
    if handle is not None and hasattr(mw, "track_task"):
        mw.track_task(handle)
    return handle


def _status(mw, text: str) -> None:
    bar = getattr(mw, "statusBar", None)
    if callable(bar):
        bar().showMessage(text, 8000)


# ---------------------------------------------------------------- recent files


def recent_files() -> list[Path]:
    """Recently opened or saved projects, newest first (at most 8; missing files left out)."""
    value = _settings().value(RECENT_KEY, [])
    if isinstance(value, str):
        value = [value] if value else []
    out = []
    for v in value or []:
        p = Path(str(v))
        if p.exists() and p not in out:
            out.append(p)
    return out[:MAX_RECENT]


def add_recent(path: Path | str) -> None:
    path = Path(path).resolve()
    files = [path] + [p for p in recent_files() if p.resolve() != path]
    s = _settings()
    s.setValue(RECENT_KEY, [str(p) for p in files[:MAX_RECENT]])
    s.sync()


def clear_recent() -> None:
    s = _settings()
    s.remove(RECENT_KEY)
    s.sync()


# ---------------------------------------------------------------- questions (tests replace these)


def ask_save_changes(mw) -> str:
    """"save" | "discard" | "cancel" for unsaved changes."""
    name = mw.workspace.title or _t("Untitled")
    box = QMessageBox(QMessageBox.Icon.Question, _t("Unsaved changes"),
                      _t("Save the changes to “{0}” before closing it?").format(name),
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, mw if isinstance(mw, QWidget) else None)
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    answer = box.exec()
    return {QMessageBox.StandardButton.Save: "save",
            QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")


def ask_recover(mw, info) -> str:
    """"recover" | "discard" | "later" for a recovery file (:class:`app.project_recovery.RecoveryInfo`)."""
    what = str(info.project) if info.project else _t("an untitled project")
    when = info.saved.astimezone().strftime("%Y-%m-%d %H:%M")
    box = QMessageBox(QMessageBox.Icon.Question, _t("Recover unsaved work"),
                      _t("Lingtan was not closed properly. Unsaved work on {0} was saved automatically at "
                         "{1}. Recover it?").format(what, when),
                      QMessageBox.StandardButton.NoButton, mw if isinstance(mw, QWidget) else None)
    recover = box.addButton(_t("Recover"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_t("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(_t("Later"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(recover)
    box.exec()
    clicked = box.clickedButton()
    return "recover" if clicked is recover else "discard" if clicked is discard else "later"


def choose_open_path(mw) -> Path | None:
    start = str(recent_files()[0].parent) if recent_files() else ""
    name, _ = QFileDialog.getOpenFileName(
        mw if isinstance(mw, QWidget) else None, _t("Open project"), start,
        _t("Lingtan projects (*.lingtan.gpkg);;GeoPackage (*.gpkg);;All files (*)"))
    return Path(name) if name else None


def choose_save_path(mw) -> Path | None:
    ws = mw.workspace
    if ws.path is not None:
        start = str(ws.path)
    else:
        folder = recent_files()[0].parent if recent_files() else Path.home()
        start = str(folder / ((ws.park.name if ws.park else "") or _t("park")))
    name, _ = QFileDialog.getSaveFileName(mw if isinstance(mw, QWidget) else None, _t("Save project"),
                                          start, _t("Lingtan projects (*.lingtan.gpkg)"))
    return project_path(name) if name else None


# ---------------------------------------------------------------- new / open / save


def maybe_save(mw) -> bool:
    """Before the workspace goes: ask to save unsaved changes. False: the user cancelled (or the
    save failed); True: go on. An empty workspace never asks."""
    ws = mw.workspace
    if not ws.dirty or not ws.tree.layers():
        return True
    answer = ask_save_changes(mw)
    if answer == "cancel":
        return False
    if answer == "save":
        handle = save_project(mw)
        if handle is None:
            return False
        if isinstance(handle, TaskHandle):
            handle.wait(600.0)  # the event loop keeps running while it writes
            return handle.state == "done"
    return True


def replace_workspace(mw, ws: Workspace) -> None:
    """Show ``ws`` in the window instead of the current workspace, whose recovery copy goes (the
    user saved or discarded its changes in :func:`maybe_save`)."""
    old = mw.workspace
    if old is not ws:
        discard_recovery(old.autosave_file)  # the user saved or discarded it in maybe_save
        old.autosave_file = None
    mw.set_workspace(ws)


def new_project(mw) -> Workspace | None:
    """File → New: an empty workspace (after asking to save changes)."""
    if not maybe_save(mw):
        return None
    ws = Workspace(lang=ui_lang())
    replace_workspace(mw, ws)
    return ws


def open_project(mw, path: Path | str | None = None) -> TaskHandle | None:
    """File → Open (or a recent file): ask for a file when ``path`` is None, then read it in a
    task; the window shows it when it is read. Bad files are reported in the UI language."""
    if not maybe_save(mw):
        return None
    if path is None:
        path = choose_open_path(mw)
        if path is None:
            return None
    path = Path(path)
    lang = ui_lang()

    def done(ws: Workspace) -> None:
        replace_workspace(mw, ws)
        add_recent(path)
        _status(mw, _t("Opened {0}").format(path.name))

    return _track(mw, run_task(mw if isinstance(mw, QWidget) else None,
                               _t("Opening {0}").format(path.name),
                               lambda p: load_project(path, p, lang=lang), done))


def save_project(mw) -> TaskHandle | None:
    """File → Save (Save As when the project has no file yet)."""
    ws = mw.workspace
    if ws.path is None:
        return save_project_as(mw)
    return save_to(mw, ws.path)


def save_project_as(mw) -> TaskHandle | None:
    """File → Save As: choose a ``.lingtan.gpkg`` file, then save."""
    path = choose_save_path(mw)
    if path is None:
        return None
    return save_to(mw, path)


def save_to(mw, path: Path | str) -> TaskHandle:
    """Save the workspace to ``path`` in a task (atomic); on success the workspace takes the path,
    is marked clean when it did not change meanwhile, its recovery file goes, and the path joins
    the recent files."""
    ws = mw.workspace
    path = project_path(path)
    snap = snapshot(ws)  # in the GUI thread: the tree and styles as they are now
    revision = ws.revision

    def done(saved: Path) -> None:
        ws.set_path(saved)
        if ws.revision == revision:
            ws.mark_clean()
            discard_recovery(ws.autosave_file)
            ws.autosave_file = None
        add_recent(saved)
        _status(mw, _t("Saved {0}").format(saved.name))

    return _track(mw, run_task(mw if isinstance(mw, QWidget) else None, _t("Saving {0}").format(path.name),
                               lambda p: write_snapshot(snap, path, p), done))


# ---------------------------------------------------------------- autosave and recovery


def autosave_minutes() -> float:
    """Autosave interval in minutes (setting ``project/autosave_minutes``; 0 = off)."""
    try:
        return max(0.0, float(_settings().value(AUTOSAVE_KEY, AUTOSAVE_DEFAULT_MIN)))
    except (TypeError, ValueError):
        return AUTOSAVE_DEFAULT_MIN


def set_autosave_minutes(minutes: float) -> None:
    s = _settings()
    s.setValue(AUTOSAVE_KEY, float(minutes))
    s.sync()


class Autosaver(QObject):
    """A timer that writes a recovery copy of ``mw.workspace`` when it has unsaved changes.

    The snapshot is taken in the GUI thread, the file written in a worker (no progress window,
    errors only in the status bar). ``autosave_now()`` does one round (tests, "save on
    deactivate"); ``last_handle`` is the latest task."""

    def __init__(self, mw, minutes: float | None = None) -> None:
        super().__init__(mw if isinstance(mw, QObject) else None)
        self.mw = mw
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.autosave_now)
        self.last_handle: TaskHandle | None = None
        self._saved_revision: dict[int, int] = {}
        self.set_interval(autosave_minutes() if minutes is None else minutes)

    def set_interval(self, minutes: float) -> None:
        self.minutes = max(0.0, float(minutes))
        if self.minutes > 0:
            self.timer.start(round(self.minutes * 60_000))
        else:
            self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()

    def autosave_now(self) -> TaskHandle | None:
        ws = self.mw.workspace
        if not ws.dirty or not ws.tree.layers():
            return None
        if self._saved_revision.get(id(ws)) == ws.revision:
            return None  # nothing new since the last autosave
        if self.last_handle is not None and self.last_handle.state == "running":
            return None
        target = autosave_path(ws.path)
        snap = snapshot(ws, autosave_of=ws.path)
        revision = ws.revision

        def done(path: Path) -> None:
            if ws.autosave_file is not None and ws.autosave_file != path:
                discard_recovery(ws.autosave_file)
            ws.autosave_file = path
            self._saved_revision[id(ws)] = revision

        def failed(exc: BaseException) -> None:
            _status(self.mw, _t("Autosave failed: {0}").format(exc))

        self.last_handle = run_task(None, _t("Autosave"), lambda p: write_snapshot(snap, target, p), done,
                                    failed, show_dialog=False, show_errors=False)
        return self.last_handle


def install(mw, minutes: float | None = None) -> Autosaver:
    """Start autosaving ``mw.workspace`` (interval from the settings unless given)."""
    saver = Autosaver(mw, minutes)
    mw._autosaver = saver
    return saver


def offer_recovery(mw) -> TaskHandle | None:
    """At start: offer the newest recovery file left by a crash (newer than its project). Recover
    opens it (marked unsaved, with the original project's path); Discard deletes it; Later keeps
    it for the next start."""
    for path in find_recovery():
        try:
            info = recovery_info(path)
        except Exception:  # unreadable: leave it, offer the next one
            continue
        answer = ask_recover(mw, info)
        if answer == "discard":
            discard_recovery(path)
            continue
        if answer == "later":
            continue
        lang = ui_lang()

        def done(ws: Workspace, path=path, info=info) -> None:
            ws.autosave_file = path  # replaced by this session's autosave, removed by a save
            ws.dirty = True
            mw.set_workspace(ws)
            _status(mw, _t("Recovered work from {0}").format(
                info.saved.astimezone().strftime("%Y-%m-%d %H:%M")))

        return _track(mw, run_task(mw if isinstance(mw, QWidget) else None, _t("Recovering"),
                                   lambda p, path=path, info=info, lang=lang: load_project(
                                       path, p, lang=lang, as_path=info.project), done))
    return None


def on_close(mw) -> None:
    """The window closes (after :func:`maybe_save`): stop autosaving, remove the recovery file."""
    saver = getattr(mw, "_autosaver", None)
    if saver is not None:
        saver.stop()
        if saver.last_handle is not None and saver.last_handle.state == "running":
            saver.last_handle.wait(10.0)
    ws = mw.workspace
    discard_recovery(ws.autosave_file)
    ws.autosave_file = None

