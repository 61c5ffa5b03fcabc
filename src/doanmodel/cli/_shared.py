"""What every command module of the ``doanmodel`` command line shares: the exit codes, loading
a dataset, building the engine, writing a result, and reporting problems and plugin faults.

Imported by the command modules and by the entry point (:mod:`._cli`); it imports neither.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from ..exceptions import BilingualError, Problem
from ..model._i18n import Text

__all__ = ["EXIT_FAILED", "EXIT_INPUT", "EXIT_OK", "EXIT_PLUGIN", "_emit", "_engine", "_error",
           "_failures", "_load", "_out", "_problems", "_warn"]

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_PLUGIN = 0, 1, 2, 3


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


#: problem lines printed (text form); the rest are counted in one line
MAX_PRINTED = 100


def _problems(problems: Sequence[Problem], args: argparse.Namespace, path: str | None,
              omitted: int = 0) -> int:
    """Print *problems* (every input's: the one place they are printed) and return exit 2.

    The text form prints the first :data:`MAX_PRINTED` and ``… and N more``; JSON and CSV
    hold every problem kept (a loading keeps the first 10,000), JSON with ``omitted`` when
    more were found."""
    total = len(problems) + omitted
    if args.format == "json":
        body: dict[str, Any] = {"errors": [dict(p.to_dict(args.lang), dataset=path)
                                           for p in problems]}
        if omitted:
            body["omitted"] = omitted
        _out(json.dumps(body, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        from .._output.text import csv_text  # noqa: PLC0415

        _out(csv_text(["file", "line", "column", "message"],
                      [[p.file, p.line, p.column, p.message.get(args.lang)] for p in problems]))
    else:
        base = os.path.dirname(path) if path and path.lower().endswith(".xlsx") else path
        for p in problems[:MAX_PRINTED]:
            file = os.path.join(base, p.file) if (base and p.line != 0) or (
                base and p.file and "/" not in p.file) else p.file
            if p.line == 0 and p.file == path:  # the dataset path itself: a sentence
                sys.stderr.write(f"doanmodel: {p.message.get(args.lang)}\n")
            else:
                sys.stderr.write(f"{file}:{p.line}: {p.column}: {p.message.get(args.lang)}\n")
        more = total - min(len(problems), MAX_PRINTED)
        if more > 0:
            sys.stderr.write(f"… and {more:,} more\n" if args.lang == "en" else
                             f"… và {more:,} lỗi khác\n".replace(",", "."))
        sys.stderr.write(f"{total:,} problem(s); nothing was loaded.\n" if args.lang == "en"
                         else f"{total:,} lỗi; dữ liệu không được nạp.\n".replace(",", "."))
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
        from ..query._store import open_dataset  # noqa: PLC0415 - the DuckDB engine and store

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
