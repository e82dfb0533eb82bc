"""Finding a font that draws Chinese, so text never renders as boxes (QtGui only)."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

# preferred families, best first: Windows (YaHei, SimHei), macOS (PingFang), Linux (Noto, WQY)
PREFERRED_CJK = ("Microsoft YaHei", "微软雅黑", "PingFang SC", "Noto Sans CJK SC",
                 "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei", "黑体")


def cjk_family() -> str | None:
    """A font family with Simplified Chinese glyphs, or None when the system has none.

    Needs a QGuiApplication.
    """
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    for name in PREFERRED_CJK:
        if name in families:
            return name
    return families[0] if families else None


def cjk_font(point_size: float = 10.0) -> QFont:
    """A QFont that draws Chinese (falls back to the default font if none is installed)."""
    font = QFont(cjk_family() or QFont().family())
    font.setPointSizeF(point_size)
    # Noto Sans CJK's OpenType "locl" swaps digits after CJK text for glyphs outside the cmap,
    # which Qt's PDF writer cannot map back to text (copy/search lose "4,686"); the SC faces'
    # default glyphs are already the Simplified Chinese forms, so locl adds nothing here.
    font.setFeature(QFont.Tag("locl"), 0)
    return font
