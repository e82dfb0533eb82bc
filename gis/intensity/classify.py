"""Five classes of carbon intensity (1 = lowest … 5 = highest; 0 = no data), with the breaks and
the method stated.

Boundary convention, all methods: class i holds ``b[i-1] < x ≤ b[i]`` (each class includes its
upper break, not its lower; b[0] = −∞, b[5] = +∞), so a value exactly on a break falls in the
LOWER class — K = 0.6 is class 1, K = 2.0 class 4 — as in Zhejiang's grades "K ≤ 0.6, 0.6–0.8 …
> 2.0" (DOMAIN.md §3) and in mapclassify (whose bins are inclusive upper bounds). A value within
1e-9 (relative) of a break counts as on it, so ``0.6 × benchmark`` is class 1 despite rounding.
NaN, ±inf (and, for ``target``, a missing change) are class 0, "no data".

Methods (:data:`METHODS`):

- ``ratio`` (default) — benchmark ratio K = intensity / benchmark with the K breaks 0.6/0.8/1.2/2.0
  of Zhejiang's carbon-efficiency grades (DOMAIN.md §3). The benchmark defaults to the map's
  overall intensity Σ t_co2 / Σ denominator (pass ``weights`` = the denominators; without them the
  plain mean of the values is used and reported); or a value the user gives (county, province).
- ``fixed`` — four user thresholds, strictly ascending, in the intensity's unit.
- ``quantile`` — quintiles (each class ≈ 20 % of townships): the 20/40/60/80th percentiles with
  linear interpolation (as mapclassify ``Quantiles``, computed in numpy: :func:`quantile_bins`).
- ``jenks`` — natural breaks, Fisher–Jenks: the partition into five classes of least total
  within-class squared deviation (exact and deterministic; mapclassify ``FisherJenks`` up to 500
  values, beyond that the same dynamic programme vectorised here, on distinct values weighted by
  their counts, exact up to 1,000 distinct values; above, on 1,000 equal-count groups of the
  sorted values — approximate, and said so). ``NaturalBreaks`` is not used: it is randomly
  initialised.
- ``target`` — progress against a decline target t (% per year; over ``period_years`` years the
  target is 1 − (1 − t)^n): classes by the change of intensity, % (negative = decline):
  1 ≤ −1.5·t (target beaten by half or more), 2 −1.5·t … −t (target met), 3 −t … −0.5·t (at least
  half of it), 4 −0.5·t … 0 (less than half, or flat), 5 > 0 (intensity rose). For t = 3 %/yr:
  −4.5 / −3 / −1.5 / 0 %.

With fewer than five distinct values ``quantile`` and ``jenks`` give each value its own class from
class 1 up and leave the top classes empty (with a warning).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from gis.errors import InputError, Problem

METHODS = ("ratio", "fixed", "quantile", "jenks", "target")
RATIO_BREAKS = (0.6, 0.8, 1.2, 2.0)
"""K breaks of Zhejiang's carbon-efficiency grades (K = L / benchmark L; DOMAIN.md §3)."""
TARGET_BANDS = (-1.5, -1.0, -0.5, 0.0)
"""Breaks of the ``target`` method as multiples of the period's decline target (in %)."""
NO_DATA = 0
CONVENTION_ZH = "各级含上限、不含下限（下限 < x ≤ 上限）"
CONVENTION_EN = "each class includes its upper break, not its lower (lower < x ≤ upper)"
JENKS_MAPCLASSIFY_MAX = 500
JENKS_EXACT_MAX = 1000
_EDGE_RTOL = 1e-9

_UNIT_ZH = {"tCO2/10^4 yuan": "tCO2/万元", "tCO2/mu": "tCO2/亩", "tCO2/person": "tCO2/人"}
_DENOM_WORDS = {"tCO2/10^4 yuan": ("地区生产总值", "GDP"), "tCO2/mu": ("土地面积", "land area"),
                "tCO2/person": ("常住人口", "population")}
_TARGET_WORDS = (("超额完成", "target beaten"), ("完成目标", "target met"),
                 ("完成过半", "over half of target"), ("进展不足", "little or no decline"),
                 ("强度上升", "intensity rose"))


@dataclass
class Classification:
    """Five classes of one set of values.

    classes: int array, 1–5 per value, 0 = no data.
    breaks: the 4 inner breaks in the unit of what was classified (``quantity``: ``k_ratio`` for
        ``ratio``, ``change_pct`` for ``target``, else ``intensity``); ``unit_zh``/``unit_en``.
    intensity_breaks: the breaks in the intensity's unit (ratio: K breaks × benchmark; None for
        ``target``).
    k_ratio: K per value (``ratio`` only, NaN for no data), else None.
    method: the method key; description_zh/description_en: one sentence for the legend naming the
        method, benchmark or target, breaks with units and the boundary convention.
    counts: townships per class 1–5; no_data: townships in class 0.
    labels_zh/labels_en: per class 1–5, e.g. "K 0.6–0.8（0.93–1.24 tCO2/万元）".
    benchmark/benchmark_source: ``map_mean`` (Σ t_co2 / Σ denominator), ``map_mean_unweighted``
        or ``user`` (ratio only). target_decline_pct/period_years: the target used (target only).
    problems: warnings (too few distinct values, empty classes, approximations).
    """

    classes: np.ndarray
    breaks: np.ndarray
    method: str
    description_zh: str
    description_en: str
    counts: list[int]
    no_data: int
    labels_zh: list[str]
    labels_en: list[str]
    quantity: str
    unit_zh: str
    unit_en: str
    intensity_breaks: np.ndarray | None = None
    k_ratio: np.ndarray | None = None
    benchmark: float | None = None
    benchmark_source: str | None = None
    target_decline_pct: float | None = None
    period_years: float | None = None
    problems: list[Problem] = field(default_factory=list)
    convention_zh: str = CONVENTION_ZH
    convention_en: str = CONVENTION_EN

    def to_dict(self) -> dict:
        """JSON-ready: everything but the per-value arrays."""
        def _f(v):
            return None if v is None or not np.isfinite(v) else float(v)
        return {"method": self.method, "quantity": self.quantity, "unit_zh": self.unit_zh,
                "unit_en": self.unit_en,
                "breaks": [_f(b) for b in self.breaks],
                "intensity_breaks": None if self.intensity_breaks is None else [_f(b) for b in
                                                                                 self.intensity_breaks],
                "benchmark": None if self.benchmark is None else _f(self.benchmark),
                "benchmark_source": self.benchmark_source, "target_decline_pct": self.target_decline_pct,
                "period_years": self.period_years, "counts": list(self.counts), "no_data": self.no_data,
                "labels_zh": self.labels_zh, "labels_en": self.labels_en,
                "description_zh": self.description_zh, "description_en": self.description_en,
                "convention_zh": self.convention_zh, "convention_en": self.convention_en,
                "problems": [p.to_dict() for p in self.problems]}

    @classmethod
    def from_dict(cls, d: dict) -> Classification:
        """A classification as a saved summary holds it (:meth:`to_dict`): everything but the
        per-value arrays (``classes``, ``k_ratio``), which come back empty."""
        def arr(v):
            return None if v is None else np.array([np.nan if x is None else x for x in v], dtype=float)
        return cls(classes=np.zeros(0, dtype=int), breaks=arr(d.get("breaks") or []),
                   method=d.get("method", ""), description_zh=d.get("description_zh", ""),
                   description_en=d.get("description_en", ""), counts=list(d.get("counts") or []),
                   no_data=int(d.get("no_data") or 0), labels_zh=list(d.get("labels_zh") or []),
                   labels_en=list(d.get("labels_en") or []), quantity=d.get("quantity", ""),
                   unit_zh=d.get("unit_zh", ""), unit_en=d.get("unit_en", ""),
                   intensity_breaks=arr(d.get("intensity_breaks")), benchmark=d.get("benchmark"),
                   benchmark_source=d.get("benchmark_source"), target_decline_pct=d.get("target_decline_pct"),
                   period_years=d.get("period_years"),
                   problems=[Problem(**p) for p in d.get("problems") or []],
                   convention_zh=d.get("convention_zh", CONVENTION_ZH),
                   convention_en=d.get("convention_en", CONVENTION_EN))


# ---------------------------------------------------------------- helpers

def assign_classes(x: np.ndarray, breaks) -> np.ndarray:
    """Class 1–5 by ``lower < x ≤ upper`` over the 4 inner ``breaks`` (0 where x is not finite);
    x within 1e-9 (relative) above a break counts as on it."""
    x = np.asarray(x, dtype=float)
    b = np.asarray(breaks, dtype=float)
    tol = _EDGE_RTOL * np.maximum(np.abs(b), 1e-300)
    ok = np.isfinite(x)
    cls = np.zeros(x.shape, dtype=np.int8)
    cls[ok] = (np.searchsorted(b + tol, x[ok], side="left") + 1).astype(np.int8)
    return cls


def _decimals(values) -> int:
    v = [abs(float(x)) for x in values if np.isfinite(x)]
    if not v:
        return 1
    for d in range(7):
        if all(abs(round(x, d) - x) <= 1e-9 * max(1.0, x) for x in v):
            return max(d, 1) if max(v) < 100 else d
    nonzero = [x for x in v if x > 0]
    d = max(0, 2 - int(np.floor(np.log10(min(nonzero))))) if nonzero else 1
    d = min(d, 6)
    while d < 8 and len({f"{x:.{d}f}" for x in values}) < len(set(values)):
        d += 1
    return d


def _fmt(x: float, d: int) -> str:
    """``x`` with ``d`` decimals and a true minus sign (−); "0" for a zero."""
    s = f"{x:.{d}f}"
    return "0" if s.strip("-0.") == "" else s.replace("-", "−")


def _range_labels(breaks, d: int, prefix: str = "", suffix: str = "") -> list[str]:
    """"≤ a", "a–b", …, "> d" with ``prefix`` and ``suffix`` ("a – b" when a break is negative)."""
    b = [_fmt(v, d) for v in breaks]
    sep = " – " if any(v < 0 for v in breaks) else "–"
    out = [f"{prefix}≤ {b[0]}{suffix}"]
    for i in range(3):
        out.append(f"{prefix}{b[i]}{sep}{b[i + 1]}{suffix}")
    out.append(f"{prefix}> {b[3]}{suffix}")
    return out


def _unit_pair(unit) -> tuple[str, str]:
    if isinstance(unit, (tuple, list)):
        return str(unit[1]), str(unit[0])
    return _UNIT_ZH.get(str(unit), str(unit)), str(unit)


def _valid(values) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=float).ravel()
    ok = np.isfinite(x)
    if not ok.any():
        raise InputError("没有可分级的数据：所有乡镇的强度都缺失",
                         "Nothing to classify: every township's value is missing", code="classify.no_data")
    return x, ok


def _few_values(y: np.ndarray, method_zh: str, method_en: str, problems: list[Problem]) -> np.ndarray | None:
    u = np.unique(y)
    if len(u) >= 5:
        return None
    problems.append(Problem("warning", "classify.few_values",
                            f"只有 {len(u)} 个不同的数值，{method_zh}不足五级：每个数值一级，"
                            f"第 {len(u) + 1}–5 级为空",
                            f"Only {len(u)} distinct values: {method_en} cannot make five classes; "
                            f"each value gets its own class and classes {len(u) + 1}–5 stay empty"))
    return np.concatenate([u, np.full(5 - len(u), u[-1])])[:4]


def quantile_bins(y, k: int = 5) -> np.ndarray:
    """``mapclassify.Quantiles(y, k=k).bins`` in numpy alone (mapclassify imports scipy and
    scikit-learn: 1–2 s, a GUI stall): the distinct upper bounds of ``k`` quantile classes of the
    values ``y`` (no NaN), ascending — the 100/k, 200/k … 100th percentiles with linear
    interpolation between order statistics (rank p/100·(n − 1); numpy's default ``np.quantile``
    method), ties collapsed (fewer bins then). Computed as mapclassify does (its float steps of
    percentages, scipy ``scoreatpercentile``'s weighted mean of the two neighbours), so the bins
    are bit-identical to mapclassify's, not just equal up to rounding."""
    y = np.sort(np.asarray(y, dtype=float).ravel())
    if y.size == 0 or k < 1:
        return np.zeros(0)
    w = 100.0 / k
    p = np.arange(w, 100 + w, w)  # mapclassify's percentages (its float steps, kept)
    if p[-1] > 100.0:
        p[-1] = 100.0
    idx = p / 100.0 * (y.size - 1)
    i = idx.astype(np.intp)  # int(idx): idx ≥ 0
    exact = i == idx
    j = np.minimum(i + 1, y.size - 1)
    w0, w1 = (i + 1) - idx, idx - i  # scipy: (a·(j − idx) + b·(idx − i)) / ((j − idx) + (idx − i))
    with np.errstate(invalid="ignore"):
        frac = (y[i] * w0 + y[j] * w1) / (w0 + w1)
    return np.unique(np.where(exact, y[i], frac))


def _quantile_breaks(y: np.ndarray, problems: list[Problem]) -> np.ndarray:
    few = _few_values(y, "分位数法", "quantiles", problems)
    if few is not None:
        return few
    bins = quantile_bins(y, 5)
    if len(bins) == 5:
        return np.asarray(bins[:4], dtype=float)
    q = np.quantile(y, [0.2, 0.4, 0.6, 0.8])
    problems.append(Problem("warning", "classify.tied_quantiles",
                            "相同数值较多，部分分位数重合，有的级别为空",
                            "Many tied values: some quintiles coincide and some classes are empty"))
    return q


def fisher_jenks_ends(v: np.ndarray, w: np.ndarray, k: int = 5) -> list[int]:
    """Fisher–Jenks optimal classes of weighted values: indices (into ``v``, sorted ascending
    and distinct, with weights ``w`` such as their counts) of the last element of classes
    1..k-1 minimising the total weighted within-class sum of squares (Fisher 1958; exact
    dynamic programme, vectorised by blocks). Breaks = ``v[ends]`` (class ``lower < x ≤ upper``)."""
    m = len(v)
    c0 = v - np.average(v, weights=w)  # centred: better conditioned sums
    W = np.concatenate([[0.0], np.cumsum(w)])
    S = np.concatenate([[0.0], np.cumsum(w * c0)])
    Q = np.concatenate([[0.0], np.cumsum(w * c0 * c0)])

    def sse(i, j):
        ww = W[j + 1] - W[i]
        s = S[j + 1] - S[i]
        return np.maximum(Q[j + 1] - Q[i] - s * s / np.where(ww > 0, ww, 1.0), 0.0)

    cost = sse(np.zeros(m, dtype=int), np.arange(m))
    back = []
    block = max(1, 4_000_000 // m)
    for c in range(2, k + 1):
        new = np.full(m, np.inf)
        arg = np.zeros(m, dtype=int)
        starts = np.arange(c - 1, m)
        prev = np.concatenate([[np.inf], cost])  # prev[i] = cost of classes 1..c-1 ending at i-1
        for j0 in range(c - 1, m, block):
            js = np.arange(j0, min(m, j0 + block))
            ii = starts[:, None]
            val = prev[ii] + sse(ii, js[None, :])
            val = np.where(ii <= js[None, :], val, np.inf)
            a = np.argmin(val, axis=0)
            new[js] = val[a, np.arange(len(js))]
            arg[js] = starts[a]
        back.append(arg)
        cost = new
    ends = []
    j = m - 1
    for c in range(k, 1, -1):
        i = back[c - 2][j]
        ends.append(i - 1)
        j = i - 1
    return sorted(ends)


_jenks_dp = fisher_jenks_ends  # the former private name


def jenks_breaks(y, problems: list[Problem] | None = None) -> np.ndarray:
    """The 4 inner Fisher–Jenks breaks of ``y`` (finite values), see the module doc."""
    problems = [] if problems is None else problems
    y = np.sort(np.asarray(y, dtype=float))
    few = _few_values(y, "自然断点法", "natural breaks", problems)
    if few is not None:
        return few
    if len(y) <= JENKS_MAPCLASSIFY_MAX:
        import mapclassify

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed": the pure-Python version is fine here
            bins = mapclassify.FisherJenks(y, k=5).bins
        if len(bins) == 5:
            return np.asarray(bins[:4], dtype=float)
    u, counts = np.unique(y, return_counts=True)
    if len(u) <= JENKS_EXACT_MAX:
        ends = fisher_jenks_ends(u, counts.astype(float))
        return u[ends]
    edges = np.linspace(0, len(y), JENKS_EXACT_MAX + 1).astype(int)
    sums = np.add.reduceat(y, edges[:-1])
    n = np.diff(edges).astype(float)
    ends = fisher_jenks_ends(sums / n, n)
    problems.append(Problem("info", "classify.jenks_grouped",
                            f"{len(y)} 个数值先按大小分成 {JENKS_EXACT_MAX} 组等数量的组再求自然断点（近似）",
                            f"{len(y)} values: natural breaks computed on {JENKS_EXACT_MAX} equal-count "
                            "groups of the sorted values (approximate)"))
    return y[edges[1:][ends] - 1]


# ---------------------------------------------------------------- classify

def classify(values, method: str = "ratio", *, benchmark: float | None = None, thresholds=None,
             target_decline_pct: float | None = None, change_pct=None, weights=None,
             unit="tCO2/10^4 yuan", benchmark_label: tuple[str, str] | None = None,
             period_years: float = 1.0) -> Classification:
    """Five classes of ``values`` (intensities; see the module doc for the methods).

    benchmark: ``ratio`` — the benchmark intensity (default: Σ(values·weights)/Σweights, i.e.
        Σ t_co2 / Σ denominator when ``weights`` are the denominators).
    benchmark_label: (zh, en) naming a user benchmark on the legend, e.g. ("萧山区 2023", "Xiaoshan 2023").
    thresholds: ``fixed`` — 4 ascending breaks in the intensity's unit.
    target_decline_pct: ``target`` — the decline target, % per year (e.g. 3); ``change_pct``: the
        change of each township's intensity, % (default: ``values`` are the changes);
        period_years: years between the two years compared.
    unit: the intensity's unit, ``tCO2/10^4 yuan`` (default), ``tCO2/mu``, ``tCO2/person`` or a
        (en, zh) pair.
    """
    method = str(method).strip().lower()
    if method not in METHODS:
        raise InputError(f"未知的分级方法“{method}”。可用：{'、'.join(METHODS)}",
                         f"Unknown classification method '{method}'. Available: {', '.join(METHODS)}",
                         code="classify.method")
    unit_zh, unit_en = _unit_pair(unit)
    problems: list[Problem] = []
    if method == "target":
        return _target(values, change_pct, target_decline_pct, period_years, problems)
    x, ok = _valid(values)
    y = x[ok]
    if method == "ratio":
        return _ratio(x, ok, benchmark, weights, unit_zh, unit_en, benchmark_label, problems)
    if method == "fixed":
        if thresholds is None:
            raise InputError("固定阈值法需要 4 个阈值（从小到大）",
                             "The fixed method needs 4 thresholds (ascending)",
                             code="classify.thresholds")
        try:
            b = np.asarray([float(t) for t in thresholds], dtype=float)
        except (TypeError, ValueError):
            raise InputError(f"阈值无法识别：{thresholds}", f"Cannot read the thresholds: {thresholds}",
                             code="classify.thresholds") from None
        if b.shape != (4,) or not np.all(np.isfinite(b)) or not np.all(np.diff(b) > 0):
            raise InputError(f"需要 4 个从小到大、互不相同的阈值，收到：{list(thresholds)}",
                             f"Need 4 distinct thresholds in ascending order, got: {list(thresholds)}",
                             code="classify.thresholds")
        d = _decimals(b)
        txt = "/".join(_fmt(v, d) for v in b)
        zh = f"固定阈值法：断点 {txt} {unit_zh}（用户给定）；{CONVENTION_ZH}"
        en = f"Fixed thresholds: breaks {txt} {unit_en} (given by the user); {CONVENTION_EN}"
    elif method == "quantile":
        b = _quantile_breaks(y, problems)
        d = _decimals(b)
        txt = "/".join(_fmt(v, d) for v in b)
        zh = f"分位数法（五等分，每级约 20% 的乡镇，线性插值）：断点 {txt} {unit_zh}；{CONVENTION_ZH}"
        en = (f"Quantiles (quintiles, about 20% of townships per class, linear interpolation): breaks {txt} "
              f"{unit_en}; {CONVENTION_EN}")
    else:
        b = jenks_breaks(y, problems)
        d = _decimals(b)
        txt = "/".join(_fmt(v, d) for v in b)
        zh = f"自然断点法（Fisher–Jenks 最优分级）：断点 {txt} {unit_zh}；{CONVENTION_ZH}"
        en = f"Natural breaks (Fisher–Jenks optimal): breaks {txt} {unit_en}; {CONVENTION_EN}"
    classes = assign_classes(x, b)
    labels_zh = _range_labels(b, d, suffix=f" {unit_zh}")
    labels_en = _range_labels(b, d, suffix=f" {unit_en}")
    return _finish(Classification(classes=classes, breaks=b, method=method, description_zh=zh,
                                  description_en=en, counts=[], no_data=0, labels_zh=labels_zh,
                                  labels_en=labels_en, quantity="intensity", unit_zh=unit_zh, unit_en=unit_en,
                                  intensity_breaks=b.copy(), problems=problems))


def _finish(c: Classification) -> Classification:
    n = np.bincount(c.classes.astype(int), minlength=6)
    c.counts = [int(v) for v in n[1:6]]
    c.no_data = int(n[0])
    empty = [i + 1 for i, v in enumerate(c.counts) if v == 0]
    few = any(p.code == "classify.few_values" for p in c.problems)
    if empty and c.method in ("quantile", "jenks") and not few:
        c.problems.append(Problem("info", "classify.empty_classes",
                                  f"第 {'、'.join(map(str, empty))} 级没有乡镇",
                                  f"Classes {', '.join(map(str, empty))} hold no township"))
    if c.no_data:
        c.problems.append(Problem("info", "classify.no_data", f"{c.no_data} 个乡镇无数据（第 0 级，灰色）",
                                  f"{c.no_data} townships have no data (class 0, grey)"))
    return c


def _ratio(x, ok, benchmark, weights, unit_zh, unit_en, benchmark_label, problems) -> Classification:
    words_zh, words_en = _DENOM_WORDS.get(unit_en, ("分母", "denominator"))
    if benchmark is None:
        if weights is not None:
            w = np.asarray(weights, dtype=float).ravel()
            if w.shape != x.shape:
                raise ValueError("weights must have the shape of values")
            use = ok & np.isfinite(w) & (w > 0)
            bench = float(np.sum(x[use] * w[use]) / np.sum(w[use])) if use.any() else float("nan")
            source = "map_mean"
            bzh = f"全区总体强度 Σ碳排放/Σ{words_zh}"
            ben = f"the map's overall intensity Σ CO2 / Σ {words_en}"
        else:
            bench = float(np.mean(x[ok]))
            source = "map_mean_unweighted"
            bzh, ben = "各乡镇强度的算术平均", "the plain mean of the townships' intensities"
            problems.append(Problem("info", "classify.unweighted_benchmark",
                                    "未给出分母，基准取各乡镇强度的算术平均（而非 Σ排放/Σ分母）",
                                    "No denominators given: the benchmark is the plain mean of the "
                                    "intensities (not Σ emissions / Σ denominator)"))
    else:
        bench = float(benchmark)
        source = "user"
        bzh, ben = benchmark_label if benchmark_label else ("用户给定值", "given by the user")
    if not np.isfinite(bench) or bench <= 0:
        raise InputError(f"基准强度必须为正数，得到 {bench}",
                         f"The benchmark intensity must be positive, got {bench}",
                         code="classify.benchmark")
    k = np.where(ok, x / bench, np.nan)
    b = np.asarray(RATIO_BREAKS, dtype=float)
    vb = b * bench
    dv = _decimals([round(v, 2 - int(np.floor(np.log10(abs(v))))) for v in vb])
    kb = "/".join(_fmt(v, 1) for v in b)
    zh = (f"基准比值法：K = 强度 / 基准（基准 = {bzh} {_fmt(bench, dv)} {unit_zh}），K 分级 {kb}"
          f"（浙江碳效等级）；{CONVENTION_ZH}")
    en = (f"Benchmark ratio: K = intensity / benchmark (benchmark = {ben}, {_fmt(bench, dv)} {unit_en}), "
          f"K breaks {kb} (Zhejiang carbon-efficiency grades); {CONVENTION_EN}")
    kl = _range_labels(b, 1, prefix="K ")
    vzh = _range_labels(vb, dv, suffix=f" {unit_zh}")
    ven = _range_labels(vb, dv, suffix=f" {unit_en}")
    labels_zh = [f"{a}（{v}）" for a, v in zip(kl, vzh, strict=True)]
    labels_en = [f"{a} ({v})" for a, v in zip(kl, ven, strict=True)]
    return _finish(Classification(classes=assign_classes(k, b), breaks=b, method="ratio", description_zh=zh,
                                  description_en=en, counts=[], no_data=0, labels_zh=labels_zh,
                                  labels_en=labels_en, quantity="k_ratio", unit_zh="", unit_en="",
                                  intensity_breaks=vb, k_ratio=k, benchmark=bench, benchmark_source=source,
                                  problems=problems))


def _target(values, change_pct, target, period_years, problems) -> Classification:
    if target is None:
        raise InputError("目标进度法需要强度下降目标（如每年 3%）",
                         "The target method needs a decline target (e.g. 3 % per year)",
                         code="classify.target")
    t = float(target)
    n = float(period_years)
    if not np.isfinite(t) or t <= 0 or t >= 100 or not np.isfinite(n) or n <= 0:
        raise InputError(f"下降目标应在 0–100% 之间、年数为正，得到 {target}%、{period_years} 年",
                         f"The decline target must be within 0–100 % and the years positive, got {target} %, "
                         f"{period_years} years", code="classify.target")
    if change_pct is None:
        change = np.asarray(values, dtype=float).ravel()
        ok = np.isfinite(change)
    else:
        change = np.asarray(change_pct, dtype=float).ravel()
        ok = np.isfinite(change)
        if values is not None:
            v = np.asarray(values, dtype=float).ravel()
            if v.shape != change.shape:
                raise ValueError("change_pct must have the shape of values")
            ok &= np.isfinite(v)
    if not ok.any():
        raise InputError("没有可分级的数据：所有乡镇都缺少强度变化（需要两个年份）",
                         "Nothing to classify: no township has a change of intensity (two years are needed)",
                         code="classify.no_data")
    tp = (1.0 - (1.0 - t / 100.0) ** n) * 100.0
    b = np.asarray(TARGET_BANDS, dtype=float) * tp
    b[3] = 0.0
    d = max(1, _decimals(b))
    period_zh = "" if n == 1 else f"，{_fmt(n, 0 if n == int(n) else 1)} 年累计 {_fmt(tp, d)}%"
    period_en = "" if n == 1 else f", {_fmt(tp, d)} % over {_fmt(n, 0 if n == int(n) else 1)} years"
    ranges = _range_labels(b, d, suffix="%")
    tt = _fmt(t, max(1, _decimals([t])))
    zh = (f"目标进度法：强度变化率对照下降目标 每年 {tt}%{period_zh}；"
          + "，".join(f"{r} {w[0]}" for w, r in zip(_TARGET_WORDS, ranges, strict=True))
          + f"；{CONVENTION_ZH}")
    en = (f"Progress against target: change of intensity vs a decline target of {tt} % per year{period_en}; "
          + ", ".join(f"{r} {w[1]}" for w, r in zip(_TARGET_WORDS, ranges, strict=True))
          + f"; {CONVENTION_EN}")
    labels_zh = [f"{w[0]}（{r}）" for w, r in zip(_TARGET_WORDS, ranges, strict=True)]
    labels_en = [f"{w[1]} ({r})" for w, r in zip(_TARGET_WORDS, ranges, strict=True)]
    classes = assign_classes(np.where(ok, change, np.nan), b)
    return _finish(Classification(classes=classes, breaks=b, method="target", description_zh=zh,
                                  description_en=en, counts=[], no_data=0, labels_zh=labels_zh,
                                  labels_en=labels_en,
                                  quantity="change_pct", unit_zh="%", unit_en="%", target_decline_pct=t,
                                  period_years=n, problems=problems))
