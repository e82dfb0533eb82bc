"""The docs' parameter tables, generated from the algorithm declarations.

``python -m app.processing.docs`` rewrites docs/algorithms.md; tests/test_processing.py fails when
the file differs from what the declarations give, so the docs cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.processing.algorithm import Algorithm
from app.processing.params import Param
from app.processing.registry import algorithms

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "algorithms.md"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _default(p: Param) -> str:
    if p.kind == "bool":
        return "on 开" if p.default else "off 关"
    if p.default is None:
        return f"auto 自动: {p.auto_en} / {p.auto_zh}" if p.auto_en else "—"
    if p.kind == "pair":
        return "x".join(f"{v:g}" for v in p.default)
    if p.kind == "keyvalues":
        return "; ".join(f"{k}={v:g}" for k, v in p.default.items())
    if isinstance(p.default, float):
        return f"{p.default:g}"
    return str(p.default)


def algorithm_markdown(alg: Algorithm) -> str:
    """One algorithm's section: what it does, how to run it, its inputs, parameters and layers."""
    lines = [f"## `{alg.id}` — {alg.title_zh} / {alg.title_en}", "", alg.summary_en, "", alg.summary_zh, ""]
    sel = next((f" {i.cli_flag}" for i in alg.inputs if i.name == alg.cli_alias_selector), "")
    run = f"`lingtan run {alg.id} …`" + (f" (also `lingtan {alg.cli_alias}{sel} …`)" if alg.cli_alias else "")
    lines += [f"Command line: {run}; GUI: 处理 Processing → {alg.title_zh}.", ""]
    lines += ["| input 输入 | geometry | required | CLI | what |", "|---|---|---|---|---|"]
    for i in alg.inputs:
        cli = "first argument" if i.positional else f"`{i.cli_flag} FILE{'[:DIST_M]' if i.distance else ''}`"
        cli += " (repeat)" if i.multiple else ""
        cli += f", `{i.layer_flag} L`" if i.layer_flag else ""
        kind = (', '.join(i.geometry) or 'any') if i.kind == "vector" else i.kind
        lines.append(f"| {i.name} {i.label_zh} | {kind} | "
                     f"{'yes' if i.required else 'no'} | {cli} | {_cell(i.help_en)} |")
    lines += ["", "| parameter 参数 | CLI | type | default 默认 | unit | range | source of the default |",
              "|---|---|---|---|---|---|---|"]
    for p in alg.params:
        flag = (p.cli_negate or f"--no-{p.name}") if p.kind == "bool" and p.default else p.cli_flag
        lines.append(f"| {p.name} {p.label_zh} | `{flag}` | {p.kind} | {_cell(_default(p))} | {p.unit} | "
                     f"{_cell(p.range_text())} | {_cell(p.source)} |")
    if alg.outputs:
        lines += ["", "Result layers: " + ", ".join(f"`{n}`" for n in alg.outputs) + ".", ""]
    else:
        lines.append("")
    if alg.output_file is not None:
        f = alg.output_file
        lines += [f"Command line output: `--out {f.metavar}`{'' if f.required else ' (optional)'}: "
                  f"{_cell(f.help)}.", ""]
    return "\n".join(lines)


def algorithms_markdown() -> str:
    head = ["# Algorithms 算法", "",
            "Generated from the declarations in `app/algorithms/` by `python -m app.processing.docs`; do not "
            "edit by hand (tests/test_processing.py checks that this file is current). How to add an "
            "algorithm: docs/architecture.md.", ""]
    return "\n".join(head + [algorithm_markdown(a) for a in algorithms()])


def main() -> int:
    from app.outputs import write_text

    write_text(DOC_PATH, algorithms_markdown())
    sys.stdout.write(f"{DOC_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
