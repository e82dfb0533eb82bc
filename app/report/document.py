"""A4 report pages drawn with QPdfWriter + QPainter: flowing text, paginated tables, figures.

Layout and painting are two passes. Adding content (:meth:`ReportDocument.heading`,
``paragraph``, ``table``, ``figure`` …) only measures it with font metrics and records drawing
operations on pages; :meth:`ReportDocument.write` then paints every page once, so the header and
footer can say "第 n 页 / 共 N 页" and the table of contents knows each section's page, and each
map is drawn once, straight onto the PDF (vector). Coordinates are device pixels at ``dpi``
(default 600); sizes are given in millimetres or points and converted.

Text is real PDF text (selectable, searchable) in the CJK font of :mod:`layers.fonts`, which Qt
embeds (subset) in the file; :mod:`app.report.pdf_text` repairs Qt's text-extraction map for
ideographs that share a glyph with a Kangxi radical.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextLayout,
    QTextOption,
)

from gis.progress import NO_PROGRESS, Progress
from layers.legend import device_font

Op = Callable[[QPainter], None]
A4_MM = (210.0, 297.0)
HEADING_COLOUR = "#1f4e79"
TEXT_COLOUR = "#202020"
NOTE_COLOUR = "#595959"
RULE_COLOUR = "#9e9e9e"
HEADER_FILL = "#e8eef5"
ZEBRA_FILL = "#f6f7f9"


@dataclass
class Cell:
    """A table cell with its own text colour, boldness or background."""

    text: str
    colour: str | None = None
    bold: bool = False
    fill: str | None = None


@dataclass
class Column:
    """A table column: header text, relative width and alignment ("left", "right", "center")."""

    title: str
    weight: float = 1.0
    align: str = "left"


@dataclass
class Heading:
    level: int
    number: str
    text: str
    page: int  # 0-based page index


@dataclass
class Page:
    ops: list[Op] = field(default_factory=list)
    decorated: bool = True  # header and footer (not on the cover)
    section: str = ""


def wrap_text(text: str, font: QFont, width_px: float) -> list[str]:
    """Lines of ``text`` broken to fit ``width_px`` (Chinese anywhere, Latin at word boundaries,
    over-long words anywhere); "\\n" starts a new line."""
    out: list[str] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    for para in str(text).split("\n"):
        if not para.strip():
            out.append("")
            continue
        u16 = para.encode("utf-16-le")  # Qt positions count UTF-16 code units
        layout = QTextLayout(para, font)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(width_px, 1.0))
            s, n = line.textStart(), line.textLength()
            out.append(u16[2 * s: 2 * (s + n)].decode("utf-16-le", errors="replace").rstrip())
        layout.endLayout()
    return out


class ReportDocument:
    """An A4 portrait document laid out top to bottom; :meth:`write` produces the PDF."""

    def __init__(self, *, lang: str = "zh", title: str = "", header_left: str = "", header_right: str = "",
                 dpi: int = 600, margins_mm: tuple[float, float, float, float] = (20, 22, 20, 20),
                 body_pt: float = 10.0) -> None:
        self.lang = lang
        self.inputs: dict = {}  # the park's input files (ParkFacts.inputs): the maps' source notes
        self.title = title
        self.header_left, self.header_right = header_left, header_right
        self.dpi = dpi
        self.px_per_mm = dpi / 25.4
        self.page_w, self.page_h = A4_MM[0] * self.px_per_mm, A4_MM[1] * self.px_per_mm
        left, top, right, bottom = (m * self.px_per_mm for m in margins_mm)
        self.frame = QRectF(left, top, self.page_w - left - right, self.page_h - top - bottom)
        self.body_pt = body_pt
        self.pages: list[Page] = []
        self.headings: list[Heading] = []
        self.y = 0.0
        self._numbers = [0, 0, 0]
        self._figures = 0
        self._tables = 0
        self._section = ""

    # ---- units and fonts -----------------------------------------------------------------------

    def mm(self, v: float) -> float:
        return v * self.px_per_mm

    def pt(self, v: float) -> float:
        return v * self.dpi / 72.0

    def font(self, size_pt: float | None = None, bold: bool = False) -> QFont:
        return device_font(size_pt or self.body_pt, self.dpi, bold=bold)

    def t(self, zh: str, en: str) -> str:
        """The text in the document's language."""
        return zh if self.lang == "zh" else en

    @property
    def width(self) -> float:
        return self.frame.width()

    # ---- pages ---------------------------------------------------------------------------------

    @property
    def page(self) -> Page:
        if not self.pages:
            self.new_page()
        return self.pages[-1]

    def new_page(self, decorated: bool = True) -> Page:
        self.pages.append(Page(decorated=decorated, section=self._section))
        self.y = self.frame.top()
        return self.pages[-1]

    def space_left(self) -> float:
        if not self.pages:
            self.new_page()
        return self.frame.bottom() - self.y

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` fits below the cursor (a page top always fits)."""
        if height > self.space_left() and self.y > self.frame.top() + 1:
            self.new_page()

    def add(self, op: Op) -> None:
        self.page.ops.append(op)

    def spacer(self, mm: float) -> None:
        self.y = min(self.y + self.mm(mm), self.frame.bottom())

    # ---- text ----------------------------------------------------------------------------------

    def _text_lines(self, lines: list[str], font: QFont, colour: str, x: float, width: float,
                    align: str = "left", line_spacing: float = 1.35) -> None:
        """Place wrapped lines at the cursor, continuing on new pages."""
        fm = QFontMetricsF(font)
        lh = fm.height() * line_spacing
        for line in lines:
            if lh > self.space_left():
                self.new_page()
            if line:
                adv = fm.horizontalAdvance(line)
                lx = x if align == "left" else x + width - adv if align == "right" else x + (width - adv) / 2
                self.add(_text_op(QPointF(lx, self.y + (lh - fm.height()) / 2 + fm.ascent()), line, font,
                                  colour))
            self.y += lh

    def paragraph(self, text: str, *, size_pt: float | None = None, bold: bool = False,
                  colour: str = TEXT_COLOUR, indent_mm: float = 0.0, space_after_mm: float = 2.0,
                  align: str = "left") -> None:
        """Word-wrapped text across the frame width (splits across pages)."""
        font = self.font(size_pt, bold)
        x = self.frame.left() + self.mm(indent_mm)
        w = self.frame.width() - self.mm(indent_mm)
        self._text_lines(wrap_text(text, font, w), font, colour, x, w, align)
        self.spacer(space_after_mm)

    def note(self, text: str, space_after_mm: float = 2.0) -> None:
        """Small grey text (sources, caveats)."""
        self.paragraph(text, size_pt=self.body_pt - 1.5, colour=NOTE_COLOUR, space_after_mm=space_after_mm)

    def bullets(self, items: Sequence[str], size_pt: float | None = None) -> None:
        font = self.font(size_pt)
        fm = QFontMetricsF(font)
        ind = fm.horizontalAdvance("• ")
        lh = fm.height() * 1.35
        for item in items:
            lines = wrap_text(item, font, self.frame.width() - ind)
            if not lines:
                continue
            if lh > self.space_left():
                self.new_page()
            self.add(_text_op(QPointF(self.frame.left(), self.y + (lh - fm.height()) / 2 + fm.ascent()), "•",
                              font, TEXT_COLOUR))
            self._text_lines(lines, font, TEXT_COLOUR, self.frame.left() + ind, self.frame.width() - ind)
        self.spacer(1.5)

    def heading(self, text: str, level: int = 1, *, new_page: bool = False, keep_with_mm: float = 45.0,
                numbered: bool = True) -> None:
        """A numbered heading ("1", "1.1"); level 1 starts the running header's section."""
        if numbered:
            self._numbers[level - 1] += 1
            for i in range(level, len(self._numbers)):
                self._numbers[i] = 0
            number = ".".join(str(n) for n in self._numbers[:level])
        else:
            number = ""
        size = {1: 15.0, 2: 12.0, 3: 10.5}[level]
        font = self.font(size, bold=True)
        fm = QFontMetricsF(font)
        if level == 1:
            self._section = f"{number} {text}".strip()
        if new_page and self.pages and self.y > self.frame.top() + 1:
            self.new_page()
        else:
            self.ensure(fm.height() * 1.6 + self.mm(keep_with_mm))
        if not self.pages:
            self.new_page()
        if self.y <= self.frame.top() + 1:
            self.page.section = self._section
        before = {1: 3.0, 2: 3.0, 3: 2.0}[level] if self.y > self.frame.top() + 1 else 0.0
        self.spacer(before)
        full = f"{number}  {text}" if number else text
        self.headings.append(Heading(level, number, text, len(self.pages) - 1))
        self._text_lines(wrap_text(full, font, self.frame.width()), font, HEADING_COLOUR,
                         self.frame.left(), self.frame.width(), line_spacing=1.3)
        if level == 1:
            y = self.y
            x0, x1 = self.frame.left(), self.frame.right()
            self.add(lambda p, y=y, x0=x0, x1=x1: _line(p, x0, y, x1, y, HEADING_COLOUR, self.pt(0.8)))
        self.spacer({1: 3.0, 2: 1.5, 3: 1.0}[level])

    # ---- tables --------------------------------------------------------------------------------

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str | Cell]], *,
              caption: str | None = None, size_pt: float = 8.5, zebra: bool = True,
              space_after_mm: float = 4.0, min_rows_on_page: int = 3) -> int:
        """A table across the frame width, split across pages with the header row repeated.

        Cells wrap; a row never splits. Returns the number of pages the table spans.
        """
        font, bold = self.font(size_pt), self.font(size_pt, bold=True)
        fm = QFontMetricsF(font)
        pad = self.pt(3)
        total_w = sum(c.weight for c in columns)
        widths = [self.frame.width() * c.weight / total_w for c in columns]
        xs = [self.frame.left()]
        for w in widths[:-1]:
            xs.append(xs[-1] + w)
        line_h = fm.height() * 1.15

        def layout_row(cells, is_header):
            out = []
            for col, w, cell in zip(columns, widths, cells, strict=False):
                c = cell if isinstance(cell, Cell) else Cell("" if cell is None else str(cell))
                f = bold if (is_header or c.bold) else font
                out.append((c, wrap_text(c.text, f, w - 2 * pad), f, col.align))
            height = max((len(lines) for _, lines, _, _ in out), default=1) * line_h + 2 * pad
            return out, height

        header, header_h = layout_row([Cell(c.title) for c in columns], True)
        body = [layout_row(r, False) for r in rows]
        cap_font = self.font(self.body_pt - 0.5, bold=True)
        number = None
        if caption:
            self._tables += 1
            number = self._tables
            cap = f"{self.t('表', 'Table')} {number}  {caption}"
            first_h = sum(h for _, h in body[:min_rows_on_page])
            self.ensure(QFontMetricsF(cap_font).height() * 1.4 + header_h + first_h)
            self._text_lines(wrap_text(cap, cap_font, self.frame.width()), cap_font, TEXT_COLOUR,
                             self.frame.left(), self.frame.width())
        pages = 1

        def put_row(cells, height, fill, is_header):
            y = self.y
            self.add(lambda p, cells=cells, y=y, height=height, fill=fill, is_header=is_header:
                     self._draw_row(p, cells, xs, widths, y, height, fill, pad, line_h, is_header))
            self.y += height

        first = [h for _, h in body[:min_rows_on_page]]
        self.ensure(header_h + sum(first))
        put_row(header, header_h, HEADER_FILL, True)
        for i, (cells, h) in enumerate(body):
            if h > self.space_left():
                self.new_page()
                pages += 1
                if number is not None:
                    cont = f"{self.t('表', 'Table')} {number}" + self.t("（续）", " (continued)")
                    self._text_lines([cont], cap_font, NOTE_COLOUR, self.frame.left(), self.frame.width())
                put_row(header, header_h, HEADER_FILL, True)
            put_row(cells, h, ZEBRA_FILL if zebra and i % 2 else None, False)
        y_end = self.y
        x0, x1 = self.frame.left(), self.frame.right()
        self.add(lambda p, y=y_end: _line(p, x0, y, x1, y, RULE_COLOUR, self.pt(0.6)))
        self.spacer(space_after_mm)
        return pages

    def _draw_row(self, p: QPainter, cells, xs, widths, y, height, fill, pad, line_h, is_header) -> None:
        if fill:
            p.fillRect(QRectF(self.frame.left(), y, self.frame.width(), height), QColor(fill))
        for (cell, lines, font, align), x, w in zip(cells, xs, widths, strict=False):
            if cell.fill:
                p.fillRect(QRectF(x, y, w, height), QColor(cell.fill))
            p.setFont(font)
            p.setPen(QColor(cell.colour or TEXT_COLOUR))
            fm = QFontMetricsF(font)
            ty = y + pad
            for line in lines:
                adv = fm.horizontalAdvance(line)
                lx = (x + pad if align == "left" else x + w - pad - adv if align == "right"
                      else x + (w - adv) / 2)
                p.drawText(QPointF(lx, ty + (line_h - fm.height()) / 2 + fm.ascent()), line)
                ty += line_h
        colour = HEADING_COLOUR if is_header else "#d0d0d0"
        _line(p, self.frame.left(), y + height, self.frame.right(), y + height, colour,
              self.pt(0.6 if is_header else 0.3))
        if is_header:
            _line(p, self.frame.left(), y, self.frame.right(), y, HEADING_COLOUR, self.pt(0.8))

    def key_values(self, rows: Sequence[tuple[str, str]], *, caption: str | None = None,
                   size_pt: float = 9.0, weights: tuple[float, float] = (1.0, 1.6),
                   pairs_per_row: int = 1) -> None:
        """A table of labels and values; ``pairs_per_row`` = 2 puts two pairs side by side."""
        cols = [Column(self.t("项目", "Item"), weights[0]), Column(self.t("数值", "Value"), weights[1])]
        n = max(pairs_per_row, 1)
        body = []
        for i in range(0, len(rows), n):
            row: list[str] = []
            for a, b in rows[i:i + n]:
                row += [a, b]
            body.append(row + [""] * (2 * n - len(row)))
        self.table(cols * n, body, caption=caption, size_pt=size_pt, zebra=False)

    # ---- figures -------------------------------------------------------------------------------

    def figure(self, height_mm: float, draw: Callable[[QPainter, QRectF], None], *,
               caption: str | None = None, width_mm: float | None = None) -> QRectF:
        """Reserve ``height_mm`` (plus caption) and draw it at paint time with ``draw(painter, rect)``
        (a map via layers.render.render_to_painter, a chart from layers.charts)."""
        cap_font = self.font(self.body_pt - 1)
        cap_lines: list[str] = []
        if caption:
            self._figures += 1
            cap_lines = wrap_text(f"{self.t('图', 'Figure')} {self._figures}  {caption}", cap_font,
                                  self.frame.width())
        cap_h = len(cap_lines) * QFontMetricsF(cap_font).height() * 1.35
        h = min(self.mm(height_mm), self.frame.height() - cap_h)
        self.ensure(h + cap_h + self.mm(1))
        w = self.mm(width_mm) if width_mm else self.frame.width()
        rect = QRectF(self.frame.left() + (self.frame.width() - w) / 2, self.y, w, h)
        self.add(lambda p, rect=rect: draw(p, QRectF(rect)))
        self.y += h + self.mm(1)
        if cap_lines:
            self._text_lines(cap_lines, cap_font, NOTE_COLOUR, self.frame.left(), self.frame.width(),
                             align="center")
        self.spacer(3)
        return rect

    def side_by_side(self, height_mm: float, draws: Sequence[Callable[[QPainter, QRectF], None]],
                     gap_mm: float = 6.0) -> None:
        """Figures next to each other in one row of ``height_mm``."""
        n = len(draws)
        if not n:
            return
        h = self.mm(height_mm)
        self.ensure(h)
        gap = self.mm(gap_mm)
        w = (self.frame.width() - gap * (n - 1)) / n
        for i, draw in enumerate(draws):
            rect = QRectF(self.frame.left() + i * (w + gap), self.y, w, h)
            self.add(lambda p, rect=rect, draw=draw: draw(p, QRectF(rect)))
        self.y += h + self.mm(3)

    # ---- table of contents ---------------------------------------------------------------------

    def contents_page(self) -> None:
        """A page listing the level-1 and level-2 headings with their page numbers (filled in
        when the pages are painted)."""
        self.new_page()
        title_font = self.font(15, bold=True)
        y0 = self.y
        self.add(lambda p: self._draw_contents(p, y0, title_font))
        self.y = self.frame.bottom()  # the page is full: what follows starts a new page

    def _draw_contents(self, p: QPainter, y: float, title_font: QFont) -> None:
        fm_t = QFontMetricsF(title_font)
        p.setFont(title_font)
        p.setPen(QColor(HEADING_COLOUR))
        p.drawText(QPointF(self.frame.left(), y + fm_t.ascent()), self.t("目录", "Contents"))
        y += fm_t.height() * 2
        for h in self.headings:
            if h.level > 2:
                continue
            font = self.font(11 if h.level == 1 else 10, bold=h.level == 1)
            fm = QFontMetricsF(font)
            lh = fm.height() * 1.5
            x = self.frame.left() + (0 if h.level == 1 else self.mm(6))
            text = f"{h.number}  {h.text}"
            num = str(h.page + 1)
            p.setFont(font)
            p.setPen(QColor(TEXT_COLOUR))
            base = y + fm.ascent()
            right = self.frame.right()
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, right - x - self.mm(15))
            p.drawText(QPointF(x, base), text)
            p.drawText(QPointF(right - fm.horizontalAdvance(num), base), num)
            dots_x0 = x + fm.horizontalAdvance(text) + self.mm(2)
            dots_x1 = right - fm.horizontalAdvance(num) - self.mm(2)
            if dots_x1 > dots_x0:
                pen = QPen(QColor("#b0b0b0"), self.pt(0.6))
                pen.setDashPattern([1, 4])
                p.setPen(pen)
                p.drawLine(QPointF(dots_x0, base), QPointF(dots_x1, base))
            y += lh
            if y > self.frame.bottom() - lh:
                break

    # ---- painting ------------------------------------------------------------------------------

    def page_label(self, n: int, total: int) -> str:
        return f"第 {n} 页 / 共 {total} 页" if self.lang == "zh" else f"Page {n} of {total}"

    def write(self, path: str | Path, progress: Progress = NO_PROGRESS, *, creator: str = "Lingtan") -> Path:
        """Paint every page into a PDF at ``path`` (not atomic: see app.report.build)."""
        path = Path(path)
        writer = QPdfWriter(str(path))
        writer.setResolution(self.dpi)
        writer.setPageLayout(QPageLayout(QPageSize(QSizeF(*A4_MM), QPageSize.Unit.Millimeter, "A4",
                                                   QPageSize.SizeMatchPolicy.ExactMatch),
                                         QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        writer.setTitle(self.title)
        writer.setCreator(creator)
        painter = QPainter()
        if not painter.begin(writer):
            raise OSError(f"cannot write PDF {path}")
        try:
            total = len(self.pages)
            for i, page in enumerate(self.pages):
                progress.report(i / max(total, 1), f"page {i + 1}/{total}")
                if i:
                    writer.newPage()
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
                for op in page.ops:
                    painter.save()
                    try:
                        op(painter)
                    finally:
                        painter.restore()
                if page.decorated:
                    self._decorate(painter, page, i + 1, total)
        finally:
            painter.end()
        progress.report(1.0, "pages painted")
        return path

    def _decorate(self, p: QPainter, page: Page, n: int, total: int) -> None:
        font = self.font(8)
        fm = QFontMetricsF(font)
        p.save()
        p.setFont(font)
        p.setPen(QColor(NOTE_COLOUR))
        top = self.frame.top() - self.mm(7)
        left_text = fm.elidedText(self.header_left, Qt.TextElideMode.ElideRight, self.frame.width() * 0.6)
        p.drawText(QPointF(self.frame.left(), top), left_text)
        right_text = fm.elidedText(page.section or self.header_right, Qt.TextElideMode.ElideRight,
                                   self.frame.width() * 0.38)
        p.drawText(QPointF(self.frame.right() - fm.horizontalAdvance(right_text), top), right_text)
        _line(p, self.frame.left(), top + self.mm(1.5), self.frame.right(), top + self.mm(1.5), RULE_COLOUR,
              self.pt(0.5))
        label = self.page_label(n, total)
        bottom = self.page_h - self.mm(10)
        p.setPen(QColor(NOTE_COLOUR))
        x = self.frame.left() + (self.frame.width() - fm.horizontalAdvance(label)) / 2
        p.drawText(QPointF(x, bottom), label)
        p.restore()


def _text_op(at: QPointF, text: str, font: QFont, colour: str) -> Op:
    def op(p: QPainter) -> None:
        p.setFont(font)
        p.setPen(QColor(colour))
        p.drawText(at, text)
    return op


def _line(p: QPainter, x0: float, y0: float, x1: float, y1: float, colour: str, width: float) -> None:
    p.save()
    p.setPen(QPen(QColor(colour), width))
    p.drawLine(QPointF(x0, y0), QPointF(x1, y1))
    p.restore()

