"""Tests for the notebook views: HTML of every result type, the language setting, plots."""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest

import doanmodel as dm
from test_scoring import _ds, _set

CTD = "examples/cum-thi-dua-2023"


@pytest.fixture(autouse=True)
def _vietnamese_again():
    """Every test starts and ends with the default language."""
    dm.set_language("vi")
    yield
    dm.set_language("vi")


@pytest.fixture(name="board")
def _board(engine, clusters_2023):
    return engine.score(clusters_2023)


@pytest.fixture(name="results")
def _results(engine, clusters_2023, tra_vinh, board):
    """One of every result type."""
    return {
        "Scoreboard": board,
        "Explanation": board.explain("H01"),
        "WhatIf": engine.what_if(clusters_2023, weights={"xay-dung-doan.ket-nap": 120}),
        "Report": engine.check(tra_vinh, 2019),
        "Census": dm.census(dm.load_dataset("examples/can-bo-2021"), dt.date(2021, 11, 15)),
        "Sensitivity": engine.sensitivity(clusters_2023, draws=20),
    }


class TestHtml:
    KINDS = ("Scoreboard", "Explanation", "WhatIf", "Report", "Census", "Sensitivity")

    @pytest.mark.parametrize("kind", KINDS)
    def test_every_result_has_html_in_both_languages(self, results, kind):
        """Each result renders as an HTML table, Vietnamese by default, English on request."""
        obj = results[kind]
        vi = obj._repr_html_()
        en = obj.lang("en")._repr_html_()
        assert "<table>" in vi and "<table>" in en and vi != en
        dm.set_language("en")
        assert obj._repr_html_() == en

    def test_scoreboard_numbers_codes_ratings(self, board):
        """Numbers right-aligned with 2 decimals; the unit code and rating are columns."""
        text = board.lang("en")._repr_html_()
        row = re.search(r"<tr><td class=\"num\">1</td><td>H01</td>.*?</tr>", text).group(0)
        assert '<td class="num">351.59</td>' in row and '<td class="num">40.00</td>' in row
        assert "Completed tasks excellently" in row
        assert '<th class="num">total</th>' in text and "<th>rating</th>" in text

    def test_explanation_has_no_raw_decimals(self, board):
        """The explanation's HTML shows rounded numbers, never Decimal('…')."""
        text = board.explain("H01", "en")._repr_html_()
        assert "Decimal(" not in text and "351.59" in text

    def test_text_is_escaped(self, engine):
        """Names and codes are escaped: markup in data never reaches the page."""
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"}])
        board = engine.score(_ds({"<b>X</b>": {"n": 3}}), criteria=cs)
        text = board._repr_html_()
        assert "<b>X</b>" not in text and "&lt;b&gt;X&lt;/b&gt;" in text

    def test_unknown_language_is_refused(self, board):
        """set_language and .lang accept only vi and en."""
        with pytest.raises(ValueError, match="fr"):
            dm.set_language("fr")
        with pytest.raises(ValueError, match="fr"):
            board.lang("fr")

    def test_undecided_award_shown(self, engine):
        """A tie that straddles an award is marked in the HTML with the reason."""
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"}], award=[{"rank": 1, "title": "Cờ"}])
        board = engine.score(_ds({"A": {"n": 3}, "B": {"n": 3}}), criteria=cs)
        text = board.lang("en")._repr_html_()
        assert "Cờ? (undecided)" in text and "UNDECIDED" in text


class TestPlot:
    @pytest.fixture(autouse=True)
    def _agg(self):
        matplotlib = pytest.importorskip("matplotlib")
        matplotlib.use("Agg")
        yield
        import matplotlib.pyplot as plt  # noqa: PLC0415

        plt.close("all")

    def test_bar_length_is_the_total(self, board):
        """Each unit's bar segments add up to its total (penalties subtracted, not drawn)."""
        ax = board.plot(lang="en")
        totals = [float(s.total) for c in board.clusters for s in c.standings]
        ends: dict[float, float] = {}
        for patch in ax.patches:
            y = round(patch.get_y(), 6)
            ends[y] = max(ends.get(y, 0.0), patch.get_x() + patch.get_width())
        assert sorted(round(v, 6) for v in ends.values()) == sorted(round(t, 6) for t in totals)

    def test_labels_title_legend(self, board):
        """Value labels, an English title, and a legend that covers no bar."""
        ax = board.plot(lang="en")
        labels = {t.get_text().strip() for t in ax.texts}
        assert "351.59" in labels and "298.00" in labels
        assert ax.get_title().startswith("Total score by unit")
        assert "Tổng điểm" in board.plot(lang="vi").get_title()
        fig = ax.figure
        fig.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        assert not any(legend.overlaps(p.get_window_extent()) for p in ax.patches)

    def test_session_language(self, board):
        """dm.set_language('en') is the default for plots too."""
        dm.set_language("en")
        assert board.plot().get_xlabel() == "points"
        assert board.lang("vi").plot().get_xlabel() == "điểm"


class TestMissingDependency:
    def test_dataframe_without_pandas(self, board, monkeypatch):
        """Without pandas, to_dataframe says how to install it."""
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(dm.MissingDependencyError, match=r"pip install 'doanmodel\[notebook\]'"):
            board.to_dataframe()
        with pytest.raises(ImportError):
            board.to_dataframe()

    def test_plot_without_matplotlib(self, board, monkeypatch):
        """Without matplotlib, plot says how to install it; it is a DoanmodelError."""
        monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
        with pytest.raises(dm.DoanmodelError, match=r"doanmodel\[notebook\]"):
            board.plot()
