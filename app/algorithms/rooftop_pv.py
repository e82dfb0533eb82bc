"""Rooftop PV potential of every building: roof class, usable area, modules, capacity, hourly-model
yield with shading by neighbours (and a DSM), avoided CO2."""

from __future__ import annotations

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
from app.processing.algorithm import Algorithm, AlgorithmOutput, Inputs, LayerInput, first, warnings_lines
from app.processing.params import Param, ParamValues
from gis.progress import NO_PROGRESS, Progress

_DEDUCTIONS = "resources/defaults/roof_deductions.csv, each value with its source (docs/pv.md)"


class RooftopPV(Algorithm):
    id = "rooftop_pv"
    cli_alias = "pv"
    reads_file_inputs = ("buildings",)  # tiled over the whole file (app/pv_cluster.py)
    title_zh, title_en = "屋顶光伏潜力", "Rooftop PV potential"
    group_zh, group_en = "光伏", "Solar PV"
    summary_zh = ("逐栋建筑的屋顶光伏：屋面分类、可用面积、组件排布、装机（kWp）、"
                  "逐月与全年发电量（kWh，计高大邻楼遮挡）和减排量。"
                  "气象：给定文件，或（允许联网时）PVGIS，或内置 CSWD 气候数据插值到场址。")
    summary_en = ("Rooftop PV potential per building: roof class, usable area, module layout, capacity "
                  "(kWp), yearly and monthly energy (kWh) with shading by taller neighbours, and avoided "
                  "CO2. "
                  "Weather: a weather file, else a PVGIS download when allowed, else the built-in CSWD "
                  "climatology interpolated to the site.")
    summary_key = "pv"
    outputs = ("rooftop_pv",)
    inputs = (
        LayerInput("buildings", "建筑", "Buildings",
                   "建筑轮廓；高度取自高度或层数字段，屋面类型取自 roof_type/屋面类型",
                   "building footprints (any format `lingtan info` reads); height from a height or floors "
                   "field; roof type from roof_type/屋面类型 if present", geometry=("polygon",),
                   role="buildings", positional=True),
    )
    params = (
        WEATHER,
        NETWORK,
        ALTITUDE,
        Param("keep_components", "bool", False, "保留气象文件的直射分量", "Keep the file's DNI as it is",
              help_zh="DNI·cosZ + DHI 比 GHI 少 3% 以上时也不逐月重算 DNI",
              help_en="use a weather file's DNI as it is even when DNI·cosZ + DHI falls more than 3% short "
                      "of GHI (default: DNI is rescaled month by month, as most CSWD files need)",
              source="off: closure is restored (docs/weather.md)", advanced=True),
        Param("fix_time_base", "bool", False, "校正气象时间基准", "Fix the weather's time base",
              help_zh="辐照中心偏离太阳正午的气象文件（若干 CSWD 文件晚约 1 小时）平移校正",
              help_en="shift the irradiance of weather files whose radiation is centred off solar noon "
                      "(several CSWD files are ~1 h late)", source="off (docs/weather.md)", advanced=True),
        Param("tilt_deg", "float", None, "统一倾角", "Forced tilt", unit="°", minimum=0.0, maximum=90.0,
              optional=True, flag="--tilt", metavar="DEG",
              auto_zh="平屋面按场址倾角成排布置，坡屋面与金属屋面按屋面坡度",
              auto_en="rows at the site's flat-roof tilt on flat roofs, the roof slope on metal/pitched",
              source="resources/defaults/roof_classes.csv"),
        Param("azimuth_deg", "float", None, "统一方位角", "Forced azimuth", unit="°", minimum=0.0,
              maximum=360.0, optional=True, flag="--azimuth", metavar="DEG",
              help_zh="自正北顺时针（180 = 正南）", help_en="deg clockwise from north (180 = south)",
              auto_zh="成排布置朝南，其余按屋面朝向", auto_en="south for rows, the roof planes otherwise",
              source="resources/defaults/roof_classes.csv"),
        SHADING,
        Param("dsm", "file", None, "数字表面模型 DSM", "Digital surface model", optional=True,
              metavar="DSM.tif",
              help_zh="DSM GeoTIFF（米，投影坐标系）：树木、屋顶构筑物和地形叠加到建筑遮挡上",
              help_en="digital surface model GeoTIFF (metres, projected CRS): trees, roof structures and "
                      "terrain add to the footprint shading where it covers the roofs",
              auto_zh="不用 DSM，只按建筑轮廓与高度", auto_en="none: footprints and heights only",
              filters="GeoTIFF (*.tif *.tiff);;All files (*)", advanced=True),
        LOSSES,
        GRID_FACTOR,
        Param("setback_m", "float", None, "屋面退界", "Roof edge setback", unit="m", minimum=0.0,
              maximum=20.0, optional=True, flag="--setback", metavar="M",
              help_zh="屋面四周留空（女儿墙阴影、天沟、消防通道、风压区），对所有屋面",
              help_en="clear edge strip on every roof (parapet shade, gutters, fire access, wind zones)",
              auto_zh="按屋面类别：平屋面 2 米，彩钢与坡屋面 1 米",
              auto_en="per roof class: flat 2 m, colour-steel and pitched 1 m",
              source=_DEDUCTIONS),
        Param("skylight_pct", "float", None, "采光带避让", "Daylight strips", unit="%", minimum=0.0,
              maximum=60.0, optional=True, metavar="PCT",
              help_zh="屋面采光带及其两侧留空占退界后屋面的比例，对所有屋面",
              help_en="share of the set-back roof taken by daylight strips (采光带) and their clear margins, "
                      "on every roof",
              auto_zh="彩钢屋面 15%（GB 50033-2013 顶部采光窗地比 1/10，另加两侧留空），其他 0",
              auto_en="colour-steel 15% (GB 50033-2013 top-lighting ratio 1/10 plus clear margins), others 0",
              source=_DEDUCTIONS, advanced=True),
        Param("equipment_pct", "float", None, "设备与通风器", "Equipment and vents", unit="%", minimum=0.0,
              maximum=60.0, optional=True, metavar="PCT",
              help_zh="屋脊通风器、屋顶风机、楼梯间和设备占用的比例，对所有屋面",
              help_en="share taken by ridge ventilators, roof fans, stair housings and equipment, on every "
                      "roof",
              auto_zh="平屋面 10%，彩钢与坡屋面 5%", auto_en="flat 10%, colour-steel and pitched 5%",
              source=_DEDUCTIONS, advanced=True),
        Param("fire_lane_m", "float", None, "防火通道宽度", "Fire lane width", unit="m", minimum=0.0,
              maximum=10.0, optional=True, metavar="M", help_zh="光伏方阵分区之间的通道宽度（0 = 不设）",
              help_en="width of the lanes between array blocks (0 = none)",
              auto_zh="平屋面与彩钢屋面 1.2 米，坡屋面不设",
              auto_en="flat and colour-steel 1.2 m, pitched none",
              source=_DEDUCTIONS, advanced=True),
        Param("fire_block_m", "float", None, "方阵分区最大边长", "Largest array block", unit="m", minimum=5.0,
              maximum=1000.0, optional=True, metavar="M", help_zh="每个方阵分区的最大边长",
              help_en="largest side of an array block between fire lanes", auto_zh="45 米", auto_en="45 m",
              source=_DEDUCTIONS, advanced=True),
        Param("walkway_m", "float", None, "检修通道宽度", "Walkway width", unit="m", minimum=0.0, maximum=5.0,
              optional=True, metavar="M", help_zh="检修通道宽度（0 = 不设；平屋面排间距已含通道）",
              help_en="maintenance walkway width (0 = none; on flat roofs the row pitch is the walkway)",
              auto_zh="彩钢屋面 1.2 米，其他不设", auto_en="colour-steel 1.2 m, others none",
              source=_DEDUCTIONS, advanced=True),
        Param("walkway_every_m", "float", None, "检修通道间距", "Walkway spacing", unit="m", minimum=2.0,
              maximum=500.0, optional=True, metavar="M", help_zh="相邻检修通道之间的最大方阵进深",
              help_en="largest array depth between two walkways", auto_zh="20 米", auto_en="20 m",
              source=_DEDUCTIONS, advanced=True),
        Param("structure_pct", "float", None, "荷载不足扣减", "Roof too weak", unit="%", minimum=0.0,
              maximum=100.0, optional=True, metavar="PCT",
              help_zh="因老旧轻型屋面荷载不足而不能安装的比例，对所有屋面（专为光伏设计的新屋面填 0）",
              help_en="share of roof that cannot carry modules (older light roofs), on every roof (0 for new "
                      "roofs designed for PV)",
              auto_zh="彩钢屋面 25%（按已建项目校准），其他 0",
              auto_en="colour-steel 25% (calibrated on built projects), others 0",
              source=_DEDUCTIONS, advanced=True),
        Param("deductions_table", "file", None, "屋面扣减表", "Roof deduction table", optional=True,
              metavar="CSV",
              help_zh="按屋面类别的扣减参数表（格式同 resources/defaults/roof_deductions.csv）",
              help_en="per roof class deductions, a CSV like resources/defaults/roof_deductions.csv",
              auto_zh="内置表", auto_en="the built-in table", filters="CSV (*.csv);;All files (*)",
              source=_DEDUCTIONS, advanced=True),
        Param("gcr", "float", None, "平屋面地面覆盖率 GCR", "Flat-roof ground-coverage ratio", minimum=0.1,
              maximum=1.0, optional=True, metavar="R", auto_zh="冬至日 9–15 时前后排不遮挡",
              auto_en="no shading 9:00–15:00 on the winter solstice at the site",
              source="GB 50797-2012 §6.6 (winter-solstice 9:00–15:00 rule)"),
        Param("min_usable_m2", "float", 25.0, "最小可用面积", "Minimum usable area", unit="m²", minimum=0.0,
              maximum=1e6, flag="--min-usable", metavar="M2", help_zh="可用面积更小的屋面不装光伏",
              help_en="roofs with less usable area get no PV",
              source="about 10 modules; engineering judgement (gis/solar/layout.py)"),
        MODULE_W,
        MODULE_SIZE,
        # a county or a province: tiles with halos on a Dask cluster (app/pv_cluster.py, docs/scale.md)
        Param("cluster", "text", None, "Dask 本地集群", "Dask local cluster", optional=True, flag="--cluster",
              metavar="local[:WORKERS]",
              help_zh="分块计算（整县/整省）：本机 Dask 集群，local:4 = 4 个工作进程；输出 --out OUT.parquet",
              help_en="tiled run (a county, a province) on a local Dask cluster, local:4 = 4 worker "
                      "processes; writes --out OUT.parquet",
              auto_zh="不分块，单进程计算（GeoParquet 输入或 .parquet 输出时按 local 分块）",
              auto_en="one process (a GeoParquet input or a .parquet --out runs tiled on local)",
              source="local: one single-threaded worker per core (dask.system.CPU_COUNT), docs/scale.md",
              advanced=True),
        Param("scheduler", "text", None, "Dask 调度器地址", "Dask scheduler address", optional=True,
              flag="--scheduler", metavar="ADDRESS",
              help_zh="在已有 Dask 集群上分块计算（如 tcp://10.0.0.5:8786）；各节点须装有零碳并能读到输入与输出路径",
              help_en="tiled run on an existing Dask cluster (e.g. tcp://10.0.0.5:8786); its workers need "
                      "Lingtan installed and the input and output paths on a shared file system",
              auto_zh="本机集群", auto_en="a local cluster", source="docs/scale.md", advanced=True),
        Param("tile_m", "float", None, "分块边长", "Tile side", unit="m", minimum=100.0, maximum=50_000.0,
              optional=True, flag="--tile-m", metavar="M",
              help_zh="分块计算的方形分块边长（外加遮挡缓冲区）",
              help_en="side of the square tiles of a tiled run (each loads a shading halo around it)",
              auto_zh="按建筑密度自动选取（每块约 3 万栋，2–16 千米）",
              auto_en="chosen from the building density (~30,000 per tile, 2–16 km)",
              source="gis/scale/tiles.py auto_tile_m, TILE_TARGET_BUILDINGS (measured on 1M synthetic "
                     "footprints: 4 km tiles 110 s, 12 km 74 s on 2 workers)", advanced=True),
    )

    @staticmethod
    def cli_run(args, progress: Progress) -> int | None:
        """``lingtan pv`` tiled on a Dask cluster when asked (app/pv_cluster.py); None: the usual run."""
        from app import pv_cluster

        return pv_cluster.run_cli(RooftopPV(), args, progress) if pv_cluster.wanted(args) else None

    def settings(self, p: ParamValues):
        """The core's :class:`~gis.solar.rooftop.PVSettings` of checked values."""
        from gis.solar.energy import SystemSettings
        from gis.solar.layout import LayoutSettings, ModuleSpec
        from gis.solar.roof_deductions import DeductionOverrides
        from gis.solar.rooftop import PVSettings

        def share(pct: float | None) -> float | None:
            return None if pct is None else pct / 100.0

        length, width = p.module_size
        deductions = DeductionOverrides(
            skylight_share=share(p.skylight_pct), equipment_share=share(p.equipment_pct),
            walkway_m=p.walkway_m, walkway_every_m=p.walkway_every_m, fire_lane_m=p.fire_lane_m,
            fire_block_m=p.fire_block_m, structure_share=share(p.structure_pct))
        return PVSettings(
            layout=LayoutSettings(module=ModuleSpec(p.module_w, length, width), setback_m=p.setback_m,
                                  min_usable_m2=p.min_usable_m2, flat_gcr=p.gcr, forced_tilt_deg=p.tilt_deg,
                                  forced_azimuth_deg=p.azimuth_deg, deductions=deductions,
                                  deductions_table=p.deductions_table),
            system=SystemSettings(losses_pct=p.losses_pct), shading=p.shading, grid_factor_key=p.grid_factor)

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.pv import result_layer, run_rooftop

        buildings = first(inputs["buildings"])
        from app import pv_cluster

        src = pv_cluster.lazy_source(buildings)  # a GeoParquet layer read by view: tiled on a cluster
        if src is not None:
            return pv_cluster.run_for_gui(self, params, src, progress)
        result = run_rooftop(buildings.gdf, self.settings(params), weather_path=params.weather,
                             allow_network=params.network, fix_time_base=params.fix_time_base,
                             dsm_path=params.dsm, altitude_m=params.altitude_m,
                             restore_components=not params.keep_components, progress=progress)
        return AlgorithmOutput(self.id, result, {"rooftop_pv": result_layer(result)}, result.summary(),
                               result.problems)

    def describe(self, s: dict) -> list[str]:
        from app.pv import describe_pv

        return describe_pv(s)


__all__ = ["RooftopPV", "warnings_lines"]
