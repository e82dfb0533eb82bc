"""Errors and problem reports that speak to the user in Chinese and English."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Level = Literal["info", "warning", "error"]


@dataclass
class Problem:
    """One thing found (or fixed) in the input, for reports and ``lingtan info``.

    code: stable machine code, e.g. ``"geometry.repaired"``.
    feature_ids: ids (the layer's id field, else 0-based row numbers) it concerns.
    """

    level: Level
    code: str
    zh: str
    en: str
    feature_ids: list = field(default_factory=list)

    def text(self, lang: str = "both") -> str:
        ids = ""
        if self.feature_ids:
            shown = ", ".join(str(i) for i in self.feature_ids[:10])
            more = f" … (+{len(self.feature_ids) - 10})" if len(self.feature_ids) > 10 else ""
            ids = f" [{shown}{more}]"
        if lang == "zh":
            return self.zh + ids
        if lang == "en":
            return self.en + ids
        return f"{self.zh} / {self.en}{ids}"

    def to_dict(self) -> dict:
        d = asdict(self)
        d["feature_ids"] = [_jsonable(i) for i in self.feature_ids]
        return d


def _jsonable(v):
    try:
        return v.item()  # numpy scalar
    except AttributeError:
        return v if isinstance(v, (int, float, str)) else str(v)


class InputError(Exception):
    """Bad user input: a message in Chinese and English naming the file, the feature, the fix.

    The CLI prints it and exits with code 2; the GUI shows it in a dialog. Never a traceback.
    """

    def __init__(self, zh: str, en: str, *, path: str | None = None, code: str = "input"):
        self.zh = zh
        self.en = en
        self.path = path
        self.code = code
        super().__init__(self.text())

    def text(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{where}{self.zh}\n{where}{self.en}"


class CrsNeeded(InputError):
    """The data have no CRS and it cannot be inferred: the user must name one.

    ``candidates`` lists likely EPSG codes (best first) with a reason, for a GUI chooser.
    """

    def __init__(self, zh: str, en: str, *, path: str | None = None,
                 candidates: list[tuple[str, str]] | None = None):
        super().__init__(zh, en, path=path, code="crs.missing")
        self.candidates = candidates or []


def problems_for(mask, ids, level: Level, code: str, zh: str, en: str) -> list[Problem]:
    """``[Problem]`` naming ``ids[mask]`` when any of ``mask`` is set, else ``[]``; ``{n}`` in
    ``zh``/``en`` becomes the count."""
    n = int(mask.sum())
    if n == 0:
        return []
    return [Problem(level, code, zh.format(n=n), en.format(n=n), list(ids[mask]))]
