"""The compiled shading loops keep their machine code between runs, in a frozen build too (where
Numba's own cache locators refuse to work because there are no source files)."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str, env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, cwd=str(tmp_path), timeout=300)


FROZEN_KERNEL = """
    import sys, pathlib
    sys.frozen = True                       # as PyInstaller sets it
    sys.executable = {exe!r}                # the build's identity: its stamp names the cache folder
    from gis.solar import numba_cache
    assert numba_cache.cache_enabled()
    from numba import njit

    @njit(cache=True)
    def twice(x):
        return 2 * x

    assert twice(21) == 42
    print(sorted(p.name.split(".")[-1] for p in pathlib.Path({root!r}).rglob("*") if p.is_file()))
"""


def test_a_frozen_build_caches_compiled_code_in_its_folder(tmp_path):
    exe = tmp_path / "Lingtan.exe"
    exe.write_bytes(b"build 1")
    root = tmp_path / "cache"
    code = FROZEN_KERNEL.format(exe=str(exe), root=str(root))
    env = {"LINGTAN_NUMBA_CACHE_DIR": str(root), "LINGTAN_NUMBA_CACHE": "1"}
    first = _run(code, env, tmp_path)
    assert first.returncode == 0, first.stderr
    # Numba writes an index and the machine code of the one signature compiled
    assert "nbi" in first.stdout and "nbc" in first.stdout
    folders = [p for p in root.iterdir() if p.is_dir()]
    assert len(folders) == 1  # one folder per build
    # a second process finds it (no new files); a new build gets a folder of its own
    assert _run(code, env, tmp_path).stdout == first.stdout
    exe.write_bytes(b"build 2, another size")
    assert _run(code, env, tmp_path).returncode == 0
    assert len([p for p in root.iterdir() if p.is_dir()]) == 2


def test_an_unwritable_cache_folder_compiles_in_memory(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    code = """
        import sys
        sys.frozen = True
        from gis.solar import numba_cache
        print(numba_cache.cache_enabled())
    """
    out = _run(code, {"LINGTAN_NUMBA_CACHE_DIR": str(blocker / "sub")}, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_the_first_horizon_run_of_a_process_says_it_prepares_the_compiled_code(tmp_path):
    """Compiling takes ~10 s the first time on a computer: the progress says so, once per process."""
    code = """
        import numpy as np, shapely
        from gis.progress import Progress
        from gis.solar.shading import horizon_from_footprints

        boxes = np.array([shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)], dtype=object)
        for _ in range(2):
            seen = []
            horizon_from_footprints([[5.0, 5.0]], [5.0], [0], boxes, [5.0, 20.0], threads=1,
                                    progress=Progress(callback=lambda f, m: seen.append(m)))
            print(sum("compiled code" in m for m in seen))
    """
    out = _run(code, {}, tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["1", "0"]
