"""The ``doanmodel`` command line (contract §2): the entry point, :func:`main`.

The commands live in their own modules (:mod:`._core`, :mod:`._commands`, …), the helpers they
share in :mod:`._shared`; the parser that ties them together is :mod:`._cliparser`. No command
module imports this one.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from ..exceptions import DatasetError, DoanmodelError, PluginError
from ..model._i18n import Text
from ._argparser import argv_lang, only_lang
from ._cliargs import localise
from ._core import cmd_check, cmd_explain, cmd_score, cmd_validate
from ._shared import EXIT_FAILED, EXIT_INPUT, EXIT_OK, EXIT_PLUGIN, _error, _problems, _warn

__all__ = ["EXIT_FAILED", "EXIT_INPUT", "EXIT_OK", "EXIT_PLUGIN", "cmd_check", "cmd_explain",
           "cmd_score", "cmd_validate", "main", "parser"]


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
        return _problems(exc.problems, args, getattr(args, "path", None), exc.omitted)
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
