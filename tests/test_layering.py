"""Architecture rules: gis/ never imports Qt or app/; layers/ never imports QtWidgets or app/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QT_ROOTS = {"PySide6", "PyQt5", "PyQt6", "qtpy", "shiboken6"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module named by import statements anywhere in the file (functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out += [(node.lineno, node.module)]
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def _violations(package: str, forbidden) -> list[str]:
    bad = []
    for py in sorted((REPO / package).rglob("*.py")):
        for line, name in _imports(py):
            if forbidden(name):
                bad.append(f"{py.relative_to(REPO)}:{line} imports {name}")
    return bad


def test_gis_imports_no_qt_and_no_app():
    def forbidden(name: str) -> bool:
        root = name.split(".")[0]
        return root in QT_ROOTS or root == "app"

    assert _violations("gis", forbidden) == []


def test_layers_imports_no_widgets_and_no_app():
    def forbidden(name: str) -> bool:
        root = name.split(".")[0]
        return root == "app" or "QtWidgets" in name.split(".") or (
            root in {"PyQt5", "PyQt6", "qtpy"})

    assert _violations("layers", forbidden) == []


def test_checker_catches_a_violation(tmp_path):
    """The AST check really sees imports nested in functions."""
    f = tmp_path / "x.py"
    f.write_text("def f():\n    from PySide6.QtWidgets import QWidget\n")
    names = [n for _, n in _imports(f)]
    assert "PySide6.QtWidgets" in names


@pytest.mark.parametrize("module", ["gis.io", "gis.park", "gis.crs", "gis.sample_park"])
def test_gis_does_not_load_qt_at_runtime(module):
    """Not even indirectly through a third-party package."""
    code = (f"import sys, {module}; "
            "bad = [m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'PyQt5', 'PyQt6', 'shiboken6', 'app')]; print(bad); "
            "sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
