"""Tests for the command line, run in-process through doanmodel.cli._cli.main."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import EXAMPLES
from doanmodel.cli._cli import main


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


class TestCommands:
    def test_score_table_is_the_main_job(self, capsys):
        """`doanmodel score` prints one board per cluster, in Vietnamese by default."""
        code, out, _ = run(capsys, "score", EXAMPLES / "cum-thi-dua-2023")
        assert code == 0
        assert out.count("## Cụm thi đua số") == 4 and "Cờ thi đua" in out

    def test_score_json_contract(self, capsys):
        """score --format json has the contract's keys."""
        code, out, _ = run(capsys, "score", EXAMPLES / "cum-thi-dua-2023", "--format", "json",
                           "--cluster", "cum-2")
        data = json.loads(out)
        assert code == 0 and {"dataset", "year", "clusters", "provenance"} <= set(data)
        assert [c["id"] for c in data["clusters"]] == ["cum-2"]

    def test_check_prints_tra_vinh_average(self, capsys):
        """check prints the 60.4-day average and who met the quota."""
        code, out, _ = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--lang", "en")
        assert code == 0 and "mean 60.4 days" in out and "13/13 met" in out

    def test_check_strict(self, capsys):
        """--strict exits 1 when a finding fails or a rule has no data, 0 otherwise (issue 22:
        Trà Vinh 2019 reports no members nor meetings, so its member and meeting rules have no
        data; its quota alone passes)."""
        assert run(capsys, "check", EXAMPLES / "tien-giang-2024", "--strict")[0] == 1
        assert run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--strict")[0] == 1
        assert run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--strict",
                   "--rule", "visits.quota")[0] == 0
        assert run(capsys, "check", EXAMPLES / "tra-vinh-2019")[0] == 0

    def test_check_rule_filter_and_csv(self, capsys):
        """--rule limits the rules; --format csv writes one row per finding."""
        code, out, _ = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--rule", "visits.quota",
                           "--format", "csv")
        assert code == 0 and out.count("\n") == 15 and out.startswith("rule,")

    def test_unknown_rule_exit_2(self, capsys):
        """An unknown rule id is bad input (exit 2) naming it."""
        code, _, err = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--rule", "nope")
        assert code == 2 and "nope" in err

    def test_explain(self, capsys):
        """explain shows one unit's criteria with sources; JSON carries provenance."""
        code, out, _ = run(capsys, "explain", EXAMPLES / "cum-thi-dua-2023", "K01", "--lang", "en")
        assert code == 0 and "Rank" in out and "Quảng Ngãi" in out
        code, out, _ = run(capsys, "explain", EXAMPLES / "cum-thi-dua-2023", "K01", "--format",
                           "json")
        assert json.loads(out)["provenance"]["criteria_set"]["id"] == "huyen-2023"

    def test_explain_unknown_unit(self, capsys):
        """Explaining a unit in no cluster is bad input."""
        code, _, err = run(capsys, "explain", EXAMPLES / "cum-thi-dua-2023", "ZZZ")
        assert code == 2 and "ZZZ" in err

    def test_what_if(self, capsys):
        """score --weight prints the new board and the rank changes."""
        code, out, _ = run(capsys, "score", EXAMPLES / "cum-thi-dua-2023", "--weight",
                           "xay-dung-doan.ket-nap=200", "--lang", "en")
        assert code == 0 and "rank before" in out

    def test_census(self, capsys):
        """census --as-of accepts DD/MM/YYYY."""
        code, out, _ = run(capsys, "census", EXAMPLES / "can-bo-2021", "--as-of", "15/11/2021",
                           "--format", "json")
        rows = {r["group"]: r for r in json.loads(out)["rows"]}
        assert code == 0 and rows["province"]["full_time"] == 19

    def test_synth_and_validate(self, capsys, tmp_path):
        """synth writes a dataset that validate accepts; synth never overwrites."""
        out = tmp_path / "s"
        assert run(capsys, "synth", out, "--scale", "tiny", "--seed", "3")[0] == 0
        assert run(capsys, "validate", out)[0] == 0
        code, _, err = run(capsys, "synth", out)
        assert code == 2 and "not empty" in err

    def test_validate_missing_folder(self, capsys, tmp_path):
        """A path that is not a dataset folder is one clear error."""
        code, _, err = run(capsys, "validate", tmp_path / "nowhere")
        assert code == 2 and "not a dataset directory" not in err  # Vietnamese by default
        assert "không phải thư mục dataset" in err

    def test_bad_arguments_exit_2(self, capsys):
        """Unknown options are bad input (argparse, exit 2)."""
        with pytest.raises(SystemExit) as info:
            main(["score", "--nope"])
        assert info.value.code == 2


def test_python_dash_m(tmp_path):
    """`python -m doanmodel` works like the doanmodel command."""
    proc = subprocess.run([sys.executable, "-m", "doanmodel", "validate",
                           str(EXAMPLES / "tra-vinh-2019"), "--lang", "en", "--no-plugins"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.startswith("OK:")


def test_core_imports_without_optional_extras():
    """doanmodel imports and scores with pandas and matplotlib blocked."""
    code = ("import sys; sys.modules['pandas'] = None; sys.modules['matplotlib'] = None\n"
            "import doanmodel as dm\n"
            f"ds = dm.load_dataset({str(EXAMPLES / 'cum-thi-dua-2023')!r})\n"
            "print(dm.Engine(load_entry_points=False).score(ds).clusters[0].id)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "cum-1"


@pytest.mark.parametrize("args", [["check", "--period", "2019-Q5"],
                                  ["census", "--as-of", "31/02/2021"],
                                  ["check", "--year", "năm"]])
def test_bad_option_values_exit_2(args, capsys):
    """A malformed period, date or year is bad input (exit 2), with a message, not a crash."""
    with pytest.raises(SystemExit) as info:
        main([args[0], str(EXAMPLES / "tra-vinh-2019"), *args[1:]])
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_csv_everywhere(capsys, tmp_path):
    """validate (good and bad) and synth answer --format csv with a header row."""
    from conftest import DATA

    assert main(["validate", str(EXAMPLES / "tra-vinh-2019"), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("table,rows\n")
    assert main(["validate", str(DATA / "bad" / "cycle"), "--format", "csv",
                 "--lang", "en"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("file,line,column,message\n") and "units.csv,2,parent_id,cycle" in out
    assert main(["synth", str(tmp_path / "s"), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("file,rows\n")
