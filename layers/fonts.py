"""Finding a font that draws Chinese, so text never renders as boxes (QtGui only).

The system's own CJK font is preferred (Microsoft YaHei looks native on Windows, PingFang on macOS);
a machine without any (bare Linux, Windows Server Core, a locked-down PC) gets the font Lingtan
bundles: "Lingtan Noto Sans SC" (resources/fonts/NotoSansSC-Lingtan-{Regular,Bold}.otf, a GB 2312
subset of Noto Sans CJK SC made by packaging/make_cjk_font.py; SIL OFL 1.1, see
resources/fonts/SOURCES.md), registered with Qt by :func:`register_bundled_fonts`.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from gis.paths import resources_dir

# preferred families, best first: Windows (YaHei, SimHei), macOS (PingFang), Linux (Noto, WQY)
PREFERRED_CJK = ("Microsoft YaHei", "微软雅黑", "PingFang SC", "Noto Sans CJK SC",
                 "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei", "黑体")
# the family of resources/fonts/*.otf (name ID 1, set by packaging/make_cjk_font.py)
BUNDLED_CJK = "Lingtan Noto Sans SC"
FONTS_SUBDIR = "fonts"

_lock = threading.Lock()
_font_ids: list[int] = []  # Qt's application-font ids of the bundled files, once registered
_families: list[str] = []


def bundled_font_files() -> list[Path]:
    """The font files Lingtan ships: ``resources/fonts/*.otf`` (sorted; empty if none)."""
    folder = resources_dir() / FONTS_SUBDIR
    return sorted(folder.glob("*.otf")) if folder.is_dir() else []


def register_bundled_fonts() -> list[str]:
    """Add the bundled fonts to Qt's font database (once per process); returns their families,
    e.g. ["Lingtan Noto Sans SC"] ([] without a QGuiApplication or without font files).

    Safe to call repeatedly and from any thread: later calls return the families registered first.
    """
    if QGuiApplication.instance() is None:
        return []  # QFontDatabase needs the application; try again once it exists
    with _lock:
        if _font_ids and QFontDatabase.applicationFontFamilies(_font_ids[0]):
            return list(_families)
        _font_ids.clear()
        _families.clear()
        for path in bundled_font_files():
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                continue  # unreadable or not a font: the system fonts still apply
            _font_ids.append(font_id)
            _families.extend(f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in _families)
        return list(_families)


def bundled_family() -> str | None:
    """The bundled CJK family (registered on first use), or None when its files are missing.

    Needs a QGuiApplication."""
    families = register_bundled_fonts()
    if BUNDLED_CJK in families:
        return BUNDLED_CJK
    return families[0] if families else None


def cjk_family() -> str | None:
    """A font family with Simplified Chinese glyphs: the first installed of :data:`PREFERRED_CJK`,
    else the bundled "Lingtan Noto Sans SC", else any other system family that claims Simplified
    Chinese; None only when there is none and the bundled files are missing.

    Needs a QGuiApplication.
    """
    bundled = bundled_family()
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    for name in PREFERRED_CJK:
        if name in families:
            return name
    if bundled:
        return bundled
    return families[0] if families else None


_PREFER_BUNDLED: ContextVar[bool] = ContextVar("lingtan_prefer_bundled_font", default=False)


@contextmanager
def bundled_fonts_preferred():
    """Within this block (this thread/context only), :func:`cjk_font` prefers the bundled font: the
    PDF report uses it so that its glyphs, line breaks and page count are the same on every machine.
    A canvas drawing in another thread meanwhile keeps the system font."""
    token = _PREFER_BUNDLED.set(True)
    try:
        yield
    finally:
        _PREFER_BUNDLED.reset(token)


def cjk_font(point_size: float = 10.0, prefer_bundled: bool | None = None) -> QFont:
    """A QFont that draws Chinese (falls back to the default font if none is installed).

    prefer_bundled: draw with the bundled "Lingtan Noto Sans SC" (default: only inside
    :func:`bundled_fonts_preferred`) even where the system has a
    preferred CJK font, which then only serves the characters outside the bundled subset (rare
    hanzi beyond GB 2312): the same glyphs and line breaks on every machine, e.g. for the PDF report.
    """
    if prefer_bundled is None:
        prefer_bundled = _PREFER_BUNDLED.get()
    family = cjk_family() or QFont().family()
    font = QFont(family)
    if prefer_bundled:
        bundled = bundled_family()
        if bundled:
            font.setFamilies([bundled] + ([family] if family != bundled else []))
    font.setPointSizeF(point_size)
    # Noto Sans CJK's OpenType "locl" swaps digits after CJK text for glyphs outside the cmap,
    # which Qt's PDF writer cannot map back to text (copy/search lose "4,686"); the SC faces'
    # default glyphs are already the Simplified Chinese forms, so locl adds nothing here.
    # (The bundled font has no locl at all.)
    font.setFeature(QFont.Tag("locl"), 0)
    return font
