"""Long work off the GUI thread: a worker thread per task, a progress window with Cancel,
errors shown in the user's language.

``run_task(parent, title, fn, on_done)`` runs ``fn(progress)`` in a :class:`QThread`. ``progress``
is a :class:`gis.progress.Progress` whose callback forwards ``(fraction, message)`` to the GUI
thread through a queued Qt signal (throttled to one update per ~40 ms) and which raises
:class:`~gis.progress.Cancelled` inside the work at its next ``report`` once the user pressed
Cancel. ``on_done(result)`` runs in the GUI thread; a cancelled task never calls it, so a
cancelled analysis leaves the workspace as it was. Bad input (:class:`gis.errors.InputError`) is
shown in a message box in the UI language; any other exception is a bug: its traceback goes to a
log file whose path the message box names (the traceback is also under "Show Details").

The GUI thread never waits for a worker: message boxes are opened with ``open()`` (window-modal,
not a nested event loop), and each report from the worker briefly releases the GIL
(``time.sleep(0)``) so that a worker busy in Python cannot starve the event loop.
"""

from __future__ import annotations

import gc
import re
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gis.errors import CrsNeeded, InputError
from gis.progress import Cancelled, Progress

EMIT_INTERVAL_S = 0.04
"""At most one progress signal per 40 ms (25 updates/s is smooth; more floods the event queue)."""

SHOW_DELAY_MS = 300
"""The progress window appears only when a task runs longer than this (no flashing for quick work)."""

SWITCH_INTERVAL_S = 0.002
"""``sys.setswitchinterval`` while tasks run (CPython default 5 ms): the GUI thread waits at most
this long for the GIL when a worker runs pure Python (measured: benchmarks/bench_gui_responsiveness.py)."""

RECORD_REPORTS = False
"""When True, each task keeps the worker-side time of every look at the cancel flag (``report`` and
``check``) in ``handle.report_times`` (benchmarks/bench_gui_responsiveness.py: the largest gap
bounds the cancel latency)."""

PROGRESS_MESSAGES = (
    QT_TRANSLATE_NOOP("Progress", "weather"),
    QT_TRANSLATE_NOOP("Progress", "rooftop PV"),
    QT_TRANSLATE_NOOP("Progress", "roof layouts"),
    QT_TRANSLATE_NOOP("Progress", "roof setbacks"),
    QT_TRANSLATE_NOOP("Progress", "roof planes"),
    QT_TRANSLATE_NOOP("Progress", "orientation classes"),
    QT_TRANSLATE_NOOP("Progress", "energy"),
    QT_TRANSLATE_NOOP("Progress", "neighbours"),
    QT_TRANSLATE_NOOP("Progress", "horizons"),
    QT_TRANSLATE_NOOP("Progress", "horizons: neighbours"),
    QT_TRANSLATE_NOOP("Progress", "horizons: walls"),
    QT_TRANSLATE_NOOP("Progress", "horizons: preparing the compiled code (about 10 s the first time)"),
    QT_TRANSLATE_NOOP("Progress", "horizons (DSM)"),
    QT_TRANSLATE_NOOP("Progress", "shading done"),
    QT_TRANSLATE_NOOP("Progress", "totals"),
    QT_TRANSLATE_NOOP("Progress", "done"),
    QT_TRANSLATE_NOOP("Progress", "preparing buildings"),
    QT_TRANSLATE_NOOP("Progress", "loaded"),
    QT_TRANSLATE_NOOP("Progress", "township intensity map"),
    QT_TRANSLATE_NOOP("Progress", "analyses done"),
    QT_TRANSLATE_NOOP("Progress", "emissions, sinks, balance"),
    QT_TRANSLATE_NOOP("Progress", "energy table"),
    QT_TRANSLATE_NOOP("Progress", "emission factors"),
    QT_TRANSLATE_NOOP("Progress", "carbon account done"),
    QT_TRANSLATE_NOOP("Progress", "statistics table"),
    QT_TRANSLATE_NOOP("Progress", "five-colour map done"),
    QT_TRANSLATE_NOOP("Progress", "loading the PV model"),
    QT_TRANSLATE_NOOP("Progress", "loading libraries"),
    QT_TRANSLATE_NOOP("Progress", "styling layers"),
    QT_TRANSLATE_NOOP("Progress", "summary"),
    QT_TRANSLATE_NOOP("Progress", "reading project"),
    QT_TRANSLATE_NOOP("Progress", "building the workspace"),
    QT_TRANSLATE_NOOP("Progress", "writing project"),
    QT_TRANSLATE_NOOP("Progress", "writing"),
    QT_TRANSLATE_NOOP("Progress", "saved"),
    QT_TRANSLATE_NOOP("Progress", "reading {0}"),
    QT_TRANSLATE_NOOP("Progress", "writing {0}"),
    QT_TRANSLATE_NOOP("Progress", "styling {0}"),
    QT_TRANSLATE_NOOP("Progress", "page {0}/{1}"),
    QT_TRANSLATE_NOOP("Progress", "report written ({0} s)"),
    QT_TRANSLATE_NOOP("Progress", "planning tiles"),
    QT_TRANSLATE_NOOP("Progress", "starting the cluster"),
    QT_TRANSLATE_NOOP("Progress", "planning tiles and starting the cluster"),
    QT_TRANSLATE_NOOP("Progress", "tiles"),
    QT_TRANSLATE_NOOP("Progress", "all tiles done"),
    QT_TRANSLATE_NOOP("Progress", "summaries"),
    QT_TRANSLATE_NOOP("Progress", "tile {0}/{1}"),
    QT_TRANSLATE_NOOP("Progress", "tile {0}/{1} ({2} workers)"),
    QT_TRANSLATE_NOOP("Progress", "searching the file"),
    QT_TRANSLATE_NOOP("Progress", "reading GeoParquet"),
    QT_TRANSLATE_NOOP("Progress", "extent of the selection"),
)
"""The step messages of gis and the analyses, for lupdate (shown via :func:`progress_text`)."""

_PROGRESS_TEMPLATES = (
    (re.compile(r"reading (.+)", re.S), "reading {0}"),
    (re.compile(r"writing (.+)", re.S), "writing {0}"),
    (re.compile(r"styling (.+)", re.S), "styling {0}"),
    (re.compile(r"page (\d+)/(\d+)"), "page {0}/{1}"),
    (re.compile(r"report written \((.+) s\)"), "report written ({0} s)"),
    (re.compile(r"tile (\d+)/(\d+) \((\d+) workers\)"), "tile {0}/{1} ({2} workers)"),
    (re.compile(r"tile (\d+)/(\d+)"), "tile {0}/{1}"),
)
"""Messages with a variable part: their pattern and their template in the .ts file."""

_RUNNING: set[TaskHandle] = set()
_BOXES: set[QMessageBox] = set()  # open message boxes without a parent stay referenced
_DEFAULT_SWITCH = sys.getswitchinterval()


def ui_lang() -> str:
    """The UI language, "zh" or "en" (app.gui.i18n when present, else Chinese)."""
    try:
        from app.gui.i18n import ui_lang as lang
    except ImportError:
        return "zh"
    try:
        return "en" if lang() == "en" else "zh"
    except Exception:  # settings not readable yet: the default language
        return "zh"


def running_tasks() -> list[TaskHandle]:
    """Tasks that have not finished yet (for "quit while working?")."""
    return [t for t in _RUNNING if t.state == "running"]


def cancel_all(wait_s: float = 2.0) -> bool:
    """Cancel every running task and wait up to ``wait_s`` for their threads; True when all ended."""
    tasks = list(_RUNNING)
    for t in tasks:
        t.cancel()
    deadline = time.monotonic() + wait_s
    return all(t.wait(max(0.0, deadline - time.monotonic())) for t in tasks)


class _TimedEvent(threading.Event):
    """A cancel flag that notes when the work looks at it (report and check), for benchmarks."""

    def __init__(self, times: list[float]) -> None:
        super().__init__()
        self.times = times

    def is_set(self) -> bool:
        self.times.append(time.monotonic())
        return super().is_set()


class _Bridge(QObject):
    """Lives in the GUI thread; the worker emits, Qt queues the calls to the GUI thread."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()


class _Worker(QThread):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress, bridge: _Bridge) -> None:
        super().__init__()
        self._fn, self._progress, self._bridge = fn, progress, bridge
        self.ended_at: float | None = None

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except Cancelled:
            self.ended_at = time.monotonic()
            self._bridge.cancelled.emit()
        except BaseException as exc:  # delivered to the GUI thread, shown there
            self.ended_at = time.monotonic()
            self._bridge.failed.emit(exc, traceback.format_exc())
        else:
            self.ended_at = time.monotonic()
            if self._progress.cancelled:
                self._bridge.cancelled.emit()  # finished before noticing: still a cancel
            else:
                self._bridge.succeeded.emit(result)


class TaskDialog(QDialog):
    """Modeless progress window: message, bar, elapsed time, Cancel (closing it cancels too)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(False)
        self.setMinimumWidth(380)
        self.message = QLabel(self.tr("Starting…"))
        self.message.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.bar.setFormat("%p%")
        self.elapsed = QLabel("")
        self.cancel_button = QPushButton(self.tr("Cancel"))
        row = QHBoxLayout()
        row.addWidget(self.elapsed, 1)
        row.addWidget(self.cancel_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.message)
        lay.addWidget(self.bar)
        lay.addLayout(row)
        self._cancel_cb: Callable[[], None] | None = None
        self.cancel_button.clicked.connect(self._cancel)

    def on_cancel(self, cb: Callable[[], None]) -> None:
        self._cancel_cb = cb

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.message.setText(self.tr("Cancelling…"))
        if self._cancel_cb is not None:
            self._cancel_cb()

    def set_progress(self, fraction: float, message: str, elapsed_s: float) -> None:
        self.bar.setValue(round(fraction * 1000))
        if message and self.cancel_button.isEnabled():
            self.message.setText(message)
        self.elapsed.setText(self.tr("{0:.0f} s").format(elapsed_s))

    def reject(self) -> None:  # Esc or the window's close button
        self._cancel()

    def closeEvent(self, event) -> None:
        if self.cancel_button.isEnabled():
            self._cancel()
        event.ignore()


class TaskHandle(QObject):
    """A running (or finished) task.

    state: "running" | "done" | "failed" | "cancelled". ``result``/``error``/``traceback``/
    ``log_path`` after the end; ``cancel()``; ``wait(timeout_s)`` (processes events, for tests and
    shutdown); ``cancel_latency_s``: from :meth:`cancel` to the worker's end. Signals
    ``finished(str state)``, ``progressed(float, str)``.
    """

    finished = Signal(str)
    progressed = Signal(float, str)

    def __init__(self, parent: QWidget | None, title: str, fn: Callable[[Progress], Any],
                 on_done: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None,
                 on_cancelled: Callable[[], None] | None, show_dialog: bool, show_errors: bool) -> None:
        super().__init__(None)
        self.title = title
        self.state = "running"
        self.result: Any = None
        self.error: BaseException | None = None
        self.traceback: str = ""
        self.log_path: Path | None = None
        self.message_box: QMessageBox | None = None
        self.fraction = 0.0
        self.message = ""
        self.started_at = time.monotonic()
        self.cancel_requested_at: float | None = None
        self.cancel_latency_s: float | None = None
        self._parent = parent
        self._on_done, self._on_error, self._on_cancelled = on_done, on_error, on_cancelled
        self._show_errors = show_errors
        self._last_emit = 0.0
        self._last_message = ""
        self.report_times: list[float] | None = [] if RECORD_REPORTS else None
        self.report_log: list[tuple[float, str]] = []  # (time, message) of reports when recording
        self._lock = threading.Lock()
        self._bridge = _Bridge()
        self._bridge.progressed.connect(self._on_progress)
        self._bridge.succeeded.connect(self._on_succeeded)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.cancelled.connect(self._on_worker_cancelled)
        self.progress = Progress(callback=self._report) if self.report_times is None else \
            Progress(callback=self._report, _cancel=_TimedEvent(self.report_times))
        self.dialog: TaskDialog | None = None
        if show_dialog:
            self.dialog = TaskDialog(title, parent)
            self.dialog.on_cancel(self.cancel)
            # a child timer dies with the handle (a free singleShot could fire on a deleted one)
            self._show_timer = QTimer(self)
            self._show_timer.setSingleShot(True)
            self._show_timer.timeout.connect(self._show_dialog)
            self._show_timer.start(SHOW_DELAY_MS)
        self._worker = _Worker(fn, self.progress, self._bridge)
        if not running_tasks():
            # Objects alive now (Qt wrappers, frames, modules) leave the collector's view while
            # tasks run: a full collection then scans only the worker's new objects. Without it,
            # CPython's full collections (~100 ms with the GIL held) were the last GUI stalls
            # over 100 ms (benchmarks/bench_gui_responsiveness.py: max stall 110 → 22 ms).
            gc.freeze()
        _RUNNING.add(self)
        sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._worker.start()

    # -- worker side (called in the worker thread) --------------------------------------------
    def _report(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        if self.report_times is not None:
            self.report_log.append((now, message))
        with self._lock:
            due = (now - self._last_emit >= EMIT_INTERVAL_S or message != self._last_message
                   or fraction >= 1.0)
            if due:
                self._last_emit, self._last_message = now, message
        if due:
            self._bridge.progressed.emit(float(fraction), str(message))
        time.sleep(0)  # let the GUI thread take the GIL now and then

    # -- GUI side ------------------------------------------------------------------------------
    def _show_dialog(self) -> None:
        if self.state == "running" and self.dialog is not None:
            self.dialog.show()

    @Slot(float, str)
    def _on_progress(self, fraction: float, message: str) -> None:
        if self.state != "running":
            return
        self.fraction, self.message = fraction, message
        if self.dialog is not None:
            self.dialog.set_progress(fraction, progress_text(message), time.monotonic() - self.started_at)
        self.progressed.emit(fraction, message)

    def cancel(self) -> None:
        """Ask the work to stop (it raises Cancelled at its next progress report)."""
        if self.state == "running" and self.cancel_requested_at is None:
            self.cancel_requested_at = time.monotonic()
            self.progress.cancel()
            if self.dialog is not None:
                self.dialog.cancel_button.setEnabled(False)
                self.dialog.message.setText(QCoreApplication.translate("TaskDialog", "Cancelling…"))

    @property
    def cancel_requested(self) -> bool:
        return self.cancel_requested_at is not None

    def _end(self, state: str) -> None:
        self._worker.wait()
        if self.cancel_requested_at is not None and self._worker.ended_at is not None:
            self.cancel_latency_s = self._worker.ended_at - self.cancel_requested_at
        self.state = state
        if self.dialog is not None:
            self._show_timer.stop()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        _RUNNING.discard(self)
        if not running_tasks():
            sys.setswitchinterval(_DEFAULT_SWITCH)
            gc.unfreeze()

    @Slot(object)
    def _on_succeeded(self, result: Any) -> None:
        self.result = result
        self._end("done")
        if self._on_done is not None:
            try:
                self._on_done(result)
            except Exception as exc:  # a bug in the result handling: report it like one in the work
                self._fail(exc, traceback.format_exc())
                self.finished.emit(self.state)
                return
        self.finished.emit(self.state)

    @Slot(object, str)
    def _on_failed(self, exc: BaseException, tb: str) -> None:
        self._end("failed")
        self._fail(exc, tb)
        self.finished.emit(self.state)

    def _fail(self, exc: BaseException, tb: str) -> None:
        self.state = "failed"
        self.error, self.traceback = exc, tb
        if not isinstance(exc, InputError):
            self.log_path = write_crash_log(tb)
        if self._show_errors:
            self.message_box = show_error(self._parent, exc, log_path=self.log_path, tb=tb,
                                          title=self.title)
        if self._on_error is not None:
            self._on_error(exc)

    @Slot()
    def _on_worker_cancelled(self) -> None:
        self._end("cancelled")
        if self._on_cancelled is not None:
            self._on_cancelled()
        self.finished.emit(self.state)

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Process events until the task ended (True) or ``timeout_s`` passed (False)."""
        deadline = time.monotonic() + timeout_s
        app = QCoreApplication.instance()
        while self.state == "running":
            if time.monotonic() > deadline:
                return False
            if app is not None:
                app.processEvents()
            self._worker.wait(10)
        return True


def run_task(parent: QWidget | None, title: str, fn: Callable[[Progress], Any],
             on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None, *,
             on_cancelled: Callable[[], None] | None = None, show_dialog: bool = True,
             show_errors: bool = True) -> TaskHandle:
    """Run ``fn(progress)`` in a worker thread with a progress window and Cancel.

    on_done(result): in the GUI thread after success (not after a cancel). on_error(exc): in the
    GUI thread after the error was shown (``show_errors=False``: not shown, e.g. in tests).
    on_cancelled(): after the worker stopped on Cancel. Returns the :class:`TaskHandle`.
    """
    if QApplication.instance() is None:
        raise RuntimeError("run_task needs a QApplication")
    return TaskHandle(parent, title, fn, on_done, on_error, on_cancelled, show_dialog, show_errors)


def progress_text(message: str) -> str:
    """A step message from gis (English) in the UI language: the .ts context "Progress" holds the
    known messages and the templates of :data:`_PROGRESS_TEMPLATES` ("reading {0}", "page {0}/{1}")."""
    if not message:
        return message
    shown = QCoreApplication.translate("Progress", message)
    if shown != message:
        return shown
    for pattern, template in _PROGRESS_TEMPLATES:
        m = pattern.fullmatch(message)
        if m is not None:
            shown = QCoreApplication.translate("Progress", template)
            return shown.format(*m.groups()) if shown != template else message
    return message


def write_crash_log(tb: str) -> Path | None:
    """Save a traceback as ``lingtan-crash-<time>-<ms>.log`` in the temp folder (as the CLI does);
    its path, or None when it could not be written."""
    now = time.time()
    stamp = f"{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}-{int(now * 1000) % 1000:03d}"
    log = Path(tempfile.gettempdir()) / f"lingtan-crash-{stamp}.log"
    try:
        with open(log, "x", encoding="utf-8") as f:  # never overwrite an earlier log
            f.write(tb)
    except FileExistsError:
        return write_crash_log(tb + "\n")  # same millisecond: the next one
    except OSError:
        return None
    return log


def error_text(exc: BaseException, lang: str | None = None) -> str:
    """The user's text of an InputError in ``lang`` ("zh"/"en"; default: the UI language)."""
    lang = lang or ui_lang()
    if isinstance(exc, InputError):
        msg = exc.en if lang == "en" else exc.zh
        text = f"{exc.path}:\n{msg}" if exc.path else msg
        if isinstance(exc, CrsNeeded) and exc.candidates:
            head = QCoreApplication.translate("Tasks", "Likely coordinate systems:")
            text += f"\n\n{head}\n" + "\n".join(f"  {code} ({why})" for code, why in exc.candidates)
        return text
    return str(exc)


def show_error(parent: QWidget | None, exc: BaseException, *, log_path: Path | None = None,
               tb: str = "", title: str | None = None) -> QMessageBox:
    """A window-modal message box (opened, not exec'd: the event loop keeps running)."""
    box = QMessageBox(parent)
    box.setWindowTitle(title or QCoreApplication.translate("Tasks", "Lingtan"))
    if isinstance(exc, InputError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(QCoreApplication.translate("Tasks", "The input cannot be used."))
        box.setInformativeText(error_text(exc))
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(QCoreApplication.translate("Tasks", "An internal error occurred (a bug in Lingtan)."))
        info = ""
        if log_path:
            info = QCoreApplication.translate("Tasks", "Please send the log file to the developers:")
            info += f"\n{log_path}"
        box.setInformativeText(f"{type(exc).__name__}: {exc}\n\n{info}".strip())
        if tb:
            box.setDetailedText(tb)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.finished.connect(box.deleteLater)
    _BOXES.add(box)
    box.finished.connect(lambda _=0, b=box: _BOXES.discard(b))
    box.open()
    return box
