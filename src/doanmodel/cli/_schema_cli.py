"""``doanmodel schema NAME``: print one of the JSON Schemas doanmodel ships."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from typing import Any

from ..model._i18n import Text
from ._argparser import Help

__all__ = ["add_parser", "cmd_schema"]

EXIT_OK, EXIT_INPUT = 0, 2

_UNKNOWN = Text("không có lược đồ {name!r}{hint}; có: {known}",
                "no schema {name!r}{hint}; known: {known}")
_HINT = Text(" (có phải ý bạn là {guess!r}?)", " (did you mean {guess!r}?)")
_MISSING = Text("cần tên lược đồ, hoặc --list", "give a schema name, or --list")


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _fail(message: str, args: argparse.Namespace) -> int:
    if args.format == "json":
        _write(json.dumps({"errors": [{"file": "", "line": 0, "column": "schema",
                                       "message": message}]}, ensure_ascii=False))
    else:
        sys.stderr.write(f"doanmodel: {message}\n")
    return EXIT_INPUT


def _listing(args: argparse.Namespace) -> int:
    from .._schemas import NAMES, json_schema  # noqa: PLC0415

    rows = [(n, json_schema(n, args.lang)["title"]) for n in NAMES]
    if args.format == "json":
        _write(json.dumps({"schemas": [{"name": n, "title": t} for n, t in rows]},
                          ensure_ascii=False, indent=2))
    elif args.format == "csv":
        from .._output.text import csv_text  # noqa: PLC0415

        _write(csv_text(["name", "title"], [list(r) for r in rows]))
    else:
        width = max(len(n) for n, _ in rows)
        _write("\n".join(f"{n.ljust(width)}  {t}" for n, t in rows))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the schema *args.name* (JSON, whatever ``--format``), or list them."""
    from .._schemas import NAMES, json_schema  # noqa: PLC0415

    if args.list:
        return _listing(args)
    if not args.name:
        return _fail(_MISSING.get(args.lang), args)
    name = args.name.removesuffix(".toml").removesuffix(".json").lower()
    if name not in NAMES:
        close = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.5)
        hint = _HINT.format(guess=close[0]) if close else Text("", "")
        return _fail(_UNKNOWN.format(name=args.name, hint=hint.get(args.lang),
                                     known=", ".join(NAMES)).get(args.lang), args)
    _write(json.dumps(json_schema(name, args.lang), ensure_ascii=False, indent=2))
    return EXIT_OK


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    """Register ``schema`` on the command line's subparsers."""
    s = sub.add_parser("schema", parents=[common],
                       help=Help("in JSON Schema của một tệp dữ liệu hoặc một đầu ra JSON",
                                 "print the JSON Schema of a dataset file or a JSON output"))
    s.add_argument("name", nargs="?", metavar="NAME",
                   help=Help("dataset, clusters, criteria, programmes (tệp TOML); validate, "
                             "check, score, explain, census, programme, plugins, synth, errors "
                             "(đầu ra JSON)",
                             "dataset, clusters, criteria, programmes (TOML files); validate, "
                             "check, score, explain, census, programme, plugins, synth, errors "
                             "(JSON outputs)"))
    s.add_argument("--list", action="store_true",
                   help=Help("liệt kê các schema", "list the schemas"))
    s.set_defaults(fn=cmd_schema)
