"""
Results read back equal from their default JSON (issue 20, item 3): ``type(x).from_json(
x.to_json()) == x`` for every result type and ``dataset_from_json(dataset_to_json(ds)) == ds``,
with no option. The default JSON is the contract's (the one the CLI prints): it stays valid
against its JSON Schema, and its ``exact`` keys are what keeps it lossless.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from conftest import EXAMPLES
from doanmodel.model._convert import converter as shared
from doanmodel.testing import plugin_engine, tiny_dataset
from doanmodel.testing.strategies import tree_dataset, trees

ENGINE = plugin_engine()
NATIONAL_ENGINE = dm.Engine()  # with the installed plugins: rules with province scopes

values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
    | st.builds(dm.Text, st.text(max_size=6), st.text(max_size=6)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8)
texts = st.builds(dm.Text, st.text(max_size=20), st.text(max_size=20))
findings = st.builds(
    dm.Finding, rule=st.from_regex(r"[a-z]{1,5}\.[a-z_]{1,8}", fullmatch=True),
    subject_type=st.sampled_from(["unit", "cadre", "visit", "member"]),
    subject_id=st.text(min_size=1, max_size=8), status=st.sampled_from(list(dm.Status)),
    value=values, threshold=values, message=texts,
    source=st.text(max_size=20), province=st.none() | st.text(max_size=4),
    inputs=st.dictionaries(st.text(max_size=6), values, max_size=4),
    origin=st.sampled_from(["national", "xx"]))
failures = st.builds(
    dm.PluginFailure, plugin=st.text(min_size=1, max_size=6), where=st.text(max_size=12),
    error=st.text(max_size=10), message=st.text(max_size=20),
    message_vi=st.none() | st.text(max_size=20), kind=st.sampled_from(["error", "contract"]))
periods = st.integers(2018, 2030).flatmap(lambda y: st.sampled_from(
    [f"{y}", f"{y}-H1", f"{y}-Q3", f"{y}-07"])).map(dm.parse_period)
reports = st.builds(
    dm.Report, dataset=st.text(max_size=10), period=periods,
    findings=st.lists(findings, max_size=4).map(tuple),
    rules=st.lists(st.sampled_from(NATIONAL_ENGINE.rules()), max_size=3, unique_by=lambda r: r.id
                   ).map(tuple),
    provenance=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5),
                               max_size=3),
    plugin_failures=st.lists(failures, max_size=2).map(tuple))


def _back(result, **kw):
    return type(result).from_json(result.to_json(**kw))


@settings(max_examples=50, deadline=None)
@given(findings)
@example(dm.Finding(rule="a.b", subject_type="unit", subject_id="X", status=dm.Status.PASS,
                    value=Decimal("351.5882352941176470588235294"), threshold=0.1,
                    message=dm.Text("đạt", "met"), source="s",
                    inputs={"on": dt.date(2024, 1, 1), "label": dm.Text("a", "b")}))
@example(dm.Finding(rule="a.b", subject_type="unit", subject_id="0", status=dm.Status.PASS,
                    value=None, threshold=None, message=dm.Text("", ""), source="",
                    inputs={"": 1e+26}))  # was an InvalidOperation rounding it for the JSON
@example(dm.Finding(rule="a.b", subject_type="unit", subject_id="0", status=dm.Status.PASS,
                    value={"$date": None}, threshold={"$float": "x"}, message=dm.Text("", ""),
                    source="", inputs={"$text": 1}))  # a user's "$…" key is not a tag
def test_finding_round_trips_by_default(f):
    """Any finding reads back equal from its default JSON and from its English JSON: the
    ``exact`` key keeps the other language, exact decimals, floats, dates and texts."""
    assert _back(f) == f
    assert dm.Finding.from_json(f.to_json("en")) == f


@settings(max_examples=25, deadline=None)
@given(reports)
def test_report_round_trips_by_default(report):
    """A report reads back equal from ``to_json()`` (its summary and year are computed, not
    read), in either language."""
    assert _back(report) == report
    assert dm.Report.from_json(report.to_json("en")) == report


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 10_000), weight=st.integers(1, 60))
def test_scoring_results_round_trip_by_default(seed, weight):
    """Report, Scoreboard, ClusterBoard, Standing, Explanation, WhatIf and Census of a
    generated dataset read back equal from their default JSON."""
    ds = tiny_dataset(("P1", "P2"), seed=seed)
    board = ENGINE.score(ds, 2024)
    cluster = board.clusters[0]
    unit = cluster.standings[0].unit_id
    results = [ENGINE.check(ds, 2024), board, cluster, cluster.standings[0],
               board.explain(unit), board.explain(unit, "en"),
               ENGINE.what_if(ds, 2024, weights={"new": weight}),
               dm.census(ds, dt.date(2024, 6, 30))]
    for r in results:
        assert _back(r) == r, type(r).__name__
    for r, schema in ((results[0], "check"), (board, "score"), (results[4], "explain"),
                      (results[7], "census")):
        jsonschema.validate(json.loads(r.to_json()), dm.json_schema(schema))


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 10_000), draws=st.integers(5, 30))
def test_sensitivity_round_trips_by_default(seed, draws):
    """A sensitivity reads back equal from its default JSON, unrounded probabilities too."""
    ds = tiny_dataset(("P1",), seed=seed)
    s = ENGINE.sensitivity(ds, 2024, draws=draws, seed=seed)
    assert _back(s) == s
    assert dm.Sensitivity.from_json(s.to_json("en")) == s


@settings(max_examples=6, deadline=None)
@given(as_of=st.dates(dt.date(2023, 1, 1), dt.date(2025, 12, 31)))
def test_programme_report_round_trips_by_default(as_of):
    """A programme report (programmes, topics, recommendations) reads back equal, as of any
    day, and its JSON is valid against the ``programme`` schema."""
    ds = dm.load_dataset(EXAMPLES / "kiem-tra-2023")
    report = NATIONAL_ENGINE.programme(ds, as_of=as_of)
    assert report.programmes
    assert _back(report) == report
    jsonschema.validate(json.loads(report.to_json()), dm.json_schema("programme"))


@settings(max_examples=10, deadline=None)
@given(year=st.sampled_from([2023, 2024]), lang=st.sampled_from(["vi", "en"]))
def test_rating_report_round_trips_by_default(year, lang):
    """A rating report (stages, ceilings, findings with their sources) reads back equal from
    its JSON in either language, and its JSON is valid against the ``rating`` schema."""
    report = NATIONAL_ENGINE.rating(dm.load_dataset(EXAMPLES / "xep-loai-2024"), year)
    assert _back(report) == report
    assert dm.RatingReport.from_json(report.to_json(lang)) == report
    jsonschema.validate(json.loads(report.to_json(lang)), dm.json_schema("rating"))


@settings(max_examples=25, deadline=None)
@given(trees(max_units=12))
def test_dataset_round_trips_by_default(versions):
    """Any valid tree's dataset reads back equal from ``dataset_to_json``."""
    ds = tree_dataset(versions)
    assert dm.dataset_from_json(dm.dataset_to_json(ds)) == ds


@pytest.mark.parametrize("example", ["tra-vinh-2019", "cum-thi-dua-2023", "tien-giang-2024"])
def test_example_reports_round_trip_with_their_plugins(example):
    """The examples' reports, with the installed plugins' scoped rules, read back equal; the
    JSON is valid against the ``check`` schema."""
    ds = dm.load_dataset(EXAMPLES / example)
    report = NATIONAL_ENGINE.check(ds)
    assert any(r.scope.provinces for r in report.rules)
    assert _back(report) == report
    jsonschema.validate(json.loads(report.to_json("en")), dm.json_schema("check"))


def test_one_language_contract_json_still_reads():
    """A contract document without ``exact`` keys (written by hand, or by an older version)
    reads: the one-language message stands for both languages, computed keys are ignored."""
    doc = {"dataset": "d", "year": 2024, "summary": {"findings": 1},
           "findings": [{"rule": "a.b", "subject_type": "unit", "subject_id": "X",
                         "status": "fail", "value": 1.5, "threshold": 2, "message": "thiếu",
                         "source": "HD 1"}]}
    report = dm.Report.from_json(json.dumps(doc))
    assert report.period == dm.parse_period("2024")
    assert report.findings[0].message == dm.Text("thiếu", "thiếu")
    assert report.findings[0].value == 1.5 and report.findings[0].status is dm.Status.FAIL


def test_explanation_without_its_board_is_a_clear_error():
    """``doanmodel explain`` prints the unit's part only: reading it back says what to use."""
    board = ENGINE.score(tiny_dataset(), 2024)
    e = board.explain(board.clusters[0].standings[0].unit_id)
    with pytest.raises(dm.DoanmodelError, match=r"Explanation.to_json\(\)"):
        dm.Explanation.from_json(json.dumps(e.to_dict()))
    other = json.loads(e.to_json())
    other["unit_id"] = "nobody"
    with pytest.raises(dm.DoanmodelError, match="has no unit 'nobody'"):
        dm.Explanation.from_json(json.dumps(other))


def test_bad_contract_json_is_a_clear_error():
    """A malformed contract document is a DoanmodelError naming the type, not a KeyError."""
    with pytest.raises(dm.DoanmodelError, match="cannot read a Report"):
        dm.Report.from_json('{"dataset": "d", "findings": [{"rule": 1}]}')
    with pytest.raises(dm.DoanmodelError, match="not a Report"):
        dm.Report.from_json("[]")


def test_one_converter():
    """The dataset and the results go through one cattrs converter object."""
    from doanmodel._output import convert  # noqa: PLC0415
    from doanmodel.dataset import _serialization  # noqa: PLC0415

    assert dm.converter is convert.converter is _serialization.converter is shared
