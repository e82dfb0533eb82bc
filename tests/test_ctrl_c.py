"""Ctrl-C at any moment of a command — during start-up imports, while reading, computing or
writing — ends with exit code 130, a bilingual message, no traceback and no partial file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("delay_s", [0.1, 0.3, 0.8, 1.5, 3.0, 5.0])
def test_interrupt_ends_with_130_and_nothing_partial(tmp_path, delay_s):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = tmp_path / "out"
    p = subprocess.Popen([sys.executable, "-m", "app", "demo", "--out", str(out)], cwd=REPO, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(delay_s)
    p.send_signal(signal.SIGINT)
    try:
        _, stderr = p.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        p.kill()
        raise
    err = stderr.decode("utf-8", "replace")
    if p.returncode == 0:  # finished before the signal arrived: nothing to check
        return
    assert p.returncode == 130, (p.returncode, err[-800:])
    assert "Traceback" not in err and "Cancelled" in err and "已取消" in err
    if out.exists():
        assert not list(out.rglob(".*-lt*")), "temporaries left behind"
        for f in out.rglob("*.png"):  # any PNG present is whole
            assert f.read_bytes()[-8:-4] == b"IEND"
