"""A park project file (JSON): where a park's layers and tables are, and the run's choices.

Example (paths relative to the project file)::

    {"name": "临江智造园",
     "boundary": "boundary.shp", "buildings": {"path": "park.gpkg", "layer": "buildings"},
     "green": {"path": "park.gpkg", "layer": "green"}, "trees": {"path": "park.gpkg", "layer": "tree_rows"},
     "energy": "enterprises_energy.xlsx",
     "weather": "CHN_Zhejiang.Hangzhou.epw", "factors": "national-2023", "indicators": "national-2025",
     "year": 2024, "baseline_year": 2023,
     "facts": {"solid_waste_use_pct": 92, "water_reuse_pct": 85},
     "scenarios": [{"name": "PV + 30% green power", "pv_share": 1.0, "green_power_kwh": 5e8,
                    "fuel_switches": [{"from": "raw_coal", "to": "natural_gas", "share": 1.0}]}]}
"""

from __future__ import annotations

import json
from pathlib import Path

from gis.carbon.balance import FuelSwitch, Scenario
from gis.errors import InputError
from gis.park import LayerSource, ParkSources

LAYER_KEYS = {"boundary": "boundary", "buildings": "buildings", "green": "green", "trees": "tree_rows"}


def _layer(value, base: Path, key: str) -> LayerSource:
    if isinstance(value, str):
        return LayerSource(base / value)
    if isinstance(value, dict) and "path" in value:
        return LayerSource(base / value["path"], value.get("layer"), value.get("crs"))
    raise InputError(f"项目文件中“{key}”应为路径或 {{\"path\": …, \"layer\": …}}",
                     f"'{key}' in the project file must be a path or {{\"path\": …, \"layer\": …}}",
                     code="project.layer")


def _project_text(path: Path) -> str:
    """The project file's text: UTF-8 (with or without BOM), UTF-16 with its BOM, or GB18030 (GBK)
    as Chinese editors on Windows save it; undecodable bytes are bad input."""
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for codec in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    raise InputError("项目文件的文字编码无法识别（应为 UTF-8）",
                     "The project file's text encoding is not recognised "
                     "(UTF-8 expected)", path=str(path), code="project.encoding")


def read_project(path: Path) -> tuple[ParkSources, dict]:
    """The park's sources and the other choices (weather, factors, indicators, year,
    baseline_year, facts, scenarios) of a project file."""
    path = Path(path)
    try:
        data = json.loads(_project_text(path))
    except FileNotFoundError:
        raise InputError(f"找不到项目文件 {path}", f"Project file not found: {path}", path=str(path),
                         code="project.missing") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"项目文件不是有效的 JSON：第 {exc.lineno} 行，{exc.msg}",
                         f"The project file is not valid JSON: line {exc.lineno}, {exc.msg}", path=str(path),
                         code="project.json") from None
    except RecursionError:
        raise InputError("项目文件嵌套过深，不是 Lingtan 项目",
                         "The project file is nested too deeply: not a "
                         "Lingtan project", path=str(path), code="project.json") from None
    base = path.parent
    for key in ("boundary", "buildings"):
        if key not in data:
            raise InputError(f"项目文件缺少“{key}”", f"The project file lacks '{key}'", path=str(path),
                             code="project.incomplete")
    layers = {LAYER_KEYS[k]: _layer(data[k], base, k) for k in LAYER_KEYS if k in data}
    energy = data.get("energy")
    energy_path = base / (energy["path"] if isinstance(energy, dict) else energy) if energy else None
    sources = ParkSources(**layers, enterprises_table=energy_path, name=data.get("name"))
    options = {k: data[k] for k in ("factors", "indicators", "year", "baseline_year") if k in data}
    if "facts" in data:
        from gis.carbon.balance import check_facts

        options["facts"] = check_facts(data["facts"])
    if "scenarios" in data and not (isinstance(data["scenarios"], list)
                                    and all(isinstance(x, dict) for x in data["scenarios"])):
        raise InputError("项目文件中的 scenarios 应为情景对象的列表",
                         "'scenarios' in the project file must be a list of scenario objects",
                         path=str(path), code="project.scenario")
    if "weather" in data:
        options["weather"] = base / data["weather"]
    if "scenarios" in data:
        options["scenarios"] = [scenario_from_dict(s) for s in data["scenarios"]]
    return sources, options


def scenario_from_dict(d: dict) -> Scenario:
    """A :class:`Scenario` from its JSON form (keys as in the module docstring)."""
    try:
        switches = tuple(FuelSwitch(s["from"], s["to"], float(s["share"]), s.get("t_co2_per_tce"))
                         for s in d.get("fuel_switches", []))
        return Scenario(name=str(d["name"]), pv_share=float(d.get("pv_share", 1.0)),
                        pv_kwh_extra=float(d.get("pv_kwh_extra", 0.0)),
                        green_power_kwh=float(d.get("green_power_kwh", 0.0)),
                        green_certificates_kwh=float(d.get("green_certificates_kwh", 0.0)),
                        fuel_switches=switches,
                        extra_sinks_t_co2_yr=float(d.get("extra_sinks_t_co2_yr", 0.0)))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"情景定义有误：{exc}", f"A scenario is not valid: {exc}",
                         code="project.scenario") from None
