"""What the result panels beside the dashboard (Energy, Trends) share: following the workspace's
results, and showing their tab behind the dashboard when a result arrives."""

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


def offer_behind_dashboard(window, dock) -> None:
    """A result arrived without a run of the panel's own dialog (Run All, a reopened project): its
    tab appears behind the dashboard, without taking the dashboard's place."""
    if dock is not None and dock.isHidden():
        dock.show()
        window.dock_dashboard.raise_()
