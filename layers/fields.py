"""What Lingtan's result fields mean: short Shapefile name, unit, Chinese and English label, decimals.

One table serves every export: the Shapefile field-name mapping (:mod:`app.exports.shapefile`),
Excel and CSV headers with units ("年发电量 kWh/yr", :func:`header`), the web map's popups and
the numeric precision written to DBF files. A field missing here is exported under its own
name (shortened by the documented rule of :func:`app.exports.shapefile.shapefile_names`).

Short names are at most 10 ASCII characters (the DBF limit), lower case, readable, and unique
across the table; ``layer`` overrides give a field a different meaning in one layer (``t_co2_yr``
is avoided CO2 on ``rooftop_pv`` but a sink on ``green_sinks``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldInfo:
    """short: Shapefile name (≤ 10 bytes); unit: e.g. "kWh/yr" ("" for none); zh/en: labels;
    decimals: places kept in DBF numbers and shown in Excel (None: the writer decides)."""

    short: str
    unit: str
    zh: str
    en: str
    decimals: int | None = None


def _f(short: str, unit: str, zh: str, en: str, decimals: int | None = None) -> FieldInfo:
    return FieldInfo(short, unit, zh, en, decimals)


# Units: SI and the units Chinese statistics use (亩 mu = 666.7 m², 万元 = 10^4 yuan).
# Decimals: the precision the computation carries, not more (kWh to 0.1, m² to 0.1, tCO2 to 0.001).
FIELDS: dict[str, FieldInfo] = {
    # identifiers and names (every layer)
    "name": _f("name", "", "名称", "name"),
    "name_en": _f("name_en", "", "英文名称", "English name"),
    "kind": _f("kind", "", "类别", "kind"),
    "code": _f("code", "", "代码", "code"),
    "source_fid": _f("source_fid", "", "源要素号", "source feature id"),
    "part": _f("part", "", "部件序号", "part"),
    # row keys of large inputs: a GeoParquet layer read by view (layers/parquet_source.py ROW_KEY; the
    # second name when the file has its own file_row) and a tiled run (gis/scale/geoparquet.py)
    "file_row": _f("file_row", "", "文件行号", "row in file"),
    "file_row_lt": _f("file_row_l", "", "文件行号", "row in file"),
    "lingtan_row": _f("lingtan_ro", "", "输入行号", "row of the input"),
    "tile_id": _f("tile_id", "", "分块编号", "tile id"),
    "partition": _f("partition", "", "所属分区", "partition"),
    # buildings, rooftop PV
    "bldg_id": _f("bldg_id", "", "建筑编号", "building id"),
    "use": _f("use", "", "用途", "use"),
    "use_class": _f("use_class", "", "用途分类", "use class"),
    "enterprise_id": _f("ent_id", "", "企业代码", "enterprise id"),
    "height_m": _f("height_m", "m", "高度", "height", 2),
    "height_source": _f("height_src", "", "高度来源", "height source"),
    "floors": _f("floors", "层", "层数", "floors"),
    "roof_type": _f("roof_type", "", "屋面类型", "roof type"),
    "roof_slope_deg": _f("slope_deg", "°", "屋面坡度", "roof slope", 1),
    "footprint_m2": _f("foot_m2", "m²", "占地面积", "footprint", 1),
    "roof_class": _f("roof_class", "", "屋面分类", "roof class"),
    "roof_class_source": _f("roofcl_src", "", "屋面分类依据", "roof class source"),
    "roof_m2": _f("roof_m2", "m²", "屋顶面积", "roof area", 1),
    "usable_m2": _f("usable_m2", "m²", "可用面积", "usable area", 1),
    "install_share": _f("inst_share", "", "可安装比例", "installable share", 4),
    # where the rest of the roof goes (gis/solar/roof_deductions.py, issue 15 §6)
    "setback_m2": _f("setback_m2", "m²", "屋面退界面积", "edge setback", 1),
    "skylight_m2": _f("skylt_m2", "m²", "采光带避让面积", "daylight strips", 1),
    "equipment_m2": _f("equip_m2", "m²", "设备与通风器占用面积", "equipment and vents", 1),
    "fire_lane_m2": _f("firelan_m2", "m²", "防火通道面积", "fire lanes", 1),
    "walkway_m2": _f("walkway_m2", "m²", "检修通道面积", "maintenance walkways", 1),
    "structure_m2": _f("struct_m2", "m²", "荷载不足面积", "roof too weak", 1),
    "other_m2": _f("other_m2", "m²", "其他不可用面积", "other unused", 1),
    "nea_class": _f("nea_class", "", "能源局建筑分类", "NEA building class"),
    "nea_min_share": _f("nea_minshr", "", "能源局最低安装比例", "NEA minimum share", 2),
    "nea_ok": _f("nea_ok", "", "满足能源局比例", "meets NEA share"),
    "modules": _f("modules", "块", "组件数", "modules"),
    "kwp": _f("kwp", "kWp", "装机容量", "capacity", 2),
    "gcr": _f("gcr", "", "地面覆盖率", "ground coverage ratio", 3),
    "kwh_yr": _f("kwh_yr", "kWh/yr", "年发电量", "annual energy", 1),
    "kwh_per_kwp": _f("kwh_kwp", "kWh/kWp", "等效利用小时", "specific yield", 1),
    "kwh_per_m2": _f("kwh_per_m2", "kWh/m²", "单位屋顶面积年发电量", "yield per m² of roof", 2),
    "shade_loss_pct": _f("shade_pct", "%", "遮挡损失", "shading loss", 2),
    "t_co2_yr": _f("t_co2_yr", "tCO2/yr", "年减排量", "avoided CO2", 3),
    # green space, sinks
    "green_id": _f("green_id", "", "绿地编号", "green-space id"),
    "cover": _f("cover", "", "覆盖类型", "land cover"),
    "cover_en": _f("cover_en", "", "覆盖类型（英文）", "land cover (English)"),
    "sink_class": _f("sink_class", "", "碳汇类别", "sink class"),
    "class_zh": _f("class_zh", "", "类别名称", "class (Chinese)"),
    "class_en": _f("class_en", "", "类别名称（英文）", "class (English)"),
    "area_m2": _f("area_m2", "m²", "面积", "area", 1),
    "area_ha": _f("area_ha", "ha", "面积", "area", 4),
    "t_co2_per_ha_yr": _f("tco2_ha_yr", "tCO2/ha/yr", "碳汇强度", "sink rate", 3),
    "factor_source": _f("factor_src", "", "因子来源", "factor source"),
    # tree rows, tree sinks
    "row_id": _f("row_id", "", "行道树编号", "tree-row id"),
    "species": _f("species", "", "树种", "species"),
    "species_en": _f("species_en", "", "树种（英文）", "species (English)"),
    "spacing_m": _f("spacing_m", "m", "株距", "spacing", 2),
    "canopy_width_m": _f("canopy_w_m", "m", "冠幅", "canopy width", 2),
    "tree_count": _f("tree_count", "株", "株数", "trees"),
    "trees_n": _f("trees_n", "株", "计算株数", "trees counted", 1),
    "canopy_width_used_m": _f("canopyu_m", "m", "采用冠幅", "canopy width used", 2),
    "canopy_m2": _f("canopy_m2", "m²", "树冠面积", "canopy area", 1),
    "canopy_in_forest_m2": _f("canopyf_m2", "m²", "林地内树冠面积", "canopy inside forest", 1),
    "counted_canopy_m2": _f("canopyc_m2", "m²", "计入树冠面积", "canopy counted", 1),
    # townships, five-colour map
    "join_key": _f("join_key", "", "关联键", "join key"),
    "matched": _f("matched", "", "已关联统计", "matched"),
    "area_mu": _f("area_mu", "亩", "面积", "area", 2),
    "t_co2": _f("t_co2", "tCO2", "碳排放量", "emissions", 3),
    "intensity": _f("intensity", "", "碳排放强度", "carbon intensity", 4),
    "k_ratio": _f("k_ratio", "", "强度比值 K", "intensity ratio K", 4),
    "class": _f("class", "", "级别（1–5，0 无数据）", "class (1–5, 0 no data)"),
    "change_pct": _f("change_pct", "%", "强度变化", "intensity change", 2),
    "gdp_10k_yuan": _f("gdp_10kyn", "万元", "地区生产总值", "GDP", 2),
    "land_mu": _f("land_mu", "亩", "土地面积", "land area", 2),
    "population": _f("population", "人", "人口", "population", 0),
    "no_data_reason": _f("nodata_why", "", "无数据原因", "no-data reason"),
    "colour": _f("colour", "", "颜色", "colour"),
    "method": _f("method", "", "分级方法", "method"),
    # drill-down levels: a township's (district's) enterprises summed (app/algorithms/five_colour_map.py)
    "enterprises": _f("ent_n", "", "企业数", "enterprises", 0),
    "ent_t_co2": _f("ent_t_co2", "tCO2", "企业碳排放合计", "enterprises' emissions", 3),
    "ent_tce": _f("ent_tce", "tce", "企业综合能耗合计", "enterprises' energy use", 2),
    "ent_va_10k_yuan": _f("ent_va", "10^4 yuan", "企业增加值合计", "enterprises' value added", 1),
    "district": _f("district", "", "区县代码", "district code"),
    "townships": _f("townships", "", "乡镇数", "townships", 0),
    # enterprise carbon-efficiency grades (碳效码, gis/carbon/grades.py)
    "enterprise_name": _f("ent_name", "", "企业名称", "enterprise"),
    "industry": _f("industry", "", "行业（GB/T 4754 大类）", "industry (GB/T 4754 division)"),
    "net_t_co2": _f("net_t_co2", "tCO2", "扣减后碳排放量", "net emissions", 3),
    "value_added_10k_yuan": _f("va_10k_yn", "万元", "工业增加值", "value added", 2),
    "carbon_l": _f("carbon_l", "tCO2/万元", "单位增加值碳排放 L", "carbon intensity L", 4),
    "carbon_k": _f("carbon_k", "", "碳效值 K", "carbon-efficiency ratio K", 4),
    "benchmark_l": _f("bench_l", "tCO2/万元", "行业基准 L", "industry benchmark L", 4),
    "level": _f("level", "", "碳效水平（低碳/中碳/高碳）", "level (low/medium/high)"),
    "grade": _f("grade", "", "碳效等级（1–5）", "carbon-efficiency grade (1–5)"),
    "rank_industry": _f("rank_ind", "", "行业内排名", "rank in industry"),
    "rank_park": _f("rank_park", "", "园区内排名", "rank in park"),
    "delta_l": _f("delta_l", "tCO2/万元", "L 较上年变化", "change of L from the year before", 4),
    "delta_grade": _f("delta_grd", "", "等级较上年变化", "grade change from the year before"),
    # enterprise points and per-mu figures (gis/carbon/placement.py, gis/carbon/per_mu.py)
    "placed_by": _f("placed_by", "", "定位方式（经纬度/建筑）", "placed by (lonlat/buildings)"),
    "tce": _f("tce", "tce", "综合能耗", "energy use", 2),
    "t_co2_per_mu": _f("tco2_mu", "tCO2/亩", "亩均碳排放", "CO2 per mu", 3),
    "tce_per_mu": _f("tce_per_mu", "tce/亩", "亩均能耗", "energy per mu", 3),
    "value_added_10k_yuan_per_mu": _f("va_mu", "万元/亩", "亩均增加值", "value added per mu", 2),
    "land_source": _f("land_src", "", "用地面积来源", "land area from"),
    "quantity": _f("quantity", "", "地图指标", "map quantity"),
    # ground PV arrays (issue 8: gis/solar/array_energy.py TABLE_RESULT_COLUMNS, area and zone layers)
    "kwh_per_kwp_yr": _f("kwh_kwp_yr", "kWh/kWp", "等效利用小时", "specific yield", 1),
    "table_id": _f("table_id", "", "支架编号", "table id"),
    "row": _f("row", "", "排号", "row"),
    "area_id": _f("area_id", "", "场地编号", "area id"),
    "tilt_deg": _f("tilt_deg", "°", "倾角", "tilt", 1),
    "azimuth_deg": _f("azim_deg", "°", "方位角（正北顺时针）", "azimuth (clockwise from north)", 1),
    "plan_m2": _f("plan_m2", "m²", "投影面积", "plan area", 2),
    "collector_m2": _f("coll_m2", "m²", "组件面积", "collector area", 2),
    "has_front": _f("has_front", "", "前方有支架（1 是 0 否）", "has a row in front (1 yes, 0 no)"),
    "row_shade_loss_pct": _f("rowshd_pct", "%", "前后排遮挡损失", "row-to-row shading loss", 2),
    "tables": _f("tables", "个", "支架数", "tables"),
    "label": _f("label", "", "说明", "label"),
    "distance_m": _f("distance_m", "m", "退让距离", "setback distance", 1),
    "zone_m2": _f("zone_m2", "m²", "排除区面积", "zone area", 1),
    # wind turbines (gis/wind/farm.py TURBINE_FIELDS), receptors, violations (VIOLATION_COLUMNS)
    "turbine_id": _f("turbine_id", "", "风机编号", "turbine id"),
    "turbine_type": _f("turb_type", "", "机型", "turbine type"),
    "hub_height_m": _f("hub_m", "m", "轮毂高度", "hub height", 1),
    "rotor_diameter_m": _f("rotor_d_m", "m", "叶轮直径", "rotor diameter", 1),
    "rated_kw": _f("rated_kw", "kW", "额定功率", "rated power", 1),
    "mean_speed_ms": _f("speed_ms", "m/s", "轮毂高度平均风速", "mean wind speed at hub height", 2),
    "gross_aep_mwh": _f("gross_mwh", "MWh/yr", "年发电量（未计尾流）", "annual energy before wakes", 1),
    "aep_mwh": _f("aep_mwh", "MWh/yr", "年发电量（计尾流）", "annual energy after wakes", 1),
    "wake_loss_pct": _f("wake_pct", "%", "尾流损失", "wake loss", 2),
    "cf": _f("cf", "", "容量系数（0–1）", "capacity factor (0–1)", 4),
    "full_load_h": _f("full_h", "h/yr", "等效满发小时数", "full-load hours", 0),
    "n_violations": _f("n_viol", "项", "约束冲突数", "constraint violations"),
    "violations": _f("violations", "", "冲突类型（英文）", "violations"),
    "violations_zh": _f("viol_zh", "", "冲突类型", "violations (Chinese)"),
    "receptor": _f("receptor", "", "敏感点编号", "receptor id"),
    "noise_dba": _f("noise_dba", "dB(A)", "风机噪声声级", "turbine noise level", 2),
    "noise_class": _f("noise_cls", "", "声环境功能区类别（GB 3096）", "noise zone class (GB 3096)"),
    "day_limit_dba": _f("day_lim_db", "dB(A)", "昼间限值", "day limit", 0),
    "night_limit_dba": _f("ngt_lim_db", "dB(A)", "夜间限值", "night limit", 0),
    "day_exceed_db": _f("day_exc_db", "dB", "昼间超标量", "day exceedance", 2),
    "night_exceed_db": _f("ngt_exc_db", "dB", "夜间超标量", "night exceedance", 2),
    "nearest_turbine_m": _f("near_tb_m", "m", "最近风机距离", "distance to the nearest turbine", 1),
    "shadow_h_yr": _f("shadow_h", "h/yr", "年阴影闪烁时数", "shadow flicker per year", 2),
    "shadow_max_min_day": _f("shd_minday", "min/d", "单日最长阴影闪烁", "longest shadow flicker in a day", 1),
    "turbine": _f("turbine", "", "风机编号", "turbine"),
    "value": _f("value", "", "数值（单位见 unit）", "value (unit in unit)", 2),
    "limit": _f("limit", "", "限值（单位见 unit）", "limit (unit in unit)", 2),
    "unit": _f("unit", "", "单位", "unit"),
    "other": _f("other", "", "冲突对象", "conflicting feature"),
    "message_zh": _f("message_zh", "", "说明", "message (Chinese)"),
    "message_en": _f("message_en", "", "说明（英文）", "message (English)"),
    # centroid columns of CSV exports
    "lon": _f("lon", "°", "经度", "longitude", 7),
    "lat": _f("lat", "°", "纬度", "latitude", 7),
}
for _m in range(1, 13):
    FIELDS[f"kwh_m{_m:02d}"] = _f(f"kwh_m{_m:02d}", "kWh", f"{_m}月发电量", f"energy, month {_m}", 1)

# a field whose meaning differs in one layer
LAYER_FIELDS: dict[tuple[str, str], FieldInfo] = {
    ("green_sinks", "t_co2_yr"): _f("t_co2_yr", "tCO2/yr", "年碳汇量", "carbon sink", 3),
    ("tree_sinks", "t_co2_yr"): _f("t_co2_yr", "tCO2/yr", "年碳汇量", "carbon sink", 3),
    ("pv_array_tables", "t_co2_yr"): _f("t_co2_yr", "tCO2/yr", "年减排量", "avoided CO2", 3),
    ("pv_array_area", "t_co2_yr"): _f("t_co2_yr", "tCO2/yr", "年减排量", "avoided CO2", 3),
    ("pv_array_area", "area_m2"): _f("area_m2", "m²", "场地面积", "site area", 1),
    ("pv_array_exclusions", "kind"): _f("kind", "", "排除类型", "exclusion kind"),
    ("wind_violations", "kind"): _f("kind", "", "约束类型", "constraint"),
    ("township_intensity", "value"): _f("value", "", "地图指标值（单位见图例）",
                                        "mapped value (unit on the legend)", 4),
}


def field_info(field: str, layer: str | None = None, *,
               units: dict[str, str] | None = None) -> FieldInfo | None:
    """The :class:`FieldInfo` of ``field`` (in ``layer`` when it has an override), or None.

    units: {field: unit} known only at run time (the township map's intensity unit).
    """
    info = LAYER_FIELDS.get((layer or "", field)) or FIELDS.get(field)
    if info is not None and units and field in units and units[field]:
        info = FieldInfo(info.short, units[field], info.zh, info.en, info.decimals)
    return info


def header(field: str, lang: str = "zh", layer: str | None = None, *,
           units: dict[str, str] | None = None) -> str:
    """A column header with its unit: "年发电量 kWh/yr" (zh) or "annual energy kWh/yr" (en);
    the field name itself for unknown fields."""
    info = field_info(field, layer, units=units)
    if info is None:
        return field
    label = info.zh if lang == "zh" else info.en
    return f"{label} {info.unit}" if info.unit else label
