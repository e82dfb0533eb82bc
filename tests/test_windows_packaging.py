"""Windows packaging files: the app icon, the version resources and the Inno Setup script.

Nothing here builds or runs on Windows; the files are checked against independent references:
the ICO layout read byte by byte (Microsoft's ICONDIR / ICONDIRENTRY), Qt's own ICO reader, the
colours of resources/icons/lingtan.svg, PyInstaller's own version-file parser and pyproject.toml.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import re
import struct
import sys
import tomllib
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WIN = REPO / "packaging" / "windows"
ICO = REPO / "resources" / "icons" / "lingtan.ico"
SVG = REPO / "resources" / "icons" / "lingtan.svg"
ISS = WIN / "lingtan.iss"
SIZES = {16, 24, 32, 48, 64, 128, 256}
EXES = {"lingtan.exe", "lingtan-gui.exe"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_lingtan_win_{name}", WIN / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pyproject_version() -> str:
    with open(REPO / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


# ----------------------------------------------------------------------------------------- icon

def _ico_entries(data: bytes) -> list[dict]:
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1), "not an icon file (ICONDIR reserved 0, type 1)"
    entries = []
    for i in range(count):
        w, h, colours, res, planes, bpp, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        entries.append({"w": w or 256, "h": h or 256, "colours": colours, "reserved": res,
                        "planes": planes, "bpp": bpp, "size": size, "offset": offset,
                        "payload": data[offset:offset + size]})
    return entries


def test_ico_header_lists_every_size_once_with_a_matching_image():
    data = ICO.read_bytes()
    assert len(data) < 200_000
    entries = _ico_entries(data)
    assert sorted(e["w"] for e in entries) == sorted(SIZES)
    spans = sorted((e["offset"], e["offset"] + e["size"]) for e in entries)
    assert spans[0][0] == 6 + 16 * len(entries)  # images start right after the directory
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start, "overlapping images"
    assert spans[-1][1] == len(data)
    for e in entries:
        assert e["w"] == e["h"] and e["reserved"] == 0 and e["planes"] == 1 and e["bpp"] == 32
        payload = e["payload"]
        assert len(payload) == e["size"] > 0
        if payload.startswith(PNG_SIGNATURE):
            # PNG: the IHDR chunk follows the signature: length, b"IHDR", width, height
            assert payload[12:16] == b"IHDR"
            assert struct.unpack(">II", payload[16:24]) == (e["w"], e["h"])
        else:
            # DIB: BITMAPINFOHEADER with the height of the colour image plus its AND mask
            bi_size, width, height, planes, bits = struct.unpack_from("<IiiHH", payload, 0)
            assert (bi_size, width, height, planes, bits) == (40, e["w"], 2 * e["h"], 1, 32)
            mask_stride = ((e["w"] + 31) // 32) * 4
            assert len(payload) == 40 + 4 * e["w"] * e["h"] + mask_stride * e["h"]
    # 256 px is stored as PNG (keeps the file small; Windows reads PNG icons since Vista)
    assert next(e for e in entries if e["w"] == 256)["payload"].startswith(PNG_SIGNATURE)


def _rgba(image, x: int, y: int) -> tuple[int, int, int, int]:
    from PySide6.QtGui import QColor

    c = QColor.fromRgba(image.pixel(x, y))
    return c.red(), c.green(), c.blue(), c.alpha()


def _close(rgba, rgb, tol=24) -> bool:
    return rgba[3] > 240 and all(abs(a - b) <= tol for a, b in zip(rgba[:3], rgb, strict=False))


def _ico_images(qapp) -> dict:
    from PySide6.QtGui import QImage, QImageReader

    reader = QImageReader(str(ICO))
    assert bytes(reader.format()) == b"ico"
    images = {}
    for i in range(reader.imageCount()):
        assert reader.jumpToImage(i)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        images[image.width()] = image.convertToFormat(QImage.Format.Format_ARGB32)
    return images


def test_qt_reads_every_size_and_each_shows_the_logo(qapp):
    images = _ico_images(qapp)
    assert set(images) == SIZES
    # Reference colours and geometry from lingtan.svg (viewBox 24 × 24): green rounded square
    # #00a651 from 1 to 23 (rx 5), sun #ffe066 at (12, 9) r 3.2, transparent outside.
    green, sun = (0x00, 0xA6, 0x51), (0xFF, 0xE0, 0x66)
    for size, image in images.items():
        assert image.height() == size
        s = size / 24
        assert _close(_rgba(image, int(3.6 * s), int(12 * s)), green), size  # left middle: plain green
        assert _close(_rgba(image, int(12 * s), int(9 * s)), sun), size      # sun centre
        assert _rgba(image, 0, 0)[3] == 0, size                                # rounded corner
        # covered area (antialiased alpha summed) = the 22 × 22 square with corners of radius 5:
        # 22² − (4 − π)·5² = 462.5 of 576
        coverage = sum(_rgba(image, x, y)[3] for x in range(size) for y in range(size)) / 255
        assert coverage / size**2 == pytest.approx(462.5 / 576, abs=0.02), size


def test_qicon_offers_all_sizes(qapp):
    from PySide6.QtGui import QIcon

    icon = QIcon(str(ICO))
    assert {s.width() for s in icon.availableSizes()} >= SIZES


def test_ico_is_up_to_date_with_the_svg(qapp):
    """The committed .ico matches a fresh rendering of the SVG (run make_icon.py after editing it)."""
    make_icon = _load("make_icon")
    images = _ico_images(qapp)
    for size in (16, 32, 256):
        fresh = make_icon.render(size, SVG)
        diff = max(abs(a - b) for x in range(0, size, max(1, size // 32)) for y in range(size)
                   for a, b in zip(_rgba(images[size], x, y), _rgba(fresh, x, y), strict=False))
        assert diff <= 8, f"{size} px differs from the SVG by {diff}"


def test_make_icon_writes_the_same_container(tmp_path, qapp):
    make_icon = _load("make_icon")
    out = make_icon.make_icon(tmp_path / "x.ico", sizes=(16, 256))
    entries = _ico_entries(out.read_bytes())
    assert [e["w"] for e in entries] == [16, 256]
    assert not entries[0]["payload"].startswith(PNG_SIGNATURE)  # small: DIB
    assert entries[1]["payload"].startswith(PNG_SIGNATURE)


# ------------------------------------------------------------------------ PyInstaller's parsers

@pytest.fixture
def pyi_win32(monkeypatch):
    """PyInstaller's version-file and icon modules. They import pefile and pywin32-ctypes (installed
    with PyInstaller on Windows only) for their Windows-API helpers; the text parser and ICO reader
    used here are plain Python, so those imports are stubbed on other systems."""
    pytest.importorskip("PyInstaller")
    import PyInstaller.compat as compat

    if importlib.util.find_spec("pefile") is None:
        monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    for name in ("win32api", "pywintypes"):
        if not hasattr(compat, name):
            monkeypatch.setattr(compat, name, None, raising=False)
    names = ("PyInstaller.utils.win32.versioninfo", "PyInstaller.utils.win32.icon")
    saved = {n: sys.modules.pop(n) for n in names if n in sys.modules}
    try:
        yield tuple(importlib.import_module(n) for n in names)
    finally:
        for n in names:
            sys.modules.pop(n, None)
        sys.modules.update(saved)


def test_pyinstaller_reads_the_icon(pyi_win32):
    _, icon = pyi_win32
    f = icon.IconFile(str(ICO))
    assert len(f.entries) == len(SIZES)
    # PyInstaller's ICONDIRENTRY uses signed bytes: 128 reads as -128, 256 as 0
    assert sorted((e.bWidth % 256) or 256 for e in f.entries) == sorted(SIZES)
    assert [len(img) for img in f.images] == [e.dwBytesInRes for e in f.entries]


@pytest.mark.parametrize("exe", sorted(EXES))
def test_version_file_parses_with_pyinstaller(pyi_win32, tmp_path, exe):
    versioninfo, _ = pyi_win32
    version = _pyproject_version()
    numbers = [int(p) for p in version.split(".")] + [0] * (4 - len(version.split(".")))
    path = _load("make_version_info").write_version_info(tmp_path / "v.txt", exe)
    info = versioninfo.load_version_info_from_text_file(str(path))
    assert isinstance(info, versioninfo.VSVersionInfo)
    assert info.ffi.fileVersionMS == (numbers[0] << 16) | numbers[1]
    assert info.ffi.fileVersionLS == (numbers[2] << 16) | numbers[3]
    assert info.ffi.productVersionMS == info.ffi.fileVersionMS
    assert info.ffi.fileType == 1  # VFT_APP
    string_info, var_info = info.kids
    (table,) = string_info.kids
    strings = {s.name: s.val for s in table.kids}
    assert strings["ProductVersion"] == version
    assert strings["FileVersion"] == ".".join(map(str, numbers))
    assert strings["OriginalFilename"] == exe
    assert strings["InternalName"] == exe.removesuffix(".exe")
    assert strings["CompanyName"] == "Lingtan"
    assert strings["ProductName"] == "零碳 Lingtan"
    assert strings["FileDescription"] == "零碳 Lingtan 零碳园区规划 / zero-carbon park planning"
    assert strings["LegalCopyright"]
    # the Translation pair names the string table (language + code page, hex)
    (translation,) = var_info.kids
    lang, codepage = translation.kids
    assert table.name.upper() == f"{lang:04X}{codepage:04X}"
    # the string table encodes (UTF-16, as Windows stores it) with the Chinese product name inside
    assert "零碳 Lingtan".encode("utf-16-le") in string_info.toRaw()


def test_version_tuple():
    vi = _load("make_version_info")
    assert vi.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert vi.version_tuple("2") == (2, 0, 0, 0)
    assert vi.version_tuple("1.2rc1") == (1, 2, 0, 0)
    assert vi.version_tuple("1.2.3.4") == (1, 2, 3, 4)
    for bad in ("1.2.3.4.5", "70000.0", "dev"):
        with pytest.raises(ValueError):
            vi.version_tuple(bad)


def test_version_info_cli_writes_both_exes(tmp_path):
    vi = _load("make_version_info")
    assert vi.main([str(tmp_path)]) == 0
    for exe in EXES:
        text = (tmp_path / f"version_{exe[:-4]}.txt").read_text(encoding="utf-8")
        assert f"StringStruct('OriginalFilename', '{exe}')" in text
        assert f"StringStruct('ProductVersion', '{_pyproject_version()}')" in text


# ------------------------------------------------------------------------------ Inno Setup script

def _iss_text() -> str:
    return ISS.read_text(encoding="utf-8")


def _iss_defines(text: str) -> dict[str, str]:
    return dict(re.findall(r'^\s*#define\s+(\w+)\s+"([^"]*)"', text, flags=re.M))


def _iss_sections(text: str) -> dict[str, list[str]]:
    """Section name → its entry lines (comments and preprocessor lines left out), with the
    script's string #defines substituted ({#Name})."""
    defines = _iss_defines(text)
    sections: dict[str, list[str]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1)
            sections.setdefault(current, [])
            continue
        if current:
            line = re.sub(r"\{#(\w+)\}", lambda mm: defines.get(mm.group(1), mm.group(0)), line)
            sections[current].append(line)
    return sections


def _iss_params(entry: str) -> dict[str, str]:
    """Parameters of one section entry (``Name: "value"; Flags: a b``), unquoted the way Inno
    Setup does: a quoted value ends at a lone quote, and "" inside it is one quote."""
    params, i = {}, 0
    while i < len(entry):
        m = re.compile(r"\s*(\w+):\s*").match(entry, i)
        assert m, f"cannot parse {entry[i:]!r}"
        key, i = m.group(1), m.end()
        if entry.startswith('"', i):
            value, i = [], i + 1
            while True:
                j = entry.index('"', i)
                value.append(entry[i:j])
                if entry.startswith('""', j):
                    value.append('"')
                    i = j + 2
                else:
                    i = j + 1
                    break
            params[key] = "".join(value)
            i = entry.find(";", i)
            i = len(entry) if i < 0 else i + 1
        else:
            j = entry.find(";", i)
            j = len(entry) if j < 0 else j
            params[key] = entry[i:j].strip()
            i = j + 1
    return params


def _setup(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in _iss_sections(text)["Setup"])


def test_iss_version_default_is_pyprojects():
    assert _iss_defines(_iss_text())["AppVersion"] == _pyproject_version()


def test_iss_paths_exist_in_the_repo():
    setup = _setup(_iss_text())
    icon = (WIN / setup["SetupIconFile"].replace("\\", "/")).resolve()
    assert icon == ICO.resolve() and icon.is_file()
    # the one-folder build the script packs is the repository's dist/lingtan (PyInstaller's default)
    dist = (WIN / _iss_defines(_iss_text())["DistDir"].replace("\\", "/")).resolve()
    assert dist == (REPO / "dist" / "lingtan").resolve()


def test_iss_setup_is_64_bit_program_files():
    setup = _setup(_iss_text())
    assert setup["ArchitecturesAllowed"] == "x64compatible"
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"
    assert setup["DefaultDirName"] == r"{autopf}\Lingtan"
    assert setup["ChangesAssociations"] == "yes"
    assert setup["OutputBaseFilename"] == f"Lingtan-{_pyproject_version()}-setup"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", setup["AppId"])


def test_iss_exe_names_are_the_two_bundle_executables():
    sections = _iss_sections(_iss_text())
    found = set()
    for name in ("Files", "Icons", "Registry", "Run"):
        for line in sections.get(name, []):
            found |= {m.lower() for m in re.findall(r"[\w.-]+\.exe\b", line, flags=re.I)}
    found |= {Path(_setup(_iss_text())["UninstallDisplayIcon"].replace("\\", "/")).name}
    assert found == EXES


def test_iss_start_menu_entries():
    icons = [_iss_params(line) for line in _iss_sections(_iss_text())["Icons"]]
    by_target = {}
    for icon in icons:
        by_target.setdefault(icon["Filename"], []).append(icon)
    assert any(i["Name"].startswith("{group}") for i in by_target[r"{app}\lingtan-gui.exe"])
    (prompt,) = by_target["{cmd}"]
    assert prompt["Name"].startswith("{group}")
    # the command prompt puts the app folder on PATH and runs the console exe
    assert r'set "PATH={app};%PATH%"' in prompt["Parameters"] and "lingtan.exe" in prompt["Parameters"]
    assert any(i["Filename"] == "{uninstallexe}" for i in icons)
    (desktop,) = [i for i in icons if i["Name"].startswith("{autodesktop}")]
    assert desktop["Tasks"] == "desktopicon"


def test_iss_gpkg_association_is_open_with_plus_an_unchecked_default():
    sections = _iss_sections(_iss_text())
    tasks = {t["Name"]: t for t in map(_iss_params, sections["Tasks"])}
    reg = [_iss_params(line) for line in sections["Registry"]]
    progid = "Lingtan.Project"
    # Open with: the ProgID listed under .gpkg\OpenWithProgids, removed on uninstall
    (open_with,) = [r for r in reg if r["Subkey"] == r"Software\Classes\.gpkg\OpenWithProgids"]
    assert open_with["ValueName"] == progid and "uninsdeletevalue" in open_with["Flags"].split()
    assert "Tasks" not in open_with
    # the ProgID opens files with the windowed exe, the path quoted
    (command,) = [r for r in reg if r["Subkey"] == rf"Software\Classes\{progid}\shell\open\command"]
    assert command["ValueData"] == r'"{app}\lingtan-gui.exe" "%1"'
    # default program for .gpkg only through a task that is unchecked by default
    (default,) = [r for r in reg if r["Subkey"] == r"Software\Classes\.gpkg"]
    assert default["ValueName"] == "" and default["ValueData"] == progid
    assert "uninsdeletevalue" in default["Flags"].split()
    assert "unchecked" in tasks[default["Tasks"]].get("Flags", "").split()
    # SupportedTypes of the application
    assert any(r["Subkey"] == r"Software\Classes\Applications\lingtan-gui.exe\SupportedTypes"
               and r["ValueName"] == ".gpkg" for r in reg)
    # nothing claims ".lingtan.gpkg" (Explorer only uses the last extension)
    assert not any(".lingtan.gpkg" in r["Subkey"] for r in reg)


def test_iss_registry_is_removed_on_uninstall():
    """Every value the installer writes is removed with it: by its own flag or an uninsdeletekey
    on the key above it. (.gpkg itself and OpenWithProgids belong to Windows: values only.)"""
    reg = [_iss_params(line) for line in _iss_sections(_iss_text())["Registry"]]
    deleted_keys = [r["Subkey"] for r in reg if "uninsdeletekey" in r.get("Flags", "").split()]
    for r in reg:
        flags = r.get("Flags", "").split()
        covered = any(r["Subkey"] == k or r["Subkey"].startswith(k + "\\") for k in deleted_keys)
        assert covered or "uninsdeletevalue" in flags, r
        if r["Subkey"].lower() in (r"software\classes\.gpkg", r"software\classes\.gpkg\openwithprogids"):
            assert "uninsdeletekey" not in flags, "must not delete the shared .gpkg key"
    assert r"Software\Microsoft\Windows\CurrentVersion\App Paths\lingtan.exe" in deleted_keys


def test_iss_chinese_language_is_optional():
    text = _iss_text()
    langs = _iss_sections(text)["Languages"]
    assert _iss_params(langs[0])["MessagesFile"] == "compiler:Default.isl"
    # the Chinese messages file is used only inside a FileExists guard
    guarded = re.search(r'#if FileExists\(CompilerPath \+ "Languages\\ChineseSimplified\.isl"\)\s*\n'
                        r"\s*#define HaveChinese", text)
    assert guarded
    for line in text.splitlines():
        if line.startswith("chinesesimplified.") or ("ChineseSimplified.isl\"" in line and "Name:" in line):
            start = text.index(line)
            assert text.rfind("#ifdef HaveChinese", 0, start) > text.rfind("#endif", 0, start), line
