"""The layer tree's "Use as park layer" menu: any open vector layer can become the park's red line,
buildings, green space, tree rows, townships, roads or water. Once the red line and the buildings
are known the park is (re)built in a worker (app.park_new.new_park, the same as
``lingtan park new``) and every analysis of the Analysis menu works on it. A GeoParquet layer read by
view gives the park its file's rows inside the red line, not the view's (app.park_parquet)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.gui.tasks import TaskHandle, run_task, ui_lang
from app.park_new import ROLE_NAMES, new_park
from app.park_parquet import by_view, keep_file_layers, role_frames
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
    sources_by_role = {r: workspace.layer(name_) for r, name_ in pending.items()}
    # a GeoParquet layer read by view: the park takes its rows from the file, not the view's
    files = {r: lyr.source for r, name_ in pending.items()
             if (lyr := workspace.layer(name_)) is not None and by_view(lyr)}

    def work(progress):
        read = role_frames(frames, files, progress=progress.sub(0.0, 0.3)) if files else frames
        return new_park(read, tables, name=name, progress=progress.sub(0.3 if files else 0.0, 1.0))

    def done(new) -> None:
        with workspace.quiet():
            for lyr in sources.values():  # a file read by view stays on the map: the park is a part of it
                if lyr is not None and lyr.name not in PARK_LAYERS and not by_view(lyr):
                    workspace.remove_layer(lyr)
            keep_file_layers(workspace, PARK_LAYERS)
        # a file read by view keeps its role: a new red line takes the file's rows inside it again
        workspace.set_setting(SETTINGS_KEY, {r: lyr.name for r, lyr in sources_by_role.items()
                                             if lyr is not None and by_view(lyr)})
        workspace.set_park(new)

    title = "新建园区" if ui_lang() == "zh" else "New park"
    return run_task(parent, title, work, done, **task_kw)
