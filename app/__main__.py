"""``python -m app`` runs the ``lingtan`` command line."""

from app.entry import main

raise SystemExit(main())
