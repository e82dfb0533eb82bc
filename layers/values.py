"""What coded attribute values mean, in the UI language: ``other`` → 其他, ``metal`` → 彩钢屋面,
``default for use: office`` → 按用途默认（办公）, ``True`` → 是.

The attribute table and the identify panel show these labels and keep the stored value in the
tooltip; exports keep the stored values (other programs and scripts read the codes). Each label
comes from the same table the code was made from, so a class added there is named here too:

- ``use_class``: resources/defaults/storey_heights.csv and roof_class_by_use.csv (``use_zh``);
- ``roof_class``: resources/defaults/roof_classes.csv (``roof_class_zh``);
- ``nea_class``: resources/defaults/nea_2021_rooftop_shares.csv (``nea_class_zh``);
- ``sink_class``: resources/factors/sink_factors.csv (``name_zh``/``name_en``);
- ``height_source`` ('field:NAME', 'floors×3.6 m (office)', 'missing', 'rejected',
  gis/buildings.py) and ``roof_class_source`` ('field:NAME', 'default for use: office',
  gis/solar/layout.py): parsed;
- ``factor_source``: the "中文 / English" text of the factor tables, the half in the UI language;
- booleans: 是/否, yes/no.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from gis.paths import resources_dir

ROOF_CLASS_EN = {"flat": "flat roof", "metal": "metal (colour-steel) roof", "pitched": "pitched roof"}
"""English names of the roof classes of roof_classes.csv (its ``roof_class_zh`` in English)."""
NEA_CLASS_EN = {"government": "government buildings", "public": "public buildings",
                "industrial_commercial": "industrial and commercial buildings", "rural_home": "rural homes"}
"""English names of the NEA 2021 pilot's building classes (nea_2021_rooftop_shares.csv)."""
YES_NO = {"zh": ("是", "否"), "en": ("yes", "no")}


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, tuple[str, str]]]:
    """{field: {code: (zh, en)}} of the coded fields, read once from the resource tables."""
    defaults, factors = resources_dir() / "defaults", resources_dir() / "factors"
    uses: dict[str, tuple[str, str]] = {}
    for name in ("storey_heights.csv", "roof_class_by_use.csv"):
        t = pd.read_csv(defaults / name)
        uses.update({str(r.use): (str(r.use_zh), str(r.use)) for r in t.itertuples()})
    roofs = pd.read_csv(defaults / "roof_classes.csv")
    nea = pd.read_csv(defaults / "nea_2021_rooftop_shares.csv")
    sinks = pd.read_csv(factors / "sink_factors.csv")
    return {
        "use_class": uses,
        "roof_class": {str(r.roof_class): (str(r.roof_class_zh), ROOF_CLASS_EN.get(str(r.roof_class),
                                                                                    str(r.roof_class)))
                       for r in roofs.itertuples()},
        "nea_class": {str(r.nea_class): (str(r.nea_class_zh), NEA_CLASS_EN.get(str(r.nea_class),
                                                                                str(r.nea_class)))
                      for r in nea.itertuples()},
        "sink_class": {str(k): (str(zh), str(en))
                       for k, zh, en in zip(sinks["class"], sinks["name_zh"], sinks["name_en"], strict=True)},
    }


_FLOORS = re.compile(r"^floors×([\d.]+) m \((\w+)\)$")


def _use(code: str, lang: str) -> str:
    zh, en = _tables()["use_class"].get(code, (code, code))
    return zh if lang == "zh" else en


def _source_label(value: str, lang: str) -> str | None:
    """A height or roof-class source ('field:高度', 'floors×6 m (industrial)', …) in words."""
    zh = lang == "zh"
    if value.startswith("field:"):
        name = value[len("field:"):]
        return f"字段“{name}”" if zh else f"field '{name}'"
    if value.startswith("default for use: "):
        use = value[len("default for use: "):]
        return f"按用途默认（{_use(use, lang)}）" if zh else f"default for the use ({use})"
    m = _FLOORS.match(value)
    if m:
        return (f"层数 × {m.group(1)} 米（{_use(m.group(2), lang)}）" if zh
                else f"floors × {m.group(1)} m ({m.group(2)})")
    fixed = {"missing": ("缺失", "missing"), "rejected": ("不可信，未用", "implausible, not used")}
    if value in fixed:
        return fixed[value][0 if zh else 1]
    return None


def bilingual_half(value: str, lang: str) -> str | None:
    """"中文说明 / English text" → the half in ``lang``; None when ``value`` is not such a pair."""
    head, sep, tail = value.partition(" / ")
    if not sep or not re.search(r"[\u4e00-\u9fff]", head) or not tail[:1].isascii():
        return None
    return head if lang == "zh" else tail


def value_label(field: str, value: object, lang: str = "zh") -> str | None:
    """``value`` of ``field`` as a person reads it in ``lang`` ("zh"/"en"); None when the value
    has no label (shown as stored)."""
    if isinstance(value, (bool, np.bool_)):
        return YES_NO[lang][0 if value else 1]
    if not isinstance(value, str):
        return None
    table = _tables().get(field)
    if table is not None:
        pair = table.get(value)
        return None if pair is None else pair[0 if lang == "zh" else 1]
    if field in ("height_source", "roof_class_source"):
        return _source_label(value, lang)
    if field in ("factor_source", "source"):
        return bilingual_half(value, lang)
    return None


LABELLED_FIELDS = ("use_class", "roof_class", "nea_class", "sink_class", "height_source",
                   "roof_class_source", "factor_source", "source")
"""The fields with coded values (booleans are labelled in any field)."""


def value_labels(field: str, values: Iterable, lang: str = "zh", *, boolean: bool = False) -> dict:
    """{stored value: label} for the distinct ``values`` of ``field`` that have a label; {} for a
    field without coded values. ``boolean``: the column is boolean (labelled whatever its name).
    One call per column: the attribute table looks each shown cell up in the dict."""
    if not boolean and field not in LABELLED_FIELDS:
        return {}
    out = {}
    for v in pd.unique(pd.Series(values, dtype=object).dropna()):
        label = value_label(field, v, lang)
        if label is not None:
            out[v] = label
    return out
