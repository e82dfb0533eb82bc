"""What the siting model asks of its front end, with defaults that suit scripts and the CLI.

The model never shows text itself: it names a message by key (:data:`MESSAGES`, English) and the
front end's ``text(key, *args)`` gives it in the UI language (the desktop app's table is
``app.gui.siting.siting_text``, in the "Siting" translation context). Long work (the PV array
yield) goes through the front end's ``run``: the desktop app runs it in a worker thread with
progress and Cancel, the default runs it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gis.errors import InputError
from gis.progress import NO_PROGRESS, Cancelled, Progress

MESSAGES: dict[str, str] = {
    "needs_park": "The park's site climate needs a park: open one, or choose a Weibull distribution or a "
                  "file",
    "needs_resource_file": "Choose a wind resource file (.tab, .csv/.xlsx sector table, .epw or .tif)",
    "no_map": "No map yet: open a park or add data first",
    "select_polygons": "Select one or more polygons of the layer first (Select tool)",
    "needs_area": "Draw or choose an array area first",
    "array_changed": "The array changed while its yield was computed: compute again",
    "finding_orientation": "Finding the site's best tilt and azimuth…",
    "yield_title": "PV array yield",
    "place_turbine": "Place turbine {0}",
    "delete_turbine": "Delete turbine {0}",
    "move_turbine": "Move turbine {0}",
    "set_turbines": "Set turbines",
    "draw_area": "Draw PV array area",
    "use_selection": "Use selected polygons as PV array area",
    "clear_area": "Clear PV array area",
}
"""Every message of the model by key, in English (the front end translates by key)."""


class SitingError(Exception):
    """A problem of the siting input, named by a key of :data:`MESSAGES` (with its arguments)."""

    def __init__(self, key: str, *params: Any) -> None:
        super().__init__(MESSAGES[key].format(*params))
        self.key = key
        self.params = params


def english(key: str, *args: Any) -> str:
    """The English text of message ``key``."""
    return MESSAGES[key].format(*args)


def plain_error_text(exc: BaseException) -> str:
    """An input error's English text (with the file it is about); other errors as str()."""
    if isinstance(exc, InputError):
        return f"{exc.path}:\n{exc.en}" if exc.path else exc.en
    return str(exc)


def no_setting(_name: str, default: Any) -> Any:
    """No application settings: every value is its documented default."""
    return default


@dataclass
class Finished:
    """The outcome of work run at once by :func:`run_now` (state "done" or "cancelled")."""

    title: str
    state: str
    result: Any = None

    def wait(self, _timeout: float | None = None) -> bool:
        return True


def run_now(title: str, work: Callable[[Progress], Any], done: Callable[[Any], None],
            failed: Callable[[BaseException], None], cancelled: Callable[[], None],
            **_options: Any) -> Finished:
    """Run ``work`` here and now; an error goes to ``failed`` and then on to the caller."""
    try:
        result = work(NO_PROGRESS)
    except Cancelled:
        cancelled()
        return Finished(title, "cancelled")
    except Exception as exc:
        failed(exc)
        raise
    done(result)
    return Finished(title, "done", result)


Runner = Callable[..., Any]
"""``run(title, work, done, failed, cancelled, **options) -> handle`` (the handle has ``state``)."""


@dataclass
class SitingEnv:
    """The front end's services: message texts, error texts, app settings and a runner."""

    text: Callable[..., str] = english
    error_text: Callable[[BaseException], str] = plain_error_text
    app_setting: Callable[[str, Any], Any] = no_setting
    run: Runner = field(default=run_now)
