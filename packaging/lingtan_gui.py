"""Frozen entry point of ``lingtan-gui`` (windowed, no console): ``lingtan-gui [PATH]``."""

import multiprocessing

# Worker processes of a Dask LocalCluster started from the GUI (tiled rooftop PV) are this program
# started again; freeze_support runs the worker there and exits before any window opens.
multiprocessing.freeze_support()

from app.gui.app import main  # noqa: E402

raise SystemExit(main())
