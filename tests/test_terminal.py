"""The CLI's progress bar (app/terminal.py)."""

from __future__ import annotations

import io

from app.terminal import ProgressBar


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_draws_a_new_message_even_within_the_throttle_interval():
    out = _Tty()
    bar = ProgressBar(stream=out)
    bar(0.10, "horizons: neighbours")
    bar(0.11, "horizons: neighbours")  # same message within 0.1 s: throttled
    bar(0.11, "horizons: preparing the compiled code")  # new message: drawn at once
    text = out.getvalue()
    assert text.count("horizons: neighbours") == 1
    assert "preparing the compiled code" in text.split("\r")[-1]


def test_bar_writes_nothing_when_not_a_terminal():
    out = io.StringIO()
    bar = ProgressBar(stream=out)
    bar(0.5, "tiles")
    bar.close()
    assert out.getvalue() == ""
