"""Every failure mode of a dataset has a broken example under tests/data/bad/ and a clear
message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import doanmodel as dm
from doanmodel.cli._cli import main

BAD = Path(__file__).parent / "data" / "bad"
GOOD = Path(__file__).parent / "data" / "good"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def _validate(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = main(["validate", str(path), "--format", "json", "--lang", "en", "--no-plugins",
                 *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_good_dataset_validates(capsys):
    """The base every bad case is derived from is valid."""
    code, data = _validate(GOOD, capsys)
    assert code == 0 and data["errors"] == []


@pytest.mark.parametrize("case", CASES)
def test_bad_case(case, capsys):
    """The broken dataset exits 2 and reports each expected problem with file, line and column."""
    code, data = _validate(BAD / case, capsys)
    assert code == 2
    rendered = [f"{e['file']}:{e['line']}: {e['column']}: {e['message']}" for e in data["errors"]]
    expected = (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    for line in expected:
        assert any(r.startswith(line) for r in rendered), (line, rendered)


@pytest.mark.parametrize("case", CASES)
def test_bad_case_text_output(case, capsys):
    """In text form each problem is one FILE:LINE: COLUMN: line on stderr, never a traceback."""
    code = main(["validate", str(BAD / case), "--no-plugins"])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err + captured.out
    lines = [ln for ln in captured.err.splitlines() if ln.strip()]
    assert lines[-1].endswith("dữ liệu không được nạp.")
    for line in lines[:-1]:
        file, lineno, rest = line.split(":", 2)
        assert file and lineno.isdigit() and rest.startswith(" ")


def test_bad_corpus_covers_every_case():
    """The corpus has one folder per failure mode and each says what it expects."""
    assert len(CASES) >= 40
    for case in CASES:
        assert (BAD / case / "expected.txt").read_text(encoding="utf-8").strip()


def test_dataset_error_lists_all_problems():
    """The Python API raises DatasetError carrying every problem at once."""
    with pytest.raises(dm.DatasetError) as info:
        dm.load_dataset(BAD / "many_problems_at_once")
    assert len(info.value.problems) == 3
    assert isinstance(info.value, dm.DoanmodelError)


def test_files_are_not_changed(tmp_path):
    """Validating never writes to the dataset folder."""
    before = {p.name: p.read_bytes() for p in (BAD / "cycle").iterdir()}
    with pytest.raises(dm.DatasetError):
        dm.load_dataset(BAD / "cycle")
    after = {p.name: p.read_bytes() for p in (BAD / "cycle").iterdir()}
    assert before == after
