"""Hostile input (issue 15): every case is a clear error with exit 2, never exit 70 or a hang."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import EXAMPLES
from doanmodel.cli._cli import main

CLUSTERS = "cum-thi-dua-2023"


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_input_error(code: int, err: str, *names: str) -> None:
    """Exit 2, no traceback, no 'internal error', and every name in *names* appears."""
    assert code == 2, err
    assert "Traceback" not in err and "internal error" not in err \
        and "lỗi nội bộ" not in err
    for name in names:
        assert name in err, (name, err)


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n" + text + "\n")


class TestTomlLimits:
    @pytest.mark.parametrize("file", ["dataset.toml", "criteria.toml", "clusters.toml"])
    @pytest.mark.parametrize("opener", ["[", "{a = "])
    def test_deep_nesting_is_refused_with_file_and_line(self, capsys, copy_example, file, opener):
        """900 nested arrays or inline tables: exit 2 naming the file and the line."""
        ds = copy_example(CLUSTERS)
        lines = (ds / file).read_text(encoding="utf-8").count("\n") + 2
        closer = "]" if opener == "[" else "}"
        append(ds / file, "x_deep = " + opener * 900 + "1" + closer * 900)
        code, _, err = run(capsys, "score", ds)
        assert_input_error(code, err, f"{file}:{lines}:")
        assert "sâu" in err  # Vietnamese by default: "lồng nhau quá sâu"

    def test_long_dotted_key_is_refused_quickly(self, capsys, copy_example):
        """A 100,000-part dotted key is refused (it took 17 s; timed in benchmarks/hostile.py)."""
        ds = copy_example(CLUSTERS)
        append(ds / "dataset.toml", "x_k" + ".a" * 100_000 + " = 1")
        code, _, err = run(capsys, "validate", ds, "--lang", "en")
        assert_input_error(code, err, "dataset.toml:", "dotted key")

    def test_five_thousand_digit_integer(self, capsys, copy_example):
        """An integer of 5,000 digits is a problem with its line, not a ValueError."""
        ds = copy_example(CLUSTERS)
        append(ds / "criteria.toml", "x_big = " + "9" * 5000)
        code, _, err = run(capsys, "score", ds, "--lang", "en")
        assert_input_error(code, err, "criteria.toml:", "number too long")

    def test_huge_cluster_year(self, capsys, copy_example):
        """year = 99999999999999999999999 in clusters.toml is refused (it was an OverflowError)."""
        ds = copy_example(CLUSTERS)
        text = (ds / "clusters.toml").read_text(encoding="utf-8")
        huge = text.replace("year = 2023", "year = 99999999999999999999999", 1)
        (ds / "clusters.toml").write_text(huge, encoding="utf-8")
        code, _, err = run(capsys, "score", ds, "--lang", "en")
        assert_input_error(code, err, "clusters.toml:4:", "cluster.year")

    def test_cluster_year_out_of_range(self, capsys, copy_example):
        """A year the calendar holds but no dataset can mean (12345) is refused too."""
        ds = copy_example(CLUSTERS)
        text = (ds / "clusters.toml").read_text(encoding="utf-8")
        (ds / "clusters.toml").write_text(text.replace("year = 2023", "year = 12345", 1),
                                          encoding="utf-8")
        code, _, err = run(capsys, "validate", ds, "--lang", "en")
        assert_input_error(code, err, "clusters.toml:4:", "not a valid year")


CRITERION = """
[[criterion]]
id = "x.extra"
points = {points}
method = "{method}"
indicator = "creative_model"
{extra}
"""


class TestCriteriaNumbers:
    @pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "-1e300"])
    @pytest.mark.parametrize(("method", "key", "template"), [
        ("boolean", "points", "{v}"),
        ("count", "points_each", "10\npoints_each = {v}"),
        ("ratio", "cap", "10\ntarget = 3\ncap = {v}"),
        ("threshold", "min", "10\nmin = {v}"),
        ("steps", "steps.points", "10\nsteps = [{{ max = 0, points = {v} }}, {{ points = 0 }}]"),
        ("steps", "steps.max", "10\nsteps = [{{ max = {v}, points = 1 }}, {{ points = 0 }}]"),
    ])
    def test_non_finite_or_huge(self, capsys, copy_example, value, method, key, template):
        """NaN, ±inf and 1e300 in a criterion's numbers: exit 2 naming the key and the file."""
        ds = copy_example(CLUSTERS)
        points, _, extra = template.format(v=value).partition("\n")
        append(ds / "criteria.toml", CRITERION.format(points=points, method=method, extra=extra))
        code, _, err = run(capsys, "score", ds, "--lang", "en")
        assert_input_error(code, err, "criteria.toml:", key)

    @pytest.mark.parametrize("value", ["nan", "inf", "1e300"])
    def test_bonus_cap_and_quality(self, capsys, copy_example, value):
        """bonus_cap and the [quality] shares must be finite numbers too."""
        ds = copy_example(CLUSTERS)
        text = (ds / "criteria.toml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^bonus_cap = .*$", f"bonus_cap = {value}", text)
        (ds / "criteria.toml").write_text(text, encoding="utf-8")
        code, _, err = run(capsys, "score", ds, "--lang", "en")
        assert_input_error(code, err, "criteria.toml:", "bonus_cap")
        text = (EXAMPLES / CLUSTERS / "criteria.toml").read_text(encoding="utf-8")
        (ds / "criteria.toml").write_text(re.sub(r"(?m)^excellent = .*$", f"excellent = {value}",
                                                 text), encoding="utf-8")
        code, _, err = run(capsys, "score", ds, "--lang", "en")
        assert_input_error(code, err, "criteria.toml:", "quality.excellent")

    @pytest.mark.parametrize(("key", "line"), [("points_each", "points_each = -4"),
                                               ("bonus_cap", "bonus_cap = -1")])
    def test_negative_points_refused(self, capsys, copy_example, key, line):
        """Points, caps and penalties of a criteria set must not be negative."""
        ds = copy_example(CLUSTERS)
        text = (ds / "criteria.toml").read_text(encoding="utf-8")
        text = re.sub(rf"(?m)^{key} = .*$", line, text, count=1)
        (ds / "criteria.toml").write_text(text, encoding="utf-8")
        code, _, err = run(capsys, "score", ds, "--lang", "en")
        assert_input_error(code, err, "criteria.toml:", key)

    def test_nan_parameter_in_dataset_toml(self, capsys, copy_example):
        """A dataset's own parameter value must be a finite number."""
        ds = copy_example("tra-vinh-2019")
        text = (ds / "dataset.toml").read_text(encoding="utf-8")
        (ds / "dataset.toml").write_text(text.replace("value = 60", "value = nan"),
                                         encoding="utf-8")
        code, _, err = run(capsys, "check", ds, "--lang", "en")
        assert_input_error(code, err, "dataset.toml:", "invalid number")


class TestFiles:
    def _refused(self, capsys, ds: Path, name: str, *words: str) -> str:
        code, out, _ = run(capsys, "validate", ds, "--lang", "en", "--format", "json")
        assert code == 2
        errors = json.loads(out)["errors"]
        mine = [e for e in errors if e["file"] == name]
        assert mine and all(w in mine[0]["message"] for w in words), errors
        return out

    def test_directory(self, capsys, copy_example):
        """A directory named like a dataset file is a problem, not '0 rows'."""
        ds = copy_example("tra-vinh-2019")
        (ds / "visits.csv").unlink()
        (ds / "visits.csv").mkdir()
        self._refused(capsys, ds, "visits.csv", "directory")

    def test_refused_file_is_the_only_problem(self, capsys, copy_example):
        """References into a refused cadres.csv are not reported again as 'no cadre …'."""
        ds = copy_example("tra-vinh-2019")
        (ds / "cadres.csv").unlink()
        (ds / "cadres.csv").mkdir()
        code, out, _ = run(capsys, "validate", ds, "--format", "json")
        assert code == 2 and [e["file"] for e in json.loads(out)["errors"]] == ["cadres.csv"]

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
    def test_fifo_is_not_opened(self, capsys, copy_example):
        """A FIFO is reported by name without being opened (opening it would block)."""
        ds = copy_example("tra-vinh-2019")
        os.mkfifo(ds / "meetings.csv")
        self._refused(capsys, ds, "meetings.csv", "not a regular file")

    def test_dangling_symlink(self, capsys, copy_example, tmp_path):
        """A symbolic link to a missing path is reported, not skipped."""
        ds = copy_example("tra-vinh-2019")
        (ds / "members.csv").symlink_to(tmp_path / "missing.csv")
        self._refused(capsys, ds, "members.csv", "does not exist")

    @pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
    def test_symlink_to_device(self, capsys, copy_example):
        """A symbolic link to /dev/zero is refused without reading it."""
        ds = copy_example("tra-vinh-2019")
        (ds / "indicators.csv").symlink_to("/dev/zero")
        self._refused(capsys, ds, "indicators.csv", "outside the dataset folder")

    @pytest.mark.skipif(not Path("/etc/passwd").exists(), reason="no /etc/passwd")
    def test_symlink_outside_is_not_read_or_echoed(self, capsys, copy_example):
        """A link to /etc/passwd is refused, and nothing of that file reaches the output."""
        ds = copy_example("tra-vinh-2019")
        (ds / "visits.csv").unlink()
        (ds / "visits.csv").symlink_to("/etc/passwd")
        out = self._refused(capsys, ds, "visits.csv", "outside the dataset folder")
        first = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").split(":")[0]
        assert "root:" not in out and f"{first}:x" not in out

    def test_symlink_inside_the_folder_is_read(self, capsys, copy_example):
        """A link to a file inside the dataset folder is an ordinary file."""
        ds = copy_example("tra-vinh-2019")
        (ds / "visits.csv").rename(ds / "real-visits.csv")
        (ds / "visits.csv").symlink_to(ds / "real-visits.csv")
        code, out, _ = run(capsys, "validate", ds, "--lang", "en")
        assert code == 0 and "496 visits" in out

    def test_path_errors_are_sentences(self, capsys, tmp_path):
        """A missing dataset folder is a plain sentence, not 'path:0: -: …'."""
        code, _, err = run(capsys, "validate", tmp_path / "cum-thi-dua-202", "--lang", "en")
        assert_input_error(code, err, "cum-thi-dua-202")
        assert ":0:" not in err and "does not exist" in err
        (tmp_path / "file.txt").write_text("x", encoding="utf-8")
        code, _, err = run(capsys, "validate", tmp_path / "file.txt")
        assert_input_error(code, err, "không phải thư mục dataset")
        assert ":0:" not in err


class TestCommandLineNumbers:
    @pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", "-40", "1e400", "9" * 5000])
    def test_bad_weight(self, capsys, value):
        """--weight must be a finite number from 0 (a negative weight changed the ranking)."""
        code, out, err = run(capsys, "score", EXAMPLES / CLUSTERS, "--weight",
                             f"xay-dung-doan.ket-nap={value}", "--lang", "en")
        assert_input_error(code, err, "--weight", "xay-dung-doan.ket-nap")
        assert out == ""

    def test_good_weight_still_works(self, capsys):
        """A valid weight runs the what-if."""
        code, out, _ = run(capsys, "score", EXAMPLES / CLUSTERS, "--weight",
                           "xay-dung-doan.ket-nap=40", "--lang", "en")
        assert code == 0 and "rank" in out

    @pytest.mark.parametrize(("option", "value"), [
        ("--year", "99999999999999999999999"), ("--year", "-5"), ("--year", "abc"),
        ("--year", "0"),
    ])
    def test_bad_year(self, capsys, option, value):
        """--year is a year from 1900 to 2200; argparse exits 2 naming the option."""
        with pytest.raises(SystemExit) as info:
            main(["check", str(EXAMPLES / "tra-vinh-2019"), option, value])
        err = capsys.readouterr().err
        assert info.value.code == 2 and "--year" in err and "Traceback" not in err

    @pytest.mark.parametrize("value", ["-1", "9" * 5000, "x"])
    def test_bad_seed(self, capsys, tmp_path, value):
        """--seed is a non-negative integer below 2**63."""
        with pytest.raises(SystemExit) as info:
            main(["synth", str(tmp_path / "out"), "--seed", value])
        assert info.value.code == 2 and "--seed" in capsys.readouterr().err


class TestSetParameters:
    def test_misspelt_name_suggests(self, capsys):
        """--set visits.min_dayz=30 is refused with a did-you-mean (it was silently ignored)."""
        code, out, err = run(capsys, "score", EXAMPLES / CLUSTERS, "--set", "visits.min_dayz=30")
        assert_input_error(code, err, "visits.min_dayz", "có phải", "visits.min_days")
        assert "Không có thay đổi thứ hạng" not in out

    def test_wrong_type(self, capsys):
        """--set visits.min_days=abc: the parameter is an integer."""
        code, _, err = run(capsys, "score", EXAMPLES / CLUSTERS, "--set", "visits.min_days=abc",
                           "--lang", "en")
        assert_input_error(code, err, "visits.min_days", "integer")

    @pytest.mark.parametrize("value", ["NaN", "-0.5", "Infinity"])
    def test_share_must_be_finite_and_not_negative(self, capsys, value):
        """A decimal parameter takes a finite number ≥ 0."""
        code, _, err = run(capsys, "score", EXAMPLES / CLUSTERS, "--set",
                           f"quality.good_share={value}", "--lang", "en")
        assert_input_error(code, err, "quality.good_share")

    def test_shadowed_by_criteria_set_warns(self, capsys):
        """quality.excellent_share has no effect when the set has its own [quality]: a warning."""
        code, out, err = run(capsys, "score", EXAMPLES / CLUSTERS, "--set",
                             "quality.excellent_share=0.5", "--lang", "en", "--format", "json")
        assert code == 0
        assert "warning" in err and "quality.excellent_share" in err and "no effect" in err
        assert any("quality.excellent_share" in w for w in json.loads(out)["warnings"])

    def test_not_shadowed_without_quality_table(self, capsys, copy_example):
        """Without a [quality] table the parameter applies and nothing is warned."""
        ds = copy_example(CLUSTERS)
        text = (ds / "criteria.toml").read_text(encoding="utf-8")
        (ds / "criteria.toml").write_text(re.sub(r"(?ms)^\[quality\].*?(?=^\[|\Z)", "", text),
                                          encoding="utf-8")
        code, _, err = run(capsys, "score", ds, "--set", "quality.excellent_share=0.5")
        assert code == 0 and "cảnh báo" not in err


class TestPeriodWithoutData:
    def test_check_year_without_data_warns(self, capsys):
        """check --year 2020 on the 2019 data: a stderr warning saying so, in the run's language."""
        code, out, err = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--year", "2020")
        assert code == 0 and out
        assert "cảnh báo" in err and "2020" in err and "2019" in err

    def test_json_carries_warnings(self, capsys):
        """--format json adds a 'warnings' list."""
        code, out, _ = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--year", "2020",
                           "--format", "json", "--lang", "en", "--rule", "visits.quota")
        data = json.loads(out)
        assert code == 0 and len(data["warnings"]) == 1 and "no data" in data["warnings"][0]
        assert data["findings"]

    def test_year_with_data_has_no_warning(self, capsys):
        """The dataset's own year: no warning, and the JSON has no 'warnings' key (on the rule
        whose tables it reports: issue 22 warns about its absent members and meetings)."""
        code, out, err = run(capsys, "check", EXAMPLES / "tra-vinh-2019", "--format", "json",
                             "--rule", "visits.quota")
        assert code == 0 and "warnings" not in json.loads(out) and "cảnh báo" not in err


class TestCsvNumbers:
    @pytest.mark.parametrize("value", ["1e999999", "-1e999999", "1e-999999", "NaN", "inf",
                                       "1" + "0" * 13])
    @pytest.mark.parametrize("file", ["indicators.csv", "targets.csv"])
    def test_out_of_range_values(self, capsys, copy_example, value, file):
        """A reported value beyond ±10¹² (it overflowed the decimal context: exit 70)."""
        ds = copy_example(CLUSTERS)
        lines = (ds / file).read_text(encoding="utf-8").splitlines()
        cells = lines[1].split(",")
        header = lines[0].split(",")
        cells[header.index("value")] = value
        lines[1] = ",".join(cells)
        (ds / file).write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, _, err = run(capsys, "score", ds, "--lang", "en")
        assert_input_error(code, err, f"{file}:2: value:")


class TestTomlGuardProperties:
    @given(text=st.text(max_size=300) | st.sampled_from([
        "a = [" * 40, "x = '''" + "[" * 50, '"' + "[" * 50, "# " + "[" * 50 + "\nx = 1",
        "a.b.c = 1\n" * 20, "x = 1_000_000", "x = 0x" + "f" * 40]))
    @example(text="x = " + "[" * 32 + "]" * 32)
    def test_parse_never_raises(self, text):
        """Any text: parse_toml returns a table or None with problems, never an exception."""
        from doanmodel.dataset._csvio import Problems, parse_toml

        problems = Problems()
        data = parse_toml(text, "x.toml", problems)
        assert (data is None) == bool(problems.items)
        assert all(p.file == "x.toml" for p in problems.items)

    @pytest.mark.parametrize(("depth", "ok"), [(32, True), (33, False)])
    def test_depth_limit_boundary(self, depth, ok):
        """32 levels of arrays are accepted, 33 are not; brackets inside strings do not count."""
        from doanmodel.dataset._csvio import Problems, parse_toml

        problems = Problems()
        text = 's = "' + "[" * 100 + '"\n# ' + "{" * 100 + "\nx = " + "[" * depth + "]" * depth
        assert (parse_toml(text, "x.toml", problems) is not None) is ok
        if not ok:
            assert problems.items[0].line == 3

    @pytest.mark.parametrize(("parts", "ok"), [(32, True), (33, False)])
    def test_dotted_key_boundary(self, parts, ok):
        """A dotted key of 32 parts is accepted, 33 are not."""
        from doanmodel.dataset._csvio import Problems, parse_toml

        text = ".".join(["k"] * parts) + " = 1"
        assert (parse_toml(text, "x.toml", Problems()) is not None) is ok


class TestSetTypes:
    def test_boolean_parameter(self, capsys):
        """A boolean parameter takes true or false only."""
        code, _, err = run(capsys, "score", EXAMPLES / CLUSTERS, "--set",
                           "visits.require_order=maybe", "--lang", "en")
        assert_input_error(code, err, "visits.require_order", "true or false")
        assert run(capsys, "score", EXAMPLES / CLUSTERS, "--set",
                   "visits.require_order=true")[0] == 0

    def test_integer_parameter_takes_no_fraction(self, capsys):
        """visits.min_days=30.5 is refused: the parameter counts days."""
        code, _, err = run(capsys, "score", EXAMPLES / CLUSTERS, "--set",
                           "visits.min_days=30.5", "--lang", "en")
        assert_input_error(code, err, "visits.min_days", "integer")

    def test_not_name_value(self, capsys):
        """--set without '=' names the option."""
        code, _, err = run(capsys, "score", EXAMPLES / CLUSTERS, "--set", "visits.min_days")
        assert_input_error(code, err, "--set")


@pytest.mark.parametrize(("line", "vi", "en"), [
    ("x = ", "giá trị không hợp lệ", "Invalid value"),
    ("[parameters]", "khai báo", "Cannot"),
    ("x = [1, 2", "mảng chưa đóng", "Unclosed array"),
])
def test_toml_syntax_errors_in_both_languages(capsys, copy_example, line, vi, en):
    """tomllib's English message is translated in a Vietnamese run (with line and column)."""
    ds = copy_example("tra-vinh-2019")
    append(ds / "dataset.toml", line)
    code, _, err = run(capsys, "validate", ds)
    assert_input_error(code, err, "dataset.toml:", vi)
    assert en not in err
    code, _, err = run(capsys, "validate", ds, "--lang", "en")
    assert_input_error(code, err, "dataset.toml:", en)


class TestDatasetParameters:
    @pytest.mark.parametrize("command", [["validate"], ["check"], ["score"],
                                         ["explain", "H01"]])
    def test_misspelt_parameter_in_dataset_toml(self, capsys, copy_example, command):
        """A misspelt [parameters] name is a problem with a did-you-mean (it was ignored)."""
        ds = copy_example(CLUSTERS)
        append(ds / "dataset.toml", '[parameters]\n"visits.min_dayz" = '
                                    '[{ from = 2018-01-01, value = 30, source = "x" }]')
        name, *rest = command
        code, _, err = run(capsys, name, ds, *rest, "--lang", "en")
        assert_input_error(code, err, "dataset.toml:", "parameters.visits.min_dayz",
                           "did you mean visits.min_days")

    @pytest.mark.parametrize(("value", "kind"), [('"abc"', "an integer"), ("-3", "an integer"),
                                                 ("true", "an integer"), ("1.5", "an integer")])
    def test_wrong_type(self, capsys, copy_example, value, kind):
        """value = "abc" for an integer parameter is a problem (it was exit 70)."""
        ds = copy_example("tra-vinh-2019")
        text = (ds / "dataset.toml").read_text(encoding="utf-8")
        (ds / "dataset.toml").write_text(text.replace("value = 60", f"value = {value}"),
                                         encoding="utf-8")
        code, _, err = run(capsys, "check", ds, "--lang", "en")
        # the line of the parameter in the example (20 since it says what is reconstructed)
        line = 1 + text.splitlines().index(next(ln for ln in text.splitlines()
                                                if "value = 60" in ln))
        assert_input_error(code, err, f"dataset.toml:{line}:", "visits.min_days", kind)


@pytest.mark.parametrize("text", [
    'x = ' + '"\\' * 250_000,              # every quote escaped: an unterminated string
    'x = ' + '"' * 500_000,                 # half a million quotes
    "x = " + "a" * 500_000,                 # one long bare run
    "x = " + "9" * 500_000,                 # one long number
    'x = """' + "a" * 500_000 + "\\",      # an unterminated multi-line string
    ("k" + ".k" * 30 + " = 1\n") * 8000,    # many dotted keys just under the limit
], ids=["escaped-quotes", "quotes", "letters", "digits", "multiline", "dotted"])
def test_toml_guard_is_linear(text):
    """Half a megabyte of hostile TOML is judged without a crash (the time, linear, is
    measured by benchmarks/hostile.py, not here)."""
    from doanmodel.dataset._csvio import Problems, parse_toml

    parse_toml(text, "x.toml", Problems())


class TestLargeFiles:
    def test_large_criteria_set_is_not_quadratic(self, capsys, copy_example):
        """8,000 criteria (800 KB) score (finding each [[criterion]]'s line rescanned the file:
        about 25 s; benchmarks/hostile.py times it)."""
        ds = copy_example(CLUSTERS)
        append(ds / "criteria.toml", "\n".join(
            f'[[criterion]]\nid = "x{i}"\npoints = 1\nmethod = "boolean"\n'
            f'indicator = "creative_model"\nbonus = true' for i in range(8000)))
        code, out, _ = run(capsys, "score", ds)
        assert code == 0 and "Cụm thi đua số 1" in out

    def test_many_unknown_keys_are_all_reported_quickly(self, capsys, copy_example):
        """10,000 unknown keys: every one reported (it took ~10 s; benchmarks/hostile.py times
        it); the first 200 with their line, the rest with line 0."""
        ds = copy_example("tra-vinh-2019")
        text = (ds / "dataset.toml").read_text(encoding="utf-8")
        keys = "\n".join(f"k{i} = 1" for i in range(10_000))
        (ds / "dataset.toml").write_text(keys + "\n" + text, encoding="utf-8")
        code, out, _ = run(capsys, "validate", ds, "--format", "json")
        errors = json.loads(out)["errors"]
        lines = {e["column"]: e["line"] for e in errors}
        assert code == 2 and len(errors) == 10_000 and lines["k0"] == 1 and lines["k9"] == 10


def test_a_bad_byte_and_a_duplicate_id_are_each_reported_once(tmp_path):
    """members.csv with a repeated id early and a byte that is not UTF-8 two thousand lines on:
    each problem once (the second read that finds the duplicate's line used to report the bad
    byte again)."""
    import doanmodel as dm

    folder = tmp_path / "ds"
    dm.synth(folder, scale="tiny", year=2025, seed=1)
    path = folder / "members.csv"
    head, first, *_ = path.read_text(encoding="utf-8").splitlines()
    i_id = head.split(",").index("id")
    rows = []
    for n in range(2500):  # the same member under new ids, past the first chunks
        cells = first.split(",")
        cells[i_id] = f"DUP-{n}" if n != 1 else "DUP-0"  # line 3 repeats line 2's id
        rows.append(",".join(cells))
    body = ("\n".join([head, *rows]) + "\n").encode()
    at = body.index(b"DUP-2400")
    path.write_bytes(body[:at] + b"\xff" + body[at:])
    with pytest.raises(dm.DatasetError) as caught:
        dm.load_dataset(folder)
    found = [(p.file, p.line, p.column) for p in caught.value.problems]
    assert len(found) == len(set(found)), found
    assert ("members.csv", 3, "id") in found
