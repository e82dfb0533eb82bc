"""Rooftop PV potential: weather, roof layouts, neighbour shading and energy (pure, no Qt).

Modules: ``weather`` (the :class:`Weather` type and readers), ``climatology`` (the offline
default for sites in China), ``pvgis`` (optional download, off by default), ``layout``
(usable roof area, row spacing, modules and kWp), ``shading`` (horizons from footprints or a
DSM), ``energy`` (pvlib chain per orientation class, shading losses) and ``rooftop`` (the
per-building job, run one partition of buildings at a time).
"""
