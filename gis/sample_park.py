"""Deterministic generator of the fictional sample park "临江智造园" near Xiaoshan, Hangzhou.

Everything is synthetic (names, enterprises, statistics): plausible magnitudes for a ~3 km²
Zhejiang manufacturing park, not data about any real place. Geometry is built in metres on
CGCS2000 / 3-degree Gauss–Krüger CM 120E (EPSG:4549) and returned in CGCS2000 lon/lat
(EPSG:4490), the way official data arrive. ``resources/sample/make_sample_park.py`` writes it
to ``resources/sample``; a test checks the committed files equal a fresh run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import affinity
from shapely.geometry import LineString, Polygon, box

SEED = 20261123
PARK_NAME = "临江智造园（示例）"
PARK_NAME_EN = "Linjiang Smart Manufacturing Park (sample)"
CENTRE_LON, CENTRE_LAT = 120.2870, 30.2150  # Xiaoshan, Hangzhou (fictional park)
WORK_CRS = 4549  # CGCS2000 / 3-degree Gauss-Kruger CM 120E
STORE_CRS = 4490  # CGCS2000 lon/lat
ROTATION_DEG = 14.0  # the park's street grid is turned 14° anticlockwise from east
YEARS = (2023, 2024)

_ENT_PREFIX = ["恒鑫", "华锐", "江澜", "钱潮", "越达", "新湾", "瑞丰", "永拓", "科迈", "博远",
               "天衡", "明德", "宏泰", "德昇", "嘉禾", "众诚", "中曜", "沁源", "弘毅", "卓航",
               "启辰", "盛川", "银帆", "凯晟", "东屹", "蓝汀", "睿合", "鼎和", "铭远", "汇川"]
_INDUSTRIES = [("新材料", "C26"), ("纺织印染", "C17"), ("汽车零部件", "C36"), ("化纤", "C28"),
               ("机械制造", "C34"), ("电子科技", "C39"), ("食品", "C14"), ("包装印刷", "C23"),
               ("精密铸造", "C33"), ("医药", "C27"), ("电气设备", "C38"), ("家居用品", "C21")]
# heavy industries burn coal/gas for process heat; light ones mostly use electricity
_HEAVY = {"纺织印染", "化纤", "新材料", "精密铸造", "医药", "食品"}
_TOWN_NAMES = ["临浦", "江滨", "东湖", "文渊", "云溪", "青枫", "澄湖", "柳岸", "梅林", "金沙",
               "望潮", "瑞屿", "南阳", "北干", "新塍", "钱江", "桃源", "石岭", "河庄", "益农",
               "长河", "浦阳", "前进", "衙前", "宁围", "盈丰"]
_GREEN_TYPES = [("woodland", "林地"), ("shrub", "灌木"), ("grass", "草地"), ("wetland", "湿地"),
                ("water", "水体")]


@dataclass
class SamplePark:
    """The sample park's layers (EPSG:4490) and tables."""

    boundary: gpd.GeoDataFrame
    buildings: gpd.GeoDataFrame
    green: gpd.GeoDataFrame
    tree_rows: gpd.GeoDataFrame
    townships: gpd.GeoDataFrame
    enterprises: pd.DataFrame  # energy use and value added per enterprise and year
    township_stats: pd.DataFrame  # energy, GDP, population, area per township and year


def _centre_xy() -> tuple[float, float]:
    from pyproj import Transformer

    t = Transformer.from_crs(4490, WORK_CRS, always_xy=True)
    return t.transform(CENTRE_LON, CENTRE_LAT)


def _park_outline() -> Polygon:
    """~3.0 km² outline in local metres around (0, 0): a 2.1 × 1.55 km grid minus a notch."""
    outer = box(-1050, -775, 1050, 775)
    notch = box(700, 400, 1060, 790)  # a village left outside the red line
    return outer.difference(notch).simplify(0)


def _blocks(outline: Polygon) -> list[tuple[int, int, Polygon]]:
    """Street blocks (col, row, polygon) inside the outline; roads 30 m wide on the grid."""
    xs = np.linspace(-1050, 1050, 7)
    ys = np.linspace(-775, 775, 6)
    out = []
    for i in range(len(xs) - 1):
        for j in range(len(ys) - 1):
            b = box(xs[i] + 15, ys[j] + 15, xs[i + 1] - 15, ys[j + 1] - 15).intersection(
                outline.buffer(-15, join_style="mitre"))
            if b.area > 20_000:
                out.append((i, j, b))
    return out


def _place(rng, plot: Polygon, taken: list[Polygon], w: float, d: float, gap: float,
           shape: str = "rect", tries: int = 60) -> Polygon | None:
    """Put a w × d building (optionally L-shaped) in ``plot`` clear of ``taken`` by ``gap`` m."""
    minx, miny, maxx, maxy = plot.bounds
    for _ in range(tries):
        if rng.random() < 0.5:
            w, d = d, w
        x = rng.uniform(minx + 8, maxx - 8 - w) if maxx - minx - 16 > w else None
        y = rng.uniform(miny + 8, maxy - 8 - d) if maxy - miny - 16 > d else None
        if x is None or y is None:
            w, d = w * 0.85, d * 0.85
            continue
        g = box(x, y, x + w, y + d)
        if shape == "L":
            g = g.difference(box(x + w * 0.55, y + d * 0.5, x + w + 1, y + d + 1))
        if plot.buffer(-6).contains(g) and not any(g.distance(t) < gap for t in taken):
            return g
    return None


def generate(seed: int = SEED) -> SamplePark:
    """Build the sample park deterministically from ``seed``."""
    rng = np.random.default_rng(seed)
    cx, cy = _centre_xy()
    outline = _park_outline()
    blocks = _blocks(outline)
    order = rng.permutation(len(blocks))
    green_blocks = set(order[:3].tolist())
    dorm_blocks = set(order[3:5].tolist())
    office_block = int(order[5])

    rows = _Rows()
    for k, (_i, _j, blk) in enumerate(blocks):
        if k in green_blocks:
            _green_block(rng, blk, rows.green)
        elif k in dorm_blocks:
            _dorm_block(rng, blk, rows)
        elif k == office_block:
            _office_block(rng, blk, rows)
        else:
            _industrial_block(rng, blk, rows)

    buildings = _building_table(rng, rows.buildings)
    green = _green_table(rows.green)
    tree_rows = _tree_rows(outline)
    boundary = gpd.GeoDataFrame({"name": [PARK_NAME], "name_en": [PARK_NAME_EN],
                                 "kind": ["红线"]}, geometry=[outline])
    boundary_ll, buildings_ll, green_ll, trees_ll = (_on_map(gdf, cx, cy)
                                                     for gdf in (boundary, buildings, green, tree_rows))
    townships, stats = _townships(rng, cx, cy)
    # floor areas (m²) from the buildings in local metres
    enterprises = _enterprise_energy(rng, pd.DataFrame(rows.enterprises), buildings)
    return SamplePark(boundary_ll, buildings_ll, green_ll, trees_ll, townships, enterprises, stats)


@dataclass
class _Rows:
    """Rows of the layers and tables, collected block by block (local metres)."""

    buildings: list[dict] = field(default_factory=list)
    green: list[dict] = field(default_factory=list)
    enterprises: list[dict] = field(default_factory=list)

    def next_enterprise_no(self) -> int:
        """The number the next enterprise will get (1-based)."""
        return len(self.enterprises) + 1

    def add_enterprise(self, name: str, industry: str, industry_code: str, kind: str) -> str:
        """Register an enterprise; its id (``E001`` …)."""
        ent = f"E{self.next_enterprise_no():03d}"
        self.enterprises.append({"enterprise_id": ent, "name": name, "industry": industry,
                                 "industry_code": industry_code, "kind": kind})
        return ent

    def add_building(self, geom: Polygon, use: str, roof: str, floors: int, name: str, ent: str) -> None:
        """Add a building of enterprise ``ent``."""
        self.buildings.append({"geometry": geom, "use": use, "roof_type": roof, "floors": floors,
                               "name": name, "enterprise_id": ent})


_OFFICE_BUILDINGS: Sequence[tuple[float, float, int, str]] = [
    (60, 24, 12, "园区管委会大楼"), (48, 20, 8, "科创中心A座"), (48, 20, 8, "科创中心B座"),
    (36, 36, 3, "展示中心")] + [(30, 16, 5, "孵化楼")] * 10
"""The office block's buildings: width (m), depth (m), floors, name (incubators numbered)."""
_ANCILLARY = ["门卫", "配电房", "锅炉房", "泵房", "危废仓库", "车棚"]
"""A factory plot's small buildings, taken in turn."""


def _dorm_block(rng: np.random.Generator, blk: Polygon, rows: _Rows) -> None:
    """A block of staff apartments and a canteen, run by one service company."""
    ent = rows.add_enterprise("园区人才公寓运营有限公司", "住宿服务", "H61", "service")
    taken: list[Polygon] = []
    for m in range(40):
        g = _place(rng, blk, taken, rng.uniform(50, 70), rng.uniform(13, 16), 18)
        if g is None:
            break
        taken.append(g)
        rows.add_building(g, "宿舍", "混凝土平屋面", int(rng.integers(5, 12)), f"{m + 1}号公寓楼", ent)
    canteen = _place(rng, blk, taken, 40, 28, 12)
    if canteen is not None:
        taken.append(canteen)
        rows.add_building(canteen, "公共", "混凝土平屋面", 2, "食堂", ent)


def _office_block(rng: np.random.Generator, blk: Polygon, rows: _Rows) -> None:
    """The park administration: offices and incubators in a lawn."""
    ent = rows.add_enterprise("临江智造园管理委员会", "公共管理", "S92", "service")
    taken: list[Polygon] = []
    for m, (w, d, fl, nm) in enumerate(_OFFICE_BUILDINGS):
        g = _place(rng, blk, taken, w, d, 15)
        if g is not None:
            taken.append(g)
            rows.add_building(g, "办公", "混凝土平屋面", fl, nm if m < 4 else f"孵化楼{m - 3}号", ent)
    rows.green.append({"geometry": blk.buffer(-6).difference(
        shapely.union_all([t.buffer(8) for t in taken])), "cover": "草地", "cover_en": "grass",
        "name": "管委会绿地"})


def _industrial_block(rng: np.random.Generator, blk: Polygon, rows: _Rows) -> None:
    """An industrial block split across its length into 2–4 plots, one enterprise each (plots
    under 8000 m² stay empty)."""
    n_plots = int(rng.choice([2, 2, 3, 3, 4]))
    minx, miny, maxx, maxy = blk.bounds
    cuts = (np.arange(1, n_plots) + rng.uniform(-0.15, 0.15, n_plots - 1)) / n_plots
    edges = np.concatenate([[minx], minx + cuts * (maxx - minx), [maxx]])
    for p in range(n_plots):
        plot = blk.intersection(box(edges[p] + 4, miny, edges[p + 1] - 4, maxy))
        if plot.area >= 8000:
            _factory_plot(rng, plot, rows)


def _factory_plot(rng: np.random.Generator, plot: Polygon, rows: _Rows) -> None:
    """One manufacturer: its buildings and, where at least 1500 m² are left, its green."""
    prefix = _ENT_PREFIX[(rows.next_enterprise_no() * 7) % len(_ENT_PREFIX)]
    ind, code = _INDUSTRIES[int(rng.integers(len(_INDUSTRIES)))]
    ent = rows.add_enterprise(f"杭州{prefix}{ind}有限公司", ind, code, "heavy" if ind in _HEAVY else "light")
    taken = _factory_buildings(rng, plot, ent, rows)
    rest = plot.buffer(-10).difference(shapely.union_all([t.buffer(10) for t in taken]))
    if rest.area > 1500:
        rows.green.append({"geometry": rest, "cover": "草地" if rng.random() < 0.7 else "灌木",
                           "cover_en": "", "name": "厂区绿地"})


def _factory_buildings(rng: np.random.Generator, plot: Polygon, ent: str, rows: _Rows) -> list[Polygon]:
    """Workshops, maybe a warehouse, an office, maybe a dormitory and small ancillary buildings
    on one plot; the footprints placed."""
    taken: list[Polygon] = []
    for f in range(int(rng.integers(1, 4))):
        w, d = rng.uniform(60, 150), rng.uniform(30, 60)
        g = _place(rng, plot, taken, w, d, 14, shape="L" if rng.random() < 0.2 else "rect")
        if g is None:
            continue
        taken.append(g)
        metal = rng.random() < 0.65
        rows.add_building(g, "工业", "彩钢" if metal else "混凝土平屋面",
                          1 if metal else int(rng.integers(2, 5)), f"{f + 1}号厂房", ent)
    if rng.random() < 0.6:
        g = _place(rng, plot, taken, rng.uniform(40, 80), rng.uniform(25, 40), 12)
        if g is not None:
            taken.append(g)
            rows.add_building(g, "仓储", "彩钢", 1, "仓库", ent)
    g = _place(rng, plot, taken, rng.uniform(30, 45), rng.uniform(14, 18), 12)
    if g is not None:
        taken.append(g)
        rows.add_building(g, "办公", "混凝土平屋面", int(rng.integers(3, 7)), "综合楼", ent)
    if rng.random() < 0.35:
        g = _place(rng, plot, taken, rng.uniform(40, 55), rng.uniform(12, 15), 12)
        if g is not None:
            taken.append(g)
            rows.add_building(g, "宿舍", "坡屋面", int(rng.integers(4, 7)), "员工宿舍", ent)
    for a in range(int(rng.integers(3, 9))):
        g = _place(rng, plot, taken, rng.uniform(8, 25), rng.uniform(6, 15), 6)
        if g is not None:
            taken.append(g)
            kind = _ANCILLARY[a % 6]
            rows.add_building(g, "工业" if kind != "车棚" else "其他", "混凝土平屋面" if a % 3 else "彩钢",
                              1, kind, ent)
    return taken


def _building_table(rng: np.random.Generator, rows: list[dict]) -> gpd.GeoDataFrame:
    """The buildings with ``height_m`` (m, surveyed for about 40%, else NaN), ``roof_slope_deg``
    (°) and ``bldg_id``."""
    buildings = gpd.GeoDataFrame(rows, geometry="geometry")
    # heights: most files give floors; about 40% also a surveyed height (m)
    storey = buildings["use"].map({"工业": 7.5, "仓储": 8.0, "办公": 3.8, "宿舍": 3.0, "公共": 4.5,
                                   "其他": 3.2}).to_numpy()
    base = buildings["floors"].to_numpy() * storey + np.where(buildings["roof_type"] == "坡屋面",
                                                              2.0, 0.6)
    height = np.round(base * rng.uniform(0.92, 1.08, len(buildings)), 1)
    surveyed = rng.random(len(buildings)) < 0.4
    buildings["height_m"] = np.where(surveyed, height, np.nan)
    buildings["roof_slope_deg"] = np.where(buildings["roof_type"] == "坡屋面", 25.0,
                                           np.where(buildings["roof_type"] == "彩钢", 5.0, 0.0))
    buildings.insert(0, "bldg_id", [f"B{i + 1:04d}" for i in range(len(buildings))])
    return buildings


def _green_table(rows: list[dict]) -> gpd.GeoDataFrame:
    """The green spaces, one polygon per feature (slivers under 200 m² dropped), with English
    cover names and ``green_id``."""
    green = gpd.GeoDataFrame(rows, geometry="geometry")
    green = green.explode(index_parts=False).reset_index(drop=True)
    green = green[green.area > 200].reset_index(drop=True)
    en = dict((zh, en) for en, zh in _GREEN_TYPES)
    green["cover_en"] = green["cover"].map(en)
    green.insert(0, "green_id", [f"G{i + 1:03d}" for i in range(len(green))])
    return green


def _on_map(gdf: gpd.GeoDataFrame, cx: float, cy: float) -> gpd.GeoDataFrame:
    """A layer in local metres turned by :data:`ROTATION_DEG` and moved to the park's centre
    (``cx``, ``cy`` in EPSG:4549), returned in EPSG:4490."""
    g = gdf.set_crs(WORK_CRS, allow_override=True)
    g = g.set_geometry(g.geometry.rotate(ROTATION_DEG, origin=(0, 0))
                       .translate(cx, cy))
    return _round(g.to_crs(STORE_CRS))


def _round(gdf: gpd.GeoDataFrame, decimals: int = 8) -> gpd.GeoDataFrame:
    """Round lon/lat to 1e-8° (~1 mm) so files are compact and reproducible."""
    return gdf.set_geometry(shapely.set_precision(gdf.geometry.to_numpy(), 10.0 ** -decimals))


def _green_block(rng, blk: Polygon, rows: list[dict]) -> None:
    """A park block: woodland, a pond with wetland rim, shrubs and lawns."""
    c = blk.centroid
    pond = affinity.scale(c.buffer(55, quad_segs=12), 1.4, 0.9)
    pond = affinity.translate(pond, rng.uniform(-40, 40), rng.uniform(-30, 30))
    wet = pond.buffer(18).difference(pond)
    minx, miny, maxx, maxy = blk.bounds
    wood = blk.intersection(box(minx, miny, minx + (maxx - minx) * 0.45, maxy)).difference(
        wet.union(pond).buffer(5))
    shrub = blk.intersection(box(minx + (maxx - minx) * 0.45, miny, maxx,
                                 miny + (maxy - miny) * 0.25)).difference(
        wet.union(pond).buffer(5))
    grass = blk.difference(shapely.union_all([wood, shrub, wet, pond]).buffer(3))
    for geom, zh in [(wood, "林地"), (shrub, "灌木"), (grass, "草地"), (wet, "湿地"), (pond, "水体")]:
        rows.append({"geometry": geom, "cover": zh, "cover_en": "", "name": "园区公园"})


def _tree_rows(outline: Polygon) -> gpd.GeoDataFrame:
    """Street trees along the main roads (both sides, 8 m apart)."""
    rows = []
    for y in np.linspace(-775, 775, 6)[1:-1]:
        for side in (-11.0, 11.0):
            line = LineString([(-1040, y + side), (1040, y + side)]).intersection(outline)
            if not line.is_empty:
                rows.append({"geometry": line, "species": "香樟", "species_en": "camphor",
                             "spacing_m": 8.0, "canopy_width_m": 6.0})
    for x in np.linspace(-1050, 1050, 7)[1:-1]:
        for side in (-11.0, 11.0):
            line = LineString([(x + side, -765), (x + side, 765)]).intersection(outline)
            if not line.is_empty:
                rows.append({"geometry": line, "species": "银杏", "species_en": "ginkgo",
                             "spacing_m": 8.0, "canopy_width_m": 5.0})
    gdf = gpd.GeoDataFrame(rows, geometry="geometry")
    gdf = gdf.explode(index_parts=False).reset_index(drop=True)
    gdf["tree_count"] = np.floor(gdf.length / gdf["spacing_m"]).astype(int) + 1
    gdf.insert(0, "row_id", [f"T{i + 1:02d}" for i in range(len(gdf))])
    return gdf


def _townships(rng, cx: float, cy: float) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """26 township/street polygons (Voronoi cells in a ~36 × 28 km district) and statistics."""
    district = Polygon([(-18000, -12000), (-6000, -15000), (12000, -13500), (19000, -4000),
                        (17000, 11000), (4000, 14500), (-11000, 13000), (-19000, 3000)])
    seeds: list[tuple[float, float]] = []
    while len(seeds) < 26:
        p = (rng.uniform(-18000, 19000), rng.uniform(-15000, 14500))
        if district.contains(shapely.Point(p)):
            seeds.append(p)
    seeds[0] = (0.0, 0.0)  # the park's own township
    pts = np.array(seeds)
    for _ in range(3):  # Lloyd relaxation for even, plausible shapes
        cells = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=district)
        cells = [c.intersection(district) for c in shapely.get_parts(cells)]
        order = [int(np.argmin([c.distance(shapely.Point(p)) for c in cells])) for p in pts]
        cells = [cells[o] for o in order]
        pts = np.array([[c.centroid.x, c.centroid.y] for c in cells])
        pts[0] = (0.0, 0.0)
    cells = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=district)
    cells = [c.intersection(district) for c in shapely.get_parts(cells)]
    order = [int(np.argmin([c.distance(shapely.Point(p)) for c in cells])) for p in pts]
    cells = [cells[o] for o in order]
    names = [n + ("街道" if i % 3 == 0 else "镇") for i, n in enumerate(_TOWN_NAMES)]
    codes = [f"330199{i + 1:03d}" for i in range(26)]  # 3301 99: a fictional county code
    gdf = gpd.GeoDataFrame({"code": codes, "name": names}, geometry=cells, crs=WORK_CRS)
    gdf = gdf.set_geometry(gdf.geometry.rotate(ROTATION_DEG, origin=(0, 0)).translate(cx, cy))
    area_km2 = gdf.area.to_numpy() / 1e6
    gdf = _round(gdf.to_crs(STORE_CRS))
    rows = []
    industrial = rng.uniform(0.1, 1.0, 26) ** 1.5  # how industrial each township is
    industrial[0] = 1.0
    pop = np.round(rng.uniform(2.5, 12.0, 26) * 1e4, -2)
    for y, year in enumerate(YEARS):
        growth = 1.0 + 0.05 * y
        gdp = np.round((pop * rng.uniform(9, 16, 26) + industrial * 9e5) * growth, 0)
        coal = np.round(industrial ** 2 * rng.uniform(0, 60000, 26) * (1 - 0.06 * y), 0)
        gas = np.round(industrial * rng.uniform(200, 2500, 26) * growth, 1)
        power = np.round((pop * 0.09 + industrial * rng.uniform(5000, 60000, 26)) * growth, 1)
        oil = np.round(pop * rng.uniform(0.02, 0.06, 26), 0)
        for k in range(26):
            rows.append({"乡镇街道代码": codes[k], "乡镇街道名称": names[k], "年份": year,
                         "原煤(吨)": coal[k], "天然气(万立方米)": gas[k], "电力(万千瓦时)": power[k],
                         "成品油(吨)": oil[k], "地区生产总值(万元)": gdp[k], "常住人口(人)": pop[k],
                         "土地面积(平方公里)": round(float(area_km2[k]), 2)})
    stats = pd.DataFrame(rows)
    return gdf, stats


def _enterprise_energy(rng, ents: pd.DataFrame, buildings: gpd.GeoDataFrame) -> pd.DataFrame:
    """Yearly energy use and value added per enterprise, scaled by its floor area."""
    floor_m2 = (buildings.area * buildings["floors"]).groupby(buildings["enterprise_id"]).sum()
    rows = []
    for _, e in ents.iterrows():
        fa = float(floor_m2.get(e.enterprise_id, 0.0))
        heavy = e.kind == "heavy"
        service = e.kind == "service"
        # intensities per m² of floor area, drawn once per enterprise
        elec_i = 0.035 if service else rng.uniform(0.08, 0.22)  # 10^4 kWh/m²
        coal_i = rng.uniform(0.02, 0.09) if heavy and rng.random() < 0.6 else 0.0  # t/m²
        gas_i = rng.uniform(0.004, 0.02) if heavy else rng.uniform(0.0, 0.002)  # 10^4 m³/m²
        heat_i = rng.uniform(0.2, 1.2) if heavy else 0.0  # GJ/m²
        diesel_i = rng.uniform(0.0005, 0.003)  # t/m², forklifts and trucks
        gasoline_i = rng.uniform(0.0002, 0.0008)  # t/m²
        va_i = rng.uniform(0.7, 1.4) if not service else 0.15  # 10^4 yuan/m²
        for y, year in enumerate(YEARS):
            g = 1.0 + 0.04 * y  # output growth
            rows.append({"企业代码": e.enterprise_id, "企业名称": e["name"], "行业": e.industry,
                         "行业代码": e.industry_code, "年份": year,
                         "原煤(吨)": round(fa * coal_i * (1 - 0.15 * y), 1),
                         "天然气(万立方米)": round(fa * gas_i * g * (1 + 0.1 * y), 2),
                         "汽油(吨)": round(fa * gasoline_i, 2), "柴油(吨)": round(fa * diesel_i, 2),
                         "电力(万千瓦时)": round(fa * elec_i * g, 2),
                         "热力(吉焦)": round(fa * heat_i * g, 1),
                         "工业增加值(万元)": round(fa * va_i * g, 1)})
    return pd.DataFrame(rows)
