"""Outputs are whole or absent: a killed run leaves no truncated file under the real name, and the
temporaries it left are removed by the next run."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from gis.atomic import clean_stale, temp_beside


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid  # exited and reaped: no such process now


def test_temporaries_of_dead_processes_are_removed_and_live_ones_kept(tmp_path):
    target = tmp_path / "township_intensity.png"
    dead = tmp_path / f".township_intensity-lt{_dead_pid()}-abcd.png"
    live = tmp_path / f".township_intensity-lt{os.getpid()}-efgh.png"
    other = tmp_path / f".park_map-lt{_dead_pid()}-ijkl.png"  # another target's: not this call's
    for p in (dead, live, other):
        p.write_bytes(b"\x89PNG partial")
    tmp = temp_beside(target)
    assert not dead.exists() and live.exists() and other.exists()
    assert tmp.parent == tmp_path and tmp.name.startswith(f".township_intensity-lt{os.getpid()}-")
    assert not tmp.exists()  # a free name: GDAL and Qt create their files themselves
    assert clean_stale(tmp_path / "park_map.png") == [other]


def test_a_killed_png_export_leaves_nothing_half_written(tmp_path):
    """SIGKILL while Qt writes a large PNG: the real name never holds a partial file."""
    code = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication, QImage, QColor\n"
        "app = QGuiApplication([])\n"
        "from layers.render import save_png\n"
        "img = QImage(6000, 6000, QImage.Format.Format_ARGB32)\n"
        "img.fill(QColor('#336699'))\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    save_png(img, sys.argv[1], compression=9)\n"
    )
    target = tmp_path / "map.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.Popen([sys.executable, "-c", code, str(target)], stdout=subprocess.PIPE, env=env,
                         cwd=os.getcwd())
    assert p.stdout.readline().strip() == b"ready"
    time.sleep(1.5)  # mid-way through a write (a 6000 × 6000 PNG at level 9 takes about a second)
    p.kill()
    p.wait()
    if target.exists():  # a completed earlier write: whole, with PNG's end chunk
        assert target.read_bytes()[-12:-8] == b"\x00\x00\x00\x00" and target.read_bytes()[-8:-4] == b"IEND"
    left = list(tmp_path.glob(".map-lt*.png"))
    temp_beside(target)  # the next run
    assert not any(p.exists() for p in left)


def test_a_full_disk_is_exit_2_in_both_languages_with_nothing_left(tmp_path, monkeypatch, capsys):
    import errno

    import app.demo
    from app.cli import main

    def full(path, data):
        tmp = temp_beside(path)
        tmp.write_bytes(b"{partial")
        tmp.unlink()  # what the atomic writer does on the way out
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(app.demo, "write_json", full)  # the demo's last write: summary.json
    assert main(["demo", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "磁盘已满" in err and "disk full" in err and "Traceback" not in err
    assert not (tmp_path / "summary.json").exists() and not list(tmp_path.glob(".*-lt*"))
