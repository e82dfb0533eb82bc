"""Zipped inputs: extract safely (Chinese file names from Windows zips included)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from gis.errors import InputError

READABLE_INSIDE = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".dxf", ".csv", ".xlsx")


def _member_name(info: zipfile.ZipInfo) -> str:
    """File name as the author wrote it: zips from Chinese Windows store GBK without a flag."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for codec in ("utf-8", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def extract_zip(path: Path, dest: Path) -> list[Path]:
    """Extract ``path`` into ``dest``; return readable data files found (sorted).

    Member paths are flattened to their base names (no path traversal).
    """
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputError("压缩包已损坏或不是 zip 文件", "The archive is damaged or not a zip file",
                         path=str(path), code="zip.bad") from exc
    with zf:
        for info in zf.infolist():
            if info.is_dir():
                continue
            name = Path(_member_name(info).replace("\\", "/")).name
            if not name or name.startswith("."):
                continue
            sub = Path(_member_name(info).replace("\\", "/")).parent.name
            target_dir = dest / sub if sub and sub not in (".", "..") else dest
            target_dir.mkdir(parents=True, exist_ok=True)
            (target_dir / name).write_bytes(zf.read(info))
    found = sorted(p for p in dest.rglob("*") if p.suffix.lower() in READABLE_INSIDE)
    return found
