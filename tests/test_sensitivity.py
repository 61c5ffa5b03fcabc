"""Tests for `Engine.sensitivity` and `doanmodel sensitivity`."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.cli._cli import main
from doanmodel.scoring._sensitivity import spearman
from test_scoring import YEAR, _ds, _set

CTD = "examples/cum-thi-dua-2023"
COUNT = {"id": "k", "points": 10, "method": "count", "points_each": 1, "indicator": "n"}
AWARDS = [{"rank": 1, "title": "Cờ"}, {"rank": 2, "title": "BK"}]


class TestApi:
    def test_no_spread_reproduces_the_board(self, engine, clusters_2023):
        """With no spread every draw is the board: interval = rank, awards certain."""
        s = engine.sensitivity(clusters_2023, draws=20, weights_spread=0.0)
        board = engine.score(clusters_2023)
        for c in board.clusters:
            for st_ in c.standings:
                u = s.unit(st_.unit_id)
                assert (u.rank, u.median_rank, u.low, u.high) == (st_.rank,) * 4
                assert u.awards == ({st_.award: 1.0} if st_.award else {})

    def test_reproducible_for_a_seed(self, engine, clusters_2023):
        """The same seed gives the same result; another seed another one."""
        a = engine.sensitivity(clusters_2023, draws=200, seed=5, value_spread=0.2)
        b = engine.sensitivity(clusters_2023, draws=200, seed=5, value_spread=0.2)
        c = engine.sensitivity(clusters_2023, draws=200, seed=6, value_spread=0.2)
        assert a == b and a.to_json() == b.to_json()
        assert a.units != c.units

    def test_close_cluster_is_uncertain(self, engine, clusters_2023):
        """Cụm 3 (305.37 vs 297) moves under ±10 % weights; Cụm 2's leader never does."""
        s = engine.sensitivity(clusters_2023, draws=500, value_spread=0.1)
        h08 = s.unit("H08")
        assert h08.low == 1 and h08.high >= 2 and 0 < h08.awards["Cờ thi đua của Ban Chấp "
                                                                  "hành Tỉnh đoàn"] < 1
        h05 = s.unit("H05")
        assert (h05.low, h05.high) == (1, 1)

    def test_dirichlet(self, engine, clusters_2023):
        """Dirichlet weights: a low concentration spreads ranks more than a high one."""
        wide = engine.sensitivity(clusters_2023, draws=300, dirichlet=5)
        narrow = engine.sensitivity(clusters_2023, draws=300, dirichlet=5000)
        width = lambda s: sum(u.high - u.low for u in s.units)  # noqa: E731
        assert width(wide) > width(narrow)
        assert wide.weights_spread is None and wide.dirichlet == 5

    def test_twins_share_every_draw(self, engine):
        """Under weight draws twins share a rank every time, so their Cờ is always undecided
        (value draws are per unit: each unit's report has its own uncertainty)."""
        cs = _set([COUNT, dict(COUNT, id="k2", indicator="m")], award=AWARDS)
        ds = _ds({"A": {"n": 9, "m": 3}, "B": {"n": 9, "m": 3}, "C": {"n": 2, "m": 9}})
        s = engine.sensitivity(ds, YEAR, criteria=cs, draws=100, weights_spread=0.3)
        assert s.unit("A").undecided == s.unit("B").undecided == 1.0
        assert s.unit("A").awards == {} and s.unit("A").median_rank == s.unit("B").median_rank

    def test_criterion_influence(self, engine):
        """Removing a criterion on which all units are equal leaves the ranking (ρ = 1)."""
        cs = _set([COUNT, dict(COUNT, id="flat", indicator="m")])
        ds = _ds({"A": {"n": 9, "m": 3}, "B": {"n": 5, "m": 3}, "C": {"n": 2, "m": 3}})
        s = engine.sensitivity(ds, YEAR, criteria=cs, draws=10)
        by = {c.id: c for c in s.criteria}
        assert by["flat"].spearman == 1.0 and by["flat"].units_moved == 0
        assert by["k"].spearman is None  # without k every unit ties: no correlation defined

    def test_rank_reversal(self, engine):
        """With a relative (rank) criterion, removing one unit flips the order of the others:
        without C, B overtakes A; without A, B overtakes C."""
        cs = _set([{"id": "q", "points": 10, "method": "rank", "indicator": "e",
                    "points_by_rank": [10, 6, 0]}, COUNT])
        ds = _ds({"A": {"e": 2, "n": 3}, "B": {"e": 1, "n": 8}, "C": {"e": 3, "n": 0}})
        s = engine.sensitivity(ds, YEAR, criteria=cs, draws=10)
        assert {(r.removed, r.ahead, r.behind) for r in s.reversals} == {("C", "A", "B"),
                                                                        ("A", "C", "B")}
        assert "relative criteria: q" in s.reversal_note.en

    def test_no_reversal_possible_says_why(self, engine, clusters_2023):
        """Without relative criteria the check says no reversal is possible."""
        s = engine.sensitivity(clusters_2023, draws=5)
        assert s.reversals == () and "own data" in s.reversal_note.en

    @pytest.mark.parametrize(("option", "value"), [("draws", 0), ("weights_spread", 1.5),
                                                   ("value_spread", -0.1), ("dirichlet", 0)])
    def test_bad_options(self, engine, clusters_2023, option, value):
        """An option out of range is a DoanmodelError naming the option."""
        with pytest.raises(dm.DoanmodelError, match=option.replace("_", "-")):
            engine.sensitivity(clusters_2023, **{option: value})


def test_spearman_known_values():
    """Spearman: identical orders 1, reversed −1, constant undefined, ties averaged."""
    assert spearman([1, 2, 3], [1, 2, 3]) == 1.0
    assert spearman([1, 2, 3], [3, 2, 1]) == -1.0
    assert spearman([1, 1, 1], [1, 2, 3]) is None
    assert spearman([1, 2, 2, 4], [1, 2, 3, 4]) == pytest.approx(0.9486832980505138)


@given(st.dictionaries(st.sampled_from("ABCDEF"), st.integers(0, 10), min_size=2),
       st.integers(0, 2**32))
def test_interval_contains_median(engine, values, seed):
    """Every unit: 5 % ≤ median ≤ 95 %, and its award probabilities sum to at most 1."""
    cs = _set([COUNT, dict(COUNT, id="k2", indicator="m")], award=AWARDS)
    ds = _ds({u: {"n": v, "m": 10 - v} for u, v in values.items()})
    s = dm.Engine(load_entry_points=False).sensitivity(ds, YEAR, criteria=cs, draws=30,
                                                       seed=seed, weights_spread=0.5)
    for u in s.units:
        assert 1 <= u.low <= u.median_rank <= u.high <= len(values)
        assert sum(u.awards.values()) + u.undecided <= 1.0 + 1e-9


class TestCli:
    def test_json(self, capsys):
        """--format json: units with median, interval, award probabilities; criteria."""
        assert main(["sensitivity", CTD, "--draws", "100", "--format", "json",
                     "--value-spread", "0.1"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["draws"] == 100 and data["seed"] == 1 and len(data["units"]) == 12
        u = data["units"][0]
        assert {"unit_id", "rank", "median_rank", "rank_5", "rank_95", "awards"} <= set(u)
        assert {c["id"] for c in data["criteria"]} >= {"xay-dung-doan.ket-nap"}
        assert data["provenance"]["criteria_set"]["id"] == "huyen-2023"

    def test_csv_and_table(self, capsys):
        """CSV has one row per unit; the table is in the chosen language."""
        assert main(["sensitivity", CTD, "--draws", "50", "--format", "csv"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert len(rows) == 12 and "rank_95" in rows[0]
        assert main(["sensitivity", CTD, "--draws", "50", "--lang", "en",
                     "--dirichlet", "100"]) == 0
        out = capsys.readouterr().out
        assert "Sensitivity of huyen-2023" in out and "Dirichlet K=100" in out

    @pytest.mark.parametrize("argv", [["--draws", "0"], ["--weights-spread", "2"],
                                      ["--value-spread", "x"],
                                      ["--dirichlet", "5", "--weights-spread", "0.1"]])
    def test_bad_options_exit_2(self, argv, capsys):
        """A bad option is exit 2 with a message naming it, never a traceback."""
        with pytest.raises(SystemExit) as info:
            main(["sensitivity", CTD, *argv])
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert argv[0] in err and "Traceback" not in err


def test_dataframe_and_plot(engine, clusters_2023):
    """The result becomes a DataFrame and a rank-interval plot."""
    pytest.importorskip("pandas")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    s = engine.sensitivity(clusters_2023, draws=50)
    df = s.to_dataframe("en")
    assert len(df) == 12 and {"median_rank", "rank_5", "rank_95"} <= set(df.columns)
    ax = s.plot(lang="en")
    assert ax.get_xlabel() == "rank in cluster" and "Sensitivity" in ax.get_title()
    assert len(ax.get_yticklabels()) == 12
    import matplotlib.pyplot as plt  # noqa: PLC0415

    plt.close("all")


def test_reuses_a_board(engine, clusters_2023):
    """Passing the board already scored gives the same result as scoring it again."""
    board = engine.score(clusters_2023)
    assert engine.sensitivity(clusters_2023, draws=50, board=board) == \
        engine.sensitivity(clusters_2023, draws=50)
