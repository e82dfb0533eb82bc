"""Legends: rows from a layer's style (pure data) and drawing them with QPainter (QtGui).

The rows (:func:`legend_rows`) are plain data so a layer tree, the PDF report's tables and the
map legend all say the same thing: one row per class with colour, breaks and unit, and count,
plus the no-data row. A layer's legend counts its own features per class (what the map
shows). :func:`draw_legend` lays them out in a box on any paint device.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from layers.fonts import cjk_font
from layers.layer import VectorLayer
from layers.style import CategorizedStyle, GraduatedStyle, SingleStyle, has_fill


@dataclass(frozen=True)
class LegendRow:
    """One legend entry: a swatch colour (fill; "none" = outline only), its outline, the text and
    a feature count. kind: "polygon" (box), "line" (a stroke in ``colour``) or "point" (a
    circle); width: line width or outline width in px at 96 dpi."""

    colour: str
    label: str
    count: int | None = None
    outline: str = "#808080"
    kind: str = "polygon"
    width: float = 0.0


@dataclass(frozen=True)
class LegendBlock:
    """The legend of one layer: a title, notes (method, unit) and rows."""

    title: str
    notes: tuple[str, ...]
    rows: tuple[LegendRow, ...]


def legend_block(layer, lang: str = "zh") -> LegendBlock:
    """The legend of ``layer`` (a VectorLayer, or anything with ``legend_block(lang)`` such as a
    RasterLayer) in ``lang`` ("zh" or "en")."""
    if not isinstance(layer, VectorLayer):
        return layer.legend_block(lang)
    style = layer.style
    zh = lang == "zh"
    kind = layer.geometry_kind
    if isinstance(style, GraduatedStyle):
        notes = []
        method = style.method_zh if zh else style.method_en
        if method:
            notes.append(("方法：" if zh else "Method: ") + method)
        rows = legend_rows(style, lang, counts=layer_counts(layer))
        rows = [_with_kind(r, kind, style.outline_colour,
                           style.line_width_px if kind == "line" else style.outline_width_px) for r in rows]
        if style.value_field and rows and rows[-1].count == 0:  # ranges: no-data row only if needed
            rows = rows[:-1]
        return LegendBlock(style.title_zh if zh else style.title_en, tuple(notes), tuple(rows))
    if isinstance(style, CategorizedStyle):
        counts = layer_counts(layer) or [c.count for c in style.categories] + [style.other_count]
        width = style.line_width_px if kind == "line" else style.width
        rows = [LegendRow(c.colour, c.label_zh if zh else c.label_en, n, style.outline, kind, width)
                for c, n in zip(style.categories, counts, strict=False)]
        if counts[-1]:
            rows.append(LegendRow(style.other_colour, style.other_label_zh if zh else style.other_label_en,
                                  counts[-1], style.outline, kind, width))
        return LegendBlock(style.title_zh if zh else style.title_en, (), tuple(rows))
    assert isinstance(style, SingleStyle)
    colour = style.outline if kind == "line" else style.fill
    return LegendBlock("", (), (LegendRow(colour, layer.title, len(layer.gdf), style.outline, kind,
                                          style.width),))


def _with_kind(row: LegendRow, kind: str, outline: str, width: float) -> LegendRow:
    return LegendRow(row.colour, row.label, row.count, outline if kind != "polygon" else row.outline,
                     kind, width)


def layer_counts(layer: VectorLayer) -> list[int] | None:
    """Features per class of a graduated or categorized layer (classes/categories in order, then
    no data / other), counted from its data, or None when the field is missing."""
    style = layer.style
    if isinstance(style, GraduatedStyle):
        n = len(style.classes)
        if style.data_field not in layer.gdf.columns:
            return None
    elif isinstance(style, CategorizedStyle):
        n = len(style.categories)
        if style.field not in layer.gdf.columns:
            return None
    else:
        return None
    codes = style.codes_for(layer.gdf)
    counts = np.bincount(codes + 1, minlength=n + 1)
    return [int(c) for c in counts[1:]] + [int(counts[0])]


def legend_rows(style: GraduatedStyle, lang: str = "zh",
                counts: list[int] | None = None) -> list[LegendRow]:
    """One row per class (low → high) with breaks, unit and count, then the no-data row.

    counts: per class then no data (e.g. :func:`layer_counts`); default: the style's counts.
    """
    if counts is None:
        counts = [c.count for c in style.classes] + [style.no_data_count]
    rows = [LegendRow(c.colour, style.row_label(c, lang), n)
            for c, n in zip(style.classes, counts, strict=False)]
    rows.append(LegendRow(style.no_data_colour,
                          style.no_data_label_zh if lang == "zh" else style.no_data_label_en,
                          counts[-1]))
    return rows


def count_text(count: int | None, lang: str = "zh") -> str:
    if count is None:
        return ""
    return f"{count} 个" if lang == "zh" else f"{count}"


def device_font(point_size: float, dpi: float, bold: bool = False) -> QFont:
    """A CJK font sized in device pixels for ``dpi``, so that QFontMetricsF(font) measures what
    any paint device (QImage at any dpi, QPdfWriter) will draw."""
    font = cjk_font(point_size)
    font.setPixelSize(max(1, round(point_size * dpi / 72.0)))
    font.setBold(bold)
    return font


@dataclass
class LegendMetrics:
    """Sizes (device pixels) used to lay out a legend; from the device's dpi."""

    px_per_pt: float
    title_font: QFont
    text_font: QFont
    note_font: QFont

    @classmethod
    def for_dpi(cls, dpi: float, text_pt: float = 9.0) -> LegendMetrics:
        return cls(dpi / 72.0, device_font(text_pt + 2, dpi, bold=True), device_font(text_pt, dpi),
                   device_font(text_pt - 1, dpi))

    @property
    def pad(self) -> float:
        return 6 * self.px_per_pt

    @property
    def swatch(self) -> tuple[float, float]:
        return 18 * self.px_per_pt, 11 * self.px_per_pt


def _note_rect(metrics: LegendMetrics, text: str, max_width: float) -> QRectF:
    fm = QFontMetricsF(metrics.note_font)
    return fm.boundingRect(QRectF(0, 0, max_width, 10_000), int(Qt.TextFlag.TextWordWrap), text)


def draw_swatch(painter: QPainter, rect: QRectF, row: LegendRow, px_per_pt: float = 1.0) -> None:
    """The symbol of a legend row in ``rect``: a box (polygon), a stroke (line) or a circle (point).
    Also for layer panels drawing icons into a small QImage."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if row.kind == "line":
        pen = QPen(QColor(row.colour), max(1.5, min(row.width or 1.5, rect.height() / 2) * px_per_pt * 0.75))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        cy = rect.center().y()
        painter.drawLine(QPointF(rect.left() + 1, cy), QPointF(rect.right() - 1, cy))
    elif row.kind == "point":
        d = min(rect.width(), rect.height())
        painter.setPen(QPen(QColor(row.outline), max(1.0, 0.4 * px_per_pt)))
        painter.setBrush(QColor(row.colour) if has_fill(row.colour) else QColor(0, 0, 0, 0))
        painter.drawEllipse(rect.center(), d / 2 - 0.5, d / 2 - 0.5)
    else:
        width = max(1.0, 0.4 * px_per_pt)
        if not has_fill(row.colour):
            width = max(width, min(row.width, 3.0) * px_per_pt * 0.75)
        painter.setPen(QPen(QColor(row.outline), width))
        painter.setBrush(QColor(row.colour) if has_fill(row.colour) else QColor(0, 0, 0, 0))
        painter.drawRect(rect)
    painter.restore()


def legend_size(blocks: list[LegendBlock], metrics: LegendMetrics, lang: str = "zh",
                max_note_width_px: float | None = None) -> tuple[float, float]:
    """(width, height) in device pixels of the legend box for ``blocks``."""
    pad, (sw, _) = metrics.pad, metrics.swatch
    fm_t, fm = QFontMetricsF(metrics.title_font), QFontMetricsF(metrics.text_font)
    row_h = max(fm.height(), metrics.swatch[1]) + 0.4 * pad
    rows_w = 0.0
    for b in blocks:
        label_w = max((fm.horizontalAdvance(r.label) for r in b.rows), default=0.0)
        count_w = max((fm.horizontalAdvance(count_text(r.count, lang)) for r in b.rows), default=0.0)
        rows_w = max(rows_w, sw + pad + label_w + 2 * pad + count_w, fm_t.horizontalAdvance(b.title))
    note_w = max_note_width_px or max(rows_w, 14 * metrics.text_font.pointSizeF() * metrics.px_per_pt)
    width = max([rows_w] + [_note_rect(metrics, n, note_w).width() for b in blocks for n in b.notes])
    height = pad
    for b in blocks:
        if b.title:
            height += fm_t.height() + 0.3 * pad
        for n in b.notes:  # wrapped as draw_legend wraps them: at the final inner width
            height += _note_rect(metrics, n, width).height() + 0.2 * pad
        height += 0.3 * pad + row_h * len(b.rows) + pad
    return width + 2 * pad, height


def draw_legend(painter: QPainter, top_left: QPointF, blocks: list[LegendBlock],
                metrics: LegendMetrics, lang: str = "zh", background: str = "#ffffff",
                frame: str = "#9e9e9e") -> QRectF:
    """Draw a framed legend box with its top-left corner at ``top_left``; return its rect."""
    w, h = legend_size(blocks, metrics, lang)
    box = QRectF(top_left, top_left + QPointF(w, h))
    pad, (sw, sh) = metrics.pad, metrics.swatch
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setPen(QPen(QColor(frame), max(1.0, 0.5 * metrics.px_per_pt)))
    painter.setBrush(QColor(background))
    painter.drawRect(box)
    fm_t, fm = QFontMetricsF(metrics.title_font), QFontMetricsF(metrics.text_font)
    row_h = max(fm.height(), sh) + 0.4 * pad
    inner_w = w - 2 * pad
    x, y = box.left() + pad, box.top() + pad
    text_pen = QPen(QColor("#202020"))
    for b in blocks:
        if b.title:
            painter.setFont(metrics.title_font)
            painter.setPen(text_pen)
            painter.drawText(QRectF(x, y, inner_w, fm_t.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), b.title)
            y += fm_t.height() + 0.3 * pad
        painter.setFont(metrics.note_font)
        painter.setPen(QPen(QColor("#505050")))
        for n in b.notes:
            r = _note_rect(metrics, n, inner_w)
            painter.drawText(QRectF(x, y, inner_w, r.height()),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), n)
            y += r.height() + 0.2 * pad
        y += 0.3 * pad
        painter.setFont(metrics.text_font)
        for row in b.rows:
            cy = y + row_h / 2
            draw_swatch(painter, QRectF(x, cy - sh / 2, sw, sh), row, metrics.px_per_pt)
            painter.setPen(text_pen)
            text_rect = QRectF(x + sw + pad, y, inner_w - sw - pad, row_h)
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             row.label)
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             count_text(row.count, lang))
            y += row_h
        y += pad
    painter.restore()
    return box
