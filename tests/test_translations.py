"""The Chinese translation is complete: every tr() string of app/gui is in the .ts, translated,
with the same placeholders, and the compiled .qm translates at run time.

A string added to the GUI without running resources/translations/update_translations.py (and
giving its Chinese in resources/translations/zh_CN.json) fails here.
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TS = REPO / "resources" / "translations" / "lingtan_zh_CN.ts"
QM = REPO / "resources" / "translations" / "lingtan_zh_CN.qm"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d|%n")


def _messages() -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(TS).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            out[(name, msg.findtext("source") or "")] = msg
    return out


def _literal(node) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _wrapper(fn: ast.FunctionDef) -> str | None:
    """The context of ``def tr(text): return QCoreApplication.translate("Ctx", text)``."""
    for node in ast.walk(fn):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "translate" and len(node.args) == 2 and _literal(node.args[0])
                and isinstance(node.args[1], ast.Name)):
            return _literal(node.args[0])
    return None


def source_strings(path: Path) -> set[tuple[str, str]]:
    """(context, text) of every translatable literal in a module, as Qt looks them up at run time."""
    found: set[tuple[str, str]] = set()

    def wrappers_in(body) -> dict[str, str]:
        return {n.name: _wrapper(n) for n in body if isinstance(n, ast.FunctionDef) and _wrapper(n)}

    def visit(node, cls: str | None, wrappers: dict[str, str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, child.name, wrappers)
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, cls, {**wrappers, **wrappers_in(child.body)})
                continue
            if isinstance(child, ast.Call):
                f = child.func
                args = child.args
                if (isinstance(f, ast.Attribute) and f.attr == "tr" and isinstance(f.value, ast.Name)
                        and f.value.id == "self" and args and _literal(args[0]) is not None and cls):
                    found.add((cls, _literal(args[0])))
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                if (name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2
                        and _literal(args[0]) is not None and _literal(args[1]) is not None):
                    found.add((_literal(args[0]), _literal(args[1])))
                if (isinstance(f, ast.Name) and f.id in wrappers and args
                        and _literal(args[0]) is not None):
                    found.add((wrappers[f.id], _literal(args[0])))
            visit(child, cls, wrappers)

    tree = ast.parse(path.read_text(encoding="utf-8"))
    visit(tree, None, wrappers_in(tree.body))
    return found


GUI_FILES = sorted((REPO / "app" / "gui").glob("*.py"))


def test_every_message_is_translated():
    bad = []
    for (ctx, source), msg in _messages().items():
        tr = msg.find("translation")
        if (tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete")
                or not (tr.text or "").strip()):
            bad.append(f"[{ctx}] {source}")
    assert not bad, "untranslated (run resources/translations/update_translations.py):\n" + "\n".join(bad)


@pytest.mark.parametrize("path", GUI_FILES, ids=lambda p: p.name)
def test_every_tr_string_of_the_gui_is_in_the_ts(path):
    messages = _messages()
    missing = sorted(f"[{ctx}] {text}" for ctx, text in source_strings(path) if (ctx, text) not in messages)
    assert not missing, (f"{path.name}: strings missing from {TS.name} — run "
                         "resources/translations/update_translations.py:\n" + "\n".join(missing))


def test_the_scanner_sees_the_main_windows_strings():
    """Guard against a scanner that finds nothing (and so never fails)."""
    found = source_strings(REPO / "app" / "gui" / "main_window.py")
    assert ("MainWindow", "&File") in found
    assert ("MapActions", "Pan") in found
    assert ("Settings", "mu") in source_strings(REPO / "app" / "gui" / "settings.py")  # module wrapper
    assert sum(len(source_strings(p)) for p in GUI_FILES) > 300


def test_placeholders_survive_translation():
    bad = []
    for (ctx, source), msg in _messages().items():
        text = msg.findtext("translation") or ""
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            bad.append(f"[{ctx}] {source!r} → {text!r}")
        if source.count("&") == 1 and "&amp;" not in source and text.count("&") != 1:
            bad.append(f"[{ctx}] menu accelerator lost: {source!r} → {text!r}")
    assert not bad, "\n".join(bad)


def test_compiled_qm_translates(qapp):
    from PySide6.QtCore import QTranslator

    t = QTranslator()
    assert t.load(str(QM))
    stale = [f"[{ctx}] {source}" for (ctx, source), msg in _messages().items()
             if t.translate(ctx, source) != (msg.findtext("translation") or "")]
    assert not stale, "the .qm is not compiled from the current .ts:\n" + "\n".join(stale[:20])
    assert t.translate("MainWindow", "&File") == "文件(&F)"
    assert t.translate("Dashboard", "Rooftop PV capacity") == "屋顶光伏装机"
    assert t.translate("MapActions", "Measure Area") == "量测面积"
    assert t.translate("Settings", "mu") == "亩"
    assert t.translate("MainWindow", "no such string") == ""
