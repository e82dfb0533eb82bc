"""Command-line front end generated from algorithm declarations.

``lingtan algorithms [--json]`` lists the algorithms with their inputs and parameters;
``lingtan run ALGORITHM INPUT --param value … --out OUT.gpkg`` runs one (``lingtan run ALGORITHM -h``
shows its options, generated here); an algorithm's older subcommand (``lingtan pv-array``) is the same
parser under its old name. Input files may name a layer QGIS-style (``park.gpkg|layername=roads``);
inputs with a distance take it after a colon (``zones.shp:12``). The outputs are written as the
algorithm's result layers in OUT.gpkg and its summary in OUT.json beside it, each atomically.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.cli_support import CRS_HELP, EXIT_OK, emit
from app.processing.algorithm import PATH_KINDS, Algorithm, InputLayer, LayerInput
from app.processing.params import Param, ParamValues
from app.processing.registry import algorithm, algorithms
from gis.errors import InputError
from gis.progress import Progress

LAYER_SEP = "|layername="
"""QGIS's way of naming a layer inside a file: ``park.gpkg|layername=roads``."""

def parse_source(text: str, *, with_distance: bool = False) -> tuple[Path, str | None, float | None]:
    """``FILE[|layername=L][:DIST_M]`` → (path, layer, distance). A Windows drive colon
    (``C:\\x.shp``) is part of the path: only a trailing ``:number`` is a distance."""
    dist = None
    body = text.strip()
    if with_distance and ":" in body:
        head, tail = body.rsplit(":", 1)
        try:
            dist = float(tail.replace("m", "").replace("米", ""))
            body = head
        except ValueError:
            dist = None
    layer = None
    if LAYER_SEP in body:
        body, layer = body.split(LAYER_SEP, 1)
    if not body:
        raise InputError(f"“{text}”没有文件名", f"'{text}' names no file", code="input.source")
    return Path(body), layer, dist


# ---- help texts ----------------------------------------------------------------------------------

def _default_text(p: Param) -> str:
    """"Default: 14 %", "Default: on", "Default: <what automatic means>" or "Required"."""
    if p.required:
        return "Required"
    if p.kind == "bool":
        return "Default: " + ("on" if p.default else "off")
    if p.default is None:
        return f"Default: {p.auto_en or 'automatic'}"
    if p.kind in ("pair", "floats"):
        default = ("x" if p.kind == "pair" else ",").join(f"{v:g}" for v in p.default)
    else:
        default = f"{p.default:g}" if isinstance(p.default, float) else str(p.default)
    return f"Default: {default}" + (f" {p.unit}" if p.unit else "")


def param_help(p: Param) -> str:
    """The ``--help`` text of a parameter: what it is (en / zh), default with its unit and source,
    the allowed range."""
    text = p.help_en or p.label_en
    text = f"{text} / {p.label_zh}. {_default_text(p)}"
    if p.source:
        text += f" ({p.source})"
    if p.kind == "choice":
        text += ". Choices: " + ", ".join(str(v) for v, _, _ in p.choice_list())
        text += {"int": f", or a whole number in {p.span_text()}", "file": ", or a file"}.get(p.or_kind, "")
    elif p.kind == "keyvalues":
        text += ". Keys: " + ", ".join(str(v) for v, _, _ in p.choice_list())
        text += f"; values: {p.span_text()}" if p.span_text() else ""
    elif p.kind == "choices":
        text += ". Any of: " + ", ".join(str(v) for v, _, _ in p.choice_list()) + " (comma-separated), or all"
    elif p.range_text():
        text += f". Range: {p.range_text()}"
    return text.replace("%", "%%")


def _metavar(p: Param) -> str | None:
    if p.metavar:
        return p.metavar
    names = {"float": "X", "int": "N", "text": "TEXT", "file": "FILE", "choice": "KEY", "pair": "AxB",
             "floats": "A,B,…", "keyvalues": "KEY=VALUE", "choices": "A,B,…", "date": "YYYY-MM-DD"}
    return names.get(p.kind)


# ---- the parser ------------------------------------------------------------------------------------

def _description(alg: Algorithm) -> str:
    if alg.output_file is not None:
        writes = f"--out {alg.output_file.metavar}: {alg.output_file.help}."
    else:
        writes = f"Writes OUT.gpkg (layers {', '.join(alg.outputs)}) and OUT.json."
    if not any(s.kind in ("vector", "table") for s in alg.inputs):  # a project file: no layer to name
        return f"{alg.summary_en} {writes}"
    return f"{alg.summary_en} {writes} Files may name a layer QGIS-style: park.gpkg|layername=roads."


def _shown(spec: LayerInput) -> str:
    """How the command line names an input: its metavar or name (first argument), else its flag."""
    return (spec.metavar or spec.name) if spec.positional else spec.cli_flag


def _selector(alg: Algorithm) -> LayerInput | None:
    """The input whose presence selects ``alg`` under an alias it shares (``--raster``)."""
    return next((s for s in alg.inputs if s.name == alg.cli_alias_selector), None)


def _has_command_crs(alg: Algorithm) -> bool:
    """A ``--crs`` of its own for inputs sharing the command's CRS when no first argument has one."""
    return any(s.shared_crs for s in alg.inputs) and not any(
        s.positional and s.kind == "vector" for s in alg.inputs)


class _Arguments:
    """Adds an algorithm's arguments to a parser once each: algorithms sharing an alias share the
    flags they have in common (the first declaration wins). ``loose``: nothing is required by the
    parser (the algorithm chosen by the alias' selector checks what it needs)."""

    def __init__(self, parser: argparse.ArgumentParser, loose: bool = False, crs_help: str = CRS_HELP):
        self.p, self.loose, self.crs_help, self.seen = parser, loose, crs_help, set()

    def add(self, *names: str, **kw) -> None:
        if any(n in self.seen for n in names):
            return
        self.seen.update(names)
        self.p.add_argument(*names, **kw)

    def inputs(self, alg: Algorithm) -> None:
        for spec in alg.inputs:
            help_text = f"{spec.help_en or spec.label_en} / {spec.label_zh}"
            if spec.positional:
                # optional on the parser when a flag such as --list-turbines needs no input; checked in run
                loose = self.loose or bool(alg.cli_actions) or not spec.required
                self.add(spec.name, help=help_text, nargs="?" if loose else None, metavar=spec.metavar)
                if spec.kind == "vector":
                    self.add("--layer", dest=f"{spec.name}__layer", metavar="L",
                             help=f"layer/sheet/member of the {spec.metavar or spec.name} file")
                    self.add("--crs", dest=f"{spec.name}__crs", metavar="CRS", help=self.crs_help)
                    self.add("--encoding", dest=f"{spec.name}__encoding", metavar="ENCODING",
                             help="force the attribute text encoding (e.g. gbk, utf-8)")
                elif spec.kind == "table":
                    self._sheet(spec)
            elif spec.kind == "table":
                self.add(spec.cli_flag, dest=spec.name, metavar="FILE", help=help_text,
                         required=spec.required and not alg.cli_actions and not self.loose)
                self._sheet(spec)
            elif spec.multiple:
                self.add(spec.cli_flag, dest=spec.name, action="append", default=[],
                         metavar="FILE[:DIST_M]" if spec.distance else "FILE", help=help_text)
            else:
                self.add(spec.cli_flag, dest=spec.name, metavar=spec.metavar or "FILE", help=help_text)
                if spec.layer_flag:
                    self.add(spec.layer_flag, dest=f"{spec.name}__layer", metavar="L",
                             help=f"layer/sheet/member of the {spec.cli_flag} file (default: the only one)")
        if _has_command_crs(alg):
            self.add("--crs", dest="crs", metavar="CRS", help=self.crs_help)

    def _sheet(self, spec: LayerInput) -> None:
        self.add(spec.sheet_flag or f"--{spec.name.replace('_', '-')}-sheet", dest=f"{spec.name}__sheet",
                 metavar="SHEET", help=f"Excel sheet of the {spec.name} table (default: the first)")

    def params(self, alg: Algorithm) -> None:
        for prm in alg.params:
            if prm.kind == "bool":
                if prm.default:
                    self.add(prm.cli_negate or f"--no-{prm.name.replace('_', '-')}", dest=prm.name,
                             action="store_const", const=False, default=None, help=param_help(prm))
                else:
                    self.add(prm.cli_flag, dest=prm.name, action="store_const", const=True, default=None,
                             help=param_help(prm))
            elif prm.kind == "keyvalues":  # repeatable: --fact a=1 --fact b=2
                self.add(prm.cli_flag, dest=prm.name, action="append", metavar=_metavar(prm), default=None,
                         help=param_help(prm) + " (repeatable)")
            else:
                self.add(prm.cli_flag, dest=prm.name, metavar=_metavar(prm), default=None,
                         help=param_help(prm))

    def outputs(self, alg: Algorithm, out_help: str | None = None) -> None:
        out = alg.output_file
        if out is not None:
            self.add("--out", type=Path, metavar=out.metavar, help=out_help or out.help,
                     required=out.required and not alg.cli_actions and not self.loose)
        else:
            self.add("--out", type=Path, required=not alg.cli_actions and not self.loose, metavar="OUT.gpkg",
                     help=out_help or "output GeoPackage (OUT.json written beside it)")
        for extra in alg.extra_outputs:
            self.add(extra.flag, dest=f"extra__{extra.flag.lstrip('-')}", type=Path, metavar=extra.metavar,
                     help=extra.help)

    def actions(self, alg: Algorithm) -> None:
        for action in alg.cli_actions:
            self.add(action.flag, dest="cli_action", action="store_const", const=action.flag,
                     help=action.help)


def _crs_help(algs: Sequence[Algorithm]) -> str:
    shared = list(dict.fromkeys(_shown(s) for a in algs for s in a.inputs
                                if s.shared_crs or (s.positional and s.kind == "vector")))
    return CRS_HELP + (f". Applies to {', '.join(shared)}" if len(shared) > 1 else "")


def add_algorithm_parser(sub, alg: Algorithm, name: str | None = None) -> argparse.ArgumentParser:
    """A subparser for ``alg`` under ``name`` (default: its id): inputs, parameters, --out, --json.
    Values are kept as text here and checked by the declarations in :func:`run_from_args`, so a bad
    value is a bilingual error (exit 2), not argparse's English usage line."""
    p = sub.add_parser(name or alg.id, help=f"{alg.title_en} / {alg.title_zh}", description=_description(alg),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(algorithm=alg.id)
    args = _Arguments(p, crs_help=_crs_help([alg]))
    args.actions(alg)
    args.inputs(alg)
    args.params(alg)
    args.outputs(alg)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def add_alias_parser(sub, algs: Sequence[Algorithm], name: str) -> argparse.ArgumentParser:
    """One subparser ``name`` for algorithms sharing it as their alias: the union of their flags; the
    algorithm whose ``cli_alias_selector`` input is given runs, else the one without a selector
    (``lingtan sinks GREEN …`` or ``lingtan sinks --raster LC.tif …``)."""
    if len(algs) == 1:
        return add_algorithm_parser(sub, algs[0], name)
    default = [a for a in algs if not a.cli_alias_selector]
    if len(default) != 1 or any(s.positional for a in algs if a is not default[0] for s in a.inputs):
        raise RuntimeError(f"alias {name}: one algorithm has no selector and only it has a first argument")
    algs = [default[0], *(a for a in algs if a is not default[0])]
    first = algs[0]

    def selector(a: Algorithm) -> str:
        sel = _selector(a)
        return sel.cli_flag if sel is not None else ""

    description = "\n\n".join([_description(first)]
                              + [f"With {selector(a)}: {_description(a)}" for a in algs[1:]])
    p = sub.add_parser(name, help=" | ".join(f"{a.title_en} / {a.title_zh}" for a in algs),
                       description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(algorithm=first.id, alias_group=tuple(a.id for a in algs))
    args = _Arguments(p, loose=True, crs_help=_crs_help(algs))
    for a in algs:
        args.actions(a)
        args.inputs(a)
    for a in algs:
        args.params(a)

    def out_text(a: Algorithm) -> str:
        f = a.output_file
        if f is None:
            return "OUT.gpkg (OUT.json written beside it)"
        return f"{f.metavar}: {f.help}" + ("" if f.required else " (optional)")

    out_help = "; ".join([out_text(first)] + [f"with {selector(a)}: {out_text(a)}" for a in algs[1:]])
    for a in algs:
        args.outputs(a, out_help)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def add_param_arguments(parser: argparse.ArgumentParser, alg: Algorithm) -> None:
    """The flags of ``alg``'s parameters on a parser of another shape (``lingtan park new``)."""
    _Arguments(parser).params(alg)


def given_values(alg: Algorithm, args: argparse.Namespace) -> ParamValues:
    """The checked parameter values of parsed arguments (text parsed by each declaration)."""
    given: dict[str, Any] = {}
    for prm in alg.params:
        v = getattr(args, prm.name, None)
        if v is None:
            continue
        if isinstance(v, list):  # a repeated flag (--fact a=1 --fact b=2)
            v = ";".join(v)
        given[prm.name] = v if prm.kind == "bool" else prm.parse(v)
    return alg.values(given)


def _command_crs(args: argparse.Namespace) -> str | None:
    """The command's ``--crs``: the first argument's or the command-wide one."""
    for key, value in vars(args).items():
        if value and (key == "crs" or key.endswith("__crs")):
            return value
    return None


def read_inputs(alg: Algorithm, args: argparse.Namespace) -> tuple[dict[str, Any], list]:
    """Read the input files named in ``args``: {input name: InputLayer | [InputLayer] | None} and the
    problems the readers found (also kept on each InputLayer). Raster and plain file inputs are
    named, not read: the algorithm reads them."""
    from gis.crs import parse_crs
    from gis.io import read_vector
    from gis.io.tables import read_data_table

    out: dict[str, Any] = {}
    problems: list = []
    for spec in alg.inputs:
        raw = getattr(args, spec.name, None)
        texts = raw if isinstance(raw, list) else ([raw] if raw else [])
        items = []
        for text in texts:
            crs = getattr(args, f"{spec.name}__crs", None)
            if crs is None and spec.shared_crs:
                crs = _command_crs(args)
            if crs:
                parse_crs(crs)  # a mistyped --crs is a usage error, reported before reading
            path, layer, dist = parse_source(str(text), with_distance=spec.distance)
            if spec.kind in PATH_KINDS:
                items.append(InputLayer(None, path.name, path=path))  # type: ignore[arg-type]
                continue
            if spec.kind == "table":
                table, report = read_data_table(path, layer or getattr(args, f"{spec.name}__sheet", None))
                problems += report.problems
                items.append(InputLayer(table, path.name, path=path,  # type: ignore[arg-type]
                                        problems=list(report.problems)))
                continue
            layer = layer or getattr(args, f"{spec.name}__layer", None)
            encoding = getattr(args, f"{spec.name}__encoding", None)
            res = read_vector(path, layer=layer, crs=crs, encoding=encoding)
            problems += res.report.problems
            items.append(InputLayer(res.gdf, path.name if layer is None else f"{path.name}|{layer}", dist,
                                    path=path, problems=list(res.report.problems)))
        out[spec.name] = items if spec.multiple else (items[0] if items else None)
    return out, problems


def chosen_algorithm(args: argparse.Namespace) -> Algorithm:
    """The algorithm parsed ``args`` run: under an alias shared by several, the one whose selector
    input is given (bilingual error for inputs of the other ones)."""
    group = getattr(args, "alias_group", None)
    if not group:
        return algorithm(args.algorithm)
    algs = [algorithm(i) for i in group]
    chosen = next((a for a in algs if (sel := _selector(a)) is not None and getattr(args, sel.name, None)),
                  algs[0])
    own = {s.name for s in chosen.inputs}
    for other in algs:
        for spec in other.inputs:
            if spec.name in own or not getattr(args, spec.name, None):
                continue
            sel = _selector(chosen) or _selector(other)
            assert sel is not None  # all but the default algorithm have one
            if sel.name in own:
                raise InputError(f"请只选一种方式：{spec.label_zh} {_shown(spec)} 或 {sel.label_zh} "
                                 f"{sel.cli_flag}", f"Give either {_shown(spec)} or {sel.cli_flag}, not both",
                                 code="input.either")
            raise InputError(f"{_shown(spec)} 只与 {sel.cli_flag} 一起使用",
                             f"{_shown(spec)} is used only with {sel.cli_flag}", code="input.either")
    return chosen


def _alternatives(alg: Algorithm, args: argparse.Namespace) -> tuple[str, str]:
    """What else the alias runs (" (or --raster: land-cover raster)"), for a missing first argument."""
    zh, en = "", ""
    for other in (algorithm(i) for i in getattr(args, "alias_group", None) or ()):
        sel = _selector(other)
        if other is not alg and sel is not None:
            zh += f"（或用 {sel.cli_flag}：{sel.label_zh}）"
            en += f" (or {sel.cli_flag}: {sel.label_en.lower()})"
    return zh, en


def _check_given(alg: Algorithm, args: argparse.Namespace) -> None:
    """Every required input and --out named, --out of an allowed suffix, before any reading."""
    zh_alt, en_alt = _alternatives(alg, args)
    zh, en = [], []
    for s in alg.inputs:
        if not s.required or getattr(args, s.name, None) or (s.kind == "table" and not s.positional):
            continue  # a required table flag is the parser's to ask for
        if s.positional:
            zh.append((f"{s.label_zh}（{s.metavar}）" if s.metavar else s.label_zh) + zh_alt)
            en.append(_shown(s) + en_alt)
        else:
            zh.append(f"{s.label_zh}（{s.cli_flag}）")
            en.append(s.cli_flag)
    out_required = alg.output_file.required if alg.output_file is not None else True
    if args.out is None and out_required:
        zh, en = [*zh, "--out"], [*en, "--out"]
    if zh:
        raise InputError("缺少：" + "、".join(zh), "Missing: " + ", ".join(en), code="input.missing")
    if args.out is not None and alg.output_file is not None:
        alg.output_file.check(args.out)
    elif args.out is not None and args.out.suffix.lower() != ".gpkg":
        raise InputError("--out 应为 .gpkg 文件", "--out must be a .gpkg file", path=str(args.out),
                         code="output.suffix")


def run_from_args(args: argparse.Namespace, progress: Progress) -> int:
    """Run the algorithm named in ``args`` and write its outputs (the CLI handler)."""
    from app.outputs import write_gpkg, write_json

    alg = chosen_algorithm(args)
    own = getattr(alg, "cli_run", None)  # an algorithm's own command-line path (lingtan pv --cluster)
    code = own(args, progress) if own is not None else None
    if code is not None:
        return code
    flag = getattr(args, "cli_action", None)
    if flag is not None:
        data, lines = next(a for a in alg.cli_actions if a.flag == flag).run(args)
        emit(args, data, lines)
        return EXIT_OK
    _check_given(alg, args)
    values = given_values(alg, args)
    progress.report(0.0, "reading")
    inputs, problems = read_inputs(alg, args)
    alg.check_inputs(inputs)
    # a PDF or an export takes its share of the bar for the writing; a workbook is written at once
    written = 0.95 - 0.9 * (alg.output_file.writing_share if alg.output_file is not None else 0.0)
    output = alg.run(values, inputs, progress.sub(0.05, written))
    progress.report(written, "writing")
    if alg.output_file is not None:
        summary, lines = alg.output_file.write_output(output, args.out, values, progress.sub(written, 1.0))
        progress.report(1.0, "done")
        emit(args, summary, lines)
        return EXIT_OK
    summary = dict(output.summary)
    if problems:  # those the run folded into its own problems are not repeated
        have = list(summary.get("problems", []))
        summary["problems"] = [d for d in (p.to_dict() for p in problems) if d not in have] + have
    summary["parameters"] = values.to_json()
    summary["outputs"] = {**summary.get("outputs", {}), "gpkg": str(args.out),
                          "json": str(args.out.with_suffix(".json"))}
    write_gpkg(args.out, {alg.file_layer_names.get(k, k): v for k, v in output.layers.items()})
    for extra in alg.extra_outputs:
        path = getattr(args, f"extra__{extra.flag.lstrip('-')}", None)
        if path is not None:
            extra.write(output, path, values)
            summary["outputs"][extra.flag.lstrip("-")] = str(path)
    write_json(args.out.with_suffix(".json"), summary)
    progress.report(1.0, "done")
    emit(args, summary, [*alg.describe(summary), f"输出 Output: {args.out} (+ .json)"])
    return EXIT_OK


def register(sub) -> dict:
    """``lingtan run``, ``lingtan algorithms`` and each algorithm's older subcommand name."""
    run = sub.add_parser("run", help="run an algorithm by its id / 运行算法 (lingtan algorithms lists them)",
                         description="Run one algorithm: lingtan run ALGORITHM -h shows its inputs and "
                                     "parameters.")
    run_sub = run.add_subparsers(dest="algorithm_id", metavar="ALGORITHM", required=True)
    commands: dict = {"run": run_from_args}
    aliases: dict[str, list[Algorithm]] = {}
    for alg in algorithms():
        add_algorithm_parser(run_sub, alg)
        if alg.cli_alias:
            aliases.setdefault(alg.cli_alias, []).append(alg)
    for name, group in aliases.items():
        add_alias_parser(sub, group, name)
        commands[name] = run_from_args
    lst = sub.add_parser("algorithms", help="list the algorithms and their parameters / 算法列表",
                         description="List the algorithms with their inputs, parameters (type, default, "
                                     "unit, range, source) and result layers.")
    lst.add_argument("--json", action="store_true", help="print the declarations as JSON")
    commands["algorithms"] = list_algorithms
    return commands


def list_algorithms(args: argparse.Namespace, progress: Progress) -> int:
    if getattr(args, "json", False):
        data = [a.describe_json() for a in algorithms()]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    lines = []
    for a in algorithms():
        sel = _selector(a)
        alias = f" (= lingtan {a.cli_alias}{' ' + sel.cli_flag if sel else ''})" if a.cli_alias else ""
        lines.append(f"{a.id}{alias}: {a.title_zh} / {a.title_en}")
        lines.append("  输入 inputs: " + ", ".join(f"{i.name}{'' if i.required else '?'}" for i in a.inputs))
        lines.append("  参数 parameters: " + ", ".join(p.name for p in a.params))
        if a.outputs or a.output_file is None:
            lines.append("  结果图层 layers: " + ", ".join(a.outputs))
        if a.output_file is not None:
            lines.append(f"  输出 output: --out {a.output_file.metavar}")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
