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
from pathlib import Path
from typing import Any

from app.cli_support import CRS_HELP, EXIT_OK, emit
from app.processing.algorithm import Algorithm, InputLayer
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

def param_help(p: Param) -> str:
    """The ``--help`` text of a parameter: what it is (en / zh), default with its unit and source,
    the allowed range."""
    text = p.help_en or p.label_en
    text = f"{text} / {p.label_zh}"
    if p.kind == "bool":
        default = "on" if p.default else "off"
    elif p.default is None:
        default = p.auto_en or "automatic"
    elif p.kind in ("pair", "floats"):
        default = ("x" if p.kind == "pair" else ",").join(f"{v:g}" for v in p.default)
    else:
        default = f"{p.default:g}" if isinstance(p.default, float) else str(p.default)
    unit = f" {p.unit}" if p.unit and p.default is not None and p.kind != "bool" else ""
    text += f". Default: {default}{unit}"
    if p.source:
        text += f" ({p.source})"
    if p.kind == "choice":
        text += ". Choices: " + ", ".join(str(v) for v, _, _ in p.choice_list())
    elif p.range_text():
        text += f". Range: {p.range_text()}"
    return text.replace("%", "%%")


def _metavar(p: Param) -> str | None:
    if p.metavar:
        return p.metavar
    names = {"float": "X", "int": "N", "text": "TEXT", "file": "FILE", "choice": "KEY", "pair": "AxB",
             "floats": "A,B,…"}
    return names.get(p.kind)


# ---- the parser ------------------------------------------------------------------------------------

def add_algorithm_parser(sub, alg: Algorithm, name: str | None = None) -> argparse.ArgumentParser:
    """A subparser for ``alg`` under ``name`` (default: its id): inputs, parameters, --out, --json.
    Values are kept as text here and checked by the declarations in :func:`run_from_args`, so a bad
    value is a bilingual error (exit 2), not argparse's English usage line."""
    p = sub.add_parser(name or alg.id, help=f"{alg.title_en} / {alg.title_zh}",
                       description=f"{alg.summary_en} Writes OUT.gpkg (layers {', '.join(alg.outputs)}) and "
                                   "OUT.json. Files may name a layer QGIS-style: park.gpkg|layername=roads.",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(algorithm=alg.id)
    for action in alg.cli_actions:
        p.add_argument(action.flag, dest="cli_action", action="store_const", const=action.flag,
                       help=action.help)
    for spec in alg.inputs:
        help_text = f"{spec.help_en or spec.label_en} / {spec.label_zh}"
        if spec.positional:
            # optional on the parser when a flag such as --list-turbines needs no input; checked in run
            p.add_argument(spec.name, help=help_text, nargs="?" if alg.cli_actions else None)
            p.add_argument("--layer", dest=f"{spec.name}__layer",
                           help=f"layer/sheet/member of the {spec.name} file")
            p.add_argument("--crs", dest=f"{spec.name}__crs", help=CRS_HELP)
            p.add_argument("--encoding", dest=f"{spec.name}__encoding",
                           help="force the attribute text encoding (e.g. gbk, utf-8)")
        elif spec.kind == "table":
            p.add_argument(spec.cli_flag, dest=spec.name, metavar="FILE", help=help_text,
                           required=spec.required and not alg.cli_actions)
            p.add_argument(spec.sheet_flag or f"--{spec.name.replace('_', '-')}-sheet",
                           dest=f"{spec.name}__sheet",
                           metavar="SHEET", help=f"Excel sheet of the {spec.name} table")
        elif spec.multiple:
            p.add_argument(spec.cli_flag, dest=spec.name, action="append", default=[],
                           metavar="FILE[:DIST_M]" if spec.distance else "FILE", help=help_text)
        else:
            p.add_argument(spec.cli_flag, dest=spec.name, metavar="FILE", help=help_text)
    for prm in alg.params:
        if prm.kind == "bool":
            if prm.default:
                p.add_argument(prm.cli_negate or f"--no-{prm.name.replace('_', '-')}", dest=prm.name,
                               action="store_const", const=False, default=None, help=param_help(prm))
            else:
                p.add_argument(prm.cli_flag, dest=prm.name, action="store_const", const=True, default=None,
                               help=param_help(prm))
        else:
            p.add_argument(prm.cli_flag, dest=prm.name, metavar=_metavar(prm), default=None,
                           help=param_help(prm))
    p.add_argument("--out", type=Path, required=not alg.cli_actions, metavar="OUT.gpkg",
                   help="output GeoPackage (OUT.json written beside it)")
    for extra in alg.extra_outputs:
        p.add_argument(extra.flag, dest=f"extra__{extra.flag.lstrip('-')}", type=Path, metavar=extra.metavar,
                       help=extra.help)
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    return p


def given_values(alg: Algorithm, args: argparse.Namespace) -> ParamValues:
    """The checked parameter values of parsed arguments (text parsed by each declaration)."""
    given: dict[str, Any] = {}
    for prm in alg.params:
        v = getattr(args, prm.name, None)
        if v is None:
            continue
        given[prm.name] = v if prm.kind == "bool" else prm.parse(v)
    return alg.values(given)


def read_inputs(alg: Algorithm, args: argparse.Namespace) -> tuple[dict[str, Any], list]:
    """Read the input files named in ``args``: {input name: InputLayer | [InputLayer] | None} and the
    problems the readers found."""
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
            if crs:
                parse_crs(crs)  # a mistyped --crs is a usage error, reported before reading
            path, layer, dist = parse_source(str(text), with_distance=spec.distance)
            if spec.kind == "table":
                table, report = read_data_table(path, layer or getattr(args, f"{spec.name}__sheet", None))
                problems += report.problems
                items.append(InputLayer(table, path.name))  # type: ignore[arg-type]
                continue
            layer = layer or getattr(args, f"{spec.name}__layer", None)
            encoding = getattr(args, f"{spec.name}__encoding", None)
            res = read_vector(path, layer=layer, crs=crs, encoding=encoding)
            problems += res.report.problems
            items.append(InputLayer(res.gdf, path.name if layer is None else f"{path.name}|{layer}", dist))
        out[spec.name] = items if spec.multiple else (items[0] if items else None)
    return out, problems


def run_from_args(args: argparse.Namespace, progress: Progress) -> int:
    """Run the algorithm named in ``args`` and write its outputs (the CLI handler)."""
    from app.outputs import write_gpkg, write_json

    alg = algorithm(args.algorithm)
    flag = getattr(args, "cli_action", None)
    if flag is not None:
        data, lines = next(a for a in alg.cli_actions if a.flag == flag).run(args)
        emit(args, data, lines)
        return EXIT_OK
    missing = [s for s in alg.inputs if s.positional and not getattr(args, s.name, None)]
    if missing or args.out is None:
        out = [] if args.out is not None else ["--out"]
        raise InputError("缺少：" + "、".join([*(s.label_zh for s in missing), *out]),
                         "Missing: " + ", ".join([*(s.name for s in missing), *out]), code="input.missing")
    if args.out.suffix.lower() != ".gpkg":
        raise InputError("--out 应为 .gpkg 文件", "--out must be a .gpkg file", path=str(args.out),
                         code="output.suffix")
    values = given_values(alg, args)
    progress.report(0.0, "reading")
    inputs, problems = read_inputs(alg, args)
    alg.check_inputs(inputs)
    output = alg.run(values, inputs, progress.sub(0.05, 0.95))
    summary = dict(output.summary)
    if problems:
        summary["problems"] = [p.to_dict() for p in problems] + list(summary.get("problems", []))
    summary["parameters"] = values.to_json()
    summary["outputs"] = {"gpkg": str(args.out), "json": str(args.out.with_suffix(".json"))}
    progress.report(0.95, "writing")
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
    for alg in algorithms():
        add_algorithm_parser(run_sub, alg)
        if alg.cli_alias:
            add_algorithm_parser(sub, alg, alg.cli_alias)
            commands[alg.cli_alias] = run_from_args
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
        alias = f" (= lingtan {a.cli_alias})" if a.cli_alias else ""
        lines.append(f"{a.id}{alias}: {a.title_zh} / {a.title_en}")
        lines.append("  输入 inputs: " + ", ".join(f"{i.name}{'' if i.required else '?'}" for i in a.inputs))
        lines.append("  参数 parameters: " + ", ".join(p.name for p in a.params))
        lines.append("  结果图层 layers: " + ", ".join(a.outputs))
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK
