"""Frozen entry point of ``lingtan`` (console): the command line, ``--self-test`` included."""

from app.cli import main

raise SystemExit(main())
