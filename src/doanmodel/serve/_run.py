"""
One request's work, done by the command line's own parser and command functions: the query
becomes the command's options (the same names, the same checks), the body a dataset path in a
private temporary folder, and the answer is the JSON the command prints with ``--format json``.
Errors map to HTTP as the CLI's exit codes do (docs/serve.md, "Status codes").
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import json
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs

from ..exceptions import DatasetError, DoanmodelError, PluginError
from ..model._i18n import Text
from ._body import BadBody, materialise, place, public
from ._capture import captured

__all__ = ["COMMANDS", "DENIED", "Answer", "Option", "options", "run", "run_plain"]

#: the commands a POST runs on a dataset, and the positional argument the URL gives
COMMANDS: dict[str, str | None] = {"validate": None, "check": None, "score": None,
                                   "explain": "unit_id", "sensitivity": None, "programme": None,
                                   "census": None, "rating": None}
#: positional arguments a request gives as a query parameter (``/programme?id=P1``)
QUERY_POSITIONALS: dict[str, str] = {"programme": "id"}
#: options a request may not give: the response is JSON in one language, and nothing is written
DENIED = frozenset({"help", "format", "lang", "xlsx", "html", "force", "quiet", "version"})
EXIT_FAILED, EXIT_INPUT, EXIT_PLUGIN = 1, 2, 3


@attrs.frozen
class Answer:
    """An HTTP status, the JSON text, and the exit code the CLI would have given."""

    status: int
    body: str
    exit_code: int


@attrs.frozen
class Option:
    """One command-line option a request may give as a query parameter."""

    name: str          # the query parameter: ``as_of`` for ``--as-of``
    flag: str          # the option: ``--as-of``
    kind: str          # ``flag`` (no value), ``multi`` (repeatable) or ``one``
    help: str
    choices: tuple[str, ...] = ()


def errors_json(message: str, column: str = "", line: int = 0, file: str = "") -> str:
    """The contract's error shape with one error."""
    return json.dumps({"errors": [{"file": file, "line": line, "column": column,
                                   "message": message}]}, ensure_ascii=False, indent=2)


@lru_cache(maxsize=2)
def _parser(lang: str) -> Any:
    from ..cli._cliparser import parser  # noqa: PLC0415

    return parser(lang)


def subcommand(name: str, lang: str = "en") -> argparse.ArgumentParser | None:
    """The CLI's parser of command *name*, or ``None`` when this doanmodel has no such command."""
    p = _parser(lang)
    for action in p._actions:  # noqa: SLF001 - argparse keeps its sub-parsers there
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            found: argparse.ArgumentParser | None = action.choices.get(name)
            return found
    return None


@lru_cache(maxsize=32)
def options(command: str, lang: str = "en") -> tuple[Option, ...]:
    """The query parameters of *command*: its CLI options but :data:`DENIED`."""
    sub = subcommand(command, lang)
    out: list[Option] = []
    for action in sub._actions if sub is not None else ():  # noqa: SLF001
        longs = [s for s in action.option_strings if s.startswith("--")]
        if not longs or action.dest in DENIED:
            continue
        kind = "flag" if action.nargs == 0 else "multi" if isinstance(
            action, argparse._AppendAction) else "one"  # noqa: SLF001
        help_text = getattr(action.help, "vi", None) if lang == "vi" else None
        out.append(Option(name=longs[0][2:].replace("-", "_"), flag=longs[0], kind=kind,
                          help=str(help_text or action.help or ""),
                          choices=tuple(str(c) for c in action.choices or ())))
    return tuple(out)


_TRUE, _FALSE = {"", "1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def query_argv(command: str, query: Sequence[tuple[str, str]], lang: str) -> list[str]:
    """
    The CLI options of *query* (pairs, repeated names kept), each as ``--option=value`` so a
    value can never be read as another option.

    Raises:
        BadBody: an unknown parameter, a flag that is not a boolean, a single one given twice.
    """
    known = {o.name: o for o in options(command, lang)}
    argv: list[str] = []
    seen: set[str] = set()
    for raw, value in query:
        name = raw.replace("-", "_")
        if name == "lang":
            continue
        option = known.get(name)
        if option is None:
            close = difflib.get_close_matches(name, known, n=1)
            hint = Text(f" (có phải ý bạn là {close[0]!r}?)", f" (did you mean {close[0]!r}?)") \
                if close else Text("", "")
            raise BadBody(Text(f"tham số không có: {raw!r}", f"unknown parameter: {raw!r}") +
                          hint + Text(f"; {command} nhận: {', '.join(known) or '(không)'}",
                                      f"; {command} takes: {', '.join(known) or '(none)'}"),
                          column=raw)
        if option.kind == "one" and name in seen:
            raise BadBody(Text(f"tham số {raw!r} chỉ được cho một lần",
                               f"parameter {raw!r} given more than once"), column=raw)
        seen.add(name)
        if option.kind == "flag":
            low = value.strip().lower()
            if low not in _TRUE | _FALSE:
                raise BadBody(Text(f"{raw}: cần true hoặc false, không phải {value!r}",
                                   f"{raw}: true or false, not {value!r}"), column=raw)
            if low in _TRUE:
                argv.append(option.flag)
        else:
            argv.append(f"{option.flag}={value}")
    return argv


def _positional(value: str, what: str) -> str:
    if not value or value.startswith("-"):
        raise BadBody(Text(f"{what}: không được trống hay bắt đầu bằng '-'",
                           f"{what}: may not be empty or start with '-'"), column=what)
    return value


def _argv_error(err: str, lang: str) -> str:
    """The message of argparse's ``PROG: error: message`` line (the usage line dropped)."""
    lines = [ln for ln in err.splitlines() if ln.strip()]
    last = lines[-1] if lines else ("tham số không hợp lệ" if lang == "vi" else "bad arguments")
    for word in (": lỗi: ", ": error: "):
        if word in last:
            return last.split(word, 1)[1]
    return last


_ACTIVE = [0]
_ACTIVE_LOCK = threading.Lock()


@contextlib.contextmanager
def _counted() -> Iterator[None]:
    """
    Count the commands running; when none is left, the cyclic garbage collector is on. The
    loader and the engine pause it around their work and restore what they found
    (``doanmodel/_gc.py``): right for one run in a process, but two threads can interleave so
    that the last one restores "off".
    """
    with _ACTIVE_LOCK:
        _ACTIVE[0] += 1
    try:
        yield
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE[0] -= 1
            if _ACTIVE[0] == 0:
                gc.enable()


def _call(argv: list[str], lang: str) -> tuple[int, str, str]:
    """Run the CLI command *argv* in this thread: (exit code, stdout, stderr)."""
    with _counted():
        return _call_counted(argv, lang)


def _call_counted(argv: list[str], lang: str) -> tuple[int, str, str]:
    from ..cli._cliargs import localise  # noqa: PLC0415
    from ..cli._shared import EXIT_INPUT as INPUT  # noqa: PLC0415
    from ..cli._shared import _error, _problems  # noqa: PLC0415

    with captured() as (out, err):
        try:
            args = _parser(lang).parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or INPUT), "", err.getvalue()
        try:
            code = int(args.fn(args))
        except DatasetError as exc:
            code = _problems(exc.problems, args, getattr(args, "path", None), exc.omitted)
        except PluginError as exc:
            code = _error(str(exc), args, EXIT_PLUGIN)
        except DoanmodelError as exc:
            text = getattr(exc, "text", None)
            code = _error(text.get(lang) if isinstance(text, Text) else localise(str(exc), lang),
                          args)
        return code, out.getvalue(), err.getvalue()


def _answer(code: int, out: str, err: str, lang: str, folder: str,
            places: dict[str, list[str]] | None = None) -> Answer:
    if not out.strip():  # argparse refused the options: its message is on stderr
        return Answer(400, errors_json(_argv_error(err, lang)), code)
    data = json.loads(out)
    errors = data.get("errors") if isinstance(data, dict) else None
    if code == EXIT_PLUGIN and not errors and isinstance(data, dict) and \
            "plugin_failures" not in data:  # explain, census: the CLI's stderr lines
        data["plugin_messages"] = [line.removeprefix("doanmodel: ") for line in err.splitlines()
                                   if line.startswith("doanmodel: ")]
        out = json.dumps(data, ensure_ascii=False, indent=2)
    if code in (0, EXIT_FAILED) or (code == EXIT_PLUGIN and not errors):
        return Answer(200, out if folder not in out else
                      json.dumps(public(data, folder), ensure_ascii=False, indent=2), code)
    for e in errors or ():
        e.pop("dataset", None)  # the private folder's path: the request is the dataset
        where = place(e, places) if places else None
        if where:  # a JSON body: where in it, beside the file and line the loader read
            e["path"] = where
    data = public(data, folder)
    dataset = code == EXIT_PLUGIN or any(e.get("file") for e in errors or ())
    return Answer(422 if dataset else 400, json.dumps(data, ensure_ascii=False, indent=2), code)


def _internal(exc: BaseException, lang: str, folder: str = "\x00") -> Answer:
    """A bug of doanmodel: 500 for the client, the traceback in the server's log."""
    traceback.print_exception(exc, file=sys.__stderr__)
    what = public(f"{type(exc).__name__}: {exc}", folder)
    text = Text(f"lỗi nội bộ: {what} (xin báo lỗi này)",
                f"internal error: {what} (please report it)")
    return Answer(500, errors_json(text.get(lang)), 70)


def run(command: str, body: bytes, kind: str, query: Sequence[tuple[str, str]], lang: str, *,
        max_body: int, positional: Mapping[str, str] | None = None) -> Answer:
    """
    Run the CLI *command* on the dataset of *body* with the options of *query*; the answer the
    CLI's ``--format json`` gives, as HTTP. Everything written goes to a private temporary
    folder, removed before returning.
    """
    folder = tempfile.mkdtemp(prefix="doanmodel-serve-")
    try:
        try:
            named = dict(positional or {})
            key = QUERY_POSITIONALS.get(command)
            given = [v for k, v in query if k == key]
            if len(given) > 1:
                raise BadBody(Text(f"tham số {key!r} chỉ được cho một lần",
                                   f"parameter {key!r} given more than once"), column=str(key))
            if given:
                named[str(key)] = given[0]
            opts = query_argv(command, [(k, v) for k, v in query if k != key], lang)
            extra = [_positional(v, k) for k, v in named.items()]
            path, places = materialise(body, kind, Path(folder), max_body)
        except BadBody as exc:
            return Answer(400, errors_json(exc.text.get(lang), exc.column, exc.line), EXIT_INPUT)
        except DatasetError as exc:
            return Answer(422, json.dumps({"errors": [p.to_dict(lang) for p in exc.problems]},
                                          ensure_ascii=False, indent=2), EXIT_INPUT)
        argv = [command, str(path), *extra, *opts, "--format=json", f"--lang={lang}", "--quiet"]
        code, out, err = _call(argv, lang)
        return _answer(code, out, err, lang, folder, places)
    except Exception as exc:  # noqa: BLE001 - an answer, never a dropped connection
        return _internal(exc, lang, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_plain(argv: list[str], lang: str, query: Sequence[tuple[str, str]] = (),
              not_found: bool = False) -> Answer:
    """A CLI command without a dataset (``plugins``, ``schema NAME``)."""
    try:
        try:
            opts = query_argv(argv[0], query, lang)
        except BadBody as exc:
            return Answer(400, errors_json(exc.text.get(lang), exc.column), EXIT_INPUT)
        code, out, err = _call([*argv, *opts, "--format=json", f"--lang={lang}"], lang)
        answer = _answer(code, out, err, lang, "\x00")
        if not_found and answer.status == 400:  # noqa: PLR2004
            return attrs.evolve(answer, status=404)
        return answer
    except Exception as exc:  # noqa: BLE001
        return _internal(exc, lang)


Builder = Callable[..., Any]
