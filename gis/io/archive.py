"""Zipped inputs: extract safely (Chinese file names from Windows zips included)."""

from __future__ import annotations

import shutil
import zipfile
import zlib
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


MAX_UNZIPPED_BYTES = 4 * 1024 ** 3
"""Refuse archives that unpack to more than this (4 GiB; a zip bomb unpacks a few KB to many GB),
or to more than 90 % of the free space where they are unpacked."""


def _too_big(path: Path, size: int, limit: int) -> InputError:
    return InputError(f"压缩包解压后超过 {limit / 1024 ** 3:.1f} GB（{size / 1024 ** 3:.1f} GB 或更多），"
                      "已拒绝：请解压后只选需要的文件",
                      f"The archive unpacks to more than {limit / 1024 ** 3:.1f} GB ({size / 1024 ** 3:.1f} "
                      f"GB "
                      "or more) and was refused: unpack it and pick the files needed",
                      path=str(path), code="zip.too_big")


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, path: Path, written: int,
                 limit: int) -> int:
    """Stream one member to ``target`` (never whole into memory), counting the bytes really
    written against ``limit`` (a header may understate them); damage is bad input."""
    try:
        with zf.open(info) as src, open(target, "wb") as out:
            while chunk := src.read(1024 * 1024):
                written += len(chunk)
                if written > limit:
                    raise _too_big(path, written, limit)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InputError(f"压缩包已损坏（{info.filename}：{exc}）",
                         f"The archive is damaged ({info.filename}: {exc})",
                         path=str(path), code="zip.bad") from exc
    except RuntimeError as exc:  # zipfile's word for a password-protected member
        raise InputError("压缩包有密码保护：请先解压", "The archive is password-protected: unpack it first",
                         path=str(path), code="zip.encrypted") from exc
    except NotImplementedError as exc:
        raise InputError(f"压缩包用了不支持的压缩方式：{exc}",
                         f"The archive uses an unsupported compression: {exc}",
                         path=str(path), code="zip.method") from exc
    return written


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
        members = [i for i in zf.infolist() if not i.is_dir()]
        limit = min(MAX_UNZIPPED_BYTES, int(shutil.disk_usage(dest).free * 0.9))
        declared = sum(i.file_size for i in members)
        if declared > limit:
            raise _too_big(path, declared, limit)
        written = 0
        for info in members:
            name = Path(_member_name(info).replace("\\", "/")).name
            if not name or name.startswith("."):
                continue
            sub = Path(_member_name(info).replace("\\", "/")).parent.name
            target_dir = dest / sub if sub and sub not in (".", "..") else dest
            target_dir.mkdir(parents=True, exist_ok=True)
            target = target_dir / name
            if any(p.name.lower() == name.lower() for p in target_dir.iterdir()):
                raise InputError(f"压缩包中有同名文件“{name}”（仅大小写不同或位于不同文件夹）：无法判断用哪一"
                                 f"个",
                                 f"The archive holds two files named '{name}' (differing only in case or "
                                 "folder): which one to use is unclear", path=str(path), code="zip.collision")
            written = _copy_member(zf, info, target, path, written, limit)
    found = sorted(p for p in dest.rglob("*") if p.suffix.lower() in READABLE_INSIDE)
    return found
