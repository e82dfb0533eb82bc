"""Lingtan application layer: the ``lingtan`` command line and (later) the Qt desktop app."""

__version__ = "0.1.0"
