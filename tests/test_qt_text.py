"""Qt runs headless and Chinese text renders with real glyphs, not boxes."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter

from layers.fonts import cjk_family, cjk_font


def _render(text: str) -> np.ndarray:
    img = QImage(200, 60, QImage.Format.Format_Grayscale8)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(cjk_font(20))
    p.setPen(QColor("black"))
    p.drawText(img.rect(), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    ptr = img.constBits()
    return np.frombuffer(ptr, dtype=np.uint8).reshape(60, img.bytesPerLine())[:, :200].copy()


def test_chinese_glyphs_are_distinct(qapp):
    assert cjk_family() is not None, (
        "no font with Chinese glyphs: install one (Debian: fonts-noto-cjk) — see .ci/run")
    a, b = _render("零碳园区"), _render("光伏发电")
    assert (a < 128).sum() > 100  # something was drawn
    assert not np.array_equal(a, b)  # different characters, different pixels (boxes are equal)
