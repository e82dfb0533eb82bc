"""Icons from resources/icons/*.svg (drawn for Lingtan; 24 × 24, stroke #37474f)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QIcon

from gis.paths import resources_dir


def icons_dir():
    return resources_dir() / "icons"


@lru_cache(maxsize=64)
def icon(name: str) -> QIcon:
    """The icon ``name`` (file stem), or an empty QIcon when there is none."""
    path = icons_dir() / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


def app_icon() -> QIcon:
    return icon("lingtan")
