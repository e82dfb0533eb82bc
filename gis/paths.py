"""Where Lingtan's bundled resources live (source checkout, editable install or frozen app)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def frozen_bundle() -> Path | None:
    """The PyInstaller bundle folder (``sys._MEIPASS``) when running frozen, else ``None``."""
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if getattr(sys, "frozen", False) and meipass else None


def resources_dir() -> Path:
    """The ``resources/`` folder: $LINGTAN_RESOURCES, the PyInstaller bundle, or the checkout."""
    env = os.environ.get("LINGTAN_RESOURCES")
    if env:
        return Path(env)
    frozen = frozen_bundle()
    if frozen:
        return frozen / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def sample_dir() -> Path:
    """The embedded sample park (``resources/sample``)."""
    return resources_dir() / "sample"
