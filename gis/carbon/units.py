"""Units of energy statistics: parse Chinese and English names, convert both ways.

Chinese tables write units in words (吨, 万立方米, 万千瓦时, 吨标准煤), symbols (t, m³, kWh, tce),
mixtures (万kWh, 10^4 m³, 10⁴t) and inside headers (``原煤(吨)``, ``天然气（万立方米）``). Every unit
belongs to one dimension with a base unit; conversion is only allowed within a dimension:

==========  ==========  =====================================================================
dimension   base        units
==========  ==========  =====================================================================
mass        t           t/吨, kg/千克/公斤, 10^4 t/万吨
volume      m³          m³/立方米/方/Nm³, 10^3 m³, 10^4 m³/万立方米, 10^8 m³/亿立方米
energy      kWh         kWh/千瓦时/度, 10^4 kWh/万千瓦时, MWh, GWh, 10^8 kWh/亿千瓦时, kJ, MJ, GJ/吉焦, TJ
tce         tce         tce/吨标准煤/吨标煤, kgce/千克标准煤, 10^4 tce/万吨标准煤
co2         tCO2        tCO2/吨二氧化碳, kgCO2, 10^4 tCO2 (numerators of emission factors)
money       元           元, 千元, 万元, 亿元
area        m²          m²/平方米, 亩/mu (666.67 m²), ha/公顷, km²/平方公里
people      人           人, 万人
==========  ==========  =====================================================================

A prefix 千/万/百万/亿 (or 10^3, 10^4, 10^8, ×10⁴) before any unit multiplies it.
1 kWh = 3.6 MJ exactly; 1 亩 = 10000/15 m² (≈ 666.67 m², DOMAIN.md §3).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from gis.defaults import M2_PER_MU
from gis.errors import InputError

MU_M2 = M2_PER_MU
"""One mu (亩) in m² (exact by definition: 15 mu = 1 hectare)."""


@dataclass(frozen=True)
class Unit:
    """A unit: ``key`` (stable, ASCII), display ``symbol`` and ``name_zh``, its ``dimension`` and
    ``to_base`` (how many base units one of it is)."""

    key: str
    symbol: str
    name_zh: str
    dimension: str
    to_base: float

    @property
    def label(self) -> str:
        return self.symbol if self.symbol == self.name_zh else f"{self.name_zh} ({self.symbol})"


BASE_UNITS = {"mass": "t", "volume": "m3", "energy": "kWh", "tce": "tce", "co2": "tCO2",
              "money": "yuan", "area": "m2", "people": "person"}
DIMENSION_ZH = {"mass": "质量", "volume": "体积", "energy": "能量", "tce": "标准煤", "co2": "二氧化碳",
                "money": "金额", "area": "面积", "people": "人数"}

# key, symbol, name_zh, dimension, to_base, aliases (normalised by _norm before use)
_DEFS: list[tuple[str, str, str, str, float, tuple[str, ...]]] = [
    ("t", "t", "吨", "mass", 1.0, ("t", "吨", "tonne", "tonnes", "ton", "tons", "公吨", "实物吨")),
    ("kg", "kg", "千克", "mass", 1e-3, ("kg", "千克", "公斤", "kilogram", "kilograms", "kgs")),
    ("1e4t", "10^4 t", "万吨", "mass", 1e4, ()),
    ("m3", "m³", "立方米", "volume", 1.0, ("m3", "立方米", "立方", "方", "nm3", "标立方米", "标准立方米",
                                         "标方", "标准方", "cubicmetre", "cubicmetres", "cubicmeter",
                                         "cubicmeters", "cum", "scm")),
    ("1e3m3", "10^3 m³", "千立方米", "volume", 1e3, ()),
    ("1e4m3", "10^4 m³", "万立方米", "volume", 1e4, ()),
    ("1e8m3", "10^8 m³", "亿立方米", "volume", 1e8, ()),
    ("kWh", "kWh", "千瓦时", "energy", 1.0, ("kwh", "千瓦时", "度", "kw·h", "kw.h", "kw*h", "千瓦·时",
                                          "千瓦小时")),
    ("1e4kWh", "10^4 kWh", "万千瓦时", "energy", 1e4, ()),
    ("MWh", "MWh", "兆瓦时", "energy", 1e3, ("mwh", "兆瓦时", "mw·h", "兆瓦小时")),
    ("GWh", "GWh", "吉瓦时", "energy", 1e6, ("gwh", "吉瓦时", "gw·h")),
    ("1e8kWh", "10^8 kWh", "亿千瓦时", "energy", 1e8, ()),
    ("kJ", "kJ", "千焦", "energy", 1.0 / 3600.0, ("kj", "千焦", "千焦耳")),
    ("MJ", "MJ", "兆焦", "energy", 1.0 / 3.6, ("mj", "兆焦", "兆焦耳")),
    ("GJ", "GJ", "吉焦", "energy", 1000.0 / 3.6, ("gj", "吉焦", "吉焦耳", "十亿焦耳")),
    ("TJ", "TJ", "太焦", "energy", 1e6 / 3.6, ("tj", "太焦", "太焦耳")),
    ("tce", "tce", "吨标准煤", "tce", 1.0, ("tce", "吨标准煤", "吨标煤", "t标准煤", "t标煤", "吨标准煤当量",
                                          "tonnesofcoalequivalent", "tonofcoalequivalent")),
    ("kgce", "kgce", "千克标准煤", "tce", 1e-3, ("kgce", "千克标准煤", "千克标煤", "kg标准煤", "kg标煤",
                                               "公斤标准煤", "公斤标煤")),
    ("1e4tce", "10^4 tce", "万吨标准煤", "tce", 1e4, ()),
    ("tCO2", "tCO2", "吨二氧化碳", "co2", 1.0, ("tco2", "吨二氧化碳", "吨co2", "tco2e", "吨二氧化碳当量",
                                              "tco2eq")),
    ("kgCO2", "kgCO2", "千克二氧化碳", "co2", 1e-3, ("kgco2", "千克二氧化碳", "千克co2", "kgco2e",
                                                   "公斤二氧化碳", "公斤co2")),
    ("gCO2", "gCO2", "克二氧化碳", "co2", 1e-6, ("gco2", "克二氧化碳", "gco2e")),
    ("1e4tCO2", "10^4 tCO2", "万吨二氧化碳", "co2", 1e4, ()),
    ("yuan", "yuan", "元", "money", 1.0, ("元", "yuan", "rmb", "cny", "元人民币")),
    ("1e4yuan", "10^4 yuan", "万元", "money", 1e4, ("10kyuan",)),
    ("1e8yuan", "10^8 yuan", "亿元", "money", 1e8, ()),
    ("m2", "m²", "平方米", "area", 1.0, ("m2", "平方米", "平米", "sqm")),
    ("mu", "mu", "亩", "area", MU_M2, ("亩", "mu")),
    ("ha", "ha", "公顷", "area", 1e4, ("ha", "公顷", "hm2", "hectare", "hectares")),
    ("km2", "km²", "平方公里", "area", 1e6, ("km2", "平方公里", "平方千米", "sqkm")),
    ("person", "persons", "人", "people", 1.0, ("人", "person", "persons", "people", "capita")),
]

_PREFIXES = (("百万", 1e6), ("万", 1e4), ("亿", 1e8), ("千", 1e3))
_PREFIX_SYMBOL = {1e3: "10^3 ", 1e4: "10^4 ", 1e6: "10^6 ", 1e8: "10^8 "}
_PREFIX_ZH = {1e3: "千", 1e4: "万", 1e6: "百万", 1e8: "亿"}


def _norm(text: str) -> str:
    """Lower case, half-width, no spaces; 10^4 / 10⁴ / ×10^4 / 1e4 / 10000 become 万 (10^8 → 亿,
    10^3 → 千); other ^ and the words 单位/unit dropped."""
    s = str(text).replace("⁴", "^4").replace("⁸", "^8").replace("⁶", "^6")
    s = unicodedata.normalize("NFKC", s).lower()
    s = re.sub(r"[\s()\[\]【】〔〕]+", "", s)
    s = re.sub(r"^(单位|计量单位|unit|units)[:：]?", "", s)
    s = s.replace("×", "").replace("x10", "10").replace("*10", "10")
    s = re.sub(r"10\^?8|1e8|100000000", "亿", s)
    s = re.sub(r"10\^?6|1e6|1000000", "百万", s)
    s = re.sub(r"10\^?4|1e4|10000", "万", s)
    s = re.sub(r"10\^?3(?=[a-z\u4e00-\u9fff])|1e3|1000(?=[a-z\u4e00-\u9fff])", "千", s)
    s = s.replace("^", "").replace("₂", "2")
    return s


_BY_KEY: dict[str, Unit] = {}
_ALIASES: dict[str, Unit] = {}
for _key, _sym, _zh, _dim, _f, _aliases in _DEFS:
    _u = Unit(_key, _sym, _zh, _dim, _f)
    _BY_KEY[_key] = _u
    for _a in (_key, _sym, _zh, *_aliases):
        _ALIASES.setdefault(_norm(_a), _u)


def unit(key: str) -> Unit:
    """The unit with stable ``key`` (e.g. ``"1e4m3"``, ``"kWh"``), or by any accepted name."""
    if key in _BY_KEY:
        return _BY_KEY[key]
    return parse_unit(key)


def find_unit(text) -> Unit | None:
    """The unit written as ``text`` (Chinese or English, any width/case), or None."""
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return None
    s = _norm(text)
    if not s:
        return None
    if s in _ALIASES:
        return _ALIASES[s]
    for prefix, mult in _PREFIXES:
        if s.startswith(prefix) and len(s) > len(prefix):
            base = find_unit(s[len(prefix):])
            if base is not None and base.to_base and "1e" not in base.key:
                key = f"1e{int(np.log10(mult))}{base.key}"
                if key in _BY_KEY:
                    return _BY_KEY[key]
                return Unit(key, _PREFIX_SYMBOL[mult] + base.symbol, _PREFIX_ZH[mult] + base.name_zh,
                            base.dimension, mult * base.to_base)
    return None


def parse_unit(text) -> Unit:
    """Like :func:`find_unit` but an InputError (listing accepted units) when unknown."""
    u = find_unit(text)
    if u is None:
        raise InputError(f"无法识别的单位“{text}”。可用：{accepted_units_text('zh')}",
                         f"Unknown unit '{text}'. Accepted: {accepted_units_text('en')}",
                         code="unit.unknown")
    return u


def units_of(dimension: str) -> list[Unit]:
    """The named units of a dimension (for help texts and templates)."""
    return [u for u in _BY_KEY.values() if u.dimension == dimension]


def accepted_units_text(lang: str = "zh", dimensions=("mass", "volume", "energy", "tce")) -> str:
    """``吨、千克、万吨、…`` or ``t, kg, 10^4 t, …`` for the energy-statistics dimensions."""
    names = [u.name_zh if lang == "zh" else u.symbol for d in dimensions for u in units_of(d)]
    return ("、" if lang == "zh" else ", ").join(names)


def convert(values, from_unit: Unit | str, to_unit: Unit | str):
    """``values`` (number or array) in ``from_unit`` expressed in ``to_unit``; InputError when
    the dimensions differ (e.g. kWh to t)."""
    a = from_unit if isinstance(from_unit, Unit) else unit(from_unit)
    b = to_unit if isinstance(to_unit, Unit) else unit(to_unit)
    if a.dimension != b.dimension:
        raise InputError(f"不能把“{a.name_zh}”（{DIMENSION_ZH[a.dimension]}）换算成“{b.name_zh}”"
                         f"（{DIMENSION_ZH[b.dimension]}）",
                         f"Cannot convert {a.symbol} ({a.dimension}) to {b.symbol} ({b.dimension})",
                         code="unit.mismatch")
    factor = a.to_base / b.to_base
    if isinstance(values, (int, float)):
        return values * factor
    return np.asarray(values, dtype=float) * factor


def conversion_factor(from_unit: Unit | str, to_unit: Unit | str) -> float:
    """How many ``to_unit`` one ``from_unit`` is (InputError across dimensions)."""
    return float(convert(1.0, from_unit, to_unit))


_BRACKETS = r"[(\[【（〔「]([^()\[\]【】（）〔〕「」]*)[)\]】）〕」]"


def split_header(header) -> tuple[str, str | None]:
    """``("原煤", "吨")`` from ``原煤(吨)``, ``原煤（单位：吨）``, ``原煤[t]``, ``原煤/吨``, ``coal_t``,
    ``electricity kWh``; ``(header, None)`` when no unit is written. A bracket that is not a unit
    (``原煤(含洗煤)``) stays in the name."""
    text = str(header).strip()
    # the last bracketed group that reads as a unit
    for m in reversed(list(re.finditer(_BRACKETS, text))):
        inner = m.group(1)
        if find_unit(inner) is not None:
            name = (text[:m.start()] + text[m.end():]).strip()
            return name, inner.strip()
    # a trailing "/unit", "_unit" or " unit" (the longest tail that reads as a unit)
    for m in re.finditer(r"[/_\s]+", text):
        head, tail = text[:m.start()].strip(), text[m.end():].strip()
        if head and tail and find_unit(tail) is not None:
            return head, tail
    return text, None


def parse_ratio(text) -> tuple[Unit, Unit]:
    """Numerator and denominator units of a factor unit such as ``tCO2/t``, ``tCO2/10^4 m³``,
    ``kgCO2/kWh``, ``吨二氧化碳/万立方米``, ``kgce/kg``, ``tce/万千瓦时``. A plain mass numerator
    (``t/万立方米``) is read as CO2. InputError when it cannot be read."""
    s = str(text).strip()
    parts = re.split(r"\s*(?:/|每)\s*", s, maxsplit=1)
    if len(parts) == 2 and parts[0] and parts[1]:
        num = find_unit(parts[0])
        den = find_unit(parts[1])
        if num is not None and num.dimension == "mass":
            num = Unit(num.key + "CO2", num.symbol + "CO2", num.name_zh + "二氧化碳", "co2", num.to_base)
        if num is not None and den is not None and num.dimension in ("co2", "tce"):
            return num, den
    raise InputError(f"无法识别的因子单位“{text}”，应写成“排放量/用量”，如 tCO2/t、tCO2/万立方米、kgCO2/kWh、"
                     "tCO2/GJ；折标系数如 kgce/kg、kgce/m³",
                     f"Cannot read the factor unit '{text}': write it as mass/amount, e.g. tCO2/t, "
                     "tCO2/10^4 m3, kgCO2/kWh, tCO2/GJ; standard-coal coefficients as kgce/kg, kgce/m3",
                     code="unit.factor")


def ratio_to(text, num_base: str, den_unit: Unit | str) -> float:
    """Multiplier turning a value in the ratio unit ``text`` into ``num_base`` per ``den_unit``,
    e.g. ``ratio_to("tCO2/10^4 m3", "tCO2", "m3") == 1e-4``. InputError when the denominator's
    dimension differs from ``den_unit``'s."""
    num, den = parse_ratio(text)
    target = den_unit if isinstance(den_unit, Unit) else unit(den_unit)
    return conversion_factor(num, num_base) / conversion_factor(den, target)
