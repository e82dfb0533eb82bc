"""Lingtan computation core: I/O, CRS, geometry, solar, carbon, wind, classification.

Pure Python/NumPy/GeoPandas. Never imports Qt or ``app`` (checked by tests/test_layering.py).
"""
