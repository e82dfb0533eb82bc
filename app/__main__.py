"""``python -m app`` runs the ``lingtan`` command line."""

from app.cli import main

raise SystemExit(main())
