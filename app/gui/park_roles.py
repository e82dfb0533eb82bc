"""The layer tree's "Use as park layer" menu: any open vector layer can become the park's red line,
buildings, green space, tree rows, townships, roads or water. Once the red line and the buildings
are known the park is (re)built in a worker (app.park_new.new_park, the same as
``lingtan park new``) and every analysis of the Analysis menu works on it."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.gui.tasks import TaskHandle, run_task, ui_lang
from app.park_new import ROLE_NAMES, new_park
from gis.park import PARK_LAYERS, PARK_TABLES

SETTINGS_KEY = "park_roles"
"""``settings["park_roles"]``: {role: layer name} chosen while the park is still incomplete."""


def role_title(role: str, lang: str | None = None) -> str:
    zh, en = ROLE_NAMES[role]
    return zh if (lang or ui_lang()) == "zh" else en


def pending_roles(workspace) -> dict[str, str]:
    """The roles chosen for layers that are not yet part of a park."""
    return dict(workspace.settings.get(SETTINGS_KEY) or {})


def assign_role(parent: QWidget | None, workspace, layer, role: str, **task_kw) -> TaskHandle | None:
    """Make ``layer`` play ``role`` in the park. Returns the task that builds the park, or None
    while the red line or the buildings are still missing (the choice is kept)."""
    if role not in PARK_LAYERS:
        raise ValueError(role)
    frames = dict(workspace.park.layers()) if workspace.park is not None else {}
    pending = pending_roles(workspace)
    for r, name in pending.items():
        lyr = workspace.layer(name)
        if lyr is not None:
            frames[r] = lyr.gdf
    frames[role] = layer.gdf
    pending[role] = layer.name
    workspace.set_setting(SETTINGS_KEY, pending)
    if "boundary" not in frames or "buildings" not in frames:
        return None
    park = workspace.park
    tables = {k: getattr(park, k) for k in PARK_TABLES if park is not None and getattr(park, k) is not None}
    name = park.name if park is not None else None
    sources = {name_: workspace.layer(name_) for name_ in pending.values()}

    def work(progress):
        return new_park(frames, tables, name=name, progress=progress)

    def done(new) -> None:
        with workspace.quiet():
            for lyr in sources.values():
                if lyr is not None and lyr.name not in PARK_LAYERS:
                    workspace.remove_layer(lyr)
        workspace.set_setting(SETTINGS_KEY, {})
        workspace.set_park(new)

    title = "新建园区" if ui_lang() == "zh" else "New park"
    return run_task(parent, title, work, done, **task_kw)
