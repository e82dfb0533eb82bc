"""Frozen entry point of ``lingtan`` (console): the command line, ``--self-test`` included."""

from app.entry import main

raise SystemExit(main())
