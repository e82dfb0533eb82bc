"""GeoPackage, GeoJSON, CSV and the Excel workbook of a park's results.

* :func:`write_geopackage`: every layer in one file (:func:`app.outputs.write_gpkg`) plus QGIS's
  ``layer_styles`` table, so QGIS opens each layer in its Lingtan style.
* :func:`write_geojson`: RFC 7946 — WGS84 longitude/latitude (EPSG:4326, x = lon), polygons
  counter-clockwise, coordinates with 7 decimals (≈ 1 cm), UTF-8.
* :func:`write_csv`: UTF-8 with a byte-order mark (Excel on Chinese Windows then reads the
  Chinese right), one row per feature; optional ``lon``/``lat`` of each feature's centroid
  (WGS84, computed in a metric CRS) and ``wkt`` (WGS84 lon/lat WKT).
* :func:`write_workbook`: 汇总 summary, per-building PV, per-enterprise emissions, emissions by
  fuel, sinks, balance, indicators, townships, factors and problems — Chinese headers with units
  ("年发电量 kWh/yr"), header row frozen, columns sized, numbers stored as numbers with a display
  format; formula-like text (starting with = + - @) is stored as text, never a formula (in CSV
  files it gets a leading apostrophe, OWASP's advice); all Excel goes through :func:`app.xlsx.write_xlsx`.

All writers replace their file atomically.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from app.outputs import _text_columns, _tmp_beside
from app.summaries import (
    BalanceLines,
    BuildingFacts,
    CarbonSummary,
    EmissionsSummary,
    IntensitySummary,
    ParkSummary,
)
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress
from layers.fields import field_info, header

GEOJSON_DECIMALS = 7  # GDAL's RFC 7946 default: 1e-7° ≈ 1 cm
WKT_DECIMALS = 7


def _replace(tmp: Path, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except PermissionError as exc:
        raise InputError(f"无法覆盖 {path.name}：文件可能正在其他程序中打开，请关闭后重试",
                         f"Cannot replace {path.name}: it may be open in another program; close it and retry",
                         path=str(path), code="output.locked") from exc


# ---- GeoPackage ------------------------------------------------------------------------------------

def write_geopackage(path: str | Path, layers: Mapping[str, gpd.GeoDataFrame],
                     styles: Mapping[str, object] | None = None) -> Path:
    """All ``layers`` (name → data) in one GeoPackage, plus a QGIS ``layer_styles`` row (QML and
    SLD, used as the default style) for each layer in ``styles`` (name → Lingtan style)."""
    from app.outputs import write_gpkg
    from layers.layer import geometry_kind
    from layers.style_export import style_qml, style_sld

    path = Path(path)
    tmp = _tmp_beside(path)
    try:
        write_gpkg(tmp, dict(layers))
        if styles:
            with sqlite3.connect(tmp) as con:
                geom_cols = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
                con.execute("""CREATE TABLE IF NOT EXISTS layer_styles (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256),
                    f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256),
                    styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN,
                    description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT
                    (strftime('%Y-%m-%dT%H:%M:%fZ','now')))""")
                con.execute("INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier) "
                            "VALUES ('layer_styles', 'attributes', 'layer_styles')")
                for name, style in styles.items():
                    if name not in layers or style is None:
                        continue
                    gdf = layers[name]
                    kind = geometry_kind(gdf.geometry.to_numpy()) if len(gdf) else "polygon"
                    con.execute("INSERT INTO layer_styles (f_table_catalog, f_table_schema, "
                                "f_table_name, f_geometry_column, styleName, styleQML, styleSLD, "
                                "useAsDefault, description, owner, ui) "
                                "VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', '')",
                                (name, geom_cols.get(name, "geom"), name, style_qml(style, geometry=kind),
                                 style_sld(style, name, geometry=kind), f"Lingtan style of {name}"))
        _replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# ---- GeoJSON ----------------------------------------------------------------------------------------

def write_geojson(gdf: gpd.GeoDataFrame, path: str | Path, *, decimals: int = GEOJSON_DECIMALS) -> Path:
    """``gdf`` as an RFC 7946 GeoJSON file (WGS84 lon/lat, ``decimals`` places)."""
    import pyogrio

    path = Path(path)
    if gdf.crs is None:
        raise InputError("图层没有坐标系，无法导出 GeoJSON（需要换算为经纬度）",
                         "The layer has no CRS: it cannot be exported as GeoJSON (which is in lon/lat)",
                         path=str(path), code="export.no_crs")
    out = _text_columns(gdf.to_crs(4326))
    tmp = _tmp_beside(path)
    try:
        pyogrio.write_dataframe(out, tmp, driver="GeoJSON",
                                layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": str(decimals),
                                               "WRITE_NAME": "NO"})
        _replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# ---- CSV --------------------------------------------------------------------------------------------

def centroid_lonlat(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude (WGS84) of each feature's centroid, computed in its metric CRS
    (:func:`gis.crs.metric_crs_for`); NaN for empty geometries."""
    from gis.crs import metric_crs_for

    g = gdf.geometry
    metric = metric_crs_for(gdf)
    if metric is not None and metric != gdf.crs:
        g = g.to_crs(metric)
    c = g.centroid.to_crs(4326)
    return c.x.to_numpy(), c.y.to_numpy()


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text a spreadsheet would run as a formula (``=1+1``, ``@SUM(…)``,
    ``+cmd``…; :func:`app.xlsx.is_formula_like`) prefixed with an apostrophe, OWASP's advice for
    CSV injection: Excel and LibreOffice then show the text as written. Headers too."""
    from app.xlsx import is_formula_like

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            values = out[col]
            mask = values.map(lambda v: isinstance(v, str) and is_formula_like(v)).to_numpy(bool)
            if mask.any():
                out[col] = values.astype(object).where(~mask, "'" + values.astype(str))
    out.columns = ["'" + str(c) if is_formula_like(str(c)) else c for c in out.columns]
    return out


def write_csv(gdf: gpd.GeoDataFrame | pd.DataFrame, path: str | Path, *, lonlat: bool = True,
              wkt: bool = False, headers: str = "field", lang: str = "zh", layer: str | None = None,
              units: Mapping[str, str] | None = None) -> Path:
    """The attribute table as CSV (UTF-8 with BOM), one row per feature.

    lonlat: add ``lon``/``lat`` columns (WGS84 centroid, 7 decimals); wkt: add ``wkt`` (the
    geometry in WGS84 lon/lat, 7 decimals). headers: "field" (the field names, for re-import) or
    "label" (Chinese/English label with unit, for reading).
    """
    path = Path(path)
    is_geo = isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf.columns
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)) if is_geo else pd.DataFrame(gdf).copy()
    if is_geo and gdf.crs is not None and (lonlat or wkt):
        if lonlat:
            lon, lat = centroid_lonlat(gdf)
            frame["lon"] = np.round(lon, 7)
            frame["lat"] = np.round(lat, 7)
        if wkt:
            geoms = gdf.geometry.to_crs(4326).to_numpy()
            frame["wkt"] = shapely.to_wkt(geoms, rounding_precision=WKT_DECIMALS, trim=True)
    if headers == "label":
        frame.columns = [header(str(c), lang, layer, units=dict(units or {})) for c in frame.columns]
    elif headers != "field":
        raise ValueError(f"headers must be 'field' or 'label', not {headers!r}")
    frame = neutralise_formulas(frame)
    tmp = _tmp_beside(path)
    try:
        frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        _replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


# ---- Excel workbook ---------------------------------------------------------------------------------

def _number_format(decimals: int | None) -> str:
    if decimals is None:
        return "General"
    return "#,##0" if decimals == 0 else "#,##0." + "0" * decimals


def labelled_table(frame: pd.DataFrame, lang: str = "zh", layer: str | None = None, *,
                   units: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, dict[str, str]]:
    """``frame`` with headers "label unit" (:func:`layers.fields.header`) and the Excel number
    format of each numeric column from the field's decimals."""
    names, formats = [], {}
    used: set[str] = set()
    for c in frame.columns:
        h = header(str(c), lang, layer, units=dict(units or {}))
        if h in used:  # two fields with the same label (area_m2 / area_ha differ by unit; others not)
            h = f"{h} ({c})"
        used.add(h)
        names.append(h)
        info = field_info(str(c), layer)
        if info is not None and pd.api.types.is_float_dtype(frame[c].dtype):
            formats[h] = _number_format(info.decimals)
    out = frame.copy()
    out.columns = names
    return out, formats


def write_sheets(path: str | Path, sheets: Mapping[str, pd.DataFrame],
                 formats: Mapping[str, Mapping[str, str]] | None = None, *, max_width: int = 60,
                 progress: Progress = NO_PROGRESS) -> Path:
    """Write ``sheets`` (name → table) to an .xlsx with :func:`app.xlsx.write_xlsx` (Lingtan's one
    Excel writer: atomic, streaming, bold frozen header, auto filter, sized columns, numbers with
    ``formats[sheet][column]``, formula-like text in header and body stored as text).
    InputError over Excel's row limit (advising the CSV or GeoPackage)."""
    from app.xlsx import write_xlsx

    return write_xlsx(path, sheets, formats, max_width=max_width, progress=progress,
                      too_many_rows_hint=("请改用 CSV 或 GeoPackage", "Use the CSV or the GeoPackage"))


def summary_rows(results, lang: str = "zh") -> pd.DataFrame:
    """The 汇总 sheet: one key figure per row (项目, item, 数值, 单位, 说明), from the results' typed
    summary (:attr:`app.results.ParkResults.sections`)."""
    s = results.sections
    rows: list[tuple] = []

    def add(zh, en, value, unit="", note=""):
        if value is not None:
            rows.append((zh, en, value, unit, note))

    p = s.park
    add("园区", "park", p.name)
    add("面积", "area", p.area_km2, "km²")
    add("面积", "area", p.area_mu, "亩 mu")
    add("坐标系", "CRS", p.work_crs)
    b = s.facts.buildings or BuildingFacts()
    add("建筑数", "buildings", b.count, "栋")
    add("建筑占地面积", "building footprint", b.footprint_m2, "m²")
    add("屋顶面积", "roof area", b.roof_m2, "m²")
    add("建筑密度", "building coverage", b.building_coverage_pct, "%")
    g = s.facts.green
    if g:
        add("绿地面积", "green space", g.total_m2, "m²")
        add("绿地率", "green ratio", g.green_ratio_pct, "%")
    t = s.facts.tree_rows
    if t:
        add("行道树", "street trees", t.get("trees"), "株",
            f"{t.get('count')} 行 rows, {t.get('length_m')} m")
    pv = s.pv
    if pv:
        add("屋顶光伏装机容量", "rooftop PV capacity", pv.kwp, "kWp")
        add("屋顶光伏年发电量", "rooftop PV energy", pv.kwh_yr, "kWh/yr")
        add("等效利用小时", "specific yield", pv.kwh_per_kwp, "kWh/kWp")
        add("遮挡损失", "shading loss", pv.shade_loss_pct, "%")
        add("光伏年减排量", "PV avoided CO2", pv.t_co2_yr, "tCO2/yr")
        add("组件数", "modules", pv.modules, "块", f"{pv.module_w} W")
        add("气象数据", "weather", pv.weather_source)
    c = s.carbon or CarbonSummary()
    tot = (c.emissions.total if c.emissions else None) or {}
    if tot:
        y = tot.get("year")
        add("碳排放总量", "total emissions", tot.get("t_co2"), "tCO2", f"{y}")
        add("范围一", "scope 1", tot.get("t_co2_scope1"), "tCO2", f"{y}")
        add("范围二", "scope 2", tot.get("t_co2_scope2"), "tCO2", f"{y}")
        add("综合能耗", "energy", tot.get("tce"), "tce", f"{y}")
        add("单位增加值碳排放", "carbon per value added", tot.get("t_co2_per_10k_yuan"), "tCO2/万元", f"{y}")
    if c.sinks_t_co2_yr is not None:
        add("碳汇", "carbon sinks", c.sinks_t_co2_yr, "tCO2/yr", "绿地与行道树 green space and trees")
    for sc in c.scenarios:
        add(f"净排放（{sc.scenario}）", f"net emissions ({sc.scenario})",
            (sc.lines or BalanceLines()).net_t_co2, "tCO2/yr")
    ind = c.indicators
    has_status = any("status" in i.to_dict() for i in ind)
    for name in dict.fromkeys(i.scenario for i in ind if has_status and i.scenario is not None):
        counts = Counter(i.status for i in ind if i.scenario == name)
        add(f"指标达标（{name}）", f"indicators passed ({name})", int(counts["pass"]), "项",
            f"未达标 fail {int(counts['fail'])}，缺数据 no data {int(counts['no data'])}")
    it = s.intensity
    if it:
        cls = it.classification or {}
        add("乡镇街道", "townships", it.townships, "个", f"数据年份 year {it.year}")
        add("五色图分级方法", "five-class method", cls.get("description_zh") or cls.get("method"))
    frame = pd.DataFrame(rows, columns=["项目", "item", "数值 value", "单位 unit", "说明 note"])
    return frame


PV_SHEET_FIELDS = ("bldg_id", "name", "use", "use_class", "enterprise_id", "height_m", "floors", "roof_type",
                   "roof_class", "footprint_m2", "roof_m2", "usable_m2", "install_share", "setback_m2",
                   "skylight_m2", "equipment_m2", "fire_lane_m2", "walkway_m2", "structure_m2", "other_m2",
                   "nea_class",
                   "nea_ok",
                   "modules", "kwp", "kwh_yr", "kwh_per_kwp", "kwh_per_m2", "shade_loss_pct", "t_co2_yr",
                   *[f"kwh_m{m:02d}" for m in range(1, 13)])
TOWNSHIP_SHEET_FIELDS = ("code", "name", "matched", "area_mu", "t_co2", "gdp_10k_yuan", "land_mu",
                         "population", "intensity", "k_ratio", "change_pct", "class", "colour",
                         "no_data_reason", "method")


def workbook_sheets(results, lang: str = "zh") -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]]]:
    """The sheets of :func:`write_workbook` and their number formats."""
    from layers.presets import add_kwh_per_m2

    sheets: dict[str, pd.DataFrame] = {"汇总 summary": summary_rows(results, lang)}
    formats: dict[str, dict[str, str]] = {"汇总 summary": {}}
    layers = results.layers()
    units = result_units(results)

    def attrs(name: str, fields) -> pd.DataFrame:
        gdf = layers[name]
        if name == "rooftop_pv":
            gdf = add_kwh_per_m2(gdf)
        cols = [f for f in fields if f in gdf.columns] if fields else \
            [c for c in gdf.columns if c != gdf.geometry.name]
        return pd.DataFrame(gdf[cols])

    if "rooftop_pv" in layers:
        t, f = labelled_table(attrs("rooftop_pv", PV_SHEET_FIELDS), lang, "rooftop_pv")
        sheets["屋顶光伏 PV"], formats["屋顶光伏 PV"] = t, f
    balance = None
    if results.account is not None:
        from app.park_account import balance_sheets

        balance = balance_sheets(results.account, results.pv)
        if "企业 entities" in balance:
            sheets["企业排放 entities"] = balance["企业 entities"]
        for key, sheet in (("排放 emissions", "能源品种 fuels"), ("碳汇 sinks", "碳汇 sinks")):
            if key in balance and len(balance[key]):
                sheets[sheet] = balance[key]
    for name, sheet, fields in (("green_sinks", "绿地碳汇 green sinks", None),
                                ("tree_sinks", "行道树碳汇 tree sinks", None)):
        if name in layers:
            frame = attrs(name, fields)
            t, f = labelled_table(frame, lang, name)
            sheets[sheet], formats[sheet] = t, f
    if balance is None and results.sections.carbon:
        balance = saved_carbon_sheets(results.sections)  # a saved project: from its summary
        for key, sheet in (("企业 entities", "排放前十企业 top entities"),
                           ("排放 emissions", "能源品种 fuels"), ("碳汇 sinks", "碳汇 sinks")):
            if key in balance and len(balance[key]):
                sheets[sheet] = balance[key]
    if balance is not None:
        sheets["平衡 balance"] = balance["平衡 balance"]
        sheets["指标 indicators"] = balance["指标 indicators"]
    if "township_intensity" in layers:
        t, f = labelled_table(attrs("township_intensity", TOWNSHIP_SHEET_FIELDS), lang, "township_intensity",
                              units=units)
        sheets["乡镇 townships"], formats["乡镇 townships"] = t, f
    if balance is not None:
        sheets["因子 factors"] = balance["因子 factors"]
        if len(balance["问题 problems"]):
            sheets["问题 problems"] = balance["问题 problems"]
    return sheets, formats


def saved_carbon_sheets(summary: ParkSummary | dict) -> dict[str, pd.DataFrame]:
    """The carbon sheets of :func:`app.park_account.balance_sheets` rebuilt from a saved summary's
    ``carbon`` section (a reopened project keeps no ParkAccount): 平衡, 指标, 排放 (by fuel),
    碳汇 (by class), 因子, 问题, and 企业 = the ten largest emitters the summary lists."""
    from app.park_account import LINE_LABELS

    summary = ParkSummary.from_dict(summary)
    c = summary.carbon or CarbonSummary()
    em = c.emissions or EmissionsSummary()
    scenarios = c.scenarios
    comp = pd.DataFrame({sc.scenario: pd.Series((sc.lines or BalanceLines()).to_dict(), dtype=float)
                         for sc in scenarios})
    labels = pd.DataFrame([LINE_LABELS.get(k, (k, k, "")) for k in comp.index],
                          columns=["项目", "item", "单位 unit"], index=comp.index)
    balance = pd.concat([labels, comp.round(4)], axis=1).reset_index(names="key")
    ind = pd.DataFrame([i.to_dict() for i in c.indicators]).rename(columns={
        "scenario": "情景 scenario", "name_zh": "指标", "name_en": "indicator", "value": "数值 value",
        "comparator": "要求", "threshold": "阈值 threshold", "unit": "单位 unit", "status_zh": "结果",
        "status": "status", "kind": "类别 kind", "applies_if": "适用条件", "source": "来源",
        "source_en": "source", "note": "note", "note_zh": "说明"})
    ind = ind.drop(columns=[k for k in ("set_key", "metric") if k in ind.columns])
    fuels = pd.DataFrame(em.by_fuel or []).rename(columns={
        "fuel": "能源 fuel", "fuel_zh": "能源品种", "scope": "范围 scope", "amount": "用量 amount",
        "unit": "单位 unit", "tce": "综合能耗 tce", "t_co2": "排放 tCO2", "share_pct": "排放占比 %",
        "year": "年份"})
    sinks = pd.DataFrame([row for part in (c.green_sinks, c.tree_sinks)
                          for row in ((part.by_class if part else None) or [])]).rename(columns={
        "class": "类别 class", "name_zh": "名称", "name_en": "name", "basis": "计量基础 basis",
        "n": "要素数 n", "area_m2": "面积 m²", "area_ha": "面积 ha", "t_co2_per_ha_yr": "碳汇强度 tCO2/ha/yr",
        "t_co2_yr": "碳汇 tCO2/yr", "source": "来源 source"})
    top = pd.DataFrame(em.top_entities or []).rename(columns={
        "entity": "代码", "name": "名称", "sector": "行业", "year": "年份", "t_co2": "排放量(tCO2)",
        "tce": "综合能耗(tce)", "share_pct": "排放占比(%)",
        "t_co2_per_10k_yuan": "单位增加值排放(tCO2/万元)"})
    factors = pd.DataFrame((em.factor_set or {}).get("factors") or []).rename(columns={
        "fuel": "fuel", "name_zh": "能源品种", "value": "排放因子", "unit": "因子单位",
        "t_co2_per_unit": "排放(tCO2/标准单位)", "canonical_unit": "标准单位",
        "tce_per_unit": "折标系数(tce/标准单位)", "source": "来源", "status": "状态", "origin": "来自"})
    parts = (em, c.green_sinks, c.tree_sinks, summary.pv)
    problems = [p for part in parts if part is not None for p in (part.problems or []) if isinstance(p, dict)]
    problem_sheet = pd.DataFrame([{"级别 level": p.get("level"), "代码 code": p.get("code"),
                                   "说明": p.get("zh"), "message": p.get("en"),
                                   "对象 features": ", ".join(map(str, (p.get("feature_ids") or [])[:50]))}
                                  for p in problems])
    return {"平衡 balance": balance, "指标 indicators": ind, "排放 emissions": fuels, "企业 entities": top,
            "碳汇 sinks": sinks, "因子 factors": factors, "问题 problems": problem_sheet}


def result_units(results) -> dict[str, str]:
    """Units known only at run time: the township map's intensity unit (e.g. "tCO2/万元")."""
    it = results.sections.intensity or IntensitySummary()
    cls = it.classification or {}
    unit = it.intensity_unit or cls.get("unit_zh")
    return {"intensity": unit} if unit else {}


def write_workbook(results, path: str | Path, lang: str = "zh", progress: Progress = NO_PROGRESS) -> Path:
    """The Excel workbook of a park's results (see the module docstring); ``results`` is an
    :class:`app.results.ParkResults` or a saved project's ``(summary, layers)``
    (:func:`app.exports.saved.export_source`; the carbon sheets then come from the summary,
    :func:`saved_carbon_sheets`)."""
    from app.exports.saved import export_source

    results = export_source(results)
    sheets, formats = workbook_sheets(results, lang)
    return write_sheets(path, sheets, formats, progress=progress)
