"""Frozen entry point of ``lingtan`` (console): the command line, ``--self-test`` included."""

import multiprocessing

# A Dask LocalCluster's worker processes are this program started again by multiprocessing's "spawn"
# (distributed.worker.multiprocessing-method); freeze_support runs the worker there and exits, before
# the command line starts (PyInstaller docs, "Multi-processing").
multiprocessing.freeze_support()

from app.entry import main  # noqa: E402

raise SystemExit(main())
