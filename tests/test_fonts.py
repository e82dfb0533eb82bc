"""The bundled CJK font (resources/fonts): loads, covers Lingtan's text, is a real subset, is what
layers.fonts falls back to on a machine without a CJK font, and draws glyphs, not boxes."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QByteArray, QPointF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontInfo,
    QFontMetrics,
    QImage,
    QPainter,
    QRawFont,
    QTextLayout,
)

from layers import fonts
from layers.fonts import BUNDLED_CJK, cjk_family, cjk_font, register_bundled_fonts

REPO = Path(__file__).resolve().parents[1]
FONT_DIR = REPO / "resources" / "fonts"
FILES = {"Regular": FONT_DIR / "NotoSansSC-Lingtan-Regular.otf",
         "Bold": FONT_DIR / "NotoSansSC-Lingtan-Bold.otf"}
TS = REPO / "resources" / "translations" / "lingtan_zh_CN.ts"
ZH_JSON = REPO / "resources" / "translations" / "zh_CN.json"
PARK = REPO / "resources" / "sample" / "park.gpkg"
MAX_BYTES = 8_000_000  # both files together (brief: < 8 MB)
# text the report and the UI print: units, CO₂, per-10⁴, page footer, comparison signs
REPORT_TEXT = "零碳园区光伏 tCO₂/10⁴ m³ m² 85 ℃ 5‰ ≤ ≥ × ÷ – — … · ° 第 1 页 / 共 3 页（万元）：“”、。"
# deliberately absent: Traditional 體 and 龘 are outside GB 2312 and in no bundled text
NOT_KEPT = "體龘"


def _raw(style: str, pixel_size: float = 40) -> QRawFont:
    raw = QRawFont(QByteArray(FILES[style].read_bytes()), pixel_size)
    assert raw.isValid(), FILES[style]
    return raw


def _resource_text() -> str:
    parts = []
    for p in (REPO / "resources").rglob("*"):
        if p.suffix in (".csv", ".json", ".ts", ".txt") and "fonts" not in p.parts:
            parts.append(p.read_text(encoding="utf-8-sig"))
    return "".join(parts)


def _visible(text: str) -> set[str]:
    """Characters a font must draw: no control characters (newline, tab) and no BOM."""
    return {c for c in text if ord(c) >= 0x20 and c not in "\x7f\ufeff"}


def test_files_sizes_and_licence():
    assert all(p.is_file() for p in FILES.values())
    total = sum(p.stat().st_size for p in FILES.values())
    assert 1_000_000 < total < MAX_BYTES  # a real CJK subset, and lean
    ofl = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in ofl and "Copyright 2014-2021 Adobe" in ofl
    assert "Reserved Font Name 'Source'" in ofl and "Source" not in BUNDLED_CJK


def test_sources_md_digests_match_the_files():
    text = (FONT_DIR / "SOURCES.md").read_text(encoding="utf-8")
    listed = {name: digest for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+\.otf)$", text, re.M)}
    assert set(listed) == {p.name for p in FILES.values()}
    for p in FILES.values():
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        assert listed[p.name] == digest, f"{p.name}: rerun packaging/make_cjk_font.py"
    assert "fonts-noto-cjk" in text


def test_bundled_fonts_load_as_their_own_family(qapp):
    for style, path in FILES.items():
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(path.read_bytes()))
        try:
            assert font_id >= 0
            assert QFontDatabase.applicationFontFamilies(font_id) == [BUNDLED_CJK]
        finally:
            QFontDatabase.removeApplicationFont(font_id)
        raw = _raw(style)
        assert raw.familyName() == BUNDLED_CJK and raw.styleName() == style
        assert raw.weight() == (QFont.Weight.Bold if style == "Bold" else QFont.Weight.Normal)


def test_register_is_idempotent_and_gives_regular_and_bold(qapp):
    assert register_bundled_fonts() == [BUNDLED_CJK]
    ids = list(fonts._font_ids)
    assert len(ids) == len(FILES)
    assert register_bundled_fonts() == [BUNDLED_CJK] and fonts._font_ids == ids  # nothing added twice
    assert {"Regular", "Bold"} <= set(QFontDatabase.styles(BUNDLED_CJK))
    assert BUNDLED_CJK in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    bold = QFont(BUNDLED_CJK)
    bold.setBold(True)
    assert QFontInfo(bold).family() == BUNDLED_CJK and QFontInfo(bold).styleName() == "Bold"


def test_fonts_cover_the_translation_park_and_report_text(qapp):
    pyogrio = pytest.importorskip("pyogrio")
    ts_text = TS.read_text(encoding="utf-8")
    translations = "".join(e.text or "" for e in ET.parse(TS).getroot().iter("translation"))
    assert "园区" in translations  # the parse found the Chinese
    park = []
    for name, _ in pyogrio.list_layers(PARK):
        df = pyogrio.read_dataframe(PARK, layer=name, read_geometry=False)
        park += [v for col in df.columns for v in df[col] if isinstance(v, str)]
    assert any("智造园" in v for v in park) and any("香樟" in v for v in park)
    need = (_visible(ts_text) | _visible(translations) | _visible("".join(park))
            | _visible(ZH_JSON.read_text(encoding="utf-8")) | _visible(REPORT_TEXT))
    for style in FILES:
        raw = _raw(style)
        missing = sorted(c for c in need if not raw.supportsCharacter(ord(c)))
        assert not missing, f"{style} lacks {''.join(missing)}"
    qfont = QFont(BUNDLED_CJK)
    qfont.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)
    metrics = QFontMetrics(qfont)
    assert all(metrics.inFontUcs4(ord(c)) for c in "零碳园区光伏₂")


def test_whole_gb2312_hanzi_and_nothing_more(qapp):
    # GB 2312 hanzi: rows 16–87 (bytes 0xB0–0xF7), cells 0xA1–0xFE; 3,755 level-1 + 3,008 level-2
    hanzi = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                hanzi.append(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    assert len(hanzi) == 6763
    raw = _raw("Regular")
    assert [c for c in hanzi if not raw.supportsCharacter(ord(c))] == []
    bundled_text = _resource_text()
    for ch in NOT_KEPT:
        with pytest.raises(UnicodeEncodeError):
            ch.encode("gb2312")
        assert ch not in bundled_text
        assert not raw.supportsCharacter(ord(ch)), f"{ch} is in the subset"
    # the source (Noto Sans CJK) has them: the subset really dropped glyphs
    ideographs = sum(raw.supportsCharacter(c) for c in range(0x4E00, 0xA000))
    assert 6763 <= ideographs < 7000  # the source face maps ~20,000 of this block


def test_layout_features_and_names():
    ttlib = pytest.importorskip("fontTools.ttLib")
    for style, path in FILES.items():
        font = ttlib.TTFont(str(path))
        records = font["GSUB"].table.FeatureList.FeatureRecord if "GSUB" in font else []
        gsub = {r.FeatureTag for r in records}
        assert not gsub & {"locl", "liga", "vert", "vrt2"}
        assert "vmtx" not in font
        name = font["name"]
        assert name.getDebugName(1) == name.getDebugName(16) == BUNDLED_CJK
        assert name.getDebugName(2) == name.getDebugName(17) == style
        assert name.getDebugName(6) == f"LingtanNotoSansSC-{style}" == font["CFF "].cff.fontNames[0]
        assert "Noto Sans CJK" not in (name.getDebugName(4) or "")
        assert "OFL" in (name.getDebugName(14) or "") and name.getDebugName(13)


def test_subscript_two_is_the_superscript_moved_down(qapp):
    raw = _raw("Regular", 100)
    (sup,), (sub,) = raw.glyphIndexesForString("²"), raw.glyphIndexesForString("₂")
    assert sub and sup and sub != sup
    a, b = raw.pathForGlyph(sup).boundingRect(), raw.pathForGlyph(sub).boundingRect()
    assert a.width() == pytest.approx(b.width(), abs=0.5) and a.height() == pytest.approx(b.height(), abs=0.5)
    assert a.bottom() < 0 < b.bottom()  # Qt's y grows down: ² above the baseline, ₂ reaching below it


def test_cjk_family_unchanged_with_preferred_fonts(qapp, monkeypatch):
    monkeypatch.setattr(QFontDatabase, "families",
                        staticmethod(lambda *a: ["Some CJK Serif", "Microsoft YaHei", BUNDLED_CJK]))
    assert cjk_family() == "Microsoft YaHei"


@pytest.mark.parametrize("visible", [[], [BUNDLED_CJK], ["Some CJK Serif", BUNDLED_CJK]])
def test_cjk_family_falls_back_to_the_bundled_font(qapp, monkeypatch, visible):
    monkeypatch.setattr(QFontDatabase, "families", staticmethod(lambda *a: list(visible)))
    assert cjk_family() == BUNDLED_CJK
    assert QFontInfo(cjk_font(12)).family() == BUNDLED_CJK  # Qt really resolves it


def test_prefer_bundled_uses_it_and_the_system_font_for_the_rest(qapp):
    font = cjk_font(12, prefer_bundled=True)
    assert QFontInfo(font).family() == BUNDLED_CJK
    system = cjk_family()
    if system == BUNDLED_CJK:
        pytest.skip("no system CJK font to fall back to")
    assert font.families() == [BUNDLED_CJK, system]
    layout = QTextLayout("零碳體", font)  # 體 is outside the subset
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = {run.rawFont().familyName(): run.glyphIndexes() for run in layout.glyphRuns()}
    assert len(runs[BUNDLED_CJK]) == 2 and len(runs[system]) == 1 and all(runs[system])
    assert QFontInfo(cjk_font(12)).family() == system  # the default stays the system's font


def _ink(text: str, font: QFont) -> np.ndarray:
    img = QImage(240, 80, QImage.Format.Format_Grayscale8)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setFont(font)
    p.setPen(QColor("black"))
    p.drawText(QPointF(10, 60), text)
    p.end()
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(80, img.bytesPerLine())[:, :240]
    return arr < 128


def test_bundled_font_draws_glyphs_not_boxes(qapp):
    register_bundled_fonts()
    font = QFont(BUNDLED_CJK)
    font.setPixelSize(48)
    font.setStyleStrategy(QFont.StyleStrategy.NoFontMerging)  # no fallback to a system font
    assert QFontInfo(font).family() == BUNDLED_CJK
    zero, carbon = _ink("零", font), _ink("碳", font)
    tofu_a, tofu_b = _ink("\ue000", font), _ink("\U000F0000", font)  # private use: no glyph → .notdef
    assert zero.sum() > 150 and carbon.sum() > 150  # ink
    assert np.array_equal(tofu_a, tofu_b) and tofu_a.sum() > 0  # the missing-glyph box, drawn alike
    assert not np.array_equal(zero, tofu_a) and not np.array_equal(carbon, tofu_a)
    assert not np.array_equal(zero, carbon)  # two different glyphs, unlike boxes
    two = _ink("零碳", font)
    assert two.sum() == pytest.approx(zero.sum() + carbon.sum(), rel=0.1)


NO_FONTS_SCRIPT = r"""
import json, sys
from PySide6.QtGui import QFontDatabase, QFontInfo, QGuiApplication, QPainter, QPdfWriter
app = QGuiApplication([])
before = QFontDatabase.families()
before_zh = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
from layers.fonts import cjk_family, cjk_font
family = cjk_family()
font = cjk_font(12)
writer = QPdfWriter(sys.argv[1])
p = QPainter(writer)
p.setFont(font)
p.drawText(100, 100, "零碳园区光伏 tCO₂/10⁴ m³")
font.setBold(True)
p.setFont(font)
p.drawText(100, 400, "加粗标题")
p.end()
print(json.dumps({"before": before, "before_zh": before_zh, "family": family,
                  "resolved": QFontInfo(font).family()}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="hides the system fonts with fontconfig")
def test_machine_without_any_font_draws_and_embeds_the_bundled_font(tmp_path):
    """A fresh process whose fontconfig sees no font at all (a bare server): Chinese still works."""
    (tmp_path / "empty").mkdir()
    conf = tmp_path / "fonts.conf"
    conf.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{tmp_path / "empty"}</dir>'
                    f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n', encoding="utf-8")
    pdf = tmp_path / "t.pdf"
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(REPO)}
    env.pop("LINGTAN_RESOURCES", None)
    out = subprocess.run([sys.executable, "-c", NO_FONTS_SCRIPT, str(pdf)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=60, check=True)
    info = json.loads(out.stdout.strip().splitlines()[-1])
    assert info["before_zh"] == [] and set(info["before"]) <= {"Monospace", "Sans Serif", "Serif"}  # no font
    assert info["family"] == info["resolved"] == BUNDLED_CJK
    data = pdf.read_bytes()
    assert b"LingtanNotoSansSC-Regular" in data and b"LingtanNotoSansSC-Bold" in data  # embedded
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=30).stdout
        assert "零碳园区光伏" in text and "tCO₂/10⁴" in text and "加粗标题" in text


def test_bundled_files_follow_resources_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("LINGTAN_RESOURCES", str(tmp_path))
    assert fonts.bundled_font_files() == []
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "x.otf").write_bytes(b"")
    assert fonts.bundled_font_files() == [tmp_path / "fonts" / "x.otf"]
    monkeypatch.delenv("LINGTAN_RESOURCES")
    assert fonts.bundled_font_files() == sorted(FILES.values())


def test_layers_fonts_names_no_widgets_module():
    src = (REPO / "layers" / "fonts.py").read_text(encoding="utf-8")
    assert "Widgets" not in src and "import app" not in src and "from app" not in src


def test_bundled_font_preference_stays_in_its_thread():
    """The report prefers the bundled font inside bundled_fonts_preferred(); a canvas drawing in
    another thread at the same time keeps the system's font."""
    import threading

    from layers.fonts import BUNDLED_CJK, bundled_fonts_preferred, cjk_font

    seen = {}
    inside = threading.Event()
    done = threading.Event()

    def report_thread():
        with bundled_fonts_preferred():
            seen["report"] = cjk_font(10).families()[0]
            inside.set()
            done.wait(5)

    t = threading.Thread(target=report_thread)
    t.start()
    assert inside.wait(5)
    seen["canvas"] = cjk_font(10).families()[0] if cjk_font(10).families() else cjk_font(10).family()
    done.set()
    t.join(5)
    assert seen["report"] == BUNDLED_CJK
    assert seen["canvas"] == cjk_font(10, prefer_bundled=False).family()
