"""Styles to and from JSON-safe dicts (project files, layer tree state). Pure Python, no Qt.

``style_to_dict(style)`` gives plain dicts/lists/str/float/int/bool/None with a ``"type"`` key
("single", "graduated", "categorized") and a ``"version"``; ``style_from_dict(d)`` rebuilds an
equal style. Unknown keys are ignored (files written by a newer Lingtan still load), missing keys
take the dataclass defaults. Category values keep their JSON type (str, int, float, bool, None);
numpy scalars are converted to Python numbers on the way out.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from gis.errors import InputError
from layers.style import CategorizedStyle, Category, ClassBreak, GraduatedStyle, SingleStyle, Style

STYLE_IO_VERSION = 1
_TYPES: dict[str, type] = {"single": SingleStyle, "graduated": GraduatedStyle,
                           "categorized": CategorizedStyle}
_NAMES = {v: k for k, v in _TYPES.items()}


def _plain(x: Any) -> Any:
    """A JSON-safe copy of ``x`` (numpy scalars → Python; NaN/inf floats → None)."""
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    return x


def style_to_dict(style: Style) -> dict:
    """A JSON-safe dict of ``style`` (see the module doc)."""
    kind = _NAMES.get(type(style))
    if kind is None:
        raise TypeError(f"not a Lingtan style: {type(style).__name__}")
    d = {"type": kind, "version": STYLE_IO_VERSION}
    for f in dataclasses.fields(style):
        value = getattr(style, f.name)
        if f.name == "classes":
            value = [_plain(dataclasses.asdict(c)) for c in value]
        elif f.name == "categories":
            value = [_plain(dataclasses.asdict(c)) for c in value]
        d[f.name] = _plain(value)
    return d


def _known(cls: type, d: dict) -> dict:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in d.items() if k in names}


def style_from_dict(d: dict) -> Style:
    """The style described by ``d`` (from :func:`style_to_dict`); bad input raises InputError."""
    if not isinstance(d, dict) or d.get("type") not in _TYPES:
        got = d.get("type") if isinstance(d, dict) else type(d).__name__
        raise InputError(f"无法识别的图层样式类型：{got!r}（应为 single、graduated 或 categorized）",
                         f"unknown layer style type {got!r} (expected single, graduated or categorized)",
                         code="style.type")
    cls = _TYPES[d["type"]]
    kw = _known(cls, d)
    try:
        if cls is GraduatedStyle:
            kw["classes"] = [ClassBreak(**_known(ClassBreak, c)) for c in kw.get("classes", [])]
        elif cls is CategorizedStyle:
            kw["categories"] = [Category(**_known(Category, c)) for c in kw.get("categories", [])]
        return cls(**kw)
    except TypeError as e:  # a required field missing
        raise InputError(f"图层样式不完整：{e}", f"incomplete layer style: {e}", code="style.fields") from e
