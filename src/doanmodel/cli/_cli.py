"""The ``doanmodel`` command line (contract §2)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from ..exceptions import BilingualError, DatasetError, DoanmodelError, PluginError, Problem
from ..model._i18n import Text
from ._argparser import argv_lang, only_lang
from ._cliargs import localise

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
    isolate = not getattr(args, "no_isolate", False)
    if args.no_plugins:
        return Engine(load_entry_points=False, plugin_timeout=timeout, backend=backend,
                      isolate=isolate)
    try:
        return Engine(only=args.plugin or None, plugin_timeout=timeout, backend=backend,
                      isolate=isolate)
    except BilingualError as exc:  # an unknown --plugin NAME: say which option
        if not args.plugin:
            raise
        raise BilingualError(Text(f"--plugin: {exc.text.vi}", f"--plugin: {exc.text.en}")) \
            from None


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
def parser(lang: str = "vi") -> Any:
    """The argument parser, speaking *lang* (:mod:`._cliparser`)."""
    from ._cliparser import parser as make  # noqa: PLC0415

    return make(lang)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    if argv is None:  # the program itself: a thread a plugin left running must not delay exit
        code = _main(sys.argv[1:])
        _exit_past_stray_threads(code)
        return code
    return _main(list(argv))


def _exit_past_stray_threads(code: int) -> None:
    """End the process now if a non-daemon thread (a plugin's) is still alive: Python would
    wait for it at exit (issue 23). Output is flushed first."""
    import threading  # noqa: PLC0415

    main_thread = threading.main_thread()
    if any(t is not main_thread and t.is_alive() and not t.daemon
           for t in threading.enumerate()):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # pragma: no cover
                pass
        os._exit(code)


def _main(argv: list[str]) -> int:
    lang = argv_lang(argv)  # argparse's own messages too are in the run's language
    if only_lang(argv):  # no command: the help, and exit 2 (docs/cli.md)
        parser(lang).print_help(sys.stderr)
        return EXIT_INPUT
    args = parser(lang).parse_args(argv)
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
    except PluginError as exc:
        return _error(str(exc), args, EXIT_PLUGIN)
    except DoanmodelError as exc:
        text = getattr(exc, "text", None)  # both languages, when the raiser gave them
        return _error(text.get(args.lang) if isinstance(text, Text) else
                      localise(str(exc), args.lang), args)
    except BrokenPipeError:  # pragma: no cover - `doanmodel … | head`
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - never a traceback for users
        if os.environ.get("DOANMODEL_DEBUG"):
            raise
        text = Text(f"lỗi nội bộ: {type(exc).__name__}: {exc} (đặt DOANMODEL_DEBUG=1 để xem "
                    "chi tiết, và xin báo lỗi này)",
                    f"internal error: {type(exc).__name__}: {exc} "
                    "(set DOANMODEL_DEBUG=1 for details, and please report it)")
        return _error(text.get(args.lang), args, 70)
