"""One language, everywhere (issue 25): the leaks found by a clerk, each pinned; every result
type through HTML and Excel in both languages, checked against the word catalogue."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel._output.notebook import html_of
from doanmodel.cli._cli import main
from test_one_language import WORD, _other_words, data_strings, strip_data

__all__ = ["_other_words"]  # the other_words fixture

ENGINE = dm.Engine()
CUM = EXAMPLES / "cum-thi-dua-2023"
TV = EXAMPLES / "tra-vinh-2019"
KT = EXAMPLES / "kiem-tra-2023"
FLAG = "Cờ thi đua của Ban Chấp hành Tỉnh đoàn"


def run(capsys, *args):
    code = main([*map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


def found(text, lang, data, other_words):
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.DOTALL)
    rest = strip_data(html.unescape(re.sub(r"<[^>]+>", " ", text)), data)
    return {w for w in WORD.findall(rest) if w.casefold() in other_words[lang]}


def test_validate_counts_programmes_in_vietnamese(capsys):
    code, out = run(capsys, "validate", TV)
    assert code == 0 and "programmes" not in out and "0 chương trình công tác" in out


def test_plugins_names_programme_kinds_in_vietnamese(capsys):
    code, out = run(capsys, "plugins")
    assert code == 0 and "programme_kinds" not in out and "loại chương trình công tác" in out


def test_report_html_names_subjects_in_the_language():
    report = ENGINE.check(dm.load_dataset(TV), year=2019)
    page = html_of(report, "vi")
    assert "<td>cán bộ</td>" in page and "<td>cadre</td>" not in page
    assert "<td>cadre</td>" in html_of(report, "en")


def test_english_sensitivity_translates_award_titles(capsys):
    for fmt in ("table", "csv", "json"):
        code, out = run(capsys, "sensitivity", CUM, "--draws", "30", "--lang", "en",
                        "--format", fmt)
        if fmt == "json":  # `exact` keeps the set's own titles as keys (docs/decisions.md)
            import json

            doc = json.loads(out)
            doc.pop("exact", None)
            out = json.dumps(doc, ensure_ascii=False)
        assert code == 0 and FLAG not in out and "Emulation flag" in out, fmt
    s = ENGINE.sensitivity(dm.load_dataset(CUM), draws=30)
    assert FLAG not in html_of(s, "en") and FLAG in html_of(s, "vi")


def test_explanation_html_titles_and_award_in_the_language():
    board = ENGINE.score(dm.load_dataset(CUM))
    ex = board.explain("H01")
    page = html_of(ex, "en")
    assert FLAG not in page and "Emulation flag" in page
    first = ex.standing.criteria[0]
    assert first.title and f"<td>{html.escape(first.title)}</td>" in page  # title, not id only


def test_programme_report_has_html():
    """A notebook shows a ProgrammeReport as tables, not a dataclass dump, in its language."""
    report = ENGINE.programme(dm.load_dataset(KT), as_of=dt.date(2024, 12, 31))
    page = report._repr_html_()
    assert page.startswith('<div class="doanmodel">') and "<table>" in page
    assert report.programmes[0].rows[0].unit_name in page
    en = report.lang("en")._repr_html_()
    assert en != page and "<table>" in en
    empty = ENGINE.programme(dm.load_dataset(TV))
    assert "không có chương trình công tác" in empty._repr_html_()


def test_programme_without_programmes_says_so(capsys):
    code, out = run(capsys, "programme", TV)
    assert code == 0 and out.strip() != "không có"
    assert "không có chương trình công tác nào" in out and "programmes.toml" in out


# ---------------------------------------------------------------------------- everywhere
def _results():
    cum, tv = dm.load_dataset(CUM), dm.load_dataset(TV)
    board = ENGINE.score(cum)
    return {"Scoreboard": (board, CUM), "Explanation": (board.explain("H01"), CUM),
            "Report": (ENGINE.check(tv, year=2019), TV),
            "Census": (dm.census(dm.load_dataset(EXAMPLES / "can-bo-2021"),
                                 as_of=dt.date(2021, 11, 15)), EXAMPLES / "can-bo-2021"),
            "Sensitivity": (ENGINE.sensitivity(cum, draws=30), CUM),
            "ProgrammeReport": (ENGINE.programme(dm.load_dataset(KT),
                                                 as_of=dt.date(2024, 12, 31)), KT)}


RESULTS = _results()


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", sorted(RESULTS))
def test_every_result_html_speaks_one_language(other_words, lang, kind):
    result, path = RESULTS[kind]
    leaks = found(html_of(result, lang), lang, data_strings(path, lang), other_words)
    assert not leaks, f"{kind} HTML in {lang}: {sorted(leaks)}"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", ["Scoreboard", "Report", "Census", "Sensitivity",
                                  "ProgrammeReport"])
def test_every_result_workbook_speaks_one_language(other_words, tmp_path, lang, kind):
    openpyxl = pytest.importorskip("openpyxl")
    result, path = RESULTS[kind]
    out = tmp_path / "r.xlsx"
    dm.write_excel(result, out, lang)
    wb = openpyxl.load_workbook(out)
    text = "\n".join([*wb.sheetnames, *(str(c.value) for ws in wb for row in ws.iter_rows()
                                        for c in row if isinstance(c.value, str))])
    data = [*data_strings(path, lang), result.dataset, *(
        [p["name"] for p in result.provenance.get("plugins", [])]
        if hasattr(result, "provenance") else [])]
    leaks = found(text, lang, data, other_words)
    assert not leaks, f"{kind} workbook in {lang}: {sorted(leaks)}"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("command", [("sensitivity", CUM, "--draws", "30"),
                                     ("programme", KT, "--as-of", "31/12/2024"),
                                     ("programme", TV)], ids=lambda c: f"{c[0]}-{c[1].name}")
def test_sensitivity_and_programme_speak_one_language(capsys, other_words, lang, fmt, command):
    """The commands test_one_language does not run, through every text output."""
    name, path, *rest = command
    code, out = run(capsys, name, path, *rest, "--format", fmt, "--lang", lang)
    assert code == 0
    # field names (JSON keys, CSV headers) are the contract's identifiers; values are checked,
    # except the `exact` keys: data for programs, in both languages (docs/decisions.md)
    if fmt == "json":
        import json

        def values(v):
            if isinstance(v, str):
                yield v
            elif isinstance(v, dict):
                for k, x in v.items():
                    if k != "exact":
                        yield from values(x)
            elif isinstance(v, list):
                for x in v:
                    yield from values(x)

        out = "\n".join(values(json.loads(out)))
    elif fmt == "csv":
        out = out.partition("\n")[2]
    leaks = found(out, lang, data_strings(path, lang), other_words)
    assert not leaks, f"{name} --format {fmt} in {lang}: {sorted(leaks)}"


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("kind", ["Scoreboard", "Sensitivity"])
def test_plot_texts_speak_one_language(other_words, lang, kind):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    result, path = RESULTS[kind]
    ax = result.plot(lang=lang)
    fig = ax.figure
    texts = [t.get_text() for a in fig.axes for t in (a.title, a.xaxis.label, a.yaxis.label,
                                                      *a.get_xticklabels(), *a.texts)]
    legend = ax.get_legend()
    if legend is not None:
        texts += [t.get_text() for t in legend.get_texts()]
    import matplotlib.pyplot as plt

    plt.close(fig)
    leaks = found("\n".join(texts), lang, data_strings(path, lang), other_words)
    assert not leaks, f"{kind} plot in {lang}: {sorted(leaks)}"
