"""Tests for criteria sets, scoring methods, ranking, awards and the Scoreboard."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm

YEAR = 2023


def _set(criteria, **top):
    data = {"id": "thu", "title": "Bộ tiêu chí thử", "year": YEAR, "source": "QĐ thử",
            "criterion": criteria, **top}
    return dm.parse_criteria(data)


def _ds(values: dict[str, dict[str, object]], targets=None, clusters=None):
    """Units U1… in one cluster, each reporting the given indicator values for YEAR."""
    units = [dm.Unit(id="T", versions=(dm.UnitVersion(id="T", name="Tỉnh đoàn",
                                                      level=dm.Level.PROVINCE),))]
    units += [dm.Unit(id=u, versions=(dm.UnitVersion(id=u, name=f"Đơn vị {u}",
                                                     level=dm.Level.UPPER_GRASSROOTS,
                                                     parent_id="T"),)) for u in values]
    inds = [dm.Indicator(unit_id=u, period=dm.Period(YEAR), indicator=k, value=Decimal(str(v)))
            for u, vs in values.items() for k, v in vs.items()]
    tgs = [dm.Target(unit_id=u, period=dm.Period(YEAR), indicator=k, value=Decimal(str(v)))
           for u, vs in (targets or {}).items() for k, v in vs.items()]
    cl = clusters or [dm.Cluster(id="c1", name="Cụm 1", year=YEAR, members=tuple(values))]
    return dm.Dataset.build(dm.DatasetMeta(name="thử", root="T", year=YEAR), units,
                            indicators=inds, targets=tgs, clusters=cl)


def _points(board, unit, crit):
    _, s = board.standing(unit)
    return next(c for c in s.criteria if c.id == crit).points


RATIO = {"id": "r", "points": 20, "method": "ratio", "indicator": "x", "target": "targets"}


class TestMethods:
    def test_ratio(self, engine):
        """ratio: points × min(value/target, cap); no target → 0 points and a note."""
        cs = _set([dict(RATIO, cap=1.2)])
        ds = _ds({"A": {"x": 15}, "B": {"x": 40}, "C": {"x": 5}},
                 targets={"A": {"x": 20}, "B": {"x": 20}})
        b = engine.score(ds, YEAR, criteria=cs)
        assert _points(b, "A", "r") == 15
        assert _points(b, "B", "r") == 20  # capped at the criterion's points
        _, c = b.standing("C")
        assert c.criteria[0].points == 0 and "target" in c.criteria[0].note.en

    def test_threshold_and_boolean(self, engine):
        """threshold gives all points at min; boolean for a true value."""
        cs = _set([{"id": "t", "points": 10, "method": "threshold", "min": 0.8, "indicator": "s"},
                   {"id": "b", "points": 5, "method": "boolean", "indicator": "m"}])
        b = engine.score(_ds({"A": {"s": 0.8, "m": 1}, "B": {"s": 0.79, "m": 0}}), criteria=cs)
        assert (_points(b, "A", "t"), _points(b, "A", "b")) == (10, 5)
        assert (_points(b, "B", "t"), _points(b, "B", "b")) == (0, 0)

    def test_steps_bu_dang_reports(self, engine):
        """steps: the Bù Đăng 2015 report sheet (0 missing → 8, ≤2 → 6, ≤3 → 4, else 0)."""
        cs = _set([{"id": "bc", "points": 8, "method": "steps", "indicator": "missing",
                    "steps": [{"max": 0, "points": 8}, {"max": 2, "points": 6},
                              {"max": 3, "points": 4}, {"points": 0}]}])
        b = engine.score(_ds({u: {"missing": n} for u, n in
                              (("A", 0), ("B", 2), ("C", 3), ("D", 5))}), criteria=cs)
        assert [_points(b, u, "bc") for u in "ABCD"] == [8, 6, 4, 0]

    def test_count(self, engine):
        """count: points_each × value, at most points."""
        cs = _set([{"id": "k", "points": 30, "method": "count", "points_each": 4,
                    "indicator": "n"}])
        b = engine.score(_ds({"A": {"n": 3}, "B": {"n": 9}}), criteria=cs)
        assert (_points(b, "A", "k"), _points(b, "B", "k")) == (12, 30)

    def test_rank(self, engine):
        """rank: points by rank in the cluster; ties share a rank."""
        cs = _set([{"id": "q", "points": 10, "method": "rank", "indicator": "n",
                    "points_by_rank": [10, 7, 4]}])
        b = engine.score(_ds({"A": {"n": 5}, "B": {"n": 9}, "C": {"n": 9}, "D": {"n": 1}}),
                         criteria=cs)
        assert [_points(b, u, "q") for u in "BCAD"] == [10, 10, 4, 0]

    def test_missing_is_not_zero(self, engine):
        """A missing indicator scores 0 and says 'missing' in the explanation."""
        cs = _set([{"id": "b", "points": 5, "method": "boolean", "indicator": "m"}])
        b = engine.score(_ds({"A": {"m": 0}, "B": {}}), criteria=cs)
        _, a = b.standing("A")
        _, bb = b.standing("B")
        assert a.criteria[0].how == "reported" and bb.criteria[0].how == "missing"
        assert "MISSING" in str(b.explain("B", "en")) and "THIẾU" in str(b.explain("B"))


class TestLoadErrors:
    @pytest.mark.parametrize(("criterion", "needle"), [
        ({"id": "a", "points": 5, "method": "magic", "indicator": "x"}, "unknown method 'magic'"),
        ({"id": "a", "points": 5, "method": "boolean"}, "no indicator"),
        ({"id": "a", "points": 5, "method": "steps", "indicator": "x",
          "steps": [{"max": 1, "points": 5}]}, "no fallback step"),
        ({"id": "a", "points": 5, "method": "threshold", "indicator": "x"}, "needs min"),
        ({"id": "a", "points": -1, "method": "boolean", "indicator": "x"}, "points must be"),
        ({"id": "a", "points": 5, "method": "boolean", "indicator": "x", "cap": 2},
         "key not used by method boolean"),
    ])
    def test_clear_error(self, criterion, needle):
        """A malformed criterion is refused at load with a message naming it."""
        with pytest.raises(dm.CriteriaError) as info:
            _set([criterion])
        assert any(needle in p.message.en for p in info.value.problems)

    def test_all_problems_at_once(self):
        """Every broken criterion is reported, not just the first."""
        with pytest.raises(dm.CriteriaError) as info:
            _set([{"id": "a", "points": 5, "method": "magic", "indicator": "x"},
                  {"id": "b", "points": 5, "method": "boolean"}], tie_break=["luck"])
        assert len(info.value.problems) == 3


class TestRanking:
    def test_shared_ranks(self, engine):
        """Units equal on every tie-break key share a rank: 1, 2, 2, 4."""
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"}], tie_break=["total"])
        b = engine.score(_ds({"A": {"n": 9}, "B": {"n": 5}, "C": {"n": 5}, "D": {"n": 1}}),
                         criteria=cs)
        assert [s.rank for s in b.clusters[0].standings] == [1, 2, 2, 4]

    def test_tie_break_order(self, engine):
        """Equal totals are broken by core points, then fewer penalties."""
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"},
                   {"id": "b", "points": 5, "method": "count", "points_each": 1, "indicator": "m",
                    "bonus": True}],
                  penalty=[{"id": "p", "points_each": 1, "indicator": "late"}],
                  tie_break=["total", "core", "penalty"])
        b = engine.score(_ds({"A": {"n": 6, "m": 2, "late": 0},
                              "B": {"n": 8, "m": 1, "late": 1},
                              "C": {"n": 8, "m": 0, "late": 0}}), criteria=cs)
        standings = b.clusters[0].standings
        assert {s.total for s in standings} == {8}
        assert [s.unit_id for s in standings] == ["C", "B", "A"]
        assert [s.rank for s in standings] == [1, 2, 3]

    @pytest.mark.parametrize("missing", [None, "unranked", "zero", "error"])
    def test_a_withheld_penalty_count_never_lifts_a_unit(self, engine, missing):
        """B reports one late report, A reports none at all: by default A is not ranked above
        B for withholding it; ``missing = "zero"`` deducts nothing; ``"error"`` refuses."""
        penalty = {"id": "p", "points_each": 1, "indicator": "late"}
        if missing:
            penalty["missing"] = missing
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"}], penalty=[penalty], tie_break=["total"])
        ds = _ds({"A": {"n": 8}, "B": {"n": 8, "late": 1}})
        if missing == "error":
            with pytest.raises(dm.DatasetError, match="late"):
                engine.score(ds, criteria=cs)
            return
        by = {s.unit_id: s for s in engine.score(ds, criteria=cs).clusters[0].standings}
        if missing == "zero":
            assert (by["A"].rank, by["A"].total, by["B"].rank) == (1, 8, 2)
        else:
            assert by["A"].rank is None and by["B"].rank == 1
            assert by["A"].award is None

    def test_bonus_cap_and_floor(self, engine):
        """Bonus counts up to bonus_cap; penalties never take the total below 0."""
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"},
                   {"id": "b", "points": 50, "method": "count", "points_each": 1, "indicator": "m",
                    "bonus": True}],
                  bonus_cap=40, penalty=[{"id": "p", "points_each": 5, "indicator": "late"}])
        b = engine.score(_ds({"A": {"n": 10, "m": 50}, "B": {"n": 1, "late": 3}}), criteria=cs)
        _, a = b.standing("A")
        _, bb = b.standing("B")
        assert (a.total, a.bonus, a.bonus_raw) == (50, 40, 50)
        assert bb.total == 0 and bb.penalty == 15

    def test_awards(self, engine, clusters_2023):
        """Rank 1 earns the Cờ thi đua, rank 2 the Bằng khen, in every cluster."""
        b = engine.score(clusters_2023)
        for cluster in b.clusters:
            awards = {s.rank: s.award for s in cluster.standings}
            assert awards[1].startswith("Cờ thi đua") and awards[2].startswith("Bằng khen")

    def test_exact_decimals(self, engine):
        """Points are exact decimals: 1/3 of 9 points is 3, with no float drift."""
        cs = _set([dict(RATIO, points=9)])
        b = engine.score(_ds({"A": {"x": 1}}, targets={"A": {"x": 3}}), criteria=cs)
        assert _points(b, "A", "r") == Decimal(3)
        board = json.loads(b.to_json())
        assert board["clusters"][0]["standings"][0]["total"] == 3

    def test_excellent_cap(self, engine):
        """At most 20% of those rated good or better are rated excellent: the best totals."""
        cs = _set([{"id": "k", "points": 100, "method": "count", "points_each": 1,
                    "indicator": "n"}])
        values = {f"U{i}": {"n": 90 + i} for i in range(10)}  # all ≥ 90%: all excellent
        b = engine.score(_ds(values), criteria=cs)
        rating = {s.unit_id: s.rating for s in b.clusters[0].standings}
        assert sorted(u for u, r in rating.items() if r == "excellent") == ["U8", "U9"]
        assert list(rating.values()).count("good") == 8

    def test_excellent_cap_never_cuts_a_tie_by_code(self, engine):
        """Equal units the cap would split are rated good together (the unit code must not
        decide an honour); a council vote recorded as a tie-break input separates them."""
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"}])
        values = {f"U{i}": {"n": 10} for i in range(10)}  # 10 equal: 2 places
        b = engine.score(_ds(values), criteria=cs)
        assert {s.rating for s in b.clusters[0].standings} == {"good"}
        voted = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                       "indicator": "n"}], tie_break=["total", "indicator:council_vote"])
        with_votes = {u: {**v, "council_vote": 10 - i} for i, (u, v) in enumerate(values.items())}
        b = engine.score(_ds(with_votes), criteria=voted)
        rating = {s.unit_id: s.rating for s in b.clusters[0].standings}
        assert sorted(u for u, r in rating.items() if r == "excellent") == ["U0", "U1"]

    def test_excellent_cap_keeps_a_tie_that_fits(self, engine):
        """A tie inside the places is kept whole; the group after it is cut as a whole."""
        cs = _set([{"id": "k", "points": 100, "method": "count", "points_each": 1,
                    "indicator": "n"}])
        # 15 units good or better → 3 excellent places: U0 and U1 tie on top (kept), then
        # U2, U3 tie on the third place (cut as a group), the rest are good
        n = {"U0": 99, "U1": 99, "U2": 95, "U3": 95}
        values = {f"U{i}": {"n": n.get(f"U{i}", 85)} for i in range(15)}
        b = engine.score(_ds(values), criteria=cs)
        rating = {s.unit_id: s.rating for s in b.clusters[0].standings}
        assert sorted(u for u, r in rating.items() if r == "excellent") == ["U0", "U1"]


class TestQuangNgaiShapedExample:
    def test_board(self, engine, clusters_2023):
        """The Q1/2023 example: 4 clusters of 3, scored with 360 + 40 bonus points."""
        b = engine.score(clusters_2023)
        assert b.criteria_id == "huyen-2023" and b.max_total == 400
        assert [c.id for c in b.clusters] == ["cum-1", "cum-2", "cum-3", "cum-4"]
        assert all(len(c.standings) == 3 for c in b.clusters)
        cs = engine.criteria_for(clusters_2023, 2023)
        assert cs.max_core == 360 and cs.bonus_cap == 40

    def test_briefings_chaired_as_the_article_says(self, clusters_2023):
        """Cụm 4 by the Bí thư, Cụm 1 by the standing deputy, Cụm 2 and 3 by deputies."""
        chairs = {m.cluster_id: clusters_2023.cadres[m.chair_id].name
                  for m in clusters_2023.meetings if m.kind is dm.MeetingKind.CLUSTER_BRIEFING}
        assert chairs == {"cum-4": "Hà Duy Trung", "cum-1": "Nguyễn Thành Trung",
                          "cum-3": "Huỳnh Thị Thanh Nguyệt", "cum-2": "Phạm Hồng Hiệp"}

    def test_explain_cites_sources(self, engine, clusters_2023):
        """explain lists every criterion with its points, maximum and source."""
        text = str(engine.score(clusters_2023).explain("H01", "en"))
        assert "Quảng Ngãi 18/4/2018" in text and "Bù Đăng 2015" in text
        assert text.count("\n") > 12

    def test_outputs(self, engine, clusters_2023):
        """JSON has the contract's keys; CSV and HTML render; records are flat."""
        b = engine.score(clusters_2023)
        data = json.loads(b.to_json())
        st_ = data["clusters"][0]["standings"][0]
        assert {"unit_id", "unit_name", "rank", "total", "core", "bonus", "penalty", "award",
                "criteria"} <= set(st_)
        assert {"id", "points", "max", "value", "source"} <= set(st_["criteria"][0])
        assert {"doanmodel", "plugins", "parameters", "criteria_set"} <= set(data["provenance"])
        assert "<table>" in b._repr_html_()
        assert b.to_csv().startswith("cluster_id,")
        assert len(b.to_records()) == 12

    def test_dataframe(self, engine, clusters_2023):
        """The board becomes a DataFrame when pandas is installed."""
        pytest.importorskip("pandas")
        df = engine.score(clusters_2023).to_dataframe()
        assert len(df) == 12 and "total" in df.columns

    def test_what_if(self, engine, clusters_2023):
        """Raising the weight of one criterion lists who moves."""
        w = engine.what_if(clusters_2023, weights={"xay-dung-doan.ket-nap": 200})
        assert w.after.max_total == 540
        assert all(c.total_before != c.total_after or c.rank_before != c.rank_after
                   for c in w.changes)
        assert w.changes  # someone's total changes when a criterion weighs 200


# ----------------------------------------------------------------------------- properties
values = st.decimals(min_value=0, max_value=200, places=2, allow_nan=False, allow_infinity=False)
PROPERTY_SET = [
    {"id": "r", "points": 30, "method": "ratio", "indicator": "a", "target": 50, "cap": 1.1},
    {"id": "t", "points": 20, "method": "threshold", "indicator": "b", "min": 60},
    {"id": "s", "points": 20, "method": "steps", "indicator": "c",
     "steps": [{"min": 100, "points": 20}, {"min": 50, "points": 10}, {"points": 0}]},
    {"id": "k", "points": 15, "method": "count", "indicator": "d", "points_each": 0.7},
    {"id": "q", "points": 15, "method": "rank", "indicator": "e", "points_by_rank": [15, 9, 3]},
    {"id": "x", "points": 25, "method": "count", "indicator": "f", "points_each": 3,
     "bonus": True},
]
unit_values = st.fixed_dictionaries(dict.fromkeys("abcdef", values), optional={"late": values})
boards = st.dictionaries(st.sampled_from([f"U{i}" for i in range(8)]), unit_values,
                         min_size=1, max_size=6)


def _prop_set():
    return _set(PROPERTY_SET, bonus_cap=20,
                penalty=[{"id": "p", "points_each": 1.5, "indicator": "late", "max": 30,
                          "missing": "zero"}])  # the boards hold no late count: no deduction


@given(boards)
def test_total_bounds(engine, values):
    """Every total lies in [0, max core + bonus cap]."""
    cs = _prop_set()
    b = engine.score(_ds(values), criteria=cs)
    for s in b.clusters[0].standings:
        assert 0 <= s.total <= cs.max_core + cs.bonus_cap


@given(boards, st.randoms(use_true_random=False))
def test_ranking_ignores_order(engine, values, rnd):
    """Ranks do not depend on the order of units or rows."""
    items = list(values.items())
    rnd.shuffle(items)
    a = engine.score(_ds(values), criteria=_prop_set())
    b = engine.score(_ds(dict(items)), criteria=_prop_set())
    assert {s.unit_id: (s.rank, s.total) for s in a.clusters[0].standings} == \
        {s.unit_id: (s.rank, s.total) for s in b.clusters[0].standings}


@given(boards, st.data())
@example({"U0": {k: Decimal(0) for k in "abcdef"}, "U1": {k: Decimal(0) for k in "abcdef"}},
         None)
def test_raising_indicator_never_hurts(engine, values, data):
    """Raising a unit's indicator on a ratio, threshold, steps or count criterion never lowers
    its total or worsens its rank."""
    cs = _prop_set()
    unit = sorted(values)[0]
    key = data.draw(st.sampled_from("abcd")) if data else "a"
    bump = data.draw(values_strategy()) if data else Decimal(10)
    raised = {u: dict(v) for u, v in values.items()}
    raised[unit][key] = raised[unit][key] + bump
    _, before = engine.score(_ds(values), criteria=cs).standing(unit)
    _, after = engine.score(_ds(raised), criteria=cs).standing(unit)
    assert after.total >= before.total and after.rank <= before.rank


def values_strategy():
    return st.decimals(min_value=0, max_value=100, places=2, allow_nan=False,
                       allow_infinity=False)


@given(boards, unit_values)
def test_points_independent_of_others(engine, values, other):
    """A unit's points on non-rank criteria do not change when another unit's data changes."""
    cs = _prop_set()
    unit = sorted(values)[0]
    changed = dict(values)
    changed["U9"] = other
    _, a = engine.score(_ds(values), criteria=cs).standing(unit)
    _, b = engine.score(_ds(changed), criteria=cs).standing(unit)
    assert [c.points for c in a.criteria if c.id != "q"] == \
        [c.points for c in b.criteria if c.id != "q"]


@given(boards)
def test_scoreboard_json_round_trip(engine, values):
    """A Scoreboard written to JSON and read back is equal, exact decimals included."""
    b = engine.score(_ds(values), criteria=_prop_set())
    assert dm.Scoreboard.from_json(b.to_json()) == b


def test_plot(engine, clusters_2023):
    """The board draws a bar per unit when matplotlib is installed."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = engine.score(clusters_2023).plot(lang="en")
    assert len(ax.get_yticklabels()) == 12 and ax.get_xlabel() == "points"


def test_excel(engine, clusters_2023, tmp_path):
    """The board writes an Excel workbook: a sheet per cluster (named after it) and one of
    criteria; never over an existing file."""
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "bang.xlsx"
    board = engine.score(clusters_2023)
    board.to_excel(path, "en")
    wb = openpyxl.load_workbook(path)
    names = [c.name for c in board.clusters]
    assert wb.sheetnames == ["Summary", *names, "Criteria", "Sources", "Provenance"]
    # two title rows, then the header (issue 25: print-ready sheets)
    assert wb[names[0]]["A4"].value == 1
    assert wb["Criteria"].max_row == 4 + 12 * 12  # three title rows (with the set's source)
    with pytest.raises(FileExistsError):
        board.to_excel(path)
