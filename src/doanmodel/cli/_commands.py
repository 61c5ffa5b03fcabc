"""The ``doanmodel`` commands census, plugins, new-plugin, test and synth (registered by
:func:`._cliparser.parser`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..exceptions import DatasetError, Problem
from ._cliargs import InputError
from ._shared import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_PLUGIN,
    _emit,
    _engine,
    _error,
    _load,
    _out,
    _problems,
)

__all__ = ["cmd_census", "cmd_new_plugin", "cmd_plugins", "cmd_synth", "cmd_test"]


def cmd_census(args: argparse.Namespace) -> int:
    from ..scoring._census import census  # noqa: PLC0415

    ds = _load(args.path, args.engine)
    result = census(ds, args.as_of)
    if args.xlsx:
        from ._xlsxcli import write_xlsx  # noqa: PLC0415

        write_xlsx(result, args)
    _emit(result, args)
    return EXIT_OK


def cmd_plugins(args: argparse.Namespace) -> int:
    engine = _engine(args)
    rows = [p.to_dict() for p in engine.plugins]
    if args.format == "json":
        _out(json.dumps({"plugins": rows}, ensure_ascii=False, indent=2))
        return _plugins_code(engine, args)
    from .._output.text import csv_text, table  # noqa: PLC0415

    en = args.lang == "en"
    headers = (["name", "version", "provinces", "dates", "contributes", "status"] if en else
               ["tên", "phiên bản", "tỉnh", "thời gian", "đóng góp", "trạng thái"])
    from ..model._labels import CONTRIBUTES, label  # noqa: PLC0415

    body = []
    for p, r in zip(engine.plugins, rows, strict=True):
        dates = f"{r['start'] or '…'} – {r['end'] or '…'}"
        contrib = "; ".join(f"{label(CONTRIBUTES, k, args.lang)}: "
                            f"{', '.join(v) if len(v) <= 3 else len(v)}"
                            for k, v in r["contributes"].items())
        # a failure in the run's language (its stderr line says where and which package)
        failure = p.failure
        status = ("ok" if en else "đã tải") if not r["error"] else r["error"] if failure is None \
            else f"{failure.error}: " + (failure.message if en else
                                          failure.message_vi or failure.message)
        where = ", ".join(r["provinces"]) or (("all" if en else "toàn quốc") if r["declared"]
                                              or r["builtin"] else
                                              ("unknown" if en else "không rõ"))
        body.append([r["name"], r["version"], where, dates, contrib, status])
    _out(csv_text(headers, body) if args.format == "csv" else table(headers, body))
    return _plugins_code(engine, args)


def _plugins_code(engine: Any, args: argparse.Namespace) -> int:
    """Exit 3, with one stderr line each, when an installed plugin failed or conflicts."""
    failed = [p for p in engine.plugins if p.failure is not None]
    for p in failed:
        sys.stderr.write(f"doanmodel: {p.failure.line(args.lang)}\n")
    return EXIT_PLUGIN if failed else EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    from ..dataset._synth import synth  # noqa: PLC0415
    from ..exceptions import UnknownProvinceError  # noqa: PLC0415

    try:
        counts = synth(args.out, scale=args.scale, seed=args.seed, year=args.year,
                       province=args.province)
    except UnknownProvinceError as exc:
        return _error(f"--province: {exc.message.get(args.lang)}", args)
    except (FileExistsError, ValueError) as exc:
        return _error(str(exc), args)
    if args.format == "json":
        _out(json.dumps({"out": args.out, "rows": counts}, ensure_ascii=False))
    elif args.format == "csv":
        from .._output.text import csv_text  # noqa: PLC0415

        _out(csv_text(["file", "rows"], [[k, v] for k, v in counts.items()]))
    else:
        rows = "dòng" if args.lang == "vi" else "rows"
        _out(f"{args.out}: " + ", ".join(f"{k} {n} {rows}" for k, n in counts.items()))
    return EXIT_OK


def cmd_new_plugin(args: argparse.Namespace) -> int:
    from ._template import new_plugin  # noqa: PLC0415

    try:
        root = new_plugin(args.out, name=args.name, province=args.province, title=args.title,
                          start=args.start.isoformat() if args.start else None,
                          end=args.end.isoformat() if args.end else None)
    except InputError as exc:
        return _error(exc.text.get(args.lang), args)
    except (FileExistsError, ValueError) as exc:
        return _error(str(exc), args)
    _out(f"{root}: " + ("plugin package written; next: pip install -e, pytest" if
                        args.lang == "en" else
                        "đã tạo gói plugin; tiếp theo: pip install -e, pytest"))
    return EXIT_OK


def cmd_test(args: argparse.Namespace) -> int:
    """Run declarative case files; exit 1 on a mismatch, 2 on a malformed case file."""
    from ..engine._cases import discover, load_cases, run_case  # noqa: PLC0415

    en = args.lang == "en"
    files = discover(args.paths)
    if not files:
        return _error("no case file (*.case.toml) found" if en else
                      "không tìm thấy tệp trường hợp (*.case.toml)", args)
    problems: list[Problem] = []
    cases = []
    for f in files:
        try:
            cases.extend(load_cases(f))
        except DatasetError as exc:
            problems.extend(exc.problems)
    if problems:
        return _problems(problems, args, None)
    results = [run_case(c) for c in cases]
    if args.format == "json":
        _out(json.dumps({"cases": [{"name": r.case.name, "file": r.case.file,
                                    "line": r.case.line, "ok": r.ok,
                                    "mismatches": list(r.mismatches)} for r in results]},
                        ensure_ascii=False, indent=2))
    else:
        for r in results:
            mark = ("ok  " if en else "đạt ") if r.ok else ("FAIL" if en else "SAI ")
            _out(f"{mark} {r.case.name} ({r.case.file}:{r.case.line})")
            for m in r.mismatches:
                _out(f"     - {m}")
        bad = sum(not r.ok for r in results)
        _out(f"{len(results) - bad} passed, {bad} failed" if en else
             f"{len(results) - bad} đạt, {bad} sai")
    return EXIT_FAILED if any(not r.ok for r in results) else EXIT_OK
