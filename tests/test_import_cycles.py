"""No import cycles among the application's modules, counting every import: at module level and
inside functions (an import inside a function hides a cycle from Python's loader, not from the
design). Imports under ``if TYPE_CHECKING:`` never run and are not counted.

Also: no module of app/, gis/ or layers/ over 800 lines except those listed with a reason."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "gis", "layers")

LONG_MODULES = {
    # the Analysis menu's four dialogs and their runs: they shrink as the park analyses move onto the
    # algorithm framework
    "app/gui/analyses.py": 850,
}


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for p in (REPO / pkg).rglob("*.py"):
            name = ".".join(p.relative_to(REPO).with_suffix("").parts)
            out[name.removesuffix(".__init__")] = p
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skip |= {id(n) for n in ast.walk(inner)}
    return skip


def import_graph() -> dict[str, set[str]]:
    mods = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" for a in node.names]
            for t in targets:
                r = resolve(t)
                if r is not None and r != m and not m.startswith(r + "."):  # a package's own __init__
                    graph[m].add(r)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_the_cycle_finder_finds_a_cycle():
    g = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(g) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles():
    cycles = strongly_connected(import_graph())
    assert cycles == [], "import cycles: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_modules_stay_small():
    too_long = {}
    for pkg in PACKAGES:
        for p in (REPO / pkg).rglob("*.py"):
            rel = p.relative_to(REPO).as_posix()
            n = len(p.read_text(encoding="utf-8").splitlines())
            if n > LONG_MODULES.get(rel, 800):
                too_long[rel] = n
    assert not too_long, too_long


def test_every_folder_is_a_package():
    """The frozen build collects the app's modules package by package (PyInstaller's
    collect_submodules): a folder without __init__.py is a namespace package it leaves out."""
    folders = [d for pkg in PACKAGES for d in [REPO / pkg, *(REPO / pkg).rglob("*")]
               if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py"))]
    missing = [d.relative_to(REPO).as_posix() for d in folders if not (d / "__init__.py").exists()]
    assert not missing, missing
