"""A new park from layers the planner has: the red line, the buildings and the optional layers and
tables, by role (the desktop app's File → New Park; ``lingtan park new`` writes it as a project)."""

from __future__ import annotations

from app.processing.algorithm import Algorithm, AlgorithmOutput, Inputs, LayerInput, first
from app.processing.params import Param, ParamValues
from gis.progress import NO_PROGRESS, Progress

FIELD_PARAMS = {"height": "height_field", "floors": "floors_field", "use": "use_field",
                "roof": "roof_field", "enterprise_id": "id_field"}
"""The parameter naming the buildings' column for each role of gis.buildings.BUILDING_FIELDS."""


def _field_param(role: str, zh: str, en: str, flag: str, guessed: str) -> Param:
    """A buildings field chosen by name; automatic: the readers' guess; ``-``: none."""
    return Param(FIELD_PARAMS[role], "text", None, f"{zh}字段", f"{en} field", optional=True, flag=flag,
                 metavar="FIELD", advanced=True,
                 auto_zh=f"按常见字段名猜测（{guessed}…）",
                 auto_en=f"guessed from the usual names ({guessed}…)",
                 help_zh=f"建筑图层中表示{zh}的字段；“-”表示不使用任何字段",
                 help_en=f"the buildings' field holding the {en.lower()}; '-' for none",
                 source="gis.buildings.BUILDING_FIELDS: the names planners' files and OSM use")


def building_fields(params: ParamValues) -> dict[str, str | None]:
    """{role: chosen column, NO_FIELD or None (guess)} of the New Park parameters."""
    return {role: params[name] for role, name in FIELD_PARAMS.items()}


def _describe_count(s: dict) -> str:
    b = s.get("buildings") or {}
    return f"建筑 Buildings: {b.get('count', '?')}"


class NewPark(Algorithm):
    id = "new_park"
    title_zh, title_en = "新建园区", "New park"
    group_zh, group_en = "园区", "Park"
    summary_zh = ("由自己的数据新建园区：园区红线、建筑，以及可选的绿地、行道树、乡镇街道、道路、水体和企业能"
                  "耗表、"
                  "乡镇统计表；红线外的建筑、绿地、行道树和水体默认去掉并计数。")
    summary_en = ("A park from your own data: the red line, the buildings and optionally green space, tree "
                  "rows, "
                  "townships, roads, water, the enterprise energy table and the township statistics; "
                  "buildings, "
                  "green space, tree rows and water outside the red line are left out (and counted) by "
                  "default.")
    makes_park = True
    outputs = ("boundary", "buildings", "green", "tree_rows", "townships", "roads", "water")
    # a layer read by view gives the rows inside the red line from its file (app/park_parquet.py)
    reads_file_inputs = outputs
    inputs = (
        LayerInput("boundary", "园区红线", "Park boundary (red line)", geometry=("polygon",), role="boundary",
                   positional=True),
        LayerInput("buildings", "建筑", "Buildings", "建筑轮廓；高度取自高度或层数字段",
                   "building footprints; heights from a height or floors field", geometry=("polygon",),
                   role="buildings"),
        LayerInput("green", "绿地", "Green space", "绿地面，含覆盖类型字段",
                   "green polygons with a land-cover field",
                   geometry=("polygon",), required=False, role="green"),
        LayerInput("tree_rows", "行道树", "Tree rows", geometry=("line", "point", "polygon"), required=False,
                   role="tree_rows", flag="--trees"),
        LayerInput("townships", "乡镇街道", "Townships", geometry=("polygon",), required=False,
                   role="townships"),
        LayerInput("roads", "道路", "Roads", geometry=("line", "polygon"), required=False, role="roads"),
        LayerInput("water", "水体", "Water", geometry=("polygon",), required=False, role="water"),
        LayerInput("energy", "企业能耗表", "Enterprise energy table", "lingtan template energy 生成的模板",
                   "the template of `lingtan template energy`", required=False, kind="table"),
        LayerInput("stats", "乡镇统计表", "Township statistics", required=False, kind="table"),
    )
    params = (
        Param("name", "text", None, "园区名称", "Park name", optional=True,
              auto_zh="取红线图层的名称字段，否则“园区”",
              auto_en="the red line's name field, else 园区"),
        Param("inside_only", "bool", True, "只保留红线内要素", "Only features inside the red line",
              cli_negate="--keep-outside", help_en="leave out buildings, green space, tree rows and water "
              "outside the red line (a feature cut by it is in when its point-on-surface is)",
              source="a park is what its red line holds"),
        Param("keep_overlapping_parts", "bool", False, "保留重叠的建筑部件",
              "Keep overlapping building parts",
              help_zh="一半以上落在更大轮廓内的建筑轮廓（如 OSM 的 building:part）默认删除，以免屋顶重复计算",
              help_en="footprints lying more than half inside a larger one (OSM building:part) are "
              "dropped by default so that no roof is counted twice",
              source="OSM maps a tower as an outline plus building:part pieces on it"),
        _field_param("height", "高度", "Height", "--height-field", "height_m, height, 高度, 楼高"),
        _field_param("floors", "层数", "Floors", "--floors-field", "floors, building:levels, 层数"),
        _field_param("use", "用途", "Use", "--use-field", "use, type, 用途, 功能"),
        _field_param("roof", "屋面类型", "Roof type", "--roof-field", "roof_type, roof, 屋面类型"),
        _field_param("enterprise_id", "企业代码", "Enterprise id", "--id-field", "enterprise_id, 企业代码"),
    )

    def run(self, params: ParamValues, inputs: Inputs, progress: Progress = NO_PROGRESS) -> AlgorithmOutput:
        from app.park_parquet import role_frames
        from gis.park import build_park, summarise_park

        layers, files = {}, {}
        for role in ("boundary", "buildings", "green", "tree_rows", "townships", "roads", "water"):
            item = first(inputs.get(role))
            if item is not None:
                layers[role] = item.gdf
                if item.source is not None:  # a GeoParquet layer read by view: rows from its file
                    files[role] = item.source
        if files:
            layers = role_frames(layers, files, inside_only=params.inside_only,
                                 progress=progress.sub(0.0, 0.3))
            progress = progress.sub(0.3, 1.0)
        tables = {}
        for key, name in (("enterprises", "energy"), ("township_stats", "stats")):
            item = first(inputs.get(name))
            if item is not None:
                tables[key] = item.gdf
        park = build_park(layers, tables, name=params.name, inside_only=params.inside_only,
                          keep_overlapping_parts=params.keep_overlapping_parts,
                          building_fields=building_fields(params), progress=progress)
        summary = {**summarise_park(park), "problems": [p.to_dict() for p in park.problems]}
        return AlgorithmOutput(self.id, park, park.layers(), summary, park.problems)

    def describe(self, s: dict) -> list[str]:
        lines = [f"园区 Park: {(s.get('park') or {}).get('name', '')}", _describe_count(s)]
        return [*lines, *(f"  · {p['zh']}\n    {p['en']}" for p in s.get("problems", []))]
