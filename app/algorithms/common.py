"""Parameters several algorithms share (weather, module, losses, grid factor), declared once."""

from __future__ import annotations

from app.processing.params import Param
from gis import defaults as D


def grid_factor_choices() -> list[tuple[str, str, str]]:
    """The keys of resources/factors/grid_emission_factors.csv with their names."""
    from gis.grid_factors import grid_factor_table

    t = grid_factor_table()
    zh = t["name_zh"] if "name_zh" in t else t["key"]
    en = t["name_en"] if "name_en" in t else t["key"]
    return [(str(k), f"{z}（{v:.4f} kgCO2/kWh）", f"{e} ({v:.4f} kgCO2/kWh)")
            for k, z, e, v in zip(t["key"], zh, en, t["kg_co2_per_kwh"], strict=True)]


WEATHER_FILTERS = "Weather (*.epw *.csv *.json *.tm2 *.tm3 *.txt);;All files (*)"

WEATHER = Param(
    "weather", "file", None, "气象文件", "Weather file", optional=True, metavar="FILE",
    help_zh="逐时气象文件：EPW（CSWD/IWEC/TMYx）、TMY2/TMY3、PVGIS TMY 或逐时数据（csv/json），"
            "或含时间、GHI 的 CSV",
    help_en="hourly weather file: EPW (CSWD/IWEC/TMYx), TMY2/TMY3, PVGIS TMY or hourly (csv/json), or a "
            "CSV with time, GHI [, DNI, DHI, temperature, wind]",
    auto_zh="内置 CSWD 气候数据插值到场址", auto_en="built-in CSWD climatology interpolated to the site",
    source="docs/weather.md", filters=WEATHER_FILTERS)
NETWORK = Param(
    "network", "bool", False, "允许下载 PVGIS 气象", "Allow a PVGIS download",
    help_zh="未给气象文件时下载场址的 PVGIS TMY（缓存到磁盘）", help_en="allow downloading a PVGIS TMY for "
    "the site (cached on disk) when no weather file is given", source="off by default: works offline",
    advanced=True)
ALTITUDE = Param(
    "altitude_m", "float", None, "海拔", "Site altitude", unit="m", minimum=-500.0, maximum=9000.0,
    optional=True, flag="--altitude", metavar="M",
    help_zh="内置气候数据用的场址海拔（温度递减率、晴朗度）", help_en="site altitude above sea level for the "
    "built-in climatology (temperature lapse rate, clearness)",
    auto_zh="由最近的气象站估计", auto_en="estimated from the nearest stations",
    source="range: Dead Sea shore to the highest Chinese settlements", advanced=True)
LOSSES = Param(
    "losses_pct", "float", D.DC_LOSSES_PCT, "直流系统损失", "DC system losses", unit="%", minimum=0.0,
    maximum=80.0, flag="--losses", metavar="PCT",
    help_zh="直流侧系统损失（含 3% 通用遮挡）", help_en="DC system losses (includes 3% generic shading)",
    source="PVWatts v5 default (Dobos 2014, NREL/TP-6A20-62641)")
MODULE_W = Param(
    "module_w", "float", D.MODULE_POWER_W, "组件功率", "Module power", unit="W", minimum=50.0, maximum=1000.0,
    metavar="W", source="DOMAIN.md §5: 144-half-cell TOPCon, 550–580 W (2024–2025 data sheets)")
MODULE_SIZE = Param(
    "module_size", "pair", (D.MODULE_LENGTH_M, D.MODULE_WIDTH_M), "组件尺寸（长x宽）",
    "Module size (length x width)", unit="m", minimum=0.2, maximum=3.5, metavar="LxW",
    source="2,278 × 1,134 mm: the 72-cell (144 half-cell) format of current data sheets")
GRID_FACTOR = Param(
    "grid_factor", "choice", D.DEFAULT_GRID_FACTOR_KEY, "电网排放因子", "Grid emission factor",
    choices=grid_factor_choices, metavar="KEY",
    help_zh="计算减排量用的电网排放因子", help_en="grid emission factor for avoided CO2",
    source="resources/factors/grid_emission_factors.csv (MEE & NBS)")
SHADING = Param(
    "shading", "bool", True, "计算建筑遮挡", "Shading by buildings", cli_negate="--no-shading",
    help_zh="按邻近建筑高度计算遮挡", help_en="shading by nearby buildings (needs their heights)",
    source="on: the shading engine of docs/pv.md")
