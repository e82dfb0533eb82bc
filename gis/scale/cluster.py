"""Tiles on a Dask cluster: one ``distributed`` task per tile, progress and cancel, retries.

:func:`run_on_cluster` takes the tile jobs of :mod:`gis.scale.tile_run` (anything with a ``tile_id``
and a picklable ``process(job) -> dict``) and runs them on

* a ``distributed.LocalCluster`` started here and sized to this machine (``"local"``, ``"local:N"``):
  one worker per core with one thread each — the rooftop engine is NumPy/Shapely work that holds the
  GIL for much of a tile, so processes scale where threads do not; a memory limit per worker with
  Dask's spill/pause/terminate thresholds; or
* an existing cluster (``scheduler="tcp://host:8786"``): ``distributed.Client(address)``, the same
  tasks unchanged. Its workers must have Lingtan installed and see the input and output paths
  (a shared file system), as for any Dask job reading files.

Each worker writes its tile's rows to the tile store itself (temp name + rename) and returns only a
small summary, so a worker lost mid-run loses no finished tile: the scheduler reruns the lost task
elsewhere (a lost task counts against ``distributed.scheduler.allowed-failures``, 3 by default), a
task raising an exception is retried ``retries`` times, and a rerun after an interruption skips the
tiles already in the store (``done``). Cancel cancels the pending tasks and closes the cluster.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gis.errors import InputError, Problem
from gis.progress import NO_PROGRESS, Progress

RETRIES = 2
"""Times a tile whose task raised is run again (on any worker) before it counts as failed: enough for
a transient I/O error on a shared file system; a deterministic bug fails three times and is reported."""
POLL_S = 0.1
"""s between looks at finished tasks and the cancel flag (gis/progress.py asks for ≤ 0.2 s)."""
CONNECT_TIMEOUT_S = 10.0
"""s to wait for an existing scheduler to answer before reporting it unreachable."""
MEMORY_SHARE = 0.9
"""Share of this machine's memory (cgroup limit if lower; ``distributed.system.MEMORY_LIMIT``) split
among the local workers: the rest is left to the client process and the OS. Dask's own "auto" limit
splits all of it (distributed docs, Worker Memory Management); the 10 % margin keeps the parent that
plans the tiles and merges the summaries from being squeezed."""
SPILL_THRESHOLDS = {"distributed.worker.memory.target": 0.6, "distributed.worker.memory.spill": 0.7,
                    "distributed.worker.memory.pause": 0.8, "distributed.worker.memory.terminate": 0.95}
"""Fractions of a worker's memory limit at which it spills stored results to disk, spills by process
memory, stops taking tasks and is restarted by its nanny: Dask's documented defaults (distributed docs,
"Worker Memory Management"), set explicitly so that a user's dask config cannot switch them off."""
DASK_TRIM = "65536"
"""distributed's own ``MALLOC_TRIM_THRESHOLD_`` (distributed.yaml, distributed.nanny.pre-spawn-environ)."""
WORKER_ENV = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
              "distributed.nanny.pre-spawn-environ.LINGTAN_SHADING_THREADS": "1"}
"""Start local workers with one shading thread each (``LINGTAN_SHADING_THREADS``: there is a worker
per core already, and two threads per worker put four threads on two cores) and without
distributed's ``MALLOC_TRIM_THRESHOLD_=65536``: setting it switches off
glibc's dynamic mmap threshold, so every NumPy array above 128 KiB is mmapped and unmapped again, and
the rooftop engine took 2.0× the CPU (measured here on 11 tiles of the 1M benchmark city: 152 µs per
building without it, 305 µs with it). A worker holds one tile's arrays at a time, so the memory it
would give back early is small. (None unsets a variable: distributed.nanny._get_env_variables.)"""


@dataclass(frozen=True)
class ClusterSpec:
    """Where tiles run: a local cluster of ``workers`` (None: one per core) or the scheduler at
    ``address``."""

    workers: int | None = None
    address: str | None = None

    @property
    def local(self) -> bool:
        return self.address is None


@dataclass
class ClusterRun:
    """What a cluster run did.

    summaries: the per-tile summaries the tasks returned, in finishing order; skipped: tile ids
    already done before the run; failed: {tile id: error text} of tiles that failed after retries;
    workers: worker count seen at the start; processes: local workers were processes (False:
    threads; None: an existing cluster); memory_limit_per_worker_bytes: local only; seconds: wall
    time including starting and closing the cluster; problems: notes (a fallback to threads).
    """

    summaries: list[dict] = field(default_factory=list)
    skipped: list[Hashable] = field(default_factory=list)
    failed: dict[Hashable, str] = field(default_factory=dict)
    workers: int = 0
    processes: bool | None = None
    address: str = ""
    memory_limit_per_worker_bytes: int | None = None
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)


class TilesFailed(RuntimeError):
    """Some tiles failed after their retries; the others are in the store and a rerun retries these."""

    def __init__(self, run: ClusterRun):
        self.run = run
        shown = ", ".join(f"{k}: {v}" for k, v in list(run.failed.items())[:5])
        super().__init__(f"{len(run.failed)} tile(s) failed after {RETRIES} retries ({shown})")


def parse_cluster(cluster: str | None, scheduler: str | None = None) -> ClusterSpec:
    """``"local"`` / ``"local:N"`` / None and an optional scheduler address → :class:`ClusterSpec`
    (bilingual InputError for anything else)."""
    if scheduler:
        address = scheduler.strip()
        if "://" not in address:  # dask's own default protocol (distributed.comm.core)
            address = f"tcp://{address}"
        if cluster and cluster.strip().lower() not in ("local",):
            raise InputError("--cluster 与 --scheduler 只能选一个", "Give either --cluster or --scheduler, "
                             "not both", code="cluster.either")
        return ClusterSpec(address=address)
    text = (cluster or "local").strip().lower()
    head, _, count = text.partition(":")
    if head != "local":
        raise InputError(f"--cluster “{cluster}”无法识别：应为 local 或 local:工作进程数（如 local:4）",
                         f"--cluster '{cluster}' is not understood: give local or local:WORKERS "
                         "(e.g. local:4); an existing cluster is --scheduler tcp://HOST:8786",
                         code="cluster.spec")
    if not count:
        return ClusterSpec()
    try:
        n = int(count)
    except ValueError:
        n = 0
    if n < 1:
        raise InputError(f"--cluster “{cluster}”：工作进程数应为正整数（如 local:4）",
                         f"--cluster '{cluster}': the worker count must be a whole number ≥ 1 (e.g. local:4)",
                         code="cluster.workers")
    return ClusterSpec(workers=n)


def machine_workers() -> int:
    """Workers of a default local cluster: the cores this process may use (cgroup/affinity aware,
    ``dask.system.CPU_COUNT``)."""
    from dask.system import CPU_COUNT

    return max(1, int(CPU_COUNT))


def default_memory_limit_bytes(workers: int) -> int:
    """bytes per local worker: :data:`MEMORY_SHARE` of the machine's memory split evenly."""
    from distributed.system import MEMORY_LIMIT

    return int(MEMORY_LIMIT * MEMORY_SHARE / max(1, workers))


def frozen() -> bool:
    """Running as the PyInstaller build (``sys.frozen``)."""
    return bool(getattr(sys, "frozen", False))


def start_local_cluster(workers: int, *, memory_limit_per_worker: int | str | None = None,
                        processes: bool = True):
    """A LocalCluster on 127.0.0.1 or in-process (nothing listens beyond this machine) with
    ``workers`` single-threaded workers, the memory limit and the spill thresholds."""
    import dask
    from distributed import LocalCluster

    if processes and os.environ.get("MALLOC_TRIM_THRESHOLD_") == DASK_TRIM:
        # a Nanny started with distributed's defaults earlier in this process wrote it into our own
        # environment ("poisoning the process running the Nanny", distributed.nanny) and spawned
        # workers would inherit it: see WORKER_ENV
        del os.environ["MALLOC_TRIM_THRESHOLD_"]
    limit = memory_limit_per_worker if memory_limit_per_worker is not None else \
        default_memory_limit_bytes(workers)
    # threads talk in-process ("inproc://", nothing listens at all); processes over TCP on loopback
    where = {"host": "127.0.0.1"} if processes else {}
    with dask.config.set({**SPILL_THRESHOLDS, **WORKER_ENV}):
        # the scheduler's and workers' HTTP endpoints (health, metrics) on loopback with free ports: by
        # default they bind all interfaces, and the scheduler port 8787 (taken by a second run)
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                            dashboard_address="127.0.0.1:0", worker_dashboard_address="127.0.0.1:0",
                            memory_limit=limit, silence_logs=40, **where)


def _local(spec: ClusterSpec, memory_limit_per_worker: int | str | None, processes: bool | None,
           problems: list[Problem]):
    """Start the local cluster: processes unless told otherwise; when processes cannot start (a
    frozen build without multiprocessing support, a sandbox forbidding it) threads instead, noted."""
    workers = spec.workers or machine_workers()
    if processes is False:
        return start_local_cluster(workers, memory_limit_per_worker=memory_limit_per_worker, processes=False)
    try:
        return start_local_cluster(workers, memory_limit_per_worker=memory_limit_per_worker, processes=True)
    except Exception as exc:  # any start failure: the threaded cluster still runs
        if processes is True:
            raise
        problems.append(Problem(
            "info", "cluster.threads",
            f"无法启动工作进程（{type(exc).__name__}），改用 {workers} 个线程",
            f"Worker processes could not start ({type(exc).__name__}); using {workers} threads instead"))
        return start_local_cluster(workers, memory_limit_per_worker=memory_limit_per_worker, processes=False)


def connect(address: str):
    """A Client of the scheduler at ``address`` (bilingual InputError when it does not answer)."""
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise InputError(
            f"无法连接 Dask 调度器 {address}（{type(exc).__name__}）：请确认调度器已启动（dask scheduler）"
            "且地址和端口正确",
            f"Cannot reach the Dask scheduler at {address} ({type(exc).__name__}): check that it runs "
            "(dask scheduler) and that the address and port are right", code="cluster.connect") from exc


def _process_tile(job: Any) -> dict:
    from gis.scale.tile_run import process_tile

    return process_tile(job)


def _warm_worker() -> bool:
    """Import the engine and load its compiled loops in a worker (run while the client plans the
    tiles, so the first tile does not pay for it)."""
    import numpy as np
    import shapely

    from gis.solar.shading import horizon_from_footprints

    boxes = np.array([shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)], dtype=object)
    horizon_from_footprints([[5.0, 5.0]], [5.0], [0], boxes, [5.0, 20.0], threads=1)
    return True


class _Planner:
    """``plan()`` run in a thread (planning is NumPy, Shapely and Arrow work that releases the GIL)
    while the local cluster starts."""

    def __init__(self, plan: Callable[[], tuple[Sequence[Any], Collection[Hashable]]]):
        self._plan = plan
        self.result: tuple[Sequence[Any], Collection[Hashable]] | None = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="lingtan-plan", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.result = self._plan()
        except BaseException as exc:  # handed to the caller's thread by wait()
            self.error = exc

    def wait(self, progress: Progress) -> tuple[Sequence[Any], Collection[Hashable]]:
        while self._thread.is_alive():
            progress.check()
            self._thread.join(POLL_S)
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def run_on_cluster(jobs: Sequence[Any] | Callable[[], tuple[Sequence[Any], Collection[Hashable]]], *,
                   process: Callable[[Any], dict] | None = None,
                   done: Collection[Hashable] = (), cluster: str | None = "local",
                   scheduler: str | None = None, progress: Progress = NO_PROGRESS,
                   memory_limit_per_worker: int | str | None = None, processes: bool | None = None,
                   retries: int = RETRIES) -> ClusterRun:
    """Run ``process(job)`` for every job whose ``tile_id`` is not in ``done``, one task each.

    jobs: the jobs, or a function returning ``(jobs, done)`` — the tile plan — which then runs in a
    thread while the cluster starts and its workers load the engine (the two took ~2 s each for
    1M footprints on this machine, one after the other before).
    cluster: ``"local"`` / ``"local:N"`` (N workers; default one per core); scheduler: the address of
    an existing scheduler instead. memory_limit_per_worker: bytes or a Dask size (``"4GiB"``);
    default :func:`default_memory_limit_bytes`. processes: local workers as processes (True), threads
    (False), or processes falling back to threads when they cannot start (None). process: default
    :func:`gis.scale.tile_run.process_tile`. Progress reports the share of tiles finished (skipped
    ones count as finished); cancel stops at the next :data:`POLL_S`, cancelling the pending tasks
    and closing the cluster. Raises :class:`TilesFailed` when tiles failed after retries (the others
    are done and stay in the store).
    """
    spec = parse_cluster(cluster, scheduler)
    fn = process or _process_tile
    t0 = time.perf_counter()
    run = ClusterRun()
    planner = _Planner(jobs) if callable(jobs) else None
    if not callable(jobs):
        todo, total = _todo(jobs, done, run)
        progress.report(len(run.skipped) / total if total else 0.0, "starting the cluster")
        if not todo:
            run.seconds = time.perf_counter() - t0
            progress.report(1.0, "all tiles done")
            return run
    else:
        progress.report(0.0, "planning tiles and starting the cluster")

    local = None
    try:
        if spec.local:
            local = _local(spec, memory_limit_per_worker, processes, run.problems)
            run.processes = bool(local.processes)
            run.memory_limit_per_worker_bytes = _memory_limit(local)
        from distributed import Client

        client = (Client(local, timeout=CONNECT_TIMEOUT_S) if local is not None
                  else connect(spec.address or ""))
        try:
            run.address = str(client.scheduler.address)
            run.workers = len(client.scheduler_info().get("workers", {}))
            if local is not None and fn is _process_tile:
                client.run(_warm_worker)
            if planner is not None:
                all_jobs, done = planner.wait(progress)
                todo, total = _todo(all_jobs, done, run)
            if todo:
                _gather(client, todo, fn, retries, run, total, progress)
            else:
                progress.report(1.0, "all tiles done")
        finally:
            client.close()
    finally:
        if local is not None:
            local.close()
        run.seconds = time.perf_counter() - t0
    if run.failed:
        raise TilesFailed(run)
    return run


def _todo(jobs: Sequence[Any], done: Collection[Hashable], run: ClusterRun) -> tuple[list[Any], int]:
    """The jobs not yet done (those done are recorded as skipped) and the number of all jobs."""
    done_set = set(done)
    run.skipped = [j.tile_id for j in jobs if j.tile_id in done_set]
    return [j for j in jobs if j.tile_id not in done_set], len(jobs)


def _memory_limit(local) -> int | None:
    limits = [getattr(w, "memory_manager", None) for w in local.workers.values()]
    for m in limits:
        if m is not None and getattr(m, "memory_limit", None):
            return int(m.memory_limit)
    nanny_limits = [getattr(w, "memory_limit", None) for w in local.workers.values()]
    return int(nanny_limits[0]) if nanny_limits and nanny_limits[0] else None


def _gather(client, todo: Sequence[Any], fn: Callable[[Any], dict], retries: int, run: ClusterRun,
            total: int, progress: Progress) -> None:
    """Submit one task per job and collect them as they finish, reporting progress; on cancel
    cancel what is pending and re-raise."""
    from distributed import as_completed

    token = uuid.uuid4().hex[:8]  # keys unique per run: an existing scheduler may hold another run's
    # the largest tiles first (priority = expected cost), so that no big tile is left for the end
    # while the other workers sit idle
    futures = {client.submit(fn, job, retries=retries, pure=False, key=f"tile-{job.tile_id}-{token}",
                             priority=int(getattr(job, "n_core", 0))): job.tile_id for job in todo}
    pending = set(futures)
    finished = len(run.skipped)
    ac = as_completed(futures)
    try:
        while pending:
            progress.check()
            batch = ac.next_batch(block=False)
            if not batch:
                time.sleep(POLL_S)
                continue
            for fut in batch:
                pending.discard(fut)
                tile_id = futures[fut]
                if fut.status == "error":
                    run.failed[tile_id] = repr(fut.exception())
                else:
                    run.summaries.append(fut.result())
                finished += 1
                progress.report(finished / total, f"tile {finished}/{total} ({run.workers} workers)")
    except BaseException:
        client.cancel(list(pending), force=True)
        raise
    finally:
        ac.clear()
