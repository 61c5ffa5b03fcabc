"""A helpful command line (issue 15): --version, help, did-you-mean, explain, new-plugin."""

from __future__ import annotations

import importlib
import itertools
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel._render import _width
from doanmodel.cli._argparser import GENERIC, MESSAGES, argv_lang, only_lang, translate
from doanmodel.cli._cli import main
from doanmodel.engine._provinces import as_code, province_problems

CLUSTERS = EXAMPLES / "cum-thi-dua-2023"


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


class TestBasics:
    def test_version(self, capsys):
        """--version prints doanmodel's version, the plugin API and each installed plugin."""
        with pytest.raises(SystemExit) as info:
            main(["--version"])
        out = capsys.readouterr().out
        assert info.value.code == 0
        assert out.startswith(f"doanmodel {dm.__version__} (plugin API {dm.PLUGIN_API})")
        assert "national" in out

    def test_no_command_prints_help_and_exits_2(self, capsys):
        """Without a command: the help with every command, exit 2 (a usage error)."""
        code, out, err = run(capsys)
        assert code == 2 and out == ""
        for command in ("validate", "check", "score", "explain", "census", "plugins", "synth"):
            assert command in err


class TestDidYouMean:
    @pytest.mark.parametrize(("lang", "words"), [("vi", ("không có đơn vị", "có phải")),
                                                 ("en", ("unknown unit", "did you mean"))])
    def test_unit_case_and_accents(self, capsys, lang, words):
        """explain … h01 suggests H01, in the run's language."""
        code, out, err = run(capsys, "explain", CLUSTERS, "h01", "--lang", lang)
        assert code == 2 and out == ""
        assert all(w in err for w in words) and "H01" in err

    def test_unknown_unit_lists_the_cluster_units(self, capsys):
        """H99 (no close id) lists the units that can be explained; no English in Vietnamese."""
        code, _, err = run(capsys, "explain", CLUSTERS, "H99")
        assert code == 2 and "H99" in err and "H01" in err and "unknown" not in err

    def test_unit_outside_clusters(self, capsys):
        """A unit of the dataset that is in no cluster of the year says so."""
        code, _, err = run(capsys, "explain", CLUSTERS, "T", "--lang", "en")
        assert code == 2 and "cluster" in err and "'T'" in err

    @pytest.mark.parametrize(("args", "wanted"), [
        (("check", EXAMPLES / "tra-vinh-2019", "--rule", "visits.quotta"), "visits.quota"),
        (("score", CLUSTERS, "--cluster", "cum1"), "cum-1"),
        (("score", CLUSTERS, "--weight", "xay-dung-doan.ket-nap.=5"), "xay-dung-doan.ket-nap"),
        (("score", CLUSTERS, "--set", "visits.min_dayz=30"), "visits.min_days"),
        (("score", CLUSTERS, "--criteria", "huyen-2032"), "huyen-2023"),
    ])
    @pytest.mark.parametrize("lang", ["vi", "en"])
    def test_ids(self, capsys, args, wanted, lang):
        """Rule, cluster, criterion, parameter and criteria-set ids get a suggestion."""
        code, _, err = run(capsys, *args, "--lang", lang)
        assert code == 2 and wanted in err
        assert ("did you mean" if lang == "en" else "có phải") in err

    def test_year_without_clusters(self, capsys):
        """explain for a year with no cluster says so, naming --year."""
        code, _, err = run(capsys, "explain", CLUSTERS, "H01", "--year", "1999", "--lang", "en")
        assert code == 2 and "--year" in err and "no emulation cluster in 1999" in err

    def test_json_error_shape(self, capsys):
        """With --format json the error is the contract's errors list."""
        code, out, _ = run(capsys, "explain", CLUSTERS, "h01", "--format", "json")
        assert code == 2 and "H01" in json.loads(out)["errors"][0]["message"]


class TestExplain:
    @pytest.mark.parametrize("lang", ["vi", "en"])
    @pytest.mark.parametrize("unit", ["H01", "H05", "K01", "K04"])
    def test_fits_100_columns(self, capsys, lang, unit):
        """Every line of explain fits 100 columns."""
        code, out, _ = run(capsys, "explain", CLUSTERS, unit, "--lang", lang)
        assert code == 0 and max(_width(line) for line in out.splitlines()) <= 100

    def test_titles_and_footnotes(self, capsys):
        """Criteria show their titles; each source is listed once and cited by number."""
        code, out, _ = run(capsys, "explain", CLUSTERS, "H01")
        assert code == 0 and "Kết nạp đoàn viên mới" in out
        source = "Bộ tiêu chí thi đua cấp huyện, Tỉnh đoàn Quảng Ngãi 18/4/2018"
        assert out.count(source) == 1 and "[1] " + source in out
        assert out.count("[1]") > 5


class TestAwards:
    def test_english_award_names(self, capsys):
        """English output names awards in English (title_en); Vietnamese keeps the title."""
        _, en, _ = run(capsys, "score", CLUSTERS, "--lang", "en")
        _, vi, _ = run(capsys, "score", CLUSTERS)
        assert "Emulation flag of the Provincial Union Executive Committee" in en
        assert "Cờ thi đua" not in en and "Cờ thi đua của Ban Chấp hành Tỉnh đoàn" in vi

    def test_missing_title_en_is_marked(self):
        """Without title_en the award kind is translated and marked (auto)."""
        from doanmodel.model._labels import award_label

        assert award_label("Cờ thi đua của BCH", None, "en") == "Emulation flag (auto)"
        assert award_label("Giải đặc biệt", None, "en") == "Giải đặc biệt (vi)"
        assert award_label("Cờ thi đua", None, "vi") == "Cờ thi đua"

    def test_json_round_trip_keeps_both_names(self):
        """A scoreboard read back from English JSON still has both award names."""
        board = dm.Engine(load_entry_points=False).score(dm.load_dataset(CLUSTERS))
        back = dm.Scoreboard.from_json(board.to_json("en"))
        first = back.clusters[0].standings[0]
        assert first.award == "Cờ thi đua của Ban Chấp hành Tỉnh đoàn"
        assert first.award_label("en").startswith("Emulation flag")


# ---------------------------------------------------------------------------- new-plugin
_COUNTER = itertools.count()


def _generate(tmp: Path, province: str, title: str) -> tuple[int, str, Path, str]:
    name = f"fz{next(_COUNTER)}"
    out = tmp / name
    code = main(["new-plugin", str(out), "--name", name, f"--province={province}",
                 f"--title={title}", "--lang", "en"])
    return code, name, out, ""


def _import_hooks(out: Path, name: str) -> object:
    src = str(out / "src")
    for path in (out / "src").rglob("*.py"):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    compile((out / "tests" / f"test_{name}.py").read_text(encoding="utf-8"), "t", "exec")
    sys.path.insert(0, src)
    try:
        return importlib.import_module(f"doanmodel_{name}.hooks")
    finally:
        sys.path.remove(src)
        for mod in [m for m in sys.modules if m.startswith(f"doanmodel_{name}")]:
            del sys.modules[mod]


INJECTION = 'X", __import__("os").system("echo INJECTED"), "'


def _names_a_province(value: str) -> bool:
    """A province's name, or a code that is none or has ceased: new-plugin converts or refuses
    it (issue 23), so it is not kept exactly."""
    return as_code(value) != value or bool(province_problems([value], None, None))
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"))


class TestNewPlugin:
    @given(province=st.text(min_size=0, max_size=30), title=st.text(min_size=0, max_size=60))
    @example(province=INJECTION, title=INJECTION)
    @example(province="X'''\"\"\"\\", title="{title} {0} %s \\N{BULLET}")
    @example(province="TV", title="Tỉnh đoàn Trà Vinh\n__import__('os')")
    @example(province="--", title="T")  # argparse gave a list: was exit 70 (found in wave 3)
    def test_any_string_is_refused_or_kept_exactly(self, tmp_path_factory, capsys, province,
                                                   title):
        """Any --province/--title: exit 2, or a package that imports and keeps them exactly."""
        tmp = tmp_path_factory.mktemp("np")
        code, name, out, _ = _generate(tmp, province, title)
        captured = capsys.readouterr()
        assert "INJECTED" not in captured.out + captured.err
        if code == 2:
            assert "--province" in captured.err or "--title" in captured.err
            assert not out.exists()
            return
        assert code == 0
        hooks = _import_hooks(out, name)
        info = hooks.doanmodel_plugin_info()  # type: ignore[attr-defined]
        # a province's name is written as its code (issue 23); anything else exactly
        assert info["provinces"] == [as_code(province)] and info["title"] == title
        assert info["name"] == name

    @given(province=st.text(PRINTABLE, min_size=1, max_size=30).filter(
        lambda s: s == s.strip() and not _names_a_province(s)),
        title=st.text(PRINTABLE, min_size=1, max_size=60).filter(lambda s: s == s.strip()))
    @example(province=INJECTION, title="Tỉnh đoàn Trà Vinh")
    def test_printable_values_always_work(self, tmp_path_factory, capsys, province, title):
        """Every one-line printable value makes a package that imports and keeps it."""
        tmp = tmp_path_factory.mktemp("np")
        code, name, out, _ = _generate(tmp, province, title)
        assert code == 0, capsys.readouterr().err
        info = _import_hooks(out, name).doanmodel_plugin_info()  # type: ignore[attr-defined]
        assert (info["provinces"], info["title"]) == ([province], title)

    @pytest.mark.parametrize(("option", "value"), [
        ("--province", "a\nb"), ("--title", "line\nbreak"), ("--province", "tab\there"),
        ("--title", "bell\x07"), ("--province", ""), ("--province", " TV"),
        ("--title", "\u202eRTL override"), ("--title", "para\u2029graph"),
    ])
    def test_invalid_values_exit_2(self, capsys, tmp_path, option, value):
        """Newlines, control and invisible characters, blanks: exit 2 naming the option."""
        args = {"--province": "TV", "--title": "Tỉnh đoàn"} | {option: value}
        code = main(["new-plugin", str(tmp_path / "p"), "--name", "p",
                     f"--province={args['--province']}", f"--title={args['--title']}"])
        err = capsys.readouterr().err
        assert code == 2 and option in err and "Traceback" not in err
        assert not (tmp_path / "p").exists()

    def test_injection_is_inert(self, capsys, tmp_path):
        """The issue's injection string is written as data, and importing runs nothing."""
        out = tmp_path / "inj"
        assert main(["new-plugin", str(out), "--name", "inj", "--province", INJECTION]) == 0
        capsys.readouterr()
        hooks = _import_hooks(out, "inj")
        assert "INJECTED" not in capsys.readouterr().out
        assert hooks.doanmodel_plugin_info()["provinces"] == [INJECTION]  # type: ignore[attr-defined]
        assert "__import__" not in (out / "src" / "doanmodel_inj" / "hooks.py").read_text(
            encoding="utf-8")


def test_api_unknown_unit_suggests():
    """board.explain('h01') raises UnknownUnitError suggesting H01 (the Python API too)."""
    board = dm.Engine(load_entry_points=False).score(dm.load_dataset(CLUSTERS))
    with pytest.raises(dm.UnknownUnitError) as info:
        board.explain("h01")
    assert info.value.suggestions == ["H01"] and "did you mean H01?" in str(info.value)


# ---------------------------------------------------------------------------- argparse's language

#: what argparse fills in: option names, repr'd values, lists of them (no template words)
FILLING = st.text(st.sampled_from("abcxyzABC019-_.'=/ ,đăơ"), min_size=1, max_size=20).filter(
    lambda s: s.strip() == s)


@given(data=st.data())
@example(data=None)
def test_every_template_is_translated_keeping_what_argparse_filled_in(data):
    """Each argparse template, filled with option names and values, comes out in Vietnamese
    with every filled-in text kept and none of the template's English words."""
    for en, _ in MESSAGES:
        names = re.findall(r"%\((\w+)\)[sr]", en)
        if data is None:
            values = {n: f"--{n}" for n in names} if names else ("--year",) * en.count("%")
        elif names:
            values = {n: data.draw(FILLING) for n in names}
        else:
            values = tuple(data.draw(FILLING) for _ in range(en.count("%")))
        message = en % values
        out = translate(message, "vi")
        assert translate(message, "en") == message
        filled = [v for k, v in values.items() if k != "type"] if isinstance(values, dict) \
            else list(values)  # a Python type's name (int, year_arg) is no user's text
        if "message" in names:  # "argument X: <inner>": the inner message is translated too
            filled = [values["argument_name"]]
        assert all(v in out for v in filled), (message, out)
        rest = out
        for v in sorted(filled, key=len, reverse=True):
            rest = rest.replace(v, " ")
        english = set(re.findall(r"[a-z]{3,}", re.sub(r"%\(\w+\)[sr]", "", en)))
        assert not english & set(re.findall(r"[a-z]{3,}", rest)), (message, out)


def test_nested_and_unknown_messages():
    """'argument X: <known>' translates both parts; an unknown message (a newer Python's) is
    the generic Vietnamese sentence with the options and values it quotes."""
    assert translate("argument --year: expected one argument", "vi") == "--year: cần một giá trị"
    assert translate("argument --x: invalid choice: 'a' (choose from 'b', 'c')", "vi") == \
        "--x: 'a' không hợp lệ (chọn một trong: 'b', 'c')"
    assert translate("some future complaint about --opt and 'v'", "vi") == \
        f"{GENERIC}: --opt 'v'"
    assert translate("argument --x: brand new words", "vi") == f"--x: {GENERIC}"
    assert translate("no names at all", "vi") == GENERIC


LANG_FORMS = st.sampled_from([["--lang", "en"], ["--lang", "vi"], ["--lang=en"], ["--lang=vi"],
                              ["--lan", "en"], ["--la=en"], ["--lang"], ["--lang", "fr"]])
OTHER = st.sampled_from([["--strict"], ["--year", "2019"], ["--format", "json"], ["--quiet"],
                         ["--rule", "--lang"], ["--"], ["--lang-x"], ["en"]])


@given(parts=st.lists(st.one_of(LANG_FORMS, OTHER), max_size=6))
@example(parts=[["--lang", "en"], ["--lang", "vi"]])
@example(parts=[["--lang=en"]])
@example(parts=[["--"], ["--lang", "en"]])
def test_argv_lang_agrees_with_argparse(parts):
    """Whenever argparse accepts the command line, the language read before parsing is the
    one argparse parses (the last --lang, abbreviations and --lang=en included)."""
    from doanmodel.cli._cliparser import parser  # noqa: PLC0415

    argv = ["check", "somewhere", *[a for p in parts for a in p]]
    try:
        args = parser(argv_lang(argv)).parse_args(argv)
    except SystemExit:
        return
    assert args.lang == argv_lang(argv)


def test_only_lang():
    """`doanmodel --lang en` alone is the English help (no command), like `doanmodel`."""
    assert only_lang([]) and only_lang(["--lang", "en"]) and only_lang(["--lang=en"])
    assert not only_lang(["--lang", "en", "check"]) and not only_lang(["check"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_command_help_in_the_run_language(capsys, lang):
    """`doanmodel --lang en` prints the English help to stderr and exits 2; Vietnamese bare."""
    code = main(["--lang", lang])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("usage: " if lang == "en" else "cách dùng: ")
    assert ("show this help message" in err) == (lang == "en")


def test_library_argparse_is_untouched(capsys):
    """Running the command line leaves argparse as it is for a library user."""
    import argparse  # noqa: PLC0415

    with pytest.raises(SystemExit):
        main(["check"])
    capsys.readouterr()
    plain = argparse.ArgumentParser(prog="x")
    plain.add_argument("path")
    with pytest.raises(SystemExit):
        plain.parse_args([])
    assert "the following arguments are required: path" in capsys.readouterr().err
