"""Background tasks: results in the GUI thread, progress, cancel within a second, errors shown."""

from __future__ import annotations

import itertools
import threading
import time

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox

from app.gui import tasks
from app.gui.tasks import run_task
from gis.errors import InputError


def _busy(seconds: float, progress, step_s: float = 0.01):
    """Pure-Python busy work for ``seconds`` reporting every ``step_s`` (holds the GIL)."""
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < seconds:
        t1 = time.perf_counter()
        while time.perf_counter() - t1 < step_s:
            n += 1
        progress.report((time.perf_counter() - t0) / seconds, f"step {n}")
    return n


def test_result_delivered_in_gui_thread(qtbot):
    got = {}

    def work(progress):
        got["worker_thread"] = threading.get_ident()
        progress.report(0.5, "half")
        return 42

    def done(result):
        got["result"] = result
        got["done_thread"] = threading.get_ident()
        got["is_gui"] = QThread.currentThread() is QApplication.instance().thread()

    handle = run_task(None, "t", work, done)
    assert handle.wait(10)
    assert handle.state == "done" and got["result"] == 42
    assert got["is_gui"] and got["done_thread"] == threading.get_ident()
    assert got["worker_thread"] != threading.get_ident()


def test_progress_reaches_gui(qtbot):
    seen = []

    def work(progress):
        for k in range(5):
            progress.report(k / 4, f"m{k}")
            time.sleep(0.06)
        return None

    handle = run_task(None, "t", work)
    handle.progressed.connect(lambda f, m: seen.append((f, m)))
    assert handle.wait(10)
    assert [m for _, m in seen][-1] == "m4" and seen[-1][0] == pytest.approx(1.0)
    assert len(seen) >= 3  # distinct messages are never dropped by the throttle


def test_dialog_shows_and_cancel_button_cancels_within_a_second(qtbot):
    done = []
    handle = run_task(None, "busy", lambda p: _busy(30.0, p), done.append)
    qtbot.waitUntil(lambda: handle.dialog is not None and handle.dialog.isVisible(), timeout=3000)
    assert handle.dialog.bar.value() >= 0
    handle.dialog.cancel_button.click()
    t0 = time.monotonic()
    assert handle.wait(5)
    assert time.monotonic() - t0 < 1.0
    assert handle.state == "cancelled" and done == []
    assert handle.cancel_latency_s is not None and handle.cancel_latency_s < 1.0
    assert handle.dialog is None


def test_cancel_after_work_finished_but_before_delivery_is_a_cancel(qtbot):
    done, cancelled = [], []
    gate = threading.Event()

    def work(progress):
        gate.wait(5)
        return "late"  # no report after the cancel: the worker never sees it

    handle = run_task(None, "t", work, done.append, on_cancelled=lambda: cancelled.append(1))
    handle.cancel()
    gate.set()
    assert handle.wait(5)
    assert handle.state == "cancelled" and done == [] and cancelled == [1]


def test_input_error_shown_in_ui_language(qtbot, monkeypatch):
    monkeypatch.setattr(tasks, "ui_lang", lambda: "en")
    errors = []

    def work(progress):
        raise InputError("文件没有坐标系", "The file has no CRS", path="a.shp", code="crs.missing")

    handle = run_task(None, "t", work, on_error=errors.append)
    assert handle.wait(5)
    assert handle.state == "failed" and isinstance(errors[0], InputError)
    box = handle.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "The file has no CRS" in box.informativeText() and "a.shp" in box.informativeText()
    assert "坐标系" not in box.informativeText()
    assert handle.log_path is None  # bad input is not a bug: no crash log
    box.close()
    monkeypatch.setattr(tasks, "ui_lang", lambda: "zh")
    handle = run_task(None, "t", work, show_errors=True)
    assert handle.wait(5)
    assert "文件没有坐标系" in handle.message_box.informativeText()
    handle.message_box.close()


def test_bug_logged_with_traceback(qtbot):
    def work(progress):
        return {}["missing"]

    handle = run_task(None, "t", work)
    assert handle.wait(5)
    assert handle.state == "failed" and isinstance(handle.error, KeyError)
    text = handle.log_path.read_text(encoding="utf-8")
    assert "Traceback" in text and "KeyError" in text and "work" in text
    assert str(handle.log_path) in handle.message_box.informativeText()
    assert "KeyError" in handle.message_box.detailedText()
    handle.message_box.close()


def test_error_in_on_done_is_reported_not_raised(qtbot):
    def bad_done(result):
        raise ValueError("bad handler")

    handle = run_task(None, "t", lambda p: 1, bad_done, show_errors=False)
    assert handle.wait(5)
    assert handle.state == "failed" and isinstance(handle.error, ValueError)


def test_event_loop_keeps_running_while_worker_holds_the_gil(qtbot):
    """A pure-Python worker (always wanting the GIL) must not stall a 10 ms heartbeat > 100 ms."""
    from PySide6.QtCore import QTimer

    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    handle = run_task(None, "busy", lambda p: _busy(1.5, p, step_s=0.05), show_dialog=False)
    assert handle.wait(10)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(gaps) > 50
    assert max(gaps) < 0.1, f"largest event-loop gap {max(gaps) * 1000:.0f} ms"


def test_cancel_all(qtbot):
    handles = [run_task(None, "t", lambda p: _busy(30.0, p), show_dialog=False) for _ in range(2)]
    assert tasks.running_tasks()
    assert tasks.cancel_all(3.0)
    assert all(h.state == "cancelled" for h in handles)
    assert not tasks.running_tasks()
