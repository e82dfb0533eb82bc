"""Every result of a park as Shapefile, GeoPackage, GeoJSON, CSV, Excel, PNG maps, QGIS/SLD styles and
an offline interactive web map, in one folder (``lingtan export``; :func:`app.exports.export_all`,
layout and formats: docs/exports.md)."""

from __future__ import annotations

from pathlib import Path

from app.algorithms.report import LANGS, PROJECT, SAMPLE, project_results, source_name
from app.exports.export_all import FORMATS
from app.exports.images import MAX_PX, MIN_PX
from app.processing.algorithm import Algorithm, AlgorithmOutput, Inputs, OutputFile, first
from app.processing.params import Param, ParamValues
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress

_FORMAT_NAMES = {
    "shp": ("Shapefile（含 .cpg、字段对照表、QGIS/SLD 样式）",
            "Shapefile (with .cpg, field mapping, QGIS/SLD styles)"),
    "gpkg": ("GeoPackage（全部图层与 QGIS 样式）", "GeoPackage (every layer, QGIS styles)"),
    "geojson": ("GeoJSON（WGS84）", "GeoJSON (WGS84)"),
    "csv": ("CSV（UTF-8 带 BOM）", "CSV (UTF-8 with BOM)"),
    "xlsx": ("Excel 工作簿", "Excel workbook"),
    "png": ("PNG 地图", "PNG maps"),
    "html": ("离线网页地图", "offline web map"),
}
# the other spellings app.exports.export_all.parse_formats takes
_FORMAT_ALIASES = (("shapefile", "shp"), ("excel", "xlsx"), ("json", "geojson"), ("web", "html"),
                   ("map", "png"), *((f".{f}", f) for f in FORMATS))

EXPORT_PARAMS = (
    SAMPLE,
    Param("formats", "choices", ",".join(FORMATS), "导出格式", "Formats",
          choices=[(f, *_FORMAT_NAMES[f]) for f in FORMATS], aliases=_FORMAT_ALIASES, metavar="LIST",
          help_zh="要写出的格式，逗号分隔（all 为全部）", help_en="comma-separated formats to write (or all)",
          source="all: a GIS department, an Excel user and a browser each find their file"),
    Param("encoding", "choice", "utf-8", "Shapefile 编码", "Shapefile encoding", metavar="utf-8|gbk",
          choices=(("utf-8", "UTF-8（QGIS、ArcGIS 10 及以上）", "UTF-8 (QGIS, ArcGIS 10+)"),
                   ("gbk", "GBK（旧版 ArcGIS、MapGIS：.cpg 936，DBF 语言字节 0x4D）",
                    "GBK (older ArcGIS and MapGIS: .cpg 936, DBF language byte 0x4D)")),
          aliases=(("utf8", "utf-8"), ("utf_8", "utf-8"), ("65001", "utf-8"), ("cp936", "gbk"),
                   ("936", "gbk"), ("gb2312", "gbk")),
          help_zh="Shapefile 属性文字编码：utf-8（QGIS、ArcGIS 10 及以上），旧版 ArcGIS 和 MapGIS 用 gbk",
          help_en="Shapefile text encoding: utf-8 (QGIS, ArcGIS 10+), or gbk for older ArcGIS and MapGIS "
                  "(.cpg 936, DBF language byte 0x4D)",
          source="utf-8: QGIS and ArcGIS 10+ read it from the .cpg (docs/exports.md)"),
    Param("dpi", "float", 200.0, "PNG 分辨率", "PNG resolution", unit="dpi", minimum=10.0, maximum=2400.0,
          metavar="DPI", help_zh="PNG 地图的分辨率（写入文件；决定文字和符号大小）",
          help_en="resolution of the PNG maps, dots per inch (recorded in the file; sizes text and symbols)",
          source="200 dpi: the default size prints 25 × 19 cm; range: app/exports/images.py export_png"),
    Param("size", "pair", (2000, 1500), "PNG 尺寸（宽x高）", "PNG size (width x height)", unit="px",
          minimum=MIN_PX, maximum=MAX_PX, pair_type=int, metavar="WxH", help_zh="PNG 地图的像素尺寸",
          help_en="size of the PNG maps in pixels",
          source="4:3, 2000 px wide: a full-screen slide; range: app/exports/images.py MIN_PX–MAX_PX"),
    Param("lang", "choice", "zh", "语言", "Language", choices=LANGS, metavar="zh|en",
          help_zh="表头、图例、地图和网页弹窗的语言", help_en="language of headers, legends, maps and popups",
          source="zh: as the report, for Chinese authorities"),
    Param("csv_wkt", "bool", False, "CSV 附 WKT 几何", "WKT geometry in the CSVs",
          help_zh="在 CSV 中加入 WKT 几何（WGS84 经纬度）",
          help_en="add the geometry as WKT (WGS84 lon/lat) to the CSVs",
          source="off: the centroid lon/lat columns are what a spreadsheet reads"),
    Param("basemap", "text", None, "网页地图底图", "Web map basemap", optional=True, metavar="URL",
          help_zh="网页地图的 XYZ 瓦片地址模板（{z}/{x}/{y}）；给出时网页从互联网加载瓦片",
          help_en="XYZ tile URL template ({z}/{x}/{y}) for the web map; the page then loads tiles from the "
                  "internet",
          auto_zh="无底图，完全离线", auto_en="no basemap, fully offline", advanced=True),
    Param("basemap_attribution", "text", None, "底图署名", "Basemap attribution", optional=True,
          metavar="TEXT", help_zh="--basemap 底图的署名（如 © OpenStreetMap contributors）",
          help_en="attribution shown for --basemap (e.g. '© OpenStreetMap contributors')",
          auto_zh="无", auto_en="none", advanced=True),
)


def export_results(project: Path | None, sample: bool, progress: Progress = NO_PROGRESS):
    """What to export: the ParkResults of the sample park or a .json project (analysed now), or a saved
    .lingtan.gpkg project's results — its saved layers and summary as they are
    (:func:`app.exports.export_all.saved_results`, nothing re-run), or, when it holds no results,
    its park analysed with the project's stored choices (factor set, indicator set, weather,
    module, losses, tilt/azimuth, grid factor: :mod:`app.analysis_settings`)."""
    from app.results import AnalysisOptions, run_park_analyses
    from gis.park import load_park, load_sample_park

    if sample:
        park = load_sample_park(progress.sub(0.0, 0.15))
        options = AnalysisOptions()
    elif project is None:
        raise InputError("请给出项目文件（PROJECT.json 或 .lingtan.gpkg），或用 --sample",
                         "Give a project file (PROJECT.json or .lingtan.gpkg), or --sample",
                         code="export.inputs")
    elif Path(project).name.lower().endswith(".gpkg"):
        from app.analysis_settings import run_project_analyses
        from app.exports.export_all import saved_results
        from app.project_file import load_project

        ws = load_project(project, progress.sub(0.0, 0.15))
        saved = saved_results(ws)
        if saved is not None:
            return saved
        if ws.park is None:
            raise InputError("项目中既没有分析结果，也没有园区红线和建筑，无法导出",
                             "The project holds neither results nor a park boundary and buildings to export",
                             path=str(project), code="export.no_park")
        return run_project_analyses(ws.park, ws, progress.sub(0.15, 1.0))
    else:
        from app.project import read_project

        sources, opts = read_project(Path(project))
        park = load_park(sources, progress.sub(0.0, 0.15))
        options = AnalysisOptions.from_project(opts)
    return run_park_analyses(park, options, progress.sub(0.15, 1.0))


def load_results(args, progress: Progress = NO_PROGRESS):
    """:func:`export_results` of parsed arguments (anything with ``project`` and ``sample``)."""
    return export_results(args.project, args.sample, progress)


def describe_export(summary: dict) -> list[str]:
    """The files written by format (the first three of each), renamed Shapefile fields, notes."""
    lines = []
    for fmt, files in summary["files"].items():
        shown = ", ".join(files[:3]) + (f" … (+{len(files) - 3})" if len(files) > 3 else "")
        lines.append(f"{fmt}: {shown}")
    renamed = {k: v for k, v in summary.get("renamed_fields", {}).items() if v}
    if renamed:
        n = sum(len(v) for v in renamed.values())
        lines.append(f"Shapefile 字段改名 renamed fields: {n}（见 see *_fields.csv）")
    for p in summary.get("problems", []):
        lines.append(f"注意 Note: {p['zh']} / {p['en']}")
    return lines


def _write_export(output: AlgorithmOutput, path: Path | None, values: ParamValues,
                  progress: Progress = NO_PROGRESS) -> tuple[dict, list[str]]:
    """The chosen formats into the folder ``path``; the summary printed: the files by format, the
    renamed Shapefile fields and the warnings."""
    from app.exports.export_all import export_all

    assert path is not None  # --out is required
    basemap = (values.basemap, values.basemap_attribution or "") if values.basemap else None
    res = export_all(output.result, path, values.formats, values.encoding, progress, lang=values.lang,
                     dpi=values.dpi, size=values.size, basemap=basemap, csv_wkt=values.csv_wkt)
    summary = res.summary()
    return summary, _describe(summary)


def _describe(s: dict) -> list[str]:
    return [f"导出 Exported to {s['out_dir']}", *describe_export(s)] if "files" in s else []


class Export(Algorithm):
    id = "export"
    cli_alias = "export"
    title_zh, title_en = "导出全部结果", "Export all results"
    group_zh, group_en = "报告与导出", "Report and export"
    summary_zh = ("运行园区的各项分析（屋顶光伏、碳排放、碳汇、碳平衡、指标、乡镇五色图）——或用保存的项目中"
                  "的结果（没有结果的 .lingtan.gpkg 按其中保存的设置分析），桌面程序中默认用打开的项目的"
                  "分析结果——写入输出文件夹：shapefile/*.shp（含 .cpg、.prj、字段对照 NAME_fields.csv 和 "
                  "QGIS .qml/.sld 样式）、park.gpkg（全部图层与 QGIS 默认样式）、geojson/*.geojson"
                  "（RFC 7946，WGS84）、csv/*.csv（UTF-8 带 BOM）、park.xlsx（汇总、逐栋光伏、企业排放、"
                  "碳汇、碳平衡、指标、乡镇）、park_map.png 和 township_intensity.png，"
                  "以及离线可用的交互网页地图 park.html。见 docs/exports.md。")
    summary_en = ("Run the analyses of a park (rooftop PV, emissions, sinks, balance, indicators, "
                  "five-colour township map) — or take a saved project's results as saved (a "
                  ".lingtan.gpkg without results is analysed with its stored settings; in the desktop "
                  "app, the open project's results) — and write them into OUT: shapefile/*.shp (with "
                  ".cpg, .prj, a field-name mapping NAME_fields.csv and QGIS .qml/.sld styles), park.gpkg "
                  "(all layers, QGIS default styles), geojson/*.geojson (RFC 7946, WGS84), csv/*.csv "
                  "(UTF-8 with BOM), park.xlsx (summary, PV per building, emissions per enterprise, sinks, "
                  "balance, indicators, townships), park_map.png and township_intensity.png, and "
                  "park.html (interactive map that works offline). See docs/exports.md.")
    inputs = (PROJECT,)
    params = EXPORT_PARAMS
    output_file = OutputFile((), "DIR", "output folder (created if missing)", _write_export, folder=True,
                             writing_share=0.4, gui=True)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        project = first(inputs.get("project"))
        results = project_results(project, params.sample, export_results, progress)
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, results, {}, {"project": source_name(project, params.sample)})

    def describe(self, s: dict) -> list[str]:
        return _describe(s)
