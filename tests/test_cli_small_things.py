"""The small things a person notices on the command line (issue 25), each pinned."""

from __future__ import annotations

import argparse
import io
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.cli._cli import main
from doanmodel.cli._cliparser import parser

ROOT = Path(__file__).resolve().parent.parent
CUM = EXAMPLES / "cum-thi-dua-2023"
TV = EXAMPLES / "tra-vinh-2019"


def run(capsys, *args):
    try:
        code = main([*map(str, args)])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(("lang", "said"), [("vi", "có phải --weight?"),
                                             ("en", "did you mean --weight?")])
def test_a_misspelt_option_gets_the_commands_usage_and_a_suggestion(capsys, lang, said):
    code, _, err = run(capsys, "score", CUM, "--wieght", "x=80", "--lang", lang)
    assert code == 2 and said in err
    assert "doanmodel score [-h]" in err  # the command's usage, not the top level's


def test_an_unknown_option_without_a_near_one_gets_no_suggestion(capsys):
    code, _, err = run(capsys, "score", CUM, "--zzzzzz", "--lang", "en")
    assert code == 2 and "unrecognized arguments: --zzzzzz" in err and "did you mean" not in err


@pytest.mark.parametrize("args", [("template", "OUT", "--format", "json"),
                                  ("test", "tests/cases", "--format", "csv"),
                                  ("export", CUM, "OUT", "--format", "csv"),
                                  ("new-plugin", "OUT", "--name", "x", "--province", "TV",
                                   "--format", "json")])
def test_an_output_format_a_command_does_not_have_is_refused(capsys, tmp_path, args):
    args = [str(tmp_path / "o.xlsx") if a == "OUT" else a for a in args]
    code, out, err = run(capsys, *args, "--lang", "en")
    assert code == 2 and "this command has no such output" in err and not out
    assert not (tmp_path / "o.xlsx").exists()


def test_test_still_takes_json(capsys):
    code, out, _ = run(capsys, "test", ROOT / "tests" / "cases", "--format", "json")
    assert code in (0, 1) and out.lstrip().startswith("{")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_score_for_a_year_without_clusters_is_one_clear_error(capsys, lang):
    code, out, err = run(capsys, "score", CUM, "--year", "2022", "--lang", lang)
    lines = err.strip().splitlines()
    assert code == 2 and not out and len(lines) == 1
    assert "--year 2022" in lines[0] and "2023" in lines[0]
    assert "không có ý nghĩa" not in err and "not meaningful" not in err


def test_check_takes_set(capsys):
    """--set exists for check too: the rules run with the changed parameter."""
    code, out, _ = run(capsys, "check", TV, "--format", "json")
    base = dm.Engine().check(dm.load_dataset(TV), year=2019)
    code, out, _ = run(capsys, "check", TV, "--set", "visits.min_days=61", "--format", "json")
    assert code == 0
    import json

    failed = sum(f["status"] == "fail" for f in json.loads(out)["findings"])
    assert failed > len(base.failed)
    code, _, err = run(capsys, "check", TV, "--set", "visits.min_dayz=61", "--lang", "en")
    assert code == 2 and "visits.min_days" in err


def _all_actions():
    p = parser("en")
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            for name, s in a.choices.items():
                for x in s._actions:
                    yield name, x


def test_every_argument_has_help():
    missing = [(name, x.dest) for name, x in _all_actions() if not x.help]
    assert not missing


def test_the_top_level_help_mentions_lang(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--lang en" in out


def test_the_docs_show_the_packages_version():
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    shown = re.search(r"^doanmodel (\S+) \(plugin API", text, re.MULTILINE)
    assert shown and shown.group(1) == dm.__version__


def test_coverage_data_is_not_tracked():
    tracked = subprocess.run(["git", "ls-files", ".coverage"], cwd=ROOT, capture_output=True,
                             text=True, check=False).stdout
    assert not tracked.strip()
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".coverage" in ignored


class _Terminal:
    """stdout and stderr on one terminal: what a person sees, in order."""

    def __init__(self):
        self.seen = []

    def stream(self):
        terminal = self

        class Stream(io.StringIO):
            def isatty(self):
                return True

            def write(self, text):
                terminal.seen.append(text)
                return len(text)

        return Stream()


def test_progress_is_cleared_before_the_result(monkeypatch):
    """No '/ doanmodel synth 0.5 s' left in front of the result line."""
    from doanmodel.cli._progress import Progress

    monkeypatch.setitem(sys.modules, "rich", None)
    monkeypatch.setitem(sys.modules, "rich.console", None)
    term = _Terminal()
    err, out = term.stream(), term.stream()
    monkeypatch.setattr(sys, "stdout", out)
    with Progress("doanmodel synth", stream=err):
        time.sleep(0.6)
        sys.stdout.write("result\n")
    text = "".join(term.seen)
    assert "doanmodel synth" in text  # the spinner ran
    before = text[:text.index("result")]
    assert before.endswith("\r\x1b[K")  # and its line was cleared before the result
    assert sys.stdout is out
