"""Wind turbines at given points: gross and net annual energy with wakes, and the siting
constraints (spacing, setbacks, noise, shadow flicker). Methods and sources: docs/wind.md."""

from __future__ import annotations

from app.processing.algorithm import Algorithm, AlgorithmOutput, CliAction, Inputs, LayerInput, first
from app.processing.params import Param, ParamValues
from gis.errors import InputError
from gis.progress import NO_PROGRESS, Progress
from gis.wind import constraints as C
from gis.wind.resource import DEFAULT_LAND_USE
from gis.wind.wakes import DEFAULT_TI, JENSEN_K_ONSHORE


def _land_uses() -> list[tuple[str, str, str]]:
    from gis.wind.resource import roughness_table

    t = roughness_table()
    return [(str(k), f"{z}（{law} {v:g}）", f"{e} ({law} {v:g})")
            for k, z, e, law, v in zip(t["key"], t["name_zh"], t["name_en"], t["law"], t["value"],
                                       strict=True)]


def list_turbines(args) -> tuple[dict, list[str]]:
    """The bundled curves and windpowerlib's library (``lingtan wind --list-turbines``)."""
    from gis.wind.turbines import library_table, turbine_names, windpowerlib_version

    lib = library_table()
    bundled = [n for n in turbine_names() if n not in set(lib.turbine_type)]
    lines = [f"内置曲线 Bundled curves: {', '.join(bundled)}",
             f"windpowerlib {windpowerlib_version()} ({len(lib)}):"]
    lines += [f"  {r.turbine_type:<14} {r.rated_kw:>7,.0f} kW  D {r.rotor_diameter_m:g} m  hub "
              f"{r.hub_heights_m}"
              for r in lib.itertuples()]
    return {"bundled": bundled, "windpowerlib": lib.to_dict("records")}, lines


def _turbine_names() -> list[str]:
    from gis.wind.turbines import turbine_names

    return list(turbine_names())


_OPT_M = {"unit": "m", "optional": True, "metavar": "M"}


class Wind(Algorithm):
    id = "wind"
    cli_alias = "wind"
    title_zh, title_en = "风机发电量、尾流与选址约束", "Wind turbines: energy, wakes and constraints"
    group_zh, group_en = "风电", "Wind"
    summary_zh = ("给定点位的风机年发电量：按各风向扇区风速分布积分功率曲线（空气密度修正）得毛发电量，扣除风"
                  "机间尾流"
                  "（Jensen/NOJ 或 Bastankhah 高斯模型）得净发电量与容量系数；并核查选址约束：按叶轮直径的间"
                  "距"
                  "（沿主导风向的椭圆）、与建筑、道路和园区边界的退让、敏感建筑或受声点的噪声（ISO 9613-2，"
                  "对照 GB 3096-2008），可选最不利阴影闪烁。")
    summary_en = ("Annual energy of wind turbines at the given points: gross AEP from the power curve "
                  "integrated "
                  "over the wind distribution of every direction sector (air-density corrected), wake losses "
                  "between the turbines (Jensen/NOJ or Bastankhah Gaussian), net AEP and capacity factor; "
                  "and "
                  "the siting constraints: spacing in rotor diameters (an ellipse along the prevailing "
                  "wind), "
                  "setbacks from buildings, roads and the park boundary, noise at sensitive buildings or "
                  "receptor points (ISO 9613-2 against GB 3096-2008), optional worst-case shadow flicker.")
    summary_key = "wind"
    outputs = ("turbines", "wind_violations", "wind_receptors")
    inputs = (
        LayerInput("turbines", "风机点位", "Turbine positions",
                   "点；可选字段 turbine_id/id/编号、hub_height_m/轮毂高度",
                   "turbine positions: points (any format `lingtan info` reads); optional fields "
                   "turbine_id/id/编号 and hub_height_m/轮毂高度", geometry=("point",), positional=True),
        LayerInput("boundary", "园区红线", "Park boundary", "退让核查", "park boundary polygons (setbacks)",
                   geometry=("polygon",), required=False, role="boundary"),
        LayerInput("buildings", "建筑", "Buildings",
                   "退让核查；宿舍、住宅、学校、医院或 sensitive 字段为噪声敏感点",
                   "building footprints (setbacks; dormitories, homes, schools, hospitals or a 'sensitive' "
                   "field become noise receptors)", geometry=("polygon",), required=False, role="buildings"),
        LayerInput("roads", "道路", "Roads", "退让核查", "road lines or polygons (setbacks)",
                   geometry=("line", "polygon"), required=False, role="roads"),
        LayerInput("receptors", "受声点", "Receptors",
                   "噪声/阴影受体（noise_class/声功能区 字段为 GB 3096 类别），"
                   "替代敏感建筑", "noise/shadow receptor points or polygons (field noise_class/声功能区 = "
                   "GB 3096 class); replaces the sensitive buildings", required=False),
    )
    cli_actions = (CliAction("--list-turbines", "list the turbine names and exit / 列出机型", list_turbines),)
    params = (
        Param("turbine", "text", None, "机型", "Turbine", metavar="NAME|CURVE.csv", suggest=_turbine_names,
              help_zh="windpowerlib 机型（如 E-53/800）、内置曲线、功率曲线 CSV 或 generic:额定kW,叶轮直"
                      "径m,轮毂高m",
              help_en="a windpowerlib type (e.g. E-53/800), a bundled curve (vestas_v52_850kw, "
                      "ghrepower_fd21_50, "
                      "nps_100c_24), a power-curve CSV (speed m/s, power kW; 风速/功率 headers; "
                      "'# rotor_diameter_m: 52' lines) or generic:RATED_KW,DIAMETER_M,HUB_M"),
        Param("hub_height_m", "float", None, "轮毂高度", "Hub height", minimum=5.0, maximum=300.0,
              flag="--hub-height", auto_zh="机型的轮毂高度", auto_en="the turbine's", **_OPT_M),
        Param("rotor_diameter_m", "float", None, "叶轮直径", "Rotor diameter", minimum=1.0, maximum=300.0,
              flag="--rotor-diameter", auto_zh="机型的叶轮直径",
              auto_en="the turbine's (curve files without one: "
              "required)", **_OPT_M, advanced=True),
        Param("cut_out_ms", "float", None, "切出风速", "Cut-out wind speed", unit="m/s", minimum=5.0,
              maximum=50.0,
              optional=True, flag="--cut-out", metavar="M/S", auto_zh="曲线自带（止于满发的曲线取 25 m/s）",
              auto_en="the curve's own (a curve ending at full power is held to 25 m/s)", advanced=True),
        Param("sound_power_dba", "float", None, "声功率级 L_WA", "Sound power level L_WA", unit="dB(A)",
              minimum=40.0, maximum=130.0, optional=True, flag="--sound-power", metavar="DBA",
              auto_zh=f"机型文件中的值，否则 {C.DEFAULT_SOUND_POWER_DBA:g}",
              auto_en=f"the turbine file's, else {C.DEFAULT_SOUND_POWER_DBA:g} (DOMAIN.md §6, unverified)"),
        Param("resource", "file", None, "风资源文件", "Wind resource file", optional=True, metavar="FILE",
              help_zh="EPW（10 m 风速风向）、WAsP .tab、风图谱式 GeoTIFF 或扇区表 CSV（sector, frequency, A, "
                      "k）",
              help_en="EPW weather file (10 m wind and directions), WAsP .tab file, Global Wind Atlas-style "
                      "GeoTIFF (mean speed or Weibull A) or a sector table CSV (sector, frequency, A, k)",
              auto_zh="用 --weibull 给出", auto_en="give --weibull instead",
              filters="Wind (*.epw *.tab *.tif *.tiff *.csv);;All files (*)"),
        Param("weibull", "pair", None, "Weibull A,k", "Weibull A,k", optional=True, metavar="A,k",
              minimum=(0.5, 0.8), maximum=(25.0, 6.0),
              help_zh="各方向共用的 Weibull 分布（A m/s，k）",
              help_en="one Weibull distribution (A m/s, k) for all "
              "directions, at --weibull-height", auto_zh="用风资源文件", auto_en="use --resource",
              source="range: A 0.5–25 m/s and k 0.8–6 span measured surface winds (Troen & Petersen 1989)"),
        Param("weibull_height_m", "float", None, "Weibull 高度", "Height of the Weibull", minimum=1.0,
              maximum=300.0, flag="--weibull-height", auto_zh="轮毂高度", auto_en="hub height", **_OPT_M),
        Param("resource_height_m", "float", None, "资源数据高度", "Resource height", minimum=1.0,
              maximum=300.0,
              flag="--resource-height", auto_zh="取自文件名", auto_en="from the file name", **_OPT_M,
              advanced=True),
        Param("directions", "file", None, "风向频率文件", "Direction frequencies", optional=True,
              metavar="FILE",
              help_en="direction frequencies for a GeoTIFF resource (EPW, .tab or sector table)",
              auto_zh="各方向均匀", auto_en="uniform", advanced=True),
        Param("sectors", "int", 12, "风向扇区数", "Direction sectors", minimum=4, maximum=36,
              help_en="direction sectors for EPW files", source="12: the WAsP and IEC 61400-12 convention"),
        Param("epw_method", "choice", "weibull", "EPW 扇区风速", "EPW speeds per sector",
              choices=(("weibull", "WAsP Weibull 拟合", "WAsP Weibull fit"),
                       ("histogram", "直方图", "histogram")),
              source="WAsP method (Troen & Petersen 1989)", advanced=True),
        Param("land_use", "choice", DEFAULT_LAND_USE, "地表粗糙度类别", "Roughness class", choices=_land_uses,
              metavar="KEY", source="resources/wind/roughness.csv (European Wind Atlas, GB 50009)"),
        Param("z0_m", "float", None, "粗糙度长度 z0", "Roughness length z0", unit="m", minimum=0.0001,
              maximum=3.0, optional=True, flag="--z0", metavar="M", auto_zh="按地表类别",
              auto_en="from the land use",
              advanced=True),
        Param("alpha", "float", None, "风切变指数 α", "Shear exponent α", minimum=0.0, maximum=0.9,
              optional=True,
              auto_zh="按地表类别", auto_en="from the land use", advanced=True),
        Param("altitude_m", "float", None, "海拔", "Site altitude", minimum=-500.0, maximum=6000.0,
              flag="--altitude", auto_zh="EPW 的海拔，否则 0", auto_en="the EPW's, else 0", **_OPT_M,
              advanced=True),
        Param("temperature_c", "float", None, "年平均气温", "Mean air temperature", unit="°C", minimum=-40.0,
              maximum=40.0, optional=True, flag="--temperature", metavar="C", auto_zh="EPW 的，否则标准大气",
              auto_en="the EPW's, else ISA", advanced=True),
        Param("density_kg_m3", "float", None, "空气密度", "Air density", unit="kg/m³", minimum=0.7,
              maximum=1.5,
              optional=True, flag="--density", metavar="KG/M3", auto_zh="由海拔与气温", auto_en="from the "
              "altitude and temperature at the mean hub height", advanced=True),
        Param("wake", "choice", "jensen", "尾流模型", "Wake model",
              choices=(("jensen", "Jensen/NOJ", "Jensen/NOJ"), ("bastankhah", "Bastankhah 高斯",
                                                                "Bastankhah Gaussian"),
                       ("none", "不计",
                        "none")), source="Jensen/NOJ: the WAsP PARK model (Katic et al. 1986)"),
        Param("wake_k", "float", JENSEN_K_ONSHORE, "尾流衰减系数 k", "Jensen wake decay k", minimum=0.01,
              maximum=0.3, source="0.075 onshore (Katic et al. 1986; WAsP PARK default)", advanced=True),
        Param("ti", "float", DEFAULT_TI, "湍流强度", "Turbulence intensity", minimum=0.01, maximum=0.5,
              help_en="ambient turbulence intensity for the Gaussian model",
              source="0.10: IEC 61400-1 class C reference at 15 m/s is 0.12; 0.10 for open land "
                     "(docs/wind.md)",
              advanced=True),
        Param("spacing_d", "pair", (C.SPACING_DOWNWIND_D, C.SPACING_CROSSWIND_D), "最小间距（顺风,横风）",
              "Minimum spacing (down, cross)", unit="D", minimum=1.0, maximum=20.0, flag="--spacing",
              metavar="DOWN,CROSS", help_en="minimum spacing in rotor diameters along and across the "
                                            "prevailing wind",
              source="5 D × 3 D: common practice (docs/wind.md)"),
        Param("prevailing_deg", "float", None, "主导风向", "Prevailing wind direction", unit="°", minimum=0.0,
              maximum=360.0, optional=True, flag="--prevailing", metavar="DEG",
              auto_zh="风能最多的扇区", auto_en="the sector with most wind energy"),
        Param("setback_buildings_m", "float", None, "建筑退让", "Setback from buildings", minimum=0.0,
              maximum=5000.0, flag="--setback-buildings", auto_zh="叶尖高度 × 1.5",
              auto_en="tip height × 1.5",
              source="resources/wind/setbacks.csv", **_OPT_M),
        Param("setback_roads_m", "float", None, "道路退让", "Setback from roads", minimum=0.0, maximum=5000.0,
              flag="--setback-roads", auto_zh="叶尖高度 × 1.1", auto_en="tip height × 1.1",
              source="resources/wind/setbacks.csv", **_OPT_M),
        Param("setback_boundary_m", "float", None, "边界退让", "Setback from the boundary", minimum=0.0,
              maximum=5000.0, flag="--setback-boundary", auto_zh="叶尖高度 × 1.1", auto_en="tip height × 1.1",
              source="resources/wind/setbacks.csv", **_OPT_M),
        Param("noise_class", "choice", C.DEFAULT_NOISE_CLASS, "声环境功能区类别", "Noise zone class",
              choices=((C.AUTO_NOISE_CLASS, "按建筑用途", "by the building's use"),
                       *((c, f"{c} 类", f"class {c}") for c in ("0", "1", "2", "3", "4a", "4b"))),
              help_en="GB 3096-2008 class of receptors without a class field; auto: by the building's use",
              source="GB 3096-2008 §4.2, resources/wind/noise_class_by_use.csv"),
        Param("noise_ground", "bool", False, "计地面衰减", "Ground attenuation",
              help_en="include the ISO 9613-2 ground term (alternative method, porous ground)",
              source="off: conservative", advanced=True),
        Param("noise", "bool", True, "噪声核查", "Noise check", cli_negate="--no-noise",
              source="on: ISO 9613-2 against GB 3096-2008"),
        Param("shadow", "bool", False, "阴影闪烁", "Shadow flicker",
              help_en="also compute worst-case shadow-flicker hours", source="off: it takes longer"),
    )

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from gis.wind.farm import WindSettings, run_wind_farm
        from gis.wind.turbines import load_turbine
        from gis.wind.wakes import WakeSettings

        p = params
        progress.report(0.0, "reading")
        turbine = load_turbine(p.turbine, hub_height_m=p.hub_height_m, rotor_diameter_m=p.rotor_diameter_m,
                               cut_out_ms=p.cut_out_ms, sound_power_dba=p.sound_power_dba)
        resource = self.resource(p, turbine.hub_height_m)
        down, cross = p.spacing_d
        settings = WindSettings(
            wake=WakeSettings(p.wake, jensen_k=p.wake_k, ti=p.ti), density_kg_m3=p.density_kg_m3,
            spacing_downwind_d=down, spacing_crosswind_d=cross, prevailing_deg=p.prevailing_deg,
            setback_buildings_m=p.setback_buildings_m, setback_roads_m=p.setback_roads_m,
            setback_boundary_m=p.setback_boundary_m, noise=p.noise, noise_class=p.noise_class,
            noise_ground=p.noise_ground, shadow=p.shadow)
        layers = {k: (lyr.gdf if (lyr := first(inputs.get(k))) is not None else None)
                  for k in ("boundary", "buildings", "roads", "receptors")}
        progress.report(0.1, "computing")
        result = run_wind_farm(first(inputs["turbines"]).gdf, turbine, resource, settings=settings,
                               progress=progress.sub(0.1, 1.0), **layers)
        return AlgorithmOutput(self.id, result, result.layers(), result.summary(), result.problems)

    @staticmethod
    def resource(p: ParamValues, hub_height_m: float):
        """The WindResource the values describe."""
        from gis.wind.resource import RasterResource, WindClimate, WindResource, read_resource, shear_for

        shear = shear_for(p.land_use, z0_m=p.z0_m, alpha=p.alpha)
        if (p.resource is None) == (p.weibull is None):
            raise InputError("请给出风资源：--resource 文件 或 --weibull A,k（二选一）",
                             "Give the wind resource: --resource FILE or --weibull A,k (one of them)",
                             code="wind.no_resource")
        if p.weibull is not None:
            a, k = p.weibull
            height = p.weibull_height_m or hub_height_m
            climate = WindClimate.uniform(a, k, height, p.sectors,
                                          source=f"Weibull A = {a:g} m/s, k = {k:g} at {height:g} m (user)")
            return WindResource(climate, shear, altitude_m=p.altitude_m, temperature_c=p.temperature_c)
        res = read_resource(p.resource, height_m=p.resource_height_m, n_sectors=p.sectors,
                            epw_method=p.epw_method)
        if isinstance(res, RasterResource):
            directions = None
            if p.directions is not None:
                directions = read_resource(p.directions, height_m=p.resource_height_m or 10.0,
                                           n_sectors=p.sectors, epw_method=p.epw_method)
                if isinstance(directions, RasterResource):
                    raise InputError("--directions 需要 EPW、.tab 或扇区表",
                                     "--directions needs an EPW, .tab or sector table",
                                     code="wind.directions")
            return WindResource(directions, shear, raster=res, altitude_m=p.altitude_m,
                                temperature_c=p.temperature_c)
        return WindResource(res, shear, altitude_m=p.altitude_m, temperature_c=p.temperature_c)

    def describe(self, s: dict) -> list[str]:
        t = s["turbine"]
        lines = [f"风机 Turbine: {t['name']}  {t['rated_kw']:g} kW, D {t['rotor_diameter_m']:g} m, "
                 f"轮毂 hub {t['hub_height_m']:g} m",
                 f"风机数 Turbines: {s['turbines']}  容量 capacity {s['capacity_kw']:,.0f} kW  "
                 f"空气密度 air density {s['air_density_kg_m3']:.3f} kg/m³",
                 f"发电量 AEP: 毛 gross {s['gross_aep_mwh']:,.1f} MWh/yr, 净 net {s['aep_mwh']:,.1f} MWh/yr "
                 f"(尾流损失 wake loss {s['wake_loss_pct']:.2f}%, {s['wake_model']})",
                 f"容量系数 Capacity factor: {s['cf']:.3f}  "
                 f"等效满发小时 full-load hours {s['full_load_hours']:,.0f} h"]
        if s.get("max_noise_dba") is not None:
            lines.append(f"敏感点 Receptors: {s['receptors']}  最大噪声 max noise {s['max_noise_dba']:.1f} "
                         f"dB(A)")
        kinds = s.get("violations_by_kind") or {}
        lines.append(f"违规 Violations: {s['violations']}" + (
            "  (" + ", ".join(f"{k} {n}" for k, n in kinds.items()) + ")" if kinds else ""))
        lines += [f"  ! {row['turbine']}: {row['message_zh']}\n    {row['message_en']}"
                  for row in (s.get("violation_rows") or [])[:8]]
        lines += [f"  ! {p['zh']}\n    {p['en']}" for p in s.get("problems", []) if p["level"] != "info"]
        return lines
