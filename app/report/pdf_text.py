"""Repair the text-extraction maps (ToUnicode CMaps) Qt writes for CJK fonts.

CJK fonts such as Noto Sans CJK and Microsoft YaHei draw a Kangxi radical (U+2F00–U+2FD5) and the
ideograph it looks like with the same glyph: ⽓ U+2F53 and 气 U+6C14, ⼒ U+2F12 and 力 U+529B.
Qt's PDF writer maps each embedded glyph back to the *lowest* code point that uses it, so copying
or searching "天然气" in the report finds "天然⽓" (the text looks right, search and copy break).
:func:`fix_cjk_tounicode` rewrites every such target to its NFKC equivalent (⽓ → 气) in the
file's ToUnicode CMaps and fixes the cross-reference offsets. Only the classic single-xref PDFs
Qt writes are touched; anything else is left as it is.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

RADICALS = (0x2E80, 0x2FDF)  # CJK Radicals Supplement + Kangxi Radicals
_OBJ_STREAM = re.compile(rb"(\d+) 0 obj\s*<<\s*/Length (\d+)\s*>>\s*stream\r?\n")
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _fix_target(hex_code: bytes) -> bytes:
    """A ToUnicode destination (UTF-16BE hex) with radicals replaced by their ideographs."""
    try:
        text = bytes.fromhex(hex_code.decode()).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return hex_code
    if not any(RADICALS[0] <= ord(ch) <= RADICALS[1] for ch in text):
        return hex_code
    fixed = "".join(unicodedata.normalize("NFKC", ch) if RADICALS[0] <= ord(ch) <= RADICALS[1] else ch
                    for ch in text)
    return fixed.encode("utf-16-be").hex().upper().encode()


def _fix_cmap(cmap: bytes) -> bytes:
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
                line = (b"<" + lo + b"> <" + hi + b"> [" + b" ".join(b"<" + _fix_target(t) + b">"
                                                                   for t in targets) + b" ]")
            elif len(codes) == 3:
                lo, hi, start = codes
                fixed = _fix_target(start)
                if fixed != start:
                    a, b = int(lo, 16), int(hi, 16)
                    first = bytes.fromhex(start.decode()).decode("utf-16-be")
                    if len(first) == 1:
                        targets = [_fix_target(chr(ord(first) + k).encode("utf-16-be").hex().upper().encode())
                                   for k in range(b - a + 1)]
                        line = (b"<" + lo + b"> <" + hi + b"> [" + b" ".join(b"<" + t + b">" for t in targets)
                                + b" ]")
        elif section == "char":
            codes = _HEX.findall(stripped)
            if len(codes) == 2:
                line = b"<" + codes[0] + b"> <" + _fix_target(codes[1]) + b">"
        out.append(line)
    return b"\n".join(out)


def fix_cjk_tounicode(path: str | Path) -> int:
    """Rewrite the radicals in the ToUnicode CMaps of the PDF at ``path`` in place; return the
    number of CMaps changed (0 when none needed it or the file is not in the expected form)."""
    path = Path(path)
    data = path.read_bytes()
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement) of whole objects' streams
    for m in _OBJ_STREAM.finditer(data):
        length = int(m.group(2))
        start = m.end()
        content = data[start:start + length]
        if b"begincmap" not in content or b"/Ordering (UCS)" not in content:
            continue
        fixed = _fix_cmap(content)
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
