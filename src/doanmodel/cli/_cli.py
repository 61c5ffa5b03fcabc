"""The ``doanmodel`` command line (contract §2)."""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import warnings
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from ..exceptions import DatasetError, DoanmodelError, PluginError, Problem
from . import _schema_cli as schema_cli
from ._cli_sensitivity import add_parser as add_sensitivity
from ._cliargs import InputError, VersionAction, localise, seed_arg, year_arg

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_PLUGIN = 0, 1, 2, 3


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _problems(problems: Sequence[Problem], args: argparse.Namespace, path: str | None) -> int:
    if args.format == "json":
        _out(json.dumps({"errors": [dict(p.to_dict(args.lang), dataset=path) for p in problems]},
                        ensure_ascii=False, indent=2))
    elif args.format == "csv":
        from .._render import csv_text  # noqa: PLC0415

        _out(csv_text(["file", "line", "column", "message"],
                      [[p.file, p.line, p.column, p.message.get(args.lang)] for p in problems]))
    else:
        base = os.path.dirname(path) if path and path.lower().endswith(".xlsx") else path
        for p in problems:
            file = os.path.join(base, p.file) if (base and p.line != 0) or (
                base and p.file and "/" not in p.file) else p.file
            if p.line == 0 and p.file == path:  # the dataset path itself: a sentence
                sys.stderr.write(f"doanmodel: {p.message.get(args.lang)}\n")
            else:
                sys.stderr.write(f"{file}:{p.line}: {p.column}: {p.message.get(args.lang)}\n")
        n = len(problems)
        sys.stderr.write(f"{n} problem(s); nothing was loaded.\n" if args.lang == "en" else
                          f"{n} lỗi; dữ liệu không được nạp.\n")
    return EXIT_INPUT


def _warn(caught: Sequence[warnings.WarningMessage], lang: str) -> None:
    """doanmodel's own warnings (e.g. an ignored tie-break key), once each, in *lang*."""
    seen: set[str] = set()
    for w in caught:
        text = getattr(w.message, "text", None)
        if text is None:
            continue
        line = text.get(lang)
        if line not in seen:
            seen.add(line)
            sys.stderr.write(f"doanmodel: {'warning' if lang == 'en' else 'cảnh báo'}: {line}\n")


def _error(message: str, args: argparse.Namespace, code: int = EXIT_INPUT) -> int:
    if getattr(args, "format", "table") == "json":
        _out(json.dumps({"errors": [{"file": "", "line": 0, "column": "", "message": message}]},
                        ensure_ascii=False))
    else:
        sys.stderr.write(f"doanmodel: {message}\n")
    return code


def _engine(args: argparse.Namespace) -> Any:
    from ..engine._engine import Engine  # noqa: PLC0415 - keep `doanmodel --help` fast

    timeout = getattr(args, "plugin_timeout", None)
    backend = getattr(args, "engine", None)
    if args.no_plugins:
        return Engine(load_entry_points=False, plugin_timeout=timeout, backend=backend)
    return Engine(only=args.plugin or None, plugin_timeout=timeout, backend=backend)


def _failures(result: Any, args: argparse.Namespace, code: int = EXIT_OK) -> int:
    """One stderr line per plugin failure of the run; exit 3 when there was any."""
    failures = getattr(result, "plugin_failures", ())
    for f in failures:
        sys.stderr.write(f"doanmodel: {f.line(args.lang)}\n")
        if f.traceback:
            sys.stderr.write(f.traceback)
    if failures:
        sys.stderr.write("doanmodel: what these plugins contributed was left out of the results; "
                         "exit code 3\n" if args.lang == "en" else
                         "doanmodel: phần đóng góp của các plugin này đã bị loại khỏi kết quả; "
                         "mã thoát 3\n")
        return EXIT_PLUGIN
    return code


def _load(path: str, engine: str | None = None) -> Any:
    if engine not in (None, "python") or path.partition("#")[0].endswith(".duckdb") or \
            any(os.path.isfile(os.path.join(path, f"{n}.parquet"))
                for n in ("members", "meetings", "visits")):
        from ..dataset._store import open_dataset  # noqa: PLC0415 - the DuckDB engine and store

        return open_dataset(path, engine)
    from ..dataset._loader import load_dataset  # noqa: PLC0415

    return load_dataset(path)


def _emit(obj: Any, args: argparse.Namespace, warnings: Sequence[Any] = ()) -> None:
    if args.format == "json":
        from ._clitext import json_with_warnings  # noqa: PLC0415

        _out(json_with_warnings(obj.to_json(args.lang, indent=2), warnings, args.lang))
    elif args.format == "csv":
        _out(obj.to_csv(args.lang))
    else:
        _out(obj.to_table(args.lang))


# ---------------------------------------------------------------------------- commands
def cmd_validate(args: argparse.Namespace) -> int:
    from ._paramcheck import parameter_problems  # noqa: PLC0415

    ds = _load(args.path, "python")
    engine = _engine(args)
    problems = [*engine.validate(ds),
                *parameter_problems(ds.meta.parameters, engine.registry.params, ds.path)]
    if problems:
        code = _problems(problems, args, args.path)
        return EXIT_PLUGIN if any(p.file.startswith("plugin:") for p in problems) else code
    summary = {"dataset": ds.meta.name, "units": len(ds.units), "cadres": len(ds.cadres),
               "positions": len(ds.positions), "visits": len(ds.visits),
               "meetings": len(ds.meetings), "members": len(ds.members),
               "clusters": len(ds.clusters), "programmes": len(ds.programmes), "errors": []}
    if args.format == "json":
        _out(json.dumps(summary, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        from .._render import csv_text  # noqa: PLC0415

        _out(csv_text(["table", "rows"], [[k, v] for k, v in summary.items()
                                          if isinstance(v, int)]))
    else:
        from ._clitext import counts_line  # noqa: PLC0415

        _out(counts_line(ds.meta.name, summary, args.lang))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ._clitext import check_inputs, json_with_warnings  # noqa: PLC0415

    ds = _load(args.path, args.engine)
    engine = _engine(args)
    warnings = check_inputs(args, engine, ds)
    report = engine.check(ds, args.year, period=args.period, rules=args.rule or None)
    if args.xlsx:
        from ._xlsxcli import write_xlsx  # noqa: PLC0415

        write_xlsx(report, args)
    if args.format == "table":
        _out(report.to_table(args.lang, only_failed=args.failed_only))
    elif args.format == "json":
        if warnings:
            _out(json_with_warnings(report.to_json(args.lang), warnings, args.lang))
        else:  # streamed: a national report holds hundreds of thousands of findings
            report.write_json(sys.stdout, args.lang)
    else:
        report.write_csv(sys.stdout, args.lang)
    return _failures(report, args, EXIT_FAILED if args.strict and report.failed else EXIT_OK)


def _pairs(items: Sequence[str] | None, what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items or ():
        if "=" not in item:
            msg = f"{what} must be NAME=VALUE, not {item!r}"
            raise DoanmodelError(msg)
        key, value = item.split("=", 1)
        try:
            out[key.strip()] = Decimal(value.strip())
        except InvalidOperation:
            low = value.strip().lower()
            out[key.strip()] = {"true": True, "false": False}.get(low, value.strip())
    return out


def cmd_score(args: argparse.Namespace) -> int:
    from ._clitext import score_inputs  # noqa: PLC0415

    ds = _load(args.path, args.engine)
    engine = _engine(args)
    params, weights, warnings = score_inputs(args, engine, ds)
    if params or weights:
        result = engine.what_if(ds, args.year, parameters=params, weights=weights,
                                criteria=args.criteria)
        if args.xlsx:
            from ._xlsxcli import write_xlsx  # noqa: PLC0415

            write_xlsx(result.after, args)
        if args.format == "table":
            _out(result.after.to_table(args.lang))
            _out(result.to_table(args.lang))
        else:
            _emit(result.after, args, warnings)
        return _failures(result.after, args)
    board = engine.score(ds, args.year, criteria=args.criteria, clusters=args.cluster or None)
    if args.xlsx:
        from ._xlsxcli import write_xlsx  # noqa: PLC0415

        write_xlsx(board, args)
    _emit(board, args, warnings)
    return _failures(board, args, EXIT_FAILED if args.strict and board.undecided else EXIT_OK)


def cmd_explain(args: argparse.Namespace) -> int:
    from ._clitext import explain_inputs, json_with_warnings  # noqa: PLC0415

    ds = _load(args.path, args.engine)
    engine = _engine(args)
    warnings = explain_inputs(args, engine, ds)
    board = engine.score(ds, args.year, criteria=args.criteria)
    explanation = board.explain(args.unit_id, args.lang)
    if args.format == "json":
        _out(json_with_warnings(json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2),
                                warnings, args.lang))
    elif args.format == "csv":
        from .._render import csv_text  # noqa: PLC0415

        s = explanation.standing
        _out(csv_text(["criterion", "group", "value", "target", "points", "max", "how", "source"],
                      [[c.id, c.group, c.value, c.target, c.points, c.max, c.how, c.source]
                       for c in s.criteria]))
    else:
        _out(str(explanation))
    return _failures(board, args)


# ---------------------------------------------------------------------------- parser
def _date(text: str) -> _dt.date:
    from ..model._dates import parse_date  # noqa: PLC0415

    try:
        return parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _period(text: str) -> Any:
    from ..model._dates import parse_period  # noqa: PLC0415

    try:
        return parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < 86_400:
        raise argparse.ArgumentTypeError(f"must be more than 0 and less than a day: {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser."""
    from ._commands import (  # noqa: PLC0415
        cmd_census,
        cmd_new_plugin,
        cmd_plugins,
        cmd_synth,
        cmd_test,
    )
    from ._xlsxcli import add_parser as add_xlsx_parsers  # noqa: PLC0415
    from ._xlsxcli import add_xlsx_options  # noqa: PLC0415

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--format", choices=["table", "json", "csv"], default="table")
    common.add_argument("--lang", choices=["vi", "en"], default="vi")
    common.add_argument("--no-plugins", action="store_true",
                        help="load no installed plugin (only the national rules)")
    common.add_argument("--plugin", action="append", metavar="NAME",
                        help="load only this installed plugin (repeatable)")
    common.add_argument("--plugin-timeout", type=_seconds, metavar="SECONDS",
                        help="give up on a plugin call after this long (its answer is "
                             "discarded and the plugin reported; exit 3)")
    common.add_argument("--quiet", action="store_true",
                        help="no progress on stderr (shown only when stderr is a terminal)")
    p = argparse.ArgumentParser(
        prog="doanmodel",
        description="Đoàn TNCS Hồ Chí Minh: kiểm tra quy định, chấm điểm cụm thi đua. "
                    "Check Youth Union rules and score emulation clusters.")
    p.add_argument("--version", action=VersionAction,
                   help="doanmodel, plugin API and plugin versions")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("validate", parents=[common], help="load and check the data only")
    s.add_argument("path")
    s.set_defaults(fn=cmd_validate)

    s = sub.add_parser("check", parents=[common], help="run the compliance rules")
    s.add_argument("path")
    s.add_argument("--year", type=year_arg)
    s.add_argument("--period", type=_period,
                   help="a period inside the year, e.g. 2023-Q2, for target pace")
    s.add_argument("--rule", action="append", metavar="ID")
    s.add_argument("--strict", action="store_true", help="exit 1 when a finding fails")
    s.add_argument("--failed-only", action="store_true", help="table: show failed findings only")
    add_xlsx_options(s)
    s.set_defaults(fn=cmd_check)

    s = sub.add_parser("score", parents=[common], help="score and rank the emulation clusters")
    s.add_argument("path")
    s.add_argument("--year", type=year_arg)
    s.add_argument("--cluster", action="append", metavar="ID")
    s.add_argument("--criteria", metavar="ID", help="a criteria set id (default: the dataset's)")
    s.add_argument("--set", action="append", metavar="PARAM=VALUE",
                   help="what-if: score with a changed parameter and list rank changes")
    s.add_argument("--weight", action="append", metavar="CRITERION=POINTS",
                   help="what-if: score with a changed criterion weight")
    s.add_argument("--xlsx", metavar="FILE", help="also write the board to an Excel workbook")
    add_xlsx_options(s, xlsx=False)
    s.add_argument("--strict", action="store_true",
                   help="exit 1 when a shared rank leaves an award undecided")
    s.set_defaults(fn=cmd_score)

    s = sub.add_parser("explain", parents=[common], help="one unit's score, with sources")
    s.add_argument("path")
    s.add_argument("unit_id")
    s.add_argument("--year", type=year_arg)
    s.add_argument("--criteria", metavar="ID")
    s.set_defaults(fn=cmd_explain)

    s = sub.add_parser("census", parents=[common], help="cadre statistics")
    s.add_argument("path")
    s.add_argument("--as-of", type=_date, metavar="DATE")
    add_xlsx_options(s)
    s.set_defaults(fn=cmd_census)

    from ._storecli import add_engine_option  # noqa: PLC0415
    from ._storecli import add_parser as add_store_parsers

    for name in ("check", "score", "explain", "census"):
        add_engine_option(sub.choices[name])
    add_store_parsers(sub, common)

    s = sub.add_parser("plugins", parents=[common], help="the loaded plugins")
    s.set_defaults(fn=cmd_plugins)

    s = sub.add_parser("new-plugin", parents=[common],
                       help="write a working province plugin package to start from")
    s.add_argument("out")
    s.add_argument("--name", required=True, help="entry-point name, e.g. travinh")
    s.add_argument("--province", required=True, help="province unit id or code, e.g. TV")
    s.add_argument("--title", help="e.g. 'Tỉnh đoàn Trà Vinh'")
    s.add_argument("--start", type=_date, metavar="DATE")
    s.add_argument("--end", type=_date, metavar="DATE",
                   help="e.g. 30/06/2025 for a merged province")
    s.set_defaults(fn=cmd_new_plugin)

    s = sub.add_parser("test", parents=[common],
                       help="run declarative test cases (*.case.toml files or folders)")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.set_defaults(fn=cmd_test)

    s = sub.add_parser("synth", parents=[common], help="write a synthetic dataset")
    s.add_argument("out")
    s.add_argument("--scale", choices=["tiny", "province", "region", "national"], default="tiny")
    s.add_argument("--province", metavar="CODE", help="province code, GSO code or name, on the "
                   "year's dates (e.g. TV or 84 before 2025, 86 or 'Vĩnh Long' after)")
    s.add_argument("--seed", type=seed_arg, default=1)
    s.add_argument("--year", type=year_arg, default=2024)
    s.set_defaults(fn=cmd_synth)

    from ._programme_cli import add_parser as add_programme  # noqa: PLC0415

    add_programme(sub, common)
    schema_cli.add_parser(sub, common)
    add_xlsx_parsers(sub, common)
    add_sensitivity(sub, common)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv:  # no command: the help, and exit 2 (docs/cli.md)
        parser().print_help(sys.stderr)
        return EXIT_INPUT
    args = parser().parse_args(argv)
    from ._progress import Progress  # noqa: PLC0415

    try:
        with warnings.catch_warnings(record=True) as caught, \
                Progress(f"doanmodel {args.command}", quiet=getattr(args, "quiet", False)):
            warnings.simplefilter("always")
            code = int(args.fn(args))
        _warn(caught, args.lang)
        return code
    except DatasetError as exc:
        return _problems(exc.problems, args, getattr(args, "path", None))
    except InputError as exc:
        return _error(exc.text.get(args.lang), args)
    except PluginError as exc:
        return _error(str(exc), args, EXIT_PLUGIN)
    except DoanmodelError as exc:
        return _error(localise(str(exc), args.lang), args)
    except BrokenPipeError:  # pragma: no cover - `doanmodel … | head`
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - never a traceback for users
        if os.environ.get("DOANMODEL_DEBUG"):
            raise
        return _error(f"internal error: {type(exc).__name__}: {exc} "
                      "(set DOANMODEL_DEBUG=1 for details, and please report it)", args, 70)
