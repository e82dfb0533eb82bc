"""Results as a saved project holds them (summary and layers, no computed objects), for the exports
and the report: :func:`saved_results` of a reopened project and :func:`export_source`, which turns
what a caller has into the :class:`~app.results.ParkResults` the exports take."""

from __future__ import annotations

from app.results import ParkResults
from app.summaries import ParkSummary

ANALYSIS_KEYS = ("pv", "carbon", "intensity")
"""Summary sections the analyses write (``summarise_park`` alone writes none of them)."""
SECTION_LAYERS = {"pv": ("rooftop_pv",), "intensity": ("township_intensity",)}
"""The result layer a summary section comes with (carbon's sink layers exist only where the park
has green space or tree rows, so they are not required)."""


def has_analyses(summary: dict | ParkSummary | None) -> bool:
    """True when ``summary`` (JSON dict or typed) holds analysis results, not only the park's
    figures."""
    s = ParkSummary.from_dict(summary)
    return any(getattr(s, k) is not None or k in s.nulls for k in ANALYSIS_KEYS)


def export_source(source) -> object:
    """What :func:`export_all` exports: a :class:`~app.results.ParkResults` as it is; a
    ``(summary, layers)`` pair (layers: name → GeoDataFrame or VectorLayer, or a list of
    VectorLayers) or a workspace without live results as saved results
    (:meth:`app.results.ParkResults.from_saved`)."""
    if isinstance(source, tuple) and len(source) == 2:
        summary, layers = source
    elif hasattr(source, "tree") and hasattr(source, "summary"):  # app.workspace.Workspace
        if getattr(source, "results", None) is not None:
            return source.results
        summary, layers = source.summary, _workspace_layers(source)
    else:
        return source
    if not isinstance(layers, dict):
        layers = {lyr.name: lyr for lyr in layers}
    layers = {k: (v.gdf if hasattr(v, "gdf") else v) for k, v in layers.items()}
    return ParkResults.from_saved(summary, layers)


def saved_results(workspace) -> ParkResults | None:
    """The saved results of a reopened project (its summary and layers), or None when it has
    none to export: no analysis section in the summary, or a section's result layer missing
    (:data:`SECTION_LAYERS`) — then the analyses must run again."""
    summary = ParkSummary.from_dict(workspace.summary)
    if not has_analyses(summary):
        return None
    data = _workspace_layers(workspace)
    for key, names in SECTION_LAYERS.items():
        if (getattr(summary, key) is not None or key in summary.nulls) and not all(n in data for n in names):
            return None
    return ParkResults.from_saved(summary, data)


def _workspace_layers(workspace) -> dict:
    """The park's input layers (also those not in the tree) and the tree's vector layers."""
    park = getattr(workspace, "park", None)
    data = dict(park.layers()) if park is not None else {}
    data.update({lyr.name: lyr.gdf for lyr in workspace.tree.layers()
                 if getattr(lyr, "gdf", None) is not None})
    return data
