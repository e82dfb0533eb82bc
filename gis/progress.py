"""The one progress-and-cancel protocol used by all long work in ``gis``.

A long function takes ``progress: Progress = NO_PROGRESS`` and calls
``progress.report(fraction, message)`` now and then; ``report`` raises :class:`Cancelled`
once the caller has set the cancel flag, so work stops at the next report (call it at
least every ~0.2 s of work). Callers (CLI progress bar, GUI worker thread) supply the
callback and call :meth:`Progress.cancel`. Sub-steps get a scaled child with
:meth:`Progress.sub`, sharing the same cancel flag.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

ProgressCallback = Callable[[float, str], None]


class Cancelled(Exception):
    """Raised inside long work when the user cancelled it."""


@dataclass
class Progress:
    """Progress sink with a shared cancel flag.

    callback: called with (fraction 0..1 of the whole job, message).
    start/end: the part of the parent's 0..1 range this object reports into.
    """

    callback: ProgressCallback | None = None
    start: float = 0.0
    end: float = 1.0
    _cancel: threading.Event = field(default_factory=threading.Event)

    def report(self, fraction: float, message: str = "") -> None:
        """Report ``fraction`` (0..1) of this step done; raise Cancelled if cancelled."""
        if self._cancel.is_set():
            raise Cancelled()
        if self.callback is not None:
            f = min(max(fraction, 0.0), 1.0)
            self.callback(self.start + (self.end - self.start) * f, message)

    def check(self) -> None:
        """Raise Cancelled if the user cancelled (no progress update)."""
        if self._cancel.is_set():
            raise Cancelled()

    def cancel(self) -> None:
        """Ask the work to stop at its next report/check (thread-safe)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def sub(self, start: float, end: float) -> Progress:
        """A child reporting into [start, end] of this step, sharing the cancel flag."""
        span = self.end - self.start
        return Progress(
            callback=self.callback,
            start=self.start + span * start,
            end=self.start + span * end,
            _cancel=self._cancel,
        )


NO_PROGRESS = Progress()
"""Default for callers that want neither progress nor cancel. Never cancel it."""
