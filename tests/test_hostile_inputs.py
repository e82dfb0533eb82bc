"""A corpus of broken and hostile inputs, made here: each is refused with exit 2 and a bilingual
message — never a traceback (exit 1), never a hang, never a silent success."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from app.cli import main


def _good_shapefile(d: Path) -> None:
    g = gpd.GeoDataFrame({"name": ["a", "b"], "floors": [3, 4]},
                         geometry=[shapely.box(114.3, 30.5, 114.301, 30.501),
                                   shapely.box(114.302, 30.5, 114.303, 30.501)], crs=4326)
    g.to_file(d / "ok.shp", encoding="utf-8")


def _crc_zip(d: Path) -> Path:
    with zipfile.ZipFile(d / "crc.zip", "w") as z:
        for ext in ("shp", "shx", "dbf", "prj", "cpg"):
            z.write(d / f"ok.{ext}", f"ok.{ext}")
    b = bytearray((d / "crc.zip").read_bytes())
    i = b.find(b"PK\x03\x04")
    b[i + 40] ^= 0xFF  # a flipped byte inside the first member's data: its CRC no longer matches
    (d / "crc.zip").write_bytes(b)
    return d / "crc.zip"


def _collision_zip(d: Path) -> Path:
    with zipfile.ZipFile(d / "dup.zip", "w") as z:
        for ext in ("shp", "shx", "dbf"):
            z.write(d / f"ok.{ext}", f"ok.{ext}")
            z.write(d / f"ok.{ext}", f"OK.{ext}")
    return d / "dup.zip"


def _bomb_zip(d: Path) -> Path:
    """8 MB of zeros in a few KB; the test lowers the unpack limit to 1 MB (a real bomb, 5 GB in
    5 MB, is the same case at scale)."""
    with zipfile.ZipFile(d / "bomb.zip", "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.shp", b"\0" * 8 * 1024 ** 2)
    return d / "bomb.zip"


def _nul_cpg(d: Path) -> Path:
    for ext in ("shp", "shx", "dbf", "prj"):
        (d / f"nul.{ext}").write_bytes((d / f"ok.{ext}").read_bytes())
    (d / "nul.cpg").write_bytes(b"UTF-8\x00\x00")
    return d / "nul.shp"


def _text(name: str, text: str):
    def make(d: Path) -> Path:
        (d / name).write_text(text, encoding="utf-8")
        return d / name
    return make


def _fifo(d: Path) -> Path:
    os.mkfifo(d / "pipe.geojson")
    return d / "pipe.geojson"


def _zero_link(d: Path) -> Path:
    for ext in ("dbf", "shx"):
        (d / f"zero.{ext}").write_bytes((d / f"ok.{ext}").read_bytes())
    (d / "zero.shp").symlink_to("/dev/zero")
    return d / "zero.shp"


INF = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
                  "geometry": {"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [3, 1], [1, 1]]]}}]}
                 ).replace("[1, 1], [2, 2]", "[1e400, 1], [2, 2]")
CASES = {
    "zip with a bad CRC": _crc_zip,
    "zip with two members of one name": _collision_zip,
    "zip bomb": _bomb_zip,
    "NUL bytes in .cpg": _nul_cpg,
    "infinite coordinate": _text("inf.geojson", INF),
    "NaN and inf lon/lat": _text("nan.csv", "name,lon,lat\na,nan,30\nb,114,nan\nc,inf,30\n"),
    "DMS garbage": _text("dms.csv", "name,lon,lat\na,114°xx'3\",30°\nb,东经,北纬\n"),
    "bad WKT": _text("wkt.csv", "name,wkt\na,POLYGON((1 2, 3 4\nb,NOTWKT\n"),
    "a pipe": _fifo,
    "a link to /dev/zero": _zero_link,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_vector_inputs_are_refused_cleanly(tmp_path, capsys, monkeypatch, case):
    import gis.io.archive

    if case in ("a pipe", "a link to /dev/zero") and os.name == "nt":
        pytest.skip("POSIX only")
    monkeypatch.setattr(gis.io.archive, "MAX_UNZIPPED_BYTES", 1024 ** 2)
    _good_shapefile(tmp_path)
    path = CASES[case](tmp_path)
    code = main(["info", str(path)])
    out, err = capsys.readouterr()
    # a .cpg made of NUL bytes is ignored (the encoding is detected from the data): read, not refused
    assert code == (0 if case == "NUL bytes in .cpg" else 2), (case, out[-400:], err[-400:])
    assert "Traceback" not in err and "Internal error" not in err
    if case == "zip bomb":
        assert "GB" in out and "解压" in out


@pytest.mark.parametrize("content", [
    '{"name": "测试"}'.encode("utf-16"), '{"name": "测试园区"}'.encode("gbk"), b"[1, 2, 3]",
    b"\x00\xff\x10\x13garbage" * 20, b"[" * 5000 + b"]" * 5000])
def test_broken_project_json_is_refused_cleanly(tmp_path, capsys, content):
    p = tmp_path / "p.json"
    p.write_bytes(content)
    assert main(["report", str(p), "--out", str(tmp_path / "r.pdf")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Internal error" not in err and "错误" in err and "Error" in err


@pytest.fixture(scope="module")
def project_file(tmp_path_factory):
    from app.project_file import save_project
    from app.workspace import Workspace
    from gis.park import load_sample_park

    ws = Workspace()
    ws.set_park(load_sample_park())
    return save_project(ws, tmp_path_factory.mktemp("proj") / "p.lingtan.gpkg")


@pytest.mark.parametrize("section, value", [
    ("settings", [1, 2, 3]), ("settings", "x"), ("summary", [1]), ("summary", {"pv": "garbage"}),
    ("tree", [{"kind": "layer"}]), ("park", {"layers": "x"}), ("layers", [None]), ("layers", "x")])
def test_a_damaged_project_document_is_bad_input(tmp_path, capsys, project_file, section, value):
    """A hand-edited or damaged project is exit 2 for the command line (and a message box, not a
    crash box, in the desktop app: both open it with app.project_file.load_project)."""
    import shutil
    import sqlite3

    from app.project_file import load_project
    from gis.errors import InputError

    p = tmp_path / "bad.lingtan.gpkg"
    shutil.copy(project_file, p)
    with sqlite3.connect(p) as con:
        row = con.execute("SELECT value FROM lingtan_project WHERE key = 'document'").fetchone()
        doc = json.loads(row[0])
        doc[section] = value
        con.execute("UPDATE lingtan_project SET value = ? WHERE key = 'document'", (json.dumps(doc),))
    with pytest.raises(InputError) as e:
        load_project(p)
    assert "损坏" in e.value.zh and "damaged" in e.value.en
    assert main(["report", str(p), "--out", str(tmp_path / "r.pdf")]) == 2
    assert "Traceback" not in capsys.readouterr().err
