"""Every export of a park's results in one call: :func:`export_all` (``lingtan export``, File →
Export in the desktop app) and :func:`export_demo` (what ``lingtan demo`` adds).

Layout of ``out_dir`` (formats chosen with ``formats``):

| format | files |
|---|---|
| shp | ``shapefile/NAME.shp`` (+ .shx .dbf .prj .cpg, ``NAME_fields.csv``, ``NAME.qml``, ``NAME.sld``) |
| gpkg | ``park.gpkg`` (every layer, QGIS default styles in ``layer_styles``) |
| geojson | ``geojson/NAME.geojson`` (RFC 7946, WGS84) |
| csv | ``csv/NAME.csv`` (UTF-8 with BOM, centroid lon/lat) |
| xlsx | ``park.xlsx`` (summary, PV, emissions, sinks, balance, indicators, townships …) |
| png | ``park_map.png`` (PV, green space, trees, boundary) and ``township_intensity.png`` |
| html | ``park.html`` (interactive, offline) |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.exports.saved import (  # noqa: F401  (re-exported: saved projects are exported too)
    ANALYSIS_KEYS,
    SECTION_LAYERS,
    export_source,
    has_analyses,
    saved_results,
)
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress
from layers.layer import VectorLayer

FORMATS = ("shp", "gpkg", "geojson", "csv", "xlsx", "png", "html")
DRAW_ORDER = ("townships", "township_intensity", "green", "green_sinks", "buildings", "rooftop_pv",
              "pv_array_area", "pv_array_tables", "pv_array_exclusions", "tree_rows", "tree_sinks",
              "wind_receptors", "wind_violations", "turbines", "boundary")
"""Bottom → top (the siting layers: app.results.RESULT_LAYER_NAMES)."""
WEB_LAYERS = ("township_intensity", "green_sinks", "rooftop_pv", "pv_array_area", "pv_array_tables",
              "pv_array_exclusions", "tree_sinks", "wind_receptors", "wind_violations", "turbines",
              "boundary")
"""The web map: results over the park (plain inputs are repeated by the result layers)."""
PARK_MAP_LAYERS = ("green_sinks", "rooftop_pv", "pv_array_area", "pv_array_tables", "pv_array_exclusions",
                   "tree_sinks", "wind_violations", "turbines", "boundary")
# relative cost of each format on the sample park (for the progress bar)
_WEIGHTS = {"shp": 1.0, "gpkg": 2.0, "geojson": 0.5, "csv": 0.3, "xlsx": 1.0, "png": 3.0, "html": 2.0}


@dataclass
class ExportResult:
    """files: format → paths written; problems: (zh, en) warnings; mappings: layer → Shapefile
    FieldMapping(s)."""

    out_dir: Path
    files: dict[str, list[Path]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    mappings: dict[str, list] = field(default_factory=dict)

    def summary(self) -> dict:
        return {"out_dir": str(self.out_dir),
                "files": {k: [str(p) for p in v] for k, v in self.files.items()},
                "renamed_fields": {k: {o: s for m in v for o, s in m.renamed.items()}
                                   for k, v in self.mappings.items()},
                "problems": [{"zh": zh, "en": en} for zh, en in self.problems]}


def parse_formats(formats: str | Iterable[str] | None) -> list[str]:
    """The formats in :data:`FORMATS` order from "shp,gpkg" or a list; "all"/None = all."""
    if formats is None:
        return list(FORMATS)
    items = formats.replace("，", ",").split(",") if isinstance(formats, str) else list(formats)
    wanted = {str(f).strip().lower().lstrip(".") for f in items if str(f).strip()}
    aliases = {"shapefile": "shp", "excel": "xlsx", "json": "geojson", "web": "html", "map": "png"}
    wanted = {aliases.get(f, f) for f in wanted}
    if "all" in wanted:
        return list(FORMATS)
    bad = sorted(wanted - set(FORMATS))
    if bad or not wanted:
        listed = ", ".join(FORMATS)
        raise InputError(f"未知的导出格式：{', '.join(bad) or '（空）'}；可选 {listed}",
                         f"Unknown export format: {', '.join(bad) or '(none)'}; choose from {listed}",
                         code="export.formats")
    return [f for f in FORMATS if f in wanted]


def _classification(results):
    """The township map's classification: the live one, else the saved summary's."""
    if getattr(results, "intensity", None) is not None:
        return results.intensity.classification
    it = results.sections.intensity
    c = it.classification if it is not None else None
    if isinstance(c, dict) and c:
        from gis.intensity.classify import Classification

        return Classification.from_dict(c)
    return None


def _units(results, lang: str) -> dict[str, str]:
    it = results.sections.intensity
    unit = it.intensity_unit if it is not None else None
    if not unit:
        return {}
    if lang == "zh":
        unit = unit.replace("10^4 yuan", "万元").replace("person", "人").replace("mu", "亩")
    return {"intensity": unit}


def result_layers(results, lang: str = "zh", names: Iterable[str] | None = None) -> list[VectorLayer]:
    """The park's and the analyses' layers, styled as everywhere in Lingtan
    (:func:`layers.presets.styled_layer`; the five-colour map with the classification's breaks,
    labels and method), bottom → top (:data:`DRAW_ORDER`)."""
    from layers.presets import styled_layer

    data = results.layers()
    wanted = list(names) if names is not None else [*DRAW_ORDER, *(n for n in data if n not in DRAW_ORDER)]
    out = []
    for name in wanted:
        gdf = data.get(name)
        if gdf is None:
            continue
        if name == "township_intensity" and _classification(results) is not None:
            out.append(styled_layer(name, gdf, lang, classification=_classification(results)))
        else:
            out.append(styled_layer(name, gdf, lang))
    return out


def _park_extent(layers: list[VectorLayer]):
    from layers.render import default_extent

    boundary = [lyr for lyr in layers if lyr.name == "boundary"]
    return default_extent(boundary, layers[0].crs, margin=0.04) if boundary else None


def export_all(results, out_dir: str | Path, formats: str | Iterable[str] | None = None,
               encoding: str = "utf-8", progress: Progress = NO_PROGRESS, *, lang: str = "zh",
               dpi: float = 200, size: tuple[int, int] = (2000, 1500), basemap=None,
               csv_wkt: bool = False) -> ExportResult:
    """Write the chosen ``formats`` (default: all of :data:`FORMATS`) of ``results`` into
    ``out_dir`` (layout in the module docstring). ``results``: a :class:`app.results.ParkResults`,
    or the ``(summary, layers)`` of a saved project (:func:`export_source`; the workbook's carbon
    sheets then come from the summary).

    encoding: Shapefile text encoding, "utf-8" or "gbk"; dpi/size: the PNG maps; basemap: tiles
    for the web map (default none: no network); csv_wkt: add WKT geometry to the CSVs.
    """
    from app.exports.images import export_png, write_layer_styles
    from app.exports.shapefile import normalise_encoding, relocate, staged_shapefiles, write_shapefiles
    from app.exports.tables import write_csv, write_geojson, write_geopackage, write_workbook
    from app.exports.web_map import write_web_map

    results = export_source(results)
    chosen = parse_formats(formats)
    encoding = normalise_encoding(encoding)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    res = ExportResult(out)
    layers = result_layers(results, lang)
    by_name = {lyr.name: lyr for lyr in layers}
    units = _units(results, lang)
    park_name = results.sections.name or getattr(results.park, "name", "") or ""
    total = sum(_WEIGHTS[f] for f in chosen)
    done = 0.0

    def step(fmt: str) -> Progress:
        nonlocal done
        a = done / total
        done += _WEIGHTS[fmt]
        progress.report(a, f"{fmt}")
        return progress.sub(a, done / total)

    for fmt in chosen:
        sub = step(fmt)
        files: list[Path] = []
        if fmt == "shp":
            folder = out / "shapefile"
            # all layers or none: a value GBK cannot hold in the last layer leaves no others behind
            with staged_shapefiles(folder) as stage:
                for i, lyr in enumerate(layers):
                    sub.report(i / max(len(layers), 1), lyr.name)
                    maps = write_shapefiles(lyr.gdf, stage / f"{lyr.name}.shp", encoding, layer=lyr.name,
                                            units=units)
                    res.mappings[lyr.name] = maps
                    for m in maps:
                        files += m.files
                        res.problems += [(f"{m.path.name}：{zh}", f"{m.path.name}: {en}")
                                         for zh, en in m.problems]
                        names = {f.original: f.short for f in m.fields}
                        if len(maps) == 1:
                            files += write_layer_styles(lyr, m.path, names)
            files = [folder / f.name for f in files]
            for maps in res.mappings.values():
                relocate(maps, folder)
        elif fmt == "gpkg":
            path = out / "park.gpkg"
            write_geopackage(path, {lyr.name: lyr.gdf for lyr in layers},
                             {lyr.name: lyr.style for lyr in layers})
            files.append(path)
        elif fmt == "geojson":
            for i, lyr in enumerate(layers):
                sub.report(i / len(layers), lyr.name)
                files.append(write_geojson(lyr.gdf, out / "geojson" / f"{lyr.name}.geojson"))
        elif fmt == "csv":
            for i, lyr in enumerate(layers):
                sub.report(i / len(layers), lyr.name)
                files.append(write_csv(lyr.gdf, out / "csv" / f"{lyr.name}.csv", wkt=csv_wkt, layer=lyr.name,
                                       units=units))
        elif fmt == "xlsx":
            files.append(write_workbook(results, out / "park.xlsx", lang, progress=sub))
        elif fmt == "png":
            w, h = size
            park = [by_name[n] for n in PARK_MAP_LAYERS if n in by_name]
            if park:
                title = (f"{park_name} 屋顶光伏与碳汇" if lang == "zh"
                         else f"{park_name}: rooftop PV and sinks")
                files.append(export_png(park, out / "park_map.png", w, h, dpi, title.strip(), lang,
                                        extent=_park_extent(park), progress=sub.sub(0.0, 0.6)))
            if "township_intensity" in by_name:
                lyr = by_name["township_intensity"]
                it = results.sections.intensity
                year = it.year if it is not None else None
                title = f"{lyr.title} {year or ''}".strip()
                files.append(export_png([lyr], out / "township_intensity.png", w, h, dpi, title, lang,
                                        progress=sub.sub(0.6, 1.0)))
        elif fmt == "html":
            web = [by_name[n] for n in WEB_LAYERS if n in by_name]
            files.append(write_web_map(web, out / "park.html", basemap=basemap, lang=lang,
                                       title=park_name or None, units=units,
                                       fit="boundary" if "boundary" in by_name else None,
                                       hidden=("township_intensity",) if "boundary" in by_name else (),
                                       progress=sub))
        res.files[fmt] = files
    progress.report(1.0, "done")
    return res


def export_demo(results, out_dir: str | Path, progress: Progress = NO_PROGRESS) -> dict[str, str]:
    """What ``lingtan demo`` adds to its outputs: the offline web map ``park.html`` and the
    Shapefiles (UTF-8, with field mappings and QGIS/SLD styles) in ``shapefile/``.
    Returns {"web_map": path, "shapefile_dir": path}."""
    res = export_all(results, out_dir, ("html", "shp"), progress=progress)
    return {"web_map": str(res.files["html"][0]), "shapefile_dir": str(Path(out_dir) / "shapefile")}
