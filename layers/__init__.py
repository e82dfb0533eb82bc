"""Lingtan map-layer model: layers, layer tree, styles, legends, QtGui rendering.

Uses QtCore/QtGui only (no widget classes, nothing from ``app``): the canvas, PNG export and
the PDF report all draw from this model. Checked by tests/test_layering.py.
"""
