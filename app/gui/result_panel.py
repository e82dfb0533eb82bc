"""What the result panels beside the dashboard (Energy, Trends, Pathways, Five-colour) share:
following the workspace's results, a page that scrolls in a narrow dock, and showing their tab
behind the dashboard when a result arrives."""

from __future__ import annotations


class FollowsWorkspace:
    """Mixin for a panel with ``refresh()``: ``bind(workspace)`` shows the workspace's result now and
    whenever its results or park change. The panel sets ``workspace`` and ``_unsubscribe`` to None."""

    workspace = None
    _unsubscribe = None

    def bind(self, workspace, _canvas=None) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.workspace = workspace
        if workspace is not None and hasattr(workspace, "changed"):
            self._unsubscribe = workspace.changed.connect(self._on_workspace_changed)
        self.refresh()

    def _on_workspace_changed(self, ws, what: str) -> None:
        if ws is self.workspace and what in ("results", "park"):
            self.refresh()

    def refresh(self) -> None:  # pragma: no cover - each panel has its own
        raise NotImplementedError


class FollowsSummarySection(FollowsWorkspace):
    """A panel drawing one section of ``workspace.summary`` (``SECTION``): ``set_summary(section)``
    when it changes, ``set_summary(None)`` when it goes; ``has_result`` is emitted for a new one."""

    SECTION = ""
    section: dict | None = None  # the section shown (each panel sets it)

    def refresh(self) -> None:
        ws = self.workspace
        s = (getattr(ws, "summary", None) or {}).get(self.SECTION) if ws is not None else None
        if not isinstance(s, dict):
            if self.section:
                self.set_summary(None)
            return
        if s != self.section:
            self.set_summary(s)
            self.has_result.emit()

    def set_summary(self, section: dict | None) -> None:  # pragma: no cover - each panel has its own
        raise NotImplementedError


def scrolled_page(panel, *widgets) -> None:
    """Lay ``widgets`` out top to bottom in a scroll area that fills ``panel``: a narrow or short
    dock scrolls instead of squeezing the charts."""
    from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

    inner = QWidget()
    lay = QVBoxLayout(inner)
    for w in widgets:
        lay.addWidget(w)
    lay.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(inner)
    root = QVBoxLayout(panel)
    root.setContentsMargins(0, 0, 0, 0)
    root.addWidget(scroll)


def offer_behind_dashboard(window, dock) -> None:
    """A result arrived without a run of the panel's own dialog (Run All, a reopened project): its
    tab appears behind the dashboard, without taking the dashboard's place."""
    if dock is not None and dock.isHidden():
        dock.show()
        window.dock_dashboard.raise_()
