"""Layer styles (single fill, five-class graduated) and a colour-blind check. Pure Python, no Qt.

The five-colour carbon-intensity map colours units from low to high as green, blue, yellow,
orange, red (../shared/reference/DOMAIN.md §3, the State Grid Zhejiang township map);
:data:`FIVE_COLOURS` holds those five colours in that order. The hexes were chosen so that every
pair stays distinguishable (CIE76 ΔE ≥ 21) for normal vision and under simulated protanopia,
deuteranopia and tritanopia (:func:`colour_blind_safety`), and against the no-data grey; the
yellow is a clear yellow (not a near-white) so it survives printing.

A :class:`GraduatedStyle` draws each feature in the colour of the :class:`ClassBreak` whose
``value`` equals the feature's ``field`` (an integer class 1–5 written by the classifier); the
breaks ``lower``/``upper`` only label the classes. Features whose class is missing, 0 or not
listed are "no data" (grey), never a class. With ``value_field`` set (:func:`range_style`) the
style classes the numbers of that field itself by the ranges ``lower < v ≤ upper``.

A :class:`CategorizedStyle` colours features by the distinct values of a field
(:class:`Category`), e.g. green space by type. :class:`SingleStyle` draws everything alike.
Every style draws polygons (fill + outline), lines (stroke) and points (markers sized in points).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

# green, blue, yellow, orange, red = low → high (DOMAIN.md §3)
FIVE_COLOURS: tuple[str, str, str, str, str] = ("#00a651", "#2171b5", "#ffe066", "#f58220", "#d7191c")
NO_DATA_COLOUR = "#bdbdbd"
NO_FILL = "none"
"""A fill colour meaning "no fill" (outline only), e.g. the park boundary. "" and "transparent"
are accepted too (:func:`has_fill`)."""
FIVE_NAMES_ZH = ("绿", "蓝", "黄", "橙", "红")
FIVE_NAMES_EN = ("green", "blue", "yellow", "orange", "red")

MIN_DELTA_E = 12.0
"""Below this CIE76 ΔE two map colours are hard to tell apart (small areas, print, screens)."""


@dataclass
class ClassBreak:
    """One class of a graduated style.

    value: the integer class code in the style's field (1–5 for the five-colour map).
    lower/upper: the break values (``lower < v ≤ upper``), None for an open end; for labels only.
    label_zh/label_en: the break text without unit, e.g. "0.6–0.8" (the legend adds the unit).
    count: number of features in the class (shown in the legend).
    """

    value: int
    lower: float | None
    upper: float | None
    colour: str
    label_zh: str
    label_en: str
    count: int = 0


@dataclass
class SingleStyle:
    """Every feature in one fill colour with an outline; optional labels from ``label_field``.

    Polygons: ``fill`` with an ``outline`` of ``width`` px. Lines: drawn in ``outline`` colour,
    ``width`` px wide. Points: a circle of ``marker_size_pt`` points (diameter) in ``fill`` with an
    ``outline`` ring. Widths are device pixels at 96 dpi (scaled with the device's dpi).
    title_zh/title_en: optional legend title (the layer's name is the row label).
    """

    fill: str = "#a6cee3"
    outline: str = "#404040"
    width: float = 0.5  # outline width in device pixels (points on a PDF at 72 dpi)
    label_field: str | None = None
    marker_size_pt: float = 6.0  # point marker diameter in points (QGIS's default circle ≈ 2 mm)
    title_zh: str = ""
    title_en: str = ""

    def colours(self) -> list[str]:
        return [self.fill]

    def codes_for(self, frame: pd.DataFrame) -> np.ndarray:
        """Per-feature class index: 0 for every row (one symbol)."""
        return np.zeros(len(frame), dtype=np.int64)


@dataclass
class GraduatedStyle:
    """Five-colour (or n-class) choropleth on an integer class field.

    field: the integer class field (e.g. ``class``), whose value selects a :class:`ClassBreak`.
    unit: unit of the break values, e.g. "tCO₂/万元" (shown in the legend and exported labels).
    title_*: legend title; method_*: how the breaks were made (stated on the legend).
    outline_width_px: outline width in device pixels; 0 draws no outline.
    value_field: when set, the classes are ranges on this numeric field (``lower < v ≤ upper``,
        None = open end; NaN/missing = no data) instead of codes in ``field``
        (:func:`range_style` sets both ``field`` and ``value_field`` to the numeric field).
    line_width_px: width of line features, drawn in the class colour.
    marker_size_pt: diameter of point markers (points), filled in the class colour.
    """

    field: str
    classes: list[ClassBreak]
    no_data_colour: str = NO_DATA_COLOUR
    no_data_label_zh: str = "无数据"
    no_data_label_en: str = "no data"
    no_data_count: int = 0
    outline_colour: str = "#ffffff"
    outline_width_px: float = 0.5
    label_field: str | None = None
    title_zh: str = "碳排放强度"
    title_en: str = "Carbon intensity"
    method_zh: str = ""
    method_en: str = ""
    unit: str = ""
    value_field: str | None = None
    line_width_px: float = 1.5
    marker_size_pt: float = 6.0

    def colours(self) -> list[str]:
        """Class colours from low to high."""
        return [c.colour for c in self.classes]

    @property
    def data_field(self) -> str:
        """The column the classes are read from: ``value_field`` if set, else ``field``."""
        return self.value_field or self.field

    def class_codes(self, values: Sequence | np.ndarray) -> np.ndarray:
        """Per-feature index into ``classes`` (0-based), or -1 for no data.

        Code classes (no ``value_field``): the class whose ``value`` equals the value; missing, 0
        or unknown values are no data. Range classes (``value_field``): the first class with
        ``lower < v ≤ upper`` (None = open end); NaN, ±inf or a value outside every range is no data.
        """
        v = _as_float(values)
        out = np.full(len(v), -1, dtype=np.int64)
        if self.value_field is None:
            for i, cb in enumerate(self.classes):
                out[v == cb.value] = i
            return out
        with np.errstate(invalid="ignore"):
            finite = np.isfinite(v)
            for i in range(len(self.classes) - 1, -1, -1):  # reversed: the first match wins
                cb = self.classes[i]
                m = finite.copy()
                if cb.lower is not None:
                    m &= v > cb.lower
                if cb.upper is not None:
                    m &= v <= cb.upper
                out[m] = i
        return out

    def codes_for(self, frame: pd.DataFrame) -> np.ndarray:
        """Per-row class index (-1 = no data) of a (Geo)DataFrame; all -1 if the column is missing."""
        if self.data_field not in frame.columns:
            return np.full(len(frame), -1, dtype=np.int64)
        return self.class_codes(frame[self.data_field].to_numpy())

    def row_label(self, cb: ClassBreak, lang: str = "zh") -> str:
        """Label of a class with its unit, e.g. "0.6–0.8 tCO₂/万元"."""
        text = cb.label_zh if lang == "zh" else cb.label_en
        return f"{text} {self.unit}".strip() if self.unit else text


def _as_float(values: Sequence | np.ndarray) -> np.ndarray:
    """values as float, NaN where missing or not a number (tolerates "2", 2.0, None, pd.NA)."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        return pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(float)


def format_break(value: float, decimals: int | None = None) -> str:
    """A break value as text with ``decimals`` places (default: :func:`common_decimals` of it)."""
    if decimals is None:
        decimals = common_decimals([value])
    return f"{value:.{decimals}f}"


def common_decimals(values: Sequence[float], max_decimals: int = 3) -> int:
    """Fewest decimals that show every value exactly: at least 1 below 100 ("2.0" as in the
    Zhejiang grades), none required from 100 up, at most ``max_decimals``.

    [0.6, 0.8, 1.2, 2.0] → 1; [0.735, 1.5] → 3; [1520, 3000] → 0; [80, 100, 120] → 0;
    [77.11, 92.98, 105.3] → 2 (a value ≥ 100 does not coarsen exact limits). Values that no
    ``max_decimals`` shows exactly (raw floats) get a readable precision instead:
    ``max_decimals`` below 100, 1 from 100, 0 from 1000.
    """
    finite = [abs(float(v)) for v in values if v is not None and math.isfinite(float(v))]
    if not finite:
        return 1
    biggest = max(finite)
    low = 0 if biggest >= 100 else 1
    for d in range(low, max(low, max_decimals) + 1):
        if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, v) for v in finite):
            return d
    return 0 if biggest >= 1000 else (1 if biggest >= 100 else max(low, max_decimals))


def break_labels(lower: float | None, upper: float | None,
                 decimals: int | None = None) -> tuple[str, str]:
    """(zh, en) label of the class ``lower < v ≤ upper``: "≤ 0.6", "0.6–0.8", "> 2.0"."""
    if lower is None:
        if upper is None:
            return "全部", "all"
        t = f"≤ {format_break(upper, decimals)}"
        return t, t
    if upper is None:
        t = f"> {format_break(lower, decimals)}"
        return t, t
    t = f"{format_break(lower, decimals)}–{format_break(upper, decimals)}"
    return t, t


def five_class_style(breaks: Sequence[float], *, field: str = "class",
                     counts: Sequence[int] | None = None, no_data_count: int = 0,
                     colours: Sequence[str] = FIVE_COLOURS, unit: str = "",
                     title_zh: str = "碳排放强度", title_en: str = "Carbon intensity",
                     method_zh: str = "", method_en: str = "", label_field: str | None = None,
                     decimals: int | None = None) -> GraduatedStyle:
    """A graduated style from the 4 inner breaks of 5 classes (class 1 = lowest = green).

    Example: ``five_class_style([0.6, 0.8, 1.2, 2.0], method_zh="基准比值法 K = L/基准")``
    gives "≤ 0.6", "0.6–0.8", "0.8–1.2", "1.2–2.0", "> 2.0" in green … red.
    Any number of classes works: ``len(colours) == len(breaks) + 1``.
    """
    edges: list[float | None] = [None, *map(float, breaks), None]
    if decimals is None:
        decimals = common_decimals(breaks)
    if len(colours) != len(edges) - 1:
        raise ValueError(f"{len(breaks)} breaks need {len(breaks) + 1} colours, got {len(colours)}")
    counts = list(counts) if counts is not None else [0] * len(colours)
    classes = []
    for i, colour in enumerate(colours):
        zh, en = break_labels(edges[i], edges[i + 1], decimals)
        classes.append(ClassBreak(i + 1, edges[i], edges[i + 1], colour, zh, en, int(counts[i])))
    return GraduatedStyle(field=field, classes=classes, no_data_count=no_data_count, unit=unit,
                          title_zh=title_zh, title_en=title_en, method_zh=method_zh,
                          method_en=method_en, label_field=label_field)


# ---- categorized styles ------------------------------------------------------------------------

@dataclass
class Category:
    """One category of a :class:`CategorizedStyle`: features whose field equals ``value``.

    value: the field value (str, int or float; compared with ==, so 1 matches 1.0 but not "1").
    count: number of features (legend); filled by :func:`categorized_style`.
    """

    value: object
    colour: str
    label_zh: str
    label_en: str
    count: int = 0


@dataclass
class CategorizedStyle:
    """Colours by the distinct values of ``field`` (e.g. green space by type).

    Features whose value is not a listed category (or missing) take ``other_colour`` and are
    counted in the "other" legend row (shown when ``other_count`` > 0 or the data has such rows).
    outline/width: polygon outline colour and width in px; lines are drawn in the category colour
    ``line_width_px`` wide; points as ``marker_size_pt`` circles.
    """

    field: str
    categories: list[Category]
    other_colour: str = NO_DATA_COLOUR
    outline: str = "#606060"
    width: float = 0.5
    label_field: str | None = None
    title_zh: str = ""
    title_en: str = ""
    other_label_zh: str = "其他"
    other_label_en: str = "other"
    other_count: int = 0
    line_width_px: float = 1.5
    marker_size_pt: float = 6.0

    def colours(self) -> list[str]:
        return [c.colour for c in self.categories]

    def class_codes(self, values: Sequence | np.ndarray) -> np.ndarray:
        """Per-feature index into ``categories``, or -1 for other/missing values.

        Values match like dict keys (``==`` with equal hashes: 1 matches 1.0 and True, not "1");
        the first of equal categories wins; missing values (None, NaN, NA) are always "other".
        Vectorised: one hash-table lookup of all values (``pandas.Index.get_indexer``).
        """
        arr = (values.to_numpy(dtype=object) if isinstance(values, pd.Series)
               else np.asarray(values, dtype=object))
        out = np.full(len(arr), -1, dtype=np.int64)
        if len(arr) == 0 or not self.categories:
            return out
        cats = pd.Index([c.value for c in self.categories], dtype=object)
        keep = np.flatnonzero(~cats.duplicated(keep="first") & ~pd.isna(cats))
        lookup = cats[keep]
        present = ~pd.isna(arr)
        try:
            idx = lookup.get_indexer(pd.Index(arr, dtype=object))
        except TypeError:  # unhashable values (lists …) in the data: those are "other" (rare, slow)
            hashable = np.fromiter((_hashable(x) for x in arr), dtype=bool, count=len(arr))
            idx = np.full(len(arr), -1, dtype=np.intp)
            idx[hashable] = lookup.get_indexer(pd.Index(arr[hashable], dtype=object))
        hit = (idx >= 0) & present
        out[hit] = keep[idx[hit]]
        return out

    def codes_for(self, frame: pd.DataFrame) -> np.ndarray:
        """Per-row category index (-1 = other/missing); all -1 when the field is missing."""
        if self.field not in frame.columns:
            return np.full(len(frame), -1, dtype=np.int64)
        return self.class_codes(frame[self.field])


def _hashable(x: object) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


CATEGORY_COLOURS: tuple[str, ...] = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e",
                                     "#e6ab02", "#a6761d", "#666666")
"""Qualitative palette for categories without given colours: ColorBrewer "Dark2" (8 classes,
Brewer 2003, colorbrewer2.org); more categories repeat it lightened."""


def categorized_style(values: Sequence | np.ndarray | pd.Series, field: str, *,
                      colours: dict | None = None, labels: dict | None = None,
                      order: Sequence | None = None, title_zh: str = "", title_en: str = "",
                      **kw) -> CategorizedStyle:
    """A :class:`CategorizedStyle` with one category per distinct non-missing value, counted.

    colours: {value: "#hex"} (others from :data:`CATEGORY_COLOURS`); labels: {value: (zh, en)}
    (default: the value as text); order: category order (default: sorted by count, largest first).
    Extra keyword arguments go to :class:`CategorizedStyle`.
    """
    s = pd.Series(values, dtype=object)
    present = s[s.notna()]
    counts = present.value_counts(sort=True)
    keys = list(order) if order is not None else list(counts.index)
    colours, labels = colours or {}, labels or {}
    cats = []
    free = iter(_cycle_colours(CATEGORY_COLOURS, len(keys)))
    for k in keys:
        colour = colours.get(k) or next(free)
        zh, en = labels.get(k, (str(k), str(k)))
        cats.append(Category(k, colour, zh, en, int(counts.get(k, 0))))
    other = int(len(s) - sum(c.count for c in cats))
    return CategorizedStyle(field, cats, title_zh=title_zh, title_en=title_en, other_count=other, **kw)


def _cycle_colours(base: Sequence[str], n: int) -> list[str]:
    out = []
    for i in range(n):
        r, g, b = hex_to_rgb(base[i % len(base)])
        mix = min(0.6, 0.3 * (i // len(base)))  # lighten on each repeat
        out.append("#{:02x}{:02x}{:02x}".format(*(round(c + (255 - c) * mix) for c in (r, g, b))))
    return out


# ---- range (graduated on a numeric field) styles ---------------------------------------------

YLORRD: dict[int, tuple[str, ...]] = {
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    9: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026",
        "#800026"),
}
"""Sequential yellow → orange → red: ColorBrewer "YlOrRd" (Cynthia Brewer, colorbrewer2.org,
Apache-2.0), the default colours of :func:`range_style` (low = light yellow, high = dark red)."""

RANGE_METHODS = ("quantile", "jenks", "equal")


def sequential_colours(n: int, palette: dict[int, tuple[str, ...]] = YLORRD) -> list[str]:
    """``n`` colours low → high from a ColorBrewer-style table (interpolated beyond its sizes)."""
    if n <= 0:
        return []
    if n in palette:
        return list(palette[n])
    biggest = palette[max(palette)]
    if n < min(palette):
        mid = palette[min(palette)]
        return [mid[1]] if n == 1 else [mid[0], mid[-1]][:n]
    rgb = np.array([hex_to_rgb(c) for c in biggest], dtype=float)
    t = np.linspace(0, len(biggest) - 1, n)
    out = np.stack([np.interp(t, np.arange(len(biggest)), rgb[:, k]) for k in range(3)], axis=1)
    return ["#{:02x}{:02x}{:02x}".format(*(round(float(c)) for c in row)) for row in out]


def _nice_decimals(lo: float, hi: float, n: int) -> int:
    """Decimals that resolve a class width of (hi − lo)/n to ~2 significant digits (0–6)."""
    step = (hi - lo) / max(n, 1)
    if not math.isfinite(step) or step <= 0:
        return common_decimals([lo, hi])
    return int(min(6, max(0, 1 - math.floor(math.log10(step)))))


def _round_breaks(raw: list[float], y: np.ndarray, decimals: int) -> tuple[list[float], int | None]:
    """Breaks rounded up to ``decimals`` (or more, up to 6) such that every value stays in its
    class, and the decimals they were rounded to (the labels show them exactly: 77.11 is
    "77.11", never "77.1"); the raw breaks (decimals None) if none works."""
    raw_arr = np.asarray(raw)
    ref = np.searchsorted(raw_arr, y, side="left")  # class index of lower < v ≤ upper
    for d in range(decimals, 7):
        r = np.ceil(raw_arr * 10.0**d - 1e-9) / 10.0**d
        if len(np.unique(r)) == len(r) and np.array_equal(np.searchsorted(r, y, side="left"), ref):
            return [float(round(x, d)) for x in r], d
    return raw, None


MAX_LABEL_DECIMALS = 2
"""Decimals a legend label shows at most for values not rounded to fewer (unless the class width
needs more: ~2 significant digits of it). Two decimals is the precision of Lingtan's own
per-area fields (layers/fields.py: kwh_per_m2, height_m), and of QGIS's default legend labels
(QgsClassificationMethod: 'precision' 4 is trimmed of trailing zeros)."""


def data_decimals(values: np.ndarray, max_decimals: int = 6) -> int | None:
    """The decimals the finite ``values`` are rounded to (all of them: 58.99, 60.1 → 2), None
    when more than ``max_decimals`` (raw computed floats). Vectorised over the distinct values."""
    u = np.unique(values[np.isfinite(values)])
    if len(u) == 0:
        return None
    scale = np.maximum(1.0, np.abs(u))
    for d in range(max_decimals + 1):
        if np.all(np.abs(np.round(u, d) - u) <= 1e-9 * scale):
            return d
    return None


def label_limits(breaks: Sequence[float], values: np.ndarray, decimals: int | None,
                 nice: int) -> tuple[list[float], int | None]:
    """The numbers a legend shows for the class limits ``breaks`` (rounded to ``decimals``) of
    ``values``, and their decimals: the breaks themselves when they need no more decimals than the
    values have; else, when the values are rounded to dd < ``decimals`` decimals, the breaks
    floored to dd (for such values ``v ≤ 58.986`` is ``v ≤ 58.98``: exact for each of them); else
    (unrounded values) the breaks to max(MAX_LABEL_DECIMALS, ``nice``) decimals. More decimals are
    kept wherever fewer would show two limits as one number."""
    b = np.asarray(breaks, dtype=float)
    if decimals is None:
        decimals = common_decimals(list(b), max_decimals=6)
    dd = data_decimals(values)
    if dd is not None and dd < decimals:
        candidates = [(np.floor(b * 10.0**d + 1e-6) / 10.0**d, d) for d in range(dd, decimals)]
    else:
        cap = max(MAX_LABEL_DECIMALS, nice)
        candidates = [(np.round(b, d), d) for d in range(cap, decimals)]
    for shown, d in candidates:
        if len(shown) < 2 or bool(np.all(np.diff(shown) > 0)):
            return [float(round(x, d)) for x in shown], d
    return [float(x) for x in b], decimals


def range_breaks(values: Sequence | np.ndarray, method: str = "quantile", n: int = 5) -> list[float]:
    """The ``n − 1`` inner breaks of the finite ``values`` (ascending, distinct; fewer when the
    data has fewer distinct values), each class ``lower < v ≤ upper``.

    quantile: the breaks of mapclassify ``Quantiles`` (linear-interpolated percentiles), computed
    in numpy (gis.intensity.classify.quantile_bins: no mapclassify/scipy import, which costs
    1–2 s); jenks: Fisher–Jenks optimal natural breaks (mapclassify ``FisherJenks`` up to 500
    values, else the exact weighted dynamic programme ``fisher_jenks_ends`` of
    gis.intensity.classify on the distinct values); equal: equal intervals between min and max
    (numpy).
    """
    if method not in RANGE_METHODS:
        raise ValueError(f"method must be one of {RANGE_METHODS}, got {method!r}")
    y = _as_float(values)
    y = np.sort(y[np.isfinite(y)])
    if len(y) == 0 or n <= 1:
        return []
    u = np.unique(y)
    if len(u) <= n:  # one class per distinct value
        return [float(x) for x in u[:-1]]
    if method == "equal":
        b = np.linspace(y[0], y[-1], n + 1)[1:-1]
    elif method == "quantile":
        from gis.intensity.classify import quantile_bins

        b = quantile_bins(y, n)[:-1]
    else:
        if len(y) <= 500:
            import warnings

            import mapclassify
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Numba not installed"
                b = np.asarray(mapclassify.FisherJenks(y, k=n).bins[:-1], dtype=float)
        else:
            from gis.intensity.classify import fisher_jenks_ends

            if len(u) > 1000:  # 1,000 equal-count groups of the sorted values (approximate)
                edges = np.linspace(0, len(y), 1001).astype(int)
                means = np.add.reduceat(y, edges[:-1]) / np.diff(edges)
                ends = fisher_jenks_ends(means, np.diff(edges).astype(float), k=n)
                b = y[edges[1:][ends] - 1]
            else:
                cu = np.unique(y, return_counts=True)[1].astype(float)
                b = u[fisher_jenks_ends(u, cu, k=n)]
    return [float(x) for x in np.unique(b)]


def range_style(values: Sequence | np.ndarray | pd.Series, field: str, *,
                breaks: Sequence[float] | None = None, method: str = "quantile", n: int = 5,
                colours: Sequence[str] | None = None, unit: str = "", title_zh: str = "",
                title_en: str = "", decimals: int | None = None, **kw) -> GraduatedStyle:
    """A :class:`GraduatedStyle` classing the numbers of ``field`` by ranges, counted on ``values``.

    breaks: the inner breaks (ascending; ``len(breaks) + 1`` classes), or None to compute ``n``
    classes by ``method`` (:func:`range_breaks`). Computed breaks are rounded up to d decimals
    (~2 significant digits of the class width, more while a value would change class); their
    labels (:func:`label_limits`) show them at the precision of the values when those are rounded
    to fewer decimals (a field kept at 2 decimals: "≤ 58.98" for the break 58.986, exact for every
    value of the field), else at no more than 2 decimals or ~2 significant digits of the class
    width; the breaks themselves, and so which class a value is in, stay as classified. Given
    breaks are labelled with as many decimals as they have (up to 6; ``decimals`` overrides
    both). Classes are ``lower < v ≤ upper`` with open ends (first "≤ b1", last "> bn");
    NaN/missing are no data.
    colours: low → high (default :func:`sequential_colours`, ColorBrewer YlOrRd).
    Extra keyword arguments (``label_field``, ``method_zh`` …) go to :class:`GraduatedStyle`.
    """
    v = _as_float(values.to_numpy() if isinstance(values, pd.Series) else values)
    finite = v[np.isfinite(v)]
    computed = breaks is None
    nice = None
    if breaks is None:
        raw = range_breaks(finite, method, n)
        if decimals is None and len(finite) and raw:
            nice = _nice_decimals(float(finite.min()), float(finite.max()), n)
            raw, decimals = _round_breaks(raw, finite, nice)
        breaks = raw
        if "method_zh" not in kw and "method_en" not in kw:
            kw["method_zh"] = {"quantile": "分位数", "jenks": "自然断点（Fisher–Jenks）",
                               "equal": "等间距"}[method]
            kw["method_en"] = {"quantile": "quantiles", "jenks": "natural breaks (Fisher–Jenks)",
                               "equal": "equal intervals"}[method]
    breaks = [float(b) for b in breaks]
    if any(b2 <= b1 for b1, b2 in itertools.pairwise(breaks)):
        raise ValueError(f"breaks must be strictly ascending: {breaks}")
    k = len(breaks) + 1
    colours = list(colours) if colours is not None else sequential_colours(k)
    if computed and len(colours) > k:  # the data allowed fewer classes: spread the colours
        colours = [colours[round(float(i))] for i in np.linspace(0, len(colours) - 1, k)]
    if len(colours) != k:
        raise ValueError(f"{len(breaks)} breaks need {k} colours, got {len(colours)}")
    if decimals is None:  # given (or unroundable) breaks: as many decimals as they have (≤ 6)
        decimals = common_decimals(breaks, max_decimals=6) if breaks else 1
    own = {k: kw.pop(k) for k in ("method_zh", "method_en", "label_field") if k in kw}
    if breaks:
        style = five_class_style(breaks, field=field, colours=colours, unit=unit, title_zh=title_zh,
                                 title_en=title_en, decimals=decimals, **own)
    else:  # a single class holding every value
        style = GraduatedStyle(field=field, classes=[ClassBreak(1, None, None, colours[0], "全部", "all")],
                               unit=unit, title_zh=title_zh, title_en=title_en, **own)
    if computed and breaks and nice is not None:
        shown, shown_decimals = label_limits(breaks, finite, decimals, nice)
        edges: list[float | None] = [None, *shown, None]
        for i, cb in enumerate(style.classes):  # only the labels: lower/upper stay the breaks
            cb.label_zh, cb.label_en = break_labels(edges[i], edges[i + 1], shown_decimals)
    for key, value in kw.items():
        if key not in GraduatedStyle.__dataclass_fields__:
            raise TypeError(f"range_style() got an unexpected keyword argument {key!r}")
        setattr(style, key, value)
    style.value_field = field
    codes = style.class_codes(v)
    counts = np.bincount(codes + 1, minlength=k + 1)
    for cb, c in zip(style.classes, counts[1:], strict=True):
        cb.count = int(c)
    style.no_data_count = int(counts[0])
    return style


Style = SingleStyle | GraduatedStyle | CategorizedStyle
"""Any layer style."""


# ---- colour-vision-deficiency check ------------------------------------------------------------

# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of colour
# vision deficiency", IEEE TVCG 15(6):1291–1298, severity 1.0 matrices, applied to linear sRGB.
CVD_MATRICES: dict[str, np.ndarray] = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISION_ZH = {"normal": "正常色觉", "protanopia": "红色盲", "deuteranopia": "绿色盲",
             "tritanopia": "蓝色盲"}


def has_fill(colour: str | None) -> bool:
    """False for "none", "transparent", "" or None (no fill), True for a colour."""
    return bool(colour) and str(colour).strip().lower() not in ("none", "transparent")


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """'#rrggbb' (or 'rrggbb', '#rgb') → (r, g, b) 0–255."""
    h = colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if len(h) != 6:
        raise ValueError(f"not a hex colour: {colour!r}")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _linear_rgb(colours: Sequence[str]) -> np.ndarray:
    c = np.array([hex_to_rgb(x) for x in colours], dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(rgb_linear: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65) from linear sRGB."""
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = rgb_linear @ m.T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], -1)


def simulated_lab(colours: Sequence[str], vision: str = "normal") -> np.ndarray:
    """Lab of the colours as seen with ``vision`` ("normal" or a key of :data:`CVD_MATRICES`)."""
    rgb = _linear_rgb(colours)
    if vision != "normal":
        rgb = np.clip(rgb @ CVD_MATRICES[vision].T, 0.0, 1.0)
    return _lab(rgb)


@dataclass(frozen=True)
class ColourPair:
    """The least distinguishable pair of colours found by :func:`colour_blind_safety`."""

    delta_e: float  # CIE76 ΔE in Lab
    colour_a: str
    colour_b: str
    vision: str  # "normal", "protanopia", "deuteranopia", "tritanopia"


def colour_blind_safety(colours: Sequence[str],
                        visions: Sequence[str] = ("normal", "protanopia", "deuteranopia",
                                                  "tritanopia")) -> tuple[float, ColourPair]:
    """(min ΔE, worst pair) over all pairs of ``colours`` and the simulated ``visions``.

    Simulation: Machado et al. 2009 (:data:`CVD_MATRICES`); difference: CIE76 ΔE*ab.
    """
    if len(colours) < 2:
        return math.inf, ColourPair(math.inf, "", "", "normal")
    worst = ColourPair(math.inf, "", "", "normal")
    for vision in visions:
        lab = simulated_lab(colours, vision)
        for i, j in itertools.combinations(range(len(colours)), 2):
            d = float(np.linalg.norm(lab[i] - lab[j]))
            if d < worst.delta_e:
                worst = ColourPair(d, colours[i], colours[j], vision)
    return worst.delta_e, worst


def palette_problems(colours: Sequence[str], min_delta_e: float = MIN_DELTA_E) -> tuple[str, str] | None:
    """(zh, en) warning when two colours become hard to tell apart, or None when all are clear."""
    d, pair = colour_blind_safety(colours)
    if d >= min_delta_e:
        return None
    zh = (f"配色 {pair.colour_a} 与 {pair.colour_b} 在{VISION_ZH.get(pair.vision, pair.vision)}下难以区分"
          f"（ΔE = {d:.1f} < {min_delta_e:g}），请调整其中一种颜色的明度。")
    en = (f"colours {pair.colour_a} and {pair.colour_b} are hard to tell apart with {pair.vision} "
          f"vision (ΔE = {d:.1f} < {min_delta_e:g}); change the lightness of one of them.")
    return zh, en
