"""Results hold data; every format comes from the front door (dm.to_table(x), dm.to_json(x) …).

The old methods (``report.to_json()`` …) are kept for one release as one mixin's delegations:
they must give exactly what the front door gives.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.model._formats import Formats
from doanmodel.testing import plugin_engine, tiny_dataset

ENGINE = plugin_engine()

#: the old format methods: none of them may be defined on a result class itself
FORMAT_METHODS = ("to_dict", "to_json", "from_json", "from_dict", "to_table", "to_csv",
                  "to_html", "to_records", "to_dataframe", "to_excel", "write_json",
                  "write_csv", "plot", "_repr_html_", "__str__")

RESULT_CLASSES = (dm.Report, dm.Finding, dm.Scoreboard, dm.ClusterBoard, dm.Standing,
                  dm.CriterionScore, dm.WhatIf, dm.Census, dm.CensusRow, dm.Sensitivity,
                  dm.ProgrammeReport)


def _results(seed: int = 1, weight: int = 30) -> dict[str, object]:
    ds = tiny_dataset(("P1", "P2"), seed=seed)
    board = ENGINE.score(ds, 2024)
    return {"report": ENGINE.check(ds, 2024), "board": board,
            "explanation": board.explain(board.clusters[0].standings[0].unit_id),
            "what_if": ENGINE.what_if(ds, 2024, weights={"new": weight}),
            "census": dm.census(ds, dt.date(2024, 6, 30)),
            "sensitivity": ENGINE.sensitivity(ds, 2024, draws=20, board=board)}


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    return _results()


def test_result_classes_hold_no_formats():
    """A result class defines none of the format methods: they come from the one mixin."""
    explanation = type(_results()["explanation"])
    for cls in (*RESULT_CLASSES, explanation):
        assert issubclass(cls, Formats), cls.__name__
        own = [m for m in FORMAT_METHODS if m in vars(cls)]
        assert own == [], f"{cls.__name__} defines {own}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_old_methods_give_what_the_front_door_gives(results, lang):
    """``x.to_table(lang)`` is ``dm.to_table(x, lang)``, and so for JSON, CSV and records."""
    board, report, census = results["board"], results["report"], results["census"]
    sens, what_if = results["sensitivity"], results["what_if"]
    for x in (board, report, census, sens, what_if):
        assert x.to_table(lang) == dm.to_table(x, lang)
    for x in (board, report, census, sens):
        assert x.to_json(lang) == dm.to_json(x, lang)
        assert x.to_csv(lang) == dm.to_csv(x, lang)
        assert x.to_dict(lang) == dm.to_dict(x, lang)
    for x in (board, report, sens):
        assert x.to_records(lang) == dm.to_records(x, lang)
    assert report.to_table(lang, only_failed=True) == dm.to_table(report, lang,
                                                                   only_failed=True)
    stream = io.StringIO()
    report.write_json(stream, lang)
    assert json.loads(stream.getvalue()) == dm.to_dict(report, lang)


def test_an_explanation_speaks_its_own_language(results):
    """str(), the table and the JSON of an explanation are in the language it was made in."""
    ex = results["explanation"].lang("en")
    assert str(ex) == dm.to_table(ex) == dm.to_table(results["explanation"], "en")
    assert "Rank" in str(ex) and "Hạng" not in str(ex)
    assert dm.to_dict(ex) == ex.to_dict() == dm.to_dict(results["explanation"], "en")


def test_the_front_door_refuses_a_format_a_type_lacks(results):
    """Asking for a format a result does not have is a TypeError naming both."""
    with pytest.raises(TypeError, match="no table for Finding"):
        dm.to_table(results["report"].findings[0])
    with pytest.raises(TypeError, match="no plot for Report"):
        dm.plot(results["report"])
    with pytest.raises(TypeError, match="no CSV for str"):
        dm.to_csv("a string")
    assert results["report"].findings[0]._repr_html_() is None  # a notebook shows its text


def test_str_of_a_result_without_text_is_its_repr(results):
    """The mixin's ``__str__`` changes nothing for results that had no text of their own."""
    f = results["report"].findings[0]
    assert str(f) == repr(f)


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), weight=st.integers(1, 60))
def test_front_door_json_reads_back_equal(seed, weight):
    """``dm.from_json(type(x), dm.to_json(x, exact=True)) == x`` for every result type, and the
    old classmethod reads the same text."""
    rs = _results(seed, weight)
    board = rs["board"]
    for x in (rs["report"], board, rs["explanation"], rs["what_if"], rs["census"],
              board.clusters[0], board.clusters[0].standings[0]):
        text = dm.to_json(x, exact=True)
        assert dm.from_json(type(x), text) == x, type(x).__name__
        assert type(x).from_json(text) == x, type(x).__name__
    assert dm.from_json(dm.Scoreboard, dm.to_json(board)) == board  # the contract's shape


def test_excel_through_the_front_door(results, tmp_path):
    """``board.to_excel(path)`` and ``dm.write_excel(board, path)`` write the same sheets."""
    openpyxl = pytest.importorskip("openpyxl")
    board = results["board"]
    board.to_excel(tmp_path / "a.xlsx", "en")
    dm.write_excel(board, tmp_path / "b.xlsx", "en")
    a, b = openpyxl.load_workbook(tmp_path / "a.xlsx"), openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert [[c.value for c in r] for r in a[name].iter_rows()] == \
            [[c.value for c in r] for r in b[name].iter_rows()]


def test_the_streams_and_readers_refuse_other_types(results):
    """Streamed JSON/CSV are a report's; from_dict reads a board and its parts only."""
    board = results["board"]
    with pytest.raises(TypeError, match="no HTML for Finding"):
        dm.to_html(results["report"].findings[0])
    with pytest.raises(TypeError, match="no streamed JSON for Scoreboard"):
        board.write_json(io.StringIO())
    with pytest.raises(TypeError, match="no streamed CSV for Scoreboard"):
        board.write_csv(io.StringIO())
    with pytest.raises(TypeError, match="reads no Report"):
        dm.Report.from_dict({})
    assert dm.Scoreboard.from_dict(dm.to_dict(board)) == board


def test_a_moved_module_answers_to_its_old_name():
    """``doanmodel.dataset._store`` is ``doanmodel.query._store`` itself (one module object,
    keeping its own name and spec), for one release."""
    import doanmodel._output.text as text_new  # noqa: PLC0415
    import doanmodel._render as text_old  # noqa: PLC0415
    import doanmodel.dataset._store as old  # noqa: PLC0415
    import doanmodel.query._store as new  # noqa: PLC0415

    assert old is new and old.__name__ == old.__spec__.name == "doanmodel.query._store"
    assert text_old is text_new
