"""Declarative test cases: the runner, its diff, bad case files, and pytest collection."""

from __future__ import annotations

from pathlib import Path

from doanmodel.cli._cli import main

HERE = Path(__file__).parent

WRONG = '''
[[case]]
name = "sai: bình quân 61"
dataset = "{ds}"
year = 2019

[[case.finding]]
rule = "visits.quota"
subject = "TV"
value = 61.0
'''


def test_bundled_cases_pass(capsys):
    """The seed figures and the Đà Nẵng plugin's case pass through `doanmodel test`."""
    code = main(["test", str(HERE / "cases"), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Trà Vinh 2019" in out and "0 failed" in out


def test_mismatch_exits_1_with_a_diff(tmp_path, capsys):
    """A wrong expectation fails with 'expected …, got …' and exit 1."""
    ds = (HERE.parent / "examples" / "tra-vinh-2019").as_posix()
    (tmp_path / "x.case.toml").write_text(WRONG.format(ds=ds), encoding="utf-8")
    code = main(["test", str(tmp_path), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 1
    assert "finding visits.quota TV: value expected 61.0, got 60.4" in out


def test_malformed_case_file_exits_2(tmp_path, capsys):
    """Unknown keys and a missing dataset are reported with the file and line, exit 2."""
    (tmp_path / "bad.case.toml").write_text(
        '\n[[case]]\nname = "x"\ndataset = "nowhere"\ncolour = 1\n'
        '[[case.finding]]\nrule = "a"\nsubjekt = "b"\n', encoding="utf-8")
    code = main(["test", str(tmp_path), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2
    assert "bad.case.toml:2: colour: unknown key" in err
    assert "bad.case.toml:2: finding.subjekt: unknown key" in err
    assert "bad.case.toml:2: dataset: no dataset folder 'nowhere'" in err


def test_pytest_collects_case_files(pytester_case_dir=None):
    """The doanmodel pytest plugin collects *.case.toml files, one test per case."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--collect-only", str(HERE / "cases")], capture_output=True,
                          text=True, check=False, cwd=HERE.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 tests collected" in done.stdout  # seeds 000, 001 (clusters), 001 (briefings), 003
