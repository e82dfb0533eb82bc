"""Five classes year by year, fast enough for a slider (issue #19: "the GUI has a year slider that
redraws the five-colour map live").

The expensive part of a five-colour map — joining, accounting emissions from energy — is done once
for every year (:class:`YearStack`: one ``years × townships`` array of the mapped value, with the
denominators for the ratio benchmark); a step of the slider then only classifies one row of it
(:meth:`YearClassifier.classes`), a few numpy operations on 40,000 values.

Breaks, two ways (:data:`BREAK_MODES`):

- ``reference`` (default) — the breaks of one reference year (the map's own year) are kept for
  every year, so a colour means the same range in every year and a township that improves moves
  down the classes. For the ``ratio`` method this keeps the reference year's benchmark (K = value
  ÷ benchmark of the reference year); for ``target`` the change-of-intensity bands.
- ``per_year`` — every year classified on its own (its own benchmark, quantiles, natural breaks):
  the classes say how a township stands among the others *in that year*; colours are not
  comparable across years.

Classes follow :func:`gis.intensity.classify.assign_classes` (``lower < x ≤ upper``, 0 = no data),
so a year classified with ``per_year`` equals :func:`gis.intensity.classify.classify` of that year.
Townships are the rows of the stack; polygons map onto them through ``poly_row`` (several parts of
one township share its row; a polygon without statistics has row −1 and class 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gis.errors import InputError
from gis.intensity.classify import RATIO_BREAKS, Classification, assign_classes, classify

BREAK_MODES = ("reference", "per_year")
"""``reference``: the reference year's breaks for every year (comparable colours, the default);
``per_year``: each year classified on its own."""


@dataclass
class YearStack:
    """The mapped value of every township in every year.

    years: ascending years (rows of ``values``). keys: the townships (columns), e.g. join keys.
    values: (years × townships) float, NaN = no data, in the unit ``unit`` (en, zh).
    weights: (years × townships) denominators (10⁴ yuan, mu, persons) for the ratio method's
        benchmark Σ numerator ÷ Σ denominator, or None (totals: no denominator).
    poly_row: per map polygon, its township's column in ``values`` (−1: no statistics).
    """

    years: list[int]
    keys: np.ndarray
    values: np.ndarray
    weights: np.ndarray | None
    poly_row: np.ndarray
    unit: tuple[str, str] = ("tCO2/10^4 yuan", "tCO2/万元")

    def index(self, year: int) -> int:
        """Row of ``year``; an InputError naming the years present otherwise."""
        try:
            return self.years.index(int(year))
        except ValueError:
            raise InputError(f"没有 {year} 年的数据。可选：{'、'.join(map(str, self.years))}",
                             f"No data for {year}. Years: {', '.join(map(str, self.years))}",
                             code="periods.year") from None

    def change_pct(self, year: int) -> tuple[np.ndarray, float]:
        """The change of each township's value against the year before in the stack (%, negative
        = decline; NaN without it) and the years between them (1.0 for the first year)."""
        i = self.index(year)
        if i == 0:
            return np.full(self.values.shape[1], np.nan), 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            prev = self.values[i - 1]
            ch = np.where(prev > 0, (self.values[i] / np.where(prev > 0, prev, 1.0) - 1.0) * 100.0, np.nan)
        return ch, float(self.years[i] - self.years[i - 1])


def stack_years(frames: Mapping[int, pd.DataFrame], poly_keys: Sequence, *, key_col: str = "join_key",
                value_col: str = "value", weight_col: str | None = None,
                unit: tuple[str, str] = ("tCO2/10^4 yuan", "tCO2/万元")) -> YearStack:
    """A :class:`YearStack` from one table per year (e.g. :func:`gis.intensity.metrics.township_metrics`
    of each year with the mapped ``value``): ``key_col`` names the township, ``value_col`` the value,
    ``weight_col`` its denominator. ``poly_keys``: the map polygons' keys in drawing order (NA for a
    polygon without statistics). Townships are the union of the tables' keys; a township without a
    row in some year is NaN there (no data, never invented)."""
    if not frames:
        raise InputError("没有任何年份的数据", "No year has data", code="periods.empty")
    years = sorted(int(y) for y in frames)
    keys = pd.Index(pd.unique(pd.concat([frames[y][key_col] for y in years], ignore_index=True)
                              .dropna().astype(str)))
    values = np.full((len(years), len(keys)), np.nan)
    weights = np.full((len(years), len(keys)), np.nan) if weight_col else None
    for i, y in enumerate(years):
        f = frames[y]
        ok = f[key_col].notna().to_numpy()
        cols = keys.get_indexer(f.loc[ok, key_col].astype(str))
        values[i, cols] = pd.to_numeric(f.loc[ok, value_col], errors="coerce").to_numpy(float)
        if weights is not None:
            weights[i, cols] = pd.to_numeric(f.loc[ok, weight_col], errors="coerce").to_numpy(float)
    pk = pd.Series(list(poly_keys), dtype=object)
    poly_row = np.full(len(pk), -1, dtype=np.int64)
    have = pk.notna().to_numpy()
    poly_row[have] = keys.get_indexer(pk[have].astype(str))
    return YearStack(years, keys.to_numpy(dtype=object), values, weights, poly_row, unit)


class YearClassifier:
    """Classes of any year of a :class:`YearStack` with one method.

    mode: ``reference`` (the breaks of ``reference_year`` for every year) or ``per_year``.
    method and ``classify_kw`` (benchmark, thresholds, target_decline_pct, benchmark_label):
    as :func:`gis.intensity.classify.classify`. ``reference``: the reference year's
    :class:`~gis.intensity.classify.Classification` (its breaks, benchmark, labels, legend text);
    pass it (e.g. the map's own, whose benchmark may be Σ tce ÷ Σ GDP) to keep it exactly,
    else it is classified here from the stack's row of ``reference_year``.
    """

    def __init__(self, stack: YearStack, *, method: str = "ratio", mode: str = "reference",
                 reference_year: int | None = None, reference: Classification | None = None,
                 **classify_kw) -> None:
        if mode not in BREAK_MODES:
            raise InputError(f"未知的分级方式“{mode}”：可用 {'、'.join(BREAK_MODES)}",
                             f"Unknown break mode '{mode}': use {', '.join(BREAK_MODES)}",
                             code="periods.mode")
        self.stack = stack
        self.method = method
        self.mode = mode
        self.classify_kw = classify_kw
        self.reference_year = int(reference_year) if reference_year is not None else stack.years[-1]
        self.stack.index(self.reference_year)  # an InputError naming the years when absent
        self.reference = reference if reference is not None else self._classify_year(self.reference_year)

    def _classify_year(self, year: int) -> Classification:
        """:func:`classify` of one year's row (its own breaks)."""
        i = self.stack.index(year)
        w = None if self.stack.weights is None else self.stack.weights[i]
        kw = dict(self.classify_kw)
        if self.method == "target":
            change, period = self.stack.change_pct(year)
            kw.update(change_pct=change, period_years=period)
        return classify(self.stack.values[i], self.method, weights=w, unit=self.stack.unit, **kw)

    def township_classes(self, year: int) -> tuple[np.ndarray, Classification]:
        """Class 0–5 per township (column of the stack) in ``year``, and the classification whose
        breaks were used (the reference year's in ``reference`` mode)."""
        if self.mode == "per_year":
            c = self._classify_year(year)
            return c.classes, c
        c = self.reference
        i = self.stack.index(year)
        x = self.stack.values[i]
        if c.method == "ratio":  # K against the reference year's benchmark, on the K breaks
            with np.errstate(invalid="ignore", divide="ignore"):
                return assign_classes(x / float(c.benchmark or np.nan), RATIO_BREAKS), c
        if c.method == "target":
            change, _ = self.stack.change_pct(year)
            return assign_classes(np.where(np.isfinite(x), change, np.nan), c.breaks), c
        return assign_classes(x, c.breaks), c

    def classes(self, year: int) -> tuple[np.ndarray, Classification]:
        """Class 0–5 per map polygon in ``year`` (0: no data or no statistics) and the
        classification used. One gather over the polygons: no per-feature Python work."""
        t, c = self.township_classes(year)
        row = self.stack.poly_row
        out = np.zeros(len(row), dtype=np.int8)
        ok = row >= 0
        out[ok] = t[row[ok]]
        return out, c


def class_counts(classes: np.ndarray) -> tuple[list[int], int]:
    """Polygons per class 1–5 and in class 0 (no data)."""
    n = np.bincount(np.asarray(classes, dtype=np.int64), minlength=6)
    return [int(v) for v in n[1:6]], int(n[0])
