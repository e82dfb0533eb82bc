"""Parameter declarations: what an algorithm can be told, with type, default, unit, range and source.

One :class:`Param` serves every front end: the command line flag and its ``--help`` text
(:mod:`app.processing.cli`), the GUI dialog's widget (:mod:`app.gui.algorithm_dialog`), the values a
project saves, and the docs' parameter tables (:mod:`app.processing.docs`). A value is checked in one
place, :meth:`Param.check`, which raises a bilingual :class:`~gis.errors.InputError` naming the
parameter, the allowed range and the unit.

Kinds: ``float``, ``int``, ``bool``, ``choice`` (values with zh/en labels, possibly read from a
table; ``or_kind`` also admits a whole number in the range or a file, e.g. a year besides "latest",
a factor table besides the named sets), ``text``, ``file``, ``pair`` (two numbers written ``AxB``,
e.g. a module's 2.278x1.134 m), ``floats`` and ``keyvalues`` (named numbers written ``KEY=VALUE``,
the keys from ``choices``, each value in the range), ``choices`` (several of ``choices`` written
``a,b,c``, ``all`` for every one; the value is that text in the choices' order, e.g. an export's
formats) and ``date`` (a day written YYYY-MM-DD; the value is a :class:`datetime.date`).
``optional`` parameters accept None, which means "automatic" (``auto_zh``/``auto_en`` say what
that is, e.g. the site-optimal tilt).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from gis.errors import InputError

Kind = Literal["float", "int", "bool", "choice", "text", "file", "pair", "floats", "keyvalues", "choices",
               "date"]

OrKind = Literal["", "int", "file"]
"""What a ``choice`` also admits besides its values: nothing, a whole number in the range, a file."""

Choice = tuple[Any, str, str]
"""(value, zh label, en label)."""

ALL_CHOICES = ("all", "全部")
"""What a ``choices`` parameter also takes for every one of its choices."""

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _finite(v: Any) -> bool:
    """A real, finite number (not a bool)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


@dataclass(frozen=True)
class Param:
    """One parameter of an algorithm.

    name: the Python name (units in it: ``road_setback_m``); flag: the CLI flag (default
    ``--name`` with dashes). default: the value when none is given (None for ``optional``: automatic).
    unit: as shown ("m", "°", "%", "W"); minimum/maximum: the allowed range, inclusive (pair: the
    same for both elements, or a (first, second) tuple each); a parameter neither optional nor with
    a default (None) must be given. choices: for ``choice``, a sequence of :data:`Choice` or a
    function returning one.
    source: where the default comes from (a standard, a data sheet, a published figure).
    label_*/help_*: what the GUI and ``--help`` show. advanced: shown folded in the GUI.
    pair_type: ``float`` or ``int`` elements of a ``pair``. filters: file dialog filters.
    cli_negate: a ``bool`` defaulting to True is switched off on the CLI with this flag
    (``--no-shading``); one defaulting to False is switched on with ``flag``.
    """

    name: str
    kind: Kind
    default: Any
    label_zh: str
    label_en: str
    help_zh: str = ""
    help_en: str = ""
    unit: str = ""
    minimum: float | tuple[float, float] | None = None
    maximum: float | tuple[float, float] | None = None
    choices: Sequence[Choice] | Callable[[], Sequence[Choice]] = ()
    source: str = ""
    optional: bool = False
    auto_zh: str = ""
    auto_en: str = ""
    advanced: bool = False
    flag: str | None = None
    cli_negate: str | None = None
    metavar: str | None = None
    pair_type: type = float
    count: int = 0
    """For ``floats``: how many numbers (written ``a,b,c,d``); 0 = any number."""
    filters: str = ""
    suggest: Callable[[], Sequence[str]] | None = None
    """For ``text``: values to offer in the GUI (an editable list; other text stays allowed)."""
    or_kind: OrKind = ""
    """For ``choice``: also a whole number within minimum–maximum ("int") or a file path ("file":
    a name with a suffix, or an existing file)."""
    aliases: tuple[tuple[str, Any], ...] = ()
    """For ``choice``: other texts the command line accepts for a value (``worldcover``)."""

    # ---- names --------------------------------------------------------------------------------

    @property
    def cli_flag(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def help(self, lang: str) -> str:
        return self.help_zh if lang == "zh" else self.help_en

    def choice_list(self) -> list[Choice]:
        """The choices (read from their table now when given as a function)."""
        c = self.choices() if callable(self.choices) else self.choices
        return [tuple(x) for x in c]  # type: ignore[misc]

    @property
    def required(self) -> bool:
        """Must be given: neither optional nor with a default."""
        return self.default is None and not self.optional

    def bounds(self, i: int | None = None) -> tuple[float | None, float | None]:
        """(minimum, maximum) of the value, or of element ``i`` of a pair."""
        lo, hi = self.minimum, self.maximum
        if i is not None:
            lo = lo[i] if isinstance(lo, tuple) else lo
            hi = hi[i] if isinstance(hi, tuple) else hi
        return lo, hi  # type: ignore[return-value]

    def range_text(self, i: int | None = None) -> str:
        """"0–90 °", "≥ 0 m", "portrait | landscape"… for help texts and errors."""
        if self.kind == "choice":
            other = {"int": self.span_text(), "file": "FILE"}.get(self.or_kind)
            return " | ".join([*(str(v) for v, _, _ in self.choice_list()), *([other] if other else [])])
        if self.kind == "keyvalues":
            keys = " | ".join(str(v) for v, _, _ in self.choice_list())
            return f"{keys} = {self.span_text()}" if self.span_text() else keys
        if self.kind == "choices":
            return " | ".join(str(v) for v, _, _ in self.choice_list()) + f" (a,b,… | {ALL_CHOICES[0]})"
        if i is None and self.kind == "pair" and (isinstance(self.minimum, tuple)
                                                  or isinstance(self.maximum, tuple)):
            return ", ".join(self.range_text(k) for k in (0, 1))
        return self.span_text(i)

    def span_text(self, i: int | None = None) -> str:
        """The numeric range alone ("0–100 %"), whatever the kind."""
        lo, hi = self.bounds(i)
        unit = f" {self.unit}" if self.unit else ""
        if lo is not None and hi is not None:
            return f"{lo:g}–{hi:g}{unit}"
        if lo is not None:
            return f"≥ {lo:g}{unit}"
        if hi is not None:
            return f"≤ {hi:g}{unit}"
        return ""

    # ---- values -------------------------------------------------------------------------------

    def _bad(self, value: Any, zh_why: str, en_why: str) -> InputError:
        return InputError(f"参数“{self.label_zh}”（{self.cli_flag}）的值“{value}”{zh_why}",
                          f"Parameter '{self.label_en}' ({self.cli_flag}): '{value}' {en_why}",
                          code=f"param.{self.name}")

    def missing(self) -> InputError:
        """The error for a required parameter not given."""
        return InputError(f"缺少参数“{self.label_zh}”（{self.cli_flag}）",
                          f"Missing parameter '{self.label_en}' ({self.cli_flag})", code=f"param.{self.name}")

    def parse(self, text: str) -> Any:
        """The value of a command-line or settings text, checked (:meth:`check`)."""
        text = str(text).strip()
        if self.optional and text.lower() in ("", "auto", "none", "自动"):
            return None
        if self.kind == "float" or self.kind == "int":
            try:
                v = float(text) if self.kind == "float" else int(text)
            except ValueError:
                kind_zh = "数" if self.kind == "float" else "整数"
                raise self._bad(text, f"不是{kind_zh}", "is not a number" if self.kind == "float"
                                else "is not a whole number") from None
            return self.check(v)
        if self.kind == "bool":
            low = text.lower()
            if low in ("1", "true", "yes", "on", "是"):
                return True
            if low in ("0", "false", "no", "off", "否"):
                return False
            raise self._bad(text, "应为 是/否", "must be true or false")
        if self.kind == "pair":
            parts = text.lower().replace("×", "x").replace("*", "x").replace("，", "x").replace(",", "x")
            parts = parts.split("x")
            try:
                if len(parts) != 2:
                    raise ValueError
                a, b = (self.pair_type(p.strip()) for p in parts)
            except ValueError:
                ex = "x".join(str(v) for v in self.default) if self.default else "2x14"
                raise self._bad(text, f"应写成 AxB，如 {ex}", f"must be written AxB, e.g. {ex}") from None
            return self.check((a, b))
        if self.kind == "floats":
            try:
                values = tuple(float(v) for v in text.replace("，", ",").split(","))
            except ValueError:
                raise self._bad(text, "应为用逗号分隔的数", "must be comma-separated numbers") from None
            return self.check(values)
        if self.kind == "choice":
            return self.check(self._choice_of(text))
        if self.kind == "keyvalues":
            return self.check(self._parse_keyvalues(text))
        if self.kind == "file":
            return self.check(Path(text))
        return self.check(text)

    def _choice_of(self, text: str) -> Any:
        """The choice a text names (its value, or its zh/en label, or an alias), else the text."""
        for v, zh, en in self.choice_list():
            if text in (str(v), zh, en):
                return v
        low = text.lower()  # keys are lower case: "National-2023" is what the user meant
        for v, _, _ in self.choice_list():
            if isinstance(v, str) and v.lower() == low:
                return v
        for alias, v in self.aliases:
            if alias.lower() == low:
                return v
        return text

    def _parse_keyvalues(self, text: str) -> dict[str, str]:
        """``KEY=VALUE`` items separated by ``;`` or ``,`` (values checked by :meth:`check`)."""
        out: dict[str, str] = {}
        for item in text.replace("；", ";").replace("，", ";").replace(",", ";").split(";"):
            if not item.strip():
                continue
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                ex = f"{self.choice_list()[0][0]}=90" if self.choice_list() else "KEY=1"
                raise self._bad(item.strip(), f"应写成 键=数值，如 {ex}", f"must be KEY=VALUE, e.g. {ex}")
            out[key.strip()] = value.strip()
        return out

    def check(self, value: Any) -> Any:
        """``value`` when it is allowed (converted to the parameter's type), else InputError."""
        if value is None:
            if self.optional:
                return None
            raise self.missing()
        checker = {"float": self._check_number, "int": self._check_number, "pair": self._check_pair,
                   "floats": self._check_floats, "bool": self._check_bool,
                   "choice": self._check_choice, "keyvalues": self._check_keyvalues,
                   "choices": self._check_choices, "date": self._check_date}.get(self.kind)
        if checker is not None:
            return checker(value)
        if self.kind == "file":
            return Path(value)
        if not isinstance(value, str):
            raise self._bad(value, "应为文字", "must be text")
        return value

    def _check_number(self, value: Any, kind: str | None = None) -> float | int:
        kind = kind or self.kind
        if isinstance(value, bool) or not isinstance(value, int | float):
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise self._bad(value, "不是数", "is not a number") from None
        if not math.isfinite(float(value)):
            raise self._bad(value, "不是有限的数", "is not a finite number")
        if kind == "int":
            if float(value) != int(value):
                raise self._bad(value, "应为整数", "must be a whole number")
            value = int(value)
        else:
            value = float(value)
        self._check_range(value)
        return value

    def _check_pair(self, value: Any) -> tuple:
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise self._bad(value, "应为两个数 AxB", "must be two numbers AxB")
        out = []
        for i, v in enumerate(value):
            if not _finite(v):
                raise self._bad(",".join(str(x) for x in value), "应为两个有限的数",
                                "must be two finite numbers")
            if self.pair_type is int and float(v) != int(v):
                raise self._bad(value, "应为两个整数", "must be two whole numbers")
            self._check_range(v, shown=value, i=i)
            out.append(self.pair_type(v))
        return tuple(out)

    def _check_floats(self, value: Any) -> tuple:
        if not isinstance(value, list | tuple) or (self.count and len(value) != self.count):
            n = self.count or "若干"
            raise self._bad(value, f"应为 {n} 个数", f"must be {self.count or 'some'} numbers")
        if not all(_finite(v) for v in value):
            raise self._bad(value, "应为有限的数", "must be finite numbers")
        for v in value:
            self._check_range(v, shown=",".join(f"{x:g}" for x in value))
        return tuple(float(v) for v in value)

    def _check_bool(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self._bad(value, "应为 是/否", "must be true or false")
        return value

    def _check_choice(self, value: Any) -> Any:
        if value in [v for v, _, _ in self.choice_list()]:
            return value
        if self.or_kind == "int" and not isinstance(value, Path):
            try:
                return self._check_number(value, "int")
            except InputError:
                pass  # not a number in range: the error below lists the choices and the range
        if self.or_kind == "file" and str(value).strip():
            path = Path(str(value).strip())
            if path.suffix or path.exists():
                return str(path)
        raise self._bad(value, f"不在可选值中：{self.range_text()}", f"is not one of: {self.range_text()}")

    def _check_choices(self, value: Any) -> str:
        """Several choices: "a,b" (also "，", a list, value labels and aliases) → "a,b" in the
        choices' order; "all" → every one."""
        items = value.replace("，", ",").split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise self._bad(value, "应为用逗号分隔的可选值", "must be comma-separated choices")
        texts = [str(x).strip() for x in items if str(x).strip()]
        values = [v for v, _, _ in self.choice_list()]
        if any(t.lower() in ALL_CHOICES for t in texts):
            return ",".join(map(str, values))
        chosen = {t: self._choice_of(t) for t in texts}
        if not texts:
            raise self._bad(value, f"为空；可选：{self.range_text()}",
                            f"is empty; choose from {self.range_text()}")
        bad = [t for t, v in chosen.items() if v not in values]
        if bad:
            raise self._bad(", ".join(bad), f"不在可选值中：{self.range_text()}",
                            f"is not one of: {self.range_text()}")
        return ",".join(str(v) for v in values if v in chosen.values())

    def _check_date(self, value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if not _ISO_DAY.fullmatch(text):
            raise self._bad(value, "应为日期 YYYY-MM-DD，如 2025-03-01",
                            "must be a date written YYYY-MM-DD, e.g. 2025-03-01")
        try:
            return dt.date.fromisoformat(text)
        except ValueError:  # 2025-02-30
            raise self._bad(value, "不是存在的日期", "is not a day of the calendar") from None

    def _check_keyvalues(self, value: Any) -> dict[str, float]:
        if not isinstance(value, Mapping):
            raise self._bad(value, "应为 键=数值", "must be KEY=VALUE pairs")
        keys = [v for v, _, _ in self.choice_list()]
        out: dict[str, float] = {}
        for k, v in value.items():
            if keys and k not in keys:
                raise self._bad(k, f"不是可用的键：{' | '.join(map(str, keys))}",
                                f"is not a known key: {' | '.join(map(str, keys))}")
            try:
                number = float(v)
            except (TypeError, ValueError):
                raise self._bad(f"{k}={v}", "中的数值不是数", "has a value that is not a number") from None
            if isinstance(v, bool) or not math.isfinite(number):
                raise self._bad(f"{k}={v}", "中的数值不是有限的数", "has a value that is not a finite number")
            self._check_range(number, shown=f"{k}={v}")
            out[str(k)] = number
        return out

    def _check_range(self, v: float, shown: Any = None, i: int | None = None) -> None:
        shown = v if shown is None else shown
        lo, hi = self.bounds(i)
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            span = self.span_text(i) if self.kind in ("choice", "keyvalues") else self.range_text(i)
            raise self._bad(shown if not isinstance(shown, tuple) else "x".join(f"{x:g}" for x in shown),
                            f"超出范围 {span}", f"is outside {span}")

    def to_json(self, value: Any) -> Any:
        """A JSON-ready form of a value (paths as text, pairs as lists)."""
        if value is None:
            return None
        if self.kind == "file":
            return str(value)
        if self.kind in ("pair", "floats"):
            return list(value)
        if self.kind == "keyvalues":
            return dict(value)
        if self.kind == "date":
            return value.isoformat()
        return value

    def from_json(self, value: Any) -> Any:
        """A stored value, checked; a value that no longer fits raises InputError."""
        if value is None:
            return self.check(None) if not self.optional else None
        if self.kind in ("pair", "floats") and isinstance(value, list):
            value = tuple(value)
        if self.kind == "file":
            value = Path(value)
        return self.check(value)

    def describe(self) -> dict:
        """A JSON description (``lingtan algorithms --json``)."""
        d: dict[str, Any] = {
            "name": self.name, "type": self.kind, "default": self.to_json(self.default), "unit": self.unit,
            "label_zh": self.label_zh, "label_en": self.label_en, "help_zh": self.help_zh,
            "help_en": self.help_en, "source": self.source, "optional": self.optional, "flag": self.cli_flag,
        }
        if self.minimum is not None:
            d["minimum"] = list(self.minimum) if isinstance(self.minimum, tuple) else self.minimum
        if self.maximum is not None:
            d["maximum"] = list(self.maximum) if isinstance(self.maximum, tuple) else self.maximum
        d["required"] = self.required
        if self.kind in ("choice", "keyvalues", "choices"):
            d["choices"] = [{"value": v, "zh": zh, "en": en} for v, zh, en in self.choice_list()]
        if self.or_kind:
            d["or"] = self.or_kind
        if self.optional:
            d["auto_zh"], d["auto_en"] = self.auto_zh, self.auto_en
        return d


@dataclass
class ParamValues(Mapping[str, Any]):
    """The values of an algorithm's parameters: every declared name, defaults filled in, checked."""

    params: Sequence[Param]
    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, params: Sequence[Param], given: Mapping[str, Any] | None = None, *,
           stored: bool = False, partial: bool = False) -> ParamValues:
        """Checked values: ``given`` (Python values; ``stored=True``: JSON values from a project)
        over the defaults. Unknown names are an error (a typo must not pass silently); so is a
        required parameter not given, unless ``partial`` (a form being filled in: it stays None)."""
        given = dict(given or {})
        by_name = {p.name: p for p in params}
        unknown = sorted(set(given) - set(by_name))
        if unknown:
            raise InputError(f"未知参数：{', '.join(unknown)}", f"Unknown parameters: {', '.join(unknown)}",
                             code="param.unknown")
        values = {}
        for p in params:
            if p.name in given:
                values[p.name] = p.from_json(given[p.name]) if stored else p.check(given[p.name])
            elif p.required and not partial:
                raise p.missing()
            else:
                values[p.name] = p.default
        return cls(params, values)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["values"][key]
        except KeyError:
            raise AttributeError(key) from None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values (what a project stores)."""
        return {p.name: p.to_json(self.values[p.name]) for p in self.params}

    def changed(self) -> dict[str, Any]:
        """The values that differ from their defaults (JSON-ready)."""
        return {p.name: p.to_json(self.values[p.name]) for p in self.params
                if self.values[p.name] != p.default}
