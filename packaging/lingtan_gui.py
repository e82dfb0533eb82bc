"""Frozen entry point of ``lingtan-gui`` (windowed, no console): ``lingtan-gui [PATH]``."""

from app.gui.app import main

raise SystemExit(main())
