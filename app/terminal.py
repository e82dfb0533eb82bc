"""Terminal output for the CLI: a progress bar on stderr and bilingual messages."""

from __future__ import annotations

import sys
import time


class ProgressBar:
    """Callback for :class:`gis.progress.Progress` drawing ``[####    ] 45% message``.

    Draws only when stderr is a terminal (never garbles logs or --json output), at most
    every 0.1 s, except that a new message is always drawn: a step that then runs for long
    without reporting (the first shading run compiling for ~10 s) must not leave the previous
    step's message on screen.
    """

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last = 0.0
        self._shown = False
        self._message = ""

    def __call__(self, fraction: float, message: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.1 and fraction < 1.0 and message == self._message:
            return
        self._last = now
        self._message = message
        filled = round(self.width * fraction)
        bar = "#" * filled + " " * (self.width - filled)
        self.stream.write(f"\r[{bar}] {fraction * 100:5.1f}% {message[:40]:<40}")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        if self._shown:
            self.stream.write("\r" + " " * (self.width + 50) + "\r")
            self.stream.flush()
            self._shown = False
