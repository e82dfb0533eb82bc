"""Build Lingtan's bundled Simplified-Chinese font (resources/fonts/) from Debian's fonts-noto-cjk.

A machine without any CJK font (bare Linux, Windows Server Core, a locked-down PC) must still draw
Chinese in the UI and the PDF report, so Lingtan ships a lean subset of Noto Sans CJK SC, renamed
"Lingtan Noto Sans SC" so it can never be mistaken for (or shadow) an installed Noto:

    python packaging/make_cjk_font.py [--regular NotoSansCJK-Regular.ttc] [--bold NotoSansCJK-Bold.ttc]

Defaults: the Debian/Ubuntu package fonts-noto-cjk (/usr/share/fonts/opentype/noto/). Writes
resources/fonts/NotoSansSC-Lingtan-{Regular,Bold}.otf, OFL.txt and SOURCES.md (source package
version, character count, sizes, SHA-256). Same inputs → byte-identical outputs (the head table's
timestamp is kept from the source font).

Characters kept (:func:`charset`):
- ASCII and Latin-1 (U+0020–U+00FF), General Punctuation (U+2000–U+206F), Superscripts and
  Subscripts (U+2070–U+209F), CJK Symbols and Punctuation (U+3000–U+303F), Halfwidth and Fullwidth
  Forms (U+FF00–U+FFEF), Letterlike Symbols, Number Forms, Arrows, Enclosed Alphanumerics
  (①–⑳), Geometric Shapes and the CJK unit squares ㎡ ㎞ ㎏ (U+3380–U+33DF);
- GB 2312: every valid two-byte GB 2312 sequence decoded with Python's codec
  (6,763 hanzi + 682 symbols, kana, Greek, Cyrillic, pinyin, box drawing);
- every character of the bundled text: resources/**/*.csv, *.json, *.ts, *.txt and the text
  attributes of the sample park (resources/sample/park.gpkg, read with sqlite3);
- every non-ideograph character in the string literals of app/, gis/ and layers/ (messages and
  report text such as ↔ ✓ −); ideographs there outside GB 2312 are mojibake samples of
  gis/io/encoding.py, not text Lingtan shows;
- a few extra symbols (:data:`EXTRA`): ² ³ ° ‰ × ÷ ≤ ≥ – — … · ₂ ℃ …
Only characters the source face maps are kept (the others are listed in SOURCES.md), plus the
subscript digits ₀–₉ and the superscripts ⁰ ⁵–⁹ that Noto Sans CJK lacks (CO₂ is in the UI and the
report), drawn from the font's own superscripts and digits by :func:`add_figures`.

Layout features: only ``kern`` (GPOS; Latin and punctuation spacing). Dropped on purpose:
``locl`` (layers/fonts.py switches it off: it swaps digits for glyphs outside the cmap, which Qt's
PDF writer cannot map back to text; in this SC face it only reaches the JP/KR/TC glyphs), ``liga``
(fi/fl ligature glyphs have the same copy/search problem in PDFs), ``vert``/``vrt2`` and the
vertical metrics tables vhea, vmtx, VORG (Lingtan never sets text vertically), ``aalt``, ``palt``,
``halt`` and the other CJK alternates (Qt does not apply them by default). CFF hints are kept
(FreeType uses them for even stems at UI sizes). Measured on the Regular face (same characters):
hints cost 0.29 MB (1.62 → 1.91 MB), ``kern`` 0.03 MB, ``vert``/``vrt2`` with the vertical
tables would add 0.06 MB and ``locl`` + ``liga`` 1.48 MB (their JP/KR/TC alternates: 3.40 MB).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTCollection, TTFont

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "resources" / "fonts"
DEBIAN_DIR = Path("/usr/share/fonts/opentype/noto")  # Debian/Ubuntu package fonts-noto-cjk
DEFAULT_SOURCES = {"Regular": DEBIAN_DIR / "NotoSansCJK-Regular.ttc",
                   "Bold": DEBIAN_DIR / "NotoSansCJK-Bold.ttc"}
SOURCE_FAMILY = "Noto Sans CJK SC"  # name ID 1 of the face to take from the collection
FAMILY = "Lingtan Noto Sans SC"  # must not clash with an installed Noto; no Reserved Font Name used
PS_FAMILY = "LingtanNotoSansSC"
FILE_STEM = "NotoSansSC-Lingtan"
STYLES = ("Regular", "Bold")

# (first, last) code point of each Unicode block kept whole (where the source font maps it)
BLOCKS = (
    (0x0020, 0x007E, "Basic Latin"),
    (0x00A0, 0x00FF, "Latin-1 Supplement"),
    (0x2000, 0x206F, "General Punctuation"),
    (0x2070, 0x209F, "Superscripts and Subscripts"),
    (0x20AC, 0x20AC, "Euro sign"),
    (0x2100, 0x214F, "Letterlike Symbols"),
    (0x2150, 0x218F, "Number Forms"),
    (0x2190, 0x21FF, "Arrows"),
    (0x2460, 0x24FF, "Enclosed Alphanumerics"),
    (0x25A0, 0x25FF, "Geometric Shapes"),
    (0x3000, 0x303F, "CJK Symbols and Punctuation"),
    (0x3380, 0x33DF, "CJK Compatibility: unit squares"),
    (0xFF00, 0xFFEF, "Halfwidth and Fullwidth Forms"),
)
# the brief's list of symbols used in numbers and units (most are also in the blocks above)
EXTRA = "²³°‰×÷≤≥±–—…·₂µ℃㎡㎢㎞㎏←↑→↓↔✓−∑√∞≈≠"
RESOURCE_SUFFIXES = (".csv", ".json", ".ts", ".txt")
CODE_DIRS = ("app", "gis", "layers")
LAYOUT_FEATURES = ["kern"]
# Noto Sans CJK has superscripts ¹ ² ³ ⁴ but no subscript digits, and Lingtan writes CO₂ and tCO₂/10⁴
# in the UI and the report: :func:`add_figures` draws ₀–₉ and the missing ⁰ ⁵–⁹ from the font's own
# glyphs (design units, em = 1000): subscript n = superscript n moved so its baseline is at
# SUBSCRIPT_BASELINE; a missing superscript = the digit scaled to the height of ² and centred in its
# advance. (The font's own superscripts sit on y = 441.)
SUPERSCRIPTS = {0: 0x2070, 1: 0x00B9, 2: 0x00B2, 3: 0x00B3, 4: 0x2074, 5: 0x2075, 6: 0x2076, 7: 0x2077,
                8: 0x2078, 9: 0x2079}
SUBSCRIPTS = {n: 0x2080 + n for n in range(10)}
SUBSCRIPT_BASELINE = -120  # design units: the bottom of ₂ 120/1000 em below the baseline
DROP_TABLES = ["vhea", "vmtx", "VORG"]


def gb2312_chars() -> set[str]:
    """Every character of GB 2312: each valid two-byte EUC-CN sequence (rows and cells 0xA1–0xFE)."""
    out = set()
    for hi in range(0xA1, 0xFF):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def is_ideograph(ch: str) -> bool:
    """CJK unified or compatibility ideograph (any extension)."""
    return unicodedata.name(ch, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def gpkg_text(path: Path) -> str:
    """All text attribute values of the GeoPackage's feature tables (plain sqlite3, no GDAL)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        parts = []
        tables = [r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")]
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}"'):
                parts += [v for v in row if isinstance(v, str)]
            parts.append(table)
        return "\n".join(parts)
    finally:
        con.close()


def resource_text(resources: Path) -> dict[str, str]:
    """Relative path → text of every bundled text resource whose characters the font must draw."""
    out = {}
    for p in sorted(resources.rglob("*")):
        if p.is_file() and p.suffix in RESOURCE_SUFFIXES and "fonts" not in p.relative_to(resources).parts:
            out[p.relative_to(resources).as_posix()] = p.read_text(encoding="utf-8-sig")
        elif p.suffix == ".gpkg":
            out[p.relative_to(resources).as_posix()] = gpkg_text(p)
    return out


def code_string_chars(repo: Path) -> set[str]:
    """Non-ideograph characters of the string literals (f-string parts included) in app/, gis/, layers/."""
    out: set[str] = set()
    for d in CODE_DIRS:
        for py in sorted((repo / d).rglob("*.py")):
            tree = ast.parse(py.read_text(encoding="utf-8"), filename=str(py))
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    out |= {c for c in node.value if not is_ideograph(c)}
    return out


def _drawable(chars: set[str]) -> set[str]:
    """Without control, surrogate, private-use, unassigned characters and the BOM."""
    return {c for c in chars if unicodedata.category(c) not in ("Cc", "Cs", "Co", "Cn") and c != "\ufeff"}


def char_sources(repo: Path = REPO) -> dict[str, set[str]]:
    """Where the wanted characters come from: label → characters (before meeting the source cmap)."""
    blocks: set[str] = set()
    for lo, hi, _ in BLOCKS:
        blocks |= {chr(c) for c in range(lo, hi + 1)}
    text = "".join(resource_text(repo / "resources").values())
    return {"GB 2312": gb2312_chars(), "blocks": _drawable(blocks), "resources": _drawable(set(text)),
            "code": _drawable(code_string_chars(repo)), "extra": set(EXTRA)}


def wanted_chars(repo: Path = REPO) -> set[str]:
    """The characters the bundled font should draw (before intersecting with the source cmap)."""
    return set().union(*char_sources(repo).values())


def sc_face_index(path: Path) -> int:
    """Index of the Noto Sans CJK SC face in the collection, found by its name table."""
    collection = TTCollection(str(path), lazy=True)
    try:
        for i, font in enumerate(collection.fonts):
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return i
    finally:
        collection.close()
    raise SystemExit(f"{path}: no face named {SOURCE_FAMILY!r}")


def subset_options() -> subset.Options:
    opts = subset.Options()
    opts.layout_features = list(LAYOUT_FEATURES)
    opts.drop_tables = sorted(set(opts.drop_tables) | set(DROP_TABLES))
    opts.name_IDs = ["*"]  # keep copyright, licence, trademark, designer … (renamed below)
    opts.name_languages = [0x0409]  # English only; the zh-CN records only repeated the old family name
    opts.name_legacy = False
    opts.glyph_names = False
    opts.notdef_outline = True
    opts.hinting = True
    opts.desubroutinize = False
    return opts


def rename(font: TTFont, style: str) -> None:
    """Family "Lingtan Noto Sans SC" in the name table (IDs 1–6, 16, 17) and the CFF top dict."""
    name = font["name"]
    full = FAMILY if style == "Regular" else f"{FAMILY} {style}"
    ps = f"{PS_FAMILY}-{style}"
    version = name.getDebugName(5) or ""
    records = {
        1: FAMILY, 2: style, 3: f"{ps};Lingtan subset of {name.getDebugName(3)}", 4: full,
        5: f"{version}; Lingtan subset (packaging/make_cjk_font.py)", 6: ps, 16: FAMILY, 17: style,
    }
    name.names = [r for r in name.names if r.nameID not in records]
    for nid, text in records.items():
        name.setName(text, nid, 3, 1, 0x0409)
    cff = font["CFF "].cff
    cff.fontNames = [ps]
    top = cff.topDictIndex[0]
    top.FullName = full
    top.FamilyName = FAMILY
    if hasattr(top, "FDArray"):
        for fd in top.FDArray:
            if hasattr(fd, "FontName"):
                fd.FontName = f"{ps}-{fd.FontName.rsplit('-', 1)[-1]}"


def _bounds(glyphset, name: str) -> tuple[float, float, float, float]:
    pen = BoundsPen(glyphset)
    glyphset[name].draw(pen)
    return pen.bounds


def _add_glyph(font: TTFont, like: str, transform: tuple, advance: int, codepoint: int) -> None:
    """Append a glyph drawn as glyph ``like`` through ``transform`` (CID-keyed CFF: new CID, same FD)."""
    cff = font["CFF "].cff
    top = cff.topDictIndex[0]
    order = list(font.getGlyphOrder())  # (for CFF fonts TTFont's glyph order is the charset list itself)
    used = {int(n[3:]) for n in order if n.startswith("cid")}
    cid = max(c for c in range(1, getattr(top, "CIDCount", 65535)) if c not in used)
    name = f"cid{cid:05d}"
    fd = top.FDSelect[order.index(like)]
    private = top.FDArray[fd].Private
    glyphs = font.getGlyphSet()
    pen = T2CharStringPen(advance - private.nominalWidthX, None)
    glyphs[like].draw(TransformPen(pen, transform))
    bounds = BoundsPen(glyphs)
    glyphs[like].draw(TransformPen(bounds, transform))
    charstring = pen.getCharString(private=private, globalSubrs=cff.GlobalSubrs)
    strings = top.CharStrings
    strings.charStringsIndex.append(charstring)
    strings.charStrings[name] = len(strings.charStringsIndex) - 1
    top.charset.append(name)
    top.FDSelect.append(fd)
    font.setGlyphOrder([*order, name])
    if top.charset != font.getGlyphOrder():
        raise RuntimeError("CFF charset and glyph order differ")
    font["hmtx"].metrics[name] = (advance, round(bounds.bounds[0]))
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[codepoint] = name


def add_figures(font: TTFont) -> list[str]:
    """Add the subscript digits ₀–₉ and the superscripts ⁰ ⁵–⁹ the source lacks; returns those added."""
    for tag in font.keys():
        if tag != "GlyphOrder":
            font[tag]  # decompile every table before the glyph order grows
    cmap = font.getBestCmap()
    glyphs = font.getGlyphSet()
    ref = cmap[SUPERSCRIPTS[2]]
    _, ref_bottom, _, ref_top = _bounds(glyphs, ref)
    advance = font["hmtx"][ref][0]
    digit_height = _bounds(glyphs, cmap[ord("2")])[3]
    scale = (ref_top - ref_bottom) / digit_height
    added = []
    for n in range(10):
        if SUPERSCRIPTS[n] in cmap:
            continue
        digit = cmap[ord(str(n))]
        x0, _, x1, _ = _bounds(glyphs, digit)
        dx = (advance - (x1 - x0) * scale) / 2 - x0 * scale
        _add_glyph(font, digit, (scale, 0, 0, scale, round(dx), round(ref_bottom)), advance, SUPERSCRIPTS[n])
        added.append(chr(SUPERSCRIPTS[n]))
        cmap = font.getBestCmap()
        glyphs = font.getGlyphSet()
    for n in range(10):
        if SUBSCRIPTS[n] in cmap:
            continue
        sup = cmap[SUPERSCRIPTS[n]]
        _add_glyph(font, sup, (1, 0, 0, 1, 0, SUBSCRIPT_BASELINE - round(ref_bottom)),
                   font["hmtx"][sup][0], SUBSCRIPTS[n])
        added.append(chr(SUBSCRIPTS[n]))
        cmap = font.getBestCmap()
        glyphs = font.getGlyphSet()
    return added


def build_one(source: Path, style: str, chars: set[str], out: Path) -> tuple[int, list[str], list[str]]:
    """Subset one style; returns (characters in the font, wanted characters it lacks, figures added)."""
    index = sc_face_index(source)
    font = TTFont(str(source), fontNumber=index, recalcTimestamp=False)
    cmap = font.getBestCmap()
    kept = sorted(ord(c) for c in chars if ord(c) in cmap)
    sub = subset.Subsetter(subset_options())
    sub.populate(unicodes=kept)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    font = TTFont(io.BytesIO(buf.getvalue()), recalcTimestamp=False)  # fresh CFF structures to add to
    added = add_figures(font)
    rename(font, style)
    buf = io.BytesIO()
    font.save(buf)
    out.write_bytes(buf.getvalue())
    cmap = TTFont(io.BytesIO(buf.getvalue())).getBestCmap()
    lacking = sorted(c for c in chars if ord(c) not in cmap)
    return len(cmap), lacking, added


def package_version() -> str:
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Version}", "fonts-noto-cjk"],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not installed from a Debian package)"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


OFL_HEADER = """\
Lingtan Noto Sans SC (NotoSansSC-Lingtan-Regular.otf, NotoSansSC-Lingtan-Bold.otf) is a Modified
Version (subset, renamed) of Noto Sans CJK SC, made by packaging/make_cjk_font.py.

Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name 'Source'.
(The fonts' own copyright notice, name ID 0: "© 2014-2021 Adobe (http://www.adobe.com/).";
trademark, name ID 7: "Noto is a trademark of Google Inc."; Debian's copyright file for
fonts-noto-cjk: "Copyright: 2010-2012, Google Corporation / License: SIL-1.1".)
The Modified Version does not use the Reserved Font Name 'Source'.

This Font Software is licensed under the SIL Open Font License, Version 1.1.
This license is copied below, and is also available with a FAQ at: https://openfontlicense.org

"""

OFL_TEXT = """\
-----------------------------------------------------------
SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007
-----------------------------------------------------------

PREAMBLE
The goals of the Open Font License (OFL) are to stimulate worldwide
development of collaborative font projects, to support the font creation
efforts of academic and linguistic communities, and to provide a free and
open framework in which fonts may be shared and improved in partnership
with others.

The OFL allows the licensed fonts to be used, studied, modified and
redistributed freely as long as they are not sold by themselves. The
fonts, including any derivative works, can be bundled, embedded,
redistributed and/or sold with any software provided that any reserved
names are not used by derivative works. The fonts and derivatives,
however, cannot be released under any other type of license. The
requirement for fonts to remain under this license does not apply
to any document created using the fonts or their derivatives.

DEFINITIONS
"Font Software" refers to the set of files released by the Copyright
Holder(s) under this license and clearly marked as such. This may
include source files, build scripts and documentation.

"Reserved Font Name" refers to any names specified as such after the
copyright statement(s).

"Original Version" refers to the collection of Font Software components as
distributed by the Copyright Holder(s).

"Modified Version" refers to any derivative made by adding to, deleting,
or substituting -- in part or in whole -- any of the components of the
Original Version, by changing formats or by porting the Font Software to a
new environment.

"Author" refers to any designer, engineer, programmer, technical
writer or other person who contributed to the Font Software.

PERMISSION & CONDITIONS
Permission is hereby granted, free of charge, to any person obtaining
a copy of the Font Software, to use, study, copy, merge, embed, modify,
redistribute, and sell modified and unmodified copies of the Font
Software, subject to the following conditions:

1) Neither the Font Software nor any of its individual components,
in Original or Modified Versions, may be sold by itself.

2) Original or Modified Versions of the Font Software may be bundled,
redistributed and/or sold with any software, provided that each copy
contains the above copyright notice and this license. These can be
included either as stand-alone text files, human-readable headers or
in the appropriate machine-readable metadata fields within text or
binary files as long as those fields can be easily viewed by the user.

3) No Modified Version of the Font Software may use the Reserved Font
Name(s) unless explicit written permission is granted by the corresponding
Copyright Holder. This restriction only applies to the primary font name as
presented to the users.

4) The name(s) of the Copyright Holder(s) and the Author(s) of the Font
Software shall not be used to promote, endorse or advertise any
Modified Version, except to acknowledge the contribution(s) of the
Copyright Holder(s) and the Author(s) or with their explicit written
permission.

5) The Font Software, modified or unmodified, in part or in whole,
must be distributed entirely under this license, and must not be
distributed under any other license. The requirement for fonts to
remain under this license does not apply to any document created
using the Font Software.

TERMINATION
This license becomes null and void if any of the above conditions are
not met.

DISCLAIMER
THE FONT SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO ANY WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT
OF COPYRIGHT, PATENT, TRADEMARK, OR OTHER RIGHT. IN NO EVENT SHALL THE
COPYRIGHT HOLDER BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY,
INCLUDING ANY GENERAL, SPECIAL, INDIRECT, INCIDENTAL, OR CONSEQUENTIAL
DAMAGES, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
FROM, OUT OF THE USE OR INABILITY TO USE THE FONT SOFTWARE OR FROM
OTHER DEALINGS IN THE FONT SOFTWARE.
"""


def sources_md(pkg: str, sources: dict[str, Path], results: dict[str, tuple[int, list[str], list[str]]],
               outputs: dict[str, Path], parts: dict[str, set[str]]) -> str:
    sizes = {s: p.stat().st_size for s, p in outputs.items()}
    total = sum(sizes.values())
    wanted = set().union(*parts.values())
    lacking = set().union(*(set(r[1]) for r in results.values()))
    named = sorted(lacking - (parts["blocks"] - parts["resources"] - parts["code"] - parts["extra"]))
    named_text = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?').lower()}" for c in named)
    in_font = sorted(wanted - lacking)
    ideographs = [c for c in in_font if is_ideograph(c)]
    beyond_gb = "".join(c for c in ideographs if c not in parts["GB 2312"])
    rows = "\n".join(f"| `{outputs[s].name}` | `{sources[s]}` (face {SOURCE_FAMILY!r}) | {results[s][0]:,} | "
                     f"{sizes[s]:,} B ({sizes[s] / 2**20:.2f} MiB) |" for s in STYLES)
    added = " ".join(results["Regular"][2])
    blocks = "\n".join(f"    - U+{lo:04X}–U+{hi:04X} {label}" for lo, hi, label in BLOCKS)
    digests = "\n".join(f"{sha256(outputs[s])}  {outputs[s].name}" for s in STYLES)
    n_gb = len(parts["GB 2312"])
    return f"""# Bundled font: Lingtan Noto Sans SC

Lingtan draws Chinese with the system's font when it has one (Microsoft YaHei, PingFang SC, Noto
Sans CJK SC …, see `layers/fonts.py`); on a machine without any CJK font (bare Linux, Windows Server
Core, a locked-down PC) it falls back to this bundled font, registered with Qt by
`layers.fonts.register_bundled_fonts()` the first time `layers.fonts.cjk_family()` runs (at start),
so Chinese never shows as boxes in the UI or the PDF report.

| file | made from | code points mapped | size |
|---|---|---|---|
{rows}
| together | | | {total:,} B ({total / 2**20:.2f} MiB) |

- Source package: `{pkg}` (Debian; upstream https://github.com/notofonts/noto-cjk, Noto Sans CJK 2.004).
- Family "{FAMILY}" (name IDs 1, 4, 6, 16, 17 and the CFF names changed; IDs 3 and 5 say "Lingtan
  subset"), so it never clashes with an installed Noto. Licence: SIL OFL 1.1, see `OFL.txt` (the
  upstream Reserved Font Name is 'Source'; this font does not use it).
- Made by `packaging/make_cjk_font.py` (fontTools subset; run it again after adding Chinese text to
  `resources/`; same inputs give byte-identical files):

      /work/venv/bin/python packaging/make_cjk_font.py \\
          --regular {sources["Regular"]} \\
          --bold {sources["Bold"]}

- Characters: {len(in_font):,} of the wanted ones in the font, {len(ideographs):,} of them ideographs
  (the 6,763 hanzi of GB 2312{" + " + beyond_gb + " from resources/" if beyond_gb else ""}). Wanted:
  - GB 2312: {n_gb:,} characters, every valid two-byte sequence decoded with Python's gb2312 codec;
  - these blocks, where the font maps them:
{blocks}
  - every character of `resources/**/*.csv, *.json, *.ts, *.txt` and of the sample park's text
    attributes (`resources/sample/park.gpkg`): {len(parts["resources"]):,} distinct characters;
  - the non-ideograph characters of the string literals in `app/`, `gis/`, `layers/`;
  - `{EXTRA}`.
- Wanted by the resources, the code or the extra list but not in Noto Sans CJK SC, so not in the
  subset (Qt draws them with a fallback font if one has them): {named_text or "none"}.
  {len(lacking) - len(named)} further code points of the blocks above are not in the source font either.
- Added glyphs (Noto Sans CJK has ¹ ² ³ ⁴ but no subscript digits; Lingtan writes CO₂, tCO₂/10⁴):
  {added} drawn by `add_figures` from the font's own outlines — a subscript is the
  superscript moved down to a baseline {-SUBSCRIPT_BASELINE}/1000 em below the line, a missing superscript is
  the digit scaled to the height of ² (unhinted).
- OpenType layout features kept: {", ".join(LAYOUT_FEATURES)}. `locl` (layers/fonts.py switches
  it off), `liga` (ligature glyphs lose their text in PDFs), vertical forms and the vertical metrics
  tables ({", ".join(DROP_TABLES)}) are dropped. CFF hints are kept. No glyph names (CID-keyed CFF).
  Measured on the Regular face with the same characters: hints cost 0.29 MB (1.62 → 1.91 MB),
  `kern` 0.03 MB; `vert` + vertical tables would add 0.06 MB, `locl` + `liga` 1.48 MB.

SHA-256 (`tests/test_fonts.py` checks them):

```
{digests}
```
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--regular", type=Path, default=DEFAULT_SOURCES["Regular"],
                    help="NotoSansCJK-Regular.ttc (default: %(default)s)")
    ap.add_argument("--bold", type=Path, default=DEFAULT_SOURCES["Bold"],
                    help="NotoSansCJK-Bold.ttc (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default: %(default)s)")
    args = ap.parse_args(argv)
    sources = {"Regular": args.regular, "Bold": args.bold}
    args.out.mkdir(parents=True, exist_ok=True)
    parts = char_sources()
    chars = set().union(*parts.values())
    results, outputs = {}, {}
    for style in STYLES:
        outputs[style] = args.out / f"{FILE_STEM}-{style}.otf"
        results[style] = build_one(sources[style], style, chars, outputs[style])
        size = outputs[style].stat().st_size
        print(f"{outputs[style].name}: {results[style][0]:,} code points, {size:,} bytes")
    (args.out / "OFL.txt").write_text(OFL_HEADER + OFL_TEXT, encoding="utf-8")
    text = sources_md(package_version(), sources, results, outputs, parts)
    (args.out / "SOURCES.md").write_text(text, encoding="utf-8")
    total = sum(p.stat().st_size for p in outputs.values())
    print(f"together {total:,} bytes ({total / 2**20:.2f} MiB); wrote OFL.txt, SOURCES.md in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
