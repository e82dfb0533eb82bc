"""Render ``resources/icons/lingtan.svg`` into the multi-size Windows icon ``resources/icons/lingtan.ico``.

Run from the repository root (no display needed; Qt runs offscreen)::

    python packaging/windows/make_icon.py            # writes resources/icons/lingtan.ico
    python packaging/windows/make_icon.py --png DIR  # also writes DIR/lingtan-<size>.png to look at

Qt's "ico" image plugin writes one image per file, so the ICO container is written here:
ICONDIR (6 bytes) + one ICONDIRENTRY (16 bytes) per size + the images. Sizes up to 48 px are
stored as 32-bit BGRA DIBs with their AND mask (the classic form every Windows API and resource
tool reads); 64 px and larger as PNG, which Windows reads in icons since Vista and which keeps the
256 px image small. Format: Microsoft, "Icons" (learn.microsoft.com/windows/win32/menurc/icons)
and the ICO layout used by the Windows resource compiler (RT_GROUP_ICON / RT_ICON).
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "resources" / "icons" / "lingtan.svg"
ICO = ROOT / "resources" / "icons" / "lingtan.ico"
# Windows shell sizes: 16/24/32/48 (small icons, lists, taskbar at 100–200 % scaling),
# 64/128/256 (large and extra-large icon views). Source: Microsoft "Icons" design guidance.
SIZES_PX = (16, 24, 32, 48, 64, 128, 256)
PNG_FROM_PX = 64  # sizes >= this are stored as PNG, smaller ones as DIB


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(sys.argv[:1])


def render(size_px: int, svg: Path = SVG):
    """The SVG drawn on a transparent ``size_px`` × ``size_px`` QImage (Format_ARGB32, not premultiplied)."""
    _app()
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"cannot read the SVG {svg}")
    image = QImage(size_px, size_px, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size_px, size_px))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def _png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode PNG")
    buffer.close()
    return bytes(data.data())


def _dib_bytes(image) -> bytes:
    """BITMAPINFOHEADER + bottom-up 32-bit BGRA rows + 1-bit AND mask (1 = transparent pixel)."""
    w, h = image.width(), image.height()
    raw = bytes(image.constBits())[: image.sizeInBytes()]
    stride = image.bytesPerLine()  # ARGB32 in memory on little-endian machines: B, G, R, A
    rows = [raw[y * stride: y * stride + 4 * w] for y in range(h)]
    if sys.byteorder != "little":  # pragma: no cover - Qt stores ARGB32 as native 0xAARRGGBB words
        rows = [b"".join(r[i:i + 4][::-1] for i in range(0, len(r), 4)) for r in rows]
    xor = b"".join(reversed(rows))
    mask_stride = ((w + 31) // 32) * 4
    mask_rows = []
    for row in reversed(rows):
        bits = bytearray(mask_stride)
        for x in range(w):
            if row[4 * x + 3] == 0:
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    mask = b"".join(mask_rows)
    # biSize, biWidth, biHeight (XOR + AND, so twice the height), biPlanes, biBitCount, biCompression
    # (BI_RGB), biSizeImage, biXPelsPerMeter, biYPelsPerMeter, biClrUsed, biClrImportant
    header = struct.pack("<IiiHHIIiiII", 40, w, 2 * h, 1, 32, 0, len(xor) + len(mask), 0, 0, 0, 0)
    return header + xor + mask


def ico_bytes(images) -> bytes:
    """An ICO file holding ``images`` (square QImages, 1–256 px), smallest first."""
    payloads = [(im.width(), _png_bytes(im) if im.width() >= PNG_FROM_PX else _dib_bytes(im))
                for im in sorted(images, key=lambda im: im.width())]
    out = bytearray(struct.pack("<HHH", 0, 1, len(payloads)))  # reserved, type 1 = icon, count
    offset = 6 + 16 * len(payloads)
    for size, data in payloads:
        dim = 0 if size == 256 else size  # 0 in the byte means 256
        # width, height, colour count (0: >= 8 bpp), reserved, planes, bits per pixel, size, offset
        out += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
    for _, data in payloads:
        out += data
    return bytes(out)


def make_icon(out: Path = ICO, svg: Path = SVG, sizes=SIZES_PX, png_dir: Path | None = None) -> Path:
    images = [render(s, svg) for s in sizes]
    out = Path(out)
    out.write_bytes(ico_bytes(images))
    if png_dir is not None:
        Path(png_dir).mkdir(parents=True, exist_ok=True)
        for image in images:
            image.save(str(Path(png_dir) / f"lingtan-{image.width()}.png"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ICO, help="the .ico to write")
    parser.add_argument("--png", type=Path, help="also write each size as PNG into this folder")
    args = parser.parse_args(argv)
    path = make_icon(args.out, png_dir=args.png)
    print(f"{path}: {path.stat().st_size:,} bytes, sizes {', '.join(map(str, SIZES_PX))} px")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
