"""The Dask cluster runner (gis/scale/cluster.py): a scheduler reached by its address, a worker killed
mid-run, retries, a rerun skipping finished tiles, cancel without stray processes, bad specs.

The tile function here writes one file per tile as the real one writes to the tile store, so what
the runner finished can be checked independently of what it reports. Everything listens on
127.0.0.1 only."""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from gis.errors import InputError
from gis.progress import Cancelled, Progress
from gis.scale.cluster import TilesFailed, parse_cluster, run_on_cluster


@dataclass(frozen=True)
class FakeJob:
    """A tile job: writes ``tile_id``² (an independent value to check) to ``out_dir``."""

    tile_id: int
    out_dir: str
    sleep_s: float = 0.0
    die_once: bool = False  # the worker process dies hard (os._exit) the first time it runs this
    raise_times: int = 0  # raise this many times before succeeding
    always_fail: bool = False


def fake_tile(job: FakeJob) -> dict:
    out = Path(job.out_dir)
    marker = out / f"attempt-{job.tile_id}"
    attempts = int(marker.read_text()) if marker.exists() else 0
    marker.write_text(str(attempts + 1))
    if job.die_once and attempts == 0:
        os._exit(1)  # a lost worker: no exception, the process is gone
    if job.always_fail or attempts < job.raise_times:
        raise RuntimeError(f"tile {job.tile_id} fails")
    time.sleep(job.sleep_s)
    tmp = out / f"tile-{job.tile_id}.json.tmp"
    tmp.write_text(json.dumps({"tile_id": job.tile_id, "value": job.tile_id ** 2}))
    tmp.rename(out / f"tile-{job.tile_id}.json")
    return {"tile_id": job.tile_id, "pid": os.getpid()}


def written(out: Path) -> dict[int, int]:
    return {d["tile_id"]: d["value"] for d in (json.loads(p.read_text()) for p in out.glob("tile-*.json"))}


def expected(ids) -> dict[int, int]:
    return {i: i * i for i in ids}


def _alive(p: psutil.Process) -> bool:
    try:
        if not p.is_running() or p.status() == psutil.STATUS_ZOMBIE:
            return False
        return "multiprocessing.resource_tracker" not in " ".join(p.cmdline())
    except psutil.NoSuchProcess:
        return False


def _no_children(timeout_s: float = 10.0) -> list[psutil.Process]:
    """Child processes still alive after ``timeout_s`` (worker processes, nannies). multiprocessing's
    resource tracker is not one: it is started once per parent process and lives as long as it."""
    deadline = time.monotonic() + timeout_s
    while True:
        alive = [p for p in psutil.Process().children(recursive=True) if _alive(p)]
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def test_parse_cluster():
    assert parse_cluster(None).workers is None and parse_cluster(None).local
    assert parse_cluster("local:3").workers == 3
    assert parse_cluster("LOCAL").workers is None
    assert parse_cluster(None, "127.0.0.1:8786").address == "tcp://127.0.0.1:8786"
    for bad in ("local:0", "local:x", "yarn", "local:-2"):
        with pytest.raises(InputError) as e:
            parse_cluster(bad)
        assert "--cluster" in e.value.zh and "--cluster" in e.value.en
    with pytest.raises(InputError):
        parse_cluster("local:2", "tcp://127.0.0.1:8786")


def test_scheduler_address_two_workers(tmp_path):
    """``--scheduler ADDRESS``: the runner connects by address (Client("tcp://127.0.0.1:PORT")) to a
    scheduler and two worker processes the test started."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        jobs = [FakeJob(i, str(tmp_path)) for i in range(12)]
        run = run_on_cluster(jobs, process=fake_tile, scheduler=address)
        assert run.address == address and run.workers == 2 and run.processes is None
        assert written(tmp_path) == expected(range(12))
        assert len({s["pid"] for s in run.summaries}) == 2  # both workers took tiles
        assert sorted(s["tile_id"] for s in run.summaries) == list(range(12))


def test_unreachable_scheduler_is_input_error():
    import socket

    with socket.socket() as s:  # a free port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(InputError) as e:
        run_on_cluster([FakeJob(0, "/nonexistent")], process=fake_tile, scheduler=f"127.0.0.1:{port}")
    assert "调度器" in e.value.zh and "scheduler" in e.value.en


def test_worker_killed_mid_run_and_retries(tmp_path):
    """A worker process dies in the middle of tile 3 (os._exit) and tile 5 raises twice: the run
    completes with every tile, each computed right, tile 3 run twice and tile 5 three times."""
    jobs = [FakeJob(i, str(tmp_path), sleep_s=0.05, die_once=(i == 3), raise_times=2 if i == 5 else 0)
            for i in range(10)]
    run = run_on_cluster(jobs, process=fake_tile, cluster="local:2", processes=True)
    assert run.processes is True and run.workers == 2
    assert written(tmp_path) == expected(range(10))
    assert (tmp_path / "attempt-3").read_text() == "2"
    assert (tmp_path / "attempt-5").read_text() == "3"
    assert sorted(s["tile_id"] for s in run.summaries) == list(range(10))
    assert _no_children() == []


def test_failed_tile_reported_others_done(tmp_path):
    jobs = [FakeJob(i, str(tmp_path), always_fail=(i == 2)) for i in range(5)]
    with pytest.raises(TilesFailed) as e:
        run_on_cluster(jobs, process=fake_tile, cluster="local:2", processes=False)
    assert list(e.value.run.failed) == [2]
    assert (tmp_path / "attempt-2").read_text() == "3"  # first try + RETRIES (2)
    assert written(tmp_path) == expected([0, 1, 3, 4])


def test_rerun_skips_finished_tiles(tmp_path):
    jobs = [FakeJob(i, str(tmp_path)) for i in range(8)]
    first = run_on_cluster(jobs[:5], process=fake_tile, cluster="local:2", processes=False)
    assert len(first.summaries) == 5
    seen: list[float] = []
    run = run_on_cluster(jobs, process=fake_tile, done=set(written(tmp_path)), cluster="local:2",
                         processes=False, progress=Progress(lambda f, m: seen.append(f)))
    assert run.skipped == [0, 1, 2, 3, 4]
    assert sorted(s["tile_id"] for s in run.summaries) == [5, 6, 7]
    for i in range(5):  # the finished tiles were not run again
        assert (tmp_path / f"attempt-{i}").read_text() == "1"
    assert written(tmp_path) == expected(range(8))
    assert seen[0] == pytest.approx(5 / 8) and seen[-1] == pytest.approx(1.0)
    # nothing left: no cluster is started
    again = run_on_cluster(jobs, process=fake_tile, done=set(range(8)))
    assert again.summaries == [] and again.workers == 0


def test_cancel_stops_cleanly(tmp_path):
    """Cancel after two tiles: Cancelled raised at once (not after all tiles), the pending tiles
    never written, and no worker process left behind."""
    jobs = [FakeJob(i, str(tmp_path), sleep_s=0.3) for i in range(40)]
    progress = Progress()
    finished: list[float] = []

    def report(fraction: float, message: str) -> None:
        finished.append(fraction)
        if fraction >= 2 / 40:
            progress.cancel()

    progress.callback = report
    t0 = time.perf_counter()
    with pytest.raises(Cancelled):
        run_on_cluster(jobs, process=fake_tile, cluster="local:2", processes=True, progress=progress)
    seconds = time.perf_counter() - t0
    assert seconds < 40 * 0.3 / 2  # far less than the whole run would take on 2 workers
    done = written(tmp_path)
    assert 2 <= len(done) < 20
    assert _no_children() == []
    time.sleep(1.0)  # nothing keeps running in the background either
    assert written(tmp_path) == done


# ---- lingtan pv --cluster: the command line end to end ---------------------------------------------

def city(n_side: int = 14, spacing_m: float = 45.0):
    """A small district: n_side² rectangles on a grid, a few 90–140 m towers among them (so shading
    crosses tile edges), in CGCS2000 / 3° GK CM 120°E; not prepared (the command prepares it)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    rng = np.random.default_rng(7)
    i = np.arange(n_side * n_side)
    x = 420_000.0 + (i % n_side) * spacing_m
    y = 3_340_000.0 + (i // n_side) * spacing_m
    w, d = rng.uniform(12, 30, len(i)), rng.uniform(10, 25, len(i))
    height = rng.uniform(8, 30, len(i))
    height[rng.choice(len(i), 6, replace=False)] = rng.uniform(90, 140, 6)
    return gpd.GeoDataFrame({"bldg_id": i, "height_m": height,
                             "use": rng.choice(["industrial", "office", "dormitory"], len(i))},
                            geometry=shapely.box(x, y, x + w, y + d), crs="EPSG:4549")


def test_cli_tiled_equals_single_process_rerun_and_scheduler(tmp_path, capsys):
    """``lingtan pv CITY.gpkg --cluster local:2 --tile-m 200 --out OUT.parquet``: every building's
    kWh equals the single-process engine's (1e-9 relative) although towers shade across tile edges;
    a rerun computes no tile; a tile removed is recomputed on a scheduler reached by its address."""
    import geopandas as gpd
    import numpy as np
    from distributed import LocalCluster

    from app.cli import main
    from app.pv import run_rooftop
    from gis.solar.rooftop import PVSettings

    gdf = city()
    gdf["county"] = np.where(gdf.geometry.bounds["minx"] < 420_300.0, "西县", "东县")
    src = tmp_path / "city.gpkg"
    gdf.to_file(src)
    out = tmp_path / "out.parquet"
    code = main(["pv", str(src), "--cluster", "local:2", "--tile-m", "200", "--out", str(out), "--json"])
    assert code == 0
    s = json.loads(capsys.readouterr().out)
    assert s["workers"] == 2 and s["processes"] is True and s["tiles"] >= 6 and s["tiles_run"] == s["tiles"]
    tiled = gpd.read_parquet(out / "parts").set_index("bldg_id").sort_index()
    single = run_rooftop(gdf, PVSettings()).buildings.set_index("bldg_id").sort_index()
    assert len(tiled) == len(single) == len(gdf) == s["buildings"]
    assert (single["shade_loss_pct"] > 1.0).sum() >= 10  # shading matters here
    for col in ("kwh_yr", "kwp", "shade_loss_pct"):
        a, b = tiled[col].to_numpy(float), single[col].to_numpy(float)
        assert abs(a - b).max() <= 1e-9 * max(abs(b).max(), 1.0), col
    assert s["kwh_yr"] == pytest.approx(single["kwh_yr"].sum(), rel=1e-9)
    # county summary: each county's roofs and kWp summed here from the single run's rows
    import pandas as pd

    county = pd.read_csv(s["summaries"]["county"], encoding="utf-8-sig").set_index("area_id")
    ref = single.assign(county=gdf.set_index("bldg_id")["county"]).groupby("county")
    assert county["roofs"].to_dict() == ref.size().to_dict()
    for name, kwp in ref["kwp"].sum().items():
        assert county.loc[name, "kwp"] == pytest.approx(kwp, rel=1e-9)
    cells = gpd.read_parquet(s["summaries"]["grid"])
    assert cells["kwp"].sum() == pytest.approx(single["kwp"].sum(), rel=1e-9)
    assert cells["roofs"].sum() == len(gdf) and (cells["kwp_per_km2"] == cells["kwp"]).all()  # 1 km² cells
    assert _no_children() == []

    parts = sorted((out / "parts").glob("*.parquet"))
    stamps = {p: p.stat().st_mtime_ns for p in parts}
    assert main(["pv", str(src), "--cluster", "local:2", "--tile-m", "200", "--out", str(out), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["tiles_run"] == 0 and again["tiles_skipped"] == s["tiles"]
    assert {p: p.stat().st_mtime_ns for p in parts} == stamps  # nothing rewritten

    parts[0].unlink()
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert main(["pv", str(src), "--scheduler", cluster.scheduler_address, "--tile-m", "200",
                     "--out", str(out), "--json"]) == 0
    third = json.loads(capsys.readouterr().out)
    assert third["tiles_run"] == 1 and third["scheduler"] == cluster.scheduler_address
    assert gpd.read_parquet(out / "parts")["kwh_yr"].sum() == pytest.approx(single["kwh_yr"].sum(), rel=1e-9)


def test_cli_bad_input_exit_2(tmp_path, capsys):
    from app.cli import main

    src = tmp_path / "city.gpkg"
    city(3).to_file(src)
    cases = [(["--cluster", "yarn", "--out", str(tmp_path / "o.parquet")], "--cluster"),
             (["--cluster", "local:2", "--out", str(tmp_path / "o.gpkg")], "parquet"),
             (["--cluster", "local:2", "--scheduler", "127.0.0.1:1", "--out", str(tmp_path / "o.parquet")],
              "--scheduler")]
    for extra, word in cases:
        assert main(["pv", str(src), *extra]) == 2, extra
        err = capsys.readouterr().err
        assert word in err and any("\u4e00" <= ch <= "\u9fff" for ch in err), err
    assert main(["pv", str(tmp_path / "missing.parquet"), "--out", str(tmp_path / "o.parquet")]) == 2
    assert not (tmp_path / "o.parquet" / "parts").exists()


@pytest.mark.parametrize("processes", [True, False])
def test_local_cluster_listens_on_loopback_only(tmp_path, processes):
    """Every socket the run listens on (this process and its workers), sampled while tiles run, is on
    127.0.0.1: a planner's machine exposes nothing to its network."""
    listening: set[str] = set()

    def sample(fraction: float, message: str) -> None:
        procs = [psutil.Process(), *psutil.Process().children(recursive=True)]
        for p in procs:
            try:
                for c in p.net_connections(kind="inet"):
                    if c.status == psutil.CONN_LISTEN:
                        listening.add(c.laddr.ip)
            except psutil.Error:
                pass

    jobs = [FakeJob(i, str(tmp_path), sleep_s=0.2) for i in range(4)]
    run_on_cluster(jobs, process=fake_tile, cluster="local:2", processes=processes, progress=Progress(sample))
    assert listening and listening <= {"127.0.0.1"}, listening


def env_tile(job: FakeJob) -> dict:
    return {"tile_id": job.tile_id, "trim": os.environ.get("MALLOC_TRIM_THRESHOLD_"),
            "omp": os.environ.get("OMP_NUM_THREADS")}


def test_local_workers_keep_glibc_trimming_dynamic(tmp_path):
    """Local worker processes start without MALLOC_TRIM_THRESHOLD_ (it doubled the engine's CPU) and
    with one BLAS/OpenMP thread each (distributed's own setting, kept: one task per core)."""
    run = run_on_cluster([FakeJob(i, str(tmp_path)) for i in range(2)], process=env_tile, cluster="local:2",
                         processes=True)
    assert run.processes is True
    assert [(s["trim"], s["omp"]) for s in run.summaries] == [(None, "1"), (None, "1")]
