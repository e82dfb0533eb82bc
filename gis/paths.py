"""Where Lingtan's bundled resources live (source checkout, editable install or frozen app)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: $LINGTAN_RESOURCES, the PyInstaller bundle, or the checkout."""
    env = os.environ.get("LINGTAN_RESOURCES")
    if env:
        return Path(env)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def sample_dir() -> Path:
    """The embedded sample park (``resources/sample``)."""
    return resources_dir() / "sample"
