"""The README holds exactly two set-up commands, and CI runs the test one verbatim."""

from __future__ import annotations

import re

from tests.conftest import REPO


def _commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)```", text, flags=re.S)
    return [line for b in blocks for line in b.strip().splitlines() if line.strip()]


def test_exactly_two_setup_commands():
    cmds = _commands()
    assert len(cmds) == 2
    assert "lingtan demo" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _commands()[1] in ci
