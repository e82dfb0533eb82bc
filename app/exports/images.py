"""PNG maps at a chosen size and resolution, and layer styles (QGIS .qml, SLD) beside exported files.

:func:`export_png` draws layers with the same renderer as the desktop map and the PDF report
(:func:`layers.render.render_image`: title, legend, north arrow, scale bar, labels) into a
``width_px`` × ``height_px`` image; ``dpi`` sizes text and symbols given in points and is
recorded in the PNG (``pHYs``: dots per metre = dpi / 0.0254), so a 2000 px map at 200 dpi
prints 254 mm wide.

:func:`write_layer_styles` writes ``NAME.qml`` (QGIS loads it automatically with ``NAME.shp``)
and ``NAME.sld`` beside a layer's file, with the style's field names translated to the file's
(short Shapefile names via the :class:`~app.exports.shapefile.FieldMapping`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path

from gis.errors import InputError
from layers.layer import VectorLayer

MAX_PX = 20000  # a 20,000 px square ARGB image is 1.6 GB: larger is a typo, not a map
MIN_PX = 16


def export_png(layers: Sequence[VectorLayer], path: str | Path, width_px: int = 2000, height_px: int = 1500,
               dpi: float = 200, title: str | None = None, lang: str = "zh", *, subtitle: str | None = None,
               extent=None, legend: bool = True, progress=None) -> Path:
    """Draw the visible ``layers`` (bottom first) into a PNG of ``width_px`` × ``height_px`` at
    ``dpi`` (recorded in the file) and write it atomically. Returns the path."""
    from layers.render import render_image, save_png

    w, h = int(width_px), int(height_px)
    if not (MIN_PX <= w <= MAX_PX and MIN_PX <= h <= MAX_PX):
        raise InputError(f"图片尺寸 {w}×{h} 像素超出范围（{MIN_PX}–{MAX_PX}）",
                         f"Image size {w}×{h} px is out of range ({MIN_PX}–{MAX_PX})", code="export.png_size")
    if not (10 <= float(dpi) <= 2400):
        raise InputError(f"分辨率 {dpi} dpi 超出范围（10–2400）",
                         f"Resolution {dpi} dpi is out of range (10–2400)", code="export.png_dpi")
    path = Path(path)
    image, _ = render_image(list(layers), w, h, extent=extent, title=title, subtitle=subtitle, legend=legend,
                            dpi=float(dpi), progress=progress, lang=lang)
    return save_png(image, path)  # atomic: a temporary name, then a rename


def renamed_style(style, names: Mapping[str, str]):
    """A copy of ``style`` whose field references (``field``, ``value_field``, ``label_field``)
    use ``names`` (original → name in the file); unchanged fields stay."""
    out = copy.deepcopy(style)
    for attr in ("field", "value_field", "label_field"):
        value = getattr(out, attr, None)
        if value is not None and value in names:
            setattr(out, attr, names[value])
    return out


def write_layer_styles(layer: VectorLayer, base: str | Path,
                       names: Mapping[str, str] | None = None) -> list[Path]:
    """Write ``BASE.qml`` and ``BASE.sld`` (``base`` without suffix, or the data file's path) for
    ``layer``'s style, field names mapped by ``names``. Returns the two paths."""
    from layers.style_export import style_qml, style_sld

    base = Path(base)
    if base.suffix.lower() in (".shp", ".gpkg", ".geojson", ".csv"):
        base = base.with_suffix("")
    style = renamed_style(layer.style, names or {})
    kind = layer.geometry_kind
    out = []
    for suffix, text in ((".qml", style_qml(style, geometry=kind)),
                         (".sld", style_sld(style, layer.name, geometry=kind))):
        p = base.with_name(base.name + suffix)
        p.write_text(text, encoding="utf-8")
        out.append(p)
    return out
