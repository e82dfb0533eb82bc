"""The algorithm framework: parameter and algorithm declarations (params.py, algorithm.py), the
registry, and the front ends generated from them (cli.py, docs.py; the GUI in app/gui)."""
