"""The ``doanmodel`` commands validate, check, score and explain (registered by
:func:`._cliparser.parser`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from ..exceptions import DoanmodelError
from ._shared import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PLUGIN,
    _emit,
    _engine,
    _failures,
    _load,
    _out,
    _problems,
)

__all__ = ["cmd_check", "cmd_explain", "cmd_score", "cmd_validate"]


def cmd_validate(args: argparse.Namespace) -> int:
    from ._paramcheck import parameter_problems  # noqa: PLC0415

    ds = _load(args.path, "python")
    engine = _engine(args)
    problems = [*engine.validate(ds),
                *parameter_problems(ds.meta.parameters, engine.registry.params, ds.path)]
    if problems:
        code = _problems(problems, args, args.path)
        return EXIT_PLUGIN if any(p.file.startswith("plugin:") for p in problems) else code
    from ._clitext import table_counts  # noqa: PLC0415

    summary = {"dataset": ds.meta.name, **table_counts(ds), "errors": [],
               "absent_tables": sorted(ds.absent_tables)}
    if ds.load_warnings:  # a sheet that looks renamed: its table counts as not reported
        from ._cliargs import warn  # noqa: PLC0415

        warn(ds.load_warnings, args.lang)
    if args.format == "json":
        _out(json.dumps(summary, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        from .._output.text import csv_text  # noqa: PLC0415

        _out(csv_text(["table", "rows"], [[k, v] for k, v in summary.items()
                                          if isinstance(v, int)]))
    else:
        from ._clitext import counts_line  # noqa: PLC0415

        _out(counts_line(ds.meta.name, summary, args.lang))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ._cliargs import warn  # noqa: PLC0415
    from ._clitext import check_inputs, json_with_warnings, result_warnings  # noqa: PLC0415

    ds = _load(args.path, args.engine)
    engine = _engine(args)
    warnings = check_inputs(args, engine, ds)
    report = engine.check(ds, args.year, period=args.period, rules=args.rule or None,
                          parameters=getattr(args, "parameters", None) or None)
    after = result_warnings(report)  # absent tables, extended values: stderr, and in JSON
    warn(after, args.lang)
    warnings = [*warnings, *after]
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
    # --strict: a fail, or a rule with no data (docs/cli.md, "Exit codes")
    strict_hit = bool(report.failed or report.no_data)
    return _failures(report, args, EXIT_FAILED if args.strict and strict_hit else EXIT_OK)


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
        from .._output.text import csv_text  # noqa: PLC0415

        s = explanation.standing
        _out(csv_text(["criterion", "group", "value", "target", "points", "max", "how", "source"],
                      [[c.id, c.group, c.value, c.target, c.points, c.max, c.how, c.source]
                       for c in s.criteria]))
    else:
        _out(str(explanation))
    return _failures(board, args)
