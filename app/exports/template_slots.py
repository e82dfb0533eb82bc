"""Stand-ins that keep user text out of template engines.

folium and branca build the web map with Jinja2, and branca compiles the *rendered* output of each
element as a new template (``MacroElement.render`` wraps it in ``Element``). Any user text that
reaches folium — an attribute value, a field name, a layer title, a legend label, a basemap
attribution — would therefore be evaluated as template code (``{{ 7*7 }}`` became ``49``; a crafted
value ran Python). So user text never goes to folium: it gets an opaque token made of letters and
digits (nothing any template engine treats as syntax), the page is rendered, and the tokens are then
replaced by the real text in one pass that never re-reads what it inserts.

Two kinds of token:
- :meth:`TemplateSlots.json` — the value is emitted as JSON. folium writes strings through
  ``tojson``, so the token appears quoted (``"lingtanslot…j3"``) and the quotes are replaced too;
  the JSON is escaped for a ``<script>`` element.
- :meth:`TemplateSlots.raw` — trusted JavaScript made by Lingtan (which may embed user data as
  script-safe JSON); the bare token is replaced by the code.
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element (no "</script>", no HTML comment or CDATA openers)."""
    return (json.dumps(value, ensure_ascii=False, allow_nan=False).replace("<", "\\u003c")
            .replace(">", "\\u003e").replace("&", "\\u0026"))


class TemplateSlots:
    """Opaque tokens for values kept out of a template render; :meth:`fill` puts the values in."""

    def __init__(self) -> None:
        self._prefix = "lingtanslot" + secrets.token_hex(8)
        self._values: list[str] = []
        self._kinds: list[str] = []

    def _add(self, kind: str, text: str) -> str:
        self._values.append(text)
        self._kinds.append(kind)
        return f"{self._prefix}{kind}{len(self._values) - 1}"

    def json(self, value: Any) -> str:
        """A token that the renderer writes as a JSON string; it becomes ``value`` as JSON."""
        return self._add("j", script_json(value))

    def raw(self, code: str) -> str:
        """A token written bare; it becomes ``code`` (Lingtan's own JavaScript) unchanged."""
        return self._add("r", code)

    def fill(self, page: str) -> str:
        """``page`` with every token replaced by its value. Raises RuntimeError when a token is
        missing, was written in the wrong form, or is left over (a bug in how the page was built,
        never a property of user data: the values are inserted after the tokens are found)."""
        p = re.escape(self._prefix)
        pattern = re.compile(rf'"{p}j(\d+)"|{p}r(\d+)')
        seen = [0] * len(self._values)

        def value(m: re.Match) -> str:
            k = int(m.group(1) if m.group(1) is not None else m.group(2))
            seen[k] += 1
            return self._values[k]

        out = pattern.sub(value, page)
        if self._prefix in pattern.sub("", page):
            raise RuntimeError("a template slot was written in a form it cannot be filled in")
        missing = [k for k, n in enumerate(seen) if n == 0]
        if missing:
            raise RuntimeError(f"template slots never written: {missing}")
        return out
