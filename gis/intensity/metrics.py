"""Per-township emissions, denominators, carbon intensity and its change against an earlier year.

Emissions ``t_co2`` come from an emissions column when the table has one (``碳排放(吨)``,
``二氧化碳排放量(万吨)``, ``CO2 (t)``, ``t_co2`` …: its unit is read from the header), else from
the energy columns by fuel (``原煤(吨)``, ``天然气(万立方米)``, ``电力(万千瓦时)``, ``成品油(吨)`` …)
through :func:`gis.carbon.inventory.read_energy_inventory` and
:func:`gis.carbon.emissions.account_emissions` with the given factor set (E = Σ AD × EF,
DOMAIN.md §2). Total energy ``tce`` comes from a total-energy column when the table has one
(``综合能耗(吨标准煤)``, ``能源消费总量(万吨标准煤)``; the statistics' own total, which counts
fuels the table may not list), else from the fuel columns. A row whose fuel cells are ALL blank
has no emissions (no data), not zero; a blank
cell among filled ones counts as zero, as in the carbon accounting (reported).

Denominators, in the units named in the column names:

- ``gdp_10k_yuan`` — GDP or value added (地区生产总值/增加值), 10^4 yuan (元/万元/亿元 converted;
  a header without a unit is read as 万元, the statistical yearbooks' unit, and reported);
- ``land_mu`` — land area (土地面积; km², ha, m², 亩 converted; 1 mu = 10000/15 m² ≈ 666.67 m²,
  DOMAIN.md §3); without a land column, the township's polygon area from the join
  (``polygon_area_mu``) is used and reported;
- ``population`` — residents (常住人口; 人 or 万人).

``intensity = t_co2 / denominator`` in ``tCO2/10^4 yuan`` (default, Zhejiang's L = CO2 / value
added, DOMAIN.md §3), ``tCO2/mu`` or ``tCO2/person``. A zero, negative or missing denominator or
missing emissions give NaN ("no data", class 0 on the map), never inf. ``change_pct`` =
(intensity / previous_intensity − 1) × 100, negative = a decline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gis.carbon import units as U
from gis.carbon.factors import FactorSet, load_factor_set, match_fuel
from gis.errors import InputError, Problem
from gis.fields import find_field, normalise_name
from gis.intensity.join import CODE_FIELDS, NAME_FIELDS, YEAR_FIELDS

INTENSITY_UNITS: dict[str, tuple[str, str]] = {
    "gdp": ("tCO2/10^4 yuan", "tCO2/万元"),
    "land": ("tCO2/mu", "tCO2/亩"),
    "population": ("tCO2/person", "tCO2/人"),
}
"""Intensity unit (English, Chinese) per denominator."""
DENOMINATOR_COLUMNS = {"gdp": "gdp_10k_yuan", "land": "land_mu", "population": "population"}
DENOMINATOR_NAMES = {"gdp": ("地区生产总值", "GDP"), "land": ("土地面积", "land area"),
                     "population": ("常住人口", "population")}

EMISSION_NAMES = ["碳排放", "碳排放量", "碳排放总量", "二氧化碳排放", "二氧化碳排放量", "二氧化碳", "co2排放",
                  "co2排放量", "co2", "co2_emissions", "emissions", "ghg", "排放量", "t_co2", "tco2"]
GDP_NAMES = ["地区生产总值", "生产总值", "gdp", "gdp_10k_yuan", "增加值", "工业增加值", "value_added",
             "value_added_10k_yuan"]
LAND_NAMES = ["土地面积", "行政区域面积", "辖区面积", "区域面积", "国土面积", "面积", "land_area", "land_mu",
              "area", "占地面积", "用地面积"]
POPULATION_NAMES = ["常住人口", "人口", "户籍人口", "population", "pop"]
ENERGY_NAMES = ["综合能耗", "综合能源消费量", "能源消费总量", "能源消费量", "能耗总量", "能耗",
                "total_energy", "energy_tce", "tce"]
"""Total-energy headers (unit in the header, e.g. 综合能耗(吨标准煤)): the energy map's numerator."""
_IMPLIED_UNITS = {"tco2": "tCO2", "gdp10kyuan": "万元", "valueadded10kyuan": "万元", "landmu": "亩",
                  "tce": "tce", "energytce": "tce"}

NO_DATA_REASONS: dict[str, tuple[str, str]] = {
    "no_row": ("该年份没有统计行", "no statistics row for the year"),
    "no_emissions": ("缺少排放或能耗数据", "no emissions or energy data"),
    "no_denominator": ("缺少分母数据", "denominator missing"),
    "zero_denominator": ("分母为零或负数", "denominator zero or negative"),
}
"""``no_data_reason`` codes → (zh, en)."""

OUTPUT_COLUMNS = ["entity", "name", "year", "t_co2", "t_co2_source", "tce", "gdp_10k_yuan", "land_mu",
                  "population", "denominator", "intensity", "intensity_unit", "previous_year",
                  "previous_t_co2", "previous_intensity", "change_pct", "no_data", "no_data_reason"]


def _columns(df: pd.DataFrame) -> dict[str, tuple[str, str | None]]:
    """normalised name → (column, unit text) for the columns of ``df``."""
    out: dict[str, tuple[str, str | None]] = {}
    for c in df.columns:
        key = normalise_name(c)
        if key in _IMPLIED_UNITS:
            out.setdefault(key, (c, _IMPLIED_UNITS[key]))
            continue
        name, unit = U.split_header(c)
        out.setdefault(normalise_name(name), (c, unit))
    return out


def _find(cols: dict, names: list[str]) -> tuple[str, str | None] | None:
    for n in names:
        hit = cols.get(normalise_name(n))
        if hit is not None:
            return hit
    return None


def _numbers(s: pd.Series, col: str) -> np.ndarray:
    v = pd.to_numeric(s.astype("string").str.replace(",", "", regex=False).str.strip().replace("", pd.NA),
                      errors="coerce")
    bad = s.notna() & v.isna() & (s.astype("string").str.strip() != "")
    if bad.any():
        rows = (np.flatnonzero(bad.to_numpy()) + 2).tolist()
        raise InputError(f"“{col}”列有非数字内容：第 {'、'.join(map(str, rows[:5]))} 行",
                         f"Column '{col}' holds text where a number is expected: rows "
                         f"{', '.join(map(str, rows[:5]))}", code="intensity.not_a_number")
    return v.to_numpy(dtype=float)


def _converted(df, hit, dim: str, to: str, what_zh: str, what_en: str, default_unit: str | None,
               problems: list[Problem]) -> np.ndarray:
    col, unit_text = hit
    if unit_text is None:
        if default_unit is None:
            raise InputError(f"“{col}”列没有单位：请写成如 {what_zh}(吨)",
                             f"Column '{col}' has no unit: write it like {what_en}(t)", code="intensity.unit")
        problems.append(Problem("info", "intensity.default_unit", f"“{col}”未写单位，按 {default_unit} 计",
                                f"'{col}' has no unit: taken as {U.parse_unit(default_unit).symbol}"))
        unit_text = default_unit
    u = U.find_unit(unit_text)
    if dim == "co2" and u is not None and u.dimension == "mass":  # 碳排放(吨) = tonnes of CO2
        u = U.Unit(u.key + "CO2", u.symbol + "CO2", u.name_zh + "二氧化碳", "co2", u.to_base)
    if u is None or u.dimension != dim:
        raise InputError(f"“{col}”的单位“{unit_text}”不是{U.DIMENSION_ZH[dim]}单位",
                         f"'{col}': '{unit_text}' is not a unit of {dim}", code="intensity.unit")
    values = _numbers(df[col], col)
    if (values < 0).any():
        rows = (np.flatnonzero(values < 0) + 2).tolist()
        raise InputError(f"“{col}”列有负数：第 {'、'.join(map(str, rows[:5]))} 行",
                         f"Column '{col}' holds negative numbers: rows {', '.join(map(str, rows[:5]))}",
                         code="intensity.negative")
    return values * U.conversion_factor(u, U.unit(to) if dim != "co2" else U.unit("tCO2"))


def _entity_keys(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    if "join_key" in df.columns:
        ent = df["join_key"].astype("string")
    else:
        c = find_field(df.columns, CODE_FIELDS) or find_field(df.columns, NAME_FIELDS)
        ent = df[c].astype("string").str.strip() if c is not None else \
            pd.Series([f"row{i + 2}" for i in range(len(df))], index=df.index, dtype="string")
    if "poly_name" in df.columns:
        name = df["poly_name"].astype("string")
    else:
        c = find_field(df.columns, NAME_FIELDS)
        name = df[c].astype("string") if c is not None else ent
    return ent, name.fillna(ent)


def _year_series(df: pd.DataFrame) -> pd.Series | None:
    if "year" in df.columns and str(df["year"].dtype) in ("Int64", "int64", "int32"):
        return df["year"].astype("Int64")
    c = find_field(df.columns, YEAR_FIELDS)
    if c is None:
        return None
    digits = df[c].astype("string").str.extract(r"((?:19|20)\d{2})", expand=False)
    return pd.to_numeric(digits).astype("Int64")


def _from_energy(df, ent, years, cols, factors: FactorSet, problems) -> tuple[np.ndarray, np.ndarray]:
    """tCO2 and tce per row from the fuel columns (NaN where every fuel cell is blank)."""
    from gis.carbon.emissions import account_emissions
    from gis.carbon.inventory import read_energy_inventory

    fuel_cols = [c for c in df.columns if match_fuel(U.split_header(c)[0], factors.fuels) is not None]
    if not fuel_cols:
        raise InputError("统计表既没有碳排放列（如 碳排放(吨)），"
                         "也没有能源消费列（如 原煤(吨)、电力(万千瓦时)）",
                         "The statistics table has neither an emissions column (e.g. 碳排放(吨), CO2 (t)) "
                         "nor energy columns (e.g. 原煤(吨), 电力(万千瓦时))", code="intensity.no_emissions")
    frame = pd.DataFrame({"对象代码": ent.astype(str).to_numpy()})
    if years is not None:
        frame["年份"] = years.to_numpy()
    for c in fuel_cols:
        col = df[c]
        frame[c] = col.to_numpy(dtype=float, na_value=np.nan) if pd.api.types.is_numeric_dtype(col) else \
            col.to_numpy(dtype=object)
    inv = read_energy_inventory(frame, source_name="", factors=factors)
    res = account_emissions(inv, factors, year="all" if years is not None else None)
    problems.extend(p for p in res.problems if p.code not in ("emissions.latest_year",))
    e = res.entities
    key = pd.MultiIndex.from_arrays([e["entity"].astype(str), e["year"].astype("float")])
    want = pd.MultiIndex.from_arrays([ent.astype(str).to_numpy(),
                                      (years.astype("float").to_numpy() if years is not None
                                       else np.full(len(df), np.nan))])
    t_co2 = np.array(pd.Series(e["t_co2"].to_numpy(float), index=key).reindex(want), dtype=float)
    tce = np.array(pd.Series(e["tce"].to_numpy(float), index=key).reindex(want), dtype=float)
    blank = df[fuel_cols].isna().all(axis=1).to_numpy()
    t_co2[blank] = np.nan
    tce[blank] = np.nan
    return t_co2, tce


def township_metrics(joined_stats: pd.DataFrame, factors: FactorSet | None = None, *, year: int | None = None,
                     previous_year: int | None = None, denominator: str = "gdp") -> pd.DataFrame:
    """One row per township for ``year`` (default: the latest year in the table).

    joined_stats: :attr:`gis.intensity.join.JoinResult.stats` (or any statistics table: the
        township is then its code, else its name, column).
    factors: the factor set for emissions from energy (default ``national-2023``).
    previous_year: the year the change is measured against (default: the latest earlier year in
        the table; none → NaN).
    denominator: ``gdp`` (tCO2/10^4 yuan, default), ``land`` (tCO2/mu) or ``population`` (tCO2/person).

    Columns: ``entity`` (the join key), ``name``, ``year``, ``t_co2``, ``t_co2_source``
    (``reported``/``energy``), ``tce`` (energy only), ``gdp_10k_yuan``, ``land_mu``, ``population``,
    ``denominator``, ``intensity``, ``intensity_unit``, ``previous_year``, ``previous_t_co2``,
    ``previous_intensity``, ``change_pct``, ``no_data`` (bool), ``no_data_reason`` (see
    :data:`NO_DATA_REASONS`); ``join_key`` too when the input has it. Every township of the
    table is listed, also those without a row for ``year``.
    ``.attrs``: ``problems`` (list of Problem), ``year``, ``previous_year``, ``denominator``,
    ``intensity_unit``, ``intensity_unit_zh``, ``t_co2_source``, ``factor_set``, ``columns``.
    """
    if denominator not in INTENSITY_UNITS:
        raise InputError(f"未知的强度分母“{denominator}”：可用 gdp、land、population",
                         f"Unknown intensity denominator '{denominator}': use gdp, land or population",
                         code="intensity.denominator")
    if joined_stats is None or len(joined_stats) == 0:
        raise InputError("没有统计数据", "No statistics rows", code="intensity.empty")
    df = joined_stats.reset_index(drop=True)
    problems: list[Problem] = []
    cols = _columns(df)
    used: dict[str, str] = {}
    ent, name = _entity_keys(df)
    years = _year_series(df)
    _check_no_duplicates(ent, years)
    t_co2, tce, source, factor_key = _emissions(df, cols, ent, years, factors, used, problems)
    gdp, land, pop = _denominators(df, cols, denominator, used, problems)
    den_col = DENOMINATOR_COLUMNS[denominator]

    base = pd.DataFrame({"entity": ent.to_numpy(), "name": name.to_numpy(),
                         "year": years.to_numpy() if years is not None else pd.NA,
                         "t_co2": t_co2, "tce": tce, "gdp_10k_yuan": gdp, "land_mu": land, "population": pop})
    if "join_key" in df.columns:
        base["join_key"] = df["join_key"].to_numpy()
    if years is None:
        if year is not None or previous_year is not None:
            raise InputError("统计表没有年份列，不能选择年份",
                             "The statistics table has no year column: no year can be chosen",
                             code="intensity.no_year")
        cur_year = prev_year = None
    else:
        have = sorted(int(y) for y in base["year"].dropna().unique())
        cur_year = _current_year(have, year, problems)
        prev_year = _previous_year(have, cur_year, previous_year)

    entities = pd.unique(base["entity"].astype(object))
    first = base.drop_duplicates("entity").set_index("entity")

    def _rows(y: int | None) -> pd.DataFrame:
        rows = base if y is None and years is None else base[base["year"] == y]
        return rows.set_index("entity").reindex(entities)

    cur = _rows(cur_year)
    out = pd.DataFrame({"entity": entities})
    if "join_key" in base.columns:
        out["join_key"] = first["join_key"].reindex(entities).to_numpy()
    out["name"] = first["name"].reindex(entities).to_numpy()
    out["year"] = pd.array([cur_year] * len(out), dtype="Int64")
    for c in ("t_co2", "tce", "gdp_10k_yuan", "land_mu", "population"):
        out[c] = cur[c].to_numpy(dtype=float)
    out["t_co2_source"] = source
    out["denominator"] = denominator
    d = out[den_col].to_numpy(dtype=float)
    out["intensity"] = _ratio(out["t_co2"].to_numpy(float), d)
    out["intensity_unit"] = INTENSITY_UNITS[denominator][0]
    out["previous_year"] = pd.array([prev_year] * len(out), dtype="Int64")
    if prev_year is not None:
        out["previous_t_co2"], out["previous_intensity"], out["change_pct"] = _change(
            _rows(prev_year), den_col, out["intensity"].to_numpy(float))
    else:
        out["previous_t_co2"] = np.nan
        out["previous_intensity"] = np.nan
        out["change_pct"] = np.nan

    present = cur["year"].notna().to_numpy() if years is not None else np.ones(len(out), dtype=bool)
    _mark_no_data(out, present, d, problems)
    cols_out = [c for c in OUTPUT_COLUMNS if c in out.columns]
    if "join_key" in out.columns:
        cols_out.insert(1, "join_key")
    out = out[cols_out]
    out.attrs.update({"problems": problems, "year": cur_year, "previous_year": prev_year,
                      "denominator": denominator, "intensity_unit": INTENSITY_UNITS[denominator][0],
                      "intensity_unit_zh": INTENSITY_UNITS[denominator][1], "t_co2_source": source,
                      "factor_set": factor_key, "columns": used})
    return out


def _check_no_duplicates(ent: pd.Series, years: pd.Series | None) -> None:
    """An InputError naming the townships with several rows for one year (for one row each
    when the table has no year column)."""
    dup = pd.DataFrame({"e": ent, "y": years if years is not None else 0}).duplicated(keep=False)
    if dup.any():
        ids = sorted(set(ent[dup].astype(str)))
        raise InputError("同一乡镇同一年份有多行：" + "、".join(ids[:10]),
                         "Several rows for the same township and year: " + ", ".join(ids[:10]),
                         code="intensity.duplicates")


def _emissions(df: pd.DataFrame, cols: dict[str, tuple[str, str | None]], ent: pd.Series,
               years: pd.Series | None, factors: FactorSet | None, used: dict[str, str],
               problems: list[Problem]) -> tuple[np.ndarray, np.ndarray, str, str | None]:
    """tCO2 and tce per row, their source (``reported``/``energy``) and the factor set's key
    (None for reported emissions): from an emissions column when the table has one, else from
    the energy columns. Notes the column used in ``used``."""
    hit = _find(cols, EMISSION_NAMES)
    if hit is not None:
        t_co2 = _converted(df, hit, "co2", "tCO2", "碳排放", "CO2", None, problems)
        used["t_co2"] = hit[0]
        problems.append(Problem("info", "intensity.emissions_column", f"碳排放取自“{hit[0]}”列",
                                f"Emissions taken from column '{hit[0]}'"))
        energy = _find(cols, ENERGY_NAMES)
        tce = np.full(len(df), np.nan)
        if energy is not None:
            tce = _converted(df, energy, "tce", "tce", "综合能耗", "total energy", None, problems)
            used["tce"] = energy[0]
        return t_co2, tce, "reported", None
    factors = factors or load_factor_set()
    energy = _find(cols, ENERGY_NAMES)
    try:
        t_co2, tce = _from_energy(df, ent, years, cols, factors, problems)
    except InputError as exc:
        if energy is None or exc.code != "intensity.no_emissions":
            raise
        # only a total-energy column: the energy map can be drawn, the carbon one has no data
        tce = _converted(df, energy, "tce", "tce", "综合能耗", "total energy", None, problems)
        used["tce"] = energy[0]
        problems.append(Problem("info", "intensity.energy_only",
                                f"统计表只有能耗总量“{energy[0]}”，没有碳排放或分品种能耗：只能绘制能耗图",
                                f"The table has only a total-energy column '{energy[0]}', no emissions or "
                                "energy by fuel: only the energy maps can be drawn"))
        return np.full(len(df), np.nan), tce, "none", None
    if energy is not None:  # the statistics' own total (it counts fuels the table may not list)
        tce = _converted(df, energy, "tce", "tce", "综合能耗", "total energy", None, problems)
        used["tce"] = energy[0]
    problems.append(Problem("info", "intensity.emissions_from_energy",
                            f"碳排放由能源消费量按因子集“{factors.key}”计算",
                            f"Emissions computed from energy use with the factor set '{factors.key}'"))
    return t_co2, tce, "energy", factors.key


def _denominators(df: pd.DataFrame, cols: dict[str, tuple[str, str | None]], denominator: str,
                  used: dict[str, str], problems: list[Problem]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """GDP (10^4 yuan), land (mu) and population (persons) per row, NaN where the table has no
    such column; an InputError when the one ``denominator`` needs is missing. Notes the columns
    used in ``used``."""
    gdp = land = pop = np.full(len(df), np.nan)
    hit = _find(cols, GDP_NAMES)
    if hit is not None:
        gdp = _converted(df, hit, "money", "1e4yuan", "地区生产总值", "GDP", "万元", problems)
        used["gdp_10k_yuan"] = hit[0]
    hit = _find(cols, LAND_NAMES)
    # an area without a unit cannot be converted: an error when land is the denominator, else noted
    if hit is not None and (hit[1] is not None or denominator == "land"):
        land = _converted(df, hit, "area", "mu", "土地面积", "land area", None, problems)
        used["land_mu"] = hit[0]
    elif hit is not None:
        problems.append(Problem("info", "intensity.land_unit", f"“{hit[0]}”未写单位，未使用",
                                f"'{hit[0]}' has no unit and is not used"))
    if "land_mu" not in used and "polygon_area_mu" in df.columns:
        land = df["polygon_area_mu"].to_numpy(dtype=float, na_value=np.nan)
        used["land_mu"] = "polygon_area_mu"
        if denominator == "land":
            problems.append(Problem("info", "intensity.land_from_polygons",
                                    "统计表没有土地面积：用乡镇面的面积（亩）",
                                    "The table has no land area: the townships' polygon areas (mu) are used"))
    hit = _find(cols, POPULATION_NAMES)
    if hit is not None:
        pop = _converted(df, hit, "people", "person", "常住人口", "population", "人", problems)
        used["population"] = hit[0]
    if DENOMINATOR_COLUMNS[denominator] not in used:
        zh, en = DENOMINATOR_NAMES[denominator]
        raise InputError(f"统计表没有{zh}列，不能计算该强度（可选 gdp、land、population）",
                         f"The statistics table has no {en} column for this intensity "
                         "(choose gdp, land or population)", code="intensity.no_denominator")
    return gdp, land, pop


def _current_year(have: list[int], year: int | None, problems: list[Problem]) -> int:
    """The year mapped: ``year`` when the table has it, else (None) the latest of ``have``."""
    if year is None:
        latest = have[-1]
        if len(have) > 1:
            problems.append(Problem("info", "intensity.latest_year", f"计算最近一年 {latest}",
                                    f"The latest year, {latest}, is mapped"))
        return latest
    if int(year) not in have:
        raise InputError(f"统计表中没有 {year} 年的数据。可选：{'、'.join(map(str, have))}",
                         f"No statistics for {year}. Years: {', '.join(map(str, have))}",
                         code="intensity.year")
    return int(year)


def _previous_year(have: list[int], cur_year: int, previous_year: int | None) -> int | None:
    """The year compared against: ``previous_year`` (in ``have`` and before ``cur_year``), else
    (None) the latest year of ``have`` before ``cur_year``; None when there is none."""
    if previous_year is None:
        earlier = [y for y in have if y < cur_year]
        return earlier[-1] if earlier else None
    if int(previous_year) not in have:
        raise InputError(f"统计表中没有比较年份 {previous_year} 的数据。"
                         f"可选：{'、'.join(map(str, have))}",
                         f"No statistics for the comparison year {previous_year}. Years: "
                         f"{', '.join(map(str, have))}", code="intensity.year")
    prev_year = int(previous_year)
    if prev_year >= cur_year:
        raise InputError(f"比较年份 {prev_year} 应早于 {cur_year}",
                         f"The comparison year {prev_year} must be before {cur_year}",
                         code="intensity.year")
    return prev_year


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den`` where ``den > 0``, NaN elsewhere (never inf)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _change(prev: pd.DataFrame, den_col: str, cur_intensity: np.ndarray) \
        -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Previous tCO2, previous intensity and ``change_pct`` (%) per township, from the previous
    year's rows ``prev`` (aligned with ``cur_intensity``)."""
    pt = prev["t_co2"].to_numpy(dtype=float)
    pi = _ratio(pt, prev[den_col].to_numpy(dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(pi > 0, (cur_intensity / np.where(pi > 0, pi, 1.0) - 1.0) * 100.0, np.nan)
    return pt, pi, change


def _mark_no_data(out: pd.DataFrame, present: np.ndarray, d: np.ndarray, problems: list[Problem]) -> None:
    """Set ``no_data`` and ``no_data_reason`` of ``out`` (``present``: the township has a row for
    the year; ``d``: its denominator) and report the townships of each reason."""
    reason = np.select([~present, np.isnan(out["t_co2"].to_numpy(float)), np.isnan(d), d <= 0],
                       ["no_row", "no_emissions", "no_denominator", "zero_denominator"], default="")
    out["no_data"] = ~np.isfinite(out["intensity"].to_numpy(float))
    out["no_data_reason"] = pd.Series([r if r else None for r in reason], dtype=object)
    for code, (zh, en) in NO_DATA_REASONS.items():
        mask = out["no_data_reason"] == code
        if mask.any():
            ids = [str(v) for v in out.loc[mask, "name"]]
            shown = "、".join(ids[:10]) + (" …" if len(ids) > 10 else "")
            problems.append(Problem("warning", f"intensity.no_data.{code}",
                                    f"{len(ids)} 个乡镇无数据（{zh}），不分级：{shown}",
                                    f"{len(ids)} townships have no data ({en}) and are not classified: "
                                    f"{', '.join(ids[:10])}{' …' if len(ids) > 10 else ''}", ids))


def overall_intensity(metrics: pd.DataFrame) -> float:
    """The map's overall intensity Σ t_co2 / Σ denominator over the townships that have both
    (the default benchmark of the ratio method); NaN when none has."""
    den = DENOMINATOR_COLUMNS[str(metrics["denominator"].iloc[0])] if len(metrics) else "gdp_10k_yuan"
    ok = np.isfinite(metrics["intensity"].to_numpy(float))
    d = metrics.loc[ok, den].to_numpy(float).sum()
    return float(metrics.loc[ok, "t_co2"].to_numpy(float).sum() / d) if ok.any() and d > 0 else float("nan")
