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
listed are "no data" (grey), never a class.
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
    """Every feature in one fill colour with an outline; optional labels from ``label_field``."""

    fill: str = "#a6cee3"
    outline: str = "#404040"
    width: float = 0.5  # outline width in device pixels (points on a PDF at 72 dpi)
    label_field: str | None = None


@dataclass
class GraduatedStyle:
    """Five-colour (or n-class) choropleth on an integer class field.

    field: the integer class field (e.g. ``class``), whose value selects a :class:`ClassBreak`.
    unit: unit of the break values, e.g. "tCO₂/万元" (shown in the legend and exported labels).
    title_*: legend title; method_*: how the breaks were made (stated on the legend).
    outline_width_px: outline width in device pixels; 0 draws no outline.
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

    def colours(self) -> list[str]:
        """Class colours from low to high."""
        return [c.colour for c in self.classes]

    def class_codes(self, values: Sequence | np.ndarray) -> np.ndarray:
        """Per-feature index into ``classes`` (0-based), or -1 for no data (missing/0/unknown)."""
        v = _as_float(values)
        out = np.full(len(v), -1, dtype=np.int64)
        for i, cb in enumerate(self.classes):
            out[v == cb.value] = i
        return out

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
    """Fewest decimals (≥ 1 below 100, ≤ ``max_decimals``) that show every value exactly enough.

    [0.6, 0.8, 1.2, 2.0] → 1 ("2.0" as in the Zhejiang grades); [0.735, 1.5] → 3; [1520, 3000] → 0.
    """
    finite = [abs(float(v)) for v in values if v is not None and math.isfinite(float(v))]
    if not finite:
        return 1
    biggest = max(finite)
    low = 0 if biggest >= 100 else 1
    cap = 0 if biggest >= 1000 else (1 if biggest >= 100 else max_decimals)
    for d in range(low, cap + 1):
        if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, v) for v in finite):
            return d
    return max(low, cap)


def break_labels(lower: float | None, upper: float | None,
                 decimals: int | None = None) -> tuple[str, str]:
    """(zh, en) label of the class ``lower < v ≤ upper``: "≤ 0.6", "0.6–0.8", "> 2.0"."""
    if lower is None and upper is None:
        return "全部", "all"
    if lower is None:
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
