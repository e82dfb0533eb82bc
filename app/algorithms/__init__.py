"""The analyses declared on the processing framework, one module each (app/processing/registry.py
lists them in menu order)."""
