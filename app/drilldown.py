"""The five-colour map's levels and years, without Qt (issues #19 and #20).

Levels (:data:`LEVELS`): 区县 district → 乡镇 township → 企业 enterprise.

- township: the five-colour map's layer (:class:`app.intensity_map.IntensityMap`);
- district: the townships dissolved (by the 6-digit county part of 9/12-digit GB/T 2260 /
  统计用区划代码 township codes, else all into one), with Σ t_co2, Σ tce, Σ GDP and the
  district's intensity Σ t_co2 ÷ Σ GDP (tCO2/10⁴ yuan) — sums over townships, each once
  even when it has several polygons;
- enterprise: the enterprises of an energy table, graded (gis/carbon/grades.py, DB33/T
  1347-2023) and placed (gis/carbon/placement.py: lon/lat, buildings, addresses), each given
  the township whose polygon holds it (point in polygon). A township's enterprise totals are
  the sums over its enterprises; the rest — enterprises outside every township, unplaced ones
  — is reported (:meth:`EnterpriseLevel.reconcile`), never spread over townships.

Years: :func:`year_stack` computes the map's value for every year of its statistics once
(:class:`gis.intensity.periods.YearStack`); :func:`year_classifier` then classifies any year
in a few numpy operations (the GUI's year slider).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from gis.defaults import DEFAULT_FACTOR_SET
from gis.errors import InputError, Problem
from gis.intensity.periods import YearClassifier, YearStack, stack_years

if TYPE_CHECKING:
    from app.intensity_map import IntensityMap

LEVELS = ("district", "township", "enterprise")
LEVEL_NAMES = {"district": ("区县", "District"), "township": ("乡镇", "Township"),
               "enterprise": ("企业", "Enterprise")}
SUM_COLUMNS = ("t_co2", "tce", "value_added_10k_yuan")
"""Enterprise figures summed per township (tCO2, tce, 10⁴ yuan)."""
COUNTY_CODE_DIGITS = 6
"""GB/T 2260: the first 6 digits of a township code (9 digits; 12 in 统计用区划代码) name its county."""


# ---------------------------------------------------------------- years

def year_stack(result: IntensityMap) -> YearStack:
    """The map's value (its quantity: carbon or energy intensity, totals, per mu) of every township
    in every year of its statistics, computed once as the map computed its own year (same join,
    factor set and denominator). Polygons map onto the stack through their ``join_key``."""
    from app.intensity_map import QUANTITIES, _quantity_values, quantity_unit
    from gis.carbon.factors import load_factor_set
    from gis.intensity.metrics import DENOMINATOR_COLUMNS, township_metrics

    m0 = result.metrics
    quantity = m0.attrs.get("quantity", "carbon")
    den = m0.attrs.get("denominator", "gdp")
    _, fixed_den, _, _ = QUANTITIES[quantity]
    factors = load_factor_set(m0.attrs.get("factor_set") or DEFAULT_FACTOR_SET)
    years = list(result.join.years) or [m0.attrs.get("year")]
    frames: dict[int, pd.DataFrame] = {}
    for y in years:
        if y is None:
            m = m0
        else:
            m = township_metrics(result.join.stats, factors, year=int(y), denominator=den)
        value, _, _ = _quantity_values(m, quantity, den)
        w = None if fixed_den == "" else m[DENOMINATOR_COLUMNS[den]].to_numpy(float)
        frames[int(y) if y is not None else 0] = pd.DataFrame(
            {"join_key": m["join_key"].to_numpy(), "value": value,
             "weight": w if w is not None else np.nan})
    unit = quantity_unit(quantity, den)
    return stack_years(frames, result.layer["join_key"].to_numpy(),
                       weight_col=None if fixed_den == "" else "weight", unit=unit)


def year_classifier(result: IntensityMap, stack: YearStack, mode: str = "reference") -> YearClassifier:
    """A :class:`YearClassifier` with the map's method; in ``reference`` mode the map's own
    classification (its year, benchmark and breaks) is kept for every year."""
    c = result.classification
    kw: dict = {}
    # intensity_map passes its own Σ tce ÷ Σ denominator (energy) or mean (totals) as a "user"
    # benchmark with these labels: that is the map's own, recomputed per year, not the user's
    own = any(t in (c.description_zh or "") for t in ("Σ能耗/Σ分母", "各乡镇平均值"))
    if c.method == "ratio" and c.benchmark_source == "user" and not own:
        kw["benchmark"] = c.benchmark
    if c.method == "fixed":
        kw["thresholds"] = list(c.breaks)
    if c.method == "target":
        kw["target_decline_pct"] = c.target_decline_pct
    ref_year = result.metrics.attrs.get("year")
    ref_year = int(ref_year) if ref_year is not None else stack.years[-1]
    return YearClassifier(stack, method=c.method, mode=mode, reference_year=ref_year, reference=c, **kw)


# ---------------------------------------------------------------- districts

def district_key(codes: pd.Series) -> pd.Series:
    """The county part of township codes: the first :data:`COUNTY_CODE_DIGITS` digits of 9- or
    12-digit codes; any other key (names, short codes) → one district "all"."""
    s = codes.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    ok = s.str.fullmatch(r"\d{9}|\d{12}").fillna(False)
    return s.str.slice(0, COUNTY_CODE_DIGITS).where(ok, "all").fillna("all")


def district_level(layer: gpd.GeoDataFrame, *, key: str = "join_key") -> gpd.GeoDataFrame:
    """The township map dissolved into districts: ``district``, ``townships`` (count), Σ t_co2,
    Σ tce, Σ gdp_10k_yuan (each township once, NaN skipped) and ``intensity`` = Σ t_co2 ÷ Σ GDP of
    the townships that have both (tCO2/10⁴ yuan)."""
    g = layer.copy()
    g["district"] = district_key(g[key]) if key in g.columns else "all"
    one = g.drop_duplicates(subset=[key]) if key in g.columns else g
    one = one[one[key].notna()] if key in one.columns else one
    cols = [c for c in ("t_co2", "tce", "gdp_10k_yuan") if c in one.columns]
    nums = one[["district", *cols]].copy()
    for c in cols:
        nums[c] = pd.to_numeric(nums[c], errors="coerce")
    sums = nums.groupby("district")[cols].sum(min_count=1)
    sums["townships"] = nums.groupby("district").size()
    if "t_co2" in cols and "gdp_10k_yuan" in cols:
        both = nums[nums["t_co2"].notna() & (nums["gdp_10k_yuan"] > 0)]
        s = both.groupby("district")[["t_co2", "gdp_10k_yuan"]].sum()
        sums["intensity"] = (s["t_co2"] / s["gdp_10k_yuan"]).reindex(sums.index)
    shapes = g[["district", g.geometry.name]].dissolve(by="district")
    out = shapes.join(sums, how="left").reset_index()
    out["townships"] = out["townships"].fillna(0).astype(int)
    return out


# ---------------------------------------------------------------- enterprises

@dataclass
class EnterpriseLevel:
    """Enterprises on the township map.

    points: one point per placed enterprise in the townships' CRS: ``entity``,
        ``enterprise_name``, ``t_co2``, ``tce``, ``value_added_10k_yuan``, ``grade`` (1–5, NA
        not graded), ``colour``, ``placed_by`` and ``township`` (the key of the township polygon
        holding it; NA outside every township).
    unplaced: ``entity``, ``name``, ``reason`` (gis/carbon/placement.py) and the figures.
    totals: per township key, Σ :data:`SUM_COLUMNS` and ``enterprises`` (count).
    year: the year graded.
    """

    points: gpd.GeoDataFrame
    unplaced: pd.DataFrame
    totals: pd.DataFrame
    year: int | None
    key: str = "join_key"
    problems: list[Problem] = field(default_factory=list)
    _rows: dict = field(default_factory=dict, repr=False)

    def rows_of(self, township) -> np.ndarray:
        """Row numbers of ``points`` inside ``township`` (a key), from a table made once."""
        if not self._rows:
            t = self.points["township"]
            ok = t.notna().to_numpy()
            self._rows = {k: np.flatnonzero(ok)[v] for k, v in
                          pd.Series(np.arange(int(ok.sum()))).groupby(t[ok].astype(str).to_numpy()).indices.items()}
        return self._rows.get(str(township), np.zeros(0, dtype=np.int64))

    def in_township(self, township) -> gpd.GeoDataFrame:
        """The enterprise points of one township."""
        return self.points.iloc[self.rows_of(township)]

    def reconcile(self, column: str = "t_co2") -> dict:
        """Σ ``column`` of all enterprises = Σ over townships + outside every township + unplaced.
        Returns those four figures and the counts (``all``, ``in_townships``, ``outside``,
        ``unplaced``, each with ``_n``)."""
        pts = pd.to_numeric(self.points.get(column, pd.Series(dtype=float)), errors="coerce").fillna(0.0)
        inside = self.points["township"].notna().to_numpy() if len(self.points) else np.zeros(0, bool)
        un = pd.to_numeric(self.unplaced.get(column, pd.Series(dtype=float)), errors="coerce").fillna(0.0)
        out = {"in_townships": float(pts[inside].sum()), "outside": float(pts[~inside].sum()),
               "unplaced": float(un.sum()), "in_townships_n": int(inside.sum()),
               "outside_n": int((~inside).sum()), "unplaced_n": len(self.unplaced)}
        out["all"] = out["in_townships"] + out["outside"] + out["unplaced"]
        out["all_n"] = out["in_townships_n"] + out["outside_n"] + out["unplaced_n"]
        return out


def assign_townships(points: gpd.GeoDataFrame, townships: gpd.GeoDataFrame, key: str) -> pd.Series:
    """The ``key`` of the township polygon holding each point (NA outside all; a point on a shared
    border goes to the first polygon in the layer's order). Points are reprojected to the
    townships' CRS. One spatial-index query, no per-point loop."""
    p = points.geometry
    if townships.crs is not None and p.crs is not None and p.crs != townships.crs:
        p = p.to_crs(townships.crs)
    tree_idx, poly_idx = townships.sindex.query(p.to_numpy(), predicate="intersects")
    order = np.lexsort((poly_idx, tree_idx))  # per point, the first polygon in layer order
    tree_idx, poly_idx = tree_idx[order], poly_idx[order]
    first = np.r_[True, tree_idx[1:] != tree_idx[:-1]] if len(tree_idx) else np.zeros(0, bool)
    out = pd.Series(pd.NA, index=points.index, dtype=object)
    keys = townships[key].to_numpy(dtype=object)
    out.iloc[tree_idx[first]] = keys[poly_idx[first]]
    return out.where(out.notna(), pd.NA)


def enterprise_figures(energy: pd.DataFrame, *, year: int | None = None,
                       factors_key: str = DEFAULT_FACTOR_SET,
                       source_name: str = "") -> tuple[pd.DataFrame, int | None, list[Problem]]:
    """One row per enterprise of ``energy`` for ``year`` (default the latest): ``entity``,
    ``enterprise_name``, ``t_co2``, ``tce``, ``value_added_10k_yuan``, ``grade``, ``colour`` (the
    grade's colour; grey when not graded) and the table's own columns (first row per id:
    coordinates, addresses). Grades need a value-added column; without one none is graded."""
    from app.cmd_carbon import load_factors
    from gis.carbon.emissions import account_emissions
    from gis.carbon.grades import NO_GRADE_COLOUR, grade_emissions
    from gis.carbon.inventory import read_energy_inventory

    factors = load_factors(factors_key)
    inv = read_energy_inventory(energy, source_name=source_name, factors=factors)
    res = account_emissions(inv, factors, year="all")
    ent = res.entities
    years = sorted(int(y) for y in ent["year"].dropna().unique())
    chosen = (int(year) if year is not None else years[-1]) if years else None
    if chosen is not None and chosen not in years:
        raise InputError(f"能耗表中没有 {chosen} 年。可选：{'、'.join(map(str, years))}",
                         f"The energy table has no year {chosen}. Years: {', '.join(map(str, years))}",
                         code="drilldown.year")
    rows = ent[ent["year"] == chosen] if chosen is not None else ent
    fig = pd.DataFrame({"entity": rows["entity"].astype(str).to_numpy(),
                        "enterprise_name": rows["name"].to_numpy(),
                        "t_co2": rows["t_co2"].to_numpy(float), "tce": rows["tce"].to_numpy(float),
                        "value_added_10k_yuan": pd.to_numeric(rows["value_added_10k_yuan"],
                                                              errors="coerce").to_numpy(float)})
    problems = list(res.problems)
    fig["grade"] = pd.array([pd.NA] * len(fig), dtype="Int64")
    fig["colour"] = NO_GRADE_COLOUR
    if "value_added" in inv.columns:
        g = grade_emissions(res, year=chosen)
        e = g.enterprises.drop_duplicates("id").set_index(g.enterprises["id"].astype(str))
        fig["grade"] = pd.array(e["grade"].reindex(fig["entity"]).to_numpy(), dtype="Int64")
        fig["colour"] = e["colour"].reindex(fig["entity"]).fillna(NO_GRADE_COLOUR).to_numpy()
        problems += [p for p in g.problems if p not in problems]
    id_col = inv.columns.get("entity")
    if id_col in energy.columns:
        extra = energy.drop_duplicates(subset=[id_col]).copy()
        extra.index = extra[id_col].astype(str).str.strip()
        from gis.carbon.address_match import ADDRESS_NAMES
        from gis.carbon.placement import LAT_NAMES, LON_NAMES
        from gis.fields import find_field

        # what placement reads: coordinates and the address (not the fuels of the first year)
        found = {find_field(extra.columns, names) for names in (LON_NAMES, LAT_NAMES, ADDRESS_NAMES)}
        keep = [c for c in extra.columns if c in found and c not in fig.columns and c != id_col]
        fig = fig.join(extra[keep], on="entity")
    return fig, chosen, problems


def enterprise_level(energy: pd.DataFrame, townships: gpd.GeoDataFrame, *, key: str = "join_key",
                     year: int | None = None, factors_key: str = DEFAULT_FACTOR_SET,
                     lonlat_crs: str = "wgs84",
                     buildings: gpd.GeoDataFrame | None = None, building_key: str | None = None,
                     addresses: pd.DataFrame | None = None, source_name: str = "") -> EnterpriseLevel:
    """Grade, place and assign the enterprises of ``energy`` to the ``townships`` polygons (their
    ``key`` names the township, e.g. the five-colour layer's ``join_key``)."""
    from gis.carbon.placement import place_enterprises

    fig, chosen, problems = enterprise_figures(energy, year=year, factors_key=factors_key,
                                               source_name=source_name)
    placed = place_enterprises(fig, id_col="entity", crs=lonlat_crs, buildings=buildings,
                               building_key=building_key, addresses=addresses)
    pts = placed.points
    if townships.crs is not None and len(pts):
        pts = pts.to_crs(townships.crs)
    pts = pts.reset_index(drop=True)
    pts["township"] = assign_townships(pts, townships, key).to_numpy() if len(pts) else []
    cols = [c for c in SUM_COLUMNS if c in pts.columns]
    inside = pts[pts["township"].notna()]
    totals = inside.groupby(inside["township"].astype(str))[cols].sum(min_count=0)
    totals["enterprises"] = inside.groupby(inside["township"].astype(str)).size()
    totals = totals.rename_axis("township").reset_index()
    unplaced = placed.unplaced.merge(fig[["entity", *cols]], on="entity", how="left")
    return EnterpriseLevel(pts, unplaced, totals, chosen, key, [*problems, *placed.problems])


# ---------------------------------------------------------------- the map, year by year

MODE_NOTES = {
    "reference": ("按 {0} 年的分级断点着色，各年颜色可比",
                  "classes on the breaks of {0}: colours comparable across years"),
    "per_year": ("各年分别分级，颜色只在同一年内可比",
                 "each year classified on its own: colours compare within a year only"),
}
"""The legend's note on the breaks (:data:`gis.intensity.periods.BREAK_MODES`)."""


class YearMap:
    """The five-colour layer redrawn for another year: :meth:`show` classifies one row of the
    :class:`YearStack` and writes ``class``, ``value`` and ``colour`` into the layer's own frame
    (no join, no new layer), then gives the layer a style with that year's counts, title and
    legend note. ``make_classifier(mode)`` builds the :class:`YearClassifier` of a break mode."""

    def __init__(self, layer, stack: YearStack, make_classifier, *, quantity: str = "carbon",
                 mode: str = "reference", colours=None) -> None:
        from layers.style import FIVE_COLOURS, NO_DATA_COLOUR

        self.layer = layer
        self.stack = stack
        self.quantity = quantity
        self._make = make_classifier
        self.palette = np.array([NO_DATA_COLOUR, *(colours or FIVE_COLOURS)], dtype=object)
        self.mode = mode
        self.classifier: YearClassifier = make_classifier(mode)
        self.year: int | None = None

    @classmethod
    def from_result(cls, result: IntensityMap, layer, mode: str = "reference") -> YearMap:
        """The map of a five-colour result whose layer is ``layer`` (its rows: ``result.layer``'s)."""
        stack = year_stack(result)
        colours = None
        if "colour" in result.layer.columns and len(result.layer):
            by_class = result.layer.drop_duplicates("class").set_index("class")["colour"]
            if all(k in by_class.index for k in range(1, 6)):
                colours = [str(by_class[k]) for k in range(1, 6)]
        return cls(layer, stack, lambda m: year_classifier(result, stack, m),
                   quantity=result.metrics.attrs.get("quantity", "carbon"), mode=mode, colours=colours)

    @property
    def years(self) -> list[int]:
        return self.stack.years

    @property
    def reference_year(self) -> int:
        return self.classifier.reference_year

    def set_mode(self, mode: str) -> None:
        """``reference`` or ``per_year`` (redraws the year shown)."""
        if mode != self.mode:
            self.mode = mode
            self.classifier = self._make(mode)
            if self.year is not None:
                self.show(self.year)

    def note(self) -> tuple[str, str]:
        """The legend's note on the breaks (zh, en)."""
        zh, en = MODE_NOTES[self.mode]
        return zh.format(self.reference_year), en.format(self.reference_year)

    def show(self, year: int, *, draft: bool = False):
        """Recolour the layer for ``year``; returns the classification used. ``draft``: no
        outlines (a slider step over many polygons: outlines are most of the drawing time)."""
        from app.intensity_map import _name_field, quantity_title
        from layers.preset_styles import township_intensity_style

        classes, c = self.classifier.classes(year)
        i = self.stack.index(year)
        row = self.stack.poly_row
        value = np.full(len(row), np.nan)
        ok = row >= 0
        value[ok] = self.stack.values[i][row[ok]]
        gdf = self.layer.gdf
        gdf["class"] = classes.astype(np.int64)
        gdf["value"] = value
        gdf["colour"] = self.palette[classes]
        zh, en = quantity_title(self.quantity, year)
        style = township_intensity_style(gdf, title=(zh, en), classification=c, label_field=_name_field(gdf))
        note_zh, note_en = self.note()
        style.method_zh = f"{note_zh}。{style.method_zh}"
        style.method_en = f"{note_en}. {style.method_en}"
        if draft:
            style.outline_width_px = 0.0
        self.year = int(year)
        self.layer.style = style
        return c
