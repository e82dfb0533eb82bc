"""Ground (or car-park) PV array: lay out fixed-tilt tables in an area and estimate their yield.

The worked example of docs/architecture.md § "Adding an algorithm": inputs and parameters are
declared here once; ``lingtan run pv_array``, ``lingtan pv-array`` (the older name), the GUI's
dialog and the docs' parameter table are generated from them.
"""

from __future__ import annotations

import shapely

from app.algorithms.common import (
    ALTITUDE,
    GRID_FACTOR,
    LOSSES,
    MODULE_SIZE,
    MODULE_W,
    NETWORK,
    SHADING,
    WEATHER,
)
from app.processing.algorithm import (
    Algorithm,
    AlgorithmOutput,
    InputLayer,
    Inputs,
    LayerInput,
    first,
    warnings_lines,
)
from app.processing.params import Param, ParamValues
from gis.errors import InputError
from gis.park import M2_PER_MU, prepare_buildings
from gis.progress import NO_PROGRESS, Progress
from gis.solar import array_layout as L


def as_written(result) -> dict:
    """The result layers as files hold them: floats rounded (mm, Wh), the front-table flag an int."""
    layers = result.layers()
    t = layers["pv_array_tables"].copy()
    t["has_front"] = t["has_front"].astype("int8")
    for col in t.columns:
        if col != "geometry" and t[col].dtype.kind == "f":
            t[col] = t[col].round(3)
    layers["pv_array_tables"] = t
    return layers


class PVArray(Algorithm):
    id = "pv_array"
    cli_alias = "pv-array"
    title_zh, title_en = "光伏阵列排布与发电量", "Ground PV array layout and yield"
    group_zh, group_en = "光伏", "Solar PV"
    summary_zh = ("在场地内按固定倾角排布光伏支架：扣除边界内缩与建筑、道路和排除区的退让；"
                  "行距按冬至日 9–15 时前后排不遮挡（或给定 GCR）；"
                  "发电量经屋顶光伏同一计算链，计前后排与邻近建筑遮挡。")
    summary_en = ("Lay out fixed-tilt PV tables in an area (ground, car park): the area minus a boundary "
                  "inset and buffers around buildings, roads and your own zones; rows at the site's best "
                  "tilt and azimuth (or yours), spaced so that they do not shade each other from 9:00 to "
                  "15:00 on the winter solstice (or at a GCR you give). Yield through the rooftop PV chain "
                  "with row-to-row shading and shading by nearby buildings, land use and avoided CO2.")
    summary_key = "pv_array"
    outputs = ("pv_array_area", "pv_array_exclusions", "pv_array_tables")
    inputs = (
        LayerInput("area", "阵列范围", "Array area", "场地面（地面、停车场），任意坐标系",
                   "array area polygon(s), any format `lingtan info` reads, any CRS", geometry=("polygon",),
                   positional=True),
        LayerInput("buildings", "建筑", "Buildings", "退让并（有高度或层数时）遮挡支架",
                   "building footprints: kept --building-setback away from, and (with a height or floors "
                   "field) shading the tables", geometry=("polygon",), required=False, role="buildings"),
        LayerInput("roads", "道路", "Roads", "道路中心线或道路面",
                   "road centrelines (lines) or road polygons",
                   geometry=("line", "polygon"), required=False, role="roads"),
        LayerInput("exclusions", "排除区", "Exclusion zones", "不得布置的区域（任意几何），可各带退让距离",
                   "a zone to keep out of (any geometry) and, after a colon, its own clear distance in m "
                   "(none: the zone itself); repeat for more", required=False, multiple=True, distance=True,
                   role="water", flag="--exclude"),
    )
    params = (
        Param("building_setback_m", "float", L.BUILDING_SETBACK_M, "建筑退让", "Building setback", unit="m",
              minimum=0.0, maximum=500.0, flag="--building-setback", metavar="M",
              help_zh="与建筑的净距（通道、消防）",
              help_en="clear distance from buildings (access/fire path)",
              source="engineering judgement; local fire rules may ask more (gis/solar/array_layout.py)"),
        Param("road_setback_m", "float", L.ROAD_SETBACK_M, "道路退让", "Road setback", unit="m", minimum=0.0,
              maximum=500.0, flag="--road-setback", metavar="M",
              help_zh="线状道路自中心线、面状道路自边线起算",
              help_en="from the centreline of lines, from the edge of polygons",
              source="half a 7 m two-lane road + 1.5 m verge (engineering judgement)"),
        Param("boundary_setback_m", "float", L.BOUNDARY_SETBACK_M, "边界内缩", "Boundary setback", unit="m",
              minimum=0.0, maximum=500.0, flag="--boundary-setback", metavar="M",
              help_zh="自场地边界内缩（围栏与环路）", help_en="inset from the area's boundary (fence and "
              "perimeter path)", source="engineering judgement"),
        Param("tilt_deg", "float", None, "倾角", "Tilt", unit="°", minimum=0.0, maximum=90.0, optional=True,
              flag="--tilt", metavar="DEG", auto_zh="场址年发电量最优倾角",
              auto_en="the best annual yield for the site's weather (searched with the energy chain)",
              source="site optimum (docs/pv-array.md)"),
        Param("azimuth_deg", "float", None, "方位角", "Azimuth", unit="°", minimum=0.0, maximum=360.0,
              optional=True, flag="--azimuth", metavar="DEG",
              help_zh="组件朝向，自正北顺时针（180 = 正南）",
              help_en="deg clockwise from north (180 = south)",
              auto_zh="正南 ±45° 内最优（增益 ≥ 0.3% 才偏离正南）",
              auto_en="the best within ±45° of south (due south unless another azimuth gains ≥ 0.3%)",
              source="site optimum (docs/pv-array.md)"),
        Param("gcr", "float", None, "地面覆盖率 GCR", "Ground-coverage ratio", minimum=0.1, maximum=1.0,
              optional=True, metavar="X", help_zh="支架斜长 / 行距", help_en="table slant / row pitch",
              auto_zh="冬至日真太阳时 9–15 时前后排不遮挡",
              auto_en="no row shading 9:00–15:00 true solar time on the winter solstice",
              source="GB 50797-2012 §6.6 (winter-solstice 9:00–15:00 rule)"),
        Param("orientation", "choice", "portrait", "组件摆放", "Module orientation",
              choices=(("portrait", "竖放（长边沿坡向）", "portrait (long side up the slope)"),
                       ("landscape", "横放", "landscape")),
              source="portrait: the common 2P table of Chinese ground plants"),
        Param("modules_per_table", "pair", (L.MODULES_UP, L.MODULES_ALONG), "每支架组件数（上下x沿排）",
              "Modules per table (up x along)", minimum=1, maximum=200, pair_type=int, metavar="UPxALONG",
              source="2P × 14: the common fixed-tilt table of Chinese ground plants (array_layout.py)"),
        MODULE_W,
        MODULE_SIZE,
        Param("table_gap_m", "float", L.TABLE_GAP_M, "支架间距", "Gap between tables", unit="m", minimum=0.0,
              maximum=50.0, flag="--table-gap", metavar="M", advanced=True,
              source="engineering judgement (expansion, access)"),
        Param("clearance_m", "float", L.CLEARANCE_M, "支架离地高度", "Table clearance", unit="m", minimum=0.0,
              maximum=20.0, flag="--clearance", metavar="M", advanced=True,
              help_zh="支架下沿离地高度（用于建筑遮挡采样）",
              help_en="height of the tables' low edge above ground (for building shading)",
              source="engineering judgement (vegetation, splash, snow)"),
        WEATHER,
        NETWORK,
        ALTITUDE,
        LOSSES,
        SHADING,
        Param("row_shading", "bool", True, "计算前后排遮挡", "Row-to-row shading",
              cli_negate="--no-row-shading",
              source="on: pvlib's infinite-sheds shaded fraction per hour (docs/pv-array.md)"),
        GRID_FACTOR,
    )

    def settings(self, p: ParamValues):
        """The core's :class:`~gis.solar.array_energy.ArraySettings` of checked values."""
        from gis.solar.array_energy import ArraySettings
        from gis.solar.energy import SystemSettings
        from gis.solar.layout import ModuleSpec

        up, along = p.modules_per_table
        length, width = p.module_size
        return ArraySettings(
            table=L.TableSpec(ModuleSpec(p.module_w, length, width), p.orientation, up, along),
            tilt_deg=p.tilt_deg, azimuth_deg=p.azimuth_deg, gcr=p.gcr,
            building_setback_m=p.building_setback_m, road_setback_m=p.road_setback_m,
            boundary_setback_m=p.boundary_setback_m, table_gap_m=p.table_gap_m, clearance_m=p.clearance_m,
            system=SystemSettings(losses_pct=p.losses_pct), shading=p.shading, row_shading=p.row_shading,
            grid_factor_key=p.grid_factor)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from gis.solar.array_energy import pv_array
        from gis.solar.site_weather import site_weather

        settings = self.settings(params)
        area_in = first(inputs["area"])
        area = L.metric_frame(area_in.gdf)
        L.area_polygons(area)  # polygons, or a bilingual error before any other work
        crs = area.crs
        problems = []
        buildings = roads = None
        if (b := first(inputs.get("buildings"))) is not None:
            buildings, found = prepare_buildings(b.gdf.to_crs(crs))
            problems += found
        if (r := first(inputs.get("roads"))) is not None:
            roads = r.gdf.to_crs(crs)
        zones = [(z.gdf.to_crs(crs), z.distance_m or 0.0, z.name) for z in _layers(inputs.get("exclusions"))]
        progress.report(0.1, "weather")
        lon, lat = L.centre_lonlat(shapely.union_all(area.geometry.array), crs)
        weather = site_weather(lon, lat, weather_path=params.weather, allow_network=params.network,
                               altitude_m=params.altitude_m)
        result = pv_array(area, weather, settings, buildings=buildings, roads=roads, exclusions=zones,
                          progress=progress.sub(0.15, 0.95))
        result.problems[:0] = problems
        if len(result.tables) == 0:
            raise InputError(
                "阵列范围内放不下任何支架：范围太小，或退让与排除区占满了它（检查边界内缩、建筑退让、道路退让、"
                "排除区的距离和坐标系）",
                "No table fits in the array area: it is too small, or the setbacks and exclusion zones "
                "cover it (check the distances of --boundary-setback, --building-setback, --road-setback, "
                "--exclude and the CRSs)", path=area_in.name, code="pv_array.no_tables")
        progress.report(1.0, "done")
        return AlgorithmOutput(self.id, result, as_written(result), result.summary(), result.problems)

    def describe(self, s: dict) -> list[str]:
        orient = "场地最优 site optimum" if s.get("orientation_source") == "site optimum" else "指定 given"
        gcr_src = "冬至日 9–15 时不遮挡 winter-solstice rule" if s["gcr_source"] != "user" else "指定 given"
        return [
            f"光伏阵列 PV array: {s['tables']} 个支架 tables ({s['table']}), {s['modules']} 块组件 modules "
            f"({s['module_w']:g} W), 直流 DC {s['mwp']:.3f} MWp / 交流 AC {s['kwac'] / 1000:.3f} MW",
            f"倾角 Tilt {s['tilt_deg']:g}°, 方位 azimuth {s['azimuth_deg']:g}° ({orient}); 行距 pitch "
            f"{s['pitch_m']:.2f} m, GCR {s['gcr']:.2f} ({gcr_src})",
            f"年发电量 Yield: {s['gwh_yr']:.3f} GWh/yr ({s['kwh_per_kwp']:.0f} kWh/kWp), "
            f"前后排遮挡 row shading {s['row_shade_loss_pct']:.1f}%, 建筑遮挡 building shading "
            + (f"{s['shade_loss_pct']:.1f}%" if s.get("shade_loss_pct") is not None
               else "未计算 not computed"),
            f"用地 Land: {s['area_m2'] / 1e4:.2f} ha ({s['area_m2'] / M2_PER_MU:.0f} 亩 mu), 可用 usable "
            f"{s['usable_m2'] / 1e4:.2f} ha; {s['m2_per_kwp'] or 0:.1f} m²/kWp, "
            f"{s['mu_per_mw'] or 0:.1f} 亩/MW mu/MW; 覆盖率 ground coverage {s['ground_coverage']:.0%}",
            f"减排 Avoided: {s['t_co2_yr']:,.0f} tCO2/yr ({s['grid_factor']['label']})",
            f"气象 Weather: {s['weather_source']} (GHI {s['annual_ghi_kwh_m2']:.0f} kWh/m²)",
            *warnings_lines(s),
        ]


def _layers(items) -> list[InputLayer]:
    if items is None:
        return []
    return items if isinstance(items, list) else [items]
