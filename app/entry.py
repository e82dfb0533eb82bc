"""Entry of the ``lingtan`` command: Ctrl-C is only noted from the first instant (before the
command line's own modules are imported), so an interrupt during start-up still ends with exit
code 130 and a bilingual message instead of a traceback."""

from __future__ import annotations

import signal
import threading

_interrupted_early = threading.Event()


def _note_interrupt(signum, frame) -> None:
    _interrupted_early.set()


def main() -> int:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _note_interrupt)
    from app.cli import main as cli_main

    code = cli_main(interrupted_early=_interrupted_early.is_set())
    if threading.current_thread() is threading.main_thread():
        # the command has ended: while Python finalises it puts back the default action for a
        # signal with a Python handler, and a Ctrl-C then would kill the process (exit -2) instead
        # of letting it end with ``code``; an ignored signal stays ignored
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    return code
