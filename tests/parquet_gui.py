"""Helpers of the GeoParquet GUI tests: open a file as a layer read by view, and wait for a view."""

from __future__ import annotations


def opened(window, qtbot, path, monkeypatch, crs: str, max_features: int = 1500):
    """Open ``path`` in ``window`` as a ParquetLayer drawing at most ``max_features`` rows in full,
    with the map in ``crs``; returns the layer."""
    import layers.parquet_source as ps
    from app.gui.open_data import open_files

    monkeypatch.setattr(ps, "MAX_FEATURES", max_features)
    (handle,) = open_files(window, [path])
    assert handle.wait(60) and handle.state == "done", handle.error
    layer = next(ly for ly in window.workspace.tree.layers() if isinstance(ly, ps.ParquetLayer))
    qtbot.waitUntil(lambda: window.canvas.extent() is not None, timeout=5000)
    window.canvas.set_crs(crs)
    return layer


def show_view(window, qtbot, layer, view):
    """Set the map's extent and wait until the layer shows the rows for it; returns the extent."""
    window.canvas.set_extent(view)
    shown = window.canvas.extent()
    f = layer.follower

    def settled() -> bool:
        idle = not f.timer.isActive() and not f.pending and (f.handle is None or f.handle.state != "running")
        return idle and layer.read_view(shown) is None

    qtbot.waitUntil(settled, timeout=20000)
    return shown
