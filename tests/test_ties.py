"""Tests for ranks and ties: shared ranks, undecided awards, the final tie-break input."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import doanmodel as dm
from doanmodel.cli._cli import main
from test_scoring import _ds, _set

CTD = "examples/cum-thi-dua-2023"


def add_twin(folder: Path, of: str = "H01", twin: str = "H01B", vote: dict[str, int] | None = None
             ) -> None:
    """Add a unit identical to *of* in every number, in the same cluster."""
    units = (folder / "units.csv").read_text(encoding="utf-8").splitlines()
    row = next(r for r in units if r.startswith(of + ","))
    units.append(row.replace(of + ",", twin + ",", 1).replace("số 1", "số 1B"))
    (folder / "units.csv").write_text("\n".join(units) + "\n", encoding="utf-8")
    for name in ("indicators.csv", "targets.csv"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        lines += [r.replace(of + ",", twin + ",", 1) for r in lines if r.startswith(of + ",")]
        lines += [f"{u},2023,council_vote,{v},Biên bản Hội đồng thi đua"
                  for u, v in (vote or {}).items()] if name == "indicators.csv" else []
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    clusters = (folder / "clusters.toml").read_text(encoding="utf-8")
    clusters = clusters.replace('members = ["H01", "H02", "H03"]',
                                f'members = ["H01", "{twin}", "H02", "H03"]')
    (folder / "clusters.toml").write_text(clusters, encoding="utf-8")


@pytest.fixture(name="twin")
def _twin(copy_example) -> Path:
    path = copy_example("cum-thi-dua-2023")
    add_twin(path)
    return path


class TestTwin:
    def test_twin_shares_rank_and_award_is_undecided(self, twin, capsys):
        """An identical twin of H01 shares rank 1; H02 is 3rd; both top awards are undecided."""
        assert main(["score", str(twin), "--format", "json", "--cluster", "cum-1"]) == 0
        data = json.loads(capsys.readouterr().out)
        st_ = {s["unit_id"]: s for s in data["clusters"][0]["standings"]}
        assert (st_["H01"]["rank"], st_["H01B"]["rank"], st_["H02"]["rank"]) == (1, 1, 3)
        assert st_["H01"]["award"] is None and st_["H01B"]["award"] is None
        assert st_["H01"]["award_undecided"] == ["Cờ thi đua của Ban Chấp hành Tỉnh đoàn",
                                                 "Bằng khen của Ban Chấp hành Tỉnh đoàn"]
        assert st_["H01"]["tied_with"] == ["H01", "H01B"]
        assert st_["H02"]["award"] is None and st_["H02"]["award_undecided"] == []

    def test_strict_exits_1(self, twin, capsys):
        """score --strict exits 1 when an award is undecided, 0 on the published example."""
        assert main(["score", str(twin), "--strict"]) == 1
        out = capsys.readouterr().out
        assert "chưa quyết định" in out and "CHƯA QUYẾT ĐỊNH" in out
        assert main(["score", CTD, "--strict"]) == 0

    def test_table_csv_explain(self, twin, capsys):
        """The table marks the award, CSV has award_undecided, explain says why."""
        main(["score", str(twin), "--lang", "en", "--cluster", "cum-1"])
        out = capsys.readouterr().out
        assert "Cờ thi đua của Ban Chấp hành Tỉnh đoàn? (undecided)" in out
        main(["score", str(twin), "--format", "csv", "--cluster", "cum-1"])
        rows = {r["unit_id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
        assert rows["H01B"]["award_undecided"].startswith("Cờ thi đua")
        assert rows["H03"]["award_undecided"] == ""
        main(["explain", str(twin), "H01B", "--lang", "en"])
        out = capsys.readouterr().out
        flat = " ".join(out.split())  # explain wraps at 100 columns
        assert "UNDECIDED" in flat and "tied at rank 1 with H01" in flat
        assert "declares no final tie-break input" in out

    def test_council_vote_decides(self, copy_example, capsys):
        """A declared final input (the council's vote) breaks the tie; none is left undecided."""
        path = copy_example("cum-thi-dua-2023")
        add_twin(path, vote={"H01": 5, "H01B": 7})
        crit = path / "criteria.toml"
        crit.write_text(crit.read_text(encoding="utf-8").replace(
            'tie_break = ["total", "core", "penalty", "bonus"]',
            'tie_break = ["total", "core", "penalty", "bonus", "indicator:council_vote"]'),
            encoding="utf-8")
        assert main(["score", str(path), "--format", "json", "--strict"]) == 0
        st_ = {s["unit_id"]: s for s in json.loads(capsys.readouterr().out)["clusters"][0]
               ["standings"]}
        assert (st_["H01B"]["rank"], st_["H01"]["rank"], st_["H02"]["rank"]) == (1, 2, 3)
        assert st_["H01B"]["award"].startswith("Cờ") and st_["H01"]["award"].startswith("Bằng")

    def test_vote_missing_for_one_decides_nothing(self, copy_example, capsys):
        """A final input recorded for only one of the tied units leaves them tied."""
        path = copy_example("cum-thi-dua-2023")
        add_twin(path, vote={"H01": 5})
        crit = path / "criteria.toml"
        crit.write_text(crit.read_text(encoding="utf-8").replace(
            'tie_break = ["total", "core", "penalty", "bonus"]',
            'tie_break = ["total", "core", "penalty", "bonus", "indicator:council_vote"]'),
            encoding="utf-8")
        assert main(["score", str(path), "--strict", "--lang", "en"]) == 1
        assert "council_vote is not recorded for every tied unit" in capsys.readouterr().out

    def test_id_key_is_ignored_with_a_warning(self, copy_example, capsys):
        """An old file listing 'id' is scored with shared ranks, and the CLI says why once."""
        path = copy_example("cum-thi-dua-2023")
        add_twin(path)
        crit = path / "criteria.toml"
        crit.write_text(crit.read_text(encoding="utf-8").replace(
            'tie_break = ["total", "core", "penalty", "bonus"]',
            'tie_break = ["total", "core", "penalty", "bonus", "id"]'), encoding="utf-8")
        assert main(["score", str(path), "--format", "json", "--lang", "en"]) == 0
        captured = capsys.readouterr()
        ranks = {s["unit_id"]: s["rank"] for s in
                 json.loads(captured.out)["clusters"][0]["standings"]}
        assert ranks["H01"] == ranks["H01B"] == 1
        assert captured.err.count("the key 'id' is ignored") == 1
        assert "criteria.toml:9: tie_break" in captured.err

    def test_id_key_warns_in_python(self):
        """parse_criteria warns (TieBreakWarning) and drops 'id' from the keys."""
        with pytest.warns(UserWarning, match="'id' is ignored"):
            cs = _set([{"id": "b", "points": 5, "method": "boolean", "indicator": "m"}],
                      tie_break=["total", "id"])
        assert cs.tie_break == ("total",)

    def test_default_keys_are_domain_keys(self):
        """Without tie_break a set ranks by total, core, penalty, bonus: never by id."""
        cs = _set([{"id": "b", "points": 5, "method": "boolean", "indicator": "m"}])
        assert cs.tie_break == ("total", "core", "penalty", "bonus")

    def test_unknown_key_names_both_forms(self):
        """An unknown key is refused, and the message lists criterion:ID and indicator:NAME."""
        with pytest.raises(dm.CriteriaError) as info:
            _set([{"id": "b", "points": 5, "method": "boolean", "indicator": "m"}],
                 tie_break=["luck"])
        assert "indicator:NAME" in info.value.problems[0].message.en


class TestAwardsAcrossTies:
    def test_group_inside_award_places_is_decided(self, engine):
        """Two units tied at rank 2 both get an award covering places 2 to 3."""
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"}],
                  award=[{"rank": 1, "title": "Cờ"}, {"rank": 2, "rank_to": 3, "title": "BK"}])
        b = engine.score(_ds({"A": {"n": 9}, "B": {"n": 5}, "C": {"n": 5}, "D": {"n": 1}}),
                         criteria=cs)
        got = {s.unit_id: (s.rank, s.award, s.undecided) for s in b.clusters[0].standings}
        assert got == {"A": (1, "Cờ", ()), "B": (2, "BK", ()), "C": (2, "BK", ()),
                       "D": (4, None, ())}
        assert b.undecided == []

    def test_group_straddling_last_place(self, engine):
        """Two units tied at rank 2 with one Bằng khen left: it is undecided for both."""
        cs = _set([{"id": "k", "points": 10, "method": "count", "points_each": 1,
                    "indicator": "n"}],
                  award=[{"rank": 1, "title": "Cờ"}, {"rank": 2, "title": "BK"}])
        b = engine.score(_ds({"A": {"n": 9}, "B": {"n": 5}, "C": {"n": 5}}), criteria=cs)
        got = {s.unit_id: (s.rank, s.award, s.undecided) for s in b.clusters[0].standings}
        assert got == {"A": (1, "Cờ", ()), "B": (2, None, ("BK",)), "C": (2, None, ("BK",))}
        assert [s.unit_id for _, s in b.undecided] == ["B", "C"]
        assert dm.Scoreboard.from_json(b.to_json()) == b


class TestPublishedExample:
    def test_figures_unchanged(self, engine, clusters_2023):
        """The bundled example has no tie: its ranks and awards are those published before."""
        b = engine.score(clusters_2023)
        assert {s.unit_id: s.rank for c in b.clusters for s in c.standings} == {
            "H01": 1, "H02": 2, "H03": 3, "H05": 1, "H06": 2, "H04": 3,
            "H08": 1, "K01": 2, "H07": 3, "K04": 1, "K03": 2, "K02": 3}
        assert b.undecided == []


# ----------------------------------------------------------------------------- properties
SCALABLE = [
    {"id": "r", "points": 30, "method": "ratio", "indicator": "a", "target": 50, "cap": 1.1},
    {"id": "t", "points": 20, "method": "threshold", "indicator": "b", "min": 60},
    {"id": "o", "points": 10, "method": "boolean", "indicator": "c"},
    {"id": "x", "points": 25, "method": "ratio", "indicator": "d", "target": 40, "bonus": True},
]
values = st.decimals(min_value=0, max_value=200, places=1, allow_nan=False,
                     allow_infinity=False)
unit_values = st.fixed_dictionaries(dict.fromkeys("abcd", values))
boards = st.dictionaries(st.sampled_from([f"U{i}" for i in range(8)]), unit_values,
                         min_size=1, max_size=6)


def _ranks(engine, values_, weights=None):
    b = engine.score(_ds(values_), criteria=_set(SCALABLE), weights=weights)
    return {s.unit_id: s.rank for s in b.clusters[0].standings}


@given(boards)
@example({"U0": {k: Decimal(0) for k in "abcd"}})
def test_twin_shares_rank(engine, values_):
    """A twin of any unit (same numbers, any code) shares its rank and pushes the next down."""
    original = sorted(values_)[0]
    with_twin = dict(values_, ZZ=values_[original])
    ranks = _ranks(engine, with_twin)
    assert ranks["ZZ"] == ranks[original]
    before = _ranks(engine, values_)
    for u, r in before.items():
        assert ranks[u] == r + (1 if r > before[original] else 0)


@given(boards, st.randoms(use_true_random=False))
def test_ranks_ignore_input_order(engine, values_, rnd):
    """Ranks do not depend on the order the units are listed in."""
    items = list(values_.items())
    rnd.shuffle(items)
    assert _ranks(engine, values_) == _ranks(engine, dict(items))


@given(boards, st.sampled_from([Decimal("0.5"), Decimal(2), Decimal(3), Decimal("7.25")]))
def test_ranks_invariant_under_scaling_weights(engine, values_, factor):
    """Multiplying every criterion's weight by the same factor changes no rank."""
    weights = {c["id"]: Decimal(c["points"]) * factor for c in SCALABLE}
    assert _ranks(engine, values_, weights) == _ranks(engine, values_)


@given(boards, st.sampled_from("abcd"), values)
def test_raising_a_value_never_lowers_rank(engine, values_, key, bump):
    """Raising one unit's value on one criterion never worsens its rank."""
    unit = sorted(values_)[-1]
    raised = {u: dict(v) for u, v in values_.items()}
    raised[unit][key] += bump
    assert _ranks(engine, raised)[unit] <= _ranks(engine, values_)[unit]


def test_excel_marks_undecided(twin, tmp_path):
    """The Excel sheet's award column marks the undecided award for both twins."""
    openpyxl = pytest.importorskip("openpyxl")
    engine = dm.Engine(load_entry_points=False)
    board = engine.score(dm.load_dataset(twin), clusters=["cum-1"])
    board.to_excel(tmp_path / "b.xlsx", "en")
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")[board.clusters[0].name]
    awards = {ws.cell(r, 2).value: ws.cell(r, 8).value for r in range(2, ws.max_row + 1)}
    assert awards["H01"].startswith("Cờ thi đua của Ban Chấp hành Tỉnh đoàn? (undecided)")
    assert awards["H01B"] == awards["H01"] and not awards["H02"]  # an empty cell reads None
