"""
One language per run (issue 15): every command, on the examples, in both languages, prints no
word of the other language's catalogue.

The catalogue is every :class:`~doanmodel.model._i18n.Text` the package defines at module level (in
dicts, tuples and enum labels) plus the rule titles and finding status labels. A word counts as
"Vietnamese only" when it occurs in some ``Text.vi`` and in no ``Text.en`` (and the other way
round). Data is not translated: every string found in the dataset's own files (unit, cadre and
cluster names, criteria titles and sources, education values …) and the documents rules cite is
removed from the output before the check, except award titles, which have ``title_en``.
"""

from __future__ import annotations

import csv
import importlib
import pkgutil
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main
from doanmodel.dataset._csvio import FILES, tomllib
from doanmodel.model._i18n import Text

#: words both languages use, or names: proper names are data, not language
ALLOW = {
    # identifiers shown as they are in both languages (ids, file names, units of measure)
    "csv", "toml", "json", "id", "ok", "pip", "pytest", "doanmodel", "plugin", "dataset",
    # Vietnamese proper names that English text keeps (places, the Union's name, documents)
    "hồ", "chí", "minh", "tncs", "đoàn", "việt", "nam", "trà", "vinh", "tiền", "giang", "đà",
    "nẵng", "bà", "rịa", "vũng", "tàu", "quảng", "trị", "ngãi", "huế",
    "bch", "btv", "trung", "ương",
}
WORD = re.compile(r"[^\W\d_]{3,}")


def _texts(value: object, depth: int = 0) -> Iterator[Text]:
    if isinstance(value, Text):
        yield value
    elif depth < 3 and isinstance(value, dict):
        for v in value.values():
            yield from _texts(v, depth + 1)
    elif depth < 3 and isinstance(value, (tuple, list)):
        for v in value:
            yield from _texts(v, depth + 1)


def catalogue() -> list[Text]:
    """Every Text defined at module level in doanmodel, enum labels, rule titles, statuses."""
    out: list[Text] = []
    for info in pkgutil.walk_packages(dm.__path__, "doanmodel."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            out.extend(_texts(value))
    from doanmodel.model import _enums  # noqa: PLC0415

    for name in _enums.__all__:
        out.extend(member.label for member in getattr(_enums, name))
    engine = dm.Engine()
    out.extend(r.title for r in engine.rules())
    from doanmodel.rules._context import Status  # noqa: PLC0415

    out.extend(s.label for s in Status)
    return out


def _words(texts: list[str]) -> set[str]:
    return {w.casefold() for t in texts for w in WORD.findall(t)}


@pytest.fixture(name="other_words", scope="module")
def _other_words() -> dict[str, set[str]]:
    """lang → the words of the other language's catalogue that this language must not show."""
    texts = catalogue()
    # table and sheet names (units, cadres …) are identifiers a Vietnamese text may quote: they
    # do not make an English word Vietnamese
    tables = {name.split(".")[0] for name in FILES}
    vi, en = _words([t.vi for t in texts]) - tables, _words([t.en for t in texts])
    return {"vi": en - vi - ALLOW, "en": vi - en - ALLOW}


def data_strings(path: Path, lang: str) -> list[str]:
    """Every string in the dataset's files and in the rules' and criteria sets' citations."""
    out: set[str] = set()
    for file in path.iterdir():
        if file.suffix == ".csv":
            with file.open(encoding="utf-8-sig", newline="", errors="replace") as fh:
                for row in csv.reader(fh):
                    out.update(c.strip() for c in row)
        elif file.suffix == ".toml":
            text = file.read_text(encoding="utf-8-sig", errors="replace")
            try:
                out.update(_strings(tomllib.loads(text), lang))
            except tomllib.TOMLDecodeError:  # a broken file of the bad corpus: all of it is data
                out.update(line.strip() for line in text.splitlines())
    # the format's own vocabulary (enum values a user types in a file) is data in both languages
    for name in ("Level", "Sector", "Role", "AbsenceReason", "VisitPurpose", "MeetingKind",
                 "TopicResult", "Addressee", "RecommendationStatus"):
        out.update(m.value for m in getattr(dm, name))
    engine = dm.Engine()
    out.update(r.source for r in engine.rules())
    out.update(p.source for p in engine.registry.params)
    for cs in engine.criteria_sets():
        out.update([cs.title, cs.source])
        for c in cs.criteria:
            out.update(s for s in (c.title, c.group, c.source) if s)
    for p in engine.plugins:
        out.add(p.name)  # a plugin's name is an identifier ("national" included)
        out.update(p.to_dict()["provinces"])
        out.update(i for ids in p.to_dict()["contributes"].values() for i in ids)
    # identifiers users type (--rule, --weight, --set) are shown as they are, beside a title
    out.update(r.id for r in engine.rules())
    out.update(p.name for p in engine.registry.params)
    out.update(FILES)  # file names
    from doanmodel.model import _enums  # noqa: PLC0415 - the values a CSV cell may take

    out.update(m.value for name in _enums.__all__ for m in getattr(_enums, name))
    return sorted((s for s in out if len(s) >= 2), key=len, reverse=True)


def strip_data(text: str, data: list[str]) -> str:
    """*text* without the data: whole strings first, then any word of a data string (a long
    title wrapped over two lines no longer matches as a whole)."""
    text = re.sub(r"--[\w-]+|\bUNIT_ID\b", " ", text)  # option names are identifiers
    for s in data:
        text = text.replace(s, " ")
    words = {w.casefold() for s in data for w in WORD.findall(s)}
    return " ".join(w for w in WORD.findall(text) if w.casefold() not in words)


def _strings(value: object, lang: str, key: str = "") -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k  # keys name what a problem is about (e.g. parameters.visits.min_days)
            if k == "award" and lang == "en":  # award names must be translated
                continue
            yield from _strings(v, lang, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, lang, key)


EXAMPLE_COMMANDS = [
    ("validate", "tra-vinh-2019"), ("validate", "cum-thi-dua-2023"),
    ("check", "tra-vinh-2019"), ("check", "tien-giang-2024"), ("check", "kiem-tra-2023"),
    ("check", "cum-thi-dua-2023"), ("check", "can-bo-2021"),
    ("score", "cum-thi-dua-2023"), ("explain", "cum-thi-dua-2023", "H01"),
    ("explain", "cum-thi-dua-2023", "K01"),
    ("census", "can-bo-2021"), ("census", "tra-vinh-2019"),
    ("score", "cum-thi-dua-2023", "--weight", "xay-dung-doan.ket-nap=40"),
]


def leaks(capsys, args: list[str], lang: str, data: list[str],
          other_words: dict[str, set[str]]) -> set[str]:
    code = main([*args, "--lang", lang])
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    rest = strip_data(captured.out + captured.err, data)
    return {w for w in WORD.findall(rest) if w.casefold() in other_words[lang]}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("command", EXAMPLE_COMMANDS, ids=" ".join)
def test_example_commands_speak_one_language(capsys, other_words, lang, command):
    """validate, check, score, explain and census print no word of the other language."""
    name, example, *rest = command
    path = EXAMPLES / example
    found = leaks(capsys, [name, str(path), *rest], lang, data_strings(path, lang), other_words)
    assert not found, f"{lang} output of {' '.join(command)} has {sorted(found)}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plugins_synth_and_new_plugin_speak_one_language(capsys, tmp_path, other_words, lang):
    """plugins, synth and new-plugin print no word of the other language."""
    data = data_strings(EXAMPLES / "tra-vinh-2019", lang)
    data += [str(tmp_path)]
    for args in (["plugins"], ["synth", str(tmp_path / "s")],
                 ["new-plugin", str(tmp_path / "p"), "--name", "p", "--province", "TV"]):
        found = leaks(capsys, args, lang, data, other_words)
        assert not found, f"{lang} output of {args[0]} has {sorted(found)}"


def test_catalogue_is_big_enough(other_words):
    """The word lists are built from the real catalogue (so the test above can fail)."""
    assert len(other_words["vi"]) > 100 and len(other_words["en"]) > 100
    assert "units" in other_words["vi"] and "unknown" in other_words["vi"]
    assert "đơn" in other_words["en"] or "thưởng" in other_words["en"]


def test_a_leak_is_caught(capsys, other_words):
    """The check finds an English word printed in a Vietnamese run."""
    sys.stdout.write("Hợp lệ: 87 units, 14 cadres\n")
    assert {"units", "cadres"} <= leaks(capsys, ["plugins"], "vi", [], other_words)


BAD = Path(__file__).resolve().parent / "data" / "bad"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_error_messages_speak_one_language(capsys, other_words, lang):
    """The problems of every broken dataset of the bad corpus are in the run's language."""
    found: dict[str, set[str]] = {}
    for case in sorted(p for p in BAD.iterdir() if p.is_dir()):
        code = main(["validate", str(case), "--lang", lang, "--no-plugins"])
        captured = capsys.readouterr()
        assert code == 2
        rest = strip_data(captured.out + captured.err, data_strings(case, lang) + [str(case)])
        words = {w for w in WORD.findall(rest) if w.casefold() in other_words[lang]}
        if words:
            found[case.name] = words
    assert not found


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("args", [
    ("score", "tra-vinh-2019"), ("explain", "tra-vinh-2019", "TV"),
    ("score", "cum-thi-dua-2023", "--criteria", "nope"),
    ("check", "tra-vinh-2019", "--rule", "nope"),
    ("score", "cum-thi-dua-2023", "--set", "nope=1"),
], ids=" ".join)
def test_usage_errors_speak_one_language(capsys, other_words, lang, args):
    """Errors about ids and missing criteria sets are in the run's language too."""
    name, example, *rest = args
    code = main([name, str(EXAMPLES / example), *rest, "--lang", lang])
    captured = capsys.readouterr()
    assert code == 2 and captured.err
    rest_text = strip_data(captured.err, data_strings(EXAMPLES / example, lang)
                           + [str(EXAMPLES / example)])
    found = {w for w in WORD.findall(rest_text) if w.casefold() in other_words[lang]}
    assert not found, captured.err


class TestIssueLeaks:
    """The leaks issue 15 lists, each checked by what the user sees."""

    def test_validate_counts(self, capsys):
        """Vietnamese validate says '87 đơn vị, 14 cán bộ', not '87 units, 14 cadres'."""
        assert main(["validate", str(EXAMPLES / "tra-vinh-2019")]) == 0
        out = capsys.readouterr().out
        assert "87 đơn vị, 14 cán bộ" in out and "units" not in out

    def test_subject_column(self, capsys):
        """check's subject column is 'cán bộ'/'đơn vị' in Vietnamese."""
        assert main(["check", str(EXAMPLES / "cum-thi-dua-2023")]) == 0
        lines = capsys.readouterr().out.splitlines()
        subjects = {line.split("  ")[0] for line in lines if line.startswith(("cán bộ", "đơn vị",
                                                                             "cadre", "unit"))}
        assert subjects == {"cán bộ", "đơn vị"}

    def test_census_unknown(self, capsys):
        """census says 'không rõ: 143', not 'unknown: 143'."""
        assert main(["census", str(EXAMPLES / "can-bo-2021")]) == 0
        out = capsys.readouterr().out
        assert "không rõ: 143" in out and "unknown" not in out
        assert main(["census", str(EXAMPLES / "can-bo-2021"), "--lang", "en"]) == 0
        assert "unknown: 143" in capsys.readouterr().out


# ---------------------------------------------------------------------------- argparse's own text
def _parser_identifiers(lang: str) -> list[str]:
    """Command names, option names, choices and metavars of the parser: names, not language."""
    from doanmodel._schemas import NAMES  # noqa: PLC0415
    from doanmodel.cli._cliparser import parser  # noqa: PLC0415

    out: set[str] = set(NAMES)
    todo = [parser(lang)]
    while todo:
        p = todo.pop()
        for action in p._actions:
            out.update(action.option_strings)
            out.update(str(c) for c in action.choices or ())
            if isinstance(action.choices, dict):  # sub-commands
                todo.extend(action.choices.values())
            metavar = action.metavar
            out.update(metavar if isinstance(metavar, tuple) else [metavar or action.dest.upper()])
    return sorted((s for s in out if s and len(s) >= 2), key=len, reverse=True)


def _argparse_words() -> dict[str, set[str]]:
    """lang → the words of argparse's messages in the other language (and their translation)."""
    from doanmodel.cli._argparser import MESSAGES, WORDS  # noqa: PLC0415

    en = _words([e for e, _ in MESSAGES] + list(WORDS) + ["usage", "error"])
    vi = _words([v for _, v in MESSAGES] + list(WORDS.values()) + ["cách dùng", "lỗi"])
    return {"vi": en - vi - ALLOW, "en": vi - en - ALLOW}


def _foreign(text: str, lang: str, data: list[str], other_words: dict[str, set[str]]) -> set[str]:
    rest = strip_data(text, data)
    words = other_words[lang] | _argparse_words()[lang]
    return {w for w in WORD.findall(rest) if w.casefold() in words}


TRA_VINH = str(EXAMPLES / "tra-vinh-2019")
CTD = str(EXAMPLES / "cum-thi-dua-2023")
#: (argv, the option or argument the error must name)
USAGE_ERRORS = [
    (["check"], "PATH"),  # a missing positional
    (["chek", TRA_VINH], "'chek'"),  # an unknown command
    (["check", TRA_VINH, "--bogus"], "--bogus"),  # an unknown option
    (["check", TRA_VINH, "--year", "abc"], "--year"),  # a bad value (own check)
    (["check", TRA_VINH, "--year", "1800"], "--year"),
    (["check", TRA_VINH, "--format", "xml"], "--format"),  # a bad choice
    (["check", TRA_VINH, "--lang"], "--lang"),  # a missing value
    (["check", TRA_VINH, "--year"], "--year"),
    (["check", TRA_VINH, "--period", "2019-Q5"], "--period"),
    (["check", TRA_VINH, "--plugin-timeout", "-1"], "--plugin-timeout"),
    (["check", TRA_VINH, "--plugin-timeout", "x"], "--plugin-timeout"),
    (["check", TRA_VINH, "--strict=yes"], "--strict"),  # a flag given a value
    (["check", TRA_VINH, "--p", "x"], "--p"),  # an ambiguous abbreviation
    (["census", TRA_VINH, "--as-of", "31/02/2021"], "--as-of"),
    (["new-plugin", "out"], "--name"),  # missing required options
    (["test"], "PATH"),  # nargs="+"
    (["synth", "out", "--seed", "x"], "--seed"),
    (["sensitivity", CTD, "--seed", "x"], "--seed"),  # type=int
    (["sensitivity", CTD, "--draws", "0"], "--draws"),
    (["sensitivity", CTD, "--value-spread", "x"], "--value-spread"),
    (["sensitivity", CTD, "--dirichlet", "2", "--weights-spread", "0.1"], "--dirichlet"),
    (["explain", CTD], "UNIT_ID"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("argv", "name"), USAGE_ERRORS, ids=[" ".join(a[0]).replace(
    str(EXAMPLES) + "/", "") for a in USAGE_ERRORS])
def test_usage_errors_of_argparse_speak_one_language(capsys, other_words, lang, argv, name):
    """argparse's errors (missing path, unknown command or option, bad value or choice, missing
    value …): exit 2, the usage and one error line naming the option, in the run's language."""
    lang_args = ["--lang=en"] if lang == "en" else []
    with pytest.raises(SystemExit) as info:
        main([*argv, *lang_args])
    captured = capsys.readouterr()
    err = captured.err
    assert info.value.code == 2 and captured.out == ""
    assert name in err and "Traceback" not in err
    usage, *_, last = err.strip().splitlines()
    assert usage.startswith("usage: doanmodel" if lang == "en" else "cách dùng: doanmodel")
    assert (": error: " if lang == "en" else ": lỗi: ") in last
    data = _parser_identifiers(lang) + argv + [str(EXAMPLES)]
    found = _foreign(err, lang, data, other_words)
    assert not found, err


def test_vietnamese_usage_errors_say_it_in_vietnamese(capsys):
    """The issue's examples, word for word."""
    cases = [
        (["check"], "doanmodel check: lỗi: thiếu tham số bắt buộc: PATH"),
        (["chek"], "doanmodel: lỗi: COMMAND: 'chek' không hợp lệ (chọn một trong: 'validate', "),
        # the command's own parser refuses it (issue 25: its usage and a did-you-mean)
        (["check", TRA_VINH, "--bogus"],
         "doanmodel check: lỗi: tham số không dùng được ở đây: --bogus"),
        (["check", TRA_VINH, "--year", "abc"],
         "doanmodel check: lỗi: --year: 'abc' không phải năm từ 1900 đến 2200"),
        (["check", TRA_VINH, "--year", "abc", "--lang", "en"],
         "doanmodel check: error: argument --year: 'abc' is not a year from 1900 to 2200"),
        (["check", TRA_VINH, "--year"], "doanmodel check: lỗi: --year: cần một giá trị"),
    ]
    for argv, line in cases:
        with pytest.raises(SystemExit):
            main(argv)
        assert line in capsys.readouterr().err.splitlines()[-1], argv


def _commands() -> list[str]:
    from doanmodel.cli._cliparser import parser  # noqa: PLC0415

    sub = next(a for a in parser()._actions if isinstance(a.choices, dict))
    return list(sub.choices)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_help_speaks_one_language(capsys, other_words, lang):
    """`doanmodel --help` and every `doanmodel COMMAND --help`, and the help printed without a
    command, are in the run's language (names of options, commands and products aside)."""
    names = ["Monte Carlo", "Dirichlet", "uniform", "Excel", "DuckDB", "Parquet", "HTML", "JSON",
             "Schema", "GSO", "pip install 'doanmodel[scale]'", "entry-point", "ROOT-YEAR",
             "Tỉnh đoàn Trà Vinh", "Vĩnh Long", "TV", "travinh", "*.case.toml", "dataset.toml",
             "Ho Chi Minh"]
    data = _parser_identifiers(lang) + names
    lang_args = ["--lang", "en"] if lang == "en" else []
    for command in ["", *_commands()]:
        with pytest.raises(SystemExit) as info:
            main([*filter(None, [command]), "--help", *lang_args])
        out = capsys.readouterr().out
        assert info.value.code == 0
        assert out.startswith("usage: " if lang == "en" else "cách dùng: ")
        found = _foreign(out, lang, data, other_words)
        assert not found, f"{lang} help of {command or 'doanmodel'} has {sorted(found)}"
    assert main(lang_args) == 2  # no command: the help on stderr
    err = capsys.readouterr().err
    assert ("tùy chọn:" in err) == (lang == "vi") and not _foreign(err, lang, data, other_words)


def test_argparse_words_are_checked(other_words):
    """The argparse word lists hold the words a leak would show."""
    words = _argparse_words()
    assert {"usage", "error", "required", "invalid", "choose", "unrecognized"} <= words["vi"]
    assert {"lỗi", "thiếu", "chọn"} <= words["en"]


@pytest.mark.parametrize(("lang", "said", "not_said"), [("vi", "lỗi nội bộ", "internal error"),
                                                        ("en", "internal error", "lỗi nội bộ")])
def test_an_internal_error_is_exit_70_in_the_runs_language(monkeypatch, capsys, lang, said,
                                                           not_said):
    """A bug (not the user's mistake) is exit 70 with no traceback, in one language."""
    import doanmodel.cli._cli as cli

    def boom(args):
        raise RuntimeError("boom")

    monkeypatch.delenv("DOANMODEL_DEBUG", raising=False)
    monkeypatch.setattr(cli, "cmd_validate", boom)
    parser = cli.parser

    def patched(lang_):
        p = parser(lang_)
        sub = next(a for a in p._actions if a.dest == "command")
        sub.choices["validate"].set_defaults(fn=boom)
        return p

    monkeypatch.setattr(cli, "parser", patched)
    code = cli.main(["validate", str(EXAMPLES / "tra-vinh-2019"), "--lang", lang])
    err = capsys.readouterr().err
    assert code == 70 and said in err and not_said not in err and "Traceback" not in err
    assert "RuntimeError: boom" in err


def test_the_systems_reasons_in_both_languages():
    """A file the system refuses is explained in the run's language: the common reasons by
    name, any other by its number in Vietnamese (the system's own words are English)."""
    import errno
    import os

    from doanmodel.model._i18n import os_reason

    for code in (errno.ENOENT, errno.EACCES, errno.EISDIR, errno.ENOTDIR, errno.ELOOP):
        text = os_reason(OSError(code, os.strerror(code)))
        assert text.en.lower() == os.strerror(code).lower()
        assert not set(text.vi.split()) & set(os.strerror(code).lower().split())
    odd = os_reason(OSError(errno.EXDEV, os.strerror(errno.EXDEV)))
    assert odd.vi == f"lỗi hệ điều hành số {errno.EXDEV}" and odd.en == os.strerror(errno.EXDEV)


def test_an_unreadable_file_is_said_in_the_runs_language(monkeypatch, capsys):
    """A file the system refuses to open (permission denied; tests run as root, so the refusal
    is simulated): Vietnamese by default, English with --lang en, never the other's words."""
    import errno
    import os

    from doanmodel.cli._cli import main as cli
    from doanmodel.dataset import _csvio

    real = open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("cadres.csv"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(_csvio, "open", refuse, raising=False)
    for lang, said, not_said in (("vi", "không đọc được tệp: không có quyền truy cập",
                                  "Permission denied"),
                                 ("en", "cannot read the file: permission denied", "không")):
        code = cli(["validate", str(EXAMPLES / "tra-vinh-2019"), "--lang", lang])
        err = capsys.readouterr().err
        assert code == 2 and "cadres.csv" in err and said in err and not_said not in err, err
