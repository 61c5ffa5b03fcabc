"""
The command line's argument parser, in one language per run (docs/cli.md, "One language per
run"): Vietnamese by default, English with ``--lang en``.

argparse writes its usage line, its help headings and its errors in English. :func:`parser_class`
gives an :class:`argparse.ArgumentParser` subclass for one language; every parser of a run (the
main one, ``parents`` and sub-commands) is of that class, so nothing is patched in the standard
library and a library user who imports doanmodel sees argparse unchanged.

- Help texts are :class:`Help` strings (the English text, with ``.vi``); the formatter picks the
  run's language, and translates argparse's own ``usage:``, section headings and ``-h`` help.
- An option's own check raises :class:`OptionError` with a message in both languages; the parser
  prints the run's one (``argparse`` keeps the exception as the ``__context__`` of its
  ``ArgumentError``).
- argparse's own error messages are matched against its message templates (:data:`MESSAGES`)
  and printed in Vietnamese; a message no template matches (a newer Python's) becomes the
  generic ``tham số dòng lệnh không hợp lệ`` with the options and values it quotes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, NoReturn

from ..model._i18n import Text

__all__ = ["MESSAGES", "Help", "OptionError", "Parser", "argv_lang", "only_lang", "parser_class",
           "translate"]


def _lang_options(argv: Sequence[str]) -> list[tuple[str, int]]:
    """
    The value and the number of arguments of each ``--lang`` in *argv*: ``--lang en``,
    ``--lang=en``, or an abbreviation argparse accepts (``--la``, ``--lan``); none after ``--``.
    """
    out: list[tuple[str, int]] = []
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if len(name) >= 4 and "--lang".startswith(name):  # noqa: PLR2004 - "--la"
            if eq:
                out.append((value, 1))
            else:
                out.append((argv[i + 1], 2) if i + 1 < len(argv) else ("", 1))
    return out


def argv_lang(argv: Sequence[str]) -> str:
    """
    The run's language, read from *argv* before parsing: ``"en"`` when the last ``--lang`` says
    ``en``, else ``"vi"`` (Vietnamese also for a missing or wrong value, which argparse refuses).
    """
    options = _lang_options(argv)
    return "en" if options and options[-1][0] == "en" else "vi"


def only_lang(argv: Sequence[str]) -> bool:
    """True when *argv* holds nothing but ``--lang`` options (``doanmodel --lang en``)."""
    return sum(n for _, n in _lang_options(argv)) >= len(argv)


class Help(str):
    """A help text in both languages: the English text (this ``str``) and ``.vi``."""

    vi: str

    def __new__(cls, vi: str, en: str) -> Help:
        self = super().__new__(cls, en)
        self.vi = vi
        return self


class OptionError(argparse.ArgumentTypeError):
    """An option value refused by its argparse type, with the message in both languages."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text.en)


# ---------------------------------------------------------------------------- argparse's words
#: argparse's section headings and help lines, in Vietnamese
WORDS: dict[str, str] = {
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "optional arguments": "tùy chọn",  # Python < 3.10
    "show this help message and exit": "in trợ giúp này rồi thoát",
    "subcommands": "lệnh",
}

#: argparse's error templates (those of Python 3.11 – 3.13; ``%s``/``%r`` placeholders) and their
#: Vietnamese forms (``{0}``, ``{name}``: the text argparse put there, options and values as the
#: user typed them). The first template that matches the whole message wins (Python 3.14's
#: "maybe you meant" before the plain invalid choice).
MESSAGES: tuple[tuple[str, str], ...] = (
    ("the following arguments are required: %s", "thiếu tham số bắt buộc: {0}"),
    ("unrecognized arguments: %s", "tham số không dùng được ở đây: {0}"),
    ("invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)",
     "{value} không hợp lệ; có phải {closest}? (chọn một trong: {choices})"),
    ("invalid choice: %(value)r (choose from %(choices)s)",
     "{value} không hợp lệ (chọn một trong: {choices})"),
    ("unknown parser %(parser_name)r (choices: %(choices)s)",
     "không có lệnh {parser_name} (có: {choices})"),
    ("invalid int value: %(value)r", "{value} không phải số nguyên"),
    ("invalid float value: %(value)r", "{value} không phải một số"),
    ("invalid %(type)s value: %(value)r", "giá trị {value} không hợp lệ"),
    ("expected one argument", "cần một giá trị"),
    ("expected at most one argument", "cần nhiều nhất một giá trị"),
    ("expected at least one argument", "cần ít nhất một giá trị"),
    ("expected %s argument", "cần {0} giá trị"),
    ("expected %s arguments", "cần {0} giá trị"),
    ("not allowed with argument %s", "không dùng cùng được với {0}"),
    ("one of the arguments %s is required", "cần một trong các tham số {0}"),
    ("ignored explicit argument %r", "tùy chọn này không nhận giá trị ({0})"),
    ("ambiguous option: %(option)s could match %(matches)s",
     "tùy chọn {option} chưa rõ: có thể là {matches}"),
    ("unexpected option string: %s", "tùy chọn không đúng chỗ: {0}"),
    ("argument %(argument_name)s: %(message)s", "{argument_name}: {message}"),
)
GENERIC = "tham số dòng lệnh không hợp lệ"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]|%[sr]")
_QUOTED = re.compile(r"--?[\w-]+|'[^']*'")


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    last, n = 0, 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[last:m.start()]))
        name = m.group(1) or f"_{n}"
        n += m.group(1) is None
        parts.append(f"(?P<{name}>.*?)")  # the shortest: "argument --x: <message: with colons>"
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile("".join(parts), re.DOTALL)


_COMPILED = tuple((_pattern(en), vi) for en, vi in MESSAGES)


def translate(message: str, lang: str) -> str:
    """argparse's English *message* in *lang* (see :data:`MESSAGES`)."""
    if lang == "en":
        return message
    for pattern, vi in _COMPILED:
        m = pattern.fullmatch(message)
        if m:
            groups = m.groupdict()
            if "message" in groups:  # "argument X: <a message of its own>"
                groups["message"] = translate(groups["message"], lang)
            positional = [groups.pop(f"_{i}") for i in range(sum(k[0] == "_" for k in groups))]
            return vi.format(*positional, **groups)
    quoted = " ".join(_QUOTED.findall(message))
    return f"{GENERIC}: {quoted}" if quoted else GENERIC


# ---------------------------------------------------------------------------- help
class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, in the class's language."""

    lang: ClassVar[str] = "en"

    def _pick(self, text: str) -> str:
        if self.lang == "en":
            return str(text)
        return text.vi if isinstance(text, Help) else WORDS.get(text, text)

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[Any], prefix: str | None = None) -> None:
        if prefix is None and self.lang == "vi":
            prefix = "cách dùng: "
        super().add_usage(usage, actions, groups, prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(heading if heading is None else self._pick(heading))

    def add_text(self, text: str | None) -> None:
        super().add_text(text if text is None else self._pick(text))

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return action.help if action.help is None else self._pick(action.help)


class _ViFormatter(_Formatter):
    lang = "vi"


# ---------------------------------------------------------------------------- parser
class Parser(argparse.ArgumentParser):
    """An argument parser that speaks one language (:attr:`lang`); see the module's text."""

    lang: ClassVar[str] = "vi"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _ViFormatter if self.lang == "vi" else _Formatter)
        kwargs.setdefault("exit_on_error", False)  # ArgumentErrors reach parse_known_args
        super().__init__(*args, **kwargs)

    def parse_known_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                         namespace: argparse.Namespace | None = None
                         ) -> tuple[argparse.Namespace, list[str]]:
        try:
            found, rest = super().parse_known_args(args, namespace)
        except argparse.ArgumentError as err:
            self.fail(self._argument_error(err))
        assert found is not None  # noqa: S101 - typeshed allows None on some versions
        return found, rest

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        found, rest = self.parse_known_args(args, namespace)
        command = self._command_parser(found)
        if rest:  # refused by the command's own parser, with its usage and a did-you-mean
            command.fail(command.unrecognised(rest))
        formats = getattr(found, "formats", None)
        if formats is not None and getattr(found, "format", None) not in formats:
            command.fail(Text(
                f"--format {found.format}: lệnh này không có dạng đó (có: {', '.join(formats)})",
                f"--format {found.format}: this command has no such output (it has: "
                f"{', '.join(formats)})").get(self.lang))
        return found

    def _command_parser(self, found: argparse.Namespace) -> Parser:
        """The sub-command's parser that parsed *found* (this one when there is none)."""
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
                chosen = action.choices.get(getattr(found, action.dest, None) or "")
                if isinstance(chosen, Parser):
                    return chosen._command_parser(found)  # noqa: SLF001
        return self

    def unrecognised(self, rest: Sequence[str]) -> str:
        """``unrecognized arguments: --wieght x`` in the parser's language, with the option
        each mistyped one is closest to."""
        import difflib  # noqa: PLC0415

        options = [o for a in self._actions for o in a.option_strings if o.startswith("--")]
        near = []
        for arg in rest:
            name = arg.partition("=")[0]
            if name.startswith("-"):
                near += difflib.get_close_matches(name, options, n=1, cutoff=0.6)
        message = translate(f"unrecognized arguments: {' '.join(rest)}", self.lang)
        if near:
            said = ", ".join(dict.fromkeys(near))
            message += f" (có phải {said}?)" if self.lang == "vi" else f" (did you mean {said}?)"
        return message

    def _argument_error(self, err: argparse.ArgumentError) -> str:
        own = err.__context__
        message = own.text.get(self.lang) if isinstance(own, OptionError) else \
            translate(err.message, self.lang)
        if err.argument_name is None:
            return message
        if self.lang == "vi":
            return f"{err.argument_name}: {message}"
        return f"argument {err.argument_name}: {message}"

    def error(self, message: str) -> NoReturn:
        """argparse's English *message*, in the parser's language; exit 2."""
        self.fail(translate(message, self.lang))

    def fail(self, message: str) -> NoReturn:
        """The usage line and ``PROG: lỗi: message`` (``error:`` in English) on stderr; exit 2."""
        self.print_usage(sys.stderr)
        word = "lỗi" if self.lang == "vi" else "error"
        self.exit(2, f"{self.prog}: {word}: {message}\n")


class EnglishParser(Parser):
    """:class:`Parser` in English."""

    lang = "en"


def parser_class(lang: str) -> type[Parser]:
    """The parser class for *lang* (``"vi"`` or ``"en"``)."""
    return EnglishParser if lang == "en" else Parser
