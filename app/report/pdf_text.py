"""Repair the text-extraction maps (ToUnicode CMaps) Qt writes for CJK fonts.

CJK fonts such as Noto Sans CJK and Microsoft YaHei draw a radical (Kangxi Radicals U+2F00–U+2FD5,
CJK Radicals Supplement U+2E80–U+2EF3) and the ideograph it looks like with the same glyph:
⽓ U+2F53 and 气 U+6C14, ⼒ U+2F12 and 力 U+529B, ⻚ U+2EDA and 页 U+9875. Qt's PDF writer maps each
embedded glyph back to the *lowest* code point that uses it, so copying or searching "天然气" in the
report finds "天然⽓" (the page looks right; search and copy break). :func:`fix_cjk_tounicode`
rewrites every radical target in the file's ToUnicode CMaps to the ideograph drawn with the same
glyph in the CJK font (:func:`radical_map`; NFKC where the font has no such pair, e.g. other
fonts) and fixes the cross-reference offsets. Only the classic single-xref PDFs Qt writes are
touched; anything else is left as it is. Latin ligature glyphs (ﬁ U+FB01 …) are mapped back to
their letters ("fi") the same way, so "five-colour" is found by a search for "five", and the
figure dash ‒ U+2012, which the CJK font draws with the en dash's glyph, back to the en dash –
U+2013 (:data:`SHARED_GLYPHS`), so "77.11–92.98" is found.

(A second trap, OpenType ``locl`` substituting digits with glyphs outside the cmap, which Qt then
maps to nothing, is avoided at the source: layers.fonts.cjk_font switches ``locl`` off.)
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

RADICALS = (0x2E80, 0x2FDF)  # CJK Radicals Supplement + Kangxi Radicals
IDEOGRAPHS = (0x3400, 0x9FFF)  # CJK Unified Ideographs Extension A + the unified block
LIGATURES = (0xFB00, 0xFB06)  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ: Qt maps a ligature glyph to these, search wants "fi"
_OBJ_STREAM = re.compile(rb"(\d+) 0 obj\s*<<\s*/Length (\d+)\s*>>\s*stream\r?\n")
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


@cache
def radical_map() -> dict[str, str]:
    """Radical → the ideograph the CJK font (layers.fonts.cjk_font) draws with the same glyph,
    e.g. {"⽓": "气", "⻚": "页"}. Needs a QGuiApplication; empty without a CJK font."""
    from PySide6.QtGui import QRawFont

    from layers.fonts import cjk_font

    # the system CJK font: the bundled subset maps no radicals; the system font still draws the rare
    # hanzi outside the subset in a report
    raw = QRawFont.fromFont(cjk_font(10, prefer_bundled=False))
    if not raw.isValid():
        return {}
    ideographs = "".join(chr(c) for c in range(IDEOGRAPHS[0], IDEOGRAPHS[1] + 1))
    first: dict[int, str] = {}
    for ch, g in zip(ideographs, raw.glyphIndexesForString(ideographs), strict=True):
        if g:
            first.setdefault(g, ch)
    radicals = "".join(chr(c) for c in range(RADICALS[0], RADICALS[1] + 1))
    return {ch: first[g] for ch, g in zip(radicals, raw.glyphIndexesForString(radicals), strict=True)
            if g and g in first}


SHARED_GLYPHS = {"\u2012": "\u2013"}
"""Punctuation a CJK font draws with the glyph of another code point, mapped to the one Lingtan
writes: Noto Sans CJK (and the bundled subset) draw the figure dash ‒ U+2012 and the en dash
– U+2013 with one glyph, so "77.11–92.98" extracted as "77.11‒92.98" and a search for the range
found nothing. Lingtan's texts never use the figure dash."""


def _ideograph(ch: str, mapping: dict[str, str]) -> str:
    """The text a glyph stands for: radicals → ideographs, Latin ligatures ﬁ ﬂ … → "fi", "fl",
    the figure dash → the en dash (:data:`SHARED_GLYPHS`)."""
    if ch in SHARED_GLYPHS:
        return SHARED_GLYPHS[ch]
    if LIGATURES[0] <= ord(ch) <= LIGATURES[1]:
        return unicodedata.normalize("NFKC", ch)
    if not RADICALS[0] <= ord(ch) <= RADICALS[1]:
        return ch
    return mapping.get(ch) or unicodedata.normalize("NFKC", ch)


def _fix_target(hex_code: bytes, mapping: dict[str, str]) -> bytes:
    """A ToUnicode destination (UTF-16BE hex) with radicals replaced by their ideographs."""
    try:
        text = bytes.fromhex(hex_code.decode()).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return hex_code
    fixed = "".join(_ideograph(ch, mapping) for ch in text)
    if fixed == text:
        return hex_code
    return _hex(fixed)


def _hex(text: str) -> bytes:
    return text.encode("utf-16-be").hex().upper().encode()


def _fix_cmap(cmap: bytes, mapping: dict[str, str]) -> bytes:
    """The CMap with radical targets replaced; ranges with a radical start become arrays."""
    out: list[bytes] = []
    section = None
    for line in cmap.split(b"\n"):
        stripped = line.strip()
        if stripped.endswith(b"beginbfrange"):
            section = "range"
        elif stripped.endswith(b"beginbfchar"):
            section = "char"
        elif stripped in (b"endbfrange", b"endbfchar"):
            section = None
        elif section == "range":
            codes = _HEX.findall(stripped)
            if b"[" in stripped and len(codes) >= 2:
                lo, hi, targets = codes[0], codes[1], codes[2:]
                line = (b"<" + lo + b"> <" + hi + b"> [" + b" ".join(b"<" + _fix_target(t, mapping) + b">"
                                                                   for t in targets) + b" ]")
            elif len(codes) == 3:
                lo, hi, start = codes
                fixed = _fix_target(start, mapping)
                if fixed != start:
                    a, b = int(lo, 16), int(hi, 16)
                    first = bytes.fromhex(start.decode()).decode("utf-16-be")
                    if len(first) == 1:
                        targets = [_fix_target(_hex(chr(ord(first) + k)), mapping) for k in range(b - a + 1)]
                        line = (b"<" + lo + b"> <" + hi + b"> [" + b" ".join(b"<" + t + b">" for t in targets)
                                + b" ]")
        elif section == "char":
            codes = _HEX.findall(stripped)
            if len(codes) == 2:
                line = b"<" + codes[0] + b"> <" + _fix_target(codes[1], mapping) + b">"
        out.append(line)
    return b"\n".join(out)


def fix_cjk_tounicode(path: str | Path, mapping: dict[str, str] | None = None) -> int:
    """Rewrite the radicals in the ToUnicode CMaps of the PDF at ``path`` in place; return the
    number of CMaps changed (0 when none needed it or the file is not in the expected form).

    mapping: radical → ideograph (default :func:`radical_map` of the CJK font, then NFKC)."""
    path = Path(path)
    mapping = radical_map() if mapping is None else mapping
    data = path.read_bytes()
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement) of whole objects' streams
    for m in _OBJ_STREAM.finditer(data):
        length = int(m.group(2))
        start = m.end()
        content = data[start:start + length]
        if b"begincmap" not in content or b"/Ordering (UCS)" not in content:
            continue
        fixed = _fix_cmap(content, mapping)
        if fixed != content:
            header = data[m.start():m.end()].replace(b"/Length " + m.group(2),
                                                     b"/Length " + str(len(fixed)).encode())
            edits.append((m.start(), start + length, header + fixed))
    if not edits:
        return 0
    xref_at = data.rfind(b"\nxref")
    sx = re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", data)
    if xref_at < 0 or sx is None or int(sx.group(1)) != xref_at + 1 or any(e[1] > xref_at for e in edits):
        return 0  # not the single classic xref table Qt writes
    # splice and shift every offset after an edit
    pieces, shifts, pos, delta = [], [], 0, 0
    for a, b, rep in edits:
        pieces += [data[pos:a], rep]
        delta += len(rep) - (b - a)
        shifts.append((b, delta))
        pos = b
    body = b"".join(pieces) + data[pos:xref_at + 1]

    def shifted(offset: int) -> int:
        d = 0
        for end, total in shifts:
            if offset >= end:
                d = total
        return offset + d

    tail = data[xref_at + 1:]
    lines = tail.split(b"\n")
    new_lines = []
    for line in lines:
        m = re.fullmatch(rb"(\d{10}) (\d{5}) n( ?\r?)", line)
        if m:
            line = b"%010d %s n%s" % (shifted(int(m.group(1))), m.group(2), m.group(3))
        new_lines.append(line)
    tail = b"\n".join(new_lines)
    new_xref = len(body)
    tail = re.sub(rb"startxref\s+\d+", b"startxref\n%d" % new_xref, tail)
    path.write_bytes(body + tail)
    return len(edits)
