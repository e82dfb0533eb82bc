"""Enterprise carbon-efficiency grades (碳效码): each enterprise's carbon intensity against its industry.

Method (Zhejiang provincial standard DB33/T 1347-2023 工业企业碳效综合评估与分级赋码规范, issued
2023-12-15, after Huzhou's 规上工业企业碳效等级评价方法; docs/grades.md says what was read):

- L = (CO2 of energy use − CO2 of zero-carbon electricity − sinks − CCS) ÷ value added,
  tCO2 per 10⁴ yuan. Zero-carbon (green) electricity is deducted at the grid factor the
  emissions used (the CO2 that electricity would have carried).
- Level by L: low (低碳) L ≤ 0.6, medium (中碳) 0.6 < L ≤ 2.0, high (高碳) L > 2.0.
- K = L ÷ the industry's benchmark L; grade 1 K ≤ 0.6, 2 0.6 < K ≤ 0.8, 3 0.8 < K ≤ 1.2,
  4 1.2 < K ≤ 2.0, 5 K > 2.0 (upper bounds inclusive).
- Benchmark: by default the industry's own L = Σ net CO2 ÷ Σ value added over its graded
  enterprises (the industry's intensity, not the mean of its members' ratios), or a user table.
  Industry = GB/T 4754-2017 division (section letter + 2 digits, "C17") from the code, else the
  industry name.

Boundaries: K and L are compared with :func:`gis.intensity.classify.assign_classes` — the rule of
the five-colour map — where a value within 1e-9 (relative) above a break counts as on it. K is one
quotient of sums (net × ΣVA ÷ (VA × Σnet)), so its rounding error is a few 1e-16; inputs carry at
most ~7 significant digits, so nothing that is not the break itself comes within 1e-9 of it, and a
K that is 0.6 by hand (0.6000000000000001 in floats) is grade 1, as the standard's "K ≤ 0.6" says.
Pure numpy/pandas, no per-enterprise Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from gis.errors import InputError, Problem
from gis.fields import normalise_name
from gis.intensity.classify import assign_classes

LEVEL_BREAKS_T_CO2_PER_10K_YUAN = (0.6, 2.0)
"""L breaks of the levels low / medium / high, tCO2 per 10⁴ yuan (DB33/T 1347-2023; Huzhou's
规上工业企业碳效等级评价方法 §2)."""
GRADE_BREAKS_K = (0.6, 0.8, 1.2, 2.0)
"""K breaks of grades 1–5 (DB33/T 1347-2023; Huzhou's method §3)."""
LEVELS = ("low", "medium", "high")
LEVELS_ZH = ("低碳", "中碳", "高碳")
GRADE_COLOURS = ("#00a651", "#2171b5", "#ffe066", "#f58220", "#d7191c")
"""Grades 1–5: green, blue, yellow, orange, red — the five-colour map's colours
(layers/style.py FIVE_COLOURS: DOMAIN.md §3, State Grid Zhejiang's township map; checked for
colour-blind readers). Repeated here because gis/ does not import layers/; a test keeps them equal."""
NO_GRADE_COLOUR = "#bdbdbd"
"""Not graded (no value added): the five-colour map's no-data grey (layers/style.py)."""
GRADE_NAMES_ZH = ("碳效高", "碳效较高", "接近行业平均", "碳效较低", "碳效低")
GRADE_NAMES_EN = ("high efficiency", "fairly high efficiency", "near the industry average",
                  "fairly low efficiency", "low efficiency")
"""What each grade means (Huzhou's method §3: 等级1 代表企业碳效率高 …)."""

# GB/T 4754-2017 sections by the first two digits of the code (the division), for codes written
# without their letter ("1711" → C17)
_SECTIONS = (("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50), ("F", 51, 52),
             ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69), ("K", 70, 70), ("L", 71, 72),
             ("M", 73, 75), ("N", 76, 79), ("O", 80, 82), ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90),
             ("S", 91, 96), ("T", 97, 97))
_SECTION_OF = np.array([""] * 100, dtype=object)
for _letter, _lo, _hi in _SECTIONS:
    _SECTION_OF[_lo:_hi + 1] = _letter

ENTERPRISE_COLUMNS = ["id", "name", "industry", "industry_name", "t_co2", "green_t_co2", "sink_t_co2",
                      "ccs_t_co2", "net_t_co2", "value_added_10k_yuan", "L", "benchmark_L", "K", "level",
                      "level_zh", "grade", "colour", "rank_industry", "industry_members", "rank_park",
                      "L_previous", "delta_L", "grade_previous", "delta_grade", "not_graded"]
"""Per enterprise: ids, tonnes CO2 (energy, deductions, net), 10⁴ yuan, L and benchmark L
(tCO2/10⁴ yuan), K, level, grade 1–5 (NA: not graded), ranks (1 = lowest L), the previous year's
L and grade with the changes, and why an enterprise is not graded ("" when graded)."""


def industry_key(code: pd.Series, name: pd.Series) -> pd.Series:
    """The GB/T 4754 division of each code ("C1711", "c17", "1711" → "C17"), else the industry
    name, else "未分类". The text work runs once per distinct (code, name) pair."""
    ci, _ = pd.factorize(code, use_na_sentinel=True)
    ni, names_u = pd.factorize(name, use_na_sentinel=True)
    pair = (ci.astype(np.int64) + 1) * (len(names_u) + 1) + (ni + 1)
    _, first, inverse = np.unique(pair, return_index=True, return_inverse=True)
    keys = _industry_key(code.iloc[first].reset_index(drop=True), name.iloc[first].reset_index(drop=True))
    return pd.Series(keys.to_numpy()[inverse], index=code.index, dtype="string")


def _industry_key(code: pd.Series, name: pd.Series) -> pd.Series:
    text = code.astype("string").str.strip().str.upper()
    parts = text.str.extract(r"^([A-T])?\s*(\d{2})")
    digits = pd.to_numeric(parts[1], errors="coerce")
    ok = digits.notna().to_numpy()
    section = parts[0].astype(object).to_numpy()
    derived = _SECTION_OF[np.where(ok, digits.fillna(0).to_numpy(dtype=int), 0)]
    letter = np.where(pd.isna(section), derived, section)
    keys = np.where(ok, letter.astype(str) + parts[1].fillna("").to_numpy(dtype=str), None)
    names = name.astype("string").str.strip().replace("", pd.NA)
    out = pd.Series(keys, index=code.index, dtype="string").fillna(names).fillna("未分类")
    return out


@dataclass
class GradesResult:
    """Grades of one year: ``enterprises`` (:data:`ENTERPRISE_COLUMNS`), ``industries`` (industry,
    name, members, Σ tCO2, Σ 10⁴ yuan, benchmark L and its source, single_member), the year and
    the previous one compared (None when absent), the grid factor used for green electricity
    (tCO2/kWh) and the problems."""

    enterprises: pd.DataFrame
    industries: pd.DataFrame
    year: int | None = None
    previous_year: int | None = None
    grid_t_co2_per_kwh: float = float("nan")
    benchmark_source: str = "own"
    problems: list[Problem] = field(default_factory=list)

    @property
    def graded(self) -> pd.DataFrame:
        return self.enterprises[self.enterprises["not_graded"] == ""]

    @property
    def not_graded(self) -> pd.DataFrame:
        e = self.enterprises
        return e[e["not_graded"] != ""][["id", "name", "industry", "not_graded"]]

    def counts(self) -> dict[str, Any]:
        """Enterprises per grade (1–5) and per level, and how many were not graded."""
        g = self.graded
        grades = g["grade"].astype(int).value_counts()
        levels = g["level"].value_counts()
        return {"grades": [int(grades.get(k, 0)) for k in range(1, 6)],
                "levels": {lv: int(levels.get(lv, 0)) for lv in LEVELS},
                "not_graded": int(len(self.enterprises) - len(g))}

    def summary(self, rows: bool = True) -> dict:
        """JSON-ready: year(s), ``count`` of enterprises, grade and level counts, the method with
        its source, the industries, every enterprise's row (``enterprises``, when ``rows``) and
        the problems."""
        out: dict[str, Any] = {
            "year": self.year, "previous_year": self.previous_year,
            "count": len(self.enterprises), **self.counts(),
            "benchmark_source": self.benchmark_source,
            "grid_kg_co2_per_kwh": _clean(self.grid_t_co2_per_kwh * 1000.0),
            "method": {"standard": "DB33/T 1347-2023", "level_breaks_t_co2_per_10k_yuan":
                       list(LEVEL_BREAKS_T_CO2_PER_10K_YUAN), "grade_breaks_k": list(GRADE_BREAKS_K),
                       "colours": list(GRADE_COLOURS)},
            "industries": [_row(r) for r in self.industries.to_dict("records")],
            "problems": [p.to_dict() for p in self.problems],
        }
        if rows:
            out["enterprises"] = [_row(r) for r in self.enterprises.to_dict("records")]
        return out


def _clean(v: Any) -> Any:
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if np.isfinite(v) else None
    if isinstance(v, np.bool_):
        return bool(v)
    return v


def _row(r: dict) -> dict:
    return {k: _clean(v) for k, v in r.items()}


# ---------------------------------------------------------------- benchmarks


def read_benchmarks(df: pd.DataFrame, *, source_name: str = "") -> pd.DataFrame:
    """A user benchmark table (CSV/Excel read by the caller): an industry code (行业代码/code) or
    name (行业/行业名称/industry) column and a benchmark L column (基准/行业基准/benchmark_l …, in
    tCO2 per 10⁴ yuan) → ``industry, benchmark_L`` (codes reduced to their GB/T 4754 division)."""
    where = source_name or None
    if df is None or df.empty:
        raise InputError("行业基准表是空的", "The benchmark table is empty", path=where,
                         code="grades.benchmarks")
    cols = {normalise_name(str(c).split("(")[0].split("（")[0]): c for c in df.columns}

    def find(names: tuple[str, ...]):
        return next((cols[normalise_name(n)] for n in names if normalise_name(n) in cols), None)

    code = find(("行业代码", "行业编码", "国民经济行业代码", "industry_code", "code", "代码"))
    name = find(("行业", "行业名称", "所属行业", "industry", "industry_name", "name", "名称"))
    value = find(("基准", "行业基准", "基准值", "行业基准值", "基准强度", "单位增加值碳排放", "benchmark",
                  "benchmark_l", "l", "intensity"))
    if value is None or (code is None and name is None):
        raise InputError(f"行业基准表需要 行业代码 或 行业 列，以及 基准 列（吨二氧化碳/万元）；现有列："
                         f"{'、'.join(map(str, df.columns))}",
                         "The benchmark table needs an industry code (行业代码/code) or name (行业/industry) "
                         "column and a benchmark column (基准/benchmark, tCO2 per 10^4 yuan); its columns: "
                         f"{', '.join(map(str, df.columns))}", path=where, code="grades.benchmarks")
    values = pd.to_numeric(df[value], errors="coerce")
    bad = values.isna() | ~(values > 0)
    if bad.any():
        rows = ", ".join(str(int(i) + 2) for i in df.index[bad][:5])
        raise InputError(f"行业基准应为正数：第 {rows} 行（表头为第 1 行）“{value}”列",
                         f"Benchmarks must be positive numbers: row(s) {rows} (header = row 1), column "
                         f"'{value}'", path=where, code="grades.benchmarks")
    blank = pd.Series(pd.NA, index=df.index, dtype="string")
    keys = industry_key(df[code] if code is not None else blank, df[name] if name is not None else blank)
    return pd.DataFrame({"industry": keys.to_numpy(), "benchmark_L": values.to_numpy(dtype=float)})


# ---------------------------------------------------------------- grading


def _net(frame: pd.DataFrame, grid_t_co2_per_kwh: float) -> tuple[np.ndarray, ...]:
    """(energy tCO2, green-electricity tCO2, sinks tCO2, CCS tCO2, net tCO2) per row; missing = 0."""
    def col(name: str) -> np.ndarray:
        if name not in frame:
            return np.zeros(len(frame))
        return np.nan_to_num(pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float))
    t = col("t_co2")
    green = col("green_kwh") * (grid_t_co2_per_kwh if np.isfinite(grid_t_co2_per_kwh) else 0.0)
    sink, ccs = col("sink_t_co2"), col("ccs_t_co2")
    return t, green, sink, ccs, t - green - sink - ccs


def grade_frame(frame: pd.DataFrame, *, grid_t_co2_per_kwh: float = float("nan"),
                benchmarks: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Grade one period's enterprises.

    frame: one row per enterprise — ``entity``, ``name``, ``sector`` (industry name), ``sector_code``
    (GB/T 4754), ``t_co2`` (energy CO2, t), ``value_added_10k_yuan`` and optionally ``green_kwh``,
    ``sink_t_co2``, ``ccs_t_co2``. grid_t_co2_per_kwh: the factor green electricity is deducted at.
    benchmarks: ``industry, benchmark_L`` (:func:`read_benchmarks`); industries it lacks use
    their own Σ/Σ. Returns (enterprises, industries, problems).
    """
    problems: list[Problem] = []
    n = len(frame)
    blank = pd.Series(pd.NA, index=frame.index, dtype="string")
    industry = industry_key(frame["sector_code"] if "sector_code" in frame else blank,
                            frame["sector"] if "sector" in frame else blank).to_numpy(dtype=object)
    t, green, sink, ccs, net = _net(frame, grid_t_co2_per_kwh)
    va = pd.to_numeric(frame["value_added_10k_yuan"], errors="coerce").to_numpy(dtype=float) \
        if "value_added_10k_yuan" in frame else np.full(n, np.nan)
    has_va = np.isfinite(va) & (va > 0)
    codes, inverse = np.unique(industry.astype(str), return_inverse=True)
    # Σ net CO2 and Σ value added per industry over the enterprises that can be graded
    sum_net = np.bincount(inverse, weights=np.where(has_va, net, 0.0), minlength=len(codes))
    sum_va = np.bincount(inverse, weights=np.where(has_va, va, 0.0), minlength=len(codes))
    members = np.bincount(inverse, weights=has_va.astype(float), minlength=len(codes)).astype(int)
    own = np.divide(sum_net, sum_va, out=np.full(len(codes), np.nan), where=sum_va > 0)
    bench = own.copy()
    source = np.full(len(codes), "own", dtype=object)
    if benchmarks is not None:
        user = benchmarks.drop_duplicates("industry", keep="first").set_index("industry")["benchmark_L"]
        given = pd.Series(codes).map(user).to_numpy(dtype=float)
        hit = np.isfinite(given)
        bench[hit], source[hit] = given[hit], "user"
        missing = [str(c) for c, h, m in zip(codes, hit, members, strict=True) if not h and m > 0]
        if missing:
            problems.append(Problem("warning", "grades.benchmark_missing",
                                    "行业基准表中没有这些行业，按其自身 Σ排放/Σ增加值 作基准："
                                    + "、".join(missing),
                                    "The benchmark table lacks these industries; their own Σ CO2 / Σ value "
                                    "added is used: " + ", ".join(missing), missing))
    # K = L / benchmark as one quotient of sums where the benchmark is the industry's own
    L = np.divide(net, va, out=np.full(n, np.nan), where=has_va)
    b_e = bench[inverse]
    own_e = source[inverse] == "own"
    with np.errstate(divide="ignore", invalid="ignore"):
        k_own = (net * sum_va[inverse]) / (va * sum_net[inverse])
        k_user = L / b_e
    K = np.where(own_e, k_own, k_user)
    bench_ok = np.isfinite(b_e) & (b_e > 0)
    graded = has_va & bench_ok
    K = np.where(graded, K, np.nan)
    reason = np.where(~has_va, "no_value_added", np.where(~bench_ok, "benchmark_not_positive", ""))
    grade = assign_classes(K, GRADE_BREAKS_K)
    level_i = assign_classes(np.where(graded, L, np.nan), LEVEL_BREAKS_T_CO2_PER_10K_YUAN)
    out = pd.DataFrame({
        "id": frame["entity"].astype(str).to_numpy(),
        "name": frame["name"].astype("string").fillna("").to_numpy() if "name" in frame else "",
        "industry": industry.astype(str),
        "industry_name": frame["sector"].astype("string").fillna("").to_numpy() if "sector" in frame else "",
        "t_co2": t, "green_t_co2": green, "sink_t_co2": sink, "ccs_t_co2": ccs, "net_t_co2": net,
        "value_added_10k_yuan": va, "L": L, "benchmark_L": np.where(has_va, b_e, np.nan), "K": K,
    })
    out["level"] = np.array(["", *LEVELS], dtype=object)[level_i]
    out["level_zh"] = np.array(["", *LEVELS_ZH], dtype=object)[level_i]
    out["grade"] = pd.array(np.where(graded, grade, 0), dtype="Int64").astype("Int64")
    out.loc[~graded, "grade"] = pd.NA
    out["colour"] = np.array([NO_GRADE_COLOUR, *GRADE_COLOURS], dtype=object)[np.where(graded, grade, 0)]
    ranked = out["L"].where(graded)
    out["rank_industry"] = ranked.groupby(out["industry"]).rank(method="min").astype("Int64")
    out["industry_members"] = members[inverse]
    out["rank_park"] = ranked.rank(method="min").astype("Int64")
    out["not_graded"] = reason
    industries = pd.DataFrame({"industry": codes, "members": members, "t_co2": sum_net,
                               "value_added_10k_yuan": sum_va, "own_L": own, "benchmark_L": bench,
                               "benchmark_source": source,
                               "single_member": members == 1})
    first_name = out.groupby("industry", sort=True)["industry_name"].first()
    industries.insert(1, "name", first_name.reindex(codes).to_numpy())
    problems += _problems(out, industries)
    return out, industries, problems


def _problems(out: pd.DataFrame, industries: pd.DataFrame) -> list[Problem]:
    problems = []
    single = industries[industries["single_member"] & (industries["benchmark_source"] == "own")]
    if len(single):
        ids = list(out.loc[out["industry"].isin(single["industry"]) & (out["not_graded"] == ""), "id"])
        problems.append(Problem("warning", "grades.single_member",
                                f"{len(single)} 个行业只有一家企业（{'、'.join(single['industry'])}）："
                                "其基准就是该企业自身，K = 1（3 级），不说明其在行业中的水平；"
                                "请用行业基准表（--benchmarks）",
                                f"{len(single)} industries have a single enterprise "
                                f"({', '.join(single['industry'])}): it is its own benchmark, K = 1 "
                                "(grade 3), which says nothing about it; give a benchmark table "
                                "(--benchmarks)",
                                ids))
    no_va = out.loc[out["not_graded"] == "no_value_added", "id"]
    if len(no_va):
        problems.append(Problem("warning", "grades.no_value_added",
                                f"{len(no_va)} 家企业没有工业增加值（或为 0），未评级",
                                f"{len(no_va)} enterprises have no (or zero) value added and are not graded",
                                list(no_va)))
    bad = out.loc[out["not_graded"] == "benchmark_not_positive", "industry"].unique()
    if len(bad):
        problems.append(Problem("warning", "grades.benchmark_not_positive",
                                "这些行业的净排放之和不为正，无法作基准，其企业未评级：" + "、".join(bad),
                                "These industries' net emissions are not positive and cannot be a benchmark; "
                                "their enterprises are not graded: " + ", ".join(bad), list(bad)))
    return problems


def compare_previous(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """``current`` with the previous year's L and grade and the changes ΔL (tCO2/10⁴ yuan) and
    Δgrade (negative = better) joined by enterprise id."""
    prev = previous[previous["not_graded"] == ""].set_index("id")
    out = current.copy()
    out["L_previous"] = out["id"].map(prev["L"]).astype(float)
    out["grade_previous"] = out["id"].map(prev["grade"]).astype("Int64")
    out["delta_L"] = out["L"] - out["L_previous"]
    out["delta_grade"] = (out["grade"] - out["grade_previous"]).astype("Int64")
    return out


def finish(enterprises: pd.DataFrame) -> pd.DataFrame:
    """The output columns in :data:`ENTERPRISE_COLUMNS` order (previous-year columns empty when
    not compared), sorted by industry then rank."""
    e = enterprises.copy()
    for c in ("L_previous", "delta_L"):
        if c not in e:
            e[c] = np.nan
    for c in ("grade_previous", "delta_grade"):
        if c not in e:
            e[c] = pd.array([pd.NA] * len(e), dtype="Int64")
    return e[ENTERPRISE_COLUMNS].sort_values(["industry", "rank_industry", "id"], na_position="last",
                                             kind="stable").reset_index(drop=True)


def grade_emissions(result: Any, *, year: int | None = None, benchmarks: pd.DataFrame | None = None,
                    benchmark_name: str = "") -> GradesResult:
    """Grades from an :class:`gis.carbon.emissions.EmissionsResult` accounted for every year
    (``year="all"``): the year given (default the latest), compared with the year before when the
    table has it. Green electricity is deducted at the result's electricity factor."""
    ent = result.entities
    years = sorted(int(y) for y in ent["year"].dropna().unique())
    problems: list[Problem] = []
    if not years:
        chosen, previous, rows = None, None, ent
    else:
        if year is None:
            chosen = years[-1]
        elif int(year) in years:
            chosen = int(year)
        else:
            raise InputError(f"表中没有 {year} 年的数据。可选：{'、'.join(map(str, years))}",
                             f"No data for {year} in the table. Years: {', '.join(map(str, years))}",
                             code="grades.year")
        previous = chosen - 1 if chosen - 1 in years else None
        rows = ent[ent["year"] == chosen]
        if len(years) > 1 and year is None:
            problems.append(Problem("info", "grades.latest_year", f"评价表中最近一年 {chosen}",
                                    f"The latest year in the table, {chosen}, is graded"))
    grid = float(result.grid_kg_co2_per_kwh) / 1000.0
    current, industries, found = grade_frame(rows.reset_index(drop=True), grid_t_co2_per_kwh=grid,
                                             benchmarks=benchmarks)
    problems += found
    if previous is not None:
        before, _, _ = grade_frame(ent[ent["year"] == previous].reset_index(drop=True),
                                   grid_t_co2_per_kwh=grid, benchmarks=benchmarks)
        current = compare_previous(current, before)
    if "green_kwh" in rows and not (pd.to_numeric(rows["green_kwh"], errors="coerce").fillna(0) > 0).any() \
            and not (rows[["sink_t_co2", "ccs_t_co2"]].fillna(0) > 0).to_numpy().any():
        problems.append(Problem("info", "grades.no_deductions",
                                "表中没有绿电、碳汇或 CCS 列（或均为 0）：按 0 扣减。可加列 绿电(万千瓦时)、"
                                "碳汇(吨二氧化碳)、CCS(吨二氧化碳)",
                                "No green-electricity, sink or CCS columns (or all 0): nothing is deducted. "
                                "Add columns 绿电(万千瓦时), 碳汇(吨二氧化碳), CCS(吨二氧化碳) to deduct "
                                "them"))
    source = "user" if benchmarks is not None else "own"
    if benchmark_name:
        source = f"user: {benchmark_name}"
    return GradesResult(enterprises=finish(current), industries=industries, year=chosen,
                        previous_year=previous, grid_t_co2_per_kwh=grid, benchmark_source=source,
                        problems=[*result.problems, *problems])


LAYER_FIELDS = ("enterprise_name", "industry", "net_t_co2", "value_added_10k_yuan", "carbon_l",
                "benchmark_l", "carbon_k", "level", "grade", "rank_industry", "rank_park", "delta_l",
                "delta_grade", "colour")
"""The grade columns each building of the ``enterprise_grades`` layer carries (layers/fields.py): the
table's L, K, benchmark_L and delta_L under lower-case names (Shapefile field names are lower case)."""
_LAYER_NAMES = {"name": "enterprise_name", "L": "carbon_l", "K": "carbon_k", "benchmark_L": "benchmark_l",
                "delta_L": "delta_l"}


def grade_layer(buildings: Any, enterprises: pd.DataFrame, id_field: str) -> Any:
    """Building footprints with their enterprise's grade (layer ``enterprise_grades``): the
    buildings whose ``id_field`` names an enterprise, joined on the id as text; buildings of
    ungraded or unknown enterprises keep an empty grade (drawn grey)."""
    ids = buildings[id_field].astype("string").str.strip()
    has = (ids.notna() & (ids != "")).fillna(False).to_numpy(dtype=bool)
    keep = [c for c in ("bldg_id", "name") if c in buildings]
    b = buildings.loc[has, [*keep, "geometry"]].copy()
    b.insert(0, "enterprise_id", ids[has].to_numpy())
    e = enterprises.rename(columns=_LAYER_NAMES).drop_duplicates("id").set_index("id")
    joined = e.reindex(b["enterprise_id"].to_numpy()).reindex(columns=list(LAYER_FIELDS))
    joined = joined.reset_index(drop=True)
    joined.index = b.index
    out = b.join(joined)
    out["colour"] = out["colour"].fillna(NO_GRADE_COLOUR)
    return out.reset_index(drop=True)
