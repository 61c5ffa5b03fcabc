"""Results are plain data: every result type reads back equal from its lossless JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel._output.convert import RESULT_TYPES, from_json, to_json
from doanmodel.testing import plugin_engine, tiny_dataset

ENGINE = plugin_engine()

values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.text(max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3)
    | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=8)

findings = st.builds(
    dm.Finding, rule=st.from_regex(r"[a-z]{1,5}\.[a-z_]{1,8}", fullmatch=True),
    subject_type=st.sampled_from(["unit", "cadre", "visit", "member"]),
    subject_id=st.text(min_size=1, max_size=8), status=st.sampled_from(list(dm.Status)),
    value=values, threshold=values,
    message=st.builds(dm.Text, st.text(max_size=20), st.text(max_size=20)),
    source=st.text(max_size=20), province=st.none() | st.text(max_size=4),
    inputs=st.dictionaries(st.text(max_size=6), values, max_size=4),
    origin=st.sampled_from(["national", "xx"]))


@settings(max_examples=60, deadline=None)
@given(findings)
@example(dm.Finding(rule="a._", subject_type="unit", subject_id="0", status=dm.Status.PASS,
                    value={"$date": None}, threshold={"$decimal": "1"}, message=dm.Text("", ""),
                    source="", inputs={"$date": None}))  # a user's "$…" key is not a tag
def test_finding_round_trip(f):
    """Any finding, whatever its value, threshold and inputs hold, reads back equal."""
    assert from_json(to_json(f)) == f


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), weight=st.integers(1, 60))
def test_every_result_type_round_trips(seed, weight):
    """Report, Scoreboard, Explanation, WhatIf and Census of a generated dataset read back
    equal (their parts — ClusterBoard, Standing, CriterionScore, RankChange, CensusRow — too)."""
    ds = tiny_dataset(("P1", "P2"), seed=seed)
    report = ENGINE.check(ds, 2024)
    board = ENGINE.score(ds, 2024)
    results = [report, board, board.explain(board.clusters[0].standings[0].unit_id),
               ENGINE.what_if(ds, 2024, weights={"new": weight}),
               dm.census(ds, dt.date(2024, 6, 30)), board.clusters[0],
               board.clusters[0].standings[0], board.clusters[0].standings[0].criteria[0]]
    for r in results:
        back = type(r).from_json(r.to_json(exact=True)) if hasattr(type(r), "from_json") \
            and type(r) is not dm.Scoreboard else from_json(to_json(r))
        assert back == r, type(r).__name__
    assert dm.Scoreboard.from_json(to_json(board)) == board
    assert dm.Scoreboard.from_json(board.to_json()) == board  # the contract's shape too


def test_every_result_type_is_plain_attrs():
    """Every result type is a frozen attrs class."""
    for cls in RESULT_TYPES.values():
        assert attrs.has(cls), cls
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            obj = object.__new__(cls)
            setattr(obj, attrs.fields(cls)[0].name, None)


def test_bad_json_is_a_clear_error():
    """A document of the wrong type or shape is refused with a DoanmodelError."""
    with pytest.raises(dm.DoanmodelError, match="not a Report"):
        dm.Report.from_json('{"$type": "Census"}')
    with pytest.raises(dm.DoanmodelError, match="cannot read a Report"):
        dm.Report.from_json('{"$type": "Report", "dataset": 1}')


def test_decimal_exactness_survives():
    """Exact decimals survive: 351.588… is not rounded on the way."""
    f = dm.Finding(rule="a.b", subject_type="unit", subject_id="X", status=dm.Status.PASS,
                   value=Decimal("351.5882352941176470588235294"), threshold=Decimal("0.1"),
                   message=dm.Text("a", "b"), source="s")
    assert from_json(to_json(f)).value == Decimal("351.5882352941176470588235294")
