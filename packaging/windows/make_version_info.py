"""Windows version resources (VERSIONINFO) for the two Lingtan executables.

PyInstaller's ``EXE(version=...)`` takes a text file holding a ``VSVersionInfo(...)`` expression —
the format ``pyi-grab_version`` prints and ``PyInstaller.utils.win32.versioninfo.
load_version_info_from_text_file`` evaluates (PyInstaller 6; the structures are Microsoft's
VS_VERSIONINFO / VS_FIXEDFILEINFO / StringFileInfo / VarFileInfo). Explorer shows these strings
under Properties → Details, Task Manager shows FileDescription.

Used by ``build_installer.spec`` on Windows (PyInstaller ignores ``version=`` elsewhere): it puts
this folder on ``sys.path``, imports :func:`write_version_info`, writes
``<workpath>/version_<name>.txt`` for each program and passes it to ``EXE(version=...)``;

or from the command line: ``python packaging/windows/make_version_info.py OUTDIR`` writes
``OUTDIR/version_lingtan.txt`` and ``OUTDIR/version_lingtan-gui.txt``.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
EXE_NAMES = ("lingtan.exe", "lingtan-gui.exe")

COMPANY = "Lingtan"
PRODUCT = "零碳 Lingtan"
DESCRIPTION = "零碳 Lingtan 零碳园区规划 / zero-carbon park planning"
COPYRIGHT = "© 2026 Lingtan developers"  # pyproject.toml [project] authors
# Language 0x0804 = Chinese (Simplified, PRC), code page 1200 = UTF-16 (Microsoft VERSIONINFO
# docs, "langID" / "charsetID"); the strings themselves are bilingual.
LANG_ID, CODEPAGE = 0x0804, 1200


def project_version(pyproject: Path = PYPROJECT) -> str:
    """``[project] version`` of pyproject.toml."""
    with open(pyproject, "rb") as f:
        return tomllib.load(f)["project"]["version"]


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """The four 16-bit numbers of VS_FIXEDFILEINFO from a PEP 440 version: its release part,
    padded with zeros ("0.1.0" → (0, 1, 0, 0); "1.2rc1" → (1, 2, 0, 0))."""
    match = re.match(r"\s*v?(\d+(?:\.\d+)*)", version)
    if not match:
        raise ValueError(f"not a version number: {version!r}")
    parts = [int(p) for p in match.group(1).split(".")]
    if len(parts) > 4 or any(p > 0xFFFF for p in parts):
        raise ValueError(f"a Windows file version holds at most four numbers 0…65535: {version!r}")
    return tuple(parts + [0] * (4 - len(parts)))


def _exe_file_name(exe_name: str) -> str:
    name = Path(exe_name).name
    return name if name.lower().endswith(".exe") else name + ".exe"


def version_info_text(version: str, exe_name: str) -> str:
    """The ``VSVersionInfo(...)`` text PyInstaller reads, for ``exe_name`` (``lingtan.exe`` or
    ``lingtan-gui.exe``; ".exe" is added when missing) at ``version`` ("0.1.0")."""
    numbers = version_tuple(version)
    file_name = _exe_file_name(exe_name)
    strings = [
        ("CompanyName", COMPANY),
        ("FileDescription", DESCRIPTION),
        ("FileVersion", ".".join(map(str, numbers))),
        ("InternalName", file_name[:-4]),
        ("LegalCopyright", COPYRIGHT),
        ("OriginalFilename", file_name),
        ("ProductName", PRODUCT),
        ("ProductVersion", version),
    ]
    table = f"{LANG_ID:04X}{CODEPAGE:04X}"
    string_lines = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings)
    return f"""# UTF-8
#
# Windows version resource of {file_name}, written by packaging/windows/make_version_info.py
# from pyproject.toml (version {version}). Format: PyInstaller's VSVersionInfo text (pyi-grab_version).
VSVersionInfo(
  ffi=FixedFileInfo(
    # filevers and prodvers: four 16-bit numbers
    filevers={numbers!r},
    prodvers={numbers!r},
    # mask of the valid bits in flags; flags 0: not a debug, pre-release or patched build
    mask=0x3f,
    flags=0x0,
    # OS 0x40004: VOS_NT_WINDOWS32; fileType 0x1: VFT_APP (an application)
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo(
      [
        StringTable(
          {table!r},
          [
{string_lines}
          ])
      ]),
    VarFileInfo([VarStruct('Translation', [{LANG_ID}, {CODEPAGE}])])
  ]
)
"""


def write_version_info(path, exe_name: str, version: str | None = None) -> Path:
    """Write the version file of ``exe_name`` to ``path`` (UTF-8) and return the path;
    ``version`` defaults to pyproject.toml's."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(version_info_text(version or project_version(), exe_name), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the version-info files of lingtan.exe and "
                                                 "lingtan-gui.exe for PyInstaller.")
    parser.add_argument("outdir", type=Path, help="folder for version_lingtan.txt, version_lingtan-gui.txt")
    parser.add_argument("--version", help="default: pyproject.toml [project] version")
    args = parser.parse_args(argv)
    for exe in EXE_NAMES:
        path = write_version_info(args.outdir / f"version_{exe[:-4]}.txt", exe, args.version)
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
