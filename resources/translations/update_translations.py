"""Regenerate the Chinese translation of the desktop app: .ts from the sources, then .qm.

    python resources/translations/update_translations.py [--check]

1. ``pyside6-lupdate app/gui/*.py`` extracts every ``self.tr("…")``, ``QCoreApplication.translate(
   "Context", "…")``, ``QT_TRANSLATE_NOOP`` and bare ``tr("…")`` call.
2. lupdate puts bare ``tr("…")`` calls in the empty context, but at run time they are translated
   in the context of the module's wrapper (``def tr(text): return QCoreApplication.translate(
   "Settings", text)``, also when defined inside a function): this script finds the wrapper in
   scope for every such call (Python ``ast``) and moves the message to that context.
3. Translations: a finished one already in ``lingtan_zh_CN.ts`` (e.g. edited in Qt Linguist) is
   kept; otherwise ``zh_CN.json`` gives it (keys: the English source, or ``Context::source`` for
   a context-specific translation). Messages without one stay ``type="unfinished"`` and are
   listed (``--check``: exit 1 then; tests/test_translations.py fails too).
4. ``pyside6-lrelease`` compiles ``lingtan_zh_CN.qm``.
"""

from __future__ import annotations

import argparse
import ast
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TS = HERE / "lingtan_zh_CN.ts"
QM = HERE / "lingtan_zh_CN.qm"
DICTIONARY = HERE / "zh_CN.json"
SOURCES_GLOB = "app/gui/*.py"


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease next to this Python, else on PATH."""
    for cand in (Path(sys.executable).parent / name, Path(sys.executable).parent / f"{name}.exe"):
        if cand.exists():
            return str(cand)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found (pip install PySide6-Essentials)")
    return found


# ---- bare tr() calls → the context of their wrapper ---------------------------------------------

def _wrapper_context(fn: ast.FunctionDef) -> str | None:
    """"Ctx" when ``fn`` is ``def tr(text): return QCoreApplication.translate("Ctx", text)`` (any
    name: ``tr``, ``_tr``, ``_t`` …)."""
    if not fn.args.args:
        return None
    param = fn.args.args[0].arg
    for node in ast.walk(fn):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "translate" and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and isinstance(node.args[1], ast.Name) and node.args[1].id == param):
            return node.args[0].value
    return None


def bare_tr_contexts(path: Path) -> list[tuple[int, str, str]]:
    """(line, source text, context) of every call ``tr("…")`` of a translation wrapper in ``path``
    (the innermost enclosing scope's, else the module's) that translates in a fixed context."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[int, str, str]] = []

    def scope_wrappers(body) -> dict[str, str]:
        found = {}
        for node in body:
            if isinstance(node, ast.FunctionDef):
                ctx = _wrapper_context(node)
                if ctx:
                    found[node.name] = ctx
        return found

    def visit(node, wrappers: dict[str, str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = dict(wrappers)
                if not isinstance(child, ast.ClassDef):
                    inner.update(scope_wrappers(child.body))
                visit(child, inner)
                continue
            if (isinstance(child, ast.Call) and isinstance(child.func, ast.Name)
                    and child.func.id in wrappers and child.args
                    and isinstance(child.args[0], ast.Constant) and isinstance(child.args[0].value, str)):
                out.append((child.lineno, child.args[0].value, wrappers[child.func.id]))
            visit(child, wrappers)

    visit(tree, scope_wrappers(tree.body))
    return out


# ---- the .ts --------------------------------------------------------------------------------------

def read_ts(path: Path) -> dict[tuple[str, str], str]:
    """{(context, source): translation} of the finished messages of a .ts file."""
    if not path.exists():
        return {}
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.get("type") not in ("unfinished", "vanished", "obsolete") and tr.text:
                out[(name, msg.findtext("source") or "")] = tr.text
    return out


def run_lupdate(sources: list[Path], out: Path) -> None:
    out.unlink(missing_ok=True)
    cmd = [tool("pyside6-lupdate"), *map(str, sources), "-ts", str(out)]
    subprocess.run(cmd, check=True, capture_output=True, cwd=REPO)


def _location_file(loc: ET.Element, ts_dir: Path) -> Path:
    return (ts_dir / loc.get("filename", "")).resolve()


def fix_contexts(root: ET.Element, ts_dir: Path) -> None:
    """Move messages of the empty context to their wrapper's context (see the module doc)."""
    contexts = {c.findtext("name") or "": c for c in root.iter("context")}
    empty = contexts.get("")
    if empty is None:
        return
    cache: dict[Path, list[tuple[int, str, str]]] = {}
    for msg in list(empty.iter("message")):
        source = msg.findtext("source") or ""
        target = None
        for loc in msg.findall("location"):
            f = _location_file(loc, ts_dir)
            if f not in cache:
                cache[f] = bare_tr_contexts(f) if f.exists() else []
            line = int(loc.get("line", "0"))
            hits = [(abs(ln - line), ctx) for ln, text, ctx in cache[f] if text == source]
            if hits:
                target = min(hits)[1]
                break
        if target is None:
            continue
        empty.remove(msg)
        if target not in contexts:
            c = ET.SubElement(root, "context")
            ET.SubElement(c, "name").text = target
            contexts[target] = c
        dest = contexts[target]
        twin = next((m for m in dest.iter("message") if (m.findtext("source") or "") == source), None)
        if twin is None:
            dest.append(msg)
        else:  # the same text is also translated in that context directly: one message, all locations
            at = list(twin).index(twin.find("source"))
            for loc in msg.findall("location"):
                twin.insert(at, loc)
                at += 1
    if not list(empty.iter("message")):
        root.remove(empty)


def add_unseen(root: ET.Element, sources: list[Path], ts_dir: Path) -> int:
    """Add wrapper calls lupdate does not recognise (it knows ``tr``/``_tr``, not e.g. ``_t``)."""
    contexts = {c.findtext("name") or "": c for c in root.iter("context")}
    have = {(name, m.findtext("source") or "") for name, c in contexts.items() for m in c.iter("message")}
    added = 0
    for path in sources:
        rel = Path(*([".."] * len(ts_dir.relative_to(REPO).parts)), path.relative_to(REPO)).as_posix()
        for line, text, ctx in bare_tr_contexts(path):
            if (ctx, text) in have:
                continue
            if ctx not in contexts:
                c = ET.SubElement(root, "context")
                ET.SubElement(c, "name").text = ctx
                contexts[ctx] = c
            msg = ET.SubElement(contexts[ctx], "message")
            ET.SubElement(msg, "location", filename=rel, line=str(line))
            ET.SubElement(msg, "source").text = text
            ET.SubElement(msg, "translation", type="unfinished")
            have.add((ctx, text))
            added += 1
    return added


def fill(root: ET.Element, kept: dict[tuple[str, str], str],
         dictionary: dict[str, str]) -> list[tuple[str, str]]:
    """Set every translation; returns the (context, source) pairs still without one."""
    missing = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            tr = msg.find("translation")
            if tr is None:
                tr = ET.SubElement(msg, "translation")
            text = kept.get((name, source)) or dictionary.get(f"{name}::{source}") or dictionary.get(source)
            if text:
                tr.text = text
                tr.attrib.pop("type", None)
            else:
                tr.text = None
                tr.set("type", "unfinished")
                missing.append((name, source))
    return missing


def sort_contexts(root: ET.Element) -> None:
    ctxs = sorted(root.findall("context"), key=lambda c: c.findtext("name") or "")
    for c in root.findall("context"):
        root.remove(c)
    for c in ctxs:
        root.append(c)


def write_ts(root: ET.Element, path: Path) -> None:
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 when a message has no translation")
    args = ap.parse_args(argv)
    sources = sorted(REPO.glob(SOURCES_GLOB))
    kept = read_ts(TS)
    dictionary = json.loads(DICTIONARY.read_text(encoding="utf-8")) if DICTIONARY.exists() else {}
    tmp = HERE / ".lupdate_tmp.ts"
    try:
        run_lupdate(sources, tmp)
        tree = ET.parse(tmp)
    finally:
        tmp.unlink(missing_ok=True)
    root = tree.getroot()
    root.set("language", "zh_CN")
    root.set("sourcelanguage", "en")
    fix_contexts(root, HERE)
    add_unseen(root, sources, HERE)
    sort_contexts(root)
    missing = fill(root, kept, dictionary)
    write_ts(root, TS)
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True, capture_output=True)
    n = sum(1 for _ in root.iter("message"))
    print(f"{TS.name}: {n} messages, {n - len(missing)} translated; {QM.name} written")
    for ctx, source in missing:
        print(f"  untranslated [{ctx}] {source!r}")
    return 1 if (missing and args.check) else 0


if __name__ == "__main__":
    raise SystemExit(main())
