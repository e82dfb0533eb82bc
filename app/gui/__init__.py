"""The Lingtan desktop application (PySide6 widgets): main window, map canvas, panels."""
